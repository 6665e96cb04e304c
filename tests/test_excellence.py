"""鼓励激励办法 第五条第(一)项、第(三)项: the 35% cut, ties, cadre quotas — hand-worked numbers."""

from decimal import Decimal
from fractions import Fraction

import pytest

from sanshi.errors import TieError
from sanshi.inputs.records import AssessedUnit
from sanshi.rules.arith import round_quota
from sanshi.rules.excellence import POVERTY, TARGET, cadre_quotas, competition_ranks, cut_excellent
from sanshi.rules.params import load_pack, with_overrides

PACK = load_pack("shaanxi-2018")


def units(*scores, group=""):
    return [AssessedUnit(f"单位{i + 1:02d}", Decimal(str(s)), group) for i, s in enumerate(scores)]


def excellent_names(outcome):
    return [g.unit for g in outcome.grades if g.excellent]


@pytest.mark.parametrize(
    "n, mode, expected",
    [
        (10, "floor", 3),  # 10 × 35% = 3.5
        (10, "half_up", 4),
        (10, "ceil", 4),
        (20, "floor", 7),  # 20 × 35% = 7.0 exactly: no rounding either way
        (20, "ceil", 7),
        (20, "half_up", 7),
        (180, "floor", 63),  # 180 × 35% = 63 exactly (a float would give 62.99999999999999)
        (12, "floor", 4),  # 4.2
        (12, "half_up", 4),
        (12, "ceil", 5),
        (1, "floor", 0),  # 0.35
    ],
)
def test_5_1_quota_rounding(n, mode, expected):
    assert round_quota(n * Fraction(35, 100), mode) == expected


def test_5_1_top_35_percent_of_ten_units_are_excellent():
    outcome = cut_excellent(units(99, 98, 97, 96, 95, 94, 93, 92, 91, 90), TARGET, PACK)
    assert excellent_names(outcome) == ["单位01", "单位02", "单位03"]  # floor(3.5) = 3
    grades = {g.unit: g.grade for g in outcome.grades}
    assert grades["单位04"] == "良好"
    cut = outcome.cuts[0]
    assert (cut.units, cut.quota, cut.eligible, cut.excellent, cut.cut_score) == (10, 3, 10, 3, Decimal("97"))
    assert "10×35%=3.5,向下取整为3" in outcome.grades[0].basis


def test_5_1_quota_counts_all_units_but_pool_excludes_preset_and_barred():
    rows = [
        AssessedUnit("甲", Decimal("99"), preset_grade="一般"),
        AssessedUnit("乙", Decimal("98"), no_excellent="发生一票否决事项"),
        AssessedUnit("丙", Decimal("97")),
        AssessedUnit("丁", Decimal("96")),
        AssessedUnit("戊", Decimal("95")),
        AssessedUnit("己", Decimal("94")),
    ]
    outcome = cut_excellent(rows, TARGET, PACK)
    # N = 6 -> quota floor(2.1) = 2, taken from the pool 丙, 丁, 戊, 己
    assert excellent_names(outcome) == ["丙", "丁"]
    grades = {g.unit: g.grade for g in outcome.grades}
    assert grades == {"甲": "一般", "乙": "良好", "丙": "优秀", "丁": "优秀", "戊": "良好", "己": "良好"}
    assert "不得评优(发生一票否决事项)" in next(g.basis for g in outcome.grades if g.unit == "乙")


def test_5_1_each_group_is_cut_separately():
    rows = units(90, 80, 70, group="设区市") + [
        AssessedUnit(f"部门{i}", Decimal(100 - i), "省级部门") for i in range(20)
    ]
    outcome = cut_excellent(rows, TARGET, PACK)
    quotas = {c.group: c.quota for c in outcome.cuts}
    assert quotas == {"设区市": 1, "省级部门": 7}  # floor(1.05) = 1, 20 × 35% = 7
    assert len(excellent_names(outcome)) == 8


def test_5_1_ranks_are_competition_ranks():
    assert competition_ranks([Decimal(95), Decimal(90), Decimal(90), Decimal(80)]) == [1, 2, 2, 4]


