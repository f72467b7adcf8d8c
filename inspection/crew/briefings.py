"""Pre-shift briefings (岗前5分钟培训): record, list, void; the branch's topics; the defaults a
crew's phone form starts from.

A briefing is stored once per client UUID: the same briefing sent again by the same user gets
the stored one back (200); the UUID used for anything else is refused (409), as elsewhere.
Nothing is half-saved: every field is checked before the first write, and all that is wrong
is named at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from inspection.auth.models import User
from inspection.crew.briefing_rules import Person, merge_attendees, person_key
from inspection.crew.briefing_schemas import BriefingBody
from inspection.crew.models import Briefing, BriefingAttendee, BriefingTopic
from inspection.db import utcnow
from inspection.errors import N_, NotFound, NotPermitted, UuidTaken, ValidationError
from inspection.media.models import Photo
from inspection.media.services import photos_of
from inspection.patrols.queries import photo_dict
from inspection.sites.models import Site

NOT_RECORDED = N_("The briefing was not recorded.")
CREW_ROLES = ("patrol", "safety_officer")


@dataclass(frozen=True)
class Saved:
    """A briefing and whether this call stored it (False: the UUID was already there)."""

    briefing: Briefing
    created: bool


@dataclass(frozen=True)
class Normal:
    """A briefing body as it would be stored: defaults filled, attendees merged."""

    crew: str
    site_id: int | None
    place: str
    leader_id: int | None
    leader_name: str
    topic_id: int | None
    topic_text: str
    note: str
    attendees: tuple[Person, ...]


# --------------------------------------------------------------------------- topics


def list_topics(session: Session, *, include_inactive: bool = False) -> list[BriefingTopic]:
    query = select(BriefingTopic).order_by(BriefingTopic.name)
    if not include_inactive:
        query = query.where(BriefingTopic.active.is_(True))
    return list(session.scalars(query))


def topic_dict(topic: BriefingTopic) -> dict:
    return {"id": topic.id, "name": topic.name, "active": topic.active}


def _same_name_topic(session: Session, name: str, but: int | None = None) -> BriefingTopic | None:
    for topic in session.scalars(select(BriefingTopic)):
        if topic.id != but and person_key(topic.name) == person_key(name):
            return topic
    return None


def add_topic(session: Session, name: str) -> BriefingTopic:
    """Add a topic to the branch's list (crew.settings; the caller commits)."""
    if _same_name_topic(session, name) is not None:
        raise ValidationError(NOT_RECORDED, fields={"name": N_("This topic is already listed.")})
    topic = BriefingTopic(name=name.strip(), active=True)
    session.add(topic)
    session.flush()
    return topic


def update_topic(session: Session, topic_id: int, name: str, active: bool) -> BriefingTopic:
    """Rename a topic or (de)activate it; briefings that named it keep naming it."""
    topic = session.get(BriefingTopic, topic_id) if 0 < topic_id < 2**31 else None
    if topic is None:
        raise NotFound(N_("There is no such briefing topic."))
    if _same_name_topic(session, name, but=topic.id) is not None:
        raise ValidationError(
            N_("The topic was not changed."), fields={"name": N_("This topic is already listed.")}
        )
    topic.name = name.strip()
    topic.active = active
    session.flush()
    return topic


# --------------------------------------------------------------------------- recording


def _user(session: Session, user_id: int) -> User | None:
    user = session.get(User, user_id)
    return user if user is not None and user.active else None


def _normalise(session: Session, data: BriefingBody, actor: User) -> tuple[dict[str, str], Normal]:
    """Return every field that is wrong (all at once) and the briefing as it would be stored."""
    fields: dict[str, str] = {}
    if not data.crew and data.site_id is None:
        fields["crew"] = N_("Name the crew or choose the site.")
    if data.site_id is not None and session.get(Site, data.site_id) is None:
        fields["site_id"] = N_("There is no such site.")
    leader_id, leader_name = actor.id, actor.name
    if data.leader_id is not None:
        leader = _user(session, data.leader_id)
        if leader is None:
            fields["leader_id"] = N_("There is no such user.")
        else:
            leader_id, leader_name = leader.id, leader.name
    elif data.leader_name:
        leader_id, leader_name = None, data.leader_name
    if data.topic_id is not None:
        topic = session.get(BriefingTopic, data.topic_id)
        if topic is None or not topic.active:
            fields["topic_id"] = N_("Not one of the branch's topics.")
    elif not data.topic_text:
        fields["topic_id"] = N_("Choose a topic or write one.")
    people: list[Person] = []
    for index, attendee in enumerate(data.attendees):
        if attendee.user_id is not None:
            user = _user(session, attendee.user_id)
            if user is None:
                fields[f"attendees.{index}.user_id"] = N_("There is no such user.")
            else:
                people.append((user.id, user.name))
        elif attendee.name:  # a blank row (no user, no name) is left out
            people.append((None, attendee.name))
    merged = tuple(merge_attendees(people))
    if not merged and not any(k.startswith("attendees.") for k in fields):
        fields["attendees"] = N_("Add at least one attendee.")
    normal = Normal(
        crew=data.crew,
        site_id=data.site_id,
        place=data.place,
        leader_id=leader_id,
        leader_name=leader_name,
        topic_id=data.topic_id,
        topic_text=data.topic_text,
        note=data.note,
        attendees=merged,
    )
    return fields, normal


