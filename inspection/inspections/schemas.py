"""Parse the JSON of inspections, checklist items, templates and re-checks into typed inputs.

Every bad field is named at once (`items.2.result`, `sections.0.start_stake`); the rules that
need the database or today's date (scope, people, dates in range) are the services' to check.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from inspection.errors import N_
from inspection.hazards.workflow import HAZARD_CATEGORIES, HazardGrade
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
from inspection.patrols.schemas import FieldErrors, choice, client_uuid, text, timestamp

# PostgreSQL's integer: a larger id names nothing (and must not reach the database).
MAX_ID = 2**31 - 1
MAX_ROWS = 200  # items, sites, sections or members in one body; more is not one inspection
DIRECTIONS = ("up", "down", "both")


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


def day(body: dict, name: str, errors: FieldErrors) -> date | None:
    """Return a YYYY-MM-DD date (a local day: no time, no zone); its range is the service's."""
    value = body.get(name)
    if value in (None, ""):
        return None
    try:
        if not isinstance(value, str) or len(value.strip()) != 10:
            raise ValueError(value)
        return date.fromisoformat(value.strip())
    except ValueError:
        errors.add(name, N_("Give the date like 2026-05-01."))
        return None


def record_id(value: Any, name: str, errors: FieldErrors, *, required: bool = False) -> int | None:
    """Return a database id given as a JSON integer (or digits), refusing anything else."""
    if value is None or value == "":
        if required:
            errors.add(name, N_("This field is required."))
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        errors.add(name, N_("Not one of the allowed values."))
        return None
    return value


def _list(body: dict, name: str, errors: FieldErrors) -> list:
    value = body.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add(name, N_("Send a list."))
        return []
    if len(value) > MAX_ROWS:
        errors.add(name, N_("Too many entries."))
        return []
    return value


def _object(value: Any, name: str, errors: FieldErrors) -> dict | None:
    if not isinstance(value, dict):
        errors.add(name, N_("Send an object."))
        return None
    return value


def _prefixed(raw: dict, prefix: str, errors: FieldErrors) -> tuple[dict, FieldErrors]:
    """Return a row with its fields under their own names, and errors that prefix them."""

    class Prefixed(FieldErrors):
        def add(self, name: str, message: str) -> None:
            errors.add(f"{prefix}{name}", message)

    return raw, Prefixed()


def parse_item(raw: dict, errors: FieldErrors, prefix: str = "") -> ItemInput:
    """Return one checklist line: what is checked, the answer, and where (site or stake)."""
    row, row_errors = _prefixed(raw, prefix, errors)
    name = text(row, "name", row_errors, max_length=ITEM_NAME_LENGTH)
    if "name" in row and not name:
        row_errors.add("name", N_("Name the checklist item."))
    return ItemInput(
        client_uuid=client_uuid(row, "client_uuid", row_errors),
        section=choice(row, "section", tuple(ChecklistSection), row_errors) or "",
        name=name,
        hazard_category=choice(row, "hazard_category", tuple(HAZARD_CATEGORIES), row_errors) or "",
        result=choice(row, "result", tuple(ItemResult), row_errors),
        note=text(row, "note", row_errors),
        site_id=record_id(row.get("site_id"), f"{prefix}site_id", errors),
        road=text(row, "road", row_errors, max_length=16),
        direction=choice(row, "direction", DIRECTIONS, row_errors),
        stake=text(row, "stake", row_errors, max_length=40),
        grade=choice(row, "grade", tuple(HazardGrade), row_errors) or HazardGrade.general.value,
        hazard_description=text(row, "hazard_description", row_errors),
        checked_at=timestamp(row, "checked_at", row_errors),
        given=frozenset(k for k, v in row.items() if v not in (None, "")),
    )


def parse_item_body(body: dict) -> ItemInput:
    """Return the one item a POST /inspections/<id>/items carries (its client UUID required)."""
    errors = FieldErrors()
    item = parse_item(body, errors)
    if item.client_uuid is None:
        errors.add("client_uuid", N_("This field is required."))
    errors.raise_if_any()
    return item


