"""能上能下办法 第六条、第八条第(四)项、第十一条至第十三条: 能下 triggers from the 责任认定 sheet.

Each row of 责任认定 is a finding against a unit in one field (领域). The pack maps each field to
a clause ([demotion.finding_areas]); how the clause decides is fixed here:

- 6 党建, 11 生态环保 (item from the 条款 column): each finding is a case, when the body the text
  names made it (6(1)-(3): 中组部/中宣部 or 省委 通报批评; 11(1): 党中央、国务院批评, or 省委、省政府
  通报批评且问题严重 — [demotion.finding_censures], checked by sanshi.rules.censure);
- 8(4) 全国考核评比 (最后档次 or the last N): a case for a 省级部门 in an evaluation run by 党中央、国务院
  or a 国家部委 ([demotion.national_levels], [demotion.national_bodies]);
- 12(1) 安全生产, 12(2) 食品药品, 13(1) 综治维稳: findings are counted per unit and calendar
  year ("一年内": the year of 发生日期, else of the 认定日期 「日期」) by grade, against thresholds by the
  unit's level (县/市/省级部门) — e.g. a county with 1 重大 or 2 较大 accidents in a year; some
  thresholds run over consecutive years; 12(1) also fires on 党中央、国务院通报批评 or 省委、省政府责任追究
  ([demotion.safety_censure]: the 「通报」 body with the 「处理」);
- 13(2) 综治重点整顿: a finding in each of the consecutive years.

People the 「姓名」 column names are added only under the clauses whose text says 有关领导干部
([demotion.named_people_clauses]); a fact a clause needs and the row leaves blank makes the row undetermined.

Grades are read in both schemes (特别重大/重大/较大/一般 and 一级 to 四级). A unit's level comes
from the 层级 column, else the year's sheets (县域监测 -> 县, the 目标责任考核 类别 the pack names),
and is never guessed: a unit of unknown level whose findings could fire goes to `undetermined`.
"""

from __future__ import annotations

import re
from datetime import date
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sanshi.errors import ConflictError, InputError, Problem, RunWarning
from sanshi.inputs.normalize import header_key, name_key
from sanshi.inputs.records import Finding
from sanshi.inputs.schema import INCIDENT_GRADES, TREATMENTS, YES
from sanshi.results import Fact, Trigger
from sanshi.rules import censure, tolerance
from sanshi.rules.arith import chinese_int, chinese_number
from sanshi.rules.cases import case_key, covers, parse_case_key
from sanshi.rules.impact import chinese_date
from sanshi.rules.params import RulePack, Threshold
from sanshi.rules.triggers import NAMED_ROLE, Staff, TriggerOutcome, YearRecords

ITEMS = {6: 4, 11: 2}  # the articles whose item the 条款 column gives, and how many items each has
COUNTED = {
    "12(1)": "demotion.safety_accidents",
    "12(2)": "demotion.food_drug_incidents",
    "13(1)": "demotion.mass_incidents",
}
NOUN = {"12(1)": "生产安全责任事故", "12(2)": "食品药品安全事故", "13(1)": "群体性事件和公共安全事件"}
LEVEL_NAME = {"县": "县级", "市": "市级", "省级部门": "省级部门"}

_NUMBERED = {
    "一级": 0,
    "二级": 1,
    "三级": 2,
    "四级": 3,
    "1级": 0,
    "2级": 1,
    "3级": 2,
    "4级": 3,
    "I级": 0,
    "II级": 1,
    "III级": 2,
    "IV级": 3,
}
_PARTS = re.compile(r"[()]")
_BOTTOM = re.compile(
    r"^(?:综合)?(?:排名)?(?:后|倒数第)([1-9]\d*|[一二三四五六七八九]|十[一二三四五六七八九]?)(?:位|名)(?:以内)?$"
)
_LAST_TIER = ("最后档次", "最后档", "末档", "最末档次", "最后一档")
_NUMERAL = re.compile(r"^(?:[1-9]\d?|[一二三四五六七八九]|十[一二三四五六七八九]?)$")


