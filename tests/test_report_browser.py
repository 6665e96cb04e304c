"""The year report in a real browser (headless Chromium, tests/browser.py): every chart draws, with the marks
it should have, nothing is fetched, nothing is logged as an error, and it prints to A4.

The report is of the sample data (2023, history 2021 and 2022, the local pack), whose size the README gives:
12 设区市 and 40 省级部门 in the target assessment, 50 units in the poverty one, 80 counties and 25 districts.
A screenshot and a PDF are kept in the test's tmp dir for a person to look at.
"""

from __future__ import annotations

import json
import math
import re
import subprocess

import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from tests.conftest import SAMPLE
from tests.office import page_texts

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


# ---- printed on A4 (issue 20 item 10) ----------------------------------------------------------------------

# 186 mm of A4 between the report's 12 mm side margins (@page), in CSS px (96 per inch).
PRINT_WIDTH_PX = round(186 / 25.4 * 96)  # 703
HEADINGS_JS = "Array.from(document.querySelectorAll('h1, h2, h3, figcaption')).map(h => h.textContent)"
# Per section: its heading and its lead, the paragraph under the heading.
LEADS_JS = """Array.from(document.querySelectorAll('section > h2')).map(h =>
  [h.textContent, h.nextElementSibling && h.nextElementSibling.matches('p.note') ? h.nextElementSibling.textContent : ''])"""
# Per figure: its caption and the first text its chart draws (an axis title, or the first panel's unit name).
FIGURES_JS = """Array.from(document.querySelectorAll('figure')).map(f =>
  [f.querySelector('figcaption').textContent, f.querySelector('svg.chart text').textContent])"""
