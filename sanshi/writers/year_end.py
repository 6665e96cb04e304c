"""The year end's one folder: three result workbooks, the report, the documents and one manifest.

    2023年度考核结果/
        2023年度考核奖励结果.xlsx   2023年度能下触发名单.xlsx   2023年度选拔重用名单.xlsx
        2023年度考核结果报告.html
        2023-结果.xlsx             with --fill: a copy of the workbook with the results beside its rows
        2023年度公文/公示/001-….docx …
        manifest.json              every file above, with the run's inputs

The folder is written whole in a sibling temporary folder and then put in place, so it holds exactly
one run's files (see `files.replace_folder`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sanshi.manifest import NOTICES_NAME, RunRecord, recorded_outputs, write_manifest
from sanshi.writers.files import atomic_write, replace_folder

if TYPE_CHECKING:
    from sanshi.documents.batch import DocFormat
    from sanshi.pipeline import YearEnd


def folder_name(year: int) -> str:
    return f"{year}年度考核结果"


def write_year_end(
    run: YearEnd,
    out: Path,
    formats: Sequence[DocFormat],
    record: RunRecord,
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    fill: tuple[str, Callable[[Path], None]] | None = None,
) -> tuple[Path, list[Path]]:
    """Write the year's folder under `out`; returns it and the files in it (relative to it), manifest last.
    `progress(1)` is called as each document file is written. `fill` is the name and writer of the filled copy of
    the workbook (`--fill`), written first: a workbook the copy cannot be made of leaves no folder."""
    from sanshi.documents import batch as documents
    from sanshi.writers import xlsx
    from sanshi.writers.report_html import write_report_html

    year = run.year
    singles: list[tuple[str, Callable[[Path], None]]] = [
        (f"{year}年度考核奖励结果.xlsx", lambda tmp: xlsx.write_awards_xlsx(run.awards, tmp)),
        (f"{year}年度能下触发名单.xlsx", lambda tmp: xlsx.write_demotions_xlsx(run.demotions, tmp)),
        (f"{year}年度选拔重用名单.xlsx", lambda tmp: xlsx.write_promotions_xlsx(run.promotions, tmp)),
        (f"{year}年度考核结果报告.html", lambda tmp: write_report_html(run.report, tmp)),
    ]
    if fill is not None:
        singles.insert(0, fill)
    files: list[Path] = []

    def fill(folder: Path) -> None:
        written = [atomic_write(folder / name, write, force=True, sync_dir=False) for name, write in singles]
        written += documents.write(run.notices, folder, formats, force=True, progress=progress)
        write_manifest(folder / NOTICES_NAME, record, written, force=True)
        files.extend(path.relative_to(folder) for path in [*written, folder / NOTICES_NAME])

    return replace_folder(out / folder_name(year), fill, force, recorded_outputs), files
