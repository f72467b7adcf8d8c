"""Plans (versions, monthly lines) and monthly measurement statements (lines, repairs measured)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspection.db import Base, enum_check, utcnow
from inspection.plans.kinds import WORK_KIND_CODES, AmountSource, StatementState, Unit, VersionKind


class Plan(Base):
    """The branch's maintenance plan of one year (年度养护计划)."""

    __tablename__ = "plans"
    __table_args__ = (CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, unique=True)
    name: Mapped[str] = mapped_column(String(128))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number"
    )


class PlanVersion(Base):
    """The original plan (number 1) or a mid-year adjustment (计划调整); never changed once made.

    An adjustment holds the whole year's lines as adjusted (the months before `from_month` as
    they were), so either version can be read on its own.
    """

    __tablename__ = "plan_versions"
    __table_args__ = (
        enum_check("kind", VersionKind),
        UniqueConstraint("plan_id", "number", name="plan_number"),
        CheckConstraint("number >= 1", name="number"),
        CheckConstraint("(number = 1) = (kind = 'original')", name="first_is_original"),
        CheckConstraint("from_month BETWEEN 1 AND 12", name="from_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(16))
    # The first month the adjustment changes (1 for the original).
    from_month: Mapped[int] = mapped_column(SmallInteger, default=1)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="versions")
    lines: Mapped[list[PlanLine]] = relationship(back_populates="version", order_by="PlanLine.id")


class PlanLine(Base):
    """One month's planned quantity of a kind on a road (or the whole branch: no road)."""

    __tablename__ = "plan_lines"
    __table_args__ = (
        enum_check("work_kind", WORK_KIND_CODES),
        enum_check("unit", Unit),
        CheckConstraint("month BETWEEN 1 AND 12", name="month"),
        CheckConstraint("quantity >= 0", name="quantity"),
        CheckConstraint("unit_price_yuan >= 0", name="unit_price"),
        CheckConstraint("budget_yuan >= 0", name="budget"),
        # One line per version, month, road (or branch) and kind; NULLS NOT DISTINCT (PG 15)
        # so two whole-branch lines of a kind in a month clash too.
        Index(
            "uq_plan_lines_version_month_road_kind",
            "version_id",
            "month",
            "road_id",
            "work_kind",
            unique=True,
            postgresql_nulls_not_distinct=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), index=True)
    month: Mapped[int] = mapped_column(SmallInteger)
    road_id: Mapped[int | None] = mapped_column(ForeignKey("roads.id"), index=True)
    work_kind: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(8))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    unit_price_yuan: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    budget_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")

    version: Mapped[PlanVersion] = relationship(back_populates="lines")


class Statement(Base):
    """The monthly measurement statement (计量单) of the whole branch; frozen once confirmed."""

    __tablename__ = "statements"
    __table_args__ = (
        enum_check("state", StatementState),
        UniqueConstraint("year", "month", name="year_month"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month"),
        CheckConstraint(
            "(state = 'confirmed') = (confirmed_at IS NOT NULL AND confirmed_by_id IS NOT NULL)",
            name="confirmation",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    month: Mapped[int] = mapped_column(SmallInteger)
    state: Mapped[str] = mapped_column(String(16), default=StatementState.draft)
    # The plan version whose unit prices priced it (null: no plan that year).
    plan_version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id"))
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")

    lines: Mapped[list[StatementLine]] = relationship(
        back_populates="statement",
        order_by="StatementLine.id",
        foreign_keys="StatementLine.statement_id",
    )
    repairs: Mapped[list[StatementRepair]] = relationship(
        back_populates="statement", foreign_keys="StatementRepair.statement_id"
    )


class StatementLine(Base):
    """A statement's quantity and amount of a kind on a road, and where the amount came from."""

    __tablename__ = "statement_lines"
    __table_args__ = (
        enum_check("work_kind", WORK_KIND_CODES),
        enum_check("unit", Unit),
        enum_check("amount_source", AmountSource),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    road_id: Mapped[int | None] = mapped_column(ForeignKey("roads.id"))
    work_kind: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(8))
    # A difference line may be negative (a repair reduced or voided after its month was frozen).
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    unit_price_yuan: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    amount_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    amount_source: Mapped[str] = mapped_column(String(16))
    # For a difference line: the frozen statement whose figure it corrects.
    corrects_statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A manual line priced by default from the plan: a rebuild prices it again from the newest
    # plan version, as it prices the repair lines (a typed price stays as typed).
    price_from_plan: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")

    statement: Mapped[Statement] = relationship(back_populates="lines", foreign_keys=[statement_id])


class StatementRepair(Base):
    """A repair as a statement measured it: what it counted, so later edits show as differences."""

    __tablename__ = "statement_repairs"
    __table_args__ = (UniqueConstraint("statement_id", "repair_id", name="statement_repair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    repair_id: Mapped[int] = mapped_column(ForeignKey("repairs.id"), index=True)
    road_id: Mapped[int] = mapped_column(ForeignKey("roads.id"))
    work_kind: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(8))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    amount_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    # Null: counted by this statement as one of its month's repairs. Set: this statement carried
    # a difference, and the figure above is what the repair now counts for in that (frozen)
    # statement's month (0 after it was voided or moved to a month not yet frozen).
    corrects_statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"))
    # The repair's updated_at as it was measured here: a later build re-measures a repair (and
    # its month) only when this differs from the repair's. Null (records made before migration
    # 0020, or a repair not read as it was measured): always re-measured.
    repair_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    statement: Mapped[Statement] = relationship(
        back_populates="repairs", foreign_keys=[statement_id]
    )
