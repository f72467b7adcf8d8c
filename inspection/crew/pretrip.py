"""Pre-trip checks (出车前检查): record and judge them, block a failed vehicle or driver for the
day, show the health readings only to those who may see them, erase them after the retention.

A check is stored once per client UUID: the same check sent again (same user, vehicle, driver,
time, checklist and readings) gets the stored one back; the UUID used for anything else is
refused (409), as elsewhere. It is judged on arrival by the branch's thresholds, which are
stored with it (a later change of the settings does not change a past result).

Blocking: on a day (branch-local), the newest non-voided check of a vehicle decides whether the
vehicle may start a patrol (its checklist), and the newest of a driver decides the driver
(the alcohol and blood-pressure tests). A failed check blocks until a later passed re-check. No
check at all does not block: the officer's daily view lists the patrols started without one.
A check recorded in error (wrong vehicle or driver, a misread test) is voided by a safety
officer or manager: kept, left out of the lists, and the day falls back to the previous
non-voided check (or to none: not blocked).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.crew.kinds import VEHICLE_CHECK_ITEM_LABELS, VehicleCheckItem
from inspection.crew.models import CrewSafetySettings, PretripCheck
from inspection.crew.pretrip_schemas import PretripCheckBody, SettingsBody
from inspection.crew.rules import Thresholds, checklist_errors, judge, reading_errors
from inspection.db import utcnow
from inspection.errors import (
    N_,
    NotFound,
    NotPermitted,
    UuidTaken,
    ValidationError,
    register_code_words,
)
from inspection.fleet.kinds import VehicleStatus
from inspection.fleet.models import Driver, Vehicle

NOT_RECORDED = N_("The check was not recorded.")
ONE_DECIMAL = N_("Give the reading to one decimal place.")
OUT_OF_SERVICE = frozenset({VehicleStatus.sealed, VehicleStatus.scrapped})

# The tests of the driver, as a blocked patrol start names them (never with the values).
TEST_LABELS = {
    "alcohol_test": N_("breath-alcohol test"),
    "blood_pressure_test": N_("blood-pressure test"),
}
register_code_words({**VEHICLE_CHECK_ITEM_LABELS, **TEST_LABELS})


@dataclass(frozen=True)
class Saved:
    """A check and whether this call stored it (False: the UUID was already there)."""

    check: PretripCheck
    created: bool


# --------------------------------------------------------------------------- settings


def get_settings(session: Session) -> CrewSafetySettings:
    """Return the branch's one settings row (the migration writes it)."""
    settings = session.get(CrewSafetySettings, True)
    if settings is None:  # pragma: no cover - migration 0017 writes the row
        raise NotFound(N_("The crew-safety settings are missing."))
    return settings


def thresholds_of(settings: CrewSafetySettings) -> Thresholds:
    return Thresholds(
        alcohol_drink_mg=Decimal(settings.alcohol_drink_mg),
        alcohol_drunk_mg=Decimal(settings.alcohol_drunk_mg),
        systolic_max=settings.systolic_max,
        diastolic_max=settings.diastolic_max,
    )


def settings_dict(settings: CrewSafetySettings) -> dict:
    """The settings as the API and the phone page state them."""
    return {
        "alcohol_drink_mg": float(settings.alcohol_drink_mg),
        "alcohol_drunk_mg": float(settings.alcohol_drunk_mg),
        "systolic_max": settings.systolic_max,
        "diastolic_max": settings.diastolic_max,
        "retention_days": settings.retention_days,
    }


def one_decimal(value: float) -> Decimal | None:
    """Return a reading as stored (one decimal), or None when it has more decimals."""
    exact = Decimal(repr(float(value)))
    return exact if exact == exact.quantize(Decimal("0.1")) else None


def update_settings(session: Session, data: SettingsBody, *, actor: User) -> CrewSafetySettings:
    """Change the thresholds and the retention period (crew.settings; the caller commits)."""
    fields = {}
    drink, drunk = one_decimal(data.alcohol_drink_mg), one_decimal(data.alcohol_drunk_mg)
    if drink is None:
        fields["alcohol_drink_mg"] = ONE_DECIMAL
    if drunk is None:
        fields["alcohol_drunk_mg"] = ONE_DECIMAL
    elif drink is not None and drunk < drink:
        fields["alcohol_drunk_mg"] = N_(
            "The drunk-driving threshold cannot be below the drink-driving one."
        )
    if fields:
        raise ValidationError(N_("The settings were not changed."), fields=fields)
    settings = get_settings(session)
    settings.alcohol_drink_mg = drink
    settings.alcohol_drunk_mg = drunk
    settings.systolic_max = data.systolic_max
    settings.diastolic_max = data.diastolic_max
    settings.retention_days = data.retention_days
    session.flush()
    return settings


