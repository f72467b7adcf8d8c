"""Parse a site or department as the JSON API and the HTML forms send it, naming every bad field."""

from __future__ import annotations

from typing import Any

from inspection.errors import N_
from inspection.patrols.schemas import FieldErrors, choice, number, text
from inspection.sites.importing import NOTE_LENGTH
from inspection.sites.kinds import NAME_LENGTH, DepartmentKind, SiteKind
from inspection.sites.services import SiteInput

LOCATION_KEYS = ("lon", "lat", "road", "direction", "stake")
DIRECTIONS = ("up", "down", "both")


def _department_id(body: dict, errors: FieldErrors) -> int | None:
    value = body.get("department_id")
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        errors.add("department_id", N_("Choose an active department from the list."))
        return None
    return value


def _active(body: dict, errors: FieldErrors, default: bool) -> bool:
    value = body.get("active", default)
    if not isinstance(value, bool):
        errors.add("active", N_("Must be true or false."))
        return default
    return value


def parse_site(body: dict[str, Any], *, base: SiteInput | None = None) -> SiteInput:
    """Return a site's input from a body; with `base` (a change), absent fields keep its values.

    The place is changed as a whole: when a change gives any of lon, lat, road, direction or
    stake, the others it leaves out are cleared.
    """
    errors = FieldErrors()
    creating = base is None
    name = text(body, "name", errors, max_length=NAME_LENGTH)
    if creating or "name" in body:
        if not name and "name" not in errors.fields:
            errors.add("name", N_("Give the name."))
    else:
        name = base.name
    kind = choice(body, "kind", tuple(SiteKind), errors, required=creating or "kind" in body)
    if not creating and "kind" not in body:
        kind = base.kind
    lon, lat = number(body, "lon", errors), number(body, "lat", errors)
    road = text(body, "road", errors, max_length=16)
    direction = choice(body, "direction", DIRECTIONS, errors)
    stake = text(body, "stake", errors, max_length=40)
    if not creating and not any(key in body for key in LOCATION_KEYS):
        lon, lat, road, direction, stake = base.lon, base.lat, base.road, base.direction, base.stake
    department_id = _department_id(body, errors)
    if not creating and "department_id" not in body:
        department_id = base.department_id
    note = text(body, "note", errors, max_length=NOTE_LENGTH)
    if not creating and "note" not in body:
        note = base.note
    active = _active(body, errors, True if creating else base.active)
    errors.raise_if_any()
    return SiteInput(
        name=name,
        kind=kind,
        lon=lon,
        lat=lat,
        road=road,
        direction=direction,
        stake=stake,
        department_id=department_id,
        note=note,
        active=active,
    )


def parse_department(body: dict[str, Any]) -> tuple[str, str]:
    """Return a new department's name and kind from a body."""
    errors = FieldErrors()
    name = text(body, "name", errors, max_length=NAME_LENGTH)
    if not name and "name" not in errors.fields:
        errors.add("name", N_("Give the name."))
    kind = choice(body, "kind", tuple(DepartmentKind), errors)
    errors.raise_if_any()
    return name, kind or DepartmentKind.other.value
