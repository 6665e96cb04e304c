"""能上能下办法 第八条至第十条: one test per clause with hand-worked numbers, and the boundaries."""

from decimal import Decimal
from fractions import Fraction

import pytest

from sanshi.errors import ConflictError
from sanshi.inputs.records import AreaRank, AssessedUnit, Cadre, PovertyFacts, Votes
from sanshi.rules.demotion import YearRecords, decline_places, find_triggers, ratio_text
from sanshi.rules.params import load_pack
from tests.conftest import earlier_sheets

PACK = load_pack("shaanxi-2018")
PACK_2016 = load_pack("shaanxi-2016")
ALL_COLUMNS = frozenset(
    {
        "县域监测.four_indicator_rank",
        "脱贫攻坚.plan_completed",
        "脱贫攻坚.criticized",
        "脱贫攻坚.preset_grade",
        "脱贫攻坚.fraud",
    }
)


def year(y, **sheets):
    return YearRecords(
        year=y, where=f"{y}.xlsx" if y == 2023 else f"历史库{y}年", columns=ALL_COLUMNS, **earlier_sheets(y, sheets)
    )


def nothing(y):
    return YearRecords(year=y, where=f"历史库{y}年")


def leaders(unit, *, head="甲", deputy="乙", other="丙"):
    """A unit's 主要负责人, 分管领导 and 其他, each one person."""
    return [
        Cadre(head, unit, role="主要负责人", position="书记"),
        Cadre(deputy, unit, role="分管领导", position="副职"),
        Cadre(other, unit, role="其他", position="巡视员"),
    ]


def units(*rows):
    """(unit, score, preset grade) -> AssessedUnit rows of one group."""
    return [
        AssessedUnit(unit=u, score=Decimal(s), preset_grade=g, cell=f"C{i + 3}") for i, (u, s, g) in enumerate(rows)
    ]


def run(years, pack=PACK):
    return find_triggers(years, pack)


def rows(triggers, key=None):
    return [(t.key, t.unit, t.name, t.role) for t in triggers if key is None or t.key == key]


# ---- 8(1) -----------------------------------------------------------------------------------------

TEN = [(f"单位{i}", 90 - i, None) for i in range(1, 8)]  # seven ordinary units around the one under test


def test_8_1_ordinary_two_years_names_only_the_head():
    now = year(2023, target=units(("甲局", 80, "一般"), *TEN), cadres=leaders("甲局"))
    last = year(2022, target=units(("甲局", 81, "一般"), *TEN))
    outcome = run([now, last, nothing(2021)])
    assert rows(outcome.candidates) == [("8(1)", "甲局", "甲", "主要负责人")]
    assert outcome.candidates[0].clause == "能上能下办法第八条第(一)项"
    assert outcome.candidates[0].basis == "2022年一般(取自历史库2022年);2023年目标责任考核等次一般;连续2年一般"


def test_8_1_poor_this_year_is_enough_without_history():
    outcome = run(
        [year(2023, target=units(("甲局", 70, "较差"), *TEN), cadres=leaders("甲局")), nothing(2022), nothing(2021)]
    )
    assert rows(outcome.candidates) == [("8(1)", "甲局", "甲", "主要负责人")]
    assert outcome.candidates[0].basis == "2023年目标责任考核等次较差"
    assert outcome.undetermined == []


def test_8_1_ordinary_after_a_good_year_from_last_years_cut_is_not_triggered():
    # 2022: 8 units, quota floor(8×35%)=2; 甲局 third by score without a preset grade -> 良好.
    last = year(2022, target=units(("单位1", 99, None), ("单位2", 98, None), ("甲局", 97, None), *TEN[2:]))
    outcome = run([year(2023, target=units(("甲局", 80, "一般"), *TEN), cadres=leaders("甲局")), last, nothing(2021)])
    assert outcome.candidates == [] and outcome.undetermined == []


