"""JSON API of vehicle defects a crew reports from the road (#15): idempotent by client UUID."""

from __future__ import annotations

from typing import Annotated, ClassVar

from flask import jsonify
from flask_login import current_user
from pydantic import Field

from inspection.api.params import paged
from inspection.api.views import bp
from inspection.errors import N_
from inspection.extensions import db
from inspection.fleet import defects
from inspection.inputs import (
    Input,
    Int,
    ListQuery,
    PlausibleTime,
    Text,
    Uuid,
    parse_body,
    parse_query,
)
from inspection.web import branch_today, branch_zone, permission_required


class VehicleDefectBody(Input):
    """Report a defect of a vehicle or machine (it becomes 待修 when it was fit)."""

    messages: ClassVar = {"description": N_("Say what is wrong with the vehicle.")}

    client_uuid: Annotated[Uuid, Field(description=N_("The phone's UUID of this report."))]
    vehicle_id: Annotated[Int(), Field(description=N_("The unit's id."))]
    description: Text(defects.DESCRIPTION_LENGTH, 1)
    reported_at: Annotated[
        PlausibleTime, Field(description=N_("When the crew saw the defect (with its zone)."))
    ]


class VehicleDefectsQuery(ListQuery):
    """List defect reports, newest first."""

    vehicle_id: Annotated[Int() | None, Field(description=N_("Only this unit's reports."))] = None


@bp.route("/vehicle-defects", methods=["POST"])
@permission_required("fleet.report_defect")
def report_vehicle_defect():
    data = parse_body(VehicleDefectBody)
    saved = defects.report_defect(
        db.session,
        data.client_uuid,
        data.vehicle_id,
        data.description,
        data.reported_at,
        current_user,
        zone=branch_zone(),
        today=branch_today(),
    )
    db.session.commit()
    # 201 for a new report; 200 with the stored one when the UUID was already there (a retry).
    return jsonify(defects.defect_dict(saved.defect)), 201 if saved.created else 200


@bp.route("/vehicle-defects")
@permission_required("fleet.read")
def list_vehicle_defects():
    query = parse_query(VehicleDefectsQuery)
    rows, total = defects.defects_of(
        db.session, vehicle_id=query.vehicle_id, page=query.page, per_page=query.per_page
    )
    items = [defects.defect_dict(row) for row in rows]
    return paged("defects", items, page=query.page, per_page=query.per_page, total=total)
