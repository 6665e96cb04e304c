"""鼓励激励办法 第七条: the promotion lists.

7(1) cadres 优秀 in the annual assessment three or more consecutive years; 7(2) units 优秀 in
the target assessment three consecutive years; 7(3) the 10 outstanding county 党政正职, from
the three assessments combined as the pack documents (default: the mean of each county's
percentiles). People inside a 能下 16 impact period, or with an un-tolerated 能下 trigger this
year, are left out with the reason; a trigger that could not be judged leaves them undetermined.

Earlier years come as records from the caller, nearest first, as for the 能下 rules; a year
that is missing is never read as "not 优秀": the person or unit goes to `undetermined`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from sanshi.errors import ConflictError, RunWarning, TieError
from sanshi.inputs.normalize import name_key
from sanshi.inputs.records import AreaRank, AssessedUnit
from sanshi.inputs.schema import COUNTY, EXCELLENT, MONITORING_NAME, POVERTY_NAME, TARGET_NAME
from sanshi.results import (
    Component,
    CountyHead,
    Exclusion,
    ImpactPeriod,
    PromotedCadre,
    PromotedUnit,
    RankedCounty,
    Trigger,
)
from sanshi.rules.arith import num, percent
from sanshi.rules.demotion import (
    AREA_LABEL,
    NO_DATA,
    earlier_cadre_grade,
    earlier_grade,
    possible_target_grades,
)
from sanshi.rules.params import RulePack
from sanshi.rules.registry import Leaves
from sanshi.rules.triggers import Staff, YearRecords

TARGET, MONITORING, POVERTY = TARGET_NAME, MONITORING_NAME, POVERTY_NAME


@dataclass
class PromotionOutcome(Leaves):
    units: list[PromotedUnit] = field(default_factory=list)
    cadres: list[PromotedCadre] = field(default_factory=list)
    county_heads: list[CountyHead] = field(default_factory=list)


# ---- who is held back: 能下 16 and this year's triggers -----------------------------------------


class Holds:
    """This year's reasons not to promote someone: impact periods, un-tolerated and undetermined triggers."""

    def __init__(
        self, candidates: Sequence[Trigger], undetermined: Sequence[Trigger], impact_periods: Sequence[ImpactPeriod]
    ) -> None:
        self.blocking = [(p.name, p.unit, p.cadre_id, f"{p.clause}:{p.basis}") for p in impact_periods]
        self.blocking += [
            (t.name, t.unit, t.cadre_id, f"{t.clause}情形(未容错):{t.basis}")
            for t in candidates
            if t.name and not t.tolerated
        ]
        self.open = [(t.name, t.unit, t.cadre_id, f"{t.clause}未能判定:{t.basis}") for t in undetermined if t.name]
        self._blocking, self._open = _Reasons(self.blocking), _Reasons(self.open)

    def check(self, name: str, unit: str, cadre_id: str | None, clause: str, outcome: Leaves) -> bool:
        """True when the person may be listed; otherwise they go to excluded (or undetermined) with the reason."""
        blocked = self._blocking.of(name, unit, cadre_id)
        if blocked:
            outcome.excluded.append(
                Exclusion(name, unit, clause=clause, reason=";".join(dict.fromkeys(blocked)), cadre_id=cadre_id)
            )
            return False
        open_ = self._open.of(name, unit, cadre_id)
        if open_:
            outcome.undetermined.append(
                Exclusion(
                    name,
                    unit,
                    clause=clause,
                    reason="能下情形未能判定,须先判定:" + ";".join(dict.fromkeys(open_)),
                    cadre_id=cadre_id,
                )
            )
            return False
        return True


class _Reasons:
    """(name, unit, 干部编号, reason) entries found by person: an entry names the person asked about when both have
    a 干部编号 and they are equal, or when either lacks one and the 姓名 (as name_key) and 单位 are equal. Indexed,
    as a national year asks about thousands of people against thousands of entries; reasons in entry order."""

    def __init__(self, entries: Sequence[tuple[str, str, str | None, str]]) -> None:
        self.reasons = [why for _, _, _, why in entries]
        self.by_id: dict[str, list[int]] = {}
        self.by_name: dict[tuple[str, str], list[tuple[int, bool]]] = {}
        for index, (name, unit, cadre_id, _) in enumerate(entries):
            if cadre_id:
                self.by_id.setdefault(cadre_id, []).append(index)
            self.by_name.setdefault((name_key(name) if name else name, unit), []).append((index, bool(cadre_id)))

    def of(self, name: str, unit: str, cadre_id: str | None) -> list[str]:
        named = self.by_name.get((name_key(name), unit), [])
        if cadre_id:
            found = self.by_id.get(cadre_id, []) + [index for index, has_id in named if not has_id]
        else:
            found = [index for index, _ in named]
        return [self.reasons[index] for index in sorted(found)]


