"""Which database errors the client is told to retry (503 + Retry-After) and which are a 500.

A fault that passes by itself (the connection lost, the server restarting, a lost race for a row
or a lock) is a 503 with Retry-After: the phone's outbox tries again later. An error that would
repeat every time (a full disk, a statement the database refuses) is logged and answered 500
without Retry-After: it is a defect or an operator's matter, not "try again in a moment".
Real faults are impractical here, so the errors are raised with the SQLSTATE psycopg gives them;
a pooled connection the server terminated is real (pg_terminate_backend on this test's own one).
"""

from __future__ import annotations

import logging

import psycopg
import psycopg.errors as pg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import InterfaceError, OperationalError

from inspection import create_app
from inspection.extensions import db
from inspection.network import queries
from inspection.network import services as network_services
from tests.conftest import url_of_test_database

TRANSIENT = [
    pytest.param(psycopg.OperationalError("server closed the connection unexpectedly"), id="lost"),
    pytest.param(pg.AdminShutdown("terminating connection"), id="57P01"),
    pytest.param(pg.CrashShutdown("crash"), id="57P02"),
    pytest.param(pg.CannotConnectNow("the database system is starting up"), id="57P03"),
    pytest.param(pg.SerializationFailure("could not serialize access"), id="40001"),
    pytest.param(pg.DeadlockDetected("deadlock detected"), id="40P01"),
    pytest.param(pg.LockNotAvailable("could not obtain lock"), id="55P03"),
    pytest.param(pg.TooManyConnections("too many clients"), id="53300"),
    pytest.param(pg.ConnectionFailure("connection failure"), id="08006"),
]
REPEATING = [
    pytest.param(pg.DiskFull("could not extend file: No space left on device"), id="53100"),
    pytest.param(pg.QueryCanceled("canceling statement due to statement timeout"), id="57014"),
    pytest.param(pg.ProgramLimitExceeded("index row size exceeds maximum"), id="54000"),
    pytest.param(pg.ObjectNotInPrerequisiteState("not in prerequisite state"), id="55000"),
]


def _raising(orig: Exception, error_class=OperationalError):
    def locate(*_args, **_kwargs):
        raise error_class("SELECT …", {}, orig)

    return locate


@pytest.mark.parametrize("orig", TRANSIENT)
def test_an_error_that_passes_by_itself_answers_503_with_retry_after(
    client, crew, monkeypatch, english, orig
):
    _, headers = crew()
    monkeypatch.setattr(network_services, "locate", _raising(orig))
    answer = client.get("/api/v1/locate?lon=87.6&lat=43.8", headers=headers)
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert answer.get_json()["error"]["code"] == "database_unavailable"


@pytest.mark.parametrize("orig", REPEATING)
def test_an_error_that_would_repeat_is_logged_and_answers_500_without_retry_after(
    client, crew, monkeypatch, english, caplog, orig
):
    _, headers = crew()
    monkeypatch.setattr(network_services, "locate", _raising(orig))
    with caplog.at_level(logging.ERROR, logger="inspection.web"):
        answer = client.get("/api/v1/locate?lon=87.6&lat=43.8", headers=headers)
    assert answer.status_code == 500
    assert "Retry-After" not in answer.headers
    error = answer.get_json()["error"]
    assert error["code"] == "database_error"
    assert "try again" not in error["message"]
    assert any(orig.sqlstate in r.getMessage() for r in caplog.records)
    # The request's session was rolled back: the next request works.
    monkeypatch.undo()
    again = client.get("/api/v1/roads", headers=headers)
    assert again.status_code == 200


def test_a_closed_connection_interface_error_answers_503(client, crew, monkeypatch, english):
    _, headers = crew()
    orig = psycopg.InterfaceError("the connection is closed")
    monkeypatch.setattr(network_services, "locate", _raising(orig, InterfaceError))
    answer = client.get("/api/v1/locate?lon=87.6&lat=43.8", headers=headers)
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"


def test_a_repeating_error_on_a_page_answers_an_html_500(client, login_as, monkeypatch, english):
    login_as("patrol")
    monkeypatch.setattr(queries, "list_roads", _raising(pg.DiskFull("No space left on device")))
    page = client.get("/roads/")
    assert page.status_code == 500
    assert "Retry-After" not in page.headers
    assert "<h1>500</h1>" in page.get_data(as_text=True)


def test_a_pooled_connection_the_server_ended_costs_one_503_then_is_replaced():
    """Without the pool's pre-ping a dead pooled connection is found by the request that uses it.

    That request answers 503 + Retry-After (the client retries); SQLAlchemy sees the disconnect,
    drops the connection and marks every older pooled connection stale, so the next request gets
    a new one and succeeds. This is what a PostgreSQL restart does to each worker's pool.
    """
    url = url_of_test_database().render_as_string(hide_password=False)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_pre_ping": False,
                "pool_size": 1,
                "max_overflow": 0,
                "connect_args": {"connect_timeout": 2},
            },
        }
    )
    client = app.test_client()
    headers = {"Authorization": "Bearer insp_nobody"}
    plain = url_of_test_database().set(drivername="postgresql")
    admin = create_engine(plain.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    try:
        assert client.get("/api/v1/findings", headers=headers).status_code == 401
        with app.app_context(), db.engine.connect() as connection:  # the pool's one connection
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        with admin.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
        lost = client.get("/api/v1/findings", headers=headers)
        assert lost.status_code == 503
        assert lost.headers["Retry-After"] == "5"
        assert lost.get_json()["error"]["code"] == "database_unavailable"
        assert client.get("/api/v1/findings", headers=headers).status_code == 401
    finally:
        admin.dispose()
        with app.app_context():
            db.engine.dispose()
