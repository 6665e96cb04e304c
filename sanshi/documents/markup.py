r"""The line-based markup that document templates render to, parsed into blocks.

One line is one paragraph; blank lines are ignored. A line may start with a marker:

    @版头 中共示例市委组织部文件     发文机关标志
    @发文字号 示组发〔2023〕12号    发文字号 (with the red line under the 版头)
    # 标题                          title
    @主送 各县(市、区)委组织部:      主送机关
    ## 一、一级标题                  黑体
    ### (一)二级标题                楷体
    #### 1.三级标题                  仿宋
    | 单元格 | 单元格 |              a table row; consecutive rows form one table, the first is its header
    @落款 中共示例市委组织部         发文机关署名
    @成文日期 2023年12月20日          成文日期
    @附注 此件公开发布               附注
    @抄送 省财政厅,省审计厅。         抄送机关 (版记)
    @印发机关 中共示例市委组织部办公室  印发机关 (版记)
    @印发日期 2023年12月20日          印发日期 (版记; "印发" is added)

Anything else is a body paragraph. sanshi/documents/templates/README.md documents this for users.

Values from the data (unit and person names, the pack's texts, the [documents] settings) are written into
the markup escaped (`escape`, applied by the renderer to everything a template is given): a `|` in a name
is `\|` and stays in its table cell, a name starting with `@` or `#` starts with `\@` or `\#` and is
text, not a marker, and a line break becomes a space. `parse` reads `\\`, `\|`, `\@` and `\#` as the
character itself; any other backslash is kept as written.

Text from the data is written with ASCII punctuation (inputs are NFKC-normalized);
a 公文 uses full-width punctuation, so `typeset` converts , ; : ( ) ? ! in every
block — except a comma or colon between two digits (1,000 or 9:30).
"""

from __future__ import annotations

import re

from sanshi.documents.model import Block, BlockKind

MARKERS = {
    "@版头": BlockKind.ISSUER_MARK,
    "@发文字号": BlockKind.DOC_NUMBER,
    "@主送": BlockKind.RECIPIENTS,
    "@落款": BlockKind.SIGNATURE,
    "@成文日期": BlockKind.DATE,
    "@附注": BlockKind.NOTE,
    "@抄送": BlockKind.CC,
    "@印发机关": BlockKind.PRINTER,
    "@印发日期": BlockKind.PRINT_DATE,
}
HEADINGS = {"#": BlockKind.TITLE, "##": BlockKind.HEADING1, "###": BlockKind.HEADING2, "####": BlockKind.HEADING3}
_FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"})
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[,:](?=\d)")
_SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
ESCAPED = "\\|@#"  # the characters `escape` protects with a backslash
_ESCAPE = str.maketrans({"\\": "\\\\", "|": "\\|"})
# Every character str.splitlines breaks a line at: in a value it would start a line of its own.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_UNESCAPE = re.compile(r"\\([\\|@#])")


class MarkupError(ValueError):
    """A rendered line the markup cannot place; carries the rendered line number."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def escape(text: str) -> str:
    """A value from the data as markup: its `|` and `\\` escaped, a leading `@` or `#` escaped, line breaks
    turned into spaces. `parse` gives back the value as it was (less the line breaks)."""
    text = _LINE_BREAKS.sub(" ", text).translate(_ESCAPE)
    return "\\" + text if text.startswith(("@", "#")) else text


def unescape(text: str) -> str:
    """Markup text with its escapes (`\\|`, `\\@`, `\\#`, `\\\\`) read as the characters themselves."""
    return _UNESCAPE.sub(r"\1", text) if "\\" in text else text


def cells(line: str) -> list[str]:
    """The cells of a table row `| a | b\\|c |`, split at each `|` that is not escaped, still escaped."""
    row = line.strip().lstrip("|")
    found: list[str] = []
    cell: list[str] = []
    index = 0
    while index < len(row):
        char = row[index]
        if char == "\\" and index + 1 < len(row):
            cell.append(row[index : index + 2])
            index += 2
            continue
        if char == "|":
            found.append("".join(cell))
            cell = []
        else:
            cell.append(char)
        index += 1
    if cell:  # text after the last | is a cell of its own (a row without its closing |)
        found.append("".join(cell))
    while found and not found[-1]:  # `| a ||`: pipes closing the row, as `| a |`
        found.pop()
    return found


def typeset(text: str) -> str:
    """ASCII punctuation as a Chinese document writes it: 进6位:50万元 -> 进6位：50万元, (一) -> （一）."""
    kept = {m.start(): m.group() for m in _BETWEEN_DIGITS.finditer(text)}
    out = text.translate(_FULL_WIDTH)
    if kept:
        chars = list(out)
        for index, char in kept.items():
            chars[index] = char
        out = "".join(chars)
    return out


def parse(text: str) -> tuple[Block, ...]:
    """Blocks of a rendered template, in order; raises MarkupError on an unknown @marker or a ragged table."""
    blocks: list[Block] = []
    table: list[tuple[str, ...]] = []
    table_lines: list[int] = []  # the line of each row

    def close_table() -> None:
        if table:
            widths = {len(row) for row in table}
            if len(widths) > 1:
                # The first row unlike the header is where to look (a value the template put in raw, say).
                wrong = next(i for i, row in enumerate(table) if len(row) != len(table[0]))
                raise MarkupError(
                    table_lines[wrong],
                    f"表格各行的列数不一致({'、'.join(map(str, sorted(widths)))}列):表头(第{table_lines[0]}行)"
                    f"有{len(table[0])}列,这一行有{len(table[wrong])}列",
                )
            blocks.append(Block(BlockKind.TABLE, rows=tuple(table)))
            table.clear()
            table_lines.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("|"):
            if not _SEPARATOR_ROW.match(line):
                table.append(tuple(typeset(unescape(cell.strip())) for cell in cells(line)))
                table_lines.append(number)
            continue
        close_table()
        if not line:
            continue
        head, _, rest = line.partition(" ")
        if head.startswith("@"):
            kind = MARKERS.get(head)
            if kind is None:
                raise MarkupError(number, f"未知标记 {head}(可用 {'、'.join(MARKERS)})")
            blocks.append(Block(kind, typeset(unescape(rest.strip()))))
        elif head in HEADINGS:
            blocks.append(Block(HEADINGS[head], typeset(unescape(rest.strip()))))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, typeset(unescape(line))))
    close_table()
    return tuple(blocks)


def to_markup(blocks: tuple[Block, ...]) -> str:
    """Blocks back as markup: the plain-text (Markdown-like) preview, and the golden files of the tests."""
    marker = {kind: head for head, kind in {**MARKERS, **HEADINGS}.items()}
    lines = []
    for block in blocks:
        if block.kind is BlockKind.TABLE:
            lines.extend("| " + " | ".join(row) + " |" for row in block.rows)
        elif block.kind is BlockKind.PARAGRAPH:
            lines.append(block.text)
        else:
            lines.append(f"{marker[block.kind]} {block.text}")
    return "\n".join(lines) + "\n"
