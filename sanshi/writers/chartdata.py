"""The series the charts draw, taken from the results once for both the year report's SVG and the
result workbook's native charts, so that the two always show the same numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sanshi.inputs.schema import STRONG_TITLES
from sanshi.results import (
    AWARD_ORDER,
    COUNTY_PROGRESS,
    DISTRICT_PROGRESS,
    POVERTY_EXCELLENT,
    TARGET_EXCELLENT,
    TOP_COUNTY,
    TOP_DISTRICT,
    Award,
    GroupCut,
    UnitGrade,
)

# The charts' colours, the same in the report and the workbook: honours red (as on a 光荣榜), the rest grey.
EXCELLENT_COLOUR, OTHER_COLOUR, INK = "#c0392b", "#9aa0a6", "#2c3e50"
# The prize chart's colour per award, from the Okabe-Ito palette (Okabe and Ito 2008), which stays apart for
# readers with protanopia and deuteranopia: 新型工业强县 black and 生态建设强县 green, which one county may hold
# together, differ in lightness as much as in hue. The pairs that come closest for those readers (五强区 and
# 现代农业强县, 十强县 and 五强区, 城区争先进位奖 and 生态建设强县) are a district's award and a county's, never in
# one bar. The cities' and departments' award, never in a county's bar either, is grey.
AWARD_COLOURS = {  # a local award of a city's own pack: grey
    TARGET_EXCELLENT: "#999999",
    TOP_COUNTY: "#d55e00",
    TOP_DISTRICT: "#e69f00",
    COUNTY_PROGRESS: "#0072b2",
    DISTRICT_PROGRESS: "#cc79a7",
    **dict(zip(STRONG_TITLES, ("#f0e442", "#000000", "#009e73"))),  # 现代农业强县, 新型工业强县, 生态建设强县
    POVERTY_EXCELLENT: "#56b4e9",
}


@dataclass(frozen=True)
class GroupScores:
    """One group of a graded assessment: its units best first, and the cut that graded them."""

    assessment: str
    group: str
    units: tuple[UnitGrade, ...]  # by rank, as the result lists them
    cut: GroupCut | None

    @property
    def title(self) -> str:
        return f"{self.assessment}" + (f" · {self.group}" if self.group else "")


def group_scores(grades: Sequence[UnitGrade], cuts: Sequence[GroupCut], assessment: str) -> list[GroupScores]:
    """Each group of `grades` with its cut from `cuts`, groups by name: the order of the workbook's rows (which
    group came first) must not move a chart."""
    members: dict[str, list[UnitGrade]] = {}
    for grade in grades:
        members.setdefault(grade.group, []).append(grade)
    cut_of = {c.group: c for c in cuts if c.assessment == assessment}
    return [
        GroupScores(assessment, group, tuple(sorted(units, key=lambda g: g.rank)), cut_of.get(group))
        for group, units in sorted(members.items())
    ]


@dataclass(frozen=True)
class UnitPrizes:
    """A unit's prize money by award, and its total (万元)."""

    unit: str
    amounts: dict[str, Decimal]  # award -> 万元, only the awards the unit has money for
    total: Decimal


@dataclass(frozen=True)
class PrizeMatrix:
    """Prize money by unit and award: the awards that carry money (in the order of AWARD_ORDER), the units
    largest total first (then by name), and the grand total."""

    awards: tuple[str, ...]
    units: tuple[UnitPrizes, ...]
    total: Decimal

    @property
    def award_totals(self) -> list[Decimal]:
        """Each award's money over all units, in the order of `awards`."""
        return [sum((u.amounts.get(name, Decimal(0)) for u in self.units), Decimal(0)) for name in self.awards]

    def colour(self, award: str) -> str:
        return AWARD_COLOURS.get(award, OTHER_COLOUR)


def prize_matrix(awards: Sequence[Award]) -> PrizeMatrix:
    """Every award with an amount, zero included (a prize floored to 0 is still a line of the list)."""
    by_unit: dict[str, dict[str, Decimal]] = {}
    for award in awards:
        if award.amount_wan is None:
            continue
        amounts = by_unit.setdefault(award.unit, {})
        amounts[award.award] = amounts.get(award.award, Decimal(0)) + award.amount_wan
    names = {name for amounts in by_unit.values() for name in amounts}
    order = [name for name in AWARD_ORDER if name in names] + sorted(names - set(AWARD_ORDER))
    units = [UnitPrizes(unit, amounts, sum(amounts.values(), Decimal(0))) for unit, amounts in by_unit.items()]
    units.sort(key=lambda u: (-u.total, u.unit))
    return PrizeMatrix(tuple(order), tuple(units), sum((u.total for u in units), Decimal(0)))
