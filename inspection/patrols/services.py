"""Field logging operations: patrols and findings, idempotent by the client's UUID."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from geoalchemy2 import Geography, Geometry
from sqlalchemy import cast, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from inspection.auth.models import User
from inspection.crew import pretrip
from inspection.db import utcnow
from inspection.errors import (
    N_,
    DomainError,
    NotFound,
    NotPermitted,
    UuidTaken,
    ValidationError,
)
from inspection.fleet.patrol_choices import check_patrol_choice
from inspection.geo import SRID, to_db
from inspection.hazards import services as hazard_services
from inspection.hazards import workflow as hazard_workflow
from inspection.network import services as network
from inspection.network.stakes import format_stake, parse_stake
from inspection.patrols.kinds import NEAR_DUPLICATE_M, SUBGRADE_ITEMS_BY_KIND
from inspection.patrols.models import Finding, Patrol
from inspection.patrols.schemas import FindingInput, PatrolEnd, PatrolStart
from inspection.surveys import pavement_index

# A phone's clock may run a little ahead; further into the future is a mistake.
CLOCK_SKEW = timedelta(minutes=10)


@dataclass(frozen=True)
class Saved:
    """A record and whether this call created it (False: the UUID was already stored)."""

    record: Patrol | Finding
    created: bool


def _existing(session: Session, model, client_uuid: uuid.UUID, actor: User):
    record = session.scalar(select(model).where(model.client_uuid == client_uuid))
    if record is not None and record.created_by_id != actor.id:
        raise UuidTaken(N_("This record UUID belongs to another user's record."))
    return record


def _insert_once(session: Session, record, model, client_uuid: uuid.UUID, actor: User):
    """Insert a new record; if a concurrent retry inserted the same UUID first, return that one."""
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        existing = _existing(session, model, client_uuid, actor)
        if existing is None:
            raise
        return Saved(existing, False)
    return Saved(record, True)


def _not_future(moment, name: str):
    if moment is not None and moment > utcnow() + CLOCK_SKEW:
        raise ValidationError(
            N_("The time lies in the future; check the phone's clock."),
            fields={name: N_("In the future.")},
        )
    return moment or utcnow()


# --- patrols -----------------------------------------------------------------------------


def start_patrol(
    session: Session, data: PatrolStart, *, actor: User, timezone: str = "Asia/Shanghai"
) -> Saved:
    """Start a patrol (or return the one already started under this UUID)."""
    existing = _existing(session, Patrol, data.client_uuid, actor)
    if existing is not None:
        return Saved(existing, False)
    road = network.get_road(session, data.road, data.direction)
    start_chainage = _patrol_chainage(session, road, data.start_stake, data.gps)
    started_at = _not_future(data.started_at, "started_at")
    # The register's unit and driver (#15), judged as the register stood at the start.
    unit, driver = check_patrol_choice(
        session, data.vehicle_id, data.driver_id, started_at=started_at
    )
    # A failed pre-trip check of the unit or driver that day blocks the start (#16): 422.
    pretrip.ensure_trip_allowed(
        session, data.vehicle_id, data.driver_id, started_at.astimezone(ZoneInfo(timezone)).date()
    )
    patrol = Patrol(
        client_uuid=data.client_uuid,
        road_id=road.id,
        direction=data.direction,
        kind=data.kind,
        crew=data.crew,
        # The plate as text too, so what reads the free text (exports, older clients) still can.
        vehicle=data.vehicle or (unit.number[:64] if unit is not None else ""),
        vehicle_id=unit.id if unit is not None else None,
        driver_id=driver.id if driver is not None else None,
        weather=data.weather,
        started_at=started_at,
        start_chainage=start_chainage,
        start_lon=data.gps.lon if data.gps else None,
        start_lat=data.gps.lat if data.gps else None,
        start_accuracy_m=data.gps.accuracy_m if data.gps else None,
        note=data.note,
        created_by_id=actor.id,
    )
    return _insert_once(session, patrol, Patrol, data.client_uuid, actor)


def _patrol_chainage(session: Session, road, stake: str, gps) -> float | None:
    """Return the stake where a patrol starts or ends: typed, or derived from the GPS fix.

    A typed stake must be right; a fix that cannot be placed (poor accuracy, off the road) only
    leaves the stake empty, so that starting or ending a patrol never fails on it.
    """
    if not stake and gps is None:
        return None
    try:
        return network.resolve_location(
            session, road_code=road.code, direction=road.direction, stake=stake or None, gps=gps
        ).chainage
    except (ValidationError, NotFound):
        if stake:
            raise
        return None


def get_patrol(session: Session, client_uuid: uuid.UUID) -> Patrol:
    patrol = session.scalar(select(Patrol).where(Patrol.client_uuid == client_uuid))
    if patrol is None:
        raise NotFound(N_("No patrol %(uuid)s."), uuid=str(client_uuid))
    return patrol


def end_patrol(session: Session, client_uuid: uuid.UUID, data: PatrolEnd, *, actor: User) -> Patrol:
    """End a patrol; ending it again with the same data is harmless (a retry)."""
    patrol = get_patrol(session, client_uuid)
    _check_owner(patrol, actor)
    if patrol.voided_at is not None:
        raise ValidationError(N_("This patrol was voided."))
    if patrol.ended_at is not None:
        return patrol
    end_chainage = _patrol_chainage(session, patrol.road, data.end_stake, data.gps)
    ended_at = _not_future(data.ended_at, "ended_at")
    if ended_at < patrol.started_at:
        raise ValidationError(
            N_("A patrol cannot end before it started."),
            fields={"ended_at": N_("Before the start.")},
        )
    patrol.ended_at = ended_at
    patrol.end_chainage = end_chainage
    if data.gps is not None:
        patrol.end_lon, patrol.end_lat = data.gps.lon, data.gps.lat
        patrol.end_accuracy_m = data.gps.accuracy_m
    patrol.note = data.note or patrol.note
    if data.patrolled_km is not None:
        patrol.patrolled_km = data.patrolled_km
    elif patrol.start_chainage is not None and end_chainage is not None:
        # Nominal distance between the stakes; a typed figure (odometer) wins when given.
        patrol.patrolled_km = round(abs(end_chainage - patrol.start_chainage) / 1000, 3)
    session.flush()
    return patrol


def open_patrol_of(session: Session, actor: User) -> Patrol | None:
    """Return the actor's patrol that has started and not ended, if any."""
    return session.scalar(
        select(Patrol)
        .where(
            Patrol.created_by_id == actor.id,
            Patrol.ended_at.is_(None),
            Patrol.voided_at.is_(None),
        )
        .order_by(Patrol.started_at.desc())
        .limit(1)
    )


