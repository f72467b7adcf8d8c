"""Department and site pages: lists for everyone who records hazards, changes for managers."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from inspection.errors import ValidationError
from inspection.exports import csv_bytes
from inspection.extensions import db
from inspection.inputs import Code, Input, Int, parse_query
from inspection.network import queries as network_queries
from inspection.sites import importing, queries, services
from inspection.sites.forms import DepartmentForm, SiteForm, SiteImportForm
from inspection.sites.kinds import DEPARTMENT_KIND_LABELS, SITE_KIND_LABELS, SiteKind
from inspection.sites.schemas import parse_department, parse_site
from inspection.web import permission_required, translate_error

bp = Blueprint("sites", __name__)


def _words() -> dict:
    return {"site_kinds": SITE_KIND_LABELS, "department_kinds": DEPARTMENT_KIND_LABELS}


def _show_errors(form, error: ValidationError) -> None:
    """Put a service's field errors on the form's fields, its message at the top."""
    form.form_errors = [*form.form_errors, translate_error(error)]
    for name, text in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, gettext(text)]


def _english() -> bool:
    from inspection import select_locale

    return not select_locale().startswith("zh")


# --------------------------------------------------------------------------- departments


def _departments_page(form: DepartmentForm, status: int = 200):
    departments = queries.list_departments(db.session)
    return render_template(
        "sites/departments.html", departments=departments, form=form, **_words()
    ), status


@bp.route("/departments/")
@permission_required("sites.read")
def departments():
    form = DepartmentForm()
    form.set_choices(gettext)
    return _departments_page(form)


@bp.route("/departments/new", methods=["POST"])
@permission_required("sites.manage")
def new_department():
    form = DepartmentForm()
    form.set_choices(gettext)
    if not form.validate_on_submit():
        return _departments_page(form, 422)
    try:
        name, kind = parse_department(form.as_body())  # the API's DepartmentBody
        department = services.create_department(
            db.session, name=name, kind=kind, actor=current_user
        )
    except ValidationError as error:
        db.session.rollback()
        _show_errors(form, error)
        return _departments_page(form, 422)
    db.session.commit()
    flash(gettext("The department %(name)s is created.", name=department.name), "success")
    return redirect(url_for("sites.departments"))


@bp.route("/departments/<int:department_id>/edit", methods=["GET", "POST"])
@permission_required("sites.manage")
def edit_department(department_id: int):
    department = services.get_department(db.session, department_id)
    form = DepartmentForm(obj=department)
    form.set_choices(gettext)
    status = 200
    if form.validate_on_submit():
        try:
            name, kind = parse_department(form.as_body())  # the API's DepartmentBody
            services.update_department(
                db.session,
                department,
                name=name,
                kind=kind,
                active=form.active.data,
                actor=current_user,
            )
        except ValidationError as error:
            db.session.rollback()
            _show_errors(form, error)
            status = 422
        else:
            db.session.commit()
            flash(gettext("The department is saved."), "success")
            return redirect(url_for("sites.departments"))
    elif form.is_submitted():
        status = 422
    return render_template("sites/department_edit.html", form=form, department=department), status


# --------------------------------------------------------------------------- sites


class SitesQuery(Input):
    """The site list's filters."""

    kind: Code(SiteKind) | None = None
    department_id: Int() | None = None
    show: Code(("active", "inactive", "all")) | None = None


@bp.route("/sites/")
@permission_required("sites.read")
def index():
    query = parse_query(SitesQuery)  # a malformed filter is a 422 page, never a 500
    kind, department_id, show = query.kind, query.department_id, query.show
    active = {"inactive": False, "all": None}.get(show or "", True)
    sites = queries.list_sites(db.session, kind=kind, department_id=department_id, active=active)
    return render_template(
        "sites/index.html",
        sites=sites,
        departments=queries.list_departments(db.session),
        filters={"kind": kind, "department_id": department_id, "show": show or ""},
        **_words(),
    )


def _site_form(site=None) -> SiteForm:
    form = SiteForm()
    form.set_choices(
        departments=queries.list_departments(db.session),
        roads=network_queries.list_roads(db.session),
        gettext=gettext,
    )
    if site is not None and request.method == "GET":
        form.fill(services.site_input_of(site))
    return form


def _save_site(form: SiteForm, site=None):
    """Parse the form like the API body, call the service; return the site or None (errors)."""
    try:
        if site is None:
            data = parse_site(form.as_body(editing=False))
            return services.create_site(db.session, data, actor=current_user)
        data = parse_site(form.as_body(editing=True), base=services.site_input_of(site))
        return services.update_site(db.session, site, data, actor=current_user)
    except ValidationError as error:
        db.session.rollback()
        _show_errors(form, error)
        return None


@bp.route("/sites/new", methods=["GET", "POST"])
@permission_required("sites.manage")
def new_site():
    form = _site_form()
    status = 200
    if form.validate_on_submit():
        site = _save_site(form)
        if site is not None:
            db.session.commit()
            flash(gettext("The site %(name)s is created.", name=site.name), "success")
            return redirect(url_for("sites.detail", site_id=site.id))
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("sites/site_form.html", form=form, site=None), status


@bp.route("/sites/<int:site_id>")
@permission_required("sites.read")
def detail(site_id: int):
    site = services.get_site(db.session, site_id)
    return render_template(
        "sites/detail.html", site=site, facts=queries.site_dict(site, gettext), **_words()
    )


@bp.route("/sites/<int:site_id>/edit", methods=["GET", "POST"])
@permission_required("sites.manage")
def edit_site(site_id: int):
    site = services.get_site(db.session, site_id)
    form = _site_form(site)
    status = 200
    if form.validate_on_submit():
        if _save_site(form, site) is not None:
            db.session.commit()
            flash(gettext("The site is saved."), "success")
            return redirect(url_for("sites.detail", site_id=site.id))
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("sites/site_form.html", form=form, site=site), status


# --------------------------------------------------------------------------- import


@bp.route("/sites/template.csv")
@permission_required("sites.manage")
def template():
    chinese = not _english()
    header = importing.template_header(chinese)
    example = [
        "柴窝堡收费站",
        "收费站" if chinese else "toll_station",
        "",
        "",
        "G30",
        "上行" if chinese else "up",
        "K3510+000",
        "柴窝堡收费站",
        "",
    ]
    return Response(
        csv_bytes(header, [example]),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="sites.csv"'},
    )


def _column_words() -> dict[str, str]:
    """Return the file's column names, as the template writes them, by field name."""
    names = dict(zip(importing.COLUMNS, importing.template_header(not _english()), strict=True))
    names["department_id"] = names["department"]
    names["file"] = gettext("File")
    return names


@bp.route("/sites/import", methods=["GET", "POST"])
@permission_required("sites.manage")
def import_sites():
    form = SiteImportForm()
    report = None
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            parsed = importing.read_upload(upload.read(), upload.filename or "")
            report = services.import_sites(db.session, parsed, actor=current_user)
        except ValidationError as error:
            db.session.rollback()
            _show_errors(form, error)
            status = 422
        else:
            if report.saved:
                db.session.commit()
            else:
                db.session.rollback()
                status = 422
    elif form.is_submitted():
        status = 422
    return render_template(
        "sites/import.html", form=form, report=report, columns=_column_words()
    ), status
