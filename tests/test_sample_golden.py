"""The bundled sample year end to end: history 2021-2022 imported, 2023 awarded and its 能下
list drawn up, each compared with a checked-in golden JSON, plus the hand-checked cases the
sample was built to exercise.

Regenerate the golden file after an intended change with SANSHI_UPDATE_GOLDEN=1.
"""

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanshi.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
GOLDEN = Path(__file__).parent / "golden" / "awards-2023.json"
DEMOTIONS_GOLDEN = Path(__file__).parent / "golden" / "demotions-2023.json"
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("history") / "sanshi.db"
    for year in (2021, 2022):
        imported = runner.invoke(app, ["history", "import", str(SAMPLE / f"{year}.xlsx"), "--db", str(path)])
        assert imported.exit_code == 0, imported.stderr
    return path


@pytest.fixture(scope="module")
def document(db):
    result = runner.invoke(
        app,
        ["awards", str(SAMPLE / "2023.xlsx"), "--db", str(db), "--rules", str(SAMPLE / "local-pack.toml"), "--json"],
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def demotions(db):
    result = runner.invoke(app, ["demotions", str(SAMPLE / "2023.xlsx"), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def check_golden(document, path):
    if os.environ.get("SANSHI_UPDATE_GOLDEN"):
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert document == json.loads(path.read_text(encoding="utf-8"))


def test_matches_golden(document):
    check_golden(document, GOLDEN)


def test_demotions_match_golden(demotions):
    check_golden(demotions, DEMOTIONS_GOLDEN)


def amounts(document, award):
    return {a["unit"]: a["amount_wan"] for a in document["awards"] if a["award"] == award}


def test_sample_cases_by_hand(document):
    top = amounts(document, "十强县")
    assert top["龙滩市"] == 100  # 第一名
    assert top["芦峰县"] == 100  # first entry: 13th in 2021, 12th in 2022, 7th now
    assert top["鹤亭县"] == 110  # 8 -> 2: 50 + 6 × 10
    assert top["星渡县"] == 20  # 3 -> 6: 50 - 3 × 10
    assert top["雁原县"] == 130  # 11 -> 3, but in the top ten in 2021: not a first entry
    assert top["白城县"] == 0  # 1 -> 9: 50 - 80 < 0, floored
    assert amounts(document, "五强区")["杏水区"] == 100  # first entry of a district
    progress = [a["unit"] for a in document["awards"] if a["award"] == "县域争先进位奖"]
    assert progress[-1] == "龙丰县" and "丹原县" not in progress  # both +4: 龙丰县 ranks 5th, 丹原县 15th
    departments = [u for u in document["target_units"] if u["group"] == "省级部门" and u["excellent"]]
    assert len(departments) == 14  # floor(40 × 35%)
    assert "省商务厅" in {u["unit"] for u in departments} and "省能源局" not in {u["unit"] for u in departments}
    assert next(u for u in document["target_units"] if u["unit"] == "省广电局")["grade"] == "良好"  # 不得评优
    assert document["previous_year"]["year"] == 2022


def test_tolerated_unit_keeps_its_bonus(document):
    # 省中医药管理局: preset 一般 (8000 元), exempted by 秦组容〔2023〕5号 (范围 目标责任考核): paid at 良好, 10000 元.
    lines = [b for b in document["bonus"] if b["unit"] == "省中医药管理局"]
    assert lines and all(b["unit_grade"] == "一般" for b in lines)
    assert {b["base_amount_yuan"] for b in lines} == {10000}
    assert all("秦组容〔2023〕5号" in b["basis"] for b in lines)


def found(document, key, unit):
    return [t for t in document[key] if t["unit"] == unit]


def test_sample_demotions_by_hand(demotions):
    by_clause = {(t["article"], t["item"]) for t in demotions["candidates"]}
    assert by_clause == {
        (6, 1),
        (8, 1),
        (8, 2),
        (8, 3),
        (8, 4),
        (9, 1),
        (9, 2),
        (10, 1),
        (10, 2),
        (10, 3),
        (10, 4),
        (11, 1),
        (12, 1),
        (12, 2),
        (13, 1),
        (13, 2),
    }
    # 8(1): 一般 in 2022 and 2023, tolerated by 秦组容〔2023〕5号; 省教育厅 较差 this year, not tolerated.
    [medicine] = found(demotions, "candidates", "省中医药管理局")
    assert (medicine["role"], medicine["tolerated"], medicine["tolerance_ref"]) == (
        "主要负责人",
        True,
        "秦组容〔2023〕5号",
    )
    [education] = found(demotions, "candidates", "省教育厅")
    assert education["basis"] == "2023年目标责任考核等次较差" and not education["tolerated"]
    # 8(2) 汤志 12/40 exactly 30%; 8(3) 基本称职 2022 and 2023; both within 秦组容〔2023〕3号 (范围 民主测评).
    tang = [t for t in found(demotions, "candidates", "金关县") if t["name"] == "汤志"]
    assert [(t["article"], t["item"], t["tolerated"]) for t in tang] == [(8, 2, True), (8, 3, True)]
    assert tang[0]["basis"] == "基本称职票10+不称职票2=12/40(含未投或弃权1票)=30.0%≥30%"
    # 秦荣霞 25/60 votes and 不称职: 8(2) and 8(3); 潘庆林 29/100 is below 30%.
    assert {(t["item"]) for t in demotions["candidates"] if t["name"] == "秦荣霞"} == {2, 3}
    assert not [t for t in demotions["candidates"] if t["name"] == "潘庆林"]
    # 9(1) 碧乐县 24→31→56; 9(2) 柏水县 78th of 80 in both years.
    assert {t["unit"] for t in demotions["candidates"] if (t["article"], t["item"]) == (9, 1)} == {"碧乐县"}
    assert {t["unit"] for t in demotions["candidates"] if (t["article"], t["item"]) == (9, 2)} == {"柏水县"}
    # The newcomer 徐俊军 (2023 only, 基本称职) cannot be judged on 8(3): 2022 is missing, not "clear".
    [newcomer] = [t for t in demotions["undetermined"] if t["name"] == "徐俊军"]
    assert "2022年考核等次缺失" in newcomer["basis"] and (newcomer["article"], newcomer["item"]) == (8, 3)
    # Impact periods at the end of 2023: 2022 降职 (2 years) and the two 2023 adjustments; the 2021 免职 has ended.
    assert [(p["name"], p["until"]) for p in demotions["impact_periods"]] == [
        ("段峰宏", "2024-03-09"),
        ("林秀蕾", "2024-03-14"),
        ("彭秀军", "2024-05-19"),
    ]


def units_of(document, article, item):
    return sorted({t["unit"] for t in document["candidates"] if (t["article"], t["item"]) == (article, item)})


def test_sample_findings_by_hand(demotions):
    """The 责任认定 sheets of 2022 and 2023 (sample_data/README.md): each clause fires for its designed
    units only; the boundary rows (1 较大 + 1 一般, 倒数第6位, one year of 二级 or 重点整顿) do not."""
    assert units_of(demotions, 6, 1) == ["省医保局"]
    assert {(t["name"], t["role"]) for t in found(demotions, "candidates", "省医保局") if t["article"] == 6} == {
        ("苏强平", "党委(党组)书记"),
        ("郑国彬", "其他"),
    }  # the 党组书记 and the person the finding names
    assert units_of(demotions, 8, 4) == ["省财政厅"]  # 后5位; 省生态环境厅 倒数第6位 does not fire
    assert units_of(demotions, 11, 1) == ["明坪县"]
    # 槐泉县 2 较大 (县); 玉川市 2 重大 (市); 省人力资源社会保障厅 一般 but 省政府 责任追究.
    # 渭北市 1 较大 (市) and 梅林县 1 较大 + 1 一般 (县) stay below the thresholds.
    assert units_of(demotions, 12, 1) == ["槐泉县", "玉川市", "省人力资源社会保障厅"]
    # 梅坪县 2 三级(较大) in 2023; 长河市 二级 in 2022 and 2023 (level from 类别 设区市); 金塬市 2023 only.
    assert units_of(demotions, 12, 2) == ["梅坪县", "长河市"]
    # 龙滩市 1 特别重大 (county, level from 县域监测); 云岭市 一级 2022 and 特别重大 2023.
    assert units_of(demotions, 13, 1) == ["云岭市", "龙滩市"]
    assert units_of(demotions, 13, 2) == ["清滩县"]  # 2022 and 2023; 枫原县 2023 only
    [censure] = [t for t in found(demotions, "candidates", "省人力资源社会保障厅") if t["role"] == "主要负责人"]
    assert censure["basis"].startswith("受到省政府责任追究:2023年5月30日认定 安全生产一般(省政府)")
    assert not [t for t in demotions["undetermined"] if t["article"] in (6, 11, 12, 13)]


PROMOTIONS_GOLDEN = Path(__file__).parent / "golden" / "promotions-2023.json"


@pytest.fixture(scope="module")
def promotions(db):
    result = runner.invoke(app, ["promotions", str(SAMPLE / "2023.xlsx"), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_promotions_match_golden(promotions):
    check_golden(promotions, PROMOTIONS_GOLDEN)


def test_sample_promotions_by_hand(promotions):
    # 7(2): the README's twelve units 优秀 in 2021, 2022 and 2023.
    assert len(promotions["units"]) == 12 and promotions["units"][0] == {
        "unit": "渭北市",
        "years": [2021, 2022, 2023],
        "clause": "鼓励激励办法第七条第(二)项",
        "basis": "2021、2022、2023年目标责任考核均为优秀,连续3年;2022年取自历史库2022年;2021年取自历史库2021年",
    }
    # 7(1): 14 people 优秀 all three years; 郑国彬 (第六条, named by the 党建 finding), 姚诚 (8(1) 较差) and
    # 汤秋凯 (9(1), 10(2)) are left out, 11 listed.
    assert len(promotions["cadres"]) == 11
    excluded = {e["name"]: e for e in promotions["excluded"]}
    assert excluded["郑国彬"]["reason"].startswith(
        "能上能下办法第六条第(一)项情形(未容错):2023年6月16日 党建通报批评(省委)"
    )
    assert {"姚诚", "汤秋凯"} <= set(excluded)
    # 7(3): 龙滩市 (县(市)第1名) shares first place with 石溪区 (城区第1名), but both its 主要负责人 are
    # named by 13(1) (特别重大 event): excluded; the ten places go to 石溪区, 雁原县, 雁山县, 清城区, 芦峰县.
    assert {excluded[n]["clause"] for n in ("许慧", "陆涛玲")} == {"鼓励激励办法第七条第(三)项"}
    heads = promotions["county_heads"]
    assert len(heads) == 10
    assert list(dict.fromkeys(h["unit"] for h in heads)) == ["石溪区", "雁原县", "雁山县", "清城区", "芦峰县"]
    # 雁原县 县(市)第3名 of 80: 77 counties ranked below it, 77/79 = 97.47%; not in 脱贫攻坚, so the mean is that alone.
    yanyuan = next(h for h in heads if h["unit"] == "雁原县")
    assert yanyuan["components"] == [
        {"assessment": "县域监测", "value": "县(市)第3名", "rank": 3, "count": 80, "percentile": 0.974684}
    ]
    assert yanyuan["score"] == 0.974684 and yanyuan["place"] == 3


def test_promotions_workbook_through_the_cli(db, tmp_path):
    result = runner.invoke(app, ["promotions", str(SAMPLE / "2023.xlsx"), "--db", str(db), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert "优秀县(市、区)党政正职(第七条第(三)项):10 人" in result.stdout
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "2023年度选拔重用名单.xlsx")
    assert book.sheetnames == [
        "连续三年优秀干部",
        "连续三年优秀单位",
        "优秀县区党政正职",
        "受表彰干部",
        "县区综合排名",
        "不列入",
        "未能判定",
        "提示",
    ]
    assert book["优秀县区党政正职"]["B2"].value == "石溪区" and book["不列入"].max_row == 7  # a header, 6 people
    assert [[c.value for c in row][:2] for row in book["受表彰干部"].iter_rows(min_row=2)] == [
        ["丁磊健", "秦川市"],
        ["江彬", "省发展改革委"],
    ]
    # 雁原县's score 77/79 (97.47%, see above) is a number with a percent format, not text.
    ranking = {row[1].value: row for row in book["县区综合排名"].iter_rows(min_row=2)}
    assert ranking["雁原县"][2].value == pytest.approx(77 / 79) and ranking["雁原县"][2].number_format == "0.00%"
    assert ranking["石溪区"][2].value == 1 and ranking["石溪区"][2].number_format == "0%"  # first of 25: 100%
    again = runner.invoke(app, ["promotions", str(SAMPLE / "2023.xlsx"), "--db", str(db), "--out", str(tmp_path)])
    assert again.exit_code == 2 and "--force" in again.stderr
