"""Shared fixtures: small workbooks written by hand, and history stores; every test isolated from the machine."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.history.store import HistoryStore
from tests import profiles  # noqa: F401  (registers and loads the Hypothesis profiles before collection)

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"

# Variables that steer the test harness itself, not sanshi: the isolation keeps them.
HARNESS_VARIABLES = (
    "SANSHI_REQUIRE_BROWSER",
    "SANSHI_CHROMIUM",
    "SANSHI_REQUIRE_OFFICE",
    "SANSHI_SOFFICE",
    "SANSHI_UPDATE_GOLDEN",
)


def _isolate(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Clear sanshi's own SANSHI_* variables and the terminal's size, and work in `folder`."""
    for name in list(os.environ):
        if name.startswith("SANSHI_") and name not in HARNESS_VARIABLES:
            monkeypatch.delenv(name)
    # The terminal's width is the developer's (a shell may export COLUMNS, pytest-xdist's workers do):
    # a test that wants a width sets it.
    for name in ("COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(folder)


@pytest.fixture(scope="session", autouse=True)
def isolated_session(tmp_path_factory):
    """The same isolation for the whole session, so that module- and session-scoped fixtures (set up before
    any test's own) never see the folder pytest was started in: the README's main command leaves a
    ./sanshi.db in the repository root, which a command run without --db would read."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _isolate(monkeypatch, tmp_path_factory.mktemp("session-cwd"))
        yield


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory, monkeypatch):
    """Every test runs in a fresh empty working directory with sanshi's own SANSHI_* variables and the
    terminal's size cleared: a ./sanshi.db, a SANSHI_DB or SANSHI_WORKERS or a COLUMNS left on the
    developer's machine never leaks into a test."""
    _isolate(monkeypatch, tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    """A history store with the sample years 2021 and 2022 imported, as the README does."""
    path = tmp_path_factory.mktemp("history") / "sanshi.db"
    for year in (2021, 2022):
        imported = CliRunner().invoke(app, ["history", "import", str(SAMPLE / f"{year}.xlsx"), "--db", str(path)])
        assert imported.exit_code == 0, imported.output
    return path


def write_book(path: Path, sheets: dict[str, list[list[object]]], edit=None) -> Path:
    """Write {sheet name: rows} to an .xlsx; rows are lists of cell values (None = empty).
    `edit(workbook)` may change it before saving (merge cells, hide a sheet)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    if edit is not None:
        edit(workbook)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


@pytest.fixture
def book(tmp_path):
    """A factory: book({"目标责任考核": [...]}, name="2023.xlsx") -> path."""

    def make(sheets: dict[str, list[list[object]]], name: str = "2023.xlsx") -> Path:
        return write_book(tmp_path / name, sheets)

    return make


@pytest.fixture
def memory_store():
    store = HistoryStore.open(":memory:")
    yield store
    store.close()


@pytest.fixture
def file_store(tmp_path):
    store = HistoryStore.open(tmp_path / "sanshi.db")
    yield store
    store.close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (tests/browser.py). Skipped when none is
    installed, unless SANSHI_REQUIRE_BROWSER is set (CI sets it): then missing it is a failure."""
    from tests.browser import Browser, find_chromium

    executable = find_chromium()
    if executable is None:
        message = (
            "未找到 chromium(Debian: apt-get install chromium fonts-noto-cjk,或用 SANSHI_CHROMIUM 指定)"
            " / no Chromium found (Debian: apt-get install chromium fonts-noto-cjk, or set SANSHI_CHROMIUM)"
        )
        skip_unless_required("SANSHI_REQUIRE_BROWSER", "浏览器测试不可跳过 / browser tests may not be skipped", message)
    with Browser(executable) as started:
        yield started


@pytest.fixture(scope="session")
def office():
    """LibreOffice and poppler for rendering tests (tests/office.py). Skipped when not installed, unless
    SANSHI_REQUIRE_OFFICE is set (CI sets it): then missing them is a failure."""
    from tests.office import Office

    found = Office.find()
    if found is None:
        message = (
            "未找到 LibreOffice 或 poppler(Debian: apt-get install libreoffice-writer-nogui"
            " libreoffice-calc-nogui poppler-utils fonts-noto-cjk)"
            " / no LibreOffice or poppler found (install the Debian packages above)"
        )
        skip_unless_required(
            "SANSHI_REQUIRE_OFFICE", "排版渲染测试不可跳过 / rendering tests may not be skipped", message
        )
    return found


def skip_unless_required(variable: str, stake: str, message: str) -> None:
    """Skip a test whose tool is missing, unless `variable` is set (CI sets it): then the missing tool fails it."""
    if os.environ.get(variable):
        pytest.fail(f"{variable}: {stake}. {message}", pytrace=False)
    pytest.skip(message)


def earlier_sheets(y: int, sheets: dict) -> dict:
    """A rules test's sheets of year `y`: an earlier year's (not 2023's) 干部 as the pipeline gives it, grades by person."""
    from sanshi.inputs.records import CadreGrades

    if y != 2023 and sheets.get("cadres") is not None:
        people = list(sheets.pop("cadres"))
        sheets["grades"] = CadreGrades(
            [c.cadre_id for c in people], [c.name for c in people], [c.unit for c in people], [c.grade for c in people]
        )
    return sheets
