"""Every kind of bad input a county can send gets exit 2 and a message naming the problem.

Each test builds one damaged file by hand, runs the real entry point (`sanshi check`, or a command
that computes) and asserts the exit code, the message and its file › sheet › cell; `KINDS` below counts
the kinds.
"""

from __future__ import annotations

import base64
import os
import shutil
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from tests.conftest import write_book
from sanshi.inputs import formats

runner = CliRunner()
TARGET = [
    ["单位", "类别", "综合得分", "考核人数"],
    ["甲市", "设区市", 95.5, 20],
    ["乙市", "设区市", 91, 18],
    ["丙市", "设区市", 88.25, 30],
]


def check(path: Path, *extra: str):
    return runner.invoke(app, ["check", str(path), "--year", "2023", *extra])


def fails(path: Path, *expected: str, extra: tuple[str, ...] = ()) -> str:
    """Exit 2, no traceback, and every expected piece of text in the messages."""
    result = check(path, *extra)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    return result.stderr


def rewrite_part(path: Path, part: str, change) -> None:
    """Replace one part of a saved .xlsx (to write what openpyxl cannot: error values, cached results)."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info, change(data) if info.filename == part else data)


def minimal_write_book(path: Path, sheet_xml: bytes, sheets: int = 1, compression=zipfile.ZIP_DEFLATED) -> Path:
    """An .xlsx package written part by part: for sizes openpyxl would take minutes to write."""
    names = "".join(
        f'<sheet name="{"目标责任考核" if i == 0 else f"S{i}"}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
        for i in range(sheets)
    )
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(sheets)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(sheets)
    )
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
                f'main+xml"/>{overrides}</Types>'
            ),
        )
        archive.writestr(
            "_rels/.rels",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
        )
        archive.writestr(
            "xl/workbook.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
                'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f"<sheets>{names}</sheets></workbook>"
            ),
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                f'2006/relationships">{rels}</Relationships>'
            ),
        )
        for i in range(sheets):
            archive.writestr(f"xl/worksheets/sheet{i + 1}.xml", sheet_xml if i == 0 else _SHEET % b"")
    return path


_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main"><sheetData>%s</sheetData></worksheet>'
)


def inline_row(row: int, *values: str) -> bytes:
    cells = b"".join(
        b'<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65 + i).encode(), row, v.encode())
        for i, v in enumerate(values)
    )
    return b'<row r="%d">%s</row>' % (row, cells)


# ---- the file itself ----------------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    fails(tmp_path / "2023.xlsx", "2023.xlsx: 文件不存在")


def test_a_folder_instead_of_a_file(tmp_path):
    (tmp_path / "2023.xlsx").mkdir()
    fails(tmp_path / "2023.xlsx", "这是一个文件夹,不是工作簿")


def test_empty_file(tmp_path):
    (tmp_path / "2023.xlsx").write_bytes(b"")
    fails(tmp_path / "2023.xlsx", "2023.xlsx: 文件是空的(0 字节)")


def test_binary_junk(tmp_path):
    (tmp_path / "2023.xlsx").write_bytes(bytes(range(256)) * 8)
    fails(tmp_path / "2023.xlsx", "2023.xlsx: 不是工作簿")


def test_plain_text_under_a_workbook_name(tmp_path):
    (tmp_path / "2023.xlsx").write_text("这是一段说明文字\n没有表头\n", encoding="utf-8")
    fails(tmp_path / "2023.xlsx", "2023.xlsx: 不是工作簿:文件内容是纯文本")


def test_web_page_saved_as_xls(tmp_path):
    (tmp_path / "2023.xls").write_text("<html><body><table><tr><td>单位</td></tr></table></body></html>")
    fails(tmp_path / "2023.xls", "2023.xls: 这是网页(HTML)格式的表格", "另存为 .xlsx")


def test_pdf_named_write_book(tmp_path):
    (tmp_path / "2023.xlsx").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    fails(tmp_path / "2023.xlsx", "这是 PDF 文件,不是工作簿")


def test_word_document_named_write_book(tmp_path):
    with zipfile.ZipFile(tmp_path / "2023.xlsx", "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    fails(tmp_path / "2023.xlsx", "这是 Word 文档(.docx),不是工作簿")


def test_a_zip_archive_of_workbooks(tmp_path):
    with zipfile.ZipFile(tmp_path / "2023.xlsx", "w") as archive:
        archive.writestr("各县/甲县.xlsx", b"PK")
    fails(tmp_path / "2023.xlsx", "这是一个压缩包,不是工作簿")


def test_truncated_workbook(tmp_path):
    whole = write_book(tmp_path / "whole.xlsx", {"目标责任考核": TARGET}).read_bytes()
    (tmp_path / "2023.xlsx").write_bytes(whole[: len(whole) // 2])
    fails(tmp_path / "2023.xlsx", "2023.xlsx: 文件已损坏", "请重新导出")


def test_password_protected_write_book(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_book(tmp_path / "plain.xlsx", {"目标责任考核": TARGET})
    with plain.open("rb") as source, (tmp_path / "2023.xlsx").open("wb") as target:
        OOXMLFile(source).encrypt("123456", target)
    fails(tmp_path / "2023.xlsx", "2023.xlsx: 工作簿设置了打开密码(已加密)", "取消密码后另存")


def test_damaged_legacy_xls(tmp_path):
    (tmp_path / "2023.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    fails(tmp_path / "2023.xls", "2023.xls: 工作簿已损坏,无法打开")


def test_zip_bomb_posing_as_xlsx_is_refused_before_inflating(tmp_path):
    path = minimal_write_book(tmp_path / "2023.xlsx", _SHEET % inline_row(1, "单位", "综合得分"))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/image1.xml", b"\0" * (64 << 20))  # 64 MB of zeros in about 64 KB
    message = fails(path, "xl/media/image1.xml 压缩比超过 200:1", "已停止读取")
    assert message.count("错误") == 1


def test_ten_thousand_sheets(tmp_path):
    path = minimal_write_book(tmp_path / "2023.xlsx", _SHEET % inline_row(1, "单位", "综合得分"), sheets=10_000)
    fails(path, "工作簿有 10000 个工作表,超过上限 1000 个")


@pytest.mark.slow  # writes and reads a 100 MB cell
def test_a_100_mb_cell_is_named_not_loaded_into_the_result(tmp_path):
    huge = base64.b64encode(os.urandom(75 << 20))  # 100 MB of text that does not compress: not a zip bomb
    body = (
        inline_row(1, "单位", "综合得分")
        + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        + huge
        + b'</t></is></c><c r="B2"><v>90</v></c></row>'
    )
    path = minimal_write_book(tmp_path / "2023.xlsx", _SHEET % body, compression=zipfile.ZIP_STORED)
    fails(path, "目标责任考核 › A2: 单位 有 104857600 个字符,超过单元格上限 32767 个")


def test_csv_in_utf16_without_bom_is_not_read_as_junk(tmp_path):
    (tmp_path / "目标责任考核.csv").write_bytes("单位,综合得分\n甲市,90\n".encode("utf-16-le"))
    fails(tmp_path / "目标责任考核.csv", "目标责任考核.csv: CSV 文件中有空字符")


def test_csv_whose_table_cannot_be_told(tmp_path):
    (tmp_path / "2023.csv").write_text("单位,综合得分\n甲市,90\n", encoding="utf-8-sig")
    fails(tmp_path / "2023.csv", "无法从表头判断这是哪张表", "目标责任考核.csv")


# ---- sheets ---------------------------------------------------------------------------------------------------


def test_no_known_sheet_lists_the_sheets_present(tmp_path):
    path = write_book(tmp_path / "2023.xlsx", {"Sheet1": [["说明"], ["见附件"]]})
    fails(path, "没有可识别的工作表", "现有工作表:Sheet1")


def test_hidden_known_sheet(tmp_path):
    def hide(workbook):
        workbook["干部"].sheet_state = "hidden"

    path = write_book(
        tmp_path / "2023.xlsx", {"目标责任考核": TARGET, "干部": [["姓名", "单位"], ["张三", "甲市"]]}, hide
    )
    fails(path, "2023.xlsx › 干部: 干部表被隐藏了", "取消隐藏")


def test_very_hidden_known_sheet(tmp_path):
    def hide(workbook):
        workbook["容错认定"].sheet_state = "veryHidden"

    path = write_book(
        tmp_path / "2023.xlsx", {"目标责任考核": TARGET, "容错认定": [["单位", "文号"], ["甲市", "x〔2023〕1号"]]}, hide
    )
    fails(path, "2023.xlsx › 容错认定: 容错认定表被隐藏了")


def test_renamed_sheet_is_recognized_by_its_headers_and_must_be_renamed(tmp_path):
    cadres = [["姓名", "单位", "职务", "岗位类别", "年度考核等次"], ["张三", "甲市", "市长", "主要负责人", "优秀"]]
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": TARGET, "Sheet2": cadres})
    fails(path, "2023.xlsx › Sheet2: 这张工作表有干部表的表头,但工作表名不是", "请把它改名为「干部」")


def test_two_sheets_for_one_table(tmp_path):
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": TARGET, "目标责任考核 ": TARGET})
    fails(path, "工作表「目标责任考核」和「目标责任考核 」都是目标责任考核表")


def test_awards_without_any_sheet_it_reads(tmp_path):
    path = write_book(tmp_path / "2023.xlsx", {"干部": [["姓名", "单位"], ["张三", "甲市"]]})
    result = runner.invoke(app, ["awards", str(path), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "h.db")])
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    assert ("2023.xlsx: 没有 目标责任考核、县域监测、脱贫攻坚 中的任何一张表,无法评优(读到的表:干部)") in result.stderr


def test_a_missing_award_sheet_is_said_not_silently_empty(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./sanshi.db: the run goes on without history
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": TARGET})
    result = runner.invoke(app, ["awards", str(path), "--json"])
    assert result.exit_code == 0
    assert "提示:工作簿没有县域监测表:十强县、五强区、争先进位奖和三个强县未评定" in result.stderr
    assert "提示:工作簿没有脱贫攻坚表:脱贫攻坚优秀单位未评定" in result.stderr


def test_header_row_not_found(tmp_path):
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": [["标题"]] * 12 + TARGET})
    fails(path, "2023.xlsx › 目标责任考核: 找不到表头行:前10行中没有必填列 单位、综合得分")


def test_required_column_missing_suggests_the_nearest(tmp_path):
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": [["单位", "综合分"], ["甲市", 90]]})
    fails(path, "缺少必填列「综合得分」,最接近的现有列是「综合分」")


def test_duplicate_column(tmp_path):
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": [["单位", "综合得分", "得分"], ["甲市", 90, 91]]})
    fails(path, "目标责任考核 › C1: 列 综合得分 出现两次(另见 B1)")


# ---- cells ----------------------------------------------------------------------------------------------------


def test_formulas_never_calculated(tmp_path):
    rows = [TARGET[0], ["甲市", "设区市", "=90+5.5", 20], ["乙市", "设区市", "=SUM(80,11)", 18]]
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": rows})
    message = fails(
        path,
        "目标责任考核 › C2: 是公式,但文件里没有保存计算结果(还有 C3,共 2 个单元格)",
        "请在 Excel/WPS 中打开并保存后重试",
    )
    assert "为空" not in message


def test_formula_error_value(tmp_path):
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": [TARGET[0], ["甲市", "设区市", 90, "=1/0"]]})
    rewrite_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b'<c r="D2"><f>1/0</f><v></v></c>', b'<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        ).replace(b'<c r="D2"><f>1/0</f><v /></c>', b'<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'),
    )
    fails(path, "目标责任考核 › D2: 考核人数 是错误值 #DIV/0!")


def test_merged_cells_in_the_body(tmp_path):
    def merge(workbook):
        workbook["目标责任考核"].merge_cells("B2:B4")

    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": TARGET}, merge)
    message = fails(path, "目标责任考核 › B2:B4: 是合并单元格", "请取消合并并在每一行填写")
    assert message.count("错误") == 1  # not also 类别 为空 in B3 and B4 (类别 is optional; see the unit case)


def test_a_merged_unit_column_is_one_message_not_one_per_blank_row(tmp_path):
    def merge(workbook):
        workbook["目标责任考核"].merge_cells("A2:A3")

    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": TARGET}, merge)
    message = fails(path, "目标责任考核 › A2:A3: 是合并单元格")
    assert "A3: 单位 为空" not in message


def test_merged_title_above_the_header_is_fine(tmp_path):
    def merge(workbook):
        workbook["目标责任考核"].merge_cells("A1:D1")

    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": [["2023年度目标责任考核结果"]] + TARGET}, merge)
    assert check(path).exit_code == 0


@pytest.mark.parametrize("text", ["约95", "95.5左右", "95%", "九十五", "95。5", "1,23", "95.5/100", "95.5分分"])
def test_numbers_as_text_that_are_not_one_number(tmp_path, text):
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": [TARGET[0], ["甲市", "设区市", text, 20]]})
    fails(path, f'目标责任考核 › C2: 综合得分 "{text}" 不是数字(文本形式的数字只能是数字本身,可带单位“分”)')


def test_a_unit_word_from_another_column_is_not_accepted(tmp_path):
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": [TARGET[0], ["甲市", "设区市", "95票", "20分"]]})
    fails(
        path,
        'C2: 综合得分 "95票" 不是数字',
        'D2: 考核人数 "20分" 不是整数(文本形式的数字只能是数字本身,可带单位“票”或“人”)',
    )


def test_date_typed_into_a_number_column(tmp_path):
    import datetime

    path = write_book(
        tmp_path / "2023.xlsx", {"目标责任考核": [TARGET[0], ["甲市", "设区市", datetime.datetime(2023, 3, 1), 20]]}
    )
    fails(path, "C2: 综合得分", "是日期或时间,不是数字", "单元格格式设为“常规”")


def test_fractional_negative_and_zero_counts_and_ranks(tmp_path):
    rows = [["县区", "类型", "名次", "上年名次"], ["甲县", "县", 1.5, 2], ["乙县", "县", 0, 3], ["丙县", "县", 2, -1]]
    path = write_book(tmp_path / "2023.xlsx", {"县域监测": rows})
    fails(path, 'C2: 名次 "1.5" 不是整数', 'C3: 名次 "0" 应为从 1 开始的名次', 'D4: 上年名次 "-1" 应为从 1 开始的名次')


def test_choice_and_yes_no_values(tmp_path):
    rows = [["县区", "类型", "名次", "曾进入"], ["甲县", "乡", 1, "是"], ["乙县", "县", 2, "可能"]]
    path = write_book(tmp_path / "2023.xlsx", {"县域监测": rows})
    fails(path, '县域监测 › B2: 类型 "乡" 不是可选值', '县域监测 › D3: 曾进入 "可能" 应填 是 或 否')


@pytest.mark.parametrize(
    "value, shown", [("2023年13月1日", "2023年13月1日"), ("下个月", "下个月"), (12, "12"), ("2023-02-30", "2023-02-30")]
)
def test_dates_that_are_not_dates(tmp_path, value, shown):
    rows = [["单位", "文号", "认定日期"], ["甲市", "x〔2023〕1号", value]]
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": TARGET, "容错认定": rows})
    fails(path, f'容错认定 › C2: 认定日期 "{shown}" 不是日期')


def test_a_cell_longer_than_excel_allows(tmp_path):
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": TARGET})
    rewrite_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<t>\xe7\x94\xb2\xe5\xb8\x82</t>", b"<t>" + b"x" * 40_000 + b"</t>"),
    )
    fails(path, "目标责任考核 › A2: 单位 有 40000 个字符,超过单元格上限 32767 个")


def test_required_blank_and_placeholder_in_a_required_cell(tmp_path):
    rows = [TARGET[0], ["甲市", "设区市", None, 20], ["—", "设区市", 90, 20]]
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": rows})
    fails(path, "C2: 综合得分 为空(必填)")
    # "—" is a placeholder only in an optional column; as a unit name it is read as written
    assert "A3" not in check(path).stderr


def test_duplicate_unit_after_normalization_and_alias(tmp_path):
    rows = [TARGET[0], ["西安高新区", "设区市", 90, 20], ["高新区", "设区市", 91, 20]]
    names = [["别名", "规范名称"], ["西安高新区", "高新区"]]
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": rows, "单位名称对照": names})
    fails(path, "目标责任考核 › A3: 单位「高新区」重复(另见 A2)")


def test_duplicate_rank_and_cadre_id_and_short_vote_total(tmp_path):
    ranks = [["县区", "类型", "名次"], ["甲县", "县", 1], ["乙县", "县", 1]]
    cadres = [
        ["姓名", "单位", "干部编号", "优秀票", "称职票", "总票数"],
        ["张三", "甲县", "G1", 10, 5, 20],
        ["李四", "乙县", "G1", 10, 5, 12],
    ]
    path = write_book(tmp_path / "2023.xlsx", {"县域监测": ranks, "干部": cadres})
    fails(
        path,
        "县域监测 › C3: 县(市)名次 1 重复(另见 C2)",
        "干部 › C3: 干部编号「G1」重复(另见 C2)",
        "干部 › F3: 总票数 12 小于优秀、称职、基本称职、不称职票之和 15",
    )


def test_cadre_problems_are_listed_row_by_row(tmp_path):
    """The 干部编号 and 总票数 checks read by column; the user still reads their problems in the sheet's order."""
    cadres = [
        ["姓名", "单位", "干部编号", "优秀票", "称职票", "总票数"],
        ["张三", "甲县", "G1", 10, 5, 20],
        ["李四", "乙县", "G2", 10, 5, 12],
        ["王五", "丙县", "G1", 10, 5, 9],
        ["赵六", "丁县", "G3", 10, 5, 3],
    ]
    stderr = fails(write_book(tmp_path / "2023.xlsx", {"干部": cadres}))
    cells = re.findall(r"干部 › ([A-Z]+\d+)", stderr)
    assert cells == ["F3", "C4", "F4", "F5"]


