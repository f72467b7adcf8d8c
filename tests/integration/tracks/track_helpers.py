"""Helpers of the track tests: a patrol under way on the demo G30, and points driven along it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import numpy as np

from inspection.network import services as network
from inspection.patrols import services as patrol_services
from inspection.patrols.schemas import PatrolStart
from tests.integration.helpers import new_uuid

METRES_PER_DEGREE = 111_320.0


def start_patrol(db_session, user, *, road="G30", direction="up", started_at=None):
    """Start a patrol for `user` (an hour ago unless told) and return it."""
    data = PatrolStart(
        client_uuid=uuid.uuid4(),
        road=road,
        direction=direction,
        kind="routine",
        crew="",
        vehicle="",
        weather="",
        started_at=started_at or datetime.now(UTC) - timedelta(hours=1),
        start_stake="",
        gps=None,
        note="",
    )
    return patrol_services.start_patrol(db_session, data, actor=user).record


def along(
    db_session,
    code: str,
    first_chainage: float,
    count: int,
    *,
    start: datetime,
    step_m: float = 20.0,
    noise_m: float = 0.0,
    seed: int = 1,
    direction: str | None = None,
) -> list[dict]:
    """Return `count` points one second apart, `step_m` apart along a road's stakes."""
    road = network.get_road(db_session, code, direction)
    rng = np.random.default_rng(seed)
    points = []
    for i in range(count):
        position = network.position_of_stake(db_session, road, first_chainage + i * step_m)
        lat = position.lat + rng.normal(0, noise_m) / METRES_PER_DEGREE if noise_m else position.lat
        lon = position.lon
        if noise_m:
            lon += rng.normal(0, noise_m) / (METRES_PER_DEGREE * np.cos(np.radians(position.lat)))
        points.append(
            {
                "t": (start + timedelta(seconds=i)).isoformat(),
                "lon": round(lon, 7),
                "lat": round(lat, 7),
                "accuracy": 8,
                "speed": abs(step_m),
                "heading": None,
            }
        )
    return points


def batch(points: list[dict], **extra) -> dict:
    return {"batch_uuid": new_uuid(), "points": points} | extra
