"""Time the annual report at province scale (10,000,000 records per kind) with its roll-ups.

Run from the project root (dev cluster running):
    .venv/bin/python -m bench.annual_report_scale_bench [--rows 10000000] [--runs 7] [--keep]

The records are made as in :mod:`bench.annual_report_bench` (SQL ``generate_series``, ten years,
20 roads, indexes built after the load) in ``inspection_bench_h1_report`` on the dev cluster (or
``ANNUAL_SCALE_BENCH_DATABASE_URL``): ``--rows`` repairs (each with one material), findings and
hazards, a third as many patrols. The load runs with triggers off, so the roll-ups are made
afterwards by ``report_rollups_rebuild()`` (timed). Then, per request (a year, a year on one road,
a month, ten years), it prints:

* **app** — ``GET /api/v1/reports/annual`` (test client, a manager's token), which reads the
  roll-ups where they give the figures exactly;
* **own SQL** — the statements the app runs, on a bare psycopg connection;
* **raw SQL** — the unaggregated statements of the same figures over the records (what the report
  ran before the roll-ups), on a bare psycopg connection;

with medians, p90s and the ratios app / own SQL and app / raw SQL; and for the year and the month
it checks that every figure read from the roll-ups equals the one read from the records. With
``--write-cost`` it also times single-row inserts with and without the roll-up triggers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import datetime
from datetime import time as dt_time
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench._db import database_exists, make_app, recreate_database
from bench.annual_report_bench import REQUESTS, TABLES, TODAY, fill, p90, time_report, time_sql

BENCH_DATABASE = "inspection_bench_h1_report"
TARGET_MS, TARGET_RATIO = 1000.0, 1.5


def bench_url() -> str:
    explicit = os.environ.get("ANNUAL_SCALE_BENCH_DATABASE_URL")
    if explicit:
        return explicit
    from inspection.config import local_cluster_url

    url = make_url(local_cluster_url("dev")).set(database=BENCH_DATABASE)
    return url.render_as_string(hide_password=False)


def statements_of(app, query: str, *, rollups: bool) -> tuple[list[str], list[tuple[str, dict]]]:
    """Return the names and statements (SQL, params) a request runs, compiled for psycopg."""
    from sqlalchemy import select

    from inspection.extensions import db
    from inspection.network.models import Road
    from inspection.reports import annual
    from inspection.reports.annual import queries

    asked = annual.parse_request(dict(parse_qsl(query)), today=TODAY)
    timezone = app.config["BRANCH_TIMEZONE"]
    with app.app_context():
        dialect = db.engine.dialect
        road_ids = None
        if asked.road:
            road_ids = [i for i, code, _ in queries.roads_of(db.session) if code == asked.road]
        zone = queries.rollup_zone(db.session) if rollups else None
        found = queries.aggregate_statements(
            asked, timezone=timezone, road_ids=road_ids, rollup_zone=zone
        )
        if "materials_current" not in found:
            repairs = found["repairs_current"]
            ids = [
                i
                for row in db.session.execute(repairs.sql, repairs.params)
                for i in (row.first_id, row.last_id)
            ]
            found["materials"] = queries.materials_statement(
                asked, timezone=timezone, road_ids=road_ids, ids=(min(ids), max(ids))
            )
    roads = queries.Statement(
        select(Road.id, Road.code, Road.name).order_by(Road.code, Road.direction), {}
    )
    compiled = []
    for statement in [roads, *found.values()]:
        state = statement.sql.compile(dialect=dialect).construct_expanded_state(statement.params)
        compiled.append((state.statement, state.parameters))
    # The survey look-up: the bench has no campaigns, so its first query is all it runs.
    compiled.append(
        (
            "SELECT DISTINCT ON (survey_units.road_id) survey_units.road_id, survey_campaigns.id"
            " FROM survey_units JOIN survey_campaigns ON survey_campaigns.id ="
            " survey_units.campaign_id WHERE survey_campaigns.ends_on <= %(until)s AND"
            " survey_campaigns.ends_on >= %(since)s ORDER BY survey_units.road_id,"
            " survey_campaigns.ends_on DESC, survey_campaigns.id DESC",
            {"until": asked.period.end, "since": asked.period.start},
        )
    )
    return ["roads", *found, "survey"], compiled


def same_figures(app, query: str) -> tuple[bool, float, float]:
    """Return whether the roll-ups and the records give every figure alike, and both times."""
    from inspection.extensions import db
    from inspection.reports import annual
    from inspection.reports.annual import queries

    asked = annual.parse_request(dict(parse_qsl(query)), today=TODAY)
    timezone = app.config["BRANCH_TIMEZONE"]
    answers, times = [], []
    original = queries.rollup_zone
    with app.app_context():
        codes = {i: code for i, code, _ in queries.roads_of(db.session)}
        road_ids = [i for i, c in codes.items() if c == asked.road] if asked.road else None
        for zone in (original, lambda session: None):
            queries.rollup_zone = zone
            try:
                started = time.perf_counter()
                current, previous, materials = queries.period_aggregates(
                    db.session, asked, timezone=timezone, codes=codes, road_ids=road_ids
                )
                times.append((time.perf_counter() - started) * 1000)
            finally:
                queries.rollup_zone = original
            answers.append((current, previous, sorted(materials, key=lambda m: (m.name, m.unit))))
        db.session.rollback()
    return answers[0] == answers[1], times[0], times[1]


def write_cost(url: str, n: int = 300) -> None:
    """Print single-row insert times (autocommit) with and without the roll-up triggers."""
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    sql = (
        "INSERT INTO findings (client_uuid, kind, status, note, onsite_action, road_id,"
        " direction, lane, chainage, stake_text, location_source, geom, geometry_version,"
        " observed_at, user_agent, created_by_id)"
        " SELECT gen_random_uuid(), 'pothole', 'open', '', '', r.id, 'up', '', 1000, '',"
        " 'stake', ST_SetSRID(ST_MakePoint(87.5, 43.5), 4326), 1, now(), '', u.id"
        " FROM (SELECT min(id) AS id FROM roads) AS r, (SELECT min(id) AS id FROM users) AS u"
    )
    with psycopg.connect(plain, autocommit=True) as connection:
        for label, switch in (("without roll-ups", "DISABLE"), ("with roll-ups", "ENABLE")):
            # Without: the rows are removed with the triggers off too, so the sums stay right.
            for event in ("insert", "delete"):
                connection.execute(f"ALTER TABLE findings {switch} TRIGGER report_rollup_{event}")
            times = []
            for _ in range(n):
                started = time.perf_counter()
                connection.execute(sql)
                times.append((time.perf_counter() - started) * 1000)
            connection.execute("DELETE FROM findings WHERE observed_at > now() - interval '1 day'")
            print(
                f"  insert one finding {label:<17} p50 {statistics.median(times):.2f} ms,"
                f" p90 {p90(times):.2f} ms ({n} autocommit inserts)"
            )


PROBE_TABLES = {
    "findings": "observed_at >= '2025-01-01+08' AND observed_at < '2026-01-01+08'",
    "hazards": "found_at >= '2025-01-01+08' AND found_at < '2026-01-01+08'",
    "patrols": "started_at >= '2025-01-01+08' AND started_at < '2026-01-01+08'",
    "repairs": "completed_on BETWEEN '2025-01-01' AND '2025-12-31'",
    "repair_materials": "repair_id IN (SELECT id FROM probe_repairs)",
}


def partition_probe(app, url: str, runs: int) -> None:
    """Time the year's statements over tables holding only 2025: a year partition's best case."""
    import re

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        for table, where in PROBE_TABLES.items():
            connection.execute(f"DROP TABLE IF EXISTS probe_{table}")
            connection.execute(f"CREATE TABLE probe_{table} AS SELECT * FROM {table} WHERE {where}")
            connection.execute(f"CREATE INDEX ON probe_{table} (id)")
            connection.execute(f"VACUUM ANALYZE probe_{table}")
    names, compiled = statements_of(app, "year=2025", rollups=False)
    pattern = re.compile(r"\b(" + "|".join(PROBE_TABLES) + r")\b")
    current = [
        (pattern.sub(r"probe_\1", sql), params)
        for name, (sql, params) in zip(names, compiled, strict=True)
        if name.endswith("_current") or name == "materials"
    ]
    totals, _ = time_sql(url, current, runs)
    print(
        f"  partition probe: the year's statements over 2025-only tables p50"
        f" {statistics.median(totals):.0f} ms (the current period only; the report also reads"
        " the previous year)"
    )
    with psycopg.connect(plain, autocommit=True) as connection:
        for table in PROBE_TABLES:
            connection.execute(f"DROP TABLE probe_{table}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="records per kind")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of the app and own SQL")
    parser.add_argument("--raw-runs", type=int, default=3, help="timed runs of the raw SQL")
    parser.add_argument("--keep", action="store_true", help="reuse a filled database")
    parser.add_argument("--write-cost", action="store_true", help="time single-row inserts")
    parser.add_argument("--partition-probe", action="store_true", help="time a year partition")
    parser.add_argument("--no-requests", action="store_true", help="skip the request timings")
    args = parser.parse_args()

    url = bench_url()
    if not (args.keep and database_exists(url)):
        recreate_database(url)
    app = make_app(url)

    from sqlalchemy import func, select

    from inspection.auth import services as auth_services
    from inspection.extensions import db
    from inspection.repairs.models import Repair
    from inspection.reports import views
    from inspection.reports.annual import rollups

    with app.app_context():
        filled = db.session.scalar(select(func.count()).select_from(Repair))
    if not filled:
        print(f"making the records in {make_url(url).database} …")
        fill(app, args.rows, args.rows, args.rows, args.rows // 3)
        with app.app_context(), db.engine.connect() as connection:
            started = time.perf_counter()
            connection.execute(text("SELECT report_rollups_rebuild()"))
            connection.commit()
            print(f"  roll-ups rebuilt in {time.perf_counter() - started:.1f} s")
        rollup_tables = ", ".join(rollups.ROLLUP_TABLES)
        with app.app_context(), db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(text(f"VACUUM ANALYZE {rollup_tables}"))
    else:
        print(f"reusing {make_url(url).database}")
    asked_on = datetime.combine(TODAY, dt_time(10), ZoneInfo(app.config["BRANCH_TIMEZONE"]))
    views.branch_now = lambda: asked_on

    with app.app_context():
        counts = {
            t: db.session.scalar(text(f"SELECT count(*) FROM {t}"))
            for t in (*TABLES, "report_findings_monthly", "report_hazard_days")
        }
        size = db.session.scalar(text("SELECT pg_database_size(current_database())"))
        manager = auth_services.create_user(
            db.session, f"bench-manager-{time.time_ns()}", "bench-password-1", ["manager"]
        )
        token = auth_services.issue_token(db.session, manager).token
        db.session.commit()
    print("rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    print(f"database size {size / 1e9:.1f} GB; load average {os.getloadavg()[0]:.1f}")
    if args.write_cost:
        write_cost(url)
    if args.partition_probe:
        partition_probe(app, url, args.raw_runs)
    if args.no_requests:
        return
    print(f"{args.runs} timed runs (raw SQL {args.raw_runs}) after one warm-up\n")
    header = f"{'request':<22}{'app p50':>9}{'p90':>8}{'own SQL':>9}{'raw SQL':>10}"
    print(header + f"{'app/own':>9}{'app/raw':>9}")
    results = []
    for label, query, targeted in REQUESTS:
        own_names, own = statements_of(app, query, rollups=True)
        raw_names, raw = statements_of(app, query, rollups=False)
        own_ms, own_each = time_sql(url, own, args.runs)
        raw_ms, raw_each = time_sql(url, raw, args.raw_runs)
        app_ms, _ = time_report(app, query, token, args.runs)
        app50, own50, raw50 = (statistics.median(v) for v in (app_ms, own_ms, raw_ms))
        results.append((label, app50, app50 / own50, app50 / raw50, targeted))
        print(
            f"{label:<22}{app50:>7.1f}ms{p90(app_ms):>6.0f}ms{own50:>7.1f}ms{raw50:>8.0f}ms"
            f"{app50 / own50:>9.2f}{app50 / raw50:>9.3f}"
        )
        for side, names, each in (("own", own_names, own_each), ("raw", raw_names, raw_each)):
            slowest = sorted(each.items(), key=lambda item: -item[1])[:4]
            print(
                f"    {side} SQL slowest: "
                + ", ".join(f"{names[i]} {ms:.0f} ms" for i, ms in slowest)
            )
    print(f"load average {os.getloadavg()[0]:.1f}\n")
    for label, query in (("year 2025", "year=2025"), ("June 2025", "year=2025&month=6")):
        same, rollup_ms, records_ms = same_figures(app, query)
        print(
            f"{label}: figures from roll-ups {'==' if same else '!='} from records"
            f" ({rollup_ms:.0f} ms vs {records_ms:.0f} ms through period_aggregates)"
        )
    for label, ms, own, raw, targeted in results:
        if targeted:
            print(
                f"{label:<22} app {ms:6.1f} ms ({'ok' if ms <= TARGET_MS else 'OVER'} ≤ 1 s),"
                f" app / raw SQL {raw:.3f} ({'ok' if raw <= TARGET_RATIO else 'OVER'} ≤ 1.5),"
                f" app / own SQL {own:.2f}"
            )


if __name__ == "__main__":
    main()
