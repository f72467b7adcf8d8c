"""Cutting roads into evaluation units: grid, short and long chains, geometry, recompute."""

import pytest
from shapely.geometry import LineString
from sqlalchemy import select

from inspection.errors import ValidationError
from inspection.geo import from_db, to_db
from inspection.network import services as network
from inspection.network.chainage import MetricLine
from inspection.surveys.models import SurveyUnit
from inspection.surveys.services import Section, plan_units
from tests.integration.surveys.conftest import unit_at


def stakes(plan):
    return [(u.start_chainage, u.end_chainage, round(u.length_m, 3)) for u in plan]


def section(c0, c1, m0, m1, after=None):
    return Section((m0, m1), (c0, c1), after)


def test_a_road_is_cut_at_the_multiples_of_the_unit_length():
    plan = plan_units([section(350.0, 3200.0, 0.0, 2850.0)], 1000.0)
    assert stakes(plan) == [
        (350.0, 1000.0, 650.0),
        (1000.0, 2000.0, 1000.0),
        (2000.0, 3000.0, 1000.0),
        (3000.0, 3200.0, 200.0),
    ]
    assert (plan[0].start_measure, plan[0].end_measure) == (0.0, 650.0)


def test_a_unit_holding_a_short_chain_gap_spans_it_and_does_not_count_it():
    # K0–K1+200, gap to K1+500, then K1+500–K3: the K1 unit spans the gap, 700 m long.
    sections = [section(0.0, 1200.0, 0.0, 1200.0, "short"), section(1500.0, 3000.0, 1200.0, 2700.0)]
    plan = plan_units(sections, 1000.0)
    assert stakes(plan) == [
        (0.0, 1000.0, 1000.0),
        (1000.0, 2000.0, 700.0),
        (2000.0, 3000.0, 1000.0),
    ]
    assert (plan[1].start_measure, plan[1].end_measure) == (1000.0, 1700.0)


def test_a_unit_boundary_in_a_gap_moves_to_the_gap_edge_and_units_inside_it_vanish():
    sections = [section(0.0, 1650.0, 0.0, 1650.0, "short"), section(2050.0, 3000.0, 1650.0, 2600.0)]
    assert stakes(plan_units(sections, 1000.0)) == [
        (0.0, 1000.0, 1000.0),
        (1000.0, 1650.0, 650.0),
        (2050.0, 3000.0, 950.0),
    ]
    hundred = stakes(plan_units(sections, 100.0))
    assert (1600.0, 1650.0, 50.0) in hundred and (2050.0, 2100.0, 50.0) in hundred
    assert not [u for u in hundred if 1650.0 < u[0] < 2050.0]
    assert sum(u[2] for u in hundred) == pytest.approx(3000.0 - 400.0)


def test_units_never_span_a_long_chain():
    sections = [section(0.0, 1800.0, 0.0, 1800.0, "long"), section(1000.0, 3000.0, 1800.0, 3800.0)]
    assert stakes(plan_units(sections, 1000.0)) == [
        (0.0, 1000.0, 1000.0),
        (1000.0, 1800.0, 800.0),
        (1000.0, 2000.0, 1000.0),
        (2000.0, 3000.0, 1000.0),
    ]


def test_a_campaign_over_the_demo_roads_gets_units_with_geometry(db_session, roads, campaign_of):
    campaign = campaign_of(("G30", "up"), ("G312", "both"), ("S21", "up"), ("S21", "down"))
    g30 = [u for u in campaign.units if u.road.code == "G30"]
    assert len(g30) == 20
    # The short chain K3511+700 → K3512+000 ends unit 12; unit 13 starts at K3512.
    assert (
        unit_at(campaign, "G30", 12).start_chainage,
        unit_at(campaign, "G30", 12).end_chainage,
    ) == (
        3511000.0,
        3511700.0,
    )
    assert unit_at(campaign, "G30", 12).length_m == 700.0
    assert unit_at(campaign, "G30", 13).start_chainage == 3512000.0
    assert sum(u.length_m for u in g30) == pytest.approx(19700.0)
    assert {u.width_m for u in g30} == {7.5} and {u.pavement for u in g30} == {"asphalt"}

    # G312's long chain: K3610–K3610+800 is surveyed twice, in two places.
    g312 = [u for u in campaign.units if u.road.code == "G312"]
    assert [(u.seq, u.start_chainage, u.end_chainage) for u in g312][6:8] == [
        (7, 3610000.0, 3610800.0),
        (8, 3610000.0, 3611000.0),
    ]
    assert sum(u.length_m for u in g312) == pytest.approx(12800.0)
    road = roads["G312"]
    first, second = (from_db(unit_at(campaign, "G312", n).geom) for n in (7, 8))
    assert MetricLine(first, lon_0=road.lon_0).length == pytest.approx(800.0, abs=1.0)
    assert MetricLine(second, lon_0=road.lon_0).length == pytest.approx(1000.0, abs=1.0)
    assert first.coords[-1] == pytest.approx(second.coords[0], abs=1e-7)  # one follows the other

    s21 = [u for u in campaign.units if u.road.code == "S21"]
    assert {u.direction for u in s21} == {"up", "down"} and len(s21) == 24
    assert {u.geometry_version for u in campaign.units} == {1}


def test_an_undivided_road_is_surveyed_one_way_or_per_direction_not_both(roads, campaign_of):
    with pytest.raises(ValidationError) as error:
        campaign_of(("S21", "both"), ("S21", "up"))
    assert error.value.fields == {"roads": "Choose one way per road."}
    with pytest.raises(ValidationError) as error:
        campaign_of(("G30", "down"))
    assert "roads" in error.value.fields


def test_campaign_fields_are_checked_together(roads, campaign_of):
    from datetime import date

    with pytest.raises(ValidationError) as error:
        campaign_of(
            name=" ",
            ends_on=date(2026, 3, 1),
            unit_length_m=5.0,
            width_m=0.0,
            method="drone",
            roads=(),
        )
    assert set(error.value.fields) == {
        "name",
        "ends_on",
        "unit_length_m",
        "width_m",
        "method",
        "roads",
    }


def test_unit_geometry_is_recomputed_when_the_road_changes(db_session, roads, campaign_of):
    campaign = campaign_of(("G312", "both"))
    road = roads["G312"]
    before = {u.seq: from_db(u.geom) for u in campaign.units}
    # Units 7 and 8 share the stakes K3610–K3610+800 of the long-chain overlap; unit 3 is moved
    # away by hand, as a stale geometry would be.
    unit_at(campaign, "G312", 3).geom = to_db(LineString([(87.0, 43.0), (87.001, 43.0)]))
    road.geometry_version += 1
    db_session.flush()
    counts = network.recompute_derived_geometry(db_session, road)
    assert counts["survey_units"] == 13
    after = {u.seq: from_db(u.geom) for u in campaign.units}
    for seq in before:
        # Each copy of the overlap keeps its own place (the stake nearest its old ends is taken).
        assert after[seq].equals_exact(before[seq], 1e-9), seq
    assert db_session.scalars(
        select(SurveyUnit.geometry_version).where(SurveyUnit.road_id == road.id).distinct()
    ).all() == [2]
    # Recomputing again changes nothing: every unit is at the road's version.
    assert network.recompute_derived_geometry(db_session, road)["survey_units"] == 0
