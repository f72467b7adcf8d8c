"""GPS → road pieces: one SQL statement for the candidates, their metric lines held per process.

`locate` (services.py) used to load the nearest pieces and their roads as ORM objects, each road
with its whole centreline (up to 3,500 vertices), and to build a `MetricLine` for every piece on
every call. Here one statement does the KNN search on the pieces' GiST index, the `ST_DWithin`
check and the choice of each road's nearest piece on the spheroid, and returns plain rows: the
road's labels and linear-reference key (never its centreline) and the piece's few vertices as WKB.
The chainage, offset and side are still computed by the pure functions of chainage.py on that
piece, so they are the very numbers the Python path gave on it.

`LOCATE_SQL` is written for the driver (psycopg's `%(name)s` parameters), so the bench runs the
very same text on a bare connection.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from inspection.network.chainage import MetricLine

# The KNN search gives the pieces nearest in degrees (the GiST index's planar distance); those
# beyond the tolerance on the spheroid are dropped; of each road's remaining pieces the one nearest
# on the spheroid is located on. (Nearest in degrees is not nearest in metres: at a bend, or where a
# fix projects onto the vertex two pieces share, it can be the piece whose foot is metres farther.)
# Of two pieces equally near (a fix beside the vertex they share) the one ahead wins, as at a chain
# break the point belongs to the section ahead. The rows come nearest first.
_LOCATE_SQL = """
SELECT r.id, r.code, r.name, r.direction, r.lon_0, r.geometry_version, r.length_m,
       r.start_chainage, r.end_chainage, n.start_measure, ST_AsBinary(n.geom)
FROM (
    SELECT DISTINCT ON (near.road_id) near.road_id, near.start_measure, near.geom,
           ST_Distance(near.geom::geography,
                       ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography) AS metres
    FROM (
        SELECT rp.road_id, rp.start_measure, rp.geom
        FROM road_pieces AS rp{road_filter}
        ORDER BY rp.geom <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)
        LIMIT %(pieces)s
    ) AS near
    WHERE ST_DWithin(near.geom::geography,
                     ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography,
                     %(tolerance)s)
    ORDER BY near.road_id, metres, near.start_measure DESC
) AS n
JOIN roads AS r ON r.id = n.road_id
ORDER BY n.metres, r.id
"""
LOCATE_SQL = _LOCATE_SQL.format(road_filter="")
LOCATE_ON_ROAD_SQL = _LOCATE_SQL.format(
    road_filter="\n        WHERE rp.road_id IN (SELECT id FROM roads WHERE code = %(code)s)"
)


def locate_params(
    lon: float, lat: float, tolerance_m: float, limit: int, road_code: str | None = None
) -> dict:
    """Return the parameters of LOCATE_SQL (or LOCATE_ON_ROAD_SQL with a road code)."""
    params = {
        "lon": float(lon),
        "lat": float(lat),
        "tolerance": float(tolerance_m),
        # A few pieces per road: adjacent pieces and the other carriageway come first.
        "pieces": max(limit * 8, 16),
    }
    if road_code:
        params["code"] = road_code.strip().upper()
    return params


@dataclass(frozen=True)
class RoadRef:
    """A stored road's id, labels and linear-reference key, without its centreline."""

    id: int
    code: str
    name: str
    direction: str
    lon_0: float
    geometry_version: int
    length_m: float
    start_chainage: float
    end_chainage: float


def piece_line(wkb: bytes, lon_0: float, start_measure: float) -> MetricLine:
    """Return a road piece held in metres, built once per process for the same piece."""
    # Keyed by the piece's own bytes, so a changed geometry (or a rebuilt database reusing ids)
    # can never hit a stale line. Per process, bounded, an optimisation only.
    key = (bytes(wkb), float(lon_0), float(start_measure))
    line = _piece_lines.get(key)
    if line is None:
        line = MetricLine(shapely.from_wkb(key[0]), lon_0=lon_0, base_measure=start_measure)
        if len(_piece_lines) >= _PIECE_CACHE_SIZE:
            _piece_lines.pop(next(iter(_piece_lines)))
        _piece_lines[key] = line
    return line


_PIECE_CACHE_SIZE = 8192
_piece_lines: dict[tuple[bytes, float, float], MetricLine] = {}


def nearest_piece_rows(
    connection,
    lon: float,
    lat: float,
    *,
    tolerance_m: float,
    limit: int,
    road_code: str | None = None,
) -> list[tuple[RoadRef, MetricLine]]:
    """Return each road within the tolerance with its nearest piece, nearest first."""
    sql = LOCATE_ON_ROAD_SQL if road_code else LOCATE_SQL
    rows = connection.exec_driver_sql(
        sql, locate_params(lon, lat, tolerance_m, limit, road_code)
    ).all()
    return [(RoadRef(*row[:9]), piece_line(row[10], row[4], row[9])) for row in rows]
