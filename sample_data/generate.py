#!/usr/bin/env python3
"""Generate the simulated sample data in sample_data/ (模拟数据, no real place or person).

    python sample_data/generate.py

rewrites 2021.xlsx, 2022.xlsx, 2023.xlsx, local-pack.toml and README.md. Every random
choice comes from fixed string seeds and the xlsx zip entries get fixed timestamps, so
a rerun produces byte-identical files. At the end the workbooks are read back with
python-calamine (the reader sanshi uses) and the invariants the tests rely on are
asserted: unique ranks, 上年名次/上年考核等次 equal to the previous file, the single
designed tie at the 35% cut (2023 省级部门, resolved by 排序) and the 2023 county
monitoring cases (ordinary first place, first-ever entries, a floored amount, equal
improvements straddling places 10/11 of the 争先进位 ranking), and the 能下 cases of 2023
(8(1)-8(3) incl. an undeterminable newcomer, 9(1)/9(2), 10(1)-10(4), the impact periods of
the 调整记录 sheets of 2021-2023), and the 责任认定 sheets of 2022 and 2023 (6, 8(4), 11, 12(1),
12(2), 13(1), 13(2), each firing for the designed units only, with boundary rows that do not).
The 能下 additions of add_demotion_cases use their own random stream and add_findings draws
none, so the awards data drawn before them are unchanged.

Needs openpyxl and python-calamine only; does not import sanshi.
"""

from __future__ import annotations

import io
import random
import re
import tomllib
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
YEARS = (2021, 2022, 2023)
SEED = "sanshi-sample-data-v1"
DISCLAIMER = "本工作簿为模拟数据,仅用于演示和测试,不代表任何真实地区或个人"
TOP_COUNTIES, TOP_DISTRICTS, IMPROVEMENT_COUNTIES = 10, 5, 10
RATIO = Fraction(35, 100)
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
CORE_TIME = b"2024-01-01T00:00:00Z"

# ---------------------------------------------------------------------------
# Names (all invented)
# ---------------------------------------------------------------------------

CITIES = [
    "秦川市",
    "渭北市",
    "云岭市",
    "青原市",
    "金塬市",
    "玉川市",
    "凤鸣市",
    "柳湾市",
    "松涛市",
    "长河市",
    "明月市",
    "星岭市",
]

DEPARTMENTS = [
    "省发展改革委",
    "省教育厅",
    "省科技厅",
    "省工业和信息化厅",
    "省民族宗教委",
    "省公安厅",
    "省民政厅",
    "省司法厅",
    "省财政厅",
    "省人力资源社会保障厅",
    "省自然资源厅",
    "省生态环境厅",
    "省住房城乡建设厅",
    "省交通运输厅",
    "省水利厅",
    "省农业农村厅",
    "省商务厅",
    "省文化和旅游厅",
    "省卫生健康委",
    "省退役军人事务厅",
    "省应急管理厅",
    "省审计厅",
    "省外事办",
    "省国资委",
    "省市场监管局",
    "省广电局",
    "省体育局",
    "省统计局",
    "省医保局",
    "省林业局",
    "省乡村振兴局",
    "省信访局",
    "省机关事务管理局",
    "省粮食和物资储备局",
    "省能源局",
    "省药监局",
    "省地方金融监管局",
    "省知识产权局",
    "省文物局",
    "省中医药管理局",
]

# Real county-level and prefecture names of Shaanxi (stems), never to be generated.
REAL_SHAANXI = set(
    "西安 宝鸡 咸阳 铜川 渭南 延安 榆林 汉中 安康 商洛 杨凌 杨陵 "
    "新城 碑林 莲湖 灞桥 未央 雁塔 阎良 临潼 长安 高陵 鄠邑 户县 蓝田 周至 "
    "王益 印台 耀州 耀县 宜君 渭滨 金台 陈仓 凤翔 岐山 扶风 眉县 陇县 千阳 麟游 凤县 太白 "
    "秦都 渭城 三原 泾阳 乾县 礼泉 永寿 长武 旬邑 淳化 武功 兴平 彬州 彬县 "
    "临渭 华州 华县 潼关 大荔 合阳 澄城 蒲城 白水 富平 韩城 华阴 "
    "宝塔 安塞 延长 延川 志丹 吴起 甘泉 富县 洛川 宜川 黄龙 黄陵 子长 "
    "汉台 南郑 城固 洋县 西乡 勉县 宁强 略阳 镇巴 留坝 佛坪 "
    "榆阳 横山 府谷 靖边 定边 绥德 米脂 佳县 吴堡 清涧 子洲 神木 "
    "汉滨 汉阴 石泉 宁陕 紫阳 岚皋 平利 镇坪 白河 旬阳 "
    "商州 洛南 丹凤 商南 山阳 镇安 柞水".split()
)
PLACE_FIRST = "云青白松柳石金玉碧清丹翠蓝银桃梅兰竹杏枫桂槐柏荷芦鹤雁鹿龙星月霞晴雪明"
PLACE_SECOND = "溪川河源原塬岭峰泉湖湾林坪山谷桥滩洲台亭渡关庄阳水城宁丰乐"
FIXED_COUNTIES = ["云溪县", "青山县"]
FIXED_DISTRICTS = ["白鹿原区"]
N_COUNTIES, N_DISTRICTS, N_COUNTY_CITIES = 80, 25, 6

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万严武戴孔汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚文华辉鹏斌宇浩凯健俊帆旭宁林玲婷燕琳雪晨晓立志新海波峰"
    "成荣庆红卫东亮鑫宏颖慧博毅梅瑞嘉倩欣睿远航蕾振国建中永春秋岚静怡诚哲锋彬琦"
)


def rng_for(part: str, attempt: int = 0) -> random.Random:
    """An independent, reproducible random stream per part of the data."""
    return random.Random(f"{SEED}:{part}:{attempt}")


def make_places() -> tuple[list[str], list[str], dict[str, str]]:
    """80 counties (6 of them county-level 市), 25 districts, and the 类型 label written for each."""
    rng = rng_for("places")
    taken = {c[:-1] for c in CITIES} | {n[:-1] for n in FIXED_COUNTIES + FIXED_DISTRICTS} | {"白鹿"}
    stems: list[str] = []
    while len(stems) < N_COUNTIES + N_DISTRICTS - len(FIXED_COUNTIES) - len(FIXED_DISTRICTS):
        stem = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)
        if stem in REAL_SHAANXI or stem in taken or stem[0] == stem[1]:
            continue
        taken.add(stem)
        stems.append(stem)
    n_new_counties = N_COUNTIES - len(FIXED_COUNTIES)
    county_stems, district_stems = stems[:n_new_counties], stems[n_new_counties:]
    counties = FIXED_COUNTIES + [s + ("市" if i < N_COUNTY_CITIES else "县") for i, s in enumerate(county_stems)]
    districts = FIXED_DISTRICTS + [s + "区" for s in district_stems]
    labels = {name: "县（市）" for name in counties}
    for name in rng.sample([c for c in counties if c.endswith("县")], 12):
        labels[name] = "县"
    labels.update({name: "城区" for name in districts})
    for name in rng.sample(districts, 4):
        labels[name] = "区"
    return counties, districts, labels


class NameMaker:
    """Unique fictional personal names: a common surname and one or two given-name characters."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def new(self) -> str:
        while True:
            given = "".join(self.rng.choice(GIVEN) for _ in range(1 if self.rng.random() < 0.3 else 2))
            name = self.rng.choice(SURNAMES) + given
            if name not in self.used and len(set(given)) == len(given):
                self.used.add(name)
                return name


# ---------------------------------------------------------------------------
# Shared analysis (used while generating and again on the files read back)
# ---------------------------------------------------------------------------


def cut(rows: list[dict]) -> dict:
    """The 35% cut of one group: quota, eligible pool (score desc) and the two scores around the cut."""
    quota = (len(rows) * RATIO.numerator) // RATIO.denominator
    pool = [r for r in rows if not r.get("等次") and not r.get("不得评优")]
    pool.sort(key=lambda r: (-r["cents"], r.get("排序") or 0))
    return {"quota": quota, "pool": pool, "at_cut": pool[quota - 1]["cents"], "after_cut": pool[quota]["cents"]}


def improvement_ranking(last: dict[str, int], now: dict[str, int]) -> list[tuple[int, int, str]]:
    """(improvement, current 名次, name) for improvement > 0, largest first, ties by better 名次."""
    rows = [(last[u] - now[u], now[u], u) for u in now if u in last and last[u] - now[u] > 0]
    return sorted(rows, key=lambda t: (-t[0], t[1]))


def monitoring_cases(r21: dict[str, int], r22: dict[str, int], r23: dict[str, int], top: int) -> dict:
    """The 2023 award situations of one ranking (counties or districts)."""
    top23 = sorted((u for u in r23 if r23[u] <= top), key=r23.get)
    first = top23[0]
    first_ever = [u for u in top23 if r21[u] > top and r22[u] > top]
    others = [u for u in top23 if u != first and u not in first_ever]
    amounts = {u: 50 + 10 * (r22[u] - r23[u]) for u in others}
    return {
        "top": top23,
        "first": first,
        "first_was_top": r22[first] <= top or r21[first] <= top,
        "first_ever": first_ever,
        "amounts": amounts,
        "floored": [u for u in others if amounts[u] < 0],
        "risers": [u for u in others if r22[u] - r23[u] >= 4],
        "fallers": [u for u in others if 0 < r23[u] - r22[u] <= 4],
        "improvement": improvement_ranking(r22, r23),
    }


def county_cases_ok(c: dict) -> bool:
    imp = [t[0] for t in c["improvement"]]
    return (
        c["first_was_top"]
        and len(c["first_ever"]) == 1
        and len(c["floored"]) == 1
        and c["risers"]
        and c["fallers"]
        and len(imp) >= 12
        and imp[8] > imp[9] == imp[10] > imp[11]
    )


def district_cases_ok(d: dict) -> bool:
    return len(d["first_ever"]) == 1 and len(d["improvement"]) >= 5


def largest_declines(last: dict[str, int], now: dict[str, int], places: int) -> list[str]:
    """Places whose decline (名次 - 上年名次 > 0) is competition-ranked within the first `places`."""
    declines = {u: now[u] - last[u] for u in now if u in last and now[u] - last[u] > 0}
    ranked = {u: 1 + sum(v > d for v in declines.values()) for u, d in declines.items()}
    return sorted((u for u in declines if ranked[u] <= places), key=lambda u: (-declines[u], now[u]))


def repeated_decline(r21: dict[str, int], r22: dict[str, int], r23: dict[str, int]) -> list[str]:
    """Counties among the 3 largest declines in both 2022 and 2023 (能下 9(1))."""
    both = set(largest_declines(r21, r22, 3)) & set(largest_declines(r22, r23, 3))
    return [u for u in largest_declines(r22, r23, 3) if u in both]


def bad_ratio(row: dict) -> Fraction:
    return Fraction(row["基本称职票"] + row["不称职票"], row["总票数"])


# ---------------------------------------------------------------------------
# 县域监测
# ---------------------------------------------------------------------------


def walk(order: list[str], rng: random.Random) -> list[str]:
    """Next year's order: each place moves by a small random step, a few by a large one."""
    keyed = []
    for i, name in enumerate(order):
        step = rng.gauss(0, 12) if rng.random() < 0.06 else rng.gauss(0, 3)
        keyed.append((i + step, i, name))
    keyed.sort()
    return [name for _, _, name in keyed]


def insert_at(order: list[str], plan: dict[int, str]) -> list[str]:
    """Put planned places at exact 1-based ranks, the rest keeping their order."""
    result = list(order)
    for rank in sorted(plan):
        result.insert(rank - 1, plan[rank])
    return result


@dataclass
class Monitoring:
    counties: list[str]
    districts: list[str]
    labels: dict[str, str]
    orders: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # year -> ranking -> names by rank
    scores: dict[int, dict[str, float]] = field(default_factory=dict)

    def rank(self, year: int, ranking: str) -> dict[str, int]:
        return {u: i + 1 for i, u in enumerate(self.orders[year][ranking])}


def build_monitoring(counties: list[str], districts: list[str], labels: dict[str, str]) -> Monitoring:
    for attempt in range(5000):
        rng = rng_for("monitoring", attempt)
        c21 = list(counties)
        rng.shuffle(c21)
        c22 = walk(c21, rng)
        d21 = list(districts)
        rng.shuffle(d21)
        d22 = walk(d21, rng)
        newcomers = [u for u in c22[11:18] if u not in c21[:TOP_COUNTIES]]
        d_newcomers = [u for u in d22[5:10] if u not in d21[:TOP_DISTRICTS]]
        if not newcomers or not d_newcomers:
            continue
        # 2022 rank 4 -> 1 (ordinary first place), 8 -> 2 (riser), 3 -> 6 (faller),
        # rank 12..18 -> 7 (first-ever entry), 1 -> 9 (fall of 8: 50 - 80 < 0, floored).
        plan = {1: c22[3], 2: c22[7], 6: c22[2], 7: rng.choice(newcomers), 9: c22[0]}
        c23 = insert_at(walk([u for u in c22 if u not in plan.values()], rng), plan)
        d_plan = {4: rng.choice(d_newcomers)}
        d23 = insert_at(walk([u for u in d22 if u not in d_plan.values()], rng), d_plan)
        ranks = {y: {u: i + 1 for i, u in enumerate(o)} for y, o in ((2021, c21), (2022, c22), (2023, c23))}
        dranks = {y: {u: i + 1 for i, u in enumerate(o)} for y, o in ((2021, d21), (2022, d22), (2023, d23))}
        if not county_cases_ok(monitoring_cases(ranks[2021], ranks[2022], ranks[2023], TOP_COUNTIES)):
            continue
        if not district_cases_ok(monitoring_cases(dranks[2021], dranks[2022], dranks[2023], TOP_DISTRICTS)):
            continue
        if len(repeated_decline(ranks[2021], ranks[2022], ranks[2023])) != 1:
            continue
        break
    else:
        raise SystemExit("no monitoring layout satisfies the designed cases; change SEED")
    mon = Monitoring(counties, districts, labels)
    main = {2021: (c21, d21), 2022: (c22, d22), 2023: (c23, d23)}
    sub = {}
    for ranking, pool in (
        ("agriculture", counties),
        ("industry", counties),
        ("ecology", counties),
        ("four_county", counties),
        ("four_district", districts),
    ):
        order = list(pool)
        rng.shuffle(order)
        sub[ranking] = {2021: order}
        for year in YEARS[1:]:
            order = walk(order, rng)
            sub[ranking][year] = order
    for year in YEARS:
        mon.orders[year] = {"county": main[year][0], "district": main[year][1]}
        mon.orders[year].update({k: v[year] for k, v in sub.items()})
        mon.scores[year] = {}
        for ranking, top_score in (("county", 92.0), ("district", 94.0)):
            cents = round((top_score + rng.uniform(-1.5, 1.5)) * 100)
            for name in mon.orders[year][ranking]:
                mon.scores[year][name] = cents / 100
                cents -= rng.randint(5, 70 if ranking == "county" else 90)
    return mon


