"""Time submitting one finding through the API with 1,000,000 findings stored, beside its raw SQL.

    .venv/bin/python -m bench.finding_submit_bench [--rows 1000000] [--n 300] [--keep]

Builds its own scratch database (`inspection_bench_findings` on the dev cluster, or the name in
BENCH_FINDINGS_DATABASE), imports the synthetic demo network, fills `findings` with generated
rows by SQL (spread over the demo roads and ten years), then POSTs findings through the Flask
test client with an API token — app, validation, stake → geometry, the idempotency check and the
near-duplicate query included — and counts the SQL statements and commits each request sends.

Beside each submit, on a bare psycopg connection (autocommit, JIT off as the app's sessions):

* **floor** — the idempotent insert of the same row: `INSERT … ON CONFLICT (client_uuid) DO
  NOTHING RETURNING id`, the point built in SQL from the stored finding's coordinates;
* **near-duplicate query** — the same 50 m look-up the app makes (its box, `status = 'open'` in
  the text, so the partial index `ix_findings_open_near` serves it prepared or not), for the share
  of the app's time that is this data's density (about 22 findings a metre of demo road).

The ratio is app / floor. The rows the run adds (app and raw) are deleted at the end, so that
runs with `--keep` see the same table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid

import psycopg
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from bench._db import bench_url, database_exists, make_app, recreate_database

DATABASE = os.environ.get("BENCH_FINDINGS_DATABASE", "inspection_bench_findings")
WARM_UP = 20  # submits left out of the figures: connections, caches, the first query plans

FILL = """
INSERT INTO findings (
    client_uuid, kind, status, item_code, severity, quantity, quantity_unit, note, onsite_action,
    road_id, direction, lane, chainage, stake_text, location_source, geom, geometry_version,
    observed_at, user_agent, created_by_id, created_at, updated_at)
SELECT
    gen_random_uuid(),
    (ARRAY['pothole','pavement_distress','shoulder_damage','drainage'])[1 + g % 4],
    CASE WHEN g % 7 = 0 THEN 'resolved' ELSE 'open' END,
    NULL, NULL, 1.0, 'm2', '', '',
    p.road_id, r.direction, '', r.start_chainage + (g % 1000), '', 'stake',
    ST_LineInterpolatePoint(p.geom, (g % 97) / 97.0), 1,
    now() - make_interval(mins => (g % 5256000)), 'bench', :user_id, now(), now()
FROM generate_series(1, :rows) AS g
JOIN LATERAL (
    SELECT road_id, geom FROM road_pieces ORDER BY id OFFSET (g % :pieces) LIMIT 1
) AS p ON true
JOIN roads r ON r.id = p.road_id
"""

# The floor: the same row, inserted once by its UUID, with its point made in SQL.
RAW_INSERT = """
INSERT INTO findings (
    client_uuid, kind, status, item_code, severity, quantity, quantity_unit, depth_mm, count,
    note, onsite_action, road_id, direction, lane, chainage, stake_text, location_source,
    geom, geometry_version, observed_at, user_agent, created_by_id, created_at, updated_at)
VALUES (
    %(uuid)s, 'pothole', 'open', 'pothole', NULL, 0.8, 'm2', 40, 1,
    'bench', '', %(road_id)s, 'up', '', %(chainage)s, %(stake)s, 'stake',
    ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326), %(version)s, now(), 'bench-raw',
    %(user_id)s, now(), now())
ON CONFLICT (client_uuid) DO NOTHING
RETURNING id
"""

RAW_NEAR = """
SELECT f.id, f.client_uuid, f.observed_at FROM findings f
WHERE f.id <> %(id)s AND f.road_id = %(road_id)s AND f.kind = 'pothole'
  AND f.status = 'open' AND f.voided_at IS NULL
  AND ST_DWithin(f.geom, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326),
                 50.5 / (111320.0 * greatest(cos(radians(%(lat)s)), 0.01)))
  AND ST_DWithin(f.geom::geography,
                 ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, 50)
