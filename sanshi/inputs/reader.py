"""Turn a year's workbook into validated tables.

The reader finds each known sheet, finds its header row under title rows, maps the
Chinese headers through `schema`, parses every cell by its kind and collects every
problem (with file › sheet › cell) before raising one InputError. It never computes
awards.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from sanshi.inputs.years import check_year
from sanshi.limits import ALIASES_LIMIT
from sanshi.errors import InputError, Problem, RunWarning, UsageError
from sanshi.inputs import formats, schema
from sanshi.inputs.normalize import clean_text, column_letter, header_key, name_key, nfkc, unchanged, visible
from sanshi.inputs.schema import Column, Kind, SheetSpec

# How far down a sheet the header row may sit (title rows, notes, merged banners).
HEADER_SEARCH_ROWS = 10
SHOWN_CELLS = 10  # cells named in one message before "等 N 个单元格"
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YES = {"是", "Y", "YES", "TRUE", "1"}
_NO = {"否", "N", "NO", "FALSE", "0"}


class Table:
    """One sheet's typed values by column ({field: [the value of each row]}), plus where each row came from.

    `rows` gives the same values as one {field: value} dict per row, with every field of the sheet (absent ones
    None), made at its first use and kept. The columns are what is stored and read: a national 干部 sheet of
    200,000 rows is checked, stored and turned into records column by column, never as dicts."""

    __slots__ = ("spec", "columns", "values", "count", "row_numbers", "letters", "sheet", "header_row", "_rows")

    def __init__(
        self,
        spec: SheetSpec,
        rows: list[dict[str, Any]] | None = None,
        columns: set[str] | None = None,
        row_numbers: list[int] | None = None,
        letters: dict[str, str] | None = None,
        *,
        values: dict[str, list[Any]] | None = None,
        count: int = 0,
    ) -> None:
        self.spec = spec
        self.columns = columns if columns is not None else set()  # fields present as columns in the sheet
        self.row_numbers = row_numbers if row_numbers is not None else []  # Excel row of each row
        self.letters = letters if letters is not None else {}  # field -> column letter
        if rows is not None:
            given = {name for row in rows for name in row}
            values = {name: [row.get(name) for row in rows] for name in given}
            count = len(rows)
        self.values: dict[str, list[Any]] = values if values is not None else {}
        self.count = count
        # Where the table was read (a workbook's own sheet name and 1-based header row); "" and 0 for a stored table.
        self.sheet = ""
        self.header_row = 0
        self._rows: list[dict[str, Any]] | None = None

    def __len__(self) -> int:
        return self.count

    @property
    def rows(self) -> list[dict[str, Any]]:
        if self._rows is None:
            names = [col.field for col in self.spec.columns]
            arrays = [self.column(name) for name in names]
            self._rows = [dict(zip(names, cells)) for cells in zip(*arrays)]
        return self._rows

    def column(self, field_name: str) -> list[Any]:
        """Every row's value of a field (None in each row when the sheet has no such column)."""
        found = self.values.get(field_name)
        return found if found is not None else [None] * self.count

    def replace(self, field_name: str, values: list[Any]) -> None:
        """A field's values changed (unit names under their 规范名称): the rows are made again at their next use."""
        self.values[field_name] = values
        self._rows = None

    def has(self, field_name: str) -> bool:
        return field_name in self.columns

    def addresses(self, field_name: str) -> list[str]:
        """The Excel address of the field's cell in every row (as `cell` gives them, built in one go)."""
        letter = self.letters.get(field_name, "")
        numbers = self.row_numbers + [0] * (self.count - len(self.row_numbers))
        return [f"{letter}{row}" if row else letter for row in numbers]

    def cell(self, index: int, field_name: str) -> str:
        """Excel address of a value, for messages (e.g. C17)."""
        letter = self.letters.get(field_name, "")
        row = self.row_numbers[index] if index < len(self.row_numbers) else 0
        return f"{letter}{row}" if row else letter


@dataclass
class Book:
    """A year's workbook after reading: its tables by sheet name, and its identity."""

    source: str  # file name as the user gave it, for messages
    sha256: str
    tables: dict[str, Table]
    aliases: dict[str, str] = field(default_factory=dict)  # 别名 -> 规范名称, applied to every unit name
    warnings: list[RunWarning] = field(default_factory=list)  # what the reader noticed but did not stop for
    aliases_sha256: str = ""  # of the --aliases file's bytes as they were read ("" when none was given)

    def table(self, sheet: str) -> Table | None:
        return self.tables.get(sheet)


def year_from_name(path: Path) -> int | None:
    """The assessment year written in a file name (2023.xlsx, 2023年考核.xlsx), if exactly one."""
    years = set(_YEAR_IN_NAME.findall(nfkc(path.stem)))
    return int(years.pop()) if len(years) == 1 else None


def resolve_year(path: Path, year: int | None) -> int:
    """The year in the file name, or --year: a --year that contradicts the name is a usage error (a 2023.xlsx
    computed as 2022 would cite the wrong 上年 and pack); --year alone is taken (read_workbook says so)."""
    found = year_from_name(path)
    if year is not None:
        if found is not None and found != year:
            raise UsageError(
                f"--year {year} 与文件名 {path.name} 中的年度 {found} 不一致:请改正 --year,"
                f"或把文件改名为该年度(如 {year}.xlsx)"
            )
        return check_year(year, "--year")
    if found is None:
        raise UsageError(f"无法从文件名 {path.name} 识别考核年度,请用 --year 指定(例如 --year 2023)")
    return check_year(found, f"文件名 {path.name}")


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file as it is now (for outputs and for files that are not parsed here: an input that is
    parsed records the hash of the bytes it was parsed from, `formats.RawBook.sha256`)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# A status line for long work: called with a short Chinese text such as "读取 2023.xlsx › 干部:已读 40000 行".
Progress = Callable[[str], None]


