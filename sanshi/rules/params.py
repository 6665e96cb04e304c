"""Rule packs: every number of the policy, each beside the clause it implements.

A pack is a TOML file. Each parameter is a table with `value`, `clause` and an
optional `note`:

    [target.excellent_ratio]
    value = "35%"
    clause = "鼓励激励办法第五条第(一)项"

`PARAMS` below is the strict schema: an unknown key or a value of the wrong type is
a PackError. The `[documents]` section (who issues the year's documents) is not
policy; it is kept as written and checked by sanshi.documents.config.

A pack may name a built-in `base` pack in `[pack]` and override single parameters; everything it does not
mention comes from the base (a parameter it writes without `value` keeps the base's value and, unless it
writes its own, the base's note). Local packs and built-in ones alike: shaanxi-2016 builds on shaanxi-2018,
and a base may have a base, never in a cycle. `[pack] base_citation` restates every citation inherited from
the base that names one of the three 办法 ("{办法}(2016年版,条款编号待核;对应2018年版{条款})"), in clauses,
the 能下 case texts and the clauses left to people.

Rules read values through typed accessors (`pack.ratio(key)`, `pack.count(key)`, `pack.censures(key)`...),
each for one kind of parameter; asking for the wrong kind is a TypeError (a mistake in sanshi, not the pack).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable, Sequence
import re
import reprlib
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any, cast

from sanshi.errors import PackError, SettingError
from sanshi.limits import PACK_LIMIT, read_limited
from sanshi.inputs.schema import (
    ADJUSTMENT_METHODS,
    CADRE_GRADES,
    EXCELLENT,
    INCIDENT_GRADES,
    LEADER_ROLES,
    MONITORING_NAME,
    PARTY_SECRETARY,
    POVERTY_NAME,
    POVERTY_PRESET_GRADES,
    STRONG_TITLES,
    TARGET_GRADES,
    TARGET_NAME,
    TREATMENTS,
    UNIT_LEVELS,
)
from sanshi.rules.cases import case_key
from sanshi.rules.arith import percent

DEFAULT_PACK = "shaanxi-2018"
MAX_NESTING = 8  # tables and arrays in a pack: the deepest parameter (demotion.safety_accidents) nests 5
# The range of every number a pack states, by what it counts (inclusive). Wide enough for any locality's
# policy, narrow enough that no rule runs away: a tier of 2^63-1 places or a run of 2^63-1 years would
# exhaust memory, a ratio of 1e-99999999 would never finish converting.
COUNT_RANGE = (0, 10_000)  # places, ranks, tier sizes: more than any province has units
INCIDENT_RANGE = (1, 10_000)  # incidents in a 能下 threshold
YEARS_RANGE = (1, 20)  # consecutive years a condition must hold
IMPACT_YEARS_RANGE = (0, 20)  # years without promotion after an adjustment
AMOUNT_MAX = Decimal(10**6)  # an amount in 万元 (and bonus.amount_by_grade, in 元 per person)
DECIMAL_PLACES = 6  # of an amount or a ratio as written (35.5%, 12.5 万元)
ROUNDINGS = ("floor", "half_up", "ceil")
TIE_POLICIES = ("error", "include", "exclude")
TARGET_BONUS_GRADES = TARGET_GRADES
POVERTY_GRADES = (EXCELLENT, *POVERTY_PRESET_GRADES)
_CLAUSE_KEY = re.compile(r"^[1-9]\d*(\([1-9]\d*\))?$")  # 8(1) or 9: an article, optionally with its item
# The 责任认定 clauses sanshi implements; a pack maps each 领域 to one of them (6 and 11 take the item
# from the 条款 column).
FINDING_CLAUSES = ("6", "8(4)", "11", "12(1)", "12(2)", "13(1)", "13(2)")
# The 能下 cases sanshi computes, by the key results carry (article and item of the 2018 text); how each is
# cited (a pack's own numbering, or a note that it is not known) is the pack's [demotion.clauses].
DEMOTION_CASES = (
    "6(1)",
    "6(2)",
    "6(3)",
    "6(4)",
    "8(1)",
    "8(2)",
    "8(3)",
    "8(4)",
    "9(1)",
    "9(2)",
    "10(1)",
    "10(2)",
    "10(3)",
    "10(4)",
    "11(1)",
    "11(2)",
    "12(1)",
    "12(2)",
    "13(1)",
    "13(2)",
    "6",
    "8",
    "9",
    "10",
    "11",
    "12",
    "13",
)  # a whole article, as 容错 scopes name it
# The clauses whose text names who acted (and how): a case of 6, 10(2) and 11 counts only when one of the
# pack's conditions is met; for 12(1) the conditions are its censure branch (without them it has none).
CENSURE_CLAUSES = ("6(1)", "6(2)", "6(3)", "6(4)", "10(2)", "11(1)", "11(2)", "12(1)")
NAMEABLE_ROLES = (*LEADER_ROLES, PARTY_SECRETARY)
POVERTY_CASES = ("10(1)", "10(2)", "10(3)", "10(4)")  # the 能下 cases the 脱贫攻坚 sheet states
# 激励 7(3): the assessments a county's combined score can draw on (each as a percentile).
COUNTY_HEAD_COMPONENTS = (TARGET_NAME, MONITORING_NAME, POVERTY_NAME)


@dataclass(frozen=True)
class ParamSpec:
    """What a parameter is: its key, how its value is checked, and a Chinese label."""

    key: str
    kind: str  # ratio | count | amount | choice | text | tiers | grade_amounts | titles | grades | role_map
    #            | method_years | scope_map | roles | texts | area_map | level_groups | thresholds | components
    #            | censure_map | alias_map | levels | clause_keys
    label: str
    choices: tuple[str, ...] = ()
    optional: bool = False  # may be left without a value (e.g. bonus amounts set by each locality)


PARAMS: tuple[ParamSpec, ...] = (
    ParamSpec("target.excellent_ratio", "ratio", "目标责任考核优秀单位比例"),
    ParamSpec("target.rounding", "choice", "优秀单位名额取整方式", ROUNDINGS),
    ParamSpec("target.tie_policy", "choice", "名额线上得分并列时的处理", TIE_POLICIES),
    ParamSpec("target.default_grade", "text", "未评为优秀且无预定等次的单位等次"),
    ParamSpec("poverty.excellent_ratio", "ratio", "脱贫攻坚工作成效考核优秀单位比例"),
    ParamSpec("poverty.rounding", "choice", "优秀单位名额取整方式", ROUNDINGS),
    ParamSpec("poverty.tie_policy", "choice", "名额线上得分并列时的处理", TIE_POLICIES),
    ParamSpec("poverty.default_grade", "text", "未评为优秀且无预定等次的单位等次(空表示不另定等次)"),
    ParamSpec("poverty.amount", "amount", "脱贫攻坚工作成效考核优秀单位奖励(万元)"),
    ParamSpec("poverty.barring_cases", "cases", "脱贫攻坚表中使单位不得评为优秀的能下情形", POVERTY_CASES),
    ParamSpec("cadre_quota.excellent_unit_ratio", "ratio", "优秀单位党政干部年度考核优秀等次比例"),
    ParamSpec("cadre_quota.default_ratio", "ratio", "其他单位党政干部年度考核优秀等次比例"),
    ParamSpec("cadre_quota.rounding", "choice", "干部优秀名额取整方式", ROUNDINGS),
    ParamSpec("county.top_counties", "count", "十强县名额(名次以内)"),
    ParamSpec("county.top_districts", "count", "五强区名额(名次以内)"),
    ParamSpec("county.first_place_amount", "amount", "第一名奖励(万元)"),
    ParamSpec("county.first_entry_amount", "amount", "首次进入十强县/五强区奖励(万元)"),
    ParamSpec("county.base_amount", "amount", "其他十强县/五强区奖励基数(万元)"),
    ParamSpec("county.step_amount", "amount", "较上年每进步或后退1位增减(万元)"),
    ParamSpec("county.amount_floor", "amount", "十强县/五强区奖励下限(万元)"),
    ParamSpec("county.amount_cap", "amount", "十强县/五强区奖励上限(万元;空为不设)", optional=True),
    ParamSpec(
        "county.first_place_scope",
        "choice",
        "第一名奖励的范围:县(市)和城区(all)或只县(市)(counties)",
        ("all", "counties"),
    ),
    ParamSpec(
        "county.barred_vacancy",
        "choice",
        "不得评优(一票否决)单位的名额:空缺(vacant)或由其后一名递补(next)",
        ("vacant", "next"),
    ),
    ParamSpec(
        "county.progress_ties",
        "choice",
        "争先进位奖名额线上进位相同:按本年名次(by_rank)、一并授予(include)或停止(error)",
        ("by_rank", "include", "error"),
    ),
    ParamSpec("county.progress_counties", "count", "县(市)争先进位奖名额"),
    ParamSpec("county.progress_tiers", "tiers", "县(市)争先进位奖等级:名额与奖金(万元)"),
    ParamSpec("county.progress_districts", "count", "城区争先进位奖名额"),
    ParamSpec("county.progress_district_amount", "amount", "城区争先进位奖奖金(万元)"),
    ParamSpec("strong_county.titles", "titles", "评选的强县称号"),
    ParamSpec("strong_county.top_n", "count", "强县名额(单项名次以内)"),
    ParamSpec("strong_county.amount", "amount", "每个强县称号奖励(万元)"),
    ParamSpec("bonus.amount_by_grade", "grade_amounts", "目标责任考核奖金每人金额(元),按单位等次", optional=True),
    ParamSpec("bonus.excellent_cadre_uplift", "ratio", "年度考核优秀干部奖金提高比例"),
    ParamSpec("bonus.grade_factors", "grade_factors", "本人年度考核为基本称职、不称职的干部奖金系数", CADRE_GRADES[2:]),
    ParamSpec("demotion.unit_poor_grades", "grades", "当年即触发能下的单位目标责任考核等次", TARGET_GRADES),
    ParamSpec("demotion.unit_ordinary_grades", "grades", "连续多年即触发能下的单位目标责任考核等次", TARGET_GRADES),
    ParamSpec("demotion.unit_ordinary_years", "years", "单位等次须连续的年数"),
    ParamSpec("demotion.vote_bad_ratio", "ratio", "民主测评基本称职和不称职得票率(以上,含本数)"),
    ParamSpec(
        "demotion.vote_incompetent_ratio", "ratio", "同时要求的不称职得票率(超过,不含本数;空为不要求)", optional=True
    ),
    ParamSpec("demotion.cadre_poor_grades", "grades", "当年即触发能下的干部年度考核等次", CADRE_GRADES),
    ParamSpec("demotion.cadre_basic_grades", "grades", "连续多年即触发能下的干部年度考核等次", CADRE_GRADES),
    ParamSpec("demotion.cadre_basic_years", "years", "干部等次须连续的年数"),
    ParamSpec(
        "demotion.worse_grade_in_run",
        "choice",
        "连续多年的等次中,更差的等次(较差、不称职)是否按连续计算",
        ("continue", "break"),
    ),
    ParamSpec("demotion.decline_counties", "count", "县(市)退位幅度前几名(含并列)"),
    ParamSpec("demotion.decline_districts", "count", "城区退位幅度前几名(含并列)"),
    ParamSpec("demotion.decline_years", "years", "退位幅度须连续的年数"),
    ParamSpec("demotion.four_indicator_counties", "count", "县(市)四项指标综合排位后几名"),
    ParamSpec("demotion.four_indicator_districts", "count", "城区四项指标综合排位后几名"),
    ParamSpec("demotion.four_indicator_years", "years", "四项指标排位须连续的年数"),
    ParamSpec("demotion.poverty_bad_grades", "grades", "触发能下的脱贫攻坚工作成效考核等次", POVERTY_GRADES),
    ParamSpec("demotion.poverty_criticism", "censure_map", "脱贫攻坚批评须由哪些机关作出、是否须问题严重", ("10(2)",)),
    ParamSpec("demotion.finding_areas", "area_map", "责任认定「领域」对应的能下条款"),
    ParamSpec(
        "demotion.finding_censures",
        "censure_map",
        "责任认定须由哪些机关通报批评、是否须问题严重(按条款)",
        ("6(1)", "6(2)", "6(3)", "6(4)", "11(1)", "11(2)"),
    ),
    ParamSpec("demotion.body_aliases", "alias_map", "机关名称的其他写法(「批评机关」「通报」列按规范名称比较)"),
    ParamSpec("demotion.named_people_clauses", "clause_keys", "列入责任认定「姓名」列写明人员的条款"),
    ParamSpec("demotion.unit_levels", "level_groups", "目标责任考核「类别」对应的单位层级(县域监测表的单位为县级)"),
    ParamSpec("demotion.national_bottom", "count", "全国性考核评比综合排名后几位(含本数)"),
    ParamSpec("demotion.national_levels", "levels", "全国性考核评比适用的单位层级", UNIT_LEVELS),
    ParamSpec("demotion.national_bodies", "texts", "开展全国性考核评比的机关(党中央、国务院及国家部委)"),
    ParamSpec("demotion.safety_accidents", "thresholds", "生产安全责任事故:按单位层级,一年内达到的起数和等级"),
    ParamSpec("demotion.safety_censure", "censure_map", "安全生产:哪些机关的何种处理触发能下", ("12(1)",)),
    ParamSpec("demotion.safety_censure_roles", "roles", "受到通报批评或责任追究时列入名单的岗位类别"),
    ParamSpec("demotion.food_drug_incidents", "thresholds", "食品药品安全事故:按单位层级,达到的起数、等级和连续年数"),
    ParamSpec(
        "demotion.mass_incidents", "thresholds", "群体性事件和公共安全事件:按单位层级,达到的起数、等级和连续年数"
    ),
    ParamSpec("demotion.rectification_years", "years", "被确定为社会治安综合治理重点整顿单位须连续的年数"),
    ParamSpec("demotion.roles", "role_map", "单位触发能下时列入名单的岗位类别,按条款"),
    ParamSpec("demotion.clauses", "clause_texts", "各能下情形的条款引用(本规则包所依据文本的条、项)"),
    ParamSpec("promotion.cadre_excellent_years", "years", "干部年度考核优秀须连续的年数(以上,含本年)"),
    ParamSpec("promotion.unit_excellent_years", "years", "单位目标责任考核优秀须连续的年数(含本年)"),
    ParamSpec("promotion.county_heads", "count", "优秀县(市、区)党政正职人数"),
    ParamSpec(
        "promotion.county_head_components",
        "components",
        "综合评定优秀县(市、区)党政正职所结合的考核",
        COUNTY_HEAD_COMPONENTS,
    ),
    ParamSpec(
        "promotion.county_head_missing",
        "choice",
        "缺少某项考核结果的县(市、区):按其余各项平均或不参加评定",
        ("available", "exclude"),
    ),
    ParamSpec("promotion.county_head_tiebreak", "choice", "综合分相同时优先比较的考核", COUNTY_HEAD_COMPONENTS),
    ParamSpec("promotion.county_head_roles", "roles", "县(市、区)党政正职的岗位类别"),
    ParamSpec("impact.years_by_method", "method_years", "能下调整后不得提拔的年数,按调整方式"),
    ParamSpec("tolerance.scopes", "scope_map", "容错认定「范围」对应的能下条款"),
    ParamSpec("uncomputed.clauses", "manual_clauses", "需要人工判断、本工具不计算的条款"),
    ParamSpec(
        "tolerance.bonus_grade", "choice", "容错免责单位的目标责任考核奖金按此等次核发(不因等次减少)", TARGET_GRADES
    ),
)
PARAMS_BY_KEY = {spec.key: spec for spec in PARAMS}  # with the parameters clause modules register


def register_params(*specs: ParamSpec) -> None:
    """Parameters a clause module declares beside its rule (sanshi/rules/clauses/): every pack then reads and
    checks them like those above, and a built-in pack must state them."""
    for spec in specs:
        known = PARAMS_BY_KEY.get(spec.key)
        if known is not None and known != spec:
            raise ValueError(f"参数 {spec.key} 已有不同的声明")
        if spec.kind not in _CHECKERS:
            raise ValueError(f"参数 {spec.key} 的类型 {spec.kind} 没有检查函数")
        PARAMS_BY_KEY[spec.key] = spec


# The kinds whose checker returns a tuple of names, and those returning a tuple of names under each key.
_NAME_KINDS = ("titles", "grades", "roles", "texts", "levels", "clause_keys", "components", "cases")
_NAMES_BY_KINDS = ("role_map", "scope_map", "level_groups", "alias_map")
PACK_KEYS = {
    "name",
    "title",
    "issued_by",
    "issued_on",
    "effective_from",
    "source",
    "caveats",
    "base",
    "base_citation",
    "description",
    "full_titles",
}
PARAM_KEYS = {"value", "clause", "note"}
# `[pack] base_citation`: how a pack cites what its base cites as 办法 + 条款 (e.g. 2016 text whose numbering is
# not known, cited by the 2018 article it corresponds to). The 办法 are the three of the 三项机制.
CITATION_SLOTS = ("{办法}", "{条款}")
_MEASURE_CITATION = re.compile(r"^(?P<measure>鼓励激励办法|容错纠错办法|能上能下办法)(?P<articles>第.+)$")


@dataclass(frozen=True)
class Tier:
    name: str
    size: int
    amount: Decimal


@dataclass(frozen=True)
class ManualClause:
    """A clause that needs human judgement: sanshi does not compute it, and says so wherever results are read."""

    clause: str
    what: str  # what the clause decides
    why: str  # why it is left to people (and what sanshi reads of its outcome, if anything)


@dataclass(frozen=True)
class Threshold:
    """能下 12-13: at least `count` events of `grade` or worse in each of `years` consecutive years."""

    grade: str
    count: int
    years: int = 1


@dataclass(frozen=True)
class Censure:
    """能下: a criticism counts when one of `bodies` made it, by `treatment` (None: any criticism), and, when
    `serious`, the problem was found 严重 (问题严重 = 是)."""

    bodies: tuple[str, ...]
    treatment: str | None = None
    serious: bool = False

    @property
    def text(self) -> str:
        """党中央、国务院批评 / 省委、省政府通报批评且问题严重."""
        return f"{'、'.join(self.bodies)}{self.treatment or '批评'}" + ("且问题严重" if self.serious else "")


@dataclass(frozen=True)
class Param:
    """A parameter's value with the clause it implements and which pack set it."""

    key: str
    label: str
    value: Any
    clause: str
    note: str = ""
    source: str = ""  # pack name that set the value

    @property
    def is_set(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Setting:
    """One parameter a what-if run changed (`--set key=value`): its key and label, and its value as people read
    it (format_value) in the pack as shipped and as set."""

    key: str
    label: str
    shipped: str
    value: str


@dataclass(frozen=True)
class RulePack:
    name: str
    title: str
    issued_by: str
    issued_on: date | None
    effective_from: date | None
    source: str
    caveats: tuple[str, ...]
    params: dict[str, Param] = field(repr=False)
    # The full title of each 办法 by the short name its clauses use (鼓励激励办法 -> 陕西省党政干部鼓励激励办法(试行)):
    # an official document names it in full, in 书名号, the first time.
    full_titles: dict[str, str] = field(default_factory=dict, repr=False)
    base: str | None = None  # the built-in pack a local pack builds on
    origin: str = ""  # file path or "内置"
    # The raw [documents] section (发文机关, 代字, 文号, 成文日期...): not policy, so not a parameter;
    # sanshi.documents.config checks it. A local pack's section replaces its base's.
    documents: dict[str, Any] = field(default_factory=dict, repr=False)
    where: str = ""  # the pack file's name, for messages
    # What the pack was read from, as read (the run's manifest records it): the SHA-256 of its canonical content
    # (a local file's bytes followed by its base's TOML) and each file's (name, path or None if built in, SHA-256).
    sha256: str = ""
    files: tuple[tuple[str, str | None, str], ...] = ()
    # The parameters a what-if run (--set) changed from the pack as read, in the order given: a pack with any is
    # never the pack as shipped, and every output of its run says so (sanshi.results.what_if_title).
    what_if: tuple[Setting, ...] = ()

    def __getitem__(self, key: str) -> Param:
        return self.params[key]

    def clause(self, key: str) -> str:
        """The clause a parameter implements, as the pack cites it."""
        return self.params[key].clause

    def cite(self, article: int, item: int | None = None) -> str:
        """How this pack cites a 能下 case, e.g. 能上能下办法第十条第(二)项, or a whole article (第九条); never built
        from the numbers in code."""
        return self.text_map("demotion.clauses")[case_key(article, item)]

    # Typed values, one accessor per kind of parameter (what its checker returns). Each asks for the kind the
    # caller expects: a key of another kind is a mistake in sanshi, not in the pack, and raises TypeError.

    def ratio(self, key: str) -> Fraction:
        return cast(Fraction, self._typed(key, ("ratio",)))

    def optional_ratio(self, key: str) -> Fraction | None:
        return cast(Fraction | None, self._typed(key, ("ratio",), optional=True))

    def count(self, key: str) -> int:
        """A number of places or ranks."""
        return cast(int, self._typed(key, ("count",)))

    def years(self, key: str) -> int:
        """A number of consecutive years."""
        return cast(int, self._typed(key, ("years",)))

    def amount(self, key: str) -> Decimal:
        return cast(Decimal, self._typed(key, ("amount",)))

    def optional_amount(self, key: str) -> Decimal | None:
        return cast(Decimal | None, self._typed(key, ("amount",), optional=True))

    def choice(self, key: str) -> str:
        return cast(str, self._typed(key, ("choice",)))

    def text(self, key: str) -> str:
        return cast(str, self._typed(key, ("text",)))

    def names(self, key: str) -> tuple[str, ...]:
        """A list of names: grades, roles, titles, levels, bodies, assessments, clause keys or 能下 cases."""
        return cast(tuple[str, ...], self._typed(key, _NAME_KINDS))

    def names_by(self, key: str) -> dict[str, tuple[str, ...]]:
        """Names under each key: roles by clause, clause keys by scope, unit groups by level, spellings by body."""
        return cast(dict[str, tuple[str, ...]], self._typed(key, _NAMES_BY_KINDS))

    def text_map(self, key: str) -> dict[str, str]:
        """One text under each key: the clause key of each 领域, the citation of each 能下 case."""
        return cast(dict[str, str], self._typed(key, ("area_map", "clause_texts")))

    def tiers(self, key: str) -> tuple[Tier, ...]:
        return cast(tuple[Tier, ...], self._typed(key, ("tiers",)))

    def grade_amounts(self, key: str) -> dict[str, Decimal] | None:
        return cast(dict[str, Decimal] | None, self._typed(key, ("grade_amounts",), optional=True))

    def grade_factors(self, key: str) -> dict[str, Fraction]:
        return cast(dict[str, Fraction], self._typed(key, ("grade_factors",)))

    def method_years(self, key: str) -> dict[str, int]:
        return cast(dict[str, int], self._typed(key, ("method_years",)))

    def thresholds(self, key: str) -> dict[str, tuple[Threshold, ...]]:
        return cast(dict[str, tuple[Threshold, ...]], self._typed(key, ("thresholds",)))

    def censures(self, key: str) -> dict[str, tuple[Censure, ...]]:
        return cast(dict[str, tuple[Censure, ...]], self._typed(key, ("censure_map",)))

    def manual_clauses(self, key: str) -> tuple[ManualClause, ...]:
        return cast(tuple[ManualClause, ...], self._typed(key, ("manual_clauses",)))

    def _typed(self, key: str, kinds: tuple[str, ...], optional: bool = False) -> Any:
        spec = PARAMS_BY_KEY[key]
        if spec.kind not in kinds or spec.optional != optional:
            wanted = f"{'optional ' if optional else ''}{' or '.join(kinds)}"
            raise TypeError(f"{key} is {'an optional ' if spec.optional else 'a '}{spec.kind} parameter, not {wanted}")
        return self.params[key].value

    @property
    def label(self) -> str:
        """How a run names its pack: `shaanxi-2018` or `示例市-2023(基于 shaanxi-2018)`."""
        return f"{self.name}(基于 {self.base})" if self.base else self.name


def builtin_pack_bytes(name: str) -> bytes:
    """The TOML of a built-in pack as shipped in the package (what the run manifest hashes)."""
    return (resources.files("sanshi.rules") / "packs" / f"{name}.toml").read_bytes()


def builtin_names() -> list[str]:
    folder = resources.files("sanshi.rules") / "packs"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def pack_for_year(year: int) -> str:
    """The built-in pack in force for an assessment year: the newest effective by 31 December."""
    chosen, chosen_from = None, None
    for name in builtin_names():
        pack = load_pack(name)
        if pack.effective_from and pack.effective_from <= date(year, 12, 31):
            if chosen_from is None or pack.effective_from > chosen_from:
                chosen, chosen_from = name, pack.effective_from
    if chosen is None:
        earliest = min((load_pack(name) for name in builtin_names()), key=lambda pack: pack.effective_from or date.max)
        raise PackError(
            f"考核年度 {year} 早于内置规则包最早的施行日期({earliest.name},{earliest.effective_from}"
            f"施行),没有可依据的规则:如确需计算,请用 --rules 指定规则包(如 --rules {earliest.name})"
        )
    return chosen


def load_pack(spec: str | Path | None = None, year: int | None = None) -> RulePack:
    """Load a built-in pack by name or a local pack file (either may build on a built-in base pack)."""
    from sanshi.rules.registry import discover  # the declared clauses' tables are part of every pack

    discover()
    if spec is None:
        spec = pack_for_year(year) if year is not None else DEFAULT_PACK
    text_spec = str(spec)
    if text_spec in builtin_names():
        return _load_builtin(text_spec, ())
    known = "、".join(builtin_names())
    if not text_spec.strip():
        raise PackError(f"规则包为空:请给出内置规则包的名称({known})或本地规则包文件的路径")
    path = Path(text_spec)
    if not path.exists():
        raise PackError(f"找不到规则包「{text_spec}」:既不是内置规则包({known}),也不是存在的文件")
    raw = read_limited(path, PACK_LIMIT, "规则包", PackError)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PackError(f"{path.name}: 规则包须为 UTF-8 编码的 TOML 文件") from None
    data = _parse(text, path.name)
    base = _load_base(data, path.name, ())
    pack = _build(data, path.name, str(path), base)
    return _with_files(pack, raw, str(path.resolve()), base)


def _load_builtin(name: str, chain: tuple[str, ...]) -> RulePack:
    """A built-in pack, built on its own base if it names one. Its `base` stays None: how a shipped edition is
    written (2016 as what differs from 2018) is not what a run names (`shaanxi-2016`, not a local pack), but
    its files and hash cover every file read."""
    where = f"{name}.toml"
    content = builtin_pack_bytes(name)
    data = _parse(content.decode("utf-8"), where)
    base = _load_base(data, where, (*chain, name))
    pack = replace(_build(data, where, f"内置 {name}", base), base=None)
    return _with_files(pack, content, None, base)


def _load_base(data: dict[str, Any], where: str, chain: tuple[str, ...]) -> RulePack | None:
    """The built-in pack that `[pack] base` names, or None; a base may itself have a base, but never one of the
    packs on its way (`chain`: the built-in packs being loaded, outermost first)."""
    meta = data.get("pack")
    base_name = meta.get("base") if isinstance(meta, dict) else None
    if base_name is None:
        return None
    if not isinstance(base_name, str) or base_name not in builtin_names():
        raise PackError(f"{where} › [pack] base: 「{base_name}」不是内置规则包({'、'.join(builtin_names())})")
    if base_name in chain:
        loop = " → ".join((*chain, base_name))
        raise PackError(f"{where} › [pack] base: 规则包循环基于自身({loop}),请改为基于其他内置规则包")
    return _load_builtin(base_name, chain)


def _with_files(pack: RulePack, content: bytes, path: str | None, base: RulePack | None) -> RulePack:
    """Records what the pack was read from: its own file, then every file of its base chain; the hash covers
    their bytes in that order (a local pack: its file, then its base's packaged TOML, then that base's...)."""
    below = base.files if base is not None else ()
    chained = content + b"".join(builtin_pack_bytes(name) for name, _, _ in below)
    return replace(pack, sha256=_sha256(chained), files=((pack.name, path, _sha256(content)), *below))


def _parse(text: str, where: str) -> dict[str, Any]:
    try:
        # Decimals, not floats: 0.35 in a pack must mean exactly 35/100.
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{where}: TOML 格式错误:{exc}") from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise PackError(f"{where}: 数组或表嵌套过深(不超过 {MAX_NESTING} 层)") from None
    deepest = _nesting(data)
    if deepest is not None:
        raise PackError(f"{where} › {deepest}: 数组或表嵌套过深(不超过 {MAX_NESTING} 层)")
    return data


def _nesting(data: dict[str, Any]) -> str | None:
    """The first key (dotted) under which tables and arrays nest deeper than MAX_NESTING, or None. Iterative:
    a deep value must not exhaust the stack of the check meant to refuse it."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_NESTING:
            return where or "(顶层)"
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            if isinstance(item, (dict, list)):
                stack.append(
                    (item, f"{where}.{key}" if where and isinstance(key, str) else where or str(key), depth + 1)
                )
    return None


_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother, _SHOWN.maxlist, _SHOWN.maxdict = 3, 60, 60, 8, 8


def _shown(value: Any) -> str:
    """A value as a message quotes it: short, however long or deep it is."""
    return _SHOWN.repr(value)


def _build(data: dict[str, Any], where: str, origin: str, base: RulePack | None) -> RulePack:
    errors: list[str] = []
    meta = data.get("pack")
    if "pack" in data and not isinstance(meta, dict):
        raise PackError(f"{where} › pack: 应为 [pack] 表(含 name 等项),实际为 {_shown(meta)}")
    if not isinstance(meta, dict) or "name" not in meta:
        raise PackError(f"{where}: 缺少 [pack] 部分或其中的 name")
    if "documents" in data and not isinstance(data["documents"], dict):
        errors.append(f"{where} › documents: 应为 [documents] 表(发文设置),实际为 {_shown(data['documents'])}")
    for key in meta:
        if key not in PACK_KEYS:
            errors.append(f"{where} › [pack] {key}: 未知项{_suggest(key, PACK_KEYS)}")
    meta = _checked_meta(meta, where, errors)
    if "name" not in meta:
        raise PackError(*errors)
    titles = meta.get("full_titles", {})
    if not isinstance(titles, dict) or not all(
        isinstance(short, str) and isinstance(full, str) and short.strip() and full.strip()
        for short, full in titles.items()
    ):
        errors.append(
            f'{where} › [pack] full_titles: 应为 简称 = "全称" 的表,如 full_titles = {{ "鼓励激励办法" = '
            f'"陕西省党政干部鼓励激励办法(试行)" }}'
        )
        meta = {k: v for k, v in meta.items() if k != "full_titles"}
    name = str(meta["name"])
    params = _inherited(meta, base, name, where, errors)
    seen: set[str] = set()
    for section, body in data.items():
        if section in ("pack", "documents"):
            continue
        if not isinstance(body, dict):
            errors.append(f"{where} › {section}: 应为参数表 [{section}.参数名]")
            continue
        for key, entry in body.items():
            full = f"{section}.{key}"
            spec = PARAMS_BY_KEY.get(full)
            if spec is None:
                errors.append(f"{where} › [{full}]: 未知参数{_suggest(full, PARAMS_BY_KEY)}")
                continue
            if not isinstance(entry, dict):
                errors.append(f"{where} › [{full}]: 应写成表,含 value、clause(例如 [{full}] 下一行 value = ...)")
                continue
            seen.add(full)
            param = _param(spec, entry, params.get(full), name, f"{where} › [{full}]", errors)
            if param is not None:
                params[full] = param
    if base is None:
        for spec in PARAMS_BY_KEY.values():
            if spec.key not in seen:
                errors.append(f"{where}: 缺少参数 [{spec.key}]({spec.label})")
    if errors:
        raise PackError(*errors)
    documents = data.get("documents")
    return _pack(meta, base, params, origin, where, documents if isinstance(documents, dict) else None)


# What each [pack] item is (full_titles, base and base_citation are checked where they are used).
_META_TEXTS = ("name", "title", "issued_by", "source", "description")
_META_DATES = ("issued_on", "effective_from")


def _checked_meta(meta: dict[str, Any], where: str, errors: list[str]) -> dict[str, Any]:
    """The [pack] items without those of the wrong type, each of which is an error: a pack's name, title and
    source are one line of text, its dates are dates, its caveats a list of texts."""
    kept = dict(meta)
    for key in _META_TEXTS:
        if key in meta and (not isinstance(meta[key], str) or not meta[key].strip() or _line_break(meta[key])):
            errors.append(f"{where} › [pack] {key}: 应为一行非空文字,实际为 {_shown(meta[key])}")
            del kept[key]
    for key in _META_DATES:
        if key in meta and (not isinstance(meta[key], date) or isinstance(meta[key], datetime)):
            errors.append(f"{where} › [pack] {key}: 应为不加引号的日期(如 2018-10-26),实际为 {_shown(meta[key])}")
            del kept[key]
    caveats = meta.get("caveats", [])
    if not isinstance(caveats, list) or any(not isinstance(c, str) or not c.strip() for c in caveats):
        errors.append(f'{where} › [pack] caveats: 应为文字列表,如 caveats = ["……"],实际为 {_shown(caveats)}')
        kept.pop("caveats", None)
    return kept


def _line_break(text: str) -> bool:
    """True when a text would not stay on one line (any character str.splitlines breaks at, or a control)."""
    return len(text.splitlines()) > 1 or any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)


def _pack(
    meta: dict[str, Any],
    base: RulePack | None,
    params: dict[str, Param],
    origin: str,
    where: str,
    documents: dict[str, Any] | None,
) -> RulePack:
    """The pack's own description, each item it leaves out taken from its base."""
    name = str(meta["name"])
    return RulePack(
        name=name,
        title=str(meta.get("title", base.title if base else name)),
        issued_by=str(meta.get("issued_by", base.issued_by if base else "")),
        issued_on=meta.get("issued_on", base.issued_on if base else None),
        effective_from=meta.get("effective_from", base.effective_from if base else None),
        source=str(meta.get("source", base.source if base else "")),
        caveats=tuple(meta.get("caveats", ())) + (base.caveats if base else ()),
        params=params,
        full_titles={**(base.full_titles if base else {}), **meta.get("full_titles", {})},
        base=base.name if base else None,
        origin=origin,
        documents=documents if documents is not None else (base.documents if base else {}),
        where=where,
    )


def _param(
    spec: ParamSpec, entry: dict[str, Any], previous: Param | None, pack: str, where: str, errors: list[str]
) -> Param | None:
    """One parameter as the pack writes it, or None (with the errors said). An entry without `value` restates
    the base's value under its own clause or note; the note it leaves out is the base's."""
    unknown = set(entry) - PARAM_KEYS
    if unknown:
        errors.append(f"{where}: 未知项 {'、'.join(sorted(unknown))}(只允许 value、clause、note)")
    clause = entry.get("clause", previous.clause if previous else None)
    if not clause or not isinstance(clause, str):
        errors.append(f"{where}: 缺少 clause(参数所依据的条款)")
        return None
    if "note" in entry and not isinstance(entry["note"], str):
        errors.append(f"{where} note: 应为文字,实际为 {_shown(entry['note'])}")
        return None
    if "value" not in entry and previous is not None:
        return Param(spec.key, spec.label, previous.value, clause, str(entry.get("note", previous.note)), pack)
    try:
        value = _check_value(spec, entry["value"]) if "value" in entry else None
    except ValueError as exc:
        errors.append(f"{where} value: {exc}")
        return None
    if value is None and not spec.optional:
        errors.append(f"{where}: 缺少 value")
        return None
    if spec.kind == "manual_clauses" and previous is not None and value is not None:
        value, clause = _add_manual_clauses(previous, value, clause)
    return Param(spec.key, spec.label, value, clause, str(entry.get("note", "")), pack)


def _inherited(
    meta: dict[str, Any], base: RulePack | None, pack: str, where: str, errors: list[str]
) -> dict[str, Param]:
    """The base's parameters, each citation restated as `[pack] base_citation` says (see _recite); a parameter
    whose citation the pack restates is the pack's own."""
    template = meta.get("base_citation")
    if template is None or base is None:
        if template is not None:
            errors.append(
                f"{where} › [pack] base_citation: 只有基于其他规则包(写有 base)的规则包才能改写所继承的条款引用"
            )
        return dict(base.params) if base else {}
    if not isinstance(template, str) or any(slot not in template for slot in CITATION_SLOTS):
        errors.append(
            f"{where} › [pack] base_citation: 应为含 {'、'.join(CITATION_SLOTS)} 的文字,"
            '例如 "{办法}(2016年版,条款编号待核;对应2018年版{条款})"'
        )
        return dict(base.params)
    return {key: _recited(param, template, pack) for key, param in base.params.items()}


def _recited(param: Param, template: str, pack: str) -> Param:
    """A base parameter with every citation it carries restated: its clause, and the citations in its value
    (the 能下 cases' clause texts, the clauses left to human judgement)."""
    value = param.value
    kind = PARAMS_BY_KEY[param.key].kind
    if kind == "clause_texts":
        value = {key: _recite(text, template) for key, text in value.items()}
    elif kind == "manual_clauses":
        value = tuple(replace(m, clause=_recite(m.clause, template)) for m in value)
    recited = replace(param, value=value, clause=_recite(param.clause, template))
    return replace(recited, source=pack) if recited != param else param


def _recite(citation: str, template: str) -> str:
    """Each part (split at ;) of a citation that names one of the 三项机制 办法 and its articles, as the template
    says: 鼓励激励办法第五条第(三)项;能上能下办法第十条 with "{办法}(2016年版;对应2018年版{条款})" becomes
    鼓励激励办法(2016年版;对应2018年版第五条第(三)项);能上能下办法(2016年版;对应2018年版第十条). Other parts (another
    document, such as the 县域经济社会发展监测考评办法) stay as written."""
    parts = []
    for part in citation.split(";"):
        cited = _MEASURE_CITATION.match(part)
        if cited:
            part = template.replace("{办法}", cited["measure"]).replace("{条款}", cited["articles"])
        parts.append(part)
    return ";".join(parts)


def _add_manual_clauses(base: Param, local: tuple[ManualClause, ...], clause: str) -> tuple[Any, str]:
    """A local pack's uncomputed clauses are added to its base's, never put in their place: what the base
    leaves to human judgement (能上能下办法第七条...) stays so whatever a locality writes. A local entry for a
    clause the base lists rewords that entry."""
    own = {m.clause: m for m in local}
    merged = tuple(own.pop(m.clause, m) for m in base.value) + tuple(own.values())
    return merged, base.clause if clause == base.clause else f"{base.clause};{clause}"


def _suggest(key: str, known: Any) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f"(是否想写 {close[0]}?)" if close else ""


def _check_value(spec: ParamSpec, raw: Any) -> Any:
    """A raw TOML value checked and converted by its parameter's kind (one checker per kind, below)."""
    return _CHECKERS[spec.kind](spec, raw)


_CHECKERS: dict[str, Callable[[ParamSpec, Any], Any]] = {}


def _kind(name: str) -> Callable[[Callable[[ParamSpec, Any], Any]], Callable[[ParamSpec, Any], Any]]:
    """Registers the checker of one kind of parameter value."""

    def register(check: Callable[[ParamSpec, Any], Any]) -> Callable[[ParamSpec, Any], Any]:
        _CHECKERS[name] = check
        return check

    return register


@_kind("ratio")
def _check_ratio(spec: ParamSpec, raw: Any) -> Any:
    return parse_ratio(raw)


@_kind("count")
def _check_count(spec: ParamSpec, raw: Any) -> Any:
    return _integer(raw, COUNT_RANGE, "名额或名次")


def _integer(raw: Any, bounds: tuple[int, int], what: str) -> int:
    """A whole number within `bounds` (inclusive)."""
    low, high = bounds
    if isinstance(raw, bool) or not isinstance(raw, int):
        kind = "非负整数" if low == 0 else f"至少 {low} 的整数"
        raise ValueError(f"应为{kind}({what},{low} 至 {high}),实际为 {_shown(raw)}")
    if not low <= raw <= high:
        raise ValueError(f"{what}应在 {low} 至 {high} 之间,实际为 {_shown(raw)}")
    return raw


@_kind("amount")
def _check_amount(spec: ParamSpec, raw: Any) -> Any:
    return _amount(raw)


@_kind("choice")
def _check_choice(spec: ParamSpec, raw: Any) -> Any:
    if raw not in spec.choices:
        raise ValueError(f"应为 {'、'.join(spec.choices)} 之一,实际为 {_shown(raw)}")
    return raw


@_kind("text")
def _check_text(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, str):
        raise ValueError(f"应为文字,实际为 {_shown(raw)}")
    return raw


@_kind("tiers")
def _check_tiers(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, list) or not raw:
        raise ValueError('应为等级列表,例如 [{name = "一等奖", size = 3, amount = 80}, ...]')
    tiers = []
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"name", "size", "amount"}:
            raise ValueError(f"每个等级须恰有 name、size、amount 三项,实际为 {_shown(item)}")
        if not isinstance(item["name"], str) or not item["name"].strip():
            raise ValueError(f"等级的 name 应为文字,实际为 {_shown(item['name'])}")
        try:
            size = _integer(item["size"], COUNT_RANGE, "名额")
            amount = _amount(item["amount"])
        except ValueError as exc:
            raise ValueError(f"等级「{item['name']}」的 size 或 amount:{exc}") from None
        tiers.append(Tier(item["name"], size, amount))
    return tuple(tiers)


