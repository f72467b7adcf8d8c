"""Time the annual report over ten years of records against the bare SQL aggregates it runs.

Run from the project root (dev cluster running):
    .venv/bin/python -m bench.annual_report_bench [--repairs 1000000] [--runs 15] [--keep]

The records are made by SQL ``generate_series`` in a scratch database of their own,
``inspection_bench_annual`` on the dev cluster (or ``ANNUAL_BENCH_DATABASE_URL``), dropped and
created afresh unless ``--keep`` reuses one already filled: 1,000,000 repairs (each with one
material), 1,000,000 findings and 1,000,000 hazards by default, and a third as many patrols, spread
evenly over 2016-2025 on 20 roads in about the order they happened (as records reach the
database), a tenth as many self-inspections as patrols (every kind), 2 % of the voidable ones
voided, 6 in 7 hazards closed within 60 days, one hazard in ten found by a self-inspection (the
rest by road patrols). Secondary
indexes and unique constraints are dropped during the load and built again after it, and the
tables are analysed. About 40 s on the 2-core development machine.

Then, for a few requests (a year, a year on one road, one month, a ten-year range), it times:

* **report** — ``GET /api/v1/reports/annual`` through the app (test client, a manager's token):
  parsing, the SQL, building the figures, the paragraph and the JSON;
* **SQL** — the same aggregate statements (``queries.aggregate_statements``, the materials
  statement, the road list and the survey look-up) executed one after another on a bare psycopg
  connection, rows fetched;

and prints the median and p90 of each, and the ratio report / SQL (target ≤ 1.5; the report's
median target is ≤ 500 ms; both for the annual report, the ten-year range is shown for scale).
Reports are asked on a fixed day, 2026-06-15 (branch time), so the default cut-offs never move.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date, datetime
from datetime import time as dt_time
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench._db import database_exists, make_app, recreate_database

BENCH_DATABASE = "inspection_bench_annual"
TARGET_MS = 500.0
TARGET_RATIO = 1.5
TABLES = ("repairs", "repair_materials", "patrols", "inspections", "findings", "hazards")
TODAY = date(2026, 6, 15)
# (label, query, whether the targets apply: they are set for the annual report, not for a
# ten-year range, which reads ten times the rows and is printed to show how it scales).
REQUESTS = (
    ("year 2025", "year=2025", True),
    ("year 2025, road R05", "year=2025&road=R05", True),
    ("June 2025", "year=2025&month=6", True),
    ("2016-2025 range", "from=2016-01-01&to=2025-12-31", False),
)


def bench_url() -> str:
    explicit = os.environ.get("ANNUAL_BENCH_DATABASE_URL")
    if explicit:
        return explicit
    from inspection.config import local_cluster_url

    url = make_url(local_cluster_url("dev")).set(database=BENCH_DATABASE)
    return url.render_as_string(hide_password=False)


# --------------------------------------------------------------------------- the records

ROADS_SQL = """
INSERT INTO roads (code, name, road_class, direction, start_chainage, end_chainage, length_m,
                   lon_0, geom, geometry_version)
SELECT 'R' || lpad(g::text, 2, '0'), '测试路线' || g, 'class2', 'both', 0, 100000, 100000, 87.0,
       ST_SetSRID(ST_MakeLine(ST_MakePoint(87.0, 43.0 + g * 0.01),
                              ST_MakePoint(88.0, 43.0 + g * 0.01)), 4326), 1
FROM generate_series(1, 20) AS g
"""

# Instants spread evenly over 2016-01-01 … 2025-12-31 (Shanghai), in the order of g with a little
# jitter: records reach the database roughly in time order, so a year's rows share pages, as they
# do in production (a random order would make every row of a year a separate page read).
_SPAN = "(timestamptz '2016-01-01 00:00+08' + ((g - random()) / :n) * interval '3653 days')"
_DAY = "(date '2016-01-01' + least(3652, floor((g - random()) / :n * 3653)::int))"

REPAIRS_SQL = f"""
INSERT INTO repairs (client_uuid, kind, road_id, direction, chainage, end_chainage, stake_text,
                     geom, geometry_version, completed_on, area_m2, count, crew, method, note,
                     created_by_id, voided_at, void_reason, voided_by_id)
