"""The import planner: segmented centreline features → roads with calibration and chain breaks.

Every road here is made up in the test: a gently winding line heading east from Urumqi with a
vertex every 200 m, so that any stretch of it is a slice of one list of vertices and segments that
meet share their end vertex exactly.
"""

import itertools
import math
import random

import pytest
from pyproj import Geod
from shapely.geometry import LineString

from inspection.errors import ValidationError
from inspection.network.chainage import ChainBreak, LinearReference
from inspection.network.importing import (
    PIECE_LENGTH_M,
    FieldNames,
    ImportPlan,
    PlannedRoad,
    Skipped,
    parse_direction,
    parse_import_stake,
    plan_import,
)

GEOD = Geod(ellps="WGS84")
STEP_M = 200.0
VERTICES_PER_KM = 5


def _winding_path(lon: float, lat: float, km: float) -> list[tuple[float, float]]:
    """Return vertices every 200 m (geodesic) for `km` km, heading east and bending gently."""
    points = [(lon, lat)]
    for i in range(round(km * VERTICES_PER_KM)):
        azimuth = 90 + 15 * math.sin(i / 8)
        lon, lat, _ = GEOD.fwd(lon, lat, azimuth, STEP_M)
        points.append((lon, lat))
    return points


PATH = _winding_path(87.6, 43.8, 30)  # the up carriageway of "G30"
PATH_DOWN = [(lon, lat - 0.0003) for lon, lat in PATH]  # ~33 m south: the down carriageway
PATH_OTHER = _winding_path(87.6, 43.9, 30)  # ~11 km north: another road


def along(a_km: float, b_km: float, path=PATH) -> list[tuple[float, float]]:
    """Return the path's vertices from km a to km b (multiples of 0.2), reversed when a > b."""
    i, j = round(a_km * VERTICES_PER_KM), round(b_km * VERTICES_PER_KM)
    assert math.isclose(i, a_km * VERTICES_PER_KM) and math.isclose(j, b_km * VERTICES_PER_KM)
    return path[i : j + 1] if i <= j else path[j : i + 1][::-1]


def feature(start, end, coords, *, code="G30", direction="1.上行", name="连霍高速", **props):
    return {
        "type": "Feature",
        "properties": {
            "roadcode": code,
            "roadname": name,
            "startzh": start,
            "endzh": end,
            "ldlx": direction,
            **props,
        },
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]},
    }


def geodesic_length(coords) -> float:
    lons, lats = zip(*coords, strict=True)
    return GEOD.line_length(lons, lats)


def only_road(plan: ImportPlan) -> PlannedRoad:
    assert len(plan.roads) == 1, [(r.code, r.direction) for r in plan.roads]
    return plan.roads[0]


def reference(road: PlannedRoad) -> LinearReference:
    return LinearReference(
        road.start_chainage,
        road.end_chainage,
        road.length_m,
        calibration=road.calibration,
        breaks=road.breaks,
    )


def vertex_measure(road: PlannedRoad, vertex) -> float:
    """Return the measure of a vertex of the road's line, from the plan's own metric line."""
    coords = list(road.line.coords)
    index = coords.index(tuple(vertex))
    return geodesic_length(coords[: index + 1]) if index else 0.0


def assert_pieces_contiguous(pieces, start: float, end: float) -> None:
    """Pieces run from start to end with no hole and no overlap, each about a kilometre."""
    assert pieces, "no pieces"
    assert pieces[0][0] == pytest.approx(start, abs=1e-6)
    assert pieces[-1][1] == pytest.approx(end, abs=1e-6)
    for (_, previous_end, _), (next_start, _, _) in itertools.pairwise(pieces):
        assert next_start == previous_end
    for piece_start, piece_end, _ in pieces:
        assert 0 < piece_end - piece_start <= PIECE_LENGTH_M + STEP_M * 1.01


def assert_pieces_follow_line(road: PlannedRoad) -> None:
    """Each piece is a run of the centreline's own vertices, as long as its measure range."""
    line_coords = list(road.line.coords)
    for piece_start, piece_end, piece in road.pieces:
        assert isinstance(piece, LineString)
        coords = list(piece.coords)
        first = line_coords.index(coords[0])
        assert line_coords[first : first + len(coords)] == coords
        assert geodesic_length(coords) == pytest.approx(piece_end - piece_start, rel=1e-3)


