"""Hardening, part 2 (issue 21), the history store and the manifests: items 6, 11, 17, 18, 27 and 29.

Each test drives the real CLI and checks the exit code, the Chinese message and that nothing was
written, changed or lost."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.history.store import APPLICATION_ID, MAX_REVISION, SCHEMA_VERSION, HistoryStore, _MIGRATIONS, _encode
from sanshi.inputs.reader import Book, Table
from sanshi.inputs.schema import TARGET

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
T0 = datetime(2024, 1, 5, 9, 0, tzinfo=timezone.utc)
runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_files(path: Path) -> list[str]:
    """SQLite's companions of a database file, and any temporary file sanshi made beside it."""
    return sorted(
        p.name for p in path.parent.iterdir() if p.name != path.name and path.name in p.name and p.suffix != ".xlsx"
    )


def tiny_book(year: int, score: str = "90.5") -> Book:
    table = Table(
        spec=TARGET,
        rows=[{"unit": "甲市", "score": Decimal(score)}, {"unit": "乙市", "score": Decimal("88")}],
        columns={"unit", "score"},
        row_numbers=[2, 3],
    )
    return Book(f"{year}.xlsx", hashlib.sha256(f"{year}-{score}".encode()).hexdigest(), {TARGET.name: table})


@pytest.fixture
def small_store(tmp_path) -> Path:
    """A store written in the order 2020 r1, 2021 r1, 2020 r2, from tiny books (fast)."""
    path = tmp_path / "sanshi.db"
    with HistoryStore.open(path) as store:
        store.import_book(tiny_book(2020), 2020, now=T0)
        store.import_book(tiny_book(2021), 2021, now=T0)
        store.import_book(tiny_book(2020, "91"), 2020, now=T0)
    return path