def test_5_1_tie_at_the_cut_stops_by_default_and_names_the_units():
    # 10 units, quota 3; the 3rd and 4th share 97.5
    rows = units(99, 98, 97.5, 97.5, 96, 95, 94, 93, 92, 91)
    with pytest.raises(TieError) as caught:
        cut_excellent(rows, TARGET, PACK)
    message = str(caught.value)
    assert "单位03、单位04" in message and "排序" in message and "--tie include" in message


def test_5_1_tie_include_admits_all_tied_and_warns_by_how_many():
    rows = units(99, 98, 97.5, 97.5, 96, 95, 94, 93, 92, 91)
    pack = with_overrides(PACK, **{"target.tie_policy": "include"})
    outcome = cut_excellent(rows, TARGET, pack)
    assert excellent_names(outcome) == ["单位01", "单位02", "单位03", "单位04"]
    assert any("超出名额1个" in w.message for w in outcome.warnings)


def test_5_1_tie_exclude_admits_none_of_the_tied():
    rows = units(99, 98, 97.5, 97.5, 96, 95, 94, 93, 92, 91)
    pack = with_overrides(PACK, **{"target.tie_policy": "exclude"})
    outcome = cut_excellent(rows, TARGET, pack)
    assert excellent_names(outcome) == ["单位01", "单位02"]
    assert any("少于名额1个" in w.message for w in outcome.warnings)


def test_5_1_tie_resolved_by_the_order_column():
    rows = units(99, 98, 96, 96, 96, 95, 94, 93, 92, 91)
    rows[2] = AssessedUnit("单位03", Decimal(96), order=3)
    rows[3] = AssessedUnit("单位04", Decimal(96), order=1)
    rows[4] = AssessedUnit("单位05", Decimal(96), order=2)
    outcome = cut_excellent(rows, TARGET, PACK)
    assert excellent_names(outcome) == ["单位01", "单位02", "单位04"]
    assert any("按排序列取前1个" in w.message for w in outcome.warnings)


def test_5_1_tie_with_incomplete_order_still_stops():
    rows = units(99, 98, 96, 96, 95, 94, 93, 92, 91, 90)
    rows[2] = AssessedUnit("单位03", Decimal(96), order=1)
    with pytest.raises(TieError):
        cut_excellent(rows, TARGET, PACK)


def test_5_1_tie_below_the_cut_is_no_tie():
    outcome = cut_excellent(units(99, 98, 97, 96, 96, 95, 94, 93, 92, 91), TARGET, PACK)
    assert excellent_names(outcome) == ["单位01", "单位02", "单位03"]


def test_5_3_poverty_non_excellent_get_no_invented_grade():
    outcome = cut_excellent(units(90, 80, 70, 60, 50, 40), POVERTY, PACK)
    assert excellent_names(outcome) == ["单位01", "单位02"]  # floor(6 × 35%) = floor(2.1) = 2
    assert {g.grade for g in outcome.grades if not g.excellent} == {None}
    assert outcome.grades[0].clause == "鼓励激励办法第五条第(三)项"


def test_5_1_cadre_quota_20_percent_for_excellent_units_15_otherwise():
    rows = [
        AssessedUnit("甲", Decimal(99), staff=37),
        AssessedUnit("乙", Decimal(90), staff=37),
        AssessedUnit("丙", Decimal(80)),
        AssessedUnit("丁", Decimal(70), staff=6),
    ]
    outcome = cut_excellent(rows, TARGET, PACK)  # quota floor(1.4) = 1: 甲
    quotas = {q.unit: (q.ratio, q.quota) for q in cadre_quotas(rows, outcome.grades, PACK)}
    # 37 × 20% = 7.4 -> 7; 37 × 15% = 5.55 -> 5; 6 × 15% = 0.9 -> 0; 丙 has no 考核人数
    assert quotas == {"甲": (Fraction(1, 5), 7), "乙": (Fraction(3, 20), 5), "丁": (Fraction(3, 20), 0)}
