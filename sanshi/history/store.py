"""The history store: every imported year's validated input, in one SQLite file.

Re-importing a year adds a new revision and marks it current inside one
transaction; older revisions stay (with the input file's SHA-256 and the time), so
nothing is ever lost. The schema is versioned with PRAGMA user_version; each step of
`_MIGRATIONS` runs in its own transaction, so an old file is upgraded whole or not at all.

Integrity (schema 2). Every stored sheet keeps the SHA-256 of its content (the JSON text,
UTF-8), and the revisions form one hash chain in the order they were written (row id),
across all years:

    chain = SHA-256(JSON [prev_chain, year, revision, source, file sha256, imported_at,
                          [[sheet, content sha256], ...] sorted by sheet])

`prev_chain` is the chain of the revision written just before (`GENESIS` for the first) and
is stored beside `chain`; the one-row table `chain_head` holds the chain of the last one. So
a changed content no longer matches its sheet hash; a changed revision field, or a sheet
added or removed, no longer matches that revision's chain; a deleted revision breaks the
link of the one written after it; a deleted last revision no longer matches the head. One
chain over all years rather than one per year, because a per-year chain cannot notice that a
whole year vanished. `is_current` is left out of the hash (a re-import changes it); `verify`
checks it structurally: exactly one current revision per year, and it is the latest. The
chain catches accidents and hand edits, it is not a signature: whoever can write the file
can recompute every hash.

Concurrency and durability. The file is in WAL mode: readers never wait for a writer, and a
process killed mid-import leaves the last committed state (the WAL is rolled back or
replayed on the next open). `synchronous=FULL`: in WAL mode NORMAL is safe against a killed
process but may lose the last committed imports on a power cut; imports are rare and small,
so each commit is fsynced and "已导入" means on disk. A writer takes the write lock first
(BEGIN IMMEDIATE) and only then reads what it builds on (next revision number, previous
chain), so two processes importing at once are serialised, never interleaved. A lock held
longer than `BUSY_TIMEOUT` seconds becomes a HistoryError asking the user to retry.

Whose file it is. A store carries `APPLICATION_ID` in its header (PRAGMA application_id). Stores made
before it have 0 there and are recognised by their tables (only sanshi's); the id is written into
them by the next import, never by a read. Anything else (an empty file, a file that is not SQLite,
another program's database, a sanshi schema whose tables do not match its user_version) is refused
before a connection that could write is opened, so its bytes stay as they were. Reading opens
(`create=False`) never create, migrate or switch the journal mode: a store of an older schema is
read as it is. Only an import creates a store, and it builds the new file under a temporary name
beside the target and links it into place, so the path holds either nothing or a complete store
(never a 0-byte file that a concurrent import would have to guess about).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import secrets
import sqlite3
import stat
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from sanshi.errors import HistoryError, RunWarning
from sanshi.inputs.reader import Book, Table
from sanshi.inputs.schema import SHEETS_BY_NAME, Kind
from sanshi.durable import sync_directory

BUSY_TIMEOUT = 30.0  # seconds to wait for another process's write lock
GENESIS = "0" * 64  # prev_chain of the first revision ever written

SCHEMA_VERSION = 2
APPLICATION_ID = 0x53414E53  # "SANS" in the header's application_id field: this file is a sanshi store
MAX_REVISION = 2**63 - 1  # SQLite's largest integer
_TABLES = ("revisions", "sheets", "chain_head")  # every table any schema version has
_WHERE = "请检查 --db / SANSHI_DB 所指的文件"


def _add_hashes(db: sqlite3.Connection) -> None:
    """Schema 2: content hashes and the revision chain, backfilled for revisions already stored."""
    for statement in (
        "ALTER TABLE sheets ADD COLUMN content_sha256 TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE revisions ADD COLUMN prev_chain TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE revisions ADD COLUMN chain TEXT NOT NULL DEFAULT ''",
        """CREATE TABLE chain_head (
               id INTEGER PRIMARY KEY CHECK (id = 1),
               revision_id INTEGER NOT NULL REFERENCES revisions(id),
               chain TEXT NOT NULL
           )""",
    ):
        db.execute(statement)
    for rowid, content in db.execute("SELECT rowid, content FROM sheets").fetchall():
        db.execute("UPDATE sheets SET content_sha256 = ? WHERE rowid = ?", (content_sha256(content), rowid))
    prev = GENESIS
    last_id = None
    for rid, year, revision, source, sha, at in db.execute(
        "SELECT id, year, revision, source, sha256, imported_at FROM revisions ORDER BY id"
    ).fetchall():
        hashes = dict(db.execute("SELECT sheet, content_sha256 FROM sheets WHERE revision_id = ?", (rid,)).fetchall())
        chain = chain_sha256(prev, year, revision, source, sha, at, hashes)
        db.execute("UPDATE revisions SET prev_chain = ?, chain = ? WHERE id = ?", (prev, chain, rid))
        prev, last_id = chain, rid
    if last_id is not None:
        db.execute("INSERT INTO chain_head (id, revision_id, chain) VALUES (1, ?, ?)", (last_id, prev))


# Each step is SQL (statements separated by ";") or a function of the connection; it runs inside
# the transaction that also sets user_version to its number.
_MIGRATIONS: dict[int, str | Callable[[sqlite3.Connection], None]] = {
    1: """
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            revision INTEGER NOT NULL,
            source TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            is_current INTEGER NOT NULL,
            UNIQUE (year, revision)
        );
        CREATE TABLE sheets (
            revision_id INTEGER NOT NULL REFERENCES revisions(id),
            sheet TEXT NOT NULL,
            content TEXT NOT NULL,
            PRIMARY KEY (revision_id, sheet)
        );
    """,
    2: _add_hashes,
}


def _run_step(db: sqlite3.Connection, step: str | Callable[[sqlite3.Connection], None]) -> None:
    """One migration step, inside the caller's transaction."""
    if callable(step):
        step(db)
        return
    for statement in step.split(";"):
        if statement.strip():
            db.execute(statement)


