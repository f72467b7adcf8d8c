"""JSON API of field logging: patrols, findings and their photos (used by the phone page)."""

from __future__ import annotations

import uuid

from flask import current_app, jsonify, request
from flask_login import current_user

from inspection.api.params import bbox_arg, choice_arg, float_arg, local_day_arg, page_args, paged
from inspection.api.schemas import json_body, optional_str
from inspection.api.uploads import store_uploaded_photo
from inspection.api.views import bp
from inspection.errors import N_, NotFound, ValidationError
from inspection.extensions import db
from inspection.patrols import queries, schemas, services
from inspection.patrols.kinds import FINDING_KINDS, FINDING_STATUSES, PATROL_KINDS, SIDES, WEATHER
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
    data = schemas.parse_patrol_start(json_body(), PATROL_KINDS, WEATHER)
    saved = services.start_patrol(db.session, data, actor=current_user)
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
    data = schemas.parse_finding(json_body(), FINDING_KINDS, SIDES)
    saved = services.submit_finding(
        db.session,
        data,
        actor=current_user,
        user_agent=request.user_agent.string,
        timezone=current_app.config["BRANCH_TIMEZONE"],
    )
    nearby = services.near_duplicates(db.session, saved.record)
    db.session.commit()
    body = queries.finding_dict(saved.record, queries.photos_of(db.session, saved.record))
    body["near_duplicates"] = [queries.finding_dict(f) for f in nearby]
    return _saved(saved, body)


@bp.route("/findings")
@permission_required("records.read")
def list_findings():
    timezone = current_app.config["BRANCH_TIMEZONE"]
    filters = queries.FindingFilters(
        road=request.args.get("road") or None,
        kind=choice_arg("kind", tuple(FINDING_KINDS)),
        status=choice_arg("status", tuple(FINDING_STATUSES)),
        since=local_day_arg("from", timezone),
        until=local_day_arg("to", timezone, end=True),
        bbox=bbox_arg(),
        include_voided=request.args.get("include_voided") == "1",
    )
    page, per_page = page_args()
    rows, total = queries.find_findings(db.session, filters, page=page, per_page=per_page)
    items = [queries.finding_dict(f) for f in rows]
    return paged("findings", items, page=page, per_page=per_page, total=total)


@bp.route("/findings/nearby")
@permission_required("records.read")
def nearby_findings():
    kind = choice_arg("kind", tuple(FINDING_KINDS))
    if kind is None:
        raise ValidationError(
            N_("The parameter %(name)s is required."),
            fields={"kind": N_("This field is required.")},
            name="kind",
        )
    rows = services.nearby_open_findings(
        db.session,
        road_code=request.args.get("road", ""),
        kind=kind,
        stake=request.args.get("stake") or None,
        lon=float_arg("lon", required=False),
        lat=float_arg("lat", required=False),
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
    body = json_body()
    errors = schemas.FieldErrors()
    changes = {}
    for name in body:
        if name in ("quantity", "depth_mm"):
            changes[name] = schemas.number(body, name, errors, minimum=0)
        elif name == "side":
            changes[name] = schemas.choice(body, name, SIDES, errors)
        elif name == "severity":
            changes[name] = schemas.choice(body, name, ("light", "medium", "heavy"), errors)
        else:
            changes[name] = schemas.text(body, name, errors)
    errors.raise_if_any()
    updated = services.update_finding(db.session, _uuid(finding_uuid), changes, actor=current_user)
    db.session.commit()
    return jsonify(queries.finding_dict(updated))


@bp.route("/findings/<finding_uuid>/void", methods=["POST"])
@permission_required("patrols.work")
def void_finding(finding_uuid: str):
    reason = optional_str(json_body(), "reason")
    found = services.get_finding(db.session, _uuid(finding_uuid))
    services.void_record(db.session, found, reason, actor=current_user)
    db.session.commit()
    return jsonify(queries.finding_dict(found))


@bp.route("/findings/<finding_uuid>/photos", methods=["POST"])
@permission_required("patrols.work")
def upload_finding_photo(finding_uuid: str):
    found = services.get_finding(db.session, _uuid(finding_uuid))
    return store_uploaded_photo(found)
