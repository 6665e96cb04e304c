"""The command line: parse options, call one library function, print. Nothing else.

Exit codes: 0 done; 2 the user must fix something (input, usage, conflicting data,
unresolved tie, existing output); 1 a bug in sanshi.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import os
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

from sanshi.errors import RunWarning
from sanshi.inputs.years import EARLIEST_YEAR, LATEST_YEAR
from sanshi.clikit import OPTIONS_METAVAR, SUBCOMMAND_METAVAR, Command, Group

# Every group and command is sanshi.clikit's: help pages and usage errors in Chinese.
CHINESE = dict(cls=Group, options_metavar=OPTIONS_METAVAR, subcommand_metavar=SUBCOMMAND_METAVAR)

app = typer.Typer(
    name="sanshi",  # the program's name in usage lines however it is started (python -m sanshi, a test runner)
    help="三项机制:把年度考核结果变成奖励名单、奖金和公文。",
    no_args_is_help=True,
    **CHINESE,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # cadre data is personal data
    pretty_exceptions_enable=False,
    # Plain help and usage errors: Rich's formatting costs 60 ms of imports on every `--help` and typo,
    # and start-up is to stay under 0.15 s (benchmarks/).
    rich_markup_mode=None,
)
rules_app = typer.Typer(
    help="规则包:查看各参数及其所依据的条款。", no_args_is_help=True, rich_markup_mode=None, **CHINESE
)
history_app = typer.Typer(
    help="历史库:导入、列出、查看、检查、导出以前年度的数据。", no_args_is_help=True, rich_markup_mode=None, **CHINESE
)
app.add_typer(rules_app, name="rules")
app.add_typer(history_app, name="history")

DEFAULT_DB = "sanshi.db"


class Tie(str, Enum):
    error = "error"
    include = "include"
    exclude = "exclude"


FORMATS = ".xlsx/.xlsm/.xls/.ods/.csv"
BookArg = typer.Argument(..., metavar="BOOK", help=f"本年度考核结果工作簿({FORMATS})")

# Years and revision numbers are checked where they are parsed: a year far outside the 三项机制's (0, 99999)
# is a typo, and a number past SQLite's integers would crash the history store.
YEAR_RANGE = dict(min=EARLIEST_YEAR, max=LATEST_YEAR)
REVISION_RANGE = dict(min=1, max=2**31 - 1)
YearOpt = typer.Option(None, "--year", metavar="年度", help="考核年度;不填则从文件名识别(如 2023.xlsx)", **YEAR_RANGE)
RulesOpt = typer.Option(
    None,
    "--rules",
    metavar="规则包",
    help="规则包:内置名称(shaanxi-2018、shaanxi-2016)或本地 TOML 文件;默认取该年度施行的内置规则包",
)
DbOpt = typer.Option(
    None,
    "--db",
    envvar="SANSHI_DB",
    show_envvar=False,
    metavar="文件",
    help=f"历史库文件,默认 ./{DEFAULT_DB}(也可用环境变量 SANSHI_DB)",
)
JsonOpt = typer.Option(False, "--json", help="只在标准输出打印一个 JSON 文档(提示信息写到标准错误)")
ForceOpt = typer.Option(False, "--force", help="覆盖已存在的输出文件")


def _fill_option(copy: str) -> Any:
    """--fill of a command whose copy of 2023.xlsx is `copy`."""
    return typer.Option(
        False,
        "--fill",
        help=f"另把结果填回输入工作簿的一个副本(如 2023.xlsx 的 {copy},写在 --out 目录):原有内容、格式、公式"
        "不变,结果列加在各表右侧;只用于 .xlsx/.xlsm,原文件不改动",
    )


TemplatesOpt = typer.Option(
    None,
    "--templates",
    metavar="目录",
    help="放改写模板的目录:其中与内置模板同名的文件代替内置的(sanshi notices --export-templates 导出一份来改)",
)
PreviousYearOpt = typer.Option(
    None,
    "--previous-year",
    metavar="年度",
    help="年度不连续时指定作为“上年”的年度(如 2019 年对比 2017 年)",
    **YEAR_RANGE,
)
TieOpt = typer.Option(
    None,
    "--tie",
    metavar="error|include|exclude",
    help="名额线得分并列且无排序列时:error 停止(默认)、include 全部评优、exclude 均不评优",
)
SetOpt = typer.Option(
    None,
    "--set",
    metavar="参数=取值",
    help="测算:按改动的参数计算,可多次给出(如 --set target.excellent_ratio=30%,参数和取值的写法见 sanshi rules show);"
    "结果的每个输出都标明「测算,非正式结果」",
)
# A what-if is never a signed document: the commands that write documents refuse --set (see _no_what_if).
NoSetOpt = typer.Option(
    None, "--set", metavar="参数=取值", help="不适用:公文不能按测算参数生成(见 awards 等命令的 --set)"
)
AliasesOpt = typer.Option(
    None,
    "--aliases",
    metavar="文件",
    help="单位名称对照文件(.xlsx/.csv,列 别名、规范名称):别名一律按规范名称计算,也用于历史库各年",
)


def _err(text: str) -> None:
    typer.echo(text, err=True)


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """Turn SanshiError, and a file the system would not read or write (no permission, a full disk), into
    messages on stderr and exit 2; anything else is a bug (exit 1)."""
    from sanshi.errors import InputError, SanshiError
    from sanshi.writers.files import protect

    protect()  # a command names its inputs itself (_protect); none carry over from an earlier one in-process
    try:
        yield
    except SanshiError as exc:
        from sanshi.writers.tty import message, message_width

        if isinstance(exc, InputError) and len(exc.messages) > 1:
            _err(f"发现 {len(exc.messages)} 处问题:")
        width = message_width()
        for text in exc.messages:
            _err(message("错误:", text, width))
        raise typer.Exit(2) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except BrokenPipeError:
        # The reader of the output went away (`sanshi verify ... | head`): stop quietly, as Click does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(1) from None
    except Exception as exc:
        said = _os_error(exc) if isinstance(exc, OSError) else None
        if said is not None:
            from sanshi.writers.tty import message, message_width

            _err(message("错误:", said, message_width()))
            raise typer.Exit(2) from None
        if os.environ.get("SANSHI_DEBUG"):
            traceback.print_exc()
        _err(
            "内部错误:sanshi 出现了未预料的问题,这不是您的数据的问题。请设置环境变量 SANSHI_DEBUG=1 重新运行,"
            "并把输出和输入文件(注意去除个人信息)报告给维护人员。"
        )
        raise typer.Exit(1) from None


def _os_error(exc: OSError) -> str | None:
    """What the user can do about a file the system would not read or write (a full disk, no permission, a
    file where a folder was named); None for an error that is not about the user's files (a bug)."""
    import errno

    where = exc.filename or "输出文件"
    said = {
        errno.EACCES: f"没有权限读写 {where}:请检查文件权限,或用 --out 另选一个可写的目录",
        errno.EPERM: f"没有权限读写 {where}:请检查文件权限,或用 --out 另选一个可写的目录",
        errno.EROFS: f"{where} 在只读的文件系统上:请用 --out 另选一个可写的目录",
        errno.ENOSPC: f"磁盘空间不足,写入 {where} 失败:请清理磁盘后重新运行(已写完的文件完整,未写完的不会留下)",
        errno.EDQUOT: f"磁盘配额已用完,写入 {where} 失败:请清理后重新运行(已写完的文件完整,未写完的不会留下)",
        errno.ENOTDIR: f"{where} 的路径中有一个是文件而不是文件夹:--out 应为文件夹",
        errno.EEXIST: f"{where} 已存在且是一个文件:--out 应为文件夹,请另给一个目录",
        errno.EISDIR: f"{where} 是一个文件夹:这里应给文件名",
        errno.ENAMETOOLONG: f"文件名太长:{where}",
    }
    return said.get(exc.errno) if exc.errno is not None else None