def _schema(db: sqlite3.Connection) -> dict[str, frozenset[str]]:
    """The file's own tables (SQLite's internal ones left out), each with its column names."""
    names = [
        name
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not str(name).startswith("sqlite_")
    ]
    return {
        name: frozenset(c for (c,) in db.execute("SELECT name FROM pragma_table_info(?)", (name,))) for name in names
    }


@functools.cache
def _expected_schema(version: int) -> dict[str, frozenset[str]]:
    """The tables a store of schema `version` has: the migrations up to it, run on an empty database."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in range(1, version + 1):
            _run_step(db, _MIGRATIONS[step])
        return _schema(db)
    finally:
        db.close()


def _listed(names: Collection[str], shown: int = 5) -> str:
    ordered = sorted(names)
    more = f" 等 {len(ordered)} 个" if len(ordered) > shown else ""
    return "、".join(ordered[:shown]) + more


def _schema_mismatch(path: str, version: int, actual: dict[str, frozenset[str]]) -> str:
    """What a file whose tables do not match its user_version is, and what to do (never upgraded or written)."""
    matching = [v for v in range(1, SCHEMA_VERSION + 1) if _expected_schema(v) == actual]
    keep = "sanshi 不会改动它;如这是您的历史库,请从备份恢复,否则换一个历史库文件(--db / SANSHI_DB)"
    if version == 0:
        what = f"其中的表是 sanshi 结构版本 {matching[0]} 的,版本号却被清零" if matching else "不是 sanshi 建好的历史库"
        return (
            f"历史库 {path} 没有记录结构版本(user_version 为 0),其中却已有表 {_listed(actual)}:{what},"
            f"可能是另一个程序的文件、一次未完成的建立或被 sanshi 以外的程序改动过。{keep}"
        )
    expected = _expected_schema(version)
    differences = [f"缺少表 {t}" for t in sorted(expected.keys() - actual.keys())]
    differences += [f"多出表 {t}" for t in sorted(actual.keys() - expected.keys())]
    for table in sorted(expected.keys() & actual.keys()):
        missing, extra = expected[table] - actual[table], actual[table] - expected[table]
        if missing:
            differences.append(f"{table} 表缺少列 {_listed(missing)}")
        if extra:
            differences.append(f"{table} 表多出列 {_listed(extra)}")
    what = f",其中的表是结构版本 {matching[0]} 的" if matching else ""
    return (
        f"历史库 {path} 记录的结构版本为 {version}{what},与其中的表不符({';'.join(differences)}):"
        f"结构版本号或表被 sanshi 以外的程序改动过,或它不是 sanshi 的历史库。{keep}"
    )


def _recognise(text: str) -> None:
    """Refuse a file that is not a sanshi store, having only read its bytes (see the module docstring).

    The header's application_id decides when it is set. Without it, the table names decide, read
    through an `immutable` connection: no lock, no -wal or -shm file, nothing written. (That reads the
    main file only, which holds a pre-id store's tables: they were checkpointed long ago.)"""
    refuse = f"sanshi 不会使用或改动它。{_WHERE}"
    try:
        info = os.stat(text)
        if not stat.S_ISREG(info.st_mode):
            raise HistoryError(f"历史库 {text} 不是一个普通文件,不是 sanshi 的历史库:{refuse}")
        with open(text, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise HistoryError(f"历史库 {text} 无法打开({exc.strerror or exc}):请检查路径和权限") from None
    if not header:
        raise HistoryError(
            f"历史库 {text} 是一个空文件(0 字节),不是 sanshi 的历史库:{refuse};"
            "如要在这里建立历史库,请先删除这个空文件,再用 sanshi history import 导入"
        )
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise HistoryError(f"历史库 {text} 不是 SQLite 数据库文件,不是 sanshi 的历史库:{refuse}")
    application_id = int.from_bytes(header[68:72], "big", signed=True)
    if application_id == APPLICATION_ID:
        return
    if application_id != 0:
        raise HistoryError(
            f"历史库 {text} 是另一个程序的 SQLite 数据库(application_id {application_id}),不是 sanshi 的历史库:{refuse}"
        )
    try:
        probe = sqlite3.connect(f"{Path(text).resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            tables = {
                str(name)
                for (name,) in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                if not str(name).startswith("sqlite_")
            }
        finally:
            probe.close()
    except sqlite3.Error as exc:
        raise HistoryError(
            f"历史库 {text} 无法读取({exc}):它可能不是 sanshi 的历史库文件,或已损坏;sanshi 不会改动它"
        ) from None
    if not tables:
        raise HistoryError(
            f"历史库 {text} 是一个没有任何表的 SQLite 数据库,不是 sanshi 的历史库:{refuse};"
            "如要在这里建立历史库,请先删除它,再用 sanshi history import 导入"
        )
    foreign = tables - set(_TABLES)
    if foreign:
        raise HistoryError(
            f"历史库 {text} 是另一个程序的 SQLite 数据库(有 sanshi 历史库没有的表 {_listed(foreign)}),"
            f"不是 sanshi 的历史库:{refuse}"
        )
    # Only sanshi's table names: a store made before the application id (its columns are checked on opening).


# A store being created, under its temporary name; one older than this was left by a killed import (a live
# creation takes well under a second), and the next import removes it.
STALE_CREATION_SECONDS = 600


def _remove_stale_creations(target: Path) -> None:
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.[0-9a-f]{{12}}\.new(?:-wal|-shm|-journal)?$")
    now = time.time()
    for path in target.parent.glob(f".{target.name}.*.new*"):
        with contextlib.suppress(OSError):
            if pattern.match(path.name) and path.is_file() and now - path.stat().st_mtime > STALE_CREATION_SECONDS:
                path.unlink()


def _create(target: Path, wait: float) -> None:
    """Build an empty store of the current schema under a temporary name beside `target`, then link it into
    place: the path never holds a half-made store. If another import created one meanwhile, that one stays.
    What a killed creation left (long ago: a concurrent one may be under way) is removed first."""
    _remove_stale_creations(target)
    temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}.new"
    try:
        try:
            # SQLite creates the file, with the permissions it always gave a new store.
            connection = sqlite3.connect(f"{temporary.resolve().as_uri()}?mode=rwc", uri=True, isolation_level=None)
            try:
                store = HistoryStore(connection, str(target), wait)
                store.version = 0
                store._configure()
                store._migrate()
            finally:
                connection.close()  # the last connection: the WAL is checkpointed into the file and removed
        except sqlite3.Error as exc:
            raise HistoryError(f"历史库 {target} 无法建立({exc}):请检查路径、磁盘空间和文件权限") from None
        try:
            os.link(temporary, target)
        except FileExistsError:
            return  # another import created the store first: it is used
        except OSError:  # a file system without hard links
            if target.exists():
                return
            os.replace(temporary, target)
        sync_directory(target.parent)
    except OSError as exc:
        raise HistoryError(f"历史库 {target} 无法建立({exc.strerror or exc}):请检查路径、磁盘空间和文件权限") from None
    finally:
        for leftover in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{temporary}{leftover}")


@dataclass(frozen=True)
class Revision:
    year: int
    revision: int
    source: str
    sha256: str
    imported_at: str  # ISO 8601 in UTC, as stored
    is_current: bool
    sheets: tuple[str, ...] = ()

    @property
    def imported_local(self) -> str:
        """The import time as a person reads it: this computer's local time, with its offset from UTC."""
        try:
            moment = datetime.fromisoformat(self.imported_at).astimezone()
        except (TypeError, ValueError, OverflowError):  # edited by hand: shown as stored (history verify names it)
            return str(self.imported_at)
        minutes = int(moment.utcoffset().total_seconds()) // 60
        hours, rest = divmod(abs(minutes), 60)
        zone = f"UTC{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")  # UTC+8, UTC+5:30
        return f"{moment:%Y-%m-%d %H:%M:%S}({zone})"