def test_8_1_ordinary_without_last_year_is_undetermined_not_silently_clear():
    outcome = run(
        [year(2023, target=units(("甲局", 80, "一般"), *TEN), cadres=leaders("甲局")), nothing(2022), nothing(2021)]
    )
    assert outcome.candidates == []
    assert rows(outcome.undetermined) == [("8(1)", "甲局", "甲", "主要负责人")]
    assert "2022年目标责任考核等次缺失" in outcome.undetermined[0].basis


def test_8_1_last_grade_column_alone_decides_and_disagreement_with_history_stops():
    with_column = [AssessedUnit("甲局", Decimal(80), preset_grade="一般", last_grade="一般", cell="C3"), *units(*TEN)]
    outcome = run([year(2023, target=with_column, cadres=leaders("甲局")), nothing(2022), nothing(2021)])
    assert rows(outcome.candidates) == [("8(1)", "甲局", "甲", "主要负责人")]
    assert "取自「上年等次」列" in outcome.candidates[0].basis

    last = year(2022, target=units(("甲局", 99, None), *TEN))  # first of 8 -> 优秀
    with pytest.raises(ConflictError) as caught:
        run([year(2023, target=with_column, cadres=leaders("甲局")), last, nothing(2021)])
    assert (
        "2023.xlsx › 目标责任考核 › C3: 甲局「上年等次」为一般,历史库2022年目标责任考核等次为优秀"
        in caught.value.messages[0]
    )


def test_8_1_unit_without_a_listed_head_still_gets_a_row():
    outcome = run(
        [
            year(2023, target=units(("甲局", 70, "较差"), *TEN), cadres=[Cadre("乙", "甲局", role="分管领导")]),
            nothing(2022),
            nothing(2021),
        ]
    )
    assert rows(outcome.candidates) == [("8(1)", "甲局", "", "主要负责人")]


# ---- 8(2) -----------------------------------------------------------------------------------------


def voter(name, excellent, competent, basic, incompetent, total=None, grade="称职"):
    return Cadre(name, "乙县", role="其他", grade=grade, votes=Votes(excellent, competent, basic, incompetent, total))


def test_8_2_exactly_30_percent_is_included():
    # 基本称职 9 + 不称职 3 = 12 of 10+18+9+3 = 40 votes: 30% 以上 includes 30%.
    outcome = run([year(2023, cadres=[voter("甲", 10, 18, 9, 3)]), nothing(2022), nothing(2021)])
    assert rows(outcome.candidates, "8(2)") == [("8(2)", "乙县", "甲", "其他")]
    assert outcome.candidates[0].basis == "基本称职票9+不称职票3=12/40(各票之和)=30.0%≥30%"
    with_total = run([year(2023, cadres=[voter("甲", 10, 18, 9, 3, total=40)]), nothing(2022), nothing(2021)])
    assert with_total.candidates[0].basis == "基本称职票9+不称职票3=12/40=30.0%≥30%"


def test_8_2_just_under_30_percent_is_not_triggered_and_shown_exactly():
    # 2997 of 10000 = 29.97%: one decimal would print 30.0%.
    outcome = run([year(2023, cadres=[voter("甲", 5000, 2003, 2997, 0)]), nothing(2022), nothing(2021)])
    assert outcome.candidates == []
    assert ratio_text(Fraction(2997, 10000), Fraction(3, 10)) == "29.97%"
    assert ratio_text(Fraction(12, 40), Fraction(3, 10)) == "30.0%"
    assert ratio_text(Fraction(25, 60), Fraction(3, 10)) == "41.7%"


def test_8_2_total_column_above_the_sum_counts_abstentions():
    # 9 + 2 = 11 bad votes; the columns sum to 35, 总票数 37: 11/37 = 29.7% < 30% (11/35 would be 31.4%).
    outcome = run([year(2023, cadres=[voter("甲", 10, 14, 9, 2, total=37)]), nothing(2022), nothing(2021)])
    assert outcome.candidates == []
    fired = run([year(2023, cadres=[voter("甲", 10, 16, 9, 3, total=40)]), nothing(2022), nothing(2021)])
    assert fired.candidates[0].basis == "基本称职票9+不称职票3=12/40(含未投或弃权2票)=30.0%≥30%"


