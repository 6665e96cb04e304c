"""The result workbooks for people: one sheet per result table, written with XlsxWriter.

Every sheet is a `Table` added with `write_table`: Chinese headers in row 1 (bold, frozen,
with an auto filter), one row per record with its clause and basis, widths from the content,
rows tall enough for wrapped text and an A4 print setup (`page_layout`). The blank input template
(`template_book`) and the history export use the same helper.

The sheets are assembled in memory (the results are there anyway) and written in one pass by
`save_workbook`: XlsxWriter lays out the package and each sheet's header, and the data rows are
written as sheet XML directly (a national year's 个人考核奖金 has tens of thousands of rows; see
`save_workbook`). Text is always written as text, so a unit name such as =HYPERLINK(...) from the
input never becomes a live formula.

A workbook may also hold a `ChartSheet`: native Excel charts, each printed on a page of its own, above the small
blocks of cells they draw (written cell by cell, so the charts' references stay inside the sheet and a reader can
check the numbers).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from sanshi.results import (
    POVERTY_EXCELLENT,
    TARGET_EXCELLENT,
    AWARD_ORDER,
    Award,
    AwardsResult,
    BonusLine,
    CadreQuota,
    ClauseList,
    CountyHead,
    DemotionsResult,
    DiffResult,
    DiffTotal,
    Exclusion,
    GroupCut,
    ImpactPeriod,
    InputChange,
    ListedRow,
    PendingAward,
    PromotedCadre,
    PromotedUnit,
    PromotionsResult,
    ResultChange,
    Trigger,
    UnitGrade,
    total_wan,
)
from sanshi.diffing import input_line, result_text
from sanshi.rules.arith import num, percent
from sanshi.rules.excellence import TARGET
from sanshi.writers.chartdata import (
    EXCELLENT_COLOUR,
    INK,
    OTHER_COLOUR,
    GroupScores,
    PrizeMatrix,
    group_scores,
    prize_matrix,
)
from sanshi.writers.files import ZIP_TIME
from sanshi.writers.wrap import display_width

MAX_WIDTH = 60
# The body font: 等线 (DengXian), Excel's default for Chinese since 2016, at 11 points. Its digit is 8 pixels wide,
# so Excel's default column is 8.38 characters, 72 pixels (Calibri's 7-pixel digit made it 64): the widths below
# are in those characters, and a Chinese character, 11 points = 14.7 pixels, takes less than two of them.
BODY_FONT = "等线"
BODY_SIZE = 11
DIGIT_PIXELS = 8
DEFAULT_COLUMN_PIXELS = 72
LINE_HEIGHT = (
    16  # points per line of 11-point text: a CJK face's line is 1.3 (等线) to 1.45 (Noto Sans CJK) of its size
)
HEADER_FILL = "#D9E1F2"
BANNER_FILL = "#F8CBAD"  # a what-if run's marker above every sheet: not the colour of any real result
TOTAL_LABEL = "合计"
YUAN_FORMAT = "#,##0.00"
COEFFICIENT_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
A4 = 9  # Excel's paper size code
# Every sheet prints on A4 with half-inch margins at the sides and three quarters at the top and bottom (room
# for the footer's page numbers). The printable part in pixels at 100% (96 a inch), as Excel lays out columns:
PIXELS_PER_INCH = 96
SIDE_MARGIN, END_MARGIN = 0.5, 0.75  # inches
A4_INCHES = (8.27, 11.69)
PORTRAIT_WIDTH = round((A4_INCHES[0] - 2 * SIDE_MARGIN) * PIXELS_PER_INCH)  # 698
LANDSCAPE_WIDTH = round((A4_INCHES[1] - 2 * SIDE_MARGIN) * PIXELS_PER_INCH)  # 1026
LANDSCAPE_HEIGHT = round((A4_INCHES[0] - 2 * END_MARGIN) * PIXELS_PER_INCH)  # 650
FOOTER = "&L&A&R第 &P 页,共 &N 页"  # the sheet's name; page n of N
# A sheet wider than the page is printed smaller, never below 8 points: 11-point text at 73% or more. The
# check asks 5% more, for a program whose Chinese font runs wider than Excel's (LibreOffice's does, by 2.5%).
MIN_PRINT_POINTS = 8
MIN_FIT_SCALE = MIN_PRINT_POINTS / BODY_SIZE * 1.05
# Before that, long text columns give up width (widest first, and then wrap) until the sheet fits at this scale,
# but none narrower than WRAP_FLOOR; a text column wider than LONG_TEXT may wrap although not declared so.
COMFORTABLE_SCALE = 0.8
WRAP_FLOOR = 20
LONG_TEXT = 24
ROWS_COMPRESSION = 1  # zlib level for the sheets' rows (see _package)
# Awards that belong to the two assessments, not to the county monitoring.
ASSESSMENT_AWARDS = (TARGET_EXCELLENT, POVERTY_EXCELLENT)

NumberFormat = str | Callable[[object], str] | None


def exact_format(value: object) -> str:
    """A number format showing as many decimals as the Decimal carries: 100, 95.5, 92.125.

    A fixed '0.##' would print integers with a dangling point ("100.") in Excel.
    """
    places = 0
    if isinstance(value, Decimal) and value.is_finite():
        places = max(0, -int(value.as_tuple().exponent))
    return "#,##0" + ("." + "0" * places if places else "")


def percent_format(value: object) -> str:
    """The number format of a ratio, with the places `arith.percent` writes it with: 35% for 7/20, 33.33% for 1/3."""
    if isinstance(value, (Fraction, Decimal, int)) and (value * 100) % 1 == 0:
        return "0%"
    return "0.00%"


@dataclass(frozen=True)
class TableColumn:
    """One output column: its Chinese header, how numbers in it look, whether text wraps."""

    header: str
    number_format: NumberFormat = None  # a format string, or a function of the cell's value
    wrap: bool = False


# The number formats of the kinds a result field declares (sanshi.results.shown).
NUMBER_FORMATS: dict[str, NumberFormat] = {
    "exact": exact_format,
    "yuan": YUAN_FORMAT,
    "coefficient": COEFFICIENT_FORMAT,
    "percent": percent_format,
    "date": DATE_FORMAT,
}
# A field a table shows as text through one of these functions is, in a workbook, a number with this format
# instead: a ratio written 35% elsewhere is the number 0.35 shown as 35%, which Excel can compute with.
TEXT_AS_NUMBER: dict[Callable[[Any], str], NumberFormat] = {percent: percent_format}


@dataclass(frozen=True)
class RecordTable:
    """A sheet's columns taken from the result records' own field declarations (header, number format, wrap and
    how the value shows as text), for the fields named in the order given; `extra` adds columns that are not
    fields (a property such as Trigger.tolerance_text), each with its header and how to get its value."""

    kind: type
    names: tuple[str, ...]
    extra: tuple[tuple[int, TableColumn, Callable[[Any], object]], ...] = ()  # (position, column, value)

    @property
    def columns(self) -> tuple[TableColumn, ...]:
        meta = {f.name: f.metadata for f in fields(self.kind)}
        columns = [
            TableColumn(
                meta[n]["header"],
                TEXT_AS_NUMBER.get(meta[n]["text"]) or NUMBER_FORMATS.get(meta[n]["number"] or ""),
                meta[n]["wrap"],
            )
            for n in self.names
        ]
        for position, column, _ in self.extra:
            columns.insert(position, column)
        return tuple(columns)

    def rows(self, records: Iterable[Any]) -> Iterable[list[object]]:
        shows = {
            f.name: None if f.metadata.get("text") in TEXT_AS_NUMBER else f.metadata.get("text")
            for f in fields(self.kind)
        }
        for record in records:
            row: list[object] = []
            for n in self.names:
                value, text = getattr(record, n), shows[n]
                row.append(text(value) if text is not None and value is not None else value)
            for position, _, value_of in self.extra:
                row.insert(position, value_of(record))
            yield row


def record_table(kind: type, *names: str) -> RecordTable:
    return RecordTable(kind, names)


@dataclass
class Table:
    """One sheet as it will be written: the rows plus what the writer adds around them."""

    title: str
    columns: Sequence[TableColumn]
    rows: list[Sequence[object]]
    total: Sequence[object] | None = None
    min_width: int = 8
    row_fills: dict[int, str] = field(default_factory=dict)  # data row index (0 = first row) -> colour
    # single cells: (data row index, column index) -> colour, over the row's fill (a diff's changed result)
    cell_fills: dict[tuple[int, int], str] = field(default_factory=dict)
    header_fills: dict[int, str] = field(default_factory=dict)  # column index -> colour instead of HEADER_FILL
    header_comments: dict[int, str] = field(default_factory=dict)  # column index -> note on the header cell
    # Excel data validations: (column index, last row index, XlsxWriter's data_validation options)
    validations: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True)
class ChartSeries:
    """One series of a `Chart`: the block's column holding its values (the column's header is the series' name)
    and its colour. A `threshold` series holds the same value on every row, such as the 名额线: it is drawn
    across all the categories rather than as a bar of its own."""

    column: int
    colour: str
    threshold: bool = False


@dataclass
class Chart:
    """A native column chart and the block of cells it draws on a `ChartSheet`: a bold title row (the chart's
    title), the header row, one row per category and an optional total row the chart leaves out."""

    title: str
    columns: Sequence[TableColumn]
    rows: list[Sequence[object]]
    category_column: int
    series: list[ChartSeries]
    category_axis: str  # the axis titles
    value_axis: str
    stacked: bool = False
    value_axis_scale: tuple[int, int, int] | None = None  # (min, max, major unit); None: from 0, as the program likes
    total: Sequence[object] | None = None


@dataclass
class ChartSheet:
    """A sheet of charts, one below the other; `note` is written instead when there is nothing to chart."""

    title: str
    charts: list[Chart]
    note: str = ""


@dataclass
class Workbook:
    """A result workbook being assembled: its document properties and its sheets, in order."""

    title: str
    stamp: datetime
    sheets: list[Table | ChartSheet] = field(default_factory=list)
    # A what-if run's marker (results.what_if_title): written above the header of every sheet and before the
    # document's title, so that no sheet of the workbook can be taken for the real list.
    banner: str = ""

    @property
    def sheetnames(self) -> list[str]:
        return [sheet.title for sheet in self.sheets]


def year_end(year: int) -> datetime:
    """The date a year's result workbook says it was created and modified: 31 December of the assessment
    year, not the clock, so that the same inputs give the same bytes (the date the run happened is in
    the run's manifest)."""
    return datetime(year, 12, 31)


def new_workbook(title: str, stamp: datetime = datetime(*ZIP_TIME)) -> Workbook:
    """An empty workbook dated `stamp` (by default 1980-01-01, the zip epoch, for workbooks that belong
    to no year such as the blank template)."""
    return Workbook(title, stamp)


def write_table(
    workbook: Workbook,
    title: str,
    columns: Sequence[TableColumn],
    rows: Iterable[Sequence[object]],
    *,
    total: Sequence[object] | None = None,
    min_width: int = 8,
) -> Table:
    """Add a sheet: bold frozen header row, the rows, an optional bold total row, widths, print setup.

    Values are converted for Excel (Decimal and Fraction become numbers, booleans 是/否).
    The auto filter covers the data rows only, so sorting never moves the total row.
    """
    table = Table(title, columns, list(rows), total, min_width)
    workbook.sheets.append(table)
    return table


def save_workbook(workbook: Workbook, path: Path) -> None:
    """Write the workbook to exactly `path` (the caller makes it atomic and checks overwrites).

    XlsxWriter lays out the package: document properties, styles, each sheet's header row, column widths,
    filter, frozen pane, print setup, data validations and notes. The data rows, which are almost all of
    the bytes, are then written as sheet XML directly (`_SheetRows`): XlsxWriter spends several
    microseconds of Python on every cell, which at a national year's 650,000 cells was most of the run
    (benchmarks/RESULTS.md). A `ChartSheet` is small and written whole by XlsxWriter, which needs its cells
    to fill the charts' caches. The bytes depend only on the content: the document is dated `workbook.stamp`
    and every zip entry `ZIP_TIME`, so two runs on the same inputs give the same file."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_format_properties": {"font_name": BODY_FONT, "font_size": BODY_SIZE},
            "default_column_width": DEFAULT_COLUMN_PIXELS,
        },
    )
    title = f"{workbook.banner} {workbook.title}" if workbook.banner else workbook.title
    book.set_properties({"title": title, "author": "sanshi", "created": workbook.stamp})
    styles = _Styles(book)
    bodies: dict[str, _SheetRows] = {}
    for position, sheet in enumerate(workbook.sheets, start=1):
        if isinstance(sheet, ChartSheet):
            _write_chart_sheet(book, styles, sheet, workbook.banner)
            continue
        rows = _write_sheet(book, styles, sheet, workbook.banner)
        if rows is not None:
            bodies[f"xl/worksheets/sheet{position}.xml"] = rows
    book.close()
    _package(buffer, path, bodies)


class _Styles:
    """XlsxWriter formats, one per combination used (a workbook may hold only so many), and their indices
    in styles.xml for the rows written directly. A number (or date) sits one indent in from the right of its cell,
    so that it never runs into the text of the next column ("100鼓励激励办法"); a header is centred, and so are
    short values under a header as wide (a rank and a grade side by side read "1  优秀", not "1优秀")."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self._book = book
        self._formats: dict[tuple[object, ...], Any] = {}
        self._indices: dict[tuple[object, ...], int] = {}

    def get(
        self,
        number_format: str | None = None,
        wrap: bool = False,
        bold: bool = False,
        fill: str | None = None,
        kind: str = "text",
    ) -> Any:
        """`kind`: "text", "number" (right, one indent in), "centre" or "header" (centred both ways)."""
        key = (number_format, wrap, bold, fill, kind)
        found = self._formats.get(key)
        if found is None:
            options: dict[str, object] = {"valign": "top", "text_wrap": wrap, "bold": bold}
            if kind == "number":
                options.update(align="right", indent=1)
            elif kind == "centre":
                options.update(align="center")
            elif kind == "header":
                options.update(align="center", valign="vcenter")
            if number_format is not None:
                options["num_format"] = number_format
            if fill is not None:
                options.update(pattern=1, bg_color=fill)
            found = self._formats[key] = self._book.add_format(options)
        return found

    def index(
        self,
        number_format: str | None = None,
        wrap: bool = False,
        bold: bool = False,
        fill: str | None = None,
        kind: str = "text",
    ) -> int:
        """The style's cell-format index (the s="" of a cell). Asking for it is what makes XlsxWriter write the
        format into styles.xml; it is the one private XlsxWriter call here (Format._get_xf_index)."""
        key = (number_format, wrap, bold, fill, kind)
        found = self._indices.get(key)
        if found is None:
            found = self._indices[key] = self.get(*key)._get_xf_index()
        return found


def _write_banner(sheet: Any, styles: _Styles, banner: str) -> int:
    """A what-if run's marker in the sheet's first row, bold and red; returns the row where the sheet's own content
    starts (1 under a banner, else 0)."""
    if not banner:
        return 0
    sheet.write_string(0, 0, banner, styles.get(bold=True, fill=BANNER_FILL))
    return 1


def _write_sheet(book: xlsxwriter.Workbook, styles: _Styles, table: Table, banner: str = "") -> _SheetRows | None:
    """The sheet with its header row (under a what-if run's `banner`) and settings; the data rows to write into
    it (None if it has none)."""
    sheet = book.add_worksheet(table.title)
    top = _write_banner(sheet, styles, banner)
    columns = table.columns
    body = [[excel_value(value) for value in row] for row in table.rows]  # "" becomes None: no value
    total = [excel_value(value) for value in table.total] if table.total is not None else None
    every = body + ([total] if total else [])
    natural = _fit_widths(columns, every, table.min_width)
    page = page_layout(columns, natural)
    header_lines = max(_line_count(column.header, width) for column, width in zip(columns, page.widths))
    if header_lines > 1:
        sheet.set_row(top, LINE_HEIGHT * header_lines)
    for index, column in enumerate(columns):
        sheet.set_column(index, index, page.widths[index])
        fill = table.header_fills.get(index, HEADER_FILL)
        sheet.write_string(top, index, column.header, styles.get(wrap=True, bold=True, fill=fill, kind="header"))
        if index in table.header_comments:
            sheet.write_comment(top, index, table.header_comments[index], {"author": "sanshi"})
    last = len(columns) - 1
    sheet.autofilter(top, 0, top + len(body), last)
    sheet.freeze_panes(top + 1, 0)
    for index, last_row, options in table.validations:
        sheet.data_validation(top + 1, index, top + last_row, index, options)
    page.apply(sheet)
    sheet.repeat_rows(0, top)
    if not body and total is None:
        return None
    rows = _SheetRows(styles, columns, page.widths, page.wraps, _centred(columns, every), top)
    cell_fills: dict[int, dict[int, str]] = defaultdict(dict)  # data row index -> column index -> colour
    for (row, column), colour in table.cell_fills.items():
        cell_fills[row][column] = colour
    for number, (values, given) in enumerate(zip(body, table.rows), start=1):
        rows.add(
            top + number, values, given, fill=table.row_fills.get(number - 1), cell_fills=cell_fills.get(number - 1)
        )
    if total is not None:
        rows.add(top + len(body) + 1, total, table.total, bold=True)
    # A styled blank in the last cell gives the sheet its true <dimension>; its row is replaced by the rows.
    sheet.write_blank(rows.last_row, last, None, styles.get())
    return rows


def _centred(columns: Sequence[TableColumn], rows: Sequence[Sequence[object]]) -> list[bool]:
    """The columns of words and plain whole numbers (not amounts, which have a number format) no wider than their
    header (名次, 等次, 是否优秀): centred."""
    centred = []
    for index, column in enumerate(columns):
        values = {row[index] for row in rows} - {None}
        centred.append(
            bool(values)
            and column.number_format is None
            and all(isinstance(value, (str, int)) for value in values)
            and max(display_width(str(value)) for value in values) <= display_width(column.header)
        )
    return centred


def column_pixels(width: float) -> int:
    """A column's width in pixels at 100%, as Excel draws it with the body font: 8 a character plus 5 of padding."""
    return round(width * DIGIT_PIXELS) + 5


@dataclass(frozen=True)
class PageLayout:
    """How a sheet prints: its columns' widths (long text narrowed to fit the page, then wrapped), which columns
    wrap, the orientation, and whether it is scaled to the page's width or printed at a set scale (percent)."""

    widths: list[float]
    wraps: list[bool]
    landscape: bool
    fit_to_width: bool
    scale: int = 100

    def apply(self, sheet: Any) -> None:
        """A4, the margins, the page numbers in the footer, the orientation and the scale."""
        sheet.set_paper(A4)
        sheet.set_margins(left=SIDE_MARGIN, right=SIDE_MARGIN, top=END_MARGIN, bottom=END_MARGIN)
        sheet.set_footer(FOOTER)
        if self.landscape:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        if self.fit_to_width:
            sheet.fit_to_pages(1, 0)
        elif self.scale != 100:
            sheet.set_print_scale(self.scale)


def page_layout(columns: Sequence[TableColumn], natural: Sequence[float]) -> PageLayout:
    """Portrait when the columns fit its width, else landscape. Columns too wide for landscape at 100% are printed
    to the page's width if that keeps the text at 8 points or more, after the long text columns (those declared to
    wrap, and any wider than LONG_TEXT) have been narrowed, widest first, to fit at COMFORTABLE_SCALE or down to
    WRAP_FLOOR. Wider still (many wide columns), the sheet prints at 8 points over more than one page across."""
    widths = list(natural)
    wraps = [column.wrap for column in columns]
    width = sum(map(column_pixels, widths))
    if width <= PORTRAIT_WIDTH:
        return PageLayout(widths, wraps, landscape=False, fit_to_width=False)
    if width <= LANDSCAPE_WIDTH:
        return PageLayout(widths, wraps, landscape=True, fit_to_width=False)
    long_text = [
        index
        for index, column in enumerate(columns)
        if (column.wrap or natural[index] > LONG_TEXT) and column.number_format is None and natural[index] > WRAP_FLOOR
    ]
    excess = width - LANDSCAPE_WIDTH / COMFORTABLE_SCALE
    level = max((natural[index] for index in long_text), default=0)
    # Lower a common level over the long columns, a character at a time, until enough width is given up.
    while long_text and excess > 0 and level > WRAP_FLOOR:
        level -= 1
        given = sum(column_pixels(natural[i]) - column_pixels(min(natural[i], level)) for i in long_text)
        if given >= excess:
            break
    for index in long_text:
        if natural[index] > level:
            widths[index] = level
            wraps[index] = True
    width = sum(map(column_pixels, widths))
    if math.floor(100 * LANDSCAPE_WIDTH / width) >= 100 * MIN_FIT_SCALE:
        return PageLayout(widths, wraps, landscape=True, fit_to_width=True)
    return PageLayout(widths, wraps, landscape=True, fit_to_width=False, scale=math.ceil(100 * MIN_FIT_SCALE))


_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (1900 date system), for dates from 1900-03-01 on
_XML_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]|_x[0-9A-Fa-f]{4}_")


