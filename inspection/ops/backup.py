"""Back up the database and the photo files together, and restore them into an empty place.

A backup is a folder with three files:

- ``database.dump``: ``pg_dump -Fc`` of the database, taken in an exported snapshot;
- ``media.tar``: every photo and thumbnail file that a photo row of that snapshot names;
- ``manifest.json``: the snapshot's row counts per table, each photo's SHA-256, each stored
  file's SHA-256, the hazard audit chains' heads and whether they verify, the migration head
  and the code's commit — written last, so a folder without it is not a finished backup.

The counts, hashes and audit heads are read inside the very snapshot that pg_dump dumps, so the
manifest describes the dump exactly even while crews keep uploading. Photos are stored files
first and row second (media.services), so every row of the snapshot already has its file.

A restore refuses a database that holds tables, or a media folder that holds files, unless
forced; then it runs pg_restore in one transaction, writes the files, and compares the restored
database and files with the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from inspection.config import PROJECT_ROOT
from inspection.media.storage import LocalStorage

FORMAT = "inspection-backup/1"
DUMP = "database.dump"
MEDIA = "media.tar"
MANIFEST = "manifest.json"
MAINTENANCE_DATABASE = "postgres"

# Tables of the database, without the ones an extension owns (PostGIS's spatial_ref_sys):
# the extension brings those along itself.
_TABLES = text(
    """
    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
    ORDER BY 1, 2
    """
)


class BackupError(RuntimeError):
    """A backup or restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    restored: dict[str, Any]
    mismatches: list[str]


