"""Departments and sites: where hazards are when they are not at a road stake."""

from __future__ import annotations

from geoalchemy2 import Geometry
from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspection.db import Base, TimestampMixin, enum_check
from inspection.geo import SRID
from inspection.network.models import Road
from inspection.sites.kinds import NAME_LENGTH, DepartmentKind, SiteKind


class Department(TimestampMixin, Base):
    """One of the branch's own units (养护工区, 收费站, 服务区, 机务, 后勤, 科室…)."""

    __tablename__ = "departments"
    __table_args__ = (enum_check("kind", DepartmentKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    kind: Mapped[str] = mapped_column(String(24), default=DepartmentKind.other)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    sites: Mapped[list[Site]] = relationship(back_populates="department")


class Site(TimestampMixin, Base):
    """A place of the branch other than a road stake: toll station, service area, depot…"""

    __tablename__ = "sites"
    __table_args__ = (
        enum_check("kind", SiteKind),
        # A site may name the road stake it stands at; then road and stake come together.
        CheckConstraint("(road_id IS NULL) = (chainage IS NULL)", name="road_stake"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    kind: Mapped[str] = mapped_column(String(24))
    geom = mapped_column(Geometry("POINT", srid=SRID, spatial_index=True), nullable=False)
    road_id: Mapped[int | None] = mapped_column(ForeignKey("roads.id"), index=True)
    chainage: Mapped[float | None] = mapped_column(Float)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    road: Mapped[Road | None] = relationship()
    department: Mapped[Department | None] = relationship(back_populates="sites")
