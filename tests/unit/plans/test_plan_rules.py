"""The pure rules of plan lines: units per kind, limits, duplicates, budget (#17)."""

from decimal import Decimal

import pytest

from inspection.plans import plan_rules as rules
from inspection.plans.plan_rules import LineInput


def line(**changes) -> LineInput:
    values = {
        "month": 7,
        "road": "G30",
        "work_kind": "shoulder",
        "unit": "m2",
        "quantity": Decimal("1200.00"),
        "unit_price_yuan": Decimal("35.50"),
    }
    return LineInput(**{**values, **changes})


def fields(problems) -> list[str]:
    return [p.field for p in problems]


def test_a_good_line_has_no_problems():
    assert rules.line_problems(line()) == []


def test_budget_is_given_else_quantity_times_price_rounded_to_fen():
    assert rules.budget_of(line()) == Decimal("42600.00")
    assert rules.budget_of(line(budget_yuan=Decimal("40000.00"))) == Decimal("40000.00")
    odd = line(quantity=Decimal("3.33"), unit_price_yuan=Decimal("0.05"))
    assert rules.budget_of(odd) == Decimal("0.17")  # 0.1665 → 0.17, half up
    assert rules.budget_source(Decimal("3.33"), Decimal("0.05"), Decimal("0.17")) == "computed"
    assert rules.budget_source(Decimal("3.33"), Decimal("0.05"), Decimal("1")) == "given"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"unit": "m"}, "unit"),  # shoulder is measured in m² only
        ({"work_kind": "guardrail", "unit": "m2"}, "unit"),  # guardrail in m only
        ({"unit": "km"}, "unit"),
        ({"work_kind": "bridge"}, "work_kind"),
        ({"quantity": Decimal("-1")}, "quantity"),
        ({"unit_price_yuan": Decimal("-0.01")}, "unit_price_yuan"),
        ({"budget_yuan": Decimal("-5")}, "budget_yuan"),
        ({"month": 0}, "month"),
        ({"month": 13}, "month"),
        ({"quantity": Decimal("100000000.01")}, "quantity"),
        ({"quantity": Decimal("99999999"), "unit_price_yuan": Decimal("999999999")}, "budget_yuan"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_bad_lines_are_named_by_field(changes, field):
    assert field in fields(rules.line_problems(line(**changes)))


def test_units_that_fit_are_accepted():
    assert rules.line_problems(line(work_kind="pothole", unit="site")) == []
    assert rules.line_problems(line(work_kind="marking", unit="m")) == []
    assert rules.line_problems(line(quantity=Decimal(0))) == []


def test_months_before_the_adjustment_cannot_change():
    problems = rules.line_problems(line(month=6), first_month=7)
    assert fields(problems) == ["month"]
    assert problems[0].params == {"month": 6, "first": 7}
    assert rules.line_problems(line(month=7), first_month=7) == []


def test_a_second_line_of_the_same_month_road_and_kind_is_refused():
    lines = [line(), line(road="g30 "), line(road=None), line(road=None), line(month=8)]
    found = rules.lines_problems(lines, numbers=[2, 3, 4, 5, 6])
    assert sorted(found) == [1, 3]
    assert found[1][0].params == {"line": 2}
    assert found[3][0].params == {"line": 4}
