"""What-if runs (`--set KEY=VALUE`) and `sanshi rules diff`, through the real command line.

A what-if run computes with a changed parameter, checked exactly as a pack's value is, and every output it writes
says so (【测算,非正式结果】 and each change, `target.excellent_ratio 35%→30%`): a test opens each file."""

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.results import WHAT_IF_MARK

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
BOOK = SAMPLE / "2023.xlsx"
PACK = SAMPLE / "local-pack.toml"
RATIO_30 = "target.excellent_ratio=30%"
CHANGE = "target.excellent_ratio 35%→30%"


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def cut(document: dict, group: str) -> dict:
    return next(c for c in document["cuts"] if c["assessment"] == "目标责任考核" and c["group"] == group)


def test_excellent_ratio_30_percent_gives_12_cities_3_places_instead_of_4_激励第五条第一项(sample_db):
    # The pack rounds the 35% quota down (target.rounding = floor): 12 设区市 × 35% = 4.2 → 4 as shipped,
    # 12 × 30% = 3.6 → 3 under --set; 40 省级部门: 40 × 35% = 14 → 14, 40 × 30% = 12 → 12.
    shipped = invoke("awards", BOOK, "--db", sample_db, "--json")
    what_if = invoke("awards", BOOK, "--db", sample_db, "--json", "--set", RATIO_30)
    assert shipped.exit_code == 0 and what_if.exit_code == 0, what_if.stderr
    real, tried = json.loads(shipped.stdout), json.loads(what_if.stdout)
    assert cut(real, "设区市")["quota"] == 4 and cut(tried, "设区市")["quota"] == 3
    assert cut(real, "省级部门")["quota"] == 14 and cut(tried, "省级部门")["quota"] == 12
    assert cut(tried, "设区市")["ratio"] == 0.3
    cities = [g for g in tried["target_units"] if g["group"] == "设区市" and g["excellent"]]
    assert len(cities) == 3
    assert real["what_if"] == [] and real["what_if_title"] == ""
    assert tried["what_if"] == [
        {"key": "target.excellent_ratio", "label": "目标责任考核优秀单位比例", "shipped": "35%", "value": "30%"}
    ]
    assert tried["what_if_title"] == f"{WHAT_IF_MARK}{CHANGE}"


def test_top_counties_8_names_eight_十强县_激励第五条第二项(sample_db):
    shipped = json.loads(invoke("awards", BOOK, "--db", sample_db, "--json").stdout)
    tried = json.loads(invoke("awards", BOOK, "--db", sample_db, "--json", "--set", "county.top_counties=8").stdout)

    def top(document):
        return {a["unit"] for a in document["awards"] if a["award"] == "十强县"} | {
            p["unit"] for p in document["undetermined"] if p["award"] == "十强县"
        }

    assert len(top(shipped)) == 10 and len(top(tried)) == 8 and top(tried) < top(shipped)
    assert tried["what_if_title"] == f"{WHAT_IF_MARK}county.top_counties 10→8"


