"""Parse the JSON of inspections, checklist items, templates and re-checks into typed inputs.

Each body is a declared model (`inspection.inputs`), which the OpenAPI document shows; it is
parsed into the dataclasses the services take. Every bad field is named at once
(`items.2.result`, `sections.0.start_stake`); the rules that need the database (scope, people)
are the services' to check.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import Field, PlainValidator, StrictBool, WithJsonSchema
from pydantic_core import PydanticCustomError

from inspection.errors import N_, ValidationError
from inspection.hazards.workflow import HAZARD_CATEGORIES, HazardGrade
from inspection.inputs import (
    DIRECTIONS,
    Code,
    Input,
    Int,
    Note,
    PlausibleTime,
    RoadCode,
    Stake,
    Text,
    Uuid,
    check,
    validate,
)
from inspection.inspections.kinds import (
    ITEM_NAME_LENGTH,
    PERSON_NAME_LENGTH,
    TEMPLATE_NAME_LENGTH,
    THEME_LENGTH,
    ChecklistSection,
    InspectionKind,
    ItemResult,
    RecheckOutcome,
)
from inspection.patrols.schemas import FieldErrors

# PostgreSQL's integer: a larger id names nothing (and must not reach the database).
MAX_ID = 2**31 - 1
MAX_ROWS = 200  # items, sites, sections or members in one body; more is not one inspection
RecordId = Int(1, MAX_ID)


def _local_day(value: Any) -> date:
    if isinstance(value, str) and _DAY.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("date", N_("Give the date like 2026-05-01."))


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# An inspection's day (a local day: no time, no zone). Its window (from 2000 to tomorrow) is
# checked by the service, with the scope and the people, so a form names all that is wrong.
InspectionDay = Annotated[
    date,
    PlainValidator(_local_day),
    WithJsonSchema({"type": "string", "format": "date", "example": "2026-05-01"}),
]
NAME_ITEM = N_("Name the checklist item.")


@dataclass(frozen=True)
class MemberInput:
    user_id: int | None
    name: str


@dataclass(frozen=True)
class SectionInput:
    road: str
    direction: str | None
    start_stake: str
    end_stake: str


@dataclass(frozen=True)
class ItemInput:
    client_uuid: uuid.UUID | None
    section: str
    name: str
    hazard_category: str
    result: str | None
    note: str
    site_id: int | None
    road: str
    direction: str | None
    stake: str
    grade: str
    hazard_description: str
    checked_at: datetime | None = None
    # Which fields the body gave (a template line answered keeps its own words otherwise).
    given: frozenset[str] = frozenset()


@dataclass(frozen=True)
class InspectionInput:
    client_uuid: uuid.UUID
    kind: str
    theme: str
    started_on: date | None
    ended_on: date | None
    leader_user_id: int | None
    leader_name: str
    members: tuple[MemberInput, ...]
    site_ids: tuple[int, ...]
    sections: tuple[SectionInput, ...]
    template_id: int | None
    recheck_from: date | None
    recheck_to: date | None
    note: str
    items: tuple[ItemInput, ...] | None  # None: copy the template's items


@dataclass(frozen=True)
class TemplateItemInput:
    section: str
    name: str
    hazard_category: str


@dataclass(frozen=True)
class TemplateInput:
    name: str
    kind: str | None
    items: tuple[TemplateItemInput, ...]
    active: bool | None = None


@dataclass(frozen=True)
class RecheckInput:
    hazard_id: int
    outcome: str
    note: str
    version: int


# --------------------------------------------------------------------------- declared inputs


def Rows(item):
    return Annotated[list[item], Field(max_length=MAX_ROWS)]


class ItemBody(Input):
    """Add or answer a checklist item (idempotent by its client_uuid). Where: a site of the
    scope (site_id) or a stake inside a scope section, not both; left out, it is the scope's
    only site. An item that does not meet raises one hazard there, or links to the open hazard
    of the same category already recorded at the same site or within 50 m on the same road."""

    messages: ClassVar = {"client_uuid": N_("This field is required.")}

    client_uuid: Uuid | None = None
    section: Code(ChecklistSection) | None = None
    name: Text(ITEM_NAME_LENGTH) | None = None
    hazard_category: Code(HAZARD_CATEGORIES) | None = None
    result: Code(ItemResult) | None = None
    note: Note = ""
    site_id: RecordId | None = None
    road: RoadCode = ""
    direction: Code(DIRECTIONS) | None = None
    stake: Stake = ""
    grade: Code(HazardGrade) = HazardGrade.general.value
    hazard_description: Note = ""
    checked_at: PlausibleTime | None = None


class InspectionLineBody(ItemBody):
    """A checklist item recorded with its inspection (its name required)."""

    name: Text(ITEM_NAME_LENGTH, 1)


class MemberBody(Input):
    """A member of the inspection team: a user, or a name."""

    user_id: RecordId | None = None
    name: Text(PERSON_NAME_LENGTH) = ""


class SectionBody(Input):
    """A road section of the inspection's scope."""

    road: Text(16, 1)
    direction: Code(DIRECTIONS) | None = None
    start_stake: Text(40, 1)
    end_stake: Text(40, 1)