def test_8_2_the_2016_pack_also_needs_more_than_15_percent_incompetent():
    people = [
        voter("甲", 10, 18, 9, 3),  # 12/40 = 30%, 不称职 3/40 = 7.5%: 2018 only
        voter("乙", 5, 10, 19, 6),  # 25/40, 不称职 6/40 = 15%: 超过 excludes 15%
        voter("丙", 3, 30, 15, 10, 60),
    ]  # 25/60, 不称职 10/60 = 16.7% > 15%
    in_2018 = run([year(2023, cadres=people), nothing(2022), nothing(2021)])
    in_2016 = run([year(2023, cadres=people), nothing(2022), nothing(2021)], PACK_2016)
    assert [t.name for t in in_2018.candidates] == ["丙", "乙", "甲"]
    assert [t.name for t in in_2016.candidates] == ["丙"]
    assert (
        in_2016.candidates[0].basis
        == "基本称职票15+不称职票10=25/60(含未投或弃权2票)=41.7%≥30%;不称职票10/60=16.7%>15%"
    )
    assert in_2016.candidates[0].clause == "能上能下办法(2016年版,条款编号待核;对应2018年版第八条第(二)项)"


# ---- 8(3) -----------------------------------------------------------------------------------------


def test_8_3_incompetent_this_year():
    outcome = run([year(2023, cadres=[Cadre("甲", "乙县", role="其他", grade="不称职")]), nothing(2022), nothing(2021)])
    assert rows(outcome.candidates) == [("8(3)", "乙县", "甲", "其他")]
    assert outcome.candidates[0].basis == "2023年年度考核等次不称职"


def test_8_3_basic_two_years_follows_a_cadre_who_moved_unit_by_id():
    now = year(2023, cadres=[Cadre("甲", "新单位", cadre_id="X1", role="分管领导", grade="基本称职")])
    last = year(
        2022,
        cadres=[
            Cadre("甲", "旧单位", cadre_id="X1", role="分管领导", grade="基本称职"),
            Cadre("甲", "新单位", cadre_id="X2", role="其他", grade="称职"),
        ],
    )  # same name, other person
    outcome = run([now, last, nothing(2021)])
    assert rows(outcome.candidates) == [("8(3)", "新单位", "甲", "分管领导")]
    assert outcome.candidates[0].basis == (
        "2022年基本称职(取自历史库2022年按干部编号对应);2023年年度考核等次基本称职;连续2年基本称职"
    )


def test_8_3_without_ids_people_match_by_name_and_unit_and_ambiguity_stops():
    now = year(2023, cadres=[Cadre("甲", "乙县", grade="基本称职", cell="A5")])
    last = year(2022, cadres=[Cadre("甲", "乙县", grade="称职")])
    assert run([now, last, nothing(2021)]).candidates == []
    twins = year(2022, cadres=[Cadre("甲", "乙县", grade="称职"), Cadre("甲", "乙县", grade="基本称职")])
    with pytest.raises(ConflictError) as caught:
        run([now, twins, nothing(2021)])
    assert "2023.xlsx › 干部 › A5: 甲(乙县)在历史库2022年干部表中有多行同名同单位" in caught.value.messages[0]


def test_8_3_basic_once_with_last_year_missing_is_undetermined():
    outcome = run(
        [
            year(2023, cadres=[Cadre("甲", "乙县", cadre_id="X9", grade="基本称职")]),
            year(2022, cadres=[Cadre("乙", "乙县", cadre_id="X1", grade="称职")]),
            nothing(2021),
        ]
    )
    assert outcome.candidates == []
    assert rows(outcome.undetermined) == [("8(3)", "乙县", "甲", None)]
    assert outcome.undetermined[0].basis == (
        "2023年年度考核等次基本称职;2022年考核等次缺失(历史库2022年干部表中没有此人,「上年考核等次」未填)"
    )


def test_8_3_last_grade_column_disagreeing_with_history_stops():
    now = year(
        2023, cadres=[Cadre("甲", "乙县", cadre_id="X1", grade="基本称职", last_grade="基本称职", last_grade_cell="G4")]
    )
    last = year(2022, cadres=[Cadre("甲", "乙县", cadre_id="X1", grade="称职")])
    with pytest.raises(ConflictError) as caught:
        run([now, last, nothing(2021)])
    assert caught.value.messages[0] == (
        "2023.xlsx › 干部 › G4: 甲(乙县)「上年考核等次」为基本称职,历史库2022年按干部编号对应的年度考核等次为称职"
    )


