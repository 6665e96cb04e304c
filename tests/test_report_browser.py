"""The year report in a real browser (headless Chromium, tests/browser.py): every chart draws, with the marks
it should have, nothing is fetched, nothing is logged as an error, and it prints to A4.

The report is of the sample data (2023, history 2021 and 2022, the local pack), whose size the README gives:
12 设区市 and 40 省级部门 in the target assessment, 50 units in the poverty one, 80 counties and 25 districts.
A screenshot and a PDF are kept in the test's tmp dir for a person to look at.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from tests.conftest import SAMPLE

pytestmark = pytest.mark.slow  # headless Chromium

# Per chart: [number of marks, width, height] as drawn, for every svg.chart on the page.
CHARTS_JS = """
JSON.stringify(Array.from(document.querySelectorAll('svg.chart')).reduce((found, svg) => {
  const box = svg.getBoundingClientRect();
  const key = svg.dataset.chart;
  const [marks, width, height, count] = found[key] || [0, 0, 0, 0];
  found[key] = [marks + svg.querySelectorAll('.mark').length, Math.max(width, box.width),
                Math.max(height, box.height), count + 1];
  return found;
}, {}))
"""
# Marks that are drawn but have no size (a shape of zero width, a label outside its chart's box) would not show.
EMPTY_MARKS_JS = """
Array.from(document.querySelectorAll('svg.chart .mark')).filter(mark => {
  const box = mark.getBBox();
  return !(box.width > 0 && box.height > 0);
}).length
"""


@pytest.fixture(scope="module")
def sample_report(sample_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    done = CliRunner().invoke(
        app,
        [
            "report",
            str(SAMPLE / "2023.xlsx"),
            "--rules",
            str(SAMPLE / "local-pack.toml"),
            "--db",
            str(sample_db),
            "--out",
            str(out),
        ],
    )
    assert done.exit_code == 0, done.output
    return out / "2023年度考核结果报告.html"


def test_every_chart_renders_with_its_marks(browser, sample_report, tmp_path):
    with browser.open(sample_report, width=1300, height=1000) as page:
        charts = json.loads(page.evaluate(CHARTS_JS))
        counts = {key: marks for key, (marks, _, _, _) in charts.items()}
        assert counts == {
            "score-1-1": 40,
            "score-1-2": 12,  # 目标责任考核: 省级部门, 设区市 (groups by name)
            "score-1-3": 50,  # 脱贫攻坚
            "slope-2-1": 80,
            "slope-2-2": 25,  # counties, districts
            # 80 awards, 62 with money (the README's 共 62 项); 白城县's 十强县 was floored to 0: 61 segments
            "prize-3-1": 61,
            # 16 clauses; 8(1) and 8(2) have 未容错 and 容错免责, 8(3) also 未能判定: 13 + 2 + 2 + 3 segments
            "demotion-4-1": 20,
            "trend": (52 + 105 + 50) * 3,  # every unit of the three lists has 2021, 2022 and 2023
        }
        assert charts["trend"][3] == 52 + 105 + 50  # one small panel per unit and assessment
        for key, (_, width, height, _) in charts.items():
            assert width > 100 and height > 80, key  # drawn at a size a person can read
        assert page.evaluate(EMPTY_MARKS_JS) == 0
        assert (
            page.evaluate("document.querySelectorAll('figure').length") == 10
        )  # 7 charts and 3 grids of small multiples
        # Every figure has its data table, with as many rows as the chart has units (or clauses, or prize lines).
        rows = page.evaluate("Array.from(document.querySelectorAll('figure table tbody')).map(b => b.rows.length)")
        # 47 units have prize money and 16 clauses a 能下 row; those two tables end with a 合计 row.
        assert rows == [40, 12, 50, 80, 25, 47 + 1, 16 + 1, 52, 105, 50]
        assert page.console_errors == []
        assert page.requests == [sample_report.as_uri()]  # nothing but the file itself
        shot = page.screenshot(tmp_path / "report.png")
        pdf = page.pdf(tmp_path / "report.pdf")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    print(f"\nscreenshot: {shot}\nA4 PDF: {pdf}")


def test_fonts_give_chinese_text_a_width(browser, sample_report):
    """A label drawn in a font without CJK glyphs would still have a width (tofu boxes), so this checks that the
    first axis title is laid out as text at all, at a width near what the writer allowed for it."""
    with browser.open(sample_report) as page:
        width = page.evaluate("""(() => {
          const label = Array.from(document.querySelectorAll('svg[data-chart="score-1-1"] text'))
            .find(t => t.textContent === '综合得分');
          return label.getComputedTextLength();
        })()""")
    assert 30 < width < 80  # four characters of 12 px
