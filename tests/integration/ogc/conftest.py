"""Fixtures of the OGC and map tests: seeded records, and a served app on a committed database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import WSGIRequestHandler, make_server

from inspection.auth import services as auth_services
from inspection.extensions import db
from tests.conftest import make_test_app, recreate_database, url_of_test_database
from tests.integration.ogc.seed import seed_world


@pytest.fixture
def world(db_session) -> dict:
    """The demo roads with findings, hazards (one overdue), repairs and a survey (rolled back)."""
    return seed_world(db_session)


@pytest.fixture
def reader(world, db_session) -> dict[str, str]:
    """Bearer headers of a manager, who may read every record."""
    token = auth_services.issue_token(db_session, world["manager"]).token
    return {"Authorization": f"Bearer {token}"}


class QuietHandler(WSGIRequestHandler):
    """Log no line per request: schemathesis and GDAL send thousands."""

    def log_request(self, code="-", size="-") -> None:
        pass


@dataclass
class Live:
    app: Flask
    url: str
    token: str


def serve_committed(
    tmp_path_factory: pytest.TempPathFactory, suffix: str, roles: list[str]
) -> Iterator[Live]:
    """Serve the app from a thread on its own committed, seeded database (name ends `suffix`)."""
    url = url_of_test_database()
    url = url.set(database=f"{url.database}_{suffix}")
    recreate_database(url)
    app = make_test_app(url, tmp_path_factory)
    with app.app_context():
        upgrade()
        seed_world(db.session, prefix=suffix)
        user = auth_services.create_user(
            db.session, f"{suffix}.client", "client-password-1", roles, display_name="client"
        )
        token = auth_services.issue_token(db.session, user).token
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(app, f"http://127.0.0.1:{server.server_port}", token)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[Live]:
    """The app served on a committed database that a manager's API token may read."""
    yield from serve_committed(tmp_path_factory, "ogclive", ["manager"])
