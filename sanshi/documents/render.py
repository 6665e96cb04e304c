"""Document templates: a sandboxed Jinja environment over the built-in templates (package data, in
sanshi/documents/templates/) and, file by file ahead of them, a user's own folder (--templates).

Templates are files users edit, so they run in a sandbox (sanshi.documents.sandbox: no access to
Python internals, no change to the data, bounded numbers, text, loops, output and time) with
`StrictUndefined`: a missing or misspelt variable is an error naming the template and line, never a
blank in a signed document. Any error a template raises (a division by zero, a recursive macro, a
bound it breaches) is reported the same way, exit 2. Each template is loaded and parsed once per batch.

Templates are read only from regular files, at most TEMPLATE_LIMIT bytes, that resolve inside their
folder: a symbolic link to a file elsewhere (`{% include 'secret.j2' %}` of a link to a system file) is
refused. Every value a template is given is escaped for the markup (sanshi.documents.markup.escape), so
a `|` or a leading `@` in a unit's name cannot break a table or forge a marker.
"""

from __future__ import annotations

import difflib
import os
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.loaders import split_template_path
from jinja2.sandbox import SecurityError

from sanshi.documents.config import DERIVED, SETTINGS_BY_KEY, DocumentSettings, parse_settings
from sanshi.documents.filters import FILTERS, FilterError
from sanshi.documents.kinds import COMMON_VARIABLES, KIND_NAMES, KINDS, Kind, TEMPLATE_SUFFIX
from sanshi.documents.markup import MarkupError, escape, parse
from sanshi.documents.model import Block
from sanshi.documents.sandbox import TEXT_LIMIT, BoundedSandbox, LimitError
from sanshi.errors import TemplateError
from sanshi.limits import TEMPLATE_LIMIT, read_limited
from sanshi.rules.params import RulePack


BUILT_IN = Path(__file__).resolve().parent / "templates"  # installed with the package
TEMPLATE_FILES = "*.j2"


def export_templates(target: Path, force: bool = False) -> list[Path]:
    """Copy the built-in templates (and their README) into `target` for editing; an existing file is replaced
    only with `force`, and then every file is checked before any is written."""
    sources = sorted(BUILT_IN.glob(TEMPLATE_FILES)) + [BUILT_IN / "README.md"]
    present = [target / s.name for s in sources if (target / s.name).exists()]
    if present and not force:
        names = "、".join(p.name for p in present)
        raise TemplateError(f"{target} 中已有 {names}:未导出;如要用内置模板替换,请加 --force")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sources:
        destination = target / source.name
        destination.write_bytes(source.read_bytes())
        written.append(destination)
    return written


@dataclass(frozen=True)
class TemplateInfo:
    """What a template needs: the top-level variables and `doc` settings it uses, each with its first line."""

    path: Path
    variables: dict[str, int]
    settings: dict[str, int]


