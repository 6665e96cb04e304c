"""鼓励激励办法 第五条第(二)项、第六条第(二)项 (县域监测) and 第六条第(一)项 (奖金): money never rests on a guess,
and where the 2018 text is silent the pack decides and the run says so. Through the real CLI."""

import json

import openpyxl
from typer.testing import CliRunner

from sanshi.cli import app

runner = CliRunner()
HEAD = ["县区", "类型", "名次", "上年名次", "曾进入", "不得评优"]


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def ranking(n=12, last=None, ever="是", barred=None, area="县(市)", prefix="号县"):
    """n units ranked 1..n; 上年名次 from `last` (unit index -> rank) else the same place; 曾进入 for all."""
    rows = [HEAD]
    for i in range(1, n + 1):
        rows.append([f"{i}{prefix}", area, i, (last or {}).get(i, i), ever, (barred or {}).get(i)])
    return rows


def awards(path, *extra, code=0):
    result = invoke("awards", path, "--json", *extra)
    assert result.exit_code == code, result.stderr
    return json.loads(result.stdout) if code == 0 else result.stderr


def paid(document, award="十强县"):
    return {a["unit"]: a["amount_wan"] for a in document["awards"] if a["award"] == award}


def local_pack(tmp_path, body):
    path = tmp_path / "local.toml"
    path.write_text('[pack]\nname = "本地"\nbase = "shaanxi-2018"\n\n' + body, encoding="utf-8")
    return path


# ---- 不得评优(一票否决) -----------------------------------------------------------------------


def test_5_2_a_barred_county_gets_no_title_and_its_place_stays_vacant(book):
    path = book({"县域监测": ranking(barred={1: "发生安全生产一票否决事项"})})
    document = awards(path)
    # 2..10号县 hold their places: 50 each; the 第一名 money and the tenth place are not paid
    assert paid(document) == {f"{i}号县": 50 for i in range(2, 11)}
    assert document["total_amount_wan"] == 450
    assert any(
        w.startswith("1号县 不得评优(发生安全生产一票否决事项):不授予十强县,不予奖励,名额空缺")
        for w in document["warnings"]
    )


def test_5_2_with_barred_vacancy_next_the_eleventh_county_enters(book, tmp_path):
    pack = local_pack(tmp_path, '[county.barred_vacancy]\nvalue = "next"\nclause = "本地细则"\n')
    path = book({"县域监测": ranking(barred={3: "一票否决"})})
    document = awards(path, "--rules", pack)
    assert "3号县" not in paid(document) and paid(document)["11号县"] == 50  # 11 -> 11: 持平
    assert len(paid(document)) == 10
    [eleventh] = [a for a in document["awards"] if a["unit"] == "11号县" and a["award"] == "十强县"]
    assert eleventh["basis"] == "名次 11→11(第10名以内有不得评优的单位,递补),名次持平:50万元"


def test_5_2_an_unbarred_ranking_pays_as_before(book):
    assert paid(awards(book({"县域监测": ranking()}))) == {"1号县": 100, **{f"{i}号县": 50 for i in range(2, 11)}}


# ---- 首次进入:没有以前年度就不判定 --------------------------------------------------------------


def test_6_2_first_entry_without_any_earlier_year_is_pending_not_paid(book):
    rows = ranking(last={5: 15, 15: 5}, ever=None, n=15)  # 5号县 rose from 15th: entered? nobody knows
    document = awards(book({"县域监测": rows}))
    assert "5号县" not in paid(document)
    assert document["pending_count"] == 1
    [pending] = document["undetermined"]
    assert (pending["unit"], pending["award"]) == ("5号县", "十强县")
    assert set(pending) == {"unit", "award", "clause", "missing"}
    assert pending["clause"] == "鼓励激励办法第五条第(二)项;鼓励激励办法第六条第(二)项"
    assert "是否首次进入十强县无从判断" in pending["missing"] and "「曾进入」" in pending["missing"]
    # 1号县 100 + 2,3,4,6..10号县 50 each + 5号县's 争先进位奖一等奖 80 (进10位, decided) = 580; the pending
    # 十强县 amount of 5号县 is not in the total
    assert document["total_amount_wan"] == 580


