"""鼓励激励办法 第六条第(一)项: bonus by unit grade, +10% for a cadre rated 优秀."""

from decimal import Decimal
from fractions import Fraction

from sanshi.inputs.records import Cadre
from sanshi.results import UnitGrade
from sanshi.rules.bonus import target_bonus
from sanshi.rules.params import load_pack, with_overrides

GRADES = [
    UnitGrade("甲厅", "", Decimal(95), 1, "优秀", True, "c", "b"),
    UnitGrade("乙厅", "", Decimal(90), 2, "良好", False, "c", "b"),
    UnitGrade("丙厅", "", Decimal(60), 3, "较差", False, "c", "b"),
]
CADRES = [
    Cadre("张三", "甲厅", grade="优秀"),
    Cadre("李四", "甲厅", grade="称职"),
    Cadre("王五", "乙厅", grade="优秀"),
    Cadre("赵六", "丙厅", grade="称职"),
    Cadre("钱七", "某县", grade="优秀"),
]


def test_6_1_without_amounts_only_coefficients():
    lines = target_bonus(CADRES, GRADES, load_pack("shaanxi-2018"))
    assert [(line.name, line.coefficient, line.amount_yuan) for line in lines] == [
        ("张三", Fraction(11, 10), None),
        ("李四", Fraction(1), None),
        ("王五", Fraction(11, 10), None),
        ("赵六", Fraction(1), None),
    ]  # 钱七's unit is not assessed here
    assert "只给出系数" in lines[0].basis


def test_6_1_with_amounts_excellent_cadre_gets_ten_percent_more_and_poor_units_nothing():
    pack = with_overrides(
        load_pack("shaanxi-2018"),
        **{"bonus.amount_by_grade": {"优秀": Decimal(12000), "良好": Decimal(10000), "一般": Decimal(8000)}},
    )
    lines = {line.name: line for line in target_bonus(CADRES, GRADES, pack)}
    assert lines["张三"].amount_yuan == 13200  # 12000 × 1.1
    assert lines["张三"].basis == "单位等次优秀,每人12000元;本人年度考核优秀,提高10%:12000×1.1=13200元"
    assert lines["李四"].amount_yuan == 12000
    assert lines["王五"].amount_yuan == 11000  # 10000 × 1.1
    assert lines["赵六"].amount_yuan == 0 and "不发放" in lines["赵六"].basis
