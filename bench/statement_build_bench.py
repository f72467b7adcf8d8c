"""Time building a month's measurement statement (计量单) after years of confirmed statements.

Run from the project root (dev cluster running):
    .venv/bin/python -m bench.statement_build_bench [--years 10] [--per-month 400] [--keep]

The scratch database ``inspection_bench_statements`` (or ``STATEMENT_BENCH_DATABASE_URL``) gets
20 roads, ``--per-month`` repairs a month (shoulder, slope, pothole; one in five with a cost) over
``--years`` years ending in December 2025, a whole-branch plan per year with a price for each
kind, and every month but December 2025 built and confirmed in order through the services (the
time of each January's build is printed, to show how a build grows with the years behind it).

It times, over ``--runs`` runs each rolled back:

* **app** — ``statements.build_statement`` for December 2025 (what ``POST
  /api/v1/measurements/2025/12/build`` runs), differences included: first with nothing edited
  since the statements were confirmed, then after ``--edits`` repairs spread over the past
  months were edited (one in six voided), each in its own month;
* **raw SQL** — one statement giving the month's lines: its repairs summed per road and kind and
  priced from the plan (the floor of the same work, without the differences);

and prints the medians and the ratio. ``--keep`` reuses a database already filled.
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
from bench.annual_report_bench import ROADS_SQL

BENCH_DATABASE = "inspection_bench_statements"
LAST_YEAR = 2025
TODAY = date(2026, 1, 15)
PRICES = {"shoulder": ("m2", "35.50"), "slope": ("m2", "42.00"), "pothole": ("m2", "180.00")}

REPAIRS_SQL = """
INSERT INTO repairs (client_uuid, kind, road_id, direction, chainage, end_chainage, stake_text,
                     geom, geometry_version, completed_on, area_m2, count, crew, method, note,
                     cost_yuan, created_by_id)
SELECT gen_random_uuid(), k.kind, r.ids[1 + (g % 20)], 'up', 1000, 1300, '',
       ST_SetSRID(ST_MakePoint(87 + random(), 43 + random()), 4326), 1,
       make_date(:year, :month, 1 + (g % 28)),
       round((CASE k.kind WHEN 'pothole' THEN 1 + random() * 20 ELSE 50 + random() * 800 END)
             ::numeric, 1)::float8,
       CASE k.kind WHEN 'pothole' THEN 1 + (random() * 9)::int END,
       '', '', '', CASE WHEN g % 5 = 0 THEN round((100 + random() * 5000)::numeric, 2) END,
       :user_id
FROM generate_series(1, :n) AS g
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM roads) AS r
CROSS JOIN LATERAL (SELECT (ARRAY['shoulder', 'slope', 'pothole'])[1 + (g % 3)] AS kind) AS k
"""

# The floor: the month's lines in one statement (quantity per road and kind, priced by the
# whole-branch line of the newest version of the year's plan).
RAW_SQL = """
WITH version AS (
    SELECT v.id FROM plan_versions v JOIN plans p ON p.id = v.plan_id
    WHERE p.year = %(year)s ORDER BY v.number DESC LIMIT 1
)
SELECT r.road_id, r.kind, sum(round(r.area_m2::numeric, 2)) AS quantity,
       round(sum(round(r.area_m2::numeric, 2)) * min(l.unit_price_yuan), 2) AS amount
FROM repairs r
LEFT JOIN plan_lines l ON l.version_id = (SELECT id FROM version) AND l.month = %(month)s
     AND l.road_id IS NULL AND l.work_kind = r.kind
WHERE r.completed_on >= make_date(%(year)s, %(month)s, 1)
  AND r.completed_on < make_date(%(year)s, %(month)s, 1) + interval '1 month'
  AND r.voided_at IS NULL AND r.kind IN ('shoulder', 'slope', 'pothole')
