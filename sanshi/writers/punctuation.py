"""Full-width punctuation for Chinese prose that reaches a reader.

Messages are written all over the program with ASCII punctuation (名额线得分92.06并列(省商务厅、省能源局),按排序列取前1个);
a page a person reads turns them into Chinese punctuation here, once, at the last step. Numbers, clause codes
and names in Latin letters keep theirs: 92.06, 3:2, 10:30, 1,234, 能下9(1), SHA-256 (f585…), county.amount_cap.
"""

from __future__ import annotations

import html
import re

FULL_WIDTH = {",": "\uff0c", ":": "\uff1a", ";": "\uff1b", "(": "\uff08", ")": "\uff09"}
_SEPARATORS = ",:;"


def is_chinese(char: str) -> bool:
    """A character of Chinese text: a Han character, Chinese punctuation (、。「」〔〕), a full-width form
    (,:;()%) or a curly quote as Chinese text uses them (“是”)."""
    code = ord(char)
    return (
        0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0x3000 <= code <= 0x303F  # CJK symbols and punctuation
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x2018 <= code <= 0x201D  # ‘ ’ “ ”
    )


def _pairs(text: str) -> dict[int, int]:
    """Each matched ( and ) position mapped to its partner's."""
    partner: dict[int, int] = {}
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "(":
            opened.append(index)
        elif char == ")" and opened:
            start = opened.pop()
            partner[start], partner[index] = index, start
    return partner


def full_width_punctuation(text: str) -> str:
    """`text` with ASCII , : ; ( ) made full-width where they punctuate Chinese.

    - A pair of parentheses becomes full-width when what it encloses has a Chinese character: 第(四)项,
      (省商务厅、省能源局), (2021、2022); not 9(1) or (SHA-256 f585…).
    - A parenthesis without a partner, and a comma, colon or semicolon, become full-width when the character
      just before or just after them is Chinese: 放;办法, 「省级部门」: 名额线, 12×35%=14,向下取整; not 92.06,
      1,234, 3:2, 10:30 or a:b. The spaces after a comma, colon or semicolon made full-width are dropped: a
      full-width mark carries its own space.
    """
    return "".join(_full_width(list(text), list(text)))


def _full_width(decoded: list[str], raw: list[str]) -> list[str]:
    """The rule over characters (`decoded`), each written as `raw` (itself, or a reference such as &amp;)."""
    text = "".join(c if len(c) == 1 else "\ue000" for c in decoded)  # one position per character
    partner = _pairs(text)
    chinese_inside = {
        start: any(is_chinese(c) for c in text[start + 1 : end]) for start, end in partner.items() if start < end
    }
    chinese_inside.update({end: chinese_inside[start] for start, end in partner.items() if start < end})
    out = list(raw)
    chars = list(text)  # as converted so far: a full-width ) makes the comma after it Chinese too

    def beside_chinese(index: int) -> bool:
        return (index > 0 and is_chinese(chars[index - 1])) or (index + 1 < len(chars) and is_chinese(chars[index + 1]))

    drop_spaces = False
    for index, char in enumerate(text):
        if drop_spaces and char == " ":
            out[index] = ""
            continue
        drop_spaces = False
        if char in "()" and (chinese_inside[index] if index in partner else beside_chinese(index)):
            chars[index] = out[index] = FULL_WIDTH[char]
        elif char in _SEPARATORS and beside_chinese(index):
            chars[index] = out[index] = FULL_WIDTH[char]
            drop_spaces = True
    return out


# A tag, or the contents of a <style> or <script> element, which are not text a reader sees; as the one group of
# a split, the page comes apart as text, markup, text, ..., text.
_MARKUP = re.compile(r"(<style\b.*?</style>|<script\b.*?</script>|<!--.*?-->|<[^>]*>)", re.DOTALL | re.IGNORECASE)
_CHARACTER = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|\w+);|.", re.DOTALL)


def full_width_page(page: str) -> str:
    """An HTML page with `full_width_punctuation` applied to its text nodes only: tags, attributes, styles and
    character references (&#34;) are left as they are."""
    parts = _MARKUP.split(page)
    for index in range(0, len(parts), 2):  # the text nodes; most are empty (between two tags)
        if parts[index]:
            parts[index] = _full_width_text(parts[index])
    return "".join(parts)


_CONVERTIBLE = re.compile("[" + re.escape("".join(FULL_WIDTH)) + "]")
# A character is_chinese accepts, or a reference that may stand for one: without either nothing is converted.
_MAYBE_CHINESE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2018-\u201d&]")


def _full_width_text(escaped: str) -> str:
    """Escaped text, a character reference read as the one character it stands for."""
    # Most text nodes of a national report (SVG labels, numbers) have nothing to convert: two searches say so.
    if _CONVERTIBLE.search(escaped) is None or _MAYBE_CHINESE.search(escaped) is None:
        return escaped
    raw = _CHARACTER.findall(escaped)
    return "".join(_full_width([html.unescape(r) for r in raw], raw))
