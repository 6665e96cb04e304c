"""LibreOffice (headless) and poppler for tests: render .docx/.xlsx to PDF and read the PDF back.

The documents name the GB fonts (仿宋_GB2312, 方正小标宋简体, 楷体_GB2312, 黑体, 宋体), which no free
distribution ships; ``tests/fonts.conf`` maps them to the Noto CJK fonts (Debian ``fonts-noto-cjk``) so
that a render keeps the metrics of a CJK face. Every conversion uses its own throw-away LibreOffice
profile, so a developer's settings and a second running LibreOffice never touch a test.

    office = Office.find()
    [pdf] = office.to_pdf([Path("通知.docx")], tmp_path)
    assert pages(pdf) == 1 and "通知" in text(pdf)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Office", "OfficeError", "FONTS_CONF", "page_texts", "pages", "text", "to_png", "Word", "words"]

FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"
TIMEOUT = 300


class OfficeError(RuntimeError):
    """LibreOffice or a poppler tool failed or did not finish in time."""


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["FONTCONFIG_FILE"] = str(FONTS_CONF)
    return environment


def _run(command: list[str], timeout: int = TIMEOUT) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=_environment(), check=False)
    except subprocess.TimeoutExpired as error:
        raise OfficeError(f"{command[0]} did not finish in {timeout} s") from error
    if done.returncode != 0:
        raise OfficeError(f"{' '.join(command[:3])}… exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


@dataclass(frozen=True)
class Office:
    """An installed LibreOffice and poppler (pdftotext, pdfinfo, pdftoppm)."""

    soffice: str

    @classmethod
    def find(cls) -> Office | None:
        soffice = os.environ.get("SANSHI_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None or any(shutil.which(tool) is None for tool in ("pdftotext", "pdfinfo", "pdftoppm")):
            return None
        return cls(soffice)

    def to_pdf(self, files: list[Path], folder: Path) -> list[Path]:
        """Convert `files` (in one LibreOffice run) to PDFs in `folder`; returns them in order."""
        return self.convert(files, folder, "pdf")

    def convert(self, files: list[Path], folder: Path, kind: str) -> list[Path]:
        """Open `files` in LibreOffice and save each as `kind` (pdf, xlsx...) in `folder`; returns them in order."""
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="sanshi-lo-") as profile:
            _run(
                [
                    self.soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    kind,
                    "--outdir",
                    str(folder),
                    *map(str, files),
                ],
                timeout=TIMEOUT + 10 * len(files),
            )
        made = [folder / f"{path.stem}.{kind}" for path in files]
        missing = [path.name for path in made if not path.exists()]
        if missing:
            raise OfficeError(f"LibreOffice wrote no {kind} for {missing}")
        return made


def pages(pdf: Path) -> int:
    match = re.search(r"^Pages:\s+(\d+)", _run(["pdfinfo", str(pdf)]), re.MULTILINE)
    if match is None:
        raise OfficeError(f"pdfinfo gave no page count for {pdf}")
    return int(match.group(1))


def text(pdf: Path) -> str:
    """The PDF's text in reading order (pdftotext -layout would add spacing between runs)."""
    return _run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"])


def page_texts(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    parts = text(pdf).split("\f")
    return parts[:-1] if parts and parts[-1].strip() == "" else parts


@dataclass(frozen=True)
class Word:
    """One word pdftotext finds, its box in PDF points from the page's top left."""

    page: int  # from 1
    x_min: float
    x_max: float
    y_max: float
    text: str


def words(pdf: Path) -> list[Word]:
    """Every word on every page."""
    out, page = [], 0
    for line in _run(["pdftotext", "-bbox", str(pdf), "-"]).splitlines():
        if "<page " in line:
            page += 1
        found = re.search(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', line)
        if found:
            x_min, x_max, y_max, text = found.groups()
            out.append(Word(page, float(x_min), float(x_max), float(y_max), text))
    return out


def to_png(pdf: Path, stem: Path, page: int = 1, dpi: int = 60) -> Path:
    """One page of `pdf` as `stem`.png."""
    _run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(stem)])
    return stem.with_suffix(".png")
