"""Issue 21 (hardening, part 2): output folders, inputs never overwritten, file-system errors, years and file
names. Each test is named after its item and goes through the CLI: exit 2 and the message, or the corrected
result, and that nothing was written or lost."""

from __future__ import annotations

import errno
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sanshi.cli import app

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
PACK = SAMPLE / "local-pack.toml"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def without_tolerance_record(tmp_path: Path, ref: str) -> Path:
    """The sample workbook with the 容错认定 record `ref` withdrawn."""
    book = openpyxl.load_workbook(SAMPLE / "2023.xlsx")
    sheet = book["容错认定"]
    for row in range(sheet.max_row, 1, -1):
        if any(ref == cell.value for cell in sheet[row]):
            sheet.delete_rows(row)
    path = tmp_path / "withdrawn" / "2023.xlsx"
    path.parent.mkdir()
    book.save(path)
    return path


# ---- 2, 28: a run owns its output folder ----------------------------------------------------------------


def notices(book: Path, db: Path, out: Path, *extra):
    return invoke("notices", book, "--rules", PACK, "--db", db, "--out", out, "--format", "html", *extra)


def test_item_02_a_forced_rerun_leaves_no_document_of_the_earlier_run(sample_db, tmp_path):
    out = tmp_path / "out"
    assert notices(SAMPLE / "2023.xlsx", sample_db, out).exit_code == 0
    folder = out / "2023年度公文"
    before = files_under(folder)
    assert "容错认定结果通知/003-碧乐县-容错认定结果通知.html" in before
    # The 容错认定 of 碧乐县 (秦组容〔2023〕7号) is withdrawn: its notice must go, the rest stay as the run writes them.
    withdrawn = without_tolerance_record(tmp_path, "秦组容〔2023〕7号")
    again = notices(withdrawn, sample_db, out, "--force")
    assert again.exit_code == 0, again.output
    after = files_under(folder)
    assert before - after == {"容错认定结果通知/003-碧乐县-容错认定结果通知.html"}
    assert after - before == set()
    verified = invoke("verify", folder / "manifest.json")
    assert verified.exit_code == 0, verified.output


def test_item_02_a_run_of_one_kind_removes_that_kinds_withdrawn_documents_only(sample_db, tmp_path):
    out = tmp_path / "out"
    assert notices(SAMPLE / "2023.xlsx", sample_db, out).exit_code == 0
    folder = out / "2023年度公文"
    before = files_under(folder)
    withdrawn = without_tolerance_record(tmp_path, "秦组容〔2023〕7号")
    again = notices(withdrawn, sample_db, out, "--force", "--kind", "容错认定结果通知")
    assert again.exit_code == 0, again.output
    assert before - files_under(folder) == {"容错认定结果通知/003-碧乐县-容错认定结果通知.html"}
    # The manifest still vouches for the whole folder, the other kinds' files included.
    verified = invoke("verify", folder / "manifest.json")
    assert verified.exit_code == 0, verified.output


def test_item_02_a_file_the_user_put_in_the_folder_stops_the_run_and_stays(sample_db, tmp_path):
    out = tmp_path / "out"
    assert notices(SAMPLE / "2023.xlsx", sample_db, out).exit_code == 0
    mine = out / "2023年度公文" / "谈话通知" / "批注.txt"
    mine.write_text("我的批注", encoding="utf-8")
    again = notices(SAMPLE / "2023.xlsx", sample_db, out, "--force")
    assert again.exit_code == 2
    assert "谈话通知/批注.txt" in again.stderr and "不会删除" in again.stderr
    assert mine.read_text(encoding="utf-8") == "我的批注"


def test_item_28_a_killed_runs_temporary_files_are_cleared_by_the_next_run(sample_db, tmp_path):
    out = tmp_path / "out"
    assert notices(SAMPLE / "2023.xlsx", sample_db, out).exit_code == 0
    folder = out / "2023年度公文"
    # What a SIGKILL leaves: a half-written temporary file beside its final name, and a half-filled folder
    # beside the batch folder (tempfile's eight random characters after sanshi's prefix).
    leftover = folder / "奖励资金通知" / ".001-龙滩市-奖励资金通知-k3j9x2ab.html"
    leftover.write_text("<html", encoding="utf-8")
    stale = out / ".2023年度公文-a1b2c3d4"
    (stale / "公示").mkdir(parents=True)
    (stale / "公示" / "001-年度目标责任考核优秀单位-公示.html").write_text("<", encoding="utf-8")
    again = notices(SAMPLE / "2023.xlsx", sample_db, out, "--force")
    assert again.exit_code == 0, again.output
    assert not leftover.exists() and not stale.exists()
    assert sorted(p.name for p in out.iterdir()) == ["2023年度公文"]


