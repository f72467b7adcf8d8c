"""The vehicle and machinery register: enter a unit, change its particulars, change its status.

A unit's number (plate or fleet number) is unique by `number_key`, so "新A 12345" and
"新a12345" are the same unit. Its status is never edited here: a new unit's first status
event comes from `status.register_event`, and every later change goes through
`status.change_status` (row-locked, judged against the allowed changes). A unit cannot be
entered as sealed or scrapped: sealing needs its 封存 record (where, who holds the key), so
it is entered in its real running status first and then sealed, the same day if need be.
Every check is made before anything is written; all that is wrong is reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from inspection.errors import N_, NotFound, ValidationError
from inspection.fleet import status as fleet_status
from inspection.fleet.kinds import VehicleKind, VehicleStatus, VehicleUse, number_key
from inspection.fleet.models import Vehicle, VehicleStatusEvent
from inspection.sites.models import Department

SOME_FIELDS = N_("Some fields are not valid.")
DUPLICATE = N_("Another unit has this plate or fleet number.")
# The statuses a unit may be entered in (see the module's docstring).
ENTRY_STATUSES = (VehicleStatus.fit, VehicleStatus.defective, VehicleStatus.under_repair)


@dataclass(frozen=True)
class VehicleInput:
    """A unit's particulars as a form, the API or a line of a file gives them."""

    kind: str
    number: str
    make_model: str = ""
    year: int | None = None
    department_id: int | None = None
    use: str = VehicleUse.production.value
    registered_on: date | None = None  # None: today
    note: str = ""
    status: str = VehicleStatus.fit.value  # only when entered


def input_of(vehicle: Vehicle) -> VehicleInput:
    """Return a stored unit as an input (what an edit form and a PATCH start from)."""
    return VehicleInput(
        kind=vehicle.kind,
        number=vehicle.number,
        make_model=vehicle.make_model,
        year=vehicle.year,
        department_id=vehicle.department_id,
        use=vehicle.use,
        registered_on=vehicle.registered_on,
        note=vehicle.note,
        status=vehicle.status,
    )


def get_vehicle(session: Session, vehicle_id: int) -> Vehicle:
    """Return a unit by id, or raise NotFound."""
    vehicle = session.get(Vehicle, vehicle_id) if 0 < vehicle_id < 2**31 else None
    if vehicle is None:
        raise NotFound(N_("No such vehicle or machine."))
    return vehicle


