"""Shared fixtures: a real PostGIS database built by the migrations, one transaction per test."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from inspection import create_app
from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.config import local_cluster_url
from inspection.extensions import db

os.environ.setdefault("INSPECTION_ENV", "test")
TEST_PASSWORD = "test-password-1"


def url_of_test_database() -> URL:
    """Return the test database's URL: TEST_DATABASE_URL, or the local test cluster's."""
    return make_url(os.environ.get("TEST_DATABASE_URL") or local_cluster_url("test"))


def recreate_database(url: URL) -> None:
    """Drop and create a database named *_test…, failing loudly when PostGIS is unreachable."""
    if "_test" not in (url.database or ""):
        pytest.fail(f"refusing to recreate {url.database!r}: test database names contain '_test'")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    except OperationalError as error:
        pytest.fail(
            "The PostGIS test database is unreachable at "
            f"{url.render_as_string(hide_password=True)}: {error.orig}\n"
            "Run the tests with `make test` (it installs and starts the local cluster) "
            "or set TEST_DATABASE_URL to a PostgreSQL + PostGIS server.",
            pytrace=False,
        )
    finally:
        admin.dispose()


def make_test_app(database_url: URL, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url.render_as_string(hide_password=False),
            "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        }
    )


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on a fresh test database whose schema the migrations built."""
    url = url_of_test_database()
    recreate_database(url)
    app = make_test_app(url, tmp_path_factory)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield app
    with app.app_context():
        db.engine.dispose()  # close pooled connections before the interpreter warns about them


def _session_scope() -> int | str:
    """Give each request its own session (as in production) and the test code one of its own."""
    try:
        return _app_ctx_id()
    except RuntimeError:
        return "test-code"


@pytest.fixture
def db_session(app: Flask) -> Iterator[Session]:
    """Run the test inside one transaction that is rolled back afterwards.

    Views and services commit as usual; their commits end savepoints inside the outer transaction.
    No app context stays pushed during the test, so every request gets a fresh one
    (and a fresh `g`).
    """
    with app.app_context():
        engine = db.engine
    connection = engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
        scopefunc=_session_scope,
    )
    try:
        yield db.session
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()


@pytest.fixture
def client(app: Flask, db_session: Session) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_user(db_session: Session):
    """Build a user with the given roles (password TEST_PASSWORD)."""
    counter = iter(range(1, 10_000))

    def build(*roles: str, username: str | None = None) -> User:
        name = username or f"{'-'.join(roles) or 'user'}{next(counter)}"
        return auth_services.create_user(
            db_session, name, TEST_PASSWORD, list(roles), display_name=name
        )

    return build


def log_in(client: FlaskClient, user: User) -> None:
    """Sign a test client in as the user, as the login page would."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def login_as(client: FlaskClient, make_user):
    """Sign the test client in as a new user holding the given roles; return the user."""

    def sign_in(*roles: str) -> User:
        user = make_user(*roles)
        log_in(client, user)
        return user

    return sign_in
