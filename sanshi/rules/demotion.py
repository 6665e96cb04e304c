"""能上能下办法 第八条至第十条: who the year's assessments name as 能下 candidates.

find_triggers also runs the 责任认定 rules of sanshi.rules.findings, so one call gives the year's list.

8(1) unit grade, 8(2) 民主测评 votes, 8(3) own annual grade, 9(1) rank decline,
9(2) 四项指标 position, 10(1)-(4) 脱贫攻坚. Rules over several years ("连续两年")
take the earlier years as records from the caller (workbook 上年 columns, history
store); a year that neither gives is never read as "not triggered": the person goes
to `undetermined` with the reason. Nothing here opens a file.
"""

from __future__ import annotations

from bisect import bisect_right

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from sanshi.errors import ConflictError, RunWarning
from sanshi.inputs.records import SEVERAL, AreaRank, AssessedUnit, Cadre, CadreGrades, PovertyFacts
from sanshi.inputs.schema import CADRE_GRADES, COUNTY, DISTRICT, NO, ROLES, TARGET_GRADES
from sanshi.results import Fact, Trigger
from sanshi.rules import censure, excellence, findings, tolerance
from sanshi.rules.arith import percent
from sanshi.rules.county import merge_last_ranks
from sanshi.rules.params import RulePack
from sanshi.rules.triggers import Staff, TriggerOutcome, YearRecords, person

AREA_LABEL = {COUNTY: "县(市)", DISTRICT: "城区"}


@dataclass(frozen=True)
class Known:
    """A value of an earlier year with where it came from; several values when a tie left it open."""

    values: frozenset[str]
    source: str

    @property
    def text(self) -> str:
        return "或".join(sorted(self.values))


@dataclass(frozen=True)
class Verdict:
    """How a multi-year rule came out: fired True, False, or None (undetermined, with the reason)."""

    fired: bool | None
    reason: str = ""


def judge(series: Sequence[tuple[int, Known | None, str]], wanted: Collection[str], what: str) -> Verdict:
    """Each earlier year's value against the wanted grades; any known miss decides 'not triggered'.

    `series` is (year, value or None, why it is missing). The run is triggered only when every
    year is known and inside `wanted`; a known value outside decides "no" whatever else is missing.
    """
    wanted_set = set(wanted)
    if any(k is not None and not (k.values & wanted_set) for _, k, _ in series):
        return Verdict(False)
    missing = [f"{y}年{what}缺失{why}" for y, k, why in series if k is None]
    open_ = [
        f"{y}年{what}为{k.text}(名额线并列未定)" for y, k, _ in series if k is not None and not k.values <= wanted_set
    ]
    if missing or open_:
        return Verdict(None, ";".join(missing + open_))
    return Verdict(True)


def history_depth(pack: RulePack) -> int:
    """How many earlier years the 能下 rules read: 连续N年 needs N − 1, a decline over N years needs N."""
    incidents = [t.years for key in findings.COUNTED.values() for ts in pack.thresholds(key).values() for t in ts]
    return max(
        pack.years("demotion.unit_ordinary_years") - 1,
        pack.years("demotion.cadre_basic_years") - 1,
        pack.years("demotion.decline_years"),
        pack.years("demotion.four_indicator_years") - 1,
        pack.years("demotion.rectification_years") - 1,
        *(n - 1 for n in incidents),
    )


def find_triggers(years: Sequence[YearRecords], pack: RulePack) -> TriggerOutcome:
    """All assessment-based 能下 triggers of years[0]; years[1:] are the earlier years, nearest first.

    A year that history does not have is still listed (with no sheets) so that its absence
    can be named. Disagreements between a workbook's 上年 columns and history are collected
    from every rule and raised together.
    """
    current = years[0]
    outcome = TriggerOutcome()
    conflicts: list[str] = []
    staff = Staff(current.cadres, pack)
    if not staff.present:
        outcome.warnings.append(
            RunWarning(
                "demotion.no_cadre_sheet",
                "工作簿没有「干部」表:单位触发的情形只列出单位和岗位,姓名空缺;第八条第(二)(三)项未判定",
            )
        )
    for rule in (_unit_grades, _votes, _cadre_grades, _declines, _four_indicators, _poverty, findings.find):
        try:
            rule(years, pack, staff, outcome)
        except ConflictError as exc:
            conflicts.extend(exc.conflicts)
    if conflicts:
        raise ConflictError(
            *conflicts,
            advice=f"以上{len(conflicts)}处工作簿与历史库不一致:请更正工作簿的上年列,"
            f"或重新导入以前年度数据(sanshi history import)",
        )
    order = {role: i for i, role in enumerate(ROLES)}
    for rows in (outcome.candidates, outcome.undetermined):
        rows.sort(key=lambda t: (t.article, t.item, t.unit, order.get(t.role or "", len(order)), t.name))
    return outcome


