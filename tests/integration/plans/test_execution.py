"""The plan execution page and API against the database: versions, roads, statements."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from shapely.geometry import Point

from inspection.geo import to_db
from inspection.plans.models import Plan, PlanLine, PlanVersion, Statement, StatementLine
from inspection.repairs.models import Repair
from tests.conftest import log_in

TODAY = date(2025, 4, 10)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    from inspection.api import plan_execution
    from inspection.plans import execution_views

    monkeypatch.setattr(execution_views, "branch_today", lambda: TODAY)
    monkeypatch.setattr(plan_execution, "branch_today", lambda: TODAY)


@pytest.fixture
def plan_year(db_session, roads, make_user):
    """2025: the original plan and an adjustment from March; repairs; January confirmed."""
    manager = make_user("manager")
    plan = Plan(year=2025, name="2025年养护计划", created_by_id=manager.id)
    db_session.add(plan)
    db_session.flush()
    v1 = PlanVersion(plan_id=plan.id, number=1, kind="original", created_by_id=manager.id)
    v2 = PlanVersion(
        plan_id=plan.id, number=2, kind="adjustment", from_month=3, created_by_id=manager.id
    )
    db_session.add_all([v1, v2])
    db_session.flush()
    g30 = roads["G30"]
    for version, march in ((v1, 100), (v2, 300)):
        for month, qty in ((1, 100), (2, 100), (3, march), (4, march)):
            db_session.add(
                PlanLine(
                    version_id=version.id,
                    month=month,
                    road_id=g30.id,
                    work_kind="shoulder",
                    unit="m2",
                    quantity=D(qty),
                    unit_price_yuan=D(50),
                    budget_yuan=D(qty * 50),
                )
            )
    for done_on, area, voided in (
        ("2025-01-20", 150, False),
        ("2025-03-05", 90, False),
        ("2025-03-06", 500, True),
    ):
        db_session.add(
            Repair(
                client_uuid=uuid.uuid4(),
                kind="shoulder",
                road_id=g30.id,
                direction="up",
                chainage=3_504_000.0,
                geom=to_db(Point(87.7, 43.9)),
                geometry_version=g30.geometry_version,
                completed_on=date.fromisoformat(done_on),
                area_m2=area,
                created_by_id=manager.id,
                voided_at=datetime(2025, 3, 7, tzinfo=UTC) if voided else None,
                void_reason="重复录入" if voided else "",
            )
        )
    statement = Statement(
        year=2025,
        month=1,
        state="confirmed",
        plan_version_id=v1.id,
        confirmed_at=datetime(2025, 2, 3, tzinfo=UTC),
        confirmed_by_id=manager.id,
    )
    db_session.add(statement)
    db_session.flush()
    db_session.add(
        StatementLine(
            statement_id=statement.id,
            road_id=g30.id,
            work_kind="shoulder",
            unit="m2",
            quantity=D(150),
            unit_price_yuan=D(50),
            amount_yuan=D(7000),  # the repairs' own cost
            amount_source="repair_cost",
        )
    )
    db_session.flush()
    return manager


def test_api_newest_and_original_version(client, plan_year):
    log_in(client, plan_year)
    newest = client.get("/api/v1/plans/2025/execution").get_json()
    assert newest["version"] == 2 and newest["versions"] == [1, 2]
    assert newest["through_month"] == 4 and newest["confirmed_months"] == [1]
    (row,) = newest["rows"]
    # Done 150 + 90 (the voided 500 left out); planned to date 100+100+300+300 = 800.
    assert row["done_to_date"] == 240.0 and row["planned_to_date"] == 800.0
    assert row["completion"] == 30.0
    # January from the statement (7,000), March 90 × 50 = 4,500; budget 40,000.
    assert row["amount_to_date"] == 11500.0 and row["fund_use"] == 28.8
    assert row["behind"] is True and newest["behind"] == [
        {"road": "G30", "kind": "shoulder", "unit": "m2"}
    ]
    original = client.get("/api/v1/plans/2025/execution?version=1").get_json()
    (row,) = original["rows"]
    assert row["planned_to_date"] == 400.0 and row["completion"] == 60.0
    assert row["fund_use"] == 57.5  # 11,500 / 20,000
    assert original["kinds"][0]["completion_year"] == 60.0


def test_api_errors(client, plan_year):
    log_in(client, plan_year)
    assert client.get("/api/v1/plans/2025/execution?version=9").status_code == 404
    assert client.get("/api/v1/plans/2024/execution").status_code == 404
    assert client.get("/api/v1/plans/99999999999999999999/execution").status_code == 404
    assert client.get("/api/v1/plans/2025/execution?version=0").status_code == 422
    assert client.get("/api/v1/plans/2025/execution?road=" + "G" * 40).status_code == 422
    answer = client.get("/api/v1/plans/2025/execution?version=x")
    assert answer.status_code == 422 and "version" in answer.get_json()["error"]["fields"]
    answer = client.get("/api/v1/plans/2025/execution?road=S21").get_json()
    assert answer["rows"] == [] and answer["road"] == "S21"


def test_page(client, plan_year, english):
    log_in(client, plan_year)
    page = client.get("/plans/2025/execution").get_data(as_text=True)
    assert "Plan completion = quantity done" in page
    assert 'id="behind"' in page and "polyline" in page
    assert "30%" in page and "28.8%" in page
    page = client.get("/plans/2025/execution?version=1&road=G30").get_data(as_text=True)
    assert "60%" in page
    none = client.get("/plans/2024/execution")
    assert none.status_code == 200 and 'id="no-plan"' in none.get_data(as_text=True)
    assert client.get("/plans/2025/execution?version=7").status_code == 404


def test_page_in_chinese(client, plan_year):
    log_in(client, plan_year)
    page = client.get("/plans/2025/execution?road=G30").get_data(as_text=True)
    assert "计划完成率 = 完成数量 ÷ 计划数量" in page and "整修路肩" in page
    assert "1月" in page  # the chart's month labels
