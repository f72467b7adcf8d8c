"""The declared inputs of the hazard loop: raising a hazard, and the payload of every action.

`HazardBody` is what POST /api/v1/hazards takes; `HazardPayload` is what any action carries,
checked by `services.act` whoever calls it (the API, the hazard page, a look-back inspection),
so a text longer than its column or an id outside PostgreSQL's integer is a 422 everywhere.
What needs the database (does the department exist, may the assignee submit evidence) or the
hazard's state (which fields an action requires) is the service's and the workflow's.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import Field

from inspection.errors import N_, ValidationError
from inspection.hazards.workflow import (
    HAZARD_CATEGORIES,
    HazardAction,
    HazardGrade,
    HazardSource,
    LocationType,
)
from inspection.inputs import (
    DIRECTIONS,
    NOTE_LENGTH,
    Code,
    Day,
    Input,
    Int,
    Note,
    PlausibleTime,
    RoadCode,
    Stake,
    Text,
    Uuid,
    validate,
)
from inspection.patrols.schemas import GPS_MESSAGE, GpsFixBody

# Long texts of a rectification (measures, a plan's parts, reasons): Text columns, bounded here.
LONG_TEXT = 4000
PERSON_LENGTH = 64  # hazards.responsible_person
LOCATION_NOTE_LENGTH = 256  # hazards.location_note
MAX_PHOTOS = 50  # after photos named by one submission
# Sources a hazard raised directly may name; a self-inspection's come with their inspection.
RAISED_SOURCES = tuple(str(s) for s in HazardSource if s != HazardSource.self_inspection)
# Body fields that place a hazard at a road stake.
ROAD_FIELDS = ("road", "direction", "stake", "end_stake", "gps")
SOME_FIELDS = N_("Some fields are not valid.")
BOTH_PLACES = N_("Give either a road stake or a site, not both.")


def parse(
    model: type[Input],
    body: Any,
    *checks: Callable[[Mapping[str, Any]], dict[str, str]],
) -> Any:
    """Return `body` as `model`, or raise one 422 naming every bad field: the model's, and
    those the cross-field `checks` find in the raw body (so all are named at once)."""
    fields: dict[str, str] = {}
    data = None
    try:
        data = validate(model, body)
    except ValidationError as error:
        fields.update(error.fields)
    if isinstance(body, Mapping):
        for found in checks:
            for name, message in found(body).items():
                fields.setdefault(name, message)
    if fields:
        raise ValidationError(SOME_FIELDS, fields=fields)
    return data


# --------------------------------------------------------------------------- raising


class HazardBody(Input):
    """Raise a hazard at a road stake (road, direction, stake or GPS) or at a site (site_id),
    idempotent by client_uuid."""

    messages: ClassVar = {
        "client_uuid": N_("This field is required."),
        "category": N_("Choose a category."),
        "grade": N_("Choose a grade."),
        "description": N_("Describe the hazard."),
        "site_id:whole_number": N_("Choose a site from the list."),
        "gps.lon": GPS_MESSAGE,
        "gps.lat": GPS_MESSAGE,
    }

    client_uuid: Uuid
    category: Code(HAZARD_CATEGORIES)
    grade: Code(HazardGrade)
    description: Text(NOTE_LENGTH, 1)
    source: Annotated[
        Code(RAISED_SOURCES), Field(description=N_("How it came to be known (default patrol)."))
    ] = HazardSource.patrol.value
    found_at: PlausibleTime | None = None
    interim_measures: Note = ""
    road: RoadCode = ""
    direction: Code(DIRECTIONS) | None = None
    stake: Stake = ""
    end_stake: Stake = ""
    gps: GpsFixBody | None = None
    site_id: Annotated[
        Int() | None,
        Field(description=N_("At a site instead of a road stake (then no road, stake or GPS).")),
    ] = None
    location_note: Annotated[
        Text(LOCATION_NOTE_LENGTH), Field(description=N_("Where at the site."))
    ] = ""


def _given(body: Mapping[str, Any], name: str) -> bool:
    return body.get(name) not in (None, "", {}, [])


def _place_problems(body: Mapping[str, Any]) -> dict[str, str]:
    """Road stake or site, exactly one; a location note only at a site; a category that
    applies to that kind of place; no self-inspection source."""
    problems: dict[str, str] = {}
    if body.get("source") == HazardSource.self_inspection:
        problems["source"] = N_("A self-inspection's hazards are raised from that inspection.")
    at_road = [name for name in ROAD_FIELDS if _given(body, name)]
    at_site = _given(body, "site_id")
    if at_site and at_road:
        problems["site_id"] = BOTH_PLACES
        problems.update(dict.fromkeys(at_road, BOTH_PLACES))
    elif not at_site and not at_road:
        problems["location"] = N_("Give either a road stake or a site.")
    elif at_road and _given(body, "location_note"):
        problems["location_note"] = N_("A location note belongs to a hazard at a site.")
    category = body.get("category")
    if (at_site or at_road) and isinstance(category, str) and category in HAZARD_CATEGORIES:
        place = LocationType.site if at_site else LocationType.road
        if not HAZARD_CATEGORIES[category].applies(place):
            problems["category"] = N_("This category does not apply to this kind of place.")
    return problems


def parse_hazard(body: Any) -> HazardBody:
    """Return a hazard to raise, or a 422 naming every bad field."""
    return parse(HazardBody, body, _place_problems)


# --------------------------------------------------------------------------- actions


class PlanBody(Input):
    """A major hazard's remediation plan (整改方案): its six parts, as text."""

    goals: Text(LONG_TEXT) | None = None
    measures: Text(LONG_TEXT) | None = None
    funding: Text(LONG_TEXT) | None = None
    people: Text(LONG_TEXT) | None = None
    deadline: Annotated[Text(LONG_TEXT) | None, Field(description=N_("Time limits (text)."))] = None
    safety_contingency: Text(LONG_TEXT) | None = None


