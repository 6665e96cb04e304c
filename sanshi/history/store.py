"""The history store: every imported year's validated input, in one SQLite file.

Re-importing a year adds a new revision and marks it current inside one
transaction; older revisions stay (with the input file's SHA-256 and the time), so
nothing is ever lost. The schema is versioned with PRAGMA user_version.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from sanshi.errors import HistoryError
from sanshi.inputs.reader import Book, Table
from sanshi.inputs.schema import SHEETS_BY_NAME, Kind

SCHEMA_VERSION = 1
_MIGRATIONS = {
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
}


@dataclass(frozen=True)
class Revision:
    year: int
    revision: int
    source: str
    sha256: str
    imported_at: str
    is_current: bool
    sheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportOutcome:
    year: int
    revision: int
    replaced: Revision | None  # the revision that was current before, if any
    unchanged: bool  # same file as the current revision: nothing stored


class HistoryStore:
    """One SQLite file; open with `HistoryStore.open(path)` (":memory:" works for tests)."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: str | Path, create: bool = True) -> "HistoryStore":
        text = str(path)
        if text != ":memory:" and not Path(text).exists() and not create:
            raise HistoryError(f"历史库 {text} 不存在:请先用 sanshi history import 导入以前年度的数据")
        try:
            connection = sqlite3.connect(text)
            connection.execute("PRAGMA foreign_keys = ON")
            store = cls(connection, text)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise HistoryError(f"历史库 {text} 无法读取({exc}):它可能不是 sanshi 的历史库文件") from None
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "HistoryStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryError(f"历史库 {self.path} 由更新版本的 sanshi 创建(结构版本 {version}),请升级 sanshi")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._db:
                self._db.executescript(_MIGRATIONS[target])
                self._db.execute(f"PRAGMA user_version = {target}")

    def import_book(self, book: Book, year: int, now: datetime | None = None) -> ImportOutcome:
        """Store a year's tables as its new current revision; keep the old one."""
        current = self.current(year)
        if current is not None and current.sha256 == book.sha256:
            return ImportOutcome(year, current.revision, current, unchanged=True)
        stamp = (now or datetime.now(timezone.utc)).astimezone().isoformat(timespec="seconds")
        revision = 1 + self._db.execute("SELECT COALESCE(MAX(revision), 0) FROM revisions WHERE year = ?",
                                        (year,)).fetchone()[0]
        with self._db:  # one transaction: either the new revision is complete and current, or nothing changed
            self._db.execute("UPDATE revisions SET is_current = 0 WHERE year = ?", (year,))
            cursor = self._db.execute(
                "INSERT INTO revisions (year, revision, source, sha256, imported_at, is_current) VALUES (?, ?, ?, ?, ?, 1)",
                (year, revision, book.source, book.sha256, stamp),
            )
            for name, table in book.tables.items():
                self._db.execute("INSERT INTO sheets (revision_id, sheet, content) VALUES (?, ?, ?)",
                                 (cursor.lastrowid, name, _encode(table)))
        return ImportOutcome(year, revision, current, unchanged=False)

    def years(self) -> list[int]:
        return [row[0] for row in self._db.execute("SELECT DISTINCT year FROM revisions ORDER BY year")]

    def revisions(self, year: int | None = None) -> list[Revision]:
        query = ("SELECT r.id, r.year, r.revision, r.source, r.sha256, r.imported_at, r.is_current FROM revisions r"
                 + (" WHERE r.year = ?" if year is not None else "") + " ORDER BY r.year, r.revision")
        rows = self._db.execute(query, (year,) if year is not None else ()).fetchall()
        result = []
        for rid, y, rev, source, sha, at, cur in rows:
            sheets = tuple(s for (s,) in self._db.execute("SELECT sheet FROM sheets WHERE revision_id = ? ORDER BY sheet", (rid,)))
            result.append(Revision(y, rev, source, sha, at, bool(cur), sheets))
        return result

    def current(self, year: int) -> Revision | None:
        return next((r for r in self.revisions(year) if r.is_current), None)

    def tables(self, year: int, revision: int | None = None) -> dict[str, Table]:
        """A year's stored tables (the current revision unless one is named)."""
        if revision is None:
            row = self._db.execute("SELECT id FROM revisions WHERE year = ? AND is_current = 1", (year,)).fetchone()
        else:
            row = self._db.execute("SELECT id FROM revisions WHERE year = ? AND revision = ?", (year, revision)).fetchone()
        if row is None:
            what = f"{year}年第{revision}版" if revision else f"{year}年"
            raise HistoryError(f"历史库 {self.path} 中没有{what}的数据(已有年份:{self._years_text()})")
        return {sheet: _decode(sheet, content)
                for sheet, content in self._db.execute("SELECT sheet, content FROM sheets WHERE revision_id = ?", row)}

    def _years_text(self) -> str:
        return "、".join(str(y) for y in self.years()) or "无"


def _encode(table: Table) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        return value

    return json.dumps({
        "columns": sorted(table.columns),
        "letters": table.letters,
        "row_numbers": table.row_numbers,
        "rows": [{k: plain(v) for k, v in row.items() if v is not None} for row in table.rows],
    }, ensure_ascii=False)


def _decode(sheet: str, content: str) -> Table:
    spec = SHEETS_BY_NAME[sheet]
    data = json.loads(content)
    kinds = {col.field: col.kind for col in spec.columns}
    rows = []
    for stored in data["rows"]:
        row: dict[str, Any] = {col.field: None for col in spec.columns}
        for key, value in stored.items():
            kind = kinds.get(key)
            if kind is Kind.DECIMAL:
                value = Decimal(value)
            elif kind is Kind.DATE:
                value = date.fromisoformat(value)
            row[key] = value
        rows.append(row)
    return Table(spec=spec, rows=rows, columns=set(data["columns"]), row_numbers=data["row_numbers"],
                 letters=data["letters"])
