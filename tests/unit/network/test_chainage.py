import contextlib
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pyproj import CRS, Geod, Transformer
from shapely.geometry import LineString, Point

from inspection.errors import ValidationError
from inspection.network import chainage as chainage_module
from inspection.network.chainage import (
    CalibrationPoint,
    ChainBreak,
    LinearReference,
    LocatedStake,
    MetricLine,
    chainage_to_point,
    metric_crs_for,
    point_to_chainage,
    stake_range_to_line,
)

# --- test roads, built here in a transverse Mercator of our own around Urumqi -------------------

LON_0 = 87.6
_TEST_CRS = CRS.from_proj4(f"+proj=tmerc +lon_0={LON_0} +k=1 +ellps=WGS84 +units=m")
_TO_METRIC = Transformer.from_crs("EPSG:4326", _TEST_CRS, always_xy=True)
_TO_LONLAT = Transformer.from_crs(_TEST_CRS, "EPSG:4326", always_xy=True)
ORIGIN = np.array(_TO_METRIC.transform(87.55, 43.8))


def lonlat_line(metric_coords):
    """Return the lon/lat line of coordinates given in metres from ORIGIN."""
    xs, ys = np.asarray(metric_coords, dtype=float).T + ORIGIN[:, None]
    return LineString(np.column_stack(_TO_LONLAT.transform(xs, ys)))


def lonlat(xy):
    x, y = np.asarray(xy, dtype=float) + ORIGIN
    return _TO_LONLAT.transform(x, y)


# ~10 km, slightly bending at each vertex (at most 4.6°).
STRAIGHT_XY = LineString([(0, 0), (2500, 150), (5000, 200), (7500, 450), (10000, 500)])
STRAIGHT = MetricLine(lonlat_line(STRAIGHT_XY.coords), lon_0=LON_0)


def _curve():
    # 1 km lead-in heading east, a 120° left-hand arc of radius 1500 m in 1° steps, 1 km out.
    radius, centre = 1500.0, np.array([1000.0, 1500.0])
    arc = [
        centre + radius * np.array([math.cos(a), math.sin(a)])
        for a in np.radians(np.arange(-90, 31))
    ]
    exit_direction = np.array([-math.sin(math.radians(30)), math.cos(math.radians(30))])
    return LineString([(0, 0), *arc, arc[-1] + 1000 * exit_direction])


CURVED_XY = _curve()
CURVED = MetricLine(lonlat_line(CURVED_XY.coords), lon_0=LON_0)

# Nominal K100+000 to K110+000 stretched evenly over the real length.
STRAIGHT_REF = LinearReference(100_000, 110_000, STRAIGHT.length)
STRAIGHT_CALIBRATED = LinearReference(
    100_000,
    110_000,
    STRAIGHT.length,
    calibration=[CalibrationPoint(103_000, 3050.0), CalibrationPoint(107_000, 7020.0)],
)
CURVED_REF = LinearReference(0, round(CURVED.length), CURVED.length)

# 0–5200 m is K0+000–K5+200; the chain then goes back to K5+000 (long chain, 200 m overlap).
LONG = LinearReference(0, 10_000, 10_200, breaks=[ChainBreak(5200, 5200, 5000)])
# 0–5000 m is K0+000–K5+000; the chain then jumps to K5+200 (short chain, 200 m gap).
SHORT = LinearReference(0, 10_000, 9800, breaks=[ChainBreak(5000, 5000, 5200)])
CALIBRATED = LinearReference(
    0,
    10_000,
    10_000,
    calibration=[
        CalibrationPoint(2000, 2100),
        CalibrationPoint(5000, 5000),
        CalibrationPoint(8000, 7900),
    ],
)
MIXED = LinearReference(
    0,
    12_000,
    12_100,
    calibration=[
        CalibrationPoint(chainage=2950, measure=3000),
        CalibrationPoint(chainage=8300, measure=8000),
    ],
    breaks=[ChainBreak(5000, 5100, 4900), ChainBreak(9000, 8600, 8800)],
)


