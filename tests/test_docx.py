"""The .docx writer (GB/T 9704-2012 layout) and the layout checker.

The GB/T numbers are written out here by hand (2098, 1984, 1587, 1474, 579, 22, 28)
rather than taken from the modules under test.
"""

from __future__ import annotations

import io
from dataclasses import replace
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanshi.documents.model import IMPRINT_BLOCKS, Block, BlockKind, Document
from sanshi.writers.docx import docx_bytes, table_columns, write_docx
from sanshi.writers.typesetting import title_lines
from sanshi.documents.layout_check import check_docx
from tests.profiles import examples

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
SPECIAL = '考核得分 & 排名 <前三> 及 "优秀" 等次'


def sample_document(paragraphs: int = 3) -> Document:
    """A 表彰通报 with every kind of block; `paragraphs` body paragraphs after the table."""
    body = "根据年度考核结果,经研究,决定对下列单位予以通报表彰。希望受表彰的单位珍惜荣誉,再接再厉。"
    blocks = [
        Block(BlockKind.ISSUER_MARK, "中共陕西省委组织部文件"),
        Block(BlockKind.DOC_NUMBER, "陕组发〔2023〕12号"),
        Block(BlockKind.TITLE, "关于表彰2023年度目标责任考核优秀单位的通报"),
        Block(BlockKind.RECIPIENTS, "各设区市委组织部:"),
        Block(BlockKind.PARAGRAPH, body),
        Block(BlockKind.HEADING1, "一、表彰名单"),
        Block(BlockKind.PARAGRAPH, SPECIAL),
        Block(BlockKind.HEADING2, "(一)市级单位"),
        Block(BlockKind.TABLE, rows=(("序号", "单位", "得分"), ("1", "西安市", "98.5"), ("2", "宝鸡市", "97.25"))),
        *[Block(BlockKind.PARAGRAPH, body) for _ in range(paragraphs)],
        Block(BlockKind.SIGNATURE, "中共陕西省委组织部"),
        Block(BlockKind.DATE, "2023年12月1日"),
        Block(BlockKind.NOTE, "此件公开发布"),
        Block(BlockKind.CC, "省纪委监委,省委办公厅"),
        Block(BlockKind.PRINTER, "中共陕西省委组织部办公室"),
        Block(BlockKind.PRINT_DATE, "2023年12月1日"),
    ]
    return Document(kind="表彰通报", subject="全省", seq=1, blocks=tuple(blocks))


@pytest.fixture
def written(tmp_path) -> Path:
    path = tmp_path / "通报.docx"
    write_docx(sample_document(), path)
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(path: Path, name: str) -> ET.Element:
    return ET.fromstring(parts(path)[name])


def mutated(path: Path, part: str, old: str, new: str, count: int = 1) -> Path:
    """A copy of the package with `old` replaced by `new` in one part (the text must be there)."""
    contents = parts(path)
    text = contents[part].decode("utf-8")
    assert old in text, f"{old!r} not in {part}"
    contents[part] = text.replace(old, new, count).encode("utf-8")
    target = path.with_name(f"mutated-{len(list(path.parent.iterdir()))}.docx")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return target


def paragraphs_of_style(root: ET.Element, style: str) -> list[ET.Element]:
    return [p for p in root.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='{style}']") is not None]


