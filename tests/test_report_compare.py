"""`sanshi report BOOK --compare OLD`: the year report's section 与公示版相比的变化, through the CLI.

The sample 公示 version (sample_data/2023-公示.xlsx) differs from 2023.xlsx in three cells a review corrected:
云岭市's 综合得分 (目标责任考核 › C5) was 94.19 and is 91.49, 汤志's 基本称职票 was 9 and is 10, and the 容错认定
row 秦组容〔2023〕7号 was missing. Worked by hand for the 设区市 group (12 units, 35% → 4 优秀):
- 云岭市 at 94.19 was 2nd (优秀); at 91.49 it is 5th, below 金塬市's unchanged 92.45: 优秀 → 良好.
- 金塬市 moves from 5th to 4th, 良好 → 优秀, with no input of its own changed: pushed by 云岭市.
- 干部优秀名额 (20% for an 优秀 unit, 15% otherwise, rounded down): 云岭市 65 × 20% = 13 → 65 × 15% = 9;
  金塬市 69 × 15% = 10 → 69 × 20% = 13; the total 417 → 416.
"""

from __future__ import annotations

import hashlib
import json
import re
import time

import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from tests.conftest import SAMPLE

runner = CliRunner()
OLD = SAMPLE / "2023-公示.xlsx"
NEW = SAMPLE / "2023.xlsx"
TITLE = "与公示版相比的变化"


def report(tmp_path, db, *extra: str):
    """Run `sanshi report 2023.xlsx` with the local pack and the sample history; the page, the manifest, the output."""
    done = runner.invoke(
        app,
        [
            "report",
            str(NEW),
            "--rules",
            str(SAMPLE / "local-pack.toml"),
            "--db",
            str(db),
            "--out",
            str(tmp_path),
            *extra,
        ],
    )
    assert done.exit_code == 0, done.output
    page = (tmp_path / "2023年度考核结果报告.html").read_text(encoding="utf-8")
    manifest = json.loads((tmp_path / "2023年度考核结果报告.manifest.json").read_text(encoding="utf-8"))
    return page, manifest, done.output


@pytest.fixture(scope="module")
def compared(sample_db, tmp_path_factory):
    return report(tmp_path_factory.mktemp("compared"), sample_db, "--compare", str(OLD))


def section(page: str) -> str:
    start = page.index('<section id="compared">')
    return page[start : page.index("</section>", start)]


def rows(html: str) -> list[list[str]]:
    """Each table row's cells as text (<br> between causes kept as a newline)."""
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if cells:
            found.append([re.sub(r"<[^>]+>", "", c.replace("<br>", "\n")) for c in cells])
    return found


def test_report_compare_has_its_section_in_the_contents(compared):
    page, _, output = compared
    assert f"<h2>{TITLE}</h2>" in page
    assert f'<a href="#compared">{TITLE}</a>' in re.search(r"<nav>.*?</nav>", page, re.S).group(0)
    assert "与公示版 2023-公示.xlsx 相比:" in output and "处结果变化" in output


def test_score_corrected_unit_loses_excellent_with_the_cell_behind_it(compared):
    """鼓励激励办法第五条第(一)项: 云岭市's corrected score 94.19 → 91.49 takes it out of the 35%."""
    page, _, _ = compared
    [yunling] = [r for r in rows(section(page)) if r[1] == "云岭市" and r[2].startswith("目标责任考核等次")]
    assert yunling[0] == "变化"
    assert yunling[3] == "优秀（得分94.19，组内第2名） → 良好（得分91.49，组内第5名）"
    assert "目标责任考核 › C5" in yunling[4] and "94.19 → 91.49" in yunling[4]


def test_unit_pushed_into_the_35_percent_is_attributed_to_the_corrected_unit(compared):
    page, _, _ = compared
    [jinyuan] = [r for r in rows(section(page)) if r[1] == "金塬市" and r[2].startswith("目标责任考核等次")]
    assert jinyuan[3].startswith("良好") and "→ 优秀" in jinyuan[3]
    assert "受 云岭市 的输入变化影响" in jinyuan[4]
    assert "›" not in jinyuan[4]  # no input cell of its own


