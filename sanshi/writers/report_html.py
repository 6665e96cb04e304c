"""The year report: one self-contained HTML page for the 考核委员会, with a chart and its data table for
each part of the year's results.

Charts are inline SVG drawn here from the results, the style is inline CSS, and there is no script:
the file opens on a projector without network and prints to A4. Each chart's data marks carry
class="mark" (and data-* attributes naming what they stand for), so a test can count them. The same
inputs give the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

import sanshi
from sanshi.inputs.schema import POVERTY_NAME, TARGET_NAME
from sanshi.results import (
    COUNTY_PROGRESS,
    DISTRICT_PROGRESS,
    TOP_COUNTY,
    TOP_DISTRICT,
    TOLERATED_LABEL,
    ROW_ADDED,
    ROW_REMOVED,
    AreaPlace,
    DiffResult,
    InputChange,
    Trend,
    Trigger,
    YearReport,
)
from sanshi.rules.cases import parse_case_key
from sanshi.rules.arith import num, percent
from sanshi.rules.excellence import EXCELLENT
from sanshi.writers import chartdata
from sanshi.writers.punctuation import full_width_page
from sanshi.writers.svg import FONT, Canvas, Scale, esc, nice_top, text_width, tick_label, ticks

# Colours: honours in red (as on a 光荣榜), progress in blue, held-back in purple, the rest grey.
RED, GREY, INK = chartdata.EXCELLENT_COLOUR, chartdata.OTHER_COLOUR, chartdata.INK
BLUE, PURPLE, GREEN, ORANGE = "#2471a3", "#7d3c98", "#27ae60", "#d35400"
TIER_BLUES = {"一等奖": "#154360", "二等奖": "#2471a3", "三等奖": "#7fb3d5"}
# What each 能下 article is about (能上能下办法), for the chart's labels.
TOPICS = {
    "6(1)": "党建:违规用人",
    "6(2)": "党建:基层组织涣散",
    "6(3)": "党建:意识形态",
    "6(4)": "党建:查处整改不力",
    "8(1)": "目标责任考核等次",
    "8(2)": "民主测评得票",
    "8(3)": "年度考核等次",
    "8(4)": "全国考核评比",
    "9(1)": "县域监测退位",
    "9(2)": "四项指标排位",
    "10(1)": "未完成脱贫计划",
    "10(2)": "脱贫攻坚受批评",
    "10(3)": "脱贫攻坚差等次",
    "10(4)": "数字脱贫",
    "11(1)": "生态环境恶化事件",
    "11(2)": "生态事件处置不力",
    "12(1)": "生产安全事故",
    "12(2)": "食品药品安全事故",
    "13(1)": "群体性、公共安全事件",
    "13(2)": "综治重点整顿",
}

ROW = 18  # px per unit in the score and prize charts
SLOPE_FONT = FONT  # px, the slope chart's names: 11 px or more on screen, 7 pt or more on A4
SLOPE_ROW = 12.5  # px per rank in the slope chart: a name's height and a little between
SLOPE_GAP = 260  # px between its two axes, at the least
# Height : width of a chart that, printed across A4 (186 mm), is under the 225 mm the print style allows a
# chart: what a page (269 mm) has left under a section's heading and lead and the figure's caption and legend.
PRINT_ASPECT = 1.2
SLOPE_LABEL_ALL = 120  # above this many units the slope chart names only the coloured ones


@dataclass
class Figure:
    """One chart: its number and title, the SVG, and the table of the numbers it draws."""

    key: str
    title: str
    svg: Markup
    headers: list[str]
    rows: list[list[str]]
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, meaning)
    note: str = ""


@dataclass
class Section:
    title: str
    intro: str
    figures: list[Figure] = field(default_factory=list)
    empty: str = ""  # said instead of charts when there is nothing to draw
    panels: list[Markup] = field(default_factory=list)  # small multiples, laid out as a grid


def write_report_html(report: YearReport, path: Path) -> None:
    """Write the report to exactly `path` (the caller makes it atomic and checks overwrites)."""
    path.write_bytes(render_report(report).encode("utf-8"))


def render_report(report: YearReport) -> str:
    sections = [
        _target_section(report),
        _county_section(report),
        _prize_section(report),
        _demotion_section(report),
        _trend_section(report),
    ]
    awards = report.awards
    facts = [
        ("规则包", report.rules),
        ("依据文件", f"{report.source}(SHA-256 {report.source_sha256[:16]}…)"),
        (
            "上年数据",
            f"{awards.previous.year}年,{awards.previous.source}" if awards.previous.year else awards.previous.source,
        ),
        ("历史年份", "、".join(f"{y}年" for y in report.history_years) or "无"),
    ]
    headline = [
        ("优秀单位", f"{sum(1 for g in awards.target_units + awards.poverty_units if g.excellent)} 个"),
        ("奖励资金", f"{num(awards.total_amount_wan)} 万元"),
        *([("奖励待定", f"{awards.pending_count} 项")] if awards.pending_count else []),
        ("能下触发", f"{len(report.demotions.candidates)} 人次"),
        ("未能判定", f"{len(report.demotions.undetermined)} 人次"),
    ]
    compared = _compared(report.compared) if report.compared is not None else None
    page = _template().render(
        report=report,
        sections=sections,
        facts=facts,
        headline=headline,
        compared=compared,
        compared_title=COMPARED_TITLE,
        version=sanshi.__version__,
    )
    return full_width_page(page)  # the messages come from all over the program with ASCII punctuation


# ---- 1. 目标责任考核 ---------------------------------------------------------------------------


def _target_section(report: YearReport) -> Section:
    awards = report.awards
    # The ratio as the run's pack set it (35% in both 2018 assessments), never written into the text here.
    ratios = "、".join(dict.fromkeys(percent(c.ratio) for c in awards.cuts)) or "规定比例"
    section = Section(
        "一、目标责任考核和脱贫攻坚成效考核",
        f"各类别单位按综合得分排列;竖虚线为按{ratios}确定的名额线"
        "(最低一个优秀单位的得分)。预定等次和不得评优的单位不参与名额,图中另行标出并写明原因。",
    )
    groups = chartdata.group_scores(awards.target_units, awards.cuts, TARGET_NAME)
    groups += chartdata.group_scores(awards.poverty_units, awards.cuts, POVERTY_NAME)
    for number, group in enumerate(groups, start=1):
        section.figures.append(_score_figure(f"1-{number}", group))
    if not groups:
        section.empty = "工作簿没有目标责任考核表和脱贫攻坚表,本部分无图。"
    return section


def _score_status(grade) -> tuple[str, str]:
    """How a unit is drawn and what its note says: (kind, note)."""
    if grade.excellent:
        return "excellent", "进入名额,评为优秀"
    if grade.preset:
        return "preset", f"预定等次:{grade.grade}" + (f";不得评优:{grade.barred}" if grade.barred else "")
    if grade.barred:
        return "barred", f"不得评优:{grade.barred}"
    return "other", "未进入名额" + (f",评为{grade.grade}" if grade.grade else "")


SCORE_NOTE_REASON = 10  # characters of a 不得评优 reason the chart shows; a longer one is in the table


def _score_mark_note(grade) -> str:
    """What the score chart writes beside a unit kept out of the pool: short, so that the chart stays narrow
    enough to print across A4 at a readable size; the table under it has the whole reason."""
    reason = grade.barred or ""
    barred = f"不得评优:{reason if len(reason) <= SCORE_NOTE_REASON else '理由见表'}" if reason else ""
    if grade.preset:
        return f"预定等次:{grade.grade}" + (f";{barred}" if barred else "")
    return barred


def _score_figure(key: str, group: chartdata.GroupScores) -> Figure:
    units = group.units
    cut = group.cut
    scores = [float(u.score) for u in units]
    lo = math.floor(min(scores)) - 1
    hi = math.ceil(max(scores)) + 0.5
    label_w = max(text_width(f"{u.rank}. {u.unit}") for u in units) + 44
    notes = {u.unit: _score_status(u) for u in units}
    marked = {u.unit: _score_mark_note(u) for u in units if notes[u.unit][0] in ("preset", "barred")}
    note_w = max([text_width(note) for note in marked.values()] or [0])
    plot_w = 440
    left, top = label_w, 46
    width = left + plot_w + 24 + note_w + 10
    height = top + ROW * len(units) + 46
    canvas = Canvas(width, height)
    x = Scale(lo, hi, left, left + plot_w)
    bottom = top + ROW * len(units)
    _axes(canvas, x, top, bottom, "综合得分", "单位(按名次)")
    for index, unit in enumerate(units):
        y = top + ROW * index + ROW / 2
        kind, note = notes[unit.unit]
        colour = {"excellent": RED, "preset": PURPLE, "barred": ORANGE}.get(kind, GREY)
        canvas.text(
            left - 10,
            y + 4,
            f"{unit.rank}. {unit.unit}",
            anchor="end",
            fill=INK if kind == "excellent" else "#333",
            font_weight="bold" if kind == "excellent" else None,
        )
        canvas.line(left, y, x(float(unit.score)), y, stroke=colour, stroke_width=1.5, stroke_opacity=0.5)
        tip = f"{unit.unit}:得分{num(unit.score)},第{unit.rank}名,{note}"
        attrs = dict(class_="mark", fill=colour, data_unit=unit.unit, data_kind=kind)
        cx = x(float(unit.score))
        if kind == "preset":
            canvas.rect(cx - 5, y - 5, 10, 10, tip=tip, **attrs)
        elif kind == "barred":
            canvas.polygon([(cx, y - 6), (cx + 6, y), (cx, y + 6), (cx - 6, y)], tip=tip, **attrs)
        else:
            canvas.circle(cx, y, 5.5 if kind == "excellent" else 4.5, tip=tip, **attrs)
        if unit.unit in marked:
            canvas.text(left + plot_w + 24, y + 4, marked[unit.unit], fill=colour)
    legend = [(RED, "优秀"), (GREY, "未进入名额"), (PURPLE, "预定等次(方块)"), (ORANGE, "不得评优(菱形)")]
    if cut is not None and cut.cut_score is not None:
        cx = x(float(cut.cut_score))
        canvas.line(
            cx,
            top - 16,
            cx,
            bottom,
            stroke=INK,
            stroke_width=1.5,
            stroke_dasharray="5 4",
            class_="cut",
            data_score=num(cut.cut_score),
            tip=cut.basis,
        )
        canvas.text(
            cx,
            top - 22,
            f"名额线 {num(cut.cut_score)}(名额{cut.quota}个)",
            anchor="middle",
            fill=INK,
            font_weight="bold",
        )
        legend.append((INK, "名额线(虚线)"))
    title = f"{group.title}:综合得分与优秀名额线"
    summary = cut.basis if cut is not None else ""
    rows = [[str(u.rank), u.unit, num(u.score), u.grade or "", notes[u.unit][1]] for u in units]
    return Figure(
        key,
        title,
        Markup(canvas.render(title, f"score-{key}")),
        ["名次", "单位", "综合得分", "等次", "说明"],
        rows,
        legend,
        summary,
    )


# ---- 2. 县域监测 -----------------------------------------------------------------------------


def _county_section(report: YearReport) -> Section:
    awards = report.awards
    section = Section(
        "二、县域经济社会发展监测",
        "左为上年名次,右为本年名次,连线示名次变化。红色为十强县/五强区,蓝色为争先进位奖"
        "(颜色越深等级越高),紫色虚线为触发能上能下办法第九条第(一)项(退位幅度居后)的县区。",
    )
    if not awards.places:
        section.empty = "工作簿没有县域监测表,本部分无图。"
        return section
    decliners = {t.unit for t in report.demotions.candidates + report.demotions.undetermined if t.key == "9(1)"}
    # Each unit's (award, tier, pending): a pending award is drawn and listed as its title, said to be pending.
    prizes: dict[str, list[tuple[str, str | None, bool]]] = {}
    for award in awards.awards:
        prizes.setdefault(award.unit, []).append((award.award, award.tier, False))
    for pending in awards.undetermined:
        prizes.setdefault(pending.unit, []).append((pending.award, None, True))
    for number, (area_type, top, progress) in enumerate(
        (("县", TOP_COUNTY, COUNTY_PROGRESS), ("城区", TOP_DISTRICT, DISTRICT_PROGRESS)), start=1
    ):
        places = [p for p in awards.places if p.area_type == area_type]
        if places:
            section.figures.append(_slope_figure(f"2-{number}", area_type, places, prizes, decliners, top, progress))
    return section


def _slope_style(place: AreaPlace, prizes: dict, decliners: set[str], top: str, progress: str) -> tuple[str, str, str]:
    """(kind, colour, what the unit won or triggered)."""
    mine = prizes.get(place.unit, [])
    names = [
        award + (tier or "") + ("(待定)" if pending else "")
        for award, tier, pending in mine
        if award in (top, progress)
    ]
    if place.unit in decliners:
        return "decliner", PURPLE, "、".join(names + ["能下9(1)"])
    if any(award == top for award, _, _ in mine):
        return "top", RED, "、".join(names)
    tiers = [tier for award, tier, _ in mine if award == progress]
    if tiers:
        return "progress", TIER_BLUES.get(tiers[0] or "", BLUE), "、".join(names)
    return "other", GREY, ""


def _slope_figure(
    key: str, area_type: str, places: list[AreaPlace], prizes: dict, decliners: set[str], top: str, progress: str
) -> Figure:
    label_all = len(places) <= SLOPE_LABEL_ALL
    styles = {p.unit: _slope_style(p, prizes, decliners, top, progress) for p in places}
    labelled = [p for p in places if label_all or styles[p.unit][0] != "other"]
    deepest = max(max(p.rank, p.last_rank or 0) for p in places)

    def right_label(place: AreaPlace) -> str:
        won = styles[place.unit][2]
        return (
            f"{place.rank} {place.unit}"
            + (f"  {won}" if won else "")
            + ("(上年无名次)" if place.last_rank is None else "")
        )

    name_w = max(text_width(f"{p.unit} 999", SLOPE_FONT) for p in places) + 12
    right_w = max([text_width(right_label(p), SLOPE_FONT) for p in labelled] or [0]) + 12
    left, top_y = name_w, 40
    height = top_y + SLOPE_ROW * deepest + 12
    # As wide as its height asks for: printed across the page it then fits on one page, labels readable.
    width = max(left + SLOPE_GAP + right_w, height / PRINT_ASPECT)
    right = width - right_w
    canvas = Canvas(width, height)

    def y(rank: int) -> float:
        return top_y + SLOPE_ROW * (rank - 1) + SLOPE_ROW / 2

    canvas.text(left, top_y - 24, "上年名次", anchor="middle", fill=INK, font_weight="bold")
    canvas.text(right, top_y - 24, "本年名次", anchor="middle", fill=INK, font_weight="bold")
    canvas.line(left, top_y - 6, left, y(deepest) + 6, stroke="#ccc")
    canvas.line(right, top_y - 6, right, y(deepest) + 6, stroke="#ccc")
    canvas.text((left + right) / 2, top_y - 24, "名次(第1名在上)", anchor="middle", fill="#555")
    # Grey first, coloured on top of them.
    ordered = sorted(places, key=lambda p: (styles[p.unit][0] != "other", p.rank))
    for place in ordered:
        kind, colour, won = styles[place.unit]
        plain = kind == "other"
        change = _change(place)
        tip = f"{place.unit}:{change}" + (f";{won}" if won else "")
        group = [f'<g class="mark" data-unit="{esc(place.unit)}" data-kind="{kind}">']
        sub = Canvas(0, 0)
        if place.last_rank is not None:
            sub.line(
                left,
                y(place.last_rank),
                right,
                y(place.rank),
                stroke=colour,
                tip=tip,
                stroke_width=1 if plain else 2.2,
                stroke_opacity=0.55 if plain else 0.95,
                stroke_dasharray="5 3" if kind == "decliner" else None,
            )
            sub.circle(left, y(place.last_rank), 2.5 if plain else 3.5, fill=colour)
        sub.circle(
            right,
            y(place.rank),
            2.5 if plain else 3.5,
            fill=colour if place.last_rank is not None else "#fff",
            stroke=colour,
            tip=tip,
        )
        if label_all or not plain:
            weight = None if plain else "bold"
            text_colour = "#555" if plain else colour
            if place.last_rank is not None:
                sub.text(
                    left - 8,
                    y(place.last_rank) + 4,
                    f"{place.unit} {place.last_rank}",
                    anchor="end",
                    size=SLOPE_FONT,
                    fill=text_colour,
                    font_weight=weight,
                    class_="label",
                )
            sub.text(
                right + 8,
                y(place.rank) + 4,
                right_label(place),
                size=SLOPE_FONT,
                fill=text_colour,
                font_weight=weight,
                class_="label",
            )
        group.extend(sub.parts)
        group.append("</g>")
        canvas.parts.append("".join(group))
    label = "县(市)" if area_type == "县" else "城区"
    title = f"县域监测 · {label}:上年名次→本年名次"
    legend = [
        (RED, TOP_COUNTY if top == TOP_COUNTY else TOP_DISTRICT),
        (TIER_BLUES["一等奖"], f"{progress}(深色一等奖)"),
        (PURPLE, "能下9(1)退位(虚线)"),
        (GREY, "其他"),
    ]
    rows = [
        [p.unit, str(p.last_rank) if p.last_rank is not None else "—", str(p.rank), _change(p), styles[p.unit][2]]
        for p in sorted(places, key=lambda p: p.rank)
    ]
    note = "" if label_all else f"共{len(places)}个,只标出有奖项或能下情形的名称。"
    return Figure(
        key,
        title,
        Markup(canvas.render(title, f"slope-{key}")),
        ["单位", "上年名次", "本年名次", "变化", "奖项或情形"],
        rows,
        legend,
        note,
    )


def _change(place: AreaPlace) -> str:
    if place.last_rank is None:
        return f"第{place.rank}名(上年无名次)"
    moved = place.last_rank - place.rank
    verb = f"进{moved}位" if moved > 0 else f"退{-moved}位" if moved < 0 else "持平"
    return f"{place.last_rank}→{place.rank},{verb}"


# ---- 3. 奖励资金 ------------------------------------------------------------------------------


def _prize_section(report: YearReport) -> Section:
    matrix = chartdata.prize_matrix(report.awards.awards)
    section = Section(
        "三、奖励资金", "各单位的奖励资金(万元),按奖项分段,按合计从多到少排列;按公式低于下限计为0的单位也列出。"
    )
    pending = report.awards.undetermined
    if pending:
        section.intro += (
            f"另有 {len(pending)} 项待定(未能判定,未计入):"
            + "、".join(f"{p.unit}{p.award}" for p in pending)
            + ";补齐所缺事实后重新生成。"
        )
    if not matrix.units:
        section.empty = "本年度没有奖励资金。"
        return section
    section.figures.append(_prize_figure("3-1", matrix))
    return section


def _prize_figure(key: str, matrix: chartdata.PrizeMatrix) -> Figure:
    colours = {name: matrix.colour(name) for name in matrix.awards}
    bars = [
        (
            unit.unit,
            [
                (
                    float(unit.amounts[name]),
                    colours[name],
                    f"{unit.unit} · {name}:{num(unit.amounts[name])}万元",
                    {"data_unit": unit.unit, "data_award": name},
                )
                for name in matrix.awards
                if unit.amounts.get(name)
            ],
            num(unit.total),
        )
        for unit in matrix.units
    ]
    title = f"奖励资金:按单位和奖项(合计{num(matrix.total)}万元)"
    canvas = _stacked_bars(bars, "奖励资金(万元)", "单位")
    rows = [
        [u.unit, *(num(u.amounts[name]) if name in u.amounts else "" for name in matrix.awards), num(u.total)]
        for u in matrix.units
    ]
    rows.append(["合计", *(num(t) for t in matrix.award_totals), num(matrix.total)])
    return Figure(
        key,
        title,
        Markup(canvas.render(title, f"prize-{key}")),
        ["单位", *matrix.awards, "合计(万元)"],
        rows,
        [(colours[name], name) for name in matrix.awards],
    )


def _axes(
    canvas: Canvas, x: Scale, top: float, bottom: float, value_title: str, category_title: str, whole: bool = False
) -> None:
    """A horizontal value axis under the plot with its grid and title, and the category title up the left edge;
    `whole`: ticks only at whole numbers (counts)."""
    for value in ticks(x.lo, x.hi):
        if whole and value != int(value):
            continue
        canvas.line(x(value), top, x(value), bottom, stroke="#e5e7eb")
        canvas.text(x(value), bottom + 16, tick_label(value), anchor="middle", fill="#555")
    canvas.text((x.start + x.end) / 2, bottom + 36, value_title, anchor="middle", fill=INK, font_weight="bold")
    canvas.text(14, (top + bottom) / 2, category_title, anchor="middle", rotate=True, fill=INK, font_weight="bold")


# A bar: its label, its segments (value, colour, tooltip, the mark's data-* attributes), the text at its end.
Bar = tuple[str, list[tuple[float, str, str, dict[str, str]]], str]


def _stacked_bars(bars: Sequence[Bar], value_title: str, category_title: str, whole: bool = False) -> Canvas:
    """Horizontal bars from 0, one under the other, each segment a mark, the bar's total at its end."""
    left, top, plot_w = max(text_width(label) for label, _, _ in bars) + 30, 20, 520
    bottom = top + ROW * len(bars)
    x = Scale(
        0, nice_top(max(sum(value for value, *_ in segments) for _, segments, _ in bars) or 1), left, left + plot_w
    )
    canvas = Canvas(left + plot_w + 70, bottom + 46)
    _axes(canvas, x, top, bottom, value_title, category_title, whole)
    for index, (label, segments, total) in enumerate(bars):
        y = top + ROW * index
        canvas.text(left - 8, y + ROW / 2 + 4, label, anchor="end", fill="#333")
        start = 0.0
        for value, colour, tip, data in segments:
            canvas.rect(
                x(start), y + 3, x(start + value) - x(start), ROW - 6, fill=colour, class_="mark", tip=tip, **data
            )
            start += value
        canvas.text(x(start) + 6, y + ROW / 2 + 4, total, fill=INK, size=FONT - 1)
    return canvas


