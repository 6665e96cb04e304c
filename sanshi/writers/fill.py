"""`--fill`: the results written back into a copy of the user's own workbook.

The copy keeps everything the user made (cells, styles, merged titles, formulas, widths, filters, print setup,
macros of an .xlsm) and gains a few columns to the right of each sheet the results speak of: 评定等次 and 是否优秀
beside each unit's score, 奖励 and 奖励金额 beside each county, 能下条款 and 容错 beside each cadre. Each value
goes to the row the unit or cadre was read from (`Table.row_numbers`), never to a row found again by its text.

openpyxl edits the workbook: it is the field's tool for changing an existing .xlsx while keeping what it does not
touch. What openpyxl cannot keep (sparklines, shapes, slicers, newer conditional formats...) it drops when it
saves; sanshi stops instead and names what would be lost, so that a filled copy never lacks something silently.
The results themselves are unchanged by any of this: the result workbook holds them in full.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sanshi.errors import InputError, Problem, RunWarning
from sanshi.inputs import formats, schema
from sanshi.inputs.normalize import header_key
from sanshi.inputs.reader import Book, Table, file_sha256
from sanshi.results import (
    POVERTY_EXCELLENT,
    TARGET_EXCELLENT,
    AwardsResult,
    DemotionsResult,
    PromotionsResult,
)
from sanshi.writers.wrap import display_width

# The inputs a copy can be filled from: the Office Open XML workbooks openpyxl edits in place.
FILLABLE = (".xlsx", ".xlsm")
# What each command's filled copy is called after: 2023.xlsx -> 2023-奖励结果.xlsx (one per command, so that
# filling with awards and then demotions keeps both copies); the year end fills all three into 2023-结果.xlsx.
FILLED_NAMES = {"awards": "奖励结果", "demotions": "能下结果", "promotions": "选拔重用结果", "year": "结果"}
MAX_WIDTH = 40  # the widest an added column is made, in character cells; longer text wraps
JOIN = "、"


@dataclass(frozen=True)
class FilledColumn:
    """One added column: its header and the value of each row that has one (by Excel row, 1-based)."""

    header: str
    cells: Mapping[int, Any]


@dataclass(frozen=True)
class SheetFill:
    """The columns added to one of the user's sheets: the sheet by its own name, its header row, and the rows
    the table was read from (the added cells of these rows take the look of the row's last cell)."""

    sheet: str
    header_row: int
    rows: tuple[int, ...]
    columns: tuple[FilledColumn, ...]


@dataclass(frozen=True)
class FillPlan:
    sheets: tuple[SheetFill, ...]
    # Results with no row of their own in the workbook (a 能下 clause naming a role the unit lists nobody in):
    # they are in the result workbook, and the run says they are not in the copy.
    unplaced: tuple[str, ...] = ()

    def warnings(self, target: str) -> list[RunWarning]:
        if not self.unplaced:
            return []
        shown = JOIN.join(self.unplaced[:5]) + (f"等 {len(self.unplaced)} 条" if len(self.unplaced) > 5 else "")
        return [
            RunWarning(
                "fill.unplaced",
                f"{shown}在工作簿中没有对应的行(如单位未列该岗位的干部),没有填入 {target},见结果工作簿",
            )
        ]


def filled_name(book: Path, command: str) -> str:
    """2023.xlsx -> 2023-奖励结果.xlsx; an .xlsm stays an .xlsm (its macros are kept)."""
    return f"{book.stem}-{FILLED_NAMES[command]}{book.suffix.lower()}"


def check_fillable(book: Path) -> None:
    """Before any work: only an .xlsx or .xlsm can be filled in place of the user's own layout (by its name, and,
    when the file is there, by its content: an old .xls or a text file renamed .xlsx cannot be)."""
    if book.suffix.lower() in FILLABLE and book.is_file():
        with book.open("rb") as handle:
            head = handle.read(4)
        if head and head != formats.ZIP_MAGIC:
            raise InputError(
                [
                    Problem(
                        f"文件名是 {book.suffix},但内容不是 .xlsx/.xlsm 工作簿(可能是旧版 .xls、加密的工作簿或改了扩展名的"
                        "文本),--fill 不能填写:请在 Excel/WPS 中另存为 .xlsx 后再用 --fill",
                        file=book.name,
                    )
                ]
            )
    if book.suffix.lower() not in FILLABLE:
        kind = book.suffix.lower().lstrip(".") or "无扩展名"
        raise InputError(
            [
                Problem(
                    f"--fill 只能填写 .xlsx 或 .xlsm 工作簿,这是 {kind} 文件:请在 Excel/WPS 中另存为 .xlsx 后再用 --fill"
                    "(不加 --fill 时照常计算并写出结果工作簿)",
                    file=book.name,
                )
            ]
        )


# ---- what goes where -------------------------------------------------------------------------------


def year_plan(awards: AwardsResult, demotions: DemotionsResult, promotions: PromotionsResult, book: Book) -> FillPlan:
    """The three commands' columns in one copy (`sanshi year --fill`): a sheet two of them fill (目标责任考核, 干部)
    takes both sets of columns, awards' or demotions' first."""
    sheets: dict[str, SheetFill] = {}
    unplaced: list[str] = []
    for part in (awards_plan(awards, book), demotions_plan(demotions, book), promotions_plan(promotions, book)):
        unplaced += part.unplaced
        for sheet in part.sheets:
            given = sheets.get(sheet.sheet)
            sheets[sheet.sheet] = sheet if given is None else replace(given, columns=given.columns + sheet.columns)
    return FillPlan(tuple(sheets.values()), tuple(unplaced))


def plan(result: AwardsResult | DemotionsResult | PromotionsResult, book: Book) -> FillPlan:
    if isinstance(result, AwardsResult):
        return awards_plan(result, book)
    if isinstance(result, DemotionsResult):
        return demotions_plan(result, book)
    return promotions_plan(result, book)


def awards_plan(result: AwardsResult, book: Book) -> FillPlan:
    """评定等次 and 是否优秀 beside each unit of the two graded assessments (and the target assessment's 干部优秀名额,
    the poverty assessment's prize); 奖励 and 奖励金额 beside each county of 县域监测."""
    sheets: list[SheetFill] = []
    quotas = {q.unit: q.quota for q in result.cadre_quotas}
    for name, grades, prize in (
        (schema.TARGET_NAME, result.target_units, TARGET_EXCELLENT),
        (schema.POVERTY_NAME, result.poverty_units, POVERTY_EXCELLENT),
    ):
        table = book.table(name)
        if table is None or not table.sheet:
            continue
        rows = _unit_rows(table)
        grade = {rows[g.unit]: g.grade for g in grades if g.unit in rows}
        excellent = {rows[g.unit]: "是" if g.excellent else "否" for g in grades if g.unit in rows}
        columns = [FilledColumn("评定等次", grade), FilledColumn("是否优秀", excellent)]
        if name == schema.TARGET_NAME and quotas:
            columns.append(FilledColumn("干部优秀名额", {rows[u]: q for u, q in quotas.items() if u in rows}))
        paid = {a.unit: a.amount_wan for a in result.awards if a.award == prize and a.amount_wan is not None}
        if paid:
            columns.append(FilledColumn("奖励金额(万元)", {rows[u]: _number(v) for u, v in paid.items() if u in rows}))
        sheets.append(_sheet(table, columns))
    table = book.table(schema.MONITORING_NAME)
    if table is not None and table.sheet:
        rows = _unit_rows(table)
        names: dict[int, list[str]] = {}
        amounts: dict[int, Decimal] = {}
        for a in result.awards:
            if a.award in (TARGET_EXCELLENT, POVERTY_EXCELLENT) or a.unit not in rows:
                continue
            row = rows[a.unit]
            names.setdefault(row, []).append(f"{a.award}({a.tier})" if a.tier else a.award)
            if a.amount_wan is not None:
                amounts[row] = amounts.get(row, Decimal(0)) + a.amount_wan
        columns = [
            FilledColumn("奖励", {row: JOIN.join(given) for row, given in names.items()}),
            FilledColumn("奖励金额(万元)", {row: _number(amount) for row, amount in amounts.items()}),
        ]
        pending: dict[int, list[str]] = {}
        for p in result.undetermined:
            if p.unit in rows:
                pending.setdefault(rows[p.unit], []).append(f"{p.award}:{p.missing}")
        if pending:
            columns.append(FilledColumn("未能判定的奖励", {row: ";".join(v) for row, v in pending.items()}))
        sheets.append(_sheet(table, columns))
    return FillPlan(tuple(sheets))


def demotions_plan(result: DemotionsResult, book: Book) -> FillPlan:
    """能下条款 (every clause that names the cadre, 容错免责 ones included, as the list has them), 容错 (the
    decision on each clause it covers), 未能判定 and 影响期至 beside each cadre of the 干部 sheet."""
    table = book.table(schema.CADRES.name)
    if table is None or not table.sheet:
        return FillPlan(())
    find = _CadreRows(table)
    clauses: dict[int, list[str]] = {}
    tolerance: dict[int, list[str]] = {}
    pending: dict[int, list[str]] = {}
    unplaced: list[str] = []
    decided = [(t, True) for t in result.candidates] + [(t, False) for t in result.undetermined]
    for t, judged in decided:
        row = find(t.cadre_id, t.name, t.unit)
        if row is None:
            unplaced.append(f"{t.unit}{t.name or t.role or ''} {t.key}{'' if judged else '(未能判定)'}")
        elif not judged:
            pending.setdefault(row, []).append(t.key)
        else:
            clauses.setdefault(row, []).append(t.key)
            if t.tolerance_text:
                tolerance.setdefault(row, []).append(f"{t.key} {t.tolerance_text}")
    until: dict[int, date] = {}
    for p in result.impact_periods:
        row = find(p.cadre_id, p.name, p.unit)
        if row is not None:
            until[row] = max(p.until, until.get(row, p.until))
    columns = [
        FilledColumn("能下条款", _joined(clauses)),
        FilledColumn("容错", {row: ";".join(v) for row, v in tolerance.items()}),
        FilledColumn("未能判定", _joined(pending)),
        FilledColumn("影响期至", until),
    ]
    return FillPlan((_sheet(table, columns),), tuple(unplaced))


def promotions_plan(result: PromotionsResult, book: Book) -> FillPlan:
    """选拔重用 (the clauses that list the cadre) and 不列入原因 (left out, or not decided, and why) beside each cadre;
    the same two beside each unit of the target assessment for 7(2), 优秀 three years running."""
    sheets: list[SheetFill] = []
    unplaced: list[str] = []
    cadres, target = book.table(schema.CADRES.name), book.table(schema.TARGET_NAME)
    find = _CadreRows(cadres) if cadres is not None and cadres.sheet else None
    units = _unit_rows(target) if target is not None and target.sheet else None
    listed: dict[int, list[str]] = {}
    reasons: dict[int, list[str]] = {}
    unit_listed: dict[int, list[str]] = {}
    unit_reasons: dict[int, list[str]] = {}

    def place(kind: str, cadre_id: str | None, name: str | None, unit: str, clause: str, text: str) -> None:
        if name:
            row = find(cadre_id, name, unit) if find is not None else None
            store = listed if kind == "listed" else reasons
        else:  # a unit-level list (7(2))
            row = units.get(unit) if units is not None else None
            store = unit_listed if kind == "listed" else unit_reasons
        if row is None:
            unplaced.append(f"{unit}{name or ''} {clause}")
        elif text not in store.get(row, []):
            store.setdefault(row, []).append(text)

    for c in result.cadres:
        place("listed", c.cadre_id, c.name, c.unit, c.clause, c.clause)
    for h in result.county_heads:
        place("listed", h.cadre_id, h.name, h.unit, h.clause, h.clause)
    for clause_list in result.lists:
        for r in clause_list.rows:
            place("listed", r.cadre_id, r.name, r.unit, r.clause, r.clause)
    for u in result.units:
        place("listed", None, None, u.unit, u.clause, f"{u.clause}({JOIN.join(str(y) for y in u.years)}年优秀)")
    for e in result.excluded:
        place("reason", e.cadre_id, e.name, e.unit, e.clause, f"{e.clause}不列入:{e.reason}")
    for e in result.undetermined:
        place("reason", e.cadre_id, e.name, e.unit, e.clause, f"{e.clause}未能判定:{e.reason}")
    if cadres is not None and cadres.sheet:
        sheets.append(_sheet(cadres, _listed_columns(listed, reasons)))
    if target is not None and target.sheet and (unit_listed or unit_reasons):
        sheets.append(_sheet(target, _listed_columns(unit_listed, unit_reasons)))
    return FillPlan(tuple(sheets), tuple(unplaced))


def _listed_columns(listed: dict[int, list[str]], reasons: dict[int, list[str]]) -> list[FilledColumn]:
    return [
        FilledColumn("选拔重用", _joined(listed)),
        FilledColumn("不列入原因", {row: ";".join(v) for row, v in reasons.items()}),
    ]


def _sheet(table: Table, columns: Sequence[FilledColumn]) -> SheetFill:
    return SheetFill(table.sheet, table.header_row, tuple(table.row_numbers), tuple(columns))


def _unit_rows(table: Table) -> dict[str, int]:
    """Each unit's Excel row (its name as the rules know it: under the workbook's 单位名称对照)."""
    return dict(zip(table.column("unit"), table.row_numbers))


class _CadreRows:
    """A cadre's Excel row in the 干部 sheet: by 干部编号 when the result has one, else by 姓名 and 单位; None when no
    row, or more than one, is the cadre's."""

    def __init__(self, table: Table) -> None:
        self.by_id: dict[str, list[int]] = {}
        self.by_name: dict[tuple[str, str], list[int]] = {}
        for cadre_id, name, unit, row in zip(
            table.column("cadre_id"), table.column("name"), table.column("unit"), table.row_numbers
        ):
            if cadre_id:
                self.by_id.setdefault(cadre_id, []).append(row)
            self.by_name.setdefault((name, unit), []).append(row)

    def __call__(self, cadre_id: str | None, name: str | None, unit: str) -> int | None:
        found = self.by_id.get(cadre_id, []) if cadre_id else self.by_name.get((name or "", unit), [])
        return found[0] if len(found) == 1 else None


def _joined(values: Mapping[int, list[str]]) -> dict[int, str]:
    return {row: JOIN.join(dict.fromkeys(v)) for row, v in values.items()}


def _number(value: Decimal) -> int | Decimal:
    """An amount as the cell holds it: a whole number as an integer, else the exact decimal."""
    return int(value) if value == value.to_integral_value() else value


# ---- writing the copy ------------------------------------------------------------------------------

# What openpyxl says when it drops part of a workbook it reads, as the user knows the thing.
_DROPPED = (
    ("Conditional Formatting extension", "条件格式中 Excel 2010 起新增的规则(如数据条、图标集的扩展设置)"),
    ("Data Validation extension", "引用其他工作表的数据验证(下拉列表)"),
    ("Sparkline Group extension", "迷你图"),
    ("Slicer List extension", "切片器"),
    ("Shapes and drawings will be lost", "形状、文本框等绘图对象"),
    ("header or footer", "页眉页脚"),
    ("image format is not supported", "图片"),
)
_LOSS_WORDS = ("removed", "lost", "dropped", "ignored")
# The parts of a package the copy must still have as many of, by what the user calls them.
_PARTS = (
    (re.compile(r"^xl/charts/chart\d+\.xml$"), "图表"),
    (re.compile(r"^xl/media/"), "图片"),
    (re.compile(r"^xl/(comments\d+|comments/comment\d+)\.xml$"), "批注"),
    (re.compile(r"^xl/threadedComments/"), "对话式批注"),
    (re.compile(r"^xl/pivotTables/"), "数据透视表"),
    (re.compile(r"^xl/tables/"), "表格(套用表格格式)"),
    (re.compile(r"^xl/externalLinks/externalLink\d+\.xml$"), "外部链接"),
    (re.compile(r"^xl/vbaProject\.bin$"), "宏(VBA)"),
    (re.compile(r"^xl/(slicers|slicerCaches)/"), "切片器"),
    (re.compile(r"^xl/timelines/"), "日程表"),
    (re.compile(r"^xl/(ctrlProps|activeX)/"), "表单控件"),
    (re.compile(r"^xl/embeddings/"), "嵌入对象"),
    (re.compile(r"^xl/connections\.xml$"), "数据连接"),
    (re.compile(r"^xl/queryTables/"), "查询表"),
    (re.compile(r"^customXml/item\d+\.xml$"), "自定义 XML"),
)


def write_filled(
    source: Path,
    sha256: str,
    fill: FillPlan,
    target: Path,
    progress: Callable[[str], None] | None = None,
    notes: list[RunWarning] | None = None,
    name: str | None = None,
) -> None:
    """Write the filled copy of `source` (read as `sha256`) to `target`: InputError, and nothing kept, when the
    file changed since it was read or when the copy could not keep all that the workbook has. What the user
    should know about the copy (added columns outside a print area) goes to `notes`, naming it `name` (the
    final name of the file `target` is written to)."""
    import openpyxl

    if file_sha256(source) != sha256:
        raise InputError(
            [Problem("工作簿在计算之后被改动了:请保存后重新运行,填写的副本要与结果出自同一份数据", file=source.name)]
        )
    if progress is not None:
        progress(f"填写 {name or target.name}:读取 {source.name}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            book = openpyxl.load_workbook(
                source, keep_vba=source.suffix.lower() == ".xlsm", rich_text=True, keep_links=True
            )
        except Exception as exc:  # openpyxl's own reading of a package sanshi's reader could read
            raise InputError(
                [
                    Problem(
                        f"openpyxl 不能打开这个工作簿来填写副本({type(exc).__name__}: {exc}):请在 Excel/WPS 中打开并"
                        "另存为 .xlsx 后再用 --fill;不加 --fill 时照常计算",
                        file=source.name,
                    )
                ]
            ) from None
    lost = _dropped(str(w.message) for w in caught)
    if lost:
        raise _loss(source, lost)
    # The cells the sheet has (iter_rows would make one for every blank position of the used range).
    formulas = {
        sheet.title: [cell.coordinate for cell in sheet._cells.values() if cell.data_type == "f"]
        for sheet in book.worksheets
    }
    for sheet_fill in fill.sheets:
        outside = _fill_sheet(book[sheet_fill.sheet], sheet_fill)
        if outside and notes is not None:
            notes.append(
                RunWarning(
                    "fill.print_area",
                    f"{name or target.name} › {sheet_fill.sheet}:原工作簿设有打印区域 {outside[0]},新加的"
                    f" {outside[1]} 列不在其中,打印时不会出现;如需打印请在 Excel/WPS 中调整打印区域",
                )
            )
    if progress is not None:
        progress(f"填写 {name or target.name}:写出")
    book.save(target)
    lost = _lost_parts(source, target)
    if lost:
        raise _loss(source, lost)
    if any(formulas.values()):
        _keep_results(source, target, {title: cells for title, cells in formulas.items() if cells})


# A formula cell as openpyxl writes it: the formula, and an empty value (openpyxl keeps no formula's result).
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"((?: [a-z]+="[^"]*")*)>(<f(?: [a-zA-Z]+="[^"]*")*>.*?</f>|<f(?: [a-zA-Z]+="[^"]*")*/>)'
    rb"(?:<v ?/>|<v></v>)</c>",
    re.DOTALL,
)
_SHEET_PART = re.compile(r"^xl/worksheets/sheet\d+\.xml$")


