"""The kinds of document a year produces, and the data each one is rendered from.

Every context is built from the results of `awards` and `demotions` (and the
workbook's 容错认定 records): nothing here recomputes a rule. Each kind lists the
variables its template receives, so `--list-templates` can show them and the
template check can catch a misspelt name before a batch starts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sanshi.documents.phrasing import award_statement, case_statement
from sanshi.errors import RunWarning
from sanshi.results import (
    COUNTY_PROGRESS,
    DISTRICT_PROGRESS,
    POVERTY_EXCELLENT,
    TARGET_EXCELLENT,
    TOP_COUNTY,
    TOP_DISTRICT,
    Award,
    AwardsResult,
    Cited,
    DemotionsResult,
    Fact,
    Trigger,
    UnitGrade,
    total_wan,
)
from sanshi.rules import excellence
from sanshi.rules.arith import chinese_number, percent
from sanshi.rules.findings import parse_item
from sanshi.inputs.schema import EXEMPT, REDUCED
from sanshi.rules.cases import parse_case_key
from sanshi.inputs.schema import STRONG_TITLES
from sanshi.rules.params import RulePack
from sanshi.rules.tolerance import TARGET_CLAUSE, Exemption, scope_parts

TEMPLATE_SUFFIX = ".md.j2"
COMMON_VARIABLES = {
    "year": "考核年度(整数)",
    "doc": "发文设置:doc.issuer 发文机关署名、doc.header 版头、doc.code 代字、doc.serial 发文顺序号、"
    "doc.recipients 主送、doc.organs 主送机关的写法(配合 organ 过滤器)、doc.date 成文日期、"
    "doc.publicity_start/publicity_end 公示期、doc.contact 联系方式、doc.cc 抄送、doc.printer 印发机关、"
    "doc.print_date 印发日期",
    "policy": "规则包所依据的文件名称",
}


@dataclass(frozen=True)
class YearData:
    """What a year's documents are made from."""

    awards: AwardsResult
    demotions: DemotionsResult
    exemptions: list[Exemption]
    pack: RulePack


@dataclass(frozen=True)
class Job:
    """One document to render: its kind, whom it concerns, and its template's variables (without `doc`)."""

    kind: str
    subject: str
    unit: str | None  # the unit it concerns; None for a year-wide document
    context: dict[str, Any]


@dataclass(frozen=True)
class Kind:
    name: str
    one_per: str
    description: str
    variables: dict[str, str]
    build: Callable[[YearData], tuple[list[Job], list[RunWarning]]] = field(repr=False)

    @property
    def template(self) -> str:
        return f"{self.name}{TEMPLATE_SUFFIX}"


def _grade_row(grade: UnitGrade) -> dict[str, Any]:
    return {"unit": grade.unit, "score": grade.score, "rank": grade.rank}


def publicity(data: YearData) -> tuple[list[Job], list[RunWarning]]:
    """公示 of excellent units: one for 目标责任考核 and one for 脱贫攻坚 (激励 5(1), 5(3))."""
    jobs = []
    for assessment, units, award, subject in (
        (excellence.TARGET, data.awards.target_units, TARGET_EXCELLENT, "年度目标责任考核优秀单位"),
        (excellence.POVERTY, data.awards.poverty_units, POVERTY_EXCELLENT, "脱贫攻坚工作成效考核优秀单位"),
    ):
        cuts = [c for c in data.awards.cuts if c.assessment == assessment]
        if not cuts:
            continue
        groups = [
            {
                "name": cut.group,
                "units": [_grade_row(g) for g in units if g.group == cut.group and g.excellent],
                "count": cut.units,
                "quota": cut.quota,
                "ratio": percent(cut.ratio),
                "basis": cut.basis,
            }
            for cut in cuts
        ]
        jobs.append(
            Job(
                "公示",
                subject,
                None,
                {
                    "assessment": "目标责任考核" if assessment == excellence.TARGET else "脱贫攻坚工作成效考核",
                    "award": award,
                    "groups": groups,
                    "excellent_count": sum(len(g["units"]) for g in groups),
                    "clause": cuts[0].clause,
                },
            )
        )
    return jobs, []


