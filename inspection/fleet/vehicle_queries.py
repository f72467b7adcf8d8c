"""Read-only views of the vehicle register: the 封存台账 and the API's shapes of a unit.

The 封存台账 (register of sealed units) is read from the status events: each event that seals
a unit carries its record (place, reason, key holder, day, who); the next event of that unit,
if any, ends the sealing (unsealed as fit, or scrapped). Units sealed now are those whose
newest event is a sealing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from inspection.auth.models import User
from inspection.fleet.due import DUE_WINDOW_DAYS, DueDate
from inspection.fleet.kinds import (
    SERVICE_KIND_LABELS,
    VEHICLE_KIND_LABELS,
    VEHICLE_STATUS_LABELS,
    VEHICLE_USE_LABELS,
    VehicleStatus,
)
from inspection.fleet.models import Vehicle, VehicleService, VehicleStatusEvent
from inspection.sites.models import Department


@dataclass(frozen=True)
class Sealing:
    """One sealing of a unit, from its 封存 record to the event that ended it (if any)."""

    vehicle_id: int
    number: str
    kind: str
    department: str | None
    sealed_on: date
    place: str
    reason: str
    key_holder: str
    recorded_by: str
    ended_on: date | None
    ended_to: str | None  # fit (unsealed) or scrapped; None while still sealed

    @property
    def current(self) -> bool:
        return self.ended_on is None


def sealings(
    session: Session, *, vehicle_id: int | None = None, current_only: bool = False
) -> list[Sealing]:
    """Return the sealings, newest first; only the ones still in force if asked."""
    ordered = (VehicleStatusEvent.on_date, VehicleStatusEvent.id)
    following = (
        select(
            VehicleStatusEvent.id.label("id"),
            func.lead(VehicleStatusEvent.on_date)
            .over(partition_by=VehicleStatusEvent.vehicle_id, order_by=ordered)
            .label("ended_on"),
            func.lead(VehicleStatusEvent.to_status)
            .over(partition_by=VehicleStatusEvent.vehicle_id, order_by=ordered)
            .label("ended_to"),
        )
    ).subquery()
    event = aliased(VehicleStatusEvent)
    query = (
        select(
            event,
            Vehicle.number,
            Vehicle.kind,
            Department.name,
            User.display_name,
            User.username,
            following.c.ended_on,
            following.c.ended_to,
        )
        .join(following, following.c.id == event.id)
        .join(Vehicle, Vehicle.id == event.vehicle_id)
        .outerjoin(Department, Department.id == Vehicle.department_id)
        .join(User, User.id == event.recorded_by_id)
        .where(event.to_status == VehicleStatus.sealed.value)
        .order_by(event.on_date.desc(), event.id.desc())
    )
    if vehicle_id is not None:
        query = query.where(event.vehicle_id == vehicle_id)
    if current_only:
        query = query.where(following.c.ended_on.is_(None))
    return [
        Sealing(
            vehicle_id=e.vehicle_id,
            number=number,
            kind=kind,
            department=department,
            sealed_on=e.on_date,
            place=e.sealed_place or "",
            reason=e.reason,
            key_holder=e.key_holder or "",
            recorded_by=display_name or username,
            ended_on=ended_on,
            ended_to=ended_to,
        )
        for e, number, kind, department, display_name, username, ended_on, ended_to in (
            session.execute(query)
        )
    ]


# --------------------------------------------------------------------------- API shapes


def vehicle_dict(vehicle: Vehicle, gettext=str) -> dict:
    """Return a unit as the API lists it."""
    return {
        "id": vehicle.id,
        "kind": vehicle.kind,
        "kind_label": gettext(VEHICLE_KIND_LABELS.get(vehicle.kind, vehicle.kind)),
        "number": vehicle.number,
        "make_model": vehicle.make_model,
        "year": vehicle.year,
        "department": (
            {"id": vehicle.department.id, "name": vehicle.department.name}
            if vehicle.department
            else None
        ),
        "use": vehicle.use,
        "use_label": gettext(VEHICLE_USE_LABELS.get(vehicle.use, vehicle.use)),
        "status": vehicle.status,
        "status_label": gettext(VEHICLE_STATUS_LABELS.get(vehicle.status, vehicle.status)),
        "registered_on": vehicle.registered_on.isoformat(),
        "note": vehicle.note,
    }


def status_event_dict(event: VehicleStatusEvent, gettext=str) -> dict:
    """Return a status event (with its 封存 record when it seals) as the API writes it."""
    labels = VEHICLE_STATUS_LABELS
    return {
        "id": event.id,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "to_status_label": gettext(labels.get(event.to_status, event.to_status)),
        "on_date": event.on_date.isoformat(),
        "reason": event.reason,
        "sealed_place": event.sealed_place,
        "key_holder": event.key_holder,
        "recorded_by": event.recorded_by.display_name or event.recorded_by.username,
    }


def service_dict(service: VehicleService, gettext=str) -> dict:
    """Return a service event as the API writes it (cost as a string of yuan, exact)."""
    return {
        "id": service.id,
        "vehicle_id": service.vehicle_id,
        "kind": service.kind,
        "kind_label": gettext(SERVICE_KIND_LABELS.get(service.kind, service.kind)),
        "on_date": service.on_date.isoformat(),
        "cost_yuan": None if service.cost_yuan is None else f"{service.cost_yuan:.2f}",
        "parts": service.parts,
        "passed": service.passed,
        "note": service.note,
    }


def due_dict(due: DueDate, today: date, gettext=str, window: int = DUE_WINDOW_DAYS) -> dict:
    """Return one next-due date as the API writes it."""
    return {
        "service_kind": due.service_kind,
        "service_kind_label": gettext(SERVICE_KIND_LABELS.get(due.service_kind, due.service_kind)),
        "due_on": due.due_on.isoformat(),
        "last_on": due.last_on.isoformat() if due.last_on else None,
        "interval_days": due.interval_days,
        "days_left": due.days_left(today),
        "urgency": due.urgency(today, window),
    }
