"""One year's run: read the workbook, gather history, apply the rules, return results.

The CLI calls these functions; they never print. Writers turn the results into files.
"""

from __future__ import annotations

import difflib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanshi.errors import (
    HistoryError,
    InputError,
    MissingDataError,
    PackError,
    Problem,
    RunWarning,
    SanshiError,
    TieError,
    UsageError,
)
from sanshi.documents.config import parse_settings
from sanshi.documents.kinds import KIND_NAMES, KINDS, YearData
from sanshi.history.store import HistoryStore, ImportOutcome
from sanshi.inputs import records, schema
from sanshi.inputs.formats import require_file
from sanshi.inputs.schema import COUNTY
from sanshi.inputs.normalize import name_key
from sanshi.inputs.reader import (
    Book,
    Progress,
    Table,
    file_sha256,
    read_workbook,
    rename_units,
    resolve_year,
    stored_book,
)
from sanshi.results import (
    AWARD_ORDER,
    AreaPlace,
    AwardsResult,
    RunHeader,
    what_if_entry,
    DemotionsResult,
    DiffResult,
    Explanation,
    PreviousYear,
    PromotionsResult,
    RunInputs,
    Trend,
    YearReport,
)
from sanshi.rules import bonus, county, demotion, excellence, findings, impact, promotion, registry, tolerance, trend
from sanshi.rules.impact import chinese_date
from sanshi.rules.params import RulePack, apply_settings, load_pack, with_overrides
from sanshi.rules.triggers import Staff, YearRecords

if TYPE_CHECKING:
    from sanshi.diffing import Side
    from sanshi.documents.batch import Batch


@dataclass(frozen=True)
class HistorySource:
    """Where history comes from: a database path, and whether the user named it explicitly."""

    path: Path | None
    explicit: bool = False


def input_year(path: Path, year: int | None) -> int:
    """The year of an input workbook; a file that is not there is said first (its name is no use until
    it is found), then a year its name lacks, before the pack or anything else."""
    require_file(path)
    return resolve_year(path, year)


def load_rules(rules: str | None, year: int | None, tie: str | None = None, what_if: Sequence[str] = ()) -> RulePack:
    """The pack for the year, with a what-if run's settings (`what_if`: --set key=value) applied; its [documents] section,
    if any, is checked too (a typo there is never ignored)."""
    pack = apply_settings(load_pack(rules, year), what_if)
    if pack.documents:
        parse_settings(pack.documents, pack.where, KIND_NAMES)
    return with_tie(pack, tie)


def with_tie(pack: RulePack, tie: str | None) -> RulePack:
    """The pack with --tie (error, include, exclude) as both assessments' tie policy, when given."""
    if tie is None:
        return pack
    return with_overrides(pack, **{"target.tie_policy": tie, "poverty.tie_policy": tie})


def open_history(source: HistorySource, warnings: list[RunWarning]) -> HistoryStore | None:
    """The store if there is one; a missing default store is a warning, a missing named one an error."""
    if source.path is None:
        return None
    if not source.path.exists():
        if source.explicit:
            raise HistoryError(
                f"历史库 {source.path} 不存在:请检查 --db / SANSHI_DB,或先用 sanshi history import 导入以前年度数据"
            )
        warnings.append(
            RunWarning(
                "history.missing",
                f"未找到历史库 {source.path}:以前年度情况只取自工作簿的上年列(上年名次、上年等次、曾进入等)",
            )
        )
        return None
    return HistoryStore.open(source.path, create=False)


def run_awards(
    path: Path,
    *,
    year: int | None = None,
    rules: str | None = None,
    history: HistorySource = HistorySource(None),
    tie: str | None = None,
    previous_year: int | None = None,
    aliases: Path | None = None,
    progress: Progress | None = None,
    what_if: Sequence[str] = (),
) -> AwardsResult:
    """The year-end awards job (激励 第五条、第六条) for one workbook."""
    given = read_year("awards", path, year, rules, tie, history, previous_year, aliases, progress, what_if)
    return awards_of(given)


AWARDS_HISTORY = (schema.MONITORING.name,)


def read_year(
    command: str,
    path: Path,
    year: int | None = None,
    rules: str | None = None,
    tie: str | None = None,
    history: HistorySource = HistorySource(None),
    previous_year: int | None = None,
    aliases: Path | None = None,
    progress: Progress | None = None,
    what_if: Sequence[str] = (),
) -> YearInput:
    """The year as `command` (awards, demotions or promotions) reads it: the awards need one of the three
    assessments' sheets and, of the earlier years, only 县域监测 (十强县 entered before, 上年名次)."""
    awards = command == "awards"
    return load_year(
        path,
        year,
        rules,
        tie if command != "demotions" else None,
        history,
        previous_year,
        aliases,
        progress,
        awards,
        AWARDS_HISTORY if awards else None,
        what_if,
    )


def awards_of(given: YearInput) -> AwardsResult:
    return _awards(given.book, given.year, given.pack, given.earlier)


def demotions_of(given: YearInput, unit: str | None = None) -> DemotionsResult:
    """The year's 能下 list; with `unit`, the whole year is still judged and then narrowed to that unit's rows."""
    result = _demotions(given.book, given.year, given.pack, given.earlier)
    return result if unit is None else _only_unit(result, _known_unit(given.book, unit))


def promotions_of(given: YearInput) -> PromotionsResult:
    book, year, pack, earlier = given.book, given.year, given.pack, given.earlier
    return _promotions(book, year, pack, earlier, _demotions(book, year, pack, earlier))


@dataclass(frozen=True)
class YearInput:
    """A year as the commands read it, read once: its year, the pack in force, the workbook (with its unit
    aliases) and the earlier years of the history store."""

    year: int
    pack: RulePack
    book: Book
    earlier: Earlier


def load_year(
    path: Path,
    year: int | None,
    rules: str | None,
    tie: str | None,
    history: HistorySource,
    previous_year: int | None,
    aliases: Path | None,
    progress: Progress | None,
    award_sheet: bool = False,
    earlier_sheets: Sequence[str] | None = None,
    what_if: Sequence[str] = (),
) -> YearInput:
    """The year (from the file name or --year), its pack (with a what-if run's settings, `what_if`), its workbook (stopping
    when `award_sheet` and none of the three assessments' sheets is there) and the earlier years (only
    `earlier_sheets` of them, when given)."""
    year = input_year(path, year)
    pack = load_rules(rules, year, tie, what_if)
    with history_meanwhile(history, year, previous_year, earlier_sheets) as earlier_named:
        book = read_workbook(path, aliases, progress, year)
        if award_sheet:
            _require_award_sheet(book)
        return YearInput(year, pack, book, earlier_named(book.aliases))


