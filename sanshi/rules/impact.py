"""能上能下办法 第十六条: impact periods after an adjustment.

因不适宜担任现职调离岗位、改任非领导职务、免职的,一年内不得提拔;降职的,两年内不得提拔.
The period runs from the decision date: decided 2023-03-15, one year -> until 2024-03-14.
Listed are the periods still running at the end of the assessment year.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sanshi.errors import RunWarning
from sanshi.inputs.normalize import name_key
from sanshi.inputs.records import Adjustment
from sanshi.results import ImpactPeriod
from sanshi.rules.params import RulePack


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def chinese_date(day: date) -> str:
    """2024年3月14日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def impact_periods(
    adjustments: Sequence[Adjustment], year: int, pack: RulePack
) -> tuple[list[ImpactPeriod], list[RunWarning]]:
    """Periods running at 31 December of `year`, one per adjustment (the same record seen in several years once)."""
    years_by_method = pack.method_years("impact.years_by_method")
    year_end = date(year, 12, 31)
    seen: set[tuple[str, str, date]] = set()
    periods: list[ImpactPeriod] = []
    warnings: list[RunWarning] = []
    for adj in sorted(adjustments, key=lambda a: (a.decided, a.year)):
        identity = (adj.cadre_id or f"{name_key(adj.name)}@{adj.unit}", adj.method, adj.decided)
        if identity in seen:
            continue
        seen.add(identity)
        if adj.decided > year_end:
            warnings.append(
                RunWarning(
                    "impact.decided_after_year",
                    f"调整记录 {adj.name}({adj.unit}){adj.method}决定日期{chinese_date(adj.decided)}晚于"
                    f"{year}年末,不计入{year}年末的影响期",
                    units=(adj.unit,),
                    people=(adj.name,),
                )
            )
            continue
        years = years_by_method[adj.method]
        if years == 0:
            continue
        until = add_years(adj.decided, years) - timedelta(days=1)
        if until < year_end:
            continue
        basis = (
            f"{chinese_date(adj.decided)}{adj.method},{years}年内不得提拔:影响期至{chinese_date(until)}"
            f"({year}年末仍在影响期内)"
        )
        periods.append(
            ImpactPeriod(
                adj.name,
                adj.unit,
                adj.cadre_id,
                adj.method,
                adj.decided,
                until,
                pack.clause("impact.years_by_method"),
                basis,
                f"{adj.year}年调整记录",
            )
        )
    periods.sort(key=lambda p: (p.until, p.unit, p.name))
    return periods, warnings
