"""One year's run: read the workbook, gather history, apply the rules, return results.

The CLI calls these functions; they never print. Writers turn the results into files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sanshi.errors import HistoryError, MissingDataError, TieError
from sanshi.history.store import HistoryStore, ImportOutcome
from sanshi.inputs import records, schema
from sanshi.inputs.reader import Book, read_workbook, resolve_year
from sanshi.results import AWARD_ORDER, POVERTY_EXCELLENT, TARGET_EXCELLENT, Award, AwardsResult, PreviousYear
from sanshi.rules import bonus, county, excellence
from sanshi.rules.arith import num
from sanshi.rules.params import RulePack, load_pack, with_overrides


@dataclass(frozen=True)
class HistorySource:
    """Where history comes from: a database path, and whether the user named it explicitly."""

    path: Path | None
    explicit: bool = False


def load_rules(rules: str | None, year: int | None, tie: str | None = None) -> RulePack:
    pack = load_pack(rules, year)
    if tie is not None:
        pack = with_overrides(pack, **{"target.tie_policy": tie, "poverty.tie_policy": tie})
    return pack


def open_history(source: HistorySource, warnings: list[str]) -> HistoryStore | None:
    """The store if there is one; a missing default store is a warning, a missing named one an error."""
    if source.path is None:
        return None
    if not source.path.exists():
        if source.explicit:
            raise HistoryError(f"历史库 {source.path} 不存在:请检查 --db / SANSHI_DB,或先用 sanshi history import 导入以前年度数据")
        warnings.append(f"未找到历史库 {source.path}:以前年度情况只取自工作簿(上年名次、曾进入列)")
        return None
    return HistoryStore.open(source.path, create=False)


def run_awards(path: Path, *, year: int | None = None, rules: str | None = None,
               history: HistorySource = HistorySource(None), tie: str | None = None,
               previous_year: int | None = None) -> AwardsResult:
    """The year-end awards job (激励 第五条、第六条) for one workbook."""
    year = resolve_year(path, year)
    pack = load_rules(rules, year, tie)
    book = read_workbook(path)
    result = AwardsResult(year=year, rules=pack.label, source=book.source, source_sha256=book.sha256)
    result.warnings.extend(f"规则包:{c}" for c in pack.caveats)
    store = open_history(history, result.warnings)
    try:
        _grade_units(book, pack, result)
        _county(book, pack, result, store, year, previous_year)
    finally:
        if store is not None:
            store.close()
    rank = {name: i for i, name in enumerate(AWARD_ORDER)}
    result.awards.sort(key=lambda a: rank.get(a.award, len(rank)))
    return result


def _grade_units(book: Book, pack: RulePack, result: AwardsResult) -> None:
    """Both 35% cuts (ties in either are reported together), cadre quotas, bonus, poverty prizes."""
    ties: list[str] = []
    outcomes = {}
    for sheet, assessment in ((schema.TARGET.name, excellence.TARGET), (schema.POVERTY.name, excellence.POVERTY)):
        table = book.table(sheet)
        if table is None:
            continue
        units = records.assessed_units(table)
        try:
            outcomes[assessment] = (units, excellence.cut_excellent(units, assessment, pack))
        except TieError as exc:
            ties.extend(exc.messages)
    if ties:
        raise TieError(*ties)

    if excellence.TARGET in outcomes:
        units, outcome = outcomes[excellence.TARGET]
        result.target_units, result.cuts = outcome.grades, result.cuts + outcome.cuts
        result.warnings.extend(outcome.warnings)
        for grade in outcome.grades:
            if grade.excellent:
                result.awards.append(Award(grade.unit, TARGET_EXCELLENT, None, None, grade.clause,
                                           f"{grade.basis};称号不另设单位奖金,考核奖金按第六条第(一)项发放到人"))
        result.cadre_quotas = excellence.cadre_quotas(units, outcome.grades, pack)
        cadre_table = book.table(schema.CADRES.name)
        if cadre_table is not None:
            result.bonus = bonus.target_bonus(records.cadres(cadre_table), outcome.grades, pack)
        if not pack["bonus.amount_by_grade"].is_set:
            result.warnings.append("规则包未设定目标责任考核每人奖金金额(鼓励激励办法第六条第(一)项由各地确定),个人奖金只给出系数")

    if excellence.POVERTY in outcomes:
        _, outcome = outcomes[excellence.POVERTY]
        result.poverty_units, result.cuts = outcome.grades, result.cuts + outcome.cuts
        result.warnings.extend(outcome.warnings)
        amount = pack["poverty.amount"]
        for grade in outcome.grades:
            if grade.excellent:
                result.awards.append(Award(grade.unit, POVERTY_EXCELLENT, None, amount.value,
                                           f"{grade.clause};{amount.clause}",
                                           f"得分{num(grade.score)},组内第{grade.rank}名,评为优秀:{num(amount.value)}万元"))


def _county(book: Book, pack: RulePack, result: AwardsResult, store: HistoryStore | None, year: int,
            previous_year: int | None) -> None:
    table = book.table(schema.MONITORING.name)
    if table is None:
        return
    ranks = records.area_ranks(table)
    earlier_years = [y for y in store.years() if y < year] if store else []
    if previous_year is not None and previous_year not in earlier_years:
        where = f"历史库 {store.path}" if store else "(没有历史库)"
        raise HistoryError(f"--previous-year {previous_year}:{where}中没有该年数据(已有年份:"
                           f"{'、'.join(map(str, earlier_years)) or '无'})")
    prev = previous_year if previous_year is not None else (year - 1 if year - 1 in earlier_years else None)
    if prev is None and earlier_years:
        latest = max(earlier_years)
        result.warnings.append(f"历史库没有{year - 1}年数据(最近为{latest}年):上年名次只取工作簿「上年名次」列;"
                               f"如上一次考评即{latest}年(年度不连续),请加 --previous-year {latest}")

    tops: dict[str, list[int]] = {}
    known: list[int] = []
    history_ranks = None
    for y in earlier_years:
        stored = store.tables(y).get(schema.MONITORING.name)
        if stored is None:
            continue
        known.append(y)
        year_ranks = records.area_ranks(stored)
        for unit in county.top_list(year_ranks, pack):
            tops.setdefault(unit, []).append(y)
        if y == prev:
            history_ranks = {r.unit: r.rank for r in year_ranks}
    if prev is not None and history_ranks is None:
        result.warnings.append(f"历史库{prev}年数据没有县域监测表,上年名次只取工作簿「上年名次」列")

    column = table.has("last_rank") and any(r.last_rank is not None for r in ranks)
    last_ranks = county.merge_last_ranks(ranks, history_ranks, prev, f"{book.source} › {schema.MONITORING.name}")
    if history_ranks is not None and column:
        result.previous = PreviousYear(prev, f"历史库{prev}年数据,与工作簿「上年名次」列核对一致")
    elif history_ranks is not None:
        result.previous = PreviousYear(prev, f"历史库{prev}年数据")
    elif column:
        # Without history the workbook alone says which year its 上年 is; we do not assume year - 1.
        result.previous = PreviousYear(prev, "工作簿「上年名次」列")
    earlier = county.EarlierTops(tuple(known), {u: tuple(ys) for u, ys in tops.items()})
    try:
        outcome = county.county_awards(ranks, last_ranks, earlier, pack)
    except MissingDataError as exc:
        if prev is None and earlier_years:
            latest = max(earlier_years)
            raise MissingDataError(*exc.messages, f"历史库没有{year - 1}年数据(最近为{latest}年);"
                                                  f"如上一次考评即{latest}年,请加 --previous-year {latest}") from None
        raise
    result.awards.extend(outcome.awards)
    result.warnings.extend(outcome.warnings)


def check_book(path: Path, year: int | None = None, rules: str | None = None) -> tuple[int, RulePack, Book]:
    """Validate a workbook (and the pack that would apply) without computing anything."""
    year = resolve_year(path, year)
    pack = load_rules(rules, year)
    return year, pack, read_workbook(path)


def import_year(path: Path, db: Path, year: int | None = None) -> ImportOutcome:
    """Validate a workbook and store it as the year's current revision."""
    year = resolve_year(path, year)
    book = read_workbook(path)
    with HistoryStore.open(db) as store:
        return store.import_book(book, year)