# ---- 7(1) cadres -----------------------------------------------------------------------------------


def excellent_cadres(years: Sequence[YearRecords], pack: RulePack, holds: Holds, outcome: PromotionOutcome) -> None:
    """连续三年以上年度考核获得优秀等次的党政干部: this year's grade, then each earlier year back."""
    current = years[0]
    if current.cadres is None:
        return
    need = pack.years("promotion.cadre_excellent_years")
    indexes = {y.year: y.grades for y in years[1:] if y.grades is not None}
    conflicts: list[str] = []
    for cadre in current.cadres:
        if cadre.grade != EXCELLENT:
            continue
        run, sources, missing = [current.year], [], ""
        for index, y in enumerate(years[1:]):
            known, state = earlier_cadre_grade(cadre, y, indexes.get(y.year), index == 0, current.where, conflicts)
            if known is None:
                missing = f"{y.year}年考核等次缺失" + (
                    "(历史库没有该年干部数据)" if state == NO_DATA else f"({y.where}干部表中没有此人或未填等次)"
                )
                break
            if known.values != {EXCELLENT}:
                break
            run.append(y.year)
            sources.append(f"{y.year}年取自{known.source}")
        years_run = tuple(sorted(run))
        if len(run) >= need:
            basis = f"{'、'.join(map(str, years_run))}年年度考核均为优秀,连续{len(run)}年(≥{need}年)" + (
                f";{';'.join(sources)}" if sources else ""
            )
            if holds.check(
                cadre.name, cadre.unit, cadre.cadre_id, pack.clause("promotion.cadre_excellent_years"), outcome
            ):
                outcome.cadres.append(
                    PromotedCadre(
                        cadre.name,
                        cadre.unit,
                        cadre_id=cadre.cadre_id,
                        position=cadre.position,
                        years=years_run,
                        clause=pack.clause("promotion.cadre_excellent_years"),
                        basis=basis,
                    )
                )
        elif missing:
            outcome.undetermined.append(
                Exclusion(
                    cadre.name,
                    cadre.unit,
                    clause=pack.clause("promotion.cadre_excellent_years"),
                    reason=f"{'、'.join(map(str, years_run))}年优秀,{missing},不能确定是否连续{need}年优秀",
                    cadre_id=cadre.cadre_id,
                )
            )
    if conflicts:
        raise ConflictError(*conflicts)


# ---- 7(2) units ------------------------------------------------------------------------------------


def excellent_units(
    years: Sequence[YearRecords], grades: dict[str, str | None], pack: RulePack, outcome: PromotionOutcome
) -> None:
    """连续三年获得年度目标责任考核优秀等次的市(区)和省直部门; `grades` is this year's outcome of the 35% cut."""
    current = years[0]
    if current.target is None:
        return
    need = pack.years("promotion.unit_excellent_years")
    earlier = years[1:need]
    history = {y.year: possible_target_grades(y.target, pack) for y in earlier if y.target is not None}
    conflicts: list[str] = []
    for unit in current.target:
        if grades.get(unit.unit) != EXCELLENT:
            continue
        run, sources, missing = [current.year], [], ""
        for index, y in enumerate(earlier):
            known = earlier_grade(unit, y, index == 0, history, current.where, conflicts)
            if known is None:
                missing = f"{y.year}年目标责任考核等次缺失" + (
                    "(历史库没有该年目标责任考核数据)" if y.target is None else f"({y.where}中没有该单位)"
                )
                break
            if EXCELLENT not in known.values:
                break
            if known.values != {EXCELLENT}:
                missing = f"{y.year}年为{known.text}(名额线并列未定)"
                break
            run.append(y.year)
            sources.append(f"{y.year}年取自{known.source}")
        years_run = tuple(sorted(run))
        if len(run) >= need:
            basis = f"{'、'.join(map(str, years_run))}年目标责任考核均为优秀,连续{need}年;{';'.join(sources)}"
            outcome.units.append(
                PromotedUnit(unit.unit, years_run, pack.clause("promotion.unit_excellent_years"), basis)
            )
        elif missing:
            outcome.undetermined.append(
                Exclusion(
                    "",
                    unit.unit,
                    clause=pack.clause("promotion.unit_excellent_years"),
                    reason=f"{'、'.join(map(str, years_run))}年优秀,{missing},不能确定是否连续{need}年优秀",
                )
            )
    if conflicts:
        raise ConflictError(*conflicts)


