"""容错纠错办法 第九条 exemptions and 能上能下办法 第十六条 impact periods, with hand-worked dates."""

from datetime import date
from decimal import Decimal

import pytest

from sanshi.errors import InputError
from sanshi.inputs.records import Adjustment, Cadre, ToleranceRecord
from sanshi.results import Trigger, UnitGrade
from sanshi.rules import bonus, tolerance
from sanshi.rules.impact import add_years, impact_periods
from sanshi.rules.params import load_pack, with_overrides

PACK = load_pack("shaanxi-2018")


def trigger(unit, name, article, item):
    return Trigger(name, unit, None, "主要负责人", article, item, "条款", "依据")


TRIGGERS = [
    trigger("甲县", "张三", 8, 2),
    trigger("甲县", "张三", 8, 3),
    trigger("甲县", "张三", 9, 1),
    trigger("甲县", "李四", 10, 1),
    trigger("乙县", "王五", 8, 3),
]


def exempt(*records):
    return tolerance.apply(TRIGGERS, tolerance.exemptions(list(records), PACK, "2023.xlsx"))


def marked(triggers):
    return [(t.unit, t.name, t.key, t.tolerance_ref) for t in triggers if t.tolerated]


def test_scope_民主测评_covers_8_2_and_8_3_of_that_person_but_not_9_1():
    result = exempt(ToleranceRecord("甲县", "容〔2023〕1号", name="张三", scope="民主测评"))
    assert marked(result) == [("甲县", "张三", "8(2)", "容〔2023〕1号"), ("甲县", "张三", "8(3)", "容〔2023〕1号")]


def test_scope_县域监测_covers_article_9_and_an_empty_scope_covers_the_whole_unit():
    assert marked(exempt(ToleranceRecord("甲县", "容2号", scope="县域监测"))) == [("甲县", "张三", "9(1)", "容2号")]
    everything = marked(exempt(ToleranceRecord("甲县", "容3号")))
    assert [m[2] for m in everything] == ["8(2)", "8(3)", "9(1)", "10(1)"]  # 乙县 untouched


def test_several_scopes_in_one_cell_and_unknown_scope_is_an_input_problem():
    assert [m[2] for m in marked(exempt(ToleranceRecord("甲县", "容4号", scope="县域监测、脱贫攻坚")))] == [
        "9(1)",
        "10(1)",
    ]
    with pytest.raises(InputError) as caught:
        tolerance.exemptions([ToleranceRecord("甲县", "容5号", scope="招商引资", cell="F3")], PACK, "2023.xlsx")
    assert str(caught.value.problems[0]).startswith("2023.xlsx › 容错认定 › F3: 范围「招商引资」不是可选值")


def test_a_record_matching_nothing_is_reported():
    found = tolerance.exemptions([ToleranceRecord("丙县", "容6号", scope="目标责任考核")], PACK, "2023.xlsx")
    (unused,) = tolerance.unused(found, TRIGGERS)
    assert unused.message == "容错认定 容6号(丙县,范围目标责任考核)没有对应的能下情形,请核对单位、姓名和范围"
    assert (unused.code, unused.units, unused.people) == ("tolerance.unused", ("丙县",), ())


def test_protected_unit_keeps_the_good_grade_bonus():
    amounts = with_overrides(
        PACK, **{"bonus.amount_by_grade": {"优秀": Decimal(12000), "良好": Decimal(10000), "一般": Decimal(8000)}}
    )
    grades = [UnitGrade("甲局", "", Decimal(80), 5, "一般", False, "c", "b")]
    cadres = [Cadre("张三", "甲局", grade="称职"), Cadre("李四", "甲局", grade="优秀")]
    plain = bonus.target_bonus(cadres, grades, amounts)
    assert [line.amount_yuan for line in plain] == [Decimal(8000), Decimal(8800)]
    found = tolerance.exemptions([ToleranceRecord("甲局", "容7号", scope="目标责任考核")], PACK, "2023.xlsx")
    kept = bonus.target_bonus(cadres, grades, amounts, tolerance.protected_units(found))
    assert [line.amount_yuan for line in kept] == [Decimal(10000), Decimal(11000)]
    assert "容错免责(容7号),奖金不因等次减少,按良好等次,每人10000元" in kept[0].basis
    person_only = tolerance.exemptions([ToleranceRecord("甲局", "容8号", name="张三")], PACK, "2023.xlsx")
    assert tolerance.protected_units(person_only) == {}


# ---- 能上能下办法 第十六条 ---------------------------------------------------------------------


def adjustment(name, method, decided, year=2023, cadre_id=None):
    return Adjustment(name, "甲局", method, decided, cadre_id, year)


def test_one_year_after_removal_two_after_demotion_counted_from_the_decision():
    periods, warnings = impact_periods(
        [
            adjustment("甲", "调离岗位", date(2023, 3, 15)),  # until 2024-03-14: listed
            adjustment("乙", "降职", date(2022, 3, 10), 2022),  # until 2024-03-09: listed
            adjustment("丙", "免职", date(2021, 6, 18), 2021),  # until 2022-06-17: over
            adjustment("丁", "改任非领导职务", date(2023, 1, 1)),  # until 2023-12-31: still inside on 31 December
            adjustment("戊", "免职", date(2022, 12, 31), 2022),  # until 2023-12-30: over
        ],
        2023,
        PACK,
    )
    assert [(p.name, p.until) for p in periods] == [
        ("丁", date(2023, 12, 31)),
        ("乙", date(2024, 3, 9)),
        ("甲", date(2024, 3, 14)),
    ]
    assert periods[2].basis == "2023年3月15日调离岗位,1年内不得提拔:影响期至2024年3月14日(2023年末仍在影响期内)"
    assert periods[2].clause == "能上能下办法第十六条"
    assert warnings == []


def test_the_same_record_in_two_years_counts_once_and_a_later_decision_is_reported():
    periods, warnings = impact_periods(
        [
            adjustment("甲", "降职", date(2022, 5, 1), 2022, "X1"),
            adjustment("甲", "降职", date(2022, 5, 1), 2023, "X1"),
            adjustment("乙", "免职", date(2024, 1, 5)),
        ],
        2023,
        PACK,
    )
    assert [(p.name, p.source) for p in periods] == [("甲", "2022年调整记录")]
    assert "决定日期2024年1月5日晚于2023年末" in warnings[0].message


def test_leap_day_plus_one_year():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert add_years(date(2023, 3, 15), 2) == date(2025, 3, 15)
