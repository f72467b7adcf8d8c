"""Hazard operations: raise, and (with the rectification loop) every later transition."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.db import utcnow
from inspection.errors import N_, NotFound, StaleVersion, UuidTaken, ValidationError
from inspection.geo import to_db
from inspection.hazards import audit, workflow
from inspection.hazards.models import Hazard, HazardEvent
from inspection.hazards.schemas import check_payload
from inspection.inputs import PlausibleTime, check
from inspection.media.models import Photo
from inspection.network.services import (
    DERIVED_GEOMETRY_UPDATERS,
    RecordLocation,
    recompute_records,
)
from inspection.sites.models import Department, Site


def _next_number(session: Session, year: int) -> str:
    """Return the next ledger number of the year (YH-2026-0001), safe under concurrency."""
    # A transaction-level advisory lock per year serialises numbering without locking tables.
    session.execute(select(func.pg_advisory_xact_lock(7_310_000 + year)))
    prefix = f"YH-{year}-"
    last = session.scalar(select(func.max(Hazard.number)).where(Hazard.number.like(f"{prefix}%")))
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def append_event(
    session: Session,
    hazard: Hazard,
    *,
    action: str,
    from_state: str | None,
    actor: User,
    note: str = "",
    payload: dict[str, Any] | None = None,
    evidence: list[str] | None = None,
    at: datetime | None = None,
) -> HazardEvent:
    """Append the audit event of a transition, chained to the hazard's previous event."""
    previous = session.scalar(
        select(HazardEvent)
        .where(HazardEvent.hazard_id == hazard.id)
        .order_by(HazardEvent.seq.desc())
        .limit(1)
    )
    seq = previous.seq + 1 if previous else 1
    prev_hash = previous.hash if previous else audit.GENESIS
    at = at or utcnow()
    payload = _jsonable(payload or {})
    evidence = list(evidence or [])
    values = {
        "hazard_id": hazard.id,
        "seq": seq,
        "action": action,
        "from_state": from_state,
        "to_state": hazard.state,
        "actor_id": actor.id,
        "at": at,
        "note": note,
        "payload": payload,
        "evidence": evidence,
    }
    event = HazardEvent(
        **values,
        prev_hash=prev_hash,
        hash=audit.event_hash(prev_hash, audit.hashed_fields(**values)),
    )
    session.add(event)
    session.flush()
    return event


def _jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in payload.items()
    }


def raise_reported_hazard(
    session: Session,
    client_uuid: uuid.UUID,
    *,
    actor: User,
    **fields: Any,
) -> tuple[Hazard, bool]:
    """Raise a hazard reported directly (not from a finding), once per client UUID.

    Retries of one raise may arrive at the same moment: the hazard is inserted in a savepoint,
    and the one that loses the race on the unique client UUID answers with the winner's hazard.
    """
    existing = _by_client_uuid(session, client_uuid, actor)
    if existing is not None:
        return existing, False
    try:
        with session.begin_nested():
            hazard = raise_hazard(session, actor=actor, client_uuid=client_uuid, **fields)
    except IntegrityError:
        existing = _by_client_uuid(session, client_uuid, actor)
        if existing is None:
            raise
        return existing, False
    return hazard, True


def _by_client_uuid(session: Session, client_uuid: uuid.UUID, actor: User) -> Hazard | None:
    existing = session.scalar(select(Hazard).where(Hazard.client_uuid == client_uuid))
    if existing is not None and existing.found_by_id != actor.id:
        raise UuidTaken(N_("This record UUID belongs to another user's record."))
    return existing


def site_for_hazard(session: Session, site_id: Any) -> Site:
    """Return the active site a hazard is raised at, or refuse an unknown one (422)."""
    site = None
    if isinstance(site_id, int) and not isinstance(site_id, bool) and 0 < site_id < 2**31:
        site = session.get(Site, site_id)
    if site is None or not site.active:
        raise ValidationError(
            N_("Some fields are not valid."),
            fields={"site_id": N_("Choose a site from the list.")},
        )
    return site


def _place_error(message: str) -> ValidationError:
    return ValidationError(N_("Some fields are not valid."), fields={"location": message})


def _plausible_found_at(found_at: datetime | None) -> datetime:
    """Return when a hazard was found: now, or a time from 2000 to a few minutes ahead (a
    wrong clock must not open a ledger year such as YH-9999)."""
    if found_at is None:
        return utcnow()
    moment, message = check(PlausibleTime, found_at)
    if message:
        raise ValidationError(N_("Some fields are not valid."), fields={"found_at": message})
    return moment


