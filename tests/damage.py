"""Workbooks as people damage them, for the fuzz suite (tests/test_fuzz.py).

A year's workbook is held as one `Grid` per sheet: a header row, body rows and title rows
above, with a stable id for every body row and every column. Damage moves and rewrites
cells; the ids say where a given cell ends up, so a test can name the exact address
(`目标责任考核 › C9`) the tool must report after title rows, shuffled columns and blank
rows have moved it.

Two families of damage, each a function `(draw, book) -> ...` that draws its choices from
a hypothesis `draw`:

- harmless: what the reader promises to absorb (README「输入」); the result must not change.
- harmful: what the reader must refuse; each returns the `Expect`ations (where, what)
  that must appear in the error output.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import random as _random
from dataclasses import dataclass, field
from typing import Any, Callable

import openpyxl
from hypothesis import strategies as st

from sanshi.inputs import schema
from sanshi.inputs.normalize import column_letter
from sanshi.inputs.reader import HEADER_SEARCH_ROWS

Draw = Callable[[st.SearchStrategy], Any]


# ---------------------------------------------------------------------------------------------
# The clean year: 12 target units in two groups, 12 counties and 6 districts, 8 poverty units,
# 20 cadres, a few findings, one tolerance decision, two adjustments. 2022 goes to history.

CITIES = ["秦川市", "渭北市", "云岭市", "汉源市", "洛水市", "安塞市"]
DEPTS = ["省财政厅", "省教育厅", "省交通运输厅(省铁路办)", "省水利厅", "省商务厅", "省统计局"]
COUNTIES = [
    "龙滩县",
    "鹤亭县",
    "青山县",
    "明渡县",
    "翠原县",
    "槐泉县",
    "金关县",
    "石门县",
    "柳河县",
    "白水县",
    "岚皋县",
    "紫阳县",
]
DISTRICTS = ["东城区", "西城区", "南城区", "北城区", "高新区", "中心区"]

# 2022 and 2023 county ranks (index = unit above); 上年名次 of 2023 = the 2022 名次.
COUNTY_RANK = {2022: [4, 8, 1, 2, 3, 12, 5, 6, 11, 10, 7, 9], 2023: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]}
COUNTY_LAST_2022 = [3, 9, 1, 2, 4, 11, 6, 5, 12, 10, 7, 8]
DISTRICT_RANK = {2022: [3, 1, 2, 6, 5, 4], 2023: [1, 2, 3, 4, 5, 6]}
DISTRICT_LAST_2022 = [3, 2, 1, 5, 6, 4]
AGRI = [5, 1, 9, 2, 12, 3, 4, 6, 7, 8, 10, 11]
INDU = [2, 7, 1, 11, 3, 4, 5, 12, 6, 9, 8, 10]
ECOL = [10, 3, 4, 1, 2, 12, 6, 7, 5, 8, 9, 11]
FOUR = {2022: [1, 3, 2, 5, 4, 11, 6, 7, 10, 12, 8, 9], 2023: [2, 1, 3, 4, 6, 12, 5, 7, 8, 9, 11, 10]}
FOUR_D = {2022: [1, 2, 3, 4, 6, 5], 2023: [2, 1, 3, 4, 5, 6]}

# 目标责任考核: (unit, group, score, preset, no_excellent, staff, order), per year.
TARGET_ROWS = {
    2022: [
        ("秦川市", "设区市", 96, None, None, 60, None),
        ("渭北市", "设区市", 94.5, None, None, 52, None),
        ("云岭市", "设区市", 91, None, None, 48, None),
        ("汉源市", "设区市", 90.5, None, None, 44, None),
        ("洛水市", "设区市", 88, None, None, 40, None),
        ("安塞市", "设区市", 85, "一般", None, 38, None),
        ("省财政厅", "省级部门", 93, None, None, 30, None),
        ("省教育厅", "省级部门", 92, None, None, 28, None),
        ("省交通运输厅(省铁路办)", "省级部门", 90, None, None, 25, None),
        ("省水利厅", "省级部门", 89, None, None, 21, None),
        ("省商务厅", "省级部门", 86, None, None, 20, None),
        ("省统计局", "省级部门", 84.5, "一般", None, 12, None),
    ],
    2023: [
        ("秦川市", "设区市", 95.5, None, None, 62, None),
        ("渭北市", "设区市", 93.5, None, None, 55, 2),
        ("云岭市", "设区市", 93.5, None, None, 47, 1),
        ("汉源市", "设区市", 90.25, None, None, 45, None),
        ("洛水市", "设区市", 88, None, None, 41, None),
        ("安塞市", "设区市", 85.75, "一般", None, 37, None),
        ("省财政厅", "省级部门", 92, None, None, 31, None),
        ("省教育厅", "省级部门", 91, None, "发生一票否决事项", 27, None),
        ("省交通运输厅(省铁路办)", "省级部门", 89.75, None, None, 26, None),
        ("省水利厅", "省级部门", 87, None, None, 22, None),
        ("省商务厅", "省级部门", 87, None, None, 19, None),
        ("省统计局", "省级部门", 80, "较差", None, 13, None),
    ],
}
# What the 2022 cut gave (quota floor(6 × 35%) = 2 per group): the 2023 上年等次 column.
TARGET_GRADES_2022 = {
    "秦川市": "优秀",
    "渭北市": "优秀",
    "云岭市": "良好",
    "汉源市": "良好",
    "洛水市": "良好",
    "安塞市": "一般",
    "省财政厅": "优秀",
    "省教育厅": "优秀",
    "省交通运输厅(省铁路办)": "良好",
    "省水利厅": "良好",
    "省商务厅": "良好",
    "省统计局": "一般",
}

POVERTY_ROWS = [  # unit, score, preset, plan completed, criticized, fraud, criticized by, serious
    ("龙滩县", 91.5, None, "是", None, None, None, None),
    ("鹤亭县", 88.25, None, "是", None, None, None, None),
    ("青山县", 93, None, "是", None, None, None, None),
    ("明渡县", 79.5, "差", "否", None, None, None, None),
    ("翠原县", 86, None, "是", "省委、省政府通报批评(2023年第3期)", None, "省委、省政府", "是"),
    ("槐泉县", 84, None, "是", None, None, None, None),
    ("金关县", 90, None, "是", None, None, None, None),
    ("紫阳县", 82.5, "较好", "是", None, None, None, None),
]

# 干部: id, name, unit, position, role, grade 2023, grade 2022, votes (excellent, competent, basic, incompetent, total)
CADRES = [
    ("SX001", "白建辉", "秦川市", "市委书记", "主要负责人", "优秀", "优秀", (60, 38, 2, 0, 100)),
    ("SX002", "戴欣成", "秦川市", "副市长", "分管领导", "称职", "称职", (40, 55, 5, 0, 100)),
    ("SX003", "潘庆林", "安塞市", "市委书记", "主要负责人", "称职", "称职", (20, 55, 20, 5, 100)),
    ("SX004", "丁磊健", "安塞市", "副市长", "分管领导", "基本称职", "基本称职", (10, 60, 25, 5, 102)),
    ("SX005", "林秀蕾", "省统计局", "局长", "主要负责人", "称职", "称职", (30, 60, 10, 0, 100)),
    ("SX006", "彭秀军", "省统计局", "副局长", "分管领导", "称职", "优秀", (35, 60, 5, 0, 100)),
    ("SX007", "郑国彬", "省统计局", "党组书记", "主要负责人", "称职", "称职", (30, 62, 8, 0, 100)),
    ("SX008", "汤志", "紫阳县", "县委书记", "主要负责人", "称职", "称职", (15, 50, 30, 5, 100)),
    ("SX009", "韩梅", "紫阳县", "副县长", "分管领导", "不称职", "称职", (5, 40, 35, 20, 100)),
    ("SX010", "吴刚", "槐泉县", "县委书记", "主要负责人", "优秀", "优秀", (70, 30, 0, 0, 100)),
    ("SX011", "赵敏", "槐泉县", "副县长", "分管领导", "称职", "称职", (40, 58, 2, 0, 100)),
    ("SX012", "钱进", "龙滩县", "县委书记", "主要负责人", "优秀", "优秀", (80, 20, 0, 0, 100)),
    ("SX013", "孙立", "龙滩县", "县长", "主要负责人", "优秀", "称职", (75, 25, 0, 0, 100)),
    ("SX014", "李娜", "明渡县", "县委书记", "主要负责人", "称职", "称职", (30, 60, 10, 0, 100)),
    ("SX015", "周密", "明渡县", "副县长", "分管领导", "称职", "称职", (30, 62, 8, 0, 100)),
    ("SX016", "吴桐", "柳河县", "县委书记", "主要负责人", "称职", "优秀", (50, 48, 2, 0, 100)),
    ("SX017", "郑和", "东城区", "区委书记", "主要负责人", "称职", "称职", (45, 50, 5, 0, 100)),
    ("SX018", "王芳", "中心区", "区委书记", "主要负责人", "称职", "称职", (40, 55, 5, 0, 100)),
    ("SX019", "冯远", "省财政厅", "厅长", "主要负责人", "优秀", "优秀", (70, 30, 0, 0, 100)),
    ("SX020", "陈静", "秦川市", "秘书长", "其他", "称职", None, (None, None, None, None, None)),
]

FINDINGS = [  # unit, area, level, date, notified by, note, tier, names, item
    (
        "槐泉县",
        "安全生产",
        "较大",
        dt.datetime(2023, 4, 12),
        "省安委会办公室",
        "较大生产安全责任事故,死亡3人",
        "县",
        None,
        None,
    ),
    (
        "槐泉县",
        "安全生产",
        "较大",
        dt.datetime(2023, 9, 27),
        "省安委会办公室",
        "较大坍塌责任事故,死亡4人",
        "县",
        None,
        None,
    ),
    (
        "省统计局",
        "党建",
        "通报批评",
        dt.datetime(2023, 6, 16),
        "省委",
        "落实全面从严治党主体责任不力",
        "省级部门",
        "郑国彬",
        "(一)",
    ),
]
TOLERANCE = [  # unit, ref, name, case, date, scope
    ("紫阳县", "秦组容〔2023〕3号", "汤志", "(八)", dt.datetime(2023, 12, 8), "民主测评"),
]
ADJUSTMENTS = [  # name, unit, method, date, id
    ("潘庆林", "安塞市", "调离岗位", dt.datetime(2023, 3, 15), "SX003"),
    ("周密", "明渡县", "降职", dt.datetime(2022, 11, 20), "SX015"),
]


@dataclass
class Grid:
    """One sheet: title rows, a header row and body rows, with ids for body rows and columns."""

    name: str  # the tab name as written (may differ from the schema's by whitespace)
    spec: schema.SheetSpec | None  # None for a sheet the reader does not know
    cols: list[str]  # column ids: a schema field, or x1, x2 ... for others, dup:<field> for a copy
    header: list[Any]
    body: list[list[Any]]
    row_ids: list[Any]  # per body row; None for a blank row put in
    titles: list[list[Any]] = field(default_factory=list)
    merge_titles: bool = False
    frozen: set[tuple[Any, str]] = field(default_factory=set)  # cells a harmful damage wrote: keep as is
    body_merges: list[tuple[Any, int, str]] = field(default_factory=list)  # (first row id, rows, col id)
    hidden: bool = False
    shadow: bool = False  # a second copy of a known sheet: the reader must not read it, damage leaves it be

    def col(self, col_id: str) -> int:
        return self.cols.index(col_id)

    def value(self, row_id: Any, col_id: str) -> Any:
        return self.body[self.row_ids.index(row_id)][self.col(col_id)]

    def set(self, row_id: Any, col_id: str, value: Any, freeze: bool = True) -> None:
        self.body[self.row_ids.index(row_id)][self.col(col_id)] = value
        if freeze:
            self.frozen.add((row_id, col_id))

    def header_row(self) -> int:
        """The Excel row number of the header."""
        return len(self.titles) + 1

    def address(self, row_id: Any, col_id: str) -> str:
        return f"{column_letter(self.col(col_id))}{self.header_row() + 1 + self.row_ids.index(row_id)}"

    def header_address(self, col_id: str) -> str:
        return f"{column_letter(self.col(col_id))}{self.header_row()}"

    def merge_area(self, row_id: Any, rows: int, col_id: str) -> tuple[int, int, int]:
        """(first row, last row, column) in Excel numbers of a vertical merge that starts at a row id
        wherever the layout put it: downwards, or up from the last row, always over >= 2 rows."""
        first = self.header_row() + 1 + self.row_ids.index(row_id)
        last_body = self.header_row() + len(self.body)
        top = min(first, last_body - 1)
        return top, min(top + rows - 1, last_body), self.col(col_id) + 1

    def data_rows(self) -> list[Any]:
        return [r for r in self.row_ids if r is not None]

    def column(self, field_name: str) -> schema.Column:
        assert self.spec is not None
        return self.spec.column(field_name)


@dataclass
class Book:
    """A workbook: its grids in tab order, and whether row order was shuffled anywhere."""

    grids: list[Grid]
    shuffled: bool = False

    def grid(self, spec_name: str) -> Grid:
        """The sheet the reader reads for `spec_name`: never a shadow copy, which damage leaves be."""
        return next(g for g in self.known() if g.spec.name == spec_name)

    def known(self) -> list[Grid]:
        return [g for g in self.grids if g.spec is not None and not g.shadow]

    def save(self, path) -> None:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for grid in self.grids:
            sheet = workbook.create_sheet(grid.name)
            width = max(len(grid.header), 1)
            for row in [*grid.titles, grid.header, *grid.body]:
                sheet.append(list(row))
            if grid.merge_titles and grid.titles and width > 1:
                sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
            if grid.hidden:
                sheet.sheet_state = "hidden"
            for merge in grid.body_merges:
                top, bottom, column = grid.merge_area(*merge)
                sheet.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
        workbook.save(path)


def _grid(spec: schema.SheetSpec, fields: list[str], rows: list[tuple], prefix: str) -> Grid:
    header = [spec.column(f).header for f in fields]
    return Grid(
        name=spec.name,
        spec=spec,
        cols=list(fields),
        header=header,
        body=[list(r) for r in rows],
        row_ids=[f"{prefix}{i}" for i in range(len(rows))],
    )


def _drop(grid: Grid, col_id: str) -> None:
    index = grid.col(col_id)
    for row in [grid.cols, grid.header, *grid.body]:
        del row[index]


def clean_book(year: int = 2023) -> Book:
    """The clean workbook of a year (2022 carries fewer sheets: it only feeds history)."""
    target = _grid(
        schema.TARGET,
        ["unit", "group", "score", "preset_grade", "no_excellent", "staff", "last_grade", "order"],
        [
            (u, g, s, p, n, staff, TARGET_GRADES_2022[u] if year == 2023 else None, o)
            for u, g, s, p, n, staff, o in TARGET_ROWS[year]
        ],
        "t",
    )
    if year == 2022:
        _drop(target, "order")
        _drop(target, "last_grade")
    last = COUNTY_RANK[2022] if year == 2023 else COUNTY_LAST_2022
    last_d = DISTRICT_RANK[2022] if year == 2023 else DISTRICT_LAST_2022
    county_rows = [
        (
            u,
            "县(市)" if i % 3 else "县",
            COUNTY_RANK[year][i],
            last[i],
            90 - COUNTY_RANK[year][i] * 0.75,
            AGRI[i],
            INDU[i],
            ECOL[i],
            FOUR[year][i],
            "是" if last[i] <= 10 else None,
        )
        for i, u in enumerate(COUNTIES)
    ]
    district_rows = [
        (
            u,
            "城区" if i % 2 else "区",
            DISTRICT_RANK[year][i],
            last_d[i],
            88 - DISTRICT_RANK[year][i],
            None,
            None,
            None,
            FOUR_D[year][i],
            "是" if last_d[i] <= 5 else None,
        )
        for i, u in enumerate(DISTRICTS)
    ]
    monitoring = _grid(
        schema.MONITORING,
        [
            "unit",
            "area_type",
            "rank",
            "last_rank",
            "score",
            "agriculture_rank",
            "industry_rank",
            "ecology_rank",
            "four_indicator_rank",
            "ever_top",
        ],
        county_rows + district_rows,
        "m",
    )
    cadres = _grid(
        schema.CADRES,
        [
            "cadre_id",
            "name",
            "unit",
            "position",
            "role",
            "grade",
            "last_grade",
            "votes_excellent",
            "votes_competent",
            "votes_basic",
            "votes_incompetent",
            "votes_total",
        ],
        [
            (i, n, u, p, r, g if year == 2023 else lg, lg if year == 2023 else None, *v)
            for i, n, u, p, r, g, lg, v in CADRES
        ],
        "c",
    )
    if year == 2022:
        return Book([target, monitoring, cadres])
    poverty = _grid(
        schema.POVERTY,
        ["unit", "score", "preset_grade", "plan_completed", "criticized", "fraud", "criticized_by", "serious"],
        POVERTY_ROWS,
        "p",
    )
    findings = _grid(
        schema.FINDINGS,
        ["unit", "area", "level", "date", "notified_by", "note", "tier", "names", "item"],
        FINDINGS,
        "f",
    )
    tolerance = _grid(schema.TOLERANCE, ["unit", "ref", "name", "case", "date", "scope"], TOLERANCE, "r")
    adjustments = _grid(schema.ADJUSTMENTS, ["name", "unit", "method", "date", "cadre_id"], ADJUSTMENTS, "a")
    return Book([target, monitoring, poverty, cadres, findings, tolerance, adjustments])


# ---------------------------------------------------------------------------------------------
# Harmless damage: the result must not change.


def _rng(draw: Draw) -> _random.Random:
    """A seeded generator for per-cell choices (hypothesis' own randoms would overrun its buffer on a
    workbook's hundreds of cells); the seed is drawn, so a failing example replays exactly."""
    return _random.Random(draw(st.integers(0, 2**32 - 1)))


# Whitespace the reader must ignore in unit names and headers (U+3000 ideographic space, NBSP,
# tab, newline from Alt+Enter) and full-width forms that NFKC folds.
SPACES = [" ", "\u3000", "\u00a0", "\t", "\n", "  "]
TITLES = [
    "2023年度考核结果汇总表",
    "(单位:分)",
    "填报单位:省考核办",
    "注:本表数据截至2023年12月31日",
    "附件2",
    "  ",
    None,
]
EXTRA_HEADERS = ["备注", "序号", "联系人", "填报说明", "核对人", "Column1", None]


def _fullwidth(text: str) -> str:
    """ASCII letters, digits and punctuation to their full-width forms (NFKC folds them back)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


def _spaced(rng: _random.Random, text: str) -> str:
    """Whitespace put before, after or inside a unit name or header."""
    spots = rng.sample(range(len(text) + 1), k=min(len(text) + 1, rng.randint(1, 2)))
    out = text
    for spot in sorted(spots, reverse=True):
        out = out[:spot] + rng.choice(SPACES) + out[spot:]
    return out


def _padded(rng: _random.Random, text: str) -> str:
    """Whitespace only around free text (inner spaces are kept by the reader, so they would change it)."""
    return rng.choice(SPACES[:3]) + text if rng.random() < 0.5 else text + rng.choice(SPACES[:3])


_UNIT_SUFFIXES = {schema.Kind.DECIMAL: ["分"], schema.Kind.COUNT: ["票", "人"], schema.Kind.RANK: ["名", "位"]}


def _number_text(rng: _random.Random, kind: schema.Kind, value: float | int) -> str:
    """A number stored as text, as Excel and WPS users end up with it: 95.5, ９５．５, " 95.5 ", 95.50,
    3.0, or with the column's unit (95.5分, 38票, 第3名)."""
    # as the cell showed it (15 significant digits): typed or pasted as text, that is what the text says
    text = format(value, ".15g") if isinstance(value, float) else str(value)
    form = rng.randrange(5)
    if form == 1:
        return _fullwidth(text)
    if form == 2:
        return rng.choice(SPACES[:3]) + text + rng.choice(SPACES[:3])
    if form == 3:
        return text + ("0" if "." in text else ".0")
    if form == 4:
        if kind is schema.Kind.RANK and rng.random() < 0.5:
            return f"第{text}名"
        return text + rng.choice(_UNIT_SUFFIXES[kind])
    return text


def _date_text(rng: _random.Random, value: dt.datetime) -> Any:
    """A date as text in the forms people type, or as the bare Excel serial number."""
    serial = (value - dt.datetime(1899, 12, 30)).days
    forms = [
        f"{value:%Y-%m-%d}",
        f"{value.year}年{value.month}月{value.day}日",
        f"{value.year}/{value.month}/{value.day}",
        f"{value:%Y.%m.%d}",
        _fullwidth(f"{value.year}年{value.month}月{value.day}日"),
        f"{value:%Y%m%d}",
        f"{value:%Y-%m-%d} 08:30",
        serial,
        str(serial),
    ]
    return rng.choice(forms)


_CHOICE_VARIANTS = {
    "县(市)": ["县（市）", "县 (市)", "县市", "县【市】"],
    "是": ["Y", "yes", "TRUE", "１", "是 ", True],
    "否": ["N", "no", "0", "否\u3000", False],
}


def _cell_variant(rng: _random.Random, column: schema.Column, value: Any) -> Any:
    """An equivalent spelling of a clean cell value under the reader's contract (README「输入」)."""
    kind = column.kind
    if value is None:
        return None
    if kind is schema.Kind.UNIT:
        return _spaced(rng, _fullwidth_brackets(value, rng) if rng.random() < 0.5 else value)
    if kind in (schema.Kind.DECIMAL, schema.Kind.COUNT, schema.Kind.RANK):
        if isinstance(value, int) and rng.random() < 0.3:
            return float(value)  # 92 stored as the double 92.0
        return _number_text(rng, kind, value)
    if kind in (schema.Kind.CHOICE, schema.Kind.YESNO):
        if value in _CHOICE_VARIANTS and rng.random() < 0.7:
            return rng.choice(_CHOICE_VARIANTS[value])
        return _spaced(rng, value)
    if kind is schema.Kind.DATE:
        return _date_text(rng, value) if rng.random() < 0.8 else value.date()
    if kind is schema.Kind.TEXT:
        return _padded(rng, _fullwidth(value) if rng.random() < 0.3 else value)
    return value


def _fullwidth_brackets(text: str, rng: _random.Random | None = None) -> str:
    """(省铁路办) as （省铁路办） or another bracket form the reader folds (【】, 〔〕)."""
    left, right = rng.choice(["（）", "【】", "〔〕", "()"]) if rng else "（）"
    return text.replace("(", left).replace(")", right)


def cell_variants(draw: Draw, book: Book) -> str:
    """Rewrite a share of each sheet's cells as equivalent spellings (numbers as text, spaces in names ...)."""
    rng = _rng(draw)
    share = draw(st.sampled_from([0.1, 0.3, 1.0]))
    for grid in book.known():
        for row_id in grid.data_rows():
            for col_id in grid.cols:
                if col_id not in {c.field for c in grid.spec.columns} or (row_id, col_id) in grid.frozen:
                    continue
                if rng.random() < share:
                    grid.set(
                        row_id,
                        col_id,
                        _cell_variant(rng, grid.column(col_id), grid.value(row_id, col_id)),
                        freeze=False,
                    )
    return f"cell variants ({share:.0%})"


def header_variants(draw: Draw, book: Book) -> str:
    """Headers with stray whitespace, Alt+Enter breaks, full-width brackets, or a schema alias."""
    rng = _rng(draw)
    for grid in book.known():
        for index, col_id in enumerate(grid.cols):
            if (
                col_id not in {c.field for c in grid.spec.columns}
                or (None, col_id) in grid.frozen
                or rng.random() < 0.5
            ):
                continue
            column = grid.column(col_id)
            header = rng.choice([column.header, *column.aliases])
            grid.header[index] = _spaced(rng, _fullwidth_brackets(header))
    return "header variants"


def sheet_names(draw: Draw, book: Book) -> str:
    """Tabs in another order, tab names with stray spaces, unknown tabs (说明, Sheet1) in between."""
    rng = _rng(draw)
    for grid in book.known():
        if rng.random() < 0.3:
            grid.name = grid.name + " " if rng.random() < 0.5 else " " + grid.name
    rng.shuffle(book.grids)
    for name in rng.sample(["说明", "Sheet1", "汇总"], k=rng.randint(0, 2)):
        book.grids.insert(
            rng.randrange(len(book.grids) + 1),
            Grid(
                name=name,
                spec=None,
                cols=["x"],
                header=["本表为说明"],
                body=[["单位"], ["综合得分"]],
                row_ids=[None, None],
            ),
        )
    return "sheet order and names"


def title_rows(draw: Draw, book: Book) -> str:
    """Up to HEADER_SEARCH_ROWS - 1 title or note rows above the header, the first maybe merged."""
    for grid in book.known():
        count = draw(st.integers(0, HEADER_SEARCH_ROWS - 1))
        texts = draw(st.lists(st.sampled_from(TITLES), min_size=count, max_size=count))
        grid.titles = [[t] for t in texts]
        grid.merge_titles = draw(st.booleans())
    return "title rows"


def _pad(grid: Grid) -> None:
    width = len(grid.cols)
    for row in [grid.header, *grid.body]:
        row.extend([None] * (width - len(row)))


def shuffle_columns(draw: Draw, book: Book) -> str:
    rng = _rng(draw)
    for grid in book.known():
        _pad(grid)
        order = list(range(len(grid.cols)))
        rng.shuffle(order)
        grid.cols = [grid.cols[i] for i in order]
        grid.header = [grid.header[i] for i in order]
        grid.body = [[row[i] for i in order] for row in grid.body]
    return "column order"


def extra_columns(draw: Draw, book: Book) -> str:
    """Unknown columns (备注, 序号, a headerless one) with values of any kind, anywhere."""
    rng = _rng(draw)
    for grid in book.known():
        _pad(grid)
        for n in range(rng.randint(0, 2)):
            at = rng.randrange(len(grid.cols) + 1)
            header = rng.choice(EXTRA_HEADERS)
            grid.cols.insert(at, f"x{n}")
            grid.header.insert(at, header)
            for i, row in enumerate(grid.body):
                row.insert(at, rng.choice([None, i + 1, "见附件", -5, 3.7, "abc", dt.datetime(2020, 1, 1)]))
    return "extra columns"


def blank_rows(draw: Draw, book: Book) -> str:
    """Blank rows inside and after the body: empty, or holding only spaces or a note in an unknown column."""
    rng = _rng(draw)
    for grid in book.known():
        _pad(grid)
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(grid.body) + 1)
            row = [rng.choice([None, None, " ", "\u3000"]) for _ in grid.cols]
            for index, col_id in enumerate(grid.cols):
                if col_id.startswith("x") and rng.random() < 0.5:
                    row[index] = "注:以下空行"
            grid.body.insert(at, row)
            grid.row_ids.insert(at, None)
    return "blank rows"


