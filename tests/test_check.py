"""`sanshi check` finds every stop: whatever any command would stop on for a workbook,
check says it too, in the same words, all at once; and where no command stops, check passes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sanshi.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
PACK = SAMPLE / "local-pack.toml"
TEMPLATES = ROOT / "sanshi" / "documents" / "templates"
COMMANDS = ("awards", "demotions", "promotions", "report", "notices")


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": ""})


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("错误:")]


@pytest.fixture
def damaged(tmp_path):
    """The sample year with three independent stops: two 设区市 tied on the 35% line (12 units, 4 优秀),
    鹤亭县's 上年名次 contradicting the history store (8 in 2022, swapped with 龙丰县's 9), and a local pack whose 奖励资金通知 lacks
    its 发文机关代字."""
    path = shutil.copy(SAMPLE / "2023.xlsx", tmp_path / "2023.xlsx")
    book = openpyxl.load_workbook(path)
    target = book["目标责任考核"]
    cities = sorted(
        (row for row in target.iter_rows(min_row=3) if row[1].value == "设区市"), key=lambda row: -row[2].value
    )
    assert len(cities) == 12
    cities[4][2].value = cities[3][2].value  # the 5th city scores as the 4th: a tie on the cut
    tied = sorted([cities[3][0].value, cities[4][0].value])
    monitoring = book["县域监测"]
    row = next(r for r in monitoring.iter_rows(min_row=4) if r[0].value == "鹤亭县")
    other = next(r for r in monitoring.iter_rows(min_row=4) if r[0].value == "龙丰县")
    assert row[3].value == 8
    row[3].value, other[3].value = 9, 8  # swapped: both contradict 2022 in the store
    book.save(path)
    pack = tmp_path / "pack.toml"
    text = PACK.read_text(encoding="utf-8")
    pack.write_text(
        re.sub(r'(\[documents\."奖励资金通知"\][^\[]*?)code = "[^"]*"\n', r"\1", text, flags=re.S), encoding="utf-8"
    )
    assert pack.read_text(encoding="utf-8") != text
    return Path(path), pack, tied


def test_check_says_every_stop_of_every_command_in_the_same_words(damaged, sample_db, tmp_path):
    path, pack, tied = damaged
    common = ["--rules", pack, "--db", sample_db]
    checked = invoke("check", path, *common, "--templates", TEMPLATES)
    assert checked.exit_code == 2
    said = errors(checked.stderr)
    assert checked.stderr.startswith(f"发现 {len(said)} 处问题:")
    assert len(said) == len(set(said))  # each once, though awards and promotions both cut the 35%
    assert any("、".join(tied) in line and "并列" in line for line in said), said
    assert any("鹤亭县" in line and "上年名次" in line and "9" in line and "8" in line for line in said), said
    assert any("奖励资金通知" in line and "code" in line for line in said), said
    # Whatever a command stops on, check said, word for word.
    for command in COMMANDS:
        extra = ["--templates", TEMPLATES] if command == "notices" else []
        run = invoke(command, path, *common, "--out", tmp_path / command, *extra)
        assert run.exit_code == 2, (command, run.output)
        assert errors(run.stderr), command
        missing = [line for line in errors(run.stderr) if line not in said]
        assert missing == [], (command, missing)
    assert not any((tmp_path / command).exists() for command in COMMANDS)


def test_awards_says_a_tie_and_a_contradicted_rank_together(damaged, sample_db, tmp_path):
    """Fixed independently, said together: the user does not fix one to be told of the next."""
    path, _, tied = damaged
    run = invoke("awards", path, "--db", sample_db, "--out", tmp_path)
    assert run.exit_code == 2
    said = errors(run.stderr)
    assert any("、".join(tied) in line for line in said) and any("鹤亭县" in line for line in said), said


def test_check_passes_where_every_command_runs(sample_db):
    checked = invoke("check", SAMPLE / "2023.xlsx", "--rules", PACK, "--db", sample_db, "--templates", TEMPLATES)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith("2023.xlsx:检查通过(2023年度,规则包 示例市-2023(基于 shaanxi-2018))")
    assert "已按 awards、demotions、promotions、report 和 notices 的规则试算,没有会使它们停下的问题" in checked.stdout
    # It warns of what the runs warn of: the tie the 排序 column settles.
    assert (
        "提示:目标责任考核 › 类别「省级部门」: 名额线得分92.06并列(省商务厅、省能源局),按排序列取前1个"
        in checked.stderr
    )


def test_a_pack_without_documents_is_a_note_not_a_stop(sample_db):
    checked = invoke("check", SAMPLE / "2023.xlsx", "--db", sample_db)
    assert checked.exit_code == 0, checked.output
    assert "规则包 shaanxi-2018 没有 [documents] 部分" in checked.stderr
    assert "已按 awards、demotions、promotions 和 report 的规则试算,没有会使它们停下的问题" in checked.stdout


def test_a_missing_history_year_chosen_is_a_stop_for_check_too(sample_db):
    checked = invoke("check", SAMPLE / "2023.xlsx", "--db", sample_db, "--previous-year", "2019")
    awards = invoke("awards", SAMPLE / "2023.xlsx", "--db", sample_db, "--previous-year", "2019")
    assert checked.exit_code == awards.exit_code == 2
    assert errors(awards.stderr) and set(errors(awards.stderr)) <= set(errors(checked.stderr))