@contextlib.contextmanager
def raises_with(*fragments):
    """Expect a ValidationError whose message contains every fragment."""
    with pytest.raises(ValidationError) as info:
        yield info
    for fragment in fragments:
        assert fragment in str(info.value)


# --- chain breaks and calibration --------------------------------------------------------------


def test_chain_break_kind():
    assert ChainBreak(100, 1200, 1000).kind == "long"
    assert ChainBreak(100, 1000, 1200).kind == "short"


@pytest.mark.parametrize(
    ("chainage", "measure"),
    [
        (0, 0),
        (1000, 1050),
        (2000, 2100),
        (3500, 3550),
        (5000, 5000),
        (6500, 6450),
        (10_000, 10_000),
    ],
)
def test_calibration_points_interpolate_linearly(chainage, measure):
    assert CALIBRATED.to_measures(chainage) == pytest.approx((measure,))
    assert CALIBRATED.to_measure(chainage) == pytest.approx(measure)
    assert CALIBRATED.to_chainage(measure) == pytest.approx(chainage)


def test_uncalibrated_road_scales_nominal_chainage_onto_the_real_length():
    ref = LinearReference(1000, 11_000, 10_500)
    assert ref.to_measure(1000) == 0
    assert ref.to_measure(6000) == pytest.approx(5250)
    assert ref.to_measure(11_000) == pytest.approx(10_500)
    assert ref.to_chainage(10_500) == pytest.approx(11_000)


def test_uncalibrated_road_of_nominal_length_is_chainage_minus_start():
    ref = LinearReference(1000, 11_000, 10_000)
    assert ref.to_measure(3456.5) == pytest.approx(2456.5)


def test_long_chain_overlap_has_two_candidates():
    assert LONG.to_measures(5100) == pytest.approx((5100, 5300))
    assert LONG.to_measures(5000) == pytest.approx((5000, 5200))  # the ahead stake
    assert LONG.to_measures(5200) == pytest.approx((5200, 5400))  # the back stake
    assert LONG.to_measures(4999) == pytest.approx((4999,))
    assert LONG.to_measures(5201) == pytest.approx((5401,))


def test_long_chain_choice_before_after_or_near():
    assert LONG.to_measure(5100, prefer="before") == pytest.approx(5100)
    assert LONG.to_measure(5100, prefer="after") == pytest.approx(5300)
    assert LONG.to_measure(5100, near_measure=5290) == pytest.approx(5300)
    assert LONG.to_measure(5100, near_measure=0) == pytest.approx(5100)
    assert LONG.to_measure(5100, prefer="before", near_measure=5300) == pytest.approx(5100)
    assert LONG.to_measure(4000, prefer="after") == pytest.approx(4000)  # no overlap: no choice


def test_long_chain_without_choice_lists_both_candidates():
    with raises_with("K5+100", "long-chain overlap", "5100.0, 5300.0", "before or after") as info:
        LONG.to_measure(5100)
    assert info.value.params["candidates"] == pytest.approx((5100, 5300))
    assert "prefer" in info.value.fields


def test_prefer_must_be_before_or_after():
    with raises_with("'before' or 'after'"):
        LONG.to_measure(5100, prefer="behind")


def test_to_chainage_at_a_break_gives_the_ahead_stake():
    assert LONG.to_chainage(5200) == pytest.approx(5000)
    assert LONG.to_chainage(5199.9) == pytest.approx(5199.9)
    assert SHORT.to_chainage(5000) == pytest.approx(5200)
    assert SHORT.to_chainage(4999.9) == pytest.approx(4999.9)


def test_short_chain_gap_stakes_do_not_exist():
    with raises_with("K5+100", "short-chain gap between K5+000 and K5+200", "5000.0 m"):
        SHORT.to_measures(5100)
    with raises_with("short-chain gap"):
        SHORT.to_measure(5199.5)
    assert SHORT.to_measures(5000) == pytest.approx((5000,))
    assert SHORT.to_measures(5200) == pytest.approx((5000,))
    assert SHORT.to_measure(6200) == pytest.approx(6000)