# --- findings ----------------------------------------------------------------------------


def _check_item(data: FindingInput) -> tuple[str | None, str | None, str | None]:
    """Return (item_code, severity, unit) after checking them against the JTG tables."""
    if data.kind == "pavement_distress":
        if not data.item_code:
            raise ValidationError(
                N_("Choose the distress type."), fields={"item_code": N_("Choose a distress type.")}
            )
        distress = pavement_index.distress_type(data.pavement, data.item_code)
        severity = _check_severity(data.severity, distress.severities)
        if data.quantity is None or data.quantity <= 0:
            raise ValidationError(
                N_("Give the damaged quantity in %(unit)s."),
                fields={"quantity": N_("Enter a quantity greater than 0.")},
                unit=distress.unit.value,
            )
        return data.item_code, severity, distress.unit.value
    if data.kind == "pothole":
        if data.quantity is None or data.quantity <= 0:
            raise ValidationError(
                N_("Give the pothole's area in m²."),
                fields={"quantity": N_("Enter an area greater than 0 m².")},
            )
        return "pothole", data.severity, "m2"
    if data.kind in SUBGRADE_ITEMS_BY_KIND and data.item_code:
        if data.item_code not in SUBGRADE_ITEMS_BY_KIND[data.kind]:
            raise ValidationError(
                N_("This item does not belong to this kind of finding."),
                fields={"item_code": N_("Not one of the allowed values.")},
            )
        item = pavement_index.subgrade_item_type(data.item_code)
        return data.item_code, _check_severity(data.severity, item.severities), None
    return (data.item_code or None), data.severity, None


def _check_severity(severity: str | None, allowed) -> str | None:
    allowed_values = [s.value if s is not None else None for s in allowed]
    if severity not in allowed_values:
        raise ValidationError(
            N_("This severity is not allowed for this item."),
            fields={"severity": N_("This severity is not allowed for this item.")},
        )
    return severity