def read_workbook(
    path: Path, aliases: Path | None = None, progress: Progress | None = None, year: int | None = None
) -> Book:
    """Read and validate every known sheet; raise InputError listing all problems.

    `aliases` is an optional 单位名称对照 file (a workbook or CSV with 别名/规范名称 columns); it and the
    workbook's own 单位名称对照 sheet map every unit name before any rule sees it. `progress`, when
    given, hears of each sheet and of every chunk of rows read. `year`, when given, is the year the
    workbook is read as: a `history export` of another year is refused.
    """
    source = path.name
    if progress is not None:
        progress(f"读取 {source}")
    raw = formats.open_book(path, wanted=lambda name: _spec_named(name) is not None)
    problems: list[Problem] = []
    warnings: list[RunWarning] = []
    _check_export(raw, source, year)
    assigned = _assign_sheets(raw, source, problems, warnings)
    tables: dict[str, Table] = {}
    for spec in schema.SHEETS:
        if spec.name in assigned:
            table = _read_sheet(spec, assigned[spec.name], source, problems, warnings, progress)
            if table is not None:
                tables[spec.name] = table
    alias_map, aliases_sha256 = _apply_aliases(tables, source, aliases, problems)
    for name, table in tables.items():
        _check_table(table, source, assigned[name].name.strip(), problems)
    if problems:
        raise InputError(problems)
    warnings.extend(_unmatched_units(tables, source, assigned))
    if year is not None and year_from_name(path) is None:
        warnings.append(
            RunWarning("input.year_from_option", f"考核年度按 --year 取为{year}年(文件名 {source} 中没有年度)")
        )
    return Book(
        source=source,
        sha256=raw.sha256,
        tables=tables,
        aliases=alias_map,
        warnings=warnings,
        aliases_sha256=aliases_sha256,
    )


def stored_book(source: str, sha256: str, tables: dict[str, Table], aliases: Path | None = None) -> Book:
    """A year as the history store keeps it (its tables, unit names already under the workbook's own
    单位名称对照) read as a Book: `aliases` (--aliases) maps the names as read_workbook would."""
    problems: list[Problem] = []
    alias_map, aliases_sha256 = _apply_aliases(tables, source, aliases, problems)
    if problems:
        raise InputError(problems)
    return Book(source=source, sha256=sha256, tables=tables, aliases=alias_map, aliases_sha256=aliases_sha256)


def _apply_aliases(
    tables: dict[str, Table], source: str, aliases: Path | None, problems: list[Problem]
) -> tuple[dict[str, str], str]:
    """Every unit name of `tables` under its 规范名称, from their own 单位名称对照 sheet and the --aliases file;
    the map and the SHA-256 of the file's bytes as read ("" without one). Problems are added to `problems`."""
    names = tables.get(schema.UNIT_NAMES.name)
    alias_tables: list[tuple[str, Table]] = [(source, names)] if names is not None else []
    aliases_sha256 = ""
    if aliases is not None:
        alias_table, aliases_sha256 = _read_alias_file(aliases, problems)
        if alias_table is not None:
            alias_tables.append((aliases.name, alias_table))
    alias_map = _alias_map(alias_tables, problems)
    for name, table in tables.items():
        if name != schema.UNIT_NAMES.name:
            rename_units(table, alias_map)
    return alias_map, aliases_sha256


def _check_export(raw: formats.RawBook, source: str, year: int | None) -> None:
    """A `sanshi history export` file says what it is: several revisions cannot be one year's workbook
    (one message, not one per sheet), and one revision is only read as the year it holds."""
    listing = next((s for s in raw.sheets if s.name.strip() == schema.EXPORT_REVISIONS), None)
    if listing is None:
        return
    rows = iter(listing.rows())
    header = next(rows, [])
    if (
        tuple(str(v).strip() if v is not None else "" for v in header[: len(schema.EXPORT_REVISION_HEADERS)])
        != schema.EXPORT_REVISION_HEADERS
    ):
        return
    held = [
        (int(row[0]), int(row[1]))
        for row in rows
        if len(row) > 1 and isinstance(row[0], (int, float)) and isinstance(row[1], (int, float))
    ]
    if len(held) > 1:
        names = "、".join(f"{y}年第{r}版" for y, r in held)
        first = held[0][0]
        raise InputError(
            [
                Problem(
                    f"这是 sanshi history export 导出的工作簿,含 {len(held)} 个版本({names}),不是一个年度的考核数据。"
                    f"一次导入一个年度:先导出单个年度,如 sanshi history export {first}年.xlsx --year {first},"
                    f"再 sanshi history import {first}年.xlsx",
                    file=source,
                )
            ]
        )
    if len(held) == 1 and year is not None and held[0][0] != year:
        raise InputError(
            [
                Problem(
                    f"这是 sanshi history export 导出的{held[0][0]}年数据(见「{schema.EXPORT_REVISIONS}」表),不能作为{year}年"
                    f"读取;如确是{held[0][0]}年,请用 --year {held[0][0]}",
                    file=source,
                )
            ]
        )


def _spec_named(sheet_name: str) -> SheetSpec | None:
    key = header_key(sheet_name)
    return next((spec for spec in schema.SHEETS if key in {header_key(n) for n in (spec.name, *spec.aliases)}), None)