def test_calibration_and_breaks_together():
    # Section 1: 0→K0+000, 3000→K2+950, 5000→K5+100.
    assert MIXED.to_measure(2950) == pytest.approx(3000)
    assert MIXED.to_measure(4025) == pytest.approx(4000)
    # Section 2 (after the long chain): 5000→K4+900, 8000→K8+300, 9000→K8+600.
    assert MIXED.to_measures(5000) == pytest.approx(
        (3000 + 2000 * 2050 / 2150, 5000 + 3000 * 100 / 3400)
    )
    assert MIXED.to_chainage(8500) == pytest.approx(8450)
    # Section 3 (after the short chain): 9000→K8+800, 12100→K12+000.
    with raises_with("short-chain gap between K8+600 and K8+800"):
        MIXED.to_measure(8700)
    assert MIXED.to_measure(12_000) == pytest.approx(12_100)


@pytest.mark.parametrize(
    ("ref", "chainage", "fragments"),
    [
        (CALIBRATED, 10_000.5, ("K10+000.5", "outside this road's stakes K0+000–K10+000")),
        (LinearReference(1000, 2000, 1000), 999, ("K0+999", "K1+000–K2+000")),
        (CALIBRATED, -1, ("negative",)),
        (CALIBRATED, float("nan"), ("not a number",)),
    ],
)
def test_stake_outside_the_road(ref, chainage, fragments):
    with raises_with(*fragments):
        ref.to_measures(chainage)


def test_stake_skipped_by_a_long_chain_past_the_start():
    # K0+500–K1+000, then back to K0+000–K0+400: K0+450 is in the range but nowhere.
    ref = LinearReference(500, 400, 1000, breaks=[ChainBreak(500, 1000, 0)])
    with raises_with("K0+450", "does not exist"):
        ref.to_measures(450)
    assert ref.to_measures(450.0 + 300) == pytest.approx((250,))


def test_measure_outside_the_road_is_clamped_within_half_a_metre():
    assert CALIBRATED.to_chainage(-0.4) == 0
    assert CALIBRATED.to_chainage(10_000.4) == 10_000
    with raises_with("-0.6 m is off the centreline (0.0–10000.0 m)"):
        CALIBRATED.to_chainage(-0.6)
    with raises_with("off the centreline"):
        CALIBRATED.to_chainage(10_000.6)
    with raises_with("off the centreline"):
        CALIBRATED.to_chainage(float("nan"))


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        (
            {"calibration": [CalibrationPoint(2000, 2100), CalibrationPoint(3000, 2050)]},
            ("K2+000 at 2100.0 m", "K3+000 at 2050.0 m", "out of order"),
        ),
        (
            {"calibration": [CalibrationPoint(2000, 2100), CalibrationPoint(1900, 2200)]},
            ("K2+000 at 2100.0 m", "K1+900 at 2200.0 m"),
        ),
        (
            {"calibration": [CalibrationPoint(2000, 2100), CalibrationPoint(2000, 2300)]},
            ("K2+000 at 2100.0 m", "K2+000 at 2300.0 m"),
        ),
        ({"calibration": [CalibrationPoint(12_000, 9000)]}, ("K12+000 at 9000.0 m", "K10+000")),
        ({"calibration": [CalibrationPoint(500, 10_001)]}, ("off the road",)),
        ({"calibration": [CalibrationPoint(100, 0)]}, ("contradicts", "K0+000")),
        ({"calibration": [CalibrationPoint(-5, 10)]}, ("negative",)),
        ({"breaks": [ChainBreak(0, 100, 50)]}, ("inside the road",)),
        ({"breaks": [ChainBreak(10_000, 100, 50)]}, ("inside the road",)),
        ({"breaks": [ChainBreak(5000, 5000, 5000)]}, ("same back and ahead stake K5+000",)),
        (
            {"breaks": [ChainBreak(5000, 5000, 4900), ChainBreak(5000, 5000, 4800)]},
            ("Two chain breaks at 5000.0 m",),
        ),
        (
            {
                "breaks": [ChainBreak(5000, 5000, 4900)],
                "calibration": [CalibrationPoint(5050, 4900)],
            },
            ("K5+050 at 4900.0 m", "K5+000 at 5000.0 m"),
        ),
        (
            {
                "breaks": [ChainBreak(5000, 5000, 5100)],
                "calibration": [CalibrationPoint(5050, 5000)],
            },
            ("contradicts", "K5+100 / K5+000"),
        ),
    ],
)
def test_invalid_reference_is_rejected_saying_what(kwargs, fragments):
    with raises_with(*fragments):
        LinearReference(0, 10_000, 10_000, **kwargs)