def poverty_cases(year: YearRecords, pack: RulePack) -> TriggerOutcome:
    """第十条 as one year's 脱贫攻坚 sheet states it, without the 干部 sheet (each row stands for a role): the
    awards read it to keep a unit with such a case out of the 35% pool (鼓励激励办法第五条第(三)项)."""
    outcome = TriggerOutcome()
    _poverty([year], pack, Staff(None, pack), outcome)
    return outcome


# ---- 8(1) 单位年度目标责任考核等次 -------------------------------------------------------


def possible_target_grades(units: Sequence[AssessedUnit], pack: RulePack) -> dict[str, frozenset[str]]:
    """Each unit's target grade as its year's 35% cut gave it; a tie the year left open gives both outcomes."""
    return {
        unit: frozenset(g.grade or "" for g in grades)
        for unit, grades in excellence.possible_grades(units, excellence.TARGET, pack).items()
    }


def _unit_grades(years: Sequence[YearRecords], pack: RulePack, staff: Staff, outcome: TriggerOutcome) -> None:
    """年度目标责任考核连续两年被评为一般等次,或者当年被评为较差等次的主要负责人."""
    current = years[0]
    if current.target is None:
        return
    poor, ordinary = pack.names("demotion.unit_poor_grades"), pack.names("demotion.unit_ordinary_grades")
    span = pack.years("demotion.unit_ordinary_years")
    run = run_of(ordinary, TARGET_GRADES, pack)
    now = possible_target_grades(current.target, pack)
    relevant = set(poor) | set(ordinary)
    earlier = years[1:span]
    history = {y.year: possible_target_grades(y.target, pack) for y in earlier if y.target is not None}
    exempted = {y.year: year_exemptions(y, pack) for y in earlier}
    conflicts: list[str] = []
    for unit in current.target:
        values = now[unit.unit]
        if not values & relevant:
            continue
        head = f"{current.year}年目标责任考核等次{_one(values)}"
        stated = Fact("目标责任考核等次", _one(values), current.year, current.where)
        if values <= set(poor):
            outcome.candidates.extend(
                staff.name(unit.unit, 8, 1, pack.clause("demotion.unit_poor_grades"), head, facts=(stated,))
            )
            continue
        if not values <= set(ordinary):
            outcome.undetermined.extend(
                staff.name(
                    unit.unit, 8, 1, pack.clause("demotion.unit_ordinary_grades"), f"{head}(名额线并列未定,须先确定)"
                )
            )
            continue
        series = []
        for index, y in enumerate(earlier):
            known = earlier_grade(unit, y, index == 0, history, current.where, conflicts)
            why = ""
            if known is None:
                why = (
                    (
                        f"(历史库没有{y.year}年目标责任考核数据"
                        if y.target is None
                        else f"({y.where}目标责任考核表中没有该单位"
                    )
                    + ("" if index else ",「上年等次」未填")
                    + ")"
                )
            series.append((y.year, known, why))
        broken = broken_by_tolerance(series, run, lambda y: tolerance.exempting(exempted[y], unit.unit, None, 8, 1))
        if broken:
            outcome.warnings.append(
                _broken_note(
                    f"{unit.unit}{head}", unit.unit, None, pack.clause("demotion.unit_ordinary_grades"), *broken, span
                )
            )
            continue
        _conclude(
            judge(series, run.earlier, "目标责任考核等次"),
            series,
            head,
            stated,
            span,
            run,
            outcome,
            lambda basis, into, facts: into.extend(
                staff.name(unit.unit, 8, 1, pack.clause("demotion.unit_ordinary_grades"), basis, facts=facts)
            ),
        )
    if conflicts:
        raise ConflictError(*conflicts)


def earlier_grade(
    unit: AssessedUnit,
    y: YearRecords,
    last_year: bool,
    history: dict[int, dict[str, frozenset[str]]],
    where: str,
    conflicts: list[str],
) -> Known | None:
    """A unit's target grade in an earlier year from history; last year's also from the 上年等次 column, cross-checked."""
    stored = history.get(y.year, {}).get(unit.unit)
    known = Known(stored, f"历史库{y.year}年") if stored is not None else None
    if not last_year:
        return known
    return with_column(
        known,
        unit.last_grade,
        "「上年等次」列",
        conflicts,
        lambda k: (
            f"{where} › 目标责任考核 › {unit.cell}: {unit.unit}「上年等次」为{unit.last_grade},"
            f"{k.source}目标责任考核等次为{k.text}"
        ),
    )