# ---- 5: no command writes over one of its own inputs ------------------------------------------------------


def test_item_05_no_output_replaces_the_workbook_it_was_computed_from(sample_db, tmp_path):
    book = tmp_path / "2023年度考核奖励结果.xlsx"  # the name awards gives its own result
    shutil.copy(SAMPLE / "2023.xlsx", book)
    before = digest(book)
    result = invoke("awards", book, "--year", "2023", "--db", sample_db, "--out", tmp_path, "--force")
    assert result.exit_code == 2
    assert "2023年度考核奖励结果.xlsx 是本次运行读取的输入文件,不能用输出覆盖它(--force 也不行)" in result.stderr
    assert digest(book) == before


def test_item_05_history_export_never_replaces_the_history_store(sample_db, tmp_path):
    store = tmp_path / "sanshi.db"
    shutil.copy(sample_db, store)
    before = digest(store)
    result = invoke("history", "export", store, "--db", store, "--force")
    assert result.exit_code == 2 and "是本次运行读取的输入文件" in result.stderr
    assert digest(store) == before


def test_item_05_template_never_replaces_a_database(sample_db, tmp_path):
    store = tmp_path / "sanshi.db"
    shutil.copy(sample_db, store)
    before = digest(store)
    result = invoke("template", store, "--force")
    assert result.exit_code == 2 and "是一个数据库文件(如历史库),不能用输出覆盖它" in result.stderr
    assert digest(store) == before


# ---- 15: the file system refuses ------------------------------------------------------------------------


def test_item_15_a_folder_without_write_permission_is_said_not_a_traceback(sample_db, tmp_path, monkeypatch):
    import sanshi.writers.files as files

    def denied(*args, dir=None, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(dir))

    monkeypatch.setattr(files.tempfile, "mkstemp", denied)
    out = tmp_path / "只读"
    result = invoke("awards", SAMPLE / "2023.xlsx", "--db", sample_db, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"没有权限读写 {out}" in result.stderr and "内部错误" not in result.stderr
    assert not any(p.is_file() for p in out.rglob("*"))


def test_item_15_a_full_disk_is_said_and_leaves_no_half_file(sample_db, tmp_path, monkeypatch):
    import sanshi.writers.files as files

    def full(path):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(files, "_fsync_file", full)
    out = tmp_path / "满"
    result = invoke("awards", SAMPLE / "2023.xlsx", "--db", sample_db, "--out", out)
    assert result.exit_code == 2, result.output
    assert "磁盘空间不足" in result.stderr
    assert [p.name for p in out.rglob("*") if p.is_file()] == []


def test_item_15_out_naming_an_existing_file(sample_db, tmp_path):
    existing = tmp_path / "结果.xlsx"
    existing.write_bytes(b"mine")
    result = invoke("awards", SAMPLE / "2023.xlsx", "--db", sample_db, "--out", existing)
    assert result.exit_code == 2
    assert "结果.xlsx 已存在且是一个文件:--out 应为文件夹" in result.stderr
    assert existing.read_bytes() == b"mine"


def test_item_15_template_with_an_empty_path(tmp_path):
    result = invoke("template", "")
    assert result.exit_code == 2 and "PATH 应为要生成的 .xlsx 文件名" in result.stderr


# ---- 16, 23: years ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("awards", "BOOK", "--year", "0"), "--year 的取值 0 不在 1990 至 2100 之间"),
        (("awards", "BOOK", "--year", "-1"), "--year 的取值 -1 不在 1990 至 2100 之间"),
        (("awards", "BOOK", "--year", "99999"), "--year 的取值 99999 不在 1990 至 2100 之间"),
        (("rules", "show", "--year", "0"), "--year 的取值 0 不在 1990 至 2100 之间"),
        (("history", "show", "99999999999999999999999"), "YEAR 的取值 99999999999999999999999 不在 1990 至 2100 之间"),
        (("history", "show", "2022", "--revision", "0"), "--revision 的取值 0 不在 1 至 2147483647 之间"),
    ],
    ids=["zero", "negative", "five-digits", "rules-show", "history-show", "revision"],
)
def test_item_16_a_year_out_of_range_is_a_usage_error(tmp_path, args, said):
    book = tmp_path / "data.xlsx"  # no year in the name: only --year says which
    shutil.copy(SAMPLE / "2023.xlsx", book)
    result = invoke(*(book if a == "BOOK" else a for a in args))
    assert result.exit_code == 2, result.output
    assert said in result.stderr and "内部错误" not in result.stderr


