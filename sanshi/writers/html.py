"""A document as a standalone HTML page: a preview of the .docx in a browser.

The page imitates the printed layout (A4 版心 156 mm wide, 3号仿宋 body, 2号小标宋
title, red 版头) with CSS only; every text is escaped, nothing is loaded from the
network. It sets lines as the .docx does: 28 characters (glyphs narrowed by 0.32 pt, as
the .docx draws them at 98%), the title broken in the same places, the 署名 centred over
the date by the same indent, table columns as wide as in the .docx, and the 版记 after
the body between its rules.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2

from sanshi.documents.model import IMPRINT_BLOCKS, Block, BlockKind, Document
from sanshi.writers.docx import TEXT_WIDTH, cc_text, next_date, signature_indent, table_columns
from sanshi.writers.typesetting import issuer_points, title_lines

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{ doc.title or doc.kind }}</title>
<style>
  body { background: #e8e8e8; margin: 0; padding: 24px 0; }
  .page { background: #fff; width: 156mm; min-height: 225mm; margin: 0 auto; padding: 37mm 26mm 35mm 28mm;
          box-shadow: 0 0 6px rgba(0,0,0,.3); font-family: "仿宋_GB2312", "仿宋", FangSong, STFangsong,
          "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 28.95pt; color: #000; }
  p { margin: 0; text-align: justify; }
  .issuer_mark { color: #d00; text-align: center; font-family: "方正小标宋简体", "小标宋", "Noto Serif CJK SC", serif;
                 line-height: 1.6; margin: 35mm 0 14pt; }
  .doc_number { text-align: center; padding-bottom: 6pt; border-bottom: 2px solid #d00; margin-bottom: 28.95pt; }
  .title { text-align: center; font-family: "方正小标宋简体", "小标宋", "Noto Serif CJK SC", serif; font-size: 22pt;
           font-weight: bold; line-height: 1.45; margin-bottom: 28.95pt; }
  .page p { letter-spacing: -0.32pt; }
  .paragraph, .heading1, .heading2, .heading3, .note { text-indent: 2em; }
  .heading1 { font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; }
  .heading2 { font-family: "楷体_GB2312", "楷体", KaiTi, STKaiti, serif; }
  .signature { text-align: right; margin-top: 28.95pt; }
  .date { text-align: right; padding-right: 4em; }
  .imprint { margin-top: 57.9pt; border-top: 1pt solid #000; border-bottom: 1pt solid #000; font-size: 14pt; }
  .imprint p { letter-spacing: 0; line-height: 28.95pt; padding: 0 1em; display: flex; justify-content: space-between; }
  .imprint p.cc { display: block; padding-left: 4em; text-indent: -3em; border-bottom: 0.75pt solid #000; }
  table { border-collapse: collapse; width: 100%; font-size: 14pt; line-height: 1.4; margin: 4pt 0; }
  th, td { border: 1px solid #000; padding: 2pt 4pt; text-align: center; }
  th { font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; font-weight: normal; }
  td.left { text-align: left; }
  td.right { text-align: right; }
  @media print { body { background: none; padding: 0; } .page { box-shadow: none; margin: 0; } }
</style>
</head>
<body>
<div class="page">
{% for block in body %}
{% if block.kind.value == "table" %}
{% set columns = table_columns(block.rows) %}
<table>
<colgroup>{% for width in columns.widths %}<col style="width: {{ "%.2f"|format(width / text_width * 100) }}%">{% endfor %}</colgroup>
<thead><tr>{% for cell in block.rows[0] %}<th>{{ cell }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in block.rows[1:] %}<tr>{% for cell in row %}<td class="{{ columns.align[loop.index0] }}">{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% else %}
<p class="{{ block.kind.value }}"{% if block.kind.value == "issuer_mark" %} style="font-size: {{ issuer_points(block.text) }}pt"{% elif block.kind.value == "signature" %} style="padding-right: {{ "%.2f"|format(signature_indent(block, loop.index0)) }}em"{% endif %}>
{%- for line in lines(block) %}{{ line }}{% if not loop.last %}<br>{% endif %}{% endfor -%}
</p>
{% endif %}
{% endfor %}
{% if imprint.printer %}
<div class="imprint">
{% if imprint.cc %}<p class="cc">{{ imprint.cc }}</p>{% endif %}
<p class="printer"><span>{{ imprint.printer }}</span><span>{{ imprint.date }}印发</span></p>
</div>
{% endif %}
</div>
</body>
</html>
"""


@lru_cache(maxsize=1)
def _page() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(PAGE)


def _lines(block: Block) -> list[str]:
    """The block's text as the .docx sets it: a long title broken in the same places, 附注 in parentheses."""
    if block.kind is BlockKind.TITLE:
        return title_lines(block.text).split("\n")
    if block.kind is BlockKind.NOTE and not block.text.startswith(("(", "（")):
        return [f"（{block.text}）"]
    return [block.text]


def html_text(document: Document) -> str:
    """The document as one HTML page (UTF-8 text)."""
    body = tuple(block for block in document.blocks if block.kind not in IMPRINT_BLOCKS)
    given = {block.kind: block.text for block in document.blocks if block.kind in IMPRINT_BLOCKS}
    imprint = {
        "cc": cc_text(given[BlockKind.CC]) if given.get(BlockKind.CC) else "",
        "printer": given.get(BlockKind.PRINTER, ""),
        "date": given.get(BlockKind.PRINT_DATE, ""),
    }

    def indent(block: Block, index: int) -> float:
        return signature_indent(block.text, next_date(body, index + 1))

    return _page().render(
        doc=document,
        body=body,
        imprint=imprint,
        lines=_lines,
        issuer_points=issuer_points,
        signature_indent=indent,
        table_columns=lambda rows: table_columns([list(row) for row in rows]),
        text_width=TEXT_WIDTH,
    )


def html_bytes(document: Document) -> bytes:
    return html_text(document).encode("utf-8")
