"""Which year and which rules a run uses, and that citations come from the pack (D17)."""

import json

from typer.testing import CliRunner

from sanshi.cli import app

runner = CliRunner()
TARGET = [["单位", "综合得分", "等次"]] + [[f"{c}市", 100 - i, None] for i, c in enumerate("甲乙丙丁戊己庚辛壬癸")]


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_a_year_before_every_pack_needs_rules_named(book):
    path = book({"目标责任考核": TARGET}, name="旧档案.xlsx")
    refused = invoke("awards", path, "--json", "--year", 2010)
    assert refused.exit_code == 2
    assert "考核年度 2010 早于内置规则包最早的施行日期(shaanxi-2016,2016-06-15施行)" in refused.stderr
    assert "--rules" in refused.stderr and "Traceback" not in refused.stderr
    named = invoke("awards", path, "--json", "--year", 2010, "--rules", "shaanxi-2016")
    assert named.exit_code == 0, named.stderr
    assert json.loads(named.stdout)["rules"] == "shaanxi-2016"
    assert "规则包 shaanxi-2016 自2016年6月15日施行,晚于2010年度" in named.stderr


def test_year_option_contradicting_the_file_name_stops(book):
    result = invoke("awards", book({"目标责任考核": TARGET}), "--year", 2022)
    assert result.exit_code == 2
    assert "--year 2022 与文件名 2023.xlsx 中的年度 2023 不一致" in result.stderr