def test_every_output_of_a_what_if_run_carries_the_marker(sample_db, tmp_path):
    """The terminal title line, every sheet of every workbook (its first row), the 提示 sheet, the report's title,
    the JSON and every manifest: a what-if can never be mistaken for the real list."""
    out = tmp_path / "out"
    commands = {
        "awards": "2023年度考核奖励结果",
        "demotions": "2023年度能下触发名单",
        "promotions": "2023年度选拔重用名单",
        "report": "2023年度考核结果报告",
    }
    for command in commands:
        result = invoke(command, BOOK, "--db", sample_db, "--out", out, "--set", RATIO_30)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[0] == f"{WHAT_IF_MARK}{CHANGE}", command
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 8  # each command's file and its manifest
    for command, stem in commands.items():
        manifest = json.loads((out / f"{stem}.manifest.json").read_text(encoding="utf-8"))
        assert manifest["what_if_title"] == f"{WHAT_IF_MARK}{CHANGE}"
        assert manifest["what_if"][0]["key"] == "target.excellent_ratio" and manifest["what_if"][0]["value"] == "30%"
        assert manifest["arguments"]["set"] == [RATIO_30]
        if command == "report":
            continue
        book = openpyxl.load_workbook(out / f"{stem}.xlsx")
        assert book.properties.title.startswith(WHAT_IF_MARK)
        for sheet in book.worksheets:
            assert sheet["A1"].value == f"{WHAT_IF_MARK}{CHANGE}", (stem, sheet.title)
        notes = {row[0]: row[1] for row in book["提示"].iter_rows(min_row=3, values_only=True)}
        assert notes["测算"] == f"{WHAT_IF_MARK}{CHANGE}"
    html = (out / "2023年度考核结果报告.html").read_text(encoding="utf-8")
    # The report's page turns ASCII punctuation full width: 【测算,非正式结果】 reads 【测算，非正式结果】.
    title = html[html.index("<title>") : html.index("</title>")]
    assert "测算" in title and "非正式结果" in title and CHANGE in title
    assert html.count("非正式结果") >= 2 and "<h1>【测算】" in html
    for command in ("awards", "demotions", "promotions"):
        document = json.loads(invoke(command, BOOK, "--db", sample_db, "--json", "--set", RATIO_30).stdout)
        assert document["what_if_title"] == f"{WHAT_IF_MARK}{CHANGE}", command


def test_the_header_row_stays_a_header_under_the_marker(sample_db, tmp_path):
    """The sheet's header is row 2 under the marker, frozen and filtered, and the data follow it."""
    assert invoke("demotions", BOOK, "--db", sample_db, "--out", tmp_path, "--set", RATIO_30).exit_code == 0
    real = tmp_path / "real"
    assert invoke("demotions", BOOK, "--db", sample_db, "--out", real).exit_code == 0
    tried = openpyxl.load_workbook(tmp_path / "2023年度能下触发名单.xlsx")["能下触发名单"]
    shipped = openpyxl.load_workbook(real / "2023年度能下触发名单.xlsx")["能下触发名单"]
    assert tried.freeze_panes == "A3" and tried.auto_filter.ref.startswith("A2")
    rows = list(tried.iter_rows(min_row=2, values_only=True))
    assert rows == list(shipped.iter_rows(min_row=1, values_only=True))  # 35% → 30% changes no 能下 case here


def test_a_real_run_has_no_marker(sample_db, tmp_path):
    result = invoke("awards", BOOK, "--db", sample_db, "--out", tmp_path)
    assert result.exit_code == 0 and WHAT_IF_MARK not in result.stdout
    book = openpyxl.load_workbook(tmp_path / "2023年度考核奖励结果.xlsx")
    assert book["提示"]["A1"].value == "项目"
    manifest = json.loads((tmp_path / "2023年度考核奖励结果.manifest.json").read_text(encoding="utf-8"))
    assert manifest["what_if"] == [] and manifest["what_if_title"] == ""


@pytest.mark.parametrize("command", ["notices", "year"])
def test_documents_are_never_made_from_a_what_if(command, sample_db, tmp_path):
    result = invoke(command, BOOK, "--rules", PACK, "--db", sample_db, "--out", tmp_path, "--set", RATIO_30)
    assert result.exit_code == 2
    assert f"sanshi {command} 生成公文,公文是正式文件,不能按测算参数(--set)生成" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "setting, said",
    [
        (
            "target.excelent_ratio=30%",
            "--set target.excelent_ratio=30%:未知参数 target.excelent_ratio(是否想写 target.excellent_ratio?)",
        ),
        (
            "target.excellent_ratio=130%",
            "参数 target.excellent_ratio(目标责任考核优秀单位比例)的取值不符合要求,比例应在 0% 到 100% 之间",
        ),
        ("county.top_counties=八", "参数 county.top_counties(十强县名额(名次以内))的取值不符合要求,应为非负整数"),
        ("county.top_counties=10001", "名额或名次应在 0 至 10000 之间"),
        ("target.rounding=round", "应为 floor、half_up、ceil 之一"),
        ("target.excellent_ratio", "--set target.excellent_ratio:应写成 参数=取值"),
    ],
)
def test_an_unknown_key_or_a_bad_value_is_exit_2_naming_the_key(setting, said):
    result = invoke("awards", BOOK, "--set", setting)
    assert result.exit_code == 2 and result.stdout == ""
    assert said in result.stderr


