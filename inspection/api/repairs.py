"""JSON API of repairs: record (idempotent by the client's UUID), list, read, void, photos."""

from __future__ import annotations

import uuid

from flask import current_app, jsonify, request
from flask_login import current_user

from inspection.api.params import RepairsQuery, paged
from inspection.api.schemas import VoidBody, json_body
from inspection.api.uploads import parse_photo_upload
from inspection.api.views import bp
from inspection.errors import N_, NotFound
from inspection.extensions import db
from inspection.inputs import parse_body, parse_query
from inspection.media import services as media_services
from inspection.patrols.queries import photo_dict
from inspection.repairs import queries, schemas, services
from inspection.repairs.views import limits_in_force
from inspection.web import branch_today, permission_required


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(N_("There is nothing at this address.")) from None


@bp.route("/repairs", methods=["POST"])
@permission_required("repairs.work")
def submit_repair():
    data = schemas.parse_repair(json_body())
    saved = services.record_repair(
        db.session, data, actor=current_user, today=branch_today(), limits=limits_in_force()
    )
    db.session.commit()
    body = queries.repair_dict(saved.record, queries.photos_of(db.session, saved.record))
    # 201 for a new record; 200 with the stored record when the UUID was already there (a retry).
    return jsonify(body), 201 if saved.created else 200


@bp.route("/repairs")
@permission_required("records.read")
def list_repairs():
    query = parse_query(RepairsQuery)
    filters = queries.RepairFilters(
        road=query.road,
        kind=query.kind,
        since=query.since,
        until=query.until,
        include_voided=query.include_voided == "1",
    )
    rows, total = queries.find_repairs(
        db.session, filters, page=query.page, per_page=query.per_page
    )
    items = [queries.repair_dict(r) for r in rows]
    return paged("repairs", items, page=query.page, per_page=query.per_page, total=total)


@bp.route("/repairs/<repair_uuid>")
@permission_required("records.read")
def repair(repair_uuid: str):
    found = services.get_repair(db.session, _uuid(repair_uuid))
    return jsonify(queries.repair_dict(found, queries.photos_of(db.session, found)))


@bp.route("/repairs/<repair_uuid>/void", methods=["POST"])
@permission_required("repairs.work")
def void_repair(repair_uuid: str):
    reason = parse_body(VoidBody).reason
    found = services.get_repair(db.session, _uuid(repair_uuid))
    services.void_repair(db.session, found, reason, actor=current_user)
    db.session.commit()
    return jsonify(queries.repair_dict(found))


@bp.route("/repairs/<repair_uuid>/photos", methods=["POST"])
@permission_required("repairs.work")
def upload_repair_photo(repair_uuid: str):
    found = services.get_repair(db.session, _uuid(repair_uuid))
    saved = services.add_photo(
        db.session,
        media_services.storage_for(current_app.config["MEDIA_ROOT"]),
        found,
        parse_photo_upload(request),
        actor=current_user,
        max_bytes=current_app.config["PHOTO_MAX_BYTES"],
    )
    db.session.commit()
    return jsonify(photo_dict(saved.photo)), 201 if saved.created else 200
