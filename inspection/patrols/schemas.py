"""Parse the JSON the phone sends into typed inputs, naming every bad field at once."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from pydantic import ConfigDict, Field, model_validator

from inspection.errors import N_, ValidationError
from inspection.hazards.workflow import HAZARD_CATEGORIES
from inspection.inputs import (
    ACCURACY_MAX_M,
    DIRECTIONS,
    EARLIEST_TIME,
    NOTE_LENGTH,
    SEVERITIES,
    Code,
    Count,
    DepthMm,
    Input,
    Int,
    Lat,
    Lon,
    Note,
    Number,
    PlausibleTime,
    Quantity,
    RoadCode,
    Stake,
    Text,
    Uuid,
    check,
    validate,
)
from inspection.network.services import GpsFix
from inspection.patrols.kinds import FINDING_KINDS, PATROL_KINDS, SIDES, WEATHER


class FieldErrors:
    """Collect field errors, then raise them together."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(N_("Some fields are not valid."), fields=self.fields)


# --- helpers for code that still reads a body by hand (sites, inspections, hazards) ----------
# They share the checks of `inspection.inputs`, so hand-read fields refuse what models refuse.


def text(body: dict, name: str, errors: FieldErrors, *, max_length: int = NOTE_LENGTH) -> str:
    value = body.get(name)
    if value is None:
        return ""
    result, message = check(Text(max_length), value)
    if message:
        errors.add(name, message)
        return ""
    return result


def number(
    body: dict, name: str, errors: FieldErrors, *, minimum: float | None = None
) -> float | None:
    value = body.get(name)
    if value is None or value == "":
        return None
    result, message = check(Number(-math.inf, math.inf), value)
    if message:
        errors.add(name, message)
        return None
    if minimum is not None and result < minimum:
        errors.add(name, N_("The number is too small."))
    return result


def client_uuid(body: dict, name: str, errors: FieldErrors) -> uuid.UUID | None:
    value = body.get(name)
    if not value:
        return None
    result, message = check(Uuid, value)
    if message:
        errors.add(name, message)
    return result


def timestamp(body: dict, name: str, errors: FieldErrors) -> datetime | None:
    """Return an aware datetime from ISO 8601 text; a time without a zone is refused.

    Times before 2000 are refused here; times in the future are left to the services' rule."""
    value = body.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not value.isascii():
        errors.add(name, N_("Give the time as ISO 8601, e.g. 2026-05-01T09:30:00+08:00."))
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        errors.add(name, N_("Give the time as ISO 8601, e.g. 2026-05-01T09:30:00+08:00."))
        return None
    if parsed.tzinfo is None:
        errors.add(name, N_("Give the time with its time zone, e.g. +08:00."))
        return None
    try:
        moment = parsed.astimezone(UTC)
    except OverflowError:
        moment = None
    if moment is None or moment < EARLIEST_TIME or moment.year >= 9999:
        errors.add(name, N_("Not a plausible time."))
        return None
    return moment


def choice(
    body: dict, name: str, options, errors: FieldErrors, *, required: bool = False
) -> str | None:
    value = body.get(name)
    if value in (None, ""):
        if required:
            errors.add(name, N_("This field is required."))
        return None
    # A non-text value (a list, an object) is refused before it is looked up: it is not hashable.
    if not isinstance(value, str) or value not in options:
        errors.add(name, N_("Not one of the allowed values."))
        return None
    return value


def gps_fix(body: dict, errors: FieldErrors) -> GpsFix | None:
    """Return the raw GPS fix {lon, lat, accuracy, at} the phone sent, if any."""
    raw = body.get("gps")
    if raw in (None, {}):
        return None
    if not isinstance(raw, dict):
        errors.add("gps", N_("Send the GPS fix as {lon, lat, accuracy, at}."))
        return None
    try:
        return validate(GpsFixBody, raw).fix()
    except ValidationError as error:
        for name, message in error.fields.items():
            errors.add("gps" if name in ("lon", "lat") else f"gps.{name}", message)
        return None


# --- the declared inputs ----------------------------------------------------------------------

GPS_MESSAGE = N_("The GPS fix needs a longitude and latitude in range.")


class GpsFixBody(Input):
    """A raw GPS fix from the phone."""

    lon: Lon
    lat: Lat
    accuracy: Number(0, ACCURACY_MAX_M) | None = None
    at: PlausibleTime | None = None

    def fix(self) -> GpsFix:
        return GpsFix(lon=self.lon, lat=self.lat, accuracy_m=self.accuracy, at=self.at)


class PatrolStartBody(Input):
    """Start a patrol (idempotent by client_uuid)."""

    messages: ClassVar = {
        "client_uuid": N_("This field is required."),
        "road": N_("Choose a road."),
        **{
            f"{name}:{kind}": message
            for name, message in (
                ("vehicle_id", N_("Choose a vehicle from the list.")),
                ("driver_id", N_("Choose a driver from the list.")),
            )
            for kind in ("whole_number", "too_small", "too_large")
        },
        "gps.lon": GPS_MESSAGE,
        "gps.lat": GPS_MESSAGE,
    }

    client_uuid: Uuid
    road: Text(16, 1)
    direction: Code(DIRECTIONS)
    kind: Code(PATROL_KINDS)
    crew: Text(256) = ""
    vehicle: Annotated[
        Text(64), Field(description=N_("Free text (a plate) when the unit is not in the register."))
    ] = ""
    vehicle_id: Annotated[
        Int() | None, Field(description=N_("The register's unit: it must be fit."))
    ] = None
    driver_id: Annotated[
        Int() | None, Field(description=N_("The register's driver: they must be active."))
    ] = None
    weather: Code(WEATHER) | None = None
    started_at: PlausibleTime | None = None
    start_stake: Stake = ""
    gps: GpsFixBody | None = None
    note: Note = ""