# --- parse_import_stake ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "metres"),
    [
        (3456.78, 3456780.0),
        (10, 10000.0),
        (0, 0.0),
        (0.0, 0.0),
        (4194.17, 4194170.0),  # 4194.17 * 1000 is 4194170.0000000005 in floats: rounded to mm
        (12.0005, 12000.5),
        ("3456.780", 3456780.0),
        ("  12.5 ", 12500.0),
        ("0", 0.0),
        ("917.7", 917700.0),
        ("K3456+780", 3456780.0),
        ("k12+345.5", 12345.5),
        (" K0+000 ", 0.0),
        ("4194+K4.17", 4198170.0),  # 4.17 km into the long-chain section after K4194
        ("4194+K0", 4194000.0),
        ("12+k1.5", 13500.0),
        ("12 + K 1.5", 13500.0),
        ("3412-K2.298", 3409702.0),  # 2.298 km short of K3412
        ("3586-K0.8", 3585200.0),
        ("12-K0", 12000.0),
    ],
)
def test_parse_import_stake_reads_numbers_text_and_chain_notations(value, metres):
    assert parse_import_stake(value) == metres


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "abc",
        -1,
        -0.001,
        "-1",
        "-0.5",
        math.nan,
        math.inf,
        -math.inf,
        "nan",
        "inf",
        True,
        False,
        "K12+5",  # stake text with two metre digits is ambiguous
        "K-1+000",
        "1-K2",  # 2 km short of K1 is before K0
        "12+K",
        "12*K1.5",
        "K12",
    ],
)
def test_parse_import_stake_rejects_bad_values(value):
    with pytest.raises(ValidationError):
        parse_import_stake(value)


def test_parse_import_stake_says_when_the_stake_is_missing_or_names_the_bad_value():
    with pytest.raises(ValidationError, match="missing"):
        parse_import_stake(None)
    with pytest.raises(ValidationError, match="missing"):
        parse_import_stake("  ")
    with pytest.raises(ValidationError) as caught:
        parse_import_stake("abc")
    assert caught.value.params == {"value": "abc"}
    with pytest.raises(ValidationError) as caught:
        parse_import_stake(True)
    assert caught.value.params == {"value": True}


# --- parse_direction ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "direction"),
    [
        ("1.上行", "up"),
        ("2.下行", "down"),
        ("3.双向", "both"),
        ("up", "up"),
        ("DOWN", "down"),
        (" Both ", "both"),
        ("上行", "up"),
        ("下行", "down"),
        ("2", "down"),
        (1, "up"),
        (3, "both"),
        ("1 上行", "up"),
    ],
)
def test_parse_direction_reads_words_numbers_and_the_numbered_chinese_form(value, direction):
    assert parse_direction(value, "both") == direction


@pytest.mark.parametrize("value", [None, "", "   "])
@pytest.mark.parametrize("default", ["up", "both"])
def test_parse_direction_falls_back_to_the_default_when_missing(value, default):
    assert parse_direction(value, default) == default


@pytest.mark.parametrize("value", ["9.其它", "5.其他", "其它", "sideways", "4", "upward", 9])
def test_parse_direction_rejects_unknown_directions(value):
    with pytest.raises(ValidationError, match="Unknown direction") as caught:
        parse_direction(value, "up")
    assert caught.value.params == {"value": value}


# --- a continuous road ----------------------------------------------------------------------------


def three_segments():
    """K10+000–K20+100 in three segments meeting end to end; nominal and real lengths differ."""
    return [
        feature("10.000", "13.050", along(0, 3)),
        feature(13.05, 16.4, along(3, 6.4)),
        feature("K16+400", "20.1", along(6.4, 10)),
    ]


