"""/api/v1/vehicles: enter, read, change, status changes, service events and the due board."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from inspection.fleet.models import Vehicle, VehicleService, VehicleStatusEvent
from inspection.web import branch_today


@pytest.fixture
def today(app):
    with app.app_context():
        return branch_today()


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def enter(client, headers, **fields):
    body = {"kind": "patrol_vehicle", "number": "新A12345", **fields}
    return client.post("/api/v1/vehicles", json=body, headers=headers)


def test_enter_read_and_list_a_unit(client, officer, units, today):
    _, headers = officer
    made = enter(
        client,
        headers,
        make_model="江铃 宝典",
        year=2021,
        department_id=units["机务科"].id,
        registered_on=(today - timedelta(days=400)).isoformat(),
    )
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["number"] == "新A12345" and body["status"] == "fit"
    assert body["department"] == {"id": units["机务科"].id, "name": "机务科"}
    assert [e["to_status"] for e in body["status_events"]] == ["fit"]
    assert {d["service_kind"] for d in body["due"]} == {
        "maintenance",
        "annual_inspection",
        "insurance",
    }
    assert all(d["urgency"] == "overdue" for d in body["due"])  # nothing recorded for 400 days
    read = client.get(f"/api/v1/vehicles/{body['id']}", headers=headers)
    assert read.status_code == 200 and read.get_json()["id"] == body["id"]
    listed = client.get("/api/v1/vehicles?status=fit&kind=patrol_vehicle", headers=headers)
    assert listed.status_code == 200
    page = listed.get_json()
    assert page["total"] == 1 and page["vehicles"][0]["number"] == "新A12345"
    assert page["status_counts"] == {
        "fit": 1,
        "defective": 0,
        "under_repair": 0,
        "sealed": 0,
        "scrapped": 0,
    }
    assert client.get("/api/v1/vehicles?status=sealed", headers=headers).get_json()["total"] == 0


def test_a_duplicate_plate_is_422_on_number(client, db_session, officer):
    _, headers = officer
    assert enter(client, headers).status_code == 201
    again = enter(client, headers, number="新A 12345")
    assert again.status_code == 422
    error = again.get_json()["error"]
    assert list(error["fields"]) == ["number"]
    assert count(db_session, Vehicle) == 1 and count(db_session, VehicleStatusEvent) == 1


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"status": "sealed"}, "status"),
        ({"status": "flying"}, "status"),
        ({"kind": "tank"}, "kind"),
        ({"number": ""}, "number"),
        ({"number": 12345}, "number"),
        ({"year": 1949}, "year"),
        ({"department_id": 999999}, "department_id"),
        ({"registered_on": "2999-01-01"}, "registered_on"),
    ],
)
def test_bad_entries_are_422_and_nothing_is_stored(client, db_session, officer, fields, bad):
    answer = enter(client, officer[1], **fields)
    assert answer.status_code == 422, answer.get_json()
    assert bad in answer.get_json()["error"]["fields"]
    assert count(db_session, Vehicle) == 0


def test_a_future_register_day_is_named(client, officer, today):
    answer = enter(client, officer[1], registered_on=(today + timedelta(days=1)).isoformat())
    assert answer.status_code == 422
    # Messages come in the branch's language (Chinese unless the client asks otherwise).
    assert answer.get_json()["error"]["fields"] == {"registered_on": "日期晚于今天。"}


def test_patch_changes_only_what_is_sent_and_never_the_status(client, db_session, officer, units):
    _, headers = officer
    made = enter(client, headers, year=2020, make_model="江铃").get_json()
    url = f"/api/v1/vehicles/{made['id']}"
    changed = client.patch(url, json={"make_model": "长城 炮", "year": None}, headers=headers)
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert (body["make_model"], body["year"], body["number"]) == ("长城 炮", None, "新A12345")
    refused = client.patch(url, json={"status": "scrapped"}, headers=headers)
    assert refused.status_code == 422 and "status" in refused.get_json()["error"]["fields"]
    refused = client.patch(url, json={"number": " "}, headers=headers)
    assert refused.status_code == 422 and "number" in refused.get_json()["error"]["fields"]
    inactive = units["旧车队"].id
    refused = client.patch(url, json={"department_id": inactive}, headers=headers)
    assert refused.status_code == 422 and "department_id" in refused.get_json()["error"]["fields"]
    assert client.patch("/api/v1/vehicles/999999", json={}, headers=headers).status_code == 404
    assert db_session.get(Vehicle, made["id"]).status == "fit"


def test_status_changes_and_sealing(client, db_session, officer, today):
    _, headers = officer
    made = enter(client, headers, registered_on=(today - timedelta(days=30)).isoformat())
    url = f"/api/v1/vehicles/{made.get_json()['id']}/status"
    no_record = client.post(url, json={"to_status": "sealed"}, headers=headers)
    assert no_record.status_code == 422
    assert set(no_record.get_json()["error"]["fields"]) == {"sealed_place", "key_holder"}
    sealed = client.post(
        url,
        json={
            "to_status": "sealed",
            "reason": "冬季停用",
            "sealed_place": "工区车库",
            "key_holder": "刘师傅",
        },
        headers=headers,
    )
    assert sealed.status_code == 201, sealed.get_json()
    body = sealed.get_json()
    assert body["status"] == "sealed"
    assert body["status_events"][-1]["sealed_place"] == "工区车库"
    assert body["status_events"][-1]["on_date"] == today.isoformat()
    for bad, field in (
        ({"to_status": "under_repair"}, "to_status"),
        ({"to_status": "broken"}, "to_status"),
        ({"to_status": "fit", "on_date": (today + timedelta(days=1)).isoformat()}, "on_date"),
        ({"to_status": "fit", "on_date": (today - timedelta(days=60)).isoformat()}, "on_date"),
    ):
        answer = client.post(url, json=bad, headers=headers)
        assert answer.status_code == 422 and field in answer.get_json()["error"]["fields"], bad
    assert client.post(url, json={"to_status": "scrapped"}, headers=headers).status_code == 201
    final = client.post(url, json={"to_status": "fit"}, headers=headers)
    assert final.status_code == 422
    assert final.get_json()["error"]["fields"]["to_status"] == "已报废的车辆机械不能再变更状态。"
    assert count(db_session, VehicleStatusEvent) == 3
    missing = client.post(
        "/api/v1/vehicles/999999/status", json={"to_status": "fit"}, headers=headers
    )
    assert missing.status_code == 404


def test_service_events(client, db_session, officer, today):
    _, headers = officer
    made = enter(client, headers, registered_on=(today - timedelta(days=400)).isoformat())
    vehicle_id = made.get_json()["id"]
    url = f"/api/v1/vehicles/{vehicle_id}/services"
    answer = client.post(
        url,
        json={
            "kind": "repair",
            "on_date": today.isoformat(),
            "cost_yuan": "1250.5",
            "parts": "刹车片",
        },
        headers=headers,
    )
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["cost_yuan"] == "1250.50"
    inspection = client.post(
        url,
        json={"kind": "annual_inspection", "on_date": today.isoformat(), "passed": True},
        headers=headers,
    )
    assert inspection.status_code == 201
    for bad, field in (
        ({"kind": "maintenance", "on_date": (today + timedelta(days=1)).isoformat()}, "on_date"),
        ({"kind": "maintenance", "on_date": today.isoformat(), "cost_yuan": -5}, "cost_yuan"),
        ({"kind": "annual_inspection", "on_date": today.isoformat()}, "passed"),
        ({"kind": "annual_inspection", "on_date": today.isoformat(), "passed": "yes"}, "passed"),
        ({"kind": "washing", "on_date": today.isoformat()}, "kind"),
        ({"kind": "maintenance"}, "on_date"),
    ):
        refused = client.post(url, json=bad, headers=headers)
        assert refused.status_code == 422 and field in refused.get_json()["error"]["fields"], bad
    assert count(db_session, VehicleService) == 2
    listed = client.get(url, headers=headers).get_json()["services"]
    assert [s["kind"] for s in listed] == ["annual_inspection", "repair"]
    detail = client.get(f"/api/v1/vehicles/{vehicle_id}", headers=headers).get_json()
    annual = next(d for d in detail["due"] if d["service_kind"] == "annual_inspection")
    assert annual["last_on"] == today.isoformat() and annual["days_left"] == 365
    assert client.get("/api/v1/vehicles/999999/services", headers=headers).status_code == 404
    missing = client.post(
        "/api/v1/vehicles/999999/services",
        json={"kind": "maintenance", "on_date": today.isoformat()},
        headers=headers,
    )
    assert missing.status_code == 404


def test_the_due_board(client, officer, today):
    _, headers = officer
    late = enter(client, headers, registered_on=(today - timedelta(days=100)).isoformat())
    soon = enter(
        client,
        headers,
        number="ZL-03",
        kind="loader",
        registered_on=(today - timedelta(days=80)).isoformat(),
    )
    sealed = enter(
        client, headers, number="新A99999", registered_on=(today - timedelta(days=400)).isoformat()
    )
    client.post(
        f"/api/v1/vehicles/{sealed.get_json()['id']}/status",
        json={"to_status": "sealed", "sealed_place": "库", "key_holder": "刘"},
        headers=headers,
    )
    board = client.get("/api/v1/vehicles/due", headers=headers)
    assert board.status_code == 200
    body = board.get_json()
    # The patrol car: maintenance every 60 days, 40 days overdue; the loader's 90 days fall
    # due in 10; the sealed car is not due at all.
    assert [
        (line["vehicle"]["number"], line["service_kind"], line["days_left"])
        for line in body["overdue"]
    ] == [("新A12345", "maintenance", -40)]
    assert [(line["vehicle"]["id"], line["days_left"]) for line in body["due_soon"]] == [
        (soon.get_json()["id"], 10)
    ]
    narrow = client.get(
        "/api/v1/vehicles/due?within=5&service_kind=maintenance", headers=headers
    ).get_json()
    assert narrow["due_soon"] == [] and len(narrow["overdue"]) == 1
    assert late.status_code == 201
    assert client.get("/api/v1/vehicles/due?within=-1", headers=headers).status_code == 422
    assert (
        client.get("/api/v1/vehicles/due?service_kind=repair", headers=headers).status_code == 422
    )


def test_readers_read_and_crews_may_not_write(client, crew, officer):
    _, patrol = crew("patrol")
    assert client.get("/api/v1/vehicles", headers=patrol).status_code == 200
    assert enter(client, patrol).status_code == 403
    _, manager = crew("manager")
    assert enter(client, manager).status_code == 201
