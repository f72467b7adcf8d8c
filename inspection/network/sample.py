"""Synthetic centrelines the project makes itself, for demo data and tests.

(The real Xinjiang network in ../shared/data has no licence and never enters the project.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pyproj import Geod

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class SampleSegment:
    start: str  # stake attribute as a database exports it: km, or the chain-break notations
    end: str
    length_m: float  # real length along the ground


def polyline(
    lon: float,
    lat: float,
    bearing: float,
    length_m: float,
    *,
    step_m: float = 200.0,
    turn: float = 0.0,
) -> list[tuple[float, float]]:
    """Return a line of vertices every `step_m` metres, turning `turn` degrees per vertex."""
    coords = [(lon, lat)]
    travelled = 0.0
    while travelled < length_m - 1e-6:
        step = min(step_m, length_m - travelled)
        lon, lat, _ = _GEOD.fwd(lon, lat, bearing, step)
        coords.append((round(lon, 7), round(lat, 7)))
        travelled += step
        bearing += turn
    return coords


def segment_features(
    code: str,
    name: str,
    direction: str,
    start: tuple[float, float],
    bearing: float,
    segments: Sequence[SampleSegment],
    *,
    turn: float = 0.0,
) -> list[dict]:
    """Return GeoJSON features of consecutive segments of one road, each where the last ended."""
    features = []
    lon, lat = start
    for segment in segments:
        coords = polyline(lon, lat, bearing, segment.length_m, turn=turn)
        lon, lat = coords[-1]
        # Carry on the way the last step pointed (the reverse of the azimuth back from its end).
        _, back_azimuth, _ = _GEOD.inv(*coords[-2], *coords[-1])
        bearing = back_azimuth + 180.0
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "roadcode": code,
                    "roadname": name,
                    "startzh": segment.start,
                    "endzh": segment.end,
                    "ldlx": direction,
                },
                "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]},
            }
        )
    return features


def demo_network() -> list[dict]:
    """Return three demo roads near Urumqi: one with a short chain, one with a long chain."""
    return [
        # An expressway carriageway heading west with a 300 m short chain at K3512.
        *segment_features(
            "G30",
            "连霍高速（示范段）",
            "1.上行",
            (87.75, 43.86),
            268.0,
            [
                SampleSegment("3500", "3506", 6000),
                SampleSegment("3506", "3512-K0.3", 5700),
                SampleSegment("3512", "3520", 8000),
            ],
            turn=0.05,
        ),
        # A national road with an 800 m long chain inserted after K3610.
        *segment_features(
            "G312",
            "沪霍线（示范段）",
            "3.双向",
            (87.55, 43.70),
            300.0,
            [
                SampleSegment("3604", "3610", 6000),
                SampleSegment("3610+K0", "3610+K0.8", 800),
                SampleSegment("3610", "3616", 6000),
            ],
            turn=-0.1,
        ),
        # A provincial expressway heading north, no breaks.
        *segment_features(
            "S21",
            "阿乌高速（示范段）",
            "3.双向",
            (87.62, 43.95),
            5.0,
            [SampleSegment("0", "5", 5000), SampleSegment("5", "12", 7000)],
        ),
    ]