def test_a_continuous_road_becomes_one_line_calibrated_at_each_joint():
    plan = plan_import(three_segments())

    road = only_road(plan)
    assert plan.skipped == []
    assert plan.features_used == 3
    assert (road.code, road.direction, road.name) == ("G30", "up", "连霍高速")
    assert road.road_class == "unclassified"
    assert road.segments == 3
    assert road.breaks == []
    assert road.gap_breaks == set()
    assert road.notes == []
    assert (road.start_chainage, road.end_chainage) == (10000.0, 20100.0)
    # The joints are one shared vertex each, not repeated.
    assert list(road.line.coords) == along(0, 10)
    lons = [lon for lon, _ in along(0, 10)]
    assert road.lon_0 == pytest.approx((min(lons) + max(lons)) / 2)

    assert road.length_m == pytest.approx(geodesic_length(along(0, 10)), rel=5e-3)
    assert road.length_m == pytest.approx(10000.0, rel=1e-3)  # 50 geodesic steps of 200 m
    assert [p.chainage for p in road.calibration] == [10000.0, 13050.0, 16400.0, 20100.0]
    measures = [p.measure for p in road.calibration]
    assert measures[0] == 0.0
    assert measures[1:3] == pytest.approx([3000.0, 6400.0], rel=1e-3)
    assert measures[-1] == road.length_m


def test_a_continuous_roads_pieces_cover_the_line_and_break_at_the_joints():
    road = only_road(plan_import(three_segments()))

    assert_pieces_contiguous(road.pieces, 0.0, road.length_m)
    assert_pieces_follow_line(road)
    boundaries = {m for start, end, _ in road.pieces for m in (start, end)}
    for point in road.calibration:
        assert point.measure in boundaries  # no piece straddles a segment joint
    assert len(road.pieces) >= 10


def test_a_continuous_roads_plan_makes_a_working_linear_reference():
    road = only_road(plan_import(three_segments()))
    ref = reference(road)

    assert ref.to_chainage(0) == 10000.0
    assert ref.to_chainage(road.length_m) == pytest.approx(20100.0)
    for point in road.calibration:
        assert ref.to_measure(point.chainage) == pytest.approx(point.measure)
    # Between joints chainage is linear in measure: halfway through the second segment.
    middle = (road.calibration[1].measure + road.calibration[2].measure) / 2
    assert ref.to_chainage(middle) == pytest.approx((13050 + 16400) / 2)


def test_join_tolerance_and_names_and_class_come_from_the_field_names():
    features = [
        feature(10, 12, along(0, 2), name="", xzdj="高速"),
        feature(12, 14, along(2, 4), name="连霍高速", xzdj="高速"),
    ]
    road = only_road(plan_import(features, FieldNames(road_class="xzdj")))
    assert road.name == "连霍高速"  # the first non-empty name
    assert road.road_class == "expressway"

    unknown = [feature(10, 12, along(0, 2), xzdj="其它")]
    assert only_road(plan_import(unknown, FieldNames(road_class="xzdj"))).road_class == (
        "unclassified"
    )


def test_other_field_names_and_a_default_direction_are_honoured():
    features = [
        {
            "properties": {"code": "S21", "from": "K0+000", "to": 2.0},
            "geometry": {"type": "LineString", "coordinates": along(0, 2)},
        }
    ]
    names = FieldNames(code="code", start="from", end="to", direction=None, default_direction="up")
    road = only_road(plan_import(features, names))
    assert (road.code, road.direction, road.name) == ("S21", "up", "")
    assert (road.start_chainage, road.end_chainage) == (0.0, 2000.0)

    # A missing direction attribute takes the default too.
    features = [feature(0, 2, along(0, 2), code="S21", direction=None)]
    assert only_road(plan_import(features)).direction == "both"


def test_third_coordinates_are_ignored():
    features = [feature(10, 12, [(lon, lat, 812.5) for lon, lat in along(0, 2)])]
    road = only_road(plan_import(features))
    assert list(road.line.coords) == along(0, 2)
    assert not road.line.has_z


# --- orientation and order ------------------------------------------------------------------------


def test_a_segment_digitised_against_chainage_is_turned_round():
    features = [
        feature(10, 12, along(0, 2), direction="2.下行"),
        feature("14.000", "12.000", along(4, 2), direction="2.下行"),  # start stake > end stake
        feature(14, 15, along(4, 5), direction="2.下行"),
    ]
    road = only_road(plan_import(features))

    assert road.direction == "down"
    assert list(road.line.coords) == along(0, 5)
    assert [p.chainage for p in road.calibration] == [10000, 12000, 14000, 15000]
    assert [p.measure for p in road.calibration][1:3] == pytest.approx([2000, 4000], rel=1e-3)
    assert road.breaks == []
    assert road.notes == []