# ---- 单位名称对照 -------------------------------------------------------------------------------------------------


def test_alias_with_two_targets(tmp_path):
    names = [["别名", "规范名称"], ["高新区", "西安高新区"], ["高 新 区", "高新技术开发区"]]
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": TARGET, "单位名称对照": names})
    fails(path, "单位名称对照 › A3: 别名「高新区」重复(另见 A2)")


def test_alias_chain(tmp_path):
    names = [["别名", "规范名称"], ["西安高新区", "高新区"], ["高新区", "高新技术产业开发区"]]
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": TARGET, "单位名称对照": names})
    fails(path, "「高新区」既是「西安高新区」的规范名称,又是别名")


def test_alias_file_that_is_not_one(tmp_path):
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": TARGET})
    other = write_book(tmp_path / "names.xlsx", {"Sheet1": [["单位", "备注"], ["甲市", ""]]})
    fails(path, "names.xlsx: 不是单位名称对照文件", extra=("--aliases", str(other)))


# ---- a bad input stops a computing command before anything is written -----------------------------------------


def test_bad_input_writes_nothing(tmp_path):
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": [TARGET[0], ["甲市", "设区市", "约95", 20]]})
    out = tmp_path / "out"
    result = runner.invoke(app, ["awards", str(path), "--out", str(out), "--db", str(tmp_path / "h.db")])
    assert result.exit_code == 2 and "约95" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_the_reader_limits_are_the_documented_ones():
    # the messages above quote these numbers; a change here must be a decision, not an accident
    assert (formats.MAX_SHEETS, formats.BOMB_RATIO, formats.MAX_CELL_CHARS) == (1000, 200, 32767)


def test_every_kind_is_counted():
    kinds = [
        name
        for name in globals()
        if name.startswith("test_")
        and name
        not in {
            "test_merged_title_above_the_header_is_fine",
            "test_the_reader_limits_are_the_documented_ones",
            "test_every_kind_is_counted",
        }
    ]
    assert len(kinds) >= 30, kinds


@pytest.fixture(autouse=True)
def _no_leftovers(tmp_path):
    yield
    shutil.rmtree(tmp_path, ignore_errors=True)  # the 100 MB and 10,000-sheet files do not stay on disk
