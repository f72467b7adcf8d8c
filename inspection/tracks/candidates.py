"""Candidate placements of GPS points on the network: one SQL query a batch, projection in Python.

The query finds, for every point of a batch at once, the few road pieces (~1 km stretches of
centreline) within MATCH_DISTANCE_M: the points go in as two arrays, `unnest` turns them into
rows, and a LATERAL sub-query per point keeps the pieces whose bounding box meets a box of the
tolerance around the point (the GiST index answers that), within the tolerance on the spheroid,
nearest first. The pieces' centrelines are then held in metres (`MetricLine`, cached per piece)
and the points projected on them with vectorised Shapely: measure, distance, and the chainage
from the road's linear reference.

`CANDIDATE_SQL` is written for the driver (psycopg's `%(name)s` parameters), so the bench runs
the very same text on a bare connection.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString
from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.geo import from_db
from inspection.network.chainage import MetricLine, metric_crs_for
from inspection.network.models import Road, RoadPiece
from inspection.network.services import reference_for
from inspection.tracks.kinds import MATCH_DISTANCE_M
from inspection.tracks.matching import Placement

PIECES_PER_POINT = 4
METRES_PER_DEGREE = 111_000.0
# Two candidates on one road closer than this are the same place (adjacent pieces share ends).
SAME_PLACE_M = 1.0

CANDIDATE_SQL = """
SELECT f.ord::int AS ord, c.id AS piece_id, c.road_id, c.start_measure, c.end_measure
FROM unnest(%(lons)s::float8[], %(lats)s::float8[]) WITH ORDINALITY AS f(lon, lat, ord)
CROSS JOIN LATERAL (
    SELECT rp.id, rp.road_id, rp.start_measure, rp.end_measure
    FROM road_pieces AS rp
    WHERE rp.geom && ST_Expand(
            ST_SetSRID(ST_MakePoint(f.lon, f.lat), 4326),
            %(box)s / greatest(cos(radians(f.lat)), 0.01),
            %(box)s)
      AND ST_DWithin(rp.geom::geography,
                     ST_SetSRID(ST_MakePoint(f.lon, f.lat), 4326)::geography,
                     %(tolerance)s)
    ORDER BY rp.geom <-> ST_SetSRID(ST_MakePoint(f.lon, f.lat), 4326)
    LIMIT %(per_point)s
) AS c
ORDER BY f.ord
"""


def candidate_params(lons: Sequence[float], lats: Sequence[float]) -> dict:
    """Return the parameters of CANDIDATE_SQL for these points."""
    return {
        "lons": [float(x) for x in lons],
        "lats": [float(y) for y in lats],
        # The box only pre-selects for the index; 10 % over the tolerance in degrees of latitude.
        "box": MATCH_DISTANCE_M * 1.1 / METRES_PER_DEGREE,
        "tolerance": MATCH_DISTANCE_M,
        "per_point": PIECES_PER_POINT,
    }


def candidate_rows(session: Session, lons: Sequence[float], lats: Sequence[float]) -> list:
    """Run CANDIDATE_SQL: rows of (ord from 1, piece id, road id, start and end measure)."""
    if not lons:
        return []
    connection = session.connection()
    return list(connection.exec_driver_sql(CANDIDATE_SQL, candidate_params(lons, lats)))


# Metric lines of road pieces by (piece id, start, end measure): pieces are never edited, a
# road's new geometry makes new pieces. Per process, bounded, an optimisation only.
_PIECE_CACHE_SIZE = 20_000
_piece_lines: dict[tuple[int, float, float], LineString] = {}


@functools.lru_cache(maxsize=64)
def _to_metric(lon_0: float) -> Transformer:
    crs = metric_crs_for(LineString([(lon_0, 0), (lon_0, 1)]), lon_0=lon_0)
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _piece_lines_for(session: Session, rows: list, roads: dict[int, Road]) -> dict:
    keys = {(r.piece_id, r.start_measure, r.end_measure): r.road_id for r in rows}
    missing = [key for key in keys if key not in _piece_lines]
    if missing:
        geoms = dict(
            session.execute(
                select(RoadPiece.id, RoadPiece.geom).where(
                    RoadPiece.id.in_([key[0] for key in missing])
                )
            ).all()
        )
        for key in missing:
            road = roads[keys[key]]
            line = MetricLine(from_db(geoms[key[0]]), lon_0=road.lon_0, base_measure=key[1])
            if len(_piece_lines) >= _PIECE_CACHE_SIZE:
                _piece_lines.pop(next(iter(_piece_lines)))
            _piece_lines[key] = line.line
    return {key: _piece_lines[key] for key in keys}


def roads_by_id(session: Session, road_ids) -> dict[int, Road]:
    """Return the roads of these ids (from the session's identity map where it has them)."""
    found = {}
    for road_id in set(road_ids):
        road = session.identity_map.get(session.identity_key(Road, road_id))
        if road is not None:
            found[road_id] = road
    missing = set(road_ids) - set(found)
    if missing:
        found.update({r.id: r for r in session.scalars(select(Road).where(Road.id.in_(missing)))})
    return found


def find_candidates(
    session: Session, lons: Sequence[float], lats: Sequence[float]
) -> list[list[Placement]]:
    """Return, per point, its placements on the roads within MATCH_DISTANCE_M."""
    result: list[list[Placement]] = [[] for _ in lons]
    rows = candidate_rows(session, lons, lats)
    if not rows:
        return result
    roads = roads_by_id(session, {r.road_id for r in rows})
    lines = _piece_lines_for(session, rows, roads)
    by_piece: dict[tuple, list[int]] = defaultdict(list)
    road_of: dict[tuple, int] = {}
    for r in rows:
        key = (r.piece_id, r.start_measure, r.end_measure)
        by_piece[key].append(r.ord - 1)
        road_of[key] = r.road_id
    lon_array, lat_array = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    metric_points: dict[int, np.ndarray] = {}  # per road: every point of the batch in metres
    for key, indexes in by_piece.items():
        road = roads[road_of[key]]
        if road.id not in metric_points:
            x, y = _to_metric(road.lon_0).transform(lon_array, lat_array)
            metric_points[road.id] = shapely.points(x, y)
        points = metric_points[road.id][indexes]
        line = lines[key]
        local = shapely.line_locate_point(line, points)
        distance = shapely.distance(line, points)
        reference = reference_for(road)
        for i, m, d in zip(indexes, local, distance, strict=True):
            measure = min(max(key[1] + float(m), 0.0), road.length_m)
            _add(result[i], road, reference, measure, float(d))
    return result


def _add(placements: list[Placement], road: Road, reference, measure: float, d: float) -> None:
    if not math.isfinite(measure) or d > MATCH_DISTANCE_M + SAME_PLACE_M:
        return
    for j, other in enumerate(placements):
        if other.road_id == road.id and abs(other.measure - measure) < SAME_PLACE_M:
            if d < other.distance_m:
                placements[j] = Placement(
                    road.id, road.direction, measure, reference.to_chainage(measure), d
                )
            return
    placements.append(
        Placement(road.id, road.direction, measure, reference.to_chainage(measure), d)
    )
