"""Ten phones send the same inspection at once (an outbox retrying): one 201, nine 200.

This needs real concurrent transactions, so it commits to the test database (and empties the
tables it touched afterwards) instead of running inside the usual rolled-back transaction.
"""

import threading

import pytest
from shapely.geometry import Point
from sqlalchemy import text

from inspection.auth import services as auth_services
from inspection.extensions import db
from inspection.geo import to_db
from inspection.sites.models import Site
from inspection.web import branch_today
from tests.integration.helpers import new_uuid

TABLES = (
    "inspection_rechecks, inspection_items, inspection_sections, inspection_sites, "
    "inspection_members, inspections, hazard_events, photos, hazards, sites, api_tokens, users"
)


@pytest.fixture
def committed(app):
    with app.app_context():
        db.session.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        officer = auth_services.create_user(
            db.session, "c.officer", "password-1", ["safety_officer"]
        )
        token = auth_services.issue_token(db.session, officer).token
        site = Site(name="并发收费站", kind="toll_station", geom=to_db(Point(87.7, 43.86)))
        db.session.add(site)
        db.session.commit()
        site_id, day = site.id, branch_today()
    yield token, site_id, day
    with app.app_context():
        db.session.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        db.session.commit()


def test_ten_concurrent_copies_make_one_inspection(app, committed):
    token, site_id, day = committed
    body = {
        "client_uuid": new_uuid(),
        "kind": "special_period",
        "theme": "国庆节前安全检查",
        "started_on": day.isoformat(),
        "ended_on": day.isoformat(),
        "site_ids": [site_id],
        "items": [
            {
                "client_uuid": new_uuid(),
                "section": "fire_safety",
                "name": "消防通道畅通",
                "hazard_category": "fire_safety",
                "result": "does_not_meet",
            }
        ],
    }
    barrier = threading.Barrier(10)
    answers = []

    def send():
        client = app.test_client()
        barrier.wait()
        answer = client.post(
            "/api/v1/inspections", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        answers.append((answer.status_code, answer.get_json()))

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(code for code, _ in answers) == [200] * 9 + [201], answers
    assert len({body["inspection"]["id"] for _, body in answers}) == 1
    with app.app_context():
        counted = [
            db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("inspections", "inspection_items", "hazards")
        ]
    assert counted == [1, 1, 1]
