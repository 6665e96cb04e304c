"""--fill: the results written back into a copy of the user's own workbook (issue 24).

The copy must differ from the user's workbook only in the added columns: every other cell's value and look,
the merged titles, formulas, widths, frozen panes, filters, print setup, validations, conditional formats and
names are compared one by one (`assert_only_added`). The expected results are worked by hand from the rules."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.xml.functions import tostring
from typer.testing import CliRunner

from sanshi.cli import app
from tests.conftest import SAMPLE

runner = CliRunner()
LOOK = ("font", "fill", "border", "alignment", "number_format", "protection")


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _look(cell) -> tuple[str, ...]:
    return tuple(repr(getattr(cell, name)) for name in LOOK)


def assert_only_added(original: Path, filled: Path, added: dict[str, set[str]]) -> None:
    """`filled` holds everything `original` holds, as it was, and differs from it only in the columns `added`
    names (by sheet, column letters)."""
    a = openpyxl.load_workbook(original, rich_text=True)
    b = openpyxl.load_workbook(filled, rich_text=True)
    # Each formula's saved result too: a totals row must not read as empty until Excel recomputes it.
    saved_a, saved_b = openpyxl.load_workbook(original, data_only=True), openpyxl.load_workbook(filled, data_only=True)
    for sheet in saved_a:
        for row in sheet.iter_rows():
            for cell in row:
                assert saved_b[sheet.title][cell.coordinate].value == cell.value, (sheet.title, cell.coordinate)
    assert b.sheetnames == a.sheetnames
    assert [s.sheet_state for s in b] == [s.sheet_state for s in a]
    assert {n: d.attr_text for n, d in b.defined_names.items()} == {n: d.attr_text for n, d in a.defined_names.items()}
    for sa in a:
        sb = b[sa.title]
        new = {column_index_from_string(letter) for letter in added.get(sa.title, set())}
        assert all(c > sa.max_column for c in new), "added columns go to the right of the user's own"
        cells_a = {(c.row, c.column): c for row in sa.iter_rows() for c in row}
        cells_b = {(c.row, c.column): c for row in sb.iter_rows() for c in row}
        for at in cells_a.keys() | cells_b.keys():
            if at[1] in new:
                continue
            ca, cb = cells_a.get(at), cells_b.get(at)
            value_a, value_b = (ca.value if ca else None), (cb.value if cb else None)
            assert value_b == value_a, (sa.title, at)
            if ca is not None and cb is not None:
                assert _look(cb) == _look(ca), (sa.title, at)
                assert (cb.comment.text if cb.comment else None) == (ca.comment.text if ca.comment else None)
                assert cb.hyperlink == ca.hyperlink
        assert sorted(map(str, sb.merged_cells.ranges)) == sorted(map(str, sa.merged_cells.ranges))
        assert sb.freeze_panes == sa.freeze_panes
        assert sb.auto_filter.ref == sa.auto_filter.ref
        assert sb.print_title_rows == sa.print_title_rows and sb.print_title_cols == sa.print_title_cols
        assert sb.print_area == sa.print_area
        assert _xml(sb.page_setup) == _xml(sa.page_setup)
        assert _xml(sb.page_margins) == _xml(sa.page_margins)
        assert _xml(sb.print_options) == _xml(sa.print_options)
        assert _xml(sb.sheet_properties) == _xml(sa.sheet_properties)
        assert _xml(sb.HeaderFooter) == _xml(sa.HeaderFooter)
        assert _xml(sb.protection) == _xml(sa.protection)
        assert _xml(sb.views) == _xml(sa.views)
        for letter, dimension in sa.column_dimensions.items():
            assert column_index_from_string(letter) not in new
            other = sb.column_dimensions[letter]
            assert (other.width, other.hidden, other.min, other.max) == (
                dimension.width,
                dimension.hidden,
                dimension.min,
                dimension.max,
            ), (sa.title, letter)
        for number, dimension in sa.row_dimensions.items():
            assert (sb.row_dimensions[number].height, sb.row_dimensions[number].hidden) == (
                dimension.height,
                dimension.hidden,
            )
        assert [(str(v.sqref), v.type, v.formula1) for v in sb.data_validations.dataValidation] == [
            (str(v.sqref), v.type, v.formula1) for v in sa.data_validations.dataValidation
        ]
        assert [_xml(r) for r in sb.conditional_formatting] == [_xml(r) for r in sa.conditional_formatting]


def _xml(part) -> bytes:
    """A sheet setting as it is written in the file (its repr names the objects it holds by address)."""
    return tostring(part.to_tree())


def _headers(sheet, row: int) -> dict[str, str]:
    """{header: column letter} of a row."""
    return {str(c.value): get_column_letter(c.column) for c in sheet[row] if c.value is not None}


def _added(original: Path, filled: Path) -> dict[str, set[str]]:
    """The columns of `filled` to the right of each sheet's own (what `assert_only_added` leaves out)."""
    a, b = openpyxl.load_workbook(original), openpyxl.load_workbook(filled)
    return {
        s.title: {get_column_letter(c) for c in range(a[s.title].max_column + 1, s.max_column + 1)}
        for s in b
        if s.max_column > a[s.title].max_column
    }


