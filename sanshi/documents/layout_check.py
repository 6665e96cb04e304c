"""Check that a .docx is laid out as an official document (公文) after GB/T 9704-2012.

The check reads the package itself (zipfile and ElementTree, no python-docx) and
measures what Word would: the page and margins of each section, the document grid,
the effective fonts, sizes, alignment and indents of paragraphs (direct formatting,
then the style chain, then the document defaults), and the page-number footers.
It relies on the paragraph style ids our writer uses (GwTitle, GwBody, ...) only to
know which paragraph is which part of the 公文; the numbers are measured, not assumed.
Problems are reported, never raised: a file that is not a .docx gives a problem too.
"""

from __future__ import annotations

import math
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element


@dataclass(frozen=True)
class Standard:
    """The numbers of GB/T 9704-2012 党政机关公文格式 that a document is measured against."""

    page_mm: tuple[float, float] = (210.0, 297.0)  # 5.2.1 (and GB/T 148): A4 portrait
    # 5.2.1 版面: 天头 (top) 37 mm, 订口 (left) 28 mm, 版心 156 x 225 mm, which leaves 35 mm and 26 mm.
    margins_mm: tuple[tuple[str, str, float], ...] = (
        ("top", "上", 37.0),
        ("bottom", "下", 35.0),
        ("left", "左", 28.0),
        ("right", "右", 26.0),
    )
    text_box_mm: tuple[float, float] = (156.0, 225.0)  # 5.2.1 版心 width x height
    text_box_tolerance_mm: float = 0.5
    lines_per_page: int = 22  # 5.2.2: 一般每面排22行
    chars_per_line: int = 28  # 5.2.2: 每行排28个字
    body_pt: float = 16.0  # 5.2.2: 3号仿宋体字
    body_font: str = "仿宋"
    line_pt: float = 29.0  # 225 mm / 22 lines = 28.95 pt
    line_tolerance_pt: float = 1.0
    title_pt: float = 22.0  # 7.3.1: 2号小标宋体字, 居中
    title_font: str = "小标宋"
    # 7.2.4 发文字号: 年份用六角括号〔〕, 序号不编虚位 (no leading zeros), e.g. 陕组发〔2023〕12号
    doc_number: str = r"^\S+〔[1-9]\d{3}〕[1-9]\d*号$"
    # 7.3.5 成文日期: 阿拉伯数字, 年月日标全, 月日不编虚位; 右空四字
    date: str = r"^([1-9]\d{3})年([1-9]\d?)月([1-9]\d?)日$"
    date_right_chars: float = 4.0
    # 7.2.4: 发文字号之下 4 mm 处居中印一条与版心等宽的红色分隔线
    separator_gap_mm: float = 4.0
    separator_tolerance_mm: float = 0.5
    page_number_pt: float = 14.0  # 7.5 页码: 4号半角宋体阿拉伯数字, 数码左右各放一条一字线 (U+2014)
    page_number_font: str = "宋体"
    page_number_indent_chars: float = 1.0  # 7.5: 单页码居右空一字, 双页码居左空一字
    indent_tolerance_twips: int = 20


GBT_9704 = Standard()

