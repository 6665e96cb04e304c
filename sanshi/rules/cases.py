"""The short keys of 能下 cases, built and read in one place: 8(1) is 第八条第(一)项, 9 the whole of 第九条.

Results carry a case by its article and item; the pack's tables (roles, tolerance scopes, citations, named
people) are keyed by these strings.
"""

from __future__ import annotations

from collections.abc import Container


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
