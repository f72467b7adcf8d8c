"""Batches that cannot be right get a 4xx with a clear message, and nothing is stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from inspection.patrols.models import Patrol
from inspection.tracks.kinds import MAX_BATCH_POINTS
from inspection.tracks.models import CoveredInterval, TrackBatch, TrackPoint
from tests.hostile_values import NUMBER_CASES, TEXT_CASES, TIME_CASES, as_json
from tests.integration.helpers import new_uuid
from tests.integration.tracks.track_helpers import along, batch, start_patrol


def url(patrol) -> str:
    return f"/api/v1/patrols/{patrol.client_uuid}/track"


def nothing_stored(db_session) -> bool:
    return all(
        db_session.scalar(select(func.count()).select_from(model)) == 0
        for model in (TrackBatch, TrackPoint, CoveredInterval)
    )


def stored_counts(db_session) -> list[int]:
    return [
        db_session.scalar(select(func.count()).select_from(m)) for m in (TrackBatch, TrackPoint)
    ]


def refused(answer, status: int, code: str | None = None) -> dict:
    assert answer.status_code == status, (answer.status_code, answer.get_json())
    error = answer.get_json()["error"]
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


def test_an_unknown_patrol_is_404(client, db_session, patrol_crew, t0):
    _, headers, _ = patrol_crew
    body = batch(along(db_session, "G30", 3_500_000, 3, start=t0))
    refused(client.post(f"/api/v1/patrols/{new_uuid()}/track", json=body, headers=headers), 404)
    refused(client.post("/api/v1/patrols/not-a-uuid/track", json=body, headers=headers), 404)
    assert nothing_stored(db_session)


def test_another_crew_members_patrol_is_403(client, db_session, patrol_crew, crew, t0):
    _, _, patrol = patrol_crew
    _, other_headers = crew()
    body = batch(along(db_session, "G30", 3_500_000, 3, start=t0))
    refused(client.post(url(patrol), json=body, headers=other_headers), 403, "forbidden")
    assert nothing_stored(db_session)


def test_a_voided_patrol_takes_no_track(client, db_session, patrol_crew, t0):
    user, headers, patrol = patrol_crew
    patrol.voided_at, patrol.void_reason, patrol.voided_by_id = t0, "wrong road", user.id
    db_session.flush()
    body = batch(along(db_session, "G30", 3_500_000, 3, start=t0))
    refused(client.post(url(patrol), json=body, headers=headers), 409, "patrol_closed")
    assert nothing_stored(db_session)


def test_a_patrol_that_ended_more_than_a_day_ago_takes_no_track(client, db_session, roads, crew):
    user, headers = crew()
    started = datetime.now(UTC) - timedelta(hours=30)
    patrol = start_patrol(db_session, user, started_at=started)
    patrol.ended_at = started + timedelta(hours=5)  # 25 h ago
    db_session.flush()
    body = batch(along(db_session, "G30", 3_500_000, 3, start=started + timedelta(hours=1)))
    error = refused(client.post(url(patrol), json=body, headers=headers), 409, "patrol_closed")
    assert "24" in error["message"]
    patrol.ended_at = datetime.now(UTC) - timedelta(hours=23)  # within the day: taken
    db_session.flush()
    assert client.post(url(patrol), json=body, headers=headers).status_code == 201


def test_points_not_in_time_order_are_refused(client, db_session, patrol_crew, t0):
    _, headers, patrol = patrol_crew
    points = along(db_session, "G30", 3_500_000, 5, start=t0)
    points[3]["t"] = points[1]["t"]
    error = refused(client.post(url(patrol), json=batch(points), headers=headers), 422)
    assert list(error["fields"]) == ["points.3.t"]
    points[3]["t"] = points[2]["t"]  # the same time twice: not strictly later
    refused(client.post(url(patrol), json=batch(points), headers=headers), 422)
    assert nothing_stored(db_session)


def test_a_batch_older_than_one_received_is_out_of_order(
    client, english, db_session, patrol_crew, t0
):
    _, headers, patrol = patrol_crew
    later = along(db_session, "G30", 3_501_000, 10, start=t0 + timedelta(seconds=50))
    earlier = along(db_session, "G30", 3_500_000, 10, start=t0)
    assert client.post(url(patrol), json=batch(later), headers=headers).status_code == 201
    before = [
        db_session.scalar(select(func.count()).select_from(m)) for m in (TrackBatch, TrackPoint)
    ]
    error = refused(
        client.post(url(patrol), json=batch(earlier), headers=headers),
        409,
        "track_out_of_order",
    )
    assert "order" in error["message"]
    after = [
        db_session.scalar(select(func.count()).select_from(m)) for m in (TrackBatch, TrackPoint)
    ]
    assert before == after == [1, 10]


def test_times_in_the_future_or_before_the_patrol_are_refused(client, db_session, patrol_crew, t0):
    _, headers, patrol = patrol_crew
    future = along(db_session, "G30", 3_500_000, 3, start=datetime.now(UTC) + timedelta(minutes=11))
    error = refused(client.post(url(patrol), json=batch(future), headers=headers), 422)
    assert "points.0.t" in error["fields"]
    early = along(db_session, "G30", 3_500_000, 3, start=patrol.started_at - timedelta(minutes=11))
    error = refused(client.post(url(patrol), json=batch(early), headers=headers), 422)
    assert error["fields"]["points.0.t"] == "Before the patrol started." or error["fields"]
    # Within the phone clock's allowed skew: taken.
    skewed = along(db_session, "G30", 3_500_000, 3, start=patrol.started_at - timedelta(minutes=5))
    assert client.post(url(patrol), json=batch(skewed), headers=headers).status_code == 201


def test_points_after_the_patrol_ended_are_refused(client, db_session, patrol_crew, t0):
    _, headers, patrol = patrol_crew
    patrol.ended_at = t0
    db_session.flush()
    points = along(db_session, "G30", 3_500_000, 3, start=t0 + timedelta(minutes=11))
    refused(client.post(url(patrol), json=batch(points), headers=headers), 422)
    assert nothing_stored(db_session)


@pytest.mark.parametrize(
    ("points", "field"),
    [([], "points"), (None, "points"), ("x", "points"), ([{"t": 1}], "points.0.t")],
)
def test_a_batch_without_usable_points_is_refused(client, patrol_crew, db_session, points, field):
    _, headers, patrol = patrol_crew
    error = refused(
        client.post(
            url(patrol), json={"batch_uuid": new_uuid(), "points": points}, headers=headers
        ),
        422,
    )
    assert field in error["fields"]
    assert nothing_stored(db_session)


def test_a_batch_over_the_size_limit_is_refused(client, english, db_session, patrol_crew, t0):
    _, headers, patrol = patrol_crew
    point = along(db_session, "G30", 3_500_000, 1, start=t0)[0]
    points = [
        point | {"t": (t0 + timedelta(seconds=i)).isoformat()} for i in range(MAX_BATCH_POINTS + 1)
    ]
    error = refused(client.post(url(patrol), json=batch(points), headers=headers), 422)
    assert "smaller batches" in error["fields"]["points"]
    assert nothing_stored(db_session)


@pytest.mark.parametrize(
    ("name", "value"),
    [("lon", 180.5), ("lat", -91), ("accuracy", -1), ("speed", -3), ("heading", 361)],
)
def test_out_of_range_values_are_refused(client, db_session, patrol_crew, t0, name, value):
    _, headers, patrol = patrol_crew
    points = along(db_session, "G30", 3_500_000, 3, start=t0)
    points[1][name] = value
    error = refused(client.post(url(patrol), json=batch(points), headers=headers), 422)
    assert f"points.1.{name}" in error["fields"]
    assert nothing_stored(db_session)


@pytest.mark.parametrize(("value", "case"), NUMBER_CASES, ids=[c for _, c in NUMBER_CASES])
@pytest.mark.parametrize("name", ["lon", "accuracy", "speed"])
def test_hostile_numbers_are_refused(client, db_session, patrol_crew, t0, name, value, case):
    _, headers, patrol = patrol_crew
    points = along(db_session, "G30", 3_500_000, 2, start=t0)
    points[1][name] = "__hostile__"
    body = json.dumps(batch(points)).replace('"__hostile__"', as_json(value))
    answer = client.post(url(patrol), data=body, content_type="application/json", headers=headers)
    assert 400 <= answer.status_code < 500, (case, answer.status_code)
    assert nothing_stored(db_session)


@pytest.mark.parametrize(("value", "case"), TIME_CASES, ids=[c for _, c in TIME_CASES])
def test_hostile_times_are_refused(client, db_session, patrol_crew, t0, value, case):
    _, headers, patrol = patrol_crew
    points = along(db_session, "G30", 3_500_000, 2, start=t0)
    points[0]["t"] = value
    error = refused(client.post(url(patrol), json=batch(points), headers=headers), 422)
    assert "points.0.t" in error["fields"]
    assert nothing_stored(db_session)


@pytest.mark.parametrize(("value", "case"), TEXT_CASES, ids=[c for _, c in TEXT_CASES])
def test_hostile_batch_uuids_are_refused(client, db_session, patrol_crew, t0, value, case):
    _, headers, patrol = patrol_crew
    body = batch(along(db_session, "G30", 3_500_000, 2, start=t0)) | {"batch_uuid": value}
    answer = client.post(url(patrol), json=body, headers=headers)
    assert 400 <= answer.status_code < 500
    assert nothing_stored(db_session)


def test_a_batch_uuid_of_another_users_track_is_409(client, db_session, roads, crew, t0):
    first_user, first_headers = crew()
    second_user, second_headers = crew()
    first = start_patrol(db_session, first_user)
    second = start_patrol(db_session, second_user)
    body = batch(along(db_session, "G30", 3_500_000, 3, start=t0))
    assert client.post(url(first), json=body, headers=first_headers).status_code == 201
    refused(client.post(url(second), json=body, headers=second_headers), 409, "uuid_taken")
    # The same user's batch UUID sent for another patrol of his is a conflict too.
    third = start_patrol(db_session, first_user)
    refused(client.post(url(third), json=body, headers=first_headers), 409, "uuid_taken")
    assert db_session.scalar(select(func.count()).select_from(TrackPoint)) == 3
    assert db_session.get(Patrol, second.id).track_points == 0
