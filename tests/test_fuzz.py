"""Damaged workbooks through the real CLI: the same result, or exit 2 naming the cell.

A clean 2023 workbook (2022 in the history store) is damaged at random by `tests/damage.py` and
run through awards, demotions and promotions (--json --out), check and history import.

- Harmless damage (README「输入」: title rows, stray spaces and full-width forms in names, headers and
  choices, numbers and dates stored as text, extra and blank columns, blank rows, other column,
  row and tab orders, unknown tabs) must give exactly the clean result: the same JSON (less the
  input file's name and hash), the same output workbooks cell by cell, the same stored rows.
- Harmful damage (a blank required cell, junk or an Excel error value in a number, a bad count,
  名次, choice or date, a duplicated unit, 干部编号, header or 名次, a missing required column,
  总票数 short of the votes, merged body cells, an unsaved formula, a table on two tabs, a hidden
  or renamed tab) must stop every command with exit 2 and a line naming the sheet and the cell
  (or header row, or tab) and the column; nothing on stdout, no file written, no history store
  created; never a traceback (exit 1, 内部错误).

The bugs the fuzzing found are regression tests at the end of this file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, note, reject, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.history.store import HistoryStore
from tests import damage
from tests.profiles import examples

pytestmark = pytest.mark.slow  # hundreds of damaged workbooks through every command

runner = CliRunner()
# FUZZ_NO_SHRINK=1 reports the first failing example as found (shrinking a workbook can take minutes).
PHASES = [p for p in Phase if not (os.environ.get("FUZZ_NO_SHRINK") and p is Phase.shrink)]
DEBUG = {"SANSHI_DEBUG": "1"}  # an internal error prints its traceback, for the report


def fuzz(count: int) -> settings:
    """Hypothesis settings of this file: a harmless example takes ~0.25 s (five runs), a harmful one less.
    `--hypothesis-profile=fuzz` hunts ten times longer, at random."""
    return settings(
        max_examples=examples(count),
        deadline=None,
        phases=PHASES,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
    )


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], env=DEBUG)


@dataclass
class Run:
    """The outcome of every command on one workbook, the files written and what history import stored."""

    results: dict
    written: list[str]
    outputs: dict  # output workbook name -> {sheet: rows}
    stored: dict  # what history import stored: {sheet: rows as dicts}


def run(book: damage.Book, root: Path, db: Path) -> Run:
    """Save the workbook in a folder of its own under root and run every command on it; remove the folder."""
    folder = Path(tempfile.mkdtemp(dir=root))
    try:
        path = folder / "2023.xlsx"
        book.save(path)
        out = folder / "out"
        results = {
            "awards": invoke("awards", path, "--json", "--db", db, "--out", out),
            "demotions": invoke("demotions", path, "--json", "--db", db, "--out", out),
            "promotions": invoke("promotions", path, "--json", "--db", db, "--out", out),
            "check": invoke("check", path, "--db", db),
            # Into a store of its own: a workbook that fails must not create or change one.
            "history import": invoke("history", "import", path, "--db", out / "fresh.db"),
        }
        files = sorted(p for p in out.rglob("*") if p.is_file()) if out.exists() else []
        outputs = {p.name: _cells(p) for p in files if p.suffix == ".xlsx"}
        stored = {}
        if (out / "fresh.db").exists():
            with HistoryStore.open(out / "fresh.db", create=False) as store:
                stored = {name: table.rows for name, table in store.tables(2023).items()}
        return Run(results, [p.name for p in files], outputs, stored)
    finally:
        shutil.rmtree(folder)


def _cells(path: Path) -> dict[str, list[list]]:
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


_NAME_RUN = re.compile(r"[^、\s,,:;:;()()「」]+(?:、[^、\s,,:;:;()()「」]+)+")


def _comparable(document, shuffled: bool):
    """A JSON result without what names the input file. When the input rows were shuffled, lists are
    sorted, and so are runs of names in a text (甲县、乙县 没有...): output may follow the input's row
    order, its content may not change."""
    if isinstance(document, str) and shuffled:
        return _NAME_RUN.sub(lambda m: "、".join(sorted(m.group(0).split("、"))), document)
    if isinstance(document, dict):
        return {k: _comparable(v, shuffled) for k, v in document.items() if k != "source"}
    if isinstance(document, list):
        items = [_comparable(v, shuffled) for v in document]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)) if shuffled else items
    return document


def _plain(value):
    """Stored rows as JSON-like values (a Decimal by its value: 85.0 is 85; a date as text), to compare and sort."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value if value is None or isinstance(value, (str, int, bool)) else str(value)