SELECT gen_random_uuid(), k.kind, r.ids[1 + (g % 20)], 'up', 1000, 1300, '',
       ST_SetSRID(ST_MakePoint(87 + random(), 43 + random()), 4326), 1,
       {_DAY},
       round((CASE k.kind WHEN 'pothole' THEN 1 + random() * 20 ELSE 50 + random() * 800 END)
             ::numeric, 1)::float8,
       CASE k.kind WHEN 'pothole' THEN 1 + (random() * 9)::int END,
       '', '', '', :user_id,
       CASE WHEN g % 50 = 0 THEN now() END, CASE WHEN g % 50 = 0 THEN 'bench' END,
       CASE WHEN g % 50 = 0 THEN :user_id END
FROM generate_series(1, :n) AS g
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM roads) AS r
CROSS JOIN LATERAL (SELECT (ARRAY['shoulder', 'shoulder', 'slope', 'pothole', 'pothole'])
                           [1 + (g % 5)] AS kind) AS k
"""

MATERIALS_SQL = """
INSERT INTO repair_materials (repair_id, name, quantity, unit)
SELECT id, (ARRAY['沥青混合料', '冷补料', '水泥', '砂砾', '碎石'])[1 + (id % 5)],
       round((0.1 + random() * 20)::numeric, 2)::float8,
       (ARRAY['t', 't', 't', 'm3', 'm3'])[1 + (id % 5)]
FROM repairs
"""

PATROLS_SQL = f"""
INSERT INTO patrols (client_uuid, road_id, direction, kind, crew, vehicle, weather, started_at,
                     patrolled_km, note, created_by_id, voided_at, void_reason, voided_by_id)
SELECT gen_random_uuid(), r.ids[1 + (g % 20)], 'up',
       (ARRAY['routine', 'routine', 'routine', 'special', 'night', 'routine', 'routine',
              'routine', 'routine', 'routine'])[1 + (g % 10)],
       '', '', '', {_SPAN}, round((20 + random() * 180)::numeric, 1)::float8, '', :user_id,
       CASE WHEN g % 50 = 0 THEN now() END, CASE WHEN g % 50 = 0 THEN 'bench' END,
       CASE WHEN g % 50 = 0 THEN :user_id END
FROM generate_series(1, :n) AS g
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM roads) AS r
"""

# Self-inspections (a tenth as many as patrols), of every kind; a 回头看 names its re-check period.
INSPECTIONS_SQL = f"""
INSERT INTO inspections (client_uuid, kind, theme, started_on, ended_on, leader_name,
                         recheck_from, recheck_to, note, created_by_id, voided_at, void_reason,
                         voided_by_id)
SELECT gen_random_uuid(), k.kind, 'bench', d.day, d.day + (g % 3), '',
       CASE WHEN k.kind = 'look_back' THEN d.day - 90 END,
       CASE WHEN k.kind = 'look_back' THEN d.day - 1 END, '', :user_id,
       CASE WHEN g % 50 = 0 THEN now() END, CASE WHEN g % 50 = 0 THEN 'bench' END,
       CASE WHEN g % 50 = 0 THEN :user_id END
FROM generate_series(1, :n) AS g
CROSS JOIN LATERAL (SELECT (ARRAY['seasonal', 'special', 'special_period', 'look_back',
                                  'routine'])[1 + (g % 5)] AS kind) AS k
CROSS JOIN LATERAL (SELECT {_DAY} + g * 0 AS day) AS d
"""

FINDINGS_SQL = f"""
INSERT INTO findings (client_uuid, kind, status, note, onsite_action, road_id, direction, lane,
                      chainage, stake_text, location_source, geom, geometry_version, observed_at,
                      user_agent, created_by_id, voided_at, void_reason, voided_by_id)