# ---- 4. 能下 -----------------------------------------------------------------------------------


def _demotion_section(report: YearReport) -> Section:
    result = report.demotions
    section = Section(
        "四、能下触发情形",
        "按条款统计人次:未容错、经容错认定免责、因缺数据未能判定(须补齐数据后重新运行)。"
        "单位层面的情形按该单位相应岗位的人员计。",
    )
    if not result.candidates and not result.undetermined:
        section.empty = "本年度没有触发能下情形,也没有未能判定的情形。"
        return section
    section.figures.append(_demotion_figure("4-1", result.candidates, result.undetermined))
    return section


def _clause_order(key: str) -> tuple[int, int]:
    article, item = parse_case_key(key)
    return article, item or 0


def _topic(key: str) -> str:
    return TOPICS.get(key, "")


def _demotion_figure(key: str, candidates: Sequence[Trigger], undetermined: Sequence[Trigger]) -> Figure:
    counts: dict[str, list[int]] = {}
    clauses: dict[str, str] = {}
    for trigger in candidates:
        counts.setdefault(trigger.key, [0, 0, 0])[1 if trigger.tolerated else 0] += 1
        clauses[trigger.key] = trigger.clause
    for trigger in undetermined:
        counts.setdefault(trigger.key, [0, 0, 0])[2] += 1
        clauses[trigger.key] = trigger.clause
    keys = sorted(counts, key=_clause_order)
    kinds = (("untolerated", "未容错", RED), ("tolerated", TOLERATED_LABEL, GREEN), ("undetermined", "未能判定", GREY))
    bars = [
        (
            f"{clause} {_topic(clause)}",
            [
                (
                    float(count),
                    colour,
                    f"{clause}({clauses[clause]}){name}:{count}人次",
                    {"data_clause": clause, "data_kind": kind, "data_count": str(count)},
                )
                for (kind, name, colour), count in zip(kinds, counts[clause])
                if count
            ],
            str(sum(counts[clause])),
        )
        for clause in keys
    ]
    canvas = _stacked_bars(bars, "人次", "条款", whole=True)
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    title = f"能下触发情形:按条款(未容错{total[0]}人次,容错免责{total[1]}人次,未能判定{total[2]}人次)"
    rows = [[k, _topic(k), clauses[k], *(str(n) for n in counts[k]), str(sum(counts[k]))] for k in keys]
    rows.append(["合计", "", "", *(str(n) for n in total), str(sum(total))])
    return Figure(
        key,
        title,
        Markup(canvas.render(title, f"demotion-{key}")),
        ["条款", "情形", "依据条款", "未容错", TOLERATED_LABEL, "未能判定", "合计"],
        rows,
        [(colour, name) for _, name, colour in kinds],
    )