# What each paragraph style of our writer must look like: (style id, label in messages, label of the
# measurement, font family, size in pt or None for any, centred?, clause). 7.2.3 发文机关标志, 7.2.4 发文字号, 7.3.1 标题, 7.3.2 主送机关,
# 7.3.3 正文 and 结构层次 (一级黑体, 二级楷体, 三级仿宋), 7.3.5 署名和成文日期, 7.3.6 附注.
STYLE_RULES: tuple[tuple[str, str, str, str, float | None, bool, str], ...] = (
    ("GwIssuerMark", "发文机关标志", "发文机关标志", "小标宋", None, True, "7.2.3"),
    ("GwDocNumber", "发文字号", "发文字号字体", "仿宋", 16.0, True, "7.2.4"),
    ("GwTitle", "标题", "标题", "小标宋", 22.0, True, "7.3.1"),
    ("GwRecipients", "主送机关", "主送机关", "仿宋", 16.0, False, "7.3.2"),
    ("GwBody", "正文", "正文字号", "仿宋", 16.0, False, "5.2.2"),
    ("GwHeading1", "一级标题", "一级标题", "黑体", 16.0, False, "7.3.3"),
    ("GwHeading2", "二级标题", "二级标题", "楷体", 16.0, False, "7.3.3"),
    ("GwHeading3", "三级标题", "三级标题", "仿宋", 16.0, False, "7.3.3"),
    ("GwSignature", "发文机关署名", "发文机关署名", "仿宋", 16.0, False, "7.3.5"),
    ("GwDate", "成文日期", "成文日期字体", "仿宋", 16.0, False, "7.3.5"),
    ("GwNote", "附注", "附注", "仿宋", 16.0, False, "7.3.6"),
)
# Names a family goes by (matched case-insensitively inside the font name: 仿宋_GB2312, 方正仿宋_GBK, FangSong).
FONT_FAMILIES = {
    "仿宋": ("仿宋", "fangsong"),
    "小标宋": ("小标宋", "xiaobiaosong"),
    "黑体": ("黑体", "simhei", "heiti"),
    "楷体": ("楷体", "kaiti"),
    "宋体": ("宋体", "simsun", "songti"),
}
SIZE_NAMES = {
    42.0: "初号",
    36.0: "小初",
    26.0: "1号",
    24.0: "小1号",
    22.0: "2号",
    18.0: "小2号",
    16.0: "3号",
    15.0: "小3号",
    14.0: "4号",
    12.0: "小4号",
    10.5: "5号",
    9.0: "小5号",
}
ALIGN_NAMES = {
    "center": "居中",
    "right": "居右",
    "end": "居右",
    "left": "居左",
    "start": "居左",
    "both": "两端对齐",
    "distribute": "分散对齐",
}

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
SETTINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
THEME_ATTRIBUTES = {"asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"}
STORY_PART = re.compile(r"^word/(document\d*|header\d*|footer\d*|footnotes|endnotes)\.xml$")
TWIPS_PER_UNIT = {"mm": 1440 / 25.4, "cm": 14400 / 25.4, "in": 1440.0, "pt": 20.0, "pc": 240.0, "pi": 240.0}
FALSE_VALUES = {"0", "false", "off"}
NATURAL_LINE = 1.3  # Word's single line for CJK fonts, as a multiple of the font size
PAGE_FIELD = "\x00"  # stands for a PAGE field in a footer's text


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class LayoutReport:
    """What was measured (label, value) and what does not conform (empty when the document conforms)."""

    measurements: list[tuple[str, str]]
    problems: list[str]

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


class _Unreadable(Exception):
    """A part that is missing or not XML; the message is for the user."""


def _mm(twips: float) -> float:
    return twips * 25.4 / 1440


def _fmt(number: float) -> str:
    """A number without trailing zeros: 37, 28.95, 156.1."""
    return f"{round(number, 2):g}"


def _twips(value: str | None) -> float | None:
    """A length attribute in twips; accepts plain twips and the universal measures (12.5mm, 1in, 10pt)."""
    if value is None:
        return None
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|in|pt|pc|pi)?\s*", value)
    if not match:
        raise ValueError(value)
    number = float(match.group(1))
    return number * TWIPS_PER_UNIT[match.group(2)] if match.group(2) else number


def _is_family(font: str | None, family: str) -> bool:
    return bool(font) and any(alias in font.lower() for alias in FONT_FAMILIES[family])


def _size_name(points: float) -> str:
    name = SIZE_NAMES.get(points)
    return f"{name}({_fmt(points)}pt)" if name else f"{_fmt(points)}pt"


def _is_red(color: str | None) -> bool:
    if not color or not re.fullmatch(r"[0-9A-Fa-f]{6}", color):
        return False
    red, green, blue = (int(color[i : i + 2], 16) for i in (0, 2, 4))
    return red >= 0xB0 and green <= 0x50 and blue <= 0x50


def _snippet(text: str, limit: int = 12) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


