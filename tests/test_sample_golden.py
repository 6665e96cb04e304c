"""The bundled sample year end to end: history 2021-2022 imported, 2023 awarded, compared
with a checked-in golden JSON, plus the hand-checked cases the sample was built to exercise.

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
runner = CliRunner()


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    db = tmp_path_factory.mktemp("history") / "sanshi.db"
    for year in (2021, 2022):
        imported = runner.invoke(app, ["history", "import", str(SAMPLE / f"{year}.xlsx"), "--db", str(db)])
        assert imported.exit_code == 0, imported.stderr
    result = runner.invoke(app, ["awards", str(SAMPLE / "2023.xlsx"), "--db", str(db),
                                 "--rules", str(SAMPLE / "local-pack.toml"), "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_matches_golden(document):
    if os.environ.get("SANSHI_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert document == json.loads(GOLDEN.read_text(encoding="utf-8"))


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