def tamper(path: Path, *statements: str) -> None:
    """Raw SQL, as a person with a database browser would edit the file."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            db.execute(statement)
    finally:
        db.close()


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("错误:")]


# ---- item 6: reading commands never create or migrate; only a sanshi store is opened -------------------


def _foreign_rollback(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE users (name TEXT, password TEXT)")
    db.execute("INSERT INTO users VALUES ('admin', 'x')")
    db.commit()
    db.close()


def _foreign_wal(path: Path) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE users (name TEXT)")
    db.execute("INSERT INTO users VALUES ('admin')")
    db.close()


def _other_application(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA application_id = 1179796038")  # another program's id, with sanshi's own table names
    db.executescript(_MIGRATIONS[1])
    db.commit()
    db.close()


def _empty_sqlite(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 0")
    db.execute("VACUUM")  # writes the header: a valid SQLite file without any table
    db.close()


FOREIGN = {
    "another program's SQLite file": (_foreign_rollback, "有 sanshi 历史库没有的表 users"),
    "another program's SQLite file in WAL mode": (_foreign_wal, "有 sanshi 历史库没有的表 users"),
    "another application id": (_other_application, "另一个程序的 SQLite 数据库(application_id 1179796038)"),
    "a 0-byte file": (lambda path: path.write_bytes(b""), "空文件(0 字节)"),
    "a text file": (lambda path: path.write_text("name,password\nadmin,x\n"), "不是 SQLite 数据库文件"),
    "a SQLite file without tables": (_empty_sqlite, "没有任何表的 SQLite 数据库"),
}

READING = {
    "history list": ("history", "list"),
    "history show": ("history", "show", "2021"),
    "history verify": ("history", "verify"),
    "history export": ("history", "export", "导出.xlsx"),
    "awards": ("awards", SAMPLE / "2023.xlsx", "--out", "out"),
    "history import": ("history", "import", SAMPLE / "2021.xlsx"),
}


@pytest.mark.parametrize("kind", FOREIGN, ids=list(FOREIGN))
@pytest.mark.parametrize("command", READING, ids=list(READING))
def test_item_06_reading_never_touches_a_foreign_sqlite_file(tmp_path, monkeypatch, kind, command):
    make, message = FOREIGN[kind]
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "users.sqlite"
    make(path)
    before, files_before = digest(path), sorted(p.name for p in folder.iterdir())
    monkeypatch.chdir(tmp_path)
    result = invoke(*READING[command], "--db", path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert any(message in line and "不是 sanshi 的历史库" in line for line in error_lines(result)), result.stderr
    assert digest(path) == before  # not one byte changed: no tables added, no WAL switch, no id written
    assert sorted(p.name for p in folder.iterdir()) == files_before  # no -wal, -shm, -journal or temporary file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no export, no awards workbook


def test_item_06_the_default_store_path_is_refused_too_when_it_is_not_a_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("sanshi.db").write_bytes(b"")  # ./sanshi.db, the default: an empty file must not become a store
    result = invoke("awards", SAMPLE / "2023.xlsx", "--json")
    assert result.exit_code == 2 and "sanshi.db 是一个空文件(0 字节)" in result.stderr
    assert Path("sanshi.db").read_bytes() == b"" and sorted(p.name for p in tmp_path.iterdir()) == ["sanshi.db"]


def test_item_06_only_history_import_creates_a_store_and_marks_it(tmp_path):
    path = tmp_path / "新建" / "sanshi.db"
    path.parent.mkdir()
    for reading in (("history", "list"), ("history", "verify"), ("history", "show", "2021")):
        refused = invoke(*reading, "--db", path)
        assert refused.exit_code == 2 and "不存在" in refused.stderr
        assert list(path.parent.iterdir()) == []  # nothing created
    imported = invoke("history", "import", SAMPLE / "2021.xlsx", "--db", path)
    assert imported.exit_code == 0, imported.stderr
    assert sorted(p.name for p in path.parent.iterdir()) == ["sanshi.db"]  # no temporary file left beside it
    header = path.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID and int.from_bytes(header[60:64], "big") == 2
    assert invoke("history", "verify", "--db", path).exit_code == 0


def _without_id(path: Path) -> None:
    """The store as sanshi wrote it before the application id."""
    tamper(path, "PRAGMA application_id = 0")


def test_item_06_a_store_of_an_earlier_version_is_read_as_it_is_and_marked_on_the_next_import(small_store):
    _without_id(small_store)
    before = digest(small_store)
    for reading in (("history", "list"), ("history", "verify"), ("history", "show", "2021")):
        result = invoke(*reading, "--db", small_store)
        assert result.exit_code == 0, result.stderr
    assert digest(small_store) == before and side_files(small_store) == []  # recognised by its tables, unchanged
    imported = invoke("history", "import", SAMPLE / "2021.xlsx", "--db", small_store)
    assert imported.exit_code == 0, imported.stderr
    with HistoryStore.open(small_store, create=False) as store:
        assert store._db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID  # the import marked it
        assert [(r.year, r.revision) for r in store.revisions()] == [(2020, 1), (2020, 2), (2021, 1), (2021, 2)]
    assert invoke("history", "verify", "--db", small_store).exit_code == 0


def _schema_1_store(path: Path) -> None:
    """A store as sanshi wrote it with schema 1: no hashes, no chain, no application id."""
    old = sqlite3.connect(path)
    old.executescript(_MIGRATIONS[1])
    for index, (year, revision, book) in enumerate([(2020, 1, tiny_book(2020)), (2021, 1, tiny_book(2021))], 1):
        old.execute(
            "INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, 1)",
            (index, year, revision, book.source, book.sha256, "2024-01-05T17:00:00+08:00"),
        )
        for name, table in book.tables.items():
            old.execute("INSERT INTO sheets VALUES (?, ?, ?)", (index, name, _encode(table)))
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()


def test_item_06_reading_a_schema_1_store_does_not_upgrade_it(tmp_path):
    path = tmp_path / "old.db"
    _schema_1_store(path)
    before = digest(path)
    listed = invoke("history", "list", "--db", path)
    assert listed.exit_code == 0 and "2020" in listed.stdout and "2021" in listed.stdout
    checked = invoke("history", "verify", "--db", path)
    assert checked.exit_code == 2
    assert any("旧版 sanshi 建立的(结构版本 1)" in line and "即升级" in line for line in error_lines(checked))
    assert "Traceback" not in checked.output
    assert digest(path) == before and side_files(path) == []
    imported = invoke("history", "import", SAMPLE / "2022.xlsx", "--db", path)  # an import upgrades it
    assert imported.exit_code == 0, imported.stderr
    assert invoke("history", "verify", "--db", path).exit_code == 0


# ---- item 11: verify is linear whatever the revision numbers ------------------------------------------


def test_item_11_verify_with_a_revision_number_of_9e18_lists_the_gap(small_store):
    tamper(small_store, "UPDATE revisions SET revision = 9000000000000000000 WHERE year = 2020 AND revision = 2")
    result = invoke("history", "verify", "--db", small_store)  # set(range(1, 9e18)) would never return
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = error_lines(result)
    assert any("2020年的版本号不连续:缺第2至8999999999999999999版(现有第1、9000000000000000000版)" in x for x in lines)
    assert any("2020年第9000000000000000000版的链哈希不符" in line for line in lines)


def test_item_11_short_gaps_are_listed_number_by_number_and_revisions_below_1_named(small_store):
    tamper(
        small_store,
        "UPDATE revisions SET revision = 5 WHERE year = 2020 AND revision = 2",
        "UPDATE revisions SET revision = -3 WHERE year = 2021",
    )
    lines = error_lines(invoke("history", "verify", "--db", small_store))
    assert any("2020年的版本号不连续:缺第2、3、4版" in line for line in lines)
    assert any("2021年有小于 1 的版本号:第-3版" in line for line in lines)


# ---- item 17: values of the wrong type are listed problems; an import past 2^63-1 is refused ----------

WRONG_TYPES = {
    "BLOB content": (
        ["UPDATE sheets SET content = CAST(content AS BLOB) WHERE revision_id = 2"],
        ["2021年第1版 › 目标责任考核:内容不是文本(BLOB)"],
    ),
    "BLOB sheet name": (
        ["UPDATE sheets SET sheet = CAST(sheet AS BLOB) WHERE revision_id = 2"],
        ["2021年第1版:有一张表的名称 BLOB(18 字节) 不是文本(BLOB)"],
    ),
    "BLOB content hash": (
        ["UPDATE sheets SET content_sha256 = CAST(content_sha256 AS BLOB) WHERE revision_id = 2"],
        ["2021年第1版 › 目标责任考核:内容与其 SHA-256 不符"],
    ),
    "text revision": (
        ["UPDATE revisions SET revision = 'abc' WHERE year = 2020 AND revision = 2"],
        ["版本记录 3:revision 列的值 abc 不是整数(TEXT)", "2020年没有当前版本"],
    ),
    "text year": (
        ["UPDATE revisions SET year = '二〇二一' WHERE year = 2021"],
        ["版本记录 2:year 列的值 二〇二一 不是整数(TEXT)"],
    ),
    "real year": (
        ["UPDATE revisions SET year = 1e30 WHERE year = 2021"],
        ["版本记录 2:year 列的值 1e+30 不是整数(REAL)"],
    ),
    "BLOB source and chain": (
        ["UPDATE revisions SET source = X'00FF', chain = X'01' WHERE year = 2021"],
        ["2021年第1版:source 列的值 BLOB(2 字节) 不是文本(BLOB)", "2021年第1版:chain 列的值 BLOB(1 字节)"],
    ),
    "text is_current": (
        ["UPDATE revisions SET is_current = 'yes' WHERE year = 2021"],
        ["2021年第1版:is_current 列的值 yes 不是 0 或 1", "2021年没有当前版本"],
    ),
    "garbled import time": (
        ["UPDATE revisions SET imported_at = X'FFFE' WHERE year = 2021"],
        ["2021年第1版:imported_at 列的值 BLOB(2 字节) 不是文本(BLOB)"],
    ),
}


@pytest.mark.parametrize("case", WRONG_TYPES, ids=list(WRONG_TYPES))
def test_item_17_verify_lists_values_of_the_wrong_type_as_problems(small_store, case):
    statements, expected = WRONG_TYPES[case]
    tamper(small_store, *statements)
    result = invoke("history", "verify", "--db", small_store)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    lines = error_lines(result)
    for fragment in expected:
        assert any(fragment in line for line in lines), f"{fragment!r} not in {result.stderr}"


def test_item_17_history_list_shows_a_garbled_import_time_as_stored(small_store):
    tamper(small_store, "UPDATE revisions SET imported_at = 'yesterday' WHERE year = 2021")
    result = invoke("history", "list", "--db", small_store)
    assert result.exit_code == 0 and "yesterday" in result.stdout


def _revisions(path: Path) -> list[tuple]:
    with HistoryStore.open(path, create=False) as store:
        return store._db.execute("SELECT * FROM revisions ORDER BY id").fetchall()


@pytest.mark.parametrize(
    "highest, message",
    [
        (str(MAX_REVISION), "2020年的版本号已到 SQLite 能存的最大整数(第9223372036854775807版),无法导入为新版本"),
        ("'abc'", "2020年最大的版本号 abc 不是整数"),
    ],
)
def test_item_17_import_after_the_largest_revision_number_exits_2(small_store, book, highest, message):
    tamper(small_store, f"UPDATE revisions SET revision = {highest} WHERE year = 2020 AND revision = 2")
    before = _revisions(small_store)
    workbook = book({"目标责任考核": [["单位", "综合得分"], ["丙市", 70]]}, name="2020.xlsx")
    result = invoke("history", "import", workbook, "--db", small_store)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert any(message in line and "history verify" in line for line in error_lines(result)), result.stderr
    assert _revisions(small_store) == before  # nothing written


# ---- item 29: a store whose user_version does not match its tables says what it is ----------------------


def test_item_29_a_store_with_user_version_0_and_tables_says_what_it_is(small_store, book):
    tamper(small_store, "PRAGMA user_version = 0")
    before = digest(small_store)
    workbook = book({"目标责任考核": [["单位", "综合得分"], ["丙市", 70]]}, name="2022.xlsx")
    for command in (("history", "list"), ("history", "import", workbook)):
        result = invoke(*command, "--db", small_store)
        assert result.exit_code == 2 and "Traceback" not in result.output
        [line] = error_lines(result)
        assert "没有记录结构版本(user_version 为 0),其中却已有表 chain_head、revisions、sheets" in line
        assert f"其中的表是 sanshi 结构版本 {SCHEMA_VERSION} 的,版本号却被清零" in line
        assert "sanshi 不会改动它" in line and "从备份恢复" in line
        assert "磁盘空间" not in line
    assert digest(small_store) == before and side_files(small_store) == []


def test_item_29_a_store_whose_user_version_went_back_to_1_is_not_migrated_again(small_store):
    _without_id(small_store)
    tamper(small_store, "PRAGMA user_version = 1")
    before = digest(small_store)
    result = invoke("history", "import", SAMPLE / "2021.xlsx", "--db", small_store)
    assert result.exit_code == 2 and "Traceback" not in result.output
    [line] = error_lines(result)
    assert "记录的结构版本为 1,其中的表是结构版本 2 的,与其中的表不符(多出表 chain_head" in line
    assert "revisions 表多出列 chain、prev_chain" in line and "sanshi 不会改动它" in line
    assert "磁盘空间" not in line
    assert digest(small_store) == before and side_files(small_store) == []


def test_item_29_sanshi_tables_with_a_column_missing_are_named(small_store):
    tamper(small_store, "ALTER TABLE sheets DROP COLUMN content_sha256")
    result = invoke("history", "verify", "--db", small_store)
    assert result.exit_code == 2
    assert any("结构版本为 2" in line and "sheets 表缺少列 content_sha256" in line for line in error_lines(result))


# ---- items 18 and 27: sanshi verify on manifests that are deep, absurd, empty or malformed --------------


def manifest_text(folder: Path, outputs: str | None = None, inputs: str = "[]") -> str:
    """A manifest as JSON text listing `a.xlsx` in `folder` (written here), with `outputs` / `inputs` as given."""
    output = folder / "a.xlsx"
    output.write_bytes(b"the output")
    if outputs is None:
        outputs = json.dumps([{"path": "a.xlsx", "size": 10, "sha256": digest(output)}])
    return (
        '{"format": "sanshi-manifest", "format_version": 1, "command": "awards", "year": 2023, '
        f'"inputs": {inputs}, "outputs": {outputs}, "created_at": "2024-01-05T09:00:00Z"}}'
    )


def verify_text(folder: Path, text: str):
    """`sanshi verify` on a manifest of `text`; checks that it wrote nothing and changed nothing."""
    path = folder / "结果.manifest.json"
    path.write_text(text, encoding="utf-8")
    before = {p.name: digest(p) for p in folder.iterdir()}
    result = invoke("verify", path)
    assert {p.name: digest(p) for p in folder.iterdir()} == before
    assert "Traceback" not in result.output and "内部错误" not in result.output
    return result


def test_the_well_formed_manifest_of_these_tests_verifies(tmp_path):
    result = verify_text(tmp_path, manifest_text(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert "核对通过:1 个输出文件" in result.stdout


def test_item_18_a_manifest_nested_200000_deep_exits_2_with_a_message(tmp_path):
    deep = "[" * 200_000 + "]" * 200_000
    result = verify_text(tmp_path, manifest_text(tmp_path, outputs=deep))
    assert result.exit_code == 2
    assert any("数组或对象嵌套超过 16 层" in line for line in error_lines(result)), result.stderr
    # brackets inside strings are text, not nesting: a file name of 40 brackets verifies
    name = "[" * 20 + "]" * 20 + ".xlsx"
    (tmp_path / name).write_bytes(b"x")
    listed = json.dumps([{"path": name, "size": 1, "sha256": digest(tmp_path / name)}])
    assert verify_text(tmp_path, manifest_text(tmp_path, outputs=listed)).exit_code == 0


@pytest.mark.parametrize(
    "year, revision, message",
    [
        (10**30, 1, "历史库输入的年度 100000000000…(31 位数) 不是有效的年度(1 至 9999)"),
        (0, 1, "历史库输入的年度 0 不是有效的年度"),
        (2022, 2**63, "历史库输入的版本号 9223372036854775808 不是有效的版本号"),
        (2022, 0, "历史库输入的版本号 0 不是有效的版本号"),
        (10**100, 1, "历史库输入的年度 100000000000…(101 位数) 不是有效的年度"),
    ],
)
def test_item_18_a_history_input_with_an_absurd_year_exits_2_with_a_message(
    sample_db, tmp_path, year, revision, message
):
    entry = {"kind": "history", "path": str(sample_db), "sha256": "0" * 64, "year": year, "revision": revision}
    before = digest(sample_db)
    result = verify_text(tmp_path, manifest_text(tmp_path, inputs=json.dumps([entry])))
    assert result.exit_code == 2
    assert any(f"inputs 第1项:{message}" in line for line in error_lines(result)), result.stderr
    assert digest(sample_db) == before


def test_item_18_an_integer_too_long_to_read_exits_2_with_a_message(tmp_path):
    entry = '[{"kind": "history", "path": "/x.db", "sha256": "00", "year": ' + "9" * 5000 + ', "revision": 1}]'
    result = verify_text(tmp_path, manifest_text(tmp_path, inputs=entry))
    assert result.exit_code == 2
    assert any("不是有效的运行清单" in line for line in error_lines(result)), result.stderr


def test_item_27_a_manifest_listing_no_output_fails(tmp_path):
    result = verify_text(tmp_path, manifest_text(tmp_path, outputs="[]"))
    assert result.exit_code == 2 and "核对通过" not in result.stdout
    assert any("清单没有列出任何输出文件,无从核对" in line for line in error_lines(result)), result.stderr


def test_item_27_a_manifest_with_a_duplicated_key_fails(tmp_path):
    good = manifest_text(tmp_path)
    # the first "outputs" listed a file that is gone; the second, empty, would silently win
    twice = good.replace('"outputs": ', '"outputs": [{"path": "gone.xlsx", "sha256": "00"}], "outputs": ')
    result = verify_text(tmp_path, twice)
    assert result.exit_code == 2 and "核对通过" not in result.stdout
    assert any('键 "outputs" 在同一个对象中出现了不止一次' in line for line in error_lines(result)), result.stderr
    inner = good.replace('"sha256": "', '"sha256": "00", "sha256": "', 1)  # inside an output entry
    result = verify_text(tmp_path, inner)
    assert result.exit_code == 2 and any('键 "sha256"' in line for line in error_lines(result))


def test_item_27_a_manifest_listing_one_output_twice_fails(tmp_path):
    entry = {"path": "a.xlsx", "size": 10, "sha256": hashlib.sha256(b"the output").hexdigest()}
    result = verify_text(tmp_path, manifest_text(tmp_path, outputs=json.dumps([entry, entry])))
    assert result.exit_code == 2
    assert any("outputs 第2项:路径 a.xlsx 重复列出" in line for line in error_lines(result)), result.stderr