# ---------------------------------------------------------------------------
# 目标责任考核
# ---------------------------------------------------------------------------


@dataclass
class Target:
    rows: dict[int, list[dict]]  # year -> rows in roster order
    notes: dict[str, object]


def unique_cents(value: int, used: set[int]) -> int:
    while value in used:
        value -= 1
    used.add(value)
    return value


def build_target() -> Target:
    rng = rng_for("target")
    groups = {"设区市": CITIES, "省级部门": DEPARTMENTS}
    strength = {u: rng.uniform(84.0, 95.5) for g in groups.values() for u in g}
    staff = {u: rng.randint(18, 77) for g in groups.values() for u in g}

    def by_strength(units: list[str]) -> list[str]:
        return sorted(units, key=lambda u: -strength[u])

    low_depts, high_depts = by_strength(DEPARTMENTS)[-14:], by_strength(DEPARTMENTS)[:8]
    low_cities, high_cities = by_strength(CITIES)[-6:], by_strength(CITIES)[:3]
    a, b, c, twice, e = rng.sample(low_depts, 5)
    x, y, z = rng.sample(low_cities, 3)
    no_exc_2022, no_exc_2023 = rng.sample(high_depts, 2)
    presets = {
        2021: {a: "一般", x: "一般", b: "较差"},
        2022: {c: "一般", twice: "一般", y: "较差"},
        2023: {twice: "一般", z: "一般", e: "较差"},
    }
    no_excellent = {
        2021: {rng.choice(high_cities): "发生较大生产安全责任事故"},
        2022: {no_exc_2022: "受到省委通报批评"},
        2023: {no_exc_2023: "发生一票否决事项"},
    }
    rows: dict[int, list[dict]] = {}
    notes: dict[str, object] = {
        "twice_ordinary": twice,
        "poor_2023": e,
        "ordinary_2023_city": z,
        "no_excellent_2023": no_exc_2023,
    }
    for year in YEARS:
        year_rows = []
        for group, units in groups.items():
            used: set[int] = set()
            group_rows = []
            for unit in units:
                staff[unit] = max(15, min(80, staff[unit] + rng.randint(-3, 3)))
                row = {
                    "单位": unit,
                    "类别": group,
                    "等次": presets[year].get(unit, ""),
                    "不得评优": no_excellent[year].get(unit, ""),
                    "考核人数": staff[unit],
                    "排序": None,
                }
                if row["等次"]:
                    row["cents"] = unique_cents(rng.randint(7000, 7990), used)
                else:
                    row["cents"] = unique_cents(min(9960, round((strength[unit] + rng.gauss(0, 1.3)) * 100)), used)
                group_rows.append(row)
            for row in group_rows:
                if row["不得评优"]:  # a high scorer: second best score of the group plus a little
                    best = sorted((r["cents"] for r in group_rows if r is not row), reverse=True)
                    used.discard(row["cents"])
                    row["cents"] = unique_cents(min(9990, best[1] + rng.randint(3, 40)), used)
            if year == 2023 and group == "省级部门":
                info = cut(group_rows)
                above, below = info["pool"][info["quota"] - 1], info["pool"][info["quota"]]
                below["cents"] = above["cents"]
                first, second = rng.sample([above, below], 2)
                first["排序"], second["排序"] = 1, 2
                notes["tie"] = [first["单位"], second["单位"]]
                notes["tie_score"] = above["cents"] / 100
            year_rows.extend(group_rows)
        for row in year_rows:
            row["综合得分"] = row["cents"] / 100
        rows[year] = year_rows
    return Target(rows, notes)


# ---------------------------------------------------------------------------
# 脱贫攻坚
# ---------------------------------------------------------------------------

CRITICIZED = "因巩固脱贫攻坚成果工作不力受到省委、省政府通报批评"
# 能下 10(2) needs the body, and for 省委、省政府 that the problem is serious; a 市委 通报 never fires it.
CRITICIZED_BY, CRITICIZED_CITY = "省委、省政府", "因脱贫攻坚项目推进迟缓受到市委通报批评"


def build_poverty(counties: list[str], districts: list[str]) -> tuple[dict[int, list[dict]], dict]:
    rng = rng_for("poverty")
    chosen = set(rng.sample(counties, 44)) | set(rng.sample(districts, 6))
    units = [u for u in counties + districts if u in chosen]
    strength = {u: rng.uniform(86.0, 96.5) for u in units}
    weak = sorted(units, key=lambda u: strength[u])[:15]
    picks = rng.sample(weak, 6)
    plan = {  # year -> (unit with plan not completed, preset 较差), (unit preset 一般)
        2021: (picks[0], picks[1]),
        2022: (picks[2], picks[3]),
        2023: (picks[4], picks[5]),
    }
    rows: dict[int, list[dict]] = {}
    for year in YEARS:
        not_done, ordinary = plan[year]
        used: set[int] = set()
        year_rows = []
        for unit in units:
            row = {
                "单位": unit,
                "等次": "",
                "完成年度计划": "是",
                "通报批评": "",
                "批评机关": "",
                "问题严重": "",
                "数字脱贫": "",
            }
            if unit == not_done:
                row.update(等次="较差", 完成年度计划="否")
            elif unit == ordinary:
                row["等次"] = "一般"
                if year == 2023:
                    row.update(通报批评=CRITICIZED, 批评机关=CRITICIZED_BY, 问题严重="是")
                elif year == 2022:
                    row.update(通报批评=CRITICIZED_CITY, 批评机关="市委")
            if row["等次"]:
                row["cents"] = unique_cents(rng.randint(7500, 8300), used)
            else:
                row["cents"] = unique_cents(min(9950, round((strength[unit] + rng.gauss(0, 1.2)) * 100)), used)
            row["综合得分"] = row["cents"] / 100
            year_rows.append(row)
        rows[year] = year_rows
    return rows, {"not_done_2023": plan[2023][0], "criticized_2023": plan[2023][1]}


# ---------------------------------------------------------------------------
# 干部
# ---------------------------------------------------------------------------


def unit_slots(unit: str, kind: str) -> list[tuple[str, str]]:
    """(岗位类别, 职务) of each post a unit lists."""
    if kind == "dept":
        head, deputy = (
            ("厅长", "副厅长")
            if unit.endswith("厅")
            else (("局长", "副局长") if unit.endswith("局") else ("主任", "副主任"))
        )
        return [
            ("主要负责人", f"党组书记、{head}"),
            ("分管领导", f"党组成员、{deputy}"),
            ("分管领导", f"党组成员、{deputy}"),
            ("其他", "一级巡视员"),
            ("其他", "二级巡视员"),
        ]
    if kind == "city":
        return [
            ("主要负责人", "市委书记"),
            ("分管领导", "副市长"),
            ("分管领导", "副市长"),
            ("其他", "市政府秘书长"),
            ("其他", "市委副秘书长"),
        ]
    level = unit[-1]
    return [("主要负责人", f"{level}委书记"), ("主要负责人", f"{level}长")]


@dataclass
class Cadres:
    rows: dict[int, list[dict]]
    people: dict[str, str]  # id -> name
    cases: dict[str, object]


def votes(rng: random.Random, total: int, grade: str) -> dict[str, int]:
    """Plausible vote counts for a grade; the bad share stays below 25% for every ordinary case."""
    bad_share = {"优秀": (0.0, 0.04), "称职": (0.0, 0.10), "基本称职": (0.15, 0.24), "不称职": (0.40, 0.48)}[grade]
    exc_share = {"优秀": (0.6, 0.9), "称职": (0.2, 0.55), "基本称职": (0.03, 0.15), "不称职": (0.0, 0.05)}[grade]
    abstain = rng.randint(0, 3 if total > 40 else 1)
    bad = int(total * rng.uniform(*bad_share))
    incompetent = int(bad * rng.uniform(0.0, 0.35 if grade != "不称职" else 0.6))
    rest = total - abstain - bad
    excellent = round(rest * rng.uniform(*exc_share))
    return {
        "优秀票": excellent,
        "称职票": rest - excellent,
        "基本称职票": bad - incompetent,
        "不称职票": incompetent,
        "总票数": total,
    }


def exact_votes(total: int, basic: int, incompetent: int, abstain: int, excellent: int) -> dict[str, int]:
    return {
        "优秀票": excellent,
        "称职票": total - abstain - basic - incompetent - excellent,
        "基本称职票": basic,
        "不称职票": incompetent,
        "总票数": total,
    }


