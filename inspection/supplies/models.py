"""Emergency supply items, each depot's stock of them, and the movements that change it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspection.auth.models import User
from inspection.db import Base, TimestampMixin, enum_check, utcnow
from inspection.sites.models import Site
from inspection.supplies.kinds import NAME_LENGTH, UNIT_LENGTH, MovementKind


class SupplyItem(TimestampMixin, Base):
    """A kind of emergency stock: sand, de-icing salt, snow chains… with its unit."""

    __tablename__ = "supply_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    unit: Mapped[str] = mapped_column(String(UNIT_LENGTH))
    active: Mapped[bool] = mapped_column(default=True, server_default="true")


class SupplyStock(TimestampMixin, Base):
    """One item's stock at one depot (a site): the current quantity and the minimum to hold.

    `quantity` is the sum of the movements, kept by the service in the same transaction as
    each movement under a row lock; the CHECK makes a movement that would take it below zero
    fail whatever the code does.
    """

    __tablename__ = "supply_stocks"
    __table_args__ = (
        UniqueConstraint("site_id", "item_id", name="site_item"),
        CheckConstraint("quantity >= 0", name="quantity"),
        CheckConstraint("minimum >= 0", name="minimum"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("supply_items.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0, server_default="0")
    minimum: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0, server_default="0")

    site: Mapped[Site] = relationship()
    item: Mapped[SupplyItem] = relationship()


class SupplyMovement(Base):
    """Stock received, issued to an emergency or a work, returned, or written off."""

    __tablename__ = "supply_movements"
    __table_args__ = (
        enum_check("kind", MovementKind),
        CheckConstraint("quantity > 0", name="quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    stock_id: Mapped[int] = mapped_column(ForeignKey("supply_stocks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    on_date: Mapped[date] = mapped_column(Date, index=True)
    # What it served: the emergency (e.g. "2026-01-12 G30 暴雪") or the work, in words, and
    # the repair when it went to one.
    purpose: Mapped[str] = mapped_column(String(200), default="", server_default="")
    repair_id: Mapped[int | None] = mapped_column(ForeignKey("repairs.id"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    stock: Mapped[SupplyStock] = relationship()
    recorded_by: Mapped[User] = relationship()