ORDER BY f.observed_at DESC
LIMIT 5
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def figures(values: list[float]) -> str:
    return f"p50 {statistics.median(values):.2f} ms, p95 {percentile(values, 0.95):.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="reuse a filled database")
    args = parser.parse_args()

    url = make_url(bench_url()).set(database=DATABASE).render_as_string(hide_password=False)
    fresh = not (args.keep and database_exists(url))
    if fresh:
        recreate_database(url)
    app = make_app(url)

    from inspection.auth import services as auth_services
    from inspection.extensions import db
    from inspection.network import services as network
    from inspection.network.importing import FieldNames
    from inspection.network.sample import demo_network

    with app.app_context():
        if fresh:
            db.session.execute(text("CREATE EXTENSION IF NOT EXISTS pgcrypto"))
            network.import_features(db.session, demo_network(), FieldNames())
            user = auth_services.create_user(db.session, "bench.crew", "password-1", ["patrol"])
            db.session.commit()
            pieces = db.session.execute(text("SELECT count(*) FROM road_pieces")).scalar()
            started = time.perf_counter()
            db.session.execute(
                text(FILL), {"rows": args.rows, "user_id": user.id, "pieces": pieces}
            )
            db.session.commit()
            db.session.execute(text("ANALYZE findings"))
            db.session.commit()
            print(f"filled {args.rows:,} findings in {time.perf_counter() - started:.1f} s")
        user = auth_services.get_user(db.session, "bench.crew")
        user_id = user.id
        token = auth_services.issue_token(db.session, user, name="bench").token
        db.session.commit()
        stored = db.session.execute(text("SELECT count(*) FROM findings")).scalar()
        first_new_id = db.session.execute(text("SELECT max(id) FROM findings")).scalar() + 1
        engine = db.engine
    print(f"findings in the database: {stored:,}")

    counts = {"statements": 0, "commits": 0}

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(*_args) -> None:
        counts["statements"] += 1

    @event.listens_for(engine, "commit")
    def _commit(*_args) -> None:
        counts["commits"] += 1

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    raw = psycopg.connect(plain, autocommit=True, options="-c jit=off")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    app_ms, floor_ms, near_ms, statements, commits = [], [], [], [], []
    try:
        for i in range(args.n + WARM_UP):
            body = {
                "client_uuid": str(uuid.uuid4()),
                "kind": "pothole",
                "road": "G30",
                "direction": "up",
                "stake": f"K35{i % 10:02d}+{(i * 37) % 1000:03d}",
                "quantity": 0.8,
                "depth_mm": 40,
                "note": "bench",
            }
            counts.update(statements=0, commits=0)
            begin = time.perf_counter()
            answer = client.post("/api/v1/findings", json=body, headers=headers)
            elapsed = (time.perf_counter() - begin) * 1000
            if answer.status_code not in (200, 201):
                raise SystemExit(f"unexpected answer {answer.status_code}: {answer.get_json()}")
            stored_row = raw.execute(
                "SELECT id, road_id, chainage, stake_text, geometry_version,"
                " ST_X(geom), ST_Y(geom) FROM findings WHERE client_uuid = %s",
                (body["client_uuid"],),
            ).fetchone()
            finding_id, road_id, chainage, stake, version, lon, lat = stored_row
            values = {
                "uuid": uuid.uuid4(),
                "road_id": road_id,
                "chainage": chainage,
                "stake": stake,
                "version": version,
                "lon": lon,
                "lat": lat,
                "user_id": user_id,
            }
            begin = time.perf_counter()
            raw.execute(RAW_INSERT, values).fetchone()
            floor = (time.perf_counter() - begin) * 1000
            begin = time.perf_counter()
            raw.execute(RAW_NEAR, {"id": finding_id, **values}).fetchall()
            near = (time.perf_counter() - begin) * 1000
            if i >= WARM_UP:
                app_ms.append(elapsed)
                floor_ms.append(floor)
                near_ms.append(near)
                statements.append(counts["statements"])
                commits.append(counts["commits"])
    finally:
        # Leave the table as it was, so that runs with --keep compare like with like.
        raw.execute("DELETE FROM findings WHERE id >= %s", (first_new_id,))
        raw.close()

    app_p50, app_p95 = statistics.median(app_ms), percentile(app_ms, 0.95)
    floor_p50, floor_p95 = statistics.median(floor_ms), percentile(floor_ms, 0.95)
    print(f"submit one finding, n {len(app_ms)} (after {WARM_UP} warm-up):")
    print(
        f"  app (HTTP, test client)      {figures(app_ms)}, p99 "
        f"{percentile(app_ms, 0.99):.2f} ms, max {max(app_ms):.2f} ms"
    )
    print(f"  floor (raw idempotent insert) {figures(floor_ms)}")
    print(f"  raw near-duplicate query      {figures(near_ms)}")
    print(f"  ratio app / floor: p50 {app_p50 / floor_p50:.0f}×, p95 {app_p95 / floor_p95:.0f}×")
    print(
        f"  SQL statements per request: {min(statements)}–{max(statements)} "
        f"(median {statistics.median(statements):.0f}); "
        f"commits per request: {min(commits)}–{max(commits)}"
    )


if __name__ == "__main__":
    main()
