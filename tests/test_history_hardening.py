"""Hardening of the history store (README「历史库」): locks, integrity data, verify, export,
concurrent imports and imports killed half-way."""

from __future__ import annotations

import json
import random
import re
import signal
import sqlite3
import subprocess
import sys
import zipfile
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import sanshi.history.store as store_module
from sanshi.cli import app
from sanshi.errors import HistoryError
from sanshi.history.store import SCHEMA_VERSION, HistoryStore, _encode, content_sha256
from sanshi.inputs.reader import Book, Table, read_workbook
from sanshi.inputs.schema import SHEETS_BY_NAME, TARGET
from sanshi.writers.history_xlsx import sheet_title

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
REPO = SAMPLE.parent
T0 = datetime(2024, 1, 5, 9, 0, tzinfo=timezone.utc)
runner = CliRunner()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    """SANSHI_DB from the caller's shell must not pick the store; the CLI tests name it with --db."""
    monkeypatch.delenv("SANSHI_DB", raising=False)


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def modified_copy(year: int, path: Path, delta: str) -> Path:
    """The sample workbook of `year` with the first 综合得分 of 目标责任考核 raised by `delta`: other data, other SHA."""
    workbook = openpyxl.load_workbook(SAMPLE / f"{year}.xlsx")
    sheet = workbook["目标责任考核"]
    header = next(cell for row in sheet.iter_rows(max_row=5) for cell in row if cell.value == "综合得分")
    below = sheet.cell(row=header.row + 1, column=header.column)
    below.value = float(Decimal(str(below.value)) + Decimal(delta))
    workbook.save(path)
    return path


def rows_of(tables: dict[str, Table]) -> dict[str, list[dict]]:
    return {name: table.rows for name, table in tables.items()}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    """The two sample years and modified copies of each (made once: openpyxl is slow on the sample)."""
    folder = tmp_path_factory.mktemp("inputs")
    made = {"2021": SAMPLE / "2021.xlsx", "2022": SAMPLE / "2022.xlsx"}
    for year in (2021, 2022):
        for n in (1, 2, 3):
            made[f"{year}-{n}"] = modified_copy(year, folder / f"{year}-更正{n}.xlsx", f"0.0{n}")
    return made


@pytest.fixture
def three_revisions(tmp_path, inputs) -> Path:
    """A store written in the order 2021 r1, 2022 r1, 2021 r2."""
    path = tmp_path / "sanshi.db"
    with HistoryStore.open(path) as store:
        store.import_book(read_workbook(inputs["2021"]), 2021, now=T0)
        store.import_book(read_workbook(inputs["2022"]), 2022, now=T0)
        store.import_book(read_workbook(inputs["2021-1"]), 2021, now=T0)
    return path


def tamper(path: Path, *statements: str) -> None:
    """Edit the file as a person with a database browser would: raw SQL, foreign keys off (sqlite's default)."""
    with sqlite3.connect(path) as db:
        for statement in statements:
            db.execute(statement)
    db.close()


def assert_sound(path: Path) -> None:
    """verify passes; every year has revisions 1..n and exactly one current, the latest."""
    checked = invoke("history", "verify", "--db", path)
    assert checked.exit_code == 0, checked.stderr
    with HistoryStore.open(path, create=False) as store:
        for year in store.years():
            revisions = store.revisions(year)
            assert [r.revision for r in revisions] == list(range(1, len(revisions) + 1))
            assert [r.is_current for r in revisions] == [False] * (len(revisions) - 1) + [True]


# ---- opening: WAL, synchronous, busy timeout, foreign keys; locks become a HistoryError ---------------


def test_a_file_store_uses_wal_full_sync_a_busy_timeout_and_foreign_keys(tmp_path):
    with HistoryStore.open(tmp_path / "sanshi.db") as store:
        pragma = lambda name: store._db.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == store_module.BUSY_TIMEOUT * 1000
        assert pragma("foreign_keys") == 1
        assert pragma("user_version") == SCHEMA_VERSION


def test_memory_store_still_works_and_verifies(memory_store, inputs):
    memory_store.import_book(read_workbook(inputs["2021"]), 2021, now=T0)
    report = memory_store.verify()
    assert report.ok and (report.years, report.revisions) == (1, 1)