def test_quota_and_totals_before_and_after(compared):
    page, _, _ = compared
    table = rows(section(page))
    quota = {r[1]: r[3] for r in table if len(r) == 5 and "考核人数" in r[3]}
    assert quota["云岭市"].startswith("13名") and "→ 9名" in quota["云岭市"]
    assert quota["金塬市"].startswith("10名") and "→ 13名" in quota["金塬市"]
    totals = {r[0]: r[1] for r in table if len(r) == 3}
    assert totals["干部优秀名额"] == "417 → 416"
    # Shown even when equal (the figure the committee signs): 云岭市 and 金塬市 swap places in the 优秀 list.
    before, after = totals["奖励资金合计"].split(" → ")
    assert before == after


def test_late_tolerance_and_vote_count_name_their_cells(compared):
    page, _, _ = compared
    causes = "\n".join(r[4] for r in rows(section(page)) if len(r) == 5)
    assert re.search(r"干部 › J\d+（汤志\(SX\d+\)）：基本称职票 9 → 10", causes)
    assert "容错认定 › " in causes and "新增行" in causes and "秦组容〔2023〕7号" in causes


def test_manifest_lists_the_compared_workbook_with_its_hash(compared):
    _, manifest, _ = compared
    [entry] = [i for i in manifest["inputs"] if i["kind"] == "compared"]
    assert entry["path"] == str(OLD.resolve())
    assert entry["sha256"] == hashlib.sha256(OLD.read_bytes()).hexdigest()
    assert manifest["arguments"]["compare"] == str(OLD)


def test_verify_checks_the_compared_workbook(compared, sample_db, tmp_path):
    report(tmp_path, sample_db, "--compare", str(OLD))
    done = runner.invoke(app, ["verify", str(tmp_path / "2023年度考核结果报告.manifest.json")])
    assert done.exit_code == 0, done.output
    assert "对照的工作簿" in done.output and "核对通过" in done.output


def test_same_workbook_compared_says_nothing_changed(sample_db, tmp_path):
    page, _, output = report(tmp_path, sample_db, "--compare", str(NEW))
    assert "与公示版相比，计算结果没有变化。" in section(page)
    assert "<h3>" not in section(page)
    assert "计算结果没有变化" in output


def test_without_compare_there_is_no_section(sample_db, tmp_path):
    page, manifest, _ = report(tmp_path, sample_db)
    assert TITLE not in page and 'id="compared"' not in page
    assert all(i["kind"] != "compared" for i in manifest["inputs"])


def test_compare_with_another_year_is_a_usage_error(sample_db, tmp_path):
    done = runner.invoke(
        app,
        ["report", str(NEW), "--db", str(sample_db), "--out", str(tmp_path), "--compare", str(SAMPLE / "2022.xlsx")],
    )
    assert done.exit_code == 2, done.output
    assert "2022.xlsx 是2022年度" in done.output and "同一年度" in done.output


@pytest.mark.slow
def test_compared_section_prints_each_heading_with_its_table(compared, browser, tmp_path):
    """Printed to A4: each kind's heading is on the page of its table's first row."""
    from tests.office import page_texts

    page, _, _ = compared
    html = tmp_path / "report.html"
    html.write_text(page, encoding="utf-8")
    started = time.monotonic()
    with browser.open(html) as opened:
        pdf = opened.pdf(tmp_path / "report.pdf")
    texts = [re.sub(r"\s+", "", t) for t in page_texts(pdf)]
    body = section(page)
    found = re.findall(r"<h3>(.*?)</h3>.*?<tbody>\s*<tr><td>[^<]*</td><td>([^<]*)</td>", body, re.S)
    assert len(found) == 6  # five kinds of result and the totals
    start = next(n for n, text in enumerate(texts) if TITLE in text)
    for heading, first in found:
        number = next(n for n in range(start, len(texts)) if re.sub(r"\s+", "", heading) in texts[n])
        assert re.sub(r"\s+", "", first) in texts[number], f"{heading} is parted from its table"
    assert time.monotonic() - started < 20