def test_year_option_for_a_name_without_a_year_is_taken_and_said(book):
    result = invoke("awards", book({"目标责任考核": TARGET}, name="年终考核.xlsx"), "--year", 2023, "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["year"] == 2023 and document["rules"] == "shaanxi-2018"
    assert "考核年度按 --year 取为2023年(文件名 年终考核.xlsx 中没有年度)" in document["warnings"]


def test_2016_citations_come_from_its_pack_and_do_not_claim_2018_numbering(book):
    rows = [row[:] for row in TARGET]
    rows[10][2] = "较差"  # 癸市 较差: 8(1) under either pack
    cadres = [["姓名", "单位", "岗位类别"], ["张三", "癸市", "主要负责人"]]
    now = invoke("demotions", book({"目标责任考核": rows, "干部": cadres}), "--json")
    [case] = json.loads(now.stdout)["candidates"]
    assert case["clause"] == "能上能下办法第八条第(一)项"
    old = invoke("demotions", book({"目标责任考核": rows, "干部": cadres}, name="2017.xlsx"), "--json")
    document = json.loads(old.stdout)
    [case] = document["candidates"]
    assert document["rules"] == "shaanxi-2016"
    assert case["clause"].startswith("能上能下办法(2016年版")
    assert "条款编号待核" in case["clause"] and "对应2018年版第八条第(一)项" in case["clause"]


# ---- 不计算的条款:说出来 ------------------------------------------------------------------------


def test_rules_show_lists_the_clauses_left_to_human_judgement():
    result = invoke("rules", "show")
    assert result.exit_code == 0
    text = result.stdout.replace("\n", "")
    assert "需要人工判断、本工具不计算的条款(规则包 uncomputed.clauses):" in text
    assert "· 能上能下办法第七条:依据领导班子研判结果进行调整" in text
    assert "· 容错纠错办法第六条至第八条:容错情形的认定和程序(申请、调查核实、认定结论" in text


def test_explain_and_the_report_list_them_and_a_local_pack_adds_its_own(book, tmp_path):
    pack = tmp_path / "local.toml"
    pack.write_text(
        '[pack]\nname = "本地"\nbase = "shaanxi-2018"\n\n[uncomputed.clauses]\nvalue = [\n'
        '  { clause = "本市细则第五条", what = "群众满意度测评", why = "由第三方另行测评" },\n]\n'
        'clause = "本市细则"\n',
        encoding="utf-8",
    )
    path = book({"目标责任考核": TARGET})
    explained = invoke("explain", path, "甲市", "--json")
    assert explained.exit_code == 0, explained.stderr
    assert [m["clause"] for m in json.loads(explained.stdout)["uncomputed"]] == [
        "能上能下办法第七条",
        "能上能下办法第四条、第十五条",
        "容错纠错办法第六条至第八条",
    ]
    local = invoke("explain", path, "甲市", "--rules", pack)
    assert "· 本市细则第五条:群众满意度测评。由第三方另行测评" in local.stdout
    report = invoke("report", path, "--out", tmp_path / "r")
    assert report.exit_code == 0, report.stderr
    [html] = (tmp_path / "r").glob("*.html")
    text = html.read_text(encoding="utf-8")
    assert '<section id="uncomputed">' in text and "能上能下办法第七条\uff1a依据领导班子研判结果进行调整" in text
    assert "本工具" not in text[text.index('<section id="uncomputed">') :]  # the report speaks to officials


def test_a_year_from_the_file_name_before_every_pack_needs_rules_named_and_2016_has_its_pack(book):
    refused = invoke("awards", book({"目标责任考核": TARGET}, name="2015.xlsx"), "--json")
    assert refused.exit_code == 2
    assert "考核年度 2015 早于内置规则包最早的施行日期(shaanxi-2016,2016-06-15施行)" in refused.stderr
    taken = invoke("awards", book({"目标责任考核": TARGET}, name="2016.xlsx"), "--json")
    assert taken.exit_code == 0, taken.stderr
    assert json.loads(taken.stdout)["rules"] == "shaanxi-2016"  # in force from 2016-06-15, before 31 December


def test_check_and_history_import_hold_the_year_option_to_the_file_name(book, tmp_path):
    path = book({"目标责任考核": TARGET})
    for command in (
        ("check", path, "--year", 2022),
        ("history", "import", path, "--year", 2022, "--db", tmp_path / "h.db"),
    ):
        result = invoke(*command)
        assert result.exit_code == 2, command
        assert "--year 2022 与文件名 2023.xlsx 中的年度 2023 不一致" in result.stderr
    assert not (tmp_path / "h.db").exists()
    assert invoke("check", book({"目标责任考核": TARGET}, name="旧档案.xlsx"), "--year", 1850).exit_code == 2


def test_history_import_says_the_year_came_from_the_year_option(book, tmp_path):
    db = tmp_path / "h.db"
    named = invoke(
        "history", "import", book({"目标责任考核": TARGET}, name="年终考核.xlsx"), "--year", 2022, "--db", db
    )
    assert named.exit_code == 0, named.stderr
    assert "2022年:已导入" in named.stdout
    assert "提示:考核年度按 --year 取为2022年(文件名 年终考核.xlsx 中没有年度)" in named.stderr
    plain = invoke("history", "import", book({"目标责任考核": TARGET}, name="2021.xlsx"), "--db", db)
    assert plain.exit_code == 0 and "--year" not in plain.stderr


def test_a_local_pack_adds_uncomputed_clauses_and_never_drops_the_base_ones(book, tmp_path):
    pack = tmp_path / "local.toml"
    pack.write_text(
        '[pack]\nname = "本地"\nbase = "shaanxi-2018"\n\n[uncomputed.clauses]\nvalue = [\n'
        '  { clause = "本市细则第五条", what = "群众满意度测评", why = "由第三方另行测评" },\n'
        '  { clause = "能上能下办法第七条", what = "领导班子研判", why = "由市委组织部研判" },\n]\n'
        'clause = "本市细则"\n',
        encoding="utf-8",
    )
    explained = invoke("explain", book({"目标责任考核": TARGET}), "甲市", "--json", "--rules", pack)
    assert explained.exit_code == 0, explained.stderr
    listed = [(m["clause"], m["what"]) for m in json.loads(explained.stdout)["uncomputed"]]
    assert [clause for clause, _ in listed] == [
        "能上能下办法第七条",
        "能上能下办法第四条、第十五条",
        "容错纠错办法第六条至第八条",
        "本市细则第五条",
    ]
    assert listed[0] == ("能上能下办法第七条", "领导班子研判")  # the local wording of a clause the base lists
    shown = json.loads(invoke("rules", "show", "--json", "--rules", pack).stdout)
    [param] = [p for p in shown["params"] if p["key"] == "uncomputed.clauses"]
    assert param["clause"] == "能上能下办法第四条、第七条、第十五条;容错纠错办法第六条至第八条;本市细则"


def test_rules_show_json_lists_the_uncomputed_clauses_with_why():
    document = json.loads(invoke("rules", "show", "--json").stdout)
    [seventh] = [m for m in document["uncomputed"] if m["clause"] == "能上能下办法第七条"]
    assert seventh["what"].startswith("依据领导班子研判结果进行调整") and "研判" in seventh["why"]
