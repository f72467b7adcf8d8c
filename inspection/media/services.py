"""Attach photos to records: validate, store by content hash, idempotent by the photo's UUID."""

from __future__ import annotations

import errno
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.errors import N_, NotPermitted, StorageFull, UuidTaken, ValidationError
from inspection.media.images import process_upload
from inspection.media.models import Photo
from inspection.media.storage import LocalStorage, Storage, content_key

STAGES = ("site", "before", "after")


@dataclass(frozen=True)
class PhotoUpload:
    """A photo as the phone sends it: bytes, its UUID, and what the phone read before resizing."""

    client_uuid: uuid.UUID
    data: bytes
    stage: str = "site"
    checksum: str | None = None  # the client's SHA-256 of `data`, to catch a damaged transfer
    exif_taken_at: str | None = None
    exif_lon: float | None = None
    exif_lat: float | None = None


@dataclass(frozen=True)
class SavedPhoto:
    photo: Photo
    created: bool


def storage_for(root: str | Path) -> Storage:
    """Return the configured photo storage (a local folder; an object store can stand in)."""
    return LocalStorage(Path(root))


# The photo column that names each kind of owner, by the owner's table.
OWNER_COLUMNS = {
    "findings": "finding_id",
    "hazards": "hazard_id",
    "repairs": "repair_id",
    "survey_records": "survey_record_id",
    "inspection_items": "inspection_item_id",
    "briefings": "briefing_id",
    "work_zones": "work_zone_id",
}
# Owners whose photos the crew-safety readers (crew.read) may see as well as the records'.
CREW_OWNER_COLUMNS = ("briefing_id", "work_zone_id")


def may_add_photo(owner, actor: User, stage: str) -> bool:
    """Tell whether the user may add a photo to a record: only someone who may edit it.

    A finding or repair: its author or a safety officer. A survey record: its author or a
    manager. A checklist item: safety officers (who run inspections). A hazard: its "after"
    evidence only the assignee or a safety officer; other photos its reporter, the assignee or
    a safety officer. A briefing or a work zone (#16): its recorder or a safety officer.
    """
    table = owner.__tablename__
    officer = actor.can("hazards.officer")
    if table in ("findings", "repairs", "briefings", "work_zones"):
        return officer or owner.created_by_id == actor.id
    if table == "survey_records":
        return actor.can("surveys.manage") or owner.created_by_id == actor.id
    if table == "inspection_items":
        return actor.can("inspections.work")
    if table == "hazards":
        allowed = (
            {owner.assignee_id} if stage == "after" else {owner.assignee_id, owner.found_by_id}
        )
        return officer or actor.id in allowed
    return False


# A full disk or an exhausted quota: the photo is refused and the outbox sends it again later.
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT}


def _store_files(session: Session, storage: Storage, files) -> None:
    """Put the files before the row is written, so no row ever names a missing file.

    Each put is atomic (temp file, fsync, rename). When one fails for want of room, the files
    this call created are removed again unless a photo row already names them, so a refused
    photo leaves no file behind either. A crash between the files and the row's commit leaves
    files no row names; the outbox's retry sends the same bytes, which get the same
    content-addressed keys, and its row then names them.
    """
    created: list[str] = []
    try:
        for key, data in files:
            existed = storage.exists(key)
            storage.put(key, data)
            if not existed:
                created.append(key)
    except OSError as error:
        if error.errno not in _NO_ROOM:
            raise
        for key in created:
            named = session.scalar(
                select(Photo.id)
                .where((Photo.content_key == key) | (Photo.thumbnail_key == key))
                .limit(1)
            )
            if named is None:
                storage.delete(key)
        raise StorageFull(
            N_(
                "The server's photo storage is full, so the photo was not saved. It stays on "
                "the phone and will be sent again later."
            )
        ) from error


