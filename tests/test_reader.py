"""README「输入」: header detection, normalization and every problem reported with its cell."""

from decimal import Decimal

import openpyxl
import pytest

from sanshi.errors import InputError, UsageError
from sanshi.inputs.reader import read_workbook, resolve_year

TARGET_HEADER = ["单位", "类别", "综合得分", "等次"]


def problems_of(path):
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    return [str(p) for p in caught.value.problems]


def test_header_found_under_title_rows_and_full_width_names_normalized(tmp_path, book):
    path = book(
        {
            "目标责任考核": [
                ["2023年度目标责任考核结果"],
                ["(单位:分)"],
                ["单 位", "类别", "综合得分"],
                ["秦川市", "设区市", 92.35],
                ["  渭 北 市 ", "设区市", "９１．５"],
            ]
        }
    )
    workbook = openpyxl.load_workbook(path)
    workbook["目标责任考核"].merge_cells("A1:C1")
    workbook.save(path)
    table = read_workbook(path).tables["目标责任考核"]
    assert [r["unit"] for r in table.rows] == ["秦川市", "渭北市"]
    assert [r["score"] for r in table.rows] == [Decimal("92.35"), Decimal("91.5")]
    assert table.row_numbers == [4, 5]


def test_bad_values_are_all_reported_with_cells(book):
    path = book(
        {
            "目标责任考核": [
                TARGET_HEADER,
                ["甲市", "设区市", "9O.5", None],
                ["乙市", "设区市", 90, "优"],
                [None, "设区市", 88, None],
            ],
            "县域监测": [["县区", "类型", "名次"], ["甲县", "乡", 1], ["乙县", "县", 1.5], ["丙县", "县(市)", 0]],
        }
    )
    found = problems_of(path)
    assert '2023.xlsx › 目标责任考核 › C2: 综合得分 "9O.5" 不是数字(文本形式的数字只能是数字本身,可带单位“分”)' in found
    assert '2023.xlsx › 目标责任考核 › D3: 等次 "优" 不是可选值(一般、较差)' in found
    assert "2023.xlsx › 目标责任考核 › A4: 单位 为空(必填)" in found
    assert any(p.startswith("2023.xlsx › 县域监测 › B2:") for p in found)
    assert any(p.startswith("2023.xlsx › 县域监测 › C3:") and "不是整数" in p for p in found)
    assert any(p.startswith("2023.xlsx › 县域监测 › C4:") for p in found)
    assert len(found) == 6


def test_missing_required_column_suggests_the_closest_header(book):
    path = book({"目标责任考核": [["单位", "综合得份"], ["甲市", 90]]})
    (message,) = problems_of(path)
    assert "缺少必填列「综合得分」" in message and "「综合得份」" in message


def test_duplicate_units_after_normalization(book):
    path = book({"目标责任考核": [["单位", "综合得分"], ["甲 市", 90], ["甲市", 91]]})
    (message,) = problems_of(path)
    assert message.startswith("2023.xlsx › 目标责任考核 › A3:") and "甲市" in message and "A2" in message


def test_duplicate_rank_within_a_ranking_is_an_error_but_not_across_rankings(book):
    path = book({"县域监测": [["县区", "类型", "名次"], ["甲县", "县", 1], ["乙区", "城区", 1], ["丙县", "县(市)", 1]]})
    (message,) = problems_of(path)
    assert "县域监测 › C4" in message and "县(市)名次 1 重复" in message


def test_area_type_labels_are_normalized(book):
    path = book(
        {
            "县域监测": [
                ["县区", "类型", "名次"],
                ["甲县", "县（市）", 1],
                ["乙县", "县", 2],
                ["丙区", "区", 1],
                ["丁区", "城区", 2],
            ]
        }
    )
    table = read_workbook(path).tables["县域监测"]
    assert [r["area_type"] for r in table.rows] == ["县", "县", "城区", "城区"]