@dataclass(frozen=True)
class ImportOutcome:
    year: int
    revision: int
    replaced: Revision | None  # the revision that was current before, if any
    unchanged: bool  # same file as the current revision: nothing stored
    warnings: tuple[RunWarning, ...] = ()  # what reading the workbook noticed (e.g. a year taken from --year)


@dataclass(frozen=True)
class VerifyReport:
    """What `HistoryStore.verify` looked at, and every problem it found (empty: the store is sound)."""

    years: int
    revisions: int
    sheets: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


F = TypeVar("F", bound=Callable[..., Any])


def _sqlite_errors(method: F) -> F:
    """SQLite errors from a store method become HistoryErrors that say what to do; never a traceback."""

    @functools.wraps(method)
    def wrapper(self: "HistoryStore", *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise self._history_error(exc) from None

    return wrapper  # type: ignore[return-value]


class HistoryStore:
    """One SQLite file; open with `HistoryStore.open(path)` (":memory:" works for tests)."""

    def __init__(
        self, connection: sqlite3.Connection, path: str, timeout: float = BUSY_TIMEOUT, *, writable: bool = True
    ) -> None:
        self._db = connection
        self.path = path
        self.timeout = timeout
        self.writable = writable
        self.version = SCHEMA_VERSION  # the file's schema: older only when a read opened a store not yet upgraded

    @classmethod
    def open(cls, path: str | Path, create: bool = True, timeout: float | None = None) -> "HistoryStore":
        """Open a store to import into (`create`: made when missing, upgraded to the current schema) or only
        to read (`create=False`: an existing sanshi store, left exactly as it is); wait up to `timeout` seconds
        (default BUSY_TIMEOUT) for a lock. A file that is not a sanshi store is a HistoryError, untouched."""
        text = str(path)
        wait = BUSY_TIMEOUT if timeout is None else timeout
        if text == ":memory:":
            return cls._connect(text, text, wait, writable=True)
        if not Path(text).exists():
            if not create:
                raise HistoryError(f"历史库 {text} 不存在:请先用 sanshi history import 导入以前年度的数据")
            _create(Path(text), wait)
        _recognise(text)
        # mode=rw: a file removed since it was recognised is an error, never a new empty database
        return cls._connect(f"{Path(text).resolve().as_uri()}?mode=rw", text, wait, writable=create)

    @classmethod
    def _connect(cls, target: str, text: str, wait: float, *, writable: bool) -> "HistoryStore":
        try:
            # isolation_level=None: the module opens no transactions of its own; ours are explicit (BEGIN IMMEDIATE).
            connection = sqlite3.connect(target, timeout=wait, isolation_level=None, uri=target.startswith("file:"))
        except sqlite3.Error as exc:
            raise HistoryError(f"历史库 {text} 无法打开({exc}):请检查路径和权限") from None
        store = cls(connection, text, wait, writable=writable)
        try:
            store._configure()
            store._check_schema()
            if writable:
                store._migrate()
        except sqlite3.Error as exc:
            connection.close()
            raise store._history_error(exc) from None
        except BaseException:
            connection.close()
            raise
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "HistoryStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _configure(self) -> None:
        self._db.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        self._db.execute("PRAGMA foreign_keys = ON")
        if not self.writable:
            return  # a read changes nothing, not even the journal mode (the store's creator set WAL)
        # WAL is a property of the file: set once, by whoever creates it. Switching needs the file to
        # itself, and SQLite answers "locked" at once, without waiting, while other processes open it (as
        # they do when several imports start together), so the switch is retried until the timeout.
        # ":memory:" stays "memory", which is fine.
        deadline = time.monotonic() + self.timeout
        while self._db.execute("PRAGMA journal_mode").fetchone()[0] not in ("wal", "memory"):
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        self._db.execute("PRAGMA synchronous = FULL")

    def _history_error(self, exc: sqlite3.Error) -> HistoryError:
        name = getattr(exc, "sqlite_errorname", "")
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc):
            return HistoryError(
                f"历史库 {self.path} 正被另一个 sanshi 进程使用(已等待 {self.timeout:g} 秒仍未释放),请稍后重试"
            )
        if isinstance(exc, sqlite3.OperationalError) and name not in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
            return HistoryError(f"历史库 {self.path} 读写失败({exc}):请检查磁盘空间和文件权限")
        return HistoryError(
            f"历史库 {self.path} 无法读取({exc}):它可能不是 sanshi 的历史库文件,或已损坏"
            "(可用 sanshi history verify 检查)"
        )

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction, taken with the write lock up front so that what it reads cannot change under it."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def _user_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _check_schema(self) -> None:
        """The file's tables must be exactly those of its user_version; sets `version`. Read in one
        transaction, so that an upgrade committed by another process meanwhile is seen whole or not at all."""
        self._db.execute("BEGIN")
        try:
            version, actual = self._user_version(), _schema(self._db)
        finally:
            self._db.execute("COMMIT")
        if version > SCHEMA_VERSION:
            raise HistoryError(f"历史库 {self.path} 由更新版本的 sanshi 创建(结构版本 {version}),请升级 sanshi")
        if version == 0 and not actual:
            if not self.writable:
                raise HistoryError(
                    f"历史库 {self.path} 是一个尚未建成的 sanshi 历史库(还没有任何表):请删除它,"
                    "再用 sanshi history import 导入以前年度的数据"
                )
        elif actual != _expected_schema(version):
            raise HistoryError(_schema_mismatch(self.path, version, actual))
        self.version = version

    def _migrate(self) -> None:
        for target in range(self.version + 1, SCHEMA_VERSION + 1):
            with self._write():
                if self._user_version() >= target:
                    continue  # another process upgraded the file while we waited for the lock
                _run_step(self._db, _MIGRATIONS[target])
                self._db.execute(f"PRAGMA user_version = {target}")
        self.version = SCHEMA_VERSION
        if self._db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            with self._write():  # a store made before the id: marked by its first write
                self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    @_sqlite_errors
    def import_book(self, book: Book, year: int, now: datetime | None = None) -> ImportOutcome:
        """Store a year's tables as its new current revision; keep the old one.

        The revision number and the chain are read and the rows written in one BEGIN IMMEDIATE
        transaction: two processes importing at once get consecutive revisions, never the same one.
        """
        stamp = (now or datetime.now(timezone.utc)).astimezone().isoformat(timespec="seconds")
        # Encoded before taking the lock, which is then held only for the few statements below.
        contents = {name: _encode(table) for name, table in book.tables.items()}
        hashes = {name: content_sha256(content) for name, content in contents.items()}
        with self._write():  # either the new revision is complete and current, or nothing changed
            current = self.current(year)
            if current is not None and current.sha256 == book.sha256:
                return ImportOutcome(year, current.revision, current, unchanged=True)
            highest = self._db.execute(
                "SELECT COALESCE(MAX(revision), 0) FROM revisions WHERE year = ?", (year,)
            ).fetchone()[0]
            last = self._db.execute("SELECT chain FROM revisions ORDER BY id DESC LIMIT 1").fetchone()
            prev = last[0] if last else GENESIS
            self._check_continuable(year, highest, prev)
            revision = highest + 1
            chain = chain_sha256(prev, year, revision, book.source, book.sha256, stamp, hashes)
            self._db.execute("UPDATE revisions SET is_current = 0 WHERE year = ?", (year,))
            cursor = self._db.execute(
                "INSERT INTO revisions (year, revision, source, sha256, imported_at, is_current, prev_chain, chain)"
                " VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
                (year, revision, book.source, book.sha256, stamp, prev, chain),
            )
            for name, content in contents.items():
                self._db.execute(
                    "INSERT INTO sheets (revision_id, sheet, content, content_sha256) VALUES (?, ?, ?, ?)",
                    (cursor.lastrowid, name, content, hashes[name]),
                )
            self._db.execute(
                "INSERT OR REPLACE INTO chain_head (id, revision_id, chain) VALUES (1, ?, ?)", (cursor.lastrowid, chain)
            )
        return ImportOutcome(year, revision, current, unchanged=False)

    def _check_continuable(self, year: int, highest: object, prev: object) -> None:
        """A new revision needs the year's highest number to be an integer below SQLite's limit and the last
        chain hash to be text; a store edited otherwise is refused before anything is written."""
        check = f"历史库 {self.path} 被 sanshi 以外的程序改动过:请用 sanshi history verify 检查,从备份恢复后再导入"
        if not isinstance(highest, int):
            raise HistoryError(f"{year}年最大的版本号 {_shown(highest)} 不是整数,无法编出新版本号。{check}")
        if highest >= MAX_REVISION:
            raise HistoryError(f"{year}年的版本号已到 SQLite 能存的最大整数(第{highest}版),无法导入为新版本。{check}")
        if not isinstance(prev, str):
            raise HistoryError(f"最后写入的版本的链哈希 {_shown(prev)} 不是文本,无法接续版本链。{check}")

    @_sqlite_errors
    def years(self) -> list[int]:
        return [row[0] for row in self._db.execute("SELECT DISTINCT year FROM revisions ORDER BY year")]

    @_sqlite_errors
    def revisions(self, year: int | None = None) -> list[Revision]:
        query = (
            "SELECT r.id, r.year, r.revision, r.source, r.sha256, r.imported_at, r.is_current FROM revisions r"
            + (" WHERE r.year = ?" if year is not None else "")
            + " ORDER BY r.year, r.revision"
        )
        rows = self._db.execute(query, (year,) if year is not None else ()).fetchall()
        result = []
        for rid, y, rev, source, sha, at, cur in rows:
            sheets = tuple(
                s for (s,) in self._db.execute("SELECT sheet FROM sheets WHERE revision_id = ? ORDER BY sheet", (rid,))
            )
            result.append(Revision(y, rev, source, sha, at, bool(cur), sheets))
        return result

    def current(self, year: int) -> Revision | None:
        return next((r for r in self.revisions(year) if r.is_current), None)

    @_sqlite_errors
    def tables(
        self,
        year: int,
        revision: int | None = None,
        sheets: Collection[str] | None = None,
        fields: Mapping[str, Sequence[str]] | None = None,
    ) -> dict[str, Table]:
        """A year's stored tables (the current revision unless one is named), or only those of `sheets`
        (decoding a national 干部 sheet costs more than the awards, which read only 县域监测, need); a sheet
        in `fields` has only those fields in its rows (the earlier years' 干部: who, and their grade)."""
        if revision is None:
            row = self._db.execute("SELECT id FROM revisions WHERE year = ? AND is_current = 1", (year,)).fetchone()
        else:
            row = self._db.execute(
                "SELECT id FROM revisions WHERE year = ? AND revision = ?", (year, revision)
            ).fetchone()
        if row is None:
            what = f"{year}年第{revision}版" if revision else f"{year}年"
            raise HistoryError(f"历史库 {self.path} 中没有{what}的数据(已有年份:{self._years_text()})")
        query, arguments = "SELECT sheet, content FROM sheets WHERE revision_id = ?", [row[0]]
        if sheets is not None:
            query += f" AND sheet IN ({', '.join('?' * len(sheets))})"
            arguments += sorted(sheets)
        only = fields or {}
        return {
            sheet: _decode(sheet, content, only.get(sheet)) for sheet, content in self._db.execute(query, arguments)
        }

    def stored(self, year: int | None = None, all_revisions: bool = False) -> list[tuple[Revision, dict[str, Table]]]:
        """The current revision of every year (or of `year`), or every revision, each with its tables: what export writes."""
        chosen = [r for r in self.revisions(year) if all_revisions or r.is_current]
        if not chosen:
            if year is not None:
                raise HistoryError(f"历史库 {self.path} 中没有{year}年的数据(已有年份:{self._years_text()})")
            raise HistoryError(f"历史库 {self.path} 为空:没有可导出的数据,请先用 sanshi history import 导入")
        return [(r, self.tables(r.year, r.revision)) for r in chosen]

    def _years_text(self) -> str:
        return "、".join(str(y) for y in self.years()) or "无"

    @_sqlite_errors
    def verify(self) -> VerifyReport:
        """Check the file (SQLite integrity, foreign keys), every content hash, that every sheet decodes,
        the revision numbers (1..n per year, one current, the latest) and the chain. A problem found is
        listed, never raised: the report names them all. A value of the wrong type (SQLite stores whatever
        it is given) is a problem too, and the work is linear in the rows whatever their values."""
        problems = [
            f"SQLite 完整性检查:{message}"
            for (message,) in self._db.execute("PRAGMA integrity_check")
            if message != "ok"
        ]
        if self.version < 2:
            problems.append(
                f"历史库是旧版 sanshi 建立的(结构版本 {self.version}),没有内容哈希和版本链,"
                "只检查了完整性、外键、解码和版本号:用 sanshi history import 导入任一年度的工作簿"
                "(与已导入的相同也可以,不会重复导入)即升级,之后可完整检查"
            )
        counts = (0, 0, 0)
        try:
            counts = self._verify_rows(problems)
        except sqlite3.DatabaseError as exc:  # a damaged file may fail half-way; what was found so far still counts
            problems.append(f"历史库无法完整读取({exc}),其余检查未能进行")
        return VerifyReport(*counts, problems=tuple(problems))

    def _verify_rows(self, problems: list[str]) -> tuple[int, int, int]:
        hashed = self.version >= 2  # schema 1 has no hashes and no chain
        for table, rowid, parent, _ in self._db.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"外键检查:{table} 表第 {rowid} 行引用的 {parent} 记录不存在(所属的版本记录被删除)")
        chain_columns = "prev_chain, chain" if hashed else "'', ''"
        revisions = [
            _Row(*row)
            for row in self._db.execute(
                f"SELECT id, year, revision, source, sha256, imported_at, is_current, {chain_columns} FROM revisions"
                " ORDER BY id"
            )
        ]
        labels = {row.id: row.label for row in revisions}
        for row in revisions:
            problems += row.type_problems(hashed)
        hashes: dict[object, dict[str, str]] = {}
        unhashable: set[object] = set()  # revisions with a sheet name or hash of the wrong type: chain not recomputed
        sheet_count = 0
        hash_column = "content_sha256" if hashed else "''"
        for rid, sheet, content, stored_hash in self._db.execute(
            f"SELECT revision_id, sheet, content, {hash_column} FROM sheets ORDER BY revision_id, sheet"
        ):
            sheet_count += 1
            owner = labels.get(rid, f"版本记录 {_shown(rid)}(已不存在)")
            where = f"{owner} › {_shown(sheet)}"
            if isinstance(sheet, str) and isinstance(stored_hash, str):
                hashes.setdefault(rid, {})[sheet] = stored_hash
            else:
                unhashable.add(rid)
            if not isinstance(sheet, str):
                problems.append(f"{owner}:有一张表的名称 {_shown(sheet)} 不是文本({_sql_type(sheet)})")
                continue
            if not isinstance(content, str):
                problems.append(f"{where}:内容不是文本({_sql_type(content)}),无法核对和解码")
                continue
            if hashed and content_sha256(content) != stored_hash:
                problems.append(f"{where}:内容与其 SHA-256 不符(内容被改动或损坏)")
            if sheet not in SHEETS_BY_NAME:
                problems.append(f"{where}:不是 sanshi 认识的工作表")
                continue
            try:
                _decode(sheet, content)
            except Exception as exc:  # any failure to decode is itself the finding
                problems.append(f"{where}:内容无法解码({type(exc).__name__}: {exc})")
        problems += _numbering_problems(revisions)
        if hashed:
            head = self._db.execute("SELECT revision_id, chain FROM chain_head").fetchone()
            problems += _chain_problems(revisions, hashes, unhashable, head)
        return len({row.year for row in revisions}), len(revisions), sheet_count