def attach_photo(
    session: Session,
    storage: Storage,
    upload: PhotoUpload,
    *,
    owner,
    actor: User,
    max_bytes: int = 25 * 1024 * 1024,
) -> SavedPhoto:
    """Validate and store a photo of a record (finding, hazard, repair, survey record,
    checklist item, briefing, work zone), if the actor may edit the record (403 otherwise,
    nothing stored).

    A repeated UUID returns the photo already stored.
    """
    column = OWNER_COLUMNS[owner.__tablename__]
    existing = session.scalar(select(Photo).where(Photo.client_uuid == upload.client_uuid))
    if existing is not None:
        if existing.uploaded_by_id != actor.id or getattr(existing, column) != owner.id:
            raise UuidTaken(N_("This photo UUID belongs to another photo."))
        return SavedPhoto(existing, False)
    if not may_add_photo(owner, actor, upload.stage):
        raise NotPermitted(N_("Only someone who may edit this record may add photos to it."))
    if getattr(owner, "voided_at", None) is not None:
        raise ValidationError(N_("This record was voided; photos cannot be added."))
    if upload.stage not in STAGES:
        raise ValidationError(
            N_("Some fields are not valid."), fields={"stage": N_("Not one of the allowed values.")}
        )
    if upload.checksum and hashlib.sha256(upload.data).hexdigest() != upload.checksum.lower():
        raise ValidationError(
            N_("The photo arrived damaged (its checksum does not match); it will be sent again."),
            fields={"photo": N_("Damaged in transfer.")},
        )
    image = process_upload(upload.data, max_bytes=max_bytes)
    key = content_key(image.sha256, ".jpg")
    thumbnail_key = content_key(hashlib.sha256(image.thumbnail).hexdigest(), ".thumb.jpg")
    # Uploads of the same bytes wait for each other until commit: one refused for want of room
    # then never removes a file that another's row, not yet committed, is about to name.
    session.execute(select(func.pg_advisory_xact_lock(func.hashtext("photo:" + image.sha256))))
    _store_files(session, storage, ((key, image.content), (thumbnail_key, image.thumbnail)))
    photo = Photo(
        client_uuid=upload.client_uuid,
        **{column: owner.id},
        stage=upload.stage,
        content_key=key,
        thumbnail_key=thumbnail_key,
        sha256=image.sha256,
        original_sha256=image.original_sha256,
        mime=image.mime,
        width=image.width,
        height=image.height,
        size_bytes=len(image.content),
        # The phone's reading wins: it read EXIF before resizing dropped it.
        exif_taken_at=upload.exif_taken_at or image.exif.taken_at,
        exif_lon=upload.exif_lon if upload.exif_lon is not None else image.exif.lon,
        exif_lat=upload.exif_lat if upload.exif_lat is not None else image.exif.lat,
        uploaded_by_id=actor.id,
    )
    try:
        with session.begin_nested():
            session.add(photo)
            session.flush()
    except IntegrityError:
        existing = session.scalar(select(Photo).where(Photo.client_uuid == upload.client_uuid))
        if existing is None:
            raise
        return SavedPhoto(existing, False)
    return SavedPhoto(photo, True)


def photos_of(session: Session, owner) -> list[Photo]:
    """Return the photos of a record (any owner kind of OWNER_COLUMNS), oldest first."""
    column = getattr(Photo, OWNER_COLUMNS[owner.__tablename__])
    return list(session.scalars(select(Photo).where(column == owner.id).order_by(Photo.id)))


def is_crew_photo_key(session: Session, key: str) -> bool:
    """Tell whether a stored file (photo or thumbnail) belongs to a briefing or work zone photo,
    which crew-safety readers (crew.read, e.g. the machinery officer) may see."""
    owned = or_(*(getattr(Photo, c).is_not(None) for c in CREW_OWNER_COLUMNS))
    named = or_(Photo.content_key == key, Photo.thumbnail_key == key)
    return session.scalar(select(Photo.id).where(named, owned).limit(1)) is not None
