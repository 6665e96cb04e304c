"""Text normalization shared by the reader, the rules and the history store."""

from __future__ import annotations

import re
import unicodedata

# Every code point with the Unicode property Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode
# 15.1; `unicodedata` has no property lookup, so the ranges are written out): characters a renderer shows as
# nothing, such as the soft hyphen U+00AD, the zero-width space and joiners, the word joiner, the Hangul
# fillers, variation selectors and tags. The bidi controls (Bidi_Control: U+061C, U+200E-200F, U+202A-202E,
# U+2066-2069) all lie within these ranges. They are dropped from every name and text, so 「秦川\u00ad市」 is
# 秦川市 and not a new unit.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_IGNORABLE_CLASS = "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in DEFAULT_IGNORABLE)
_IGNORABLE = re.compile(f"[{_IGNORABLE_CLASS}]+")
# Whitespace of every kind (U+3000 ideographic space and NBSP are \s).
_SPACE = re.compile(r"\s+")
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
    """Full-width letters, digits and brackets to their ASCII forms (（） -> ()), without the default-ignorable
    characters: dropped before NFKC (a soft hyphen between a letter and its accent would keep them apart) and
    after it (NFKC maps the halfwidth Hangul filler to another filler)."""
    return _IGNORABLE.sub("", unicodedata.normalize("NFKC", _IGNORABLE.sub("", text)))


# Any character that name_key or clean_text would change in text that is already NFKC: whitespace of every
# kind, the default-ignorable characters, control characters and the bracket and dot variants.
_CHANGED = re.compile(
    "[\\s\x00-\x08\x0b\x0c\x0e-\x1f\x7f" + _IGNORABLE_CLASS + re.escape("".join(chr(c) for c in _VARIANTS)) + "]"
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


def visible(name: str) -> str:
    """A normalized name as it looks: without the characters that remain invisible (format characters outside
    the default-ignorable set, such as U+FFF9, unassigned and private-use code points). Two names with the same
    visible form but different text are one name to a reader and two to a computer."""
    if name.isprintable():  # str.isprintable is False exactly for the categories C* and Z* (but " ")
        return name
    return "".join(c for c in name if c.isprintable() and c != " ")


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