class TemplateSet:
    """The built-in templates, each replaced by the user's file of the same name in `folder` (--templates) when
    there is one; each parsed once."""

    def __init__(self, folder: Path | None = None):
        if folder is not None and not folder.is_dir():
            raise TemplateError(
                f"模板目录 {folder} 不存在:--templates 指定放改写模板的目录(sanshi notices --export-templates 目录 "
                "导出一份内置模板来改)"
            )
        if folder is not None:
            known = [kind.template for kind in KINDS]
            stray = sorted(p.name for p in folder.glob(f"*{TEMPLATE_SUFFIX}") if p.name not in known)
            if stray:
                raise TemplateError(
                    *(
                        f"模板目录 {folder} 中的 {name} 不是任何公文类型的模板,不会被使用"
                        f"{_close(name, known)}(模板文件名为:{'、'.join(known)})"
                        for name in stray
                    )
                )
        self.folder = folder
        self.loader = FolderLoader([f for f in (folder, BUILT_IN) if f is not None])
        self.env = BoundedSandbox(
            loader=self.loader,
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        self.env.filters.update(FILTERS)
        self.env.bound_filters(FILTERS)
        self._templates: dict[str, jinja2.Template] = {}

    def path(self, kind: Kind) -> Path:
        """The file a kind is rendered from: the user's when their folder has one, else the built-in one."""
        own = self.folder / kind.template if self.folder is not None else None
        return own if own is not None and os.path.lexists(own) else BUILT_IN / kind.template

    def is_own(self, kind: Kind) -> bool:
        """True when the kind's template is the user's (--templates), not a built-in one."""
        return self.path(kind).parent != BUILT_IN

    def files(self) -> list[Path]:
        """Every template file this set reads (the user's overrides and the built-in rest), for the manifest."""
        return [self.path(kind) for kind in KINDS]

    def info(self, kind: Kind) -> TemplateInfo:
        """Parse a template (syntax errors name the line) and list what it uses."""
        path = self.path(kind)
        if not os.path.lexists(path):
            raise TemplateError(f"缺少模板 {path}({kind.name}):sanshi 安装不完整,请重新安装")
        source, _, _ = self.loader.get_source(self.env, kind.template)
        try:
            tree = self.env.parse(source, kind.template, str(path))
            # Compiling folds constant expressions; the sandbox never folds its bounded operators.
            undeclared = meta.find_undeclared_variables(tree) - set(self.env.globals)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"模板 {path} 第{exc.lineno}行:模板语法错误:{exc.message}") from None
        except (RecursionError, ValueError, LimitError, MemoryError) as exc:
            # Expressions nested thousands deep, a number of thousands of digits: Jinja's parser gives up.
            raise TemplateError(f"模板 {path} 第{_long_line(source)}行:模板无法解析:{_said(exc)}") from None
        variables = {name: _first_line(tree, name) for name in sorted(undeclared)}
        settings: dict[str, int] = {}
        for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
            if isinstance(node.node, nodes.Name) and node.node.name == "doc":
                attr = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
                if isinstance(attr, str):
                    settings.setdefault(attr, node.lineno)
        return TemplateInfo(path, variables, dict(sorted(settings.items(), key=lambda kv: kv[1])))

    def check(self, kind: Kind, settings: DocumentSettings) -> list[str]:
        """Every problem a kind's template would hit: unknown variables, unknown or unset `doc` settings."""
        info = self.info(kind)
        known = set(kind.variables) | set(COMMON_VARIABLES)
        problems = [
            f"模板 {info.path} 第{line}行:变量 {name} 不存在(可用 {'、'.join(sorted(known))})"
            for name, line in info.variables.items()
            if name not in known
        ]
        allowed = set(SETTINGS_BY_KEY) | set(DERIVED)
        for attr, line in info.settings.items():
            if attr not in allowed:
                problems.append(
                    f"模板 {info.path} 第{line}行:doc.{attr} 不是发文设置(可用 {'、'.join(sorted(allowed))})"
                )
        for key, line in settings.missing(kind.name, info.settings):
            setting = SETTINGS_BY_KEY[key]
            problems.append(
                f"{settings.where} › [documents]:缺少 {key}({setting.label}),模板 {info.path} 第{line}行"
                f'要用到;写在 [documents] 或 [documents."{kind.name}"] 中'
            )
        return problems

    def render(self, kind: Kind, context: dict[str, Any]) -> tuple[Block, ...]:
        """One document's blocks; an undefined value, a filter refusing a value, a bound breached, any other
        error of a user's template or bad markup names the template and line. The values are escaped for the
        markup first."""
        # A user's template may raise anything (1/0, date.replace(year=10000)): its error, not sanshi's. A
        # built-in template raising something other than these is a bug in sanshi (exit 1).
        expected: tuple[type[BaseException], ...] = (Exception,) if self.is_own(kind) else _TEMPLATE_ERRORS
        template: jinja2.Template | None = self._templates.get(kind.name)
        pieces: list[str] = []
        overflow = ""  # the template line at which the text went over TEXT_LIMIT
        try:
            if template is None:
                template = self._templates[kind.name] = self.env.get_template(kind.template)
            with self.env.rendering():
                size = 0
                produced = template.generate(escaped(context))
                for piece in produced:
                    size += len(piece)
                    if size > TEXT_LIMIT:
                        overflow = _suspended_line(produced, template)
                        produced.close()
                        break
                    pieces.append(piece)
        except TemplateError as exc:  # a template file the loader refused (an include)
            raise TemplateError(*(f"模板 {self.path(kind)} 第{_error_line(exc)}行:{m}" for m in exc.messages)) from None
        except expected as exc:
            file, line = self._where(exc, kind)
            raise TemplateError(f"模板 {file} 第{line}行:{_message(exc)}") from None
        if overflow:
            raise TemplateError(f"模板 {self.path(kind)} 第{overflow}行:生成的公文超过 {TEXT_LIMIT} 字的上限")
        text = "".join(pieces)
        try:
            return parse(text)
        except MarkupError as exc:
            raise TemplateError(
                f"模板 {self.path(kind)} 生成的第{exc.line}行{_quoted_line(text, exc.line)}:{exc}"
                + _data_in_line(text, exc.line, context)
            ) from None

    def _where(self, exc: BaseException, kind: Kind) -> tuple[Path, str]:
        """The template file and line an error was raised at: the innermost frame of a template file (Jinja
        maps its frames back to template lines), which may be an included template."""
        if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
            return Path(exc.filename) if exc.filename else self.path(kind), str(exc.lineno)
        files = {str(p) for p in self.loader.files}
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in files]
        if not frames:
            return self.path(kind), "?"
        return Path(frames[-1].filename), str(frames[-1].lineno)


