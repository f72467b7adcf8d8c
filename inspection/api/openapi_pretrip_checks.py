"""OpenAPI descriptions of the pre-trip check routes (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi_parts import (
    Operation,
    boolean,
    integer,
    number,
    obj,
    page_of,
    string,
)
from inspection.crew.kinds import AlcoholResult, VehicleCheckItem
from inspection.crew.pretrip_schemas import PretripCheckBody, PretripChecksQuery, SettingsBody
from inspection.errors import N_

ITEMS = tuple(i.value for i in VehicleCheckItem)
HIDDEN = N_(
    "Null unless the viewer may see the health readings (crew.health_values: safety officers"
    " and managers; or the driver the check is of), and null once erased after the retention"
    " period."
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "PretripCheck": {
        **obj(
            (
                "uuid",
                "id",
                "checked_at",
                "check_date",
                "vehicle",
                "driver",
                "vehicle_items",
                "faults",
                "vehicle_passed",
                "alcohol_result",
                "alcohol_passed",
                "blood_pressure_passed",
                "passed",
                "values_visible",
                "values_erased",
                "alcohol_mg",
                "systolic",
                "diastolic",
                "thresholds",
                "note",
                "checked_by",
                "voided",
                "void_reason",
            ),
            uuid=string(fmt="uuid", description=N_("The phone's UUID of the check.")),
            id=integer(),
            checked_at=string(fmt="date-time"),
            check_date=string(
                fmt="date", description=N_("The branch-local day the check counts for.")
            ),
            vehicle=obj(("id", "number", "kind"), id=integer(), number=string(), kind=string()),
            driver=obj(("id", "name"), id=integer(), name=string()),
            vehicle_items=obj(ITEMS, **{i: boolean() for i in ITEMS}),
            faults={
                "type": "array",
                "items": string(enum=ITEMS),
                "description": N_("The checklist items found at fault."),
            },
            vehicle_passed=boolean(),
            alcohol_result=string(enum=tuple(r.value for r in AlcoholResult)),
            alcohol_passed=boolean(),
            blood_pressure_passed=boolean(),
            passed=boolean(),
            values_visible=boolean(),
            values_erased=boolean(),
            alcohol_mg=number(nullable=True, description=HIDDEN),
            systolic=integer(nullable=True, description=HIDDEN),
            diastolic=integer(nullable=True, description=HIDDEN),
            thresholds=obj(
                ("alcohol_drink_mg", "systolic_max", "diastolic_max"),
                alcohol_drink_mg=number(),
                systolic_max=integer(),
                diastolic_max=integer(),
            ),
            note=string(),
            checked_by=string(nullable=True),
            voided={
                **boolean(),
                "description": N_(
                    "A voided check is kept but left out of the lists (unless voided=1) and"
                    " no longer blocks: the previous non-voided check of that day decides."
                ),
            },
            void_reason=string(nullable=True),
        ),
        "description": N_(
            "A pre-trip check (出车前检查). On its branch-local day the newest check of a vehicle"
            " decides whether the vehicle may start a patrol, the newest of a driver decides the"
            " driver: POST /api/v1/patrols naming a vehicle_id or driver_id whose newest check of"
            " that day failed answers 422 with the code `pretrip_failed`, `fields` naming"
            " vehicle_id and/or driver_id, a message naming the faulty items or the failed test"
            " (never a reading), and `pretrip` {vehicle_failed, driver_failed, faults, tests,"
            " checks}; a later passed re-check releases it. No check at all does not block."
        ),
    },
    "PretripCheckList": page_of("PretripCheck", "checks"),
    "CrewSafetySettings": obj(
        ("alcohol_drink_mg", "alcohol_drunk_mg", "systolic_max", "diastolic_max", "retention_days"),
        alcohol_drink_mg=number(),
        alcohol_drunk_mg=number(),
        systolic_max=integer(),
        diastolic_max=integer(),
        retention_days=integer(),
    ),
}

INPUT_MODELS: dict[str, Any] = {
    "PretripCheckInput": PretripCheckBody,
    "CrewSafetySettingsInput": SettingsBody,
}
EXAMPLES: dict[str, Any] = {
    "PretripCheckInput": {
        "client_uuid": "0f6d8f4e-2b7a-4c1e-9d3a-6b5e8c7a1f20",
        "checked_at": "2026-05-01T07:40:00+08:00",
        "vehicle_id": 12,
        "driver_id": 3,
        "vehicle_items": {i: True for i in ITEMS},
        "alcohol_mg": 0,
        "systolic": 128,
        "diastolic": 82,
    },
    "CrewSafetySettingsInput": {
        "alcohol_drink_mg": 20,
        "alcohol_drunk_mg": 80,
        "systolic_max": 160,
        "diastolic_max": 100,
        "retention_days": 365,
    },
}
OPERATIONS: dict[str, Operation] = {
    "api.record_pretrip_check": Operation(
        N_(
            "Record a pre-trip check (judged on arrival; a failed one blocks patrol starts with"
            " that vehicle or driver that day: 422 pretrip_failed)"
        ),
        "PretripCheck",
        status=201,
        body="PretripCheckInput",
        created_or_replayed=True,
    ),
    "api.list_pretrip_checks": Operation(
        N_("List pre-trip checks, newest first (readings only for those who may see them)"),
        "PretripCheckList",
        params=PretripChecksQuery,
    ),
    "api.pretrip_check": Operation(N_("One pre-trip check"), "PretripCheck"),
    "api.void_pretrip_check": Operation(
        N_(
            "Void a pre-trip check recorded in error, with a reason (safety officers and"
            " managers); the day's blocking falls back to the previous non-voided check"
        ),
        "PretripCheck",
        body="VoidInput",
    ),
    "api.crew_safety_settings": Operation(
        N_("The thresholds of the pre-trip check and the readings' retention"),
        "CrewSafetySettings",
    ),
    "api.update_crew_safety_settings": Operation(
        N_("Change the thresholds and the retention period"),
        "CrewSafetySettings",
        body="CrewSafetySettingsInput",
    ),
}