_SHOWN_CHARS = 40  # of a stored value quoted in a problem: a tampered cell may hold megabytes


def _shown(value: object) -> str:
    """A stored value as a problem quotes it: text as it is (shortened), bytes by their length."""
    if isinstance(value, bytes):
        return f"BLOB({len(value)} 字节)"
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"


def _sql_type(value: object) -> str:
    """The SQLite storage class of a value as read."""
    kinds = {bytes: "BLOB", str: "TEXT", int: "INTEGER", float: "REAL", type(None): "NULL"}
    return kinds.get(type(value), type(value).__name__)


class _Row(NamedTuple):
    """A revisions row as verify reads it: any column may hold a value of any type (SQLite does not enforce them)."""

    id: int
    year: object
    revision: object
    source: object
    sha256: object
    imported_at: object
    is_current: object
    prev_chain: object
    chain: object

    @property
    def label(self) -> str:
        """`2021年第2版`, or the row id when year or revision is not an integer."""
        if isinstance(self.year, int) and isinstance(self.revision, int):
            return f"{self.year}年第{self.revision}版"
        return f"版本记录 {self.id}"

    def type_problems(self, hashed: bool) -> list[str]:
        """A problem for each column whose value is not of the type sanshi writes there."""
        integers = ("year", "revision")
        texts = ("source", "sha256", "imported_at") + (("prev_chain", "chain") if hashed else ())
        problems = [
            f"{self.label}:{column} 列的值 {_shown(getattr(self, column))} 不是整数({_sql_type(getattr(self, column))})"
            for column in integers
            if not isinstance(getattr(self, column), int)
        ]
        problems += [
            f"{self.label}:{column} 列的值 {_shown(getattr(self, column))} 不是文本({_sql_type(getattr(self, column))})"
            for column in texts
            if not isinstance(getattr(self, column), str)
        ]
        if not isinstance(self.is_current, int) or self.is_current not in (0, 1):
            problems.append(f"{self.label}:is_current 列的值 {_shown(self.is_current)} 不是 0 或 1")
        return problems

    def rehash(self, sheet_hashes: dict[str, str]) -> str | None:
        """The chain hash recomputed from the fields, or None when a field has a type sanshi never writes
        (already a problem: the hash cannot be recomputed)."""
        prev, year, revision, source, sha, at = (
            self.prev_chain,
            self.year,
            self.revision,
            self.source,
            self.sha256,
            self.imported_at,
        )
        if not (isinstance(year, int) and isinstance(revision, int)):
            return None
        if not (isinstance(prev, str) and isinstance(source, str) and isinstance(sha, str) and isinstance(at, str)):
            return None
        return chain_sha256(prev, year, revision, source, sha, at, sheet_hashes)


