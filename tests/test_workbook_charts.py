"""The awards workbook's 图表 sheet: native charts, each beside the block of cells it draws.

Read back as a zip: each chart's XML says which cells its title, series names, categories and values come
from; the test reads those cells with openpyxl and compares them with numbers worked out by hand below.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from sanshi.results import TARGET_EXCELLENT, Award, AwardsResult, GroupCut, UnitGrade
from sanshi.writers.xlsx import write_awards_xlsx

CUT = "鼓励激励办法第五条第(一)项"
COUNTY = "鼓励激励办法第五条第(二)项"
FORMULA_NAME = '=HYPERLINK("x")'
NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
XDR = {"xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"}
CITIES = ["甲市", "乙市", FORMULA_NAME, "丁市", "戊市"]
CITY_SCORES = [95.5, 93.25, 92.8, 90.5, 88]
# 省级部门: 16 units, 95 down to 87.5 in steps of 0.5; the first five are 优秀, the 名额线 is the fifth's 93.
DEPARTMENTS = [f"省局{number:02d}" for number in range(1, 17)]
DEPARTMENT_SCORES = [Decimal(95) - Decimal("0.5") * index for index in range(16)]


def _result() -> AwardsResult:
    grade = {True: "优秀", False: "良好"}
    cities = [
        UnitGrade(unit, "设区市", Decimal(str(score)), rank, grade[rank <= 2], rank <= 2, CUT, "")
        for rank, (unit, score) in enumerate(zip(CITIES, CITY_SCORES), start=1)
    ]
    # The third city scores above the 名额线 but is barred: it is drawn as 其他.
    cities[2] = UnitGrade(FORMULA_NAME, "设区市", Decimal("92.8"), 3, "良好", False, CUT, "", barred="审计问题")
    departments = [
        UnitGrade(unit, "省级部门", score, rank, grade[rank <= 5], rank <= 5, CUT, "")
        for rank, (unit, score) in enumerate(zip(DEPARTMENTS, DEPARTMENT_SCORES), start=1)
    ]
    return AwardsResult(
        year=2023,
        rules="shaanxi-2018",
        source="2023.xlsx",
        source_sha256="ab" * 32,
        target_units=cities + departments,
        cuts=[
            GroupCut("目标责任考核", "设区市", 5, Fraction(35, 100), "round", 2, 4, 2, Decimal("93.25"), CUT, ""),
            GroupCut("目标责任考核", "省级部门", 16, Fraction(35, 100), "floor", 5, 16, 5, Decimal("93"), CUT, ""),
        ],
        awards=[
            Award("甲市", TARGET_EXCELLENT, None, None, CUT, ""),  # a title without money: not in the prize chart
            Award("A县", "十强县", None, Decimal("100"), COUNTY, ""),
            Award("B县", "十强县", None, Decimal("80"), COUNTY, ""),
            Award("A县", "县域争先进位奖", "三等奖", Decimal("30"), COUNTY, ""),
        ],
    )


class Saved:
    """The saved workbook: its charts' XML by title, and the 图表 sheet's cells."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with zipfile.ZipFile(path) as package:
            self.names = package.namelist()
            names = sorted(
                (n for n in self.names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
                key=lambda n: int(re.sub(r"\D", "", n)),
            )
            self.charts = [ElementTree.fromstring(package.read(name)) for name in names]
        self.book = openpyxl.load_workbook(path)
        self.sheet = self.book["图表"]

    def cells(self, ref: str) -> list[object]:
        """The values of a chart reference such as '图表'!$C$3:$C$7 (the sheet is quoted or not)."""
        sheet, _, cells = ref.rpartition("!")
        assert sheet.strip("'") == "图表"
        found = self.sheet[cells.replace("$", "")]
        if not isinstance(found, tuple):
            return [found.value]
        return [cell.value for row in found for cell in (row if isinstance(row, tuple) else (row,))]

    def chart(self, title_start: str) -> ElementTree.Element:
        [found] = [c for c in self.charts if self.title(c).startswith(title_start)]
        return found

    def title(self, chart: ElementTree.Element) -> str:
        [value] = self.cells(chart.find("c:chart/c:title/c:tx/c:strRef/c:f", NS).text)
        return value


def _series(chart: ElementTree.Element) -> list[dict[str, object]]:
    """Each series: the chart type holding it, its name, categories and values references."""
    found = []
    for group in chart.find("c:chart/c:plotArea", NS):
        for ser in group.findall("c:ser", NS):
            found.append(
                {
                    "type": group.tag.split("}")[1],
                    "axes": [a.get("val") for a in group.findall("c:axId", NS)],
                    "name": ser.find("c:tx/c:strRef/c:f", NS).text,
                    "categories": ser.find("c:cat/*/c:f", NS).text,
                    "values": ser.find("c:val/c:numRef/c:f", NS).text,
                }
            )
    return found


def _plain(ref: str) -> str:
    return ref.replace("'", "")


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Saved:
    path = tmp_path_factory.mktemp("charts") / "awards.xlsx"
    write_awards_xlsx(_result(), path)
    return Saved(path)


def test_chart_sheet_comes_after_the_data_sheets_and_holds_three_charts(saved):
    names = saved.book.sheetnames
    assert names[-2:] == ["图表", "提示"]  # after every table; the notes on the run stay last
    # One chart per 目标责任考核 group (设区市, 省级部门) and the prize money chart, all drawn on 图表.
    assert len(saved.charts) == 3
    with zipfile.ZipFile(saved.path) as package:
        sheet_file = f"xl/worksheets/_rels/sheet{names.index('图表') + 1}.xml.rels"
        assert "drawing1.xml" in package.read(sheet_file).decode()


def test_score_chart_points_at_its_block_with_hand_worked_values(saved):
    # Groups go by name whatever the order of the workbook's rows: 省级部门 (U+7701) before 设区市 (U+8BBE).
    # The three charts stand in rows 1 to 3; the blocks start below a blank row, at row 5.
    first = saved.chart("目标责任考核 · 省级部门")
    assert _plain(first.find("c:chart/c:title/c:tx/c:strRef/c:f", NS).text) == "图表!$A$5"
    chart = saved.chart("目标责任考核 · 设区市")
    assert saved.title(chart) == "目标责任考核 · 设区市:综合得分与优秀名额线"
    title = _plain(chart.find("c:chart/c:title/c:tx/c:strRef/c:f", NS).text)
    top = int(re.fullmatch(r"图表!\$A\$(\d+)", title).group(1))
    assert top == 5 + 1 + 16 + 2  # below the 省级部门 block: its title, header, 16 units and a blank row
    series = _series(chart)
    # The header row under the title, the five cities in the five rows under it.
    assert [(_plain(s["name"]), _plain(s["categories"]), _plain(s["values"])) for s in series] == [
        (f"图表!${c}${top + 1}", f"图表!$B${top + 2}:$B${top + 6}", f"图表!${c}${top + 2}:${c}${top + 6}")
        for c in "CDE"
    ]
    assert [c.value for c in saved.sheet[top + 1][:5]] == [
        "名次",
        "单位",
        "综合得分(优秀)",
        "综合得分(其他)",
        "名额线 93.25",
    ]
    assert saved.cells(f"图表!$A${top + 2}:$A${top + 6}") == [1, 2, 3, 4, 5]
    assert saved.cells(series[0]["categories"]) == CITIES  # rank order
    # Each unit's score in exactly one of 优秀 and 其他; the barred 92.8, above the line, is 其他.
    assert saved.cells(series[0]["values"]) == [95.5, 93.25, None, None, None]
    assert saved.cells(series[1]["values"]) == [None, None, 92.8, 90.5, 88]
    assert [s["type"] for s in series[:2]] == ["barChart", "barChart"]
    assert chart.find("c:chart/c:plotArea/c:barChart/c:barDir", NS).get("val") == "col"  # 5 units: columns
    assert chart.find("c:chart/c:plotArea/c:barChart/c:overlap", NS).get("val") == "100"


def test_cut_is_a_line_at_the_cut_score_on_every_unit(saved):
    series = _series(saved.chart("目标责任考核 · 设区市"))[2]
    assert series["type"] == "lineChart"
    assert saved.cells(series["name"]) == ["名额线 93.25"]
    assert saved.cells(series["values"]) == [93.25] * 5


def test_score_axis_starts_a_point_below_the_lowest_whole_score(saved):
    axis = saved.chart("目标责任考核 · 设区市").find("c:chart/c:plotArea/c:valAx", NS)
    scaling = {e.tag.split("}")[1]: e.get("val") for e in axis.find("c:scaling", NS)}
    # floor(88) − 1 = 87 up to floor(95.5) + 1 = 96: 9 points, ticks of 1.
    assert (scaling["min"], scaling["max"], axis.find("c:majorUnit", NS).get("val")) == ("87", "96", "1")
    titles = ["".join(t.itertext()) for t in saved.chart("目标责任考核 · 设区市").iter(f"{{{NS['c']}}}title")]
    assert "单位(按名次)" in titles and "综合得分" in titles


def test_many_units_stand_upright_under_columns_with_the_cut_as_a_line(saved):
    chart = saved.chart("目标责任考核 · 省级部门")
    plot = chart.find("c:chart/c:plotArea", NS)
    assert plot.find("c:barChart/c:barDir", NS).get("val") == "col"
    series = _series(chart)
    assert [saved.cells(s["name"])[0] for s in series] == ["综合得分(优秀)", "综合得分(其他)", "名额线 93"]
    assert [s["type"] for s in series] == ["barChart", "barChart", "lineChart"]  # a line, not a shaded band
    assert saved.cells(series[0]["categories"]) == DEPARTMENTS  # first place first
    assert saved.cells(series[0]["values"]) == [95, 94.5, 94, 93.5, 93] + [None] * 11
    assert saved.cells(series[1]["values"]) == [None] * 5 + [92.5 - 0.5 * i for i in range(11)]
    assert saved.cells(series[2]["values"]) == [93] * 16
    line = plot.find("c:lineChart/c:ser/c:spPr/a:ln", {**NS, "a": A})
    assert line.find("a:prstDash", {"a": A}).get("val") == "dash"
    # 16 names, more than 12: turned a quarter (-90°, in 60000ths of a degree) so that every one shows.
    labels = plot.find("c:catAx/c:txPr/a:bodyPr", {**NS, "a": A})
    assert labels.get("rot") == "-5400000"
    five = saved.chart("目标责任考核 · 设区市").find("c:chart/c:plotArea/c:catAx/c:txPr/a:bodyPr", {**NS, "a": A})
    assert five.get("rot") is None
    # floor(87.5) − 1 = 86 up to floor(95) + 1 = 96.
    value = plot.find("c:valAx/c:scaling", NS)
    assert (value.find("c:min", NS).get("val"), value.find("c:max", NS).get("val")) == ("86", "96")


def test_prize_chart_stacks_each_units_awards_with_the_total_in_the_title(saved):
    chart = saved.chart("奖励资金")
    # A县 100 + 30 = 130, B县 80; 130 + 80 = 210 (甲市's title has no money).
    assert saved.title(chart) == "奖励资金:按单位和奖项(合计210万元)"
    assert chart.find("c:chart/c:plotArea/c:barChart/c:grouping", NS).get("val") == "stacked"
    assert chart.find("c:chart/c:plotArea/c:barChart/c:barDir", NS).get("val") == "col"
    series = _series(chart)
    assert [saved.cells(s["name"])[0] for s in series] == ["十强县", "县域争先进位奖"]
    assert saved.cells(series[0]["categories"]) == ["A县", "B县"]  # largest total first
    assert saved.cells(series[0]["values"]) == [100, 80]
    assert saved.cells(series[1]["values"]) == [30, None]
    # The block: 序号, 单位, one column per award, 合计; its total row, which the chart leaves out.
    first = int(re.search(r"\$(\d+):", series[0]["values"]).group(1))
    header = [c.value for c in saved.sheet[first - 1]][:5]
    assert header == ["序号", "单位", "十强县", "县域争先进位奖", "合计"]
    assert [c.value for c in saved.sheet[first]][:5] == [1, "A县", 100, 30, 130]
    assert [c.value for c in saved.sheet[first + 2]][:5] == ["合计", None, 180, 30, 210]
    titles = ["".join(t.itertext()) for t in chart.iter(f"{{{NS['c']}}}title")]
    assert "万元" in titles


def test_unit_name_that_looks_like_a_formula_is_text(saved):
    [cell] = [c for row in saved.sheet.iter_rows() for c in row if c.value == FORMULA_NAME]
    assert cell.data_type == "s"
    with zipfile.ZipFile(saved.path) as package:
        sheet_file = f"xl/worksheets/sheet{saved.book.sheetnames.index('图表') + 1}.xml"
        assert "<f>" not in package.read(sheet_file).decode()


def test_each_chart_prints_on_its_own_a4_landscape_page(saved):
    """Each chart alone in a row of its own, a page break after each of the first two, and a print area of just
    those rows: three pages, a chart each, which no page can cut (the anchors start and end in one row)."""
    setup = saved.sheet.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9
    assert [b.id for b in saved.sheet.row_breaks.brk] == [1, 2]
    # Excel's tallest row, 409 points, kept to whole pixels: 545 × 3/4 = 408.75.
    assert [saved.sheet.row_dimensions[row].height for row in (1, 2, 3)] == [408.75] * 3
    # The blocks' columns: 名次 6, 单位 17 (=HYPERLINK("x") is 15 wide, + 2), then 10 each (scores, awards, 合计);
    # 6 × 8 + 5 + 17 × 8 + 5 + 3 × (10 × 8 + 5) = 53 + 141 + 255 = 449 pixels, short of the 960 a chart takes:
    # seven blank columns of 10 more make 449 + 7 × 85 = 1044 (six would give 959).
    widths = [  # adjacent columns as wide share an entry
        round(dim.width - 5 / 8) for dim in saved.sheet.column_dimensions.values() for _ in range(dim.min, dim.max + 1)
    ]
    assert widths == [6, 17] + [10] * 10
    assert saved.sheet.print_area == "'图表'!$A$1:$L$3"
    # 1026 printable pixels across A4 landscape / (1044 × 1.05 for a wider-drawing program) = 93.6%: 93%.
    assert int(setup.scale) == 93 and not saved.sheet.sheet_properties.pageSetUpPr.fitToPage
    with zipfile.ZipFile(saved.path) as package:
        drawing = ElementTree.fromstring(package.read("xl/drawings/drawing1.xml"))
    anchors = [
        (int(a.find("xdr:from/xdr:row", XDR).text), int(a.find("xdr:to/xdr:row", XDR).text))
        for a in drawing.findall("xdr:twoCellAnchor", XDR)
    ]
    assert anchors == [(0, 0), (1, 1), (2, 2)]


def test_chart_text_prints_at_its_size_in_a_chinese_font(saved):
    # Printed at 93%, a 9-point label is written 9 / 0.93 = 9.68, to the half point 9.5 (8.8 points on paper).
    chart = saved.chart("奖励资金")
    sizes = {int(r.get("sz")) for r in chart.iter(f"{{{A}}}defRPr") if r.get("sz")}
    assert 950 in sizes and min(sizes) * 0.93 >= 800
    assert {f.get("typeface") for f in chart.iter(f"{{{A}}}latin")} == {"等线"}


def test_nothing_to_chart_leaves_a_note(tmp_path: Path):
    path = tmp_path / "empty.xlsx"
    write_awards_xlsx(AwardsResult(year=2023, rules="shaanxi-2018", source="2023.xlsx", source_sha256=""), path)
    empty = Saved(path)
    assert empty.charts == []
    assert "没有图表" in empty.sheet["A1"].value


def test_same_result_same_bytes(tmp_path: Path):
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    write_awards_xlsx(_result(), one)
    write_awards_xlsx(_result(), two)
    assert one.read_bytes() == two.read_bytes()
