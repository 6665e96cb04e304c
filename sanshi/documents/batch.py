"""A year's documents as one batch: plan (build, number, check, render) and write.

`plan` renders every template before `write` is called, so a template error stops the
batch with nothing on disk. `write` turns the rendered blocks into file bytes (in a pool
of processes for a large batch, see `worker_count`) while writing the files in order,
each atomically and fsynced; no existing file is replaced without --force. A batch run
from the CLI ends with its manifest (`2023年度公文/manifest.json`, see `sanshi.manifest`),
written after every document, so that its presence means the batch is complete.

The pool and the writing threads change how fast, never what: the files, their names,
their bytes and their order in the manifest are the same whatever the number of workers
(tests/test_notices_parallel.py compares the two paths).
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from types import TracebackType

from sanshi.documents.config import DocumentSettings
from sanshi.documents.kinds import KINDS, KINDS_BY_NAME, YearData
from sanshi.results import RunInputs
from sanshi.documents.phrasing import name_documents
from sanshi.documents.model import Document
from sanshi.documents.render import TemplateSet
from sanshi.errors import RunWarning, TemplateError, UsageError
from sanshi.manifest import NOTICES_NAME, RunRecord, recorded_outputs, write_manifest
from sanshi.writers.files import check_free, remove_leftovers, replace_folder, sync_directory, write_bytes


class DocFormat(str, Enum):
    docx = "docx"
    html = "html"


# Each format's writer, as module and function: imported only when that format is written.
WRITERS = {DocFormat.docx: ("sanshi.writers.docx", "docx_bytes"), DocFormat.html: ("sanshi.writers.html", "html_bytes")}


def writer(fmt: DocFormat) -> Callable[[Document], bytes]:
    module, function = WRITERS[fmt]
    return getattr(importlib.import_module(module), function)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
# Unicode categories left out of file names: format (bidi controls, zero-width), private use, surrogates,
# unassigned, other and modifier symbols (emoji, skin tones); and the variation selectors that style emoji
# (nonspacing marks, but only in their own blocks: a combining accent stays).
_DROPPED_CATEGORIES = {"Cf", "Co", "Cs", "Cn", "So", "Sk"}
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
NAME_LIMIT = 40  # characters of a unit or person name kept in a file name


def safe_part(text: str, limit: int = NAME_LIMIT) -> str:
    """A piece of a file name that is valid on Windows too: no \\/:*?"<>|, no `..`, no reserved name, bounded;
    and that reads as it is stored: no bidi controls or other invisible format characters (a right-to-left
    override would show 龙滩县 as 县滩龙), no emoji or other pictographs."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(c for c in _VARIATION_SELECTORS.sub("", text) if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).replace("..", "_")
    text = text.strip(" .")[:limit].strip(" .")
    if not text or text.upper().split(".")[0] in _RESERVED:
        text = f"_{text}"
    return text


@dataclass
class Batch:
    """The rendered documents of a year, with the notes the user should see."""

    year: int
    documents: list[Document] = field(default_factory=list)
    warnings: list[RunWarning] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)  # kind -> documents in the whole year, selected or not
    source: str = ""  # the workbook the documents come from, and its SHA-256 as read
    source_sha256: str = ""
    read: RunInputs | None = None  # what the run read besides the workbook (pack, history), for the manifest
    templates: list[Path] = field(default_factory=list)  # the template files rendered from, for the manifest
    kinds: tuple[str, ...] = ()  # the kinds selected with --kind (empty: every kind)
    unit: str | None = None  # --unit

    @property
    def whole(self) -> bool:
        """Every document of the year: the run owns its whole folder."""
        return not self.kinds and self.unit is None

    def folder(self, out: Path) -> Path:
        """The batch's folder under --out: OUT/2023年度公文."""
        return out / f"{self.year}年度公文"

    def file_stem(self, document: Document) -> str:
        """序号-单位-类型: stable across runs (the 序号 counts the whole year, whatever was selected)."""
        width = max(3, len(str(self.sizes.get(document.kind, 0))))
        return f"{document.seq:0{width}d}-{safe_part(document.subject)}-{document.kind}"

    def paths(self, out: Path, formats: Sequence[DocFormat]) -> list[tuple[Document, DocFormat, Path]]:
        """Where each file goes: OUT/2023年度公文/奖励资金通知/003-青山县-奖励资金通知.docx."""
        targets = []
        for doc in self.documents:
            folder, stem = self.folder(out) / doc.kind, self.file_stem(doc)
            for fmt in formats:
                path = folder / f"{stem}.{fmt.value}"
                # A guard: names built from data stay in their folder. Checked on the names, not by
                # resolving each path (a dozen system calls a file); a rename replaces a symbolic link
                # at the final name rather than writing through it.
                if path.parent != folder or path.name in ("", ".", ".."):
                    raise TemplateError(f"文件名 {path.name} 会写到 {folder} 之外")
                targets.append((doc, fmt, path))
        return targets


