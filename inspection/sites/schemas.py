"""The declared inputs of departments and sites, as the JSON API and the HTML forms send them.

`SiteBody` creates a site, `SiteChangesBody` changes one (only the fields sent), `DepartmentBody`
creates a department; `SitesQuery` and `ActiveQuery` are the lists' query strings. What needs the
database (a unique name, an active department, a stake on the road) is the service's to check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import Field, PlainValidator, StrictBool, WithJsonSchema
from pydantic_core import PydanticCustomError

from inspection.errors import N_, ValidationError
from inspection.inputs import (
    DIRECTIONS,
    Code,
    Input,
    Int,
    Lat,
    Lon,
    RoadCode,
    Stake,
    Text,
    check,
    validate,
)
from inspection.sites.importing import NOTE_LENGTH
from inspection.sites.kinds import NAME_LENGTH, DepartmentKind, SiteKind
from inspection.sites.services import SiteInput

LOCATION_KEYS = ("lon", "lat", "road", "direction", "stake")
GIVE_NAME = N_("Give the name.")
CHOOSE_DEPARTMENT = N_("Choose an active department from the list.")
DEPARTMENT_MESSAGES = {
    f"department_id:{kind}": CHOOSE_DEPARTMENT
    for kind in ("whole_number", "too_small", "too_large")
}


class SiteBody(Input):
    """Create a site. The place is lon and lat, or road, direction and stake, or both (then
    the point is lon and lat, and the road and stake are kept with it)."""

    messages: ClassVar = {
        "name": GIVE_NAME,
        "active": N_("Must be true or false."),
        **DEPARTMENT_MESSAGES,
    }

    name: Text(NAME_LENGTH, 1)
    kind: Code(SiteKind)
    lon: Annotated[Lon | None, Field(examples=[87.62])] = None
    lat: Annotated[Lat | None, Field(examples=[43.86])] = None
    road: RoadCode = ""
    direction: Code(DIRECTIONS) | None = None
    stake: Stake = ""
    department_id: Annotated[Int() | None, Field(description=N_("Owning department's id."))] = None
    note: Text(NOTE_LENGTH) = ""
    active: StrictBool = True


class SiteChangesBody(Input):
    """Change a site: only the fields sent change. The place changes as a whole: sending any of
    lon, lat, road, direction or stake clears the others not sent."""

    messages: ClassVar = SiteBody.messages

    name: Text(NAME_LENGTH, 1) | None = None
    kind: Code(SiteKind) | None = None
    lon: Lon | None = None
    lat: Lat | None = None
    road: RoadCode = ""
    direction: Code(DIRECTIONS) | None = None
    stake: Stake = ""
    department_id: Annotated[
        Int() | None, Field(description=N_("Owning department's id (null: none)."))
    ] = None
    note: Text(NOTE_LENGTH) | None = None
    active: Annotated[StrictBool | None, Field(description=N_("false deactivates the site."))] = (
        None
    )


class DepartmentBody(Input):
    """Create a department."""

    messages: ClassVar = {"name": GIVE_NAME}

    name: Text(NAME_LENGTH, 1)
    kind: Code(DepartmentKind) = DepartmentKind.other.value


def _fields(model: type[Input], body: Any) -> tuple[Any, dict[str, str]]:
    try:
        return validate(model, body), {}
    except ValidationError as error:
        return None, dict(error.fields)


def _refuse(fields: dict[str, str]) -> None:
    if fields:
        raise ValidationError(N_("Some fields are not valid."), fields=fields)


def parse_site(body: Mapping[str, Any], *, base: SiteInput | None = None) -> SiteInput:
    """Return a site's input from a body; with `base` (a change), absent fields keep its values.

    The place is changed as a whole: when a change gives any of lon, lat, road, direction or
    stake, the others it leaves out are cleared. A field sent empty (null or "") counts as
    sent: a change that empties the name is refused, one that empties department_id clears it.
    """
    if base is None:
        data, fields = _fields(SiteBody, body)
        _refuse(fields)
        return SiteInput(
            name=data.name,
            kind=data.kind,
            lon=data.lon,
            lat=data.lat,
            road=data.road,
            direction=data.direction,
            stake=data.stake,
            department_id=data.department_id,
            note=data.note,
            active=data.active,
        )
    data, fields = _fields(SiteChangesBody, body)
    for name in ("name", "kind"):
        if name in body and name not in fields and _blank(body[name]):
            fields[name] = GIVE_NAME if name == "name" else N_("This field is required.")
    if "active" in body and body["active"] is None:
        fields.setdefault("active", N_("Must be true or false."))
    _refuse(fields)
    sent = set(body)
    place = (
        (data.lon, data.lat, data.road, data.direction, data.stake)
        if sent & set(LOCATION_KEYS)
        else (base.lon, base.lat, base.road, base.direction, base.stake)
    )
    lon, lat, road, direction, stake = place
    return SiteInput(
        name=data.name if "name" in sent else base.name,
        kind=data.kind if "kind" in sent else base.kind,
        lon=lon,
        lat=lat,
        road=road,
        direction=direction,
        stake=stake,
        department_id=data.department_id if "department_id" in sent else base.department_id,
        note=(data.note or "") if "note" in sent else base.note,
        active=data.active if "active" in sent else base.active,
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_department(body: Mapping[str, Any]) -> tuple[str, str]:
    """Return a new department's name and kind from a body."""
    data, fields = _fields(DepartmentBody, body)
    _refuse(fields)
    return data.name, data.kind


# --------------------------------------------------------------------------- query strings


def _near(value: Any) -> tuple[float, float]:
    parts = value.split(",") if isinstance(value, str) else []
    if len(parts) == 2:
        lon, lon_error = check(Lon, parts[0].strip())
        lat, lat_error = check(Lat, parts[1].strip())
        if not (lon_error or lat_error):
            return lon, lat
    raise PydanticCustomError("near", N_("Give lon,lat in degrees, e.g. 87.62,43.86."))


Near = Annotated[
    tuple,
    PlainValidator(_near),
    WithJsonSchema({"type": "string", "description": "lon,lat", "example": "87.62,43.86"}),
]
ACTIVE_CHOICES = ("true", "false", "all")


class ActiveQuery(Input):
    """Which departments or sites to list."""

    active: Annotated[
        Code(ACTIVE_CHOICES) | None,
        Field(description=N_("Which to list: true (the default), false or all.")),
    ] = None

    def active_filter(self) -> bool | None:
        """True (the default) for active ones, False for inactive ones, None for all."""
        return {None: True, "true": True, "false": False, "all": None}[self.active]


class SitesQuery(ActiveQuery):
    """List the sites, by name or nearest first from a point."""

    messages: ClassVar = {"near:near": N_("Give lon,lat in degrees, e.g. 87.62,43.86.")}

    kind: Annotated[Code(SiteKind) | None, Field(description=N_("Kind of site."))] = None
    department_id: Annotated[Int() | None, Field(description=N_("Owning department's id."))] = None
    near: Annotated[
        Near | None, Field(description=N_("lon,lat: nearest first, with distance_m."))
    ] = None
    limit: Annotated[
        Int(1, 1000), Field(description=N_("At most this many sites (default 100)."))
    ] = 100