def test_6_2_first_entry_is_decided_by_曾进入_否_and_the_total_says_what_is_pending(book, tmp_path):
    rows = ranking(last={5: 15, 15: 5}, ever=None, n=15)
    rows[5][4] = "否"
    assert paid(awards(book({"县域监测": rows})))["5号县"] == 100
    rows[5][4] = None
    text = invoke("awards", book({"县域监测": rows}, name="2023b.xlsx"), "--year", 2023, "--out", tmp_path / "o")
    assert text.exit_code == 0, text.stderr
    assert "以前年度县域监测:无(未找到历史库" in text.stdout
    assert "另有 1 项待定(未能判定,未计入合计)" in text.stdout
    workbook = openpyxl.load_workbook(tmp_path / "o" / "2023年度考核奖励结果.xlsx")
    sheet = workbook["未能判定"]
    assert [sheet["A2"].value, sheet["B2"].value] == ["5号县", "十强县"]
    # both totals say what they leave out: 1号县 100 + nine times 50 less 5号县's pending + 争先进位奖
    county, summary = workbook["县域奖励"], workbook["奖金汇总"]
    note = "另有 1 项待定(未能判定,未计入合计):见「未能判定」表"
    assert [c.value for c in county[county.max_row]][:1] + [c.value for c in county[county.max_row]][3:] == [
        "合计",
        580,
        None,
        note,
    ]
    assert [c.value for c in summary[summary.max_row]] == ["合计", note, 580]


# ---- 改名的单位:停下,指出两个名称 ----------------------------------------------------------------


def renamed_history(book, tmp_path):
    """2016: 神木县 1st; 2017: 神木市 2nd (the 2017 rename), 府谷县 1st."""
    db = tmp_path / "h.db"
    old = [["县区", "类型", "名次"], ["神木县", "县(市)", 1], ["府谷县", "县(市)", 2]] + [
        [f"{i}号县", "县(市)", i] for i in range(3, 13)
    ]
    assert invoke("history", "import", book({"县域监测": old}, name="2016.xlsx"), "--db", db).exit_code == 0
    return db


def test_6_2_a_renamed_county_stops_the_run_naming_both_names(book, tmp_path):
    db = renamed_history(book, tmp_path)
    now = [["县区", "类型", "名次"], ["府谷县", "县(市)", 1], ["神木市", "县(市)", 2]] + [
        [f"{i}号县", "县(市)", i] for i in range(3, 13)
    ]
    stderr = awards(book({"县域监测": now}, name="2017.xlsx"), "--db", db, code=2)
    assert "神木市 不在历史库2016年县域监测表中,而2016年的 神木县 今年不在" in stderr
    assert "单位名称对照" in stderr and "首次进入" in stderr


def test_6_2_the_rename_written_in_单位名称对照_pays_by_last_year(book, tmp_path):
    db = renamed_history(book, tmp_path)
    now = [["县区", "类型", "名次"], ["府谷县", "县(市)", 1], ["神木市", "县(市)", 2]] + [
        [f"{i}号县", "县(市)", i] for i in range(3, 13)
    ]
    names = [["别名", "规范名称"], ["神木县", "神木市"]]
    document = awards(book({"县域监测": now, "单位名称对照": names}, name="2017.xlsx"), "--db", db)
    assert paid(document)["神木市"] == 40  # 1 -> 2: 50 - 10, not 100 as 首次进入


# ---- 办法未规定、做法不一之处:规则包参数 --------------------------------------------------------------


def test_6_2_amount_cap_caps_and_without_it_an_amount_above_the_first_is_said(book, tmp_path):
    rows = ranking(last={2: 12, 12: 2})  # 2号县 rose 10 places: 50 + 100 = 150
    document = awards(book({"县域监测": rows}))
    assert paid(document)["2号县"] == 150
    assert any("2号县十强县150万元,高于第一名的100万元" in w and "county.amount_cap" in w for w in document["warnings"])
    capped = awards(
        book({"县域监测": rows}, name="2023b.xlsx"),
        "--year",
        2023,
        "--rules",
        local_pack(tmp_path, '[county.amount_cap]\nvalue = 100\nclause = "2016年考评办法"\n'),
    )
    assert paid(capped)["2号县"] == 100
    # nobody above the 第一名's 100: nothing to say
    assert not any(
        "county.amount_cap" in w
        for w in awards(book({"县域监测": ranking(last={2: 6, 6: 2})}, name="2023c.xlsx"), "--year", 2023)["warnings"]
    )


