"""Checklist items of an inspection: where each was checked, its answer, the hazard it raises.

An item that does not meet raises one hazard (source self_inspection, naming the inspection)
at its site or stake — or, when an open hazard of the same category is already recorded at
the same site or within `SAME_PLACE_M` on the same road, links to that one instead, so the
same hazard is never in the ledger twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from geoalchemy2 import Geography
from sqlalchemy import cast, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.db import utcnow
from inspection.errors import N_, NotFound, UuidTaken, ValidationError
from inspection.geo import SRID
from inspection.hazards import services as hazard_services
from inspection.hazards import workflow
from inspection.hazards.models import Hazard
from inspection.inspections.kinds import SAME_PLACE_M, ChecklistSection, ItemResult
from inspection.inspections.models import Inspection, InspectionItem
from inspection.inspections.schemas import ItemInput
from inspection.network import services as network
from inspection.network.models import Road
from inspection.network.services import RecordLocation
from inspection.network.stakes import parse_stake
from inspection.patrols.schemas import FieldErrors
from inspection.sites.models import Site

# 50 m is under 0.0007° of longitude anywhere south of 60° N; the box only pre-selects.
NEAR_BOX_DEGREES = 0.001
# A phone's clock may run a little ahead; further into the future is a mistake.
CLOCK_SKEW = timedelta(minutes=10)
# Advisory-lock namespaces: one hazard-place check at a time per site / per road.
_SITE_LOCK, _ROAD_LOCK = 7_320_001, 7_320_002


@dataclass(frozen=True)
class Scope:
    """What an inspection covers: its sites, and its road sections (road, start, end)."""

    sites: list[Site]
    sections: list[tuple[Road, float, float]] = field(default_factory=list)

    def covers_stake(self, road: Road, chainage: float) -> bool:
        return any(
            r.id == road.id and start - 0.5 <= chainage <= end + 0.5
            for r, start, end in self.sections
        )


@dataclass(frozen=True)
class Place:
    """Where an item was checked: a site of the scope, a stake in a scope section, or nowhere."""

    site: Site | None = None
    road: Road | None = None
    chainage: float | None = None
    location: RecordLocation | None = None  # the stake's hazard location, for an unmet item


def existing_item(
    session: Session, client_uuid: uuid.UUID | None, actor: User
) -> InspectionItem | None:
    """Return the item stored under a client UUID, refusing another user's."""
    if client_uuid is None:
        return None
    item = session.scalar(select(InspectionItem).where(InspectionItem.client_uuid == client_uuid))
    if item is not None and item.checked_by_id not in (None, actor.id):
        raise UuidTaken(N_("This record UUID belongs to another user's record."))
    return item


def check_item(
    session: Session,
    row: ItemInput,
    scope: Scope,
    errors: FieldErrors,
    *,
    prefix: str,
    item: InspectionItem | None = None,
) -> Place:
    """Check an item's place and answer against the scope; return where it was checked.

    `item` is the stored line being answered (its category counts when the row names none).
    """
    category = row.hazard_category or (item.hazard_category if item else "") or "other"
    if row.checked_at is not None and row.checked_at > utcnow() + CLOCK_SKEW:
        errors.add(prefix + "checked_at", N_("In the future."))
    place = Place()
    if row.site_id is not None and row.stake:
        errors.add(prefix + "site_id", N_("Give a site or a stake, not both."))
        return place
    if row.site_id is not None:
        site = next((s for s in scope.sites if s.id == row.site_id), None)
        if site is None:
            errors.add(prefix + "site_id", N_("Choose a site of this inspection's scope."))
            return place
        place = Place(site=site)
    elif row.stake:
        place = _stake_place(session, row, scope, errors, prefix)
        if place is None:
            return Place()
    elif len(scope.sites) == 1:
        place = Place(site=scope.sites[0])
    if row.result != ItemResult.does_not_meet:
        return place
    if place.site is None and place.road is None:
        errors.add(
            prefix + "site_id",
            N_("Say where it does not meet: a site of the scope or a stake."),
        )
        return place
    location_type = workflow.LocationType.site if place.site else workflow.LocationType.road
    if not workflow.HAZARD_CATEGORIES[category].applies(location_type):
        errors.add(
            prefix + "hazard_category",
            N_("This category does not apply to this kind of place."),
        )
    if place.road is not None:
        try:
            location = network.resolve_location(
                session,
                road_code=place.road.code,
                direction=place.road.direction,
                stake=row.stake,
            )
        except (ValidationError, NotFound):
            errors.add(prefix + "stake", N_("This stake cannot be placed on the road."))
            return place
        place = Place(road=place.road, chainage=place.chainage, location=location)
    return place


def _stake_place(
    session: Session, row: ItemInput, scope: Scope, errors: FieldErrors, prefix: str
) -> Place | None:
    """Return a stake's place; the road may be left out when the scope has one road."""
    road_code, direction = row.road, row.direction
    if not road_code:
        roads = {r.id: r for r, _, _ in scope.sections}
        if len(roads) != 1:
            errors.add(prefix + "road", N_("Choose a road."))
            return None
        (only,) = roads.values()
        road_code, direction = only.code, direction or only.direction
    try:
        road = network.get_road(session, road_code, direction)
    except (NotFound, ValidationError):
        errors.add(prefix + "road", N_("Choose a road and direction from the list."))
        return None
    try:
        chainage = parse_stake(row.stake)
    except ValidationError:
        errors.add(prefix + "stake", N_("Write the stake like K12+345."))
        return None
    if not scope.covers_stake(road, chainage):
        errors.add(prefix + "stake", N_("The stake lies outside this inspection's road sections."))
        return None
    return Place(road=road, chainage=chainage)