def parse_inspection(body: dict) -> InspectionInput:
    """Return an inspection to create, or raise a 422 naming every malformed field."""
    errors = FieldErrors()
    inspection_uuid = client_uuid(body, "client_uuid", errors)
    if inspection_uuid is None:
        errors.add("client_uuid", N_("This field is required."))
    theme = text(body, "theme", errors, max_length=THEME_LENGTH)
    if not theme and "theme" not in errors.fields:
        errors.add("theme", N_("Give the inspection's theme."))
    members = []
    for index, raw in enumerate(_list(body, "members", errors)):
        row = _object(raw, f"members.{index}", errors)
        if row is None:
            continue
        user_id = record_id(row.get("user_id"), f"members.{index}.user_id", errors)
        name = text(row, "name", _prefixed(row, f"members.{index}.", errors)[1], max_length=64)
        if user_id is None and not name and f"members.{index}.user_id" not in errors.fields:
            errors.add(f"members.{index}.name", N_("Choose a user or write a name."))
        members.append(MemberInput(user_id, name))
    site_ids = [
        record_id(raw, "site_ids", errors, required=True) for raw in _list(body, "site_ids", errors)
    ]
    sections = []
    for index, raw in enumerate(_list(body, "sections", errors)):
        row = _object(raw, f"sections.{index}", errors)
        if row is None:
            continue
        _, row_errors = _prefixed(row, f"sections.{index}.", errors)
        section = SectionInput(
            road=text(row, "road", row_errors, max_length=16),
            direction=choice(row, "direction", DIRECTIONS, row_errors),
            start_stake=text(row, "start_stake", row_errors, max_length=40),
            end_stake=text(row, "end_stake", row_errors, max_length=40),
        )
        for name in ("road", "start_stake", "end_stake"):
            if not getattr(section, name):
                row_errors.add(name, N_("This field is required."))
        sections.append(section)
    items = None
    if body.get("items") is not None:
        items = []
        for index, raw in enumerate(_list(body, "items", errors)):
            row = _object(raw, f"items.{index}", errors)
            if row is not None:
                item = parse_item(row, errors, f"items.{index}.")
                if not item.name:
                    errors.add(f"items.{index}.name", N_("Name the checklist item."))
                items.append(item)
    result = InspectionInput(
        client_uuid=inspection_uuid,
        kind=choice(body, "kind", tuple(InspectionKind), errors, required=True) or "",
        theme=theme,
        started_on=day(body, "started_on", errors),
        ended_on=day(body, "ended_on", errors),
        leader_user_id=record_id(body.get("leader_user_id"), "leader_user_id", errors),
        leader_name=text(body, "leader_name", errors, max_length=PERSON_NAME_LENGTH),
        members=tuple(members),
        site_ids=tuple(s for s in site_ids if s is not None),
        sections=tuple(sections),
        template_id=record_id(body.get("template_id"), "template_id", errors),
        recheck_from=day(body, "recheck_from", errors),
        recheck_to=day(body, "recheck_to", errors),
        note=text(body, "note", errors),
        items=None if items is None else tuple(items),
    )
    for name in ("started_on", "ended_on"):
        if getattr(result, name) is None:
            errors.add(name, N_("Give the date like 2026-05-01."))
    errors.raise_if_any()
    return result


def parse_template(body: dict) -> TemplateInput:
    """Return a checklist template: a unique name, a kind or none, and named items."""
    errors = FieldErrors()
    name = text(body, "name", errors, max_length=TEMPLATE_NAME_LENGTH)
    if not name and "name" not in errors.fields:
        errors.add("name", N_("Name the checklist."))
    items = []
    rows = _list(body, "items", errors)
    if not rows and "items" not in errors.fields:
        errors.add("items", N_("A checklist needs at least one item."))
    for index, raw in enumerate(rows):
        row = _object(raw, f"items.{index}", errors)
        if row is None:
            continue
        _, row_errors = _prefixed(row, f"items.{index}.", errors)
        item = TemplateItemInput(
            section=choice(row, "section", tuple(ChecklistSection), row_errors, required=True)
            or "",
            name=text(row, "name", row_errors, max_length=ITEM_NAME_LENGTH),
            hazard_category=choice(
                row, "hazard_category", tuple(HAZARD_CATEGORIES), row_errors, required=True
            )
            or "",
        )
        if not item.name:
            row_errors.add("name", N_("Name the checklist item."))
        items.append(item)
    active = body.get("active")
    if active is not None and not isinstance(active, bool):
        errors.add("active", N_("Not one of the allowed values."))
        active = None
    result = TemplateInput(
        name=name,
        kind=choice(body, "kind", tuple(InspectionKind), errors),
        items=tuple(items),
        active=active,
    )
    errors.raise_if_any()
    return result


def parse_recheck(body: dict) -> RecheckInput:
    """Return a 回头看's verdict on one closed hazard."""
    errors = FieldErrors()
    hazard_id = record_id(body.get("hazard_id"), "hazard_id", errors, required=True)
    outcome = choice(body, "outcome", tuple(RecheckOutcome), errors, required=True)
    note = text(body, "note", errors)
    version = body.get("version")
    if isinstance(version, str) and version.isascii() and version.isdigit():
        version = int(version)
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= MAX_ID:
        errors.add("version", N_("Send the version of the hazard you saw."))
    if outcome == RecheckOutcome.relapsed and not note:
        errors.add("note", N_("Say how the hazard relapsed (the reason to reopen it)."))
    errors.raise_if_any()
    return RecheckInput(hazard_id, outcome, note, version)
