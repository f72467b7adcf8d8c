"""Replay an outbox exported from a phone (the last resort when a phone cannot send).

The file holds what the phone would have sent, in order; each entry goes through the same
services as the API, so a record already on the server is recognised by its UUID and nothing
is stored twice.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.errors import N_, DomainError, ValidationError
from inspection.media.services import PhotoUpload, Storage, attach_photo
from inspection.patrols import schemas, services
from inspection.patrols.kinds import FINDING_KINDS, PATROL_KINDS, SIDES, WEATHER

_PATROL_END = re.compile(r"^/api/v1/patrols/([0-9a-fA-F-]{36})$")


@dataclass(frozen=True)
class EntryResult:
    index: int
    kind: str
    uuid: str
    outcome: str  # "created", "already stored" or "refused"
    error: DomainError | None = None


def read_document(document: Any) -> list[dict]:
    """Return the entries of an exported outbox, refusing a file of another shape."""
    if not isinstance(document, dict) or document.get("version") != 1:
        raise ValidationError(N_("This is not an outbox file exported by the field pages."))
    entries = document.get("entries")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValidationError(N_("This is not an outbox file exported by the field pages."))
    return entries


def import_outbox(
    session: Session, storage: Storage, entries: list[dict], *, actor: User, max_bytes: int
) -> list[EntryResult]:
    """Replay each entry in order, each in its own savepoint; return what became of each."""
    results = []
    for index, entry in enumerate(entries, start=1):
        kind = "photo" if entry.get("kind") == "photo" else "record"
        label = str(entry.get("photo_uuid") if kind == "photo" else entry.get("uuid") or "")
        try:
            with session.begin_nested():
                created = _replay(session, storage, entry, actor=actor, max_bytes=max_bytes)
        except DomainError as error:
            results.append(EntryResult(index, kind, label, "refused", error))
            continue
        results.append(EntryResult(index, kind, label, "created" if created else "already stored"))
    return results


def _replay(
    session: Session, storage: Storage, entry: dict, *, actor: User, max_bytes: int
) -> bool:
    if entry.get("kind") == "photo":
        try:
            data = base64.b64decode(entry.get("bytes_base64") or "", validate=True)
            finding_uuid = uuid.UUID(str(entry.get("finding_uuid")))
            photo_uuid = uuid.UUID(str(entry.get("photo_uuid")))
        except (binascii.Error, ValueError):
            raise ValidationError(N_("The photo entry is damaged.")) from None
        finding = services.get_finding(session, finding_uuid)
        upload = PhotoUpload(
            client_uuid=photo_uuid,
            data=data,
            stage=str(entry.get("stage") or "site"),
            checksum=entry.get("sha256") or None,
            exif_taken_at=(entry.get("exif_taken_at") or None),
            exif_lon=_number(entry.get("exif_lon")),
            exif_lat=_number(entry.get("exif_lat")),
        )
        return attach_photo(
            session, storage, upload, owner=finding, actor=actor, max_bytes=max_bytes
        ).created
    method, url, body = entry.get("method"), entry.get("url"), entry.get("body")
    if not isinstance(body, dict):
        raise ValidationError(N_("The record entry is damaged."))
    if method == "POST" and url == "/api/v1/patrols":
        data = schemas.parse_patrol_start(body, PATROL_KINDS, WEATHER)
        return services.start_patrol(session, data, actor=actor).created
    if method == "POST" and url == "/api/v1/findings":
        data = schemas.parse_finding(body, FINDING_KINDS, SIDES)
        return services.submit_finding(
            session, data, actor=actor, user_agent="outbox import"
        ).created
    match = _PATROL_END.match(str(url))
    if method == "PATCH" and match:
        patrol = services.get_patrol(session, uuid.UUID(match[1]))
        already = patrol.ended_at is not None
        services.end_patrol(
            session, patrol.client_uuid, schemas.parse_patrol_end(body), actor=actor
        )
        return not already
    raise ValidationError(
        N_("This kind of entry cannot be imported: %(what)s."), what=f"{method} {url}"
    )


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