class _Package:
    """The parts of a .docx, parsed on demand, with the relationships of its main document."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = set(archive.namelist())
        self._parsed: dict[str, Element | None] = {}
        self.main = self._main_part()
        self.relations = self.rels(self.main)

    def xml(self, name: str) -> Element | None:
        """The root of a part, or None when the package has no such part."""
        if name not in self._parsed:
            if name not in self.names:
                self._parsed[name] = None
            else:
                try:
                    self._parsed[name] = ET.fromstring(self.archive.read(name))
                except ET.ParseError as error:
                    raise _Unreadable(f"{name} 不是合法的 XML:{error}") from None
        return self._parsed[name]

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part name) of `part`."""
        folder, file = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", f"{file}.rels"))
        if root is None:
            return {}
        relations = {}
        for rel in root.iter(f"{{{PACKAGE_RELS}}}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            relations[rel.get("Id", "")] = (rel.get("Type", ""), name)
        return relations

    def related(self, kind: str, fallback: str) -> str:
        """The part the main document relates to by `kind` (styles, settings)."""
        return next((name for typ, name in self.relations.values() if typ == kind), fallback)

    def _main_part(self) -> str:
        for typ, name in self.rels("").values():
            if typ == OFFICE_DOCUMENT:
                return name
        return "word/document.xml"


class _Styles:
    """Effective paragraph and run properties: direct formatting, then styles (basedOn), then defaults."""

    def __init__(self, root: Element | None) -> None:
        self.by_id: dict[str, Element] = {}
        self.default_paragraph: str | None = None
        self.default_ppr = self.default_rpr = None
        if root is None:
            return
        for style in root.iter(_w("style")):
            style_id = style.get(_w("styleId"), "")
            self.by_id[style_id] = style
            if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in ("1", "true", "on"):
                self.default_paragraph = style_id
        self.default_ppr = root.find(f"{_w('docDefaults')}/{_w('pPrDefault')}/{_w('pPr')}")
        self.default_rpr = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")

    def chain(self, style_id: str | None) -> list[Element]:
        """The style and those it is based on, nearest first."""
        chain: list[Element] = []
        while style_id and style_id in self.by_id and len(chain) < 20:
            style = self.by_id[style_id]
            if style in chain:
                break
            chain.append(style)
            based = style.find(_w("basedOn"))
            style_id = based.get(_w("val")) if based is not None else None
        return chain

    def default_size_pt(self) -> float | None:
        """The font size of the default paragraph style: Word sizes the character grid by it."""
        levels = [style.find(_w("rPr")) for style in self.chain(self.default_paragraph)] + [self.default_rpr]
        size = self.lookup([level for level in levels if level is not None], "sz", "val")
        return float(size) / 2 if size else None

    def spacing_pt(self, run: Element, paragraph: Element) -> float:
        """A run's character spacing (w:spacing w:val, in twentieths of a point; negative is condensed)."""
        value = self.lookup(self.rpr_levels(run, paragraph), "spacing", "val")
        return float(value) / 20 if value else 0.0

    def scale(self, run: Element, paragraph: Element) -> float:
        """A run's glyph width as a fraction of its size (w:w w:val, in percent; 100 when unset)."""
        value = self.lookup(self.rpr_levels(run, paragraph), "w", "val")
        return float(value) / 100 if value else 1.0

    def paragraph_style(self, paragraph: Element) -> str | None:
        style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
        return style.get(_w("val")) if style is not None else self.default_paragraph

    def ppr_levels(self, paragraph: Element) -> list[Element]:
        levels = [paragraph.find(_w("pPr"))]
        levels += [style.find(_w("pPr")) for style in self.chain(self.paragraph_style(paragraph))]
        levels.append(self.default_ppr)
        return [level for level in levels if level is not None]

    def rpr_levels(self, run: Element, paragraph: Element) -> list[Element]:
        direct = run.find(_w("rPr"))
        levels = [direct]
        character = direct.find(_w("rStyle")) if direct is not None else None
        if character is not None:
            levels += [style.find(_w("rPr")) for style in self.chain(character.get(_w("val")))]
        levels += [style.find(_w("rPr")) for style in self.chain(self.paragraph_style(paragraph))]
        levels.append(self.default_rpr)
        return [level for level in levels if level is not None]

    @staticmethod
    def lookup(levels: list[Element], child: str, attribute: str) -> str | None:
        for level in levels:
            element = level.find(_w(child))
            if element is not None and _w(attribute) in element.attrib:
                return element.get(_w(attribute))
        return None

    def alignment(self, paragraph: Element) -> str:
        return self.lookup(self.ppr_levels(paragraph), "jc", "val") or "left"

    def indent_twips(self, paragraph: Element, side: str, char_twips: float) -> float:
        """The left or right indent in twips; a *Chars value (hundredths of a character) wins on its level."""
        aliases = {"right": ("right", "end"), "left": ("left", "start")}[side]
        for level in self.ppr_levels(paragraph):
            ind = level.find(_w("ind"))
            if ind is None:
                continue
            for name in aliases:
                chars = ind.get(_w(f"{name}Chars"))
                if chars not in (None, "0"):
                    return float(chars) / 100 * char_twips
            for name in aliases:
                twips = _twips(ind.get(_w(name)))
                if twips is not None:
                    return twips
        return 0.0

    def font(self, run: Element, paragraph: Element) -> str | None:
        return self.lookup(self.rpr_levels(run, paragraph), "rFonts", "eastAsia")

    def size_pt(self, run: Element, paragraph: Element) -> float:
        size = self.lookup(self.rpr_levels(run, paragraph), "sz", "val")
        return float(size) / 2 if size else 10.0

    def line_pt(self, paragraph: Element, size_pt: float, grid_pitch_pt: float | None) -> tuple[float, str]:
        """The height of one line in points, and how it is set (固定值 / 最小值 / 倍数)."""
        levels = self.ppr_levels(paragraph)
        line = float(self.lookup(levels, "spacing", "line") or 240)
        rule = self.lookup(levels, "spacing", "lineRule") or "auto"
        if rule == "exact":
            return line / 20, "固定值"
        natural = size_pt * NATURAL_LINE
        if rule == "atLeast":
            return max(line / 20, natural), "最小值"
        snap = (self.lookup(levels, "snapToGrid", "val") or "1").lower() not in FALSE_VALUES
        if grid_pitch_pt and snap:
            return line / 240 * grid_pitch_pt * math.ceil(natural / grid_pitch_pt), "网格倍数"
        return line / 240 * natural, "倍数"


def _text(paragraph: Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(_w("t")))


def _text_runs(paragraph: Element) -> list[Element]:
    return [run for run in paragraph.iter(_w("r")) if run.find(_w("t")) is not None]


def _body_paragraphs(element: Element, in_table: bool = False) -> list[tuple[Element, bool]]:
    """Paragraphs of the body in order, each with whether it sits in a table."""
    found: list[tuple[Element, bool]] = []
    for child in element:
        if child.tag == _w("p"):
            found.append((child, in_table))
        elif child.tag == _w("tbl"):
            found.extend((p, True) for p in child.iter(_w("p")))
        elif child.tag in (_w("sdt"), _w("sdtContent"), _w("customXml")):
            found.extend(_body_paragraphs(child, in_table))
    return found


class _Checker:
    """One check of one package; fills `measurements` and `problems`."""

    def __init__(self, package: _Package) -> None:
        self.package = package
        self.measurements: list[tuple[str, str]] = []
        self.problems: list[str] = []
        self.styles = _Styles(package.xml(package.related(STYLES, "word/styles.xml")))
        self.body_pt = GBT_9704.body_pt
        self.body_spacing_pt = 0.0
        self.body_scale = 1.0
        self.grid_pitch_pt: float | None = None

    def measure(self, label: str, value: str) -> None:
        self.measurements.append((label, value))

    def problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def run(self) -> None:
        document = self.package.xml(self.package.main)
        if document is None:
            self.problem(f"缺少主文档 {self.package.main},不是 Word 文档")
            return
        body = document.find(_w("body"))
        if body is None:
            self.problem(f"{self.package.main} 没有正文(w:body)")
            return
        self.body_pt = self.styles.default_size_pt() or GBT_9704.body_pt
        self.body_spacing_pt, self.body_scale = self.body_character_width(body)
        sections = list(body.iter(_w("sectPr")))
        final = body.find(_w("sectPr"))
        if final is None:
            self.problem("文档没有节属性(w:sectPr),页面、页边距和页码均未设置")
        for number, section in enumerate(sections, start=1):
            prefix = f"第{number}节:" if len(sections) > 1 else ""
            self.check_section(section, prefix, record=section is final)
        paragraphs = _body_paragraphs(body)
        self.check_fonts_direct()
        self.check_themes()
        self.check_line_spacing(paragraphs)
        self.check_styles([p for p, in_table in paragraphs if not in_table], [p for p, _ in paragraphs])
        if final is not None:
            # The body's section carries the page numbers; a last section of its own for the 版记 after a
            # blank page has none (7.5).
            self.check_page_numbers(sections[0])

    def body_character_width(self, body: Element) -> tuple[float, float]:
        """The character spacing (pt) and glyph width (fraction) of the first body run: with a line-only
        grid they set the characters per line."""
        for paragraph in body.iter(_w("p")):
            if self.styles.paragraph_style(paragraph) == "GwBody":
                for run in paragraph.iter(_w("r")):
                    if run.find(_w("t")) is not None:
                        return self.styles.spacing_pt(run, paragraph), self.styles.scale(run, paragraph)
        return 0.0, 1.0

    def check_section(self, section: Element, prefix: str, record: bool) -> None:
        """Paper, margins, 版心 and the document grid of one section (5.2.1, 5.2.2)."""
        std = GBT_9704
        size, margins = section.find(_w("pgSz")), section.find(_w("pgMar"))
        if size is None or margins is None:
            self.problem(f"{prefix}未设置纸张大小或页边距(w:pgSz / w:pgMar)")
            return
        width, height = _twips(size.get(_w("w"))) or 0, _twips(size.get(_w("h"))) or 0
        paper = f"{_fmt(round(_mm(width), 1))}×{_fmt(round(_mm(height), 1))} mm"
        is_a4 = abs(_mm(width) - std.page_mm[0]) <= 0.1 and abs(_mm(height) - std.page_mm[1]) <= 0.1
        if not is_a4:
            self.problem(
                f"{prefix}纸张为 {paper}({_fmt(width)}×{_fmt(height)} twips),应为 A4 纵向 210×297 mm"
                f"(11906×16838 twips,GB/T 9704-2012 5.2.1)"
            )
        values = {}
        for side, name, expected in std.margins_mm:
            twips = abs(_twips(margins.get(_w(side))) or 0)
            values[side] = twips
            if round(_mm(twips), 1) != expected:
                self.problem(
                    f"{prefix}{name}页边距为 {_fmt(_mm(twips))} mm(pgMar {side}={_fmt(twips)} twips),"
                    f"应为 {_fmt(expected)} mm(GB/T 9704-2012 5.2.1)"
                )
        gutter = _twips(margins.get(_w("gutter"))) or 0
        text_width = width - values["left"] - values["right"] - gutter
        text_height = height - values["top"] - values["bottom"]
        box = f"{_fmt(round(_mm(text_width), 1))}×{_fmt(round(_mm(text_height), 1))} mm"
        if (
            abs(_mm(text_width) - std.text_box_mm[0]) > std.text_box_tolerance_mm
            or abs(_mm(text_height) - std.text_box_mm[1]) > std.text_box_tolerance_mm
        ):
            self.problem(f"{prefix}版心为 {box},应为 156×225 mm(GB/T 9704-2012 5.2.1)")

        grid = section.find(_w("docGrid"))
        kind = grid.get(_w("type"), "default") if grid is not None else "default"
        pitch = _twips(grid.get(_w("linePitch"))) if grid is not None else None
        lines = chars = None
        if kind in ("lines", "linesAndChars", "snapToChars") and pitch:
            lines = math.floor(text_height / pitch + 1e-9)
            if record:
                self.grid_pitch_pt = pitch / 20
        else:
            self.problem(f"{prefix}未设置文档网格(w:docGrid 的 type 应为 lines 或 linesAndChars),每页行数不固定")
        # A character grid fixes the pitch (Word squeezes each character into its cell); with a line-only
        # grid the pitch is the body font size plus the runs' character spacing.
        glyph_pt = self.body_pt * self.body_scale
        char_pt = glyph_pt + self.body_spacing_pt
        if kind in ("linesAndChars", "snapToChars"):
            char_pt = self.body_pt + float(grid.get(_w("charSpace"), "0")) / 4096
            if glyph_pt > char_pt + 1e-9:
                self.problem(
                    f"{prefix}字符网格每格 {_fmt(round(char_pt, 2))} pt,窄于 {_fmt(round(glyph_pt, 2))} pt 的正文字:"
                    "LibreOffice 会让每个字占两格(每行 14 字)"
                )
        if self.body_spacing_pt < 0:
            self.problem(
                f"{prefix}正文字距压缩 {_fmt(-self.body_spacing_pt)} pt(w:spacing):LibreOffice 会丢失满行行末的"
                "顿号、逗号等标点,请改用字宽(w:w)"
            )
        chars = math.floor(text_width / 20 / char_pt + 1e-9) if char_pt > 0 else 0
        if lines is not None and lines != std.lines_per_page:
            self.problem(
                f"{prefix}每页 {lines} 行(版心高 {_fmt(text_height)} twips ÷ 行距 {_fmt(pitch)}),"
                f"应为 22 行(GB/T 9704-2012 5.2.2)"
            )
        if chars != std.chars_per_line:
            self.problem(
                f"{prefix}每行 {chars} 字(每字 {_fmt(round(char_pt, 2))} pt:字符网格 charSpace,或正文字宽 w:w 与字距 w:spacing),"
                f"应为 28 字(GB/T 9704-2012 5.2.2)"
            )
        if record:
            self.measure("纸张", f"A4 {paper}" if is_a4 else paper)
            self.measure(
                "页边距",
                "上{top} 下{bottom} 左{left} 右{right} mm".format(
                    **{side: _fmt(round(_mm(twips), 1)) for side, twips in values.items()}
                ),
            )
            self.measure("版心", box)
            self.measure("每页行数", str(lines) if lines is not None else "未设网格")
            self.measure("每行字数", str(chars))

    def check_fonts_direct(self) -> None:
        """Every run with text names its Chinese font directly; otherwise Word may pick a Japanese face."""
        missing, example = 0, ""
        for name in sorted(self.package.names):
            if not (STORY_PART.match(name) or name == self.package.main):
                continue
            root = self.package.xml(name)
            for run in root.iter(_w("r")) if root is not None else ():
                if run.find(_w("t")) is None:
                    continue
                fonts = run.find(f"{_w('rPr')}/{_w('rFonts')}")
                if fonts is None or not (fonts.get(_w("eastAsia")) or "").strip():
                    missing += 1
                    if not example:
                        text = "".join(t.text or "" for t in run.findall(_w("t")))
                        example = f"{name} 中的“{_snippet(text)}”"
        if missing:
            self.problem(
                f"{missing} 处文字没有直接设置中文字体(w:rPr/w:rFonts 缺少 w:eastAsia),如 {example};"
                "Word 会改用默认或主题字体,中文可能显示为日文字形"
            )

    def check_themes(self) -> None:
        """No theme part and no theme fonts: a theme's East Asian font is Japanese in Word's default theme."""
        themes = sorted(name for name in self.package.names if name.startswith("word/theme/"))
        if themes:
            self.problem(f"包含主题部件 {'、'.join(themes)},主题字体可能让中文显示为日文字形")
        used = set()
        for name in sorted(self.package.names):
            if name.startswith("word/") and name.endswith(".xml") and not name.startswith("word/theme/"):
                root = self.package.xml(name)
                for element in root.iter() if root is not None else ():
                    used.update(a.split("}")[-1] for a in element.attrib if a.split("}")[-1] in THEME_ATTRIBUTES)
        if used:
            self.problem(f"使用了主题字体属性({'、'.join(sorted(used))}),应直接指定字体名")

    def check_line_spacing(self, paragraphs: list[tuple[Element, bool]]) -> None:
        """Body-size paragraphs keep the 22-line rhythm: one line is 29 pt (5.2.2)."""
        std = GBT_9704
        wrong, count, shown = "", 0, ""
        for paragraph, in_table in paragraphs:
            if in_table:
                continue
            runs = _text_runs(paragraph)
            is_body = self.styles.paragraph_style(paragraph) == "GwBody"
            if not runs or not (is_body or all(self.styles.size_pt(r, paragraph) == std.body_pt for r in runs)):
                continue
            height, how = self.styles.line_pt(paragraph, std.body_pt, self.grid_pitch_pt)
            if not shown:
                shown = f"{how} {_fmt(height)} pt"
            if abs(height - std.line_pt) > std.line_tolerance_pt:
                count += 1
                wrong = wrong or f"“{_snippet(_text(paragraph))}”为{how} {_fmt(height)} pt"
        if shown:
            self.measure("正文行距", shown)
        if count:
            self.problem(f"{count} 个正文字号的段落行距不是约 29 pt(每页 22 行),如 {wrong}(GB/T 9704-2012 5.2.2)")

    def check_styles(self, paragraphs: list[Element], everything: list[Element]) -> None:
        """Font, size and alignment of each part of the 公文, then the 发文字号 and 成文日期 texts."""
        by_style: dict[str, list[Element]] = {}
        for paragraph in paragraphs:
            by_style.setdefault(self.styles.paragraph_style(paragraph) or "", []).append(paragraph)
        for style_id, label, measured, family, points, centred, clause in STYLE_RULES:
            found = [p for p in by_style.get(style_id, []) if _text(p).strip()]
            if not found:
                if style_id == "GwTitle":
                    self.problem("没有标题段落(样式 GwTitle),公文应有标题(GB/T 9704-2012 7.3.1)")
                continue
            self.check_look(found, (label, measured), family, points, centred, clause)
        for paragraph in by_style.get("GwDocNumber", []):
            self.check_doc_number(paragraph, everything)
        for paragraph in by_style.get("GwDate", []):
            self.check_date(paragraph)
        if any(_text(p).strip() for p in by_style.get("GwIssuerMark", [])):
            self.check_imprint([p for p in everything if self.styles.paragraph_style(p) == "GwImprint"])

    def check_imprint(self, paragraphs: list[Element]) -> None:
        """7.4: a document with a 版头 ends with a 版记: 印发机关 and 印发日期 (年月日标全, 后加“印发”), with
        抄送 above them when there is one."""
        texts = [_text(p).strip() for p in paragraphs if _text(p).strip()]
        imprint = next((t for t in reversed(texts) if t.endswith("印发")), None)
        if imprint is None:
            self.problem("有版头的公文缺少版记:印发机关和印发日期(如“某某办公室 2024年1月15日印发”,GB/T 9704-2012 7.4)")
            return
        cc = next((t for t in texts if t.startswith("抄送")), None)
        self.measure("版记", ("抄送、" if cc else "") + "印发机关和印发日期")
        date = re.search(r"(\d+年\d+月\d+日)印发$", imprint)
        if date is None or not re.fullmatch(GBT_9704.date, date.group(1)):
            self.problem(
                f"版记“{imprint}”的印发日期不合规范:应用阿拉伯数字将年、月、日标全,后加“印发”(GB/T 9704-2012 7.4.3)"
            )
        if cc is not None and not cc.endswith("。"):
            self.problem(f"版记“{cc}”:最后一个抄送机关后应标句号(GB/T 9704-2012 7.4.2)")

    def check_look(
        self,
        paragraphs: list[Element],
        labels: tuple[str, str],
        family: str,
        points: float | None,
        centred: bool,
        clause: str,
    ) -> None:
        """Font family, size and centring of the runs of one kind of paragraph."""
        label, measured = labels
        first_font, first_size = None, None
        for paragraph in paragraphs:
            for run in _text_runs(paragraph):
                font, size = self.styles.font(run, paragraph), self.styles.size_pt(run, paragraph)
                first_font = first_font or font
                first_size = first_size or size
                if not _is_family(font, family):
                    self.problem(
                        f"{label}“{_snippet(_text(paragraph))}”的字体为 {font or '未设置'},应为{family}"
                        f"(GB/T 9704-2012 {clause})"
                    )
                    break
                if points is not None and size != points:
                    self.problem(
                        f"{label}“{_snippet(_text(paragraph))}”的字号为 {_size_name(size)},"
                        f"应为 {_size_name(points)}(GB/T 9704-2012 {clause})"
                    )
                    break
            if centred and self.styles.alignment(paragraph) != "center":
                self.problem(f"{label}“{_snippet(_text(paragraph))}”没有居中(GB/T 9704-2012 {clause})")
        align = ALIGN_NAMES.get(self.styles.alignment(paragraphs[0]), "")
        value = f"{_size_name(first_size or 0)} {first_font or '未设置字体'}"
        self.measure(measured, f"{value} {align}" if centred else value)

    def check_doc_number(self, paragraph: Element, everything: list[Element]) -> None:
        """7.2.4: 〔year〕 and no leading zeros; 7.2.6: a red separator line right under it."""
        text = _text(paragraph).strip()
        self.measure("发文字号", text)
        if not re.fullmatch(GBT_9704.doc_number, text):
            self.problem(
                f"发文字号“{text}”不合规范:年份应标全并用六角括号〔〕,序号不编虚位(不加 0),"
                f"如“陕组发〔2023〕12号”(GB/T 9704-2012 7.2.4)"
            )
        border = self.border(paragraph, "bottom")
        if border is not None and _is_red(border.get(_w("color"))):
            gap_mm = float(border.get(_w("space"), "0")) * 25.4 / 72
            self.measure("红色分隔线", f"发文字号下 {_fmt(round(gap_mm, 1))} mm")
            if abs(gap_mm - GBT_9704.separator_gap_mm) > GBT_9704.separator_tolerance_mm:
                self.problem(f"红色分隔线在发文字号下 {_fmt(round(gap_mm, 1))} mm,应为 4 mm(GB/T 9704-2012 7.2.4)")
        index = next(i for i, p in enumerate(everything) if p is paragraph)
        following = everything[index + 1] if index + 1 < len(everything) else None
        if not (
            self.red_border(paragraph, "bottom")
            or (
                following is not None
                and (
                    self.red_border(following, "top")
                    or self.red_border(following, "bottom")
                    or following.find(f".//{_w('drawing')}") is not None
                    or following.find(f".//{_w('pict')}") is not None
                )
            )
        ):
            self.problem("发文字号下没有红色分隔线(GB/T 9704-2012 7.2.6)")

    def border(self, paragraph: Element, side: str) -> Element | None:
        """The paragraph's border on `side` as the style chain resolves it; None when there is none."""
        for level in self.styles.ppr_levels(paragraph):
            border = level.find(f"{_w('pBdr')}/{_w(side)}")
            if border is not None:
                return None if border.get(_w("val"), "nil") in ("nil", "none") else border
        return None

    def red_border(self, paragraph: Element, side: str) -> bool:
        border = self.border(paragraph, side)
        return border is not None and _is_red(border.get(_w("color")))

    def check_date(self, paragraph: Element) -> None:
        """7.3.5: 成文日期 in Arabic numerals without leading zeros, 右空四字."""
        std = GBT_9704
        text = _text(paragraph).strip()
        char_twips = std.body_pt * 20
        right = self.styles.indent_twips(paragraph, "right", char_twips)
        self.measure("成文日期", f"{text} 右空{_fmt(right / char_twips)}字")
        match = re.fullmatch(std.date, text)
        if not match:
            self.problem(
                f"成文日期“{text}”不合规范:应用阿拉伯数字将年、月、日标全,月、日不编虚位(不加 0),"
                f"如“2023年12月1日”(GB/T 9704-2012 7.3.5)"
            )
        else:
            try:
                date(*(int(part) for part in match.groups()))
            except ValueError:
                self.problem(f"成文日期“{text}”不是有效的日期")
        if abs(right - std.date_right_chars * char_twips) > std.indent_tolerance_twips:
            self.problem(
                f"成文日期右空 {_fmt(right / char_twips)} 字,应右空四字"
                f"(右缩进 400 字符单位或 1280 twips,GB/T 9704-2012 7.3.5)"
            )

    def check_page_numbers(self, section: Element) -> None:
        """7.5: — N — in 4号宋体, odd pages right and even pages left, each one character in."""
        settings = self.package.xml(self.package.related(SETTINGS, "word/settings.xml"))
        flag = settings.find(_w("evenAndOddHeaders")) if settings is not None else None
        even_odd = flag is not None and (flag.get(_w("val")) or "1").lower() not in FALSE_VALUES
        if not even_odd:
            self.problem("settings.xml 未设置奇偶页不同(w:evenAndOddHeaders),双页页码无法居左(GB/T 9704-2012 7.5)")
        footers = {}
        for reference in section.findall(_w("footerReference")):
            relation = self.package.relations.get(reference.get(f"{{{R}}}id", ""))
            if relation is not None:
                footers[reference.get(_w("type"), "default")] = relation[1]
        findings = []
        for kind, side, label in (("default", "right", "单页"), ("even", "left", "双页")):
            part = footers.get(kind)
            root = self.package.xml(part) if part else None
            if root is None:
                self.problem(
                    f'没有{label}页脚(w:footerReference w:type="{kind}"),{label}不显示页码(GB/T 9704-2012 7.5)'
                )
                continue
            finding = self.check_footer(root, part, side, label)
            if finding:
                findings.append(finding)
        if findings:
            self.measure("页码", findings[0][0] + " " + " ".join(placement for _, placement in findings))

    def check_footer(self, root: Element, part: str, side: str, label: str) -> tuple[str, str] | None:
        """One footer: (how the number looks, where it sits), or None when it has no PAGE field."""
        std = GBT_9704
        paragraph = next((p for p in root.iter(_w("p")) if PAGE_FIELD in _field_text(p)), None)
        if paragraph is None:
            self.problem(f"{label}页脚 {part} 中没有 PAGE 页码域(GB/T 9704-2012 7.5)")
            return None
        text = _field_text(paragraph)
        shown = text.replace(PAGE_FIELD, "PAGE").strip()
        if not re.fullmatch(rf"[\s\u3000]*—\s*{PAGE_FIELD}\s*—[\s\u3000]*", text):
            self.problem(f"{label}页码为“{shown}”,应为“— N —”:页码两侧各一条一字线(U+2014)(GB/T 9704-2012 7.5)")
        runs = _text_runs(paragraph)
        font = self.styles.font(runs[0], paragraph) if runs else None
        size = self.styles.size_pt(runs[0], paragraph) if runs else 0.0
        for run in runs:
            font, size = self.styles.font(run, paragraph), self.styles.size_pt(run, paragraph)
            if not _is_family(font, std.page_number_font) or size != std.page_number_pt:
                self.problem(
                    f"{label}页码为 {_size_name(size)} {font or '未设置字体'},应为 4号(14pt)宋体(GB/T 9704-2012 7.5)"
                )
                break
        align = self.styles.alignment(paragraph)
        align = {"end": "right", "start": "left"}.get(align, align)
        char_twips = std.page_number_pt * 20
        indent = self.styles.indent_twips(paragraph, side, char_twips) / char_twips
        stripped = text.rstrip("\u3000") if side == "right" else text.lstrip("\u3000")
        indent += len(text) - len(stripped)  # a full-width space also makes 空一字
        where = "居右" if side == "right" else "居左"
        if align != side:
            self.problem(f"{label}页码{ALIGN_NAMES.get(align, align)},应{where}(GB/T 9704-2012 7.5)")
        elif abs(indent - std.page_number_indent_chars) * char_twips > 2 * std.indent_tolerance_twips:
            self.problem(f"{label}页码{where}空 {_fmt(indent)} 字,应{where}空一字(GB/T 9704-2012 7.5)")
        return f"{_size_name(size)} {font or '未设置字体'} {shown}", f"{label}{where}空{_fmt(indent)}字"


def _field_text(paragraph: Element) -> str:
    """The paragraph's text with each PAGE field (simple or complex) as PAGE_FIELD and field results left out."""
    pieces: list[str] = []
    fields: list[list[str]] = []  # open complex fields: their instruction text so far

    def walk(element: Element) -> None:
        for child in element:
            if child.tag == _w("fldSimple"):
                if (child.get(_w("instr")) or "").split()[:1] == ["PAGE"]:
                    pieces.append(PAGE_FIELD)
            elif child.tag == _w("fldChar"):
                kind = child.get(_w("fldCharType"))
                if kind == "begin":
                    fields.append([])
                elif kind == "end" and fields:
                    instruction = "".join(fields.pop()).split()
                    if instruction[:1] == ["PAGE"] and not fields:
                        pieces.append(PAGE_FIELD)
            elif child.tag == _w("instrText"):
                if fields:
                    fields[-1].append(child.text or "")
            elif child.tag == _w("t"):
                if not fields:
                    pieces.append(child.text or "")
            elif child.tag == _w("tab"):
                if not fields:
                    pieces.append("\t")
            elif child.tag != _w("pPr"):
                walk(child)

    walk(paragraph)
    return "".join(pieces)


def check_docx(path: Path) -> LayoutReport:
    """Measure the .docx at `path` against GB/T 9704-2012; problems are reported, never raised."""
    path = Path(path)
    if not path.exists():
        return LayoutReport([], [f"文件不存在:{path}"])
    if path.is_dir():
        return LayoutReport([], [f"{path} 是文件夹,不是 .docx 文件"])
    problems = [] if path.suffix.lower() == ".docx" else [f"{path.name} 的扩展名不是 .docx"]
    try:
        with zipfile.ZipFile(path) as archive:
            checker = _Checker(_Package(archive))
            checker.run()
    except zipfile.BadZipFile:
        return LayoutReport([], problems + [f"{path.name} 不是 .docx 文件(无法作为 zip 压缩包打开)"])
    except _Unreadable as error:
        return LayoutReport([], problems + [f"{path.name} 已损坏:{error}"])
    except (OSError, EOFError, zlib.error, RuntimeError, KeyError, ValueError) as error:
        return LayoutReport([], problems + [f"{path.name} 无法读取或内容损坏:{error}"])
    return LayoutReport(checker.measurements, problems + checker.problems)
