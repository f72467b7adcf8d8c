"""Scratch database, app and road import shared by the benchmarks (not tests: they print figures).

The benchmarks run against their own database ``inspection_bench`` on the local dev cluster (or
``BENCH_DATABASE_URL``), dropped and created afresh unless ``--keep`` reuses one already imported.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import URL, make_url

BENCH_DATABASE = "inspection_bench"
# The dev cluster's maintenance database: a database cannot be dropped from inside itself.
MAINTENANCE_DATABASE = "postgres"


def bench_url() -> str:
    """Return the scratch database URL: BENCH_DATABASE_URL, or the dev cluster's with our name."""
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    from inspection.config import local_cluster_url

    url = make_url(local_cluster_url("dev")).set(database=BENCH_DATABASE)
    return url.render_as_string(hide_password=False)


def _maintenance_url(url: URL) -> URL:
    return url.set(database=MAINTENANCE_DATABASE)


def database_exists(url: str) -> bool:
    """Return whether the database of `url` exists on its cluster."""
    parsed = make_url(url)
    engine = create_engine(_maintenance_url(parsed), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            return bool(
                connection.scalar(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"),
                    {"name": parsed.database},
                )
            )
    finally:
        engine.dispose()


def recreate_database(url: str) -> None:
    """Drop (forcing out stale connections) and create the database of `url`."""
    parsed = make_url(url)
    if parsed.database in {None, "", MAINTENANCE_DATABASE, "template0", "template1"}:
        raise SystemExit(f"refusing to drop database {parsed.database!r}")
    engine = create_engine(_maintenance_url(parsed), isolation_level="AUTOCOMMIT")
    quoted = engine.dialect.identifier_preparer.quote(parsed.database)
    try:
        with engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {quoted}"))
    finally:
        engine.dispose()


def make_app(url: str):
    """Build the app on `url` and bring its schema up to date with the migrations."""
    os.environ["INSPECTION_ENV"] = "development"
    import flask_migrate

    from inspection import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": False})
    with app.app_context():
        flask_migrate.upgrade()
    return app


def load_features(path: Path) -> list[dict[str, Any]]:
    """Read the features of a GeoJSON FeatureCollection from its path (never copied)."""
    with path.open(encoding="utf-8") as stream:
        return json.load(stream).get("features") or []


def field_names():
    """Return the attribute names of the Xinjiang network file."""
    from inspection.network.importing import FieldNames

    return FieldNames(road_class="xzdj")


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """Add PATH, --join-tolerance and --keep to a benchmark's command line."""
    parser.add_argument("path", type=Path, help="GeoJSON network file (read from its path only)")
    parser.add_argument(
        "--join-tolerance",
        type=float,
        default=50.0,
        help="segment ends closer than this (m) join (default 50)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"reuse an already imported {BENCH_DATABASE} database (skip drop and import)",
    )


@dataclass
class Prepared:
    app: Any
    features: list[dict[str, Any]]
    summary: Any  # services.ImportSummary
    seconds: float
    reused: bool  # True: the network was already stored; `summary` is a dry run against it


def prepare(args: argparse.Namespace) -> Prepared:
    """Create (or with --keep reuse) the scratch database and import the network into it."""
    url = bench_url()
    started = time.perf_counter()
    features = load_features(args.path)
    print(f"read {len(features)} features in {time.perf_counter() - started:.2f} s")

    reuse = args.keep and database_exists(url)
    if not reuse:
        recreate_database(url)
    app = make_app(url)

    from inspection.extensions import db
    from inspection.network import services
    from inspection.network.models import Road

    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Road))
        reused = reuse and stored > 0
        started = time.perf_counter()
        # Reused: a dry run plans the same import and compares it with what is stored, so the
        # summary is still there and a database imported from other settings shows as "updated".
        summary = services.import_features(
            db.session,
            features,
            field_names(),
            join_tolerance_m=args.join_tolerance,
            dry_run=reused,
        )
        if reused:
            db.session.rollback()
        else:
            db.session.commit()
        seconds = time.perf_counter() - started
    where = make_url(url).render_as_string(hide_password=True)
    print(f"database {where} ({'reused' if reused else 'created and imported'})")
    return Prepared(app, features, summary, seconds, reused)


def distribution(values: list[float]) -> dict[str, float]:
    """Return count, median, p90, p95, p99, max and mean of some numbers."""
    if not values:
        return {"count": 0}
    array = np.asarray(values, dtype=float)
    p50, p90, p95, p99 = np.percentile(array, [50, 90, 95, 99])
    return {
        "count": len(values),
        "p50": float(p50),
        "p90": float(p90),
        "p95": float(p95),
        "p99": float(p99),
        "max": float(array.max()),
        "mean": float(array.mean()),
    }
