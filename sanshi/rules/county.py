"""鼓励激励办法 第五条第(二)项、第六条第(二)项: county monitoring awards.

十强县 / 五强区 with their amounts, 争先进位奖 for counties (by tier) and districts,
and the 现代农业 / 新型工业 / 生态建设 强县 titles. History arrives as arguments
(the previous year's ranks, the earlier years' top lists); nothing here opens a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sanshi.errors import ConflictError, MissingDataError
from sanshi.inputs.records import AreaRank
from sanshi.inputs.schema import COUNTY, DISTRICT, YES, NO
from sanshi.results import COUNTY_PROGRESS, DISTRICT_PROGRESS, TOP_COUNTY, TOP_DISTRICT, Award
from sanshi.rules.arith import num
from sanshi.rules.params import RulePack

STRONG_FIELDS = {"现代农业强县": ("agriculture_rank", "现代农业发展"),
                 "新型工业强县": ("industry_rank", "新型工业发展"),
                 "生态建设强县": ("ecology_rank", "生态环境建设")}
_LABEL = {COUNTY: "县(市)", DISTRICT: "城区"}


@dataclass(frozen=True)
class EarlierTops:
    """What is known of earlier years: which years, and in which of them each unit made the top list."""

    known_years: tuple[int, ...] = ()
    tops: dict[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass
class CountyOutcome:
    awards: list[Award] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def top_size(area_type: str, pack: RulePack) -> int:
    return pack.value("county.top_counties" if area_type == COUNTY else "county.top_districts")


def top_list(ranks: Sequence[AreaRank], pack: RulePack) -> set[str]:
    """Units inside 十强县 / 五强区 in a year's ranking."""
    return {r.unit for r in ranks if r.rank <= top_size(r.area_type, pack)}


def merge_last_ranks(ranks: Sequence[AreaRank], history: dict[str, int] | None, history_year: int | None,
                     where: str) -> dict[str, int]:
    """上年名次 from the workbook column and/or the history store; any disagreement stops the run."""
    merged: dict[str, int] = dict(history or {})
    conflicts = []
    for r in ranks:
        if r.last_rank is None:
            continue
        stored = merged.get(r.unit) if history is not None else None
        if stored is not None and stored != r.last_rank:
            conflicts.append(f"{where} › {r.last_rank_cell}: {r.unit} 工作簿上年名次 {r.last_rank},历史库{history_year}年名次 {stored}")
        merged[r.unit] = r.last_rank
    if conflicts:
        raise ConflictError(*conflicts, advice=f"以上{len(conflicts)}处上年名次与历史库不一致:请更正工作簿「上年名次」列,"
                                        f"或重新导入{history_year}年数据(sanshi history import)")
    return merged


def county_awards(ranks: Sequence[AreaRank], last_ranks: dict[str, int], earlier: EarlierTops,
                  pack: RulePack) -> CountyOutcome:
    """All awards of 激励 5(2)/6(2) for one year's monitoring ranking."""
    outcome = CountyOutcome()
    missing: list[str] = []
    rankings = {area_type: sorted((r for r in ranks if r.area_type == area_type), key=lambda r: r.rank)
                for area_type in (COUNTY, DISTRICT)}
    for area_type, award in ((COUNTY, TOP_COUNTY), (DISTRICT, TOP_DISTRICT)):
        _top_awards(rankings[area_type], area_type, award, last_ranks, earlier, pack, outcome, missing)
    if missing:
        raise MissingDataError(*missing)
    for area_type, ranking in rankings.items():
        _progress_awards(ranking, area_type, last_ranks, pack, outcome)
    _strong_awards(ranks, pack, outcome)
    return outcome


