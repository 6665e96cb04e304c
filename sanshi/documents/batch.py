"""A year's documents as one batch: plan (build, number, check, render) and write.

Everything is rendered in memory before the first file is written, so a template
error stops the batch with nothing on disk; each file is then written atomically,
and no existing file is replaced without --force. A batch run from the CLI ends with
its manifest (`2023年度公文/manifest.json`, see `sanshi.manifest`), written after every
document, so that its presence means the batch is complete.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from sanshi.documents.config import DocumentSettings
from sanshi.documents.kinds import KINDS, KINDS_BY_NAME, YearData
from sanshi.documents.model import Document
from sanshi.documents.render import TemplateSet
from sanshi.errors import TemplateError, UsageError
from sanshi.manifest import NOTICES_NAME, RunRecord, write_manifest
from sanshi.writers.files import check_free, sync_directory, write_bytes


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
NAME_LIMIT = 40  # characters of a unit or person name kept in a file name


def safe_part(text: str, limit: int = NAME_LIMIT) -> str:
    """A piece of a file name that is valid on Windows too: no \\/:*?"<>|, no `..`, no reserved name, bounded."""
    text = unicodedata.normalize("NFC", text)
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
    warnings: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)  # kind -> documents in the whole year, selected or not
    source: str = ""  # the workbook the documents come from, and its SHA-256 as read
    source_sha256: str = ""

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
            folder = self.folder(out) / doc.kind
            for fmt in formats:
                path = folder / f"{self.file_stem(doc)}.{fmt.value}"
                if path.resolve().parent != folder.resolve():  # a guard: names built from data stay in their folder
                    raise TemplateError(f"文件名 {path.name} 会写到 {folder} 之外")
                targets.append((doc, fmt, path))
        return targets


def plan(data: YearData, settings: DocumentSettings, templates: TemplateSet, *, kinds: Sequence[str] = (),
         unit: str | None = None) -> Batch:
    """Build, number, check and render the selected documents; raises TemplateError before any rendering
    when a template uses a variable or setting that is not there (all such problems at once)."""
    unknown = [k for k in kinds if k not in KINDS_BY_NAME]
    if unknown:
        raise UsageError(f"--kind {'、'.join(unknown)}:没有这种公文(可用 {'、'.join(KINDS_BY_NAME)})")
    selected = [k for k in KINDS if not kinds or k.name in kinds]
    problems = [p for kind in selected for p in templates.check(kind, settings)]
    if problems:
        raise TemplateError(*problems)

    batch = Batch(year=data.awards.year, source=data.awards.source, source_sha256=data.awards.source_sha256)
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
            batch.documents.append(Document(kind=kind.name, subject=job.subject, seq=seq, blocks=blocks))
    return batch


def write(batch: Batch, out: Path, formats: Sequence[DocFormat], *, force: bool = False,
          progress: Callable[[int], None] | None = None, record: RunRecord | None = None) -> list[Path]:
    """Write every file of the batch, then (given the run's `record`) its manifest; refuses before writing
    anything if a file or the manifest exists and not `force`."""
    targets = batch.paths(out, formats)
    manifest = batch.folder(out) / NOTICES_NAME
    check_free([path for _, _, path in targets] + ([manifest] if record is not None else []), force)
    writers = {fmt: writer(fmt) for fmt in formats}
    written = []
    for doc, fmt, path in targets:
        # Each file is fsynced; its folder once below, not after each of a thousand renames.
        write_bytes(path, writers[fmt](doc), force=True, sync_dir=False)
        written.append(path)
        if progress is not None:
            progress(1)
    for folder in dict.fromkeys([*(p.parent for p in written), batch.folder(out), out]):
        sync_directory(folder)
    if record is not None and written:
        write_manifest(manifest, record, written, force=True)
    return written
