"""The phone page where a crew reports a vehicle defect (routes on the fleet blueprint).

With its script (vehicle_defect_form.js) the report is saved into the phone's outbox and sent
when there is signal; the units are embedded in the page, so the service worker's copy works
without signal. Without the script the form posts here and the same service stores it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.errors import DomainError
from inspection.extensions import db
from inspection.fleet import defects
from inspection.fleet.blueprint import bp
from inspection.fleet.kinds import VEHICLE_KIND_LABELS, VEHICLE_STATUS_LABELS, VehicleStatus
from inspection.fleet.models import Vehicle
from inspection.patrols.models import Patrol
from inspection.web import branch_today, branch_zone, permission_required, translate_error

# The units a crew picks from: fit ones, and defective ones (a second report of a known defect).
LISTED = (VehicleStatus.fit, VehicleStatus.defective)


def phone_vehicles(session: Session) -> list[dict]:
    """Return the units the page lists, by kind and number, with their words."""
    rows = session.scalars(
        select(Vehicle)
        .where(Vehicle.status.in_([s.value for s in LISTED]))
        .order_by(Vehicle.kind, Vehicle.number_key)
    ).all()
    return [
        {
            "id": v.id,
            "number": v.number,
            "kind": v.kind,
            "kind_label": gettext(VEHICLE_KIND_LABELS[v.kind]),
            "make_model": v.make_model,
            "status": v.status,
            "status_label": gettext(VEHICLE_STATUS_LABELS[v.status]),
        }
        for v in rows
    ]


def last_vehicle_id(session: Session, user_id: int) -> int | None:
    """Return the unit of the crew member's latest patrol that named one (the page's default)."""
    return session.scalar(
        select(Patrol.vehicle_id)
        .where(Patrol.created_by_id == user_id, Patrol.vehicle_id.is_not(None))
        .order_by(Patrol.started_at.desc())
        .limit(1)
    )


def _render(error: DomainError | str | None = None, values: dict | None = None, status: int = 200):
    vehicles = phone_vehicles(db.session)
    listed = {v["id"] for v in vehicles}
    default = last_vehicle_id(db.session, current_user.id)
    page = render_template(
        "fleet/defect.html",
        vehicles=vehicles,
        default_vehicle=default if default in listed else None,
        client_uuid=str(uuid.uuid4()),
        error=translate_error(error) if isinstance(error, DomainError) else error,
        fields={k: gettext(v) for k, v in error.fields.items()}
        if isinstance(error, DomainError)
        else {},
        values=values or {},
    )
    return page, status


@bp.route("/defect", methods=["GET", "POST"])
@permission_required("fleet.report_defect")
def defect():
    if request.method == "GET":
        return _render()
    values = {
        "vehicle_id": request.form.get("vehicle_id", ""),
        "description": request.form.get("description", ""),
    }
    try:
        client_uuid = uuid.UUID(request.form.get("client_uuid", ""))
        vehicle_id = int(values["vehicle_id"])
    except ValueError:
        db.session.rollback()
        return _render(gettext("Choose the vehicle."), values, 422)
    try:
        defects.report_defect(
            db.session,
            client_uuid,
            vehicle_id,
            values["description"][: defects.DESCRIPTION_LENGTH],
            datetime.now(branch_zone()),
            current_user,
            zone=branch_zone(),
            today=branch_today(),
        )
    except DomainError as error:
        db.session.rollback()
        return _render(error, values, error.status)
    db.session.commit()
    flash(gettext("The defect is reported."), "success")
    return redirect(url_for("fleet.defect"))
