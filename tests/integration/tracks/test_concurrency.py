"""Batches of one patrol at the same moment: retries stored once, batches never interleaved.

Real threads and real transactions (committed to the test database, emptied afterwards), as in
tests/integration/hazards/test_raise_concurrency.py.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from inspection.auth import services as auth_services
from inspection.extensions import db
from inspection.network import services as network
from inspection.network.importing import FieldNames
from inspection.network.sample import demo_network
from inspection.patrols.models import Patrol
from tests.integration.tracks.track_helpers import along, batch, start_patrol

TABLES = (
    "covered_intervals, track_points, track_batches, patrols, api_tokens, road_pieces, "
    "chain_breaks, calibration_points, roads, users"
)
RETRIES = 10


@pytest.fixture
def committed(app):
    """A crew member with a patrol on the demo G30, committed: (token, patrol uuid, t0)."""
    with app.app_context():
        db.session.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        network.import_features(db.session, demo_network(), FieldNames())
        crew = auth_services.create_user(db.session, "t.crew", "password-1", ["patrol"])
        token = auth_services.issue_token(db.session, crew).token
        patrol = start_patrol(db.session, crew, started_at=datetime.now(UTC) - timedelta(hours=1))
        db.session.commit()
        patrol_uuid = patrol.client_uuid
    yield token, patrol_uuid, datetime.now(UTC) - timedelta(minutes=30)
    with app.app_context():
        db.session.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        db.session.commit()


def post_together(app, token, patrol_uuid, bodies) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(bodies))
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def send(body):
        client = app.test_client()
        barrier.wait()
        answer = client.post(
            f"/api/v1/patrols/{patrol_uuid}/track",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        )
        with lock:
            answers.append((answer.status_code, answer.get_json()))

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def stored(app, patrol_uuid: uuid.UUID) -> tuple[int, int, list[int], int]:
    with app.app_context():
        batches, points = db.session.execute(
            text("SELECT (SELECT count(*) FROM track_batches), (SELECT count(*) FROM track_points)")
        ).one()
        counts = list(
            db.session.scalars(text("SELECT point_count FROM covered_intervals ORDER BY id"))
        )
        patrol = db.session.query(Patrol).filter_by(client_uuid=patrol_uuid).one()
        return batches, points, counts, patrol.track_points


def test_ten_retries_of_one_batch_at_once_store_it_once(app, committed):
    token, patrol_uuid, t0 = committed
    with app.app_context():
        body = batch(along(db.session, "G30", 3_500_000, 50, start=t0))
    answers = post_together(app, token, patrol_uuid, [body] * RETRIES)
    assert sorted(code for code, _ in answers) == [200] * (RETRIES - 1) + [201], answers
    assert {answer["uuid"] for _, answer in answers} == {body["batch_uuid"]}
    assert stored(app, patrol_uuid) == (1, 50, [50], 50)


def test_two_batches_at_once_are_taken_one_after_the_other(app, committed):
    token, patrol_uuid, t0 = committed
    with app.app_context():
        first = batch(along(db.session, "G30", 3_500_000, 50, start=t0))
        second = batch(along(db.session, "G30", 3_501_000, 50, start=t0 + timedelta(seconds=50)))
    answers = post_together(app, token, patrol_uuid, [first, second])
    codes = sorted(code for code, _ in answers)
    # The earlier batch first: both taken. The later first: the earlier is out of order (409),
    # and the phone's outbox keeps it. Never a 500, never both half-taken.
    assert codes in ([201, 201], [201, 409]), answers
    taken = 50 * codes.count(201)
    assert stored(app, patrol_uuid) == (codes.count(201), taken, [taken], taken)