# ---- 5. 历年 ---------------------------------------------------------------------------------


PANEL_W, PANEL_H = 170, 124
PANEL_FONT = 11  # px: the small multiples' ticks and labels, 11 px on screen and 7 pt or more on A4
PANEL_LEFT = 34  # px, where a panel's plot starts: the rank ticks are written left of it


def _trend_section(report: YearReport) -> Section:
    section = Section(
        "五、历年名次和等次",
        f"有{report.trend_years}年以上数据的单位,各年在本类别中的名次(越靠上越好)和等次;"
        "以前年度的等次按现行规则包对当年得分重新测算。横轴为年度,纵轴为名次。",
    )
    if not report.trends:
        years = "、".join(f"{y}年" for y in report.history_years) or "无"
        section.empty = (
            f"没有单位有{report.trend_years}年以上的数据(历史库年份:{years})。"
            f"用 sanshi history import 导入以前年度数据后再生成。"
        )
        return section
    years = sorted({s.year for t in report.trends for s in t.standings})
    for number, assessment in enumerate(dict.fromkeys(t.assessment for t in report.trends), start=1):
        trends = [t for t in report.trends if t.assessment == assessment]
        graded = assessment != "县域监测"
        # The years sit far enough inside the plot that no point's label reaches the rank ticks left of it, the
        # same years at the same place in every panel of the figure.
        inset = max(text_width(_point_label(s, graded), PANEL_FONT) for t in trends for s in t.standings) / 2 + 2
        panels = [_trend_panel(t, years, graded, inset) for t in trends]
        title = f"{assessment}:各单位历年名次" + ("和等次" if graded else "")
        rows = []
        for t in trends:
            by_year = {s.year: s for s in t.standings}
            rows.append([t.unit, t.group or "—", *(_standing_text(by_year.get(y), graded) for y in years)])
        figure = Figure(
            f"5-{number}",
            title,
            Markup("".join(panels)),
            ["单位", "类别", *(f"{y}年" for y in years)],
            rows,
            [(RED, "优秀"), (INK, "其他等次")] if graded else [],
            f"共{len(trends)}个单位;点旁为名次和等次(优=优秀,良=良好,优/良=当年名额线并列未定)"
            if graded
            else f"共{len(trends)}个单位;点旁为名次",
        )
        section.figures.append(figure)
    return section


