"""sanshi in Python, for analysts (Jupyter, pandas): the functions the command line runs.

    import sanshi

    year = sanshi.load_year("2023.xlsx", db="sanshi.db")
    result = sanshi.awards(year)
    result.to_frame("target_units")    # a pandas DataFrame, the workbook's headers, exact numbers
    result.to_json()                   # what `sanshi awards --json` prints

Read a year once and run any of awards, demotions, promotions and explain on it. Every check of the command line
applies: a bad workbook raises sanshi.errors.InputError (its `messages` name file › sheet › cell), a tie at a cut
or a missing fact a SanshiError, as the command line would stop with exit code 2. See docs/API.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sanshi import pipeline
from sanshi.pipeline import HistorySource, YearInput
from sanshi.results import AwardsResult, DemotionsResult, Explanation, PromotionsResult

if TYPE_CHECKING:
    import pandas

__all__ = ["YearInput", "load_year", "awards", "demotions", "promotions", "explain", "history_frame"]

DEFAULT_DB = "sanshi.db"


def load_year(
    path: str | Path,
    *,
    rules: str | None = None,
    db: str | Path | None = DEFAULT_DB,
    year: int | None = None,
    aliases: str | Path | None = None,
    previous_year: int | None = None,
    tie: str | None = None,
) -> YearInput:
    """A year's workbook, read and checked once, with the rule pack in force and the earlier years of the history
    store, as `sanshi awards BOOK` reads them.

    `rules`: a built-in pack's name or a pack file (default: the pack in force for the year). `db`: the history
    store, by default ./sanshi.db as on the command line (a missing default store is said in the results'
    warnings; a store named otherwise must exist); None reads no store. `year`: when the file name has none.
    `aliases`: a 单位名称对照 file. `previous_year`: the year that counts as 上年 when the one before is not
    stored. `tie`: error (default), include or exclude, for a tie at the 35% line without an 排序 column."""
    if db is None:
        history = HistorySource(None)
    else:
        history = HistorySource(Path(db), explicit=str(db) != DEFAULT_DB)
    return pipeline.load_year(
        Path(path), year, rules, tie, history, previous_year, Path(aliases) if aliases is not None else None, None
    )


def awards(year: YearInput) -> AwardsResult:
    """年度评优与奖励, as `sanshi awards`: the 35% cuts, the county awards, the amounts."""
    return pipeline.awards_of(year)


def demotions(year: YearInput) -> DemotionsResult:
    """能下触发名单, as `sanshi demotions`."""
    return pipeline.demotions_of(year)


def promotions(year: YearInput) -> PromotionsResult:
    """选拔重用名单, as `sanshi promotions` (the year's 能下 list says who is held back)."""
    return pipeline.promotions_of(year)


def explain(year: YearInput, subject: str, unit: str | None = None) -> Explanation:
    """Everything the year's rules concluded about one unit or person, as `sanshi explain`; `unit` picks one of
    several people of the same name."""
    return pipeline.explain_year(year, subject, unit)


def history_frame(
    year: int, sheet: str, *, db: str | Path = DEFAULT_DB, revision: int | None = None
) -> pandas.DataFrame:
    """A stored year's sheet (the current revision unless one is named) as a DataFrame with the workbook's column
    headers; the columns the sheet did not have are left out, numbers stay exact."""
    from sanshi.inputs.schema import SHEETS, SHEETS_BY_NAME
    from sanshi.writers.frames import table_frame

    spec = SHEETS_BY_NAME.get(sheet)
    if spec is None:
        raise ValueError(f"没有「{sheet}」表;可选:{'、'.join(s.name for s in SHEETS)}")
    _, tables = pipeline.history_year(Path(db), year, revision)
    return table_frame(spec, tables.get(sheet))
