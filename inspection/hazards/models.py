"""Safety hazards (安全隐患) and their append-only, hash-chained audit events."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspection.auth.models import User
from inspection.db import Base, TimestampMixin, enum_check
from inspection.geo import SRID
from inspection.hazards.workflow import HazardGrade, HazardSource, HazardState
from inspection.network.models import Road
from inspection.sites.models import Department, Site


class Hazard(TimestampMixin, Base):
    __tablename__ = "hazards"
    __table_args__ = (
        enum_check("state", HazardState),
        enum_check("grade", HazardGrade),
        enum_check("source", HazardSource),
        # At a road stake or at a site, exactly one (DESIGN §4b).
        CheckConstraint(
            "(site_id IS NULL) = (road_id IS NOT NULL)"
            " AND (road_id IS NULL) = (chainage IS NULL)"
            " AND (road_id IS NULL) = (direction IS NULL)",
            name="location",
        ),
        CheckConstraint(
            "(source = 'self_inspection') = (inspection_id IS NOT NULL)", name="inspection_source"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made by the phone that raised it, so a retried raise never makes a second hazard.
    client_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    # The ledger number people quote (YH-2026-0001); unique, given when raised.
    number: Mapped[str] = mapped_column(String(32), unique=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"), unique=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    grade: Mapped[str] = mapped_column(String(8))
    description: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(24), index=True)
    # Optimistic concurrency: every action names the version it saw; a stale one gets 409.
    version: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str] = mapped_column(String(24), index=True)
    # The self-inspection that raised it (source self_inspection).
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    # Where: a road stake (road, direction, chainage) or a site, with a note of where at it.
    road_id: Mapped[int | None] = mapped_column(ForeignKey("roads.id"), index=True)
    direction: Mapped[str | None] = mapped_column(String(8))
    chainage: Mapped[float | None] = mapped_column(Float)
    end_chainage: Mapped[float | None] = mapped_column(Float)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    location_note: Mapped[str] = mapped_column(String(256), default="", server_default="")
    # The stake's derived geometry, or the site's point (so maps and OGC show every hazard).
    geom = mapped_column(Geometry("GEOMETRY", srid=SRID, spatial_index=True), nullable=False)
    geometry_version: Mapped[int | None] = mapped_column(Integer)
    found_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    found_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    interim_measures: Mapped[str] = mapped_column(Text, default="")
    # The responsible unit (责任单位) is one of the branch's departments.
    responsible_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id"), index=True
    )
    responsible_person: Mapped[str] = mapped_column(String(64), default="")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    measures: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    road: Mapped[Road | None] = relationship()
    site: Mapped[Site | None] = relationship()
    responsible_department: Mapped[Department | None] = relationship()
    found_by: Mapped[User] = relationship(foreign_keys=[found_by_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    events: Mapped[list[HazardEvent]] = relationship(
        back_populates="hazard", order_by="HazardEvent.seq"
    )


class HazardEvent(Base):
    """One transition, never updated or deleted; `hash` chains the previous event's."""

    __tablename__ = "hazard_events"
    __table_args__ = (UniqueConstraint("hazard_id", "seq", name="uq_hazard_events_hazard_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazards.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    evidence: Mapped[list[str]] = mapped_column(JSONB, default=list)  # photo UUIDs
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    hazard: Mapped[Hazard] = relationship(back_populates="events")
    actor: Mapped[User] = relationship()