# Sheets whose row order still shows in the result: a 能下 basis lists the 责任认定 findings in sheet
# order, not by date (test_fuzz.py::test_findings_in_a_basis_do_not_follow_the_sheet_order, xfail).
ROW_ORDER_SHOWS = {schema.FINDINGS.name}


def shuffle_rows(draw: Draw, book: Book) -> str:
    """Body rows in another order (ties at the cut are decided by 排序, so order must not matter)."""
    rng = _rng(draw)
    for grid in book.known():
        if grid.spec.name in ROW_ORDER_SHOWS:
            continue
        order = list(range(len(grid.body)))
        rng.shuffle(order)
        grid.body = [grid.body[i] for i in order]
        grid.row_ids = [grid.row_ids[i] for i in order]
    book.shuffled = True
    return "row order"


def float_noise(draw: Draw, book: Book) -> str:
    """Scores as a formula leaves them, one unit in the last place off: 93.49999999999999 for 93.5
    (Excel shows 15 significant digits, so the user sees 93.5)."""
    rng = _rng(draw)
    for grid in book.known():
        for row_id in grid.data_rows():
            for col_id in grid.cols:
                value = grid.value(row_id, col_id) if col_id in {c.field for c in grid.spec.columns} else None
                if (
                    isinstance(value, (int, float))
                    and grid.column(col_id).kind is schema.Kind.DECIMAL
                    and (row_id, col_id) not in grid.frozen
                    and rng.random() < 0.3
                ):
                    grid.set(
                        row_id, col_id, math.nextafter(float(value), rng.choice([math.inf, -math.inf])), freeze=False
                    )
    return "float noise in scores"