def _assign_sheets(
    raw: formats.RawBook, source: str, problems: list[Problem], warnings: list[RunWarning]
) -> dict[str, formats.RawSheet]:
    """Which sheet is which table: by name; a hidden known sheet, two sheets for one table, or a known
    table under another name are problems (the user must say which data counts), never guesses."""
    assigned: dict[str, formats.RawSheet] = {}
    unnamed = []
    for sheet in raw.sheets:
        spec = _spec_named(sheet.name)
        if spec is None:
            if sheet.visible:
                unnamed.append(sheet)
        elif spec.name in assigned:
            problems.append(
                Problem(
                    f"工作表「{assigned[spec.name].name}」和「{sheet.name}」都是{spec.name}表,请删除或改名其中一个",
                    file=source,
                    sheet=sheet.name,
                )
            )
        elif not sheet.visible:
            problems.append(
                Problem(
                    f"{spec.name}表被隐藏了:sanshi 不会悄悄使用或忽略隐藏的数据。请取消隐藏"
                    "(右键工作表标签 › 取消隐藏);如这张表不应参加计算,请删除它",
                    file=source,
                    sheet=sheet.name,
                )
            )
            assigned[spec.name] = sheet
        else:
            assigned[spec.name] = sheet
    if problems:
        return assigned
    for sheet in unnamed:
        specs = _specs_by_headers(sheet)
        if not specs:
            continue
        if raw.kind in ("csv", "text") and len(specs) == 1 and not assigned:
            assigned[specs[0].name] = sheet  # a CSV holds one table, known by its headers
            continue
        free = [spec.name for spec in specs if spec.name not in assigned]
        if raw.kind in ("csv", "text"):
            choices = "、".join(f"{name}.csv" for name in [s.name for s in specs])
            problems.append(Problem(f"无法从表头判断这是哪张表:请把文件改名为 {choices}", file=source))
        elif free:
            names = "」或「".join(free)
            problems.append(
                Problem(
                    f"这张工作表有{'、'.join(free)}表的表头,但工作表名不是:sanshi 按工作表名识别各表,"
                    f"请把它改名为「{names}」;如它不是考核数据,请删除或改掉表头",
                    file=source,
                    sheet=sheet.name,
                )
            )
        else:
            warnings.append(
                RunWarning(
                    "input.duplicate_sheet",
                    f"{source} › {sheet.name}:表头与{specs[0].name}表相同,未读取(读取的是「{assigned[specs[0].name].name}」表)",
                )
            )
    if not assigned and not problems and raw.kind == "text":
        problems.append(
            Problem("不是工作簿:文件内容是纯文本,既不是 Excel/WPS 表格,也不是有可识别表头的 CSV", file=source)
        )
    elif not assigned and not problems:
        expected = "、".join(spec.name for spec in schema.SHEETS[:4])
        present = "、".join(s.name for s in raw.sheets) or "无"
        problems.append(Problem(f"没有可识别的工作表(应包含 {expected} 等),现有工作表:{present}", file=source))
    return assigned


def _specs_by_headers(sheet: formats.RawSheet) -> list[SheetSpec]:
    """The tables whose required headers all appear in one of the sheet's first rows, best match first."""
    head = list(islice(sheet.rows(), HEADER_SEARCH_ROWS))
    scored = []
    for spec in schema.SHEETS:
        mapping = _header_map(spec)
        required = {c.field for c in spec.columns if c.required}
        for row in head:
            fields = _fields_in(row, mapping)
            if required <= fields:
                scored.append((len(fields), spec))
                break
    if not scored:
        return []
    best = max(score for score, _ in scored)
    return [spec for score, spec in scored if score == best]


def _read_alias_file(path: Path, problems: list[Problem]) -> tuple[Table | None, str]:
    """A separate 单位名称对照 file: its one table with 别名 and 规范名称 columns, whatever the sheet is called,
    and the SHA-256 of the bytes it was read from."""
    try:
        raw = formats.open_book(path, ALIASES_LIMIT, "单位名称对照")
    except InputError as exc:
        problems.extend(exc.problems)
        return None, ""
    for sheet in raw.sheets:
        if _spec_named(sheet.name) is schema.UNIT_NAMES or schema.UNIT_NAMES in _specs_by_headers(sheet):
            table = _read_sheet(schema.UNIT_NAMES, sheet, path.name, problems)
            if table is not None:
                _check_table(table, path.name, sheet.name, problems)
            return table, raw.sha256
    problems.append(Problem("不是单位名称对照文件:没有含「别名」「规范名称」两列的表", file=path.name))
    return None, raw.sha256


def _alias_map(tables: list[tuple[str, Table]], problems: list[Problem]) -> dict[str, str]:
    """别名 -> 规范名称 from the sheet and the file; an alias with two targets, or a name that is both an alias
    and a target, is a problem (a chain would make the answer depend on reading order)."""
    mapping: dict[str, str] = {}
    where: dict[str, tuple[str, str]] = {}  # alias -> (file, cell) of the row that set it
    for source, table in tables:
        for index, row in enumerate(table.rows):
            alias, unit = row.get("alias"), row.get("unit")
            if alias is None or unit is None or alias == unit:
                continue
            cell = table.cell(index, "alias")
            if alias in mapping and mapping[alias] != unit:
                problems.append(
                    Problem(
                        f"别名「{alias}」对应两个规范名称:「{mapping[alias]}」(见 {' '.join(where[alias])})和「{unit}」",
                        file=source,
                        sheet=schema.UNIT_NAMES.name,
                        cell=cell,
                    )
                )
                continue
            mapping[alias] = unit
            where[alias] = (source, cell)
    for alias, unit in mapping.items():
        if unit in mapping:
            problems.append(
                Problem(
                    f"「{unit}」既是「{alias}」的规范名称,又是别名(对应「{mapping[unit]}」):"
                    f"请把「{alias}」直接对应到最终的规范名称",
                    file=where[alias][0],
                    sheet=schema.UNIT_NAMES.name,
                    cell=where[alias][1],
                )
            )
    return mapping


def rename_units(table: Table, aliases: dict[str, str]) -> None:
    """Every unit-name cell of a table under its 规范名称 (also used for the history store's tables)."""
    if not aliases:
        return
    for col in table.spec.columns:
        values = table.values.get(col.field)
        if col.kind is Kind.UNIT and values is not None and any(value in aliases for value in values):
            table.replace(col.field, [aliases.get(value, value) for value in values])  # None is never an alias


def _unmatched_units(tables: dict[str, Table], source: str, assigned: dict[str, formats.RawSheet]) -> list[RunWarning]:
    """A unit named in 干部, 容错认定... that no unit list (目标责任考核, 县域监测, 脱贫攻坚) has, with the
    nearest names: usually one unit spelled two ways, fixed by a 单位名称对照 row."""
    lists = [tables[s.name] for s in schema.UNIT_LISTS if s.name in tables]
    if not lists:
        return []
    known = {row["unit"] for table in lists for row in table.rows if row.get("unit")}
    ordered = sorted(known)  # for difflib, whose answer depends on the order
    listed = "、".join(s.name for s in schema.UNIT_LISTS if s.name in tables)
    warnings = []
    for name, table in tables.items():
        if table.spec in schema.UNIT_LISTS or table.spec is schema.UNIT_NAMES:
            continue
        first: dict[str, tuple[int, int]] = {}
        for index, unit in enumerate(table.column("unit")):
            if unit and unit not in known:
                at, count = first.get(unit, (index, 0))
                first[unit] = (at, count + 1)
        for unit, (index, count) in first.items():
            close = difflib.get_close_matches(unit, ordered, n=3, cutoff=0.5)
            hint = (
                f"最接近的是 {'、'.join(close)};如是同一单位,请在「单位名称对照」表中写明"
                if close
                else "没有相近的名称"
            )
            rows = f"等 {count} 行" if count > 1 else ""
            warnings.append(
                RunWarning(
                    "input.unit_not_listed",
                    f"{source} › {assigned[name].name.strip()} › {table.cell(index, 'unit')}{rows}:"
                    f"单位「{unit}」不在{listed}表中;{hint}",
                    units=(unit,),
                )
            )
    return warnings


