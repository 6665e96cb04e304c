"""What changed between two versions of a year: a pure comparison of two runs' results and the two workbooks read.

Nothing here reads a file, opens the history store or prints: `pipeline.run_diff` computes both versions and
hands them here; writers show the DiffResult. Rows are matched by key (unit, 干部编号, the award, the clause),
each side put in a dict once, so the comparison is linear in the size of the year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sanshi.inputs import schema
from sanshi.inputs.reader import Book, Table
from sanshi.results import (
    POVERTY_EXCELLENT,
    ROW_ADDED,
    ROW_REMOVED,
    TARGET_EXCELLENT,
    Award,
    AwardsResult,
    DemotionsResult,
    DiffResult,
    DiffSideHeader,
    DiffTotal,
    InputChange,
    PromotionsResult,
    ResultChange,
    Trigger,
    UnitGrade,
)
from sanshi.rules.arith import num, percent

ADDED, REMOVED, CHANGED = "新增", "取消", "变化"

# The kinds of result, in the order they are shown.
TARGET_GRADE = "目标责任考核等次"
POVERTY_GRADE = "脱贫攻坚等次"
AWARD = "奖励"
PENDING = "未能判定的奖励"
CADRE_QUOTA = "干部优秀名额"
BONUS = "个人奖金"
TRIGGER = "能下情形"
IMPACT = "影响期"
PROMOTION = "选拔重用"
KINDS = (TARGET_GRADE, POVERTY_GRADE, AWARD, PENDING, CADRE_QUOTA, BONUS, TRIGGER, IMPACT, PROMOTION)

MONEY_TOTAL = "奖励资金合计"

# What a result that one version lacks is called, by kind (absent award: none).
ABSENT = {TRIGGER: "未触发", PROMOTION: "未列入", IMPACT: "不在影响期"}


def result_text(value: str | None, kind: str = "") -> str:
    """A result as a diff shows it; a result only one version has is, in the other, 未触发, 未列入... or (无)."""
    return value if value is not None else ABSENT.get(kind, "(无)")


def input_line(cell: InputChange) -> str:
    """2023.xlsx › 县域监测 › D8(芦峰县):上年名次 12 → 8; a whole row: 2023.xlsx › 容错认定 › 第4行:新增行 碧乐县."""
    if cell.column in (ROW_ADDED, ROW_REMOVED):
        return f"{cell.where}:{cell.column} {cell.row}"
    return f"{cell.where}({cell.row}):{cell.column} {result_text(cell.old)} → {result_text(cell.new)}"


# Which grouping a sheet's units are ranked in (the units of one group push each other in and out).
_RANKING = {schema.TARGET.name: TARGET_GRADE, schema.POVERTY.name: POVERTY_GRADE, schema.MONITORING.name: AWARD}

# The sheets whose cells can explain a result of each kind (None: any sheet of the unit or person).
_SHEETS: dict[str, tuple[str, ...] | None] = {
    TARGET_GRADE: (schema.TARGET.name,),
    POVERTY_GRADE: (schema.POVERTY.name, schema.FINDINGS.name),
    CADRE_QUOTA: (schema.TARGET.name,),
    BONUS: (schema.TARGET.name, schema.CADRES.name, schema.TOLERANCE.name),
    TRIGGER: None,
    IMPACT: (schema.ADJUSTMENTS.name,),
    PROMOTION: None,
}


@dataclass(frozen=True)
class Side:
    """One version as computed: its workbook as read and the three results of its year."""

    book: Book
    awards: AwardsResult
    demotions: DemotionsResult
    promotions: PromotionsResult


def diff_year(old: Side, new: Side) -> DiffResult:
    """Every result of `old` and `new` compared, each change with the input cells behind it."""
    inputs = input_changes(old.book, new.book)
    what_if = tuple(s for s in new.awards.what_if if s not in old.awards.what_if)
    explain = _Explainer(inputs, old, new, tuple(f"{s.key} {s.shipped}→{s.value}" for s in what_if))
    changes: list[ResultChange] = []
    changes += _grades(TARGET_GRADE, old.awards.target_units, new.awards.target_units, explain)
    changes += _grades(POVERTY_GRADE, old.awards.poverty_units, new.awards.poverty_units, explain)
    changes += _awards(old.awards, new.awards, explain)
    changes += _quotas(old.awards, new.awards, explain)
    changes += _bonus(old.awards, new.awards, explain)
    changes += _triggers(old.demotions, new.demotions, explain)
    changes += _impacts(old.demotions, new.demotions, explain)
    changes += _promotions(old.promotions, new.promotions, explain)
    order = {kind: i for i, kind in enumerate(KINDS)}
    changes.sort(key=lambda c: order[c.kind])
    # The runs' own warnings are the year's (shown by awards, demotions); only what concerns both versions' reading
    # of history and packs is repeated here.
    warnings = list(
        dict.fromkeys(
            w for w in new.awards.warnings + new.demotions.warnings if w.code.startswith(("history.", "pack."))
        )
    )
    return DiffResult(
        year=new.awards.year,
        old=DiffSideHeader(old.awards.source, old.awards.source_sha256, old.awards.rules),
        new=DiffSideHeader(new.awards.source, new.awards.source_sha256, new.awards.rules),
        inputs=inputs,
        changes=changes,
        totals=_totals(old, new),
        warnings=warnings,
        read=new.awards.read,
        what_if=new.awards.what_if,
    )


# ---- input cells ------------------------------------------------------------------------------


def text(value: Any) -> str | None:
    """A cell's value as people read it (None for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (Decimal, Fraction, int)):
        return num(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _row_keys(table: Table) -> tuple[list[tuple[Any, ...]], Callable[[dict[str, Any]], tuple[str, str | None, str]]]:
    """Each row's key (unique within the sheet) and how a row is named: (unit, person, label).

    Unit sheets are keyed by unit; 干部 by 干部编号 when the sheet has it, else 姓名 + 单位; the other sheets by
    their identifying columns, the n-th row with the same ones counted apart."""
    spec = table.spec
    if spec.key is not None:
        keys: list[tuple[Any, ...]] = [(row.get(spec.key),) for row in table.rows]

        def named(row: dict[str, Any]) -> tuple[str, str | None, str]:
            return row.get("unit") or "", None, str(row.get(spec.key or "") or "")

        return keys, named
    if spec.name == schema.CADRES.name:
        by_id = table.has("cadre_id")
        keys = [
            (row.get("cadre_id"),) if by_id and row.get("cadre_id") else (row.get("name"), row.get("unit"))
            for row in table.rows
        ]

        def person(row: dict[str, Any]) -> tuple[str, str | None, str]:
            key = row.get("cadre_id") if by_id and row.get("cadre_id") else row.get("name")
            label = f"{row.get('name')}({row['cadre_id']})" if by_id and row.get("cadre_id") else str(row.get("name"))
            return row.get("unit") or "", key, label

        return _numbered(keys), person
    identity = {
        schema.TOLERANCE.name: ("unit", "name", "ref"),
        schema.ADJUSTMENTS.name: ("unit", "name", "method"),
        schema.FINDINGS.name: ("unit", "area", "level"),
    }.get(spec.name, tuple(c.field for c in spec.columns if c.required))
    keys = [tuple(row.get(f) for f in identity) for row in table.rows]

    def other(row: dict[str, Any]) -> tuple[str, str | None, str]:
        label = " ".join(text(row.get(f)) or "" for f in identity if row.get(f) is not None)
        return row.get("unit") or "", row.get("name"), label

    return _numbered(keys), other


def _numbered(keys: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Keys made unique by counting repeats: the second row with the same key is (key, 2)."""
    seen: Counter[tuple[Any, ...]] = Counter()
    out = []
    for key in keys:
        seen[key] += 1
        out.append((*key, seen[key]))
    return out


def input_changes(old: Book, new: Book) -> list[InputChange]:
    """The cells that differ between two workbooks, sheet by sheet, rows matched by key, in the new book's order
    (removed rows last, in the old book's order)."""
    changes: list[InputChange] = []
    for spec in schema.SHEETS:
        if spec.name == schema.UNIT_NAMES.name:
            continue
        before, after = old.table(spec.name), new.table(spec.name)
        if before is None and after is None:
            continue
        if before is None or after is None:
            present = after if after is not None else before
            assert present is not None
            book = new if after is not None else old
            changes += _whole_rows(present, book.source, ROW_ADDED if after is not None else ROW_REMOVED)
            continue
        changes += _table_changes(before, after, old.source, new.source)
    return changes


def _whole_rows(table: Table, source: str, how: str) -> list[InputChange]:
    keys, named = _row_keys(table)
    out = []
    for index, row in enumerate(table.rows):
        unit, person, label = named(row)
        out.append(_row_change(table, index, source, how, label, unit, person))
    return out


def _row_change(
    table: Table, index: int, source: str, how: str, label: str, unit: str, person: str | None
) -> InputChange:
    number = table.row_numbers[index] if index < len(table.row_numbers) else index + 1
    return InputChange(
        source,
        table.spec.name,
        f"第{number}行",
        how,
        label,
        None if how == ROW_ADDED else label,
        label if how == ROW_ADDED else None,
        unit or None,
        person,
    )


def _table_changes(before: Table, after: Table, old_source: str, new_source: str) -> list[InputChange]:
    old_keys, old_named = _row_keys(before)
    new_keys, new_named = _row_keys(after)
    old_at = {key: i for i, key in enumerate(old_keys)}
    headers = {c.field: c.header for c in after.spec.columns}
    fields = [c.field for c in after.spec.columns if after.has(c.field) or before.has(c.field)]
    changes: list[InputChange] = []
    matched: set[int] = set()
    for index, (key, row) in enumerate(zip(new_keys, after.rows)):
        unit, person, label = new_named(row)
        at = old_at.get(key)
        if at is None:
            changes.append(_row_change(after, index, new_source, ROW_ADDED, label, unit, person))
            continue
        matched.add(at)
        was = before.rows[at]
        for name in fields:
            if was.get(name) != row.get(name):
                cell = after.cell(index, name) if after.has(name) else before.cell(at, name)
                changes.append(
                    InputChange(
                        new_source if after.has(name) else old_source,
                        after.spec.name,
                        cell,
                        headers[name],
                        label,
                        text(was.get(name)),
                        text(row.get(name)),
                        unit or None,
                        person,
                    )
                )
    for at, row in enumerate(before.rows):
        if at not in matched:
            unit, person, label = old_named(row)
            changes.append(_row_change(before, at, old_source, ROW_REMOVED, label, unit, person))
    return changes


# ---- why a result changed ---------------------------------------------------------------------


class _Explainer:
    """Finds the changed input cells of a unit or person, and the units in the same group whose inputs changed."""

    def __init__(self, inputs: Sequence[InputChange], old: Side, new: Side, parameters: tuple[str, ...] = ()) -> None:
        self.sources = (old.book.source, new.book.source)
        self.parameters = parameters  # the pack parameters only the new side changed (a what-if)
        self.by_unit: dict[str, list[InputChange]] = {}
        for change in inputs:
            if change.unit:
                self.by_unit.setdefault(change.unit, []).append(change)
        # The group of each unit in each ranking, both versions (a unit may have moved group).
        self.groups: dict[str, dict[str, set[str]]] = {}
        for side in (old, new):
            self._group(TARGET_GRADE, ((g.unit, g.group) for g in side.awards.target_units))
            self._group(POVERTY_GRADE, ((g.unit, g.group) for g in side.awards.poverty_units))
            self._group(AWARD, ((p.unit, p.area_type) for p in side.awards.places))

    def same(self, before: str | None, after: str | None) -> bool:
        """Whether two texts (a basis, a reason) say the same once the old file's name is read as the new one's
        (a reason that names its cell, 2023-公示.xlsx › 干部 › N261, is the same reason in 2023.xlsx)."""
        if before is None or after is None:
            return before is after
        return before.replace(self.sources[0], self.sources[1]) == after

    def _group(self, kind: str, pairs: Iterable[tuple[str, str]]) -> None:
        groups = self.groups.setdefault(kind, {})
        for unit, group in pairs:
            groups.setdefault(unit, set()).add(group)

    def cells(
        self, kind: str, unit: str, people: tuple[str, ...] = (), sheets: tuple[str, ...] | None = None
    ) -> tuple[InputChange, ...]:
        """The changed cells of the unit's rows in the sheets that bear on `kind` (a person's result: the unit's
        rows that name nobody, and that person's own, by 干部编号 or 姓名)."""
        allowed = sheets if sheets is not None else _SHEETS.get(kind)
        return tuple(
            c
            for c in self.by_unit.get(unit, ())
            if (allowed is None or c.sheet in allowed) and (c.person is None or not people or c.person in people)
        )

    def pushers(self, kind: str, unit: str, sheets: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """The other units of the same group (the same 类别, or the same 县域监测 ranking) whose inputs in the
        bearing sheets changed; any unit with changed inputs there when the result has no group."""
        allowed = sheets if sheets is not None else _SHEETS.get(kind)
        ranking = _RANKING.get(allowed[0]) if allowed else None
        groups = self.groups.get(ranking, {}) if ranking else {}
        mine = groups.get(unit)
        found = []
        for other, cells in self.by_unit.items():
            if other == unit or not any(allowed is None or c.sheet in allowed for c in cells):
                continue
            if mine is None or groups.get(other, set()) & mine:
                found.append(other)
        return tuple(found)

    def change(
        self,
        kind: str,
        how: str,
        unit: str,
        subject: str,
        before: str | None,
        after: str | None,
        clause: str,
        bases: tuple[str | None, str | None] = (None, None),
        *,
        name: str | None = None,
        people: tuple[str | None, ...] = (),
        sheets: tuple[str, ...] | None = None,
    ) -> ResultChange:
        inputs = self.cells(kind, unit, tuple(p for p in people if p), sheets)
        pushed = () if inputs else self.pushers(kind, unit, sheets)
        parameters = self.parameters if not inputs and not pushed else ()
        return ResultChange(
            kind, how, unit, name, subject, before, after, clause, bases[0], bases[1], inputs, pushed, parameters
        )


def _keyed(rows: Iterable[Any], key: Callable[[Any], Any]) -> dict[Any, Any]:
    return {key(row): row for row in rows}


def _pairs(old: Iterable[Any], new: Iterable[Any], key: Callable[[Any], Any]) -> list[tuple[Any, Any]]:
    """(old row, new row) for every key of either side, new order first then removed ones; None where absent."""
    before, after = _keyed(old, key), _keyed(new, key)
    out = [(before.get(k), row) for k, row in after.items()]
    out += [(row, None) for k, row in before.items() if k not in after]
    return out


def _how(before: Any, after: Any) -> str:
    return ADDED if before is None else REMOVED if after is None else CHANGED


# ---- each kind of result ----------------------------------------------------------------------


def _grade_text(g: UnitGrade | None) -> str | None:
    if g is None:
        return None
    return f"{g.grade or '未评定'}(得分{num(g.score)},组内第{g.rank}名)"


def _grades(kind: str, old: list[UnitGrade], new: list[UnitGrade], explain: _Explainer) -> list[ResultChange]:
    out = []
    for before, after in _pairs(old, new, lambda g: g.unit):
        if before is not None and after is not None and before.grade == after.grade:
            continue
        row = after or before
        out.append(
            explain.change(
                kind,
                _how(before, after),
                row.unit,
                f"{kind}({row.group})" if row.group else kind,
                _grade_text(before),
                _grade_text(after),
                row.clause,
                (before.basis if before else None, after.basis if after else None),
            )
        )
    return out


def _award_text(a: Award | None) -> str | None:
    if a is None:
        return None
    money = f"{num(a.amount_wan)}万元" if a.amount_wan is not None else "(无奖金)"
    return f"{a.tier + ' ' if a.tier else ''}{money}"


def _award_sheets(award: str) -> tuple[str, ...]:
    if award == TARGET_EXCELLENT:
        return (schema.TARGET.name,)
    if award == POVERTY_EXCELLENT:
        return (schema.POVERTY.name, schema.FINDINGS.name)
    return (schema.MONITORING.name,)


def _awards(old: AwardsResult, new: AwardsResult, explain: _Explainer) -> list[ResultChange]:
    """The prizes (the target assessment's 优秀 title is its grade change, said once there) and pending ones."""
    out = []
    pending_before = _keyed(old.undetermined, lambda p: (p.unit, p.award))
    pending_after = _keyed(new.undetermined, lambda p: (p.unit, p.award))
    for before, after in _pairs(old.prizes, new.prizes, lambda a: (a.unit, a.award)):
        if (
            before is not None
            and after is not None
            and (before.tier, before.amount_wan) == (after.tier, after.amount_wan)
        ):
            continue
        row = after or before
        was, now = _award_text(before), _award_text(after)
        if before is None and (row.unit, row.award) in pending_before:
            was = f"未能判定({pending_before[(row.unit, row.award)].missing})"
        if after is None and (row.unit, row.award) in pending_after:
            now = f"未能判定({pending_after[(row.unit, row.award)].missing})"
        out.append(
            explain.change(
                AWARD,
                _how(before, after),
                row.unit,
                row.award,
                was,
                now,
                row.clause,
                (before.basis if before else None, after.basis if after else None),
                sheets=_award_sheets(row.award),
            )
        )
    decided = {(a.unit, a.award) for a in (*old.awards, *new.awards)}
    for before, after in _pairs(old.undetermined, new.undetermined, lambda p: (p.unit, p.award)):
        row = after or before
        if (before is None or after is None) and (row.unit, row.award) not in decided:
            out.append(
                explain.change(
                    PENDING,
                    _how(before, after),
                    row.unit,
                    row.award,
                    f"未能判定({before.missing})" if before else None,
                    f"未能判定({after.missing})" if after else None,
                    row.clause,
                    sheets=_award_sheets(row.award),
                )
            )
    return out


def _quotas(old: AwardsResult, new: AwardsResult, explain: _Explainer) -> list[ResultChange]:
    out = []
    for before, after in _pairs(old.cadre_quotas, new.cadre_quotas, lambda q: q.unit):
        if before is not None and after is not None and (before.quota, before.ratio) == (after.quota, after.ratio):
            continue
        row = after or before
        shown = [None if q is None else f"{q.quota}名(考核人数{q.staff}×{percent(q.ratio)})" for q in (before, after)]
        out.append(
            explain.change(
                CADRE_QUOTA,
                _how(before, after),
                row.unit,
                CADRE_QUOTA,
                shown[0],
                shown[1],
                row.clause,
                (before.basis if before else None, after.basis if after else None),
            )
        )
    return out


def _bonus(old: AwardsResult, new: AwardsResult, explain: _Explainer) -> list[ResultChange]:
    out = []
    for before, after in _pairs(old.bonus, new.bonus, lambda b: (b.name, b.unit)):
        if (
            before is not None
            and after is not None
            and (before.coefficient, before.amount_yuan)
            == (
                after.coefficient,
                after.amount_yuan,
            )
        ):
            continue
        row = after or before
        shown = [
            None
            if b is None
            else f"系数{percent(b.coefficient)}" + (f",{num(b.amount_yuan)}元" if b.amount_yuan is not None else "")
            for b in (before, after)
        ]
        out.append(
            explain.change(
                BONUS,
                _how(before, after),
                row.unit,
                BONUS,
                shown[0],
                shown[1],
                row.clause,
                (before.basis if before else None, after.basis if after else None),
                name=row.name,
                people=(row.name,),
            )
        )
    return out


def _status(t: Trigger, undetermined: bool) -> str:
    """触发, 容错免责(文号), 未能判定, 未能判定 容错免责(文号)."""
    if undetermined:
        return " ".join(filter(None, ("未能判定", t.tolerance_text)))
    return t.tolerance_text or "触发"


def _triggers(old: DemotionsResult, new: DemotionsResult, explain: _Explainer) -> list[ResultChange]:
    def rows(result: DemotionsResult) -> list[tuple[Trigger, bool]]:
        return [(t, False) for t in result.candidates] + [(t, True) for t in result.undetermined]

    def key(pair: tuple[Trigger, bool]) -> tuple[Any, ...]:
        t = pair[0]
        return (t.article, t.item, t.unit, t.cadre_id or t.name, t.role)

    out = []
    for before, after in _pairs(rows(old), rows(new), key):
        shown = [None if p is None else _status(*p) for p in (before, after)]
        if (
            before is not None
            and after is not None
            and explain.same(shown[0], shown[1])
            and explain.same(before[0].basis, after[0].basis)
        ):
            continue
        t = (after or before)[0]
        out.append(
            explain.change(
                TRIGGER,
                _how(before, after),
                t.unit,
                t.clause,
                shown[0],
                shown[1],
                t.clause,
                (before[0].basis if before else None, after[0].basis if after else None),
                name=t.name or None,
                people=(t.cadre_id, t.name),
            )
        )
    return out


def _impacts(old: DemotionsResult, new: DemotionsResult, explain: _Explainer) -> list[ResultChange]:
    out = []
    for before, after in _pairs(
        old.impact_periods, new.impact_periods, lambda p: (p.cadre_id or p.name, p.unit, p.method, p.decided)
    ):
        if before is not None and after is not None and before.until == after.until:
            continue
        p = after or before
        out.append(
            explain.change(
                IMPACT,
                _how(before, after),
                p.unit,
                p.method,
                f"影响期至{before.until.isoformat()}" if before else None,
                f"影响期至{after.until.isoformat()}" if after else None,
                p.clause,
                (before.basis if before else None, after.basis if after else None),
                name=p.name,
                people=(p.cadre_id, p.name),
            )
        )
    return out


def _promotions(old: PromotionsResult, new: PromotionsResult, explain: _Explainer) -> list[ResultChange]:
    """Who is on each promotion list (and left out of one) in either version but not both, or with other facts."""

    def listed(result: PromotionsResult) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        rows += [(u.clause, u.unit, None, None, "列入", u.basis) for u in result.units]
        rows += [(c.clause, c.unit, c.name, c.cadre_id or c.name, "列入", c.basis) for c in result.cadres]
        rows += [
            (h.clause, h.unit, h.name, h.cadre_id or h.name, f"列入(综合第{h.place}名)", h.basis)
            for h in result.county_heads
        ]
        rows += [
            (r.clause, r.unit, r.name, r.cadre_id or r.name, "列入", r.basis) for lst in result.lists for r in lst.rows
        ]
        rows += [(e.clause, e.unit, e.name, e.cadre_id or e.name, f"不列入:{e.reason}", None) for e in result.excluded]
        rows += [
            (e.clause, e.unit, e.name, e.cadre_id or e.name, f"未能判定:{e.reason}", None) for e in result.undetermined
        ]
        return rows

    out = []
    for before, after in _pairs(listed(old), listed(new), lambda r: (r[0], r[1], r[3])):
        if before is not None and after is not None and explain.same(before[4], after[4]):
            continue
        row = after or before
        out.append(
            explain.change(
                PROMOTION,
                _how(before, after),
                row[1],
                row[0],
                before[4] if before else None,
                after[4] if after else None,
                row[0],
                (before[5] if before else None, after[5] if after else None),
                name=row[2],
                people=(row[3], row[2]),
            )
        )
    return out


def _totals(old: Side, new: Side) -> list[DiffTotal]:
    def count(value: int) -> Decimal:
        return Decimal(value)

    def figures(side: Side) -> list[tuple[str, Decimal, str]]:
        a, d, p = side.awards, side.demotions, side.promotions
        bonus = [b.amount_yuan for b in a.bonus if b.amount_yuan is not None]
        rows = [
            (MONEY_TOTAL, a.total_amount_wan, "万元"),
            ("奖励", count(len(a.prizes)), "项"),
            ("未能判定的奖励", count(a.pending_count), "项"),
            ("目标责任考核优秀单位", count(sum(1 for g in a.target_units if g.excellent)), "个"),
            ("脱贫攻坚优秀单位", count(sum(1 for g in a.poverty_units if g.excellent)), "个"),
            ("干部优秀名额", count(sum(q.quota for q in a.cadre_quotas)), "名"),
            ("能下触发", count(len(d.candidates)), "人次"),
            ("其中容错免责", count(sum(1 for t in d.candidates if t.tolerated)), "人次"),
            ("能下未能判定", count(len(d.undetermined)), "人次"),
            ("影响期内", count(len(d.impact_periods)), "人"),
            ("选拔重用(干部)", count(len(p.cadres) + len(p.county_heads)), "人"),
            ("选拔重用(单位)", count(len(p.units)), "个"),
        ]
        if bonus:
            rows.insert(1, ("个人奖金合计", sum(bonus, Decimal(0)), "元"))
        return rows

    before = {what: (value, unit) for what, value, unit in figures(old)}
    return [DiffTotal(what, before.get(what, (Decimal(0), unit))[0], value, unit) for what, value, unit in figures(new)]
