"""鼓励激励办法 第六条第(一)项: target-assessment bonus per person."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from sanshi.inputs.records import Cadre
from sanshi.results import BonusLine, UnitGrade
from sanshi.rules.arith import num, percent
from sanshi.rules.params import Param, RulePack

EXCELLENT = "优秀"


def target_bonus(cadres: Sequence[Cadre], grades: Sequence[UnitGrade], pack: RulePack,
                 protected: dict[str, str] | None = None) -> list[BonusLine]:
    """按优秀、良好、一般等次核发奖金,奖金差额发放到人;年度考核优秀的党政干部奖金提高10%.

    One line per cadre of a target-assessment unit. The coefficient is 1 + uplift for a
    cadre whose own annual assessment is 优秀, else 1. Amounts only when the pack sets
    per-grade amounts (each locality does); a grade without an amount gets none.

    `protected` maps units exempted by a 容错认定 (容错纠错办法第九条) to its 文号: their
    bonus is paid at no less than the pack's `tolerance.bonus_grade` amount.
    """
    amounts = pack["bonus.amount_by_grade"]
    uplift = pack["bonus.excellent_cadre_uplift"]
    kept = pack["tolerance.bonus_grade"]
    protected = protected or {}
    grade_of = {g.unit: g.grade for g in grades}
    # Everything but the name follows from (unit grade, own grade 优秀 or not, 容错 文号): worked out once per
    # combination, not once per person (a national year has tens of thousands of cadres and a handful of these).
    terms: dict[tuple[str | None, bool, str | None], tuple[Fraction, Decimal | None, Decimal | None, str, str]] = {}
    lines = []
    for cadre in cadres:
        if cadre.unit not in grade_of:
            continue
        unit_grade = grade_of[cadre.unit]
        key = (unit_grade, cadre.grade == EXCELLENT, protected.get(cadre.unit))
        if key not in terms:
            terms[key] = _terms(*key, amounts, uplift, kept)
        coefficient, base, amount, clause, basis = terms[key]
        lines.append(BonusLine(cadre.name, cadre.unit, unit_grade, cadre.grade, coefficient, base, amount, clause, basis))
    return lines


def _terms(unit_grade: str | None, excellent: bool, tolerance_ref: str | None, amounts: Param, uplift: Param,
           kept: Param) -> tuple[Fraction, Decimal | None, Decimal | None, str, str]:
    """(coefficient, base, amount, clause, basis) of a cadre of a unit of `unit_grade`."""
    coefficient = 1 + uplift.value if excellent else Fraction(1)
    why = f"本人年度考核优秀,提高{percent(uplift.value)}" if excellent else "系数1"
    clause = amounts.clause if not excellent else uplift.clause
    base = amount = None
    if amounts.is_set:
        base = amounts.value.get(unit_grade) if unit_grade else None
        grade_text = f"单位等次{unit_grade or '无'}"
        floor_ = amounts.value.get(kept.value)
        if tolerance_ref is not None and floor_ is not None and (base is None or base < floor_):
            grade_text += f",容错免责({tolerance_ref}),奖金不因等次减少,按{kept.value}等次"
            base, clause = floor_, f"{clause};{kept.clause}"
        if base is None:
            basis = f"{grade_text},不发放目标责任考核奖金"
            amount = Decimal(0)
        else:
            amount = base * Decimal(coefficient.numerator) / Decimal(coefficient.denominator)
            basis = f"{grade_text},每人{num(base)}元;{why}:{num(base)}×{_coef(coefficient)}={num(amount)}元"
    else:
        basis = f"单位等次{unit_grade or '无'};{why};规则包未设定每人金额,只给出系数"
        if tolerance_ref is not None:
            basis += f";容错免责({tolerance_ref}),奖金按不低于{kept.value}等次核发"
    return coefficient, base, amount, clause, basis


def _coef(value: Fraction) -> str:
    return num(value) if value.denominator != 1 else str(value.numerator)