def spaced_groups(draw: Draw, book: Book) -> str:
    """A stray space inside a 类别 (设区 市)."""
    rng = _rng(draw)
    for grid in book.known():
        if "group" in grid.cols:
            for row_id in grid.data_rows():
                if grid.value(row_id, "group") and rng.random() < 0.3:
                    grid.set(row_id, "group", _spaced(rng, grid.value(row_id, "group")), freeze=False)
    return "spaces in 类别"


def no_for_none(draw: Draw, book: Book) -> str:
    """否 written in empty reason cells (不得评优, 通报批评, 数字脱贫) to mean "none"."""
    rng = _rng(draw)
    for grid in book.known():
        for col_id in {"no_excellent", "criticized", "fraud"} & set(grid.cols):
            for row_id in grid.data_rows():
                if grid.value(row_id, col_id) is None and rng.random() < 0.5:
                    grid.set(row_id, col_id, "否", freeze=False)
    return "否 in reason cells"


# Applied in this order (value changes first, layout last, so it moves what the value changes wrote).
# float_noise, spaced_groups and no_for_none were bugs the fuzzing found (their regression tests are at the
# end of test_fuzz.py).
HARMLESS = [
    float_noise,
    spaced_groups,
    no_for_none,
    cell_variants,
    header_variants,
    extra_columns,
    shuffle_columns,
    shuffle_rows,
    blank_rows,
    title_rows,
    sheet_names,
]


