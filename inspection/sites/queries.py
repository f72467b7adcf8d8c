"""Read-only queries of departments and sites for the pages, the API and the phone."""

from __future__ import annotations

from geoalchemy2 import Geography
from sqlalchemy import cast, func, select
from sqlalchemy.orm import Session, joinedload

from inspection.geo import SRID, from_db
from inspection.network.stakes import format_stake
from inspection.sites.kinds import DEPARTMENT_KIND_LABELS, SITE_KIND_LABELS
from inspection.sites.models import Department, Site


def list_departments(session: Session, *, active: bool | None = None) -> list[Department]:
    """Return the departments by name; only the active (or inactive) ones if asked."""
    query = select(Department).order_by(Department.active.desc(), Department.name)
    if active is not None:
        query = query.where(Department.active.is_(active))
    return list(session.scalars(query))


def _filtered(query, *, kind: str | None, department_id: int | None, active: bool | None):
    if kind is not None:
        query = query.where(Site.kind == kind)
    if department_id is not None:
        query = query.where(Site.department_id == department_id)
    if active is not None:
        query = query.where(Site.active.is_(active))
    return query.options(joinedload(Site.road), joinedload(Site.department))


def list_sites(
    session: Session,
    *,
    kind: str | None = None,
    department_id: int | None = None,
    active: bool | None = True,
    limit: int | None = None,
) -> list[Site]:
    """Return the sites by name, filtered by kind, department and whether active."""
    query = _filtered(select(Site), kind=kind, department_id=department_id, active=active).order_by(
        Site.name, Site.id
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def nearest_sites(
    session: Session,
    lon: float,
    lat: float,
    *,
    kind: str | None = None,
    department_id: int | None = None,
    active: bool | None = True,
    limit: int = 20,
) -> list[tuple[Site, float]]:
    """Return the sites nearest first from a point, with their distance in metres."""
    point = cast(func.ST_SetSRID(func.ST_MakePoint(lon, lat), SRID), Geography)
    distance = func.ST_Distance(cast(Site.geom, Geography), point)
    query = _filtered(
        select(Site, distance.label("distance_m")),
        kind=kind,
        department_id=department_id,
        active=active,
    )
    # A branch has tens or hundreds of sites: an exact geodesic sort needs no KNN index.
    rows = session.execute(query.order_by(distance, Site.id).limit(limit)).all()
    return [(site, float(metres)) for site, metres in rows]


def department_dict(department: Department, gettext=str) -> dict:
    """Return a department as the API writes it."""
    return {
        "id": department.id,
        "name": department.name,
        "kind": department.kind,
        "kind_label": gettext(DEPARTMENT_KIND_LABELS.get(department.kind, department.kind)),
        "active": department.active,
    }


def site_dict(site: Site, gettext=str, *, distance_m: float | None = None) -> dict:
    """Return a site as the API writes it (with its distance when asked from a point)."""
    point = from_db(site.geom)
    chainage = site.chainage
    body = {
        "id": site.id,
        "name": site.name,
        "kind": site.kind,
        "kind_label": gettext(SITE_KIND_LABELS.get(site.kind, site.kind)),
        "lon": round(point.x, 7),
        "lat": round(point.y, 7),
        "road": site.road.code if site.road else None,
        "direction": site.road.direction if site.road else None,
        "stake": format_stake(chainage, 1 if chainage % 1 else 0) if chainage is not None else None,
        "department": (
            {"id": site.department.id, "name": site.department.name} if site.department else None
        ),
        "note": site.note,
        "active": site.active,
    }
    if distance_m is not None:
        body["distance_m"] = round(distance_m, 1)
    return body
