"""鼓励激励办法 第六条第(一)项: the text raises the bonus of a cadre whose own grade is 优秀 and is silent on
基本称职 and 不称职. The pack's bonus.grade_factors decides (default full), and each bonus paid to a 不称职
cadre is said. Through the real CLI, with amounts worked by hand."""

import json

from typer.testing import CliRunner

from sanshi.cli import app

runner = CliRunner()
# 10 units, 35% of 10 = 3.5, floor: 甲乙丙 优秀, the rest 良好 (target.default_grade); 癸市 is 良好.
TARGET = [["单位", "综合得分"]] + [[f"{c}市", 100 - i] for i, c in enumerate("甲乙丙丁戊己庚辛壬癸")]
CADRES = [
    ["姓名", "单位", "年度考核等次"],
    ["张三", "癸市", "不称职"],
    ["王五", "癸市", "基本称职"],
    ["李四", "癸市", "称职"],
]
AMOUNTS = '[bonus.amount_by_grade]\nvalue = { "优秀" = 12000, "良好" = 10000, "一般" = 8000 }\nclause = "本地"\n\n'
FACTORS = (
    '[bonus.grade_factors]\nvalue = {{ "基本称职" = "{basic}", "不称职" = "{incompetent}" }}\nclause = "本地细则"\n'
)


def run(book, tmp_path, body, code=0):
    pack = tmp_path / "local.toml"
    pack.write_text('[pack]\nname = "本地"\nbase = "shaanxi-2018"\n\n' + body, encoding="utf-8")
    result = runner.invoke(
        app, ["awards", str(book({"目标责任考核": TARGET, "干部": CADRES})), "--json", "--rules", str(pack)]
    )
    assert result.exit_code == code, result.stderr
    return json.loads(result.stdout) if code == 0 else result.stderr


def amounts(document):
    return {b["name"]: b["amount_yuan"] for b in document["bonus"]}


def incompetent_warnings(document):
    return [w for w in document["warnings"] if "年度考核不称职" in w]


def test_6_1_default_grade_factors_pay_in_full_and_say_the_incompetent_cadres_bonus(book, tmp_path):
    document = run(book, tmp_path, AMOUNTS)
    assert amounts(document) == {"张三": 10000, "王五": 10000, "李四": 10000}  # 良好 10000 × 100%
    assert incompetent_warnings(document) == [
        "张三(癸市)年度考核不称职,目标责任考核奖金按规则包 bonus.grade_factors 系数100%发放;"
        "办法对此未作规定,请按本地细则核定"
    ]  # 王五 (基本称职) and 李四 (称职): no warning


def test_6_1_grade_factors_for_basic_competence_are_in_the_basis_and_not_warned(book, tmp_path):
    document = run(book, tmp_path, AMOUNTS + FACTORS.format(basic="80%", incompetent="50%"))
    assert amounts(document) == {"张三": 5000, "王五": 8000, "李四": 10000}  # 10000 × 50%, × 80%, × 1
    [line] = [b for b in document["bonus"] if b["name"] == "王五"]
    assert "本人年度考核基本称职,系数0.8(规则包 bonus.grade_factors):10000×0.8=8000元" in line["basis"]
    assert line["clause"] == "本地;本地细则"
    assert [w[:12] for w in incompetent_warnings(document)] == ["张三(癸市)年度考核不称"]


def test_6_1_no_warning_when_nothing_is_paid_to_the_incompetent_cadre(book, tmp_path):
    nothing = run(book, tmp_path, AMOUNTS + FACTORS.format(basic="100%", incompetent="0%"))
    assert amounts(nothing)["张三"] == 0 and incompetent_warnings(nothing) == []
    # 良好 has no amount in this pack: 癸市 pays no bonus, so there is no payment to a 不称职 cadre to warn of.
    no_amount = run(book, tmp_path, '[bonus.amount_by_grade]\nvalue = { "优秀" = 12000 }\nclause = "本地"\n')
    assert amounts(no_amount) == {"张三": 0, "王五": 0, "李四": 0} and incompetent_warnings(no_amount) == []


def test_6_1_a_grade_factor_that_is_no_finite_decimal_is_refused(book, tmp_path):
    stderr = run(book, tmp_path, AMOUNTS + FACTORS.format(basic="2/3", incompetent="100%"), code=2)
    assert "[bonus.grade_factors] value: 基本称职 的系数 '2/3' 不是有限小数,奖金(元)无法精确计算" in stderr
