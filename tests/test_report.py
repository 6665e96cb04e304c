"""`sanshi report`: the year report's data (standings over the years) and the HTML page it writes.

Three small years written by hand: six 设区市 in the target assessment (quota 6 × 35% → 2) and twelve
counties in the county monitoring. The browser side (the charts really render) is test_report_browser.py.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.errors import RunWarning
from sanshi.inputs.records import AssessedUnit
from sanshi.results import (
    AWARD_ORDER,
    AreaPlace,
    Award,
    AwardsResult,
    DemotionsResult,
    GroupCut,
    Standing,
    Trend,
    Trigger,
    UnitGrade,
    YearReport,
)
from sanshi.rules import trend
from sanshi.rules.params import load_pack
from sanshi.writers import chartdata
from sanshi.writers.chartdata import AWARD_COLOURS
from sanshi.writers.report_html import render_report

runner = CliRunner()

HEAD = ["单位", "类别", "综合得分", "等次", "不得评优"]
# 2021: 乙 95, 甲 90 优秀. 2022: 甲 96, then 乙 and 丙 tied at 94 for the one place left, no 排序: that year's
# grade stays open (优秀或良好). 2023: 乙 barred, 己 preset 一般; the pool 甲 95, 丙 92, 丁 90, 戊 85 -> 甲, 丙.
TARGETS = {
    2021: [["甲市", 90], ["乙市", 95], ["丙市", 85], ["丁市", 80], ["戊市", 75], ["己市", 70]],
    2022: [["甲市", 96], ["乙市", 94], ["丙市", 94], ["丁市", 80], ["戊市", 75], ["己市", 70]],
    2023: [
        ["甲市", 95],
        ["乙市", 93, None, "信访问题"],
        ["丙市", 92],
        ["丁市", 90],
        ["戊市", 85],
        ["己市", 80, "一般"],
    ],
}
# 1号县 falls 1 -> 6 -> 12: the largest decline two years running (能下 9(1)); the others move up.
RANKS = {
    2021: {f"{i}号县": i for i in range(1, 13)},
    2022: {
        "1号县": 6,
        "2号县": 1,
        "3号县": 2,
        "4号县": 3,
        "5号县": 4,
        "6号县": 5,
        **{f"{i}号县": i for i in range(7, 13)},
    },
    2023: {
        "1号县": 12,
        "2号县": 1,
        "3号县": 2,
        "4号县": 3,
        "5号县": 4,
        "6号县": 5,
        **{f"{i}号县": i - 1 for i in range(7, 13)},
    },
}


def _sheets(year: int) -> dict[str, list[list[object]]]:
    target = [HEAD] + [
        [unit, "设区市", score, *rest, *[None] * (2 - len(rest))] for unit, score, *rest in TARGETS[year]
    ]
    last = RANKS.get(year - 1) if year == 2023 else None  # the year's own 上年名次 column, as history has it
    monitoring = [["县区", "类型", "名次", *(["上年名次"] if last else [])]] + [
        [unit, "县", rank, *([last[unit]] if last else [])] for unit, rank in RANKS[year].items()
    ]
    return {"目标责任考核": target, "县域监测": monitoring}


@pytest.fixture
def years(book, tmp_path):
    """The 2023 workbook and a store holding 2021 and 2022."""
    db = tmp_path / "h.db"
    for year in (2021, 2022):
        done = runner.invoke(app, ["history", "import", str(book(_sheets(year), name=f"{year}.xlsx")), "--db", str(db)])
        assert done.exit_code == 0, done.output
    return book(_sheets(2023), name="2023.xlsx"), db


def _report(path, db, out, *extra):
    return runner.invoke(app, ["report", str(path), "--db", str(db), "--out", str(out), *map(str, extra)])


class _Marks(HTMLParser):
    """Each chart's (data-chart) marks with their attributes, and every table's cells, from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[dict[str, str]]] = {}
        self.cuts: dict[str, str] = {}
        self.tables: list[list[list[str]]] = []
        self._chart: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "svg":
            self._chart = attributes.get("data-chart")
            self.charts.setdefault(self._chart, [])
        elif "mark" in attributes.get("class", "").split():
            self.charts[self._chart].append(attributes)
        elif attributes.get("class") == "cut":
            self.cuts[self._chart] = attributes["data-score"]
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None


def _parse(html: str) -> _Marks:
    parser = _Marks()
    parser.feed(html)
    return parser