class FolderLoader(jinja2.BaseLoader):
    """Templates by name from the first folder that has them (the user's, then the built-in one): only regular
    files of at most TEMPLATE_LIMIT bytes, UTF-8, that resolve inside their folder."""

    def __init__(self, folders: list[Path]):
        self.folders = folders
        self.files: set[Path] = set()  # every file read, by the name frames carry

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses `..`
        for folder in self.folders:
            path = folder.joinpath(*pieces)
            if not os.path.lexists(path):
                continue
            root = folder.resolve()
            if not path.resolve().is_relative_to(root):
                raise TemplateError(
                    f"模板 {path} 是指向模板目录之外({path.resolve()})的链接:只读取模板目录 {folder} 中的文件"
                )
            content = read_limited(path, TEMPLATE_LIMIT, "模板", TemplateError)
            try:
                source = content.decode("utf-8")
            except UnicodeDecodeError:
                raise TemplateError(f"模板 {path}:须为 UTF-8 编码的文本文件") from None
            self.files.add(path)
            return source, str(path), lambda: True
        raise jinja2.TemplateNotFound(template)


def escaped(value: Any) -> Any:
    """A template's values with every text escaped for the markup (sanshi.documents.markup.escape), through
    dicts, lists and tuples; numbers, dates and other values as they are."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, dict):
        return {key: escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escaped(item) for item in value]
    if isinstance(value, tuple):
        return tuple(escaped(item) for item in value)
    return value


# What a built-in template can raise from its data: reported as the template's error, not as a bug.
_TEMPLATE_ERRORS = (jinja2.TemplateError, FilterError, LimitError, RecursionError)


def _suspended_line(produced: Any, template: jinja2.Template) -> str:
    """The template line a paused render is at (where its output went over the limit), or "?"."""
    inner = getattr(produced, "gi_yieldfrom", None) or produced
    frame = getattr(inner, "gi_frame", None)
    if frame is None:
        return "?"
    try:
        return str(template.get_corresponding_lineno(frame.f_lineno))
    except Exception:  # pragma: no cover - the mapping is Jinja's, best effort
        return "?"


def _quoted_line(text: str, number: int) -> str:
    lines = text.splitlines()
    if not 1 <= number <= len(lines):
        return ""
    line = lines[number - 1].strip()
    return f"「{line if len(line) <= 80 else line[:77] + '...'}」"


def _data_in_line(text: str, number: int, context: dict[str, Any]) -> str:
    """Which of the document's values (names from the workbook, the pack's texts) are on a line the markup
    refused: ";该行含数据中的「甲|县」" — the value to correct when data, not the template, broke the line."""
    lines = text.splitlines()
    line = lines[number - 1] if 1 <= number <= len(lines) else ""
    found: list[str] = []
    stack: list[Any] = [context]
    while stack and len(found) < 3:
        value = stack.pop()
        if isinstance(value, str):
            if len(value) >= 2 and escape(value) in line and value not in found:
                found.append(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
    return f";该行含数据中的{'、'.join(f'「{v}」' for v in found)},请检查工作簿或规则包中的这些值" if found else ""


def _long_line(source: str) -> str:
    """Where a template Jinja cannot parse is likely wrong: the first line with a number of 1,000 digits or
    more, or nesting 100 deep; else "?"."""
    for number, line in enumerate(source.splitlines(), start=1):
        if re.search(r"\d{1000,}", line) or max(line.count("("), line.count("["), line.count("{")) >= 100:
            return str(number)
    return "?"


def _close(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f":是否想写 {close[0]}?" if close else ""


def _first_line(tree: nodes.Template, name: str) -> int:
    return min((n.lineno for n in tree.find_all(nodes.Name) if n.name == name), default=1)


def _error_line(exc: BaseException) -> str:
    """The template line an error was raised at: Jinja maps its frames back to template lines (files
    ending in .j2)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    return str(frames[-1].lineno) if frames else "?"