@dataclass(frozen=True)
class Entry:
    """A finding with what its row means: the clause it falls under and its parsed grade."""

    finding: Finding
    article: int
    item: int
    grade: int | None = None  # index into INCIDENT_GRADES (0 = 特别重大) for counted clauses
    bottom: int | None = None  # 8(4): the last N places (0 = 最后档次)
    counted_in: int = 0  # counted clauses: the year the event counts for (发生日期, else 认定日期, else the workbook's)

    @property
    def key(self) -> str:
        return case_key(self.article, self.item)


def parse_grade(text: str) -> int | None:
    """特别重大/重大/较大/一般 or 一级..四级 (also 三级(较大), 较大事故) -> 0..3; None when unreadable or contradictory."""
    found = set()
    for part in _PARTS.split(header_key(text)):
        part = part.removesuffix("事故").removesuffix("事件")
        if not part:
            continue
        if part in INCIDENT_GRADES:
            found.add(INCIDENT_GRADES.index(part))
        elif part in _NUMBERED:
            found.add(_NUMBERED[part])
        else:
            return None
    return found.pop() if len(found) == 1 else None


def parse_bottom(text: str) -> int | None:
    """最后档次 -> 0; 后5位 / 倒数第3名 -> 5 / 3; None when unreadable."""
    value = header_key(text)
    if value in _LAST_TIER:
        return 0
    match = _BOTTOM.match(value)
    return chinese_int(match.group(1)) if match else None


def parse_item(text: str | None, article: int) -> int | None:
    """The 条款 column: (一), 一, 1, 第(一)项, 6(1), 第六条第(一)项 -> 1."""
    value = header_key(text or "")
    for prefix in (f"第{chinese_number(article)}条", f"{article}"):
        value = value.removeprefix(prefix)
    value = value.removeprefix("第").removesuffix("项").removeprefix("(").removesuffix(")")
    return chinese_int(value) if _NUMERAL.match(value) else None


def parse(findings: Sequence[Finding], pack: RulePack) -> list[Entry]:
    """Each finding with its clause and grade; every unreadable 领域, 等级 or 条款 is an input problem (all at once)."""
    areas = {header_key(name): key for name, key in pack.text_map("demotion.finding_areas").items()}
    problems, entries = [], []
    for f in findings:
        key = areas.get(header_key(f.area))
        if key is None:
            problems.append(
                _problem(f, "area", f"领域「{f.area}」不是可选值({'、'.join(pack.text_map('demotion.finding_areas'))})")
            )
            continue
        article, of_key = parse_case_key(key)
        if of_key is None:
            item = parse_item(f.item, article)
            if item is None or not 1 <= item <= ITEMS[article]:
                options = "、".join(f"({chinese_number(i)})" for i in range(1, ITEMS[article] + 1))
                problems.append(
                    _problem(
                        f,
                        "item",
                        f"领域「{f.area}」须在「条款」列写明第{chinese_number(article)}条第几项"
                        f"({options}),实际为「{f.item or ''}」",
                    )
                )
                continue
            entries.append(Entry(f, article, item))
            continue
        item = of_key
        if key == "8(4)":
            bottom = parse_bottom(f.level)
            if bottom is None:
                problems.append(
                    _problem(
                        f, "level", f"全国考核评比的等级「{f.level}」应写作 最后档次 或 后N位(如 后5位、倒数第3位)"
                    )
                )
                continue
            entries.append(Entry(f, article, item, bottom=bottom))
        elif key in COUNTED:
            grade = parse_grade(f.level)
            if grade is None:
                problems.append(
                    _problem(f, "level", f"等级「{f.level}」应为 特别重大/重大/较大/一般 或 一级/二级/三级/四级")
                )
                continue
            entries.append(Entry(f, article, item, grade=grade))
        else:
            entries.append(Entry(f, article, item))
    if problems:
        raise InputError(problems)
    # Evidence reads in date order, whatever order the rows were typed in (undated last, then as written).
    return sorted(
        entries,
        key=lambda e: (
            e.finding.date is None,
            e.finding.date or date.min,
            e.finding.unit,
            e.finding.area,
            e.finding.level,
            e.finding.note or "",
        ),
    )


