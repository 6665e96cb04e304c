"""A document (公文) as a .docx laid out after GB/T 9704-2012 党政机关公文格式.

The package is assembled by hand: the fixed parts (styles, settings, footers, ...)
are readable XML files in `docx_base/`, loaded and compressed once per process; only
word/document.xml and the title in docProps/core.xml are generated and compressed per
document, and the zip around them is framed here (0.2 ms a document, against 0.55 ms
through `zipfile` recompressing every part). python-docx is not used: its
template carries a theme whose East Asian font makes Word show Chinese in a Japanese
face.

Every run repeats its fonts (with w:eastAsia) and size directly, so a document
looks right even where the styles are lost (copy and paste into another file).
Output is reproducible: fixed zip timestamps, fixed part order, no clock anywhere.
`sanshi.documents.layout_check` verifies the result independently.
"""

from __future__ import annotations

import math
import re
import struct
import zlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from sanshi.documents.model import IMPRINT_BLOCKS, Block, BlockKind, Document
from sanshi.writers.files import ZIP_TIME, write_bytes
from sanshi.writers.typesetting import ISSUER_MAX_PT, body_lines, issuer_points, line_width, title_lines

# Page and grid, in twips (1/20 pt). GB/T 9704-2012 5.2.1: A4, 天头 37 mm, 订口 28 mm, 版心 156 x 225 mm.
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474  # 37, 35, 28, 26 mm
HEADER_DISTANCE = 851  # 15 mm; there is no header, Word only wants a value
# 23 mm: the exact 14 pt footer line then reaches 28 mm above the paper edge, 7 mm below the 版心 (7.5).
FOOTER_DISTANCE = 1304
# 5.2.2: 22 lines of 28 characters. A line grid of 579 twips = 28.95 pt x 22 = 225 mm. The 28 characters
# come from drawing 3号 glyphs at 98% width (w:w): 15.68 pt x 28 = 439 pt fits the 442.2 pt (156 mm) 版心,
# 29 would not. Not a character grid: LibreOffice gives a 16 pt glyph two 15.79 pt cells (14 to a line) and
# spreads every number over whole cells ("2024  年"). Not condensed spacing (w:spacing -5): LibreOffice then
# drops a "、" or "," that falls at the end of a full line.
LINE_PITCH = 579
GLYPH_SCALE = 98  # w:w, percent, on every 3号 run
TEXT_WIDTH = 8844  # the 版心 width (156 mm) for tables
CHAR_TWIPS = 320  # one 3号 character, for indents given in characters

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
RED = "FF0000"

BODY_SIZE = 32  # half points: 3号 = 16 pt (5.2.2)
TITLE_SIZE = 44  # 2号 = 22 pt (7.3.1)
TABLE_SIZE = 28  # 4号 = 14 pt
TABLE_CHAR_TWIPS = 280  # one 4号 character
TABLE_CELL_MARGIN = 85  # 1.5 mm left and right inside a cell
TABLE_ROW_HEIGHT = 454  # 8 mm at least, so short tables do not look cramped
TABLE_BORDER = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'

# (part name in the package, file in docx_base); word/document.xml is generated and goes after app.xml.
BASE_PARTS = (
    ("[Content_Types].xml", "content_types.xml"),
    ("_rels/.rels", "package_rels.xml"),
    ("docProps/core.xml", "core.xml"),
    ("docProps/app.xml", "app.xml"),
    ("word/_rels/document.xml.rels", "document_rels.xml"),
    ("word/styles.xml", "styles.xml"),
    ("word/settings.xml", "settings.xml"),
    ("word/fontTable.xml", "fontTable.xml"),
    ("word/footer1.xml", "footer1.xml"),
    ("word/footer2.xml", "footer2.xml"),
    ("word/footer3.xml", "footer3.xml"),
)
DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"  # carries the title
EMPTY_TITLE = "<dc:title></dc:title>"

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_COMMENTS = re.compile(r"<!--.*?-->", re.DOTALL)
_LAYOUT = re.compile(r">\s*\n\s*<")  # indentation between tags; never inside w:t, which has no newlines

HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>'
)
_PAGE_SETUP = (
    f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
    f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" w:left="{MARGIN_LEFT}" '
    f'w:header="{HEADER_DISTANCE}" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'
    '<w:cols w:space="425"/>'
    f'<w:docGrid w:type="lines" w:linePitch="{LINE_PITCH}"/>'
)
NUMBERED = (
    '<w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>'
)
UNNUMBERED = (
    '<w:footerReference w:type="default" r:id="rIdFooterNone"/><w:footerReference w:type="even" r:id="rIdFooterNone"/>'
)
SECTION = f"<w:sectPr>{NUMBERED}{_PAGE_SETUP}</w:sectPr>"
# 7.5: when a blank page comes before the 版记's page, neither has a page number: the body's section ends
# (and keeps its numbers) before them, and the last section's footers are empty.
SECTION_UNNUMBERED = f"<w:sectPr>{UNNUMBERED}{_PAGE_SETUP}</w:sectPr>"
TAIL = "</w:body></w:document>"


def _rpr(font: str, size: int, bold: bool = False, color: str = "") -> str:
    """Direct run properties: the font in all four slots (w:eastAsia included), 3号 glyphs'
    98% width (28 characters a line) and the size, in the order the schema wants."""
    return (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
        + ("<w:b/><w:bCs/>" if bold else "")
        + (f'<w:color w:val="{color}"/>' if color else "")
        + (f'<w:w w:val="{GLYPH_SCALE}"/>' if size == BODY_SIZE else "")
        + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    )


# Paragraph style and run properties of each block kind; the styles in docx_base/styles.xml say the same.
LOOKS: dict[BlockKind, tuple[str, str]] = {
    BlockKind.ISSUER_MARK: ("GwIssuerMark", _rpr(XIAOBIAOSONG, ISSUER_MAX_PT * 2, color=RED)),
    BlockKind.DOC_NUMBER: ("GwDocNumber", _rpr(FANGSONG, BODY_SIZE)),
    BlockKind.TITLE: ("GwTitle", _rpr(XIAOBIAOSONG, TITLE_SIZE)),
    BlockKind.RECIPIENTS: ("GwRecipients", _rpr(FANGSONG, BODY_SIZE)),
    BlockKind.HEADING1: ("GwHeading1", _rpr(HEITI, BODY_SIZE)),
    BlockKind.HEADING2: ("GwHeading2", _rpr(KAITI, BODY_SIZE)),
    BlockKind.HEADING3: ("GwHeading3", _rpr(FANGSONG, BODY_SIZE)),
    BlockKind.PARAGRAPH: ("GwBody", _rpr(FANGSONG, BODY_SIZE)),
    BlockKind.SIGNATURE: ("GwSignature", _rpr(FANGSONG, BODY_SIZE)),
    BlockKind.DATE: ("GwDate", _rpr(FANGSONG, BODY_SIZE)),
    BlockKind.NOTE: ("GwNote", _rpr(FANGSONG, BODY_SIZE)),
}
TABLE_STYLE = "GwTable"
IMPRINT_STYLE = "GwImprint"
TABLE_HEADER_RPR = _rpr(HEITI, TABLE_SIZE, bold=True)
TABLE_CELL_RPR = _rpr(FANGSONG, TABLE_SIZE)
# 7.2.6: the red separator line under the 版头, as a bottom border (GwDocNumber has it in its style),
# 11 pt = 3.9 mm under the 发文字号 (7.2.4: 4 mm).
SEPARATOR = f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="11" w:color="{RED}"/></w:pBdr>'
HEADER_BLOCKS = (BlockKind.ISSUER_MARK, BlockKind.DOC_NUMBER)
# A paragraph keeps with what follows it when that is the 署名, 成文日期 or 附注 (7.3.5: they stay with the
# last lines of the body; no page holds only them). Not with a table: a table kept on one page would drag
# its lead-in along and leave the first page holding only the 主送.
KEPT_WITH_PREVIOUS = (BlockKind.SIGNATURE, BlockKind.DATE, BlockKind.NOTE)


@cache
def _base_parts() -> dict[str, bytes]:
    """The fixed parts by part name, in package order, read once from docx_base/ with comments and
    indentation removed."""
    folder = resources.files("sanshi.writers") / "docx_base"
    parts = {}
    for name, file in BASE_PARTS:
        text = folder.joinpath(file).read_text(encoding="utf-8")
        parts[name] = _LAYOUT.sub("><", _COMMENTS.sub("", text)).strip().encode("utf-8")
    return parts


