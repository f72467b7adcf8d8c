"""When a unit's maintenance, annual inspection (年检) and insurance fall due (pure, #15).

Next due for a unit and a recurring service kind = the day of the last event of that kind
(for the annual inspection: the last one it PASSED) + the kind's interval for the unit's kind,
or the day the unit entered the register + the interval when there is none. Sealed and
scrapped units are not due: they do not run. No Flask, no database: dates and codes in and out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from inspection.fleet.kinds import (
    RECURRING,
    ServiceKind,
    VehicleKind,
    VehicleStatus,
    default_interval_days,
)

# The board shows what falls due within this many days (and everything overdue).
DUE_WINDOW_DAYS = 30
# Units that run, and so fall due: not sealed, not scrapped.
NOT_DUE = frozenset({VehicleStatus.sealed, VehicleStatus.scrapped})

OVERDUE = "overdue"
DUE_SOON = "due_soon"
LATER = "later"


@dataclass(frozen=True)
class DueDate:
    """When one recurring service of a unit falls due, and from what."""

    service_kind: str
    due_on: date
    last_on: date | None  # the event it counts from (None: from the day of registration)
    interval_days: int

    def days_left(self, today: date) -> int:
        """Days from today to the due day (negative: overdue by that many days)."""
        return (self.due_on - today).days

    def urgency(self, today: date, window: int = DUE_WINDOW_DAYS) -> str:
        return urgency(self.due_on, today, window)


def next_due(last_on: date | None, registered_on: date, interval_days: int) -> date:
    """Return the day a service falls due: the last one + the interval, else registration + it."""
    return (last_on or registered_on) + timedelta(days=interval_days)


def urgency(due_on: date, today: date, window: int = DUE_WINDOW_DAYS) -> str:
    """Say whether a due day is past (overdue), within `window` days (due_soon) or later."""
    if due_on < today:
        return OVERDUE
    if due_on <= today + timedelta(days=window):
        return DUE_SOON
    return LATER


def is_due_counted(status: str) -> bool:
    """Tell whether a unit in this status falls due at all (sealed and scrapped do not)."""
    return status not in NOT_DUE


def last_events(events: Iterable[tuple[str, date, bool | None]]) -> dict[str, date]:
    """Return the day of each kind's last event from (kind, on_date, passed) tuples.

    A failed annual inspection does not count: the unit is due again until it passes.
    """
    last: dict[str, date] = {}
    for kind, on_date, passed in events:
        if kind == ServiceKind.annual_inspection and passed is not True:
            continue
        if kind not in last or on_date > last[kind]:
            last[kind] = on_date
    return last


def interval_of(intervals: Mapping[tuple[str, str], int], kind: str, service: str) -> int:
    """Return the days between two `service` events of a unit of `kind` (the default if unset)."""
    days = intervals.get((kind, service))
    return (
        days if days is not None else default_interval_days(VehicleKind(kind), ServiceKind(service))
    )


def due_dates(
    *,
    kind: str,
    registered_on: date,
    last_on: Mapping[str, date],
    intervals: Mapping[tuple[str, str], int],
) -> list[DueDate]:
    """Return a unit's next due day per recurring kind (maintenance, 年检, insurance)."""
    dates = []
    for service in RECURRING:
        days = interval_of(intervals, kind, service)
        last = last_on.get(service)
        dates.append(DueDate(service.value, next_due(last, registered_on, days), last, days))
    return dates


@dataclass(frozen=True)
class BoardLine:
    """One unit's one service on the board."""

    unit: Any  # whatever the caller keys units by (a Vehicle, an id…)
    due: DueDate
    days_left: int


@dataclass(frozen=True)
class Board:
    overdue: list[BoardLine]  # most overdue first
    due_soon: list[BoardLine]  # soonest first


def board(
    units: Iterable[tuple[Any, str, list[DueDate]]],
    today: date,
    window: int = DUE_WINDOW_DAYS,
) -> Board:
    """Sort (unit, status, due dates) into overdue and due within `window` days.

    Sealed and scrapped units are left out: they are not due.
    """
    overdue: list[BoardLine] = []
    soon: list[BoardLine] = []
    for unit, status, dates in units:
        if not is_due_counted(status):
            continue
        for due in dates:
            state = due.urgency(today, window)
            if state == OVERDUE:
                overdue.append(BoardLine(unit, due, due.days_left(today)))
            elif state == DUE_SOON:
                soon.append(BoardLine(unit, due, due.days_left(today)))
    key = lambda line: (line.due.due_on, line.due.service_kind)  # noqa: E731
    return Board(sorted(overdue, key=key), sorted(soon, key=key))
