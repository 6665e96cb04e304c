"""能上能下办法 第六条、第八条第(四)项、第十一条至第十三条: the 责任认定 sheet, clause by clause, at the thresholds."""

from datetime import date
from decimal import Decimal

import pytest

from sanshi.errors import ConflictError, InputError
from sanshi.inputs.records import AreaRank, AssessedUnit, Cadre, Finding
from sanshi.rules.censure import Bodies
from sanshi.rules.demotion import find_triggers
from sanshi.rules.findings import parse_bottom, parse_grade, parse_item
from sanshi.rules.params import load_pack
from sanshi.rules.triggers import YearRecords

PACK = load_pack("shaanxi-2018")


def finding(
    unit,
    area,
    level,
    day=date(2023, 5, 1),
    *,
    by=None,
    tier=None,
    names=(),
    item=None,
    row=2,
    year=2023,
    treatment=None,
    serious=None,
    occurred=None,
):
    cells = tuple(
        (f, f"{letter}{row}")
        for f, letter in (
            ("unit", "A"),
            ("area", "B"),
            ("level", "C"),
            ("tier", "G"),
            ("names", "H"),
            ("item", "I"),
            ("notified_by", "E"),
            ("treatment", "J"),
            ("serious", "K"),
            ("occurred", "L"),
        )
    )
    return Finding(
        unit,
        area,
        level,
        day,
        by,
        None,
        tier,
        tuple(names),
        item,
        year,
        f"{year}.xlsx › 责任认定",
        cells,
        treatment,
        serious,
        occurred,
    )


def staff(unit, *, secretary="县委书记", head2="县委副书记、县长", deputy="副县长"):
    return [
        Cadre("甲", unit, role="主要负责人", position=secretary),
        Cadre("乙", unit, role="主要负责人", position=head2),
        Cadre("丙", unit, role="分管领导", position=deputy),
        Cadre("丁", unit, role="其他", position="调研员"),
    ]


def county(name, rank=1):
    return AreaRank(name, "县", rank)


def city(name):
    return AssessedUnit(name, Decimal(90), group="设区市")


def year(y, findings=None, *, cadres=(), ranks=(), target=()):
    return YearRecords(
        y,
        f"{y}.xlsx" if y == 2023 else f"历史库{y}年",
        target=list(target),
        ranks=list(ranks),
        cadres=list(cadres),
        findings=findings,
    )


def run(findings, *, last=None, cadres=(), ranks=(), target=()):
    years = [year(2023, findings, cadres=cadres, ranks=ranks, target=target), year(2022, last), year(2021)]
    return find_triggers(years, PACK)


def rows(triggers):
    return sorted((t.key, t.unit, t.name, t.role) for t in triggers)


# ---- grades, ranks and items as people write them ------------------------------------------------------


@pytest.mark.parametrize(
    "text, grade",
    [
        ("特别重大", 0),
        ("一级", 0),
        ("重大事故", 1),
        ("二级", 1),
        ("三级(较大)", 2),
        ("较大（三级）", 2),
        ("Ⅳ级", 3),
        ("一般", 3),
    ],
)
def test_both_grade_schemes_are_read(text, grade):
    assert parse_grade(text) == grade


@pytest.mark.parametrize("text", ["三级(重大)", "严重", "较大较大二级", ""])
def test_contradictory_or_unknown_grades_are_not_read(text):
    assert parse_grade(text) is None


def test_national_ranks_and_items():
    assert [parse_bottom(t) for t in ("最后档次", "后5位", "倒数第6名", "后五位", "第5名")] == [0, 5, 6, 5, None]
    assert [parse_item(t, 6) for t in ("(一)", "第(四)项", "6(2)", "第六条第(三)项", "3", "甲")] == [
        1,
        4,
        2,
        3,
        3,
        None,
    ]


@pytest.mark.parametrize(
    "text, bodies",
    [
        ("中共中央、国务院", ["党中央", "国务院"]),
        ("省委和省政府", ["省委", "省政府"]),
        ("陕西省人民政府", ["省政府"]),
        ("住房和城乡建设部", ["住房和城乡建设部"]),
        ("市委和市政府", ["市委和市政府"]),
        ("省委 / 省政府", ["省委", "省政府"]),
        ("", []),
        (None, []),
    ],
)
def test_bodies_are_read_by_the_packs_names(text, bodies):
    """和/及 join two bodies only when both are bodies the pack knows (not 住房和城乡建设部)."""
    assert Bodies(PACK).split(text) == bodies


