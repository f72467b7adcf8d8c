"""Photos of findings, hazards (evidence), repairs (before and after), survey records,
self-inspection items, briefings and work zones."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from inspection.db import Base, enum_check, utcnow


class PhotoStage(StrEnum):
    """What a photo shows: the site as found, before the work, or after it."""

    site = "site"
    before = "before"
    after = "after"


class Photo(Base):
    __tablename__ = "photos"
    __table_args__ = (
        enum_check("stage", PhotoStage),
        CheckConstraint(
            "(finding_id IS NOT NULL)::int + (hazard_id IS NOT NULL)::int"
            " + (repair_id IS NOT NULL)::int + (survey_record_id IS NOT NULL)::int"
            " + (inspection_item_id IS NOT NULL)::int + (briefing_id IS NOT NULL)::int"
            " + (work_zone_id IS NOT NULL)::int = 1",
            name="one_owner",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"), index=True)
    hazard_id: Mapped[int | None] = mapped_column(ForeignKey("hazards.id"), index=True)
    repair_id: Mapped[int | None] = mapped_column(ForeignKey("repairs.id"), index=True)
    survey_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_records.id"), index=True
    )
    inspection_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspection_items.id"), index=True
    )
    briefing_id: Mapped[int | None] = mapped_column(ForeignKey("briefings.id"), index=True)
    work_zone_id: Mapped[int | None] = mapped_column(ForeignKey("work_zones.id"), index=True)
    stage: Mapped[str] = mapped_column(String(8), default="site")
    # Stored by content hash (media.storage.content_key); the same bytes are kept once.
    content_key: Mapped[str] = mapped_column(String(128))
    thumbnail_key: Mapped[str] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_sha256: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    # The photo's own EXIF time and position, kept beside the record's (OFFLINE.md rule 8).
    exif_taken_at: Mapped[str | None] = mapped_column(String(40))
    exif_lon: Mapped[float | None] = mapped_column(Float)
    exif_lat: Mapped[float | None] = mapped_column(Float)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
