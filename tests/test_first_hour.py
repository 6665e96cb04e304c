"""The rough edges a new user meets in the first hour, each through the real CLI:
local import times, a history export fed back to import, a local pack's own values marked in
`rules show`, an empty promotion list that says 无, and output piped into `head`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.rules.params import PARAMS_BY_KEY

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
PACK = SAMPLE / "local-pack.toml"


def invoke(*args, env=None):
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


@pytest.fixture
def shanghai_time(monkeypatch):
    """The machine's local time zone set to UTC+8 (and back) for this test only."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store(tmp_path):
    """A history store holding the sample years 2021 and 2022."""
    db = tmp_path / "h.db"
    for year in (2021, 2022):
        assert invoke("history", "import", SAMPLE / f"{year}.xlsx", "--db", db).exit_code == 0
    return db


def test_history_list_and_show_give_local_time_with_its_zone(store, shanghai_time):
    import sqlite3

    with sqlite3.connect(store) as connection:  # stored in UTC: 01:30 UTC is 09:30 in Shanghai
        connection.execute("UPDATE revisions SET imported_at = '2023-12-30T01:30:05+00:00' WHERE year = 2021")
    listing = invoke("history", "list", "--db", store, env={"COLUMNS": "100"})
    assert listing.exit_code == 0, listing.output
    assert "导入时间" in listing.stdout
    assert "2023-12-30 09:30:05(UTC+8)" in listing.stdout
    assert "+00:00" not in listing.stdout and "T01:30" not in listing.stdout
    shown = invoke("history", "show", "2021", "--db", store)
    assert "导入于 2023-12-30 09:30:05(UTC+8)" in shown.stdout


def test_a_multi_year_export_says_what_it_is_and_how_to_import_one_year(store, tmp_path):
    export = tmp_path / "导出.xlsx"
    assert invoke("history", "export", export, "--db", store).exit_code == 0
    result = invoke("history", "import", export, "--year", "2022", "--db", store)
    assert result.exit_code == 2
    # One message, not one per sheet.
    assert result.stderr == (
        "错误:导出.xlsx: 这是 sanshi history export 导出的工作簿,含 2 个版本(2021年第1版、2022年第1版),不是一个年度的"
        "考核数据。一次导入一个年度:先导出单个年度,如 sanshi history export 2021年.xlsx --year 2021,"
        "再 sanshi history import 2021年.xlsx\n"
    )
    # As the message says: one year exported reads back, and only as the year it holds.
    single = tmp_path / "2021年.xlsx"
    assert invoke("history", "export", single, "--year", "2021", "--db", store).exit_code == 0
    named = invoke("history", "import", single, "--year", "2022", "--db", store)
    assert named.exit_code == 2 and "--year 2022 与文件名 2021年.xlsx 中的年度 2021 不一致" in named.stderr
    unnamed = tmp_path / "单年导出.xlsx"
    unnamed.write_bytes(single.read_bytes())
    wrong = invoke("history", "import", unnamed, "--year", "2022", "--db", store)
    assert wrong.exit_code == 2
    assert "这是 sanshi history export 导出的2021年数据(见「版本」表),不能作为2022年读取" in wrong.stderr
    again = invoke("history", "import", single, "--db", store)
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("2021年:已导入为第2版,取代第1版")


def test_rules_show_marks_what_a_local_pack_sets_and_shows_its_documents():
    result = invoke("rules", "show", "--rules", PACK, env={"COLUMNS": "80"})  # one block per parameter
    assert result.exit_code == 0, result.output
    text = result.stdout
    # every parameter but the one the local pack sets (the count grows as packs gain parameters)
    assert (
        f"来源「本地」:local-pack.toml 设定的 1 项;其余 {len(PARAMS_BY_KEY) - 1} 项取自内置规则包 shaanxi-2018" in text
    )
    # The one value the sample pack sets (每人奖金金额) is the one marked 本地.
    block = text[text.index("bonus.amount_by_grade") :].split("\n\n")[0]
    assert "来源  本地" in block
    assert text.count("来源  本地") == 1
    assert "发文设置(规则包的 [documents] 部分" in text and "示例省人民政府文件" in text
    builtin = invoke("rules", "show", "--rules", "shaanxi-2018").stdout
    assert "来源  本地" not in builtin and "[documents]" not in builtin


def test_an_empty_county_head_list_says_none(book):
    """Without a 县域监测 sheet nobody can be a 7(3) 优秀县(市、区)党政正职: the section says 无, it does not vanish."""
    path = book(
        {
            "目标责任考核": [["单位", "类别", "综合得分"], ["甲市", "设区市", 95], ["乙市", "设区市", 90]],
            "干部": [["姓名", "单位", "岗位类别", "年度考核等次"], ["张三", "甲市", "主要负责人", "优秀"]],
        }
    )
    result = invoke("promotions", path)
    assert result.exit_code == 0, result.output
    assert "优秀县(市、区)党政正职(第七条第(三)项):无" in result.stdout


def test_output_piped_into_head_ends_quietly(tmp_path):
    """`sanshi rules show | head -3`: the reader goes away; no 内部错误, no traceback."""
    command = f"{sys.executable} -m sanshi rules show | head -3"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "100"},
    )
    assert len(done.stdout.splitlines()) == 3
    assert done.stderr == "", done.stderr