def differences(got, want, path: str = "") -> list[str]:
    """Where two JSON values differ, as short lines (the assertion message of a failed comparison)."""
    if isinstance(got, dict) and isinstance(want, dict):
        return [
            line
            for key in sorted(set(got) | set(want), key=str)
            for line in differences(got.get(key), want.get(key), f"{path}.{key}")
        ]
    if isinstance(got, list) and isinstance(want, list):
        if len(got) == len(want):
            return [line for i, (g, w) in enumerate(zip(got, want)) for line in differences(g, w, f"{path}[{i}]")]
        extra = [g for g in got if g not in want]
        lost = [w for w in want if w not in got]
        return [f"{path}: {len(got)} items, clean has {len(want)}; extra {extra[:3]}; missing {lost[:3]}"]
    return [] if got == want else [f"{path}: {got!r} (clean: {want!r})"]


def _rows(sheets: dict, shuffled: bool) -> dict:
    """An output workbook's cells without the input file's hash. When the input rows were shuffled, rows
    are sorted, their texts made comparable, and the numbering of 提示1, 提示2 ... dropped."""
    sheets = {name: [row for row in rows if not (row and "SHA-256" in str(row[0]))] for name, rows in sheets.items()}
    if not shuffled:
        return sheets

    def cell(value):
        return re.sub(r"^提示\d+$", "提示", _comparable(value, True)) if isinstance(value, str) else value

    return {
        name: [rows[0], *sorted(([cell(v) for v in row] for row in rows[1:]), key=repr)] if rows else rows
        for name, rows in sheets.items()
    }


class World:
    """The history store, and the clean workbook's run (a plain class: hypothesis prints it short)."""

    def __init__(self, root: Path, db: Path, clean: Run) -> None:
        self.root, self.db, self.clean = root, db, clean

    def __repr__(self) -> str:
        return "World(...)"


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    """History with 2022, and the clean 2023 workbook's results to compare against."""
    root = tmp_path_factory.mktemp("fuzz")
    db = root / "history.db"
    damage.clean_book(2022).save(root / "2022.xlsx")
    imported = invoke("history", "import", root / "2022.xlsx", "--db", db)
    assert imported.exit_code == 0, imported.output
    clean = run(damage.clean_book(), root, db)
    for name, result in clean.results.items():
        assert result.exit_code == 0, f"clean workbook, {name}: {result.stderr}"
    assert len(clean.outputs) == 3 and clean.stored, clean.written
    return World(root, db, clean)


def test_the_clean_workbook_exercises_the_rules(world):
    """The base is only worth fuzzing if its result has something in every list."""
    awards = json.loads(world.clean.results["awards"].stdout)
    demotions = json.loads(world.clean.results["demotions"].stdout)
    kinds = {a["award"] for a in awards["awards"]}
    assert {
        "年度目标责任考核优秀单位",
        "十强县",
        "五强区",
        "县域争先进位奖",
        "城区争先进位奖",
        "现代农业强县",
        "脱贫攻坚工作成效考核优秀单位",
    } <= kinds
    assert [u["unit"] for u in awards["target_units"] if u["excellent"]] == [
        "秦川市",
        "云岭市",
        "省财政厅",
        "省交通运输厅(省铁路办)",
    ]
    items = {(c["article"], c["item"]) for c in demotions["candidates"]}
    assert {(6, 1), (8, 1), (8, 2), (8, 3), (9, 1), (9, 2), (10, 1), (10, 2), (10, 3), (12, 1)} <= items
    assert any(c["tolerated"] for c in demotions["candidates"])
    assert demotions["impact_periods"]
    assert "检查通过" in world.clean.results["check"].stdout
    promotions = json.loads(world.clean.results["promotions"].stdout)
    assert promotions["excluded"] and promotions["county_heads"]


