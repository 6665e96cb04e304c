"""Typed rows the rules work on, built from validated tables (workbook or history)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from itertools import compress
import datetime
from datetime import date
from decimal import Decimal

from sanshi.inputs.normalize import name_key
from sanshi.inputs.reader import Table


@dataclass(frozen=True)
class AssessedUnit:
    """A row of 目标责任考核 or 脱贫攻坚: a unit with a score to be cut at 35%."""

    unit: str
    score: Decimal
    group: str = ""
    preset_grade: str | None = None
    no_excellent: str | None = None
    staff: int | None = None
    last_grade: str | None = None
    order: int | None = None
    cell: str = ""  # where the score is, for messages
    order_cell: str = ""  # where the 排序 is (or would be), for messages about ties


@dataclass(frozen=True)
class AreaRank:
    """A row of 县域监测: one county (县) or district (城区) in its ranking."""

    unit: str
    area_type: str
    rank: int
    last_rank: int | None = None
    score: Decimal | None = None
    agriculture_rank: int | None = None
    industry_rank: int | None = None
    ecology_rank: int | None = None
    four_indicator_rank: int | None = None
    ever_top: str | None = None
    no_excellent: str | None = None  # 不得评优 (一票否决): no title, no money
    cell: str = ""  # where the 名次 is
    last_rank_cell: str = ""  # where the 上年名次 is


@dataclass(frozen=True, slots=True)  # 200,000 of them in a national year: slots build faster and hold less
class Votes:
    """民主测评 votes of one cadre; `total` is the 总票数 column (None when not given)."""

    excellent: int | None = None
    competent: int | None = None
    basic: int | None = None
    incompetent: int | None = None
    total: int | None = None

    # Both written out field by field: asked of each of 200,000 cadres, a generator per call cost more than the rule.
    @property
    def given(self) -> bool:
        return not (
            self.excellent is None
            and self.competent is None
            and self.basic is None
            and self.incompetent is None
            and self.total is None
        )

    @property
    def cast(self) -> int:
        """The sum of the four vote columns (blank counts as 0)."""
        return (self.excellent or 0) + (self.competent or 0) + (self.basic or 0) + (self.incompetent or 0)


@dataclass(frozen=True, slots=True)  # 200,000 of them in a national year: slots build faster and hold less
class Cadre:
    """A row of 干部."""

    name: str
    unit: str
    cadre_id: str | None = None
    position: str | None = None
    role: str | None = None
    grade: str | None = None
    last_grade: str | None = None
    votes: Votes = Votes()
    cell: str = ""  # where the row is (the 姓名 cell), for messages
    last_grade_cell: str = ""


SEVERAL = "several"  # CadreGrades.find: more than one row of that 姓名+单位


class CadreGrades:
    """An earlier year's 干部 sheet as the 能下 8(3) and 选拔重用 7(1) rules read it, to find the same person:
    each row's 年度考核等次 by 干部编号 when the sheet has them, else by 姓名+单位. Columns, not Cadre records:
    a national year's 200,000 rows are looked up a few thousand times."""

    def __init__(self, ids: list[str | None], names: list[str], units: list[str], grades: list[str | None]) -> None:
        self.by_id = {i: g for i, g in zip(ids, grades) if i}
        self._names, self._units, self._grades = names, units, grades
        self._by_name: dict[tuple[str, str], str | None] | None = None
        self._several: set[tuple[str, str]] = set()

    @classmethod
    def of(cls, table: Table) -> CadreGrades:
        return cls(table.column("cadre_id"), table.column("name"), table.column("unit"), table.column("grade"))

    def _names_index(self) -> dict[tuple[str, str], str | None]:
        """姓名+单位 -> grade, made at the first lookup that needs it (a sheet with 干部编号 never does)."""
        if self._by_name is None:
            found: dict[tuple[str, str], str | None] = {}
            for key, grade in zip(zip(map(name_key, self._names), self._units), self._grades):
                if key in found:
                    self._several.add(key)
                found[key] = grade
            self._by_name = found
        return self._by_name

    def find(self, cadre: Cadre) -> tuple[bool, str | None, str]:
        """(whether the person is in the sheet, their grade there, how they were matched: 干部编号, 姓名+单位,
        or SEVERAL when several rows have that 姓名+单位)."""
        if cadre.cadre_id and self.by_id:
            return cadre.cadre_id in self.by_id, self.by_id.get(cadre.cadre_id), "干部编号"
        key = (name_key(cadre.name), cadre.unit)
        rows = self._names_index()
        if key in self._several:
            return False, None, SEVERAL
        return key in rows, rows.get(key), "姓名+单位"


