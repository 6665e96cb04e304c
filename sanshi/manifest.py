"""The manifest of a run: what went in and what came out, so that outputs can be checked later.

Every run that writes files (the awards, demotions and promotions workbooks, a notices batch,
the blank template) writes a manifest JSON beside them, last and atomically: its presence
means every output it lists is complete. `sanshi verify` re-hashes what it lists.

Names: a workbook `2023年度考核奖励结果.xlsx` gets `2023年度考核奖励结果.manifest.json` (so that several
commands can share one --out folder); a notices batch gets `manifest.json` in `2023年度公文/`.

The document (keys sorted, UTF-8 without escapes):

    format, format_version   "sanshi-manifest", 1
    tool                     {name, version}
    command, arguments       the command and its options as given (paths as typed)
    year                     the assessment year (null for `template`)
    rules                    {name, title, label, base, origin, sha256} of the pack used (null for `template`)
    inputs                   [{kind, path, sha256, ...}]: kind "workbook"; "compared" (report --compare, diff: the
                             earlier version of the workbook compared with); "rules" (a local pack file, or a
                             built-in pack by name with path null); "history" (one per stored year the run
                             read: the current revision of every year before the assessment year, with
                             year, revision, source and the SHA-256 of the imported file; path is the
                             database; "pinned": true for a revision read by its number, as diff --history
                             reads its two); "aliases" (the --aliases file, when given); "template" (notices
                             only: every template file the documents were rendered from, built-in or the user's)
    outputs                  [{path, size, sha256}], path relative to the manifest's folder, with "/"
    what_if                  a what-if run's changed parameters (--set), each {key, label, shipped, value}, and
                             its title (what_if_title: 【测算,非正式结果】…); [] and "" for a real run
    created_at               when the manifest was written, UTC, ISO 8601

Paths of inputs are absolute, as resolved when the run was made. A pack's `sha256` is that of its
canonical content: for a built-in pack the TOML bytes shipped in the package; for a local pack the
bytes of its file followed by the bytes of its base pack's TOML (`cat local.toml shaanxi-2018.toml |
sha256sum`), so that a change to either changes it. The pack's hashes and the history revisions are those
the run itself read (results carry them as `read`): nothing is read again when the manifest is written.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any

from sanshi.limits import MANIFEST_LIMIT, read_limited
from sanshi.errors import HistoryError, RunWarning, SanshiError
from sanshi.inputs.reader import file_sha256
from sanshi.results import RunInputs, what_if_title
from sanshi.rules.params import Setting
from sanshi.writers.files import atomic_write, check_free, write_bytes

FORMAT = "sanshi-manifest"
FORMAT_VERSION = 1
SUFFIX = ".manifest.json"
NOTICES_NAME = "manifest.json"

# How `verify` judges each file.
SAME, CHANGED, MISSING, NOT_FOUND, EXTRA = "一致", "已改动", "缺失", "未找到", "多出"


class ManifestError(SanshiError):
    """A manifest file is missing, is not JSON, or is not a sanshi manifest this version can read."""


class VerifyError(SanshiError):
    """An output or an input no longer matches its manifest."""


@dataclass(frozen=True)
class RunRecord:
    """What the CLI knows about a run that the manifest records besides the outputs."""

    command: str
    arguments: Mapping[str, Any]  # the options as given; Paths and Enums are written as text
    year: int | None = None
    book: Path | None = None
    book_sha256: str = ""  # as the run read it (hashing the file again could see a later version)
    rules: str | None = None  # --rules as given; None: the pack in force for the year
    db: Path | None = None  # the history database the run would open (ignored when it does not exist)
    templates: Sequence[Path] = ()  # notices: the template files the documents were rendered from
    aliases: Path | None = None  # --aliases: the unit-name table applied to the workbook and the history
    read: RunInputs | None = None  # the pack and history revisions as the run read them (None for `template`)
    compared: Path | None = None  # report --compare, diff: the earlier version of the workbook (diff: OLD)
    compared_sha256: str = ""  # as the run read it


def manifest_path(output: Path) -> Path:
    """Where a single output's manifest goes: beside it, `<stem>.manifest.json`."""
    return output.with_name(output.stem + SUFFIX)


