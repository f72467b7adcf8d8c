"""A crew reports a vehicle defect from the road (the phone's outbox): the unit → 待修.

The report is stored once per client UUID: a retry of the same report (same user, unit,
description and time) gets the stored one back; the UUID used for anything else is refused
(409). A fit unit becomes defective through :func:`inspection.fleet.status.change_status`, dated
on the branch-local day the crew saw the defect; a unit already defective or under repair keeps
its status (the report is recorded beside it); a sealed or scrapped unit is not in service and
cannot be reported (422).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from inspection.auth.models import User
from inspection.errors import N_, UuidTaken, ValidationError
from inspection.fleet.kinds import VehicleStatus
from inspection.fleet.models import Vehicle, VehicleDefect, VehicleStatusEvent
from inspection.fleet.status import StatusChange, change_status

DESCRIPTION_LENGTH = 500
# The units a crew may report: the ones in service (fit, or already waiting for a repair).
REPORTABLE = frozenset({VehicleStatus.fit, VehicleStatus.defective, VehicleStatus.under_repair})


@dataclass(frozen=True)
class Saved:
    """A defect report and whether this call stored it (False: the UUID was already there)."""

    defect: VehicleDefect
    created: bool


def _same(defect: VehicleDefect, vehicle_id: int, description: str, at: datetime, user: User):
    return (
        defect.reported_by_id == user.id
        and defect.vehicle_id == vehicle_id
        and defect.description == description
        and defect.reported_at == at
    )


def _existing(
    session: Session,
    client_uuid: uuid.UUID,
    vehicle_id: int,
    description: str,
    at: datetime,
    user: User,
) -> VehicleDefect | None:
    defect = session.scalar(select(VehicleDefect).where(VehicleDefect.client_uuid == client_uuid))
    if defect is not None and not _same(defect, vehicle_id, description, at, user):
        raise UuidTaken(N_("This record UUID belongs to another record."))
    return defect


def status_day(
    reported_at: datetime, zone: ZoneInfo, *, today: date, earliest: date | None
) -> date:
    """Return the day the status change is dated: the local day of the report, kept between
    the unit's last change (a report that waited offline may arrive after an officer's change)
    and today (a phone clock a little fast past midnight)."""
    day = min(reported_at.astimezone(zone).date(), today)
    return max(day, earliest) if earliest is not None else day


def report_defect(
    session: Session,
    client_uuid: uuid.UUID,
    vehicle_id: int,
    description: str,
    reported_at: datetime,
    user: User,
    *,
    zone: ZoneInfo,
    today: date,
) -> Saved:
    """Store a defect report once per client UUID and mark a fit unit defective (no commit)."""
    description = description.strip()
    if not description:
        raise ValidationError(
            N_("The defect was not recorded."),
            fields={"description": N_("Say what is wrong with the vehicle.")},
        )
    existing = _existing(session, client_uuid, vehicle_id, description, reported_at, user)
    if existing is not None:
        return Saved(existing, False)
    try:
        # One savepoint for the status change and the report: a concurrent retry that stored
        # the same UUID first undoes both, and its report stands.
        with session.begin_nested():
            defect = _record(
                session,
                client_uuid,
                vehicle_id,
                description,
                reported_at,
                user,
                zone=zone,
                today=today,
            )
    except IntegrityError:
        again = _existing(session, client_uuid, vehicle_id, description, reported_at, user)
        if again is None:
            raise
        return Saved(again, False)
    return Saved(defect, True)


def _record(
    session: Session,
    client_uuid: uuid.UUID,
    vehicle_id: int,
    description: str,
    reported_at: datetime,
    user: User,
    *,
    zone: ZoneInfo,
    today: date,
) -> VehicleDefect:
    # The unit's row lock (change_status takes it too) serialises two crews reporting one unit.
    vehicle = session.execute(
        select(Vehicle).where(Vehicle.id == vehicle_id).with_for_update()
    ).scalar_one_or_none()
    if vehicle is None:
        raise ValidationError(
            N_("The defect was not recorded."),
            fields={"vehicle_id": N_("No such vehicle or machine.")},
        )
    if vehicle.status not in REPORTABLE:
        raise ValidationError(
            N_("The defect was not recorded."),
            fields={"vehicle_id": N_("This unit is sealed or scrapped: it is not in service.")},
        )
    event = None
    if vehicle.status == VehicleStatus.fit:
        last_on = session.scalar(
            select(VehicleStatusEvent.on_date)
            .where(VehicleStatusEvent.vehicle_id == vehicle.id)
            .order_by(VehicleStatusEvent.on_date.desc(), VehicleStatusEvent.id.desc())
            .limit(1)
        )
        earliest = max(d for d in (last_on, vehicle.registered_on) if d is not None)
        change = StatusChange(
            to_status=VehicleStatus.defective,
            on_date=status_day(reported_at, zone, today=today, earliest=earliest),
            reason=description,
        )
        event = change_status(session, vehicle.id, change, user_id=user.id, today=today)
    defect = VehicleDefect(
        client_uuid=client_uuid,
        vehicle_id=vehicle.id,
        description=description,
        reported_at=reported_at,
        reported_by_id=user.id,
        status_event_id=event.id if event is not None else None,
    )
    session.add(defect)
    session.flush()
    return defect


def defects_of(
    session: Session, *, vehicle_id: int | None, page: int, per_page: int
) -> tuple[list[VehicleDefect], int]:
    """Return one page of defect reports, newest first (of one unit when asked), and the total."""
    query = select(VehicleDefect)
    if vehicle_id is not None:
        query = query.where(VehicleDefect.vehicle_id == vehicle_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(VehicleDefect.reported_at.desc(), VehicleDefect.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total


def defect_dict(defect: VehicleDefect, event: VehicleStatusEvent | None = None) -> dict:
    """Return a defect report as the API states it (its client UUID at ``uuid``)."""
    vehicle = defect.vehicle
    event = event if event is not None else _event(defect)
    return {
        "uuid": str(defect.client_uuid),
        "id": defect.id,
        "vehicle": {
            "id": vehicle.id,
            "number": vehicle.number,
            "kind": vehicle.kind,
            "status": vehicle.status,
        },
        "description": defect.description,
        "reported_at": defect.reported_at.isoformat(),
        "reported_by": defect.reported_by.display_name or defect.reported_by.username,
        "created_at": defect.created_at.isoformat() if defect.created_at else None,
        "status_change": None
        if event is None
        else {
            "from_status": event.from_status,
            "to_status": event.to_status,
            "on_date": event.on_date.isoformat(),
        },
    }


def _event(defect: VehicleDefect) -> VehicleStatusEvent | None:
    if defect.status_event_id is None:
        return None
    session = object_session(defect)
    return session.get(VehicleStatusEvent, defect.status_event_id) if session else None
