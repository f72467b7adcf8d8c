"""Plan execution computed by hand: rows, amounts, rates, the board and the chart."""

from decimal import Decimal as D

from inspection.plans.execution import (
    BEHIND_POINTS,
    FROM_PLAN_PRICE,
    FROM_STATEMENT,
    MeasuredIn,
    PlanLineIn,
    RepairsIn,
    as_json,
    execution,
    rate,
    through_month,
)
from inspection.plans.execution_chart import charts


def line(month, road, kind, unit, qty, price, budget=None):
    budget = D(qty) * D(price) if budget is None else D(budget)
    return PlanLineIn(month, road, kind, unit, D(qty), D(price), budget)


LINES = [
    # G30 shoulder: 100 m² a month in Jan–Apr at 50 yuan.
    *(line(m, "G30", "shoulder", "m2", 100, 50) for m in (1, 2, 3, 4)),
    # The whole branch's potholes by count: 10 a month in Jan–Apr at 200 yuan.
    *(line(m, None, "pothole", "site", 10, 200) for m in (1, 2, 3, 4)),
    # Own item: marking on S21, 500 m² in March at 30 yuan; guardrail never measured.
    line(3, "S21", "marking", "m2", 500, 30),
    line(2, None, "guardrail", "m", 100, 80),
]
REPAIRS = [
    RepairsIn(1, "G30", "shoulder", D(120), None),
    RepairsIn(2, "G30", "shoulder", D(60), None),
    RepairsIn(3, "S21", "shoulder", D(40), None),  # no S21 shoulder line: a row of its own
    RepairsIn(1, "G30", "pothole", D("3.5"), 4),  # count → the branch's pothole line
    RepairsIn(2, "S21", "pothole", D(2), 6),
    RepairsIn(5, "G30", "pothole", D(1), 2),  # May: after to date (through April)
]
MEASURED = [
    # January confirmed: the statement priced the shoulder at 5,800 and potholes at 760.
    MeasuredIn(1, "G30", "shoulder", "m2", "plan_price", D(120), D(5800)),
    MeasuredIn(1, "G30", "pothole", "site", "plan_price", D(4), D(760)),
    # March confirmed: the marking measured by hand.
    MeasuredIn(3, "S21", "marking", "m2", "manual", D(450), D(13000)),
]


def run(through=4, road=None):
    return execution(2025, 2, LINES, REPAIRS, MEASURED, {1, 3}, through=through, road=road)


def row_of(result, road, kind, unit):
    return next(r for r in result.rows if (r.road, r.kind, r.unit) == (road, kind, unit))


def test_rate_and_through_month():
    assert rate(D(1), D(3)) == D("33.3")
    assert rate(D(2), D(3)) == D("66.7")
    assert rate(D(1), D(0)) is None and rate(None, D(1)) is None
    assert through_month(2024, 2025, 6) == 12
    assert through_month(2025, 2025, 6) == 6
    assert through_month(2026, 2025, 6) == 0


def test_repair_kind_done_and_amounts():
    shoulder = row_of(run(), "G30", "shoulder", "m2")
    assert shoulder.done_to_date == D(180)
    assert shoulder.planned_to_date == D(400)
    assert shoulder.completion == D(45)  # 180 / 400
    # January from the statement (5,800); February 60 × 50 = 3,000.
    assert shoulder.amount[1] == D(5800) and shoulder.source[1] == FROM_STATEMENT
    assert shoulder.amount[2] == D(3000) and shoulder.source[2] == FROM_PLAN_PRICE
    assert shoulder.amount_to_date == D(8800)
    assert shoulder.fund_use == D(44)  # 8,800 / 20,000
    # 45 % of the year's plan planned to date is 100 %: far behind.
    assert shoulder.behind


def test_repairs_without_a_line_of_their_road():
    result = run()
    own = row_of(result, "S21", "shoulder", "m2")  # no line of S21 nor of the branch
    assert own.planned_year == 0 and own.done_to_date == D(40)
    # March is confirmed and its statement has no S21 shoulder line: the amount is the
    # statement's (none), not a price borrowed from G30's line.
    assert own.amount_to_date == 0 and own.source == {3: FROM_STATEMENT}
    unconfirmed = execution(2025, 2, LINES, REPAIRS, [], set(), through=4)
    assert row_of(unconfirmed, "S21", "shoulder", "m2").unpriced
    potholes = row_of(result, None, "pothole", "site")
    assert potholes.done_to_date == D(10)  # 4 + 6; May's 2 are after to date
    assert potholes.done[5] == D(2)
    assert potholes.amount_to_date == D(760 + 6 * 200)
    assert potholes.completion == D(25)  # 10 / 40
    # pothole area has no m² line: a row of its own in the usual unit (m²), per road.
    assert row_of(result, "G30", "pothole", "m2").done_to_date == D("3.5")


def test_own_items_only_from_confirmed_manual_lines():
    result = run()
    marking = row_of(result, "S21", "marking", "m2")
    assert marking.measured and marking.done_to_date == D(450)
    assert marking.amount_to_date == D(13000)
    assert marking.completion == D(90)
    guardrail = row_of(result, None, "guardrail", "m")
    assert not guardrail.measured
    assert guardrail.done_to_date is None and guardrail.completion is None
    assert not guardrail.behind  # not measured is never judged


def test_kind_totals_for_the_year():
    kinds = {(k.kind, k.unit): k for k in run().kinds}
    shoulder = kinds[("shoulder", "m2")]
    assert shoulder.planned_year == D(400)
    assert shoulder.done_to_date == D(220)  # G30 180 + S21 40
    assert shoulder.completion_year == D(55)
    assert shoulder.fund_use_year == D(44)  # 8,800 / 20,000 (S21's row had no price)
    assert kinds[("guardrail", "m")].completion_year is None
    assert kinds[("shoulder", "m2")].sources == {FROM_STATEMENT, FROM_PLAN_PRICE}


def test_behind_threshold():
    assert BEHIND_POINTS == 10
    lines = [line(m, "G30", "slope", "m2", 100, 10) for m in range(1, 11)]  # 1,000 m²

    def slope(done):
        repairs = [RepairsIn(1, "G30", "slope", D(done), None)]
        result = execution(2025, 1, lines, repairs, [], set(), through=2)
        return result.rows[0]

    # Planned to date 20 % of the year: 10 % done is exactly 10 points behind, not flagged.
    assert not slope(100).behind
    assert slope(99).behind
    assert slope(99).lag_points == D("10.1")


def test_road_filter_and_json_and_chart():
    result = run(road="G30")
    assert {r.road for r in result.rows} == {"G30"}
    data = as_json(run(), [1, 2])
    assert data["version"] == 2 and data["through_month"] == 4
    shoulder = next(r for r in data["rows"] if r["road"] == "G30" and r["kind"] == "shoulder")
    assert shoulder["completion"] == 45.0 and shoulder["months"][0]["amount_source"] == "statement"
    assert shoulder["months"][4]["done"] is None  # May is after to date
    assert {"completion", "fund_use", "done", "behind"} <= set(data["definitions"])
    drawn = {(c.kind, c.unit): c for c in charts(run(), "zh_Hans_CN")}
    chart = drawn[("shoulder", "m2")]
    assert len(chart.planned.split()) == 12 and len(chart.done.split()) == 4
    assert chart.labels[0].label == "1月"
    assert not chart.empty