def write_outputs(
    record: RunRecord, outputs: Sequence[tuple[Path, Callable[[Path], None]]], manifest: Path, force: bool = False
) -> list[Path]:
    """Write each output atomically with its writer, then the manifest listing them.

    Nothing is written if any target or the manifest exists and not `force`.
    """
    paths = [path for path, _ in outputs]
    check_free([*paths, manifest], force)
    for path, write in outputs:
        atomic_write(path, write, force=True)
    write_manifest(manifest, record, paths, force=True)
    return paths


def write_manifest(
    path: Path, record: RunRecord, outputs: Sequence[Path], *, force: bool = False, now: datetime | None = None
) -> dict[str, Any]:
    """Hash the outputs as they are on disk and write the manifest atomically at `path`; returns it."""
    document = build(record, path.parent, outputs, now)
    write_bytes(path, dumps(document), force)
    return document


def dumps(document: Mapping[str, Any]) -> bytes:
    """The manifest as written: keys sorted, indented, UTF-8 without \\u escapes."""
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def build(record: RunRecord, folder: Path, outputs: Sequence[Path], now: datetime | None = None) -> dict[str, Any]:
    """The manifest document of a run whose outputs are written (see the module docstring)."""
    from sanshi import __version__

    rules, inputs = None, []
    if record.book is not None:
        inputs.append(
            {
                "kind": "workbook",
                "path": str(record.book.resolve()),
                "sha256": record.book_sha256 or file_sha256(record.book),
            }
        )
    if record.compared is not None:
        inputs.append(
            {
                "kind": "compared",
                "path": str(record.compared.resolve()),
                "sha256": record.compared_sha256 or file_sha256(record.compared),
            }
        )
    if record.read is not None:
        rules, read_inputs = _read(record.read)
        inputs += read_inputs
    if record.aliases is not None:
        # As the run parsed it (hashing the file again could see a later version), when the run says.
        parsed = record.read.aliases_sha256 if record.read is not None else ""
        inputs.append(
            {"kind": "aliases", "path": str(record.aliases.resolve()), "sha256": parsed or file_sha256(record.aliases)}
        )
    inputs += [
        {"kind": "template", "path": str(p.resolve()), "sha256": file_sha256(p)} for p in sorted(record.templates)
    ]
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    what_if = record.read.what_if if record.read is not None else ()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool": {"name": "sanshi", "version": __version__},
        "command": record.command,
        "arguments": {key: plain(value) for key, value in record.arguments.items()},
        "year": record.year,
        "rules": rules,
        "inputs": inputs,
        "outputs": [
            {"path": p.relative_to(folder).as_posix(), "size": p.stat().st_size, "sha256": file_sha256(p)}
            for p in outputs
        ],
        "created_at": stamp.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "what_if": list(what_if),
        "what_if_title": what_if_title([Setting(**entry) for entry in what_if]),
    }


def plain(value: Any) -> Any:
    """An option's value as JSON: Paths and Enums as text, lists item by item."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _read(read: RunInputs) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The pack and the history revisions as the run read them: its `rules` entry and its inputs."""
    inputs = [{"kind": "rules", **f} for f in read.pack_files]
    inputs += [{"kind": "history", "path": read.history_db, **r} for r in read.history]
    return dict(read.pack), inputs


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# ---- verify -------------------------------------------------------------------------------------

KIND_LABELS = {
    "workbook": "工作簿",
    "compared": "对照的工作簿",
    "rules": "规则包",
    "history": "历史库",
    "aliases": "单位名称对照",
    "template": "模板",
}


