"""--fill against the same command without it (issue 24), whole processes as users run them.

What is timed
    sanshi awards|demotions BOOK --fill and the same without --fill, on the generated books of benchmarks/run.py
    (2021 and 2022 in a history store made before timing), each run N times round-robin into a fresh folder; the
    median wall time and the largest peak memory (the launcher of run.py: os.wait4 in a small interpreter).
    openpyxl load+save is openpyxl.load_workbook and Workbook.save of the same book with nothing changed: the part
    of a fill that is openpyxl's own, and the floor any fill through openpyxl has.

Run: python benchmarks/fill.py [--scales province,national] [--runs N] [--data DIR] [--work DIR] [--no-write]
It writes benchmarks/FILL.md (unless --no-write).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from generate import generate
from run import MIB, machine, run_process, sanshi_command, table

HERE = Path(__file__).resolve().parent
OPENPYXL_ROUND_TRIP = """
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], rich_text=True)
book.save(sys.argv[2])
"""
COMMANDS = ("awards", "demotions")


def bench(scale: str, runs: int, data: Path, work: Path) -> list[list[object]]:
    books = generate(scale, data)
    folder = work / scale
    folder.mkdir(parents=True, exist_ok=True)
    sanshi = [*sanshi_command()]
    db = folder / "sanshi.db"
    db.unlink(missing_ok=True)
    for year in (2021, 2022):
        run_process(
            [*sanshi, "history", "import", str(books[year]), "--db", str(db)], folder, folder / f"import-{year}"
        )
    script = folder / "round_trip.py"
    script.write_text(OPENPYXL_ROUND_TRIP, encoding="utf-8")
    pack = str(HERE / "pack.toml")
    jobs: dict[str, list[str]] = {}
    for command in COMMANDS:
        base = [*sanshi, command, str(books[2023]), "--rules", pack, "--db", str(db), "--force"]
        jobs[command] = [*base, "--out", str(folder / f"out-{command}")]
        jobs[f"{command} --fill"] = [*base, "--fill", "--out", str(folder / f"out-{command}-fill")]
    jobs["openpyxl load+save"] = [sys.executable, str(script), str(books[2023]), str(folder / "round-trip.xlsx")]
    samples: dict[str, list] = {name: [] for name in jobs}
    for run in range(runs):
        for name, argv in jobs.items():
            print(f"  {scale} {name} ({run + 1}/{runs}) ... ", end="", flush=True)
            sample = run_process(argv, folder, folder / "logs" / name.replace(" ", "_"))
            print(f"{sample.seconds:.2f} s, {sample.peak_kib / MIB:.0f} MiB", flush=True)
            samples[name].append(sample)
    rows = []
    for name, taken in samples.items():
        seconds = statistics.median(s.seconds for s in taken)
        peak = max(s.peak_kib for s in taken) / MIB
        rows.append([scale, name, f"{seconds:.2f}", f"{peak:.0f}", len(taken)])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="province,national")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--no-write", action="store_true")
    options = parser.parse_args()
    work = options.work or Path(tempfile.mkdtemp(prefix="sanshi-fill-bench-"))
    started = datetime.now(timezone.utc)
    rows = []
    for scale in options.scales.split(","):
        rows += bench(scale, options.runs, options.data, work)
    text = "\n".join(
        [
            "# --fill: the results written back into a copy of the workbook",
            "",
            f"Measured by `benchmarks/fill.py` on {started:%Y-%m-%d %H:%M} UTC; see its docstring for what is timed.",
            "",
            table(rows, ["scale", "process", "median s", "peak MiB", "runs"]),
            "",
            "A fill costs the command itself plus openpyxl reading and saving the whole workbook (every sheet, not only",
            "the sheets filled): compare `--fill` with the command and `openpyxl load+save`. What sanshi adds (placing",
            "the columns, copying the row's look, putting the formulas' saved results back) is small beside them.",
            "",
            "## Machine",
            "",
            table([list(item) for item in machine()], ["", ""]),
            "",
        ]
    )
    print(text)
    if not options.no_write:
        (HERE / "FILL.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
