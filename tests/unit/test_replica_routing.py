"""Which engine a statement goes to, with and without DATABASE_REPLICA_URL (no database needed:
engines connect only when used). The real replica is in tests/integration/test_replica.py."""

from __future__ import annotations

import pytest
from sqlalchemy import column, delete, insert, select, table, text, update

from inspection import create_app, replica, web
from inspection.config import REPLICA_BIND, ConfigError, from_environment
from inspection.db import ON_PRIMARY
from inspection.extensions import db

PRIMARY_URL = "postgresql+psycopg://u@127.0.0.1:1/primary"
REPLICA_URL = "postgresql+psycopg://u@127.0.0.1:1/replica"
BASE = {"INSPECTION_ENV": "test", "DATABASE_URL": PRIMARY_URL}
users = table("users", column("id"), column("display_name"))


def test_without_a_replica_url_there_is_one_engine_as_before():
    config = from_environment(BASE)
    assert config["DATABASE_REPLICA_URL"] is None
    assert "SQLALCHEMY_BINDS" not in config


def test_the_replica_bind_is_read_only_and_sized_like_the_primary_unless_told():
    config = from_environment({**BASE, "DATABASE_REPLICA_URL": REPLICA_URL, "DB_POOL_SIZE": "8"})
    bind = config["SQLALCHEMY_BINDS"][REPLICA_BIND]
    assert bind["url"] == REPLICA_URL
    assert (bind["pool_size"], bind["max_overflow"], bind["pool_pre_ping"]) == (8, 10, True)
    assert "default_transaction_read_only=on" in bind["connect_args"]["options"]
    assert "jit=off" in bind["connect_args"]["options"]
    assert config["DB_REPLICA_RETRY"] == 30
    sized = {"DB_REPLICA_POOL_SIZE": "3", "DB_REPLICA_MAX_OVERFLOW": "0", "DB_REPLICA_RETRY": "5"}
    config = from_environment({**BASE, "DATABASE_REPLICA_URL": REPLICA_URL, **sized})
    bind = config["SQLALCHEMY_BINDS"][REPLICA_BIND]
    assert (bind["pool_size"], bind["max_overflow"], config["DB_REPLICA_RETRY"]) == (3, 0, 5)


@pytest.mark.parametrize(
    "name, value",
    [("DB_REPLICA_POOL_SIZE", "0"), ("DB_REPLICA_RETRY", "x"), ("DB_REPLICA_MAX_OVERFLOW", "-1")],
)
def test_replica_settings_are_checked(name, value):
    with pytest.raises(ConfigError, match=name):
        from_environment({**BASE, "DATABASE_REPLICA_URL": REPLICA_URL, name: value})


@pytest.mark.parametrize(
    "statement, writes",
    [
        (select(users), False),
        (text("SELECT 1"), False),
        (insert(users), True),
        (update(users).values(display_name="x"), True),
        (delete(users), True),
        (select(users).with_for_update(), True),
        (text("INSERT INTO tile_cache VALUES (1)").execution_options(**ON_PRIMARY), True),
        (None, False),
    ],
)
def test_writes_and_locks_are_told_from_reads(statement, writes):
    assert replica.is_write(statement) is writes


@pytest.fixture(scope="module")
def routed_app():
    return create_app(
        {
            **from_environment({**BASE, "DATABASE_REPLICA_URL": REPLICA_URL}),
            "TESTING": True,
        }
    )


def _engine_for(app, path: str, statement):
    with app.test_request_context(path):
        replica.mark_replica_request()
        try:
            engine = db.session.get_bind(clause=statement)
        finally:
            db.session.remove()
        return "replica" if engine is db.engines.get(REPLICA_BIND) else "primary"


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/reports/annual", "replica"),
        ("/reports/annual.csv", "replica"),
        ("/api/v1/reports/annual", "replica"),
        ("/ogc/collections/findings/items", "replica"),
        ("/ogc/collections/findings/tiles/WebMercatorQuad/6/23/44", "replica"),
        ("/map", "replica"),
        ("/map/stakes", "replica"),
        ("/api/v1/findings", "primary"),
        ("/hazards/", "primary"),
        ("/", "primary"),
        ("/no/such/page", "primary"),
    ],
)
def test_reads_go_to_the_replica_only_for_report_ogc_and_map_requests(routed_app, path, expected):
    assert _engine_for(routed_app, path, select(users)) == expected


@pytest.mark.parametrize(
    "statement",
    [
        insert(users),
        update(users).values(display_name="x"),
        select(users).with_for_update(),
        text("INSERT INTO tile_cache VALUES (1)").execution_options(**ON_PRIMARY),
    ],
)
def test_writes_in_a_replica_routed_request_go_to_the_primary(routed_app, statement):
    assert _engine_for(routed_app, "/reports/annual", statement) == "primary"


def test_the_mark_is_taken_after_access_control(routed_app):
    hooks = routed_app.before_request_funcs[None]
    assert hooks.index(web.check_access) < hooks.index(replica.mark_replica_request)


def test_without_a_replica_nothing_is_installed():
    app = create_app({**from_environment(BASE), "TESTING": True})
    assert replica.mark_replica_request not in app.before_request_funcs.get(None, [])
    with app.app_context():
        assert list(db.engines) == [None]