def _protect(*inputs: Any, db: Optional[Path] = None) -> None:
    """Name the files this run reads (workbooks, pack, aliases, templates, the history store): no output of
    the run may replace one of them, even with --force."""
    from sanshi.writers.files import protect

    flat = [p for given in inputs for p in (given if isinstance(given, (list, tuple)) else [given])]
    protect(*flat, _db_path(db))


def _no_what_if(command: str, settings: Optional[list[str]]) -> None:
    """A what-if is never a signed document: `year` and `notices`, which write documents, refuse --set."""
    if settings:
        from sanshi.errors import UsageError

        raise UsageError(
            f"sanshi {command} 生成公文,公文是正式文件,不能按测算参数(--set)生成:"
            "测算请用 awards、demotions、promotions 或 report 加 --set,结果标明「测算,非正式结果」"
        )


def _db_path(db: Optional[Path]) -> Path:
    """--db / SANSHI_DB when given, else ./sanshi.db."""
    return db if db is not None else Path(DEFAULT_DB)


def _history(db: Optional[Path]):
    from sanshi.pipeline import HistorySource

    return HistorySource(_db_path(db), explicit=db is not None)


def _warn(warnings: list[RunWarning]) -> None:
    from sanshi.writers.tty import message, message_width

    width = message_width()
    for warning in warnings:
        _err(message("提示:", warning.message, width))


@dataclass(frozen=True)
class _Listing:
    """What awards, demotions and promotions each do, by name: the pipeline function that runs the year, then
    the file, the workbook writer (sanshi.writers.xlsx), the JSON document and the terminal summary."""

    command: str
    of: str  # the pipeline function that computes the result from the year as read
    file: str  # after the year: 2023年度考核奖励结果.xlsx
    label: str
    write: str
    document: str
    summary: str


_AWARDS = _Listing(
    "awards",
    "awards_of",
    "年度考核奖励结果.xlsx",
    "结果工作簿",
    "write_awards_xlsx",
    "awards_document",
    "awards_summary",
)
_DEMOTIONS = _Listing(
    "demotions",
    "demotions_of",
    "年度能下触发名单.xlsx",
    "名单工作簿",
    "write_demotions_xlsx",
    "demotions_document",
    "demotions_summary",
)
_PROMOTIONS = _Listing(
    "promotions",
    "promotions_of",
    "年度选拔重用名单.xlsx",
    "名单工作簿",
    "write_promotions_xlsx",
    "promotions_document",
    "promotions_summary",
)


def _listing(listing: _Listing, options: dict[str, Any], **run_options: Any) -> None:
    """Run a listing command with the options as given (they are also what its manifest records; --json as
    `json`): the year with progress on stderr, then the workbook unless --json (or --unit) without --out."""
    with _user_errors():
        from sanshi import pipeline
        from sanshi.writers import json_out, terminal

        _protect(options["book"], options["rules"], options["aliases"], db=options["db"])
        fill = options["fill"]
        if fill:
            from sanshi.errors import UsageError
            from sanshi.writers.fill import check_fillable

            if options.get("unit"):
                raise UsageError("--fill 把全年结果填回工作簿,不能与 --unit 同时使用")
            if options["what_if"]:
                raise UsageError(
                    "--fill 把结果填进工作簿的副本,副本上没有标明测算的地方:不能与 --set 同时使用"
                    "(测算结果见结果工作簿,每张表首行标明「测算,非正式结果」)"
                )
            check_fillable(options["book"])
        with _Status() as status:
            given = pipeline.read_year(
                listing.command,
                options["book"],
                year=options["year"],
                rules=options["rules"],
                tie=run_options.pop("tie", None),
                history=_history(options["db"]),
                previous_year=options["previous_year"],
                aliases=options["aliases"],
                progress=status,
                what_if=options["what_if"] or (),
            )
            result = getattr(pipeline, listing.of)(given, **run_options)
        out, json_output = options["out"], options["json_output"]
        folder = out or Path(".")
        _deliver(
            result,
            json_output=json_output,
            workbook=fill or out is not None or not (json_output or options.get("unit")),
            fill=_filler(options["book"], listing.command, folder, result, given.book) if fill else None,
            path=folder / f"{result.year}{listing.file}",
            label=listing.label,
            write=listing.write,
            document=getattr(json_out, listing.document),
            summary=getattr(terminal, listing.summary),
            force=options["force"],
            command=listing.command,
            arguments={_OPTION_NAMES.get(key, key): value for key, value in options.items()},
            book=options["book"],
            rules=options["rules"],
            db=options["db"],
            aliases=options["aliases"],
        )


@dataclass(frozen=True)
class _FilledCopy:
    """The filled copy of the workbook (`--fill`): where it goes, its writer, and what the run says about it (the
    plan's notes, to which the writer adds what it finds in the workbook)."""

    path: Path
    write: Any
    notes: list[RunWarning]


def _filled_copy(book: Path, path: Path, planned, read) -> _FilledCopy:
    """`planned` (sanshi.writers.fill.FillPlan) of `book`, read as `read`, written to `path` with progress shown."""
    from sanshi.writers import fill

    notes = planned.warnings(path.name)

    def write(tmp: Path) -> None:
        with _Status() as status:
            fill.write_filled(book, read.sha256, planned, tmp, status, notes, path.name)

    return _FilledCopy(path, write, notes)


def _filler(book: Path, command: str, folder: Path, result, read) -> _FilledCopy:
    from sanshi.writers import fill

    return _filled_copy(book, folder / fill.filled_name(book, command), fill.plan(result, read), read)


# The options whose parameter is not named as the option (a manifest records options as given).
_OPTION_NAMES = {"json_output": "json", "what_if": "set"}