def test_6_2_first_place_scope_counties_pays_no_first_place_money_to_a_district(book, tmp_path):
    rows = ranking() + ranking(6, area="城区", prefix="号区")[1:]
    pack = local_pack(tmp_path, '[county.first_place_scope]\nvalue = "counties"\nclause = "2016年考评办法"\n')
    document = awards(book({"县域监测": rows}), "--rules", pack)
    assert paid(document)["1号县"] == 100 and paid(document, "五强区")["1号区"] == 50
    assert any(
        w.startswith("1号区为城区第1名,按规则包 county.first_place_scope = counties") for w in document["warnings"]
    )
    default = awards(book({"县域监测": rows}, name="2023b.xlsx"), "--year", 2023)  # all: each ranking's first
    assert paid(default, "五强区")["1号区"] == 100
    assert not any("first_place_scope" in w for w in default["warnings"])


def progress_rows():
    """Districts 1..11: 1号区..6号区 each rose 5 places (上年 6..11), the rest fell: six tie for five places."""
    last = {i: i + 5 for i in range(1, 7)} | {i: i - 6 for i in range(7, 12)}
    return ranking(11, last=last, area="城区", prefix="号区")


def test_5_2_progress_tie_at_the_cut_is_said_included_or_stops(book, tmp_path):
    path = book({"县域监测": progress_rows()})
    document = awards(path)
    assert sorted(paid(document, "城区争先进位奖")) == ["1号区", "2号区", "3号区", "4号区", "5号区"]
    assert any(
        "城区争先进位奖名额线并列:1号区、2号区、3号区、4号区、5号区(入选)与 6号区(落选)进位同为5" in w
        for w in document["warnings"]
    )
    include = local_pack(tmp_path, '[county.progress_ties]\nvalue = "include"\nclause = "2014年做法"\n')
    assert paid(awards(path, "--rules", include), "城区争先进位奖")["6号区"] == 50
    stop = tmp_path / "stop"
    stop.mkdir()
    error = local_pack(stop, '[county.progress_ties]\nvalue = "error"\nclause = "本地"\n')
    assert "名额线并列" in awards(path, "--rules", error, code=2)


def test_6_1_grade_factors_halve_an_incompetent_cadres_bonus_and_say_so(book, tmp_path):
    target = [["单位", "综合得分"]] + [[f"{c}市", 100 - i] for i, c in enumerate("甲乙丙丁戊己庚辛壬癸")]
    cadres = [["姓名", "单位", "年度考核等次"], ["张三", "癸市", "不称职"], ["李四", "癸市", "称职"]]
    body = (
        '[bonus.amount_by_grade]\nvalue = { "优秀" = 12000, "良好" = 10000, "一般" = 8000 }\nclause = "本地"\n\n'
        '[bonus.grade_factors]\nvalue = { "基本称职" = "100%", "不称职" = "50%" }\nclause = "本地细则"\n'
    )
    document = awards(book({"目标责任考核": target, "干部": cadres}), "--rules", local_pack(tmp_path, body))
    lines = {b["name"]: b["amount_yuan"] for b in document["bonus"]}
    assert lines == {"张三": 5000, "李四": 10000}  # 良好 10000 × 50%
    assert any(
        w.startswith("张三(癸市)年度考核不称职,目标责任考核奖金按规则包 bonus.grade_factors 系数50%")
        for w in document["warnings"]
    )


def test_6_2_the_sample_year_without_history_pays_only_what_it_can_decide(tmp_path, monkeypatch):
    from pathlib import Path

    sample = Path(__file__).resolve().parent.parent / "sample_data" / "2023.xlsx"
    monkeypatch.chdir(tmp_path)  # no sanshi.db here
    document = awards(sample)
    # With 2021-2022 in history the year pays 3,870万. Without it, 首次进入 cannot be told from
    # "entered before": 雁原县 (130), 芦峰县 (100), 雪湖县 (140), 杏水区 (100), 芦滩区 (60) are pending.
    assert {(p["unit"], p["award"]) for p in document["undetermined"]} == {
        ("杏水区", "五强区"),
        ("芦峰县", "十强县"),
        ("芦滩区", "五强区"),
        ("雪湖县", "十强县"),
        ("雁原县", "十强县"),
    }
    assert document["pending_count"] == 5
    assert document["total_amount_wan"] == 3870 - 130 - 100 - 140 - 100 - 60
    assert any("未计入奖励资金合计,也不列入公文" in w for w in document["warnings"])


