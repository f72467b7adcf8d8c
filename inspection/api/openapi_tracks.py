"""OpenAPI descriptions of the patrol tracks routes (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi_parts import (
    ANY_OBJECT,
    DIRECTIONS,
    Operation,
    array,
    integer,
    number,
    obj,
    ref,
    string,
)
from inspection.errors import N_
from inspection.tracks.schemas import TrackBatchBody

TRAVEL = ("up", "down")

SCHEMAS: dict[str, dict[str, Any]] = {
    "CoveredRange": obj(
        ("road", "direction", "from_stake", "to_stake", "length_m", "text"),
        road=string(),
        direction=string(enum=DIRECTIONS),
        from_stake=string(),
        to_stake=string(),
        length_m=number(),
        text=string(description=N_("As people write it, e.g. G30 K3500+000–K3519+700.")),
    ),
    "TrackSummary": obj(
        ("points", "km", "last_at", "covered"),
        points=integer(description=N_("Points kept for the patrol so far.")),
        km=number(nullable=True, description=N_("Length of the union of the covered stretches.")),
        last_at=string(nullable=True, fmt="date-time"),
        covered=array(ref("CoveredRange")),
    ),
    "TrackBatchAnswer": obj(
        ("uuid", "patrol_uuid", "points", "dropped", "track"),
        uuid=string(fmt="uuid", description=N_("The batch UUID: the outbox entry it confirms.")),
        patrol_uuid=string(fmt="uuid"),
        points=integer(description=N_("Points of this batch kept.")),
        dropped=integer(
            description=N_("Points of this batch not kept: too inaccurate or too fast.")
        ),
        track=ref("TrackSummary"),
    ),
    "PatrolTrack": obj(
        ("type", "patrol_uuid", "points", "km", "typed_km", "covered", "features"),
        type=string(enum=("FeatureCollection",)),
        patrol_uuid=string(fmt="uuid"),
        points=integer(),
        km=number(nullable=True),
        typed_km=number(nullable=True, description=N_("The figure the crew typed, if any.")),
        covered=array(ref("CoveredRange")),
        features=array(
            obj(
                ("type", "id", "geometry", "properties"),
                type=string(enum=("Feature",)),
                id=string(),
                geometry={**ANY_OBJECT, "nullable": True},
                properties=obj(
                    ("kind",),
                    kind=string(enum=("track", "covered")),
                    points=integer(),
                    vertices=integer(),
                    road=string(),
                    direction=string(enum=DIRECTIONS),
                    travel_direction=string(enum=TRAVEL),
                    stakes=array(string()),
                    length_m=number(),
                    started_at=string(fmt="date-time"),
                    ended_at=string(fmt="date-time"),
                    point_count=integer(),
                ),
            )
        ),
    ),
}

INPUT_MODELS: dict = {"TrackBatch": TrackBatchBody}
EXAMPLES = {
    "TrackBatch": {
        "batch_uuid": "6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5",
        "points": [
            {
                "t": "2026-05-01T09:30:00+08:00",
                "lon": 87.6012,
                "lat": 43.8521,
                "accuracy": 8,
                "speed": 19.4,
                "heading": 268,
            },
            {
                "t": "2026-05-01T09:30:01+08:00",
                "lon": 87.6010,
                "lat": 43.8521,
                "accuracy": 8,
                "speed": 19.6,
                "heading": 268,
            },
        ],
        "dropped": 0,
    }
}

OPERATIONS: dict[str, Operation] = {
    "api.add_track_batch": Operation(
        N_("Add a batch of track points to a patrol (idempotent by batch_uuid)"),
        "TrackBatchAnswer",
        status=201,
        body="TrackBatch",
        created_or_replayed=True,
    ),
    "api.patrol_track": Operation(
        N_("A patrol's track and covered stretches as GeoJSON"), "PatrolTrack"
    ),
}
