"""The report's fleet and emergency figures (机务与应急), computed from the registers: pure.

The records come in as plain values (:mod:`.fleet_queries` reads them); the figures come out,
named once in :mod:`.fleet_metrics` (as the report's own figures are in :mod:`.metrics`).

Decisions (stated in ``fleet_metrics.FLEET_DEFINITIONS``, which the tables, the API and the
exports carry):

* **As of.** The figures "at the period end" are taken at the end of the period's last day, or
  of today when the period has not ended yet (the report's own ``as_of``).
* **机械车辆完好率** at a day = units fit ÷ units in service (fit + defective + under repair) at
  the end of that day × 100 %; sealed and scrapped units are out of both, and a unit counts from
  the day it entered the register. A unit's status on a day is read from its status events
  (:func:`inspection.fleet.status.status_on`). By kind and by department as well. No unit in
  service: "—".
* **Monthly average.** Each month of the period is measured on its last day (the period's last
  day for a month the period ends in); months measured after the as-of day are left out, as are
  months with no unit in service. The average is the mean of those months' exact ratios.
* **Sealed.** Units sealed at the as-of day; sealings = status changes to sealed dated in the
  period (up to the as-of day).
* **Annual inspections (年检) on time.** A unit's annual inspection falls due its kind's interval
  (the branch's table ``vehicle_service_intervals``) after the last one it passed, or after the
  day it entered the register (the fleet's due rules, :mod:`inspection.fleet.due`). Each due day
  is answered by the first passed inspection after the previous one. Due in the period = due
  days falling in the period up to the as-of day, of units in service on that day; on time = of
  those, the ones answered on or before the due day. A failed inspection answers nothing.
* **Drivers.** Reviewed = active drivers with a review (年审) dated in the period; passed = those
  whose last review in the period was passed (N名驾驶员通过年审). Overdue at the as-of day =
  active drivers whose last review was passed more than a year before it (the drivers' due rules,
  :mod:`inspection.fleet.driver_due`); never reviewed and not passed are counted apart.
* **Emergency stock** per depot and item at the as-of day = the signed sum of its movements
  dated up to that day (received and returned add, issued and written off take away), against
  the stock's minimum as set now; below minimum = stock < minimum.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from inspection.fleet import driver_due
from inspection.fleet.due import interval_of, next_due
from inspection.fleet.kinds import IN_SERVICE, ServiceKind, VehicleKind, VehicleStatus
from inspection.fleet.status import status_on
from inspection.reports.annual.metrics import Number, rounded
from inspection.reports.annual.request import Period

# --------------------------------------------------------------------------- records in


@dataclass(frozen=True)
class UnitRecord:
    """A unit of the register with its status events (on_date, id, to_status) and its passed
    or failed annual inspections (on_date, passed)."""

    id: int
    number: str
    kind: str
    department: str | None
    registered_on: date
    events: tuple[tuple[date, int, str], ...]
    inspections: tuple[tuple[date, bool | None], ...] = ()


@dataclass(frozen=True)
class DriverRecord:
    id: int
    name: str
    registered_on: date
    reviews: tuple[driver_due.Review, ...] = ()


@dataclass(frozen=True)
class StockLine:
    """One item's stock at one depot at the as-of day, and its movements in the period."""

    depot: str
    item: str
    unit: str
    quantity: Decimal
    minimum: Decimal
    received: Decimal = Decimal(0)
    issued: Decimal = Decimal(0)

    @property
    def below_minimum(self) -> bool:
        return self.quantity < self.minimum


# --------------------------------------------------------------------------- figures out


@dataclass(frozen=True)
class Fitness:
    """Units in service on a day, fit and not."""

    fit: int = 0
    defective: int = 0
    under_repair: int = 0

    @property
    def in_service(self) -> int:
        return self.fit + self.defective + self.under_repair

    @property
    def ratio(self) -> Fraction | None:
        return Fraction(self.fit, self.in_service) if self.in_service else None

    @property
    def rate(self) -> Number | None:
        return percent(self.ratio)


@dataclass(frozen=True)
class MonthFitness:
    month: str  # YYYY-MM
    on: date  # the day it was measured
    fitness: Fitness


