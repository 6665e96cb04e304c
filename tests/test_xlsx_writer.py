"""The awards workbook, read back cell by cell (never compared as bytes)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from sanshi.errors import RunWarning
from sanshi.results import (
    Award,
    AwardsResult,
    BonusLine,
    CadreQuota,
    GroupCut,
    PreviousYear,
    UnitGrade,
)
from sanshi.writers.xlsx import display_width, write_awards_xlsx

SHEET_NAMES = [
    "目标责任考核等次",
    "优秀名额测算",
    "干部优秀名额",
    "县域奖励",
    "脱贫攻坚",
    "奖金汇总",
    "个人考核奖金",
    "图表",
    "提示",
]
CUT = "鼓励激励办法第五条第(一)项"
COUNTY = "鼓励激励办法第五条第(二)项"


def _result() -> AwardsResult:
    return AwardsResult(
        year=2023,
        rules="shaanxi-2018",
        source="2023.xlsx",
        source_sha256="ab" * 32,
        target_units=[
            UnitGrade("甲市", "设区市", Decimal("95.5"), 1, "优秀", True, CUT, "第1名,名额3"),
            UnitGrade("乙市", "设区市", Decimal("90"), 2, "良好", False, CUT, "名额线外"),
        ],
        poverty_units=[
            UnitGrade("丙县", "", Decimal("88.25"), 1, "优秀", True, "鼓励激励办法第五条第(三)项", "第1名"),
        ],
        cuts=[
            GroupCut(
                "目标责任考核",
                "设区市",
                10,
                Fraction(35, 100),
                "floor",
                3,
                9,
                3,
                Decimal("92.25"),
                CUT,
                "floor(10×35%)=3",
            ),
        ],
        awards=[
            Award("甲市", "年度目标责任考核优秀单位", None, None, CUT, "第1名"),
            Award("A县", "十强县", None, Decimal("100"), COUNTY, "第1名"),
            Award("B县", "十强县", None, Decimal("80"), COUNTY, "50+10×(6-3)=80"),
            Award("A县", "县域争先进位奖", "三等奖", Decimal("30"), COUNTY, "进位5位"),
            Award("A县", "现代农业强县", None, Decimal("20"), COUNTY, "现代农业第2名"),
            Award("丙县", "脱贫攻坚工作成效考核优秀单位", None, Decimal("100"), "鼓励激励办法第六条第(三)项", "优秀"),
        ],
        cadre_quotas=[CadreQuota("甲市", "优秀", 42, Fraction(1, 5), 8, CUT, "floor(42×20%)=8")],
        bonus=[
            BonusLine(
                "张三",
                "甲市",
                "优秀",
                "优秀",
                Fraction(11, 10),
                Decimal("12000"),
                Decimal("13200"),
                "鼓励激励办法第六条第(一)项",
                "12000×1.1",
            ),
            BonusLine(
                "李四", "乙市", "良好", "称职", Fraction(1), None, None, "鼓励激励办法第六条第(一)项", "未设定金额"
            ),
        ],
        previous=PreviousYear(2022, "历史库2022年数据"),
        warnings=[RunWarning("test", "B县 上年名次缺失")],
    )


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("out") / "awards.xlsx"
    write_awards_xlsx(_result(), path)
    return openpyxl.load_workbook(path)


def _header(sheet) -> list[object]:
    return [cell.value for cell in sheet[1]]


def _rows(sheet) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_sheets_in_order(book):
    assert book.sheetnames == SHEET_NAMES
    assert book.properties.creator == "sanshi"


def test_target_grades(book):
    sheet = book["目标责任考核等次"]
    assert _header(sheet) == ["类别", "单位", "综合得分", "组内名次", "等次", "是否优秀", "条款", "依据"]
    assert _rows(sheet) == [
        ("设区市", "甲市", 95.5, 1, "优秀", "是", CUT, "第1名,名额3"),
        ("设区市", "乙市", 90, 2, "良好", "否", CUT, "名额线外"),
    ]
    assert sheet["H2"].alignment.wrap_text


def test_cut_sheet_shows_the_ratio_as_a_percent_number_and_rounding_in_words(book):
    sheet = book["优秀名额测算"]
    assert _header(sheet) == [
        "考核",
        "类别",
        "单位数N",
        "比例",
        "取整方式",
        "名额",
        "可评优单位数",
        "优秀单位数",
        "名额线得分",
        "条款",
        "依据",
    ]
    # 35% is the number 7/20 = 0.35 with a percent format, not the text "35%": Excel can compute with it.
    assert _rows(sheet)[0][:9] == ("目标责任考核", "设区市", 10, 0.35, "向下取整", 3, 9, 3, 92.25)
    assert sheet["D2"].data_type == "n" and sheet["D2"].number_format == "0%"


def test_cadre_quotas(book):
    sheet = book["干部优秀名额"]
    assert _header(sheet) == ["单位", "单位等次", "考核人数", "优秀比例", "优秀名额", "条款", "依据"]
    assert _rows(sheet)[0][:5] == ("甲市", "优秀", 42, 0.2, 8)  # 1/5
    assert sheet["D2"].number_format == "0%"


def test_county_awards_leave_out_assessment_titles_and_total_them(book):
    sheet = book["县域奖励"]
    assert _header(sheet) == ["奖项", "单位", "等级", "奖励金额(万元)", "条款", "依据"]
    rows = _rows(sheet)
    assert [row[:4] for row in rows] == [
        ("十强县", "A县", None, 100),
        ("十强县", "B县", None, 80),
        ("县域争先进位奖", "A县", "三等奖", 30),
        ("现代农业强县", "A县", None, 20),
        ("合计", None, None, 230),  # 100 + 80 + 30 + 20
    ]
    assert sheet.auto_filter.ref == "A1:F5"  # the total row stays out of sorting


def test_poverty_sheet(book):
    sheet = book["脱贫攻坚"]
    assert _header(sheet) == ["类别", "单位", "综合得分", "组内名次", "等次", "是否优秀", "条款", "依据"]
    assert _rows(sheet) == [(None, "丙县", 88.25, 1, "优秀", "是", "鼓励激励办法第五条第(三)项", "第1名")]


def test_prize_summary_per_unit_largest_first(book):
    sheet = book["奖金汇总"]
    assert _header(sheet) == ["单位", "奖项", "奖励金额(万元)"]
    assert _rows(sheet) == [
        ("A县", "十强县、县域争先进位奖、现代农业强县", 150),  # 100 + 30 + 20
        ("丙县", "脱贫攻坚工作成效考核优秀单位", 100),
        ("B县", "十强县", 80),
        ("合计", None, 330),  # 150 + 100 + 80
    ]


def test_bonus_coefficient_and_empty_amounts(book):
    sheet = book["个人考核奖金"]
    assert _header(sheet) == [
        "姓名",
        "单位",
        "单位等次",
        "本人年度考核等次",
        "系数",
        "每人基数(元)",
        "金额(元)",
        "条款",
        "依据",
    ]
    assert _rows(sheet)[0][:7] == ("张三", "甲市", "优秀", "优秀", 1.1, 12000, 13200)
    assert sheet["E2"].number_format == "0.00"
    assert sheet["G2"].number_format == "#,##0.00"
    assert _rows(sheet)[1][4:7] == (1, None, None)


def test_notes_sheet_names_the_run_then_warnings(book):
    sheet = book["提示"]
    assert _header(sheet) == ["项目", "提示"]
    assert _rows(sheet) == [
        ("年度", "2023年"),
        ("规则包", "shaanxi-2018"),
        ("输入文件", "2023.xlsx"),
        ("输入文件SHA-256", "ab" * 32),
        ("上年数据", "2022年(历史库2022年数据)"),
        ("提示1", "B县 上年名次缺失"),
    ]


def _pixels(sheet) -> int:
    """The sheet's columns in pixels as Excel draws them with 等线 11 (8 a character; XlsxWriter writes a width
    with its 5 pixels of padding, so a width w is stored as w + 5/8; adjacent columns as wide share an entry)."""
    return sum(round(dim.width * 8) * (dim.max - dim.min + 1) for dim in sheet.column_dimensions.values())


def test_every_sheet_prints_on_a4_with_its_header_row_and_page_numbers(book):
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == 9, sheet.title  # A4
        assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text, sheet.title
        assert (sheet.page_margins.left, sheet.page_margins.top) == (0.5, 0.75), sheet.title
        if sheet.title == "图表":
            continue  # one chart a page (tests/test_workbook_charts.py)
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.bold, sheet.title
        assert sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        # Portrait when the columns fit its 8.27 − 2 × 0.5 = 7.27 inches (698 pixels), landscape otherwise.
        wide = _pixels(sheet) > 698
        assert sheet.page_setup.orientation == ("landscape" if wide else "portrait"), sheet.title
        # Scaled to the page's width only when wider than landscape's 11.69 − 1 = 10.69 inches (1026 pixels).
        assert bool(sheet.sheet_properties.pageSetUpPr.fitToPage) == (_pixels(sheet) > 1026), sheet.title


def test_the_notes_fit_a_portrait_page_and_the_grades_need_landscape(book):
    # 项目: "输入文件SHA-256" is 15 wide, + 2 = 17; 提示: the 64-character hash, capped at 60.
    # 17 × 8 + 5 + 60 × 8 + 5 = 141 + 485 = 626 pixels <= 698: portrait, at 100%.
    notes = book["提示"]
    assert [notes.column_dimensions[c].width for c in "AB"] == [17 + 5 / 8, 60 + 5 / 8]
    assert notes.page_setup.orientation == "portrait" and notes.sheet_properties.pageSetUpPr.fitToPage is None
    assert book["目标责任考核等次"].page_setup.orientation == "landscape"


def test_a_rank_beside_a_grade_is_centred_and_numbers_keep_off_the_next_column(book):
    sheet = book["目标责任考核等次"]
    # 组内名次 1 and 等次 优秀 are both narrower than their headers: centred, so they never read "1优秀".
    assert (sheet["D2"].alignment.horizontal, sheet["E2"].alignment.horizontal) == ("center", "center")
    # A score is right-aligned one indent in; text stays left; a header is centred.
    assert (sheet["C2"].alignment.horizontal, sheet["C2"].alignment.indent) == ("right", 1)
    assert sheet["G2"].alignment.horizontal is None and sheet["C1"].alignment.horizontal == "center"
    awards = book["县域奖励"]
    assert (awards["D2"].value, awards["D2"].alignment.horizontal, awards["D2"].alignment.indent) == (100, "right", 1)


def test_the_body_font_is_chinese(book):
    assert {cell.font.name for sheet in book.worksheets for row in sheet.iter_rows(max_row=3) for cell in row} == {
        "等线"
    }


def test_widths_count_chinese_double_and_are_capped(book):
    sheet = book["目标责任考核等次"]
    assert sheet.column_dimensions["B"].width >= display_width("单位") + 2
    assert all(dim.width <= 60 for dim in sheet.column_dimensions.values())
    assert display_width("甲市A") == 5


def test_empty_result_still_has_every_sheet_with_headers(tmp_path: Path):
    path = tmp_path / "empty.xlsx"
    write_awards_xlsx(AwardsResult(year=2023, rules="shaanxi-2018", source="2023.xlsx", source_sha256=""), path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEET_NAMES
    assert _header(book["个人考核奖金"])[0] == "姓名"
    assert _rows(book["目标责任考核等次"]) == []
    assert _rows(book["奖金汇总"]) == [("合计", None, 0)]


def test_demotions_workbook_marks_tolerated_rows_and_grows_rows_for_long_basis(tmp_path: Path) -> None:
    from datetime import date

    from sanshi.results import DemotionsResult, ImpactPeriod, Trigger
    from sanshi.writers.xlsx import TOLERATED_FILL, write_demotions_xlsx

    long_basis = "连续2年县(市)退位幅度前3名(含并列):" + "2022年名次24→31,退7位,退位幅度第1名;" * 4
    result = DemotionsResult(
        2023,
        "shaanxi-2018",
        "2023.xlsx",
        "cd" * 32,
        candidates=[
            Trigger("甲", "乙县", "县长", "主要负责人", 9, 1, "能上能下办法第九条第(一)项", long_basis),
            Trigger(
                "丙",
                "乙县",
                "县长",
                "主要负责人",
                8,
                2,
                "能上能下办法第八条第(二)项",
                "短",
                tolerated=True,
                tolerance_ref="容1号",
            ),
        ],
        impact_periods=[
            ImpactPeriod(
                "丁",
                "戊局",
                None,
                "降职",
                date(2022, 3, 10),
                date(2024, 3, 9),
                "能上能下办法第十六条",
                "至2024年3月9日",
                "2022年调整记录",
            )
        ],
        warnings=[RunWarning("test", "一条提示")],
    )
    path = tmp_path / "out.xlsx"
    write_demotions_xlsx(result, path)
    book = openpyxl.load_workbook(path)
    sheet = book["能下触发名单"]
    assert sheet.row_dimensions[2].height >= 30  # wraps to at least two lines at width 60
    assert sheet.row_dimensions[3].height is None
    assert sheet["G3"].value == "容错免责(容1号)" and sheet["A3"].fill.fgColor.rgb.endswith(TOLERATED_FILL[1:])
    assert sheet["A2"].fill.fgColor.rgb != sheet["A3"].fill.fgColor.rgb
    impact = book["影响期"]
    assert impact["E2"].value.date() == date(2024, 3, 9) and impact["E2"].number_format == "yyyy-mm-dd"
    assert [row[1].value for row in book["提示"].iter_rows(min_row=2)][-1] == "一条提示"


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    """A unit name or basis from the input such as =HYPERLINK(...) must never become a live formula."""
    from openpyxl import load_workbook as _load
    from sanshi.writers.xlsx import TableColumn, new_workbook, save_workbook, write_table

    book = new_workbook("t")
    write_table(
        book,
        "表",
        (TableColumn("单位"), TableColumn("依据")),
        [('=HYPERLINK("http://x","点此")', "+1"), ("@SUM(A1)", "-2")],
    )
    path = tmp_path / "t.xlsx"
    save_workbook(book, path)
    sheet = _load(path)["表"]
    assert [(c.value, c.data_type) for c in sheet[2]] == [('=HYPERLINK("http://x","点此")', "s"), ("+1", "s")]
    assert sheet["A3"].data_type == "s" and sheet["B3"].value == "-2"


def test_a_sheets_columns_are_the_records_own_declarations():
    """Headers, number formats, wrapping and how a value shows as text come from the result record's fields
    (sanshi.results.shown), so the JSON key, the header and the format of a field are declared once."""
    from fractions import Fraction

    from sanshi.results import GroupCut
    from sanshi.writers.xlsx import DATE_FORMAT, RecordTable, TableColumn, exact_format, percent_format, record_table
    from sanshi.results import ImpactPeriod

    table = record_table(GroupCut, "group", "ratio", "rounding", "cut_score", "basis")
    assert table.columns == (
        TableColumn("类别"),
        TableColumn("比例", percent_format),  # shown as text "35%" elsewhere; a number in a workbook
        TableColumn("取整方式"),
        TableColumn("名额线得分", exact_format),
        TableColumn("依据", wrap=True),
    )
    cut = GroupCut("目标责任考核", "县", 20, Fraction(7, 20), "floor", 7, 20, 7, None, "第五条", "20×35%=7")
    assert list(table.rows([cut])) == [["县", Fraction(7, 20), "向下取整", None, "20×35%=7"]]
    assert (percent_format(Fraction(7, 20)), percent_format(Fraction(1, 3))) == ("0%", "0.00%")  # 35%, 33.33%
    assert record_table(ImpactPeriod, "decided").columns == (TableColumn("决定日期", DATE_FORMAT),)
    extra = RecordTable(GroupCut, ("group",), ((0, TableColumn("序"), lambda c: c.quota),))
    assert [c.header for c in extra.columns] == ["序", "类别"] and list(extra.rows([cut])) == [[7, "县"]]
