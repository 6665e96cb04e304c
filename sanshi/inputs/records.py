"""Typed rows the rules work on, built from validated tables (workbook or history)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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
    cell: str = ""  # where the 名次 is


@dataclass(frozen=True)
class Cadre:
    """A row of 干部."""

    name: str
    unit: str
    cadre_id: str | None = None
    position: str | None = None
    role: str | None = None
    grade: str | None = None
    last_grade: str | None = None


def assessed_units(table: Table) -> list[AssessedUnit]:
    return [
        AssessedUnit(
            unit=row["unit"], score=row["score"], group=row.get("group") or "",
            preset_grade=row.get("preset_grade"), no_excellent=row.get("no_excellent"),
            staff=row.get("staff"), last_grade=row.get("last_grade"), order=row.get("order"),
            cell=table.cell(i, "score"),
        )
        for i, row in enumerate(table.rows)
    ]


def area_ranks(table: Table) -> list[AreaRank]:
    return [
        AreaRank(
            unit=row["unit"], area_type=row["area_type"], rank=row["rank"], last_rank=row.get("last_rank"),
            score=row.get("score"), agriculture_rank=row.get("agriculture_rank"),
            industry_rank=row.get("industry_rank"), ecology_rank=row.get("ecology_rank"),
            four_indicator_rank=row.get("four_indicator_rank"), ever_top=row.get("ever_top"),
            cell=table.cell(i, "rank"),
        )
        for i, row in enumerate(table.rows)
    ]


def cadres(table: Table) -> list[Cadre]:
    return [
        Cadre(name=row["name"], unit=row["unit"], cadre_id=row.get("cadre_id"), position=row.get("position"),
              role=row.get("role"), grade=row.get("grade"), last_grade=row.get("last_grade"))
        for row in table.rows
    ]
