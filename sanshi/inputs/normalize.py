"""Text normalization shared by the reader, the rules and the history store."""

from __future__ import annotations

import re
import unicodedata

# Whitespace of every kind (U+3000 ideographic space and NBSP are \s) and the invisible zero-width characters
# that copying from web pages and WeChat leaves behind.
_SPACE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
# Control characters pasted from other systems (Excel keeps them as _x0007_): invisible, and not allowed
# in a result workbook, so they are dropped at the door.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# After NFKC: the other brackets people type in names become ( ), and middle dots become one dot.
_VARIANTS = str.maketrans(
    {
        "〔": "(",
        "〕": ")",
        "【": "(",
        "】": ")",
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
        "〈": "(",
        "〉": ")",
        "《": "(",
        "》": ")",
        "・": "·",
        "•": "·",
        "‧": "·",
        "∙": "·",
        "⋅": "·",
        "●": "·",
    }
)


def nfkc(text: str) -> str:
    """Full-width letters, digits and brackets to their ASCII forms (（） -> ())."""
    return unicodedata.normalize("NFKC", text)


# Any character that name_key or clean_text would change in text that is already NFKC: whitespace of every
# kind, the zero-width characters, control characters and the bracket and dot variants.
_CHANGED = re.compile(
    "[\\s\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f" + re.escape("".join(chr(c) for c in _VARIANTS)) + "]"
)


def unchanged(text: str) -> bool:
    """Whether the normalizations below would give `text` back as it is (most cells: 张伟, 云溪县), checked
    in C instead of running them; a test holds the shortcut to the full path on arbitrary text."""
    return unicodedata.is_normalized("NFKC", text) and _CHANGED.search(text) is None


def name_key(name: str) -> str:
    """The one normalization of names, for units and people alike, as compared across sheets and years:
    NFKC (full-width letters, digits and brackets to ASCII), every bracket form as ( ), every middle dot
    as ·, and no whitespace at all. 「西安 高新区（筹）」 and 「西安高新区(筹)」 are the same unit."""
    if unchanged(name):
        return name
    return _SPACE.sub("", _CONTROL.sub("", nfkc(name)).translate(_VARIANTS))


# Column headers, sheet names and choice values are matched the same way as names.
header_key = name_key


def clean_text(text: str) -> str:
    """Free text: NFKC, trimmed, inner runs of whitespace kept as one space, control characters dropped."""
    if unchanged(text):
        return text
    return _SPACE.sub(" ", _CONTROL.sub("", nfkc(text))).strip()


def column_letter(index: int) -> str:
    """0-based column index to Excel letters: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
