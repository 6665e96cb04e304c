"""Short terminal summaries with tabulate (the full detail is in the workbook and JSON).

Every summary fits the terminal: it takes a `width` in columns (by default `terminal_width()`), keeps
short columns (条款, 单位, 姓名, numbers) whole and wraps the long ones (依据, 说明...) with the
breaker in sanshi.writers.wrap, which never splits a number, date, clause or a name of the result.
Where even the narrowest wrapping does not fit, a table is shown as one block of lines per row.
No line is wider than the width, which is taken to be at least MIN_WIDTH.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tabulate import tabulate

from sanshi.results import (
    POVERTY_EXCELLENT,
    AwardsResult,
    ClauseList,
    CountyHead,
    DemotionsResult,
    DiffResult,
    Exclusion,
    Explanation,
    PromotedCadre,
    PromotedUnit,
    PromotionsResult,
    ResultChange,
    RunHeader,
    Trigger,
    YearReport,
    total_wan,
)
from sanshi.rules.arith import num, percent
from sanshi.rules.params import ManualClause, PackDiff, RulePack, format_value
from sanshi.writers.tty import output_width
from sanshi.writers.wrap import display_width, fill, longest_piece

PROSE = 20  # the narrowest a wrapped text column (依据, 原因, 说明) is made before the table becomes blocks
_GAP = 2  # tabulate's "simple" format puts two spaces between columns


def _table(
    rows: Sequence[Sequence],
    headers: Sequence[str],
    width: int,
    wrap: dict[int, int] | None = None,
    protect: Iterable[str] = (),
) -> str:
    """A tabulate table at most `width` columns wide. The columns in `wrap` (index -> the narrowest width
    worth wrapping to) are wrapped to share what the other columns leave; those keep their natural width.
    When the wrapped columns cannot have even that, or there is nothing to wrap and the table is too
    wide, each row is written as a block of `表头 value` lines instead."""
    wrap, protect = wrap or {}, tuple(protect)
    rows = [["" if cell is None else cell for cell in row] for row in rows]
    # tabulate decides the other columns' widths (numbers aligned, headers padded): measure them on its
    # own rendering with the wrapped columns left empty.
    blank = [[("" if i in wrap else cell) for i, cell in enumerate(row)] for row in rows]
    widths = [len(dashes) for dashes in tabulate(blank, headers=headers).split("\n")[1].split(" " * _GAP)]
    room = width - _GAP * (len(headers) - 1) - sum(w for i, w in enumerate(widths) if i not in wrap)
    bounds, sizes = {}, {}
    for i, floor in wrap.items():
        head = display_width(headers[i]) + 2  # tabulate's padding of a header
        texts = [str(row[i]) for row in rows]
        natural = max([head, *(display_width(line) for text in texts for line in text.split("\n"))])
        narrowest = max([head, floor, *(longest_piece(text, protect) for text in texts)])
        bounds[i] = (min(narrowest, natural), natural)
        sizes[i] = [display_width(text) for text in texts]
    if sum(low for low, _ in bounds.values()) <= room:
        share = _share(bounds, sizes, room) if bounds else {}
        wrapped = [
            [fill(str(cell), share[i], protect) if i in share else cell for i, cell in enumerate(row)] for row in rows
        ]
        table = tabulate(wrapped, headers=headers)
        if all(display_width(line) <= width for line in table.split("\n")):
            return table
    return _blocks(rows, headers, width, protect)


def _share(bounds: dict[int, tuple[int, int]], texts: dict[int, list[int]], room: int) -> dict[int, int]:
    """Widths for the wrapped columns that make the table shortest: each starts at its narrowest, then the
    room is given out a column at a time to whichever column shortens the table most. A row's height is
    estimated as its tallest cell's text width over its column's width (`texts`: each column's cell widths),
    and no column grows past what its text needs."""
    widths = {i: low for i, (low, _) in bounds.items()}
    spare = room - sum(widths.values())
    rows = range(len(next(iter(texts.values()))))

    def height(wide: dict[int, int]) -> float:
        return sum(max([1.0, *(texts[i][r] / wide[i] for i in wide)]) for r in rows)

    current = height(widths)
    step = max(1, spare // 40)  # a step of a few columns on a wide terminal: the same table, sooner
    while spare > 0:
        best, best_height = None, current
        for i in widths:
            if widths[i] < bounds[i][1]:
                trial = {**widths, i: min(widths[i] + min(step, spare), bounds[i][1])}
                tried = height(trial)
                if tried < best_height:
                    best, best_height = i, tried
        if best is None:
            break  # every row fits on one line already, or no column may grow
        grown = min(widths[best] + min(step, spare), bounds[best][1])
        spare -= grown - widths[best]
        widths[best], current = grown, best_height
    return widths


def _blocks(rows: Sequence[Sequence], headers: Sequence[str], width: int, protect: tuple[str, ...]) -> str:
    """A table too wide for the terminal, as one block per row: each non-empty cell on its own line after its
    header, continuation lines indented under the value; blocks separated by a blank line."""
    label = max(display_width(h) for h in headers) + 2
    blocks = []
    for row in rows:
        lines = []
        for head, cell in zip(headers, row):
            text = str(cell).strip()
            if not text:
                continue
            first, *rest = fill(text, width - label, protect).split("\n")
            lines.append(head + " " * (label - display_width(head)) + first)
            lines.extend(" " * label + line for line in rest)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _marker(result: RunHeader) -> str:
    """A what-if run's marker (results.what_if_title) as the line above the title, nothing for a real run."""
    return f"{result.what_if_title}\n" if result.what_if else ""


def report_summary(report: YearReport, path: str, width: int | None = None) -> str:
    """What the year report holds, in three lines, and where it was written."""
    awards, demotions = report.awards, report.demotions
    compared = ""
    if report.compared is not None:
        changes = len(report.compared.changes)
        compared = f"\n与公示版 {report.compared.old.source} 相比:" + (
            f"{changes} 处结果变化" if changes else "计算结果没有变化"
        )
    return fill(
        f"{_marker(report)}{report.year}年度考核结果报告 · 规则包 {report.rules}\n"
        f"奖励资金合计 {num(awards.total_amount_wan)} 万元(共 {len(awards.prizes)} 项){pending_text(awards)};"
        f"能下触发 {len(demotions.candidates)} 人次,未能判定 {len(demotions.undetermined)} 人次;"
        f"历年趋势 {len(report.trends)} 个单位{compared}\n\n报告:{path}",
        output_width(width),
        (report.rules, path),
    )


def awards_summary(result: AwardsResult, width: int | None = None) -> str:
    """The year's cuts, excellent units, county awards and the total, as plain-text tables."""
    width = output_width(width)
    names = (
        result.rules,
        *(g.unit for g in (*result.target_units, *result.poverty_units)),
        *(a.unit for a in result.awards),
    )
    parts = [
        f"{_marker(result)}{result.year}年度考核奖励结果 · 规则包 {result.rules} · 上年数据:{result.previous.source}"
    ]
    if result.places:
        parts[0] += f"\n以前年度县域监测:{earlier_years_text(result)}"
    tables = []
    if result.cuts:
        rows = [
            [
                c.assessment,
                c.group or "—",
                c.units,
                f"{c.units}×{percent(c.ratio)}→{c.quota}",
                c.eligible,
                c.excellent,
                num(c.cut_score) if c.cut_score is not None else "—",
            ]
            for c in result.cuts
        ]
        tables.append(
            (
                len(parts),
                _table(rows, ["考核", "类别", "单位数", "名额", "可评优", "优秀", "名额线得分"], width, protect=names),
            )
        )
        for grades, title in (
            (result.target_units, "目标责任考核优秀单位"),
            (result.poverty_units, "脱贫攻坚优秀单位"),
        ):
            by_group: dict[str, list[str]] = {}
            for g in grades:
                if g.excellent:
                    by_group.setdefault(g.group, []).append(g.unit)
            for group, units in by_group.items():
                parts.append(f"{title}{'(' + group + ')' if group else ''}:{'、'.join(units)}")
    money = result.prizes
    if money:
        rows = [
            [
                a.award,
                a.unit,
                a.tier or "",
                num(a.amount_wan) if a.amount_wan is not None else "",
                a.basis if a.award != POVERTY_EXCELLENT else "",
            ]
            for a in money
        ]
        tables.append(
            (len(parts), _table(rows, ["奖项", "单位", "等级", "万元", "依据"], width, {0: 8, 4: PROSE}, names))
        )
    parts.append(f"奖励资金合计:{num(result.total_amount_wan)} 万元(共 {len(money)} 项){pending_text(result)}")
    if result.undetermined:
        parts.append(f"未能判定:{result.pending_count} 项(须补齐后重新运行,未计入奖励资金合计)")
        rows = [[p.award, p.unit, p.missing] for p in result.undetermined]
        tables.append((len(parts), _table(rows, ["奖项", "单位", "缺少的事实"], width, {0: 8, 2: PROSE}, names)))
    if result.bonus:
        paid = [b.amount_yuan for b in result.bonus if b.amount_yuan is not None]
        uplifted = sum(1 for b in result.bonus if b.coefficient > 1)
        total = f",合计 {num(sum(paid))} 元" if paid else ",每人金额未设定(只给出系数)"
        parts.append(f"目标责任考核个人奖金:{len(result.bonus)} 人,其中本人优秀提高系数 {uplifted} 人{total}")
    if result.cadre_quotas:
        parts.append(
            f"干部年度考核优秀名额:{len(result.cadre_quotas)} 个单位,合计 {sum(q.quota for q in result.cadre_quotas)} 名"
        )
    parts = [fill(part, width, names) for part in parts]
    # The tables go back between the prose, where they were.
    for at, table in reversed(tables):
        parts.insert(at, table)
    return "\n\n".join(parts)


def earlier_years_text(result: AwardsResult) -> str:
    """Which earlier years of the monitoring a run saw, in one line for the header."""
    if result.earlier_years:
        return "历史库" + "、".join(f"{y}" for y in result.earlier_years) + "年"
    return (
        "无("
        + ("历史库中没有县域监测数据" if result.history else "未找到历史库")
        + ",只用工作簿的「上年名次」「曾进入」列)"
    )


def uncomputed_text(clauses: Iterable[ManualClause], width: int, names: tuple[str, ...] = ()) -> str:
    """The clauses a pack leaves to human judgement, one line each: what sanshi does not compute."""
    lines = ["需要人工判断、本工具不计算的条款(规则包 uncomputed.clauses):"]
    lines += [f"· {m.clause}:{m.what}。{m.why}" for m in clauses]
    return "\n".join(fill(line, width, names) for line in lines)


def pending_text(result: AwardsResult) -> str:
    """',另有 N 项待定(未能判定,未计入合计)' when some awards could not be decided."""
    return f",另有 {result.pending_count} 项待定(未能判定,未计入合计)" if result.undetermined else ""


def rules_table(pack: RulePack, width: int | None = None) -> str:
    """Every parameter of a pack with its value, clause and note; for a local pack, which values it sets
    (来源 本地) and its [documents] section (发文设置)."""
    width = output_width(width)
    names = (pack.label, pack.origin, pack.issued_by)
    head = [
        f"规则包 {pack.label}:{pack.title}",
        f"发布:{pack.issued_by} {pack.issued_on or ''} · 施行:{pack.effective_from or ''} · 来源:{pack.origin}",
    ]
    head.extend(f"注意:{c}" for c in pack.caveats)
    local = pack.base is not None
    # (header, cell, the narrowest width worth wrapping to, or None to keep the column whole)
    columns = [
        ("参数", lambda p: p.key, None),
        ("含义", lambda p: p.label, 10),
        ("取值", format_value, 10),
        *([("来源", lambda p: _set_by(p, pack), None)] if local else []),
        ("条款", lambda p: p.clause, 0),
        ("说明", lambda p: p.note, PROSE),
    ]
    rows = [[cell(p) for _, cell, _ in columns] for p in pack.params.values()]
    wrap = {i: floor for i, (_, _, floor) in enumerate(columns) if floor is not None}
    parts = [
        "\n".join(fill(line, width, names) for line in head),
        _table(rows, [h for h, _, _ in columns], width, wrap, names),
    ]
    parts.append(uncomputed_text(pack.manual_clauses("uncomputed.clauses"), width, names))
    if local:
        own = sum(1 for p in pack.params.values() if p.source == pack.name)
        parts.append(
            fill(
                f"来源「本地」:{pack.where} 设定的 {own} 项;其余 {len(pack.params) - own} 项取自内置规则包 {pack.base}",
                width,
                names,
            )
        )
    if pack.documents:
        parts.append(
            fill("发文设置(规则包的 [documents] 部分,sanshi notices 生成公文时使用):", width)
            + "\n"
            + _documents_table(pack.documents, width)
        )
    elif local:
        parts.append(fill(f"发文设置:{pack.where} 没有 [documents] 部分(sanshi notices 生成公文时需要)", width, names))
    return "\n\n".join(parts)


def rules_diff_table(diff: PackDiff, width: int | None = None) -> str:
    """`rules diff A B`: the parameters whose values differ, with each pack's value, and the clauses where they
    differ too; or a line saying there are none."""
    width = output_width(width)
    a, b = diff.a, diff.b
    names = (a.label, b.label, a.origin, b.origin)
    head = fill(f"规则包 A:{a.label}({a.origin})\n规则包 B:{b.label}({b.origin})", width, names)
    clause_note = (
        f"另有 {diff.clause_only} 个参数取值相同,只是所引条款的写法不同(见 sanshi rules show)"
        if diff.clause_only
        else ""
    )
    if not diff.differences:
        said = "两个规则包的参数取值完全相同" + (f";{clause_note}" if clause_note else "")
        return head + "\n\n" + fill(said, width, names)
    rows = [
        [
            d.key,
            d.label,
            d.value_a,
            d.value_b,
            "同" if d.same_clause else f"A:{d.clause_a}\nB:{d.clause_b}",
        ]
        for d in diff.differences
    ]
    table = _table(rows, ["参数", "含义", "A 的取值", "B 的取值", "条款"], width, {1: 10, 2: 10, 3: 10, 4: 10}, names)
    parts = [head, fill(f"取值不同的参数:{len(diff.differences)} 个", width, names), table]
    if clause_note:
        parts.append(fill(clause_note, width, names))
    return "\n\n".join(parts)


def _set_by(param, pack: RulePack) -> str:
    """本地 for a value the local pack sets, 命令行 for one set on the command line, empty for the base pack's."""
    if param.source == pack.name:
        return "本地"
    return param.source if param.source == "命令行" else ""


def _documents_table(documents: dict, width: int) -> str:
    """The [documents] section as written: the settings all kinds share, then each kind's own."""
    from sanshi.documents.config import SETTINGS_BY_KEY

    def rows_of(kind: str, table: dict) -> list[list[str]]:
        return [
            [
                kind,
                key,
                SETTINGS_BY_KEY[key].label if key in SETTINGS_BY_KEY else "(未知项)",
                value.isoformat() if hasattr(value, "isoformat") else str(value),
            ]
            for key, value in table.items()
        ]

    rows = rows_of("各类公文", {k: v for k, v in documents.items() if not isinstance(v, dict)})
    for kind, table in documents.items():
        if isinstance(table, dict):
            rows.extend(rows_of(kind, table))
    return _table(rows, ["公文", "设置", "含义", "取值"], width, {2: 10, 3: PROSE})


def _trigger_names(triggers: Iterable[Trigger]) -> tuple[str, ...]:
    return tuple(name for t in triggers for name in (t.unit, t.name, t.tolerance_ref) if name)


def _trigger_table(triggers: list[Trigger], width: int, protect: tuple[str, ...]) -> str:
    """能下 rows as one table: clause, unit, name, role, basis and 容错."""
    rows = [[t.key, t.unit, t.name or "(未列出)", t.role or "", t.basis, t.tolerance_text] for t in triggers]
    return _table(rows, ["条款", "单位", "姓名", "岗位类别", "依据", "容错"], width, {3: 10, 4: PROSE, 5: 0}, protect)


def demotions_summary(result: DemotionsResult, width: int | None = None) -> str:
    """The candidate list, the undetermined cases and the impact periods as plain-text tables."""
    width = output_width(width)
    names = (
        result.rules,
        *(result.unit or "",),
        *_trigger_names((*result.candidates, *result.undetermined)),
        *(name for p in result.impact_periods for name in (p.name, p.unit)),
    )
    unit = result.unit
    history = "、".join(f"{y}年" for y in result.history_years) or "无(只用工作簿的上年列)"
    scope = f" · 单位 {unit}" if unit else ""
    parts = [
        fill(
            f"{_marker(result)}{result.year}年度能下触发名单{scope} · 规则包 {result.rules} · 历史数据:{history}",
            width,
            names,
        )
    ]
    tolerated = sum(1 for t in result.candidates if t.tolerated)
    reduced = sum(1 for t in result.candidates if t.reduced)
    if result.candidates:
        parts.append(
            fill(
                f"能下触发名单:{len(result.candidates)} 人次,其中容错免责 {tolerated} 人次"
                + (f",容错减责 {reduced} 人次" if reduced else ""),
                width,
            )
            + "\n"
            + _trigger_table(result.candidates, width, names)
        )
    else:
        parts.append(fill(f"{unit or '本年度'}未触发能下情形(能上能下办法第六条、第八条至第十三条)", width, names))
    if result.undetermined:
        parts.append(
            fill(f"未能判定:{len(result.undetermined)} 人次(须补齐数据后重新运行)", width)
            + "\n"
            + _trigger_table(result.undetermined, width, names)
        )
    if result.impact_periods:
        rows = [[p.name, p.unit, p.method, p.until.isoformat(), p.basis] for p in result.impact_periods]
        parts.append(
            fill(f"{result.year}年末在影响期内:{len(result.impact_periods)} 人(能上能下办法第十六条)", width)
            + "\n"
            + _table(rows, ["姓名", "单位", "调整方式", "影响期至", "依据"], width, {4: PROSE}, names)
        )
    return "\n\n".join(parts)


def notices_summary(
    counts: dict[str, int], sizes: dict[str, int], folder: str, formats: list[str], width: int | None = None
) -> str:
    """How many documents of each kind were written, and where."""
    width = output_width(width)
    rows = [[kind, counts.get(kind, 0), sizes[kind]] for kind in sizes]
    total = sum(counts.values())
    return "\n".join(
        [
            _table(rows, ["公文", "本次生成", "全年共有"], width),
            "\n"
            + fill(
                f"共 {total} 份公文({'、'.join(formats)}),写到 {folder}"
                if total
                else "没有符合条件的公文,未写任何文件",
                width,
                (folder,),
            ),
        ]
    )


def templates_listing(entries: list[dict], width: int | None = None) -> str:
    """--list-templates: each kind's template, when it is used, the variables and settings it reads."""
    width = output_width(width)
    parts = []
    for e in entries:
        lines = [
            f"{e['kind']}:{e['path']}{'' if e['exists'] else '(缺少)'}",
            f"  用途:{e['description']}",
            f"  份数:{e['one_per']}",
        ]
        if e.get("error"):
            lines.append(f"  错误:{e['error']}")
        for name, (line, meaning) in e.get("variables", {}).items():
            lines.append(f"  变量 {name}(第{line}行起):{meaning}")
        for key, (line, state) in e.get("settings", {}).items():
            lines.append(f"  发文设置 doc.{key}(第{line}行起):{state}")
        parts.append(fill("\n".join(lines), width, (str(e["path"]),)))
    return "\n\n".join(parts)


def layout_report(path: str, measurements: list[tuple[str, str]], problems: list[str], width: int | None = None) -> str:
    """--check: the measured layout numbers, then the problems (or that there are none)."""
    width = output_width(width)
    table = _table(measurements, ["项目", "测得"], width, {1: PROSE})
    verdict = (
        f"{path}:符合 GB/T 9704-2012 的版式要求"
        if not problems
        else f"{path}:{len(problems)} 处不符合 GB/T 9704-2012:\n" + "\n".join(f"  - {p}" for p in problems)
    )
    return f"{table}\n\n{fill(verdict, width, (path,))}"


def layout_folder_report(folder: str, reports: list[tuple[str, list[str]]], width: int | None = None) -> str:
    """--check on a folder: each .docx (relative to it) conforming or with its problems, then the count."""
    width = output_width(width)
    lines = []
    for name, problems in reports:
        if problems:
            lines.append(fill(f"{name}:{len(problems)} 处不符合", width, (name,)))
            lines.extend(fill(f"  - {p}", width) for p in problems)
        else:
            lines.append(fill(f"{name}:符合", width, (name,)))
    failed = sum(1 for _, problems in reports if problems)
    verdict = (
        f"{folder}:{len(reports)} 份公文均符合 GB/T 9704-2012 的版式要求"
        if not failed
        else f"{folder}:{len(reports)} 份公文中 {failed} 份不符合 GB/T 9704-2012"
    )
    return "\n".join(lines) + "\n\n" + fill(verdict, width, (folder,))


def explain_summary(result: Explanation, width: int | None = None) -> str:
    """Everything concluded about one unit or person, each line with its clause and arithmetic."""
    width = output_width(width)
    names = (
        result.rules,
        result.subject,
        *result.units,
        *_trigger_names((*result.candidates, *result.undetermined)),
        *(name for p in result.impact_periods for name in (p.name, p.unit)),
    )
    history = "、".join(f"{y}年" for y in result.history_years) or "无"
    where = "" if result.kind == "单位" else f"({'、'.join(result.units)})"
    parts = [
        f"{result.subject}{where} · {result.year}年度考核结论及依据 · 规则包 {result.rules}\n"
        f"上年名次:{result.previous.source} · 能下所用历史数据:{history}"
    ]
    tables = []
    if result.grades:
        rows = [[g.group or "脱贫攻坚", num(g.score), g.rank, g.grade or "—", g.basis] for g in result.grades]
        parts.append("所在单位等次" if result.kind == "个人" else "等次")
        tables.append((len(parts), _table(rows, ["类别", "得分", "名次", "等次", "依据"], width, {4: PROSE}, names)))
        parts.extend(
            f"名额测算({c.assessment}{' ' + c.group if c.group else ''}):{c.basis}({c.clause})" for c in result.cuts
        )
    if result.awards:
        rows = [
            [a.award, a.tier or "", num(a.amount_wan) if a.amount_wan is not None else "—", a.basis, a.clause]
            for a in result.awards
        ]
        parts.append(f"奖励:{len(result.awards)} 项,奖励资金 {num(total_wan(result.awards))} 万元")
        tables.append(
            (len(parts), _table(rows, ["奖项", "等级", "万元", "依据", "条款"], width, {3: PROSE, 4: 0}, names))
        )
    parts.extend(f"干部年度考核优秀名额:{q.basis}({q.clause})" for q in result.cadre_quotas)
    if result.kind == "个人":
        parts.extend(f"个人考核奖金:{b.basis}({b.clause})" for b in result.bonus)
    elif result.bonus:
        paid = [b.amount_yuan for b in result.bonus if b.amount_yuan is not None]
        total = f",合计 {num(sum(paid))} 元" if paid else ",每人金额未设定"
        parts.append(f"个人考核奖金:{len(result.bonus)} 人{total}(逐人见 --json 或 awards 结果工作簿)")
    if result.candidates:
        parts.append(f"能下触发:{len(result.candidates)} 项")
        tables.append((len(parts), _trigger_table(result.candidates, width, names)))
    else:
        parts.append("能下触发:无(能上能下办法第六条、第八条至第十三条)")
    if result.undetermined:
        parts.append(f"未能判定:{len(result.undetermined)} 项")
        tables.append((len(parts), _trigger_table(result.undetermined, width, names)))
    parts.extend(f"影响期:{p.name} {p.basis}({p.clause})" for p in result.impact_periods)
    parts.extend(
        _promotion_lines(
            result.promoted_units, result.promoted_cadres, result.county_heads, result.lists, result.excluded
        )
    )
    parts.extend(f"提示:{note.message}" for note in result.notes)
    lines = [fill(part, width, names) for part in parts]
    if result.uncomputed:
        lines.append(uncomputed_text(result.uncomputed, width, names))
    # A table sits right under the title line before it, with no blank line between.
    for at, table in reversed(tables):
        lines[at - 1] += "\n" + table
    return "\n\n".join(lines)


def _years(years: tuple[int, ...]) -> str:
    return f"{years[0]}—{years[-1]}年" if len(years) > 1 else f"{years[0]}年"


def _promotion_lines(
    units: list[PromotedUnit],
    cadres: list[PromotedCadre],
    heads: list[CountyHead],
    lists: list[ClauseList],
    excluded: list[Exclusion],
) -> list[str]:
    """The subject's places on the promotion lists (鼓励激励办法第七条) and any exclusion, for explain."""
    lines = [f"选拔重用:{u.unit} {u.basis}({u.clause})" for u in units]
    lines += [f"选拔重用:{c.name} {c.basis}({c.clause})" for c in cadres]
    lines += [
        f"选拔重用:{h.name}({h.unit}{h.position or ''})优秀县(市、区)党政正职,{h.basis}({h.clause})" for h in heads
    ]
    lines += [f"选拔重用:{r.name or r.unit} {r.basis}({r.clause})" for listed in lists for r in listed.rows]
    lines += [f"选拔重用不列入:{e.name}({e.unit}),本应列入{e.clause}:{e.reason}" for e in excluded]
    return lines


def promotions_summary(result: PromotionsResult, width: int | None = None) -> str:
    """The three promotion lists (鼓励激励办法第七条), who was left out and why, and what could not be judged.
    An empty list says 无, so a reader sees it was looked for."""
    width = output_width(width)
    names = (
        result.rules,
        *(u.unit for u in result.units),
        *(
            name
            for c in (*result.cadres, *result.county_heads, *result.excluded, *result.undetermined)
            for name in (c.name, c.unit)
            if name
        ),
        *(name for listed in result.lists for r in listed.rows for name in (r.name, r.unit) if name),
    )
    history = "、".join(f"{y}年" for y in result.history_years) or "无"
    parts = [
        fill(
            f"{_marker(result)}{result.year}年度选拔重用名单 · 规则包 {result.rules} · 历史数据:{history}", width, names
        )
    ]

    def section(title: str, count: str, rows: list, headers: list[str], wrap: dict[int, int]) -> str:
        if not rows:
            return fill(f"{title}:无", width, names)
        return fill(f"{title}:{count}", width, names) + "\n" + _table(rows, headers, width, wrap, names)

    parts.append(
        section(
            "连续三年以上年度考核优秀的党政干部(第七条第(一)项)",
            f"{len(result.cadres)} 人",
            [[c.name, c.unit, c.position or "", _years(c.years), c.basis] for c in result.cadres],
            ["姓名", "单位", "职务", "优秀年度", "依据"],
            {2: 10, 4: PROSE},
        )
    )
    parts.append(
        section(
            "连续三年目标责任考核优秀的单位(第七条第(二)项)",
            f"{len(result.units)} 个",
            [[u.unit, _years(u.years), u.basis] for u in result.units],
            ["单位", "优秀年度", "依据"],
            {2: PROSE},
        )
    )
    parts.append(
        section(
            "优秀县(市、区)党政正职(第七条第(三)项)",
            f"{len(result.county_heads)} 人",
            [
                [
                    h.place,
                    h.unit,
                    h.name,
                    h.position or "",
                    percent(h.score),
                    ";".join(f"{c.assessment}{c.value} {percent(c.percentile)}" for c in h.components),
                ]
                for h in result.county_heads
            ],
            ["综合名次", "县(市、区)", "姓名", "职务", "综合分", "各项(百分位)"],
            {3: 8, 5: PROSE},
        )
    )
    for listed in result.lists:
        facts = len(listed.columns)
        parts.append(
            section(
                listed.title,
                f"{len(listed.rows)} {listed.noun}",
                [[r.name or "", r.unit, r.position or "", *r.facts, r.basis] for r in listed.rows],
                ["姓名", "单位", "职务", *(header for _, header in listed.columns), "依据"],
                {2: 10, **{3 + i: 20 for i in range(facts)}, 3 + facts: PROSE},
            )
        )
    if result.excluded:
        rows = [[e.name, e.unit, e.clause, e.reason] for e in result.excluded]
        parts.append(
            section(
                "不列入",
                f"{len(result.excluded)} 人(影响期或本年能下情形)",
                rows,
                ["姓名", "单位", "本应列入", "原因"],
                {3: PROSE},
            )
        )
    if result.undetermined:
        rows = [[e.name or "—", e.unit, e.clause, e.reason] for e in result.undetermined]
        parts.append(
            section(
                "未能判定",
                f"{len(result.undetermined)} 项(须补齐数据后重新运行)",
                rows,
                ["姓名", "单位", "条款", "原因"],
                {3: PROSE},
            )
        )
    return "\n\n".join(parts)


def year_end_summary(run, folder: str, files: list, width: int | None = None) -> str:
    """What `sanshi year` did: the history it imported, one line per result, and the folder's contents."""
    width = output_width(width)
    awards, demotions, promotions = run.awards, run.demotions, run.promotions
    parts = [f"{run.year}年度考核结果 · 规则包 {run.rules} · 上年数据:{awards.previous.source}"]
    lines = []
    for path, outcome in run.imports:
        if outcome.unchanged:
            lines.append(f"历史库:{outcome.year}年 {path} 与第{outcome.revision}版是同一文件,未重复导入")
        elif outcome.replaced:
            lines.append(
                f"历史库:{outcome.year}年 {path} 已导入为第{outcome.revision}版,取代第{outcome.replaced.revision}版"
            )
        else:
            lines.append(f"历史库:{outcome.year}年 {path} 已导入(第{outcome.revision}版)")
    excellent = [g for g in awards.target_units if g.excellent]
    poverty = [g for g in awards.poverty_units if g.excellent]
    lines.append(
        f"评优与奖励:目标责任考核优秀单位 {len(excellent)} 个,脱贫攻坚优秀单位 {len(poverty)} 个;"
        f"奖励资金合计 {num(awards.total_amount_wan)} 万元(共 {len(awards.prizes)} 项){pending_text(awards)}"
    )
    tolerated = sum(1 for t in demotions.candidates if t.tolerated)
    reduced = sum(1 for t in demotions.candidates if t.reduced)
    lines.append(
        f"能下触发名单:{len(demotions.candidates)} 人次(其中容错免责 {tolerated} 人次"
        + (f",容错减责 {reduced} 人次" if reduced else "")
        + "),"
        f"未能判定 {len(demotions.undetermined)} 人次,年末在影响期内 {len(demotions.impact_periods)} 人"
    )
    lines.append(
        f"选拔重用名单:连续三年优秀干部 {len(promotions.cadres)} 人,连续三年优秀单位 {len(promotions.units)} 个,"
        f"优秀县(市、区)党政正职 {len(promotions.county_heads)} 人"
        + "".join(f",{listed.short} {len(listed.rows)} {listed.noun}" for listed in promotions.lists)
    )
    lines.append(f"公文:{len(run.notices.documents)} 份")
    parts.append("\n".join(lines))
    documents = [f for f in files if len(f.parts) > 1]
    listing = [f"  {f}" for f in files if len(f.parts) == 1]
    if documents:
        listing.insert(-1, f"  {documents[0].parts[0]}/({len(documents)} 个文件)")
    parts.append(f"结果文件夹:{folder}(共 {len(files)} 个文件)\n" + "\n".join(listing))
    counts = (f"{listed.short} {len(listed.rows)} {listed.noun}" for listed in promotions.lists)  # kept whole
    names = (run.rules, folder, *(str(path) for path, _ in run.imports), *(str(f) for f in files), *counts)
    return "\n\n".join(fill(part, width, names) for part in parts)


def history_year_text(year: int, info, tables: dict) -> str:
    """`history show`: the revision, its file, hash and import time, and each sheet's row count."""
    lines = [
        f"{year}年 第{info.revision}版({'当前' if info.is_current else '旧版'}):{info.source},"
        f"SHA-256 {info.sha256},导入于 {info.imported_local}"
    ]
    lines += [f"  {name}:{len(table.rows)} 行" for name, table in tables.items()]
    return "\n".join(lines)


def history_listing(revisions: Sequence, width: int | None = None) -> str:
    """`history list`: each stored revision, its file, the start of its SHA-256 and when it was imported
    (local time, its offset said); the sheets it holds wrap."""
    rows = [
        [
            r.year,
            f"{r.revision}({'当前' if r.is_current else '旧版'})",
            r.source,
            r.sha256[:12],
            r.imported_local,
            "、".join(r.sheets),
        ]
        for r in revisions
    ]
    headers = ["年度", "版本", "文件", "SHA-256", "导入时间", "工作表"]
    return _table(rows, headers, output_width(width), wrap={5: PROSE}, protect=[r.source for r in revisions])


def verify_listing(checks: Sequence, width: int | None = None) -> str:
    """`verify`: each file of a manifest with its recorded and current SHA-256 (first 12 digits) and the result."""
    rows = [[c.label, c.recorded[:12], (c.current or "—")[:12], c.status] for c in checks]
    return _table(rows, ["文件", "记录的 SHA-256(前12位)", "现在", "结果"], output_width(width), wrap={0: PROSE})


def diff_summary(result: DiffResult, width: int | None = None) -> str:
    """What changed between two versions, grouped by kind of result: each change before → after with the input
    cells behind it (or the units whose changes pushed it), then the totals before → after, then every changed
    input cell."""
    from sanshi.diffing import input_line, result_text

    width = output_width(width)
    names = tuple(
        dict.fromkeys(
            [result.old.source, result.new.source, result.old.rules, result.new.rules]
            + [c.unit for c in result.changes]
            + [c.row for c in result.inputs]
        )
    )
    rules = result.new.rules if result.old.rules == result.new.rules else f"{result.old.rules} → {result.new.rules}"
    if result.what_if:
        rules = f"{result.old.rules} → 测算参数"
    head = f"{result.year}年度考核结果变化 · {result.old.source} → {result.new.source} · 规则包 {rules}"
    parts = [fill(head, width, names)]
    if result.what_if_title:
        parts.insert(0, fill(result.what_if_title, width, names))
    if not result.changes:
        parts.append("没有变化" + (f"(输入有 {len(result.inputs)} 处不同,计算结果相同)" if result.inputs else ""))
    by_kind: dict[str, list[ResultChange]] = {}
    for change in result.changes:
        by_kind.setdefault(change.kind, []).append(change)
    for kind, changes in by_kind.items():
        lines = [f"{kind}:{len(changes)} 处"]
        for c in changes:
            who = c.unit + (f" {c.name}" if c.name else "")
            subject = "" if c.subject == kind else f" {c.subject}"
            lines.append(
                f"· [{c.change}] {who}{subject}:{result_text(c.before, c.kind)} → {result_text(c.after, c.kind)}"
            )
            if c.before_basis != c.after_basis:
                if c.before_basis:
                    lines.append(f"    原依据:{c.before_basis}")
                if c.after_basis:
                    lines.append(f"    现依据:{c.after_basis}")
            for cell in c.inputs:
                lines.append(f"    输入:{input_line(cell)}")
            if c.pushed_by:
                lines.append(f"    本单位输入未变,受 {'、'.join(c.pushed_by)} 的输入变化影响")
            if c.parameters:
                lines.append(f"    输入未变,因测算改动规则包参数:{';'.join(c.parameters)}")
        parts.append("\n".join(fill(line, width, names) for line in lines))
    from sanshi.diffing import MONEY_TOTAL

    # The money total is shown even when equal (the figure the committee signs), once anything changed.
    moved = [t for t in result.totals if t.changed or t.what == MONEY_TOTAL]
    if moved and result.changes:
        lines = ["合计:"] + [f"· {t.what}:{num(t.before)} → {num(t.after)} {t.unit}" for t in moved]
        parts.append("\n".join(fill(line, width, names) for line in lines))
    if result.inputs:
        lines = [f"输入变化:{len(result.inputs)} 处"] + [f"· {input_line(c)}" for c in result.inputs]
        parts.append("\n".join(fill(line, width, names) for line in lines))
    return "\n\n".join(parts)
