"""Exact arithmetic shared by the rules: rounding of quotas, formatting of numbers."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import ceil, floor

ROUNDING_LABELS = {"floor": "向下取整", "half_up": "四舍五入", "ceil": "向上取整"}


def round_quota(value: Fraction, mode: str) -> int:
    """Round a non-negative exact quota: floor(3.5)=3, half_up(3.5)=4, ceil(3.1)=4."""
    if mode == "floor":
        return floor(value)
    if mode == "ceil":
        return ceil(value)
    if mode == "half_up":
        return floor(value + Fraction(1, 2))
    raise ValueError(f"unknown rounding mode {mode!r}")


def percent(value: Fraction) -> str:
    """7/20 -> '35%'; 1/3 -> '33.33%'."""
    p = value * 100
    return f"{p.numerator}%" if p.denominator == 1 else f"{float(p):.2f}%"


def num(value: Decimal | Fraction | int) -> str:
    """A number as written in a basis line: 110, 92.35, 4.2 (no trailing zeros, no exponent)."""
    if value < 0:
        return "−" + num(-value)  # the minus sign used in the basis formulas
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, int):
        return str(value)
    return format(value.normalize(), "f")


def quota_formula(units: int, ratio: Fraction, mode: str, quota: int) -> str:
    """The quota arithmetic in words: '12×35%=4.2,向下取整为4'."""
    exact = units * ratio
    return f"{units}×{percent(ratio)}={num(exact)},{ROUNDING_LABELS[mode]}为{quota}"


_DIGITS = "零一二三四五六七八九"
_PLACES = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_number(n: int) -> str:
    """0 to 9999 in Chinese numerals as documents write them: 八, 十, 十二, 二十, 一百零五, 一千零一十."""
    if not 0 <= n <= 9999:
        raise ValueError(f"chinese_number: {n} is outside 0..9999")
    if n < 10:
        return _DIGITS[n]
    out, zero = "", False
    for size, place in _PLACES:
        digit, n = divmod(n, size)
        if digit:
            out += ("零" if zero else "") + _DIGITS[digit] + place
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _DIGITS[n]
    return out[1:] if out.startswith("一十") else out  # 十二, not 一十二


def chinese_int(text: str) -> int:
    """The number a clause or a rank writes, 1 to 99: 八, 十, 十三, 二十一, or in digits (12); ValueError otherwise."""
    if text.isdigit():
        return int(text)
    tens, ten, ones = text.partition("十")
    if not ten:
        return _digit(text)
    return (_digit(tens) if tens else 1) * 10 + (_digit(ones) if ones else 0)


def _digit(text: str) -> int:
    if len(text) != 1 or text not in _DIGITS[1:]:
        raise ValueError(f"「{text}」不是一至九")
    return _DIGITS.index(text)