def plan(
    data: YearData,
    settings: DocumentSettings,
    templates: TemplateSet,
    *,
    kinds: Sequence[str] = (),
    unit: str | None = None,
) -> Batch:
    """Build, number, check and render the selected documents; raises TemplateError before any rendering
    when a template uses a variable or setting that is not there (all such problems at once)."""
    unknown = [k for k in kinds if k not in KINDS_BY_NAME]
    if unknown:
        raise UsageError(f"--kind {'、'.join(unknown)}:没有这种公文(可用 {'、'.join(KINDS_BY_NAME)})")
    selected = [k for k in KINDS if not kinds or k.name in kinds]
    problems = [p for kind in selected for p in templates.check(kind, settings)]
    if problems:
        raise TemplateError(*problems)

    batch = Batch(
        year=data.awards.year,
        source=data.awards.source,
        source_sha256=data.awards.source_sha256,
        templates=templates.files(),
        kinds=tuple(kinds),
        unit=unit,
    )
    for kind in selected:
        jobs, warnings = kind.build(data)
        batch.warnings.extend(warnings)
        batch.sizes[kind.name] = len(jobs)
        values = settings.for_kind(kind.name)
        for seq, job in enumerate(jobs, start=1):
            if unit is not None and job.unit != unit:
                continue
            doc = dict(values)
            if "first_number" in values:
                doc["serial"] = values["first_number"] + seq - 1
            context = {"year": batch.year, "policy": data.pack.title, "doc": doc, **job.context}
            try:
                blocks = templates.render(kind, context)
            except TemplateError as exc:
                raise TemplateError(*(f"{m}(生成「{job.subject}」的{kind.name}时)" for m in exc.messages)) from None
            blocks = name_documents(blocks, data.pack.full_titles)
            batch.documents.append(Document(kind=kind.name, subject=job.subject, seq=seq, blocks=blocks))
    return batch


