"""Hostile input against the hazard, site, department and self-inspection endpoints (#12).

Each class of hostile value (unicode digits, a lone surrogate, NUL, a year 1 or 9999 time,
2**31, 1e300, "1e10", a 400-digit number, 100,000-deep nesting, a wrong type in a required
text, a text longer than its column) sent to each endpoint gets a 4xx answer with an
{"error": …} body, and nothing is stored.
"""

# ruff: noqa: E501 - the tables of targets and bodies read best one per line

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from shapely.geometry import Point
from sqlalchemy import text

from inspection.geo import to_db
from inspection.hazards import services as hazard_services
from inspection.network import services as network
from inspection.sites.models import Department, Site
from inspection.web import branch_today
from tests.hostile_values import DAY_CASES, NUMBER_CASES, TEXT_CASES, TIME_CASES, json_params
from tests.integration.helpers import new_uuid
from tests.integration.test_hostile_input import DEEP, assert_refused, raw_json

TIMES = json_params(TIME_CASES)
DAYS = json_params(DAY_CASES)
NUMBERS = json_params(NUMBER_CASES)
TEXTS = [*json_params(TEXT_CASES), pytest.param("LONG", id="over-long")]
TABLES = (
    "hazards",
    "hazard_events",
    "sites",
    "departments",
    "inspections",
    "inspection_items",
    "inspection_templates",
)

# target → (method, path, body, {class: (field, column length of a text)})
TARGETS = {
    "raise_hazard": ("POST", "/api/v1/hazards", "road_hazard", {"time": "found_at", "text": ("description", 2000)}),
    "raise_hazard_category": ("POST", "/api/v1/hazards", "road_hazard", {"text": ("category", 32)}),
    "raise_hazard_at_site": ("POST", "/api/v1/hazards", "site_hazard", {"number": "site_id", "text": ("location_note", 256)}),
    "assign_hazard": ("POST", "/api/v1/hazards/{hazard}/actions", "assign", {"number": "assignee_user_id", "text": ("responsible_person", 64), "day": "deadline"}),
    "assign_hazard_unit": ("POST", "/api/v1/hazards/{hazard}/actions", "assign", {"number": "responsible_unit", "text": ("measures", 4000)}),
    "act_version": ("POST", "/api/v1/hazards/{hazard}/actions", "interim", {"number": "version", "text": ("interim_measures", 4000)}),
    "create_site": ("POST", "/api/v1/sites", "site", {"number": "department_id", "text": ("name", 128)}),
    "create_site_lon": ("POST", "/api/v1/sites", "site", {"number": "lon", "text": ("note", 2000)}),
    "update_site": ("PATCH", "/api/v1/sites/{site}", "site_changes", {"number": "department_id", "text": ("name", 128)}),
    "create_department": ("POST", "/api/v1/departments", "department", {"text": ("name", 128)}),
    "create_template": ("POST", "/api/v1/inspection-templates", "template", {"text": ("name", 128)}),
    "replace_template": ("PUT", "/api/v1/inspection-templates/{template}", "template", {"text": ("name", 128)}),
    "create_inspection": ("POST", "/api/v1/inspections", "inspection", {"number": "leader_user_id", "text": ("theme", 256), "day": "started_on"}),
    "create_inspection_sites": ("POST", "/api/v1/inspections", "inspection", {"number": "template_id", "text": ("leader_name", 64), "day": "ended_on"}),
    "add_item": ("POST", "/api/v1/inspections/{inspection}/items", "item", {"number": "site_id", "text": ("note", 2000), "time": "checked_at"}),
    "recheck": ("POST", "/api/v1/inspections/{inspection}/rechecks", "recheck", {"number": "hazard_id", "text": ("note", 2000)}),
    "recheck_version": ("POST", "/api/v1/inspections/{inspection}/rechecks", "recheck", {"number": "version", "text": ("outcome", 16)}),
}  # fmt: skip


def counts(db_session) -> dict[str, int]:
    return {t: db_session.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}