def test_a_road_digitised_wholly_against_chainage_runs_by_increasing_chainage():
    features = [
        feature(13, 11, along(3, 1), direction="2.下行"),
        feature(11, 10, along(1, 0), direction="2.下行"),
    ]
    road = only_road(plan_import(features))
    assert list(road.line.coords) == along(0, 3)
    assert (road.start_chainage, road.end_chainage) == (10000, 13000)
    assert [p.chainage for p in road.calibration] == [10000, 11000, 13000]


def five_segments():
    return [
        feature(10, 11.2, along(0, 1.2)),
        feature(11.2, 13, along(1.2, 3)),
        feature(13, 13.4, along(3, 3.4)),
        feature(13.4, 17, along(3.4, 7)),
        feature(17, 20, along(7, 10)),
    ]


@pytest.mark.parametrize("seed", range(6))
def test_segments_in_any_order_are_joined_by_stake(seed):
    in_order = only_road(plan_import(five_segments()))
    shuffled = five_segments()
    random.Random(seed).shuffle(shuffled)
    road = only_road(plan_import(shuffled))

    assert list(road.line.coords) == along(0, 10)
    assert road.calibration == in_order.calibration
    assert [p.chainage for p in road.calibration] == [10000, 11200, 13000, 13400, 17000, 20000]
    assert road.breaks == []
    assert road.pieces == in_order.pieces
    assert road.segments == 5


# --- chain breaks ---------------------------------------------------------------------------------


def long_chain_features():
    """K10–K12, then a 1.5 km long-chain section 12+K0–12+K1.5, then K12 again to K15."""
    return [
        feature(10, 12, along(0, 2)),
        feature("12+K0", "12+K1.5", along(2, 3.6)),
        feature(12, 15, along(3.6, 6.6)),
    ]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (2, 0, 1), (1, 2, 0)])
def test_the_long_chain_notation_makes_a_long_chain_break(order):
    features = [long_chain_features()[i] for i in order]
    plan = plan_import(features)

    road = only_road(plan)
    assert plan.skipped == []
    assert road.segments == 3
    assert list(road.line.coords) == along(0, 6.6)
    assert len(road.breaks) == 1
    (brk,) = road.breaks
    assert brk.kind == "long"
    assert (brk.back_chainage, brk.ahead_chainage) == (13500.0, 12000.0)
    assert brk.measure == pytest.approx(3600, rel=1e-3)
    assert road.gap_breaks == set()
    assert (road.start_chainage, road.end_chainage) == (10000.0, 15000.0)
    # The section's own end stakes stand in the break; the joint at K12 is calibrated.
    assert [p.chainage for p in road.calibration] == [10000.0, 12000.0, 15000.0]
    assert road.calibration[1].measure == pytest.approx(2000, rel=1e-3)
    assert_pieces_contiguous(road.pieces, 0.0, road.length_m)


def test_a_stake_in_a_long_chain_overlap_has_two_candidates():
    road = only_road(plan_import(long_chain_features()))
    ref = reference(road)
    brk = road.breaks[0]
    first_joint = road.calibration[1].measure

    candidates = ref.to_measures(12700)
    assert len(candidates) == 2
    before, after = candidates
    # 700 m of the 1.5 km section, and 700 m of the 3 km after the break.
    assert before == pytest.approx(first_joint + 0.7 / 1.5 * (brk.measure - first_joint))
    assert after == pytest.approx(brk.measure + 0.7 / 3 * (road.length_m - brk.measure))
    assert ref.to_measure(12700, prefer="before") == before
    assert ref.to_measure(12700, prefer="after") == after
    with pytest.raises(ValidationError, match="long-chain overlap"):
        ref.to_measure(12700)
    assert len(ref.to_measures(14000)) == 1  # past the overlap
    assert len(ref.to_measures(11000)) == 1  # before it
    assert ref.to_chainage(brk.measure) == 12000.0  # the break itself reads ahead


