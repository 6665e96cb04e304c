"""The JSON contract of `--json` (keys are tested in tests/ and the goldens in tests/golden/): a key once
published does not change; more may be added."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sanshi.rules.params import ManualClause, RulePack, format_value
from sanshi.results import (
    Award,
    AwardsResult,
    BonusLine,
    ClauseList,
    CadreQuota,
    Component,
    CountyHead,
    DemotionsResult,
    Exclusion,
    Explanation,
    GroupCut,
    ImpactPeriod,
    PromotedCadre,
    PromotedUnit,
    PromotionsResult,
    Trigger,
    UnitGrade,
)


# Every document says which version of its schema (docs/schema/*.schema.json) it follows.
SCHEMA_VERSION = 1


def _number(value: Decimal | Fraction | int | None) -> int | float | None:
    """Exact values as JSON numbers: integral ones as integers, others by their shortest decimal."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _unit(grade: UnitGrade) -> dict[str, Any]:
    return {
        "unit": grade.unit,
        "group": grade.group,
        "score": _number(grade.score),
        "rank": grade.rank,
        "grade": grade.grade,
        "excellent": grade.excellent,
        "clause": grade.clause,
        "basis": grade.basis,
    }


def _cut(c: GroupCut) -> dict[str, Any]:
    return {
        "assessment": c.assessment,
        "group": c.group,
        "units": c.units,
        "ratio": _number(c.ratio),
        "rounding": c.rounding,
        "quota": c.quota,
        "eligible": c.eligible,
        "excellent": c.excellent,
        "cut_score": _number(c.cut_score),
        "clause": c.clause,
        "basis": c.basis,
    }


def _award(a: Award) -> dict[str, Any]:
    return {
        "unit": a.unit,
        "award": a.award,
        "tier": a.tier,
        "amount_wan": _number(a.amount_wan),
        "clause": a.clause,
        "basis": a.basis,
    }


def _quota(q: CadreQuota) -> dict[str, Any]:
    return {
        "unit": q.unit,
        "grade": q.grade,
        "staff": q.staff,
        "ratio": _number(q.ratio),
        "quota": q.quota,
        "clause": q.clause,
        "basis": q.basis,
    }


def _bonus(b: BonusLine) -> dict[str, Any]:
    return {
        "name": b.name,
        "unit": b.unit,
        "unit_grade": b.unit_grade,
        "cadre_grade": b.cadre_grade,
        "coefficient": _number(b.coefficient),
        "base_amount_yuan": _number(b.base_amount_yuan),
        "amount_yuan": _number(b.amount_yuan),
        "clause": b.clause,
        "basis": b.basis,
    }


def awards_document(result: AwardsResult) -> dict[str, Any]:
    """The awards result as the `awards --json` object."""
    return {
        "schema_version": SCHEMA_VERSION,
        "year": result.year,
        "rules": result.rules,
        "source": {"file": result.source, "sha256": result.source_sha256},
        "previous_year": {"year": result.previous.year, "source": result.previous.source},
        "target_units": [_unit(g) for g in result.target_units],
        "poverty_units": [_unit(g) for g in result.poverty_units],
        "cuts": [_cut(c) for c in result.cuts],
        "awards": [_award(a) for a in result.awards],
        "total_amount_wan": _number(result.total_amount_wan),
        "undetermined": [
            {"unit": p.unit, "award": p.award, "clause": p.clause, "missing": p.missing} for p in result.undetermined
        ],
        "pending_count": result.pending_count,
        "cadre_quotas": [_quota(q) for q in result.cadre_quotas],
        "bonus": [_bonus(b) for b in result.bonus],
        "warnings": [w.message for w in result.warnings],
    }


def rules_document(pack: RulePack) -> dict[str, Any]:
    """`rules show --json`: the pack's identity and every parameter with its value as people read it."""
    return {
        "schema_version": SCHEMA_VERSION,
        "name": pack.name,
        "base": pack.base,
        "title": pack.title,
        "origin": pack.origin,
        "caveats": list(pack.caveats),
        "params": [
            {
                "key": p.key,
                "label": p.label,
                "value": format_value(p),
                "clause": p.clause,
                "note": p.note,
                "set_by": p.source,
            }
            for p in pack.params.values()
        ],
        "uncomputed": uncomputed_entries(pack.manual_clauses("uncomputed.clauses")),
    }


def uncomputed_entries(clauses: Iterable[ManualClause]) -> list[dict[str, str]]:
    """The clauses a pack leaves to human judgement, each as {clause, what, why}."""
    return [{"clause": m.clause, "what": m.what, "why": m.why} for m in clauses]


def trigger_entry(t: Trigger) -> dict[str, Any]:
    return {
        "name": t.name,
        "unit": t.unit,
        "position": t.position,
        "role": t.role,
        "article": t.article,
        "item": t.item,
        "clause": t.clause,
        "basis": t.basis,
        "tolerated": t.tolerated,
        "tolerance_ref": t.tolerance_ref,
        "reduced": t.reduced,
        "cadre_id": t.cadre_id,
    }


