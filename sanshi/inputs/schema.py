"""The one place that maps the workbook's Chinese headers to field names and types.

Code uses the ASCII field names; people see the Chinese headers. The blank
template (`sanshi template`), the reader and the history store all read this.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

# The ranges a number in a workbook may take, checked as each cell is read (beyond them a value is a typing
# error, such as 1e300, or a number no rule can use: a 300-digit 名额, a rank that wins 争先进位 by 483 places).
# Scores (综合得分) are marks out of 100 plus bonus points: 0 to 200.
SCORE_RANGE = (Decimal(0), Decimal(200))
# Counts (考核人数) and votes: whole numbers from 0 to below a million (a unit's staff or a vote's ballots).
COUNT_LIMIT = 1_000_000
# 名次 and 排序 before the table is known: 1 to 10,000. Each rank is then checked within its ranking: 名次
# and the sub-rankings within the 县(市) or 城区 rows of 县域监测, 排序 within the sheet's rows.
RANK_LIMIT = 10_000
# 上年名次 when last year's ranking is not known: at most this many places beyond this year's ranking (units
# join and leave a ranking, 撤县设区 moves one from 县(市) to 城区, but not by dozens a year). When the history
# store holds last year, the rank is checked within last year's ranking instead.
LAST_RANK_MARGIN = 10


class Kind(str, Enum):
    """How a cell is parsed and validated."""

    TEXT = "text"
    UNIT = "unit"  # a unit name: name_key (NFKC, no whitespace, one bracket form), then 单位名称对照
    PERSON = "person"  # a person's name: name_key, so 「汤　志」 is 汤志 everywhere, output included
    LABEL = "label"  # a category compared across rows (类别): name_key, so 「设区 市」 is 设区市
    REASON = "reason"  # a reason or finding in words; 否/无/没有 (and the placeholders) mean there is none
    DECIMAL = "decimal"  # exact decimal (scores)
    COUNT = "count"  # integer >= 0 (votes, head counts)
    RANK = "rank"  # integer >= 1 (名次, 排序)
    CHOICE = "choice"  # one of `choices` (after normalization)
    YESNO = "yesno"  # 是/否
    DATE = "date"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class SheetSpec:
    name: str
    own_columns: tuple[Column, ...]  # the sheet's columns declared here; `columns` adds those clauses declare
    help: str
    key: str | None = None  # field whose normalized value must be unique in the sheet
    aliases: tuple[str, ...] = field(default=())

    @property
    def columns(self) -> tuple[Column, ...]:
        if not _DECLARED:
            _declare()
        return self.own_columns + _ADDED_COLUMNS.get(self.name, ())

    def column(self, field_name: str) -> Column:
        for col in self.columns:
            if col.field == field_name:
                return col
        raise KeyError(field_name)


# Optional columns a clause module declares beside its rule (sanshi/rules/clauses/), by sheet name.
_ADDED_COLUMNS: dict[str, tuple[Column, ...]] = {}
_DECLARED: list[bool] = []  # set once the declared clauses are loaded


def _declare() -> None:
    """Load the declared clauses, the first time a sheet's columns are asked for (not when sanshi is imported:
    `sanshi --help` reads no sheet). The one place the readers reach into the rules: their plug-in point."""
    from sanshi.rules.registry import discover

    _DECLARED.append(True)
    discover()


def add_columns(sheet: str, *columns: Column) -> None:
    """Declare optional columns of a sheet from the clause that reads them: the reader, the template, the
    history store and the column help pick them up like the sheet's own. Declaring the same column again
    is harmless; a different column under a header or field already used is a programming error."""
    own = SHEETS_BY_NAME[sheet].own_columns
    for column in columns:
        present = own + _ADDED_COLUMNS.get(sheet, ())
        if column in present:
            continue
        if any(c.header == column.header or c.field == column.field for c in present):
            raise ValueError(f"{sheet} 表已有列「{column.header}」或字段 {column.field}")
        if column.required:
            raise ValueError(f"条款声明的列只能是选填列:{sheet} › {column.header}")
        _ADDED_COLUMNS[sheet] = _ADDED_COLUMNS.get(sheet, ()) + (column,)


# The words of the domain, each spelled once: the three assessments (also the names of their sheets),
# the top grade, the three strong-county titles.
TARGET_NAME, MONITORING_NAME, POVERTY_NAME = "目标责任考核", "县域监测", "脱贫攻坚"
EXCELLENT = "优秀"
STRONG_TITLES = ("现代农业强县", "新型工业强县", "生态建设强县")

TARGET_PRESET_GRADES = ("一般", "较差")
TARGET_GRADES = (EXCELLENT, "良好", "一般", "较差")
POVERTY_PRESET_GRADES = ("较好", "一般", "较差", "差")
CADRE_GRADES = (EXCELLENT, "称职", "基本称职", "不称职")
ROLES = ("主要负责人", "分管领导", "其他")
LEADER_ROLES = ROLES[:2]  # the roles a unit-level 能下 trigger can name; 其他 never
# 能下 第六条 names the unit's 党委(党组)书记: a 主要负责人 whose 职务 has 书记 (not 副书记).
PARTY_SECRETARY = "党委(党组)书记"
# Accident and incident grades, worst first; 一级 to 四级 are the same grades by number.
INCIDENT_GRADES = ("特别重大", "重大", "较大", "一般")
ADJUSTMENT_METHODS = ("调离岗位", "改任非领导职务", "免职", "降职")
# 容错纠错办法 第九条: a 容错 decision exempts (免责) or lessens (减责, 酌情从轻、减轻) the consequences.
EXEMPT, REDUCED = "免责", "减责"
TOLERANCE_OUTCOMES = (EXEMPT, REDUCED)
COUNTY, DISTRICT = "县", "城区"
UNIT_LEVELS = ("市", "县", "省级部门")  # 能下 12-13 count accidents by the unit's level
# Labels people write for the two rankings of the county monitoring, after normalization.
AREA_TYPES = {"县": COUNTY, "县(市)": COUNTY, "县市": COUNTY, "县级市": COUNTY, "城区": DISTRICT, "区": DISTRICT}
YES, NO = "是", "否"
# What a body did to a unit (能下 12(1): 党中央、国务院通报批评 or 省委、省政府责任追究).
TREATMENTS = ("通报批评", "责任追究")

_unit = Column("单位", "unit", Kind.UNIT, required=True, aliases=("单位名称",), help="单位全称,各年保持一致")

TARGET = SheetSpec(
    TARGET_NAME,
    (
        _unit,
        Column(
            "综合得分",
            "score",
            Kind.DECIMAL,
            required=True,
            aliases=("得分", "总得分"),
            help="年度目标责任考核综合得分",
        ),
        Column("类别", "group", Kind.LABEL, help="分组评定(如 设区市、省级部门);不填则全表为一组"),
        Column(
            "等次",
            "preset_grade",
            Kind.CHOICE,
            choices=TARGET_PRESET_GRADES,
            help="预定等次,只填 一般/较差;其余留空由35%比例评定",
        ),
        Column(
            "不得评优",
            "no_excellent",
            Kind.REASON,
            aliases=("不得评优原因", "不得评优的原因", "不得评为优秀"),
            help="不得评为优秀的原因(如 发生一票否决事项);留空或填 否、无 表示可以评优",
        ),
        Column("考核人数", "staff", Kind.COUNT, help="参加年度考核的党政干部人数,用于计算优秀名额"),
        Column("上年等次", "last_grade", Kind.CHOICE, choices=TARGET_GRADES, help="上一年度目标责任考核等次"),
        Column("排序", "order", Kind.RANK, help="得分相同时的先后(1 在前),由考核委员会确定"),
    ),
    help="年度目标责任考核结果,每个考核对象一行",
    key="unit",
)

MONITORING = SheetSpec(
    MONITORING_NAME,
    (
        Column(
            "县区", "unit", Kind.UNIT, required=True, aliases=("县(市、区)", "县市区", "单位"), help="县(市、区)名称"
        ),
        Column("类型", "area_type", Kind.CHOICE, required=True, choices=tuple(AREA_TYPES), help="县(市) 或 城区"),
        Column("名次", "rank", Kind.RANK, required=True, help="本年度在县(市)或城区中的名次"),
        Column("上年名次", "last_rank", Kind.RANK, help="上年度名次;也可由历史库提供"),
        Column("综合得分", "score", Kind.DECIMAL, help="监测考评综合得分"),
        Column("现代农业名次", "agriculture_rank", Kind.RANK, help="现代农业发展监测名次(仅县(市))"),
        Column("新型工业名次", "industry_rank", Kind.RANK, help="新型工业发展监测名次(仅县(市))"),
        Column("生态建设名次", "ecology_rank", Kind.RANK, help="生态环境建设监测名次(仅县(市))"),
        Column("四项指标排位", "four_indicator_rank", Kind.RANK, help="居民收入等四项指标综合排位"),
        Column("曾进入", "ever_top", Kind.YESNO, help="以前年度是否进入过十强县/五强区(是/否)"),
        Column(
            "不得评优",
            "no_excellent",
            Kind.REASON,
            aliases=("不得评优原因", "一票否决"),
            help="一票否决等不得评优的原因:不授予称号、不予奖励;留空或填 否、无 表示可以评优",
        ),
    ),
    help="县域经济社会发展监测考评结果,县(市)与城区分别排名",
    key="unit",
)

POVERTY = SheetSpec(
    POVERTY_NAME,
    (
        _unit,
        Column(
            "综合得分",
            "score",
            Kind.DECIMAL,
            required=True,
            aliases=("得分", "总得分"),
            help="脱贫攻坚工作成效考核综合得分",
        ),
        Column("类别", "group", Kind.LABEL, help="分组评定;不填则全表为一组"),
        Column(
            "等次",
            "preset_grade",
            Kind.CHOICE,
            choices=POVERTY_PRESET_GRADES,
            help="预定等次(较好/一般/较差/差);留空由35%比例评定",
        ),
        Column(
            "不得评优",
            "no_excellent",
            Kind.REASON,
            aliases=("不得评优原因", "不得评优的原因", "不得评为优秀"),
            help="不得评为优秀的原因;留空或填 否、无 表示可以评优",
        ),
        Column("排序", "order", Kind.RANK, help="得分相同时的先后(1 在前)"),
        Column("完成年度计划", "plan_completed", Kind.YESNO, help="是否完成年度脱贫计划任务(是/否)"),
        Column("通报批评", "criticized", Kind.REASON, help="受到的批评或通报批评(文字);没有则留空或填 否、无"),
        Column(
            "批评机关",
            "criticized_by",
            Kind.TEXT,
            help="作出批评或通报批评的机关:党中央、国务院、省委、省政府或其他(如 市委、省扶贫办);「通报批评」有内容时必填,"
            "不填则第十条第(二)项未能判定",
        ),
        Column(
            "问题严重",
            "serious",
            Kind.YESNO,
            help="省委、省政府通报批评的问题是否严重(是/否);批评机关为省委、省政府时必填,党中央、国务院批评不需填写",
        ),
        Column("数字脱贫", "fraud", Kind.REASON, help="弄虚作假、数字脱贫的认定(文字);没有则留空或填 否、无"),
    ),
    help="脱贫攻坚工作成效考核结果,每个考核对象一行",
    key="unit",
)

CADRES = SheetSpec(
    "干部",
    (
        Column("姓名", "name", Kind.PERSON, required=True),
        _unit,
        Column("干部编号", "cadre_id", Kind.TEXT, help="跨年识别同一干部;不填则按 姓名+单位 识别"),
        Column("职务", "position", Kind.TEXT),
        Column("岗位类别", "role", Kind.CHOICE, choices=ROLES, help="主要负责人/分管领导/其他"),
        Column("年度考核等次", "grade", Kind.CHOICE, choices=CADRE_GRADES, help="优秀/称职/基本称职/不称职"),
        Column("上年考核等次", "last_grade", Kind.CHOICE, choices=CADRE_GRADES),
        Column("优秀票", "votes_excellent", Kind.COUNT),
        Column("称职票", "votes_competent", Kind.COUNT),
        Column("基本称职票", "votes_basic", Kind.COUNT),
        Column("不称职票", "votes_incompetent", Kind.COUNT),
        Column("总票数", "votes_total", Kind.COUNT, help="含弃权时可大于各票之和"),
    ),
    help="党政干部名单、年度考核等次与民主测评票数",
)

FINDINGS = SheetSpec(
    "责任认定",
    (
        _unit,
        Column(
            "领域",
            "area",
            Kind.TEXT,
            required=True,
            help="党建/全国考核评比/生态环保/安全生产/食品药品/综治维稳/综治重点整顿(规则包 demotion.finding_areas)",
        ),
        Column(
            "等级",
            "level",
            Kind.TEXT,
            required=True,
            help="事故、事件:特别重大/重大/较大/一般 或 一级/二级/三级/四级;全国考核评比:最后档次 或 后N位;其他:如 通报批评",
        ),
        Column("日期", "date", Kind.DATE, help="责任认定的日期(认定日期)"),
        Column(
            "发生日期",
            "occurred",
            Kind.DATE,
            help="事故、事件发生的日期;“一年内”的起数按它所在年度计算,不填则按「日期」(认定日期)",
        ),
        Column(
            "通报",
            "notified_by",
            Kind.TEXT,
            help="作出通报批评或责任追究的机关,全国考核评比填组织考核评比的机关(如 党中央、国务院、省委、省政府、"
            "中组部、教育部);多个用、分隔",
        ),
        Column(
            "处理",
            "treatment",
            Kind.CHOICE,
            choices=TREATMENTS,
            help="「通报」所列机关的处理:通报批评/责任追究;安全生产须写明(党中央、国务院通报批评,省委、省政府责任追究);"
            "党建、生态环保不填时按「等级」列",
        ),
        Column(
            "问题严重",
            "serious",
            Kind.YESNO,
            help="省委、省政府通报批评的问题是否严重(是/否);生态环保第(一)项批评机关为省委、省政府时必填",
        ),
        Column("说明", "note", Kind.TEXT),
        Column(
            "层级",
            "tier",
            Kind.CHOICE,
            choices=UNIT_LEVELS,
            help="单位层级(市/县/省级部门);不填则由县域监测表(县)和目标责任考核表的类别确定",
        ),
        Column(
            "姓名",
            "names",
            Kind.TEXT,
            help="责任认定写明的有关领导干部,多人用、分隔;只在条文写明“有关领导干部”的条款列入"
            "(2018年版为第六条、第十一条、第十三条,规则包 demotion.named_people_clauses)",
        ),
        Column("条款", "item", Kind.TEXT, help="党建、生态环保须写明第几项,如 (一);其他领域不填"),
    ),
    help="党建、生态环保、安全生产、综治维稳等工作不力的责任认定结果",
)

TOLERANCE = SheetSpec(
    "容错认定",
    (
        _unit,
        Column("文号", "ref", Kind.TEXT, required=True, help="容错认定决定的文号"),
        Column("姓名", "name", Kind.PERSON, help="针对个人的认定填写姓名;针对单位留空"),
        Column("情形", "case", Kind.TEXT, help="容错纠错办法第六条情形(一)至(十一)"),
        Column("认定日期", "date", Kind.DATE),
        Column(
            "范围",
            "scope",
            Kind.TEXT,
            help="目标责任考核/民主测评/年度考核/全国考核评比/县域监测/脱贫攻坚/党建/生态环保/安全生产/食品药品/综治维稳,多个用、分隔;留空为全部",
        ),
        Column(
            "结论",
            "outcome",
            Kind.CHOICE,
            choices=TOLERANCE_OUTCOMES,
            aliases=("认定结论", "处理结论"),
            help="免责 或 减责(从轻、减轻);留空为免责。减责的情形仍列入能下名单,注明减责及文号",
        ),
    ),
    help="容错认定结果",
)

ADJUSTMENTS = SheetSpec(
    "调整记录",
    (
        Column("姓名", "name", Kind.PERSON, required=True),
        _unit,
        Column("调整方式", "method", Kind.CHOICE, required=True, choices=ADJUSTMENT_METHODS),
        Column("决定日期", "date", Kind.DATE, required=True),
        Column("干部编号", "cadre_id", Kind.TEXT),
    ),
    help="能下调整记录(影响期计算)",
)

UNIT_NAMES = SheetSpec(
    "单位名称对照",
    (
        Column(
            "别名",
            "alias",
            Kind.UNIT,
            required=True,
            aliases=("简称", "曾用名", "原名称", "其他写法"),
            help="同一单位在某张表或某一年度的其他写法,如 西安高新区",
        ),
        Column(
            "规范名称",
            "unit",
            Kind.UNIT,
            required=True,
            aliases=("标准名称", "单位全称", "规范单位名称"),
            help="统一使用的单位名称,如 高新区;各表、各年度都按它对应",
        ),
    ),
    help="单位名称对照:别名一律按规范名称计算(也可用 --aliases 给出单独的对照文件)",
    key="alias",
)

# A row whose 单位 or 姓名 cell says one of these sums up the rows above it (WPS and Excel tables often end in one):
# it is no unit and no person, and is passed over with a note.
TOTAL_LABELS = ("合计", "总计", "小计")

# The columns `--fill` writes beside the user's own (sanshi.writers.fill), by sheet: a filled copy reads again as the
# workbook it was filled from, these columns passed over, and filling it again writes them in place.
RESULT_COLUMNS: dict[str, tuple[str, ...]] = {
    TARGET_NAME: ("评定等次", "是否优秀", "干部优秀名额", "奖励金额(万元)", "选拔重用", "不列入原因"),
    MONITORING_NAME: ("奖励", "奖励金额(万元)", "未能判定的奖励"),
    POVERTY_NAME: ("评定等次", "是否优秀", "奖励金额(万元)"),
    "干部": ("能下条款", "容错", "未能判定", "影响期至", "选拔重用", "不列入原因"),
}

SHEETS: tuple[SheetSpec, ...] = (TARGET, MONITORING, POVERTY, CADRES, FINDINGS, TOLERANCE, ADJUSTMENTS, UNIT_NAMES)
# The sheets that list the units themselves; a unit elsewhere (干部, 容错认定...) should appear in one of them.
UNIT_LISTS = (TARGET, MONITORING, POVERTY)
SHEETS_BY_NAME = {spec.name: spec for spec in SHEETS}

# `sanshi history export` adds a sheet listing the revisions it holds; with one revision the file reads back
# with `history import` (its other sheets keep their names), with several the sheet names carry the year.
EXPORT_REVISIONS = "版本"
EXPORT_REVISION_HEADERS = ("年度", "版本", "当前版本", "文件", "SHA-256", "导入时间", "导出的工作表")
