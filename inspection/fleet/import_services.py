"""Import a fleet list into the vehicle register, all or nothing, with a per-line report (#15).

Decisions (the import page says them too):

* A unit is matched by its plate or fleet number's `number_key`: a registered one is updated
  (the columns the file has; its number as written and its registration date are kept, a
  differing registration date is noted on the line), a new one is registered on its
  registration date (the list's date when the cell is empty). Both go through the register's
  own services (`fleet.vehicles.create_vehicle` / `update_vehicle`), so the checks are the
  register page's; what they refuse is reported on the line.
* The register enters a unit only as it runs (完好, 待修, 维修中): a unit the list gives as 封存
  or 报废 is entered fit on its registration date and then sealed or scrapped on the list's date
  (with its sealing record), as the register page would have it done.
* A status differing from the register's is never written silently: it becomes a status
  change through `fleet.status.change_status`, dated the list's date ("status as of", today by
  default) and noted on the line; a change the register does not allow (报废 → 完好, a date
  before the unit's last change) refuses the line.
* A unit sealed by the file (new, or changing to 封存) needs the sealing place and key holder;
  a unit that stays sealed keeps its sealing record (a differing place or holder is noted); a
  place or key holder on a unit that is not sealed refuses the line.
* An unknown or deactivated department refuses the line, naming it: departments are the
  branch's register of units (hazards name them too), and a typo would make a second one.
* One refused line and nothing is stored. The check (dry run) does every write in a savepoint
  and rolls it back, so what it reports is what the import does.
* Afterwards patrols whose free-text vehicle names a plate of the file (by `number_key`, after
  NFKC, so a full-width "新Ａ１２３４５" matches) and that name no vehicle yet are linked to it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from inspection.errors import N_, ValidationError
from inspection.fleet import vehicles
from inspection.fleet.importing import FleetFile, VehicleRow
from inspection.fleet.kinds import VehicleStatus, VehicleUse, number_key
from inspection.fleet.models import Vehicle, VehicleStatusEvent
from inspection.fleet.status import StatusChange, check_change
from inspection.fleet.vehicles import VehicleInput
from inspection.imports import LineProblems, Problem
from inspection.patrols.models import Patrol
from inspection.sites.models import Department

# The reason stored on the status events an import writes (data, in both languages).
IMPORT_REASON = "车辆台账导入 / fleet list import"
FIELDS = ("kind", "make_model", "year", "department_id", "use", "note")
_CHANGE_FIELDS = {"to_status": "status", "on_date": "status"}


@dataclass
class LineOutcome:
    """What the import does with one line: created, updated or unchanged, and any remarks."""

    line: int
    number: str
    outcome: str
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class FleetImportReport:
    """What an import did (or, checked only, would do): per line, or why not."""

    as_of: date
    outcomes: list[LineOutcome] = field(default_factory=list)
    problems: list[LineProblems] = field(default_factory=list)
    lines_read: int = 0  # the units' lines, good or bad (blank and title lines aside)
    blank_lines: int = 0
    title_lines: int = 0
    linked_patrols: int = 0
    status_changes: int = 0
    checked_only: bool = False
    saved: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)


@dataclass
class _Plan:
    row: VehicleRow
    vehicle: Vehicle | None
    data: VehicleInput
    change: StatusChange | None
    outcome: LineOutcome


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


def _department_id(
    departments: dict[str, Department], row: VehicleRow, problems: list[Problem]
) -> int | None:
    department = departments.get(_name_key(row.department or ""))
    if department is None:
        problems.append(
            Problem(
                "department",
                N_("No department has this name."),
                N_("There is no department %(name)s; create it first."),
                {"name": row.department},
            )
        )
        return None
    if not department.active:
        problems.append(
            Problem(
                "department",
                N_("The department is no longer active."),
                N_("The department %(name)s is no longer active."),
                {"name": department.name},
            )
        )
        return None
    return department.id


def _input(row: VehicleRow, vehicle: Vehicle | None, department_id: int | None) -> VehicleInput:
    """Return the unit's particulars after the line: the columns it has over the register's."""
    if vehicle is None:
        return VehicleInput(
            kind=row.kind,
            number=row.number,
            make_model=row.make_model or "",
            year=row.year,
            department_id=department_id,
            use=row.use or VehicleUse.production.value,
            registered_on=row.registered_on,
            note=row.note or "",
        )
    given = row.given
    data = replace(vehicles.input_of(vehicle), kind=row.kind)
    if "make_model" in given:
        data = replace(data, make_model=row.make_model or "")
    if "year" in given:
        data = replace(data, year=row.year)
    if "department" in given:
        data = replace(data, department_id=department_id)
    if row.use is not None:
        data = replace(data, use=row.use)
    if "note" in given:
        data = replace(data, note=row.note or "")
    return data


def _sealing_record(session: Session, vehicle: Vehicle) -> VehicleStatusEvent | None:
    return session.scalars(
        select(VehicleStatusEvent)
        .where(
            VehicleStatusEvent.vehicle_id == vehicle.id,
            VehicleStatusEvent.to_status == VehicleStatus.sealed.value,
        )
        .order_by(VehicleStatusEvent.on_date.desc(), VehicleStatusEvent.id.desc())
        .limit(1)
    ).first()


def _sealing(
    session: Session,
    row: VehicleRow,
    vehicle: Vehicle | None,
    target: str,
    problems: list[Problem],
    notes: list[tuple[str, dict[str, Any]]],
) -> None:
    """Check the sealing place and key holder of a line against the status it ends in."""
    place, holder = row.sealed_place or "", row.key_holder or ""
    if target != VehicleStatus.sealed:
        if place:
            problems.append(Problem("sealed_place", N_("Only a sealed unit has a sealing place.")))
        if holder:
            problems.append(Problem("key_holder", N_("Only a sealed unit has a key holder.")))
        return
    if vehicle is not None and vehicle.status == VehicleStatus.sealed:
        record = _sealing_record(session, vehicle)
        differs = record is not None and (
            (place and place != record.sealed_place) or (holder and holder != record.key_holder)
        )
        if differs:
            notes.append(
                (
                    N_("Already sealed: its sealing record (%(place)s, %(holder)s) is kept."),
                    {"place": record.sealed_place, "holder": record.key_holder},
                )
            )
        return
    if not place:
        problems.append(Problem("sealed_place", N_("Say where the sealed unit is kept.")))
    if not holder:
        problems.append(Problem("key_holder", N_("Say who holds the sealed unit's key.")))


def _last_change_days(session: Session) -> dict[int, date]:
    return dict(
        session.execute(
            select(VehicleStatusEvent.vehicle_id, func.max(VehicleStatusEvent.on_date)).group_by(
                VehicleStatusEvent.vehicle_id
            )
        ).all()
    )


def _status_change(row: VehicleRow, current: str, target: str, as_of: date) -> StatusChange | None:
    if target == current:
        return None
    sealing = target == VehicleStatus.sealed
    return StatusChange(
        to_status=VehicleStatus(target),
        on_date=as_of,
        reason=IMPORT_REASON,
        sealed_place=row.sealed_place if sealing else None,
        key_holder=row.key_holder if sealing else None,
    )


def _change_problems(
    change: StatusChange,
    current: str,
    *,
    registered_on: date,
    last_on: date | None,
    today: date,
) -> list[Problem]:
    """Judge a status change as `status.change_status` will; say why it is refused."""
    try:
        check_change(current, change, registered_on=registered_on, last_on=last_on, today=today)
    except ValidationError as refused:
        return [
            Problem(
                "status",
                message,
                N_("The register has %(current)s; %(message)s"),
                {"current": current, "message": message},
            )
            for name, message in refused.fields.items()
            if name in _CHANGE_FIELDS  # a missing place or key holder: see `_sealing`
        ]
    return []


def _plan(
    session: Session,
    row: VehicleRow,
    vehicle: Vehicle | None,
    *,
    departments: dict[str, Department],
    last_days: dict[int, date],
    as_of: date,
    today: date,
) -> _Plan | LineProblems:
    problems: list[Problem] = []
    outcome = LineOutcome(row.line, row.number, "created" if vehicle is None else "unchanged")
    department_id = _department_id(departments, row, problems) if row.department else None
    data = _input(row, vehicle, department_id)
    if vehicle is None:
        target = row.status or VehicleStatus.fit.value
        current = target if target in vehicles.ENTRY_STATUSES else VehicleStatus.fit.value
        registered_on = row.registered_on or as_of
        data = replace(data, status=current, registered_on=registered_on)
        last_on = registered_on
    else:
        target = row.status or vehicle.status
        current, registered_on = vehicle.status, vehicle.registered_on
        last_on = last_days.get(vehicle.id)
        if row.registered_on is not None and row.registered_on != registered_on:
            outcome.notes.append(
                (
                    N_("Registration date %(day)s differs from the register's; %(kept)s is kept."),
                    {"day": row.registered_on.isoformat(), "kept": registered_on.isoformat()},
                )
            )
    change = _status_change(row, current, target, as_of)
    if change is not None:
        problems += _change_problems(
            change, current, registered_on=registered_on, last_on=last_on, today=today
        )
        outcome.notes.append(
            (
                N_("Status %(current)s → %(status)s on %(day)s."),
                {"current": current, "status": target, "day": as_of.isoformat()},
            )
        )
    if vehicle is not None and (change is not None or data != vehicles.input_of(vehicle)):
        outcome.outcome = "updated"
    _sealing(session, row, vehicle, target, problems, outcome.notes)
    if problems:
        return LineProblems(row.line, tuple(problems))
    return _Plan(row, vehicle, data, change, outcome)


def _check_as_of(as_of: date, today: date) -> None:
    if as_of > today:
        raise ValidationError(
            N_("The status date is in the future."),
            fields={"as_of": N_("The date is in the future.")},
        )
    if as_of.year < 1950:
        raise ValidationError(
            N_("The status date is too early."), fields={"as_of": N_("The date is too early.")}
        )


# The register's field names → the file's columns.
_COLUMN_OF = {"department_id": "department", "to_status": "status", "on_date": "status"}


def _write(session: Session, plan: _Plan, *, user_id: int, today: date) -> Vehicle:
    """Enter or update the unit through the register's services, then change its status."""
    if plan.vehicle is None:
        vehicle = vehicles.create_vehicle(session, plan.data, user_id=user_id, today=today)
    else:
        vehicle = vehicles.update_vehicle(session, plan.vehicle, plan.data, today=today)
    if plan.change is not None:
        vehicles.change_status(session, vehicle.id, plan.change, user_id=user_id, today=today)
    return vehicle


