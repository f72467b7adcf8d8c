"""Pages of the vehicle and machinery register (routes on inspection.fleet.blueprint.bp):
the list, a unit's page with its history and actions, entering and editing a unit, the due
board, the 封存台账 and the service intervals."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from inspection.errors import N_, ValidationError
from inspection.exports import csv_bytes, xlsx_bytes
from inspection.extensions import db
from inspection.fleet import service_events, vehicles
from inspection.fleet import vehicle_queries as queries
from inspection.fleet.blueprint import bp
from inspection.fleet.due import DUE_WINDOW_DAYS
from inspection.fleet.kinds import (
    RECURRING,
    SERVICE_KIND_LABELS,
    STATUS_CHANGES,
    VEHICLE_KIND_LABELS,
    VEHICLE_STATUS_LABELS,
    VEHICLE_USE_LABELS,
    VehicleKind,
    VehicleStatus,
)
from inspection.fleet.vehicle_forms import IntervalsForm, ServiceForm, StatusForm, VehicleForm
from inspection.fleet.vehicle_schemas import (
    DueQuery,
    VehicleFilters,
    interval_field,
    parse_intervals,
    parse_service,
    parse_status_change,
    parse_vehicle,
)
from inspection.inputs import parse_query
from inspection.sites import queries as site_queries
from inspection.web import branch_today, permission_required, translate_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _words() -> dict:
    return {
        "kinds": VEHICLE_KIND_LABELS,
        "statuses": VEHICLE_STATUS_LABELS,
        "uses": VEHICLE_USE_LABELS,
        "service_kinds": SERVICE_KIND_LABELS,
    }


def _show_errors(form, error: ValidationError) -> None:
    """Put a service's field errors on the form's fields, its message at the top."""
    form.form_errors = [*form.form_errors, translate_error(error)]
    for name, text in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, gettext(text)]
        else:  # a field the form does not show: say it at the top
            form.form_errors.append(gettext(text))


# --------------------------------------------------------------------------- list


@bp.route("/")
@permission_required("fleet.read")
def index():
    query = parse_query(VehicleFilters)  # a malformed filter is a 422 page, never a 500
    filters = {
        "kind": query.kind,
        "department_id": query.department_id,
        "status": query.status,
        "use": query.use,
    }
    units = vehicles.list_vehicles(db.session, **filters)
    counts = vehicles.status_counts(
        db.session, kind=query.kind, department_id=query.department_id, use=query.use
    )
    return render_template(
        "fleet/index.html",
        units=units,
        counts=counts,
        departments=site_queries.list_departments(db.session),
        filters=filters,
        **_words(),
    )


# --------------------------------------------------------------------------- one unit


def _vehicle_form(vehicle=None) -> VehicleForm:
    form = VehicleForm()
    form.set_choices(
        departments=site_queries.list_departments(db.session),
        gettext=gettext,
        current_department_id=vehicle.department_id if vehicle else None,
    )
    if vehicle is not None and request.method == "GET":
        form.fill(vehicles.input_of(vehicle))
    elif vehicle is None and request.method == "GET":
        form.registered_on.data = branch_today().isoformat()
    return form


def _save_vehicle(form: VehicleForm, vehicle=None):
    """Parse the form like the API body, call the service; the unit, or None on errors."""
    today = branch_today()
    try:
        if vehicle is None:
            data = parse_vehicle(form.as_body(editing=False))
            return vehicles.create_vehicle(db.session, data, user_id=current_user.id, today=today)
        data = parse_vehicle(form.as_body(editing=True), base=vehicles.input_of(vehicle))
        return vehicles.update_vehicle(db.session, vehicle, data, today=today)
    except ValidationError as error:
        db.session.rollback()
        _show_errors(form, error)
        return None


@bp.route("/new", methods=["GET", "POST"])
@permission_required("fleet.manage")
def new_vehicle():
    form = _vehicle_form()
    status = 200
    if form.validate_on_submit():
        vehicle = _save_vehicle(form)
        if vehicle is not None:
            db.session.commit()
            flash(
                gettext("%(number)s is entered in the register.", number=vehicle.number), "success"
            )
            return redirect(url_for("fleet.vehicle", vehicle_id=vehicle.id))
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("fleet/vehicle_form.html", form=form, vehicle=None), status


@bp.route("/<int:vehicle_id>/edit", methods=["GET", "POST"])
@permission_required("fleet.manage")
def edit_vehicle(vehicle_id: int):
    vehicle = vehicles.get_vehicle(db.session, vehicle_id)
    form = _vehicle_form(vehicle)
    status = 200
    if form.validate_on_submit():
        if _save_vehicle(form, vehicle) is not None:
            db.session.commit()
            flash(gettext("The unit is saved."), "success")
            return redirect(url_for("fleet.vehicle", vehicle_id=vehicle_id))
        status = 422
        vehicle = vehicles.get_vehicle(db.session, vehicle_id)
    elif form.is_submitted():
        status = 422
    return render_template("fleet/vehicle_form.html", form=form, vehicle=vehicle), status


def _detail_page(vehicle_id: int, status_form=None, service_form=None, code: int = 200):
    vehicle = vehicles.get_vehicle(db.session, vehicle_id)
    today = branch_today()
    if status_form is None:
        status_form = StatusForm(formdata=None)
        status_form.on_date.data = today.isoformat()
    status_form.set_choices(allowed=STATUS_CHANGES[VehicleStatus(vehicle.status)], gettext=gettext)
    if service_form is None:
        service_form = ServiceForm(formdata=None)
        service_form.on_date.data = today.isoformat()
    service_form.set_choices(gettext=gettext)
    return render_template(
        "fleet/detail.html",
        vehicle=vehicle,
        history=vehicles.status_history(db.session, vehicle.id),
        services=service_events.list_services(db.session, vehicle.id),
        due=service_events.due_dates_of(db.session, vehicle),
        due_counted=vehicle.status not in (VehicleStatus.sealed, VehicleStatus.scrapped),
        sealing=next(
            iter(queries.sealings(db.session, vehicle_id=vehicle.id, current_only=True)), None
        ),
        status_form=status_form,
        service_form=service_form,
        today=today,
        **_words(),
    ), code


@bp.route("/<int:vehicle_id>")
@permission_required("fleet.read")
def vehicle(vehicle_id: int):
    return _detail_page(vehicle_id)


@bp.route("/<int:vehicle_id>/status", methods=["POST"])
@permission_required("fleet.manage")
def change_status(vehicle_id: int):
    vehicles.get_vehicle(db.session, vehicle_id)  # 404 before anything else
    form = StatusForm()
    if not form.validate_on_submit():
        return _detail_page(vehicle_id, status_form=form, code=422)
    today = branch_today()
    try:
        change = parse_status_change(form.as_body(), today)
        vehicles.change_status(db.session, vehicle_id, change, user_id=current_user.id, today=today)
    except ValidationError as error:
        db.session.rollback()
        _show_errors(form, error)
        return _detail_page(vehicle_id, status_form=form, code=422)
    db.session.commit()
    flash(gettext("The status change is recorded."), "success")
    return redirect(url_for("fleet.vehicle", vehicle_id=vehicle_id))


@bp.route("/<int:vehicle_id>/services", methods=["POST"])
@permission_required("fleet.manage")
def record_service(vehicle_id: int):
    vehicles.get_vehicle(db.session, vehicle_id)
    form = ServiceForm()
    if not form.validate_on_submit():
        return _detail_page(vehicle_id, service_form=form, code=422)
    try:
        data = parse_service(form.as_body())
        service_events.record_service(
            db.session, vehicle_id, data, user_id=current_user.id, today=branch_today()
        )
    except ValidationError as error:
        db.session.rollback()
        _show_errors(form, error)
        return _detail_page(vehicle_id, service_form=form, code=422)
    db.session.commit()
    flash(gettext("The service event is recorded."), "success")
    return redirect(url_for("fleet.vehicle", vehicle_id=vehicle_id) + "#services")


# --------------------------------------------------------------------------- due board


@bp.route("/due")
@permission_required("fleet.read")
def due():
    query = parse_query(DueQuery)
    today = branch_today()
    board = service_events.due_board(
        db.session,
        today=today,
        window=query.within,
        kind=query.kind,
        department_id=query.department_id,
        service_kind=query.service_kind,
    )
    return render_template(
        "fleet/due.html",
        board=board,
        today=today,
        within=query.within,
        default_window=DUE_WINDOW_DAYS,
        departments=site_queries.list_departments(db.session),
        filters={
            "kind": query.kind,
            "department_id": query.department_id,
            "service_kind": query.service_kind,
        },
        recurring=[s.value for s in RECURRING],
        **_words(),
    )


# --------------------------------------------------------------------------- 封存台账


@bp.route("/sealed")
@permission_required("fleet.read")
def sealed():
    everything = queries.sealings(db.session)
    return render_template(
        "fleet/sealed.html",
        current=[s for s in everything if s.current],
        history=everything,
        **_words(),
    )


SEALED_COLUMNS = (
    N_("Plate or fleet number"),
    N_("Kind of unit"),
    N_("Department"),
    N_("Sealed on"),
    N_("Where it is sealed"),
    N_("Reason"),
    N_("Key holder"),
    N_("Recorded by"),
    N_("Ended on"),
    N_("Ended as"),
)


def _sealing_row(s: queries.Sealing) -> list:
    return [
        s.number,
        gettext(VEHICLE_KIND_LABELS.get(s.kind, s.kind)),
        s.department or "",
        s.sealed_on,
        s.place,
        s.reason,
        s.key_holder,
        s.recorded_by,
        s.ended_on,
        gettext(VEHICLE_STATUS_LABELS[s.ended_to]) if s.ended_to else gettext("Still sealed"),
    ]


@bp.route("/sealed.<any(csv, xlsx):fmt>")
@permission_required("fleet.read")
def sealed_export(fmt: str):
    everything = queries.sealings(db.session)
    headers = [gettext(c) for c in SEALED_COLUMNS]
    history = [_sealing_row(s) for s in everything]
    stamp = branch_today().isoformat()
    if fmt == "csv":
        body, mimetype = csv_bytes(headers, history), "text/csv; charset=utf-8"
    else:
        current = [_sealing_row(s) for s in everything if s.current]
        body = xlsx_bytes(
            [
                (gettext("Sealed now"), headers, current),
                (gettext("All sealings"), headers, history),
            ]
        )
        mimetype = XLSX
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="sealed-units-{stamp}.{fmt}"'},
    )


# --------------------------------------------------------------------------- intervals


def _intervals_page(form: IntervalsForm, values=None, errors=None, code: int = 200):
    stored = service_events.intervals(db.session)
    return render_template(
        "fleet/intervals.html",
        form=form,
        values=values or {interval_field(k, s): d for (k, s), d in stored.items()},
        errors=errors or {},
        vehicle_kinds=[k.value for k in VehicleKind],
        recurring=[s.value for s in RECURRING],
        field_name=interval_field,
        **_words(),
    ), code


@bp.route("/intervals")
@permission_required("fleet.read")
def intervals():
    return _intervals_page(IntervalsForm())


@bp.route("/intervals", methods=["POST"])
@permission_required("fleet.manage")
def save_intervals():
    form = IntervalsForm()
    if not form.validate_on_submit():
        return _intervals_page(form, code=422)
    try:
        service_events.set_intervals(db.session, parse_intervals(request.form))
    except ValidationError as error:
        db.session.rollback()
        form.form_errors = [*form.form_errors, translate_error(error)]
        errors = {name: gettext(text) for name, text in error.fields.items()}
        return _intervals_page(form, values=request.form, errors=errors, code=422)
    db.session.commit()
    flash(gettext("The intervals are saved."), "success")
    return redirect(url_for("fleet.intervals"))
