"""Patrols and covered intervals written straight into the tables (the coverage tests do not
depend on track ingest): the demo roads, a crew, and intervals at local times."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from inspection.geo import to_db
from inspection.network import services as network
from inspection.patrols.models import Patrol
from inspection.tracks.models import CoveredInterval

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def patrol(session, road, user, started_at: datetime, *, voided: bool = False, **values) -> Patrol:
    record = Patrol(
        client_uuid=uuid.uuid4(),
        road_id=road.id,
        direction=road.direction,
        kind="routine",
        started_at=started_at,
        created_by_id=user.id,
        **values,
    )
    if voided:
        record.voided_at = started_at
        record.void_reason = "test"
        record.voided_by_id = user.id
    session.add(record)
    session.flush()
    return record


def interval(session, record: Patrol, road, from_m: float, to_m: float, ended_at: datetime):
    """Add a covered interval of `road` between two measures, ending at `ended_at`."""
    reference = network.reference_for(road)
    line = network.metric_line_for(road).substring(from_m, to_m)
    row = CoveredInterval(
        patrol_id=record.id,
        road_id=road.id,
        travel_direction="up",
        from_measure=from_m,
        to_measure=to_m,
        from_chainage=reference.to_chainage(from_m),
        to_chainage=reference.to_chainage(to_m),
        started_at=ended_at.replace(minute=0) if ended_at.minute else ended_at,
        ended_at=ended_at,
        point_count=10,
        open=False,
        geometry_version=road.geometry_version,
        geom=to_db(line),
    )
    session.add(row)
    session.flush()
    return row


def patrol_whole_road(session, road, user, ended_at: datetime, **values) -> Patrol:
    record = patrol(session, road, user, ended_at.replace(hour=max(ended_at.hour - 1, 0)), **values)
    interval(session, record, road, 0, road.length_m, ended_at)
    return record