def _problem(f: Finding, field_name: str, message: str) -> Problem:
    return Problem(message, file=f.where, cell=f.cell(field_name))


def unit_levels(year: YearRecords, pack: RulePack) -> dict[str, tuple[str, str]]:
    """Each unit's level and where it came from: the 层级 column, else 县域监测 (县), else the 目标责任考核 类别.

    Different 层级 values for one unit, or two registries that disagree without a 层级 value, are
    conflicts the user must settle.
    """
    levels: dict[str, tuple[str, str]] = {}
    conflicts = []
    for r in year.ranks or ():
        levels[r.unit] = ("县", "县域监测表")
    groups = {header_key(g): level for level, names in pack.names_by("demotion.unit_levels").items() for g in names}
    for u in year.target or ():
        level = groups.get(header_key(u.group))
        if level is None:
            continue
        if u.unit in levels and levels[u.unit][0] != level:
            conflicts.append((u.unit, f"县域监测表中为县级,目标责任考核类别「{u.group}」为{LEVEL_NAME[level]}"))
            continue
        levels[u.unit] = (level, f"目标责任考核类别「{u.group}」")
    written: dict[str, tuple[str, str]] = {}
    messages = []
    for f in year.findings or ():
        if not f.tier:
            continue
        where = f"{f.where} › {f.cell('tier')}"
        if f.unit in written and written[f.unit][0] != f.tier:
            messages.append(f"{where}: {f.unit} 的层级为{f.tier},与 {written[f.unit][1]} 的{written[f.unit][0]}不一致")
            continue
        written.setdefault(f.unit, (f.tier, where))
    for unit, why in conflicts:
        if unit not in written:
            messages.append(f"{year.where}: {unit} 的层级不一致({why}):请在责任认定表「层级」列写明")
    if messages:
        raise ConflictError(*messages)
    levels.update({unit: (tier, "责任认定「层级」列") for unit, (tier, _) in written.items()})
    return levels


def find(years: Sequence[YearRecords], pack: RulePack, staff: Staff, outcome: TriggerOutcome) -> None:
    """All 责任认定 triggers of years[0]; years[1:] (earlier years, nearest first) for the multi-year thresholds."""
    current = years[0]
    if current.findings is None:
        return
    parsed = [parse(y.findings, pack) if y.findings is not None else None for y in years]
    pool = Pool(years, parsed, outcome)
    assert parsed[0] is not None  # the year itself has the sheet (checked above)
    entries = _of_year(parsed[0], current, outcome)
    earlier = [_of_year(found, y, outcome) if found is not None else None for found, y in zip(parsed[1:], years[1:])]
    bodies = censure.Bodies(pack)
    levels = unit_levels(current, pack)
    rows: list[Trigger] = []
    undetermined: list[Trigger] = []
    for entry in entries:
        if entry.article in ITEMS:
            found, open_ = _case(staff, entry, bodies, pack, outcome)
        elif entry.key == "8(4)":
            found, open_ = _national(staff, entry, levels.get(entry.finding.unit), bodies, pack, outcome)
        else:
            continue
        rows += found
        undetermined += open_
    for unit in dict.fromkeys(e.finding.unit for e in (*entries, *pool.entries(current.year))):
        mine = [e for e in entries if e.finding.unit == unit]
        found, open_ = _censure(staff, unit, mine, bodies, pack, outcome)
        rows += found
        undetermined += open_
        for key in COUNTED:
            found, open_ = _count(staff, unit, key, years, pool, levels.get(unit), pack, outcome)
            rows += found
            undetermined += open_
        now = [e for e in mine if e.key == "13(2)"]
        if now:
            found, open_ = _repeated(staff, unit, now, years, earlier, pack, outcome)
            rows += found
            undetermined += open_
    candidates = _merged(rows)
    listed = {_row_key(row) for row in candidates}
    outcome.candidates.extend(candidates)
    # A person already listed under a clause is not also pending under it (e.g. 12(1) by count and by censure).
    outcome.undetermined.extend(row for row in _merged(undetermined) if _row_key(row) not in listed)


