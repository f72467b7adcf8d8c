"""A unit's status and its changes: the one place a vehicle's status is written (#15).

Every change is an event with its day, reason and who; sealing carries the 封存 record (where
the unit is kept and who holds the key). The unit's `status` column is the newest event's
status, written in the same transaction under the unit's row lock, so two officers changing
one unit at once are serialised and the second one is judged against the first one's result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.errors import N_, NotFound, ValidationError
from inspection.fleet.kinds import STATUS_CHANGES, VehicleStatus
from inspection.fleet.models import Vehicle, VehicleStatusEvent


@dataclass(frozen=True)
class StatusChange:
    to_status: VehicleStatus
    on_date: date
    reason: str = ""
    sealed_place: str | None = None
    key_holder: str | None = None


def check_change(
    current: str, change: StatusChange, *, registered_on: date, last_on: date | None, today: date
) -> None:
    """Refuse a change the register does not allow, naming the field at fault (422)."""
    fields: dict[str, str] = {}
    allowed = STATUS_CHANGES[VehicleStatus(current)]
    if change.to_status not in allowed:
        fields["to_status"] = (
            N_("A scrapped unit cannot change status.")
            if current == VehicleStatus.scrapped
            else N_("This status change is not allowed from the unit's current status.")
        )
    if change.on_date > today:
        fields["on_date"] = N_("The date is in the future.")
    elif change.on_date < registered_on:
        fields["on_date"] = N_("The date is before the unit entered the register.")
    elif last_on is not None and change.on_date < last_on:
        fields["on_date"] = N_("The date is before the unit's last status change.")
    if change.to_status == VehicleStatus.sealed:
        if not (change.sealed_place or "").strip():
            fields["sealed_place"] = N_("Say where the sealed unit is kept.")
        if not (change.key_holder or "").strip():
            fields["key_holder"] = N_("Say who holds the sealed unit's key.")
    if fields:
        raise ValidationError(N_("The status change was not recorded."), fields=fields)


def change_status(
    session: Session, vehicle_id: int, change: StatusChange, *, user_id: int, today: date
) -> VehicleStatusEvent:
    """Record a status change of a unit and set its status (the caller commits)."""
    # populate_existing: a unit this session loaded before the lock is re-read under it, so
    # the change is judged against the status another transaction just committed.
    vehicle = session.execute(
        select(Vehicle)
        .where(Vehicle.id == vehicle_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if vehicle is None:
        raise NotFound(N_("No such vehicle or machine."))
    last_on = session.execute(
        select(VehicleStatusEvent.on_date)
        .where(VehicleStatusEvent.vehicle_id == vehicle.id)
        .order_by(VehicleStatusEvent.on_date.desc(), VehicleStatusEvent.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    check_change(
        vehicle.status, change, registered_on=vehicle.registered_on, last_on=last_on, today=today
    )
    sealing = change.to_status == VehicleStatus.sealed
    event = VehicleStatusEvent(
        vehicle_id=vehicle.id,
        from_status=vehicle.status,
        to_status=change.to_status.value,
        on_date=change.on_date,
        reason=change.reason.strip(),
        sealed_place=change.sealed_place.strip() if sealing and change.sealed_place else None,
        key_holder=change.key_holder.strip() if sealing and change.key_holder else None,
        recorded_by_id=user_id,
    )
    session.add(event)
    vehicle.status = change.to_status.value
    session.flush()
    return event


def register_event(vehicle: Vehicle, *, user_id: int) -> VehicleStatusEvent:
    """The first event of a new unit: it enters the register with its status on its day."""
    return VehicleStatusEvent(
        vehicle=vehicle,
        from_status=None,
        to_status=vehicle.status,
        on_date=vehicle.registered_on,
        reason="",
        sealed_place=None,
        key_holder=None,
        recorded_by_id=user_id,
    )


def status_on(events: list[tuple[date, int, str]], day: date) -> str | None:
    """Return a unit's status at the end of `day` from its events (on_date, id, to_status).

    Pure: the report's monthly 完好率 reads each unit's status at each month end this way.
    None: the unit was not yet registered that day.
    """
    status = None
    for on_date, _id, to_status in sorted(events):
        if on_date > day:
            break
        status = to_status
    return status
