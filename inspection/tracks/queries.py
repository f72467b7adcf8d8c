"""Read-only views of a patrol's track: its summary, its covered stake ranges, its GeoJSON."""

from __future__ import annotations

import math

from shapely.geometry import mapping
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, joinedload

from inspection.auth.models import User
from inspection.auth.permissions import Role
from inspection.errors import N_, NotPermitted
from inspection.geo import from_db
from inspection.network.services import reference_for
from inspection.network.stakes import format_stake
from inspection.patrols.models import Patrol
from inspection.tracks.ingest import Ingested
from inspection.tracks.intervals import merge
from inspection.tracks.kinds import INTERVAL_GAP_SECONDS
from inspection.tracks.models import CoveredInterval, TrackPoint
from inspection.tracks.stake_ranges import stake_ranges

# The track drawn on a map: at most about this many vertices (an 8-hour day has 28,800 points).
MAX_TRACK_VERTICES = 2000
# Who reads any patrol's track; a crew member reads the tracks of the patrols he or she started.
TRACK_READERS = (Role.SAFETY_OFFICER, Role.MANAGER)


def may_see(patrol: Patrol, user: User) -> bool:
    """Tell whether the user may see the patrol's track (its crew member, officers, managers)."""
    return patrol.created_by_id == user.id or any(role in user.roles for role in TRACK_READERS)


def check_may_see(patrol: Patrol, user: User) -> None:
    if not may_see(patrol, user):
        raise NotPermitted(
            N_("Only the crew member of this patrol, safety officers and managers see its track.")
        )


def _intervals(session: Session, patrol_id: int) -> list[CoveredInterval]:
    return list(
        session.scalars(
            select(CoveredInterval)
            .options(joinedload(CoveredInterval.road))
            .where(CoveredInterval.patrol_id == patrol_id)
            .order_by(CoveredInterval.started_at, CoveredInterval.id)
        )
    )


def covered_ranges(session: Session, patrol_id: int) -> list[dict]:
    """Return the covered stretches (union per road), each as stake ranges split at chain breaks."""
    by_road: dict[int, tuple] = {}
    for interval in _intervals(session, patrol_id):
        road, stretches = by_road.setdefault(interval.road_id, (interval.road, []))
        stretches.append((interval.from_measure, interval.to_measure))
    ranges = []
    for road, stretches in sorted(
        by_road.values(), key=lambda item: (item[0].code, item[0].direction)
    ):
        reference = reference_for(road)
        for low, high in merge(stretches):
            for stake_range in stake_ranges(reference, low, high):
                ranges.append(
                    {
                        "road": road.code,
                        "direction": road.direction,
                        "from_stake": format_stake(stake_range.from_chainage),
                        "to_stake": format_stake(stake_range.to_chainage),
                        "length_m": round(stake_range.length_m, 1),
                        "text": stake_range.text(road.code),
                    }
                )
    return ranges


def track_summary(session: Session, patrol: Patrol) -> dict:
    return {
        "points": patrol.track_points,
        "km": patrol.track_km,
        "last_at": patrol.track_last_at.isoformat() if patrol.track_last_at else None,
        "covered": covered_ranges(session, patrol.id),
    }


def batch_answer(session: Session, ingested: Ingested) -> dict:
    """Return the answer to a batch: its UUID at `uuid` (the phone's outbox looks there)."""
    batch = ingested.batch
    return {
        "uuid": str(batch.batch_uuid),
        "patrol_uuid": str(ingested.patrol.client_uuid),
        "points": batch.point_count,
        "dropped": batch.dropped_count,
        "track": track_summary(session, ingested.patrol),
    }


_THINNED = text(
    """
    SELECT lon, lat, recorded_at FROM (
        SELECT lon, lat, recorded_at,
               row_number() OVER (ORDER BY recorded_at) AS n,
               count(*) OVER () AS total
        FROM track_points WHERE patrol_id = :patrol_id
    ) AS numbered
    WHERE (n - 1) % :step = 0 OR n = total
    ORDER BY recorded_at
    """
)


def track_lines(session: Session, patrol_id: int) -> tuple[list[list[list[float]]], int]:
    """Return the track thinned for display, split where the recording stopped, and its size."""
    total = session.scalar(
        select(func.count()).select_from(TrackPoint).where(TrackPoint.patrol_id == patrol_id)
    )
    step = max(1, math.ceil(total / MAX_TRACK_VERTICES))
    parts: list[list[list[float]]] = []
    previous = None
    for lon, lat, at in session.execute(_THINNED, {"patrol_id": patrol_id, "step": step}):
        if previous is None or (at - previous).total_seconds() > INTERVAL_GAP_SECONDS:
            parts.append([])
        parts[-1].append([round(lon, 6), round(lat, 6)])
        previous = at
    return [p for p in parts if len(p) >= 2], total


def track_geojson(session: Session, patrol: Patrol) -> dict:
    """Return the track and the covered intervals as a GeoJSON FeatureCollection."""
    lines, total = track_lines(session, patrol.id)
    features = [
        {
            "type": "Feature",
            "id": "track",
            "geometry": {"type": "MultiLineString", "coordinates": lines} if lines else None,
            "properties": {
                "kind": "track",
                "points": total,
                "vertices": sum(len(line) for line in lines),
            },
        }
    ]
    for interval in _intervals(session, patrol.id):
        road = interval.road
        ranges = stake_ranges(reference_for(road), interval.from_measure, interval.to_measure)
        features.append(
            {
                "type": "Feature",
                "id": f"covered-{interval.id}",
                "geometry": mapping(from_db(interval.geom)),
                "properties": {
                    "kind": "covered",
                    "road": road.code,
                    "direction": road.direction,
                    "travel_direction": interval.travel_direction,
                    "stakes": [r.text(road.code) for r in ranges],
                    "length_m": round(interval.to_measure - interval.from_measure, 1),
                    "started_at": interval.started_at.isoformat(),
                    "ended_at": interval.ended_at.isoformat(),
                    "point_count": interval.point_count,
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "patrol_uuid": str(patrol.client_uuid),
        "points": patrol.track_points,
        "km": patrol.track_km,
        "typed_km": patrol.patrolled_km,
        "covered": covered_ranges(session, patrol.id),
        "features": features,
    }
