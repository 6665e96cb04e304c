"""The sample year's documents rendered by a real renderer (LibreOffice → PDF, read back with poppler).

The XML checks (tests/test_docx.py, `notices --check`) say what the file asks for; these say what a clerk
sees on paper: how many pages, whether every character printed, whether text stays inside the 版心, and
whether the last page carries body text and not only the 署名, 成文日期 and 附注.

Skipped without LibreOffice, except in CI (SANSHI_REQUIRE_OFFICE, set by .ci/run).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from sanshi.documents.model import Block, BlockKind, Document
from sanshi.pipeline import HistorySource, run_notices
from sanshi.documents.layout_check import check_docx
from sanshi.writers.docx import write_docx
from tests.office import page_texts, pages, text, words

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM = 72 / 25.4  # PDF points per millimetre
# GB/T 9704-2012 5.2.1: A4, 订口 (left) 28 mm, 版心 156 mm wide: the text block runs from 28 to 184 mm.
TEXT_LEFT_PT, TEXT_RIGHT_PT = 28 * MM, 184 * MM
# A full-width comma or stop may hang past the end of a full line (as Word and LibreOffice set Chinese).
HANGING_PT = 16.0
# 5.2.1: 天头 37 mm and the 225 mm 版心: its bottom edge is 262 mm from the top of the paper. The 版记's last
# line sits on it (7.4.1); 2 mm are kept for the rules and rounding, and the text stands above its rule.
TEXT_BOTTOM_PT = 262 * MM
IMPRINT_BAND_PT = 8 * MM
TAIL_STYLES = ("GwSignature", "GwDate", "GwNote")


@dataclass(frozen=True)
class Rendered:
    kind: str
    docx: Path
    pdf: Path


@pytest.fixture(scope="module")
def rendered(sample_db, office, tmp_path_factory) -> list[Rendered]:
    batch = run_notices(
        SAMPLE / "2023.xlsx",
        templates=None,
        rules=str(SAMPLE / "local-pack.toml"),
        history=HistorySource(sample_db, explicit=True),
    )
    folder = tmp_path_factory.mktemp("rendered")
    files = []
    for document in batch.documents:
        path = folder / f"{batch.file_stem(document)}.docx"
        write_docx(document, path)
        files.append((document.kind, path))
    pdfs = office.to_pdf([path for _, path in files], folder / "pdf")
    return [Rendered(kind, path, pdf) for (kind, path), pdf in zip(files, pdfs, strict=True)]


def paragraphs(docx: Path) -> list[tuple[str, str]]:
    """(style, text) of each paragraph of the body, tables included."""
    with zipfile.ZipFile(docx) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    out = []
    for paragraph in re.findall(r"<w:p>.*?</w:p>", body):
        style = re.search(r'<w:pStyle w:val="([^"]+)"/>', paragraph)
        words = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph))
        out.append((style.group(1) if style else "", words))
    return out


def test_page_count_of_each_kind_for_the_sample_year(rendered):
    counts = Counter((item.kind, pages(item.pdf)) for item in rendered)
    # Every 谈话通知, 奖励资金通知, 容错认定结果通知 and 公示 runs to two pages (the 版头 takes half of the first);
    # the 表彰通报, with its two tables and three grades of awards, to four.
    assert counts == Counter(
        {
            ("公示", 2): 2,
            ("表彰通报", 4): 1,
            ("奖励资金通知", 2): 46,
            ("谈话通知", 2): 34,
            ("容错认定结果通知", 2): 3,
        }
    )


def test_every_character_of_the_body_is_printed(rendered):
    # LibreOffice once dropped a "、" or "，" at the end of a full line (condensed character spacing).
    lost = {}
    for item in rendered:
        wanted = Counter(c for _, words in paragraphs(item.docx) for c in words if not c.isspace())
        printed = Counter(c for c in text(item.pdf) if not c.isspace())
        if wanted - printed:
            lost[item.docx.name] = dict(wanted - printed)
    assert lost == {}


def test_no_text_outside_the_text_block(rendered):
    outside = []
    for item in rendered:
        boxes = words(item.pdf)
        assert boxes, item.docx.name
        for word in boxes:
            if word.x_min < TEXT_LEFT_PT - 1 or word.x_max > TEXT_RIGHT_PT + HANGING_PT:
                outside.append((item.docx.name, word.text, round(word.x_min / MM), round(word.x_max / MM)))
    assert outside == []


def test_no_last_page_holds_only_the_signature_date_and_note(rendered):
    alone = []
    for item in rendered:
        tail = {words for style, words in paragraphs(item.docx) if style in TAIL_STYLES}
        last = [line.strip() for line in page_texts(item.pdf)[-1].splitlines() if line.strip()]
        body = [line for line in last if line not in tail and not re.fullmatch(r"—\s*\d+\s*—", line)]
        if not body:
            alone.append(item.docx.name)
    assert alone == []


def test_no_table_is_wider_than_the_text_block(rendered):
    # 版心 156 mm = 8844 twips; in the XML every table's grid sums to it exactly.
    for item in rendered:
        with zipfile.ZipFile(item.docx) as archive:
            body = archive.read("word/document.xml").decode("utf-8")
        for grid in re.findall(r"<w:tblGrid>(.*?)</w:tblGrid>", body):
            assert sum(map(int, re.findall(r'w:w="(\d+)"', grid))) == 8844, item.docx.name


def test_every_filed_document_ends_with_its_imprint_at_the_foot_of_an_even_page(rendered):
    misplaced = []
    filed = 0
    for item in rendered:
        styles = [style for style, words in paragraphs(item.docx) if words]
        if "GwIssuerMark" not in styles:
            continue
        filed += 1
        count = pages(item.pdf)
        last = [w for w in words(item.pdf) if w.page == count and w.y_max < TEXT_BOTTOM_PT + 2]
        bottom = max(last, key=lambda w: (w.y_max, w.x_max))
        if count % 2 or not bottom.text.endswith("印发") or bottom.y_max < TEXT_BOTTOM_PT - IMPRINT_BAND_PT:
            misplaced.append((item.docx.name, count, bottom.text, round(bottom.y_max / MM, 1)))
    # Every kind but the 公示 carries a 版头: 1 通报, 46 资金通知, 34 谈话通知, 3 容错.
    assert filed == 84
    assert misplaced == []


# ---- The HTML preview sets lines as the .docx does (Chromium) ----

LINES_JS = """
(() => {
  const lines = node => {
    const range = document.createRange(), tops = new Map();
    for (let i = 0; i < node.textContent.length; i++) {
      range.setStart(node.firstChild, i); range.setEnd(node.firstChild, i + 1);
      const top = Math.round(range.getBoundingClientRect().top);
      tops.set(top, (tops.get(top) || 0) + 1);
    }
    return Array.from(tops.values());
  };
  const centre = el => { const r = el.getBoundingClientRect(); return (r.left + r.right) / 2; };
  const first = [...document.querySelectorAll('p.signature')][0];
  const text = first.firstChild, range = document.createRange();
  range.selectNodeContents(first);
  const date = document.querySelector('p.date'), dateRange = document.createRange();
  dateRange.selectNodeContents(date);
  const middle = r => (r.getBoundingClientRect().left + r.getBoundingClientRect().right) / 2;
  return JSON.stringify({
    body: lines(document.querySelector('p.paragraph')),
    serial: lines(document.querySelector('th')),
    signature: middle(range), date: middle(dateRange), em: parseFloat(getComputedStyle(date).fontSize),
  });
})()
"""


def test_the_html_preview_sets_lines_as_the_docx_does(browser, tmp_path):
    import json

    from sanshi.writers.html import html_text

    sixty = "一二三四五六七八九十" * 6
    document = Document(
        kind="奖励资金通知",
        subject="甲县",
        seq=1,
        blocks=(
            Block(BlockKind.TITLE, "关于下达甲县2023年度考核奖励资金的通知"),
            Block(BlockKind.PARAGRAPH, sixty),
            Block(
                BlockKind.TABLE,
                rows=(("序号", "奖项", "奖励资金（万元）", "依据"), ("1", "十强县", "100", "名次第1名")),
            ),
            Block(BlockKind.SIGNATURE, "中共示例省委组织部"),
            Block(BlockKind.DATE, "2024年1月19日"),
        ),
    )
    path = tmp_path / "预览.html"
    path.write_text(html_text(document), encoding="utf-8")
    with browser.open(path, width=900, height=1400) as page:
        measured = json.loads(page.evaluate(LINES_JS))
    # 60 characters: 26 after the two-character indent, then 28, then 6 (28 a line, as in the .docx).
    assert measured["body"] == [26, 28, 6]
    # 序号 never stacks: both its characters on one line.
    assert measured["serial"] == [2]
    # The 署名 (9 characters) is centred over the date (6.5): 右空 4 + (6.5 - 9) / 2 = 2.75 characters, as in the
    # .docx; within a quarter of a character (the browser's digits run a little wider than half a character).
    assert abs(measured["signature"] - measured["date"]) < measured["em"] / 4


def test_no_page_starts_with_a_tables_total_row(rendered):
    # A 合计 row keeps the row before it; a table shorter than a page is kept whole.
    alone = []
    for item in rendered:
        for number, page in enumerate(page_texts(item.pdf)[1:], start=2):
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            header = lines[:3]  # a repeated table header takes up to three lines (奖励资金 / (万元))
            if any(line.startswith("合计") for line in lines[:4]) and any("序号" in line for line in header):
                alone.append((item.docx.name, number))
    assert alone == []


# ---- Where the 版记 goes when the body ends on an odd page, or fills its even page ----


def filed(paragraphs: int) -> Document:
    """A filed document whose body is `paragraphs` one-line paragraphs."""
    return Document(
        kind="谈话通知",
        subject="甲",
        seq=1,
        blocks=(
            Block(BlockKind.ISSUER_MARK, "中共示例省委组织部文件"),
            Block(BlockKind.DOC_NUMBER, "示组干字〔2024〕1号"),
            Block(BlockKind.TITLE, "关于与甲同志谈话的通知"),
            Block(BlockKind.RECIPIENTS, "甲同志："),
            *(Block(BlockKind.PARAGRAPH, f"第{n}段正文，一行写完。") for n in range(1, paragraphs + 1)),
            Block(BlockKind.SIGNATURE, "中共示例省委组织部"),
            Block(BlockKind.DATE, "2024年1月15日"),
            Block(BlockKind.CC, "省纪委监委"),
            Block(BlockKind.PRINTER, "中共示例省委组织部办公室"),
            Block(BlockKind.PRINT_DATE, "2024年1月15日"),
        ),
    )


# Page 1 holds 9 lines under the 版头 and a one-line title; pages after it 22. The body is the 主送, the
# paragraphs, a blank line, the 署名 and the date (4 lines besides the paragraphs): 2 paragraphs end on page 1;
# 12 end on line 7 of page 2; 24 on line 19, leaving 3 lines, room for the 版记 (two lines and its rules,
# 2.3 lines); 25 on line 20, leaving 2, which is not: a blank page 3, and the 版记 at the foot of page 4.
@pytest.mark.parametrize(
    ("paragraphs", "expected_pages", "blank"),
    [(2, 2, None), (12, 2, None), (24, 2, None), (25, 4, 3)],
    ids=["ends-on-page-1", "room-on-page-2", "just-room-on-page-2", "no-room-on-page-2"],
)
def test_the_imprint_goes_on_the_back_of_the_last_sheet(office, tmp_path, paragraphs, expected_pages, blank):
    path = tmp_path / f"{paragraphs}.docx"
    write_docx(filed(paragraphs), path)
    [pdf] = office.to_pdf([path], tmp_path / "pdf")
    assert pages(pdf) == expected_pages
    last = [w for w in words(pdf) if w.page == expected_pages and w.y_max < TEXT_BOTTOM_PT + 2]
    bottom = max(last, key=lambda w: (w.y_max, w.x_max))
    assert bottom.text.endswith("印发") and bottom.y_max > TEXT_BOTTOM_PT - IMPRINT_BAND_PT
    numbers = [re.sub(r"\s", "", text) for text in page_texts(pdf)]
    if blank is None:
        assert all(f"—{n}—" in numbers[n - 1] for n in range(1, expected_pages + 1))
    else:
        # A blank page before the 版记's page: both without a page number (7.5), the body's pages with theirs.
        assert numbers[blank - 1] == "" and "—" not in numbers[blank]
        assert all(f"—{n}—" in numbers[n - 1] for n in range(1, blank))
    assert check_docx(path).ok, check_docx(path).problems