def _clean(text: str) -> str:
    """Text as XML 1.0 allows it: line ends as \\n, other control characters and lone surrogates gone."""
    return _ILLEGAL_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


def _run(text: str, rpr: str) -> str:
    """One run holding the whole text; tabs and line breaks become w:tab and w:br."""
    text = _clean(text)
    if not text:
        return ""
    pieces = []
    for number, line in enumerate(text.split("\n")):
        if number:
            pieces.append("<w:br/>")
        for index, segment in enumerate(line.split("\t")):
            if index:
                pieces.append("<w:tab/>")
            if segment:
                space = ' xml:space="preserve"' if " " in segment else ""
                pieces.append(f"<w:t{space}>{_escape(segment)}</w:t>")
    return f"<w:r>{rpr}{''.join(pieces)}</w:r>"


def _paragraph(style: str, rpr: str, text: str, ppr: str = "") -> str:
    """A paragraph of one style; `ppr` is direct paragraph formatting in schema order after w:pStyle."""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{_run(text, rpr)}</w:p>'


def _spacing(before: int, after: int = 0) -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="{LINE_PITCH}" w:lineRule="exact"/>'


def _issuer_rpr(text: str) -> str:
    """The 发文机关标志 as large as fits on one line of the 版心."""
    return _rpr(XIAOBIAOSONG, issuer_points(_clean(text)) * 2, color=RED)


def signature_indent(signature: str, date: str | None) -> float:
    """Right indent of the 署名 in characters: centred over the date, which is 右空四字 (7.3.5);
    右空二字 when there is no date."""
    if date is None:
        return 2.0
    offset = 4 + (line_width(_clean(date)) - line_width(_clean(signature))) / 2
    return max(0.0, offset)


def _note_text(text: str) -> str:
    """附注 in full-width parentheses (7.3.6), adding them unless the text already has them."""
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    elif text.startswith("（") and text.endswith("）"):
        return text
    return f"（{text}）"


# Table columns (4号 characters): the widest columns wrap, the others are set on one line at their own width
# as long as the wrapping columns keep at least FAIR_SHARE of the 版心.
FAIR_SHARE = 0.4
WRAP_FLOOR_CHARS = 6  # a wrapping column is never narrower than this
HEADER_LINES = 2  # a header longer than HEADER_ONE_LINE_CHARS may take two lines ("奖励资金/(万元)")
HEADER_ONE_LINE_CHARS = 4
CELL_PAD = 2 * TABLE_CELL_MARGIN + 60  # the cell margins and a little air, in twips
TABLE_LINE_TWIPS = 360  # table cells are set on exact 18 pt lines (GwTable)
TABLE_RULE_TWIPS = 10  # each row's 0.5 pt rule adds to its height
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
_AMOUNT = re.compile(r"^(?:[−-]?\d+(?:\.\d+)?|—)$")
TOTAL_LABEL = "合计"
SERIAL_HEADER = "序号"  # numbers, but centred like the header


@dataclass(frozen=True)
class TableColumns:
    """How a table's columns are set: widths in twips (summing to the 版心) and alignment."""

    widths: list[int]
    align: list[str]  # w:jc of the body cells: right for amounts, centre for one-line cells, else left