def _header_map(spec: SheetSpec) -> dict[str, Column]:
    mapping: dict[str, Column] = {}
    for col in spec.columns:
        for name in (col.header, *col.aliases):
            mapping.setdefault(header_key(name), col)
    return mapping


def _fields_in(row: list[Any], mapping: dict[str, Column]) -> set[str]:
    """The fields whose header (or an alias of it) is written somewhere in a row."""
    return {mapping[k].field for k in (header_key(str(v)) for v in row if isinstance(v, str)) if k in mapping}


def _find_header(spec: SheetSpec, mapping: dict[str, Column], grid: list[list[Any]]) -> int | None:
    """The index of the row that holds the most known headers, if any holds a required one."""
    required = {c.field for c in spec.columns if c.required}
    best, best_hits = None, 0
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        fields = _fields_in(row, mapping)
        if fields & required and len(fields) > best_hits:
            best, best_hits = index, len(fields)
    return best


def _near_miss(spec: SheetSpec, header: str, positions: dict[str, int]) -> str | None:
    """The header of a column the sheet lacks that an unknown header nearly is (不得评优情况 -> 不得评优):
    ignoring such a column could change a result, so the user hears of it."""
    key = header_key(header)
    for col in spec.columns:
        if col.field in positions:
            continue
        for known in (col.header, *col.aliases):
            known_key = header_key(known)
            if (
                key.startswith(known_key)
                or known_key.startswith(key)
                or difflib.SequenceMatcher(None, key, known_key).ratio() >= 0.75
            ):
                return col.header
    return None


def _read_sheet(
    spec: SheetSpec,
    sheet: formats.RawSheet,
    source: str,
    problems: list[Problem],
    notes: list[RunWarning] | None = None,
    progress: Progress | None = None,
) -> Table | None:
    """One table, row by row (a million-row sheet is never held as a grid of Python values)."""
    name = sheet.name.strip()
    mapping = _header_map(spec)
    rows = sheet.rows()
    head = list(islice(rows, HEADER_SEARCH_ROWS))
    header_index = _find_header(spec, mapping, head)
    required = [c for c in spec.columns if c.required]
    if header_index is None:
        names = "、".join(c.header for c in required)
        problems.append(Problem(f"找不到表头行:前{HEADER_SEARCH_ROWS}行中没有必填列 {names}", file=source, sheet=name))
        return None
    positions: dict[str, int] = {}
    present_headers: list[str] = []
    unknown: list[tuple[int, str]] = []
    ours = {header_key(h) for h in schema.RESULT_COLUMNS.get(spec.name, ())}
    for index, value in enumerate(head[header_index]):
        if not isinstance(value, str) or not value.strip():
            continue
        present_headers.append(value.strip())
        col = mapping.get(header_key(value))
        if col is None and header_key(value) in ours:
            continue  # a result column of an earlier --fill
        if col is None:
            unknown.append((index, value.strip()))  # extra columns are kept in the file and ignored here
            continue
        if col.field in positions:
            other = column_letter(positions[col.field])
            problems.append(
                Problem(
                    f"列 {col.header} 出现两次(另见 {other}{header_index + 1}),请删除或改名其中一列",
                    file=source,
                    sheet=name,
                    cell=f"{column_letter(index)}{header_index + 1}",
                )
            )
            continue
        positions[col.field] = index
    missing = False
    for col in required:
        if col.field not in positions:
            missing = True
            close = difflib.get_close_matches(col.header, present_headers, n=1, cutoff=0.4)
            hint = f",最接近的现有列是「{close[0]}」,如是同一列请把表头改为「{col.header}」" if close else ""
            problems.append(
                Problem(f"缺少必填列「{col.header}」{hint}", file=source, sheet=name, cell=f"第{header_index + 1}行")
            )
    if missing:
        return None
    for index, header in unknown:
        near = _near_miss(spec, header, positions)
        if near is not None and notes is not None:
            notes.append(
                RunWarning(
                    "input.column_unread",
                    f"{source} › {name} › {column_letter(index)}{header_index + 1}:列「{header}」没有读取:"
                    f"sanshi 不认识这个表头;如它就是「{near}」列,请把表头改为「{near}」",
                )
            )

    table = Table(
        spec=spec,
        columns=set(positions),
        letters={f: column_letter(i) for f, i in positions.items()},
        values={f: [] for f in positions},
    )
    table.sheet, table.header_row = sheet.name, header_index + 1
    unsaved: list[str] = []
    note_rows: list[int] = []
    merged = _merged_in_body(sheet, header_index, positions, source, problems, note_rows)
    by_field = {col.field: col for col in spec.columns}
    readers = [_CellReader(by_field[f], i, table.letters[f]) for f, i in positions.items()]
    context = _SheetContext(sheet, name, source, merged, problems, unsaved)
    # The columns whose cell names the row's unit or person: a 合计 there makes a totals row.
    context.labels = [n for n, f in enumerate(positions) if by_field[f].required and by_field[f].kind in _NAMING]
    context.note_rows = set(note_rows)
    first = header_index + 1  # 0-based index of the first row below the header
    body = chain(head[first:], rows)
    while chunk := list(islice(body, CHUNK_ROWS)):
        if progress is not None:
            progress(f"读取 {source} › {name}:已读 {first - header_index - 1} 行")
        _read_chunk(table, readers, chunk, first, context)
        first += len(chunk)
    if note_rows and notes is not None:
        shown = "、".join(f"第{n + 1}行" for n in sorted(note_rows)[:SHOWN_CELLS])
        notes.append(
            RunWarning("input.note_rows", f"{source} › {name} › {shown}合并为一格(说明文字),不作为单位或干部读取")
        )
    if context.totals:
        rows_text = "、".join(f"第{n}行" for n in context.totals[:SHOWN_CELLS])
        more = f"等 {len(context.totals)} 行" if len(context.totals) > SHOWN_CELLS else ""
        if notes is not None:
            notes.append(
                RunWarning(
                    "input.total_rows",
                    f"{source} › {name} › {rows_text}{more}是合计行(写有「{'」「'.join(schema.TOTAL_LABELS)}」之一),"
                    "不作为单位或干部读取",
                )
            )
    if unsaved:
        also = (
            f"(还有 {'、'.join(unsaved[1:SHOWN_CELLS])}{' 等' if len(unsaved) > SHOWN_CELLS else ''}"
            f",共 {len(unsaved)} 个单元格)"
            if len(unsaved) > 1
            else ""
        )
        problems.append(
            Problem(
                f"是公式,但文件里没有保存计算结果{also}(文件可能由程序生成、从未在 Excel/WPS 中打开):{formats.RESAVE}",
                file=source,
                sheet=name,
                cell=unsaved[0],
            )
        )
    return table


