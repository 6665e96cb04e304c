"""The Python API (sanshi.api, `import sanshi`): the command line's functions, their frames and JSON, and the
worked example of docs/examples/analysis.md run as it is written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sanshi
from sanshi.cli import app
from sanshi.errors import InputError
from tests.conftest import write_book

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
PACK = str(SAMPLE / "local-pack.toml")
runner = CliRunner()


def cli_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def year_2023(sample_db):
    return sanshi.load_year(SAMPLE / "2023.xlsx", rules=PACK, db=sample_db)


def test_import_sanshi_loads_neither_the_api_nor_pandas_until_asked():
    code = (
        "import sys, sanshi; assert 'sanshi.api' not in sys.modules and 'pandas' not in sys.modules; "
        "sanshi.load_year; assert 'sanshi.api' in sys.modules and 'pandas' not in sys.modules"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": os.environ["PATH"]}
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("command", ["awards", "demotions", "promotions"])
def test_each_result_is_what_the_command_line_computes(year_2023, sample_db, command):
    result = getattr(sanshi, command)(year_2023)
    expected = cli_json(command, str(SAMPLE / "2023.xlsx"), "--rules", PACK, "--db", str(sample_db))
    assert json.loads(result.to_json()) == expected


def test_explain_is_what_the_command_line_says(year_2023, sample_db):
    unit = year_2023.book.table("目标责任考核").column("unit")[0]
    expected = cli_json("explain", str(SAMPLE / "2023.xlsx"), unit, "--rules", PACK, "--db", str(sample_db))
    assert json.loads(sanshi.explain(year_2023, unit).to_json()) == expected


def test_a_frame_has_the_workbooks_headers_and_exact_numbers(year_2023):
    result = sanshi.awards(year_2023)
    units = result.to_frame("target_units")
    assert list(units.columns[:8]) == ["单位", "类别", "综合得分", "组内名次", "等次", "是否优秀", "条款", "依据"]
    assert len(units) == len(result.target_units)
    first = result.target_units[0]
    row = units.iloc[0]
    assert (row["单位"], row["综合得分"], row["是否优秀"]) == (first.unit, first.score, first.excellent)
    assert all(type(score) is Decimal for score in units["综合得分"])
    awards = result.to_frame()  # the main list: the awards
    assert list(awards.columns) == ["单位", "奖项", "等级", "奖励金额(万元)", "条款", "依据", "事实"]
    assert sum(a for a in awards["奖励金额(万元)"] if a is not None) == result.total_amount_wan
    assert "target_units" in result.frame_parts() and "cuts" in result.frame_parts()


def test_several_values_in_one_field_read_as_the_workbook_writes_them(year_2023):
    promotions = sanshi.promotions(year_2023)
    cadres = promotions.to_frame()
    assert list(cadres.columns[:2]) == ["姓名", "单位"]
    for text, cadre in zip(cadres["优秀年度"], promotions.cadres):
        assert text == "、".join(str(y) for y in cadre.years)  # 2021、2022、2023
    facts = sanshi.demotions(year_2023).to_frame()["事实"]
    assert any(re.search(r"[::].+(\d{4}年)", text) for text in facts)


def test_an_unknown_part_names_those_there_are(year_2023):
    with pytest.raises(ValueError, match="没有「grades」;可选:target_units、poverty_units"):
        sanshi.awards(year_2023).to_frame("grades")


def test_a_bad_workbook_raises_with_every_problem_named(tmp_path):
    rows = [["单位", "类别", "综合得分"], ["甲市", "设区市", "九十"], ["乙市", "设区市", None]]
    path = write_book(tmp_path / "2023.xlsx", {"目标责任考核": rows})
    with pytest.raises(InputError) as raised:
        sanshi.load_year(path, db=None)
    said = "\n".join(raised.value.messages)
    assert "2023.xlsx › 目标责任考核 › C2" in said and "2023.xlsx › 目标责任考核 › C3: 综合得分 为空(必填)" in said


def test_history_frame_gives_a_stored_sheet_under_its_headers(sample_db):
    stored = sanshi.history_frame(2022, "目标责任考核", db=sample_db)
    assert stored.columns[0] == "单位" and "综合得分" in stored.columns
    assert all(type(score) is Decimal for score in stored["综合得分"])
    with pytest.raises(ValueError, match="没有「目标」表"):
        sanshi.history_frame(2022, "目标", db=sample_db)


# ---- docs/examples/analysis.md, as written ---------------------------------------------------------------------


def _blocks(text: str, language: str) -> list[str]:
    """The fenced blocks of a Markdown page in `language` ("" for a block without one), in order."""
    found = re.findall(r"^```(\w*)\n(.*?)^```$", text, flags=re.DOTALL | re.MULTILINE)
    return [body for lang, body in found if lang == language]


def test_the_analysis_example_runs_as_written(tmp_path, monkeypatch, capsys):
    page = (ROOT / "docs" / "examples" / "analysis.md").read_text(encoding="utf-8")
    (tmp_path / "sample_data").symlink_to(SAMPLE, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    (setup,) = _blocks(page, "")
    for line in setup.strip().splitlines():
        command = line.split()
        assert command[0] == "sanshi"
        assert runner.invoke(app, command[1:]).exit_code == 0
    code = _blocks(page, "python")
    assert len(code) == 5
    names: dict = {}
    for block in code:
        exec(compile(block, "analysis.md", "exec"), names)
    table, results = names["table"], names["results"]
    assert len(table) == sum(len(r.target_units) for r in results.values())
    assert set(table["年度"]) == set(results) == {2022, 2023}  # 2021 stops: no 上年名次 anywhere
    assert names["distribution"].to_numpy().sum() == len(table)
    assert "区间" in capsys.readouterr().out


def test_history_frame_lists_a_stored_sheet_through_pandas(sample_db):
    """`sanshi history frame 2022 目标责任考核`: the stored sheet as the DataFrame `sanshi.history_frame` gives,
    under the workbook's headers, empty cells as nothing, with the size of the whole."""
    done = CliRunner().invoke(app, ["history", "frame", "2022", "目标责任考核", "--db", str(sample_db)])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["单位", "综合得分", "类别", "等次", "不得评优", "考核人数", "排序"]
    assert lines[1].split() == ["秦川市", "95.46", "设区市", "66"]  # 2022.xlsx row 3; 等次, 不得评优, 排序 empty
    assert "None" not in done.stdout and "..." in done.stdout  # 52 rows: the first and last ten shown
    assert lines[-1] == "共 52 行、7 列"


