"""Atomic, durable output: write to a temporary file beside the target, then rename over it.

A run that fails half-way, or is killed, leaves no half-written file under a final name:
the temporary file is dot-prefixed (`.2023年度考核奖励结果-k3j9x2.xlsx`) and only a
complete, fsynced file is renamed to the final name. An existing file is only replaced
when the user said --force. Every file sanshi writes goes through `atomic_write`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from sanshi.durable import sync_directory
from sanshi.errors import OutputExistsError

SHOWN = 5  # existing files named in the message; a batch may have a thousand
# The timestamp of every entry in the zip packages we write (.xlsx, .docx): the earliest date a zip
# entry can carry (the MS-DOS epoch), so that the same input gives the same bytes whatever the clock says.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


ELSEWHERE = "用 --out 指定其他目录"  # how a command with --out writes somewhere else
SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database (a history store)

# The files this run reads (its workbook, pack, aliases, history store, templates): no output may replace
# one of them, --force or not. The CLI names them (`protect`) before a command writes anything.
_inputs: list[Path] = []


def protect(*paths: Path | str | None) -> None:
    """Record the run's input files, replacing any recorded before (one command, one run); a folder (of
    templates) protects the files in it. Without arguments: nothing is protected."""
    _inputs.clear()
    for given in paths:
        if given is None or str(given) == "":
            continue
        path = Path(given)
        if path.is_dir():
            _inputs.extend(p for p in path.iterdir() if p.is_file())
        elif path.exists():
            _inputs.append(path)


def _refuse_inputs(paths: Iterable[Path]) -> None:
    """No target may be one of the run's inputs or a database (a history store is never written over by a
    file of another kind); the user's --force does not change that."""
    for path in paths:
        if any(_same(path, given) for given in _inputs):
            raise OutputExistsError(f"{path} 是本次运行读取的输入文件,不能用输出覆盖它(--force 也不行):请另给输出位置")
        if path.is_file() and _starts_with(path, SQLITE_MAGIC):
            raise OutputExistsError(
                f"{path} 是一个数据库文件(如历史库),不能用输出覆盖它(--force 也不行):请另给输出位置"
            )


def _same(path: Path, other: Path) -> bool:
    try:
        return path.exists() and other.exists() and os.path.samefile(path, other)
    except OSError:
        return False


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(magic)) == magic
    except OSError:
        return False


def check_free(paths: Iterable[Path], force: bool, elsewhere: str = ELSEWHERE) -> None:
    """Refuse (before any work is written) if any target exists and --force was not given; `elsewhere`
    says how this command writes somewhere else (only commands that have --out suggest it). A target that
    is one of the run's inputs, or a database, is refused whatever --force says."""
    paths = list(paths)
    _refuse_inputs(paths)
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = "、".join(str(p) for p in existing[:SHOWN])
        more = f"等 {len(existing)} 个文件" if len(existing) > SHOWN else ""
        raise OutputExistsError(f"输出文件已存在:{names}{more}。如需覆盖请加 --force,或{elsewhere}")


