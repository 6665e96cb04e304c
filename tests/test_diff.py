"""`sanshi diff OLD NEW`: what changed between the 公示 version of a year and the final one, and which input cells
changed it. The 公示 workbooks are the sample 2023.xlsx with a few realistic corrections undone; every expected
value is worked by hand from the sample data (2023.xlsx, 设区市 scores; 县域监测 ranks)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from tests.conftest import SAMPLE
from tests.test_json_schema import errors

WIDE = {"COLUMNS": "200"}


def diff(*args: object):
    return CliRunner().invoke(app, ["diff", *map(str, args)], env=WIDE)


def public_version(folder: Path, edit) -> tuple[Path, Path]:
    """(公示 version, final version): the final is the sample 2023.xlsx, the 公示 one the same edited by `edit`."""
    final = folder / "2023.xlsx"
    shutil.copy(SAMPLE / "2023.xlsx", final)
    workbook = openpyxl.load_workbook(final)
    edit(workbook)
    public = folder / "2023-公示.xlsx"
    workbook.save(public)
    return public, final


def set_cell(sheet, key: str, column: int, value) -> str:
    """Put `value` in the `column`-th cell (1-based) of the row whose first cell is `key`; its address."""
    for row in sheet.iter_rows():
        if row[0].value == key:
            row[column - 1].value = value
            return row[column - 1].coordinate
    raise KeyError(key)


def corrections(workbook) -> None:
    """The 公示 version's errors, corrected in the final one:
    - 目标责任考核 › 云岭市 综合得分 typed 93.5 (final 91.49);
    - 县域监测 › 上年名次 of 鹤亭县 and 龙丰县 swapped: 9 and 8 (final 8 and 9);
    - 干部 › 潘庆林 (SX00003) 不称职票 4 (final 3)."""
    assert set_cell(workbook["目标责任考核"], "云岭市", 3, 93.5) == "C5"
    assert set_cell(workbook["县域监测"], "鹤亭县", 4, 9) == "D5"
    assert set_cell(workbook["县域监测"], "龙丰县", 4, 8) == "D8"
    assert set_cell(workbook["干部"], "SX00003", 11, 4) == "K4"


@pytest.fixture
def corrected(tmp_path):
    # No history store: the workbook's 上年名次 is the only last year, so a corrected 上年名次 is not a conflict.
    return public_version(tmp_path, corrections)


def test_a_unit_losing_优秀_by_a_corrected_score_names_the_cell_and_the_unit_it_let_in(corrected):
    # 设区市: 12 units, 12×35%=4.2 → 4. 公示: 凤鸣96.26, 云岭93.5, 渭北93.04, 秦川92.96 优秀, 金塬92.45 5th.
    # Final: 云岭91.49 drops to 5th; 金塬92.45 is 4th and 优秀 without a change of its own.
    result = diff(*corrected)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "目标责任考核等次:2 处" in out
    assert "· [变化] 云岭市 目标责任考核等次(设区市):优秀(得分93.5,组内第2名) → 良好(得分91.49,组内第5名)" in out
    assert "    输入:2023.xlsx › 目标责任考核 › C5(云岭市):综合得分 93.5 → 91.49" in out
    assert "· [变化] 金塬市 目标责任考核等次(设区市):良好(得分92.45,组内第5名) → 优秀(得分92.45,组内第4名)" in out
    assert "    本单位输入未变,受 云岭市 的输入变化影响" in out
    # Its cadres' 优秀 places follow: 65×20%=13 → 65×15%=9.75 → 9; 金塬 69×15%=10.35 → 10, then 69×20%=13.8 → 13.
    assert "· [变化] 云岭市:13名(考核人数65×20%) → 9名(考核人数65×15%)" in out
    assert "· [变化] 金塬市:10名(考核人数69×15%) → 13名(考核人数69×20%)" in out
    assert "· 干部优秀名额:417 → 416 名" in out


def test_a_corrected_上年名次_changes_the_十强县_amount_with_both_formulas_and_the_cell(corrected):
    # 鹤亭县 名次2: 50+(9−2)×10=120 → 50+(8−2)×10=110; 龙丰县 名次5: 50+(8−5)×10=80 → 50+(9−5)×10=90.
    out = diff(*corrected).stdout
    assert "· [变化] 鹤亭县 十强县:120万元 → 110万元" in out
    assert "    原依据:名次 9→2,进7位:50+7×10=120万元" in out
    assert "    现依据:名次 8→2,进6位:50+6×10=110万元" in out
    assert "    输入:2023.xlsx › 县域监测 › D5(鹤亭县):上年名次 9 → 8" in out
    assert "· [变化] 龙丰县 十强县:80万元 → 90万元" in out
    # 龙丰县 now rises 4 places, enough for the 10th 争先进位 place (三等奖 30); 丹原县 (also 4, 名次15) falls out
    # by rank order, pushed by the two corrected rows.
    assert "· [新增] 龙丰县 县域争先进位奖:(无) → 三等奖 30万元" in out
    assert "· [取消] 丹原县 县域争先进位奖:三等奖 30万元 → (无)" in out
    assert "    本单位输入未变,受 鹤亭县、龙丰县 的输入变化影响" in out
    # −10 +10 +30 −30: the total the committee signs is the same.
    assert "· 奖励资金合计:3340 → 3340 万元" in out


def test_a_corrected_vote_count_removes_the_8_2_trigger(corrected):
    # 潘庆林: (基本称职26 + 不称职4)/100 = 30% ≥ 30% in the 公示 version; (26+3)/100 = 29% in the final one.
    out = diff(*corrected).stdout
    assert "· [取消] 秦川市 潘庆林 能上能下办法第八条第(二)项:触发 → 未触发" in out
    assert "    原依据:基本称职票26+不称职票4=30/100(含未投或弃权2票)=30.0%≥30%" in out
    assert "    输入:2023.xlsx › 干部 › K4(潘庆林(SX00003)):不称职票 4 → 3" in out
    assert "· 能下触发:36 → 35 人次" in out
    assert "输入变化:4 处" in out


def test_a_late_容错认定_row_turns_a_trigger_into_容错免责(tmp_path, sample_db):
    # The 公示 version lacks 秦组容〔2023〕5号 (省中医药管理局, 目标责任考核): its 8(1) row for 熊卫 was a trigger.
    public, final = public_version(tmp_path, lambda workbook: workbook["容错认定"].delete_rows(3))
    result = diff(public, final, "--db", sample_db)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "能下情形:1 处" in out
    assert "· [变化] 省中医药管理局 熊卫 能上能下办法第八条第(一)项:触发 → 容错免责(秦组容〔2023〕5号)" in out
    assert "    输入:2023.xlsx › 容错认定 › 第3行:新增行 省中医药管理局 秦组容〔2023〕5号" in out
    assert "· 其中容错免责:2 → 3 人次" in out


def test_identical_workbooks_have_no_changes_and_exit_0_even_with_exit_code(tmp_path):
    public, final = public_version(tmp_path, lambda workbook: None)
    for extra in ([], ["--exit-code"]):
        result = diff(public, final, *extra)
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[-1] == "没有变化"


def test_exit_code_makes_changes_found_exit_1_and_says_why(corrected):
    result = diff(*corrected, "--exit-code")
    assert result.exit_code == 1
    assert "按 --exit-code 以退出码 1 结束" in result.stderr
    assert "内部错误" not in result.stderr


def test_json_is_one_document_following_its_schema(corrected):
    result = diff(*corrected, "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert errors("diff", document) == []
    assert document["changed"] is True
    assert (document["old"]["file"], document["new"]["file"]) == ("2023-公示.xlsx", "2023.xlsx")
    by = {(c["kind"], c["unit"], c["subject"]): c for c in document["changes"]}
    award = by[("奖励", "鹤亭县", "十强县")]
    assert (award["change"], award["before"], award["after"]) == ("变化", "120万元", "110万元")
    assert award["inputs"] == [
        {
            "file": "2023.xlsx",
            "sheet": "县域监测",
            "cell": "D5",
            "column": "上年名次",
            "row": "鹤亭县",
            "old": "9",
            "new": "8",
        }
    ]
    pushed = by[("目标责任考核等次", "金塬市", "目标责任考核等次(设区市)")]
    assert pushed["inputs"] == [] and pushed["pushed_by"] == ["云岭市"]
    money = {t["what"]: (t["before"], t["after"]) for t in document["totals"]}
    assert money["奖励资金合计"] == (3340, 3340)


def test_two_years_are_not_compared(tmp_path):
    shutil.copy(SAMPLE / "2022.xlsx", tmp_path / "2022.xlsx")
    result = diff(tmp_path / "2022.xlsx", SAMPLE / "2023.xlsx")
    assert result.exit_code == 2
    assert "diff 比较同一年度的两个版本" in result.stderr


def test_one_workbook_under_two_packs_compares_the_results_only():
    # The shape `diff BOOK --set ...` will use: the same workbook, the shipped pack against a changed one. 激励 5(1)
    # at 30%: 设区市 12×30%=3.6 → 3 (金塬市, 4th, drops out); 省级部门 40×30%=12 → 12 (was 14: 省林业局 14th and
    # 省商务厅 15th drop out).
    from fractions import Fraction

    from sanshi.pipeline import DiffSide, run_diff
    from sanshi.rules.params import load_pack, with_overrides

    book = SAMPLE / "2023.xlsx"
    changed = with_overrides(load_pack(None, 2023), **{"target.excellent_ratio": Fraction(30, 100)})
    result = run_diff(DiffSide(book), DiffSide(book, pack=changed))
    assert result.inputs == []
    lost = [(c.unit, c.after) for c in result.changes if c.kind == "目标责任考核等次"]
    assert lost == [
        ("金塬市", "良好(得分92.45,组内第4名)"),
        ("省林业局", "良好(得分92.28,组内第14名)"),
        ("省商务厅", "良好(得分92.06,组内第15名)"),
    ]
    totals = {t.what: (t.before, t.after) for t in result.totals}
    assert totals["目标责任考核优秀单位"] == (18, 15)


def test_what_if_ratio_through_the_cli_is_marked_and_names_the_parameter(tmp_path, sample_db):
    # `diff BOOK --set`: the same data under the shipped 35% and a 30% what-if. 设区市 12×30%=3.6 → 3: 金塬市 (4th)
    # drops out; 省级部门 40×30%=12: 省林业局 (14th) and 省商务厅 (15th) drop out. No input changed: the cause is
    # the parameter, and every output says it is a what-if.
    result = diff(SAMPLE / "2023.xlsx", "--db", sample_db, "--set", "target.excellent_ratio=30%")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "【测算,非正式结果】target.excellent_ratio 35%→30%"
    assert "金塬市 目标责任考核等次(设区市):优秀(得分92.45,组内第4名) → 良好(得分92.45,组内第4名)" in result.stdout
    assert "输入未变,因测算改动规则包参数:target.excellent_ratio 35%→30%" in result.stdout
    document = json.loads(
        diff(SAMPLE / "2023.xlsx", "--db", sample_db, "--set", "target.excellent_ratio=30%", "--json").stdout
    )
    assert document["what_if_title"] == "【测算,非正式结果】target.excellent_ratio 35%→30%"
    assert [s["key"] for s in document["what_if"]] == ["target.excellent_ratio"]
    grades = [c for c in document["changes"] if c["kind"] == "目标责任考核等次"]
    assert [c["unit"] for c in grades] == ["金塬市", "省林业局", "省商务厅"]
    assert all(c["parameters"] == ["target.excellent_ratio 35%→30%"] and c["inputs"] == [] for c in grades)


def test_one_workbook_without_set_is_a_usage_error():
    result = diff(SAMPLE / "2023.xlsx")
    assert result.exit_code == 2 and "、一个工作簿加 --set" in result.stderr and "或 --history 年度" in result.stderr
