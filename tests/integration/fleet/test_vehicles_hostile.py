"""Hostile input against the vehicle endpoints (the #12 classes): each value gets a 4xx with an
{"error": …} body naming the field, and nothing is stored."""

# ruff: noqa: E501 - the tables of targets and bodies read best one per line

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from tests.hostile_values import DAY_CASES, NUMBER_CASES, TEXT_CASES, json_params
from tests.integration.test_hostile_input import DEEP, assert_refused, raw_json

DAYS = json_params(DAY_CASES)
NUMBERS = json_params(NUMBER_CASES)
# 2**31 yuan is a possible (if unlikely) cost: the cost's own cases leave it out.
COSTS = json_params([case for case in NUMBER_CASES if case[1] != "2**31"])
TEXTS = [*json_params(TEXT_CASES), pytest.param("LONG", id="over-long")]
TABLES = ("vehicles", "vehicle_status_events", "vehicle_services")

# target → (method, path, body, {class: field or (field, text length)})
TARGETS = {
    "create": ("POST", "/api/v1/vehicles", "vehicle", {"number": "year", "day": "registered_on", "text": ("number", 32)}),
    "create_department": ("POST", "/api/v1/vehicles", "vehicle", {"number": "department_id", "text": ("make_model", 128)}),
    "create_note": ("POST", "/api/v1/vehicles", "vehicle", {"text": ("note", 2000)}),
    "update": ("PATCH", "/api/v1/vehicles/{vehicle}", "changes", {"number": "department_id", "day": "registered_on", "text": ("number", 32)}),
    "status": ("POST", "/api/v1/vehicles/{vehicle}/status", "seal", {"day": "on_date", "text": ("sealed_place", 128)}),
    "status_key": ("POST", "/api/v1/vehicles/{vehicle}/status", "seal", {"text": ("key_holder", 128)}),
    "status_reason": ("POST", "/api/v1/vehicles/{vehicle}/status", "seal", {"text": ("reason", 2000)}),
    "service": ("POST", "/api/v1/vehicles/{vehicle}/services", "service", {"cost": "cost_yuan", "day": "on_date", "text": ("parts", 2000)}),
}  # fmt: skip


def counts(db_session) -> dict[str, int]:
    return {t: db_session.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}


@pytest.fixture
def world(client, officer, units):
    _, headers = officer
    made = client.post(
        "/api/v1/vehicles", json={"kind": "truck", "number": "新A66666"}, headers=headers
    )
    assert made.status_code == 201
    bodies = {
        "vehicle": {"kind": "loader", "number": "ZL-01", "department_id": units["机务科"].id, "year": 2020},
        "changes": {"make_model": "柳工 50C"},
        "seal": {"to_status": "sealed", "reason": "停用", "sealed_place": "库", "key_holder": "刘"},
        "service": {"kind": "repair", "on_date": "2026-01-05", "cost_yuan": 100, "parts": "轮胎"},
    }  # fmt: skip
    return {"bodies": bodies, "ids": {"vehicle": made.get_json()["id"]}, "headers": headers}


def send(client, world, target: str, data: str):
    method, path, _, _ = TARGETS[target]
    return client.open(
        path.format(**world["ids"]),
        method=method,
        data=data,
        content_type="application/json",
        headers=world["headers"],
    )


def hostile_cases():
    values = {"day": DAYS, "number": NUMBERS, "cost": COSTS, "text": TEXTS}
    for target, (_, _, _, fields) in TARGETS.items():
        for kind, field in fields.items():
            for value in values[kind]:
                yield pytest.param(target, field, value.values[0], id=f"{target}-{kind}-{value.id}")


@pytest.mark.parametrize(("target", "field", "raw"), list(hostile_cases()))
def test_each_hostile_value_is_refused_and_nothing_is_stored(
    client, db_session, world, target, field, raw
):
    body = dict(world["bodies"][TARGETS[target][2]])
    if isinstance(field, tuple):
        field, length = field
        if raw == "LONG":
            raw = json.dumps("x" * (length + 1))
    body.pop(field, None)
    before = counts(db_session)
    answer = send(client, world, target, raw_json(body, **{field: raw}))
    error = assert_refused(answer)
    assert field in error.get("fields", {}) or answer.status_code == 400, error
    db_session.expire_all()
    assert counts(db_session) == before


@pytest.mark.parametrize("target", list(TARGETS))
def test_deep_nesting_and_non_objects_are_refused(client, db_session, world, target):
    before = counts(db_session)
    assert_refused(send(client, world, target, DEEP), 400)
    assert_refused(send(client, world, target, "[1, 2]"), 400)
    assert_refused(send(client, world, target, "{"), 400)
    assert counts(db_session) == before


def test_the_good_bodies_are_taken(client, world):
    """The bodies the hostile cases start from are good: only the hostile field is wrong."""
    for target in ("create", "update", "service", "status"):
        answer = send(client, world, target, json.dumps(world["bodies"][TARGETS[target][2]]))
        assert answer.status_code in (200, 201), (target, answer.get_json())


QUERIES = [
    "/api/v1/vehicles?page=²",
    "/api/v1/vehicles?per_page=" + "9" * 20,
    "/api/v1/vehicles?status=%00",
    "/api/v1/vehicles?kind=tank",
    "/api/v1/vehicles?department_id=1e10",
    "/api/v1/vehicles?use=１",
    "/api/v1/vehicles/due?within=١٢",
    "/api/v1/vehicles/due?within=367",
    "/api/v1/vehicles/due?department_id=2147483648",
    "/api/v1/vehicles/due?service_kind=repair",
]


@pytest.mark.parametrize("url", QUERIES)
def test_hostile_query_strings_are_refused(client, world, url):
    answer = client.get(url, headers=world["headers"])
    error = assert_refused(answer, 400, 422)
    assert error["fields"] or answer.status_code == 400


@pytest.mark.parametrize(
    "path",
    ["/fleet/?kind=%C2%B2", "/fleet/due?within=9999999999999999999", "/fleet/?department_id=-1"],
)
def test_hostile_page_filters_are_422_pages(client, login_as, path):
    login_as("machinery")
    assert client.get(path).status_code in (400, 422)
