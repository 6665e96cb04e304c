"""The `[documents]` section of a local pack: who issues each kind of document, and when.

    [documents]                       # shared by every kind
    issuer = "中共示例市委组织部"
    date = 2023-12-20
    [documents."表彰通报"]            # a kind's own values win
    issuer = "示例市人民政府"
    code = "示政发"
    first_number = 82

Templates read these as `doc.issuer`, `doc.code`...; `doc.serial` is the kind's
`first_number` plus the document's place in the batch. Which keys a kind needs is
decided by its template: a key the template uses but the pack does not set is an
error naming both, found before anything is rendered.
"""

from __future__ import annotations

import difflib
import reprlib
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from sanshi.errors import PackError


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    kind: type
    optional: bool = False  # a template may test it (`{% if doc.header %}`) and do without


SETTINGS = (
    Setting("issuer", "发文机关署名(落款)", str),
    Setting("header", "发文机关标志(版头)", str, optional=True),
    Setting("code", "发文机关代字", str),
    Setting("first_number", "本类公文第一份的发文顺序号,其后每份加1", int),
    Setting("recipients", "主送机关", str),
    Setting("date", "成文日期", date),
    Setting("publicity_start", "公示开始日期", date),
    Setting("publicity_end", "公示结束日期", date),
    Setting("contact", "受理意见的单位和联系方式", str),
    Setting("organs", '主送机关的写法:单位名称的结尾 = 写法({unit} 为单位名称,"*" 为其余单位)', dict),
    Setting("cc", "抄送机关(版记)", str, optional=True),
    Setting("printer", "印发机关(版记)", str),
    Setting("print_date", "印发日期(版记)", date),
)
# A 通报 or a 下达 of prize money announces what the 公示 put up for comment: it is dated after the 公示期 ends.
PUBLICITY_KIND = "公示"
AFTER_PUBLICITY = ("表彰通报", "奖励资金通知")
FILE_HEADER_END = "文件"  # 版头 "…文件": a 文件-style document, never a 函
LETTER_CODE_END = "函"
SETTINGS_BY_KEY = {s.key: s for s in SETTINGS}
MAX_TEXT = 500  # characters of one setting: a 主送 list of every 县 of a province is ~300
MAX_NUMBER = 999_999  # a 发文顺序号
DERIVED = {"serial": "first_number"}  # doc.serial is computed from first_number


@dataclass(frozen=True)
class DocumentSettings:
    """The checked [documents] section: shared values and each kind's overrides."""

    shared: dict[str, Any]
    by_kind: dict[str, dict[str, Any]]
    where: str  # pack file name, for messages

    def for_kind(self, kind: str) -> dict[str, Any]:
        """The values a kind's documents see: optional settings present (None when unset)."""
        values = {s.key: None for s in SETTINGS if s.optional}
        values.update(self.shared)
        values.update(self.by_kind.get(kind, {}))
        return values

    def missing(self, kind: str, used: dict[str, int]) -> list[tuple[str, int]]:
        """Settings a template uses (doc attribute -> first line) that are not set for the kind."""
        values = self.for_kind(kind)
        out = []
        for attr, line in used.items():
            key = DERIVED.get(attr, attr)
            if key in SETTINGS_BY_KEY and key not in values:
                out.append((key, line))
        return out


