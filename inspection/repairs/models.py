"""Repair records, the materials they used and the findings they resolved."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from geoalchemy2 import Geometry
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    Uuid,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspection.auth.models import User
from inspection.db import Base, TimestampMixin, enum_check
from inspection.geo import SRID
from inspection.network.models import Direction, Road
from inspection.patrols.kinds import Side
from inspection.patrols.models import Finding, VoidableMixin
from inspection.repairs.rules import REPAIR_KINDS

# Which findings a repair resolved. Rows stay when a repair is voided (the findings reopen), so
# the history of who resolved what is kept.
repair_findings = Table(
    "repair_findings",
    Base.metadata,
    Column("repair_id", ForeignKey("repairs.id"), primary_key=True),
    Column("finding_id", ForeignKey("findings.id"), primary_key=True, index=True),
    Column("linked_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


class Repair(TimestampMixin, VoidableMixin, Base):
    __tablename__ = "repairs"
    __table_args__ = (
        enum_check("kind", REPAIR_KINDS),
        enum_check("direction", Direction),
        enum_check("side", Side, nullable=True),
        CheckConstraint("area_m2 IS NULL OR area_m2 > 0", name="area"),
        CheckConstraint("count IS NULL OR count >= 1", name="count"),
        CheckConstraint("depth_mm IS NULL OR depth_mm > 0", name="depth"),
        CheckConstraint("cost_yuan IS NULL OR cost_yuan >= 0", name="cost"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    # Where: the road and the stake(s) people typed; a single stake only for spot repairs.
    road_id: Mapped[int] = mapped_column(ForeignKey("roads.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))
    side: Mapped[str | None] = mapped_column(String(8))
    chainage: Mapped[float] = mapped_column(Float)
    end_chainage: Mapped[float | None] = mapped_column(Float)
    stake_text: Mapped[str] = mapped_column(String(80), default="")
    # Derived from road + stake(s); recomputed when the road changes (`flask roads recompute`).
    geom = mapped_column(Geometry("GEOMETRY", srid=SRID, spatial_index=True), nullable=False)
    geometry_version: Mapped[int] = mapped_column(Integer)
    # The work: a local date in the branch's time zone, quantities summed by the annual report.
    completed_on: Mapped[date] = mapped_column(Date, index=True)
    area_m2: Mapped[float | None] = mapped_column(Float)
    count: Mapped[int | None] = mapped_column(Integer)
    depth_mm: Mapped[float | None] = mapped_column(Float)
    crew: Mapped[str] = mapped_column(String(256), default="")
    method: Mapped[str] = mapped_column(Text, default="")
    cost_yuan: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    road: Mapped[Road] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    materials: Mapped[list[RepairMaterial]] = relationship(
        back_populates="repair", cascade="all, delete-orphan", order_by="RepairMaterial.id"
    )
    findings: Mapped[list[Finding]] = relationship(
        secondary=repair_findings, order_by=Finding.observed_at
    )


class RepairMaterial(Base):
    """One material a repair used: summed per (name, unit) in the annual totals."""

    __tablename__ = "repair_materials"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    repair_id: Mapped[int] = mapped_column(ForeignKey("repairs.id"), index=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(8))

    repair: Mapped[Repair] = relationship(back_populates="materials")
