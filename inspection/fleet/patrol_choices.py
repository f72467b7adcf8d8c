"""What a patrol may name from the registers (#15): the fit units and active drivers the phone
offers, and the check of a patrol start's `vehicle_id` and `driver_id`.

A unit is judged as the register stood when the patrol started: a start that waited in the
phone's outbox while the crew had no signal is not refused for a defect someone reported after
the crew set off (the phone's list was right when they chose). A live start is judged on the
unit's current status. A driver must be active (the register keeps no history of that flag).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from inspection.errors import N_, ValidationError
from inspection.fleet.kinds import VEHICLE_KIND_LABELS, VehicleKind, VehicleStatus
from inspection.fleet.models import Driver, Vehicle, VehicleStatusEvent

NOT_FIT = {
    VehicleStatus.defective: N_("This unit is reported defective: choose a fit one."),
    VehicleStatus.under_repair: N_("This unit is under repair: choose a fit one."),
    VehicleStatus.sealed: N_("This unit is sealed: choose a fit one."),
    VehicleStatus.scrapped: N_("This unit is scrapped: choose a fit one."),
}


def status_at(session: Session, vehicle: Vehicle, moment: datetime) -> str:
    """Return a unit's status as the register held it at `moment` (its newest event recorded by
    then); the current status when none was recorded by then."""
    status = session.scalar(
        select(VehicleStatusEvent.to_status)
        .where(
            VehicleStatusEvent.vehicle_id == vehicle.id,
            VehicleStatusEvent.recorded_at <= moment,
        )
        .order_by(VehicleStatusEvent.recorded_at.desc(), VehicleStatusEvent.id.desc())
        .limit(1)
    )
    return status or vehicle.status


def check_patrol_choice(
    session: Session,
    vehicle_id: int | None,
    driver_id: int | None,
    *,
    started_at: datetime,
) -> tuple[Vehicle | None, Driver | None]:
    """Return the unit and driver a patrol start names, or raise a 422 naming the field."""
    fields: dict[str, str] = {}
    vehicle = driver = None
    if vehicle_id is not None:
        vehicle = session.get(Vehicle, vehicle_id)
        if vehicle is None:
            fields["vehicle_id"] = N_("There is no such vehicle in the register.")
        else:
            status = status_at(session, vehicle, started_at)
            if status != VehicleStatus.fit:
                fields["vehicle_id"] = NOT_FIT.get(status, N_("Choose a fit unit."))
    if driver_id is not None:
        driver = session.get(Driver, driver_id)
        if driver is None:
            fields["driver_id"] = N_("There is no such driver in the register.")
        elif not driver.active:
            fields["driver_id"] = N_("This driver is no longer active: choose another.")
    if fields:
        raise ValidationError(N_("Choose a fit vehicle and an active driver."), fields=fields)
    return vehicle, driver


# --------------------------------------------------------------------------- the phone's lists

_KIND_ORDER = {kind.value: n for n, kind in enumerate(VehicleKind)}


def vehicle_label(vehicle: Vehicle, gettext=str) -> str:
    """A unit as a crew names it: its plate or fleet number, its kind, its make and model."""
    parts = [vehicle.number, gettext(VEHICLE_KIND_LABELS[VehicleKind(vehicle.kind)])]
    if vehicle.make_model:
        parts.append(vehicle.make_model)
    return " · ".join(parts)


def fit_vehicles(session: Session, gettext=str) -> list[dict]:
    """The units a patrol may take: fit ones, patrol vehicles first, then by number."""
    rows = session.scalars(select(Vehicle).where(Vehicle.status == VehicleStatus.fit)).all()
    rows = sorted(rows, key=lambda v: (_KIND_ORDER.get(v.kind, 99), v.number_key))
    return [{"id": v.id, "label": vehicle_label(v, gettext)} for v in rows]


def active_drivers(session: Session) -> list[dict]:
    """The drivers a patrol may name: active ones by name, with the user each one is."""
    rows = session.scalars(
        select(Driver)
        .where(Driver.active.is_(True))
        .options(selectinload(Driver.user))
        .order_by(Driver.name, Driver.id)
    ).all()
    return [
        {
            "id": d.id,
            "label": f"{d.name} · {d.licence_class}",
            "user_id": d.user_id,
            "licence_expires": d.licence_expires.isoformat(),
        }
        for d in rows
    ]
