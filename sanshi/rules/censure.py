"""能上能下办法: who criticized a unit, and how — the conditions of 第六条第(一)至(三)项、第十条第(二)项、
第十一条第(一)项 and the censure branch of 第十二条第(一)项, and the issuing bodies of 第八条第(四)项.

The text names the body (党中央、国务院 / 省委、省政府 / 中组部、中宣部 / 国家部委), sometimes what it did
(通报批评 or 责任追究) and sometimes how serious it was (问题严重). The pack lists, per clause, the
combinations that count ([demotion.*_censure*], [demotion.poverty_criticism]); the workbook states the facts.
A fact a condition needs and the workbook leaves blank makes the case undetermined, never a trigger; a body
no condition names is no case (the caller warns, in case it is another way of writing a listed body).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sanshi.inputs.normalize import header_key
from sanshi.inputs.schema import YES
from sanshi.rules.params import Censure, RulePack

# The parameters that name bodies; [demotion.national_bodies] (第八条第(四)项) is a plain list.
CENSURE_PARAMS = ("demotion.poverty_criticism", "demotion.finding_censures", "demotion.safety_censure")
_SEPARATORS = re.compile(r"[、,,;;/\s]+")
_JOINED = re.compile(r"[和及与]")  # 省委和省政府; split only when every piece is a known body (not 住房和城乡建设部)


@dataclass(frozen=True)
class Ruling:
    """How the facts of one row measure up against a clause's conditions.

    `fired` is True (the met condition in `text`, e.g. 省委通报批评且问题严重), False (no condition met;
    `unknown` holds the bodies no condition names) or None (a needed fact is blank; `text` says which).
    """

    fired: bool | None
    text: str = ""
    unknown: tuple[str, ...] = ()


class Bodies:
    """The pack's names of bodies: 中共中央 is 党中央, 省人民政府 is 省政府 ([demotion.body_aliases])."""

    def __init__(self, pack: RulePack) -> None:
        aliases = pack.names_by("demotion.body_aliases")
        self.canonical: dict[str, str] = {header_key(v): name for name, variants in aliases.items() for v in variants}
        self.canonical.update({header_key(name): name for name in aliases})
        listed = [
            b for key in CENSURE_PARAMS for conditions in pack.censures(key).values() for b in listed_bodies(conditions)
        ]
        self.known = {header_key(n) for n in (*listed, *pack.names("demotion.national_bodies"))} | set(self.canonical)

    def name(self, written: str) -> str:
        """A body as the pack names it (the written form when the pack has no other name for it)."""
        return self.canonical.get(header_key(written), written)

    def split(self, text: str | None) -> list[str]:
        """The bodies a cell names, each by its pack name: 「中共中央、国务院」 -> 党中央, 国务院."""
        found: list[str] = []
        for part in _SEPARATORS.split(text or ""):
            if not part:
                continue
            pieces = [p for p in _JOINED.split(part) if p]
            known = all(header_key(p) in self.known for p in pieces)
            if header_key(part) not in self.known and len(pieces) > 1 and known:
                found.extend(self.name(p) for p in pieces)
            else:
                found.append(self.name(part))
        return list(dict.fromkeys(found))

    def among(self, body: str, listed: Iterable[str]) -> bool:
        return header_key(body) in {header_key(self.name(b)) for b in listed}


def requirement(conditions: Sequence[Censure]) -> str:
    """党中央、国务院批评,或省委、省政府通报批评且问题严重."""
    return ",或".join(c.text for c in conditions)


def listed_bodies(conditions: Sequence[Censure]) -> list[str]:
    return [b for c in conditions for b in c.bodies]


def rule(
    conditions: Sequence[Censure],
    bodies: Bodies,
    written: str | None,
    treatment: str | None,
    serious: str | None,
    body_column: str,
    treatment_column: str = "处理",
) -> Ruling:
    """Whether one of the clause's conditions is met by the bodies in `written`, `treatment` and `serious` (是/否).

    A met condition decides; otherwise a condition that only a blank fact keeps open makes the row
    undetermined; otherwise nothing is met.
    """
    names = bodies.split(written)
    if not names:
        return Ruling(None, f"「{body_column}」未填")
    missing: list[str] = []
    for condition in conditions:
        for name in names:
            if not bodies.among(name, condition.bodies):
                continue
            if condition.treatment is not None:
                if treatment is None:
                    missing.append(f"「{body_column}」为{name},「{treatment_column}」未填")
                    continue
                if header_key(treatment) != header_key(condition.treatment):
                    continue
            if condition.serious:
                if serious is None:
                    missing.append(f"「{body_column}」为{name},「问题严重」未填")
                    continue
                if serious != YES:
                    continue
            done = treatment or condition.treatment or "批评"
            return Ruling(True, f"{name}{done}" + ("且问题严重" if condition.serious else ""))
    if missing:
        return Ruling(None, ";".join(dict.fromkeys(missing)))
    listed = listed_bodies(conditions)
    return Ruling(False, unknown=tuple(n for n in names if not bodies.among(n, listed)))