def submit_finding(
    session: Session,
    data: FindingInput,
    *,
    actor: User,
    user_agent: str = "",
    timezone: str = "Asia/Shanghai",
) -> Saved:
    """Save a finding once per client UUID; a safety hazard also raises its hazard record.

    The new record's checks and location come first and its insert says whether the UUID was
    already stored (one statement, no look-up before). A retry is answered with the stored
    record even where its body would no longer pass (the road changed since), and another
    user's UUID is refused, before or instead of any validation error — as when it was looked
    up first.
    """
    try:
        new = _new_finding(session, data, actor=actor)
    except DomainError:
        existing = _existing(session, Finding, data.client_uuid, actor)
        if existing is not None:
            return Saved(existing, False)
        raise
    finding = session.scalars(
        pg_insert(Finding)
        .values(**new.values, user_agent=user_agent[:256])
        .on_conflict_do_nothing(index_elements=[Finding.client_uuid])
        .returning(Finding)
    ).one_or_none()
    if finding is None:  # stored before: a retry, a concurrent one, or another user's UUID
        existing = _existing(session, Finding, data.client_uuid, actor)
        if existing is None:  # pragma: no cover - a UUID conflict leaves a row behind
            raise RuntimeError("client UUID conflict without a stored finding")
        return Saved(existing, False)
    # The road and patrol are in hand: answering the request then loads neither again (the
    # identity map holds them only weakly, and they may be gone by then).
    set_committed_value(finding, "road", new.location.road)
    set_committed_value(finding, "patrol", new.patrol)
    if new.hazard_fields is not None:
        hazard_services.raise_hazard(
            session,
            location=new.location,
            actor=actor,
            found_at=finding.observed_at,
            finding_id=finding.id,
            timezone=timezone,
            **new.hazard_fields,
        )
        finding.status = "hazard_raised"
        session.flush()
    return Saved(finding, True)


class _NewFinding(NamedTuple):
    values: dict  # the columns of the row to insert, but the user agent
    location: network.RecordLocation
    patrol: Patrol | None
    hazard_fields: dict | None  # for a safety hazard, the fields of the hazard it raises


def _new_finding(session: Session, data: FindingInput, *, actor: User) -> _NewFinding:
    """Check a new finding and locate it."""
    patrol = None
    road_code, direction = data.road, data.direction
    if data.patrol_uuid is not None:
        patrol = get_patrol(session, data.patrol_uuid)
        _check_owner(patrol, actor)
        road_code = road_code or patrol.road.code
        direction = direction or patrol.direction
    item_code, severity, unit = _check_item(data)
    hazard_fields = _hazard_fields(data)
    location = network.resolve_location(
        session,
        road_code=road_code or None,
        direction=direction,
        stake=data.stake or None,
        end_stake=data.end_stake or None,
        gps=data.gps,
    )
    values = dict(
        client_uuid=data.client_uuid,
        patrol_id=patrol.id if patrol else None,
        kind=data.kind,
        status="open",
        item_code=item_code,
        severity=severity,
        quantity=data.quantity,
        quantity_unit=unit,
        depth_mm=data.depth_mm,
        count=data.count if data.count is not None else (1 if data.kind == "pothole" else None),
        note=data.note,
        onsite_action=data.onsite_action,
        road_id=location.road.id,
        direction=location.road.direction
        if location.road.direction != "both"
        else (direction or "both"),
        side=data.side or location.side,
        lane=data.lane,
        chainage=location.chainage,
        end_chainage=location.end_chainage,
        stake_text=data.stake or format_stake(location.chainage),
        location_source=location.source,
        gps_lon=data.gps.lon if data.gps else None,
        gps_lat=data.gps.lat if data.gps else None,
        gps_accuracy_m=data.gps.accuracy_m if data.gps else None,
        gps_at=data.gps.at if data.gps else None,
        offset_m=location.offset_m,
        geom=to_db(location.geometry),
        geometry_version=location.road.geometry_version,
        observed_at=_not_future(data.observed_at, "observed_at"),
        created_by_id=actor.id,
    )
    return _NewFinding(values, location, patrol, hazard_fields)


def _hazard_fields(data: FindingInput) -> dict | None:
    if data.kind != "safety_hazard":
        return None
    raw = data.hazard or {}
    category = raw.get("category")
    grade = raw.get("grade")
    errors = {}
    # A finding is at a road stake: its hazard's category must be one that applies to roads.
    known = hazard_workflow.HAZARD_CATEGORIES.get(category) if isinstance(category, str) else None
    if known is None or not known.applies(hazard_workflow.LocationType.road):
        errors["hazard.category"] = N_("Choose a category.")
    if grade not in ("general", "major"):
        errors["hazard.grade"] = N_("Choose general or major.")
    description = str(raw.get("description") or data.note or "").strip()
    if not description:
        errors["hazard.description"] = N_("Describe the hazard.")
    if errors:
        raise ValidationError(N_("Some fields are not valid."), fields=errors)
    return {
        "category": category,
        "grade": grade,
        "description": description,
        "interim_measures": str(raw.get("interim_measures") or data.onsite_action or ""),
    }


def _check_owner(record, actor: User) -> None:
    if record.created_by_id != actor.id:
        raise NotPermitted(N_("Only the person who recorded it may change this record."))


