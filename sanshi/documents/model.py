"""A rendered official document (公文) as a sequence of blocks, before any file format.

Templates render to a small line-based markup (see sanshi/documents/templates/README.md) which
`sanshi.documents.markup` parses into these blocks; the docx and html writers lay
the blocks out. Nothing here knows about Jinja, Word or HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class BlockKind(str, Enum):
    """The parts of a 公文 after GB/T 9704-2012, in the order they usually appear."""

    ISSUER_MARK = "issuer_mark"  # 发文机关标志 (版头), red, centred
    DOC_NUMBER = "doc_number"  # 发文字号, centred under the 版头, followed by the red separator line
    TITLE = "title"  # 标题: 2号小标宋, centred
    RECIPIENTS = "recipients"  # 主送机关: flush left, no indent
    HEADING1 = "heading1"  # 一、 黑体
    HEADING2 = "heading2"  # (一) 楷体
    HEADING3 = "heading3"  # 1. / (1) 仿宋
    PARAGRAPH = "paragraph"  # body text, first line indented two characters
    TABLE = "table"  # rows of cells; the first row is the header
    SIGNATURE = "signature"  # 发文机关署名 (落款)
    DATE = "date"  # 成文日期, 右空四字
    NOTE = "note"  # 附注, in parentheses, indented two characters
    # 版记 (7.4), at the foot of the last (even) page between separator lines
    CC = "cc"  # 抄送机关
    PRINTER = "printer"  # 印发机关, left
    PRINT_DATE = "print_date"  # 印发日期, right, followed by 印发


IMPRINT_BLOCKS = (BlockKind.CC, BlockKind.PRINTER, BlockKind.PRINT_DATE)


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()  # TABLE only; rows[0] is the header row


@dataclass(frozen=True)
class Document:
    """One document of a batch: what it is, whom it concerns, and its blocks."""

    kind: str  # 公示 | 表彰通报 | 奖励资金通知 | 谈话通知 | 容错认定结果通知
    subject: str  # the unit, person or topic it concerns (used in the file name)
    seq: int  # 序号 within its kind, from 1
    blocks: tuple[Block, ...]

    @property
    def title(self) -> str:
        return next((b.text for b in self.blocks if b.kind is BlockKind.TITLE), "")
