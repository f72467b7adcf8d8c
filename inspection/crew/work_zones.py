"""Work zones (施工作业区): record, remove, void, list; the part minimums; expressway repairs
without a zone.

A zone is stored once per client UUID: the same zone sent again by the same user gets the stored
one back (200); the UUID used for anything else is refused (409). Every field is checked before
the first write and all that is wrong is named at once, so bad input never half-saves. Parts
shorter than the branch's minimum for the zone's speed are flagged (zone_rules), never refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from inspection.auth.models import User
from inspection.crew import zone_rules
from inspection.crew.briefings import day_bounds
from inspection.crew.kinds import COUNTED_DEVICES, INTRUSION_ALARMS, ZoneDevice
from inspection.crew.models import WorkZone, WorkZoneDevice, WorkZoneMinimum, WorkZonePart
from inspection.crew.zone_schemas import MinimumRow, WorkZoneBody, WorkZonePatch
from inspection.db import utcnow
from inspection.errors import (
    N_,
    InvalidTransition,
    NotFound,
    NotPermitted,
    UuidTaken,
    ValidationError,
)
from inspection.network import services as network
from inspection.network.models import Road
from inspection.network.stakes import format_stake, parse_stake
from inspection.patrols.models import Patrol
from inspection.repairs.models import Repair

NOT_RECORDED = N_("The work zone was not recorded.")
EXPRESSWAY = "expressway"


@dataclass(frozen=True)
class Saved:
    """A zone and whether this call stored it (False: the UUID was already there)."""

    zone: WorkZone
    created: bool


@dataclass(frozen=True)
class Normal:
    """A zone body as it would be stored."""

    repair_id: int | None
    patrol_id: int | None
    road_id: int | None
    direction: str
    from_chainage: float | None
    to_chainage: float | None
    parts: dict[str, float]
    devices: dict[str, int]


# --------------------------------------------------------------------------- minimums


def minimum_table(session: Session) -> dict[int, dict[str, float]]:
    """The branch's part minimums: speed limit → part → metres."""
    table: dict[int, dict[str, float]] = {}
    for row in session.scalars(select(WorkZoneMinimum).order_by(WorkZoneMinimum.speed_limit_kmh)):
        table.setdefault(row.speed_limit_kmh, {})[row.part] = row.length_m
    return table


def set_minimums(session: Session, rows: list[MinimumRow]) -> dict[int, dict[str, float]]:
    """Replace the table of part minimums (crew.settings; the caller commits). Past zones are
    judged again by the new table when they are shown."""
    fields = {
        f"minimums.{i}.part": N_("This part is given twice for this speed.")
        for i in zone_rules.duplicates(f"{r.speed_limit_kmh}/{r.part}" for r in rows)
    }
    if fields:
        raise ValidationError(N_("The minimums were not saved."), fields=fields)
    session.execute(delete(WorkZoneMinimum))
    session.add_all(
        WorkZoneMinimum(speed_limit_kmh=r.speed_limit_kmh, part=r.part, length_m=r.length_m)
        for r in rows
    )
    session.flush()
    return minimum_table(session)


def minimums_dict(table: dict[int, dict[str, float]]) -> dict:
    return {
        "minimums": [
            {"speed_limit_kmh": speed, "part": part, "length_m": length}
            for speed, parts in sorted(table.items())
            for part, length in sorted(parts.items(), key=lambda kv: _part_index(kv[0]))
        ]
    }


def _part_index(part: str) -> int:
    order = zone_rules.PART_ORDER
    return order.index(part) if part in order else len(order)


def judge_zone(zone: WorkZone, table: dict[int, dict[str, float]]) -> zone_rules.Judgement:
    return zone_rules.judge({p.part: p.length_m for p in zone.parts}, table, zone.speed_limit_kmh)


# --------------------------------------------------------------------------- recording


def _by_uuid(session: Session, model, value: uuid.UUID | None):
    if value is None:
        return None
    return session.scalar(select(model).where(model.client_uuid == value))