def text_of(paragraph: ET.Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


# The writer's output conforms.


def test_checker_accepts_the_written_document(written):
    report = check_docx(written)
    assert report.ok, report.problems
    measured = dict(report.measurements)
    assert measured["每页行数"] == "22"
    assert measured["每行字数"] == "28"
    assert measured["纸张"] == "A4 210×297 mm"
    assert measured["页边距"] == "上37 下35 左28 右26 mm"
    assert measured["版心"] == "156×225 mm"
    assert measured["发文字号"] == "陕组发〔2023〕12号"
    assert measured["红色分隔线"] == "发文字号下 3.9 mm"  # 11 pt x 25.4 / 72
    assert measured["标题"] == "2号(22pt) 方正小标宋简体 居中"
    assert measured["正文字号"] == "3号(16pt) 仿宋_GB2312"
    assert measured["页码"].startswith("4号(14pt) 宋体 — PAGE —")


def test_page_grid_and_footers_are_exact(written):
    section = xml(written, "word/document.xml").find(f"{W}body/{W}sectPr")
    size, margins, grid = section.find(f"{W}pgSz"), section.find(f"{W}pgMar"), section.find(f"{W}docGrid")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    assert [margins.get(f"{W}{side}") for side in ("top", "bottom", "left", "right")] == [
        "2098",
        "1984",
        "1587",
        "1474",
    ]
    # A line grid of 579 twips (22 lines); 28 characters from 3号 glyphs drawn at 98% width (w:w 98):
    # 16 pt x 0.98 = 15.68 pt, x 28 = 439.04 pt fits the 442.2 pt 版心, x 29 = 454.72 would not. No condensed
    # spacing (LibreOffice drops line-end punctuation with it).
    assert (grid.get(f"{W}type"), grid.get(f"{W}linePitch"), grid.get(f"{W}charSpace")) == ("lines", "579", None)
    body_run = paragraphs_of_style(xml(written, "word/document.xml"), "GwBody")[0].find(f"{W}r")
    assert body_run.find(f"{W}rPr/{W}w").get(f"{W}val") == "98"
    assert body_run.find(f"{W}rPr/{W}spacing") is None
    footers = {ref.get(f"{W}type") for ref in section.findall(f"{W}footerReference")}
    assert footers == {"default", "even"}
    assert xml(written, "word/settings.xml").find(f"{W}evenAndOddHeaders") is not None
    for name, side in (("word/footer1.xml", "right"), ("word/footer2.xml", "left")):
        paragraph = xml(written, name).find(f"{W}p")
        assert paragraph.find(f"{W}pPr/{W}jc").get(f"{W}val") == side
        assert paragraph.find(f"{W}pPr/{W}ind").get(f"{W}{side}") == "280"
        assert text_of(paragraph) == "— 1 —"


def test_body_styles_use_the_grid_line(written):
    styles = xml(written, "word/styles.xml")
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    for style in (
        "GwTitle",
        "GwIssuerMark",
        "GwDocNumber",
        "GwRecipients",
        "GwHeading1",
        "GwHeading2",
        "GwHeading3",
        "GwBody",
        "GwTable",
        "GwSignature",
        "GwDate",
        "GwNote",
    ):
        assert style in by_id
        fonts = by_id[style].find(f"{W}rPr/{W}rFonts")
        assert fonts.get(f"{W}eastAsia")
    spacing = by_id["Normal"].find(f"{W}pPr/{W}spacing")
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("579", "exact")
    indent = by_id["GwBody"].find(f"{W}pPr/{W}ind")
    assert (indent.get(f"{W}firstLineChars"), indent.get(f"{W}firstLine")) == ("200", "640")
    date_indent = by_id["GwDate"].find(f"{W}pPr/{W}ind")
    assert (date_indent.get(f"{W}rightChars"), date_indent.get(f"{W}right")) == ("400", "1280")
    language = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert language.get(f"{W}eastAsia") == "zh-CN"


def test_same_input_gives_the_same_bytes(tmp_path):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    write_docx(sample_document(), first)
    write_docx(sample_document(), second)
    assert first.read_bytes() == second.read_bytes() == docx_bytes(sample_document())
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())


def test_every_part_is_well_formed_and_has_a_content_type(written):
    contents = parts(written)
    for name, data in contents.items():
        ET.fromstring(data)  # raises on malformed XML
    types = ET.fromstring(contents["[Content_Types].xml"])
    defaults = {d.get("Extension") for d in types.iter(f"{CT}Default")}
    overrides = {o.get("PartName") for o in types.iter(f"{CT}Override")}
    for name in contents:
        if name != "[Content_Types].xml":
            assert f"/{name}" in overrides or name.rsplit(".", 1)[-1] in defaults, name
    assert {o.lstrip("/") for o in overrides} <= set(contents)
    assert not any(name.startswith("word/theme/") for name in contents)
    for name, data in contents.items():
        assert b"Theme=" not in data and b"cstheme" not in data, name
    assert "python-docx" not in contents["docProps/app.xml"].decode()