@dataclass(frozen=True)
class InspectionDue:
    """An annual inspection that fell due in the period, and when it was done."""

    number: str
    kind: str
    due_on: date
    done_on: date | None

    @property
    def on_time(self) -> bool:
        return self.done_on is not None and self.done_on <= self.due_on


@dataclass(frozen=True)
class ReviewLine:
    """A driver whose review is overdue (or never recorded, or not passed) at the as-of day."""

    name: str
    state: str
    due_on: date
    last_on: date | None


@dataclass(frozen=True)
class FleetFigures:
    """Everything the report says about the fleet, the drivers and the emergency stock."""

    as_of: date
    units_registered: int
    at_end: Fitness
    by_kind: tuple[tuple[str, Fitness], ...]
    by_department: tuple[tuple[str | None, Fitness], ...]
    months: tuple[MonthFitness, ...]
    sealed_at_end: int
    sealings: int
    inspections_due: tuple[InspectionDue, ...]
    drivers: int
    drivers_reviewed: int
    drivers_passed: int
    reviews: tuple[ReviewLine, ...]
    stock: tuple[StockLine, ...]

    @property
    def average_ratio(self) -> Fraction | None:
        ratios = [m.fitness.ratio for m in self.months if m.fitness.ratio is not None]
        return sum(ratios, Fraction(0)) / len(ratios) if ratios else None

    @property
    def reviews_overdue(self) -> int:
        return sum(1 for r in self.reviews if r.state == driver_due.OVERDUE)

    def figures(self) -> dict[str, Number | None]:
        """Return the figures of ``fleet_metrics.FLEET_METRICS``, rounded as the report says."""
        due = len(self.inspections_due)
        on_time = sum(1 for d in self.inspections_due if d.on_time)
        return {
            "fleet_fitness_rate": self.at_end.rate,
            "fleet_fitness_rate_monthly": percent(self.average_ratio),
            "fleet_units_in_service": self.at_end.in_service,
            "fleet_units_fit": self.at_end.fit,
            "fleet_units_defective": self.at_end.defective,
            "fleet_units_under_repair": self.at_end.under_repair,
            "fleet_units_sealed": self.sealed_at_end,
            "fleet_sealings": self.sealings,
            "fleet_inspections_due": due,
            "fleet_inspections_on_time": on_time,
            "fleet_inspections_on_time_rate": percent(Fraction(on_time, due) if due else None),
            "drivers": self.drivers,
            "drivers_reviewed": self.drivers_reviewed,
            "drivers_passed": self.drivers_passed,
            "drivers_review_overdue": self.reviews_overdue,
            "drivers_review_never": sum(1 for r in self.reviews if r.state == driver_due.NEVER),
            "drivers_review_failed": sum(1 for r in self.reviews if r.state == driver_due.FAILED),
            "stock_lines": len(self.stock),
            "stock_below_minimum": sum(1 for s in self.stock if s.below_minimum),
        }


def percent(ratio: Fraction | None) -> Number | None:
    """Return a ratio as a percentage rounded half up to 0.1 (None stays None)."""
    if ratio is None:
        return None
    return rounded(Decimal(ratio.numerator * 100) / Decimal(ratio.denominator), 1)


# --------------------------------------------------------------------------- computing


def as_of(period: Period, today: date) -> date:
    """Return the day "at the period end" means: its last day, or today when that is earlier."""
    return min(period.end, today)


def month_ends(period: Period, until: date) -> list[tuple[str, date]]:
    """Return each month of the period with the day it is measured on, up to `until`."""
    days = []
    for key in period.months():
        year, month = int(key[:4]), int(key[5:])
        day = min(date(year, month, calendar.monthrange(year, month)[1]), period.end)
        if day <= until:
            days.append((key, day))
    return days


def fitness_on(units: Iterable[UnitRecord], day: date) -> Fitness:
    """Count the units fit, defective and under repair at the end of `day`."""
    counts = {VehicleStatus.fit: 0, VehicleStatus.defective: 0, VehicleStatus.under_repair: 0}
    for unit in units:
        state = unit_status(unit, day)
        if state in IN_SERVICE:
            counts[VehicleStatus(state)] += 1
    return Fitness(
        counts[VehicleStatus.fit],
        counts[VehicleStatus.defective],
        counts[VehicleStatus.under_repair],
    )


