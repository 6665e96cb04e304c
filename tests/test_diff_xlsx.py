"""`sanshi diff OLD NEW --out DIR`: the 变化对照 workbook. The sample's 公示 version (2023-公示.xlsx) differs from
the final 2023.xlsx by three cells: 云岭市 综合得分 94.19 (final 91.49), 汤志 基本称职票 9 (final 10), and the
容错认定 row 秦组容〔2023〕7号 of 碧乐县 missing. Every expected value below is worked from those cells by hand."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from tests.conftest import SAMPLE

WIDE = {"COLUMNS": "200"}
BOOK = "2023年度考核结果变化对照.xlsx"
MANIFEST = "2023年度考核结果变化对照.manifest.json"
CHANGED = "FFFFEB9C"
HEADERS = (
    "变化",
    "单位",
    "姓名",
    "事项",
    "原结果",
    "现结果",
    "原依据",
    "现依据",
    "引起变化的输入",
    "受其影响的单位",
    "规则包参数变化",
)


def diff(*args: object):
    return CliRunner().invoke(app, ["diff", *map(str, args)], env=WIDE)


def public_diff(out: Path, db: Path, *more: object):
    return diff(
        SAMPLE / "2023-公示.xlsx",
        SAMPLE / "2023.xlsx",
        "--rules",
        SAMPLE / "local-pack.toml",
        "--db",
        db,
        "--out",
        out,
        *more,
    )


def fill(cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.fixture(scope="module")
def public(tmp_path_factory, sample_db):
    out = tmp_path_factory.mktemp("diff") / "out"
    result = public_diff(out, sample_db)
    assert result.exit_code == 0, result.output
    assert f"变化对照:{out / BOOK}" in result.stdout
    return out, openpyxl.load_workbook(out / BOOK)


def test_one_sheet_per_kind_of_result_that_changed_then_totals_and_inputs(public):
    _, book = public
    # No 脱贫攻坚, 奖励 or 影响期 result changed: 云岭市 and 金塬市 are 设区市, whose 优秀 is the 目标责任考核's.
    assert book.sheetnames == [
        "说明",
        "目标责任考核等次",
        "干部优秀名额",
        "个人奖金",
        "能下情形",
        "选拔重用",
        "合计",
        "输入变化",
    ]
    # A sheet leaves out the columns none of its changes fills: 姓名 where only units change, 受其影响的单位 where
    # every change has inputs of its own, 规则包参数变化 outside a what-if. All others are HEADERS in order.
    unsaid = {
        "目标责任考核等次": {"姓名", "规则包参数变化"},
        "干部优秀名额": {"姓名", "规则包参数变化"},
        "个人奖金": {"规则包参数变化"},
        "能下情形": {"受其影响的单位", "规则包参数变化"},
        "选拔重用": {"姓名", "受其影响的单位", "规则包参数变化"},
    }
    for kind, left_out in unsaid.items():
        headers = next(book[kind].iter_rows(max_row=1, values_only=True))
        assert headers == tuple(h for h in HEADERS if h not in left_out), kind


def test_云岭市_losing_优秀_is_highlighted_with_the_cell_that_caused_it(public):
    # 设区市: 12 units × 35% = 4.2 → 4 优秀. 云岭市 at 91.49 is 5th (below 金塬市's 92.45), so 金塬市 moves up to 4th.
    _, book = public
    sheet = book["目标责任考核等次"]
    headers = [cell.value for cell in sheet[1]]
    by_unit = {row[1].value: dict(zip(headers, row)) for row in sheet.iter_rows(min_row=2)}
    yunling = by_unit["云岭市"]
    assert yunling["变化"].value == "变化"
    assert yunling["原结果"].value == "优秀(得分94.19,组内第2名)"
    assert yunling["现结果"].value == "良好(得分91.49,组内第5名)"
    assert fill(yunling["原结果"]) == fill(yunling["现结果"]) == CHANGED
    assert fill(yunling["单位"]) is None and fill(yunling["原依据"]) is None  # only 原结果 and 现结果
    assert yunling["引起变化的输入"].value == "2023.xlsx › 目标责任考核 › C5(云岭市):综合得分 94.19 → 91.49"
    jinyuan = by_unit["金塬市"]
    assert (jinyuan["原结果"].value, jinyuan["现结果"].value) == (
        "良好(得分92.45,组内第5名)",
        "优秀(得分92.45,组内第4名)",
    )
    # its own inputs did not change
    assert jinyuan["引起变化的输入"].value is None and jinyuan["受其影响的单位"].value == "云岭市"


def test_the_late_容错认定_and_the_vote_count_on_the_能下情形_sheet(public):
    _, book = public
    changes = {(row[1], row[2]): row for row in rows(book["能下情形"])}
    # 汤志: (基本称职票 10 + 不称职票 2) / 40 = 30% ≥ 30%: now triggered, and tolerated by 秦组容〔2023〕3号.
    assert changes[("金关县", "汤志")][4:6] == ("未触发", "容错免责(秦组容〔2023〕3号)")
    assert changes[("金关县", "汤志")][8] == "2023.xlsx › 干部 › J373(汤志(SX00372)):基本称职票 9 → 10"
    for who in (("碧乐县", "姚怡亮"), ("碧乐县", "汤秋凯"), ("碧乐县", None)):
        assert changes[who][4:6] == ("触发", "容错减责(秦组容〔2023〕7号)")
        assert changes[who][8] == "2023.xlsx › 容错认定 › 第4行:新增行 碧乐县 秦组容〔2023〕7号"


def test_totals_before_and_after_with_the_changed_ones_highlighted(public):
    _, book = public
    sheet = book["合计"]
    totals = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    # 干部优秀名额: 云岭市 65×20%=13 → 65×15%=9.75→9 (−4), 金塬市 69×15%=10.35→10 → 69×20%=13.8→13 (+3): −1.
    assert (totals["干部优秀名额"][1].value, totals["干部优秀名额"][2].value) == (417, 416)
    # 个人奖金: 5 of 云岭市 12000 → 10000 (−10000), 4 of 金塬市 10000 → 12000 (+8000), 秦庆立 11000 → 13200 (+2200).
    assert (totals["个人奖金合计"][1].value, totals["个人奖金合计"][2].value) == (2750800, 2751000)
    assert (totals["能下触发"][1].value, totals["能下触发"][2].value) == (45, 46)  # 汤志
    assert all(fill(totals[what][i]) == CHANGED for what in ("干部优秀名额", "个人奖金合计") for i in (1, 2))
    # The prize money is the same: 云岭市 and 金塬市 swap the 优秀 title, whose prize does not depend on who holds it.
    assert (totals["奖励资金合计"][1].value, totals["奖励资金合计"][2].value) == (3870, 3870)
    assert fill(totals["奖励资金合计"][1]) is None and fill(totals["奖励资金合计"][2]) is None


def test_the_input_changes_sheet_names_each_cell(public):
    _, book = public
    assert next(book["输入变化"].iter_rows(max_row=1, values_only=True)) == ("位置", "行", "列", "原值", "现值")
    assert rows(book["输入变化"]) == [
        ("2023.xlsx › 目标责任考核 › C5", "云岭市", "综合得分", "94.19", "91.49"),
        ("2023.xlsx › 干部 › J373", "汤志(SX00372)", "基本称职票", "9", "10"),
        ("2023.xlsx › 容错认定 › 第4行", "碧乐县 秦组容〔2023〕7号", "新增行", None, "碧乐县 秦组容〔2023〕7号"),
    ]


def test_the_note_sheet_names_both_versions_and_the_pack(public):
    _, book = public
    notes = dict(rows(book["说明"]))
    assert notes["原版本"] == "2023-公示.xlsx" and notes["现版本"] == "2023.xlsx"
    assert len(notes["原版本SHA-256"]) == 64 and notes["原版本SHA-256"] != notes["现版本SHA-256"]
    assert notes["原版本规则包"] == notes["现版本规则包"] == "示例市-2023(基于 shaanxi-2018)"
    assert notes["结论"].startswith("计算结果有 19 处变化:目标责任考核等次 2 处、干部优秀名额 2 处、个人奖金 10 处")
    assert notes["输入变化"] == "3 处"


def test_every_sheet_prints_on_a4_with_the_body_font(public):
    _, book = public
    for sheet in book:
        assert sheet.page_setup.paperSize == 9, sheet.title
        assert sheet["A1"].font.name == "等线", sheet.title


def test_the_manifest_lists_the_workbook_and_both_inputs(public):
    out, _ = public
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["command"] == "diff"
    assert [o["path"] for o in manifest["outputs"]] == [BOOK]
    books = [(i["kind"], Path(i["path"]).name) for i in manifest["inputs"] if i["kind"] in ("workbook", "compared")]
    assert books == [("workbook", "2023.xlsx"), ("compared", "2023-公示.xlsx")]
    assert manifest["arguments"]["out"] == str(out)
    assert manifest["rules"]["label"] == "示例市-2023(基于 shaanxi-2018)"
    assert sorted({i["year"] for i in manifest["inputs"] if i["kind"] == "history"}) == [2021, 2022]
    verified = CliRunner().invoke(app, ["verify", str(out / MANIFEST)], env=WIDE)
    assert verified.exit_code == 0 and "核对通过:1 个输出文件" in verified.stdout, verified.output


def test_no_overwrite_without_force(tmp_path, sample_db):
    out = tmp_path / "out"
    assert public_diff(out, sample_db).exit_code == 0
    before = (out / BOOK).read_bytes()
    (out / BOOK).write_bytes(b"kept")
    again = public_diff(out, sample_db)
    assert again.exit_code == 2 and "--force" in again.stderr
    assert (out / BOOK).read_bytes() == b"kept"
    forced = public_diff(out, sample_db, "--force")
    assert forced.exit_code == 0, forced.output
    assert (out / BOOK).read_bytes() == before  # the same inputs give the same bytes


def test_without_out_nothing_is_written(tmp_path, sample_db, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = diff(SAMPLE / "2023-公示.xlsx", SAMPLE / "2023.xlsx", "--db", sample_db)
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == []


def test_identical_versions_say_没有变化(tmp_path, sample_db):
    out = tmp_path / "out"
    result = diff(SAMPLE / "2023.xlsx", SAMPLE / "2023.xlsx", "--db", sample_db, "--out", out)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out / BOOK)
    assert book.sheetnames == ["说明", "合计", "输入变化"]
    assert dict(rows(book["说明"]))["结论"] == "没有变化"
    assert rows(book["输入变化"]) == []
    assert all(fill(cell) is None for row in book["合计"].iter_rows(min_row=2) for cell in row)


def test_a_what_if_workbook_carries_the_marker_on_every_sheet(tmp_path, sample_db):
    # 设区市 12×30%=3.6 → 3: 金塬市 (4th, 92.45) drops to 良好 with no input changed.
    out = tmp_path / "out"
    result = diff(SAMPLE / "2023.xlsx", "--db", sample_db, "--set", "target.excellent_ratio=30%", "--out", out)
    assert result.exit_code == 0, result.output
    marker = "【测算,非正式结果】target.excellent_ratio 35%→30%"
    book = openpyxl.load_workbook(out / BOOK)
    for sheet in book:
        assert sheet["A1"].value == marker, sheet.title
    assert book.properties.title.startswith(marker)
    header, *changes = list(book["目标责任考核等次"].iter_rows(min_row=2, values_only=True))
    # No input changed and only units: the parameter is the one cause column.
    assert header == ("变化", "单位", "事项", "原结果", "现结果", "原依据", "现依据", "规则包参数变化")
    jinyuan = next(row for row in changes if row[1] == "金塬市")
    assert jinyuan[3:5] == ("优秀(得分92.45,组内第4名)", "良好(得分92.45,组内第4名)")
    assert jinyuan[7] == "target.excellent_ratio 35%→30%"
    assert dict(list(book["说明"].iter_rows(min_row=3, values_only=True)))["测算"] == marker
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert [Path(i["path"]).name for i in manifest["inputs"] if i["kind"] == "workbook"] == ["2023.xlsx"]
    assert manifest["what_if_title"] == marker


def test_each_result_sheet_prints_one_page_wide_at_eight_points_or_more(office, public, tmp_path):
    """Printed by LibreOffice: every sheet of the sample's diff is one page (a few rows each), result sheets fitted to
    a landscape page's width, and no word of the result sheets under 8 points on paper."""
    from tests.test_workbook_print import _pages

    out, book = public
    [pdf] = office.to_pdf([out / BOOK], tmp_path)
    pages = _pages(pdf)
    assert [page.sheet for page in pages] == book.sheetnames
    for page in pages[1:-2]:
        assert page.width > page.height, page.sheet
        assert min(page.printed_sizes()) >= 8, page.sheet
