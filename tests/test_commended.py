"""鼓励激励办法 第七条第(四)项: cadres commended by 党中央、国务院 or 省委、省政府 are listed for priority promotion,
from the 干部 sheet's 「表彰」 and 「表彰机关」 columns, through the real `sanshi promotions` and `explain`."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from sanshi.cli import app

runner = CliRunner()
CLAUSE = "鼓励激励办法第七条第(四)项"
HEAD = ["姓名", "单位", "职务", "岗位类别", "年度考核等次", "表彰", "表彰机关"]
TARGET = [["单位", "综合得分"], ["甲县", 90], ["乙县", 80]]


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def promotions(path, *options):
    result = invoke("promotions", path, "--json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cadres(*rows):
    return {"目标责任考核": TARGET, "干部": [HEAD, *rows]}


def test_7_4_a_cadre_commended_by_the_provincial_party_committee_and_government_is_listed_with_the_commendation(book):
    path = book(cadres(["张三", "甲县", "县委书记", "主要负责人", "称职", "全省脱贫攻坚先进个人", "省委、省政府"]))
    document = promotions(path)
    assert document["lists"]["commended"] == [
        {
            "name": "张三",
            "unit": "甲县",
            "cadre_id": None,
            "position": "县委书记",
            "clause": CLAUSE,
            "basis": "受到省委、省政府表彰:全省脱贫攻坚先进个人",
            "facts": {"commendation": "全省脱贫攻坚先进个人", "commended_by": "省委、省政府"},
        }
    ]
    assert document["undetermined"] == [] and document["excluded"] == []


def test_7_4_another_spelling_of_a_listed_body_counts_by_the_packs_aliases(book):
    path = book(cadres(["李四", "甲县", "县长", "主要负责人", "称职", "全国脱贫攻坚先进个人", "中共中央、国务院"]))
    [row] = promotions(path)["lists"]["commended"]
    assert row["basis"] == "受到党中央、国务院表彰:全国脱贫攻坚先进个人"
    assert row["facts"]["commended_by"] == "中共中央、国务院"  # as the workbook writes it


def test_7_4_a_body_the_clause_does_not_name_is_no_case_and_is_said(book):
    path = book(cadres(["王五", "乙县", "县委书记", "主要负责人", "称职", "全市优秀共产党员", "市委"]))
    result = invoke("promotions", path, "--json")
    assert json.loads(result.stdout)["lists"]["commended"] == []
    assert (
        "提示:2023.xlsx › 干部 › G2: 王五(乙县)的「全市优秀共产党员」由市委作出,不是鼓励激励办法第七条第(四)项所列的"
        "机关(党中央、国务院、省委、省政府),未列入;如是所列机关的其他写法,请在规则包 demotion.body_aliases 中补充"
    ) in result.stderr


def test_7_4_a_commendation_without_its_body_or_a_body_without_the_commendation_is_undetermined(book):
    path = book(
        cadres(
            ["赵六", "乙县", "县长", "主要负责人", "称职", "全省安全生产先进个人", None],
            ["钱七", "乙县", "副县长", "分管领导", "称职", None, "省委、省政府"],
            ["孙八", "乙县", "副县长", "分管领导", "称职", "无", None],  # 无: no commendation, nothing to decide
        )
    )
    document = promotions(path)
    assert document["lists"]["commended"] == []
    assert [(e["name"], e["clause"], e["reason"]) for e in document["undetermined"]] == [
        ("赵六", CLAUSE, "2023.xlsx › 干部 › G2:「表彰机关」未填"),
        ("钱七", CLAUSE, "2023.xlsx › 干部 › F3:「表彰」未填"),
    ]


def test_7_4_a_cadre_in_an_impact_period_is_left_out_with_the_reason(book):
    sheets = cadres(["李四", "甲县", "县长", "主要负责人", "称职", "全省脱贫攻坚先进个人", "省委、省政府"])
    sheets["调整记录"] = [["姓名", "单位", "调整方式", "决定日期"], ["李四", "甲县", "降职", "2023-03-01"]]
    document = promotions(book(sheets))
    assert document["lists"]["commended"] == []
    [left] = document["excluded"]
    assert (left["name"], left["clause"]) == ("李四", CLAUSE)
    assert left["reason"].startswith("能上能下办法第十六条:2023年3月1日降职,2年内不得提拔")


def test_7_4_without_the_columns_the_clause_is_said_not_judged(book):
    path = book({"目标责任考核": TARGET, "干部": [HEAD[:5], ["张三", "甲县", "县委书记", "主要负责人", "称职"]]})
    result = invoke("promotions", path, "--json")
    assert json.loads(result.stdout)["lists"] == {"commended": []}
    assert (
        "提示:干部表没有「表彰」「表彰机关」列,未评定第七条第(四)项(受党中央、国务院或省委、省政府表彰的党政干部)"
        in result.stderr
    )


def test_7_4_a_city_pack_that_lists_its_own_party_committee_lists_its_commendations(book, tmp_path):
    """A city's variant is a pack table, not code: 市委 added to the bodies lists 王五."""
    pack = tmp_path / "city.toml"
    pack.write_text(
        '[pack]\nname = "示例市"\nbase = "shaanxi-2018"\n\n'
        '[promotion.commendation_bodies]\nvalue = ["党中央", "国务院", "省委", "省政府", "市委"]\n'
        'clause = "示例市鼓励激励实施细则第七条"\n',
        encoding="utf-8",
    )
    path = book(cadres(["王五", "乙县", "县委书记", "主要负责人", "称职", "全市优秀共产党员", "市委"]))
    [row] = promotions(path, "--rules", pack)["lists"]["commended"]
    assert (row["clause"], row["basis"]) == ("示例市鼓励激励实施细则第七条", "受到市委表彰:全市优秀共产党员")


def test_7_4_under_the_2016_pack_the_clause_is_cited_as_2016s(book):
    path = book(cadres(["张三", "甲县", "县委书记", "主要负责人", "称职", "全省脱贫攻坚先进个人", "省委、省政府"]))
    [row] = promotions(path, "--rules", "shaanxi-2016")["lists"]["commended"]
    assert row["clause"] == "鼓励激励办法(2016年版,条款编号待核;对应2018年版第七条第(四)项)"


def test_7_4_the_workbook_terminal_and_explain_show_the_list(book, tmp_path):
    path = book(
        cadres(
            ["张三", "甲县", "县委书记", "主要负责人", "称职", "全省脱贫攻坚先进个人", "省委、省政府"],
            ["李四", "甲县", "县长", "主要负责人", "称职", None, None],
        )
    )
    out = tmp_path / "out"
    result = invoke("promotions", path, "--out", out)
    assert result.exit_code == 0, result.output
    assert "受党中央、国务院或省委、省政府表彰的党政干部(第七条第(四)项):1 人" in result.stdout
    sheet = openpyxl.load_workbook(out / "2023年度选拔重用名单.xlsx")["受表彰干部"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "姓名")
    assert rows[header] == ["姓名", "单位", "职务", "表彰", "表彰机关", "条款", "依据", "干部编号"]
    assert rows[header + 1][:6] == ["张三", "甲县", "县委书记", "全省脱贫攻坚先进个人", "省委、省政府", CLAUSE]

    def lists(name):
        explained = invoke("explain", path, name, "--json")
        assert explained.exit_code == 0, explained.output
        return json.loads(explained.stdout)["promotions"]["lists"]["commended"]

    assert [r["name"] for r in lists("张三")] == ["张三"]
    assert lists("李四") == []  # same unit, not commended
    assert [r["name"] for r in lists("甲县")] == ["张三"]