_SPELLED_OUT = 3  # a gap of up to this many missing revisions is listed number by number, a longer one as a range


def _numbering_problems(revisions: list[_Row]) -> list[str]:
    """Per year: revisions 1..n without gaps, exactly one current, and it is the latest. Linear in the rows
    (sorting aside), whatever the numbers: a gap is named by its ends, never enumerated."""
    problems = []
    by_year: dict[int, list[tuple[int, bool]]] = {}
    for row in revisions:
        year, revision = row.year, row.revision
        if isinstance(year, int) and isinstance(revision, int):  # other types are already problems of their own
            by_year.setdefault(year, []).append((revision, row.is_current == 1))
    for year, rows in sorted(by_year.items()):
        numbers = sorted(revision for revision, _ in rows)
        below = [n for n in numbers if n < 1]
        if below:
            problems.append(f"{year}年有小于 1 的版本号:第{_numbers(below)}版,版本记录被改动过")
        gaps, expected = [], 1
        for number in numbers:
            if number > expected:
                gaps.append((expected, number - 1))
            expected = max(expected, number + 1)
        if gaps:
            problems.append(
                f"{year}年的版本号不连续:缺第{_gaps(gaps)}版(现有第{_numbers(numbers)}版),"
                "有版本记录被删除或版本号被改动"
            )
        current = sorted(revision for revision, is_current in rows if is_current)
        if not current:
            problems.append(f"{year}年没有当前版本")
        elif len(current) > 1:
            problems.append(f"{year}年有 {len(current)} 个当前版本(第{_numbers(current)}版),应只有一个")
        elif current[0] != numbers[-1]:
            problems.append(f"{year}年的当前版本是第{current[0]}版,但最新导入的是第{numbers[-1]}版")
    return problems


