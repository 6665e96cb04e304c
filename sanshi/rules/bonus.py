"""鼓励激励办法 第六条第(一)项: target-assessment bonus per person."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from sanshi.errors import RunWarning
from sanshi.inputs.records import Cadre
from sanshi.inputs.schema import CADRE_GRADES, EXCELLENT
from sanshi.results import BonusLine, UnitGrade
from sanshi.rules.arith import num, percent
from sanshi.rules.params import RulePack

INCOMPETENT = CADRE_GRADES[-1]


def target_bonus(
    cadres: Sequence[Cadre], grades: Sequence[UnitGrade], pack: RulePack, protected: dict[str, str] | None = None
) -> list[BonusLine]:
    """按优秀、良好、一般等次核发奖金,奖金差额发放到人;年度考核优秀的党政干部奖金提高10%.

    One line per cadre of a target-assessment unit. The coefficient is 1 + uplift for a
    cadre whose own annual assessment is 优秀, else 1. Amounts only when the pack sets
    per-grade amounts (each locality does); a grade without an amount gets none.

    `protected` maps units exempted by a 容错认定 (容错纠错办法第九条) to its 文号: their
    bonus is paid at no less than the pack's `tolerance.bonus_grade` amount.
    """
    factors = pack.grade_factors("bonus.grade_factors")
    protected = protected or {}
    grade_of = {g.unit: g.grade for g in grades}
    # Everything but the name follows from (unit grade, own grade 优秀 or not, 容错 文号): worked out once per
    # combination, not once per person (a national year has tens of thousands of cadres and a handful of these).
    terms: dict[
        tuple[str | None, str | None, str | None], tuple[Fraction, Decimal | None, Decimal | None, str, str]
    ] = {}
    lines = []
    for cadre in cadres:
        if cadre.unit not in grade_of:
            continue
        unit_grade = grade_of[cadre.unit]
        own = cadre.grade if cadre.grade == EXCELLENT or cadre.grade in factors else None
        key = (unit_grade, own, protected.get(cadre.unit))
        if key not in terms:
            terms[key] = _terms(*key, pack)
        coefficient, base, amount, clause, basis = terms[key]
        lines.append(
            BonusLine(cadre.name, cadre.unit, unit_grade, cadre.grade, coefficient, base, amount, clause, basis)
        )
    return lines


def _terms(
    unit_grade: str | None,
    own: str | None,
    tolerance_ref: str | None,
    pack: RulePack,
) -> tuple[Fraction, Decimal | None, Decimal | None, str, str]:
    """(coefficient, base, amount, clause, basis) of a cadre of a unit of `unit_grade` whose own grade is `own`
    (优秀, or one of bonus.grade_factors' grades; None for any other)."""
    amounts, kept = pack.grade_amounts("bonus.amount_by_grade"), pack.choice("tolerance.bonus_grade")
    clause = amounts_clause = pack.clause("bonus.amount_by_grade")
    if own == EXCELLENT:
        uplift = pack.ratio("bonus.excellent_cadre_uplift")
        coefficient, why = 1 + uplift, f"本人年度考核优秀,提高{percent(uplift)}"
        clause = pack.clause("bonus.excellent_cadre_uplift")
    elif own is not None:
        coefficient = pack.grade_factors("bonus.grade_factors")[own]
        why = f"本人年度考核{own},系数{_coef(coefficient)}(规则包 bonus.grade_factors)"
        factors_clause = pack.clause("bonus.grade_factors")
        clause = amounts_clause if factors_clause in amounts_clause else f"{amounts_clause};{factors_clause}"
    else:
        coefficient, why = Fraction(1), "系数1"
    base = amount = None
    if amounts is not None:
        base = amounts.get(unit_grade) if unit_grade else None
        grade_text = f"单位等次{unit_grade or '无'}"
        floor_ = amounts.get(kept)
        if tolerance_ref is not None and floor_ is not None and (base is None or base < floor_):
            grade_text += f",容错免责({tolerance_ref}),奖金不因等次减少,按{kept}等次"
            base, clause = floor_, f"{clause};{pack.clause('tolerance.bonus_grade')}"
        if base is None:
            basis = f"{grade_text},不发放目标责任考核奖金"
            amount = Decimal(0)
        else:
            amount = base * Decimal(coefficient.numerator) / Decimal(coefficient.denominator)
            basis = f"{grade_text},每人{num(base)}元;{why}:{num(base)}×{_coef(coefficient)}={num(amount)}元"
    else:
        basis = f"单位等次{unit_grade or '无'};{why};规则包未设定每人金额,只给出系数"
        if tolerance_ref is not None:
            basis += f";容错免责({tolerance_ref}),奖金按不低于{kept}等次核发"
    return coefficient, base, amount, clause, basis


def _coef(value: Fraction) -> str:
    return num(value) if value.denominator != 1 else str(value.numerator)


def paid_despite_grade(lines: Sequence[BonusLine], pack: RulePack) -> list[RunWarning]:
    """A warning for each line paid to a cadre whose own grade is 不称职: the text is silent on it
    (bonus.grade_factors), so the payment is the pack's choice and is said. A line that pays nothing (a factor
    of 0%, or a unit grade without an amount) is no payment; a line without amounts (the pack sets none) pays
    by its coefficient."""
    factor = pack.grade_factors("bonus.grade_factors").get(INCOMPETENT)
    if not factor:
        return []
    return [
        RunWarning(
            "bonus.paid_despite_grade",
            f"{line.name}({line.unit})年度考核不称职,目标责任考核奖金按规则包 bonus.grade_factors 系数"
            f"{percent(factor)}发放;办法对此未作规定,请按本地细则核定",
            units=(line.unit,),
            people=(line.name,),
        )
        for line in lines
        if line.cadre_grade == INCOMPETENT and line.amount_yuan != 0
    ]
