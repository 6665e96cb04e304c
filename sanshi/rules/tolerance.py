"""容错纠错办法 第六条至第九条: 容错认定 records exempt the matching 能下 triggers.

A record names a unit (and, with 姓名, one person in it) and a 范围. The pack maps
each 范围 to the clauses it covers (目标责任考核 -> 8(1), 民主测评 -> 8(2)、8(3), ...);
an empty 范围 covers every trigger of that unit (or person) that year. Its 结论 is
免责 (blank too) or 减责 (第九条: 可以减责,酌情从轻、减轻). Exempted triggers stay in the
list, marked, and their grade-based bonus is not reduced; a 减责 trigger stays an
ordinary row marked 减责 with the 文号 (how much lighter is a human decision).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from sanshi.errors import InputError, Problem, RunWarning
from sanshi.inputs.normalize import header_key, name_key
from sanshi.inputs.records import ToleranceRecord
from sanshi.inputs.schema import REDUCED, TOLERANCE
from sanshi.results import Trigger
from sanshi.rules.cases import covers
from sanshi.rules.params import RulePack

_SEPARATORS = re.compile(r"[、,,;;/\s]+")
T = TypeVar("T")
TARGET_CLAUSE = (8, 1)  # 能下 8(1): the clause whose exemption keeps a unit's target-assessment bonus


@dataclass(frozen=True)
class Exemption:
    record: ToleranceRecord
    keys: tuple[str, ...] | None  # clause keys covered; None: all of the unit's (or person's) triggers

    @property
    def exempt(self) -> bool:
        """免责 (the 结论 column blank or 免责); False for 减责."""
        return self.record.outcome != REDUCED

    def covers(self, trigger: Trigger) -> bool:
        return self.covers_subject(trigger.unit, trigger.name, trigger.article, trigger.item)

    def covers_subject(self, unit: str, name: str | None, article: int, item: int) -> bool:
        """Whether the record reaches a clause for a unit, or for one person of it (`name`; None: the unit itself,
        which only a record without 姓名 reaches)."""
        if unit != self.record.unit:
            return False
        if self.record.name and (name is None or name_key(self.record.name) != name_key(name)):
            return False
        return self.covers_clause(article, item)

    def covers_clause(self, article: int, item: int) -> bool:
        """Whether the 范围 reaches a clause, named by its item (8(1)) or its whole article (8)."""
        return self.keys is None or covers(self.keys, article, item)

    @property
    def label(self) -> str:
        who = f"{self.record.unit}{' ' + self.record.name if self.record.name else ''}"
        outcome = "" if self.exempt else ",减责"
        return f"{self.record.ref}({who},范围{self.record.scope or '全部'}{outcome})"


def scope_parts(scope: str | None) -> list[str]:
    """The 范围 cell split into its scopes: 「民主测评、年度考核」 -> [民主测评, 年度考核]; empty -> []."""
    return [part for part in _SEPARATORS.split(scope or "") if part]


def exemptions(records: Sequence[ToleranceRecord], pack: RulePack, source: str) -> list[Exemption]:
    """Each record with the clauses its 范围 covers; an unknown 范围 is an input problem (all reported)."""
    scopes = pack.names_by("tolerance.scopes")
    known = {header_key(name): keys for name, keys in scopes.items()}
    problems, result = [], []
    for record in records:
        if not record.scope:
            result.append(Exemption(record, None))
            continue
        keys: list[str] = []
        for part in scope_parts(record.scope):
            if header_key(part) not in known:
                problems.append(
                    Problem(
                        f"范围「{part}」不是可选值({'、'.join(scopes)});多个范围用“、”分隔,留空为全部",
                        file=source,
                        sheet=TOLERANCE.name,
                        cell=record.cell,
                    )
                )
                continue
            keys.extend(known[header_key(part)])
        result.append(Exemption(record, tuple(keys)))
    if problems:
        raise InputError(problems)
    return result


def apply(triggers: Sequence[Trigger], found: Sequence[Exemption]) -> list[Trigger]:
    """The triggers with those a 免责 record covers marked tolerated, else those a 减责 record covers marked
    reduced (each with the first matching record's 文号); 免责 wins over 减责."""
    marked = []
    by_unit = _by_unit(found, lambda e: e.record.unit)  # a record covers its own unit's triggers only
    for trigger in triggers:
        matches = [e for e in by_unit.get(trigger.unit, ()) if e.covers(trigger)]
        exempt = next((e for e in matches if e.exempt), None)
        if exempt is not None:
            trigger = replace(trigger, tolerated=True, tolerance_ref=exempt.record.ref)
        elif matches:
            trigger = replace(trigger, reduced=True, tolerance_ref=matches[0].record.ref)
        marked.append(trigger)
    return marked


def unused(found: Sequence[Exemption], triggers: Sequence[Trigger]) -> list[RunWarning]:
    """Warnings for records that exempt nothing this year (a typo in 单位/姓名, or a scope with no trigger)."""
    by_unit = _by_unit(triggers, lambda t: t.unit)
    return [
        RunWarning(
            "tolerance.unused",
            f"容错认定 {e.label}没有对应的能下情形,请核对单位、姓名和范围",
            units=(e.record.unit,),
            people=(e.record.name,) if e.record.name else (),
        )
        for e in found
        if not any(e.covers(t) for t in by_unit.get(e.record.unit, ()))
    ]


def _by_unit(items: Sequence[T], unit: Callable[[T], str]) -> dict[str, list[T]]:
    """The items of each unit, in their order: a national year has 5,000 triggers and 100 records."""
    found: dict[str, list[T]] = {}
    for item in items:
        found.setdefault(unit(item), []).append(item)
    return found


def protected_units(found: Sequence[Exemption]) -> dict[str, str]:
    """Units whose target-assessment consequences a unit-level record exempts: unit -> 文号."""
    units: dict[str, str] = {}
    for e in found:
        if e.exempt and not e.record.name and e.covers_clause(*TARGET_CLAUSE):
            units.setdefault(e.record.unit, e.record.ref)
    return units


def exempting(found: Sequence[Exemption], unit: str, name: str | None, article: int, item: int) -> Exemption | None:
    """The first 免责 record of a year that reaches the clause for the unit (or the person): an earlier year it
    covers does not count toward a run of years (8(1), 8(3), 13(2))."""
    return next((e for e in found if e.exempt and e.covers_subject(unit, name, article, item)), None)
