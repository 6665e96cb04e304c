"""鼓励激励办法 第五条第(一)项、第(三)项: the 35% cut for excellent units, and the
cadre 优秀 quotas that follow from it (第五条第(一)项 20%)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sanshi.errors import MissingDataError, RunWarning, TieError
from sanshi.inputs.records import AssessedUnit
from sanshi.inputs.schema import EXCELLENT, POVERTY_NAME, TARGET_NAME
from sanshi.results import POVERTY_EXCELLENT, TARGET_EXCELLENT, Award, CadreQuota, Fact, GroupCut, UnitGrade
from sanshi.rules import tolerance
from sanshi.rules.arith import num, percent, quota_formula, round_quota
from sanshi.rules.params import RulePack, with_overrides
from sanshi.rules.triggers import TriggerOutcome

TARGET, POVERTY = TARGET_NAME, POVERTY_NAME
_SECTION = {TARGET: "target", POVERTY: "poverty"}


@dataclass
class CutOutcome:
    grades: list[UnitGrade] = field(default_factory=list)
    cuts: list[GroupCut] = field(default_factory=list)
    warnings: list[RunWarning] = field(default_factory=list)


def competition_ranks(scores: Sequence[Decimal]) -> list[int]:
    """1 + the number of strictly higher scores: 95, 90, 90, 80 -> 1, 2, 2, 4."""
    ordered = sorted(scores, reverse=True)
    first_at: dict[Decimal, int] = {}
    for position, score in enumerate(ordered, start=1):
        first_at.setdefault(score, position)
    return [first_at[s] for s in scores]


def cut_excellent(units: Sequence[AssessedUnit], assessment: str, pack: RulePack) -> CutOutcome:
    """按照35%的比例,对综合得分排序靠前的单位授予优秀单位 (激励 5(1) / 5(3)).

    Within each 类别: quota = round(N × ratio) over all N units of the group; the pool
    is the units without a preset 等次 and not barred (不得评优); the first `quota`
    of the pool by score are 优秀. Equal scores straddling the cut are resolved by the
    排序 column, else by the tie policy; under `error` a TieError names the units.
    """
    section = _SECTION[assessment]
    ratio = pack.ratio(f"{section}.excellent_ratio")
    ratio_clause = pack.clause(f"{section}.excellent_ratio")
    rounding = pack.choice(f"{section}.rounding")
    policy = pack.choice(f"{section}.tie_policy")
    default_grade = pack.text(f"{section}.default_grade")
    outcome = CutOutcome()
    tie_messages: list[str] = []

    groups: dict[str, list[AssessedUnit]] = {}
    for unit in units:
        groups.setdefault(unit.group, []).append(unit)

    for group, members in groups.items():
        label = f"{assessment}" + (f" › 类别「{group}」" if group else "")
        n = len(members)
        quota = round_quota(n * ratio, rounding)
        formula = quota_formula(n, ratio, rounding, quota)
        pool = [u for u in members if u.preset_grade is None and not u.no_excellent]
        pool.sort(key=lambda u: (-u.score, u.order is None, u.order or 0))
        admitted, notes, message, tie_note = _admit(pool, quota, policy, assessment)
        if message:
            tie_messages.append(f"{label}: {message}")
            continue
        tied = tuple(u.unit for u in pool if notes and u.score == pool[quota - 1].score)
        outcome.warnings.extend(RunWarning("excellence.cut_tie", f"{label}: {note}", units=tied) for note in notes)
        if len(pool) < quota:
            outcome.warnings.append(
                RunWarning(
                    "excellence.pool_below_quota",
                    f"{label}: 可评优单位 {len(pool)} 个,少于名额 {quota} 个,全部评为优秀",
                )
            )

        ranks = dict(zip((u.unit for u in members), competition_ranks([u.score for u in members])))
        admitted_names = {u.unit for u in admitted}
        cut_score = min((u.score for u in admitted), default=None)
        group_text = f"类别「{group}」" if group else "全表"
        for unit in sorted(members, key=lambda u: (ranks[u.unit], u.order is None, u.order or 0)):
            rank = ranks[unit.unit]
            grade: str | None
            head = f"{group_text}{n}个单位,名额{formula};得分{num(unit.score)},组内第{rank}名"
            if unit.unit in admitted_names:
                extra = tie_note.format(order=unit.order) if unit.score == cut_score else ""
                grade, clause, basis = EXCELLENT, ratio_clause, f"{head},进入名额{extra}"
            elif unit.preset_grade is not None:
                grade, clause, basis = unit.preset_grade, ratio_clause, f"预定等次{unit.preset_grade};{head}"
            else:
                grade = default_grade or None
                clause = pack.clause(f"{section}.default_grade")
                reason = f"不得评优({unit.no_excellent})" if unit.no_excellent else "未进入名额"
                basis = f"{head},{reason}" + (f",评为{grade}" if grade else "")
            outcome.grades.append(
                UnitGrade(
                    unit.unit,
                    group,
                    unit.score,
                    rank,
                    grade,
                    grade == EXCELLENT,
                    clause,
                    basis,
                    preset=unit.preset_grade is not None,
                    barred=unit.no_excellent or None,
                )
            )
        outcome.cuts.append(
            GroupCut(
                assessment=assessment,
                group=group,
                units=n,
                ratio=ratio,
                rounding=rounding,
                quota=quota,
                eligible=len(pool),
                excellent=len(admitted),
                cut_score=cut_score,
                clause=ratio_clause,
                basis=f"{group_text}共{n}个单位,{formula};可评优{len(pool)}个,评为优秀{len(admitted)}个"
                + (f",名额线得分{num(cut_score)}" if cut_score is not None else ""),
            )
        )
    if tie_messages:
        raise TieError(*tie_messages)
    return outcome


def grade_facts(g: UnitGrade) -> tuple[Fact, ...]:
    """A unit's place in its group's cut, as an office states it (综合得分 96.26, 组内第1名)."""
    group = (Fact("类别", g.group),) if g.group else ()
    return (*group, Fact("综合得分", num(g.score)), Fact("组内名次", f"第{g.rank}名"))


def excellent_awards(grades: Sequence[UnitGrade], assessment: str, pack: RulePack) -> list[Award]:
    """The 优秀 titles of a cut as awards: the target assessment's carries no unit prize (its bonus is paid per
    person, 第六条第(一)项); 脱贫攻坚优秀单位 are paid the pack's amount each (第六条第(三)项)."""
    if assessment == TARGET:
        return [
            Award(
                g.unit,
                TARGET_EXCELLENT,
                None,
                None,
                g.clause,
                f"{g.basis};称号不另设单位奖金,考核奖金按第六条第(一)项发放到人",
                grade_facts(g),
            )
            for g in grades
            if g.excellent
        ]
    amount = pack.amount("poverty.amount")
    return [
        Award(
            g.unit,
            POVERTY_EXCELLENT,
            None,
            amount,
            f"{g.clause};{pack.clause('poverty.amount')}",
            f"得分{num(g.score)},组内第{g.rank}名,评为优秀:{num(amount)}万元",
            grade_facts(g),
        )
        for g in grades
        if g.excellent
    ]