def _road(session: Session, data: WorkZoneBody, fields: dict[str, str]) -> Road | None:
    try:
        return network.get_road(session, data.road, data.direction)
    except NotFound:
        fields["road"] = N_("There is no such road.")
    except ValidationError as error:
        fields.update(error.fields or {"road": N_("Choose a road.")})
    return None


def _chainage(road: Road, text: str, name: str, fields: dict[str, str]) -> float | None:
    """Return a stake's chainage once it is known to lie on the road; else name the field."""
    try:
        chainage = parse_stake(text)
    except ValidationError:
        fields[name] = N_("Write the stake like K12+345.")
        return None
    try:
        network.reference_for(road).to_measures(chainage)
    except ValidationError:
        first, last = format_stake(road.start_chainage), format_stake(road.end_chainage)
        fields[name] = N_("Not a stake of this road (%(first)s–%(last)s).") % {
            "first": first,
            "last": last,
        }
        return None
    return chainage


def _links(session: Session, data: WorkZoneBody, fields: dict[str, str]):
    repair = _by_uuid(session, Repair, data.repair_uuid)
    patrol = _by_uuid(session, Patrol, data.patrol_uuid)
    if data.repair_uuid is None and data.patrol_uuid is None:
        fields["repair_uuid"] = N_("Link the zone to a repair or a patrol.")
    if data.repair_uuid is not None and (repair is None or repair.voided_at is not None):
        fields["repair_uuid"] = N_("There is no such repair.")
    if data.patrol_uuid is not None and (patrol is None or patrol.voided_at is not None):
        fields["patrol_uuid"] = N_("There is no such patrol.")
    return repair, patrol


def _normalise(session: Session, data: WorkZoneBody) -> tuple[dict[str, str], Normal]:
    """Return every field that is wrong (all at once) and the zone as it would be stored."""
    fields: dict[str, str] = {}
    repair, patrol = _links(session, data, fields)
    road = _road(session, data, fields)
    ends: list[float | None] = [None, None]
    if road is not None:
        ends = [
            _chainage(road, data.from_stake, "from_stake", fields),
            _chainage(road, data.to_stake, "to_stake", fields),
        ]
        for record, name in ((repair, "repair_uuid"), (patrol, "patrol_uuid")):
            if record is not None and name not in fields and record.road.code != road.code:
                fields[name] = N_("It is on another road.")
    if data.removed_at is not None and data.removed_at < data.set_up_at:
        fields["removed_at"] = N_("The removal cannot be before the set-up.")
    for index in zone_rules.duplicates(p.part for p in data.parts):
        fields[f"parts.{index}.part"] = N_("Each part at most once.")
    for index in zone_rules.duplicates(d.device for d in data.devices):
        fields[f"devices.{index}.device"] = N_("Each device at most once.")
    devices: dict[str, int] = {}
    for index, device in enumerate(data.devices):
        counted = ZoneDevice(device.device) in COUNTED_DEVICES
        if counted and device.count is None:
            fields[f"devices.{index}.count"] = N_("Give how many.")
        devices.setdefault(device.device, device.count if counted and device.count else 1)
    low, high = ends
    if low is not None and high is not None and high < low:
        low, high = high, low  # the zone's range is stored in increasing chainage
    normal = Normal(
        repair_id=repair.id if repair else None,
        patrol_id=patrol.id if patrol else None,
        road_id=road.id if road else None,
        direction=(
            road.direction if road and road.direction != "both" else (data.direction or "both")
        ),
        from_chainage=low,
        to_chainage=high,
        parts={p.part: p.length_m for p in data.parts},
        devices=devices,
    )
    return fields, normal


def _same(zone: WorkZone, data: WorkZoneBody, normal: Normal, actor: User) -> bool:
    return (
        zone.created_by_id == actor.id
        and zone.repair_id == normal.repair_id
        and zone.patrol_id == normal.patrol_id
        and zone.road_id == normal.road_id
        and zone.direction == normal.direction
        and zone.from_chainage == normal.from_chainage
        and zone.to_chainage == normal.to_chainage
        and zone.lanes_closed == data.lanes_closed
        and zone.lanes_note == data.lanes_note
        and zone.speed_limit_kmh == data.speed_limit_kmh
        and zone.set_up_at == data.set_up_at
        # A removal sent later (PATCH) does not make the first send a different zone.
        and (data.removed_at is None or zone.removed_at == data.removed_at)
        and zone.note == data.note
        and {p.part: p.length_m for p in zone.parts} == normal.parts
        and {d.device: d.count for d in zone.devices} == normal.devices
    )


