"""Render one page of each kind of document for the sample year to docs/images/*.png (shown in README.md).

Run from the repository root after `pip install -e ".[test]"`, with LibreOffice, poppler and the Noto CJK fonts
installed (Debian: libreoffice-writer-nogui poppler-utils fonts-noto-cjk):

    python docs/images/render.py

The GB fonts are mapped to Noto CJK by tests/fonts.conf, as in the rendering tests.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sanshi.pipeline import HistorySource, run_notices  # noqa: E402
from sanshi.writers.docx import write_docx  # noqa: E402
from tests.office import Office, to_png  # noqa: E402

SAMPLE = ROOT / "sample_data"
OUT = Path(__file__).resolve().parent
# kind, whose document, which page, the PNG's name
PAGES = (
    ("谈话通知", "郑国彬", 1, "谈话通知-第1页"),
    ("奖励资金通知", "霞庄县", 2, "奖励资金通知-第2页"),
    ("表彰通报", None, 2, "表彰通报-第2页"),
    ("容错认定结果通知", "金关县汤志", 2, "容错认定结果通知-第2页"),
    ("公示", None, 1, "公示-第1页"),
)


def main() -> None:
    office = Office.find()
    if office is None:
        sys.exit("需要 LibreOffice 和 poppler(Debian: apt-get install libreoffice-writer-nogui poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db = work / "sanshi.db"
        for year in (2021, 2022):
            command = [
                sys.executable,
                "-m",
                "sanshi",
                "history",
                "import",
                str(SAMPLE / f"{year}.xlsx"),
                "--db",
                str(db),
            ]
            subprocess.run(command, check=True, capture_output=True)
        batch = run_notices(
            SAMPLE / "2023.xlsx",
            templates=None,
            rules=str(SAMPLE / "local-pack.toml"),
            history=HistorySource(db, explicit=True),
        )
        chosen = []
        for kind, subject, page, name in PAGES:
            document = next(d for d in batch.documents if d.kind == kind and subject in (None, d.subject))
            path = work / f"{name}.docx"
            write_docx(document, path)
            chosen.append((path, page, name))
        pdfs = office.to_pdf([path for path, _, _ in chosen], work / "pdf")
        for (_, page, name), pdf in zip(chosen, pdfs, strict=True):
            print(to_png(pdf, OUT / name, page=page, dpi=80).relative_to(ROOT))


if __name__ == "__main__":
    main()
