"""Killed runs never leave a broken file under a final name.

With a previous run's outputs in place, `awards --force` and `notices --force` are started in a
subprocess and SIGKILLed after delays spread over the run, so that kills land before, during and
after the writing. After each kill every file under its final name must be complete: the previous
run's bytes or the new run's bytes, never a mix or a truncated file, and a manifest present must
parse and describe whole files. A killed run may leave its temporary file behind: that is allowed,
as long as it is dot-prefixed (`.name-xxxx.xlsx`) and never carries a final name.

Also the unit behaviour of `atomic_write`: fsync before the rename, the directory after it, a
graceful skip where a directory cannot be synced, ordinary file permissions.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sanshi.manifest import load as load_manifest
from sanshi.writers import files
from sanshi.writers.files import atomic_write

pytestmark = pytest.mark.slow  # processes killed at random points and rerun

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
BOOK = SAMPLE / "2023.xlsx"
# Fractions of a complete run's duration after which the run is killed: most late, where the writing is.
KILL_POINTS = (0.1, 0.4, 0.6, 0.75, 0.85, 0.9, 0.95, 1.0, 1.1)


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """The sample pack (the new run) and a variant with another bonus amount and other dates (the previous
    run), so that nearly every output differs between the two runs."""
    folder = tmp_path_factory.mktemp("packs")
    new = folder / "new.toml"
    shutil.copy(SAMPLE / "local-pack.toml", new)
    text = new.read_text(encoding="utf-8")
    old = folder / "old.toml"
    old.write_text(
        text.replace('"优秀" = 12000', '"优秀" = 13000')
        .replace("date = 2024-01-15", "date = 2024-01-17")
        .replace("date = 2024-01-10", "date = 2024-01-11")
        .replace("date = 2024-01-19", "date = 2024-01-20"),
        encoding="utf-8",
    )
    return old, new


def command(name: str, pack: Path, db: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sanshi",
        name,
        str(BOOK),
        "--rules",
        str(pack),
        "--db",
        str(db),
        "--out",
        str(out),
        "--force",
    ]


def run(args: list[str], cwd: Path) -> float:
    """Run to completion; returns how long it took."""
    started = time.monotonic()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def check_complete(path: Path) -> None:
    """The file is whole for its kind: a workbook opens, a .docx is a sound zip, a page ends, a manifest parses."""
    if path.suffix == ".xlsx":
        openpyxl.load_workbook(path).close()
    elif path.suffix == ".docx":
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None
    elif path.suffix == ".html":
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")
    elif path.suffix == ".json":
        load_manifest(path)


@pytest.mark.parametrize("name", ["awards", "notices"])
def test_a_killed_rerun_leaves_only_whole_files(name, sample_db, packs, tmp_path):
    old_pack, new_pack = packs
    previous, new, out = tmp_path / "previous", tmp_path / "new", tmp_path / "out"
    run(command(name, old_pack, sample_db, previous), tmp_path)
    duration = run(command(name, new_pack, sample_db, new), tmp_path)
    old_files, new_files = snapshot(previous), snapshot(new)
    assert old_files.keys() == new_files.keys()
    manifests = {n for n in old_files if n.endswith("manifest.json")}
    assert len(manifests) == 1
    outputs = set(old_files) - manifests
    assert sum(old_files[n] != new_files[n] for n in outputs) > len(outputs) // 2

    for fraction in KILL_POINTS:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(previous, out)
        process = subprocess.Popen(
            command(name, new_pack, sample_db, out), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(duration * fraction)
        process.kill()  # SIGKILL: no cleanup of any kind runs
        process.wait(timeout=60)

        present = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}
        # Leftover temporary files, and the folder a whole run is written into before it takes the old one's
        # place, are dot-prefixed and never replace a final name.
        finals = {n: p for n, p in present.items() if not any(part.startswith(".") for part in n.split("/"))}
        assert set(finals) == set(old_files), f"killed at {fraction:.0%}: {set(finals) ^ set(old_files)}"
        for relative, path in finals.items():
            check_complete(path)
            if relative in manifests:
                continue
            content = path.read_bytes()
            assert content in (old_files[relative], new_files[relative]), f"killed at {fraction:.0%}: {relative}"
        [manifest_name] = manifests
        manifest = load_manifest(finals[manifest_name])
        listed = {o["path"]: o["sha256"] for o in manifest["outputs"]}
        previous_listed = {o["path"]: o["sha256"] for o in load_manifest(previous / manifest_name)["outputs"]}
        if listed != previous_listed:
            # The new run's manifest is written last: when it is there, every output it lists is the new one.
            for listed_path in listed:
                relative = (finals[manifest_name].parent / listed_path).relative_to(out).as_posix()
                assert finals[relative].read_bytes() == new_files[relative], f"killed at {fraction:.0%}: {relative}"


# ---- atomic_write ---------------------------------------------------------------------------------


def test_atomic_write_syncs_the_file_before_the_rename_and_the_folder_after(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor):
        events.append("fsync-dir" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "fsync-file")
        real_fsync(descriptor)

    def replace(source, target):
        events.append("rename")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "结果.txt"
    atomic_write(target, lambda tmp: tmp.write_text("完整内容", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "完整内容"
    expected = ["fsync-file", "rename", "fsync-dir"] if os.name == "posix" else ["fsync-file", "rename"]
    assert events == expected


def test_a_folder_that_cannot_be_synced_is_skipped_quietly(tmp_path, monkeypatch):
    real_open = os.open

    def refuse_folders(path, flags, *args):
        if os.path.isdir(path):
            raise PermissionError("a directory cannot be opened here (as on Windows)")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refuse_folders)
    target = tmp_path / "a.txt"
    atomic_write(target, lambda tmp: tmp.write_bytes(b"ok"))
    assert target.read_bytes() == b"ok"


def test_a_failed_write_leaves_neither_the_target_nor_a_temporary_file(tmp_path):
    def fail(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError("磁盘已满")

    with pytest.raises(OSError):
        atomic_write(tmp_path / "a.xlsx", fail)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_outputs_get_the_permissions_of_any_new_file_not_the_temporary_files_0600(tmp_path):
    files._umask.cache_clear()
    previous = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a.txt", lambda tmp: tmp.write_bytes(b"ok"))
    finally:
        os.umask(previous)
        files._umask.cache_clear()
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644