_UNKNOWN = object()
# Raw cell types whose parsed value depends on the raw value alone, so a column remembers it (units, names,
# grades and scores repeat thousands of times in a big sheet; parsing each again was most of the read time).
# Not bool: True == 1, and a TRUE in a count column is an error, not the count 1.
_CACHED_TYPES = (str, float, int)
_CACHE_LIMIT = 200_000  # values remembered per column: bounded memory for a column of unique 干部编号
CHUNK_ROWS = 20_000  # rows read, checked and parsed together: bounded memory for a million-row sheet


@dataclass
class _SheetContext:
    """What the checks of one sheet's cells need besides the cell: where problems go and what is known."""

    sheet: formats.RawSheet
    name: str
    source: str
    merged: set[tuple[int, int]]
    problems: list[Problem]
    unsaved: list[str]
    # What a chunk found, keyed by (row, column) so that it is reported in reading order.
    found: list[tuple[tuple[int, int], Problem]] = field(default_factory=list)
    found_unsaved: list[tuple[tuple[int, int], str]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)  # the positions (among the read columns) that name a unit or person
    note_rows: set[int] = field(default_factory=set)  # rows (0-based) merged into one cell across the table: notes
    totals: list[int] = field(default_factory=list)  # the Excel rows passed over as totals rows

    def report(self, where: tuple[int, int], message: str, cell: str) -> None:
        self.found.append((where, Problem(message, file=self.source, sheet=self.name, cell=cell)))

    def flush(self) -> None:
        """Add what was found, in row order, then column order."""
        self.problems.extend(problem for _, problem in sorted(self.found, key=lambda item: item[0]))
        self.unsaved.extend(cell for _, cell in sorted(self.found_unsaved))
        self.found.clear()
        self.found_unsaved.clear()


class _CellReader:
    """Reads one column's cells: the checks in the order the messages need, then `parse_cell`.

    A value that parsed without a problem is remembered with its result (`known`); a cell whose raw value
    was seen before takes that result directly. Blank, placeholder and faulty cells are never remembered,
    since what they mean depends on the cell (a required blank is a problem with its own address)."""

    __slots__ = ("col", "field", "index", "letter", "known", "verbatim")

    def __init__(self, col: Column, index: int, letter: str) -> None:
        self.col, self.field, self.index, self.letter = col, col.field, index, letter
        self.known: dict[Any, Any] = {}
        # Text kinds whose value is the text itself when normalizing would not change it (see `read`).
        self.verbatim = col.kind in (Kind.TEXT, Kind.PERSON, Kind.UNIT, Kind.LABEL, Kind.REASON)

    def lookup(self, values: list[Any]) -> list[Any]:
        """The remembered result of each value, or _UNKNOWN."""
        get, unknown = self.known.get, _UNKNOWN
        return [get(v, unknown) if v.__class__ in _CACHED_TYPES else unknown for v in values]

    def _remember(self, raw: Any, value: Any) -> Any:
        if raw.__class__ in _CACHED_TYPES and len(self.known) < _CACHE_LIMIT:
            self.known[raw] = value
        return value

    def read(self, raw: Any, row_index: int, where: _SheetContext) -> Any:
        col, sheet = self.col, where.sheet
        if (
            self.verbatim
            and raw.__class__ is str
            and raw
            and not sheet.unsaved
            and len(raw) <= formats.MAX_CELL_CHARS
            and raw not in NONE_GIVEN
            and unchanged(raw)
        ):
            # Text that no normalization changes, not blank and no placeholder: every check below passes
            # and parse_cell returns it as it is (a test holds this shortcut to the full path).
            return self._remember(raw, raw)
        at = (row_index, self.index)
        cell = f"{self.letter}{row_index + 1}"
        what = sheet.unsaved.get(at)
        if what == "公式":
            where.found_unsaved.append((at, cell))
        elif what is not None:
            where.report(at, f"{col.header} 是错误值 {what}:请修正公式或填写数值", cell)
        elif _is_blank(raw) or (not col.required and _is_placeholder(col, raw)):
            if col.required and at not in where.merged:
                where.report(at, f"{col.header} 为空(必填)", cell)
        elif isinstance(raw, str) and len(raw) > formats.MAX_CELL_CHARS:
            where.report(at, f"{col.header} 有 {len(raw)} 个字符,超过单元格上限 {formats.MAX_CELL_CHARS} 个", cell)
        else:
            try:
                value = parse_cell(col, raw)
            except ValueError as exc:
                where.report(at, str(exc), cell)
            else:
                return self._remember(raw, value)
        return None


