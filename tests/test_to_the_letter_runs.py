"""能上能下办法 第八条第(一)(三)项 runs of years and 容错纠错办法 第九条 免责/减责, through the real CLI.

a worse grade in the earlier year continues "连续两年一般/基本称职"; a 容错 decision
is 免责 (exempt) or 减责 (an ordinary row marked 减责); an earlier year's 免责 breaks the run.
"""

import json

import openpyxl
from typer.testing import CliRunner

from sanshi.cli import app

runner = CliRunner()

# Ten units so that the 35% cut (3 优秀) is settled; 甲市 is preset 一般.
TARGET_HEAD = ["单位", "类别", "综合得分", "等次", "上年等次"]
OTHERS = [
    [f"{c}市", "设区市", s, None, None] for c, s in zip("乙丙丁戊己庚辛壬癸", (98, 97, 96, 95, 94, 93, 92, 91, 90))
]
CADRE_HEAD = ["干部编号", "姓名", "单位", "职务", "岗位类别", "年度考核等次", "上年考核等次"]


def target(grade="一般", last=None):
    return [TARGET_HEAD, ["甲市", "设区市", 80, grade, last], *OTHERS]


def cadres(grade="称职", last=None):
    return [
        CADRE_HEAD,
        ["A1", "张三", "甲市", "市委书记", "主要负责人", grade, last],
        ["A2", "李四", "甲市", "副市长", "分管领导", "称职", "称职"],
    ]


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def demotions(path, *extra):
    result = invoke("demotions", path, "--json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def rows(document, key, list_name="candidates"):
    return [(t["name"], t["unit"], t["basis"]) for t in document[list_name] if f"{t['article']}({t['item']})" == key]


def local_pack(tmp_path, body):
    path = tmp_path / "local.toml"
    path.write_text('[pack]\nname = "本地"\nbase = "shaanxi-2018"\n\n' + body, encoding="utf-8")
    return path


# ---- 第八条第(一)项、第(三)项:更差的等次不打断连续 -------------------------------------------------


def test_8_1_poor_last_year_then_ordinary_continues_the_run(book, tmp_path):
    path = book({"目标责任考核": target("一般", last="较差"), "干部": cadres()})
    [(name, unit, basis)] = rows(demotions(path), "8(1)")
    assert (name, unit) == ("张三", "甲市")
    assert basis.startswith("2022年较差(取自「上年等次」列);2023年目标责任考核等次一般;")
    assert "连续2年一般或更差(较差劣于一般,按连续计算,依据规则包 demotion.worse_grade_in_run" in basis


def test_8_1_a_better_grade_last_year_or_the_break_setting_does_not_fire(book, tmp_path):
    good = book({"目标责任考核": target("一般", last="良好"), "干部": cadres()}, name="2023.xlsx")
    assert rows(demotions(good), "8(1)") == [] and rows(demotions(good), "8(1)", "undetermined") == []
    strict = local_pack(tmp_path, '[demotion.worse_grade_in_run]\nvalue = "break"\nclause = "本地细则"\n')
    worse = book({"目标责任考核": target("一般", last="较差"), "干部": cadres()}, name="2023b.xlsx")
    assert rows(demotions(worse, "--rules", strict, "--year", 2023), "8(1)") == []


def test_8_3_incompetent_last_year_then_basic_continues_the_run(book):
    path = book({"干部": cadres("基本称职", last="不称职")})
    [(name, _, basis)] = rows(demotions(path), "8(3)")
    assert name == "张三"
    assert basis.startswith("2022年不称职(取自「上年考核等次」列);2023年年度考核等次基本称职;")
    assert "连续2年基本称职或更差(不称职劣于基本称职" in basis
    same = book({"干部": cadres("基本称职", last="称职")}, name="2023c.xlsx")
    assert rows(demotions(same, "--year", 2023), "8(3)") == []


# ---- 容错纠错办法第九条:免责或减责 -----------------------------------------------------------------


def test_tolerance_reduced_keeps_the_trigger_marked_with_its_ref(book, tmp_path):
    tolerance = [["单位", "文号", "姓名", "范围", "结论"], ["甲市", "容〔2023〕1号", None, "目标责任考核", "减责"]]
    path = book({"目标责任考核": target("较差"), "干部": cadres(), "容错认定": tolerance})
    document = demotions(path)
    heads = [t for t in document["candidates"] if t["article"] == 8 and t["item"] == 1]
    assert [(t["name"], t["tolerated"], t["reduced"], t["tolerance_ref"]) for t in heads] == [
        ("张三", False, True, "容〔2023〕1号")
    ]
    out = tmp_path / "out"
    assert invoke("demotions", path, "--out", out).exit_code == 0
    sheet = openpyxl.load_workbook(out / "2023年度能下触发名单.xlsx")["能下触发名单"]
    assert sheet["A2"].value == "张三" and sheet["G2"].value == "容错减责(容〔2023〕1号)"


def test_tolerance_exempt_when_blank_or_免责_and_only_免责_keeps_the_bonus(book, tmp_path):
    pack = local_pack(
        tmp_path,
        '[bonus.amount_by_grade]\nvalue = { "优秀" = 12000, "良好" = 10000, "一般" = 8000 }\nclause = "本地细则"\n',
    )
    for outcome, tolerated, bonus in ((None, True, 10000), ("免责", True, 10000), ("减责", False, 8000)):
        tolerance = [["单位", "文号", "范围", "结论"], ["甲市", "容2号", "目标责任考核", outcome]]
        path = book({"目标责任考核": target("一般"), "干部": cadres(), "容错认定": tolerance})
        document = demotions(path, "--rules", pack)
        # 一般 this year with no last year: 8(1) is 未能判定, marked as the decision says
        assert [(t["name"], t["tolerated"], t["reduced"]) for t in document["undetermined"] if t["item"] == 1] == [
            ("张三", tolerated, not tolerated)
        ]
        awards = invoke("awards", path, "--json", "--rules", pack)
        assert awards.exit_code == 0, awards.stderr
        lines = {b["name"]: b["amount_yuan"] for b in json.loads(awards.stdout)["bonus"]}
        assert lines == {"张三": bonus, "李四": bonus}, outcome


def test_tolerance_unknown_conclusion_names_the_cell(book):
    tolerance = [["单位", "文号", "结论"], ["甲市", "容3号", "从轻"]]
    result = invoke("demotions", book({"干部": cadres(), "容错认定": tolerance}))
    assert result.exit_code == 2
    assert "2023.xlsx › 容错认定 › C2" in result.stderr and "免责" in result.stderr


# ---- 容错纠错办法第九条:以前年度的免责不计入连续两年 ------------------------------------------------


def history(book, tmp_path, sheets):
    db = tmp_path / "history.db"
    result = invoke("history", "import", book(sheets, name="2022.xlsx"), "--db", db)
    assert result.exit_code == 0, result.stderr
    return db


def test_8_1_an_exempted_earlier_year_breaks_the_run_and_says_which_decision(book, tmp_path):
    exempt = [["单位", "文号", "范围"], ["甲市", "秦组容〔2022〕4号", "目标责任考核"]]
    db = history(book, tmp_path, {"目标责任考核": target("一般"), "容错认定": exempt})
    path = book({"目标责任考核": target("一般"), "干部": cadres()})
    document = demotions(path, "--db", db)
    assert rows(document, "8(1)") == [] and rows(document, "8(1)", "undetermined") == []
    assert (
        "甲市2023年目标责任考核等次一般,但2022年经容错认定免责(秦组容〔2022〕4号),该年不计入连续2年,"
        "未触发能上能下办法第八条第(一)项"
    ) in document["warnings"]


def test_8_1_an_earlier_year_without_免责_still_counts(book, tmp_path):
    reduced = [["单位", "文号", "范围", "结论"], ["甲市", "秦组容〔2022〕4号", "目标责任考核", "减责"]]
    db = history(book, tmp_path, {"目标责任考核": target("一般"), "容错认定": reduced})
    path = book({"目标责任考核": target("一般"), "干部": cadres()})
    [(name, _, basis)] = rows(demotions(path, "--db", db), "8(1)")
    assert name == "张三" and basis.startswith("2022年一般(取自历史库2022年);2023年目标责任考核等次一般")


def test_8_3_a_person_exempted_last_year_is_not_basic_two_years_running(book, tmp_path):
    exempt = [["单位", "文号", "姓名", "范围"], ["甲市", "秦组容〔2022〕9号", "张三", "年度考核"]]
    db = history(book, tmp_path, {"干部": cadres("基本称职"), "容错认定": exempt})
    path = book({"干部": cadres("基本称职")})
    document = demotions(path, "--db", db)
    assert rows(document, "8(3)") == []
    assert any(
        "张三(甲市)2023年年度考核等次基本称职,但2022年经容错认定免责(秦组容〔2022〕9号)" in w
        for w in document["warnings"]
    )
    other = [["单位", "文号", "姓名", "范围"], ["甲市", "秦组容〔2022〕9号", "李四", "年度考核"]]
    db2 = tmp_path / "other.db"
    assert (
        invoke(
            "history", "import", book({"干部": cadres("基本称职"), "容错认定": other}, name="2022.xlsx"), "--db", db2
        ).exit_code
        == 0
    )
    assert [r[0] for r in rows(demotions(path, "--db", db2), "8(3)")] == ["张三"]


# ---- 鼓励激励办法第五条第(三)项:有第十条情形的单位不评为脱贫攻坚优秀单位 --------------------------------

POVERTY_HEAD = ["单位", "综合得分", "完成年度计划", "通报批评", "批评机关", "问题严重", "数字脱贫"]


def poverty(**facts):
    """Ten counties 99..90 points (quota 10 × 35% = 3); `facts` sets columns of 1号县, e.g. 数字脱贫."""
    rows = [[f"{i}号县", 100 - i, "是", None, None, None, None] for i in range(1, 11)]
    for header, value in facts.items():
        rows[0][POVERTY_HEAD.index(header)] = value
    return [POVERTY_HEAD, *rows]


def awards(path, *extra):
    result = invoke("awards", path, "--json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def poverty_excellent(document):
    return [a["unit"] for a in document["awards"] if a["award"].startswith("脱贫攻坚")]


def test_5_3_a_fraud_unit_is_not_excellent_and_the_next_one_is(book):
    path = book({"脱贫攻坚": poverty(数字脱贫="虚报脱贫人口126人")})
    document = awards(path)
    assert poverty_excellent(document) == ["2号县", "3号县", "4号县"]
    [first] = [u for u in document["poverty_units"] if u["unit"] == "1号县"]
    assert first["excellent"] is False
    assert "不得评优(能上能下办法第十条第(四)项情形:2023年弄虚作假、搞“数字脱贫”:虚报脱贫人口126人)" in first["basis"]
    assert document["total_amount_wan"] == 300
    # the same unit is still on the 能下 list: the two lists agree
    assert {t["unit"] for t in demotions(path)["candidates"] if t["article"] == 10} == {"1号县"}


def test_5_3_an_unfinished_plan_bars_but_a_finished_one_does_not(book):
    barred = book({"脱贫攻坚": poverty(完成年度计划="否")})
    assert poverty_excellent(awards(barred)) == ["2号县", "3号县", "4号县"]
    clean = book({"脱贫攻坚": poverty()}, name="2023b.xlsx")
    assert poverty_excellent(awards(clean, "--year", 2023)) == ["1号县", "2号县", "3号县"]


def test_5_3_a_case_exempted_by_容错_does_not_bar(book):
    tolerance = [["单位", "文号", "范围"], ["1号县", "容9号", "脱贫攻坚"]]
    path = book({"脱贫攻坚": poverty(数字脱贫="虚报脱贫人口126人"), "容错认定": tolerance})
    document = awards(path)
    assert poverty_excellent(document) == ["1号县", "2号县", "3号县"]
    assert any("1号县的能上能下办法第十条第(四)项情形经容错认定免责(容9号)" in w for w in document["warnings"])


def test_13_2_an_exempted_earlier_year_of_重点整顿_breaks_the_run(book, tmp_path):
    finding = [["单位", "领域", "等级", "日期", "层级"], ["甲县", "综治重点整顿", "重点整顿单位", "2022-02-17", "县"]]
    exempt = [["单位", "文号", "范围"], ["甲县", "容〔2022〕8号", "综治维稳"]]
    db = history(book, tmp_path, {"责任认定": finding, "容错认定": exempt})
    now = [["单位", "领域", "等级", "日期", "层级"], ["甲县", "综治重点整顿", "重点整顿单位", "2023-02-14", "县"]]
    document = demotions(book({"责任认定": now}), "--db", db)
    assert rows(document, "13(2)") == [] and rows(document, "13(2)", "undetermined") == []
    assert any(
        w.startswith("甲县2023年被确定为社会治安综合治理重点整顿单位,但2022年经容错认定免责(容〔2022〕8号)")
        for w in document["warnings"]
    )
    plain = tmp_path / "plain.db"
    assert invoke("history", "import", book({"责任认定": finding}, name="2022.xlsx"), "--db", plain).exit_code == 0
    assert [r[1] for r in rows(demotions(book({"责任认定": now}), "--db", plain), "13(2)")] == ["甲县"]
