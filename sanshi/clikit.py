"""The command line's own words in Chinese: help pages, usage lines and usage errors.

Typer builds on Click, whose help pages ("Usage:", "Options:", "Show this message and exit.") and usage
errors ("Error: No such option: --bogus", "'abc' is not a valid integer.") are English literals. Every
command and group of `sanshi` uses the classes here instead:

- `Context.formatter_class` is a `HelpFormatter` that writes 用法/参数/选项/命令, translates Typer's
  `[required]`, `[default: …]` and `[env var: …]` notes, and wraps Chinese text to the terminal with
  sanshi's own line breaker (Click's breaks only at spaces, so a Chinese sentence ran past the edge);
- `Command` and `Group` give the help option Chinese help, write arguments as `BOOK` in usage lines
  (not Typer's `{book}`), list each command's full summary, and turn every usage error into the
  错误:/提示: lines the rest of sanshi writes, with exit code 2.

Only public hooks of Typer and Click are used (context_class, formatter_class, get_help_option, main); the
exception classes are taken from wherever this Typer keeps its Click (`typer.BadParameter`'s module).
"""

from __future__ import annotations

import difflib
import inspect
import re
import sys
from collections.abc import Sequence

import typer
from typer.core import TyperCommand, TyperGroup

from sanshi.writers.tty import message, message_width, output_width
from sanshi.writers.wrap import display_width, wrap

_click_errors = sys.modules[typer.BadParameter.__module__]
ClickException = _click_errors.ClickException
UsageError = _click_errors.UsageError
BadParameter = _click_errors.BadParameter
MissingParameter = _click_errors.MissingParameter
NoSuchOption = _click_errors.NoSuchOption
BadOptionUsage = _click_errors.BadOptionUsage
BadArgumentUsage = _click_errors.BadArgumentUsage
NoArgsIsHelpError = getattr(_click_errors, "NoArgsIsHelpError", ())  # Click 8.2 and later

OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
HELP_TEXT = "显示本帮助并退出"

HEADINGS = {"Usage": "用法", "Arguments": "参数", "Options": "选项", "Commands": "命令"}
# Click's names for the types of options that have no metavar of their own.
TYPE_NAMES = {
    "int": "整数",
    "integer": "整数",
    "float": "数字",
    "text": "文字",
    "str": "文字",
    "path": "路径",
    "filename": "文件",
    "boolean": "是/否",
    "bool": "是/否",
}
# Typer's notes after an option's help: [default: all; env var: SANSHI_DB; required].
_NOTE = re.compile(r"\s*\[((?:default|env var|required)[^\]]*)\]\s*$")
_NOTE_PARTS = (
    (re.compile(r"^default:\s*(.*)$"), "默认:{}"),
    (re.compile(r"^env var:\s*(.*)$"), "环境变量 {}"),
    (re.compile(r"^required$"), "必填"),
)


def _notes(text: str) -> str:
    """Typer's bracketed notes at the end of an option's help, in Chinese."""
    found = _NOTE.search(text)
    if not found:
        return text
    parts = []
    for part in found.group(1).split(";"):
        part = part.strip()
        for pattern, chinese in _NOTE_PARTS:
            matched = pattern.match(part)
            if matched:
                parts.append(chinese.format(*matched.groups()))
                break
        else:
            parts.append(part)
    return f"{text[: found.start()]} [{';'.join(parts)}]".strip()


def _term(text: str) -> str:
    """An option's name and metavar as shown in the list: `--year <int>` becomes `--year 整数`."""
    return re.sub(r"<([a-z ]+)>", lambda m: TYPE_NAMES.get(m.group(1), m.group(0)), text)