def harmless(draw: Draw, book: Book, at_least: int = 0) -> list[str]:
    """Apply a random subset of the harmless damages (each at most once); return their names."""
    chosen = [draw(st.booleans()) for _ in HARMLESS]
    if sum(chosen) < at_least:
        chosen[draw(st.integers(0, len(HARMLESS) - 1))] = True
    return [damage(draw, book) for damage, on in zip(HARMLESS, chosen) if on]


# ---------------------------------------------------------------------------------------------
# Harmful damage: the tool must stop with exit 2 and say where.


@dataclass
class Expect:
    """A line the error output must hold once the layout is final: the sheet and the cell (of a body
    row, or of a header; for a missing column, the header row) and the column's header.

    The wording of the message is the reader's business; where it points, and which column it
    names, is what the user needs."""

    grid: Grid
    header: str  # the column's canonical header, which the message names
    cells: list[tuple[Any, str]] = field(default_factory=list)  # (row id, col id): the later one is named
    header_of: list[str] = field(default_factory=list)  # col ids: the later header is named
    missing: bool = False  # a required column is gone: the header row is named
    merge: tuple[Any, int, str] | None = None  # merged body cells: the merged area is named
    sheet_of: list[Grid] = field(default_factory=list)  # a problem of a whole sheet: the later tab is named
    book: Book | None = None  # for sheet_of: the tab order

    def location(self) -> str:
        where = self.grid.name.strip()  # cell messages name the tab without stray spaces
        if self.sheet_of:
            return f" › {max(self.sheet_of, key=lambda g: self.book.grids.index(g)).name}: "
        if self.merge:
            top, bottom, column = self.grid.merge_area(*self.merge)
            letter = column_letter(column - 1)
            return f"{where} › {letter}{top}:{letter}{bottom}"
        if self.missing:
            return f"{where} › 第{self.grid.header_row()}行"
        if self.header_of:
            return f"{where} › {self.grid.header_address(max(self.header_of, key=self.grid.col))}"
        row_id, col_id = max(self.cells, key=lambda rc: (self.grid.row_ids.index(rc[0]), self.grid.col(rc[1])))
        return f"{where} › {self.grid.address(row_id, col_id)}"

    def found_in(self, output: str) -> bool:
        """Some line names both the place and the column (or the words of a sheet-level problem)."""
        location = self.location()
        return any(location in line and self.header in line for line in output.splitlines())

    def __repr__(self) -> str:
        return (
            f"Expect({self.location()!r}, {self.header!r}, cells={self.cells}, header_of={self.header_of}, "
            f"missing={self.missing})"
        )


