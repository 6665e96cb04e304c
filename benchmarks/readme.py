"""The README's performance table, regenerated from benchmarks/RESULTS.md (run by benchmarks/run.py after a run
with the three data scales, or by hand: python benchmarks/readme.py).

It reads the table "Every process measured" (median seconds and peak MiB of every process) and rewrites the part
of README.md between the two markers below; everything else in the README is left as it is.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
RESULTS = HERE / "RESULTS.md"
BEGIN = "<!-- 下表由 benchmarks/readme.py 按 benchmarks/RESULTS.md 生成,请勿手改 -->"
END = "<!-- 性能表结束 -->"

SCALES = (
    ("province", "省级(110 个县区、150 个单位)", "2 万"),
    ("national", "全国(2900 个县区、1500 个单位)", "20 万"),
    ("max", "上限(Excel 一张表的行数以内)", "100 万"),
)
COMMANDS = (
    ("sanshi awards", "`awards`"),
    ("sanshi demotions", "`demotions`"),
    ("sanshi promotions", "`promotions`"),
    ("sanshi explain", "`explain` 一个单位"),
    ("sanshi report", "`report`"),
    ("sanshi diff", "`diff`"),
    ("sanshi history import 2023", "`history import` 一年"),
)


def measured(results: str) -> dict[tuple[str, str], tuple[float, float]]:
    """(scale, process) -> (median seconds, peak MiB) from RESULTS.md's table of every process."""
    section = results.split("## Every process measured", 1)[1].split("\n## ", 1)[0]
    found = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 7 and re.fullmatch(r"[\d.]+", cells[3]):
            scale, process, _, median, _, _, peak = cells
            found[(scale, process.removesuffix(" (setup, once)"))] = (float(median), float(peak))
    return found


def seconds(value: float) -> str:
    return f"{value:.1f} 秒" if value < 10 else f"{value:.0f} 秒"


def memory(mib: float) -> str:
    return f"{mib:.0f} MB" if mib < 1000 else f"{mib / 1024:.1f} GB"


def block(found: dict[tuple[str, str], tuple[float, float]]) -> str:
    """The Markdown between the markers: one row per scale, each cell the time and the peak memory."""
    lines = [
        "| 规模 | 干部 | " + " | ".join(label for _, label in COMMANDS) + " |",
        "|---|---|" + "---|" * len(COMMANDS),
    ]
    for scale, label, cadres in SCALES:
        cells = []
        for process, _ in COMMANDS:
            if (scale, process) in found:
                median, peak = found[(scale, process)]
                cells.append(f"{seconds(median)},{memory(peak)}")
            else:
                cells.append("-")
        lines.append(f"| {label} | {cadres} | " + " | ".join(cells) + " |")
    notes = []
    if ("-", "sanshi --help") in found:
        notes.append(f"`sanshi --help` 约 {found[('-', 'sanshi --help')][0]:.2f} 秒")
    again = [
        found[(s, "sanshi history import 2023 (identical again)")][0]
        for s, _, _ in SCALES
        if (s, "sanshi history import 2023 (identical again)") in found
    ]
    if again:
        notes.append(f"重复导入同一文件(只比较哈希)不超过 {max(again):.1f} 秒")
    if ("notices", "sanshi notices") in found:
        notes.append(f"`notices` 一千余份公文约 {found[('notices', 'sanshi notices')][0]:.0f} 秒")
    if ("national", "sanshi notices") in found:
        notes.append(f"全国规模的全部公文约 {found[('national', 'sanshi notices')][0]:.0f} 秒")
    lines += ["", "每格为整个进程的时间(含 Python 启动)和内存峰值。" + ";".join(notes) + "。" if notes else ""]
    ratios = floor_ratios(found)
    if ratios:
        lines += [
            "",
            "与只读入、写出同样数据的最快做法相比(fastexcel 读入输入工作簿,加 XlsxWriter 写出同样的结果工作簿,"
            "两个独立进程):" + ";".join(ratios) + "。",
        ]
    return "\n".join(lines)


def floor_ratios(found: dict[tuple[str, str], tuple[float, float]]) -> list[str]:
    """awards and demotions over their read + write floor, as the range over the scales measured."""
    texts = []
    for command in ("awards", "demotions"):
        ratios = []
        for scale, _, _ in SCALES:
            reads = [found[(scale, r)][0] for r in ("read (calamine)", "read (fastexcel)") if (scale, r) in found]
            writes = [
                found[(scale, f"write {command} (xlsxwriter {mode})")][0]
                for mode in ("constant memory", "shared strings")
                if (scale, f"write {command} (xlsxwriter {mode})") in found
            ]
            if reads and writes and (scale, f"sanshi {command}") in found:
                ratios.append(found[(scale, f"sanshi {command}")][0] / (min(reads) + min(writes)))
        if ratios:
            low, high = min(ratios), max(ratios)
            texts.append(
                f"`{command}` 为其 {low:.1f}–{high:.1f} 倍" if high - low >= 0.05 else f"`{command}` 为其 {low:.1f} 倍"
            )
    return texts


def regenerate(readme: Path = README, results: Path = RESULTS) -> bool:
    """Rewrite the README's block from RESULTS.md; False (README untouched) when either marker is missing."""
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        return False
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    table = block(measured(results.read_text(encoding="utf-8")))
    readme.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", encoding="utf-8")
    return True


if __name__ == "__main__":
    if not regenerate():
        sys.exit(f"README.md 中没有 {BEGIN} 和 {END} 两个标记")
    print(f"已按 {RESULTS} 更新 {README} 的性能表")
