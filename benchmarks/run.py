"""Benchmark runner: sanshi against the fastest read and write of the same data, whole processes.

What is timed
    Every measurement is a whole process, started with subprocess.Popen and reaped with os.wait4: the wall
    time from start to exit (interpreter start and imports included) and that child's own peak resident
    memory (ru_maxrss from wait4; not RUSAGE_CHILDREN, which is a maximum over every child ever reaped).
    Popen and wait4 run in a small launcher interpreter, not in this runner (see LAUNCHER for why).
    Each process runs N times, round-robin with the others of its scale; the tables give the median time
    and the largest peak memory of the N runs.

sanshi (the console script next to sys.executable, as users run it; --rules benchmarks/pack.toml)
    awards, demotions     at the scales province, national, max (year 2023; 2021 and 2022 in a fresh history
                          store made by `sanshi history import`, timed once and reported apart)
    diff                  a copy of 2023.xlsx against it (both read and computed), JSON to stdout
    promotions, explain,  at the same scales (explain: the first unit of 目标责任考核); notices also at national
    report, notices
    history import 2023   into a copy of the store with 2021 and 2022 (copied before each run, not timed), and
                          again into a store that already holds that file (a hash comparison)
    notices               at the scale notices (about 1,000 documents: .docx and .html, the default)
    --help, usage error   `sanshi --help` and `sanshi awards` without a workbook (exit code 2)

Baselines, each a separate process on the same files in the same run
    read (calamine)       python-calamine: every sheet sanshi reads (the 7 data sheets) into Python lists
    read (fastexcel)      fastexcel: load_sheet(header_row=None) per sheet, then the Arrow C data interface
                          (__arrow_c_array__), which builds the Arrow arrays; pyarrow is not needed for that
    fastest read          the faster of the two medians
    write                 xlsxwriter (write_row) of every cell that sanshi's output workbook holds, unpickled
                          from a dump made outside timing with python-calamine; in constant_memory mode and in
                          its default (shared strings) mode, the faster of the two medians is "fastest write"
    naive                 pandas.read_excel(engine="openpyxl") of the 7 input sheets, then DataFrame.to_excel
                          with pd.ExcelWriter(engine="openpyxl") of the same output cells

Run: python benchmarks/run.py [--scales province,notices,national] [--runs N] [--quick] [--data DIR]
                              [--work DIR] [--no-write]
It writes benchmarks/RESULTS.md (unless --no-write). The max scale (1,000,000 cadres) is opt-in: it takes
many minutes to generate and to run.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from tabulate import tabulate

from generate import HEADERS, SCALES, generate

HERE = Path(__file__).resolve().parent
PACK = HERE / "pack.toml"
RESULTS = HERE / "RESULTS.md"
INPUT_SHEETS = json.dumps(list(HEADERS), ensure_ascii=False)  # the 7 data sheets sanshi reads, as one argument
DEFAULT_SCALES = ("province", "notices", "national")
DEFAULT_RUNS = {"province": 5, "notices": 5, "national": 3, "max": 1}
STARTUP_RUNS = 10
MIB = 1024  # ru_maxrss is in KiB on Linux
# XlsxWriter row by row: in constant memory (inline strings) and in its default mode (shared strings), whichever
# is faster for the data is "the fastest write".
# The naive path is not run at the max scale: openpyxl takes many minutes over a million rows, and no target
# compares with it there.
NO_NAIVE = ("max",)
WRITE_MODES = ("constant_memory", "shared_strings")
OUTPUT_BOOKS = {"awards": "2023年度考核奖励结果.xlsx", "demotions": "2023年度能下触发名单.xlsx"}
PACKAGES = ("sanshi", "python-calamine", "fastexcel", "xlsxwriter", "openpyxl", "pandas")

# ---- the baseline processes: small scripts written into the work directory -------------------------------

BASELINE_SCRIPTS = {
    "read_calamine": """
import json, sys
from python_calamine import CalamineWorkbook
book, names = sys.argv[1], json.loads(sys.argv[2])
workbook = CalamineWorkbook.from_path(book)
data = {name: workbook.get_sheet_by_name(name).to_python() for name in names}
print(json.dumps({name: [len(rows), max(map(len, rows), default=0)] for name, rows in data.items()}))
""",
    "read_fastexcel": """
import json, sys
import fastexcel
book, names = sys.argv[1], json.loads(sys.argv[2])
reader = fastexcel.read_excel(book)
sheets, arrays = {}, {}
for name in names:
    sheets[name] = reader.load_sheet(name, header_row=None)
    arrays[name] = sheets[name].__arrow_c_array__()  # builds the Arrow arrays (no pyarrow needed)
print(json.dumps({name: [sheet.height, sheet.width] for name, sheet in sheets.items()}))
""",
    "write_xlsxwriter": """
import pickle, sys
import xlsxwriter
tables, out, constant_memory = sys.argv[1], sys.argv[2], sys.argv[3] == "constant_memory"
with open(tables, "rb") as handle:
    sheets = pickle.load(handle)
