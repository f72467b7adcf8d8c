"""Plans through the API (#17): create, adjust in July, read either version, refuse bad input."""

import pytest
from sqlalchemy import func, select

from inspection.plans.models import Plan, PlanLine, PlanVersion


def saved(db_session) -> tuple[int, int, int]:
    return tuple(
        db_session.scalar(select(func.count(model.id))) for model in (Plan, PlanVersion, PlanLine)
    )


def line(month, road="G30", kind="shoulder", unit="m2", quantity=100, price=35.5, **extra):
    return {
        "month": month,
        "road": road,
        "work_kind": kind,
        "unit": unit,
        "quantity": quantity,
        "unit_price_yuan": price,
        **extra,
    }


YEAR_LINES = [line(m) for m in range(1, 13)] + [
    line(m, road=None, kind="guardrail", unit="m", quantity=50, price=200, budget_yuan=9000)
    for m in (3, 9)
]


@pytest.fixture
def manager(crew, roads):
    return crew("manager")[1]


@pytest.fixture
def planned(client, manager):
    body = {"year": 2026, "name": "2026年度日常养护计划", "lines": YEAR_LINES}
    answer = client.post("/api/v1/plans", json=body, headers=manager)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_a_plan_is_created_with_its_original_version(planned):
    assert planned["version"]["number"] == 1
    assert planned["version"]["kind"] == "original"
    assert len(planned["lines"]) == 14
    first = planned["lines"][0]
    assert first["road"]["code"] == "G30"
    assert first["quantity"] == "100.00"
    assert first["budget_yuan"] == "3550.00"  # 100 × 35.50
    assert first["budget_source"] == "computed"
    rail = [x for x in planned["lines"] if x["work_kind"] == "guardrail"]
    assert rail[0]["road"] is None and rail[0]["budget_yuan"] == "9000.00"
    assert rail[0]["budget_source"] == "given"
    assert planned["version"]["budget_yuan"] == "60600.00"  # 12 × 3550 + 2 × 9000


def test_an_adjustment_in_july_keeps_january_to_june(client, manager, planned, db_session):
    body = {
        "from_month": 7,
        "note": "汛期调整",
        "lines": [line(m, quantity=200) for m in range(7, 13)] + [line(8, road="S21")],
    }
    answer = client.post("/api/v1/plans/2026/adjustments", json=body, headers=manager)
    assert answer.status_code == 201, answer.get_json()
    adjusted = answer.get_json()
    assert adjusted["version"] == {**adjusted["version"], "number": 2, "from_month": 7}
    assert [v["number"] for v in adjusted["versions"]] == [1, 2]
    by_month = {(x["month"], x["road"] and x["road"]["code"], x["work_kind"]): x for x in
                adjusted["lines"]}  # fmt: skip
    assert {m for m, _r, _k in by_month} == set(range(1, 13))
    assert by_month[(3, None, "guardrail")]["budget_yuan"] == "9000.00"  # kept (before July)
    assert (9, None, "guardrail") not in by_month  # replaced: not in the new lines
    assert by_month[(6, "G30", "shoulder")]["quantity"] == "100.00"
    assert by_month[(7, "G30", "shoulder")]["quantity"] == "200.00"
    assert (8, "S21", "shoulder") in by_month

    # Either version can be read; the newest by default.
    newest = client.get("/api/v1/plans/2026", headers=manager).get_json()
    assert newest["version"]["number"] == 2
    original = client.get("/api/v1/plans/2026?version=1", headers=manager).get_json()
    assert original["version"]["number"] == 1 and len(original["lines"]) == 14
    july = client.get("/api/v1/plans/2026?version=1&month=7", headers=manager).get_json()
    assert [x["quantity"] for x in july["lines"]] == ["100.00"]
    branch = client.get("/api/v1/plans/2026?road=-", headers=manager).get_json()
    assert [x["month"] for x in branch["lines"]] == [3]
    s21 = client.get("/api/v1/plans/2026?road=S21&work_kind=shoulder", headers=manager)
    assert [x["month"] for x in s21.get_json()["lines"]] == [8]
    listed = client.get("/api/v1/plans", headers=manager).get_json()["plans"]
    assert [(p["year"], len(p["versions"])) for p in listed] == [(2026, 2)]
    assert client.get("/api/v1/plans/2026?version=3", headers=manager).status_code == 404
    assert client.get("/api/v1/plans/2025", headers=manager).status_code == 404
    assert client.get("/api/v1/plans/49864", headers=manager).status_code == 404


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (line(7, unit="m"), "lines.1.unit"),  # shoulder is measured in m²
        (line(7, kind="guardrail", unit="m2"), "lines.1.unit"),
        (line(7, quantity=-1), "lines.1.quantity"),
        (line(7, price=-3), "lines.1.unit_price_yuan"),
        (line(7, budget_yuan=-3), "lines.1.budget_yuan"),
        (line(13), "lines.1.month"),
        (line(0), "lines.1.month"),
        (line(7, road="G999"), "lines.1.road"),
        (line(1), "lines.1.work_kind"),  # the same month, road and kind as line 0
        (line(7, kind="bridge"), "lines.1.work_kind"),
        (line(7, quantity="many"), "lines.1.quantity"),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_saved(client, manager, db_session, bad, field):
    before = saved(db_session)
    body = {"year": 2026, "name": "计划", "lines": [line(1), bad]}
    answer = client.post("/api/v1/plans", json=body, headers=manager)
    assert answer.status_code == 422
    assert field in answer.get_json()["error"]["fields"]
    assert saved(db_session) == before


def test_bad_plans_and_adjustments_are_refused(client, manager, planned, db_session):
    before = saved(db_session)
    again = client.post(
        "/api/v1/plans", json={"year": 2026, "name": "x", "lines": [line(1)]}, headers=manager
    )
    assert again.status_code == 422 and "year" in again.get_json()["error"]["fields"]
    for body, field in (
        ({"from_month": 7, "lines": [line(6)]}, "lines.0.month"),  # before from_month
        ({"from_month": 7, "lines": [line(7), line(8, unit="t")]}, "lines.1.unit"),
        ({"from_month": 13, "lines": [line(7)]}, "from_month"),
        ({"lines": [line(7)]}, "from_month"),
        ({"from_month": 7, "lines": []}, "lines"),
    ):
        answer = client.post("/api/v1/plans/2026/adjustments", json=body, headers=manager)
        assert answer.status_code == 422, body
        assert field in answer.get_json()["error"]["fields"], answer.get_json()
    missing = client.post(
        "/api/v1/plans/2031/adjustments", json={"from_month": 7, "lines": [line(7)]},
        headers=manager,
    )  # fmt: skip
    assert missing.status_code == 404
    for body in ({"year": 1999, "name": "x", "lines": [line(1)]}, {"year": 2027, "lines": []}):
        assert client.post("/api/v1/plans", json=body, headers=manager).status_code == 422
    assert saved(db_session) == before


def test_readers_read_and_only_managers_change(client, crew, planned):
    _, reader = crew("machinery")
    assert client.get("/api/v1/plans/2026", headers=reader).status_code == 200
    body = {"from_month": 7, "lines": [line(7)]}
    assert (
        client.post("/api/v1/plans/2026/adjustments", json=body, headers=reader).status_code == 403
    )