def test_history_frame_writes_the_whole_sheet_as_csv_and_never_over_a_file_without_force(sample_db, tmp_path):
    target = tmp_path / "干部2022.csv"
    arguments = ["history", "frame", "2022", "干部", "--db", str(sample_db), "--csv", str(target)]
    done = CliRunner().invoke(app, arguments)
    assert done.exit_code == 0 and f"2022年「干部」470 行已写到 {target}" in done.stdout
    text = target.read_bytes()
    assert text.startswith("\ufeff姓名,单位,干部编号,职务".encode())
    assert "白建辉,秦川市,SX00001,市委书记,主要负责人,称职,称职,19,46,1,0,66,," in text.decode("utf-8-sig")
    again = CliRunner().invoke(app, arguments)
    assert again.exit_code == 2 and "输出文件已存在" in again.output and target.read_bytes() == text
    assert CliRunner().invoke(app, [*arguments, "--force"]).exit_code == 0


def test_history_frame_names_what_it_cannot_show(sample_db):
    unknown = CliRunner().invoke(app, ["history", "frame", "2022", "目标", "--db", str(sample_db)])
    assert unknown.exit_code == 2
    assert (
        "没有「目标」表;可选:目标责任考核、县域监测、脱贫攻坚、干部、责任认定、容错认定、调整记录、单位名称对照"
        in unknown.output
    )
    absent = CliRunner().invoke(app, ["history", "frame", "2022", "单位名称对照", "--db", str(sample_db)])
    assert absent.exit_code == 2 and "历史库中2022年没有「单位名称对照」表" in absent.output
