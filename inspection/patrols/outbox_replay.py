"""What an outbox import replays: one small handler per API endpoint the phone sends to.

An entry's address is matched against the API's own routes (outbox_import.Routes), so the
endpoint named here is the one the phone would have reached; its handler reads the body with that
endpoint's own input model or parser and calls that endpoint's service, as the acting user, with
the branch's day and time zone. Each handler answers whether it stored something new (False: the
entry was already on the server). The permission is the endpoint's own (read from its view).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.api.surveys import SurveyRecordBody
from inspection.api.vehicle_defects import VehicleDefectBody
from inspection.auth.models import User
from inspection.crew import briefings, pretrip, work_zones
from inspection.crew.briefing_schemas import BriefingBody
from inspection.crew.models import Briefing, WorkZone
from inspection.crew.photos import owner_by_uuid
from inspection.crew.pretrip_schemas import PretripCheckBody
from inspection.crew.zone_schemas import WorkZoneBody, WorkZonePatch
from inspection.errors import N_, NotFound, ValidationError
from inspection.fleet import defects
from inspection.hazards import services as hazard_services
from inspection.hazards.schemas import parse_action
from inspection.inputs import validate
from inspection.inspections import schemas as inspection_schemas
from inspection.inspections import services as inspection_services
from inspection.inspections.models import InspectionItem
from inspection.media.services import PhotoUpload, Storage, attach_photo
from inspection.patrols import schemas, services
from inspection.repairs import rules as repair_rules
from inspection.repairs import schemas as repair_schemas
from inspection.repairs import services as repair_services
from inspection.surveys import importing as survey_importing
from inspection.surveys import services as survey_services
from inspection.tracks import ingest
from inspection.tracks.schemas import TrackBatchBody


@dataclass(frozen=True)
class Branch:
    """What the API would have known beside the request: the branch's day, zone and limits."""

    today: date
    timezone: str
    max_bytes: int
    storage: Storage
    repair_limits: repair_rules.Limits | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Call:
    """One entry to replay: the address's arguments, the JSON body or the photo, who acts."""

    args: dict[str, Any]
    actor: User
    branch: Branch
    body: dict[str, Any] | None = None
    photo: PhotoUpload | None = None


@dataclass(frozen=True)
class Handler:
    """Replay one kind of entry; `photo` says whether it takes a photo entry or a record entry;
    `refused` is the message when the acting user lacks the endpoint's permission."""

    replay: Callable[[Session, Call], bool]
    photo: bool = False
    refused: str = N_("%(user)s may not record this kind of entry: %(what)s.")