def with_column(
    known: Known | None, written: str | None, column: str, conflicts: list[str], conflict: Callable[[Known], str]
) -> Known | None:
    """Last year's value from the workbook's 上年 column, checked against history when both have it."""
    if written is None:
        return known
    if known is not None and written not in known.values:
        conflicts.append(conflict(known))
    return Known(frozenset({written}), column if known is None else f"{column},与{known.source}一致")


def _conclude(
    verdict: Verdict,
    series: Sequence[tuple[int, Known | None, str]],
    head: str,
    now: Fact,
    span: int,
    run: Run,
    outcome: TriggerOutcome,
    add: Callable[[str, list[Trigger], tuple[Fact, ...]], None],
) -> None:
    """Add the rows of a multi-year rule to candidates or undetermined, with the years as evidence: in words in
    the basis, and as facts (each year's value and where it was read, oldest first, this year's `now` last)."""
    known = [(y, k) for y, k, _ in series if k is not None]  # all of them when a run fired
    facts = (*(Fact(now.what, k.text, y, k.source) for y, k in reversed(known)), now)
    if verdict.fired:
        trail = "、".join(f"{y}年{k.text}(取自{k.source})" for y, k in reversed(known))
        worse = sorted({v for _, k in known for v in k.values} - set(run.wanted), key=run.scale.index)
        tail = f"连续{span}年{'/'.join(run.wanted)}"
        if worse:
            tail += (
                f"或更差({'、'.join(worse)}劣于{'/'.join(run.wanted)},按连续计算,"
                f"依据规则包 demotion.worse_grade_in_run:{run.clause})"
            )
        add(f"{trail};{head};{tail}", outcome.candidates, facts)
    elif verdict.fired is None:
        add(f"{head};{verdict.reason}", outcome.undetermined, facts)


@dataclass(frozen=True)
class Run:
    """The grades a run of years is made of (连续两年一般): the clause's grades and, when the pack lets a worse
    grade continue the run, every grade below them on the scale."""

    wanted: tuple[str, ...]
    scale: tuple[str, ...]  # best first
    earlier: frozenset[str]  # the grades an earlier year may have for the run to go on
    clause: str


def run_of(wanted: Sequence[str], scale: Sequence[str], pack: RulePack) -> Run:
    param = pack.choice("demotion.worse_grade_in_run")
    grades = set(wanted)
    if param == "continue":
        worst_wanted = min(scale.index(g) for g in wanted)
        grades |= set(scale[worst_wanted:])
    return Run(tuple(wanted), tuple(scale), frozenset(grades), pack.clause("demotion.worse_grade_in_run"))


def broken_by_tolerance(
    series: Sequence[tuple[int, Known | None, str]], run: Run, exempt: Callable[[int], tolerance.Exemption | None]
) -> tuple[int, tolerance.Exemption] | None:
    """The earliest-found earlier year of a run that a 容错免责 decision of that year covers (容错纠错办法第九条):
    such a year does not count toward 连续N年. Only a year whose grade would have continued the run matters."""
    for y, known, _ in series:
        found = exempt(y)
        if found is not None and (known is None or known.values & run.earlier):
            return y, found
    return None


def _broken_note(
    who: str, unit: str, name: str | None, clause: str, year: int, found: tolerance.Exemption, span: int
) -> RunWarning:
    return RunWarning(
        "demotion.run_broken_by_tolerance",
        f"{who},但{year}年经容错认定免责({found.record.ref}),该年不计入连续{span}年,未触发{clause}",
        units=(unit,),
        people=(name,) if name else (),
        clause=clause,
    )


def year_exemptions(y: YearRecords, pack: RulePack) -> list[tolerance.Exemption]:
    """An earlier year's 容错认定 records as that year's store has them (none without the sheet)."""
    return tolerance.exemptions(y.tolerance, pack, y.where) if y.tolerance is not None else []


def _one(values: frozenset[str]) -> str:
    return "或".join(sorted(values))


# ---- 8(2) 民主测评 ---------------------------------------------------------------------------


def ratio_text(value: Fraction, threshold: Fraction) -> str:
    """A share as a percentage with one decimal, more when one decimal would hide the comparison.

    12/40 -> 30.0%; 2997/10000 against 30% -> 29.97% (never "30.0%<30%").
    """
    for places in range(1, 7):
        scaled = value * 100 * 10**places
        rounded = Fraction((scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator), 10**places)
        if (rounded == threshold * 100) == (value == threshold):
            return f"{float(rounded):.{places}f}%"
    return f"{float(value * 100):.6f}%"