def _numbers(values: list[int]) -> str:
    return "、".join(str(v) for v in values)


def _gaps(gaps: list[tuple[int, int]]) -> str:
    """Missing revision numbers: `3、4` for a short gap, `5至8999999999999999999` for a long one."""
    parts = []
    for low, high in gaps:
        if high - low < _SPELLED_OUT:
            parts += [str(n) for n in range(low, high + 1)]
        else:
            parts.append(f"{low}至{high}")
    return "、".join(parts)


def _chain_problems(
    revisions: list[_Row],
    hashes: dict[object, dict[str, str]],
    unhashable: set[object],
    head: tuple[object, object] | None,
) -> list[str]:
    """Each revision links to the one written before it and matches its own chain hash; the head names the last.
    A revision with a field of the wrong type (already a problem) is linked but not rehashed."""
    problems = []
    expected_prev: object = GENESIS
    for row in revisions:
        if row.prev_chain != expected_prev:
            problems.append(
                f"版本链断裂于{row.label}:它记录的上一版本哈希与实际不符(在它之前写入的版本记录被删除或改动)"
            )
        recomputed = row.rehash(hashes.get(row.id, {})) if row.id not in unhashable else None
        if recomputed is not None and recomputed != row.chain:
            problems.append(f"{row.label}的链哈希不符:其年度、版本号、文件名、SHA-256、导入时间或工作表清单被改动")
        expected_prev = row.chain
    if revisions:
        last = revisions[-1]
        if head is None or tuple(head) != (last.id, last.chain):
            problems.append(f"版本链末端与最后写入的版本({last.label})不符:最后写入的版本记录被删除或改动")
    elif head is not None:
        problems.append("版本链末端记录了一个版本,但历史库中没有任何版本记录:版本记录被删除")
    return problems