def _field_cells(
    book: Book, kinds: tuple[schema.Kind, ...], required: bool | None = None, fields: tuple[str, ...] = ()
) -> list[tuple[Grid, Any, str]]:
    """(grid, row id, field) of the clean, filled cells of these kinds."""
    found = []
    for grid in book.known():
        for col_id in grid.cols:
            if col_id not in {c.field for c in grid.spec.columns}:
                continue
            column = grid.column(col_id)
            if column.kind not in kinds or (required is not None and column.required != required):
                continue
            if fields and col_id not in fields:
                continue
            for row_id in grid.data_rows():
                if grid.value(row_id, col_id) is not None and (row_id, col_id) not in grid.frozen:
                    found.append((grid, row_id, col_id))
    return found


def _pick(draw: Draw, options: list) -> Any:
    """One of the options, drawn by index (so a failing example prints a number, not a whole sheet)."""
    return options[draw(st.integers(0, len(options) - 1))]


def blank_required(draw: Draw, book: Book) -> Expect:
    grid, row_id, col_id = _pick(draw, _field_cells(book, tuple(schema.Kind), required=True))
    grid.set(row_id, col_id, draw(st.sampled_from([None, "", " ", "\u3000"])))
    return Expect(grid, grid.column(col_id).header, cells=[(row_id, col_id)])


