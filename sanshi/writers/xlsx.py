"""The awards result as an Excel workbook for people: one sheet per result table.

Every sheet is written by `write_table`: Chinese headers in row 1 (bold, frozen,
with an auto filter), one row per record with its clause and basis, widths from
the content and an A4 landscape print setup. The blank input template
(`template_book`) uses the same helper.
"""

from __future__ import annotations

import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from sanshi.results import (
    POVERTY_EXCELLENT,
    TARGET_EXCELLENT,
    AWARD_ORDER,
    Award,
    AwardsResult,
    BonusLine,
    CadreQuota,
    DemotionsResult,
    GroupCut,
    PromotionsResult,
    TOLERATED_LABEL,
    Trigger,
    UnitGrade,
)
from sanshi.rules.arith import ROUNDING_LABELS, percent
from sanshi.writers.files import ZIP_TIME, FixedTimeZipFile

MAX_WIDTH = 60
LINE_HEIGHT = 15  # points per line of 11-point text
TOP = Alignment(vertical="top")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
TOTAL_LABEL = "合计"
YUAN_FORMAT = "#,##0.00"
COEFFICIENT_FORMAT = "0.00"
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


@dataclass(frozen=True)
class TableColumn:
    """One output column: its Chinese header, how numbers in it look, whether text wraps."""

    header: str
    number_format: NumberFormat = None  # a format string, or a function of the cell's value
    wrap: bool = False


def year_end(year: int) -> datetime:
    """The date a year's result workbook says it was created and modified: 31 December of the assessment
    year, not the clock, so that the same inputs give the same bytes (the date the run happened is in
    the run's manifest)."""
    return datetime(year, 12, 31)


def new_workbook(title: str, stamp: datetime = datetime(*ZIP_TIME)) -> Workbook:
    """An empty workbook (no default sheet) with its document properties set, dated `stamp` (by default
    1980-01-01, the zip epoch, for workbooks that belong to no year such as the blank template)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    workbook.properties.creator = "sanshi"
    workbook.properties.created = workbook.properties.modified = stamp
    return workbook


def save_workbook(workbook: Workbook, path: Path) -> None:
    """Save like `Workbook.save`, minus the clock: openpyxl's save stamps docProps/core.xml's modified date
    and every zip entry with the current time, so two runs would differ in bytes. Here the dates are the
    workbook's own (see `new_workbook`) and the zip entries carry `ZIP_TIME`."""
    archive = FixedTimeZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(workbook, archive).write_data()
    finally:
        archive.close()


def write_table(
    workbook: Workbook,
    title: str,
    columns: Sequence[TableColumn],
    rows: Iterable[Sequence[object]],
    *,
    total: Sequence[object] | None = None,
    min_width: int = 8,
) -> Worksheet:
    """Add a sheet: bold frozen header row, the rows, an optional bold total row, widths, print setup.

    Values are converted for Excel (Decimal and Fraction become numbers, booleans 是/否).
    The auto filter covers the data rows only, so sorting never moves the total row.
    """
    sheet = workbook.create_sheet(title)
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    data_rows = 0
    for row in rows:
        _append_row(sheet, columns, row)
        data_rows += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{data_rows + 1}"
    if total is not None:
        _append_row(sheet, columns, total, bold=True)
    sheet.freeze_panes = "A2"
    _fit_widths(sheet, columns, min_width)
    _fit_heights(sheet, columns)
    _print_setup(sheet)
    return sheet


def _append_row(sheet: Worksheet, columns: Sequence[TableColumn], row: Sequence[object], bold: bool = False) -> None:
    sheet.append([excel_value(value) for value in row])
    for cell, column, value in zip(sheet[sheet.max_row], columns, row):
        if cell.data_type == "f":
            cell.data_type = "s"  # text from the input that looks like a formula ("=1+1") stays text, never runs
        if value is not None and column.number_format is not None:
            fmt = column.number_format
            cell.number_format = fmt(value) if callable(fmt) else fmt
        cell.alignment = WRAP_TOP if column.wrap else TOP
        if bold:
            cell.font = HEADER_FONT


