"""Issue 6: a sheet with 1,000,000 rows is read without running out of memory.

Writes a workbook whose 干部 sheet has N rows (default 1,000,000) part by part — openpyxl would take
minutes — then runs `sanshi check` on it as a separate process and reports its time and peak memory
(ru_maxrss of the child). Run: python benchmarks/million_rows.py [--rows N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HEADERS = ["姓名", "单位", "干部编号", "职务", "岗位类别", "年度考核等次", "优秀票", "称职票", "基本称职票", "不称职票", "总票数"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
GRADES = ["优秀", "称职", "称职", "称职", "基本称职"]
ROLES = ["主要负责人", "分管领导", "其他", "其他"]


def _cell(ref: str, value: object) -> str:
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def write_workbook(path: Path, rows: int, seed: int = 6) -> None:
    rnd = random.Random(seed)
    letters = [chr(65 + i) for i in range(len(HEADERS))]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="干部" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        b'spreadsheetml/2006/main"><sheetData>')
            sheet.write(("<row r=\"1\">" + "".join(_cell(f"{c}1", h) for c, h in zip(letters, HEADERS)) + "</row>")
                        .encode())
            block = []
            for r in range(2, rows + 2):
                votes = [rnd.randint(0, 30), rnd.randint(0, 20), rnd.randint(0, 5), rnd.randint(0, 2)]
                values = [rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN), f"单位{r % 5000:04d}",
                          f"G{r:07d}", "干部", rnd.choice(ROLES), rnd.choice(GRADES), *votes, sum(votes) + 1]
                block.append(f'<row r="{r}">' + "".join(_cell(f"{c}{r}", v) for c, v in zip(letters, values)) + "</row>")
                if len(block) == 10_000:
                    sheet.write("".join(block).encode())
                    block = []
            sheet.write("".join(block).encode() + b"</sheetData></worksheet>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write the workbook here and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="sanshi-1m-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "2023.xlsx"
    started = time.perf_counter()
    write_workbook(path, args.rows)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {args.rows:,} rows) in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "sanshi", "check", str(path)], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(run.stdout.strip() or run.stderr.strip()[:500])
    print(f"sanshi check: exit {run.returncode}, {elapsed:.1f} s, peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
