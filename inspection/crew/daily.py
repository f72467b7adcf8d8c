"""The safety officer's day (#16): which crews and drivers were briefed and checked, which failed,
and which patrols set off without a pre-trip check.

Read-only. The day is the branch's (the caller passes it with the zone). A patrol counts as
checked when every register entry it names (its vehicle, its driver) had a non-voided pre-trip
check that day; a patrol naming neither cannot be matched and is shown as such. No check does
not block a patrol (only a failed one does), so this view is where a missing one shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from inspection.auth.models import User
from inspection.crew.models import Briefing, PretripCheck
from inspection.fleet.models import Driver, Vehicle
from inspection.patrols.models import Patrol


@dataclass
class DriverDay:
    driver: Driver
    briefed: bool = False
    checks: list[PretripCheck] = field(default_factory=list)  # oldest first
    patrols: list[Patrol] = field(default_factory=list)

    @property
    def newest(self) -> PretripCheck | None:
        return self.checks[-1] if self.checks else None

    @property
    def failed(self) -> bool:
        """Blocked now: the newest check of the day failed the driver's tests."""
        newest = self.newest
        return newest is not None and not (newest.alcohol_passed and newest.blood_pressure_passed)


@dataclass
class CrewDay:
    crew: str
    briefings: int = 0
    attendees: int = 0
    patrols: int = 0
    unchecked: int = 0


@dataclass
class PatrolDay:
    patrol: Patrol
    vehicle: Vehicle | None
    driver: Driver | None
    starter: User | None
    vehicle_checked: bool | None  # None: no vehicle named
    driver_checked: bool | None  # None: no driver named

    @property
    def checked(self) -> bool | None:
        named = [c for c in (self.vehicle_checked, self.driver_checked) if c is not None]
        return all(named) if named else None


@dataclass
class Day:
    day: date
    drivers: list[DriverDay]
    crews: list[CrewDay]
    briefings: list[Briefing]
    failed: list[PretripCheck]
    patrols: list[PatrolDay]
    vehicles: dict[int, Vehicle]

    @property
    def unchecked_patrols(self) -> list[PatrolDay]:
        return [p for p in self.patrols if p.checked is not True]


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first instant of the branch-local day and of the next one."""
    return (
        datetime.combine(day, time(0), zone),
        datetime.combine(day + timedelta(days=1), time(0), zone),
    )


def day_overview(session: Session, day: date, zone: ZoneInfo) -> Day:
    """Gather one branch-local day of briefings, pre-trip checks and patrol starts."""
    start, end = day_bounds(day, zone)
    briefings = list(
        session.scalars(
            select(Briefing)
            .where(Briefing.held_at >= start, Briefing.held_at < end, Briefing.voided_at.is_(None))
            .options(selectinload(Briefing.attendees))
            .order_by(Briefing.held_at, Briefing.id)
        )
    )
    checks = list(
        session.scalars(
            select(PretripCheck)
            .where(PretripCheck.check_date == day, PretripCheck.voided_at.is_(None))
            .order_by(PretripCheck.checked_at, PretripCheck.id)
        )
    )
    patrols = list(
        session.scalars(
            select(Patrol)
            .where(Patrol.started_at >= start, Patrol.started_at < end, Patrol.voided_at.is_(None))
            .order_by(Patrol.started_at, Patrol.id)
        )
    )
    driver_ids = {c.driver_id for c in checks} | {p.driver_id for p in patrols if p.driver_id}
    drivers = {
        d.id: d
        for d in session.scalars(
            select(Driver).where((Driver.active.is_(True)) | (Driver.id.in_(driver_ids)))
        )
    }
    vehicle_ids = {c.vehicle_id for c in checks} | {p.vehicle_id for p in patrols if p.vehicle_id}
    vehicles = {
        v.id: v for v in session.scalars(select(Vehicle).where(Vehicle.id.in_(vehicle_ids)))
    }
    user_ids = {p.created_by_id for p in patrols}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}

    attended_users = set()
    attended_names = set()
    for briefing in briefings:
        if briefing.leader_id:
            attended_users.add(briefing.leader_id)
        attended_names.add(briefing.leader_name.strip())
        for person in briefing.attendees:
            if person.user_id:
                attended_users.add(person.user_id)
            attended_names.add(person.name.strip())

    rows = {
        d.id: DriverDay(
            d,
            briefed=(d.user_id in attended_users) or (d.name.strip() in attended_names),
        )
        for d in drivers.values()
    }
    checked_vehicles = {c.vehicle_id for c in checks}
    checked_drivers = {c.driver_id for c in checks}
    for check in checks:
        rows[check.driver_id].checks.append(check)
    patrol_rows = []
    for patrol in patrols:
        if patrol.driver_id in rows:
            rows[patrol.driver_id].patrols.append(patrol)
        patrol_rows.append(
            PatrolDay(
                patrol,
                vehicles.get(patrol.vehicle_id) if patrol.vehicle_id else None,
                drivers.get(patrol.driver_id) if patrol.driver_id else None,
                users.get(patrol.created_by_id),
                (patrol.vehicle_id in checked_vehicles) if patrol.vehicle_id else None,
                (patrol.driver_id in checked_drivers) if patrol.driver_id else None,
            )
        )
    return Day(
        day=day,
        drivers=sorted(rows.values(), key=lambda r: (not r.failed, not r.checks, r.driver.name)),
        crews=_crews(briefings, patrol_rows),
        briefings=briefings,
        failed=[c for c in checks if not c.passed],
        patrols=patrol_rows,
        vehicles=vehicles,
    )


def _crews(briefings: list[Briefing], patrols: list[PatrolDay]) -> list[CrewDay]:
    """The crews by the name they gave (briefings and patrols of the day)."""
    crews: dict[str, CrewDay] = {}

    def of(name: str) -> CrewDay:
        key = name.strip() or "—"
        return crews.setdefault(key, CrewDay(key))

    for briefing in briefings:
        row = of(briefing.crew)
        row.briefings += 1
        row.attendees += len(briefing.attendees)
    for item in patrols:
        row = of(item.patrol.crew)
        row.patrols += 1
        if item.checked is not True:
            row.unchecked += 1
    return sorted(crews.values(), key=lambda c: c.crew)
