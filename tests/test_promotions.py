"""鼓励激励办法 第七条: the promotion lists with hand-worked years, percentiles and exclusions."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from sanshi.errors import ConflictError, TieError
from sanshi.inputs.records import AreaRank, AssessedUnit, Cadre
from sanshi.results import ImpactPeriod, Trigger
from sanshi.rules import promotion
from sanshi.rules.params import load_pack, with_overrides
from sanshi.rules.triggers import Staff, YearRecords
from tests.conftest import earlier_sheets

PACK = load_pack("shaanxi-2018")


def year(y, **sheets):
    return YearRecords(y, "2023.xlsx" if y == 2023 else f"历史库{y}年", **earlier_sheets(y, sheets))


def holds(candidates=(), undetermined=(), periods=()):
    return promotion.Holds(list(candidates), list(undetermined), list(periods))


def cadres_run(years, pack=PACK, hold=None):
    outcome = promotion.PromotionOutcome()
    promotion.excellent_cadres(years, pack, hold or holds(), outcome)
    return outcome


def person(grade, *, name="甲", unit="甲局", cid="P1", last=None):
    return Cadre(name, unit, cadre_id=cid, grade=grade, last_grade=last, cell="A2", last_grade_cell="G2")


# ---- 7(1) ------------------------------------------------------------------------------------------


def test_7_1_three_consecutive_years_listed_with_the_years():
    outcome = cadres_run(
        [year(2023, cadres=[person("优秀")]), year(2022, cadres=[person("优秀")]), year(2021, cadres=[person("优秀")])]
    )
    [listed] = outcome.cadres
    assert listed.years == (2021, 2022, 2023) and listed.clause == "鼓励激励办法第七条第(一)项"
    assert listed.basis.startswith("2021、2022、2023年年度考核均为优秀,连续3年(≥3年)")


def test_7_1_four_years_are_all_listed_and_two_are_not_enough():
    four = cadres_run([year(y, cadres=[person("优秀")]) for y in (2023, 2022, 2021, 2020)])
    assert four.cadres[0].years == (2020, 2021, 2022, 2023)
    two = cadres_run(
        [year(2023, cadres=[person("优秀")]), year(2022, cadres=[person("优秀")]), year(2021, cadres=[person("称职")])]
    )
    assert two.cadres == [] and two.undetermined == []


def test_7_1_a_missing_year_is_undetermined_not_a_no():
    outcome = cadres_run([year(2023, cadres=[person("优秀")]), year(2022, cadres=[person("优秀")]), year(2021)])
    assert outcome.cadres == []
    [open_] = outcome.undetermined
    assert open_.reason == "2022、2023年优秀,2021年考核等次缺失(历史库没有该年干部数据),不能确定是否连续3年优秀"


def test_7_1_person_found_by_cadre_id_in_another_unit():
    outcome = cadres_run(
        [
            year(2023, cadres=[person("优秀", unit="乙局")]),
            year(2022, cadres=[person("优秀")]),
            year(2021, cadres=[person("优秀")]),
        ]
    )
    assert [(c.unit, c.years) for c in outcome.cadres] == [("乙局", (2021, 2022, 2023))]


def test_7_1_last_year_column_conflicting_with_history_stops():
    with pytest.raises(ConflictError) as caught:
        cadres_run(
            [
                year(2023, cadres=[person("优秀", last="称职")]),
                year(2022, cadres=[person("优秀")]),
                year(2021, cadres=[person("优秀")]),
            ]
        )
    assert "2023.xlsx › 干部 › G2: 甲(甲局)「上年考核等次」为称职" in caught.value.messages[0]


def test_7_1_impact_period_and_untolerated_trigger_exclude_tolerated_does_not():
    years = [year(y, cadres=[person("优秀")]) for y in (2023, 2022, 2021)]
    period = ImpactPeriod(
        "甲",
        "丙局",
        "P1",
        "降职",
        date(2022, 3, 10),
        date(2024, 3, 9),
        "能上能下办法第十六条",
        "2022年3月10日降职,2年内不得提拔",
        "2022年调整记录",
    )
    impact = cadres_run(years, hold=holds(periods=[period]))
    assert impact.cadres == []
    assert impact.excluded[0].reason == "能上能下办法第十六条:2022年3月10日降职,2年内不得提拔"  # matched by 干部编号
    trigger = Trigger(
        "甲", "甲局", None, "主要负责人", 8, 2, "能上能下办法第八条第(二)项", "12/40=30.0%≥30%", cadre_id="P1"
    )
    assert (
        cadres_run(years, hold=holds([trigger])).excluded[0].reason.startswith("能上能下办法第八条第(二)项情形(未容错)")
    )
    tolerated = Trigger(
        "甲", "甲局", None, "主要负责人", 8, 2, "能上能下办法第八条第(二)项", "…", "P1", True, "容〔2023〕1号"
    )
    assert len(cadres_run(years, hold=holds([tolerated])).cadres) == 1
    open_ = cadres_run(years, hold=holds(undetermined=[trigger]))
    assert open_.cadres == [] and open_.undetermined[0].reason.startswith("能下情形未能判定,须先判定")


# ---- 7(2) ------------------------------------------------------------------------------------------


def target(*rows, group="省级部门"):
    """(unit, score) rows of one group; 35% of 3 units floors to 1 excellent."""
    return [AssessedUnit(u, Decimal(s), group=group, cell=f"C{i + 2}") for i, (u, s) in enumerate(rows)]


def test_7_2_three_years_excellent_and_two_are_not_enough():
    history = {
        2022: target(("甲局", 95), ("乙局", 90), ("丙局", 85)),
        2021: target(("甲局", 94), ("乙局", 96), ("丙局", 85)),
    }
    now = target(("甲局", 97), ("乙局", 90), ("丙局", 85))
    outcome = promotion.PromotionOutcome()
    promotion.excellent_units(
        [year(2023, target=now), year(2022, target=history[2022]), year(2021, target=history[2021])],
        {"甲局": "优秀"},
        PACK,
        outcome,
    )
    assert outcome.units == []  # 2021: 乙局 was the one excellent unit
    history[2021] = target(("甲局", 96), ("乙局", 94), ("丙局", 85))
    outcome = promotion.PromotionOutcome()
    promotion.excellent_units(
        [year(2023, target=now), year(2022, target=history[2022]), year(2021, target=history[2021])],
        {"甲局": "优秀"},
        PACK,
        outcome,
    )
    assert [(u.unit, u.years) for u in outcome.units] == [("甲局", (2021, 2022, 2023))]


def test_7_2_a_tie_left_open_in_an_earlier_year_is_undetermined():
    outcome = promotion.PromotionOutcome()
    promotion.excellent_units(
        [
            year(2023, target=target(("甲局", 97), ("乙局", 90), ("丙局", 85))),
            year(2022, target=target(("甲局", 95), ("乙局", 90), ("丙局", 85))),
            year(2021, target=target(("甲局", 95), ("乙局", 95), ("丙局", 85))),
        ],
        {"甲局": "优秀"},
        PACK,
        outcome,
    )
    assert outcome.units == []
    assert "2021年为优秀或良好(名额线并列未定)" in outcome.undetermined[0].reason


# ---- 7(3) ------------------------------------------------------------------------------------------

RANKS = [AreaRank("甲县", "县", 1), AreaRank("乙县", "县", 2), AreaRank("丙县", "县", 3), AreaRank("丁县", "县", 4)]
POVERTY = [
    AssessedUnit("甲县", Decimal(80)),
    AssessedUnit("乙县", Decimal(95)),
    AssessedUnit("丙县", Decimal(90)),
    AssessedUnit("丁县", Decimal(85)),
]


def ranking(ranks=RANKS, target_rows=None, poverty=POVERTY, pack=PACK):
    outcome = promotion.PromotionOutcome()
    return promotion.county_ranking(ranks, target_rows, poverty, pack, outcome), outcome


def test_7_3_mean_of_percentiles_by_hand_and_the_tie_broken_by_monitoring():
    # 监测 percentiles (worse / 3): 甲 3/3, 乙 2/3, 丙 1/3, 丁 0; 脱贫 (95 > 90 > 85 > 80): 乙 1, 丙 2/3, 丁 1/3, 甲 0.
    # Means: 乙 5/6; 甲 1/2 and 丙 1/2 (甲 ahead on 监测 1 > 1/3); 丁 1/6.
    ranked, outcome = ranking()
    assert [(c.unit, c.score, c.place) for c in ranked] == [
        ("乙县", Fraction(5, 6), 1),
        ("甲县", Fraction(1, 2), 2),
        ("丙县", Fraction(1, 2), 3),
        ("丁县", Fraction(1, 6), 4),
    ]
    assert [(p.assessment, p.value, p.rank, p.count, p.percentile) for p in ranked[0].components] == [
        ("县域监测", "县(市)第2名", 2, 4, Fraction(2, 3)),
        ("脱贫攻坚", "得分95", 1, 4, Fraction(1)),
    ]
    assert any("目标责任考核表中没有县(市、区)" in w.message for w in outcome.warnings)


def test_7_3_all_three_components_when_counties_have_target_scores():
    scores = [AssessedUnit(u, Decimal(s)) for u, s in (("甲县", 90), ("乙县", 80), ("丙县", 70), ("丁县", 60))]
    ranked, _ = ranking(target_rows=scores)
    # 甲: (1 + 1 + 0) / 3 = 2/3; 乙: (2/3 + 2/3 + 1) / 3 = 7/9; 丙: (1/3 + 1/3 + 2/3) / 3 = 4/9; 丁: (0 + 0 + 1/3) / 3 = 1/9.
    assert [(c.unit, c.score) for c in ranked] == [
        ("乙县", Fraction(7, 9)),
        ("甲县", Fraction(2, 3)),
        ("丙县", Fraction(4, 9)),
        ("丁县", Fraction(1, 9)),
    ]


def test_7_3_county_without_a_component_averages_the_rest_or_is_left_out():
    ranks = RANKS + [AreaRank("戊县", "县", 5)]
    ranked, outcome = ranking(ranks=ranks)
    last = ranked[-1]
    assert (last.unit, last.score, len(last.components)) == ("戊县", Fraction(0), 1)  # 监测 worse 0 of 4 others
    assert any(w.message.startswith("戊县 没有脱贫攻坚结果") for w in outcome.warnings)
    strict = with_overrides(PACK, **{"promotion.county_head_missing": "exclude"})
    ranked, outcome = ranking(ranks=ranks, pack=strict)
    assert "戊县" not in [c.unit for c in ranked]


def heads(places, hold=None, cadres=None):
    ranked, _ = ranking()
    staff = (
        cadres
        if cadres is not None
        else [
            Cadre(f"{u[0]}{n}", u, role="主要负责人", position=p)
            for u in ("甲县", "乙县", "丙县", "丁县")
            for n, p in (("书记", "县委书记"), ("县长", "县长"))
        ]
    )
    outcome = promotion.PromotionOutcome()
    pack = with_overrides(PACK, **{"promotion.county_heads": places})
    promotion.county_heads(ranked, Staff(staff, pack), pack, hold or holds(), outcome)
    return outcome


def test_7_3_heads_fill_the_places_county_by_county():
    outcome = heads(4)
    assert [(h.place, h.unit, h.name) for h in outcome.county_heads] == [
        (1, "乙县", "乙书记"),
        (1, "乙县", "乙县长"),
        (2, "甲县", "甲书记"),
        (2, "甲县", "甲县长"),
    ]
    assert outcome.county_heads[0].basis.startswith("综合第1名,综合分83.33%")


def test_7_3_a_county_overflowing_the_last_place_stops():
    with pytest.raises(TieError) as caught:
        heads(5)
    assert "剩余1个名额" in caught.value.messages[0] and "丙县 丙书记、丙县 丙县长" in caught.value.messages[0]


def test_7_3_an_excluded_head_makes_room_and_is_listed_with_the_reason():
    trigger = Trigger("丙县长", "丙县", "县长", "主要负责人", 13, 1, "能上能下办法第十三条第(一)项", "特别重大事件")
    outcome = heads(5, hold=holds([trigger]))
    assert [h.name for h in outcome.county_heads][-1] == "丙书记"
    assert [(e.name, e.clause) for e in outcome.excluded] == [("丙县长", "鼓励激励办法第七条第(三)项")]
