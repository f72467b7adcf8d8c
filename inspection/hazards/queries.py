"""Read-only hazard queries: lists, the officer's board, the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from inspection.auth.models import User
from inspection.errors import N_
from inspection.geo import from_db
from inspection.hazards import workflow
from inspection.hazards.labels import SOURCE_LABELS
from inspection.hazards.models import Hazard, HazardEvent
from inspection.media.models import Photo
from inspection.network.models import Road
from inspection.network.stakes import format_stake
from inspection.sites.kinds import SiteKind
from inspection.sites.models import Department, Site

DUE_SOON_DAYS = 3
OPEN_STATES = ("reported", "rectifying", "awaiting_verification")
# The place filter: at a road stake, at any site, or at one kind of site.
PLACES = (*(str(t) for t in workflow.LocationType), *(str(k) for k in SiteKind))


@dataclass(frozen=True)
class HazardFilters:
    state: str | None = None
    overdue: bool = False
    road: str | None = None
    grade: str | None = None
    category: str | None = None
    source: str | None = None
    place: str | None = None  # one of PLACES


def _filtered(query, filters: HazardFilters):
    """Add the conditions the filters name (state, overdue aside) to a hazard query."""
    if filters.road:
        query = query.join(Road, Road.id == Hazard.road_id).where(Road.code == filters.road.upper())
    if filters.grade:
        query = query.where(Hazard.grade == filters.grade)
    if filters.category:
        query = query.where(Hazard.category == filters.category)
    if filters.source:
        query = query.where(Hazard.source == filters.source)
    if filters.place == workflow.LocationType.road:
        query = query.where(Hazard.road_id.is_not(None))
    elif filters.place == workflow.LocationType.site:
        query = query.where(Hazard.site_id.is_not(None))
    elif filters.place:
        query = query.where(Hazard.site_id.in_(select(Site.id).where(Site.kind == filters.place)))
    return query


def find_hazards(
    session: Session, filters: HazardFilters, *, today: date, page: int = 1, per_page: int = 50
) -> tuple[list[Hazard], int]:
    """Return one page of hazards (deadline first, then newest) and the total matching."""
    query = select(Hazard)
    if filters.state:
        query = query.where(Hazard.state == filters.state)
    if filters.overdue:
        query = query.where(Hazard.state != "closed", Hazard.deadline < today)
    query = _filtered(query, filters)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(
        query.options(
            joinedload(Hazard.road),
            joinedload(Hazard.site),
            joinedload(Hazard.responsible_department),
            joinedload(Hazard.found_by),
            joinedload(Hazard.assignee),
        )
        .order_by(Hazard.deadline.asc().nulls_last(), Hazard.found_at.desc(), Hazard.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(rows), total


@dataclass
class Board:
    """What a safety officer chases: open hazards by state, due soon, overdue, by place, grade."""

    by_state: dict[str, list[Hazard]]
    due_soon: list[Hazard]
    overdue: list[tuple[Hazard, int]]
    by_road_grade: list[tuple[str, str, int]]
    by_site_kind_grade: list[tuple[str, str, int]]


def officer_board(session: Session, *, today: date, filters: HazardFilters | None = None) -> Board:
    """Return the open hazards the filters keep (source, place, grade, category, road)."""
    filters = filters or HazardFilters()
    open_hazards = session.scalars(
        _filtered(select(Hazard), filters)
        .where(Hazard.state.in_(OPEN_STATES))
        .options(joinedload(Hazard.road), joinedload(Hazard.site))
        .order_by(Hazard.deadline.asc().nulls_last(), Hazard.found_at, Hazard.id)
    ).all()
    by_state = {state: [h for h in open_hazards if h.state == state] for state in OPEN_STATES}
    due_soon = [
        h
        for h in open_hazards
        if h.deadline is not None and today <= h.deadline <= today + timedelta(days=DUE_SOON_DAYS)
    ]
    overdue = [
        (h, workflow.days_overdue(h.state, h.deadline, today))
        for h in open_hazards
        if workflow.is_overdue(h.state, h.deadline, today)
    ]
    by_road_grade: dict[tuple[str, str], int] = {}
    by_site_kind_grade: dict[tuple[str, str], int] = {}
    for h in open_hazards:
        if h.road is not None:
            key = (h.road.code, h.grade)
            by_road_grade[key] = by_road_grade.get(key, 0) + 1
        else:
            key = (h.site.kind, h.grade)
            by_site_kind_grade[key] = by_site_kind_grade.get(key, 0) + 1
    return Board(
        by_state,
        due_soon,
        sorted(overdue, key=lambda p: -p[1]),
        [(*key, n) for key, n in sorted(by_road_grade.items())],
        [(*key, n) for key, n in sorted(by_site_kind_grade.items())],
    )


def active_departments(session: Session) -> list[Department]:
    """Return the departments a rectification may be assigned to, by name."""
    return list(
        session.scalars(select(Department).where(Department.active).order_by(Department.name))
    )


def events_of(session: Session, hazard: Hazard) -> list[HazardEvent]:
    return list(
        session.scalars(
            select(HazardEvent)
            .where(HazardEvent.hazard_id == hazard.id)
            .options(joinedload(HazardEvent.actor))
            .order_by(HazardEvent.seq)
        )
    )


def photos_of(session: Session, hazard: Hazard) -> list[Photo]:
    """Return the hazard's own photos and those of the finding it was raised from."""
    owners = [Photo.hazard_id == hazard.id]
    if hazard.finding_id is not None:
        owners.append(Photo.finding_id == hazard.finding_id)
    return list(session.scalars(select(Photo).where(or_(*owners)).order_by(Photo.id)))