def test_item_23_a_year_in_the_file_name_out_of_range_or_contradicted(tmp_path):
    book = tmp_path / "1900.xlsx"
    shutil.copy(SAMPLE / "2023.xlsx", book)
    old = invoke("awards", book)
    assert old.exit_code == 2 and "文件名 1900.xlsx 的考核年度 1900 不在 1990 至 2100 之间" in old.stderr
    contradicted = invoke("awards", SAMPLE / "2023.xlsx", "--year", "2022")
    assert contradicted.exit_code == 2 and "--year 2022 与文件名 2023.xlsx 中的年度 2023 不一致" in contradicted.stderr


def test_item_23_a_pack_later_than_the_year_is_said(sample_db, tmp_path):
    book = tmp_path / "data.xlsx"
    shutil.copy(SAMPLE / "2023.xlsx", book)
    result = invoke("awards", book, "--year", "2015", "--rules", "shaanxi-2018", "--db", sample_db, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "规则包 shaanxi-2018 自2018年10月26日施行,晚于2015年度" in result.stderr


# ---- 24: file names --------------------------------------------------------------------------------------


def test_item_24_notice_file_names_drop_bidi_controls_and_emoji(sample_db, tmp_path):
    book = openpyxl.load_workbook(SAMPLE / "2023.xlsx")
    for sheet in ("干部", "责任认定"):
        for row in book[sheet].iter_rows():
            for cell in row:
                if cell.value == "郑国彬":
                    cell.value = "郑国彬😀\u2066"
    path = tmp_path / "2023.xlsx"
    book.save(path)
    out = tmp_path / "out"
    result = invoke(
        "notices", path, "--rules", PACK, "--db", sample_db, "--out", out, "--kind", "谈话通知", "--format", "html"
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (out / "2023年度公文" / "谈话通知").iterdir())
    assert "001-郑国彬-谈话通知.html" in names
    assert all(ch.isprintable() and ord(ch) < 0x1F000 for name in names for ch in name)


def test_item_02_verify_names_a_file_in_the_runs_folder_that_its_manifest_does_not_list(sample_db, tmp_path):
    out = tmp_path / "out"
    assert notices(SAMPLE / "2023.xlsx", sample_db, out).exit_code == 0
    folder = out / "2023年度公文"
    stale = folder / "容错认定结果通知" / "004-旧单位-容错认定结果通知.html"
    stale.write_text("<html>上次的</html>", encoding="utf-8")
    result = invoke("verify", folder / "manifest.json")
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "容错认定结果通知/004-旧单位-容错认定结果通知.html" in said and "多出" in said


def test_item_28_a_killed_first_import_leaves_nothing_the_next_import_keeps(tmp_path):
    import os
    import time

    store = tmp_path / "sanshi.db"
    # What a first import killed while it built the store leaves beside it (hours ago), and what a
    # concurrent import may be building right now (a moment ago): only the old one is removed.
    old = tmp_path / ".sanshi.db.0123456789ab.new"
    old.write_bytes(b"SQLite format 3\x00")
    hours_ago = time.time() - 3 * 3600
    os.utime(old, (hours_ago, hours_ago))
    fresh = tmp_path / ".sanshi.db.ba9876543210.new"
    fresh.write_bytes(b"SQLite format 3\x00")
    result = invoke("history", "import", SAMPLE / "2022.xlsx", "--db", store)
    assert result.exit_code == 0, result.output
    assert not old.exists() and fresh.exists() and store.is_file()


# ---- 8: workbooks, name lists and manifests are read only from regular files of bounded size -------------


@pytest.mark.parametrize("what", ["workbook", "aliases", "manifest"])
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_item_08_workbooks_aliases_and_manifests_are_read_only_from_regular_files(sample_db, tmp_path, what, kind):
    import os

    if kind == "fifo":
        odd = tmp_path / "管道"
        os.mkfifo(odd)  # never written to: an open that blocked would hang the test
    else:
        odd = Path("/dev/zero")  # endless: a read without a bound would exhaust the memory
    args = {
        "workbook": ("awards", odd, "--year", "2023", "--db", sample_db, "--out", tmp_path / "out"),
        "aliases": ("awards", SAMPLE / "2023.xlsx", "--aliases", odd, "--db", sample_db, "--out", tmp_path / "out"),
        "manifest": ("verify", odd),
    }[what]
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    said = {"fifo": "是管道(FIFO)", "device": "是设备"}[kind]
    assert said in result.stderr and "须为普通文件" in result.stderr
    assert not (tmp_path / "out").exists()
