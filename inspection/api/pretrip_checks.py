"""JSON API of pre-trip checks (#16): record (idempotent by client UUID), list, read, void; the
settings.

The health readings (alcohol, blood pressure) are in an answer only for officers and managers
(crew.health_values) and for the driver the check is of; everyone else gets pass/fail.
"""

from __future__ import annotations

import uuid

from flask import jsonify
from flask_login import current_user

from inspection.api.params import paged
from inspection.api.schemas import VoidBody
from inspection.api.views import bp
from inspection.crew import pretrip
from inspection.crew.pretrip_schemas import PretripCheckBody, PretripChecksQuery, SettingsBody
from inspection.errors import N_, NotFound
from inspection.extensions import db
from inspection.inputs import parse_body, parse_query
from inspection.web import branch_zone, permission_required


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(N_("There is nothing at this address.")) from None


@bp.route("/pretrip-checks", methods=["POST"])
@permission_required("crew.record")
def record_pretrip_check():
    data = parse_body(PretripCheckBody)
    saved = pretrip.record_check(db.session, data, actor=current_user, zone=branch_zone())
    db.session.commit()
    body = pretrip.check_dict(db.session, saved.check, current_user)
    # 201 for a new check; 200 with the stored one when the UUID was already there (a retry).
    return jsonify(body), 201 if saved.created else 200


@bp.route("/pretrip-checks")
@permission_required("crew.read")
def list_pretrip_checks():
    query = parse_query(PretripChecksQuery)
    rows, total = pretrip.list_checks(
        db.session,
        day=query.day,
        vehicle_id=query.vehicle_id,
        driver_id=query.driver_id,
        failed_only=query.failed == "1",
        include_voided=query.voided == "1",
        page=query.page,
        per_page=query.per_page,
    )
    held = pretrip.preload(db.session, rows)  # noqa: F841 - kept while the rows are shown
    items = [pretrip.check_dict(db.session, row, current_user) for row in rows]
    return paged("checks", items, page=query.page, per_page=query.per_page, total=total)


@bp.route("/pretrip-checks/<check_uuid>")
@permission_required("crew.read")
def pretrip_check(check_uuid: str):
    check = pretrip.get_check_by_uuid(db.session, _uuid(check_uuid))
    return jsonify(pretrip.check_dict(db.session, check, current_user))


@bp.route("/pretrip-checks/<check_uuid>/void", methods=["POST"])
@permission_required("crew.settings")
def void_pretrip_check(check_uuid: str):
    reason = parse_body(VoidBody).reason
    check = pretrip.get_check_by_uuid(db.session, _uuid(check_uuid))
    pretrip.void_check(db.session, check, reason, actor=current_user)
    db.session.commit()
    return jsonify(pretrip.check_dict(db.session, check, current_user))


@bp.route("/crew-safety-settings")
@permission_required("crew.read")
def crew_safety_settings():
    return jsonify(pretrip.settings_dict(pretrip.get_settings(db.session)))


@bp.route("/crew-safety-settings", methods=["PUT"])
@permission_required("crew.settings")
def update_crew_safety_settings():
    data = parse_body(SettingsBody)
    settings = pretrip.update_settings(db.session, data, actor=current_user)
    db.session.commit()
    return jsonify(pretrip.settings_dict(settings))