def _votes(years: Sequence[YearRecords], pack: RulePack, staff: Staff, outcome: TriggerOutcome) -> None:
    """年度考核民主测评基本称职和不称职得票率在30%以上的党政领导干部 (2016: 且不称职得票率超过15%)."""
    cadres = years[0].cadres
    if cadres is None:
        return
    bad, incompetent = pack.ratio("demotion.vote_bad_ratio"), pack.optional_ratio("demotion.vote_incompetent_ratio")
    without = 0
    for cadre in cadres:
        votes = cadre.votes
        if not votes.given:
            without += 1
            continue
        total = votes.total if votes.total is not None else votes.cast
        if total == 0:
            outcome.undetermined.append(
                person(cadre, 8, 2, pack.clause("demotion.vote_bad_ratio"), "民主测评总票数为0,无法计算得票率")
            )
            continue
        basic, worst = votes.basic or 0, votes.incompetent or 0
        # (basic + worst) / total < bad, in integers: most of 200,000 cadres are far below it.
        if (basic + worst) * bad.denominator < bad.numerator * total:
            continue
        share = Fraction(basic + worst, total)
        total_text = f"{total}" if votes.total is not None else f"{total}(各票之和)"
        if votes.total is not None and votes.total > votes.cast:
            total_text += f"(含未投或弃权{votes.total - votes.cast}票)"
        basis = (
            f"基本称职票{basic}+不称职票{worst}={basic + worst}/{total_text}={ratio_text(share, bad)}≥{percent(bad)}"
        )
        clause = pack.clause("demotion.vote_bad_ratio")
        if incompetent is not None:
            worst_share = Fraction(worst, total)
            if worst_share <= incompetent:
                continue
            basis += f";不称职票{worst}/{total}={ratio_text(worst_share, incompetent)}>{percent(incompetent)}"
            clause = pack.clause("demotion.vote_incompetent_ratio")
        facts: tuple[Fact, ...] = (
            Fact("民主测评基本称职和不称职票", f"{basic + worst}/{total}", years[0].year, years[0].where),
            Fact("民主测评基本称职和不称职得票率", ratio_text(share, bad), years[0].year),
        )
        if incompetent is not None:
            facts += (Fact("民主测评不称职得票率", ratio_text(Fraction(worst, total), incompetent), years[0].year),)
        outcome.candidates.append(person(cadre, 8, 2, clause, basis, facts))
    if without and without < len(cadres):
        outcome.warnings.append(
            RunWarning("demotion.no_votes", f"干部表中{without}人没有民主测评票数,未判定第八条第(二)项")
        )
    elif without:
        outcome.warnings.append(RunWarning("demotion.no_votes", "干部表没有民主测评票数,未判定第八条第(二)项"))


# ---- 8(3) 干部年度考核等次 -----------------------------------------------------------------


NO_DATA, ABSENT, UNGRADED, AMBIGUOUS = "无数据", "没有此人", "未填等次", "多行同名"


def earlier_cadre_grade(
    cadre: Cadre, y: YearRecords, index: CadreGrades | None, last_year: bool, where: str, conflicts: list[str]
) -> tuple[Known | None, str]:
    """A cadre's grade in an earlier year, and how that year's 干部 sheet answered.

    The sheet is searched by 干部编号, else 姓名+单位; last year's grade also comes from the
    「上年考核等次」 column, cross-checked with history. The state is "" when the sheet had the grade,
    else NO_DATA (no sheet), ABSENT, UNGRADED or AMBIGUOUS (several rows; a conflict is recorded).
    """
    known, state = None, NO_DATA
    if index is not None:
        present, grade, how = index.find(cadre)
        if how == SEVERAL:
            conflicts.append(
                f"{where} › 干部 › {cadre.cell}: {cadre.name}({cadre.unit})在{y.where}干部表中"
                f"有多行同名同单位,无法确定是哪一位:请在两年的干部表中填写「干部编号」"
            )
            return None, AMBIGUOUS
        if not present:
            state = ABSENT
        elif grade is None:
            state = UNGRADED
        else:
            known, state = Known(frozenset({grade}), f"{y.where}按{how}对应"), ""
    if last_year:
        known = with_column(
            known,
            cadre.last_grade,
            "「上年考核等次」列",
            conflicts,
            lambda k: (
                f"{where} › 干部 › {cadre.last_grade_cell}: {cadre.name}({cadre.unit})"
                f"「上年考核等次」为{cadre.last_grade},{k.source}的年度考核等次为{k.text}"
            ),
        )
    return known, state