def parse_settings(raw: dict[str, Any], where: str, kinds: tuple[str, ...]) -> DocumentSettings:
    """Check a [documents] section strictly: unknown keys and kinds, wrong types and dates all reported at once."""
    problems: list[str] = []
    shared: dict[str, Any] = {}
    by_kind: dict[str, dict[str, Any]] = {}
    for key, value in raw.items():
        if isinstance(value, dict) and key not in SETTINGS_BY_KEY:
            if key not in kinds:
                problems.append(
                    f'{where} › [documents."{key}"]: 未知公文类型{_suggest(key, kinds)}(可用 {"、".join(kinds)})'
                )
                continue
            by_kind[key] = _values(value, f'{where} › [documents."{key}"]', problems)
        else:
            shared.update(_values({key: value}, f"{where} › [documents]", problems))
    publicity_end = {**shared, **by_kind.get(PUBLICITY_KIND, {})}.get("publicity_end")
    for kind in kinds:
        values = {**shared, **by_kind.get(kind, {})}
        section = f'[documents."{kind}"]' if kind in by_kind else "[documents]"
        start, end = values.get("publicity_start"), values.get("publicity_end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            problems.append(f"{where} › [documents]: {kind} 的公示结束日期 {end} 早于开始日期 {start}")
        issued = values.get("date")
        if kind in AFTER_PUBLICITY and isinstance(issued, date) and isinstance(publicity_end, date):
            if issued <= publicity_end:
                problems.append(
                    f"{where} › {section} date(成文日期): {kind}的成文日期 {issued} 不晚于公示结束日期 "
                    f"{publicity_end}:公示期满后才能发{kind},请改为 {publicity_end} 之后的日期"
                )
        header, code = values.get("header"), values.get("code")
        if isinstance(header, str) and isinstance(code, str):
            if header.endswith(FILE_HEADER_END) and code.endswith(LETTER_CODE_END):
                problems.append(
                    f"{where} › {section} code(发文机关代字): {kind}的代字「{code}」是函的代字,不能用在"
                    f"“{header}”版头下:文件式公文用“…发”等代字,函不用“…文件”版头"
                )
        printed = values.get("print_date")
        if isinstance(printed, date) and isinstance(issued, date) and printed < issued:
            problems.append(
                f"{where} › {section} print_date(印发日期): {kind}的印发日期 {printed} 早于成文日期 {issued}"
            )
    if problems:
        raise PackError(*problems)
    return DocumentSettings(shared, by_kind, where)


def _values(table: dict[str, Any], where: str, problems: list[str]) -> dict[str, Any]:
    out = {}
    for key, value in table.items():
        setting = SETTINGS_BY_KEY.get(key)
        if setting is None:
            problems.append(f"{where} {key}: 未知项{_suggest(key, SETTINGS_BY_KEY)}(可用 {'、'.join(SETTINGS_BY_KEY)})")
        elif setting.kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            problems.append(f"{where} {key}({setting.label}): 应为正整数,实际为 {_shown(value)}")
        elif setting.kind is int and value > MAX_NUMBER:
            problems.append(f"{where} {key}({setting.label}): 应在 1 至 {MAX_NUMBER} 之间,实际为 {value}")
        elif setting.kind is date and (not isinstance(value, date) or hasattr(value, "hour")):
            problems.append(f"{where} {key}({setting.label}): 应为不加引号的日期(如 2024-01-15),实际为 {_shown(value)}")
        elif setting.kind is dict and not _patterns(value):
            problems.append(
                f'{where} {key}({setting.label}): 应为 "名称结尾" = "写法" 的表,每个写法含 {{unit}},'
                f'如 "县" = "中共{{unit}}委、{{unit}}人民政府";各为一行文字'
            )
        elif setting.kind is str and (not isinstance(value, str) or not value.strip()):
            problems.append(f"{where} {key}({setting.label}): 应为非空文字,实际为 {_shown(value)}")
        elif setting.kind is str and (_line_break(value) or len(value) > MAX_TEXT):
            problems.append(
                f"{where} {key}({setting.label}): 应为一行文字(不含换行和控制字符,不超过 {MAX_TEXT} 字),"
                f"实际为 {_shown(value)}"
            )
        else:
            out[key] = value.strip() if isinstance(value, str) else value
    return out


def _patterns(value: object) -> bool:
    """A table of name ending -> pattern, each pattern naming the unit, each one line of text."""
    return (
        isinstance(value, dict)
        and bool(value)
        and all(
            isinstance(end, str)
            and end.strip()
            and isinstance(pattern, str)
            and "{unit}" in pattern
            and not _line_break(end + pattern)
            and len(pattern) <= MAX_TEXT
            for end, pattern in value.items()
        )
    )


def _line_break(text: str) -> bool:
    """True when a text would not stay one paragraph: a document is written line by line, so a newline (or any
    character str.splitlines breaks at, or another control character) in a setting would start a line of its
    own, which could be read as a marker (`@版头`)."""
    return len(text.splitlines()) > 1 or any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)


_SHOWN = reprlib.Repr()
_SHOWN.maxstring, _SHOWN.maxother = 60, 60


def _shown(value: object) -> str:
    return _SHOWN.repr(value)


def organ(unit: str, patterns: dict[str, str]) -> str | None:
    """The organ a document to `unit` is addressed to: the pattern of the longest name ending `unit` has
    ("*" for any other unit), or None when none applies."""
    endings = sorted((end for end in patterns if end != "*" and unit.endswith(end)), key=len, reverse=True)
    pattern = patterns[endings[0]] if endings else patterns.get("*")
    return pattern.replace("{unit}", unit) if pattern is not None else None


def _suggest(key: str, known: Any) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f"(是否想写 {close[0]}?)" if close else ""