def _award_row(a: Award) -> dict[str, Any]:
    return {
        "unit": a.unit,
        "award": a.award,
        "tier": a.tier,
        "amount": a.amount_wan,
        "clause": a.clause,
        "basis": a.basis,
        "statement": award_statement(a.facts),
        "facts": _facts(a.facts),
        "citations": _citations(a),
    }


def _citations(record: Cited) -> list[dict[str, Any]]:
    """The clause as data (办法, 条, 项, edition), for a template that words or groups its citations."""
    return [
        {"document": c.document, "article": c.article, "item": c.item, "edition": c.edition} for c in record.citations
    ]


def _facts(facts: Sequence[Fact]) -> list[dict[str, Any]]:
    """Facts as a template sees them: what, the year and the value, without where sanshi read them (a document
    states the facts, not their provenance)."""
    return [{"what": f.what, "value": f.value, "year": f.year} for f in facts]


def commendation(data: YearData) -> tuple[list[Job], list[RunWarning]]:
    """表彰通报 of the county awards (激励 5(2), 6(2)): one per year, when there are any."""
    awards = data.awards.awards
    county = [
        a for a in awards if a.award in (TOP_COUNTY, TOP_DISTRICT, COUNTY_PROGRESS, DISTRICT_PROGRESS, *STRONG_TITLES)
    ]
    pending = data.awards.undetermined
    warnings = (
        [
            RunWarning(
                "documents.pending_left_out",
                f"表彰通报未列入待定的 {'、'.join(f'{p.unit}({p.award})' for p in pending)}(未能判定,"
                f"不计入奖励资金共计):补齐所缺事实后重新生成",
                units=tuple(p.unit for p in pending),
            )
        ]
        if pending
        else []
    )
    if not county:
        return [], warnings

    def rows(name: str) -> list[dict[str, Any]]:
        return [_award_row(a) for a in county if a.award == name]

    tiers: list[dict[str, Any]] = []
    for a in county:
        if a.award == COUNTY_PROGRESS:
            if not tiers or tiers[-1]["tier"] != a.tier:
                tiers.append({"tier": a.tier, "amount": a.amount_wan, "units": []})
            tiers[-1]["units"].append(_award_row(a))
    strong = [
        {"title": t, "amount": next(a.amount_wan for a in county if a.award == t), "units": rows(t)}
        for t in STRONG_TITLES
        if any(a.award == t for a in county)
    ]
    return [
        Job(
            "表彰通报",
            "县域经济社会发展先进县(市、区)",
            None,
            {
                "top_counties": rows(TOP_COUNTY),
                "top_districts": rows(TOP_DISTRICT),
                "progress_tiers": tiers,
                "district_progress": rows(DISTRICT_PROGRESS),
                "strong_titles": strong,
                "total_amount": total_wan(county),
                "unpaid": [a.unit for a in county if a.amount_wan == 0],
                "previous_year": data.awards.previous.year,
                "clauses": list(dict.fromkeys(part for a in county for part in a.clause.split(";"))),
            },
        )
    ], warnings


def prize_money(data: YearData) -> tuple[list[Job], list[RunWarning]]:
    """奖励资金通知: one per unit with prize money (激励 6), listing every award of that unit; a unit whose only
    award floored to 0万元 is paid nothing and gets none."""
    by_unit: dict[str, list] = {}
    for a in data.awards.awards:
        by_unit.setdefault(a.unit, []).append(a)
    pending: dict[str, list[str]] = {}
    for p in data.awards.undetermined:
        pending.setdefault(p.unit, []).append(p.award)
    listed = [
        f"{unit}({'、'.join(names)})"
        for unit, names in pending.items()
        if any(a.amount_wan is not None for a in by_unit.get(unit, []))
    ]
    left = [
        f"{unit}({'、'.join(names)})"
        for unit, names in pending.items()
        if not any(a.amount_wan is not None for a in by_unit.get(unit, []))
    ]
    said = ([f"{'、'.join(listed)} 的通知只列已判定的奖励"] if listed else []) + (
        [f"{'、'.join(left)} 未生成通知"] if left else []
    )
    warnings = (
        [
            RunWarning(
                "documents.pending_left_out",
                f"奖励资金通知不含待定(未能判定)的奖励:{';'.join(said)};补齐所缺事实后重新生成",
                units=tuple(pending),
            )
        ]
        if said
        else []
    )
    jobs = []
    for unit, awards in by_unit.items():
        # A title whose amount floored to 0 pays nothing: it is a title here, and alone it makes no notice.
        paid = [a for a in awards if a.amount_wan]
        if not paid:
            continue
        jobs.append(
            Job(
                "奖励资金通知",
                unit,
                unit,
                {
                    "unit": unit,
                    "awards": [_award_row(a) for a in paid],
                    "titles": [_award_row(a) for a in awards if not a.amount_wan],
                    "total": total_wan(paid),
                },
            )
        )
    return jobs, warnings


