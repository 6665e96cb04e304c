"""Atomic output: write to a temporary file beside the target, then rename over it.

A run that fails half-way leaves no half-written file, and an existing file is only
replaced when the user said --force.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from sanshi.errors import OutputExistsError

SHOWN = 5  # existing files named in the message; a batch may have a thousand


def check_free(paths: Iterable[Path], force: bool) -> None:
    """Refuse (before any work is written) if any target exists and --force was not given."""
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = "、".join(str(p) for p in existing[:SHOWN])
        more = f"等 {len(existing)} 个文件" if len(existing) > SHOWN else ""
        raise OutputExistsError(f"输出文件已存在:{names}{more}。如需覆盖请加 --force,或用 --out 指定其他目录")


def atomic_write(path: Path, write: Callable[[Path], None], force: bool = False) -> Path:
    """Call `write(tmp_path)` and move the result to `path` in one rename."""
    check_free([path], force)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
