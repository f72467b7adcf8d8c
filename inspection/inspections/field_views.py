"""The phone page for walking a self-inspection checklist at a site (offline-first).

The page carries everything it needs as JSON blocks (the active templates and sites), so that
the copy the service worker keeps works without signal; what the officer saves goes into the
phone's outbox (static/js/outbox.js) and reaches POST /api/v1/inspections from there.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from inspection.extensions import db
from inspection.inspections.kinds import (
    CHECKLIST_SECTION_LABELS,
    INSPECTION_KIND_LABELS,
    ITEM_RESULT_LABELS,
    InspectionKind,
)
from inspection.inspections.models import InspectionTemplate
from inspection.inspections.views import bp
from inspection.sites.kinds import SITE_KIND_LABELS
from inspection.sites.models import Site
from inspection.web import permission_required

# A 回头看 re-checks closed hazards one by one against the server's list: not a walk offline.
WALK_KINDS = tuple(kind for kind in InspectionKind if kind != InspectionKind.look_back)


def walk_templates(session: Session) -> list[dict]:
    """Return the active checklists with their items, in the shape of the templates API."""
    rows = session.scalars(
        select(InspectionTemplate)
        .where(InspectionTemplate.active.is_(True))
        .options(selectinload(InspectionTemplate.items))
        .order_by(InspectionTemplate.name)
    ).all()
    return [
        {
            "id": t.id,
            "name": t.name,
            "kind": t.kind,
            "active": t.active,
            "items": [
                {
                    "position": item.position,
                    "section": item.section,
                    "section_label": gettext(CHECKLIST_SECTION_LABELS.get(item.section, "")),
                    "name": item.name,
                    "hazard_category": item.hazard_category,
                }
                for item in t.items
            ],
        }
        for t in rows
    ]


def walk_sites(session: Session) -> list[dict]:
    """Return every active site with its WGS84 point (the phone sorts them by distance)."""
    rows = session.execute(
        select(Site.id, Site.name, Site.kind, func.ST_X(Site.geom), func.ST_Y(Site.geom))
        .where(Site.active.is_(True))
        .order_by(Site.name)
    ).all()
    return [
        {
            "id": site_id,
            "name": name,
            "kind": kind,
            "kind_label": gettext(SITE_KIND_LABELS[kind]) if kind in SITE_KIND_LABELS else kind,
            "lon": round(lon, 7),
            "lat": round(lat, 7),
        }
        for site_id, name, kind, lon, lat in rows
    ]


@bp.route("/field/inspection")
@permission_required("inspections.work")
def walk():
    return render_template(
        "inspections/walk.html",
        kinds={kind.value: gettext(INSPECTION_KIND_LABELS[kind]) for kind in WALK_KINDS},
        results={code.value: gettext(label) for code, label in ITEM_RESULT_LABELS.items()},
        templates=walk_templates(db.session),
        sites=walk_sites(db.session),
        leader_id=current_user.id,
    )