@fuzz(50)
@given(data=st.data())
def test_harmless_damage_gives_the_clean_result(world, data):
    book = damage.clean_book()
    applied = damage.harmless(data.draw, book, at_least=1)
    note(f"harmless: {applied}")
    outcome = run(book, world.root, world.db)
    for name, result in outcome.results.items():
        assert result.exit_code == 0, f"{name} after {applied}:\n{result.stderr}"
    for name in ("awards", "demotions", "promotions"):
        got = _comparable(json.loads(outcome.results[name].stdout), book.shuffled)
        want = _comparable(json.loads(world.clean.results[name].stdout), book.shuffled)
        assert got == want, f"{name} after {applied}:\n" + "\n".join(differences(got, want)[:12])
    assert outcome.results["check"].stdout == world.clean.results["check"].stdout
    assert outcome.written == world.clean.written
    got = _comparable(_plain(outcome.stored), book.shuffled)
    want = _comparable(_plain(world.clean.stored), book.shuffled)
    assert got == want, f"history import after {applied}:\n" + "\n".join(differences(got, want)[:12])
    for name, sheets in outcome.outputs.items():
        got, want = _rows(sheets, book.shuffled), _rows(world.clean.outputs[name], book.shuffled)
        assert got == want, f"{name} after {applied}:\n" + "\n".join(differences(got, want)[:12])


@fuzz(100)
@given(data=st.data())
def test_harmful_damage_exits_2_naming_the_cell_and_writes_nothing(world, data):
    book = damage.clean_book()
    try:
        expects = damage.harmful(data.draw, book)
    except damage.Overlap:
        reject()
    applied = damage.harmless(data.draw, book)
    note(f"harmful: {expects}\nharmless: {applied}")
    outcome = run(book, world.root, world.db)
    for name, result in outcome.results.items():
        assert "Traceback" not in result.stderr and "内部错误" not in result.stderr, f"{name}:\n{result.stderr}"
        assert result.exit_code == 2, f"{name}: exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
        assert result.stdout == "", name
        for expect in expects:
            assert expect.found_in(result.stderr), f"{name}: no line with {expect} in\n{result.stderr}"
    assert outcome.written == []


# ---------------------------------------------------------------------------------------------
# Tool bugs the fuzzing found, each as the smallest workbook that shows it: regression tests since the fixes.