@pytest.mark.parametrize("length", [0, -5, float("nan")])
def test_road_length_must_be_positive(length):
    with raises_with("must be positive"):
        LinearReference(0, 10_000, length)


def test_calibration_points_repeating_an_end_anchor_are_accepted():
    ref = LinearReference(
        0,
        10_000,
        10_200,
        calibration=[
            CalibrationPoint(chainage=0, measure=0),
            CalibrationPoint(chainage=5200, measure=5200),  # the back stake
            CalibrationPoint(chainage=5000, measure=5200),  # the ahead stake
            CalibrationPoint(chainage=10_000, measure=10_200),
        ],
        breaks=[ChainBreak(5200, 5200, 5000)],
    )
    assert ref.to_measures(5100) == pytest.approx((5100, 5300))


def test_calibration_points_may_come_in_any_order():
    shuffled = LinearReference(
        0, 10_000, 10_000, calibration=[CalibrationPoint(8000, 7900), CalibrationPoint(2000, 2100)]
    )
    assert shuffled.to_measure(2000) == pytest.approx(2100)


references = st.sampled_from([CALIBRATED, LONG, SHORT, MIXED, STRAIGHT_CALIBRATED])


@given(references, st.floats(0, 1, allow_nan=False))
def test_measure_chainage_measure_round_trip(ref, fraction):
    measure = fraction * ref.length_m
    chainage = ref.to_chainage(measure)
    assert ref.to_measure(chainage, near_measure=measure) == pytest.approx(measure, abs=1e-6)


@given(references, st.floats(0, 1, allow_nan=False))
def test_chainage_measure_chainage_round_trip(ref, fraction):
    chainage = ref.first_chainage + fraction * (ref.last_chainage - ref.first_chainage)
    # A back stake shares its measure with the ahead stake, which to_chainage reports there.
    assume(all(abs(chainage - b.back_chainage) > 1e-6 for b in ref.breaks))
    try:
        measures = ref.to_measures(chainage)
    except ValidationError as error:
        assert "short-chain gap" in str(error)
        return
    for measure in measures:
        assert ref.to_chainage(measure) == pytest.approx(chainage, abs=1e-6)


# --- metric geometry ---------------------------------------------------------------------------


def central_meridian(crs):
    operation = crs.coordinate_operation
    assert operation.method_name == "Transverse Mercator"
    params = {p.name: p.value for p in operation.params}
    assert params["Scale factor at natural origin"] == 1
    return params["Longitude of natural origin"]


def test_metric_crs_is_a_transverse_mercator_centred_on_the_line():
    line = LineString([(80.0, 43.0), (95.0, 44.0)])
    assert metric_crs_for(line).is_projected
    assert central_meridian(metric_crs_for(line)) == pytest.approx(87.5)
    assert central_meridian(metric_crs_for(line, lon_0=90.25)) == pytest.approx(90.25)


def test_pieces_share_one_crs_and_the_transformers_are_cached():
    first = MetricLine(LineString([(87.0, 43.8), (87.1, 43.8)]), lon_0=LON_0)
    second = MetricLine(LineString([(88.0, 43.8), (88.1, 43.8)]), lon_0=LON_0)
    assert first.crs == second.crs
    assert first._to_metric is second._to_metric
    assert chainage_module._transformers.cache_info().hits >= 1


