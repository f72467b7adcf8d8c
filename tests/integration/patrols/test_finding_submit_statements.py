"""Submitting a finding: a bounded number of SQL statements, whatever the near duplicates.

The request once took about 20 (reloads after its commit, one lazy load per near duplicate, a
look-up before a savepointed insert, a commit for the token's last use). It now takes 6 for a
new finding: the token with its user, the road, its piece at the stake (twice), one
`INSERT … ON CONFLICT DO NOTHING RETURNING`, and the near duplicates with their author and
patrol (their road is the finding's). The bounds below leave one statement of slack.
"""

from contextlib import contextmanager

from sqlalchemy import event, select

from inspection.auth.models import ApiToken
from inspection.extensions import db
from inspection.patrols.models import Finding
from tests.integration.helpers import new_uuid
from tests.integration.patrols.test_findings_api import pothole

NEW_FINDING_MAX_STATEMENTS = 7
RETRY_MAX_STATEMENTS = 10

# The test's outer transaction turns each commit into savepoints: not the request's own work.
HARNESS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@contextmanager
def statements_sent(app):
    """Collect the SQL statements sent to the database inside the block."""
    with app.app_context():
        engine = db.engine
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(HARNESS):
            sent.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def near_duplicates_by_three_people(client, crew):
    """Three open potholes near K3505+120, by three users, one of them on a patrol."""
    for stake in ("K3505+100", "K3505+120", "K3505+140"):
        _, headers = crew()
        body = pothole(stake=stake)
        if stake == "K3505+140":
            patrol = {"client_uuid": new_uuid(), "road": "G30", "direction": "up"}
            patrol |= {"kind": "routine", "started_at": "2026-05-01T09:00:00+08:00"}
            assert client.post("/api/v1/patrols", json=patrol, headers=headers).status_code == 201
            body["patrol_uuid"] = patrol["client_uuid"]
        assert client.post("/api/v1/findings", json=body, headers=headers).status_code == 201


def test_a_new_finding_takes_a_bounded_number_of_statements(app, client, roads, crew):
    near_duplicates_by_three_people(client, crew)
    _, headers = crew()
    # Warm up: the token's first use is written, the road's reference is built once a process.
    warm = client.post("/api/v1/findings", json=pothole(stake="K3520+000"), headers=headers)
    assert warm.status_code == 201
    with statements_sent(app) as sent:
        answer = client.post("/api/v1/findings", json=pothole(stake="K3505+110"), headers=headers)
    assert answer.status_code == 201, answer.get_json()
    nearby = answer.get_json()["near_duplicates"]
    assert len(nearby) == 3
    assert sum(1 for f in nearby if f["patrol_uuid"]) == 1
    assert len({f["created_by"] for f in nearby}) == 3
    assert len(sent) <= NEW_FINDING_MAX_STATEMENTS, "\n".join(s[:120] for s in sent)
    assert sum(s.startswith("INSERT INTO findings") for s in sent) == 1
    assert not any(s.startswith("UPDATE") for s in sent)  # nor the token's last use again


def test_a_retry_takes_a_bounded_number_of_statements_and_answers_the_stored_record(
    app, client, roads, crew, db_session
):
    near_duplicates_by_three_people(client, crew)
    _, headers = crew()
    body = pothole(stake="K3505+110")
    first = client.post("/api/v1/findings", json=body, headers=headers)
    assert first.status_code == 201
    with statements_sent(app) as sent:
        again = client.post("/api/v1/findings", json=body, headers=headers)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert len(sent) <= RETRY_MAX_STATEMENTS, "\n".join(s[:120] for s in sent)
    assert db_session.scalar(select(Finding).where(Finding.client_uuid == body["client_uuid"]))


def test_a_retry_is_answered_even_where_its_body_would_no_longer_pass(client, roads, crew):
    # The record is stored: a retry gets it back (200), as when the UUID was looked up first.
    _, headers = crew()
    body = pothole()
    assert client.post("/api/v1/findings", json=body, headers=headers).status_code == 201
    changed = dict(body, road="X999", stake="K1+000")
    again = client.post("/api/v1/findings", json=changed, headers=headers)
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["road"] == "G30"


def test_another_users_uuid_is_a_conflict_before_any_validation_error(client, roads, crew):
    _, first = crew()
    _, second = crew()
    body = pothole()
    assert client.post("/api/v1/findings", json=body, headers=first).status_code == 201
    taken = client.post("/api/v1/findings", json=dict(body, road="X999"), headers=second)
    assert taken.status_code == 409
    fine = client.post("/api/v1/findings", json=dict(body, stake="K3506+000"), headers=second)
    assert fine.status_code == 409


def test_a_token_records_its_last_use_without_writing_on_every_request(
    app, client, roads, crew, db_session
):
    user, headers = crew()
    token = db_session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.last_used_at is None
    client.post("/api/v1/findings", json=pothole(), headers=headers)
    db_session.refresh(token)
    used = token.last_used_at
    assert used is not None
    with statements_sent(app) as sent:
        client.post("/api/v1/findings", json=pothole(stake="K3506+000"), headers=headers)
    assert not any(s.startswith("UPDATE api_tokens") for s in sent)
    db_session.refresh(token)
    assert token.last_used_at == used