@contextmanager
def history_meanwhile(
    history: HistorySource, year: int, previous_year: int | None, sheets: Collection[str] | None = None
) -> Iterator[Callable[[dict[str, str]], Earlier]]:
    """`read_earlier` in a thread while the body reads the workbook: most of a big workbook's reading is calamine
    parsing the 干部 sheet, which leaves the interpreter free. The body asks for the result with the year's
    单位名称对照, under which the stored unit names are then put. Whatever the body raises first (a bad workbook,
    an unknown name) is reported before anything the store raised."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sanshi-history") as pool:
        stored = pool.submit(read_earlier, history, year, previous_year, None, sheets)

        def named(aliases: dict[str, str]) -> Earlier:
            earlier = stored.result()
            for tables in earlier.tables.values():
                for table in tables.values():
                    rename_units(table, aliases)
            return earlier

        try:
            yield named
        except BaseException:
            stored.cancel()
            raise


def pack_caveats(pack: RulePack, year: int) -> list[RunWarning]:
    """What the pack itself says to check before use (e.g. the 2016 text's unverified numbers), and a pack
    (given with --rules) that took effect only after the year it is used for."""
    caveats = [RunWarning("pack.caveat", f"规则包:{c}") for c in pack.caveats]
    if pack.effective_from is not None and pack.effective_from > date(year, 12, 31):
        caveats.append(
            RunWarning(
                "pack.later_than_year",
                f"规则包 {pack.label} 自{chinese_date(pack.effective_from)}施行,晚于{year}年度:"
                f"本次按 --rules 指定的规则包计算,请确认该年度适用",
            )
        )
    return caveats


def _awards(book: Book, year: int, pack: RulePack, earlier: Earlier) -> AwardsResult:
    result = AwardsResult(**stamp(year, pack, book, earlier))
    result.warnings.extend(pack_caveats(pack, year))
    result.warnings.extend(book.warnings)
    result.warnings.extend(
        RunWarning("input.sheet_missing", f"工作簿没有{name}表:{AWARD_SHEETS[name]}未评定")
        for name in _missing_award_sheets(book)
    )
    result.warnings.extend(earlier.store_warnings)
    # A tie at a cut and a contradicted 上年名次 are fixed independently: both are said in one run.
    _, county_years = _gather(
        lambda: _grade_units(book, pack, result, earlier.cadres_built(book, year)),
        lambda: _county(book, pack, result, earlier, year),
    )
    rank = {name: i for i, name in enumerate(AWARD_ORDER)}
    result.awards.sort(key=lambda a: rank.get(a.award, len(rank)))
    if county_years is not None:
        previous, history, known = county_years
        return replace(result, previous=previous, history=history, earlier_years=known)
    return result


# What each sheet the awards read decides; a missing one is said, not silently an empty list.
AWARD_SHEETS = {
    schema.TARGET.name: "目标责任考核优秀单位和干部优秀名额",
    schema.MONITORING.name: "十强县、五强区、争先进位奖和三个强县",
    schema.POVERTY.name: "脱贫攻坚优秀单位",
}


def _missing_award_sheets(book: Book) -> list[str]:
    """The sheets the awards read that the workbook lacks; each is a warning of the awards result."""
    return [name for name in AWARD_SHEETS if book.table(name) is None]


def _gather(*steps: Callable[[], Any]) -> list[Any]:
    """Run every step and return what each returned; the problems of all of them are raised together (one step's
    error as it is)."""
    errors: list[SanshiError] = []
    values = []
    for step in steps:
        try:
            values.append(step())
        except SanshiError as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise SanshiError(*(message for error in errors for message in error.messages))
    return values


def _require_award_sheet(book: Book) -> None:
    """`sanshi awards` needs at least one of them (explain and notices go on with the other results)."""
    if len(_missing_award_sheets(book)) == len(AWARD_SHEETS):
        present = "、".join(book.tables) or "无"
        raise InputError(
            [
                Problem(
                    f"没有 {'、'.join(AWARD_SHEETS)} 中的任何一张表,无法评优(读到的表:{present});"
                    "请检查工作表名称,或用 sanshi template 查看应有的表",
                    file=book.source,
                )
            ]
        )


def _grade_units(book: Book, pack: RulePack, result: AwardsResult, built: list[records.Cadre] | None = None) -> None:
    """Both 35% cuts (ties in either are reported together), cadre quotas, bonus, poverty prizes. `built`: the
    year's Cadre records when another rule of the run has made them (explain, report), else they are made here
    for the assessed units only."""
    ties: list[str] = []
    outcomes = {}
    # The 容错认定 records, read once, and only when a rule here reads them (a 第十条 bar, a 免责 unit's bonus).
    reads_tolerance = book.table(schema.POVERTY.name) is not None or (
        book.table(schema.TARGET.name) is not None and book.table(schema.CADRES.name) is not None
    )
    exempt = _exemptions(book, pack) if reads_tolerance else []
    for sheet, assessment in ((schema.TARGET.name, excellence.TARGET), (schema.POVERTY.name, excellence.POVERTY)):
        table = book.table(sheet)
        if table is None:
            continue
        units = records.assessed_units(table)
        if assessment == excellence.POVERTY:
            units = _poverty_barred(book, table, units, pack, exempt, result)
        try:
            outcomes[assessment] = (units, excellence.cut_excellent(units, assessment, pack))
        except TieError as exc:
            ties.extend(exc.messages)
    if ties:
        raise TieError(*ties)

    if excellence.TARGET in outcomes:
        units, outcome = outcomes[excellence.TARGET]
        result.target_units.extend(outcome.grades)
        result.cuts.extend(outcome.cuts)
        result.warnings.extend(outcome.warnings)
        result.awards.extend(excellence.excellent_awards(outcome.grades, excellence.TARGET, pack))
        result.cadre_quotas.extend(excellence.cadre_quotas(units, outcome.grades, pack))
        cadre_table = book.table(schema.CADRES.name)
        if cadre_table is not None:
            # Only the cadres of assessed units get a line (target_bonus skips the rest): only they are built.
            assessed = {grade.unit for grade in outcome.grades}
            people = (
                [c for c in built if c.unit in assessed] if built is not None else records.cadres(cadre_table, assessed)
            )
            result.bonus.extend(bonus.target_bonus(people, outcome.grades, pack, tolerance.protected_units(exempt)))
            result.warnings.extend(bonus.paid_despite_grade(result.bonus, pack))
        if pack.grade_amounts("bonus.amount_by_grade") is None:
            result.warnings.append(
                RunWarning(
                    "bonus.no_amounts",
                    "规则包未设定目标责任考核每人奖金金额(鼓励激励办法第六条第(一)项由各地确定),个人奖金只给出系数",
                )
            )

    if excellence.POVERTY in outcomes:
        _, outcome = outcomes[excellence.POVERTY]
        result.poverty_units.extend(outcome.grades)
        result.cuts.extend(outcome.cuts)
        result.warnings.extend(outcome.warnings)
        result.awards.extend(excellence.excellent_awards(outcome.grades, excellence.POVERTY, pack))


def _poverty_barred(
    book: Book,
    table: Table,
    units: list[records.AssessedUnit],
    pack: RulePack,
    exempt: list[tolerance.Exemption],
    result: AwardsResult,
) -> list[records.AssessedUnit]:
    """The 脱贫攻坚 units, those in a 第十条 case the pack names kept out of the 35% pool (rules.excellence)."""
    year = YearRecords(
        result.year,
        book.source,
        poverty=records.poverty_facts(table),
        columns=frozenset(f"{schema.POVERTY.name}.{f}" for f in table.columns),
    )
    units, notes = excellence.bar_poverty_cases(units, demotion.poverty_cases(year, pack), exempt, pack)
    result.warnings.extend(notes)
    return units


def choose_previous(
    year: int, previous_year: int | None, store: HistoryStore | None
) -> tuple[list[int], int | None, RunWarning | None]:
    """The history years before `year`, the year that counts as 上年, and a warning when that is uncertain.

    上年 is --previous-year when given (it must be in history), else year − 1. When year − 1 is
    missing but an earlier year is stored, the earlier year is never used silently: the warning
    says so and points to --previous-year.
    """
    earlier_years = [y for y in store.years() if y < year] if store else []
    if previous_year is not None:
        if previous_year not in earlier_years:
            where = f"历史库 {store.path}" if store else "(没有历史库)"
            raise HistoryError(
                f"--previous-year {previous_year}:{where}中没有该年数据(已有年份:"
                f"{'、'.join(map(str, earlier_years)) or '无'})"
            )
        return earlier_years, previous_year, None
    if year - 1 not in earlier_years and earlier_years:
        latest = max(earlier_years)
        return (
            earlier_years,
            year - 1,
            RunWarning(
                "history.previous_missing",
                f"历史库没有{year - 1}年数据(最近为{latest}年):上年情况只取自工作簿的上年列;"
                f"如上一次考评即{latest}年(年度不连续),请加 --previous-year {latest}",
            ),
        )
    return earlier_years, year - 1, None


def _exemptions(book: Book, pack: RulePack) -> list[tolerance.Exemption]:
    """The workbook's 容错认定 records with the clauses each covers (none without the sheet)."""
    table = book.table(schema.TOLERANCE.name)
    return tolerance.exemptions(records.tolerance_records(table), pack, book.source) if table is not None else []


def _county(
    book: Book, pack: RulePack, result: AwardsResult, history: Earlier, year: int
) -> tuple[PreviousYear, bool, list[int]] | None:
    """激励 5(2)/6(2) into `result`; returns which year was 上年 and where it came from, whether a history store was
    read and its years of 县域监测 (None without a 县域监测 sheet)."""
    table = book.table(schema.MONITORING.name)
    if table is None:
        return None
    ranks = records.area_ranks(table)
    earlier_years, prev = history.years, history.previous
    if history.previous_warning:
        result.warnings.append(history.previous_warning)
    if prev is not None and prev not in earlier_years:
        prev = None  # awards only take 上年 from history when history has it; the column may still give it

    stored = {
        y: records.area_ranks(history.tables[y][schema.MONITORING.name])
        for y in earlier_years
        if schema.MONITORING.name in history.tables.get(y, {})
    }
    earlier = county.earlier_tops(stored, pack, {r.unit: r.area_type for r in ranks})
    history_ranks = None
    if prev in stored:
        history_ranks, changed = county.same_type_ranks(ranks, stored[prev])
        result.warnings.extend(changed)
    elif prev is not None:
        result.warnings.append(
            RunWarning("history.no_monitoring", f"历史库{prev}年数据没有县域监测表,上年名次只取工作簿「上年名次」列")
        )
    if stored:
        # 上年's list, or when the store skips it the latest list it has: 首次进入 rests on the stored years.
        latest = prev if prev in stored else max(stored)
        county.check_renames(ranks, stored[latest], latest, f"{book.source} › {schema.MONITORING.name}")

    column = table.has("last_rank") and any(r.last_rank is not None for r in ranks)
    sizes = Counter(r.area_type for r in stored[prev]) if prev in stored else None
    last_ranks = county.merge_last_ranks(ranks, history_ranks, prev, f"{book.source} › {schema.MONITORING.name}", sizes)
    previous = result.previous
    if history_ranks is not None and column:
        previous = PreviousYear(prev, f"历史库{prev}年数据,与工作簿「上年名次」列核对一致")
    elif history_ranks is not None:
        previous = PreviousYear(prev, f"历史库{prev}年数据")
    elif column:
        # Without history the workbook alone says which year its 上年 is; we do not assume year - 1.
        previous = PreviousYear(prev, "工作簿「上年名次」列")
    try:
        outcome = county.county_awards(ranks, last_ranks, earlier, pack)
    except MissingDataError as exc:
        if prev is None and earlier_years:
            latest = max(earlier_years)
            raise MissingDataError(
                *exc.messages,
                f"历史库没有{year - 1}年数据(最近为{latest}年);如上一次考评即{latest}年,请加 --previous-year {latest}",
            ) from None
        raise
    result.awards.extend(outcome.awards)
    result.undetermined.extend(outcome.undetermined)
    result.warnings.extend(outcome.warnings)
    result.places.extend(
        AreaPlace(r.unit, r.area_type, r.rank, last_ranks.get(r.unit))
        for r in sorted(ranks, key=lambda r: (r.area_type != COUNTY, r.rank, r.unit))
    )
    return previous, history.store, list(earlier.known_years)


@dataclass
class CheckReport:
    """A workbook that every command can run on: its year, pack and tables, and what the runs would warn of."""

    year: int
    pack: RulePack
    book: Book
    warnings: list[RunWarning]


def check_year(
    path: Path,
    *,
    templates: Path | None,
    year: int | None = None,
    rules: str | None = None,
    history: HistorySource = HistorySource(None),
    tie: str | None = None,
    previous_year: int | None = None,
    aliases: Path | None = None,
    progress: Progress | None = None,
) -> CheckReport:
    """Everything that would stop any command on this workbook, said at once and in the words the command
    would use: the workbook's cells and the pack, then (with history, as the commands read it) the ties at
    a cut, 上年 columns that contradict the store, missing earlier-year data, the 容错/责任认定 codes, and,
    when the pack has [documents], the settings and templates the notices need. Nothing is written.

    A file that is not there, or whose year is unknown, is said alone: nothing else can be checked.
    Raises InputError listing every problem; otherwise returns what the runs would warn of."""
    year = input_year(path, year)
    attempt = _Attempts()
    # Not load_rules: a slip in [documents] is said with the notices' other needs, not before the workbook.
    pack = attempt(lambda: with_tie(load_pack(rules, year), tie))
    book = attempt(lambda: read_workbook(path, aliases, progress, year))
    warnings: list[RunWarning] = []
    if pack is not None and book is not None:
        _say(progress, "按各命令的规则试算")
        warnings = book.warnings + _try_commands(book, year, pack, history, previous_year, templates, attempt)
    if attempt.problems:
        raise InputError(list(dict.fromkeys(attempt.problems)))
    return CheckReport(year, pack, book, list(dict.fromkeys(warnings)))


class _Attempts:
    """Calls that may stop: each one's problems are kept (as the command would say them), and None returned."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def __call__(self, step: Callable[[], object]):
        try:
            return step()
        except InputError as exc:
            self.problems.extend(exc.problems)
        except SanshiError as exc:
            self.problems.extend(Problem(message) for message in exc.messages)
        return None


def _try_commands(
    book: Book,
    year: int,
    pack: RulePack,
    history: HistorySource,
    previous_year: int | None,
    templates: Path | None,
    attempt: _Attempts,
) -> list[str]:
    """check's trial of every command on a workbook that reads: what each would stop on goes to `attempt`;
    returns what they would warn of. A step that needs another's result is tried only when that one ran."""
    attempt(lambda: _require_award_sheet(book))
    exemptions = attempt(lambda: _exemptions(book, pack))
    table = book.table(schema.FINDINGS.name)
    if table is not None:  # 责任认定「领域」「等级」「条款」 must be readable
        attempt(lambda: findings.parse(records.findings(table, year, book.source), pack))
    awards = demotions = promotions = notices = None
    earlier = attempt(lambda: read_earlier(history, year, previous_year, book.aliases))
    if earlier is not None:
        awards = attempt(lambda: _awards(book, year, pack, earlier))
        demotions = attempt(lambda: _demotions(book, year, pack, earlier))
        if demotions is not None:  # who is held back from promotion is the demotions' result
            promotions = attempt(lambda: _promotions(book, year, pack, earlier, demotions))
        if awards is not None and demotions is not None:
            attempt(lambda: _report(book, year, pack, earlier, awards, demotions))
    warnings = []
    if not pack.documents:
        warnings.append(
            RunWarning(
                "documents.no_settings",
                f"规则包 {pack.label} 没有 [documents] 部分:评优、能下、选拔重用和报告不受影响;"
                "sanshi notices 和 sanshi year 生成公文时需要本地规则包写明发文设置"
                "(示例见 sample_data/local-pack.toml)",
            )
        )
    elif (prepared := attempt(lambda: document_settings(pack, templates))) is not None:
        from sanshi.documents.batch import plan

        if awards is not None and demotions is not None and exemptions is not None:
            notices = attempt(lambda: plan(YearData(awards, demotions, exemptions, pack), *prepared))
        else:  # no results to write about: the templates are still checked against the settings
            settings, template_set = prepared
            for kind in KINDS:
                attempt.problems.extend(Problem(p) for p in attempt(lambda: template_set.check(kind, settings)) or ())
    ran = [r for r in (awards, demotions, promotions, notices) if r is not None]
    return warnings + [w for result in ran for w in result.warnings]


def import_year(path: Path, db: Path, year: int | None = None, progress: Progress | None = None) -> ImportOutcome:
    """Validate a workbook and store it as the year's current revision.

    Names are stored as the file writes them (after its own 单位名称对照 sheet): a later run maps them
    through its own aliases, so the store never depends on which alias file was given at import."""
    year = input_year(path, year)
    if db.exists():
        # The file the store already holds as the year's current revision is that revision, validated when it was
        # imported: a hash of the file says so without parsing it (a national workbook takes seconds to read).
        with HistoryStore.open(db, create=False) as store:
            current = store.current(year)
        if current is not None and current.sha256 == file_sha256(path):
            return ImportOutcome(year, current.revision, current, unchanged=True)
    book = read_workbook(path, progress=progress, year=year)
    _say(progress, f"写入历史库 {db}")
    with HistoryStore.open(db) as store:
        return replace(store.import_book(book, year), warnings=tuple(book.warnings))


def history_revisions(db: Path) -> list:
    """`history list`: every stored revision, oldest year first."""
    with HistoryStore.open(db, create=False) as store:
        return store.revisions()


def history_year(db: Path, year: int, revision: int | None = None) -> tuple[object, dict[str, Table]]:
    """`history show`: a year's revision (the current one by default) and its tables."""
    with HistoryStore.open(db, create=False) as store:
        tables = store.tables(year, revision)
        info = [r for r in store.revisions(year) if (r.revision == revision if revision else r.is_current)][0]
    return info, tables


def verify_history(db: Path):
    """`history verify`: the store's own check (integrity, hashes, revision chain)."""
    with HistoryStore.open(db, create=False) as store:
        return store.verify()


def stored_revisions(db: Path, year: int | None, all_revisions: bool) -> list:
    """`history export`: the revisions to export with their tables."""
    with HistoryStore.open(db, create=False) as store:
        return store.stored(year, all_revisions)


def year_records(tables: dict[str, Table], year: int, where: str, earlier: bool = False) -> YearRecords:
    """A year's tables as the 能下 rules read them (an absent sheet stays None); an `earlier` year's 干部 as
    grades by person (CadreGrades), which is all the rules look up there."""

    def built(spec: schema.SheetSpec, build):
        table = tables.get(spec.name)
        return build(table) if table is not None else None

    return YearRecords(
        year=year,
        where=where,
        target=built(schema.TARGET, records.assessed_units),
        ranks=built(schema.MONITORING, records.area_ranks),
        cadres=None if earlier else built(schema.CADRES, records.cadres),
        grades=built(schema.CADRES, records.CadreGrades.of) if earlier else None,
        poverty=built(schema.POVERTY, records.poverty_facts),
        findings=built(schema.FINDINGS, lambda table: records.findings(table, year, where)),
        tolerance=built(schema.TOLERANCE, records.tolerance_records),
        columns=frozenset(f"{name}.{f}" for name, table in tables.items() for f in table.columns),
    )


def run_demotions(
    path: Path,
    *,
    year: int | None = None,
    rules: str | None = None,
    history: HistorySource = HistorySource(None),
    previous_year: int | None = None,
    unit: str | None = None,
    aliases: Path | None = None,
    progress: Progress | None = None,
    what_if: Sequence[str] = (),
) -> DemotionsResult:
    """能上能下办法 第八条至第十条 and 第十六条, with 容错纠错办法 第九条 exemptions, for one workbook.

    With `unit`, the whole year is still judged (places and cuts need every unit) and the
    result is then narrowed to that unit's rows.
    """
    given = read_year("demotions", path, year, rules, None, history, previous_year, aliases, progress, what_if)
    return demotions_of(given, unit)


@dataclass(frozen=True)
class Earlier:
    """The history a year's 能下 and 选拔重用 rules read, read once: every stored year before it and which is 上年."""

    store: bool  # whether a history store was opened
    years: list[int]  # the stored years before the assessment year
    previous: int  # the year that counts as 上年
    tables: dict[int, dict[str, Table]]
    store_warnings: list[RunWarning]  # about the store (a default store that is not there)
    previous_warning: RunWarning | None  # about the choice of 上年 (year − 1 not stored)
    db: str | None = None  # the store read, as an absolute path
    revisions: tuple[dict[str, object], ...] = ()  # the current revision of each stored year before, as read
    # Each year's records as built for the first rule that asked (explain, report and diff run demotions and
    # promotions on one year: its 200,000 Cadre records are built once). Keyed by the book itself for the year.
    built: dict[object, tuple[object, YearRecords]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def warnings(self) -> list[RunWarning]:
        """What the results that use this history say about it."""
        return self.store_warnings + ([self.previous_warning] if self.previous_warning else [])

    def records(self, book: Book, year: int, chain: Sequence[int]) -> list[YearRecords]:
        """The assessment year's records, then each year of `chain` (an unstored year has no sheets)."""
        return [self._once(("book", year), book, lambda: year_records(book.tables, year, book.source))] + [
            self._once(
                ("stored", y), None, lambda y=y: year_records(self.tables.get(y, {}), y, f"历史库{y}年", earlier=True)
            )
            for y in chain
        ]

    def cadres_built(self, book: Book, year: int) -> list[records.Cadre] | None:
        """The year's Cadre records if a rule of this run has built them already (None otherwise)."""
        found = self.built.get(("book", year))
        return found[1].cadres if found is not None and found[0] is book else None

    def _once(self, key: object, owner: object, build: Callable[[], YearRecords]) -> YearRecords:
        """`build()`, or what it gave before for `key` when built for the same `owner` (the book of the assessment
        year, compared by identity; None for a stored year)."""
        found = self.built.get(key)
        if found is None or found[0] is not owner:
            found = self.built[key] = (owner, build())
        return found[1]


EARLIER_CADRE_FIELDS = ("cadre_id", "name", "unit", "grade")  # what records.CadreGrades reads


def read_earlier(
    history: HistorySource,
    year: int,
    previous_year: int | None,
    aliases: dict[str, str] | None = None,
    sheets: Collection[str] | None = None,
) -> Earlier:
    """Every stored year before `year` (only its `sheets`, if given), unit names put under this year's
    单位名称对照. The store is opened once per run and each stored sheet decoded once."""
    warnings: list[RunWarning] = []
    store = open_history(history, warnings)
    try:
        earlier_years, prev, warning = choose_previous(year, previous_year, store)
        # An earlier year's 干部 is read for who was which grade (CadreGrades), nothing else of it.
        only = {schema.CADRES.name: EARLIER_CADRE_FIELDS}
        tables = {y: store.tables(y, sheets=sheets, fields=only) for y in earlier_years} if store is not None else {}
        revisions = tuple(
            {"year": r.year, "revision": r.revision, "source": r.source, "sha256": r.sha256}
            for r in (store.revisions() if store is not None else ())
            if r.is_current and r.year < year
        )
        for stored in tables.values():
            for table in stored.values():
                rename_units(table, aliases or {})
    finally:
        if store is not None:
            store.close()
    db = str(history.path.resolve()) if store is not None and history.path is not None else None
    return Earlier(store is not None, earlier_years, prev, tables, warnings, warning, db, revisions)


def stamp(year: int, pack: RulePack, book: Book, earlier: Earlier) -> dict[str, Any]:
    """What every year result states first (its RunHeader) and what the run read, for its manifest."""
    return {
        "year": year,
        "rules": pack.label,
        "source": book.source,
        "source_sha256": book.sha256,
        "read": run_inputs(pack, earlier, book.aliases_sha256),
        "what_if": pack.what_if,
    }


def run_inputs(pack: RulePack, earlier: Earlier, aliases_sha256: str = "") -> RunInputs:
    """What a run read besides its workbook, for its manifest: the pack as loaded, the revisions as read."""
    return RunInputs(
        {
            "name": pack.name,
            "title": pack.title,
            "label": pack.label,
            "base": pack.base,
            "origin": pack.origin,
            "sha256": pack.sha256,
        },
        tuple({"name": name, "path": path, "sha256": sha256} for name, path, sha256 in pack.files),
        earlier.db,
        earlier.revisions,
        aliases_sha256,
        tuple(what_if_entry(s) for s in pack.what_if),
    )


def _demotions(book: Book, year: int, pack: RulePack, earlier: Earlier) -> DemotionsResult:
    warnings = [*pack_caveats(pack, year), *book.warnings, *earlier.warnings]
    warnings += unmatched_across_years(book, earlier.tables.get(earlier.previous), earlier.previous)
    chain = [earlier.previous - k for k in range(demotion.history_depth(pack))]
    years = earlier.records(book, year, chain)
    history_years = [y for y in chain if y in earlier.years]
    if not earlier.store:
        warnings.append(
            RunWarning(
                "history.no_adjustments", "没有历史库:影响期只依据本年「调整记录」,以前年度的调整(如前一年的降职)未计入"
            )
        )
    elif not history_years:
        warnings.append(
            RunWarning(
                "history.years_missing",
                f"历史库没有{'、'.join(map(str, chain))}年数据,连续两年的情形只能取自工作簿的上年列",
            )
        )

    outcome = demotion.find_triggers(years, pack)
    warnings += outcome.warnings
    found = _exemptions(book, pack)
    warnings += tolerance.unused(found, outcome.candidates + outcome.undetermined)

    all_adjustments = [
        a
        for y, tables in [*earlier.tables.items(), (year, book.tables)]
        if schema.ADJUSTMENTS.name in tables
        for a in records.adjustments(tables[schema.ADJUSTMENTS.name], y)
    ]
    periods, impact_warnings = impact.impact_periods(all_adjustments, year, pack)
    return DemotionsResult(
        **stamp(year, pack, book, earlier),
        candidates=tolerance.apply(outcome.candidates, found),
        undetermined=tolerance.apply(outcome.undetermined, found),
        impact_periods=periods,
        history_years=history_years,
        warnings=warnings + impact_warnings,
    )


def run_promotions(
    path: Path,
    *,
    year: int | None = None,
    rules: str | None = None,
    history: HistorySource = HistorySource(None),
    tie: str | None = None,
    previous_year: int | None = None,
    aliases: Path | None = None,
    progress: Progress | None = None,
    what_if: Sequence[str] = (),
) -> PromotionsResult:
    """鼓励激励办法 第七条 for one workbook: the three promotion lists and who is left out of them."""
    given = read_year("promotions", path, year, rules, tie, history, previous_year, aliases, progress, what_if)
    return promotions_of(given)


def _promotions(
    book: Book, year: int, pack: RulePack, earlier: Earlier, demotions: DemotionsResult
) -> PromotionsResult:
    """第七条 over the year and every stored earlier year; `demotions` (the same year) says who is held back."""
    need = max(pack.years("promotion.cadre_excellent_years"), pack.years("promotion.unit_excellent_years"))
    oldest = min([earlier.previous - need + 2, *earlier.years])
    chain = list(range(earlier.previous, oldest - 1, -1))
    years = earlier.records(book, year, chain)

    outcome = promotion.PromotionOutcome()
    holds = promotion.Holds(demotions.candidates, demotions.undetermined, demotions.impact_periods)
    current = years[0]
    poverty = book.table(schema.POVERTY.name)
    grades = {}
    if current.target is not None:
        cut = excellence.cut_excellent(current.target, excellence.TARGET, pack)
        grades = {g.unit: g.grade for g in cut.grades}
    promotion.excellent_cadres(years, pack, holds, outcome)
    promotion.excellent_units(years, grades, pack, outcome)
    ranking = promotion.county_ranking(
        current.ranks, current.target, records.assessed_units(poverty) if poverty is not None else None, pack, outcome
    )
    promotion.county_heads(ranking, Staff(current.cadres, pack), pack, holds, outcome)
    lists = []
    for rule in registry.rules("promotions"):
        declared = rule.run(registry.ClauseInput(year, book.source, book.tables, pack, holds))
        lists.append(rule.listing(declared))
        outcome.excluded += declared.excluded
        outcome.undetermined += declared.undetermined
        outcome.warnings += declared.warnings
    return PromotionsResult(
        **stamp(year, pack, book, earlier),
        units=outcome.units,
        cadres=outcome.cadres,
        county_heads=outcome.county_heads,
        lists=lists,
        counties=ranking,
        excluded=outcome.excluded,
        undetermined=outcome.undetermined,
        history_years=[y for y in chain if y in earlier.years],
        warnings=list(dict.fromkeys(demotions.warnings + outcome.warnings)),
    )


def run_notices(
    path: Path,
    *,
    templates: Path | None,
    year: int | None = None,
    rules: str | None = None,
    history: HistorySource = HistorySource(None),
    previous_year: int | None = None,
    kinds: Sequence[str] = (),
    unit: str | None = None,
    aliases: Path | None = None,
    progress: Progress | None = None,
) -> Batch:
    """The year's documents (sanshi/documents/templates/README.md), rendered in memory from the awards and demotions results.

    Templates and the pack's [documents] settings are checked before anything is computed.
    """
    year = input_year(path, year)
    pack = load_pack(rules, year)  # not load_rules: its check of [documents] is document_settings's
    settings, template_set = document_settings(pack, templates)
    from sanshi.documents.batch import plan

    book = read_workbook(path, aliases, progress, year)
    earlier = read_earlier(history, year, previous_year, book.aliases)
    data = YearData(
        _awards(book, year, pack, earlier), _demotions(book, year, pack, earlier), _exemptions(book, pack), pack
    )
    batch = plan(data, settings, template_set, kinds=kinds, unit=_known_unit(book, unit) if unit else None)
    batch.warnings[:0] = list(dict.fromkeys(data.awards.warnings + data.demotions.warnings))
    batch.read = data.awards.read
    return batch


def document_settings(pack: RulePack, templates: Path | None):
    """The pack's [documents] settings and the parsed templates, checked before anything is computed."""
    if not pack.documents:
        raise PackError(
            f"规则包 {pack.label} 没有 [documents] 部分:发文机关、代字、文号、成文日期、公示期等写在本地规则包中"
            f"(示例见 sample_data/local-pack.toml),并用 --rules 指定该文件"
        )
    # Jinja and the document writers are imported by the commands that render documents.
    from sanshi.documents.render import TemplateSet

    return parse_settings(pack.documents, pack.where, KIND_NAMES), TemplateSet(templates)


TREND_YEARS = 3  # the report draws a unit's standings over the years when it has at least this many


def run_report(
    path: Path,
    *,
    year: int | None = None,
    rules: str | None = None,
    history: HistorySource = HistorySource(None),
    tie: str | None = None,
    previous_year: int | None = None,
    aliases: Path | None = None,
    progress: Progress | None = None,
    what_if: Sequence[str] = (),
    compare: Path | None = None,
) -> YearReport:
    """What the year report draws: the awards and 能下 results, and each unit's standings in every stored year.

    With `compare` (an earlier version of the same year's workbook, e.g. the 公示 version), also what changed
    from it to `path`, both computed with the same pack and history (see `run_diff`)."""
    given = load_year(
        path, year, rules, tie, history, previous_year, aliases, progress, award_sheet=True, what_if=what_if
    )
    book, year, pack, earlier = given.book, given.year, given.pack, given.earlier
    earlier.records(book, year, ())  # made once for both: the awards' bonus reuses the Cadre records
    awards, demotions = _awards(book, year, pack, earlier), _demotions(book, year, pack, earlier)
    report = _report(book, year, pack, earlier, awards, demotions)
    if compare is None:
        return report
    if (compared_year := input_year(compare, None)) != year:
        raise UsageError(
            f"{compare.name} 是{compared_year}年度,{path.name} 是{year}年度:--compare 给出同一年度的早先版本"
            f"(如 {year}-公示.xlsx)"
        )
    from sanshi.diffing import Side

    # Both versions under the pack this report used (a what-if's too), so only the workbooks differ. This year as
    # the report computed it; only the earlier version is read and computed again.
    this = Side(book, awards, demotions, _promotions(book, year, pack, earlier, demotions))
    compared = run_diff(
        DiffSide(compare, pack=pack),
        DiffSide(path, pack=pack, computed=this),
        year=year,
        history=history,
        tie=tie,
        previous_year=previous_year,
        aliases=aliases,
        progress=progress,
    )
    return replace(report, compared=compared)


def _report(
    book: Book, year: int, pack: RulePack, earlier: Earlier, awards: AwardsResult, demotions: DemotionsResult
) -> YearReport:
    trends, history_years = _trends(awards, earlier, pack, year)
    return YearReport(
        **stamp(year, pack, book, earlier),
        awards=awards,
        demotions=demotions,
        trend_years=TREND_YEARS,
        trends=trends,
        history_years=history_years,
        uncomputed=list(pack.manual_clauses("uncomputed.clauses")),
        warnings=list(dict.fromkeys(awards.warnings + demotions.warnings)),
    )


def _trends(awards: AwardsResult, earlier: Earlier, pack: RulePack, year: int) -> tuple[list[Trend], list[int]]:
    """Every unit's standings this year (from the results) and in each stored year (its tables cut again)."""
    rows = [
        *trend.graded(awards.target_units, excellence.TARGET, year, "本年工作簿"),
        *trend.placed(awards.places, year, "本年工作簿"),
        *trend.graded(awards.poverty_units, excellence.POVERTY, year, "本年工作簿"),
    ]
    used = []
    for y in sorted(earlier.tables, reverse=True):
        tables, source = earlier.tables[y], f"历史库{y}年"
        if tables:
            used.append(y)
        for name, assessment in ((schema.TARGET.name, excellence.TARGET), (schema.POVERTY.name, excellence.POVERTY)):
            if name in tables:
                rows += trend.regraded(records.assessed_units(tables[name]), assessment, y, source, pack)
        if schema.MONITORING.name in tables:
            rows += trend.placed(records.area_ranks(tables[schema.MONITORING.name]), y, source)
    return trend.trends(rows, TREND_YEARS), sorted(used)


def _explained_subject(book: Book, subject: str, unit: str | None) -> tuple[str, list[str]]:
    """Whether `subject` names a unit (单位) or a person (个人), and the unit(s) it belongs to; a UsageError with
    the nearest names when the workbook has neither."""
    units = _units(book)
    table = book.table(schema.CADRES.name)
    key = name_key(subject)
    if key in units and unit is None:
        kind, owners = "单位", [key]
    else:
        people = records.cadres(table) if table is not None else []
        only = _known_unit(book, unit) if unit is not None else None
        named = [c for c in people if name_key(c.name) == key and only in (None, c.unit)]
        if not named:
            elsewhere = [u for u in dict.fromkeys(c.unit for c in people if name_key(c.name) == key) if u != only]
            if elsewhere:  # the person is there, in another unit than --unit says
                fix = (
                    f"请改为 --unit {elsewhere[0]},或去掉 --unit"
                    if len(elsewhere) == 1
                    else "请用 --unit 指明其中一个单位"
                )
                raise UsageError(
                    f"{subject}:{book.source} 的干部表中{only}没有这名干部,{subject}在{'、'.join(elsewhere)};{fix}"
                )
            close = difflib.get_close_matches(
                key, sorted(set(units) | {name_key(c.name) for c in people}), n=3, cutoff=0.4
            )
            hint = f"是否指 {'、'.join(close)}?" if close else "请检查名称"
            raise UsageError(f"{subject}:{book.source} 中没有这个单位或干部;{hint}")
        owners = list(dict.fromkeys(c.unit for c in named))
        if len(owners) > 1:
            raise UsageError(f"{subject}:{len(owners)} 个单位都有同名干部({'、'.join(owners)}),请加 --unit 指明")
        kind = "个人"
    return kind, owners


def run_explain(
    path: Path,
    subject: str,
    *,
    unit: str | None = None,
    year: int | None = None,
    rules: str | None = None,
    history: HistorySource = HistorySource(None),
    previous_year: int | None = None,
    aliases: Path | None = None,
    progress: Progress | None = None,
) -> Explanation:
    """Everything the year's awards and 能下 rules concluded about one unit or one person (a 干部 row).

    A name that is both a unit's and a person's is taken as the unit; a person's name shared by
    people of several units needs `unit`.
    """
    year = input_year(path, year)
    pack = load_rules(rules, year)
    with history_meanwhile(history, year, previous_year) as earlier_named:
        book = read_workbook(path, aliases, progress, year)
        kind, owners = _explained_subject(book, subject, unit)
        earlier = earlier_named(book.aliases)
    return explain_year(YearInput(year, pack, book, earlier), subject, unit, (kind, owners))


def explain_year(
    given: YearInput, subject: str, unit: str | None = None, found: tuple[str, list[str]] | None = None
) -> Explanation:
    """`run_explain` of a year already read (`found`: the subject as `_explained_subject` resolved it)."""
    year, pack, book, earlier = given.year, given.pack, given.book, given.earlier
    kind, owners = found if found is not None else _explained_subject(book, subject, unit)
    key = name_key(subject)
    earlier.records(book, year, ())  # the year's records, made once: the awards' bonus reuses its Cadre records
    awards = _awards(book, year, pack, earlier)
    demotions = _demotions(book, year, pack, earlier)
    promotions = _promotions(book, year, pack, earlier, demotions)
    owner = owners[0]

    def mine(row) -> bool:
        return row.unit == owner and (kind == "单位" or (row.name is not None and name_key(row.name) == key))

    grades = [g for g in awards.target_units + awards.poverty_units if g.unit == owner]
    groups = {(excellence.TARGET, g.group) for g in awards.target_units if g.unit == owner}
    groups |= {(excellence.POVERTY, g.group) for g in awards.poverty_units if g.unit == owner}
    return Explanation(
        year=year,
        rules=pack.label,
        subject=key,
        kind=kind,
        units=owners,
        grades=grades,
        cuts=[c for c in awards.cuts if (c.assessment, c.group) in groups],
        awards=[a for a in awards.awards if a.unit == owner] if kind == "单位" else [],
        cadre_quotas=[q for q in awards.cadre_quotas if q.unit == owner] if kind == "单位" else [],
        bonus=[b for b in awards.bonus if mine(b)],
        candidates=[t for t in demotions.candidates if mine(t)],
        undetermined=[t for t in demotions.undetermined if mine(t)],
        impact_periods=[p for p in demotions.impact_periods if mine(p)],
        previous=awards.previous,
        history_years=demotions.history_years,
        promoted_units=[u for u in promotions.units if u.unit == owner] if kind == "单位" else [],
        promoted_cadres=[c for c in promotions.cadres if mine(c)],
        county_heads=[h for h in promotions.county_heads if mine(h)],
        lists=[listed.only(mine) for listed in promotions.lists],
        excluded=[e for e in promotions.excluded + promotions.undetermined if e.name and mine(e)],
        notes=[
            RunWarning("county.pending", f"未能判定:{p.award},{p.missing}", units=(p.unit,))
            for p in awards.undetermined
            if p.unit == owner and kind == "单位"
        ]
        + [
            w
            for w in dict.fromkeys(awards.warnings + demotions.warnings + promotions.warnings)
            if w.concerns(owner, key if kind == "个人" else None)
        ],
        uncomputed=list(pack.manual_clauses("uncomputed.clauses")),
    )


def unmatched_across_years(book: Book, previous: dict[str, Table] | None, year: int) -> list[str]:
    """A unit of this year's unit lists that the same list of 上年 does not have, with last year's nearest
    names: a renamed unit loses its history (连续两年, 上年等次) unless a 单位名称对照 row joins the names."""
    if not previous:
        return []
    warnings = []
    for spec in schema.UNIT_LISTS:
        now, before = book.table(spec.name), previous.get(spec.name)
        if now is None or before is None:
            continue
        known = {row["unit"] for row in before.rows if row.get("unit")}
        gone = sorted(known - {row["unit"] for row in now.rows if row.get("unit")})
        for index, row in enumerate(now.rows):
            unit = row.get("unit")
            if not unit or unit in known:
                continue
            close = difflib.get_close_matches(unit, gone, n=3, cutoff=0.5)
            hint = (
                f"上年有而今年没有的相近名称:{'、'.join(close)};如是同一单位改了名称,请在「单位名称对照」表中写明"
                if close
                else "按今年新增单位处理"
            )
            warnings.append(
                RunWarning(
                    "history.unit_not_listed",
                    f"{book.source} › {spec.name} › {now.cell(index, 'unit')}:单位「{unit}」不在历史库{year}年"
                    f"{spec.name}表中;{hint}",
                    units=(unit,),
                )
            )
    return warnings


def _units(book: Book) -> list[str]:
    return sorted({unit for table in book.tables.values() for unit in table.column("unit") if unit})


def _known_unit(book: Book, name: str) -> str:
    """A unit named on the command line, as the workbook spells it; an unknown name lists the nearest ones."""
    key = name_key(name)
    units = _units(book)
    if key in units:
        return key
    close = difflib.get_close_matches(key, units, n=3, cutoff=0.4)
    hint = f"是否指 {'、'.join(close)}?" if close else "请检查单位名称"
    raise UsageError(f"--unit {name}:{book.source} 的各工作表中没有这个单位;{hint}")


def _only_unit(result: DemotionsResult, unit: str) -> DemotionsResult:
    return replace(
        result,
        unit=unit,
        candidates=[t for t in result.candidates if t.unit == unit],
        undetermined=[t for t in result.undetermined if t.unit == unit],
        impact_periods=[p for p in result.impact_periods if p.unit == unit],
    )


# ---- the whole year end in one run (`sanshi year`) -------------------------------------------------


@dataclass(frozen=True)
class YearEnd(RunHeader):
    """Everything a year end produces, from one read of the workbook and one of the history."""

    read: RunInputs
    awards: AwardsResult
    demotions: DemotionsResult
    promotions: PromotionsResult
    report: YearReport
    notices: Batch
    imports: list[tuple[Path, ImportOutcome]]  # the --earlier files, each imported or found already stored
    warnings: list[RunWarning]
    book: Book | None = field(default=None, repr=False, compare=False)  # as read: where each row came from (--fill)


def run_year(
    path: Path,
    *,
    templates: Path | None,
    year: int | None = None,
    rules: str | None = None,
    history: HistorySource = HistorySource(None),
    tie: str | None = None,
    previous_year: int | None = None,
    aliases: Path | None = None,
    earlier_books: Sequence[Path] = (),
    reimport: bool = False,
    progress: Progress | None = None,
) -> YearEnd:
    """awards, demotions, promotions, the report and the notices of one year, as the single commands give them.

    Everything that can stop the run is checked before the history store is touched: the pack and its
    [documents], the templates, this year's workbook and every earlier workbook. Then the earlier years
    the store lacks are imported, and everything is computed from that one read.
    """
    year = input_year(path, year)
    pack = load_rules(rules, year, tie)
    settings, template_set = document_settings(pack, templates)
    from sanshi.documents.batch import plan

    book = read_workbook(path, aliases, progress, year)
    _require_award_sheet(book)
    imports = import_earlier(earlier_books, history, year, reimport, progress)
    _say(progress, "计算评优、能下和选拔重用")
    earlier = read_earlier(history, year, previous_year, book.aliases)
    awards = _awards(book, year, pack, earlier)
    demotions = _demotions(book, year, pack, earlier)
    promotions = _promotions(book, year, pack, earlier, demotions)
    report = _report(book, year, pack, earlier, awards, demotions)
    _say(progress, "排版公文")
    notices = plan(YearData(awards, demotions, _exemptions(book, pack), pack), settings, template_set)
    warnings = list(dict.fromkeys(awards.warnings + demotions.warnings + promotions.warnings + notices.warnings))
    return YearEnd(
        **stamp(year, pack, book, earlier),
        awards=awards,
        demotions=demotions,
        promotions=promotions,
        report=report,
        notices=notices,
        imports=imports,
        warnings=warnings,
        book=book,
    )


def import_earlier(
    paths: Sequence[Path], history: HistorySource, year: int, reimport: bool = False, progress: Progress | None = None
) -> list[tuple[Path, ImportOutcome]]:
    """Store each earlier year's workbook that the history store lacks; all checks come before any import.

    A file identical to the year's current revision is skipped. A different file for a stored year stops
    the run (which one is right is for the user to say) unless `reimport`, which stores it as a new
    revision, the old one kept. A year given twice, or one not before `year`, stops the run too.
    """
    if not paths:
        return []
    if history.path is None:
        raise UsageError("--earlier 需要历史库:用 --db 指定历史库文件")
    problems: list[Problem] = []
    books: list[tuple[Path, int, Book]] = []
    for earlier_path in paths:
        try:
            earlier_year = input_year(earlier_path, None)
            if earlier_year >= year:
                raise UsageError(f"--earlier {earlier_path}:是{earlier_year}年的数据,不在考核年度{year}年之前")
            books.append(
                (earlier_path, earlier_year, read_workbook(earlier_path, progress=progress, year=earlier_year))
            )
        except InputError as exc:
            problems.extend(exc.problems)
        except SanshiError as exc:
            problems.extend(Problem(m) for m in exc.messages)
    given: dict[int, Path] = {}
    for earlier_path, earlier_year, _ in books:
        if earlier_year in given:
            problems.append(
                Problem(f"--earlier:{given[earlier_year]} 和 {earlier_path} 都是{earlier_year}年的数据,请只给出一个")
            )
        given.setdefault(earlier_year, earlier_path)
    stored = {}
    if history.path.exists():
        with HistoryStore.open(history.path, create=False) as store:
            stored = {y: store.current(y) for y in given}
    for earlier_path, earlier_year, earlier_book in books:
        current = stored.get(earlier_year)
        if current is not None and current.sha256 != earlier_book.sha256 and not reimport:
            problems.append(
                Problem(
                    f"--earlier {earlier_path}:历史库 {history.path} 已有{earlier_year}年数据(第{current.revision}版,"
                    f"来自 {current.source},导入于 {current.imported_local}),与这个文件不同;如这个文件是更正后的版本,"
                    f"加 --reimport 导入为新版本(旧版本保留),否则去掉这个文件"
                )
            )
    if problems:
        raise InputError(problems)
    outcomes = []
    with HistoryStore.open(history.path) as store:
        for earlier_path, earlier_year, earlier_book in books:
            _say(progress, f"导入历史库:{earlier_year}年")
            outcomes.append((earlier_path, store.import_book(earlier_book, earlier_year)))
    return outcomes


def _say(progress: Progress | None, what: str) -> None:
    if progress is not None:
        progress(what)


@dataclass(frozen=True)
class DiffSide:
    """One version `diff` compares: a workbook and the pack to compute it with (`rules` as --rules names it, or
    `pack` already loaded, e.g. the shipped pack with what-if overrides). The two sides may be the same workbook
    under two packs."""

    path: Path | None
    rules: str | None = None
    pack: RulePack | None = None
    revision: int | None = None  # a revision of the year in the history store (`path` None): diff --history
    computed: Side | None = None  # `path` as already read and computed with `pack` (report --compare's own year)

    def year(self, year: int | None) -> int:
        if self.path is not None:
            return input_year(self.path, year)
        if year is None:
            raise UsageError("比较历史库中的版本需要给出年度(--history 年度)")
        return year  # --history YEAR, range-checked by the CLI

    def name(self, year: int) -> str:
        return self.path.name if self.path is not None else f"历史库{year}年第{self.revision}版"


def diff_revisions(history: HistorySource, year: int, asked: Sequence[int]) -> tuple[int, int]:
    """diff --history: the two revisions of `year` to compare, OLD first: the two given, one given and the
    current one, or (none given) the last two imported."""
    if len(asked) > 2:
        raise UsageError(f"--revision 最多给两次(原版本、现版本),现在给了{len(asked)}次")
    assert history.path is not None
    with HistoryStore.open(history.path, create=False) as store:
        stored = [r.revision for r in store.revisions(year)]
        current = store.current(year)
    if not stored:
        raise HistoryError(f"历史库 {history.path} 中没有{year}年的数据:请先用 sanshi history import 导入该年度工作簿")
    missing = [n for n in asked if n not in stored]
    if missing:
        numbers = "、".join(f"第{n}版" for n in stored)
        raise HistoryError(
            f"历史库 {history.path} 中没有{year}年的" + "、".join(f"第{n}版" for n in missing) + f"(现有:{numbers})"
        )
    if len(asked) == 2:
        return asked[0], asked[1]
    if len(asked) == 1:
        assert current is not None
        return asked[0], current.revision
    if len(stored) < 2:
        raise HistoryError(
            f"历史库中{year}年只有第{stored[0]}版,没有可比较的另一版:导入更正后的工作簿(sanshi history import)后再比较,"
            f"或直接比较两个工作簿(sanshi diff 原版本.xlsx 现版本.xlsx)"
        )
    return stored[-2], stored[-1]


def _stored_version(history: HistorySource, year: int, revision: int, aliases: Path | None) -> tuple[Book, dict]:
    """A revision of `year` from the store as a Book (named 2023.xlsx(历史库第1版)), with its manifest entry."""
    assert history.path is not None
    with HistoryStore.open(history.path, create=False) as store:
        [info] = [r for r in store.revisions(year) if r.revision == revision]
        tables = store.tables(year, revision)
    entry = {"year": year, "revision": revision, "source": info.source, "sha256": info.sha256, "pinned": True}
    return stored_book(f"{info.source}(历史库第{revision}版)", info.sha256, tables, aliases), entry


def run_diff(
    old: DiffSide,
    new: DiffSide,
    *,
    year: int | None = None,
    history: HistorySource = HistorySource(None),
    tie: str | None = None,
    previous_year: int | None = None,
    aliases: Path | None = None,
    progress: Progress | None = None,
) -> DiffResult:
    """Two versions of one year computed each once (awards, demotions, promotions) and compared: which results
    changed and which input cells are behind each change. Both read the same history and options."""
    from sanshi.diffing import Side, diff_year

    years = [side.year(year) for side in (old, new)]
    if years[0] != years[1]:
        raise UsageError(
            f"{old.name(years[0])} 是{years[0]}年度,{new.name(years[1])} 是{years[1]}年度:diff 比较同一年度的两个版本,"
            f"请给出同一年度的两个工作簿(或用 --year 指定年度)"
        )
    books: dict[object, Book] = {}
    compared: list[dict] = []  # the stored revisions compared (diff --history), for the manifest
    histories: dict[tuple[int, tuple[tuple[str, str], ...]], Earlier] = {}
    sides = []
    for side, side_year in zip((old, new), years):
        if side.computed is not None:
            sides.append(side.computed)
            continue
        pack = with_tie(side.pack, tie) if side.pack is not None else load_rules(side.rules, side_year, tie)
        where = side.path.resolve() if side.path is not None else side.revision
        if where not in books:
            if side.path is not None:
                books[where] = read_workbook(side.path, aliases, progress, side_year)
            else:
                assert side.revision is not None
                _say(progress, f"读取 历史库{side_year}年第{side.revision}版")
                books[where], entry = _stored_version(history, side_year, side.revision, aliases)
                compared.append(entry)
            _require_award_sheet(books[where])
        book = books[where]
        # The earlier years as this version's 单位名称对照 names them: read once when both versions name them alike.
        named = (side_year, tuple(sorted(book.aliases.items())))
        if named not in histories:
            histories[named] = read_earlier(history, side_year, previous_year, book.aliases)
        earlier = histories[named]
        _say(progress, f"计算 {book.source}")
        demotions = _demotions(book, side_year, pack, earlier)
        sides.append(
            Side(
                book,
                _awards(book, side_year, pack, earlier),
                demotions,
                _promotions(book, side_year, pack, earlier, demotions),
            )
        )
    result = diff_year(sides[0], sides[1])
    if compared and result.read is not None:
        result = replace(result, read=replace(result.read, history=(*compared, *result.read.history)))
    return result