class InspectionBody(Input):
    """Record a self-inspection. The scope is at least one site or road section. A look-back
    inspection needs recheck_from and recheck_to; other kinds must not have them. Without
    items, the template's items are copied. Without a leader, the user recording it leads."""

    messages: ClassVar = {
        "client_uuid": N_("This field is required."),
        "theme": N_("Give the inspection's theme."),
        "started_on": N_("Give the date like 2026-05-01."),
        "ended_on": N_("Give the date like 2026-05-01."),
        "items.*.name": NAME_ITEM,
    }
    collapse: ClassVar = ("site_ids",)

    client_uuid: Uuid
    kind: Code(InspectionKind)
    theme: Text(THEME_LENGTH, 1)
    started_on: InspectionDay
    ended_on: InspectionDay
    leader_user_id: RecordId | None = None
    leader_name: Text(PERSON_NAME_LENGTH) = ""
    members: Rows(MemberBody) = Field(default_factory=list)
    site_ids: Rows(RecordId) = Field(default_factory=list)
    sections: Rows(SectionBody) = Field(default_factory=list)
    template_id: RecordId | None = None
    recheck_from: InspectionDay | None = None
    recheck_to: InspectionDay | None = None
    note: Note = ""
    items: Rows(InspectionLineBody) | None = None


class TemplateItemBody(Input):
    """One line of a checklist template."""

    section: Code(ChecklistSection)
    name: Text(ITEM_NAME_LENGTH, 1)
    hazard_category: Code(HAZARD_CATEGORIES)


class TemplateBody(Input):
    """A checklist template: a unique name, a kind or none, and its items."""

    messages: ClassVar = {
        "name": N_("Name the checklist."),
        "items": N_("A checklist needs at least one item."),
        "items.*.name": NAME_ITEM,
    }

    name: Text(TEMPLATE_NAME_LENGTH, 1)
    kind: Code(InspectionKind) | None = None
    items: Annotated[list[TemplateItemBody], Field(min_length=1, max_length=MAX_ROWS)]
    active: StrictBool | None = None


class RecheckBody(Input):
    """A look-back's verdict on a closed hazard. holds: an audited re-check event, the hazard
    stays closed. relapsed: the hazard is reopened, with the note as the reason (required)."""

    messages: ClassVar = {
        "version": N_("Send the version of the hazard you saw."),
        **{
            f"version:{k}": N_("Send the version of the hazard you saw.")
            for k in ("whole_number", "too_small", "too_large")
        },
    }

    hazard_id: RecordId
    outcome: Code(RecheckOutcome)
    note: Note = ""
    version: RecordId


# --------------------------------------------------------------------------- parsing


def _validated(model: type[Input], body: Any) -> tuple[Any, dict[str, str]]:
    try:
        return validate(model, body), {}
    except ValidationError as error:
        return None, dict(error.fields)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _raise(fields: dict[str, str]) -> None:
    if fields:
        raise ValidationError(N_("Some fields are not valid."), fields=fields)


def record_id(value: Any, name: str, errors: FieldErrors, *, required: bool = False) -> int | None:
    """Return a database id given as a JSON integer (or digits), refusing anything else."""
    if value is None or value == "":
        if required:
            errors.add(name, N_("This field is required."))
        return None
    result, message = check(RecordId, value)
    if message:
        errors.add(name, N_("Not one of the allowed values."))
        return None
    return result


