"""Reading the small files a user names (rule packs, templates, name lists, manifests) with a bound.

A path on the command line can name anything: a directory, a FIFO that never delivers, the endless
zero device, a 10 GB file. `read_limited` reads only regular files, never blocks on opening and never
reads more than its limit, so such a path is a message (exit 2), not a hang or an exhausted memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sanshi.errors import SanshiError

PACK_LIMIT = 1_000_000  # bytes: the built-in packs are ~40 KB
TEMPLATE_LIMIT = 1_000_000  # bytes: a built-in template is ~3 KB
ALIASES_LIMIT = 10_000_000  # bytes: a 单位名称对照 table of a few thousand rows
MANIFEST_LIMIT = 50_000_000  # bytes: a manifest lists one line per output file
WORKBOOK_LIMIT = 1_000_000_000  # bytes: a province's export is a few MB; the benchmarks' 全国 book ~100 MB


def file_kind(mode: int) -> str:
    """What a non-regular file is, in the words of a message."""
    if stat.S_ISDIR(mode):
        return "是目录"
    if stat.S_ISFIFO(mode):
        return "是管道(FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "是设备"
    if stat.S_ISSOCK(mode):
        return "是套接字"
    return "不是普通文件"


def read_limited(
    path: Path | str, limit: int, what: str, error: type[SanshiError] = SanshiError, shown: str | None = None
) -> bytes:
    """The bytes of the regular file at `path` (symbolic links followed), at most `limit` of them.

    Anything else is `error` naming the file as `what` (e.g. "规则包") and `shown` (the path by
    default): an empty path, a missing file, a directory, a FIFO or device, a file over the limit, a
    file that cannot be read. The file is opened without blocking (a FIFO swapped in after the check
    cannot hang the open) and checked again once open.
    """
    text = str(path)
    name = shown if shown is not None else text
    if not text.strip():
        raise error(f"{what}路径为空:请给出{what}文件的路径")
    try:
        before = os.stat(text)
    except FileNotFoundError:
        raise error(f"{what} {name} 不存在") from None
    except OSError as exc:
        raise error(f"{what} {name} 无法读取:{exc.strerror or exc}") from None
    if not stat.S_ISREG(before.st_mode):
        raise error(f"{what} {name} {file_kind(before.st_mode)}:{what}须为普通文件")
    if before.st_size > limit:
        raise error(f"{what} {name} 有 {before.st_size} 字节,超过 {limit} 字节的上限:请确认是否选错了文件")
    try:
        descriptor = os.open(text, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise error(f"{what} {name} 无法读取:{exc.strerror or exc}") from None
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):  # replaced between the check and the open
            raise error(f"{what} {name} {file_kind(mode)}:{what}须为普通文件")
        try:
            content = handle.read(limit + 1)
        except OSError as exc:
            raise error(f"{what} {name} 无法读取:{exc.strerror or exc}") from None
    if len(content) > limit:
        raise error(f"{what} {name} 超过 {limit} 字节的上限:请确认是否选错了文件")
    return content