def _cadre_grades(years: Sequence[YearRecords], pack: RulePack, staff: Staff, outcome: TriggerOutcome) -> None:
    """年度考核结果为不称职等次,或者连续两年为基本称职等次的党政领导干部."""
    current = years[0]
    if current.cadres is None:
        return
    poor, basic = pack.names("demotion.cadre_poor_grades"), pack.names("demotion.cadre_basic_grades")
    span = pack.years("demotion.cadre_basic_years")
    run = run_of(basic, CADRE_GRADES, pack)
    earlier = years[1:span]
    indexes = {y.year: y.grades for y in earlier if y.grades is not None}
    exempted = {y.year: year_exemptions(y, pack) for y in earlier}
    conflicts: list[str] = []
    for cadre in current.cadres:
        if cadre.grade not in poor and cadre.grade not in basic:
            continue
        now = Fact("年度考核等次", str(cadre.grade), current.year, current.where)
        if cadre.grade in poor:
            outcome.candidates.append(
                person(
                    cadre,
                    8,
                    3,
                    pack.clause("demotion.cadre_poor_grades"),
                    f"{current.year}年年度考核等次{cadre.grade}",
                    (now,),
                )
            )
            continue
        series = []
        for index, y in enumerate(earlier):
            known, state = earlier_cadre_grade(cadre, y, indexes.get(y.year), index == 0, current.where, conflicts)
            if state == AMBIGUOUS:
                continue
            why = ""
            if known is None:
                why = {
                    NO_DATA: f"(历史库没有{y.year}年干部数据",
                    ABSENT: f"({y.where}干部表中没有此人",
                    UNGRADED: f"({y.where}干部表中此人未填年度考核等次",
                }[state]
                why += ("" if index else ",「上年考核等次」未填") + ")"
            series.append((y.year, known, why))
        broken = broken_by_tolerance(
            series, run, lambda y: tolerance.exempting(exempted[y], cadre.unit, cadre.name, 8, 3)
        )
        if broken:
            outcome.warnings.append(
                _broken_note(
                    f"{cadre.name}({cadre.unit}){current.year}年年度考核等次{cadre.grade}",
                    cadre.unit,
                    cadre.name,
                    pack.clause("demotion.cadre_basic_grades"),
                    *broken,
                    span,
                )
            )
            continue
        _conclude(
            judge(series, run.earlier, "考核等次"),
            series,
            f"{current.year}年年度考核等次{cadre.grade}",
            now,
            span,
            run,
            outcome,
            lambda basis, into, facts: into.append(
                person(cadre, 8, 3, pack.clause("demotion.cadre_basic_grades"), basis, facts)
            ),
        )
    if conflicts:
        raise ConflictError(*conflicts)


# ---- 9(1) 县域监测退位幅度 ------------------------------------------------------------------


@dataclass(frozen=True)
class Decline:
    unit: str
    last: int
    rank: int
    place: int  # competition place among the year's declines of the same ranking

    @property
    def size(self) -> int:
        return self.rank - self.last


def decline_places(ranks: Sequence[AreaRank], last_ranks: dict[str, int], area_type: str) -> dict[str, Decline]:
    """Declines (名次 − 上年名次 > 0) of one ranking, competition-placed: 3, 3, 2, 2, 1 -> 1, 1, 3, 3, 5."""
    sizes = {
        r.unit: (last_ranks[r.unit], r.rank)
        for r in ranks
        if r.area_type == area_type and r.unit in last_ranks and r.rank > last_ranks[r.unit]
    }
    ordered = sorted((rank - last for last, rank in sizes.values()), reverse=True)
    first_at: dict[int, int] = {}
    for position, size in enumerate(ordered, start=1):
        first_at.setdefault(size, position)
    return {unit: Decline(unit, last, rank, first_at[rank - last]) for unit, (last, rank) in sizes.items()}


def merged_last_ranks(year: YearRecords, before: YearRecords) -> dict[str, int] | None:
    """A year's 上年名次: its own column, checked against the year before's ranks; None when neither exists."""
    history = {r.unit: r.rank for r in before.ranks} if before.ranks is not None else None
    column = any(r.last_rank is not None for r in year.ranks or ())
    if history is None and not column:
        return None
    sizes = Counter(r.area_type for r in before.ranks) if before.ranks is not None else None
    return merge_last_ranks(year.ranks or (), history, before.year, f"{year.where} › 县域监测", sizes)


