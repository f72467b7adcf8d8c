"""OpenAPI descriptions of the work_zones routes (merged by `openapi.py`)."""

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
from inspection.crew.kinds import ZoneDevice, ZonePart
from inspection.crew.zone_schemas import MinimumsBody, WorkZoneBody, WorkZonePatch, WorkZonesQuery
from inspection.errors import N_

PARTS = [p.value for p in ZonePart]
DEVICES = [d.value for d in ZoneDevice]
MINIMUM = obj(
    ("speed_limit_kmh", "part", "length_m"),
    speed_limit_kmh=integer(),
    part=string(enum=PARTS),
    length_m=number(),
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "WorkZone": {
        **obj(
            (
                "uuid",
                "id",
                "repair",
                "patrol",
                "road",
                "direction",
                "from_stake",
                "to_stake",
                "lanes_closed",
                "speed_limit_kmh",
                "set_up_at",
                "removed_at",
                "parts",
                "devices",
                "intrusion_alarm",
                "minimums",
                "shortfalls",
                "voided",
            ),
            uuid=string(fmt="uuid", description=N_("The phone's UUID of the work zone.")),
            id=integer(),
            repair=obj(
                ("uuid",),
                nullable=True,
                uuid=string(fmt="uuid"),
                kind=string(),
                completed_on=string(fmt="date"),
            ),
            patrol=obj(
                ("uuid",),
                nullable=True,
                uuid=string(fmt="uuid"),
                started_at=string(fmt="date-time"),
            ),
            road=obj(("code",), code=string(), name=string(), road_class=string()),
            direction=string(enum=("up", "down", "both")),
            from_stake=string(description=N_("The lower stake of the zone.")),
            to_stake=string(description=N_("The higher stake of the zone.")),
            lanes_closed=integer(),
            lanes_note=string(),
            speed_limit_kmh=integer(),
            set_up_at=string(fmt="date-time"),
            removed_at=string(fmt="date-time", nullable=True),
            day=string(fmt="date", description=N_("The branch-local day of the set-up.")),
            local_set_up=string(),
            local_removed=string(nullable=True),
            parts=array(
                obj(
                    ("part", "length_m"),
                    part=string(enum=PARTS),
                    length_m=number(),
                    minimum_m=number(nullable=True),
                    short=boolean(),
                )
            ),
            devices=array(obj(("device", "count"), device=string(enum=DEVICES), count=integer())),
            intrusion_alarm={
                **boolean(),
                "description": N_("An alarm cone or a vehicle-mounted intrusion radar was used."),
            },
            minimums=obj(
                ("speed_limit_kmh", "beyond_table", "parts"),
                speed_limit_kmh=integer(
                    nullable=True,
                    description=N_(
                        "The configured speed whose minimums apply: the nearest at or above the"
                        " zone's speed limit (the fastest one when the zone is faster)."
                    ),
                ),
                beyond_table=boolean(),
                parts={"type": "object", "additionalProperties": number()},
            ),
            shortfalls=array(
                obj(
                    ("part", "length_m", "minimum_m", "missing_m"),
                    part=string(enum=PARTS),
                    length_m=number(),
                    minimum_m=number(),
                    missing_m=number(),
                ),
                description=N_("Parts shorter than the minimum: flagged, not refused."),
            ),
            note=string(),
            recorded_by=string(nullable=True),
            created_by_id=integer(),
            voided=boolean(),
            void_reason=string(nullable=True),
            photos=array(ref("Photo"), description=N_("In the answer of one zone.")),
            photo_count=integer(description=N_("In the list.")),
        ),
        "description": N_(
            "A work zone (施工作业区) set up for a repair or a patrol's on-site action: road,"
            " direction, stake range, lanes closed, speed limit, set-up and removal times, its"
            " parts with lengths, its devices; parts shorter than the branch's minimum are"
            " flagged in `shortfalls`."
        ),
    },
    "WorkZoneList": page_of("WorkZone", "work_zones"),
    "WorkZoneMinimums": obj(("minimums",), minimums=array(MINIMUM)),
}

INPUT_MODELS: dict[str, Any] = {
    "WorkZoneInput": WorkZoneBody,
    "WorkZonePatchInput": WorkZonePatch,
    "WorkZoneMinimumsInput": MinimumsBody,
}
EXAMPLES: dict[str, Any] = {
    "WorkZoneInput": {
        "client_uuid": "1d0c8a52-4f3e-4b6a-9a51-7c2e8f0d3b19",
        "repair_uuid": "5a7e2c10-3b4d-4e8f-9a1b-2c3d4e5f6a7b",
        "road": "G30",
        "direction": "up",
        "from_stake": "K3504+000",
        "to_stake": "K3504+300",
        "lanes_closed": 1,
        "lanes_note": "超车道",
        "speed_limit_kmh": 80,
        "set_up_at": "2026-05-01T09:10:00+08:00",
        "parts": [
            {"part": "warning", "length_m": 1200},
            {"part": "upstream_transition", "length_m": 130},
            {"part": "buffer", "length_m": 80},
            {"part": "work_area", "length_m": 300},
        ],
        "devices": [
            {"device": "cone", "count": 40},
            {"device": "alarm_cone", "count": 4},
            {"device": "intrusion_radar"},
        ],
    },
    "WorkZonePatchInput": {"removed_at": "2026-05-01T16:40:00+08:00"},
}
OPERATIONS: dict[str, Operation] = {
    "api.upload_work_zone_photo": Operation(
        N_(
            "Attach a photo of the set-up to a work zone named by its client UUID (its recorder"
            " or a safety officer; idempotent by photo_uuid)"
        ),
        "Photo",
        status=201,
        multipart=True,
        created_or_replayed=True,
    ),
    "api.record_work_zone": Operation(
        N_(
            "Record a work zone (idempotent by client_uuid; linked to a repair and/or a patrol;"
            " a stake off the road is refused, short parts are flagged)"
        ),
        "WorkZone",
        status=201,
        body="WorkZoneInput",
        created_or_replayed=True,
    ),
    "api.list_work_zones": Operation(
        N_("List work zones, newest set-up first"), "WorkZoneList", params=WorkZonesQuery
    ),
    "api.work_zone": Operation(N_("One work zone with its photos and flags"), "WorkZone"),
    "api.update_work_zone": Operation(
        N_("Record the removal time and/or a note (its recorder or a safety officer)"),
        "WorkZone",
        body="WorkZonePatchInput",
    ),
    "api.void_work_zone": Operation(
        N_("Void a work zone with a reason (its recorder or a safety officer)"),
        "WorkZone",
        body="VoidInput",
    ),
    "api.work_zone_minimums": Operation(
        N_("The branch's minimum part lengths by speed limit"), "WorkZoneMinimums"
    ),
    "api.set_work_zone_minimums": Operation(
        N_("Replace the table of minimum part lengths (safety officers and managers)"),
        "WorkZoneMinimums",
        body="WorkZoneMinimumsInput",
    ),
}
