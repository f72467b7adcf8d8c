"""Time GPS → stake (services.locate) and stake → point (services.position_of_stake).

Run from the project root:
    .venv/bin/python -m bench.locate_bench PATH [--n 2000] [--keep] [--compare]

Each look-up runs in its own app context and session, as a request would: the time includes the
session, the pooled connection, the queries and the Python around them. GPS → stake is also timed
through HTTP (`GET /api/v1/locate`, Flask test client, a reader's API token), and beside both, for
the same points on a bare psycopg connection (autocommit, JIT off as the app's sessions):

* **floor** — `FLOOR_SQL`: KNN on the pieces' GiST index, `ST_DWithin` on the spheroid and
  `ST_LineLocatePoint` on each piece, rows fetched: what raw PostGIS needs to answer at all;
* **app statement** — `locating.LOCATE_SQL`, the very statement `locate` sends.

The ratios are app / floor. The passes run in rounds (a share of the points each: floor, app
statement, app, HTTP), and the per-process cache of the pieces' metric lines is emptied before
each pass, so that no pass gains from another having seen the same points. `--compare` also
times HTTP as the request was before #14's round-trip work (the pool's pre-ping, BEGIN and
ROLLBACK), taking turns with the HTTP pass fix by fix.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from dataclasses import dataclass, field

import psycopg
from pyproj import Geod
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bench._db import add_common_arguments, bench_url, distribution, prepare
from inspection.errors import NotFound, ValidationError
from inspection.extensions import db
from inspection.geo import from_db
from inspection.network import locating, services
from inspection.network.chainage import MetricLine
from inspection.network.models import Road, RoadPiece

SEED = 20261125
MAX_OFFSET_M = 80.0
TARGET_P95_MS = 5.0
TARGET_RATIO = 10.0
WARM_UP = 50
ROUNDS = 4
READER = "bench.reader"

# The floor: the KNN candidates within the tolerance and where the point falls along each piece.
FLOOR_SQL = """
SELECT n.road_id, ST_LineLocatePoint(n.geom, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326))
FROM (
    SELECT rp.road_id, rp.geom,
           rp.geom <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS knn
    FROM road_pieces AS rp
    ORDER BY rp.geom <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)
    LIMIT %(pieces)s
) AS n
WHERE ST_DWithin(n.geom::geography,
                 ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, %(tolerance)s)
ORDER BY n.knn
"""
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


def time_http(client, token: str, fixes: list[Fix], *, in_transaction: bool = False) -> list[float]:
    """Return each GET /api/v1/locate's time in ms (200, or 404 where no road is near).

    `in_transaction`: the request as before #14's round-trip work (with the `before` app, whose
    pool pings): BEGIN and ROLLBACK around its statements.
    """
    from inspection.api import network as api_network

    api_network.locate.without_transaction = not in_transaction
    headers = {"Authorization": f"Bearer {token}"}
    times = []
    for fix in fixes:
        started = time.perf_counter()
        answer = client.get(
            "/api/v1/locate", query_string={"lon": fix.lon, "lat": fix.lat}, headers=headers
        )
        answer.get_json()
        times.append((time.perf_counter() - started) * 1000)
        if answer.status_code not in (200, 404):
            raise SystemExit(f"GET /api/v1/locate answered {answer.status_code}: {answer.text}")
    api_network.locate.without_transaction = True
    return times


def time_raw(connection: psycopg.Connection, sql: str, fixes: list[Fix]) -> list[float]:
    """Return each statement's time in ms on a bare connection, rows fetched."""
    times = []
    for fix in fixes:
        params = locating.locate_params(fix.lon, fix.lat, services.DEFAULT_TOLERANCE_M, 5)
        started = time.perf_counter()
        connection.execute(sql, params).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return times


def reader_token(app) -> str:
    """Return a new API token of a reader (created once in the scratch database)."""
    from inspection.auth import services as auth_services

    with app.app_context():
        try:
            user = auth_services.get_user(db.session, READER)
        except NotFound:
            user = auth_services.create_user(db.session, READER, "bench-password-1", ["patrol"])
        token = auth_services.issue_token(db.session, user, name="locate_bench").token
        db.session.commit()
    return token


@dataclass
class LocateFigures:
    app: list[float]
    http: list[float]
    floor: list[float]
    statement: list[float]
    no_road: int = 0
    missed_own: int = 0
    http_before: list[float] = field(default_factory=list)


