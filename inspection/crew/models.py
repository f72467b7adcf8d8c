"""Pre-shift briefings, pre-trip checks of driver and vehicle, and work zones (#16)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspection.crew.kinds import NAME_LENGTH, TEXT_LENGTH, AlcoholResult, ZoneDevice, ZonePart
from inspection.db import Base, TimestampMixin, enum_check
from inspection.patrols.models import VoidableMixin


class CrewSafetySettings(Base):
    """The branch's thresholds and retention period (one row)."""

    __tablename__ = "crew_safety_settings"
    __table_args__ = (
        CheckConstraint("id", name="one_row"),
        CheckConstraint(
            "alcohol_drink_mg > 0 AND alcohol_drunk_mg >= alcohol_drink_mg", name="alcohol"
        ),
        CheckConstraint(
            "systolic_max BETWEEN 100 AND 250 AND diastolic_max BETWEEN 60 AND 150",
            name="blood_pressure",
        ),
        CheckConstraint("retention_days BETWEEN 30 AND 3650", name="retention"),
    )

    id: Mapped[bool] = mapped_column(Boolean, primary_key=True, default=True)
    alcohol_drink_mg: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    alcohol_drunk_mg: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    systolic_max: Mapped[int] = mapped_column(SmallInteger)
    diastolic_max: Mapped[int] = mapped_column(SmallInteger)
    retention_days: Mapped[int] = mapped_column(Integer)