def _refusal(line: int, error: ValidationError) -> LineProblems:
    problems = tuple(
        Problem(_COLUMN_OF.get(name, name), message) for name, message in error.fields.items()
    )
    return LineProblems(line, problems or (Problem("number", error.message),))


def link_patrols(session: Session, vehicles: list[Vehicle]) -> int:
    """Link the patrols naming one of these units in their free text and no vehicle yet."""
    by_key = {vehicle.number_key: vehicle.id for vehicle in vehicles}
    texts: dict[int, list[str]] = {}
    for (text,) in session.execute(
        select(Patrol.vehicle).where(Patrol.vehicle_id.is_(None), Patrol.vehicle != "").distinct()
    ):
        vehicle_id = by_key.get(number_key(unicodedata.normalize("NFKC", text).strip()))
        if vehicle_id is not None:
            texts.setdefault(vehicle_id, []).append(text)
    linked = 0
    for vehicle_id, names in texts.items():
        result = session.execute(
            update(Patrol)
            .where(Patrol.vehicle_id.is_(None), Patrol.vehicle.in_(names))
            .values(vehicle_id=vehicle_id)
            .execution_options(synchronize_session=False)
        )
        linked += result.rowcount
    return linked


def import_fleet(
    session: Session,
    parsed: FleetFile,
    *,
    user_id: int,
    as_of: date,
    today: date,
    check_only: bool = False,
) -> FleetImportReport:
    """Register or update the units of a fleet list, all or nothing (the caller commits).

    `check_only` does the same writes in a savepoint and rolls them back: the report says what
    the import would do, nothing is stored."""
    _check_as_of(as_of, today)
    report = FleetImportReport(
        as_of=as_of,
        lines_read=len(parsed.rows) + len(parsed.problems),
        blank_lines=parsed.blank_lines,
        title_lines=parsed.title_lines,
        checked_only=check_only,
    )
    report.problems = list(parsed.problems)
    departments = {_name_key(d.name): d for d in session.scalars(select(Department))}
    keys = [row.key for row in parsed.rows]
    existing = {
        v.number_key: v
        for v in session.scalars(select(Vehicle).where(Vehicle.number_key.in_(keys)))
    }
    last_days = _last_change_days(session) if existing else {}
    plans: list[_Plan] = []
    for row in parsed.rows:
        planned = _plan(
            session,
            row,
            existing.get(row.key),
            departments=departments,
            last_days=last_days,
            as_of=as_of,
            today=today,
        )
        if isinstance(planned, LineProblems):
            report.problems.append(planned)
        else:
            plans.append(planned)
    report.problems.sort(key=lambda p: p.line)
    if report.problems:
        return report
    report.outcomes = [plan.outcome for plan in plans]
    report.status_changes = sum(1 for plan in plans if plan.change is not None)
    savepoint = session.begin_nested()
    try:
        written: list[Vehicle] = []
        for plan in plans:
            try:
                written.append(_write(session, plan, user_id=user_id, today=today))
            except ValidationError as error:  # the register's own checks, line by line
                report.problems.append(_refusal(plan.row.line, error))
        if report.problems:
            savepoint.rollback()
            report.outcomes, report.status_changes = [], 0
            return report
        session.flush()
        report.linked_patrols = link_patrols(session, written)
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    if check_only:
        savepoint.rollback()
    else:
        savepoint.commit()
        report.saved = True
    return report