def test_no_known_sheet(book):
    path = book({"Sheet1": [["a", "b"]]})
    (message,) = problems_of(path)
    assert "没有可识别的工作表" in message and "Sheet1" in message


def test_not_a_workbook(tmp_path):
    path = tmp_path / "2023.xlsx"
    path.write_text("not a zip")
    (message,) = problems_of(path)
    assert message.startswith("2023.xlsx: 不是工作簿")


def test_legacy_xls_files_are_read(tmp_path):
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("目标责任考核")
    for r, row in enumerate([["2023年考核"], ["单位", "综合得分", "考核人数"], ["甲市", 95.5, 40], ["乙市", 90, 20]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "2023.xls"
    workbook.save(str(path))
    table = read_workbook(path).tables["目标责任考核"]
    assert [(r["unit"], r["score"], r["staff"]) for r in table.rows] == [
        ("甲市", Decimal("95.5"), 40),
        ("乙市", Decimal("90"), 20),
    ]


def test_year_from_file_name_or_option(tmp_path):
    assert resolve_year(tmp_path / "2023年度考核.xlsx", None) == 2023
    assert resolve_year(tmp_path / "results.xlsx", 2021) == 2021
    with pytest.raises(UsageError):
        resolve_year(tmp_path / "results.xlsx", None)


def test_totals_rows_and_notes_merged_across_the_table_are_no_units(tmp_path, book):
    """WPS and Excel tables end in a 合计 row and a merged 注 row: neither is a unit, and the run says so."""
    path = book(
        {
            "目标责任考核": [
                ["2023年度目标责任考核结果"],
                ["单位", "类别", "综合得分", "考核人数"],
                ["秦川市", "设区市", 92.35, 40],
                ["小 计", None, None, 40],
                ["渭北市", "设区市", 91.5, 30],
                ["合计", None, 183.85, 70],
                ["注:综合得分含加减分", None, None, None],
            ],
            "干部": [["姓名", "单位", "优秀票"], ["汤志", "秦川市", 10], ["总计", None, 10]],
        }
    )
    workbook = openpyxl.load_workbook(path)
    workbook["目标责任考核"].merge_cells("A7:D7")
    workbook.save(path)
    read = read_workbook(path)
    table = read.tables["目标责任考核"]
    assert table.column("unit") == ["秦川市", "渭北市"] and table.row_numbers == [3, 5]
    assert read.tables["干部"].column("name") == ["汤志"]
    notes = [w.message for w in read.warnings]
    assert (
        "2023.xlsx › 目标责任考核 › 第4行、第6行是合计行(写有「合计」「总计」「小计」之一),不作为单位或干部读取"
        in notes
    )
    assert "2023.xlsx › 目标责任考核 › 第7行合并为一格(说明文字),不作为单位或干部读取" in notes
    assert "2023.xlsx › 干部 › 第3行是合计行(写有「合计」「总计」「小计」之一),不作为单位或干部读取" in notes


def test_a_merge_over_part_of_a_row_is_still_a_problem(tmp_path, book):
    """Only one cell across every column read is a note: a merge over some of a unit's cells hides values."""
    path = book({"目标责任考核": [["单位", "类别", "综合得分"], ["秦川市", "设区市", 92], ["渭北市", "设区市", 91]]})
    workbook = openpyxl.load_workbook(path)
    workbook["目标责任考核"].merge_cells("A3:B3")
    workbook.save(path)
    assert problems_of(path) == [
        "2023.xlsx › 目标责任考核 › A3:B3: 是合并单元格:合并后只有第一个单元格有值,请取消合并并在每一行填写"
    ]


def test_the_columns_an_earlier_fill_added_are_passed_over_silently(tmp_path, book):
    path = book({"干部": [["姓名", "单位", "能下条款", "容错", "影响期至"], ["汤志", "秦川市", "8(2)", None, None]]})
    read = read_workbook(path)
    assert read.tables["干部"].columns == {"name", "unit"}
    assert read.warnings == []
