"""Repair pages: the list with totals, the new-repair form (phone and desktop), the detail."""

from __future__ import annotations

import uuid

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from inspection.api.params import RepairsQuery
from inspection.api.uploads import parse_photo_upload
from inspection.crew import work_zones
from inspection.errors import N_, DomainError, NotFound, ValidationError
from inspection.extensions import db
from inspection.inputs import parse_query
from inspection.media import services as media_services
from inspection.network import queries as network_queries
from inspection.network import services as network
from inspection.patrols.kinds import FINDING_KINDS, FINDING_STATUSES, SIDES
from inspection.repairs import queries, rules, schemas, services
from inspection.repairs.forms import RepairForm
from inspection.web import branch_today, permission_required, translate_error

bp = Blueprint("repairs", __name__, url_prefix="/repairs")


def limits_in_force() -> rules.Limits:
    """Return the plausibility limits: the kinds' defaults with the branch's settings over them."""
    return rules.limits_from(
        current_app.config.get("REPAIR_MAX_WIDTH_M"),
        current_app.config.get("REPAIR_MAX_SITE_AREA_M2"),
    )


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(N_("There is nothing at this address.")) from None


def _locale() -> str:
    from inspection import select_locale

    return select_locale()


def _kind_labels(locale: str) -> dict[str, str]:
    return {code: kind.label(locale) for code, kind in rules.REPAIR_KINDS.items()}


def _unit_labels(locale: str) -> dict[str, str]:
    return {code: unit.label(locale) for code, unit in rules.MATERIAL_UNITS.items()}


@bp.route("/")
@permission_required("records.read")
def index():
    query = parse_query(RepairsQuery)  # a malformed ?page, ?from or ?to is a 422 page
    filters = queries.RepairFilters(
        road=query.road,
        kind=query.kind,
        since=query.since,
        until=query.until,
        include_voided=query.include_voided == "1",
    )
    page = query.page
    rows, total = queries.find_repairs(db.session, filters, page=page, per_page=50)
    by_kind, by_material = queries.totals(db.session, filters)
    locale = _locale()
    return render_template(
        "repairs/index.html",
        repairs=rows,
        total=total,
        page=page,
        filters=filters,
        by_kind=by_kind,
        by_material=by_material,
        kinds=_kind_labels(locale),
        units=_unit_labels(locale),
        roads=network_queries.list_roads(db.session),
    )


def _road_of(key: str | None):
    """Return the road a `code/direction` key names, or None."""
    code, _, direction = (key or "").partition("/")
    if not code:
        return None
    try:
        return network.get_road(db.session, code, direction or None)
    except DomainError:
        return None


@bp.route("/new", methods=["GET", "POST"])
@permission_required("repairs.work")
def new():
    today = branch_today()
    form = RepairForm()
    if request.method == "GET":
        form.road.data = request.args.get("road") or None  # e.g. /repairs/new?road=G30/up
    road = _road_of(form.road.data)
    roads = network_queries.list_roads(db.session)
    locale = _locale()
    form.set_choices(
        roads=roads,
        findings=queries.open_findings_on(db.session, road) if road else [],
        locale=locale,
        gettext=gettext,
    )
    form.completed_on.render_kw = {"max": today.isoformat()}
    if not form.client_uuid.data:
        form.client_uuid.data = str(uuid.uuid4())
    if request.method == "GET" and not form.completed_on.data:
        form.completed_on.data = today
    status = 200
    if form.is_submitted() and request.form.get("show") == "findings":
        pass  # the road was chosen: show its open findings and what was typed; nothing is saved
    elif form.validate_on_submit():
        try:
            data = schemas.parse_repair(form.as_body())
            saved = services.record_repair(
                db.session, data, actor=current_user, today=today, limits=limits_in_force()
            )
        except ValidationError as error:
            db.session.rollback()
            _show_errors(form, error)
            status = 422
        else:
            db.session.commit()
            flash(gettext("The repair is saved."), "success")
            return redirect(url_for("repairs.detail", repair_uuid=saved.record.client_uuid))
    elif form.is_submitted():
        status = 422
    limits = limits_in_force()
    return render_template(
        "repairs/new.html",
        form=form,
        road=road,
        today=today,
        max_widths={code: limits.width(code) for code in rules.REPAIR_KINDS},
        site_areas={code: limits.site_area(code) for code in rules.REPAIR_KINDS},
        kinds=_kind_labels(locale),
        common_materials=rules.COMMON_MATERIALS,
        phone_context=_phone_context(today, locale),
    ), status


def _phone_context(today, locale: str) -> dict:
    """Return what the phone script checks before saving into the outbox (the server's rules)."""
    return {
        "today": today.isoformat(),
        "kinds": {
            code: {
                "single_stake": kind.single_stake,
                "count_required": kind.count_required,
                "area_required": kind.area_required,
            }
            for code, kind in rules.REPAIR_KINDS.items()
        },
        "kind_labels": _kind_labels(locale),
        "finding_kinds": {code: gettext(label) for code, label in FINDING_KINDS.items()},
    }


def _show_errors(form: RepairForm, error: ValidationError) -> None:
    """Put a service's field errors on the form's fields, its message at the top."""
    form.form_errors = [*form.form_errors, translate_error(error)]
    for name, text in error.fields.items():
        field = form.field_for(name)
        if field is not None:
            field.errors = [*field.errors, gettext(text)]


@bp.route("/<repair_uuid>")
@permission_required("records.read")
def detail(repair_uuid: str):
    repair = services.get_repair(db.session, _uuid(repair_uuid))
    locale = _locale()
    return render_template(
        "repairs/detail.html",
        repair=repair,
        photos=queries.photos_of(db.session, repair),
        kinds=_kind_labels(locale),
        units=_unit_labels(locale),
        sides=SIDES,
        finding_kinds=FINDING_KINDS,
        finding_statuses=FINDING_STATUSES,
        photo_uuid=str(uuid.uuid4()),
        # Crew safety (#16): an expressway repair without a work-zone record is flagged.
        needs_zone=work_zones.repair_needs_zone(db.session, repair),
    )


@bp.route("/<repair_uuid>/void", methods=["POST"])
@permission_required("repairs.work")
def void(repair_uuid: str):
    repair = services.get_repair(db.session, _uuid(repair_uuid))
    try:
        services.void_repair(db.session, repair, request.form.get("reason", ""), actor=current_user)
    except ValidationError as error:
        db.session.rollback()
        flash(translate_error(error), "error")
        return redirect(url_for("repairs.detail", repair_uuid=repair_uuid))
    db.session.commit()
    flash(gettext("The repair is voided."), "success")
    return redirect(url_for("repairs.detail", repair_uuid=repair_uuid))


@bp.route("/<repair_uuid>/photos", methods=["POST"])
@permission_required("repairs.work")
def add_photo(repair_uuid: str):
    repair = services.get_repair(db.session, _uuid(repair_uuid))
    try:
        services.add_photo(
            db.session,
            media_services.storage_for(current_app.config["MEDIA_ROOT"]),
            repair,
            parse_photo_upload(request),
            actor=current_user,
            max_bytes=current_app.config["PHOTO_MAX_BYTES"],
        )
    except ValidationError as error:
        db.session.rollback()
        flash(translate_error(error), "error")
        return redirect(url_for("repairs.detail", repair_uuid=repair_uuid))
    db.session.commit()
    flash(gettext("The photo is saved."), "success")
    return redirect(url_for("repairs.detail", repair_uuid=repair_uuid))