def raise_hazard(
    session: Session,
    *,
    category: str,
    grade: str,
    description: str,
    actor: User,
    location: RecordLocation | None = None,
    site: Site | None = None,
    location_note: str = "",
    source: str = workflow.HazardSource.patrol,
    inspection_id: int | None = None,
    found_at: datetime | None = None,
    interim_measures: str = "",
    finding_id: int | None = None,
    client_uuid: uuid.UUID | None = None,
    timezone: str = "Asia/Shanghai",
) -> Hazard:
    """Raise a hazard in its first state (登记) with its first audit event.

    It is at a road stake (`location`) or at a site (`site`, with `location_note` saying where
    at it), exactly one; its category must apply to that kind of place. A hazard a
    self-inspection found names the inspection (`source` self_inspection). The ledger number
    counts by the year in the branch's time zone (`timezone`).
    """
    if (location is None) == (site is None):
        raise _place_error(N_("Give either a road stake or a site, not both."))
    location_type = workflow.LocationType.road if site is None else workflow.LocationType.site
    try:
        source = workflow.HazardSource(source)
    except ValueError:
        raise ValidationError(
            N_("Some fields are not valid."),
            fields={"source": N_("Choose a source from the list.")},
        ) from None
    if (source is workflow.HazardSource.self_inspection) != (inspection_id is not None):
        raise ValidationError(
            N_("Some fields are not valid."),
            fields={"source": N_("A hazard found by a self-inspection names that inspection.")},
        )
    payload = {
        "location": location.chainage if location is not None else site.id,
        "category": category,
        "grade": grade,
        "description": description.strip(),
    }
    state = workflow.decide(
        None,
        workflow.HazardAction.raise_,
        roles=actor.roles,
        actor_id=actor.id,
        assignee_id=None,
        submitter_id=None,
        grade=None,
        payload=payload,
    )
    if not workflow.HAZARD_CATEGORIES[category].applies(location_type):
        raise ValidationError(
            N_("Some fields are not valid."),
            fields={"category": N_("This category does not apply to this kind of place.")},
        )
    found_at = _plausible_found_at(found_at)
    if location is not None:
        place = {
            "road_id": location.road.id,
            "direction": location.road.direction,
            "chainage": location.chainage,
            "end_chainage": location.end_chainage,
            "geom": to_db(location.geometry),
            "geometry_version": location.road.geometry_version,
        }
    else:
        place = {"site_id": site.id, "geom": site.geom}
    hazard = Hazard(
        client_uuid=client_uuid,
        number=_next_number(session, found_at.astimezone(ZoneInfo(timezone)).year),
        finding_id=finding_id,
        category=category,
        grade=grade,
        description=description.strip(),
        state=state.value,
        version=1,
        source=str(source),
        inspection_id=inspection_id,
        location_note=location_note.strip(),
        found_at=found_at,
        found_by_id=actor.id,
        interim_measures=interim_measures.strip(),
        **place,
    )
    session.add(hazard)
    session.flush()
    append_event(
        session,
        hazard,
        action=workflow.HazardAction.raise_.value,
        from_state=None,
        actor=actor,
        note=description.strip(),
        payload={"category": category, "grade": grade, "interim_measures": interim_measures},
        at=found_at,
    )
    return hazard


# --- the rectification loop --------------------------------------------------------------

# Actions only another area takes, through its own service: a 回头看 records `recheck`.
INSPECTION_ONLY_ACTIONS = frozenset({workflow.HazardAction.recheck})


def refuse_inspection_only(action: Any) -> None:
    """Refuse, on the hazard's own page and endpoint, an action only an inspection takes."""
    if isinstance(action, str) and action in INSPECTION_ONLY_ACTIONS:
        raise ValidationError(
            N_("A re-check is recorded by its look-back inspection."),
            fields={"action": N_("Re-check a hazard from its look-back inspection.")},
        )


def direct_actions(hazard: Hazard, actor: User) -> list[workflow.HazardAction]:
    """Return the actions the actor may take on the hazard's own page (not a re-check)."""
    return [
        a
        for a in workflow.available_actions(
            hazard.state,
            roles=actor.roles,
            actor_id=actor.id,
            assignee_id=hazard.assignee_id,
            submitter_id=hazard.submitted_by_id,
        )
        if a not in INSPECTION_ONLY_ACTIONS
    ]


def hazard_taking_photos(session: Session, hazard_id: int) -> Hazard:
    """Return a hazard that may still take photos: any but a closed one (closed is read-only)."""
    hazard = get_hazard(session, hazard_id)
    if hazard.state == "closed":
        raise ValidationError(N_("A closed hazard cannot be changed."))
    return hazard


