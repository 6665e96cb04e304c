"""What real exports look like, read through the one path — formats, numbers and dates stored as
text, names written several ways, and the 单位名称对照 that joins them across sheets and years."""

from __future__ import annotations

import datetime
from pathlib import Path
from decimal import Decimal

import pandas as pd
import pytest
import xlwt
from typer.testing import CliRunner

from sanshi.cli import app
from tests.conftest import write_book
from sanshi.inputs.normalize import name_key
from sanshi.inputs import formats
from sanshi.inputs.reader import read_workbook

runner = CliRunner()
ROWS = [["单位", "类别", "综合得分", "考核人数"], ["甲市", "设区市", 95.5, 20], ["乙市", "设区市", 91, 18]]
EXPECTED = [("甲市", "设区市", Decimal("95.5"), 20), ("乙市", "设区市", Decimal("91"), 18)]


def target_of(path, **kw):
    table = read_workbook(path, **kw).tables["目标责任考核"]
    return [(r["unit"], r["group"], r["score"], r["staff"]) for r in table.rows]


def test_xlsx_xlsm_xls_and_ods_give_the_same_table(tmp_path):
    assert target_of(write_book(tmp_path / "2023.xlsx", {"目标责任考核": ROWS})) == EXPECTED
    assert target_of(write_book(tmp_path / "2023.xlsm", {"目标责任考核": ROWS})) == EXPECTED
    legacy = xlwt.Workbook()
    sheet = legacy.add_sheet("目标责任考核")
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    legacy.save(str(tmp_path / "2023.xls"))
    assert target_of(tmp_path / "2023.xls") == EXPECTED
    frame = pd.DataFrame(ROWS[1:], columns=ROWS[0])
    frame.to_excel(tmp_path / "2023.ods", engine="odf", index=False, sheet_name="目标责任考核")
    assert target_of(tmp_path / "2023.ods") == EXPECTED


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_csv_from_wps_in_gbk_or_utf8(tmp_path, encoding):
    text = "\r\n".join(",".join(str(v) for v in row) for row in ROWS) + "\r\n"
    path = tmp_path / "目标责任考核.csv"
    path.write_bytes(text.encode(encoding))
    assert target_of(path) == EXPECTED


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path):
    text = "\r\n".join("\t".join(str(v) for v in row) for row in ROWS) + "\r\n"
    path = tmp_path / "目标责任考核.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    assert target_of(path) == EXPECTED


def test_a_csv_not_named_after_its_table_is_known_by_its_headers(tmp_path):
    path = tmp_path / "2023.csv"
    path.write_text("县区,类型,名次,上年名次\n甲县,县,1,2\n乙县,城区,1,1\n", encoding="utf-8-sig")
    table = read_workbook(path).tables["县域监测"]
    assert [(r["unit"], r["area_type"], r["rank"]) for r in table.rows] == [("甲县", "县", 1), ("乙县", "城区", 1)]


def test_a_csv_under_an_xls_name_is_read(tmp_path):
    path = tmp_path / "目标责任考核.xls"  # what some reporting systems export
    path.write_text("\n".join(",".join(str(v) for v in row) for row in ROWS), encoding="gbk")
    assert target_of(path) == EXPECTED


@pytest.mark.parametrize(
    "score, staff",
    [
        ("９５.５", "２０"),
        ("95.5分", "20人"),
        (" 95.5 ", "20 人"),
        ("95.50", "20.0"),
        ("+95.5", "20票"),
        ("95.5 分", "２０人"),
    ],
)
def test_numbers_stored_as_text_by_the_documented_rule(tmp_path, score, staff):
    rows = [ROWS[0], ["甲市", "设区市", score, staff], ROWS[2]]
    assert target_of(write_book(tmp_path / "2023.xlsx", {"目标责任考核": rows}))[0][2:] == (Decimal("95.5"), 20)


