"""Time one patrol-day of track (8 h at 1 point/s) ingested and matched, against its raw SQL.

Run from the project root (dev cluster running):
    .venv/bin/python -m bench.patrol_track_bench [--network PATH] [--hours 8] [--batch 50] [--keep]

A scratch database of its own, ``inspection_bench_tracks`` on the dev cluster (or
``TRACK_BENCH_DATABASE_URL``), is dropped and created afresh unless ``--keep`` reuses one with
roads. Roads: the synthetic demo network, or with ``--network`` the G30 up carriageway of the
real file (read from its path, never copied). The drive: on the demo S21 back and forth at
15 m/s (U-turns at its ends), on the real G30 straight on at 20 m/s from its K2825 start (its
gaps in the imported geometry give unmatched stretches, as a real track would have); one fix a
second with 10 m Gaussian noise, 8 h = 28,800 points, sent in batches of 50 (one every 50 s, as
the phone does) with ``POST /api/v1/patrols/<uuid>/track`` through the Flask test client and an
API token: parsing, checks, the candidate query, projection, matching, storing points and
intervals, the summary. Then:

* **raw SQL** — the very same candidate statement (``candidates.CANDIDATE_SQL``) for the same
  batches' points, run on a bare psycopg connection (JIT off, as the app's sessions), rows fetched;
* the ratio app / raw SQL per batch, and the GET of the whole day's track (thinned GeoJSON).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import psycopg
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from bench._db import database_exists, make_app, recreate_database

BENCH_DATABASE = "inspection_bench_tracks"
NOISE_M = 10.0
WARM_UP = 5  # batches left out of the percentiles (connections, caches, first plans)


def bench_url() -> str:
    explicit = os.environ.get("TRACK_BENCH_DATABASE_URL")
    if explicit:
        return explicit
    from inspection.config import local_cluster_url

    url = make_url(local_cluster_url("dev")).set(database=BENCH_DATABASE)
    return url.render_as_string(hide_password=False)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def import_roads(db, network_path: Path | None) -> None:
    from inspection.network import services as network
    from inspection.network.importing import FieldNames
    from inspection.network.sample import demo_network

    if network_path is None:
        network.import_features(db.session, demo_network(), FieldNames())
        return
    features = json.loads(network_path.read_text(encoding="utf-8"))["features"]
    chosen = [
        f
        for f in features
        if (f["properties"].get("roadcode"), f["properties"].get("ldlx")) == ("G30", "1.上行")
    ]
    network.import_features(db.session, chosen, FieldNames(road_class="xzdj"))


def drive_measures(length_m: float, count: int, speed: float, back_and_forth: bool) -> np.ndarray:
    """Return the measure of each fix: straight on, or back and forth between the ends."""
    travelled = np.arange(count) * speed
    if not back_and_forth:
        return np.minimum(travelled, length_m)
    lap = travelled % (2 * length_m)
    return np.where(lap <= length_m, lap, 2 * length_m - lap)


def make_points(road, count: int, speed: float, back_and_forth: bool, start: datetime):
    from inspection.network.services import metric_line_for

    line = metric_line_for(road)
    rng = np.random.default_rng(20261202)
    measures = drive_measures(road.length_m - 1, count, speed, back_and_forth)
    points = []
    for i, measure in enumerate(measures):
        lon, lat = line.point_at(float(measure))
        dy, dx = rng.normal(0, NOISE_M, 2)
        points.append(
            {
                "t": (start + timedelta(seconds=i)).isoformat(),
                "lon": round(lon + dx / (111_320 * np.cos(np.radians(lat))), 7),
                "lat": round(lat + dy / 111_132, 7),
                "accuracy": 10,
                "speed": speed,
                "heading": None,
            }
        )
    return points


def raw_sql(url: str, batches: list[list[dict]]) -> list[float]:
    """Return the milliseconds of the candidate statement per batch on a bare connection."""
    from inspection.tracks.candidates import CANDIDATE_SQL, candidate_params

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    timings = []
    with psycopg.connect(plain, options="-c jit=off") as connection:
        for points in batches:
            params = candidate_params([p["lon"] for p in points], [p["lat"] for p in points])
            begin = time.perf_counter()
            connection.execute(CANDIDATE_SQL, params).fetchall()
            timings.append((time.perf_counter() - begin) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", type=Path, default=None, help="real network file (G30 up)")
    parser.add_argument("--hours", type=float, default=8.0)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="reuse a database with roads")
    args = parser.parse_args()

    url = bench_url()
    fresh = not (args.keep and database_exists(url))
    if fresh:
        recreate_database(url)
    app = make_app(url)

    from inspection.auth import services as auth_services
    from inspection.extensions import db
    from inspection.network import services as network
    from inspection.patrols import services as patrol_services
    from inspection.patrols.schemas import PatrolStart

    count = int(args.hours * 3600)
    start = datetime.now(UTC) - timedelta(hours=args.hours, minutes=30)
    with app.app_context():
        if fresh:
            import_roads(db, args.network)
            auth_services.create_user(db.session, "bench.crew", "password-1", ["patrol"])
            db.session.commit()
        user = auth_services.get_user(db.session, "bench.crew")
        token = auth_services.issue_token(db.session, user, name="bench").token
        code = "G30" if args.network else "S21"
        road = network.get_road(db.session, code)
        patrol = patrol_services.start_patrol(
            db.session,
            PatrolStart(
                uuid.uuid4(), code, road.direction, "routine", "", "", "", start, "", None, ""
            ),
            actor=user,
        ).record
        patrol_uuid = patrol.client_uuid
        db.session.commit()
        speed = 20.0 if args.network else 15.0
        points = make_points(road, count, speed, not args.network, start + timedelta(seconds=1))
        print(f"road {code} ({road.length_m / 1000:.1f} km), {count:,} points at {speed} m/s")
    batches = [points[i : i + args.batch] for i in range(0, len(points), args.batch)]

    with app.app_context():
        engine = db.engine
    statements: list[int] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args) -> None:
        statements[-1] += 1

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    timings = []
    day_started = time.perf_counter()
    for points_of_batch in batches:
        body = {"batch_uuid": str(uuid.uuid4()), "points": points_of_batch}
        statements.append(0)
        begin = time.perf_counter()
        answer = client.post(f"/api/v1/patrols/{patrol_uuid}/track", json=body, headers=headers)
        timings.append((time.perf_counter() - begin) * 1000)
        if answer.status_code != 201:
            raise SystemExit(f"unexpected answer {answer.status_code}: {answer.get_json()}")
    day_seconds = time.perf_counter() - day_started
    event.remove(engine, "before_cursor_execute", _count)
    summary = answer.get_json()["track"]

    begin = time.perf_counter()
    track = client.get(f"/api/v1/patrols/{patrol_uuid}/track", headers=headers)
    get_ms = (time.perf_counter() - begin) * 1000
    vertices = track.get_json()["features"][0]["properties"]["vertices"]

    raw = raw_sql(url, batches)
    with app.app_context():
        matched = db.session.scalar(
            text(
                "SELECT count(*) FROM track_points WHERE road_id IS NOT NULL"
                " AND patrol_id = (SELECT id FROM patrols WHERE client_uuid = :uuid)"
            ),
            {"uuid": patrol_uuid},
        )

    app_ms, raw_ms = timings[WARM_UP:], raw[WARM_UP:]
    print(
        f"patrol-day: {len(batches)} batches of {args.batch}, total {day_seconds:.1f} s "
        f"({day_seconds / len(batches) * 1000:.1f} ms a batch on average)"
    )
    print(
        f"app per batch:     p50 {statistics.median(app_ms):.1f} ms, "
        f"p95 {percentile(app_ms, 0.95):.1f} ms, max {max(app_ms):.1f} ms"
    )
    print(
        f"raw candidate SQL: p50 {statistics.median(raw_ms):.1f} ms, "
        f"p95 {percentile(raw_ms, 0.95):.1f} ms, total {sum(raw) / 1000:.1f} s"
    )
    print(
        f"ratio app / raw SQL: p50 {statistics.median(app_ms) / statistics.median(raw_ms):.1f}, "
        f"total {day_seconds / (sum(raw) / 1000):.1f}"
    )
    print(
        f"matched {matched:,} of {count:,} points; patrolled {summary['km']} km; "
        f"{len(summary['covered'])} covered stake ranges"
    )
    counted = statements[WARM_UP:]
    print(
        f"SQL statements per batch: {min(counted)}–{max(counted)} "
        f"(median {statistics.median(counted):.0f}; BEGIN and COMMIT not counted)"
    )
    print(f"GET the day's track: {get_ms:.0f} ms, {vertices} vertices drawn")


if __name__ == "__main__":
    main()
