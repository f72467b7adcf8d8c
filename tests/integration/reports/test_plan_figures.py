"""The report's plan figures over 2025, every number worked out by hand.

The plan (made directly with the models): G30 shoulder 100 m² a month at 50 yuan, adjusted from
July to 150 m² a month at 60 yuan; potholes of the whole branch 10 处 a month at 200 yuan;
marking on S21 600 m² in August at 30 yuan (the branch's own item, measured by hand); guardrail
200 m in September at 80 yuan (never measured). January and August have confirmed statements.
"""

import csv
import html
import io
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from inspection.plans.models import Plan, PlanLine, PlanVersion, Statement, StatementLine
from inspection.reports import annual
from inspection.reports.annual import plan_queries, queries
from tests.conftest import log_in

TODAY = date(2026, 6, 15)

PLAN_ZH = "整修路肩完成年度计划的53.3%，处治坑槽完成年度计划的25%，标线完成年度计划的90%"
PLAN_EN = (
    "shoulder repair reached 53.3% of the year's plan, pothole treatment reached 25% of the"
    " year's plan, road marking reached 90% of the year's plan"
)


def _line(version, month, road, kind, unit, qty, price):
    return PlanLine(
        version_id=version.id,
        month=month,
        road_id=road.id if road else None,
        work_kind=kind,
        unit=unit,
        quantity=D(qty),
        unit_price_yuan=D(price),
        budget_yuan=D(qty) * D(price),
    )


@pytest.fixture
def plan_2025(db_session, roads, build, make_user):
    manager = make_user("manager")
    plan = Plan(year=2025, name="2025年度养护计划", created_by_id=manager.id)
    db_session.add(plan)
    db_session.flush()
    original = PlanVersion(plan_id=plan.id, number=1, kind="original", created_by_id=manager.id)
    july = PlanVersion(
        plan_id=plan.id, number=2, kind="adjustment", from_month=7, created_by_id=manager.id
    )
    db_session.add_all([original, july])
    db_session.flush()
    g30, s21 = roads["G30"], roads["S21"]
    for version in (original, july):
        for month in range(1, 13):
            adjusted = version is july and month >= 7
            qty, price = (150, 60) if adjusted else (100, 50)
            db_session.add(_line(version, month, g30, "shoulder", "m2", qty, price))
            db_session.add(_line(version, month, None, "pothole", "site", 10, 200))
        db_session.add(_line(version, 8, s21, "marking", "m2", 600, 30))
        db_session.add(_line(version, 9, None, "guardrail", "m", 200, 80))

    b = build
    b.repair("G30", "shoulder", "2025-01-15", 120.0)  # was 140 when January was confirmed
    b.repair("G30", "shoulder", "2025-03-10", 200.0)
    b.repair("G30", "shoulder", "2025-07-08", 300.0)
    b.repair("G30", "shoulder", "2025-10-20", 150.0)
    b.repair("G30", "shoulder", "2025-08-01", 400.0, voided=True)  # out
    b.repair("G30", "shoulder", "2026-01-02", 90.0)  # out
    b.repair("S21", "shoulder", "2025-05-05", 30.0)  # no S21 line: done, no plan price
    b.repair("G30", "pothole", "2025-02-11", 5.0, count=8)
    b.repair("G30", "pothole", "2025-06-12", 6.0, count=12)
    b.repair("S21", "pothole", "2025-11-03", 4.0, count=10)

    def confirmed(month, lines):
        statement = Statement(
            year=2025,
            month=month,
            state="confirmed",
            plan_version_id=(original if month < 7 else july).id,
            confirmed_at=datetime(2025, month + 1, 3, tzinfo=UTC),
            confirmed_by_id=manager.id,
        )
        db_session.add(statement)
        db_session.flush()
        for road, kind, unit, qty, amount, source in lines:
            db_session.add(
                StatementLine(
                    statement_id=statement.id,
                    road_id=road.id,
                    work_kind=kind,
                    unit=unit,
                    quantity=D(qty),
                    unit_price_yuan=None,
                    amount_yuan=D(amount),
                    amount_source=source,
                )
            )
        return statement

    confirmed(1, [(g30, "shoulder", "m2", 140, 7000, "plan_price")])
    confirmed(
        8,
        [
            (s21, "marking", "m2", 540, 16200, "manual"),
            # The January repair edited from 140 to 120 m² after January was frozen.
            (g30, "shoulder", "m2", -20, -1000, "difference"),
        ],
    )
    db_session.flush()
    return plan


def report(db_session, **params):
    asked = annual.parse_request({k: str(v) for k, v in params.items()}, today=TODAY)
    built = queries.annual_report(db_session, asked, timezone="Asia/Shanghai")
    return plan_queries.with_plan(db_session, built)


