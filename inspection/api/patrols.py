"""JSON API of field logging: patrols, findings and their photos (used by the phone page)."""

from __future__ import annotations

import uuid

from flask import current_app, jsonify, request
from flask_login import current_user

from inspection.api.params import FindingsQuery, NearbyQuery, local_day, paged
from inspection.api.schemas import VoidBody, json_body
from inspection.api.uploads import store_uploaded_photo
from inspection.api.views import bp
from inspection.errors import N_, NotFound
from inspection.extensions import db
from inspection.inputs import parse_body, parse_query
from inspection.patrols import queries, schemas, services
from inspection.web import permission_required


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(N_("There is nothing at this address.")) from None


def _saved(saved: services.Saved, body: dict):
    # 201 for a new record; 200 with the stored record when the UUID was already there (a retry).
    return jsonify(body), 201 if saved.created else 200


@bp.route("/patrols", methods=["POST"])
@permission_required("patrols.work")
def start_patrol():
    data = schemas.parse_patrol_start(json_body())
    saved = services.start_patrol(
        db.session, data, actor=current_user, timezone=current_app.config["BRANCH_TIMEZONE"]
    )
    db.session.commit()
    return _saved(saved, queries.patrol_dict(saved.record))


@bp.route("/patrols/<patrol_uuid>", methods=["PATCH"])
@permission_required("patrols.work")
def end_patrol(patrol_uuid: str):
    data = schemas.parse_patrol_end(json_body())
    patrol = services.end_patrol(db.session, _uuid(patrol_uuid), data, actor=current_user)
    db.session.commit()
    return jsonify(queries.patrol_dict(patrol))


@bp.route("/findings", methods=["POST"])
@permission_required("patrols.work")
def submit_finding():
    data = schemas.parse_finding(json_body())
    saved = services.submit_finding(
        db.session,
        data,
        actor=current_user,
        user_agent=request.user_agent.string,
        timezone=current_app.config["BRANCH_TIMEZONE"],
    )
    # Answered from what this transaction holds, before the commit: after it every object is
    # expired and each attribute read would load its row again. A new record has no photos yet.
    photos = queries.photos_of(db.session, saved.record) if not saved.created else []
    body = queries.finding_dict(saved.record, photos)
    nearby = services.near_duplicates(db.session, saved.record)
    body["near_duplicates"] = [queries.finding_dict(f) for f in nearby]
    db.session.commit()
    return _saved(saved, body)


@bp.route("/findings")
@permission_required("records.read")
def list_findings():
    timezone = current_app.config["BRANCH_TIMEZONE"]
    query = parse_query(FindingsQuery)
    filters = queries.FindingFilters(
        road=query.road,
        kind=query.kind,
        status=query.status,
        since=local_day(query.since, timezone),
        until=local_day(query.until, timezone, end=True),
        bbox=query.bbox,
        include_voided=query.include_voided == "1",
    )
    rows, total = queries.find_findings(
        db.session, filters, page=query.page, per_page=query.per_page
    )
    items = [queries.finding_dict(f) for f in rows]
    return paged("findings", items, page=query.page, per_page=query.per_page, total=total)


@bp.route("/findings/nearby")
@permission_required("records.read")
def nearby_findings():
    query = parse_query(NearbyQuery)
    rows = services.nearby_open_findings(
        db.session,
        road_code=query.road,
        kind=query.kind,
        stake=query.stake,
        lon=query.lon,
        lat=query.lat,
    )
    return jsonify({"findings": [queries.finding_dict(f) for f in rows]})


@bp.route("/findings/<finding_uuid>")
@permission_required("records.read")
def finding(finding_uuid: str):
    found = services.get_finding(db.session, _uuid(finding_uuid))
    return jsonify(queries.finding_dict(found, queries.photos_of(db.session, found)))


@bp.route("/findings/<finding_uuid>", methods=["PATCH"])
@permission_required("patrols.work")
def update_finding(finding_uuid: str):
    changes = parse_body(schemas.FindingChangesBody).changes()
    updated = services.update_finding(db.session, _uuid(finding_uuid), changes, actor=current_user)
    db.session.commit()
    return jsonify(queries.finding_dict(updated))


@bp.route("/findings/<finding_uuid>/void", methods=["POST"])
@permission_required("patrols.work")
def void_finding(finding_uuid: str):
    reason = parse_body(VoidBody).reason
    found = services.get_finding(db.session, _uuid(finding_uuid))
    services.void_record(db.session, found, reason, actor=current_user)
    db.session.commit()
    return jsonify(queries.finding_dict(found))


@bp.route("/findings/<finding_uuid>/photos", methods=["POST"])
@permission_required("patrols.work")
def upload_finding_photo(finding_uuid: str):
    found = services.get_finding(db.session, _uuid(finding_uuid))
    return store_uploaded_photo(found)