class _Status:
    """One line of progress on a terminal's stderr, rewritten in place and cleared when the work is done;
    nothing at all when stderr is a pipe or a file (a log or a script reads only the results)."""

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty()
        self.label, self.total, self.done = "", 0, 0

    def __call__(self, text: str) -> None:
        if self.shown:
            sys.stderr.write(f"\r\x1b[K{text}")
            sys.stderr.flush()

    def count(self, label: str, total: int) -> "_Status":
        """Count `total` steps of `label` with `step`."""
        self.label, self.total, self.done = label, total, 0
        return self

    def step(self, steps: int = 1) -> None:
        self.done += steps
        if self.shown and (self.done == self.total or self.done % 10 == 0):
            self(f"{self.label}:{self.done}/{self.total}")

    def __enter__(self) -> "_Status":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _deliver(
    result,
    *,
    json_output: bool,
    workbook: bool,
    path: Path,
    label: str,
    write: str,
    document,
    summary,
    force: bool,
    command: str,
    arguments: dict,
    book: Path,
    rules: Optional[str],
    db: Optional[Path],
    aliases: Optional[Path] = None,
    fill: Optional[_FilledCopy] = None,
) -> None:
    """The common tail of a year's run: the workbook (and with --fill the filled copy before it) and then the
    manifest (each atomically, never over a file without --force), then JSON alone on stdout or the terminal
    summary, then the warnings on stderr.

    `write` names the function in sanshi.writers.xlsx, imported only when a workbook is written.
    """
    from sanshi.writers.json_out import dumps

    if workbook:
        from sanshi.manifest import RunRecord, manifest_path, write_outputs
        from sanshi.writers import xlsx

        record = RunRecord(
            command,
            arguments,
            result.year,
            book,
            result.source_sha256,
            rules,
            _db_path(db),
            aliases=aliases,
            read=result.read,
        )
        outputs = [(path, lambda tmp: getattr(xlsx, write)(result, tmp))]
        if fill is not None:
            outputs.insert(0, (fill.path, fill.write))
        write_outputs(record, outputs, manifest_path(path), force)
    if json_output:
        typer.echo(dumps(document(result)))
    else:
        typer.echo(summary(result))
        if workbook:
            from sanshi.writers.tty import fitted

            typer.echo("\n" + fitted(f"{label}:{path}", (str(path),)))
            if fill is not None:
                typer.echo(fitted(f"填写结果的工作簿副本:{fill.path}", (str(fill.path),)))
    _warn([*result.warnings, *(fill.notes if fill is not None else ())])


class _GreedyEarlier(Command):
    """`--earlier 2021.xlsx 2022.xlsx`: the option takes every following value up to the next option, as a
    person writes it; `--earlier 2021.xlsx --earlier 2022.xlsx` works too. BOOK comes before --earlier."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        spread, taking = [], False
        for arg in args:
            if arg == "--earlier":
                taking = True
                continue
            if arg.startswith("-"):
                taking = False
            spread += ["--earlier", arg] if taking else [arg]
        return super().parse_args(ctx, spread)


@app.command(cls=_GreedyEarlier)
def year(
    book: Path = BookArg,
    earlier: Optional[list[Path]] = typer.Option(
        None,
        "--earlier",
        metavar="文件...",
        help="以前年度的工作簿(可给多个,如 --earlier 2021.xlsx 2022.xlsx):历史库没有的年度先导入;"
        "与历史库中同一文件的跳过,不同的停止(除非加 --reimport)",
    ),
    reimport: bool = typer.Option(
        False, "--reimport", help="--earlier 的文件与历史库中该年数据不同时,导入为新版本(旧版本保留)"
    ),
    rules: Optional[str] = typer.Option(
        None, "--rules", metavar="规则包", help="含 [documents] 发文设置的本地规则包(如 sample_data/local-pack.toml)"
    ),
    out: Path = typer.Option(
        Path("."),
        "--out",
        metavar="目录",
        show_default=False,
        help="输出目录,结果写到其下的「年度考核结果/」文件夹,默认当前目录",
    ),
    templates: Optional[Path] = TemplatesOpt,
    year: Optional[int] = YearOpt,
    db: Optional[Path] = DbOpt,
    tie: Optional[Tie] = TieOpt,
    previous_year: Optional[int] = PreviousYearOpt,
    aliases: Optional[Path] = AliasesOpt,
    what_if: Optional[list[str]] = NoSetOpt,
    fill: bool = typer.Option(
        False,
        "--fill",
        help="另把评优、能下和选拔重用的结果一并填回输入工作簿的一个副本(如 2023.xlsx 的 2023-结果.xlsx,写在"
        "「年度考核结果/」文件夹中):原有内容、格式、公式不变,结果列加在各表右侧;只用于 .xlsx/.xlsm",
    ),
    force: bool = typer.Option(False, "--force", help="「年度考核结果/」文件夹已存在时,以本次结果整体替换它"),
) -> None:
    """一年的全部结果一次生成:评优与奖励、能下触发名单、选拔重用名单、年度报告和公文,写到一个文件夹,附一个运行清单。"""
    with _user_errors():
        _no_what_if("year", what_if)
        _protect(book, earlier, rules, aliases, templates, db=db)
        if fill:
            from sanshi.writers.fill import check_fillable

            check_fillable(book)
        from sanshi.documents.batch import DocFormat
        from sanshi.manifest import RunRecord
        from sanshi.pipeline import run_year
        from sanshi.writers.terminal import year_end_summary
        from sanshi.writers.year_end import write_year_end

        with _Status() as status:
            run = run_year(
                book,
                templates=templates,
                year=year,
                rules=rules,
                history=_history(db),
                tie=tie.value if tie else None,
                previous_year=previous_year,
                aliases=aliases,
                earlier_books=earlier or (),
                reimport=reimport,
                progress=status,
            )
        record = RunRecord(
            "year",
            dict(
                book=book,
                earlier=earlier,
                reimport=reimport,
                rules=rules,
                out=out,
                templates=templates,
                year=year,
                db=db,
                tie=tie,
                previous_year=previous_year,
                aliases=aliases,
                fill=fill,
                force=force,
            ),
            run.year,
            book,
            run.source_sha256,
            rules,
            _db_path(db),
            run.notices.templates,
            aliases,
            read=run.read,
        )
        files = len(run.notices.documents) * len(DocFormat)
        filled = _year_filler(book, run) if fill else None
        with _Status().count("写出结果和公文", files) as status:
            target, written = write_year_end(
                run,
                out,
                list(DocFormat),
                record,
                force=force,
                progress=status.step,
                fill=(filled.path.name, filled.write) if filled else None,
            )
        typer.echo(year_end_summary(run, str(target), written))
        _warn([*run.warnings, *(filled.notes if filled else ())])


def _year_filler(book: Path, run) -> _FilledCopy:
    """`year --fill`: one copy with the three results, named in the year's folder."""
    from sanshi.writers import fill

    planned = fill.year_plan(run.awards, run.demotions, run.promotions, run.book)
    return _filled_copy(book, Path(fill.filled_name(book, "year")), planned, run.book)


