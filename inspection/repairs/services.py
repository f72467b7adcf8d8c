"""Repair operations: record idempotently by the client's UUID, resolve findings, void, photos."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.errors import N_, NotFound, UuidTaken, ValidationError
from inspection.geo import to_db
from inspection.media import services as media_services
from inspection.media.storage import Storage
from inspection.network import services as network
from inspection.network.chainage import MetricLine
from inspection.network.models import Road
from inspection.network.stakes import format_stake, parse_stake
from inspection.patrols.models import Finding
from inspection.patrols.services import void_record
from inspection.repairs import rules
from inspection.repairs.models import Repair, RepairMaterial
from inspection.repairs.schemas import RepairInput

REPAIR_PHOTO_STAGES = ("before", "after")


@dataclass(frozen=True)
class Saved:
    """A repair and whether this call created it (False: the UUID was already stored)."""

    record: Repair
    created: bool


def _existing(session: Session, client_uuid: uuid.UUID, actor: User) -> Repair | None:
    repair = session.scalar(select(Repair).where(Repair.client_uuid == client_uuid))
    if repair is not None and repair.created_by_id != actor.id:
        raise UuidTaken(N_("This record UUID belongs to another user's record."))
    return repair


def _insert_once(session: Session, repair: Repair, actor: User) -> Saved:
    """Insert a new repair; if a concurrent retry inserted the same UUID first, return that one."""
    try:
        with session.begin_nested():
            session.add(repair)
            session.flush()
    except IntegrityError:
        existing = _existing(session, repair.client_uuid, actor)
        if existing is None:
            raise
        return Saved(existing, False)
    return Saved(repair, True)


def get_repair(session: Session, client_uuid: uuid.UUID) -> Repair:
    repair = session.scalar(select(Repair).where(Repair.client_uuid == client_uuid))
    if repair is None:
        raise NotFound(N_("No repair %(uuid)s."), uuid=str(client_uuid))
    return repair


# --- recording ---------------------------------------------------------------------------


def record_repair(
    session: Session,
    data: RepairInput,
    *,
    actor: User,
    today: date,
    limits: rules.Limits | None = None,
) -> Saved:
    """Save a repair once per client UUID and mark the findings it resolved as resolved.

    `today` is the branch's local date (the caller knows the time zone); the completion date may
    not lie after it.
    """
    existing = _existing(session, data.client_uuid, actor)
    if existing is not None:
        return Saved(existing, False)
    limits = limits or rules.limits_from()
    rules.repair_kind(data.kind)
    rules.check_completed_on(data.completed_on, today)
    rules.check_single_stake(data.kind, has_end_stake=bool(data.end_stake))
    location = _locate(session, data)
    length_m = _length_m(location.road, location.geometry) if data.end_stake else None
    range_text = (
        f"{format_stake(location.chainage)}–{format_stake(location.end_chainage)}"
        if location.end_chainage is not None
        else format_stake(location.chainage)
    )
    rules.check_quantities(
        data.kind,
        area_m2=data.area_m2,
        count=data.count,
        length_m=length_m,
        limits=limits,
        range_text=range_text,
    )
    findings = _resolvable_findings(session, data.findings, location.road)
    road = location.road
    repair = Repair(
        client_uuid=data.client_uuid,
        kind=data.kind,
        road_id=road.id,
        direction=road.direction if road.direction != "both" else (data.direction or "both"),
        side=data.side,
        chainage=location.chainage,
        end_chainage=location.end_chainage,
        stake_text="–".join(s for s in (data.stake, data.end_stake) if s)[:80],
        geom=to_db(location.geometry),
        geometry_version=road.geometry_version,
        completed_on=data.completed_on,
        area_m2=data.area_m2,
        count=data.count,
        depth_mm=data.depth_mm,
        crew=data.crew,
        method=data.method,
        cost_yuan=round(Decimal(str(data.cost_yuan)), 2) if data.cost_yuan is not None else None,
        note=data.note,
        created_by_id=actor.id,
        materials=[
            RepairMaterial(name=m.name, quantity=m.quantity, unit=m.unit) for m in data.materials
        ],
    )
    saved = _insert_once(session, repair, actor)
    if saved.created and findings:
        repair.findings = findings
        for finding in findings:
            finding.status = "resolved"
        session.flush()
    return saved


def _locate(session: Session, data: RepairInput) -> network.RecordLocation:
    """Return the repair's road, stakes and geometry, naming the field of a stake off the road."""
    try:
        road = network.get_road(session, data.road, data.direction)
    except NotFound as error:
        raise ValidationError(
            error.message, fields={"road": N_("Choose a road.")}, **error.params
        ) from None
    reference = network.reference_for(road)
    for text, name in ((data.stake, "stake"), (data.end_stake, "end_stake")):
        if not text:
            continue
        try:
            chainage = parse_stake(text)
        except ValidationError as error:
            error.fields = {name: N_("Write the stake like K12+345.")}
            raise
        try:
            reference.to_measures(chainage)
        except ValidationError as error:
            error.fields = {name: N_("Not a stake of this road.")}
            raise
    try:
        return network.resolve_location(
            session,
            road_code=road.code,
            direction=road.direction,
            stake=data.stake,
            end_stake=data.end_stake or None,
        )
    except ValidationError as error:
        if not error.fields:
            error.fields = {"end_stake" if data.end_stake else "stake": N_("Check the stakes.")}
        raise