def get_finding(session: Session, client_uuid: uuid.UUID) -> Finding:
    finding = session.scalar(select(Finding).where(Finding.client_uuid == client_uuid))
    if finding is None:
        raise NotFound(N_("No finding %(uuid)s."), uuid=str(client_uuid))
    return finding


EDITABLE_FIELDS = ("note", "onsite_action", "severity", "quantity", "depth_mm", "side", "lane")


def update_finding(
    session: Session, client_uuid: uuid.UUID, changes: dict, *, actor: User
) -> Finding:
    """Change the descriptive fields of one's own open finding."""
    finding = get_finding(session, client_uuid)
    _check_owner(finding, actor)
    if finding.voided_at is not None or finding.status != "open":
        raise ValidationError(N_("Only open findings can be changed."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            N_("These fields cannot be changed: %(names)s."), names=", ".join(sorted(unknown))
        )
    for name, value in changes.items():
        setattr(finding, name, value)
    session.flush()
    return finding


def void_record(session: Session, record, reason: str, *, actor: User):
    """Void one's own record with a reason: kept, audited, excluded from lists and totals."""
    _check_owner(record, actor)
    if not reason.strip():
        raise ValidationError(
            N_("Give a reason for voiding."), fields={"reason": N_("Give a reason.")}
        )
    if record.voided_at is None:
        record.voided_at = utcnow()
        record.void_reason = reason.strip()
        record.voided_by_id = actor.id
        session.flush()
    return record


def _open_and_near(point) -> tuple:
    """Return the conditions "open, not voided, within NEAR_DUPLICATE_M of `point`" (or line).

    They match the partial GiST index `ix_findings_open_near` (road_id, kind, geom) WHERE status =
    'open' AND voided_at IS NULL (migration 0018). The status is written into the SQL, not bound:
    psycopg prepares a statement from its 5th use, and PostgreSQL's generic plan for it can use a
    partial index only when the index's condition shows in the text (`status = $4` proves nothing).
    The planar radius in degrees holds every point within the distance: a degree of longitude is
    at least 111,320 m × cos(latitude) on the spheroid, a degree of latitude at least 110,574 m;
    the geography distance then keeps those truly within it.
    """
    # The finding may be a line (a stake range): its latitude farthest from the equator.
    latitude = func.greatest(func.abs(func.ST_YMin(point)), func.abs(func.ST_YMax(point)))
    cos_lat = func.greatest(func.cos(func.radians(latitude)), 0.01)
    box_degrees = NEAR_DUPLICATE_M * 1.01 / (111_320.0 * cos_lat)
    return (
        Finding.status == literal_column("'open'"),
        Finding.voided_at.is_(None),
        func.ST_DWithin(Finding.geom, point, box_degrees),
        func.ST_DWithin(cast(Finding.geom, Geography), cast(point, Geography), NEAR_DUPLICATE_M),
    )


def near_duplicates(session: Session, finding: Finding) -> list[Finding]:
    """Return open findings of the same kind on the same road within 50 m of this one.

    One statement: the finding's own road, kind and point are given as values (no self-join);
    the five nearest are chosen first and only they are joined to their author and patrol. Their
    road is this finding's, which the session then holds.
    """
    road = finding.road  # noqa: F841 - held, so that each row's road is found in the session
    point = literal(finding.geom, Geometry(srid=SRID))
    newest = (
        select(Finding.id)
        .where(
            Finding.id != finding.id,
            Finding.road_id == finding.road_id,
            Finding.kind == finding.kind,
            *_open_and_near(point),
        )
        .order_by(Finding.observed_at.desc(), Finding.id.desc())
        .limit(5)
        .subquery()
    )
    return list(
        session.scalars(
            select(Finding)
            .join(newest, newest.c.id == Finding.id)
            .options(joinedload(Finding.created_by), joinedload(Finding.patrol))
            .order_by(Finding.observed_at.desc(), Finding.id.desc())
        )
    )


def nearby_open_findings(
    session: Session,
    *,
    road_code: str,
    kind: str,
    stake: str | None,
    lon: float | None,
    lat: float | None,
) -> list[Finding]:
    """Return open findings of a kind within 50 m of a stake or GPS fix, before one is saved."""
    if stake:
        road = network.get_road(session, road_code)
        position = network.position_of_stake(session, road, parse_stake(stake))
        lon, lat = position.lon, position.lat
    if lon is None or lat is None:
        return []
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    query = select(Finding).where(Finding.kind == kind, *_open_and_near(point))
    if road_code:
        query = query.join(Finding.road).where(network.Road.code == road_code.strip().upper())
    return list(session.scalars(query.order_by(Finding.observed_at.desc()).limit(5)))


network.DERIVED_GEOMETRY_UPDATERS["findings"] = lambda session, road: network.recompute_records(
    session, road, Finding
)
