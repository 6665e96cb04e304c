"""A line breaker for Chinese terminal text: lines of at most a given display width (CJK characters
count 2 columns, as wcwidth measures them) that never break inside a number, a date, a clause, a
文号, a run of ASCII or a name the caller protects, and that follow the kinsoku rule (no closing
punctuation at the start of a line, no opening punctuation at its end).

tabulate's own `maxcolwidths` cuts at any character (`2023年1` / `0月17日`), so the terminal writer
pre-wraps cells with this module and gives tabulate multiline cells.

Between two Chinese characters a line may break anywhere; a space is a break opportunity and is
dropped at the break. A single unbreakable piece wider than the whole line is the one thing cut,
character by character, as a last resort: a line never exceeds the width, which matters more on a
terminal (where an overlong line wraps wherever the terminal likes) than keeping the piece whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


# Kinsoku: these never start a line (closing, Chinese and ASCII) or end one (opening).
# The middle dot and › separate parts of a title (`规则包 X · 上年数据`): they stay with what precedes them.
CLOSING = frozenset("、,。;:)」』》〕】〉!?”’…,.;:)]}!?%·›")
OPENING = frozenset("(「『《〔【〈“‘([{")

_UNIT = r"(?:万元|亿元|人次|个月|年度|[元人个名位项起年月日票次倍分岁号期户家件天条款%‰])"
_NUMBER = rf"第?[+\-−]?\d+(?:[.,]\d+)*{_UNIT}?"
_OPERATOR = r"[+\-−×÷=/→≥≤<>~～—–]"
_CN_NUMERAL = r"[零〇一二三四五六七八九十百\d]+"
_ITEM = rf"第[((]{_CN_NUMERAL}[))]项"
# Every pattern below is one piece a line must not break inside.
_PIECES = (
    # 126人, 30.0%, −30万元, 50+6×10=110万元, 8→2, 2021—2023年, =41.7%≥30%
    rf"{_OPERATOR}?{_NUMBER}(?:{_OPERATOR}{_NUMBER})*",
    r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?|\d{4}-\d{1,2}-\d{1,2}",  # 2023年10月17日, 2023-10-17
    # 能上能下办法第十条第(一)项, 能上能下办法(2016年版)第八条第(二)项, 第七条第(一)项, 第二款, 第(二)项
    rf"(?:(?:鼓励激励|能上能下|容错纠错)办法(?:[((]\d{{4}}年版[))])?)?第{_CN_NUMERAL}条(?:{_ITEM}|第{_CN_NUMERAL}款)?",
    _ITEM,
    # 文号: 秦组容〔2023〕3号. Where the 代字 is not set off from the words before it (规定秦组容〔2023〕),
    # nothing tells where it begins: only 〔2023〕3号 is kept whole, and the writer protects the whole 文号.
    r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{1,6}[〔\[]\d{4}[〕\]]\d+号|[〔\[]\d{4}[〕\]]\d+号",
    r"GB(?:/T)? ?\d+(?:-\d{4})?",  # a national standard: GB/T 9704-2012
    # A run of ASCII letters and digits with the punctuation inside words: 8(2, shaanxi-2018, half_up,
    # --tie, include/exclude, a file's extension (.html). The closing parenthesis of 8(2) stays by kinsoku.
    r"(?:-{1,2}|(?<![A-Za-z0-9_])\.)?[A-Za-z0-9_]+(?:[-./:@+#&'~,()=][A-Za-z0-9_]+)*",
)
_PIECE_PATTERNS = tuple(re.compile(p) for p in _PIECES)
_SPACE = re.compile(r"\s+")


_NO_WIDTH_LETTERS = frozenset("\u3164\uffa0")  # HANGUL FILLER and its halfwidth form: letters wcwidth draws as 0


def known_width(char: str) -> int | None:
    """wcwidth's width of a character that Unicode's tables answer alone (a CJK character 2, a letter or
    punctuation mark of a narrow, halfwidth or ambiguous class 1), else None: answered so, printing Chinese help
    never imports wcwidth (22 ms of start-up). A test holds it to wcwidth over every code point."""
    category = unicodedata.category(char)
    if category[0] in "CMZ" and category != "Zs" or char in _NO_WIDTH_LETTERS:
        return None
    kind = unicodedata.east_asian_width(char)
    if kind in ("W", "F"):
        return 2
    if kind in ("Na", "H", "A"):
        return 1
    return None


def _wcwidth(char: str) -> int:
    known = known_width(char)
    if known is not None:
        return known
    from wcwidth import wcwidth

    return wcwidth(char)


class _Cells(dict[str, int]):
    """Each character's width in columns, looked up once: wcwidth's (CJK and full-width 2, combining marks 0, a
    control character 0); with `ambiguous` 2, the characters East Asian fonts draw full width (“”, ·, ○) too."""

    def __init__(self, ambiguous: int) -> None:
        super().__init__()
        self.ambiguous = ambiguous

    def __missing__(self, char: str) -> int:
        cells = max(_wcwidth(char), 0)
        if cells == 1 and self.ambiguous == 2 and unicodedata.east_asian_width(char) == "A":
            cells = 2
        self[char] = cells
        return cells


_CELLS = {1: _Cells(1), 2: _Cells(2)}


def display_width(text: str, *, ambiguous: int = 1) -> int:
    """The one measure of how wide text is, in columns (a CJK character 2, a Latin letter 1): terminal tables and
    messages, xlsx column widths and row heights, SVG labels, and, with `ambiguous=2` as Chinese fonts draw
    quotation marks and middle dots, the lines of a 公文's title."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(map(_CELLS[ambiguous].__getitem__, text))


