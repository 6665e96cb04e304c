"""Each unit's rank and grade in each assessment over the years, for the year report's small multiples.

A year's standings come from that year's own data: this year's from the year's results, an earlier
year's from its stored tables, graded by the 35% cut of the pack in force now (as the consecutive-year
rules grade them). Nothing here opens a file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from sanshi.inputs import schema
from sanshi.inputs.records import AreaRank, AssessedUnit
from sanshi.results import AreaPlace, Standing, Trend, UnitGrade
from sanshi.rules import excellence
from sanshi.rules.params import RulePack

MONITORING = schema.MONITORING.name  # the sheet's name is the assessment's
ASSESSMENTS = (excellence.TARGET, MONITORING, excellence.POVERTY)  # the order of the report's sections

# (assessment, unit, group, standing)
Row = tuple[str, str, str, Standing]


def graded(grades: Sequence[UnitGrade], assessment: str, year: int, source: str) -> list[Row]:
    """This year's standings in a graded assessment, from the year's result."""
    sizes = Counter(g.group for g in grades)
    return [(assessment, g.unit, g.group, Standing(year, g.rank, sizes[g.group], g.grade, source)) for g in grades]


def regraded(units: Sequence[AssessedUnit], assessment: str, year: int, source: str, pack: RulePack) -> list[Row]:
    """An earlier year's standings in a graded assessment: its scores cut again. A tie its cut left open
    shows both grades (优秀或一般)."""
    possible = excellence.possible_grades(units, assessment, pack)
    sizes = Counter(u.group for u in units)
    rows = []
    for unit in units:
        grades = possible[unit.unit]
        grade = "或".join(g.grade for g in grades if g.grade) or None
        rows.append(
            (assessment, unit.unit, unit.group, Standing(year, grades[0].rank, sizes[unit.group], grade, source))
        )
    return rows


def placed(ranks: Sequence[AreaRank] | Sequence[AreaPlace], year: int, source: str) -> list[Row]:
    """A year's 县域监测 places, counties and districts each among their own kind (no grade)."""
    sizes = Counter(r.area_type for r in ranks)
    return [(MONITORING, r.unit, r.area_type, Standing(year, r.rank, sizes[r.area_type], None, source)) for r in ranks]


def trends(rows: Iterable[Row], min_years: int) -> list[Trend]:
    """The units with standings in at least `min_years` years of an assessment, oldest year first.

    Ordered by assessment, then by the latest year's group (by name) and rank, then name: never by the order of
    the workbook's rows. A unit's group is its latest year's.
    """
    series: dict[tuple[str, str], list[tuple[str, Standing]]] = {}
    for assessment, unit, group, standing in rows:
        series.setdefault((assessment, unit), []).append((group, standing))
    found = []
    for (assessment, unit), points in series.items():
        points.sort(key=lambda point: point[1].year)
        years = [standing.year for _, standing in points]
        if len(set(years)) != len(years):
            raise ValueError(f"{unit}: {assessment} 同一年度出现多次")  # the readers reject duplicate units
        if len(points) < min_years:
            continue
        group = points[-1][0]
        found.append(Trend(unit, assessment, group, tuple(standing for _, standing in points)))
    found.sort(key=lambda t: (ASSESSMENTS.index(t.assessment), t.group, t.standings[-1].rank, t.unit))
    return found