SELECT gen_random_uuid(),
       (ARRAY['pavement_distress', 'pothole', 'shoulder_damage', 'slope_damage', 'drainage',
              'roadside_facility', 'safety_hazard'])[1 + (g % 7)],
       'open', '', '', r.ids[1 + (g % 20)], 'up', '', 1000, '', 'stake',
       ST_SetSRID(ST_MakePoint(87 + random(), 43 + random()), 4326), 1, {_SPAN}, '', :user_id,
       CASE WHEN g % 50 = 0 THEN now() END, CASE WHEN g % 50 = 0 THEN 'bench' END,
       CASE WHEN g % 50 = 0 THEN :user_id END
FROM generate_series(1, :n) AS g
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM roads) AS r
"""

# One hazard in ten was found by a self-inspection (linked to one), the rest by road patrols.
HAZARDS_SQL = f"""
INSERT INTO hazards (number, category, grade, description, state, version, source, inspection_id,
                     road_id, direction, chainage, geom, geometry_version, found_at, found_by_id,
                     interim_measures, responsible_person, measures, deadline, closed_at)
SELECT 'B-' || g, 'guardrail_damage', CASE WHEN g % 20 = 0 THEN 'major' ELSE 'general' END,
       '', CASE WHEN g % 7 = 0 THEN 'rectifying' ELSE 'closed' END, 1,
       CASE WHEN g % 10 = 0 THEN 'self_inspection' ELSE 'patrol' END,
       CASE WHEN g % 10 = 0 THEN i.ids[1 + (g / 10) % cardinality(i.ids)] END,
       r.ids[1 + (g % 20)],
       'up', 1000, ST_SetSRID(ST_MakePoint(87 + random(), 43 + random()), 4326), 1,
       f.found_at, :user_id, '', '', '',
       (f.found_at AT TIME ZONE 'Asia/Shanghai')::date + 7 + (g % 24),
       CASE WHEN g % 7 <> 0 THEN f.found_at + random() * interval '60 days' END
FROM generate_series(1, :n) AS g
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM roads) AS r
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM inspections) AS i
CROSS JOIN LATERAL (SELECT {_SPAN} + g * interval '0 s' AS found_at) AS f
"""


def _secondary_structures(connection, table: str) -> list[tuple[str, str]]:
    """Return (drop, create) statements of a table's non-primary indexes and unique constraints."""
    found = []
    for name, definition in connection.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = CAST(:t AS regclass) AND contype = 'u'"
        ),
        {"t": table},
    ):
        found.append(
            (
                f'ALTER TABLE {table} DROP CONSTRAINT "{name}"',
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}',
            )
        )
    for name, definition in connection.execute(
        text(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid = CAST(:t AS regclass) AND NOT i.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
        ),
        {"t": table},
    ):
        found.append((f"DROP INDEX {name}", definition))
    return found