def table_columns(rows: list[list[str]]) -> TableColumns:
    """Column widths from the cells' display width in 4号 characters within the 156 mm 版心.

    A column wants its widest cell on one line and its header on one line (two when the header is longer
    than four characters), and at least two characters, so that 序号 never stacks. When everything fits,
    the spare width is shared out in proportion. Otherwise the widest column wraps (a 依据 text), then the
    next widest, until the wrapping columns keep a fair share of the width; they share it in proportion
    to their widest cell, none narrower than WRAP_FLOOR_CHARS.
    """
    header, body = rows[0], rows[1:]
    count = len(header)
    cell = [max((line_width(row[c]) for row in body), default=0.0) for c in range(count)]
    head = [line_width(header[c]) for c in range(count)]
    head_min = [h if h <= HEADER_ONE_LINE_CHARS else math.ceil(h / HEADER_LINES) for h in head]
    natural = [max(2.0, head_min[c], cell[c]) * TABLE_CHAR_TWIPS + CELL_PAD for c in range(count)]
    if sum(natural) <= TEXT_WIDTH:
        widths = [math.floor(TEXT_WIDTH * n / sum(natural)) for n in natural]
    else:
        widest_first = sorted(range(count), key=lambda c: (-natural[c], c))
        wrapping = widest_first[:1]
        while (
            len(wrapping) < count
            and sum(natural[c] for c in range(count) if c not in wrapping) > (1 - FAIR_SHARE) * TEXT_WIDTH
        ):
            wrapping.append(widest_first[len(wrapping)])
        widths = [0 if c in wrapping else math.floor(natural[c]) for c in range(count)]
        left = TEXT_WIDTH - sum(widths)
        floor = {c: max(2.0, head_min[c], WRAP_FLOOR_CHARS) * TABLE_CHAR_TWIPS + CELL_PAD for c in wrapping}
        while wrapping:  # proportional shares, the columns that would fall below their floor settled first
            total = sum(natural[c] for c in wrapping)
            low = [c for c in wrapping if left * natural[c] / total < floor[c]]
            if not low:
                for c in wrapping:
                    widths[c] = math.floor(left * natural[c] / total)
                break
            for c in low:
                widths[c] = math.floor(min(floor[c], left))
                left -= widths[c]
                wrapping.remove(c)
    widths[-1] += TEXT_WIDTH - sum(widths)
    align = []
    for c in range(count):
        if (
            SERIAL_HEADER not in header[c]
            and all(_AMOUNT.match(row[c].strip()) for row in body if row[c].strip())
            and any(row[c].strip() for row in body)
        ):
            align.append("right")
        elif all(line_width(row[c]) * TABLE_CHAR_TWIPS <= widths[c] - 2 * TABLE_CELL_MARGIN for row in body):
            align.append("center")
        else:
            align.append("left")  # justified short lines would gape
    return TableColumns(widths, align)


def _row_height(row: list[str], widths: list[int]) -> int:
    """About how tall a row is set, in twips: its tallest cell's lines, at least the minimum row height."""
    lines = max(
        math.ceil(line_width(cell) * TABLE_CHAR_TWIPS / max(1, width - 2 * TABLE_CELL_MARGIN)) or 1
        for cell, width in zip(row, widths, strict=True)
    )
    return max(TABLE_ROW_HEIGHT, lines * TABLE_LINE_TWIPS) + TABLE_RULE_TWIPS


def _table(block: Block) -> tuple[str, bool]:
    """A full-width table with single borders, and whether it is kept on one page.

    The header row is bold 黑体 and repeats on every page. A table shorter than a page is kept together
    (every row keeps with the next, and the table with the paragraph after it is left alone); in a longer
    table the 合计 row keeps the row before it, so it never starts a page alone.
    """
    width = max((len(row) for row in block.rows), default=0)
    if width == 0:
        return "", False
    rows = [[_clean(cell) for cell in row] + [""] * (width - len(row)) for row in block.rows]
    columns = table_columns(rows)
    together = sum(_row_height(row, columns.widths) for row in rows) <= TEXT_HEIGHT * 0.9
    total_row = len(rows) - 1 if len(rows) > 2 and TOTAL_LABEL in "".join(rows[-1][:2]).replace(" ", "") else None
    borders = "".join(
        TABLE_BORDER.format(side=side) for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    parts = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{TABLE_CELL_MARGIN}" w:type="dxa"/><w:right w:w="{TABLE_CELL_MARGIN}" w:type="dxa"/>'
        '</w:tblCellMar><w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in columns.widths),
        "</w:tblGrid>",
    ]
    for number, row in enumerate(rows):
        header = number == 0
        repeat = "<w:tblHeader/>" if header else ""
        keep = number < len(rows) - 1 and (together or header or number + 1 == total_row)
        parts.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{TABLE_ROW_HEIGHT}"/>{repeat}</w:trPr>')
        for column, cell in enumerate(row):
            jc = "center" if header else columns.align[column]
            ppr = ("<w:keepNext/>" if keep else "") + f'<w:jc w:val="{jc}"/>'
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{columns.widths[column]}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
                + _paragraph(TABLE_STYLE, TABLE_HEADER_RPR if header else TABLE_CELL_RPR, cell, ppr)
                + "</w:tc>"
            )
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts), together