def test_6_2_the_report_says_how_many_awards_are_pending(book, tmp_path):
    rows = ranking(last={5: 15, 15: 5}, ever=None, n=15)
    result = invoke("report", book({"县域监测": rows}), "--out", tmp_path / "r")
    assert result.exit_code == 0, result.stderr
    [html] = (tmp_path / "r").glob("*.html")
    text = html.read_text(encoding="utf-8")
    assert "奖励资金<b>580 万元</b>" in text and "奖励待定<b>1 项</b>" in text
    # 三、奖励资金, with the full-width （，）： of the report's prose
    assert "另有 1 项待定\uff08未能判定\uff0c未计入\uff09\uff1a5号县十强县" in text
    assert "<td>县域争先进位奖一等奖、十强县\uff08待定\uff09</td>" in text  # the 县(市) ranking's table


# ---- 不得评优 in the 争先进位 list: a vacant place moves nobody up --------------------------------------


def risers(barred=None):
    """22 counties: n号县 (n <= 11) rose n places (上年 2n), the others fell; 11号县 has the largest 进位."""
    last = {i: 2 * i for i in range(1, 12)} | {j: 2 * j - 23 for j in range(12, 23)}
    return ranking(22, last=last, barred=barred)


def test_5_2_a_barred_county_leaves_its_progress_place_and_tier_empty(book):
    # 进位幅度: 11号县 1st, 10号县 2nd, 9号县 3rd (一等奖), 8号县 4th … 6号县 6th (二等奖), 5号县 7th … 2号县 10th
    # (三等奖); 10号县 barred: its 一等奖 stays empty and 8号县 keeps 二等奖 (50, not 80); 1号县 (11th) stays out.
    document = awards(book({"县域监测": risers(barred={10: "一票否决"})}))
    assert paid(document, "县域争先进位奖") == {
        "11号县": 80,
        "9号县": 80,
        "8号县": 50,
        "7号县": 50,
        "6号县": 50,
        "5号县": 30,
        "4号县": 30,
        "3号县": 30,
        "2号县": 30,
    }
    [eighth] = [a for a in document["awards"] if a["unit"] == "8号县" and a["award"] == "县域争先进位奖"]
    assert eighth["basis"] == "名次 16→8,进8位,进位幅度第4,二等奖:50万元"
    assert any(
        w.startswith("10号县 不得评优(一票否决):不授予县域争先进位奖,不予奖励,名额空缺") for w in document["warnings"]
    )


def test_5_2_with_barred_vacancy_next_each_following_county_moves_up_one_place(book, tmp_path):
    pack = local_pack(tmp_path, '[county.barred_vacancy]\nvalue = "next"\nclause = "本地细则"\n')
    document = awards(book({"县域监测": risers(barred={10: "一票否决"})}), "--rules", pack)
    assert paid(document, "县域争先进位奖") == {
        "11号县": 80,
        "9号县": 80,
        "8号县": 80,
        "7号县": 50,
        "6号县": 50,
        "5号县": 50,
        "4号县": 30,
        "3号县": 30,
        "2号县": 30,
        "1号县": 30,
    }
    [eighth] = [a for a in document["awards"] if a["unit"] == "8号县" and a["award"] == "县域争先进位奖"]
    assert eighth["basis"] == "名次 16→8,进8位,进位幅度第4,前列有不得评优的单位,递补为第3,一等奖:80万元"


def test_5_2_progress_without_a_barred_county_pays_by_place(book):
    document = awards(book({"县域监测": risers()}))
    assert paid(document, "县域争先进位奖") == {
        "11号县": 80,
        "10号县": 80,
        "9号县": 80,
        "8号县": 50,
        "7号县": 50,
        "6号县": 50,
        "5号县": 30,
        "4号县": 30,
        "3号县": 30,
        "2号县": 30,
    }
    assert not any("不得评优" in w or "并列" in w for w in document["warnings"])