def write(
    batch: Batch,
    out: Path,
    formats: Sequence[DocFormat],
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    record: RunRecord | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Write every file of the batch, then (given the run's `record`) its manifest. `progress(1)` is called as
    each file is written, in order. `workers` overrides `worker_count` (1: everything in this process).

    A run of the whole year (with its manifest) owns its folder, OUT/2023年度公文: the new set of files is
    written beside it and takes its place at once, so a document an earlier run wrote and this one does not
    (a withdrawn 容错认定) is gone, and a killed run leaves the old set whole (files.replace_folder; a file
    the user put there stops the run). A run of some kinds (--kind) writes its files in place and removes
    the files of those kinds that the folder's manifest lists and this run no longer produces; with --unit
    nothing else is removed. Either way an existing file is replaced only with `force`, and a killed run's
    temporary files are cleared. A failure (a full disk, say) stops the batch after the files before it;
    each of those is whole.
    """
    folder = batch.folder(out)
    if batch.whole and record is not None:

        def fill(tmp: Path) -> None:
            written = _write_files(batch, tmp, formats, folder, progress, workers)
            if written:
                write_manifest(tmp / NOTICES_NAME, record, written, force=True)

        replace_folder(folder, fill, force, recorded_outputs)
        return [path for _, _, path in batch.paths(out, formats)]
    targets = batch.paths(out, formats)
    manifest = folder / NOTICES_NAME
    check_free([path for _, _, path in targets] + ([manifest] if record is not None else []), force)
    written = _write_files(batch, out / folder.name, formats, folder, progress, workers)
    for kind_folder in dict.fromkeys(p.parent for p in written):
        remove_leftovers(kind_folder, written)
    kept = _prune(batch, folder, written)
    for each in dict.fromkeys([*(p.parent for p in written), folder, out]):
        sync_directory(each)
    if record is not None and written:
        write_manifest(manifest, record, [*kept, *written], force=True)
    return written


def _write_files(
    batch: Batch,
    into: Path,
    formats: Sequence[DocFormat],
    folder: Path,
    progress: Callable[[int], None] | None,
    workers: int | None,
) -> list[Path]:
    """Write the batch's files under `into` (the batch folder itself, or the folder that will take its place),
    laid out as under `folder`; returns their paths under `into`."""
    targets = [(doc, fmt, into / path.relative_to(folder)) for doc, fmt, path in batch.paths(folder.parent, formats)]
    produced = contents([(doc, fmt) for doc, fmt, _ in targets], worker_count(len(batch.documents), workers))
    written = []
    with closing(produced), _FileWriter(progress) as files:
        for (_, _, path), content in zip(targets, produced):
            files.add(path, content)
            written.append(path)
    for each in dict.fromkeys(p.parent for p in written):
        sync_directory(each)
    return written


def _prune(batch: Batch, folder: Path, written: list[Path]) -> list[Path]:
    """After a run of some kinds: remove the files of those kinds that the folder's manifest lists and this
    run did not write (with --unit, none); the other files the manifest lists that are still there are kept,
    and returned, so that the new manifest vouches for the whole folder."""
    listed = recorded_outputs(folder) - {NOTICES_NAME}
    now = {p.relative_to(folder).as_posix() for p in written}
    kept = []
    for relative in sorted(listed - now):
        path = folder / relative
        kind = relative.split("/", 1)[0]
        if batch.unit is None and kind in batch.kinds:
            path.unlink(missing_ok=True)
        elif path.is_file():
            kept.append(path)
    return kept


# ---- file bytes, in this process or in a pool -----------------------------------------------------

Job = tuple[Document, DocFormat]  # one file to produce: a document in one format

WORKERS_VARIABLE = "SANSHI_WORKERS"  # a number of processes; 1 turns the pool off
POOL_MINIMUM = 100  # documents: below this, starting a pool costs more than it saves (measured: the
# 87 documents of the sample year take 33 ms in this process and as long with two workers)
MAX_WORKERS = 4  # more processes barely help: the writing, in this process, is then the slower part
SPAN_LIMIT = 64  # files a worker hands back at once: small, so that writing starts early
# A pool works on a fork of this process, which already holds the documents and has sanshi imported.
# Only on Linux: macOS has fork, but Python defaults to spawn there because fork without exec is unsafe
# with its system libraries, and spawn would import sanshi again in every worker.
POOL_AVAILABLE = sys.platform.startswith("linux")


def worker_count(documents: int, workers: int | None = None) -> int:
    """How many processes turn a batch's documents into bytes; 1 means this process alone.

    `workers` when given, else $SANSHI_WORKERS, else one per available CPU (at most MAX_WORKERS)
    for a batch of POOL_MINIMUM documents or more. Always 1 where there is no pool (not Linux).
    """
    if workers is None:
        setting = os.environ.get(WORKERS_VARIABLE, "").strip()
        if setting:
            if not setting.isdigit() or int(setting) < 1:
                raise UsageError(f"环境变量 {WORKERS_VARIABLE}={setting}:须为正整数(1 表示不用多进程)")
            workers = int(setting)
    if workers is None:
        workers = min(_available_cpus(), MAX_WORKERS) if documents >= POOL_MINIMUM else 1
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    return workers if POOL_AVAILABLE else 1


def _available_cpus() -> int:
    """The CPUs this process may run on (a container or taskset may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def contents(jobs: Sequence[Job], workers: int = 1) -> Generator[bytes, None, None]:
    """The bytes of each job's file, in the order of `jobs`, produced lazily so that the caller writes
    the first files while the pool works on the next ones; closing the generator stops the pool."""
    if workers <= 1 or len(jobs) <= 1:
        return _serialise(jobs)
    return _pooled(jobs, min(workers, len(jobs)))


def _serialise(jobs: Iterable[Job]) -> Generator[bytes, None, None]:
    writers: dict[DocFormat, Callable[[Document], bytes]] = {}
    for document, fmt in jobs:
        if fmt not in writers:
            writers[fmt] = writer(fmt)
        yield writers[fmt](document)


def _pooled(jobs: Sequence[Job], workers: int) -> Generator[bytes, None, None]:
    """`_serialise` spread over forked workers, handing back spans of files in order.

    Forked workers inherit the jobs, so only span bounds go out and bytes come back. Should a worker
    die (killed for memory, say), the rest is produced here: the bytes are the same either way.
    """
    size = max(1, min(SPAN_LIMIT, -(-len(jobs) // (workers * 4))))
    spans = [range(start, min(start + size, len(jobs))) for start in range(0, len(jobs), size)]
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_adopt, initargs=(jobs, os.getpid())
    )
    done = 0
    try:
        # Ctrl-C is held back while the workers are forked (by the first submit): arriving during a fork
        # it would be lost in this process (Python ignores exceptions in its at-fork hooks) and would kill
        # a worker before `_adopt`; held back, it arrives just below, once the workers ignore it.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            results = pool.map(_serialise_span, spans)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        for span in results:
            yield from span
            done += len(span)
    except BrokenProcessPool:
        pass
    finally:
        pool.shutdown(cancel_futures=True)
    yield from _serialise(jobs[done:])


_inherited: Sequence[Job] = ()  # a worker's jobs, set by `_adopt`


def _adopt(jobs: Sequence[Job], parent: int) -> None:
    """Start a worker: keep the jobs, leave Ctrl-C to the parent (which stops the pool), and end when
    the parent is gone (killed outright, it cannot tell its workers, which would wait forever)."""
    global _inherited
    _inherited = jobs
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held back since the fork; now ignored
    threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="sanshi-orphan-watch").start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _serialise_span(span: range) -> list[bytes]:
    return list(_serialise(_inherited[span.start : span.stop]))


# ---- writing ---------------------------------------------------------------------------------------

WRITE_THREADS = 16  # files being written (and fsynced) at once
IN_FLIGHT = 4 * WRITE_THREADS  # files handed to the threads and not yet reported


class _FileWriter:
    """Writes files with `write_bytes` (a temporary file, fsynced, renamed to the final name) several at
    a time, and reports each written file to `progress` in the order the files were added.

    Each file is still fsynced before its rename and the folders once at the end; what the threads
    change is the cost: the file system commits concurrent fsyncs together (on ext4 one journal
    commit serves them all), so 2,000 files take about 0.4 s instead of 0.9 s on an idle disk, and
    under 1 s instead of 6 s on a busy one. Leaving the block, normally or by an exception, waits
    for every file added, so nothing is being written once `write` returns or raises.
    """

    def __init__(self, progress: Callable[[int], None] | None):
        self._progress = progress
        self._pool = ThreadPoolExecutor(WRITE_THREADS, thread_name_prefix="sanshi-write")
        self._pending: deque[Future[Path]] = deque()
        self._started = False

    def add(self, path: Path, content: bytes) -> None:
        if not self._started:
            # In this thread: files.py reads the umask the first time it writes, by setting it and
            # putting it back, which two threads must not do at once.
            write_bytes(path, content, force=True, sync_dir=False)
            self._started = True
            self._report()
            return
        self._pending.append(self._pool.submit(write_bytes, path, content, force=True, sync_dir=False))
        while self._pending and (self._pending[0].done() or len(self._pending) > IN_FLIGHT):
            self._finish_first()

    def _finish_first(self) -> None:
        self._pending.popleft().result()  # a failed write raises here
        self._report()

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(1)

    def __enter__(self) -> _FileWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            while error is None and self._pending:
                self._finish_first()
        finally:
            self._pool.shutdown(wait=True)