@dataclass(frozen=True)
class Check:
    """One file of a manifest, checked: what it is, its recorded and current SHA-256, the verdict."""

    output: bool
    label: str
    recorded: str
    current: str | None
    status: str  # SAME, CHANGED, MISSING (an output), EXTRA (in the run's folder, not listed) or NOT_FOUND (an input)
    note: str = ""

    @property
    def message(self) -> str:
        what = "输出文件" if self.output else "输入"
        text = {
            CHANGED: "内容已改动",
            MISSING: "缺失",
            NOT_FOUND: "未找到,未核对(可能已移动)",
            EXTRA: "在清单所在的文件夹中,清单却没有列出(不是这次运行写的)",
        }.get(self.status, "一致")
        return f"{what} {self.label}:{text}" + (f"({self.note})" if self.note else "")


@dataclass
class Verification:
    """A manifest and the check of every file it lists."""

    path: Path
    manifest: dict[str, Any]
    checks: list[Check] = field(default_factory=list)

    @property
    def run(self) -> str:
        """The run in words: `sanshi 0.1.0 于 2024-01-05T08:00:00Z 运行 awards,2023年度,规则包 shaanxi-2018`."""
        info = self.manifest
        tool, rules = info.get("tool"), info.get("rules")
        version = tool.get("version", "?") if isinstance(tool, dict) else "?"
        text = f"sanshi {version} 于 {info.get('created_at', '?')} 运行 {info.get('command', '?')}"
        if isinstance(info.get("year"), int):
            text += f",{info['year']}年度"
        if isinstance(rules, dict) and rules.get("label"):
            text += f",规则包 {rules['label']}"
        title = info.get("what_if_title")
        return f"{title} {text}" if isinstance(title, str) and title else text

    @property
    def problems(self) -> list[str]:
        """One message per output that is missing, changed or not listed, and per input that changed."""
        return [c.message for c in self.checks if c.status in (CHANGED, MISSING, EXTRA)]

    @property
    def not_found(self) -> list[RunWarning]:
        """An input no longer where the run read it (moved or deleted): said, not a failure."""
        return [RunWarning("manifest.input_not_found", c.message) for c in self.checks if c.status == NOT_FOUND]


def verify(path: Path) -> Verification:
    """Re-hash every output (relative to the manifest's folder) and every input (as recorded) of a manifest;
    for a run that owns its folder (manifest.json), also name every file there the manifest does not list."""
    manifest = load(path)
    result = Verification(path, manifest)
    folder = path.parent
    for entry in manifest["outputs"]:
        current = _hash_or_none(folder / entry["path"])
        status = MISSING if current is None else SAME if current == entry["sha256"] else CHANGED
        result.checks.append(Check(True, entry["path"], entry["sha256"], current, status))
    if path.name == NOTICES_NAME:
        # A manifest.json is the record of a run that owns its folder (notices, year): every file in the
        # folder is one it lists.
        listed = {entry["path"] for entry in manifest["outputs"]} | {path.name}
        for extra in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = extra.relative_to(folder).as_posix()
            if relative not in listed:
                result.checks.append(Check(True, relative, "", _hash_or_none(extra), EXTRA))
    for entry in manifest["inputs"]:
        result.checks.append(_check_input(entry))
    return result


def _check_input(entry: dict[str, Any]) -> Check:
    kind, recorded, where = entry["kind"], entry["sha256"], entry.get("path")
    if kind == "history":
        return _check_revision(entry)
    if where is None:  # a built-in pack: compare with the one this installation ships
        from sanshi.rules.params import builtin_names, builtin_pack_bytes

        label = f"{KIND_LABELS[kind]} {entry.get('name')}(内置)"
        if entry.get("name") not in builtin_names():
            return Check(False, label, recorded, None, NOT_FOUND, "本版本 sanshi 没有这个内置规则包")
        current = _sha256(builtin_pack_bytes(entry["name"]))
    else:
        label = f"{KIND_LABELS[kind]} {where}"
        current = _hash_or_none(Path(where))
        if current is None:
            return Check(False, label, recorded, None, NOT_FOUND)
    return Check(False, label, recorded, current, SAME if current == recorded else CHANGED)