def excel_value(value: object) -> object:
    """A value as openpyxl should store it: exact numbers become int or float, booleans 是/否."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else float(value)
    return value


def display_width(text: str) -> int:
    """Width of text in character cells: CJK (wide and full-width) characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit_widths(sheet: Worksheet, columns: Sequence[TableColumn], min_width: int) -> None:
    for index, cells in enumerate(sheet.iter_cols(max_col=len(columns)), start=1):
        longest = max((display_width(str(cell.value)) for cell in cells if cell.value is not None), default=0)
        # +2 leaves room for the auto filter's drop-down arrow.
        width = min(MAX_WIDTH, max(min_width, longest + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width


def _fit_heights(sheet: Worksheet, columns: Sequence[TableColumn]) -> None:
    """Rows tall enough for their wrapped text: spreadsheet programs do not grow them when printing a file
    they did not lay out themselves, and a clipped 依据 in a printed list is a defect."""
    wrapped = [(index, sheet.column_dimensions[get_column_letter(index)].width)
               for index, column in enumerate(columns, start=1) if column.wrap]
    if not wrapped:
        return
    for row in sheet.iter_rows(min_row=2):
        lines = 1
        for index, width in wrapped:
            value = row[index - 1].value
            if value is not None:
                usable = max(1, int(width) - 1)
                lines = max(lines, sum(-(-max(1, display_width(part)) // usable) for part in str(value).split("\n")))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = LINE_HEIGHT * lines


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, all columns on one page wide, the header repeated on every page."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


# ---- the awards workbook -------------------------------------------------------------

UNIT_GRADE_COLUMNS = (
    TableColumn("类别"), TableColumn("单位"), TableColumn("综合得分", exact_format), TableColumn("组内名次"),
    TableColumn("等次"), TableColumn("是否优秀"), TableColumn("条款"), TableColumn("依据", wrap=True),
)
CUT_COLUMNS = (
    TableColumn("考核"), TableColumn("类别"), TableColumn("单位数N"), TableColumn("比例"), TableColumn("取整方式"),
    TableColumn("名额"), TableColumn("可评优单位数"), TableColumn("优秀单位数"),
    TableColumn("名额线得分", exact_format), TableColumn("条款"), TableColumn("依据", wrap=True),
)
CADRE_QUOTA_COLUMNS = (
    TableColumn("单位"), TableColumn("单位等次"), TableColumn("考核人数"), TableColumn("优秀比例"),
    TableColumn("优秀名额"), TableColumn("条款"), TableColumn("依据", wrap=True),
)
COUNTY_AWARD_COLUMNS = (
    TableColumn("奖项"), TableColumn("单位"), TableColumn("等级"), TableColumn("奖励金额(万元)", exact_format),
    TableColumn("条款"), TableColumn("依据", wrap=True),
)
PRIZE_SUMMARY_COLUMNS = (TableColumn("单位"), TableColumn("奖项"), TableColumn("奖励金额(万元)", exact_format))
BONUS_COLUMNS = (
    TableColumn("姓名"), TableColumn("单位"), TableColumn("单位等次"), TableColumn("本人年度考核等次"),
    TableColumn("系数", COEFFICIENT_FORMAT), TableColumn("每人基数(元)", YUAN_FORMAT),
    TableColumn("金额(元)", YUAN_FORMAT), TableColumn("条款"), TableColumn("依据", wrap=True),
)
NOTE_COLUMNS = (TableColumn("项目"), TableColumn("提示", wrap=True))


def write_awards_xlsx(result: AwardsResult, path: Path) -> None:
    """Write the awards result to exactly `path` (the caller makes it atomic and checks overwrites)."""
    workbook = new_workbook(f"{result.year}年度考核奖励结果", year_end(result.year))
    write_table(workbook, "目标责任考核等次", UNIT_GRADE_COLUMNS, _unit_grade_rows(result.target_units))
    write_table(workbook, "优秀名额测算", CUT_COLUMNS, _cut_rows(result.cuts))
    write_table(workbook, "干部优秀名额", CADRE_QUOTA_COLUMNS, _cadre_quota_rows(result.cadre_quotas))
    _write_county_awards(workbook, result.awards)
    write_table(workbook, "脱贫攻坚", UNIT_GRADE_COLUMNS, _unit_grade_rows(result.poverty_units))
    _write_prize_summary(workbook, result)
    write_table(workbook, "个人考核奖金", BONUS_COLUMNS, _bonus_rows(result.bonus))
    write_table(workbook, "提示", NOTE_COLUMNS, _note_rows(result))
    save_workbook(workbook, path)


def _unit_grade_rows(units: Iterable[UnitGrade]) -> Iterable[tuple[object, ...]]:
    for u in units:
        yield (u.group, u.unit, u.score, u.rank, u.grade, u.excellent, u.clause, u.basis)


def _cut_rows(cuts: Iterable[GroupCut]) -> Iterable[tuple[object, ...]]:
    for c in cuts:
        rounding = ROUNDING_LABELS.get(c.rounding, c.rounding)
        yield (c.assessment, c.group, c.units, percent(c.ratio), rounding, c.quota, c.eligible, c.excellent,
               c.cut_score, c.clause, c.basis)


def _cadre_quota_rows(quotas: Iterable[CadreQuota]) -> Iterable[tuple[object, ...]]:
    for q in quotas:
        yield (q.unit, q.grade, q.staff, percent(q.ratio), q.quota, q.clause, q.basis)


def _write_county_awards(workbook: Workbook, awards: Iterable[Award]) -> None:
    """县域奖励: the county monitoring titles and prizes, grouped by award, with a total."""
    county = [a for a in awards if a.award not in ASSESSMENT_AWARDS]
    county.sort(key=lambda a: AWARD_ORDER.index(a.award) if a.award in AWARD_ORDER else len(AWARD_ORDER))
    rows = [(a.award, a.unit, a.tier, a.amount_wan, a.clause, a.basis) for a in county]
    total = _sum_amounts(county)
    write_table(workbook, "县域奖励", COUNTY_AWARD_COLUMNS, rows, total=(TOTAL_LABEL, None, None, total, None, None))


def _write_prize_summary(workbook: Workbook, result: AwardsResult) -> None:
    """奖金汇总: each unit's prize money over all its awards, largest first, with the grand total."""
    by_unit: dict[str, list[Award]] = defaultdict(list)
    for award in result.awards:
        if award.amount_wan is not None:
            by_unit[award.unit].append(award)
    lines = [(unit, "、".join(a.award for a in awards), _sum_amounts(awards)) for unit, awards in by_unit.items()]
    lines.sort(key=lambda line: (-line[2], line[0]))
    write_table(workbook, "奖金汇总", PRIZE_SUMMARY_COLUMNS, lines,
                total=(TOTAL_LABEL, None, result.total_amount_wan))


def _sum_amounts(awards: Iterable[Award]) -> Decimal:
    return sum((a.amount_wan for a in awards if a.amount_wan is not None), Decimal(0))


def _bonus_rows(lines: Iterable[BonusLine]) -> Iterable[tuple[object, ...]]:
    for b in lines:
        yield (b.name, b.unit, b.unit_grade, b.cadre_grade, b.coefficient, b.base_amount_yuan, b.amount_yuan,
               b.clause, b.basis)


def _note_rows(result: AwardsResult) -> list[tuple[str, str]]:
    previous = result.previous
    previous_text = f"{previous.year}年({previous.source})" if previous.year is not None else previous.source
    return note_rows(result, [("上年数据", previous_text)])


def note_rows(result: AwardsResult | DemotionsResult | PromotionsResult, extra: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What a run was made from (year, pack, input file and its hash, history used), then the warnings."""
    rows = [("年度", f"{result.year}年"), ("规则包", result.rules), ("输入文件", result.source),
            ("输入文件SHA-256", result.source_sha256), *extra]
    rows += [(f"提示{number}", warning) for number, warning in enumerate(result.warnings, start=1)]
    return rows


# ---- the demotions workbook ------------------------------------------------------------

TOLERATED_FILL = PatternFill("solid", fgColor="E2EFDA")
TRIGGER_COLUMNS = (
    TableColumn("姓名"), TableColumn("单位"), TableColumn("职务"), TableColumn("岗位类别"), TableColumn("条款"),
    TableColumn("依据", wrap=True), TableColumn("容错"), TableColumn("干部编号"),
)
IMPACT_COLUMNS = (
    TableColumn("姓名"), TableColumn("单位"), TableColumn("调整方式"), TableColumn("决定日期", "yyyy-mm-dd"),
    TableColumn("影响期至", "yyyy-mm-dd"), TableColumn("条款"), TableColumn("依据", wrap=True), TableColumn("来源"),
    TableColumn("干部编号"),
)


def tolerance_text(trigger: Trigger) -> str:
    return f"{TOLERATED_LABEL}({trigger.tolerance_ref})" if trigger.tolerated else ""


def write_demotions_xlsx(result: DemotionsResult, path: Path) -> None:
    """能下触发名单, 未能判定, 影响期 and 提示; tolerated rows are shaded and say 容错免责 with the 文号."""
    workbook = new_workbook(f"{result.year}年度能下触发名单", year_end(result.year))
    for title, triggers in (("能下触发名单", result.candidates), ("未能判定", result.undetermined)):
        sheet = write_table(workbook, title, TRIGGER_COLUMNS, (
            (t.name, t.unit, t.position, t.role, t.clause, t.basis, tolerance_text(t), t.cadre_id) for t in triggers))
        for row, trigger in enumerate(triggers, start=2):
            if trigger.tolerated:
                for cell in sheet[row]:
                    cell.fill = TOLERATED_FILL
    write_table(workbook, "影响期", IMPACT_COLUMNS, (
        (p.name, p.unit, p.method, p.decided, p.until, p.clause, p.basis, p.source, p.cadre_id)
        for p in result.impact_periods))
    history = "、".join(f"{y}年" for y in result.history_years) or "无"
    write_table(workbook, "提示", NOTE_COLUMNS, note_rows(result, [("使用的历史年度", history)]))
    save_workbook(workbook, path)


# ---- the promotions workbook ------------------------------------------------------------

EXCLUSION_COLUMNS = (TableColumn("姓名"), TableColumn("单位"), TableColumn("条款"), TableColumn("原因", wrap=True),
                     TableColumn("干部编号"))


def _year_list(years: Iterable[int]) -> str:
    return "、".join(str(y) for y in years)


def write_promotions_xlsx(result: PromotionsResult, path: Path) -> None:
    """第七条 lists, one sheet each, then the county ranking, 不列入, 未能判定 and 提示."""
    workbook = new_workbook(f"{result.year}年度选拔重用名单", year_end(result.year))
    write_table(workbook, "连续三年优秀干部", (
        TableColumn("姓名"), TableColumn("单位"), TableColumn("职务"), TableColumn("优秀年度"), TableColumn("条款"),
        TableColumn("依据", wrap=True), TableColumn("干部编号")),
        ((c.name, c.unit, c.position, _year_list(c.years), c.clause, c.basis, c.cadre_id) for c in result.cadres))
    write_table(workbook, "连续三年优秀单位", (
        TableColumn("单位"), TableColumn("优秀年度"), TableColumn("条款"), TableColumn("依据", wrap=True)),
        ((u.unit, _year_list(u.years), u.clause, u.basis) for u in result.units))
    write_table(workbook, "优秀县区党政正职", (
        TableColumn("综合名次"), TableColumn("县(市、区)"), TableColumn("姓名"), TableColumn("职务"),
        TableColumn("综合分", "0.00%"), TableColumn("条款"), TableColumn("依据", wrap=True), TableColumn("干部编号")),
        ((h.place, h.unit, h.name, h.position, h.score, h.clause, h.basis, h.cadre_id) for h in result.county_heads))
    assessments = list(dict.fromkeys(c.assessment for county in result.counties for c in county.components))
    columns = [TableColumn("综合名次"), TableColumn("县(市、区)"), TableColumn("综合分", "0.00%")]
    for name in assessments:
        columns += [TableColumn(f"{name}"), TableColumn(f"{name}百分位", "0.00%")]
    rows = []
    for county in result.counties:
        by_name = {c.assessment: c for c in county.components}
        row: list[object] = [county.place, county.unit, county.score]
        for name in assessments:
            c = by_name.get(name)
            row += [c.value, c.percentile] if c else ["(无)", None]
        rows.append(row)
    write_table(workbook, "县区综合排名", columns, rows)
    write_table(workbook, "不列入", EXCLUSION_COLUMNS,
                ((e.name, e.unit, e.clause, e.reason, e.cadre_id) for e in result.excluded))
    write_table(workbook, "未能判定", EXCLUSION_COLUMNS,
                ((e.name, e.unit, e.clause, e.reason, e.cadre_id) for e in result.undetermined))
    history = "、".join(f"{y}年" for y in result.history_years) or "无"
    write_table(workbook, "提示", NOTE_COLUMNS, note_rows(result, [("使用的历史年度", history)]))
    save_workbook(workbook, path)
