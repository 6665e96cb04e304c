"""What every 能下 rule shares: the years it reads, what it concludes, and whom a unit-level clause names.

The assessment-based rules (sanshi.rules.demotion, 第八条至第十条) and the findings-based rules
(sanshi.rules.findings, 第六条、第八条第(四)项、第十一条至第十三条) both add rows to one
TriggerOutcome; sanshi.rules.demotion.find_triggers runs them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sanshi.errors import PackError, RunWarning
from sanshi.inputs.normalize import name_key
from sanshi.inputs.records import AreaRank, AssessedUnit, Cadre, CadreGrades, Finding, PovertyFacts, ToleranceRecord
from sanshi.inputs.schema import PARTY_SECRETARY
from sanshi.results import Fact, Trigger
from sanshi.rules.cases import case_key
from sanshi.rules.params import RulePack

NAMED_ROLE = "有关领导干部"  # the role of a person a 责任认定 names who is not in the year's 干部 sheet
_SECRETARY = re.compile(r"(?<!副)书记")  # 县委书记, 党组书记、厅长; not 县委副书记、县长


@dataclass(frozen=True)
class YearRecords:
    """One year's data as the 能下 rules read it; a sheet the year does not have is None."""

    year: int
    where: str  # 2023.xlsx, 历史库2022年
    target: Sequence[AssessedUnit] | None = None
    ranks: Sequence[AreaRank] | None = None
    cadres: Sequence[Cadre] | None = None
    poverty: Sequence[PovertyFacts] | None = None
    columns: frozenset[str] = (
        frozenset()
    )  # "sheet.field" of optional columns present, e.g. 县域监测.four_indicator_rank
    findings: Sequence[Finding] | None = None
    tolerance: Sequence[ToleranceRecord] | None = None  # 容错认定: an earlier year's 免责 breaks a run of years
    # An earlier year's 干部 sheet as grades by person (`cadres` is the assessment year's, and None here).
    grades: CadreGrades | None = None


@dataclass
class TriggerOutcome:
    candidates: list[Trigger] = field(default_factory=list)
    undetermined: list[Trigger] = field(default_factory=list)
    warnings: list[RunWarning] = field(default_factory=list)


class Staff:
    """The year's 干部 sheet by unit and role: who a unit-level trigger names."""

    def __init__(self, cadres: Sequence[Cadre] | None, pack: RulePack) -> None:
        self.present = cadres is not None
        self.roles = pack.names_by("demotion.roles")
        self.cite = pack.cite
        self.by_unit: dict[str, dict[str, list[Cadre]]] = {}
        for cadre in cadres or ():
            self.by_unit.setdefault(cadre.unit, {}).setdefault(cadre.role or "", []).append(cadre)

    def holders(self, unit: str, role: str) -> list[Cadre]:
        """The unit's people in a role; 党委(党组)书记 is the 主要负责人 whose 职务 names 书记 (not 副书记)."""
        if role == PARTY_SECRETARY:
            return [c for c in self.by_unit.get(unit, {}).get("主要负责人", []) if _SECRETARY.search(c.position or "")]
        return self.by_unit.get(unit, {}).get(role, [])

    def name(
        self,
        unit: str,
        article: int,
        item: int,
        clause: str,
        basis: str,
        roles: Sequence[str] | None = None,
        facts: tuple[Fact, ...] = (),
    ) -> list[Trigger]:
        """One row per person in the roles the clause names; an empty-name row for a role nobody fills.

        `roles` overrides the pack's [demotion.roles] entry for the clause.
        """
        if roles is None:
            key = case_key(article, item)
            roles = self.roles.get(key, self.roles.get(str(article)))
            if roles is None:
                raise PackError(f"规则包参数 [demotion.roles] 没有条款 {key}:请写明该条款列入名单的岗位类别")
        rows = []
        for role in roles:
            people = self.holders(unit, role)
            if not people:
                rows.append(Trigger("", unit, None, role, article, item, clause, basis, facts=facts))
            rows.extend(
                Trigger(c.name, unit, c.position, role, article, item, clause, basis, cadre_id=c.cadre_id, facts=facts)
                for c in people
            )
        return rows

    def named(
        self, unit: str, names: Iterable[str], article: int, item: int, clause: str, basis: str
    ) -> tuple[list[Trigger], list[RunWarning]]:
        """Rows for the people a finding names, with their post from the 干部 sheet; warnings for unknown names."""
        rows: list[Trigger] = []
        warnings: list[RunWarning] = []
        people = [c for by_role in self.by_unit.get(unit, {}).values() for c in by_role]
        for name in names:
            found = [c for c in people if name_key(c.name) == name_key(name)]
            if len(found) == 1:
                rows.append(person(found[0], article, item, clause, basis))
                continue
            rows.append(Trigger(name, unit, None, NAMED_ROLE, article, item, clause, basis))
            if self.present:
                warnings.append(
                    RunWarning(
                        "findings.person_unknown",
                        f"责任认定写明的 {name}({unit})在本年干部表中"
                        f"{'有同名多人' if found else '没有'},已按姓名列入{self.cite(article, item)},职务待核",
                        units=(unit,),
                        people=(name,),
                        clause=self.cite(article, item),
                    )
                )
        return rows, warnings


def person(cadre: Cadre, article: int, item: int, clause: str, basis: str, facts: tuple[Fact, ...] = ()) -> Trigger:
    return Trigger(
        cadre.name,
        cadre.unit,
        cadre.position,
        cadre.role,
        article,
        item,
        clause,
        basis,
        cadre_id=cadre.cadre_id,
        facts=facts,
    )
