"""Monthly measurement statements: built from repairs, frozen once confirmed, differences carried.

The scenario: a 2026 plan (an adjustment from April), repairs across March and April, March
confirmed, then one repair's area changed, one voided, one moved to April and one entered late
into March → April's statement counts April's repairs and carries exactly those differences.
"""

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from inspection.geo import SRID
from inspection.plans.models import Plan, PlanLine, PlanVersion, StatementRepair
from inspection.repairs.models import Repair
from tests.integration.helpers import new_uuid

API = "/api/v1/measurements"


@pytest.fixture(autouse=True)
def _read_in_english(english):
    """These tests read the messages in English."""


@pytest.fixture
def manager(crew):
    return crew("manager")


@pytest.fixture
def make_repair(db_session, roads, manager):
    user = manager[0]

    def build(kind, road, on, *, area=None, count=None, cost=None):
        repair = Repair(
            client_uuid=new_uuid(),
            kind=kind,
            road_id=roads[road].id,
            direction=roads[road].direction,
            chainage=roads[road].start_chainage + 100,
            geom=f"SRID={SRID};POINT(87.6 43.8)",
            geometry_version=roads[road].geometry_version,
            completed_on=on,
            area_m2=area,
            count=count,
            cost_yuan=None if cost is None else D(cost),
            created_by_id=user.id,
        )
        db_session.add(repair)
        db_session.flush()
        return repair

    return build


def add_version(db_session, plan, number, from_month, lines, user):
    version = PlanVersion(
        plan_id=plan.id,
        number=number,
        kind="original" if number == 1 else "adjustment",
        from_month=from_month,
        created_by_id=user.id,
    )
    db_session.add(version)
    db_session.flush()
    for month, road, kind, unit, price in lines:
        db_session.add(
            PlanLine(
                version_id=version.id,
                month=month,
                road_id=road.id if road else None,
                work_kind=kind,
                unit=unit,
                quantity=D("1000"),
                unit_price_yuan=D(price),
                budget_yuan=D("100000"),
            )
        )
    db_session.flush()
    return version


@pytest.fixture
def plan(db_session, roads, manager):
    user = manager[0]
    plan = Plan(year=2026, name="2026年度养护计划", created_by_id=user.id)
    db_session.add(plan)
    db_session.flush()
    g30 = roads["G30"]
    lines = []
    for month in (3, 4, 5):
        lines += [
            (month, g30, "shoulder", "m2", "20"),
            (month, None, "shoulder", "m2", "15"),
            (month, None, "pothole", "site", "300"),
        ]
    add_version(db_session, plan, 1, 1, lines, user)
    return plan


def lines_of(body, key="lines"):
    return sorted(
        (
            line["road"] or "-",
            line["work_kind"],
            line["unit"],
            line["quantity"],
            line["unit_price_yuan"],
            line["amount_yuan"],
            line["amount_source"],
        )
        + ((line["corrects"]["month"],) if key == "differences" else ())
        for line in body[key]
    )


def build(client, headers, month, status=200):
    answer = client.post(f"{API}/2026/{month}/build", headers=headers)
    assert answer.status_code == status, answer.get_json()
    return answer.get_json()


def confirm(client, headers, month, status=200):
    answer = client.post(f"{API}/2026/{month}/confirm", headers=headers)
    assert answer.status_code == status, answer.get_json()
    return answer.get_json()


def road_label(roads, code):
    road = roads[code]
    return code if road.direction == "both" else f"{code} Up"


@pytest.fixture
def march(plan, make_repair, db_session):
    """March's repairs, and one of April's."""
    r = {
        "a": make_repair("shoulder", "G30", date(2026, 3, 2), area=100, cost="999"),
        "b": make_repair("shoulder", "S21", date(2026, 3, 5), area=50),
        "c": make_repair("pothole", "G30", date(2026, 3, 9), area=4.5, count=3),
        "d": make_repair("pothole", "G30", date(2026, 3, 10), area=2.0),
        "e": make_repair("slope", "G30", date(2026, 3, 11), area=40, cost="1000"),
        "f": make_repair("slope", "G30", date(2026, 3, 31), area=10, cost="500"),
        "g": make_repair("slope", "S21", date(2026, 3, 12), area=20),
        "h": make_repair("shoulder", "G30", date(2026, 3, 13), area=999),
        "i": make_repair("shoulder", "G30", date(2026, 4, 1), area=30),
    }
    r["h"].voided_at = datetime(2026, 3, 14, tzinfo=UTC)
    r["h"].void_reason = "wrong"
    db_session.flush()
    return r