def test_completion_and_fund_use_by_hand(db_session, plan_2025):
    plan = report(db_session, year=2025).plan
    assert plan.version == 2  # the newest: the July adjustment
    kinds = {(k.kind, k.unit): k for k in plan.kinds}
    shoulder = kinds[("shoulder", "m2")]
    # Planned 6 × 100 + 6 × 150 = 1,500 m²; done 120 + 200 + 300 + 150 (G30) + 30 (S21) = 800.
    assert (shoulder.planned, shoulder.done) == (D(1500), D(800))
    assert shoulder.completion == D("53.3")
    # Budget 6 × 5,000 + 6 × 9,000 = 84,000. Amounts: January's statement 7,000; March
    # 200 × 50 = 10,000; July 300 × 60 = 18,000; August's statement −1,000 (the difference);
    # October 150 × 60 = 9,000; S21's 30 m² has no plan price → 43,000.
    assert (shoulder.budget, shoulder.amount) == (D(84000), D(43000))
    assert shoulder.fund_use == D("51.2")
    assert shoulder.sources == ("plan_price", "statement")
    potholes = kinds[("pothole", "site")]
    # 8 + 12 + 10 = 30 of 120 处; 30 × 200 = 6,000 of 24,000 yuan.
    assert (potholes.done, potholes.completion) == (D(30), D(25))
    assert (potholes.amount, potholes.fund_use) == (D(6000), D(25))
    marking = kinds[("marking", "m2")]
    assert (marking.done, marking.completion, marking.amount, marking.fund_use) == (
        D(540),
        D(90),
        D(16200),
        D(90),
    )
    guardrail = kinds[("guardrail", "m")]
    assert guardrail.done is None and guardrail.completion is None
    # Pothole area was not planned: shown as done without a plan, never in the sentence.
    assert kinds[("pothole", "m2")].planned == 0 and kinds[("pothole", "m2")].done == D(15)


def test_the_maintenance_sentence(db_session, plan_2025):
    built = report(db_session, year=2025)
    assert built.paragraphs_zh["maintenance"].endswith("；" + PLAN_ZH + "。")
    assert built.paragraphs_en["maintenance"].endswith("; " + PLAN_EN + ".")
    assert built.paragraphs_zh["maintenance"].startswith("全年完成整修路肩")


def test_no_plan_no_sentence(db_session, plan_2025, build):
    build.repair("G30", "shoulder", "2024-05-05", 50.0)
    db_session.flush()
    for built in (
        report(db_session, year=2024),  # a year without a plan
        report(db_session, year=2025, month=3),  # not a whole year
        report(db_session, year=2025, road="G30"),  # one road
    ):
        assert built.plan is None
        assert "年度计划" not in built.paragraphs_zh["maintenance"]
        assert "plan" not in built.paragraphs_en["maintenance"]
        assert "plan" not in [t.key for t in annual.tables(built, "zh")]
        assert annual.as_json(built)["plan"] is None


@pytest.fixture
def manager(client, make_user):
    user = make_user("manager")
    log_in(client, user)
    return user


def test_api_page_and_exports(client, manager, plan_2025, db_session):
    # A kind's name a spreadsheet would run is impossible (names come from code); the road
    # code in the report's other tables is the user's text and stays formula-safe there.
    body = client.get("/api/v1/reports/annual?year=2025").get_json()
    kinds = {(k["kind"], k["unit"]): k for k in body["plan"]["kinds"]}
    assert kinds[("shoulder", "m2")]["completion"] == 53.3
    assert kinds[("shoulder", "m2")]["fund_use"] == 51.2
    assert kinds[("guardrail", "m")]["done"] is None
    assert body["definitions"]["plan_completion"]["zh"].startswith("计划完成率")
    assert body["paragraphs"]["maintenance"]["zh"].endswith(PLAN_ZH + "。")

    page = html.unescape(client.get("/reports/annual?year=2025").get_data(as_text=True))
    assert PLAN_EN in page and PLAN_ZH in page
    assert "Maintenance plan" in page and "Plan completion (%)" in page

    book = load_workbook(io.BytesIO(client.get("/reports/annual.xlsx?year=2025").data))
    sheet = book["Maintenance plan"]
    rows = {(r[0], r[1]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[("Shoulder repair", "m²")][2:8] == (1500, 800, 53.3, 84000, 43000, 51.2)
    assert rows[("Guardrail", "m")][3] is None and rows[("Guardrail", "m")][8] == "not measured"
    about = dict(r[:2] for r in book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Fund use (%)"].startswith("Fund use = amount done")

    answer = client.get("/reports/annual.csv?year=2025&table=plan")
    lines = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert lines[0][:5] == ["Kind of work", "Unit", "Planned (year)", "Done", "Plan completion (%)"]
    assert lines[1][:5] == ["Shoulder repair", "m²", "1500.0", "800.0", "53.3"]