def test_every_text_run_carries_its_chinese_font_and_size(written):
    runs = 0
    for name in ("word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        for run in xml(written, name).iter(f"{W}r"):
            if run.find(f"{W}t") is None:
                continue
            runs += 1
            properties = run.find(f"{W}rPr")
            fonts = properties.find(f"{W}rFonts")
            assert fonts.get(f"{W}eastAsia"), ET.tostring(run, encoding="unicode")
            assert fonts.get(f"{W}ascii") and fonts.get(f"{W}hAnsi")
            assert properties.find(f"{W}sz") is not None and properties.find(f"{W}szCs") is not None
    assert runs > 15


def test_text_is_escaped_and_control_characters_dropped(tmp_path):
    document = Document(
        "公示",
        "某单位",
        1,
        (
            Block(BlockKind.TITLE, '关于<某单位>&"某人"的公示'),
            Block(BlockKind.PARAGRAPH, SPECIAL + "\x01\x0b末尾\ud800"),
        ),
    )
    path = tmp_path / "escape.docx"
    write_docx(document, path)
    root = xml(path, "word/document.xml")
    assert text_of(paragraphs_of_style(root, "GwTitle")[0]) == '关于<某单位>&"某人"的公示'
    assert text_of(paragraphs_of_style(root, "GwBody")[0]) == SPECIAL + "末尾"
    core = xml(path, "docProps/core.xml")
    assert core.find("{http://purl.org/dc/elements/1.1/}title").text == '关于<某单位>&"某人"的公示'


@settings(max_examples=examples(60), deadline=None)
@given(st.text(max_size=40), st.text(max_size=10))
def test_any_text_gives_well_formed_parts(text, cell):
    document = Document(
        "公示",
        "某单位",
        1,
        (
            Block(BlockKind.TITLE, text),
            Block(BlockKind.PARAGRAPH, text),
            Block(BlockKind.TABLE, rows=((cell, "表头"), (text,))),
            Block(BlockKind.NOTE, text),
        ),
    )
    with zipfile.ZipFile(io.BytesIO(docx_bytes(document))) as archive:
        roots = {name: ET.fromstring(archive.read(name)) for name in archive.namelist()}
    expected = re.sub("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff\t\n]", "", text)
    assert text_of(paragraphs_of_style(roots["word/document.xml"], "GwBody")[0]) == expected


def test_special_characters_survive_in_the_body(written):
    root = xml(written, "word/document.xml")
    assert SPECIAL in [text_of(p) for p in paragraphs_of_style(root, "GwBody")]


def test_table_spans_the_text_block_with_a_repeating_bold_header(written):
    table = xml(written, "word/document.xml").find(f"{W}body/{W}tbl")
    assert table.find(f"{W}tblPr/{W}tblW").get(f"{W}w") == "8844"
    assert sum(int(col.get(f"{W}w")) for col in table.iter(f"{W}gridCol")) == 8844
    rows = table.findall(f"{W}tr")
    assert len(rows) == 3
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert rows[1].find(f"{W}trPr/{W}tblHeader") is None
    header_run = rows[0].find(f".//{W}r")
    assert header_run.find(f"{W}rPr/{W}b") is not None
    assert header_run.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "黑体"
    assert [text_of(cell) for cell in rows[2].findall(f"{W}tc")] == ["2", "宝鸡市", "97.25"]
    assert table.find(f".//{W}tblBorders/{W}insideH").get(f"{W}val") == "single"


def test_signature_date_and_note_placement(written):
    root = xml(written, "word/document.xml")
    signature = paragraphs_of_style(root, "GwSignature")[0]
    indent = signature.find(f"{W}pPr/{W}ind")
    # The 9-character signature is centred over the 6.5-character date that is 右空四字: 4 + (6.5 - 9) / 2.
    assert (indent.get(f"{W}rightChars"), indent.get(f"{W}right")) == ("275", "880")
    assert signature.find(f"{W}pPr/{W}spacing").get(f"{W}before") == "579"
    assert text_of(paragraphs_of_style(root, "GwDate")[0]) == "2023年12月1日"
    assert text_of(paragraphs_of_style(root, "GwNote")[0]) == "（此件公开发布）"


def test_red_line_and_title_spacing_follow_the_header(written):
    root = xml(written, "word/document.xml")
    title = paragraphs_of_style(root, "GwTitle")[0]
    assert title.find(f"{W}pPr/{W}spacing").get(f"{W}before") == "1158"  # 红色分隔线下空二行
    styles = xml(written, "word/styles.xml")
    number = next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "GwDocNumber")
    line = number.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert (line.get(f"{W}val"), line.get(f"{W}color")) == ("single", "FF0000")
    mark_run = paragraphs_of_style(root, "GwIssuerMark")[0].find(f"{W}r")
    assert mark_run.find(f"{W}rPr/{W}color").get(f"{W}val") == "FF0000"


def test_a_long_document_still_conforms(tmp_path):
    path = tmp_path / "long.docx"
    write_docx(sample_document(paragraphs=40), path)
    assert check_docx(path).ok


# The checker finds what is wrong.


