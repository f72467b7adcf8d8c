"""Manual lines (手工计量) of the branch's own items on a draft statement.

The plan (2026, version 1): S21 marking in March at 30 yuan/m², whole-branch guardrail in March at
80 yuan/m, G30 shoulder in March at 20 yuan/m². March has one shoulder repair (G30, 100 m²).
"""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from inspection.geo import SRID
from inspection.plans.execution_queries import plan_execution
from inspection.plans.models import Plan, StatementLine
from inspection.repairs.models import Repair
from inspection.reports import annual
from inspection.reports.annual import plan_queries, queries
from tests.conftest import csrf_token_from
from tests.integration.helpers import new_uuid
from tests.integration.plans.test_statements import add_version, road_label

API = "/api/v1/measurements"
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _read_in_english(english):
    """These tests read the messages in English."""


@pytest.fixture
def manager(crew):
    return crew("manager")


@pytest.fixture
def march(db_session, roads, manager):
    user = manager[0]
    plan = Plan(year=2026, name="2026年度养护计划", created_by_id=user.id)
    db_session.add(plan)
    db_session.flush()
    add_version(
        db_session,
        plan,
        1,
        1,
        [
            (3, roads["S21"], "marking", "m2", "30"),
            (3, None, "guardrail", "m", "80"),
            (3, roads["G30"], "shoulder", "m2", "20"),
        ],
        user,
    )
    g30 = roads["G30"]
    db_session.add(
        Repair(
            client_uuid=new_uuid(),
            kind="shoulder",
            road_id=g30.id,
            direction=g30.direction,
            chainage=g30.start_chainage + 100,
            geom=f"SRID={SRID};POINT(87.6 43.8)",
            geometry_version=g30.geometry_version,
            completed_on=date(2026, 3, 2),
            area_m2=100,
            created_by_id=user.id,
        )
    )
    db_session.flush()
    return plan


def post(client, headers, path, body=None, status=200, method="post"):
    answer = getattr(client, method)(f"{API}/2026/3{path}", json=body, headers=headers)
    assert answer.status_code == status, answer.get_json()
    return answer.get_json()


def manual_lines(body):
    return sorted(
        (x["road"] or "-", x["work_kind"], x["unit"], x["quantity"], x["unit_price_yuan"],
         x["amount_yuan"], x["note"])
        for x in body["lines"] if x["amount_source"] == "manual"
    )  # fmt: skip


def test_add_change_remove_on_a_draft(client, manager, roads, march):
    headers = manager[1]
    post(client, headers, "/build")
    s21 = road_label(roads, "S21")
    # The plan's price by default (S21's marking line); amount rounded to fen.
    added = post(
        client,
        headers,
        "/manual-lines",
        {"road": "S21", "work_kind": "marking", "quantity": 540.333, "note": "热熔"},
        status=201,
    )
    line = added["line"]
    assert (line["unit"], line["quantity"], line["unit_price_yuan"], line["amount_yuan"]) == (
        "m2",
        540.33,
        30.0,
        16209.9,
    )
    assert line["amount_source"] == "manual" and line["road"] == s21
    assert added["total_yuan"] == 2000.0 + 16209.9
    # The whole branch's guardrail: unit m from the plan line, price 80.
    rail = post(
        client, headers, "/manual-lines", {"work_kind": "guardrail", "quantity": 12.5}, status=201
    )["line"]
    assert (rail["road"], rail["unit"], rail["amount_yuan"]) == (None, "m", 1000.0)
    # A price given wins; a kind without a plan line needs one.
    other = post(
        client,
        headers,
        "/manual-lines",
        {"work_kind": "other", "unit": "t", "quantity": 2, "unit_price_yuan": 150.255},
        status=201,
    )["line"]
    assert (other["unit_price_yuan"], other["amount_yuan"]) == (150.26, 300.52)
    # Change: quantity and note; the amount follows.
    changed = post(
        client,
        headers,
        f"/manual-lines/{line['id']}",
        {"quantity": 600, "note": "复测"},
        method="patch",
    )
    assert (changed["line"]["amount_yuan"], changed["line"]["note"]) == (18000.0, "复测")
    assert changed["line"]["road"] == s21
    # Road to the whole branch (null): re-priced from the branch's lines (none for marking).
    refused = post(
        client, headers, f"/manual-lines/{line['id']}", {"road": None}, status=422, method="patch"
    )
    assert "unit_price_yuan" in refused["error"]["fields"]
    moved = post(
        client,
        headers,
        f"/manual-lines/{line['id']}",
        {"road": None, "unit_price_yuan": 25},
        method="patch",
    )["line"]
    assert (moved["road"], moved["amount_yuan"]) == (None, 15000.0)
    # Remove.
    after = post(client, headers, f"/manual-lines/{other['id']}", method="delete")
    assert manual_lines(after) == [
        ("-", "guardrail", "m", 12.5, 80.0, 1000.0, ""),
        ("-", "marking", "m2", 600.0, 25.0, 15000.0, "复测"),
    ]
    # A repair-derived line is no manual line: 404.
    derived = next(x for x in after["lines"] if x["amount_source"] == "plan_price")
    post(client, headers, f"/manual-lines/{derived['id']}", method="delete", status=404)
    post(client, headers, f"/manual-lines/{derived['id']}", {"quantity": 1}, 404, "patch")


