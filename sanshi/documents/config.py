"""The `[documents]` section of a local pack: who issues each kind of document, and when.

    [documents]                       # shared by every kind
    issuer = "中共示例市委组织部"
    date = 2023-12-20
    [documents."表彰通报"]            # a kind's own values win
    issuer = "示例市人民政府"
    code = "示政函"
    first_number = 82

Templates read these as `doc.issuer`, `doc.code`...; `doc.serial` is the kind's
`first_number` plus the document's place in the batch. Which keys a kind needs is
decided by its template: a key the template uses but the pack does not set is an
error naming both, found before anything is rendered.
"""

from __future__ import annotations

import difflib
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
)
SETTINGS_BY_KEY = {s.key: s for s in SETTINGS}
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
        if isinstance(value, dict):
            if key not in kinds:
                problems.append(
                    f'{where} › [documents."{key}"]: 未知公文类型{_suggest(key, kinds)}(可用 {"、".join(kinds)})'
                )
                continue
            by_kind[key] = _values(value, f'{where} › [documents."{key}"]', problems)
        else:
            shared.update(_values({key: value}, f"{where} › [documents]", problems))
    for kind in kinds:
        values = {**shared, **by_kind.get(kind, {})}
        start, end = values.get("publicity_start"), values.get("publicity_end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            problems.append(f"{where} › [documents]: {kind} 的公示结束日期 {end} 早于开始日期 {start}")
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
            problems.append(f"{where} {key}({setting.label}): 应为正整数,实际为 {value!r}")
        elif setting.kind is date and (not isinstance(value, date) or hasattr(value, "hour")):
            problems.append(f"{where} {key}({setting.label}): 应为不加引号的日期(如 2024-01-15),实际为 {value!r}")
        elif setting.kind is str and (not isinstance(value, str) or not value.strip()):
            problems.append(f"{where} {key}({setting.label}): 应为非空文字,实际为 {value!r}")
        else:
            out[key] = value.strip() if isinstance(value, str) else value
    return out


def _suggest(key: str, known: Any) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f"(是否想写 {close[0]}?)" if close else ""