def _keep_results(source: Path, target: Path, formulas: dict[str, list[str]]) -> None:
    """Put each formula's saved result back beside it in `target`, as `source` saved it: openpyxl writes formulas
    without results, and a copy whose totals read as empty until Excel recomputes them is not the user's workbook
    (pandas, and sanshi itself, read the saved results)."""
    import openpyxl
    from openpyxl.utils.datetime import to_excel

    # Read-only: only the rows that hold formulas are visited, no cell objects are kept.
    saved = openpyxl.load_workbook(source, data_only=True, read_only=True)
    results: dict[str, dict[bytes, bytes]] = {}
    for title, cells in formulas.items():
        sheet, found = saved[title], {}
        wanted = set(cells)
        rows = [int(re.sub(r"^[A-Z]+", "", c)) for c in cells]
        saved_cells = [
            cell
            for row in sheet.iter_rows(min_row=min(rows), max_row=max(rows))
            for cell in row
            if getattr(cell, "coordinate", None) in wanted
        ]
        for cell in saved_cells:
            coordinate, value = cell.coordinate, cell.value
            if value is None:
                continue
            if cell.data_type == "e":
                found[coordinate.encode()] = b' t="e"><v>' + _escaped(str(value)) + b"</v>"
            elif isinstance(value, bool):
                found[coordinate.encode()] = b' t="b"><v>' + (b"1" if value else b"0") + b"</v>"
            elif isinstance(value, (int, float)):
                found[coordinate.encode()] = b"><v>" + repr(value).encode() + b"</v>"
            elif isinstance(value, str):
                found[coordinate.encode()] = b' t="str"><v>' + _escaped(value) + b"</v>"
            else:  # a date or time: its serial number, as the cell's date format shows it
                found[coordinate.encode()] = b"><v>" + repr(to_excel(value, saved.epoch)).encode() + b"</v>"
        results[title] = found
    saved.close()
    parts = _sheet_parts(target)
    with zipfile.ZipFile(target) as package:
        entries = [(info, package.read(info.filename)) for info in package.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in entries:
            title = parts.get(info.filename)
            if title in results and results[title]:
                data = _with_results(data, results[title], title)
            package.writestr(info, data)


def _with_results(xml: bytes, results: dict[bytes, bytes], title: str) -> bytes:
    put_back = 0

    def put(match: re.Match[bytes]) -> bytes:
        nonlocal put_back
        given = results.get(match.group(1))
        if given is None:
            return match.group(0)
        put_back += 1
        attributes, value = given.split(b">", 1)
        return b'<c r="' + match.group(1) + b'"' + match.group(2) + attributes + b">" + match.group(3) + value + b"</c>"

    xml = _FORMULA_CELL.sub(put, xml)
    if put_back != len(results):  # openpyxl wrote a formula cell in a form this module does not know: a defect
        raise RuntimeError(f"{title}: {put_back} of {len(results)} formula results put back")
    return xml


def _sheet_parts(path: Path) -> dict[str, str]:
    """{worksheet part: sheet title} of a package, through its workbook's relationships."""
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    with zipfile.ZipFile(path) as package:
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        links = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {link.get("Id"): link.get("Target", "") for link in links}
    parts = {}
    for sheet in workbook.iter(f"{main}sheet"):
        target = targets.get(sheet.get(f"{rel}id"), "").lstrip("/")
        part = target if target.startswith("xl/") else f"xl/{target}"
        if _SHEET_PART.match(part):
            parts[part] = sheet.get("name", "")
    return parts


def _escaped(text: str) -> bytes:
    from xml.sax.saxutils import escape

    return escape(text).encode()


def _dropped(messages: Iterable[str]) -> list[str]:
    found: list[str] = []
    for message in messages:
        known = next((name for text, name in _DROPPED if text in message), None)
        if known is None and any(word in message for word in _LOSS_WORDS):
            known = f"openpyxl 不能保留的内容({message})"
        if known is not None and known not in found:
            found.append(known)
    return found


def _lost_parts(source: Path, target: Path) -> list[str]:
    def counted(path: Path) -> Counter[str]:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
        return Counter(name for pattern, name in _PARTS for part in names if pattern.match(part))

    before, after = counted(source), counted(target)
    return [f"{name} {count - after[name]} 个" for name, count in before.items() if after[name] < count]


def _loss(source: Path, lost: list[str]) -> InputError:
    return InputError(
        [
            Problem(
                f"工作簿含有填写副本时无法完整保留的内容:{JOIN.join(lost)}。sanshi 不写缺少内容的副本:"
                "可以另存一份不含这些内容的工作簿再用 --fill,或只用结果工作簿(不加 --fill)",
                file=source.name,
            )
        ]
    )


def _fill_sheet(sheet: Any, fill: SheetFill) -> tuple[str, str] | None:
    """Put each column at the right of the sheet (or where an earlier fill put a column of that name), its
    header in the header row with the header row's look, its cells with the look of their row's last cell.
    Returns the sheet's print area and the added columns, when they are outside it (the print area is the
    user's and is kept as it is)."""
    from openpyxl.utils import get_column_letter, range_boundaries

    header_row = fill.header_row
    headers = {
        header_key(str(cell.value)): cell.column
        for cell in sheet[header_row]
        if cell.value is not None and str(cell.value).strip()
    }
    last = _last_used_column(sheet)
    model = max((c for c in headers.values()), default=1)  # the table's last headed column, whose look is copied
    at = last
    placed = []
    for column in fill.columns:
        index = headers.get(header_key(column.header))
        if index is None:
            at += 1
            index = at
        _fill_column(sheet, fill, column, index, model)
        placed.append(index)
    if not sheet.print_area:
        return None
    areas = [part.rsplit("!", 1)[-1].replace("$", "") for part in str(sheet.print_area).split(",")]
    printed = [range_boundaries(area) for area in areas]
    outside = [c for c in placed if not any(low <= c <= high for low, _, high, _ in printed)]
    if not outside:
        return None
    letters = f"{get_column_letter(min(outside))}:{get_column_letter(max(outside))}"
    return "、".join(areas), letters


def _fill_column(sheet: Any, fill: SheetFill, column: FilledColumn, index: int, model: int) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    header = sheet.cell(fill.header_row, index, column.header)
    if (look := sheet._cells.get((fill.header_row, model))) is not None:
        header._style = copy(look._style)
    widest = display_width(column.header)
    cells = []
    for row in fill.rows:
        value = column.cells.get(row)
        cell = sheet.cell(row, index)
        if (look := sheet._cells.get((row, model))) is not None:
            cell._style = copy(look._style)
        cell.value = value
        if isinstance(value, date):
            cell.number_format = 'yyyy"年"m"月"d"日"'
            widest = max(widest, 16)
        else:
            cell.number_format = "General"
            if value is not None:
                widest = max(widest, display_width(str(value)))
                cells.append(cell)
    if widest > MAX_WIDTH:  # long text wraps within the column instead of running over the next
        for cell in cells:
            if isinstance(cell.value, str):
                given = cell.alignment
                cell.alignment = Alignment(
                    horizontal=given.horizontal, vertical=given.vertical or "center", wrap_text=True
                )
    sheet.column_dimensions[get_column_letter(index)].width = min(widest, MAX_WIDTH) + 2


def _last_used_column(sheet: Any) -> int:
    """The rightmost column with a value or in a merged range: the added columns go after it."""
    used = [col for (_, col), cell in sheet._cells.items() if cell.value is not None]
    merged = [r.max_col for r in sheet.merged_cells.ranges]
    return max([*used, *merged, 1])
