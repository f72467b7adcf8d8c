"""Read-only queries and JSON shapes of patrols and findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from inspection.geo import from_db
from inspection.media.models import Photo
from inspection.network.models import Road
from inspection.network.stakes import format_stake
from inspection.patrols.models import Finding, Patrol


def patrol_dict(patrol: Patrol) -> dict:
    return {
        "uuid": str(patrol.client_uuid),
        "road": patrol.road.code,
        "direction": patrol.direction,
        "kind": patrol.kind,
        "crew": patrol.crew,
        "vehicle": patrol.vehicle,
        # The register's unit and driver (#15); null on patrols that name neither.
        "vehicle_id": patrol.vehicle_id,
        "vehicle_number": patrol.fleet_vehicle.number if patrol.fleet_vehicle else None,
        "driver_id": patrol.driver_id,
        "driver": patrol.driver.name if patrol.driver else None,
        "weather": patrol.weather,
        "started_at": patrol.started_at.isoformat(),
        "ended_at": patrol.ended_at.isoformat() if patrol.ended_at else None,
        "start_stake": format_stake(patrol.start_chainage)
        if patrol.start_chainage is not None
        else None,
        "end_stake": format_stake(patrol.end_chainage) if patrol.end_chainage is not None else None,
        "patrolled_km": patrol.patrolled_km,
        "start_gps": _fix(patrol.start_lon, patrol.start_lat, patrol.start_accuracy_m),
        "end_gps": _fix(patrol.end_lon, patrol.end_lat, patrol.end_accuracy_m),
        "voided": patrol.voided_at is not None,
    }


def _fix(lon: float | None, lat: float | None, accuracy: float | None) -> dict | None:
    return None if lon is None else {"lon": lon, "lat": lat, "accuracy": accuracy}


def photo_dict(photo: Photo) -> dict:
    return {
        "uuid": str(photo.client_uuid),
        "stage": photo.stage,
        "sha256": photo.sha256,
        "width": photo.width,
        "height": photo.height,
        "url": f"/media/{photo.content_key}",
        "thumbnail_url": f"/media/{photo.thumbnail_key}",
        "exif_taken_at": photo.exif_taken_at,
        "exif_lon": photo.exif_lon,
        "exif_lat": photo.exif_lat,
    }


def finding_dict(finding: Finding, photos: list[Photo] | None = None) -> dict:
    geometry = from_db(finding.geom)
    return {
        "uuid": str(finding.client_uuid),
        "patrol_uuid": str(finding.patrol.client_uuid) if finding.patrol else None,
        "kind": finding.kind,
        "status": finding.status,
        "item_code": finding.item_code,
        "severity": finding.severity,
        "quantity": finding.quantity,
        "quantity_unit": finding.quantity_unit,
        "depth_mm": finding.depth_mm,
        "count": finding.count,
        "note": finding.note,
        "onsite_action": finding.onsite_action,
        "road": finding.road.code,
        "direction": finding.direction,
        "side": finding.side,
        "lane": finding.lane,
        "stake": format_stake(finding.chainage),
        "end_stake": format_stake(finding.end_chainage)
        if finding.end_chainage is not None
        else None,
        "chainage": finding.chainage,
        "location_source": finding.location_source,
        "gps": (
            {
                "lon": finding.gps_lon,
                "lat": finding.gps_lat,
                "accuracy": finding.gps_accuracy_m,
                "at": finding.gps_at.isoformat() if finding.gps_at else None,
            }
            if finding.gps_lon is not None
            else None
        ),
        "offset_m": finding.offset_m,
        "geometry": geometry.__geo_interface__,
        "observed_at": finding.observed_at.isoformat(),
        "created_by": finding.created_by.username,
        "voided": finding.voided_at is not None,
        "void_reason": finding.void_reason,
        "photos": [photo_dict(p) for p in photos] if photos is not None else None,
    }


@dataclass(frozen=True)
class FindingFilters:
    road: str | None = None
    kind: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    bbox: tuple[float, float, float, float] | None = None
    created_by_id: int | None = None
    include_voided: bool = False


def find_findings(
    session: Session, filters: FindingFilters, *, page: int = 1, per_page: int = 50
) -> tuple[list[Finding], int]:
    """Return one page of findings (newest first) and the total matching the filters."""
    query = select(Finding)
    if filters.road:
        query = query.join(Road, Road.id == Finding.road_id).where(
            Road.code == filters.road.upper()
        )
    if filters.kind:
        query = query.where(Finding.kind == filters.kind)
    if filters.status:
        query = query.where(Finding.status == filters.status)
    if filters.since:
        query = query.where(Finding.observed_at >= filters.since)
    if filters.until:
        query = query.where(Finding.observed_at < filters.until)
    if filters.bbox:
        query = query.where(Finding.geom.intersects(func.ST_MakeEnvelope(*filters.bbox, 4326)))
    if filters.created_by_id:
        query = query.where(Finding.created_by_id == filters.created_by_id)
    if not filters.include_voided:
        query = query.where(Finding.voided_at.is_(None))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(
        query.options(
            joinedload(Finding.road), joinedload(Finding.created_by), joinedload(Finding.patrol)
        )
        .order_by(Finding.observed_at.desc(), Finding.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(rows), total


def photos_of(session: Session, finding: Finding) -> list[Photo]:
    return list(
        session.scalars(select(Photo).where(Photo.finding_id == finding.id).order_by(Photo.id))
    )
