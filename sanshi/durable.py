"""Durability of file-system changes, for every layer that writes: the writers' outputs and the history store's
new file (the store is not a writer, so it does not reach into sanshi.writers for this)."""

from __future__ import annotations

import os
from pathlib import Path


def sync_directory(folder: Path) -> None:
    """Make renames in `folder` durable (POSIX); where a directory cannot be opened or synced
    (Windows, some network file systems) there is nothing more to do, and that is not an error."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