def _xml_text(value: str) -> str:
    """Text for an inline string: XML's three specials escaped, control characters as Excel's _xHHHH_,
    and a literal _xHHHH_ kept literal (its underscore escaped, as Excel does)."""
    if not _XML_SPECIAL.search(value):
        return value
    value = re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"_x{ord(m.group()):04X}_", value)


class _SheetRows:
    """A sheet's data rows as SpreadsheetML, each cell by its type: text always as an inline string (so text
    from the input such as =HYPERLINK(...) is never a formula), numbers as numbers, dates as Excel serial
    numbers with a date format; each row as tall as its wrapped text needs."""

    def __init__(
        self,
        styles: _Styles,
        columns: Sequence[TableColumn],
        widths: Sequence[float],
        wraps: Sequence[bool],
        centred: Sequence[bool],
        top: int = 0,
    ) -> None:
        self.styles, self.columns, self.wraps, self.centred = styles, columns, wraps, centred
        self.top = top  # the rows XlsxWriter writes above the header row (a what-if banner)
        self.letters = [xl_col_to_name(index) for index in range(len(columns))]
        self.wrapped = [(index, widths[index]) for index, wrap in enumerate(wraps) if wrap]
        # Each column's style for text, and for a number whose format does not depend on its value.
        self.text = [self._style(index, "") for index in range(len(columns))]
        self.number = [self._style(index, 0) for index in range(len(columns))]
        self.xml: list[str] = []
        self.last_row = 0
        self._lines: dict[tuple[object, float], int] = {}  # a 依据 repeated on thousands of rows is measured once

    def _style(self, index: int, value: object, bold: bool = False, fill: str | None = None) -> int:
        fmt = self.columns[index].number_format
        if callable(fmt):
            fmt = fmt(value)
        if isinstance(value, (datetime, date)):
            fmt = fmt or DATE_FORMAT
        kind = "centre" if self.centred[index] else "text" if isinstance(value, str) else "number"
        return self.styles.index(fmt, self.wraps[index], bold, fill, kind)

    def add(
        self,
        number: int,
        values: Sequence[object],
        given: Sequence[object],
        *,
        bold: bool = False,
        fill: str | None = None,
        cell_fills: dict[int, str] | None = None,
    ) -> None:
        """Row `number` (0-based, as XlsxWriter counts; the header is row 0): `values` as Excel stores them,
        `given` as the result holds them (a format such as `exact_format` looks at the Decimal's places);
        `cell_fills` colours single cells (column index -> colour) over the row's `fill`."""
        row = number + 1
        lines = 1
        for index, width in self.wrapped:
            key = (values[index], width)
            if key not in self._lines:
                self._lines[key] = _line_count(*key)
            lines = max(lines, self._lines[key])
        height = f' ht="{LINE_HEIGHT * lines}" customHeight="1"' if lines > 1 else ""
        row_special = bold or fill is not None
        cells = []
        for index, (column, letter, value, original) in enumerate(zip(self.columns, self.letters, values, given)):
            kind = value.__class__
            colour = cell_fills.get(index, fill) if cell_fills else fill
            special = row_special or colour is not None
            if special or (kind is not str and (callable(column.number_format) or kind in (datetime, date))):
                style = self._style(index, original if kind is not str else value, bold, colour)
            else:
                style = self.text[index] if kind is str else self.number[index]
            if value is None:
                if special:
                    cells.append(f'<c r="{letter}{row}" s="{style}"/>')
            elif kind is str:
                space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                cells.append(
                    f'<c r="{letter}{row}" s="{style}" t="inlineStr"><is><t{space}>{_xml_text(value)}</t></is></c>'
                )
            elif kind is datetime or kind is date:
                moment = value if kind is datetime else datetime(value.year, value.month, value.day)
                serial = (moment - _EPOCH) / timedelta(days=1)
                cells.append(f'<c r="{letter}{row}" s="{style}"><v>{serial:.16g}</v></c>')
            else:
                cells.append(f'<c r="{letter}{row}" s="{style}"><v>{value!r}</v></c>')
        self.xml.append(f'<row r="{row}"{height}>{"".join(cells)}</row>')
        self.last_row = number


