"""Time submitting one finding through the API with 1,000,000 findings already stored.

    .venv/bin/python -m bench.finding_submit_bench [--rows 1000000] [--n 300] [--keep]

Builds its own scratch database (`inspection_bench_findings` on the dev cluster), imports the
synthetic demo network, fills `findings` with generated rows by SQL (spread over the demo roads
and ten years), then POSTs findings through the Flask test client with an API token — app,
validation, stake → geometry, the idempotency check and the near-duplicate query included.
Target: p95 ≤ 50 ms on this 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench._db import bench_url, database_exists, make_app, recreate_database

DATABASE = "inspection_bench_findings"

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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


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
        token = auth_services.issue_token(db.session, user, name="bench").token
        db.session.commit()
        stored = db.session.execute(text("SELECT count(*) FROM findings")).scalar()
    print(f"findings in the database: {stored:,}")

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    timings = []
    for i in range(args.n + 20):
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
        begin = time.perf_counter()
        answer = client.post("/api/v1/findings", json=body, headers=headers)
        elapsed = (time.perf_counter() - begin) * 1000
        if answer.status_code not in (200, 201):
            raise SystemExit(f"unexpected answer {answer.status_code}: {answer.get_json()}")
        if i >= 20:  # warm-up: connections, caches, the first query plans
            timings.append(elapsed)
    print(
        f"submit one finding: n {len(timings)}, p50 {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms, p99 {percentile(timings, 0.99):.1f} ms, "
        f"max {max(timings):.1f} ms  (target p95 ≤ 50 ms: "
        f"{'met' if percentile(timings, 0.95) <= 50 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
