"""Weigh the new-finding page as a phone downloads it: HTML, CSS and JS, raw and gzip-compressed.

Run from the project root:
    .venv/bin/python -m bench.field_page_bytes [PATH] [--keep]

Without PATH the three demo roads are imported; with PATH (a GeoJSON network, read from its path
only) the page lists that network's roads, as it would in production. The budget for HTML + CSS +
JS compressed is 150 KB. The scratch database is ``inspection_bench_field`` on the dev cluster (or
BENCH_DATABASE_URL's server with that name); ``--keep`` reuses one that already holds roads.
"""

from __future__ import annotations

import argparse
import gzip
import re
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench._db import bench_url, database_exists, field_names, load_features, recreate_database

DATABASE = "inspection_bench_field"
BUDGET_BYTES = 150 * 1024
USERNAME = "bench.field"
PASSWORD = "bench-field-password"
PAGE = "/field/finding"
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+\.(?:css|js))"')


def scratch_url() -> str:
    return make_url(bench_url()).set(database=DATABASE).render_as_string(hide_password=False)


def build_app(path: Path | None, keep: bool):
    """Create (or reuse) the scratch database, its roads and a patrol user; return the app."""
    from bench._db import make_app
    from inspection.auth import services as auth_services
    from inspection.auth.models import User
    from inspection.extensions import db
    from inspection.network import services as network_services
    from inspection.network.importing import FieldNames
    from inspection.network.models import Road
    from inspection.network.sample import demo_network

    url = scratch_url()
    reuse = keep and database_exists(url)
    if not reuse:
        recreate_database(url)
    app = make_app(url)
    with app.app_context():
        if db.session.scalar(select(func.count()).select_from(Road)) == 0:
            if path is None:
                network_services.import_features(db.session, demo_network(), FieldNames())
            else:
                network_services.import_features(db.session, load_features(path), field_names())
        if db.session.scalar(select(User).where(User.username == USERNAME)) is None:
            auth_services.create_user(db.session, USERNAME, PASSWORD, ["patrol"])
        db.session.commit()
        roads = db.session.scalar(select(func.count()).select_from(Road))
    print(f"database {make_url(url).render_as_string(hide_password=True)}, {roads} roads")
    return app


def signed_in_client(app):
    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login)
    response = client.post(
        "/login",
        data={
            "username": USERNAME,
            "password": PASSWORD,
            "csrf_token": token.group(1) if token else "",
        },
    )
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed with {response.status_code}")
    return client


def weigh(app) -> int:
    client = signed_in_client(app)
    page = client.get(PAGE)
    if page.status_code != 200:
        raise SystemExit(f"{PAGE} answered {page.status_code}")
    html = page.get_data()
    files = [(PAGE, html)]
    for asset in dict.fromkeys(ASSET.findall(html.decode("utf-8"))):
        answer = client.get(asset)
        files.append((asset, answer.get_data()))
        answer.close()
    total_raw = total_gzip = 0
    print(f"{'file':40} {'raw':>10} {'gzip':>10}")
    for name, data in files:
        packed = len(gzip.compress(data, compresslevel=6))
        total_raw += len(data)
        total_gzip += packed
        print(f"{name:40} {len(data):>10,} {packed:>10,}")
    print(f"{'total':40} {total_raw:>10,} {total_gzip:>10,}")
    share = total_gzip / BUDGET_BYTES * 100
    verdict = "within" if total_gzip <= BUDGET_BYTES else "OVER"
    print(f"budget {BUDGET_BYTES:,} bytes compressed: {share:.0f}% used ({verdict} budget)")
    return total_gzip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="?", help="GeoJSON network (default: demo roads)")
    parser.add_argument("--keep", action="store_true", help=f"reuse {DATABASE} if it has roads")
    args = parser.parse_args()
    weigh(build_app(args.path, args.keep))


if __name__ == "__main__":
    main()
