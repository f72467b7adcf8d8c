"""Demo tracks: the demo patrol's drive, and a month of earlier patrols, so that the
patrol page, the coverage page and the map show something on a fresh `make run`."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.network import services as network
from inspection.patrols import schemas as patrol_schemas
from inspection.patrols import services as patrol_services
from inspection.patrols.kinds import PATROL_KINDS, WEATHER
from inspection.patrols.models import Patrol
from inspection.tracks.ingest import ingest_batch
from inspection.tracks.schemas import TrackBatchBody

SPEED_MPS = 16.0  # about 58 km/h, a patrol car's pace
EVERY_S = 5  # one point every 80 m: well within an interval's 500 m gap
BATCH = 50
NOISE_M = 6.0
METRES_PER_DEGREE = 111_320.0


def drive(
    session: Session,
    patrol: Patrol,
    actor: User,
    *,
    start: datetime,
    from_chainage: float,
    to_chainage: float,
    seed: int = 7,
) -> None:
    """Drive a patrol's road from one stake to another, sending the track in batches."""
    road = patrol.road
    reference = network.reference_for(road)
    line = network.metric_line_for(road)
    first, last = (reference.to_measure(c, prefer="before") for c in (from_chainage, to_chainage))
    step = SPEED_MPS * EVERY_S * (1 if last >= first else -1)
    rng = np.random.default_rng(seed)
    points = []
    count = int(abs(last - first) // abs(step)) + 1
    measures = [first + i * step for i in range(count)]
    if abs(measures[-1] - last) > 1:
        measures.append(last)  # the drive ends at the stake it was asked to reach
    for i, measure in enumerate(measures):
        lon, lat = line.point_at(measure)
        lat += rng.normal(0, NOISE_M) / METRES_PER_DEGREE
        lon += rng.normal(0, NOISE_M) / (METRES_PER_DEGREE * np.cos(np.radians(lat)))
        points.append(
            {
                "t": (start + timedelta(seconds=i * EVERY_S)).isoformat(),
                "lon": round(float(lon), 7),
                "lat": round(float(lat), 7),
                "accuracy": 6.0,
                "speed": SPEED_MPS,
            }
        )
    for begin in range(0, len(points), BATCH):
        body = TrackBatchBody.model_validate(
            {"batch_uuid": str(uuid.uuid4()), "points": points[begin : begin + BATCH]}
        )
        ingest_batch(session, patrol.client_uuid, body, actor=actor, now=start + timedelta(days=1))


def earlier_patrols() -> list[tuple[int, str, str, float, float]]:
    """(days ago, road, direction, from stake, to stake) of the demo's earlier patrols.

    G30 (an expressway, daily) is driven end to end nearly every day of the last month, missing
    a few days (so some of it falls below its frequency); S21 every third day on its southern
    part; G312 (class 2, every other day) once a week: gaps, stretches at their frequency and
    never-patrolled stakes all show.
    """
    patrols = []
    for days_ago in range(1, 31):
        if days_ago not in (8, 9, 17):
            patrols.append((days_ago, "G30", "up", 3_500_000, 3_520_000))
        if days_ago % 3 == 0:
            patrols.append((days_ago, "S21", "both", 0, 7_000))
        if days_ago % 7 == 2:
            patrols.append((days_ago, "G312", "both", 3_604_000, 3_612_000))
    return patrols


def load_demo_tracks(
    session: Session, crew: User, today: date, *, open_patrol: Patrol | None = None
) -> None:
    """Record the demo tracks (the open demo patrol's drive first, if given)."""
    if open_patrol is not None:
        drive(
            session,
            open_patrol,
            crew,
            start=open_patrol.started_at + timedelta(minutes=1),
            from_chainage=3_500_000,
            to_chainage=3_519_700,
        )
    for days_ago, code, direction, first, last in earlier_patrols():
        day = today - timedelta(days=days_ago)
        started = datetime.combine(day, time(10, 0), tzinfo=UTC) - timedelta(hours=8)
        saved = patrol_services.start_patrol(
            session,
            patrol_schemas.parse_patrol_start(
                {
                    "client_uuid": str(uuid.uuid4()),
                    "road": code,
                    "direction": direction,
                    "kind": "routine",
                    "crew": crew.name,
                    "started_at": started.isoformat(),
                },
                PATROL_KINDS,
                WEATHER,
            ),
            actor=crew,
        )
        patrol = saved.record
        drive(
            session,
            patrol,
            crew,
            start=started + timedelta(minutes=1),
            from_chainage=first,
            to_chainage=last,
            seed=days_ago,
        )
        ended = patrol.track_last_at + timedelta(minutes=1)
        patrol_services.end_patrol(
            session,
            patrol.client_uuid,
            patrol_schemas.parse_patrol_end({"ended_at": ended.isoformat()}),
            actor=crew,
        )
    session.flush()