@_kind("grade_amounts")
def _check_grade_amounts(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, dict):
        raise ValueError('应为按等次的金额表,例如 { "优秀" = 12000, "良好" = 10000, "一般" = 8000 }(中文键名须加引号)')
    unknown = set(raw) - set(TARGET_BONUS_GRADES)
    if unknown:
        raise ValueError(f"未知等次 {'、'.join(sorted(unknown))}(可用 {'、'.join(TARGET_BONUS_GRADES)})")
    return {grade: _amount(amount) for grade, amount in raw.items()}


@_kind("years")
def _check_years(spec: ParamSpec, raw: Any) -> Any:
    return _integer(raw, YEARS_RANGE, "年数")


@_kind("grades")
def _check_grades(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, list) or any(g not in spec.choices for g in raw):
        raise ValueError(f"应为等次列表,可选 {'、'.join(spec.choices)},实际为 {_shown(raw)}")
    return tuple(raw)


@_kind("role_map")
def _check_role_map(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, dict):
        raise ValueError('应为按条款的岗位类别表,例如 { "8(1)" = ["主要负责人"] }(键须加引号)')
    for key, roles in raw.items():
        if not _CLAUSE_KEY.match(key):
            raise ValueError(f"条款「{key}」应写成 8(1) 或 9 的形式")
        if not isinstance(roles, list) or any(r not in NAMEABLE_ROLES for r in roles):
            raise ValueError(
                f"条款 {key} 的岗位类别应为 {'、'.join(NAMEABLE_ROLES)} 中的零个或几个"
                f"(空表只列责任认定写明的人员),实际为 {_shown(roles)}"
            )
    return {key: tuple(roles) for key, roles in raw.items()}


