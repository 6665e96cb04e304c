"""The Jinja sandbox documents are rendered in, with bounds on what a template may compute.

Templates are files users edit: Jinja's `ImmutableSandboxedEnvironment` keeps them away from Python's
internals and from changing the data, and this module keeps them from exhausting the machine. A template
that breaches a bound stops with `LimitError`, which the renderer reports with the template and line:

- numbers: `**` and `*` of whole numbers may not make one of more than NUMBER_BITS bits (`7**(10**10)`);
- text and lists: `'x' * n`, `[...] * n`, `+`, str methods (`center`, `zfill`, `replace`, `join`,
  `format`...), `%`-formatting, filters (`center`, `indent`, `batch`...) and `{% set ns.x = ... %}` may not
  make one of more than TEXT_LIMIT characters or items;
- loops: `range()` gives at most RANGE_LIMIT numbers, and all ranges of one document together at most
  ITERATION_LIMIT (nested loops over `range` cannot multiply);
- output: a document's expressions may produce at most PRODUCED_LIMIT characters in all (macros and
  `{% set %}` blocks included), and its text may have at most TEXT_LIMIT;
- time: each document renders within RENDER_SECONDS (checked at every call, attribute, item, loop step
  and output; on the main thread also by a timer signal, for loops that do none of these).

Bounds are checked before the work where the size can be known in advance, so nothing large is ever built.
The checks also apply when Jinja folds constant expressions while parsing (`{{ 'x'|center(10**9) }}`):
intercepted operators are never folded, and every filter is wrapped.
"""

from __future__ import annotations

import functools
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

NUMBER_BITS = 4000  # ~1,200 digits: far beyond any amount, far below Python's 4,300-digit text limit
TEXT_LIMIT = 1_000_000  # characters (or list items) of one value, and of a document's text
PRODUCED_LIMIT = 10_000_000  # characters all expressions of one document may produce
RANGE_LIMIT = 10_000  # numbers one range() gives
ITERATION_LIMIT = 1_000_000  # numbers all ranges of one document give
ARGUMENT_LIMIT = 10_000  # a width, count or precision given to a str method or a built-in filter
RENDER_SECONDS = 10.0  # per document: the sample year's 86 documents take 30 ms in all
EXPONENT_LIMIT = 1000
_WIDE_PERCENT = re.compile(r"%(\([^)]*\))?[#0 +\-]*(\*|\d{5,}|\d*\.(\*|\d{5,}))")  # %*d, %100000d, %.100000f
_WIDE_BRACES = re.compile(r"\{[^{}]*:[^{}]*(\d{5,}|\{)")  # {:100000}, {0:{1}}
# The built-in filters that take no width or count (their arguments may be any number: an amount, say).
_FREE_ARGUMENTS = {"format", "default", "d", "replace", "attr", "map", "select", "reject", "selectattr"}