class BriefingTopic(TimestampMixin, Base):
    """A topic of the pre-shift briefing from the branch's list."""

    __tablename__ = "briefing_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Briefing(TimestampMixin, VoidableMixin, Base):
    """A 5-minute pre-shift briefing (岗前5分钟培训): when, where, who led, the topic, who came."""

    __tablename__ = "briefings"
    __table_args__ = (CheckConstraint("topic_id IS NOT NULL OR topic_text <> ''", name="topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    held_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # The crew (its words) and, when it met at one, the site or the road stake.
    crew: Mapped[str] = mapped_column(String(256), default="", server_default="")
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    place: Mapped[str] = mapped_column(String(NAME_LENGTH), default="", server_default="")
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    leader_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("briefing_topics.id"))
    topic_text: Mapped[str] = mapped_column(String(TEXT_LENGTH), default="", server_default="")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    attendees: Mapped[list[BriefingAttendee]] = relationship(
        back_populates="briefing", order_by="BriefingAttendee.id"
    )


class BriefingAttendee(Base):
    """Someone at a briefing: a user, or a name (a temporary worker has no account)."""

    __tablename__ = "briefing_attendees"
    __table_args__ = (UniqueConstraint("briefing_id", "user_id", name="briefing_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(ForeignKey("briefings.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))

    briefing: Mapped[Briefing] = relationship(back_populates="attendees")


class PretripCheck(TimestampMixin, VoidableMixin, Base):
    """The check before a trip (出车前检查): the vehicle's checklist, the driver's alcohol and BP.

    The readings are personal data: after the retention period they are erased
    (`values_erased_at` set, the readings null) and only the results stay. The thresholds the
    results were judged by are stored with them, so a later change of the settings does not
    change a past result.
    """

    __tablename__ = "pretrip_checks"
    __table_args__ = (
        CheckConstraint(
            "values_erased_at IS NOT NULL OR (alcohol_mg IS NOT NULL"
            " AND systolic IS NOT NULL AND diastolic IS NOT NULL)",
            name="readings_kept_or_erased",
        ),
        CheckConstraint("alcohol_mg IS NULL OR alcohol_mg BETWEEN 0 AND 500", name="alcohol_range"),
        CheckConstraint(
            "systolic IS NULL OR (systolic BETWEEN 50 AND 300 AND diastolic BETWEEN 30 AND 200"
            " AND diastolic < systolic)",
            name="blood_pressure_range",
        ),
        enum_check("alcohol_result", AlcoholResult),
        CheckConstraint("alcohol_passed = (alcohol_result = 'passed')", name="alcohol_result"),
        CheckConstraint(
            "passed = (vehicle_passed AND alcohol_passed AND blood_pressure_passed)",
            name="passed_is_all",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The branch-local day the check counts for: a failed one blocks that day's patrols.
    check_date: Mapped[date] = mapped_column(Date, index=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"), index=True)
    driver_id: Mapped[int] = mapped_column(ForeignKey("drivers.id"), index=True)
    # VehicleCheckItem code → true (fine) / false (fault); every item answered.
    vehicle_items: Mapped[dict] = mapped_column(JSONB)
    vehicle_passed: Mapped[bool] = mapped_column(Boolean)
    alcohol_mg: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))  # mg/100 ml
    # Kept after the reading is erased: passed, drink-driving or drunk-driving level.
    alcohol_result: Mapped[str] = mapped_column(String(8))
    alcohol_passed: Mapped[bool] = mapped_column(Boolean)
    systolic: Mapped[int | None] = mapped_column(SmallInteger)
    diastolic: Mapped[int | None] = mapped_column(SmallInteger)
    blood_pressure_passed: Mapped[bool] = mapped_column(Boolean)
    passed: Mapped[bool] = mapped_column(Boolean, index=True)
    alcohol_limit_mg: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    systolic_max: Mapped[int] = mapped_column(SmallInteger)
    diastolic_max: Mapped[int] = mapped_column(SmallInteger)
    values_erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    checked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)


class WorkZone(TimestampMixin, VoidableMixin, Base):
    """A work zone set up on the road (施工作业区) for a repair or a patrol's on-site action."""

    __tablename__ = "work_zones"
    __table_args__ = (
        CheckConstraint("repair_id IS NOT NULL OR patrol_id IS NOT NULL", name="linked"),
        CheckConstraint("to_chainage >= from_chainage", name="stake_range"),
        CheckConstraint("removed_at IS NULL OR removed_at >= set_up_at", name="times"),
        CheckConstraint("lanes_closed BETWEEN 0 AND 8", name="lanes"),
        CheckConstraint("speed_limit_kmh BETWEEN 5 AND 130", name="speed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    repair_id: Mapped[int | None] = mapped_column(ForeignKey("repairs.id"), index=True)
    patrol_id: Mapped[int | None] = mapped_column(ForeignKey("patrols.id"), index=True)
    road_id: Mapped[int] = mapped_column(ForeignKey("roads.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))
    from_chainage: Mapped[float] = mapped_column(Float)
    to_chainage: Mapped[float] = mapped_column(Float)
    lanes_closed: Mapped[int] = mapped_column(SmallInteger)
    lanes_note: Mapped[str] = mapped_column(String(NAME_LENGTH), default="", server_default="")
    # The speed limit at the zone: the part minimums are read for it.
    speed_limit_kmh: Mapped[int] = mapped_column(SmallInteger)
    set_up_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    parts: Mapped[list[WorkZonePart]] = relationship(
        back_populates="zone", order_by="WorkZonePart.id"
    )
    devices: Mapped[list[WorkZoneDevice]] = relationship(
        back_populates="zone", order_by="WorkZoneDevice.id"
    )


class WorkZonePart(Base):
    __tablename__ = "work_zone_parts"
    __table_args__ = (
        enum_check("part", ZonePart),
        UniqueConstraint("zone_id", "part", name="zone_part"),
        CheckConstraint("length_m > 0 AND length_m <= 100000", name="length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("work_zones.id"), index=True)
    part: Mapped[str] = mapped_column(String(24))
    length_m: Mapped[float] = mapped_column(Float)

    zone: Mapped[WorkZone] = relationship(back_populates="parts")


class WorkZoneDevice(Base):
    __tablename__ = "work_zone_devices"
    __table_args__ = (
        enum_check("device", ZoneDevice),
        UniqueConstraint("zone_id", "device", name="zone_device"),
        CheckConstraint("count BETWEEN 1 AND 10000", name="count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("work_zones.id"), index=True)
    device: Mapped[str] = mapped_column(String(24))
    count: Mapped[int] = mapped_column(Integer, default=1)

    zone: Mapped[WorkZone] = relationship(back_populates="devices")


class WorkZoneMinimum(Base):
    """The shortest length of a zone part at a speed limit; shorter parts are flagged."""

    __tablename__ = "work_zone_minimums"
    __table_args__ = (
        enum_check("part", ZonePart),
        CheckConstraint("length_m >= 0", name="length"),
    )

    speed_limit_kmh: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    part: Mapped[str] = mapped_column(String(24), primary_key=True)
    length_m: Mapped[float] = mapped_column(Float)
