"""Self-inspections, their scope, checklist items, re-checks, and the branch's templates."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
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
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspection.auth.models import User
from inspection.db import Base, TimestampMixin, enum_check, utcnow
from inspection.hazards.models import Hazard
from inspection.inspections.kinds import (
    ITEM_NAME_LENGTH,
    PERSON_NAME_LENGTH,
    TEMPLATE_NAME_LENGTH,
    THEME_LENGTH,
    ChecklistSection,
    InspectionKind,
    ItemResult,
    RecheckOutcome,
)
from inspection.network.models import Road
from inspection.patrols.models import VoidableMixin
from inspection.sites.models import Site


class InspectionTemplate(TimestampMixin, Base):
    """A checklist the branch keeps for a kind of inspection (or for any kind)."""

    __tablename__ = "inspection_templates"
    __table_args__ = (enum_check("kind", InspectionKind, nullable=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(TEMPLATE_NAME_LENGTH), unique=True)
    kind: Mapped[str | None] = mapped_column(String(24))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    items: Mapped[list[InspectionTemplateItem]] = relationship(
        back_populates="template",
        order_by="InspectionTemplateItem.position",
        cascade="all, delete-orphan",
    )


class InspectionTemplateItem(Base):
    __tablename__ = "inspection_template_items"
    __table_args__ = (
        enum_check("section", ChecklistSection),
        CheckConstraint("btrim(name) <> ''", name="name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("inspection_templates.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(ITEM_NAME_LENGTH))
    # The category of the hazard an unmet item raises (a code of hazards.workflow).
    hazard_category: Mapped[str] = mapped_column(String(32))

    template: Mapped[InspectionTemplate] = relationship(back_populates="items")


class Inspection(TimestampMixin, VoidableMixin, Base):
    """One self-inspection: counts once in 自查次数 however many sites and roads it covers."""

    __tablename__ = "inspections"
    __table_args__ = (
        enum_check("kind", InspectionKind),
        CheckConstraint("ended_on >= started_on", name="dates"),
        CheckConstraint(
            "(kind = 'look_back') = (recheck_from IS NOT NULL AND recheck_to IS NOT NULL)",
            name="recheck_period",
        ),
        CheckConstraint("recheck_to IS NULL OR recheck_to >= recheck_from", name="recheck_dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    theme: Mapped[str] = mapped_column(String(THEME_LENGTH))
    started_on: Mapped[date] = mapped_column(Date, index=True)
    ended_on: Mapped[date] = mapped_column(Date)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    leader_name: Mapped[str] = mapped_column(String(PERSON_NAME_LENGTH), default="")
    template_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_templates.id"))
    # A 回头看 re-checks the hazards closed in this period within its scope.
    recheck_from: Mapped[date | None] = mapped_column(Date)
    recheck_to: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Set on inspections the 0012 migration made from `safety_inspection` patrols.
    legacy_patrol_id: Mapped[int | None] = mapped_column(ForeignKey("patrols.id"), unique=True)

    leader: Mapped[User | None] = relationship(foreign_keys=[leader_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    template: Mapped[InspectionTemplate | None] = relationship()
    members: Mapped[list[InspectionMember]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionMember.id"
    )
    sites: Mapped[list[Site]] = relationship(secondary="inspection_sites", order_by=Site.name)
    sections: Mapped[list[InspectionSection]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionSection.id"
    )
    items: Mapped[list[InspectionItem]] = relationship(
        back_populates="inspection",
        cascade="all, delete-orphan",
        order_by="InspectionItem.position",
    )
    rechecks: Mapped[list[InspectionRecheck]] = relationship(
        back_populates="inspection", order_by="InspectionRecheck.id"
    )


class InspectionMember(Base):
    """A member of the inspection team: a user of the system, or just a name."""

    __tablename__ = "inspection_members"
    __table_args__ = (CheckConstraint("user_id IS NOT NULL OR btrim(name) <> ''", name="who"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(PERSON_NAME_LENGTH), default="")

    inspection: Mapped[Inspection] = relationship(back_populates="members")
    user: Mapped[User | None] = relationship()


class InspectionSite(Base):
    __tablename__ = "inspection_sites"

    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True, index=True)


class InspectionSection(Base):
    """A road section in an inspection's scope: a road and direction, and a stake range."""

    __tablename__ = "inspection_sections"
    __table_args__ = (CheckConstraint("end_chainage >= start_chainage", name="range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    road_id: Mapped[int] = mapped_column(ForeignKey("roads.id"), index=True)
    start_chainage: Mapped[float] = mapped_column(Float)
    end_chainage: Mapped[float] = mapped_column(Float)

    inspection: Mapped[Inspection] = relationship(back_populates="sections")
    road: Mapped[Road] = relationship()


class InspectionItem(Base):
    """One checklist line of an inspection, with its result where checked."""

    __tablename__ = "inspection_items"
    __table_args__ = (
        enum_check("result", ItemResult, nullable=True),
        enum_check("section", ChecklistSection),
        CheckConstraint("btrim(name) <> ''", name="name"),
        CheckConstraint("(road_id IS NULL) = (chainage IS NULL)", name="road_stake"),
        CheckConstraint("site_id IS NULL OR road_id IS NULL", name="one_place"),
        CheckConstraint("hazard_id IS NULL OR result = 'does_not_meet'", name="hazard_if_unmet"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made by the phone that answered it, so a retried answer is stored once.
    client_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(ITEM_NAME_LENGTH))
    hazard_category: Mapped[str] = mapped_column(String(32))
    result: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    # Where it was checked: a site of the scope, or a road stake.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    road_id: Mapped[int | None] = mapped_column(ForeignKey("roads.id"))
    chainage: Mapped[float | None] = mapped_column(Float)
    # The hazard this unmet item raised, or the open one at the same place it was linked to.
    hazard_id: Mapped[int | None] = mapped_column(ForeignKey("hazards.id"), index=True)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    inspection: Mapped[Inspection] = relationship(back_populates="items")
    site: Mapped[Site | None] = relationship()
    road: Mapped[Road | None] = relationship()
    hazard: Mapped[Hazard | None] = relationship()


class InspectionRecheck(Base):
    """A closed hazard re-checked by a 回头看: it holds, or it relapsed and was reopened."""

    __tablename__ = "inspection_rechecks"
    __table_args__ = (
        UniqueConstraint("inspection_id", "hazard_id", name="uq_inspection_rechecks_hazard"),
        enum_check("outcome", RecheckOutcome),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazards.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    # The hazard's audit event that records it (rechecked, or reopen).
    event_id: Mapped[int] = mapped_column(ForeignKey("hazard_events.id"), unique=True)
    checked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    inspection: Mapped[Inspection] = relationship(back_populates="rechecks")
    hazard: Mapped[Hazard] = relationship()