# ---- 7(3) outstanding county 党政正职 --------------------------------------------------------------


def county_ranking(
    ranks: Sequence[AreaRank] | None,
    target: Sequence[AssessedUnit] | None,
    poverty: Sequence[AssessedUnit] | None,
    pack: RulePack,
    outcome: PromotionOutcome,
) -> list[RankedCounty]:
    """Counties (县 and 城区) by the mean of their components' percentiles, best first.

    A percentile is the share of the other counties that did worse: worse / (n − 1), 1 for the
    best and 0 for the last (1 when a county is alone), among the counties that have that
    component. The monitoring rank counts within the county's own ranking (县(市) or 城区). A
    component no county has is left out; a county lacking a component the others have (a county
    outside the poverty assessment) is scored on the components it has, or left out when the
    pack says `exclude`; all with a warning.
    """
    assessments = pack.names("promotion.county_head_components")
    if not ranks:
        outcome.warnings.append(
            RunWarning(
                "promotion.no_monitoring_sheet", "工作簿没有县域监测表,未评定第七条第(三)项优秀县(市、区)党政正职"
            )
        )
        return []
    counties = {r.unit: r for r in ranks}
    values: dict[str, dict[str, Decimal]] = {
        TARGET: {u.unit: u.score for u in target or () if u.unit in counties},
        POVERTY: {u.unit: u.score for u in poverty or () if u.unit in counties},
        MONITORING: {u: Decimal(-r.rank) for u, r in counties.items()},  # negated: higher is better throughout
    }
    used = [c for c in assessments if values[c]]
    dropped = [c for c in assessments if not values[c]]
    if dropped:
        outcome.warnings.append(
            RunWarning(
                "promotion.components_dropped",
                f"{'、'.join(dropped)}表中没有县(市、区),第七条第(三)项只综合{'、'.join(used) or '(无)'}"
                f"({pack.clause('promotion.county_head_components')},规则包 promotion.county_head_components)",
                clause=pack.clause("promotion.county_head_components"),
            )
        )
    if not used:
        return []
    missing = {u: [c for c in used if u not in values[c]] for u in counties}
    partial = [u for u in counties if missing[u]]
    if pack.choice("promotion.county_head_missing") == "exclude":
        eligible = [u for u in counties if not missing[u]]
        if partial:
            outcome.warnings.append(
                RunWarning(
                    "promotion.component_missing",
                    f"{'、'.join(partial)} 缺少{'/'.join(used)}中的某项结果,未参加第七条第(三)项综合评定"
                    f"(规则包 promotion.county_head_missing = exclude)",
                    units=tuple(partial),
                )
            )
    else:
        eligible = list(counties)
        for c in used:
            lacking = [u for u in partial if c in missing[u]]
            if lacking:
                outcome.warnings.append(
                    RunWarning(
                        "promotion.component_missing",
                        f"{'、'.join(lacking)} 没有{c}结果,第七条第(三)项综合分只平均其余各项"
                        f"(规则包 promotion.county_head_missing = available)",
                        units=tuple(lacking),
                    )
                )
    # Each component's values among the eligible counties that have it (the monitoring rank within the county's
    # own ranking), sorted: how many did worse or better is two bisections, not a pass over every county.
    sorted_values: dict[tuple[str, str | None], list[Decimal]] = {}
    for c in used:
        for u in eligible:
            if u in values[c]:
                sorted_values.setdefault((c, counties[u].area_type if c == MONITORING else None), []).append(
                    values[c][u]
                )
    for population_values in sorted_values.values():
        population_values.sort()
    scored = []
    for unit in eligible:
        parts = []
        for c in used:
            if unit not in values[c]:
                continue
            population = sorted_values[(c, counties[unit].area_type if c == MONITORING else None)]
            mine = values[c][unit]
            worse = bisect_left(population, mine)
            rank = 1 + len(population) - bisect_right(population, mine)
            share = Fraction(worse, len(population) - 1) if len(population) > 1 else Fraction(1)
            text = (
                f"{AREA_LABEL[counties[unit].area_type]}第{counties[unit].rank}名"
                if c == MONITORING
                else f"得分{num(mine)}"
            )
            parts.append(Component(c, text, rank, len(population), share))
        score = sum((p.percentile for p in parts), Fraction(0)) / len(parts)
        scored.append((unit, score, tuple(parts)))
    tiebreak = pack.choice("promotion.county_head_tiebreak")
    scored.sort(key=lambda item: (-item[1], -_part(item[2], tiebreak), counties[item[0]].area_type != COUNTY, item[0]))
    ranked: list[RankedCounty] = []
    for position, (unit, score, components) in enumerate(scored, start=1):
        previous = ranked[-1] if ranked else None
        same = previous is not None and (previous.score, _part(previous.components, tiebreak)) == (
            score,
            _part(components, tiebreak),
        )
        ranked.append(
            RankedCounty(
                unit,
                score,
                place=previous.place if previous is not None and same else position,
                components=components,
            )
        )
    return ranked


