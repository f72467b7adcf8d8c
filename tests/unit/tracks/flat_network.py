"""A small network drawn in metres on a flat patch near Urumqi, for the pure matching tests.

Roads are Shapely lines in local metres (x east, y north), oriented by increasing measure; fixes
are made from metres to lon/lat with the local scale, and candidates by projecting each fix on
every road within the match distance, as the database look-up does on the real network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from shapely.geometry import LineString, Point

from inspection.tracks.kinds import MATCH_DISTANCE_M
from inspection.tracks.matching import Fix, Placement

LON0, LAT0 = 87.6, 43.8
M_PER_DEG_LAT = 111_132.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(LAT0))


@dataclass(frozen=True)
class FlatRoad:
    road_id: int
    direction: str
    line: LineString


def to_lonlat(x: float, y: float) -> tuple[float, float]:
    return LON0 + x / M_PER_DEG_LON, LAT0 + y / M_PER_DEG_LAT


def to_xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * M_PER_DEG_LON, (lat - LAT0) * M_PER_DEG_LAT


def placements(roads: list[FlatRoad], fix: Fix) -> list[Placement]:
    point = Point(to_xy(fix.lon, fix.lat))
    found = []
    for road in roads:
        distance = road.line.distance(point)
        if distance <= MATCH_DISTANCE_M:
            measure = road.line.project(point)
            found.append(Placement(road.road_id, road.direction, measure, measure, distance))
    return found


def drive(
    path: LineString,
    *,
    speed: float = 20.0,
    noise: float = 10.0,
    seed: int = 1,
    t0: float = 0.0,
    reverse: bool = False,
) -> tuple[list[Fix], list[tuple[float, float]]]:
    """Return 1 Hz fixes along a path (with Gaussian noise) and the true positions."""
    rng = np.random.default_rng(seed)
    line = LineString(list(path.coords)[::-1]) if reverse else path
    fixes, truth = [], []
    steps = int(line.length // speed) + 1
    for i in range(steps):
        true = line.interpolate(min(i * speed, line.length))
        x, y = true.x + rng.normal(0, noise), true.y + rng.normal(0, noise)
        fixes.append(Fix(t0 + i, *to_lonlat(x, y)))
        truth.append((true.x, true.y))
    return fixes, truth
