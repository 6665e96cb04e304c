"""The facts of a case or an award in the words of an official document.

A result's `basis` is the workbook's and `explain`'s wording: it says where each value came from (「上年等次」列,
历史库2022年), shows formulas (50+6×10=110万元) and names columns. A document states the facts themselves, as an
office writes them: "2022年、2023年年度考核等次均为基本称职", "县域监测考评位列第2名,较上年前进6位". These functions
phrase `Fact`s (sanshi.results) for the templates; they never read a fact's source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from sanshi.documents.markup import typeset
from sanshi.documents.model import Block, BlockKind
from sanshi.results import Fact

# Facts said by another fact of the same case (the votes by their share; who criticized and how serious it was
# by the 通报批评 entry itself, which names them), or that a document need not repeat.
_UNSAID = {"民主测评基本称职和不称职票", "批评机关", "问题严重", "类别"}
_DATED = re.compile(r"^\d{4}年")


def case_statement(facts: Sequence[Fact]) -> str:
    """A 能下 case's facts as one sentence (without the final 。): years that share a value are said once."""
    said = [f for f in facts if f.what not in _UNSAID]
    parts: list[str] = []
    index = 0
    while index < len(said):
        fact = said[index]
        run = [fact]
        while index + len(run) < len(said) and (nxt := said[index + len(run)]).what == fact.what:
            if nxt.value != fact.value or not _graded(fact):
                break
            run.append(nxt)
        parts.append(_case_part(run))
        if fact.what == "受到批评或通报批评" and any(f.what == "问题严重" and f.value == "是" for f in facts):
            parts[-1] += ",问题严重"
        index += len(run)
    return ";".join(parts)


def _graded(fact: Fact) -> bool:
    return fact.what.endswith("等次")


def _years(facts: Sequence[Fact]) -> str:
    return "、".join(f"{f.year}年" for f in facts if f.year is not None)


def _case_part(run: Sequence[Fact]) -> str:
    fact, when = run[0], _years(run)
    if len(run) > 1:
        return f"{when}{fact.what}均为{fact.value}"
    what, value = fact.what, fact.value
    if what.endswith("责任认定"):
        said = _finding(what[: -len("责任认定")], value)
        return said if _DATED.match(said) else when + said  # 2022年度某专项工作… says its own year
    if what == "县域监测名次变化":
        return f"{when}县域监测考评名次{value}"
    if what == "完成年度脱贫计划任务":
        return f"{when}{'未' if value == '否' else ''}完成年度脱贫计划任务"
    if what in ("受到批评或通报批评", "弄虚作假、搞“数字脱贫”"):
        return f"{when}{value}"
    if what == "四项指标综合排位":
        return f"{when}{what}{value}"
    return f"{when}{what}为{value}"


def _finding(area: str, value: str) -> str:
    """较大(省安委会办公室):某建材厂较大生产安全责任事故 -> 某建材厂较大生产安全责任事故(经省安委会办公室认定);
    what the note does not say (通报批评, 责任追究, 问题严重) is said with the body: (省委通报批评)."""
    head, _, note = value.partition(":")
    level, body = head, ""
    if head.endswith(")"):
        level, _, body = head[:-1].rpartition("(")
    if not note:
        return f"{area}{level}" + (f"(经{body}认定)" if body else "")
    unsaid = [part for part in level.split("且") if part and not _said(part, note)]
    if unsaid:
        return f"{note}({body}{'且'.join(unsaid)})"
    return note + (f"(经{body}认定)" if body else "")


def _said(part: str, note: str) -> bool:
    """Whether the note already says a level: 三级(较大) is said by a note that says 较大."""
    words = [w for w in part.replace(")", "(").split("(") if w]
    return any(w in note for w in words)


def award_statement(facts: Sequence[Fact]) -> str:
    """An award's facts as one phrase: 县域监测考评位列第2名,较上年前进6位 / 综合得分96.26,在设区市中位列第1名."""
    by = {f.what: f.value for f in facts}
    parts: list[str] = []
    if "县域监测名次" in by:
        parts.append(f"县域监测考评位列{by['县域监测名次']}")
        if "较上年" in by:
            parts.append(f"较上年{by['较上年']}" if by["较上年"] != "持平" else "名次与上年持平")
        if "进位幅度名次" in by:
            parts.append(f"进位幅度居{by['进位幅度名次']}")
    if "综合得分" in by:
        parts.append(f"综合得分{by['综合得分']}")
        group = f"在{by['类别']}中" if by.get("类别") else ""
        parts.append(f"{group}位列{by['组内名次']}")
    strong = [(what, value) for what, value in by.items() if what.endswith("监测名次") and "县域" not in what]
    parts += [f"{what[: -len('名次')]}考评位列{value}" for what, value in strong]
    parts += [what for what, value in by.items() if what.startswith("首次进入") and value == "是"]
    return ",".join(parts)


_NOT_BODY = (BlockKind.ISSUER_MARK, BlockKind.DOC_NUMBER, BlockKind.TITLE, BlockKind.SIGNATURE, BlockKind.DATE)


def name_documents(blocks: tuple[Block, ...], full_titles: Mapping[str, str]) -> tuple[Block, ...]:
    """The 办法 a document cites, named as an office names them: in full and in 书名号 the first time, with the
    short name it goes by after (《陕西省党政干部鼓励激励办法(试行)》(以下简称《鼓励激励办法》)), then by the
    short name in 书名号. Only the body: never the 标题, 版头, 发文字号, 署名 or 日期."""
    if not full_titles:
        return blocks
    pattern = re.compile("(?<!《)(" + "|".join(map(re.escape, sorted(full_titles, key=len, reverse=True))) + ")(?!》)")
    named: set[str] = set()

    def name(match: re.Match[str]) -> str:
        short = match.group(1)
        if short in named:
            return f"《{short}》"
        named.add(short)
        return typeset(f"《{full_titles[short]}》(以下简称《{short}》)")

    out = []
    for block in blocks:
        if block.kind in _NOT_BODY:
            out.append(block)
        elif block.kind is BlockKind.TABLE:
            out.append(replace(block, rows=tuple(tuple(pattern.sub(name, c) for c in row) for row in block.rows)))
        else:
            out.append(replace(block, text=pattern.sub(name, block.text)))
    return tuple(out)