def _hash_or_none(path: Path) -> str | None:
    """A file's SHA-256, or None when there is no readable file there."""
    try:
        return file_sha256(path) if path.is_file() else None
    except OSError:
        return None


def _check_revision(entry: dict[str, Any]) -> Check:
    """A history revision matches when it is still the year's current one (a rerun would read it), or, read by its
    number (`pinned`, diff --history), when that revision is still there as it was."""
    from sanshi.history.store import HistoryStore

    year, revision, recorded = entry["year"], entry["revision"], entry["sha256"]
    label = f"历史库 {year}年第{revision}版({entry['path']})"
    db = Path(entry["path"])
    if not db.is_file():
        return Check(False, label, recorded, None, NOT_FOUND)
    try:
        with HistoryStore.open(db, create=False) as store:
            stored = store.revisions(year)
    except HistoryError as exc:
        return Check(False, label, recorded, None, NOT_FOUND, exc.messages[0])
    current = next((r for r in stored if r.is_current), None)
    if entry.get("pinned") is True:
        pinned = next((r for r in stored if r.revision == revision), None)
        if pinned is None:
            return Check(False, label, recorded, None, NOT_FOUND, f"历史库中已没有{year}年第{revision}版")
        return Check(False, label, recorded, pinned.sha256, SAME if pinned.sha256 == recorded else CHANGED)
    if current is None:
        return Check(False, label, recorded, None, NOT_FOUND, f"历史库中已没有{year}年")
    if current.revision != revision or current.sha256 != recorded:
        return Check(
            False,
            label,
            recorded,
            current.sha256,
            CHANGED,
            f"{year}年当前为第{current.revision}版({current.source}),重新运行将读取该版",
        )
    return Check(False, label, recorded, current.sha256, SAME)