@_kind("roles")
def _check_roles(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, list) or not raw or any(r not in NAMEABLE_ROLES for r in raw):
        raise ValueError(f"应为岗位类别列表,可选 {'、'.join(NAMEABLE_ROLES)},实际为 {_shown(raw)}")
    return tuple(raw)


@_kind("components")
def _check_components(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, list) or not raw or any(c not in spec.choices for c in raw) or len(set(raw)) < len(raw):
        raise ValueError(f"应为不重复的考核列表,可选 {'、'.join(spec.choices)},实际为 {_shown(raw)}")
    return tuple(raw)


@_kind("texts")
def _check_texts(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, list) or not raw or any(not isinstance(t, str) or not t.strip() for t in raw):
        raise ValueError(f"应为文字列表,实际为 {_shown(raw)}")
    return tuple(t.strip() for t in raw)


@_kind("area_map")
def _check_area_map(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, dict) or not raw:
        raise ValueError('应为按领域的条款表,例如 { "安全生产" = "12(1)" }(键须加引号)')
    for area, key in raw.items():
        if key not in FINDING_CLAUSES:
            raise ValueError(f"领域「{area}」的条款应为 {'、'.join(FINDING_CLAUSES)} 之一,实际为 {_shown(key)}")
    return dict(raw)


@_kind("level_groups")
def _check_level_groups(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, dict) or any(level not in UNIT_LEVELS for level in raw):
        raise ValueError(f'应为按层级的类别表,层级可选 {"、".join(UNIT_LEVELS)},例如 {{ "市" = ["设区市"] }}')
    for level, groups in raw.items():
        if not isinstance(groups, list) or any(not isinstance(g, str) for g in groups):
            raise ValueError(f"层级 {level} 对应的类别应为文字列表,实际为 {_shown(groups)}")
    return {level: tuple(groups) for level, groups in raw.items()}