# ---- 9(1) -----------------------------------------------------------------------------------------


def test_decline_places_are_competition_ranked():
    # Declines 3, 3, 2, 2, 1 -> places 1, 1, 3, 3, 5 (the 前3名 are the first four); risers are not declines.
    ranks = [AreaRank(u, "县", r) for u, r in (("甲", 4), ("乙", 5), ("丙", 6), ("丁", 7), ("戊", 8), ("己", 1))]
    last = {"甲": 1, "乙": 2, "丙": 4, "丁": 5, "戊": 7, "己": 3}
    places = decline_places(ranks, last, "县")
    assert {u: (d.size, d.place) for u, d in places.items()} == {
        "甲": (3, 1),
        "乙": (3, 1),
        "丙": (2, 3),
        "丁": (2, 3),
        "戊": (1, 5),
    }


def ranking(order, area="县", last=None, four=None):
    """Ranks 1..n in the given order, with 上年名次 and 四项指标排位 when given."""
    return [
        AreaRank(u, area, i, last_rank=(last or {}).get(u), four_indicator_rank=(four or {}).get(u))
        for i, u in enumerate(order, start=1)
    ]


def test_9_1_among_the_three_largest_declines_two_years_running_ties_included():
    units_ = ["甲", "乙", "丙", "丁", "戊", "己"]
    y21 = year(2021, ranks=ranking(units_))
    y22 = year(2022, ranks=ranking(["己", "甲", "乙", "丙", "丁", "戊"]))  # declines: 甲1 乙1 丙1 丁1 戊1 -> all 1st
    y23 = year(
        2023,
        ranks=ranking(["己", "戊", "丁", "丙", "乙", "甲"]),  # 甲 2→6 (4), 乙 3→5 (2), 丙 4→4
        cadres=leaders("甲") + leaders("乙") + leaders("丙"),
    )
    outcome = run([y23, y22, y21])
    assert rows(outcome.candidates) == [("9(1)", "乙", "甲", "主要负责人"), ("9(1)", "甲", "甲", "主要负责人")]
    first = next(t for t in outcome.candidates if t.unit == "甲")
    assert first.basis == (
        "连续2年县(市)退位幅度前3名(含并列):2022年名次1→2,退1位,退位幅度第1名;2023年名次2→6,退4位,退位幅度第1名"
    )


def test_9_1_not_declining_last_year_clears_and_missing_last_year_is_undetermined():
    y23 = year(2023, ranks=ranking(["乙", "甲"], last={"甲": 1, "乙": 2}), cadres=leaders("甲"))
    y22 = year(2022, ranks=ranking(["甲", "乙"], last={"甲": 1, "乙": 2}))  # 甲 held first place
    assert run([y23, y22, nothing(2021)]).candidates == []
    outcome = run([y23, nothing(2022), nothing(2021)])  # 上年名次 column gives 2023's decline only
    assert rows(outcome.undetermined) == [("9(1)", "甲", "甲", "主要负责人")]
    assert "2022年退位幅度缺失" in outcome.undetermined[0].basis


def test_9_1_districts_only_the_largest_decline_ties_share_it():
    y21 = year(2021, ranks=ranking(["甲区", "乙区", "丙区", "丁区"], "城区"))
    y22 = year(2022, ranks=ranking(["乙区", "甲区", "丙区", "丁区"], "城区"))  # only 甲区 declines (1→2)
    staff = leaders("甲区") + leaders("乙区")
    alone = year(2023, ranks=ranking(["乙区", "丙区", "丁区", "甲区"], "城区"), cadres=staff)  # 甲区 2→4, largest
    assert rows(run([alone, y22, y21]).candidates) == [("9(1)", "甲区", "甲", "主要负责人")]
    tied = year(2023, ranks=ranking(["丙区", "乙区", "甲区", "丁区"], "城区"), cadres=staff)  # 乙区 1→2, 甲区 2→3
    outcome = run([tied, y22, y21])
    assert rows(outcome.candidates) == [("9(1)", "甲区", "甲", "主要负责人")]  # 乙区 shares first only in 2023
    assert outcome.candidates[0].basis.endswith("2023年名次2→3,退1位,退位幅度第1名")
    second = year(
        2023, ranks=ranking(["丙区", "甲区", "丁区", "乙区"], "城区"), cadres=staff
    )  # 乙区 −3 first, 甲区 level
    assert run([second, y22, y21]).candidates == []


