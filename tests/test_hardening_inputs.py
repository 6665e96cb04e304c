"""Issue 21, the input side: what a hostile or careless workbook did to the reader, each item through the CLI.

1 and 19: the hash recorded is that of the bytes parsed, whatever happens to the file on disk meanwhile.
3: invisible characters in names. 4 and 12: every number within its range, named by its cell. 7: a CSV in
two encodings. 26: a 县域监测 sheet with headers and no rows.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.inputs import formats

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def sample_copy(folder: Path, edit=None, name: str = "2023.xlsx") -> Path:
    """The 2023 sample saved again by openpyxl, after `edit(workbook)` (both sides of a comparison go through it)."""
    workbook = openpyxl.load_workbook(SAMPLE / "2023.xlsx")
    if edit is not None:
        edit(workbook)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    workbook.save(path)
    return path


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def refused(args: list[str], *expected: str) -> str:
    """Exit 2, no traceback, every expected text in the messages."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    return result.stderr


def awards_json(path: Path) -> dict:
    result = runner.invoke(app, ["awards", str(path), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    document.pop("source")  # file name and SHA-256: the rest is the result
    return document


# ---- 1, 19: the hash of the bytes parsed ---------------------------------------------------------------------


def test_item_01_the_recorded_hash_is_that_of_the_file_parsed_not_of_its_replacement(tmp_path, monkeypatch):
    path = sample_copy(tmp_path)
    original = path.read_bytes()
    replacement = sample_copy(tmp_path / "other", lambda wb: wb["目标责任考核"].cell(3, 3, 80)).read_bytes()
    assert sha256(original) != sha256(replacement)
    parse = formats._parse

    def parse_then_replace(data, where, fail, *rest):
        book = parse(data, where, fail, *rest)
        where.write_bytes(replacement)  # another process saves over the file while sanshi reads it
        return book

    monkeypatch.setattr(formats, "_parse", parse_then_replace)
    out = tmp_path / "out"
    result = runner.invoke(app, ["awards", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads(next(out.glob("*.manifest.json")).read_text(encoding="utf-8"))
    (workbook,) = [entry for entry in manifest["inputs"] if entry["kind"] == "workbook"]
    assert workbook["sha256"] == sha256(original)

    # history import records the file it parsed: the replacement, now on disk, is a new revision, not "the same file"
    db = tmp_path / "sanshi.db"
    path.write_bytes(original)
    imported = runner.invoke(app, ["history", "import", str(path), "--db", str(db)])
    assert imported.exit_code == 0, imported.output
    monkeypatch.setattr(formats, "_parse", parse)
    again = runner.invoke(app, ["history", "import", str(path), "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert "同一文件" not in again.output
    listed = runner.invoke(app, ["history", "list", "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    assert sha256(original)[:12] in listed.output and sha256(replacement)[:12] in listed.output


def test_item_01_the_aliases_file_is_recorded_as_parsed(tmp_path, monkeypatch):
    path = sample_copy(tmp_path)
    aliases = tmp_path / "aliases.csv"
    original = "别名,规范名称\n秦川,秦川市\n".encode()
    aliases.write_bytes(original)
    parse = formats._parse

    def parse_then_replace(data, where, fail, *rest):
        book = parse(data, where, fail, *rest)
        if where.name == aliases.name:
            where.write_bytes("别名,规范名称\n渭北,渭北市\n".encode())
        return book

    monkeypatch.setattr(formats, "_parse", parse_then_replace)
    out = tmp_path / "out"
    result = runner.invoke(app, ["awards", str(path), "--aliases", str(aliases), "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads(next(out.glob("*.manifest.json")).read_text(encoding="utf-8"))
    (entry,) = [entry for entry in manifest["inputs"] if entry["kind"] == "aliases"]
    assert entry["sha256"] == sha256(original) != sha256(aliases.read_bytes())


def test_item_19_a_file_overwritten_while_it_is_read_is_read_as_it_was(tmp_path, monkeypatch):
    path = sample_copy(tmp_path)
    expected = awards_json(path)
    read_once = formats.read_once

    def read_then_truncate(where, *limits):
        content = read_once(where, *limits)
        where.write_bytes(content[0][: len(content[0]) // 2])  # a copy over the file has only got half-way
        return content

    monkeypatch.setattr(formats, "read_once", read_then_truncate)
    assert awards_json(path) == expected


# ---- 3: invisible characters ---------------------------------------------------------------------------------


def test_item_03_invisible_characters_do_not_make_a_new_unit(tmp_path):
    plain = sample_copy(tmp_path / "plain")

    def soft_hyphens(workbook):
        assert workbook["目标责任考核"]["A3"].value == "秦川市"
        workbook["目标责任考核"]["A3"] = "秦川\u00ad市"
        for row in workbook["干部"].iter_rows(min_row=2, max_col=3):
            if row[2].value == "秦川市":
                row[2].value = "秦\u200d川\u2066市\ufeff"

    hidden = sample_copy(tmp_path / "hidden", soft_hyphens)
    assert awards_json(hidden) == awards_json(plain)


def test_item_03_a_unit_twice_under_an_invisible_difference_is_one_unit_twice(tmp_path):
    path = sample_copy(tmp_path, lambda wb: wb["目标责任考核"].append(["秦川\u00ad市", "设区市", 90]))
    refused(["check", str(path)], "目标责任考核 › A55", "单位「秦川市」重复(另见 A3)")


def test_item_03_names_that_still_differ_only_invisibly_are_an_error_naming_both_cells(tmp_path):
    def annotation_mark(workbook):
        sheet = workbook["干部"]
        assert sheet["C2"].value == "秦川市" and sheet["C3"].value == "秦川市"
        sheet["C3"] = "秦川\ufff9市"  # INTERLINEAR ANNOTATION ANCHOR: a format character, not default-ignorable

    path = sample_copy(tmp_path, annotation_mark)
    out = tmp_path / "out"
    refused(
        ["awards", str(path), "--out", str(out)],
        "干部 › C3",
        "单位「秦川市」与 C2 看起来相同,但含有不可见的字符(如 U+FFF9)",
    )
    assert not out.exists()


# ---- 4, 12: ranges --------------------------------------------------------------------------------------------


def test_item_04_last_rank_500_in_a_ranking_of_80_counties_is_refused(tmp_path):
    # 县域监测 lists 80 县(市) and 25 城区; without last year's ranking a 上年名次 may be at most 80 + 10.
    def last_rank(workbook):
        sheet = workbook["县域监测"]
        assert sheet["A4"].value == "龙滩市" and sheet["D3"].value == "上年名次"
        sheet["D4"] = 500

    path = sample_copy(tmp_path, last_rank)
    out = tmp_path / "out"
    refused(
        ["awards", str(path), "--out", str(out)],
        "县域监测 › D4",
        "县(市)上年名次 500 应在 1 至 90 之间(本表有 80 个县(市)",
    )
    assert not out.exists()


def test_item_04_last_rank_beyond_last_years_ranking_in_the_history_store_is_refused(tmp_path, sample_db):
    # The store's 2022 ranking has 80 县(市): a new county's 上年名次 85 passes this year's bound (81 + 10) but
    # not last year's.
    def new_county(workbook):
        workbook["县域监测"].append(["新设县", "县(市)", 81, 85, 60])

    path = sample_copy(tmp_path, new_county)
    out = tmp_path / "out"
    refused(
        ["awards", str(path), "--db", str(sample_db), "--out", str(out)],
        "县域监测 › D109",
        "新设县 工作簿上年名次 85 超出2022年县(市)排名的范围:历史库2022年有 80 个县(市),名次应在 1 至 80 之间",
    )
    assert not out.exists()


def test_item_04_a_rank_beyond_its_ranking_is_refused(tmp_path):
    def ranks(workbook):
        sheet = workbook["县域监测"]
        sheet["C4"] = 81  # 名次 among 80 县(市)
        sheet["I4"] = 1e300  # 四项指标排位

    path = sample_copy(tmp_path, ranks)
    refused(
        ["check", str(path)],
        "县域监测 › C4",
        "县(市)名次 81 超出县(市)排名的范围:本表有 80 个县(市),名次应在 1 至 80 之间",
        "县域监测 › I4",
        '四项指标排位 "1e+300" 超出名次的范围(1 至 10000)',
    )


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "message"),
    [
        ("目标责任考核", "F3", 1e300, '考核人数 "1e+300" 超出人数、票数的范围(0 至 999999)'),
        ("目标责任考核", "F3", 1_000_000, '考核人数 "1000000" 超出人数、票数的范围(0 至 999999)'),
        ("目标责任考核", "C3", 1e300, '综合得分 "1e+300" 超出得分的范围 0 至 200'),
        ("目标责任考核", "C3", 200.5, '综合得分 "200.5" 超出得分的范围 0 至 200'),
        ("目标责任考核", "C3", -1, '综合得分 "-1" 超出得分的范围 0 至 200'),
        ("目标责任考核", "G3", 53, "排序 53 超出本表的行数 52"),
        ("干部", "H2", 1e300, '优秀票 "1e+300" 超出人数、票数的范围(0 至 999999)'),
        ("县域监测", "E4", 1e300, '综合得分 "1e+300" 超出得分的范围 0 至 200'),
    ],
)
def test_item_04_counts_votes_and_scores_outside_their_range_are_refused(tmp_path, sheet, cell, value, message):
    def put(workbook):
        workbook[sheet][cell] = value

    path = sample_copy(tmp_path, put)
    out = tmp_path / "out"
    refused(["awards", str(path), "--out", str(out)], f"{sheet} › {cell}", message)
    assert not out.exists()


def test_item_04_the_bounds_themselves_are_accepted(tmp_path):
    def bounds(workbook):
        target = workbook["目标责任考核"]
        target["C3"], target["F3"] = 200, 999_999
        workbook["县域监测"]["D4"] = 90  # 80 县(市) + 10

    result = runner.invoke(app, ["check", str(sample_copy(tmp_path, bounds))])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("sheet", "cell", "header"),
    [("目标责任考核", "F3", "考核人数"), ("目标责任考核", "C3", "综合得分"), ("县域监测", "C4", "名次")],
)
def test_item_12_a_5000_digit_number_in_text_is_exit_2_not_a_crash(tmp_path, sheet, cell, header):
    def huge(workbook):
        workbook[sheet][cell] = "9" * 5000  # beyond Python's 4,300-digit int/str conversion limit

    path = sample_copy(tmp_path, huge)
    out = tmp_path / "out"
    stderr = refused(["awards", str(path), "--out", str(out), "--json"], f"{sheet} › {cell}", f'{header} "999')
    assert "(共 5000 位)" in stderr and "9" * 100 not in stderr
    assert not out.exists()


# ---- 7: one encoding per CSV ----------------------------------------------------------------------------------

HEADER = "单位,类别,综合得分,考核人数\n"


def test_item_07_a_gbk_csv_with_one_utf8_line_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "目标责任考核.csv"
    path.write_bytes(
        (HEADER + "甲市,设区市,95.5,20\n").encode("gbk")
        + "省某某局,省级部门,91,18\n".encode("utf-8")
        + "乙市,设区市,88.25,30\n".encode("gbk")
    )
    refused(
        ["check", str(path), "--year", "2023"],
        "目标责任考核.csv",
        "CSV 文件混用了两种编码:第 3 行是 UTF-8,其余各行是 GBK",
    )


def test_item_07_a_utf8_csv_with_gbk_lines_is_refused_naming_the_first(tmp_path):
    path = tmp_path / "目标责任考核.csv"
    path.write_bytes(
        (HEADER + "甲市,设区市,95.5,20\n丙市,设区市,90,10\n").encode("utf-8")
        + "乙市,设区市,88.25,30\n丁市,设区市,80,12\n".encode("gbk")
        + "戊市,设区市,70,9\n".encode("utf-8")
    )
    refused(
        ["check", str(path), "--year", "2023"],
        "CSV 文件第 4 行有按 UTF-8 无法读取的字节",  # GB18030 cannot read these UTF-8 lines either
    )


def test_item_07_bytes_invalid_in_every_encoding_name_their_line(tmp_path):
    path = tmp_path / "目标责任考核.csv"
    path.write_bytes((HEADER + "甲市,设区市,95.5,20\n").encode("gbk") + b"\xff\xfe\xff,1,2\n")
    refused(["check", str(path), "--year", "2023"], "CSV 文件第 3 行有按 GBK 无法读取的字节")


# ---- 26: a 县域监测 sheet with headers only --------------------------------------------------------------------


def test_item_26_a_header_only_monitoring_sheet_says_nothing_was_awarded(tmp_path):
    def empty(workbook):
        sheet = workbook["县域监测"]
        sheet.delete_rows(4, sheet.max_row)

    path = sample_copy(tmp_path, empty)
    result = runner.invoke(app, ["awards", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert (
        "县域监测表只有表头,没有数据行:未评定十强县、五强区、争先进位奖和现代农业强县、新型工业强县、生态建设强县"
        in result.stderr
    )
    assert "县域监测表没有" not in result.stderr  # the sub-ranking columns are there
    document = json.loads(result.stdout)
    assert not [a for a in document["awards"] if a.get("unit") and "县域" in json.dumps(a, ensure_ascii=False)]


def test_item_26_demotions_on_a_header_only_monitoring_sheet_say_why_9_1_is_not_decided(tmp_path):
    def empty(workbook):
        sheet = workbook["县域监测"]
        sheet.delete_rows(4, sheet.max_row)

    path = sample_copy(tmp_path, empty)
    result = runner.invoke(app, ["demotions", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert "县域监测表没有数据行,未判定能上能下办法第九条第(一)项(退位幅度)" in result.stderr
    assert "工作簿无「上年名次」列" not in result.stderr  # the column is there; the rows are not
