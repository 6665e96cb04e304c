"""`sanshi year`: the whole year end in one run, into one folder with one manifest,
and progress shown on a terminal only (item 8). Through the real entry point."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.history.store import HistoryStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
PACK = SAMPLE / "local-pack.toml"
TEMPLATES = ROOT / "sanshi" / "documents" / "templates"
SINGLES = [
    "2023年度考核奖励结果.xlsx",
    "2023年度能下触发名单.xlsx",
    "2023年度选拔重用名单.xlsx",
    "2023年度考核结果报告.html",
]
runner = CliRunner()


def invoke(*args):
    # Wide enough that no message wraps: these tests read what is said, test_terminal_width how it is laid out.
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "1000"})


def year_end(tmp_path: Path, *extra, db: Path | None = None):
    return invoke(
        "year",
        SAMPLE / "2023.xlsx",
        "--rules",
        PACK,
        "--templates",
        TEMPLATES,
        "--out",
        tmp_path / "out",
        "--db",
        db or tmp_path / "sanshi.db",
        *extra,
    )


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def outputs(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if name != "manifest.json"}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """One `sanshi year` with both earlier sample years given on the command line, into a new store."""
    tmp = tmp_path_factory.mktemp("year")
    result = invoke(
        "year",
        SAMPLE / "2023.xlsx",
        "--rules",
        PACK,
        "--templates",
        TEMPLATES,
        "--out",
        tmp / "out",
        "--db",
        tmp / "sanshi.db",
        "--earlier",
        SAMPLE / "2021.xlsx",
        SAMPLE / "2022.xlsx",
    )
    return tmp, result


def test_one_command_imports_the_earlier_years_and_writes_everything_into_one_folder(first_run):
    tmp, result = first_run
    assert result.exit_code == 0, result.output
    folder = tmp / "out" / "2023年度考核结果"
    names = files_in(folder)
    for name in SINGLES:
        assert name in names
    # 86 documents of the sample year (tests/test_notices.py), each as .docx and .html, and one manifest
    documents = [n for n in names if n.startswith("2023年度公文/")]
    assert len(documents) == 172
    assert "manifest.json" in names and "2023年度公文/manifest.json" not in names
    assert len(names) == 4 + 172 + 1
    with HistoryStore.open(tmp / "sanshi.db", create=False) as store:
        assert store.years() == [2021, 2022]
    out = result.stdout
    assert "历史库:2021年" in out and "已导入(第1版)" in out
    assert "奖励资金合计 3870 万元(共 62 项)" in out
    assert "能下触发名单:46 人次(其中容错免责 3 人次,容错减责 3 人次)" in out
    assert "公文:86 份" in out
    assert "共 177 个文件" in out


def test_the_folder_holds_what_the_single_commands_write_byte_for_byte(first_run, tmp_path):
    tmp, _ = first_run
    folder = tmp / "out" / "2023年度考核结果"
    single = tmp_path / "single"
    db = tmp / "sanshi.db"
    for command in ("awards", "demotions", "promotions", "report"):
        done = invoke(command, SAMPLE / "2023.xlsx", "--rules", PACK, "--db", db, "--out", single)
        assert done.exit_code == 0, done.output
    done = invoke(
        "notices", SAMPLE / "2023.xlsx", "--rules", PACK, "--db", db, "--out", single, "--templates", TEMPLATES
    )
    assert done.exit_code == 0, done.output
    for name in SINGLES:
        assert (single / name).read_bytes() == (folder / name).read_bytes(), name
    documents = {k: v for k, v in files_in(single / "2023年度公文").items() if k != "manifest.json"}
    assert documents == {
        k.removeprefix("2023年度公文/"): v for k, v in files_in(folder).items() if k.startswith("2023年度公文/")
    }


def test_the_one_manifest_verifies_every_file(first_run):
    tmp, _ = first_run
    checked = invoke("verify", tmp / "out" / "2023年度考核结果" / "manifest.json")
    assert checked.exit_code == 0, checked.output
    assert "核对通过:176 个输出文件" in checked.stdout


@pytest.mark.slow  # the whole year end run two or three times
def test_a_second_run_needs_force_and_then_replaces_the_folder_whole(tmp_path):
    first = year_end(tmp_path, "--earlier", SAMPLE / "2021.xlsx", SAMPLE / "2022.xlsx")
    assert first.exit_code == 0, first.output
    folder = tmp_path / "out" / "2023年度考核结果"
    before = files_in(folder)

    again = year_end(tmp_path, "--earlier", SAMPLE / "2021.xlsx", SAMPLE / "2022.xlsx")
    assert again.exit_code == 2
    assert "输出文件夹已存在" in again.stderr and "--force" in again.stderr
    assert files_in(folder) == before

    # A file the previous run wrote, edited by hand, is replaced; the identical earlier years are not re-imported.
    (folder / SINGLES[0]).write_bytes(b"edited")
    forced = year_end(tmp_path, "--earlier", SAMPLE / "2021.xlsx", SAMPLE / "2022.xlsx", "--force")
    assert forced.exit_code == 0, forced.output
    assert "与第1版是同一文件,未重复导入" in forced.stdout
    assert outputs(files_in(folder)) == outputs(before)  # the manifest itself records --force
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no temporary folder left


@pytest.mark.slow  # the whole year end run two or three times
def test_force_never_deletes_a_file_the_user_put_in_the_folder(tmp_path, sample_db):
    db = tmp_path / "h.db"
    shutil.copy(sample_db, db)
    assert year_end(tmp_path, db=db).exit_code == 0
    folder = tmp_path / "out" / "2023年度考核结果"
    (folder / "我的笔记.docx").write_bytes(b"mine")
    before = files_in(folder)
    refused = year_end(tmp_path, "--force", db=db)
    assert refused.exit_code == 2
    assert "不是上次运行生成的文件:我的笔记.docx" in refused.stderr
    assert files_in(folder) == before


@pytest.mark.slow  # the whole year end run two or three times
def test_a_changed_earlier_year_stops_before_anything_is_written_unless_reimport(tmp_path):
    assert invoke("history", "import", SAMPLE / "2022.xlsx", "--db", tmp_path / "sanshi.db").exit_code == 0
    corrected = tmp_path / "corrected" / "2022.xlsx"
    corrected.parent.mkdir()
    workbook = openpyxl.load_workbook(SAMPLE / "2022.xlsx")
    workbook.save(corrected)  # the same data, saved again: another file

    stopped = year_end(tmp_path, "--earlier", SAMPLE / "2021.xlsx", corrected)
    assert stopped.exit_code == 2
    assert f"--earlier {corrected}:历史库" in stopped.stderr and "已有2022年数据(第1版" in stopped.stderr
    assert "--reimport" in stopped.stderr
    assert not (tmp_path / "out").exists()
    with HistoryStore.open(tmp_path / "sanshi.db", create=False) as store:
        assert store.years() == [2022]  # 2021 was not imported either: every check comes first

    both = year_end(tmp_path, "--earlier", SAMPLE / "2021.xlsx", corrected, "--reimport")
    assert both.exit_code == 0, both.output
    assert "2022年" in both.stdout and "已导入为第2版,取代第1版" in both.stdout
    with HistoryStore.open(tmp_path / "sanshi.db", create=False) as store:
        assert [(r.year, r.revision, r.is_current) for r in store.revisions()] == [
            (2021, 1, True),
            (2022, 1, False),
            (2022, 2, True),
        ]


def test_bad_earlier_workbooks_are_all_named_at_once_and_nothing_is_stored(tmp_path):
    later = tmp_path / "2024.xlsx"
    shutil.copy(SAMPLE / "2022.xlsx", later)
    twin = tmp_path / "twin" / "2021.xlsx"
    twin.parent.mkdir()
    shutil.copy(SAMPLE / "2021.xlsx", twin)
    result = year_end(tmp_path, "--earlier", SAMPLE / "2021.xlsx", twin, later)
    assert result.exit_code == 2
    assert "发现 2 处问题" in result.stderr
    assert f"--earlier {later}:是2024年的数据,不在考核年度2023年之前" in result.stderr
    assert "都是2021年的数据,请只给出一个" in result.stderr
    assert not (tmp_path / "sanshi.db").exists() and not (tmp_path / "out").exists()


@pytest.mark.slow  # the whole year end run two or three times
def test_earlier_may_also_be_given_once_per_file(tmp_path):
    result = year_end(tmp_path, "--earlier", SAMPLE / "2021.xlsx", "--earlier", SAMPLE / "2022.xlsx")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("已导入(第1版)") == 2


def test_a_missing_documents_section_stops_before_the_history_is_touched(tmp_path):
    result = invoke(
        "year",
        SAMPLE / "2023.xlsx",
        "--templates",
        TEMPLATES,
        "--out",
        tmp_path / "out",
        "--db",
        tmp_path / "sanshi.db",
        "--earlier",
        SAMPLE / "2021.xlsx",
        SAMPLE / "2022.xlsx",
    )
    assert result.exit_code == 2
    assert "没有 [documents] 部分" in result.stderr
    assert not (tmp_path / "sanshi.db").exists() and not (tmp_path / "out").exists()


# ---- progress (item 8): on a terminal only --------------------------------------------------------


def _run(args: list[str], cwd: Path, tty: bool) -> tuple[int, bytes, bytes]:
    """The real entry point as a process; stderr on a pseudo-terminal when `tty`, else a pipe."""
    command = [sys.executable, "-m", "sanshi", *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANSHI_")}
    if not tty:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=120)
        return done.returncode, done.stdout, done.stderr
    master, slave = pty.openpty()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    out = process.stdout.read()
    process.wait(timeout=120)
    os.close(master)
    return process.returncode, out, seen


@pytest.mark.slow  # the year's notices in a subprocess, twice
@pytest.mark.parametrize("tty", [True, False], ids=["terminal", "pipe"])
def test_progress_is_shown_on_a_terminal_and_nothing_on_a_pipe(tmp_path, sample_db, tty):
    code, out, err = _run(
        [
            "notices",
            str(SAMPLE / "2023.xlsx"),
            "--rules",
            str(PACK),
            "--db",
            str(sample_db),
            "--out",
            str(tmp_path),
            "--templates",
            str(TEMPLATES),
            "--format",
            "html",
        ],
        tmp_path,
        tty,
    )
    assert code == 0, err.decode()
    text = err.decode()
    assert "共 86 份公文" in out.decode()
    if tty:
        assert "读取 2023.xlsx" in text and "生成公文:86/86" in text
        assert "\r\x1b[K" in text  # the line is rewritten in place and cleared at the end
    else:
        assert "生成公文" not in text and "读取" not in text and "\r" not in text
        assert all(line.startswith("提示:") for line in text.splitlines())
