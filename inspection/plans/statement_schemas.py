"""Declared inputs of the measurement statements (the API and the pages)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from inspection.errors import N_
from inspection.inputs import Code, Input, Int, Note, Number, Text
from inspection.plans.kinds import WORK_KIND_CODES, Unit
from inspection.plans.plan_rules import PRICE_MAX, QUANTITY_MAX, ROAD_LENGTH, to_money
from inspection.plans.statement_manual import ManualInput


class MeasurementsQuery(Input):
    """Which year's statements to list."""

    year: Annotated[
        Int(2000, 2100) | None, Field(description=N_("The year (default: this year)."))
    ] = None


class StatementExportQuery(Input):
    """Which statements to put in the workbook."""

    month: Annotated[
        Int(1, 12) | None,
        Field(description=N_("Only this month (default: every built month of the year).")),
    ] = None


MANUAL_MESSAGES = {
    "work_kind": N_("Choose the kind of work."),
    "quantity": N_("Give the quantity."),
    "quantity:too_small": N_("Must not be negative."),
    "unit_price_yuan:too_small": N_("Must not be negative."),
}


class ManualLineBody(Input):
    """A manual line (手工计量) of the branch's own items on a draft statement."""

    messages: ClassVar = MANUAL_MESSAGES

    road: Annotated[
        Text(ROAD_LENGTH) | None,
        Field(description=N_("The road's code, e.g. G30 (or “G30 up”); none: the whole branch.")),
    ] = None
    work_kind: Annotated[
        Code(WORK_KIND_CODES),
        Field(description=N_("A kind without repairs: the branch's own items.")),
    ]
    unit: Annotated[
        Code(Unit) | None,
        Field(
            description=N_("One of the kind's units (default: the plan line's, else the usual).")
        ),
    ] = None
    quantity: Number(0, float(QUANTITY_MAX))
    unit_price_yuan: Annotated[
        Number(0, float(PRICE_MAX)) | None,
        Field(
            description=N_("Yuan per unit (default: the plan's price of the month, road and kind).")
        ),
    ] = None
    note: Note = ""

    def as_input(self) -> ManualInput:
        return ManualInput(
            road=self.road,
            work_kind=self.work_kind,
            unit=self.unit,
            quantity=to_money(self.quantity),
            unit_price_yuan=None
            if self.unit_price_yuan is None
            else to_money(self.unit_price_yuan),
            note=self.note,
        )


class ManualLineChange(Input):
    """Change a manual line: only the fields given change (road null: the whole branch)."""

    messages: ClassVar = MANUAL_MESSAGES
    blank_is_absent: ClassVar[bool] = False

    road: Annotated[
        Text(ROAD_LENGTH) | None,
        Field(description=N_("The road's code; null: the whole branch.")),
    ] = None
    work_kind: Code(WORK_KIND_CODES) | None = None
    unit: Code(Unit) | None = None
    quantity: Number(0, float(QUANTITY_MAX)) | None = None
    unit_price_yuan: Annotated[
        Number(0, float(PRICE_MAX)) | None,
        Field(description=N_("Null: the plan's price again.")),
    ] = None
    note: Note | None = None

    def as_input(self) -> ManualInput:
        given = {
            name: getattr(self, name)
            for name in self.model_fields_set
            if name == "road" or getattr(self, name) is not None or name == "unit_price_yuan"
        }
        for name in ("quantity", "unit_price_yuan"):
            if given.get(name) is not None:
                given[name] = to_money(given[name])
        return ManualInput(**given)
