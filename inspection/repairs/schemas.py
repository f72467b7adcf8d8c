"""Parse the JSON of a repair into a typed input, naming every bad field at once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from inspection.errors import N_
from inspection.patrols.kinds import SIDES
from inspection.patrols.schemas import FieldErrors, choice, client_uuid, number, text
from inspection.repairs.rules import MATERIAL_UNITS, REPAIR_KINDS

# The API takes more rows than the form shows; more than this is not one repair's materials.
MAX_MATERIALS = 20
MAX_FINDINGS = 50
MAX_COUNT = 100_000
MAX_NUMBER = 1e9


@dataclass(frozen=True)
class MaterialInput:
    name: str
    quantity: float
    unit: str


@dataclass(frozen=True)
class RepairInput:
    client_uuid: uuid.UUID
    kind: str
    road: str
    direction: str | None
    side: str | None
    stake: str
    end_stake: str
    completed_on: date
    area_m2: float | None
    count: int | None
    depth_mm: float | None
    materials: tuple[MaterialInput, ...]
    crew: str
    method: str
    cost_yuan: float | None
    note: str
    findings: tuple[uuid.UUID, ...] = ()


def day(body: dict, name: str, errors: FieldErrors) -> date | None:
    """Return a YYYY-MM-DD date (a local date: no time, no zone)."""
    value = body.get(name)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(name, N_("Give the date like 2026-05-01."))
        return None


def positive(
    body: dict, name: str, errors: FieldErrors, *, maximum: float = MAX_NUMBER
) -> float | None:
    value = number(body, name, errors)
    if value is not None and value <= 0:
        errors.add(name, N_("Enter a number greater than 0."))
        return None
    return _at_most(value, name, errors, maximum)


def whole(body: dict, name: str, errors: FieldErrors, *, maximum: int = MAX_COUNT) -> int | None:
    value = number(body, name, errors, minimum=1)
    if value is None:
        return None
    if value != int(value):
        errors.add(name, N_("Enter a whole number."))
        return None
    value = _at_most(value, name, errors, maximum)
    return int(value) if value is not None else None


def _at_most(value: float | None, name: str, errors: FieldErrors, maximum: float) -> float | None:
    # Far beyond any repair: a typing slip, and beyond what the columns hold.
    if value is not None and value > maximum:
        errors.add(name, N_("The number is too large."))
        return None
    return value


def materials(body: dict, errors: FieldErrors) -> tuple[MaterialInput, ...]:
    """Return the material rows `[{name, quantity, unit}]`; fully empty rows are skipped."""
    raw = body.get("materials")
    if raw in (None, []):
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_MATERIALS:
        errors.add("materials", N_("Send the materials as a list of {name, quantity, unit}."))
        return ()
    rows = []
    for i, row in enumerate(raw):
        if not isinstance(row, dict):
            errors.add(
                f"materials.{i}", N_("Send the materials as a list of {name, quantity, unit}.")
            )
            continue
        if all(row.get(k) in (None, "") for k in ("name", "quantity")):
            continue
        row_errors = FieldErrors()
        name = text(row, "name", row_errors, max_length=64)
        quantity = _at_most(number(row, "quantity", row_errors), "quantity", row_errors, MAX_NUMBER)
        unit = choice(row, "unit", MATERIAL_UNITS, row_errors, required=True)
        if not name:
            row_errors.add("name", N_("Name the material."))
        if quantity is None or quantity <= 0:
            row_errors.add("quantity", N_("Enter a quantity greater than 0."))
        for field, message in row_errors.fields.items():
            errors.add(f"materials.{i}.{field}", message)
        if not row_errors.fields:
            rows.append(MaterialInput(name=name, quantity=quantity, unit=unit))
    return tuple(rows)


def finding_uuids(body: dict, errors: FieldErrors) -> tuple[uuid.UUID, ...]:
    raw = body.get("findings")
    if raw in (None, []):
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_FINDINGS:
        errors.add("findings", N_("Send the resolved findings as a list of their UUIDs."))
        return ()
    found = []
    for value in raw:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            errors.add("findings", N_("Not a valid UUID."))
    return tuple(dict.fromkeys(found))  # a finding named twice is linked once


def parse_repair(body: dict) -> RepairInput:
    errors = FieldErrors()
    repair_uuid = client_uuid(body, "client_uuid", errors)
    if repair_uuid is None:
        errors.add("client_uuid", N_("This field is required."))
    road = text(body, "road", errors, max_length=16)
    if not road:
        errors.add("road", N_("Choose a road."))
    stake = text(body, "stake", errors, max_length=40)
    if not stake:
        errors.add("stake", N_("Type the stake, e.g. K3456+780."))
    completed_on = day(body, "completed_on", errors)
    if completed_on is None:
        errors.add("completed_on", N_("Give the completion date."))
    result = RepairInput(
        client_uuid=repair_uuid,
        kind=choice(body, "kind", REPAIR_KINDS, errors, required=True),
        road=road,
        direction=choice(body, "direction", ("up", "down", "both"), errors),
        side=choice(body, "side", SIDES, errors),
        stake=stake,
        end_stake=text(body, "end_stake", errors, max_length=40),
        completed_on=completed_on,
        area_m2=_at_most(number(body, "area_m2", errors), "area_m2", errors, MAX_NUMBER),
        count=whole(body, "count", errors),
        depth_mm=positive(body, "depth_mm", errors),
        materials=materials(body, errors),
        crew=text(body, "crew", errors, max_length=256),
        method=text(body, "method", errors),
        cost_yuan=_at_most(
            number(body, "cost_yuan", errors, minimum=0), "cost_yuan", errors, MAX_NUMBER
        ),
        note=text(body, "note", errors),
        findings=finding_uuids(body, errors),
    )
    errors.raise_if_any()
    return result
