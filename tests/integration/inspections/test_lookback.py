"""回头看: closed hazards in the period and scope are re-checked; holds or relapses, audited."""

from datetime import timedelta

from sqlalchemy import func, select

from inspection.hazards import services as hazards
from inspection.hazards.models import HazardEvent
from inspection.inspections.models import InspectionRecheck
from inspection.web import branch_today
from tests.integration.helpers import new_uuid

URL = "/api/v1/inspections"


def look_back(app, client, headers, sites, **changes):
    with app.app_context():
        day = branch_today()
    sent = {
        "client_uuid": new_uuid(),
        "kind": "look_back",
        "theme": "隐患整改“回头看”",
        "started_on": day.isoformat(),
        "ended_on": day.isoformat(),
        "site_ids": [sites["toll"].id],
        "sections": [
            {"road": "G30", "direction": "up", "start_stake": "K3504+000", "end_stake": "K3506+000"}
        ],
        "recheck_from": (day - timedelta(days=30)).isoformat(),
        "recheck_to": day.isoformat(),
    }
    sent.update(changes)
    answer = client.post(URL, json=sent, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["inspection"]


def test_holds_and_relapsed(app, client, db_session, sites, officer, road_hazard, close_hazard):
    _, headers = officer
    holding = close_hazard(road_hazard("K3505+000"))
    relapsing = close_hazard(road_hazard("K3505+500", category="drainage"))
    outside = close_hazard(road_hazard("K3509+000"))  # closed, but outside the scope
    still_open = road_hazard("K3504+500", category="sign_damage")
    record = look_back(app, client, headers, sites)
    url = f"{URL}/{record['id']}"
    listed = client.get(f"{url}/recheck-candidates", headers=headers).get_json()["hazards"]
    assert [h["id"] for h in listed] == [holding.id, relapsing.id]
    assert all(h["recheck"] is None for h in listed)

    held = client.post(
        f"{url}/rechecks",
        json={
            "hazard_id": holding.id,
            "outcome": "holds",
            "note": "整改到位",
            "version": holding.version,
        },
        headers=headers,
    )
    assert held.status_code == 201, held.get_json()
    assert holding.state == "closed"
    event = db_session.scalars(
        select(HazardEvent)
        .where(HazardEvent.hazard_id == holding.id)
        .order_by(HazardEvent.seq.desc())
    ).first()
    assert (event.action, event.from_state, event.to_state) == ("recheck", "closed", "closed")
    assert event.payload["inspection_id"] == record["id"] and event.note == "整改到位"
    assert held.get_json()["recheck"]["event_id"] == event.id

    # A relapse needs its reason; then the hazard is reopened to rectifying.
    no_reason = client.post(
        f"{url}/rechecks",
        json={"hazard_id": relapsing.id, "outcome": "relapsed", "version": relapsing.version},
        headers=headers,
    )
    assert no_reason.status_code == 422 and "note" in no_reason.get_json()["error"]["fields"]
    relapsed = client.post(
        f"{url}/rechecks",
        json={
            "hazard_id": relapsing.id,
            "outcome": "relapsed",
            "note": "边沟再次淤塞",
            "version": relapsing.version,
        },
        headers=headers,
    )
    assert relapsed.status_code == 201
    db_session.refresh(relapsing)
    assert relapsing.state == "rectifying" and relapsing.closed_at is None
    assert relapsing.events[-1].action == "reopen" and relapsing.events[-1].note == "边沟再次淤塞"

    # The same verdict again is a replay; another verdict is a conflict.
    replay = client.post(
        f"{url}/rechecks",
        json={
            "hazard_id": holding.id,
            "outcome": "holds",
            "note": "整改到位",
            "version": holding.version,
        },
        headers=headers,
    )
    assert replay.status_code == 200
    conflict = client.post(
        f"{url}/rechecks",
        json={
            "hazard_id": holding.id,
            "outcome": "relapsed",
            "note": "x",
            "version": holding.version,
        },
        headers=headers,
    )
    assert conflict.status_code == 409
    assert db_session.scalar(select(func.count()).select_from(InspectionRecheck)) == 2

    # Not closed, or not a candidate: refused, nothing recorded.
    for hazard in (still_open, outside):
        refused = client.post(
            f"{url}/rechecks",
            json={"hazard_id": hazard.id, "outcome": "holds", "version": hazard.version},
            headers=headers,
        )
        assert refused.status_code == 422 and "hazard_id" in refused.get_json()["error"]["fields"]
    assert db_session.scalar(select(func.count()).select_from(InspectionRecheck)) == 2

    listed = client.get(f"{url}/recheck-candidates", headers=headers).get_json()["hazards"]
    assert {h["id"]: h["recheck"]["outcome"] for h in listed} == {
        holding.id: "holds",
        relapsing.id: "relapsed",
    }
    detail = client.get(url, headers=headers).get_json()["inspection"]
    assert {r["outcome"] for r in detail["rechecks"]} == {"holds", "relapsed"}
    assert hazards.verify_audit_chains(db_session) == []


def test_the_audit_command_finds_the_chains_intact(
    app, db_session, client, sites, officer, road_hazard, close_hazard
):
    _, headers = officer
    hazard = close_hazard(road_hazard("K3505+000"))
    record = look_back(app, client, headers, sites)
    client.post(
        f"{URL}/{record['id']}/rechecks",
        json={"hazard_id": hazard.id, "outcome": "holds", "version": hazard.version},
        headers=headers,
    )
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_only_a_look_back_rechecks(app, client, sites, officer, road_hazard, close_hazard):
    _, headers = officer
    hazard = close_hazard(road_hazard("K3505+000"))
    record = look_back(
        app, client, headers, sites, kind="special", recheck_from=None, recheck_to=None
    )
    answer = client.post(
        f"{URL}/{record['id']}/rechecks",
        json={"hazard_id": hazard.id, "outcome": "holds", "version": hazard.version},
        headers=headers,
    )
    assert answer.status_code == 422
    assert (
        client.get(f"{URL}/{record['id']}/recheck-candidates", headers=headers).status_code == 422
    )
    bad = client.post(
        f"{URL}/{record['id']}/rechecks",
        json={"hazard_id": 2**40, "outcome": "maybe"},
        headers=headers,
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"hazard_id", "outcome", "version"}