# ---- 12(1) production safety, county level -----------------------------------------------------------


def test_12_1_county_exactly_two_major_accidents_fire():
    """县: 2 起较大 = 达到“2起以上(含2起)较大以上” -> 主要负责人 (两人) 和 分管领导."""
    outcome = run(
        [
            finding("甲县", "安全生产", "较大", date(2023, 4, 12), row=2),
            finding("甲县", "安全生产", "三级", date(2023, 9, 27), row=3),
        ],
        cadres=staff("甲县"),
        ranks=[county("甲县")],
    )
    assert rows(outcome.candidates) == [
        ("12(1)", "甲县", "丙", "分管领导"),
        ("12(1)", "甲县", "乙", "主要负责人"),
        ("12(1)", "甲县", "甲", "主要负责人"),
    ]
    basis = outcome.candidates[0].basis
    assert basis.startswith("县级单位(层级取自县域监测表),一年内发生2起以上(含2起)较大以上生产安全责任事故:2023年2起(")
    assert "2023年4月12日认定 安全生产较大" in basis and "2023年9月27日认定 安全生产三级" in basis
    assert basis.endswith(";未填「发生日期」的按认定日期计入年度")  # 一年内 counted by the 认定日期
    assert outcome.candidates[0].clause == "能上能下办法第十二条第(一)项"


def test_12_1_county_one_major_and_one_ordinary_do_not_fire():
    outcome = run(
        [finding("甲县", "安全生产", "较大"), finding("甲县", "安全生产", "一般", row=3)],
        cadres=staff("甲县"),
        ranks=[county("甲县")],
    )
    assert outcome.candidates == [] and outcome.undetermined == []


def test_12_1_county_one_serious_accident_is_enough():
    outcome = run([finding("甲县", "安全生产", "二级")], cadres=staff("甲县"), ranks=[county("甲县")])
    assert {t.name for t in outcome.candidates} == {"甲", "乙", "丙"}
    assert "一年内发生1起重大以上生产安全责任事故" in outcome.candidates[0].basis


def test_12_1_accidents_of_another_year_are_not_counted():
    outcome = run(
        [
            finding("甲县", "安全生产", "较大", date(2023, 1, 5)),
            finding("甲县", "安全生产", "较大", date(2022, 12, 30), row=3),
        ],
        cadres=staff("甲县"),
        ranks=[county("甲县")],
    )
    assert outcome.candidates == []
    assert (
        "2023.xlsx › 责任认定 › A3: 甲县的生产安全责任事故未填发生日期,认定日期2022年12月30日不在2023年内,"
        "未计入2023年(计入2022年的起数)"
    ) in [w.message for w in outcome.warnings]


# ---- 12(1) city level and the censure part -----------------------------------------------------------


def test_12_1_city_needs_two_serious_and_two_major_do_not_fire():
    two_major = run(
        [finding("甲市", "安全生产", "较大"), finding("甲市", "安全生产", "较大", row=3)], target=[city("甲市")]
    )
    assert two_major.candidates == []
    one_serious = run([finding("甲市", "安全生产", "重大")], target=[city("甲市")])
    assert one_serious.candidates == []
    two_serious = run(
        [finding("甲市", "安全生产", "重大"), finding("甲市", "安全生产", "二级", row=3)], target=[city("甲市")]
    )
    assert rows(two_serious.candidates) == [("12(1)", "甲市", "", "主要负责人"), ("12(1)", "甲市", "", "分管领导")]
    assert (
        "市级单位(层级取自目标责任考核类别「设区市」),一年内发生2起以上(含2起)重大以上"
        in two_serious.candidates[0].basis
    )


def test_12_1_tier_column_overrides_the_registry():
    outcome = run([finding("甲县", "安全生产", "重大", tier="市")], ranks=[county("甲县")])
    assert outcome.candidates == []  # 市级: 1 起重大 is below 2 起重大 / 1 起特别重大