class _Names:
    """The protected names of a text, found as a regular expression of them all would find them (leftmost,
    longest first, not overlapping) but by their first two characters: a table of 17,000 triggers protects every
    person's name, and an alternation of that many names is tried name by name at every character."""

    def __init__(self, protect: tuple[str, ...]) -> None:
        self.by_start: dict[str, list[str]] = {}
        # Longest first, so 省人力资源社会保障厅 wins over a shorter name inside it.
        for name in sorted({n for n in protect if n and len(n) > 1}, key=len, reverse=True):
            self.by_start.setdefault(name[:2], []).append(name)

    def spans(self, text: str) -> list[tuple[int, int]]:
        found, at, last = [], 0, len(text) - 1
        while at < last:
            for name in self.by_start.get(text[at : at + 2], ()):
                if text.startswith(name, at):
                    found.append((at, at + len(name)))
                    at += len(name)
                    break
            else:
                at += 1
        return found


_last_names: tuple[tuple[str, ...], _Names] | None = None


def _names(protect: tuple[str, ...]) -> _Names:
    """The index of `protect`, kept for the next call with the same tuple (a table passes one tuple for every
    cell; hashing 17,000 names per cell for a cache key would cost more than the index saves)."""
    global _last_names
    if _last_names is None or _last_names[0] is not protect:
        _last_names = (protect, _Names(protect))
    return _last_names[1]


def _spans(text: str, protect: tuple[str, ...]) -> list[tuple[int, int]]:
    """The unbreakable spans of text: every match of every piece and name, overlapping ones merged."""
    # Each pattern on its own, as matches of different patterns overlap (a date and its numbers, 8(2) and 8).
    found = [m.span() for pattern in _PIECE_PATTERNS for m in pattern.finditer(text)]
    if protect:
        found.extend(_names(protect).spans(text))
    merged: list[list[int]] = []
    for start, end in sorted(s for s in found if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _segments(text: str, protect: tuple[str, ...]) -> list[tuple[str, str]]:
    """Text cut at its break opportunities: (piece, the whitespace after it) pairs; a line may end
    after any pair, and then the whitespace is dropped."""
    atoms: list[str] = []  # whitespace runs are atoms of their own
    spans = _spans(text, protect)
    at, index = 0, 0
    while at < len(text):
        if index < len(spans) and spans[index][0] == at:
            end = spans[index][1]
            index += 1
        else:
            space = _SPACE.match(text, at)
            limit = spans[index][0] if index < len(spans) else len(text)
            end = min(space.end(), limit) if space else at + 1
        atoms.append(text[at:end])
        at = end
    segments: list[tuple[str, str]] = []
    word, gap = "", ""
    for atom in atoms:
        if atom.isspace():
            gap += atom
            continue
        if word and _may_break(word, atom):
            segments.append((word, gap))
            word, gap = atom, ""
        else:
            word, gap = word + gap + atom, ""
    if word:
        segments.append((word, ""))
    return segments


def _may_break(before: str, after: str) -> bool:
    return after[0] not in CLOSING and before[-1] not in OPENING


def longest_piece(text: str, protect: Iterable[str] = ()) -> int:
    """The display width of the widest piece no line break may split: the narrowest a column of this text can be
    without cutting anything."""
    protect = tuple(protect)
    return max((display_width(word) for line in text.split("\n") for word, _ in _segments(line, protect)), default=0)


def wrap(text: str, width: int, protect: Iterable[str] = ()) -> list[str]:
    """The text's lines, each at most `width` columns. Existing line breaks are kept; a continuation line
    keeps the leading whitespace of the line it continues. `protect` names (units, people, the rule
    pack) are never split."""
    protect = tuple(protect)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width, protect))
    return lines


def fill(text: str, width: int, protect: Iterable[str] = ()) -> str:
    """`wrap`, joined with newlines."""
    return "\n".join(wrap(text, width, protect))


def _wrap_paragraph(paragraph: str, width: int, protect: tuple[str, ...]) -> list[str]:
    if display_width(paragraph) <= width:
        return [paragraph]
    body = paragraph.lstrip()
    indent = paragraph[: len(paragraph) - len(body)]
    room = max(width - display_width(indent), 2)
    lines: list[str] = []
    line, gap = "", ""
    for word, space in _segments(body, protect):
        if line and display_width(line + gap + word) <= room:
            line += gap + word
        else:
            if line:
                lines.append(line)
            pieces = _cut(word, room) if display_width(word) > room else [word]
            lines.extend(pieces[:-1])
            line = pieces[-1]
        gap = space
    lines.append(line)
    return [indent + each for each in lines]


def _cut(word: str, room: int) -> list[str]:
    """The last resort: a piece wider than the line, cut at the characters that fill each line."""
    pieces, piece = [], ""
    for ch in word:
        if piece and display_width(piece + ch) > room:
            pieces.append(piece)
            piece = ""
        piece += ch
    pieces.append(piece)
    return pieces