@_kind("thresholds")
def _check_thresholds(spec: ParamSpec, raw: Any) -> Any:
    return _thresholds(raw)


@_kind("censure_map")
def _check_censure_map(spec: ParamSpec, raw: Any) -> Any:
    return _censure_map(raw, spec.choices)


@_kind("alias_map")
def _check_alias_map(spec: ParamSpec, raw: Any) -> Any:
    return _alias_map(raw)


@_kind("levels")
def _check_levels(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, list) or not raw or any(level not in spec.choices for level in raw):
        raise ValueError(f"应为单位层级列表,可选 {'、'.join(spec.choices)},实际为 {_shown(raw)}")
    return tuple(raw)


@_kind("clause_keys")
def _check_clause_keys(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, list) or any(not isinstance(k, str) or not _CLAUSE_KEY.match(k) for k in raw):
        raise ValueError(f"应为条款列表,每项写成 6 或 8(1) 的形式,实际为 {_shown(raw)}")
    return tuple(raw)


@_kind("method_years")
def _check_method_years(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, dict) or set(raw) != set(ADJUSTMENT_METHODS):
        raise ValueError(f"应为每种调整方式的年数表,须恰有 {'、'.join(ADJUSTMENT_METHODS)}")
    for method, years in raw.items():
        try:
            _integer(years, IMPACT_YEARS_RANGE, "年数")
        except ValueError as exc:
            raise ValueError(f"调整方式 {method} 的年数{exc}") from None
    return dict(raw)