def test_metric_line_length_is_in_metres():
    assert STRAIGHT.length == pytest.approx(STRAIGHT_XY.length, abs=1e-3)
    assert CURVED.length == pytest.approx(CURVED_XY.length, abs=1e-3)
    assert MetricLine(lonlat_line(STRAIGHT_XY.coords)).length == pytest.approx(
        STRAIGHT_XY.length, rel=1e-5
    )  # centred on the line itself, a few km from LON_0


def test_metric_length_of_a_road_across_15_degrees_matches_the_geodesic():
    lons = np.arange(80.0, 95.01, 0.25)
    lats = 44 + 0.5 * np.sin(np.radians(lons * 20))
    line = LineString(np.column_stack([lons, lats]))
    geodesic = Geod(ellps="WGS84").geometry_length(line)
    assert geodesic > 1_150_000
    assert MetricLine(line).length == pytest.approx(geodesic, rel=0.006)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        (Point(87.6, 43.8), "at least two points"),
        (LineString(), "at least two points"),
        (LineString([(87.6, 43.8), (87.6, 43.8)]), "no length"),
        (LineString([(500_000, 4_850_000), (501_000, 4_850_000)]), "not longitude/latitude"),
    ],
)
def test_metric_line_rejects_what_is_no_centreline(line, fragment):
    with raises_with(fragment):
        MetricLine(line)


def test_point_at_the_ends_and_beyond():
    first, last = STRAIGHT_XY.coords[0], STRAIGHT_XY.coords[-1]
    assert STRAIGHT.point_at(0) == pytest.approx(lonlat(first), abs=1e-9)
    assert STRAIGHT.point_at(STRAIGHT.length) == pytest.approx(lonlat(last), abs=1e-9)
    assert STRAIGHT.point_at(STRAIGHT.length + 0.4) == pytest.approx(lonlat(last), abs=1e-9)
    assert STRAIGHT.point_at(-0.4) == pytest.approx(lonlat(first), abs=1e-9)
    with raises_with("off the centreline"):
        STRAIGHT.point_at(STRAIGHT.length + 0.6)
    with raises_with("off the centreline"):
        STRAIGHT.point_at(-1)


def metric_length(line_lonlat):
    return MetricLine(line_lonlat, lon_0=LON_0).length


@given(st.floats(0, 1), st.floats(0, 1))
def test_substring_length_is_the_measure_range(a, b):
    m_from, m_to = a * STRAIGHT.length, b * STRAIGHT.length
    assume(abs(m_to - m_from) > 0.01)
    part = STRAIGHT.substring(m_from, m_to)
    assert metric_length(part) == pytest.approx(abs(m_to - m_from), abs=1e-3)
    assert part.coords[0] == pytest.approx(STRAIGHT.point_at(m_from), abs=1e-9)
    assert part.coords[-1] == pytest.approx(STRAIGHT.point_at(m_to), abs=1e-9)


def test_substring_from_a_greater_measure_is_reversed():
    forward = STRAIGHT.substring(1000, 6000)
    backward = STRAIGHT.substring(6000, 1000)
    assert np.allclose(backward.coords, forward.coords[::-1], rtol=0, atol=1e-9)


def test_substring_of_no_length_is_rejected():
    with raises_with("has no length"):
        STRAIGHT.substring(1000, 1000)


@given(st.floats(0, 1))
def test_stake_range_line_length_on_an_uncalibrated_road(fraction):
    ref = LinearReference(0, STRAIGHT.length, STRAIGHT.length)  # nominal = real length
    c_to = fraction * STRAIGHT.length
    assume(c_to > 0.01)
    line = stake_range_to_line(STRAIGHT, ref, 0, c_to)
    assert metric_length(line) == pytest.approx(c_to, abs=1e-3)


def test_stake_range_line_follows_the_scaled_chainage():
    # 10 km of stakes over ~10.04 km of road: K101+000–K104+000 is 3/10 of the real length.
    line = stake_range_to_line(STRAIGHT, STRAIGHT_REF, 101_000, 104_000)
    assert metric_length(line) == pytest.approx(0.3 * STRAIGHT.length, abs=1e-3)


