"""Parse the JSON of a repair into a typed input, naming every bad field at once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import Field, field_validator

from inspection.errors import N_
from inspection.inputs import (
    DEPTH_MAX_MM,
    DIRECTIONS,
    QUANTITY_MAX,
    Area,
    Code,
    Count,
    Day,
    Input,
    Money,
    Note,
    Number,
    Stake,
    Text,
    Uuid,
    check,
    validate,
)
from inspection.patrols.kinds import SIDES
from inspection.patrols.schemas import FieldErrors
from inspection.repairs.rules import MATERIAL_UNITS, REPAIR_KINDS

# The API takes more rows than the form shows; more than this is not one repair's materials.
MAX_MATERIALS = 20
MAX_FINDINGS = 50


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
    """Return a YYYY-MM-DD date (a local date: no time, no zone), for code reading by hand."""
    value = body.get(name)
    if value in (None, ""):
        return None
    result, message = check(Day(5), value)
    if message:
        errors.add(name, message)
    return result


class MaterialRow(Input):
    """One material row; a row with neither name nor quantity is skipped."""

    name: Text(64, 1)
    quantity: Number(0, QUANTITY_MAX, above=True)
    unit: Code(MATERIAL_UNITS)


class RepairBody(Input):
    """Record a repair (idempotent by client_uuid)."""

    messages: ClassVar = {
        "client_uuid": N_("This field is required."),
        "road": N_("Choose a road."),
        "stake": N_("Type the stake, e.g. K3456+780."),
        "completed_on": N_("Give the completion date."),
        "materials.*.name": N_("Name the material."),
        "materials.*.quantity": N_("Enter a quantity greater than 0."),
        "materials.*.quantity:too_small": N_("Enter a quantity greater than 0."),
        "materials:tuple_type": N_("Send the materials as a list of {name, quantity, unit}."),
        "materials:too_long": N_("Send the materials as a list of {name, quantity, unit}."),
        "findings:tuple_type": N_("Send the resolved findings as a list of their UUIDs."),
        "findings:too_long": N_("Send the resolved findings as a list of their UUIDs."),
    }
    collapse: ClassVar = ("findings",)

    client_uuid: Uuid
    kind: Code(REPAIR_KINDS)
    road: Text(16, 1)
    direction: Code(DIRECTIONS) | None = None
    side: Code(SIDES) | None = None
    stake: Text(40, 1)
    end_stake: Stake = ""
    completed_on: Day(1)
    area_m2: Area | None = None
    count: Count | None = None
    depth_mm: Number(0, DEPTH_MAX_MM, above=True) | None = None
    materials: Annotated[tuple[MaterialRow | None, ...], Field(max_length=MAX_MATERIALS)] = ()
    crew: Text(256) = ""
    method: Note = ""
    cost_yuan: Money | None = None
    note: Note = ""
    findings: Annotated[tuple[Uuid, ...], Field(max_length=MAX_FINDINGS)] = ()

    @field_validator("materials", mode="before")
    @classmethod
    def _skip_empty_rows(cls, rows: Any) -> Any:
        # A row left empty in the form is no row; the others keep their index for errors.
        if not isinstance(rows, list):
            return rows
        return [
            None
            if isinstance(row, dict) and all(row.get(k) in (None, "") for k in ("name", "quantity"))
            else row
            for row in rows
        ]


def parse_repair(body: Any) -> RepairInput:
    data = validate(RepairBody, body)
    return RepairInput(
        client_uuid=data.client_uuid,
        kind=data.kind,
        road=data.road,
        direction=data.direction,
        side=data.side,
        stake=data.stake,
        end_stake=data.end_stake,
        completed_on=data.completed_on,
        area_m2=data.area_m2,
        count=data.count,
        depth_mm=data.depth_mm,
        materials=tuple(
            MaterialInput(name=row.name, quantity=row.quantity, unit=row.unit)
            for row in data.materials
            if row is not None
        ),
        crew=data.crew,
        method=data.method,
        cost_yuan=data.cost_yuan,
        note=data.note,
        # a finding named twice is linked once
        findings=tuple(dict.fromkeys(data.findings)),
    )
