"""Placing noisy GPS tracks on roads: crossings, parallel carriageways, turns, wild fixes."""

import pytest
from shapely.geometry import LineString

from inspection.tracks.matching import (
    OFF_ROAD,
    Fix,
    Placement,
    Start,
    distance_m,
    emission,
    match,
    transition,
    wrong_way_m,
)
from tests.unit.tracks.flat_network import FlatRoad, drive, placements, to_lonlat

EAST = FlatRoad(1, "up", LineString([(0, 0), (3000, 0)]))
# A road crossing EAST at x = 1500 (an overpass or a level crossing: no way to turn there).
CROSSING = FlatRoad(2, "both", LineString([(1500, -2000), (1500, 2000)]))
# The other carriageway of EAST, 30 m north; its centreline too runs by increasing chainage.
EAST_DOWN = FlatRoad(3, "down", LineString([(0, 30), (3000, 30)]))
# A road leaving EAST at x = 1500 to the north.
BRANCH = FlatRoad(4, "both", LineString([(1500, 0), (1500, 3000)]))


def matched(roads, fixes, **kwargs):
    return match(fixes, [placements(roads, f) for f in fixes], **kwargs)


@pytest.mark.parametrize("seed", range(5))
def test_at_a_crossing_the_track_keeps_to_its_road(seed):
    fixes, _ = drive(EAST.line, seed=seed)
    path = matched([EAST, CROSSING], fixes)
    assert {p.road_id for p in path if p is not None} == {1}
    assert sum(p is None for p in path) <= 1  # at most a wild fix left off the road


@pytest.mark.parametrize("seed", range(5))
def test_on_a_divided_road_the_track_keeps_to_the_carriageway_of_its_direction(seed):
    roads = [EAST, EAST_DOWN]
    east, _ = drive(EAST.line, seed=seed)
    assert {p.road_id for p in matched(roads, east) if p is not None} == {1}
    west, _ = drive(EAST_DOWN.line, seed=seed + 100, reverse=True)
    assert {p.road_id for p in matched(roads, west) if p is not None} == {3}


def test_on_carriageways_20_m_apart_with_noise_the_direction_decides():
    near_down = FlatRoad(3, "down", LineString([(0, 20), (3000, 20)]))
    fixes, _ = drive(LineString([(0, 10), (3000, 10)]), seed=7)  # driving down the middle
    assert {p.road_id for p in matched([EAST, near_down], fixes) if p is not None} == {1}
    back, _ = drive(LineString([(0, 10), (3000, 10)]), seed=8, reverse=True)
    assert {p.road_id for p in matched([EAST, near_down], back) if p is not None} == {3}


@pytest.mark.parametrize("seed", range(3))
def test_a_real_turn_moves_the_track_onto_the_other_road_once(seed):
    route = LineString([(0, 0), (1500, 0), (1500, 1500)])
    fixes, truth = drive(route, seed=seed)
    path = matched([EAST, BRANCH], fixes)
    roads = [p.road_id if p else None for p in path]
    for (x, y), road in zip(truth, roads, strict=True):
        if x < 1440:
            assert road == 1
        if y > 60:
            assert road == 4
    changes = [
        i for i in range(1, len(roads)) if roads[i] and roads[i - 1] and roads[i] != roads[i - 1]
    ]
    assert len(changes) == 1


def test_a_wild_fix_goes_off_the_road_and_its_neighbours_stay():
    fixes, _ = drive(EAST.line, noise=0.0)
    wild = fixes[40]
    fixes[40] = Fix(wild.t, *to_lonlat(40 * 20, 45))  # 45 m off, within reach of EAST_DOWN only
    path = matched([EAST, EAST_DOWN], fixes)
    assert path[40] is None
    assert all(p is not None and p.road_id == 1 for i, p in enumerate(path) if i != 40)


def test_a_batch_continues_the_path_of_the_one_before():
    fixes, _ = drive(EAST.line, seed=3)
    first, second = fixes[:74], fixes[74:]  # the second batch starts right at the crossing
    path1 = matched([EAST, CROSSING], first)
    start = Start(first[-1], path1[-1])
    path2 = matched([EAST, CROSSING], second, start=start)
    assert {p.road_id for p in path1 + path2 if p is not None} == {1}


def test_measures_rise_along_the_drive_and_fit_the_truth():
    fixes, truth = drive(EAST.line, seed=11)
    path = matched([EAST], fixes)
    errors = [abs(p.measure - x) for p, (x, _) in zip(path, truth, strict=True) if p]
    assert max(errors) < 45 and sum(errors) / len(errors) < 12


def test_no_candidates_means_no_placement():
    fixes = [Fix(i, *to_lonlat(i * 20, 500)) for i in range(5)]
    assert matched([EAST], fixes) == [None] * 5
    assert match([], []) == []


def test_the_costs():
    a = Placement(1, "up", 100.0, 100.0, 0.0)
    assert emission(None) == OFF_ROAD
    assert emission(Placement(1, "up", 0, 0, 10.0)) == pytest.approx(0.5)
    assert emission(Placement(1, "up", 0, 0, 10.0), preferred_road_id=1) < 0.5
    assert wrong_way_m("up", -30) == 30 and wrong_way_m("down", -30) == 0
    assert wrong_way_m("both", -30) == 0
    assert transition(a, Placement(1, "up", 120.0, 120.0, 0), 20.0, 1) == pytest.approx(0)
    backwards = transition(a, Placement(1, "up", 80.0, 80.0, 0), 20.0, 1)
    assert backwards > 5
    assert transition(a, Placement(2, "up", 5.0, 5.0, 0), 20.0, 1) == 10.0
    assert transition(a, None, 20.0, 1) == 0.0
    assert transition(a, Placement(2, "up", 5.0, 5.0, 0), 20.0, 3600) == 0.0
    one_km = distance_m(Fix(0, 87.6, 43.8), Fix(1, 87.6, 43.8 + 1 / 111.2))
    assert one_km == pytest.approx(1000, rel=0.005)


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError):
        match([Fix(0, 87.6, 43.8)], [])