_ENTRY_KEYS = {"outputs": ("path", "sha256"), "inputs": ("kind", "sha256")}
MAX_DEPTH = 16  # of nested arrays and objects; a manifest has 4 (document, inputs, entry, value)
YEARS = range(1, 10_000)  # a history input's year: anything else cannot have been written by a run
REVISIONS = range(1, 2**63)  # a history revision: SQLite's integers
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class _DuplicateKey(ValueError):
    """A key that appears twice in one JSON object (the JSON module would keep the last silently)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = {}
    for key, value in pairs:
        if key in document:
            raise _DuplicateKey(key)
        document[key] = value
    return document


def _too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than MAX_DEPTH: checked before parsing, which recurses once
    per level (a manifest of 200,000 nested lists would exhaust the stack). Strings are removed first, so
    that brackets inside them do not count; the scan stops at the first level too deep."""
    depth = 0
    for bracket in _BRACKETS.finditer(_STRINGS.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def load(path: Path) -> dict[str, Any]:
    """Read a manifest, refusing with a clear message anything that is not one this version understands,
    including a malformed one (a key twice, nesting no run writes) and one that lists no output."""
    if not path.exists():
        raise ManifestError(f"找不到清单文件 {path}:请给出 sanshi 运行时写在输出旁的 .manifest.json 或 manifest.json")
    try:
        text = read_limited(path, MANIFEST_LIMIT, "清单文件", ManifestError).decode("utf-8")
    except UnicodeDecodeError:
        raise ManifestError(f"{path}:不是 UTF-8 文本,不是 sanshi 的运行清单") from None
    if _too_deep(text):
        raise ManifestError(
            f"{path}:数组或对象嵌套超过 {MAX_DEPTH} 层,sanshi 写的清单不会这样,文件已损坏或不是 sanshi 的运行清单"
        )
    try:
        manifest = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        raise ManifestError(
            f'{path}:键 "{exc}" 在同一个对象中出现了不止一次,sanshi 写的清单不会这样,文件被改动过或已损坏'
        ) from None
    except json.JSONDecodeError as exc:
        raise ManifestError(
            f"{path}:不是有效的 JSON(第{exc.lineno}行第{exc.colno}列:{exc.msg}),文件可能已损坏或不是 sanshi 的运行清单"
        ) from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer of more digits than Python converts
        raise ManifestError(f"{path}:不是有效的运行清单({exc}),文件可能已损坏") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ManifestError(f'{path}:不是 sanshi 的运行清单(缺少 "format": "{FORMAT}")')
    version = manifest.get("format_version")
    if type(version) is not int or version > FORMAT_VERSION:
        raise ManifestError(
            f"{path}:清单格式版本 {version!r} 本版本 sanshi 无法读取(支持至 {FORMAT_VERSION}),"
            "请用写出它的 sanshi 版本或更新版本核对"
        )
    problems = []
    for section, keys in _ENTRY_KEYS.items():
        entries = manifest.get(section)
        if not isinstance(entries, list):
            problems.append(f'{path}:缺少 "{section}" 列表')
            continue
        if section == "outputs" and not entries:
            problems.append(
                f"{path}:清单没有列出任何输出文件,无从核对(sanshi 写的清单至少列出一个),文件被改动过或不完整"
            )
        listed: set[str] = set()
        for number, entry in enumerate(entries, start=1):
            missing = [k for k in keys if not isinstance(entry, dict) or not isinstance(entry.get(k), str)]
            if missing:
                problems.append(f"{path} › {section} 第{number}项:缺少 {'、'.join(missing)}")
            elif section == "outputs" and _outside(entry["path"]):
                problems.append(f"{path} › outputs 第{number}项:路径 {entry['path']} 不在清单所在文件夹之内")
            elif section == "outputs" and entry["path"] in listed:
                problems.append(f"{path} › outputs 第{number}项:路径 {entry['path']} 重复列出")
            elif section == "inputs" and not _input_ok(entry):
                problems.append(f"{path} › inputs 第{number}项:{_input_problem(entry)}")
            if section == "outputs" and not missing:
                listed.add(entry["path"])
    if problems:
        raise ManifestError(*problems)
    return manifest


def _outside(relative: str) -> bool:
    path = Path(relative)
    return path.is_absolute() or ".." in path.parts or not path.parts


def _input_ok(entry: dict[str, Any]) -> bool:
    kind, where = entry["kind"], entry.get("path")
    if kind == "history":
        year, revision = entry.get("year"), entry.get("revision")
        return (
            isinstance(where, str)
            and type(year) is int
            and year in YEARS
            and type(revision) is int
            and revision in REVISIONS
        )
    if kind == "rules" and where is None:
        return isinstance(entry.get("name"), str)
    return kind in KIND_LABELS and isinstance(where, str)


def _input_problem(entry: dict[str, Any]) -> str:
    """Why an input entry is refused, as the user reads it."""
    if entry["kind"] == "history":
        year, revision = entry.get("year"), entry.get("revision")
        if type(year) is int and year not in YEARS:
            return f"历史库输入的年度 {_short(year)} 不是有效的年度(1 至 9999)"
        if type(revision) is int and revision not in REVISIONS:
            return f"历史库输入的版本号 {_short(revision)} 不是有效的版本号(1 至 {REVISIONS[-1]})"
    return "无法识别的输入记录"


def _short(number: int) -> str:
    """A number as a message quotes it: a huge one by its first digits and its length."""
    text = str(number)
    return text if len(text) <= 24 else f"{text[:12]}…({len(text)} 位数)"


def recorded_outputs(folder: Path, name: str = NOTICES_NAME) -> set[str]:
    """The files (relative, with "/") that the manifest in `folder` lists, and the manifest itself; none when
    there is no readable manifest there."""
    try:
        manifest = load(folder / name)
    except ManifestError:
        return set()
    return {entry["path"] for entry in manifest["outputs"]} | {name}