def next_date(blocks: tuple[Block, ...], start: int) -> str | None:
    """The 成文日期 that belongs to the signature before `start`: the next DATE after further signatures."""
    for block in blocks[start:]:
        if block.kind is BlockKind.DATE:
            return block.text
        if block.kind is not BlockKind.SIGNATURE:
            return None
    return None


def document_xml(document: Document) -> str:
    """word/document.xml for the blocks of `document`."""
    parts = [HEAD]
    blocks = document.blocks
    previous: BlockKind | None = None
    imprint = [block for block in blocks if block.kind in IMPRINT_BLOCKS]
    blocks = tuple(block for block in blocks if block.kind not in IMPRINT_BLOCKS)
    placement = _placement(imprint, blocks) if imprint else None
    blank_before_imprint = placement is not None and placement.breaks == 2
    for index, block in enumerate(blocks):
        kind = block.kind
        following = blocks[index + 1].kind if index + 1 < len(blocks) else None
        if kind is BlockKind.TABLE:
            table, _ = _table(block)
            if table and previous is BlockKind.TABLE:
                parts.append(_paragraph(LOOKS[BlockKind.PARAGRAPH][0], "", ""))  # keeps two tables apart
            if table:
                parts.append(table)
                previous = kind
            continue
        style, rpr = LOOKS[kind]
        text, ppr = block.text, ""
        if kind is BlockKind.ISSUER_MARK:
            rpr = _issuer_rpr(text)
            if following is not BlockKind.DOC_NUMBER:
                ppr = SEPARATOR
        elif kind is BlockKind.TITLE:
            text = title_lines(text)
            if previous in HEADER_BLOCKS:
                ppr = _spacing(2 * LINE_PITCH, LINE_PITCH)  # 7.3.1: 红色分隔线下空二行
        elif kind is BlockKind.SIGNATURE:
            chars = signature_indent(text, next_date(blocks, index + 1))
            before = 0 if previous is BlockKind.SIGNATURE else LINE_PITCH
            ppr = (
                _spacing(before) + f'<w:ind w:firstLine="0" w:rightChars="{round(chars * 100)}" '
                f'w:right="{round(chars * CHAR_TWIPS)}"/>'
            )
        elif kind is BlockKind.NOTE:
            text = _note_text(text)
        if following in KEPT_WITH_PREVIOUS:
            ppr = "<w:keepNext/>" + ppr
        if blank_before_imprint and index == len(blocks) - 1:
            ppr += SECTION  # the body's section, with its page numbers, ends here
        parts.append(_paragraph(style, rpr, text, ppr))
        previous = kind
    if blank_before_imprint and previous is BlockKind.TABLE:
        parts.append(_spacer(IMPRINT_TRAILER, section=SECTION))
    if placement is not None:
        parts.append(_imprint(imprint, placement))
    elif previous is BlockKind.TABLE:
        parts.append(_paragraph(LOOKS[BlockKind.PARAGRAPH][0], "", ""))  # Word wants a paragraph last
    parts.append(SECTION_UNNUMBERED if blank_before_imprint else SECTION)
    parts.append(TAIL)
    return "".join(parts)


# ---- Where the body ends, and the 版记 (7.4) at the foot of the last even page ----
# The body is set on a grid of 22 lines of LINE_PITCH; tables (exact 18 pt lines) run off it. The estimate
# follows the writer's own spacing; tests/test_rendering.py checks it against LibreOffice's pages.
# 版头, 发文字号 and the red rule under it (11 pt gap, 1.5 pt line, and 55 twips LibreOffice adds around a
# paragraph border); exact line spacing keeps these off the grid, so the body below is off it too.
HEADER_TWIPS = 1904 + 900 + 1158 + LINE_PITCH + 220 + 30 + 55
HEADINGS_KEPT = (BlockKind.HEADING1, BlockKind.HEADING2, BlockKind.HEADING3)
IMPRINT_RULE_THICK = 8  # eighths of a point: 1 pt = 0.35 mm, the first and last lines (7.4.1)
IMPRINT_RULE_THIN = 6  # 0.75 pt = 0.26 mm, between 抄送 and 印发
IMPRINT_INDENT = TABLE_CHAR_TWIPS  # 抄送, 印发机关 and 印发日期 one 4号 character in from the lines
IMPRINT_LEAD = "抄送："  # its continuation lines align after the colon
IMPRINT_TRAILER = 20  # the 1 pt paragraph Word wants after the 版记 table
IMPRINT_SLACK = 120  # twips (2 mm) kept free for the rules' width and renderers' rounding