def build_cadres(mon: Monitoring, target: Target, poverty_notes: dict) -> Cadres:
    rng = rng_for("cadres")
    names = NameMaker(rng_for("names"))
    kinds = {u: "city" for u in CITIES} | {u: "dept" for u in DEPARTMENTS}
    kinds |= {u: "county" for u in mon.counties + mon.districts}
    units = list(kinds)
    slots = {u: unit_slots(u, kinds[u]) for u in units}
    people: dict[str, str] = {}

    def newcomer() -> str:
        pid = f"SX{len(people) + 1:05d}"
        people[pid] = names.new()
        return pid

    occupancy = {2021: {(u, i): newcomer() for u in units for i in range(len(slots[u]))}}

    # Scripted people sit in units kept out of the random turnover.
    special_units = set(target.notes["tie"]) | {
        target.notes["twice_ordinary"],
        target.notes["poor_2023"],
        target.notes["no_excellent_2023"],
        target.notes["ordinary_2023_city"],
    }
    plain_depts = [u for u in DEPARTMENTS if u not in special_units]
    plain_cities = [u for u in CITIES if u not in special_units]
    top_2023 = set(mon.orders[2023]["county"][:TOP_COUNTIES]) | set(mon.orders[2022]["county"][:TOP_COUNTIES])
    plain_counties = [u for u in mon.counties if u not in top_2023 and u not in poverty_notes.values()]
    u_moved_from, u_moved_to, u_nonleading, u_incompetent, u_first_bad = rng.sample(plain_depts, 5)
    c_near_miss = rng.choice(plain_cities)
    k_basic_twice, k_accidents = rng.sample(plain_counties, 2)
    locked = {
        u_moved_from,
        u_moved_to,
        u_nonleading,
        u_incompetent,
        u_first_bad,
        c_near_miss,
        k_basic_twice,
        k_accidents,
    }
    occ21 = occupancy[2021]
    p_moved = occ21[(u_moved_from, 1)]  # 2022 不称职 -> 2023-03 调离岗位, then 二级巡视员 elsewhere
    p_nonleading = occ21[(u_nonleading, 2)]  # 基本称职 2021 and 2022 -> 2023-05 改任非领导职务
    p_incompetent = occ21[(u_incompetent, 1)]  # 2023 不称职, votes 25/60 bad (不称职 10/60 > 15%)
    p_basic_twice = occ21[(k_basic_twice, 1)]  # 县长: 基本称职 2022 and 2023, votes exactly 12/40 = 30%
    p_near_miss = occ21[(c_near_miss, 2)]  # 2023 基本称职 once, votes 29/100 = 29%: not triggered
    p_first_bad = occ21[(u_first_bad, 3)]  # 2021 不称职, gone in 2022
    scripted = {
        p_moved: {2021: "称职", 2022: "不称职", 2023: "称职"},
        p_nonleading: {2021: "基本称职", 2022: "基本称职", 2023: "称职"},
        p_incompetent: {2021: "称职", 2022: "称职", 2023: "不称职"},
        p_basic_twice: {2021: "称职", 2022: "基本称职", 2023: "基本称职"},
        p_near_miss: {2021: "称职", 2022: "称职", 2023: "基本称职"},
        p_first_bad: {2021: "不称职"},
    }

    for year in YEARS[1:]:
        occ = dict(occupancy[year - 1])
        if year == 2022:
            occ[(u_first_bad, 3)] = newcomer()
        if year == 2023:
            occ[(u_moved_to, 4)] = p_moved  # the previous 二级巡视员 there retires
            occ[(u_moved_from, 1)] = newcomer()
            occ[(u_nonleading, 4)] = p_nonleading  # the previous 二级巡视员 there retires
            occ[(u_nonleading, 2)] = newcomer()
        free = [u for u in units if u not in locked]
        for unit in free:
            for i in range(len(slots[unit])):
                if rng.random() < 0.04:
                    if kinds[unit] == "county" and i == 0 and rng.random() < 0.5:
                        occ[(unit, 0)] = occ[(unit, 1)]  # the 县长 becomes 县委书记
                        occ[(unit, 1)] = newcomer()
                    else:
                        occ[(unit, i)] = newcomer()
        for kind, index in (("dept", 1), ("dept", 3), ("county", 1)):  # a few change unit
            a, b = rng.sample([u for u in free if kinds[u] == kind], 2)
            occ[(a, index)], occ[(b, index)] = occ[(b, index)], occ[(a, index)]
        occupancy[year] = occ

    rows: dict[int, list[dict]] = {}
    grades: dict[int, dict[str, str]] = {}
    for year in YEARS:
        grades[year] = {}
        totals = {u: rng.randint(60, 120) if kinds[u] != "county" else rng.randint(30, 80) for u in units}
        totals |= {k_basic_twice: 40, u_incompetent: 60, c_near_miss: 100} if year == 2023 else {}
        year_rows = []
        for unit in units:
            for i, (role, position) in enumerate(slots[unit]):
                pid = occupancy[year][(unit, i)]
                last = grades.get(year - 1, {}).get(pid, "")
                if pid in scripted:
                    grade = scripted[pid][year]
                elif rng.random() < {"优秀": 0.5, "": 0.15}.get(last, 0.09):  # stationary share about 15%
                    grade = "优秀"
                elif last != "基本称职" and rng.random() < 0.012:
                    grade = "基本称职"
                else:
                    grade = "称职"
                grades[year][pid] = grade
                total = totals[unit]
                if year == 2023 and pid == p_basic_twice:
                    vote = exact_votes(40, basic=10, incompetent=2, abstain=1, excellent=3)
                elif year == 2023 and pid == p_incompetent:
                    vote = exact_votes(60, basic=15, incompetent=10, abstain=2, excellent=2)
                elif year == 2023 and pid == p_near_miss:
                    vote = exact_votes(100, basic=26, incompetent=3, abstain=3, excellent=8)
                elif year == 2022 and pid == p_moved:
                    bad = -(-total * 36 // 100)
                    vote = exact_votes(total, basic=bad - bad // 3, incompetent=bad // 3, abstain=1, excellent=1)
                else:
                    vote = votes(rng, total, grade)
                year_rows.append(
                    {
                        "干部编号": pid,
                        "姓名": people[pid],
                        "单位": unit,
                        "职务": position,
                        "岗位类别": role,
                        "年度考核等次": grade,
                        "上年考核等次": last,
                        **vote,
                    }
                )
        rows[year] = year_rows
    cases = {
        "moved": (p_moved, people[p_moved], u_moved_from, u_moved_to),
        "nonleading": (p_nonleading, people[p_nonleading], u_nonleading),
        "incompetent_2023": (p_incompetent, people[p_incompetent], u_incompetent),
        "basic_twice": (p_basic_twice, people[p_basic_twice], k_basic_twice),
        "near_miss": (p_near_miss, people[p_near_miss], c_near_miss),
        "first_bad_2021": (p_first_bad, people[p_first_bad], u_first_bad),
        "accident_county": k_accidents,
        # New in 2023 (slot of the moved 分管领导); add_demotion_cases makes them 基本称职 (能下 8(3) 未能判定).
        "new_basic": (occupancy[2023][(u_moved_from, 1)], people[occupancy[2023][(u_moved_from, 1)]], u_moved_from),
        "scripted": frozenset(scripted),
    }
    return Cadres(rows, people, cases)


# ---------------------------------------------------------------------------
# 2023 only: 责任认定, 容错认定, 调整记录
# ---------------------------------------------------------------------------


def extra_sheets_2023(target: Target, cadres: Cadres) -> dict[str, list[dict]]:
    county = cadres.cases["accident_county"]
    city = next(u for u in CITIES if u not in (target.notes["ordinary_2023_city"], cadres.cases["near_miss"][2]))
    pid_b, name_b, unit_b = cadres.cases["basic_twice"]
    pid_m, name_m, from_m, _ = cadres.cases["moved"]
    pid_n, name_n, unit_n = cadres.cases["nonleading"]
    findings = [
        {
            "单位": county,
            "领域": "安全生产",
            "等级": "较大",
            "日期": date(2023, 4, 12),
            "发生日期": date(2023, 3, 30),
            "通报": "省安委会办公室",
            "说明": "某建材厂较大生产安全责任事故,死亡3人",
            "层级": "县",
        },
        {
            "单位": county,
            "领域": "安全生产",
            "等级": "较大",
            "日期": date(2023, 9, 27),
            "发生日期": date(2023, 9, 2),
            "通报": "省安委会办公室",
            "说明": "某在建项目较大坍塌责任事故,死亡4人",
            "层级": "县",
        },
        {
            "单位": city,
            "领域": "安全生产",
            "等级": "较大",
            "日期": date(2023, 7, 6),
            "通报": "省安委会办公室",
            "说明": "一起较大道路运输责任事故,死亡3人",
            "层级": "市",
        },
    ]
    tolerance = [
        {
            "单位": unit_b,
            "文号": "秦组容〔2023〕3号",
            "姓名": name_b,
            "情形": "(八)",
            "认定日期": date(2023, 12, 8),
            "范围": "民主测评",
            "结论": "免责",
        },
        {
            "单位": target.notes["twice_ordinary"],
            "文号": "秦组容〔2023〕5号",
            "姓名": "",
            "情形": "(六)",
            "认定日期": date(2023, 12, 15),
            "范围": "目标责任考核",
            "结论": "",
        },
    ]
    adjustments = [
        {"姓名": name_m, "单位": from_m, "调整方式": "调离岗位", "决定日期": date(2023, 3, 15), "干部编号": pid_m},
        {
            "姓名": name_n,
            "单位": unit_n,
            "调整方式": "改任非领导职务",
            "决定日期": date(2023, 5, 20),
            "干部编号": pid_n,
        },
    ]
    return {"责任认定": findings, "容错认定": tolerance, "调整记录": adjustments}


# ---------------------------------------------------------------------------
# 能下 cases added to the built rows (own random stream: the draws above stay as they were)
# ---------------------------------------------------------------------------

FRAUD = "违反贫困退出规定,虚报脱贫人口126人,搞“数字脱贫”"
IMPACT_YEARS = {"调离岗位": 1, "改任非领导职务": 1, "免职": 1, "降职": 2}  # 能下 16: 影响期
YEAR_END = date(YEARS[-1], 12, 31)


def impact_end(method: str, decided: date) -> date:
    """Last day of the impact period of an adjustment (决定日期 + N 年 - 1 天)."""
    try:
        end = decided.replace(year=decided.year + IMPACT_YEARS[method])
    except ValueError:  # 29 February
        end = date(decided.year + IMPACT_YEARS[method], 3, 1)
    return end - timedelta(days=1)


def add_demotion_cases(
    poverty: dict[int, list[dict]], poverty_notes: dict, cadres: Cadres, extra_2023: dict[str, list[dict]]
) -> dict[int, dict[str, list[dict]]]:
    """Add the 2023 能下 8(3) 未能判定, 10(3) and 10(4) cases and the 调整记录 sheets of 2021 and 2022.

    Returns the extra sheets of each year. The awards are unaffected: the changed 脱贫攻坚 units
    are outside the 2023 excellent set and the changed cadre row only changes its own grade.
    """
    rng = rng_for("demotions-extra")

    # 能下 8(3): a newcomer of 2023 (no 2022 grade) rated 基本称职, votes bad share below 25%.
    pid, _, _ = cadres.cases["new_basic"]
    row = next(r for r in cadres.rows[2023] if r["干部编号"] == pid)
    assert row["上年考核等次"] == "" and pid not in {r["干部编号"] for r in cadres.rows[2022]}
    row["年度考核等次"] = "基本称职"
    row.update(votes(rng, row["总票数"], "基本称职"))
    assert bad_ratio(row) < Fraction(1, 4)

    # 能下 10(3) 等次 差 and 10(4) 数字脱贫, both outside the excellent units and the scripted ones.
    rows = poverty[2023]
    info = cut(rows)
    excellent = {r["单位"] for r in info["pool"][: info["quota"]]}
    candidates = sorted(
        (r for r in rows if r["单位"] not in excellent and not r["等次"] and r["单位"] not in poverty_notes.values()),
        key=lambda r: r["cents"],
    )
    poor = rng.choice(candidates[:8])  # one of the weakest
    poor["等次"] = "差"
    poor["cents"] = unique_cents(rng.randint(7500, 8300), {r["cents"] for r in rows if r is not poor})
    poor["综合得分"] = poor["cents"] / 100
    fraud = rng.choice([r for r in candidates if r is not poor])
    fraud["数字脱贫"] = FRAUD
    # 容错纠错办法第九条 减责: the 10(2) unit's criticism is lessened, not exempted (it stays on the list).
    extra_2023["容错认定"].append(
        {
            "单位": poverty_notes["criticized_2023"],
            "文号": "秦组容〔2023〕7号",
            "姓名": "",
            "情形": "(六)",
            "认定日期": date(2023, 12, 20),
            "范围": "脱贫攻坚",
            "结论": "减责",
        }
    )
    info = cut(rows)
    assert {r["单位"] for r in info["pool"][: info["quota"]]} == excellent

    # 调整记录 of earlier years: 2022 降职 of the 2021 不称职 person (still in impact at the end
    # of 2023), 2021 免职 of a leader gone in 2022 (impact period over in 2022).
    pid_f, name_f, unit_f = cadres.cases["first_bad_2021"]
    ids_2022 = {r["干部编号"] for r in cadres.rows[2022]}
    gone = [
        r
        for r in cadres.rows[2021]
        if r["干部编号"] not in ids_2022
        and r["干部编号"] not in cadres.cases["scripted"]
        and r["岗位类别"] in ("主要负责人", "分管领导")
    ]
    removed = rng.choice(gone)
    demoted = {"姓名": name_f, "单位": unit_f, "调整方式": "降职", "决定日期": date(2022, 3, 10), "干部编号": pid_f}
    dismissed = {
        "姓名": removed["姓名"],
        "单位": removed["单位"],
        "调整方式": "免职",
        "决定日期": date(2021, 6, 18),
        "干部编号": removed["干部编号"],
    }
    assert impact_end("降职", demoted["决定日期"]) >= YEAR_END > impact_end("免职", dismissed["决定日期"])
    return {2021: {"调整记录": [dismissed]}, 2022: {"调整记录": [demoted]}, 2023: extra_2023}


# ---------------------------------------------------------------------------
# 责任认定 of 2022 and 2023 (能下 6, 8(4), 11, 12, 13): no random stream, picks in roster order
# ---------------------------------------------------------------------------

FINDING_CLAUSES = {
    "党建": "6",
    "全国考核评比": "8(4)",
    "生态环保": "11",
    "安全生产": "12(1)",
    "食品药品": "12(2)",
    "综治维稳": "13(1)",
    "综治重点整顿": "13(2)",
}
SEVERITY_WORDS = {"特别重大": 4, "重大": 3, "较大": 2, "一般": 1}
SEVERITY_NUMBERS = {"一级": 4, "二级": 3, "三级": 2, "四级": 1}
# 12(1): 党中央、国务院通报批评, or 省委、省政府责任追究
CENSURING = {"通报批评": {"党中央", "中共中央", "国务院"}, "责任追究": {"省委", "省政府", "省人民政府"}}
FINDING_ITEMS = {"党建": ("(一)", "(二)", "(三)", "(四)"), "生态环保": ("(一)", "(二)")}
LEVEL_AREAS = ("安全生产", "食品药品", "综治维稳")


def severity(grade: str) -> int:
    """4 特别重大/一级 … 1 一般/四级; a grade written in both schemes (三级(较大)) must agree."""
    found, rest = set(), grade
    for word, value in SEVERITY_WORDS.items():  # 特别重大 before 重大
        if word in rest:
            found.add(value)
            rest = rest.replace(word, "")
    found |= {value for number, value in SEVERITY_NUMBERS.items() if number in grade}
    assert len(found) == 1, grade
    return found.pop()


def censured(row: dict) -> bool:
    """12(1): the 处理 with a body CENSURING pairs it with (the 通报 column may list several, split by 、)."""
    bodies = CENSURING.get(row.get("处理") or "", set())
    return any(body in bodies for body in (row["通报"] or "").split("、"))


def national_last(grade: str) -> bool:
    """全国考核评比 8(4): 最后档次, or 后N位/倒数第N位 with N ≤ 5."""
    if grade == "最后档次":
        return True
    match = re.fullmatch(r"(?:后|倒数第)(\d+)位", grade)
    assert match, grade
    return int(match.group(1)) <= 5


def findings_fired(by_year: dict[int, list[dict]], year: int) -> dict[str, set[str]]:
    """Units for which each findings clause fires in `year`; rows carry their resolved 层级 under "level"."""

    def rows(y: int, area: str) -> list[dict]:
        return [r for r in by_year.get(y, []) if r["领域"] == area]

    def count(y: int, area: str, unit: str, least: int) -> int:
        return sum(r["单位"] == unit and severity(r["等级"]) >= least for r in rows(y, area))

    fired = {
        "6": {r["单位"] for r in rows(year, "党建")},
        "8(4)": {r["单位"] for r in rows(year, "全国考核评比") if national_last(r["等级"])},
        "11": {r["单位"] for r in rows(year, "生态环保")},
        "12(1)": set(),
        "12(2)": set(),
        "13(1)": set(),
    }
    for r in rows(year, "安全生产"):
        u, level = r["单位"], r["level"]
        if (
            censured(r)
            or level == "县"
            and (count(year, "安全生产", u, 3) >= 1 or count(year, "安全生产", u, 2) >= 2)
            or level == "市"
            and (count(year, "安全生产", u, 4) >= 1 or count(year, "安全生产", u, 3) >= 2)
        ):
            fired["12(1)"].add(u)
    for r in rows(year, "食品药品"):
        u, level = r["单位"], r["level"]
        if (
            level == "县"
            and count(year, "食品药品", u, 2) >= 2
            or level == "市"
            and all(count(y, "食品药品", u, 3) >= 1 for y in (year - 1, year))
        ):
            fired["12(2)"].add(u)
    for r in rows(year, "综治维稳"):
        u, level = r["单位"], r["level"]
        if (
            level == "县"
            and (count(year, "综治维稳", u, 4) >= 1 or count(year, "综治维稳", u, 3) >= 2)
            or level == "市"
            and all(count(y, "综治维稳", u, 4) >= 1 for y in (year - 1, year))
            or level == "省级部门"
            and count(year, "综治维稳", u, 4) >= 1
        ):
            fired["13(1)"].add(u)
    before = {r["单位"] for r in rows(year - 1, "综治重点整顿")}
    fired["13(2)"] = {r["单位"] for r in rows(year, "综治重点整顿") if r["单位"] in before}
    return fired


def excellent_units(rows: list[dict]) -> set[str]:
    info = cut(rows)
    return {r["单位"] for r in info["pool"][: info["quota"]]}


def add_findings(
    mon: Monitoring,
    target: Target,
    poverty: dict[int, list[dict]],
    cadres: Cadres,
    extra: dict[int, dict[str, list[dict]]],
) -> dict:
    """Complete the 2023 责任认定 sheet and add one to 2022 so every findings clause fires once.

    The units are picked in roster order among those no other designed case uses (preferring units
    not rated excellent in 2022/2023), so the awards and the other 能下 cases keep their outcome;
    the exceptions are deliberate: the 党建 row names a cadre rated 优秀 2021-2023 (out of 激励 7(1))
    and the 综治维稳 county is one of the 3 best of 2023 (its 主要负责人 out of 激励 7(3)).
    Returns the plan verify() checks the files against.
    """
    grades = {y: {r["干部编号"]: r for r in cadres.rows[y]} for y in YEARS}
    three_years = [
        pid for pid in sorted(grades[2023]) if all(grades[y].get(pid, {}).get("年度考核等次") == "优秀" for y in YEARS)
    ]
    scripted = set(FIXED_COUNTIES + FIXED_DISTRICTS)
    for y in YEARS:
        scripted |= {r["单位"] for r in target.rows[y] if r["等次"] or r["不得评优"] or r["排序"]}
        scripted |= {
            r["单位"] for r in poverty[y] if r["等次"] or r["通报批评"] or r["数字脱贫"] or r["完成年度计划"] != "是"
        }
        scripted |= {
            r["单位"]
            for r in cadres.rows[y]
            if r["干部编号"] in cadres.cases["scripted"]
            or r["年度考核等次"] in ("基本称职", "不称职")
            or bad_ratio(r) >= Fraction(1, 4)
        }
        scripted |= {r["单位"] for rows in extra.get(y, {}).values() for r in rows}
    monitored = set()
    ranks = {y: mon.rank(y, "county") for y in YEARS}
    dranks = {y: mon.rank(y, "district") for y in YEARS}
    for y in YEARS:
        monitored |= set(mon.orders[y]["county"][:TOP_COUNTIES]) | set(mon.orders[y]["district"][:TOP_DISTRICTS])
        monitored |= set(mon.orders[y]["four_county"][-3:]) | set(mon.orders[y]["four_district"][-1:])
    for ranking, top, places in ((ranks, TOP_COUNTIES, IMPROVEMENT_COUNTIES), (dranks, TOP_DISTRICTS, TOP_DISTRICTS)):
        monitored |= {u for _, _, u in monitoring_cases(*ranking.values(), top)["improvement"][: places + 1]}
    monitored |= set(repeated_decline(*ranks.values()))
    three_year_units = {grades[2023][pid]["单位"] for pid in three_years}
    awarded = {
        y: excellent_units([r for r in target.rows[y] if r["类别"] == "设区市"])
        | excellent_units([r for r in target.rows[y] if r["类别"] == "省级部门"])
        | excellent_units(poverty[y])
        for y in YEARS
    }

    def pick(units: list[str], n: int, avoid: set[str]) -> list[str]:
        options = sorted(
            (u for u in units if u not in avoid), key=lambda u: (u in awarded[2023], u in awarded[2022], units.index(u))
        )
        assert len(options) >= n, (units[0], n)
        return options[:n]

    def staff(unit: str, role: str | None = None) -> list[dict]:
        return [r for r in cadres.rows[2023] if r["单位"] == unit and (role is None or r["岗位类别"] == role)]

    # 6: a department cadre rated 优秀 2021-2023, preferably a 分管领导, else not 其他, else any.
    in_depts = [grades[2023][pid] for pid in three_years if grades[2023][pid]["单位"] in DEPARTMENTS]
    for fits in (lambda r: r["岗位类别"] == "分管领导", lambda r: r["岗位类别"] != "其他", lambda r: True):
        options = [r for r in in_depts if fits(r) and r["单位"] not in scripted]
        if options:
            person = options[0]
            break
    else:
        raise SystemExit("no department cadre rated 优秀 2021-2023 for the 党建 finding")
    avoid = scripted | monitored | three_year_units
    d_party = person["单位"]
    d_last5, d_censure, d_last6 = pick(DEPARTMENTS, 3, avoid)
    c_major, c_food, c_unrest, c_food_once = pick(CITIES, 4, avoid)  # the three that fire first
    plain_first = sorted(mon.counties, key=lambda u: not u.endswith("县"))  # 县级市 only where designed
    k_eco, k_food, k_rectify, k_near, k_rectify_once = pick(plain_first, 5, avoid)
    k_unrest = next(
        u
        for u in mon.orders[2023]["county"][:3]
        if mon.labels[u] == "县（市）" and u not in scripted | three_year_units
    )
    old = extra[2023]["责任认定"]
    k_accidents, c_accident = old[0]["单位"], old[2]["单位"]

    def row(
        unit: str,
        area: str,
        grade: str,
        when: date,
        by: str,
        note: str,
        level: str = "",
        names: str = "",
        item: str = "",
        treated: str = "",
        serious: str = "",
    ) -> dict:
        return {
            "单位": unit,
            "领域": area,
            "等级": grade,
            "日期": when,
            "通报": by,
            "说明": note,
            "层级": level,
            "姓名": names,
            "条款": item,
            "处理": treated,
            "问题严重": serious,
        }

    food_office = "省食品安全委员会办公室"
    rectify = "省平安建设领导小组"
    extra[2023]["责任认定"] = old + [
        row(
            d_party,
            "党建",
            "通报批评",
            date(2023, 6, 16),
            "省委",
            "党组落实全面从严治党主体责任不力,党的领导弱化",
            "省级部门",
            person["姓名"],
            "(一)",
        ),
        row(
            d_last5,
            "全国考核评比",
            "后5位",
            date(2023, 3, 28),
            "国务院办公厅",
            "2022年度某专项工作全国考核评比位列后5位",
            "省级部门",
        ),
        row(
            d_last6,
            "全国考核评比",
            "倒数第6位",
            date(2023, 4, 20),
            "国家发展改革委",
            "2022年度某专项工作全国考核评比位列倒数第6位",
            "省级部门",
        ),
        row(
            k_eco,
            "生态环保",
            "通报批评",
            date(2023, 8, 9),
            "省政府",
            "中央生态环境保护督察反馈问题整改不力",
            "县",
            staff(k_eco)[1]["姓名"],
            "(一)",
            serious="是",
        ),
        row(
            d_censure,
            "安全生产",
            "一般",
            date(2023, 5, 30),
            "省政府",
            "一般生产安全责任事故,行业监管责任落实不力,省政府通报批评并责任追究",
            "省级部门",
            staff(d_censure, "分管领导")[0]["姓名"],
            treated="责任追究",
        ),
        row(
            c_major,
            "安全生产",
            "重大",
            date(2023, 2, 21),
            "国务院安委会办公室",
            "重大道路运输责任事故,死亡11人",
            "市",
            staff(c_major, "分管领导")[0]["姓名"],
        ),
        row(
            c_major,
            "安全生产",
            "重大",
            date(2023, 10, 17),
            "国务院安委会办公室",
            "重大火灾责任事故,死亡12人",
            "市",
            staff(c_major, "分管领导")[0]["姓名"],
        ),
        row(k_near, "安全生产", "较大", date(2023, 3, 9), "省安委会办公室", "较大火灾责任事故,死亡3人", "县"),
        row(k_near, "安全生产", "一般", date(2023, 11, 2), "市安委会办公室", "一般生产安全责任事故,死亡1人", "县"),
        row(
            k_food, "食品药品", "三级(较大)", date(2023, 6, 5), food_office, "较大食品安全事故(学校集体食物中毒)", "县"
        ),
        row(
            k_food, "食品药品", "三级(较大)", date(2023, 9, 14), food_office, "较大食品安全事故(农村聚餐食物中毒)", "县"
        ),
        row(c_food, "食品药品", "二级(重大)", date(2023, 7, 19), food_office, "重大食品安全事故"),
        row(c_food_once, "食品药品", "二级", date(2023, 10, 24), food_office, "重大药品安全事件", "市"),
        row(
            k_unrest,
            "综治维稳",
            "特别重大",
            date(2023, 8, 23),
            "省委政法委",
            "特别重大公共安全事件",
            "",
            "、".join(r["姓名"] for r in staff(k_unrest, "主要负责人")),
        ),
        row(c_unrest, "综治维稳", "特别重大", date(2023, 5, 12), "省委政法委", "特别重大群体性事件", "市"),
        row(
            k_rectify,
            "综治重点整顿",
            "重点整顿单位",
            date(2023, 2, 14),
            rectify,
            "社会治安综合治理(平安建设)重点整顿单位",
            "县",
        ),
        row(
            k_rectify_once,
            "综治重点整顿",
            "重点整顿单位",
            date(2023, 2, 14),
            rectify,
            "社会治安综合治理(平安建设)重点整顿单位",
        ),
    ]
    rows_2022 = [
        row(c_food, "食品药品", "二级", date(2022, 9, 8), food_office, "重大食品安全事故", "市"),
        row(c_unrest, "综治维稳", "一级", date(2022, 11, 3), "省委政法委", "特别重大群体性事件", "市"),
        row(
            k_rectify,
            "综治重点整顿",
            "重点整顿单位",
            date(2022, 2, 17),
            rectify,
            "社会治安综合治理(平安建设)重点整顿单位",
            "县",
        ),
    ]
    extra[2022] = {"责任认定": rows_2022, **extra[2022]}
    return {
        "fires": {
            "6": {d_party},
            "8(4)": {d_last5},
            "11": {k_eco},
            "12(1)": {k_accidents, c_major, d_censure},
            "12(2)": {k_food, c_food},
            "13(1)": {k_unrest, c_unrest},
            "13(2)": {k_rectify},
        },
        "boundary": {
            "8(4)": {d_last6},
            "12(1)": {c_accident, k_near},
            "12(2)": {c_food_once},
            "13(2)": {k_rectify_once},
        },
        "excluded_7_1": person["干部编号"],
        "county_13_1": k_unrest,
    }


def add_commendations(cadres: Cadres, plan: dict, extra: dict[int, dict[str, list[dict]]]) -> dict[str, tuple]:
    """激励 7(4) in the 2023 干部 sheet: two cadres commended by listed bodies (one as 中共中央、国务院, another way
    of writing 党中央、国务院), one by a 市委 (not the clause's), one with no 表彰机关 (undetermined), and the 党建
    finding's cadre (out of 7(1)) commended by the 省委, held back by that finding. The others are 其他 posts
    nobody's 能下 case names."""
    named = {str(v) for sheets in extra.values() for rows in sheets.values() for r in rows for v in r.values()}
    free = [
        r
        for r in cadres.rows[2023]
        if r["岗位类别"] == "其他" and r["干部编号"] not in cadres.cases["scripted"] and r["姓名"] not in named
    ]
    cities = [r for r in free if r["单位"] in CITIES]
    depts = [r for r in free if r["单位"] in DEPARTMENTS]
    held = next(r for r in cadres.rows[2023] if r["干部编号"] == plan["excluded_7_1"])
    designed = {
        "listed": (cities[0], "全省脱贫攻坚先进个人", "省委、省政府"),
        "alias": (depts[0], "全国脱贫攻坚先进个人", "中共中央、国务院"),
        "unlisted_body": (cities[-1], "全市优秀共产党员", "市委"),
        "no_body": (depts[-1], "全省安全生产先进个人", None),
        "held": (held, "全省优秀共产党员", "省委"),
    }
    for row, honour, body in designed.values():
        row["表彰"], row["表彰机关"] = honour, body
    return {
        case: (row["干部编号"], row["姓名"], row["单位"], honour, body)
        for case, (row, honour, body) in designed.items()
    }


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

HEADERS = {
    "目标责任考核": ["单位", "类别", "综合得分", "等次", "不得评优", "考核人数", "排序"],
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
        "不得评优",
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
        "表彰",
        "表彰机关",
    ],
    "责任认定": [
        "单位",
        "领域",
        "等级",
        "日期",
        "发生日期",
        "通报",
        "处理",
        "问题严重",
        "说明",
        "层级",
        "姓名",
        "条款",
    ],
    "容错认定": ["单位", "文号", "姓名", "情形", "认定日期", "范围", "结论"],
    "调整记录": ["姓名", "单位", "调整方式", "决定日期", "干部编号"],
}
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def display_width(value: object) -> int:
    text = "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_table(ws, headers: list[str], rows: list[dict], titles: list[tuple[str, str]] = ()) -> None:
    """Title rows (text, alignment) merged across the table, a bold frozen header, then the rows."""
    width = len(headers)
    for r, (text, align) in enumerate(titles, start=1):
        ws.cell(row=r, column=1, value=text)
        ws.cell(row=r, column=1).font = TITLE if r == 1 else Font(size=10)
        ws.cell(row=r, column=1).alignment = Alignment(horizontal=align)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    header_row = len(titles) + 1
    for c, header in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=c, value=header)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for r, row in enumerate(rows, start=header_row + 1):
        for c, header in enumerate(headers, start=1):
            value = row.get(header)
            if value == "" or value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for c, header in enumerate(headers, start=1):
        widest = max([display_width(header)] + [display_width(row.get(header)) for row in rows])
        ws.column_dimensions[get_column_letter(c)].width = min(max(widest + 3, 8), 60)


