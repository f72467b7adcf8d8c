"""Local photo storage: keys by content hash, atomic idempotent writes, no escape from the root."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from inspection.media import storage
from inspection.media.storage import LocalStorage, Storage, content_key

SHA = hashlib.sha256(b"photo").hexdigest()


@pytest.fixture
def store(tmp_path):
    return LocalStorage(tmp_path / "media")


def test_local_storage_is_a_storage():
    assert isinstance(LocalStorage("/tmp/anywhere"), Storage)


def test_content_key_spreads_files_over_two_folder_levels():
    assert content_key(SHA, ".jpg") == f"{SHA[:2]}/{SHA[2:4]}/{SHA}.jpg"
    assert content_key(SHA.upper(), ".thumb.jpg") == f"{SHA[:2]}/{SHA[2:4]}/{SHA}.thumb.jpg"
    assert content_key(SHA, "") == f"{SHA[:2]}/{SHA[2:4]}/{SHA}"


@pytest.mark.parametrize("sha", ["", "abc", SHA[:-1], SHA + "0", "g" * 64, "../" + SHA[3:]])
def test_content_key_refuses_what_is_not_a_sha256(sha):
    with pytest.raises(ValueError, match="SHA-256"):
        content_key(sha, ".jpg")


@pytest.mark.parametrize("suffix", ["/x.jpg", ".jpg/../../x", "\\x", ".jpg\x00", "." + "j" * 40])
def test_content_key_refuses_suffixes_that_could_leave_the_folder(suffix):
    with pytest.raises(ValueError, match="suffix"):
        content_key(SHA, suffix)


def test_put_get_exists_and_path(store):
    key = content_key(SHA, ".jpg")
    assert not store.exists(key)

    store.put(key, b"photo")

    assert store.exists(key)
    assert store.get(key) == b"photo"
    assert store.path(key) == store.root / SHA[:2] / SHA[2:4] / f"{SHA}.jpg"
    assert store.path(key).read_bytes() == b"photo"


def test_stored_files_are_readable_by_a_web_server(store):
    key = content_key(SHA, ".jpg")
    store.put(key, b"photo")

    assert stat.S_IMODE(store.path(key).stat().st_mode) == storage.FILE_MODE


def test_get_of_a_missing_key_raises_file_not_found(store):
    with pytest.raises(FileNotFoundError):
        store.get(content_key(SHA, ".jpg"))


def test_putting_the_same_key_twice_is_harmless(store):
    key = content_key(SHA, ".jpg")

    store.put(key, b"photo")
    store.put(key, b"photo")

    assert store.get(key) == b"photo"
    assert sorted(p.name for p in store.path(key).parent.iterdir()) == [f"{SHA}.jpg"]


def test_put_writes_a_temp_file_beside_the_target_and_renames_it(store, monkeypatch):
    key = content_key(SHA, ".jpg")
    renames = []
    real_replace = os.replace

    def spy(source, target):
        renames.append((source, target, Path(source).read_bytes()))
        real_replace(source, target)

    monkeypatch.setattr(storage.os, "replace", spy)

    store.put(key, b"photo")

    [(source, target, written)] = renames
    assert os.path.dirname(source) == os.fspath(store.path(key).parent)
    assert source != os.fspath(target)
    assert os.fspath(target) == os.fspath(store.path(key))
    assert written == b"photo"


def test_a_failed_write_leaves_the_old_file_whole_and_no_temp_file(store, monkeypatch):
    key = content_key(SHA, ".jpg")
    store.put(key, b"old photo")

    def crash(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(storage.os, "replace", crash)

    with pytest.raises(OSError, match="disk full"):
        store.put(key, b"new photo, half written")

    assert store.get(key) == b"old photo"
    assert [p.name for p in store.path(key).parent.iterdir()] == [f"{SHA}.jpg"]


def test_a_failed_first_write_leaves_nothing_that_looks_stored(store, monkeypatch):
    key = content_key(SHA, ".jpg")
    monkeypatch.setattr(storage.os, "replace", lambda source, target: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        store.put(key, b"photo")

    assert not store.exists(key)
    assert list(store.path(key).parent.iterdir()) == []


@pytest.mark.parametrize(
    "key",
    [
        "../outside.jpg",
        "ab/../../outside.jpg",
        "ab/cd/../../../outside.jpg",
        "/etc/passwd",
        "",
        ".",
        "ab//cd.jpg",
        "ab/./cd.jpg",
        "ab/cd/",
        "ab\\..\\x.jpg",
        "ab/cd\x00.jpg",
    ],
)
def test_keys_that_escape_the_root_are_refused(store, key):
    for call in (store.get, store.exists, store.path, lambda k: store.put(k, b"x")):
        with pytest.raises(ValueError, match="key"):
            call(key)
    assert not (store.root.parent / "outside.jpg").exists()


def test_a_symlink_inside_the_root_cannot_lead_out(store, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    store.root.mkdir(parents=True)
    (store.root / "ab").symlink_to(outside)

    with pytest.raises(ValueError, match="outside the storage root"):
        store.put("ab/photo.jpg", b"x")

    assert list(outside.iterdir()) == []
