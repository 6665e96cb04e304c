"""鼓励激励办法 第五条第(二)项、第六条第(二)项: county awards with hand-worked amounts."""

from decimal import Decimal

import pytest

from sanshi.errors import ConflictError, MissingDataError
from sanshi.inputs.records import AreaRank
from sanshi.rules.county import EarlierTops, county_awards, merge_last_ranks
from sanshi.rules.params import load_pack

PACK = load_pack("shaanxi-2018")


def ranking(n, kind="县", **overrides):
    """n places named 县01.. ranked 1..n; overrides: name -> dict of fields."""
    rows = []
    for i in range(1, n + 1):
        name = f"{kind}{i:02d}"
        fields = {"unit": name, "area_type": "县" if kind == "县" else "城区", "rank": i}
        fields.update(overrides.get(name, {}))
        rows.append(AreaRank(**fields))
    return rows


def top_awards(outcome, award="十强县"):
    return {a.unit: (a.amount_wan, a.basis) for a in outcome.awards if a.award == award}


# Everyone was in the top list in an earlier known year unless a test says otherwise.
ALL_EARLIER = EarlierTops((2021, 2022), {f"县{i:02d}": (2021,) for i in range(1, 31)})


def test_6_2_first_place_100_other_top_ten_50_plus_minus_10_per_place():
    ranks = ranking(12)
    last = {f"县{i:02d}": i for i in range(1, 13)}
    last.update({"县02": 8, "县06": 3, "县05": 5})  # 8→2 up 6; 3→6 down 3; 5→5 level
    outcome = county_awards(ranks, last, ALL_EARLIER, PACK)
    awards = top_awards(outcome)
    assert set(awards) == {f"县{i:02d}" for i in range(1, 11)}
    assert awards["县01"][0] == 100
    assert awards["县02"] == (Decimal(110), "名次 8→2,进6位:50+6×10=110万元")
    assert awards["县06"] == (Decimal(20), "名次 3→6,退3位:50−3×10=20万元")
    assert awards["县05"] == (Decimal(50), "名次 5→5,名次持平:50万元")


def test_6_2_amount_floored_at_zero_with_warning_and_title_kept():
    ranks = ranking(12)
    last = {f"县{i:02d}": i for i in range(1, 13)}
    last["县10"] = 2  # 2→10: 50 − 8×10 = −30 -> floored at 0
    outcome = county_awards(ranks, last, ALL_EARLIER, PACK)
    amount, basis = top_awards(outcome)["县10"]
    assert amount == 0
    assert basis == "名次 2→10,退8位:50−8×10=−30万元,按下限计0万元"
    assert any("县10" in w.message and "低于下限" in w.message for w in outcome.warnings)


def test_6_2_first_entry_100_and_warning_that_earlier_years_are_unknown():
    ranks = ranking(12)
    last = {f"县{i:02d}": i for i in range(1, 13)}
    last["县07"] = 15
    earlier = EarlierTops((2021, 2022), {f"县{i:02d}": (2022,) for i in range(1, 11) if i != 7})
    outcome = county_awards(ranks, last, earlier, PACK)
    amount, basis = top_awards(outcome)["县07"]
    assert amount == 100
    assert "首次进入十强县" in basis and "2021、2022" in basis
    assert any("县07" in w.message and "首次进入" in w.message for w in outcome.warnings)


def test_6_2_first_place_and_first_entry_both_pay_100_once():
    ranks = ranking(12)
    last = {f"县{i:02d}": i for i in range(1, 13)}
    last["县01"] = 14
    earlier = EarlierTops((2022,), {f"县{i:02d}": (2022,) for i in range(2, 11)})
    outcome = county_awards(ranks, last, earlier, PACK)
    first = [a for a in outcome.awards if a.unit == "县01" and a.award == "十强县"]
    assert len(first) == 1 and first[0].amount_wan == 100
    assert "县(市)第1名,且为首次进入:100万元" == first[0].basis


def test_6_2_last_year_in_top_list_means_not_first_entry_even_without_history():
    ranks = ranking(12)
    last = {f"县{i:02d}": i for i in range(1, 13)}
    outcome = county_awards(ranks, last, EarlierTops(), PACK)
    assert top_awards(outcome)["县03"][0] == 50  # was 3rd last year: an ordinary 十强县


def test_6_2_ever_top_column_no_contradicting_history_is_a_conflict():
    ranks = ranking(12, **{"县04": {"ever_top": "否"}})
    last = {f"县{i:02d}": i for i in range(1, 13)}
    with pytest.raises(ConflictError):
        county_awards(ranks, last, ALL_EARLIER, PACK)


def test_6_2_missing_last_rank_for_an_ordinary_top_ten_county_stops():
    ranks = ranking(12)
    last = {f"县{i:02d}": i for i in range(1, 13) if i != 4}
    with pytest.raises(MissingDataError) as caught:
        county_awards(ranks, last, ALL_EARLIER, PACK)
    assert "县04" in str(caught.value) and "上年名次" in str(caught.value)