class HelpFormatter(TyperCommand.context_class.formatter_class):
    """Click's help formatter with Chinese headings, wrapping by display width at the terminal's width."""

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        super().__init__(indent_increment, width=output_width(width) - 1, max_width=max_width)

    def _lines(self, text: str, width: int) -> list[str]:
        lines: list[str] = []
        for paragraph in re.split(r"\n\s*\n", text.strip()):
            lines.extend(wrap(" ".join(paragraph.split()), max(width, 10)) or [""])
        return lines

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = "用法:"
        first, *rest = wrap(f"{prog} {args}".strip(), self.width - self.current_indent - display_width(prefix))
        hang = " " * (self.current_indent + display_width(prefix))
        self.write(" " * self.current_indent + prefix + first + "\n")
        self.write("".join(f"{hang}{line}\n" for line in rest))

    def write_heading(self, heading: str) -> None:
        self.write(f"{' ' * self.current_indent}{HEADINGS.get(heading, heading)}:\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write("".join(f"{indent}{line}\n" for line in self._lines(text, self.width - self.current_indent)))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(_term(first), _notes(second)) for first, second in rows]
        if not rows:
            return
        first_col = min(max(display_width(first) for first, _ in rows), col_max) + col_spacing
        indent = " " * self.current_indent
        hang = " " * (self.current_indent + first_col)
        for first, second in rows:
            lines = self._lines(second, self.width - self.current_indent - first_col) if second else []
            if display_width(first) + col_spacing <= first_col:
                head = indent + first + " " * (first_col - display_width(first))
                self.write(head + (lines[0] if lines else "").rstrip() + "\n")
                lines = lines[1:]
            else:
                self.write(indent + first + "\n")
            self.write("".join(f"{hang}{line}\n" for line in lines))


class Context(TyperCommand.context_class):
    formatter_class = HelpFormatter


class _Chinese:
    """What every sanshi command and group shares: the Chinese context and help option, plain usage lines."""

    context_class = Context

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                pieces.append(_argument_usage(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces


def _argument_name(param) -> str:
    return param.metavar or (param.name or "").upper()


def _argument_usage(param) -> str:
    name = _argument_name(param) + ("..." if param.nargs != 1 else "")
    return name if param.required else f"[{name}]"


class Command(_Chinese, TyperCommand):
    """A sanshi command: Typer's, in Chinese."""


class Group(_Chinese, TyperGroup):
    """A sanshi command group; the top one also turns usage errors into Chinese messages (see `main`)."""

    def collect_usage_pieces(self, ctx) -> list[str]:
        return [*super().collect_usage_pieces(ctx), self.subcommand_metavar]

    def format_commands(self, ctx, formatter) -> None:
        """Each command with its whole summary (Click cuts it to a character count, which CJK text overruns)."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                summary = command.short_help or inspect.cleandoc(command.help or "").partition("\n\n")[0]
                rows.append((name, summary))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Run the command; a usage error is written as 错误/用法/提示 lines on stderr, exit code 2."""
        try:
            result = super().main(
                args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra
            )
            code = result if isinstance(result, int) else 0
        except ClickException as exc:
            code = show_error(exc)
        except typer.Abort:
            typer.echo("已中止", err=True)
            code = 1
        if standalone_mode:
            sys.exit(code)
        return code


def show_error(exc: ClickException) -> int:
    """Write a Click error as sanshi writes its own, and give its exit code."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, NoArgsIsHelpError) and ctx is not None:
        typer.echo(ctx.get_help())
        return exc.exit_code
    width = message_width()
    typer.echo(message("错误:", describe(exc), width), err=True)
    if ctx is not None:
        usage = ctx.command.get_usage(ctx)
        typer.echo(usage, err=True)
        typer.echo(
            message(
                "提示:",
                f"运行 {ctx.command_path} --help 查看各{'命令' if isinstance(ctx.command, Group) else '选项'}的说明",
                width,
            ),
            err=True,
        )
    return exc.exit_code


def _option_names(param) -> str:
    return _argument_name(param) if param.param_type_name == "argument" else " / ".join(param.opts)


def _value(english: str) -> str | None:
    """The value Click quotes at the start of its type messages ('abc' is not a valid integer.)."""
    found = re.match(r"""^('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s""", english)
    return found.group(1)[1:-1] if found else None


def describe(exc: ClickException) -> str:
    """A Click error in the words of sanshi's other messages."""
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "sanshi"
    if isinstance(exc, NoSuchOption):
        hint = f";是否指 {'、'.join(sorted(exc.possibilities))}?" if exc.possibilities else ""
        return f"{command} 没有选项 {exc.option_name}{hint}"
    if isinstance(exc, MissingParameter):
        param = exc.param
        if param is None:
            return f"{command} 缺少参数"
        if param.param_type_name == "argument":
            help_text = f":{param.help}" if getattr(param, "help", None) else ""
            return f"{command} 缺少参数 {_argument_name(param)}{help_text}"
        return f"{command} 缺少选项 {_option_names(param)}"
    if isinstance(exc, BadParameter):
        return _bad_value(exc)
    if isinstance(exc, BadOptionUsage):
        option = exc.option_name
        if "does not take a value" in exc.message:
            return f"选项 {option} 不带取值,请去掉 = 及其后的内容"
        return f"选项 {option} 后面缺少取值"
    if isinstance(exc, BadArgumentUsage):
        return f"{command} 的参数个数不对"
    text = exc.message if isinstance(exc, UsageError) else exc.format_message()
    extra = re.match(r"^Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$", text)
    if extra:
        return f"{command} 多余的参数:{extra.group(1)}(文件名中有空格时请加引号)"
    unknown = re.match(r"^No such command '(.*?)'\.", text)
    if unknown:
        names = list(getattr(ctx.command, "commands", {})) if ctx is not None else []
        close = difflib.get_close_matches(unknown.group(1), names, n=3)
        hint = f";是否指 {'、'.join(close)}?" if close else ""
        return f"{command} 没有命令 {unknown.group(1)}{hint}"
    if text.startswith("Missing command"):
        return f"{command} 缺少命令"
    return text


def _bad_value(exc) -> str:
    param = exc.param
    where = _option_names(param) if param is not None else "参数"
    value = _value(exc.message)
    shown = f" {value}" if value is not None else ""
    choices = getattr(getattr(param, "type", None), "choices", None)
    if choices:
        return f"{where} 的取值{shown} 不是可选值;可选:{'、'.join(str(getattr(c, 'value', c)) for c in choices)}"
    kind = getattr(getattr(param, "type", None), "name", "")
    if kind in ("int range", "integer range") and _value(exc.message) is None:  # a number, but out of range
        number = exc.message.split(" ", 1)[0]
        return f"{where} 的取值 {number} 不在 {param.type.min} 至 {param.type.max} 之间"
    if kind in ("integer", "int", "int range", "integer range"):
        return f"{where} 的取值{shown} 不是整数"
    if kind == "float":
        return f"{where} 的取值{shown} 不是数字"
    return f"{where} 的取值有误:{exc.message}"
