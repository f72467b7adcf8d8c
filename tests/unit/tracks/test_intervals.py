"""Matched points → covered intervals: where one ends, how a batch continues the open one."""

from datetime import UTC, datetime, timedelta

import pytest

from inspection.tracks.intervals import (
    REVERSAL_M,
    Interval,
    MatchedPoint,
    extend,
    merge,
    union_by_road,
)
from inspection.tracks.matching import Placement
from inspection.tracks.stake_ranges import union_length

T0 = datetime(2026, 5, 1, 1, 0, tzinfo=UTC)


def point(second: float, measure: float | None, road: int = 1, direction: str = "up"):
    placement = None
    if measure is not None:
        placement = Placement(road, direction, measure, measure, 3.0)
    return MatchedPoint(T0 + timedelta(seconds=second), placement)


def drive(start_s, start_m, n, *, step_m=20.0, road=1, direction="up"):
    return [point(start_s + i, start_m + i * step_m, road, direction) for i in range(n)]


def spans(covered):
    return [
        (i.road_id, i.travel_direction, round(i.from_measure), round(i.to_measure), i.point_count)
        for i in covered.intervals
    ]


def test_a_continuous_drive_is_one_interval():
    covered = extend(drive(0, 1000, 51))
    assert spans(covered) == [(1, "up", 1000, 2000, 51)]
    only = covered.intervals[0]
    assert only.open and only.started_at == T0 and only.ended_at == T0 + timedelta(seconds=50)


def test_a_down_carriageway_is_covered_travelling_down():
    covered = extend(drive(0, 5000, 11, step_m=-20, direction="down"))
    assert spans(covered) == [(1, "down", 4800, 5000, 11)]


def test_a_gap_along_the_road_or_in_time_starts_a_new_interval():
    along = drive(0, 0, 5) + drive(5, 80 + 501, 5)
    assert [s[2:4] for s in spans(extend(along))] == [(0, 80), (581, 661)]
    in_time = drive(0, 0, 5) + drive(5 + 301, 100, 5)
    assert len(extend(in_time).intervals) == 2
    within = drive(0, 0, 5) + drive(4 + 299, 80 + 499, 5)
    assert len(extend(within).intervals) == 1


def test_a_change_of_road_starts_a_new_interval():
    covered = extend(drive(0, 0, 5) + drive(5, 300, 5, road=2))
    assert [(s[0], s[2], s[3]) for s in spans(covered)] == [(1, 0, 80), (2, 300, 380)]
    assert [i.open for i in covered.intervals] == [False, True]


def test_a_wild_fix_or_two_do_not_end_an_interval_but_a_run_off_the_road_does():
    two = [*drive(0, 0, 5), point(5, None), point(6, None), *drive(7, 140, 5)]
    assert spans(extend(two)) == [(1, "up", 0, 220, 10)]
    three = drive(0, 0, 5) + [point(5 + i, None) for i in range(3)] + drive(8, 160, 5)
    assert [s[2:4] for s in spans(extend(three))] == [(0, 80), (160, 240)]


def test_a_u_turn_on_an_undivided_road_starts_the_way_back():
    out = drive(0, 0, 51, direction="both")  # up to 1000 m
    back = drive(51, 980, 40, step_m=-20, direction="both")
    covered = extend(out + back)
    (first, second) = covered.intervals
    assert (first.travel_direction, round(first.to_measure)) == ("up", 1000)
    assert second.travel_direction == "down"
    assert round(second.to_measure) == 1000  # the way back starts where the way out turned
    assert round(second.from_measure) == 200


def test_standing_still_with_noise_is_no_u_turn():
    jitter = [point(i, 500 + (15 if i % 2 else -15), direction="both") for i in range(60)]
    covered = extend(drive(0, 0, 26, direction="both") + jitter)
    assert len(covered.intervals) == 1
    assert REVERSAL_M > 30


def test_an_undivided_road_driven_down_reads_down():
    covered = extend(drive(0, 3000, 20, step_m=-20, direction="both"))
    assert covered.intervals[0].travel_direction == "down"


@pytest.mark.parametrize("cut", [1, 7, 25, 60, 99])
def test_batches_give_the_same_intervals_as_one_track(cut):
    track = (
        drive(0, 0, 40)
        + [point(40 + i, None) for i in range(4)]
        + drive(44, 900, 30)
        + drive(74, 100, 26, road=2)
    )
    whole = spans(extend(track))
    first = extend(track[:cut])
    open_interval = next((i for i in first.intervals if i.open), None)
    closed = [i for i in first.intervals if not i.open]
    second = extend(track[cut:], open_interval=open_interval, unmatched_run=first.unmatched_run)
    rebuilt = [
        (i.road_id, i.travel_direction, round(i.from_measure), round(i.to_measure), i.point_count)
        for i in closed + second.intervals
    ]
    assert rebuilt == whole


def test_a_closed_open_interval_comes_back_first_with_its_key():
    stored = Interval(1, "up", "up", 0, 80, T0, T0 + timedelta(seconds=4), 5, 80, key="row")
    covered = extend(drive(400, 100, 3), open_interval=stored)  # 396 s later
    assert covered.intervals[0].key == "row" and not covered.intervals[0].open
    assert covered.intervals[1].key is None and covered.intervals[1].open
    assert stored.open  # the caller's interval is left as it was


def test_merge_and_union_by_road():
    assert merge([(5, 10), (0, 6), (20, 30), (30, 31)]) == [(0, 10), (20, 31)]
    assert merge([]) == []
    intervals = extend(
        drive(0, 0, 6) + drive(6, 3000, 6, road=2) + drive(300 + 20, 50, 6)
    ).intervals
    by_road = union_by_road(intervals)
    assert by_road == {1: [(0.0, 150.0)], 2: [(3000.0, 3100.0)]}
    assert union_length(by_road[1]) == 150.0
