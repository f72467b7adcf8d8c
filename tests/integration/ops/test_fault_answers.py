"""Faults the phone's outbox must be told to retry: a full disk, a busy pool, a database away.

Each is a 5xx with a clear message (and Retry-After), never a 500 or a hang; a refused photo
leaves neither a row nor a file.
"""

from __future__ import annotations

import errno
import hashlib
import io
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from inspection import create_app
from inspection.extensions import db
from inspection.media.models import Photo
from inspection.media.storage import LocalStorage
from tests.conftest import url_of_test_database
from tests.integration.helpers import jpeg_bytes, new_uuid

# Nothing listens here: a port of this helper's own range (55400-55499), never a shared cluster.
DEAD_URL = "postgresql+psycopg://postgres@127.0.0.1:55419/inspection"


def _files(root: str) -> set[Path]:
    return {p for p in Path(root).rglob("*") if p.is_file()}


@pytest.fixture
def finding(client, roads, crew):
    _, headers = crew()
    body = {
        "client_uuid": new_uuid(),
        "kind": "pothole",
        "road": "G30",
        "direction": "up",
        "stake": "K3505+120",
        "quantity": 1.5,
        "depth_mm": 40,
        "observed_at": "2026-05-01T10:30:00+08:00",
    }
    answer = client.post("/api/v1/findings", json=body, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json(), headers


def _post_photo(client, finding_uuid, headers, photo_uuid, data):
    return client.post(
        f"/api/v1/findings/{finding_uuid}/photos",
        data={
            "photo_uuid": photo_uuid,
            "sha256": hashlib.sha256(data).hexdigest(),
            "photo": (io.BytesIO(data), "p.jpg", "image/jpeg"),
        },
        headers=headers,
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("full_at", ["photo", "thumbnail"])
def test_a_full_disk_refuses_the_photo_with_507_and_keeps_no_row_nor_file(
    app, client, finding, db_session, monkeypatch, english, full_at
):
    record, headers = finding
    real_put = LocalStorage.put

    def put(self, key, data):
        if full_at == "photo" or key.endswith(".thumb.jpg"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_put(self, key, data)

    media = app.config["MEDIA_ROOT"]
    before = _files(media)
    monkeypatch.setattr(LocalStorage, "put", put)
    photo_uuid, data = new_uuid(), jpeg_bytes(colour=(201, 13, 77 if full_at == "photo" else 78))
    refused = _post_photo(client, record["uuid"], headers, photo_uuid, data)
    assert refused.status_code == 507
    assert refused.headers["Retry-After"].isdigit()
    error = refused.get_json()["error"]
    assert error["code"] == "storage_full"
    assert "storage is full" in error["message"]
    assert db_session.scalar(select(func.count()).select_from(Photo)) == 0
    assert _files(media) == before  # the photo written before the thumbnail failed is gone

    monkeypatch.setattr(LocalStorage, "put", real_put)
    again = _post_photo(client, record["uuid"], headers, photo_uuid, data)
    assert again.status_code == 201
    assert again.get_json()["uuid"] == photo_uuid
    assert len(_files(media) - before) == 2


def test_a_failed_put_keeps_files_another_photo_row_names(
    app, client, finding, db_session, monkeypatch, english
):
    record, headers = finding
    data = jpeg_bytes(colour=(3, 200, 40))
    assert _post_photo(client, record["uuid"], headers, new_uuid(), data).status_code == 201
    kept = _files(app.config["MEDIA_ROOT"])

    def put(self, key, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(LocalStorage, "put", put)
    # The same bytes under a new UUID: its files exist already and belong to the first photo.
    refused = _post_photo(client, record["uuid"], headers, new_uuid(), data)
    assert refused.status_code == 507
    assert _files(app.config["MEDIA_ROOT"]) == kept


def _app_on(url: str, **engine):
    options = {"pool_pre_ping": True, "connect_args": {"connect_timeout": 2}, **engine}
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": options,
        }
    )


def test_an_exhausted_pool_answers_503_with_retry_after_quickly():
    url = url_of_test_database().set(database="postgres").render_as_string(hide_password=False)
    busy = _app_on(url, pool_size=1, max_overflow=0, pool_timeout=1)
    client = busy.test_client()
    with busy.app_context():
        held = db.engine.connect()  # the pool's only connection, kept busy
    try:
        started = time.monotonic()
        answer = client.get("/api/v1/findings", headers={"Authorization": "Bearer x" * 3})
        waited = time.monotonic() - started
        assert answer.status_code == 503
        assert answer.headers["Retry-After"] == "2"
        assert answer.get_json()["error"]["code"] == "database_busy"
        assert waited < 2.5  # the pool's timeout, then the answer: no hang
        with client.session_transaction() as session:
            session["_user_id"] = "1"  # a signed-in person: loading the user needs the database
        page = client.get("/findings/")
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "2"
        assert "<h1>503</h1>" in page.get_data(as_text=True)
    finally:
        held.close()
        with busy.app_context():
            db.engine.dispose()
    with busy.app_context():
        db.engine.dispose()


def test_a_database_that_cannot_be_reached_answers_503_with_retry_after():
    away = _app_on(DEAD_URL)
    client = away.test_client()
    started = time.monotonic()
    answer = client.get("/api/v1/findings", headers={"Authorization": "Bearer xyz"})
    assert time.monotonic() - started < 3
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert answer.get_json()["error"]["code"] == "database_unavailable"
    with client.session_transaction() as session:
        session["_user_id"] = "1"
    page = client.get("/hazards/")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    with away.app_context():
        db.engine.dispose()


def test_a_connection_that_died_mid_request_does_not_turn_the_answer_into_a_500(app, monkeypatch):
    # PostgreSQL restarted under the request: the rollback that closing its session sends fails.
    real_close = Session.close
    failed = []

    def close(self):
        if not failed:
            failed.append(True)
            raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))
        return real_close(self)

    monkeypatch.setattr(Session, "close", close)
    client = app.test_client()  # TESTING propagates errors: one raised in a teardown would show
    assert client.get("/healthz").status_code == 200
    assert failed
    assert client.get("/healthz").status_code == 200  # the next request gets a sound session