def _trigger_row(t: Trigger) -> dict[str, Any]:
    """A case as a template sees it: the clause, the statement (its facts as a document words them), the basis
    (the workbook's wording, with where each value came from), the facts and the citations."""
    return {
        "clause": t.clause,
        "key": t.key,
        "statement": case_statement(t.facts),
        "basis": t.basis,
        "facts": _facts(t.facts),
        "citations": _citations(t),
    }


def interviews(data: YearData) -> tuple[list[Job], list[RunWarning]]:
    """谈话通知: one per person on the 能下 list who is not tolerated (能下 15(5) 告知理由, 16 影响期)."""
    people: dict[tuple[str, str], list[Trigger]] = {}
    warnings = []
    for t in data.demotions.candidates:
        if t.tolerated:
            continue
        if not t.name:
            warnings.append(
                RunWarning(
                    "documents.no_person",
                    f"{t.unit} {t.clause}:干部表未列出{t.role or '相关人员'},未生成谈话通知;补全后重新生成",
                    units=(t.unit,),
                    clause=t.clause,
                )
            )
            continue
        people.setdefault((t.unit, t.cadre_id or t.name), []).append(t)
    impact = data.pack.method_years("impact.years_by_method")
    jobs = []
    for (unit, _), triggers in people.items():
        first = triggers[0]
        jobs.append(
            Job(
                "谈话通知",
                first.name,
                unit,
                {
                    "person": {"name": first.name, "unit": unit, "position": first.position, "role": first.role},
                    "triggers": [_trigger_row(t) for t in triggers],
                    "impact": _impact_groups(impact),
                    "impact_clause": data.pack.clause("impact.years_by_method"),
                },
            )
        )
    return jobs, warnings


def _impact_groups(years_by_method: dict[str, int]) -> list[dict[str, Any]]:
    """能下 16 as the text words it: methods with the same period together, shortest first."""
    groups: dict[int, list[str]] = {}
    for method, years in years_by_method.items():
        if years:
            groups.setdefault(years, []).append(method)
    return [{"methods": methods, "years": years} for years, methods in sorted(groups.items())]


def tolerance_feedback(data: YearData) -> tuple[list[Job], list[RunWarning]]:
    """容错认定结果通知: one per 容错认定 record, with what it exempted this year (容错 8(4), 9)."""
    triggers = data.demotions.candidates + data.demotions.undetermined
    bonus_grade = data.pack.choice("tolerance.bonus_grade")
    jobs = []
    for e in data.exemptions:
        r = e.record
        covered = _clause_list(e.keys, data.pack) if e.keys is not None else []
        jobs.append(
            Job(
                "容错认定结果通知",
                f"{r.unit}{r.name or ''}",
                r.unit,
                {
                    "record": {
                        "unit": r.unit,
                        "name": r.name,
                        "ref": r.ref,
                        "case": r.case,
                        "case_item": _case_item(r.case),
                        "decided": r.decided,
                        "scope": r.scope,
                        "outcome": EXEMPT if e.exempt else REDUCED,
                    },
                    "scopes": scope_parts(r.scope),
                    "covered_clauses": covered,
                    "exempted": [
                        {"name": t.name, "unit": t.unit, **_trigger_row(t)}
                        for t in triggers
                        if t.tolerance_ref == r.ref and e.covers(t)
                    ],
                    "bonus_grade": bonus_grade if e.exempt and not r.name and e.covers_clause(*TARGET_CLAUSE) else None,
                    "bonus_clause": data.pack.clause("tolerance.bonus_grade"),
                },
            )
        )
    return jobs, []