def test_a_road_may_end_inside_a_long_chain_overlap():
    """K10–K12, 12+K0–12+K1.5, then K12–K13: the road's last stake is below an earlier one."""
    features = [
        feature(10, 12, along(0, 2)),
        feature("12+K0", "12+K1.5", along(2, 3.6)),
        feature(12, 13, along(3.6, 4.6)),
    ]
    plan = plan_import(features)

    road = only_road(plan)
    assert plan.skipped == []
    # The line ends at the last segment's end stake, not at the highest stake on the road.
    assert (road.start_chainage, road.end_chainage) == (10000.0, 13000.0)
    assert road.breaks == [ChainBreak(road.breaks[0].measure, 13500.0, 12000.0)]
    ref = reference(road)
    assert ref.to_chainage(road.length_m) == 13000.0
    assert len(ref.to_measures(12500)) == 2
    assert ref.last_chainage == 13500.0


def test_the_short_chain_notation_makes_a_short_chain_break():
    features = [
        feature(10, "12-K0.4", along(0, 1.6)),
        feature(12, 14, along(1.6, 3.6)),
    ]
    road = only_road(plan_import(features))

    assert list(road.line.coords) == along(0, 3.6)
    (brk,) = road.breaks
    assert brk.kind == "short"
    assert (brk.back_chainage, brk.ahead_chainage) == (11600.0, 12000.0)
    assert brk.measure == pytest.approx(1600, rel=1e-3)
    assert road.gap_breaks == set()
    assert [p.chainage for p in road.calibration] == [10000.0, 14000.0]
    assert (road.start_chainage, road.end_chainage) == (10000.0, 14000.0)

    ref = reference(road)
    with pytest.raises(ValidationError, match="short-chain gap"):
        ref.to_measure(11800)
    assert ref.to_measure(11600) == pytest.approx(brk.measure)  # the last stake before the gap
    assert ref.to_chainage(brk.measure) == 12000.0


def test_stake_jumps_at_joints_become_breaks_of_their_sign():
    features = [
        feature("K10+000", "K11+000", along(0, 1)),
        feature("K11+250", "K12+000", along(1, 2)),  # short: 250 m of stakes skipped
        feature("K11+900", "K13+000", along(2, 3)),  # long: 100 m of stakes repeated
    ]
    road = only_road(plan_import(features))
    assert [(b.kind, b.back_chainage, b.ahead_chainage) for b in road.breaks] == [
        ("short", 11000, 11250),
        ("long", 12000, 11900),
    ]
    assert [p.chainage for p in road.calibration] == [10000, 13000]
    reference(road)  # consistent


def test_stakes_within_a_metre_join_without_a_break():
    features = [
        feature(10, 11.0004, along(0, 1)),
        feature(11, 12, along(1, 2)),
    ]
    road = only_road(plan_import(features))
    assert road.breaks == []
    assert [p.chainage for p in road.calibration] == [10000, 11000.4, 12000]


# --- gaps in the geometry -------------------------------------------------------------------------


def _assert_no_piece_on(road: PlannedRoad, start: float, end: float) -> None:
    for piece_start, piece_end, _ in road.pieces:
        assert piece_end <= start + 1e-6 or piece_start >= end - 1e-6, (piece_start, piece_end)


