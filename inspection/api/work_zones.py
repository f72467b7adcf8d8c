"""JSON API: work_zones (#16); routes on the API blueprint.

The photo upload is on the one photo path (the zone's recorder or a safety officer adds photos).
Below it: record (idempotent by client UUID), list, read, record the removal / note (PATCH),
void, and the branch's table of part minimums.
"""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from inspection.api.params import paged
from inspection.api.schemas import VoidBody
from inspection.api.uploads import store_uploaded_photo
from inspection.api.views import bp
from inspection.crew import work_zones
from inspection.crew.models import WorkZone
from inspection.crew.photos import owner_by_uuid
from inspection.crew.zone_schemas import MinimumsBody, WorkZoneBody, WorkZonePatch, WorkZonesQuery
from inspection.extensions import db
from inspection.inputs import parse_body, parse_query
from inspection.web import branch_zone, permission_required


@bp.route("/work-zones/<zone_uuid>/photos", methods=["POST"])
@permission_required("crew.record")
def upload_work_zone_photo(zone_uuid: str):
    return store_uploaded_photo(owner_by_uuid(db.session, WorkZone, zone_uuid))


@bp.route("/work-zones", methods=["POST"])
@permission_required("crew.record")
def record_work_zone():
    data = parse_body(WorkZoneBody)
    saved = work_zones.record_zone(db.session, data, actor=current_user)
    db.session.commit()
    body = work_zones.full_dict(db.session, saved.zone, branch_zone())
    # 201 for a new zone; 200 with the stored one when the UUID was already there (a retry).
    return jsonify(body), 201 if saved.created else 200


@bp.route("/work-zones")
@permission_required("crew.read")
def list_work_zones():
    query = parse_query(WorkZonesQuery)
    tz = branch_zone()
    rows, total = work_zones.list_zones(
        db.session,
        zone=tz,
        day_from=query.day_from,
        day_to=query.day_to,
        road=query.road,
        repair_uuid=query.repair_uuid,
        patrol_uuid=query.patrol_uuid,
        alarm=query.alarm,
        flagged=query.flagged,
        open_only=query.open == "1",
        include_voided=query.voided == "1",
        page=query.page,
        per_page=query.per_page,
    )
    table = work_zones.minimum_table(db.session)
    counts = work_zones.photo_counts(db.session, rows)
    items = []
    for row in rows:
        shown = work_zones.zone_dict(db.session, row, tz, table)
        shown["photo_count"] = counts.get(row.id, 0)
        items.append(shown)
    return paged("work_zones", items, page=query.page, per_page=query.per_page, total=total)


@bp.route("/work-zones/<zone_uuid>")
@permission_required("crew.read")
def work_zone(zone_uuid: str):
    found = work_zones.get_zone(db.session, zone_uuid)
    return jsonify(work_zones.full_dict(db.session, found, branch_zone()))


@bp.route("/work-zones/<zone_uuid>", methods=["PATCH"])
@permission_required("crew.record")
def update_work_zone(zone_uuid: str):
    data = parse_body(WorkZonePatch)
    found = work_zones.get_zone(db.session, zone_uuid)
    work_zones.update_zone(db.session, found, data, actor=current_user)
    db.session.commit()
    return jsonify(work_zones.full_dict(db.session, found, branch_zone()))


@bp.route("/work-zones/<zone_uuid>/void", methods=["POST"])
@permission_required("crew.record")
def void_work_zone(zone_uuid: str):
    reason = parse_body(VoidBody).reason
    found = work_zones.get_zone(db.session, zone_uuid)
    work_zones.void_zone(db.session, found, reason, actor=current_user)
    db.session.commit()
    return jsonify(work_zones.full_dict(db.session, found, branch_zone()))


@bp.route("/work-zone-minimums")
@permission_required("crew.read")
def work_zone_minimums():
    return jsonify(work_zones.minimums_dict(work_zones.minimum_table(db.session)))


@bp.route("/work-zone-minimums", methods=["PUT"])
@permission_required("crew.settings")
def set_work_zone_minimums():
    data = parse_body(MinimumsBody)
    table = work_zones.set_minimums(db.session, data.minimums)
    db.session.commit()
    return jsonify(work_zones.minimums_dict(table))