def test_march_statement_then_frozen(client, manager, roads, march):
    headers = manager[1]
    body = build(client, headers, 3)
    g30, s21 = road_label(roads, "G30"), road_label(roads, "S21")
    assert body["state"] == "draft" and body["plan_version"] == 1
    assert body["repairs_counted"] == 7
    assert lines_of(body) == sorted(
        [
            (g30, "shoulder", "m2", 100.0, 20.0, 2000.0, "plan_price"),
            (s21, "shoulder", "m2", 50.0, 15.0, 750.0, "plan_price"),
            (g30, "pothole", "site", 4.0, 300.0, 1200.0, "plan_price"),
            (g30, "slope", "m2", 50.0, None, 1500.0, "repair_cost"),
            (s21, "slope", "m2", 20.0, None, 0.0, "plan_price"),
        ]
    )
    assert [x["note"] for x in body["lines"] if x["road"] == s21 and x["work_kind"] == "slope"] == [
        "no price"
    ]
    assert body["differences"] == [] and body["total_yuan"] == 5450.0
    # Rebuilding a draft replaces its lines (no doubles).
    assert build(client, headers, 3)["total_yuan"] == 5450.0
    done = confirm(client, headers, 3)
    assert done["state"] == "confirmed" and done["confirmed_at"]
    # A second confirmation and a rebuild are refused; nothing changes.
    again = confirm(client, headers, 3, status=409)
    assert again["error"]["code"] == "statement_frozen"
    assert build(client, headers, 3, status=409)["error"]["code"] == "statement_frozen"
    after = client.get(f"{API}/2026/3", headers=headers).get_json()
    assert after["confirmed_at"] == done["confirmed_at"] and after["lines"] == done["lines"]


def test_edits_after_confirmation_become_differences_once(
    client, db_session, manager, roads, plan, march, make_repair
):
    headers = manager[1]
    build(client, headers, 3)
    confirm(client, headers, 3)
    # An adjustment from April: G30 shoulder at 22 from April (March stays priced by version 1).
    g30_road = roads["G30"]
    add_version(
        db_session,
        plan,
        2,
        4,
        [(3, g30_road, "shoulder", "m2", "25")]
        + [(m, g30_road, "shoulder", "m2", "22") for m in (4, 5)]
        + [(m, None, "pothole", "site", "300") for m in (3, 4, 5)]
        + [(m, None, "shoulder", "m2", "15") for m in (3, 4, 5)],
        manager[0],
    )
    march["a"].area_m2 = 120  # +20 m² at 20 = +400
    march["b"].voided_at = datetime(2026, 4, 2, tzinfo=UTC)  # −50 m², −750
    march["b"].void_reason = "duplicate"
    march["c"].completed_on = date(2026, 4, 3)  # moved: March −3 sites, April counts it
    make_repair("shoulder", "G30", date(2026, 3, 20), area=10)  # late into March: +10, +200
    db_session.flush()

    april = build(client, headers, 4)
    g30, s21 = road_label(roads, "G30"), road_label(roads, "S21")
    assert april["plan_version"] == 2
    assert lines_of(april) == sorted(
        [
            (g30, "shoulder", "m2", 30.0, 22.0, 660.0, "plan_price"),
            (g30, "pothole", "site", 3.0, 300.0, 900.0, "plan_price"),
        ]
    )
    assert lines_of(april, "differences") == sorted(
        [
            (g30, "shoulder", "m2", 30.0, None, 600.0, "difference", 3),
            (s21, "shoulder", "m2", -50.0, None, -750.0, "difference", 3),
            (g30, "pothole", "site", -3.0, None, -900.0, "difference", 3),
        ]
    )
    assert april["total_yuan"] == 660 + 900 + 600 - 750 - 900
    # March stays as confirmed.
    assert client.get(f"{API}/2026/3", headers=headers).get_json()["total_yuan"] == 5450.0
    confirm(client, headers, 4)

    # May: nothing changed since → no differences (carried once, never twice).
    may = build(client, headers, 5)
    assert may["differences"] == [] and may["lines"] == []
    # Edit a again (120 → 110): May carries −10 m² for March, at March's price.
    march["a"].area_m2 = 110
    db_session.flush()
    # Confirming the May draft built before the edit is refused: rebuild first.
    assert confirm(client, headers, 5, status=409)["error"]["code"] == "statement_outdated"
    may = build(client, headers, 5)
    assert lines_of(may, "differences") == [
        (g30, "shoulder", "m2", -10.0, None, -200.0, "difference", 3)
    ]
    confirm(client, headers, 5)
    records = db_session.query(StatementRepair).filter_by(repair_id=march["a"].id).all()
    assert sorted(r.quantity for r in records) == [D("100.00"), D("110.00"), D("120.00")]


def test_bad_months(client, manager):
    headers = manager[1]
    answer = client.post(f"{API}/2026/13/build", headers=headers)
    assert answer.status_code == 422
    answer = client.post(f"{API}/2099/1/build", headers=headers)
    assert answer.status_code == 422 and "month" in answer.get_json()["error"]["fields"]
    assert client.post(f"{API}/2026/2/confirm", headers=headers).status_code == 404
    assert client.get(f"{API}/2026/2", headers=headers).status_code == 404


def test_year_list(client, manager, march):
    headers = manager[1]
    build(client, headers, 3)
    confirm(client, headers, 3)
    build(client, headers, 4)
    body = client.get(f"{API}?year=2026", headers=headers).get_json()
    states = {m["month"]: m["state"] for m in body["months"]}
    assert states[3] == "confirmed" and states[4] == "draft" and states[5] is None
    assert body["months"][2]["total_yuan"] == 5450.0
    assert client.get(f"{API}?year=1999", headers=headers).status_code == 422