def _row_of(sheet, text: str, column: str = "A") -> int:
    found = [c.row for c in sheet[column] if c.value == text]
    assert len(found) == 1, (text, found)
    return found[0]


def _value(sheet, header_row: int, row: int, header: str):
    return sheet[f"{_headers(sheet, header_row)[header]}{row}"].value


# ---- the sample years ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_filled(sample_db, tmp_path_factory) -> Path:
    """The three 2023 fills and the ones the earlier sample years can be computed for (2021 has no 上年名次 and
    no 2020 in the store: its awards stop, by design)."""
    folder = tmp_path_factory.mktemp("filled")
    rules = SAMPLE / "local-pack.toml"
    runs = [
        (2023, "awards", ["--rules", rules]),
        (2023, "demotions", []),
        (2023, "promotions", []),
        (2022, "awards", []),
        (2022, "demotions", []),
        (2021, "demotions", []),
        (2021, "promotions", []),
    ]
    for year, command, options in runs:
        done = invoke(
            command, SAMPLE / f"{year}.xlsx", *options, "--db", sample_db, "--fill", "--out", folder / str(year)
        )
        assert done.exit_code == 0, done.output
    return folder


@pytest.mark.parametrize(
    "year, name",
    [
        (2023, "2023-奖励结果.xlsx"),
        (2023, "2023-能下结果.xlsx"),
        (2023, "2023-选拔重用结果.xlsx"),
        (2022, "2022-奖励结果.xlsx"),
        (2022, "2022-能下结果.xlsx"),
        (2021, "2021-能下结果.xlsx"),
        (2021, "2021-选拔重用结果.xlsx"),
    ],
)
def test_a_filled_sample_year_differs_from_the_workbook_only_in_the_added_columns(sample_filled, year, name):
    filled = sample_filled / str(year) / name
    added = _added(SAMPLE / f"{year}.xlsx", filled)
    assert added, "the fill added columns"
    assert_only_added(SAMPLE / f"{year}.xlsx", filled, added)


def test_the_awards_fill_puts_each_grade_and_prize_in_the_units_own_row(sample_filled):
    book = openpyxl.load_workbook(sample_filled / "2023" / "2023-奖励结果.xlsx")
    target = book["目标责任考核"]
    assert list(_headers(target, 2))[-3:] == ["评定等次", "是否优秀", "干部优秀名额"]
    # 凤鸣市: 设区市 12 units, 12×35%=4.2 -> 4 places; 96.26 is the group's first. Its 干部优秀名额 is 20% of 考核人数.
    row = _row_of(target, "凤鸣市")
    staff = _value(target, 2, row, "考核人数")
    assert (_value(target, 2, row, "评定等次"), _value(target, 2, row, "是否优秀")) == ("优秀", "是")
    assert _value(target, 2, row, "干部优秀名额") == staff * 20 // 100
    monitoring = book["县域监测"]
    # The README's worked amounts: 龙滩市 first: 100万; 鹤亭县 8→2: 50+6×10=110万 and a 县域争先进位奖 二等奖;
    # 白城县 1→9: 50−8×10 floored at 0, the title still given.
    for unit, awards, amount in (
        ("龙滩市", "十强县", 100),
        ("白城县", "十强县", 0),
    ):
        row = _row_of(monitoring, unit)
        assert (_value(monitoring, 3, row, "奖励"), _value(monitoring, 3, row, "奖励金额(万元)")) == (awards, amount)
    row = _row_of(monitoring, "鹤亭县")
    assert _value(monitoring, 3, row, "奖励") == "十强县、县域争先进位奖(二等奖)"
    assert (
        _value(monitoring, 3, row, "奖励金额(万元)") == 110 + 50
    )  # 县域争先进位奖 二等奖 50万 (shaanxi-2018 county.progress_tiers)