class Pool:
    """The counted findings (12(1), 12(2), 13(1)) of every year read, by the year each counts for: "一年内"
    is the year of its 发生日期, else of its 认定日期 (「日期」), else the year of its workbook."""

    def __init__(
        self, years: Sequence[YearRecords], parsed: Sequence[list[Entry] | None], outcome: TriggerOutcome
    ) -> None:
        self.known = {y.year for y, found in zip(years, parsed) if found is not None}
        self.by_year: dict[int, list[Entry]] = {}
        for y, found in zip(years, parsed):
            for e in found or ():
                if e.key not in COUNTED:
                    continue
                f = e.finding
                day = f.occurred or f.date
                counted_in = day.year if day is not None else y.year
                if counted_in != y.year and y is years[0] and day is not None:
                    what = "发生日期" if f.occurred else "未填发生日期,认定日期"
                    outcome.warnings.append(
                        RunWarning(
                            "findings.outside_year",
                            f"{f.where} › {f.cell('occurred' if f.occurred else 'unit')}: {f.unit}的"
                            f"{NOUN[e.key]}{what}{chinese_date(day)}不在{y.year}年内,"
                            f"未计入{y.year}年(计入{counted_in}年的起数)",
                            units=(f.unit,),
                        )
                    )
                self.by_year.setdefault(counted_in, []).append(replace(e, counted_in=counted_in))

    def entries(self, year: int) -> list[Entry]:
        return self.by_year.get(year, [])

    def of(self, unit: str, key: str, year: int) -> list[Entry]:
        return [e for e in self.entries(year) if e.finding.unit == unit and e.key == key]


def _row_key(row: Trigger) -> tuple[str, str, int, int]:
    return row.unit, name_key(row.name) or f"@{row.role}", row.article, row.item


def _of_year(entries: list[Entry], year: YearRecords, outcome: TriggerOutcome) -> list[Entry]:
    """A year's findings dated inside that year (an undated one counts for the year, with a warning).

    The counted clauses (12(1), 12(2), 13(1)) are sorted into years by the Pool; here their date is
    checked only when the year is the current one and they name no 发生日期.
    """
    kept, undated = [], []
    for e in entries:
        day = e.finding.date
        if e.key in COUNTED and e.finding.occurred is not None:
            kept.append(e)
            continue
        if day is not None and day.year != year.year:
            if e.key not in COUNTED:  # the Pool said where a counted one goes
                outcome.warnings.append(
                    RunWarning(
                        "findings.outside_year",
                        f"{e.finding.where} › {e.finding.cell('unit')}: {e.finding.unit}的责任认定日期"
                        f"{chinese_date(day)}不在{year.year}年内,未计入{year.year}年",
                        units=(e.finding.unit,),
                    )
                )
            continue
        if day is None:
            undated.append(e.finding.cell("unit"))
        kept.append(e)
    if undated:
        outcome.warnings.append(
            RunWarning(
                "findings.undated", f"{year.where} › 责任认定 {'、'.join(undated)} 没有日期,按{year.year}年的认定计入"
            )
        )
    return kept


def _national_fires(entry: Entry, pack: RulePack) -> bool:
    return entry.bottom is not None and entry.bottom <= pack.count("demotion.national_bottom")  # 最后档次 is 0


def _treatment(f: Finding) -> str | None:
    """What the 通报 body did: the 「处理」 column, else the 「等级」 column when it says 通报批评 or 责任追究."""
    if f.treatment:
        return f.treatment
    return next((t for t in TREATMENTS if header_key(f.level) == t), None)


