"""GPS → stake: the one-statement path (locating.py) against the Python paths.

* **ideal** — every piece of every road within the tolerance held in metres and located on, each
  road's nearest foot kept: what the answer should be. The fast path must agree with it on roads,
  chainage, measure, offset, distance and side, to float noise.
* **former** — the ORM path `services.locate` was: the pieces nearest in degrees from a KNN
  sub-query, `ST_DWithin` on geography, each road's *first piece in degrees* located on. Where
  that piece holds the road's nearest foot the fast path gives the very same numbers; where it does
  not (at a bend, or a fix projecting onto the vertex two pieces share) the former answer was a
  foot metres farther, and the fast path is never farther than it.

Random points around the demo roads, a down carriageway beside G30 up and a winding road with
sharp bends; and a GPS fix must still be recorded at the point its stake names.
"""

from __future__ import annotations

import random

import pytest
from geoalchemy2 import Geography
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from sqlalchemy import cast, func, select

from inspection.geo import from_db
from inspection.network import services
from inspection.network.chainage import MetricLine, point_to_chainage
from inspection.network.importing import FieldNames
from inspection.network.models import Road, RoadPiece
from inspection.network.sample import SampleSegment, demo_network, segment_features

GEOD = Geod(ellps="WGS84")
SAME_M = 1e-4  # the same arithmetic on the same piece: float noise (0.1 mm)
NEAR_M = 0.1  # the brief's tolerance, for two pieces equally near a fix


def extra_roads() -> list[dict]:
    """A down carriageway 30 m beside G30 up, and a winding road with sharp bends."""
    return [
        *segment_features(
            "G30",
            "连霍高速（示范段）",
            "2.下行",
            GEOD.fwd(87.75, 43.86, 178.0, 30.0)[:2],
            268.0,
            [
                SampleSegment("3500", "3506", 6000),
                SampleSegment("3506", "3512-K0.3", 5700),
                SampleSegment("3512", "3520", 8000),
            ],
            turn=0.05,
        ),
        *segment_features(
            "X901",
            "盘山路",
            "3.双向",
            (87.70, 43.78),
            20.0,
            [SampleSegment("0", "4", 4000)],
            turn=35.0,
        ),
    ]


@pytest.fixture
def network(db_session):
    services.import_features(db_session, demo_network() + extra_roads(), FieldNames())
    pieces = db_session.execute(
        select(RoadPiece.geom, RoadPiece.start_measure, Road.lon_0).join(Road)
    ).all()
    return [
        MetricLine(from_db(geom), lon_0=lon_0, base_measure=start) for geom, start, lon_0 in pieces
    ]


def _pieces_within(session, lon, lat, tolerance_m, road_code, limit):
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    nearest = (
        select(RoadPiece.id, RoadPiece.road_id, RoadPiece.geom.op("<->")(point).label("knn"))
        .order_by("knn")
        .limit(max(limit * 8, 16))
    )
    if road_code:
        nearest = nearest.join(Road, Road.id == RoadPiece.road_id).where(Road.code == road_code)
    near = nearest.subquery()
    return session.execute(
        select(RoadPiece, Road)
        .join(near, near.c.id == RoadPiece.id)
        .join(Road, Road.id == RoadPiece.road_id)
        .where(
            func.ST_DWithin(cast(RoadPiece.geom, Geography), cast(point, Geography), tolerance_m)
        )
        .order_by(near.c.knn)
    ).all()


def _located(piece, road, lon, lat):
    line = MetricLine(from_db(piece.geom), lon_0=road.lon_0, base_measure=piece.start_measure)
    direction = "down" if road.direction == "down" else "up"
    return point_to_chainage(line, services.reference_for(road), lon, lat, direction=direction)


def former_locate(session, lon, lat, *, tolerance_m=100.0, road_code=None, limit=5):
    """Return {road id: LocatedStake} as the former ORM path computed them (before the limit)."""
    best = {}
    for piece, road in _pieces_within(session, lon, lat, tolerance_m, road_code, limit):
        if road.id not in best:  # the first piece in degrees
            best[road.id] = _located(piece, road, lon, lat)
    return best


def ideal_locate(session, lon, lat, *, tolerance_m=100.0, road_code=None, limit=5):
    """Return {road id: LocatedStake} on each road's nearest piece in metres (before the limit)."""
    best = {}
    for piece, road in _pieces_within(session, lon, lat, tolerance_m, road_code, limit):
        located = _located(piece, road, lon, lat)
        if road.id not in best or located.distance_m < best[road.id].distance_m:
            best[road.id] = located
    return best


def assert_same_place(session, road_id, located, expected, lon, lat, at_piece_joint=False):
    """Assert two answers name the same foot: to float noise, or to 0.1 m where equally near."""
    assert located.distance_m == pytest.approx(expected.distance_m, abs=SAME_M), (lon, lat)
    assert located.side == expected.side
    # Two pieces meeting at a vertex can be equally near (to 0.1 mm, one order on the spheroid,
    # the other in the road's metres): either foot is then a nearest point of the road.
    assert located.measure == pytest.approx(expected.measure, abs=NEAR_M), (lon, lat)
    if at_piece_joint:
        # Known, and as before: a foot on the vertex two pieces share is "past the end" of the
        # piece located on, so the offset is square to that piece's end segment, which differs
        # from the other piece's at a bend. Either is at most the distance.
        assert max(located.offset_m, expected.offset_m) <= located.distance_m + SAME_M
    else:
        assert located.offset_m == pytest.approx(expected.offset_m, abs=NEAR_M)
    if abs(located.chainage - expected.chainage) > NEAR_M:
        # A fix beside the vertex two pieces share, at a chain break: the one piece's float end
        # may fall a hair before the break where the other's start is on it. Both stakes are
        # the break's.
        breaks = services.reference_for(session.get(Road, road_id)).breaks
        at = [b for b in breaks if abs(b.measure - located.measure) < NEAR_M]
        assert at, (lon, lat, located, expected)
        assert {located.chainage, expected.chainage} == {at[0].back_chainage, at[0].ahead_chainage}