def test_thousands_separators_and_ranks_written_as_places(tmp_path):
    rows = [
        ["县区", "类型", "名次", "上年名次"],
        ["甲县", "县", "第1名", "2位"],
        ["乙县", "县", "２", "—"],
        ["丙县", "县", 3, "/"],
    ]
    cadres = [["姓名", "单位", "优秀票", "总票数"], ["张三", "甲县", "1,200", "1,250票"]]
    book = read_workbook(write_book(tmp_path / "2023.xlsx", {"县域监测": rows, "干部": cadres}))
    ranks = book.tables["县域监测"].rows
    assert [(r["rank"], r["last_rank"]) for r in ranks] == [(1, 2), (2, None), (3, None)]
    assert book.tables["干部"].rows[0]["votes_excellent"] == 1200 and book.tables["干部"].rows[0]["votes_total"] == 1250


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2023, 12, 1),
        45261,
        45261.0,
        "45261",
        "2023-12-01",
        "2023/12/1",
        "2023.12.01",
        "2023年12月1日",
        "20231201",
        "2023-12-01 00:00:00",
        "２０２３年１２月１日",
    ],
)
def test_dates_as_dates_serials_or_text(tmp_path, value):
    rows = [["单位", "文号", "认定日期"], ["甲市", "x〔2023〕1号", value]]
    book = read_workbook(write_book(tmp_path / "2023.xlsx", {"目标责任考核": ROWS, "容错认定": rows}))
    assert book.tables["容错认定"].rows[0]["date"] == datetime.date(2023, 12, 1)


@pytest.mark.parametrize(
    "written, key",
    [
        ("高新区", "高新区"),
        ("高\u3000新\u3000区", "高新区"),
        (" 高新区\u200b", "高新区"),
        ("西安市（高新区）", "西安市(高新区)"),
        ("西安市〔高新区〕", "西安市(高新区)"),
        ("西安市【高新区】", "西安市(高新区)"),
        ("买买提・艾力", "买买提·艾力"),
        ("买买提•艾力", "买买提·艾力"),
        ("ＡＢ县", "AB县"),
    ],
)
def test_one_normalization_for_units_and_people(written, key):
    assert name_key(written) == key


def test_the_alias_sheet_joins_units_across_sheets(tmp_path):
    names = [["别名", "规范名称"], ["西安高新区", "高新区"], ["高新技术开发区", "高新区"]]
    target = [ROWS[0], ["高新区", "开发区", 90, 10], ["甲市", "设区市", 95, 20]]
    cadres = [
        ["姓名", "单位", "岗位类别"],
        ["张三", "西安高新区", "主要负责人"],
        ["李四", "高新技术开发区", "分管领导"],
    ]
    book = read_workbook(
        write_book(tmp_path / "2023.xlsx", {"目标责任考核": target, "干部": cadres, "单位名称对照": names})
    )
    assert [r["unit"] for r in book.tables["干部"].rows] == ["高新区", "高新区"]
    assert book.aliases == {"西安高新区": "高新区", "高新技术开发区": "高新区"}
    assert book.warnings == []


def test_an_alias_file_given_on_the_command_line(tmp_path):
    (tmp_path / "对照.csv").write_text("别名,规范名称\n西安高新区,高新区\n", encoding="gbk")
    target = [ROWS[0], ["高新区", "开发区", 90, 10]]
    cadres = [["姓名", "单位"], ["张三", "西安高新区"]]
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": target, "干部": cadres})
    assert read_workbook(path, aliases=tmp_path / "对照.csv").tables["干部"].rows[0]["unit"] == "高新区"
    result = runner.invoke(app, ["check", str(path), "--aliases", str(tmp_path / "对照.csv")])
    # The alias joins the names: no unit is reported missing (check still says what the runs would warn of).
    assert result.exit_code == 0 and "西安高新区" not in result.stderr and "不在目标责任考核表中" not in result.stderr