def _case(
    staff: Staff, entry: Entry, bodies: censure.Bodies, pack: RulePack, outcome: TriggerOutcome
) -> tuple[list[Trigger], list[Trigger]]:
    """6, 11: each finding is a case of its item, when the body its text names made it ([demotion.finding_censures])."""
    clause = pack.cite(entry.article, entry.item)
    basis = _describe(entry)
    conditions = pack.censures("demotion.finding_censures").get(entry.key)
    if conditions:
        f = entry.finding
        ruling = censure.rule(conditions, bodies, f.notified_by, _treatment(f), f.serious, "通报")
        needed = censure.requirement(conditions)
        if ruling.fired is None:
            return [], _name(
                staff,
                f.unit,
                [entry],
                entry.article,
                entry.item,
                clause,
                f"{basis};{ruling.text}(本项须{needed})",
                outcome,
                pack,
            )
        if not ruling.fired:
            if ruling.unknown:
                _warn(
                    outcome,
                    RunWarning(
                        "findings.body_unlisted",
                        f"{f.where} › {f.cell('notified_by')}: {f.unit}的{f.area}认定由{'、'.join(ruling.unknown)}"
                        f"作出,不是{clause}所列的机关({needed}),未列入;如是所列机关的其他写法,"
                        f"请在规则包 demotion.body_aliases 中补充",
                        units=(f.unit,),
                        clause=clause,
                    ),
                )
            return [], []
        basis = f"{basis};{ruling.text}"
    return _name(staff, entry.finding.unit, [entry], entry.article, entry.item, clause, basis, outcome, pack), []


def _national(
    staff: Staff,
    entry: Entry,
    level: tuple[str, str] | None,
    bodies: censure.Bodies,
    pack: RulePack,
    outcome: TriggerOutcome,
) -> tuple[list[Trigger], list[Trigger]]:
    """8(4): 在党中央、国务院及国家部委开展的全国性考核评比中,列最后档次或综合排名后5位的省级部门."""
    if not _national_fires(entry, pack):
        return [], []
    f = entry.finding
    allowed = pack.names("demotion.national_levels")
    facts, missing = [_describe(entry)], []
    if level is None:
        missing.append("单位层级不明(不在县域监测表,目标责任考核类别未对应层级):请在责任认定表「层级」列填写")
    elif level[0] not in allowed:
        _warn(
            outcome,
            RunWarning(
                "findings.level_not_covered",
                f"{f.unit}为{LEVEL_NAME[level[0]]}单位(层级取自{level[1]}),{_clause(entry, pack)}只适用于"
                f"{'、'.join(allowed)},全国考核评比认定未列入",
                units=(f.unit,),
                clause=_clause(entry, pack),
            ),
        )
        return [], []
    else:
        facts.append(f"{LEVEL_NAME[level[0]]}单位(层级取自{level[1]})")
    written = bodies.split(f.notified_by)
    national = [b for b in written if bodies.among(b, pack.names("demotion.national_bodies"))]
    if not written:
        missing.append("组织考核评比的机关未填(责任认定表「通报」列)")
    elif not national:
        missing.append(
            f"组织考核评比的机关「{'、'.join(written)}」不在规则包 demotion.national_bodies 所列的"
            f"党中央、国务院及国家部委之中:请核对,是则在本地规则包补充"
        )
    else:
        facts.append(f"{'、'.join(national)}开展的全国性考核评比")
    rows = _name(
        staff,
        f.unit,
        [entry],
        entry.article,
        entry.item,
        _clause(entry, pack),
        ";".join(facts + missing),
        outcome,
        pack,
    )
    return ([], rows) if missing else (rows, [])


def _clause(entry: Entry, pack: RulePack) -> str:
    if entry.key == "8(4)":
        return pack.clause("demotion.national_bottom")
    return pack.cite(entry.article, entry.item)


def _describe(entry: Entry) -> str:
    """One finding as evidence: 2023年4月12日 安全生产较大(省安委会办公室):某建材厂…; an event counted
    by year says which date it was counted by: 2023年4月12日发生 … / 2023年4月12日认定 …"""
    f = entry.finding
    day = chinese_date(f.date) if f.date else "日期未填"
    if entry.key in COUNTED and f.occurred:
        day = f"{chinese_date(f.occurred)}发生"
    elif entry.key in COUNTED and f.date:
        day += "认定"
    what = f"{f.area}{f.level}"
    by = f"({f.notified_by})" if f.notified_by else ""
    return f"{day} {what}{by}" + (f":{f.note}" if f.note else "")


