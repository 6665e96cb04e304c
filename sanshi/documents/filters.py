"""Jinja filters for 公文 wording: dates, 发文字号, 万元 amounts and Chinese list numbering.

Each filter refuses a value it cannot format (FilterError, reported with the template
and line) rather than printing something a signed document should not contain.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from sanshi.documents import config
from sanshi.rules import cases
from sanshi.rules.arith import chinese_number, num
from sanshi.rules.impact import chinese_date


class FilterError(ValueError):
    """A filter was given a value it cannot format."""


def cn_date(value: object) -> str:
    """2023-12-01 (a date or ISO text) -> 2023年12月1日, without leading zeros."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise FilterError(f"cn_date:「{value}」不是日期(应为 2023-12-01 的形式)") from None
    if not isinstance(value, date):
        raise FilterError(f"cn_date:{value!r} 不是日期")
    return chinese_date(value)


def wenhao(code: object, year: object, serial: object) -> str:
    """发文字号: 代字, year in 〔〕 and the serial number without leading zeros — 陕组发〔2023〕12号."""
    if not isinstance(code, str) or not code.strip():
        raise FilterError("wenhao:发文机关代字为空")
    return f"{code.strip()}〔{_positive(year, 'wenhao 年份')}〕{_positive(serial, 'wenhao 序号')}号"


def wan(amount: object) -> str:
    """An amount in 万元 as written in a document: 110万元, 12.5万元 (no trailing zeros)."""
    return f"{num(_number(amount, 'wan'))}万元"


def yuan(amount: object) -> str:
    """An amount in 元: 8000元."""
    return f"{num(_number(amount, 'yuan'))}元"


def numbering(index: object, level: int = 1) -> str:
    """The GB/T 9704 heading numbers: level 1 一、, level 2 （一）, level 3 1., level 4 （1）
    (full-width parentheses, as in printed 公文)."""
    n = _positive(index, "numbering")
    if level == 1:
        return f"{cn_number(n)}、"
    if level == 2:
        return f"（{cn_number(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise FilterError(f"numbering:层级应为 1 至 4,实际为 {level!r}")


def cn_number(value: object) -> str:
    """0 to 9999 in Chinese numerals: 十, 十二, 二十, 一百零五."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 9999:
        raise FilterError(f"cn_number:应为 0 至 9999 的整数,实际为 {value!r}")
    return chinese_number(value)


def _positive(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FilterError(f"{name}:应为正整数,实际为 {value!r}")
    return value


AMOUNT_LIMIT = 10**15  # an amount a document may print: beyond any budget, short enough to write out


def _number(value: object, name: str) -> Decimal | Fraction | int:
    """A finite amount below AMOUNT_LIMIT: nan, inf and 1e999999 (a million digits written out) are refused."""
    if isinstance(value, bool) or value is None:
        raise FilterError(f"{name}:{_short(value)} 不是金额")
    number: Decimal | Fraction | int
    if isinstance(value, (Decimal, Fraction, int)):
        number = value
    else:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise FilterError(f"{name}:{_short(value)} 不是金额") from None
    if isinstance(number, Decimal) and not number.is_finite():
        raise FilterError(f"{name}:{_short(value)} 不是有限的数,不是金额")
    if abs(number) >= AMOUNT_LIMIT:
        raise FilterError(f"{name}:{_short(value)} 超出金额的范围(小于 {AMOUNT_LIMIT})")
    if isinstance(number, Decimal) and _places(number) > 12:
        raise FilterError(f"{name}:{_short(value)} 的小数位过多")
    return number


def _places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def cite(clauses: object) -> str:
    """{{ clauses|cite }}: one clause text or a list of them as one reference, each 办法 named once
    (鼓励激励办法第五条第(二)项、第六条第(二)项)."""
    if isinstance(clauses, str):
        return cases.cite([clauses])
    if isinstance(clauses, (list, tuple)) and all(isinstance(c, str) for c in clauses):
        return cases.cite(list(clauses))
    raise FilterError(f"cite 需要条款文字或其列表,得到 {clauses!r}")


def organ(unit: object, patterns: object) -> str:
    """{{ unit|organ(doc.organs) }}: the 主送机关 of a document to a unit, from the [documents] organs patterns
    (鹤亭县 -> 中共鹤亭县委、鹤亭县人民政府)."""
    if not isinstance(unit, str) or not unit.strip():
        raise FilterError(f"organ:单位名称为空({unit!r})")
    if not isinstance(patterns, dict):
        raise FilterError("organ:需要 doc.organs([documents] 中的 organs 表)")
    named = config.organ(unit.strip(), patterns)
    if named is None:
        raise FilterError(
            f"organ:[documents] organs 中没有适用于「{unit}」的写法(现有 {'、'.join(patterns)}):"
            f'按其名称结尾加一条,或加 "*" 作为其余单位的写法'
        )
    return named


FILTERS = {
    "organ": organ,
    "cite": cite,
    "cn_date": cn_date,
    "wenhao": wenhao,
    "wan": wan,
    "yuan": yuan,
    "numbering": numbering,
    "cn_number": cn_number,
}
