"""The short keys of 能下 cases, built and read in one place: 8(1) is 第八条第(一)项, 9 the whole of 第九条.

Results carry a case by its article and item; the pack's tables (roles, tolerance scopes, citations, named
people) are keyed by these strings.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass

from sanshi.rules.arith import chinese_int, chinese_number


def case_key(article: int, item: int | None = None) -> str:
    """(8, 1) -> '8(1)'; (9, None) -> '9'."""
    return f"{article}({item})" if item else str(article)


def parse_case_key(key: str) -> tuple[int, int | None]:
    """'8(1)' -> (8, 1); '9' -> (9, None). The key is one the pack schema has already checked."""
    article, _, item = key.partition("(")
    return int(article), int(item.rstrip(")")) if item else None


def covers(keys: Container[str], article: int, item: int) -> bool:
    """Whether a set of keys names the case itself or its whole article."""
    return case_key(article, item) in keys or case_key(article) in keys


# ---- citations as data ----------------------------------------------------------------------------

_ARTICLE = r"第([一二三四五六七八九十百]+)条"
_ITEM = r"第\(([一二三四五六七八九十]+)\)项"
_TOKEN = re.compile(rf"^(?:{_ARTICLE})?(?:{_ITEM})?(?:至(?:{_ARTICLE})?(?:{_ITEM})?)?$")
_EDITION = re.compile(r"\((\d{4}年版)")  # 能上能下办法(2016年版…)
_CURRENT = re.compile(r"对应\d{4}年版(.*)\)$")  # …对应2018年版第八条第(一)项)


@dataclass(frozen=True)
class Citation:
    """A clause as data: the 办法 (or another document, as the pack writes it), the 条 and 项 (None: the whole
    article, or the whole document), and the edition when the pack cites an earlier one by the numbers of the
    current text (2016年版: "条款编号待核;对应2018年版…")."""

    document: str
    article: int | None = None
    item: int | None = None
    edition: str = ""

    @property
    def text(self) -> str:
        """能上能下办法第八条第(一)项."""
        article = f"第{chinese_number(self.article)}条" if self.article else ""
        item = f"第({chinese_number(self.item)})项" if self.item else ""
        return f"{self.document}{article}{item}"


def parse_citation(text: str) -> tuple[Citation, ...]:
    """A pack's clause text as citations: 「鼓励激励办法第五条第(三)项;能上能下办法第十条」 is two, 「第十一条至第十三条」
    three, 「第八条第(一)项、第(三)项」 two; an earlier edition cited by the current numbers ("2016年版,条款编号待核;
    对应2018年版第五条第(一)项") keeps those numbers and says its edition. A document cited without numbers is one
    citation of the whole of it, and so is a part whose numbers are not written as 第X条第(Y)项 (a local pack's own
    wording is kept as written, never misread)."""
    found: list[Citation] = []
    for part in _parts(text):
        try:
            found += _citations(part)
        except ValueError:
            found.append(Citation(part))
    return tuple(found)


def _citations(part: str) -> list[Citation]:
    document = part.split("(", 1)[0]
    edition = _EDITION.search(part)
    if edition is not None:
        current = _CURRENT.search(part)
        numbers = _numbers(current[1], part) if current else [(None, None)]
    elif "第" in document:
        document, spec = part.split("第", 1)  # the first 第 comes before any bracket
        numbers = _numbers("第" + spec, part)
    else:
        return [Citation(part)]
    return [Citation(d, a, i, edition[1] if edition else "") for d in document.split("、") if d for a, i in numbers]


def _parts(text: str) -> list[str]:
    """The text split at the semicolons outside brackets."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _numbers(spec: str, whole: str) -> list[tuple[int | None, int | None]]:
    """第六条、第八条第(四)项、第十一条至第十三条 -> (6, None), (8, 4), (11, None), (12, None), (13, None)."""
    numbers: list[tuple[int | None, int | None]] = []
    article: int | None = None
    for token in spec.split("、"):
        match = _TOKEN.match(token)
        if match is None or not token:
            raise ValueError(f"条款「{whole}」中的「{token}」不是 第X条、第(X)项 或 第X条至第Y条 的写法")
        first_article, first_item, last_article, last_item = match.groups()
        article = chinese_int(first_article) if first_article else article
        if article is None:
            raise ValueError(f"条款「{whole}」中的「{token}」没有所属的条")
        if last_article:
            numbers += [(a, None) for a in range(article, chinese_int(last_article) + 1)]
            article = chinese_int(last_article)
        elif last_item:
            start = chinese_int(first_item) if first_item else 1
            numbers += [(article, i) for i in range(start, chinese_int(last_item) + 1)]
        else:
            numbers.append((article, chinese_int(first_item) if first_item else None))
    return numbers


def format_citations(citations: Sequence[Citation]) -> str:
    """Citations as one reference, the document named once: 鼓励激励办法第五条第(二)项、第六条第(二)项;
    容错纠错办法第九条第(一)项、第(二)项. A document cited whole (no article) is its name alone."""
    parts: list[str] = []
    previous: Citation | None = None
    for c in citations:
        if c.article is None:
            parts.append(("和" if parts else "") + c.document)
            previous = None
            continue
        item = f"第({chinese_number(c.item)})项" if c.item else ""
        if previous is not None and previous.document == c.document and previous.edition == c.edition:
            same_article = previous.article == c.article and previous.item and c.item
            parts.append("、" + (item if same_article else f"第{chinese_number(c.article)}条{item}"))
        else:
            parts.append(("和" if parts else "") + f"{c.document}第{chinese_number(c.article)}条{item}")
        previous = c
    return "".join(parts)


def cite(texts: Sequence[str]) -> str:
    """Clause texts as one reference for a document sentence (按照…规定): the same document named once. A text
    citing an earlier edition by the current numbers is kept as the pack writes it, not passed off as that
    edition's own numbering."""
    citations = [c for text in texts for c in parse_citation(text)]
    if any(c.edition for c in citations):
        return ";".join(dict.fromkeys(texts))
    return format_citations(list(dict.fromkeys(citations)))
