"""Read-only queries and JSON shapes of repairs, and their totals as SQL aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from inspection.geo import from_db
from inspection.media.models import Photo
from inspection.network.models import Road
from inspection.network.stakes import format_stake
from inspection.patrols.models import Finding
from inspection.patrols.queries import photo_dict
from inspection.repairs.models import Repair, RepairMaterial


def repair_dict(repair: Repair, photos: list[Photo] | None = None) -> dict:
    geometry = from_db(repair.geom)
    return {
        "uuid": str(repair.client_uuid),
        "kind": repair.kind,
        "road": repair.road.code,
        "direction": repair.direction,
        "side": repair.side,
        "stake": format_stake(repair.chainage),
        "end_stake": format_stake(repair.end_chainage) if repair.end_chainage is not None else None,
        "chainage": repair.chainage,
        "end_chainage": repair.end_chainage,
        "stake_text": repair.stake_text,
        "geometry": geometry.__geo_interface__,
        "geometry_version": repair.geometry_version,
        "completed_on": repair.completed_on.isoformat(),
        "area_m2": repair.area_m2,
        "count": repair.count,
        "depth_mm": repair.depth_mm,
        "materials": [
            {"name": m.name, "quantity": m.quantity, "unit": m.unit} for m in repair.materials
        ],
        "crew": repair.crew,
        "method": repair.method,
        "cost_yuan": float(repair.cost_yuan) if repair.cost_yuan is not None else None,
        "note": repair.note,
        "findings": [str(f.client_uuid) for f in repair.findings],
        "created_by": repair.created_by.username,
        "created_at": repair.created_at.isoformat() if repair.created_at else None,
        "voided": repair.voided_at is not None,
        "void_reason": repair.void_reason,
        "photos": [photo_dict(p) for p in photos] if photos is not None else None,
    }


@dataclass(frozen=True)
class RepairFilters:
    road: str | None = None
    kind: str | None = None
    since: date | None = None  # completion dates from this day
    until: date | None = None  # … up to and including this day
    created_by_id: int | None = None
    include_voided: bool = False


def _filtered(query: Select, filters: RepairFilters) -> Select:
    if filters.road:
        query = query.join(Road, Road.id == Repair.road_id).where(
            Road.code == filters.road.strip().upper()
        )
    if filters.kind:
        query = query.where(Repair.kind == filters.kind)
    if filters.since:
        query = query.where(Repair.completed_on >= filters.since)
    if filters.until:
        query = query.where(Repair.completed_on <= filters.until)
    if filters.created_by_id:
        query = query.where(Repair.created_by_id == filters.created_by_id)
    if not filters.include_voided:
        query = query.where(Repair.voided_at.is_(None))
    return query


def find_repairs(
    session: Session, filters: RepairFilters, *, page: int = 1, per_page: int = 50
) -> tuple[list[Repair], int]:
    """Return one page of repairs (latest completion first) and the total matching the filters."""
    query = _filtered(select(Repair), filters)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(
        query.options(
            joinedload(Repair.road),
            joinedload(Repair.created_by),
            selectinload(Repair.materials),
            selectinload(Repair.findings),
        )
        .order_by(Repair.completed_on.desc(), Repair.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(rows), total


@dataclass(frozen=True)
class KindTotal:
    kind: str
    repairs: int
    area_m2: float
    count: int


@dataclass(frozen=True)
class MaterialTotal:
    name: str
    unit: str
    quantity: float


def totals(session: Session, filters: RepairFilters) -> tuple[list[KindTotal], list[MaterialTotal]]:
    """Return the area and count per kind and the quantity per material of the filtered repairs."""
    ids = _filtered(select(Repair.id), filters).subquery()
    by_kind = session.execute(
        select(
            Repair.kind,
            func.count(Repair.id),
            func.coalesce(func.sum(Repair.area_m2), 0.0),
            func.coalesce(func.sum(Repair.count), 0),
        )
        .where(Repair.id.in_(select(ids.c.id)))
        .group_by(Repair.kind)
        .order_by(Repair.kind)
    ).all()
    by_material = session.execute(
        select(RepairMaterial.name, RepairMaterial.unit, func.sum(RepairMaterial.quantity))
        .where(RepairMaterial.repair_id.in_(select(ids.c.id)))
        .group_by(RepairMaterial.name, RepairMaterial.unit)
        .order_by(RepairMaterial.name, RepairMaterial.unit)
    ).all()
    return (
        [KindTotal(k, n, float(a), int(c)) for k, n, a, c in by_kind],
        [MaterialTotal(name, unit, float(q)) for name, unit, q in by_material],
    )


def photos_of(session: Session, repair: Repair) -> list[Photo]:
    return list(
        session.scalars(select(Photo).where(Photo.repair_id == repair.id).order_by(Photo.id))
    )


def open_findings_on(session: Session, road: Road, *, limit: int = 100) -> list[Finding]:
    """Return the open, not voided findings on a road a repair may resolve, in stake order."""
    return list(
        session.scalars(
            select(Finding)
            .where(
                Finding.road_id == road.id,
                Finding.status == "open",
                Finding.voided_at.is_(None),
            )
            .order_by(Finding.chainage, Finding.observed_at)
            .limit(limit)
        )
    )