def _case_item(case: str | None) -> str | None:
    """The 情形 column as the item of 容错纠错办法第六条 it names, read as the 条款 column is: (六), 六, 第(六)项 ->
    第(六)项; None otherwise."""
    item = parse_item(case, 6)
    return f"第({chinese_number(item)})项" if item else None


def _clause_list(keys: tuple[str, ...], pack: RulePack) -> list[str]:
    """Pack clause keys as the pack cites them: 8(1) -> 能上能下办法第八条第(一)项, 9 -> 能上能下办法第九条."""
    out = []
    for key in dict.fromkeys(keys):
        out.append(pack.cite(*parse_case_key(key)))
    return out


KINDS: tuple[Kind, ...] = (
    Kind(
        "公示",
        "每项考核一份(目标责任考核、脱贫攻坚)",
        "优秀单位公示:按类别列出优秀单位、公示期和反映问题的方式",
        {
            "assessment": "考核名称:目标责任考核 / 脱贫攻坚工作成效考核",
            "award": "称号全称",
            "groups": "按类别的优秀单位:name 类别(脱贫攻坚为空)、units(unit、score、rank)、count 参评单位数、"
            "quota 名额、ratio 比例、basis 名额测算",
            "excellent_count": "优秀单位总数",
            "clause": "所依据的条款",
        },
        publicity,
    ),
    Kind(
        "表彰通报",
        "每年一份",
        "县域经济社会发展先进县(市、区)表彰通报:十强县、五强区、争先进位奖、三个强县及奖金",
        {
            "top_counties": "十强县:unit、amount 万元、basis、clause",
            "top_districts": "五强区(同上)",
            "progress_tiers": "县域争先进位奖按等级:tier、amount、units",
            "district_progress": "城区争先进位奖",
            "strong_titles": "强县称号:title、amount、units",
            "total_amount": "奖励资金合计(万元)",
            "unpaid": "奖励资金按规定计为零、只授予称号的单位",
            "previous_year": "比较名次所用的上年(可能为空)",
            "clauses": "所依据的条款(列表)",
        },
        commendation,
    ),
    Kind(
        "奖励资金通知",
        "每个获奖单位一份",
        "该单位的各项奖励、金额和依据,合计,奖金分配方案由获奖单位制定",
        {
            "unit": "单位名称",
            "awards": "有奖金的奖项:award、tier、amount 万元、clause、statement 公文用的事实表述、basis",
            "titles": "不另设单位奖金的称号(如年度目标责任考核优秀单位)",
            "total": "奖励资金合计(万元)",
        },
        prize_money,
    ),
    Kind(
        "谈话通知",
        "能下名单中未容错免责的每人一份",
        "告知列入能下调整的情形、依据和其后的影响期",
        {
            "person": "本人:name、unit、position 职务、role 岗位类别",
            "triggers": "触发的情形:clause 条款、key 如8(2)、statement 公文用的事实表述、basis 工作簿的依据(含来源)",
            "impact": "调整后不得提拔的年数,按年数归并:methods 调整方式(列表)、years",
            "impact_clause": "影响期所依据的条款",
        },
        interviews,
    ),
    Kind(
        "容错认定结果通知",
        "容错认定表每条记录一份",
        "容错认定的情形、结论、范围及本年免除的能下情形",
        {
            "record": "认定记录:unit、name(针对单位时为空)、ref 文号、case 情形、case_item 情形对应的第六条第(X)项、decided 认定日期、scope 范围、outcome 结论(免责/减责)",
            "scopes": "范围的各项(空表示全部)",
            "covered_clauses": "范围对应的能下条款(范围为空时为空列表)",
            "exempted": "本年因此免除(结论为减责时为减责)的能下情形:name、unit、clause、statement 公文用的事实表述、basis",
            "bonus_grade": "单位目标责任考核奖金按此等次核发(不涉及时为空)",
            "bonus_clause": "奖金不受影响所依据的条款",
        },
        tolerance_feedback,
    ),
)
KINDS_BY_NAME = {k.name: k for k in KINDS}
KIND_NAMES = tuple(KINDS_BY_NAME)
