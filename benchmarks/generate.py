"""Synthetic year workbooks at province, national and max scale, for the benchmarks.

Each scale is three consecutive years (the first two go into a history store, the last is the year
assessed), deterministic from the seed: the same seed and scale give the same bytes. The workbooks
follow README「输入」 the way real exports do: a merged title row above each header, Chinese names, every
sheet the rules read (目标责任考核, 县域监测, 脱贫攻坚, 干部, 责任认定, 容错认定, 调整记录), and
cross-year columns (上年名次, 上年考核等次) that agree with the earlier years, so the tool runs through
rather than stopping on a conflict.

Run: python benchmarks/generate.py province [--seed S] [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
DEFAULT_SEED = "sanshi-bench-v1"
YEARS = (2021, 2022, 2023)


@dataclass(frozen=True)
class Scale:
    name: str
    counties: int  # rows of 县域监测 and 脱贫攻坚 (about a quarter are 城区)
    cities: int  # 设区市 in 目标责任考核
    departments: int  # 省级部门 in 目标责任考核
    cadres: int  # rows of 干部


SCALES = {
    "province": Scale("province", counties=110, cities=12, departments=138, cadres=20_000),
    "national": Scale("national", counties=2_900, cities=330, departments=1_170, cadres=200_000),
    "max": Scale("max", counties=2_900, cities=330, departments=1_170, cadres=1_000_000),
    # A large province (183 counties, 21 cities, as Sichuan): about 1,000 documents for `sanshi notices`.
    "notices": Scale("notices", counties=183, cities=21, departments=160, cadres=52_000),
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚文华辉鹏斌宇浩凯健俊帆旭宁林玲婷燕琳雪晨晓立志新海波峰"
PLACE = "云青白松柳石金玉碧清丹翠蓝银桃梅兰竹杏枫桂槐柏荷芦鹤雁鹿龙星月霞晴雪明溪川河源原塬岭峰泉湖湾林坪山谷桥滩洲台亭渡关庄阳水城宁丰乐"
DEPARTMENT_WORDS = (
    "发展和改革委员会",
    "教育厅",
    "科学技术厅",
    "工业和信息化厅",
    "民政厅",
    "财政厅",
    "人力资源和社会保障厅",
    "自然资源厅",
    "生态环境厅",
    "住房和城乡建设厅",
    "交通运输厅",
    "水利厅",
    "农业农村厅",
    "商务厅",
    "文化和旅游厅",
    "卫生健康委员会",
    "应急管理厅",
    "审计厅",
    "市场监督管理局",
    "统计局",
    "林业局",
    "医疗保障局",
)
HEADERS = {
    "目标责任考核": ["单位", "类别", "综合得分", "等次", "不得评优", "考核人数"],
    "县域监测": [
        "县区",
        "类型",
        "名次",
        "上年名次",
        "综合得分",
        "现代农业名次",
        "新型工业名次",
        "生态建设名次",
        "四项指标排位",
    ],
    "脱贫攻坚": ["单位", "综合得分", "等次", "完成年度计划", "通报批评", "批评机关", "问题严重", "数字脱贫"],
    "干部": [
        "干部编号",
        "姓名",
        "单位",
        "职务",
        "岗位类别",
        "年度考核等次",
        "上年考核等次",
        "优秀票",
        "称职票",
        "基本称职票",
        "不称职票",
        "总票数",
    ],
    "责任认定": ["单位", "领域", "等级", "日期", "通报", "说明", "层级"],
    "容错认定": ["单位", "文号", "姓名", "情形", "认定日期", "范围"],
    "调整记录": ["姓名", "单位", "调整方式", "决定日期", "干部编号"],
}
GRADES = ("优秀", "称职", "基本称职", "不称职")
GRADE_WEIGHTS = (14, 82, 3, 1)
VOTERS = 40


def unit_names(scale: Scale, rnd: random.Random) -> tuple[list[str], list[str], list[str], list[str]]:
    """Unique counties, districts, cities and departments (three-character place names where two run out)."""
    places = [a + b for a in PLACE for b in PLACE if a != b]
    rnd.shuffle(places)
    needed = scale.counties + scale.cities + scale.departments
    if needed > len(places):
        longer = sorted({a + b + c for a in PLACE[:24] for b in PLACE for c in PLACE[24:] if len({a, b, c}) == 3})
        places += rnd.sample(longer, needed - len(places))
    districts_n = scale.counties // 4
    counties = [p + "县" for p in places[: scale.counties - districts_n]]
    districts = [p + "区" for p in places[scale.counties - districts_n : scale.counties]]
    cities = [p + "市" for p in places[scale.counties : scale.counties + scale.cities]]
    departments = [
        f"{p}省{DEPARTMENT_WORDS[i % len(DEPARTMENT_WORDS)]}"
        for i, p in enumerate(places[scale.counties + scale.cities : scale.counties + scale.cities + scale.departments])
    ]
    return counties, districts, cities, departments


def distinct_scores(rnd: random.Random, n: int, low: int = 7000, high: int = 9990) -> list[float]:
    """n different scores with two decimals: ties at the 35% cut would stop the run, as they should."""
    return [c / 100 for c in rnd.sample(range(low, high), n)]


def ranking(rnd: random.Random, previous: list[str] | None, names: list[str]) -> list[str]:
    """This year's order: last year's with local moves, so 争先进位 and 退位 both occur."""
    if previous is None:
        order = names[:]
        rnd.shuffle(order)
        return order
    keyed = [(i + rnd.gauss(0, max(2.0, len(previous) / 12)), name) for i, name in enumerate(previous)]
    return [name for _, name in sorted(keyed)]


@dataclass
class Cadre:
    cadre_id: str
    name: str
    unit: str
    position: str
    role: str


def cadre_pool(scale: Scale, units: list[tuple[str, str]], rnd: random.Random) -> list[Cadre]:
    """The cadres of the first year: two leaders and a few deputies per unit, the rest 其他."""
    pool: list[Cadre] = []
    per_unit, extra = divmod(scale.cadres, len(units))
    for index, (unit, kind) in enumerate(units):
        head = {
            "county": ("县委书记", "县长"),
            "district": ("区委书记", "区长"),
            "city": ("市委书记", "市长"),
            "department": ("党组书记", "厅长"),
        }[kind]
        for k in range(per_unit + (1 if index < extra else 0)):
            if k < 2:
                position, role = head[k], "主要负责人"
            elif k < 6:
                position, role = (
                    ("副县长", "副区长", "副市长", "副厅长")[("county", "district", "city", "department").index(kind)],
                    "分管领导",
                )
            else:
                position, role = rnd.choice(("科长", "副科长", "主任科员", "科员", "办公室主任")), "其他"
            name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2, 2))))
            pool.append(Cadre(f"G{len(pool) + 1:07d}", name, unit, position, role))
    return pool


def votes(rnd: random.Random, grade: str) -> tuple[int, int, int, int, int]:
    bad = {"优秀": 0, "称职": rnd.choice((0, 0, 1, 2)), "基本称职": rnd.randint(4, 13), "不称职": rnd.randint(10, 20)}[
        grade
    ]
    incompetent = bad // 4
    basic = bad - incompetent
    abstain = rnd.choice((0, 0, 0, 1))
    excellent = rnd.randint(10, VOTERS - bad - abstain) if grade != "不称职" else 0
    competent = VOTERS - bad - abstain - excellent
    return excellent, competent, basic, incompetent, VOTERS


def build(scale: Scale, seed: str) -> dict[int, dict[str, list[list[object]]]]:
    """Rows of every sheet for every year."""
    rnd = random.Random(f"{seed}/{scale.name}")
    counties, districts, cities, departments = unit_names(scale, rnd)
    area = counties + districts
    units = (
        [(u, "county") for u in counties]
        + [(u, "district") for u in districts]
        + [(u, "city") for u in cities]
        + [(u, "department") for u in departments]
    )
    pool = cadre_pool(scale, units, rnd)
    books: dict[int, dict[str, list[list[object]]]] = {}
    orders: dict[str, list[str] | None] = {"县": None, "城区": None}
    last_grade: dict[str, str] = {}
    for year in YEARS:
        rnd = random.Random(f"{seed}/{scale.name}/{year}")
        sheets: dict[str, list[list[object]]] = {}
        staff: dict[str, int] = {}
        cadre_rows = []
        for cadre in pool:
            # Moved to another unit this year (干部编号 follows the person). A unit's two 主要负责人 stay, and are never
            # graded 基本称职 or below: so each county has two heads, both held or neither, and the 7(3) list of 10
            # heads never has one county's two heads tied on its line (which stops promotions, as the rule says).
            head = cadre.role == "主要负责人"
            if rnd.random() < 0.03 and not head:
                cadre.unit = rnd.choice(units)[0]
            grade = rnd.choices(GRADES, GRADE_WEIGHTS)[0]
            if head and grade in ("基本称职", "不称职"):
                grade = "称职"
            staff[cadre.unit] = staff.get(cadre.unit, 0) + 1
            cadre_rows.append(
                [
                    cadre.cadre_id,
                    cadre.name,
                    cadre.unit,
                    cadre.position,
                    cadre.role,
                    grade,
                    last_grade.get(cadre.cadre_id),
                    *votes(rnd, grade),
                ]
            )
            last_grade[cadre.cadre_id] = grade
        sheets["干部"] = cadre_rows

        target = []
        for group, names in (("设区市", cities), ("省级部门", departments)):
            for unit, score in zip(names, distinct_scores(rnd, len(names))):
                preset = "一般" if rnd.random() < 0.03 else None
                barred = "发生一票否决事项" if preset is None and rnd.random() < 0.02 else None
                target.append([unit, group, score, preset, barred, staff.get(unit, 0)])
        sheets["目标责任考核"] = target

        monitoring = []
        for label, names in (("县", counties), ("城区", districts)):
            previous = orders[label]
            order = ranking(rnd, previous, names)
            last_rank = {name: i for i, name in enumerate(previous, start=1)} if previous else {}
            subs = [ranking(rnd, None, names) for _ in range(4 if label == "县" else 1)]
            sub_rank = [{name: i for i, name in enumerate(s, start=1)} for s in subs]
            scores = sorted(distinct_scores(rnd, len(names), 6000, 9800), reverse=True)
            for rank, (name, score) in enumerate(zip(order, scores), start=1):
                if label == "县":
                    extra = [sub_rank[0][name], sub_rank[1][name], sub_rank[2][name], sub_rank[3][name]]
                else:
                    extra = [None, None, None, sub_rank[0][name]]
                monitoring.append([name, label, rank, last_rank.get(name), score, *extra])
            orders[label] = order
        sheets["县域监测"] = monitoring

        poverty = []
        for name, score in zip(area, distinct_scores(rnd, len(area))):
            grade = "一般" if rnd.random() < 0.02 else None
            plan = "否" if rnd.random() < 0.01 else "是"
            # A criticism names who criticised and how seriously, as the 能下 clause 第十条第(二)项 needs.
            criticized = rnd.random() < 0.005
            poverty.append(
                [
                    name,
                    score,
                    grade,
                    plan,
                    "因脱贫攻坚工作不力受到省委、省政府通报批评" if criticized else None,
                    "省委、省政府" if criticized else None,
                    "是" if criticized else None,
                    None,
                ]
            )
        sheets["脱贫攻坚"] = poverty

        findings, tolerance, adjustments = [], [], []
        for unit, kind in rnd.sample(units, max(3, len(units) // 60)):
            tier = {"county": "县", "district": "县", "city": "市", "department": "省级部门"}[kind]
            findings.append(
                [
                    unit,
                    "安全生产",
                    rnd.choice(("较大", "一般", "三级(较大)")),
                    date(year, rnd.randint(1, 12), rnd.randint(1, 28)),
                    "省安委会办公室",
                    "一起生产安全责任事故",
                    tier,
                ]
            )
        # 容错认定 for some of the cadres whose votes fire 能下 8(2) (基本称职+不称职 at 30% or more)
        poorly_voted = [row for row in cadre_rows if (row[9] + row[10]) * 10 >= row[11] * 3]
        for row in rnd.sample(poorly_voted, min(len(poorly_voted), max(2, len(pool) // 2000))):
            tolerance.append(
                [
                    row[2],
                    f"组容〔{year}〕{len(tolerance) + 1}号",
                    row[1],
                    "(八)",
                    date(year, 12, rnd.randint(1, 28)),
                    "民主测评",
                ]
            )
        for cadre in rnd.sample([c for c in pool if c.role != "主要负责人"], max(2, len(pool) // 2000)):
            adjustments.append(
                [
                    cadre.name,
                    cadre.unit,
                    rnd.choice(("调离岗位", "改任非领导职务", "免职", "降职")),
                    date(year, rnd.randint(1, 12), rnd.randint(1, 28)),
                    cadre.cadre_id,
                ]
            )
        sheets["责任认定"], sheets["容错认定"], sheets["调整记录"] = findings, tolerance, adjustments
        books[year] = sheets
    return books


def write_book(path: Path, year: int, sheets: dict[str, list[list[object]]], constant_memory: bool) -> None:
    """One workbook as WPS/Excel would save it: a merged title row, the header, the rows, text in the shared
    string table (as Excel and WPS write it; `constant_memory`, for the max scale, writes it inline)."""
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": constant_memory,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    workbook.set_properties(
        {
            "title": f"{year}年度考核数据(基准测试用模拟数据)",
            "author": "sanshi benchmarks",
            "created": datetime(year, 12, 31),
        }
    )
    title = workbook.add_format({"bold": True, "font_size": 14, "align": "center"})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name, headers in HEADERS.items():
        sheet = workbook.add_worksheet(name)
        sheet.merge_range(0, 0, 0, len(headers) - 1, f"{year}年度{name}结果(模拟数据)", title)
        sheet.write_row(1, 0, headers, header)
        for r, row in enumerate(sheets[name], start=2):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, date):
                    sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
                else:
                    sheet.write_number(r, c, value)
        sheet.set_column(0, len(headers) - 1, 14)
    workbook.close()


def generate(scale_name: str, out: Path, seed: str = DEFAULT_SEED) -> dict[int, Path]:
    """Write the three years of a scale under out/<scale>/ (kept between runs: same seed, same files)."""
    scale = SCALES[scale_name]
    folder = out / scale_name
    paths = {year: folder / f"{year}.xlsx" for year in YEARS}
    stamp = folder / "made-by.txt"  # the seed, the scale and this generator's own hash: any change regenerates
    made_by = f"{seed}\n{scale}\n{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}\n"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == made_by and all(p.exists() for p in paths.values()):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    for year, sheets in build(scale, seed).items():
        write_book(paths[year], year, sheets, constant_memory=scale.cadres > 300_000)
    stamp.write_text(made_by, encoding="utf-8")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", choices=sorted(SCALES))
    parser.add_argument("--seed", default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=HERE / "data")
    args = parser.parse_args()
    for year, path in generate(args.scale, args.out, args.seed).items():
        print(f"{year}: {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
