"""能上能下办法 to the letter: a 能下 trigger fires only on the facts its text names.

Each clause through the real CLI (`sanshi demotions --json`), with a workbook that fires it, one that must
not, and the workbook that leaves a needed fact blank (未能判定, with what is missing — never a trigger).
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sanshi.cli import app

runner = CliRunner()

CADRES = [
    ["姓名", "单位", "职务", "岗位类别"],
    ["甲", "甲县", "县委书记", "主要负责人"],
    ["乙", "甲县", "县委副书记、县长", "主要负责人"],
    ["丙", "甲县", "副县长", "分管领导"],
    ["丁", "甲县", "调研员", "其他"],
    ["赵", "省甲厅", "党组书记、厅长", "主要负责人"],
    ["钱", "省甲厅", "副厅长", "分管领导"],
    ["孙", "省甲厅", "副厅长", "分管领导"],
    ["周", "甲市", "市委书记", "主要负责人"],
    ["吴", "甲市", "副市长", "分管领导"],
]
# Levels: 甲县 is in 县域监测 (县级); 省甲厅 is 省级部门 and 甲市 设区市 by their 目标责任考核 类别.
TARGET = [
    ["单位", "类别", "综合得分"],
    ["省甲厅", "省级部门", 90],
    ["省乙厅", "省级部门", 80],
    ["甲市", "设区市", 90],
    ["乙市", "设区市", 80],
]
MONITORING = [["县区", "类型", "名次"], ["甲县", "县(市)", 1], ["乙县", "县(市)", 2]]
FINDING_HEADERS = ["单位", "领域", "等级", "日期", "发生日期", "通报", "处理", "问题严重", "层级", "姓名", "条款"]


def finding(
    unit,
    area,
    level,
    *,
    day="2023-06-01",
    occurred=None,
    by=None,
    treatment=None,
    serious=None,
    tier=None,
    names=None,
    item=None,
):
    return [unit, area, level, day, occurred, by, treatment, serious, tier, names, item]


def demotions(book, sheets, *options):
    """`sanshi demotions 2023.xlsx --json` on a workbook with the 干部, 目标责任考核 and 县域监测 sheets above."""
    path = book({"干部": CADRES, "目标责任考核": TARGET, "县域监测": MONITORING, **sheets})
    result = runner.invoke(app, ["demotions", str(path), "--json", *map(str, options)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def findings(book, *rows, **options):
    return demotions(book, {"责任认定": [FINDING_HEADERS, *rows]}, *options.get("options", ()))


def rows(document, key="candidates"):
    return sorted((f"{t['article']}({t['item']})", t["unit"], t["name"], t["role"]) for t in document[key])


def bases(document, key="candidates"):
    return {t["basis"] for t in document[key]}


# ---- 10(2): 受到党中央、国务院批评,或者受到省委、省政府通报批评且问题严重 ----------------------------------

POVERTY_HEADERS = ["单位", "综合得分", "通报批评", "批评机关", "问题严重"]
HEAD_AND_DEPUTY = [
    ("10(2)", "甲县", "丙", "分管领导"),
    ("10(2)", "甲县", "乙", "主要负责人"),
    ("10(2)", "甲县", "甲", "主要负责人"),
]


def poverty(book, body, serious, headers=POVERTY_HEADERS):
    row = ["甲县", 80, "落实脱贫攻坚决策部署不力", body, serious][: len(headers)]
    return demotions(book, {"脱贫攻坚": [headers, row, ["乙县", 90, None, None, None][: len(headers)]]})


def test_10_2_central_criticism_fires_without_severity(book):
    for body in ("国务院", "中共中央", "党中央、国务院"):  # 中共中央 is 党中央 ([demotion.body_aliases])
        document = poverty(book, body, None)
        assert rows(document) == HEAD_AND_DEPUTY and document["undetermined"] == []
    assert bases(poverty(book, "中共中央", None)) == {
        "2023年受到批评或通报批评:落实脱贫攻坚决策部署不力;党中央通报批评"
    }


def test_10_2_provincial_criticism_needs_serious(book):
    fired = poverty(book, "省人民政府", "是")  # 省人民政府 is 省政府
    assert rows(fired) == HEAD_AND_DEPUTY
    assert bases(fired) == {"2023年受到批评或通报批评:落实脱贫攻坚决策部署不力;省政府通报批评且问题严重"}
    not_serious = poverty(book, "省委", "否")
    assert not_serious["candidates"] == [] and not_serious["undetermined"] == []
    blank = poverty(book, "省委", None)
    assert blank["candidates"] == []
    assert rows(blank, "undetermined") == HEAD_AND_DEPUTY
    assert bases(blank, "undetermined") == {
        "2023年受到批评或通报批评:落实脱贫攻坚决策部署不力;「批评机关」为省委,「问题严重」未填"
        "(本项须党中央、国务院批评,或省委、省政府通报批评且问题严重)"
    }


def test_10_2_other_bodies_never_fire(book):
    for body in ("市委", "省扶贫办"):
        document = poverty(book, body, "是")
        assert document["candidates"] == [] and document["undetermined"] == []
        assert any(
            w.startswith(f"甲县的脱贫攻坚「通报批评」由{body}作出,不是能上能下办法第十条第(二)项所列的机关")
            for w in document["warnings"]
        )


def test_10_2_without_the_body_is_undetermined(book):
    blank = poverty(book, None, "是")
    assert blank["candidates"] == [] and rows(blank, "undetermined") == HEAD_AND_DEPUTY
    assert all("「批评机关」未填" in b for b in bases(blank, "undetermined"))
    no_column = poverty(book, None, None, headers=POVERTY_HEADERS[:3])  # a workbook of before the columns
    assert no_column["candidates"] == [] and rows(no_column, "undetermined") == HEAD_AND_DEPUTY
    assert any(
        w.startswith("脱贫攻坚表没有「批评机关」列:甲县的「通报批评」未能判定第十条第(二)项")
        for w in no_column["warnings"]
    )


# ---- 12(1): 受到党中央、国务院通报批评或省委、省政府责任追究 -------------------------------------------------


def test_12_1_censure_needs_treatment(book):
    def censure(by, treatment):
        return findings(book, finding("省甲厅", "安全生产", "一般", by=by, treatment=treatment))

    for by, treatment in (("国务院", "通报批评"), ("省委", "责任追究"), ("陕西省人民政府", "责任追究")):
        fired = censure(by, treatment)
        assert rows(fired) == [("12(1)", "省甲厅", "赵", "主要负责人")], (by, treatment)
    assert bases(censure("国务院", "通报批评")) == {"受到国务院通报批评:2023年6月1日认定 安全生产一般(国务院)"}
    for by, treatment in (("省委", "通报批评"), ("国务院", "责任追究")):  # not the text's pairs
        document = censure(by, treatment)
        assert document["candidates"] == [] and document["undetermined"] == []
        assert any(
            f"省甲厅的安全生产认定({by}{treatment})不是能上能下办法第十二条第(一)项所列" in w
            for w in document["warnings"]
        )
    blank = censure("省政府", None)
    assert blank["candidates"] == [] and rows(blank, "undetermined") == [("12(1)", "省甲厅", "赵", "主要负责人")]
    assert bases(blank, "undetermined") == {
        "2023年6月1日认定 安全生产一般(省政府);「通报」为省政府,「处理」未填"
        "(本项须党中央、国务院通报批评,或省委、省政府责任追究)"
    }
    reported = censure("省安委会办公室", None)  # the office that reported an accident: no censure to judge
    assert reported["candidates"] == [] and reported["undetermined"] == []


# ---- 8(4): 党中央、国务院及国家部委开展的全国性考核评比中…的省级部门 -----------------------------------------


def test_8_4_only_provincial_departments(book):
    def national(unit, by, tier=None):
        return findings(book, finding(unit, "全国考核评比", "后5位", by=by, tier=tier))

    fired = national("省甲厅", "教育部")
    assert rows(fired) == [
        ("8(4)", "省甲厅", "孙", "分管领导"),
        ("8(4)", "省甲厅", "赵", "主要负责人"),
        ("8(4)", "省甲厅", "钱", "分管领导"),
    ]
    assert bases(fired) == {
        "2023年6月1日 全国考核评比后5位(教育部);省级部门单位(层级取自目标责任考核类别「省级部门」);"
        "教育部开展的全国性考核评比"
    }
    assert rows(national("省甲厅", "中共中央")) == rows(fired)  # 中共中央 is 党中央
    county = national("甲县", "国务院")
    assert county["candidates"] == [] and county["undetermined"] == []
    assert any(
        w.startswith("甲县为县级单位(层级取自县域监测表),能上能下办法第八条第(四)项只适用于省级部门")
        for w in county["warnings"]
    )


def test_8_4_unknown_level_or_body_is_undetermined(book):
    unknown_level = findings(book, finding("某局", "全国考核评比", "最后档次", by="国务院"))
    assert unknown_level["candidates"] == []
    assert {t["role"] for t in unknown_level["undetermined"]} == {"主要负责人", "分管领导"}
    assert all("单位层级不明" in b for b in bases(unknown_level, "undetermined"))
    no_body = findings(book, finding("省甲厅", "全国考核评比", "后3位"))
    assert no_body["candidates"] == [] and len(no_body["undetermined"]) == 3
    assert all(b.endswith("组织考核评比的机关未填(责任认定表「通报」列)") for b in bases(no_body, "undetermined"))
    provincial = findings(book, finding("省甲厅", "全国考核评比", "后3位", by="省考核办"))
    assert provincial["candidates"] == [] and len(provincial["undetermined"]) == 3
    assert all(
        "组织考核评比的机关「省考核办」不在规则包 demotion.national_bodies 所列的党中央、国务院及国家部委之中" in b
        for b in bases(provincial, "undetermined")
    )
    sixth = findings(book, finding("某局", "全国考核评比", "倒数第6位"))  # outside the last 5: nothing to decide
    assert sixth["candidates"] == [] and sixth["undetermined"] == []


# ---- 6: 受到中组部或省委(第(三)项:中宣部或省委)通报批评 -----------------------------------------------------


def test_6_1_needs_organization_department_or_provincial_committee_criticism(book):
    def party(by, treatment=None, level="通报批评", item="(一)"):
        return findings(book, finding("甲县", "党建", level, by=by, treatment=treatment, item=item))

    fired = party("中共中央组织部")  # 中组部; the 等级 column says 通报批评
    assert rows(fired) == [("6(1)", "甲县", "甲", "党委(党组)书记")]
    assert bases(fired) == {"2023年6月1日 党建通报批评(中共中央组织部);中组部通报批评"}
    assert rows(party("省委", level="严重", treatment="通报批评")) == rows(fired)
    for other in (party("市委"), party("省委", treatment="责任追究")):
        assert other["candidates"] == [] and other["undetermined"] == []
    blank = party(None)
    assert blank["candidates"] == [] and rows(blank, "undetermined") == [("6(1)", "甲县", "甲", "党委(党组)书记")]
    assert bases(blank, "undetermined") == {"2023年6月1日 党建通报批评;「通报」未填(本项须中组部、省委通报批评)"}
    unstated = party("省委", level="严重")  # neither 处理 nor 等级 says 通报批评
    assert unstated["candidates"] == []
    assert all("「通报」为省委,「处理」未填" in b for b in bases(unstated, "undetermined"))


def test_6_3_needs_propaganda_department_or_provincial_committee(book):
    def ideology(by):
        return findings(book, finding("甲县", "党建", "通报批评", by=by, item="(三)"))

    assert rows(ideology("中宣部")) == [("6(3)", "甲县", "甲", "党委(党组)书记")]
    assert rows(ideology("省委")) == [("6(3)", "甲县", "甲", "党委(党组)书记")]
    wrong = ideology("中组部")
    assert wrong["candidates"] == [] and wrong["undetermined"] == []


def test_6_4_has_no_body_condition(book):
    document = findings(book, finding("甲县", "党建", "整改不力", item="(四)"))
    assert rows(document) == [("6(4)", "甲县", "甲", "党委(党组)书记")] and document["undetermined"] == []


# ---- 11: (一) 党中央、国务院批评,或省委、省政府通报批评且问题严重;(二) 无机关条件 -------------------------------


def test_11_1_provincial_criticism_needs_serious(book):
    def ecology(by, serious=None):
        return findings(book, finding("甲县", "生态环保", "通报批评", by=by, serious=serious, item="(一)", names="丙"))

    assert rows(ecology("国务院")) == [("11(1)", "甲县", "丙", "分管领导")]
    assert rows(ecology("省政府", "是")) == [("11(1)", "甲县", "丙", "分管领导")]
    for quiet in (ecology("省政府", "否"), ecology("市政府", "是")):
        assert quiet["candidates"] == [] and quiet["undetermined"] == []
    blank = ecology("省政府")
    assert blank["candidates"] == [] and rows(blank, "undetermined") == [("11(1)", "甲县", "丙", "分管领导")]
    assert all("「通报」为省政府,「问题严重」未填" in b for b in bases(blank, "undetermined"))


def test_11_2_has_no_body_condition(book):
    document = findings(book, finding("甲县", "生态环保", "处置失当", item="(二)", names="丙"))
    assert rows(document) == [("11(2)", "甲县", "丙", "分管领导")]


# ---- 「姓名」: only where the text says 有关领导干部 (第六条、第十一条、第十三条) ---------------------------------------


def test_named_people_only_under_the_clauses_that_say_so(book):
    accidents = [finding("甲县", "安全生产", "较大", names="丁"), finding("甲县", "安全生产", "较大", names="丁")]
    safety = findings(book, *accidents)  # 12(1): 主要负责人和分管领导干部 — 丁 (其他) is not one of them
    assert rows(safety) == [
        ("12(1)", "甲县", "丙", "分管领导"),
        ("12(1)", "甲县", "乙", "主要负责人"),
        ("12(1)", "甲县", "甲", "主要负责人"),
    ]
    assert any(
        w.startswith("责任认定写明的 丁(甲县)未列入能上能下办法第十二条第(一)项:该项条文未写“有关领导干部”")
        for w in safety["warnings"]
    )
    unrest = findings(book, finding("甲县", "综治维稳", "特别重大", names="丁"))  # 13(1): 有关党政领导干部
    assert rows(unrest) == [
        ("13(1)", "甲县", "丁", "其他"),
        ("13(1)", "甲县", "乙", "主要负责人"),
        ("13(1)", "甲县", "甲", "主要负责人"),
    ]


# ---- "一年内": the year the accident happened (发生日期), else the 认定日期 --------------------------------------------


def test_12_1_one_year_counts_by_the_date_the_accident_happened(book):
    late = findings(
        book,
        finding("甲县", "安全生产", "较大", day="2023-02-10", occurred="2022-12-20"),
        finding("甲县", "安全生产", "较大", day="2023-09-27", occurred="2023-09-01"),
    )
    assert late["candidates"] == [] and late["undetermined"] == []  # one accident of 2023, one of 2022
    assert any(
        "甲县的生产安全责任事故发生日期2022年12月20日不在2023年内,未计入2023年(计入2022年的起数)" in w
        for w in late["warnings"]
    )
    both = findings(
        book,
        finding("甲县", "安全生产", "较大", day="2024-01-05", occurred="2023-12-20"),
        finding("甲县", "安全生产", "较大", day="2023-09-27", occurred="2023-09-01"),
    )
    assert {r[0] for r in rows(both)} == {"12(1)"}
    assert bases(both) == {
        "县级单位(层级取自县域监测表),一年内发生2起以上(含2起)较大以上生产安全责任事故:2023年2起("
        "2023年9月1日发生 安全生产较大;2023年12月20日发生 安全生产较大)"
    }
    by_decision = findings(
        book,
        finding("甲县", "安全生产", "较大", day="2023-02-10"),
        finding("甲县", "安全生产", "较大", day="2023-09-27", occurred="2023-09-01"),
    )
    assert {b.endswith(";未填「发生日期」的按认定日期计入年度") for b in bases(by_decision)} == {True}


def test_12_2_city_counts_an_event_in_the_year_it_happened(book, tmp_path):
    """连续两年发生二级以上食品药品安全事故的市: 2022's event was 认定 only in 2023; it counts for 2022. The 2022
    workbook's own event happened in 2021 (发生日期, kept by the history store): it does not count for 2022."""
    db = tmp_path / "sanshi.db"
    of_2021 = finding("甲市", "食品药品", "二级", day="2022-03-01", occurred="2021-12-30")
    earlier = book({"目标责任考核": TARGET, "责任认定": [FINDING_HEADERS, of_2021]}, name="2022.xlsx")
    assert runner.invoke(app, ["history", "import", str(earlier), "--db", str(db)]).exit_code == 0
    this_year = finding("甲市", "食品药品", "二级", day="2023-07-19", occurred="2023-07-01")
    late = finding("甲市", "食品药品", "二级", day="2023-03-01", occurred="2022-11-20")
    fired = findings(book, this_year, late, options=("--db", db))
    assert rows(fired) == [("12(2)", "甲市", "吴", "分管领导"), ("12(2)", "甲市", "周", "主要负责人")]
    assert bases(fired) == {
        "市级单位(层级取自目标责任考核类别「设区市」),连续2年每年发生1起重大以上食品药品安全事故:"
        "2022年1起(2022年11月20日发生 食品药品二级);2023年1起(2023年7月1日发生 食品药品二级)"
    }
    alone = findings(book, this_year, options=("--db", db))
    assert alone["candidates"] == [] and alone["undetermined"] == []  # 2022 had none (2021's event is not 2022's)
