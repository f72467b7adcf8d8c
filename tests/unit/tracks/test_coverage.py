"""Patrol coverage from covered intervals: stretches, the frequency rule, the rate and the gaps."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspection.tracks.coverage import (
    Gap,
    Interval,
    Period,
    RoadInput,
    Stretch,
    at_frequency,
    gap_order,
    gaps_of,
    network_coverage,
    road_coverage,
    snap,
)
from inspection.tracks.stake_ranges import union_length

MAY = Period(date(2026, 5, 1), date(2026, 5, 10))


def day(n: int) -> date:
    return MAY.first + timedelta(days=n)


def at(n: int, hour: int = 10) -> datetime:
    return datetime(2026, 5, 1, hour, tzinfo=UTC) + timedelta(days=n)


def test_a_road_patrolled_every_day_end_to_end_is_covered_at_a_daily_frequency():
    intervals = [Interval(0, 1000, day(n), at(n), patrol=n) for n in range(10)]
    road = road_coverage(1000, intervals, MAY, 1)
    assert road.stretches == (Stretch(0, 1000, 10, 10, day(9), at(9), True, 0),)
    assert road.rate == 1 and road.gaps == ()


def test_a_missed_day_breaks_a_daily_frequency_but_not_a_two_day_one():
    intervals = [Interval(0, 1000, day(n), at(n), patrol=n) for n in range(10) if n != 4]
    assert road_coverage(1000, intervals, MAY, 1).rate == 0
    assert road_coverage(1000, intervals, MAY, 2).rate == 1
    # The first day missed: a two-day frequency still holds, a one-day one does not.
    late = [Interval(0, 1000, day(n), patrol=n) for n in range(1, 10)]
    assert road_coverage(1000, late, MAY, 2).rate == 1
    # The last two days missed: not at a two-day frequency (the window 9–10 May is empty).
    early = [Interval(0, 1000, day(n), patrol=n) for n in range(8)]
    assert road_coverage(1000, early, MAY, 2).rate == 0


def test_stretches_split_where_coverage_changes_and_tile_the_road():
    intervals = [
        Interval(0, 600, day(9), at(9), patrol="a"),
        Interval(400, 1000, day(8), at(8), patrol="b"),
    ]
    road = road_coverage(1500, intervals, MAY, 7)
    assert [
        (s.from_measure, s.to_measure, s.passes, s.days, s.days_since) for s in road.stretches
    ] == [
        (0, 400, 1, 1, 0),
        (400, 600, 2, 2, 0),
        (600, 1000, 1, 1, 1),
        (1000, 1500, 0, 0, None),
    ]
    # Weekly over ten days: a single patrol day in the last week is not enough (1–3 May empty).
    assert not any(s.at_frequency for s in road.stretches)
    assert road.gaps == (Gap(0, 1500, None),)


def test_one_patrol_driving_a_stretch_twice_in_a_day_passes_it_once():
    intervals = [
        Interval(0, 800, day(0), at(0, 9), patrol=7),
        Interval(200, 1000, day(0), at(0, 10), patrol=7),  # the way back
        Interval(500, 1000, day(0), at(0, 11), patrol=8),
    ]
    road = road_coverage(1000, intervals, Period(day(0), day(0)), 1)
    assert [(s.from_measure, s.to_measure, s.passes) for s in road.stretches] == [
        (0, 500, 1),
        (500, 1000, 2),
    ]
    assert road.stretches[1].last_at == at(0, 11)
    assert road.rate == 1


def test_intervals_outside_the_period_or_the_road_count_for_nothing():
    intervals = [
        Interval(0, 1000, day(-1), patrol=1),
        Interval(0, 1000, day(10), patrol=2),
        Interval(-50, 100, day(3), patrol=3),  # clipped to the road
        Interval(900, 1200, day(3), patrol=3),
        Interval(300, 300, day(3), patrol=4),  # no length
    ]
    road = road_coverage(1000, intervals, MAY, 30)
    assert [(s.from_measure, s.to_measure, s.passes) for s in road.stretches] == [
        (0, 100, 1),
        (100, 900, 0),
        (900, 1000, 1),
    ]
    assert road.patrolled_m == 200


def test_a_period_shorter_than_the_frequency_asks_for_one_patrol_in_it():
    three_days = Period(day(0), day(2))
    assert road_coverage(100, [Interval(0, 100, day(1))], three_days, 7).rate == 1
    assert road_coverage(100, [], three_days, 7).rate == 0


def test_gaps_merge_neighbours_and_keep_the_worst_days_since():
    stretches = [
        Stretch(0, 100, 1, 1, day(9), None, True, 0),
        Stretch(100, 200, 1, 1, day(5), None, False, 4),
        Stretch(200, 300, 1, 1, day(2), None, False, 7),
        Stretch(300, 400, 3, 3, day(9), None, True, 0),
        Stretch(400, 500, 0, 0, None, None, False, None),
        Stretch(500, 600, 1, 1, day(8), None, False, 1),
    ]
    assert gaps_of(stretches) == (Gap(100, 300, 7), Gap(400, 600, None))
    assert sorted([(7, 200), (None, 200), (9, 5)], key=lambda g: gap_order(*g)) == [
        (None, 200),
        (9, 5),
        (7, 200),
    ]


def test_the_network_rate_is_length_at_frequency_over_network_length():
    roads = [
        RoadInput("a", 1000, 1, [Interval(0, 1000, day(n), patrol=n) for n in range(10)]),
        RoadInput("b", 3000, 1, []),
    ]
    coverage = network_coverage(roads, MAY)
    assert coverage.network_m == 4000 and coverage.at_frequency_m == 1000
    assert coverage.rate == 0.25
    assert network_coverage([], MAY).rate is None


def test_snapping_rounds_to_the_resolution_and_reaches_the_road_ends():
    assert snap(1234.4, 5000, 10) == 1230
    assert snap(7, 5000, 10) == 0
    assert snap(4993, 5000, 10) == 5000
    assert snap(-3, 5000, 0) == 0 and snap(5003, 5000, 0) == 5000
    road = road_coverage(
        5000, [Interval(6, 4995, day(0))], Period(day(0), day(0)), 1, resolution_m=10
    )
    assert road.rate == 1


def test_a_year_of_twenty_patrols_a_day_is_quick():
    import time

    year = Period(date(2025, 1, 1), date(2025, 12, 31))
    intervals = [
        Interval(k * 37.0 % 500, 20_000 - (k * 53.0 % 700), year.day(d), patrol=(d, k))
        for d in range(365)
        for k in range(20)
    ]
    started = time.perf_counter()
    road = road_coverage(20_000, intervals, year, 1, resolution_m=10)
    assert time.perf_counter() - started < 2.0
    assert road.rate > 0.9


# --------------------------------------------------------------------------- properties


def windows_hold(days: list[int], period_days: int, every: int) -> bool:
    """The rule as stated: every window of N consecutive days of the period holds a day."""
    chosen = set(days)
    if not chosen:
        return False
    starts = range(max(period_days - every + 1, 1))
    return all(any(d in chosen for d in range(s, s + every)) for s in starts)


@given(
    st.integers(1, 40),
    st.integers(1, 10),
    st.data(),
)
def test_the_frequency_rule_is_the_window_rule(period_days, every, data):
    days = sorted(data.draw(st.sets(st.integers(0, period_days - 1))))
    assert at_frequency(days, period_days, every) == windows_hold(days, period_days, every)


intervals_strategy = st.lists(
    st.tuples(
        st.integers(-100, 1100),  # from (metres; beyond the road too)
        st.integers(-100, 1100),  # to
        st.integers(-1, 12),  # day number (the period is 0 … 9)
        st.integers(0, 4),  # patrol
        st.integers(0, 23),  # hour it ended
    ),
    max_size=25,
)


def build(raw) -> list[Interval]:
    return [Interval(float(a), float(b), day(d), at(d, h), patrol=p) for a, b, d, p, h in raw]


@settings(max_examples=300, deadline=None)
@given(intervals_strategy, st.integers(1, 12))
def test_stretches_agree_with_counting_point_by_point(raw, every):
    length = 1000.0
    intervals = build(raw)
    road = road_coverage(length, intervals, MAY, every)
    stretches = road.stretches
    # They tile the road.
    assert stretches[0].from_measure == 0 and stretches[-1].to_measure == length
    assert all(a.to_measure == b.from_measure for a, b in itertools.pairwise(stretches))
    assert all(s.length_m > 0 for s in stretches)
    # Each stretch says what the intervals over it say.
    for s in stretches:
        x = s.from_measure + 0.5  # interval ends are whole metres: never on one
        over = [
            i
            for i in intervals
            if min(i.from_measure, i.to_measure) < x < max(i.from_measure, i.to_measure)
            and MAY.first <= i.day <= MAY.last
        ]
        passes = {(i.patrol, i.day) for i in over}
        days = sorted({(i.day - MAY.first).days for i in over})
        assert s.passes == len(passes)
        assert s.days == len(days)
        assert s.at_frequency == windows_hold(days, MAY.days, every)
        if days:
            assert s.days_since == MAY.days - 1 - days[-1]
            assert s.last_day == day(days[-1])
            # Within a day, to the latest end time of the patrols over the stretch.
            assert s.last_at in {i.ended_at for i in intervals if i.day == s.last_day}
            assert s.last_at >= max(i.ended_at for i in over if i.day == s.last_day)
        else:
            assert s.days_since is None and s.last_day is None
    # Patrolled length is the union of the intervals on the road in the period.
    inside = [
        (max(min(i.from_measure, i.to_measure), 0), min(max(i.from_measure, i.to_measure), length))
        for i in intervals
        if MAY.first <= i.day <= MAY.last
    ]
    expected = union_length([s for s in inside if s[1] > s[0]])
    assert road.patrolled_m == pytest.approx(expected)
    assert 0 <= road.at_frequency_m <= road.patrolled_m <= length
    # The gaps are exactly the road not at its frequency, apart and never touching.
    gaps = road.gaps
    assert sum(g.length_m for g in gaps) == pytest.approx(length - road.at_frequency_m)
    assert all(a.to_measure < b.from_measure for a, b in itertools.pairwise(gaps))


@settings(max_examples=100, deadline=None)
@given(intervals_strategy, st.integers(1, 12), st.randoms(use_true_random=False))
def test_the_order_of_the_intervals_changes_nothing(raw, every, random):
    intervals = build(raw)
    shuffled = list(intervals)
    random.shuffle(shuffled)
    assert road_coverage(1000, intervals, MAY, every) == road_coverage(1000, shuffled, MAY, every)


@settings(max_examples=100, deadline=None)
@given(intervals_strategy, st.integers(1, 12))
def test_a_longer_frequency_never_covers_less(raw, every):
    intervals = build(raw)
    tight = road_coverage(1000, intervals, MAY, every)
    loose = road_coverage(1000, intervals, MAY, every + 1)
    assert loose.at_frequency_m >= tight.at_frequency_m
