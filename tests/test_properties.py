"""Properties of the 35% cut that must hold for any scores (hypothesis)."""

from decimal import Decimal
from fractions import Fraction
from math import floor

from hypothesis import given, settings
from hypothesis import strategies as st

from sanshi.errors import TieError
from sanshi.inputs.records import AssessedUnit
from sanshi.rules.excellence import TARGET, cut_excellent
from sanshi.rules.params import load_pack, with_overrides
from tests.profiles import examples

BASE = load_pack("shaanxi-2018")
EXCLUDE = with_overrides(BASE, **{"target.tie_policy": "exclude"})
scores = st.lists(st.integers(min_value=600, max_value=1000).map(lambda x: Decimal(x) / 10), min_size=1, max_size=60)


def make(values):
    return [AssessedUnit(f"u{i}", v) for i, v in enumerate(values)]


@settings(max_examples=examples(200), deadline=None)
@given(scores)
def test_excellent_count_never_exceeds_quota_under_exclude(values):
    outcome = cut_excellent(make(values), TARGET, EXCLUDE)
    excellent = sum(g.excellent for g in outcome.grades)
    assert excellent <= floor(len(values) * Fraction(35, 100))


@settings(max_examples=examples(200), deadline=None)
@given(scores, st.integers(min_value=0, max_value=599))
def test_adding_a_lower_scored_unit_never_removes_an_excellent_one(values, low):
    before = {g.unit for g in cut_excellent(make(values), TARGET, EXCLUDE).grades if g.excellent}
    lower = Decimal(low) / 10  # strictly below every generated score
    after = {
        g.unit
        for g in cut_excellent(make(values) + [AssessedUnit("new", lower)], TARGET, EXCLUDE).grades
        if g.excellent
    }
    assert before <= after


@settings(max_examples=examples(200), deadline=None)
@given(scores)
def test_error_policy_either_stops_or_gives_exactly_the_quota_from_a_clean_cut(values):
    try:
        outcome = cut_excellent(make(values), TARGET, BASE)
    except TieError:
        return
    chosen = sorted((g.score for g in outcome.grades if g.excellent), reverse=True)
    rest = [g.score for g in outcome.grades if not g.excellent]
    assert len(chosen) == min(floor(len(values) * Fraction(35, 100)), len(values))
    assert not chosen or not rest or min(chosen) > max(rest)


# ---- 能下 (demotion) properties ---------------------------------------------------------------

votes = st.tuples(*(st.integers(min_value=0, max_value=80) for _ in range(4)), st.integers(min_value=0, max_value=10))


@settings(max_examples=examples(300), deadline=None)
@given(votes)
def test_8_2_fires_exactly_when_ten_bad_votes_reach_three_of_every_ten(cast):
    from sanshi.inputs.records import Cadre, Votes
    from sanshi.rules.demotion import YearRecords, find_triggers

    excellent, competent, basic, incompetent, abstain = cast
    total = excellent + competent + basic + incompetent + abstain
    cadre = Cadre("甲", "乙县", votes=Votes(excellent, competent, basic, incompetent, total))
    outcome = find_triggers(
        [
            YearRecords(2023, "2023.xlsx", cadres=[cadre]),
            YearRecords(2022, "历史库2022年"),
            YearRecords(2021, "历史库2021年"),
        ],
        BASE,
    )
    fired = any(t.key == "8(2)" for t in outcome.candidates)
    # Integer restatement of (basic + incompetent) / total >= 30%.
    assert fired == (total > 0 and 10 * (basic + incompetent) >= 3 * total)


@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30, unique=True),
    st.randoms(use_true_random=False),
)
def test_decline_places_count_the_strictly_larger_declines(last, random):
    from sanshi.inputs.records import AreaRank
    from sanshi.rules.demotion import decline_places

    now = list(range(1, len(last) + 1))
    random.shuffle(now)
    ranks = [AreaRank(f"u{i}", "县", r) for i, r in enumerate(now)]
    places = decline_places(ranks, {f"u{i}": r for i, r in enumerate(last)}, "县")
    sizes = {u: d.size for u, d in places.items()}
    for unit, decline in places.items():
        assert decline.size > 0
        assert decline.place == 1 + sum(1 for s in sizes.values() if s > decline.size)