def test_a_gap_in_the_geometry_is_joined_by_a_connector_without_pieces():
    features = [
        feature(10, 12, along(0, 2)),
        feature(12, 14, along(4, 6)),  # starts 2 km down the road from where K12 ended
    ]
    plan = plan_import(features)

    road = only_road(plan)
    assert plan.skipped == []
    assert road.segments == 2
    assert list(road.line.coords) == along(0, 2) + along(4, 6)
    connector = geodesic_length([PATH[10], PATH[20]])
    assert 1900 < connector <= 2000
    assert road.length_m == pytest.approx(4000 + connector, rel=1e-3)

    assert len(road.notes) == 1
    note = road.notes[0]
    assert f"gap of {connector:.0f} m" in note
    assert "K12+000" in note
    assert "straight line" in note

    # Chainage runs on across the connector from K12, and at its far end a chain break hands
    # over to the second segment's own start stake, so that segment starts at K12+000 exactly.
    (brk,) = road.breaks
    gap_start = road.calibration[1].measure
    assert gap_start == pytest.approx(2000, rel=1e-3)
    assert brk.measure == pytest.approx(gap_start + connector, rel=1e-3)
    assert (brk.back_chainage, brk.ahead_chainage) == (
        pytest.approx(12000 + connector, abs=1),
        12000,
    )
    assert road.gap_breaks == {brk.measure}
    assert [p.chainage for p in road.calibration] == [10000, 12000, 14000]
    ref = reference(road)
    assert ref.to_chainage(brk.measure) == 12000
    assert ref.to_chainage(brk.measure + 1000) == pytest.approx(13000, abs=1)
    _assert_no_piece_on(road, gap_start, gap_start + connector - 1)

    # The pieces resume where the second segment starts, one connector further on.
    gap_end = min(start for start, _, _ in road.pieces if start > gap_start)
    assert gap_end == pytest.approx(gap_start + connector, rel=1e-3)
    before = [p for p in road.pieces if p[1] <= gap_start + 1e-6]
    after = [p for p in road.pieces if p[0] >= gap_end - 1e-6]
    assert len(before) + len(after) == len(road.pieces)
    assert_pieces_contiguous(before, 0.0, gap_start)
    assert_pieces_contiguous(after, gap_end, road.length_m)
    assert_pieces_follow_line(road)
    reference(road)  # consistent


def test_a_stake_jump_across_a_gap_is_a_break_marked_as_at_a_gap():
    features = [
        feature(10, 12, along(0, 2)),
        feature(13, 15, along(4, 6)),
    ]
    road = only_road(plan_import(features))

    (brk,) = road.breaks
    connector = geodesic_length([PATH[10], PATH[20]])
    # The connector carries K12 → K12 + its length; the second segment's K13 takes over there.
    assert (brk.back_chainage, brk.ahead_chainage) == (
        pytest.approx(12000 + connector, abs=1),
        13000,
    )
    assert brk.measure == pytest.approx(2000 + connector, rel=1e-3)
    assert road.gap_breaks == {brk.measure}
    assert len(road.notes) == 1 and "K13+000" in road.notes[0]
    _assert_no_piece_on(road, 2000 + 1, brk.measure - 1)
    assert reference(road).to_chainage(brk.measure) == 13000


def test_ends_within_the_join_tolerance_share_one_vertex():
    lon, lat, _ = GEOD.fwd(*PATH[10], 180, 20)  # 20 m beside where the first segment ended
    features = [
        feature(10, 12, along(0, 2)),
        feature(12, 14, [(lon, lat), *along(2.2, 4)]),
    ]
    road = only_road(plan_import(features))

    # One joint digitised twice: the second segment starts at the shared vertex, no connector.
    assert road.notes == []
    assert road.breaks == []
    assert list(road.line.coords) == [*along(0, 2), *along(2.2, 4)]
    assert_pieces_contiguous(road.pieces, 0.0, road.length_m)


def test_the_join_tolerance_is_a_parameter():
    features = [feature(10, 12, along(0, 2)), feature(12, 14, along(4, 6))]
    assert only_road(plan_import(features, join_tolerance_m=2500)).notes == []
    assert len(only_road(plan_import(features, join_tolerance_m=10)).notes) == 1


# --- duplicates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("reversed_duplicate", [False, True])
def test_a_duplicated_stretch_is_skipped_as_an_overlap(reversed_duplicate):
    duplicate = feature(12, 11, along(2, 1)) if reversed_duplicate else feature(11, 12, along(1, 2))
    features = [
        feature(10, 13, along(0, 3)),
        duplicate,  # K11–K12 again, starting back up the road
        feature(13, 15, along(3, 5)),
    ]
    plan = plan_import(features)

    road = only_road(plan)
    assert plan.skipped == [
        Skipped(
            1,
            "G30",
            "Its stakes %(first)s–%(last)s repeat road already imported.",
            {"first": "K11+000", "last": "K12+000"},
        )
    ]
    assert plan.skipped[0].describe() == (
        "feature 1 (G30): Its stakes K11+000–K12+000 repeat road already imported."
    )
    assert plan.features_used == 2
    assert road.segments == 2
    assert list(road.line.coords) == along(0, 5)
    assert [p.chainage for p in road.calibration] == [10000, 13000, 15000]
    assert road.breaks == []
    assert road.notes == []
    assert_pieces_contiguous(road.pieces, 0.0, road.length_m)