@dataclass(frozen=True)
class PovertyFacts:
    """The 能下 第十条 facts of a 脱贫攻坚 row."""

    unit: str
    preset_grade: str | None = None
    plan_completed: str | None = None
    criticized: str | None = None
    fraud: str | None = None
    criticized_by: str | None = None  # 批评机关: who criticized (10(2))
    serious: str | None = None  # 问题严重: 是/否
    cell: str = ""  # the 单位 cell


@dataclass(frozen=True)
class ToleranceRecord:
    """A row of 容错认定: a unit (or one named person in it) and the scope of the decision."""

    unit: str
    ref: str
    name: str | None = None
    case: str | None = None
    decided: date | None = None
    scope: str | None = None
    outcome: str | None = None  # 结论: 免责 (also when blank) or 减责
    cell: str = ""  # the 范围 cell (or the 单位 cell when there is no 范围 column)


@dataclass(frozen=True)
class Finding:
    """A row of 责任认定: a finding against a unit in one field of work, with its grade and date."""

    unit: str
    area: str
    level: str
    date: date | None = None
    notified_by: str | None = None
    note: str | None = None
    tier: str | None = None  # 层级 column: 市 / 县 / 省级部门
    names: tuple[str, ...] = ()  # the 有关领导干部 the finding names
    item: str | None = None  # 条款 column: which item of 第六条 / 第十一条
    year: int = 0  # the workbook year it was recorded in
    where: str = ""  # 2023.xlsx › 责任认定 › A5 (the 单位 cell), for messages
    cells: tuple[tuple[str, str], ...] = ()  # field -> cell, for messages about one value
    treatment: str | None = None  # 处理 column: 通报批评 / 责任追究 by the 通报 body
    serious: str | None = None  # 问题严重 column: 是/否
    occurred: datetime.date | None = (
        None  # 发生日期 (the field `date` above hides the type's name here): when the accident or incident happened ("一年内" counts by it)
    )

    def cell(self, field_name: str) -> str:
        return dict(self.cells).get(field_name, "")


@dataclass(frozen=True)
class Adjustment:
    """A row of 调整记录: a past 能下 adjustment."""

    name: str
    unit: str
    method: str
    decided: date
    cadre_id: str | None = None
    year: int = 0  # the workbook year it was recorded in
    cell: str = ""


def assessed_units(table: Table) -> list[AssessedUnit]:
    return [
        AssessedUnit(
            unit=row["unit"],
            score=row["score"],
            group=row.get("group") or "",
            preset_grade=row.get("preset_grade"),
            no_excellent=row.get("no_excellent"),
            staff=row.get("staff"),
            last_grade=row.get("last_grade"),
            order=row.get("order"),
            cell=at_score,
            order_cell=at_order if table.has("order") else "",
        )
        for row, at_score, at_order in zip(table.rows, table.addresses("score"), table.addresses("order"))
    ]


def area_ranks(table: Table) -> list[AreaRank]:
    return [
        AreaRank(
            unit=row["unit"],
            area_type=row["area_type"],
            rank=row["rank"],
            last_rank=row.get("last_rank"),
            score=row.get("score"),
            agriculture_rank=row.get("agriculture_rank"),
            industry_rank=row.get("industry_rank"),
            ecology_rank=row.get("ecology_rank"),
            four_indicator_rank=row.get("four_indicator_rank"),
            ever_top=row.get("ever_top"),
            no_excellent=row.get("no_excellent"),
            cell=at_rank,
            last_rank_cell=at_last_rank,
        )
        for row, at_rank, at_last_rank in zip(table.rows, table.addresses("rank"), table.addresses("last_rank"))
    ]