class HazardPayload(Input):
    """What an action on a hazard may carry; which fields it needs is the workflow's."""

    messages: ClassVar = {
        "responsible_unit:whole_number": N_("Choose a department from the list."),
        "responsible_unit:too_small": N_("Choose a department from the list."),
        "responsible_unit:too_large": N_("Choose a department from the list."),
        "deadline:date": N_("Enter the deadline as a date, e.g. 2025-06-30."),
        "after_photo_ids:list_type": N_("Add at least one photo taken after the rectification."),
    }

    responsible_unit: Annotated[
        Int() | None, Field(description=N_("The responsible department's id."))
    ] = None
    responsible_person: Text(PERSON_LENGTH) | None = None
    assignee_user_id: Annotated[
        Int() | None,
        Field(description=N_("A user who may submit the evidence (crew or safety officer).")),
    ] = None
    measures: Text(LONG_TEXT) | None = None
    # From 2000 to five years ahead; a day in the past is the workflow's to refuse (its words).
    deadline: Day(5) | None = None
    plan: PlanBody | None = None
    reason: Text(LONG_TEXT) | None = None
    note: Text(LONG_TEXT) | None = None
    interim_measures: Text(LONG_TEXT) | None = None
    after_photo_ids: Annotated[list[Uuid], Field(max_length=MAX_PHOTOS)] | None = None
    inspection_id: Int() | None = None

    def as_payload(self) -> dict[str, Any]:
        """Return the fields given, as the workflow and the audit event take them."""
        payload = self.model_dump(exclude_none=True, exclude={"plan", "after_photo_ids"})
        if self.plan is not None:
            payload["plan"] = self.plan.model_dump(exclude_none=True)
        if self.after_photo_ids is not None:
            payload["after_photo_ids"] = [str(p) for p in self.after_photo_ids]
        return payload


def check_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Return an action's payload checked against `HazardPayload` (a 422 names bad fields)."""
    return validate(HazardPayload, dict(payload)).as_payload()


# Every action but raising (a re-check is named here only to be refused with its own words).
DIRECT_ACTIONS = tuple(str(a) for a in HazardAction if a is not HazardAction.raise_)


class HazardActionBody(HazardPayload):
    """Act on a hazard: the action, the version seen, and the action's payload."""

    messages: ClassVar = {
        **HazardPayload.messages,
        "action": N_("Choose an action from the list."),
        "action:choice": N_("Choose an action from the list."),
        "version": N_("Send the version of the hazard you saw."),
        "version:whole_number": N_("Send the version of the hazard you saw."),
    }

    action: Code(DIRECT_ACTIONS)
    version: Annotated[Int(), Field(description=N_("The version of the hazard you saw."))]
    client_uuid: Annotated[
        Uuid | None,
        Field(
            description=N_(
                "The action's own UUID, made by the phone: the same action sent again is "
                "answered with the hazard as it stands (200), not refused as stale."
            )
        ),
    ] = None


@dataclass(frozen=True)
class ActionInput:
    """An action on a hazard: what, on which version, its payload, and its UUID if any."""

    action: str
    version: int
    payload: dict[str, Any]
    client_uuid: uuid.UUID | None = None


def parse_action(body: Any) -> ActionInput:
    """Return an action, the version it saw, its payload and UUID, or a 422 naming bad fields."""
    data = validate(HazardActionBody, body)
    payload = data.as_payload()
    for name in ("action", "version", "client_uuid"):
        payload.pop(name, None)
    return ActionInput(data.action, data.version, payload, data.client_uuid)