def _package(buffer: io.BytesIO, path: Path, bodies: dict[str, _SheetRows]) -> None:
    """Copy XlsxWriter's package to `path`, each sheet in `bodies` with its rows after the header row."""
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info)
            rows = bodies.get(info.filename)
            if rows is None:
                target.writestr(entry, data)
                continue
            # The rows are most of the file's bytes: zlib's fastest level deflates them three times faster than its
            # default for a fifth more size (ZipInfo._compresslevel is what ZipFile.open reads for an entry).
            entry._compresslevel = ROWS_COMPRESSION
            xml = data.decode("utf-8")
            header_end = xml.index("<sheetData>")
            for _ in range(rows.top + 1):  # past the banner, if any, and the header row
                header_end = xml.index("</row>", header_end) + len("</row>")
            with target.open(entry, "w", force_zip64=True) as stream:
                stream.write(xml[:header_end].encode("utf-8"))
                for start in range(0, len(rows.xml), 5000):
                    stream.write("".join(rows.xml[start : start + 5000]).encode("utf-8"))
                stream.write(xml[xml.index("</sheetData>") :].encode("utf-8"))


def excel_value(value: object) -> object:
    """A value as Excel should store it: exact numbers become int or float, booleans 是/否, "" no value."""
    kind = value.__class__
    if kind is str:
        return value or None
    if kind is int or kind is float or value is None:
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if value == "":
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else float(value)
    return value