def _existing(session: Session, data: WorkZoneBody, normal: Normal, actor: User):
    zone = _by_uuid(session, WorkZone, data.client_uuid)
    if zone is not None and not _same(zone, data, normal, actor):
        raise UuidTaken(N_("This record UUID belongs to another record."))
    return zone


def record_zone(session: Session, data: WorkZoneBody, *, actor: User) -> Saved:
    """Store a work zone once per client UUID (the caller commits)."""
    fields, normal = _normalise(session, data)
    existing = _existing(session, data, normal, actor)
    if existing is not None:
        return Saved(existing, False)
    if fields:
        raise ValidationError(NOT_RECORDED, fields=fields)
    zone = WorkZone(
        client_uuid=data.client_uuid,
        repair_id=normal.repair_id,
        patrol_id=normal.patrol_id,
        road_id=normal.road_id,
        direction=normal.direction,
        from_chainage=normal.from_chainage,
        to_chainage=normal.to_chainage,
        lanes_closed=data.lanes_closed,
        lanes_note=data.lanes_note,
        speed_limit_kmh=data.speed_limit_kmh,
        set_up_at=data.set_up_at,
        removed_at=data.removed_at,
        note=data.note,
        created_by_id=actor.id,
    )
    try:
        with session.begin_nested():
            session.add(zone)
            session.flush()
            session.add_all(
                WorkZonePart(zone_id=zone.id, part=part, length_m=length)
                for part, length in normal.parts.items()
            )
            session.add_all(
                WorkZoneDevice(zone_id=zone.id, device=device, count=count)
                for device, count in normal.devices.items()
            )
            session.flush()
    except IntegrityError:
        again = _existing(session, data, normal, actor)  # a concurrent retry stored it first
        if again is None:
            raise
        return Saved(again, False)
    session.refresh(zone, ["parts", "devices"])
    return Saved(zone, True)


def _may_change(zone: WorkZone, actor: User) -> None:
    if zone.created_by_id != actor.id and not actor.can("crew.settings"):
        raise NotPermitted(N_("Only the person who recorded it may change this record."))


def update_zone(session: Session, zone: WorkZone, data: WorkZonePatch, *, actor: User) -> WorkZone:
    """Record the removal time and/or a new note (its recorder or a safety officer). Sending the
    same removal again changes nothing; a voided zone is not changed (409)."""
    _may_change(zone, actor)
    if data.removed_at is None and data.note is None:
        raise ValidationError(
            N_("Nothing to change."), fields={"removed_at": N_("Give the removal time.")}
        )
    if zone.voided_at is not None:
        raise InvalidTransition(N_("This work zone is void; it is not changed."))
    removed_at = data.removed_at if data.removed_at is not None else zone.removed_at
    if removed_at is not None and removed_at < zone.set_up_at:
        raise ValidationError(
            N_("The work zone was not changed."),
            fields={"removed_at": N_("The removal cannot be before the set-up.")},
        )
    zone.removed_at = removed_at
    if data.note is not None:
        zone.note = data.note
    session.flush()
    return zone


def void_zone(session: Session, zone: WorkZone, reason: str, *, actor: User) -> WorkZone:
    """Void a zone with a reason: kept, excluded from lists and figures (the caller commits)."""
    _may_change(zone, actor)
    if not reason.strip():
        raise ValidationError(
            N_("Give a reason for voiding."), fields={"reason": N_("Give a reason.")}
        )
    if zone.voided_at is None:
        zone.voided_at = utcnow()
        zone.void_reason = reason.strip()
        zone.voided_by_id = actor.id
        session.flush()
    return zone


