"""Rule packs: the shipped numbers with their clauses, local overrides, strict checking."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from sanshi.errors import PackError
from sanshi.rules.params import PARAMS, PARAMS_BY_KEY, builtin_names, load_pack, pack_for_year, parse_ratio


def test_both_packs_ship_and_every_parameter_has_a_clause():
    assert {"shaanxi-2016", "shaanxi-2018"} <= set(builtin_names())
    for name in ("shaanxi-2016", "shaanxi-2018"):
        pack = load_pack(name)
        assert set(pack.params) == set(PARAMS_BY_KEY)  # with the declared clauses' (rules/clauses/)
        assert all(p.clause for p in pack.params.values())


@pytest.mark.parametrize(
    "key, value, clause",
    [
        ("target.excellent_ratio", Fraction(35, 100), "鼓励激励办法第五条第(一)项"),
        ("poverty.excellent_ratio", Fraction(35, 100), "鼓励激励办法第五条第(三)项"),
        ("cadre_quota.excellent_unit_ratio", Fraction(20, 100), "鼓励激励办法第五条第(一)项"),
        ("county.first_place_amount", Decimal(100), "鼓励激励办法第六条第(二)项"),
        ("county.base_amount", Decimal(50), "鼓励激励办法第六条第(二)项"),
        ("county.step_amount", Decimal(10), "鼓励激励办法第六条第(二)项"),
        ("county.progress_district_amount", Decimal(50), "鼓励激励办法第六条第(二)项"),
        ("strong_county.amount", Decimal(20), "鼓励激励办法第六条第(二)项"),
        ("poverty.amount", Decimal(100), "鼓励激励办法第六条第(三)项"),
        ("bonus.excellent_cadre_uplift", Fraction(10, 100), "鼓励激励办法第六条第(一)项"),
    ],
)
def test_shaanxi_2018_numbers_are_the_text(key, value, clause):
    param = load_pack("shaanxi-2018")[key]
    assert (param.value, param.clause) == (value, clause)


def test_2018_tiers_80_50_30_and_unset_bonus_amounts():
    pack = load_pack("shaanxi-2018")
    assert [(t.name, t.size, t.amount) for t in pack.tiers("county.progress_tiers")] == [
        ("一等奖", 3, 80),
        ("二等奖", 3, 50),
        ("三等奖", 4, 30),
    ]
    assert not pack["bonus.amount_by_grade"].is_set


def test_2016_pack_has_no_strong_county_titles_and_says_what_it_assumed():
    pack = load_pack("shaanxi-2016")
    assert pack.names("strong_county.titles") == ()
    assert pack.caveats and "核对原文" in pack.caveats[0]


def test_pack_in_force_follows_the_assessment_year():
    assert pack_for_year(2017) == "shaanxi-2016"
    assert pack_for_year(2018) == "shaanxi-2018"  # effective 2018-10-26, before the year's end
    assert load_pack(year=2023).effective_from == date(2018, 10, 26)


def test_local_pack_overrides_one_value_and_keeps_the_rest(tmp_path):
    path = tmp_path / "local.toml"
    path.write_text(
        '[pack]\nname = "示例市"\nbase = "shaanxi-2018"\n\n'
        "[target.excellent_ratio]\nvalue = 0.30\n\n"
        '[bonus.amount_by_grade]\nvalue = { "优秀" = 12000, "良好" = 10000 }\nclause = "示例市细则第三条"\n',
        encoding="utf-8",
    )
    pack = load_pack(str(path))
    assert pack.ratio("target.excellent_ratio") == Fraction(3, 10)
    assert pack["target.excellent_ratio"].clause == "鼓励激励办法第五条第(一)项"  # inherited
    assert pack["target.excellent_ratio"].source == "示例市"
    assert pack.grade_amounts("bonus.amount_by_grade") == {"优秀": Decimal(12000), "良好": Decimal(10000)}
    assert pack.amount("county.base_amount") == 50
    assert pack.label == "示例市(基于 shaanxi-2018)"


@pytest.mark.parametrize(
    "body, expected",
    [
        ('[target.excelent_ratio]\nvalue = "30%"\n', "未知参数(是否想写 target.excellent_ratio?)"),
        ('[target.excellent_ratio]\nvalue = "thirty"\n', "应为比例"),
        ('[county.base_amount]\nvalue = "50"\n', "应为金额数字"),
        ("[county.top_counties]\nvalue = 10.5\n", "应为非负整数"),
        ('[target.rounding]\nvalue = "round"\n', "应为 floor、half_up、ceil 之一"),
        ('[target.excellent_ratio]\nvalue = "35%"\ncolor = "red"\n', "未知项 color"),
        ('[bonus.amount_by_grade]\nvalue = { "特优" = 1 }\n', "未知等次 特优"),
        (
            '[demotion.safety_censure.value]\n"12(1)" = [{ bodies = ["省委"], treatment = "警告" }]\n',
            "条款 12(1) 的 treatment 应为 通报批评、责任追究 之一",
        ),
        ('[demotion.finding_censures.value]\n"8(4)" = [{ bodies = ["国务院"] }]\n', "条款「8(4)」不适用此参数"),
        (
            '[demotion.poverty_criticism.value]\n"10(2)" = [{ bodies = ["省委"], serious = "是" }]\n',
            "serious 应为 true 或 false",
        ),
        (
            '[demotion.body_aliases.value]\n"省委" = ["中共陕西省委"]\n"省政府" = ["中共陕西省委"]\n',
            "写法「中共陕西省委」同时列在「省委」和「省政府」下",
        ),
        ('[demotion.national_levels]\nvalue = ["省直"]\n', "应为单位层级列表"),
        ('[demotion.named_people_clauses]\nvalue = ["第六条"]\n', "每项写成 6 或 8(1) 的形式"),
    ],
)
def test_bad_local_packs_are_clear_errors(tmp_path, body, expected):
    path = tmp_path / "bad.toml"
    path.write_text('[pack]\nname = "坏包"\nbase = "shaanxi-2018"\n' + body, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(str(path))
    assert expected in str(caught.value) and "bad.toml" in str(caught.value)


def test_unknown_pack_name():
    with pytest.raises(PackError) as caught:
        load_pack("shaanxi-2030")
    assert "shaanxi-2018" in str(caught.value)


@pytest.mark.parametrize(
    "raw, value",
    [
        ("35%", Fraction(7, 20)),
        ("7/20", Fraction(7, 20)),
        (Decimal("0.35"), Fraction(7, 20)),
        ("12.5%", Fraction(1, 8)),
    ],
)
def test_ratios_are_exact(raw, value):
    assert parse_ratio(raw) == value


def test_demotion_numbers_sit_beside_their_clauses():
    pack = load_pack("shaanxi-2018")
    assert (pack.ratio("demotion.vote_bad_ratio"), pack["demotion.vote_bad_ratio"].clause) == (
        Fraction(30, 100),
        "能上能下办法第八条第(二)项",
    )
    assert not pack["demotion.vote_incompetent_ratio"].is_set  # 2018 dropped the 不称职 condition
    assert load_pack("shaanxi-2016").optional_ratio("demotion.vote_incompetent_ratio") == Fraction(15, 100)
    assert pack.count("demotion.decline_counties") == 3 and pack.count("demotion.decline_districts") == 1
    assert pack.method_years("impact.years_by_method") == {"调离岗位": 1, "改任非领导职务": 1, "免职": 1, "降职": 2}
    assert pack.names_by("demotion.roles")["8(1)"] == ("主要负责人",)
    assert pack.names_by("tolerance.scopes")["民主测评"] == ("8(2)", "8(3)")


def test_who_acted_and_how_sits_beside_each_clause():
    """能下 6(1)-(3), 8(4), 10(2), 11(1), 12(1): the bodies, the treatment and 问题严重 as the 2018 text names them."""
    pack = load_pack("shaanxi-2018")
    poverty = pack.censures("demotion.poverty_criticism")["10(2)"]
    assert [(c.bodies, c.treatment, c.serious) for c in poverty] == [
        (("党中央", "国务院"), None, False),
        (("省委", "省政府"), "通报批评", True),
    ]
    assert pack["demotion.poverty_criticism"].clause == "能上能下办法第十条第(二)项"
    censures = pack.censures("demotion.finding_censures")
    assert {key: [c.text for c in conditions] for key, conditions in censures.items()} == {
        "6(1)": ["中组部、省委通报批评"],
        "6(2)": ["中组部、省委通报批评"],
        "6(3)": ["中宣部、省委通报批评"],
        "11(1)": ["党中央、国务院批评", "省委、省政府通报批评且问题严重"],
    }
    assert [c.text for c in pack.censures("demotion.safety_censure")["12(1)"]] == [
        "党中央、国务院通报批评",
        "省委、省政府责任追究",
    ]
    assert pack.names("demotion.named_people_clauses") == ("6", "11", "13")
    assert pack.names("demotion.national_levels") == ("省级部门",)
    assert {"党中央", "国务院", "国家部委", "教育部", "生态环境部", "国家发展改革委", "国家统计局"} <= set(
        pack.names("demotion.national_bodies")
    )
    assert "中共中央" in pack.names_by("demotion.body_aliases")["党中央"]
    assert "省人民政府" in pack.names_by("demotion.body_aliases")["省政府"]


def test_demotion_maps_are_checked(tmp_path):
    path = tmp_path / "local.toml"
    path.write_text(
        '[pack]\nname = "示例市"\nbase = "shaanxi-2018"\n\n'
        '[demotion.roles]\nvalue = { "8(1)" = ["党委书记"], "第九条" = ["主要负责人"] }\n\n'
        '[impact.years_by_method]\nvalue = { "降职" = 3 }\n',
        encoding="utf-8",
    )
    with pytest.raises(PackError) as caught:
        load_pack(path)
    text = "\n".join(caught.value.messages)
    assert "条款 8(1) 的岗位类别应为 主要负责人、分管领导、党委(党组)书记 中的零个或几个" in text
    assert "[impact.years_by_method] value: 应为每种调整方式的年数表" in text


def test_every_kind_of_parameter_has_its_checker():
    from sanshi.rules.params import _CHECKERS

    assert {spec.kind for spec in PARAMS} == set(_CHECKERS)
