"""The declared inputs of the vehicle register, as the JSON API and the HTML forms send them.

`VehicleBody` enters a unit, `VehicleChangesBody` changes one (only the fields sent),
`StatusChangeBody` changes its status, `ServiceBody` records a service event; the queries are
the lists' filters. What needs the database (a unique number, an active department, the
allowed status changes, dates against the unit's history) is the services' to check.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, ClassVar

from pydantic import Field, StrictBool, create_model

from inspection.errors import N_, ValidationError
from inspection.fleet.due import DUE_WINDOW_DAYS
from inspection.fleet.kinds import (
    NAME_LENGTH,
    PLATE_LENGTH,
    RECURRING,
    ServiceKind,
    VehicleKind,
    VehicleStatus,
    VehicleUse,
)
from inspection.fleet.service_events import INTERVAL_MAX, INTERVAL_MIN, ServiceInput
from inspection.fleet.status import StatusChange
from inspection.fleet.vehicles import VehicleInput
from inspection.inputs import Code, Day, Input, Int, ListQuery, Money, Note, Text, validate

CHOOSE_DEPARTMENT = N_("Choose an active department from the list.")
NOT_NEGATIVE = N_("The cost cannot be negative.")
DEPARTMENT_MESSAGES = {
    f"department_id:{kind}": CHOOSE_DEPARTMENT
    for kind in ("whole_number", "too_small", "too_large")
}
YEAR_MESSAGES = {
    f"year:{kind}": N_("Give the year it was made, 1950 to next year.")
    for kind in ("whole_number", "too_small", "too_large")
}
GIVE_NUMBER = N_("Give the plate or fleet number.")
Year = Int(1950, 2100)
# A day of the register: from 2000 to no later than a year ahead (the services refuse the future
# with the field named, so a wrong clock is told apart from a typing error).
RecordDay = Day(1)


class VehicleBody(Input):
    """Enter a vehicle or machine in the register. A unit is entered fit, defective or under
    repair; to seal it, enter it and then change its status to sealed with the 封存 record."""

    messages: ClassVar = {"number": GIVE_NUMBER, **DEPARTMENT_MESSAGES, **YEAR_MESSAGES}

    kind: Code(VehicleKind)
    number: Annotated[
        Text(PLATE_LENGTH, 1),
        Field(description=N_("Plate (新A12345) or fleet number; unique whatever the spacing.")),
    ]
    make_model: Text(NAME_LENGTH) = ""
    year: Annotated[Year | None, Field(description=N_("Year it was made."))] = None
    department_id: Annotated[Int() | None, Field(description=N_("Department's id."))] = None
    use: Code(VehicleUse) = VehicleUse.production.value
    status: Annotated[
        Code(VehicleStatus), Field(description=N_("fit, defective or under_repair."))
    ] = VehicleStatus.fit.value
    registered_on: Annotated[
        RecordDay | None, Field(description=N_("Day it entered the register (default today)."))
    ] = None
    note: Note = ""


class VehicleChangesBody(Input):
    """Change a unit's particulars: only the fields sent change. The status changes only
    through POST /vehicles/{id}/status."""

    messages: ClassVar = VehicleBody.messages

    kind: Code(VehicleKind) | None = None
    number: Text(PLATE_LENGTH, 1) | None = None
    make_model: Text(NAME_LENGTH) | None = None
    year: Annotated[Year | None, Field(description=N_("null clears it."))] = None
    department_id: Annotated[Int() | None, Field(description=N_("null: none."))] = None
    use: Code(VehicleUse) | None = None
    registered_on: RecordDay | None = None
    note: Note | None = None


class StatusChangeBody(Input):
    """Change a unit's status. Sealing needs the 封存 record: where it is kept and who holds
    the key. Allowed: fit ↔ defective ↔ under repair, fit or defective → sealed, sealed → fit,
    any but scrapped → scrapped; scrapped is final."""

    messages: ClassVar = {
        "sealed_place": N_("Say where the sealed unit is kept."),
        "key_holder": N_("Say who holds the sealed unit's key."),
    }

    to_status: Code(VehicleStatus)
    on_date: Annotated[
        RecordDay | None, Field(description=N_("Day of the change (default today)."))
    ] = None
    reason: Note = ""
    sealed_place: Annotated[
        Text(NAME_LENGTH) | None, Field(description=N_("Where the sealed unit is kept."))
    ] = None
    key_holder: Annotated[Text(NAME_LENGTH) | None, Field(description=N_("Who holds its key."))] = (
        None
    )


class ServiceBody(Input):
    """Record a service event of a unit: routine maintenance, a repair (cost, parts), the annual
    inspection (年检: passed true or false) or insurance. Not later than today."""

    messages: ClassVar = {
        "on_date": N_("Give the date like 2026-05-01."),
        "cost_yuan:too_small": NOT_NEGATIVE,
        "passed": N_("Say whether the unit passed the annual inspection."),
    }

    kind: Code(ServiceKind)
    on_date: RecordDay
    cost_yuan: Annotated[Money | None, Field(description=N_("Cost in yuan, 2 decimals."))] = None
    parts: Note = ""
    passed: Annotated[StrictBool | None, Field(description=N_("Annual inspection only."))] = None
    note: Note = ""


# --------------------------------------------------------------------------- query strings


class VehicleFilters(Input):
    """The register's filters."""

    kind: Annotated[Code(VehicleKind) | None, Field(description=N_("Kind of unit."))] = None
    department_id: Annotated[Int() | None, Field(description=N_("Department's id."))] = None
    status: Annotated[Code(VehicleStatus) | None, Field(description=N_("Status."))] = None
    use: Annotated[Code(VehicleUse) | None, Field(description=N_("Production or not."))] = None


