"""Pages of the pre-trip check (routes on inspection.crew.blueprint.bp).

The phone page /field/pretrip embeds the fit units, the active drivers and the branch's
thresholds, so the copy the service worker keeps works without signal: its script judges the
check on the phone (the same rules), saves it into the outbox and sends it when there is signal.
Without the script the form posts here and the same service stores it. Desktop: the list with
filters, one check (a safety officer or manager may void it), and the settings.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from inspection.api.schemas import VoidBody
from inspection.crew import pretrip
from inspection.crew.blueprint import bp
from inspection.crew.kinds import (
    ALCOHOL_RESULT_LABELS,
    VEHICLE_CHECK_ITEM_LABELS,
    VehicleCheckItem,
)
from inspection.crew.pretrip_schemas import PretripCheckBody, PretripFilter, SettingsBody
from inspection.errors import DomainError, ValidationError
from inspection.extensions import db
from inspection.fleet.models import Driver, Vehicle
from inspection.fleet.patrol_choices import active_drivers, fit_vehicles
from inspection.inputs import parse_query, validate
from inspection.web import branch_zone, permission_required, translate_error

PER_PAGE = 50


def check_items() -> list[dict]:
    return [
        {"code": item.value, "label": gettext(VEHICLE_CHECK_ITEM_LABELS[item])}
        for item in VehicleCheckItem
    ]


def _error_args(error: DomainError | None) -> dict:
    if error is None:
        return {"error": None, "fields": {}}
    return {
        "error": translate_error(error),
        "fields": {k: gettext(v) for k, v in error.fields.items()},
    }


def _render_field(error: DomainError | None = None, values: dict | None = None, status=200):
    settings = pretrip.settings_dict(pretrip.get_settings(db.session))
    page = render_template(
        "crew/pretrip_field.html",
        vehicles=fit_vehicles(db.session, gettext),
        drivers=active_drivers(db.session),
        items=check_items(),
        thresholds=settings,
        client_uuid=str(uuid.uuid4()),
        values=values or {},
        **_error_args(error),
    )
    return page, status


def _form_body() -> dict:
    form = request.form
    return {
        "client_uuid": form.get("client_uuid", ""),
        "checked_at": form.get("checked_at", ""),
        "vehicle_id": form.get("vehicle_id", ""),
        "driver_id": form.get("driver_id", ""),
        # A checkbox per item: ticked (the default) is fine, unticked is a fault.
        "vehicle_items": {
            item.value: form.get(f"item_{item.value}") == "ok" for item in VehicleCheckItem
        },
        "alcohol_mg": form.get("alcohol_mg", "").strip(),
        "systolic": form.get("systolic", "").strip(),
        "diastolic": form.get("diastolic", "").strip(),
        "note": form.get("note", ""),
    }


@bp.route("/field/pretrip", methods=["GET", "POST"])
@permission_required("crew.record")
def pretrip_field():
    if request.method == "GET":
        return _render_field()
    body = _form_body()
    if not body["checked_at"]:
        body["checked_at"] = datetime.now(branch_zone()).isoformat()
    try:
        data = validate(PretripCheckBody, body)
        saved = pretrip.record_check(db.session, data, actor=current_user, zone=branch_zone())
    except DomainError as error:
        db.session.rollback()
        return _render_field(error, request.form.to_dict(), error.status)
    db.session.commit()
    check = saved.check
    if check.passed:
        flash(gettext("Pre-trip check recorded: passed."), "success")
    else:
        flash(
            gettext(
                "Pre-trip check recorded: FAILED. The vehicle or driver may not set off today"
                " until a passed re-check."
            ),
            "error",
        )
    return redirect(url_for("crew.pretrip_field"))


@bp.route("/crew/pretrip")
@permission_required("crew.read")
def pretrip_list():
    query = parse_query(PretripFilter)
    rows, total = pretrip.list_checks(
        db.session,
        day=query.day,
        vehicle_id=query.vehicle_id,
        driver_id=query.driver_id,
        failed_only=query.failed == 1,
        page=query.page,
        per_page=PER_PAGE,
    )
    held = pretrip.preload(db.session, rows)  # noqa: F841 - kept while the rows are shown
    checks = [pretrip.check_dict(db.session, row, current_user) for row in rows]
    zone = branch_zone()
    for shown, row in zip(checks, rows, strict=True):
        shown["local_time"] = row.checked_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    args = {k: v for k, v in request.args.items() if k != "page" and v.strip()}
    return render_template(
        "crew/pretrip_list.html",
        checks=checks,
        total=total,
        page=query.page,
        per_page=PER_PAGE,
        query=query,
        args=args,
        vehicles=db.session.scalars(db.select(Vehicle).order_by(Vehicle.number_key)).all(),
        drivers=db.session.scalars(db.select(Driver).order_by(Driver.name)).all(),
        item_labels={i["code"]: i["label"] for i in check_items()},
        alcohol_labels={str(k): gettext(v) for k, v in ALCOHOL_RESULT_LABELS.items()},
    )


@bp.route("/crew/pretrip/<int:check_id>")
@permission_required("crew.read")
def pretrip_detail(check_id: int):
    check = pretrip.get_check(db.session, check_id)
    shown = pretrip.check_dict(db.session, check, current_user)
    shown["local_time"] = check.checked_at.astimezone(branch_zone()).strftime("%Y-%m-%d %H:%M")
    return render_template(
        "crew/pretrip_detail.html",
        check=shown,
        voided=check.voided_at is not None,
        void_reason=check.void_reason,
        may_void=check.voided_at is None and current_user.can("crew.settings"),
        items=check_items(),
        alcohol_labels={str(k): gettext(v) for k, v in ALCOHOL_RESULT_LABELS.items()},
    )


@bp.route("/crew/pretrip/<int:check_id>/void", methods=["POST"])
@permission_required("crew.settings")
def void_pretrip_check(check_id: int):
    check = pretrip.get_check(db.session, check_id)
    try:
        data = validate(VoidBody, {"reason": request.form.get("reason", "")})
        pretrip.void_check(db.session, check, data.reason, actor=current_user)
    except ValidationError as error:
        db.session.rollback()
        flash(translate_error(error), "error")
        return redirect(url_for("crew.pretrip_detail", check_id=check_id))
    db.session.commit()
    flash(
        gettext("The pre-trip check is void: it no longer blocks the vehicle or driver."), "success"
    )
    return redirect(url_for("crew.pretrip_detail", check_id=check_id))


@bp.route("/crew/settings", methods=["GET", "POST"])
@permission_required("crew.settings")
def settings():
    current = pretrip.settings_dict(pretrip.get_settings(db.session))
    if request.method == "GET":
        return render_template("crew/settings.html", values=current, **_error_args(None))
    values = {k: request.form.get(k, "").strip() for k in current}
    try:
        data = validate(SettingsBody, values)
        pretrip.update_settings(db.session, data, actor=current_user)
    except ValidationError as error:
        db.session.rollback()
        page = render_template("crew/settings.html", values=values, **_error_args(error))
        return page, 422
    db.session.commit()
    flash(gettext("The crew-safety settings are saved."), "success")
    return redirect(url_for("crew.settings"))