def save_deterministic(wb: Workbook, path: Path) -> None:
    """Save with fixed document and zip timestamps so reruns give identical bytes."""
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*<", rb"\g<1>" + CORE_TIME + b"<", data)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    path.write_bytes(out.getvalue())


def write_workbook(
    year: int,
    mon: Monitoring,
    target: Target,
    poverty: dict[int, list[dict]],
    cadres: Cadres,
    extra: dict[int, dict[str, list[dict]]],
) -> Path:
    wb = Workbook()
    wb.properties.creator = "sanshi sample_data/generate.py"
    wb.properties.title = f"{year}年度考核结果(模拟数据)"
    sheets = ["目标责任考核", "县域监测", "脱贫攻坚", "干部"] + list(extra.get(year, {}))
    what = {
        "目标责任考核": "12个设区市、40个省级部门的年度目标责任考核结果(按类别分组评定),含综合得分、"
        "预定等次(一般/较差)、不得评优原因、考核人数;排序列仅在得分并列时填写",
        "县域监测": "80个县(市)与25个城区的县域经济社会发展监测考评结果(分别排名),含"
        + ("名次" if year == 2021 else "名次、上年名次")
        + "、综合得分、三个分项名次、四项指标排位和不得评优(一票否决)"
        + (";本年为首个年度,无上年名次" if year == 2021 else ""),
        "脱贫攻坚": "50个县(市、区)的脱贫攻坚工作成效考核结果,含综合得分、预定等次、是否完成年度计划、通报批评"
        "(及批评机关、问题是否严重)、数字脱贫",
        "干部": f"{len(cadres.rows[year])}名党政干部的职务、岗位类别、年度考核等次、上年考核等次和民主测评票数",
        "责任认定": "党建、全国考核评比、生态环保、安全生产、食品药品、综治维稳、综治重点整顿工作不力的责任认定结果,"
        "含等级(事故、事件写作 特别重大/重大/较大/一般 或 一级至四级)、认定日期、发生日期、通报机关、"
        "处理(通报批评/责任追究)、问题是否严重、单位层级"
        "(市/县/省级部门,留空的按县域监测、目标责任考核推定)、有关领导干部姓名和条款"
        + (";本年的记录用于判断连续两年的情形" if year < YEARS[-1] else ""),
        "容错认定": "容错认定结果(文号、对象、情形、范围、结论:免责或减责)",
        "调整记录": "能下调整记录(调整方式、决定日期)",
    }
    ws = wb.active
    ws.title = "说明"
    lines = [f"{year}年度考核结果(模拟数据)", DISCLAIMER + "。", f"考核年度:{year}", "", "各工作表内容:"]
    lines += [f"· {name}:{what[name]}" for name in sheets]
    lines += ["", "由 sample_data/generate.py 按固定随机种子生成;地名、单位名、人名均为虚构。"]
    for r, line in enumerate(lines, start=1):
        ws.cell(row=r, column=1, value=line)
    ws["A1"].font = TITLE
    ws["A2"].font = BOLD
    ws.column_dimensions["A"].width = 120

    ws = wb.create_sheet("目标责任考核")
    write_table(ws, HEADERS["目标责任考核"], target.rows[year], [(f"{year}年度目标责任考核结果", "center")])

    ws = wb.create_sheet("县域监测")
    headers = [h for h in HEADERS["县域监测"] if not (year == 2021 and h == "上年名次")]
    write_table(
        ws,
        headers,
        monitoring_rows(mon, year),
        [(f"{year}年度县域经济社会发展监测考评结果", "center"), ("单位:名次、分", "right")],
    )

    ws = wb.create_sheet("脱贫攻坚")
    write_table(ws, HEADERS["脱贫攻坚"], poverty[year])

    ws = wb.create_sheet("干部")
    write_table(ws, HEADERS["干部"], cadres.rows[year])

    for name, rows in extra.get(year, {}).items():
        write_table(wb.create_sheet(name), HEADERS[name], rows)
    path = HERE / f"{year}.xlsx"
    save_deterministic(wb, path)
    return path