def _uuid(value: Any) -> uuid.UUID:
    """The UUID in an address, refused as the API refuses it (404)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(N_("There is nothing at this address.")) from None


def _attach(session: Session, call: Call, owner) -> bool:
    """Store the photo of a record through the one photo path (api.uploads.store_uploaded_photo)."""
    return attach_photo(
        session,
        call.branch.storage,
        call.photo,
        owner=owner,
        actor=call.actor,
        max_bytes=call.branch.max_bytes,
    ).created


# --- patrols, findings and their tracks (api/patrols.py, api/tracks.py) ------------------------


def _start_patrol(session: Session, call: Call) -> bool:
    data = schemas.parse_patrol_start(call.body)
    saved = services.start_patrol(session, data, actor=call.actor, timezone=call.branch.timezone)
    return saved.created


def _end_patrol(session: Session, call: Call) -> bool:
    data = schemas.parse_patrol_end(call.body)
    patrol = services.get_patrol(session, _uuid(call.args["patrol_uuid"]))
    already = patrol.ended_at is not None
    services.end_patrol(session, patrol.client_uuid, data, actor=call.actor)
    return not already


def _track_batch(session: Session, call: Call) -> bool:
    patrol_uuid = _uuid(call.args["patrol_uuid"])
    data = validate(TrackBatchBody, call.body)
    return ingest.ingest_batch(session, patrol_uuid, data, actor=call.actor).created


def _finding(session: Session, call: Call) -> bool:
    data = schemas.parse_finding(call.body)
    return services.submit_finding(
        session,
        data,
        actor=call.actor,
        user_agent="outbox import",
        timezone=call.branch.timezone,
    ).created


def _finding_photo(session: Session, call: Call) -> bool:
    return _attach(session, call, services.get_finding(session, _uuid(call.args["finding_uuid"])))


# --- self-inspections (api/inspections.py) -----------------------------------------------------


def _inspection(session: Session, call: Call) -> bool:
    data = inspection_schemas.parse_inspection(call.body)
    return inspection_services.create_inspection(
        session, data, actor=call.actor, today=call.branch.today, timezone=call.branch.timezone
    ).created


def _item_photo(session: Session, call: Call) -> bool:
    wanted = _uuid(call.args["item_uuid"])
    item = session.scalar(select(InspectionItem).where(InspectionItem.client_uuid == wanted))
    if item is None:
        raise NotFound(N_("There is no checklist item %(uuid)s."), uuid=str(wanted))
    if item.inspection.voided_at is not None:
        raise ValidationError(N_("This inspection was voided."))
    return _attach(session, call, item)


# --- repairs and survey records (api/repairs.py, api/surveys.py) -------------------------------


def _repair(session: Session, call: Call) -> bool:
    data = repair_schemas.parse_repair(call.body)
    return repair_services.record_repair(
        session,
        data,
        actor=call.actor,
        today=call.branch.today,
        limits=call.branch.repair_limits,
    ).created


def _repair_photo(session: Session, call: Call) -> bool:
    repair = repair_services.get_repair(session, _uuid(call.args["repair_uuid"]))
    return repair_services.add_photo(
        session,
        call.branch.storage,
        repair,
        call.photo,
        actor=call.actor,
        max_bytes=call.branch.max_bytes,
    ).created


def _survey_record(session: Session, call: Call) -> bool:
    campaign = survey_services.get_campaign(session, call.args["campaign_id"])
    body = validate(SurveyRecordBody, call.body)
    data = survey_importing.parse_record(body.model_dump(exclude_defaults=True, mode="python"))
    _, created = survey_services.add_record(session, campaign, data, actor=call.actor)
    return created


def _survey_photo(session: Session, call: Call) -> bool:
    record = survey_services.get_record_by_uuid(session, _uuid(call.args["record_uuid"]))
    return _attach(session, call, record)


# --- hazards (api/hazards.py) ------------------------------------------------------------------


def _hazard_action(session: Session, call: Call) -> bool:
    # A 回头看 re-checks a hazard through the inspections API, never here (as the API says).
    hazard_services.refuse_inspection_only(call.body.get("action"))
    data = parse_action(call.body)
    hazard_id = call.args["hazard_id"]
    version = hazard_services.get_hazard(session, hazard_id).version
    updated = hazard_services.act(
        session,
        hazard_id,
        data.action,
        version=data.version,
        payload=data.payload,
        actor=call.actor,
        today=call.branch.today,
        client_uuid=data.client_uuid,
    )
    # An action already taken under its UUID returns the hazard as it stands, version unmoved.
    return updated.version != version


def _hazard_photo(session: Session, call: Call) -> bool:
    hazard = hazard_services.hazard_taking_photos(session, call.args["hazard_id"])
    return _attach(session, call, hazard)


# --- the fleet and crew safety (api/vehicle_defects.py, briefings.py, pretrip_checks.py,
# work_zones.py) --------------------------------------------------------------------------------


def _vehicle_defect(session: Session, call: Call) -> bool:
    data = validate(VehicleDefectBody, call.body)
    return defects.report_defect(
        session,
        data.client_uuid,
        data.vehicle_id,
        data.description,
        data.reported_at,
        call.actor,
        zone=call.branch.zone,
        today=call.branch.today,
    ).created


def _briefing(session: Session, call: Call) -> bool:
    data = validate(BriefingBody, call.body)
    return briefings.record_briefing(session, data, actor=call.actor).created


def _briefing_photo(session: Session, call: Call) -> bool:
    return _attach(session, call, owner_by_uuid(session, Briefing, call.args["briefing_uuid"]))


def _pretrip_check(session: Session, call: Call) -> bool:
    data = validate(PretripCheckBody, call.body)
    return pretrip.record_check(session, data, actor=call.actor, zone=call.branch.zone).created


def _work_zone(session: Session, call: Call) -> bool:
    data = validate(WorkZoneBody, call.body)
    return work_zones.record_zone(session, data, actor=call.actor).created


def _work_zone_change(session: Session, call: Call) -> bool:
    data = validate(WorkZonePatch, call.body)
    zone = work_zones.get_zone(session, call.args["zone_uuid"])
    before = (zone.removed_at, zone.note)
    work_zones.update_zone(session, zone, data, actor=call.actor)
    # The same removal sent again changes nothing: it was already stored.
    return (zone.removed_at, zone.note) != before


def _work_zone_photo(session: Session, call: Call) -> bool:
    return _attach(session, call, owner_by_uuid(session, WorkZone, call.args["zone_uuid"]))


# The API endpoint an entry's address reaches (blueprint "api") → how to replay it.
HANDLERS: dict[str, Handler] = {
    "api.start_patrol": Handler(_start_patrol),
    "api.end_patrol": Handler(_end_patrol),
    "api.add_track_batch": Handler(_track_batch),
    "api.submit_finding": Handler(_finding),
    "api.upload_finding_photo": Handler(_finding_photo, photo=True),
    "api.create_inspection": Handler(
        _inspection, refused=N_("Only a safety officer may import self-inspections.")
    ),
    "api.upload_inspection_item_photo": Handler(
        _item_photo, photo=True, refused=N_("Only a safety officer may import self-inspections.")
    ),
    "api.submit_repair": Handler(_repair),
    "api.upload_repair_photo": Handler(_repair_photo, photo=True),
    "api.add_survey_record": Handler(_survey_record),
    "api.upload_survey_record_photo_by_uuid": Handler(_survey_photo, photo=True),
    "api.hazard_action": Handler(_hazard_action),
    "api.upload_hazard_photo": Handler(_hazard_photo, photo=True),
    "api.report_vehicle_defect": Handler(_vehicle_defect),
    "api.record_briefing": Handler(_briefing),
    "api.upload_briefing_photo": Handler(_briefing_photo, photo=True),
    "api.record_pretrip_check": Handler(_pretrip_check),
    "api.record_work_zone": Handler(_work_zone),
    "api.update_work_zone": Handler(_work_zone_change),
    "api.upload_work_zone_photo": Handler(_work_zone_photo, photo=True),
}
