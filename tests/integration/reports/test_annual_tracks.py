"""The annual report's patrol distance from tracks where there are tracks, and the coverage rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inspection.reports import annual
from inspection.reports.annual import queries
from inspection.tracks import frequencies
from tests.integration.tracks.coverage_helpers import local, patrol, patrol_whole_road


def report(db_session, **params):
    asked = annual.parse_request({k: str(v) for k, v in params.items()}, today=date(2026, 6, 15))
    return queries.annual_report(db_session, asked, timezone="Asia/Shanghai")


@pytest.fixture
def march(db_session, roads, make_user):
    """March 2025: S21 patrolled weekly with tracks; other patrols typed, without a distance,
    or voided."""
    crew = make_user("patrol")
    for road_class in frequencies.DEFAULT_FREQUENCY_DAYS:
        frequencies.set_frequency(db_session, road_class, 7, actor=crew)
    s21 = roads["S21"]
    for day in (1, 8, 15, 22, 29):
        patrol_whole_road(db_session, s21, crew, local(2025, 3, day, 10), track_km=12.345)
    patrol(db_session, roads["G30"], crew, local(2025, 3, 2, 9), patrolled_km=8.0)
    patrol(db_session, roads["G30"], crew, local(2025, 3, 3, 9))  # no distance at all
    patrol(db_session, roads["G30"], crew, local(2025, 3, 4, 9), patrolled_km=5.0, track_km=4.0)
    # A voided patrol: neither its distance nor its track counts.
    patrol_whole_road(
        db_session, roads["G312"], crew, local(2025, 3, 5, 10), voided=True, track_km=50.0
    )
    return crew


def test_patrol_distance_comes_from_tracks_where_there_are_tracks(db_session, roads, march):
    totals = report(db_session, year=2025, month=3).totals
    assert totals["patrols"] == 8  # five on S21, three on G30; not the voided one on G312
    assert totals["patrols_tracked"] == 6  # five S21 patrols and the G30 one with a track
    assert totals["patrol_km_tracks"] == Decimal("65.7")  # 5 × 12.345 + 4.0 = 65.725
    assert totals["patrols_typed"] == 1  # the 8 km one; the one without a distance adds nothing
    assert totals["patrol_km_typed"] == Decimal("8.0")
    # The track's 4.0 km, not the typed 5.0, for the patrol that has both.
    assert totals["patrol_km"] == Decimal("73.7")


def test_the_coverage_rate_of_the_period(db_session, roads, march):
    result = report(db_session, year=2025, month=3)
    s21, network = roads["S21"].length_m, sum(r.length_m for r in roads.values())
    expected = annual.rounded(s21 / network * 100, 1)
    assert result.totals["coverage_rate"] == expected
    comparison = {c.key: c for c in result.comparison}["coverage_rate"]
    assert comparison.previous is None  # no track in March 2024: not 0 %
    zh = result.paragraphs_zh["maintenance"]
    assert f"巡查覆盖率{annual.percent_text(expected)}%" in zh
    assert "其中按巡查轨迹计65.7公里" in zh
    en = result.paragraphs_en["maintenance"]
    assert f"patrol coverage rate {annual.percent_text(expected)}%" in en
    one_road = report(db_session, year=2025, month=3, road="S21").totals
    assert one_road["coverage_rate"] == Decimal("100.0")
    assert report(db_session, year=2024).totals["coverage_rate"] is None


def test_the_api_and_the_page_state_both_parts(client, db_session, roads, march, login_as, english):
    login_as("manager")
    body = client.get("/api/v1/reports/annual?year=2025&month=3").get_json()
    figures = {f["key"]: f for f in body["figures"]}
    assert figures["patrol_km_tracks"]["value"] == 65.7
    assert figures["patrol_km_typed"]["value"] == 8.0
    assert figures["coverage_rate"]["unit"] == "percent"
    page = client.get("/reports/annual?year=2025&month=3").get_data(as_text=True)
    assert "Distance patrolled: from tracks" in page and "Patrol coverage rate" in page
