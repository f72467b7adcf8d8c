"""Time an OGC items request by bbox that returns 1,000 findings out of 1,000,000.

Run from the project root, with the dev cluster running:
    .venv/bin/python -m bench.ogc_bbox_bench [--rows 1000000] [--n 200] [--keep]

The scratch database ``inspection_bench_ogc`` on the dev cluster (or ``BENCH_OGC_DATABASE_URL``) is
dropped and filled with the demo roads and ``--rows`` findings spread evenly over 10° × 8° around
the Tarim basin, 1 % of them voided; ``--keep`` reuses it when it already holds that many. Each
request goes through the whole app (access check by API token, query, GeoJSON text) with Flask's
test client, as ``GET /ogc/collections/findings/items?bbox=…&limit=1000`` over a random box sized to
hold about 1,100 live findings, so every answer carries 1,000 features and a next link. Target:
p95 ≤ 100 ms, and at most 10 times the raw floor.

The raw floor is timed in the same run, box by box after each request: the same bbox select of
the same rows (id, ST_AsGeoJSON, the properties) on a bare psycopg connection, rows fetched into
Python. Beside it, the app's own statement (each feature's GeoJSON text written by PostgreSQL)
on that connection, to tell the SQL from the Python in the app's time.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import time

import psycopg
from sqlalchemy import func, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url

from bench._db import database_exists, distribution, make_app, recreate_database

DATABASE = "inspection_bench_ogc"
AREA = (78.0, 38.0, 88.0, 46.0)  # west, south, east, north
LIMIT = 1000
TARGET_P95_MS = 100.0
WARM_UP = 20
SEED = 20261125
NUMBER_MATCHED = re.compile(rb'"numberMatched":(\d+)')
NUMBER_RETURNED = re.compile(rb'"numberReturned":(\d+)')
SESSION = "SET jit = off; SET max_parallel_workers_per_gather = 0"
# The floor: the bbox select of a page of findings, its rows fetched (the issue's "raw").
RAW_SQL = """
SELECT f.id, ST_AsGeoJSON(f.geom, 7), f.client_uuid, f.kind, f.status, f.item_code, f.severity,
       f.quantity, f.quantity_unit, r.code, f.direction, f.side, f.chainage, f.end_chainage,
       f.observed_at, f.note