def _standing_text(standing, graded: bool) -> str:
    if standing is None:
        return "—"
    text = f"第{standing.rank}名/{standing.units}"
    return text + (f" {standing.grade}" if graded and standing.grade else "")


GRADE_SHORT = {"优秀": "优", "良好": "良"}  # the two grades every panel shows most; the others in full


def _short_grade(grade: str) -> str:
    """A grade as a point's label: 优, 良, 一般, 较差; an open tie as 优/良."""
    return "/".join(GRADE_SHORT.get(g, g) for g in grade.split("或"))


def _point_label(standing, graded: bool) -> str:
    return str(standing.rank) + (_short_grade(standing.grade) if graded and standing.grade else "")


def _trend_panel(trend: Trend, years: list[int], graded: bool, inset: float) -> str:
    canvas = Canvas(PANEL_W, PANEL_H)
    left, right, top, bottom = PANEL_LEFT, PANEL_W - 6, 28, PANEL_H - 30
    deepest = max(s.units for s in trend.standings)
    first, last = left + inset, right - inset
    x = Scale(years[0], years[-1], first, last) if len(years) > 1 else Scale(0, 1, (first + last) / 2, 0)
    y = Scale(1, max(deepest, 2), top, bottom)
    small = dict(size=PANEL_FONT, fill="#666")
    name_w = text_width(trend.unit, FONT)
    canvas.text(4, 15, trend.unit, size=FONT, fill=INK, font_weight="bold")
    if trend.group and name_w + text_width(trend.group, PANEL_FONT) + 12 <= PANEL_W:  # else the table says it
        canvas.text(PANEL_W - 4, 15, trend.group, anchor="end", **small)
    canvas.rect(left, top - 4, right - left, bottom - top + 8, fill="#f7f8fa")
    canvas.text(left - 4, y(1) + 4, "1", anchor="end", class_="tick", **small)
    canvas.text(left - 4, y(deepest) + 4, str(deepest), anchor="end", class_="tick", **small)
    canvas.text(11, (top + bottom) / 2, "名次", anchor="middle", rotate=True, **small)
    for year in years:
        canvas.text(x(year), PANEL_H - 17, str(year), anchor="middle", class_="tick", **small)
    canvas.text((left + right) / 2, PANEL_H - 3, "年度", anchor="middle", **small)
    canvas.polyline([(x(s.year), y(s.rank)) for s in trend.standings], stroke="#7f8c8d", stroke_width=1.5)
    for s in trend.standings:
        excellent = s.grade == EXCELLENT
        colour = RED if excellent else (INK if graded and s.grade else GREY)
        canvas.circle(
            x(s.year),
            y(s.rank),
            4,
            fill=colour,
            class_="mark",
            data_year=str(s.year),
            tip=f"{s.year}年:{_standing_text(s, graded)}(取自{s.source})",
        )
        # Above its point, or under it near the top of the plot; the plot's height keeps it off the years.
        above = y(s.rank) - 7 if y(s.rank) > top + 12 else y(s.rank) + 15
        canvas.text(
            x(s.year),
            above,
            _point_label(s, graded),
            anchor="middle",
            size=PANEL_FONT,
            fill=colour,
            font_weight="bold" if excellent else None,
            class_="value",
        )
    title = f"{trend.unit}:{trend.assessment}历年名次"
    return f'<div class="panel">{canvas.render(title, "trend")}</div>'