def _declines(years: Sequence[YearRecords], pack: RulePack, staff: Staff, outcome: TriggerOutcome) -> None:
    """县域经济社会发展监测考评连续两年退位幅度在前3名的县(市)和退位幅度最大的城区主要负责人.

    `years` must reach one year further back than the span: a year's decline needs the year before it.
    """
    current = years[0]
    if current.ranks is None:
        return
    if not current.ranks:
        outcome.warnings.append(
            RunWarning("demotion.no_ranks", "县域监测表没有数据行,未判定能上能下办法第九条第(一)项(退位幅度)")
        )
        return
    span = pack.years("demotion.decline_years")
    lasts = [merged_last_ranks(years[i], years[i + 1]) if years[i].ranks is not None else None for i in range(span)]
    if lasts[0] is None:
        outcome.warnings.append(
            RunWarning(
                "demotion.no_last_rank",
                f"县域监测没有上年名次(工作簿无「上年名次」列,历史库无{years[1].year}年县域监测数据),未判定第九条第(一)项",
            )
        )
        return
    for area_type, key in ((COUNTY, "demotion.decline_counties"), (DISTRICT, "demotion.decline_districts")):
        top = pack.count(key)
        label = AREA_LABEL[area_type]
        head = f"{label}退位幅度" + (f"前{top}名(含并列)" if top > 1 else "最大(含并列)")
        places = [
            decline_places(ranks, last, area_type)
            if (ranks := years[i].ranks) is not None and (last := lasts[i]) is not None
            else None
            for i in range(span)
        ]
        first_places, first_last = places[0], lasts[0]
        assert first_places is not None and first_last is not None and current.ranks is not None  # checked above
        unplaced = [r.unit for r in current.ranks if r.area_type == area_type and r.unit not in first_last]
        if unplaced:
            outcome.warnings.append(
                RunWarning(
                    "demotion.no_last_rank",
                    f"{label}中 {'、'.join(unplaced)} 没有上年名次,未参加{current.year}年退位幅度排序",
                    units=tuple(unplaced),
                )
            )
        for unit, decline in sorted(first_places.items(), key=lambda item: (item[1].place, item[0])):
            if decline.place > top:
                continue
            evidence, reasons, fired = [_decline_text(current.year, decline)], [], True
            facts = [_decline_fact(current.year, decline)]
            for i in range(1, span):
                year = years[i].year
                that_year = places[i]
                found = that_year.get(unit) if that_year is not None else None
                if found is not None:
                    fired = found.place <= top
                    evidence.append(_decline_text(year, found))
                    facts.append(_decline_fact(year, found))
                elif that_year is None:
                    reasons.append(f"{year}年退位幅度缺失(缺少{year}年或{years[i + 1].year}年县域监测名次)")
                elif unit in (lasts[i] or {}) and any(r.unit == unit for r in years[i].ranks or ()):
                    fired = False  # ranked both years and did not decline
                    evidence.append(f"{year}年未退位")
                else:
                    reasons.append(f"{year}年退位幅度缺失(该单位缺少{year}年或{years[i + 1].year}年名次)")
                if not fired:
                    break
            if fired:
                rows = staff.name(unit, 9, 1, pack.clause(key), "")
                _report_run(outcome, rows, head, span, evidence, reasons, facts)


def _report_run(
    outcome: TriggerOutcome,
    rows: list[Trigger],
    head: str,
    span: int,
    evidence: list[str],
    reasons: list[str],
    facts: list[Fact],
) -> None:
    """A place held in every known year: a candidate when all years are known, else undetermined with why. The
    years' places come newest first; the basis and the facts give them oldest first."""
    text = ";".join(reversed(evidence))
    known = tuple(reversed(facts))
    if reasons:
        outcome.undetermined.extend(replace(r, basis=f"{head}:{text};{';'.join(reasons)}", facts=known) for r in rows)
    else:
        outcome.candidates.extend(replace(r, basis=f"连续{span}年{head}:{text}", facts=known) for r in rows)


def _decline_text(year: int, decline: Decline) -> str:
    return f"{year}年名次{decline.last}→{decline.rank},退{decline.size}位,退位幅度第{decline.place}名"


def _decline_fact(year: int, decline: Decline) -> Fact:
    """第8名降至第15名,后退7位,退位幅度第1名."""
    return Fact(
        "县域监测名次变化",
        f"由第{decline.last}名降至第{decline.rank}名,后退{decline.size}位,退位幅度第{decline.place}名",
        year,
    )


# ---- 9(2) 四项指标综合排位 ------------------------------------------------------------------


