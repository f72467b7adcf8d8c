"""Replay an outbox exported from a phone (the last resort when a phone cannot send).

The file holds what the phone would have sent, in order; each entry goes through the same
services as the API, so a record already on the server is recognised by its UUID and nothing
is stored twice: patrols and findings with their photos, and self-inspections (the walk page)
with the photos of their checklist items, which only a safety officer may import.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.errors import N_, DomainError, NotFound, NotPermitted, ValidationError
from inspection.inspections import schemas as inspection_schemas
from inspection.inspections import services as inspection_services
from inspection.inspections.models import InspectionItem
from inspection.media.services import PhotoUpload, Storage, attach_photo
from inspection.patrols import schemas, services
from inspection.patrols.kinds import FINDING_KINDS, PATROL_KINDS, SIDES, WEATHER

_UUID = r"([0-9a-fA-F-]{36})"
_PATROL_END = re.compile(rf"^/api/v1/patrols/{_UUID}$")
_FINDING_PHOTOS = re.compile(rf"^/api/v1/findings/{_UUID}/photos$")
_ITEM_PHOTOS = re.compile(rf"^/api/v1/inspection-items/{_UUID}/photos$")
_INSPECTIONS = "/api/v1/inspections"
_INSPECTING = "inspections.work"  # the permission the inspection API asks for


@dataclass(frozen=True)
class Replay:
    """Who imports, and what the API would have known: the branch's day and time zone."""

    actor: User
    max_bytes: int
    today: date
    timezone: str


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
    session: Session,
    storage: Storage,
    entries: list[dict],
    *,
    actor: User,
    max_bytes: int,
    today: date,
    timezone: str,
) -> list[EntryResult]:
    """Replay each entry in order, each in its own savepoint; return what became of each.

    `today` and `timezone` are the branch's, as the API passes them to the inspections service.
    An entry the actor may not import is refused on its own; the others are still imported.
    """
    replay = Replay(actor=actor, max_bytes=max_bytes, today=today, timezone=timezone)
    results = []
    for index, entry in enumerate(entries, start=1):
        kind = "photo" if entry.get("kind") == "photo" else "record"
        label = str(entry.get("photo_uuid") if kind == "photo" else entry.get("uuid") or "")
        try:
            with session.begin_nested():
                if kind == "photo":
                    created = _replay_photo(session, storage, entry, replay)
                else:
                    created = _replay_record(session, entry, replay)
        except DomainError as error:
            results.append(EntryResult(index, kind, label, "refused", error))
            continue
        results.append(EntryResult(index, kind, label, "created" if created else "already stored"))
    return results


def _replay_photo(session: Session, storage: Storage, entry: dict, replay: Replay) -> bool:
    """Attach a photo to its finding or checklist item, as the photo API would."""
    # A finding's photo names only finding_uuid; a photo of anything else names the address
    # the phone sends it to. An address this import does not know is refused, not guessed.
    url = entry.get("url")
    item_photo = _ITEM_PHOTOS.match(str(url))
    finding_photo = _FINDING_PHOTOS.match(str(url))
    if item_photo:
        _require(replay.actor, _INSPECTING)
        parent = item_photo[1]
    elif finding_photo or not url:
        parent = finding_photo[1] if finding_photo else entry.get("finding_uuid")
    else:
        raise ValidationError(
            N_("This kind of entry cannot be imported: %(what)s."), what=f"POST {url}"
        )
    try:
        data = base64.b64decode(entry.get("bytes_base64") or "", validate=True)
        photo_uuid = uuid.UUID(str(entry.get("photo_uuid")))
        parent_uuid = uuid.UUID(str(parent))
    except (binascii.Error, ValueError):
        raise ValidationError(N_("The photo entry is damaged.")) from None
    if item_photo:
        owner = _inspection_item(session, parent_uuid)
    else:
        owner = services.get_finding(session, parent_uuid)
    taken_at = entry.get("exif_taken_at")
    upload = PhotoUpload(
        client_uuid=photo_uuid,
        data=data,
        stage=str(entry.get("stage") or "site"),
        checksum=entry.get("sha256") or None,
        exif_taken_at=str(taken_at)[:40] if taken_at else None,
        exif_lon=_number(entry.get("exif_lon")),
        exif_lat=_number(entry.get("exif_lat")),
    )
    return attach_photo(
        session, storage, upload, owner=owner, actor=replay.actor, max_bytes=replay.max_bytes
    ).created


def _replay_record(session: Session, entry: dict, replay: Replay) -> bool:
    method, url, body = entry.get("method"), entry.get("url"), entry.get("body")
    actor = replay.actor
    if method == "POST" and url == _INSPECTIONS:
        _require(actor, _INSPECTING)  # before the body: a crew member learns nothing else
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
    if method == "POST" and url == _INSPECTIONS:
        inspection = inspection_schemas.parse_inspection(body)
        return inspection_services.create_inspection(
            session, inspection, actor=actor, today=replay.today, timezone=replay.timezone
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


def _require(actor: User, permission: str) -> None:
    if not actor.can(permission):
        raise NotPermitted(N_("Only a safety officer may import self-inspections."))


def _inspection_item(session: Session, item_uuid: uuid.UUID) -> InspectionItem:
    """The checklist item a photo belongs to, refused as the photo API refuses it."""
    item = session.scalar(select(InspectionItem).where(InspectionItem.client_uuid == item_uuid))
    if item is None:
        raise NotFound(N_("There is no checklist item %(uuid)s."), uuid=str(item_uuid))
    if item.inspection.voided_at is not None:
        raise ValidationError(N_("This inspection was voided."))
    return item


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
