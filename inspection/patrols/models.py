"""Patrols and the findings crews record on them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from geoalchemy2 import Geometry
from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspection.auth.models import User
from inspection.db import Base, TimestampMixin, enum_check
from inspection.geo import SRID
from inspection.network.models import Road
from inspection.patrols.kinds import FindingKind, FindingStatus, LocationSource, PatrolKind

if TYPE_CHECKING:
    from inspection.fleet.models import Driver, Vehicle


class VoidableMixin:
    """Records are never deleted: a wrong one is voided with a reason, kept and excluded."""

    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    void_reason: Mapped[str | None] = mapped_column(Text)
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Patrol(TimestampMixin, VoidableMixin, Base):
    __tablename__ = "patrols"
    __table_args__ = (
        # Self-inspections are not patrols: they live in `inspections` (migration 0012).
        enum_check("kind", PatrolKind),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="times"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    road_id: Mapped[int] = mapped_column(ForeignKey("roads.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(24))
    crew: Mapped[str] = mapped_column(String(256), default="")
    # Free text before the fleet register (#15); kept readable on old patrols.
    vehicle: Mapped[str] = mapped_column(String(64), default="")
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id"), index=True)
    driver_id: Mapped[int | None] = mapped_column(ForeignKey("drivers.id"), index=True)
    weather: Mapped[str] = mapped_column(String(32), default="")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    start_chainage: Mapped[float | None] = mapped_column(Float)
    end_chainage: Mapped[float | None] = mapped_column(Float)
    patrolled_km: Mapped[float | None] = mapped_column(Float)
    # The raw GPS fixes at the start and the end, as the phone gave them (OFFLINE.md rule 8).
    start_lon: Mapped[float | None] = mapped_column(Float)
    start_lat: Mapped[float | None] = mapped_column(Float)
    start_accuracy_m: Mapped[float | None] = mapped_column(Float)
    end_lon: Mapped[float | None] = mapped_column(Float)
    end_lat: Mapped[float | None] = mapped_column(Float)
    end_accuracy_m: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # From the recorded track (inspection/tracks): points kept, the newest point's time, and the
    # length of the union of the covered intervals. Null km: no track, the typed figure stands.
    track_points: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    track_last_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    track_km: Mapped[float | None] = mapped_column(Float)

    road: Mapped[Road] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    findings: Mapped[list[Finding]] = relationship(back_populates="patrol")
    # The register's unit and driver (#15); `vehicle` is the free text older patrols hold.
    fleet_vehicle: Mapped[Vehicle | None] = relationship("Vehicle")
    driver: Mapped[Driver | None] = relationship("Driver")


class Finding(TimestampMixin, VoidableMixin, Base):
    __tablename__ = "findings"
    __table_args__ = (
        enum_check("kind", FindingKind),
        enum_check("status", FindingStatus),
        enum_check("location_source", LocationSource),
        CheckConstraint("quantity IS NULL OR quantity >= 0", name="quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    patrol_id: Mapped[int | None] = mapped_column(ForeignKey("patrols.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    # What was seen: JTG distress code / subgrade item, severity, quantity in the item's unit.
    item_code: Mapped[str | None] = mapped_column(String(32))
    severity: Mapped[str | None] = mapped_column(String(8))
    quantity: Mapped[float | None] = mapped_column(Float)
    quantity_unit: Mapped[str | None] = mapped_column(String(8))
    depth_mm: Mapped[float | None] = mapped_column(Float)
    count: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    onsite_action: Mapped[str] = mapped_column(Text, default="")
    # Where: the road and stake(s) people confirmed, and the raw GPS fix as the phone gave it.
    road_id: Mapped[int] = mapped_column(ForeignKey("roads.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))
    side: Mapped[str | None] = mapped_column(String(8))
    lane: Mapped[str] = mapped_column(String(32), default="")
    chainage: Mapped[float] = mapped_column(Float)
    end_chainage: Mapped[float | None] = mapped_column(Float)
    stake_text: Mapped[str] = mapped_column(String(40), default="")
    location_source: Mapped[str] = mapped_column(String(8))
    gps_lon: Mapped[float | None] = mapped_column(Float)
    gps_lat: Mapped[float | None] = mapped_column(Float)
    gps_accuracy_m: Mapped[float | None] = mapped_column(Float)
    gps_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    offset_m: Mapped[float | None] = mapped_column(Float)
    # Derived from road + stake(s); recomputed when the road changes (`flask roads recompute`).
    geom = mapped_column(Geometry("GEOMETRY", srid=SRID, spatial_index=True), nullable=False)
    geometry_version: Mapped[int] = mapped_column(Integer)
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    user_agent: Mapped[str] = mapped_column(String(256), default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    patrol: Mapped[Patrol | None] = relationship(back_populates="findings")
    road: Mapped[Road] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