FROM findings f JOIN roads r ON r.id = f.road_id
WHERE f.voided_at IS NULL AND ST_Intersects(f.geom, ST_MakeEnvelope(%s, %s, %s, %s, 4326))
ORDER BY f.id LIMIT %s
"""


def bench_url() -> str:
    explicit = os.environ.get("BENCH_OGC_DATABASE_URL")
    if explicit:
        return explicit
    from inspection.config import local_cluster_url

    url = make_url(local_cluster_url("dev")).set(database=DATABASE)
    return url.render_as_string(hide_password=False)


def fill(session, rows: int) -> None:
    """Insert `rows` findings in one statement (evenly random points, 1 % voided), then analyse."""
    from inspection.auth import services as auth_services
    from inspection.network import services as network
    from inspection.network.importing import FieldNames
    from inspection.network.models import Road
    from inspection.network.sample import demo_network

    network.import_features(session, demo_network(), FieldNames())
    crew = auth_services.create_user(session, "bench.crew", "bench-password-1", ["patrol"])
    road = session.scalar(select(Road).where(Road.code == "G30"))
    session.flush()
    west, south, east, north = AREA
    session.execute(
        text(
            """
            INSERT INTO findings (
                client_uuid, kind, status, note, onsite_action, road_id, direction, lane,
                chainage, stake_text, location_source, geom, geometry_version, observed_at,
                user_agent, created_by_id, voided_at, void_reason, voided_by_id)
            SELECT gen_random_uuid(),
                   (ARRAY['pothole', 'pavement_distress', 'drainage'])[1 + i % 3],
                   'open', '', '', :road, 'up', '', 3500000 + i % 20000, '', 'stake',
                   ST_SetSRID(ST_MakePoint(:west + random() * (:east - :west),
                                           :south + random() * (:north - :south)), 4326),
                   1, now() - make_interval(mins => i % 525600), '', :crew,
                   CASE WHEN i % 100 = 0 THEN now() END,
                   CASE WHEN i % 100 = 0 THEN 'bench' END,
                   CASE WHEN i % 100 = 0 THEN :crew END
            FROM generate_series(1, :rows) AS i
            """
        ),
        {
            "road": road.id,
            "crew": crew.id,
            "rows": rows,
            "west": west,
            "east": east,
            "south": south,
            "north": north,
        },
    )
    session.commit()
    session.execute(text("ANALYZE findings"))
    session.commit()


def random_boxes(rng: random.Random, rows: int, n: int) -> list[str]:
    """Return bboxes expected to hold ~1,100 live findings (so 1,000 come back and more remain)."""
    west, south, east, north = AREA
    share = 1100 / (rows * 0.99)
    area = (east - west) * (north - south) * share
    height = (area / 2) ** 0.5  # twice as wide as high, like a screen
    width = 2 * height
    boxes = []
    for _ in range(n):
        x = rng.uniform(west, east - width)
        y = rng.uniform(south, north - height)
        boxes.append(f"{x:.6f},{y:.6f},{x + width:.6f},{y + height:.6f}")
    return boxes


def app_statement(app, bbox: str) -> str:
    """Return the SQL the app runs for a page of findings in `bbox` (literal values)."""
    from inspection.ogc.catalogue import FINDINGS
    from inspection.ogc.geojson import feature_sql
    from inspection.ogc.model import Context
    from inspection.ogc.parameters import ItemsQuery, parse_bbox
    from inspection.ogc.queries import _conditions, _joined
    from inspection.web import branch_today, branch_zone

    with app.test_request_context():
        context = Context(today=branch_today(), timezone=branch_zone())
        query = ItemsQuery(bbox=parse_bbox(bbox), limit=LIMIT)
        expression = feature_sql(FINDINGS, context)
        statement = (
            _joined(FINDINGS, select(expression).select_from(FINDINGS.model))
            .where(*_conditions(FINDINGS, query, context))
            .order_by(FINDINGS.model.id)
            .limit(LIMIT)
            .params(url_root="http://localhost")
        )
        compiled = statement.compile(
            dialect=postgresql.psycopg.dialect(), compile_kwargs={"literal_binds": True}
        )
        return str(compiled).replace("%%", "%")  # run without parameters: % is itself


def psycopg_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def timed_fetch(connection, sql: str, parameters=None) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def findings_and_reader(session, rows: int, *, reuse: bool) -> str:
    """Make sure the bench database holds `rows` findings (filling it unless --keep) and a
    reader; return a new API token of that reader. Shared with tile_bench."""
    from inspection.auth import services as auth_services
    from inspection.auth.models import User
    from inspection.patrols.models import Finding

    stored = session.scalar(select(func.count()).select_from(Finding))
    if stored != rows:
        if reuse:
            raise SystemExit(f"{DATABASE} holds {stored} findings, not {rows}: drop --keep")
        started = time.perf_counter()
        fill(session, rows)
        print(f"inserted {rows} findings in {time.perf_counter() - started:.1f} s")
    reader = session.scalar(select(User).where(User.username == "bench.reader"))
    if reader is None:
        reader = auth_services.create_user(session, "bench.reader", "bench-password-1", ["manager"])
    return auth_services.issue_token(session, reader).token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="findings to store")
    parser.add_argument("--n", type=int, default=200, help="timed requests")
    parser.add_argument("--keep", action="store_true", help=f"reuse a filled {DATABASE}")
    parser.add_argument(
        "--freeze",
        action="store_true",
        help="gc.freeze() after start-up, as a server that preloads the app before forking can",
    )
    parser.add_argument(
        "--python-path",
        action="store_true",
        help="build the GeoJSON in Python, feature by feature, as before PostgreSQL wrote it",
    )
    args = parser.parse_args()

    url = bench_url()
    reuse = args.keep and database_exists(url)
    if not reuse:
        recreate_database(url)
    app = make_app(url)

    from inspection.extensions import db

    with app.app_context():
        token = findings_and_reader(db.session, args.rows, reuse=reuse)
        db.session.commit()
        db.session.remove()

    if args.freeze:
        # The start-up objects never become garbage: keeping them out of the collector's
        # generations makes its full passes short (they caused the slowest requests).
        gc.collect()
        gc.freeze()
    if args.python_path:
        from inspection.ogc import features

        features.find_feature_texts = lambda *args, **kwargs: None
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    rng = random.Random(SEED)
    boxes = random_boxes(rng, args.rows, WARM_UP + args.n)
    raw = psycopg.connect(psycopg_url(url), autocommit=True)
    raw.execute(SESSION)
    statements = [app_statement(app, bbox) for bbox in boxes]
    timings, raw_timings, own_timings, returned, matched, sizes = [], [], [], [], [], []
    for index, bbox in enumerate(boxes):
        path = f"/ogc/collections/findings/items?bbox={bbox}&limit={LIMIT}"
        started = time.perf_counter()
        answer = client.get(path, headers=headers)
        body = answer.get_data()
        elapsed = (time.perf_counter() - started) * 1000
        assert answer.status_code == 200, body[:300]
        floor = timed_fetch(raw, RAW_SQL, [*map(float, bbox.split(",")), LIMIT])
        own = timed_fetch(raw, statements[index])
        if index < WARM_UP:
            continue
        # Read the two numbers without parsing the features: a thousand dicts per answer here
        # would make the garbage collector work in the next timed request.
        timings.append(elapsed)
        raw_timings.append(floor)
        own_timings.append(own)
        returned.append(int(NUMBER_RETURNED.search(body)[1]))
        matched.append(int(NUMBER_MATCHED.search(body)[1]))
        sizes.append(len(body))

    figures = distribution(timings)
    print(
        f"{args.rows} findings; {args.n} requests of bbox items with limit={LIMIT} "
        f"(after {WARM_UP} warm-up){'; gc.freeze() after start-up' if args.freeze else ''}"
        f"{'; GeoJSON built in Python (--python-path)' if args.python_path else ''}"
    )
    print(
        f"features returned: min {min(returned)}, max {max(returned)}; "
        f"matched in the bbox: min {min(matched)}, median {sorted(matched)[len(matched) // 2]}, "
        f"max {max(matched)}; answer size median {sorted(sizes)[len(sizes) // 2] / 1024:.0f} KiB"
    )
    print(
        "time per request (ms): "
        + ", ".join(f"{k} {v:.1f}" for k, v in figures.items() if k != "count")
    )
    floor = distribution(raw_timings)
    own = distribution(own_timings)
    print(
        f"raw floor (bbox select with ST_AsGeoJSON, rows fetched by psycopg): "
        f"p50 {floor['p50']:.1f}, p95 {floor['p95']:.1f}"
    )
    print(
        f"the app's statement alone (features' GeoJSON text from PostgreSQL), by psycopg: "
        f"p50 {own['p50']:.1f}, p95 {own['p95']:.1f}"
    )
    print(
        f"ratio app / raw floor: p50 {figures['p50'] / floor['p50']:.1f}, "
        f"p95 {figures['p95'] / floor['p95']:.1f}"
    )
    verdict = "meets" if figures["p95"] <= TARGET_P95_MS else "misses"
    print(f"p95 {figures['p95']:.1f} ms {verdict} the target of {TARGET_P95_MS:.0f} ms")
    raw.close()


if __name__ == "__main__":
    main()
