"""Where photo files live: one small interface, a local folder by default (DESIGN.md §7a).

Keys are relative, '/'-separated names such as ``ab/cd/<sha256>.jpg`` (see content_key). An
S3-compatible store (e.g. MinIO) can implement the same Protocol when several hosts serve the app;
its path() returns None, and callers then stream get() instead of sending a file.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol, runtime_checkable

_SHA256 = re.compile(r"[0-9a-f]{64}")
_SUFFIX = re.compile(r"[A-Za-z0-9._-]{0,32}")
FILE_MODE = 0o644  # readable by a web server that sends the files itself


@runtime_checkable
class Storage(Protocol):
    """Store and fetch immutable blobs by key."""

    def put(self, key: str, data: bytes) -> None:
        """Store data under key atomically; putting the same key again is harmless."""
        ...

    def get(self, key: str) -> bytes:
        """Return the bytes under key; raise FileNotFoundError when there are none."""
        ...

    def exists(self, key: str) -> bool:
        """Return whether something is stored under key."""
        ...

    def path(self, key: str) -> Path | None:
        """Return a local file path for key when the store has one, else None."""
        ...

    def delete(self, key: str) -> None:
        """Remove what is stored under key; nothing there is not an error."""
        ...


def content_key(sha256: str, suffix: str) -> str:
    """Return the key ``ab/cd/<sha256><suffix>`` that spreads files over folders by content hash."""
    digest = sha256.lower()
    if not _SHA256.fullmatch(digest):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    if not _SUFFIX.fullmatch(suffix):
        raise ValueError(
            f"a key suffix may hold only letters, digits, '.', '_' and '-': {suffix!r}"
        )
    return f"{digest[:2]}/{digest[2:4]}/{digest}{suffix}"


class LocalStorage:
    """Keep blobs as files under a root folder."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()

    def put(self, key: str, data: bytes) -> None:
        """Write data to a temp file beside the target, fsync it, then rename it into place."""
        target = self._resolve(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Same folder as the target, so os.replace is an atomic rename on one file system:
        # a reader sees the old file or the whole new one, never a part written by a crash.
        fd, temp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(fd, "wb") as temp:
                temp.write(data)
                temp.flush()
                os.fsync(temp.fileno())
            os.chmod(temp_name, FILE_MODE)
            os.replace(temp_name, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
            raise
        _fsync_directory(target.parent)

    def get(self, key: str) -> bytes:
        """Return the file's bytes; raise FileNotFoundError when it is missing."""
        return self._resolve(key).read_bytes()

    def exists(self, key: str) -> bool:
        """Return whether the file exists."""
        return self._resolve(key).is_file()

    def path(self, key: str) -> Path:
        """Return the file's absolute path (it may not exist yet)."""
        return self._resolve(key)

    def delete(self, key: str) -> None:
        """Remove the file (used only to undo a put whose photo row was never written)."""
        with contextlib.suppress(FileNotFoundError):
            self._resolve(key).unlink()

    def _resolve(self, key: str) -> Path:
        """Return root/key, refusing keys that are absolute, odd or lead outside the root."""
        if not isinstance(key, str) or not key or "\\" in key or "\x00" in key:
            raise ValueError(f"invalid storage key: {key!r}")
        if key.startswith("/") or any(part in ("", ".", "..") for part in key.split("/")):
            raise ValueError(f"storage keys are relative paths without '.' or '..': {key!r}")
        target = (self.root / key).resolve()
        # resolve() follows symlinks, so a link inside the root cannot lead out of it either.
        if not target.is_relative_to(self.root) or target == self.root:
            raise ValueError(f"storage key leads outside the storage root: {key!r}")
        return target


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (a power cut must not undo a confirmed upload)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