# ---- 与公示版相比的变化 (report --compare) ------------------------------------------------------------

COMPARED_TITLE = "与公示版相比的变化"


@dataclass
class ChangeGroup:
    """One kind of result that changed (目标责任考核等次, 奖励...): a row per change, its causes listed."""

    kind: str
    rows: list[tuple[str, str, str, str, list[str]]]  # change, whose, subject, before → after, causes


@dataclass
class Compared:
    """What the section draws: the two workbooks, the changes grouped by kind, the totals before → after."""

    intro: str
    groups: list[ChangeGroup]
    totals: list[tuple[str, str, str]]  # what, before → after, unit
    empty: str = ""


def _compared(diff: DiffResult) -> Compared:
    from sanshi.diffing import ABSENT, MONEY_TOTAL

    def value(text: str | None, kind: str) -> str:
        return text if text is not None else ABSENT.get(kind, "(无)")

    intro = (
        f"本报告依据 {diff.new.source}(SHA-256 {diff.new.source_sha256[:16]}…),与公示版 {diff.old.source}"
        f"(SHA-256 {diff.old.source_sha256[:16]}…)按同一规则包和历史库分别计算后逐项对照。"
        "每处变化列出同一单位或干部变了的输入单元格;本身输入未变的,写明受哪些单位的输入变化影响。"
    )
    groups: dict[str, ChangeGroup] = {}
    for c in diff.changes:
        causes = [_input_cause(cell) for cell in c.inputs]
        if c.pushed_by:
            causes.append(f"本单位输入未变,受 {'、'.join(c.pushed_by)} 的输入变化影响")
        if c.parameters:
            causes.append(f"输入未变,因测算改动规则包参数:{';'.join(c.parameters)}")
        whose = c.unit + (f" {c.name}" if c.name else "")
        subject = "" if c.subject == c.kind else c.subject
        moved = f"{value(c.before, c.kind)} → {value(c.after, c.kind)}"
        groups.setdefault(c.kind, ChangeGroup(c.kind, [])).rows.append((c.change, whose, subject, moved, causes))
    # The money total is shown even when equal (the figure the committee signs), once anything changed.
    totals = [
        (t.what, f"{num(t.before)} → {num(t.after)}", t.unit)
        for t in diff.totals
        if diff.changes and (t.changed or t.what == MONEY_TOTAL)
    ]
    empty = ""
    if not diff.changes:
        empty = "与公示版相比,计算结果没有变化" + (
            f"(输入有 {len(diff.inputs)} 处不同,计算结果相同)。" if diff.inputs else "。"
        )
    return Compared(intro, list(groups.values()), totals, empty)