@_kind("manual_clauses")
def _check_manual_clauses(spec: ParamSpec, raw: Any) -> Any:
    keys = {"clause", "what", "why"}
    if not isinstance(raw, list) or any(
        not isinstance(e, dict) or set(e) != keys or any(not isinstance(v, str) or not v.strip() for v in e.values())
        for e in raw
    ):
        raise ValueError(
            "应为条款列表,每项写明 clause(条款)、what(规定的事项)、why(为何需人工判断),"
            '例如 { clause = "能上能下办法第七条", what = "……", why = "……" }'
        )
    return tuple(ManualClause(e["clause"].strip(), e["what"].strip(), e["why"].strip()) for e in raw)


@_kind("grade_factors")
def _check_grade_factors(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, dict) or set(raw) != set(spec.choices):
        raise ValueError(f'应为每个等次的系数表,须恰有 {"、".join(spec.choices)},例如 {{ "基本称职" = "100%" }}')
    factors = {grade: parse_ratio(value) for grade, value in raw.items()}
    for grade, factor in factors.items():
        if not _finite_decimal(factor):
            raise ValueError(
                f'{grade} 的系数 {_shown(raw[grade])} 不是有限小数,奖金(元)无法精确计算:请写成百分比,如 "50%"、"87.5%"'
            )
    return factors


