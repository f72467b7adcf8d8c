"""Pavement condition survey campaigns, their evaluation units and the distress recorded."""

from __future__ import annotations

import uuid
from datetime import date, datetime

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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspection.auth.models import User
from inspection.db import Base, TimestampMixin, enum_check, utcnow
from inspection.geo import SRID
from inspection.network.models import Road
from inspection.patrols.models import VoidableMixin
from inspection.surveys.kinds import RecordFamily, SurveyMethod
from inspection.surveys.pavement_index import Pavement


class SurveyCampaign(TimestampMixin, Base):
    """A survey of some roads over a date range (路况调查, typically twice a year)."""

    __tablename__ = "survey_campaigns"
    __table_args__ = (
        enum_check("method", SurveyMethod),
        CheckConstraint("ends_on >= starts_on", name="dates"),
        CheckConstraint("unit_length_m > 0", name="unit_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date, index=True)
    method: Mapped[str] = mapped_column(String(16), default="visual")
    unit_length_m: Mapped[float] = mapped_column(Float, default=1000.0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User] = relationship()
    units: Mapped[list[SurveyUnit]] = relationship(
        back_populates="campaign",
        order_by="SurveyUnit.road_id, SurveyUnit.direction, SurveyUnit.seq",
    )


class SurveyUnit(Base):
    """An evaluation unit (评定单元): a stretch of one road and direction, usually 1000 m."""

    __tablename__ = "survey_units"
    __table_args__ = (
        UniqueConstraint(
            "campaign_id", "road_id", "direction", "seq", name="uq_survey_units_position"
        ),
        enum_check("pavement", Pavement),
        CheckConstraint("end_chainage > start_chainage", name="range"),
        CheckConstraint("width_m > 0", name="width"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id"), index=True)
    road_id: Mapped[int] = mapped_column(ForeignKey("roads.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))
    seq: Mapped[int] = mapped_column(Integer)
    start_chainage: Mapped[float] = mapped_column(Float)
    end_chainage: Mapped[float] = mapped_column(Float)
    # Nominal length (end − start stake, less any short-chain gap) that weights road-level means.
    length_m: Mapped[float] = mapped_column(Float)
    width_m: Mapped[float] = mapped_column(Float)
    pavement: Mapped[str] = mapped_column(String(12), default="asphalt")
    geom = mapped_column(Geometry("GEOMETRY", srid=SRID, spatial_index=True), nullable=False)
    geometry_version: Mapped[int] = mapped_column(Integer)

    campaign: Mapped[SurveyCampaign] = relationship(back_populates="units")
    road: Mapped[Road] = relationship()
    records: Mapped[list[SurveyRecord]] = relationship(
        back_populates="unit", order_by="SurveyRecord.id"
    )


class SurveyRecord(VoidableMixin, Base):
    """One distress (pavement, JTG 5210 §3a) or subgrade item (§3b) in a unit."""

    __tablename__ = "survey_records"
    __table_args__ = (
        enum_check("family", RecordFamily),
        CheckConstraint("quantity >= 0", name="quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Given by the phone or program that sent it, so a retried POST is the same record.
    client_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("survey_units.id"), index=True)
    family: Mapped[str] = mapped_column(String(12))
    item_code: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str | None] = mapped_column(String(8))
    quantity: Mapped[float] = mapped_column(Float)
    chainage: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    unit: Mapped[SurveyUnit] = relationship(back_populates="records")
