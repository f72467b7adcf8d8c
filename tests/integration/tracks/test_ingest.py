"""Sending a patrol's track: stored once, matched to the road, covered stake ranges and km."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from inspection.network.stakes import parse_stake
from inspection.tracks.models import CoveredInterval, TrackBatch, TrackPoint
from tests.integration.tracks.track_helpers import along, batch

URL = "/api/v1/patrols/{}/track"


def url(patrol) -> str:
    return URL.format(patrol.client_uuid)


def counts(db_session) -> tuple[int, int, int]:
    return tuple(
        db_session.scalar(select(func.count()).select_from(model))
        for model in (TrackBatch, TrackPoint, CoveredInterval)
    )


def test_a_batch_is_stored_matched_and_answered_with_its_uuid(client, db_session, patrol_crew, t0):
    _, headers, patrol = patrol_crew
    body = batch(along(db_session, "G30", 3_500_100, 50, start=t0, noise_m=5), dropped=3)
    answer = client.post(url(patrol), json=body, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    data = answer.get_json()
    assert data["uuid"] == body["batch_uuid"]
    assert data["patrol_uuid"] == str(patrol.client_uuid)
    assert (data["points"], data["dropped"]) == (50, 0)
    assert data["track"]["points"] == 50
    assert data["track"]["km"] == pytest.approx(0.98, abs=0.03)
    (covered,) = data["track"]["covered"]
    assert covered["road"] == "G30" and covered["direction"] == "up"
    assert covered["text"] == f"G30 {covered['from_stake']}–{covered['to_stake']}"
    assert parse_stake(covered["from_stake"]) == pytest.approx(3_500_100, abs=10)
    assert parse_stake(covered["to_stake"]) == pytest.approx(3_501_080, abs=10)
    points = db_session.scalars(select(TrackPoint).order_by(TrackPoint.recorded_at)).all()
    assert all(p.road_id == patrol.road_id for p in points)
    assert all(p.distance_m < 25 for p in points)
    assert points[0].chainage == pytest.approx(3_500_100, abs=20)
    db_session.refresh(patrol)
    assert patrol.track_points == 50 and patrol.track_last_at == points[-1].recorded_at


def test_a_replayed_batch_answers_200_and_adds_nothing(client, db_session, patrol_crew, t0):
    _, headers, patrol = patrol_crew
    body = batch(along(db_session, "G30", 3_500_100, 20, start=t0))
    first = client.post(url(patrol), json=body, headers=headers)
    before = counts(db_session)
    again = client.post(url(patrol), json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["uuid"] == body["batch_uuid"]
    assert again.get_json()["track"] == first.get_json()["track"]
    assert counts(db_session) == before == (1, 20, 1)


def test_the_next_batch_extends_the_open_interval(client, db_session, patrol_crew, t0):
    _, headers, patrol = patrol_crew
    first = along(db_session, "G30", 3_500_000, 100, start=t0)
    second = along(db_session, "G30", 3_502_000, 100, start=t0 + timedelta(seconds=100))
    client.post(url(patrol), json=batch(first), headers=headers)
    answer = client.post(url(patrol), json=batch(second), headers=headers)
    assert answer.status_code == 201
    (interval,) = db_session.scalars(select(CoveredInterval)).all()
    assert interval.open and interval.point_count == 200
    assert interval.travel_direction == "up"
    assert interval.to_measure - interval.from_measure == pytest.approx(3_980, abs=5)
    assert answer.get_json()["track"]["km"] == pytest.approx(3.98, abs=0.01)
    assert interval.geometry_version == patrol.road.geometry_version


def test_a_pause_longer_than_five_minutes_makes_two_intervals(client, db_session, patrol_crew, t0):
    _, headers, patrol = patrol_crew
    first = along(db_session, "G30", 3_500_000, 20, start=t0)
    later = along(db_session, "G30", 3_500_400, 20, start=t0 + timedelta(seconds=20 + 301))
    client.post(url(patrol), json=batch(first), headers=headers)
    answer = client.post(url(patrol), json=batch(later), headers=headers)
    rows = db_session.scalars(select(CoveredInterval).order_by(CoveredInterval.started_at)).all()
    assert [r.open for r in rows] == [False, True]
    # Stakes K3500+000–K3500+380 and K3500+400–K3500+780: together 760 m.
    assert answer.get_json()["track"]["km"] == pytest.approx(0.76, abs=0.01)
    assert len(answer.get_json()["track"]["covered"]) == 2


def test_a_stretch_across_a_short_chain_reads_as_two_stake_ranges(
    client, db_session, patrol_crew, t0
):
    _, headers, patrol = patrol_crew
    # The demo G30 jumps from K3511+700 to K3512+000 (a 300 m short chain).
    points = along(db_session, "G30", 3_511_000, 36, start=t0)  # to K3511+700
    points += along(db_session, "G30", 3_512_000, 35, start=t0 + timedelta(seconds=36))
    answer = client.post(url(patrol), json=batch(points), headers=headers)
    texts = [c["text"] for c in answer.get_json()["track"]["covered"]]
    assert texts == ["G30 K3511+000–K3511+700", "G30 K3512+000–K3512+680"]
    assert answer.get_json()["track"]["km"] == pytest.approx(1.38, abs=0.03)


def test_inaccurate_and_impossibly_fast_points_are_dropped_not_refused(
    client, db_session, patrol_crew, t0
):
    _, headers, patrol = patrol_crew
    points = along(db_session, "G30", 3_500_000, 10, start=t0)
    points[3]["accuracy"] = 80
    points[6]["lon"] += 0.01  # 800 m away one second later
    answer = client.post(url(patrol), json=batch(points), headers=headers)
    assert answer.status_code == 201
    assert (answer.get_json()["points"], answer.get_json()["dropped"]) == (8, 2)
    assert db_session.scalar(select(TrackBatch.dropped_count)) == 2


def test_a_batch_with_every_point_dropped_is_stored_as_received(
    client, db_session, patrol_crew, t0
):
    _, headers, patrol = patrol_crew
    points = along(db_session, "G30", 3_500_000, 3, start=t0)
    for p in points:
        p["accuracy"] = 120
    answer = client.post(url(patrol), json=batch(points), headers=headers)
    assert answer.status_code == 201
    assert answer.get_json()["points"] == 0
    assert counts(db_session) == (1, 0, 0)


def test_points_off_every_road_are_kept_unmatched(client, db_session, patrol_crew, t0):
    _, headers, patrol = patrol_crew
    points = along(db_session, "G30", 3_500_000, 5, start=t0)
    for p in points:
        p["lat"] += 0.01  # 1.1 km north of the road
    answer = client.post(url(patrol), json=batch(points), headers=headers)
    assert answer.status_code == 201
    assert answer.get_json()["track"] == {
        "points": 5,
        "km": None,
        "last_at": answer.get_json()["track"]["last_at"],
        "covered": [],
    }
    assert db_session.scalar(select(func.count()).where(TrackPoint.road_id.is_(None))) == 5