def _text(value: object) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, (datetime, date)) else str(value)


def _fit_widths(columns: Sequence[TableColumn], rows: Sequence[Sequence[object]], min_width: int) -> list[float]:
    widths = []
    for index, column in enumerate(columns):
        longest = display_width(column.header)
        for text in {_text(value) for value in {row[index] for row in rows} if value is not None}:  # each once
            if len(text) * 2 > longest:  # no character is wider than 2
                longest = max(longest, display_width(text))
                if longest >= MAX_WIDTH:
                    break  # past the cap the exact width does not matter
        # +2 leaves room for the auto filter's drop-down arrow.
        widths.append(min(MAX_WIDTH, max(min_width, longest + 2)))
    return widths


def _line_count(value: object, width: float) -> int:
    """Lines wrapped text takes in a column: spreadsheet programs do not grow rows when printing a file
    they did not lay out themselves, and a clipped 依据 in a printed list is a defect."""
    if value is None:
        return 1
    usable = max(1, int(width) - 1)
    text = _text(value)
    if len(text) * 2 <= usable:
        return 1  # fits even if every character is wide
    return sum(-(-max(1, display_width(part)) // usable) for part in text.split("\n"))


# ---- chart sheets ---------------------------------------------------------------------

CHART_HEADER_WIDTH = 8  # a longer header of a chart's data block wraps rather than widening its column
CHART_MIN_WIDTH = 960  # pixels: a chart narrower than its data block's columns is widened with blank ones
CHART_ROW_POINTS = 409  # the tallest row Excel allows; each chart stands in one row of its own
CHART_INSET = 6  # pixels between a chart and the edges of its row
# What a chart's text measures on paper (points), whatever the scale the sheet prints at.
CHART_FONT_POINTS = {"label": 9, "axis": 10, "title": 13}
UPRIGHT_NAMES = 12  # with more categories than this, their names are turned to run up the page
# Room for a spreadsheet program that lays out columns wider than Excel (LibreOffice's Chinese digit: 2.5%).
CHART_PAGE_SLACK = 1.05


def _write_chart_sheet(book: xlsxwriter.Workbook, styles: _Styles, chart_sheet: ChartSheet, banner: str = "") -> None:
    """The charts first, one below the other, each alone in a row as tall as Excel allows and a page of its own
    when printed (A4 landscape, a page break after each chart's row, the print area just the charts' rows and
    columns, one scale that fits the widest); then, below them, the block of cells each chart draws (its title,
    header, rows and total), which a reader can check the chart against but which is not printed (the data
    sheets hold the same numbers)."""
    sheet = book.add_worksheet(chart_sheet.title)
    first = _write_banner(sheet, styles, banner)  # the charts start under a what-if run's banner
    if not chart_sheet.charts:
        sheet.set_column(0, 0, MAX_WIDTH)
        sheet.write_string(first, 0, chart_sheet.note, styles.get(wrap=True))
        PageLayout([MAX_WIDTH], [True], landscape=False, fit_to_width=False).apply(sheet)
        return
    widths = _chart_widths(chart_sheet.charts)
    while sum(map(column_pixels, widths)) < CHART_MIN_WIDTH:
        widths.append(10)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    area = sum(map(column_pixels, widths))
    scale = min(100, math.floor(100 * LANDSCAPE_WIDTH / (area * CHART_PAGE_SLACK)))
    PageLayout(widths, [False] * len(widths), landscape=True, fit_to_width=False, scale=scale).apply(sheet)
    # The row as tall as the page allows at that scale, in points (3/4 of a pixel), within Excel's limit.
    row_points = min(CHART_ROW_POINTS, math.floor(LANDSCAPE_HEIGHT * 0.75 * 100 / scale / CHART_PAGE_SLACK))
    size = (area - 2 * CHART_INSET, math.floor(row_points * 4 / 3) - 2 * CHART_INSET)
    count = len(chart_sheet.charts)
    top = first + count + 1  # a blank row between the charts and the first block
    for row, chart in enumerate(chart_sheet.charts, start=first):
        sheet.set_row(row, row_points)
        drawn = _native_chart(book, sheet.name, chart, top, size, 100 / scale)
        sheet.insert_chart(row, 0, drawn, {"x_offset": CHART_INSET, "y_offset": CHART_INSET})
        top = _write_block(sheet, styles, chart, top, widths)
    sheet.set_h_pagebreaks(list(range(first + 1, first + count)))
    sheet.print_area(0, 0, first + count - 1, len(widths) - 1)


def _chart_widths(charts: Sequence[Chart]) -> list[float]:
    """Each column's width over all the blocks stacked in it: the longest value, or the header up to
    CHART_HEADER_WIDTH (longer headers wrap)."""
    widths: list[float] = []
    for chart in charts:
        rows = [*chart.rows, *([chart.total] if chart.total is not None else [])]
        for index, column in enumerate(chart.columns):
            values = [excel_value(row[index]) for row in rows]
            longest = max(
                [
                    min(display_width(column.header), CHART_HEADER_WIDTH),
                    *(display_width(_text(value)) for value in values if value is not None),
                ]
            )
            width = min(MAX_WIDTH, max(6, longest + 2))
            if index < len(widths):
                widths[index] = max(widths[index], width)
            else:
                widths.append(width)
    return widths


def _write_block(sheet: Any, styles: _Styles, chart: Chart, top: int, widths: Sequence[float]) -> int:
    """`chart`'s block from row `top`: its title, header, rows and total. Returns the row where the next block
    starts, one blank row below."""
    sheet.write_string(top, 0, chart.title, styles.get(bold=True))
    header = top + 1
    lines = max(_line_count(column.header, widths[index]) for index, column in enumerate(chart.columns))
    if lines > 1:
        sheet.set_row(header, LINE_HEIGHT * lines)
    for index, column in enumerate(chart.columns):
        sheet.write_string(
            header, index, column.header, styles.get(wrap=True, bold=True, fill=HEADER_FILL, kind="header")
        )
    for row, values in enumerate(chart.rows, start=header + 1):
        _write_cells(sheet, styles, row, chart.columns, values)
    last = header + len(chart.rows)
    if chart.total is not None:
        last += 1
        _write_cells(sheet, styles, last, chart.columns, chart.total, bold=True)
    return last + 2


def _write_cells(
    sheet: Any, styles: _Styles, row: int, columns: Sequence[TableColumn], values: Sequence[object], bold: bool = False
) -> None:
    """One row of a chart's block: numbers as numbers, text always as text (a unit name is never a formula)."""
    for index, (column, value) in enumerate(zip(columns, values)):
        stored = excel_value(value)
        if stored is None:
            continue
        fmt = column.number_format(value) if callable(column.number_format) else column.number_format
        if isinstance(stored, str):
            sheet.write_string(row, index, stored, styles.get(fmt, column.wrap, bold))
        else:
            sheet.write_number(row, index, stored, styles.get(fmt, column.wrap, bold, kind="number"))


def _native_chart(
    book: xlsxwriter.Workbook, sheet_name: str, chart: Chart, top: int, size: tuple[int, int], enlarge: float
) -> Any:
    """The XlsxWriter chart of the block whose title is in row `top`, header in the row below: columns (stacked
    when the chart says so), a threshold series as a dashed line across them, `size` pixels, its text `enlarge`
    times its size on paper (the sheet prints smaller)."""
    header = top + 1
    last = header + len(chart.rows)

    def cells(column: int) -> list[object]:
        return [sheet_name, header + 1, column, last, column]

    def font(role: str, **more: object) -> dict[str, object]:
        return {"name": BODY_FONT, "size": round(CHART_FONT_POINTS[role] * enlarge * 2) / 2, **more}

    drawn = book.add_chart({"type": "column", "subtype": "stacked" if chart.stacked else None})
    line = None
    for series in chart.series:
        # The legend name is the column's header: no text of the chart is parsed as a formula.
        common = {
            "name": [sheet_name, header, series.column],
            "categories": cells(chart.category_column),
            "values": cells(series.column),
        }
        if not series.threshold:
            drawn.add_series(
                {**common, "fill": {"color": series.colour}, "border": {"none": True}, "overlap": 100, "gap": 60}
            )
        else:
            line = line or book.add_chart({"type": "line"})
            line.add_series(
                {
                    **common,
                    "marker": {"type": "none"},
                    "line": {"color": series.colour, "width": 2, "dash_type": "dash"},
                }
            )
    if line is not None:
        drawn.combine(line)
    value: dict[str, object] = {
        "name": chart.value_axis,
        "name_font": font("axis", bold=True),
        "num_font": font("label"),
    }
    if chart.value_axis_scale is not None:
        low, high, step = chart.value_axis_scale
        value.update(min=low, max=high, major_unit=step)
    # Many names stand upright, turned a quarter (a slant would take two columns' room and lose every other name).
    turned = {"rotation": -90} if len(chart.rows) > UPRIGHT_NAMES else {}
    drawn.set_x_axis(
        {
            "name": chart.category_axis,
            "name_font": font("axis", bold=True),
            "num_font": font("label", **turned),
            "interval_unit": 1,
        }
    )
    drawn.set_y_axis(value)
    drawn.set_title({"name": [sheet_name, top, 0], "name_font": font("title", bold=True)})
    drawn.set_legend({"position": "bottom", "font": font("label")})
    drawn.set_size({"width": size[0], "height": size[1]})
    return drawn


# ---- the awards workbook -------------------------------------------------------------

PRIZE_SUMMARY_COLUMNS = (TableColumn("单位"), TableColumn("奖项"), TableColumn("奖励金额(万元)", exact_format))
NOTE_COLUMNS = (TableColumn("项目"), TableColumn("提示", wrap=True))
UNIT_GRADES = record_table(UnitGrade, "group", "unit", "score", "rank", "grade", "excellent", "clause", "basis")
CUTS = record_table(
    GroupCut,
    "assessment",
    "group",
    "units",
    "ratio",
    "rounding",
    "quota",
    "eligible",
    "excellent",
    "cut_score",
    "clause",
    "basis",
)
CADRE_QUOTAS = record_table(CadreQuota, "unit", "grade", "staff", "ratio", "quota", "clause", "basis")
COUNTY_AWARDS = record_table(Award, "award", "unit", "tier", "amount_wan", "clause", "basis")
BONUS = record_table(
    BonusLine,
    "name",
    "unit",
    "unit_grade",
    "cadre_grade",
    "coefficient",
    "base_amount_yuan",
    "amount_yuan",
    "clause",
    "basis",
)
PENDING = record_table(PendingAward, "unit", "award", "clause", "missing")
CHART_SHEET = "图表"
PENDING_SHEET = "未能判定"


def write_awards_xlsx(result: AwardsResult, path: Path) -> None:
    """Write the awards result to exactly `path` (the caller makes it atomic and checks overwrites)."""
    workbook = new_workbook(f"{result.year}年度考核奖励结果", year_end(result.year))
    workbook.banner = result.what_if_title
    write_table(workbook, "目标责任考核等次", UNIT_GRADES.columns, UNIT_GRADES.rows(result.target_units))
    write_table(workbook, "优秀名额测算", CUTS.columns, CUTS.rows(result.cuts))
    write_table(workbook, "干部优秀名额", CADRE_QUOTAS.columns, CADRE_QUOTAS.rows(result.cadre_quotas))
    _write_county_awards(workbook, result)
    if result.undetermined:
        write_table(workbook, PENDING_SHEET, PENDING.columns, PENDING.rows(result.undetermined))
    write_table(workbook, "脱贫攻坚", UNIT_GRADES.columns, UNIT_GRADES.rows(result.poverty_units))
    _write_prize_summary(workbook, result)
    write_table(workbook, "个人考核奖金", BONUS.columns, BONUS.rows(result.bonus))
    _write_charts(workbook, result)
    write_table(workbook, "提示", NOTE_COLUMNS, _note_rows(result))
    save_workbook(workbook, path)


def _write_county_awards(workbook: Workbook, result: AwardsResult) -> None:
    """县域奖励: the county monitoring titles and prizes, grouped by award, with a total (which says what is
    pending: those rows are on the 未能判定 sheet)."""
    county = [a for a in result.awards if a.award not in ASSESSMENT_AWARDS]
    county.sort(key=lambda a: AWARD_ORDER.index(a.award) if a.award in AWARD_ORDER else len(AWARD_ORDER))
    rows = list(COUNTY_AWARDS.rows(county))
    total = total_wan(county)
    write_table(
        workbook,
        "县域奖励",
        COUNTY_AWARDS.columns,
        rows,
        total=(TOTAL_LABEL, None, None, total, None, _pending_note(result)),
    )


def _pending_note(result: AwardsResult) -> str | None:
    """What a total row says of the awards it leaves out because they are not decided."""
    if not result.undetermined:
        return None
    return f"另有 {result.pending_count} 项待定(未能判定,未计入合计):见「{PENDING_SHEET}」表"


def _write_prize_summary(workbook: Workbook, result: AwardsResult) -> None:
    """奖金汇总: each unit's prize money over all its awards, largest first, with the grand total."""
    by_unit: dict[str, list[Award]] = defaultdict(list)
    for award in result.awards:
        if award.amount_wan is not None:
            by_unit[award.unit].append(award)
    lines = [(unit, "、".join(a.award for a in awards), total_wan(awards)) for unit, awards in by_unit.items()]
    lines.sort(key=lambda line: (-line[2], line[0]))
    write_table(
        workbook,
        "奖金汇总",
        PRIZE_SUMMARY_COLUMNS,
        lines,
        total=(TOTAL_LABEL, _pending_note(result), result.total_amount_wan),
    )


def _write_charts(workbook: Workbook, result: AwardsResult) -> None:
    """图表: each 目标责任考核 group's scores against its 名额线, then the prize money by unit and award. With nothing
    to chart the sheet says so, so that the workbook has the same sheets every year."""
    charts = [_score_chart(group) for group in group_scores(result.target_units, result.cuts, TARGET)]
    matrix = prize_matrix(result.awards)
    if matrix.units:
        charts.append(_prize_chart(matrix))
    workbook.sheets.append(ChartSheet(CHART_SHEET, charts, "本年度没有目标责任考核得分和奖励资金,没有图表。"))


def _score_chart(group: GroupScores) -> Chart:
    """One group's 综合得分 in rank order, 优秀 units in their own series, and the 名额线 (the lowest 优秀 score)
    on every unit. The value axis starts a point below the lowest whole score, so that differences show."""
    cut = group.cut.cut_score if group.cut is not None else None
    columns = [
        TableColumn("名次"),
        TableColumn("单位"),
        TableColumn("综合得分(优秀)", exact_format),
        TableColumn("综合得分(其他)", exact_format),
    ]
    rows: list[list[object]] = [
        [u.rank, u.unit, u.score if u.excellent else None, None if u.excellent else u.score] for u in group.units
    ]
    series = [ChartSeries(2, EXCELLENT_COLOUR), ChartSeries(3, OTHER_COLOUR)]  # as in the year report
    if cut is not None:
        columns.append(TableColumn(f"名额线 {num(cut)}", exact_format))
        series.append(ChartSeries(4, INK, threshold=True))
        for row in rows:
            row.append(cut)
    title = f"{group.title}:综合得分" + ("与优秀名额线" if cut is not None else "")
    return Chart(
        title,
        columns,
        rows,
        1,
        series,
        "单位(按名次)",
        "综合得分",
        value_axis_scale=_score_axis_scale([u.score for u in group.units]),
    )


def _score_axis_scale(scores: Sequence[Decimal]) -> tuple[int, int, int]:
    """A score chart's value axis (min, max, major unit): from a point below the lowest whole score to a point above
    the highest, so that differences of a point or two show, widened to whole ticks of 1, 2, 5, 10, 20 ... points,
    at most 12 of them."""
    low, high = math.floor(min(scores)) - 1, math.floor(max(scores)) + 1
    step = 1
    while high - low > 12 * step:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return low // step * step, -(-high // step) * step, step


def _prize_chart(matrix: PrizeMatrix) -> Chart:
    """Prize money stacked by award, one bar per unit, largest total first, with the grand total in the title."""
    columns = [
        TableColumn("序号"),
        TableColumn("单位"),
        *(TableColumn(name, exact_format) for name in matrix.awards),
        TableColumn(TOTAL_LABEL, exact_format),
    ]
    rows = [
        [number, u.unit, *(u.amounts.get(name) for name in matrix.awards), u.total]
        for number, u in enumerate(matrix.units, start=1)
    ]
    series = [ChartSeries(2 + index, matrix.colour(name)) for index, name in enumerate(matrix.awards)]
    return Chart(
        f"奖励资金:按单位和奖项(合计{num(matrix.total)}万元)",
        columns,
        rows,
        1,
        series,
        "单位",
        "万元",
        stacked=True,
        total=[TOTAL_LABEL, None, *matrix.award_totals, matrix.total],
    )


def _note_rows(result: AwardsResult) -> list[tuple[str, str]]:
    previous = result.previous
    previous_text = f"{previous.year}年({previous.source})" if previous.year is not None else previous.source
    return note_rows(result, [("上年数据", previous_text)])


def note_rows(
    result: AwardsResult | DemotionsResult | PromotionsResult, extra: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """What a run was made from (year, pack, input file and its hash, history used), then the warnings."""
    rows = [
        *([("测算", result.what_if_title)] if result.what_if else []),
        ("年度", f"{result.year}年"),
        ("规则包", result.rules),
        ("输入文件", result.source),
        ("输入文件SHA-256", result.source_sha256),
        *extra,
    ]
    rows += [(f"提示{number}", warning.message) for number, warning in enumerate(result.warnings, start=1)]
    return rows


# ---- the demotions workbook ------------------------------------------------------------

TOLERATED_FILL = "#E2EFDA"
TRIGGERS = RecordTable(
    Trigger,
    ("name", "unit", "position", "role", "clause", "basis", "cadre_id"),
    ((6, TableColumn("容错"), lambda t: t.tolerance_text),),
)
IMPACTS = record_table(
    ImpactPeriod, "name", "unit", "method", "decided", "until", "clause", "basis", "source", "cadre_id"
)


def write_demotions_xlsx(result: DemotionsResult, path: Path) -> None:
    """能下触发名单, 未能判定, 影响期 and 提示; tolerated rows are shaded and say 容错免责 with the 文号."""
    workbook = new_workbook(f"{result.year}年度能下触发名单", year_end(result.year))
    workbook.banner = result.what_if_title
    for title, triggers in (("能下触发名单", result.candidates), ("未能判定", result.undetermined)):
        table = write_table(
            workbook,
            title,
            TRIGGERS.columns,
            TRIGGERS.rows(triggers),
        )
        table.row_fills = {index: TOLERATED_FILL for index, trigger in enumerate(triggers) if trigger.tolerated}
    write_table(
        workbook,
        "影响期",
        IMPACTS.columns,
        IMPACTS.rows(result.impact_periods),
    )
    history = "、".join(f"{y}年" for y in result.history_years) or "无"
    write_table(workbook, "提示", NOTE_COLUMNS, note_rows(result, [("使用的历史年度", history)]))
    save_workbook(workbook, path)


# ---- the promotions workbook ------------------------------------------------------------

PROMOTED_CADRES = record_table(PromotedCadre, "name", "unit", "position", "years", "clause", "basis", "cadre_id")
PROMOTED_UNITS = record_table(PromotedUnit, "unit", "years", "clause", "basis")
COUNTY_HEADS = record_table(CountyHead, "place", "unit", "name", "position", "score", "clause", "basis", "cadre_id")
EXCLUSIONS = record_table(Exclusion, "name", "unit", "clause", "reason", "cadre_id")
LISTED = ("name", "unit", "position", "clause", "basis", "cadre_id")


def listed_table(listed: ClauseList) -> RecordTable:
    """A declared clause's list: who, then the clause's own facts, then the clause and basis."""
    facts = tuple(
        (3 + i, TableColumn(header, wrap=True), lambda row, i=i: row.facts[i])
        for i, (_, header) in enumerate(listed.columns)
    )
    return RecordTable(ListedRow, LISTED, facts)


def write_promotions_xlsx(result: PromotionsResult, path: Path) -> None:
    """第七条 lists, one sheet each (a declared clause's list too, named by its short name), then the county
    ranking, 不列入, 未能判定 and 提示."""
    workbook = new_workbook(f"{result.year}年度选拔重用名单", year_end(result.year))
    workbook.banner = result.what_if_title
    write_table(workbook, "连续三年优秀干部", PROMOTED_CADRES.columns, PROMOTED_CADRES.rows(result.cadres))
    write_table(workbook, "连续三年优秀单位", PROMOTED_UNITS.columns, PROMOTED_UNITS.rows(result.units))
    write_table(workbook, "优秀县区党政正职", COUNTY_HEADS.columns, COUNTY_HEADS.rows(result.county_heads))
    for listed in result.lists:
        table = listed_table(listed)
        write_table(workbook, listed.short, table.columns, table.rows(listed.rows))
    assessments = list(dict.fromkeys(c.assessment for county in result.counties for c in county.components))
    columns = [TableColumn("综合名次"), TableColumn("县(市、区)"), TableColumn("综合分", percent_format)]
    for name in assessments:
        columns += [TableColumn(f"{name}"), TableColumn(f"{name}百分位", percent_format)]
    rows = []
    for county in result.counties:
        by_name = {c.assessment: c for c in county.components}
        row: list[object] = [county.place, county.unit, county.score]
        for name in assessments:
            c = by_name.get(name)
            row += [c.value, c.percentile] if c else ["(无)", None]
        rows.append(row)
    write_table(workbook, "县区综合排名", columns, rows)
    write_table(workbook, "不列入", EXCLUSIONS.columns, EXCLUSIONS.rows(result.excluded))
    write_table(workbook, "未能判定", EXCLUSIONS.columns, EXCLUSIONS.rows(result.undetermined))
    history = "、".join(f"{y}年" for y in result.history_years) or "无"
    write_table(workbook, "提示", NOTE_COLUMNS, note_rows(result, [("使用的历史年度", history)]))
    save_workbook(workbook, path)


# ---- the diff workbook ------------------------------------------------------------------

CHANGED_FILL = "#FFEB9C"  # a result (or total) that differs between the two versions: Excel's "neutral" yellow
DIFF_NOTE_SHEET = "说明"
NO_CHANGE = "没有变化"
RESULT_CHANGES = RecordTable(
    ResultChange,
    ("change", "unit", "name", "subject", "before_basis", "after_basis"),
    (
        (4, TableColumn("原结果", wrap=True), lambda c: result_text(c.before, c.kind)),
        (5, TableColumn("现结果", wrap=True), lambda c: result_text(c.after, c.kind)),
        (8, TableColumn("引起变化的输入", wrap=True), lambda c: "\n".join(input_line(i) for i in c.inputs)),
        (9, TableColumn("受其影响的单位", wrap=True), lambda c: "、".join(c.pushed_by)),
        (10, TableColumn("规则包参数变化", wrap=True), lambda c: ";".join(c.parameters)),
    ),
)
BEFORE_AFTER = ("原结果", "现结果")
# Columns a sheet leaves out when none of its changes has a value there: 姓名 for units, the causes a kind of
# change never has (规则包参数变化 outside a what-if). Eleven columns do not print on one landscape page at 8 points.
UNSAID_CHANGE_COLUMNS = ("姓名", "引起变化的输入", "受其影响的单位", "规则包参数变化")
DIFF_TOTALS = record_table(DiffTotal, "what", "before", "after", "unit")
INPUT_CHANGES = RecordTable(
    InputChange, ("row", "column", "old", "new"), ((0, TableColumn("位置"), lambda c: c.where),)
)


def write_diff_xlsx(result: DiffResult, path: Path) -> None:
    """说明 (the two versions compared and whether anything changed), one sheet per kind of result that changed
    (原结果 and 现结果 highlighted where they differ), 合计 (before and after, the changed ones highlighted) and
    输入变化 (every input cell that differs)."""
    workbook = new_workbook(f"{result.year}年度考核结果变化对照", year_end(result.year))
    workbook.banner = result.what_if_title
    write_table(workbook, DIFF_NOTE_SHEET, NOTE_COLUMNS, _diff_note_rows(result))
    by_kind: dict[str, list[ResultChange]] = defaultdict(list)
    for change in result.changes:
        by_kind[change.kind].append(change)
    for kind, changes in by_kind.items():
        columns, rows = _said(RESULT_CHANGES.columns, list(RESULT_CHANGES.rows(changes)), UNSAID_CHANGE_COLUMNS)
        table = write_table(workbook, kind, columns, rows)
        before_after = [index for index, column in enumerate(columns) if column.header in BEFORE_AFTER]
        table.cell_fills = {
            (row, column): CHANGED_FILL
            for row, change in enumerate(changes)
            if change.before != change.after
            for column in before_after
        }
    totals = write_table(workbook, TOTAL_LABEL, DIFF_TOTALS.columns, DIFF_TOTALS.rows(result.totals))
    totals.cell_fills = {
        (row, column): CHANGED_FILL for row, total in enumerate(result.totals) if total.changed for column in (1, 2)
    }
    write_table(workbook, "输入变化", INPUT_CHANGES.columns, INPUT_CHANGES.rows(result.inputs))
    save_workbook(workbook, path)


def _said(
    columns: Sequence[TableColumn], rows: list[list[object]], optional: Sequence[str]
) -> tuple[list[TableColumn], list[list[object]]]:
    """The columns (and each row's cells) without those of `optional` that are empty in every row."""
    keep = [
        index
        for index, column in enumerate(columns)
        if column.header not in optional or any(row[index] not in (None, "") for row in rows)
    ]
    return [columns[i] for i in keep], [[row[i] for i in keep] for row in rows]


def _diff_note_rows(result: DiffResult) -> list[tuple[str, str]]:
    """Which two versions were compared (file, SHA-256, pack), what came of it, then the warnings."""
    if result.changes:
        outcome = f"计算结果有 {len(result.changes)} 处变化:" + "、".join(
            f"{kind} {count} 处" for kind, count in Counter(c.kind for c in result.changes).items()
        )
    else:
        outcome = NO_CHANGE + (f"(输入有 {len(result.inputs)} 处不同,计算结果相同)" if result.inputs else "")
    rows = [
        *([("测算", result.what_if_title)] if result.what_if else []),
        ("年度", f"{result.year}年"),
        ("原版本", result.old.source),
        ("原版本SHA-256", result.old.source_sha256),
        ("原版本规则包", result.old.rules),
        ("现版本", result.new.source),
        ("现版本SHA-256", result.new.source_sha256),
        ("现版本规则包", result.new.rules + ("(测算参数)" if result.what_if else "")),
        ("结论", outcome),
        ("输入变化", f"{len(result.inputs)} 处" if result.inputs else "无"),
    ]
    rows += [(f"提示{number}", warning.message) for number, warning in enumerate(result.warnings, start=1)]
    return rows