@_kind("cases")
def _check_cases(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, list) or any(k not in spec.choices for k in raw) or len(set(raw)) < len(raw):
        raise ValueError(f"应为不重复的情形列表,可选 {'、'.join(spec.choices)},实际为 {_shown(raw)}")
    return tuple(raw)


@_kind("clause_texts")
def _check_clause_texts(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, dict) or set(raw) != set(DEMOTION_CASES):
        missing = "、".join(k for k in DEMOTION_CASES if k not in (raw if isinstance(raw, dict) else {}))
        extra = "、".join(k for k in (raw if isinstance(raw, dict) else {}) if k not in DEMOTION_CASES)
        raise ValueError(
            f"应为每个能下情形(及整条)的条款引用表,须恰有 {'、'.join(DEMOTION_CASES)}"
            + (f";缺少 {missing}" if missing else "")
            + (f";多出 {extra}" if extra else "")
        )
    if any(not isinstance(text, str) or not text.strip() for text in raw.values()):
        raise ValueError("每个情形的条款引用应为文字")
    return {key: text.strip() for key, text in raw.items()}


@_kind("scope_map")
def _check_scope_map(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, dict) or not raw:
        raise ValueError('应为按范围的条款表,例如 { "目标责任考核" = ["8(1)"] }(键须加引号)')
    for scope, keys in raw.items():
        if not isinstance(keys, list) or not keys or any(not _CLAUSE_KEY.match(str(k)) for k in keys):
            raise ValueError(f"范围「{scope}」对应的条款应写成 8(1) 或 9 的列表,实际为 {_shown(keys)}")
    return {scope: tuple(keys) for scope, keys in raw.items()}