def test_5_2_progress_award_tiers_and_tie_break_by_current_rank():
    ranks = ranking(30)
    last = {f"县{i:02d}": i for i in range(1, 31)}
    # improvements: 县30←? we build risers by moving last ranks down
    moves = {
        "县11": 20,
        "县12": 15,
        "县13": 14,
        "县14": 12,
        "县15": 10,
        "县16": 9,
        "县17": 8,
        "县18": 7,
        "县19": 6,
        "县20": 5,
        "县21": 5,
        "县22": 1,
    }
    for name, up in moves.items():
        last[name] = int(name[1:]) + up
    outcome = county_awards(ranks, last, ALL_EARLIER, PACK)
    progress = [(a.unit, a.tier, a.amount_wan) for a in outcome.awards if a.award == "县域争先进位奖"]
    assert progress == [
        ("县11", "一等奖", 80),
        ("县12", "一等奖", 80),
        ("县13", "一等奖", 80),
        ("县14", "二等奖", 50),
        ("县15", "二等奖", 50),
        ("县16", "二等奖", 50),
        ("县17", "三等奖", 30),
        ("县18", "三等奖", 30),
        ("县19", "三等奖", 30),
        ("县20", "三等奖", 30),  # 县20 and 县21 both rose 5: 县20 has the better current 名次
    ]
    basis = next(a.basis for a in outcome.awards if a.unit == "县20" and a.award == "县域争先进位奖")
    assert "与县21进位相同,按本年名次先后" in basis


def test_5_2_progress_with_fewer_than_ten_risers_awards_only_risers():
    ranks = ranking(12)
    last = {f"县{i:02d}": i for i in range(1, 13)}
    last["县12"] = 20  # the only county that rose
    outcome = county_awards(ranks, last, ALL_EARLIER, PACK)
    progress = [(a.unit, a.tier, a.amount_wan) for a in outcome.awards if a.award == "县域争先进位奖"]
    assert progress == [("县12", "一等奖", 80)]
    assert any("只有1个" in w.message for w in outcome.warnings)


def test_5_2_district_top_five_and_progress_50_each():
    ranks = ranking(8, kind="区")
    last = {f"区{i:02d}": i for i in range(1, 9)}
    last.update({"区03": 6, "区07": 8, "区08": 9})  # risers: 区03 +3, 区07 +1, 区08 +1
    earlier = EarlierTops((2022,), {f"区{i:02d}": (2022,) for i in range(1, 9)})
    outcome = county_awards(ranks, last, earlier, PACK)
    assert set(top_awards(outcome, "五强区")) == {"区01", "区02", "区03", "区04", "区05"}
    assert top_awards(outcome, "五强区")["区03"][0] == 80  # 6→3: 50 + 3×10
    progress = [(a.unit, a.tier, a.amount_wan) for a in outcome.awards if a.award == "城区争先进位奖"]
    assert progress == [("区03", None, 50), ("区07", None, 50), ("区08", None, 50)]


def test_5_2_strong_county_titles_top_five_20_each_and_cumulative():
    ranks = ranking(
        12,
        **{
            "县09": {"agriculture_rank": 1, "industry_rank": 5, "ecology_rank": 6},
            "县03": {"agriculture_rank": 6, "industry_rank": 1, "ecology_rank": 5},
        },
    )
    last = {f"县{i:02d}": i for i in range(1, 13)}
    outcome = county_awards(ranks, last, ALL_EARLIER, PACK)
    titles = sorted(
        (a.unit, a.award, a.amount_wan)
        for a in outcome.awards
        if a.award in ("现代农业强县", "新型工业强县", "生态建设强县")
    )
    # 5th is in (以内), 6th is out; a county is paid for each title it holds
    assert titles == [
        ("县03", "新型工业强县", 20),
        ("县03", "生态建设强县", 20),
        ("县09", "新型工业强县", 20),
        ("县09", "现代农业强县", 20),
    ]


def test_5_2_strong_titles_ignore_districts_with_a_warning():
    ranks = ranking(3) + ranking(2, kind="区", **{"区01": {"agriculture_rank": 1}})
    last = {r.unit: r.rank for r in ranks}
    outcome = county_awards(ranks, last, EarlierTops((2022,), {r.unit: (2022,) for r in ranks}), PACK)
    assert not [a for a in outcome.awards if a.award == "现代农业强县"]
    assert any("区01" in w.message for w in outcome.warnings)


def test_merge_last_ranks_conflict_lists_every_disagreement():
    ranks = [
        AreaRank("甲县", "县", 1, last_rank=3, cell="C4", last_rank_cell="D4"),
        AreaRank("乙县", "县", 2, last_rank=1, cell="C5", last_rank_cell="D5"),
        AreaRank("丙县", "县", 3, last_rank=2, cell="C6", last_rank_cell="D6"),
    ]
    with pytest.raises(ConflictError) as caught:
        merge_last_ranks(ranks, {"甲县": 3, "乙县": 2, "丙县": 1}, 2022, "2023.xlsx › 县域监测")
    # The cell named is the 上年名次 that disagrees, not the year's 名次.
    assert caught.value.conflicts == [
        "2023.xlsx › 县域监测 › D5: 乙县 工作簿上年名次 1,历史库2022年名次 2",
        "2023.xlsx › 县域监测 › D6: 丙县 工作簿上年名次 2,历史库2022年名次 1",
    ]
    assert caught.value.messages[-1].startswith("以上2处上年名次与历史库不一致")


def test_merge_last_ranks_fills_from_history_and_column():
    ranks = [AreaRank("甲县", "县", 1, last_rank=3), AreaRank("乙县", "县", 2)]
    assert merge_last_ranks(ranks, {"乙县": 1}, 2022, "x") == {"甲县": 3, "乙县": 1}