# --------------------------------------------------------------------------- recording


def _same(check: PretripCheck, data: PretripCheckBody, actor: User) -> bool:
    readings = check.values_erased_at is not None or (
        check.alcohol_mg == one_decimal(data.alcohol_mg)
        and check.systolic == data.systolic
        and check.diastolic == data.diastolic
    )
    return (
        check.checked_by_id == actor.id
        and check.vehicle_id == data.vehicle_id
        and check.driver_id == data.driver_id
        and check.checked_at == data.checked_at
        and check.vehicle_items == dict(data.vehicle_items)
        and readings
    )


def _existing(session: Session, data: PretripCheckBody, actor: User) -> PretripCheck | None:
    check = session.scalar(select(PretripCheck).where(PretripCheck.client_uuid == data.client_uuid))
    if check is not None and not _same(check, data, actor):
        raise UuidTaken(N_("This record UUID belongs to another record."))
    return check


def _problems(session: Session, data: PretripCheckBody) -> tuple[dict[str, str], Decimal]:
    """Return every field that is wrong (all at once) and the alcohol reading as stored."""
    fields: dict[str, str] = {}
    alcohol = one_decimal(data.alcohol_mg)
    # A reading with two decimals is still checked for the rest (its sign, its range).
    readings = reading_errors(
        alcohol if alcohol is not None else Decimal(repr(data.alcohol_mg)),
        data.systolic,
        data.diastolic,
    )
    if alcohol is None and "alcohol_mg" not in readings:
        fields["alcohol_mg"] = ONE_DECIMAL
    fields.update(readings)
    fields.update(checklist_errors(dict(data.vehicle_items)))
    vehicle = session.get(Vehicle, data.vehicle_id)
    if vehicle is None:
        fields["vehicle_id"] = N_("No such vehicle or machine.")
    elif vehicle.status in OUT_OF_SERVICE:
        fields["vehicle_id"] = N_("This unit is sealed or scrapped: it is not in service.")
    driver = session.get(Driver, data.driver_id)
    if driver is None:
        fields["driver_id"] = N_("There is no such driver.")
    elif not driver.active:
        fields["driver_id"] = N_("This driver is no longer active in the drivers register.")
    return fields, alcohol if alcohol is not None else Decimal(0)


def record_check(session: Session, data: PretripCheckBody, *, actor: User, zone: ZoneInfo) -> Saved:
    """Judge and store a pre-trip check once per client UUID (the caller commits)."""
    existing = _existing(session, data, actor)
    if existing is not None:
        return Saved(existing, False)
    fields, alcohol = _problems(session, data)
    if fields:
        raise ValidationError(NOT_RECORDED, fields=fields)
    settings = get_settings(session)
    items = dict(data.vehicle_items)
    verdict = judge(items, alcohol, data.systolic, data.diastolic, thresholds_of(settings))
    check = PretripCheck(
        client_uuid=data.client_uuid,
        checked_at=data.checked_at,
        check_date=data.checked_at.astimezone(zone).date(),
        vehicle_id=data.vehicle_id,
        driver_id=data.driver_id,
        vehicle_items=items,
        vehicle_passed=verdict.vehicle_passed,
        alcohol_mg=alcohol,
        alcohol_result=verdict.alcohol.value,
        alcohol_passed=verdict.alcohol_passed,
        systolic=data.systolic,
        diastolic=data.diastolic,
        blood_pressure_passed=verdict.blood_pressure_passed,
        passed=verdict.passed,
        alcohol_limit_mg=settings.alcohol_drink_mg,
        systolic_max=settings.systolic_max,
        diastolic_max=settings.diastolic_max,
        note=data.note,
        checked_by_id=actor.id,
    )
    try:
        with session.begin_nested():
            session.add(check)
            session.flush()
    except IntegrityError:
        again = _existing(session, data, actor)  # a concurrent retry stored it first
        if again is None:
            raise
        return Saved(again, False)
    return Saved(check, True)


def get_check(session: Session, check_id: int) -> PretripCheck:
    check = session.get(PretripCheck, check_id) if 0 < check_id < 2**31 else None
    if check is None:
        raise NotFound(N_("There is no such pre-trip check."))
    return check


def get_check_by_uuid(session: Session, client_uuid: uuid.UUID) -> PretripCheck:
    check = session.scalar(select(PretripCheck).where(PretripCheck.client_uuid == client_uuid))
    if check is None:
        raise NotFound(N_("There is no such pre-trip check."))
    return check


