"""sanshi: 三项机制 year-end assessment toolkit.

`import sanshi` gives the Python API (sanshi.api): load_year, awards, demotions, promotions, explain and
history_frame. They are loaded at first use, so that the command line starts without them."""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_API = ("load_year", "awards", "demotions", "promotions", "explain", "history_frame")
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module("sanshi.api"), name)
    raise AttributeError(f"module 'sanshi' has no attribute {name!r}")
