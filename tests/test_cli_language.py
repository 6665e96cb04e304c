"""Everything the command line itself says is Chinese: help pages, usage lines and
usage errors, in the 错误:/提示: style of sanshi's own messages, exit code 2; through the real entry point."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.writers.wrap import display_width

# Click's and Typer's English, any of which on a user's screen is a defect.
ENGLISH = re.compile(
    r"Usage|Options|Arguments|Commands|Error|Try '|Show this|No such|Missing|Invalid value|"
    r"is not a|not one of|Got unexpected|requires an? |does not take|required\]|default:|env var|"
    r"Aborted|Did you mean|Possible options|\{\w+\}"
)


def invoke(*args: str, columns: int = 100):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns)})


def _paths(command=None, path=()):
    command = command or get_command(app)
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _paths(sub, path + (name,))


HELP_PAGES = [" ".join(p) for p in _paths()]


@pytest.mark.parametrize("path", HELP_PAGES)
@pytest.mark.parametrize("columns", [80, 200])
def test_every_help_page_is_chinese_and_fits_the_terminal(path, columns):
    result = invoke(*path.split(), "--help", columns=columns)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert not ENGLISH.search(text), ENGLISH.search(text).group(0)
    assert text.startswith(f"用法:sanshi {path}".rstrip() + " ")
    assert "显示本帮助并退出" in text
    assert all(display_width(line) <= columns for line in text.splitlines()), [
        line for line in text.splitlines() if display_width(line) > columns
    ][:2]


def test_a_book_argument_is_BOOK_and_its_help_lists_every_format():
    text = invoke("awards", "--help").stdout
    assert text.splitlines()[0] == "用法:sanshi awards [选项] BOOK"
    assert "BOOK  本年度考核结果工作簿(.xlsx/.xlsm/.xls/.ods/.csv) [必填]" in text
    assert "--year 年度" in text and "--db 文件" in text and "--tie error|include|exclude" in text
    assert invoke("notices", "--help").stdout.splitlines()[0] == "用法:sanshi notices [选项] [BOOK]"
    assert invoke("explain", "--help").stdout.splitlines()[0] == "用法:sanshi explain [选项] BOOK NAME"
    assert invoke("--help").stdout.splitlines()[0] == "用法:sanshi [选项] 命令 [参数]..."


@pytest.mark.parametrize(
    "args, said",
    [
        (["--bogus"], "错误:sanshi 没有选项 --bogus"),
        (["awards", "2023.xlsx", "--forse"], "错误:sanshi awards 没有选项 --forse;是否指 --force、--set?"),
        (["template", "x.xlsx", "--out", "d"], "错误:sanshi template 没有选项 --out"),
        (["awards"], "错误:sanshi awards 缺少参数 BOOK:本年度考核结果工作簿(.xlsx/.xlsm/.xls/.ods/.csv)"),
        (["awards", "2023.xlsx", "--year", "abc"], "错误:--year 的取值 abc 不是整数"),
        (["awards", "2023.xlsx", "--tie", "maybe"], "错误:--tie 的取值 maybe 不是可选值;可选:error、include、exclude"),
        (["notices", "2023.xlsx", "--format", "pdf"], "错误:--format 的取值 pdf 不是可选值;可选:all、docx、html"),
        (["awards", "2023.xlsx", "--year"], "错误:选项 --year 后面缺少取值"),
        (["awards", "2023.xlsx", "--json=yes"], "错误:选项 --json 不带取值,请去掉 = 及其后的内容"),
        (["awards", "2023.xlsx", "2022.xlsx"], "错误:sanshi awards 多余的参数:2022.xlsx(文件名中有空格时请加引号)"),
        (["awrds"], "错误:sanshi 没有命令 awrds;是否指 awards?"),
        (["history", "show", "二〇二二"], "错误:YEAR 的取值 二〇二二 不是整数"),
    ],
)
def test_usage_errors_are_chinese_with_exit_code_2(args, said):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == said
    assert not ENGLISH.search(result.stderr), result.stderr
    # Where the error belongs to a command, its usage line and where to read more follow.
    if len(lines) > 1:
        assert lines[1].startswith("用法:sanshi")
        assert re.fullmatch(r"提示:运行 sanshi( \w+)* --help 查看各(命令|选项)的说明", lines[2]), lines[2]


def test_a_group_without_a_command_shows_its_help():
    result = invoke("history")
    assert result.exit_code == 2
    assert result.stdout.startswith("用法:sanshi history [选项] 命令 [参数]...")
    assert "列出历史库中的年度和各版本" in result.stdout and not ENGLISH.search(result.output)


def test_the_installed_entry_point_speaks_chinese_too():
    """Not only Typer's test runner: the interpreter running sanshi as a program."""
    result = subprocess.run(
        [sys.executable, "-m", "sanshi", "awards", "--bogus"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "100"},
    )
    assert result.returncode == 2
    assert result.stderr.startswith("错误:sanshi awards 没有选项 --bogus"), result.stderr
    assert result.stdout == ""