def _name(
    staff: Staff,
    unit: str,
    entries: Sequence[Entry],
    article: int,
    item: int,
    clause: str,
    basis: str,
    outcome: TriggerOutcome,
    pack: RulePack,
    roles: Sequence[str] | None = None,
) -> list[Trigger]:
    """The clause's roles in the unit, plus the people the findings name where the clause's text says
    有关领导干部 ([demotion.named_people_clauses]); a clause naming nobody gets one empty row."""
    rows = staff.name(unit, article, item, clause, basis, roles)
    names = list(dict.fromkeys(n for e in entries for n in e.finding.names))
    extra = [n for n in names if all(name_key(r.name) != name_key(n) for r in rows)]
    if extra and not _names_people(pack, article, item):
        _warn(
            outcome,
            RunWarning(
                "findings.people_not_named_by_clause",
                f"责任认定写明的 {'、'.join(extra)}({unit})未列入{pack.cite(article, item)}:该项条文未写"
                f"“有关领导干部”,只列所定岗位的人员(规则包 demotion.named_people_clauses)",
                units=(unit,),
                people=tuple(extra),
                clause=pack.cite(article, item),
            ),
        )
        extra = []
    named, warnings = staff.named(unit, extra, article, item, clause, basis)
    for warning in warnings:
        _warn(outcome, warning)
    rows += named
    if not rows:
        rows.append(Trigger("", unit, None, NAMED_ROLE, article, item, clause, basis))
        _warn(
            outcome,
            RunWarning(
                "findings.nobody_named",
                f"{unit}的{pack.cite(article, item)}情形未写明有关领导干部:请在责任认定表「姓名」列填写",
                units=(unit,),
                clause=pack.cite(article, item),
            ),
        )
    facts = tuple(fact for _, fact in sorted((_fact(e) for e in entries), key=lambda pair: pair[0]))
    return [replace(r, facts=facts) for r in rows]


def _fact(entry: Entry) -> tuple[tuple[date, str], Fact]:
    """One finding as a fact: its 领域, what it found (等级, who notified it, the note), the year it counts for
    (of 发生 for counted events when given, else of 认定) and the sheet it is on; with a key that orders a
    unit's findings by date whatever the order of the rows."""
    f = entry.finding
    day = f.occurred if entry.key in COUNTED and f.occurred else f.date
    level = f.level + (f"且{f.treatment}" if f.treatment and f.treatment not in f.level else "")
    level += "且问题严重" if f.serious == YES else ""
    value = level + (f"({f.notified_by})" if f.notified_by else "") + (f":{f.note}" if f.note else "")
    fact = Fact(f"{f.area}责任认定", value, day.year if day else None, f"{f.where} › 责任认定")
    return (day or date.min, value), fact


def _names_people(pack: RulePack, article: int, item: int) -> bool:
    keys = pack.names("demotion.named_people_clauses")
    return covers(keys, article, item)


def _warn(outcome: TriggerOutcome, warning: RunWarning) -> None:
    """A warning once, however many findings of a unit and clause lead to it."""
    if warning not in outcome.warnings:
        outcome.warnings.append(warning)


def _censure(
    staff: Staff, unit: str, entries: Sequence[Entry], bodies: censure.Bodies, pack: RulePack, outcome: TriggerOutcome
) -> tuple[list[Trigger], list[Trigger]]:
    """12(1): 受到党中央、国务院通报批评或省委、省政府责任追究 -> the roles the pack names (主要负责人).

    A row is judged when its 「通报」 names a body of [demotion.safety_censure] or its 「处理」 is filled;
    other rows are accidents reported by some office, counted by _count.
    """
    conditions = pack.censures("demotion.safety_censure").get("12(1)")
    if not conditions:
        return [], []
    roles_named = pack.names("demotion.safety_censure_roles")
    needed = censure.requirement(conditions)
    listed = censure.listed_bodies(conditions)
    hits, open_ = [], []
    for e in entries:
        f = e.finding
        if e.key != "12(1)" or (
            f.treatment is None and not any(bodies.among(b, listed) for b in bodies.split(f.notified_by))
        ):
            continue
        ruling = censure.rule(conditions, bodies, f.notified_by, f.treatment, f.serious, "通报")
        if ruling.fired:
            hits.append((e, f"受到{ruling.text}:{_describe(e)}"))
        elif ruling.fired is None:
            open_.append((e, f"{_describe(e)};{ruling.text}(本项须{needed})"))
        else:
            _warn(
                outcome,
                RunWarning(
                    "findings.censure_not_listed",
                    f"{f.where} › {f.cell('treatment')}: {unit}的安全生产认定({f.notified_by or '通报未填'}"
                    f"{f.treatment})不是{pack.clause('demotion.safety_censure_roles')}所列的{needed},未列入",
                    units=(unit,),
                    clause=pack.clause("demotion.safety_censure_roles"),
                ),
            )

    def rows(entries: list[tuple[Entry, str]]) -> list[Trigger]:
        """The people named for these findings (none without any), with what each finding says."""
        if not entries:
            return []
        clause = pack.clause("demotion.safety_censure_roles")
        basis = ";".join(t for _, t in entries)
        return _name(staff, unit, [e for e, _ in entries], 12, 1, clause, basis, outcome, pack, roles_named)

    return rows(hits), rows(open_)


