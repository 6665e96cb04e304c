"""Typesetting decisions shared by the .docx writer and the HTML preview, so both break a long
title at the same place and size the 发文机关标志 alike (GB/T 9704-2012 7.2.3, 7.3.1)."""

from __future__ import annotations

import math
import re

from sanshi.writers.wrap import display_width

TITLE_CHARS = 19  # 2号 characters on a line of the 版心 (442 pt / 22 pt = 20), less one for wide digits
TITLE_BREAK_AFTER = ("关于", "年度", "）", "的", "发展", "考核", "通报", "资金")  # words a title line may end on
TITLE_BREAK_PENALTY = 6.0  # characters of imbalance worth paying for a break between those words
ISSUER_MAX_PT, ISSUER_MIN_PT = 36, 22  # the 发文机关标志 shrinks within these to stay on one line
ISSUER_LINE_PT = 430  # the 版心 is 442 pt wide; glyphs of a substituted font run a little wider


def width(text: str) -> float:
    """Width in full-width characters: CJK (and ambiguous, as Chinese fonts draw them) 1, others 1/2."""
    return display_width(text, ambiguous=2) / 2


def line_width(text: str) -> float:
    """The width of the widest line."""
    return max((width(line) for line in text.split("\n")), default=0.0)


def issuer_points(text: str) -> int:
    """The 发文机关标志's size in points: as large as fits on one line, between ISSUER_MIN_PT and ISSUER_MAX_PT."""
    wide = line_width(text)
    return ISSUER_MAX_PT if wide == 0 else max(ISSUER_MIN_PT, min(ISSUER_MAX_PT, int(ISSUER_LINE_PT / wide)))


_NO_LINE_START = set("，。、；：？！）》”’〕】的")
_NO_LINE_END = set("（《“‘〔【")


def title_lines(text: str) -> str:
    """A title too long for one line, broken into lines with \\n (7.3.1: 回行时要做到词意完整,排列对称):
    of near-equal width, preferably after a word that ends a phrase (关于, 年度, 的...), never inside
    a number, before closing punctuation or 的, or after opening punctuation."""
    text = text.strip()
    lines = math.ceil(width(text) / TITLE_CHARS)
    if lines <= 1 or "\n" in text:
        return text
    target = width(text) / lines
    breaks, used, start = [], 0.0, 0
    for _ in range(lines - 1):
        best, best_gap, reach = None, None, used
        for index in range(start + 1, len(text)):
            reach += width(text[index - 1])
            if reach - used > TITLE_CHARS:
                break
            before, after = text[index - 1], text[index]
            if (before.isdigit() and after.isdigit()) or after in _NO_LINE_START or before in _NO_LINE_END:
                continue
            gap = abs(reach - target * (len(breaks) + 1))
            if not text[:index].endswith(TITLE_BREAK_AFTER):
                gap += TITLE_BREAK_PENALTY
            if best_gap is None or gap < best_gap:
                best, best_gap = index, gap
        if best is None:
            return text  # nothing sensible: let the line wrap where Word wraps it
        breaks.append(best)
        used, start = width(text[:best]), best
    pieces = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)])]
    return "\n".join(pieces)


# Line breaking of 3号 body text, for the page estimate of the .docx writer (where the 版记 goes). Widths in
# points, measured in LibreOffice's PDF (the wider of the renderers, so the estimate errs long): a CJK glyph
# at 98% of 16 pt; a digit 0.556 of that; 3.2 pt of space where CJK and half-width text meet (LibreOffice adds
# it whatever w:autoSpaceDN says). The 156 mm 版心 is 442.2 pt.
BODY_LINE_PT = 442.2
BODY_CHAR_PT = 16 * 0.98
HALF_CHAR_PT = 16 * 0.98 * 0.556
AUTOSPACE_PT = 3.2
# Kinsoku: these never start a line; a full line lets them hang past its end.
NO_LINE_START = "，。、；：！？）》」』”’〕】…—"


def body_lines(text: str, indent_chars: float = 2.0, line_pt: float = BODY_LINE_PT) -> int:
    """How many lines `text` takes at 3号 in the 版心, the first indented by `indent_chars` characters: greedy
    breaking, runs of half-width text kept whole, and a character taken with the closing punctuation after it,
    of which one mark may hang past the end of a full line."""
    if not text:
        return 1
    units = re.findall(f"(?:[\\x21-\\x7e]+|.)[{NO_LINE_START}]*", text)
    lines, used = 1, indent_chars * BODY_CHAR_PT
    previous_half: bool | None = None
    for unit in units:
        base = unit.rstrip(NO_LINE_START) or unit[:1]
        marks = len(unit) - len(base)
        half = width(base[0]) < 1
        size = len(base) * HALF_CHAR_PT if half else BODY_CHAR_PT
        if previous_half is not None and half != previous_half:
            size += AUTOSPACE_PT
        previous_half = half
        if used + size + max(0, marks - 1) * BODY_CHAR_PT > line_pt + 1e-9:
            lines, used = lines + 1, len(base) * HALF_CHAR_PT if half else BODY_CHAR_PT
        else:
            used += size
        used += marks * BODY_CHAR_PT
    return lines
