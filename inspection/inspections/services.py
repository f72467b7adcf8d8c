"""Self-inspection operations: create an inspection with its team, scope and checklist.

Idempotent by the client's UUID like findings: a retry by the same user returns the stored
inspection, another user's UUID is a conflict, and of concurrent duplicates one is created
and the others read it. Every rule is checked before anything is written, so a refused body
saves nothing. Checklist answers and the hazards they raise are in `checklist.py`; the
回头看 re-checks in `lookback.py`; templates in `templates.py`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.errors import N_, NotFound, UuidTaken, ValidationError
from inspection.inspections import checklist
from inspection.inspections.kinds import InspectionKind
from inspection.inspections.models import (
    Inspection,
    InspectionItem,
    InspectionMember,
    InspectionSection,
    InspectionTemplate,
)
from inspection.inspections.schemas import InspectionInput, ItemInput, SectionInput
from inspection.network import services as network
from inspection.network.stakes import parse_stake
from inspection.patrols.schemas import FieldErrors
from inspection.sites.models import Site

# The register starts in 2000; a date before it is a typing mistake (0001-01-01).
EARLIEST_DAY = date(2000, 1, 1)


@dataclass(frozen=True)
class Saved:
    """A record and whether this call created it (False: the UUID was already stored)."""

    record: Inspection | InspectionItem
    created: bool


def get_inspection(session: Session, inspection_id: int, *, for_update: bool = False):
    query = select(Inspection).where(Inspection.id == inspection_id)
    if for_update:
        query = query.with_for_update()
    inspection = session.scalar(query)
    if inspection is None:
        raise NotFound(N_("There is no inspection %(id)s."), id=inspection_id)
    return inspection


def _existing(session: Session, client_uuid: uuid.UUID, actor: User) -> Inspection | None:
    record = session.scalar(select(Inspection).where(Inspection.client_uuid == client_uuid))
    if record is not None and record.created_by_id != actor.id:
        raise UuidTaken(N_("This record UUID belongs to another user's record."))
    return record


def create_inspection(
    session: Session,
    data: InspectionInput,
    *,
    actor: User,
    today: date,
    timezone: str = "Asia/Shanghai",
) -> Saved:
    """Create an inspection (or return the one stored under this UUID), answering its items.

    `today` is the day in the branch's time zone: an inspection may be dated up to tomorrow
    (a team setting out at midnight), never later.
    """
    existing = _existing(session, data.client_uuid, actor)
    if existing is not None:
        return Saved(existing, False)
    errors = FieldErrors()
    _check_dates(data, today, errors)
    leader = _user(session, data.leader_user_id, "leader_user_id", errors)
    members = _members(session, data, errors)
    sites = _sites(session, data.site_ids, errors)
    sections = _sections(session, data.sections, errors)
    if not data.site_ids and not data.sections and not errors.fields.get("site_ids"):
        errors.add("scope", N_("Choose at least one site or road section to inspect."))
    template = _template(session, data, errors)
    scope = checklist.Scope(sites=sites, sections=[(s.road, s.start, s.end) for s in sections])
    if data.items is not None:
        item_rows = list(data.items)
    elif template is not None:
        item_rows = [
            ItemInput(
                client_uuid=None,
                section=t.section,
                name=t.name,
                hazard_category=t.hazard_category,
                result=None,
                note="",
                site_id=None,
                road="",
                direction=None,
                stake="",
                grade="general",
                hazard_description="",
            )
            for t in template.items
            if t.name.strip()
        ]
    else:
        item_rows = []
    places = [
        checklist.check_item(session, row, scope, errors, prefix=f"items.{index}.")
        for index, row in enumerate(item_rows)
    ]
    if _item_uuids_taken(session, item_rows, errors):
        # A concurrent copy of this very inspection may have stored them meanwhile.
        existing = _existing(session, data.client_uuid, actor)
        if existing is not None:
            return Saved(existing, False)
        raise UuidTaken(N_("This record UUID belongs to another user's record."))
    errors.raise_if_any()

    if leader is None and not data.leader_name:
        leader = actor  # the person recording it leads, unless the body names someone else
    inspection = Inspection(
        client_uuid=data.client_uuid,
        kind=data.kind,
        theme=data.theme,
        started_on=data.started_on,
        ended_on=data.ended_on,
        leader_id=leader.id if leader else None,
        leader_name=data.leader_name,
        template_id=template.id if template else None,
        recheck_from=data.recheck_from,
        recheck_to=data.recheck_to,
        note=data.note,
        created_by_id=actor.id,
        members=members,
        sites=sites,
        sections=[
            InspectionSection(road_id=s.road.id, start_chainage=s.start, end_chainage=s.end)
            for s in sections
        ],
    )
    try:
        with session.begin_nested():
            session.add(inspection)
            session.flush()
    except IntegrityError:
        # A concurrent retry stored the same UUID first: answer with that one.
        existing = _existing(session, data.client_uuid, actor)
        if existing is None:
            raise
        return Saved(existing, False)
    for position, (row, place) in enumerate(zip(item_rows, places, strict=True), start=1):
        checklist.store_item(
            session,
            inspection,
            row,
            place,
            position=position,
            actor=actor,
            timezone=timezone,
        )
    session.flush()
    return Saved(inspection, True)


def _item_uuids_taken(session: Session, rows: list[ItemInput], errors: FieldErrors) -> bool:
    """Name an item UUID given twice; tell whether one is already stored (answered once)."""
    seen: set[uuid.UUID] = set()
    for index, row in enumerate(rows):
        if row.client_uuid is None:
            continue
        if row.client_uuid in seen:
            errors.add(f"items.{index}.client_uuid", N_("The same UUID is given twice."))
        seen.add(row.client_uuid)
    return bool(seen) and (
        session.scalar(
            select(InspectionItem.id).where(InspectionItem.client_uuid.in_(seen)).limit(1)
        )
        is not None
    )


def _check_dates(data: InspectionInput, today: date, errors: FieldErrors) -> None:
    latest = today + timedelta(days=1)
    for name in ("started_on", "ended_on", "recheck_from", "recheck_to"):
        value = getattr(data, name)
        if value is None:
            continue
        if value < EARLIEST_DAY:
            errors.add(name, N_("The date is before 2000; check the year."))
        elif value > latest:
            errors.add(name, N_("The date lies in the future."))
    if data.started_on and data.ended_on and data.ended_on < data.started_on:
        errors.add("ended_on", N_("The end lies before the start."))
    look_back = data.kind == InspectionKind.look_back
    if look_back:
        for name in ("recheck_from", "recheck_to"):
            if getattr(data, name) is None:
                errors.add(name, N_("A look-back inspection names the period it re-checks."))
        if data.recheck_from and data.recheck_to and data.recheck_to < data.recheck_from:
            errors.add("recheck_to", N_("The end lies before the start."))
    else:
        for name in ("recheck_from", "recheck_to"):
            if getattr(data, name) is not None:
                errors.add(name, N_("Only a look-back inspection re-checks a period."))


def _user(session: Session, user_id: int | None, name: str, errors: FieldErrors) -> User | None:
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None:
        errors.add(name, N_("No such user."))
    return user


def _members(session: Session, data: InspectionInput, errors: FieldErrors):
    members, seen = [], set()
    for index, member in enumerate(data.members):
        user = _user(session, member.user_id, f"members.{index}.user_id", errors)
        key = ("user", user.id) if user else ("name", member.name)
        if (member.user_id is not None and user is None) or key in seen:
            continue
        seen.add(key)
        members.append(
            InspectionMember(user_id=user.id if user else None, name="" if user else member.name)
        )
    return members


def _sites(session: Session, site_ids, errors: FieldErrors) -> list[Site]:
    wanted = list(dict.fromkeys(site_ids))
    if not wanted:
        return []
    found = {s.id: s for s in session.scalars(select(Site).where(Site.id.in_(wanted)))}
    if any(site_id not in found or not found[site_id].active for site_id in wanted):
        errors.add("site_ids", N_("Choose sites from the list."))
        return []
    return [found[site_id] for site_id in wanted]


@dataclass(frozen=True)
class _Section:
    road: object
    start: float
    end: float


def _sections(session: Session, rows: tuple[SectionInput, ...], errors: FieldErrors):
    """Return the scope's road sections: a road (and direction) and a stake range on it."""
    sections = []
    for index, row in enumerate(rows):
        prefix = f"sections.{index}."
        if not (row.road and row.start_stake and row.end_stake):
            continue  # the parser named the missing field
        try:
            road = network.get_road(session, row.road, row.direction)
        except (NotFound, ValidationError):
            errors.add(prefix + "road", N_("Choose a road and direction from the list."))
            continue
        stakes = []
        for name in ("start_stake", "end_stake"):
            try:
                stakes.append(parse_stake(getattr(row, name)))
            except ValidationError:
                errors.add(prefix + name, N_("Write the stake like K12+345."))
        if len(stakes) != 2:
            continue
        start, end = sorted(stakes)
        reference = network.reference_for(road)
        first, last = reference.first_chainage, reference.last_chainage
        if start < first - 0.5 or end > last + 0.5:
            errors.add(prefix + "end_stake", N_("The stakes lie outside this road."))
            continue
        sections.append(_Section(road, start, end))
    return sections