def _count(
    staff: Staff,
    unit: str,
    key: str,
    years: Sequence[YearRecords],
    pool: Pool,
    level: tuple[str, str] | None,
    pack: RulePack,
    outcome: TriggerOutcome,
) -> tuple[list[Trigger], list[Trigger]]:
    """12(1), 12(2), 13(1): the unit's events of the year (and earlier years) against its level's thresholds."""
    current = years[0].year
    now = pool.of(unit, key, current)
    if not now:
        return [], []
    thresholds = pack.thresholds(COUNTED[key])
    article, item = now[0].article, now[0].item
    noun = NOUN[key]
    if level is None:
        possible = [t for ts in thresholds.values() for t in ts if len(_at_least(now, t.grade)) >= t.count]
        if not possible:
            return [], []
        basis = (
            f"{current}年{noun}:"
            + ";".join(_describe(e) for e in now)
            + _by_decision(now)
            + ";单位层级不明(不在县域监测表,目标责任考核类别未对应层级):请在责任认定表「层级」列填写 市、县 或 省级部门"
        )
        return [], _name(staff, unit, now, article, item, pack.clause(COUNTED[key]), basis, outcome, pack)
    tier, source = level
    reasons = []
    for threshold in thresholds.get(tier, ()):
        this_year = _at_least(now, threshold.grade)
        if len(this_year) < threshold.count:
            continue
        evidence, counted = [_year_text(current, this_year)], list(this_year)
        missing, met = [], True
        for year in _earlier_years(years, threshold.years):
            hits = _at_least(pool.of(unit, key, year), threshold.grade)
            if len(hits) >= threshold.count:  # enough even if the year's sheet is missing: more can only add
                evidence.append(_year_text(year, hits))
                counted += hits
            elif year in pool.known:
                met = False
                break
            else:
                missing.append(_missing(year))
        if not met:
            continue
        head = (
            f"{LEVEL_NAME[tier]}单位(层级取自{source}),{_threshold_text(threshold, noun)}:"
            + ";".join(reversed(evidence))
            + _by_decision(counted)
        )
        if not missing:
            return _name(staff, unit, this_year, article, item, pack.clause(COUNTED[key]), head, outcome, pack), []
        reasons.append(f"{head};{';'.join(missing)}")
    if reasons:
        return [], _name(staff, unit, now, article, item, pack.clause(COUNTED[key]), reasons[0], outcome, pack)
    return [], []


def _by_decision(entries: Sequence[Entry]) -> str:
    """The note a basis carries when an event was put in its year by the 认定日期 (no 发生日期 given)."""
    return ";未填「发生日期」的按认定日期计入年度" if any(e.finding.occurred is None for e in entries) else ""