def write_faulty_example(good: Path) -> Path:
    """The 2023 workbook with the mistakes a clerk makes: a letter O in a score, a unit entered twice, a grade
    that is not one of the choices, and the 排序 column (which breaks the tie at the cut) deleted."""
    wb = load_workbook(good)
    target = wb["目标责任考核"]
    header = [cell.value for cell in target[2]]
    score, unit, order = (header.index(h) + 1 for h in ("综合得分", "单位", "排序"))
    target.cell(row=4, column=score, value="9O.5")
    target.cell(row=9, column=unit, value=target.cell(row=3, column=unit).value)
    for row in range(3, target.max_row + 1):
        target.cell(row=row, column=order, value=None)
    cadres = wb["干部"]
    grade = [cell.value for cell in cadres[1]].index("年度考核等次") + 1
    cadres.cell(row=3, column=grade, value="优")
    path = HERE / "有误示例" / good.name
    path.parent.mkdir(exist_ok=True)
    save_deterministic(wb, path)
    return path


# The 公示 version of 2023: the workbook as it stood when the lists were published for 公示, before three
# corrections came in (`sanshi diff 2023-公示.xlsx 2023.xlsx` shows what they change and why).
PUBLICITY_CORRECTIONS = (
    # (sheet, key column, key, column, value in the 公示 version): the final 2023.xlsx has the corrected value
    # two digits transposed: 云岭市 scored 91.49, typed 94.19, which put it among the 4 优秀 设区市 over 金塬市
    ("目标责任考核", "单位", "云岭市", "综合得分", 94.19),
    ("干部", "姓名", "汤志", "基本称职票", 9),  # a ballot miscounted: 10 基本称职 votes, not 9
)
LATE_TOLERANCE = "秦组容〔2023〕7号"  # a 容错认定 made on 2023-12-20, after the 公示 version was drawn up


def write_publicity_version(good: Path) -> Path:
    """2023-公示.xlsx: the final 2023 workbook as it was before PUBLICITY_CORRECTIONS and the late 容错认定."""
    wb = load_workbook(good)
    for sheet_name, key_header, key, header, value in PUBLICITY_CORRECTIONS:
        sheet = wb[sheet_name]
        header_row = next(r for r in range(1, 5) if header in [c.value for c in sheet[r]])
        headers = [c.value for c in sheet[header_row]]
        key_col, col = headers.index(key_header) + 1, headers.index(header) + 1
        row = next(r for r in range(header_row + 1, sheet.max_row + 1) if sheet.cell(r, key_col).value == key)
        sheet.cell(row=row, column=col, value=value)
    tolerance = wb["容错认定"]
    late = next(r for r in range(2, tolerance.max_row + 1) if LATE_TOLERANCE in [c.value for c in tolerance[r]])
    tolerance.delete_rows(late)
    path = HERE / f"{YEARS[-1]}-公示.xlsx"
    save_deterministic(wb, path)
    return path


BARRED_REASON = "发生安全生产一票否决事项(县域经济社会发展监测考评办法)"


def barred_county(mon: Monitoring) -> str:
    """A 2023 county the monitoring's 一票否决 bars (「不得评优」): one that would win nothing anyway (outside the top
    10, the 11 largest risers, every sub-ranking's top 5 and the 四项指标 last 3), so every amount stays as designed."""
    ranks = {y: mon.rank(y, "county") for y in YEARS}
    risers = {
        u for _, _, u in monitoring_cases(*ranks.values(), TOP_COUNTIES)["improvement"][: IMPROVEMENT_COUNTIES + 1]
    }
    subs = [mon.rank(2023, k) for k in ("agriculture", "industry", "ecology")]
    last_four = set(mon.orders[2023]["four_county"][-3:])
    return next(
        u
        for u in mon.orders[2023]["county"][TOP_COUNTIES + 10 :]
        if u not in risers | last_four | set(FIXED_COUNTIES) and all(r[u] > 5 for r in subs)
    )


def monitoring_rows(mon: Monitoring, year: int) -> list[dict]:
    barred = barred_county(mon) if year == YEARS[-1] else None
    rows = []
    for ranking, sub_rankings in (("county", True), ("district", False)):
        ranks = mon.rank(year, ranking)
        last = mon.rank(year - 1, ranking) if year > YEARS[0] else {}
        four = mon.rank(year, "four_county" if sub_rankings else "four_district")
        subs = (
            {
                h: mon.rank(year, k)
                for h, k in (("现代农业名次", "agriculture"), ("新型工业名次", "industry"), ("生态建设名次", "ecology"))
            }
            if sub_rankings
            else {}
        )
        for name in mon.orders[year][ranking]:
            row = {
                "县区": name,
                "类型": mon.labels[name],
                "名次": ranks[name],
                "上年名次": last.get(name),
                "综合得分": mon.scores[year][name],
                "四项指标排位": four[name],
                "不得评优": BARRED_REASON if name == barred else "",
            }
            row.update({h: r[name] for h, r in subs.items()})
            rows.append(row)
    return rows


LOCAL_PACK = """\
# 模拟数据(sample_data/)配套的本地规则包:在 shaanxi-2018 基础上设定目标责任考核奖金金额和公文的发文设置。
# 由 sample_data/generate.py 生成。

[pack]
name = "示例市-2023"
base = "shaanxi-2018"
description = "模拟数据配套的本地规则包:设定目标责任考核奖金的示例金额"

[bonus.amount_by_grade]
# TOML 的裸键只能是 ASCII,中文键须加引号。
value = { "优秀" = 12000, "良好" = 10000, "一般" = 8000 }
clause = "鼓励激励办法第六条第(一)项;示例市实施细则(模拟)"
note = "每人金额(元),模拟数据示例"

# ---- 公文(sanshi notices):发文机关、代字、文号、成文日期、公示期 ----
# [documents] 中的各项为各类公文共用;某类公文不同的,写在 [documents."类型"] 中。
# 文号 first_number 为该类第一份公文的顺序号,其后每份加 1。以下单位名称、代字均为模拟。
[documents]
issuer = "中共示例省委组织部"
date = 2024-01-15
recipients = "各市(区)委组织部,省级各部门(单位)组织人事部门"
# 版记(GB/T 9704-2012 7.4):有版头的公文在最后一页末尾印抄送机关、印发机关和印发日期。
cc = "省纪委监委,省委办公厅,省政府办公厅"
printer = "中共示例省委组织部办公室"
print_date = 2024-01-15

# 主送机关:按单位名称的结尾选用写法,{unit} 为单位名称,"*" 为其余单位(如省级部门)。
[documents.organs]
"县" = "中共{unit}委、{unit}人民政府"
"市" = "中共{unit}委、{unit}人民政府"
"区" = "中共{unit}委、{unit}人民政府"
"*" = "{unit}党组(党委)"

[documents."公示"]
issuer = "示例省目标责任考核领导小组办公室"
date = 2024-01-10
publicity_start = 2024-01-10
publicity_end = 2024-01-16
contact = "示例省目标责任考核领导小组办公室(省委组织部考核办),电话:029-00000000,来信请寄示例市北大街1号"

# 表彰和下达奖金在公示期满(1月16日)之后。
[documents."表彰通报"]
issuer = "示例省人民政府"
header = "示例省人民政府文件"
code = "示政发"
first_number = 82
date = 2024-01-19
printer = "示例省人民政府办公厅"
print_date = 2024-01-19
recipients = "各市、县、区人民政府,省人民政府各工作部门、各直属机构"

[documents."奖励资金通知"]
issuer = "示例省目标责任考核领导小组办公室"
header = "示例省目标责任考核领导小组办公室文件"
code = "示考办发"
first_number = 1
date = 2024-01-19
cc = "省财政厅,省审计厅"
printer = "示例省目标责任考核领导小组办公室"
print_date = 2024-01-19

[documents."谈话通知"]
header = "中共示例省委组织部文件"
code = "示组干字"
first_number = 101

[documents."容错认定结果通知"]
header = "中共示例省委组织部文件"
code = "示组容"
first_number = 11

# 容错认定结果通知送单位的组织部门(县)或党组(党委)。
[documents."容错认定结果通知".organs]
"县" = "中共{unit}委组织部"
"市" = "中共{unit}委组织部"
"区" = "中共{unit}委组织部"
"*" = "{unit}党组(党委)"
"""


# ---------------------------------------------------------------------------
# Reading back and checking
# ---------------------------------------------------------------------------