def assert_same(session, lon, lat, *, limit=5, **options):
    fast = services.locate(session, lon, lat, limit=limit, **options)
    ideal = ideal_locate(session, lon, lat, limit=limit, **options)
    former = former_locate(session, lon, lat, limit=limit, **options)
    ranked = sorted(ideal, key=lambda road_id: ideal[road_id].distance_m)[:limit]
    assert [c.road.id for c in fast] == ranked, (lon, lat)
    assert set(former) == set(ideal)
    for candidate in fast:
        road_id, located = candidate.road.id, candidate.located
        ends = (candidate.line.base_measure, candidate.line.end_measure)
        joint = NEAR_M < located.measure < candidate.road.length_m - NEAR_M and any(
            abs(located.measure - end) < NEAR_M for end in ends
        )
        assert_same_place(session, road_id, located, ideal[road_id], lon, lat, joint)
        before = former[road_id]
        assert located.distance_m <= before.distance_m + SAME_M
        if before.distance_m <= located.distance_m + SAME_M:
            assert_same_place(session, road_id, located, before, lon, lat, joint)
    return fast


def test_random_fixes_around_the_roads_agree(db_session, network):
    rng = random.Random(20261202)
    found = sides = 0
    for _ in range(400):
        line = rng.choice(network)
        lon, lat = line.point_at(line.base_measure + rng.random() * line.length)
        lon, lat, _ = GEOD.fwd(lon, lat, rng.uniform(0, 360), rng.uniform(0, 130))
        candidates = assert_same(db_session, lon, lat)
        found += bool(candidates)
        sides += len({c.located.side for c in candidates})
    # Most fixes lie within 100 m of a road, many beside two carriageways.
    assert 250 < found < 400
    assert sides > found


@pytest.mark.parametrize("road_code", [None, "G30", "X901", "G999"])
@pytest.mark.parametrize("tolerance_m", [5.0, 100.0, 2000.0])
def test_options_agree(db_session, network, road_code, tolerance_m):
    rng = random.Random(hash((road_code, tolerance_m)) & 0xFFFF)
    for _ in range(25):
        line = rng.choice(network)
        lon, lat = line.point_at(line.base_measure + rng.random() * line.length)
        lon, lat, _ = GEOD.fwd(lon, lat, rng.uniform(0, 360), rng.uniform(0, 60))
        assert_same(db_session, lon, lat, tolerance_m=tolerance_m, road_code=road_code, limit=1)


def test_piece_joints_bends_and_road_ends_agree(db_session, network):
    # Every third piece's start (a joint, or a road's start) and its middle vertex, the fix on
    # them and 25 m off them at bearings outside and inside the bends; and every road's end.
    for line in network[::3]:
        vertices = line.vertex_measures()
        for measure in (vertices[0], vertices[len(vertices) // 2]):
            lon, lat = line.point_at(measure)
            assert_same(db_session, lon, lat)
            for bearing in (10.0, 135.0, 250.0):
                assert_same(db_session, *GEOD.fwd(lon, lat, bearing, 25.0)[:2])
    for road in db_session.scalars(select(Road)):
        lon, lat = from_db(road.geom).coords[-1]
        for bearing in (0.0, 120.0, 240.0):
            assert_same(db_session, *GEOD.fwd(lon, lat, bearing, 40.0)[:2])


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    which=st.integers(0, 10_000),
    along=st.floats(0, 1),
    bearing=st.floats(0, 360),
    offset=st.floats(0, 110),
)
def test_any_fix_agrees(db_session, network, which, along, bearing, offset):
    line = network[which % len(network)]
    lon, lat = line.point_at(line.base_measure + along * line.length)
    assert_same(db_session, *GEOD.fwd(lon, lat, bearing, offset)[:2])


def test_a_gps_fix_is_recorded_at_its_stakes_point(db_session, network):
    rng = random.Random(7)
    checked = 0
    for _ in range(120):
        line = rng.choice(network)
        lon, lat = line.point_at(line.base_measure + rng.random() * line.length)
        lon, lat, _ = GEOD.fwd(lon, lat, rng.uniform(0, 360), rng.uniform(0, 40))
        candidates = services.locate(db_session, lon, lat)
        if not candidates:
            continue
        best = candidates[0]
        location = services.resolve_location(
            db_session, road_code=None, direction=None, gps=services.GpsFix(lon, lat, 5.0)
        )
        road = db_session.get(Road, best.road.id)
        assert location.road is road
        assert location.chainage == round(best.located.chainage, 1)
        assert (location.offset_m, location.side) == (best.located.offset_m, best.located.side)
        # Formerly position_of_stake(road, chainage, near=fix): the same point, within 1 mm.
        position = services.position_of_stake(
            db_session, road, best.located.chainage, near=(lon, lat)
        )
        apart = GEOD.inv(location.geometry.x, location.geometry.y, position.lon, position.lat)[2]
        assert apart < 1e-3
        checked += 1
    assert checked > 80
