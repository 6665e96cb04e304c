"""Errors the user can fix. The CLI turns every SanshiError into exit code 2.

The core never prints and never exits: it raises one of these with messages that
say where the problem is and what to do about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sanshi.inputs.normalize import name_key


@dataclass(frozen=True)
class RunWarning:
    """Something a run assumed or noticed and tells the user (a 提示): what kind it is (`code`), its message, and
    what it concerns — units, people (cadres of those units, by name), the clause — so `explain` and the report
    pick a unit's or a person's warnings by field. Two warnings with the same message are the same warning."""

    code: str = field(compare=False)  # e.g. "county.tier_tie": the area, then what happened
    message: str
    units: tuple[str, ...] = field(default=(), compare=False)
    people: tuple[str, ...] = field(default=(), compare=False)
    clause: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.message

    def concerns(self, unit: str, person: str | None = None) -> bool:
        """True for a warning about `unit` (for a person: about their unit as a whole, or about them). Names
        compare as the readers compare them (name_key): 「张 三」 in one sheet is 张三 in another."""
        if name_key(unit) not in {name_key(u) for u in self.units}:
            return False
        return person is None or not self.people or name_key(person) in {name_key(p) for p in self.people}


@dataclass(frozen=True)
class Problem:
    """One problem in an input, located as precisely as we know it."""

    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""

    def __str__(self) -> str:
        where = " › ".join(part for part in (self.file, self.sheet, self.cell) if part)
        return f"{where}: {self.message}" if where else self.message


class SanshiError(Exception):
    """A problem the user must fix; carries one or more messages."""

    def __init__(self, *messages: object) -> None:
        self.messages = [str(m) for m in messages]
        super().__init__("\n".join(self.messages))


class InputError(SanshiError):
    """The workbook (or another input file) has problems; all of them are listed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(*self.problems)


class PackError(SanshiError):
    """A rule pack is unknown, malformed, or has an unknown key or a value of the wrong type."""


class SettingError(SanshiError):
    """A what-if setting (--set key=value) names no parameter or gives a value its parameter does not take."""


class ConflictError(SanshiError):
    """Two sources of the same fact disagree (e.g. the 上年名次 column and the history store).

    `conflicts` are the disagreements, one a message; `advice`, when given, is one more message saying
    what to do about them all. A caller gathering conflicts from several rules takes `conflicts` only."""

    def __init__(self, *conflicts: object, advice: str | None = None) -> None:
        self.conflicts = [str(c) for c in conflicts]
        super().__init__(*self.conflicts, *([advice] if advice else []))


class TieError(SanshiError):
    """Units with equal scores straddle a cut and the tie policy says to stop."""


class OutputExistsError(SanshiError):
    """An output file exists already and --force was not given."""


class HistoryError(SanshiError):
    """The history store cannot answer (missing year, unreadable database, newer schema)."""


class UsageError(SanshiError):
    """Options that do not fit together or cannot be resolved (e.g. no year)."""


class MissingDataError(SanshiError):
    """A rule needs a number the inputs do not give (e.g. 上年名次 for a 十强县 amount)."""


class TemplateError(SanshiError):
    """A document template is missing or malformed, or uses a variable or setting the data does not have."""
