"""Text normalization shared by the reader, the rules and the history store."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def nfkc(text: str) -> str:
    """Full-width letters, digits and brackets to their ASCII forms (（） -> ())."""
    return unicodedata.normalize("NFKC", text)


def unit_key(name: str) -> str:
    """A unit name as compared across sheets and years: NFKC, no whitespace at all."""
    return _SPACE.sub("", nfkc(name))


def header_key(header: str) -> str:
    """A column header or sheet name as matched against the schema."""
    return _SPACE.sub("", nfkc(header))


def clean_text(text: str) -> str:
    """Free text: NFKC, trimmed, inner runs of whitespace kept as one space."""
    return _SPACE.sub(" ", nfkc(text)).strip()


def column_letter(index: int) -> str:
    """0-based column index to Excel letters: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