def pg_tool(name: str) -> str:
    """Return the path of a PostgreSQL client program: PG_BIN, Debian's v15 folder, or PATH."""
    for folder in (os.environ.get("PG_BIN"), "/usr/lib/postgresql/15/bin"):
        if folder and (Path(folder) / name).is_file():
            return str(Path(folder) / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (PostgreSQL client programs are needed).")
    return found


def libpq_target(url: str | URL) -> tuple[str, dict[str, str]]:
    """Return a libpq URI without the password, and an environment carrying the password."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    uri = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _code_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def user_tables(connection: Connection) -> list[str]:
    """Return the database's own tables as ``schema.table``."""
    return [f"{schema}.{table}" for schema, table in connection.execute(_TABLES)]


def database_state(connection: Connection) -> dict[str, Any]:
    """Read what a manifest records of a database: counts, photos, audit heads, migration."""
    from inspection.hazards import services as hazards

    tables = {}
    for name in user_tables(connection):
        schema, table = name.split(".", 1)
        quoted = f'"{schema}"."{table}"'
        tables[name] = connection.scalar(text(f"SELECT count(*) FROM {quoted}"))
    head = connection.scalar(text("SELECT string_agg(version_num, ',') FROM alembic_version"))
    photos = connection.execute(
        text("SELECT client_uuid, content_key, thumbnail_key, sha256 FROM photos ORDER BY id")
    ).all()
    heads = connection.execute(
        text(
            "SELECT DISTINCT ON (hazard_id) hazard_id, seq, hash FROM hazard_events"
            " ORDER BY hazard_id, seq DESC"
        )
    ).all()
    with Session(bind=connection) as session:
        breaks = hazards.verify_audit_chains(session)
    return {
        "migration_head": head,
        "tables": tables,
        "photos": {
            str(uuid): {"sha256": sha, "content_key": key, "thumbnail_key": thumb}
            for uuid, key, thumb, sha in photos
        },
        "audit": {
            "intact": not breaks,
            "breaks": [f"hazard {b.hazard_id}: event {b.seq}: {b.reason}" for b in breaks],
            "heads": {str(h): {"events": seq, "hash": digest} for h, seq, digest in heads},
        },
    }


def _photo_keys(state: dict[str, Any]) -> list[str]:
    keys = set()
    for photo in state["photos"].values():
        keys.update((photo["content_key"], photo["thumbnail_key"]))
    return sorted(keys)


def create_backup(
    database_url: str,
    media_root: str | Path,
    out_dir: str | Path,
    *,
    say: Callable[[str], None] = print,
) -> Path:
    """Write a backup folder under out_dir and return its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = out_dir / f"backup-{stamp}"
    partial = out_dir / f".backup-{stamp}.partial"
    partial.mkdir()
    storage = LocalStorage(media_root)
    engine = create_engine(database_url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as connection:
            # One snapshot for the dump and for everything the manifest says about it.
            connection.execute(text("SET TRANSACTION READ ONLY"))
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            uri, env = libpq_target(database_url)
            dump = partial / DUMP
            done = subprocess.run(
                [pg_tool("pg_dump"), "-Fc", f"--snapshot={snapshot}", "-f", str(dump), "-d", uri],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
            state = database_state(connection)
            connection.rollback()
        files, missing = _archive_media(storage, _photo_keys(state), partial / MEDIA)
        if missing:
            raise BackupError(
                f"{len(missing)} photo file(s) named by the database are missing from "
                f"{storage.root}, e.g. {missing[0]}; nothing was backed up."
            )
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "code_commit": _code_commit(),
            "database": {
                "name": make_url(database_url).database,
                "dump": DUMP,
                "dump_sha256": _file_sha256(dump),
            },
            "media": {
                "archive": MEDIA,
                "archive_sha256": _file_sha256(partial / MEDIA),
                "files": files,
            },
            **state,
        }
        (partial / MANIFEST).write_text(
            json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        engine.dispose()
    if not state["audit"]["intact"]:
        say("warning: the audit chains do not verify in the backed-up database:")
        for line in state["audit"]["breaks"]:
            say(f"  {line}")
    say(
        f"backup {final}: {sum(state['tables'].values())} rows in {len(state['tables'])} tables,"
        f" {len(state['photos'])} photos, {len(files)} files,"
        f" {len(state['audit']['heads'])} audit chains"
    )
    return final


def _archive_media(
    storage: LocalStorage, keys: list[str], archive: Path
) -> tuple[dict[str, str], list[str]]:
    """Put the files under `keys` into a tar; return {key: sha256} and the keys with no file."""
    files: dict[str, str] = {}
    missing: list[str] = []
    with tarfile.open(archive, "w") as tar:
        for key in keys:
            path = storage.path(key)
            if not path.is_file():
                missing.append(key)
                continue
            data = path.read_bytes()
            files[key] = _sha256(data)
            info = tarfile.TarInfo(key)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = int(path.stat().st_mtime)
            tar.addfile(info, io.BytesIO(data))
    return files, missing


def read_manifest(backup: str | Path) -> dict[str, Any]:
    """Read a backup's manifest and check that its dump and archive are the ones it names."""
    backup = Path(backup)
    try:
        manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{backup} has no {MANIFEST}: not a finished backup.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{backup}: unknown backup format {manifest.get('format')!r}.")
    for name, expected in (
        (manifest["database"]["dump"], manifest["database"]["dump_sha256"]),
        (manifest["media"]["archive"], manifest["media"]["archive_sha256"]),
    ):
        if _file_sha256(backup / name) != expected:
            raise BackupError(f"{backup / name} is damaged: its SHA-256 is not the manifest's.")
    return manifest


def _prepare_database(database_url: str, *, force: bool) -> None:
    """Create the target database when missing; refuse one holding tables unless forced."""
    target = make_url(database_url)
    name = target.database
    if not name or name in {MAINTENANCE_DATABASE, "template0", "template1"}:
        raise BackupError(f"refusing to restore into database {name!r}.")
    admin = create_engine(target.set(database=MAINTENANCE_DATABASE), isolation_level="AUTOCOMMIT")
    quoted = admin.dialect.identifier_preparer.quote(name)
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if exists:
                check = create_engine(target)
                try:
                    with check.connect() as inside:
                        tables = user_tables(inside)
                finally:
                    check.dispose()
                if tables and not force:
                    raise BackupError(
                        f"database {name!r} is not empty ({len(tables)} tables, e.g. "
                        f"{tables[0]}); restore only into an empty database, or pass --force "
                        "to drop and re-create it."
                    )
                if tables:
                    connection.execute(text(f"DROP DATABASE {quoted} WITH (FORCE)"))
                    exists = False
            if not exists:
                connection.execute(text(f"CREATE DATABASE {quoted}"))
    finally:
        admin.dispose()


def _prepare_media(media_root: Path, *, force: bool) -> None:
    if media_root.exists() and not media_root.is_dir():
        raise BackupError(f"{media_root} is not a folder.")
    if media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*")) and not force:
        raise BackupError(
            f"the media folder {media_root} already holds files; restore only into an empty "
            "folder, or pass --force to add the backup's files to it."
        )
    media_root.mkdir(parents=True, exist_ok=True)


def restore_backup(
    backup: str | Path,
    database_url: str,
    media_root: str | Path,
    *,
    force: bool = False,
    say: Callable[[str], None] = print,
) -> RestoreResult:
    """Restore a backup into an empty database and media folder; compare them with the manifest."""
    backup = Path(backup)
    manifest = read_manifest(backup)
    media_root = Path(media_root)
    _prepare_media(media_root, force=force)
    _prepare_database(database_url, force=force)
    uri, env = libpq_target(database_url)
    done = subprocess.run(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            uri,
            str(backup / manifest["database"]["dump"]),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    storage = LocalStorage(media_root)
    expected_files = manifest["media"]["files"]
    with tarfile.open(backup / manifest["media"]["archive"]) as tar:
        for member in tar:
            if not member.isfile() or member.name not in expected_files:
                raise BackupError(f"unexpected entry {member.name!r} in the media archive.")
            data = tar.extractfile(member).read()
            if _sha256(data) != expected_files[member.name]:
                raise BackupError(f"{member.name} in the media archive is damaged.")
            storage.put(member.name, data)
    restored = verify_against(manifest, database_url, media_root)
    mismatches = restored.pop("mismatches")
    if mismatches:
        say(f"restore of {backup} does NOT match its manifest:")
        for line in mismatches:
            say(f"  {line}")
    else:
        say(
            f"restored {backup}: {sum(restored['tables'].values())} rows in"
            f" {len(restored['tables'])} tables, {len(restored['photos'])} photos,"
            f" {len(restored['files'])} files, {len(restored['audit']['heads'])} audit chains"
            f" ({'intact' if restored['audit']['intact'] else 'BROKEN'}); all match the manifest;"
            f" migration head {restored['migration_head']}"
        )
    return RestoreResult(manifest, restored, mismatches)


def verify_against(
    manifest: dict[str, Any], database_url: str, media_root: str | Path
) -> dict[str, Any]:
    """Read a database and media folder as a manifest would; add `mismatches` with the manifest."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            state = database_state(connection)
    finally:
        engine.dispose()
    storage = LocalStorage(media_root)
    state["files"] = {
        key: _file_sha256(storage.path(key))
        for key in _photo_keys(state)
        if storage.path(key).is_file()
    }
    state["mismatches"] = compare(manifest, state)
    return state


def compare(manifest: dict[str, Any], state: dict[str, Any]) -> list[str]:
    """List how a restored state differs from the manifest (empty: it matches)."""
    found: list[str] = []
    if state["migration_head"] != manifest["migration_head"]:
        found.append(f"migration head {state['migration_head']} ≠ {manifest['migration_head']}")
    for table in sorted(set(manifest["tables"]) | set(state["tables"])):
        want, got = manifest["tables"].get(table), state["tables"].get(table)
        if want != got:
            found.append(f"table {table}: {got} rows, the manifest says {want}")
    if state["photos"] != manifest["photos"]:
        want, got = manifest["photos"], state["photos"]
        changed = [u for u in set(want) & set(got) if want[u] != got[u]]
        found.append(
            f"photos differ: {len(set(want) - set(got))} missing, {len(set(got) - set(want))}"
            f" extra, {len(changed)} changed"
        )
    files = manifest["media"]["files"]
    for key in sorted(set(files) | set(state["files"])):
        if files.get(key) != state["files"].get(key):
            found.append(f"file {key}: sha256 {state['files'].get(key)}, manifest {files.get(key)}")
    for photo_uuid, photo in state["photos"].items():
        if state["files"].get(photo["content_key"]) != photo["sha256"]:
            found.append(f"photo {photo_uuid}: its file does not hash to the row's sha256")
    if state["audit"]["heads"] != manifest["audit"]["heads"]:
        found.append("the audit chains' heads differ from the manifest's")
    if state["audit"]["intact"] != manifest["audit"]["intact"]:
        found.append(
            f"audit chains verify: {state['audit']['intact']}, at backup time: "
            f"{manifest['audit']['intact']}"
        )
    return found