# ---- 9(2) -----------------------------------------------------------------------------------------


def test_9_2_last_three_counties_two_years_running():
    names = [f"县{i}" for i in range(1, 8)]
    four_22 = {u: i for i, u in enumerate(names, start=1)}  # 县5, 县6, 县7 last three
    four_23 = dict(four_22, 县4=7, 县7=4)  # 县4 now last; 县7 leaves the bottom
    y22 = year(2022, ranks=ranking(names, four=four_22))
    y23 = year(
        2023,
        ranks=ranking(names, last={u: i for i, u in enumerate(names, 1)}, four=four_23),
        cadres=leaders("县5") + leaders("县6"),
    )
    outcome = run([y23, y22, nothing(2021)])
    assert rows(outcome.candidates, "9(2)") == [
        ("9(2)", "县5", "甲", "主要负责人"),
        ("9(2)", "县6", "甲", "主要负责人"),
    ]
    assert (
        outcome.candidates[0].basis
        == "连续2年四项指标综合排位县(市)后3名:2022年第5位(共7个,倒数第3);2023年第5位(共7个,倒数第3)"
    )
    missing = run([y23, nothing(2022), nothing(2021)])
    assert {t.unit for t in missing.undetermined} == {"县4", "县5", "县6"}


# ---- 10 -------------------------------------------------------------------------------------------


def test_10_poverty_items_name_head_and_deputy():
    facts = [
        PovertyFacts("甲县", plan_completed="否"),
        PovertyFacts("乙县", criticized="受到省委、省政府通报批评", criticized_by="省委、省政府", serious="是"),
        PovertyFacts("丙县", preset_grade="差"),
        PovertyFacts("丁县", fraud="虚报脱贫人口"),
        PovertyFacts("戊县", preset_grade="较差", plan_completed="是"),
    ]
    outcome = run([year(2023, poverty=facts, cadres=leaders("甲县")), nothing(2022), nothing(2021)])
    assert rows(outcome.candidates) == [
        ("10(1)", "甲县", "甲", "主要负责人"),
        ("10(1)", "甲县", "乙", "分管领导"),
        ("10(2)", "乙县", "", "主要负责人"),
        ("10(2)", "乙县", "", "分管领导"),
        ("10(3)", "丙县", "", "主要负责人"),
        ("10(3)", "丙县", "", "分管领导"),
        ("10(4)", "丁县", "", "主要负责人"),
        ("10(4)", "丁县", "", "分管领导"),
    ]
    assert [t.clause for t in outcome.candidates[::2]] == [
        "能上能下办法第十条第(一)项",
        "能上能下办法第十条第(二)项",
        "能上能下办法第十条第(三)项",
        "能上能下办法第十条第(四)项",
    ]
    assert outcome.candidates[4].basis == "2023年脱贫攻坚工作成效考核等次为差"
    assert outcome.candidates[2].basis == "2023年受到批评或通报批评:受到省委、省政府通报批评;省委通报批评且问题严重"


def test_9_1_a_county_without_last_rank_is_left_out_of_the_declines_with_a_warning():
    y23 = year(2023, ranks=ranking(["乙", "甲", "新"], last={"甲": 1, "乙": 2}))
    outcome = run([y23, nothing(2022), nothing(2021)])
    assert "县(市)中 新 没有上年名次,未参加2023年退位幅度排序" in [w.message for w in outcome.warnings]
    assert [t.unit for t in outcome.undetermined] == ["甲"]  # 甲 1→2 first this year, 2022 unknown