class LimitError(Exception):
    """A template went beyond one of the bounds of this module; the message says which, in Chinese."""


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with the bounds of this module. `rendering()` opens one document's budget."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._deadline: float | None = None
        self._seconds = RENDER_SECONDS
        self._iterations = 0
        self._produced_chars = 0
        super().__init__(*args, **kwargs, finalize=self._produced)
        self.globals.pop("lipsum", None)  # sample text has no place in a 公文, and lipsum(n=3000000) runs away
        self.globals["range"] = self._range
        self.globals["namespace"] = BoundedNamespace

    def bound_filters(self, names: Any = None) -> None:
        """Wrap every filter registered so far (Jinja's and sanshi's) in the bounds."""
        for name, function in list(self.filters.items()):
            if not getattr(function, "_sanshi_bounded", False):
                self.filters[name] = _bounded_filter(self, name, function, builtin=name not in (names or ()))

    @contextmanager
    def rendering(self, seconds: float | None = None) -> Iterator[None]:
        """One document's budget: time, iterations and output start from zero."""
        limit = self._seconds = RENDER_SECONDS if seconds is None else seconds
        self._deadline = time.monotonic() + limit
        self._iterations = 0
        self._produced_chars = 0
        _active.sandbox = self
        try:
            with _alarm(limit):
                yield
        finally:
            self._deadline = None
            _active.sandbox = None

    def tick(self) -> None:
        """Stop when the document's time is up."""
        if self._deadline is not None and time.monotonic() > self._deadline:
            self._deadline = None  # report once
            raise LimitError(f"生成一份公文超过 {self._seconds:g} 秒的时限(模板中是否有过多的循环?)")

    # ---- Jinja's hooks --------------------------------------------------------------------------------

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_product(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_format(left, right)
        result = self.binop_table[operator](left, right)
        _check_size(result, f"运算 {operator} 的结果")
        return result

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.tick()
        for value in (*args, *kwargs.values()):
            _check_size(value, "调用的参数")
        method = getattr(obj, "__wrapped__", obj)
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str):
            _check_str_method(owner, getattr(method, "__name__", ""), args, kwargs)
        result = super().call(context, obj, *args, **kwargs)
        _check_size(result, "调用的结果")
        return result

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.tick()
        return super().getitem(obj, argument)

    def _produced(self, value: Any) -> Any:
        """`finalize`: every `{{ }}` output passes here, in macros and `{% set %}` blocks too."""
        if self._deadline is not None:
            self.tick()
            self._produced_chars += len(value) if isinstance(value, str) else 16
            if self._produced_chars > PRODUCED_LIMIT:
                raise LimitError(f"模板输出的文字超过 {PRODUCED_LIMIT} 字的上限")
        return value

    def _range(self, *args: int) -> BoundedRange:
        numbers = range(*args)
        if len(numbers) > RANGE_LIMIT:
            raise LimitError(f"range{args} 有 {len(numbers)} 个数,超过 {RANGE_LIMIT} 个的上限")
        return BoundedRange(self, numbers)

    def count_iteration(self) -> None:
        self._iterations += 1
        if self._iterations > ITERATION_LIMIT:
            raise LimitError(f"循环次数超过 {ITERATION_LIMIT} 次的上限(range 嵌套过多?)")
        if self._iterations % 1000 == 0:
            self.tick()


class BoundedRange:
    """What `range()` gives a template: a range whose every step counts towards the document's budget."""

    def __init__(self, sandbox: BoundedSandbox, numbers: range):
        self._sandbox, self._numbers = sandbox, numbers

    def __iter__(self) -> Iterator[int]:
        for number in self._numbers:
            self._sandbox.count_iteration()
            yield number

    def __reversed__(self) -> Iterator[int]:
        return iter(BoundedRange(self._sandbox, self._numbers[::-1]))

    def __len__(self) -> int:
        return len(self._numbers)

    def __contains__(self, item: object) -> bool:
        return item in self._numbers

    def __getitem__(self, index: Any) -> Any:
        item = self._numbers[index]
        return BoundedRange(self._sandbox, item) if isinstance(item, range) else item

    def __repr__(self) -> str:
        return repr(self._numbers)


class BoundedNamespace(Namespace):
    """`namespace()`: `{% set ns.text = ns.text ~ ns.text %}` in a loop cannot double a value without end."""

    def __setitem__(self, name: str, value: Any) -> None:
        _check_size(value, f"namespace 的 {name}")
        sandbox = getattr(_active, "sandbox", None)
        if sandbox is not None:
            sandbox.tick()
        super().__setitem__(name, value)


_active = threading.local()  # the sandbox rendering on this thread, for BoundedNamespace


# ---- the checks --------------------------------------------------------------------------------------