def _top_awards(ranking: list[AreaRank], area_type: str, award: str, last_ranks: dict[str, int],
                earlier: EarlierTops, pack: RulePack, outcome: CountyOutcome, missing: list[str]) -> None:
    """第一名和首次进入的各奖励100万元;其他以50万元为基数,较上年每进步或后退1位增减10万元."""
    size = top_size(area_type, pack)
    first_place, first_entry = pack["county.first_place_amount"], pack["county.first_entry_amount"]
    base, step, floor_ = pack["county.base_amount"], pack["county.step_amount"], pack["county.amount_floor"]
    title_clause = pack["county.top_counties" if area_type == COUNTY else "county.top_districts"].clause
    conflicts = []
    for r in ranking:
        if r.rank > size:
            break
        last = last_ranks.get(r.unit)
        years_in = earlier.tops.get(r.unit, ())
        evidence = [f"{y}年" for y in years_in]
        if last is not None and last <= size and not years_in:
            evidence.append(f"上年第{last}名")
        if r.ever_top == YES:
            evidence.append("曾进入列为是")
        if r.ever_top == NO and (years_in or (last is not None and last <= size)):
            conflicts.append(f"{r.unit}「曾进入」为否,但{'、'.join(evidence)}已进入{award}")
        is_first_entry = not evidence
        known = "、".join(str(y) for y in earlier.known_years)
        if r.rank == 1:
            note = ",且为首次进入" if is_first_entry else ""
            outcome.awards.append(Award(r.unit, award, None, first_place.value, f"{title_clause};{first_place.clause}",
                                        f"{_LABEL[area_type]}第1名{note}:{num(first_place.value)}万元"))
        elif is_first_entry:
            if r.ever_top == NO:
                why = "「曾进入」列为否"
            else:
                why = f"已知年份({known or '无'})均未进入" + (f",上年第{last}名" if last is not None else "")
                outcome.warnings.append(
                    f"{r.unit} 按{why}判定为首次进入{award};{'更早' if known else '以前'}年份情况未知,"
                    f"如曾进入请在「曾进入」列填写“是”")
            outcome.awards.append(Award(r.unit, award, None, first_entry.value, f"{title_clause};{first_entry.clause}",
                                        f"名次第{r.rank},首次进入{award}({why}):{num(first_entry.value)}万元"))
        elif last is None:
            missing.append(f"{r.unit}(县域监测 › {r.cell})缺少上年名次,无法计算{award}奖励:"
                           f"请在「上年名次」列填写,或先导入上年数据(sanshi history import)")
        else:
            moved = last - r.rank
            raw = base.value + step.value * moved
            amount = max(raw, floor_.value)
            if moved > 0:
                formula = f"进{moved}位:{num(base.value)}+{moved}×{num(step.value)}={num(raw)}万元"
            elif moved < 0:
                formula = f"退{-moved}位:{num(base.value)}−{-moved}×{num(step.value)}={num(raw)}万元"
            else:
                formula = f"名次持平:{num(base.value)}万元"
            basis = f"名次 {last}→{r.rank},{formula}"
            clause = f"{title_clause};{base.clause}"
            if raw < floor_.value:
                basis += f",按下限计{num(amount)}万元"
                outcome.warnings.append(f"{r.unit} {award}奖励按公式为{num(raw)}万元,低于下限,按{num(amount)}万元计,称号照授")
            outcome.awards.append(Award(r.unit, award, None, amount, clause, basis))
    if conflicts:
        raise ConflictError(*conflicts, advice="请更正「曾进入」列,或核对历史库中以前年度的县域监测数据")


def _progress_awards(ranking: list[AreaRank], area_type: str, last_ranks: dict[str, int], pack: RulePack,
                     outcome: CountyOutcome) -> None:
    """名次进位快的前10名县(市)按一、二、三等奖,前5名城区各奖励50万元;进位相同按本年名次先后."""
    if not ranking:
        return
    label = _LABEL[area_type]
    without = [r.unit for r in ranking if r.unit not in last_ranks]
    if len(without) == len(ranking):
        raise MissingDataError(f"{label}均无上年名次,无法评定争先进位奖:请在「上年名次」列填写,"
                               f"或导入上年数据(sanshi history import),年度不连续时用 --previous-year 指定")
    if without:
        outcome.warnings.append(f"{label}中 {'、'.join(without)} 无上年名次,未参加争先进位评定")
    risers = [(last_ranks[r.unit] - r.rank, r) for r in ranking if r.unit in last_ranks and last_ranks[r.unit] > r.rank]
    risers.sort(key=lambda pair: (-pair[0], pair[1].rank))
    if area_type == COUNTY:
        count_param, award = pack["county.progress_counties"], COUNTY_PROGRESS
        tiers = pack["county.progress_tiers"]
        slots = [(t.name, t.amount) for t in tiers.value for _ in range(t.size)]
        amount_clause = tiers.clause
    else:
        count_param, award = pack["county.progress_districts"], DISTRICT_PROGRESS
        amount_param = pack["county.progress_district_amount"]
        slots = [(None, amount_param.value)] * count_param.value
        amount_clause = amount_param.clause
    count = min(count_param.value, len(slots))
    if len(risers) < count:
        outcome.warnings.append(f"{label}名次进位的只有{len(risers)}个,{award}评出{len(risers)}个(名额{count_param.value}个)")
    for position, (moved, r) in enumerate(risers[:count], start=1):
        tier, amount = slots[position - 1]
        same = [other.unit for m, other in risers if m == moved and other is not r]
        tie_note = f"(与{'、'.join(same)}进位相同,按本年名次先后)" if same else ""
        tier_text = f",{tier}" if tier else ""
        basis = (f"名次 {last_ranks[r.unit]}→{r.rank},进{moved}位,进位幅度第{position}{tie_note}"
                 f"{tier_text}:{num(amount)}万元")
        outcome.awards.append(Award(r.unit, award, tier, amount, f"{count_param.clause};{amount_clause}", basis))


def _strong_awards(ranks: Sequence[AreaRank], pack: RulePack, outcome: CountyOutcome) -> None:
    """现代农业、新型工业、生态环境建设年度监测考评前5名的县(市)分别授予称号,各奖励20万元."""
    top_n, amount = pack["strong_county.top_n"], pack["strong_county.amount"]
    for title in pack.value("strong_county.titles"):
        field_name, what = STRONG_FIELDS[title]
        values = [(getattr(r, field_name), r) for r in ranks if getattr(r, field_name) is not None]
        if not values:
            outcome.warnings.append(f"县域监测表没有{what}名次,未评定{title}")
            continue
        ignored = [r.unit for _, r in values if r.area_type != COUNTY]
        if ignored:
            outcome.warnings.append(f"{title}只在县(市)中评定,已忽略城区 {'、'.join(ignored)} 的{what}名次")
        for value, r in sorted(values, key=lambda pair: pair[0]):
            if r.area_type == COUNTY and value <= top_n.value:
                outcome.awards.append(Award(r.unit, title, None, amount.value, f"{top_n.clause};{amount.clause}",
                                            f"{what}监测名次第{value}(前{top_n.value}名):{num(amount.value)}万元"))