def test_the_demotions_fill_names_each_clause_and_its_tolerance_beside_the_cadre(sample_filled):
    cadres = openpyxl.load_workbook(sample_filled / "2023" / "2023-能下结果.xlsx")["干部"]
    headers = _headers(cadres, 1)
    assert list(headers)[-4:] == ["能下条款", "容错", "未能判定", "影响期至"]
    row = _row_of(cadres, "汤志", headers["姓名"])
    # The README's 金关县 example: 8(2) (10+2 of 40 votes = 30% ≥ 30%) and 8(3), both 容错免责 by 秦组容〔2023〕3号.
    assert _value(cadres, 1, row, "能下条款") == "8(2)、8(3)"
    assert _value(cadres, 1, row, "容错") == "8(2) 容错免责(秦组容〔2023〕3号);8(3) 容错免责(秦组容〔2023〕3号)"
    untouched = _row_of(cadres, "白建辉", headers["姓名"])
    assert [_value(cadres, 1, untouched, h) for h in ("能下条款", "容错", "未能判定")] == [None, None, None]


def test_the_promotions_fill_marks_a_unit_excellent_three_years_running(sample_filled):
    target = openpyxl.load_workbook(sample_filled / "2023" / "2023-选拔重用结果.xlsx")["目标责任考核"]
    row = _row_of(target, "渭北市")
    assert _value(target, 2, row, "选拔重用") == "鼓励激励办法第七条第(二)项(2021、2022、2023年优秀)"


# ---- a workbook as WPS users make them -----------------------------------------------------------------

UNITS = [f"{name}市" for name in "甲乙丙丁戊己庚辛壬癸子丑"]  # 12 units, one group
SCORES = [99, 98, 97, 96, 95, 94, 93, 92, 91, 90, 89, 88]