def _part(parts: tuple[Component, ...], assessment: str) -> Fraction:
    return next((p.percentile for p in parts if p.assessment == assessment), Fraction(0))


def component_text(parts: Sequence[Component]) -> str:
    """目标责任考核得分92.5(第3/40,百分位94.87%)…"""
    return ";".join(f"{p.assessment}{p.value}(第{p.rank}/{p.count},百分位{percent(p.percentile)})" for p in parts)


def county_heads(
    ranking: Sequence[RankedCounty], staff: Staff, pack: RulePack, holds: Holds, outcome: PromotionOutcome
) -> None:
    """The 党政正职 of the counties in ranking order until the places are filled.

    Counties equal in score and tie-break share a place; when their heads together overflow the
    last places, the committee decides (exit 2), unless the pack's policy includes or excludes them.
    """
    if not ranking:
        return
    places = pack.count("promotion.county_heads")
    roles = pack.names("promotion.county_head_roles")
    if not staff.present:
        outcome.warnings.append(
            RunWarning(
                "promotion.no_cadre_sheet", "工作簿没有「干部」表,第七条第(三)项只列出县(市、区)综合排名,未列出党政正职"
            )
        )
        return
    groups: list[list[RankedCounty]] = []
    for county in ranking:
        if groups and groups[-1][0].place == county.place:
            groups[-1].append(county)
        else:
            groups.append([county])
    for group in groups:
        if len(outcome.county_heads) >= places:
            break
        heads = []
        for county in group:
            people = [c for role in roles for c in staff.holders(county.unit, role)]
            if not people:
                outcome.warnings.append(
                    RunWarning(
                        "promotion.no_head",
                        f"{county.unit} 在干部表中没有{'、'.join(roles)},第七条第(三)项无人可列",
                        units=(county.unit,),
                    )
                )
            basis = (
                f"综合第{county.place}名,综合分{percent(county.score)}(各项百分位的平均数):"
                f"{component_text(county.components)}"
            )
            heads += [
                CountyHead(
                    c.name,
                    county.unit,
                    score=county.score,
                    components=county.components,
                    place=county.place,
                    cadre_id=c.cadre_id,
                    position=c.position,
                    clause=pack.clause("promotion.county_heads"),
                    basis=basis,
                )
                for c in people
                if holds.check(c.name, county.unit, c.cadre_id, pack.clause("promotion.county_heads"), outcome)
            ]
        room = places - len(outcome.county_heads)
        if len(heads) > room:
            names = "、".join(f"{h.unit} {h.name}" for h in heads)
            raise TieError(
                f"第七条第(三)项名额线上并列:剩余{room}个名额,综合分同为{percent(group[0].score)}的县(市、区)"
                f"有党政正职{len(heads)}名({names}):请考核委员会确定,并在本地规则包中调整"
                f" promotion.county_heads,或更正有关数据"
            )
        outcome.county_heads.extend(heads)