def _people(briefing: Briefing) -> list[tuple[int | None, str]]:
    return [
        (a.user_id, "") if a.user_id is not None else (None, person_key(a.name))
        for a in briefing.attendees
    ]


def _same(briefing: Briefing, data: BriefingBody, normal: Normal, actor: User) -> bool:
    wanted = [
        (user_id, "") if user_id is not None else (None, person_key(name))
        for user_id, name in normal.attendees
    ]
    return (
        briefing.created_by_id == actor.id
        and briefing.held_at == data.held_at
        and briefing.crew == normal.crew
        and briefing.site_id == normal.site_id
        and briefing.place == normal.place
        and briefing.leader_id == normal.leader_id
        and (normal.leader_id is not None or briefing.leader_name == normal.leader_name)
        and briefing.topic_id == normal.topic_id
        and briefing.topic_text == normal.topic_text
        and briefing.note == normal.note
        and _people(briefing) == wanted
    )


def _existing(session: Session, data: BriefingBody, normal: Normal, actor: User):
    briefing = session.scalar(select(Briefing).where(Briefing.client_uuid == data.client_uuid))
    if briefing is not None and not _same(briefing, data, normal, actor):
        raise UuidTaken(N_("This record UUID belongs to another record."))
    return briefing


def record_briefing(session: Session, data: BriefingBody, *, actor: User) -> Saved:
    """Store a briefing once per client UUID (the caller commits)."""
    fields, normal = _normalise(session, data, actor)
    existing = _existing(session, data, normal, actor)
    if existing is not None:
        return Saved(existing, False)
    if fields:
        raise ValidationError(NOT_RECORDED, fields=fields)
    briefing = Briefing(
        client_uuid=data.client_uuid,
        held_at=data.held_at,
        crew=normal.crew,
        site_id=normal.site_id,
        place=normal.place,
        leader_id=normal.leader_id,
        leader_name=normal.leader_name,
        topic_id=normal.topic_id,
        topic_text=normal.topic_text,
        note=normal.note,
        created_by_id=actor.id,
    )
    try:
        with session.begin_nested():
            session.add(briefing)
            session.flush()
            session.add_all(
                BriefingAttendee(briefing_id=briefing.id, user_id=user_id, name=name)
                for user_id, name in normal.attendees
            )
            session.flush()
    except IntegrityError:
        again = _existing(session, data, normal, actor)  # a concurrent retry stored it first
        if again is None:
            raise
        return Saved(again, False)
    session.refresh(briefing, ["attendees"])
    return Saved(briefing, True)


def get_briefing_by_uuid(session: Session, client_uuid: uuid.UUID) -> Briefing:
    briefing = session.scalar(select(Briefing).where(Briefing.client_uuid == client_uuid))
    if briefing is None:
        raise NotFound(N_("There is no such briefing."))
    return briefing


def void_briefing(session: Session, briefing: Briefing, reason: str, *, actor: User) -> Briefing:
    """Void a briefing with a reason: kept, excluded from lists and figures (its recorder or a
    safety officer; the caller commits)."""
    if briefing.created_by_id != actor.id and not actor.can("crew.settings"):
        raise NotPermitted(N_("Only the person who recorded it may change this record."))
    if not reason.strip():
        raise ValidationError(
            N_("Give a reason for voiding."), fields={"reason": N_("Give a reason.")}
        )
    # Locked and read again: of two officers voiding at once, the first reason stays.
    session.refresh(briefing, ["voided_at"], with_for_update=True)
    if briefing.voided_at is None:
        briefing.voided_at = utcnow()
        briefing.void_reason = reason.strip()
        briefing.voided_by_id = actor.id
        session.flush()
    return briefing