workbook = xlsxwriter.Workbook(out, {"constant_memory": constant_memory, "strings_to_formulas": False,
                                     "strings_to_urls": False, "default_date_format": "yyyy-mm-dd"})
for name, rows in sheets.items():
    worksheet = workbook.add_worksheet(name)
    for r, row in enumerate(rows):
        worksheet.write_row(r, 0, row)
workbook.close()
""",
    "naive_pandas": """
import pickle, sys, json
import pandas as pd
book, names, tables, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
frames = pd.read_excel(book, sheet_name=names, engine="openpyxl", header=None)
with open(tables, "rb") as handle:
    sheets = pickle.load(handle)
with pd.ExcelWriter(out, engine="openpyxl") as writer:
    for name, rows in sheets.items():
        pd.DataFrame(rows).to_excel(writer, sheet_name=name, header=False, index=False)
print(json.dumps({name: list(frame.shape) for name, frame in frames.items()}))
""",
    # Not timed: sanshi's output workbook as {sheet: rows} for the write baselines (empty cells as None).
    "dump_output": """
import json, pickle, sys
from python_calamine import CalamineWorkbook
book, tables = sys.argv[1], sys.argv[2]
workbook = CalamineWorkbook.from_path(book)
sheets = {name: [[None if value == "" else value for value in row]
                 for row in workbook.get_sheet_by_name(name).to_python()] for name in workbook.sheet_names}
with open(tables, "wb") as handle:
    pickle.dump(sheets, handle, protocol=pickle.HIGHEST_PROTOCOL)
