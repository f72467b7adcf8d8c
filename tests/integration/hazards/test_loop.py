"""The hazard loop end to end: raise → assign → submit evidence → verify / reject → close."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from inspection.hazards.models import Hazard
from tests.integration.helpers import jpeg_bytes, new_uuid

# Days count in the branch's time zone, which may already be tomorrow in UTC terms.
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


def raise_body(**overrides):
    body = {
        "client_uuid": new_uuid(),
        "road": "G30",
        "direction": "up",
        "stake": "K3506+500",
        "category": "guardrail_damage",
        "grade": "general",
        "description": "中央护栏被撞损 8 m",
        "interim_measures": "设置锥桶和警示牌",
    }
    body.update(overrides)
    return body


def act(client, hazard, headers, action, **payload):
    return client.post(
        f"/api/v1/hazards/{hazard['id']}/actions",
        json={"action": action, "version": hazard["version"], **payload},
        headers=headers,
    )


def upload_after(client, hazard, headers):
    photo_uuid = new_uuid()
    answer = client.post(
        f"/api/v1/hazards/{hazard['id']}/photos",
        data={
            "photo": (io.BytesIO(jpeg_bytes()), "after.jpg"),
            "photo_uuid": photo_uuid,
            "stage": "after",
        },
        headers=headers,
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201, answer.get_json()
    return photo_uuid


@pytest.fixture
def people(crew):
    return {
        "crew": crew("patrol"),
        "officer": crew("safety_officer"),
        "second_officer": crew("safety_officer"),
        "manager": crew("manager"),
    }


def test_the_whole_loop_with_a_rejection(client, roads, people, units, db_session):
    crew_user, crew_headers = people["crew"]
    _, officer = people["officer"]
    _, second = people["second_officer"]

    raised = client.post("/api/v1/hazards", json=raise_body(), headers=crew_headers)
    assert raised.status_code == 201, raised.get_json()
    hazard = raised.get_json()
    assert (hazard["state"], hazard["version"]) == ("reported", 1)
    again = client.post(
        "/api/v1/hazards",
        json={**raise_body(), "client_uuid": hazard["uuid"]},
        headers=crew_headers,
    )
    assert again.status_code == 200

    # The crew member may not assign; the officer must give everything an assignment needs.
    assert act(client, hazard, crew_headers, "assign").status_code == 403
    missing = act(client, hazard, officer, "assign")
    assert missing.status_code == 422
    assert {"responsible_unit", "responsible_person", "measures", "deadline"} <= set(
        missing.get_json()["error"]["fields"]
    )
    hazard = act(
        client,
        hazard,
        officer,
        "assign",
        responsible_unit=units["养护一工区"].id,
        responsible_person="马队长",
        assignee_user_id=crew_user.id,
        measures="更换护栏板 4 块",
        deadline=(TODAY + timedelta(days=5)).isoformat(),
    ).get_json()
    assert (hazard["state"], hazard["version"]) == ("rectifying", 2)
    assert hazard["responsible_unit"] == {"id": units["养护一工区"].id, "name": "养护一工区"}

    # Evidence needs after photos uploaded to this hazard.
    no_photo = act(client, hazard, crew_headers, "submit", note="已更换", after_photo_ids=[])
    assert no_photo.status_code == 422
    photo = upload_after(client, hazard, crew_headers)
    hazard = act(
        client, hazard, crew_headers, "submit", note="已更换", after_photo_ids=[photo]
    ).get_json()
    assert hazard["state"] == "awaiting_verification"

    hazard = act(client, hazard, officer, "reject", reason="立柱未加固").get_json()
    assert hazard["state"] == "rectifying"
    photo2 = upload_after(client, hazard, crew_headers)
    hazard = act(
        client, hazard, crew_headers, "submit", note="已加固", after_photo_ids=[photo2]
    ).get_json()

    # An officer who submitted evidence could not verify it; here the crew submitted.
    closed = act(client, hazard, second, "verify", note="复查合格，销号")
    assert closed.status_code == 200, closed.get_json()
    hazard = closed.get_json()
    assert hazard["state"] == "closed" and hazard["closed_at"]

    # A closed hazard is read-only: anything but reopen is refused.
    refused = act(client, hazard, officer, "record_interim_measures", interim_measures="x")
    assert refused.status_code == 409
    detail = client.get(f"/api/v1/hazards/{hazard['id']}", headers=officer).get_json()
    assert [e["action"] for e in detail["events"]] == [
        "raise",
        "assign",
        "submit",
        "reject",
        "submit",
        "verify",
    ]
    assert detail["events"][2]["evidence"] == [photo]
    assert detail["available_actions"] == ["reopen"]
    reopened = act(client, hazard, officer, "reopen", reason="护栏再次被撞")
    assert reopened.get_json()["state"] == "rectifying"


def test_a_stale_version_is_409_with_the_current_state(client, roads, people):
    _, crew_headers = people["crew"]
    _, officer = people["officer"]
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=crew_headers).get_json()
    act(client, hazard, officer, "record_interim_measures", interim_measures="加设爆闪灯")
    stale = act(client, hazard, officer, "record_interim_measures", interim_measures="again")
    assert stale.status_code == 409
    error = stale.get_json()["error"]
    assert error["code"] == "stale_version"
    assert error["current"] == {"version": 2, "state": "reported"}


def test_a_major_hazard_needs_its_remediation_plan(client, roads, people, units):
    _, crew_headers = people["crew"]
    _, officer = people["officer"]
    hazard = client.post(
        "/api/v1/hazards", json=raise_body(grade="major"), headers=crew_headers
    ).get_json()
    assignment = {
        "responsible_unit": units["分局工程科"].id,
        "responsible_person": "张工",
        "measures": "清除危岩，挂网防护",
        "deadline": (TODAY + timedelta(days=30)).isoformat(),
    }
    refused = act(client, hazard, officer, "assign", **assignment, plan={"goals": "消除落石"})
    assert refused.status_code == 422
    assert "plan.funding" in refused.get_json()["error"]["fields"]
    plan = {
        p: "…已编制"
        for p in ("goals", "measures", "funding", "people", "deadline", "safety_contingency")
    }
    assert act(client, hazard, officer, "assign", **assignment, plan=plan).status_code == 200


def test_the_submitter_cannot_verify_own_evidence(client, roads, people, units):
    _, officer = people["officer"]
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=officer).get_json()
    hazard = act(
        client,
        hazard,
        officer,
        "assign",
        responsible_unit=units["养护一工区"].id,
        responsible_person="p",
        measures="m",
        deadline=(TODAY + timedelta(days=3)).isoformat(),
    ).get_json()
    photo = upload_after(client, hazard, officer)
    hazard = act(client, hazard, officer, "submit", note="done", after_photo_ids=[photo]).get_json()
    refused = act(client, hazard, officer, "verify", note="ok")
    assert refused.status_code == 403


def test_managers_read_but_do_not_act(client, roads, people):
    _, crew_headers = people["crew"]
    _, manager = people["manager"]
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=crew_headers).get_json()
    assert client.get(f"/api/v1/hazards/{hazard['id']}", headers=manager).status_code == 200
    assert act(client, hazard, manager, "assign").status_code == 403
    listed = client.get("/api/v1/hazards", query_string={"state": "reported"}, headers=manager)
    assert listed.get_json()["total"] == 1


def test_overdue_filter_and_board(client, roads, people, units, db_session, login_as):
    _, crew_headers = people["crew"]
    _, officer = people["officer"]
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=crew_headers).get_json()
    act(
        client,
        hazard,
        officer,
        "assign",
        responsible_unit=units["养护一工区"].id,
        responsible_person="p",
        measures="m",
        deadline=TODAY.isoformat(),
    )
    row = db_session.get(Hazard, hazard["id"])
    row.deadline = TODAY - timedelta(days=4)  # the deadline passed four days ago
    db_session.flush()
    overdue = client.get(
        "/api/v1/hazards", query_string={"overdue": "1"}, headers=officer
    ).get_json()
    assert [h["days_overdue"] for h in overdue["hazards"]] == [4]
    login_as("safety_officer")
    board = client.get("/hazards/").get_data(as_text=True)
    assert hazard["number"] in board
    assert "4" in board


def test_tampering_with_an_audit_row_is_reported(app, client, roads, people, db_session):
    _, crew_headers = people["crew"]
    _, officer = people["officer"]
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=crew_headers).get_json()
    act(client, hazard, officer, "record_interim_measures", interim_measures="加设爆闪灯")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).output.strip() == "audit chains intact"

    db_session.execute(
        text(
            "UPDATE hazard_events SET note = 'nothing happened' WHERE hazard_id = :id AND seq = 1"
        ),
        {"id": hazard["id"]},
    )
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"hazard {hazard['id']}: event 1: its content does not match its hash" in result.output


def test_deleting_the_last_audit_row_is_reported(app, client, roads, people, db_session):
    _, crew_headers = people["crew"]
    _, officer = people["officer"]
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=crew_headers).get_json()
    act(client, hazard, officer, "record_interim_measures", interim_measures="加设爆闪灯")
    db_session.execute(
        text("DELETE FROM hazard_events WHERE hazard_id = :id AND seq = 2"), {"id": hazard["id"]}
    )
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "does not match its last event" in result.output


def test_ledger_exports(client, roads, people, login_as):
    _, crew_headers = people["crew"]
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=crew_headers).get_json()
    login_as("manager")
    csv = client.get("/hazards/ledger.csv")
    assert csv.status_code == 200
    content = csv.get_data().decode("utf-8-sig")
    assert hazard["number"] in content
    assert "中央护栏被撞损" in content
    xlsx = client.get("/hazards/ledger.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    rows = list(sheet.values)
    assert rows[1][0] == hazard["number"]
    found_on = rows[0].index("Found on" if rows[0][0] == "Number" else "发现日期")
    assert isinstance(rows[1][found_on], datetime)  # the found date is a date cell, not text


def test_html_actions_from_the_hazard_page(client, roads, people, units, login_as, db_session):
    _, crew_headers = people["crew"]
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=crew_headers).get_json()
    login_as("safety_officer")
    page = client.get(f"/hazards/{hazard['id']}").get_data(as_text=True)
    assert "中央护栏被撞损" in page
    from tests.conftest import csrf_token_from

    answer = client.post(
        f"/hazards/{hazard['id']}/act",
        data={
            "csrf_token": csrf_token_from(page),
            "action": "assign",
            "version": "1",
            "responsible_unit": str(units["养护一工区"].id),
            "responsible_person": "马队长",
            "measures": "更换护栏板",
            "deadline": (TODAY + timedelta(days=5)).isoformat(),
        },
    )
    assert answer.status_code == 303
    db_session.expire_all()
    assert db_session.get(Hazard, hazard["id"]).state == "rectifying"
    stale = client.post(
        f"/hazards/{hazard['id']}/act",
        data={
            "csrf_token": csrf_token_from(page),
            "action": "record_interim_measures",
            "version": "1",
            "interim_measures": "加设爆闪灯两处",
        },
    )
    # Refused (the page was stale): the page comes back with the message and what was typed.
    assert stale.status_code == 409
    after = stale.get_data(as_text=True)
    assert 'class="flash flash-error"' in after
    assert "加设爆闪灯两处" in after
    db_session.expire_all()
    assert db_session.get(Hazard, hazard["id"]).state == "rectifying"  # nothing changed


def test_a_refused_assignment_keeps_what_the_officer_typed(client, roads, people, units, login_as):
    from tests.conftest import csrf_token_from

    _, crew_headers = people["crew"]
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=crew_headers).get_json()
    login_as("safety_officer")
    page = client.get(f"/hazards/{hazard['id']}").get_data(as_text=True)
    refused = client.post(
        f"/hazards/{hazard['id']}/act",
        data={
            "csrf_token": csrf_token_from(page),
            "action": "assign",
            "version": "1",
            "responsible_unit": str(units["分局工程科"].id),
            "responsible_person": "",
            "measures": "立柱加固",
            "deadline": TODAY.isoformat(),
        },
    )
    assert refused.status_code == 422
    again = refused.get_data(as_text=True)
    chosen = f'<option value="{units["分局工程科"].id}" selected>分局工程科</option>'
    assert chosen in again
    assert "立柱加固</textarea>" in again


def test_the_ledger_number_counts_the_year_in_the_branch_time_zone(client, roads, people):
    _, crew_headers = people["crew"]
    # 00:30 on New Year's Day in Beijing is still 31 December in UTC.
    body = raise_body(found_at="2026-01-01T00:30:00+08:00")
    hazard = client.post("/api/v1/hazards", json=body, headers=crew_headers).get_json()
    assert hazard["number"] == "YH-2026-0001"