def store_item(
    session: Session,
    inspection: Inspection,
    row: ItemInput,
    place: Place,
    *,
    position: int,
    actor: User,
    timezone: str,
) -> InspectionItem:
    """Add a new item to the inspection and raise (or link) its hazard if it does not meet."""
    item = InspectionItem(
        client_uuid=row.client_uuid,
        inspection_id=inspection.id,
        position=position,
        section=row.section or ChecklistSection.other.value,
        name=row.name,
        hazard_category=row.hazard_category or "other",
    )
    _write_answer(item, row, place, actor)
    session.add(item)
    session.flush()
    _raise_or_link(session, inspection, item, row, place, actor=actor, timezone=timezone)
    return item


def answer(
    session: Session,
    inspection: Inspection,
    item: InspectionItem,
    row: ItemInput,
    place: Place,
    *,
    actor: User,
    timezone: str,
) -> InspectionItem:
    """Answer an item already on the checklist (its hazard stands once raised)."""
    _write_answer(item, row, place, actor)
    session.flush()
    _raise_or_link(session, inspection, item, row, place, actor=actor, timezone=timezone)
    return item


def answer_or_append(
    session: Session,
    inspection: Inspection,
    row: ItemInput,
    place: Place,
    *,
    actor: User,
    timezone: str,
) -> tuple[InspectionItem, bool]:
    """Answer the unanswered line with this section and name, or append a new item."""
    if not row.name:
        raise ValidationError(
            N_("Some fields are not valid."), fields={"name": N_("Name the checklist item.")}
        )
    line = next(
        (
            i
            for i in inspection.items
            if i.client_uuid is None
            and i.result is None
            and i.name == row.name
            and (not row.section or i.section == row.section)
        ),
        None,
    )
    try:
        with session.begin_nested():
            if line is not None:
                line.client_uuid = row.client_uuid
                if row.hazard_category:
                    line.hazard_category = row.hazard_category
                _write_answer(line, row, place, actor)
                item = line
            else:
                position = max((i.position for i in inspection.items), default=0) + 1
                item = InspectionItem(
                    client_uuid=row.client_uuid,
                    inspection_id=inspection.id,
                    position=position,
                    section=row.section or ChecklistSection.other.value,
                    name=row.name,
                    hazard_category=row.hazard_category or "other",
                )
                _write_answer(item, row, place, actor)
                session.add(item)
            session.flush()
    except IntegrityError:
        # A concurrent retry stored the same item UUID first.
        existing = existing_item(session, row.client_uuid, actor)
        if existing is None or existing.inspection_id != inspection.id:
            raise
        return existing, False
    _raise_or_link(session, inspection, item, row, place, actor=actor, timezone=timezone)
    if line is None:
        session.refresh(inspection, ["items"])
    return item, True


def _write_answer(item: InspectionItem, row: ItemInput, place: Place, actor: User) -> None:
    item.result = row.result
    item.note = row.note
    item.site_id = place.site.id if place.site else None
    item.road_id = place.road.id if place.road else None
    item.chainage = place.chainage if place.road else None
    if row.result is not None:
        item.checked_at = row.checked_at or utcnow()
        item.checked_by_id = actor.id


def _raise_or_link(
    session: Session,
    inspection: Inspection,
    item: InspectionItem,
    row: ItemInput,
    place: Place,
    *,
    actor: User,
    timezone: str,
) -> None:
    if item.result != ItemResult.does_not_meet or item.hazard_id is not None:
        return
    hazard = open_hazard_at(session, place, item.hazard_category)
    if hazard is None:
        description = row.hazard_description or "：".join(filter(None, [item.name, item.note]))
        hazard = hazard_services.raise_hazard(
            session,
            category=item.hazard_category,
            grade=row.grade or "general",
            description=description,
            actor=actor,
            location=place.location if place.site is None else None,
            site=place.site,
            source=workflow.HazardSource.self_inspection,
            inspection_id=inspection.id,
            found_at=item.checked_at,
            timezone=timezone,
        )
    item.hazard_id = hazard.id
    session.flush()


def open_hazard_at(session: Session, place: Place, category: str) -> Hazard | None:
    """Return the open hazard of this category already at the place, if any.

    Open is any state but closed. At a site: a hazard at the same site. At a stake: the
    nearest hazard on the same road within `SAME_PLACE_M` metres (geography distance). An
    advisory lock per site or road makes two answers at the same place check one at a time,
    so concurrent items never raise the same hazard twice.
    """
    query = select(Hazard).where(Hazard.state != "closed", Hazard.category == category)
    if place.site is not None:
        session.execute(select(func.pg_advisory_xact_lock(_SITE_LOCK, place.site.id)))
        query = query.where(Hazard.site_id == place.site.id).order_by(Hazard.found_at.desc())
    else:
        session.execute(select(func.pg_advisory_xact_lock(_ROAD_LOCK, place.road.id)))
        geometry = place.location.geometry
        point = func.ST_SetSRID(func.ST_MakePoint(geometry.x, geometry.y), SRID)
        query = query.where(
            Hazard.road_id == place.road.id,
            func.ST_DWithin(Hazard.geom, point, NEAR_BOX_DEGREES),
            func.ST_DWithin(cast(Hazard.geom, Geography), cast(point, Geography), SAME_PLACE_M),
        ).order_by(func.ST_Distance(cast(Hazard.geom, Geography), cast(point, Geography)))
    return session.scalars(query.limit(1)).first()
