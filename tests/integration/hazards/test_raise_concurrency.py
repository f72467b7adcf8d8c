"""Twenty retries of one hazard raise at the same moment: one 201, nineteen 200, one hazard.

Real threads and real transactions (committed to the test database, emptied afterwards), as in
`test_concurrency.py`: the retry that loses the race on the unique client UUID must answer with
the winner's hazard, never a 500 from the unique constraint.
"""

import threading

import pytest
from sqlalchemy import text

from inspection.auth import services as auth_services
from inspection.extensions import db
from inspection.network import services as network
from inspection.network.importing import FieldNames
from inspection.network.sample import demo_network
from tests.integration.helpers import new_uuid

TABLES = (
    "hazard_events, photos, hazards, findings, patrols, api_tokens, road_pieces, chain_breaks, "
    "calibration_points, roads, users, departments"
)
RETRIES = 20


@pytest.fixture
def crew_token(app):
    with app.app_context():
        db.session.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        network.import_features(db.session, demo_network(), FieldNames())
        crew = auth_services.create_user(db.session, "r.crew", "password-1", ["patrol"])
        token = auth_services.issue_token(db.session, crew).token
        db.session.commit()
    yield token
    with app.app_context():
        db.session.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        db.session.commit()


def test_twenty_concurrent_raises_with_one_uuid_make_one_hazard(app, crew_token):
    body = {
        "client_uuid": new_uuid(),
        "road": "G30",
        "direction": "up",
        "stake": "K3506+500",
        "category": "guardrail_damage",
        "grade": "general",
        "description": "中央护栏被撞损 8 m",
    }
    barrier = threading.Barrier(RETRIES)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def send():
        client = app.test_client()
        barrier.wait()
        answer = client.post(
            "/api/v1/hazards", json=body, headers={"Authorization": f"Bearer {crew_token}"}
        )
        with lock:
            answers.append((answer.status_code, answer.get_json()))

    threads = [threading.Thread(target=send) for _ in range(RETRIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    codes = sorted(code for code, _ in answers)
    assert codes == [200] * (RETRIES - 1) + [201], answers
    assert len({answer["number"] for _, answer in answers}) == 1
    with app.app_context():
        hazards, events = db.session.execute(
            text("SELECT (SELECT count(*) FROM hazards), (SELECT count(*) FROM hazard_events)")
        ).one()
    assert (hazards, events) == (1, 1)
