"""Read-only queries of self-inspections: lists, one inspection in full, counts by kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from inspection.hazards.models import Hazard
from inspection.inspections.kinds import (
    CHECKLIST_SECTION_LABELS,
    INSPECTION_KIND_LABELS,
    InspectionKind,
)
from inspection.inspections.models import (
    Inspection,
    InspectionItem,
    InspectionMember,
    InspectionRecheck,
    InspectionSection,
    InspectionTemplate,
)
from inspection.media.models import Photo
from inspection.network.stakes import format_stake
from inspection.patrols.queries import photo_dict


@dataclass(frozen=True)
class InspectionFilters:
    kind: str | None = None
    since: date | None = None  # started on or after
    until: date | None = None  # started on or before
    include_voided: bool = False


def _filtered(query, filters: InspectionFilters):
    if filters.kind:
        query = query.where(Inspection.kind == filters.kind)
    if filters.since:
        query = query.where(Inspection.started_on >= filters.since)
    if filters.until:
        query = query.where(Inspection.started_on <= filters.until)
    if not filters.include_voided:
        query = query.where(Inspection.voided_at.is_(None))
    return query


def find_inspections(
    session: Session, filters: InspectionFilters, *, page: int = 1, per_page: int = 50
) -> tuple[list[Inspection], int]:
    """Return one page of inspections (latest first) and how many match."""
    query = _filtered(select(Inspection), filters)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(
        query.options(
            selectinload(Inspection.sites),
            selectinload(Inspection.sections).selectinload(InspectionSection.road),
            selectinload(Inspection.leader),
        )
        .order_by(Inspection.started_on.desc(), Inspection.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(rows), total


def count_by_kind(session: Session, start: date, end: date) -> dict[str, int]:
    """Return how many inspections started from `start` to `end` (both inclusive), by kind.

    An inspection counts once however many sites and road sections it covers (the count is
    over the inspections table alone); voided ones are not counted. Every kind is present,
    in the report's order, with 0 where there was none.
    """
    rows = session.execute(
        select(Inspection.kind, func.count(Inspection.id))
        .where(
            Inspection.started_on >= start,
            Inspection.started_on <= end,
            Inspection.voided_at.is_(None),
        )
        .group_by(Inspection.kind)
    ).all()
    found = dict(rows)
    return {kind.value: found.get(kind.value, 0) for kind in InspectionKind}


def load_inspection(session: Session, inspection_id: int) -> Inspection | None:
    """Return an inspection with its team, scope, items, hazards and re-checks loaded."""
    return session.scalar(
        select(Inspection)
        .where(Inspection.id == inspection_id)
        .options(
            selectinload(Inspection.members).selectinload(InspectionMember.user),
            selectinload(Inspection.sites),
            selectinload(Inspection.sections).selectinload(InspectionSection.road),
            selectinload(Inspection.items).selectinload(InspectionItem.hazard),
            selectinload(Inspection.items).selectinload(InspectionItem.site),
            selectinload(Inspection.items).selectinload(InspectionItem.road),
            selectinload(Inspection.rechecks).selectinload(InspectionRecheck.hazard),
            selectinload(Inspection.leader),
        )
        .execution_options(populate_existing=True)
    )


def hazards_of(session: Session, inspection: Inspection) -> list[Hazard]:
    """Return the hazards the inspection raised or its items link to."""
    item_hazards = select(InspectionItem.hazard_id).where(
        InspectionItem.inspection_id == inspection.id, InspectionItem.hazard_id.is_not(None)
    )
    return list(
        session.scalars(
            select(Hazard)
            .where(or_(Hazard.inspection_id == inspection.id, Hazard.id.in_(item_hazards)))
            .order_by(Hazard.number)
        )
    )


def photos_of_items(session: Session, inspection: Inspection) -> dict[int, list[Photo]]:
    """Return the photos of the inspection's items, by item id."""
    item_ids = [item.id for item in inspection.items]
    photos: dict[int, list[Photo]] = {}
    if item_ids:
        for photo in session.scalars(
            select(Photo).where(Photo.inspection_item_id.in_(item_ids)).order_by(Photo.id)
        ):
            photos.setdefault(photo.inspection_item_id, []).append(photo)
    return photos


def raised_by(inspection: Inspection) -> dict[int, int]:
    """Return, for each hazard this inspection raised, the id of the item that raised it.

    Any other item naming a hazard linked to one already recorded (`linked_existing`).
    """
    raised: dict[int, int] = {}
    for item in sorted(inspection.items, key=lambda i: i.id):
        hazard = item.hazard
        if hazard is not None and hazard.inspection_id == inspection.id:
            raised.setdefault(hazard.id, item.id)
    return raised


def hazard_ref(hazard: Hazard | None, *, linked_existing: bool | None = None) -> dict | None:
    if hazard is None:
        return None
    ref = {
        "id": hazard.id,
        "number": hazard.number,
        "state": hazard.state,
        "category": hazard.category,
    }
    if linked_existing is not None:
        ref["linked_existing"] = linked_existing
    return ref


