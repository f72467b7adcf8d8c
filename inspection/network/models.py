"""Roads, their centrelines, calibration points and chain breaks."""

from __future__ import annotations

from enum import StrEnum

from geoalchemy2 import Geometry
from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspection.db import Base, TimestampMixin, enum_check
from inspection.errors import N_, register_code_words
from inspection.geo import SRID


class Direction(StrEnum):
    """A carriageway: 上行 (increasing chainage), 下行, or an undivided road's both."""

    up = "up"
    down = "down"
    both = "both"


DIRECTION_LABELS = {
    Direction.up: N_("Up"),
    Direction.down: N_("Down"),
    Direction.both: N_("Both directions"),
}
register_code_words(DIRECTION_LABELS)
ROAD_CLASS_LABELS = {
    "expressway": N_("Expressway"),
    "class1": N_("Class 1"),
    "class2": N_("Class 2"),
    "class3": N_("Class 3"),
    "class4": N_("Class 4"),
    "unclassified": N_("Unclassified"),
}


class Road(TimestampMixin, Base):
    """One carriageway (or an undivided road) of a numbered highway.

    Its centreline is oriented by increasing chainage.
    """

    __tablename__ = "roads"
    __table_args__ = (
        UniqueConstraint("code", "direction", name="uq_roads_code_direction"),
        enum_check("direction", Direction),
        CheckConstraint("end_chainage > start_chainage", name="chainage_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    road_class: Mapped[str] = mapped_column(String(16), default="unclassified")
    direction: Mapped[str] = mapped_column(String(8), default="both")
    start_chainage: Mapped[float] = mapped_column(Float)
    end_chainage: Mapped[float] = mapped_column(Float)
    # Real length of the centreline in metres and the central meridian of its metric projection.
    length_m: Mapped[float] = mapped_column(Float)
    lon_0: Mapped[float] = mapped_column(Float)
    geom = mapped_column(Geometry("LINESTRING", srid=SRID, spatial_index=True), nullable=False)
    # Bumped whenever the centreline, calibration or breaks change, so derived geometry
    # can be recomputed.
    geometry_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    calibration_points: Mapped[list[CalibrationPointRow]] = relationship(
        back_populates="road", cascade="all, delete-orphan", order_by="CalibrationPointRow.measure"
    )
    chain_breaks: Mapped[list[ChainBreakRow]] = relationship(
        back_populates="road", cascade="all, delete-orphan", order_by="ChainBreakRow.measure"
    )
    pieces: Mapped[list[RoadPiece]] = relationship(
        back_populates="road", cascade="all, delete-orphan", order_by="RoadPiece.seq"
    )


class CalibrationPointRow(Base):
    """A stake whose true position along the centreline is known.

    E.g. a surveyed kilometre post, or a segment end of an imported centreline.
    """

    __tablename__ = "calibration_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    road_id: Mapped[int] = mapped_column(ForeignKey("roads.id", ondelete="CASCADE"), index=True)
    chainage: Mapped[float] = mapped_column(Float)
    measure: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(32), default="manual")

    road: Mapped[Road] = relationship(back_populates="calibration_points")


class ChainBreakRow(Base):
    """A place where nominal chainage jumps: long chain (goes back) or short chain (jumps ahead)."""

    __tablename__ = "chain_breaks"
    __table_args__ = (CheckConstraint("back_chainage <> ahead_chainage", name="jump"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    road_id: Mapped[int] = mapped_column(ForeignKey("roads.id", ondelete="CASCADE"), index=True)
    measure: Mapped[float] = mapped_column(Float)
    back_chainage: Mapped[float] = mapped_column(Float)
    ahead_chainage: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(256), default="")

    road: Mapped[Road] = relationship(back_populates="chain_breaks")

    @property
    def kind(self) -> str:
        return "long" if self.ahead_chainage < self.back_chainage else "short"


class RoadPiece(Base):
    """A ~1 km stretch of a centreline with its measure range: what GPS look-ups search (KNN)."""

    __tablename__ = "road_pieces"

    id: Mapped[int] = mapped_column(primary_key=True)
    road_id: Mapped[int] = mapped_column(ForeignKey("roads.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    start_measure: Mapped[float] = mapped_column(Float)
    end_measure: Mapped[float] = mapped_column(Float)
    geom = mapped_column(Geometry("LINESTRING", srid=SRID, spatial_index=True), nullable=False)

    road: Mapped[Road] = relationship(back_populates="pieces")
