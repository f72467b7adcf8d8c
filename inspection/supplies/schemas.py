"""The declared inputs of the emergency supplies, as the JSON API and the HTML forms send them.

What needs the database (a unique item name, an active site and item, a stock that stays at or
above zero, a repair that exists) is the service's to check.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, ClassVar

from pydantic import Field, StrictBool

from inspection.errors import N_, ValidationError
from inspection.inputs import (
    Code,
    Day,
    Flag,
    Input,
    Int,
    ListQuery,
    Note,
    Number,
    Text,
    Uuid,
    validate,
)
from inspection.supplies.kinds import NAME_LENGTH, UNIT_LENGTH, MovementKind

# One movement or minimum: a Numeric(14, 2) column holds up to 10¹²; a billion units of any
# emergency item is already beyond a branch's stores.
QUANTITY_MAX = 1_000_000_000.0
PURPOSE_LENGTH = 200
CENT = Decimal("0.01")
FilterDay = Day(5)

SupplyQuantity = Number(0, QUANTITY_MAX, above=True)
Minimum = Number(0, QUANTITY_MAX)


def to_quantity(value: float) -> Decimal:
    """Return a number as the Numeric(14, 2) the columns hold (rounded to hundredths)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


class ItemBody(Input):
    """Create an emergency supply item: its name (unique) and unit."""

    messages: ClassVar = {
        "name": N_("Give the name."),
        "unit": N_("Give the unit (e.g. 吨, 个, 副)."),
    }

    name: Annotated[Text(NAME_LENGTH, 1), Field(examples=["融雪剂（工业盐）"])]
    unit: Annotated[Text(UNIT_LENGTH, 1), Field(examples=["吨"])]


class ItemChangesBody(Input):
    """Change an item: only the fields sent change; active: false deactivates it."""

    messages: ClassVar = ItemBody.messages

    name: Text(NAME_LENGTH, 1) | None = None
    unit: Text(UNIT_LENGTH, 1) | None = None
    active: Annotated[StrictBool | None, Field(description=N_("false deactivates the item."))] = (
        None
    )


def parse_item_changes(body: Mapping[str, Any]) -> ItemChangesBody:
    """Return an item's changes; a name, unit or active sent empty (null or "") is refused."""
    fields: dict[str, str] = {}
    try:
        data = validate(ItemChangesBody, body)
    except ValidationError as error:
        data, fields = None, dict(error.fields)
    for name, message in (*ItemBody.messages.items(), ("active", N_("Send true or false."))):
        value = body.get(name, "absent")
        if name not in fields and (value is None or (isinstance(value, str) and not value.strip())):
            fields[name] = message
    if fields:
        raise ValidationError(N_("Some fields are not valid."), fields=fields)
    return data


class StockBody(Input):
    """Set the minimum a depot (a site) holds of an item; the stock line is made if new."""

    messages: ClassVar = {
        "site_id": N_("Choose the depot."),
        "item_id": N_("Choose the item."),
        "minimum": N_("Give the minimum (0 for none)."),
    }

    site_id: Annotated[Int(), Field(description=N_("The depot's site id."))]
    item_id: Annotated[Int(), Field(description=N_("The item's id."))]
    minimum: Annotated[Minimum, Field(description=N_("The level to hold (0: none)."))]


class MovementBody(Input):
    """Record stock received, issued, returned or written off (idempotent by client_uuid)."""

    messages: ClassVar = {
        "client_uuid": N_("This field is required."),
        "site_id": N_("Choose the depot."),
        "item_id": N_("Choose the item."),
        "kind": N_("Choose received, issued, returned or written off."),
        "quantity": N_("Give the quantity."),
        "quantity:too_small": N_("The quantity must be more than 0."),
        "on_date": N_("Give the date."),
    }

    client_uuid: Uuid
    site_id: Annotated[Int(), Field(description=N_("The depot's site id."))]
    item_id: Annotated[Int(), Field(description=N_("The item's id."))]
    kind: Code(MovementKind)
    quantity: Annotated[
        SupplyQuantity, Field(description=N_("More than 0, in the item's unit (hundredths)."))
    ]
    on_date: Annotated[Day(1), Field(description=N_("The day of the movement, not in the future."))]
    purpose: Annotated[
        Text(PURPOSE_LENGTH),
        Field(description=N_("The emergency or work it served, e.g. 2026-01-12 G30 暴雪.")),
    ] = ""
    repair_uuid: Annotated[Uuid | None, Field(description=N_("The repair it went to, if any."))] = (
        None
    )
    note: Note = ""


class SuppliesQuery(Input):
    """Stock per depot and item; with `on`, the levels at the end of that day."""

    site_id: Annotated[Int() | None, Field(description=N_("Only this depot."))] = None
    item_id: Annotated[Int() | None, Field(description=N_("Only this item."))] = None
    below_minimum: Annotated[
        Flag | None, Field(description=N_("1 for the stock lines below their minimum only."))
    ] = None
    on: Annotated[
        FilterDay | None, Field(description=N_("The levels at the end of this day (YYYY-MM-DD)."))
    ] = None


class ItemsQuery(Input):
    """Which items to list."""

    active: Annotated[
        Code(("true", "false", "all")) | None,
        Field(description=N_("Which to list: true (the default), false or all.")),
    ] = None

    def active_filter(self) -> bool | None:
        return {None: True, "true": True, "false": False, "all": None}[self.active]


class MovementsQuery(ListQuery):
    """The movement history, newest first."""

    site_id: Annotated[Int() | None, Field(description=N_("Only this depot."))] = None
    item_id: Annotated[Int() | None, Field(description=N_("Only this item."))] = None
    kind: Annotated[Code(MovementKind) | None, Field(description=N_("Kind of movement."))] = None
    since: FilterDay | None = Field(None, alias="from", description=N_("First day (YYYY-MM-DD)."))
    until: FilterDay | None = Field(None, alias="to", description=N_("Last day (YYYY-MM-DD)."))