@pytest.mark.parametrize(
    ("part", "old", "new", "expected"),
    [
        ("word/document.xml", 'w:top="2098"', 'w:top="1440"', "上页边距为 25.4 mm"),
        ("word/document.xml", ' w:eastAsia="仿宋_GB2312"', "", "w:eastAsia"),
        ("word/document.xml", "2023年12月1日", "2023年12月01日", "成文日期“2023年12月01日”不合规范"),
        ("word/document.xml", "陕组发〔2023〕12号", "陕组发[2023]012号", "发文字号“陕组发[2023]012号”不合规范"),
        ("word/settings.xml", "<w:evenAndOddHeaders/>", "", "evenAndOddHeaders"),
        (
            "word/document.xml",
            'w:type="lines" w:linePitch="579"',
            'w:type="linesAndChars" w:linePitch="579" w:charSpace="0"',
            "每行 27 字",
        ),
        ("word/document.xml", 'w:linePitch="579"', 'w:linePitch="540"', "每页 23 行"),
        ("word/document.xml", 'w:w="11906"', 'w:w="12240"', "纸张"),
        ("word/footer2.xml", "— ", "- ", "一字线"),
        ("word/footer1.xml", '<w:jc w:val="right"/>', '<w:jc w:val="center"/>', "单页页码居中"),
        (
            "word/styles.xml",
            '<w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:ascii="方正小标宋简体" w:hAnsi="方正小标宋简体" '
            'w:eastAsia="方正小标宋简体" w:cs="方正小标宋简体"/><w:sz w:val="44"/>',
            '<w:jc w:val="left"/></w:pPr><w:rPr><w:rFonts w:ascii="方正小标宋简体" w:hAnsi="方正小标宋简体" '
            'w:eastAsia="方正小标宋简体" w:cs="方正小标宋简体"/><w:sz w:val="44"/>',
            "标题“",
        ),
        (
            "word/styles.xml",
            '<w:pPr><w:ind w:firstLine="0" w:rightChars="400" w:right="1280"/>',
            '<w:pPr><w:ind w:firstLine="0" w:rightChars="200" w:right="640"/>',
            "成文日期右空 2 字",
        ),
        (
            "word/styles.xml",
            '<w:name w:val="公文-正文"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>',
            '<w:name w:val="公文-正文"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:line="360" w:lineRule="exact"/>',
            "行距不是约 29 pt",
        ),
        (
            "word/styles.xml",
            '<w:rFonts w:ascii="仿宋_GB2312"',
            '<w:rFonts w:asciiTheme="minorHAnsi" w:ascii="仿宋_GB2312"',
            "主题字体",
        ),
        ("word/styles.xml", 'w:space="11" w:color="FF0000"/>', 'w:space="11" w:color="000000"/>', "红色分隔线"),
        # 8 pt = 2.8 mm; 7.2.4 wants 4 mm.
        ("word/styles.xml", 'w:space="11" w:color="FF0000"/>', 'w:space="8" w:color="FF0000"/>', "发文字号下 2.8 mm"),
    ],
    ids=[
        "top-margin",
        "east-asian-font",
        "date-zero",
        "doc-number-brackets",
        "even-odd",
        "char-space",
        "line-pitch",
        "paper",
        "page-dash",
        "odd-footer-centred",
        "title-left",
        "date-indent",
        "body-line",
        "theme-font",
        "black-line",
        "line-too-close",
    ],
)
def test_checker_reports_each_deviation(written, part, old, new, expected):
    report = check_docx(mutated(written, part, old, new))
    assert not report.ok
    assert any(expected in problem for problem in report.problems), report.problems


def test_checker_counts_27_characters_when_body_glyphs_are_full_width(written):
    # 16 pt x 28 = 448 pt > 442.2 pt: 27 to a line.
    plain = mutated(written, "word/document.xml", '<w:w w:val="98"/>', "", count=-1)
    report = check_docx(mutated(plain, "word/styles.xml", '<w:w w:val="98"/>', "", count=-1))
    assert any("每行 27 字" in problem for problem in report.problems), report.problems


def test_checker_reports_condensed_spacing_that_loses_line_end_punctuation(written):
    # The old way to 28 characters: 16 - 0.25 = 15.75 pt a character, 441 pt a line; LibreOffice then drops a
    # "、" or "," at the end of a full line.
    condensed = mutated(written, "word/document.xml", '<w:w w:val="98"/>', '<w:spacing w:val="-5"/>', count=-1)
    report = check_docx(mutated(condensed, "word/styles.xml", '<w:w w:val="98"/>', '<w:spacing w:val="-5"/>', count=-1))
    assert not any("每行" in problem for problem in report.problems), report.problems
    assert any("正文字距压缩 0.25 pt" in problem for problem in report.problems), report.problems