def item_dict(item: InspectionItem, photos: list[Photo], raised: dict[int, int]) -> dict:
    return {
        "id": item.id,
        "client_uuid": str(item.client_uuid) if item.client_uuid else None,
        "position": item.position,
        "section": item.section,
        "name": item.name,
        "hazard_category": item.hazard_category,
        "result": item.result,
        "note": item.note,
        "site_id": item.site_id,
        "road": item.road.code if item.road else None,
        "direction": item.road.direction if item.road else None,
        "stake": format_stake(item.chainage) if item.chainage is not None else None,
        "checked_at": item.checked_at.isoformat() if item.checked_at else None,
        "hazard": hazard_ref(
            item.hazard,
            linked_existing=item.hazard is not None and raised.get(item.hazard_id) != item.id,
        ),
        "photos": [photo_dict(p) for p in photos],
    }


def section_dict(section: InspectionSection) -> dict:
    return {
        "road": section.road.code,
        "direction": section.road.direction,
        "start_stake": format_stake(section.start_chainage),
        "end_stake": format_stake(section.end_chainage),
    }


def recheck_dict(recheck: InspectionRecheck) -> dict:
    return {
        "hazard_id": recheck.hazard_id,
        "number": recheck.hazard.number,
        "outcome": recheck.outcome,
        "note": recheck.note,
        "event_id": recheck.event_id,
        "checked_by_id": recheck.checked_by_id,
        "created_at": recheck.created_at.isoformat(),
    }


def summary_dict(inspection: Inspection, gettext=lambda s: s) -> dict:
    return {
        "id": inspection.id,
        "client_uuid": str(inspection.client_uuid),
        "kind": inspection.kind,
        "kind_label": gettext(INSPECTION_KIND_LABELS[InspectionKind(inspection.kind)]),
        "theme": inspection.theme,
        "started_on": inspection.started_on.isoformat(),
        "ended_on": inspection.ended_on.isoformat(),
        "leader": {"id": inspection.leader.id, "name": inspection.leader.name}
        if inspection.leader
        else None,
        "leader_name": inspection.leader_name,
        "sites": [{"id": s.id, "name": s.name, "kind": s.kind} for s in inspection.sites],
        "sections": [section_dict(s) for s in inspection.sections],
        "recheck_from": inspection.recheck_from.isoformat() if inspection.recheck_from else None,
        "recheck_to": inspection.recheck_to.isoformat() if inspection.recheck_to else None,
        "voided": inspection.voided_at is not None,
    }


def inspection_dict(session: Session, inspection: Inspection, gettext=lambda s: s) -> dict:
    """Return an inspection in full, as GET /api/v1/inspections/<id> answers it."""
    photos = photos_of_items(session, inspection)
    raised = raised_by(inspection)
    return {
        **summary_dict(inspection, gettext),
        "note": inspection.note,
        "template_id": inspection.template_id,
        "members": [
            {"user_id": m.user_id, "name": m.user.name if m.user else m.name}
            for m in inspection.members
        ],
        "items": [item_dict(i, photos.get(i.id, []), raised) for i in inspection.items],
        "hazards": [hazard_ref(h) for h in hazards_of(session, inspection)],
        "rechecks": [recheck_dict(r) for r in inspection.rechecks],
    }


def list_templates(session: Session, *, active_only: bool = False) -> list[InspectionTemplate]:
    query = select(InspectionTemplate).options(selectinload(InspectionTemplate.items))
    if active_only:
        query = query.where(InspectionTemplate.active.is_(True))
    return list(
        session.scalars(query.order_by(InspectionTemplate.active.desc(), InspectionTemplate.name))
    )


def template_dict(template: InspectionTemplate, gettext=lambda s: s) -> dict:
    return {
        "id": template.id,
        "name": template.name,
        "kind": template.kind,
        "active": template.active,
        "items": [
            {
                "position": item.position,
                "section": item.section,
                "section_label": gettext(CHECKLIST_SECTION_LABELS.get(item.section, item.section)),
                "name": item.name,
                "hazard_category": item.hazard_category,
            }
            for item in template.items
        ],
    }


def candidate_dict(hazard: Hazard, recheck: InspectionRecheck | None) -> dict:
    return {
        "id": hazard.id,
        "number": hazard.number,
        "state": hazard.state,
        "version": hazard.version,
        "category": hazard.category,
        "grade": hazard.grade,
        "description": hazard.description,
        "site_id": hazard.site_id,
        "road_id": hazard.road_id,
        "stake": format_stake(hazard.chainage) if hazard.chainage is not None else None,
        "closed_at": hazard.closed_at.isoformat() if hazard.closed_at else None,
        "recheck": {"outcome": recheck.outcome, "note": recheck.note} if recheck else None,
    }