def test_report_draws_each_part_of_the_year(years, tmp_path):
    path, db = years
    done = _report(path, db, tmp_path / "out")
    assert done.exit_code == 0, done.output
    assert "报告:" in done.stdout and "历年趋势 18 个单位" in done.stdout  # 6 cities + 12 counties, three years each
    page = (tmp_path / "out" / "2023年度考核结果报告.html").read_text("utf-8")
    assert (tmp_path / "out" / "2023年度考核结果报告.manifest.json").exists()
    marks = _parse(page)

    score = {m["data-unit"]: m["data-kind"] for m in marks.charts["score-1-1"]}
    assert score == {
        "甲市": "excellent",
        "乙市": "barred",
        "丙市": "excellent",
        "丁市": "other",
        "戊市": "other",
        "己市": "preset",
    }
    assert marks.cuts["score-1-1"] == "92"  # 丙市, the lower of the two 优秀
    assert "不得评优\uff1a信访问题" in page and "预定等次\uff1a一般" in page  # full-width :

    slope = {m["data-unit"]: m["data-kind"] for m in marks.charts["slope-2-1"]}
    assert len(slope) == 12
    assert slope["1号县"] == "decliner"  # 6 -> 12, after 1 -> 6
    assert {u for u, kind in slope.items() if kind == "top"} == {f"{i}号县" for i in range(2, 12)}  # 十强县 first
    assert {u for u, kind in slope.items() if kind == "progress"} == {"12号县"}  # 12 -> 11: progress, not top ten
    assert "slope-2-2" not in marks.charts  # no 城区 in the workbook

    # 十强县: 2号县 first 100; 3-6号县 held their places 50 each; 7-10号县 up one 60 each; 11号县 first entry 100
    # = 640. 县域争先进位奖: 7-9号县 一等奖 80, 10-12号县 二等奖 50 = 390.
    assert "奖励资金\uff1a按单位和奖项\uff08合计1030万元\uff09" in page
    segments = marks.charts["prize-3-1"]
    assert len(segments) == 16  # 10 十强县 + 6 争先进位奖, none of them zero
    assert {m["data-award"] for m in segments if m["data-unit"] == "7号县"} == {"十强县", "县域争先进位奖"}

    demotion = marks.charts["demotion-4-1"]
    assert [(m["data-clause"], m["data-kind"], m["data-count"]) for m in demotion] == [("9(1)", "untolerated", "1")]

    trends = marks.charts["trend"]
    assert len(trends) == 18 * 3
    table = next(t for t in marks.tables if t[0][:2] == ["单位", "类别"] and "2021年" in t[0])
    rows = {row[0]: row[2:] for row in table[1:]}
    assert rows["甲市"] == ["第2名/6 优秀", "第1名/6 优秀", "第1名/6 优秀"]
    assert rows["乙市"] == ["第1名/6 优秀", "第2名/6 优秀或良好", "第2名/6 良好"]
    assert rows["己市"] == ["第6名/6 良好", "第6名/6 良好", "第6名/6 一般"]


def test_report_is_byte_identical_and_never_overwritten_without_force(years, tmp_path):
    path, db = years
    first = tmp_path / "a"
    assert _report(path, db, first).exit_code == 0
    output = first / "2023年度考核结果报告.html"
    before = output.read_bytes()
    again = _report(path, db, first)
    assert again.exit_code == 2 and "--force" in again.stderr
    assert output.read_bytes() == before
    second = tmp_path / "b"
    assert _report(path, db, second).exit_code == 0
    assert (second / output.name).read_bytes() == before
    assert _report(path, db, first, "--force").exit_code == 0


def test_report_without_history_says_why_there_are_no_trends(years, tmp_path, monkeypatch):
    path, _ = years
    done = _report(path, tmp_path / "none.db", tmp_path / "out")
    assert done.exit_code == 2 and "历史库" in done.stderr  # a named store that does not exist
    monkeypatch.chdir(tmp_path)  # no ./sanshi.db: the default store is missing, which is only a warning
    monkeypatch.delenv("SANSHI_DB", raising=False)
    done = runner.invoke(app, ["report", str(path), "--out", str(tmp_path / "out")])
    page = (tmp_path / "out" / "2023年度考核结果报告.html").read_text("utf-8")
    assert done.exit_code == 0, done.output
    assert "没有单位有3年以上的数据" in page and 'data-chart="trend"' not in page


def test_report_bad_input_exits_2_and_writes_nothing(book, tmp_path):
    path = book({"目标责任考核": [HEAD, ["甲市", "设区市", "9O.5", None, None]]})
    done = runner.invoke(app, ["report", str(path), "--out", str(tmp_path / "out")])
    assert done.exit_code == 2
    assert "目标责任考核 › C2" in done.stderr and "Traceback" not in done.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_tie_left_open_in_an_earlier_year_gives_both_grades():
    pack = load_pack("shaanxi-2018", 2022)
    units = [
        AssessedUnit(unit=u, group="设区市", score=Decimal(s))
        for u, s in (("甲市", 96), ("乙市", 94), ("丙市", 94), ("丁市", 80), ("戊市", 75), ("己市", 70))
    ]
    rows = trend.regraded(units, "目标责任考核", 2022, "历史库2022年", pack)
    grades = {unit: (s.rank, s.units, s.grade) for _, unit, _, s in rows}
    assert grades == {
        "甲市": (1, 6, "优秀"),
        "乙市": (2, 6, "优秀或良好"),
        "丙市": (2, 6, "优秀或良好"),
        "丁市": (4, 6, "良好"),
        "戊市": (5, 6, "良好"),
        "己市": (6, 6, "良好"),
    }