def test_every_bad_setting_is_said_at_once():
    result = invoke("promotions", BOOK, "--set", "county.top_counties=-1", "--set", "nope=1")
    assert result.exit_code == 2
    assert "county.top_counties" in result.stderr and "未知参数 nope" in result.stderr


def test_values_are_written_as_a_pack_writes_them(sample_db):
    """TOML values (a quoted ratio, a list) are read as in a pack: the same checker, the same result."""
    quoted = invoke("demotions", BOOK, "--db", sample_db, "--json", "--set", 'demotion.vote_bad_ratio="20%"')
    bare = invoke("demotions", BOOK, "--db", sample_db, "--json", "--set", "demotion.vote_bad_ratio=1/5")
    assert quoted.exit_code == 0 and bare.exit_code == 0, bare.stderr
    assert json.loads(quoted.stdout)["candidates"] == json.loads(bare.stdout)["candidates"]
    listed = invoke("demotions", BOOK, "--db", sample_db, "--json", "--set", 'demotion.unit_poor_grades=["较差"]')
    assert listed.exit_code == 0, listed.stderr
    assert json.loads(listed.stdout)["what_if"][0]["value"] == "较差"


def test_rules_diff_of_the_two_built_in_packs():
    result = invoke("rules", "diff", "shaanxi-2016", "shaanxi-2018", "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    by_key = {d["key"]: d for d in document["differences"]}
    assert set(by_key) == {
        "strong_county.titles",
        "demotion.vote_incompetent_ratio",
        "demotion.clauses",
        "uncomputed.clauses",
    }
    assert by_key["demotion.vote_incompetent_ratio"]["a"] == "15%"
    assert by_key["demotion.vote_incompetent_ratio"]["b"] == "(未设定)"
    assert by_key["strong_county.titles"]["label"] == "评选的强县称号"
    assert by_key["strong_county.titles"]["clause_b"] == "鼓励激励办法第五条第(二)项"
    assert "2016年版" in by_key["strong_county.titles"]["clause_a"]
    assert document["clause_only"] > 0
    text = invoke("rules", "diff", "shaanxi-2016", "shaanxi-2018", "--json")
    assert text.exit_code == 0
    shown = invoke("rules", "diff", "shaanxi-2016", "shaanxi-2018").stdout
    assert "取值不同的参数:4 个" in shown and "demotion.vote_incompetent_ratio" in shown


def test_rules_diff_of_a_local_pack_and_its_base():
    result = invoke("rules", "diff", PACK, "shaanxi-2018", "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [d["key"] for d in document["differences"]] == ["bonus.amount_by_grade"]
    assert document["differences"][0]["a"] == "优秀 12000 元;良好 10000 元;一般 8000 元"
    assert document["differences"][0]["b"] == "(未设定)"


def test_rules_diff_says_when_nothing_differs():
    result = invoke("rules", "diff", "shaanxi-2018", "shaanxi-2018")
    assert result.exit_code == 0
    assert "两个规则包的参数取值完全相同" in result.stdout
    assert json.loads(invoke("rules", "diff", "shaanxi-2018", "shaanxi-2018", "--json").stdout)["differences"] == []


def test_rules_diff_of_an_unknown_pack_is_exit_2():
    result = invoke("rules", "diff", "shaanxi-2019", "shaanxi-2018")
    assert result.exit_code == 2 and "找不到规则包「shaanxi-2019」" in result.stderr