@dataclass
class _Pen:
    """Where the next line goes: the page (from 1) and the height used on it, in twips."""

    page: int = 1
    used: int = 0

    def lines(self, count: int, pitch: int = LINE_PITCH) -> None:
        for _ in range(count):
            if self.used + pitch > TEXT_HEIGHT:
                self.page, self.used = self.page + 1, 0
            self.used += pitch

    def keep(self, height: int) -> None:
        """Start a new page unless `height` fits on this one."""
        if self.used + height > TEXT_HEIGHT:
            self.page, self.used = self.page + 1, 0


def _body_lines(block: Block) -> int:
    indent = 0.0 if block.kind in (BlockKind.RECIPIENTS, BlockKind.SIGNATURE, BlockKind.DATE) else 2.0
    text = _note_text(block.text) if block.kind is BlockKind.NOTE else block.text
    return sum(body_lines(line, indent) for line in text.split("\n"))


def _end_of_body(blocks: tuple[Block, ...]) -> _Pen:
    """About where the body ends: the page and the height used on it, following the writer's spacing."""
    pen = _Pen()
    kinds = [block.kind for block in blocks]
    title = next((b for b in blocks if b.kind is BlockKind.TITLE), None)
    title_rows = title_lines(title.text).count("\n") + 1 if title else 0
    header = HEADER_TWIPS + 2 * LINE_PITCH if BlockKind.ISSUER_MARK in kinds else 0
    if header or title:
        pen.used = header + (title_rows + 1) * LINE_PITCH if title else header
    tail_start = len(blocks)
    while tail_start > 0 and kinds[tail_start - 1] in KEPT_WITH_PREVIOUS:
        tail_start -= 1
    tail_start = max(0, tail_start - 1)  # the last body paragraph keeps with the tail
    for index, block in enumerate(blocks):
        if block.kind in (*HEADER_BLOCKS, BlockKind.TITLE):
            continue
        if index == tail_start:
            tail = sum(_body_lines(b) for b in blocks[index:]) + (BlockKind.SIGNATURE in kinds[index:])
            pen.keep(tail * LINE_PITCH)
        if block.kind is BlockKind.TABLE:
            rows = [[_clean(cell) for cell in row] for row in block.rows]
            columns = table_columns(rows)
            heights = [_row_height(row, columns.widths) for row in rows]
            if sum(heights) <= TEXT_HEIGHT * 0.9:
                pen.keep(sum(heights))
            for number, height in enumerate(heights):
                page = pen.page
                pen.keep(height)
                if pen.page != page and number:
                    pen.used += heights[0]  # the header row repeats
                pen.used += height
            continue
        if block.kind in HEADINGS_KEPT and index != tail_start:
            # A heading keeps with the next paragraph (its style's keepNext): with the headings after it,
            # it needs the first line of that paragraph on the same page.
            run = index
            while run + 1 < len(blocks) and kinds[run + 1] in HEADINGS_KEPT:
                run += 1
            pen.keep((sum(_body_lines(b) for b in blocks[index : run + 1]) + 1) * LINE_PITCH)
        if block.kind is BlockKind.SIGNATURE and kinds[index - 1] is not BlockKind.SIGNATURE:
            pen.lines(1)
        pen.lines(_body_lines(block))
    return pen


@dataclass(frozen=True)
class _Placement:
    """Where the 版记 goes: `breaks` 0 on the body's last page, 1 on the next (even) page, 2 after a blank
    page; `space` twips of empty space above it on its page, so that its last rule meets the 版心's foot."""

    breaks: int
    space: int


def _imprint_height(blocks: list[Block]) -> int:
    cc = next((b.text for b in blocks if b.kind is BlockKind.CC), "")
    inner = TEXT_WIDTH - 2 * IMPRINT_INDENT
    lead = line_width(IMPRINT_LEAD) * TABLE_CHAR_TWIPS
    cc_lines = math.ceil((line_width(cc_text(cc)) * TABLE_CHAR_TWIPS - lead) / (inner - lead)) if cc else 0
    rules = 2 * IMPRINT_RULE_THICK * 20 // 8 + (IMPRINT_RULE_THIN * 20 // 8 if cc else 0)  # twips
    return (cc_lines + 1) * LINE_PITCH + rules + IMPRINT_TRAILER + IMPRINT_SLACK