def atomic_write(path: Path, write: Callable[[Path], None], force: bool = False, *, sync_dir: bool = True) -> Path:
    """Call `write(tmp_path)`, fsync the result and move it to `path` in one rename.

    With `sync_dir` the folder is fsynced after the rename too, so the new name survives a power
    cut; a batch writing many files into one folder passes False and calls `sync_directory` once.
    """
    check_free([path], force)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp creates the file readable by its owner only; the output gets the mode any new file would.
        os.chmod(tmp, 0o666 & ~_umask())
        _fsync_file(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    if sync_dir:
        sync_directory(path.parent)
    return path


def write_bytes(path: Path, content: bytes, force: bool = False, *, sync_dir: bool = True) -> Path:
    """`atomic_write` of content already in memory."""
    return atomic_write(path, lambda tmp: tmp.write_bytes(content), force, sync_dir=sync_dir)


def _fsync_file(path: Path) -> None:
    # Opened for writing: Windows refuses to flush a handle opened read-only.
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


@cache
def _umask() -> int:
    # The only portable way to read the umask is to set it and put it back; done once per process.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# The temporary names this module gives (tempfile's eight random characters after our prefix): what a killed
# run leaves behind, recognised by the next run in the same folder.
_TEMP_FILE = re.compile(r"^\.(?P<stem>.+)-[a-z0-9_]{8}(?P<suffix>\.[^.]*)?$")


def leftover_of(path: Path, finals: set[str]) -> bool:
    """Whether `path` is a temporary file an earlier, killed run left while writing one of `finals` (file
    names in the same folder)."""
    found = _TEMP_FILE.match(path.name)
    return found is not None and f"{found.group('stem')}{found.group('suffix') or ''}" in finals


def remove_leftovers(folder: Path, finals: Iterable[Path]) -> None:
    """Remove, in `folder` only, the temporary files killed runs left while writing `finals`."""
    names = {p.name for p in finals if p.parent == folder}
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and leftover_of(path, names):
                path.unlink(missing_ok=True)


def _relative_folder(path: Path, top: Path) -> str:
    """The folder of `path` relative to `top`, as a manifest writes it ("" for `top` itself)."""
    relative = path.parent.relative_to(top).as_posix()
    return "" if relative == "." else relative


def _remove_stale_folders(folder: Path) -> None:
    """The dot-prefixed siblings `replace_folder` makes for `folder` (.2023年度公文-x1y2z3w4, …-old-…), left by
    a killed run: they are this module's, by their names, and hold nothing the user needs."""
    pattern = re.compile(rf"^\.{re.escape(folder.name)}-(?:old-)?[a-z0-9_]{{8}}$")
    if folder.parent.is_dir():
        for sibling in folder.parent.iterdir():
            if sibling.is_dir() and not sibling.is_symlink() and pattern.match(sibling.name):
                shutil.rmtree(sibling, ignore_errors=True)


def replace_folder(folder: Path, fill: Callable[[Path], None], force: bool, owned: Callable[[Path], set[str]]) -> Path:
    """Write a whole output folder at once: `fill(tmp)` writes everything into a dot-prefixed sibling folder,
    which then takes the place of `folder` (the old one is moved aside and removed), so that the folder
    holds exactly this run's files: never a mix with an earlier run's, never half a run.

    An existing `folder` is replaced only with `force`, and only if every file in it is one that
    `owned(folder)` (the relative paths an earlier run recorded) names, or a temporary file a killed run
    left while writing one of them: sanshi never deletes a file the user put there.
    """
    if folder.exists():
        if not force:
            raise OutputExistsError(
                f"输出文件夹已存在:{folder}。如需以本次结果整体替换它请加 --force,或用 --out 指定其他目录"
            )
        if not folder.is_dir():
            raise OutputExistsError(f"{folder} 是一个文件,不是文件夹:请移走它,或用 --out 指定其他目录")
        inside = [given for given in _inputs if folder.resolve() in given.resolve().parents]
        if inside:
            raise OutputExistsError(
                f"本次运行读取的 {inside[0]} 在要整体替换的输出文件夹 {folder} 中:请把输入移出该文件夹,"
                "或用 --out 指定其他目录"
            )
        known = owned(folder)
        finals_by_folder: dict[str, set[str]] = {}
        for relative in known:
            parent, _, name = relative.rpartition("/")
            finals_by_folder.setdefault(parent, set()).add(name)
        foreign = sorted(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if not p.is_dir()
            and p.relative_to(folder).as_posix() not in known
            and not leftover_of(p, finals_by_folder.get(_relative_folder(p, folder), set()))
        )
        if foreign:
            more = f"等 {len(foreign)} 个文件" if len(foreign) > SHOWN else ""
            raise OutputExistsError(
                f"输出文件夹 {folder} 中有不是上次运行生成的文件:{'、'.join(foreign[:SHOWN])}{more}。"
                "sanshi 不会删除它们:请移走这些文件,或用 --out 指定其他目录"
            )
    folder.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_folders(folder)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    old = None
    try:
        os.chmod(tmp, 0o777 & ~_umask())
        fill(tmp)
        sync_directory(tmp)
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}-old-", dir=folder.parent))
            os.replace(folder, old / folder.name)
        os.replace(tmp, folder)
        sync_directory(folder.parent)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return folder
