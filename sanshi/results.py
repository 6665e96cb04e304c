"""Frozen result records: what the rules conclude, each with its clause and basis.

Writers (terminal, JSON, xlsx) turn these into output; nothing here computes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import MISSING, dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from sanshi.errors import RunWarning
from sanshi.inputs.schema import STRONG_TITLES
from sanshi.rules.arith import ROUNDING_LABELS, percent
from sanshi.rules.cases import Citation, case_key, parse_citation
from sanshi.rules.params import Setting

if TYPE_CHECKING:
    import pandas

# How a record's field is written by `--json` (sanshi.writers.json_out.entry): by default under the field's name,
# numbers exact, dates as ISO, records and tuples nested; `shown(..., json=...)` says otherwise.


def shown(
    header: str,
    *,
    number: str | None = None,
    wrap: bool = False,
    text: Callable[[Any], str] | None = None,
    json: str | None = None,
    default: Any = MISSING,
) -> Any:
    """A record's field with how every writer shows it, declared once: its Chinese header (workbook and terminal
    columns), its number format by kind (exact, yuan, coefficient, percent, date; the workbook maps each to an
    Excel format), whether its text wraps, how a table shows the value as text (`text`: a ratio as 35%), and how
    --json writes it (`json`: "share" or "hidden"; otherwise under the field's name)."""
    return field(
        default=default, metadata={"header": header, "number": number, "wrap": wrap, "text": text, "json": json}
    )


def year_list(years: Iterable[int]) -> str:
    """2021、2022、2023."""
    return "、".join(str(y) for y in years)


def rounding_label(mode: str) -> str:
    """floor -> 向下取整."""
    return ROUNDING_LABELS.get(mode, mode)


# Award names are part of the `--json` contract (tests/golden/): do not rename.
TARGET_EXCELLENT = "年度目标责任考核优秀单位"
TOP_COUNTY = "十强县"
TOP_DISTRICT = "五强区"
COUNTY_PROGRESS = "县域争先进位奖"
DISTRICT_PROGRESS = "城区争先进位奖"
POVERTY_EXCELLENT = "脱贫攻坚工作成效考核优秀单位"
AWARD_ORDER = (
    TARGET_EXCELLENT,
    TOP_COUNTY,
    TOP_DISTRICT,
    COUNTY_PROGRESS,
    DISTRICT_PROGRESS,
    *STRONG_TITLES,
    POVERTY_EXCELLENT,
)


@dataclass(frozen=True)
class RunInputs:
    """What a run read besides its workbook, recorded as it read it (for the run's manifest): the pack (its
    identity, the SHA-256 of its canonical content and of each file it came from) and the history revisions
    of the earlier years. Nothing is read again after the run."""

    pack: dict[str, Any]  # name, title, label, base, origin, sha256
    pack_files: tuple[dict[str, Any], ...]  # each {name, path (None for a built-in pack), sha256}
    history_db: str | None = None  # the store read (absolute path), None when there was none
    history: tuple[dict[str, Any], ...] = ()  # each {year, revision, source, sha256}: the current revisions read
    aliases_sha256: str = ""  # of the --aliases file's bytes as the run parsed them ("" when none was given)
    # A what-if run's changed parameters (--set), each {key, label, shipped, value}: the pack above is as read, the
    # run computed with these values instead.
    what_if: tuple[dict[str, str], ...] = ()


class Cited:
    """A record that cites its clause (`clause`, as the pack writes it) has it as data too: `citations` are the
    办法, 条 and 项 (rules.cases.Citation), for writers that phrase or group citations themselves."""

    clause: str

    @property
    def citations(self) -> tuple[Citation, ...]:
        return parse_citation(self.clause)


@dataclass(frozen=True)
class Fact:
    """One fact a decision rests on, as data, for writers to phrase for their reader: what it is (年度考核等次,
    民主测评基本称职和不称职票), the year it belongs to, its value as the office states it (基本称职, 30.0%), and where
    sanshi read it (`source`: 本年工作簿, 「上年考核等次」列, 历史库2022年数据) — provenance for the workbook and
    `explain`, never for an official document."""

    what: str = shown("事实")
    value: str = shown("取值")
    year: int | None = shown("年度", default=None)
    source: str = shown("来源", default="")


@dataclass(frozen=True)
class UnitGrade(Cited):
    """A unit's grade in the target (目标责任考核) or poverty (脱贫攻坚) assessment."""

    unit: str = shown("单位")
    group: str = shown("类别")
    score: Decimal = shown("综合得分", number="exact")
    rank: int = shown("组内名次")  # competition rank by score within the group
    grade: str | None = shown("等次")
    excellent: bool = shown("是否优秀")
    clause: str = shown("条款")
    basis: str = shown("依据", wrap=True)
    preset: bool = shown("预定等次", json="hidden", default=False)  # the grade was given in the 等次 column
    barred: str | None = shown("不得评优", json="hidden", default=None)  # the reason that kept it out of the pool


@dataclass(frozen=True)
class GroupCut(Cited):
    """How the 35% cut went for one group: the numbers behind every grade in it."""

    assessment: str = shown("考核")  # 目标责任考核 | 脱贫攻坚
    group: str = shown("类别")
    units: int = shown("单位数N")  # N
    ratio: Fraction = shown("比例", text=percent)
    rounding: str = shown("取整方式", text=rounding_label)
    quota: int = shown("名额")
    eligible: int = shown("可评优单位数")  # units in the pool (no preset grade, not barred)
    excellent: int = shown("优秀单位数")
    cut_score: Decimal | None = shown("名额线得分", number="exact")  # lowest excellent score
    clause: str = shown("条款")
    basis: str = shown("依据", wrap=True)


@dataclass(frozen=True)
class Award(Cited):
    unit: str = shown("单位")
    award: str = shown("奖项")
    tier: str | None = shown("等级")
    amount_wan: Decimal | None = shown("奖励金额(万元)", number="exact")  # None: a title without prize money of its own
    clause: str = shown("条款")
    basis: str = shown("依据", wrap=True)
    facts: tuple[Fact, ...] = shown("事实", default=())  # the county awards' places (名次, 上年名次, 较上年)


@dataclass(frozen=True)
class CadreQuota(Cited):
    """Annual-assessment 优秀 places for a unit's cadres (激励 5(1))."""

    unit: str = shown("单位")
    grade: str | None = shown("单位等次")
    staff: int = shown("考核人数")
    ratio: Fraction = shown("优秀比例", text=percent)
    quota: int = shown("优秀名额")
    clause: str = shown("条款")
    basis: str = shown("依据", wrap=True)


@dataclass(frozen=True)
class BonusLine(Cited):
    """One cadre's target-assessment bonus (激励 6(1)): coefficient always, amount when configured."""

    name: str = shown("姓名")
    unit: str = shown("单位")
    unit_grade: str | None = shown("单位等次")
    cadre_grade: str | None = shown("本人年度考核等次")
    coefficient: Fraction = shown("系数", number="coefficient")
    base_amount_yuan: Decimal | None = shown("每人基数(元)", number="yuan")
    amount_yuan: Decimal | None = shown("金额(元)", number="yuan")
    clause: str = shown("条款")
    basis: str = shown("依据", wrap=True)


@dataclass(frozen=True)
class PreviousYear:
    """Which year served as 上年 for the county rankings, and where its numbers came from."""

    year: int | None
    source: str  # e.g. 历史库2022年数据 / 工作簿「上年名次」列 / 无


@dataclass(frozen=True)
class AreaPlace:
    """A county's or district's place in this year's 县域监测 ranking and the year before (None: not known)."""

    unit: str
    area_type: str  # 县 | 城区
    rank: int
    last_rank: int | None


def total_wan(awards: Iterable[Award]) -> Decimal:
    """The one sum of prize money (万元) every output shows: the amounts set, a title without money adding 0."""
    return sum((a.amount_wan for a in awards if a.amount_wan is not None), Decimal(0))


@dataclass(frozen=True)
class PendingAward(Cited):
    """An award the inputs cannot decide (e.g. 首次进入 with no earlier year known): listed, never paid."""

    unit: str = shown("单位")
    award: str = shown("奖项")
    clause: str = shown("条款")
    missing: str = shown("缺少的事实", wrap=True)  # what the workbook or history must say for it to be decided


WHAT_IF_MARK = "【测算,非正式结果】"


def what_if_title(what_if: Sequence[Setting]) -> str:
    """How every output of a what-if run (--set) says so, worded once: 【测算,非正式结果】 and each changed parameter
    with its value as shipped and as set (`target.excellent_ratio 35%→30%`); "" for a real run."""
    if not what_if:
        return ""
    return WHAT_IF_MARK + ";".join(f"{s.key} {s.shipped}→{s.value}" for s in what_if)


def what_if_entry(setting: Setting) -> dict[str, str]:
    """A changed parameter as `--json` and the manifest write it: {key, label, shipped, value}."""
    return {"key": setting.key, "label": setting.label, "shipped": setting.shipped, "value": setting.value}


class Analysed:
    """What an analyst does with a result in Python: each of its lists of records as a pandas DataFrame (`to_frame`,
    the workbook's headers, exact numbers) and the whole as the --json document (`to_json`)."""

    MAIN_PART: ClassVar[str]  # the list to_frame gives when none is named

    def to_frame(self, part: str | None = None) -> pandas.DataFrame:
        """One list of records as a DataFrame (default `MAIN_PART`); `frame_parts()` names the others."""
        from sanshi.writers.frames import result_frame

        return result_frame(self, part or self.MAIN_PART)

    def frame_parts(self) -> list[str]:
        """The names `to_frame` accepts."""
        from sanshi.writers.frames import parts

        return list(parts(self))

    def to_json(self) -> str:
        """The result as the command's --json prints it."""
        from sanshi.writers.json_out import document, dumps

        return dumps(document(self))


@dataclass(frozen=True)
class RunHeader:
    """What every result of a year's run states first, declared once: the year, the pack as the run names it, and
    the workbook with its SHA-256; and, for a what-if run (--set), the parameters it changed, which every writer
    shows (`what_if_title`) so that its output is never taken for the real list."""

    year: int
    rules: str
    source: str
    source_sha256: str
    what_if: tuple[Setting, ...] = field(default=(), kw_only=True)

    @property
    def what_if_title(self) -> str:
        """The what-if marker line, "" for a real run."""
        return what_if_title(self.what_if)


@dataclass(frozen=True)
class AwardsResult(Analysed, RunHeader):
    MAIN_PART: ClassVar[str] = "awards"

    target_units: list[UnitGrade] = field(default_factory=list)
    poverty_units: list[UnitGrade] = field(default_factory=list)
    cuts: list[GroupCut] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    cadre_quotas: list[CadreQuota] = field(default_factory=list)
    bonus: list[BonusLine] = field(default_factory=list)
    previous: PreviousYear = field(default_factory=lambda: PreviousYear(None, "无"))
    places: list[AreaPlace] = field(default_factory=list)  # the 县域监测 ranking, with 上年名次 as the awards used it
    undetermined: list[PendingAward] = field(default_factory=list)  # titles or amounts the inputs cannot decide
    earlier_years: list[int] = field(default_factory=list)  # the earlier years of 县域监测 the run saw (history)
    history: bool = False  # whether a history store was read
    read: RunInputs | None = None  # what the run read (pack, history), for the manifest
    warnings: list[RunWarning] = field(default_factory=list)

    @property
    def total_amount_wan(self) -> Decimal:
        """The decided amounts only: a pending item is never added on a guess."""
        return total_wan(self.awards)

    @property
    def prizes(self) -> list[Award]:
        """The awards that are prizes: all but the target assessment's 优秀 title, which pays per person."""
        return [a for a in self.awards if a.award != TARGET_EXCELLENT]

    @property
    def pending_count(self) -> int:
        return len(self.undetermined)


# ---- 能下 (能上能下办法) -----------------------------------------------------------------

TOLERATED_LABEL = "容错免责"
REDUCED_LABEL = "容错减责"


@dataclass(frozen=True)
class Trigger(Cited):
    """One person named by one 能下 clause (or, in `undetermined`, a clause that could not be judged).

    Unit-level clauses name the unit's 主要负责人 / 分管领导; when the unit lists nobody in
    that role, `name` is empty and `role` says whom the row stands for.
    """

    name: str = shown("姓名")
    unit: str = shown("单位")
    position: str | None = shown("职务")
    role: str | None = shown("岗位类别")
    article: int = shown("条")
    item: int = shown("项")
    clause: str = shown("条款")
    basis: str = shown("依据", wrap=True)
    tolerated: bool = False  # 容错免责: exempt, listed for the record
    tolerance_ref: str | None = None  # the 文号 of the 容错 decision (免责 or 减责)
    reduced: bool = False  # 容错减责: still an ordinary trigger, marked with the 文号
    cadre_id: str | None = shown("干部编号", default=None)
    # The facts the basis states, year by year, each with where it was read.
    facts: tuple[Fact, ...] = shown("事实", default=())

    @property
    def tolerance_text(self) -> str:
        """容错免责 / 容错减责 with the decision's 文号, empty for an ordinary row."""
        if self.tolerated:
            return f"{TOLERATED_LABEL}({self.tolerance_ref})"
        return f"{REDUCED_LABEL}({self.tolerance_ref})" if self.reduced else ""

    @property
    def key(self) -> str:
        """The clause as a short key, e.g. 8(2), as used by the pack's tolerance scopes and role map."""
        return case_key(self.article, self.item)


@dataclass(frozen=True)
class ImpactPeriod(Cited):
    """能下 16: no promotion until `until` after an adjustment; listed when it runs past the year's end."""

    name: str = shown("姓名")
    unit: str = shown("单位")
    cadre_id: str | None = shown("干部编号")
    method: str = shown("调整方式")
    decided: date = shown("决定日期", number="date")
    until: date = shown("影响期至", number="date")
    clause: str = shown("条款")
    basis: str = shown("依据", wrap=True)
    source: str = shown("来源")  # which year's 调整记录 it came from


@dataclass(frozen=True)
class DemotionsResult(Analysed, RunHeader):
    MAIN_PART: ClassVar[str] = "candidates"

    candidates: list[Trigger] = field(default_factory=list)
    undetermined: list[Trigger] = field(default_factory=list)
    impact_periods: list[ImpactPeriod] = field(default_factory=list)
    history_years: list[int] = field(default_factory=list)  # earlier years whose data was used
    read: RunInputs | None = None  # what the run read (pack, history), for the manifest
    warnings: list[RunWarning] = field(default_factory=list)
    unit: str | None = None  # set when the result was narrowed to one unit (--unit)


# ---- 选拔重用 (鼓励激励办法第七条) ------------------------------------------------------------


@dataclass(frozen=True)
class PromotedUnit(Cited):
    """7(2): a unit 优秀 in the target assessment in each of `years` (oldest first)."""

    unit: str = shown("单位")
    years: tuple[int, ...] = shown("优秀年度", text=year_list)
    clause: str = shown("条款")
    basis: str = shown("依据", wrap=True)


@dataclass(frozen=True)
class PromotedCadre(Cited):
    """7(1): a cadre whose annual assessment was 优秀 in each of `years` (oldest first)."""

    name: str = shown("姓名")
    unit: str = shown("单位")
    years: tuple[int, ...] = shown("优秀年度", text=year_list)
    cadre_id: str | None = shown("干部编号")
    position: str | None = shown("职务")
    clause: str = shown("条款")
    basis: str = shown("依据", wrap=True)


@dataclass(frozen=True)
class Component:
    """One assessment's part in a county's 7(3) score: its value, rank, and percentile (1 best, 0 worst)."""

    assessment: str  # 目标责任考核 | 县域监测 | 脱贫攻坚
    value: str  # 得分 92.5 / 名次 3
    rank: int
    count: int
    percentile: Fraction = shown("百分位", number="percent", json="share")


@dataclass(frozen=True)
class RankedCounty:
    """A county's place in the 7(3) combined ranking (equal score and tie-break share a place)."""

    unit: str = shown("县(市、区)")
    score: Fraction = shown("综合分", number="percent", json="share")  # mean of the components' percentiles
    place: int = shown("综合名次")
    components: tuple[Component, ...] = shown("各项")


@dataclass(frozen=True)
class CountyHead(Cited):
    """7(3): a 党政正职 of a county whose combined score placed it among the outstanding."""

    name: str = shown("姓名")
    unit: str = shown("县(市、区)")
    score: Fraction = shown("综合分", number="percent", json="share")  # mean of the components' percentiles
    components: tuple[Component, ...] = shown("各项")
    place: int = shown("综合名次")  # the county's place in the combined ranking
    cadre_id: str | None = shown("干部编号")
    position: str | None = shown("职务")
    clause: str = shown("条款")
    basis: str = shown("依据", wrap=True)


@dataclass(frozen=True)
class Exclusion(Cited):
    """Someone a promotion list would have named, left out (能下 16 impact period, an un-tolerated trigger)."""

    name: str = shown("姓名")
    unit: str = shown("单位")
    reason: str = shown("原因", wrap=True)
    clause: str = shown("条款")  # the list they would have been on (鼓励激励办法第七条第(一)项)
    cadre_id: str | None = shown("干部编号", default=None)


@dataclass(frozen=True)
class ListedRow(Cited):
    """One person (or unit) a declared clause lists (sanshi/rules/clauses/): who, under which clause, why, and
    the clause's own facts as text, in the order of its list's `columns`."""

    unit: str = shown("单位")
    name: str | None = shown("姓名")
    cadre_id: str | None = shown("干部编号")
    position: str | None = shown("职务")
    clause: str = shown("条款")
    basis: str = shown("依据", wrap=True)
    facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClauseList:
    """The rows one declared clause lists, with how to show them: `key` is its JSON key, `title` its Chinese
    heading, `short` a name of a few characters, `noun` what it counts (人, 个), `columns` the (JSON key, Chinese header) of each fact."""

    key: str
    title: str
    short: str  # a short name: the workbook's sheet, the year summary's count
    noun: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[ListedRow, ...]

    def only(self, keep: Callable[[ListedRow], bool]) -> ClauseList:
        return replace(self, rows=tuple(r for r in self.rows if keep(r)))


@dataclass(frozen=True)
class PromotionsResult(Analysed, RunHeader):
    MAIN_PART: ClassVar[str] = "cadres"

    units: list[PromotedUnit] = field(default_factory=list)
    cadres: list[PromotedCadre] = field(default_factory=list)
    county_heads: list[CountyHead] = field(default_factory=list)
    lists: list[ClauseList] = field(default_factory=list)  # the declared clauses' lists (7(4) ...)
    counties: list[RankedCounty] = field(default_factory=list)  # the whole 7(3) ranking
    excluded: list[Exclusion] = field(default_factory=list)
    undetermined: list[Exclusion] = field(default_factory=list)  # could not be judged, with why
    history_years: list[int] = field(default_factory=list)
    read: RunInputs | None = None  # what the run read (pack, history), for the manifest
    warnings: list[RunWarning] = field(default_factory=list)


# ---- explain ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation(Analysed):
    """Everything the year's rules concluded about one unit or one person, with the numbers behind it.

    For a person, `grades` and `cuts` are those of the person's unit: the bonus and the unit-level
    triggers rest on them.
    """

    MAIN_PART: ClassVar[str] = "candidates"

    year: int
    rules: str
    subject: str
    kind: str  # 单位 | 个人
    units: list[str]
    grades: list[UnitGrade] = field(default_factory=list)
    cuts: list[GroupCut] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    cadre_quotas: list[CadreQuota] = field(default_factory=list)
    bonus: list[BonusLine] = field(default_factory=list)
    candidates: list[Trigger] = field(default_factory=list)
    undetermined: list[Trigger] = field(default_factory=list)
    impact_periods: list[ImpactPeriod] = field(default_factory=list)
    previous: PreviousYear = field(default_factory=lambda: PreviousYear(None, "无"))
    history_years: list[int] = field(default_factory=list)
    promoted_units: list[PromotedUnit] = field(default_factory=list)
    promoted_cadres: list[PromotedCadre] = field(default_factory=list)
    county_heads: list[CountyHead] = field(default_factory=list)
    lists: list[ClauseList] = field(default_factory=list)  # each declared clause's list, with the subject's rows
    excluded: list[Exclusion] = field(default_factory=list)  # left out of a promotion list, with why
    notes: list[RunWarning] = field(default_factory=list)  # the year's warnings that concern the subject
    uncomputed: list[Any] = field(default_factory=list)  # the pack's clauses left to human judgement (ManualClause)


# ---- year report --------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A unit's place in one assessment in one year: its rank among `units` and its grade (None where the
    assessment gives none, as 县域监测; several values joined by 或 where a tie at that year's cut was left open)."""

    year: int
    rank: int
    units: int
    grade: str | None
    source: str  # 本年工作簿 / 历史库2022年


@dataclass(frozen=True)
class Trend:
    """One unit's standings in one assessment over the years, oldest first."""

    unit: str
    assessment: str  # 目标责任考核 | 县域监测 | 脱贫攻坚
    group: str  # 类别, or 县/城区 for 县域监测
    standings: tuple[Standing, ...]


@dataclass(frozen=True)
class YearReport(RunHeader):
    """What the year report draws: the year's awards and 能下 results and each unit's standings over the years."""

    awards: AwardsResult
    demotions: DemotionsResult
    trend_years: int  # a unit's standings are drawn when it has at least this many years
    trends: list[Trend] = field(default_factory=list)
    history_years: list[int] = field(default_factory=list)  # stored years the trends read
    uncomputed: list[Any] = field(default_factory=list)  # the pack's clauses left to human judgement (ManualClause)
    read: RunInputs | None = None  # what the run read (pack, history), for the manifest
    warnings: list[RunWarning] = field(default_factory=list)
    compared: DiffResult | None = None  # report --compare: what changed from the earlier version (e.g. 公示版)


# ---- diff (两个版本的结果对照) -------------------------------------------------------------

ROW_ADDED, ROW_REMOVED = "新增行", "删除行"  # InputChange.column for a whole row only one version has


@dataclass(frozen=True)
class InputChange:
    """One input cell that differs between the old and the new workbook (rows matched by unit or 干部编号, not by
    position): where it is (the new workbook's cell; the old one's for a removed row), what it was and is.
    A row only one version has is one change with `column` 新增行 or 删除行."""

    file: str = shown("文件")
    sheet: str = shown("工作表")
    cell: str = shown("单元格")  # C17; the row's number alone for a whole row
    column: str = shown("列")  # the Chinese header, or 新增行 / 删除行
    row: str = shown("行")  # the row's key as people read it: 鹤亭县, 张三(SX00012)
    old: str | None = shown("原值")
    new: str | None = shown("现值")
    unit: str | None = shown("单位", json="hidden", default=None)  # the row's unit, to attribute result changes
    person: str | None = shown("干部", json="hidden", default=None)  # the row's person key (干部编号 or 姓名)

    @property
    def where(self) -> str:
        """2023.xlsx › 县域监测 › D8."""
        return f"{self.file} › {self.sheet} › {self.cell}"


@dataclass(frozen=True)
class ResultChange:
    """One result that differs between the two versions: what kind of result (目标责任考核等次, 奖励, 能下情形...),
    whose (unit, name), how (新增, 取消, 变化), before and after in words with both bases, and why: the changed input
    cells of the same unit or person (`inputs`), or, when it has none, the units whose changed inputs moved it
    (`pushed_by`, e.g. a unit pushed out of the 35% by another unit's corrected score)."""

    kind: str = shown("类别")
    change: str = shown("变化")  # 新增 | 取消 | 变化
    unit: str = shown("单位")
    name: str | None = shown("姓名")
    subject: str = shown("事项")  # the award, the clause, the list
    before: str | None = shown("原结果")
    after: str | None = shown("现结果")
    clause: str = shown("条款")
    before_basis: str | None = shown("原依据", wrap=True)
    after_basis: str | None = shown("现依据", wrap=True)
    inputs: tuple[InputChange, ...] = shown("输入变化", default=())
    pushed_by: tuple[str, ...] = shown("受其影响的单位", default=())
    # A what-if (diff --set): the changed pack parameters, when no input of the unit or its group changed.
    parameters: tuple[str, ...] = shown("规则包参数变化", default=())


@dataclass(frozen=True)
class DiffTotal:
    """A total of both versions, e.g. 奖励资金合计 3870 → 3850 万元."""

    what: str = shown("项目")
    before: Decimal = shown("原值", number="exact")
    after: Decimal = shown("现值", number="exact")
    unit: str = shown("单位")  # 万元, 个, 人次

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class DiffSideHeader:
    """One of the two versions compared: its workbook (name and SHA-256) and the pack it was computed with."""

    source: str
    source_sha256: str
    rules: str


@dataclass(frozen=True)
class DiffResult:
    """What changed between two versions of a year (two workbooks, or one workbook under two packs): the input
    cells that differ, the results that differ with why, and the totals before and after."""

    year: int
    old: DiffSideHeader
    new: DiffSideHeader
    inputs: list[InputChange] = field(default_factory=list)
    changes: list[ResultChange] = field(default_factory=list)
    totals: list[DiffTotal] = field(default_factory=list)
    warnings: list[RunWarning] = field(default_factory=list)
    # A what-if (--set): the parameters the new side changed; its outputs carry the marker (what_if_title).
    what_if: tuple[Setting, ...] = ()
    read: RunInputs | None = None  # what the new side read (pack, history), for the manifest of --out

    @property
    def what_if_title(self) -> str:
        return what_if_title(self.what_if)

    @property
    def changed(self) -> bool:
        """Whether any result changed (input cells that changed nothing do not count)."""
        return bool(self.changes)
