"""The history store's data as a workbook, so that it can leave the tool (`sanshi history export`).

One sheet per exported revision and input sheet, with the input's own Chinese headers
(from `sanshi.inputs.schema`) in row 1 and the stored values below, plus a column
原表行号 (the row in the file that was imported); then a sheet 版本 listing every exported
revision with its file, SHA-256, import time and whether it is current.

When the export holds exactly one revision, its sheets keep the input's names
(目标责任考核, 干部, ...), so the file reads back with `sanshi history import`. Otherwise
the names carry the year (and the revision, with --all-revisions): `2021年 干部`,
`2021年第2版 干部`. Text that looks like a formula stays text (see `write_table`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from sanshi.history.store import Revision
from sanshi.inputs.reader import Table
from sanshi.inputs.schema import EXPORT_REVISION_HEADERS, EXPORT_REVISIONS, SHEETS, Kind
from sanshi.writers.xlsx import TableColumn, Workbook, exact_format, new_workbook, save_workbook, write_table

MAX_SHEET_TITLE = 31  # Excel's limit
ROW_NUMBER_HEADER = "原表行号"
REVISIONS_SHEET = EXPORT_REVISIONS
REVISION_COLUMNS = tuple(TableColumn(header, wrap=header == "导出的工作表") for header in EXPORT_REVISION_HEADERS)
_SHEET_ORDER = {spec.name: index for index, spec in enumerate(SHEETS)}  # as in the input template
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name


def write_history_xlsx(stored: Sequence[tuple[Revision, dict[str, Table]]], path: Path, all_revisions: bool) -> None:
    """Write the revisions (each with its tables) to exactly `path`; the caller makes it atomic."""
    workbook = new_workbook("sanshi 历史库导出")
    used: set[str] = {REVISIONS_SHEET}
    listing = []
    for revision, tables in stored:
        titles = []
        for name, table in sorted(tables.items(), key=lambda item: _SHEET_ORDER.get(item[0], len(_SHEET_ORDER))):
            if len(stored) == 1:
                wanted = name
            elif all_revisions:
                wanted = f"{revision.year}年第{revision.revision}版 {name}"
            else:
                wanted = f"{revision.year}年 {name}"
            title = sheet_title(wanted, used)
            used.add(title)
            titles.append(title)
            _write_stored_table(workbook, title, table)
        listing.append(
            (
                revision.year,
                revision.revision,
                "是" if revision.is_current else "否",
                revision.source,
                revision.sha256,
                revision.imported_at,
                "、".join(titles),
            )
        )
    write_table(workbook, REVISIONS_SHEET, REVISION_COLUMNS, listing)
    save_workbook(workbook, path)


def _write_stored_table(workbook: Workbook, title: str, table: Table) -> None:
    """The columns the imported sheet had, in the schema's order, then where each row came from."""
    columns = [col for col in table.spec.columns if col.field in table.columns]
    headers = [TableColumn(col.header, exact_format if col.kind is Kind.DECIMAL else None) for col in columns]
    headers.append(TableColumn(ROW_NUMBER_HEADER))
    numbers = list(table.row_numbers) + [None] * (len(table.rows) - len(table.row_numbers))
    write_table(workbook, title, headers, _rows(table, [col.field for col in columns], numbers))


def _rows(table: Table, fields: list[str], numbers: list[int | None]) -> Iterable[tuple[object, ...]]:
    for row, number in zip(table.rows, numbers):
        yield (*(row.get(f) for f in fields), number)


def sheet_title(wanted: str, used: set[str]) -> str:
    """A valid, unused sheet name: no []:*?/\\, at most 31 characters, made unique with a ~2, ~3 suffix."""
    base = _FORBIDDEN.sub("_", wanted).strip("'") or "工作表"
    title = base[:MAX_SHEET_TITLE]
    counter = 2
    # Excel compares sheet names without regard to case.
    while title.lower() in {u.lower() for u in used}:
        suffix = f"~{counter}"
        title = base[: MAX_SHEET_TITLE - len(suffix)] + suffix
        counter += 1
    return title
