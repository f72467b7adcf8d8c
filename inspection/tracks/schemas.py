"""The declared input of a track batch (what the phone's recorder sends)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from inspection.errors import N_
from inspection.inputs import (
    ACCURACY_MAX_M,
    Input,
    Int,
    Lat,
    Lon,
    Number,
    PlausibleTime,
    Uuid,
)
from inspection.tracks.kinds import MAX_BATCH_POINTS

# Faster than any road vehicle by far: a larger figure is not a speed.
SPEED_MAX_MPS = 1_000.0


class TrackPointBody(Input):
    """One GPS point as the phone's Geolocation API gave it."""

    t: Annotated[PlausibleTime, Field(description=N_("When the fix was taken, with its zone."))]
    lon: Lon
    lat: Lat
    accuracy: Annotated[
        Number(0, ACCURACY_MAX_M), Field(description=N_("Horizontal accuracy in metres."))
    ]
    speed: Annotated[
        Number(0, SPEED_MAX_MPS) | None, Field(description=N_("Speed in m/s, if the phone knows."))
    ] = None
    heading: Annotated[
        Number(0, 360) | None, Field(description=N_("Heading in degrees from north, if known."))
    ] = None


class TrackBatchBody(Input):
    """A batch of track points, sent once or retried under the same batch UUID."""

    messages: ClassVar = {
        "batch_uuid": N_("This field is required."),
        "points": N_("Send at least one point."),
        "points:too_long": N_("Too many points for one batch; send them in smaller batches."),
    }

    batch_uuid: Uuid
    points: Annotated[list[TrackPointBody], Field(min_length=1, max_length=MAX_BATCH_POINTS)]
    dropped: Annotated[
        Int(0, 1_000_000), Field(description=N_("Points the phone dropped (too inaccurate)."))
    ] = 0