def test_checker_reports_a_character_grid_narrower_than_the_glyphs(written):
    # charSpace -849: 16 - 849/4096 = 15.79 pt cells (28 to a line) for 16 pt glyphs.
    gridded = mutated(written, "word/document.xml", '<w:w w:val="98"/>', "", count=-1)
    gridded = mutated(
        gridded,
        "word/document.xml",
        'w:type="lines" w:linePitch="579"',
        'w:type="linesAndChars" w:linePitch="579" w:charSpace="-849"',
    )
    report = check_docx(mutated(gridded, "word/styles.xml", '<w:w w:val="98"/>', "", count=-1))
    assert any("窄于 16 pt 的正文字" in problem for problem in report.problems), report.problems


def test_checker_reports_heading_in_the_wrong_font(written):
    # Direct run fonts win over the style: a 一级标题 run set in 宋体 is reported.
    root_text = parts(written)["word/document.xml"].decode()
    heading = re.search(r'<w:pStyle w:val="GwHeading1"/></w:pPr><w:r><w:rPr><w:rFonts[^>]*/>', root_text).group(0)
    report = check_docx(mutated(written, "word/document.xml", heading, heading.replace("黑体", "宋体")))
    assert any(problem.startswith("一级标题") and "黑体" in problem for problem in report.problems), report.problems


def test_checker_reports_a_missing_title(tmp_path):
    path = tmp_path / "untitled.docx"
    write_docx(Document("公示", "某单位", 1, (Block(BlockKind.PARAGRAPH, "正文。"),)), path)
    assert any("GwTitle" in problem for problem in check_docx(path).problems)


def test_checker_accepts_a_simple_page_field(written):
    # Measured, not compared with our own markup: a w:fldSimple PAGE field is just as good.
    footer = parts(written)["word/footer1.xml"].decode()
    field = re.search(r'<w:r><w:rPr>(?:(?!</w:r>).)*?fldCharType="begin".*?fldCharType="end"/></w:r>', footer).group(0)
    run = re.search(r"<w:r><w:rPr>.*?</w:rPr>", footer).group(0)
    simple = f'<w:fldSimple w:instr=" PAGE ">{run}<w:t>1</w:t></w:r></w:fldSimple>'
    assert check_docx(mutated(written, "word/footer1.xml", field, simple)).ok


def test_checker_reports_files_that_are_not_docx(tmp_path):
    text = tmp_path / "note.docx"
    text.write_text("不是压缩包", encoding="utf-8")
    report = check_docx(text)
    assert not report.ok and "zip" in report.problems[0]

    empty_zip = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert any("缺少主文档" in problem for problem in check_docx(empty_zip).problems)

    assert "文件不存在" in check_docx(tmp_path / "missing.docx").problems[0]


def test_checker_reports_a_broken_part(written):
    report = check_docx(mutated(written, "word/styles.xml", "</w:styles>", "</w:style"))
    assert not report.ok and "word/styles.xml 不是合法的 XML" in report.problems[0]


# Titles and tables are laid out for reading, not only for the checker.


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("谈话通知", ["谈话通知"]),
        ("关于下达鹤亭县2023年度考核奖励资金的通知", ["关于下达鹤亭县2023年度", "考核奖励资金的通知"]),
        (
            "关于表彰2023年度县域经济社会发展先进县（市、区）的通报",
            ["关于表彰2023年度县域经济社会发展", "先进县（市、区）的通报"],
        ),
        ("关于2023年度脱贫攻坚工作成效考核优秀单位的公示", ["关于2023年度脱贫攻坚工作成效考核", "优秀单位的公示"]),
    ],
)
def test_long_titles_break_after_a_phrase_into_balanced_lines(title, lines):
    assert title_lines(title).split("\n") == lines


def test_table_columns_fit_short_cells_and_let_the_basis_wrap():
    rows = [
        ["序号", "奖项", "奖励资金（万元）", "依据"],
        ["1", "十强县", "110", "名次 8→2，进6位：50+6×10=110万元"],
        [
            "2",
            "县域争先进位奖二等奖",
            "50",
            "名次 8→2，进6位，进位幅度第6（与霞庄县、明岭县进位相同，按本年名次先后），二等奖：50万元",
        ],
    ]
    widths = table_columns(rows).widths
    # One 4号 character is 280 twips, plus 230 for the cell margins: 序号 2 characters -> 790; 奖项 10 -> 3030;
    # the amount column's header takes two lines (4 characters) -> 1350; the basis wraps in the rest.
    assert widths == [790, 3030, 1350, 8844 - 790 - 3030 - 1350]


