"""Self-inspection pages: the register with counts by kind, a new inspection, one inspection
(answering its checklist, re-checking closed hazards), and the branch's checklists.

Officers write; managers read. A refused form shows its page again with what was typed and
the field messages (422), never a redirect that loses it.
"""

from __future__ import annotations

import uuid
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from inspection.auth.models import User
from inspection.errors import N_, DomainError, NotFound, ValidationError
from inspection.extensions import db
from inspection.hazards.labels import STATE_LABELS
from inspection.hazards.workflow import HAZARD_CATEGORIES
from inspection.inputs import Code, Input, Int, PageQuery, parse_query
from inspection.inspections import lookback, queries, schemas, services, templates
from inspection.inspections.forms import InspectionForm, TemplateForm
from inspection.inspections.kinds import (
    CHECKLIST_SECTION_LABELS,
    INSPECTION_KIND_LABELS,
    ITEM_RESULT_LABELS,
    RECHECK_OUTCOME_LABELS,
    InspectionKind,
)
from inspection.network import queries as network_queries
from inspection.patrols.schemas import FieldErrors
from inspection.sites.kinds import SITE_KIND_LABELS
from inspection.sites.models import Site
from inspection.web import branch_today, permission_required, translate_error

bp = Blueprint("inspections", __name__)


def _locale() -> str:
    from inspection import select_locale

    return select_locale()


def _timezone() -> str:
    return current_app.config["BRANCH_TIMEZONE"]


def _words() -> dict:
    locale = _locale()
    return {
        "kinds": {k.value: gettext(v) for k, v in INSPECTION_KIND_LABELS.items()},
        "results": {k.value: gettext(v) for k, v in ITEM_RESULT_LABELS.items()},
        "sections": {k.value: gettext(v) for k, v in CHECKLIST_SECTION_LABELS.items()},
        "outcomes": {k.value: gettext(v) for k, v in RECHECK_OUTCOME_LABELS.items()},
        "categories": {code: c.label(locale) for code, c in HAZARD_CATEGORIES.items()},
        "states": {k: gettext(v) for k, v in STATE_LABELS.items()},
        "site_kinds": {k.value: gettext(v) for k, v in SITE_KIND_LABELS.items()},
    }


def _show_errors(form, error: ValidationError) -> None:
    """Put a service's field errors on the form's fields, its message at the top."""
    form.form_errors = [*form.form_errors, translate_error(error)]
    for name, text in error.fields.items():
        field = form.field_for(name)
        if field is not None:
            field.errors = [*field.errors, gettext(text)]
        else:
            form.form_errors.append(gettext(text))


# --- the register ------------------------------------------------------------------------


class RegisterQuery(PageQuery):
    """The register's filters: a year and a kind."""

    kind: Code(InspectionKind) | None = None
    year: Int(2000, 2100) | None = None


class NewQuery(Input):
    """`/inspections/new?kind=…` opens the form with that kind chosen."""

    kind: Code(InspectionKind) | None = None


@bp.route("/inspections/")
@permission_required("inspections.read")
def index():
    today = branch_today()
    query = parse_query(RegisterQuery)  # `?year=²` or a 20-digit page is a 422 page
    kind, page = query.kind, query.page
    year = query.year or today.year
    if year > today.year + 1:
        raise ValidationError(
            N_("The parameter %(name)s in the address is not valid."),
            fields={"year": N_("Too far ahead.")},
            name="year",
        )
    start, end = date(year, 1, 1), date(year, 12, 31)
    filters = queries.InspectionFilters(kind=kind, since=start, until=end)
    rows, total = queries.find_inspections(db.session, filters, page=page, per_page=50)
    return render_template(
        "inspections/index.html",
        inspections=rows,
        total=total,
        page=page,
        kind=kind,
        year=year,
        years=range(today.year, 1999, -1)[:10],
        counts=queries.count_by_kind(db.session, start, end),
        words=_words(),
    )


# --- a new inspection ---------------------------------------------------------------------


def _active_users() -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
    )


def _active_sites() -> list[Site]:
    return list(db.session.scalars(select(Site).where(Site.active.is_(True)).order_by(Site.name)))


@bp.route("/inspections/new", methods=["GET", "POST"])
@permission_required("inspections.work")
def new():
    today = branch_today()
    form = InspectionForm()
    form.set_choices(
        users=_active_users(),
        sites=_active_sites(),
        roads=network_queries.list_roads(db.session),
        templates=queries.list_templates(db.session, active_only=True),
        gettext=gettext,
    )
    if not form.client_uuid.data:
        form.client_uuid.data = str(uuid.uuid4())
    if request.method == "GET":
        form.kind.data = parse_query(NewQuery).kind or InspectionKind.seasonal.value
        form.started_on.data = form.ended_on.data = today
    status = 200
    if form.validate_on_submit():
        try:
            data = schemas.parse_inspection(form.as_body())
            saved = services.create_inspection(
                db.session, data, actor=current_user, today=today, timezone=_timezone()
            )
        except ValidationError as error:
            db.session.rollback()
            _show_errors(form, error)
            status = 422
        except DomainError as error:
            db.session.rollback()
            form.form_errors = [*form.form_errors, translate_error(error)]
            status = error.status
        else:
            db.session.commit()
            flash(gettext("The inspection is saved."), "success")
            return redirect(url_for("inspections.detail", inspection_id=saved.record.id), 303)
    elif form.is_submitted():
        status = 422
    return render_template("inspections/new.html", form=form, today=today), status


# --- one inspection ----------------------------------------------------------------------