def test_a_unit_no_list_has_is_reported_with_the_nearest_names(tmp_path):
    target = [ROWS[0], ["高新区", "开发区", 90, 10], ["甲市", "设区市", 95, 20]]
    cadres = [["姓名", "单位"], ["张三", "西安高新区"], ["李四", "西安高新区"], ["王五", "乙县"]]
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": target, "干部": cadres})
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0
    assert (
        "提示:2023.xlsx › 干部 › B2等 2 行:单位「西安高新区」不在目标责任考核表中;最接近的是 高新区;"
        "如是同一单位,请在「单位名称对照」表中写明"
    ) in result.stderr
    assert "单位「乙县」不在目标责任考核表中;没有相近的名称" in result.stderr


def _history_db(tmp_path, monitoring_2022):
    db = tmp_path / "h.db"
    old = write_book(tmp_path / "2022.xlsx", {"县域监测": monitoring_2022})
    assert runner.invoke(app, ["history", "import", str(old), "--db", str(db)]).exit_code == 0
    return db


def test_aliases_reach_the_history_years(tmp_path):
    """2022 stored the county as 西安高新区; 2023 calls it 高新区. With the alias its 上年名次 comes from history."""
    counties = [[f"{i}号县", "县", i] for i in range(1, 12)]
    db = _history_db(tmp_path, [["县区", "类型", "名次"], *counties, ["西安高新区", "县", 12]])
    now = [["县区", "类型", "名次"], ["高新区", "县", 1], *[[f"{i}号县", "县", i + 1] for i in range(1, 12)]]
    names = [["别名", "规范名称"], ["西安高新区", "高新区"]]
    path = write_book(tmp_path / "2023.xlsx", {"县域监测": now, "单位名称对照": names})
    result = runner.invoke(app, ["awards", str(path), "--json", "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    assert "名次 12→1,进11位" in result.stdout
    (tmp_path / "plain").mkdir()
    without = write_book(tmp_path / "plain" / "2023.xlsx", {"县域监测": now})
    result = runner.invoke(app, ["demotions", str(without), "--json", "--db", str(db)])
    assert (
        "单位「高新区」不在历史库2022年县域监测表中;上年有而今年没有的相近名称:西安高新区;"
        "如是同一单位改了名称,请在「单位名称对照」表中写明"
    ) in result.stdout


# ---- the biggest sheet parsed in a thread, the stored years decoded in another ----------------------------------

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def _as_read(book) -> dict:
    return {name: (t.values, t.count, t.row_numbers, t.letters, t.columns) for name, t in book.tables.items()}


def test_the_biggest_known_sheet_parsed_in_the_background_reads_as_parsed_when_asked(monkeypatch):
    plain = read_workbook(SAMPLE / "2023.xlsx")
    started = []
    prefetch = formats._LazySheet.prefetch

    def recorded(sheet, data):
        started.append(sheet._name)
        prefetch(sheet, data)

    monkeypatch.setattr(formats, "PREFETCH_BYTES", 0)  # the sample's sheets are small: parse one anyway
    monkeypatch.setattr(formats._LazySheet, "prefetch", recorded)
    fetched = read_workbook(SAMPLE / "2023.xlsx")
    assert started == ["干部"]
    assert _as_read(fetched) == _as_read(plain)


def test_a_sheet_that_fails_to_parse_in_the_background_is_reported_as_in_the_foreground(monkeypatch, tmp_path):
    def broken(data, name):
        raise ValueError("sheet XML truncated")

    monkeypatch.setattr(formats, "PREFETCH_BYTES", 0)
    monkeypatch.setattr(formats, "_parse_sheet", broken)
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": ROWS})
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "目标责任考核: 工作表无法读取(sheet XML truncated)" in result.stderr


def test_a_bad_workbook_is_reported_before_a_missing_history_store(tmp_path):
    """The store is read while the workbook is: what the user fixes first is still the workbook."""
    rows = [["单位", "类别", "综合得分"], ["甲市", "设区市", "九十"]]
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": rows})
    result = runner.invoke(app, ["demotions", str(path), "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "C2" in result.stderr and "none.db" not in result.stderr
    good = write_book(tmp_path / "good" / "2023.xlsx", {"目标责任考核": ROWS})
    result = runner.invoke(app, ["demotions", str(good), "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "none.db 不存在" in result.stderr
