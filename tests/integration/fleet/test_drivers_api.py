"""The drivers register through /api/v1/drivers: register, change, review, due lists, and the
bad input that is refused whole (422 naming the field, nothing saved)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from inspection.fleet.models import Driver, DriverReview

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
LATER = (TODAY + timedelta(days=800)).isoformat()


@pytest.fixture
def officer_headers(crew) -> dict:
    return crew("machinery")[1]


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def register(client, headers, **fields):
    body = {"licence_class": "C1", "licence_expires": LATER, **fields}
    return client.post("/api/v1/drivers", json=body, headers=headers)


def test_register_a_user_and_a_name(client, db_session, officer_headers, make_user):
    user = make_user("patrol", username="li.xun")
    user.display_name = "李巡查"
    db_session.flush()
    made = register(
        client, officer_headers, user_id=user.id, licence_number=" 6501 0219800101123x "
    )
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["name"] == "李巡查" and body["user"] == {"id": user.id, "username": "li.xun"}
    assert body["licence_number"] == "65010219800101123X"  # stored without spaces, upper case
    assert body["review_state"] == "never" and body["reviews"] == []
    assert body["licence_state"] == "valid" and body["licence_days_left"] == 800
    plain = register(client, officer_headers, name="马师傅", licence_class="A2")
    assert plain.status_code == 201
    assert plain.get_json()["user"] is None and plain.get_json()["licence_number"] is None
    listed = client.get("/api/v1/drivers", headers=officer_headers).get_json()["drivers"]
    assert [d["name"] for d in listed] == sorted(["李巡查", "马师傅"])
    one = client.get(f"/api/v1/drivers/{body['id']}", headers=officer_headers)
    assert one.status_code == 200 and one.get_json()["licence_class"] == "C1"


def test_bad_drivers_are_refused_whole(client, db_session, officer_headers, make_user, english):
    user = make_user("patrol")
    assert (
        register(client, officer_headers, user_id=user.id, licence_number="A1").status_code == 201
    )
    before = count(db_session, Driver)
    cases = [
        ({"user_id": user.id}, "user_id", "This user is already in the drivers register."),
        ({"name": "王师傅", "licence_number": "a 1"}, "licence_number", "Another driver has"),
        ({}, "name", "Give the driver's name, or choose a user."),
        ({"name": "王师傅", "licence_class": "Z9"}, "licence_class", "Choose the licence class."),
        ({"name": "王师傅", "licence_expires": "2026-02-30"}, "licence_expires", "Give the date"),
        ({"name": "王师傅", "user_id": 999999}, "user_id", "Choose an active user"),
        ({"name": "王师傅", "department_id": 999999}, "department_id", "Choose an active"),
        ({"name": "王师傅", "user_id": True}, "user_id", "Choose a user from the list."),
    ]
    for fields, name, message in cases:
        refused = register(client, officer_headers, **fields)
        assert refused.status_code == 422, (fields, refused.get_json())
        error = refused.get_json()["error"]
        assert error["fields"][name].startswith(message), (fields, error)
    # Every problem at once, nothing saved.
    both = register(client, officer_headers, user_id=user.id, licence_number="A1")
    assert set(both.get_json()["error"]["fields"]) == {"user_id", "licence_number"}
    assert count(db_session, Driver) == before


def test_reviews_and_the_next_one(client, db_session, officer_headers, english):
    expires = TODAY + timedelta(days=20)
    made = register(client, officer_headers, name="赵师傅", licence_expires=expires.isoformat())
    driver_id = made.get_json()["id"]
    path = f"/api/v1/drivers/{driver_id}/reviews"
    last_year = TODAY - timedelta(days=300)
    done = client.post(
        path,
        json={"reviewed_on": last_year.isoformat(), "result": "passed"},
        headers=officer_headers,
    )
    assert done.status_code == 201, done.get_json()
    body = done.get_json()
    assert body["next_review_on"] == (last_year + timedelta(days=365)).isoformat()
    assert body["review_state"] == "later" and body["review_days_left"] == 65
    assert body["licence_state"] == "within_30"
    assert [r["result"] for r in body["reviews"]] == ["passed"]
    before = count(db_session, DriverReview)
    refusals = [
        ((TODAY + timedelta(days=1)).isoformat(), "The date is in the future."),
        (last_year.isoformat(), "A review is already recorded on this day."),
        ("2026-13-01", "Give the date like 2026-05-01."),
    ]
    for day, message in refusals:
        refused = client.post(
            path, json={"reviewed_on": day, "result": "passed"}, headers=officer_headers
        )
        assert refused.status_code == 422
        assert refused.get_json()["error"]["fields"] == {"reviewed_on": message}
    odd = client.post(
        path, json={"reviewed_on": TODAY.isoformat(), "result": "ok"}, headers=officer_headers
    )
    assert odd.get_json()["error"]["fields"] == {"result": "Choose passed or not passed."}
    assert count(db_session, DriverReview) == before
    missing = client.post("/api/v1/drivers/999999/reviews", json={}, headers=officer_headers)
    assert missing.status_code == 404


def test_a_review_after_the_licence_expired_is_refused(
    client, db_session, officer_headers, english
):
    expired = TODAY - timedelta(days=10)
    made = register(client, officer_headers, name="钱师傅", licence_expires=expired.isoformat())
    assert made.get_json()["licence_state"] == "expired"
    driver_id = made.get_json()["id"]
    refused = client.post(
        f"/api/v1/drivers/{driver_id}/reviews",
        json={"reviewed_on": (expired + timedelta(days=1)).isoformat(), "result": "passed"},
        headers=officer_headers,
    )
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["fields"] == {"reviewed_on": "The licence had expired by the day of this review."}
    assert expired.isoformat() in error["message"]
    assert count(db_session, DriverReview) == 0
    on_the_day = client.post(
        f"/api/v1/drivers/{driver_id}/reviews",
        json={"reviewed_on": expired.isoformat(), "result": "failed", "note": "视力"},
        headers=officer_headers,
    )
    assert on_the_day.status_code == 201
    assert on_the_day.get_json()["review_state"] == "failed"


def test_changes(client, db_session, officer_headers, make_user, english):
    made = register(client, officer_headers, name="孙师傅", licence_number="X9", note="老司机")
    driver_id = made.get_json()["id"]
    path = f"/api/v1/drivers/{driver_id}"
    reviewed = TODAY - timedelta(days=30)
    client.post(
        f"{path}/reviews",
        json={"reviewed_on": reviewed.isoformat(), "result": "passed"},
        headers=officer_headers,
    )
    # The licence cannot be made to expire before a review recorded for it.
    earlier = (reviewed - timedelta(days=1)).isoformat()
    refused = client.patch(path, json={"licence_expires": earlier}, headers=officer_headers)
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"licence_expires"}
    blanks = (
        {"licence_class": ""},
        {"licence_expires": None},
        {"licence_expires": {}},  # found by schemathesis: was a 500
        {"active": None},
        {"active": []},
    )
    for blank in blanks:
        refused = client.patch(path, json=blank, headers=officer_headers)
        assert refused.status_code == 422, blank
        assert set(refused.get_json()["error"]["fields"]) == set(blank)
    changed = client.patch(
        path,
        json={"licence_number": "", "note": "", "licence_class": "B2"},
        headers=officer_headers,
    )
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert (body["licence_number"], body["note"], body["licence_class"]) == (None, "", "B2")
    assert body["name"] == "孙师傅" and len(body["reviews"]) == 1
    # Linked to a user later: the name given stays unless the user's is asked for.
    user = make_user("patrol", username="sun")
    linked = client.patch(path, json={"user_id": user.id}, headers=officer_headers).get_json()
    assert linked["user"]["username"] == "sun" and linked["name"] == user.name
    renamed = client.patch(path, json={"name": "孙建国"}, headers=officer_headers).get_json()
    assert renamed["name"] == "孙建国" and renamed["user"]["username"] == "sun"
    off = client.patch(path, json={"active": False}, headers=officer_headers).get_json()
    assert off["active"] is False
    assert client.get("/api/v1/drivers", headers=officer_headers).get_json()["drivers"] == []
    everyone = client.get("/api/v1/drivers?active=all", headers=officer_headers).get_json()
    assert [d["id"] for d in everyone["drivers"]] == [driver_id]
    assert client.get("/api/v1/drivers?active=maybe", headers=officer_headers).status_code == 422


def test_due_lists(client, db_session, officer_headers):
    def driver(name, reviewed_days_ago=None, result="passed", expires_in=800):
        made = register(
            client,
            officer_headers,
            name=name,
            licence_expires=(TODAY + timedelta(days=expires_in)).isoformat(),
        ).get_json()
        if reviewed_days_ago is not None:
            client.post(
                f"/api/v1/drivers/{made['id']}/reviews",
                json={
                    "reviewed_on": (TODAY - timedelta(days=reviewed_days_ago)).isoformat(),
                    "result": result,
                },
                headers=officer_headers,
            )
        return made["id"]

    driver("fine", 10)
    overdue = driver("overdue", 400)
    soon = driver("soon", 350)
    never = driver("never", None, expires_in=50)
    failed = driver("failed", 5, "failed")
    expiring = driver("expiring", 20, expires_in=10)
    gone = driver("gone", 500)
    client.patch(f"/api/v1/drivers/{gone}", json={"active": False}, headers=officer_headers)
    answer = client.get("/api/v1/drivers/due", headers=officer_headers).get_json()
    assert answer["today"] == TODAY.isoformat()
    assert [d["id"] for d in answer["reviews"]] == [failed, overdue, never, soon]
    assert [d["review_state"] for d in answer["reviews"]] == [
        "failed",
        "overdue",
        "never",
        "due_soon",
    ]
    assert answer["reviews"][1]["review_days_left"] == -35
    assert [(d["id"], d["licence_state"]) for d in answer["licences"]] == [
        (expiring, "within_30"),
        (never, "within_60"),
    ]