def _input_cause(cell: InputChange) -> str:
    """目标责任考核 › C5(云岭市):得分 94.19 → 91.49 — the sheet and cell, as in the workbook."""
    where = f"{cell.sheet} › {cell.cell}"
    if cell.column in (ROW_ADDED, ROW_REMOVED):
        return f"{where}:{cell.column} {cell.row}"
    old = cell.old if cell.old is not None else "(空)"
    new = cell.new if cell.new is not None else "(空)"
    return f"{where}({cell.row}):{cell.column} {old} → {new}"


# ---- the page ---------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sanshi {{ version }}">
<title>{% if report.what_if %}{{ report.what_if_title }} {% endif %}{{ report.year }}年度考核结果报告</title>
<style>
  :root { --ink: #2c3e50; --line: #d5d8dc; }
  body { margin: 0; background: #f4f5f7; color: #1f2933;
         font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei", sans-serif;
         font-size: 15px; line-height: 1.6; }
  main { max-width: 1280px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
  .whatif { margin: 0 0 8px; padding: 8px 12px; background: #f8cbad; border: 2px solid #c0392b; font-weight: bold; }
  h1 { font-size: 28px; margin: 8px 0 4px; color: var(--ink); }
  h2 { font-size: 22px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 3px solid #c0392b; color: var(--ink); }
  h3 { font-size: 17px; margin: 20px 0 6px; color: var(--ink); }
  .facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 16px; color: #444; }
  .facts dt { font-weight: bold; }
  .facts dd { margin: 0; word-break: break-all; }
  .headline { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0 8px; }
  .headline div { border: 1px solid var(--line); border-radius: 6px; padding: 8px 18px; min-width: 120px; }
  .headline b { display: block; font-size: 24px; color: #c0392b; }
  nav ol { margin: 4px 0; padding-left: 24px; }
  a { color: #1f5f8b; }
  figure { margin: 16px 0 28px; }
  figcaption { font-weight: bold; font-size: 16px; margin-bottom: 4px; color: var(--ink); }
  .figbody { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start; }
  .chartbox { overflow-x: auto; max-width: 100%; flex: 0 1 auto; min-width: 0; }
  .figbody > details { flex: 0 1 auto; margin-top: 0; }
  .panels { flex: 1 1 100%; }
  svg.chart { max-width: 100%; height: auto; font-family: inherit; }
  .legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; margin: 4px 0; }
  .legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
  .note { color: #555; font-size: 13px; margin: 2px 0; }
  .empty { color: #555; background: #f7f8fa; border-left: 4px solid var(--line); padding: 8px 12px; }
  .panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 6px; }
  .panel { border: 1px solid #eceef0; border-radius: 4px; }
  .panel svg { display: block; width: 100%; height: auto; }
  details { margin-top: 6px; }
  summary { cursor: pointer; color: #1f5f8b; font-size: 14px; }
  table { border-collapse: collapse; font-size: 12px; line-height: 1.35; margin-top: 4px; }
  caption { text-align: left; }
  th, td { border: 1px solid var(--line); padding: 1px 6px; text-align: left; vertical-align: top; }
  th { background: #eef2f7; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  td:first-child { white-space: nowrap; }
  ul.warnings { font-size: 13px; color: #444; }
  footer { margin-top: 32px; font-size: 12px; color: #777; border-top: 1px solid var(--line); padding-top: 8px; }
  @page { size: A4; margin: 14mm 12mm; }
  @media print {
    body { background: none; font-size: 11pt; }
    main { max-width: none; padding: 0; }
    nav, summary { display: none; }
    h2 { font-size: 16pt; margin-top: 24px; }
    section > .note { line-height: 1.45; }
    /* A heading, a section's lead, a figure's caption, note and legend stay on the page of what follows them:
       no page ends with a heading, no chart is parted from its caption. */
    h1, h2, h3, section > .note, figcaption, figure > .note, .legend, caption, thead { break-after: avoid; }
    figure, section > .note, figure > .note, .headline, .legend, .chartbox, .panel, tr { break-inside: avoid; }
    .figbody { display: block; }  /* on paper the table goes under its chart, at full width */
    .chartbox { overflow: visible; }
    /* As drawn, or across the page when wider, and no taller than what a page has under a section's heading
       and a figure's caption and legend; charts are drawn to print at 7 pt or more. */
    .chartbox svg.chart { display: block; width: auto; max-width: 100%; height: auto; max-height: 225mm; }
    figure { margin: 8px 0 16px; }
    .panels { grid-template-columns: repeat(4, 1fr); }
    .panels svg.chart { width: 100%; max-height: none; }
    table { font-size: 9pt; line-height: 1.25; width: 100%; }
  }
</style>
</head>
<body>
<main>
{%- if report.what_if %}
<p class="whatif">{{ report.what_if_title }}</p>
{%- endif %}
<h1>{% if report.what_if %}【测算】{% endif %}{{ report.year }}年度考核结果报告</h1>
<dl class="facts">
{%- for name, value in facts %}<dt>{{ name }}</dt><dd>{{ value }}</dd>{% endfor %}
</dl>
<div class="headline">
{%- for name, value in headline %}<div>{{ name }}<b>{{ value }}</b></div>{% endfor %}
</div>
<nav><ol>
{%- for section in sections %}<li><a href="#s{{ loop.index }}">{{ section.title[2:] }}</a></li>{% endfor %}
{%- if compared %}<li><a href="#compared">{{ compared_title }}</a></li>{% endif %}
{%- if report.uncomputed %}<li><a href="#uncomputed">未纳入计算的事项</a></li>{% endif %}
{%- if report.warnings %}<li><a href="#warnings">提示</a></li>{% endif %}
</ol></nav>
{% for section in sections %}
<section id="s{{ loop.index }}">
<h2{% if loop.first %} class="first"{% endif %}>{{ section.title }}</h2>
<p class="note">{{ section.intro }}</p>
{% if section.empty %}<p class="empty">{{ section.empty }}</p>{% endif %}
{% for figure in section.figures %}
<figure id="fig-{{ figure.key }}">
<figcaption>图{{ figure.key }} {{ figure.title }}</figcaption>
{% if figure.note %}<p class="note">{{ figure.note }}</p>{% endif %}
{% if figure.legend %}<div class="legend">{% for colour, meaning in figure.legend %}<span><i style="background: {{ colour }}"></i>{{ meaning }}</span>{% endfor %}</div>{% endif %}
<div class="figbody">
{% if figure.key.startswith("5-") %}<div class="panels">{{ figure.svg }}</div>{% else %}<div class="chartbox">{{ figure.svg }}</div>{% endif %}
<details open>
<summary>数据表(图{{ figure.key }},{{ figure.rows|length }}行)</summary>
<table>
<caption class="note">图{{ figure.key }}的数据</caption>
<thead><tr>{% for header in figure.headers %}<th scope="col">{{ header }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in figure.rows %}<tr>{% for cell in row %}<td{% if cell and cell[0] in "0123456789-" and cell.replace(".", "").replace("-", "").isdigit() %} class="num"{% endif %}>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
</details>
</div>
</figure>
{% endfor %}
</section>
{% endfor %}
{%- if compared %}
<section id="compared">
<h2>{{ compared_title }}</h2>
<p class="note">{{ compared.intro }}</p>
{% if compared.empty %}<p class="empty">{{ compared.empty }}</p>{% endif %}
{% for group in compared.groups %}
<div class="changes">
<h3>{{ group.kind }}({{ group.rows|length }} 处)</h3>
<table>
<thead><tr><th scope="col">变化</th><th scope="col">单位</th><th scope="col">事项</th><th scope="col">公示版 → 本报告</th><th scope="col">原因</th></tr></thead>
<tbody>
{% for change, whose, subject, moved, causes in group.rows %}<tr><td>{{ change }}</td><td>{{ whose }}</td><td>{{ subject }}</td><td>{{ moved }}</td><td>{% for cause in causes %}{% if not loop.first %}<br>{% endif %}{{ cause }}{% endfor %}</td></tr>
{% endfor %}
</tbody>
</table>
</div>
{% endfor %}
{% if compared.totals %}
<div class="changes">
<h3>合计</h3>
<table>
<thead><tr><th scope="col">项目</th><th scope="col">公示版 → 本报告</th><th scope="col">单位</th></tr></thead>
<tbody>
{% for what, moved, unit in compared.totals %}<tr><td>{{ what }}</td><td>{{ moved }}</td><td>{{ unit }}</td></tr>
{% endfor %}
</tbody>
</table>
</div>
{% endif %}
</section>
{% endif %}
{% if report.uncomputed %}
<section id="uncomputed">
<h2>未纳入计算的事项</h2>
<p class="note">以下条款需要人工研判或按程序办理,本报告未作计算,请另行掌握:</p>
<ul class="warnings">{% for m in report.uncomputed %}<li>{{ m.clause }}:{{ m.what }}</li>{% endfor %}</ul>
</section>
{% endif %}
{% if report.warnings %}
<section id="warnings">
<h2>提示</h2>
<ul class="warnings">{% for warning in report.warnings %}<li>{{ warning.message }}</li>{% endfor %}</ul>
</section>
{% endif %}
<footer>由 sanshi {{ version }} 依据 {{ report.source }} 生成;同一输入、同一规则包和历史库生成的报告逐字节相同。</footer>
</main>
</body>
</html>
"""


def _template() -> jinja2.Template:
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return environment.from_string(PAGE)