# Every text of one chart: its size on the screen in px (font size times the chart's scale).
SIZES_JS = """Array.from(document.querySelectorAll('svg[data-chart="%s"] text')).map(t =>
  parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
# Every visible text: the page's own, and the charts' (their labels and tooltips).
TEXT_JS = """[document.body.innerText,
  ...Array.from(document.querySelectorAll('svg text, svg title')).map(t => t.textContent)].join('\\n')"""
# In every small multiple, the point labels (class value) whose box meets a rank or year tick's (class tick).
TICK_HITS_JS = """(() => {
  const found = {values: 0, ticks: 0, hits: []};
  for (const svg of document.querySelectorAll('svg[data-chart="trend"]')) {
    const boxes = cls => Array.from(svg.querySelectorAll('text.' + cls)).map(t => [t.textContent, t.getBBox()]);
    const values = boxes('value'), ticks = boxes('tick');
    found.values += values.length;
    found.ticks += ticks.length;
    for (const [label, v] of values) for (const [tick, t] of ticks)
      if (v.x < t.x + t.width && t.x < v.x + v.width && v.y < t.y + t.height && t.y < v.y + v.height)
        found.hits.push(svg.getAttribute('aria-label') + ': ' + label + ' on ' + tick);
  }
  return found;
})()"""
LEGEND_JS = """Object.fromEntries(Array.from(document.querySelectorAll('#fig-3-1 .legend span')).map(s =>
  [s.textContent, getComputedStyle(s.querySelector('i')).backgroundColor]))"""
SEGMENT_FILLS_JS = """Array.from(document.querySelectorAll('svg[data-chart="prize-3-1"] .mark'))
  .map(m => [m.dataset.award, m.getAttribute('fill')])"""
HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _layout_pages(pdf) -> list[str]:
    """Each page's text line by line from top to bottom (pdftotext -layout): without it, pdftotext may read a
    row of boxes beside a heading after the heading."""
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout.split("\f")[:-1]


@pytest.fixture(scope="module")
def printed(browser, sample_report, tmp_path_factory):
    """The sample report printed to A4 as a browser prints it, with what the page says its headings and figures
    are, and what the screen and the print layout show."""
    pdf = tmp_path_factory.mktemp("print") / "report.pdf"
    with browser.open(sample_report, width=1300, height=1000) as page:
        found = {
            "headings": page.evaluate(HEADINGS_JS),
            "leads": page.evaluate(LEADS_JS),
            "figures": page.evaluate(FIGURES_JS),
            "screen_sizes": page.evaluate(SIZES_JS % "slope-2-1"),
            "text": page.evaluate(TEXT_JS),
            "tick_hits": page.evaluate(TICK_HITS_JS),
            "legend": page.evaluate(LEGEND_JS),
            "segments": page.evaluate(SEGMENT_FILLS_JS),
        }
        page.pdf(pdf)
        page.emulate_media("print", width=PRINT_WIDTH_PX)
        found["print_width"] = page.evaluate(
            "document.querySelector('svg[data-chart=\"slope-2-1\"]').getBoundingClientRect().width"
        )
    print(f"\nA4 PDF: {pdf}")
    return pdf, found


def test_no_printed_page_is_only_headings_or_ends_with_a_section_opening(printed):
    """A heading with nothing of its own under it on the page is what the print layout must never do. The
    report's headings are its h1, h2 and h3 and the figures' captions. A page fails when every line it has is
    one of them, or when it ends with a section's heading followed by nothing but (a part of) that section's
    lead paragraph: the old page 1 (the title page, then 一、's heading and lead, its figure on page 2) and the
    old page 11 (三、's heading and lead alone)."""
    pdf, found = printed
    headings = {_squeeze(h) for h in found["headings"]}
    assert len(headings) >= 5 + 10  # the five sections and ten figures at least
    leads = [(_squeeze(heading), _squeeze(lead)) for heading, lead in found["leads"]]
    assert len(leads) >= 5 and all(lead for _, lead in leads[:5])
    texts = _layout_pages(pdf)
    assert 20 <= len(texts) <= 30  # 28 pages before the print layout was fixed, 27 after
    for number, text in enumerate(texts, start=1):
        lines = [_squeeze(line) for line in text.splitlines() if line.strip()]
        assert lines, f"page {number} is empty"
        assert not all(line in headings for line in lines), f"page {number} is only headings: {lines}"
        assert lines[-1] not in headings, f"page {number} ends with the heading {lines[-1]}"
        page = "".join(lines)
        for heading, lead in leads:
            if heading in page:
                rest = page[page.rindex(heading) + len(heading) :]
                assert not lead.startswith(rest), f"page {number} ends with {heading} and its lead alone"


def test_every_figure_prints_on_the_page_of_its_caption(printed):
    pdf, found = printed
    texts = [_squeeze(text) for text in page_texts(pdf)]
    assert len(found["figures"]) == 10
    for caption, first_text in found["figures"]:
        caption, first_text = _squeeze(caption), _squeeze(first_text)
        [page] = [text for text in texts if caption in text]
        assert first_text in page[page.index(caption) + len(caption) :], f"{caption}: its chart is on another page"


def test_slope_chart_labels_are_readable_on_screen_and_on_paper(printed):
    """图2-1, 80 counties: 11 px or more on a 1300 px screen; across the page and 7 pt or more on A4. On paper
    a county's name is measured in the PDF itself: a Han character is one em wide, so a name of n characters
    is n times its font size wide."""
    pdf, found = printed
    assert len(found["screen_sizes"]) > 160 and min(found["screen_sizes"]) >= 11
    assert found["print_width"] == pytest.approx(PRINT_WIDTH_PX, abs=2)  # the full width of the page
    [caption] = [_squeeze(caption) for caption, _ in found["figures"] if caption.startswith("图2-1 ")]
    [page] = [n for n, text in enumerate(page_texts(pdf), start=1) if caption in _squeeze(text)]
    words = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes = [
        (float(x_max) - float(x_min)) / len(word)  # PDF points
        for x_min, x_max, word in re.findall(
            r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(\S+?)<', words
        )
        if re.fullmatch(r"[\u4e00-\u9fff]{2,4}[县市]", word)  # a county's name, as the chart labels it
    ]
    assert len(sizes) >= 160  # both ends of every line
    assert min(sizes) >= 7.0


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _lab(rgb: list[float]) -> tuple[float, float, float]:
    """CIELAB (D65) of a linear sRGB colour."""
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


# Machado, Oliveira and Fernandes (2009), severity 1.0, on linear sRGB.
SIMULATIONS = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
}


def _seen(css: str, vision: str) -> tuple[float, float, float]:
    channels = [_linear(int(c)) for c in re.findall(r"\d+", css)[:3]]
    matrix = SIMULATIONS[vision]
    return _lab([min(1.0, max(0.0, sum(m * c for m, c in zip(row, channels)))) for row in matrix])


def test_strong_county_colours_differ_for_colour_blind_readers(printed):
    """新型工业强县 and 生态建设强县, which one county may hold together, must differ for readers with
    protanopia and deuteranopia too (CIE76 ΔE of at least 40; 2.3 is a just-noticeable difference).

    Worked out apart from the report: black (0, 0, 0) stays black under every simulation, L*a*b* (0, 0, 0), so
    the difference is the green's distance from it. Green #009e73 is linear (0, 0.3419, 0.1714). Seen as it is,
    Y = 0.7152 × 0.3419 + 0.0722 × 0.1714 = 0.2569, L* = 116 × 0.2569^⅓ − 16 = 57.7, with a* −45.7, b* 12.8:
    ΔE 74.8. Deuteranopia turns it into linear (0.2552, 0.2381, 0.1807), Y 0.2376, L*a*b* (55.8, −1.3, 9.2): ΔE
    56.6. Protanopia into (0.3248, 0.2858, 0.1639), Y 0.2853, L*a*b* (60.4, −2.2, 18.7): ΔE 63.2. (The greens
    this replaced, #27ae60 and #16a085, are 25.5 apart for deuteranopia, of one lightness.)
    """
    _, found = printed
    legend = found["legend"]
    industry, ecology = legend["新型工业强县"], legend["生态建设强县"]
    assert (industry, ecology) == ("rgb(0, 0, 0)", "rgb(0, 158, 115)")
    fills = dict(found["segments"])  # the chart's bars in the legend's colours
    assert (fills["新型工业强县"], fills["生态建设强县"]) == ("#000000", "#009e73")
    expected = {"normal": (57.7, 74.8), "deuteranopia": (55.8, 56.6), "protanopia": (60.4, 63.2)}
    for vision, (lightness, delta) in expected.items():
        a, b = _seen(industry, vision), _seen(ecology, vision)
        assert b[0] == pytest.approx(lightness, abs=0.1), vision
        assert math.dist(a, b) == pytest.approx(delta, abs=0.1), vision
        assert math.dist(a, b) >= 40, vision


def test_prose_has_full_width_punctuation_between_chinese(printed):
    """No ASCII , : ; ( ) with Chinese on both sides anywhere a reader sees text, the charts' included."""
    _, found = printed
    half = re.findall(f"{HAN}[,:;()]{HAN}", found["text"])
    assert half == []
    assert "名额线得分92.06并列\uff08省商务厅、省能源局\uff09\uff0c按排序列取前1个" in found["text"]


def test_small_multiple_labels_never_sit_on_the_ticks(printed):
    _, found = printed
    ticks = found["tick_hits"]
    # 207 panels (52 + 105 + 50), each with a label per year (3) and ticks for rank 1, the last rank and 3 years.
    assert (ticks["values"], ticks["ticks"]) == (207 * 3, 207 * 5)
    assert ticks["hits"] == []