def bar_poverty_cases(
    units: Sequence[AssessedUnit], cases: TriggerOutcome, exemptions: Sequence[tolerance.Exemption], pack: RulePack
) -> tuple[list[AssessedUnit], list[RunWarning]]:
    """第十条 cases of the 脱贫攻坚 sheet (those the pack's poverty.barring_cases names) keep a unit out of the pool;
    a case a 容错免责 decision covers does not (said in the returned notes)."""
    keys = set(pack.names("poverty.barring_cases"))
    fired: dict[str, list[str]] = {}
    undecided: dict[str, list[str]] = {}
    notes: list[RunWarning] = []
    for rows, into in ((cases.candidates, fired), (cases.undetermined, undecided)):
        for t in rows:
            if t.key not in keys:
                continue
            found = tolerance.exempting(exemptions, t.unit, None, t.article, t.item)
            if found is not None:
                note = RunWarning(
                    "excellence.bar_exempted",
                    f"{t.unit}的{t.clause}情形经容错认定免责({found.record.ref}),不因此不得评为脱贫攻坚优秀单位",
                    units=(t.unit,),
                    clause=t.clause,
                )
                if note not in notes:
                    notes.append(note)
                continue
            text = f"{t.clause}情形:{t.basis}"
            if text not in into.setdefault(t.unit, []):
                into[t.unit].append(text)
    return barred_by_cases(units, fired, undecided, POVERTY, pack), notes


def barred_by_cases(
    units: Sequence[AssessedUnit],
    fired: dict[str, list[str]],
    undecided: dict[str, list[str]],
    assessment: str,
    pack: RulePack,
) -> list[AssessedUnit]:
    """A unit the year's sheet shows in a 能下 case the pack names (第十条: 未完成计划、受到批评、数字脱贫) is not
    评为优秀: the case joins its 不得评优 reasons, so the list never both rewards and demotes it.

    `fired` maps a unit to the cases it is in (clause and facts); `undecided` to the facts a case still lacks.
    A unit of `undecided` that the cut would admit stops the run (MissingDataError): whether it is barred
    decides who is 优秀, and that is never guessed. One the cut leaves out changes nothing.
    """
    barred = [
        replace(u, no_excellent=";".join([*([u.no_excellent] if u.no_excellent else []), *fired[u.unit]]))
        if u.unit in fired
        else u
        for u in units
    ]
    if undecided:
        admitted = {g.unit for g in cut_excellent(barred, assessment, pack).grades if g.excellent}
        stops = [
            f"{assessment} › {unit}:{';'.join(why)}。该单位按得分会评为优秀,但有此情形的不得评优"
            f"({pack.clause('poverty.barring_cases')}),请先补齐"
            for unit, why in undecided.items()
            if unit in admitted
        ]
        if stops:
            raise MissingDataError(*stops)
    return barred