def fill(app, repairs: int, findings: int, hazards: int, patrols: int) -> None:
    """Make the records with generate_series, indexes built after the load."""
    from inspection.auth import services as auth_services
    from inspection.extensions import db

    with app.app_context():
        user = auth_services.create_user(db.session, "bench-crew", "bench-password-1", ["patrol"])
        db.session.commit()
        user_id = user.id
        with db.engine.begin() as connection:
            connection.execute(text("SET synchronous_commit = off"))
            connection.execute(text("SET maintenance_work_mem = '256MB'"))
            # Foreign keys are right by construction: skip their per-row triggers for the load.
            connection.execute(text("SET session_replication_role = replica"))
            started = time.perf_counter()
            connection.execute(text(ROADS_SQL))
            structures = {t: _secondary_structures(connection, t) for t in TABLES}
            for table in TABLES:
                for drop, _ in structures[table]:
                    connection.execute(text(drop))
            for name, sql, n in (
                ("repairs", REPAIRS_SQL, repairs),
                ("repair_materials", MATERIALS_SQL, None),
                ("patrols", PATROLS_SQL, patrols),
                ("inspections", INSPECTIONS_SQL, max(1, patrols // 10)),
                ("findings", FINDINGS_SQL, findings),
                ("hazards", HAZARDS_SQL, hazards),
            ):
                step = time.perf_counter()
                params = {"user_id": user_id} if n is None else {"user_id": user_id, "n": n}
                count = connection.execute(text(sql), params).rowcount
                print(f"  {name:<17} {count:>10,} rows in {time.perf_counter() - step:6.1f} s")
            step = time.perf_counter()
            for table in TABLES:
                for _, create in structures[table]:
                    connection.execute(text(create))
            print(f"  indexes and unique constraints built in {time.perf_counter() - step:.1f} s")
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            step = time.perf_counter()
            for table in (*TABLES, "roads"):
                connection.execute(text(f"VACUUM ANALYZE {table}"))
            print(f"  vacuum analyse in {time.perf_counter() - step:.1f} s")
        print(f"records made in {time.perf_counter() - started:.1f} s")


# --------------------------------------------------------------------------- timing


def _sql_of(app, query: str) -> tuple[list[str], list[tuple[str, dict]]]:
    """Return the names and statements (SQL, params) a report request runs, compiled for psycopg."""
    from urllib.parse import parse_qsl

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
        statements = queries.aggregate_statements(asked, timezone=timezone, road_ids=road_ids)
        # The materials statement takes the id range the repairs statement gives.
        repairs = statements["repairs_current"]
        ids = [
            i
            for row in db.session.execute(repairs.sql, repairs.params)
            for i in (row.first_id, row.last_id)
        ]
        statements["materials"] = queries.materials_statement(
            asked, timezone=timezone, road_ids=road_ids, ids=(min(ids), max(ids))
        )
    roads = queries.Statement(
        select(Road.id, Road.code, Road.name).order_by(Road.code, Road.direction), {}
    )
    names = ["roads", *statements, "survey"]
    expanded = [
        s.sql.compile(dialect=dialect).construct_expanded_state(s.params)
        for s in [roads, *statements.values()]
    ]
    # The survey look-up: the bench has no campaigns, so its first query is all it runs.
    survey = (
        "SELECT DISTINCT ON (survey_units.road_id) survey_units.road_id, survey_campaigns.id"
        " FROM survey_units JOIN survey_campaigns ON survey_campaigns.id ="
        " survey_units.campaign_id WHERE survey_campaigns.ends_on <= %(until)s AND"
        " survey_campaigns.ends_on >= %(since)s ORDER BY survey_units.road_id,"
        " survey_campaigns.ends_on DESC, survey_campaigns.id DESC"
    )
    statements = [(state.statement, state.parameters) for state in expanded]
    statements.append((survey, {"until": asked.period.end, "since": asked.period.start}))
    return names, statements


def time_sql(url: str, statements: list[tuple[str, dict]], runs: int) -> tuple[list[float], dict]:
    """Return per-run milliseconds of running every statement on a bare psycopg connection."""
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    per_statement: dict[int, list[float]] = {i: [] for i in range(len(statements))}
    totals = []
    # The same session settings as the app's engine (JIT off), so both sides do the same work.
    with psycopg.connect(plain, options="-c jit=off") as connection:
        for run in range(runs + 1):
            started = time.perf_counter()
            for index, (sql, params) in enumerate(statements):
                step = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    cursor.fetchall()
                per_statement[index].append((time.perf_counter() - step) * 1000)
            connection.rollback()
            if run:  # the first run warms the caches
                totals.append((time.perf_counter() - started) * 1000)
    return totals, {i: statistics.median(v[1:]) for i, v in per_statement.items()}


def time_report(app, query: str, token: str, runs: int) -> tuple[list[float], dict]:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    totals, body = [], {}
    for run in range(runs + 1):
        started = time.perf_counter()
        answer = client.get(f"/api/v1/reports/annual?{query}", headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        if answer.status_code != 200:
            raise SystemExit(f"{query}: {answer.status_code} {answer.get_data(as_text=True)}")
        body = answer.get_json()
        if run:
            totals.append(elapsed)
    return totals, body


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repairs", type=int, default=1_000_000)
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--patrols", type=int, default=None, help="default: a third of --repairs")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per request")
    parser.add_argument("--keep", action="store_true", help="reuse a filled database")
    args = parser.parse_args()

    url = bench_url()
    reuse = args.keep and database_exists(url)
    if not reuse:
        recreate_database(url)
    app = make_app(url)

    from sqlalchemy import func, select

    from inspection.auth import services as auth_services
    from inspection.extensions import db
    from inspection.repairs.models import Repair
    from inspection.reports import views

    with app.app_context():
        filled = db.session.scalar(select(func.count()).select_from(Repair))
    if not filled:
        print(f"making the records in {make_url(url).database} …")
        fill(app, args.repairs, args.findings, args.hazards, args.patrols or args.repairs // 3)
    else:
        print(f"reusing {make_url(url).database}")
    # Ask on a fixed day, so "this year" and the default cut-offs do not move between runs.
    asked_on = datetime.combine(TODAY, dt_time(10), ZoneInfo(app.config["BRANCH_TIMEZONE"]))
    views.branch_now = lambda: asked_on

    with app.app_context():
        counts = {
            t: db.session.scalar(text(f"SELECT count(*) FROM {t}")) for t in (*TABLES, "roads")
        }
        manager = auth_services.create_user(
            db.session, f"bench-manager-{time.time_ns()}", "bench-password-1", ["manager"]
        )
        token = auth_services.issue_token(db.session, manager).token
        db.session.commit()
    print("rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    print(f"time zone {app.config['BRANCH_TIMEZONE']}; {args.runs} timed runs after one warm-up\n")

    print(f"{'request':<22}{'report p50':>11}{'p90':>8}{'SQL p50':>10}{'p90':>8}{'ratio':>7}")
    worst = []
    for label, query, targeted in REQUESTS:
        names, statements = _sql_of(app, query)
        sql_ms, per_statement = time_sql(url, statements, args.runs)
        report_ms, body = time_report(app, query, token, args.runs)
        ratio = statistics.median(report_ms) / statistics.median(sql_ms)
        worst.append((label, statistics.median(report_ms), ratio, targeted))
        print(
            f"{label:<22}{statistics.median(report_ms):>9.1f}ms{p90(report_ms):>6.1f}ms"
            f"{statistics.median(sql_ms):>8.1f}ms{p90(sql_ms):>6.1f}ms{ratio:>7.2f}"
        )
        if query == REQUESTS[0][1]:
            slowest = sorted(per_statement.items(), key=lambda item: -item[1])[:4]
            print(
                "    slowest statements: "
                + ", ".join(f"{names[i]} {ms:.1f} ms" for i, ms in slowest)
            )
            figures = {f["key"]: f["value"] for f in body["figures"]}
            print(
                "    figures: "
                + ", ".join(
                    f"{k}={figures[k]}"
                    for k in ("shoulder_area_10k_m2", "patrols", "findings", "hazards_found")
                )
                + f", rectification_rate={figures['rectification_rate']}%"
            )
    print()
    for label, ms, ratio, targeted in worst:
        if not targeted:
            print(f"{label:<22} report {ms:6.1f} ms, ratio {ratio:.2f} (no target)")
            continue
        verdict_ms = "ok" if ms <= TARGET_MS else "OVER"
        verdict_ratio = "ok" if ratio <= TARGET_RATIO else "OVER"
        print(
            f"{label:<22} report {ms:6.1f} ms (target ≤ {TARGET_MS:.0f}: {verdict_ms}),"
            f" ratio {ratio:.2f} (target ≤ {TARGET_RATIO}: {verdict_ratio})"
        )


if __name__ == "__main__":
    main()
