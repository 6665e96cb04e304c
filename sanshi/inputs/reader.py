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
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sanshi.errors import InputError, Problem, UsageError
from sanshi.inputs import schema
from sanshi.inputs.normalize import clean_text, column_letter, header_key, nfkc, unit_key
from sanshi.inputs.schema import Column, Kind, SheetSpec

# How far down a sheet the header row may sit (title rows, notes, merged banners).
HEADER_SEARCH_ROWS = 10
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_YES = {"是", "Y", "YES", "TRUE", "1"}
_NO = {"否", "N", "NO", "FALSE", "0"}


@dataclass
class Table:
    """One sheet's rows as {field: typed value}, plus where each row came from."""

    spec: SheetSpec
    rows: list[dict[str, Any]]
    columns: set[str]  # fields present as columns in the sheet
    row_numbers: list[int] = field(default_factory=list)  # Excel row of each row
    letters: dict[str, str] = field(default_factory=dict)  # field -> column letter

    def has(self, field_name: str) -> bool:
        return field_name in self.columns

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

    def table(self, sheet: str) -> Table | None:
        return self.tables.get(sheet)


def year_from_name(path: Path) -> int | None:
    """The assessment year written in a file name (2023.xlsx, 2023年考核.xlsx), if exactly one."""
    years = set(_YEAR_IN_NAME.findall(nfkc(path.stem)))
    return int(years.pop()) if len(years) == 1 else None


def resolve_year(path: Path, year: int | None) -> int:
    """--year wins; else the year in the file name; else a usage error."""
    if year is not None:
        return year
    found = year_from_name(path)
    if found is None:
        raise UsageError(f"无法从文件名 {path.name} 识别考核年度,请用 --year 指定(例如 --year 2023)")
    return found


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_workbook(path: Path) -> Book:
    """Read and validate every known sheet; raise InputError listing all problems."""
    source = path.name
    if not path.exists():
        raise InputError([Problem("文件不存在,请检查路径", file=str(path))])
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise InputError([Problem("不是 Excel 工作簿(应为 .xlsx 或 .xls)", file=source)])
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several error types for corrupt files
        raise InputError([Problem(f"无法打开工作簿({exc}),请确认文件未损坏且不是加密文件", file=source)]) from exc

    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    found = 0
    by_key = {}
    for sheet_name in workbook.sheet_names:
        by_key.setdefault(header_key(sheet_name), sheet_name)
    for spec in schema.SHEETS:
        names = [spec.name, *spec.aliases]
        actual = next((by_key[header_key(n)] for n in names if header_key(n) in by_key), None)
        if actual is None:
            continue
        found += 1
        grid = workbook.get_sheet_by_name(actual).to_python(skip_empty_area=False)
        table = _read_sheet(spec, grid, source, actual, problems)
        if table is not None:
            tables[spec.name] = table
    if not found:
        expected = "、".join(spec.name for spec in schema.SHEETS[:4])
        problems.append(Problem(f"没有可识别的工作表(应包含 {expected} 等),现有工作表:{'、'.join(workbook.sheet_names)}", file=source))
    for name, table in tables.items():
        _check_table(table, source, name, problems)
    if problems:
        raise InputError(problems)
    return Book(source=source, sha256=file_sha256(path), tables=tables)


def _header_map(spec: SheetSpec) -> dict[str, Column]:
    mapping: dict[str, Column] = {}
    for col in spec.columns:
        for name in (col.header, *col.aliases):
            mapping.setdefault(header_key(name), col)
    return mapping


def _find_header(spec: SheetSpec, mapping: dict[str, Column], grid: list[list[Any]]) -> int | None:
    """The index of the row that holds the most known headers, if any holds a required one."""
    required = {c.field for c in spec.columns if c.required}
    best, best_hits = None, 0
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        fields = {mapping[k].field for k in (header_key(str(v)) for v in row if isinstance(v, str)) if k in mapping}
        if fields & required and len(fields) > best_hits:
            best, best_hits = index, len(fields)
    return best