def content_sha256(content: str) -> str:
    """The hash of one stored sheet's content (its JSON text as UTF-8)."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def chain_sha256(
    prev_chain: str, year: int, revision: int, source: str, sha256: str, imported_at: str, sheet_hashes: dict[str, str]
) -> str:
    """One link of the revision chain (see the module docstring)."""
    payload = [prev_chain, year, revision, source, sha256, imported_at, sorted(sheet_hashes.items())]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """A cell value JSON cannot hold as it is: Decimal as its text, a date as ISO text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} 不是表中的值")


def _encode(table: Table) -> str:
    """A table as stored: a first line of JSON saying what the table is ("fields" in the order of the lines that
    follow), then one line per field that has a value in some row, the JSON array of the rows' values. JSON text
    holds no line break of its own (one in a value is written \\n), so a reader splits the lines and decodes only
    the fields it needs: the earlier years' 干部 are read for 4 fields of 14."""
    values = {name: array for name, array in sorted(table.values.items()) if any(v is not None for v in array)}
    head = {
        "columns": sorted(table.columns),
        "letters": table.letters,
        "row_numbers": table.row_numbers,
        "count": table.count,
        "fields": list(values),
    }
    lines = [head, *values.values()]
    return "\n".join(json.dumps(line, ensure_ascii=False, default=_plain) for line in lines)