def get_hazard(session: Session, hazard_id: int, *, for_update: bool = False) -> Hazard:
    query = select(Hazard).where(Hazard.id == hazard_id)
    if for_update:
        query = query.with_for_update()
    hazard = session.scalar(query)
    if hazard is None:
        raise NotFound(N_("There is no hazard %(id)s."), id=hazard_id)
    return hazard


def act(
    session: Session,
    hazard_id: int,
    action: str,
    *,
    version: int | None,
    payload: dict[str, Any],
    actor: User,
    today: date,
    client_uuid: uuid.UUID | None = None,
) -> Hazard:
    """Take a workflow action on a hazard, checking its version, and append the audit event.

    The row is locked first, so of two officers closing the same hazard one wins and the other
    finds the version moved on (409 with the current state). An action sent with its own UUID
    (a phone's outbox) is taken once: sent again, it returns the hazard as it stands.
    """
    hazard = get_hazard(session, hazard_id, for_update=True)
    if client_uuid is not None and _action_taken(session, hazard, client_uuid, actor):
        return hazard
    if version is None or version != hazard.version:
        raise StaleVersion(
            N_("This hazard changed meanwhile (now version %(current)s, %(state)s); reload it."),
            extra={"current": {"version": hazard.version, "state": hazard.state}},
            current=hazard.version,
            state=hazard.state,
        )
    from_state = hazard.state
    checked = check_payload(payload)
    evidence: list[str] = []
    if action == workflow.HazardAction.submit:
        evidence = _after_photos(session, hazard, checked.get("after_photo_ids"))
        checked["after_photo_ids"] = evidence
    next_state = workflow.decide(
        hazard.state,
        action,
        roles=actor.roles,
        actor_id=actor.id,
        assignee_id=hazard.assignee_id,
        submitter_id=hazard.submitted_by_id,
        grade=hazard.grade,
        payload=checked,
        today=today,
    )
    note = _apply(session, hazard, workflow.HazardAction(action), checked, actor)
    hazard.state = next_state.value
    hazard.version += 1
    session.flush()
    append_event(
        session,
        hazard,
        action=str(workflow.HazardAction(action)),
        from_state=from_state,
        actor=actor,
        note=note,
        payload={
            **{k: v for k, v in checked.items() if k not in ("note", "after_photo_ids")},
            **({"client_uuid": str(client_uuid)} if client_uuid is not None else {}),
        },
        evidence=evidence,
    )
    return hazard


def _action_taken(session: Session, hazard: Hazard, client_uuid: uuid.UUID, actor: User) -> bool:
    """Tell whether the action with this UUID is already in the hazard's history.

    The same UUID on another hazard or by another user is refused (409), never taken as done.
    """
    event = session.scalar(
        select(HazardEvent)
        .where(HazardEvent.payload["client_uuid"].astext == str(client_uuid))
        .limit(1)
    )
    if event is None:
        return False
    if event.hazard_id != hazard.id or event.actor_id != actor.id:
        raise UuidTaken(N_("This action UUID belongs to another action."))
    return True


def _after_photos(session: Session, hazard: Hazard, photo_ids: Any) -> list[str]:
    """Return the UUIDs of the hazard's 'after' photos the payload names; refuse unknown ones."""
    if not photo_ids:
        return []
    if not isinstance(photo_ids, list) or not all(isinstance(p, str) for p in photo_ids):
        raise ValidationError(
            N_("Some fields are not valid."),
            fields={"after_photo_ids": N_("Add at least one photo taken after the rectification.")},
        )
    try:
        wanted = {uuid.UUID(p) for p in photo_ids}
    except ValueError:
        raise ValidationError(
            N_("Some fields are not valid."), fields={"after_photo_ids": N_("Not a valid UUID.")}
        ) from None
    found = set(
        session.scalars(
            select(Photo.client_uuid).where(
                Photo.hazard_id == hazard.id,
                Photo.stage == "after",
                Photo.client_uuid.in_(wanted),
            )
        )
    )
    if found != wanted:
        raise ValidationError(
            N_("Upload the after photos to this hazard before submitting them."),
            fields={"after_photo_ids": N_("Add at least one photo taken after the rectification.")},
        )
    return sorted(str(p) for p in found)


def _department(session: Session, value: Any) -> Department:
    """Return the active department a payload names by id (the responsible unit)."""
    department = None
    if isinstance(value, int) and not isinstance(value, bool):
        department_id = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        department_id = int(value.strip())
    else:
        department_id = None
    if department_id is not None and department_id < 2**31:
        department = session.get(Department, department_id)
    if department is None or not department.active:
        raise ValidationError(
            N_("Some fields are not valid."),
            fields={"responsible_unit": N_("Choose a department from the list.")},
        )
    return department