def _read_sheet(spec: SheetSpec, grid: list[list[Any]], source: str, sheet: str, problems: list[Problem]) -> Table | None:
    mapping = _header_map(spec)
    header_index = _find_header(spec, mapping, grid)
    required = [c for c in spec.columns if c.required]
    if header_index is None:
        names = "、".join(c.header for c in required)
        problems.append(Problem(f"找不到表头行:前{HEADER_SEARCH_ROWS}行中没有必填列 {names}", file=source, sheet=sheet))
        return None
    positions: dict[str, int] = {}
    present_headers: list[str] = []
    for index, value in enumerate(grid[header_index]):
        if not isinstance(value, str) or not value.strip():
            continue
        present_headers.append(value.strip())
        col = mapping.get(header_key(value))
        if col is None:
            continue  # extra columns are kept in the file and ignored here
        if col.field in positions:
            first = column_letter(positions[col.field])
            problems.append(
                Problem(f"列 {col.header} 出现两次(另见 {first}{header_index + 1}),请删除或改名其中一列",
                        file=source, sheet=sheet, cell=f"{column_letter(index)}{header_index + 1}")
            )
            continue
        positions[col.field] = index
    missing = False
    for col in required:
        if col.field not in positions:
            missing = True
            close = difflib.get_close_matches(col.header, present_headers, n=1, cutoff=0.4)
            hint = f",最接近的现有列是「{close[0]}」,如是同一列请把表头改为「{col.header}」" if close else ""
            problems.append(Problem(f"缺少必填列「{col.header}」{hint}", file=source, sheet=sheet, cell=f"第{header_index + 1}行"))
    if missing:
        return None

    by_field = {col.field: col for col in spec.columns}
    table = Table(spec=spec, rows=[], columns=set(positions),
                  letters={f: column_letter(i) for f, i in positions.items()})
    for row_index in range(header_index + 1, len(grid)):
        raw_row = grid[row_index]
        values = {f: (raw_row[i] if i < len(raw_row) else None) for f, i in positions.items()}
        if all(_is_blank(v) for v in values.values()):
            continue
        excel_row = row_index + 1
        parsed: dict[str, Any] = {}
        for field_name, raw in values.items():
            col = by_field[field_name]
            cell = f"{table.letters[field_name]}{excel_row}"
            if _is_blank(raw):
                if col.required:
                    problems.append(Problem(f"{col.header} 为空(必填)", file=source, sheet=sheet, cell=cell))
                parsed[field_name] = None
                continue
            try:
                parsed[field_name] = parse_cell(col, raw)
            except ValueError as exc:
                problems.append(Problem(str(exc), file=source, sheet=sheet, cell=cell))
                parsed[field_name] = None
        for col in spec.columns:
            parsed.setdefault(col.field, None)
        table.rows.append(parsed)
        table.row_numbers.append(excel_row)
    return table


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def parse_cell(col: Column, raw: Any) -> Any:
    """Parse one non-blank cell by its column kind; raise ValueError with a Chinese message."""
    kind = col.kind
    if kind in (Kind.TEXT,):
        return clean_text(_shown(raw))
    if kind is Kind.UNIT:
        return unit_key(_shown(raw))
    if kind is Kind.DECIMAL:
        return _decimal(col, raw)
    if kind in (Kind.COUNT, Kind.RANK):
        number = _decimal(col, raw, what="整数")
        if number != number.to_integral_value():
            raise ValueError(f'{col.header} "{_shown(raw)}" 不是整数')
        value = int(number)
        if kind is Kind.RANK and value < 1:
            raise ValueError(f'{col.header} "{_shown(raw)}" 应为从 1 开始的名次')
        if value < 0:
            raise ValueError(f'{col.header} "{_shown(raw)}" 不能为负数')
        return value
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
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        match = _DATE_TEXT.match(nfkc(str(raw)).strip())
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
        raise ValueError(f'{col.header} "{_shown(raw)}" 不是日期(例如 2023-12-01 或 2023年12月1日)')
    raise AssertionError(f"unhandled column kind {kind}")


def _decimal(col: Column, raw: Any, what: str = "数字") -> Decimal:
    if isinstance(raw, bool):
        raise ValueError(f'{col.header} "{raw}" 不是{what}')
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        # Excel stores doubles; repr() is the shortest decimal that round-trips, i.e. what Excel shows.
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueError(f'{col.header} "{raw}" 不是{what}')
        return Decimal(repr(raw))
    text = nfkc(str(raw)).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f'{col.header} "{str(raw).strip()}" 不是{what}') from None
    if not number.is_finite():
        raise ValueError(f'{col.header} "{str(raw).strip()}" 不是{what}')
    return number


def _check_table(table: Table, source: str, sheet: str, problems: list[Problem]) -> None:
    """Checks across rows: unique units, unique 名次 within each ranking."""
    spec = table.spec
    if spec.key:
        seen: dict[str, int] = {}
        for index, row in enumerate(table.rows):
            key = row.get(spec.key)
            if key is None:
                continue
            if key in seen:
                first = table.cell(seen[key], spec.key)
                problems.append(Problem(f"{spec.column(spec.key).header}「{key}」重复(另见 {first}),每个单位只能有一行",
                                        file=source, sheet=sheet, cell=table.cell(index, spec.key)))
            else:
                seen[key] = index
    if spec is schema.CADRES:
        _check_cadres(table, source, sheet, problems)
    if spec is schema.MONITORING:
        for field_name in ("rank", "last_rank", "agriculture_rank", "industry_rank", "ecology_rank", "four_indicator_rank"):
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
                    problems.append(Problem(f"{label}{header} {value} 重复(另见 {first});并列名次须由考评机关先行确定先后",
                                            file=source, sheet=sheet, cell=table.cell(index, field_name)))
                else:
                    seen_rank[(area, value)] = index


_VOTE_FIELDS = ("votes_excellent", "votes_competent", "votes_basic", "votes_incompetent")


def _check_cadres(table: Table, source: str, sheet: str, problems: list[Problem]) -> None:
    """干部编号 identifies one person: unique in a year's sheet. 总票数 may exceed the votes (abstentions), never fall short."""
    seen: dict[str, int] = {}
    for index, row in enumerate(table.rows):
        cadre_id = row.get("cadre_id")
        if cadre_id is not None:
            if cadre_id in seen:
                problems.append(Problem(f"干部编号「{cadre_id}」重复(另见 {table.cell(seen[cadre_id], 'cadre_id')}),"
                                        f"同一编号只能是同一人的一行", file=source, sheet=sheet,
                                        cell=table.cell(index, "cadre_id")))
            else:
                seen[cadre_id] = index
        total = row.get("votes_total")
        cast = sum(row.get(f) or 0 for f in _VOTE_FIELDS)
        if total is not None and total < cast:
            problems.append(Problem(f"总票数 {total} 小于优秀、称职、基本称职、不称职票之和 {cast}",
                                    file=source, sheet=sheet, cell=table.cell(index, "votes_total")))