# Not numbers. ("—", "-", "/", "无" are the reader's placeholders for "nothing" in an optional cell, and
# "95.5分", "第3名" are numbers with their unit: neither is junk.)
# "#DIV/0!" and the like are written as Excel error cells (what a broken formula leaves).
NUMBER_JUNK = [
    "9O.5",
    "abc",
    "九十五",
    "95.5%",
    "#N/A",
    "95..5",
    "约90",
    "90左右",
    "1/2",
    "NaN",
    "Infinity",
    "N/A",
    "1,23",
    "95.5元",
    True,
    dt.datetime(2023, 5, 1),
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
]


def junk_number(draw: Draw, book: Book) -> Expect:
    grid, row_id, col_id = _pick(draw, _field_cells(book, (schema.Kind.DECIMAL, schema.Kind.COUNT, schema.Kind.RANK)))
    grid.set(row_id, col_id, draw(st.sampled_from(NUMBER_JUNK)))
    return Expect(grid, grid.column(col_id).header, cells=[(row_id, col_id)])


def bad_count(draw: Draw, book: Book) -> Expect:
    """A negative or fractional count, or a 名次 of 0, negative or fractional."""
    grid, row_id, col_id = _pick(draw, _field_cells(book, (schema.Kind.COUNT, schema.Kind.RANK)))
    kind = grid.column(col_id).kind
    value = draw(
        st.sampled_from(
            [-1, -3, 2.5, 0.5, "2.5", "-2", "－2", 0, "0"]
            if kind is schema.Kind.RANK
            else [-1, -3, 2.5, 0.5, "2.5", "-2", "－2"]
        )
    )
    grid.set(row_id, col_id, value)
    return Expect(grid, grid.column(col_id).header, cells=[(row_id, col_id)])


