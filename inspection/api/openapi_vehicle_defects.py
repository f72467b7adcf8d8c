"""OpenAPI descriptions of the vehicle-defect routes (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api import vehicle_defects as api
from inspection.api.openapi_parts import Operation, integer, obj, page_of, string
from inspection.errors import N_
from inspection.fleet.kinds import VehicleKind, VehicleStatus

STATUSES = tuple(s.value for s in VehicleStatus)

SCHEMAS: dict[str, dict[str, Any]] = {
    "VehicleDefect": obj(
        (
            "uuid",
            "id",
            "vehicle",
            "description",
            "reported_at",
            "reported_by",
            "created_at",
            "status_change",
        ),
        uuid=string(fmt="uuid", description=N_("The phone's UUID of the report.")),
        id=integer(),
        vehicle=obj(
            ("id", "number", "kind", "status"),
            id=integer(),
            number=string(),
            kind=string(enum=tuple(k.value for k in VehicleKind)),
            status=string(enum=STATUSES, description=N_("The unit's status now.")),
        ),
        description=string(),
        reported_at=string(fmt="date-time"),
        reported_by=string(),
        created_at=string(fmt="date-time"),
        status_change={
            **obj(
                ("from_status", "to_status", "on_date"),
                nullable=True,
                from_status=string(enum=STATUSES),
                to_status=string(enum=STATUSES),
                on_date=string(fmt="date"),
            ),
            "description": N_(
                "The status change the report made (fit → defective); null when the unit was"
                " already defective or under repair."
            ),
        },
    ),
    "VehicleDefectList": page_of("VehicleDefect", "defects"),
}

INPUT_MODELS: dict[str, Any] = {"VehicleDefectInput": api.VehicleDefectBody}
EXAMPLES: dict[str, Any] = {
    "VehicleDefectInput": {
        "client_uuid": "5b0c7e7e-4a1e-4b8e-9a53-0d6f2f1e8c11",
        "vehicle_id": 12,
        "description": "左前轮胎漏气，刹车异响",
        "reported_at": "2026-01-12T09:30:00+08:00",
    }
}
OPERATIONS: dict[str, Operation] = {
    "api.report_vehicle_defect": Operation(
        N_("Report a vehicle defect from the road (a fit unit becomes defective)"),
        "VehicleDefect",
        status=201,
        body="VehicleDefectInput",
        created_or_replayed=True,
    ),
    "api.list_vehicle_defects": Operation(
        N_("List the vehicle defect reports, newest first"),
        "VehicleDefectList",
        params=api.VehicleDefectsQuery,
    ),
}