def cadres(table: Table, units: Collection[str] | None = None) -> list[Cadre]:
    """The 干部 rows, or only those of `units` (the bonus of a national year needs a third of 200,000): built
    from the columns, in the order of Cadre's fields."""
    fields = ("name", "unit", "cadre_id", "position", "role", "grade", "last_grade")
    votes = ("votes_excellent", "votes_competent", "votes_basic", "votes_incompetent", "votes_total")
    columns = [table.column(name) for name in (*fields, *votes)]
    columns += [table.addresses("name"), table.addresses("last_grade")]
    if units is not None:
        keep = [unit in units for unit in table.column("unit")]
        columns = [list(compress(values, keep)) for values in columns]
    given = columns[: len(fields)]
    return list(map(Cadre, *given, map(Votes, *columns[len(fields) : -2]), *columns[-2:]))


def poverty_facts(table: Table) -> list[PovertyFacts]:
    return [
        PovertyFacts(
            unit=row["unit"],
            preset_grade=row.get("preset_grade"),
            plan_completed=row.get("plan_completed"),
            criticized=row.get("criticized"),
            fraud=row.get("fraud"),
            criticized_by=row.get("criticized_by"),
            serious=row.get("serious"),
            cell=at_unit,
        )
        for row, at_unit in zip(table.rows, table.addresses("unit"))
    ]


def tolerance_records(table: Table) -> list[ToleranceRecord]:
    where = "scope" if table.has("scope") else "unit"
    return [
        ToleranceRecord(
            unit=row["unit"],
            ref=row["ref"],
            name=row.get("name"),
            case=row.get("case"),
            decided=row.get("date"),
            scope=row.get("scope"),
            outcome=row.get("outcome"),
            cell=at_where,
        )
        for row, at_where in zip(table.rows, table.addresses(where))
    ]


_NAME_SEPARATORS = re.compile(r"[、,,;;/\n]+")
_SPACES = re.compile(r"\s+")


def person_names(text: str | None) -> tuple[str, ...]:
    """The people a 责任认定「姓名」 cell names: separated by 、 , ; / or line breaks. Spaces separate names only
    when every piece is a whole name (two characters or more): 「韩　梅」 is the one person 韩梅, the way
    two-character names are padded in Chinese tables, while 「汤志 韩梅」 is two people."""
    names: list[str] = []
    for part in _NAME_SEPARATORS.split(text or ""):
        pieces = _SPACES.split(part.strip())
        joined = (
            [name_key(p) for p in pieces] if len(pieces) > 1 and all(len(p) >= 2 for p in pieces) else [name_key(part)]
        )
        names.extend(n for n in joined if n)
    return tuple(dict.fromkeys(names))


def findings(table: Table, year: int, source: str) -> list[Finding]:
    fields = ("unit", "area", "level", "tier", "item", "names", "notified_by", "treatment", "serious", "occurred")
    return [
        Finding(
            unit=row["unit"],
            area=row["area"],
            level=row["level"],
            date=row.get("date"),
            notified_by=row.get("notified_by"),
            note=row.get("note"),
            tier=row.get("tier"),
            names=person_names(row.get("names")),
            item=row.get("item"),
            treatment=row.get("treatment"),
            serious=row.get("serious"),
            occurred=row.get("occurred"),
            year=year,
            where=f"{source} › {table.spec.name}",
            cells=tuple((f, table.cell(i, f)) for f in fields),
        )
        for i, row in enumerate(table.rows)
    ]


def adjustments(table: Table, year: int) -> list[Adjustment]:
    return [
        Adjustment(
            name=row["name"],
            unit=row["unit"],
            method=row["method"],
            decided=row["date"],
            cadre_id=row.get("cadre_id"),
            year=year,
            cell=at_name,
        )
        for row, at_name in zip(table.rows, table.addresses("name"))
    ]
