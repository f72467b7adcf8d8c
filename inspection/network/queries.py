"""Read-only road queries for pages and the API."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.geo import from_db
from inspection.network.models import Road
from inspection.network.stakes import format_stake


def list_roads(session: Session) -> list[Road]:
    """Return every road, by code and direction."""
    return list(session.scalars(select(Road).order_by(Road.code, Road.direction)))


def road_summary(road: Road) -> dict:
    """Return the facts about a road that lists show."""
    return {
        "code": road.code,
        "name": road.name,
        "direction": road.direction,
        "road_class": road.road_class,
        "start_stake": format_stake(road.start_chainage),
        "end_stake": format_stake(road.end_chainage),
        "start_chainage": road.start_chainage,
        "end_chainage": road.end_chainage,
        "length_m": round(road.length_m, 1),
        "chain_breaks": len(road.chain_breaks),
    }


def road_detail(road: Road) -> dict:
    """Return a road with its geometry (GeoJSON), calibration points and chain breaks."""
    geometry = from_db(road.geom)
    return {
        **road_summary(road),
        "geometry_version": road.geometry_version,
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in geometry.coords]},
        "calibration_points": [
            {
                "stake": format_stake(p.chainage, 1),
                "chainage": p.chainage,
                "measure": round(p.measure, 2),
            }
            for p in road.calibration_points
        ],
        "chain_breaks": [
            {
                "kind": b.kind,
                "back_stake": format_stake(b.back_chainage, 1),
                "ahead_stake": format_stake(b.ahead_chainage, 1),
                "back_chainage": b.back_chainage,
                "ahead_chainage": b.ahead_chainage,
                "measure": round(b.measure, 2),
                "note": b.note,
            }
            for b in road.chain_breaks
        ],
    }