print(json.dumps({name: [len(rows), max(map(len, rows), default=0)] for name, rows in sheets.items()}))
""",
}


def write_scripts(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, source in BASELINE_SCRIPTS.items():
        paths[name] = folder / f"{name}.py"
        paths[name].write_text(source.lstrip(), encoding="utf-8")
    return paths


# ---- running and measuring one process -------------------------------------------------------------------


class CommandFailed(SystemExit):
    pass


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_kib: int


@dataclass
class Job:
    """One process to measure: argv, the exit code it must give, and untimed work before each run."""

    name: str
    argv: list[str]
    expect: int = 0
    before: Callable[[], None] | None = None


@dataclass
class Measure:
    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_mib(self) -> float:
        return max(s.peak_kib for s in self.samples) / MIB


def sanshi_command() -> list[str]:
    """The console script users run; `python -m sanshi` where it is missing."""
    script = Path(sys.executable).parent / "sanshi"
    return [str(script)] if script.exists() else [sys.executable, "-m", "sanshi"]


# Starts one measured process and reports its wall time, exit code and peak RSS (ru_maxrss from os.wait4).
# It runs in a fresh, small interpreter (-I -S, stdlib only) rather than in this one because Linux charges a
# child, at exec, with the high-water RSS of the process it was forked from: started from here, every child
# would "peak" at least at this runner's own peak (the generator builds whole workbooks in memory). From the
# launcher the floor is the launcher's own, about 11 MiB, below any Python process's own. Its start-up is not timed.
LAUNCHER = """
import json, os, subprocess, sys, time
spec = json.loads(sys.argv[1])
with open(spec["out"], "wb") as out, open(spec["err"], "wb") as err:
    start = time.perf_counter()
    process = subprocess.Popen(spec["argv"], cwd=spec["cwd"], stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: Popen must not wait again
print(json.dumps({"seconds": seconds, "exit_code": process.returncode, "peak_kib": usage.ru_maxrss}))
"""


def fail(message: str, log: Path) -> None:
    tail = log.read_text(encoding="utf-8", errors="replace")[-4000:] if log.exists() else ""
    print(f"\nFAILED: {message}\n--- {log} (end) ---\n{tail}", file=sys.stderr)
    raise CommandFailed(1)


def run_process(argv: list[str], cwd: Path, log: Path, expect: int = 0) -> Sample:
    """Run argv to completion (stdout and stderr to log.out / log.err); its wall time and own peak RSS."""
    log.parent.mkdir(parents=True, exist_ok=True)
    err = log.with_name(log.name + ".err")
    spec = {"argv": argv, "cwd": str(cwd), "out": str(log.with_name(log.name + ".out")), "err": str(err)}
    launcher = subprocess.run(
        [sys.executable, "-I", "-S", "-c", LAUNCHER, json.dumps(spec)], capture_output=True, text=True, check=False
    )
    if launcher.returncode != 0:
        launcher_log = log.with_name(log.name + ".launcher.err")
        launcher_log.write_text(launcher.stderr, encoding="utf-8")
        fail(f"could not start {' '.join(argv)}", launcher_log)
    report = json.loads(launcher.stdout)
    if report["exit_code"] != expect:
        killed = f" (killed by signal {-report['exit_code']})" if report["exit_code"] < 0 else ""
        fail(f"exit code {report['exit_code']}{killed}, expected {expect}: {' '.join(argv)}", err)
    return Sample(report["seconds"], report["peak_kib"])


def last_stdout(log: Path) -> dict:
    return json.loads(log.with_name(log.name + ".out").read_text(encoding="utf-8"))


def measure(
    jobs: list[Job], runs: int, cwd: Path, logs: Path, measures: dict[str, Measure], each_run: bool = True
) -> None:
    """Run the jobs round-robin until each has `runs` samples (jobs measured before keep theirs).

    Progress: a line per run, or (each_run=False, for the quick start-up processes) a line per job at the end.
    """
    for job in jobs:
        measures.setdefault(job.name, Measure(job.name))
    for round_ in range(1, runs + 1):
        for job in jobs:
            measure_ = measures[job.name]
            if len(measure_.samples) >= round_:
                continue
            if job.before:
                job.before()
            if each_run:
                print(f"    {job.name:<34} run {round_}/{runs} ", end="", flush=True)
            sample = run_process(job.argv, cwd, logs / job.name, job.expect)
            measure_.samples.append(sample)
            if each_run:
                print(f"{sample.seconds:8.2f} s {sample.peak_kib / MIB:6.0f} MiB", flush=True)
    if not each_run:
        for job in jobs:
            measure_ = measures[job.name]
            print(
                f"    {job.name:<34} {runs} runs, median {measure_.median:.3f} s {measure_.peak_mib:6.0f} MiB",
                flush=True,
            )


# ---- one scale --------------------------------------------------------------------------------------------


@dataclass
class ScaleResult:
    name: str
    cadres: int
    runs: int
    input_mb: float
    measures: dict[str, Measure]
    imports: list[tuple[str, Sample]]
    input_sizes: dict[str, list[int]]  # sheet: [rows, columns], title and header rows included
    output_sizes: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # command: sheet: [rows, cols]
    documents: int = 0

    def median(self, name: str) -> float:
        return self.measures[name].median

    def fastest_write(self, command: str) -> tuple[str, float]:
        best = min((f"write {command} (xlsxwriter {mode.replace('_', ' ')})" for mode in WRITE_MODES), key=self.median)
        return best, self.median(best)

    @property
    def fastest_read(self) -> tuple[str, float]:
        candidates = [n for n in ("read (calamine)", "read (fastexcel)") if n in self.measures]
        best = min(candidates, key=self.median)
        return best, self.median(best)


@dataclass
class Setup:
    books: dict[int, Path]
    db: Path
    imports: list[tuple[str, Sample]]
    input_sizes: dict[str, list[int]]  # sheet of 2023.xlsx: [rows, columns], title and header rows included


def prepare(scale: str, data: Path, folder: Path, sanshi: list[str], scripts: dict[str, Path]) -> Setup:
    """Not timed: the books (generated or cached), their sheet sizes (a calamine read, which also puts 2023.xlsx
    in the page cache before the first timed run) and a fresh history store with 2021 and 2022."""
    started = time.perf_counter()
    print(f"  generating (or reusing) {data / scale} ...", flush=True)
    books = generate(scale, data)
    print(f"  books ready in {time.perf_counter() - started:.1f} s", flush=True)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = folder / "logs" / "input-sizes"
    run_process([sys.executable, str(scripts["read_calamine"]), str(books[2023]), INPUT_SHEETS], folder, sizes)
    db = folder / "sanshi.db"
    db.unlink(missing_ok=True)
    imports = []
    for year in (2021, 2022):
        print(f"  sanshi history import {year} ... ", end="", flush=True)
        sample = run_process(
            [*sanshi, "history", "import", str(books[year]), "--db", str(db)],
            folder,
            folder / "logs" / f"history-import-{year}",
        )
        print(f"{sample.seconds:.2f} s, {sample.peak_kib / MIB:.0f} MiB", flush=True)
        imports.append((f"history import {year}", sample))
    return Setup(books, db, imports, last_stdout(sizes))


def clear(folder: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(folder, ignore_errors=True)


def bench_scale(
    scale: str, runs: int, data: Path, work: Path, sanshi: list[str], scripts: dict[str, Path]
) -> ScaleResult:
    folder = work / scale
    logs = folder / "logs"
    setup = prepare(scale, data, folder, sanshi, scripts)
    book, db = setup.books[2023], setup.db
    result = ScaleResult(
        scale, SCALES[scale].cadres, runs, book.stat().st_size / 1e6, {}, setup.imports, setup.input_sizes
    )
    out = folder / "out"
    py = sys.executable

    if scale == "notices":
        documents = out / "2023年度公文"
        notices = Job(
            "sanshi notices",
            [*sanshi, "notices", str(book), "--rules", str(PACK), "--db", str(db), "--out", str(out), "--force"],
            before=clear(documents),
        )
        measure([notices], runs, folder, logs, result.measures)
        result.documents = sum(1 for _ in documents.rglob("*.docx"))
        return result

    commands = {
        "awards": [*sanshi, "awards", str(book), "--rules", str(PACK), "--db", str(db), "--out", str(out), "--force"],
        "demotions": [*sanshi, "demotions", str(book), "--db", str(db), "--out", str(out), "--force"],
    }
    first = [Job(f"sanshi {command}", argv) for command, argv in commands.items()]
    measure(first, 1, folder, logs, result.measures)  # the first runs give the output the write baselines copy

    # diff of two versions of the year: a copy of the book (another path, so it is read and computed twice, as two
    # versions would be) against the book, JSON to stdout (no workbook written).
    version = folder / "2023-copy.xlsx"
    shutil.copy(book, version)
    diff = Job(
        "sanshi diff",
        [*sanshi, "diff", str(version), str(book), "--rules", str(PACK), "--db", str(db), "--json"],
    )
    jobs = [*first, diff, *other_jobs(scale, book, db, folder, sanshi)]
    jobs += [
        Job("read (calamine)", [py, str(scripts["read_calamine"]), str(book), INPUT_SHEETS]),
        Job("read (fastexcel)", [py, str(scripts["read_fastexcel"]), str(book), INPUT_SHEETS]),
    ]
    for command in commands:
        tables = folder / f"{command}-output.pickle"
        print(f"  dumping {OUTPUT_BOOKS[command]} for the write baselines (not timed)", flush=True)
        dump = logs / f"dump-{command}"
        run_process([py, str(scripts["dump_output"]), str(out / OUTPUT_BOOKS[command]), str(tables)], folder, dump)
        result.output_sizes[command] = last_stdout(dump)
        jobs += [
            Job(
                f"write {command} (xlsxwriter {mode.replace('_', ' ')})",
                [py, str(scripts["write_xlsxwriter"]), str(tables), str(folder / f"baseline-{command}.xlsx"), mode],
            )
            for mode in WRITE_MODES
        ]
        if scale not in NO_NAIVE:
            jobs.append(
                Job(
                    f"naive {command} (pandas+openpyxl)",
                    [
                        py,
                        str(scripts["naive_pandas"]),
                        str(book),
                        INPUT_SHEETS,
                        str(tables),
                        str(folder / f"naive-{command}.xlsx"),
                    ],
                )
            )
    measure(jobs, runs, folder, logs, result.measures)
    return result


# The other commands that read the year with its history (issue 23), measured against the same floor as demotions
# (the fastest read of 2023.xlsx + the fastest write of the 能下 workbook). notices runs at the national scale only:
# it writes one document per person a rule names, thousands of files, so "max" would measure the file system.
OTHER_COMMANDS = ("promotions", "explain", "report", "notices")
NOTICES_SCALES = ("national",)
IMPORT = "sanshi history import 2023"
REIMPORT = "sanshi history import 2023 (identical again)"


def first_unit(book: Path) -> str:
    """The first unit of the book's 目标责任考核 sheet (title row, header row, then the rows): whom explain asks about."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("目标责任考核").to_python()
    return str(rows[2][0])


def other_jobs(scale: str, book: Path, db: Path, folder: Path, sanshi: list[str]) -> list[Job]:
    """promotions, explain of one unit, report (and notices at NOTICES_SCALES), each with its own output folder;
    history import of the year into a copy of the store with 2021 and 2022 (made before each run, not timed), and
    the same import into a store that already holds that very file (a hash comparison)."""
    common = ["--rules", str(PACK), "--db", str(db)]
    out = {name: folder / f"out-{name}" for name in OTHER_COMMANDS}
    jobs = [
        Job(
            "sanshi promotions", [*sanshi, "promotions", str(book), *common, "--out", str(out["promotions"]), "--force"]
        ),
        Job("sanshi explain", [*sanshi, "explain", str(book), first_unit(book), *common]),
        Job("sanshi report", [*sanshi, "report", str(book), *common, "--out", str(out["report"]), "--force"]),
    ]
    if scale in NOTICES_SCALES:
        documents = out["notices"] / "2023年度公文"
        jobs.append(
            Job(
                "sanshi notices",
                [*sanshi, "notices", str(book), *common, "--out", str(out["notices"]), "--force"],
                before=clear(documents),
            )
        )
    fresh, again = folder / "import.db", folder / "again.db"

    def copy_store() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{fresh}{suffix}").unlink(missing_ok=True)
        shutil.copy(db, fresh)

    shutil.copy(db, again)
    print("  importing 2023 into a copy of the store for the identical re-import (not timed)", flush=True)
    run_process([*sanshi, "history", "import", str(book), "--db", str(again)], folder, folder / "logs" / "again")
    jobs += [
        Job(IMPORT, [*sanshi, "history", "import", str(book), "--db", str(fresh)], before=copy_store),
        Job(REIMPORT, [*sanshi, "history", "import", str(book), "--db", str(again)]),
    ]
    return jobs


def bench_startup(work: Path, sanshi: list[str]) -> dict[str, Measure]:
    folder = work / "startup"
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [
        Job("python -c pass", [sys.executable, "-c", "pass"]),
        Job("sanshi --help", [*sanshi, "--help"]),
        Job("sanshi awards (usage error)", [*sanshi, "awards"], expect=2),
    ]
    measures: dict[str, Measure] = {}
    measure(jobs, STARTUP_RUNS, folder, folder / "logs", measures, each_run=False)
    return measures


# ---- tables -----------------------------------------------------------------------------------------------

AWARD_TARGETS = {  # scale: (max ratio to read+write, max ratio to naive, max peak MiB, text)
    "province": (1.5, 0.4, None, "<= 1.5x r+w, <= 0.4x naive"),
    "national": (1.3, None, 1024, "<= 1.3x r+w, peak < 1 GiB"),
    "max": (None, None, 4096, "completes, peak < 4 GiB"),
}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def command_rows(results: list[ScaleResult]) -> list[list[object]]:
    rows = []
    for result in results:
        if result.name == "notices":
            continue
        read_name, read = result.fastest_read
        for command in OUTPUT_BOOKS:
            sanshi = result.median(f"sanshi {command}")
            write_name, write = result.fastest_write(command)
            naive = result.median(f"naive {command} (pandas+openpyxl)") if result.name not in NO_NAIVE else None
            peak = result.measures[f"sanshi {command}"].peak_mib
            target, status = "-", ""
            if command == "awards" and result.name in AWARD_TARGETS:
                max_rw, max_naive, max_peak, target = AWARD_TARGETS[result.name]
                status = verdict(
                    (max_rw is None or sanshi / (read + write) <= max_rw)
                    and (max_naive is None or (naive is not None and sanshi / naive <= max_naive))
                    and (max_peak is None or peak < max_peak)
                )
            write_mode = write_name.split("(xlsxwriter ")[1][:-1]
            rows.append(
                [
                    result.name,
                    command,
                    result.runs,
                    f"{sanshi:.2f}",
                    f"{read:.2f} ({read_name[6:-1]})",
                    f"{write:.2f} ({write_mode})",
                    f"{read + write:.2f}",
                    f"{naive:.2f}" if naive else "-",
                    f"{sanshi / (read + write):.2f}x",
                    f"{sanshi / naive:.2f}x" if naive else "-",
                    f"{peak:.0f}",
                    target,
                    status,
                ]
            )
    return rows


# The issue's bound: diff runs both versions once each, so at most 2.2x one awards + demotions run.
DIFF_TARGET = 2.2


def diff_rows(results: list[ScaleResult]) -> list[list[object]]:
    rows = []
    for result in results:
        if result.name == "notices" or "sanshi diff" not in result.measures:
            continue
        diff = result.median("sanshi diff")
        both = result.median("sanshi awards") + result.median("sanshi demotions")
        rows.append(
            [
                result.name,
                result.runs,
                f"{diff:.2f}",
                f"{both:.2f}",
                f"{diff / both:.2f}x",
                f"{result.measures['sanshi diff'].peak_mib:.0f}",
                f"<= {DIFF_TARGET}x",
                verdict(diff / both <= DIFF_TARGET),
            ]
        )
    return rows


OTHER_TARGET = 2.5  # promotions, explain, report, notices: each at most 2.5x the demotions floor at national
DEMOTIONS_TARGET = 2.0  # demotions: at most 2.0x its read + write floor at every scale, peak < 1.5 GB at max
IMPORT_TARGET = 2.0  # history import of the year: at most 2x the fastest read of the workbook (max), peak < 1.5 GB
REIMPORT_TARGET = 0.5  # seconds, at any scale
PEAK_LIMIT_MIB = 1.5 * 1000**3 / 1024**2  # 1.5 GB


def floor(result: ScaleResult, command: str = "demotions") -> float:
    return result.fastest_read[1] + result.fastest_write(command)[1]


def issue_23_rows(results: list[ScaleResult]) -> list[list[object]]:
    """Every command that reads the year with its history, against its floor, with the issue's target."""
    rows = []
    for result in results:
        if result.name == "notices":
            continue
        read = result.fastest_read[1]
        demotions_floor = floor(result)

        def row(name: str, base: float, base_text: str, target: str, ok: bool | None) -> list[object]:
            seconds = result.median(name)
            return [
                result.name,
                name.removeprefix("sanshi "),
                f"{seconds:.2f}",
                f"{base:.2f} ({base_text})",
                f"{seconds / base:.2f}x" if base else "-",
                f"{result.measures[name].peak_mib:.0f}",
                target,
                "" if ok is None else verdict(ok),
            ]

        demotions = result.median("sanshi demotions")
        peak_ok = result.name != "max" or result.measures["sanshi demotions"].peak_mib < PEAK_LIMIT_MIB
        rows.append(
            row(
                "sanshi demotions",
                demotions_floor,
                "read+write",
                f"<= {DEMOTIONS_TARGET}x" + (", peak < 1.5 GB" if result.name == "max" else ""),
                demotions / demotions_floor <= DEMOTIONS_TARGET and peak_ok,
            )
        )
        for command in OTHER_COMMANDS:
            name = f"sanshi {command}"
            if name not in result.measures:
                continue
            national = result.name == "national"
            ok = result.median(name) / demotions_floor <= OTHER_TARGET if national else None
            if command == "explain" and national:
                ok = bool(ok) and result.median(name) <= demotions
            target = f"<= {OTHER_TARGET}x" + (", <= demotions" if command == "explain" else "") if national else "-"
            rows.append(row(name, demotions_floor, "read+write", target, ok))
        imported = result.median(IMPORT)
        at_max = result.name == "max"
        peak = result.measures[IMPORT].peak_mib
        rows.append(
            row(
                IMPORT,
                read,
                "fastest read",
                f"<= {IMPORT_TARGET}x, peak < 1.5 GB" if at_max else "-",
                imported / read <= IMPORT_TARGET and peak < PEAK_LIMIT_MIB if at_max else None,
            )
        )
        again = result.median(REIMPORT)
        rows.append(row(REIMPORT, read, "fastest read", f"<= {REIMPORT_TARGET} s", again <= REIMPORT_TARGET))
    return rows


ISSUE_23_HEADERS = ["scale", "command", "sanshi s", "floor s", "sanshi / floor", "peak MiB", "target", "result"]


DIFF_HEADERS = [
    "scale",
    "runs",
    "diff s",
    "awards + demotions s",
    "diff / (awards + demotions)",
    "peak MiB",
    "target",
    "result",
]


COMMAND_HEADERS = [
    "scale",
    "command",
    "runs",
    "sanshi s",
    "fastest read s",
    "write s",
    "read+write s",
    "naive s",
    "sanshi / r+w",
    "sanshi / naive",
    "peak MiB",
    "target",
    "result",
]


def startup_rows(startup: dict[str, Measure], results: list[ScaleResult]) -> list[list[object]]:
    rows = []
    for name, measure_ in startup.items():
        target = "" if name.startswith("python") else "< 0.15 s"
        status = "" if not target else verdict(measure_.median < 0.15)
        rows.append(
            [
                name,
                len(measure_.samples),
                f"{measure_.median:.3f}",
                "",
                f"{measure_.peak_mib:.0f}",
                target or "(reference)",
                status,
            ]
        )
    for result in results:
        if result.name == "notices":
            total = result.median("sanshi notices")
            per_document = total / result.documents * 1000 if result.documents else float("inf")
            rows.append(
                [
                    f"sanshi notices ({result.documents} documents)",
                    result.runs,
                    f"{total:.2f}",
                    f"{per_document:.2f}",
                    f"{result.measures['sanshi notices'].peak_mib:.0f}",
                    "< 10 s, <= 10 ms/document, >= 1000 documents",
                    verdict(total < 10 and per_document <= 10 and result.documents >= 1000),
                ]
            )
    return rows


STARTUP_HEADERS = ["process", "runs", "median s", "ms / document", "peak MiB", "target", "result"]


LINEAR_COMMANDS = ("awards", "demotions", "diff", "promotions", "explain", "report", "history import 2023")


def linearity_rows(results: list[ScaleResult]) -> list[list[object]]:
    """Seconds per 10,000 cadres of each command at each scale (flat when the time grows with the data alone)."""
    rows = []
    for result in sorted((r for r in results if r.name != "notices"), key=lambda r: r.cadres):
        per = 10_000 / result.cadres
        cells = [
            f"{result.median(f'sanshi {command}') * per:.3f}" if f"sanshi {command}" in result.measures else "-"
            for command in LINEAR_COMMANDS
        ]
        rows.append([result.name, f"{result.cadres:,}", *cells])
    return rows


LINEARITY_HEADERS = ["scale", "cadres", *(f"{command} s / 10k" for command in LINEAR_COMMANDS)]


def detail_rows(results: list[ScaleResult], startup: dict[str, Measure]) -> list[list[object]]:
    def row(scale: str, name: str, samples: list[Sample]) -> list[object]:
        seconds = [s.seconds for s in samples]
        return [
            scale,
            name,
            len(seconds),
            f"{statistics.median(seconds):.3f}",
            f"{min(seconds):.3f}",
            f"{max(seconds):.3f}",
            f"{max(s.peak_kib for s in samples) / MIB:.0f}",
        ]

    rows = [row("-", name, measure_.samples) for name, measure_ in startup.items()]
    for result in results:
        rows += [row(result.name, f"sanshi {name} (setup, once)", [sample]) for name, sample in result.imports]
        rows += [row(result.name, name, measure_.samples) for name, measure_ in result.measures.items()]
    return rows


DETAIL_HEADERS = ["scale", "process", "runs", "median s", "min s", "max s", "peak MiB"]


def size_rows(results: list[ScaleResult]) -> list[list[object]]:
    rows = []
    for result in results:
        sheets = ", ".join(f"{name} {height - 2:,}" for name, (height, _) in result.input_sizes.items())
        outputs = "; ".join(
            f"{command}: {sum(r * c for r, c in sizes.values()):,} in {len(sizes)} sheets"
            for command, sizes in result.output_sizes.items()
        )
        rows.append([result.name, f"{result.cadres:,}", f"{result.input_mb:.1f}", sheets or "-", outputs or "-"])
    return rows


SIZE_HEADERS = [
    "scale",
    "cadres",
    "2023.xlsx MB",
    "data rows per sheet (title and header rows excluded)",
    "sanshi output workbook, cells (rows x columns)",
]


def table(rows: list[list[object]], headers: list[str]) -> str:
    return tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True)


