"""The CLI through its real entry point (Typer's runner over sanshi.cli.app)."""

import json
import os

import openpyxl
from typer.main import get_command
from typer.testing import CliRunner

from sanshi.cli import app

runner = CliRunner()

TARGET = [["单位", "类别", "综合得分", "考核人数"]] + [
    [f"{c}市", "设区市", s, 20] for c, s in zip("甲乙丙丁戊己庚辛壬癸", (99, 98, 97, 96, 95, 94, 93, 92, 91, 90))
]
MONITORING = [["县区", "类型", "名次", "上年名次"]] + [[f"{i}号县", "县(市)", i, i] for i in range(1, 13)]


def invoke(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def test_every_command_has_help_text():
    def walk(command, path=()):
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, path + (name,))

    for path, command in walk(get_command(app)):
        assert command.help, f"sanshi {' '.join(path)} has no help text"


def test_awards_json_is_the_only_thing_on_stdout(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = book({"目标责任考核": TARGET, "县域监测": MONITORING})
    result = invoke("awards", path, "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["year"] == 2023 and document["rules"] == "shaanxi-2018"
    assert [u["unit"] for u in document["target_units"] if u["excellent"]] == ["甲市", "乙市", "丙市"]
    assert document["target_units"][0] == {
        "unit": "甲市",
        "group": "设区市",
        "score": 99,
        "rank": 1,
        "grade": "优秀",
        "excellent": True,
        "clause": "鼓励激励办法第五条第(一)项",
        "basis": document["target_units"][0]["basis"],
    }
    # 1号县 100 (first place) + 2..10号县 50 each (level) = 550; no riser -> no 争先进位
    assert document["total_amount_wan"] == 550
    assert {"year", "rules", "target_units", "poverty_units", "awards", "total_amount_wan", "warnings"} <= set(document)
    assert any("未找到历史库" in w for w in document["warnings"])
    assert not list(tmp_path.glob("*.xlsx"))[1:]  # only the input: --json alone writes no workbook


def test_awards_writes_workbook_and_refuses_to_overwrite(book, tmp_path):
    path = book({"目标责任考核": TARGET})
    out = tmp_path / "out"
    first = invoke("awards", path, "--out", out, "--db", tmp_path / "none.db")
    assert first.exit_code == 2 and "不存在" in first.stderr  # an explicitly named db must exist
    first = invoke("awards", path, "--out", out)
    assert first.exit_code == 0, first.stderr
    written = out / "2023年度考核奖励结果.xlsx"
    assert written.exists()
    assert openpyxl.load_workbook(written)["目标责任考核等次"]["B2"].value == "甲市"
    again = invoke("awards", path, "--out", out)
    assert again.exit_code == 2 and "--force" in again.stderr
    assert invoke("awards", path, "--out", out, "--force").exit_code == 0


def test_tie_at_the_cut_exits_2_and_writes_nothing(book, tmp_path):
    rows = [row[:] for row in TARGET]
    rows[3][2] = rows[4][2] = 97  # 丙市 and 丁市 tie at the 3rd place of 10 (quota 3)
    path = book({"目标责任考核": rows})
    result = invoke("awards", path, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "丙市、丁市" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
    included = invoke("awards", path, "--out", tmp_path / "out", "--tie", "include", "--json")
    excellent = [u["unit"] for u in json.loads(included.stdout)["target_units"] if u["excellent"]]
    assert excellent == ["甲市", "乙市", "丙市", "丁市"]


def test_check_lists_every_problem_with_cells_and_exit_2(book):
    path = book({"目标责任考核": [["单位", "综合得分"], ["甲市", "9O.5"], ["乙市", "abc"]]})
    result = invoke("check", path)
    assert result.exit_code == 2
    assert '2023.xlsx › 目标责任考核 › B2: 综合得分 "9O.5" 不是数字' in result.stderr
    assert "B3" in result.stderr and "发现 2 处问题" in result.stderr


def test_check_passes_on_a_good_book(book):
    result = invoke("check", book({"目标责任考核": TARGET}))
    assert result.exit_code == 0 and "检查通过" in result.stdout and "10 行" in result.stdout


def test_missing_file_and_no_year(tmp_path):
    """In the order a person fixes them: a file that is not there first, then the year its name lacks."""
    assert invoke("check", tmp_path / "2023.xlsx").exit_code == 2
    missing = invoke("awards", tmp_path / "results.xlsx", "--rules", tmp_path / "没有.toml")
    assert missing.exit_code == 2
    assert missing.stderr == f"错误:{tmp_path / 'results.xlsx'}: 文件不存在,请检查路径\n"
    openpyxl.Workbook().save(tmp_path / "results.xlsx")
    result = invoke("awards", tmp_path / "results.xlsx")
    assert (
        result.exit_code == 2
        and "无法从文件名 results.xlsx 识别考核年度" in result.stderr
        and "--year" in result.stderr
    )
    folder = invoke("awards", tmp_path)
    assert folder.exit_code == 2 and folder.stderr == f"错误:{tmp_path}: 这是一个文件夹,不是工作簿\n"


def test_rules_show_lists_every_parameter_with_clause():
    result = invoke("rules", "show", "--json")
    params = json.loads(result.stdout)["params"]
    assert {"key": "target.excellent_ratio", "value": "35%", "clause": "鼓励激励办法第五条第(一)项"}.items() <= params[
        0
    ].items()
    text = invoke("rules", "show", "--rules", "shaanxi-2016").stdout
    assert "shaanxi-2016" in text and "核对原文" in text


def test_rules_show_bad_pack_exit_2(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[pack]\nname = "x"\nbase = "shaanxi-2018"\n[target.ratio]\nvalue = 1\n', encoding="utf-8")
    result = invoke("rules", "show", "--rules", path)
    assert result.exit_code == 2 and "未知参数" in result.stderr


def test_template_writes_a_blank_book_once(tmp_path):
    path = tmp_path / "模板.xlsx"
    assert invoke("template", path).exit_code == 0
    assert "填表说明" in openpyxl.load_workbook(path).sheetnames
    assert invoke("template", path).exit_code == 2


def test_history_import_list_show(book, tmp_path):
    db = tmp_path / "h.db"
    path = book({"目标责任考核": TARGET}, name="2022.xlsx")
    assert "第1版" in invoke("history", "import", path, "--db", db).stdout
    assert "未重复导入" in invoke("history", "import", path, "--db", db).stdout
    listing = invoke("history", "list", "--db", db).stdout
    assert "2022" in listing and "当前" in listing
    assert "目标责任考核:10 行" in invoke("history", "show", "2022", "--db", db).stdout
    missing = invoke("history", "show", "2019", "--db", db)
    assert missing.exit_code == 2 and "已有年份:2022" in missing.stderr


def test_history_db_from_environment(book, tmp_path):
    db = tmp_path / "env.db"
    invoke("history", "import", book({"目标责任考核": TARGET}, name="2022.xlsx"), env={"SANSHI_DB": str(db)})
    assert db.exists()


def test_internal_errors_exit_1_without_traceback(book, monkeypatch):
    import sanshi.pipeline

    def boom(*a, **k):
        raise ZeroDivisionError

    monkeypatch.setattr(sanshi.pipeline, "awards_of", boom)
    result = invoke("awards", book({"目标责任考核": TARGET}), "--json")
    assert result.exit_code == 1 and "内部错误" in result.stderr and "Traceback" not in result.stderr


def _monitoring(ranks_by_county, last=None):
    header = ["县区", "类型", "名次"] + (["上年名次"] if last else [])
    rows = [header]
    for name, rank in ranks_by_county.items():
        rows.append([name, "县", rank] + ([last[name]] if last else []))
    return {"县域监测": rows}


def test_history_disagreeing_with_the_workbook_exits_2_listing_each_difference(book, tmp_path):
    db = tmp_path / "h.db"
    counties = [f"{i}号县" for i in range(1, 13)]
    invoke(
        "history", "import", book(_monitoring({c: i for i, c in enumerate(counties, 1)}), name="2022.xlsx"), "--db", db
    )
    last = {c: i for i, c in enumerate(counties, 1)}
    last["3号县"], last["4号县"] = 4, 3  # swapped against the stored 2022 ranking
    path = book(_monitoring({c: i for i, c in enumerate(counties, 1)}, last))
    result = invoke("awards", path, "--db", db, "--json")
    assert result.exit_code == 2
    assert "3号县 工作簿上年名次 4,历史库2022年名次 3" in result.stderr
    assert "4号县 工作簿上年名次 3,历史库2022年名次 4" in result.stderr
    assert result.stdout == ""


def test_skipped_year_is_never_used_as_last_year_silently(book, tmp_path):
    db = tmp_path / "h.db"
    counties = [f"{i}号县" for i in range(1, 13)]
    ranks_2017 = {c: 13 - i for i, c in enumerate(counties, 1)}  # the reverse order
    invoke("history", "import", book(_monitoring(ranks_2017), name="2017.xlsx"), "--db", db)
    path = book(_monitoring({c: i for i, c in enumerate(counties, 1)}), name="2019.xlsx")
    plain = invoke("awards", path, "--db", db, "--json")
    assert plain.exit_code == 2  # no 上年名次 anywhere for 2018: nothing is guessed
    assert "--previous-year" in plain.stderr
    chosen = invoke("awards", path, "--db", db, "--json", "--previous-year", "2017")
    assert chosen.exit_code == 0, chosen.stderr
    document = json.loads(chosen.stdout)
    assert document["previous_year"] == {"year": 2017, "source": "历史库2017年数据"}
    top = {a["unit"]: a["amount_wan"] for a in document["awards"] if a["award"] == "十强县"}
    assert top["1号县"] == 100  # first place
    assert top["2号县"] == 100  # 11th in 2017, the only known earlier year: a first entry
    assert top["3号县"] == 120  # 10 -> 3: 50 + 7 × 10
    missing = invoke("awards", path, "--db", db, "--previous-year", "2016")
    assert missing.exit_code == 2 and "已有年份:2017" in missing.stderr


CADRES = [
    [
        "干部编号",
        "姓名",
        "单位",
        "职务",
        "岗位类别",
        "年度考核等次",
        "上年考核等次",
        "优秀票",
        "称职票",
        "基本称职票",
        "不称职票",
        "总票数",
    ],
    ["A1", "张三", "甲市", "市委书记", "主要负责人", "基本称职", None, 10, 18, 9, 3, 40],
    ["A2", "李四", "甲市", "副市长", "分管领导", "称职", "称职", 30, 10, 0, 0, 40],
]


def test_demotions_json_contract_and_undetermined_without_history(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = book({"干部": CADRES})
    result = invoke("demotions", path, "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert {"year", "rules", "candidates", "undetermined", "warnings"} <= set(document)
    assert document["candidates"] == [
        {
            "name": "张三",
            "unit": "甲市",
            "position": "市委书记",
            "role": "主要负责人",
            "article": 8,
            "item": 2,
            "clause": "能上能下办法第八条第(二)项",
            "basis": "基本称职票9+不称职票3=12/40=30.0%≥30%",
            "tolerated": False,
            "tolerance_ref": None,
            "reduced": False,
            "cadre_id": "A1",
            "facts": [
                {"what": "民主测评基本称职和不称职票", "value": "12/40", "year": 2023, "source": "2023.xlsx"},
                {"what": "民主测评基本称职和不称职得票率", "value": "30.0%", "year": 2023, "source": ""},
            ],
        }
    ]
    [open_case] = document["undetermined"]
    assert (open_case["name"], open_case["article"], open_case["item"]) == ("张三", 8, 3)
    assert "2022年考核等次缺失" in open_case["basis"]
    # the year that is known is a fact; the missing one is said in the basis
    assert open_case["facts"] == [{"what": "年度考核等次", "value": "基本称职", "year": 2023, "source": "2023.xlsx"}]
    assert not list(tmp_path.glob("*名单.xlsx"))  # --json alone writes no workbook


def test_demotions_2016_pack_needs_incompetent_over_15_percent(book):
    path = book({"干部": CADRES})
    document = json.loads(invoke("demotions", path, "--json", "--rules", "shaanxi-2016").stdout)
    assert document["rules"] == "shaanxi-2016" and document["candidates"] == []  # 不称职 3/40 = 7.5%


def test_demotions_workbook_unit_filter_and_overwrite(book, tmp_path):
    path = book(
        {"干部": CADRES, "容错认定": [["单位", "文号", "姓名", "范围"], ["甲市", "容〔2023〕1号", "张三", "民主测评"]]}
    )
    out = tmp_path / "out"
    first = invoke("demotions", path, "--out", out)
    assert first.exit_code == 0, first.stderr
    written = out / "2023年度能下触发名单.xlsx"
    sheet = openpyxl.load_workbook(written)["能下触发名单"]
    assert [c.value for c in sheet[1]] == ["姓名", "单位", "职务", "岗位类别", "条款", "依据", "容错", "干部编号"]
    assert sheet["A2"].value == "张三" and sheet["G2"].value == "容错免责(容〔2023〕1号)"
    assert openpyxl.load_workbook(written).sheetnames == ["能下触发名单", "未能判定", "影响期", "提示"]
    again = invoke("demotions", path, "--out", out)
    assert again.exit_code == 2 and "已存在" in again.stderr
    one = invoke("demotions", path, "--unit", "甲 市")
    assert one.exit_code == 0 and "单位 甲市" in one.stdout and "容错免责" in one.stdout
    unknown = invoke("demotions", path, "--unit", "甲县")
    assert unknown.exit_code == 2 and "没有这个单位" in unknown.stderr and "甲市" in unknown.stderr


def test_demotions_bad_tolerance_scope_names_the_cell(book):
    path = book({"干部": CADRES, "容错认定": [["单位", "文号", "范围"], ["甲市", "容1号", "招商"]]})
    result = invoke("demotions", path)
    assert result.exit_code == 2
    assert "2023.xlsx › 容错认定 › C2: 范围「招商」不是可选值" in result.stderr


def test_check_reports_an_unknown_tolerance_scope(book):
    path = book({"容错认定": [["单位", "文号", "范围"], ["甲市", "容1号", "目标考核"]]})
    result = invoke("check", path)
    assert result.exit_code == 2 and "容错认定 › C2: 范围「目标考核」不是可选值" in result.stderr


FINDINGS = [
    ["单位", "领域", "等级", "日期", "层级", "条款"],
    ["1号县", "安全生产", "较大", "2023-04-12", "", ""],
    ["1号县", "安全生产", "三级(较大)", "2023-09-27", "", ""],
    ["甲市", "党建", "通报批评", "2023-06-01", "", ""],
    ["乙市", "食品药品", "很严重", "2023-06-01", "", ""],
    ["丙市", "环保", "一般", "2023-06-01", "", ""],
]


def test_check_reports_every_unreadable_finding_with_its_cell(book):
    result = invoke("check", book({"目标责任考核": TARGET, "县域监测": MONITORING, "责任认定": FINDINGS}))
    assert result.exit_code == 2
    assert "责任认定 › F4: 领域「党建」须在「条款」列写明第六条第几项" in result.stderr
    assert "责任认定 › C5: 等级「很严重」应为 特别重大/重大/较大/一般 或 一级/二级/三级/四级" in result.stderr
    assert "责任认定 › B6: 领域「环保」不是可选值" in result.stderr
    assert "Traceback" not in result.output


def test_demotions_from_findings_through_the_cli(book):
    """1号县 (county level from 县域监测): 2 起较大 in 2023 -> 12(1); no 干部 sheet, so the rows name the roles."""
    path = book({"目标责任考核": TARGET, "县域监测": MONITORING, "责任认定": FINDINGS[:3]})
    result = invoke("demotions", path, "--json")
    assert result.exit_code == 0, result.stderr
    rows = [
        (t["article"], t["item"], t["unit"], t["role"])
        for t in json.loads(result.stdout)["candidates"]
        if t["article"] == 12
    ]
    assert rows == [(12, 1, "1号县", "主要负责人"), (12, 1, "1号县", "分管领导")]


def test_promotions_json_keys_without_history(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./sanshi.db here
    result = invoke(
        "promotions", book({"目标责任考核": TARGET, "县域监测": MONITORING}), "--json", "--db", tmp_path / "none.db"
    )
    assert result.exit_code == 2 and "历史库" in result.stderr  # a named store that does not exist
    result = invoke("promotions", book({"目标责任考核": TARGET, "县域监测": MONITORING}), "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert {"year", "units", "cadres", "county_heads", "excluded", "warnings"} <= set(document)
    # Without history the units 优秀 this year cannot be judged for three years running: undetermined, not "no".
    assert {e["unit"] for e in document["undetermined"]} == {"甲市", "乙市", "丙市"}
    assert document["county_heads"] == [] and any("干部" in w for w in document["warnings"])


def test_an_identical_reimport_is_told_by_the_files_hash_without_reading_it(book, tmp_path, monkeypatch):
    import sanshi.pipeline

    db = tmp_path / "h.db"
    path = book({"目标责任考核": TARGET}, name="2022.xlsx")
    assert invoke("history", "import", path, "--db", db).exit_code == 0

    def unread(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(sanshi.pipeline, "read_workbook", unread)
    again = invoke("history", "import", path, "--db", db)
    assert again.exit_code == 0 and "与历史库当前版本(第1版)是同一文件,未重复导入" in again.stdout
    # Another file is read (and here fails the test's stand-in): the hash is the only shortcut.
    other = book({"目标责任考核": TARGET[:-1]}, name="2022.xlsx")
    assert invoke("history", "import", other, "--db", db).exit_code == 1


def test_version_names_the_built_in_packs_and_when_each_took_effect():
    from sanshi import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"sanshi {__version__}"
    assert lines[2].startswith("  shaanxi-2016  2016年6月15日起施行  陕西省党政干部鼓励激励办法(试行)")
    assert lines[2].endswith("(2016年版,陕办发〔2016〕24号)")
    assert lines[3].startswith("  shaanxi-2018  2018年10月26日起施行  ") and lines[3].endswith("(2018年修订)")
    assert len(lines) == 4


def test_a_gbk_console_gets_every_character_and_no_encoding_error(tmp_path):
    """Chinese Windows writes redirected output in the GBK code page (cp936), which has no 𠮷: sanshi writes
    GB18030 there (GBK itself for every character GBK has), through the real entry point."""
    import subprocess
    import sys

    from tests.conftest import write_book

    book = write_book(tmp_path / "2023.xlsx", {"目标责任考核": [["单位", "类别", "综合得分"], ["𠮷县", "设区市", 90]]})
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONIOENCODING": "cp936"}  # no SANSHI_DB: ./sanshi.db, absent
    done = subprocess.run(
        [sys.executable, "-m", "sanshi", "awards", str(book), "--json"], capture_output=True, env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr.decode("gb18030")
    assert json.loads(done.stdout.decode("gb18030"))["target_units"][0]["unit"] == "𠮷县"
    assert "提示:工作簿没有县域监测表".encode("gbk") in done.stderr  # what GBK has is written as GBK


def test_a_console_without_all_of_unicode_writes_escapes_instead_of_failing():
    import io

    from sanshi.cli import console_streams

    latin, gbk = (io.TextIOWrapper(io.BytesIO(), encoding=e) for e in ("latin-1", "cp936"))
    console_streams(latin, gbk)
    latin.write("单位𠮷")
    gbk.write("单位𠮷")
    latin.flush()
    gbk.flush()
    assert latin.buffer.getvalue() == b"\\u5355\\u4f4d\\U00020bb7"
    assert gbk.buffer.getvalue().decode("gb18030") == "单位𠮷"
    assert gbk.buffer.getvalue()[:4] == "单位".encode("gbk")