def _placement(blocks: list[Block], body: tuple[Block, ...]) -> _Placement:
    """The 版记 at the foot of the last page when that page is even and has room; otherwise at the foot of
    the next even page, a blank page between when needed, as GB/T 9704-2012 7.4 puts it on the back of the
    last sheet."""
    height = _imprint_height(blocks)
    pen = _end_of_body(body)
    if pen.page % 2 == 1:
        return _Placement(1, TEXT_HEIGHT - height)
    if pen.used + height > TEXT_HEIGHT:
        return _Placement(2, TEXT_HEIGHT - height)
    return _Placement(0, TEXT_HEIGHT - height - pen.used)


def _spacer(height: int, new_page: bool = False, section: str = "") -> str:
    """An empty paragraph of an exact height (pushing what follows down), on a new page when asked (with
    pageBreakBefore: a w:br would leave the rest of its paragraph, a whole line, at the top of the page)."""
    before = "<w:pageBreakBefore/>" if new_page else ""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE}"/>{before}<w:spacing w:before="0" w:after="0" '
        f'w:line="{max(height, IMPRINT_TRAILER)}" w:lineRule="exact"/>{section}</w:pPr></w:p>'
    )


def _imprint(blocks: list[Block], placement: _Placement) -> str:
    """The 版记: 抄送 (when set) over 印发机关 and 印发日期, between full-width rules, 4号仿宋, where
    `placement` puts it. After a blank page it is in a section of its own, begun by the body's section break
    on the blank page."""
    cc = next((b.text for b in blocks if b.kind is BlockKind.CC), "")
    printer = next((b.text for b in blocks if b.kind is BlockKind.PRINTER), "")
    printed = next((b.text for b in blocks if b.kind is BlockKind.PRINT_DATE), "")
    inner = TEXT_WIDTH - 2 * IMPRINT_INDENT
    lead = line_width(IMPRINT_LEAD) * TABLE_CHAR_TWIPS
    cc_line = cc_text(cc) if cc else ""
    parts = []
    if placement.breaks == 2:
        parts.append(_spacer(IMPRINT_TRAILER))  # the blank page
    if placement.breaks or placement.space >= IMPRINT_TRAILER:
        parts.append(_spacer(placement.space, new_page=placement.breaks > 0))
    rule = '<w:{side} w:val="single" w:sz="{size}" w:space="0" w:color="000000"/>'
    borders = (
        rule.format(side="top", size=IMPRINT_RULE_THICK)
        + '<w:left w:val="nil"/>'
        + rule.format(side="bottom", size=IMPRINT_RULE_THICK)
        + '<w:right w:val="nil"/>'
        + rule.format(side="insideH", size=IMPRINT_RULE_THIN)
        + '<w:insideV w:val="nil"/>'
    )
    line = f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'
    rows = []
    if cc:
        rows.append(
            _paragraph(
                IMPRINT_STYLE,
                TABLE_CELL_RPR,
                cc_line,
                f'{line}<w:ind w:left="{round(lead)}" w:hanging="{round(lead)}"/><w:jc w:val="left"/>',
            )
        )
    rows.append(
        f'<w:p><w:pPr><w:pStyle w:val="{IMPRINT_STYLE}"/><w:tabs><w:tab w:val="right" w:pos="{inner}"/></w:tabs>'
        f'{line}<w:ind w:left="0" w:right="0"/><w:jc w:val="left"/></w:pPr>'
        f"{_run(printer, TABLE_CELL_RPR)}<w:r>{TABLE_CELL_RPR}<w:tab/></w:r>{_run(printed + '印发', TABLE_CELL_RPR)}</w:p>"
    )
    parts.append(
        f'<w:tbl><w:tblPr><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{IMPRINT_INDENT}" w:type="dxa"/><w:right w:w="{IMPRINT_INDENT}" w:type="dxa"/>'
        f'</w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid><w:gridCol w:w="{TEXT_WIDTH}"/></w:tblGrid>'
        + "".join(
            f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{TEXT_WIDTH}" w:type="dxa"/></w:tcPr>'
            f"{row}</w:tc></w:tr>"
            for row in rows
        )
        + "</w:tbl>"
    )
    parts.append(_spacer(IMPRINT_TRAILER))  # Word wants a paragraph after a table; 1 pt, never a page of its own
    return "".join(parts)