# ---- the machine and RESULTS.md --------------------------------------------------------------------------


def read_field(path: str, key: str, separator: str) -> str:
    try:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition(separator)
            if name.strip() == key:
                return value.strip().strip('"')
    except OSError:
        pass
    return "unknown"


def machine() -> list[tuple[str, str]]:
    memory = read_field("/proc/meminfo", "MemTotal", ":")
    if memory.endswith("kB"):
        memory = f"{int(memory.split()[0]) / 1024**2:.1f} GiB"
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    return [
        ("CPU", read_field("/proc/cpuinfo", "model name", ":")),
        ("cores (os.cpu_count)", str(os.cpu_count())),
        ("memory", memory),
        ("OS", f"{read_field('/etc/os-release', 'PRETTY_NAME', '=')} (kernel {platform.release()})"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("packages", ", ".join(versions)),
    ]


NOTES = """\
- Every figure is a whole process (interpreter start and imports included), started with `subprocess.Popen`
  and reaped with `os.wait4`: wall time from start to exit, and that child's own peak RSS (`ru_maxrss`).
  Medians of the runs; peak memory is the largest of the runs. Processes of a scale run round-robin.
- Popen and wait4 run in a fresh small launcher interpreter for each measurement: Linux charges a child,
  at exec, with the high-water RSS of the process it was forked from, so children of the runner itself
  would all report at least the runner's peak. From the launcher the floor is about 11 MiB (the launcher),
  below any Python process's own (`python -c pass` is listed for reference).
- `read (calamine)`: python-calamine, `CalamineWorkbook.from_path(...).get_sheet_by_name(name).to_python()`
  for each of the 7 data sheets sanshi reads (目标责任考核, 县域监测, 脱贫攻坚, 干部, 责任认定, 容错认定, 调整记录).
- `read (fastexcel)`: fastexcel, `read_excel(path).load_sheet(name, header_row=None)` for the same sheets, then
  `sheet.__arrow_c_array__()` (the Arrow PyCapsule interface), which makes fastexcel build the Arrow arrays
  in Rust. `to_arrow()` / `to_pandas()` would need pyarrow (not a dependency of sanshi); the capsule holds
  the same arrays without it. Column types are fastexcel's guess from the first rows, which are text here (title and
  header), so numbers arrive as text.
- "fastest read" is the faster of the two medians.
- `write`: the cells of sanshi's own output workbook (read with python-calamine and pickled outside timing,
  after the first sanshi run), unpickled and written with xlsxwriter (`write_row`), the fastest Python xlsx
  writer, twice: in `constant_memory` mode (inline strings) and in its default mode (shared strings); the
  faster median is "fastest write". Unpickling is inside the timed process.
- "read+write" is two processes, so it counts interpreter start twice; sanshi pays it once.
- `naive` (not at the max scale, where openpyxl takes many minutes and no target uses it):
  `pandas.read_excel(path, sheet_name=[7 sheets], engine="openpyxl", header=None)` of the input and
  `DataFrame(rows).to_excel(writer)` of the same output cells with `pd.ExcelWriter(path, engine="openpyxl")`.
- pandas `to_excel` is never used with xlsxwriter `constant_memory`: that combination silently drops most
  cells (rows must be written in order, pandas writes column by column).
- The history store (2021, 2022) is made fresh for each scale with `sanshi history import`; those imports
  are timed once and listed in the detail table.
- sanshi awards/demotions times include writing the output workbook; notices writes .docx and .html (the
  default `--format all`); ms per document is the median time over the number of .docx files.
"""


def render(
    results: list[ScaleResult], startup: dict[str, Measure], argv: list[str], facts: list[tuple[str, str]]
) -> str:
    parts = [
        "# sanshi benchmarks",
        "",
        f"Run `python benchmarks/run.py` (this run: `python benchmarks/run.py {' '.join(argv)}`); "
        "`--scales province,national,max,notices`, `--runs N`, `--quick`. Books are generated by "
        "`benchmarks/generate.py` (deterministic, cached in `benchmarks/data/`).",
        "",
        *(f"- {name}: {value}" for name, value in facts),
        "",
        "## Machine",
        "",
        *(f"- {name}: {value}" for name, value in machine()),
        "",
        "## Data",
        "",
        table(size_rows(results), SIZE_HEADERS),
        "",
    ]
    if any(r.name != "notices" for r in results):
        parts += [
            "## sanshi awards and demotions against the fastest read + write and the naive path",
            "",
            table(command_rows(results), COMMAND_HEADERS),
            "",
            "## Every command that reads the year with its history, against its floor",
            "",
            "The floor of demotions, promotions, explain, report and notices is the fastest read of 2023.xlsx plus "
            "the fastest write of the 能下 workbook; that of history import is the fastest read.",
            "",
            table(issue_23_rows(results), ISSUE_23_HEADERS),
            "",
            "## sanshi diff of two versions against one awards + demotions run",
            "",
            table(diff_rows(results), DIFF_HEADERS),
            "",
            "## Linearity: seconds per 10,000 cadres",
            "",
            table(linearity_rows(results), LINEARITY_HEADERS),
            "",
        ]
        if len([r for r in results if r.name != "notices"]) < 3:
            parts += ["(The issue asks for three sizes: run with `--scales province,national,max`.)", ""]
    parts += [
        "## Start-up, usage error and notices",
        "",
        table(startup_rows(startup, results), STARTUP_HEADERS),
        "",
        "## Every process measured",
        "",
        table(detail_rows(results, startup), DETAIL_HEADERS),
        "",
        "## What each figure is",
        "",
        NOTES,
    ]
    return "\n".join(parts)


def sanshi_source() -> tuple[Path, str]:
    """The sanshi package's folder (found without importing it) and a digest of every file in it."""
    spec = importlib.util.find_spec("sanshi")
    if spec is None or not spec.submodule_search_locations:
        return Path("?"), "unknown"
    folder = Path(list(spec.submodule_search_locations)[0])
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return folder, digest.hexdigest()[:12]


def git_state(folder: Path) -> str:
    """The commit checked out where sanshi lives, and how many of its files differ from it."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True).stdout

    try:
        changed = len(git("status", "--porcelain", "--", ".").splitlines())
        return f"commit {git('rev-parse', '--short', 'HEAD').strip()}, {changed} uncommitted change(s) in sanshi/"
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"


def run_facts(started: datetime, source_before: str, load_before: float) -> tuple[list[tuple[str, str]], bool]:
    """What this run measured, for RESULTS.md (when, which sanshi source, how busy the machine was), and
    whether sanshi's files changed while it ran."""
    folder, source_after = sanshi_source()
    changed = source_after != source_before
    source = f"{git_state(folder)}; files digest {source_after}"
    if changed:
        source += f" (CHANGED during the run, was {source_before}: the figures mix versions)"
    minutes = (datetime.now(timezone.utc) - started).total_seconds() / 60
    return [
        ("date", f"{started:%Y-%m-%d %H:%M} UTC, {minutes:.0f} min"),
        ("sanshi source", source),
        ("load average (1 min)", f"{load_before:.2f} at start, {os.getloadavg()[0]:.2f} at end"),
    ], changed


def write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# ---- command line -----------------------------------------------------------------------------------------


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", help=f"comma-separated, of {', '.join(SCALES)} (default {','.join(DEFAULT_SCALES)})"
    )
    parser.add_argument("--runs", type=int, help="runs per process (default: province/notices 5, national 3, max 1)")
    parser.add_argument("--quick", action="store_true", help="province and notices (unless --scales), 2 runs")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="where the generated books are cached")
    parser.add_argument(
        "--work",
        type=Path,
        help="history stores, outputs and logs (kept); default a temporary directory, removed unless a command fails",
    )
    parser.add_argument("--no-write", action="store_true", help="print the tables only, not benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.scales, args.runs = args.scales or "province,notices", args.runs or 2
    args.scales = args.scales or ",".join(DEFAULT_SCALES)
    args.scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    unknown = [s for s in args.scales if s not in SCALES]
    if unknown:
        parser.error(f"unknown scale(s) {', '.join(unknown)}; choose from {', '.join(SCALES)}")
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    started, (_, source_before), load_before = datetime.now(timezone.utc), sanshi_source(), os.getloadavg()[0]
    work = args.work or Path(tempfile.mkdtemp(prefix="sanshi-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    sanshi = sanshi_command()
    print(f"sanshi: {' '.join(sanshi)}\nwork directory (logs of every process): {work}", flush=True)
    scripts = write_scripts(work / "baselines")
    print("start-up", flush=True)
    startup = bench_startup(work, sanshi)
    results = []
    for scale in args.scales:
        runs = args.runs or DEFAULT_RUNS[scale]
        print(f"scale {scale} ({SCALES[scale].cadres:,} cadres, {runs} runs)", flush=True)
        results.append(bench_scale(scale, runs, args.data, work, sanshi, scripts))
    if args.work is None:  # kept after a failure, for its logs
        shutil.rmtree(work, ignore_errors=True)
    facts, changed = run_facts(started, source_before, load_before)
    if changed:
        print("\nWARNING: sanshi's source changed during the run; the figures mix versions.", file=sys.stderr)
    report = render(results, startup, argv, facts)
    print("\n" + report)
    if not args.no_write:
        write_atomic(RESULTS, report + "\n")
        print(f"written: {RESULTS}")
        if {"province", "national", "max"} <= {r.name for r in results}:
            import readme  # benchmarks/readme.py: the README's table from the RESULTS.md just written

            if readme.regenerate():
                print(f"README table regenerated: {readme.README}")


if __name__ == "__main__":
    main()