def _template(session: Session, data: InspectionInput, errors: FieldErrors):
    if data.template_id is None:
        return None
    template = session.get(InspectionTemplate, data.template_id)
    if template is None or not template.active:
        errors.add("template_id", N_("Choose a checklist from the list."))
        return None
    if template.kind is not None and data.kind and template.kind != data.kind:
        errors.add("template_id", N_("This checklist is for another kind of inspection."))
        return None
    return template


def scope_of(inspection: Inspection) -> checklist.Scope:
    """Return a stored inspection's scope as the checklist checks places against it."""
    return checklist.Scope(
        sites=list(inspection.sites),
        sections=[(s.road, s.start_chainage, s.end_chainage) for s in inspection.sections],
    )


def add_item(
    session: Session,
    inspection_id: int,
    data: ItemInput,
    *,
    actor: User,
    timezone: str = "Asia/Shanghai",
) -> Saved:
    """Add (or answer) one checklist item, once per item UUID; an unmet one raises its hazard.

    An unanswered line of the inspection's checklist with the same section and name takes the
    answer; otherwise the item is added at the end.
    """
    existing = checklist.existing_item(session, data.client_uuid, actor)
    if existing is not None:
        if existing.inspection_id != inspection_id:
            raise UuidTaken(N_("This record UUID belongs to another user's record."))
        return Saved(existing, False)
    inspection = get_inspection(session, inspection_id, for_update=True)
    if inspection.voided_at is not None:
        raise ValidationError(N_("This inspection was voided."))
    errors = FieldErrors()
    place = checklist.check_item(session, data, scope_of(inspection), errors, prefix="")
    errors.raise_if_any()
    item, created = checklist.answer_or_append(
        session, inspection, data, place, actor=actor, timezone=timezone
    )
    return Saved(item, created)