def test_a_store_locked_beyond_the_timeout_is_a_chinese_history_error(three_revisions, inputs):
    holder = sqlite3.connect(three_revisions, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process is in the middle of an import
    try:
        with HistoryStore.open(three_revisions, timeout=0.1) as store:
            assert store.years() == [2021, 2022]  # WAL: readers do not wait for the writer
            with pytest.raises(HistoryError) as caught:
                store.import_book(read_workbook(inputs["2022-1"]), 2022)
        assert "正被另一个 sanshi 进程使用" in str(caught.value) and "请稍后重试" in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with HistoryStore.open(three_revisions) as store:
        assert [r.revision for r in store.revisions(2022)] == [1]


def test_history_import_on_a_locked_store_exits_2_without_a_traceback(three_revisions, inputs, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT", 0.1)
    holder = sqlite3.connect(three_revisions, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = invoke("history", "import", inputs["2022-1"], "--year", 2022, "--db", three_revisions)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2
    assert "正被另一个 sanshi 进程使用" in result.stderr and "Traceback" not in result.stderr


# ---- schema 2: hashes and chain, added to old files by a migration ---------------------------------


def test_a_schema_1_file_is_upgraded_with_hashes_backfilled(tmp_path, inputs):
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript(store_module._MIGRATIONS[1])  # the schema sanshi 1 wrote, filled as it filled it
    books = [
        (2021, read_workbook(inputs["2021"])),
        (2022, read_workbook(inputs["2022"])),
        (2021, read_workbook(inputs["2021-1"])),
    ]
    for index, (year, book) in enumerate(books, start=1):
        revision = sum(1 for y, _ in books[:index] if y == year)
        old.execute("UPDATE revisions SET is_current = 0 WHERE year = ?", (year,))
        old.execute(
            "INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, 1)",
            (index, year, revision, book.source, book.sha256, "2024-01-05T09:00:00+08:00"),
        )
        for name, table in book.tables.items():
            old.execute("INSERT INTO sheets VALUES (?, ?, ?)", (index, name, _encode(table)))
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()

    with HistoryStore.open(path) as store:
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        report = store.verify()
        assert report.ok, report.problems
        assert (report.years, report.revisions) == (2, 3)
        assert rows_of(store.tables(2021, 1)) == rows_of(books[0][1].tables)
        # a revision written after the upgrade links to the backfilled chain
        store.import_book(read_workbook(inputs["2022-1"]), 2022)
        assert store.verify().ok
    assert_sound(path)


# ---- verify -------------------------------------------------------------------------------------------


def test_verify_of_a_sound_store_exits_0_with_a_chinese_report(three_revisions):
    result = invoke("history", "verify", "--db", three_revisions)
    assert result.exit_code == 0, result.stderr
    assert "检查通过" in result.stdout and "2 个年度、3 个版本" in result.stdout


BROKEN = '{"rows": ['  # JSON cut off half-way
CORRUPTIONS = {
    "changed content": (
        [
            "UPDATE sheets SET content = replace(content, '秦川市', '秦州市') "
            "WHERE sheet = '目标责任考核' AND revision_id = (SELECT id FROM revisions WHERE year = 2021 AND revision = 1)"
        ],
        ["2021年第1版 › 目标责任考核:内容与其 SHA-256 不符"],
    ),
    "deleted revision": (
        ["DELETE FROM revisions WHERE year = 2021 AND revision = 1"],
        ["外键检查:sheets 表", "2021年的版本号不连续:缺第1版", "版本链断裂于2022年第1版"],
    ),
    "deleted revision with its sheets": (
        [
            "DELETE FROM sheets WHERE revision_id = (SELECT id FROM revisions WHERE year = 2022)",
            "DELETE FROM revisions WHERE year = 2022",
        ],
        ["版本链断裂于2021年第2版"],
    ),
    "two current revisions": (
        ["UPDATE revisions SET is_current = 1 WHERE year = 2021"],
        ["2021年有 2 个当前版本(第1、2版),应只有一个"],
    ),
    "no current revision": (
        ["UPDATE revisions SET is_current = 0 WHERE year = 2022"],
        ["2022年没有当前版本"],
    ),
    "last revision removed and the older one made current": (
        [
            "DELETE FROM sheets WHERE revision_id = (SELECT id FROM revisions WHERE year = 2021 AND revision = 2)",
            "DELETE FROM revisions WHERE year = 2021 AND revision = 2",
            "UPDATE revisions SET is_current = 1 WHERE year = 2021",
        ],
        ["版本链末端与最后写入的版本(2022年第1版)不符"],
    ),
    "changed revision field": (
        ["UPDATE revisions SET source = '2021-伪造.xlsx' WHERE year = 2021 AND revision = 1"],
        ["2021年第1版的链哈希不符"],
    ),
    "removed sheet": (
        ["DELETE FROM sheets WHERE sheet = '干部' AND revision_id = (SELECT id FROM revisions WHERE year = 2022)"],
        ["2022年第1版的链哈希不符"],
    ),
    "content that does not decode, hash recomputed": (
        [
            f"UPDATE sheets SET content = '{BROKEN}', content_sha256 = '{content_sha256(BROKEN)}' WHERE sheet = '干部' "
            "AND revision_id = (SELECT id FROM revisions WHERE year = 2022)"
        ],
        ["2022年第1版 › 干部:内容无法解码"],
    ),
}


@pytest.mark.parametrize("case", CORRUPTIONS, ids=list(CORRUPTIONS))
def test_verify_names_each_problem_and_exits_2(three_revisions, case):
    statements, expected = CORRUPTIONS[case]
    tamper(three_revisions, *statements)
    result = invoke("history", "verify", "--db", three_revisions)
    assert result.exit_code == 2, result.stdout
    assert "Traceback" not in result.stderr and "检查发现" in result.stderr
    for fragment in expected:
        assert any(line.startswith("错误:") and fragment in line for line in result.stderr.splitlines()), (
            f"{fragment!r} not in {result.stderr}"
        )


def test_verify_of_a_damaged_file_exits_2_without_a_traceback(three_revisions):
    with HistoryStore.open(three_revisions) as store:
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    data = bytearray(three_revisions.read_bytes())
    page = 4096
    data[page * 2 : page * 3] = bytes(range(256)) * (page // 256)  # one page of garbage
    three_revisions.write_bytes(bytes(data))
    result = invoke("history", "verify", "--db", three_revisions)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and "错误:" in result.stderr


# ---- export -------------------------------------------------------------------------------------------


def _cell_equals(cell: object, stored: object) -> bool:
    if isinstance(stored, Decimal):
        return Decimal(str(cell)) == stored
    if isinstance(stored, date):
        return isinstance(cell, datetime) and cell.date() == stored
    return cell == stored


def test_export_writes_the_stored_values_under_the_chinese_headers(three_revisions, tmp_path):
    out = tmp_path / "导出.xlsx"
    result = invoke("history", "export", out, "--db", three_revisions)
    assert result.exit_code == 0, result.stderr
    workbook = openpyxl.load_workbook(out)
    with HistoryStore.open(three_revisions) as store:
        expected_titles = []
        for year in (2021, 2022):
            for name, table in store.tables(year).items():
                title = f"{year}年 {name}"
                expected_titles.append(title)
                sheet = workbook[title]
                grid = [list(row) for row in sheet.iter_rows(values_only=True)]
                fields = [col.field for col in SHEETS_BY_NAME[name].columns if col.field in table.columns]
                assert grid[0] == [SHEETS_BY_NAME[name].column(f).header for f in fields] + ["原表行号"]
                assert len(grid) - 1 == len(table.rows)
                for cells, row, number in zip(grid[1:], table.rows, table.row_numbers):
                    assert cells[-1] == number
                    for cell, field in zip(cells, fields):
                        if row[field] is None:
                            assert cell is None
                        else:
                            assert _cell_equals(cell, row[field]), (title, field, cell, row[field])
        listing = [list(row) for row in workbook["版本"].iter_rows(values_only=True)]
        assert listing[0][:6] == ["年度", "版本", "当前版本", "文件", "SHA-256", "导入时间"]
        current = {r.year: r for r in store.revisions() if r.is_current}
        assert [row[:6] for row in listing[1:]] == [
            [y, current[y].revision, "是", current[y].source, current[y].sha256, current[y].imported_at]
            for y in (2021, 2022)
        ]
    assert sorted(workbook.sheetnames) == sorted(expected_titles + ["版本"])


def test_export_all_revisions_names_each_sheet_by_year_and_revision(three_revisions, tmp_path):
    out = tmp_path / "all.xlsx"
    result = invoke("history", "export", out, "--db", three_revisions, "--year", 2021, "--all-revisions")
    assert result.exit_code == 0, result.stderr
    workbook = openpyxl.load_workbook(out)
    assert "2021年第1版 目标责任考核" in workbook.sheetnames and "2021年第2版 目标责任考核" in workbook.sheetnames
    assert not any(name.startswith("2022") for name in workbook.sheetnames)
    listing = list(workbook["版本"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1], row[2]) for row in listing] == [(2021, 1, "否"), (2021, 2, "是")]
    scores = [workbook[f"2021年第{n}版 目标责任考核"]["B2"].value for n in (1, 2)]
    assert Decimal(str(scores[1])) - Decimal(str(scores[0])) == Decimal("0.01")


def test_an_exported_year_imports_back_to_the_same_data(three_revisions, tmp_path):
    out = tmp_path / "2021年导出.xlsx"
    assert invoke("history", "export", out, "--db", three_revisions, "--year", 2021).exit_code == 0
    again = tmp_path / "again.db"
    result = invoke("history", "import", out, "--year", 2021, "--db", again)
    assert result.exit_code == 0, result.stderr
    with HistoryStore.open(three_revisions) as original, HistoryStore.open(again) as copy:
        before, after = original.tables(2021), copy.tables(2021)
    assert before.keys() == after.keys()
    for name in before:
        assert before[name].columns == after[name].columns
        assert before[name].rows == after[name].rows


def test_export_keeps_formula_like_text_as_text(tmp_path):
    texts = ["=1+1", "+86", "-5", "@SUM(A1)"]
    table = Table(
        spec=TARGET,
        rows=[{"unit": f"{i}市", "score": Decimal("90.5"), "group": text} for i, text in enumerate(texts)],
        columns={"unit", "score", "group"},
        row_numbers=[2, 3, 4, 5],
    )
    path = tmp_path / "sanshi.db"
    with HistoryStore.open(path) as store:
        store.import_book(Book("2020.xlsx", "ab" * 32, {TARGET.name: table}), 2020, now=T0)
    out = tmp_path / "out.xlsx"
    assert invoke("history", "export", out, "--db", path).exit_code == 0
    with zipfile.ZipFile(out) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in package.read(n) for n in sheets)  # no cell is a formula
    assert [row["group"] for row in read_workbook(out).tables[TARGET.name].rows] == texts


def test_export_never_overwrites_without_force(three_revisions, tmp_path):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"keep me")
    refused = invoke("history", "export", out, "--db", three_revisions)
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert out.read_bytes() == b"keep me"
    forced = invoke("history", "export", out, "--db", three_revisions, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "版本" in openpyxl.load_workbook(out).sheetnames
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_export_of_a_year_not_stored_names_the_years_there_are(three_revisions, tmp_path):
    result = invoke("history", "export", tmp_path / "x.xlsx", "--db", three_revisions, "--year", 2019)
    assert result.exit_code == 2 and "已有年份:2021、2022" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(
    "wanted, used, expected",
    [
        ("2021年 目标责任考核", set(), "2021年 目标责任考核"),
        ("a/b\\c[d]e:f*g?h", set(), "a_b_c_d_e_f_g_h"),
        ("长" * 40, set(), "长" * 31),
        ("长" * 40, {"长" * 31}, "长" * 29 + "~2"),
        ("版本", {"版本"}, "版本~2"),
    ],
)
def test_sheet_titles_are_valid_for_excel(wanted, used, expected):
    assert sheet_title(wanted, used) == expected


# ---- several processes at once, and processes killed half-way ---------------------------------------

# Imports `books` alternately into `year`, opening the store for each import as the CLI does. It
# prints "ready" once the workbooks are read, waits for the file `go` (so that all workers start
# together), then prints one JSON line per import.
WORKER = """
import json, sys, time
from pathlib import Path
from sanshi.history.store import HistoryStore
from sanshi.inputs.reader import read_workbook

db, go, year, count, *paths = sys.argv[1:]
books = [read_workbook(Path(p)) for p in paths]
print("ready", flush=True)
while not Path(go).exists():
    time.sleep(0.002)
for i in range(int(count)):
    with HistoryStore.open(db) as store:
        outcome = store.import_book(books[i % len(books)], int(year))
    print(json.dumps({"year": outcome.year, "revision": outcome.revision, "unchanged": outcome.unchanged,
                      "sha256": books[i % len(books)].sha256}), flush=True)
"""


def _worker(db: Path, go: Path, year: int, count: int, *books: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(db), str(go), str(year), str(count), *map(str, books)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert process.stdout.readline().strip() == "ready", process.stderr.read()
    return process


def _cli_import(db: Path, book: Path, year: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sanshi", "history", "import", str(book), "--year", str(year), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


@pytest.mark.slow  # several processes
def test_concurrent_imports_into_a_new_store_get_consecutive_revisions(tmp_path, inputs):
    db, go = tmp_path / "sanshi.db", tmp_path / "go"
    workers = [
        _worker(db, go, 2021, 6, inputs["2021"], inputs["2021-1"]),
        _worker(db, go, 2021, 6, inputs["2021-2"], inputs["2021-3"]),
        _worker(db, go, 2022, 6, inputs["2022"], inputs["2022-1"]),
        _worker(db, go, 2022, 6, inputs["2022-2"], inputs["2022-3"]),
    ]
    go.touch()  # the store does not exist yet: the workers also race to create and migrate it
    clis = [_cli_import(db, inputs[name], 2021) for name in ("2021-1", "2021-2", "2021-3")]
    written: list[tuple[int, int, str]] = []
    for process in workers:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        written += [
            (o["year"], o["revision"], o["sha256"]) for o in map(json.loads, out.splitlines()) if not o["unchanged"]
        ]
    for process, name in zip(clis, ("2021-1", "2021-2", "2021-3")):
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        if "未重复导入" not in out:
            revision = int(re.findall(r"第(\d+)版", out)[0])
            written.append((2021, revision, read_workbook(inputs[name]).sha256))

    assert_sound(db)
    with HistoryStore.open(db) as store:
        stored = [(r.year, r.revision, r.sha256) for r in store.revisions()]
        # every import that said it wrote a revision wrote its own: no number handed out twice
        assert sorted(written) == stored
        by_sha = {read_workbook(p).sha256: p for p in inputs.values()}
        for year, revision, sha in stored:  # each revision holds exactly the tables of its own file
            assert rows_of(store.tables(year, revision)) == rows_of(read_workbook(by_sha[sha]).tables)


KILL_ATTEMPTS = 10


@pytest.mark.slow  # imports killed at random points
def test_an_import_killed_at_any_point_leaves_a_sound_store(tmp_path, inputs):
    db, go = tmp_path / "sanshi.db", tmp_path / "go"
    go.touch()
    with HistoryStore.open(db) as store:
        store.import_book(read_workbook(inputs["2021"]), 2021, now=T0)
        original = rows_of(store.tables(2021))
    chance = random.Random(6)  # fixed seed: the same delays each run (the moments hit still vary)
    names = ["2021-1", "2021-2", "2022", "2022-1"]
    for attempt in range(KILL_ATTEMPTS):
        if attempt % 2:
            # a process importing back to back, killed while it is most likely inside a transaction
            process = _worker(db, go, 2022, 1000, inputs["2022-2"], inputs["2022-3"])
            delay = chance.uniform(0, 0.15)
        else:
            name = names[attempt // 2 % len(names)]
            process = _cli_import(db, inputs[name], int(name[:4]))
            delay = chance.uniform(0, 0.6)  # from start-up to after the commit
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            pass
        process.send_signal(signal.SIGKILL)
        process.communicate()
        assert_sound(db)
        with HistoryStore.open(db, create=False) as store:
            assert rows_of(store.tables(2021, 1)) == original
            assert store.revisions(2021)[0].sha256 == read_workbook(inputs["2021"]).sha256
    for leftover in tmp_path.glob("sanshi.db*"):
        assert leftover.name in ("sanshi.db", "sanshi.db-wal", "sanshi.db-shm")