@app.command(cls=Command)
def awards(
    book: Path = BookArg,
    year: Optional[int] = YearOpt,
    rules: Optional[str] = RulesOpt,
    db: Optional[Path] = DbOpt,
    out: Optional[Path] = typer.Option(
        None, "--out", metavar="目录", help="结果工作簿的输出目录,默认当前目录;用 --json 时只有指定 --out 才写工作簿"
    ),
    json_output: bool = JsonOpt,
    tie: Optional[Tie] = TieOpt,
    previous_year: Optional[int] = PreviousYearOpt,
    aliases: Optional[Path] = AliasesOpt,
    what_if: Optional[list[str]] = SetOpt,
    fill: bool = _fill_option("2023-奖励结果.xlsx"),
    force: bool = ForceOpt,
) -> None:
    """年度评优与奖励:35%优秀单位、干部优秀名额、县域监测奖励、脱贫攻坚奖励、个人考核奖金。"""
    _listing(_AWARDS, dict(locals()), tie=tie.value if tie else None)


@app.command(cls=Command)
def demotions(
    book: Path = BookArg,
    year: Optional[int] = YearOpt,
    rules: Optional[str] = RulesOpt,
    db: Optional[Path] = DbOpt,
    out: Optional[Path] = typer.Option(
        None,
        "--out",
        metavar="目录",
        help="名单工作簿的输出目录,默认当前目录;用 --json 或 --unit 时只有指定 --out 才写工作簿",
    ),
    json_output: bool = JsonOpt,
    unit: Optional[str] = typer.Option(
        None, "--unit", metavar="单位", help="只显示一个单位的触发情形及依据(仍按全年数据判定)"
    ),
    previous_year: Optional[int] = PreviousYearOpt,
    aliases: Optional[Path] = AliasesOpt,
    what_if: Optional[list[str]] = SetOpt,
    fill: bool = _fill_option("2023-能下结果.xlsx"),
    force: bool = ForceOpt,
) -> None:
    """能下触发名单:依据目标责任考核、民主测评、年度考核、县域监测、脱贫攻坚结果和责任认定,含容错免责、未能判定和影响期。"""
    _listing(_DEMOTIONS, dict(locals()), unit=unit)


@app.command(cls=Command)
def promotions(
    book: Path = BookArg,
    year: Optional[int] = YearOpt,
    rules: Optional[str] = RulesOpt,
    db: Optional[Path] = DbOpt,
    out: Optional[Path] = typer.Option(
        None, "--out", metavar="目录", help="名单工作簿的输出目录,默认当前目录;用 --json 时只有指定 --out 才写工作簿"
    ),
    json_output: bool = JsonOpt,
    tie: Optional[Tie] = typer.Option(
        None,
        "--tie",
        metavar="error|include|exclude",
        help="本年目标责任考核名额线得分并列且无排序列时:error 停止(默认)、include、exclude",
    ),
    previous_year: Optional[int] = PreviousYearOpt,
    aliases: Optional[Path] = AliasesOpt,
    what_if: Optional[list[str]] = SetOpt,
    fill: bool = _fill_option("2023-选拔重用结果.xlsx"),
    force: bool = ForceOpt,
) -> None:
    """选拔重用名单(鼓励激励办法第七条):连续三年优秀干部、连续三年优秀单位、优秀县(市、区)党政正职;影响期和能下情形者不列入。"""
    _listing(_PROMOTIONS, dict(locals()), tie=tie.value if tie else None)


@app.command(cls=Command)
def report(
    book: Path = BookArg,
    year: Optional[int] = YearOpt,
    rules: Optional[str] = RulesOpt,
    db: Optional[Path] = DbOpt,
    out: Optional[Path] = typer.Option(None, "--out", metavar="目录", help="报告的输出目录,默认当前目录"),
    tie: Optional[Tie] = TieOpt,
    previous_year: Optional[int] = PreviousYearOpt,
    aliases: Optional[Path] = AliasesOpt,
    what_if: Optional[list[str]] = SetOpt,
    compare: Optional[Path] = typer.Option(
        None,
        "--compare",
        metavar="OLD",
        help="同一年度的早先版本(如公示版工作簿):报告增加「与公示版相比的变化」一节,列出结果变化和背后的输入单元格",
    ),
    force: bool = ForceOpt,
) -> None:
    """年度考核结果报告:一个自含的 HTML 文件(图表和数据表,无需联网,可投影、可按 A4 打印)。"""
    with _user_errors():
        _protect(book, compare, rules, aliases, db=db)
        from sanshi.manifest import RunRecord, manifest_path, write_outputs
        from sanshi.pipeline import run_report
        from sanshi.writers.report_html import write_report_html
        from sanshi.writers.terminal import report_summary

        with _Status() as status:
            result = run_report(
                book,
                year=year,
                rules=rules,
                history=_history(db),
                tie=tie.value if tie else None,
                previous_year=previous_year,
                aliases=aliases,
                progress=status,
                what_if=what_if or (),
                compare=compare,
            )
        path = (out or Path(".")) / f"{result.year}年度考核结果报告.html"
        record = RunRecord(
            "report",
            dict(
                book=book,
                year=year,
                rules=rules,
                db=db,
                out=out,
                tie=tie,
                previous_year=previous_year,
                aliases=aliases,
                force=force,
                set=what_if,
                compare=compare,
            ),
            result.year,
            book,
            result.source_sha256,
            rules,
            _db_path(db),
            aliases=aliases,
            read=result.read,
            compared=compare,
            compared_sha256=result.compared.old.source_sha256 if result.compared is not None else "",
        )
        write_outputs(record, [(path, lambda tmp: write_report_html(result, tmp))], manifest_path(path), force)
        typer.echo(report_summary(result, str(path)))
        _warn(result.warnings)


@app.command(cls=Command)
def explain(
    book: Path = BookArg,
    name: str = typer.Argument(..., metavar="NAME", help="单位名称,或干部姓名"),
    unit: Optional[str] = typer.Option(None, "--unit", metavar="单位", help="同名干部在几个单位时,指明哪个单位"),
    year: Optional[int] = YearOpt,
    rules: Optional[str] = RulesOpt,
    db: Optional[Path] = DbOpt,
    json_output: bool = JsonOpt,
    previous_year: Optional[int] = PreviousYearOpt,
    aliases: Optional[Path] = AliasesOpt,
) -> None:
    """说明一个单位或一名干部本年度的全部结论及依据:等次和名额测算、各项奖励的计算、能下情形及证据、容错、影响期、选拔重用。"""
    with _user_errors():
        from sanshi.pipeline import run_explain
        from sanshi.writers.json_out import dumps, explain_document
        from sanshi.writers.terminal import explain_summary

        with _Status() as status:
            result = run_explain(
                book,
                name,
                unit=unit,
                year=year,
                rules=rules,
                history=_history(db),
                previous_year=previous_year,
                aliases=aliases,
                progress=status,
            )
        typer.echo(dumps(explain_document(result)) if json_output else explain_summary(result))


