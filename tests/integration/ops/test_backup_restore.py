"""Backup and restore round trip: counts, photo hashes and the audit chains come back the same.

pg_dump sees only committed rows, so these tests commit into databases of their own (the test
database's name with `_bsrc` / `_brst` added), not into the rolled-back test transaction.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from inspection import create_app
from inspection.auth.models import User
from inspection.demo import load_demo
from inspection.extensions import db
from inspection.hazards.models import Hazard
from inspection.media.services import PhotoUpload, attach_photo, storage_for
from inspection.ops import backup as ops
from inspection.patrols.models import Finding
from tests.conftest import recreate_database, url_of_test_database
from tests.integration.helpers import jpeg_bytes


def _url(suffix: str) -> str:
    base = url_of_test_database()
    return base.set(database=f"{base.database}_{suffix}").render_as_string(hide_password=False)


def _drop(url: str) -> None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A migrated database with the demo records, and photos of findings and hazards."""
    url = _url("bsrc")
    recreate_database(url_of_test_database().set(database=url.rsplit("/", 1)[1]))
    media = tmp_path_factory.mktemp("media_src")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": url,
            "MEDIA_ROOT": str(media),
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
        session = db.session
        load_demo(session)
        storage = storage_for(media)
        owners = [
            *session.scalars(select(Finding).order_by(Finding.id).limit(3)),
            *session.scalars(select(Hazard).order_by(Hazard.id).limit(2)),
        ]
        for number, owner in enumerate(owners):
            author = owner.created_by_id if isinstance(owner, Finding) else owner.found_by_id
            actor = session.get(User, author)
            upload = PhotoUpload(uuid.uuid4(), jpeg_bytes(colour=(10 * number, 90, 200)))
            attach_photo(session, storage, upload, owner=owner, actor=actor)
        session.commit()
        db.engine.dispose()
    yield url, media
    _drop(url)


@pytest.fixture
def target(tmp_path):
    url = _url("brst")
    _drop(url)
    yield url, tmp_path / "media_restored"
    _drop(url)


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        state = ops.database_state(connection)
    engine.dispose()
    return state


def test_round_trip_keeps_counts_photo_hashes_and_audit_chains(source, target, tmp_path):
    source_url, source_media = source
    target_url, target_media = target
    folder = ops.create_backup(source_url, source_media, tmp_path / "backups", say=lambda _: None)
    manifest = ops.read_manifest(folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar",
    ]
    assert manifest["tables"]["public.photos"] == 5
    assert manifest["tables"]["public.hazard_events"] > 0
    assert manifest["audit"]["intact"] and manifest["audit"]["heads"]
    assert len(manifest["media"]["files"]) == 10  # each photo and its thumbnail

    result = ops.restore_backup(folder, target_url, target_media, say=lambda _: None)
    assert result.mismatches == []

    before, after = _counts(source_url), _counts(target_url)
    assert after["tables"] == before["tables"]
    assert after["photos"] == before["photos"]
    assert after["audit"] == before["audit"] and after["audit"]["intact"]
    for photo in after["photos"].values():
        data = (target_media / photo["content_key"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == photo["sha256"]
        assert data == (source_media / photo["content_key"]).read_bytes()


def test_restore_refuses_a_database_with_tables_unless_forced(source, target, tmp_path):
    source_url, source_media = source
    target_url, target_media = target
    folder = ops.create_backup(source_url, source_media, tmp_path / "backups", say=lambda _: None)
    ops.restore_backup(folder, target_url, target_media, say=lambda _: None)
    with pytest.raises(ops.BackupError, match="not empty"):
        ops.restore_backup(folder, target_url, tmp_path / "other_media", say=lambda _: None)
    with pytest.raises(ops.BackupError, match="already holds files"):
        ops.restore_backup(folder, target_url, target_media, say=lambda _: None)
    forced = ops.restore_backup(folder, target_url, target_media, force=True, say=lambda _: None)
    assert forced.mismatches == []


def test_a_changed_audit_event_or_photo_file_after_restore_is_reported(source, target, tmp_path):
    source_url, source_media = source
    target_url, target_media = target
    folder = ops.create_backup(source_url, source_media, tmp_path / "backups", say=lambda _: None)
    manifest = ops.restore_backup(folder, target_url, target_media, say=lambda _: None).manifest
    engine = create_engine(target_url)
    with Session(engine) as session:
        session.execute(text("UPDATE hazard_events SET note = note || ' (edited)' WHERE seq = 1"))
        session.commit()
    engine.dispose()
    key = next(iter(manifest["photos"].values()))["content_key"]
    (target_media / key).write_bytes(b"not the photo")
    mismatches = ops.verify_against(manifest, target_url, target_media)["mismatches"]
    assert any("audit chains verify" in line for line in mismatches)
    assert any(line.startswith(f"file {key}") for line in mismatches)


def test_a_damaged_backup_is_refused_before_anything_is_restored(source, target, tmp_path):
    source_url, source_media = source
    target_url, target_media = target
    folder = ops.create_backup(source_url, source_media, tmp_path / "backups", say=lambda _: None)
    damaged = tmp_path / "damaged"
    shutil.copytree(folder, damaged)
    with (damaged / "media.tar").open("r+b") as archive:
        archive.seek(600)
        archive.write(b"\x00\x01\x02")
    with pytest.raises(ops.BackupError, match="damaged"):
        ops.restore_backup(damaged, target_url, target_media, say=lambda _: None)
    assert not Path(target_media).exists() or not any(Path(target_media).iterdir())