@_kind("titles")
def _check_titles(spec: ParamSpec, raw: Any) -> Any:
    if not isinstance(raw, list) or any(t not in STRONG_TITLES for t in raw):
        raise ValueError(f"应为称号列表,可选 {'、'.join(STRONG_TITLES)}")
    return tuple(raw)


def _thresholds(raw: Any) -> dict[str, tuple[Threshold, ...]]:
    example = '例如 { "县" = [{ grade = "重大", count = 1 }, { grade = "较大", count = 2 }] }'
    if not isinstance(raw, dict) or not raw or any(level not in UNIT_LEVELS for level in raw):
        raise ValueError(f"应为按层级({'、'.join(UNIT_LEVELS)})的起数表,{example}")
    result = {}
    for level, items in raw.items():
        if not isinstance(items, list) or not items:
            raise ValueError(f"层级 {level} 应为起数条件列表,{example}")
        conditions = []
        for item in items:
            if not isinstance(item, dict) or not {"grade", "count"} <= set(item) <= {"grade", "count", "years"}:
                raise ValueError(f"层级 {level} 的每个条件须有 grade、count(可选 years),实际为 {_shown(item)}")
            if item["grade"] not in INCIDENT_GRADES:
                raise ValueError(
                    f"层级 {level} 的 grade 应为 {'、'.join(INCIDENT_GRADES)} 之一,实际为 {_shown(item['grade'])}"
                )
            for name, bounds in (("count", INCIDENT_RANGE), ("years", YEARS_RANGE)):
                try:
                    _integer(item.get(name, 1), bounds, "起数" if name == "count" else "年数")
                except ValueError as exc:
                    raise ValueError(f"层级 {level} 的 {name} {exc}") from None
            conditions.append(Threshold(item["grade"], item["count"], item.get("years", 1)))
        result[level] = tuple(conditions)
    return result


def _censure_map(raw: Any, clauses: tuple[str, ...]) -> dict[str, tuple[Censure, ...]]:
    example = (
        '例如 { "10(2)" = [{ bodies = ["党中央", "国务院"] }, '
        '{ bodies = ["省委", "省政府"], treatment = "通报批评", serious = true }] }'
    )
    if not isinstance(raw, dict):
        raise ValueError(f"应为按条款的条件表,{example}")
    result = {}
    for key, items in raw.items():
        if key not in clauses:
            raise ValueError(f"条款「{key}」不适用此参数(可用 {'、'.join(clauses)})")
        if not isinstance(items, list) or not items:
            raise ValueError(f"条款 {key} 应为条件列表,{example}")
        conditions = []
        for item in items:
            if not isinstance(item, dict) or not {"bodies"} <= set(item) <= {"bodies", "treatment", "serious"}:
                raise ValueError(f"条款 {key} 的每个条件须有 bodies(可选 treatment、serious),实际为 {_shown(item)}")
            bodies = item["bodies"]
            if (
                not isinstance(bodies, list)
                or not bodies
                or any(not isinstance(b, str) or not b.strip() for b in bodies)
            ):
                raise ValueError(f"条款 {key} 的 bodies 应为机关名称列表,实际为 {_shown(bodies)}")
            treatment = item.get("treatment")
            if treatment is not None and treatment not in TREATMENTS:
                raise ValueError(
                    f"条款 {key} 的 treatment 应为 {'、'.join(TREATMENTS)} 之一,实际为 {_shown(treatment)}"
                )
            serious = item.get("serious", False)
            if not isinstance(serious, bool):
                raise ValueError(f"条款 {key} 的 serious 应为 true 或 false,实际为 {_shown(serious)}")
            conditions.append(Censure(tuple(b.strip() for b in bodies), treatment, serious))
        result[key] = tuple(conditions)
    return result