class NoticeFormat(str, Enum):
    all = "all"
    docx = "docx"
    html = "html"


@app.command(cls=Command)
def notices(
    book: Optional[Path] = typer.Argument(None, metavar="BOOK", help=f"本年度考核结果工作簿({FORMATS})"),
    kind: Optional[list[str]] = typer.Option(
        None,
        "--kind",
        metavar="类型",
        help="只生成这类公文,可多次给出:公示、表彰通报、奖励资金通知、谈话通知、容错认定结果通知",
    ),
    unit: Optional[str] = typer.Option(
        None, "--unit", metavar="单位", help="只生成与这个单位有关的公文(全年性的公示、表彰通报除外)"
    ),
    fmt: NoticeFormat = typer.Option(
        NoticeFormat.all,
        "--format",
        metavar="all|docx|html",
        show_default=False,
        help="all 生成 .docx 和 .html(默认);docx 只生成 Word;html 只生成预览",
    ),
    out: Path = typer.Option(
        Path("."),
        "--out",
        metavar="目录",
        show_default=False,
        help="输出目录,公文写到其下的「年度公文/类型/」文件夹,默认当前目录",
    ),
    templates: Optional[Path] = TemplatesOpt,
    export_templates: Optional[Path] = typer.Option(
        None, "--export-templates", metavar="目录", help="把内置模板复制到这个目录供改写(已有同名文件时加 --force)"
    ),
    year: Optional[int] = YearOpt,
    rules: Optional[str] = typer.Option(
        None, "--rules", metavar="规则包", help="含 [documents] 发文设置的本地规则包(如 sample_data/local-pack.toml)"
    ),
    db: Optional[Path] = DbOpt,
    previous_year: Optional[int] = PreviousYearOpt,
    aliases: Optional[Path] = AliasesOpt,
    list_templates: bool = typer.Option(
        False, "--list-templates", help="列出各模板、所用变量和发文设置,以及各在何处使用"
    ),
    check_file: Optional[Path] = typer.Option(
        None,
        "--check",
        metavar="文件.docx|目录",
        help="检查一个 .docx(或目录下全部 .docx)是否符合 GB/T 9704 版式,含版记和红色分隔线(不生成公文)",
    ),
    what_if: Optional[list[str]] = NoSetOpt,
    force: bool = ForceOpt,
) -> None:
    """批量生成公文:公示、表彰通报、奖励资金通知、谈话通知、容错认定结果通知(.docx 按 GB/T 9704,另有 .html 预览)。"""
    with _user_errors():
        _no_what_if("notices", what_if)
        _protect(book, rules, aliases, templates, db=db)
        if check_file is not None:
            _check_layout(check_file)
            return
        if export_templates is not None:
            from sanshi.documents.render import export_templates as export

            written = export(export_templates, force)
            typer.echo(f"已把 {len(written)} 个文件导出到 {export_templates}:改好后用 --templates {export_templates}")
            return
        if list_templates:
            _list_templates(templates, rules)
            return
        if book is None:
            from sanshi.errors import UsageError

            raise UsageError(
                "请给出工作簿,例如 sanshi notices sample_data/2023.xlsx --rules sample_data/local-pack.toml"
            )
        from sanshi.documents.batch import DocFormat, write
        from sanshi.manifest import RunRecord
        from sanshi.pipeline import run_notices
        from sanshi.writers.terminal import notices_summary

        with _Status() as status:
            batch = run_notices(
                book,
                templates=templates,
                year=year,
                rules=rules,
                history=_history(db),
                previous_year=previous_year,
                kinds=tuple(kind or ()),
                unit=unit,
                aliases=aliases,
                progress=status,
            )
        formats = list(DocFormat) if fmt is NoticeFormat.all else [DocFormat(fmt.value)]
        files = len(batch.documents) * len(formats)
        record = RunRecord(
            "notices",
            dict(
                book=book,
                kind=kind,
                unit=unit,
                format=fmt,
                out=out,
                templates=templates,
                year=year,
                rules=rules,
                db=db,
                previous_year=previous_year,
                aliases=aliases,
                force=force,
            ),
            batch.year,
            book,
            batch.source_sha256,
            rules,
            _db_path(db),
            batch.templates,
            aliases,
            read=batch.read,
        )
        if files:
            with _Status().count("生成公文", files) as status:
                write(batch, out, formats, force=force, progress=status.step, record=record)
        counts = {k: sum(1 for d in batch.documents if d.kind == k) for k in batch.sizes}
        typer.echo(notices_summary(counts, batch.sizes, str(out / f"{batch.year}年度公文"), [f.value for f in formats]))
        _warn(batch.warnings)


def _check_layout(path: Path) -> None:
    from sanshi.documents.layout_check import check_docx
    from sanshi.errors import UsageError
    from sanshi.writers.terminal import layout_folder_report, layout_report

    if path.is_dir():
        files = sorted(p for p in path.rglob("*.docx") if not p.name.startswith((".", "~$")))
        if not files:
            raise UsageError(f"--check {path}:目录中没有 .docx 文件")
        reports = [(f.relative_to(path).as_posix(), check_docx(f).problems) for f in files]
        typer.echo(layout_folder_report(str(path), reports))
        if any(problems for _, problems in reports):
            raise typer.Exit(2)
        return
    report = check_docx(path)
    typer.echo(layout_report(str(path), report.measurements, report.problems))
    if not report.ok:
        raise typer.Exit(2)


def _list_templates(folder: Optional[Path], rules: Optional[str]) -> None:
    from sanshi.documents.render import catalog
    from sanshi.rules.params import load_pack
    from sanshi.writers.terminal import templates_listing

    typer.echo(f"改写模板目录:{folder}(其中没有的用内置模板)\n" if folder else "模板:内置\n")
    typer.echo(templates_listing(catalog(folder, load_pack(rules) if rules else None)))


