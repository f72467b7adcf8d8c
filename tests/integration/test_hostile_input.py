"""Hostile input against the endpoints read through the declared input models (issue #12).

Each class of input a hostile user sent (a year 1 or 9999 time, a count of 2**31, 1e300 or
"1e10", a 400-digit number, unicode digits, a lone surrogate, NUL, 100,000-deep nesting, a list
where text is expected, a PATCH text longer than its column) gets a 4xx answer with an
{"error": …} body, and nothing is stored. The HTML lists answer 4xx, never 500.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from inspection.patrols.models import Finding, Patrol
from inspection.repairs.models import Repair
from inspection.surveys import services as survey_services
from inspection.surveys.models import SurveyRecord
from tests import hostile_values
from tests.hostile_values import NUMBER_CASES, TEXT_CASES, TIME_CASES, as_json, json_params
from tests.integration.helpers import new_uuid

BIG = as_json(hostile_values.BIG)  # a 400-digit number, written as a JSON number


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def raw_json(body: dict, **raw_fields: str) -> str:
    """Return `body` as JSON with some fields written verbatim (huge numbers, escapes)."""
    parts = [json.dumps(body, ensure_ascii=True)[1:-1]]
    parts += [f'"{name}": {raw}' for name, raw in raw_fields.items()]
    return "{" + ", ".join(p for p in parts if p) + "}"


def assert_refused(answer, *statuses: int) -> dict:
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.get_data(as_text=True))
    if statuses:
        assert answer.status_code in statuses, answer.status_code
    error = answer.get_json()["error"]
    assert error["code"] and error["message"]
    return error


def patrol_body(**overrides) -> dict:
    return {
        "client_uuid": new_uuid(),
        "road": "G30",
        "direction": "up",
        "kind": "routine",
        "started_at": "2026-05-01T09:00:00+08:00",
        "start_stake": "K3500+000",
    } | overrides


def finding_body(**overrides) -> dict:
    return {
        "client_uuid": new_uuid(),
        "kind": "pothole",
        "road": "G30",
        "direction": "up",
        "stake": "K3505+120",
        "quantity": 1.5,
        "count": 2,
        "observed_at": "2026-05-01T10:30:00+08:00",
    } | overrides


def repair_body(**overrides) -> dict:
    return {
        "client_uuid": new_uuid(),
        "kind": "pothole",
        "road": "G30",
        "direction": "up",
        "stake": "K3504+000",
        "completed_on": "2026-05-01",
        "area_m2": 3.0,
        "count": 2,
        "depth_mm": 50,
    } | overrides


def record_body(**overrides) -> dict:
    return {
        "road": "G30",
        "direction": "up",
        "stake": "K3504+100",
        "item_code": "pothole",
        "severity": "light",
        "quantity": 2,
        "unit": "m2",
    } | overrides


# Each hostile class, written verbatim into the JSON of a body's field (tests/hostile_values.py).
TIMES = json_params(TIME_CASES)
NUMBERS = json_params(NUMBER_CASES)
TEXTS = json_params(TEXT_CASES)
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def headers(crew):
    return crew()[1]


@pytest.fixture
def campaign(db_session, make_user, roads):
    from datetime import date

    values = {
        "name": "2026 spring survey",
        "starts_on": date(2026, 4, 1),
        "ends_on": date(2026, 4, 30),
        "method": "visual",
        "unit_length_m": 1000.0,
        "width_m": 7.5,
        "pavement": "asphalt",
        "roads": (("G30", "up"),),
        "note": "",
    }
    return survey_services.create_campaign(
        db_session, survey_services.CampaignInput(**values), actor=make_user("manager")
    )


def post(client, url, data: str, headers, method="POST"):
    return client.open(
        url, method=method, data=data, content_type="application/json", headers=headers
    )


# --------------------------------------------------------------------------- POST bodies


@pytest.mark.parametrize("raw", TIMES)
@pytest.mark.parametrize(
    ("url", "body", "field", "model"),
    [
        ("/api/v1/patrols", patrol_body, "started_at", Patrol),
        ("/api/v1/findings", finding_body, "observed_at", Finding),
    ],
    ids=["patrol", "finding"],
)
def test_implausible_times_are_refused(
    client, roads, headers, db_session, url, body, field, model, raw
):
    data = body()
    data.pop(field, None)
    answer = post(client, url, raw_json(data, **{field: raw}), headers)
    assert assert_refused(answer, 422)["fields"].keys() == {field}
    assert count(db_session, model) == 0


@pytest.mark.parametrize("raw", NUMBERS)
@pytest.mark.parametrize(
    ("url", "body", "field", "model"),
    [
        ("/api/v1/findings", finding_body, "count", Finding),
        ("/api/v1/findings", finding_body, "quantity", Finding),
        ("/api/v1/repairs", repair_body, "count", Repair),
        ("/api/v1/repairs", repair_body, "area_m2", Repair),
        ("/api/v1/repairs", repair_body, "depth_mm", Repair),
        (None, record_body, "quantity", SurveyRecord),
    ],
    ids=[
        "finding-count",
        "finding-quantity",
        "repair-count",
        "repair-area",
        "repair-depth",
        "survey-quantity",
    ],
)
def test_numbers_outside_their_column_or_not_numbers_are_refused(
    client, roads, headers, db_session, campaign, url, body, field, model, raw
):
    url = url or f"/api/v1/surveys/{campaign.id}/records"
    data = body()
    data.pop(field, None)
    answer = post(client, url, raw_json(data, **{field: raw}), headers)
    assert assert_refused(answer, 422)["fields"].keys() == {field}
    assert count(db_session, model) == 0


@pytest.mark.parametrize("raw", TEXTS)
@pytest.mark.parametrize(
    ("url", "body", "field", "model"),
    [
        ("/api/v1/patrols", patrol_body, "road", Patrol),
        ("/api/v1/patrols", patrol_body, "crew", Patrol),
        ("/api/v1/findings", finding_body, "note", Finding),
        ("/api/v1/findings", finding_body, "stake", Finding),
        ("/api/v1/repairs", repair_body, "method", Repair),
        ("/api/v1/repairs", repair_body, "road", Repair),
        (None, record_body, "note", SurveyRecord),
        (None, record_body, "stake", SurveyRecord),
    ],
    ids=[
        "patrol-road",
        "patrol-crew",
        "finding-note",
        "finding-stake",
        "repair-method",
        "repair-road",
        "survey-note",
        "survey-stake",
    ],
)
def test_text_fields_take_only_clean_text(
    client, roads, headers, db_session, campaign, url, body, field, model, raw
):
    url = url or f"/api/v1/surveys/{campaign.id}/records"
    data = body()
    data.pop(field, None)
    answer = post(client, url, raw_json(data, **{field: raw}), headers)
    error = assert_refused(answer)
    if answer.status_code == 422:
        assert field in error["fields"]
    assert count(db_session, model) == 0


def test_a_list_where_the_hazard_category_is_expected_is_refused(
    client, roads, headers, db_session
):
    hazard = {"category": ["guardrail_damage"], "grade": "general", "description": "护栏撞损"}
    answer = client.post(
        "/api/v1/findings",
        json=finding_body(kind="safety_hazard", quantity=None, hazard=hazard),
        headers=headers,
    )
    assert "hazard.category" in assert_refused(answer, 422)["fields"]
    assert count(db_session, Finding) == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/patrols",
        "/api/v1/findings",
        "/api/v1/repairs",
        "/api/v1/surveys/{campaign}/records",
        "/api/v1/tokens",
    ],
)
def test_deep_nesting_is_refused_before_parsing(client, roads, headers, campaign, url):
    url = url.format(campaign=campaign.id)
    assert_refused(post(client, url, DEEP, headers), 400, 413)
    nested = raw_json(finding_body(), note="[" * 40 + "]" * 40)
    assert_refused(post(client, url, nested, headers), 400)


def test_a_body_over_the_json_limit_is_refused(client, roads, headers, app, db_session):
    data = raw_json(
        finding_body(), note=json.dumps("x" * (app.config.get("JSON_MAX_BYTES") or 2**20))
    )
    assert_refused(post(client, "/api/v1/findings", data, headers), 413)
    assert count(db_session, Finding) == 0


# --------------------------------------------------------------------------- PATCH bodies


@pytest.fixture
def stored_finding(client, roads, headers):
    answer = client.post("/api/v1/findings", json=finding_body(lane="超车道"), headers=headers)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("lane", json.dumps("x" * 33)),
        ("note", json.dumps("x" * 2001)),
        ("note", '"\\ud800"'),
        ("note", "12"),
        ("quantity", "1e300"),
        ("quantity", BIG),
        ("quantity", '"1e10"'),
        ("depth_mm", '"²"'),
        ("severity", '["heavy"]'),
        ("observed_at", '"2026-05-01T10:30:00+08:00"'),  # not a field a PATCH may change
    ],
)
def test_a_patch_with_a_bad_field_changes_nothing(
    client, headers, db_session, stored_finding, field, raw
):
    url = f"/api/v1/findings/{stored_finding['uuid']}"
    answer = post(client, url, raw_json({}, **{field: raw}), headers, method="PATCH")
    assert field in assert_refused(answer, 422)["fields"]
    after = client.get(url, headers=headers).get_json()
    assert (after["lane"], after["note"], after["quantity"]) == (
        stored_finding["lane"],
        stored_finding["note"],
        stored_finding["quantity"],
    )


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("ended_at", '"9999-12-31T23:59:59-08:00"'),
        ("ended_at", '"0001-01-01T00:00:00+08:00"'),
        ("patrolled_km", "1e300"),
        ("end_stake", '{"k": 1}'),
        ("note", '"\\udfff"'),
    ],
)
def test_ending_a_patrol_with_a_bad_field_leaves_it_open(
    client, roads, headers, db_session, field, raw
):
    body = patrol_body()
    assert client.post("/api/v1/patrols", json=body, headers=headers).status_code == 201
    url = f"/api/v1/patrols/{body['client_uuid']}"
    answer = post(client, url, raw_json({}, **{field: raw}), headers, method="PATCH")
    assert field in assert_refused(answer, 422)["fields"]
    assert db_session.scalar(select(Patrol.ended_at)) is None


# --------------------------------------------------------------------------- query strings

HOSTILE_QUERIES = [
    "page=²",
    "page=١٢",
    "page=" + "9" * 20,
    "page=0",
    "page=+1",
    "per_page=1e2",
    "from=9999-12-31",
    "to=9999-12-31",
    "to=0001-01-01",
    "from=２０２６-05-01",
    "kind=%5B%5D",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize("path", ["/api/v1/findings", "/api/v1/repairs"])
def test_api_lists_refuse_malformed_parameters(client, roads, headers, path, query):
    error = assert_refused(client.get(f"{path}?{query}", headers=headers), 422)
    assert query.split("=")[0] in error["fields"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/findings?bbox=nan,0,1,1",
        "/api/v1/findings?bbox=1e400,0,1,1",
        "/api/v1/findings?include_voided=yes",
        "/api/v1/findings/nearby?kind=pothole&lon=1e400",
        "/api/v1/findings/nearby?kind=pothole&lat=٤٣",
        "/api/v1/locate?lon=87.6&lat=91",
        "/api/v1/locate?lon=inf&lat=43",
        "/api/v1/locate?lon=87.6&lat=43.8&tolerance=1e300",
        "/api/v1/roads/G30?direction=sideways",
        "/api/v1/roads/G30/position?stake=K3505%2B000&lon=1e999&lat=43",
        "/api/v1/surveys/{campaign}/units?direction=%E4%B8%8A",
        "/api/v1/reports/annual?year=²",
        "/api/v1/reports/annual?month=²&year=2026",
        "/api/v1/reports/annual?from=2026-01-01&to=9999-12-31",
        "/api/v1/reports/annual?year=" + "9" * 20,
    ],
)
def test_api_look_ups_refuse_malformed_parameters(client, roads, campaign, make_user, url):
    from inspection.auth import services as auth_services
    from inspection.extensions import db

    user = make_user("patrol", "manager", "safety_officer")
    token = auth_services.issue_token(db.session, user).token
    answer = client.get(
        url.format(campaign=campaign.id), headers={"Authorization": f"Bearer {token}"}
    )
    assert_refused(answer, 422)


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize("path", ["/findings/", "/repairs/"])
def test_html_lists_answer_4xx_never_500(client, roads, login_as, path, query):
    login_as("patrol")
    answer = client.get(f"{path}?{query}")
    assert 400 <= answer.status_code < 500, answer.status_code


@pytest.mark.parametrize(
    "query",
    [
        "year=²",
        "year=١٢",
        "year=" + "9" * 20,
        "month=²&year=2026",
        "month=١٢&year=2026",
        "from=2026-01-01&to=9999-12-31",
        "from=0001-01-01&to=2026-01-01",
        "cutoff=9999-12-31",
    ],
)
def test_the_report_page_explains_malformed_parameters(client, roads, login_as, query):
    login_as("manager")
    answer = client.get(f"/reports/annual?{query}")
    assert 400 <= answer.status_code < 500, answer.status_code
    assert "error" in answer.get_data(as_text=True)


def test_good_queries_still_answer(client, roads, headers):
    for url in (
        "/api/v1/findings?page=1&per_page=200&from=2026-01-01&to=2026-12-31&bbox=87,43,88,44",
        "/api/v1/repairs?page=2&kind=pothole&include_voided=1",
        "/api/v1/locate?lon=87.6&lat=43.8&tolerance=5000",
    ):
        answer = client.get(url, headers=headers)
        assert answer.status_code in (200, 404), (url, answer.get_json())


def test_a_deeply_nested_outbox_file_is_refused_on_the_page(client, roads, login_as, db_session):
    import io

    from tests.conftest import csrf_token_from

    login_as("patrol")
    token = csrf_token_from(client.get("/field/import").get_data(as_text=True))
    answer = client.post(
        "/field/import",
        data={"file": (io.BytesIO(DEEP.encode()), "outbox.json"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422
    assert count(db_session, Finding) == 0