class PatrolEndBody(Input):
    """End a patrol."""

    messages: ClassVar = {"gps.lon": GPS_MESSAGE, "gps.lat": GPS_MESSAGE}

    ended_at: PlausibleTime | None = None
    end_stake: Stake = ""
    patrolled_km: Number(0, 10_000) | None = None
    gps: GpsFixBody | None = None
    note: Note = ""


class FindingHazardBody(Input):
    """The hazard a safety finding raises (its category must apply to roads)."""

    category: Code(HAZARD_CATEGORIES) | None = None
    grade: Code(("general", "major")) | None = None
    description: Note | None = None
    interim_measures: Note | None = None


class FindingBody(Input):
    """Record a finding (idempotent by client_uuid)."""

    messages: ClassVar = {
        "client_uuid": N_("This field is required."),
        "gps.lon": GPS_MESSAGE,
        "gps.lat": GPS_MESSAGE,
    }

    client_uuid: Uuid
    patrol_uuid: Uuid | None = None
    kind: Code(FINDING_KINDS)
    road: RoadCode = ""
    direction: Code(DIRECTIONS) | None = None
    stake: Stake = ""
    end_stake: Stake = ""
    gps: GpsFixBody | None = None
    side: Code(SIDES) | None = None
    lane: Text(32) = ""
    pavement: Code(("asphalt", "concrete")) = "asphalt"
    item_code: Text(32) = ""
    severity: Code(SEVERITIES) | None = None
    quantity: Quantity | None = None
    depth_mm: DepthMm | None = None
    count: Count | None = None
    note: Note = ""
    onsite_action: Note = ""
    observed_at: PlausibleTime | None = None
    hazard: FindingHazardBody | None = None


class FindingChangesBody(Input):
    """Correct a finding's details: only the fields sent change ("" clears a text)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    blank_is_absent: ClassVar = False

    quantity: Quantity | None = None
    depth_mm: DepthMm | None = None
    side: Code(SIDES) | None = None
    severity: Code(SEVERITIES) | None = None
    note: Note | None = None
    onsite_action: Note | None = None
    lane: Text(32) | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_blank_codes(cls, data: Any) -> Any:
        # "" clears a number or a code (None); texts keep their "".
        if isinstance(data, dict):
            texts = ("note", "onsite_action", "lane")
            return {k: (None if v == "" and k not in texts else v) for k, v in data.items()}
        return data

    def changes(self) -> dict[str, Any]:
        texts = ("note", "onsite_action", "lane")
        return {
            name: ("" if getattr(self, name) is None and name in texts else getattr(self, name))
            for name in self.model_fields_set
        }


@dataclass(frozen=True)
class PatrolStart:
    client_uuid: uuid.UUID
    road: str
    direction: str
    kind: str
    crew: str
    vehicle: str
    weather: str
    started_at: datetime | None
    start_stake: str
    gps: GpsFix | None
    note: str
    vehicle_id: int | None = None
    driver_id: int | None = None


def parse_patrol_start(body: Any, kinds=PATROL_KINDS, weather=WEATHER) -> PatrolStart:
    data = validate(PatrolStartBody, body)
    return PatrolStart(
        client_uuid=data.client_uuid,
        road=data.road,
        direction=data.direction,
        kind=data.kind,
        crew=data.crew,
        vehicle=data.vehicle,
        weather=data.weather or "",
        started_at=data.started_at,
        start_stake=data.start_stake,
        gps=data.gps.fix() if data.gps else None,
        note=data.note,
        vehicle_id=data.vehicle_id,
        driver_id=data.driver_id,
    )


@dataclass(frozen=True)
class PatrolEnd:
    ended_at: datetime | None
    end_stake: str
    patrolled_km: float | None
    gps: GpsFix | None
    note: str


def parse_patrol_end(body: Any) -> PatrolEnd:
    data = validate(PatrolEndBody, body)
    return PatrolEnd(
        ended_at=data.ended_at,
        end_stake=data.end_stake,
        patrolled_km=data.patrolled_km,
        gps=data.gps.fix() if data.gps else None,
        note=data.note,
    )


@dataclass(frozen=True)
class FindingInput:
    client_uuid: uuid.UUID
    patrol_uuid: uuid.UUID | None
    kind: str
    road: str
    direction: str | None
    stake: str
    end_stake: str
    gps: GpsFix | None
    side: str | None
    lane: str
    pavement: str
    item_code: str
    severity: str | None
    quantity: float | None
    depth_mm: float | None
    count: int | None
    note: str
    onsite_action: str
    observed_at: datetime | None
    hazard: dict[str, Any] | None


def parse_finding(body: Any, kinds=FINDING_KINDS, sides=SIDES) -> FindingInput:
    data = validate(FindingBody, body)
    return FindingInput(
        client_uuid=data.client_uuid,
        patrol_uuid=data.patrol_uuid,
        kind=data.kind,
        road=data.road,
        direction=data.direction,
        stake=data.stake,
        end_stake=data.end_stake,
        gps=data.gps.fix() if data.gps else None,
        side=data.side,
        lane=data.lane,
        pavement=data.pavement,
        item_code=data.item_code,
        severity=data.severity,
        quantity=data.quantity,
        depth_mm=data.depth_mm,
        count=data.count,
        note=data.note,
        onsite_action=data.onsite_action,
        observed_at=data.observed_at,
        hazard=data.hazard.model_dump(exclude_none=True) if data.hazard else None,
    )
