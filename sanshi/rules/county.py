"""鼓励激励办法 第五条第(二)项、第六条第(二)项: county monitoring awards.

十强县 / 五强区 with their amounts, 争先进位奖 for counties (by tier) and districts,
and the 现代农业 / 新型工业 / 生态建设 强县 titles. History arrives as arguments
(the previous year's ranks, the earlier years' top lists); nothing here opens a file.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sanshi.errors import ConflictError, MissingDataError, RunWarning, TieError
from sanshi.inputs.records import AreaRank
from sanshi.inputs.schema import COUNTY, DISTRICT, NO, STRONG_TITLES, YES
from sanshi.results import COUNTY_PROGRESS, DISTRICT_PROGRESS, TOP_COUNTY, TOP_DISTRICT, Award, Fact, PendingAward
from sanshi.rules.arith import num
from sanshi.rules.params import RulePack

STRONG_FIELDS = dict(
    zip(
        STRONG_TITLES,
        (("agriculture_rank", "现代农业发展"), ("industry_rank", "新型工业发展"), ("ecology_rank", "生态环境建设")),
    )
)
_LABEL = {COUNTY: "县(市)", DISTRICT: "城区"}


@dataclass(frozen=True)
class EarlierTops:
    """What is known of earlier years: which years, and in which of them each unit made the top list.

    `years_by_type` says which of those years ranked 县(市) and which ranked 城区 (a year that ranked only
    县(市) says nothing of a 城区's 首次进入); without it every known year counts for both."""

    known_years: tuple[int, ...] = ()
    tops: dict[str, tuple[int, ...]] = field(default_factory=dict)
    years_by_type: dict[str, tuple[int, ...]] | None = None

    def years_of(self, area_type: str) -> tuple[int, ...]:
        """The known years that ranked this type of unit."""
        return self.known_years if self.years_by_type is None else self.years_by_type.get(area_type, ())


@dataclass
class CountyOutcome:
    awards: list[Award] = field(default_factory=list)
    undetermined: list[PendingAward] = field(default_factory=list)
    warnings: list[RunWarning] = field(default_factory=list)


def top_size(area_type: str, pack: RulePack) -> int:
    return pack.count("county.top_counties" if area_type == COUNTY else "county.top_districts")


def merge_last_ranks(
    ranks: Sequence[AreaRank],
    history: dict[str, int] | None,
    history_year: int | None,
    where: str,
    sizes: dict[str, int] | None = None,
) -> dict[str, int]:
    """上年名次 from the workbook column and/or the history store; any disagreement stops the run. With `sizes`
    (how many 县(市) and 城区 last year's ranking in the store has), a 上年名次 beyond them stops it too: the
    reader only bounds it by this year's ranking."""
    merged: dict[str, int] = dict(history or {})
    conflicts = []
    for r in ranks:
        if r.last_rank is None:
            continue
        stored = merged.get(r.unit) if history is not None else None
        size = (sizes or {}).get(r.area_type)
        if stored is not None and stored != r.last_rank:
            conflicts.append(
                f"{where} › {r.last_rank_cell}: {r.unit} 工作簿上年名次 {r.last_rank},历史库{history_year}年名次 {stored}"
            )
        elif size is not None and r.last_rank > size:
            label = _LABEL.get(r.area_type, r.area_type)
            conflicts.append(
                f"{where} › {r.last_rank_cell}: {r.unit} 工作簿上年名次 {r.last_rank} 超出{history_year}年{label}排名的"
                f"范围:历史库{history_year}年有 {size} 个{label},名次应在 1 至 {size} 之间"
            )
        merged[r.unit] = r.last_rank
    if conflicts:
        raise ConflictError(
            *conflicts,
            advice=f"以上{len(conflicts)}处上年名次与历史库不一致:请更正工作簿「上年名次」列,"
            f"或重新导入{history_year}年数据(sanshi history import)",
        )
    return merged


def earlier_tops(
    stored: dict[int, Sequence[AreaRank]], pack: RulePack, types: dict[str, str] | None = None
) -> EarlierTops:
    """The earlier years the store has a ranking for, and in which of them each unit made the top list.

    With `types` (this year's type of each unit), a top place of another type does not count: a 县 that
    became a 城区 (高陵县→高陵区) was in 十强县, never yet in 五强区."""
    tops: dict[str, list[int]] = {}
    by_type: dict[str, list[int]] = {}
    for y in sorted(stored):
        for area_type in sorted({r.area_type for r in stored[y]}):
            by_type.setdefault(area_type, []).append(y)
        for r in stored[y]:
            same_type = types is None or types.get(r.unit, r.area_type) == r.area_type
            if same_type and r.rank <= top_size(r.area_type, pack):
                tops.setdefault(r.unit, []).append(y)
    return EarlierTops(
        tuple(sorted(stored)), {u: tuple(ys) for u, ys in tops.items()}, {t: tuple(ys) for t, ys in by_type.items()}
    )


def same_type_ranks(
    ranks: Sequence[AreaRank], last_year: Sequence[AreaRank]
) -> tuple[dict[str, int], list[RunWarning]]:
    """Last year's 名次 of each unit ranked among the same type as this year, and a warning for each unit whose
    type changed (撤县设区): its place among 县(市) is no 上年名次 among 城区, so it has none."""
    now = {r.unit: r.area_type for r in ranks}
    same: dict[str, int] = {}
    warnings: list[RunWarning] = []
    for r in last_year:
        if now.get(r.unit, r.area_type) == r.area_type:
            same[r.unit] = r.rank
        else:
            warnings.append(
                RunWarning(
                    "county.type_changed",
                    f"{r.unit} 上年在{_LABEL.get(r.area_type, r.area_type)}中排名(第{r.rank}名),今年在"
                    f"{_LABEL.get(now[r.unit], now[r.unit])}中:上年名次不可比,按无上年名次计"
                    f"(不参加争先进位评定,是否首次进入只看以前年度同类排名)",
                    units=(r.unit,),
                )
            )
    return same, warnings


def check_renames(ranks: Sequence[AreaRank], last_year: Sequence[AreaRank], year: int, where: str) -> None:
    """A unit of this year that last year's ranking lacks, while last year's ranking has a unit this year lacks
    (神木县 -> 神木市, or 高陵县 -> 高陵区 across the two rankings), may be one unit renamed: its 首次进入, 进位
    and 上年名次 would then be wrong, so the run stops naming both, unless the row itself says 上年名次 or
    曾进入, or a 单位名称对照 row joins the names."""
    now = {r.unit for r in ranks}
    before = {r.unit for r in last_year}
    gone = {r.unit: r.area_type for r in last_year if r.unit not in now}
    if not gone:
        return
    conflicts = []
    for r in ranks:
        if r.unit in before or r.last_rank is not None or r.ever_top is not None:
            continue
        # The gone names of the same ranking first, each nearest first; another ranking's with its type.
        names = sorted(
            gone, key=lambda u: (gone[u] != r.area_type, -difflib.SequenceMatcher(None, r.unit, u).ratio(), u)
        )
        listed = "、".join(u if gone[u] == r.area_type else f"{u}({_LABEL.get(gone[u], gone[u])})" for u in names)
        conflicts.append(
            f"{where} › {r.cell}: {r.unit} 不在历史库{year}年县域监测表中,而{year}年的 "
            f"{listed} 今年不在:如是同一单位改了名称,请在「单位名称对照」表写明"
            f"(别名 {names[0]},规范名称 {r.unit});如确为新单位,请填写该行「上年名次」或「曾进入」"
        )
    if conflicts:
        raise ConflictError(*conflicts, advice="以上单位的首次进入、进位和奖励金额取决于以前年度,名称对不上时不予计算")


def county_awards(
    ranks: Sequence[AreaRank], last_ranks: dict[str, int], earlier: EarlierTops, pack: RulePack
) -> CountyOutcome:
    """All awards of 激励 5(2)/6(2) for one year's monitoring ranking."""
    outcome = CountyOutcome()
    if not ranks:
        # A 县域监测 sheet with its headers and no rows: nothing is awarded, and that is said once (not as a
        # sub-ranking column missing, which it is not).
        titles = "、".join(pack.names("strong_county.titles"))
        outcome.warnings.append(
            RunWarning(
                "county.no_rows",
                f"县域监测表只有表头,没有数据行:未评定十强县、五强区、争先进位奖和{titles};"
                "如本年有县域监测考评结果,请填入后重新运行",
            )
        )
        return outcome
    missing: list[str] = []
    rankings = {
        area_type: sorted((r for r in ranks if r.area_type == area_type), key=lambda r: r.rank)
        for area_type in (COUNTY, DISTRICT)
    }
    for area_type, award in ((COUNTY, TOP_COUNTY), (DISTRICT, TOP_DISTRICT)):
        _top_awards(rankings[area_type], area_type, award, last_ranks, earlier, pack, outcome, missing)
    if missing:
        raise MissingDataError(*missing)
    for area_type, ranking in rankings.items():
        _progress_awards(ranking, area_type, last_ranks, pack, outcome)
    _strong_awards(ranks, pack, outcome)
    _cap(outcome, pack)
    if outcome.undetermined:
        outcome.warnings.insert(
            0,
            RunWarning(
                "county.pending",
                f"{'、'.join(f'{p.unit}({p.award})' for p in outcome.undetermined)} 未能判定,"
                f"未计入奖励资金合计,也不列入公文:补齐所缺事实后重新运行",
                units=tuple(p.unit for p in outcome.undetermined),
            ),
        )
    return outcome


def _winners(
    ordered: Sequence[AreaRank], places: int, what: str, pack: RulePack, outcome: CountyOutcome
) -> list[tuple[int, AreaRank]]:
    """The first `places` of `ordered` that may be awarded, each with the place it is awarded in. A unit the
    sheet bars (不得评优, 一票否决) gets nothing; its place stays empty and nobody moves up (county.barred_vacancy
    = vacant: each keeps its own place) or the next move up one place each (next), said either way."""
    vacancy = pack.choice("county.barred_vacancy")
    winners: list[tuple[int, AreaRank]] = []
    for position, r in enumerate(ordered, start=1):
        if len(winners) >= places or vacancy == "vacant" and position > places:
            break
        if r.no_excellent:
            then = "名额空缺" if vacancy == "vacant" else "由其后一名递补"
            outcome.warnings.append(
                RunWarning(
                    "county.barred",
                    f"{r.unit} 不得评优({r.no_excellent}):不授予{what},不予奖励,{then}"
                    f"(规则包 county.barred_vacancy = {vacancy};{pack.clause('county.barred_vacancy')})",
                    units=(r.unit,),
                    clause=pack.clause("county.barred_vacancy"),
                )
            )
            continue
        winners.append((position if vacancy == "vacant" else len(winners) + 1, r))
    return winners


def _top_awards(
    ranking: list[AreaRank],
    area_type: str,
    award: str,
    last_ranks: dict[str, int],
    earlier: EarlierTops,
    pack: RulePack,
    outcome: CountyOutcome,
    missing: list[str],
) -> None:
    """第一名和首次进入的各奖励100万元;其他以50万元为基数,较上年每进步或后退1位增减10万元."""
    size = top_size(area_type, pack)
    first_place, first_entry = pack.amount("county.first_place_amount"), pack.amount("county.first_entry_amount")
    base, step, floor_ = (
        pack.amount("county.base_amount"),
        pack.amount("county.step_amount"),
        pack.amount("county.amount_floor"),
    )
    scope = pack.choice("county.first_place_scope")
    title_clause = pack["county.top_counties" if area_type == COUNTY else "county.top_districts"].clause
    conflicts = []
    known_years = earlier.years_of(area_type)
    known = "、".join(str(y) for y in known_years)
    for _, r in _winners(ranking, size, award, pack, outcome):
        moved_up = f"(第{size}名以内有不得评优的单位,递补)" if r.rank > size else ""
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
        # 首次 needs an earlier year known for the unit: history of the ranking or 曾进入; a 上年名次 outside the
        # top list says nothing of the years before it.
        unknown = not known_years and r.ever_top is None and (last is None or last > size)
        first_paid = r.rank == 1 and (scope == "all" or area_type == COUNTY)
        if r.rank == 1 and not first_paid:
            outcome.warnings.append(
                RunWarning(
                    "county.first_place_scope",
                    f"{r.unit}为{_LABEL[area_type]}第1名,按规则包 county.first_place_scope = "
                    f"{scope}({pack.clause('county.first_place_scope')})不另给第一名奖励,按{award}计",
                    units=(r.unit,),
                    clause=pack.clause("county.first_place_scope"),
                )
            )
        if first_paid:
            note = ",且为首次进入" if is_first_entry and not unknown else ""
            outcome.awards.append(
                Award(
                    r.unit,
                    award,
                    None,
                    first_place,
                    f"{title_clause};{pack.clause('county.first_place_amount')}",
                    f"{_LABEL[area_type]}第1名{note}:{num(first_place)}万元",
                    rank_facts(r.rank, last),
                )
            )
        elif is_first_entry and unknown:
            outcome.undetermined.append(
                PendingAward(
                    r.unit,
                    award,
                    f"{title_clause};{pack.clause('county.first_entry_amount')}",
                    f"名次第{r.rank}"
                    + (f",上年第{last}名" if last is not None else "")
                    + f";是否首次进入{award}无从判断(没有以前年度县域监测数据,「曾进入」未填):请在「曾进入」列"
                    f"填写 是/否,或先导入以前年度数据(sanshi history import)",
                )
            )
        elif is_first_entry:
            if r.ever_top == NO:
                why = "「曾进入」列为否"
            else:
                why = f"已知年份({known or '无'})均未进入" + (f",上年第{last}名" if last is not None else "")
                outcome.warnings.append(
                    RunWarning(
                        "county.first_entry_assumed",
                        f"{r.unit} 按{why}判定为首次进入{award};{'更早' if known else '以前'}年份情况未知,"
                        f"如曾进入请在「曾进入」列填写“是”",
                        units=(r.unit,),
                    )
                )
            outcome.awards.append(
                Award(
                    r.unit,
                    award,
                    None,
                    first_entry,
                    f"{title_clause};{pack.clause('county.first_entry_amount')}",
                    f"名次第{r.rank}{moved_up},首次进入{award}({why}):{num(first_entry)}万元",
                    (*rank_facts(r.rank, last), Fact(f"首次进入{award}", "是")),
                )
            )
        elif last is None:
            missing.append(
                f"{r.unit}(县域监测 › {r.cell})缺少上年名次,无法计算{award}奖励:"
                f"请在「上年名次」列填写,或先导入上年数据(sanshi history import)"
            )
        else:
            moved = last - r.rank
            raw = base + step * moved
            amount = max(raw, floor_)
            if moved > 0:
                formula = f"进{moved}位:{num(base)}+{moved}×{num(step)}={num(raw)}万元"
            elif moved < 0:
                formula = f"退{-moved}位:{num(base)}−{-moved}×{num(step)}={num(raw)}万元"
            else:
                formula = f"名次持平:{num(base)}万元"
            basis = f"名次 {last}→{r.rank}{moved_up},{formula}"
            clause = f"{title_clause};{pack.clause('county.base_amount')}"
            if raw < floor_:
                basis += f",按下限计{num(amount)}万元"
                outcome.warnings.append(
                    RunWarning(
                        "county.amount_floor",
                        f"{r.unit} {award}奖励按公式为{num(raw)}万元,低于下限,按{num(amount)}万元计,称号照授",
                        units=(r.unit,),
                    )
                )
            outcome.awards.append(Award(r.unit, award, None, amount, clause, basis, rank_facts(r.rank, last)))
    if conflicts:
        raise ConflictError(*conflicts, advice="请更正「曾进入」列,或核对历史库中以前年度的县域监测数据")


def rank_facts(rank: int, last: int | None) -> tuple[Fact, ...]:
    """This year's 名次, last year's and the change, as an office states them (第2名, 前进6位)."""
    facts = [Fact("县域监测名次", f"第{rank}名")]
    if last is not None:
        moved = last - rank
        change = f"前进{moved}位" if moved > 0 else (f"后退{-moved}位" if moved < 0 else "持平")
        facts += [Fact("上年县域监测名次", f"第{last}名"), Fact("较上年", change)]
    return tuple(facts)


def _cap(outcome: CountyOutcome, pack: RulePack) -> None:
    """The 2018 text caps no award; the 2016 考评办法 capped each at 100万 (county.amount_cap). An amount above
    the 第一名's is said, and capped when the pack sets a cap."""
    cap, first = pack.optional_amount("county.amount_cap"), pack.amount("county.first_place_amount")
    above: list[tuple[Award, Decimal]] = []
    for index, a in enumerate(outcome.awards):
        if a.award not in (TOP_COUNTY, TOP_DISTRICT) or a.amount_wan is None:
            continue
        if cap is not None and a.amount_wan > cap:
            outcome.awards[index] = replace(
                a,
                amount_wan=cap,
                clause=f"{a.clause};{pack.clause('county.amount_cap')}",
                basis=f"{a.basis},超过上限按{num(cap)}万元计(规则包 county.amount_cap)",
            )
            outcome.warnings.append(
                RunWarning(
                    "county.amount_cap",
                    f"{a.unit} {a.award}奖励按公式为{num(a.amount_wan)}万元,超过上限,"
                    f"按{num(cap)}万元计(规则包 county.amount_cap;{pack.clause('county.amount_cap')})",
                    units=(a.unit,),
                    clause=pack.clause("county.amount_cap"),
                )
            )
        elif cap is None and a.amount_wan > first:
            above.append((a, a.amount_wan))
    if above:
        outcome.warnings.append(
            RunWarning(
                "county.above_first_place",
                f"{'、'.join(f'{a.unit}{a.award}{num(amount)}万元' for a, amount in above)},高于第一名的"
                f"{num(first)}万元:办法未设上限,照发;如按2016年县域监测考评办法以100万元为限,"
                f"请在规则包设定 county.amount_cap",
                units=tuple(a.unit for a, _ in above),
            )
        )


def _progress_awards(
    ranking: list[AreaRank], area_type: str, last_ranks: dict[str, int], pack: RulePack, outcome: CountyOutcome
) -> None:
    """名次进位快的前10名县(市)按一、二、三等奖,前5名城区各奖励50万元;进位相同按本年名次先后
    (county.progress_ties: by_rank, include the tied units at the cut or a tier line, or stop)."""
    if not ranking:
        return
    label = _LABEL[area_type]
    without = [r.unit for r in ranking if r.unit not in last_ranks]
    if len(without) == len(ranking):
        raise MissingDataError(
            f"{label}均无上年名次,无法评定争先进位奖:请在「上年名次」列填写,"
            f"或导入上年数据(sanshi history import),年度不连续时用 --previous-year 指定"
        )
    if without:
        outcome.warnings.append(
            RunWarning(
                "county.no_last_rank",
                f"{label}中 {'、'.join(without)} 无上年名次,未参加争先进位评定",
                units=tuple(without),
            )
        )
    risers = [(last_ranks[r.unit] - r.rank, r) for r in ranking if r.unit in last_ranks and last_ranks[r.unit] > r.rank]
    risers.sort(key=lambda pair: (-pair[0], pair[1].rank))
    if area_type == COUNTY:
        count_key, award = "county.progress_counties", COUNTY_PROGRESS
        slots: list[tuple[str | None, Decimal]] = [
            (t.name, t.amount) for t in pack.tiers("county.progress_tiers") for _ in range(t.size)
        ]
        amount_clause = pack.clause("county.progress_tiers")
    else:
        count_key, award = "county.progress_districts", DISTRICT_PROGRESS
        slots = [(None, pack.amount("county.progress_district_amount"))] * pack.count(count_key)
        amount_clause = pack.clause("county.progress_district_amount")
    places = pack.count(count_key)
    count = min(places, len(slots))
    if len(risers) < count:
        outcome.warnings.append(
            RunWarning(
                "county.few_risers",
                f"{label}名次进位的只有{len(risers)}个,{award}评出{len(risers)}个(名额{places}个)",
            )
        )
    ordered = [r for _, r in risers]
    moved_of = {r.unit: moved for moved, r in risers}
    place_of = {r.unit: place for place, r in enumerate(ordered, start=1)}
    winners = _winners(ordered, count, award, pack, outcome)
    included = _progress_cut_ties(winners, ordered, moved_of, count, award, pack, outcome)
    paid_slot = _progress_tier_ties(winners + included, moved_of, slots, award, pack, outcome)
    policy = pack.choice("county.progress_ties")
    for slot, r in winners + included:
        moved, place = moved_of[r.unit], place_of[r.unit]
        tier, amount = slots[paid_slot[r.unit] - 1]
        same = [other.unit for m, other in risers if m == moved and other is not r]
        tie_note = f"(与{'、'.join(same)}进位相同,按本年名次先后)" if same else ""
        if place > count:
            tie_note += f",与名额线上的单位进位相同,一并授予(规则包 county.progress_ties = {policy})"
        elif slot < place:
            tie_note += f",前列有不得评优的单位,递补为第{slot}"
        if paid_slot[r.unit] != slot and place <= count:
            tie_note += f",与进位相同的单位同按{tier or '较高等级'}(规则包 county.progress_ties = {policy})"
        tier_text = f",{tier}" if tier else ""
        basis = (
            f"名次 {last_ranks[r.unit]}→{r.rank},进{moved}位,进位幅度第{place}{tie_note}{tier_text}:{num(amount)}万元"
        )
        facts = (*rank_facts(r.rank, last_ranks[r.unit]), Fact("进位幅度名次", f"第{place}名"))
        outcome.awards.append(
            Award(r.unit, award, tier, amount, f"{pack[count_key].clause};{amount_clause}", basis, facts)
        )


def _progress_cut_ties(
    winners: list[tuple[int, AreaRank]],
    ordered: list[AreaRank],
    moved_of: dict[str, int],
    count: int,
    award: str,
    pack: RulePack,
    outcome: CountyOutcome,
) -> list[tuple[int, AreaRank]]:
    """Units whose 进位 equals that of the last place but who fall outside the places (the 2014 list had 6
    城区 for 5). by_rank keeps the order by this year's 名次 and says so; include admits them, each in the
    place of the first unit it ties with; error stops the run."""
    vacancy = pack.choice("county.barred_vacancy")
    if vacancy == "vacant":
        reach = count if len(ordered) > count else 0  # the last place inside, barred or not
    else:
        reach = ordered.index(winners[-1][1]) + 1 if len(winners) == count and len(ordered) > count else 0
    if not reach or reach >= len(ordered):
        return []
    cut = moved_of[ordered[reach - 1].unit]
    outside = [r for r in ordered[reach:] if moved_of[r.unit] == cut and not r.no_excellent]
    if not outside:
        return []
    policy = pack.choice("county.progress_ties")
    inside = [r.unit + ("(不得评优)" if r.no_excellent else "") for r in ordered[:reach] if moved_of[r.unit] == cut]
    words = ("名额内", "名额外") if policy == "include" else ("入选", "落选")
    names = f"{'、'.join(inside)}({words[0]})与 {'、'.join(r.unit for r in outside)}({words[1]})进位同为{cut}"
    if policy == "error":
        raise TieError(
            f"{award}名额线并列:{names}。请由考核委员会确定,或在规则包设定 county.progress_ties"
            f"(by_rank 按本年名次先后 / include 一并授予)"
        )
    if policy == "include":
        outcome.warnings.append(
            RunWarning(
                "county.progress_cut_tie",
                f"{award}名额线并列:{names},按规则包 county.progress_ties = include 一并授予,"
                f"超出名额{len(outside)}个({pack.clause('county.progress_ties')})",
                units=(*(r.unit for r in ordered[:reach] if moved_of[r.unit] == cut), *(r.unit for r in outside)),
                clause=pack.clause("county.progress_ties"),
            )
        )
        first = next(place for place, r in enumerate(ordered, start=1) if moved_of[r.unit] == cut)
        slot = min([s for s, r in winners if moved_of[r.unit] == cut] or [first])
        return [(slot, r) for r in outside]
    outcome.warnings.append(
        RunWarning(
            "county.progress_cut_tie",
            f"{award}名额线并列:{names},按本年名次先后取舍"
            f"(规则包 county.progress_ties = by_rank;{pack.clause('county.progress_ties')})",
            units=(*(r.unit for r in ordered[:reach] if moved_of[r.unit] == cut), *(r.unit for r in outside)),
            clause=pack.clause("county.progress_ties"),
        )
    )
    return []


def _progress_tier_ties(
    chosen: list[tuple[int, AreaRank]],
    moved_of: dict[str, int],
    slots: Sequence[tuple[str | None, Decimal]],
    award: str,
    pack: RulePack,
    outcome: CountyOutcome,
) -> dict[str, int]:
    """The place whose amount each unit is paid. Units with the same 进位 on both sides of a tier line (二等奖
    and 三等奖) are ordered by this year's 名次 and said (by_rank), all paid the better tier (include), or the
    run stops (error): the text gives the tiers' amounts, not how a tie between them is settled."""
    policy = pack.choice("county.progress_ties")
    paid = {r.unit: slot for slot, r in chosen}
    groups: dict[int, list[tuple[int, AreaRank]]] = {}
    for slot, r in chosen:
        groups.setdefault(moved_of[r.unit], []).append((slot, r))
    for moved, members in groups.items():
        tiers: dict[str | None, list[str]] = {}
        for slot, r in members:
            tiers.setdefault(slots[slot - 1][0], []).append(r.unit)
        if len(tiers) < 2:
            continue
        names = "与 ".join(f"{'、'.join(units)}({tier})" for tier, units in tiers.items())
        if policy == "error":
            raise TieError(
                f"{award}等级线并列:{names}进位同为{moved}。请由考核委员会确定,或在规则包设定 "
                f"county.progress_ties(by_rank 按本年名次先后 / include 同按较高等级)"
            )
        if policy == "include":
            best = min(slot for slot, _ in members)
            paid.update({r.unit: best for _, r in members})
            outcome.warnings.append(
                RunWarning(
                    "county.progress_tier_tie",
                    f"{award}等级线并列:{names}进位同为{moved},按规则包 county.progress_ties = "
                    f"include 同按{slots[best - 1][0]}({pack.clause('county.progress_ties')})",
                    units=tuple(r.unit for _, r in members),
                    clause=pack.clause("county.progress_ties"),
                )
            )
        else:
            outcome.warnings.append(
                RunWarning(
                    "county.progress_tier_tie",
                    f"{award}等级线并列:{names}进位同为{moved},按本年名次先后分等"
                    f"(规则包 county.progress_ties = by_rank;{pack.clause('county.progress_ties')})",
                    units=tuple(r.unit for _, r in members),
                    clause=pack.clause("county.progress_ties"),
                )
            )
    return paid


def _strong_awards(ranks: Sequence[AreaRank], pack: RulePack, outcome: CountyOutcome) -> None:
    """现代农业、新型工业、生态环境建设年度监测考评前5名的县(市)分别授予称号,各奖励20万元."""
    top_n, amount = pack.count("strong_county.top_n"), pack.amount("strong_county.amount")
    for title in pack.names("strong_county.titles"):
        field_name, what = STRONG_FIELDS[title]
        values = [(getattr(r, field_name), r) for r in ranks if getattr(r, field_name) is not None]
        if not values:
            outcome.warnings.append(RunWarning("county.no_strong_rank", f"县域监测表没有{what}名次,未评定{title}"))
            continue
        ignored = [r.unit for _, r in values if r.area_type != COUNTY]
        if ignored:
            outcome.warnings.append(
                RunWarning(
                    "county.strong_districts_ignored",
                    f"{title}只在县(市)中评定,已忽略城区 {'、'.join(ignored)} 的{what}名次",
                    units=tuple(ignored),
                )
            )
        ordered = [r for _, r in sorted(values, key=lambda pair: pair[0]) if r.area_type == COUNTY]
        inside = [r for r in ordered if getattr(r, field_name) <= top_n]
        for _, r in _winners(ordered, len(inside), title, pack, outcome):
            value = getattr(r, field_name)
            outcome.awards.append(
                Award(
                    r.unit,
                    title,
                    None,
                    amount,
                    f"{pack.clause('strong_county.top_n')};{pack.clause('strong_county.amount')}",
                    f"{what}监测名次第{value}"
                    + ("(前{0}名中有不得评优的单位,递补)".format(top_n) if value > top_n else f"(前{top_n}名)")
                    + f":{num(amount)}万元",
                    (Fact(f"{what}监测名次", f"第{value}名"),),
                )
            )
