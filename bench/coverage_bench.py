"""Time patrol coverage of a whole network over a year against the bare SQL it runs.

Run from the project root (dev cluster running):
    .venv/bin/python -m bench.coverage_bench [--roads 15] [--per-day 20] [--runs 7] [--keep]

In a scratch database of its own, ``inspection_bench_coverage`` on the dev cluster (or
``COVERAGE_BENCH_DATABASE_URL``), dropped and created afresh unless ``--keep`` reuses one already
filled, SQL ``generate_series`` makes a synthetic network of 15 undivided roads of 20 km (300 km;
a third expressways patrolled daily, the rest class 2 every 2 days) and a year (2025) of patrols,
20 a day by default (7,300), each on one road, 2 % voided. Each patrol's track is three covered
intervals along its road whose ends wander by up to 400 m from patrol to patrol and leave gaps
(≈ 22,000 intervals), so the stretches really are cut at every end.

Then it times, over 2025-01-01 … 2025-12-31 for the whole network:

* **API** — ``GET /api/v1/patrol-coverage?from=2025-01-01&to=2025-12-31`` through the app (test
  client, a manager's token): the SQL, the sweep, stake ranges and JSON;
* **report** — ``coverage_queries.coverage_report`` alone (no HTTP, no JSON);
* **SQL** — the same interval fetch (``coverage_queries.intervals_sql``), and the road and
  frequency reads, on a bare psycopg connection, rows fetched;

and prints the median and p90 of each and the ratios to the bare SQL.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench._db import database_exists, make_app, recreate_database

BENCH_DATABASE = "inspection_bench_coverage"
FIRST, LAST = date(2025, 1, 1), date(2025, 12, 31)
QUERY = f"from={FIRST.isoformat()}&to={LAST.isoformat()}"


def bench_url() -> str:
    explicit = os.environ.get("COVERAGE_BENCH_DATABASE_URL")
    if explicit:
        return explicit
    from inspection.config import local_cluster_url

    url = make_url(local_cluster_url("dev")).set(database=BENCH_DATABASE)
    return url.render_as_string(hide_password=False)


ROADS_SQL = """
INSERT INTO roads (code, name, road_class, direction, start_chainage, end_chainage, length_m,
                   lon_0, geom, geometry_version)
SELECT 'C' || lpad(g::text, 2, '0'), '覆盖测试' || g,
       CASE WHEN g % 3 = 0 THEN 'expressway' ELSE 'class2' END, 'both', 0, 20000, 20000, 87.0,
       ST_SetSRID(ST_MakeLine(ST_MakePoint(87.0, 43.0 + g * 0.01),
                              ST_MakePoint(87.2474, 43.0 + g * 0.01)), 4326), 1
FROM generate_series(1, :roads) AS g
"""

# Patrol g of the year: day (g - 1) / per_day, on road 1 + g % roads, from 08:00 local.
PATROLS_SQL = """
INSERT INTO patrols (client_uuid, road_id, direction, kind, crew, vehicle, weather, started_at,
                     patrolled_km, note, created_by_id, voided_at, void_reason, voided_by_id,
                     track_points, track_km)
SELECT gen_random_uuid(), r.ids[1 + (g % cardinality(r.ids))], 'both', 'routine', '', '', '',
       timestamptz '2025-01-01 08:00+08' + ((g - 1) / :per_day) * interval '1 day'
         + (g % :per_day) * interval '20 minutes',
       20, '', :user_id,
       CASE WHEN g % 50 = 0 THEN now() END, CASE WHEN g % 50 = 0 THEN 'bench' END,
       CASE WHEN g % 50 = 0 THEN :user_id END, 600, 19.5
FROM generate_series(1, :n) AS g
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM roads) AS r
"""

# Three intervals a patrol: ends wander by up to 400 m, leaving gaps and overlaps between patrols.
INTERVALS_SQL = """
INSERT INTO covered_intervals (patrol_id, road_id, travel_direction, from_measure, to_measure,
                               from_chainage, to_chainage, started_at, ended_at, point_count, open,
                               geometry_version, geom)
SELECT p.id, p.road_id, 'up', b.low, b.high, b.low, b.high,
       p.started_at + k * interval '15 minutes', p.started_at + (k + 1) * interval '15 minutes',
       90, false, 1, r.geom
