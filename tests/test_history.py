"""README「历史库」: the history store keeps every revision; re-import replaces in one transaction."""

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from sanshi.errors import HistoryError
from sanshi.history.store import HistoryStore
from sanshi.inputs.reader import read_workbook

T0 = datetime(2024, 1, 5, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(params=["memory", "file"])
def store(request, memory_store, file_store):
    return memory_store if request.param == "memory" else file_store


def test_import_and_read_back_typed_tables(store, book):
    path = book(
        {
            "目标责任考核": [["单位", "综合得分", "考核人数"], ["甲市", 92.35, 40]],
            "县域监测": [["县区", "类型", "名次"], ["甲县", "县", 1]],
        },
        name="2022.xlsx",
    )
    outcome = store.import_book(read_workbook(path), 2022, now=T0)
    assert (outcome.revision, outcome.replaced, outcome.unchanged) == (1, None, False)
    tables = store.tables(2022)
    assert tables["目标责任考核"].rows[0]["score"] == Decimal("92.35")
    assert tables["目标责任考核"].rows[0]["staff"] == 40
    assert tables["县域监测"].rows[0]["area_type"] == "县"
    assert store.years() == [2022]


def test_reimport_keeps_the_old_revision(store, book):
    first = book({"目标责任考核": [["单位", "综合得分"], ["甲市", 90]]}, name="2022.xlsx")
    store.import_book(read_workbook(first), 2022, now=T0)
    second = book({"目标责任考核": [["单位", "综合得分"], ["甲市", 91]]}, name="2022-更正.xlsx")
    outcome = store.import_book(read_workbook(second), 2022, now=T0)
    assert outcome.revision == 2 and outcome.replaced.revision == 1
    revisions = store.revisions(2022)
    assert [(r.revision, r.is_current, r.source) for r in revisions] == [
        (1, False, "2022.xlsx"),
        (2, True, "2022-更正.xlsx"),
    ]
    assert store.tables(2022)["目标责任考核"].rows[0]["score"] == 91
    assert store.tables(2022, revision=1)["目标责任考核"].rows[0]["score"] == 90


def test_same_file_twice_is_not_a_new_revision(store, book):
    path = book({"目标责任考核": [["单位", "综合得分"], ["甲市", 90]]}, name="2022.xlsx")
    store.import_book(read_workbook(path), 2022, now=T0)
    assert store.import_book(read_workbook(path), 2022, now=T0).unchanged


def test_missing_year_names_the_years_there_are(store, book):
    path = book({"目标责任考核": [["单位", "综合得分"], ["甲市", 90]]}, name="2021.xlsx")
    store.import_book(read_workbook(path), 2021, now=T0)
    with pytest.raises(HistoryError) as caught:
        store.tables(2022)
    assert "已有年份:2021" in str(caught.value)


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    HistoryStore.open(path).close()
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(HistoryError) as caught:
        HistoryStore.open(path)
    assert "升级" in str(caught.value)


def test_not_a_database(tmp_path):
    path = tmp_path / "x.db"
    path.write_text("hello")
    with pytest.raises(HistoryError):
        HistoryStore.open(path)


def test_failed_import_leaves_the_year_as_it_was(store, book, monkeypatch):
    path = book({"目标责任考核": [["单位", "综合得分"], ["甲市", 90]]}, name="2022.xlsx")
    store.import_book(read_workbook(path), 2022, now=T0)
    other = read_workbook(book({"目标责任考核": [["单位", "综合得分"], ["甲市", 95]]}, name="b.xlsx"))
    import sanshi.history.store as module

    def broken(table):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "_encode", broken)
    with pytest.raises(RuntimeError):
        store.import_book(other, 2022, now=T0)
    assert [(r.revision, r.is_current) for r in store.revisions(2022)] == [(1, True)]
