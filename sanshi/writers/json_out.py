"""The JSON contract of `--json` (keys are tested in tests/ and the goldens in tests/golden/): a key once
published does not change; more may be added."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sanshi.rules.params import ManualClause, PackDiff, RulePack, format_value
from sanshi.results import (
    AwardsResult,
    ClauseList,
    DemotionsResult,
    DiffResult,
    Explanation,
    PromotionsResult,
    RunHeader,
    what_if_entry,
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


def entry(record: Any) -> dict[str, Any]:
    """A result record as its JSON object: every field under its own name, in the record's order, except those
    marked hidden (sanshi.results.shown(..., json="hidden")); numbers exact (a share to six decimals), dates ISO, records nested."""
    return {
        f.name: _value(getattr(record, f.name), f.metadata.get("json"))
        for f in fields(record)
        if f.metadata.get("json") != "hidden"
    }


def _value(value: Any, how: str | None = None) -> Any:
    if how == "share":
        return _share(value)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (Decimal, Fraction, int)):
        return _number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_value(v) for v in value]
    if is_dataclass(value):
        return entry(value)
    raise TypeError(f"no JSON form for {type(value).__name__}")


def what_if_keys(result: RunHeader) -> dict[str, Any]:
    """`what_if` (a what-if run's changed parameters, --set: [{key, label, shipped, value}], [] for a real run) and
    `what_if_title` (【测算,非正式结果】target.excellent_ratio 35%→30%, "" for a real run): in every result document."""
    return {"what_if": [what_if_entry(s) for s in result.what_if], "what_if_title": result.what_if_title}


def awards_document(result: AwardsResult) -> dict[str, Any]:
    """The awards result as the `awards --json` object."""
    return {
        "schema_version": SCHEMA_VERSION,
        "year": result.year,
        "rules": result.rules,
        "source": {"file": result.source, "sha256": result.source_sha256},
        **what_if_keys(result),
        "previous_year": {"year": result.previous.year, "source": result.previous.source},
        "target_units": [entry(g) for g in result.target_units],
        "poverty_units": [entry(g) for g in result.poverty_units],
        "cuts": [entry(c) for c in result.cuts],
        "awards": [entry(a) for a in result.awards],
        "total_amount_wan": _number(result.total_amount_wan),
        "undetermined": [entry(p) for p in result.undetermined],
        "pending_count": result.pending_count,
        "cadre_quotas": [entry(q) for q in result.cadre_quotas],
        "bonus": [entry(b) for b in result.bonus],
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


def rules_diff_document(diff: PackDiff) -> dict[str, Any]:
    """`rules diff A B --json`: the two packs, each parameter whose value differs (values as `rules show` prints
    them, with both clauses), and how many parameters differ only in their clause."""
    return {
        "schema_version": SCHEMA_VERSION,
        "a": _pack_identity(diff.a),
        "b": _pack_identity(diff.b),
        "differences": [
            {
                "key": d.key,
                "label": d.label,
                "a": d.value_a,
                "b": d.value_b,
                "clause_a": d.clause_a,
                "clause_b": d.clause_b,
            }
            for d in diff.differences
        ],
        "clause_only": diff.clause_only,
    }


def _pack_identity(pack: RulePack) -> dict[str, Any]:
    return {"name": pack.name, "label": pack.label, "title": pack.title, "origin": pack.origin}


def uncomputed_entries(clauses: Iterable[ManualClause]) -> list[dict[str, str]]:
    """The clauses a pack leaves to human judgement, each as {clause, what, why}."""
    return [entry(m) for m in clauses]


def demotions_document(result: DemotionsResult) -> dict[str, Any]:
    """The demotions result as the `demotions --json` object (with impact periods and provenance)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "year": result.year,
        "rules": result.rules,
        "source": {"file": result.source, "sha256": result.source_sha256},
        **what_if_keys(result),
        "history_years": list(result.history_years),
        "candidates": [entry(t) for t in result.candidates],
        "undetermined": [entry(t) for t in result.undetermined],
        "impact_periods": [entry(p) for p in result.impact_periods],
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
        "grades": [entry(g) for g in result.grades],
        "cuts": [entry(c) for c in result.cuts],
        "awards": [entry(a) for a in result.awards],
        "cadre_quotas": [entry(q) for q in result.cadre_quotas],
        "bonus": [entry(b) for b in result.bonus],
        "candidates": [entry(t) for t in result.candidates],
        "undetermined": [entry(t) for t in result.undetermined],
        "impact_periods": [entry(p) for p in result.impact_periods],
        "previous_year": {"year": result.previous.year, "source": result.previous.source},
        "history_years": list(result.history_years),
        "promotions": {
            "units": [entry(u) for u in result.promoted_units],
            "cadres": [entry(c) for c in result.promoted_cadres],
            "county_heads": [entry(h) for h in result.county_heads],
            "lists": listed_entries(result.lists),
            "excluded": [entry(e) for e in result.excluded],
        },
        "notes": [w.message for w in result.notes],
        "uncomputed": uncomputed_entries(result.uncomputed),
    }


def _share(value: Fraction) -> float | int | None:
    """A percentile or combined score (exact in the rules) to six decimals for JSON."""
    return _number((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.000001")).normalize())


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


def promotions_document(result: PromotionsResult) -> dict[str, Any]:
    """The promotions result as the `promotions --json` object (with the county ranking and undetermined cases)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "year": result.year,
        "rules": result.rules,
        "source": {"file": result.source, "sha256": result.source_sha256},
        **what_if_keys(result),
        "history_years": list(result.history_years),
        "units": [entry(u) for u in result.units],
        "cadres": [entry(c) for c in result.cadres],
        "county_heads": [entry(h) for h in result.county_heads],
        "lists": listed_entries(result.lists),
        "county_ranking": [entry(c) for c in result.counties],
        "excluded": [entry(e) for e in result.excluded],
        "undetermined": [entry(e) for e in result.undetermined],
        "warnings": [w.message for w in result.warnings],
    }


def document(result: Any) -> dict[str, Any]:
    """A year result as its command's --json object."""
    if isinstance(result, AwardsResult):
        return awards_document(result)
    if isinstance(result, DemotionsResult):
        return demotions_document(result)
    if isinstance(result, PromotionsResult):
        return promotions_document(result)
    if isinstance(result, Explanation):
        return explain_document(result)
    raise TypeError(f"{type(result).__name__} 没有 --json 文档")


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def diff_document(result: DiffResult) -> dict[str, Any]:
    """`diff --json`: both versions, whether any result changed, each result change with its input cells, the
    totals before and after, and every changed input cell."""
    return {
        "schema_version": SCHEMA_VERSION,
        "year": result.year,
        "old": {"file": result.old.source, "sha256": result.old.source_sha256, "rules": result.old.rules},
        "new": {"file": result.new.source, "sha256": result.new.source_sha256, "rules": result.new.rules},
        "changed": result.changed,
        "changes": [entry(c) for c in result.changes],
        "totals": [entry(t) for t in result.totals],
        "inputs": [entry(c) for c in result.inputs],
        "warnings": [w.message for w in result.warnings],
        "what_if": [what_if_entry(setting) for setting in result.what_if],
        "what_if_title": result.what_if_title,
    }