def test_a_duplicate_straddling_a_joint_is_skipped_and_the_next_segment_still_joins():
    features = [
        feature(10, 11.6, along(0, 1.6)),
        feature(11, 12, along(1, 2)),  # repeats K11–K11.6 and goes on past the joint
        feature(11.6, 13, along(1.6, 3)),
    ]
    plan = plan_import(features)

    road = only_road(plan)
    assert [(s.index, s.code) for s in plan.skipped] == [(1, "G30")]
    assert "repeat road already imported" in plan.skipped[0].reason
    assert list(road.line.coords) == along(0, 3)
    assert [p.chainage for p in road.calibration] == [10000, 11600, 13000]
    assert road.breaks == []


# --- bad features ---------------------------------------------------------------------------------


def test_bad_features_are_skipped_each_with_index_code_and_reason():
    good = [feature(10, 12, along(0, 2)), feature(12, 14, along(2, 4))]
    bad = {
        2: (feature(14, 15, along(4, 4)), "only one vertex"),
        3: (feature(14, 15, [PATH[20], PATH[20], PATH[20]]), "only one vertex"),
        4: (feature(None, 15, along(4, 5)), "stake is missing"),
        5: (feature(14, "abc", along(4, 5)), "is not a stake"),
        6: (feature(14, "K15+5", along(4, 5)), "three digits"),
        7: (feature(14, 15, along(4, 5), direction="9.其它"), "Unknown direction"),
        8: (feature(14, 14, along(4, 5)), "start and end stakes are equal"),
        9: (feature(14, 15, [(500000.0, 4850000.0), (501000.0, 4850000.0)]), "longitude"),
        10: (feature(14, 15, along(4, 5), code=""), "road code is missing"),
    }
    multi = feature(14, 15, [])
    multi["geometry"] = {"type": "MultiLineString", "coordinates": [along(4, 5), along(5, 6)]}
    bad[11] = (multi, "MultiLineString, not a LineString")
    point = feature(14, 15, [])
    point["geometry"] = {"type": "Point", "coordinates": list(PATH[20])}
    bad[12] = (point, "Point, not a LineString")
    no_geometry = feature(14, 15, [])
    no_geometry["geometry"] = None
    bad[13] = (no_geometry, "None, not a LineString")
    no_properties = {"type": "Feature", "properties": None, "geometry": good[0]["geometry"]}
    bad[14] = (no_properties, "road code is missing")

    features = good + [bad[i][0] for i in sorted(bad)]
    plan = plan_import(features)

    road = only_road(plan)
    assert road.segments == 2
    assert plan.features_used == 2
    assert list(road.line.coords) == along(0, 4)
    assert [s.index for s in plan.skipped] == sorted(bad)
    for skipped in plan.skipped:
        expected_code = "" if skipped.index in (10, 14) else "G30"
        assert skipped.code == expected_code
        fragment = bad[skipped.index][1]
        assert fragment in skipped.describe(), (skipped.index, skipped.describe())
        assert skipped.describe().startswith(f"feature {skipped.index} ({expected_code or '?'}): ")
    unknown = next(s for s in plan.skipped if s.index == 7)
    assert unknown.params == {"value": "9.其它"}
    assert unknown.describe() == "feature 7 (G30): Unknown direction 9.其它."


def test_a_plan_with_nothing_usable_is_empty():
    plan = plan_import([feature(10, 11, along(0, 0))])
    assert plan.roads == []
    assert plan.features_used == 0
    assert [s.index for s in plan.skipped] == [0]
    assert plan_import([]) == ImportPlan(roads=[], skipped=[])


# --- several roads --------------------------------------------------------------------------------


