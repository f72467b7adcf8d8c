"""Two officers verify the same hazard at the same moment: one 200, one 409.

This needs real concurrent transactions, so it commits to the test database (and empties the
tables it touched afterwards) instead of running inside the usual rolled-back transaction.
"""

import threading
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from inspection.auth import services as auth_services
from inspection.extensions import db
from inspection.hazards import services as hazards
from inspection.media.services import PhotoUpload, storage_for
from inspection.network import services as network
from inspection.network.importing import FieldNames
from inspection.network.sample import demo_network
from inspection.sites.models import Department
from tests.integration.helpers import jpeg_bytes, new_uuid

TABLES = (
    "hazard_events, photos, hazards, findings, patrols, api_tokens, road_pieces, chain_breaks, "
    "calibration_points, roads, users, departments"
)


@pytest.fixture
def committed(app):
    with app.app_context():
        db.session.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        network.import_features(db.session, demo_network(), FieldNames())
        crew = auth_services.create_user(db.session, "c.crew", "password-1", ["patrol"])
        officers = [
            auth_services.create_user(db.session, f"c.officer{i}", "password-1", ["safety_officer"])
            for i in (1, 2)
        ]
        tokens = [auth_services.issue_token(db.session, o).token for o in officers]
        unit = Department(name="养护一工区", kind="maintenance_area")
        db.session.add(unit)
        db.session.flush()
        location = network.resolve_location(
            db.session, road_code="G30", direction="up", stake="K3506+000"
        )
        hazard = hazards.raise_hazard(
            db.session,
            location=location,
            category="drainage",
            grade="general",
            description="边沟堵塞",
            actor=crew,
        )
        today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
        hazards.act(
            db.session,
            hazard.id,
            "assign",
            version=1,
            payload={
                "responsible_unit": unit.id,
                "responsible_person": "p",
                "measures": "m",
                "deadline": (today + timedelta(days=2)).isoformat(),
                "assignee_user_id": crew.id,
            },
            actor=officers[0],
            today=today,
        )
        hazards.submit_evidence(
            db.session,
            storage_for(app.config["MEDIA_ROOT"]),
            hazard.id,
            version=2,
            uploads=[
                PhotoUpload(
                    client_uuid=uuid.UUID(new_uuid()),
                    data=jpeg_bytes(),
                    stage="after",
                )
            ],
            note="已清理",
            actor=crew,
            today=today,
            max_bytes=10_000_000,
        )
        db.session.commit()
        hazard_id = hazard.id
    yield hazard_id, tokens
    with app.app_context():
        db.session.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        db.session.commit()


def test_two_concurrent_verifies_one_wins(app, committed):
    hazard_id, tokens = committed
    barrier = threading.Barrier(2)
    answers = []

    def verify(token):
        client = app.test_client()
        barrier.wait()
        answer = client.post(
            f"/api/v1/hazards/{hazard_id}/actions",
            json={"action": "verify", "version": 3, "note": "复查合格"},
            headers={"Authorization": f"Bearer {token}"},
        )
        answers.append((answer.status_code, answer.get_json()))

    threads = [threading.Thread(target=verify, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(code for code, _ in answers) == [200, 409]
    conflict = next(body for code, body in answers if code == 409)
    assert conflict["error"]["current"] == {"version": 4, "state": "closed"}
    with app.app_context():
        events = db.session.execute(
            text("SELECT count(*) FROM hazard_events WHERE hazard_id = :id AND action = 'verify'"),
            {"id": hazard_id},
        ).scalar()
    assert events == 1
