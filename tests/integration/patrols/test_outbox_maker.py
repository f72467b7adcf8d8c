"""Shared phones: an outbox entry is stored only under the session of the user who made it."""

from sqlalchemy import func, select

from inspection.patrols.models import Finding
from tests.integration.patrols.test_findings_api import pothole


def findings(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Finding))


def test_an_entry_of_another_maker_is_refused_and_nothing_stored(client, roads, crew, db_session):
    _, headers = crew()
    crew2, _ = crew()
    answer = client.post(
        "/api/v1/findings", json=pothole(), headers={**headers, "X-Outbox-Maker": crew2.username}
    )
    assert answer.status_code == 409
    error = answer.get_json()["error"]
    assert error["code"] == "outbox_maker_mismatch"
    assert error["maker"] == crew2.username
    assert crew2.username in error["message"]
    assert findings(db_session) == 0


def test_own_entries_and_entries_without_a_maker_are_stored(client, roads, crew, db_session):
    user, headers = crew()
    own = {**headers, "X-Outbox-Maker": f"  {user.username.upper()} "}
    assert client.post("/api/v1/findings", json=pothole(), headers=own).status_code == 201
    assert client.post("/api/v1/findings", json=pothole(), headers=headers).status_code == 201
    assert findings(db_session) == 2


def test_reading_is_not_refused_and_signed_out_senders_get_401(client, roads, crew):
    _, headers = crew()
    other = {**headers, "X-Outbox-Maker": "somebody.else"}
    assert client.get("/api/v1/me", headers=other).status_code == 200
    answer = client.post("/api/v1/findings", json=pothole(), headers={"X-Outbox-Maker": "crew2"})
    assert answer.status_code in (400, 401)  # no session: the CSRF or sign-in check answers
