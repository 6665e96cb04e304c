"""The README's performance table is made from benchmarks/RESULTS.md by benchmarks/readme.py, and kept so."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench_readme", ROOT / "benchmarks" / "readme.py")
assert _spec is not None and _spec.loader is not None
readme = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(readme)

RESULTS = """# sanshi benchmarks

## Every process measured

| scale    | process                                      | runs   | median s   | min s   | max s   | peak MiB   |
|----------|----------------------------------------------|--------|------------|---------|---------|------------|
| -        | sanshi --help                                | 10     | 0.110      | 0.100   | 0.130   | 23         |
| province | sanshi history import 2021 (setup, once)     | 1      | 0.700      | 0.700   | 0.700   | 80         |
| province | sanshi awards                                | 5      | 0.900      | 0.850   | 1.000   | 84         |
| province | sanshi demotions                             | 5      | 1.250      | 1.200   | 1.300   | 100        |
| province | read (calamine)                              | 5      | 0.200      | 0.200   | 0.200   | 50         |
| province | read (fastexcel)                             | 5      | 0.150      | 0.150   | 0.150   | 40         |
| province | write awards (xlsxwriter constant memory)    | 5      | 0.600      | 0.600   | 0.600   | 20         |
| province | write awards (xlsxwriter shared strings)     | 5      | 0.450      | 0.450   | 0.450   | 30         |
| max      | sanshi demotions                             | 1      | 41.600     | 41.600  | 41.600  | 2150       |

## What each figure is
"""


def test_each_cell_is_the_median_time_and_the_peak_of_that_process():
    found = readme.measured(RESULTS)
    assert found[("province", "sanshi history import 2021")] == (0.7, 80.0)
    table = readme.block(found)
    # 0.900 s and 84 MiB; 1.25 s; 41.6 s and 2150 MiB = 2.1 GB; nothing measured is a dash.
    assert "| 省级(110 个县区、150 个单位) | 2 万 | 0.9 秒,84 MB | 1.2 秒,100 MB | - |" in table
    assert "| 上限(Excel 一张表的行数以内) | 100 万 | - | 42 秒,2.1 GB |" in table
    assert "`sanshi --help` 约 0.11 秒" in table
    # awards over the fastest read (0.15, fastexcel) + the fastest write (0.45, shared strings): 0.9 / 0.6 = 1.5.
    assert "`awards` 为其 1.5 倍" in table


def test_only_the_part_between_the_markers_is_rewritten(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text(RESULTS, encoding="utf-8")
    page = tmp_path / "README.md"
    page.write_text(f"# 前文\n\n{readme.BEGIN}\n旧表\n{readme.END}\n\n后文\n", encoding="utf-8")
    assert readme.regenerate(page, results)
    text = page.read_text(encoding="utf-8")
    assert text.startswith(f"# 前文\n\n{readme.BEGIN}\n| 规模 |") and text.endswith(f"{readme.END}\n\n后文\n")
    assert "旧表" not in text
    page.write_text("# 没有标记\n", encoding="utf-8")
    assert not readme.regenerate(page, results) and page.read_text(encoding="utf-8") == "# 没有标记\n"


def test_the_readme_shows_what_results_md_measured():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = text.split(readme.BEGIN, 1)[1].split(readme.END, 1)[0].strip()
    assert shown == readme.block(readme.measured((ROOT / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8")))