def test_12_1_censure_by_the_provincial_government_names_the_head_only():
    outcome = run(
        [finding("省甲厅", "安全生产", "一般", by="省政府", tier="省级部门", treatment="责任追究")],
        cadres=[
            Cadre("甲", "省甲厅", role="主要负责人", position="厅长"),
            Cadre("乙", "省甲厅", role="分管领导", position="副厅长"),
        ],
    )
    assert rows(outcome.candidates) == [("12(1)", "省甲厅", "甲", "主要负责人")]
    assert outcome.candidates[0].basis.startswith("受到省政府责任追究:2023年5月1日认定 安全生产一般(省政府)")


def test_12_1_a_notice_by_another_body_is_not_a_censure():
    outcome = run([finding("省甲厅", "安全生产", "一般", by="省安委会办公室", tier="省级部门")])
    assert outcome.candidates == []


def test_unknown_level_is_undetermined_not_guessed():
    outcome = run([finding("某单位", "安全生产", "重大")])
    assert outcome.candidates == []
    assert {t.role for t in outcome.undetermined} == {"主要负责人", "分管领导"}
    assert "单位层级不明" in outcome.undetermined[0].basis and "「层级」列" in outcome.undetermined[0].basis


def test_unknown_level_with_nothing_that_could_fire_is_silent():
    assert run([finding("某单位", "安全生产", "一般")]).undetermined == []


def test_conflicting_tier_values_stop():
    with pytest.raises(ConflictError) as caught:
        run([finding("甲县", "安全生产", "重大", tier="县"), finding("甲县", "安全生产", "重大", tier="市", row=3)])
    assert (
        "2023.xlsx › 责任认定 › G3: 甲县 的层级为市,与 2023.xlsx › 责任认定 › G2 的县不一致" in caught.value.messages[0]
    )


# ---- 12(2) food and drug: one year for counties, two years for cities ----------------------------------


def test_12_2_county_two_grade_three_incidents():
    outcome = run(
        [finding("甲县", "食品药品", "三级(较大)"), finding("甲县", "食品药品", "较大", row=3)], ranks=[county("甲县")]
    )
    assert {t.key for t in outcome.candidates} == {"12(2)"}
    assert "一年内发生2起以上(含2起)较大以上食品药品安全事故" in outcome.candidates[0].basis


def test_12_2_city_two_consecutive_years_fire_and_one_year_does_not():
    now = [finding("甲市", "食品药品", "二级")]
    fired = run(now, last=[finding("甲市", "食品药品", "重大", date(2022, 8, 1), year=2022)], target=[city("甲市")])
    assert rows(fired.candidates) == [("12(2)", "甲市", "", "主要负责人"), ("12(2)", "甲市", "", "分管领导")]
    assert "连续2年每年发生1起重大以上食品药品安全事故:2022年1起(2022年8月1日" in fired.candidates[0].basis
    once = run(now, last=[], target=[city("甲市")])
    assert once.candidates == [] and once.undetermined == []
    lesser = run(now, last=[finding("甲市", "食品药品", "三级", date(2022, 8, 1), year=2022)], target=[city("甲市")])
    assert lesser.candidates == []


def test_12_2_city_without_last_years_findings_is_undetermined():
    outcome = run([finding("甲市", "食品药品", "二级")], last=None, target=[city("甲市")])
    assert outcome.candidates == []
    assert "2022年责任认定缺失(历史库没有2022年责任认定表)" in outcome.undetermined[0].basis


# ---- 13 mass incidents and 综治重点整顿 ------------------------------------------------------------------


def test_13_1_county_one_most_serious_or_two_serious():
    one = run([finding("甲县", "综治维稳", "特别重大", names=["戊"])], cadres=staff("甲县"), ranks=[county("甲县")])
    assert rows(one.candidates) == [
        ("13(1)", "甲县", "乙", "主要负责人"),
        ("13(1)", "甲县", "戊", "有关领导干部"),
        ("13(1)", "甲县", "甲", "主要负责人"),
    ]
    assert any("戊(甲县)在本年干部表中没有" in w.message for w in one.warnings)
    single = run([finding("甲县", "群体性事件", "重大")], ranks=[county("甲县")])
    assert single.candidates == []
    two = run(
        [finding("甲县", "群体性事件", "重大"), finding("甲县", "公共安全", "二级", row=3)], ranks=[county("甲县")]
    )
    assert {t.key for t in two.candidates} == {"13(1)"}