def test_refusals(client, db_session, manager, march):
    headers = manager[1]
    # No statement built yet: 404.
    post(client, headers, "/manual-lines", {"work_kind": "marking", "quantity": 1}, status=404)
    post(client, headers, "/build")
    count = db_session.query(StatementLine).count()
    cases = [
        ({"work_kind": "shoulder", "quantity": 1, "unit_price_yuan": 1}, "work_kind"),
        ({"work_kind": "guardrail", "unit": "m2", "quantity": 1}, "unit"),
        ({"road": "S21", "work_kind": "marking", "quantity": -1}, "quantity"),
        ({"road": "S21", "work_kind": "marking", "quantity": 1, "unit_price_yuan": -2},
         "unit_price_yuan"),
        ({"road": "X99", "work_kind": "marking", "quantity": 1}, "road"),
        ({"work_kind": "marking", "quantity": 1}, "unit_price_yuan"),  # no branch price
        ({"road": "S21", "work_kind": "marking"}, "quantity"),
    ]  # fmt: skip
    for body, field in cases:
        answer = post(client, headers, "/manual-lines", body, status=422)
        assert field in answer["error"]["fields"], (body, answer)
    line = post(
        client,
        headers,
        "/manual-lines",
        {"road": "S21", "work_kind": "marking", "quantity": 10},
        201,
    )["line"]
    for body, field in [
        ({"work_kind": "pothole"}, "work_kind"),
        ({"unit": "t"}, "unit"),
        ({"quantity": -3}, "quantity"),
    ]:
        answer = post(client, headers, f"/manual-lines/{line['id']}", body, 422, "patch")
        assert field in answer["error"]["fields"], (body, answer)
    db_session.expire_all()
    assert db_session.query(StatementLine).count() == count + 1
    # Frozen: every change refused with 409, nothing changes.
    post(client, headers, "/confirm")
    for path, body, method in [
        ("/manual-lines", {"road": "S21", "work_kind": "marking", "quantity": 1}, "post"),
        (f"/manual-lines/{line['id']}", {"quantity": 1}, "patch"),
        (f"/manual-lines/{line['id']}", None, "delete"),
    ]:
        answer = post(client, headers, path, body, 409, method)
        assert answer["error"]["code"] == "statement_frozen"
    body = client.get(f"{API}/2026/3", headers=headers).get_json()
    assert manual_lines(body) == [("S21", "marking", "m2", 10.0, 30.0, 300.0, "")]


def test_rebuild_keeps_manual_lines_and_confirm_is_not_outdated(
    client, db_session, manager, march, roads
):
    headers = manager[1]
    post(client, headers, "/build")
    post(
        client,
        headers,
        "/manual-lines",
        {"road": "S21", "work_kind": "marking", "quantity": 540},
        201,
    )
    rebuilt = post(client, headers, "/build")
    assert manual_lines(rebuilt) == [("S21", "marking", "m2", 540.0, 30.0, 16200.0, "")]
    assert [x["amount_source"] for x in rebuilt["lines"]].count("plan_price") == 1
    assert rebuilt["total_yuan"] == 2000.0 + 16200.0
    # Manual lines never make the statement "outdated".
    done = post(client, headers, "/confirm")
    assert done["state"] == "confirmed" and done["total_yuan"] == 18200.0

    # Execution reads the confirmed manual line for marking…
    result, _ = plan_execution(db_session, 2026, through=12)
    row = next(r for r in result.rows if r.kind == "marking" and r.road == "S21")
    assert row.measured and (row.done[3], row.amount[3]) == (D(540), D(16200))
    # …and so does the annual report's plan table and sentence (540 of 1,000 m² planned).
    asked = annual.parse_request({"year": "2026"}, today=TODAY)
    built = plan_queries.with_plan(
        db_session, queries.annual_report(db_session, asked, timezone="Asia/Shanghai")
    )
    kinds = {(k.kind, k.unit): k for k in built.plan.kinds}
    marking = kinds[("marking", "m2")]
    assert (marking.done, marking.amount) == (D(540), D(16200))
    assert marking.completion == D(54)
    assert "标线完成年度计划的54%" in built.paragraphs_zh["maintenance"]

    # The workbook shows it like the other lines, with its source.
    book = load_workbook(
        io.BytesIO(client.get("/plans/statements/2026.xlsx?month=3", headers=headers).data)
    )
    cells = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "measured by hand" in cells and "Road marking" in cells and 16200 in cells


