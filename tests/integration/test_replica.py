"""A real streaming replica: reports, OGC API and tiles read from it, writes land on the primary.

Two clusters of this test's own under /tmp on loopback ports from 55420–55429 (never the shared
dev or test cluster): a primary, migrated and loaded with the demo records, and a hot standby
made from it by ``pg_basebackup -R``. The app runs with DATABASE_URL = primary and
DATABASE_REPLICA_URL = replica (inspection/replica.py). Both clusters are stopped and removed by
the fixture's finalizer, also when a test or the set-up fails. About 15 s.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import InternalError

from inspection import config as settings
from inspection import create_app, replica
from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.demo import load_demo
from inspection.extensions import db
from tests.faults.cluster import PGBIN, Cluster

PORTS = range(55420, 55430)  # this helper's own range
CATCH_UP_SECONDS = 20

pytestmark = pytest.mark.skipif(
    not (PGBIN / "pg_basebackup").exists()
    or not Path("/usr/share/postgresql/15/extension/postgis.control").exists(),
    reason="needs the PostgreSQL 15 server binaries and PostGIS (scripts/db.sh installs them)",
)


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _two_free_ports() -> tuple[int, int]:
    """Return two free ports of the range: the load bench also uses 55420/55421 when it runs."""
    free = [port for port in PORTS if _free(port)]
    if len(free) < 2:
        pytest.fail(f"no two free ports in {PORTS.start}-{PORTS.stop - 1} for the replica test")
    return free[0], free[1]


def _lsn(cluster: Cluster, sql: str) -> str:
    return cluster.psql(sql, "inspection")


def wait_for_replay(primary: Cluster, standby: Cluster) -> float:
    """Wait until the standby has replayed everything the primary has written; return seconds.

    The target is the primary's WAL *insert* position: its write position (pg_current_wal_lsn)
    can still lie before a commit made with synchronous_commit=off (the test clusters' setting),
    and waiting for that returned before the commit reached the standby (seen once in CI).
    """
    started = time.monotonic()
    target = _lsn(primary, "SELECT pg_current_wal_insert_lsn()")
    while True:
        done = _lsn(standby, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
        if done == "t":
            return time.monotonic() - started
        if time.monotonic() - started > CATCH_UP_SECONDS:
            raise AssertionError(f"the replica did not replay {target} in {CATCH_UP_SECONDS} s")
        time.sleep(0.05)


def _make_standby(primary: Cluster, base: Path, port: int) -> Cluster:
    """pg_basebackup -R from the primary into a new data folder, started as a hot standby."""
    standby = Cluster(base, port, settings=primary.settings)
    base.mkdir(parents=True)
    if os.getuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    standby._run(
        [
            str(PGBIN / "pg_basebackup"),
            *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
            *("-D", str(standby.data), "-R", "-X", "stream", "-c", "fast"),
        ]
    )
    standby._run(["mkdir", "-p", str(standby.sock)])
    standby.start()
    return standby


def _app(media: Path, primary_url: str, replica_url: str | None = None):
    env = {"INSPECTION_ENV": "test", "SECRET_KEY": "t", "DATABASE_URL": primary_url}
    if replica_url:
        env |= {"DATABASE_REPLICA_URL": replica_url, "DB_REPLICA_RETRY": "1"}
    return create_app({**settings.from_environment(env), "TESTING": True, "MEDIA_ROOT": str(media)})


class Pair(NamedTuple):
    primary: Cluster
    standby: Cluster
    on_primary: Flask  # DATABASE_URL only
    with_replica: Flask  # DATABASE_URL and DATABASE_REPLICA_URL
    manager: dict[str, str]  # bearer headers of a manager
    crew: dict[str, str]  # … and of a patrol crew


@pytest.fixture(scope="module")
def pair(request, tmp_path_factory) -> Pair:
    """Both clusters and both apps, the demo records replayed on the replica."""
    port, standby_port = _two_free_ports()
    base = Path(f"/tmp/inspection-replica-h2-{os.getpid()}")
    primary = Cluster(
        base / "primary", port, settings={"wal_level": "replica", "full_page_writes": "on"}
    )
    clusters = [primary]
    apps = []

    def finish() -> None:
        for app in apps:
            with app.app_context():
                for engine in db.engines.values():
                    engine.dispose()
        for cluster in reversed(clusters):
            cluster.stop(remove=True)
        shutil.rmtree(base, ignore_errors=True)

    request.addfinalizer(finish)
    primary.init()
    primary.start()
    primary.create_database("inspection")
    media = tmp_path_factory.mktemp("replica_media")
    on_primary = _app(media, primary.url())
    apps.append(on_primary)
    with on_primary.app_context():
        flask_migrate.upgrade()
        load_demo(db.session)
        manager = auth_services.create_user(db.session, "replica-mgr", "pw-123456789", ["manager"])
        crew = auth_services.create_user(db.session, "replica-crew", "pw-123456789", ["patrol"])
        headers = [
            {"Authorization": f"Bearer {auth_services.issue_token(db.session, user).token}"}
            for user in (manager, crew)
        ]
        db.session.commit()
    standby = _make_standby(primary, base / "standby", standby_port)
    clusters.append(standby)
    with_replica = _app(media, primary.url(), standby.url())
    apps.append(with_replica)
    wait_for_replay(primary, standby)
    return Pair(primary, standby, on_primary, with_replica, *headers)


def _report(app, headers, year: int) -> dict:
    answer = app.test_client().get(f"/api/v1/reports/annual?year={year}", headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    body.pop("generated_at")
    return body


def _figure(report: dict, key: str):
    return next(f["value"] for f in report["figures"] if f["key"] == key)


def _items(app, headers, limit: int) -> dict:
    url = f"/ogc/collections/findings/items?limit={limit}"
    answer = app.test_client().get(url, headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = json.loads(answer.get_data(as_text=True))
    body.pop("timeStamp", None)
    return body


def _this_year() -> int:
    return datetime.now(ZoneInfo("Asia/Shanghai")).year


def _in_recovery(app, path: str = "/reports/annual") -> bool:
    """Ask the server a replica-routed request reads from whether it is a standby."""
    with app.test_request_context(path):
        replica.mark_replica_request()
        try:
            return db.session.scalar(select(func.pg_is_in_recovery()))
        finally:
            db.session.remove()


def test_reports_and_ogc_items_read_from_the_replica_equal_the_primarys(pair):
    assert _in_recovery(pair.with_replica) is True
    assert _in_recovery(pair.with_replica, "/api/v1/patrols") is False  # not a replica-routed path
    year = _this_year()
    from_replica = _report(pair.with_replica, pair.manager, year)
    assert from_replica == _report(pair.on_primary, pair.manager, year)
    assert _figure(from_replica, "patrols") > 0
    for fmt in ("csv", "xlsx"):
        url = f"/reports/annual.{fmt}?year={year}"
        first = pair.with_replica.test_client().get(url, headers=pair.manager)
        assert first.status_code == 200
        if fmt == "csv":
            assert first.data == pair.on_primary.test_client().get(url, headers=pair.manager).data
    for limit in (50, 5000):  # a page, and a streamed answer (STREAM_FROM = 2000)
        items = _items(pair.with_replica, pair.manager, limit)
        assert items["numberMatched"] > 0
        assert items == _items(pair.on_primary, pair.manager, limit)


def test_a_lagging_replica_shows_the_older_figures_until_it_catches_up(pair):
    year = _this_year()
    before = _figure(_report(pair.with_replica, pair.manager, year), "patrols")
    pair.standby.psql("SELECT pg_wal_replay_pause()")
    try:
        patrol = {
            "client_uuid": str(uuid.uuid4()),
            "road": "G30",
            "direction": "up",
            "kind": "routine",
            "started_at": datetime.now(ZoneInfo("Asia/Shanghai")).isoformat(),
            "start_stake": "K3500+000",
        }
        started = pair.with_replica.test_client().post(
            "/api/v1/patrols", json=patrol, headers=pair.crew
        )
        assert started.status_code == 201, started.get_json()  # a write path: the primary
        assert _figure(_report(pair.on_primary, pair.manager, year), "patrols") == before + 1
        assert _figure(_report(pair.with_replica, pair.manager, year), "patrols") == before
    finally:
        pair.standby.psql("SELECT pg_wal_replay_resume()")
    wait_for_replay(pair.primary, pair.standby)
    assert _report(pair.with_replica, pair.manager, year) == _report(
        pair.on_primary, pair.manager, year
    )


def test_writes_in_a_replica_routed_request_land_on_the_primary(pair):
    url = "/ogc/collections/findings/tiles/WebMercatorQuad/6/23/44"
    first = pair.with_replica.test_client().get(url, headers=pair.manager)
    assert first.status_code == 200 and first.headers["X-Tile-Cache"] == "miss"
    # The tile was made from the replica's rows and stored in the primary's cache (UNLOGGED:
    # a standby has none of it), where the next request finds it.
    stored = pair.primary.psql("SELECT count(*) FROM tile_cache WHERE z = 6", "inspection")
    assert stored == "1"
    again = pair.with_replica.test_client().get(url, headers=pair.manager)
    assert again.headers["X-Tile-Cache"] == "hit" and again.data == first.data
    assert (
        again.headers["ETag"]
        == pair.on_primary.test_client().get(url, headers=pair.manager).headers["ETag"]
    )
    revalidated = pair.with_replica.test_client().get(
        url, headers={**pair.manager, "If-None-Match": first.headers["ETag"]}
    )
    assert revalidated.status_code == 304

    with pair.with_replica.test_request_context("/reports/annual"):
        replica.mark_replica_request()
        # A service's write (flush → INSERT) goes to the primary.
        auth_services.create_user(db.session, "written-in-a-read", "pw-123456789", ["patrol"])
        db.session.commit()
        # A write the router cannot recognise reaches the replica and fails loudly there.
        with pytest.raises(InternalError, match="read-only transaction"):
            db.session.execute(text("UPDATE users SET display_name = 'x' WHERE id = 0"))
        db.session.rollback()
        db.session.remove()
    on_primary_count = pair.primary.psql(
        "SELECT count(*) FROM users WHERE username = 'written-in-a-read'", "inspection"
    )
    assert on_primary_count == "1"
    wait_for_replay(pair.primary, pair.standby)
    with pair.with_replica.test_request_context("/reports/annual"):
        replica.mark_replica_request()
        found = db.session.scalar(select(User.id).where(User.username == "written-in-a-read"))
        db.session.remove()
    assert found is not None


def test_a_replica_down_falls_back_to_the_primary_and_comes_back(pair, caplog):
    with pair.with_replica.app_context():
        db.engines[replica.REPLICA_BIND].dispose()  # as after a restart: no pooled connection
    pair.standby.stop()
    try:
        with caplog.at_level(logging.WARNING, logger="inspection.replica"):
            year = _this_year()
            assert _report(pair.with_replica, pair.manager, year) == _report(
                pair.on_primary, pair.manager, year
            )
        assert "replica unreachable" in caplog.text
        assert _in_recovery(pair.with_replica) is False  # read on the primary meanwhile
        # Still read-only: the fallback connection keeps the replica engine's settings.
        with pair.with_replica.test_request_context("/reports/annual"):
            replica.mark_replica_request()
            with pytest.raises(InternalError, match="read-only transaction"):
                db.session.execute(text("UPDATE users SET display_name = 'x' WHERE id = 0"))
            db.session.remove()
    finally:
        pair.standby.start()
    time.sleep(1.1)  # DB_REPLICA_RETRY = 1: the next checkout tries the replica again
    assert _in_recovery(pair.with_replica) is True


def test_the_standby_is_in_recovery_and_an_app_without_it_has_one_engine(pair):
    engine = create_engine(pair.standby.url())
    try:
        with engine.connect() as connection:
            assert connection.scalar(select(func.pg_is_in_recovery())) is True
    finally:
        engine.dispose()
    with pair.on_primary.app_context():
        assert replica.REPLICA_BIND not in db.engines  # unset: one engine, as before
