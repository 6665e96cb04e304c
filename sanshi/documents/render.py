"""Document templates: a sandboxed Jinja environment over the built-in templates (package data, in
sanshi/documents/templates/) and, file by file ahead of them, a user's own folder (--templates).

Templates are files users edit, so they run in `SandboxedEnvironment` (no access to
Python internals) with `StrictUndefined`: a missing or misspelt variable is an
error naming the template and line, never a blank in a signed document. Each
template is loaded and parsed once per batch.
"""

from __future__ import annotations

import difflib

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from sanshi.documents.config import DERIVED, SETTINGS_BY_KEY, DocumentSettings, parse_settings
from sanshi.documents.filters import FILTERS, FilterError
from sanshi.documents.kinds import COMMON_VARIABLES, KIND_NAMES, KINDS, Kind, TEMPLATE_SUFFIX
from sanshi.documents.markup import MarkupError, parse
from sanshi.documents.model import Block
from sanshi.errors import TemplateError
from sanshi.rules.params import RulePack


BUILT_IN = Path(__file__).resolve().parent / "templates"  # installed with the package
TEMPLATE_FILES = "*.j2"


def export_templates(target: Path, force: bool = False) -> list[Path]:
    """Copy the built-in templates (and their README) into `target` for editing; an existing file is replaced
    only with `force`, and then every file is checked before any is written."""
    sources = sorted(BUILT_IN.glob(TEMPLATE_FILES)) + [BUILT_IN / "README.md"]
    present = [target / s.name for s in sources if (target / s.name).exists()]
    if present and not force:
        names = "、".join(p.name for p in present)
        raise TemplateError(f"{target} 中已有 {names}:未导出;如要用内置模板替换,请加 --force")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sources:
        destination = target / source.name
        destination.write_bytes(source.read_bytes())
        written.append(destination)
    return written


@dataclass(frozen=True)
class TemplateInfo:
    """What a template needs: the top-level variables and `doc` settings it uses, each with its first line."""

    path: Path
    variables: dict[str, int]
    settings: dict[str, int]


class TemplateSet:
    """The built-in templates, each replaced by the user's file of the same name in `folder` (--templates) when
    there is one; each parsed once."""

    def __init__(self, folder: Path | None = None):
        if folder is not None and not folder.is_dir():
            raise TemplateError(
                f"模板目录 {folder} 不存在:--templates 指定放改写模板的目录(sanshi notices --export-templates 目录 "
                "导出一份内置模板来改)"
            )
        if folder is not None:
            known = [kind.template for kind in KINDS]
            stray = sorted(p.name for p in folder.glob(f"*{TEMPLATE_SUFFIX}") if p.name not in known)
            if stray:
                raise TemplateError(
                    *(
                        f"模板目录 {folder} 中的 {name} 不是任何公文类型的模板,不会被使用"
                        f"{_close(name, known)}(模板文件名为:{'、'.join(known)})"
                        for name in stray
                    )
                )
        self.folder = folder
        folders = [str(f) for f in (folder, BUILT_IN) if f is not None]
        self.env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(folders, encoding="utf-8"),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        self.env.filters.update(FILTERS)
        self._templates: dict[str, jinja2.Template] = {}

    def path(self, kind: Kind) -> Path:
        """The file a kind is rendered from: the user's when their folder has one, else the built-in one."""
        own = self.folder / kind.template if self.folder is not None else None
        return own if own is not None and own.is_file() else BUILT_IN / kind.template

    def files(self) -> list[Path]:
        """Every template file this set reads (the user's overrides and the built-in rest), for the manifest."""
        return [self.path(kind) for kind in KINDS]

    def info(self, kind: Kind) -> TemplateInfo:
        """Parse a template (syntax errors name the line) and list what it uses."""
        path = self.path(kind)
        if not path.is_file():
            raise TemplateError(f"缺少模板 {path}({kind.name}):sanshi 安装不完整,请重新安装")
        try:
            source = path.read_text(encoding="utf-8")
            tree = self.env.parse(source, kind.template, str(path))
        except UnicodeDecodeError:
            raise TemplateError(f"模板 {path}:须为 UTF-8 编码的文本文件") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"模板 {path} 第{exc.lineno}行:模板语法错误:{exc.message}") from None
        undeclared = meta.find_undeclared_variables(tree) - set(self.env.globals)
        variables = {name: _first_line(tree, name) for name in sorted(undeclared)}
        settings: dict[str, int] = {}
        for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
            if isinstance(node.node, nodes.Name) and node.node.name == "doc":
                attr = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
                if isinstance(attr, str):
                    settings.setdefault(attr, node.lineno)
        return TemplateInfo(path, variables, dict(sorted(settings.items(), key=lambda kv: kv[1])))

    def check(self, kind: Kind, settings: DocumentSettings) -> list[str]:
        """Every problem a kind's template would hit: unknown variables, unknown or unset `doc` settings."""
        info = self.info(kind)
        known = set(kind.variables) | set(COMMON_VARIABLES)
        problems = [
            f"模板 {info.path} 第{line}行:变量 {name} 不存在(可用 {'、'.join(sorted(known))})"
            for name, line in info.variables.items()
            if name not in known
        ]
        allowed = set(SETTINGS_BY_KEY) | set(DERIVED)
        for attr, line in info.settings.items():
            if attr not in allowed:
                problems.append(
                    f"模板 {info.path} 第{line}行:doc.{attr} 不是发文设置(可用 {'、'.join(sorted(allowed))})"
                )
        for key, line in settings.missing(kind.name, info.settings):
            setting = SETTINGS_BY_KEY[key]
            problems.append(
                f"{settings.where} › [documents]:缺少 {key}({setting.label}),模板 {info.path} 第{line}行"
                f'要用到;写在 [documents] 或 [documents."{kind.name}"] 中'
            )
        return problems

    def render(self, kind: Kind, context: dict[str, Any]) -> tuple[Block, ...]:
        """One document's blocks; an undefined value, a filter refusing a value or bad markup names the line."""
        template = self._templates.get(kind.name)
        if template is None:
            template = self._templates[kind.name] = self.env.get_template(kind.template)
        try:
            text = template.render(context)
        except (jinja2.UndefinedError, FilterError, jinja2.TemplateError) as exc:
            raise TemplateError(f"模板 {self.path(kind)} 第{_error_line(exc, template)}行:{_message(exc)}") from None
        try:
            return parse(text)
        except MarkupError as exc:
            raise TemplateError(f"模板 {self.path(kind)} 生成的第{exc.line}行:{exc}") from None