def _read_chunk(
    table: Table, readers: list[_CellReader], chunk: list[list[Any]], first: int, where: _SheetContext
) -> None:
    """Rows `first`.. of the sheet (0-based), column by column: a remembered value is one dict lookup in a
    list comprehension, and only the rest goes through `_CellReader.read`; what they report is put in row
    order, as the user reads the sheet. Blank rows are skipped (an unsaved formula is not blank)."""
    unsaved = where.sheet.unsaved
    indexes = [reader.index for reader in readers]
    picked: list[tuple[Any, ...]]
    try:
        picked = list(map(itemgetter(*indexes), chunk)) if len(indexes) > 1 else [(row[indexes[0]],) for row in chunk]
    except IndexError:  # a short row (CSV): missing cells are blank
        picked = [tuple(row[i] if i < len(row) else None for i in indexes) for row in chunk]
    totals = _totals_rows(picked, where.labels)
    where.totals.extend(first + n + 1 for n in sorted(totals))
    passed_over = totals | {r - first for r in where.note_rows if first <= r < first + len(picked)}
    kept = [
        n
        for n, values in enumerate(picked)
        if (not _blank_row(values) or (unsaved and any((first + n, i) in unsaved for i in indexes)))
        and n not in passed_over
    ]
    if len(kept) < len(picked):
        picked = [picked[n] for n in kept]
    columns = list(zip(*picked)) if picked else [() for _ in readers]
    parsed = [
        reader.lookup(list(values)) if not unsaved else [_UNKNOWN] * len(values)
        for reader, values in zip(readers, columns)
    ]
    cached = _CACHED_TYPES if not unsaved else ()
    for reader, values, raws in zip(readers, parsed, columns):
        if _UNKNOWN not in values:
            continue
        # A value first seen earlier in this chunk is remembered by now; the rest is read (inline: a method
        # call per cell was a tenth of a national read).
        known, read = reader.known.get, reader.read
        for n in [n for n, value in enumerate(values) if value is _UNKNOWN]:
            raw = raws[n]
            found = known(raw, _UNKNOWN) if raw.__class__ in cached else _UNKNOWN
            values[n] = read(raw, first + kept[n], where) if found is _UNKNOWN else found
    where.flush()
    for reader, values in zip(readers, parsed):
        table.values[reader.field].extend(values)
    table.count += len(kept)
    table.row_numbers.extend(first + n + 1 for n in kept)


_NAMING = (Kind.UNIT, Kind.PERSON)
_TOTAL_KEYS = {header_key(label) for label in schema.TOTAL_LABELS}


def _totals_rows(picked: list[tuple[Any, ...]], labels: list[int]) -> set[int]:
    """The rows (by index in `picked`) whose unit or name cell is a 合计/总计/小计 label."""
    found: set[int] = set()
    for i in labels:
        found.update(
            n
            for n, values in enumerate(picked)
            if (v := values[i]).__class__ is str and "计" in v and header_key(v) in _TOTAL_KEYS
        )
    return found


def _blank_row(values: tuple[Any, ...]) -> bool:
    return all(map(_is_blank, values))


def _merged_in_body(
    sheet: formats.RawSheet,
    header_index: int,
    positions: dict[str, int],
    source: str,
    problems: list[Problem],
    notes: list[int],
) -> set[tuple[int, int]]:
    """A merged cell below the header holds its value in the first row only: the other rows would read as
    blank (or, filled down blindly, as a value nobody wrote), so the user unmerges and fills each row.
    Returns the cells the merges cover, whose own 为空 would only repeat the message. A row merged into one
    cell across every column read is a note under (or between) the rows, added to `notes` (0-based rows)."""
    used = set(positions.values())
    covered: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in sheet.merged():
        if r1 <= header_index or (r0 == r1 and c0 == c1) or not any(c0 <= c <= c1 for c in used):
            continue
        if r0 == r1 and all(c0 <= c <= c1 for c in used):
            notes.append(r0)  # one cell across the whole table: a note (注:...), no unit's row
            continue
        area = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
        problems.append(
            Problem(
                "是合并单元格:合并后只有第一个单元格有值,请取消合并并在每一行填写",
                file=source,
                sheet=sheet.name.strip(),
                cell=area,
            )
        )
        covered.update((r, c) for r in range(max(r0, header_index + 1), r1 + 1) for c in used if c0 <= c <= c1)
    return covered


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# What people write in an optional cell for "nothing": read as blank (a required cell so filled is still 为空;
# a 是/否 column is left alone, since there 无 could mean 否).
PLACEHOLDERS = {"-", "—", "——", "--", "/", "无", "空"}
# In a column that holds a reason or a finding (不得评优, 通报批评, 数字脱贫), also "no": there is none.
NONE_GIVEN = PLACEHOLDERS | {"否", "没有", "无此情况", "未发生"}


def _is_placeholder(col: Column, value: Any) -> bool:
    return col.kind is not Kind.YESNO and isinstance(value, str) and name_key(value) in PLACEHOLDERS


def _brief(raw: Any) -> str:
    """A cell's value for a message, at most 20 characters (1e300 and a 5,000-digit text are not spelled out)."""
    if isinstance(raw, float) and raw.is_integer() and abs(raw) >= 1e15:
        return format(raw, ".15g")
    text = _shown(raw)
    return text if len(text) <= 20 else f"{text[:17]}…(共 {len(text)} 位)"