def get_zone(session: Session, value: str | uuid.UUID) -> WorkZone:
    """Return the zone a client UUID names (404 for an unknown or malformed one)."""
    try:
        wanted = value if isinstance(value, uuid.UUID) else uuid.UUID(value)
    except ValueError:
        raise NotFound(N_("There is nothing at this address.")) from None
    zone = _by_uuid(session, WorkZone, wanted)
    if zone is None:
        raise NotFound(N_("There is no such work zone."))
    return zone


# --------------------------------------------------------------------------- expressway repairs


def _zoned(repair_id_column):
    return exists().where(WorkZone.repair_id == repair_id_column, WorkZone.voided_at.is_(None))


def repair_needs_zone(session: Session, repair: Repair) -> bool:
    """Whether a repair is on an expressway and has no (non-voided) work-zone record."""
    if repair.road.road_class != EXPRESSWAY or repair.voided_at is not None:
        return False
    return not session.scalar(select(_zoned(repair.id)))


def repairs_without_zone(session: Session, start: date, end: date) -> list[Repair]:
    """The non-voided repairs on expressways completed from `start` to `end` (inclusive) without
    a non-voided work-zone record, oldest first (the report counts them)."""
    return list(
        session.scalars(
            select(Repair)
            .join(Road, Road.id == Repair.road_id)
            .where(
                Road.road_class == EXPRESSWAY,
                Repair.voided_at.is_(None),
                Repair.completed_on >= start,
                Repair.completed_on <= end,
                ~_zoned(Repair.id),
            )
            .order_by(Repair.completed_on, Repair.id)
        )
    )


def zones_of_repair(session: Session, repair: Repair) -> list[WorkZone]:
    return list(
        session.scalars(
            select(WorkZone)
            .where(WorkZone.repair_id == repair.id, WorkZone.voided_at.is_(None))
            .order_by(WorkZone.set_up_at)
        )
    )


# --------------------------------------------------------------------------- reading


def _alarm_clause():
    return exists().where(
        WorkZoneDevice.zone_id == WorkZone.id,
        WorkZoneDevice.device.in_([d.value for d in INTRUSION_ALARMS]),
    )


