"""Parse the JSON the phone sends into typed inputs, naming every bad field at once."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from inspection.errors import N_, ValidationError
from inspection.network.services import GpsFix


class FieldErrors:
    """Collect field errors, then raise them together."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(N_("Some fields are not valid."), fields=self.fields)


def text(body: dict, name: str, errors: FieldErrors, *, max_length: int = 2000) -> str:
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.add(name, N_("Must be text."))
        return ""
    if len(value) > max_length:
        errors.add(name, N_("Too long."))
    return value.strip()


def number(
    body: dict, name: str, errors: FieldErrors, *, minimum: float | None = None
) -> float | None:
    value = body.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        errors.add(name, N_("Enter a number."))
        return None
    try:
        result = float(value)
    except ValueError:
        errors.add(name, N_("Enter a number."))
        return None
    if not math.isfinite(result):
        errors.add(name, N_("Enter a number."))
        return None
    if minimum is not None and result < minimum:
        errors.add(name, N_("The number is too small."))
    return result


def client_uuid(body: dict, name: str, errors: FieldErrors) -> uuid.UUID | None:
    value = body.get(name)
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        errors.add(name, N_("Not a valid UUID."))
        return None


def timestamp(body: dict, name: str, errors: FieldErrors) -> datetime | None:
    """Return an aware datetime from ISO 8601 text; a time without a zone is refused."""
    value = body.get(name)
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        errors.add(name, N_("Give the time as ISO 8601, e.g. 2026-05-01T09:30:00+08:00."))
        return None
    if parsed.tzinfo is None:
        errors.add(name, N_("Give the time with its time zone, e.g. +08:00."))
        return None
    return parsed.astimezone(UTC)


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
    lon, lat = number(raw, "lon", errors), number(raw, "lat", errors)
    accuracy = number(raw, "accuracy", errors, minimum=0)
    at = timestamp(raw, "at", errors)
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        errors.add("gps", N_("The GPS fix needs a longitude and latitude in range."))
        return None
    return GpsFix(lon=lon, lat=lat, accuracy_m=accuracy, at=at)


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


def parse_patrol_start(body: dict, kinds, weather) -> PatrolStart:
    errors = FieldErrors()
    patrol_uuid = client_uuid(body, "client_uuid", errors)
    if patrol_uuid is None:
        errors.add("client_uuid", N_("This field is required."))
    road = text(body, "road", errors, max_length=16)
    if not road:
        errors.add("road", N_("Choose a road."))
    result = PatrolStart(
        client_uuid=patrol_uuid,
        road=road,
        direction=choice(body, "direction", ("up", "down", "both"), errors, required=True),
        kind=choice(body, "kind", kinds, errors, required=True),
        crew=text(body, "crew", errors, max_length=256),
        vehicle=text(body, "vehicle", errors, max_length=64),
        weather=choice(body, "weather", weather, errors) or "",
        started_at=timestamp(body, "started_at", errors),
        start_stake=text(body, "start_stake", errors, max_length=40),
        gps=gps_fix(body, errors),
        note=text(body, "note", errors),
    )
    errors.raise_if_any()
    return result


@dataclass(frozen=True)
class PatrolEnd:
    ended_at: datetime | None
    end_stake: str
    patrolled_km: float | None
    gps: GpsFix | None
    note: str


def parse_patrol_end(body: dict) -> PatrolEnd:
    errors = FieldErrors()
    result = PatrolEnd(
        ended_at=timestamp(body, "ended_at", errors),
        end_stake=text(body, "end_stake", errors, max_length=40),
        patrolled_km=number(body, "patrolled_km", errors, minimum=0),
        gps=gps_fix(body, errors),
        note=text(body, "note", errors),
    )
    errors.raise_if_any()
    return result


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


def parse_finding(body: dict, kinds, sides) -> FindingInput:
    errors = FieldErrors()
    finding_uuid = client_uuid(body, "client_uuid", errors)
    if finding_uuid is None:
        errors.add("client_uuid", N_("This field is required."))
    count = number(body, "count", errors, minimum=1)
    if count is not None and count != int(count):
        errors.add("count", N_("Enter a whole number."))
    hazard = body.get("hazard")
    if hazard is not None and not isinstance(hazard, dict):
        errors.add("hazard", N_("Send the hazard as {category, grade, description}."))
        hazard = None
    result = FindingInput(
        client_uuid=finding_uuid,
        patrol_uuid=client_uuid(body, "patrol_uuid", errors),
        kind=choice(body, "kind", kinds, errors, required=True),
        road=text(body, "road", errors, max_length=16),
        direction=choice(body, "direction", ("up", "down", "both"), errors),
        stake=text(body, "stake", errors, max_length=40),
        end_stake=text(body, "end_stake", errors, max_length=40),
        gps=gps_fix(body, errors),
        side=choice(body, "side", sides, errors),
        lane=text(body, "lane", errors, max_length=32),
        pavement=choice(body, "pavement", ("asphalt", "concrete"), errors) or "asphalt",
        item_code=text(body, "item_code", errors, max_length=32),
        severity=choice(body, "severity", ("light", "medium", "heavy"), errors),
        quantity=number(body, "quantity", errors, minimum=0),
        depth_mm=number(body, "depth_mm", errors, minimum=0),
        count=int(count) if count is not None and count == int(count) else None,
        note=text(body, "note", errors),
        onsite_action=text(body, "onsite_action", errors),
        observed_at=timestamp(body, "observed_at", errors),
        hazard=hazard,
    )
    errors.raise_if_any()
    return result