def _item(data: ItemBody | None, raw: Any) -> ItemInput:
    given = (
        frozenset(k for k, v in raw.items() if v not in (None, ""))
        if isinstance(raw, Mapping)
        else frozenset()
    )
    if data is None:  # refused: a placeholder, never saved (its errors are raised)
        data = ItemBody()
    return ItemInput(
        client_uuid=data.client_uuid,
        section=data.section or "",
        name=data.name or "",
        hazard_category=data.hazard_category or "",
        result=data.result,
        note=data.note,
        site_id=data.site_id,
        road=data.road,
        direction=data.direction,
        stake=data.stake,
        grade=data.grade,
        hazard_description=data.hazard_description,
        checked_at=data.checked_at,
        given=given,
    )


def parse_item(raw: Any, errors: FieldErrors, prefix: str = "") -> ItemInput:
    """Return one checklist line: what is checked, the answer, and where (site or stake).

    Its errors are added to `errors` under `prefix` (a name sent blank is one of them)."""
    data, fields = _validated(ItemBody, raw)
    if isinstance(raw, Mapping) and "name" in raw and _blank(raw["name"]):
        fields.setdefault("name", NAME_ITEM)
    for name, message in fields.items():
        errors.add(f"{prefix}{name}" if name != "body" else prefix.rstrip(".") or name, message)
    return _item(data, raw)


def parse_item_body(body: Any) -> ItemInput:
    """Return the one item a POST /inspections/<id>/items carries (its client UUID required)."""
    errors = FieldErrors()
    item = parse_item(body, errors)
    if item.client_uuid is None and "client_uuid" not in errors.fields:
        errors.add("client_uuid", N_("This field is required."))
    errors.raise_if_any()
    return item


def _member_problems(body: Mapping[str, Any], fields: dict[str, str]) -> None:
    members = body.get("members")
    if not isinstance(members, list):
        return
    for index, raw in enumerate(members[:MAX_ROWS]):
        if isinstance(raw, Mapping) and _blank(raw.get("user_id")) and _blank(raw.get("name")):
            prefix = f"members.{index}"
            if not any(k == prefix or k.startswith(prefix + ".") for k in fields):
                fields[f"{prefix}.name"] = N_("Choose a user or write a name.")


def parse_inspection(body: Any) -> InspectionInput:
    """Return an inspection to create, or raise a 422 naming every malformed field."""
    data, fields = _validated(InspectionBody, body)
    if isinstance(body, Mapping):
        _member_problems(body, fields)
    _raise(fields)
    raw_items = body.get("items")
    if data.items is not None:
        items = tuple(_item(d, r) for d, r in zip(data.items, raw_items, strict=True))
    else:  # null: the template's items; an empty list: none
        items = () if raw_items == [] else None
    return InspectionInput(
        client_uuid=data.client_uuid,
        kind=data.kind,
        theme=data.theme,
        started_on=data.started_on,
        ended_on=data.ended_on,
        leader_user_id=data.leader_user_id,
        leader_name=data.leader_name,
        members=tuple(MemberInput(m.user_id, m.name) for m in data.members),
        site_ids=tuple(data.site_ids),
        sections=tuple(
            SectionInput(s.road, s.direction, s.start_stake, s.end_stake) for s in data.sections
        ),
        template_id=data.template_id,
        recheck_from=data.recheck_from,
        recheck_to=data.recheck_to,
        note=data.note,
        items=items,
    )


def parse_template(body: Any) -> TemplateInput:
    """Return a checklist template: a unique name, a kind or none, and named items."""
    data, fields = _validated(TemplateBody, body)
    _raise(fields)
    return TemplateInput(
        name=data.name,
        kind=data.kind,
        items=tuple(TemplateItemInput(i.section, i.name, i.hazard_category) for i in data.items),
        active=data.active,
    )


def parse_recheck(body: Any) -> RecheckInput:
    """Return a 回头看's verdict on one closed hazard."""
    data, fields = _validated(RecheckBody, body)
    if (
        isinstance(body, Mapping)
        and body.get("outcome") == RecheckOutcome.relapsed
        and _blank(body.get("note"))
    ):
        fields.setdefault("note", N_("Say how the hazard relapsed (the reason to reopen it)."))
    _raise(fields)
    return RecheckInput(data.hazard_id, data.outcome, data.note, data.version)
