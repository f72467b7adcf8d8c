"""Vehicles and machinery, their status history and service events, drivers and their reviews."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspection.auth.models import User
from inspection.db import Base, TimestampMixin, enum_check, utcnow
from inspection.fleet.kinds import (
    NAME_LENGTH,
    PLATE_LENGTH,
    DriverReviewResult,
    ServiceKind,
    VehicleKind,
    VehicleStatus,
    VehicleUse,
)
from inspection.sites.models import Department


class Vehicle(TimestampMixin, Base):
    """One vehicle or machine of the branch (机械车辆台账)."""

    __tablename__ = "vehicles"
    __table_args__ = (
        enum_check("kind", VehicleKind),
        enum_check("use", VehicleUse),
        enum_check("status", VehicleStatus),
        CheckConstraint("year IS NULL OR year BETWEEN 1950 AND 2100", name="year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    # The plate (新A12345) or, for machines without one, the fleet number; stored as written,
    # unique by `number_key` (upper case, no spaces or separators) so "新A 12345" is a duplicate.
    number: Mapped[str] = mapped_column(String(PLATE_LENGTH))
    number_key: Mapped[str] = mapped_column(String(PLATE_LENGTH), unique=True)
    make_model: Mapped[str] = mapped_column(String(NAME_LENGTH), default="", server_default="")
    year: Mapped[int | None] = mapped_column(SmallInteger)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    use: Mapped[str] = mapped_column(String(16), default=VehicleUse.production)
    # The current status, kept equal to the newest status event's (services change both).
    status: Mapped[str] = mapped_column(String(16), default=VehicleStatus.fit)
    # The day the unit entered the register: it counts in 完好率 from then.
    registered_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")

    department: Mapped[Department | None] = relationship()
    status_events: Mapped[list[VehicleStatusEvent]] = relationship(
        back_populates="vehicle", order_by="VehicleStatusEvent.id"
    )


class VehicleStatusEvent(Base):
    """A change of a unit's status, with its day, reason and who; sealing adds the 封存 record."""

    __tablename__ = "vehicle_status_events"
    __table_args__ = (
        enum_check("from_status", VehicleStatus, nullable=True),
        enum_check("to_status", VehicleStatus),
        # The first event registers the unit (no from_status); every other one changes it.
        CheckConstraint("from_status IS NULL OR from_status <> to_status", name="changes_status"),
        # 封存台账: where the unit is sealed and who holds the key, given when it is sealed.
        CheckConstraint(
            "(to_status = 'sealed') = (sealed_place IS NOT NULL AND key_holder IS NOT NULL)",
            name="sealing_record",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    on_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    sealed_place: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    key_holder: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    vehicle: Mapped[Vehicle] = relationship(back_populates="status_events")
    recorded_by: Mapped[User] = relationship()


class VehicleDefect(Base):
    """A defect a crew reported from the road (phone, through the outbox): the unit → 待修."""

    __tablename__ = "vehicle_defects"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    # When the crew saw it (the phone's clock), and when the server stored it.
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The status change it caused; null when the unit was already out of service.
    status_event_id: Mapped[int | None] = mapped_column(ForeignKey("vehicle_status_events.id"))

    vehicle: Mapped[Vehicle] = relationship()
    reported_by: Mapped[User] = relationship()


class VehicleService(Base):
    """Routine maintenance, a repair, the annual inspection (年检) or insurance of one unit."""

    __tablename__ = "vehicle_services"
    __table_args__ = (
        enum_check("kind", ServiceKind),
        CheckConstraint("cost_yuan IS NULL OR cost_yuan >= 0", name="cost"),
        CheckConstraint(
            "kind = 'annual_inspection' OR passed IS NULL", name="passed_only_inspection"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    on_date: Mapped[date] = mapped_column(Date)
    cost_yuan: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    parts: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The annual inspection's result (null for the other kinds).
    passed: Mapped[bool | None] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    vehicle: Mapped[Vehicle] = relationship()


class VehicleServiceInterval(Base):
    """Days between two service events of a kind, per unit kind (the branch edits them)."""

    __tablename__ = "vehicle_service_intervals"
    __table_args__ = (
        enum_check("vehicle_kind", VehicleKind),
        enum_check("service_kind", ServiceKind),
        CheckConstraint("days BETWEEN 1 AND 3660", name="days"),
    )

    vehicle_kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    service_kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    days: Mapped[int] = mapped_column(Integer)


class Driver(TimestampMixin, Base):
    """Someone who drives the branch's vehicles: a user, or a name when they have no account."""

    __tablename__ = "drivers"
    __table_args__ = (UniqueConstraint("licence_number", name="licence_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    licence_class: Mapped[str] = mapped_column(String(16))
    licence_number: Mapped[str | None] = mapped_column(String(32))
    licence_expires: Mapped[date] = mapped_column(Date)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True, server_default="true")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")

    user: Mapped[User | None] = relationship()
    department: Mapped[Department | None] = relationship()
    reviews: Mapped[list[DriverReview]] = relationship(
        back_populates="driver", order_by="DriverReview.reviewed_on"
    )


class DriverReview(Base):
    """The driver's annual review (驾驶员年审): its day and result."""

    __tablename__ = "driver_reviews"
    __table_args__ = (enum_check("result", DriverReviewResult),)

    id: Mapped[int] = mapped_column(primary_key=True)
    driver_id: Mapped[int] = mapped_column(ForeignKey("drivers.id"), index=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    driver: Mapped[Driver] = relationship(back_populates="reviews")