def _length_m(road: Road, geometry: BaseGeometry) -> float:
    """Return the real length in metres of a stake range's line."""
    return MetricLine(geometry, lon_0=road.lon_0).length


def _resolvable_findings(
    session: Session, finding_uuids: tuple[uuid.UUID, ...], road: Road
) -> list[Finding]:
    """Return the findings a repair may resolve: open, not voided, on the repair's road.

    They are locked until the transaction ends, so two repairs cannot resolve one finding at once.
    """
    if not finding_uuids:
        return []
    found = {
        f.client_uuid: f
        for f in session.scalars(
            select(Finding)
            .where(Finding.client_uuid.in_(finding_uuids))
            .order_by(Finding.id)
            .with_for_update()
        )
    }
    for finding_uuid in finding_uuids:
        finding = found.get(finding_uuid)
        if finding is None:
            raise ValidationError(
                N_("There is no finding %(uuid)s."),
                fields={"findings": N_("Not a finding.")},
                uuid=str(finding_uuid),
            )
        if finding.voided_at is not None:
            raise ValidationError(
                N_("Finding %(uuid)s was voided; a repair cannot resolve it."),
                fields={"findings": N_("Voided.")},
                uuid=str(finding_uuid),
            )
        if finding.road_id != road.id:
            raise ValidationError(
                N_(
                    "Finding %(uuid)s is on road %(finding_road)s, not on this repair's "
                    "road %(road)s."
                ),
                fields={"findings": N_("On another road.")},
                uuid=str(finding_uuid),
                finding_road=f"{finding.road.code}/{finding.road.direction}",
                road=f"{road.code}/{road.direction}",
            )
        if finding.status != "open":
            raise ValidationError(
                N_("Finding %(uuid)s is not open (its status is %(status)s)."),
                fields={"findings": N_("Not open.")},
                uuid=str(finding_uuid),
                status=finding.status,
            )
    return [found[u] for u in finding_uuids]


# --- voiding and photos ------------------------------------------------------------------


def void_repair(session: Session, repair: Repair, reason: str, *, actor: User) -> Repair:
    """Void one's own repair with a reason; the findings it resolved are open again."""
    already = repair.voided_at is not None
    void_record(session, repair, reason, actor=actor)
    if not already:
        for finding in repair.findings:
            if finding.status == "resolved" and finding.voided_at is None:
                finding.status = "open"
        session.flush()
    return repair


def add_photo(
    session: Session,
    storage: Storage,
    repair: Repair,
    upload: media_services.PhotoUpload,
    *,
    actor: User,
    max_bytes: int,
) -> media_services.SavedPhoto:
    """Attach a before or after photo to a repair (idempotent by the photo's UUID)."""
    if upload.stage not in REPAIR_PHOTO_STAGES:
        raise ValidationError(
            N_("Say whether the photo was taken before or after the repair."),
            fields={"stage": N_("Choose before or after.")},
        )
    return media_services.attach_photo(
        session, storage, upload, actor=actor, owner=repair, max_bytes=max_bytes
    )


# --- derived geometry --------------------------------------------------------------------


def recompute_repairs(session: Session, road: Road) -> int:
    """Recompute the geometry of the repairs on a road from their stored stakes.

    Only repairs derived from an older version of the road are touched; one whose stakes no
    longer lie on the changed road keeps its old geometry and version, so it can be found.
    """
    return network.recompute_records(session, road, Repair)


network.DERIVED_GEOMETRY_UPDATERS["repairs"] = recompute_repairs