# JSON keeps numbers as text and dates as ISO text; only those columns are converted back.
FROM_JSON: dict[Kind, Callable[[str], Any]] = {Kind.DECIMAL: Decimal, Kind.DATE: date.fromisoformat}
# Kinds whose values repeat row after row (a unit, a grade): decoded as one string object each, not one per row
# (a million-row 干部 sheet holds two thousand units).
_SHARED = (Kind.UNIT, Kind.CHOICE, Kind.LABEL, Kind.YESNO)


def _decode(sheet: str, content: str, only: Sequence[str] | None = None) -> Table:
    """A stored table with every field of the sheet, or only the fields `only` (the others read as None).

    Three forms are read: one line per field (see `_encode`); one JSON object with the arrays under "values"
    (revisions imported before the line form); and one object per row under "rows" (before the columnar form)."""
    spec = SHEETS_BY_NAME[sheet]
    wanted = [col for col in spec.columns if only is None or col.field in only]
    first, _, rest = content.partition("\n")
    data = json.loads(first)
    if "rows" in data:
        return Table(
            spec,
            _decode_rows(data, wanted),
            set(data["columns"]),
            row_numbers=data["row_numbers"],
            letters=data["letters"],
        )
    if "values" in data:
        stored: dict[str, Any] = data["values"]
        arrays: Callable[[str], list[Any] | None] = stored.get
    else:
        held = rest.split("\n") if rest else []
        if len(held) != len(data["fields"]):
            raise ValueError(f"表有 {len(data['fields'])} 列的值,存有 {len(held)} 行")
        lines = dict(zip(data["fields"], held))

        def arrays(name: str) -> list[Any] | None:
            return json.loads(lines[name]) if name in lines else None

    count = data["count"]
    values: dict[str, list[Any]] = {}
    for col in wanted:
        array = arrays(col.field)
        if array is None:
            continue
        if len(array) != count:
            raise ValueError(f"{col.field} 列有 {len(array)} 个值,表有 {count} 行")
        if col.kind in FROM_JSON:
            convert = FROM_JSON[col.kind]
            array = [None if v is None else convert(v) for v in array]
        elif col.kind in _SHARED:
            shared: dict[Any, Any] = {}
            array = [shared.setdefault(v, v) for v in array]
        values[col.field] = array
    return Table(
        spec,
        columns=set(data["columns"]),
        row_numbers=data["row_numbers"],
        letters=data["letters"],
        values=values,
        count=count,
    )


def _decode_rows(data: dict[str, Any], wanted: list[Any]) -> list[dict[str, Any]]:
    """The rows of a table stored one object per row (revisions imported before the columnar form)."""
    typed = [
        (col.field, FROM_JSON[col.kind]) for col in wanted if col.kind in FROM_JSON and col.field in data["columns"]
    ]
    names = [col.field for col in wanted]
    blank: dict[str, Any] = dict.fromkeys(names)
    rows = []
    for stored in data["rows"]:
        row = blank.copy()
        row.update((name, stored[name]) for name in names if name in stored)
        for name, convert in typed:
            value = row[name]
            if value is not None:
                row[name] = convert(value)
        rows.append(row)
    return rows
