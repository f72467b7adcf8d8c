"""Service events of a unit (maintenance, repair, annual inspection, insurance), the per-kind
intervals they fall due by, and the due board.

An event is dated no later than today; its cost, when given, is not negative; only an annual
inspection passes or fails, and it must say which. A scrapped unit gets no new events. The
intervals are a table the branch edits (`vehicle_service_intervals`, one row per unit kind and
recurring service kind, 1 to 3660 days). The due dates themselves are computed in `due.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from inspection.errors import N_, ValidationError
from inspection.fleet import due as due_rules
from inspection.fleet.kinds import RECURRING, ServiceKind, VehicleKind, VehicleStatus
from inspection.fleet.models import Vehicle, VehicleService, VehicleServiceInterval
from inspection.fleet.vehicles import get_vehicle

INTERVAL_MIN, INTERVAL_MAX = 1, 3660
COST_MAX = Decimal("9999999999.99")  # ten thousand million yuan: far beyond any one bill


@dataclass(frozen=True)
class ServiceInput:
    kind: str
    on_date: date
    cost_yuan: Decimal | None = None
    parts: str = ""
    passed: bool | None = None
    note: str = ""


def _problems(vehicle: Vehicle, data: ServiceInput, today: date) -> dict[str, str]:
    fields: dict[str, str] = {}
    if data.kind not in tuple(ServiceKind):
        fields["kind"] = N_("Not one of the allowed values.")
    if data.on_date > today:
        fields["on_date"] = N_("The date is in the future.")
    elif vehicle.year is not None and data.on_date.year < vehicle.year:
        fields["on_date"] = N_("The date is before the unit was made.")
    if data.cost_yuan is not None and data.cost_yuan < 0:
        fields["cost_yuan"] = N_("The cost cannot be negative.")
    elif data.cost_yuan is not None and data.cost_yuan > COST_MAX:
        fields["cost_yuan"] = N_("The number is too large.")
    if data.kind == ServiceKind.annual_inspection and data.passed is None:
        fields["passed"] = N_("Say whether the unit passed the annual inspection.")
    elif data.kind != ServiceKind.annual_inspection and data.passed is not None:
        fields["passed"] = N_("Only an annual inspection passes or fails.")
    if vehicle.status == VehicleStatus.scrapped:
        fields["kind"] = N_("The unit is scrapped: it gets no more service events.")
    return fields


def record_service(
    session: Session, vehicle_id: int, data: ServiceInput, *, user_id: int, today: date
) -> VehicleService:
    """Record a service event of a unit (the caller commits)."""
    vehicle = get_vehicle(session, vehicle_id)
    fields = _problems(vehicle, data, today)
    if fields:
        raise ValidationError(N_("The service event was not recorded."), fields=fields)
    event = VehicleService(
        vehicle_id=vehicle.id,
        kind=data.kind,
        on_date=data.on_date,
        cost_yuan=data.cost_yuan,
        parts=(data.parts or "").strip(),
        passed=data.passed,
        note=(data.note or "").strip(),
        recorded_by_id=user_id,
    )
    session.add(event)
    session.flush()
    return event


def list_services(session: Session, vehicle_id: int) -> list[VehicleService]:
    """Return a unit's service events, newest first."""
    return list(
        session.scalars(
            select(VehicleService)
            .where(VehicleService.vehicle_id == vehicle_id)
            .order_by(VehicleService.on_date.desc(), VehicleService.id.desc())
        )
    )


# --------------------------------------------------------------------------- intervals


def intervals(session: Session) -> dict[tuple[str, str], int]:
    """Return the days between two events, by (unit kind, service kind); defaults where unset."""
    stored = {
        (row.vehicle_kind, row.service_kind): row.days
        for row in session.scalars(select(VehicleServiceInterval))
    }
    return {
        (kind.value, service.value): stored.get(
            (kind.value, service.value), due_rules.interval_of({}, kind, service)
        )
        for kind in VehicleKind
        for service in RECURRING
    }


def set_intervals(session: Session, days: Mapping[tuple[str, str], int | None]) -> None:
    """Set the intervals given (None leaves one as it is); all are checked before any is written."""
    fields: dict[str, str] = {}
    for (kind, service), value in days.items():
        name = f"{kind}__{service}"
        if kind not in tuple(VehicleKind) or service not in tuple(RECURRING):
            fields[name] = N_("Not one of the allowed values.")
        elif value is not None and not INTERVAL_MIN <= value <= INTERVAL_MAX:
            fields[name] = N_("Give 1 to 3660 days.")
    if fields:
        raise ValidationError(N_("The intervals were not saved."), fields=fields)
    for (kind, service), value in days.items():
        if value is None:
            continue
        row = session.get(VehicleServiceInterval, (kind, service))
        if row is None:
            session.add(VehicleServiceInterval(vehicle_kind=kind, service_kind=service, days=value))
        else:
            row.days = value
    session.flush()


# --------------------------------------------------------------------------- due dates


def last_events(
    session: Session, vehicle_ids: list[int] | None = None
) -> dict[int, dict[str, date]]:
    """Return each unit's last event day per recurring kind (for 年检: the last one passed)."""
    passed_or_other = (VehicleService.kind != ServiceKind.annual_inspection.value) | (
        VehicleService.passed.is_(True)
    )
    query = (
        select(VehicleService.vehicle_id, VehicleService.kind, func.max(VehicleService.on_date))
        .where(VehicleService.kind.in_([s.value for s in RECURRING]), passed_or_other)
        .group_by(VehicleService.vehicle_id, VehicleService.kind)
    )
    if vehicle_ids is not None:
        query = query.where(VehicleService.vehicle_id.in_(vehicle_ids))
    last: dict[int, dict[str, date]] = defaultdict(dict)
    for vehicle_id, kind, on_date in session.execute(query):
        last[vehicle_id][kind] = on_date
    return last


def due_dates_of(session: Session, vehicle: Vehicle) -> list[due_rules.DueDate]:
    """Return a unit's next due day per recurring service kind (also for sealed units: the
    page shows them, the board leaves them out)."""
    last = last_events(session, [vehicle.id]).get(vehicle.id, {})
    return due_rules.due_dates(
        kind=vehicle.kind,
        registered_on=vehicle.registered_on,
        last_on=last,
        intervals=intervals(session),
    )


def due_board(
    session: Session,
    *,
    today: date,
    window: int = due_rules.DUE_WINDOW_DAYS,
    kind: str | None = None,
    department_id: int | None = None,
    service_kind: str | None = None,
) -> due_rules.Board:
    """Return the units whose services are overdue or due within `window` days (not sealed,
    not scrapped), filtered by unit kind, department and service kind."""
    query = (
        select(Vehicle)
        .where(Vehicle.status.not_in([s.value for s in due_rules.NOT_DUE]))
        .options(joinedload(Vehicle.department))
        .order_by(Vehicle.number_key)
    )
    if kind is not None:
        query = query.where(Vehicle.kind == kind)
    if department_id is not None:
        query = query.where(Vehicle.department_id == department_id)
    units = list(session.scalars(query))
    last = last_events(session)
    days = intervals(session)
    rows = []
    for unit in units:
        dates = due_rules.due_dates(
            kind=unit.kind,
            registered_on=unit.registered_on,
            last_on=last.get(unit.id, {}),
            intervals=days,
        )
        if service_kind is not None:
            dates = [d for d in dates if d.service_kind == service_kind]
        rows.append((unit, unit.status, dates))
    return due_rules.board(rows, today, window)
