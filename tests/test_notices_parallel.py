"""The fast path of `sanshi notices` writes what the one-by-one path writes.

A large batch turns its documents into bytes in a pool of forked processes and writes the files
from several threads; `SANSHI_WORKERS=1` (or `write(..., workers=1)`) does everything in one process,
one file after another. Both must give the same files under the same names with the same bytes, and
the same manifest entries in the same order. The pool is forced on here although the sample year is
small. Also: the hand-built .docx zip is the one `zipfile` would build, and a worker that dies or a
document that fails is handled as in the one-by-one path. No timings are asserted.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.documents import batch as batch_module
from sanshi.documents.batch import POOL_AVAILABLE, POOL_MINIMUM, WORKERS_VARIABLE, Batch, DocFormat, worker_count, write
from sanshi.documents.model import Block, BlockKind, Document
from sanshi.errors import UsageError
from sanshi.pipeline import HistorySource, run_notices
from sanshi.writers import docx
from sanshi.writers.files import ZIP_TIME

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
PACK = SAMPLE / "local-pack.toml"
needs_pool = pytest.mark.skipif(not POOL_AVAILABLE, reason="the pool forks, which sanshi does on Linux only")


@pytest.fixture(scope="module")
def sample_batch(sample_db):
    return run_notices(
        SAMPLE / "2023.xlsx",
        templates=ROOT / "sanshi" / "documents" / "templates",
        rules=str(PACK),
        history=HistorySource(sample_db, explicit=True),
    )


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def pool_spy(monkeypatch):
    """Counts the batches that went through the pool, so that a test knows which path it took."""
    calls = []
    pooled = batch_module._pooled

    def spy(jobs, workers):
        calls.append(workers)
        return pooled(jobs, workers)

    monkeypatch.setattr(batch_module, "_pooled", spy)
    return calls


@needs_pool
def test_pool_and_one_by_one_write_identical_files(sample_batch, pool_spy, tmp_path):
    assert len(sample_batch.documents) == 86 < POOL_MINIMUM  # so the pool is forced on below
    formats = list(DocFormat)
    serial = write(sample_batch, tmp_path / "serial", formats, workers=1)
    assert pool_spy == []
    ticks = []
    pooled = write(sample_batch, tmp_path / "pooled", formats, workers=2, progress=ticks.append)
    assert pool_spy == [2]
    assert ticks == [1] * len(pooled)  # the progress bar still moves once a file
    assert [p.relative_to(tmp_path / "pooled") for p in pooled] == [p.relative_to(tmp_path / "serial") for p in serial]
    one, other = files_under(tmp_path / "serial"), files_under(tmp_path / "pooled")
    assert len(one) == 2 * 86 and one.keys() == other.keys()
    assert [name for name in one if one[name] != other[name]] == []


@needs_pool
def test_cli_with_and_without_the_pool_gives_the_same_folder_and_manifest(sample_db, pool_spy, tmp_path, monkeypatch):
    outputs = {}
    for workers in ("1", "2"):
        monkeypatch.setenv(WORKERS_VARIABLE, workers)
        result = CliRunner().invoke(
            app,
            [
                "notices",
                str(SAMPLE / "2023.xlsx"),
                "--rules",
                str(PACK),
                "--db",
                str(sample_db),
                "--out",
                str(tmp_path / workers),
            ],
        )
        assert result.exit_code == 0, result.output
        outputs[workers] = files_under(tmp_path / workers / "2023年度公文")
    assert pool_spy == [2]
    manifests = {w: json.loads(files.pop("manifest.json")) for w, files in outputs.items()}
    assert outputs["1"] == outputs["2"]
    assert manifests["1"]["outputs"] == manifests["2"]["outputs"]  # same files, same order, same hashes


def test_worker_count_follows_the_argument_the_variable_and_the_batch_size(monkeypatch):
    monkeypatch.delenv(WORKERS_VARIABLE, raising=False)
    assert worker_count(POOL_MINIMUM - 1) == 1
    assert worker_count(3, workers=1) == 1
    if POOL_AVAILABLE:
        assert worker_count(3, workers=2) == 2  # forced on, however small the batch
        assert worker_count(POOL_MINIMUM) == min(len(os.sched_getaffinity(0)), batch_module.MAX_WORKERS)
        monkeypatch.setenv(WORKERS_VARIABLE, "3")
        assert worker_count(3) == 3
    monkeypatch.setenv(WORKERS_VARIABLE, "1")
    assert worker_count(10_000) == 1
    for bad in ("0", "两个", "-2"):
        monkeypatch.setenv(WORKERS_VARIABLE, bad)
        with pytest.raises(UsageError, match=f"{WORKERS_VARIABLE}={bad}:须为正整数"):
            worker_count(10_000)


_TEST_PROCESS = os.getpid()
_serialise_span = batch_module._serialise_span


def _dying_span(span: range) -> list[bytes]:
    """A worker's task that kills its worker (as if killed for memory) after the first span; module-level,
    so that the pool can send it to its workers by name."""
    if os.getpid() != _TEST_PROCESS and span.start > 0:
        os._exit(9)
    return _serialise_span(span)


@needs_pool
def test_a_worker_that_dies_is_replaced_by_the_main_process(sample_batch, monkeypatch, tmp_path):
    write(sample_batch, tmp_path / "serial", [DocFormat.docx], workers=1)
    monkeypatch.setattr(batch_module, "_serialise_span", _dying_span)
    write(sample_batch, tmp_path / "pooled", [DocFormat.docx], workers=2)
    assert files_under(tmp_path / "pooled") == files_under(tmp_path / "serial")


def _doc(seq: int) -> Document:
    return Document(
        "奖励资金通知",
        f"县{seq}",
        seq,
        (Block(BlockKind.TITLE, f"关于县{seq}的通知"), Block(BlockKind.PARAGRAPH, "正文")),
    )


@needs_pool
def test_a_document_failing_in_a_worker_stops_the_batch_after_the_files_before_it(monkeypatch, tmp_path):
    def flaky(document):
        if document.seq == 3:
            raise OSError("磁盘已满")
        return b"<html>whole</html>"

    monkeypatch.setattr(batch_module, "writer", lambda fmt: flaky)  # the forked workers inherit it
    batch = Batch(2023, [_doc(i) for i in range(1, 7)], sizes={"奖励资金通知": 6})
    with pytest.raises(OSError, match="磁盘已满"):
        write(batch, tmp_path, [DocFormat.html], workers=2)
    folder = tmp_path / "2023年度公文" / "奖励资金通知"
    assert sorted(p.name for p in folder.iterdir()) == ["001-县1-奖励资金通知.html", "002-县2-奖励资金通知.html"]


def test_the_docx_package_is_the_zip_that_zipfile_would_write(sample_batch):
    """The package is framed by hand (fixed parts compressed once); zipfile, given the same parts with the
    same metadata, writes the same bytes, and reads the package back whole."""
    for document in sample_batch.documents[::10]:
        package = docx.docx_bytes(document)
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            assert archive.testzip() is None
            parts = {name: archive.read(name) for name in archive.namelist()}
        assert parts[docx.DOCUMENT_PART] == docx.document_xml(document).encode("utf-8")
        expected = io.BytesIO()
        with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 0, 0o600 << 16
                archive.writestr(info, data)
        assert package == expected.getvalue()
        assert list(parts)[:5] == [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "docProps/app.xml",
            docx.DOCUMENT_PART,
        ]
        assert f"<dc:title>{document.title}</dc:title>".encode("utf-8") in parts["docProps/core.xml"]


def test_where_a_process_cannot_fork_one_process_writes_the_same_files(sample_batch, pool_spy, tmp_path, monkeypatch):
    """Windows has no fork (and macOS no safe one): the batch is written in this process, asked for workers
    or not, and the files are those the one-by-one path writes."""
    monkeypatch.setattr(batch_module, "POOL_AVAILABLE", False)
    monkeypatch.setenv(WORKERS_VARIABLE, "4")
    assert worker_count(5000) == 1 and worker_count(5000, workers=3) == 1
    formats = list(DocFormat)
    unforked = write(sample_batch, tmp_path / "unforked", formats, workers=2)
    assert pool_spy == []
    monkeypatch.setattr(batch_module, "POOL_AVAILABLE", True)
    serial = write(sample_batch, tmp_path / "serial", formats, workers=1)
    assert [p.name for p in unforked] == [p.name for p in serial]
    assert files_under(tmp_path / "unforked") == files_under(tmp_path / "serial")