def test_a_rebuild_prices_plan_priced_manual_lines_from_an_adjustment(
    client, db_session, manager, march, roads
):
    headers = manager[1]
    post(client, headers, "/build")
    body = {"road": "S21", "work_kind": "marking", "quantity": 100}
    post(client, headers, "/manual-lines", body, 201)  # the plan's price: 30
    post(client, headers, "/manual-lines", {**body, "unit_price_yuan": 28, "note": "合同价"}, 201)
    post(client, headers, "/manual-lines", {"work_kind": "guardrail", "quantity": 10}, 201)
    # An adjustment from March before the statement is confirmed: marking at 33; the new
    # version prices guardrail in another unit only, so that line keeps the price it had.
    add_version(
        db_session,
        march,
        2,
        3,
        [
            (3, roads["S21"], "marking", "m2", "33"),
            (3, None, "guardrail", "item", "500"),
            (3, roads["G30"], "shoulder", "m2", "20"),
        ],
        manager[0],
    )
    # Confirming the draft built on version 1 is refused: rebuild first.
    assert post(client, headers, "/confirm", status=409)["error"]["code"] == "statement_outdated"
    rebuilt = post(client, headers, "/build")
    assert rebuilt["plan_version"] == 2
    assert manual_lines(rebuilt) == [
        ("-", "guardrail", "m", 10.0, 80.0, 800.0, ""),
        ("S21", "marking", "m2", 100.0, 28.0, 2800.0, "合同价"),
        ("S21", "marking", "m2", 100.0, 33.0, 3300.0, ""),
    ]
    assert post(client, headers, "/confirm")["total_yuan"] == 2000.0 + 800 + 2800 + 3300


def test_page_form_add_and_remove(client, db_session, manager, march, roads, login_as):
    post(client, manager[1], "/build")
    login_as("manager")
    page = client.get("/plans/statements/2026/3").get_data(as_text=True)
    assert 'id="manual-line-form"' in page
    token = csrf_token_from(page)
    answer = client.post(
        "/plans/statements/2026/3/manual-lines",
        data={
            "work_kind": "guardrail",
            "quantity": "5",
            "unit": "",
            "road": "",
            "csrf_token": token,
        },
    )
    assert answer.status_code == 303
    line = db_session.query(StatementLine).filter_by(amount_source="manual").one()
    assert (line.unit, line.amount_yuan) == ("m", D("400.00"))
    page = client.get("/plans/statements/2026/3").get_data(as_text=True)
    assert f"/manual-lines/{line.id}/remove" in page and "measured by hand" in page
    bad = client.post(
        "/plans/statements/2026/3/manual-lines",
        data={"work_kind": "shoulder", "quantity": "1", "csrf_token": token},
    )
    assert bad.status_code == 422 and "only the branch" in bad.get_data(as_text=True)
    answer = client.post(
        f"/plans/statements/2026/3/manual-lines/{line.id}/remove", data={"csrf_token": token}
    )
    assert answer.status_code == 303
    db_session.expire_all()
    assert db_session.query(StatementLine).filter_by(amount_source="manual").count() == 0


def test_readers_cannot_add(client, crew, march):
    manager_headers = crew("manager")[1]
    post(client, manager_headers, "/build")
    reader = crew("patrol")[1]
    answer = client.post(
        f"{API}/2026/3/manual-lines", json={"work_kind": "marking", "quantity": 1}, headers=reader
    )
    assert answer.status_code == 403
