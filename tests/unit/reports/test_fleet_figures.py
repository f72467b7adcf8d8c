"""The fleet figures' rules on small hand-made registers (pure: no database)."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from inspection.fleet.driver_due import Review
from inspection.reports.annual import Period
from inspection.reports.annual.fleet_figures import (
    DriverRecord,
    Fitness,
    StockLine,
    UnitRecord,
    as_of,
    fleet_figures,
    inspection_dues,
    month_ends,
    percent,
)

D = date.fromisoformat
YEAR = Period.for_year(2025)


def unit(number, registered, *changes, kind="truck", inspections=()):
    events = [(D(registered), 0, "fit")]
    events += [(D(day), i + 1, to) for i, (to, day) in enumerate(changes)]
    return UnitRecord(
        id=hash(number) % 1000,
        number=number,
        kind=kind,
        department=None,
        registered_on=D(registered),
        events=tuple(events),
        inspections=tuple((D(d), ok) for d, ok in inspections),
    )


def figures(units=(), drivers=(), stock=(), period=YEAR, today=date(2026, 6, 15), intervals=None):
    return fleet_figures(
        period,
        today=today,
        units=list(units),
        intervals=intervals or {},
        drivers=list(drivers),
        stock=list(stock),
    )


def test_empty_registers_give_no_figures():
    assert figures() is None
    # A unit registered after the period is not in it either.
    assert figures([unit("A", "2026-01-05")]) is None


def test_rate_is_rounded_half_up_and_absent_without_units_in_service():
    assert percent(Fraction(1, 8)) == Decimal("12.5")
    assert percent(Fraction(2, 3)) == Decimal("66.7")
    assert Fitness(0, 0, 0).rate is None
    sealed = figures([unit("A", "2024-01-01", ("sealed", "2025-02-01"))])
    assert sealed.at_end.in_service == 0 and sealed.figures()["fleet_fitness_rate"] is None
    assert sealed.sealed_at_end == 1 and sealed.sealings == 1


def test_the_current_year_is_measured_today_and_only_on_past_month_ends():
    period = Period.for_year(2026)
    assert as_of(period, date(2026, 6, 15)) == date(2026, 6, 15)
    assert [m for m, _ in month_ends(period, date(2026, 6, 15))][-1] == "2026-05"
    ranged = Period(date(2025, 3, 15), date(2025, 5, 10))
    assert month_ends(ranged, date(2026, 1, 1)) == [
        ("2025-03", date(2025, 3, 31)),
        ("2025-04", date(2025, 4, 30)),
        ("2025-05", date(2025, 5, 10)),
    ]


def test_a_unit_counts_from_its_registration_day():
    units = [unit("A", "2024-01-01"), unit("B", "2025-03-10", ("defective", "2025-03-20"))]
    made = figures(units)
    by_month = {m.month: (m.fitness.in_service, m.fitness.fit) for m in made.months}
    assert by_month["2025-02"] == (1, 1)
    assert by_month["2025-03"] == (2, 1)
    # Mean of 10 months at 1/2 and 2 at 1: (2 + 10 / 2) / 12 = 7 / 12 = 58.3 %.
    assert made.average_ratio == Fraction(7, 12)
    assert made.figures()["fleet_fitness_rate_monthly"] == Decimal("58.3")


def test_annual_inspections_answer_their_due_day_in_order():
    truck = unit(
        "A",
        "2024-01-01",
        inspections=[("2024-12-20", True), ("2025-12-01", False), ("2026-01-10", True)],
    )
    # Due 2024-12-31 (2024-01-01 + 365), answered 2024-12-20; next due 2025-12-20, not
    # answered by the end of 2025 (the failed one of 1 December answers nothing).
    dues = inspection_dues(truck, {}, D("2025-01-01"), D("2025-12-31"))
    assert [(d.due_on, d.done_on, d.on_time) for d in dues] == [(D("2025-12-20"), None, False)]
    # The branch's own interval for the kind.
    short = inspection_dues(
        truck, {("truck", "annual_inspection"): 100}, D("2024-01-01"), D("2024-12-31")
    )
    assert [(d.due_on, d.done_on) for d in short] == [(D("2024-04-10"), D("2024-12-20"))]


def test_drivers_reviewed_passed_and_due():
    drivers = [
        DriverRecord(1, "甲", D("2024-01-01"), (Review(D("2025-03-01"), "passed"),)),
        DriverRecord(2, "乙", D("2024-01-01"), ()),  # never reviewed: due, not overdue
        DriverRecord(3, "丙", D("2024-01-01"), (Review(D("2024-02-01"), "passed"),)),
    ]
    made = figures(drivers=drivers)
    assert made.drivers == 3
    assert (made.drivers_reviewed, made.drivers_passed, made.reviews_overdue) == (1, 1, 1)
    assert [(r.name, r.state) for r in made.reviews] == [("丙", "overdue"), ("乙", "never")]


def test_stock_below_minimum():
    stock = [
        StockLine("乙工区", "沙袋", "个", Decimal(5), Decimal(10)),
        StockLine("甲工区", "锥桶", "个", Decimal(10), Decimal(10)),
    ]
    made = figures(stock=stock)
    assert [s.depot for s in made.stock] == ["乙工区", "甲工区"]
    assert made.figures()["stock_below_minimum"] == 1
    assert made.units_registered == 0
