"""`sanshi diff --history YEAR [--revision N --revision M]`: two imported revisions of a year compared, as two
workbooks are. The store holds the sample's 2021 and 2022, then 2023-公示.xlsx (第1版) and the final 2023.xlsx
(第2版). The 公示 version differs from the final by three cells (see tests/test_diff_xlsx.py): 云岭市 综合得分
94.19 (final 91.49), 汤志 基本称职票 9 (final 10), and the 容错认定 row 秦组容〔2023〕7号 of 碧乐县 missing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from tests.conftest import SAMPLE

WIDE = {"COLUMNS": "200"}
PUBLIC, FINAL = "2023-公示.xlsx(历史库第1版)", "2023.xlsx(历史库第2版)"


def run(*args: object):
    return CliRunner().invoke(app, [*map(str, args)], env=WIDE)


def imported(db: Path, *books: str) -> Path:
    for name in books:
        result = run("history", "import", SAMPLE / name, "--db", db)
        assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return imported(
        tmp_path_factory.mktemp("store") / "sanshi.db", "2021.xlsx", "2022.xlsx", "2023-公示.xlsx", "2023.xlsx"
    )


def test_the_last_two_revisions_by_default_with_the_cells_named_by_revision(store):
    result = run("diff", "--history", 2023, "--db", store)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"2023年度考核结果变化 · {PUBLIC} → {FINAL} · 规则包 shaanxi-2018")
    assert "· [变化] 云岭市 目标责任考核等次(设区市):优秀(得分94.19,组内第2名) → 良好(得分91.49,组内第5名)" in out
    assert f"    输入:{FINAL} › 目标责任考核 › C5(云岭市):综合得分 94.19 → 91.49" in out
    assert f"    输入:{FINAL} › 干部 › J373(汤志(SX00372)):基本称职票 9 → 10" in out
    assert f"    输入:{FINAL} › 容错认定 › 第4行:新增行 碧乐县 秦组容〔2023〕7号" in out


def test_the_same_changes_as_the_two_workbooks_themselves(store):
    # The stored tables keep each cell's address, so the comparison is the workbooks' one, only named by revision.
    stored = json.loads(run("diff", "--history", 2023, "--db", store, "--json").stdout)
    books = run("diff", SAMPLE / "2023-公示.xlsx", SAMPLE / "2023.xlsx", "--db", store, "--json")
    assert books.exit_code == 0, books.output
    text = books.stdout.replace("2023-公示.xlsx", PUBLIC).replace("2023.xlsx", FINAL)
    from_books = json.loads(text)
    assert stored["changes"] == from_books["changes"]
    assert stored["inputs"] == from_books["inputs"]
    assert stored["totals"] == from_books["totals"]
    assert len(stored["changes"]) == 9


def test_two_revisions_are_compared_in_the_order_given(store):
    out = run("diff", "--history", 2023, "--db", store, "--revision", 2, "--revision", 1).stdout
    assert out.startswith(f"2023年度考核结果变化 · {FINAL} → {PUBLIC}")
    assert "· [变化] 云岭市 目标责任考核等次(设区市):良好(得分91.49,组内第5名) → 优秀(得分94.19,组内第2名)" in out


def test_one_revision_is_compared_with_the_current_one(store):
    out = run("diff", "--history", 2023, "--db", store, "--revision", 1).stdout
    assert out.startswith(f"2023年度考核结果变化 · {PUBLIC} → {FINAL}")


def test_a_what_if_on_the_later_revision_is_marked(store):
    result = run("diff", "--history", 2023, "--db", store, "--set", "target.excellent_ratio=30%")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("【测算,非正式结果】target.excellent_ratio 35%→30%")


def test_the_manifest_pins_both_revisions_and_verify_holds_after_another_import(tmp_path, store):
    db = tmp_path / "sanshi.db"
    shutil.copy(store, db)
    out = tmp_path / "out"
    result = run("diff", "--history", 2023, "--db", db, "--out", out)
    assert result.exit_code == 0, result.output
    [manifest] = out.glob("*.manifest.json")
    document = json.loads(manifest.read_text(encoding="utf-8"))
    history = [
        (i["year"], i["revision"], i["source"], i.get("pinned")) for i in document["inputs"] if i["kind"] == "history"
    ]
    assert history == [
        (2023, 1, "2023-公示.xlsx", True),
        (2023, 2, "2023.xlsx", True),
        (2021, 1, "2021.xlsx", None),
        (2022, 1, "2022.xlsx", None),
    ]
    assert document["arguments"]["history"] == 2023 and document["arguments"]["year"] is None  # as typed
    assert not [i for i in document["inputs"] if i["kind"] in ("workbook", "compared")]
    # A third 2023 revision makes 第2版 no longer current; a rerun with the same options would compare 第2、3版,
    # but the two revisions the manifest names are unchanged, and those are what it pins.
    imported(db, "2023-公示.xlsx")
    verified = run("verify", manifest)
    assert verified.exit_code == 0, verified.output
    assert "历史库 2023年第1版" in verified.stdout and "已改动" not in verified.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--revision", 5], "中没有2023年的第5版(现有:第1版、第2版)"),
        (["--revision", 1, "--revision", 2, "--revision", 2], "--revision 最多给两次(原版本、现版本),现在给了3次"),
        ([SAMPLE / "2023.xlsx"], "--history 比较的是历史库中的两个版本,不再给工作簿"),
        (["--year", 2022], "--year 2022 与 --history 2023 不一致"),
    ],
)
def test_bad_history_options_are_usage_errors(store, args, message):
    result = run("diff", "--history", 2023, "--db", store, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_revision_without_history_is_a_usage_error():
    result = run("diff", SAMPLE / "2023-公示.xlsx", SAMPLE / "2023.xlsx", "--revision", 1)
    assert result.exit_code == 2
    assert "--revision 只与 --history 同用" in result.stderr


def test_a_year_with_one_revision_has_nothing_to_compare(tmp_path):
    db = imported(tmp_path / "sanshi.db", "2022.xlsx", "2023.xlsx")
    result = run("diff", "--history", 2023, "--db", db)
    assert result.exit_code == 2
    assert "历史库中2023年只有第1版,没有可比较的另一版" in result.stderr
    result = run("diff", "--history", 2021, "--db", db)
    assert result.exit_code == 2
    assert "中没有2021年的数据" in result.stderr


def test_a_missing_store_is_named(tmp_path):
    result = run("diff", "--history", 2023, "--db", tmp_path / "none.db")
    assert result.exit_code == 2
    assert "none.db 不存在" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_aliases_rename_the_stored_units_as_they_rename_a_workbook(tmp_path, store):
    aliases = tmp_path / "对照.csv"
    aliases.write_text("别名,规范名称\n云岭市,云岭新区\n", encoding="utf-8")
    result = run("diff", "--history", 2023, "--db", store, "--aliases", aliases)
    assert result.exit_code == 0, result.output
    assert (
        "· [变化] 云岭新区 目标责任考核等次(设区市):优秀(得分94.19,组内第2名) → 良好(得分91.49,组内第5名)"
        in result.stdout
    )
    assert "云岭市" not in result.stdout