def places_from_bottom(ranks: Sequence[AreaRank], area_type: str) -> dict[str, tuple[int, int, int]]:
    """(排位, 位次 counted from the last, units ranked) of each unit with a 四项指标排位 in one ranking."""
    values = {
        r.unit: r.four_indicator_rank for r in ranks if r.area_type == area_type and r.four_indicator_rank is not None
    }
    ordered = sorted(values.values())
    # 位次 from the last: 1 + how many units have a larger (worse) 排位; bisect keeps it n log n for 2,900 counties.
    return {
        unit: (value, 1 + len(ordered) - bisect_right(ordered, value), len(values)) for unit, value in values.items()
    }


def _four_indicators(years: Sequence[YearRecords], pack: RulePack, staff: Staff, outcome: TriggerOutcome) -> None:
    """居民人均可支配收入等四项指标连续两年综合排位后3名的县(市)和排位最后的城区主要负责人."""
    current = years[0]
    if current.ranks is None:
        return
    if "县域监测.four_indicator_rank" not in current.columns:
        outcome.warnings.append(
            RunWarning("demotion.no_indicator_rank", "县域监测表没有「四项指标排位」列,未判定第九条第(二)项")
        )
        return
    span = pack.years("demotion.four_indicator_years")
    for area_type, key in (
        (COUNTY, "demotion.four_indicator_counties"),
        (DISTRICT, "demotion.four_indicator_districts"),
    ):
        last_n = pack.count(key)
        label = AREA_LABEL[area_type]
        head = f"四项指标综合排位{label}" + (f"后{last_n}名" if last_n > 1 else "最后")
        per_year = [
            places_from_bottom(ranks, area_type)
            if (ranks := years[i].ranks) is not None and "县域监测.four_indicator_rank" in years[i].columns
            else None
            for i in range(span)
        ]
        first_year = per_year[0]
        assert first_year is not None  # this year has the sheet and the column (checked above)
        missing = [r.unit for r in current.ranks if r.area_type == area_type and r.four_indicator_rank is None]
        if missing:
            outcome.warnings.append(
                RunWarning(
                    "demotion.no_indicator_rank",
                    f"{label}中 {'、'.join(missing)} 没有四项指标排位,后{last_n}名只在有排位的单位中确定",
                    units=tuple(missing),
                )
            )
        for unit, place in sorted(first_year.items(), key=lambda item: item[1][1]):
            if place[1] > last_n:
                continue
            evidence, reasons, fired = [_bottom_text(current.year, place)], [], True
            facts = [_bottom_fact(current.year, place)]
            for i in range(1, span):
                year = years[i].year
                that_year = per_year[i]
                found = that_year.get(unit) if that_year is not None else None
                if found is None:
                    reasons.append(
                        f"{year}年四项指标排位缺失"
                        + ("(历史库没有该年县域监测四项指标排位)" if per_year[i] is None else "(该单位无排位)")
                    )
                    continue
                evidence.append(_bottom_text(year, found))
                facts.append(_bottom_fact(year, found))
                if found[1] > last_n:
                    fired = False
                    break
            if fired:
                rows = staff.name(unit, 9, 2, pack.clause(key), "")
                _report_run(outcome, rows, head, span, evidence, reasons, facts)


def _bottom_text(year: int, place: tuple[int, int, int]) -> str:
    value, from_bottom, count = place
    return f"{year}年第{value}位(共{count}个,倒数第{from_bottom})"


def _bottom_fact(year: int, place: tuple[int, int, int]) -> Fact:
    value, from_bottom, count = place
    return Fact("四项指标综合排位", f"第{value}位(共{count}个,倒数第{from_bottom}位)", year)


# ---- 10 脱贫攻坚 --------------------------------------------------------------------------------

POVERTY_ITEMS: tuple[tuple[int, str, str], ...] = (
    (1, "plan_completed", "未完成年度脱贫计划任务"),
    (2, "criticized", "受到批评或通报批评"),
    (3, "preset_grade", "脱贫攻坚工作成效考核等次"),
    (4, "fraud", "弄虚作假、搞“数字脱贫”"),
)
POVERTY_FACTS = {  # how each is named as a fact
    "plan_completed": "完成年度脱贫计划任务",
    "criticized": "受到批评或通报批评",
    "preset_grade": "脱贫攻坚工作成效考核等次",
    "fraud": "弄虚作假、搞“数字脱贫”",
}
POVERTY_HEADERS = {
    "plan_completed": "完成年度计划",
    "criticized": "通报批评",
    "preset_grade": "等次",
    "fraud": "数字脱贫",
}


