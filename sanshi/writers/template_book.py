"""The blank input workbook of `sanshi template`, built only from `schema.SHEETS`.

An instructions sheet first, then one sheet per input sheet with its headers
(required ones coloured and noted 「必填」) and Excel drop-down lists and number
checks, so that what people type is what the reader accepts.
"""

from __future__ import annotations

from pathlib import Path

from typing import Any

from sanshi.inputs.schema import NO, SHEETS, YES, Column, Kind, SheetSpec
from sanshi.writers.xlsx import TableColumn, Workbook, new_workbook, save_workbook, write_table

INSTRUCTIONS_SHEET = "填表说明"
REQUIRED_FILL = "#F8CBAD"
REQUIRED_NOTE = "必填"
LAST_VALIDATED_ROW = 1000  # in Excel's numbering; the checks cover rows 2 to 1000
# Excel rejects a list validation whose formula is longer than this.
MAX_LIST_FORMULA = 255
# Excel's decimal check needs bounds; scores are far inside these.
DECIMAL_BOUND = 1_000_000_000
# Excel's limits for a validation's input message.
MAX_PROMPT, MAX_PROMPT_TITLE = 255, 32
# The 类型 column accepts several spellings (schema.AREA_TYPES); the drop-down offers the official two.
OFFERED_CHOICES = {"area_type": ("县(市)", "城区")}

GENERAL_NOTES = (
    "本工作簿是 sanshi(三项机制)的年度考核输入表:每个考核年度填写一个文件,"
    "供 sanshi check / awards / demotions 等命令读取。",
    "考核年度取自文件名,例如 2023.xlsx 即 2023 年度;文件名中没有年度时,请在命令行用 --year 指定(如 --year 2023)。",
    "工作表名和列名请勿修改;可以增加其他列(程序保留但不使用)。不需要的工作表可以删除,相应规则即不判断。",
    "表头标为橙色并带「必填」批注的列必须填写;带下拉箭头的列请从列表中选择。",
    "本说明页不会被程序读取。",
)
INSTRUCTION_COLUMNS = (
    TableColumn("工作表"),
    TableColumn("列名"),
    TableColumn("必填/选填"),
    TableColumn("说明", wrap=True),
)
KIND_HINTS = {
    Kind.DECIMAL: "填数字",
    Kind.COUNT: "填不小于 0 的整数",
    Kind.RANK: "填不小于 1 的整数",
    Kind.YESNO: f"填 {YES} 或 {NO}",
    Kind.DATE: "填日期,如 2023-12-31",
}


def write_template(path: Path) -> None:
    """Write the blank input workbook to exactly `path` (the caller makes it atomic)."""
    workbook = new_workbook("sanshi 年度考核输入表(空白模板)")
    _write_instructions(workbook)
    for spec in SHEETS:
        _write_input_sheet(workbook, spec)
    save_workbook(workbook, path)


def _write_instructions(workbook: Workbook) -> None:
    rows: list[tuple[str, str, str, str]] = [("总体说明", "", "", note) for note in GENERAL_NOTES]
    for spec in SHEETS:
        rows.append((spec.name, "", "工作表", spec.help))
        for column in spec.columns:
            rows.append((spec.name, column.header, "必填" if column.required else "选填", column_help(column)))
    write_table(workbook, INSTRUCTIONS_SHEET, INSTRUCTION_COLUMNS, rows)


def column_help(column: Column) -> str:
    """What to write in a column: its help text, its choices or number kind, and accepted other headers."""
    parts = [column.help] if column.help else []
    if column.kind is Kind.CHOICE:
        parts.append("可选:" + "、".join(offered_choices(column)))
    elif column.kind in KIND_HINTS:
        parts.append(KIND_HINTS[column.kind])
    if column.aliases:
        parts.append("列名也可写作:" + "、".join(column.aliases))
    return ";".join(parts)


def offered_choices(column: Column) -> tuple[str, ...]:
    """The values a drop-down list offers for a CHOICE or YESNO column."""
    if column.kind is Kind.YESNO:
        return (YES, NO)
    return OFFERED_CHOICES.get(column.field, column.choices)


def _write_input_sheet(workbook: Workbook, spec: SheetSpec) -> None:
    table = write_table(workbook, spec.name, [TableColumn(c.header) for c in spec.columns], [], min_width=12)
    for index, column in enumerate(spec.columns):
        if column.required:
            table.header_fills[index] = REQUIRED_FILL
            table.header_comments[index] = f"{REQUIRED_NOTE}\n{column.help}" if column.help else REQUIRED_NOTE
        validation = column_validation(column)
        if validation is not None:
            table.validations.append((index, LAST_VALIDATED_ROW - 1, validation))


def column_validation(column: Column) -> dict[str, Any] | None:
    """The Excel data validation (XlsxWriter's options) for a column's kind, or None for free text and dates."""
    if column.kind in (Kind.CHOICE, Kind.YESNO):
        choices = offered_choices(column)
        formula = '"' + ",".join(choices) + '"'
        if len(formula) > MAX_LIST_FORMULA or any("," in choice for choice in choices):
            raise ValueError(f"{column.header}: 可选值过长或含逗号,无法做成下拉列表")
        validation: dict[str, Any] = {"validate": "list", "source": list(choices)}
        error = "请从下拉列表中选择:" + "、".join(choices)
    elif column.kind is Kind.RANK:
        validation = {"validate": "integer", "criteria": ">=", "value": 1}
        error = "请填写不小于 1 的整数"
    elif column.kind is Kind.COUNT:
        validation = {"validate": "integer", "criteria": ">=", "value": 0}
        error = "请填写不小于 0 的整数"
    elif column.kind is Kind.DECIMAL:
        validation = {"validate": "decimal", "criteria": "between", "minimum": -DECIMAL_BOUND, "maximum": DECIMAL_BOUND}
        error = "请填写数字"
    else:
        return None
    validation.update(
        ignore_blank=True,
        show_error=True,
        error_title=f"{column.header}填写有误"[:MAX_PROMPT_TITLE],
        error_message=error,
    )
    if column.help:
        validation.update(
            show_input=True, input_title=column.header[:MAX_PROMPT_TITLE], input_message=column.help[:MAX_PROMPT]
        )
    return validation