def _message(exc: BaseException) -> str:
    """An error of a template in the user's words."""
    if isinstance(exc, jinja2.UndefinedError):
        return f"值不存在:{exc.message}(变量名拼写是否有误?)"
    if isinstance(exc, (LimitError, FilterError)):
        return str(exc)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"模板语法错误:{exc.message}"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"找不到模板 {exc.name}(include、import 或 extends 的文件须在模板目录中)"
    if isinstance(exc, SecurityError):
        return f"模板沙箱不允许的操作:{_said(exc)}"
    if isinstance(exc, RecursionError):
        return "宏或 include 嵌套过深(宏调用自身,或模板包含自身?)"
    if isinstance(exc, ZeroDivisionError):
        return "除数为零"
    if isinstance(exc, MemoryError):
        return "内存不足(模板生成的文字或列表过大?)"
    if isinstance(exc, OverflowError):
        return f"数值超出范围:{_said(exc)}"
    if isinstance(exc, jinja2.TemplateError):
        return _said(exc)
    return f"模板运算出错:{type(exc).__name__}: {_said(exc)}"


def _said(exc: BaseException) -> str:
    """An exception's own message, short."""
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def catalog(folder: Path | None, pack: RulePack | None) -> list[dict[str, Any]]:
    """--list-templates: for each kind its template, when it is used, the variables it reads (with
    their meaning) and the doc.* settings it reads (with the pack's values when a pack is given)."""
    settings = parse_settings(pack.documents, pack.where, KIND_NAMES) if pack and pack.documents else None
    templates = TemplateSet(folder)
    entries = []
    for kind in KINDS:
        path = templates.path(kind)
        entry: dict[str, Any] = {
            "kind": kind.name,
            "path": str(path),
            "exists": path.is_file(),
            "description": kind.description,
            "one_per": kind.one_per,
        }
        entries.append(entry)
        try:
            info = templates.info(kind)
        except TemplateError as exc:
            entry["error"] = exc.messages[0]
            continue
        meanings = {**COMMON_VARIABLES, **kind.variables}
        entry["variables"] = {
            name: (line, meanings.get(name, "(不存在的变量)")) for name, line in info.variables.items() if name != "doc"
        }  # doc.* are settings
        values = settings.for_kind(kind.name) if settings else {}
        entry["settings"] = {}
        for attr, line in info.settings.items():
            key = DERIVED.get(attr, attr)
            setting = SETTINGS_BY_KEY.get(key)
            label = setting.label if setting else "(不是发文设置)"
            if pack is not None:
                label += f";{pack.where}:{'未设定' if values.get(key) is None else values[key]}"
            entry["settings"][attr] = (line, label)
    return entries