def _poverty(years: Sequence[YearRecords], pack: RulePack, staff: Staff, outcome: TriggerOutcome) -> None:
    """未完成年度脱贫计划、受到批评、当年评为差等次、搞“数字脱贫”单位的党政主要领导干部和分管领导干部.

    10(2) only on the pack's bodies: 受到党中央、国务院批评,或者受到省委、省政府通报批评且问题严重.
    """
    current = years[0]
    if current.poverty is None:
        return
    bad = pack.names("demotion.poverty_bad_grades")
    absent = [POVERTY_HEADERS[f] for _, f, _ in POVERTY_ITEMS if f"脱贫攻坚.{f}" not in current.columns]
    if absent:
        outcome.warnings.append(
            RunWarning(
                "demotion.poverty_columns_missing", f"脱贫攻坚表没有「{'」「'.join(absent)}」列,相应的第十条各项未判定"
            )
        )
    criticism = Criticism(pack, outcome)
    for facts in current.poverty:
        for item, field_name, what in POVERTY_ITEMS:
            value = getattr(facts, field_name)
            if field_name == "plan_completed":
                fired, basis = value == NO, f"{current.year}年完成年度计划:否"
            elif field_name == "preset_grade":
                fired, basis = value in bad, f"{current.year}年{what}为{value}"
            else:
                fired, basis = bool(value), f"{current.year}年{what}:{value}"
            stated = (
                Fact(
                    POVERTY_FACTS[field_name],
                    "否" if field_name == "plan_completed" else str(value),
                    current.year,
                    current.where,
                ),
            )
            if fired and field_name == "criticized":
                criticism.judge(facts, basis, staff, stated)
            elif fired:
                clause = (
                    pack.clause("demotion.poverty_bad_grades") if field_name == "preset_grade" else pack.cite(10, item)
                )
                outcome.candidates.extend(staff.name(facts.unit, 10, item, clause, basis, facts=stated))
    if criticism.unnamed and "脱贫攻坚.criticized_by" not in current.columns:
        outcome.warnings.append(
            RunWarning(
                "demotion.criticism_body_missing",
                f"脱贫攻坚表没有「批评机关」列:{'、'.join(criticism.unnamed)}的「通报批评」"
                f"未能判定第十条第(二)项(须写明批评机关,省委、省政府批评还须写明「问题严重」)",
                units=tuple(criticism.unnamed),
            )
        )


class Criticism:
    """10(2): a 通报批评 entry against the pack's conditions ([demotion.poverty_criticism]).

    The 「通报批评」 column says what the unit was criticized for; 「批评机关」 and 「问题严重」 decide
    whether it is a case of 10(2). A blank fact the conditions need makes the row undetermined.
    """

    def __init__(self, pack: RulePack, outcome: TriggerOutcome) -> None:
        self.conditions = pack.censures("demotion.poverty_criticism").get("10(2)")
        self.clause = pack.cite(10, 2)
        self.bodies = censure.Bodies(pack)
        self.outcome = outcome
        self.unnamed: list[str] = []  # units whose entry names no body

    def judge(self, facts: PovertyFacts, basis: str, staff: Staff, stated: tuple[Fact, ...]) -> None:
        clause = self.clause
        stated += tuple(
            Fact(what, value, stated[0].year, stated[0].source)
            for what, value in (("批评机关", facts.criticized_by), ("问题严重", facts.serious))
            if value
        )
        if not self.conditions:  # a pack without conditions: the entry is the case
            self.outcome.candidates.extend(staff.name(facts.unit, 10, 2, clause, basis, facts=stated))
            return
        # The column is the 通报批评 itself, so the treatment is stated by the column.
        ruling = censure.rule(self.conditions, self.bodies, facts.criticized_by, "通报批评", facts.serious, "批评机关")
        needed = censure.requirement(self.conditions)
        if ruling.fired:
            self.outcome.candidates.extend(
                staff.name(facts.unit, 10, 2, clause, f"{basis};{ruling.text}", facts=stated)
            )
        elif ruling.fired is None:
            if not facts.criticized_by:
                self.unnamed.append(facts.unit)
            self.outcome.undetermined.extend(
                staff.name(facts.unit, 10, 2, clause, f"{basis};{ruling.text}(本项须{needed})", facts=stated)
            )
        elif ruling.unknown:
            self.outcome.warnings.append(
                RunWarning(
                    "demotion.criticism_body_unlisted",
                    f"{facts.unit}的脱贫攻坚「通报批评」由{'、'.join(ruling.unknown)}作出,不是{clause}所列的机关({needed}),"
                    f"未列入;如是所列机关的其他写法,请在规则包 demotion.body_aliases 中补充",
                    units=(facts.unit,),
                    clause=clause,
                )
            )