def test_stake_range_across_a_long_chain_reads_the_shorter_stretch():
    road = MetricLine(lonlat_line([(0, 0), (10_200, 0)]), lon_0=LON_0)
    assert road.length == pytest.approx(10_200, abs=1e-6)
    # K5+100 is before (5100 m) or after (5300 m) the break; K7+000 is only at 7200 m.
    assert metric_length(stake_range_to_line(road, LONG, 5100, 7000)) == pytest.approx(
        1900, abs=1e-3
    )
    assert metric_length(stake_range_to_line(road, LONG, 7000, 5100)) == pytest.approx(
        1900, abs=1e-3
    )
    assert metric_length(
        stake_range_to_line(road, LONG, 5100, 7000, prefer="before")
    ) == pytest.approx(2100, abs=1e-3)
    assert metric_length(stake_range_to_line(road, LONG, 4000, 5100)) == pytest.approx(
        1100, abs=1e-3
    )
    with raises_with("long-chain overlap"):
        stake_range_to_line(road, LONG, 5050, 5150)
    assert metric_length(
        stake_range_to_line(road, LONG, 5050, 5150, near_measure=5300)
    ) == pytest.approx(100, abs=1e-3)


def test_stake_range_of_no_length_is_rejected():
    road = MetricLine(lonlat_line([(0, 0), (9800, 0)]), lon_0=LON_0)
    with raises_with("K5+000–K5+200 covers no length"):
        stake_range_to_line(road, SHORT, 5000, 5200)  # the two sides of a short chain
    with raises_with("K3+000–K3+000 covers no length"):
        stake_range_to_line(road, SHORT, 3000, 3000)


def test_stake_range_reports_stakes_outside_the_road():
    with raises_with("outside this road's stakes"):
        stake_range_to_line(STRAIGHT, STRAIGHT_REF, 109_000, 111_000)


roads = st.sampled_from(
    [(STRAIGHT, STRAIGHT_REF), (STRAIGHT, STRAIGHT_CALIBRATED), (CURVED, CURVED_REF)]
)


@given(roads, st.floats(0, 1))
def test_chainage_point_chainage_round_trip(road, fraction):
    line, ref = road
    chainage = ref.first_chainage + fraction * (ref.last_chainage - ref.first_chainage)
    lon, lat = chainage_to_point(line, ref, chainage)
    found = point_to_chainage(line, ref, lon, lat)
    assert found.chainage == pytest.approx(chainage, abs=0.5)
    assert found.distance_m < 0.01
    assert found.offset_m < 0.01


def test_chainage_to_point_needs_a_choice_in_a_long_chain_overlap():
    road = MetricLine(lonlat_line([(0, 0), (10_200, 0)]), lon_0=LON_0)
    with raises_with("long-chain overlap"):
        chainage_to_point(road, LONG, 5100)
    assert chainage_to_point(road, LONG, 5100, prefer="after") == pytest.approx(
        lonlat((5300, 0)), abs=1e-9
    )
    assert chainage_to_point(road, LONG, 5100, near_measure=0) == pytest.approx(
        lonlat((5100, 0)), abs=1e-9
    )


def offset_point(line_xy, measure, offset):
    """Return the lon/lat of a point ``offset`` metres left (negative: right) of the line."""
    coords = np.asarray(line_xy.coords)
    steps = np.hypot(*np.diff(coords, axis=0).T)
    i = min(np.searchsorted(np.cumsum(steps), measure), len(steps) - 1)
    direction = (coords[i + 1] - coords[i]) / steps[i]
    left = np.array([-direction[1], direction[0]])
    foot = np.asarray(line_xy.interpolate(measure).coords[0])
    return lonlat(foot + offset * left)