# --------------------------------------------------------------------------- reading


def day_bounds(day_from: date | None, day_to: date | None, zone: ZoneInfo):
    """The instants a range of branch-local days covers (either end open)."""
    start = datetime.combine(day_from, time(), zone) if day_from else None
    end = datetime.combine(day_to + timedelta(days=1), time(), zone) if day_to else None
    return start, end


def list_briefings(
    session: Session,
    *,
    zone: ZoneInfo,
    day_from: date | None = None,
    day_to: date | None = None,
    crew: str | None = None,
    site_id: int | None = None,
    include_voided: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[Briefing], int]:
    """Return one page of briefings, newest first, and how many there are."""
    query = select(Briefing)
    if not include_voided:
        query = query.where(Briefing.voided_at.is_(None))
    start, end = day_bounds(day_from, day_to, zone)
    if start is not None:
        query = query.where(Briefing.held_at >= start)
    if end is not None:
        query = query.where(Briefing.held_at < end)
    if crew:
        query = query.where(Briefing.crew.icontains(crew, autoescape=True))
    if site_id is not None:
        query = query.where(Briefing.site_id == site_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.options(selectinload(Briefing.attendees))
        .order_by(Briefing.held_at.desc(), Briefing.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total


def photo_counts(session: Session, briefings: list[Briefing]) -> dict[int, int]:
    if not briefings:
        return {}
    rows = session.execute(
        select(Photo.briefing_id, func.count())
        .where(Photo.briefing_id.in_([b.id for b in briefings]))
        .group_by(Photo.briefing_id)
    )
    return {briefing_id: number for briefing_id, number in rows}


def briefing_dict(
    session: Session, briefing: Briefing, zone: ZoneInfo, *, photos: list | None = None
) -> dict:
    """A briefing as the API states it (its client UUID at `uuid`); the photos when given."""
    topic = session.get(BriefingTopic, briefing.topic_id) if briefing.topic_id else None
    site = session.get(Site, briefing.site_id) if briefing.site_id else None
    recorder = session.get(User, briefing.created_by_id)
    local = briefing.held_at.astimezone(zone)
    shown = {
        "uuid": str(briefing.client_uuid),
        "id": briefing.id,
        "held_at": briefing.held_at.isoformat(),
        "day": local.date().isoformat(),
        "local_time": local.strftime("%Y-%m-%d %H:%M"),
        "crew": briefing.crew,
        "site": {"id": site.id, "name": site.name} if site else None,
        "place": briefing.place,
        "leader": {"user_id": briefing.leader_id, "name": briefing.leader_name},
        "topic": topic_dict(topic) if topic else None,
        "topic_text": briefing.topic_text,
        "attendees": [{"user_id": a.user_id, "name": a.name} for a in briefing.attendees],
        "attendee_count": len(briefing.attendees),
        "note": briefing.note,
        "recorded_by": recorder.name if recorder else None,
        "voided": briefing.voided_at is not None,
        "void_reason": briefing.void_reason,
    }
    if photos is not None:
        shown["photos"] = [photo_dict(p) for p in photos]
    return shown


def full_dict(session: Session, briefing: Briefing, zone: ZoneInfo) -> dict:
    return briefing_dict(session, briefing, zone, photos=photos_of(session, briefing))


def last_defaults(session: Session, user: User) -> dict | None:
    """What the phone form starts from: the user's last briefing's crew, place, leader, topic
    and attendees (a deactivated topic is left out)."""
    last = session.scalar(
        select(Briefing)
        .where(Briefing.created_by_id == user.id, Briefing.voided_at.is_(None))
        .options(selectinload(Briefing.attendees))
        .order_by(Briefing.held_at.desc(), Briefing.id.desc())
        .limit(1)
    )
    if last is None:
        return None
    topic = session.get(BriefingTopic, last.topic_id) if last.topic_id else None
    return {
        "held_at": last.held_at.isoformat(),
        "crew": last.crew,
        "site_id": last.site_id,
        "place": last.place,
        "leader_id": last.leader_id,
        "leader_name": last.leader_name,
        "topic_id": topic.id if topic is not None and topic.active else None,
        "topic_text": last.topic_text,
        "attendees": [{"user_id": a.user_id, "name": a.name} for a in last.attendees],
    }


def crew_people(session: Session) -> list[dict]:
    """The active users who work on the road (the chips of the phone form)."""
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))
    crew = [u for u in users if set(u.roles) & set(CREW_ROLES)]
    return [{"id": u.id, "name": u.name} for u in sorted(crew, key=lambda u: u.name)]