@app.command(cls=Command)
def check(
    book: Path = typer.Argument(..., metavar="BOOK", help=f"要检查的工作簿({FORMATS})"),
    year: Optional[int] = YearOpt,
    rules: Optional[str] = RulesOpt,
    db: Optional[Path] = DbOpt,
    templates: Optional[Path] = TemplatesOpt,
    tie: Optional[Tie] = TieOpt,
    previous_year: Optional[int] = PreviousYearOpt,
    aliases: Optional[Path] = AliasesOpt,
) -> None:
    """只检查:按各命令的规则试算一遍,一次列出任何命令会停下的全部问题(单元格、名额线并列、与历史库不一致、缺少的设置),不写文件。"""
    with _user_errors():
        from sanshi.pipeline import check_year

        with _Status() as status:
            report = check_year(
                book,
                templates=templates,
                year=year,
                rules=rules,
                history=_history(db),
                tie=tie.value if tie else None,
                previous_year=previous_year,
                aliases=aliases,
                progress=status,
            )
        typer.echo(f"{report.book.source}:检查通过({report.year}年度,规则包 {report.pack.label})")
        for name, table in report.book.tables.items():
            typer.echo(f"  {name}:{len(table.rows)} 行")
        tried = (
            "awards、demotions、promotions、report 和 notices"
            if report.pack.documents
            else "awards、demotions、promotions 和 report"
        )
        typer.echo(f"已按 {tried} 的规则试算,没有会使它们停下的问题")
        _warn(report.warnings)


@app.command(cls=Command)
def template(
    path: Path = typer.Argument(
        Path("考核数据模板.xlsx"),
        metavar="PATH",
        show_default=False,
        help="空白模板的保存路径,默认 ./考核数据模板.xlsx",
    ),
    force: bool = ForceOpt,
) -> None:
    """生成空白输入工作簿:表头、下拉选项和填表说明。"""
    with _user_errors():
        from sanshi.writers.files import atomic_write, check_free
        from sanshi.writers.template_book import write_template

        if str(path) in ("", ".") or path.is_dir():
            from sanshi.errors import UsageError

            raise UsageError(f"PATH 应为要生成的 .xlsx 文件名(如 考核数据模板.xlsx),「{path}」是一个文件夹")
        # A blank form has no inputs and no results to vouch for: no manifest beside it.
        check_free([path], force, elsewhere="另给一个文件名")
        atomic_write(path, write_template, force)
        typer.echo(f"已生成空白模板:{path}")


@app.command(cls=Command)
def verify(
    manifest: Path = typer.Argument(
        ..., metavar="MANIFEST", help="运行清单:结果工作簿旁的 .manifest.json,或「年度公文」文件夹中的 manifest.json"
    ),
) -> None:
    """按运行清单核对输出和输入:重新计算每个文件的 SHA-256,列出一致、已改动、缺失;有不一致时退出码为 2。"""
    with _user_errors():
        from sanshi.manifest import VerifyError, verify as verify_manifest
        from sanshi.writers.terminal import verify_listing

        report = verify_manifest(manifest)
        typer.echo(f"清单:{manifest}({report.run})\n")
        typer.echo(verify_listing(report.checks))
        outputs = sum(1 for c in report.checks if c.output)
        _warn(report.not_found)
        if report.problems:
            raise VerifyError(*report.problems)
        typer.echo(f"\n核对通过:{outputs} 个输出文件和找到的输入均与清单一致")


# `diff --exit-code`: changes found, as `git diff --exit-code` says it; 1 is otherwise a bug, which says so on stderr.
DIFF_CHANGED_EXIT = 1
DIFF_FILE = "年度考核结果变化对照.xlsx"


@app.command(cls=Command)
def diff(
    old: Optional[Path] = typer.Argument(
        None, metavar="OLD", help=f"原版本工作簿,如公示版 2023-公示.xlsx({FORMATS});用 --history 时不给"
    ),
    new: Optional[Path] = typer.Argument(
        None,
        metavar="NEW",
        help="现版本工作簿,同一年度,如定稿的 2023.xlsx;只给一个工作簿并加 --set 时,比较规则包原参数与测算参数",
    ),
    year: Optional[int] = YearOpt,
    stored_year: Optional[int] = typer.Option(
        None,
        "--history",
        metavar="年度",
        help="比较历史库中该年度的两个版本(不给工作簿),默认最后导入的两版,如 --history 2023",
        **YEAR_RANGE,
    ),
    revisions: Optional[list[int]] = typer.Option(
        None,
        "--revision",
        metavar="版本号",
        help="与 --history 同用:给两次为原版本、现版本(如 --revision 1 --revision 3),给一次则与当前版本比较",
        **REVISION_RANGE,
    ),
    rules: Optional[str] = RulesOpt,
    db: Optional[Path] = DbOpt,
    json_output: bool = JsonOpt,
    exit_code: bool = typer.Option(
        False,
        "--exit-code",
        help="计算结果有变化时以退出码 1 结束(同 git diff --exit-code),没有变化时为 0;输入或用法有误仍为 2",
    ),
    tie: Optional[Tie] = TieOpt,
    previous_year: Optional[int] = PreviousYearOpt,
    aliases: Optional[Path] = AliasesOpt,
    what_if: Optional[list[str]] = typer.Option(
        None,
        "--set",
        metavar="参数=取值",
        help="测算:现版本按改动的参数计算(可多次给出,如 --set target.excellent_ratio=30%);只给一个工作簿时,"
        "比较规则包原参数与测算参数在同一数据上的结果;输出标明「测算,非正式结果」",
    ),
    out: Optional[Path] = typer.Option(
        None,
        "--out",
        metavar="目录",
        help="把变化对照工作簿(如 2023年度考核结果变化对照.xlsx)和运行清单写到该目录;不给则只在终端输出",
    ),
    force: bool = ForceOpt,
) -> None:
    """同一年度两个版本的结果对照(如公示版与定稿):按同一规则包分别计算,列出优秀单位和等次、奖励金额、干部优秀名额、能下情形、影响期、选拔重用名单的变化,每处变化附上引起它的输入单元格(原值 → 现值),以及合计的前后对比。

    只给一个工作簿并加 --set:同一数据按规则包原参数和测算参数各算一遍(如 35% 改为 30% 会怎样)。

    --history 年度:比较历史库中该年度导入过的两个版本(如公示版导入后又导入了定稿)。
    """
    with _user_errors():
        from sanshi.pipeline import DiffSide, load_rules, run_diff
        from sanshi.rules.params import apply_settings
        from sanshi.writers.json_out import diff_document, dumps
        from sanshi.writers.terminal import diff_summary

        _protect(old, new, rules, aliases, db=db)
        _diff_usage(old, new, stored_year, year, revisions or [], bool(what_if))
        the_year = stored_year if stored_year is not None else year  # --history names the year
        sides = [DiffSide(old, rules), DiffSide(new or old, rules)]
        if stored_year is not None:
            from sanshi.pipeline import diff_revisions

            before, after = diff_revisions(_history(db), stored_year, revisions or [])
            sides = [DiffSide(None, rules, revision=before), DiffSide(None, rules, revision=after)]
        if what_if:
            shipped = load_rules(rules, sides[1].year(the_year))
            # One workbook: OLD is it under the shipped pack; otherwise OLD reads --rules as NEW does.
            sides = [
                replace(sides[0], pack=shipped if new is None and old is not None else None),
                replace(sides[1], pack=apply_settings(shipped, what_if)),
            ]
        with _Status() as status:
            result = run_diff(
                *sides,
                year=the_year,
                history=_history(db),
                tie=tie.value if tie else None,
                previous_year=previous_year,
                aliases=aliases,
                progress=status,
            )
        path = out / f"{result.year}{DIFF_FILE}" if out is not None else None
        if path is not None:
            from sanshi.manifest import RunRecord, manifest_path, write_outputs
            from sanshi.writers.xlsx import write_diff_xlsx

            arguments = dict(
                old=old,
                new=new,
                year=year,
                history=stored_year,
                revision=revisions,
                rules=rules,
                db=db,
                json=json_output,
                exit_code=exit_code,
                tie=tie,
                previous_year=previous_year,
                aliases=aliases,
                set=what_if,
                out=out,
                force=force,
            )
            # NEW is the run's workbook; OLD (when it is another file) is the compared one.
            record = RunRecord(
                "diff",
                arguments,
                result.year,
                new or old,
                result.new.source_sha256,
                rules,
                _db_path(db),
                aliases=aliases,
                compared=old if new is not None else None,
                compared_sha256=result.old.source_sha256 if new is not None else "",
                read=result.read,
            )
            write_outputs(record, [(path, lambda tmp: write_diff_xlsx(result, tmp))], manifest_path(path), force)
        typer.echo(dumps(diff_document(result)) if json_output else diff_summary(result))
        if path is not None and not json_output:
            from sanshi.writers.tty import fitted

            typer.echo("\n" + fitted(f"变化对照:{path}", (str(path),)))
        _warn(result.warnings)
    if exit_code and result.changed:
        _err(f"提示:计算结果有 {len(result.changes)} 处变化,按 --exit-code 以退出码 {DIFF_CHANGED_EXIT} 结束")
        raise typer.Exit(DIFF_CHANGED_EXIT)