def test_trends_keep_units_with_enough_years_in_order():
    def row(assessment, unit, group, year, rank):
        return (assessment, unit, group, Standing(year, rank, 3, None, "x"))

    rows = [
        row("县域监测", "乙县", "县", 2023, 1),
        row("目标责任考核", "甲市", "设区市", 2023, 2),
        row("县域监测", "乙县", "县", 2021, 3),
        row("目标责任考核", "甲市", "设区市", 2021, 1),
        row("县域监测", "乙县", "县", 2022, 2),
        row("目标责任考核", "甲市", "设区市", 2022, 1),
        row("目标责任考核", "丙市", "设区市", 2023, 1),
        row("目标责任考核", "丙市", "设区市", 2022, 3),
    ]
    found = trend.trends(rows, 3)
    assert [(t.assessment, t.unit) for t in found] == [("目标责任考核", "甲市"), ("县域监测", "乙县")]  # 丙市: 2 years
    assert [s.year for s in found[1].standings] == [2021, 2022, 2023]
    assert [(t.unit) for t in trend.trends(rows, 2)] == ["丙市", "甲市", "乙县"]  # by this year's rank in the group
    shuffled = trend.trends(
        list(reversed(rows)) + [row("目标责任考核", "丁市", "省级部门", y, 1) for y in (2021, 2022, 2023)], 3
    )
    assert [t.unit for t in shuffled] == ["丁市", "甲市", "乙县"]  # groups by name (省 before 设), not by row order


def test_prize_matrix_orders_units_by_total_and_keeps_zero():
    awards = [
        Award("甲县", "十强县", None, Decimal(100), "c", "b"),
        Award("甲县", "县域争先进位奖", "一等奖", Decimal(80), "c", "b"),
        Award("乙县", "十强县", None, Decimal(0), "c", "b"),
        Award("丙市", "年度目标责任考核优秀单位", None, None, "c", "b"),
        Award("丁县", "脱贫攻坚工作成效考核优秀单位", None, Decimal(100), "c", "b"),
    ]
    matrix = chartdata.prize_matrix(awards)
    assert matrix.awards == ("十强县", "县域争先进位奖", "脱贫攻坚工作成效考核优秀单位")
    assert [(u.unit, u.total) for u in matrix.units] == [("甲县", 180), ("丁县", 100), ("乙县", 0)]
    assert matrix.total == 280


def _hand_report(name: str) -> YearReport:
    """A report built from results written by hand, with `name` as every unit's name."""
    grade = UnitGrade(name, "设区市", Decimal("91.5"), 1, "优秀", True, "c", "b")
    awards = AwardsResult(
        year=2023,
        rules="shaanxi-2018",
        source="2023.xlsx",
        source_sha256="0" * 64,
        target_units=[grade],
        cuts=[GroupCut("目标责任考核", "设区市", 1, 0, "floor", 1, 1, 1, Decimal("91.5"), "c", "b")],
        awards=[Award(name, "十强县", None, Decimal(100), "c", "b")],
        places=[AreaPlace(name, "县", 1, 2)],
    )
    demotions = DemotionsResult(
        year=2023,
        rules="shaanxi-2018",
        source="2023.xlsx",
        source_sha256="0" * 64,
        candidates=[Trigger("张三", name, None, None, 9, 1, "c", "b")],
    )
    standings = tuple(Standing(y, 1, 1, "优秀", "x") for y in (2021, 2022, 2023))
    return YearReport(
        2023,
        "shaanxi-2018",
        "2023.xlsx",
        "0" * 64,
        awards,
        demotions,
        trend_years=3,
        trends=[Trend(name, "目标责任考核", "设区市", standings)],
        warnings=[RunWarning("test", f"{name} 提示")],
    )


def test_names_from_the_input_are_only_ever_text():
    page = render_report(_hand_report('<script>alert("x")</script>&'))
    assert "<script" not in page
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;" in page or "&lt;script&gt;alert(&quot;x&quot;)" in page
    )
    marks = _parse(page)
    assert {chart: len(m) for chart, m in marks.charts.items()} == {
        "score-1-1": 1,
        "slope-2-1": 1,
        "prize-3-1": 1,
        "demotion-4-1": 1,
        "trend": 3,
    }  # nothing lost to the name


def test_page_needs_nothing_from_outside():
    page = render_report(_hand_report("甲市"))
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", page)  # only in-page links
    assert "@import" not in page and "url(" not in page and "<script" not in page
    assert "@page { size: A4" in page


def test_every_award_has_its_own_prize_colour():
    """Every award the rules give has a colour of its own in the prize chart (tested for colour-blind readers in
    test_report_browser.py); a pack's local award falls back to grey."""
    assert set(AWARD_COLOURS) == set(AWARD_ORDER)
    assert len(set(AWARD_COLOURS.values())) == len(AWARD_COLOURS)
