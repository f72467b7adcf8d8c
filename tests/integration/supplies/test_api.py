"""The supplies API: items, minimums, movements (idempotent, never below zero), stock, history."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from inspection.supplies.models import SupplyMovement, SupplyStock
from tests.integration.helpers import new_uuid

SALT = "融雪剂（工业盐）"


def body_of(depot, item, kind="received", quantity=10, on_date="2026-01-02", **extra) -> dict:
    return {
        "client_uuid": extra.pop("client_uuid", new_uuid()),
        "site_id": depot.id,
        "item_id": item.id,
        "kind": kind,
        "quantity": quantity,
        "on_date": on_date,
        **extra,
    }


def saved(db_session) -> tuple[int, int]:
    return (
        db_session.scalar(select(func.count(SupplyMovement.id))),
        db_session.scalar(select(func.count(SupplyStock.id))),
    )


def test_items_are_listed_created_and_changed(client, keeper, items):
    _, headers = keeper
    listed = client.get("/api/v1/supplies/items", headers=headers).get_json()["items"]
    assert {i["name"] for i in listed} >= {SALT, "锥桶", "防滑链"}
    made = client.post(
        "/api/v1/supplies/items", json={"name": "防滑砂", "unit": "立方米"}, headers=headers
    )
    assert made.status_code == 201, made.get_json()
    item_id = made.get_json()["id"]
    again = client.post(
        "/api/v1/supplies/items", json={"name": "防滑砂", "unit": "吨"}, headers=headers
    )
    assert again.status_code == 422
    assert "name" in again.get_json()["error"]["fields"]
    changed = client.patch(
        f"/api/v1/supplies/items/{item_id}", json={"unit": "吨", "active": False}, headers=headers
    )
    assert changed.get_json() == {"id": item_id, "name": "防滑砂", "unit": "吨", "active": False}
    inactive = client.get("/api/v1/supplies/items?active=false", headers=headers).get_json()
    assert [i["id"] for i in inactive["items"]] == [item_id]
    for bad in ({"name": ""}, {"name": None}, {"active": None}, {"unit": 5}):
        answer = client.patch(f"/api/v1/supplies/items/{item_id}", json=bad, headers=headers)
        assert answer.status_code == 422, bad
        assert set(answer.get_json()["error"]["fields"]) == set(bad), bad
    missing = client.patch("/api/v1/supplies/items/999999", json={"unit": "个"}, headers=headers)
    assert missing.status_code == 404


def test_a_minimum_is_set_and_the_board_flags_the_shortfall(client, keeper, depots, items):
    _, headers = keeper
    depot, salt = depots["G312线道班"], items[SALT]
    answer = client.put(
        "/api/v1/supplies/stocks",
        json={"site_id": depot.id, "item_id": salt.id, "minimum": 50},
        headers=headers,
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["below_minimum"] is True
    client.post(
        "/api/v1/supplies/movements", json=body_of(depot, salt, quantity=20), headers=headers
    )
    stocks = client.get("/api/v1/supplies?below_minimum=1", headers=headers).get_json()
    [line] = stocks["stocks"]
    assert (line["site"]["name"], line["item"]["name"]) == ("G312线道班", SALT)
    assert (line["quantity"], line["minimum"], line["shortfall"]) == (20, 50, 30)
    before = client.get("/api/v1/supplies?on=2026-01-01", headers=headers).get_json()
    assert before["stocks"][0]["quantity"] == 0
    unknown = client.put(
        "/api/v1/supplies/stocks",
        json={"site_id": 999999, "item_id": salt.id, "minimum": 5},
        headers=headers,
    )
    assert unknown.status_code == 422
    assert "site_id" in unknown.get_json()["error"]["fields"]


def test_a_movement_is_recorded_once_and_a_different_replay_is_409(
    client, keeper, db_session, depots, items
):
    _, headers = keeper
    body = body_of(depots["乌鲁木齐养护工区"], items[SALT], quantity=12.5, purpose="冬储")
    first = client.post("/api/v1/supplies/movements", json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    again = client.post("/api/v1/supplies/movements", json=body, headers=headers)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert first.get_json()["signed_quantity"] == 12.5
    other = client.post(
        "/api/v1/supplies/movements", json={**body, "quantity": 13}, headers=headers
    )
    assert other.status_code == 409
    assert other.get_json()["error"]["code"] == "uuid_taken"
    assert saved(db_session) == (1, 1)


def test_an_issue_beyond_the_stock_is_422_on_quantity_with_nothing_saved(
    client, keeper, db_session, depots, items
):
    _, headers = keeper
    depot, salt = depots["乌鲁木齐养护工区"], items[SALT]
    client.post("/api/v1/supplies/movements", json=body_of(depot, salt), headers=headers)
    answer = client.post(
        "/api/v1/supplies/movements",
        json=body_of(depot, salt, kind="issued", quantity=10.5),
        headers=headers,
    )
    assert answer.status_code == 422
    assert list(answer.get_json()["error"]["fields"]) == ["quantity"]
    assert saved(db_session) == (1, 1)
    stocks = client.get(f"/api/v1/supplies?site_id={depot.id}", headers=headers).get_json()
    assert stocks["stocks"][0]["quantity"] == 10


def test_a_movement_dated_tomorrow_is_refused(client, keeper, db_session, depots, items):
    _, headers = keeper
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    answer = client.post(
        "/api/v1/supplies/movements",
        json=body_of(depots["G312线道班"], items[SALT], on_date=tomorrow),
        headers=headers,
    )
    assert answer.status_code == 422
    assert list(answer.get_json()["error"]["fields"]) == ["on_date"]
    assert saved(db_session) == (0, 0)


@pytest.mark.parametrize(
    "quantity",
    [1e20, "1e3", "²", "١٢", "１２", -5, 0, 0.001, True, "", None, [], {}, "12 吨", "Infinity"],
)
def test_hostile_quantities_are_422_on_quantity(
    client, keeper, db_session, depots, items, quantity
):
    _, headers = keeper
    body = body_of(depots["G312线道班"], items[SALT], quantity=quantity)
    answer = client.post("/api/v1/supplies/movements", json=body, headers=headers)
    assert answer.status_code == 422, (quantity, answer.get_json())
    assert list(answer.get_json()["error"]["fields"]) == ["quantity"]
    assert saved(db_session) == (0, 0)


@pytest.mark.parametrize("raw", ["NaN", "-Infinity", "1e400"])
def test_non_finite_json_numbers_are_422(client, keeper, db_session, depots, items, raw):
    _, headers = keeper
    text = json.dumps(body_of(depots["G312线道班"], items[SALT], quantity=0)).replace(
        '"quantity": 0', f'"quantity": {raw}'
    )
    answer = client.post(
        "/api/v1/supplies/movements",
        data=text,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert answer.status_code in (400, 422), answer.get_json()
    assert saved(db_session) == (0, 0)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("site_id", "²"),
        ("site_id", 2**40),
        ("item_id", -1),
        ("kind", "stolen"),
        ("on_date", "2026-02-30"),
        ("on_date", "1999-12-31"),
        ("client_uuid", "not-a-uuid"),
        ("purpose", "x" * 201),
        ("repair_uuid", "nope"),
    ],
)
def test_hostile_fields_are_422_on_that_field(client, keeper, depots, items, field, value):
    _, headers = keeper
    body = {**body_of(depots["G312线道班"], items[SALT]), field: value}
    answer = client.post("/api/v1/supplies/movements", json=body, headers=headers)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["error"]["fields"]


def test_the_history_is_filtered_and_paged(client, keeper, depots, items):
    _, headers = keeper
    depot, other, salt = depots["乌鲁木齐养护工区"], depots["G312线道班"], items[SALT]
    for day in ("2026-01-02", "2026-01-05", "2026-01-09"):
        client.post(
            "/api/v1/supplies/movements",
            json=body_of(depot, salt, on_date=day),
            headers=headers,
        )
    client.post(
        "/api/v1/supplies/movements",
        json=body_of(depot, salt, kind="issued", quantity=4, on_date="2026-01-10"),
        headers=headers,
    )
    client.post("/api/v1/supplies/movements", json=body_of(other, salt), headers=headers)
    page = client.get(
        f"/api/v1/supplies/movements?site_id={depot.id}&per_page=2", headers=headers
    ).get_json()
    assert (page["total"], len(page["movements"])) == (4, 2)
    assert [m["on_date"] for m in page["movements"]] == ["2026-01-10", "2026-01-09"]
    issued = client.get("/api/v1/supplies/movements?kind=issued", headers=headers).get_json()
    assert [(m["quantity"], m["signed_quantity"]) for m in issued["movements"]] == [(4, -4)]
    period = client.get(
        "/api/v1/supplies/movements?from=2026-01-03&to=2026-01-09", headers=headers
    ).get_json()
    assert period["total"] == 2
    bad = client.get("/api/v1/supplies/movements?kind=x&from=²", headers=headers)
    assert bad.status_code == 422


def test_a_patrol_crew_reads_but_does_not_write(client, crew, depots, items):
    _, headers = crew("patrol")
    assert client.get("/api/v1/supplies", headers=headers).status_code == 200
    answer = client.post(
        "/api/v1/supplies/movements",
        json=body_of(depots["G312线道班"], items[SALT]),
        headers=headers,
    )
    assert answer.status_code == 403
    _, admin = crew("admin")
    assert client.get("/api/v1/supplies", headers=admin).status_code == 403
