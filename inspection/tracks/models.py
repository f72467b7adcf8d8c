"""Patrol tracks: the GPS points a phone recorded, where they lie on the network, and the
chainage intervals of road they cover."""

from __future__ import annotations

import uuid
from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Uuid,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspection.db import Base, enum_check
from inspection.geo import SRID
from inspection.tracks.kinds import TravelDirection


class TrackBatch(Base):
    """One batch of points as the phone sent it; its UUID makes a retried batch a no-op."""

    __tablename__ = "track_batches"
    __table_args__ = (CheckConstraint("last_at >= first_at", name="times"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrols.id"), index=True)
    point_count: Mapped[int] = mapped_column(Integer)
    # Points the phone sent that the server did not keep (too inaccurate, too fast).
    dropped_count: Mapped[int] = mapped_column(Integer, default=0)
    # Points the phone itself dropped before sending (too inaccurate, too fast), as it says.
    phone_dropped_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    first_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class TrackPoint(Base):
    """A GPS point as the phone gave it (OFFLINE.md rule 8), and the road place it matched."""

    __tablename__ = "track_points"
    __table_args__ = (
        Index("ix_track_points_patrol_recorded", "patrol_id", "recorded_at", unique=True),
        CheckConstraint("lon BETWEEN -180 AND 180 AND lat BETWEEN -90 AND 90", name="lonlat"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrols.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("track_batches.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float] = mapped_column(Float)
    speed_mps: Mapped[float | None] = mapped_column(Float)
    heading_deg: Mapped[float | None] = mapped_column(Float)
    # The match: null when no road lies within MATCH_DISTANCE_M.
    road_id: Mapped[int | None] = mapped_column(ForeignKey("roads.id"))
    measure: Mapped[float | None] = mapped_column(Float)
    chainage: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)


class CoveredInterval(Base):
    """A stretch of one road (carriageway) a patrol drove continuously, in centreline metres.

    Measures, not chainage, so that chain breaks never bend the arithmetic; the stakes at
    both ends are kept for display. `geom` is the road's centreline between them.
    """

    __tablename__ = "covered_intervals"
    __table_args__ = (
        enum_check("travel_direction", TravelDirection),
        CheckConstraint("to_measure >= from_measure", name="measures"),
        CheckConstraint("ended_at >= started_at", name="times"),
        Index("ix_covered_intervals_road_ended", "road_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrols.id"), index=True)
    road_id: Mapped[int] = mapped_column(ForeignKey("roads.id"))
    travel_direction: Mapped[str] = mapped_column(String(8))
    from_measure: Mapped[float] = mapped_column(Float)
    to_measure: Mapped[float] = mapped_column(Float)
    from_chainage: Mapped[float] = mapped_column(Float)
    to_chainage: Mapped[float] = mapped_column(Float)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    point_count: Mapped[int] = mapped_column(Integer)
    # True while the patrol's newest point belongs to it: the next batch may extend it.
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    geometry_version: Mapped[int] = mapped_column(Integer)
    geom = mapped_column(Geometry("GEOMETRY", srid=SRID, spatial_index=True), nullable=False)

    road = relationship("Road")


class PatrolFrequency(Base):
    """How often a road class must be patrolled (every N days), as the branch set it."""

    __tablename__ = "patrol_frequencies"
    __table_args__ = (CheckConstraint("every_days BETWEEN 1 AND 365", name="every_days"),)

    road_class: Mapped[str] = mapped_column(String(16), primary_key=True)
    every_days: Mapped[int] = mapped_column(Integer)
    # False while the value is the shipped default nobody at the branch has confirmed.
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