class VehiclesQuery(VehicleFilters, ListQuery):
    """List the units, filtered, a page at a time."""


class DueQuery(Input):
    """The due board's filters."""

    within: Annotated[
        Int(0, 366), Field(description=N_("Days ahead counted as due soon (default 30)."))
    ] = DUE_WINDOW_DAYS
    kind: Annotated[Code(VehicleKind) | None, Field(description=N_("Kind of unit."))] = None
    department_id: Annotated[Int() | None, Field(description=N_("Department's id."))] = None
    service_kind: Annotated[Code(RECURRING) | None, Field(description=N_("Kind of service."))] = (
        None
    )


# --------------------------------------------------------------------------- parsing


def _refuse(fields: dict[str, str]) -> None:
    if fields:
        raise ValidationError(N_("Some fields are not valid."), fields=fields)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_vehicle(body: Mapping[str, Any], *, base: VehicleInput | None = None) -> VehicleInput:
    """Return a unit's input from a body; with `base` (a change), absent fields keep its values.

    A clearable field sent empty (null or "") is cleared; kind, number, use and the register
    day cannot be emptied; a change never carries the status.
    """
    if base is None:
        data = validate(VehicleBody, body)
        return VehicleInput(
            kind=data.kind,
            number=data.number,
            make_model=data.make_model,
            year=data.year,
            department_id=data.department_id,
            use=data.use,
            registered_on=data.registered_on,
            note=data.note,
            status=data.status,
        )
    fields: dict[str, str] = {}
    try:
        data = validate(VehicleChangesBody, body)
    except ValidationError as error:
        data, fields = None, dict(error.fields)
    for name in ("kind", "number", "use", "registered_on"):
        if name in body and name not in fields and _blank(body[name]):
            fields[name] = GIVE_NUMBER if name == "number" else N_("This field is required.")
    if "status" in body:
        fields["status"] = N_("The status changes only through a status change.")
    _refuse(fields)
    sent = set(body)

    def pick(name: str, empty: Any = None) -> Any:
        if name not in sent:
            return getattr(base, name)
        value = getattr(data, name)
        return empty if value is None else value

    return VehicleInput(
        kind=pick("kind"),
        number=pick("number"),
        make_model=pick("make_model", ""),
        year=pick("year"),
        department_id=pick("department_id"),
        use=pick("use"),
        registered_on=pick("registered_on"),
        note=pick("note", ""),
        status=base.status,
    )


def parse_status_change(body: Mapping[str, Any], today: date) -> StatusChange:
    """Return a status change from a body (its day today unless given)."""
    data = validate(StatusChangeBody, body)
    return StatusChange(
        to_status=VehicleStatus(data.to_status),
        on_date=data.on_date or today,
        reason=data.reason,
        sealed_place=data.sealed_place,
        key_holder=data.key_holder,
    )


def parse_service(body: Mapping[str, Any]) -> ServiceInput:
    """Return a service event from a body (the cost exact to the fen)."""
    data = validate(ServiceBody, body)
    cost = None
    if data.cost_yuan is not None:
        cost = Decimal(repr(data.cost_yuan)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return ServiceInput(
        kind=data.kind,
        on_date=data.on_date,
        cost_yuan=cost,
        parts=data.parts,
        passed=data.passed,
        note=data.note,
    )


def interval_field(kind: str, service: str) -> str:
    return f"{kind}__{service}"


# The intervals page posts one number per unit kind and recurring service kind.
IntervalsForm = create_model(
    "IntervalsForm",
    __base__=Input,
    __doc__="Days between two service events, per unit kind and service kind.",
    **{
        interval_field(kind.value, service.value): (Int(INTERVAL_MIN, INTERVAL_MAX) | None, None)
        for kind in VehicleKind
        for service in RECURRING
    },
)
IntervalsForm.messages = {
    f"{interval_field(k.value, s.value)}:{kind}": N_("Give 1 to 3660 days.")
    for k in VehicleKind
    for s in RECURRING
    for kind in ("whole_number", "too_small", "too_large")
}


def parse_intervals(form: Mapping[str, Any]) -> dict[tuple[str, str], int | None]:
    """Return the intervals a form gives, by (unit kind, service kind)."""
    data = validate(IntervalsForm, form)
    return {
        (kind.value, service.value): getattr(data, interval_field(kind.value, service.value))
        for kind in VehicleKind
        for service in RECURRING
    }