def _shown(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def parse_cell(col: Column, raw: Any) -> Any:
    """Parse one non-blank cell by its column kind; raise ValueError with a Chinese message."""
    kind = col.kind
    if kind is Kind.TEXT:
        return clean_text(_shown(raw))
    if kind is Kind.REASON:
        text = clean_text(_shown(raw))
        return None if name_key(text) in NONE_GIVEN else text
    if kind in (Kind.UNIT, Kind.PERSON, Kind.LABEL):
        return name_key(_shown(raw)) or None
    if kind is Kind.DECIMAL:
        number = _decimal(col, raw)
        low, high = schema.SCORE_RANGE
        if not low <= number <= high:
            raise ValueError(f'{col.header} "{_brief(raw)}" 超出得分的范围 {low} 至 {high}')
        return number
    if kind in (Kind.COUNT, Kind.RANK):
        number = _decimal(col, raw, what="整数")
        # The bounds first: a 5,000-digit number is never turned into an int, nor shown in full.
        if kind is Kind.RANK and number < 1:
            raise ValueError(f'{col.header} "{_brief(raw)}" 应为从 1 开始的名次')
        if number < 0:
            raise ValueError(f'{col.header} "{_brief(raw)}" 不能为负数')
        if kind is Kind.RANK and number > schema.RANK_LIMIT:
            raise ValueError(f'{col.header} "{_brief(raw)}" 超出名次的范围(1 至 {schema.RANK_LIMIT})')
        if kind is Kind.COUNT and number >= schema.COUNT_LIMIT:
            raise ValueError(f'{col.header} "{_brief(raw)}" 超出人数、票数的范围(0 至 {schema.COUNT_LIMIT - 1})')
        if number != number.to_integral_value():
            raise ValueError(f'{col.header} "{_shown(raw)}" 不是整数')
        return int(number)
    if kind is Kind.CHOICE:
        text = header_key(_shown(raw))
        if col.field == "area_type":
            if text in schema.AREA_TYPES:
                return schema.AREA_TYPES[text]
            raise ValueError(f'{col.header} "{_shown(raw)}" 不是可选值(县、县(市)、城区、区)')
        if text in col.choices:
            return text
        raise ValueError(f'{col.header} "{_shown(raw)}" 不是可选值({"、".join(col.choices)})')
    if kind is Kind.YESNO:
        if isinstance(raw, bool):
            return schema.YES if raw else schema.NO
        text = header_key(_shown(raw)).upper()
        if text in _YES:
            return schema.YES
        if text in _NO:
            return schema.NO
        raise ValueError(f'{col.header} "{_shown(raw)}" 应填 是 或 否')
    if kind is Kind.DATE:
        return _date(col, raw)
    raise AssertionError(f"unhandled column kind {kind}")


# Excel's day 0 in the 1900 date system (the serial 1 is 1900-01-01; 1900-02-29 never existed, so from
# 1900-03-01 on, which is every date sanshi meets, counting from 1899-12-30 is exact).
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIALS = range(32874, 73051)  # 1990-01-01 .. 2099-12-31: a number outside is not an assessment date
_DATE_TIME = re.compile(r"^(.*?)(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")


def _date(col: Column, raw: Any) -> date:
    """A date cell: a real date; an Excel serial number (45261); or text such as 2023-12-01, 2023/12/1,
    2023.12.1, 2023年12月1日, 20231201, optionally followed by a time of day."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if raw == int(raw) and int(raw) in _SERIALS:
            return _EXCEL_EPOCH + timedelta(days=int(raw))
        raise ValueError(f'{col.header} "{_shown(raw)}" 不是日期(如是 Excel 日期序号,应在 1990 至 2099 年之间)')
    whole = _DATE_TIME.match(nfkc(str(raw)).strip())
    assert whole is not None  # the pattern matches any text: the time of day is optional
    text = whole.group(1).strip()
    match = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    elif text.isdigit() and int(text) in _SERIALS:
        return _EXCEL_EPOCH + timedelta(days=int(text))
    raise ValueError(f'{col.header} "{_shown(raw)}" 不是日期(例如 2023-12-01 或 2023年12月1日)')


# Numbers stored as text (WPS exports, pasted from web pages) are read by one rule: the number itself,
# after NFKC (full-width ９５.５ is 95.5) and without spaces, with an optional sign, one decimal point and
# thousands separators in groups of three; followed by the column's own unit — 分 for scores, 票 or 人 for
# counts — or, for a 名次, written as 第3名 / 3名 / 3位. Anything else ("约95", "95.5左右", "95%", "九十五",
# "1,23") is reported: which number was meant is for the user to say.
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_UNITS = {Kind.DECIMAL: ("分",), Kind.COUNT: ("票", "人"), Kind.RANK: ("名", "位")}


def _decimal(col: Column, raw: Any, what: str = "数字") -> Decimal:
    if isinstance(raw, bool):
        raise ValueError(f'{col.header} "{raw}" 不是{what}')
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        # Excel stores doubles and shows them to 15 significant digits: a weighted sum stored as
        # 93.49999999999999 is the 93.5 everyone sees (and ties with another 93.5), so that is the value.
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueError(f'{col.header} "{raw}" 不是{what}')
        return Decimal(format(raw, ".15g"))
    if isinstance(raw, (date, time, timedelta)):
        raise ValueError(
            f'{col.header} "{raw}" 是日期或时间,不是{what}(Excel 可能把输入自动转成了日期,'
            f"请把单元格格式设为“常规”后重新填写)"
        )
    text = name_key(str(raw))
    units = _UNITS.get(col.kind, ())
    if col.kind is Kind.RANK and text.startswith("第"):
        text = text[1:]
    for unit in units:
        if text.endswith(unit):
            text = text[: -len(unit)]
            break
    if not _NUMBER.match(text):
        accepted = f",可带单位“{'”或“'.join(units)}”" if units else ""
        raise ValueError(f'{col.header} "{str(raw).strip()}" 不是{what}(文本形式的数字只能是数字本身{accepted})')
    return Decimal(text.replace(",", ""))


def _check_table(table: Table, source: str, sheet: str, problems: list[Problem]) -> None:
    """Checks across rows: names that differ only invisibly, unique units, unique 名次 within each ranking."""
    spec = table.spec
    _check_invisible(table, source, sheet, problems)
    if spec.key:
        seen: dict[str, int] = {}
        for index, row in enumerate(table.rows):
            key = row.get(spec.key)
            if key is None:
                continue
            if key in seen:
                first = table.cell(seen[key], spec.key)
                problems.append(
                    Problem(
                        f"{spec.column(spec.key).header}「{key}」重复(另见 {first}),每个单位只能有一行",
                        file=source,
                        sheet=sheet,
                        cell=table.cell(index, spec.key),
                    )
                )
            else:
                seen[key] = index
    if spec is schema.CADRES:
        _check_cadres(table, source, sheet, problems)
    _check_rank_ranges(table, source, sheet, problems)
    if spec is schema.MONITORING:
        for field_name in _MONITORING_RANKS:
            if not table.has(field_name):
                continue
            header = spec.column(field_name).header
            seen_rank: dict[tuple[str, int], int] = {}
            for index, row in enumerate(table.rows):
                value, area = row.get(field_name), row.get("area_type")
                if value is None or area is None:
                    continue
                if (area, value) in seen_rank:
                    first = table.cell(seen_rank[(area, value)], field_name)
                    label = "县(市)" if area == schema.COUNTY else "城区"
                    problems.append(
                        Problem(
                            f"{label}{header} {value} 重复(另见 {first});并列名次须由考评机关先行确定先后",
                            file=source,
                            sheet=sheet,
                            cell=table.cell(index, field_name),
                        )
                    )
                else:
                    seen_rank[(area, value)] = index


_MONITORING_RANKS = ("rank", "last_rank", "agriculture_rank", "industry_rank", "ecology_rank", "four_indicator_rank")


def _check_rank_ranges(table: Table, source: str, sheet: str, problems: list[Problem]) -> None:
    """Each rank within its ranking: in 县域监测 a 名次 (and a sub-ranking's) lies in 1..N of the rows of its type
    (县(市) or 城区), a 上年名次 in 1..N + LAST_RANK_MARGIN (last year's ranking is not known here; the rules
    check it against the history store's); an 排序 lies in 1..the sheet's rows. A rank beyond is a typing error
    or a missing row, and would give a 进位 of hundreds of places."""
    spec = table.spec
    if spec is schema.MONITORING:
        sizes: dict[str, int] = {}
        for row in table.rows:
            if row.get("area_type") is not None:
                sizes[row["area_type"]] = sizes.get(row["area_type"], 0) + 1
        for field_name in _MONITORING_RANKS:
            if not table.has(field_name):
                continue
            margin = schema.LAST_RANK_MARGIN if field_name == "last_rank" else 0
            header = spec.column(field_name).header
            for index, row in enumerate(table.rows):
                value, area = row.get(field_name), row.get("area_type")
                if value is None or area is None or value <= sizes[area] + margin:
                    continue
                label = "县(市)" if area == schema.COUNTY else "城区"
                if margin:
                    bound = (
                        f"应在 1 至 {sizes[area] + margin} 之间(本表有 {sizes[area]} 个{label},上年排名至多多出"
                        f" {margin} 个;上年名次以上年{label}排名为准)"
                    )
                else:
                    bound = f"超出{label}排名的范围:本表有 {sizes[area]} 个{label},名次应在 1 至 {sizes[area]} 之间"
                problems.append(
                    Problem(
                        f"{label}{header} {value} {bound};如缺少了一些{label}的行,请补齐",
                        file=source,
                        sheet=sheet,
                        cell=table.cell(index, field_name),
                    )
                )
    elif table.has("order"):
        size = len(table.rows)
        header = spec.column("order").header
        for index, row in enumerate(table.rows):
            value = row.get("order")
            if value is not None and value > size:
                problems.append(
                    Problem(
                        f"{header} {value} 超出本表的行数 {size}:排序是得分相同时的先后,应在 1 至 {size} 之间",
                        file=source,
                        sheet=sheet,
                        cell=table.cell(index, "order"),
                    )
                )


def _check_invisible(table: Table, source: str, sheet: str, problems: list[Problem]) -> None:
    """Two names of a column that look the same but are different text (a format character that is not
    default-ignorable, such as U+FFF9, or a private-use one, left in one of them): one unit or person to the
    reader, two to the rules. Both cells are named; which spelling is right is for the user to say."""
    for col in table.spec.columns:
        if col.kind not in (Kind.UNIT, Kind.PERSON, Kind.LABEL) or not table.has(col.field):
            continue
        first: dict[str, int] = {}  # each distinct name -> its first row
        for index, name in enumerate(table.column(col.field)):
            if name.__class__ is str and name not in first:
                first[name] = index
        looks: dict[str, str] = {}
        for name, index in first.items():
            seen = visible(name)
            other = looks.setdefault(seen, name)
            if other != name:
                problems.append(
                    Problem(
                        f"{col.header}「{seen}」与 {table.cell(first[other], col.field)} 看起来相同,但含有不可见的字符"
                        f"(如 U+{_invisible_code(name, other):04X}),会被当作两个名称:请重新输入这两个单元格",
                        file=source,
                        sheet=sheet,
                        cell=table.cell(index, col.field),
                    )
                )


def _invisible_code(name: str, other: str) -> int:
    """The first invisible code point of either name (for the message)."""
    return next(ord(c) for c in name + other if not c.isprintable() or c == " ")


def _check_cadres(table: Table, source: str, sheet: str, problems: list[Problem]) -> None:
    """干部编号 identifies one person: unique in a year's sheet. 总票数 may exceed the votes (abstentions), never fall short.
    Read by column; what is found is reported row by row, as the sheet is read."""
    found: list[tuple[int, int, Problem]] = []  # (row, which check, problem)
    seen: dict[str, int] = {}
    for index, cadre_id in enumerate(table.column("cadre_id")):
        if cadre_id is None:
            continue
        if cadre_id in seen:
            message = (
                f"干部编号「{cadre_id}」重复(另见 {table.cell(seen[cadre_id], 'cadre_id')}),同一编号只能是同一人的一行"
            )
            found.append((index, 0, Problem(message, file=source, sheet=sheet, cell=table.cell(index, "cadre_id"))))
        else:
            seen[cadre_id] = index
    if table.has("votes_total"):
        votes = zip(
            table.column("votes_total"),
            table.column("votes_excellent"),
            table.column("votes_competent"),
            table.column("votes_basic"),
            table.column("votes_incompetent"),
        )
        for index, (total, excellent, competent, basic, incompetent) in enumerate(votes):
            if total is None:
                continue
            cast = (excellent or 0) + (competent or 0) + (basic or 0) + (incompetent or 0)
            if total < cast:
                message = f"总票数 {total} 小于优秀、称职、基本称职、不称职票之和 {cast}"
                cell = table.cell(index, "votes_total")
                found.append((index, 1, Problem(message, file=source, sheet=sheet, cell=cell)))
    problems.extend(problem for _, _, problem in sorted(found, key=lambda item: item[:2]))