def test_13_1_city_most_serious_in_two_years_versus_one():
    now = [finding("甲市", "综治维稳", "特别重大")]
    assert run(now, last=[], target=[city("甲市")]).candidates == []
    both = run(now, last=[finding("甲市", "综治维稳", "一级", date(2022, 3, 1), year=2022)], target=[city("甲市")])
    assert {t.key for t in both.candidates} == {"13(1)"}


def test_13_2_rectification_two_years():
    now = [finding("甲县", "综治重点整顿", "重点整顿单位")]
    assert run(now, last=[]).candidates == []
    both = run(
        now, last=[finding("甲县", "综治重点整顿", "重点整顿单位", date(2022, 2, 1), year=2022)], cadres=staff("甲县")
    )
    assert rows(both.candidates) == [("13(2)", "甲县", "乙", "主要负责人"), ("13(2)", "甲县", "甲", "主要负责人")]
    assert both.candidates[0].basis.startswith("连续2年被确定为社会治安综合治理重点整顿单位:2022年2月1日 综治重点整顿")
    assert "2023年" in run(now, last=None).undetermined[0].basis


# ---- 6, 8(4), 11: each finding is the case -------------------------------------------------------------


def test_6_names_the_party_secretary_not_the_deputy_secretary_and_the_people_named():
    outcome = run([finding("甲县", "党建", "通报批评", by="省委", item="(一)", names=["丙"])], cadres=staff("甲县"))
    assert rows(outcome.candidates) == [("6(1)", "甲县", "丙", "分管领导"), ("6(1)", "甲县", "甲", "党委(党组)书记")]
    assert outcome.candidates[0].clause == "能上能下办法第六条第(一)项"


def test_6_without_an_item_is_an_input_problem_naming_the_cell():
    with pytest.raises(InputError) as caught:
        run(
            [
                finding("甲县", "党建", "通报批评", row=7),
                finding("甲县", "卫生", "一般", row=8),
                finding("甲县", "安全生产", "很大", row=9),
            ]
        )
    text = "\n".join(caught.value.messages)
    assert "2023.xlsx › 责任认定 › I7: 领域「党建」须在「条款」列写明第六条第几项((一)、(二)、(三)、(四))" in text
    assert "2023.xlsx › 责任认定 › B8: 领域「卫生」不是可选值" in text
    assert "2023.xlsx › 责任认定 › C9: 等级「很大」应为" in text


def test_8_4_last_five_fire_and_sixth_does_not():
    cadres = [
        Cadre("甲", "省甲厅", role="主要负责人", position="厅长"),
        Cadre("乙", "省甲厅", role="分管领导", position="副厅长"),
    ]

    def national(level):  # a 省级部门 in an evaluation run by 国务院: 8(4)'s other two facts
        return [finding("省甲厅", "全国考核评比", level, by="国务院", tier="省级部门")]

    fifth = run(national("后5位"), cadres=cadres)
    assert rows(fifth.candidates) == [("8(4)", "省甲厅", "乙", "分管领导"), ("8(4)", "省甲厅", "甲", "主要负责人")]
    assert run(national("倒数第6位"), cadres=cadres).candidates == []
    assert len(run(national("最后档次"), cadres=cadres).candidates) == 2


def test_11_names_only_the_people_written():
    outcome = run([finding("甲县", "生态环保", "通报批评", item="(二)", names=["丙"])], cadres=staff("甲县"))
    assert rows(outcome.candidates) == [("11(2)", "甲县", "丙", "分管领导")]
    nobody = run([finding("甲县", "生态环保", "通报批评", item="(二)")], cadres=staff("甲县"))
    assert rows(nobody.candidates) == [("11(2)", "甲县", "", "有关领导干部")]
    assert any("请在责任认定表「姓名」列填写" in w.message for w in nobody.warnings)


def test_two_findings_of_one_clause_give_one_row_per_person():
    outcome = run(
        [
            finding("甲县", "党建", "通报批评", item="(一)", by="省委"),
            finding("甲县", "党建", "通报批评", item="(一)", by="中组部", row=3),
        ],
        cadres=staff("甲县"),
    )
    assert len(outcome.candidates) == 1
    assert "省委" in outcome.candidates[0].basis and "中组部" in outcome.candidates[0].basis