def _repeated(
    staff: Staff,
    unit: str,
    now: list[Entry],
    years: Sequence[YearRecords],
    earlier: list[list[Entry] | None],
    pack: RulePack,
    outcome: TriggerOutcome,
) -> tuple[list[Trigger], list[Trigger]]:
    """13(2): 连续两年被上级单位确定为社会治安综合治理重点整顿单位."""
    span = pack.years("demotion.rectification_years")
    evidence = [";".join(_describe(e) for e in now)]
    missing = []
    for year, found in _earlier(years, earlier, span):
        if found is None:
            missing.append(_missing(year))
            continue
        hits = [e for e in found if e.finding.unit == unit and e.key == "13(2)"]
        if not hits:
            return [], []
        exempt = _exempted_in(years, year, unit, pack)
        if exempt is not None:  # 容错纠错办法第九条: a year exempted does not count toward the run
            _warn(
                outcome,
                RunWarning(
                    "demotion.run_broken_by_tolerance",
                    f"{unit}{years[0].year}年被确定为社会治安综合治理重点整顿单位,但{year}年经容错认定免责"
                    f"({exempt.record.ref}),该年不计入连续{span}年,未触发{pack.clause('demotion.rectification_years')}",
                    units=(unit,),
                    clause=pack.clause("demotion.rectification_years"),
                ),
            )
            return [], []
        evidence.append(";".join(_describe(e) for e in hits))
    head = f"连续{span}年被确定为社会治安综合治理重点整顿单位:" + ";".join(reversed(evidence))
    rows = _name(
        staff,
        unit,
        now,
        13,
        2,
        pack.clause("demotion.rectification_years"),
        head if not missing else f"{head};{';'.join(missing)}",
        outcome,
        pack,
    )
    return (rows, []) if not missing else ([], rows)


def _exempted_in(years: Sequence[YearRecords], year: int, unit: str, pack: RulePack) -> tolerance.Exemption | None:
    """The 免责 decision of an earlier year (its own 容错认定 sheet) that covers the unit's 13(2), if any."""
    found = next((y for y in years[1:] if y.year == year), None)
    if found is None or found.tolerance is None:
        return None
    return tolerance.exempting(tolerance.exemptions(found.tolerance, pack, found.where), unit, None, 13, 2)


def _earlier_years(years: Sequence[YearRecords], span: int) -> list[int]:
    """The span's earlier years, nearest first: the years read (the "上年" may be --previous-year), then counting back."""
    return [years[k].year if k < len(years) else years[0].year - k for k in range(1, span)]


def _earlier(
    years: Sequence[YearRecords], earlier: list[list[Entry] | None], span: int
) -> list[tuple[int, list[Entry] | None]]:
    """The span's earlier years, nearest first, with their findings (None: history has no 责任认定 for it)."""
    return [
        (year, earlier[k - 1] if k - 1 < len(earlier) else None)
        for k, year in enumerate(_earlier_years(years, span), start=1)
    ]


def _missing(year: int) -> str:
    return f"{year}年责任认定缺失(历史库没有{year}年责任认定表)"


def _at_least(entries: Sequence[Entry], grade: str) -> list[Entry]:
    """The entries of `grade` or worse (特别重大 is worse than 重大)."""
    return [e for e in entries if e.grade is not None and e.grade <= INCIDENT_GRADES.index(grade)]


def _year_text(year: int, entries: Sequence[Entry]) -> str:
    return f"{year}年{len(entries)}起(" + ";".join(_describe(e) for e in entries) + ")"


def _threshold_text(t: Threshold, noun: str) -> str:
    grade = t.grade if t.grade == "特别重大" else f"{t.grade}以上"
    span = "一年内" if t.years == 1 else f"连续{t.years}年每年"
    count = f"{t.count}起" if t.count == 1 else f"{t.count}起以上(含{t.count}起)"
    return f"{span}发生{count}{grade}{noun}"


def _merged(rows: list[Trigger]) -> list[Trigger]:
    """One row per person (or empty-name role) per clause; the bases of several findings joined."""
    merged: dict[tuple[str, str, int, int], Trigger] = {}
    for row in rows:
        key = (row.unit, name_key(row.name) or f"@{row.role}", row.article, row.item)
        if key in merged:
            first = merged[key]
            if row.basis not in first.basis:
                merged[key] = replace(first, basis=f"{first.basis};{row.basis}")
        else:
            merged[key] = row
    return list(merged.values())