def list_vehicles(
    session: Session,
    *,
    kind: str | None = None,
    department_id: int | None = None,
    status: str | None = None,
    use: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Vehicle]:
    """Return the units by kind and number, filtered by kind, department, status and use."""
    query = _filtered(select(Vehicle), kind, department_id, status, use)
    query = query.options(joinedload(Vehicle.department)).order_by(
        Vehicle.kind, Vehicle.number_key, Vehicle.id
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(session.scalars(query))


def count_vehicles(session: Session, **filters) -> int:
    """Return how many units `list_vehicles` would give without a limit."""
    query = _filtered(select(func.count(Vehicle.id)), **_named(filters))
    return session.scalar(query) or 0


def status_counts(
    session: Session,
    *,
    kind: str | None = None,
    department_id: int | None = None,
    use: str | None = None,
) -> dict[str, int]:
    """Return how many units are in each status (every status named, 0 when none)."""
    query = _filtered(
        select(Vehicle.status, func.count(Vehicle.id)), kind, department_id, None, use
    ).group_by(Vehicle.status)
    counted = dict(session.execute(query).all())
    return {s.value: counted.get(s.value, 0) for s in VehicleStatus}


def _named(filters: dict) -> dict:
    return {k: filters.get(k) for k in ("kind", "department_id", "status", "use")}


def _filtered(query, kind=None, department_id=None, status=None, use=None):
    if kind is not None:
        query = query.where(Vehicle.kind == kind)
    if department_id is not None:
        query = query.where(Vehicle.department_id == department_id)
    if status is not None:
        query = query.where(Vehicle.status == status)
    if use is not None:
        query = query.where(Vehicle.use == use)
    return query


# --------------------------------------------------------------------------- checks


def _problems(
    session: Session, data: VehicleInput, vehicle: Vehicle | None, today: date
) -> dict[str, str]:
    fields: dict[str, str] = {}
    if data.kind not in tuple(VehicleKind):
        fields["kind"] = N_("Not one of the allowed values.")
    if data.use not in tuple(VehicleUse):
        fields["use"] = N_("Not one of the allowed values.")
    key = number_key(data.number or "")
    if not key:
        fields["number"] = N_("Give the plate or fleet number.")
    elif len(data.number) > 32:
        fields["number"] = N_("Too long.")
    else:
        taken = select(Vehicle.id).where(Vehicle.number_key == key)
        if vehicle is not None:
            taken = taken.where(Vehicle.id != vehicle.id)
        if session.scalar(taken.limit(1)) is not None:
            fields["number"] = DUPLICATE
    registered_on = data.registered_on or today
    if registered_on > today:
        fields["registered_on"] = N_("The date is in the future.")
    if data.year is not None and not 1950 <= data.year <= min(2100, today.year + 1):
        fields["year"] = N_("Give the year it was made, 1950 to next year.")
    elif data.year is not None and data.year > registered_on.year + 1:
        fields["year"] = N_("The year it was made is after it entered the register.")
    if vehicle is None and data.status not in ENTRY_STATUSES:
        fields["status"] = (
            N_("Enter the unit as it runs, then seal it with its sealing record.")
            if data.status == VehicleStatus.sealed
            else N_("A unit is entered fit, defective or under repair.")
        )
    if vehicle is not None and registered_on != vehicle.registered_on:
        first_change = session.scalar(
            select(func.min(VehicleStatusEvent.on_date)).where(
                VehicleStatusEvent.vehicle_id == vehicle.id,
                VehicleStatusEvent.from_status.is_not(None),
            )
        )
        if first_change is not None and registered_on > first_change:
            fields.setdefault(
                "registered_on", N_("The date is after the unit's first status change.")
            )
    department_problem = _department_problem(session, data.department_id, vehicle)
    if department_problem:
        fields["department_id"] = department_problem
    return fields


def _department_problem(
    session: Session, department_id: int | None, vehicle: Vehicle | None
) -> str | None:
    if department_id is None:
        return None
    if vehicle is not None and department_id == vehicle.department_id:
        return None  # keeping a department that was since deactivated is fine
    department = session.get(Department, department_id) if 0 < department_id < 2**31 else None
    if department is None or not department.active:
        return N_("Choose an active department from the list.")
    return None


def _refuse(fields: dict[str, str]) -> None:
    if not fields:
        return
    if list(fields) == ["number"] and fields["number"] == DUPLICATE:
        raise ValidationError(
            N_("A unit with this plate or fleet number is registered already."), fields=fields
        )
    raise ValidationError(SOME_FIELDS, fields=fields)


def _flush_unique(session: Session) -> None:
    """Flush; a unit entered at the same moment with the same number is a 422, not a 500."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        if "number_key" not in str(error.orig):
            raise
        raise ValidationError(
            N_("A unit with this plate or fleet number is registered already."),
            fields={"number": DUPLICATE},
        ) from None


# --------------------------------------------------------------------------- writes


def create_vehicle(session: Session, data: VehicleInput, *, user_id: int, today: date) -> Vehicle:
    """Enter a unit in the register with its first status event (the caller commits)."""
    data = replace(
        data, number=(data.number or "").strip(), registered_on=data.registered_on or today
    )
    _refuse(_problems(session, data, None, today))
    vehicle = Vehicle(
        kind=data.kind,
        number=data.number,
        number_key=number_key(data.number),
        make_model=(data.make_model or "").strip(),
        year=data.year,
        department_id=data.department_id,
        use=data.use,
        status=data.status,
        registered_on=data.registered_on,
        note=(data.note or "").strip(),
    )
    session.add(vehicle)
    session.add(fleet_status.register_event(vehicle, user_id=user_id))
    _flush_unique(session)
    return vehicle


def update_vehicle(
    session: Session, vehicle: Vehicle, data: VehicleInput, *, today: date
) -> Vehicle:
    """Change a unit's particulars (never its status: see `change_status`)."""
    data = replace(data, number=(data.number or "").strip(), status=vehicle.status)
    data = replace(data, registered_on=data.registered_on or vehicle.registered_on)
    _refuse(_problems(session, data, vehicle, today))
    if data.registered_on != vehicle.registered_on:
        # The register's first event is the day the unit entered it: they move together.
        first = session.scalar(
            select(VehicleStatusEvent).where(
                VehicleStatusEvent.vehicle_id == vehicle.id,
                VehicleStatusEvent.from_status.is_(None),
            )
        )
        if first is not None:
            first.on_date = data.registered_on
    vehicle.kind = data.kind
    vehicle.number = data.number
    vehicle.number_key = number_key(data.number)
    vehicle.make_model = (data.make_model or "").strip()
    vehicle.year = data.year
    vehicle.department_id = data.department_id
    vehicle.use = data.use
    vehicle.registered_on = data.registered_on
    vehicle.note = (data.note or "").strip()
    _flush_unique(session)
    return vehicle


def change_status(
    session: Session,
    vehicle_id: int,
    change: fleet_status.StatusChange,
    *,
    user_id: int,
    today: date,
) -> VehicleStatusEvent:
    """Change a unit's status through the one module that writes it (locks, checks, records)."""
    return fleet_status.change_status(session, vehicle_id, change, user_id=user_id, today=today)


def status_history(session: Session, vehicle_id: int) -> list[VehicleStatusEvent]:
    """Return a unit's status events, oldest first, with who recorded them."""
    return list(
        session.scalars(
            select(VehicleStatusEvent)
            .where(VehicleStatusEvent.vehicle_id == vehicle_id)
            .options(joinedload(VehicleStatusEvent.recorded_by))
            .order_by(VehicleStatusEvent.on_date, VehicleStatusEvent.id)
        )
    )
