"""GET /api/v1/patrol-coverage and the patrol frequencies, on the demo roads."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from inspection.tracks import frequencies
from inspection.tracks.models import PatrolFrequency
from tests.integration.tracks.coverage_helpers import (
    SHANGHAI,
    interval,
    local,
    patrol,
    patrol_whole_road,
)

PERIOD = "from=2026-05-01&to=2026-05-10"


@pytest.fixture
def daily(db_session, roads, make_user):
    """Every road class daily (confirmed), G30 patrolled end to end on each of 1–10 May."""
    manager = make_user("manager")
    for road_class in frequencies.DEFAULT_FREQUENCY_DAYS:
        frequencies.set_frequency(db_session, road_class, 1, actor=manager)
    crew = make_user("patrol")
    for day in range(1, 11):
        patrol_whole_road(db_session, roads["G30"], crew, local(2026, 5, day, 10))
    return crew


def get(client, headers, query=PERIOD, status=200):
    answer = client.get(f"/api/v1/patrol-coverage?{query}", headers=headers)
    assert answer.status_code == status, answer.get_data(as_text=True)[:400]
    return answer.get_json()


def road_of(body, code):
    return next(r for r in body["roads"] if r["road"] == code)


def test_the_rate_is_the_length_patrolled_at_its_frequency_over_the_network(
    client, crew, roads, daily, db_session
):
    g30, s21, g312 = roads["G30"], roads["S21"], roads["G312"]
    # S21 only on the last day, its first 5 km; G312 only by a voided patrol.
    interval(
        db_session,
        patrol(db_session, s21, daily, local(2026, 5, 10, 8)),
        s21,
        0,
        5000,
        local(2026, 5, 10, 9),
    )
    voided = patrol(db_session, g312, daily, local(2026, 5, 3, 8), voided=True)
    interval(db_session, voided, g312, 0, g312.length_m, local(2026, 5, 3, 9))
    _, headers = crew("patrol")
    body = get(client, headers)
    network = g30.length_m + s21.length_m + g312.length_m
    assert body["period"] == {"from": "2026-05-01", "to": "2026-05-10"}
    assert body["network_m"] == pytest.approx(network, abs=0.1)
    assert body["at_frequency_m"] == pytest.approx(g30.length_m, abs=0.1)
    assert body["rate_pct"] == round(g30.length_m / network * 100, 1)
    assert body["patrolled_m"] == pytest.approx(g30.length_m + 5000, abs=0.1)

    whole = road_of(body, "G30")
    assert whole["rate_pct"] == 100.0 and whole["every_days"] == 1 and whole["frequency_confirmed"]
    # G30 has a short chain at K3512: the one stretch reads as two stake ranges.
    [stretch] = whole["stretches"]
    assert stretch["stake_range"] == "K3500+000–K3511+700, K3512+000–K3520+000"
    assert (stretch["from_chainage"], stretch["to_chainage"]) == (3_500_000, 3_520_000)
    assert stretch["passes"] == stretch["days"] == 10
    assert stretch["days_since"] == 0 and stretch["at_frequency"] is True
    assert stretch["last_patrolled_on"] == "2026-05-10"
    assert datetime.fromisoformat(stretch["last_patrolled_at"]) == local(2026, 5, 10, 10)

    s21_stretches = road_of(body, "S21")["stretches"]
    assert [
        (s["stake_range"], s["passes"], s["days_since"], s["at_frequency"]) for s in s21_stretches
    ] == [
        ("K0+000–K5+000", 1, 0, False),
        (f"K5+000–K{round(s21.end_chainage / 1000)}+000", 0, None, False),
    ]
    assert all(s["passes"] == 0 for s in road_of(body, "G312")["stretches"])

    gaps = [(g["road"], g["days_since"]) for g in body["gaps"]]
    assert gaps == [("G312", None), ("S21", None)]  # never patrolled first; S21 merged in one
    s21_gap = body["gaps"][1]
    assert s21_gap["stake_range"] == f"K0+000–K{round(s21.end_chainage / 1000)}+000"
    assert s21_gap["length_m"] == pytest.approx(s21.length_m, abs=0.1)


def test_days_are_local_days_of_the_branch(client, crew, roads, daily, db_session):
    s21 = roads["S21"]
    late = patrol(db_session, s21, daily, local(2026, 5, 10, 22))
    interval(db_session, late, s21, 0, 1000, local(2026, 5, 10, 23, 30))  # 15:30 UTC, 10 May
    interval(db_session, late, s21, 1000, 2000, local(2026, 5, 11, 0, 30))  # 11 May locally
    _, headers = crew("patrol")
    stretches = road_of(get(client, headers), "S21")["stretches"]
    assert [(s["from_measure"], s["to_measure"], s["passes"]) for s in stretches][:2] == [
        (0, 1000, 1),
        (1000, round(s21.length_m, 1), 0),
    ]
    assert stretches[0]["last_patrolled_on"] == "2026-05-10"
    next_day = road_of(get(client, headers, "from=2026-05-11&to=2026-05-11"), "S21")["stretches"]
    assert (next_day[0]["to_measure"], next_day[1]["passes"]) == (1000, 1)


def test_one_road_and_the_default_period(client, crew, roads, daily):
    _, headers = crew("patrol")
    body = get(client, headers, PERIOD + "&road=g30")
    assert [r["road"] for r in body["roads"]] == ["G30"] and body["road"] == "G30"
    assert body["rate_pct"] == 100.0
    today = datetime.now(SHANGHAI).date()
    default = get(client, headers, "")
    assert default["period"] == {
        "from": (today - timedelta(days=30)).isoformat(),
        "to": (today - timedelta(days=1)).isoformat(),  # today is not over
    }
    assert default["intervals"] == 0 or today.year == 2026


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("from=2026-05-10&to=2026-05-01", 422, "from"),
        ("from=2025-01-01&to=2026-05-01", 422, "to"),
        ("from=1999-12-31&to=2000-01-05", 422, "from"),
        ("from=2026-02-30", 422, "from"),
        ("to=tomorrow", 422, "to"),
        ("from=3000-01-01", 422, "from"),
        ("road=G999", 404, None),
    ],
)
def test_bad_periods_and_roads_are_refused(client, crew, roads, query, status, field):
    _, headers = crew("patrol")
    error = get(client, headers, query, status)["error"]
    assert error["message"]
    if field:
        assert field in error["fields"]


def test_frequencies_list_and_set(client, crew, roads, db_session):
    _, manager = crew("manager")
    stored_before = db_session.scalar(select(func.count()).select_from(PatrolFrequency))
    listed = client.get("/api/v1/patrol-frequencies", headers=manager).get_json()["frequencies"]
    assert [f["road_class"] for f in listed][:2] == ["expressway", "class1"]
    expressway = listed[0]
    assert expressway["every_days"] == 1 and expressway["confirmed"] is False
    assert expressway["default_days"] == 1
    # Reading shows the shipped defaults of missing classes but never stores them.
    assert db_session.scalar(select(func.count()).select_from(PatrolFrequency)) == stored_before
    answer = client.put(
        "/api/v1/patrol-frequencies/class3", json={"every_days": 3}, headers=manager
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["every_days"] == 3 and answer.get_json()["confirmed"] is True
    for body, status in (
        ({"every_days": 0}, 422),
        ({"every_days": 366}, 422),
        ({"every_days": "3 days"}, 422),
        ({"every_days": True}, 422),
        ({}, 422),
    ):
        bad = client.put("/api/v1/patrol-frequencies/class3", json=body, headers=manager)
        assert bad.status_code == status, body
        assert "every_days" in bad.get_json()["error"]["fields"]
    unknown = client.put(
        "/api/v1/patrol-frequencies/motorway", json={"every_days": 1}, headers=manager
    )
    assert unknown.status_code == 404
    listed = client.get("/api/v1/patrol-frequencies", headers=manager).get_json()["frequencies"]
    assert next(f for f in listed if f["road_class"] == "class3")["every_days"] == 3
    _, patrol_headers = crew("patrol")
    refused = client.put(
        "/api/v1/patrol-frequencies/class3", json={"every_days": 1}, headers=patrol_headers
    )
    assert refused.status_code == 403