def read_back(path: Path) -> tuple[list[str], dict[str, list[dict]], list[str]]:
    """Sheet names, each data sheet as dicts keyed by header, and the 说明 lines, via python-calamine."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    tables = {}
    for name in wb.sheet_names:
        grid = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if name == "说明":
            notes = [str(r[0]) for r in grid if r and r[0] not in ("", None)]
            continue
        header_index = next(
            i
            for i, r in enumerate(grid)
            if list(r[:2]) == HEADERS[name][:2] or (name == "县域监测" and r and r[0] == "县区")
        )
        headers = [str(h) for h in grid[header_index]]
        rows = []
        for r in grid[header_index + 1 :]:
            if all(v in ("", None) for v in r):
                continue
            rows.append({h: (None if v == "" else v) for h, v in zip(headers, r)})
        tables[name] = rows
    return list(wb.sheet_names), tables, notes


def as_date(value: object) -> date:
    assert isinstance(value, date), value
    return value.date() if isinstance(value, datetime) else value


def as_int(value: object) -> int | None:
    if value is None:
        return None
    assert isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value), value
    return int(value)


def verify(plan: dict) -> dict:
    """Assert the designed invariants on the files as written; return the cases for the README.

    `plan` is what add_findings designed: the 责任认定 rows read back must fire exactly those units.
    """
    books = {y: read_back(HERE / f"{y}.xlsx") for y in YEARS}
    facts: dict = {}
    county_ranks: dict[int, dict[str, int]] = {}
    district_ranks: dict[int, dict[str, int]] = {}
    grades_by_year: dict[int, dict[str, str]] = {}
    places = None
    for year, (sheet_names, tables, notes) in books.items():
        expected = ["说明", "目标责任考核", "县域监测", "脱贫攻坚", "干部"]
        expected += {2023: ["责任认定", "容错认定", "调整记录"], 2022: ["责任认定", "调整记录"]}.get(year, ["调整记录"])
        assert sheet_names == expected, sheet_names
        assert any(DISCLAIMER in line for line in notes) and any(str(year) in line for line in notes)

        # 目标责任考核
        rows = tables["目标责任考核"]
        assert len(rows) == 52
        for row in rows:
            assert (
                isinstance(row["综合得分"], (int, float))
                and abs(row["综合得分"] * 100 - round(row["综合得分"] * 100)) < 1e-6
            )
            row["cents"] = round(row["综合得分"] * 100)
            row["排序"] = as_int(row["排序"])
            assert 15 <= as_int(row["考核人数"]) <= 80
        groups = {g: [r for r in rows if r["类别"] == g] for g in ("设区市", "省级部门")}
        assert len(groups["设区市"]) == 12 and len(groups["省级部门"]) == 40
        assert sorted(r["等次"] for r in rows if r["等次"]) == ["一般", "一般", "较差"]
        assert len([r for r in rows if r["不得评优"]]) == 1
        excellent = set()
        for group, group_rows in groups.items():
            info = cut(group_rows)
            tied = year == 2023 and group == "省级部门"
            assert (info["at_cut"] == info["after_cut"]) is tied, (year, group)
            scores = [r["cents"] for r in group_rows]
            if tied:
                same = [r for r in group_rows if r["cents"] == info["at_cut"]]
                assert len(same) == 2 and sorted(r["排序"] for r in same) == [1, 2]
                assert all(r["排序"] is None for r in group_rows if r not in same)
                assert len(set(scores)) == len(scores) - 1
                facts["tie"] = [r["单位"] for r in sorted(same, key=lambda r: r["排序"])]
                facts["tie_score"] = f"{info['at_cut'] / 100:.2f}"
                facts["tie_positions"] = [info["pool"].index(r) + 1 for r in same]
            else:
                assert all(r["排序"] is None for r in group_rows) and len(set(scores)) == len(scores)
            excellent |= {r["单位"] for r in info["pool"][: info["quota"]]}
        facts.setdefault("excellent_units", {})[year] = excellent
        no_exc = next(r for r in rows if r["不得评优"])
        rank_in_group = sorted(r["cents"] for r in groups[no_exc["类别"]])[::-1].index(no_exc["cents"]) + 1
        assert rank_in_group <= 3, "the 不得评优 unit should be a high scorer"
        facts.setdefault("no_excellent", {})[year] = (no_exc["单位"], no_exc["不得评优"], rank_in_group)
        facts.setdefault("preset", {})[year] = [(r["单位"], r["等次"]) for r in rows if r["等次"]]

        # 县域监测
        rows = tables["县域监测"]
        assert len(rows) == 105
        assert ("上年名次" in rows[0]) is (year != 2021)
        counties = [r for r in rows if r["类型"] in ("县（市）", "县")]
        districts = [r for r in rows if r["类型"] in ("城区", "区")]
        assert len(counties) == 80 and len(districts) == 25
        assert {r["类型"] for r in counties} == {"县（市）", "县"} and {r["类型"] for r in districts} == {"城区", "区"}
        names = sorted(r["县区"] for r in rows)
        assert places is None or names == places
        places = names
        for group, n, subs in ((counties, 80, ("现代农业名次", "新型工业名次", "生态建设名次")), (districts, 25, ())):
            for col in ("名次", "四项指标排位") + subs:
                assert sorted(as_int(r[col]) for r in group) == list(range(1, n + 1)), (year, col)
            for col in ("现代农业名次", "新型工业名次", "生态建设名次"):
                assert subs or all(r[col] is None for r in group)
            by_rank = sorted(group, key=lambda r: r["名次"])
            assert all(a["综合得分"] > b["综合得分"] for a, b in zip(by_rank, by_rank[1:]))
        county_ranks[year] = {r["县区"]: as_int(r["名次"]) for r in counties}
        district_ranks[year] = {r["县区"]: as_int(r["名次"]) for r in districts}
        if year != 2021:
            for r in rows:
                previous = (county_ranks if r in counties else district_ranks)[year - 1]
                assert as_int(r["上年名次"]) == previous[r["县区"]], (year, r["县区"])
            moves = [abs(r["上年名次"] - r["名次"]) for r in rows]
            assert sum(m <= 8 for m in moves) >= 0.85 * len(moves) and max(moves) > 8
        facts.setdefault("monitoring_rows", {})[year] = rows

        # 脱贫攻坚
        rows = tables["脱贫攻坚"]
        assert len(rows) == 50 and all(r["单位"] in places for r in rows)
        for row in rows:
            row["cents"] = round(row["综合得分"] * 100)
        assert len({r["cents"] for r in rows}) == 50
        info = cut(rows)
        assert info["quota"] == 17 and info["at_cut"] != info["after_cut"]
        assert 1 <= len([r for r in rows if r["等次"]]) <= (3 if year == 2023 else 2)
        assert [r["完成年度计划"] for r in rows].count("否") == 1
        assert all(r["完成年度计划"] in ("是", "否") for r in rows)
        poor = [r for r in rows if r["等次"] == "差"]
        fraud = [r for r in rows if r["数字脱贫"]]
        assert len(poor) == len(fraud) == (1 if year == 2023 else 0)
        if year == 2023:  # 能下 10(1)-10(4): four different units, none of them excellent
            not_done = next(r for r in rows if r["完成年度计划"] == "否")
            criticized = [r for r in rows if r["通报批评"]]
            assert len(criticized) == 1
            cases = [not_done, criticized[0], poor[0], fraud[0]]
            assert len({r["单位"] for r in cases}) == 4
            excellent = {r["单位"] for r in info["pool"][: info["quota"]]}
            assert not excellent & {r["单位"] for r in cases}
            assert 7500 <= poor[0]["cents"] <= 8300
            assert (criticized[0]["批评机关"], criticized[0]["问题严重"]) == (CRITICIZED_BY, "是")
            facts["poverty_demotion"] = {"10(1)": not_done, "10(2)": criticized[0], "10(3)": poor[0], "10(4)": fraud[0]}
        if year == 2022:  # a 市委 通报: shown, never 10(2)
            [city] = [r for r in rows if r["通报批评"]]
            assert city["批评机关"] == "市委" and not city["问题严重"]
            facts["city_criticism"] = city

        # 干部
        rows = tables["干部"]
        ids = [r["干部编号"] for r in rows]
        assert len(ids) == len(set(ids)) == 52 * 5 + 105 * 2
        units = {}
        for r in rows:
            units.setdefault(r["单位"], []).append(r)
        target_units = {r["单位"] for r in tables["目标责任考核"]}
        for unit, members in units.items():
            assert len({m["姓名"] for m in members}) == len(members)
            roles = sorted(m["岗位类别"] for m in members)
            assert roles == (
                sorted(["主要负责人", "分管领导", "分管领导", "其他", "其他"])
                if unit in target_units
                else ["主要负责人", "主要负责人"]
            ), unit
        assert set(units) == target_units | set(places)
        for r in rows:
            for col in ("优秀票", "称职票", "基本称职票", "不称职票", "总票数"):
                r[col] = as_int(r[col])
            assert 30 <= r["总票数"] <= 120
            assert r["优秀票"] + r["称职票"] + r["基本称职票"] + r["不称职票"] <= r["总票数"]
            assert min(r[c] for c in ("优秀票", "称职票", "基本称职票", "不称职票")) >= 0
            last = grades_by_year.get(year - 1, {}).get(r["干部编号"])
            assert (r["上年考核等次"] or None) == last, (year, r["干部编号"])
        grades_by_year[year] = {r["干部编号"]: r["年度考核等次"] for r in rows}
        share = sum(r["年度考核等次"] == "优秀" for r in rows) / len(rows)
        assert 0.11 <= share <= 0.19, share
        assert 1 <= sum(r["年度考核等次"] == "不称职" for r in rows) <= 2
        assert 1 <= sum(r["年度考核等次"] == "基本称职" for r in rows) <= 12
        high = [r for r in rows if bad_ratio(r) >= Fraction(3, 10)]
        if year == 2023:
            assert 2 <= len(high) <= 3
            facts["votes_30"] = [
                (r["姓名"], r["单位"], r["基本称职票"] + r["不称职票"], r["不称职票"], r["总票数"]) for r in high
            ]
            near = [r for r in rows if Fraction(1, 4) <= bad_ratio(r) < Fraction(3, 10)]
            facts["votes_near"] = [(r["姓名"], r["单位"], r["基本称职票"] + r["不称职票"], r["总票数"]) for r in near]
            known_ids = {r["干部编号"] for r in facts["cadre_rows"][2022]}
            # 能下 8(3) 未能判定: new in 2023 (no 2022 grade) and 基本称职; the designed one took the
            # post of the 分管领导 moved away (调离岗位), a random newcomer may be another.
            new_basic = [r for r in rows if r["年度考核等次"] == "基本称职" and r["干部编号"] not in known_ids]
            assert all(r["上年考核等次"] is None and bad_ratio(r) < Fraction(1, 4) for r in new_basic)
            moved_from = next(r["单位"] for r in tables["调整记录"] if r["调整方式"] == "调离岗位")
            assert [r["岗位类别"] for r in new_basic if r["单位"] == moved_from] == ["分管领导"]
            facts["new_basic"] = new_basic
        facts.setdefault("cadre_rows", {})[year] = rows

        # 2023-only sheets
        if year == 2023:
            known = target_units | set(places)
            for name in ("责任认定", "容错认定", "调整记录"):
                assert all(r["单位"] in known for r in tables[name]), name
            assert len(tables["容错认定"]) == 3
            assert [r["结论"] for r in tables["容错认定"]] == ["免责", None, "减责"]
            assert 1 <= len(tables["调整记录"]) <= 2
            previous = {r["干部编号"]: r for r in facts["cadre_rows"][2022]}
            for r in tables["调整记录"]:
                assert r["调整方式"] in ("调离岗位", "改任非领导职务", "免职", "降职")
                before = previous[r["干部编号"]]
                assert (before["姓名"], before["单位"]) == (r["姓名"], r["单位"])
            now = {r["姓名"]: r for r in rows}
            for r in tables["容错认定"]:
                assert not r["姓名"] or now[r["姓名"]]["单位"] == r["单位"]
            facts["extra"] = tables
        facts.setdefault("adjustments", {})[year] = tables["调整记录"]

    # 责任认定 of 2022 and 2023 (能下 6, 8(4), 11, 12, 13).
    findings = {y: books[y][1]["责任认定"] for y in YEARS if "责任认定" in books[y][1]}
    assert sorted(findings) == [2022, 2023]
    grades = {y: {r["干部编号"]: r["年度考核等次"] for r in facts["cadre_rows"][y]} for y in YEARS}
    for year, rows in findings.items():
        tables = books[year][1]
        levels = {r["单位"]: "市" if r["类别"] == "设区市" else "省级部门" for r in tables["目标责任考核"]}
        levels |= {r["县区"]: "县" for r in tables["县域监测"]}
        staff = {}
        for r in facts["cadre_rows"][year]:
            staff.setdefault(r["单位"], {})[r["姓名"]] = r
        for r in rows:
            assert r["领域"] in FINDING_CLAUSES and r["单位"] in levels, r
            r["日期"] = as_date(r["日期"])
            assert r["日期"].year == year and r["通报"] and r["说明"]
            assert r["层级"] in (None, levels[r["单位"]]), r  # a written 层级 agrees with the derived one
            r["level"] = levels[r["单位"]]
            assert (r["条款"] or None) in FINDING_ITEMS.get(r["领域"], (None,)), r
            r["names"] = r["姓名"].split("、") if r["姓名"] else []
            assert all(name in staff[r["单位"]] for name in r["names"]), r
            if r["领域"] in LEVEL_AREAS:
                severity(r["等级"])
            elif r["领域"] == "全国考核评比":
                national_last(r["等级"])
            elif r["领域"] == "综治重点整顿":
                assert r["等级"] == "重点整顿单位"
    assert 2 <= sum(r["层级"] is None for rows in findings.values() for r in rows) <= 4  # a few, derived
    grade_texts = [r["等级"] for rows in findings.values() for r in rows if r["领域"] in LEVEL_AREAS]
    assert any(g in SEVERITY_WORDS for g in grade_texts) and any(g in SEVERITY_NUMBERS for g in grade_texts)
    assert any(re.fullmatch(r"[一二三四]级\((特别重大|重大|较大|一般)\)", g) for g in grade_texts)
    fired = findings_fired(findings, 2023)
    assert fired == plan["fires"], fired
    for clause, units in plan["boundary"].items():
        area = next(a for a, c in FINDING_CLAUSES.items() if c == clause)
        assert all(any(r["单位"] == u and r["领域"] == area for r in findings[2023]) for u in units), clause
        assert not units & fired[clause]
    assert not any(findings_fired(findings, 2022).values())  # no 2021 sheet: no consecutive years yet
    by_area = {}
    for r in findings[2023]:
        by_area.setdefault((r["领域"], r["单位"]), []).append(r)
    # 12(1) as designed: the county 2 × 较大, the near-miss county 1 × 较大 + 1 × 一般, the city 2 × 重大,
    # the 省级部门 censured by 省政府 for an 一般 accident; 12(2) the county 2 × 三级(较大).
    counts = {key: sorted(severity(r["等级"]) for r in rows) for key, rows in by_area.items() if key[0] in LEVEL_AREAS}
    assert sorted(counts.values()) == sorted([[2, 2], [1, 2], [3, 3], [1], [2], [2, 2], [3], [3], [4], [4]]), counts
    censure = [r for r in findings[2023] if r["领域"] == "安全生产" and censured(r)]
    assert len(censure) == 1 and censure[0]["level"] == "省级部门" and "责任追究" in censure[0]["说明"]
    party = next(r for r in findings[2023] if r["领域"] == "党建")
    person = next(r for r in facts["cadre_rows"][2023] if r["干部编号"] == plan["excluded_7_1"])
    assert party["names"] == [person["姓名"]] and person["单位"] == party["单位"]
    assert all(grades[y].get(person["干部编号"]) == "优秀" for y in YEARS)
    unrest = next(r for r in findings[2023] if r["领域"] == "综治维稳" and r["level"] == "县")
    heads = [
        r["姓名"] for r in facts["cadre_rows"][2023] if r["单位"] == unrest["单位"] and r["岗位类别"] == "主要负责人"
    ]
    monitoring = {r["县区"]: r for r in facts["monitoring_rows"][2023]}
    assert unrest["单位"] == plan["county_13_1"] and unrest["层级"] is None and unrest["names"] == heads
    assert monitoring[unrest["单位"]]["类型"] == "县（市）" and as_int(monitoring[unrest["单位"]]["名次"]) <= 3
    rectified = [r["单位"] for r in findings[2022] if r["领域"] == "综治重点整顿"]
    assert len(rectified) == 1 and len([r for r in findings[2023] if r["领域"] == "综治重点整顿"]) == 2
    facts["findings"], facts["findings_fired"] = findings, fired
    facts["findings_person"], facts["findings_heads"] = person, heads

    # 调整记录 of 2021 and 2022, and the 能下 16 impact periods at the end of 2023.
    ids = {y: {r["干部编号"]: r for r in facts["cadre_rows"][y]} for y in YEARS}
    impact = []
    for year, records in facts["adjustments"].items():
        for r in records:
            r["决定日期"] = as_date(r["决定日期"])
            assert r["决定日期"].year == year and r["调整方式"] in IMPACT_YEARS
            impact.append((r, impact_end(r["调整方式"], r["决定日期"])))
        if year == 2023:
            continue
        assert len(records) == 1
        r = records[0]
        before = ids[2021][r["干部编号"]]  # in the 2021 workbook, gone from 2022 on
        assert (before["姓名"], before["单位"]) == (r["姓名"], r["单位"])
        assert all(r["干部编号"] not in ids[y] for y in YEARS[1:])
        if year == 2022:
            assert r["调整方式"] == "降职" and before["年度考核等次"] == "不称职"
        else:
            assert r["调整方式"] == "免职" and before["岗位类别"] in ("主要负责人", "分管领导")
    active = [r for r, end in impact if end >= YEAR_END]
    assert active == facts["adjustments"][2022] + facts["adjustments"][2023]
    facts["impact"] = impact

    # The designed 2023 county monitoring cases, on the ranks as read back.
    c = monitoring_cases(county_ranks[2021], county_ranks[2022], county_ranks[2023], TOP_COUNTIES)
    d = monitoring_cases(district_ranks[2021], district_ranks[2022], district_ranks[2023], TOP_DISTRICTS)
    assert county_cases_ok(c) and district_cases_ok(d)
    facts["repeated_decline"] = repeated_decline(county_ranks[2021], county_ranks[2022], county_ranks[2023])
    assert len(facts["repeated_decline"]) == 1
    assert len(c["improvement"]) >= 10 and len(d["improvement"]) >= 5
    facts["county"], facts["district"] = c, d
    # Districts (能下 9(1)/9(2) for 城区: the largest decline / the last place, in both years): not designed.
    facts["district_decline"] = sorted(
        set(largest_declines(district_ranks[2021], district_ranks[2022], 1))
        & set(largest_declines(district_ranks[2022], district_ranks[2023], 1))
    )
    facts["ranks"] = (county_ranks, district_ranks)

    # 激励 7(4): the 表彰 cells read back are exactly the designed ones (none in earlier years).
    written = {
        (r["干部编号"], r["姓名"], r["单位"], r["表彰"], r["表彰机关"])
        for r in facts["cadre_rows"][2023]
        if r["表彰"] or r["表彰机关"]
    }
    assert written == set(plan["commendations"].values()), written
    assert not any(r["表彰"] or r["表彰机关"] for y in YEARS[:-1] for r in facts["cadre_rows"][y])
    facts["commendations"] = plan["commendations"]

    pack = tomllib.loads((HERE / "local-pack.toml").read_text(encoding="utf-8"))
    assert pack["pack"]["base"] == "shaanxi-2018"
    assert pack["bonus"]["amount_by_grade"]["value"] == {"优秀": 12000, "良好": 10000, "一般": 8000}
    return facts


# ---------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------


def award_rows(cases: dict, ranks: tuple[dict, dict, dict], top: int) -> list[str]:
    """README table rows for the 2023 十强县 or 五强区 with the amount each should get."""
    r21, r22, r23 = ranks
    rows = []
    for u in cases["top"]:
        change = f"{r21[u]}→{r22[u]}→{r23[u]}"
        if u == cases["first"]:
            case, amount = "第一名(以前进入过)", "100"
        elif u in cases["first_ever"]:
            case, amount = "首次进入", "100"
        else:
            delta = r22[u] - r23[u]
            raw = cases["amounts"][u]
            case = f"50{'+' if delta >= 0 else '−'}10×{abs(delta)}"
            if raw < 0:
                case += f"={raw},保底为 0(提示)"
            if r22[u] > top:
                case += ";2021 年曾进入,不算首次"
            amount = str(max(raw, 0))
        rows.append(f"| {r23[u]} | {u} | {change} | {case} | {amount} |")
    return rows


def boundary_ties(counties: list[tuple[int, int, str]], districts: list[tuple[int, int, str]]) -> list[str]:
    """Other places where equal improvements straddle a tier or list boundary (ordered by current 名次)."""
    found = []
    for label, ranking, cuts in (
        ("县(市)一等/二等奖", counties, (3,)),
        ("县(市)二等/三等奖", counties, (6,)),
        ("城区第 5、6 位", districts, (5,)),
    ):
        for at in cuts:
            if len(ranking) > at and ranking[at - 1][0] == ranking[at][0]:
                names = [u for i, _, u in ranking if i == ranking[at][0]]
                found.append(f"{label}之间也有进位相同者({'、'.join(names)},均 +{ranking[at][0]}),按本年名次先后")
    return [f"- 另外,{';'.join(found)}。"] if found else []


FINDING_THRESHOLDS = {
    ("12(1)", "县"): "1 起重大以上或 2 起较大以上",
    ("12(1)", "市"): "1 起特别重大或 2 起重大以上",
    ("12(2)", "县"): "一年 2 起三级(较大)以上",
    ("12(2)", "市"): "连续两年各有二级(重大)以上",
    ("13(1)", "县"): "1 起特别重大或 2 起重大以上",
    ("13(1)", "市"): "连续两年各有特别重大",
    ("13(1)", "省级部门"): "1 起特别重大",
}


def finding_lines(facts: dict) -> dict[str, str]:
    """README bullet per findings clause: the units that fire in 2023 and the boundary rows that do not."""
    findings, fired = facts["findings"], facts["findings_fired"]
    cadres = {r["姓名"] + r["单位"]: r for r in facts["cadre_rows"][2023]}

    def rows(area: str, unit: str | None = None, year: int = 2023) -> list[dict]:
        return [r for r in findings.get(year, []) if r["领域"] == area and unit in (None, r["单位"])]

    def level(area: str, unit: str) -> str:
        r = rows(area, unit)[0]
        text = {"县": "县级", "市": "市级"}.get(r["level"], r["level"])
        if r["层级"] is None:
            return f"层级留空,按{'县域监测' if r['level'] == '县' else '目标责任考核'}推定为{text}"
        return text

    def tally(area: str, unit: str) -> str:
        parts = []
        for year in sorted(findings):
            grades: dict[str, int] = {}
            for r in rows(area, unit, year):
                grades[r["等级"]] = grades.get(r["等级"], 0) + 1
            if grades:
                parts.append("、".join(f"{n} 起{g}" for g, n in grades.items()))
                if len(findings) > 1 and any(rows(area, unit, y) for y in findings if y != year):
                    parts[-1] = f"{year} 年 " + parts[-1]
        return "、".join(parts)

    def named(r: dict) -> str:
        people = [cadres[name + r["单位"]] for name in (r["姓名"].split("、") if r["姓名"] else [])]
        return "、".join(f"{p['姓名']}({p['干部编号']},{p['职务']})" for p in people)

    def counted(clause: str, area: str) -> str:
        units = list(dict.fromkeys(r["单位"] for r in rows(area)))
        yes, no = [], []
        for u in units:
            r = rows(area, u)[0]
            rule = FINDING_THRESHOLDS.get((clause, r["level"]))
            text = f"{u}({level(area, u)},{tally(area, u)}"
            if clause == "12(1)" and censured(r):
                text += f";{r['通报']}{r['处理']}(「处理」列),不论事故等级)"
            else:
                text += f";{'达到' if u in fired[clause] else '未达'} {rule})"
            (yes if u in fired[clause] else no).append(text)
        return "列入 " + ";".join(yes) + ("。不列入:" + ";".join(no) if no else "") + "。"

    party = rows("党建")
    eco = rows("生态环保")
    national = rows("全国考核评比")
    person = facts["findings_person"]
    unrest_county = next(r for r in rows("综治维稳") if r["level"] == "县")
    place = next(r for r in facts["monitoring_rows"][2023] if r["县区"] == unrest_county["单位"])
    rectified = [r["单位"] for r in rows("综治重点整顿")]
    return {
        "6": "- 6 党建:"
        + ";".join(
            f"{r['单位']}({day_text(r['日期'])} {r['通报']}{r['等级']},条款 {r['条款']}),点名 {named(r)}" for r in party
        )
        + f"。{person['姓名']} 2021—2023 年年度考核均为优秀,因本条情形(无容错认定)不列入激励 7(1) 连续三年优秀干部名单。",
        "8(4)": "- 8(4) 全国考核评比(最后档次或后 5 位,含第 5 位):列入 "
        + ";".join(f"{r['单位']}({r['通报']},{r['等级']})" for r in national if r["单位"] in fired["8(4)"])
        + "。不列入:"
        + ";".join(f"{r['单位']}({r['等级']},不在后 5 位)" for r in national if r["单位"] not in fired["8(4)"])
        + "。",
        "11": "- 11 生态环保:"
        + ";".join(
            f"{r['单位']}({day_text(r['日期'])} {r['通报']}{r['等级']},问题严重 {r['问题严重']},条款 {r['条款']}),"
            f"点名 {named(r)}"
            for r in eco
        )
        + "。",
        "12(1)": "- 12(1) 安全生产(按「发生日期」所在自然年计,未填的按认定日期):" + counted("12(1)", "安全生产"),
        "12(2)": "- 12(2) 食品药品:" + counted("12(2)", "食品药品"),
        "13(1)": "- 13(1) 综治维稳:"
        + counted("13(1)", "综治维稳")
        + f"{unrest_county['单位']} 为 2023 年县域监测第 {as_int(place['名次'])} 名({place['类型']}),"
        f"其主要负责人 {named(unrest_county)} 在认定「姓名」列写明,因本条情形不列入激励 7(3) 优秀县(市、区)党政正职。",
        "13(2)": "- 13(2) 综治重点整顿(本年和上年均为重点整顿单位):列入 "
        + "、".join(f"{u}(2022、2023 年)" for u in rectified if u in fired["13(2)"])
        + "。不列入:"
        + "、".join(f"{u}(仅 2023 年,{level('综治重点整顿', u)})" for u in rectified if u not in fired["13(2)"])
        + "。",
    }


def commendation_line(cases: dict[str, tuple]) -> str:
    """The README's line on 激励 7(4), from the designed 表彰 cells."""

    def who(case: str) -> str:
        pid, name, unit, honour, body = cases[case]
        return f"{unit} {name}({pid})「{honour}」" + (f"(表彰机关 {body})" if body else "")

    return (
        f"- 表彰(激励 7(4),2023 年干部表「表彰」「表彰机关」列):{who('listed')}、{who('alias')} 列入受表彰干部名单"
        f"(中共中央即党中央);{who('unlisted_body')} 不是所列机关,提示不列入;{who('no_body')} 未填表彰机关,"
        f"未能判定;{who('held')} 受党建责任认定点名,不列入。"
    )