AWARD_ROWS = [
    ["序号", "奖项", "奖励资金（万元）", "依据"],
    ["1", "县域争先进位奖三等奖", "30", "县域监测考评位列第20名，较上年前进6位，进位幅度居第7名"],
    ["2", "现代农业强县", "20", "现代农业发展监测考评位列第1名"],
    ["3", "脱贫攻坚工作成效考核优秀单位", "100", "综合得分94.82，位列第8名"],
    ["", "合计", "150", ""],
]


def test_table_columns_never_stack_the_serial_number_or_the_amount_header():
    # Natural widths (4号 characters x 280 twips + 230): 序号 2 -> 790; 奖项 14 -> 4150; the amount header
    # "奖励资金（万元）" 8 characters on two lines -> 4 -> 1350; the basis 27 -> 7790. Together 14080 > 8844.
    # The basis wraps; 790 + 4150 + 1350 = 6290 is more than 60% of 8844 (5306.4), so 奖项 wraps too. They
    # share 8844 - 790 - 1350 = 6704 as 7790 : 4150: 4373.9 -> 4373 (+1 left over) and 2330.1 -> 2330.
    columns = table_columns(AWARD_ROWS)
    assert columns.widths == [790, 2330, 1350, 4374]
    assert columns.align == ["center", "left", "right", "left"]


def table_rows_xml(rows) -> list[str]:
    document = Document(
        kind="奖励资金通知",
        subject="霞庄县",
        seq=1,
        blocks=(
            Block(BlockKind.PARAGRAPH, "你单位获得以下奖励："),
            Block(BlockKind.TABLE, rows=tuple(map(tuple, rows))),
        ),
    )
    with zipfile.ZipFile(io.BytesIO(docx_bytes(document))) as archive:
        body = archive.read("word/document.xml").decode()
    return re.findall(r"<w:tr>.*?</w:tr>", body)


def test_a_table_shorter_than_a_page_is_kept_on_one_page():
    rows = table_rows_xml(AWARD_ROWS)
    assert ["<w:keepNext/>" in row for row in rows] == [True, True, True, True, False]


def test_a_long_table_keeps_only_its_header_and_the_row_before_the_total():
    # 40 rows of at least 8 mm (454 twips) are 18160 twips, more than the 12756-twip 版心.
    long = [
        AWARD_ROWS[0],
        *[[str(n), "现代农业强县", "20", "位列第1名"] for n in range(1, 41)],
        ["", "合计", "800", ""],
    ]
    kept = ["<w:keepNext/>" in row for row in table_rows_xml(long)]
    assert kept == [True] + [False] * 39 + [True, False]


def test_checker_reports_a_filed_document_without_its_imprint(tmp_path):
    # A document with a 版头 ("…文件") ends with a 版记 (GB/T 9704-2012 7.4).
    document = sample_document()
    bare = replace(document, blocks=tuple(b for b in document.blocks if b.kind not in IMPRINT_BLOCKS))
    write_docx(bare, tmp_path / "无版记.docx")
    report = check_docx(tmp_path / "无版记.docx")
    assert any(problem.startswith("有版头的公文缺少版记") for problem in report.problems), report.problems


def test_the_imprint_is_one_table_between_full_width_rules(written):
    body = parts(written)["word/document.xml"].decode()
    imprint = re.findall(r"<w:tbl>.*?</w:tbl>", body)[-1]
    # Full width (8844 twips), thick rules (1 pt = 0.35 mm) above and below, a thin one (0.75 pt) between.
    assert '<w:tblW w:w="8844" w:type="dxa"/>' in imprint
    assert '<w:top w:val="single" w:sz="8"' in imprint and '<w:bottom w:val="single" w:sz="8"' in imprint
    assert '<w:insideH w:val="single" w:sz="6"' in imprint
    texts = [
        "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", row)) for row in re.findall(r"<w:tr>.*?</w:tr>", imprint)
    ]
    assert texts == ["抄送：省纪委监委,省委办公厅。", "中共陕西省委组织部办公室2023年12月1日印发"]
    assert check_docx(written).ok