def impact_entry(p: ImpactPeriod) -> dict[str, Any]:
    return {
        "name": p.name,
        "unit": p.unit,
        "cadre_id": p.cadre_id,
        "method": p.method,
        "decided": p.decided.isoformat(),
        "until": p.until.isoformat(),
        "clause": p.clause,
        "basis": p.basis,
        "source": p.source,
    }


def demotions_document(result: DemotionsResult) -> dict[str, Any]:
    """The demotions result as the `demotions --json` object (with impact periods and provenance)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "year": result.year,
        "rules": result.rules,
        "source": {"file": result.source, "sha256": result.source_sha256},
        "history_years": list(result.history_years),
        "candidates": [trigger_entry(t) for t in result.candidates],
        "undetermined": [trigger_entry(t) for t in result.undetermined],
        "impact_periods": [impact_entry(p) for p in result.impact_periods],
        "warnings": [w.message for w in result.warnings],
    }


def explain_document(result: Explanation) -> dict[str, Any]:
    """An explanation as the `explain --json` object (year, subject, grades, awards, candidates, notes, and more)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "year": result.year,
        "rules": result.rules,
        "subject": result.subject,
        "kind": result.kind,
        "units": list(result.units),
        "grades": [_unit(g) for g in result.grades],
        "cuts": [_cut(c) for c in result.cuts],
        "awards": [_award(a) for a in result.awards],
        "cadre_quotas": [_quota(q) for q in result.cadre_quotas],
        "bonus": [_bonus(b) for b in result.bonus],
        "candidates": [trigger_entry(t) for t in result.candidates],
        "undetermined": [trigger_entry(t) for t in result.undetermined],
        "impact_periods": [impact_entry(p) for p in result.impact_periods],
        "previous_year": {"year": result.previous.year, "source": result.previous.source},
        "history_years": list(result.history_years),
        "promotions": {
            "units": [promoted_unit_entry(u) for u in result.promoted_units],
            "cadres": [promoted_cadre_entry(c) for c in result.promoted_cadres],
            "county_heads": [county_head_entry(h) for h in result.county_heads],
            "lists": listed_entries(result.lists),
            "excluded": [exclusion_entry(e) for e in result.excluded],
        },
        "notes": [w.message for w in result.notes],
        "uncomputed": uncomputed_entries(result.uncomputed),
    }


def _share(value: Fraction) -> float | int:
    """A percentile or combined score (exact in the rules) to six decimals for JSON."""
    return _number((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.000001")).normalize())


def _component(c: Component) -> dict[str, Any]:
    return {
        "assessment": c.assessment,
        "value": c.value,
        "rank": c.rank,
        "count": c.count,
        "percentile": _share(c.percentile),
    }


def promoted_unit_entry(u: PromotedUnit) -> dict[str, Any]:
    return {"unit": u.unit, "years": list(u.years), "clause": u.clause, "basis": u.basis}


def promoted_cadre_entry(c: PromotedCadre) -> dict[str, Any]:
    return {
        "name": c.name,
        "unit": c.unit,
        "years": list(c.years),
        "cadre_id": c.cadre_id,
        "position": c.position,
        "clause": c.clause,
        "basis": c.basis,
    }


def county_head_entry(h: CountyHead) -> dict[str, Any]:
    return {
        "name": h.name,
        "unit": h.unit,
        "score": _share(h.score),
        "components": [_component(c) for c in h.components],
        "place": h.place,
        "cadre_id": h.cadre_id,
        "position": h.position,
        "clause": h.clause,
        "basis": h.basis,
    }


def listed_entries(lists: Iterable[ClauseList]) -> dict[str, list[dict[str, Any]]]:
    """Each declared clause's list under its key: who, the clause and basis, and the clause's own facts."""
    return {
        listed.key: [
            {
                "name": r.name,
                "unit": r.unit,
                "cadre_id": r.cadre_id,
                "position": r.position,
                "clause": r.clause,
                "basis": r.basis,
                "facts": {key: value for (key, _), value in zip(listed.columns, r.facts)},
            }
            for r in listed.rows
        ]
        for listed in lists
    }


def exclusion_entry(e: Exclusion) -> dict[str, Any]:
    return {"name": e.name, "unit": e.unit, "reason": e.reason, "clause": e.clause, "cadre_id": e.cadre_id}


def promotions_document(result: PromotionsResult) -> dict[str, Any]:
    """The promotions result as the `promotions --json` object (with the county ranking and undetermined cases)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "year": result.year,
        "rules": result.rules,
        "source": {"file": result.source, "sha256": result.source_sha256},
        "history_years": list(result.history_years),
        "units": [promoted_unit_entry(u) for u in result.units],
        "cadres": [promoted_cadre_entry(c) for c in result.cadres],
        "county_heads": [county_head_entry(h) for h in result.county_heads],
        "lists": listed_entries(result.lists),
        "county_ranking": [
            {
                "unit": c.unit,
                "score": _share(c.score),
                "place": c.place,
                "components": [_component(p) for p in c.components],
            }
            for c in result.counties
        ],
        "excluded": [exclusion_entry(e) for e in result.excluded],
        "undetermined": [exclusion_entry(e) for e in result.undetermined],
        "warnings": [w.message for w in result.warnings],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