def cc_text(cc: str) -> str:
    """The 抄送 line: "抄送：" and the organs, the last followed by a full stop (7.4.2)."""
    organs = cc.removeprefix("抄送").lstrip(":：").strip().rstrip("。.， ,")
    return f"{IMPRINT_LEAD}{organs}。"


def docx_bytes(document: Document) -> bytes:
    """The .docx package of `document`; the same document always gives the same bytes.

    Only docProps/core.xml (the title) and word/document.xml differ between documents, so only they
    are compressed here; the fixed parts come compressed from `_fixed_entries`.
    """
    title = f"<dc:title>{_escape(_clean(document.title).replace(chr(10), ''))}</dc:title>"
    fixed = _fixed_entries()
    entries = []
    for name, _ in BASE_PARTS:
        if name == CORE_PART:
            entries.append(_entry(name, _core_xml().replace(EMPTY_TITLE, title).encode("utf-8")))
        else:
            entries.append(fixed[name])
        if name == "docProps/app.xml":
            entries.append(_entry(DOCUMENT_PART, document_xml(document).encode("utf-8")))
    return _package(entries)


# The zip format (PKWARE APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16) for the one kind of entry a package has here:
# deflated, sizes in the local header (no data descriptor), no extra field or comment, "version 2.0" and
# MS-DOS attributes, dated ZIP_TIME; the file mode 0600 is what Python's zipfile gives an entry without one.
# Built by hand so that a fixed part is compressed once per process instead of once per document, and so
# that the bytes do not depend on the Python version's zipfile.
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_CENTRAL_RECORD = struct.Struct("<4s4B4HL2L5H2L")
_END_RECORD = struct.Struct("<4s4H2LH")
_ZIP_VERSION, _DEFLATED, _MODE = 20, 8, 0o600 << 16
_DOS_DATE = (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2]
_DOS_TIME = ZIP_TIME[3] << 11 | ZIP_TIME[4] << 5 | ZIP_TIME[5] // 2


@dataclass(frozen=True)
class _Entry:
    """One part, deflated and framed by its local header; `fields` are what the central directory repeats."""

    name: bytes
    fields: tuple[int, int, int]  # CRC-32, compressed size, size
    framed: bytes  # local header, name and compressed data


def _entry(name: str, data: bytes) -> _Entry:
    """A part deflated at zlib's default level (as zipfile deflates it)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = compressor.compress(data) + compressor.flush()
    raw_name = name.encode("ascii")  # part names are ASCII: no UTF-8 flag needed
    fields = (zlib.crc32(data), len(packed), len(data))
    header = _LOCAL_HEADER.pack(
        b"PK\x03\x04", _ZIP_VERSION, 0, 0, _DEFLATED, _DOS_TIME, _DOS_DATE, *fields, len(raw_name), 0
    )
    return _Entry(raw_name, fields, header + raw_name + packed)


def _package(entries: list[_Entry]) -> bytes:
    """The zip of `entries` in order: each framed part, the central directory, the end record."""
    directory, offset = [], 0
    for entry in entries:
        directory.append(
            _CENTRAL_RECORD.pack(
                b"PK\x01\x02",
                _ZIP_VERSION,
                0,
                _ZIP_VERSION,
                0,
                0,
                _DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                *entry.fields,
                len(entry.name),
                0,
                0,
                0,
                0,
                _MODE,
                offset,
            )
            + entry.name
        )
        offset += len(entry.framed)
    central = b"".join(directory)
    end = _END_RECORD.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), offset, 0)
    return b"".join(entry.framed for entry in entries) + central + end


@cache
def _fixed_entries() -> dict[str, _Entry]:
    """The parts that are the same in every package, compressed once."""
    return {name: _entry(name, data) for name, data in _base_parts().items() if name != CORE_PART}


@cache
def _core_xml() -> str:
    return _base_parts()[CORE_PART].decode("utf-8")


def write_docx(document: Document, path: Path) -> None:
    """Write `document` as a .docx file at `path` (atomically, replacing a file already there)."""
    write_bytes(path, docx_bytes(document), force=True)