def test_two_directions_and_two_codes_make_separate_roads():
    features = [
        feature(10, 12, along(0, 2), direction="1.上行"),
        feature(12, 10, along(2, 0, PATH_DOWN), direction="2.下行"),  # against chainage
        feature(0, 3, along(0, 3, PATH_OTHER), code="G312", name="沪霍线", direction="3.双向"),
        feature(12, 14, along(2, 4), direction="1.上行"),
        feature(14, 12, along(4, 2, PATH_DOWN), direction="2.下行"),
    ]
    plan = plan_import(features)

    assert plan.skipped == []
    assert plan.features_used == 5
    assert [(r.code, r.direction, r.segments) for r in plan.roads] == [
        ("G30", "down", 2),
        ("G30", "up", 2),
        ("G312", "both", 1),
    ]
    down, up, other = plan.roads
    assert list(up.line.coords) == along(0, 4)
    assert list(down.line.coords) == along(0, 4, PATH_DOWN)
    assert list(other.line.coords) == along(0, 3, PATH_OTHER)
    assert (down.start_chainage, down.end_chainage) == (10000, 14000)
    assert (other.start_chainage, other.end_chainage, other.name) == (0, 3000, "沪霍线")
    for road in plan.roads:
        assert road.breaks == [] and road.notes == []


def test_a_road_whose_stakes_contradict_is_skipped_whole_and_the_others_go_ahead():
    # The middle segment claims a kilometre of stakes (K13–K14) but has no length at all, so the
    # jumps K12→K13 and K14→K15 land at the same measure: two chain breaks in one place.
    nudged = (PATH[10][0] + 1e-11, PATH[10][1])
    features = [
        feature(0, 3, along(0, 3, PATH_OTHER), code="G312"),
        feature(10, 12, along(0, 2)),
        feature(13, 14, [PATH[10], nudged]),
        feature(15, 17, [nudged, *along(2.2, 4)]),
        feature(10, 12, along(0, 2, PATH_DOWN), direction="2.下行"),
    ]
    plan = plan_import(features)

    assert [(r.code, r.direction) for r in plan.roads] == [("G30", "down"), ("G312", "up")]
    assert plan.features_used == 2
    assert [(s.index, s.code) for s in plan.skipped] == [(1, "G30"), (2, "G30"), (3, "G30")]
    assert {s.reason for s in plan.skipped} == {
        "Two chain breaks at %(measure).1f m; merge them into one."
    }
    assert all("Two chain breaks" in s.describe() for s in plan.skipped)


def test_a_road_without_length_is_skipped_whole():
    nudged = (PATH[0][0] + 1e-11, PATH[0][1])
    features = [
        feature(10, 11, [PATH[0], nudged]),
        feature(0, 3, along(0, 3, PATH_OTHER), code="G312"),
    ]
    plan = plan_import(features)
    assert [r.code for r in plan.roads] == ["G312"]
    assert [(s.index, s.code) for s in plan.skipped] == [(0, "G30")]
    assert "no length" in plan.skipped[0].describe()


def test_a_long_chain_section_in_two_parts_is_followed_by_the_resuming_road():
    # K10–K12, then a 2 km inserted section in two parts (12+K0→12+K0.8→12+K2), then K12 again.
    features = [
        feature(12, 14, along(4, 6)),
        feature("12+K0.8", "12+K2", along(2.8, 4)),
        feature(10, 12, along(0, 2)),
        feature("12+K0", "12+K0.8", along(2, 2.8)),
    ]
    road = only_road(plan_import(features))
    assert [(b.back_chainage, b.ahead_chainage) for b in road.breaks] == [(14000.0, 12000.0)]
    assert road.segments == 4


def test_a_long_chain_section_branching_off_where_the_road_goes_on_is_dropped():
    # The inserted section leaves K12 northwards while the 8 km road itself goes on east from
    # the same place: the section is an old alignment, not part of this centreline.
    branch = [(lon, lat + 0.01 * i) for i, (lon, lat) in enumerate(along(2, 3))]
    features = [
        feature(10, 12, along(0, 2)),
        feature("12+K0", "12+K1", branch),
        feature(12, 20, along(2, 10)),
    ]
    plan = plan_import(features)
    road = only_road(plan)
    assert [s.index for s in plan.skipped] == [1]
    assert "branches off" in plan.skipped[0].reason
    assert road.breaks == []
    assert (road.start_chainage, road.end_chainage) == (10000, 20000)