@pytest.fixture
def world(db_session, roads, crew, app):
    """An officer and a crew member, a department and site, a hazard, a template, an inspection."""
    unit = Department(name="养护一工区", kind="maintenance_area")
    db_session.add(unit)
    db_session.flush()
    site = Site(
        name="柳园收费站",
        kind="toll_station",
        geom=to_db(Point(95.39, 41.06)),
        department_id=unit.id,
    )
    db_session.add(site)
    db_session.flush()
    crew_user, crew_headers = crew("patrol")
    officer, officer_headers = crew("safety_officer", "manager")
    location = network.resolve_location(
        db_session, road_code="G30", direction="up", stake="K3506+000"
    )
    hazard = hazard_services.raise_hazard(
        db_session,
        location=location,
        category="drainage",
        grade="general",
        description="边沟堵塞",
        actor=crew_user,
    )
    with app.test_client() as client:
        made = client.post(
            "/api/v1/inspection-templates",
            json={
                "name": "表",
                "items": [
                    {"section": "fire_safety", "name": "灭火器", "hazard_category": "fire_safety"}
                ],
            },
            headers=officer_headers,
        )
        assert made.status_code == 201, made.get_json()
        template = made.get_json()["id"]
        made = client.post(
            "/api/v1/inspections", json=inspection_body(site.id), headers=officer_headers
        )
        assert made.status_code == 201, made.get_json()
        inspection = made.get_json()["inspection"]["id"]
    with app.app_context():
        today = branch_today()
    bodies = {
        "road_hazard": {
            "client_uuid": new_uuid(), "road": "G30", "direction": "up", "stake": "K3506+500",
            "category": "guardrail_damage", "grade": "general", "description": "护栏损坏",
        },
        "site_hazard": {
            "client_uuid": new_uuid(), "site_id": site.id, "category": "fire_safety",
            "grade": "general", "description": "灭火器过期",
        },
        "assign": {
            "action": "assign", "version": 1, "responsible_unit": unit.id,
            "responsible_person": "张工", "measures": "清理", "assignee_user_id": crew_user.id,
            "deadline": (today + timedelta(days=3)).isoformat(),
        },
        "interim": {"action": "record_interim_measures", "version": 1, "interim_measures": "锥桶"},
        "site": {"name": "新收费站", "kind": "toll_station", "lon": 87.6, "lat": 43.8, "department_id": unit.id},
        "site_changes": {"name": "改名收费站", "department_id": unit.id},
        "department": {"name": "新工区", "kind": "maintenance_area"},
        "template": {"name": "新表", "items": [{"section": "other", "name": "x", "hazard_category": "other"}]},
        "inspection": {**inspection_body(site.id), "leader_user_id": officer.id, "template_id": template, "leader_name": "李"},
        "item": {"client_uuid": new_uuid(), "name": "配电箱", "result": "meets", "note": "好", "site_id": site.id},
        "recheck": {"hazard_id": hazard.id, "outcome": "holds", "version": 1, "note": "好"},
    }  # fmt: skip
    ids = {"hazard": hazard.id, "site": site.id, "template": template, "inspection": inspection}
    headers = {
        "POST /api/v1/hazards": crew_headers,
    }
    return {"bodies": bodies, "ids": ids, "headers": headers, "officer": officer_headers}


def inspection_body(site_id: int) -> dict:
    return {
        "client_uuid": new_uuid(),
        "kind": "seasonal",
        "theme": "冬季检查",
        "started_on": "2026-11-20",
        "ended_on": "2026-11-21",
        "site_ids": [site_id],
    }


def send(client, world, target: str, data: str):
    method, path, _, _ = TARGETS[target]
    url = path.format(**world["ids"])
    headers = world["headers"].get(f"{method} {path}", world["officer"])
    return client.open(
        url, method=method, data=data, content_type="application/json", headers=headers
    )


def hostile_cases():
    values = {"time": TIMES, "day": DAYS, "number": NUMBERS, "text": TEXTS}
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
    assert counts(db_session) == before
    db_session.expire_all()
    assert counts(db_session) == before


@pytest.mark.parametrize("target", list(TARGETS))
def test_deep_nesting_is_refused(client, db_session, world, target):
    before = counts(db_session)
    assert_refused(send(client, world, target, DEEP), 400)
    assert counts(db_session) == before


def test_a_good_body_of_each_target_is_taken(client, db_session, world):
    """The bodies the hostile cases start from are good: only the hostile field is wrong."""
    for target in ("raise_hazard", "create_site", "create_department", "add_item"):
        body = world["bodies"][TARGETS[target][2]]
        answer = send(client, world, target, json.dumps(body))
        assert answer.status_code in (200, 201), (target, answer.get_json())
    answer = send(client, world, "assign_hazard", json.dumps(world["bodies"]["assign"]))
    assert answer.status_code == 200, answer.get_json()


QUERIES = [
    "/api/v1/hazards?page=²",
    "/api/v1/hazards?per_page=" + "9" * 20,
    "/api/v1/hazards?state=%00",
    "/api/v1/hazards?road=" + "G" * 17,
    "/api/v1/hazards?overdue=yes",
    "/api/v1/sites?limit=١٢",
    "/api/v1/sites?department_id=1e10",
    "/api/v1/sites?near=1e300,1",
    "/api/v1/sites?near=nan,nan",
    "/api/v1/departments?active=maybe",
    "/api/v1/inspections?from=9999-12-31",
    "/api/v1/inspections?to=0001-01-01",
    "/api/v1/inspections?page=2147483648",
    "/api/v1/inspections?include_voided=%C2%B2",
    "/api/v1/inspection-templates?active=²",
]


@pytest.mark.parametrize("url", QUERIES)
def test_hostile_query_strings_are_422(client, world, url):
    answer = client.get(url, headers=world["officer"])
    error = assert_refused(answer, 400, 422)
    assert error["fields"] or answer.status_code == 400


def test_an_assignee_who_may_not_submit_evidence_is_refused(client, db_session, world, make_user):
    manager = make_user("manager")
    inactive = make_user("patrol")
    inactive.active = False
    db_session.flush()
    for user in (manager, inactive):
        body = {**world["bodies"]["assign"], "assignee_user_id": user.id}
        error = assert_refused(send(client, world, "assign_hazard", json.dumps(body)), 422)
        assert "assignee_user_id" in error["fields"]
    assert db_session.execute(text("SELECT version FROM hazards")).scalar() == 1
