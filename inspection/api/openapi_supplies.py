"""OpenAPI descriptions of the supplies routes (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi_parts import (
    Operation,
    array,
    boolean,
    integer,
    number,
    obj,
    page_of,
    ref,
    string,
)
from inspection.errors import N_
from inspection.sites.kinds import SiteKind
from inspection.supplies import schemas
from inspection.supplies.kinds import MovementKind

SITE_REF = obj(
    ("id", "name", "kind"),
    id=integer(),
    name=string(),
    kind=string(enum=tuple(k.value for k in SiteKind)),
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "SupplyItem": obj(
        ("id", "name", "unit", "active"),
        id=integer(),
        name=string(),
        unit=string(),
        active=boolean(),
    ),
    "SupplyItemList": obj(("items",), items=array(ref("SupplyItem"))),
    "SupplyStock": obj(
        ("site", "item", "quantity", "minimum", "below_minimum", "shortfall"),
        site=SITE_REF,
        item=ref("SupplyItem"),
        quantity=number(description=N_("The level (now, or at the end of the day asked for).")),
        minimum=number(description=N_("The level to hold (0: none).")),
        below_minimum=boolean(),
        shortfall=number(description=N_("What is missing to reach the minimum.")),
    ),
    "SupplyStockList": obj(
        ("on", "winter_season", "stocks"),
        on=string(fmt="date"),
        winter_season={
            **boolean(),
            "description": N_("Whether today is in the months the board warns of shortfalls."),
        },
        stocks=array(ref("SupplyStock")),
    ),
    "SupplyMovement": obj(
        (
            "uuid",
            "site",
            "item",
            "kind",
            "quantity",
            "signed_quantity",
            "on_date",
            "purpose",
            "repair_uuid",
            "note",
            "recorded_by",
            "recorded_at",
        ),
        uuid=string(fmt="uuid"),
        site=SITE_REF,
        item=ref("SupplyItem"),
        kind=string(enum=tuple(k.value for k in MovementKind)),
        quantity=number(),
        signed_quantity=number(description=N_("The change to the stock (− for issues).")),
        on_date=string(fmt="date"),
        purpose=string(),
        repair_uuid=string(fmt="uuid", nullable=True),
        note=string(),
        recorded_by=string(),
        recorded_at=string(fmt="date-time"),
    ),
    "SupplyMovementList": page_of("SupplyMovement", "movements"),
}

INPUT_MODELS = {
    "SupplyItemInput": schemas.ItemBody,
    "SupplyItemChanges": schemas.ItemChangesBody,
    "SupplyStockInput": schemas.StockBody,
    "SupplyMovementInput": schemas.MovementBody,
}
EXAMPLES = {
    "SupplyItemInput": {"name": "防滑砂", "unit": "立方米"},
    "SupplyItemChanges": {"unit": "吨"},
    "SupplyStockInput": {"site_id": 3, "item_id": 2, "minimum": 50},
    "SupplyMovementInput": {
        "client_uuid": "6f1c2a4e-8b1d-4c2e-9a7f-0d3b5e6f7a81",
        "site_id": 3,
        "item_id": 2,
        "kind": "issued",
        "quantity": 12.5,
        "on_date": "2026-01-12",
        "purpose": "2026-01-12 G30 暴雪",
    },
}

OPERATIONS: dict[str, Operation] = {
    "api.supplies": Operation(
        N_("Stock per depot and item, with the minimum and whether below it"),
        "SupplyStockList",
        params=schemas.SuppliesQuery,
    ),
    "api.list_supply_items": Operation(
        N_("List the emergency supply items"), "SupplyItemList", params=schemas.ItemsQuery
    ),
    "api.create_supply_item": Operation(
        N_("Create an emergency supply item"), "SupplyItem", status=201, body="SupplyItemInput"
    ),
    "api.update_supply_item": Operation(
        N_("Change an item, or deactivate it (active: false; not while in stock)"),
        "SupplyItem",
        body="SupplyItemChanges",
    ),
    "api.set_supply_minimum": Operation(
        N_("Set the minimum a depot holds of an item"), "SupplyStock", body="SupplyStockInput"
    ),
    "api.list_supply_movements": Operation(
        N_("The movements of stock, newest first"),
        "SupplyMovementList",
        params=schemas.MovementsQuery,
    ),
    "api.record_supply_movement": Operation(
        N_(
            "Record stock received, issued, returned or written off (idempotent by "
            "client_uuid; never below zero)"
        ),
        "SupplyMovement",
        status=201,
        body="SupplyMovementInput",
        created_or_replayed=True,
    ),
}
