"""Time GPS → stake (services.locate) and stake → point (services.position_of_stake).

Run from the project root:
    .venv/bin/python -m bench.locate_bench PATH [--n 2000] [--keep]

Each look-up runs in its own app context and session, as a request would: the time includes the
session, the pooled connection, the queries and the Python around them.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass

from pyproj import Geod
from sqlalchemy import select

from bench._db import add_common_arguments, distribution, prepare
from inspection.errors import NotFound, ValidationError
from inspection.extensions import db
from inspection.geo import from_db
from inspection.network import services
from inspection.network.chainage import MetricLine
from inspection.network.models import Road, RoadPiece

SEED = 20261125
MAX_OFFSET_M = 80.0
TARGET_P95_MS = 5.0
WARM_UP = 50
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Fix:
    lon: float
    lat: float
    road_id: int


@dataclass(frozen=True)
class StakeQuery:
    code: str
    direction: str
    chainage: float
    ambiguous: bool  # in a long-chain overlap: exists more than once


def random_fixes(rng: random.Random, n: int) -> list[Fix]:
    """Return points 0–80 m (any bearing) from random spots on random road pieces."""
    rows = db.session.execute(
        select(RoadPiece.geom, RoadPiece.start_measure, RoadPiece.road_id, Road.lon_0).join(Road)
    ).all()
    fixes = []
    for geom, start, road_id, lon_0 in rng.choices(rows, k=n):
        line = MetricLine(from_db(geom), lon_0=lon_0, base_measure=start)
        lon, lat = line.point_at(start + rng.random() * line.length)
        lon, lat, _ = _GEOD.fwd(lon, lat, rng.uniform(0, 360), rng.uniform(0, MAX_OFFSET_M))
        fixes.append(Fix(lon, lat, road_id))
    return fixes


def random_stakes(rng: random.Random, n: int) -> tuple[list[StakeQuery], int]:
    """Return stakes of random roads inside their range, redrawing those in short-chain gaps."""
    roads = db.session.scalars(select(Road).order_by(Road.id)).all()
    references = {road.id: services.reference_for(road) for road in roads}
    queries, redrawn = [], 0
    while len(queries) < n:
        road = rng.choice(roads)
        reference = references[road.id]
        chainage = round(rng.uniform(reference.first_chainage, reference.last_chainage), 1)
        try:
            measures = reference.to_measures(chainage)
        except ValidationError:  # a stake a short chain skips: it does not exist
            redrawn += 1
            continue
        queries.append(StakeQuery(road.code, road.direction, chainage, len(measures) > 1))
    return queries, redrawn


def time_locate(app, fixes: list[Fix]) -> tuple[list[float], int, int]:
    """Return each look-up's time in ms, how many found no road, how many missed their own."""
    times, no_road, missed_own = [], 0, 0
    for fix in fixes:
        started = time.perf_counter()
        with app.app_context():
            candidates = services.locate(db.session, fix.lon, fix.lat)
            found = [c.road.id for c in candidates]
        times.append((time.perf_counter() - started) * 1000)
        no_road += not found
        missed_own += fix.road_id not in found
    return times, no_road, missed_own


@dataclass
class StakeOutcome:
    times: list[float]
    ambiguous: int = 0  # long-chain overlap: asked again with prefer="before"
    gap: int = 0  # short-chain gap (should not happen: such stakes were redrawn)
    no_geometry: int = 0  # NotFound: the stake's measure lies on no road piece


def time_position(app, queries: list[StakeQuery]) -> StakeOutcome:
    """Time stake → point as a view would do it: find the road, then the stake's position."""
    outcome = StakeOutcome(times=[])
    for query in queries:
        started = time.perf_counter()
        with app.app_context():
            road = services.get_road(db.session, query.code, query.direction)
            try:
                try:
                    services.position_of_stake(db.session, road, query.chainage)
                except ValidationError as error:
                    if "candidates" not in error.params:
                        outcome.gap += 1
                        continue
                    outcome.ambiguous += 1
                    services.position_of_stake(db.session, road, query.chainage, prefer="before")
            except NotFound:
                outcome.no_geometry += 1
                continue
        outcome.times.append((time.perf_counter() - started) * 1000)
    return outcome


def print_times(label: str, times: list[float], target: float | None = None) -> None:
    d = distribution(times)
    verdict = ""
    if target is not None:
        verdict = f"  target p95 ≤ {target:.0f} ms: {'met' if d['p95'] <= target else 'NOT met'}"
    print(
        f"{label}: n {d['count']}, p50 {d['p50']:.2f} ms, p95 {d['p95']:.2f} ms, "
        f"p99 {d['p99']:.2f} ms, mean {d['mean']:.2f} ms, max {d['max']:.2f} ms{verdict}"
    )


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument("--n", type=int, default=2000, help="look-ups of each kind (2000)")
    args = parser.parse_args(argv)
    prepared = prepare(args)
    app = prepared.app
    rng = random.Random(SEED)
    with app.app_context():
        roads = len(db.session.scalars(select(Road.id)).all())
        pieces = len(db.session.scalars(select(RoadPiece.id)).all())
        fixes = random_fixes(rng, args.n + WARM_UP)
        queries, redrawn = random_stakes(rng, args.n)
    print(f"\nnetwork: {roads} roads, {pieces} pieces; seed {SEED}; {WARM_UP} warm-up look-ups")

    time_locate(app, fixes[:WARM_UP])
    times, no_road, missed_own = time_locate(app, fixes[WARM_UP:])
    print(f"\n== GPS → stake: services.locate, points 0–{MAX_OFFSET_M:.0f} m from a road ==")
    print_times("GPS → stake", times, TARGET_P95_MS)
    print(f"found no road within {services.DEFAULT_TOLERANCE_M:.0f} m: {no_road}")
    print(f"the road the point was made from is not among the candidates: {missed_own}")

    outcome = time_position(app, queries)
    print("\n== stake → point: services.get_road + services.position_of_stake ==")
    print_times("stake → point", outcome.times)
    print(f"stakes in a short-chain gap, redrawn before timing: {redrawn}")
    print(f"long-chain overlaps, asked again with prefer='before': {outcome.ambiguous}")
    print(f"short-chain gap errors while timing: {outcome.gap}")
    print(f"no road piece at the stake's measure (NotFound, not timed): {outcome.no_geometry}")


if __name__ == "__main__":
    main()