def unit_status(unit: UnitRecord, day: date) -> str | None:
    """Return a unit's status at the end of `day` (None before it entered the register)."""
    if unit.registered_on > day:
        return None
    return status_on(list(unit.events), day)


def inspection_dues(
    unit: UnitRecord, intervals: Mapping[tuple[str, str], int], start: date, until: date
) -> list[InspectionDue]:
    """Return the unit's annual inspections due from `start` to `until`, each with the day the
    passed inspection that answered it was done (None: not answered by `until`)."""
    days = interval_of(intervals, unit.kind, ServiceKind.annual_inspection)
    passed = sorted(d for d, ok in unit.inspections if ok is True and d <= until)
    dues: list[InspectionDue] = []
    last: date | None = None
    answers = iter(passed)
    while True:
        due_on = next_due(last, unit.registered_on, days)
        if due_on > until:
            break
        done = next(answers, None)
        if due_on >= start and unit_status(unit, due_on) in IN_SERVICE:
            dues.append(InspectionDue(unit.number, unit.kind, due_on, done))
        if done is None:
            break
        last = done
    return dues


def driver_reviews(
    drivers: Iterable[DriverRecord], start: date, until: date
) -> tuple[int, int, list[ReviewLine]]:
    """Return drivers reviewed in the period, those whose last review in it passed, and the
    drivers whose review is overdue, never recorded or not passed at `until`."""
    reviewed = passed = 0
    lines = []
    for driver in drivers:
        known = [r for r in driver.reviews if r.reviewed_on <= until]
        within = [r for r in known if r.reviewed_on >= start]
        if within:
            reviewed += 1
            last = driver_due.last_review(within)
            passed += last is not None and last.result == "passed"
        due = driver_due.review_due(known, driver.registered_on, until)
        if due.state in (driver_due.OVERDUE, driver_due.NEVER, driver_due.FAILED):
            lines.append(ReviewLine(driver.name, due.state, due.due_on, due.last_on))
    order = {driver_due.OVERDUE: 0, driver_due.FAILED: 1, driver_due.NEVER: 2}
    lines.sort(key=lambda line: (order[line.state], line.due_on, line.name))
    return reviewed, passed, lines


def _by(units: Sequence[UnitRecord], key, day: date, order) -> list[tuple]:
    groups: dict = {}
    for unit in units:
        if unit_status(unit, day) is not None:
            groups.setdefault(key(unit), []).append(unit)
    return [(name, fitness_on(groups[name], day)) for name in sorted(groups, key=order)]


def fleet_figures(
    period: Period,
    *,
    today: date,
    units: Sequence[UnitRecord],
    intervals: Mapping[tuple[str, str], int],
    drivers: Sequence[DriverRecord],
    stock: Sequence[StockLine],
) -> FleetFigures | None:
    """Return the period's fleet figures; None when the registers hold nothing by then."""
    end = as_of(period, today)
    units = [u for u in units if u.registered_on <= end]
    drivers = [d for d in drivers if d.registered_on <= end]
    if not units and not drivers and not stock:
        return None
    kinds = list(VehicleKind)
    sealings = sum(
        1
        for unit in units
        for on_date, _id, to_status in unit.events
        if to_status == VehicleStatus.sealed and period.start <= on_date <= end
    )
    reviewed, passed, reviews = driver_reviews(drivers, period.start, end)
    return FleetFigures(
        as_of=end,
        units_registered=len(units),
        at_end=fitness_on(units, end),
        by_kind=tuple(
            _by(units, lambda u: u.kind, end, lambda k: kinds.index(k) if k in kinds else 99)
        ),
        by_department=tuple(
            _by(units, lambda u: u.department, end, lambda d: (d is None, d or ""))
        ),
        months=tuple(
            MonthFitness(key, day, fitness_on(units, day)) for key, day in month_ends(period, end)
        ),
        sealed_at_end=sum(1 for u in units if unit_status(u, end) == VehicleStatus.sealed),
        sealings=sealings,
        inspections_due=tuple(
            sorted(
                (d for u in units for d in inspection_dues(u, intervals, period.start, end)),
                key=lambda d: (d.due_on, d.number),
            )
        ),
        drivers=len(drivers),
        drivers_reviewed=reviewed,
        drivers_passed=passed,
        reviews=tuple(reviews),
        stock=tuple(sorted(stock, key=lambda s: (s.depot, s.item))),
    )