def _diff_usage(
    old: Optional[Path],
    new: Optional[Path],
    stored_year: Optional[int],
    year: Optional[int],
    revisions: list[int],
    what_if: bool,
) -> None:
    """What diff was given makes one of its three forms (two workbooks, one with --set, --history), or says which."""
    from sanshi.errors import UsageError

    if stored_year is not None:
        if old is not None:
            raise UsageError(
                "--history 比较的是历史库中的两个版本,不再给工作簿:去掉工作簿(sanshi diff --history 2023),"
                "或去掉 --history 比较两个工作簿"
            )
        if year is not None and year != stored_year:
            raise UsageError(f"--year {year} 与 --history {stored_year} 不一致:--history 已给出年度,请去掉 --year")
        return
    if revisions:
        raise UsageError("--revision 只与 --history 同用,如 sanshi diff --history 2023 --revision 1 --revision 3")
    if old is None or (new is None and not what_if):
        raise UsageError(
            "diff 需要两个工作簿(如 sanshi diff 2023-公示.xlsx 2023.xlsx)、一个工作簿加 --set"
            "(如 sanshi diff 2023.xlsx --set target.excellent_ratio=30%),或 --history 年度(比较历史库中的两个版本)"
        )


@rules_app.command("show", cls=Command)
def rules_show(
    rules: Optional[str] = RulesOpt,
    year: Optional[int] = typer.Option(None, "--year", metavar="年度", help="显示该年度施行的内置规则包", **YEAR_RANGE),
    json_output: bool = JsonOpt,
) -> None:
    """显示规则包的每个参数、取值和所依据的条款。"""
    with _user_errors():
        from sanshi.rules.params import load_pack

        pack = load_pack(rules, year)
        if json_output:
            import json

            from sanshi.writers.json_out import rules_document

            typer.echo(json.dumps(rules_document(pack), ensure_ascii=False, indent=2))
        else:
            from sanshi.writers.terminal import rules_table

            typer.echo(rules_table(pack))


@rules_app.command("diff", cls=Command)
def rules_diff(
    a: str = typer.Argument(..., metavar="A", help="规则包:内置名称(如 shaanxi-2016)或本地 TOML 文件"),
    b: str = typer.Argument(..., metavar="B", help="与之比较的规则包:内置名称(如 shaanxi-2018)或本地 TOML 文件"),
    json_output: bool = JsonOpt,
) -> None:
    """列出两个规则包取值不同的参数:参数、含义、两边的取值,条款不同时列出两边的条款;没有不同时也说明。"""
    with _user_errors():
        from sanshi.rules.params import diff_packs, load_pack

        diff = diff_packs(load_pack(a), load_pack(b))
        if json_output:
            from sanshi.writers.json_out import dumps, rules_diff_document

            typer.echo(dumps(rules_diff_document(diff)))
        else:
            from sanshi.writers.terminal import rules_diff_table

            typer.echo(rules_diff_table(diff))


@history_app.command("import", cls=Command)
def history_import(
    book: Path = typer.Argument(..., metavar="BOOK", help=f"某年度的考核结果工作簿({FORMATS})"),
    year: Optional[int] = YearOpt,
    db: Optional[Path] = DbOpt,
) -> None:
    """把一个年度的工作簿存入历史库;重新导入时保留旧版本。"""
    with _user_errors():
        from sanshi.pipeline import import_year

        target = _db_path(db)
        with _Status() as status:
            outcome = import_year(book, target, year, progress=status)
        if outcome.unchanged:
            typer.echo(f"{outcome.year}年:与历史库当前版本(第{outcome.revision}版)是同一文件,未重复导入")
        elif outcome.replaced:
            typer.echo(
                f"{outcome.year}年:已导入为第{outcome.revision}版,取代第{outcome.replaced.revision}版"
                f"(旧版本保留在 {target})"
            )
        else:
            typer.echo(f"{outcome.year}年:已导入 {target}(第{outcome.revision}版)")
        _warn(list(outcome.warnings))


@history_app.command("list", cls=Command)
def history_list(db: Optional[Path] = DbOpt) -> None:
    """列出历史库中的年度和各版本。"""
    with _user_errors():
        from sanshi.pipeline import history_revisions
        from sanshi.writers.terminal import history_listing

        revisions = history_revisions(_db_path(db))
        if not revisions:
            typer.echo("历史库为空:用 sanshi history import 导入年度数据")
            return
        typer.echo(history_listing(revisions))


