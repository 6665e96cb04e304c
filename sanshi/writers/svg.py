"""A small kit for drawing charts as inline SVG text: shapes, text, linear scales and axis ticks.

Every text is escaped here, so a unit name such as <script> from the input is only ever text. Numbers
are written with at most two decimals, so the same data always gives the same bytes.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

from sanshi.writers.wrap import display_width

FONT = 12  # px, the charts' body text


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def fmt(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_width(text: str, size: float = FONT) -> float:
    """About how wide `text` is drawn: CJK characters a full em, others about half of one."""
    return display_width(text) * size * 0.55


_ATTRIBUTE_NAMES: dict[str, str] = {}  # keyword -> attribute name, as written once (a national report draws 146,000)


def attributes(**attrs: object) -> str:
    """SVG attributes; underscores become hyphens, a trailing underscore is dropped (class_), None is left out."""
    return _attributes(attrs)


def _attributes(attrs: dict[str, object]) -> str:
    parts = []
    names = _ATTRIBUTE_NAMES
    for key, value in attrs.items():
        if value is None:
            continue
        name = names.get(key)
        if name is None:
            name = names[key] = key.rstrip("_").replace("_", "-")
        parts.append(f' {name}="{fmt(value) if value.__class__ is float else esc(value)}"')
    return "".join(parts)


class Canvas:
    """An SVG being drawn: elements in painting order, each with an optional tooltip (<title>)."""

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self.parts: list[str] = []

    def _add(self, tag: str, tip: str | None, attrs: dict[str, object], body: str = "") -> None:
        inner = (f"<title>{esc(tip)}</title>" if tip else "") + body
        written = _attributes(attrs)
        self.parts.append(f"<{tag}{written}>{inner}</{tag}>" if inner else f"<{tag}{written}/>")

    def rect(self, x: float, y: float, w: float, h: float, *, tip: str | None = None, **attrs: object) -> None:
        self._add("rect", tip, dict(x=float(x), y=float(y), width=float(max(w, 0)), height=float(max(h, 0)), **attrs))

    def circle(self, cx: float, cy: float, r: float, *, tip: str | None = None, **attrs: object) -> None:
        self._add("circle", tip, dict(cx=float(cx), cy=float(cy), r=float(r), **attrs))

    def line(self, x1: float, y1: float, x2: float, y2: float, *, tip: str | None = None, **attrs: object) -> None:
        self._add("line", tip, dict(x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2), **attrs))

    def polyline(self, points: Iterable[tuple[float, float]], *, tip: str | None = None, **attrs: object) -> None:
        self._add("polyline", tip, dict(points=" ".join(f"{fmt(x)},{fmt(y)}" for x, y in points), fill="none", **attrs))

    def polygon(self, points: Iterable[tuple[float, float]], *, tip: str | None = None, **attrs: object) -> None:
        self._add("polygon", tip, dict(points=" ".join(f"{fmt(x)},{fmt(y)}" for x, y in points), **attrs))

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        anchor: str = "start",
        size: float = FONT,
        rotate: bool = False,
        **attrs: object,
    ) -> None:
        transform = f"rotate(-90 {fmt(x)} {fmt(y)})" if rotate else None
        self.parts.append(
            f"<text{attributes(x=float(x), y=float(y), text_anchor=anchor, font_size=float(size), transform=transform, **attrs)}>"
            f"{esc(content)}</text>"
        )

    def render(self, label: str, chart: str) -> str:
        """The finished <svg>: scaled to its container, named for screen readers by `label`."""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {fmt(self.width)} {fmt(self.height)}" '
            f'width="{fmt(self.width)}" height="{fmt(self.height)}" role="img" aria-label="{esc(label)}" '
            f'data-chart="{esc(chart)}" class="chart">{"".join(self.parts)}</svg>'
        )


class Scale:
    """A linear map from data values in [lo, hi] to pixels in [start, end]."""

    def __init__(self, lo: float, hi: float, start: float, end: float) -> None:
        self.lo, self.hi, self.start, self.end = lo, hi, start, end

    def __call__(self, value: float) -> float:
        if self.hi == self.lo:
            return self.start
        return self.start + (value - self.lo) * (self.end - self.start) / (self.hi - self.lo)


def nice_step(span: float, target: int = 6) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about `target` ticks over `span`."""
    if span <= 0:
        return 1.0
    raw = span / target
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def ticks(lo: float, hi: float, target: int = 6) -> list[float]:
    """Round values from lo to hi (both on a step), for axis labels."""
    step = nice_step(hi - lo, target)
    first = math.ceil(lo / step - 1e-9) * step
    values = []
    value = first
    while value <= hi + step * 1e-9:
        values.append(round(value, 10))
        value += step
    return values


def nice_top(largest: float, target: int = 6) -> float:
    """The first round tick at or above `largest`: where an axis from 0 should end."""
    step = nice_step(largest, target)
    return max(step, math.ceil(largest / step - 1e-9) * step)


def tick_label(value: float) -> str:
    return str(int(value)) if value == int(value) else fmt(value)