def may_submit_evidence(user: User) -> bool:
    """Tell whether a user could submit a hazard's evidence as its assignee: an active user
    of the crew (patrol) or a safety officer (see `workflow.TRANSITIONS`)."""
    transition = workflow.TRANSITIONS[workflow.HazardState.rectifying, workflow.HazardAction.submit]
    allowed = transition.roles | transition.assignee_roles
    return bool(user.active and allowed & set(user.roles or ()))


def _assignee(session: Session, user_id: int) -> User:
    """Return the user a rectification is assigned to; refuse one who could not submit the
    evidence (a manager, an admin, a deactivated account) or who does not exist."""
    assignee = session.get(User, user_id)
    if assignee is None or not may_submit_evidence(assignee):
        raise ValidationError(
            N_("Some fields are not valid."),
            fields={
                "assignee_user_id": N_(
                    "Choose an active crew member or safety officer: they submit the evidence."
                )
            },
        )
    return assignee


def _text(payload: dict[str, Any], name: str) -> str:
    value = payload.get(name)
    return value.strip() if isinstance(value, str) else ""


def _apply(
    session: Session, hazard: Hazard, action: workflow.HazardAction, payload: dict, actor: User
) -> str:
    """Write what an allowed action changes on the hazard; return the event's note."""
    Action = workflow.HazardAction
    if action is Action.assign:
        for name in ("responsible_person", "measures"):
            if _text(payload, name):
                setattr(hazard, name, _text(payload, name))
        if payload.get("responsible_unit") not in (None, ""):
            hazard.responsible_department_id = _department(session, payload["responsible_unit"]).id
        if payload.get("deadline"):
            hazard.deadline = workflow.parse_deadline(payload["deadline"])
        if payload.get("assignee_user_id") is not None:
            hazard.assignee_id = _assignee(session, payload["assignee_user_id"]).id
        if isinstance(payload.get("plan"), dict):
            hazard.plan = {k: str(v) for k, v in payload["plan"].items()}
        return _text(payload, "reason") or _text(payload, "measures")
    if action is Action.submit:
        hazard.submitted_by_id = actor.id
        return _text(payload, "note")
    if action is Action.verify:
        hazard.closed_at = utcnow()
        hazard.verified_by_id = actor.id
        return _text(payload, "note")
    if action is Action.reject:
        return _text(payload, "reason")
    if action is Action.reopen:
        hazard.closed_at = None
        hazard.verified_by_id = None
        return _text(payload, "reason")
    if action is Action.recheck:
        return _text(payload, "note")
    if action is Action.record_interim_measures:
        measures = _text(payload, "interim_measures")
        hazard.interim_measures = "\n".join(filter(None, [hazard.interim_measures, measures]))
        return measures
    raise ValidationError(N_("Unknown hazard action %(action)s."), action=str(action))


def verify_audit_chains(session: Session) -> list[audit.Break]:
    """Re-compute every hazard's audit chain; return where each broken chain first breaks."""
    breaks: list[audit.Break] = []
    hazards = session.execute(select(Hazard.id, Hazard.state, Hazard.version)).all()
    for hazard_id, state, version in hazards:
        events = session.scalars(
            select(HazardEvent).where(HazardEvent.hazard_id == hazard_id).order_by(HazardEvent.seq)
        ).all()
        found = audit.verify_chain(
            hazard_id,
            (
                {name: getattr(e, name) for name in (*audit.HASHED_FIELDS, "prev_hash", "hash")}
                for e in events
            ),
        )
        if found is not None:
            breaks.append(found)
        elif not events or events[-1].to_state != state or len(events) != version:
            # The chain is intact but does not end where the hazard stands: events were cut
            # off the end, or the hazard row was edited.
            breaks.append(
                audit.Break(
                    hazard_id,
                    len(events),
                    "the hazard's state or version does not match its last event",
                )
            )
    return breaks


def submit_evidence(
    session: Session,
    storage,
    hazard_id: int,
    *,
    version: int | None,
    uploads: list,
    note: str,
    actor: User,
    today: date,
    max_bytes: int,
) -> Hazard:
    """Store the after photos and submit them as the rectification evidence in one step."""
    from inspection.media.services import attach_photo

    hazard = get_hazard(session, hazard_id, for_update=True)
    photo_ids = [
        str(
            attach_photo(
                session, storage, upload, owner=hazard, actor=actor, max_bytes=max_bytes
            ).photo.client_uuid
        )
        for upload in uploads
    ]
    return act(
        session,
        hazard_id,
        "submit",
        version=version,
        payload={"after_photo_ids": photo_ids, "note": note},
        actor=actor,
        today=today,
    )


DERIVED_GEOMETRY_UPDATERS["hazards"] = lambda session, road: recompute_records(
    session, road, Hazard
)