def void_check(session: Session, check: PretripCheck, reason: str, *, actor: User) -> PretripCheck:
    """Void a check recorded in error with a reason: kept, excluded from lists and from blocking
    (safety officers and managers; the caller commits).

    Voiding twice keeps the first reason. Blocking then reads the previous non-voided check of
    that day, so an older failed check blocks again and a day left without one does not block.
    """
    if not actor.can("crew.settings"):
        raise NotPermitted(N_("Only a safety officer or a manager may void a pre-trip check."))
    if not reason.strip():
        raise ValidationError(
            N_("Give a reason for voiding."), fields={"reason": N_("Give a reason.")}
        )
    # Locked and read again: of two officers voiding at once, the first reason stays.
    session.refresh(check, ["voided_at"], with_for_update=True)
    if check.voided_at is None:
        check.voided_at = utcnow()
        check.void_reason = reason.strip()
        check.voided_by_id = actor.id
        session.flush()
    return check


def list_checks(
    session: Session,
    *,
    day: date | None = None,
    vehicle_id: int | None = None,
    driver_id: int | None = None,
    failed_only: bool = False,
    include_voided: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[PretripCheck], int]:
    """Return one page of checks (voided ones only when asked), newest first, and how many."""
    query = select(PretripCheck)
    if not include_voided:
        query = query.where(PretripCheck.voided_at.is_(None))
    if day is not None:
        query = query.where(PretripCheck.check_date == day)
    if vehicle_id is not None:
        query = query.where(PretripCheck.vehicle_id == vehicle_id)
    if driver_id is not None:
        query = query.where(PretripCheck.driver_id == driver_id)
    if failed_only:
        query = query.where(PretripCheck.passed.is_(False))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(PretripCheck.checked_at.desc(), PretripCheck.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total


# --------------------------------------------------------------------------- blocking


@dataclass(frozen=True)
class Blocked:
    """Why a vehicle or driver may not start a patrol on a day (results only, no readings)."""

    vehicle_check: PretripCheck | None = None  # the vehicle's newest check, failed
    driver_check: PretripCheck | None = None  # the driver's newest check, failed
    faults: tuple[str, ...] = ()
    tests: tuple[str, ...] = field(default=())


class TripBlocked(ValidationError):
    """A patrol start refused because today's pre-trip check of its vehicle or driver failed
    (422, code `pretrip_failed`; the fields name vehicle_id / driver_id)."""

    code = "pretrip_failed"


def _newest(session: Session, column, value: int, day: date) -> PretripCheck | None:
    return session.scalar(
        select(PretripCheck)
        .where(column == value, PretripCheck.check_date == day, PretripCheck.voided_at.is_(None))
        .order_by(PretripCheck.checked_at.desc(), PretripCheck.id.desc())
        .limit(1)
    )


def blocking_reason(
    session: Session, vehicle_id: int | None, driver_id: int | None, day: date
) -> Blocked | None:
    """Return why this vehicle or driver may not start a patrol on `day`, or None."""
    vehicle_check = driver_check = None
    faults: tuple[str, ...] = ()
    tests: list[str] = []
    if vehicle_id is not None:
        newest = _newest(session, PretripCheck.vehicle_id, vehicle_id, day)
        if newest is not None and not newest.vehicle_passed:
            vehicle_check = newest
            faults = tuple(
                i.value for i in VehicleCheckItem if not newest.vehicle_items.get(i.value)
            )
    if driver_id is not None:
        newest = _newest(session, PretripCheck.driver_id, driver_id, day)
        if newest is not None and not (newest.alcohol_passed and newest.blood_pressure_passed):
            driver_check = newest
            if not newest.alcohol_passed:
                tests.append("alcohol_test")
            if not newest.blood_pressure_passed:
                tests.append("blood_pressure_test")
    if vehicle_check is None and driver_check is None:
        return None
    return Blocked(vehicle_check, driver_check, faults, tuple(tests))


def ensure_trip_allowed(
    session: Session, vehicle_id: int | None, driver_id: int | None, day: date
) -> None:
    """Refuse a patrol start (TripBlocked, 422) when today's check of its vehicle or driver failed.

    The message names the vehicle's faulty items and the driver's failed test, never a reading.
    """
    blocked = blocking_reason(session, vehicle_id, driver_id, day)
    if blocked is None:
        return
    fields = {}
    params: dict[str, str] = {}
    if blocked.vehicle_check is not None:
        fields["vehicle_id"] = N_("This vehicle failed today's pre-trip check.")
        vehicle = session.get(Vehicle, blocked.vehicle_check.vehicle_id)
        params["number"] = vehicle.number if vehicle else str(vehicle_id)
        params["items"] = ", ".join(blocked.faults)
    if blocked.driver_check is not None:
        fields["driver_id"] = N_("This driver failed today's pre-trip check.")
        driver = session.get(Driver, blocked.driver_check.driver_id)
        params["name"] = driver.name if driver else str(driver_id)
        params["tests"] = ", ".join(blocked.tests)
    if blocked.vehicle_check is not None and blocked.driver_check is not None:
        message = N_(
            "Vehicle %(number)s failed today's pre-trip check (%(items)s) and driver %(name)s"
            " failed today's %(tests)s: no patrol until passed re-checks are recorded."
        )
    elif blocked.vehicle_check is not None:
        message = N_(
            "Vehicle %(number)s failed today's pre-trip check (%(items)s): it may not start a"
            " patrol until a passed re-check is recorded."
        )
    else:
        message = N_(
            "Driver %(name)s failed today's %(tests)s: they may not start a patrol until a"
            " passed re-check is recorded."
        )
    extra = {
        "pretrip": {
            "vehicle_failed": blocked.vehicle_check is not None,
            "driver_failed": blocked.driver_check is not None,
            "faults": list(blocked.faults),
            "tests": list(blocked.tests),
            "checks": [
                str(c.client_uuid)
                for c in (blocked.vehicle_check, blocked.driver_check)
                if c is not None
            ],
        }
    }
    raise TripBlocked(message, fields=fields, extra=extra, **params)


# --------------------------------------------------------------------------- showing


def may_see_values(check: PretripCheck, driver: Driver | None, viewer: User) -> bool:
    """Officers and managers see the readings; the driver sees their own; others pass/fail."""
    if viewer.can("crew.health_values"):
        return True
    return driver is not None and driver.user_id is not None and driver.user_id == viewer.id


def check_dict(session: Session, check: PretripCheck, viewer: User) -> dict:
    """A check as the API states it (its client UUID at `uuid`); readings only for those who
    may see them (`values_visible`), null once erased (`values_erased`)."""
    vehicle = session.get(Vehicle, check.vehicle_id)
    driver = session.get(Driver, check.driver_id)
    checker = session.get(User, check.checked_by_id)
    visible = may_see_values(check, driver, viewer)
    erased = check.values_erased_at is not None
    shown = visible and not erased
    return {
        "uuid": str(check.client_uuid),
        "id": check.id,
        "checked_at": check.checked_at.isoformat(),
        "check_date": check.check_date.isoformat(),
        "vehicle": {"id": vehicle.id, "number": vehicle.number, "kind": vehicle.kind},
        "driver": {"id": driver.id, "name": driver.name},
        "vehicle_items": {
            i.value: bool(check.vehicle_items.get(i.value)) for i in VehicleCheckItem
        },
        "faults": [i.value for i in VehicleCheckItem if not check.vehicle_items.get(i.value)],
        "vehicle_passed": check.vehicle_passed,
        "alcohol_result": check.alcohol_result,
        "alcohol_passed": check.alcohol_passed,
        "blood_pressure_passed": check.blood_pressure_passed,
        "passed": check.passed,
        "values_visible": visible,
        "values_erased": erased,
        "alcohol_mg": float(check.alcohol_mg) if shown and check.alcohol_mg is not None else None,
        "systolic": check.systolic if shown else None,
        "diastolic": check.diastolic if shown else None,
        "thresholds": {
            "alcohol_drink_mg": float(check.alcohol_limit_mg),
            "systolic_max": check.systolic_max,
            "diastolic_max": check.diastolic_max,
        },
        "note": check.note,
        "checked_by": checker.name if checker else None,
        "voided": check.voided_at is not None,
        "void_reason": check.void_reason,
    }


def preload(session: Session, checks: list[PretripCheck]) -> list:
    """Load the vehicles, drivers and users of many checks at once (keep the answer while the
    checks are shown: the session's identity map holds them only weakly)."""
    vehicles = {c.vehicle_id for c in checks}
    drivers = {c.driver_id for c in checks}
    users = {c.checked_by_id for c in checks}
    held: list = []
    if checks:
        held += session.scalars(select(Vehicle).where(Vehicle.id.in_(vehicles))).all()
        held += session.scalars(select(Driver).where(Driver.id.in_(drivers))).all()
        held += session.scalars(select(User).where(User.id.in_(users))).all()
    return held


# --------------------------------------------------------------------------- retention


def erase_expired_readings(session: Session, today: date, *, now: datetime | None = None) -> int:
    """Erase the readings of checks older than the retention period; keep the results.

    A check of day D is erased from day D + retention_days + 1 on. Returns how many were erased.
    """
    cutoff = today - timedelta(days=get_settings(session).retention_days)
    result = session.execute(
        update(PretripCheck)
        .where(PretripCheck.check_date < cutoff, PretripCheck.values_erased_at.is_(None))
        .values(values_erased_at=now or utcnow(), alcohol_mg=None, systolic=None, diastolic=None)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return result.rowcount or 0