def day_text(value: object) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)


def readme(facts: dict) -> str:
    county_ranks, district_ranks = facts["ranks"]
    r21, r22, r23 = (county_ranks[y] for y in YEARS)
    d21, d22, d23 = (district_ranks[y] for y in YEARS)
    c, d = facts["county"], facts["district"]
    imp = c["improvement"]
    decline = facts["repeated_decline"][0]
    [barred] = [r for r in facts["monitoring_rows"][2023] if r["不得评优"]]
    last_both = []
    for kinds, k in ((("县（市）", "县"), 3), (("城区", "区"), 1)):
        bottoms = []
        for year in (2022, 2023):
            rows = [r for r in facts["monitoring_rows"][year] if r["类型"] in kinds]
            bottoms.append([r["县区"] for r in rows if r["四项指标排位"] > len(rows) - k])
        last_both += [u for u in bottoms[1] if u in bottoms[0]]
    tie_a, tie_b = facts["tie"]
    no_exc = facts["no_excellent"][2023]
    extra = facts["extra"]
    cad = {r["干部编号"]: r for r in facts["cadre_rows"][2023]}
    adj = extra["调整记录"]
    three_years = sorted(
        facts["excellent_units"][2021] & facts["excellent_units"][2022] & facts["excellent_units"][2023],
        key=lambda u: (u not in CITIES, u),
    )
    grades = {y: {r["干部编号"]: r["年度考核等次"] for r in facts["cadre_rows"][y]} for y in YEARS}
    cadre_3y = sorted(pid for pid in grades[2023] if all(grades[y].get(pid) == "优秀" for y in YEARS))
    findings = facts["findings"]
    clauses = finding_lines(facts)
    blank_levels = [r for y in sorted(findings) for r in findings[y] if r["层级"] is None]
    person = facts["findings_person"]
    tol_person, tol_unit, tol_reduced = extra["容错认定"]
    tol_units = {r["单位"]: r for r in extra["容错认定"] if not r["姓名"] and r["范围"] == "目标责任考核"}
    tol_people = {r["姓名"]: r for r in extra["容错认定"] if r["姓名"]}
    preset_2022 = dict(facts["preset"][2022])
    ordinary_twice = [u for u, g in facts["preset"][2023] if g == "一般" and preset_2022.get(u) == "一般"]
    poor_target = [u for u, g in facts["preset"][2023] if g == "较差"]
    first = {r["干部编号"]: r for r in facts["cadre_rows"][2021]}
    pov = facts["poverty_demotion"]
    # Units whose 主要负责人 a 2023 能下 clause names (8(1) 较差, 9(1), 10(1)-(4)): not on the 7(1) list either.
    heads_triggered = set(poor_target) | {decline} | {pov[k]["单位"] for k in ("10(1)", "10(2)", "10(3)", "10(4)")}
    district_declines = []
    for last, now in ((d21, d22), (d22, d23)):
        top = largest_declines(last, now, 1)
        district_declines.append(
            "、".join(top) + ("(均 " if len(top) > 1 else "(") + f"{now[top[0]] - last[top[0]]} 位)"
        )
    district_last = []
    for year in (2022, 2023):
        rows = [r for r in facts["monitoring_rows"][year] if r["类型"] in ("城区", "区")]
        district_last.append(next(r["县区"] for r in rows if r["四项指标排位"] == len(rows)))

    def day(value: object) -> str:
        return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)

    def trail(u: str, ranks: tuple[dict, dict, dict]) -> str:
        return "→".join(str(r[u]) for r in ranks)

    lines = [
        "# 示例数据(模拟数据)",
        "",
        "本目录的工作簿为**模拟数据**,仅用于演示和测试,不代表任何真实地区或个人;"
        "地名(如 云溪县、青山县、白鹿原区)、单位名和人名均为虚构。",
        "",
        "| 文件 | 内容 |",
        "|---|---|",
        "| `2021.xlsx` `2022.xlsx` `2023.xlsx` | 三个年度的考核结果:说明、目标责任考核、县域监测、脱贫攻坚、干部;"
        "2023 年另有 责任认定、容错认定、调整记录,2022 年另有 责任认定、调整记录,2021 年另有 调整记录 |",
        "| `local-pack.toml` | 本地规则包 `示例市-2023`(基于 `shaanxi-2018`),设定目标责任考核奖金 "
        "优秀 12000 / 良好 10000 / 一般 8000 元每人;`[documents]` 为 `sanshi notices` 的发文机关、代字、文号、"
        "成文日期和公示期(均为模拟) |",
        "| `有误示例/2023.xlsx` | 2023.xlsx 改出几处常见错误(得分写成 `9O.5`、单位重复、等次写成 `优`、"
        "删去排序列),演示 `sanshi check` 一次列出全部问题 |",
        "| `2023-公示.xlsx` | 公示时的2023年工作簿:比定稿的 2023.xlsx 少三处更正(云岭市综合得分误录为 94.19,实为 91.49;"
        "汤志基本称职票误计为 9 票,实为 10 票;碧乐县 秦组容〔2023〕7号 容错认定在公示后才作出),"
        "演示公示 → 复核 → 定稿的比对 |",
        "| `generate.py` | 生成脚本 |",
        "",
        "重新生成(固定随机种子,结果逐字节相同;生成后用 python-calamine 读回并校验设计的各项情形):",
        "",
        "```",
        "pip install openpyxl python-calamine",
        "python sample_data/generate.py",
        "```",
        "",
        "本文件也由 `generate.py` 生成,名称与数字均取自生成的工作簿。",
        "",
        "## 2023 年度设计的情形",
        "",
        "**目标责任考核(35% 名额,向下取整)**",
        "",
        f"- 省级部门 40 个,名额 14。可评优单位(无预定等次、无不得评优)按得分排序,第 14、15 位"
        f"{tie_a}、{tie_b} 得分同为 {facts['tie_score']};排序列分别为 1、2,"
        f"故 {tie_a} 为优秀、{tie_b} 为良好。删去排序列则应因名额线并列而停止(退出码 2)。",
        "- 设区市 12 个,名额 4;其他各组各年在名额线上均无并列。",
        f"- {no_exc[0]} 得分居本组第 {no_exc[2]} 位,但不得评优({no_exc[1]})。",
        "- 预定等次:"
        + ";".join(f"{y} 年 " + "、".join(f"{u} {g}" for u, g in facts["preset"][y]) for y in YEARS)
        + f"。{tol_unit['单位']} 连续两年一般(能下 8(1)),另有容错认定 {tol_unit['文号']}(范围 目标责任考核)。",
        ("- 2021—2023 连续三年优秀的单位:" + "、".join(three_years) + "。") if three_years else "",
        "",
        "**县域监测**(十强县、五强区;名次写作 2021→2022→2023,金额单位万元):",
        "",
        "| 本年名次 | 县区 | 名次变化 | 情形 | 金额 |",
        "|---|---|---|---|---|",
        *award_rows(c, (r21, r22, r23), TOP_COUNTIES),
        *award_rows(d, (d21, d22, d23), TOP_DISTRICTS),
        "",
        "- 县(市)争先进位奖前 10 名:"
        + "、".join(f"{u}(+{i})" for i, _, u in imp[:10])
        + f"。第 10、11 位 {imp[9][2]}(2023 名次 {imp[9][1]})与 {imp[10][2]}(名次 {imp[10][1]})"
        f"进位同为 {imp[9][0]},按本年名次靠前者入选,{imp[10][2]} 落选。",
        "- 城区争先进位奖前 5 名:" + "、".join(f"{u}(+{i})" for i, _, u in d["improvement"][:5]) + "。",
        *boundary_ties(imp, d["improvement"]),
        f"- 能下 9(1):{decline}(" + trail(decline, (r21, r22, r23)) + ")2022、2023 年退位幅度均在前 3 名。",
        "- 能下 9(2)(四项指标排位连续两年在后 3 名/最后 1 名):" + "、".join(last_both) + "。",
        f"- 不得评优(一票否决):{barred['县区']}(2023 名次 {as_int(barred['名次'])},「{barred['不得评优']}」),"
        "不授予称号、不予奖励;该县本不在任何获奖之列,各项金额不受影响。",
        "",
        "**干部、能下与容错**",
        "",
    ]
    for name, unit, bad, incompetent, total in facts["votes_30"]:
        lines.append(
            f"- 民主测评:{unit} {name} 基本称职和不称职 {bad}/{total} 票"
            f"(不称职 {incompetent} 票),达到 30%(能下 8(2)"
            + (
                ",2016 版另需不称职超过 15%,亦满足"
                if Fraction(incompetent, total) > Fraction(15, 100)
                else ";恰为 30%,“以上”含本数"
            )
            + ")。"
        )
    for name, unit, bad, total in facts["votes_near"]:
        lines.append(f"- 未达线:{unit} {name} {bad}/{total} 票,不足 30%。")
    basic_twice = [
        r for r in facts["cadre_rows"][2023] if r["年度考核等次"] == "基本称职" and r["上年考核等次"] == "基本称职"
    ]
    incompetent_rows = [r for r in facts["cadre_rows"][2023] if r["年度考核等次"] == "不称职"]
    new_basic = "、".join(f"{r['单位']} {r['姓名']}({r['干部编号']})" for r in facts["new_basic"])
    lines += [
        "- 年度考核(能下 8(3)):"
        + "、".join(f"{r['单位']} {r['姓名']} 连续两年基本称职" for r in basic_twice)
        + ";"
        + "、".join(f"{r['单位']} {r['姓名']} 本年不称职" for r in incompetent_rows)
        + f";{new_basic} 为 2023 年新任(上年考核等次空白),本年基本称职,2022年考核等次缺失,列入未能判定。",
        f"- 容错:{tol_person['文号']} 认定 {tol_person['单位']} {tol_person['姓名']}(范围 {tol_person['范围']},"
        f"结论 免责);{tol_reduced['文号']} 认定 {tol_reduced['单位']}(范围 {tol_reduced['范围']})结论为 减责:"
        "该单位的 10(2) 情形仍列入能下名单,注明“容错减责”和文号(容错纠错办法第九条“可以减责”)。",
        f"- 责任认定:2023 年 {len(findings[2023])} 条,2022 年 {len(findings[2022])} 条"
        "(2022 年的用于食品药品、综治维稳的市级和综治重点整顿的连续两年判断);"
        "事故、事件等级两种写法并用(特别重大/重大/较大/一般 与 一级/二级/三级,如 三级(较大)、二级);"
        "层级留空的 "
        + "、".join(f"{r['日期'].year} 年 {r['单位']}({r['领域']})" for r in blank_levels)
        + " 由县域监测或目标责任考核推定。各条款的情形见下。",
        "- 调整记录:"
        + ";".join(
            f"{r['姓名']}({r['干部编号']},{r['单位']}){day(r['决定日期'])} "
            f"{r['调整方式']},2023 年在 {cad[r['干部编号']]['单位']} 任{cad[r['干部编号']]['职务']}"
            for r in adj
        )
        + "。",
        "- 以前年度的调整记录:"
        + ";".join(
            f"{y}.xlsx {r['姓名']}({r['干部编号']},{r['单位']} {first[r['干部编号']]['职务']},"
            f"2021 年{first[r['干部编号']]['年度考核等次']},2022 年起不在名单){day(r['决定日期'])} {r['调整方式']}"
            for y in YEARS[:-1]
            for r in facts["adjustments"][y]
        )
        + "。",
        f"- 连续三年年度考核优秀的干部 {len(cadre_3y)} 人,其中 {person['单位']} {person['姓名']}({person['干部编号']})"
        "受党建责任认定点名,不列入激励 7(1);另有 "
        + "、".join(
            f"{cad[pid]['单位']} {cad[pid]['姓名']}"
            for pid in cadre_3y
            if cad[pid]["岗位类别"] == "主要负责人" and cad[pid]["单位"] in heads_triggered
        )
        + f" 为本年触发能下情形单位的主要负责人,同样不列入;实列 {len(cadre_3y) - 1 - sum(1 for pid in cadre_3y if cad[pid]['岗位类别'] == '主要负责人' and cad[pid]['单位'] in heads_triggered)} 人。"
        "干部编号跨年不变,少数人调动单位、离任或新任。",
        commendation_line(facts["commendations"]),
        "",
        "2023 年末应列出的能下情形,按条款:",
        "",
        clauses["6"],
        "- 8(1) 目标责任考核:"
        + ";".join(
            [
                f"{u} 2022、2023 年连续两年一般"
                + (f"(有容错认定 {tol_units[u]['文号']},范围 {tol_units[u]['范围']})" if u in tol_units else "")
                for u in ordinary_twice
            ]
            + [f"{u} 2023 年较差" for u in poor_target]
        )
        + "。",
        "- 8(2) 民主测评基本称职和不称职票达 30%:"
        + "、".join(
            f"{unit} {name}({bad}/{total})"
            + (f"(有容错认定 {tol_people[name]['文号']},范围 {tol_people[name]['范围']})" if name in tol_people else "")
            for name, unit, bad, _, total in facts["votes_30"]
        )
        + "。",
        "- 8(3) 年度考核:"
        + "、".join(f"{r['单位']} {r['姓名']} 连续两年基本称职" for r in basic_twice)
        + ";"
        + "、".join(f"{r['单位']} {r['姓名']} 不称职" for r in incompetent_rows)
        + f";未能判定:{new_basic}(2022年考核等次缺失,列入未能判定)。",
        clauses["8(4)"],
        f"- 9(1) 县域监测退位幅度连续两年居前(县(市)前 3 名、城区第 1 名):{decline}("
        + trail(decline, (r21, r22, r23))
        + ");城区"
        + (
            "、".join(facts["district_decline"])
            if facts["district_decline"]
            else f"无(退位最多:2022 年 {district_declines[0]},2023 年 {district_declines[1]})"
        )
        + "。",
        "- 9(2) 四项指标排位连续两年在后 3 名(县(市))或最后 1 名(城区):"
        + "、".join(last_both)
        + (
            ""
            if any(u in district_ranks[2023] for u in last_both)
            else f";城区无(最后 1 名:2022 年 {district_last[0]},2023 年 {district_last[1]})"
        )
        + "。",
        f"- 10(1) 脱贫攻坚未完成年度计划:{pov['10(1)']['单位']}(预定等次 {pov['10(1)']['等次']})。",
        f"- 10(2) 脱贫攻坚受到通报批评:{pov['10(2)']['单位']}(「{pov['10(2)']['通报批评']}」,批评机关 "
        f"{pov['10(2)']['批评机关']},问题严重 {pov['10(2)']['问题严重']};省委、省政府的通报批评须问题严重才构成本项)。"
        f"2022.xlsx 的 {facts['city_criticism']['单位']} 受到通报批评的机关为 {facts['city_criticism']['批评机关']},"
        "不构成本项。",
        f"- 10(3) 脱贫攻坚等次为差:{pov['10(3)']['单位']}(综合得分 {pov['10(3)']['综合得分']:.2f})。",
        f"- 10(4) 数字脱贫:{pov['10(4)']['单位']}(「{pov['10(4)']['数字脱贫']}」)。"
        "以上 4 个单位均不在脱贫攻坚优秀单位之列。",
        clauses["11"],
        clauses["12(1)"],
        clauses["12(2)"],
        clauses["13(1)"],
        clauses["13(2)"],
        "- 能下 16 影响期(调离岗位、改任非领导职务、免职 1 年,降职 2 年;截至 2023-12-31 仍在影响期内的):"
        + ";".join(
            f"{r['姓名']}({r['干部编号']}){day(r['决定日期'])} {r['调整方式']} → 影响期至 {day(end)}"
            for r, end in facts["impact"]
            if end >= YEAR_END
        )
        + "。"
        + "".join(
            f"{r['姓名']}({r['干部编号']}){day(r['决定日期'])} {r['调整方式']},影响期至 {day(end)} 已结束,不列入。"
            for r, end in facts["impact"]
            if end < YEAR_END
        ),
        "",
    ]
    return "\n".join(line for line in lines if line is not None) + "\n"


def main() -> None:
    counties, districts, labels = make_places()
    mon = build_monitoring(counties, districts, labels)
    target = build_target()
    poverty, poverty_notes = build_poverty(counties, districts)
    cadres = build_cadres(mon, target, poverty_notes)
    extra = add_demotion_cases(poverty, poverty_notes, cadres, extra_sheets_2023(target, cadres))
    plan = add_findings(mon, target, poverty, cadres, extra)
    plan["commendations"] = add_commendations(cadres, plan, extra)
    written = [write_workbook(year, mon, target, poverty, cadres, extra) for year in YEARS]
    written.append(write_faulty_example(written[-1]))
    written.append(write_publicity_version(written[len(YEARS) - 1]))
    pack = HERE / "local-pack.toml"
    pack.write_text(LOCAL_PACK, encoding="utf-8")
    facts = verify(plan)
    (HERE / "README.md").write_text(readme(facts), encoding="utf-8")
    for path in written + [pack, HERE / "README.md"]:
        print(f"wrote {path.relative_to(HERE.parent)}")
    print("checks passed")


if __name__ == "__main__":
    main()