def list_zones(
    session: Session,
    *,
    zone: ZoneInfo,
    day_from: date | None = None,
    day_to: date | None = None,
    road: str | None = None,
    repair_uuid: uuid.UUID | None = None,
    patrol_uuid: uuid.UUID | None = None,
    alarm: str | None = None,
    flagged: str | None = None,
    open_only: bool = False,
    include_voided: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[WorkZone], int]:
    """Return one page of zones, newest set-up first, and how many there are."""
    query = select(WorkZone)
    if not include_voided:
        query = query.where(WorkZone.voided_at.is_(None))
    start, end = day_bounds(day_from, day_to, zone)
    if start is not None:
        query = query.where(WorkZone.set_up_at >= start)
    if end is not None:
        query = query.where(WorkZone.set_up_at < end)
    if road:
        query = query.join(Road, Road.id == WorkZone.road_id).where(
            Road.code == road.strip().upper()
        )
    if repair_uuid is not None:
        query = query.where(
            WorkZone.repair_id.in_(select(Repair.id).where(Repair.client_uuid == repair_uuid))
        )
    if patrol_uuid is not None:
        query = query.where(
            WorkZone.patrol_id.in_(select(Patrol.id).where(Patrol.client_uuid == patrol_uuid))
        )
    if alarm == "1":
        query = query.where(_alarm_clause())
    elif alarm == "0":
        query = query.where(~_alarm_clause())
    if open_only:
        query = query.where(WorkZone.removed_at.is_(None))
    ordered = query.options(selectinload(WorkZone.parts), selectinload(WorkZone.devices)).order_by(
        WorkZone.set_up_at.desc(), WorkZone.id.desc()
    )
    if flagged == "1":
        # The flag depends on the table of the day, not on a column: judged here. A branch
        # records a few hundred zones a year, so this stays small.
        table = minimum_table(session)
        rows = [z for z in session.scalars(ordered) if judge_zone(z, table).shortfalls]
        return rows[(page - 1) * per_page : page * per_page], len(rows)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(ordered.offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def photo_counts(session: Session, zones: list[WorkZone]) -> dict[int, int]:
    from inspection.media.models import Photo

    if not zones:
        return {}
    rows = session.execute(
        select(Photo.work_zone_id, func.count())
        .where(Photo.work_zone_id.in_([z.id for z in zones]))
        .group_by(Photo.work_zone_id)
    )
    return {zone_id: n for zone_id, n in rows}


def open_zones_of(session: Session, actor: User, limit: int = 20) -> list[WorkZone]:
    """The actor's zones not yet removed (the phone page offers to record their removal)."""
    return list(
        session.scalars(
            select(WorkZone)
            .where(
                WorkZone.created_by_id == actor.id,
                WorkZone.removed_at.is_(None),
                WorkZone.voided_at.is_(None),
            )
            .order_by(WorkZone.set_up_at.desc())
            .limit(limit)
        )
    )


def _time(value: datetime | None, tz: ZoneInfo) -> str | None:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value is not None else None


def zone_dict(
    session: Session,
    zone: WorkZone,
    tz: ZoneInfo,
    table: dict[int, dict[str, float]],
    *,
    photos: list | None = None,
) -> dict:
    """A zone as the API states it (its client UUID at `uuid`), judged by the current table."""
    from inspection.patrols.queries import photo_dict

    judged = judge_zone(zone, table)
    road = session.get(Road, zone.road_id)
    repair = session.get(Repair, zone.repair_id) if zone.repair_id else None
    patrol = session.get(Patrol, zone.patrol_id) if zone.patrol_id else None
    recorder = session.get(User, zone.created_by_id)
    short = {s.part for s in judged.shortfalls}
    shown = {
        "uuid": str(zone.client_uuid),
        "id": zone.id,
        "repair": {
            "uuid": str(repair.client_uuid),
            "kind": repair.kind,
            "completed_on": repair.completed_on.isoformat(),
        }
        if repair
        else None,
        "patrol": {"uuid": str(patrol.client_uuid), "started_at": patrol.started_at.isoformat()}
        if patrol
        else None,
        "road": {"code": road.code, "name": road.name, "road_class": road.road_class},
        "direction": zone.direction,
        "from_stake": format_stake(zone.from_chainage),
        "to_stake": format_stake(zone.to_chainage),
        "lanes_closed": zone.lanes_closed,
        "lanes_note": zone.lanes_note,
        "speed_limit_kmh": zone.speed_limit_kmh,
        "set_up_at": zone.set_up_at.isoformat(),
        "removed_at": zone.removed_at.isoformat() if zone.removed_at else None,
        "day": zone.set_up_at.astimezone(tz).date().isoformat(),
        "local_set_up": _time(zone.set_up_at, tz),
        "local_removed": _time(zone.removed_at, tz),
        "parts": [
            {
                "part": p.part,
                "length_m": p.length_m,
                "minimum_m": judged.minimums.get(p.part),
                "short": p.part in short,
            }
            for p in sorted(zone.parts, key=lambda p: _part_index(p.part))
        ],
        "devices": [{"device": d.device, "count": d.count} for d in zone.devices],
        "intrusion_alarm": zone_rules.has_intrusion_alarm(d.device for d in zone.devices),
        "minimums": {
            "speed_limit_kmh": judged.speed_kmh,
            "beyond_table": judged.beyond_table,
            "parts": judged.minimums,
        },
        "shortfalls": [
            {
                "part": s.part,
                "length_m": s.length_m,
                "minimum_m": s.minimum_m,
                "missing_m": s.missing_m,
            }
            for s in judged.shortfalls
        ],
        "note": zone.note,
        "recorded_by": recorder.name if recorder else None,
        "created_by_id": zone.created_by_id,
        "voided": zone.voided_at is not None,
        "void_reason": zone.void_reason,
    }
    if photos is not None:
        shown["photos"] = [photo_dict(p) for p in photos]
    return shown


def full_dict(session: Session, zone: WorkZone, tz: ZoneInfo) -> dict:
    from inspection.media.services import photos_of

    return zone_dict(session, zone, tz, minimum_table(session), photos=photos_of(session, zone))
