"""The blank input template: built from the schema, with drop-down lists and instructions."""

from __future__ import annotations

import openpyxl
import pytest

from sanshi.inputs.schema import SHEETS
from sanshi.writers.template_book import write_template


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("tpl") / "模板.xlsx"
    write_template(path)
    return openpyxl.load_workbook(path)


def _list_validation(sheet, header: str) -> tuple[str, str]:
    """(formula, range) of the validation applied to the column with this header."""
    letter = next(cell.column_letter for cell in sheet[1] if cell.value == header)
    for validation in sheet.data_validations.dataValidation:
        if f"{letter}2:{letter}1000" in str(validation.sqref):
            return validation.type, validation.formula1
    raise AssertionError(f"{sheet.title} › {header}: no validation")


def test_instructions_first_then_every_input_sheet(book):
    assert book.sheetnames == ["填表说明"] + [spec.name for spec in SHEETS]


@pytest.mark.parametrize("spec", SHEETS, ids=lambda spec: spec.name)
def test_headers_in_schema_order(book, spec):
    sheet = book[spec.name]
    assert [cell.value for cell in sheet[1]] == [column.header for column in spec.columns]
    assert sheet.freeze_panes == "A2"
    # Portrait when the columns fit A4's 698 printable pixels (8 a character, stored as width + 5/8), else landscape.
    pixels = sum(round(dim.width * 8) * (dim.max - dim.min + 1) for dim in sheet.column_dimensions.values())
    assert sheet.page_setup.orientation == ("landscape" if pixels > 698 else "portrait")


def test_target_sheet_headers_and_required_marks(book):
    sheet = book["目标责任考核"]
    assert [cell.value for cell in sheet[1]][:4] == ["单位", "综合得分", "类别", "等次"]
    assert "必填" in sheet["A1"].comment.text
    assert sheet["A1"].fill.fgColor.rgb != sheet["C1"].fill.fgColor.rgb  # 类别 is optional


def test_type_column_offers_county_and_district(book):
    assert _list_validation(book["县域监测"], "类型") == ("list", '"县(市),城区"')


def test_grade_columns_offer_preset_grades(book):
    assert _list_validation(book["目标责任考核"], "等次") == ("list", '"一般,较差"')
    assert _list_validation(book["脱贫攻坚"], "等次") == ("list", '"较好,一般,较差,差"')


def test_yes_no_and_number_columns_are_checked(book):
    assert _list_validation(book["县域监测"], "曾进入") == ("list", '"是,否"')
    assert _list_validation(book["县域监测"], "名次") == ("whole", "1")
    assert _list_validation(book["干部"], "总票数") == ("whole", "0")
    assert _list_validation(book["目标责任考核"], "综合得分")[0] == "decimal"


def test_instructions_name_every_sheet_and_the_year_rule(book):
    text = "\n".join(str(value) for row in book["填表说明"].iter_rows(values_only=True) for value in row if value)
    for spec in SHEETS:
        assert spec.name in text
    assert "2023.xlsx" in text and "--year" in text
    assert "必填" in text and "选填" in text


def test_the_facts_of_the_criticism_clauses_have_columns(book):
    """能下 10(2), 11(1), 12(1): who criticized, how, whether 问题严重; "一年内" by 发生日期."""
    poverty = [cell.value for cell in book["脱贫攻坚"][1]]
    assert {"通报批评", "批评机关", "问题严重"} <= set(poverty)
    assert _list_validation(book["脱贫攻坚"], "问题严重") == ("list", '"是,否"')
    findings = [cell.value for cell in book["责任认定"][1]]
    assert {"日期", "发生日期", "通报", "处理", "问题严重"} <= set(findings)
    assert _list_validation(book["责任认定"], "处理") == ("list", '"通报批评,责任追究"')
    assert _list_validation(book["责任认定"], "问题严重") == ("list", '"是,否"')