FROM patrols p
JOIN roads r ON r.id = p.road_id
CROSS JOIN generate_series(0, 2) AS k
CROSS JOIN LATERAL (
  SELECT greatest(0, k * 6700 + (random() * 400)::int - 200 + 0 * p.id)::float8 AS low,
         least(20000, (k + 1) * 6700 + (random() * 400)::int - 300 + 0 * p.id)::float8 AS high
) AS b  -- p.id makes the sub-select run per patrol (uncorrelated, it would run once per k)
ORDER BY p.id, k
"""


def fill(app, roads: int, per_day: int) -> None:
    from inspection.auth import services as auth_services
    from inspection.extensions import db

    with app.app_context():
        user = auth_services.create_user(db.session, "bench-crew", "bench-password-1", ["patrol"])
        db.session.commit()
        days = (LAST - FIRST).days + 1
        with db.engine.begin() as connection:
            connection.execute(text("SET synchronous_commit = off"))
            connection.execute(text("SET session_replication_role = replica"))
            started = time.perf_counter()
            connection.execute(text(ROADS_SQL), {"roads": roads})
            count = connection.execute(
                text(PATROLS_SQL), {"n": days * per_day, "per_day": per_day, "user_id": user.id}
            ).rowcount
            print(f"  patrols           {count:>8,}")
            count = connection.execute(text(INTERVALS_SQL)).rowcount
            print(f"  covered intervals {count:>8,} in {time.perf_counter() - started:.1f} s")
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in ("roads", "patrols", "covered_intervals"):
                connection.execute(text(f"VACUUM ANALYZE {table}"))


def compiled(app) -> list[tuple[str, dict]]:
    """Return the statements the coverage report runs, compiled for psycopg."""
    from sqlalchemy import select

    from inspection.extensions import db
    from inspection.network.models import CalibrationPointRow, ChainBreakRow, Road
    from inspection.tracks import coverage_queries
    from inspection.tracks.coverage import Period
    from inspection.tracks.models import PatrolFrequency

    with app.app_context():
        dialect = db.engine.dialect
        params = coverage_queries.interval_params(
            Period(FIRST, LAST), timezone=app.config["BRANCH_TIMEZONE"]
        )
        statements = [
            (coverage_queries.intervals_sql(False), params),
            (select(Road).order_by(Road.code, Road.direction), {}),
            (select(CalibrationPointRow), {}),
            (select(ChainBreakRow), {}),
            (select(PatrolFrequency), {}),
        ]
        return [
            sql.compile(dialect=dialect).construct_expanded_state(values)
            for sql, values in statements
        ]


def time_sql(url: str, statements, runs: int) -> list[float]:
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    totals = []
    with psycopg.connect(plain, options="-c jit=off") as connection:
        for run in range(runs + 1):
            started = time.perf_counter()
            for state in statements:
                with connection.cursor() as cursor:
                    cursor.execute(state.statement, state.parameters)
                    cursor.fetchall()
            if run:
                totals.append((time.perf_counter() - started) * 1000)
    return totals


def time_report(app, runs: int) -> tuple[list[float], object]:
    from inspection.extensions import db
    from inspection.tracks import coverage_queries
    from inspection.tracks.coverage import Period

    totals, report = [], None
    for run in range(runs + 1):
        with app.app_context():
            started = time.perf_counter()
            report = coverage_queries.coverage_report(
                db.session, Period(FIRST, LAST), timezone=app.config["BRANCH_TIMEZONE"]
            )
            elapsed = (time.perf_counter() - started) * 1000
            db.session.remove()
        if run:
            totals.append(elapsed)
    return totals, report


def time_api(app, token: str, runs: int) -> tuple[list[float], dict]:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    totals, body = [], {}
    for run in range(runs + 1):
        started = time.perf_counter()
        answer = client.get(f"/api/v1/patrol-coverage?{QUERY}", headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        if answer.status_code != 200:
            raise SystemExit(f"{answer.status_code} {answer.get_data(as_text=True)[:300]}")
        body = answer.get_json()
        if run:
            totals.append(elapsed)
    return totals, body


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--roads", type=int, default=15)
    parser.add_argument("--per-day", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each")
    parser.add_argument("--keep", action="store_true", help="reuse a filled database")
    args = parser.parse_args()

    url = bench_url()
    reuse = args.keep and database_exists(url)
    if not reuse:
        recreate_database(url)
    app = make_app(url)

    from inspection.auth import services as auth_services
    from inspection.extensions import db

    with app.app_context():
        filled = db.session.scalar(text("SELECT count(*) FROM covered_intervals"))
    if not filled:
        print(f"making the records in {make_url(url).database} …")
        fill(app, args.roads, args.per_day)
    else:
        print(f"reusing {make_url(url).database}")
    with app.app_context():
        counts = {
            t: db.session.scalar(text(f"SELECT count(*) FROM {t}"))
            for t in ("roads", "patrols", "covered_intervals")
        }
        km = db.session.scalar(text("SELECT sum(length_m) / 1000 FROM roads"))
        manager = auth_services.create_user(
            db.session, f"bench-manager-{time.time_ns()}", "bench-password-1", ["manager"]
        )
        token = auth_services.issue_token(db.session, manager).token
        db.session.commit()
    print("rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()) + f"; network {km:.0f} km")
    print(f"period {FIRST} … {LAST}; {args.runs} timed runs after one warm-up\n")

    sql_ms = time_sql(url, compiled(app), args.runs)
    report_ms, report = time_report(app, args.runs)
    api_ms, body = time_api(app, token, args.runs)
    base = statistics.median(sql_ms)
    print(f"{'':<22}{'p50':>10}{'p90':>10}{'÷ SQL':>8}")
    for label, values in (
        ("bare SQL (psycopg)", sql_ms),
        ("coverage_report()", report_ms),
        ("GET /patrol-coverage", api_ms),
    ):
        median = statistics.median(values)
        print(f"{label:<22}{median:>8.1f}ms{p90(values):>8.1f}ms{median / base:>8.2f}")
    stretches = sum(len(r.stretches) for r in report.roads)
    print(
        f"\nrate {body['rate_pct']}%, {stretches:,} stretches, {len(body['gaps']):,} gaps, "
        f"{body['intervals']:,} intervals read"
    )


if __name__ == "__main__":
    main()