@given(
    roads, st.floats(0.001, 0.999), st.sampled_from([20.0, -20.0]), st.sampled_from(["up", "down"])
)
def test_offset_point_gives_offset_and_side(road, fraction, offset, direction):
    line, ref = road
    line_xy = STRAIGHT_XY if line is STRAIGHT else CURVED_XY
    measure = fraction * line.length
    found = point_to_chainage(
        line, ref, *offset_point(line_xy, measure, offset), direction=direction
    )
    assert found.offset_m == pytest.approx(20, abs=0.5)
    assert found.distance_m == pytest.approx(20, abs=0.5)
    geometry_side = "left" if offset > 0 else "right"
    flipped = {"left": "right", "right": "left"}[geometry_side]
    assert found.side == (geometry_side if direction == "up" else flipped)
    # Beside a bend the foot slides along the road: up to 20 m × tan(4.6°) at the straight road's
    # sharpest vertex.
    assert found.chainage == pytest.approx(ref.to_chainage(measure), abs=2.0)


def test_point_beyond_the_end_measures_offset_square_to_the_last_segment():
    # The last segment runs east (with a slight northward slope); go 30 m on and 10 m left.
    coords = np.asarray(STRAIGHT_XY.coords)
    direction = (coords[-1] - coords[-2]) / np.hypot(*(coords[-1] - coords[-2]))
    left = np.array([-direction[1], direction[0]])
    found = STRAIGHT.locate(*lonlat(coords[-1] + 30 * direction + 10 * left))
    assert found.measure == pytest.approx(STRAIGHT.length)
    assert found.offset_m == pytest.approx(10, abs=0.01)
    assert found.distance_m == pytest.approx(math.hypot(30, 10), abs=0.01)
    assert found.side == "left"
    before = STRAIGHT.locate(*lonlat(-30 * np.array([1, 0.06]) - 10 * np.array([-0.06, 1])))
    assert before.measure == 0
    assert before.offset_m == pytest.approx(10, abs=0.05)
    assert before.side == "right"


@pytest.mark.parametrize(
    ("xy", "side"), [((110, 5), "right"), ((105, -5), "right"), ((50, 2), "left")]
)
def test_side_at_a_hairpin_vertex(xy, side):
    # East for 100 m, then a left hairpin back west: beside the tip is outside the bend.
    hairpin = MetricLine(lonlat_line([(0, 0), (100, 0), (0, 10)]), lon_0=LON_0)
    assert hairpin.locate(*lonlat(xy)).side == side


def test_point_on_the_centreline_is_on_neither_side():
    found = STRAIGHT.locate(*STRAIGHT.point_at(4321))
    assert found.side is None
    assert found.measure == pytest.approx(4321, abs=1e-3)
    assert found.offset_m < 1e-3


def test_piece_of_a_road_reports_measures_of_the_whole_road():
    piece = MetricLine(STRAIGHT.substring(3000, 4000), lon_0=STRAIGHT.lon_0, base_measure=3000)
    assert piece.length == pytest.approx(1000, abs=1e-3)
    assert piece.end_measure == pytest.approx(4000, abs=1e-3)
    assert piece.point_at(3500) == pytest.approx(STRAIGHT.point_at(3500), abs=1e-9)
    assert piece.locate(*STRAIGHT.point_at(3500)).measure == pytest.approx(3500, abs=1e-3)
    found = point_to_chainage(piece, STRAIGHT_REF, *offset_point(STRAIGHT_XY, 3500, -15))
    assert found.measure == pytest.approx(3500, abs=1e-3)
    assert found.chainage == pytest.approx(STRAIGHT_REF.to_chainage(3500), abs=1e-3)
    assert (found.offset_m, found.side) == (pytest.approx(15, abs=0.01), "right")
    with raises_with("2000.0 m is off the centreline (3000.0–4000.0 m)"):
        piece.point_at(2000)


def test_located_stake_writes_its_stake():
    found = point_to_chainage(STRAIGHT, STRAIGHT_REF, *STRAIGHT.point_at(STRAIGHT.length / 2))
    assert isinstance(found, LocatedStake)
    assert found.stake == "K105+000"


def test_direction_must_be_up_or_down():
    with raises_with("up or down, not both"):
        point_to_chainage(STRAIGHT, STRAIGHT_REF, 87.6, 43.8, direction="both")