def test_5_2_a_tie_at_the_cut_behind_a_vacant_place_is_still_said(book, tmp_path):
    # Six districts rose 5 places for five places; 2号区 is barred and its place stays empty: 6号区 still ties
    # the fifth place (5号区) from outside it.
    rows = progress_rows()
    rows[2][5] = "一票否决"
    document = awards(book({"县域监测": rows}))
    assert sorted(paid(document, "城区争先进位奖")) == ["1号区", "3号区", "4号区", "5号区"]
    assert any(
        "城区争先进位奖名额线并列:1号区、2号区(不得评优)、3号区、4号区、5号区(入选)与 6号区(落选)进位同为5" in w
        for w in document["warnings"]
    )
    include = local_pack(tmp_path, '[county.progress_ties]\nvalue = "include"\nclause = "2014年做法"\n')
    assert (
        paid(awards(book({"县域监测": rows}, name="2023b.xlsx"), "--year", 2023, "--rules", include), "城区争先进位奖")[
            "6号区"
        ]
        == 50
    )


# ---- 进位相同跨越等级线:一等奖与二等奖之间 ----------------------------------------------------------------


def tier_tie():
    """risers() with 8号县 rising 9 places (上年 17) like 9号县: they tie across the line of 一等奖 (3 places)."""
    rows = risers()
    rows[8][3], rows[20][3] = 17, 16  # 8号县 17→8; 20号县 (who was 17th) now 16→20
    return rows


def test_5_2_equal_progress_across_a_tier_line_is_said_paid_the_better_tier_or_stops(book, tmp_path):
    path = book({"县域监测": tier_tie()})
    document = awards(path)
    # ordered by this year's 名次: 8号县 3rd (一等奖 80), 9号县 4th (二等奖 50)
    assert paid(document, "县域争先进位奖")["8号县"] == 80 and paid(document, "县域争先进位奖")["9号县"] == 50
    assert any(
        "县域争先进位奖等级线并列:8号县(一等奖)与 9号县(二等奖)进位同为9,按本年名次先后分等"
        "(规则包 county.progress_ties = by_rank" in w
        for w in document["warnings"]
    )
    include = local_pack(tmp_path, '[county.progress_ties]\nvalue = "include"\nclause = "2014年做法"\n')
    included = paid(awards(path, "--rules", include), "县域争先进位奖")
    assert (included["8号县"], included["9号县"], included["7号县"]) == (80, 80, 50)  # 7号县 stays 5th, 二等奖
    stop = tmp_path / "stop"
    stop.mkdir()
    error = local_pack(stop, '[county.progress_ties]\nvalue = "error"\nclause = "本地"\n')
    assert "县域争先进位奖等级线并列:8号县(一等奖)与 9号县(二等奖)进位同为9" in awards(path, "--rules", error, code=2)


# ---- 改名:跨县(市)与城区、历史库缺上年 --------------------------------------------------------------------


def district_history(book, tmp_path):
    """2016: 1..12号县 and 高陵县 (3rd of the counties); 1..6号区."""
    db = tmp_path / "h.db"
    old = [["县区", "类型", "名次"]] + [[f"{i}号县", "县(市)", i if i < 3 else i + 1] for i in range(1, 13)]
    old += [["高陵县", "县(市)", 3]] + [[f"{i}号区", "城区", i] for i in range(1, 7)]
    assert invoke("history", "import", book({"县域监测": old}, name="2016.xlsx"), "--db", db).exit_code == 0
    return db


def district_year():
    """2017: 高陵区 2nd of the districts, the counties as before without 高陵县."""
    rows = [["县区", "类型", "名次"]] + [[f"{i}号县", "县(市)", i] for i in range(1, 13)]
    return rows + [["1号区", "城区", 1], ["高陵区", "城区", 2]] + [[f"{i}号区", "城区", i + 1] for i in range(2, 7)]


def test_6_2_a_county_become_a_district_stops_the_run_naming_both(book, tmp_path):
    db = district_history(book, tmp_path)
    stderr = awards(book({"县域监测": district_year()}, name="2017.xlsx"), "--db", db, code=2)
    assert "高陵区 不在历史库2016年县域监测表中,而2016年的 高陵县(县(市)) 今年不在" in stderr
    assert "别名 高陵县,规范名称 高陵区" in stderr


