"""sanshi: 三项机制 year-end assessment toolkit."""

__version__ = "0.1.0"

# The declared clauses (sanshi/rules/clauses/) register their pack tables and input columns before any pack or
# workbook is read.
from sanshi.rules.registry import discover as _discover  # noqa: E402

_discover()