def _alias_map(raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise ValueError('应为按规范名称的写法表,例如 { "省政府" = ["省人民政府", "陕西省人民政府"] }(键须加引号)')
    owner: dict[str, str] = {}
    for name, variants in raw.items():
        if not isinstance(variants, list) or any(not isinstance(v, str) or not v.strip() for v in variants):
            raise ValueError(f"「{name}」的其他写法应为文字列表,实际为 {_shown(variants)}")
        for variant in variants:
            if variant.strip() in owner and owner[variant.strip()] != name:
                raise ValueError(f"写法「{variant}」同时列在「{owner[variant.strip()]}」和「{name}」下")
            owner[variant.strip()] = name
    return {name: tuple(v.strip() for v in variants) for name, variants in raw.items()}


def parse_ratio(raw: Any) -> Fraction:
    """'35%', '7/20', 0.35 (read as Decimal) or 0/1 -> an exact Fraction in [0, 1].

    Written as a percentage or a decimal with at most DECIMAL_PLACES decimal places, or a fraction of two
    numbers of at most 7 digits: what is converted is checked first, so no text makes the conversion run away
    ("1e-99999999%" would need a 100-million-digit denominator)."""
    wrong = f'应为比例(例如 "35%"、"12.5%" 或 "7/20",小数不超过 {DECIMAL_PLACES} 位),实际为 {_shown(raw)}'
    if isinstance(raw, bool):
        raise ValueError(wrong)
    if isinstance(raw, str):
        text = raw.strip()
        if _PERCENT.match(text):
            return _in_unit_interval(Fraction(Decimal(text[:-1])) / 100, raw)
        if _DECIMAL.match(text) or _FRACTION.match(text):
            try:
                return _in_unit_interval(Fraction(text.replace(" ", "")), raw)
            except ZeroDivisionError:
                raise ValueError(f"比例的分母不能为 0,实际为 {_shown(raw)}") from None
        raise ValueError(wrong)
    if isinstance(raw, int):
        return _in_unit_interval(Fraction(raw), raw)
    if isinstance(raw, Decimal):
        if not raw.is_finite() or _places(raw) > DECIMAL_PLACES or len(raw.as_tuple().digits) > 20:
            raise ValueError(wrong)
        return _in_unit_interval(Fraction(raw), raw)
    raise ValueError(wrong)


_PERCENT = re.compile(rf"^\d{{1,9}}(\.\d{{1,{DECIMAL_PLACES}}})?%$")
_DECIMAL = re.compile(rf"^\d{{1,9}}(\.\d{{1,{DECIMAL_PLACES}}})?$")
_FRACTION = re.compile(r"^\d{1,7}\s*/\s*\d{1,7}$")


def _places(number: Decimal) -> int:
    """The decimal places a finite Decimal is written with (12.50 -> 2, 1E+3 -> 0)."""
    exponent = number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _in_unit_interval(value: Fraction, raw: Any) -> Fraction:
    if not 0 <= value <= 1:
        raise ValueError(f"比例应在 0% 到 100% 之间,实际为 {_shown(raw)}")
    return value


def _finite_decimal(value: Fraction) -> bool:
    """True when the fraction is a finite decimal (its denominator has no prime factor but 2 and 5), so an
    amount times it is an exact Decimal."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _amount(raw: Any) -> Decimal:
    """An amount: a number from 0 to AMOUNT_MAX with at most DECIMAL_PLACES decimal places (nan, inf refused)."""
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal)):
        raise ValueError(f"应为金额数字,实际为 {_shown(raw)}")
    amount = Decimal(raw)
    if not amount.is_finite():
        raise ValueError(f"应为金额数字,实际为 {_shown(raw)}(不是有限的数)")
    if amount < 0:
        raise ValueError(f"金额不能为负,实际为 {_shown(raw)}")
    if amount > AMOUNT_MAX:
        raise ValueError(f"金额应在 0 至 {AMOUNT_MAX} 之间,实际为 {_shown(raw)}")
    if _places(amount.normalize()) > DECIMAL_PLACES:
        raise ValueError(f"金额的小数不超过 {DECIMAL_PLACES} 位,实际为 {_shown(raw)}")
    return amount


def _threshold_text(t: Threshold) -> str:
    span = "一年内" if t.years == 1 else f"连续{t.years}年每年"
    return f"{span}{t.count}起以上{t.grade}{'' if t.grade == '特别重大' else '以上'}"


def with_overrides(pack: RulePack, **values: Any) -> RulePack:
    """A copy of the pack with some values replaced by command-line options (e.g. --tie)."""
    params = dict(pack.params)
    for key, value in values.items():
        params[key] = replace(params[key], value=value, source="命令行")
    return replace(pack, params=params)


def apply_settings(pack: RulePack, settings: Sequence[str]) -> RulePack:
    """The pack with each `key=value` of a what-if run (`--set`) in place of its value, and `what_if` recording
    every change; `pack` itself when there are none. A value is written as in a pack (TOML: 8, "35%",
    ["优秀"]); text TOML cannot read (35%, floor) is taken as a string. Each is checked by its parameter's kind,
    exactly as a pack's value is. Every bad setting is said at once (SettingError)."""
    if not settings:
        return pack
    params = dict(pack.params)
    changes: list[Setting] = []
    errors: list[str] = []
    for text in settings:
        key, sep, written = text.partition("=")
        key = key.strip()
        if not sep or not key:
            errors.append(
                f"--set {text}:应写成 参数=取值,如 --set target.excellent_ratio=30%(参数见 sanshi rules show)"
            )
            continue
        spec = PARAMS_BY_KEY.get(key)
        if spec is None or key not in params:
            errors.append(f"--set {text}:未知参数 {key}{_suggest(key, params)};参数及取值见 sanshi rules show")
            continue
        if any(change.key == key for change in changes):
            errors.append(f"--set {text}:参数 {key} 给了不止一次,每个参数只能设定一次")
            continue
        try:
            value = _check_value(spec, _setting_value(written))
        except ValueError as exc:
            errors.append(f"--set {text}:参数 {key}({spec.label})的取值不符合要求,{exc}")
            continue
        if value is None and not spec.optional:
            errors.append(f"--set {text}:参数 {key}({spec.label})须有取值")
            continue
        shipped = params[key]
        params[key] = replace(shipped, value=value, source="--set")
        changes.append(Setting(key, spec.label, format_value(shipped), format_value(params[key])))
    if errors:
        raise SettingError(*errors)
    return replace(pack, params=params, what_if=pack.what_if + tuple(changes))


def _setting_value(written: str) -> Any:
    """A --set value as a pack would hold it: TOML when it reads as one value (8, "35%", [...], {...}), else the
    text itself (35%, floor, 向下取整), which the parameter's checker then judges."""
    try:
        data = tomllib.loads(f"value = {written}", parse_float=Decimal)
    except (tomllib.TOMLDecodeError, RecursionError):
        return written.strip()
    if set(data) != {"value"}:  # a line break let the text write a second key: it is not one value
        return written.strip()
    if _nesting(data) is not None:
        raise ValueError(f"数组或表嵌套过深(不超过 {MAX_NESTING} 层)")
    return data["value"]


@dataclass(frozen=True)
class ParamDifference:
    """A parameter whose value differs between two packs (`rules diff A B`): its key and label, its value in each
    as people read it (format_value), and its clause in each."""

    key: str
    label: str
    value_a: str
    value_b: str
    clause_a: str
    clause_b: str

    @property
    def same_clause(self) -> bool:
        return self.clause_a == self.clause_b


@dataclass(frozen=True)
class PackDiff:
    """What differs between two packs: the parameters whose values differ, in the schema's order, and how many
    others differ only in the clause they cite (e.g. shaanxi-2016 citing every 2018 article as its own text)."""

    a: RulePack
    b: RulePack
    differences: tuple[ParamDifference, ...]
    clause_only: int


def diff_packs(a: RulePack, b: RulePack) -> PackDiff:
    """The parameters whose values differ between packs `a` and `b` (every pack has every parameter: a local pack's
    base fills in what it leaves out)."""
    differences = []
    clause_only = 0
    for key in PARAMS_BY_KEY:
        if key not in a.params or key not in b.params:
            continue
        pa, pb = a.params[key], b.params[key]
        if pa.value != pb.value:
            differences.append(ParamDifference(key, pa.label, format_value(pa), format_value(pb), pa.clause, pb.clause))
        elif pa.clause != pb.clause:
            clause_only += 1
    return PackDiff(a, b, tuple(differences), clause_only)


def format_value(param: Param) -> str:
    """A parameter's value as people read it: 35%, 100 万元, 一等奖 3 名 80 万元..."""
    value = param.value
    if value is None:
        return "(未设定)"
    if isinstance(value, Fraction):
        return percent(value)
    if PARAMS_BY_KEY[param.key].kind == "manual_clauses":
        return ";".join(f"{m.clause}({m.what})" for m in value) or "(无)"
    if isinstance(value, tuple) and value and isinstance(value[0], Tier):
        return ";".join(f"{t.name} {t.size} 名 {t.amount} 万元" for t in value)
    if isinstance(value, tuple):
        return "、".join(value) if value else "(无)"
    if isinstance(value, dict) and param.key == "bonus.amount_by_grade":
        return ";".join(f"{k} {v} 元" for k, v in value.items())
    if PARAMS_BY_KEY[param.key].kind == "censure_map":
        return (
            ";".join(f"{key}:" + ",或".join(c.text for c in conditions) for key, conditions in value.items()) or "(无)"
        )
    if PARAMS_BY_KEY[param.key].kind == "thresholds":
        return ";".join(f"{level}:" + "或".join(_threshold_text(t) for t in items) for level, items in value.items())
    if PARAMS_BY_KEY[param.key].kind == "grade_factors":
        return ";".join(f"{k} {percent(v)}" for k, v in value.items())
    if isinstance(value, dict) and param.key == "impact.years_by_method":
        return ";".join(f"{k} {v} 年" for k, v in value.items())
    if isinstance(value, dict):
        return ";".join(
            f"{k}:{v if isinstance(v, str) else '、'.join(v) or '(只列责任认定写明的人员)'}" for k, v in value.items()
        )
    if param.key.endswith(("amount", "amount_floor", "amount_cap")):
        return f"{value} 万元"
    return str(value)
