"""`sanshi explain`: everything concluded about one unit or person, through the real entry point,
with golden JSON for two sample units. Regenerate with SANSHI_UPDATE_GOLDEN=1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanshi.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
PACK = SAMPLE / "local-pack.toml"
GOLDEN = Path(__file__).parent / "golden"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("unit", ["鹤亭县", "省中医药管理局"])
def test_golden_explain_of_two_sample_units(sample_db, unit):
    result = invoke("explain", SAMPLE / "2023.xlsx", unit, "--rules", PACK, "--db", sample_db, "--json")
    assert result.exit_code == 0, result.output
    golden = GOLDEN / f"explain-{unit}.json"
    if os.environ.get("SANSHI_UPDATE_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert json.loads(result.stdout) == json.loads(golden.read_text(encoding="utf-8"))


def test_explain_a_county_shows_each_award_with_its_formula(sample_db):
    document = json.loads(
        invoke("explain", SAMPLE / "2023.xlsx", "鹤亭县", "--rules", PACK, "--db", sample_db, "--json").stdout
    )
    assert {"year", "subject", "grades", "awards", "candidates", "notes"} <= set(document)
    assert [(a["award"], a["amount_wan"]) for a in document["awards"]] == [("十强县", 110), ("县域争先进位奖", 50)]
    assert document["awards"][0]["basis"] == "名次 8→2,进6位:50+6×10=110万元"  # 50 + 6 places x 10
    # the same as facts, worded as an office states them (a document phrases from these, without the formula)
    assert [(f["what"], f["value"]) for f in document["awards"][0]["facts"]] == [
        ("县域监测名次", "第2名"),
        ("上年县域监测名次", "第8名"),
        ("较上年", "前进6位"),
    ]
    assert document["candidates"] == []


def test_explain_a_tolerated_department_keeps_its_bonus(sample_db):
    document = json.loads(
        invoke("explain", SAMPLE / "2023.xlsx", "省中医药管理局", "--rules", PACK, "--db", sample_db, "--json").stdout
    )
    [trigger] = document["candidates"]
    assert (trigger["article"], trigger["item"], trigger["tolerated"]) == (8, 1, True)
    assert trigger["tolerance_ref"] == "秦组容〔2023〕5号"
    assert {b["amount_yuan"] for b in document["bonus"] if b["cadre_grade"] != "优秀"} == {10000}  # 良好, not 8000


def test_explain_a_person_and_the_terminal_text(sample_db):
    result = invoke("explain", SAMPLE / "2023.xlsx", "汤志", "--rules", PACK, "--db", sample_db)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("汤志(金关县) · 2023年度考核结论及依据")
    assert "能下触发:2 项" in result.stdout and "容错免责" in result.stdout


def test_unknown_name_suggests_the_nearest(sample_db):
    result = invoke("explain", SAMPLE / "2023.xlsx", "鹤亭", "--rules", PACK, "--db", sample_db)
    assert result.exit_code == 2 and "是否指 鹤亭县" in result.stderr


def test_a_name_in_two_units_needs_unit(book):
    path = book(
        {
            "干部": [
                ["姓名", "单位", "岗位类别", "年度考核等次"],
                ["张三", "甲市", "主要负责人", "称职"],
                ["张三", "乙县", "其他", "优秀"],
            ]
        }
    )
    ambiguous = invoke("explain", path, "张三")
    assert ambiguous.exit_code == 2
    assert "2 个单位都有同名干部(甲市、乙县),请加 --unit 指明" in ambiguous.stderr
    chosen = invoke("explain", path, "张三", "--unit", "乙县", "--json")
    assert chosen.exit_code == 0, chosen.output
    assert json.loads(chosen.stdout)["units"] == ["乙县"]


def test_a_person_asked_for_in_the_wrong_unit_is_said_to_be_in_the_right_one(sample_db, book):
    """汤志 is in 金关县: asked under 鹤亭县 the message says so, not "no such unit or cadre"."""
    result = invoke("explain", SAMPLE / "2023.xlsx", "汤志", "--unit", "鹤亭县", "--rules", PACK, "--db", sample_db)
    assert result.exit_code == 2
    assert result.stderr == (
        "错误:汤志:2023.xlsx 的干部表中鹤亭县没有这名干部,汤志在金关县;请改为 --unit 金关县,或去掉 --unit\n"
    )
    path = book(
        {
            "干部": [
                ["姓名", "单位", "岗位类别", "年度考核等次"],
                ["张三", "甲市", "主要负责人", "称职"],
                ["张三", "乙县", "其他", "优秀"],
                ["李四", "丙区", "其他", "优秀"],
            ]
        }
    )
    both = invoke("explain", path, "张三", "--unit", "丙区")
    assert both.exit_code == 2
    assert (
        both.stderr == "错误:张三:2023.xlsx 的干部表中丙区没有这名干部,张三在甲市、乙县;请用 --unit 指明其中一个单位\n"
    )


def test_a_units_notes_are_chosen_by_what_each_warning_is_about_not_by_its_text(book):
    """A 容错认定 record of 甲县新区 that matches nothing is a note of 甲县新区 only: 甲县, whose name its text
    contains, does not get it, nor does 张三 of 甲县; 李四 of 甲县新区 gets it (it concerns his unit as a whole)."""
    path = book(
        {
            "目标责任考核": [["单位", "综合得分"], ["甲县", 90], ["甲县新区", 80]],
            "干部": [
                ["姓名", "单位", "岗位类别", "年度考核等次"],
                ["张三", "甲县", "主要负责人", "称职"],
                ["李四", "甲县新区", "主要负责人", "称职"],
            ],
            "容错认定": [["单位", "文号", "范围"], ["甲县新区", "容9号", "目标责任考核"]],
        }
    )
    unused = "容错认定 容9号(甲县新区,范围目标责任考核)没有对应的能下情形,请核对单位、姓名和范围"

    def notes(*args):
        result = invoke("explain", path, *args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["notes"]

    assert unused in notes("甲县新区")
    assert unused in notes("李四")
    assert unused not in notes("甲县")
    assert unused not in notes("张三")


def test_the_results_a_run_returns_are_frozen(sample_db):
    """Built once by the pipeline; a writer cannot change what another writer will print."""
    import dataclasses

    from sanshi.pipeline import HistorySource, run_awards, run_demotions, run_promotions

    for run in (run_awards, run_demotions, run_promotions):
        result = run(SAMPLE / "2023.xlsx", rules=str(PACK), history=HistorySource(sample_db))
        with pytest.raises(dataclasses.FrozenInstanceError):
            result.year = 2024
        assert result.year == 2023