def answer_items(
    session: Session,
    inspection_id: int,
    answers: dict[int, ItemInput],
    *,
    actor: User,
    timezone: str = "Asia/Shanghai",
) -> Inspection:
    """Answer several items of an inspection by item id (the desktop page), all or none.

    Field errors are named `items.<item id>.<field>`.
    """
    inspection = get_inspection(session, inspection_id, for_update=True)
    if inspection.voided_at is not None:
        raise ValidationError(N_("This inspection was voided."))
    by_id = {item.id: item for item in inspection.items}
    errors = FieldErrors()
    scope = scope_of(inspection)
    checked = []
    for item_id, data in answers.items():
        item = by_id.get(item_id)
        if item is None:
            raise NotFound(N_("There is no such checklist item."))
        if data.result is None or (data.result == item.result and item.hazard_id is not None):
            continue
        prefix = f"items.{item_id}."
        if item.hazard_id is not None:
            errors.add(prefix + "result", N_("This item raised a hazard; its answer stands."))
            continue
        place = checklist.check_item(session, data, scope, errors, prefix=prefix, item=item)
        checked.append((item, data, place))
    errors.raise_if_any()
    for item, data, place in checked:
        checklist.answer(session, inspection, item, data, place, actor=actor, timezone=timezone)
    session.flush()
    return inspection
