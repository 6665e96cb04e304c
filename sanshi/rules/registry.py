"""Clauses declared once. A module in sanshi/rules/clauses/ declares one clause as a `ClauseRule`: its rule
function, the pack tables it reads (`params`), the optional input columns it reads (`columns`), who it lists
and the facts each row shows (`facts`). Registering it is all it takes: every pack reads and checks its
tables, the reader, the template and the history store know its columns, and the command it belongs to runs
it and puts its list in the JSON, the workbook, the terminal summary and `explain` (see docs/ARCHITECTURE.md,
"新增一个条款"). The older clauses are still wired by hand in pipeline.py and the writers.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from sanshi.errors import RunWarning
from sanshi.inputs.reader import Table
from sanshi.inputs.schema import Column, add_columns
from sanshi.results import ClauseList, Exclusion, ListedRow
from sanshi.rules.params import ParamSpec, RulePack, register_params

COMMANDS = ("promotions",)  # the commands that run declared clauses


@dataclass(frozen=True)
class FactColumn:
    """A fact each listed row shows (not sanshi.results.Fact, the evidence of a decision): its key in the row's
    JSON `facts`, and its Chinese column header."""

    key: str
    header: str

    @classmethod
    def of(cls, column: Column) -> FactColumn:
        """The fact a declared input column gives, under the column's field name and header."""
        return cls(column.field, column.header)


@dataclass
class Leaves:
    """What a promotion list leaves out and says: people excluded (with why) or undetermined (what must be judged
    first), and warnings. Each list's outcome adds its rows."""

    excluded: list[Exclusion] = field(default_factory=list)
    undetermined: list[Exclusion] = field(default_factory=list)
    warnings: list[RunWarning] = field(default_factory=list)


class Holds(Protocol):
    """Who may not be listed this year, and why (for promotions: 能下 16 impact periods and this year's
    triggers). `check` says whether someone may be listed; if not, it has put them in `outcome`'s excluded
    (or undetermined) rows with the reason."""

    def check(self, name: str, unit: str, cadre_id: str | None, clause: str, outcome: Leaves) -> bool: ...


@dataclass(frozen=True)
class ClauseInput:
    """What a declared clause reads: the year, the workbook's tables by sheet name, the pack, who is held."""

    year: int
    source: str  # the workbook's file name, for messages
    tables: Mapping[str, Table]
    pack: RulePack
    holds: Holds


@dataclass
class ClauseOutcome(Leaves):
    rows: list[ListedRow] = field(default_factory=list)


@dataclass(frozen=True)
class ClauseRule:
    key: str  # the JSON key of its list, e.g. "commended"
    command: str  # the command whose results list it (one of COMMANDS)
    title: str  # the Chinese heading of its list, with the clause
    short: str  # a short Chinese name (at most 31 characters, no []:*?/\): the workbook's sheet, summary counts
    noun: str  # what it counts: 人 or 个
    run: Callable[[ClauseInput], ClauseOutcome]
    params: tuple[ParamSpec, ...] = ()
    columns: tuple[tuple[str, Column], ...] = ()  # (sheet name, optional column)
    facts: tuple[FactColumn, ...] = ()

    def listing(self, outcome: ClauseOutcome) -> ClauseList:
        return ClauseList(
            self.key,
            self.title,
            self.short,
            self.noun,
            tuple((f.key, f.header) for f in self.facts),
            tuple(outcome.rows),
        )


_RULES: dict[str, ClauseRule] = {}


def register(rule: ClauseRule) -> ClauseRule:
    """Make a clause known: its pack tables and its columns from now on, its list in its command's results."""
    if rule.command not in COMMANDS:
        raise ValueError(f"{rule.key}: 命令 {rule.command} 不运行登记的条款")
    known = _RULES.get(rule.key)
    if known is not None and known is not rule:
        raise ValueError(f"条款 {rule.key} 已登记")
    register_params(*rule.params)
    for sheet, column in rule.columns:
        add_columns(sheet, column)
    _RULES[rule.key] = rule
    return rule


def rules(command: str) -> list[ClauseRule]:
    """The declared clauses a command runs, in the order their modules are named."""
    discover()
    return [rule for rule in _RULES.values() if rule.command == command]


_DISCOVERED: list[bool] = []


def discover() -> None:
    """Import every module of sanshi/rules/clauses/ (each registers its clause), once: loading a pack, reading a
    sheet's columns and running a command's clauses call it first, so that each knows the declared tables and
    columns; importing sanshi does not (start-up stays light)."""
    if _DISCOVERED:
        return
    _DISCOVERED.append(True)
    from sanshi.rules import clauses

    for module in sorted(pkgutil.iter_modules(clauses.__path__), key=lambda m: m.name):
        importlib.import_module(f"{clauses.__name__}.{module.name}")