CITIES = [
    ["单位", "类别", "综合得分", "排序"],
    ["甲市", "设区市", 95.5, None],
    ["乙市", "设区市", 93.5, 2],
    ["丙市", "设区市", 93.5, 1],
    ["丁市", "设区市", 90, None],
    ["戊市", "设区市", 88, None],
    ["己市", "设区市", 85, None],
]


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run where there is no ./sanshi.db (the default history store)."""
    monkeypatch.chdir(tmp_path)


def excellent(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return [u["unit"] for u in json.loads(result.stdout)["target_units"] if u["excellent"]]


def test_a_score_with_float_noise_reads_as_excel_shows_it(book, in_tmp):
    assert excellent(invoke("awards", book({"目标责任考核": CITIES}), "--json")) == ["甲市", "丙市"]
    rows = [row[:] for row in CITIES]
    rows[3][2] = 93.49999999999999  # 丙市, a weighted sum: Excel shows 93.5, tied with 乙市, 排序 1
    assert excellent(invoke("awards", book({"目标责任考核": rows}), "--json")) == ["甲市", "丙市"]


def test_a_stray_space_in_a_group_name_does_not_split_the_group(book, in_tmp):
    rows = [row[:] for row in CITIES]
    rows[4][1] = "设区 市"  # 丁市
    assert excellent(invoke("awards", book({"目标责任考核": rows}), "--json")) == ["甲市", "丙市"]


def test_no_in_the_no_excellent_column_does_not_bar_the_unit(book, in_tmp):
    rows = [["单位", "综合得分", "不得评优"], ["甲市", 95.5, "否"]] + [
        [c + "市", 90 - i, None] for i, c in enumerate("乙丙丁戊")
    ]
    result = invoke("awards", book({"目标责任考核": rows}), "--json")
    if result.exit_code == 2:  # refusing 否 is fine too, if the cell is named
        assert "目标责任考核 › C2" in result.stderr
    else:
        assert excellent(result) == ["甲市"]


@pytest.mark.parametrize("header", ["通报批评", "数字脱贫"])
def test_no_in_a_poverty_finding_column_fires_no_trigger(book, in_tmp, header):
    rows = [["单位", "综合得分", header], ["甲县", 80, "否"], ["乙县", 90, None], ["丙县", 85, None]]
    result = invoke(
        "demotions",
        book({"脱贫攻坚": rows, "干部": [["姓名", "单位", "岗位类别"], ["张三", "甲县", "主要负责人"]]}),
        "--json",
    )
    if result.exit_code == 2:
        assert "脱贫攻坚 › C2" in result.stderr
    else:
        assert result.exit_code == 0, result.stderr
        assert [c["basis"] for c in json.loads(result.stdout)["candidates"] if c["article"] == 10] == []


def test_a_padded_two_character_name_in_a_finding_is_one_person(book, in_tmp):
    path = book(
        {
            "干部": [["姓名", "单位", "职务", "岗位类别"], ["韩梅", "紫阳县", "县委书记", "主要负责人"]],
            "责任认定": [
                ["单位", "领域", "等级", "日期", "通报", "层级", "姓名", "条款"],
                ["紫阳县", "党建", "通报批评", "2023-06-16", "省委", "县", "韩\u3000梅", "(一)"],
            ],
        }
    )
    result = invoke("demotions", path, "--json")
    if result.exit_code == 2:
        assert "责任认定 › G2" in result.stderr
    else:
        assert {c["name"] for c in json.loads(result.stdout)["candidates"] if c["article"] == 6} == {"韩梅"}


def _with_control_character(path: Path, marker: str, code: str = "_x0007_") -> Path:
    """Put a control character into the workbook the way Excel stores one (_x0007_ in the XML);
    openpyxl itself refuses to write it."""
    patched = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(
                item, data.replace(marker.encode(), code.encode()) if item.filename.endswith(".xml") else data
            )
    patched.replace(path)
    return path


@pytest.mark.parametrize(
    "command, sheet, rows",
    [
        (
            "demotions",
            "责任认定",
            [
                ["单位", "领域", "等级", "日期", "层级", "说明"],
                ["甲县", "安全生产", "重大", "2023-04-12", "县", "MARK死亡12人"],
            ],
        ),
        (
            "awards",
            "目标责任考核",
            [["单位", "综合得分", "不得评优"], ["甲市", 95, "MARK一票否决"], ["乙市", 90, None]],
        ),
    ],
)
def test_a_control_character_in_a_text_cell_is_no_internal_error(book, in_tmp, tmp_path, command, sheet, rows):
    path = _with_control_character(book({sheet: rows}), "MARK")
    result = invoke(command, path, "--out", tmp_path / "out")
    assert "内部错误" not in result.stderr and result.exit_code in (0, 2), result.stderr


def test_the_order_of_finding_rows_does_not_change_the_result(book, in_tmp):
    header = ["单位", "领域", "等级", "日期", "层级"]
    first, second = ["甲县", "安全生产", "较大", "2023-04-12", "县"], ["甲县", "安全生产", "较大", "2023-09-27", "县"]
    cadres = [["姓名", "单位", "岗位类别"], ["张三", "甲县", "主要负责人"]]
    one = invoke("demotions", book({"干部": cadres, "责任认定": [header, first, second]}), "--json")
    other = invoke("demotions", book({"干部": cadres, "责任认定": [header, second, first]}), "--json")
    assert one.exit_code == other.exit_code == 0
    assert json.loads(one.stdout)["candidates"] == json.loads(other.stdout)["candidates"]


def test_a_duplicated_order_at_the_cut_names_the_order_cells(book, in_tmp):
    rows = [row[:] for row in CITIES]
    rows[2][3] = 1  # 乙市 and 丙市 tie at the cut, both 排序 1
    result = invoke("awards", book({"目标责任考核": rows}), "--json")
    assert result.exit_code == 2
    assert "目标责任考核 › D3" in result.stderr or "目标责任考核 › D4" in result.stderr, result.stderr


def test_the_reason_header_people_write_is_read_as_不得评优(book, in_tmp):
    rows = [["单位", "综合得分", "不得评优原因"], ["甲市", 95.5, "发生一票否决事项"]] + [
        [c + "市", 90 - i, None] for i, c in enumerate("乙丙丁戊")
    ]
    assert excellent(invoke("awards", book({"目标责任考核": rows}), "--json")) == ["乙市"]


def test_a_near_miss_header_of_an_optional_column_is_not_ignored_silently(book, in_tmp):
    rows = [["单位", "综合得分", "不得评优情况"], ["甲市", 95.5, "发生一票否决事项"]] + [
        [c + "市", 90 - i, None] for i, c in enumerate("乙丙丁戊")
    ]
    result = invoke("awards", book({"目标责任考核": rows}), "--json")
    assert excellent(result) == ["甲市"]  # the column is not read: it is not one sanshi knows ...
    assert (
        "2023.xlsx › 目标责任考核 › C1:列「不得评优情况」没有读取:sanshi 不认识这个表头;"
        "如它就是「不得评优」列,请把表头改为「不得评优」"
    ) in json.loads(result.stdout)["warnings"]  # ... and it says so
