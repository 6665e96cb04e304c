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
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from sanshi.errors import HistoryError, RunWarning
from sanshi.inputs.reader import Book, Table
from sanshi.inputs.schema import SHEETS_BY_NAME, Kind

BUSY_TIMEOUT = 30.0  # seconds to wait for another process's write lock
GENESIS = "0" * 64  # prev_chain of the first revision ever written

SCHEMA_VERSION = 2


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
        moment = datetime.fromisoformat(self.imported_at).astimezone()
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

    def __init__(self, connection: sqlite3.Connection, path: str, timeout: float = BUSY_TIMEOUT) -> None:
        self._db = connection
        self.path = path
        self.timeout = timeout

    @classmethod
    def open(cls, path: str | Path, create: bool = True, timeout: float | None = None) -> "HistoryStore":
        """Open (and create or upgrade) the store; wait up to `timeout` seconds (default BUSY_TIMEOUT) for a lock."""
        text = str(path)
        wait = BUSY_TIMEOUT if timeout is None else timeout
        if text != ":memory:" and not Path(text).exists() and not create:
            raise HistoryError(f"历史库 {text} 不存在:请先用 sanshi history import 导入以前年度的数据")
        try:
            # isolation_level=None: the module opens no transactions of its own; ours are explicit (BEGIN IMMEDIATE).
            connection = sqlite3.connect(text, timeout=wait, isolation_level=None)
        except sqlite3.Error as exc:
            raise HistoryError(f"历史库 {text} 无法打开({exc}):请检查路径和权限") from None
        store = cls(connection, text, wait)
        try:
            store._configure()
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

    def _migrate(self) -> None:
        version = self._user_version()
        if version > SCHEMA_VERSION:
            raise HistoryError(f"历史库 {self.path} 由更新版本的 sanshi 创建(结构版本 {version}),请升级 sanshi")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._write():
                if self._user_version() >= target:
                    continue  # another process upgraded the file while we waited for the lock
                step = _MIGRATIONS[target]
                if callable(step):
                    step(self._db)
                else:
                    for statement in step.split(";"):
                        if statement.strip():
                            self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {target}")

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
            revision = (
                1
                + self._db.execute(
                    "SELECT COALESCE(MAX(revision), 0) FROM revisions WHERE year = ?", (year,)
                ).fetchone()[0]
            )
            last = self._db.execute("SELECT chain FROM revisions ORDER BY id DESC LIMIT 1").fetchone()
            prev = last[0] if last else GENESIS
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
    def tables(self, year: int, revision: int | None = None, sheets: Collection[str] | None = None) -> dict[str, Table]:
        """A year's stored tables (the current revision unless one is named), or only those of `sheets`
        (decoding a national 干部 sheet costs more than the awards, which read only 县域监测, need)."""
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
        return {sheet: _decode(sheet, content) for sheet, content in self._db.execute(query, arguments)}

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
        listed, never raised: the report names them all."""
        problems = [
            f"SQLite 完整性检查:{message}"
            for (message,) in self._db.execute("PRAGMA integrity_check")
            if message != "ok"
        ]
        counts = (0, 0, 0)
        try:
            counts = self._verify_rows(problems)
        except sqlite3.DatabaseError as exc:  # a damaged file may fail half-way; what was found so far still counts
            problems.append(f"历史库无法完整读取({exc}),其余检查未能进行")
        return VerifyReport(*counts, problems=tuple(problems))

    def _verify_rows(self, problems: list[str]) -> tuple[int, int, int]:
        for table, rowid, parent, _ in self._db.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"外键检查:{table} 表第 {rowid} 行引用的 {parent} 记录不存在(所属的版本记录被删除)")
        revisions = [
            _Row(*row)
            for row in self._db.execute(
                "SELECT id, year, revision, source, sha256, imported_at, is_current, prev_chain, chain FROM revisions"
                " ORDER BY id"
            )
        ]
        labels = {row.id: f"{row.year}年第{row.revision}版" for row in revisions}
        hashes: dict[int, dict[str, str]] = {}
        sheet_count = 0
        for rid, sheet, content, stored_hash in self._db.execute(
            "SELECT revision_id, sheet, content, content_sha256 FROM sheets ORDER BY revision_id, sheet"
        ):
            sheet_count += 1
            hashes.setdefault(rid, {})[sheet] = stored_hash
            where = f"{labels.get(rid, f'版本记录 {rid}(已不存在)')} › {sheet}"
            if content_sha256(content) != stored_hash:
                problems.append(f"{where}:内容与其 SHA-256 不符(内容被改动或损坏)")
            if sheet not in SHEETS_BY_NAME:
                problems.append(f"{where}:不是 sanshi 认识的工作表")
                continue
            try:
                _decode(sheet, content)
            except Exception as exc:  # any failure to decode is itself the finding
                problems.append(f"{where}:内容无法解码({type(exc).__name__}: {exc})")
        problems += _numbering_problems(revisions)
        head = self._db.execute("SELECT revision_id, chain FROM chain_head").fetchone()
        problems += _chain_problems(revisions, hashes, labels, head)
        return len({row.year for row in revisions}), len(revisions), sheet_count


class _Row(NamedTuple):
    """A revisions row as verify reads it."""

    id: int
    year: int
    revision: int
    source: str
    sha256: str
    imported_at: str
    is_current: int
    prev_chain: str
    chain: str


def _numbering_problems(revisions: list[_Row]) -> list[str]:
    """Per year: revisions 1..n without gaps, exactly one current, and it is the latest."""
    problems = []
    by_year: dict[int, list[_Row]] = {}
    for row in revisions:
        by_year.setdefault(row.year, []).append(row)
    for year, rows in sorted(by_year.items()):
        numbers = sorted(row.revision for row in rows)
        missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
        if missing:
            problems.append(
                f"{year}年的版本号不连续:缺第{_numbers(missing)}版(现有第{_numbers(numbers)}版),有版本记录被删除"
            )
        current = sorted(row.revision for row in rows if row.is_current)
        if not current:
            problems.append(f"{year}年没有当前版本")
        elif len(current) > 1:
            problems.append(f"{year}年有 {len(current)} 个当前版本(第{_numbers(current)}版),应只有一个")
        elif current[0] != numbers[-1]:
            problems.append(f"{year}年的当前版本是第{current[0]}版,但最新导入的是第{numbers[-1]}版")
    return problems


def _numbers(values: list[int]) -> str:
    return "、".join(str(v) for v in values)


def _chain_problems(
    revisions: list[_Row], hashes: dict[int, dict[str, str]], labels: dict[int, str], head: tuple[int, str] | None
) -> list[str]:
    """Each revision links to the one written before it and matches its own chain hash; the head names the last."""
    problems = []
    expected_prev = GENESIS
    for row in revisions:
        if row.prev_chain != expected_prev:
            problems.append(
                f"版本链断裂于{labels[row.id]}:它记录的上一版本哈希与实际不符(在它之前写入的版本记录被删除或改动)"
            )
        recomputed = chain_sha256(
            row.prev_chain, row.year, row.revision, row.source, row.sha256, row.imported_at, hashes.get(row.id, {})
        )
        if recomputed != row.chain:
            problems.append(f"{labels[row.id]}的链哈希不符:其年度、版本号、文件名、SHA-256、导入时间或工作表清单被改动")
        expected_prev = row.chain
    if revisions:
        last = revisions[-1]
        if head is None or tuple(head) != (last.id, last.chain):
            problems.append(f"版本链末端与最后写入的版本({labels[last.id]})不符:最后写入的版本记录被删除或改动")
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


def _encode(table: Table) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        return value

    return json.dumps(
        {
            "columns": sorted(table.columns),
            "letters": table.letters,
            "row_numbers": table.row_numbers,
            "rows": [{k: plain(v) for k, v in row.items() if v is not None} for row in table.rows],
        },
        ensure_ascii=False,
    )


def _decode(sheet: str, content: str) -> Table:
    spec = SHEETS_BY_NAME[sheet]
    data = json.loads(content)
    blank: dict[str, Any] = {col.field: None for col in spec.columns}
    # JSON keeps numbers as text and dates as ISO text; only those columns need converting back.
    typed = [
        (col.field, Decimal if col.kind is Kind.DECIMAL else date.fromisoformat)
        for col in spec.columns
        if col.kind in (Kind.DECIMAL, Kind.DATE) and col.field in data["columns"]
    ]
    rows = []
    for stored in data["rows"]:
        row = blank.copy()
        row.update(stored)
        for name, convert in typed:
            value = row[name]
            if value is not None:
                row[name] = convert(value)
        rows.append(row)
    return Table(
        spec=spec, rows=rows, columns=set(data["columns"]), row_numbers=data["row_numbers"], letters=data["letters"]
    )