@history_app.command("show", cls=Command)
def history_show(
    year: int = typer.Argument(..., metavar="YEAR", help="年度", **YEAR_RANGE),
    revision: Optional[int] = typer.Option(
        None, "--revision", metavar="版本号", help="版本号,默认当前版本", **REVISION_RANGE
    ),
    db: Optional[Path] = DbOpt,
) -> None:
    """查看某年度在历史库中的数据概况。"""
    with _user_errors():
        from sanshi.pipeline import history_year
        from sanshi.writers.terminal import history_year_text

        info, tables = history_year(_db_path(db), year, revision)
        typer.echo(history_year_text(year, info, tables))


@history_app.command("frame", cls=Command)
def history_frame(
    year: int = typer.Argument(..., metavar="YEAR", help="年度", **YEAR_RANGE),
    sheet: str = typer.Argument(..., metavar="工作表", help="表名,如 目标责任考核、县域监测、干部"),
    revision: Optional[int] = typer.Option(
        None, "--revision", metavar="版本号", help="版本号,默认当前版本", **REVISION_RANGE
    ),
    csv: Optional[Path] = typer.Option(
        None, "--csv", metavar="文件", help="把整张表写成 CSV(UTF-8 带 BOM,Excel/WPS 可直接打开),不在终端列出"
    ),
    db: Optional[Path] = DbOpt,
    force: bool = ForceOpt,
) -> None:
    """历史库中某年度的一张表,由 pandas 读成 DataFrame:在终端列出(行多时只列首尾),或用 --csv 写成文件。"""
    with _user_errors():
        from sanshi.errors import UsageError
        from sanshi.inputs.normalize import header_key
        from sanshi.inputs.schema import SHEETS

        spec = next((s for s in SHEETS if header_key(s.name) == header_key(sheet)), None)
        if spec is None:
            raise UsageError(f"没有「{sheet}」表;可选:{'、'.join(s.name for s in SHEETS)}")
        _protect(db=db)
        if csv is not None:
            from sanshi.writers.files import check_free

            check_free([csv], force, "用 --csv 另给文件名")
        from sanshi.api import history_frame as stored_frame
        from sanshi.writers import frames

        frame = stored_frame(year, spec.name, db=_db_path(db), revision=revision)
        if len(frame.columns) == 0:  # the year has no such sheet
            raise UsageError(f"历史库中{year}年{'第' + str(revision) + '版' if revision else ''}没有「{spec.name}」表")
        if csv is None:
            typer.echo(frames.frame_text(frame))
        else:
            from sanshi.writers.files import atomic_write

            atomic_write(csv, lambda tmp: frames.write_csv(frame, tmp), force)
            typer.echo(f"{year}年「{spec.name}」{len(frame)} 行已写到 {csv}")


@history_app.command("verify", cls=Command)
def history_verify(db: Optional[Path] = DbOpt) -> None:
    """检查历史库是否完好;有问题时逐条列出,退出码为 2。

    检查 SQLite 完整性和外键、每张表内容的 SHA-256、每年版本号连续且只有一个当前版本、版本哈希链。
    """
    with _user_errors():
        from sanshi.errors import HistoryError
        from sanshi.pipeline import verify_history

        target = _db_path(db)
        report = verify_history(target)
        if not report.ok:
            _err(f"历史库 {target} 检查发现 {len(report.problems)} 处问题:")
            raise HistoryError(*report.problems)
        typer.echo(f"历史库 {target} 检查通过:")
        typer.echo("  SQLite 完整性检查:通过;外键检查:通过")
        typer.echo(
            f"  {report.years} 个年度、{report.revisions} 个版本、{report.sheets} 张工作表:内容与 SHA-256 一致,均可读取"
        )
        typer.echo("  版本链:完整(每年版本号连续、只有一个当前版本,链哈希一致)")


@history_app.command("export", cls=Command)
def history_export(
    out: Path = typer.Argument(..., metavar="OUT", help="导出的工作簿(.xlsx)"),
    db: Optional[Path] = DbOpt,
    year: Optional[int] = typer.Option(
        None, "--year", metavar="年度", help="只导出这一年度;默认导出所有年度", **YEAR_RANGE
    ),
    all_revisions: bool = typer.Option(False, "--all-revisions", help="导出所有版本,不只是当前版本"),
    force: bool = ForceOpt,
) -> None:
    """把历史库中的数据导出为工作簿。

    每个年度(及版本)的每张表一个工作表,用原中文表头,另附“版本”表;只导出一个版本时可再用 history import 导入。
    """
    with _user_errors():
        _protect(db=db)
        from sanshi.pipeline import stored_revisions
        from sanshi.writers.files import atomic_write, check_free
        from sanshi.writers.history_xlsx import write_history_xlsx

        check_free([out], force, elsewhere="另给一个文件名")  # before reading the store: refused at once
        stored = stored_revisions(_db_path(db), year, all_revisions)
        atomic_write(out, lambda tmp: write_history_xlsx(stored, tmp, all_revisions), force)
        years = "、".join(sorted({str(r.year) for r, _ in stored}))
        typer.echo(f"已导出 {years} 年共 {len(stored)} 个版本到 {out}")


def _version(value: bool) -> None:
    if value:
        from sanshi import __version__
        from sanshi.rules.params import builtin_names, load_pack
        from sanshi.rules.impact import chinese_date

        lines = [f"sanshi {__version__}", "内置规则包(按考核年度自动选用当年12月31日前已施行的最新一个):"]
        for name in builtin_names():
            pack = load_pack(name)
            since = f"{chinese_date(pack.effective_from)}起施行" if pack.effective_from else "施行日期未定"
            lines.append(f"  {name}  {since}  {pack.title}")
        typer.echo("\n".join(lines))
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本和内置规则包"),
) -> None:
    """三项机制:把年度考核结果变成奖励名单、奖金和公文。"""


def console_streams(*streams: object) -> None:
    """Standard output and error that can write every character sanshi prints. A console or file in the GBK
    code page (cp936: Chinese Windows, output redirected to a file) cannot hold a rare character of a name
    (𠮷) and Python would stop with UnicodeEncodeError: GBK streams write GB18030 instead, which is GBK for
    every character GBK has and spells out the others; any other encoding without all of Unicode writes
    what it cannot hold as \\u escapes."""
    for stream in streams:
        encoding = getattr(stream, "encoding", None)
        if not encoding or not hasattr(stream, "reconfigure"):
            continue
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            continue
        if name in ("gbk", "gb2312"):
            stream.reconfigure(encoding="gb18030")
        elif not name.startswith("utf"):
            stream.reconfigure(errors="backslashreplace")


def main() -> None:
    console_streams(sys.stdout, sys.stderr)
    # One run, then exit: what a run builds (a national year's cells, records and rows, millions of objects)
    # holds no reference cycles, yet the cyclic collector would walk all of it again every few thousand
    # allocations, about a second of a national demotions run. Memory is freed by reference counting as before.
    gc.disable()
    app(prog_name="sanshi")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