def before_app(app):
    """Return the app as GPS → stake was before the round-trip work: the pool pings."""
    from inspection import create_app

    options = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_pre_ping": True}
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "bench",
            "SQLALCHEMY_ENGINE_OPTIONS": options,
        }
    )


def time_gps_to_stake(app, fixes: list[Fix], compare: bool = False) -> LocateFigures:
    """Time floor, app statement, app and HTTP on the same points, in rounds.

    `compare`: HTTP also through the app as before (pre-ping, a transaction), the two taking
    turns fix by fix.
    """
    url = make_url(bench_url()).set(drivername="postgresql").render_as_string(hide_password=False)
    token = reader_token(app)
    client = app.test_client()
    old_client = before_app(app).test_client() if compare else None
    figures = LocateFigures([], [], [], [])
    with psycopg.connect(url, autocommit=True, options="-c jit=off") as connection:
        warm = fixes[:WARM_UP]
        time_raw(connection, FLOOR_SQL, warm)
        time_raw(connection, locating.LOCATE_SQL, warm)
        time_locate(app, warm)
        time_http(client, token, warm)
        if old_client is not None:
            time_http(old_client, token, warm, in_transaction=True)
        timed = fixes[WARM_UP:]
        size = -(-len(timed) // ROUNDS)
        for round_number, start in enumerate(range(0, len(timed), size)):
            chunk = timed[start : start + size]
            figures.floor += time_raw(connection, FLOOR_SQL, chunk)
            figures.statement += time_raw(connection, locating.LOCATE_SQL, chunk)
            locating._piece_lines.clear()  # each pass starts as cold as the points make it
            times, no_road, missed_own = time_locate(app, chunk)
            figures.app += times
            figures.no_road += no_road
            figures.missed_own += missed_own
            locating._piece_lines.clear()
            if old_client is None:
                figures.http += time_http(client, token, chunk)
                continue
            # Fix by fix, the two in turns (which goes first alternates), each as cold.
            for i, fix in enumerate(chunk):
                pair = [(client, False, figures.http), (old_client, True, figures.http_before)]
                for one, before, into in pair[:: 1 if (i + round_number) % 2 else -1]:
                    locating._piece_lines.clear()
                    into += time_http(one, token, [fix], in_transaction=before)
    return figures


def print_ratio(label: str, times: list[float], floor: list[float]) -> None:
    d, f = distribution(times), distribution(floor)
    ratio = d["p95"] / f["p95"]
    verdict = f"target ≤ {TARGET_RATIO:.0f}×: {'met' if ratio <= TARGET_RATIO else 'NOT met'}"
    print(f"{label}: p50 {d['p50'] / f['p50']:.1f}×, p95 {ratio:.1f}× the floor  {verdict}")


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
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also time HTTP as before the round-trip work (pool pre-ping, BEGIN/ROLLBACK)",
    )
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

    load_before = os.getloadavg()[0]
    figures = time_gps_to_stake(app, fixes, compare=args.compare)
    load = (
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores, shared)"
    )
    print(f"\n== GPS → stake: points 0–{MAX_OFFSET_M:.0f} m from a road, {ROUNDS} rounds ==")
    print(load)
    print_times("app: services.locate", figures.app, TARGET_P95_MS)
    print_times("HTTP: GET /api/v1/locate", figures.http)
    print_times("floor: KNN + ST_DWithin + ST_LineLocatePoint, raw", figures.floor)
    print_times("the app's statement (locating.LOCATE_SQL), raw", figures.statement)
    print_ratio("app / floor", figures.app, figures.floor)
    print_ratio("HTTP / floor", figures.http, figures.floor)
    if figures.http_before:
        print_times("HTTP as before (pre-ping, BEGIN/ROLLBACK)", figures.http_before)
        print_ratio("HTTP as before / floor", figures.http_before, figures.floor)
    print(f"found no road within {services.DEFAULT_TOLERANCE_M:.0f} m: {figures.no_road}")
    print(f"the road the point was made from is not among the candidates: {figures.missed_own}")

    outcome = time_position(app, queries)
    print("\n== stake → point: services.get_road + services.position_of_stake ==")
    print_times("stake → point", outcome.times)
    print(f"stakes in a short-chain gap, redrawn before timing: {redrawn}")
    print(f"long-chain overlaps, asked again with prefer='before': {outcome.ambiguous}")
    print(f"short-chain gap errors while timing: {outcome.gap}")
    print(f"no road piece at the stake's measure (NotFound, not timed): {outcome.no_geometry}")


if __name__ == "__main__":
    main()
