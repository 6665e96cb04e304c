"""The assessment years sanshi accepts, from --year, a file name or a history command.

A small module of its own: the CLI checks years while it parses options, before it imports the readers.
"""

from __future__ import annotations

from sanshi.errors import UsageError

# The assessment years sanshi accepts, from --year or a file name: the 三项机制 date from 2016; a year far
# outside is a typo (--year 0, 99999) that would otherwise crash a date or pick a pack silently.
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100


def check_year(year: int, where: str) -> int:
    """`year` if it is a plausible assessment year, else a usage error naming `where` (--year, 文件名…)."""
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise UsageError(f"{where} 的考核年度 {year} 不在 {EARLIEST_YEAR} 至 {LATEST_YEAR} 之间:请检查是否写错")
    return year