def possible_grades(units: Sequence[AssessedUnit], assessment: str, pack: RulePack) -> dict[str, tuple[UnitGrade, ...]]:
    """Each unit's grade as an earlier year's cut gave it. A tie at that year's cut that the 排序 column does
    not settle leaves both outcomes open (the year's own decision is not in the data): the unit then has
    the grade of each tie policy, include first."""
    try:
        return {g.unit: (g,) for g in cut_excellent(units, assessment, pack).grades}
    except TieError:
        key = f"{_SECTION[assessment]}.tie_policy"
        merged: dict[str, tuple[UnitGrade, ...]] = {}
        for policy in ("include", "exclude"):
            for g in cut_excellent(units, assessment, with_overrides(pack, **{key: policy})).grades:
                if all(g.grade != known.grade for known in merged.get(g.unit, ())):
                    merged[g.unit] = merged.get(g.unit, ()) + (g,)
        return merged


def _admit(
    pool: list[AssessedUnit], quota: int, policy: str, sheet: str
) -> tuple[list[AssessedUnit], list[str], str, str]:
    """The admitted units, notes for warnings, an error message if the tie must stop the run,
    and the note explaining the admission of tied units at the cut (empty without a tie)."""
    if quota <= 0:
        return [], [], "", ""
    if quota >= len(pool):
        return list(pool), [], "", ""
    cut = pool[quota - 1].score
    if pool[quota].score != cut:
        return pool[:quota], [], "", ""
    above = [u for u in pool if u.score > cut]
    tied = [u for u in pool if u.score == cut]
    places = quota - len(above)
    orders = [u.order for u in tied]
    names = "、".join(u.unit for u in tied)
    if all(o is not None for o in orders) and len(set(orders)) == len(orders):
        chosen = sorted(tied, key=lambda u: u.order or 0)[:places]  # every order is set here
        return (
            above + chosen,
            [f"名额线得分{num(cut)}并列({names}),按排序列取前{places}个"],
            "",
            "(名额线得分并列,按排序列第{order}位)",
        )
    if policy == "include":
        over = len(above) + len(tied) - quota
        return (
            above + tied,
            [f"名额线得分{num(cut)}并列({names}),按 include 全部评为优秀,超出名额{over}个"],
            "",
            "(名额线得分并列,按并列处理方式 include 一并评为优秀)",
        )
    if policy == "exclude":
        return above, [f"名额线得分{num(cut)}并列({names}),按 exclude 均不评为优秀,少于名额{places}个"], "", ""
    return (
        [],
        [],
        (
            f"名额{quota}个,第{len(above) + 1}至{len(above) + len(tied)}名得分并列({num(cut)}):{names},"
            f"只余{places}个名额。{_order_hint(tied, sheet)}"
            f"或用 --tie include(全部评为优秀)/ --tie exclude(均不评为优秀)"
        ),
        "",
    )


def _order_hint(tied: list[AssessedUnit], sheet: str) -> str:
    """What to change in the 排序 column: the cells, and which of them repeat a number."""
    cells = [f"{sheet} › {u.order_cell}" for u in tied if u.order_cell]
    where = f"({'、'.join(cells)})" if cells else ""
    counts = Counter(u.order for u in tied if u.order is not None)
    repeated = {order for order, count in counts.items() if count > 1}
    detail = "".join(
        f"{'、'.join(f'{sheet} › {u.order_cell}' for u in tied if u.order == o)} 都填了 {o};" for o in sorted(repeated)
    )
    return f"{detail}请在「排序」列{where}为这些单位填写各不相同的先后(1 在前),"


def cadre_quotas(units: Sequence[AssessedUnit], grades: Sequence[UnitGrade], pack: RulePack) -> list[CadreQuota]:
    """其党政干部年度考核优秀等次比例按20%确定 (激励 5(1)); others use the default ratio.

    Quota per unit = round(考核人数 × ratio) for units whose 考核人数 is given.
    """
    excellent = {g.unit for g in grades if g.excellent}
    grade_of = {g.unit: g.grade for g in grades}
    rounding = pack.choice("cadre_quota.rounding")
    quotas = []
    for unit in units:
        if unit.staff is None:
            continue
        key = "cadre_quota.excellent_unit_ratio" if unit.unit in excellent else "cadre_quota.default_ratio"
        ratio = pack.ratio(key)
        quota = round_quota(unit.staff * ratio, rounding)
        why = "优秀单位" if unit.unit in excellent else "非优秀单位"
        basis = f"{why},考核人数{unit.staff}×{percent(ratio)}={num(unit.staff * ratio)},取整为{quota}"
        quotas.append(CadreQuota(unit.unit, grade_of.get(unit.unit), unit.staff, ratio, quota, pack.clause(key), basis))
    return quotas
