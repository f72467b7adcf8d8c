"""OpenAPI descriptions of the vehicles routes (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi_parts import (
    Operation,
    array,
    boolean,
    integer,
    obj,
    ref,
    string,
)
from inspection.errors import N_
from inspection.fleet import vehicle_schemas as schemas
from inspection.fleet.due import DUE_SOON, LATER, OVERDUE
from inspection.fleet.kinds import ServiceKind, VehicleKind, VehicleStatus, VehicleUse

KINDS = tuple(k.value for k in VehicleKind)
STATUSES = tuple(s.value for s in VehicleStatus)
SERVICE_KINDS = tuple(s.value for s in ServiceKind)
DAY = string(fmt="date")

_UNIT = {
    "id": integer(),
    "kind": string(enum=KINDS),
    "kind_label": string(),
    "number": string(),
    "make_model": string(),
    "year": integer(nullable=True),
    "department": obj(("id", "name"), nullable=True, id=integer(), name=string()),
    "use": string(enum=tuple(u.value for u in VehicleUse)),
    "use_label": string(),
    "status": string(enum=STATUSES),
    "status_label": string(),
    "registered_on": DAY,
    "note": string(),
}
_DUE = {
    "service_kind": string(enum=SERVICE_KINDS),
    "service_kind_label": string(),
    "due_on": DAY,
    "last_on": string(fmt="date", nullable=True),
    "interval_days": integer(),
    "days_left": integer(description=N_("Negative: overdue by that many days.")),
    "urgency": string(enum=(OVERDUE, DUE_SOON, LATER)),
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Vehicle": obj(tuple(_UNIT), **_UNIT),
    "VehicleList": obj(
        ("vehicles", "page", "per_page", "total", "status_counts"),
        vehicles=array(ref("Vehicle")),
        page=integer(),
        per_page=integer(),
        total=integer(),
        status_counts=obj(STATUSES, **{s: integer() for s in STATUSES}),
    ),
    "VehicleStatusEvent": obj(
        ("id", "from_status", "to_status", "to_status_label", "on_date", "reason"),
        id=integer(),
        from_status=string(enum=STATUSES, nullable=True),
        to_status=string(enum=STATUSES),
        to_status_label=string(),
        on_date=DAY,
        reason=string(),
        sealed_place=string(nullable=True),
        key_holder=string(nullable=True),
        recorded_by=string(),
    ),
    "VehicleDue": obj(tuple(_DUE), **_DUE),
    "VehicleDetail": obj(
        (*_UNIT, "status_events", "due"),
        **_UNIT,
        status_events=array(ref("VehicleStatusEvent")),
        due=array(ref("VehicleDue")),
    ),
    "VehicleService": obj(
        ("id", "vehicle_id", "kind", "kind_label", "on_date", "cost_yuan", "parts", "passed"),
        id=integer(),
        vehicle_id=integer(),
        kind=string(enum=SERVICE_KINDS),
        kind_label=string(),
        on_date=DAY,
        cost_yuan=string(nullable=True, description=N_("Yuan, two decimals, as text.")),
        parts=string(),
        passed=boolean() | {"nullable": True},
        note=string(),
    ),
    "VehicleServiceList": obj(("services",), services=array(ref("VehicleService"))),
    "VehicleDueLine": obj(("vehicle", *_DUE), vehicle=ref("Vehicle"), **_DUE),
    "VehicleDueBoard": obj(
        ("today", "within_days", "overdue", "due_soon"),
        today=DAY,
        within_days=integer(),
        overdue=array(ref("VehicleDueLine")),
        due_soon=array(ref("VehicleDueLine")),
    ),
}

INPUT_MODELS = {
    "VehicleInput": schemas.VehicleBody,
    "VehicleChanges": schemas.VehicleChangesBody,
    "VehicleStatusChange": schemas.StatusChangeBody,
    "VehicleServiceInput": schemas.ServiceBody,
}
EXAMPLES = {
    "VehicleInput": {
        "kind": "patrol_vehicle",
        "number": "新A·H1234",
        "make_model": "江铃 宝典",
        "year": 2021,
        "use": "production",
        "registered_on": "2026-01-05",
    },
    "VehicleChanges": {"make_model": "江铃 宝典 4x4"},
    "VehicleStatusChange": {
        "to_status": "sealed",
        "on_date": "2026-03-01",
        "reason": "冬季停用",
        "sealed_place": "乌鲁木齐养护工区车库",
        "key_holder": "机务科 刘师傅",
    },
    "VehicleServiceInput": {
        "kind": "annual_inspection",
        "on_date": "2026-04-10",
        "cost_yuan": 320.0,
        "passed": True,
    },
}

OPERATIONS: dict[str, Operation] = {
    "api.list_vehicles": Operation(
        N_("List the vehicles and machines, with how many are in each status"),
        "VehicleList",
        params=schemas.VehiclesQuery,
    ),
    "api.create_vehicle": Operation(
        N_("Enter a vehicle or machine in the register"),
        "VehicleDetail",
        status=201,
        body="VehicleInput",
    ),
    "api.vehicle": Operation(
        N_("A vehicle or machine with its status history and next due dates"), "VehicleDetail"
    ),
    "api.update_vehicle": Operation(
        N_("Change a vehicle's particulars (not its status)"),
        "VehicleDetail",
        body="VehicleChanges",
    ),
    "api.change_vehicle_status": Operation(
        N_("Change a vehicle's status (sealing with its sealing record)"),
        "VehicleDetail",
        status=201,
        body="VehicleStatusChange",
    ),
    "api.vehicle_services": Operation(
        N_("A vehicle's maintenance, repairs, annual inspections and insurance"),
        "VehicleServiceList",
    ),
    "api.record_vehicle_service": Operation(
        N_("Record a vehicle's maintenance, repair, annual inspection or insurance"),
        "VehicleService",
        status=201,
        body="VehicleServiceInput",
    ),
    "api.vehicles_due": Operation(
        N_("Services overdue or due soon (sealed and scrapped units are not due)"),
        "VehicleDueBoard",
        params=schemas.DueQuery,
    ),
}