def weight(value: Any, limit: int = TEXT_LIMIT) -> int:
    """Characters and items in a value, counted through nested lists, tuples and dicts, stopping once
    past `limit` (what joining or printing it would build)."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            total += len(item)
            stack.extend(item.values())
            stack.extend(item.keys())
    return total


def _check_size(value: Any, what: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > NUMBER_BITS:
        raise LimitError(f"{what}是超过 {NUMBER_BITS} 位(二进制)的整数,超出模板允许的数字范围")
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) and weight(value) > TEXT_LIMIT:
        raise LimitError(f"{what}超过 {TEXT_LIMIT} 个字符(或项)的上限")


def _bits(value: Any) -> int | None:
    """The size of an exact number in bits (numerator and denominator), None for other values."""
    if isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return value.bit_length()
    if isinstance(value, Fraction):
        return value.numerator.bit_length() + value.denominator.bit_length()
    return None


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(exponent, (int, float, Fraction)) and abs(exponent) > EXPONENT_LIMIT:
        raise LimitError(f"乘方 {_short(base)}**{_short(exponent)} 的指数超过 {EXPONENT_LIMIT},超出模板允许的数字范围")
    bits = _bits(base)
    if bits is not None and isinstance(exponent, int) and bits * abs(exponent) > NUMBER_BITS:
        raise LimitError(f"乘方 {_short(base)}**{exponent} 的结果超过 {NUMBER_BITS} 位(二进制),超出模板允许的数字范围")


def _check_product(left: Any, right: Any) -> None:
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, (str, bytes, list, tuple)) and isinstance(times, int):
            if weight(sequence) * times > TEXT_LIMIT:
                raise LimitError(f"重复 {times} 次得到的文字或列表超过 {TEXT_LIMIT} 个字符(或项)的上限")
    left_bits, right_bits = _bits(left), _bits(right)
    if left_bits is not None and right_bits is not None and left_bits + right_bits > NUMBER_BITS + 2:
        raise LimitError(f"乘积超过 {NUMBER_BITS} 位(二进制),超出模板允许的数字范围")


def _check_format(text: str, arguments: Any) -> None:
    """`%`-formatting (`'%5d' % n`, the `format` filter): no width or precision of 5 digits or `*`."""
    if _WIDE_PERCENT.search(text):
        raise LimitError(f"格式「{_short(text)}」的宽度或精度过大(不超过 4 位数字,不用 *)")


def _check_str_method(text: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A str method whose result could be large: widths and counts bounded, `replace` and `join` sized first."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > ARGUMENT_LIMIT:
            raise LimitError(f"字符串方法 {name} 的参数 {value} 超过 {ARGUMENT_LIMIT} 的上限")
    if name in ("format", "format_map") and _WIDE_BRACES.search(text):
        raise LimitError(f"格式「{_short(text)}」的宽度过大(不超过 4 位数字,不嵌套 {{}})")
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        occurrences = text.count(args[0]) if args[0] else len(text) + 1
        if len(text) + occurrences * len(args[1]) > TEXT_LIMIT:
            raise LimitError(f"replace 的结果超过 {TEXT_LIMIT} 个字符的上限")
    if name == "join" and args and isinstance(args[0], (list, tuple)):
        if weight(args[0]) + len(text) * len(args[0]) > TEXT_LIMIT:
            raise LimitError(f"join 的结果超过 {TEXT_LIMIT} 个字符的上限")


def _bounded_filter(sandbox: BoundedSandbox, name: str, function: Callable[..., Any], builtin: bool) -> Any:
    """A filter that checks its arguments before it runs and its result after. Jinja's own filters take
    widths and counts (`center`, `indent`, `batch`, `truncate`...), bounded by ARGUMENT_LIMIT; sanshi's
    check their arguments themselves."""
    passes = getattr(function, "jinja_pass_arg", None)

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        sandbox.tick()
        given = args[1:] if passes is not None else args  # without the context or environment Jinja passes
        value, rest = (given[0], given[1:]) if given else (None, ())
        _check_size(value, f"过滤器 {name} 的输入")
        if builtin and name not in _FREE_ARGUMENTS:
            for argument in (*rest, *kwargs.values()):
                if isinstance(argument, int) and not isinstance(argument, bool) and abs(argument) > ARGUMENT_LIMIT:
                    raise LimitError(f"过滤器 {name} 的参数 {argument} 超过 {ARGUMENT_LIMIT} 的上限")
        if name == "format" and isinstance(value, str):
            _check_format(value, rest)
        if name == "indent" and isinstance(value, str):
            width = next((a for a in (*rest, kwargs.get("width")) if isinstance(a, int)), 4)
            if len(value) + width * (value.count("\n") + 1) > TEXT_LIMIT:
                raise LimitError(f"过滤器 indent 的结果超过 {TEXT_LIMIT} 个字符的上限")
        for argument in (*rest, *kwargs.values()):
            _check_size(argument, f"过滤器 {name} 的参数")
        result = function(*args, **kwargs)
        _check_size(result, f"过滤器 {name} 的结果")
        return result

    bounded._sanshi_bounded = True  # type: ignore[attr-defined]
    return bounded


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """On the main thread, a timer signal that stops a render at the deadline even in a loop that calls nothing
    (elsewhere the hooks' checks suffice). A timer set by someone else is put back afterwards."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise LimitError(f"生成一份公文超过 {seconds:g} 秒的时限(模板中是否有过多的循环?)")

    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    earlier, interval = signal.setitimer(signal.ITIMER_REAL, seconds + 0.5)  # the hooks' checks come first
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if earlier:
            signal.setitimer(signal.ITIMER_REAL, max(earlier - (time.monotonic() - started), 0.001), interval)