def wps_workbook(path: Path, *, sparkline: bool = False, vba: Path | None = None) -> Path:
    """目标责任考核 and 干部 as an office lays them out: two merged title rows, a styled header, a totals row of
    formulas with their saved results, a merged note below, frozen panes, a filter, widths, print setup
    (landscape, one page wide, header row repeated, margins, page numbers, print area), a drop-down, a
    conditional format, a comment, a name, and a hidden sheet."""
    book = xlsxwriter.Workbook(str(path))
    title = book.add_format({"bold": True, "font_size": 18, "align": "center", "valign": "vcenter"})
    sub = book.add_format({"align": "right", "italic": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center", "text_wrap": True})
    text = book.add_format({"border": 1})
    score = book.add_format({"border": 1, "num_format": "0.00"})
    total = book.add_format({"border": 1, "bold": True, "num_format": "0.00"})
    red = book.add_format({"font_color": "#C00000", "bold": True})

    sheet = book.add_worksheet("目标责任考核")
    sheet.merge_range("A1:F1", "2023年度目标责任考核结果汇总表", title)
    sheet.merge_range("A2:F2", "填报单位:考核办    单位:分、人", sub)
    sheet.set_row(0, 32)
    sheet.write_row(2, 0, ["序号", "单位", "类别", "综合得分", "考核人数", "备注"], head)
    for i, (unit, value) in enumerate(zip(UNITS, SCORES)):
        sheet.write_number(3 + i, 0, i + 1, text)
        sheet.write_string(3 + i, 1, unit, text)
        sheet.write_string(3 + i, 2, "设区市", text)
        sheet.write_number(3 + i, 3, value, score)
        sheet.write_number(3 + i, 4, 40, text)
        sheet.write_blank(3 + i, 5, None, text)
    sheet.write_string(15, 1, "合计", total)
    sheet.write_formula(15, 3, "=AVERAGE(D4:D15)", total, sum(SCORES) / 12)
    sheet.write_formula(15, 4, "=SUM(E4:E15)", total, 480)
    sheet.merge_range("A18:F18", "注:综合得分含加减分。", sub)
    sheet.freeze_panes(3, 2)
    sheet.autofilter("A3:F15")
    sheet.set_column("A:A", 6)
    sheet.set_column("B:B", 16)
    sheet.set_column("C:F", 11)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
    sheet.set_margins(left=0.5, right=0.5, top=0.8, bottom=0.8)
    sheet.set_footer("&C第 &P 页")
    sheet.print_area("A1:F18")
    sheet.data_validation("C4:C15", {"validate": "list", "source": ["设区市", "省级部门"]})
    sheet.conditional_format("D4:D15", {"type": "cell", "criteria": ">=", "value": 95, "format": red})
    sheet.write_comment("B4", "含开发区")
    if sparkline:
        sheet.add_sparkline("G4", {"range": "目标责任考核!D4:E4"})
    book.define_name("考核单位", "=目标责任考核!$B$4:$B$15")

    cadres = book.add_worksheet("干部")
    cadres.write_row(0, 0, ["姓名", "单位", "岗位类别", "优秀票", "称职票", "基本称职票", "不称职票", "总票数"], head)
    for i, unit in enumerate(UNITS):
        votes = [10, 18, 10, 2] if i == 0 else [20, 20, 0, 0]  # 甲市's head: (10+2)/40 = 30%
        cadres.write_row(1 + i, 0, [f"干部{i + 1}", unit, "主要负责人", *votes], text)
        cadres.write_formula(1 + i, 7, f"=SUM(D{2 + i}:G{2 + i})", text, 40)
    cadres.write_string(13, 0, "合计", total)
    for col, saved in zip(range(3, 8), (10 + 20 * 11, 18 + 20 * 11, 10, 2, 40 * 12)):
        letter = "DEFGH"[col - 3]
        cadres.write_formula(13, col, f"=SUM({letter}2:{letter}13)", total, saved)
    cadres.freeze_panes(1, 0)
    cadres.set_column("A:B", 12)

    notes = book.add_worksheet("说明")
    notes.write(0, 0, "内部使用,勿外传")
    notes.hide()
    if vba is not None:
        book.add_vba_project(str(vba))
    book.close()
    return path


def test_a_wps_style_workbook_is_filled_without_touching_anything_of_the_users(tmp_path):
    source = wps_workbook(tmp_path / "2023.xlsx")
    done = invoke("awards", source, "--fill", "--out", tmp_path / "out")
    assert done.exit_code == 0, done.output
    # The totals row is read as no unit, and the run says so.
    assert "2023.xlsx › 目标责任考核 › 第16行是合计行" in done.output
    # The print area is the user's and stays; the run says the added columns are outside it.
    assert "2023-奖励结果.xlsx › 目标责任考核:原工作簿设有打印区域 A1:F18,新加的 G:I 列不在其中" in done.output
    filled = tmp_path / "out" / "2023-奖励结果.xlsx"
    assert_only_added(source, filled, {"目标责任考核": {"G", "H", "I"}})
    sheet = openpyxl.load_workbook(filled)["目标责任考核"]
    assert [sheet[f"{c}3"].value for c in "GHI"] == ["评定等次", "是否优秀", "干部优秀名额"]
    # 12×35% = 4.2 -> 4: 甲乙丙丁 (99 to 96) 优秀, with 40×20% = 8 优秀 places; the rest 良好 with 40×15% = 6.
    rows = [[sheet[f"{c}{r}"].value for c in "GHI"] for r in range(4, 16)]
    assert rows == [["优秀", "是", 8]] * 4 + [["良好", "否", 6]] * 8
    assert [sheet[f"{c}16"].value for c in "GHI"] == [None, None, None]  # the totals row is no unit
    # The header row's look carries over to the added headers; each row's look to its cells.
    assert sheet["G3"].fill.fgColor.rgb == sheet["F3"].fill.fgColor.rgb and sheet["G3"].font.b
    assert sheet["G4"].border.left.style == "thin"
    assert sheet.column_dimensions["G"].width >= 10


def test_the_demotions_fill_of_a_wps_workbook_and_reading_the_copy_again(tmp_path):
    source = wps_workbook(tmp_path / "2023.xlsx")
    done = invoke("demotions", source, "--fill", "--out", tmp_path)
    assert done.exit_code == 0, done.output
    filled = tmp_path / "2023-能下结果.xlsx"
    assert_only_added(source, filled, {"干部": {"I", "J", "K", "L"}})
    cadres = openpyxl.load_workbook(filled)["干部"]
    assert cadres["I1"].value == "能下条款" and cadres["I2"].value == "8(2)"
    assert cadres["I3"].value is None and cadres["I14"].value is None
    # The copy reads as the workbook it was filled from: the added columns are passed over, silently.
    again = invoke("demotions", filled, "--json")
    first = invoke("demotions", source, "--json")
    assert again.exit_code == 0, again.output
    same_file = again.stdout.replace("2023-能下结果.xlsx", "2023.xlsx")  # the facts name the file they were read from
    assert json.loads(same_file)["candidates"] == json.loads(first.stdout)["candidates"]
    assert "没有读取" not in again.output


def test_filling_a_filled_copy_again_writes_the_same_columns_in_place(tmp_path):
    source = wps_workbook(tmp_path / "2023.xlsx")
    assert invoke("awards", source, "--fill", "--out", tmp_path / "a").exit_code == 0
    once = tmp_path / "a" / "2023-奖励结果.xlsx"
    assert invoke("awards", once, "--fill", "--out", tmp_path / "b").exit_code == 0
    twice = openpyxl.load_workbook(tmp_path / "b" / "2023-奖励结果-奖励结果.xlsx")["目标责任考核"]
    assert twice.max_column == 9 and twice["G3"].value == "评定等次" and twice["J3"].value is None


def test_an_xlsm_keeps_its_macros(tmp_path):
    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)  # stands for a macro project
    source = wps_workbook(tmp_path / "2023.xlsm", vba=vba)
    done = invoke("awards", source, "--fill", "--out", tmp_path / "out")
    assert done.exit_code == 0, done.output
    filled = tmp_path / "out" / "2023-奖励结果.xlsm"
    with zipfile.ZipFile(filled) as package:
        assert package.read("xl/vbaProject.bin") == vba.read_bytes()
        assert "macroEnabled" in package.read("[Content_Types].xml").decode()


@pytest.mark.parametrize("name", ["2023.xls", "2023.ods", "2023.csv"])
def test_a_workbook_that_cannot_be_filled_is_refused_before_any_work(tmp_path, name):
    source = tmp_path / name
    source.write_text("单位,综合得分\n甲市,90\n", encoding="utf-8")
    done = invoke("awards", source, "--fill", "--out", tmp_path / "out")
    assert done.exit_code == 2
    kind = name.rsplit(".", 1)[1]
    assert f"--fill 只能填写 .xlsx 或 .xlsm 工作簿,这是 {kind} 文件:请在 Excel/WPS 中另存为 .xlsx" in done.output
    assert "Traceback" not in done.output and not (tmp_path / "out").exists()


def test_what_the_copy_could_not_keep_stops_the_fill_and_nothing_is_written(tmp_path):
    source = wps_workbook(tmp_path / "2023.xlsx", sparkline=True)
    done = invoke("awards", source, "--fill", "--out", tmp_path / "out")
    assert done.exit_code == 2
    assert "2023.xlsx: 工作簿含有填写副本时无法完整保留的内容:迷你图" in done.output
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_an_existing_copy_is_replaced_only_with_force(tmp_path):
    source = wps_workbook(tmp_path / "2023.xlsx")
    arguments = ["awards", source, "--fill", "--out", tmp_path]
    assert invoke(*arguments).exit_code == 0
    copy = tmp_path / "2023-奖励结果.xlsx"
    copy.write_bytes(b"the user's edits")
    done = invoke(*arguments)
    assert done.exit_code == 2 and "输出文件已存在" in done.output and "--force" in done.output
    assert copy.read_bytes() == b"the user's edits"
    assert invoke(*arguments, "--force").exit_code == 0
    assert openpyxl.load_workbook(copy)["目标责任考核"]["G3"].value == "评定等次"


def test_fill_with_one_unit_is_a_usage_error(tmp_path):
    source = wps_workbook(tmp_path / "2023.xlsx")
    done = invoke("demotions", source, "--fill", "--unit", "甲市")
    assert done.exit_code == 2 and "--fill 把全年结果填回工作簿,不能与 --unit 同时使用" in done.output
    assert list(tmp_path.glob("*结果*")) == []


def test_a_workbook_changed_after_it_was_read_is_not_filled(tmp_path):
    """The copy must come from the data the results came from: the fill checks the file is the one read."""
    from sanshi.errors import InputError
    from sanshi.inputs.reader import read_workbook
    from sanshi.writers.fill import FillPlan, write_filled

    source = wps_workbook(tmp_path / "2023.xlsx")
    read = read_workbook(source)
    source.write_bytes(source.read_bytes() + b"\0")  # saved again after the run read it
    with pytest.raises(InputError, match="工作簿在计算之后被改动了"):
        write_filled(source, read.sha256, FillPlan(()), tmp_path / "copy.xlsx")


def test_libreoffice_opens_the_filled_copy_and_computes_its_formulas(office, tmp_path):
    """Open in LibreOffice and save again: the copy is a sound workbook, our columns are there, and the totals
    row's formulas (kept, their results recomputed on opening) give the hand-summed values."""
    source = wps_workbook(tmp_path / "2023.xlsx")
    assert invoke("awards", source, "--fill", "--out", tmp_path / "out").exit_code == 0
    [saved] = office.convert([tmp_path / "out" / "2023-奖励结果.xlsx"], tmp_path / "lo", "xlsx")
    sheet = openpyxl.load_workbook(saved, data_only=True)["目标责任考核"]
    assert [sheet[f"{c}3"].value for c in "GHI"] == ["评定等次", "是否优秀", "干部优秀名额"]
    assert sheet["G4"].value == "优秀" and sheet["I15"].value == 6
    assert sheet["E16"].value == 480  # 12 × 40
    assert sheet["D16"].value == pytest.approx(93.5)  # (99 + 88) / 2


def test_every_kind_of_saved_formula_result_is_kept(tmp_path):
    """A number, a text, a truth value, an error and a date: each formula keeps the result the workbook saved."""
    source = tmp_path / "2023.xlsx"
    book = xlsxwriter.Workbook(str(source))
    sheet = book.add_worksheet("目标责任考核")
    sheet.write_row(0, 0, ["单位", "类别", "综合得分", "备注"])
    for i, unit in enumerate(UNITS):
        sheet.write_row(1 + i, 0, [unit, "设区市", SCORES[i]])
    dated = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_formula("D2", "=C2*2", None, 198)
    sheet.write_formula("D3", '="第"&A3', None, "第乙市")
    sheet.write_formula("D4", "=C4>90", None, True)
    sheet.write_formula("D5", "=1/0", None, "#DIV/0!")
    sheet.write_formula("D6", "=DATE(2023,12,31)", dated, 45291)
    book.close()
    done = invoke("awards", source, "--fill", "--out", tmp_path / "out")
    assert done.exit_code == 0, done.output
    filled = tmp_path / "out" / "2023-奖励结果.xlsx"
    assert_only_added(source, filled, {"目标责任考核": {"E", "F"}})
    saved = openpyxl.load_workbook(filled, data_only=True)["目标责任考核"]
    assert [saved[f"D{r}"].value for r in range(2, 6)] == [198, "第乙市", True, "#DIV/0!"]
    assert saved["D6"].value.date().isoformat() == "2023-12-31"
    assert openpyxl.load_workbook(filled)["目标责任考核"]["D3"].value == '="第"&A3'


def test_a_file_named_xlsx_that_is_no_xlsx_is_refused_before_any_work(tmp_path):
    source = tmp_path / "2023.xlsx"
    source.write_text("单位,综合得分\n甲市,90\n", encoding="utf-8")
    done = invoke("awards", source, "--fill", "--out", tmp_path / "out")
    assert done.exit_code == 2 and "Traceback" not in done.output
    assert "2023.xlsx: 文件名是 .xlsx,但内容不是 .xlsx/.xlsm 工作簿" in done.output
    assert not (tmp_path / "out").exists()


def test_a_what_if_run_fills_nothing(tmp_path):
    """A filled copy has no place to say 测算: a what-if run (--set) writes its marked result workbook only."""
    source = wps_workbook(tmp_path / "2023.xlsx")
    done = invoke("awards", source, "--fill", "--set", "target.excellent_ratio=30%", "--out", tmp_path / "out")
    assert (
        done.exit_code == 2
        and "--fill 把结果填进工作簿的副本,副本上没有标明测算的地方:不能与 --set 同时使用" in done.output
    )
    assert not (tmp_path / "out").exists()


def test_with_json_the_copy_is_written_and_recorded_in_the_manifest(tmp_path):
    source = wps_workbook(tmp_path / "2023.xlsx")
    done = invoke("awards", source, "--fill", "--json", "--out", tmp_path / "out")
    assert done.exit_code == 0
    assert json.loads(done.stdout)["year"] == 2023  # stdout holds the JSON document alone
    manifest = json.loads((tmp_path / "out" / "2023年度考核奖励结果.manifest.json").read_text(encoding="utf-8"))
    written = {Path(o["path"]).name for o in manifest["outputs"]}
    assert written == {"2023-奖励结果.xlsx", "2023年度考核奖励结果.xlsx"}
    checked = invoke("verify", tmp_path / "out" / "2023年度考核奖励结果.manifest.json")
    assert checked.exit_code == 0, checked.output


def test_a_trigger_with_no_row_of_its_own_is_named_not_dropped(sample_db, tmp_path):
    """A unit-level clause naming a role the unit lists nobody in (柳泉县's 分管领导 under 10(1)) has no row in 干部:
    the run says so and points to the result workbook, which has it."""
    done = invoke("demotions", SAMPLE / "2023.xlsx", "--db", sample_db, "--fill", "--out", tmp_path)
    assert done.exit_code == 0, done.output
    assert "柳泉县分管领导 10(1)" in done.output
    assert "在工作簿中没有对应的行(如单位未列该岗位的干部),没有填入 2023-能下结果.xlsx,见结果工作簿" in done.output


def test_the_year_end_fills_all_three_results_into_one_copy_in_its_folder(sample_db, tmp_path):
    """`sanshi year --fill`: 2023-结果.xlsx in the year's folder, the awards', 能下 and 选拔重用 columns side by side
    where two commands fill one sheet, recorded in the folder's manifest."""
    db = tmp_path / "sanshi.db"
    db.write_bytes(sample_db.read_bytes())
    rules = SAMPLE / "local-pack.toml"
    done = invoke("year", SAMPLE / "2023.xlsx", "--rules", rules, "--db", db, "--out", tmp_path, "--fill")
    assert done.exit_code == 0, done.output
    folder = tmp_path / "2023年度考核结果"
    filled = folder / "2023-结果.xlsx"
    assert_only_added(SAMPLE / "2023.xlsx", filled, _added(SAMPLE / "2023.xlsx", filled))
    book = openpyxl.load_workbook(filled)
    assert list(_headers(book["目标责任考核"], 2))[-5:] == [
        "评定等次",
        "是否优秀",
        "干部优秀名额",
        "选拔重用",
        "不列入原因",
    ]
    assert list(_headers(book["干部"], 1))[-6:] == [
        "能下条款",
        "容错",
        "未能判定",
        "影响期至",
        "选拔重用",
        "不列入原因",
    ]
    cadres = book["干部"]
    row = _row_of(cadres, "汤志", _headers(cadres, 1)["姓名"])
    assert _value(cadres, 1, row, "能下条款") == "8(2)、8(3)"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "2023-结果.xlsx" in {Path(o["path"]).name for o in manifest["outputs"]}


def test_a_year_end_whose_copy_cannot_be_made_writes_no_folder(tmp_path):
    source = wps_workbook(tmp_path / "2023.xlsx", sparkline=True)
    done = invoke("year", source, "--rules", SAMPLE / "local-pack.toml", "--out", tmp_path / "out", "--fill")
    assert done.exit_code == 2 and "迷你图" in done.output
    assert not (tmp_path / "out" / "2023年度考核结果").exists()