CHOICE_JUNK = {
    "preset_grade": ["优秀", "良好", "优", "好"],
    "last_grade": ["很好", "合格", "良"],
    "area_type": ["乡", "镇", "市辖区", "县区"],
    "role": ["正职", "副职", "领导"],
    "grade": ["合格", "良好", "基本合格"],
    "method": ["撤职", "免去职务", "调整"],
    "tier": ["乡", "省"],
    "plan_completed": ["部分完成", "不详", "基本完成"],
    "ever_top": ["不详", "曾", "2019"],
}


def bad_choice(draw: Draw, book: Book) -> Expect:
    grid, row_id, col_id = _pick(draw, _field_cells(book, (schema.Kind.CHOICE, schema.Kind.YESNO)))
    grid.set(row_id, col_id, draw(st.sampled_from(CHOICE_JUNK[col_id])))
    return Expect(grid, grid.column(col_id).header, cells=[(row_id, col_id)])


def bad_date(draw: Draw, book: Book) -> Expect:
    grid, row_id, col_id = _pick(draw, _field_cells(book, (schema.Kind.DATE,)))
    grid.set(
        row_id,
        col_id,
        draw(
            st.sampled_from(
                [
                    "2023-13-01",
                    "2023-02-30",
                    "去年三月",
                    "2023.4",
                    "待定",
                    123,
                    "12/31/2023",
                    "2023年",
                    True,
                    2023,
                    "20231301",
                    99999.5,
                ]
            )
        ),
    )
    return Expect(grid, grid.column(col_id).header, cells=[(row_id, col_id)])


def duplicate_unit(draw: Draw, book: Book) -> Expect:
    """A unit's row twice (its name maybe spelled with spaces), or a cadre's row twice (same 干部编号)."""
    rng = _rng(draw)
    grid = _pick(draw, [g for g in book.known() if g.spec.key or g.spec is schema.CADRES])
    key = grid.spec.key or "cadre_id"
    source = _pick(draw, grid.data_rows())
    row = copy.copy(grid.body[grid.row_ids.index(source)])
    new_id = f"{source}-copy"
    at = rng.randrange(len(grid.body) + 1)
    grid.body.insert(at, row)
    grid.row_ids.insert(at, new_id)
    if grid.spec.key and rng.random() < 0.5:
        grid.set(new_id, key, _spaced(rng, grid.value(new_id, key)))
    grid.frozen |= {(new_id, key), (source, key)}
    return Expect(grid, grid.column(key).header, cells=[(source, key), (new_id, key)])


def duplicate_header(draw: Draw, book: Book) -> Expect:
    """A known column twice (same header, or an alias of it), with the same or other values."""
    rng = _rng(draw)
    grid = _pick(draw, book.known())
    col_id = _pick(draw, [c for c in grid.cols if c in {col.field for col in grid.spec.columns}])
    column = grid.column(col_id)
    new_id = f"dup:{col_id}"
    _pad(grid)
    at = rng.randrange(len(grid.cols) + 1)
    source = grid.col(col_id)
    for row in grid.body:
        row.insert(at, row[source])
    grid.cols.insert(at, new_id)
    grid.header.insert(
        at,
        _spaced(rng, rng.choice([column.header, *column.aliases]))
        if rng.random() < 0.5
        else rng.choice([column.header, *column.aliases]),
    )
    return Expect(grid, column.header, header_of=[col_id, new_id])


