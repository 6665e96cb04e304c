"""The sample year's result workbooks as printed: rendered to PDF with LibreOffice and read back, and their page
setup read from the xlsx with openpyxl.

Each printed page names its sheet in the footer's left corner, so a page is told by the sheet it comes from. A
full-width Chinese character is one em wide, so a word of n ideographs that is w points wide on the page was
printed at w / n points: the size the reader sees, whatever scale the sheet was printed at.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.writers.wrap import display_width

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
AWARDS, DEMOTIONS = "2023年度考核奖励结果.xlsx", "2023年度能下触发名单.xlsx"
IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff]+")
# The three charts of the sample year: two 目标责任考核 groups (by name) and the prize money (total_amount_wan
# 3870 in tests/golden/awards-2023.json).
CHART_TITLES = [
    "目标责任考核·省级部门:综合得分与优秀名额线",
    "目标责任考核·设区市:综合得分与优秀名额线",
    "奖励资金:按单位和奖项(合计3870万元)",
]


@dataclass(frozen=True)
class Page:
    sheet: str  # the footer's left corner
    width: float
    height: float
    words: list[tuple[str, float, float]]  # text, width and height in points

    @property
    def text(self) -> str:
        return "".join(word for word, _, _ in self.words)

    def printed_sizes(self) -> list[float]:
        """The printed size (points) of each word of two or more ideographs set across the page."""
        return [w / len(t) for t, w, h in self.words if IDEOGRAPHS.fullmatch(t) and len(t) >= 2 and w > h]


def _pages(pdf: Path) -> list[Page]:
    """Each page of `pdf` with its words' boxes (pdftotext -bbox)."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    for page in ElementTree.fromstring(xhtml).iter("{http://www.w3.org/1999/xhtml}page"):
        width, height = float(page.get("width")), float(page.get("height"))
        boxes = [
            (w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in page.iter("{http://www.w3.org/1999/xhtml}word")
        ]
        footer = [t for t, x0, y0, _, _ in boxes if y0 > height - 50 and x0 < width / 2]
        words = [(t, x1 - x0, y1 - y0) for t, x0, y0, x1, y1 in boxes if y0 <= height - 50]
        found.append(Page("".join(footer), width, height, words))
    return found


@pytest.fixture(scope="module")
def made(sample_db, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("print")
    rules = str(SAMPLE / "local-pack.toml")
    for command in (["awards", "--rules", rules], ["demotions"]):
        done = CliRunner().invoke(
            app, [command[0], str(SAMPLE / "2023.xlsx"), *command[1:], "--db", str(sample_db), "--out", str(folder)]
        )
        assert done.exit_code == 0, done.output
    return folder


@pytest.fixture(scope="module")
def printed(office, made, tmp_path_factory) -> dict[str, list[Page]]:
    """Both workbooks printed to PDF in one LibreOffice run: the pages of each."""
    pdfs = office.to_pdf([made / AWARDS, made / DEMOTIONS], tmp_path_factory.mktemp("pdf"))
    return {name: _pages(pdf) for name, pdf in zip((AWARDS, DEMOTIONS), pdfs)}


def test_each_chart_prints_whole_on_a_page_of_its_own(printed, made):
    pages = printed[AWARDS]
    with zipfile.ZipFile(made / AWARDS) as package:
        charts = [n for n in package.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    chart_pages = [page for page in pages if page.sheet == "图表"]
    assert len(charts) == len(chart_pages) == 3
    # In order, each page holding its chart's whole title (the chart draws it with spaces around the colon).
    assert [re.sub(r"\s", "", page.text).count(title) for page, title in zip(chart_pages, CHART_TITLES)] == [1, 1, 1]
    # After every data sheet, before the notes; landscape; the chart's own words at 8 points or more on paper.
    assert [page.sheet for page in pages[-4:]] == ["图表", "图表", "图表", "提示"]
    for page in chart_pages:
        assert page.width > page.height
        assert min(page.printed_sizes()) >= 8


def test_the_demotion_list_prints_landscape_at_eight_points_or_more(printed):
    pages = [page for page in printed[DEMOTIONS] if page.sheet == "能下触发名单"]
    assert pages and all(page.width > page.height for page in pages)
    sizes = [size for page in pages for size in page.printed_sizes()]
    # 11 points × 1026 / 1280 = 8.8 as Excel lays it out (see below); LibreOffice's columns run 2.5% wider: 8.6.
    assert min(sizes) >= 8


def test_the_demotion_lists_page_setup_worked_by_hand(made):
    sheet = openpyxl.load_workbook(made / DEMOTIONS)["能下触发名单"]
    widths = [round(d.width - 5 / 8) for d in sheet.column_dimensions.values() for _ in range(d.min, d.max + 1)]
    # As wide as the longest value + 2: 姓名 8 (the least), 单位 省人力资源社会保障厅 20 + 2, 职务 党组成员、副主任
    # 16 + 2, 岗位类别 党委(党组)书记 14 + 2, 条款 能上能下办法第十一条第(一)项 28 + 2, 依据 60 (the cap), 容错
    # 容错免责(秦组容〔2023〕5号) 27 + 2, 干部编号 8 + 2: at 8 pixels a character + 5, 69 + 181 + 149 + 133 + 245
    # + 485 + 237 + 85 = 1584 pixels, wider than landscape's 1026. To fit at 80% (1026 / 0.8 = 1282.5, 301.5 less)
    # the long columns 条款, 依据 and 容错 come down to one level: at 28 (229 pixels) they give up
    # (245 − 229) + (485 − 229) + (237 − 229) = 280, too little; at 27 (221), 24 + 264 + 16 = 304; and they wrap.
    assert widths == [8, 22, 18, 16, 27, 27, 27, 10]
    for column in (5, 6, 7):
        cells = [row[0] for row in sheet.iter_rows(min_row=2, min_col=column, max_col=column) if row[0].value]
        assert cells and all(cell.alignment.wrap_text for cell in cells)
    # 69 + 181 + 149 + 133 + 3 × 221 + 85 = 1280 pixels: fitted to the page's width at 1026 / 1280 = 80.2%,
    # 11 points × 0.802 = 8.8 on paper.
    assert sum(8 * w + 5 for w in widths) == 1280
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0
    assert 11 * 1026 / 1280 >= 8


def test_no_header_is_clipped(made):
    """Every header fits its column (a character's worth left for the filter's arrow), or wraps in a header row
    tall enough for its lines (16 points each)."""
    for name in (AWARDS, DEMOTIONS):
        for sheet in openpyxl.load_workbook(made / name):
            if sheet.title == "图表":
                continue
            widths = {col: d.width - 5 / 8 for d in sheet.column_dimensions.values() for col in range(d.min, d.max + 1)}
            for cell in sheet[1]:
                usable = int(widths.get(cell.column, 8.38)) - 1
                lines = -(-display_width(cell.value) // usable)
                assert lines == 1 or (cell.alignment.wrap_text and sheet.row_dimensions[1].height >= 16 * lines), (
                    f"{name} › {sheet.title} › {cell.coordinate}"
                )


def test_ratios_are_numbers_with_a_percent_format(made):
    book = openpyxl.load_workbook(made / AWARDS)
    # 35% of a group and 20% of an 优秀 unit's staff (local-pack.toml): 7/20 and 1/5 as numbers.
    for sheet, column, value in (("优秀名额测算", "D", 0.35), ("干部优秀名额", "D", 0.2)):
        cell = book[sheet][f"{column}2"]
        assert (cell.value, cell.data_type, cell.number_format) == (value, "n", "0%"), sheet
    percent_text = re.compile(r"\d+(\.\d+)?%")
    for sheet in book:
        assert not [c.coordinate for row in sheet.iter_rows() for c in row if percent_text.fullmatch(str(c.value))]


def test_no_calibri_in_the_styles(made):
    for name in (AWARDS, DEMOTIONS):
        with zipfile.ZipFile(made / name) as package:
            styles = package.read("xl/styles.xml").decode()
        assert "Calibri" not in styles and '<name val="等线"/>' in styles
