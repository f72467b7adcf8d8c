"""Time a survey campaign's unit figures (DR, PCI, SCI of every unit) at branch scale.

Run from the project root (dev cluster running):
    .venv/bin/python -m bench.survey_figures_bench [--per-unit 50] [--runs 7] [--keep]

The scratch database ``inspection_bench_surveys`` (or ``SURVEY_BENCH_DATABASE_URL``) gets 20
roads of 100 km, one campaign of 1 km units on each (2,000 units) and ``--per-unit`` records a
unit (pavement distress of six kinds and two subgrade items; 100,000 at the default), made with
``generate_series``. It times, over ``--runs`` runs:

* **app** — ``surveys.queries.unit_figures(campaign_units(…))``, what the campaign page and its
  export compute (the units, their records, JTG 5210 DR / PCI / SCI per unit);
* **raw SQL** — the same records read on a bare psycopg connection (the floor of the reading);

and prints the medians and the ratio. ``--keep`` reuses a database already filled.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench._db import database_exists, make_app, recreate_database
from bench.annual_report_bench import ROADS_SQL

BENCH_DATABASE = "inspection_bench_surveys"
UNITS_PER_ROAD = 100

UNITS_SQL = """
INSERT INTO survey_units (campaign_id, road_id, direction, seq, start_chainage, end_chainage,
                          length_m, width_m, pavement, geom, geometry_version)
SELECT :campaign, r.id, 'both', s, (s - 1) * 1000, s * 1000, 1000, 12, 'asphalt',
       ST_LineSubstring(r.geom, (s - 1)::float8 / :n, s::float8 / :n), 1
FROM roads r CROSS JOIN generate_series(1, :n) AS s
"""

# Six pavement distresses and two subgrade items, each with a severity its table knows.
RECORDS_SQL = """
INSERT INTO survey_records (unit_id, family, item_code, severity, quantity, note, created_by_id,
                            created_at)
SELECT u.id, k.family, k.code, k.severity, round((0.5 + random() * 20)::numeric, 1)::float8, '',
       :user_id, now()
FROM survey_units u
CROSS JOIN generate_series(1, :per_unit) AS g
CROSS JOIN LATERAL (
    SELECT (ARRAY['pavement', 'pavement', 'pavement', 'pavement', 'pavement', 'pavement',
                  'subgrade', 'subgrade'])[1 + (g % 8)] AS family,
           (ARRAY['alligator_cracking', 'block_cracking', 'longitudinal_crack', 'pothole',
                  'rutting', 'patching', 'shoulder_damage', 'dirty_shoulder_ditch'])[1 + (g % 8)]
               AS code,
           (ARRAY['medium', 'heavy', 'light', 'heavy', 'light', NULL, 'light', NULL])[1 + (g % 8)]
               AS severity
) AS k
"""

RAW_SQL = """
SELECT r.unit_id, r.family, r.item_code, r.severity, r.quantity
FROM survey_records r JOIN survey_units u ON u.id = r.unit_id
WHERE u.campaign_id = %(campaign)s AND r.voided_at IS NULL
ORDER BY r.id
"""


def bench_url() -> str:
    explicit = os.environ.get("SURVEY_BENCH_DATABASE_URL")
    if explicit:
        return explicit
    from inspection.config import local_cluster_url

    url = make_url(local_cluster_url("dev")).set(database=BENCH_DATABASE)
    return url.render_as_string(hide_password=False)


def fill(app, per_unit: int) -> None:
    from datetime import date

    from inspection.auth import services as auth_services
    from inspection.extensions import db
    from inspection.surveys.models import SurveyCampaign

    with app.app_context():
        user = auth_services.create_user(
            db.session, "bench-surveyor", "bench-password-1", ["manager"]
        )
        db.session.execute(text(ROADS_SQL))
        campaign = SurveyCampaign(
            name="2025年秋季路况调查",
            starts_on=date(2025, 9, 1),
            ends_on=date(2025, 10, 31),
            created_by_id=user.id,
        )
        db.session.add(campaign)
        db.session.flush()
        started = time.perf_counter()
        db.session.execute(text(UNITS_SQL), {"campaign": campaign.id, "n": UNITS_PER_ROAD})
        count = db.session.execute(
            text(RECORDS_SQL), {"per_unit": per_unit, "user_id": user.id}
        ).rowcount
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        print(f"{count:,} records made in {time.perf_counter() - started:.1f} s")


def time_app(app, runs: int) -> tuple[list[float], int]:
    from inspection.extensions import db
    from inspection.surveys import queries
    from inspection.surveys.models import SurveyCampaign

    times, units = [], 0
    with app.app_context():
        campaign = db.session.scalar(db.select(SurveyCampaign))
        for _ in range(runs):
            db.session.expire_all()
            started = time.perf_counter()
            figures = queries.unit_figures(db.session, queries.campaign_units(db.session, campaign))
            times.append((time.perf_counter() - started) * 1000)
            units = sum(1 for f in figures if f.pci is not None)
            db.session.rollback()
    return times, units


def time_raw(url: str, runs: int) -> list[float]:
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    times = []
    with psycopg.connect(plain) as connection:
        campaign = connection.execute("SELECT id FROM survey_campaigns").fetchone()[0]
        for _ in range(runs):
            started = time.perf_counter()
            connection.execute(RAW_SQL, {"campaign": campaign}).fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-unit", type=int, default=50)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="reuse a database already filled")
    args = parser.parse_args()

    url = bench_url()
    reuse = args.keep and database_exists(url)
    if not reuse:
        recreate_database(url)
    app = make_app(url)
    if not reuse:
        fill(app, args.per_unit)
    app_ms, units = time_app(app, args.runs)
    raw_ms = time_raw(url, args.runs)
    app_p50, raw_p50 = statistics.median(app_ms), statistics.median(raw_ms)
    print(f"unit figures of {units:,} units: app p50 {app_p50:.1f} ms (max {max(app_ms):.1f})")
    print(f"raw SQL (the same records read): p50 {raw_p50:.1f} ms (max {max(raw_ms):.1f})")
    print(f"ratio app / raw: {app_p50 / raw_p50:.1f}")


if __name__ == "__main__":
    main()
