"""Time vector tiles of findings at zoom 6–14 over 1,000,000 findings: cold, cached, and raw.

Run from the project root, with the dev cluster running:
    .venv/bin/python -m bench.tile_bench [--rows 1000000] [--n 15] [--zooms 6-14] [--keep]

Uses the database of ``bench.ogc_bbox_bench`` (``inspection_bench_ogc`` or
``BENCH_OGC_DATABASE_URL``; the same fill: findings spread evenly over 10° × 8°, 1 % voided);
``--keep`` reuses it. At each zoom, ``--n`` random tiles inside the area go through the whole app
(Flask test client, API token):

* cold: the tile's cache row deleted first, so PostGIS makes it (``ST_AsMVT``) and it is stored;
* cached: the same tile again, read from ``tile_cache``;
* revalidated: again with If-None-Match, answered 304 without reading the tile;

and beside them the raw floor: the very statement that makes the tile, on a bare psycopg
connection. Target: a tile ≤ 30 ms p95.
"""

from __future__ import annotations

import argparse
import math
import random
import time

import psycopg
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from bench._db import database_exists, distribution, make_app, recreate_database
from bench.ogc_bbox_bench import (
    AREA,
    DATABASE,
    SEED,
    SESSION,
    bench_url,
    findings_and_reader,
    psycopg_url,
)

TARGET_P95_MS = 30.0
FORGET = "DELETE FROM tile_cache WHERE layer = 'findings' AND z = %s AND x = %s AND y = %s"
WARM_UP = 3


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def random_tiles(rng: random.Random, z: int, n: int) -> list[tuple[int, int]]:
    west, south, east, north = AREA
    return [tile_of(rng.uniform(west, east), rng.uniform(south, north), z) for _ in range(n)]


def raw_statement(app, z: int, x: int, y: int) -> str:
    """Return the SQL the app runs to make findings tile z/x/y (literal values)."""
    from inspection.ogc import tiles
    from inspection.ogc.model import Context
    from inspection.ogc.parameters import ItemsQuery
    from inspection.web import branch_today, branch_zone

    with app.test_request_context():
        context = Context(today=branch_today(), timezone=branch_zone())
        wanted = tiles.TileRequest(tiles.LAYERS["findings"], z, x, y, ItemsQuery(), "")
        statement = tiles.tile_statement(wanted, context)
        compiled = statement.compile(
            dialect=postgresql.psycopg.dialect(), compile_kwargs={"literal_binds": True}
        )
        return str(compiled).replace("%%", "%")  # run without parameters: % is itself


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def figures(values: list[float]) -> str:
    found = distribution(values)
    return f"p50 {found['p50']:7.1f}, p95 {found['p95']:7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="findings to store")
    parser.add_argument("--n", type=int, default=15, help="tiles timed per zoom")
    parser.add_argument("--zooms", default="6-14", help="first-last zoom (default 6-14)")
    parser.add_argument("--keep", action="store_true", help=f"reuse a filled {DATABASE}")
    args = parser.parse_args()
    first, _, last = args.zooms.partition("-")
    zooms = range(int(first), int(last or first) + 1)

    url = bench_url()
    reuse = args.keep and database_exists(url)
    if not reuse:
        recreate_database(url)
    app = make_app(url)

    from inspection.extensions import db
    from inspection.ogc import tiles

    with app.app_context():
        token = findings_and_reader(db.session, args.rows, reuse=reuse)
        db.session.execute(text("DELETE FROM tile_cache"))
        db.session.commit()
        db.session.remove()

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    raw = psycopg.connect(psycopg_url(url), autocommit=True)
    raw.execute(SESSION)
    rng = random.Random(SEED)
    print(
        f"{args.rows} findings over {AREA}; {args.n} random tiles a zoom (after {WARM_UP} "
        "warm-up); times in ms"
    )
    print(
        "zoom | cold (made and stored)   | cached                   | 304      "
        "| raw ST_AsMVT statement   | cold/raw p50 | tile size (median)"
    )
    worst_cached = 0.0
    for z in zooms:
        cold, cached, revalidated, floor, sizes = [], [], [], [], []
        parallel = "0" if z >= tiles.PARALLEL_BELOW_ZOOM else "2"
        raw.execute("SELECT set_config('max_parallel_workers_per_gather', %s, false)", (parallel,))
        for index, (x, y) in enumerate(random_tiles(rng, z, WARM_UP + args.n)):
            path = f"/ogc/collections/findings/tiles/WebMercatorQuad/{z}/{y}/{x}"
            sql = raw_statement(app, z, x, y)
            raw.execute(FORGET, (z, x, y))
            # Whoever reads the tile's rows first pays for reading them from disk: take turns.
            if index % 2:
                raw_ms, tile = timed(lambda sql=sql: raw.execute(sql).fetchone()[0])
            made_ms, made = timed(lambda path=path: client.get(path, headers=headers))
            if not index % 2:
                raw_ms, tile = timed(lambda sql=sql: raw.execute(sql).fetchone()[0])
            assert made.status_code == 200, made.get_data()[:300]
            assert made.headers["X-Tile-Cache"] == "miss"
            assert bytes(tile) == made.get_data()
            hit_ms, hit = timed(lambda path=path: client.get(path, headers=headers))
            assert hit.headers["X-Tile-Cache"] == "hit"
            etag = {**headers, "If-None-Match": made.headers["ETag"]}
            same_ms, same = timed(lambda path=path, etag=etag: client.get(path, headers=etag))
            assert same.status_code == 304
            if index < WARM_UP:
                continue
            cold.append(made_ms)
            cached.append(hit_ms)
            revalidated.append(same_ms)
            floor.append(raw_ms)
            sizes.append(len(made.get_data()) / 1024)
        median = distribution(floor)["p50"]
        ratio = distribution(cold)["p50"] / median if median else float("nan")
        worst_cached = max(worst_cached, distribution(cached)["p95"])
        print(
            f"{z:4d} | {figures(cold)} | {figures(cached)} | "
            f"{distribution(revalidated)['p50']:6.1f}   | {figures(floor)} | "
            f"{ratio:12.2f} | {sorted(sizes)[len(sizes) // 2]:.1f} KiB"
        )
    raw.close()
    verdict = "meets" if worst_cached <= TARGET_P95_MS else "misses"
    print(f"cached tiles: worst p95 {worst_cached:.1f} ms {verdict} the target of 30 ms")


if __name__ == "__main__":
    main()