def _close(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f":是否想写 {close[0]}?" if close else ""


def _first_line(tree: nodes.Template, name: str) -> int:
    return min((n.lineno for n in tree.find_all(nodes.Name) if n.name == name), default=1)


def _error_line(exc: BaseException, template: jinja2.Template) -> str:
    """The template line an error was raised at: Jinja maps its frames back to template lines."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == template.filename]
    return str(frames[-1].lineno) if frames else "?"


def _message(exc: BaseException) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"值不存在:{exc.message}(变量名拼写是否有误?)"
    return str(exc)


def catalog(folder: Path | None, pack: RulePack | None) -> list[dict[str, Any]]:
    """--list-templates: for each kind its template, when it is used, the variables it reads (with
    their meaning) and the doc.* settings it reads (with the pack's values when a pack is given)."""
    settings = parse_settings(pack.documents, pack.where, KIND_NAMES) if pack and pack.documents else None
    templates = TemplateSet(folder)
    entries = []
    for kind in KINDS:
        path = templates.path(kind)
        entry: dict[str, Any] = {
            "kind": kind.name,
            "path": str(path),
            "exists": path.is_file(),
            "description": kind.description,
            "one_per": kind.one_per,
        }
        entries.append(entry)
        try:
            info = templates.info(kind)
        except TemplateError as exc:
            entry["error"] = exc.messages[0]
            continue
        meanings = {**COMMON_VARIABLES, **kind.variables}
        entry["variables"] = {
            name: (line, meanings.get(name, "(不存在的变量)")) for name, line in info.variables.items() if name != "doc"
        }  # doc.* are settings
        values = settings.for_kind(kind.name) if settings else {}
        entry["settings"] = {}
        for attr, line in info.settings.items():
            key = DERIVED.get(attr, attr)
            setting = SETTINGS_BY_KEY.get(key)
            label = setting.label if setting else "(不是发文设置)"
            if pack is not None:
                label += f";{pack.where}:{'未设定' if values.get(key) is None else values[key]}"
            entry["settings"][attr] = (line, label)
    return entries