def test_6_2_a_county_become_a_district_has_no_last_rank_among_the_districts(book, tmp_path):
    db = district_history(book, tmp_path)
    names = [["别名", "规范名称"], ["高陵县", "高陵区"]]
    document = awards(book({"县域监测": district_year(), "单位名称对照": names}, name="2017.xlsx"), "--db", db)
    # Never in 五强区 in the known year: 首次进入 100 (its 3rd place among the counties is no 五强区 place),
    # and no 上年名次 among the districts: no 城区争先进位奖
    assert paid(document, "五强区")["高陵区"] == 100
    assert "高陵区" not in paid(document, "城区争先进位奖")
    assert any(
        w.startswith("高陵区 上年在县(市)中排名(第3名),今年在城区中:上年名次不可比") for w in document["warnings"]
    )


def test_6_2_a_rename_is_caught_against_the_latest_stored_year_when_last_year_is_not_stored(book, tmp_path):
    db = tmp_path / "h.db"
    old = [["县区", "类型", "名次"], ["神木县", "县(市)", 1], ["府谷县", "县(市)", 2]] + [
        [f"{i}号县", "县(市)", i] for i in range(3, 13)
    ]
    assert invoke("history", "import", book({"县域监测": old}, name="2015.xlsx"), "--db", db).exit_code == 0
    # 2017 compared with 2015 (no 2016 stored): the workbook's 上年名次 cannot show 神木市's
    now = [["县区", "类型", "名次", "上年名次"], ["府谷县", "县(市)", 1, 2], ["神木市", "县(市)", 2, None]] + [
        [f"{i}号县", "县(市)", i, i] for i in range(3, 13)
    ]
    stderr = awards(book({"县域监测": now}, name="2017.xlsx"), "--db", db, code=2)
    assert "神木市 不在历史库2015年县域监测表中,而2015年的 神木县 今年不在" in stderr
    now[2][3] = 1  # the row says it: 1 -> 2
    assert paid(awards(book({"县域监测": now}, name="2017.xlsx"), "--db", db))["神木市"] == 40


# ---- 以前年度只有县(市)排名:城区的首次进入仍待定 --------------------------------------------------------------


def test_6_2_a_year_that_ranked_only_counties_decides_no_districts_first_entry(book, tmp_path):
    db = tmp_path / "h.db"
    counties = [["县区", "类型", "名次"]] + [[f"{i}号县", "县(市)", i] for i in range(1, 13)]
    assert invoke("history", "import", book({"县域监测": counties}, name="2022.xlsx"), "--db", db).exit_code == 0
    now = [HEAD[:4]] + [[f"{i}号县", "县(市)", i, None] for i in range(1, 13)]
    now += [["1号区", "城区", 1, 1], ["2号区", "城区", 2, 2], ["3号区", "城区", 3, 7]] + [
        [f"{i}号区", "城区", i, i - 1] for i in range(4, 8)
    ]
    document = awards(book({"县域监测": now}, name="2023.xlsx"), "--db", db)
    assert [(p["unit"], p["award"]) for p in document["undetermined"]] == [("3号区", "五强区")]
    assert paid(document) == {"1号县": 100, **{f"{i}号县": 50 for i in range(2, 11)}}  # 2022 decides the counties


# ---- 待定的奖励不进公文 -----------------------------------------------------------------------------------


def test_6_2_a_pending_award_is_not_in_the_commendation_and_the_run_says_so(book, tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    rows = ranking(last={5: 15, 15: 5}, ever=None, n=15)
    result = invoke(
        "notices",
        book({"县域监测": rows}),
        "--rules",
        root / "sample_data" / "local-pack.toml",
        "--templates",
        root / "sanshi" / "documents" / "templates",
        "--format",
        "html",
        "--kind",
        "表彰通报",
        "--kind",
        "奖励资金通知",
        "--out",
        tmp_path / "n",
    )
    assert result.exit_code == 0, result.stderr
    [commendation] = (tmp_path / "n").rglob("*表彰通报*.html")
    text = commendation.read_text(encoding="utf-8")
    assert "4号县" in text and "6号县" in text and "5号县" in text  # 5号县 only for its 争先进位奖 (进10位)
    assert text.count("5号县") == 1
    assert "表彰通报未列入待定的 5号县(十强县)" in result.stderr
    assert "奖励资金通知不含待定(未能判定)的奖励:5号县(十强县) 的通知只列已判定的奖励" in result.stderr