def location_type(hazard: Hazard) -> str:
    """Return where the hazard is: "road" (a stake) or "site"."""
    return str(workflow.LocationType.road if hazard.site_id is None else workflow.LocationType.site)


def stake_text(hazard: Hazard) -> str:
    """Return the stake (or stake range) of a hazard at a road; "" for a hazard at a site."""
    if hazard.chainage is None:
        return ""
    text = format_stake(hazard.chainage)
    if hazard.end_chainage is not None:
        text += "–" + format_stake(hazard.end_chainage)
    return text


def hazard_dict(hazard: Hazard, *, today: date) -> dict:
    road, site, unit = hazard.road, hazard.site, hazard.responsible_department
    return {
        "id": hazard.id,
        "uuid": str(hazard.client_uuid) if hazard.client_uuid else None,
        "number": hazard.number,
        "state": hazard.state,
        "version": hazard.version,
        "category": hazard.category,
        "grade": hazard.grade,
        "description": hazard.description,
        "source": hazard.source,
        "source_label": gettext(SOURCE_LABELS.get(hazard.source, hazard.source)),
        "inspection_id": hazard.inspection_id,
        "location_type": location_type(hazard),
        "road": road.code if road is not None else None,
        "direction": hazard.direction,
        "stake": format_stake(hazard.chainage) if hazard.chainage is not None else None,
        "end_stake": format_stake(hazard.end_chainage) if hazard.end_chainage is not None else None,
        "site": {"id": site.id, "name": site.name, "kind": site.kind} if site is not None else None,
        "location_note": hazard.location_note,
        "geometry": from_db(hazard.geom).__geo_interface__,
        "found_at": hazard.found_at.isoformat(),
        "found_by": hazard.found_by.username,
        "interim_measures": hazard.interim_measures,
        "responsible_unit": {"id": unit.id, "name": unit.name} if unit is not None else None,
        "responsible_person": hazard.responsible_person,
        "assignee": hazard.assignee.username if hazard.assignee else None,
        "measures": hazard.measures,
        "plan": hazard.plan,
        "deadline": hazard.deadline.isoformat() if hazard.deadline else None,
        "overdue": workflow.is_overdue(hazard.state, hazard.deadline, today),
        "days_overdue": workflow.days_overdue(hazard.state, hazard.deadline, today),
        "closed_at": hazard.closed_at.isoformat() if hazard.closed_at else None,
    }


def event_dict(event: HazardEvent) -> dict:
    return {
        "seq": event.seq,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "actor": event.actor.username,
        "at": event.at.isoformat(),
        "note": event.note,
        "payload": event.payload,
        "evidence": event.evidence,
        "hash": event.hash,
    }


LEDGER_COLUMNS = (
    ("number", N_("Number")),
    ("source", N_("Source")),
    ("location_type", N_("Location type")),
    ("road", N_("Road")),
    ("site", N_("Site name")),
    ("location", N_("Location")),
    ("category", N_("Category")),
    ("description", N_("Description")),
    ("grade", N_("Grade")),
    ("found_on", N_("Found on")),
    ("found_by", N_("Found by")),
    ("interim_measures", N_("Interim measures")),
    ("measures", N_("Rectification measures")),
    ("responsible_unit", N_("Responsible unit")),
    ("responsible_person", N_("Responsible person")),
    ("deadline", N_("Deadline")),
    ("state", N_("State")),
    ("closed_on", N_("Closed on")),
    ("verified_by", N_("Verified by")),
)


def ledger_rows(session: Session, *, timezone) -> list[dict]:
    """Return every hazard as a ledger row (台账), oldest first, dates in the branch's zone.

    `location_type` is "road" or the site's kind; `location` is the stake, or where at the site.
    """
    verifiers = {u.id: u.name for u in session.scalars(select(User))}
    rows = []
    for hazard in session.scalars(
        select(Hazard)
        .options(
            joinedload(Hazard.road),
            joinedload(Hazard.site),
            joinedload(Hazard.responsible_department),
            joinedload(Hazard.found_by),
        )
        .order_by(Hazard.found_at, Hazard.id)
    ):
        road, site, unit = hazard.road, hazard.site, hazard.responsible_department
        rows.append(
            {
                "number": hazard.number,
                "source": hazard.source,
                "location_type": site.kind if site is not None else location_type(hazard),
                "road": f"{road.code} {road.name}" if road is not None else "",
                "site": site.name if site is not None else "",
                "location": stake_text(hazard) if road is not None else hazard.location_note,
                "category": hazard.category,
                "description": hazard.description,
                "grade": hazard.grade,
                "found_on": hazard.found_at.astimezone(timezone).date(),
                "found_by": hazard.found_by.name,
                "interim_measures": hazard.interim_measures,
                "measures": hazard.measures,
                "responsible_unit": unit.name if unit is not None else "",
                "responsible_person": hazard.responsible_person,
                "deadline": hazard.deadline,
                "state": hazard.state,
                "closed_on": hazard.closed_at.astimezone(timezone).date()
                if hazard.closed_at
                else None,
                "verified_by": verifiers.get(hazard.verified_by_id, ""),
            }
        )
    return rows