def duplicate_rank(draw: Draw, book: Book) -> Expect:
    """Two counties (or two districts) with the same 名次, 上年名次 or sub-ranking."""
    grid = book.grid(schema.MONITORING.name)
    fields = [
        f
        for f in ("rank", "last_rank", "agriculture_rank", "industry_rank", "ecology_rank", "four_indicator_rank")
        if f in grid.cols
    ]
    col_id = _pick(draw, fields)
    area = _pick(draw, ["county", "district"] if col_id in ("rank", "last_rank", "four_indicator_rank") else ["county"])
    names = COUNTIES if area == "county" else DISTRICTS
    rows = [r for r in grid.data_rows() if grid.value(r, "unit") in names and (r, col_id) not in grid.frozen]
    first, second = draw(st.lists(st.sampled_from(rows), min_size=2, max_size=2, unique=True))
    grid.set(second, col_id, grid.value(first, col_id))
    grid.frozen.add((first, col_id))
    return Expect(grid, grid.column(col_id).header, cells=[(first, col_id), (second, col_id)])


def remove_required_header(draw: Draw, book: Book) -> Expect:
    grid = _pick(draw, book.known())
    col_id = _pick(draw, [c.field for c in grid.spec.columns if c.required and c.field in grid.cols])
    grid.header[grid.col(col_id)] = draw(st.sampled_from([None, "", "列3", "名字", "数值"]))
    grid.frozen.add((None, col_id))
    return Expect(grid, f"缺少必填列「{grid.column(col_id).header}」", missing=True)


def short_total(draw: Draw, book: Book) -> Expect:
    """总票数 below the sum of the four vote columns."""
    grid = book.grid(schema.CADRES.name)
    rows = [
        r
        for r in grid.data_rows()
        if grid.value(r, "votes_total") is not None
        and all(
            (r, f) not in grid.frozen
            for f in ("votes_total", "votes_excellent", "votes_competent", "votes_basic", "votes_incompetent")
        )
    ]
    row_id = _pick(draw, rows)
    cast = sum(
        grid.value(row_id, f) for f in ("votes_excellent", "votes_competent", "votes_basic", "votes_incompetent")
    )
    grid.set(row_id, "votes_total", cast - draw(st.integers(1, 5)))
    return Expect(grid, "总票数", cells=[(row_id, "votes_total")])


def merged_body_cells(draw: Draw, book: Book) -> Expect:
    """Cells of a known column merged over 2-4 body rows (类别 or 单位 merged the way printed reports are)."""
    grid = _pick(draw, [g for g in book.known() if len(g.data_rows()) >= 2])
    col_id = _pick(draw, [c for c in grid.cols if c in {col.field for col in grid.spec.columns}])
    merge = (_pick(draw, grid.data_rows()), draw(st.integers(2, 4)), col_id)
    grid.body_merges.append(merge)
    grid.frozen.add((None, col_id))
    return Expect(grid, "合并单元格", merge=merge)


def unsaved_formula(draw: Draw, book: Book) -> Expect:
    """A number computed by a formula whose result was never saved (a file written by a program):
    calamine reads it as empty, so it must not pass as blank."""
    grid, row_id, col_id = _pick(draw, _field_cells(book, (schema.Kind.DECIMAL, schema.Kind.COUNT, schema.Kind.RANK)))
    grid.set(row_id, col_id, f"={grid.value(row_id, col_id)}+0")
    return Expect(grid, "公式", cells=[(row_id, col_id)])


def second_sheet(draw: Draw, book: Book) -> Expect:
    """The same table on two tabs (目标责任考核 and 目标责任 考核): which one counts is for the user to say."""
    grid = _pick(draw, book.known())
    twin = copy.deepcopy(grid)
    twin.name = grid.name[:2] + " " + grid.name[2:]
    twin.shadow = True
    book.grids.insert(draw(st.integers(0, len(book.grids))), twin)
    return Expect(grid, "请删除或改名", sheet_of=[grid, twin], book=book)


def hidden_sheet(draw: Draw, book: Book) -> Expect:
    grid = _pick(draw, book.known())
    grid.hidden = True
    return Expect(grid, "隐藏", sheet_of=[grid], book=book)


def renamed_sheet(draw: Draw, book: Book) -> Expect:
    """A known table under a tab name the reader does not know (目标责任考核 saved as 考核结果1)."""
    grid = _pick(draw, book.known())
    grid.name = draw(st.sampled_from(["考核结果1", "2023年数据", "Sheet2"]))
    return Expect(grid, "改名为", sheet_of=[grid], book=book)


HARMFUL = [
    blank_required,
    junk_number,
    bad_count,
    bad_choice,
    bad_date,
    duplicate_unit,
    duplicate_header,
    duplicate_rank,
    remove_required_header,
    short_total,
    merged_body_cells,
    unsaved_formula,
    second_sheet,
    hidden_sheet,
    renamed_sheet,
]


def harmful(draw: Draw, book: Book) -> list[Expect]:
    """One or two harmful damages, on different sheets so they cannot mask each other."""
    expects: list[Expect] = []
    chosen = [HARMFUL[i] for i in draw(st.lists(st.sampled_from(range(len(HARMFUL))), min_size=1, max_size=2))]
    if renamed_sheet in chosen and {second_sheet, hidden_sheet} & set(chosen):
        # The reader settles which tab is which table first: while two tabs claim one table or one is
        # hidden, it does not go on to guess what an unknown tab holds.
        raise _Overlap
    for damage in chosen:
        expect = damage(draw, book)
        if any(e.grid is expect.grid for e in expects):
            raise _Overlap
        expects.append(expect)
    return expects


class _Overlap(Exception):
    """Two harmful damages landed on one sheet; the caller rejects the example."""


Overlap = _Overlap