GROUP BY r.road_id, r.kind
"""


def bench_url() -> str:
    explicit = os.environ.get("STATEMENT_BENCH_DATABASE_URL")
    if explicit:
        return explicit
    from inspection.config import local_cluster_url

    url = make_url(local_cluster_url("dev")).set(database=BENCH_DATABASE)
    return url.render_as_string(hide_password=False)


def fill(app, years: int, per_month: int) -> None:
    """Make the roads, plans, repairs and confirmed statements (through the services)."""
    from inspection.auth import services as auth_services
    from inspection.extensions import db
    from inspection.plans import plans, statements
    from inspection.plans.plan_rules import LineInput, to_money

    with app.app_context():
        manager = auth_services.create_user(
            db.session, "bench-manager", "bench-password-1", ["manager"]
        )
        db.session.execute(text(ROADS_SQL))
        first_year = LAST_YEAR - years + 1
        for year in range(first_year, LAST_YEAR + 1):
            lines = [
                LineInput(month, None, kind, unit, to_money(per_month * 100), to_money(price))
                for month in range(1, 13)
                for kind, (unit, price) in PRICES.items()
            ]
            plans.create_plan(db.session, year, f"{year}年度计划", lines, actor=manager)
            for month in range(1, 13):
                db.session.execute(
                    text(REPAIRS_SQL),
                    {"year": year, "month": month, "n": per_month, "user_id": manager.id},
                )
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        started = time.perf_counter()
        for year in range(first_year, LAST_YEAR + 1):
            for month in range(1, 13):
                if (year, month) == (LAST_YEAR, 12):
                    continue
                step = time.perf_counter()
                statements.build_statement(db.session, year, month, actor=manager, today=TODAY)
                built = time.perf_counter() - step
                statements.confirm_statement(db.session, year, month, actor=manager)
                db.session.commit()
                if month == 1:
                    print(f"  build {year}-01: {built * 1000:8.1f} ms", flush=True)
        print(f"statements confirmed in {time.perf_counter() - started:.1f} s")


def edit_past_repairs(app, edits: int) -> int:
    """Edit repairs of past months after their statements were confirmed (one in six voided)."""
    from inspection.auth.models import User
    from inspection.extensions import db
    from inspection.repairs.models import Repair

    with app.app_context():
        manager = db.session.scalar(db.select(User).where(User.username == "bench-manager"))
        total = db.session.scalar(text("SELECT count(*) FROM repairs"))
        step = max(1, total // max(1, edits))
        ids = db.session.scalars(
            text(
                "SELECT id FROM repairs WHERE id % :step = 0 AND completed_on < '2025-12-01'"
                " ORDER BY id LIMIT :n"
            ).bindparams(step=step, n=edits)
        ).all()
        for n, repair_id in enumerate(ids):
            repair = db.session.get(Repair, repair_id)
            if n % 6 == 5:
                repair.voided_at = db.func.now()
                repair.void_reason = "bench"
                repair.voided_by_id = manager.id
            else:
                repair.area_m2 = (repair.area_m2 or 0) + 10
        db.session.commit()
        return len(ids)


def time_app(app, runs: int) -> tuple[list[float], int]:
    from inspection.auth.models import User
    from inspection.extensions import db
    from inspection.plans import statements

    times, lines = [], 0
    with app.app_context():
        manager = db.session.scalar(db.select(User).where(User.username == "bench-manager"))
        for _ in range(runs):
            started = time.perf_counter()
            statement = statements.build_statement(
                db.session, LAST_YEAR, 12, actor=manager, today=TODAY
            )
            times.append((time.perf_counter() - started) * 1000)
            lines = len(statement.lines)
            db.session.rollback()
    return times, lines


def time_raw(url: str, runs: int) -> list[float]:
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    times = []
    with psycopg.connect(plain) as connection:
        for _ in range(runs):
            started = time.perf_counter()
            connection.execute(RAW_SQL, {"year": LAST_YEAR, "month": 12}).fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-month", type=int, default=400)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--edits", type=int, default=12, help="past repairs edited (default 12)")
    parser.add_argument("--keep", action="store_true", help="reuse a database already filled")
    args = parser.parse_args()

    url = bench_url()
    reuse = args.keep and database_exists(url)
    if not reuse:
        recreate_database(url)
    app = make_app(url)
    if not reuse:
        fill(app, args.years, args.per_month)
    with app.app_context():
        from inspection.extensions import db

        counts = db.session.execute(
            text(
                "SELECT (SELECT count(*) FROM repairs), (SELECT count(*) FROM statement_repairs),"
                " (SELECT count(*) FROM statements WHERE state = 'confirmed')"
            )
        ).one()
    print(f"{counts[0]:,} repairs, {counts[1]:,} statement records, {counts[2]} confirmed months")
    raw_ms = time_raw(url, args.runs)
    raw_p50 = statistics.median(raw_ms)
    print(f"raw SQL (the month's lines): p50 {raw_p50:.2f} ms (max {max(raw_ms):.2f})")

    def report(label: str) -> None:
        app_ms, lines = time_app(app, args.runs)
        app_p50 = statistics.median(app_ms)
        print(
            f"build {LAST_YEAR}-12, {label} ({lines} lines): app p50 {app_p50:.1f} ms"
            f" (max {max(app_ms):.1f}), ratio app / raw {app_p50 / raw_p50:.0f}"
        )

    if not reuse:
        report("nothing edited since confirmed")
        edited = edit_past_repairs(app, args.edits)
        report(f"{edited} repairs of past months edited since")
    else:
        report("as kept")


if __name__ == "__main__":
    main()