def _detail_page(inspection_id: int, *, refused: dict | None = None):
    inspection = queries.load_inspection(db.session, inspection_id)
    if inspection is None:
        raise NotFound(N_("There is no inspection %(id)s."), id=inspection_id)
    candidates = []
    if inspection.kind == InspectionKind.look_back:
        candidates = lookback.candidates(db.session, inspection.id, timezone=_timezone())
    return render_template(
        "inspections/detail.html",
        inspection=inspection,
        photos=queries.photos_of_items(db.session, inspection),
        raised=queries.raised_by(inspection),
        hazards=queries.hazards_of(db.session, inspection),
        candidates=candidates,
        refused=refused or {},
        words=_words(),
    )


@bp.route("/inspections/<int:inspection_id>")
@permission_required("inspections.read")
def detail(inspection_id: int):
    return _detail_page(inspection_id)


def _refused(error: DomainError, action: str) -> dict:
    return {
        "action": action,
        "typed": request.form.to_dict(),
        "message": translate_error(error),
        "fields": {name: gettext(text) for name, text in error.fields.items()},
    }


def _answers_from_form() -> dict[int, schemas.ItemInput]:
    """Return the answers the checklist form carries, by item id (rows left blank skipped)."""
    form = request.form
    errors = FieldErrors()
    answers = {}
    for key in form:
        if not key.startswith("result-") or not key[7:].isdigit() or not form[key]:
            continue
        item_id = int(key[7:])
        place = form.get(f"place-{item_id}", "")
        body = {"result": form[key], "note": form.get(f"note-{item_id}", "")}
        if place.startswith("site:"):
            body["site_id"] = place[5:]
        elif place.startswith("road:"):
            code, _, direction = place[5:].partition("/")
            body.update(road=code, direction=direction or None)
        stake = form.get(f"stake-{item_id}", "").strip()
        if stake:
            body["stake"] = stake
            body.pop("site_id", None)
        answers[item_id] = schemas.parse_item(body, errors, f"items.{item_id}.")
    errors.raise_if_any()
    return answers


@bp.route("/inspections/<int:inspection_id>/answers", methods=["POST"])
@permission_required("inspections.work")
def answer(inspection_id: int):
    try:
        services.answer_items(
            db.session,
            inspection_id,
            _answers_from_form(),
            actor=current_user,
            timezone=_timezone(),
        )
    except DomainError as error:
        db.session.rollback()
        return _detail_page(inspection_id, refused=_refused(error, "answer")), error.status
    db.session.commit()
    flash(gettext("The answers are saved."), "success")
    return redirect(url_for("inspections.detail", inspection_id=inspection_id), 303)


@bp.route("/inspections/<int:inspection_id>/rechecks", methods=["POST"])
@permission_required("inspections.work")
def recheck(inspection_id: int):
    try:
        data = schemas.parse_recheck(request.form.to_dict())
        lookback.recheck(
            db.session,
            inspection_id,
            data,
            actor=current_user,
            today=branch_today(),
            timezone=_timezone(),
        )
    except DomainError as error:
        db.session.rollback()
        return _detail_page(inspection_id, refused=_refused(error, "recheck")), error.status
    db.session.commit()
    flash(gettext("The re-check is recorded."), "success")
    return redirect(url_for("inspections.detail", inspection_id=inspection_id), 303)


# --- checklists -------------------------------------------------------------------------


@bp.route("/inspections/templates/")
@permission_required("inspections.read")
def template_list():
    return render_template(
        "inspections/templates.html",
        templates=queries.list_templates(db.session),
        words=_words(),
    )


def _template_page(template_id: int | None):
    template = templates.get_template(db.session, template_id) if template_id else None
    form = TemplateForm()
    if request.method == "GET" and template is not None:
        form.name.data, form.kind.data = template.name, template.kind or ""
        while len(form.items) < len(template.items) + 5:
            form.items.append_entry()
        for entry, item in zip(form.items, template.items, strict=False):
            entry.form.section.data = item.section
            entry.form.name.data = item.name
            entry.form.hazard_category.data = item.hazard_category
    form.set_choices(locale=_locale(), gettext=gettext)
    status = 200
    if form.validate_on_submit():
        try:
            data = schemas.parse_template(form.as_body())
            if template is None:
                template = templates.create_template(db.session, data, actor=current_user)
            else:
                templates.replace_template(db.session, template.id, data, actor=current_user)
        except ValidationError as error:
            db.session.rollback()
            _show_errors(form, error)
            status = 422
        else:
            db.session.commit()
            flash(gettext("The checklist is saved."), "success")
            return redirect(url_for("inspections.template_list"), 303)
    elif form.is_submitted():
        status = 422
    return render_template("inspections/template_form.html", form=form, template=template), status


@bp.route("/inspections/templates/new", methods=["GET", "POST"])
@permission_required("inspections.work")
def new_template():
    return _template_page(None)


@bp.route("/inspections/templates/<int:template_id>", methods=["GET", "POST"])
@permission_required("inspections.work")
def edit_template(template_id: int):
    return _template_page(template_id)


@bp.route("/inspections/templates/<int:template_id>/active", methods=["POST"])
@permission_required("inspections.work")
def template_active(template_id: int):
    active = request.form.get("active") == "1"
    templates.set_active(db.session, template_id, active, actor=current_user)
    db.session.commit()
    flash(
        gettext("The checklist is offered again.")
        if active
        else gettext("The checklist is no longer offered."),
        "success",
    )
    return redirect(url_for("inspections.template_list"), 303)
