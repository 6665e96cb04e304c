"""Results as pandas DataFrames, for analysts (`result.to_frame()`): one row per record, each column under the
Chinese header the workbook gives it. Scores and amounts stay exact (Decimal, Fraction: object columns, never
floats); a field that holds several values (优秀年度, 事实) is its text as the workbook shows it.

pandas is imported here, when a frame is asked for: the command line never loads it."""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanshi import results
from sanshi.rules.arith import percent

if TYPE_CHECKING:
    import pandas

    from sanshi.inputs.reader import Table
    from sanshi.inputs.schema import SheetSpec

_LIST_OF = re.compile(r"^list\[(\w+)\]$")


def parts(result: Any) -> dict[str, type]:
    """The lists of records a result holds (field name -> the record type), in the result's field order."""
    found = {}
    for f in fields(result):
        match = _LIST_OF.match(str(f.type))
        kind = getattr(results, match.group(1), None) if match else None
        if isinstance(kind, type) and is_dataclass(kind):
            found[f.name] = kind
    return found


def result_frame(result: Any, part: str) -> pandas.DataFrame:
    """One list of a result (`part`, e.g. "target_units") as a DataFrame."""
    kinds = parts(result)
    if part not in kinds:
        raise ValueError(f"{type(result).__name__} 没有「{part}」;可选:{'、'.join(kinds)}")
    return frame(getattr(result, part), kinds[part])


def frame(records: Any, kind: type) -> pandas.DataFrame:
    """Records of one type as a DataFrame: a column per field the type declares a header for, in its order."""
    import pandas

    shown = [f for f in fields(kind) if "header" in f.metadata]
    columns = {f.metadata["header"]: [_cell(getattr(r, f.name), f.metadata) for r in records] for f in shown}
    return pandas.DataFrame(columns, columns=list(columns), dtype=object)


def table_frame(spec: SheetSpec, table: Table | None) -> pandas.DataFrame:
    """An input table (a stored year's sheet) as a DataFrame: a column per column the sheet had, under its header,
    in the sheet's order; no table, no columns."""
    import pandas

    columns: dict[str, list[Any]] = {}
    if table is not None:
        columns = {col.header: table.column(col.field) for col in spec.columns if table.has(col.field)}
    return pandas.DataFrame(columns, columns=list(columns), dtype=object)


def _cell(value: Any, metadata: Any) -> Any:
    """A field's value for a cell: as it is, unless it holds several values (a tuple), which are written as text."""
    if not isinstance(value, tuple):
        return value
    text = metadata.get("text")
    if text is not None:
        return text(value)
    return ";".join(_phrase(item) for item in value)


def _phrase(item: Any) -> str:
    """One of several values as the terminal writes it: a fact as 事实:取值(年度), a 7(3) component as 考核 取值
    百分位, anything else as its text."""
    if isinstance(item, results.Fact):
        year = f"({item.year}年)" if item.year else ""
        return f"{item.what}:{item.value}{year}"
    if isinstance(item, results.Component):
        return f"{item.assessment}{item.value} {percent(item.percentile)}"
    return str(item)


SHOWN_ROWS = 20  # rows a long frame shows in the terminal (the first and last ten)


def frame_text(frame: pandas.DataFrame) -> str:
    """A frame for the terminal: CJK text measured as double width, a long frame's first and last rows, and a
    count of the whole."""
    import pandas

    with pandas.option_context("display.unicode.east_asian_width", True, "display.width", 0):
        shown = frame.astype(object).where(frame.notna(), "")  # an empty cell shows as nothing, not as None
        text = shown.to_string(index=False, max_rows=SHOWN_ROWS, min_rows=SHOWN_ROWS)
    return f"{text}\n共 {len(frame)} 行、{len(frame.columns)} 列"


def write_csv(frame: pandas.DataFrame, path: Path) -> None:
    """A frame as CSV with a byte order mark, so that Excel and WPS open it as UTF-8."""
    frame.to_csv(path, index=False, encoding="utf-8-sig")
