"""The declared inputs of the drivers register, as the JSON API and the HTML forms send them.

`DriverBody` registers a driver, `DriverChangesBody` changes one (only the fields sent),
`ReviewBody` records an annual review; `DriversQuery` is the list's query string. What needs the
database or today (a user not yet a driver, a unique licence number, a review not after the
licence's expiry) is the service's to check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import Field, StrictBool

from inspection.errors import N_, ValidationError
from inspection.fleet.kinds import LICENCE_CLASSES, NAME_LENGTH, DriverReviewResult
from inspection.inputs import Code, Day, Input, Int, Note, Text, validate

LICENCE_NUMBER_LENGTH = 32
# A licence is valid for 6 or 10 years, or "long-term" (长期, written as a far day).
LicenceExpiry = Day(60)
GIVE_NAME = N_("Give the driver's name, or choose a user.")
DRIVER_MESSAGES = {
    "licence_class": N_("Choose the licence class."),
    "licence_class:choice": N_("Choose the licence class."),
    "licence_expires": N_("Give the day the licence expires."),
    "active": N_("Must be true or false."),
    **{
        f"{name}:{kind}": message
        for name, message in (
            ("user_id", N_("Choose a user from the list.")),
            ("department_id", N_("Choose an active department from the list.")),
        )
        for kind in ("whole_number", "too_small", "too_large")
    },
}


class DriverBody(Input):
    """Register a driver: a user of the system, or a name when they have no account."""

    messages: ClassVar = DRIVER_MESSAGES

    user_id: Annotated[
        Int() | None, Field(description=N_("The user who drives (none: give the name)."))
    ] = None
    name: Annotated[
        Text(NAME_LENGTH), Field(description=N_("The driver's name (default: the user's)."))
    ] = ""
    licence_class: Code(LICENCE_CLASSES)
    licence_number: Text(LICENCE_NUMBER_LENGTH) = ""
    licence_expires: LicenceExpiry
    department_id: Annotated[Int() | None, Field(description=N_("Department's id."))] = None
    active: StrictBool = True
    note: Note = ""


class DriverChangesBody(Input):
    """Change a driver: only the fields sent change ("" or null clears the licence number, the
    note, the department or the user; active: false takes the driver off the lists)."""

    messages: ClassVar = DRIVER_MESSAGES

    user_id: Int() | None = None
    name: Text(NAME_LENGTH) | None = None
    licence_class: Code(LICENCE_CLASSES) | None = None
    licence_number: Text(LICENCE_NUMBER_LENGTH) | None = None
    licence_expires: LicenceExpiry | None = None
    department_id: Int() | None = None
    active: StrictBool | None = None
    note: Note | None = None


class ReviewBody(Input):
    """Record a driver's annual review (年审): its day and result."""

    messages: ClassVar = {
        "reviewed_on": N_("Give the day of the review."),
        "result": N_("Choose passed or not passed."),
        "result:choice": N_("Choose passed or not passed."),
    }

    reviewed_on: Day(1)
    result: Code(DriverReviewResult)
    note: Note = ""


ACTIVE_CHOICES = ("true", "false", "all")


class DriversQuery(Input):
    """Which drivers to list."""

    active: Annotated[
        Code(ACTIVE_CHOICES) | None,
        Field(description=N_("Which to list: true (the default), false or all.")),
    ] = None

    def active_filter(self) -> bool | None:
        return {None: True, "true": True, "false": False, "all": None}[self.active]


# --------------------------------------------------------------------------- parsed inputs


@dataclass(frozen=True)
class DriverInput:
    """A driver as a form or the API gives it (checked against the database by the service)."""

    user_id: int | None
    name: str
    licence_class: str
    licence_number: str
    licence_expires: date
    department_id: int | None = None
    active: bool = True
    note: str = ""


@dataclass(frozen=True)
class ReviewInput:
    reviewed_on: date
    result: str
    note: str = ""


def _fields(model: type[Input], body: Any) -> tuple[Any, dict[str, str]]:
    try:
        return validate(model, body), {}
    except ValidationError as error:
        return None, dict(error.fields)


def _refuse(fields: dict[str, str]) -> None:
    if fields:
        raise ValidationError(N_("Some fields are not valid."), fields=fields)


def _blank(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | dict) and not value)


def parse_driver(body: Mapping[str, Any], *, base: DriverInput | None = None) -> DriverInput:
    """Return a driver's input from a body; with `base` (a change), absent fields keep its values.

    A field sent empty counts as sent: emptying the licence class or expiry is refused, emptying
    the licence number, note, department or user clears it (the name then stays the driver's).
    """
    if base is None:
        data, fields = _fields(DriverBody, body)
        _refuse(fields)
        return DriverInput(
            user_id=data.user_id,
            name=data.name,
            licence_class=data.licence_class,
            licence_number=data.licence_number,
            licence_expires=data.licence_expires,
            department_id=data.department_id,
            active=data.active,
            note=data.note,
        )
    data, fields = _fields(DriverChangesBody, body)
    # Sent empty (null, "", {} or []): the model took it for absent; these may not be emptied.
    for name in ("licence_class", "licence_expires", "active"):
        if name in body and name not in fields and _blank(body[name]):
            fields[name] = DRIVER_MESSAGES[name]
    _refuse(fields)
    sent = set(body)

    def pick(name: str, empty: Any = None) -> Any:
        if name not in sent:
            return getattr(base, name)
        value = getattr(data, name)
        return empty if value is None else value

    name = pick("name", "")
    if "name" not in sent and "user_id" in sent and data.user_id is not None:
        name = ""  # another user: their name, unless one is given
    return DriverInput(
        user_id=pick("user_id"),
        name=name,
        licence_class=pick("licence_class"),
        licence_number=pick("licence_number", ""),
        licence_expires=pick("licence_expires"),
        department_id=pick("department_id"),
        active=pick("active"),
        note=pick("note", ""),
    )


def parse_review(body: Mapping[str, Any]) -> ReviewInput:
    """Return a review's input from a body."""
    data, fields = _fields(ReviewBody, body)
    _refuse(fields)
    return ReviewInput(reviewed_on=data.reviewed_on, result=data.result, note=data.note)
