"""Pages of the drivers register and their reviews (routes on inspection.fleet.blueprint.bp).

Each page parses its form into the API's body (`driver_schemas`), makes one service call and
commits once; the service's field messages go onto the form's fields.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from inspection.auth.models import User
from inspection.errors import ValidationError
from inspection.extensions import db
from inspection.fleet import driver_due, drivers
from inspection.fleet.blueprint import bp
from inspection.fleet.driver_forms import DriverForm, ReviewForm
from inspection.fleet.driver_schemas import DriversQuery, parse_driver, parse_review
from inspection.fleet.kinds import DRIVER_REVIEW_RESULT_LABELS
from inspection.inputs import parse_query
from inspection.sites import queries as site_queries
from inspection.web import branch_today, branch_zone, permission_required, translate_error


def _words() -> dict:
    return {
        "review_states": driver_due.REVIEW_STATE_LABELS,
        "licence_states": driver_due.LICENCE_STATE_LABELS,
        "review_results": DRIVER_REVIEW_RESULT_LABELS,
    }


def _show_errors(form, error: ValidationError) -> None:
    """Put a service's field errors on the form's fields, its message at the top."""
    form.form_errors = [*form.form_errors, translate_error(error)]
    for name, text in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, gettext(text)]


@bp.route("/drivers/")
@permission_required("fleet.read")
def drivers_index():
    query = parse_query(DriversQuery)  # a malformed filter is a 422 page, never a 500
    today, zone = branch_today(), branch_zone()
    listed = drivers.list_drivers(db.session, active=query.active_filter())
    rows = [drivers.judge(d, today, zone) for d in listed]
    return render_template(
        "fleet/drivers/index.html",
        rows=rows,
        show=query.active or "",
        today=today,
        **_words(),
    )


@bp.route("/drivers/due")
@permission_required("fleet.read")
def drivers_due():
    today = branch_today()
    return render_template(
        "fleet/drivers/due.html",
        lists=drivers.due_lists(db.session, today, branch_zone()),
        today=today,
        **_words(),
    )


def _driver_form(driver=None) -> DriverForm:
    form = DriverForm()
    users = db.session.scalars(
        select(User).where(User.active.is_(True)).order_by(User.display_name, User.username)
    ).all()
    if driver is not None and driver.user is not None and driver.user not in users:
        users = [*users, driver.user]
    form.set_choices(
        users=users, departments=site_queries.list_departments(db.session), gettext=gettext
    )
    if driver is not None and request.method == "GET":
        form.fill(drivers.driver_input_of(driver))
    return form


def _save_driver(form: DriverForm, driver=None):
    """Parse the form like the API body, call the service; return the driver or None (errors)."""
    try:
        if driver is None:
            data = parse_driver(form.as_body(editing=False))
            return drivers.create_driver(db.session, data, actor=current_user)
        data = parse_driver(form.as_body(editing=True), base=drivers.driver_input_of(driver))
        return drivers.update_driver(db.session, driver, data, actor=current_user)
    except ValidationError as error:
        db.session.rollback()
        _show_errors(form, error)
        return None


@bp.route("/drivers/new", methods=["GET", "POST"])
@permission_required("fleet.manage")
def new_driver():
    form = _driver_form()
    status = 200
    if form.validate_on_submit():
        driver = _save_driver(form)
        if driver is not None:
            db.session.commit()
            flash(gettext("The driver %(name)s is registered.", name=driver.name), "success")
            return redirect(url_for("fleet.driver", driver_id=driver.id))
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("fleet/drivers/form.html", form=form, driver=None), status


def _driver_page(driver, review_form: ReviewForm, status: int = 200):
    judged = drivers.judge(driver, branch_today(), branch_zone())
    return render_template(
        "fleet/drivers/detail.html",
        driver=driver,
        judged=judged,
        review_form=review_form,
        **_words(),
    ), status


def _review_form() -> ReviewForm:
    form = ReviewForm()
    form.set_choices(gettext)
    return form


@bp.route("/drivers/<int:driver_id>")
@permission_required("fleet.read")
def driver(driver_id: int):
    found = drivers.get_driver(db.session, driver_id)
    form = _review_form()
    form.reviewed_on.data = branch_today().isoformat()
    return _driver_page(found, form)


@bp.route("/drivers/<int:driver_id>/reviews", methods=["POST"])
@permission_required("fleet.manage")
def add_driver_review(driver_id: int):
    found = drivers.get_driver(db.session, driver_id)
    form = _review_form()
    if not form.validate_on_submit():
        return _driver_page(found, form, 422)
    try:
        data = parse_review(form.as_body())  # the API's ReviewBody
        drivers.add_review(db.session, found, data, actor=current_user, today=branch_today())
    except ValidationError as error:
        db.session.rollback()
        _show_errors(form, error)
        return _driver_page(drivers.get_driver(db.session, driver_id), form, 422)
    db.session.commit()
    flash(gettext("The review is recorded."), "success")
    return redirect(url_for("fleet.driver", driver_id=driver_id))


@bp.route("/drivers/<int:driver_id>/edit", methods=["GET", "POST"])
@permission_required("fleet.manage")
def edit_driver(driver_id: int):
    found = drivers.get_driver(db.session, driver_id)
    form = _driver_form(found)
    status = 200
    if form.validate_on_submit():
        if _save_driver(form, found) is not None:
            db.session.commit()
            flash(gettext("The driver is saved."), "success")
            return redirect(url_for("fleet.driver", driver_id=driver_id))
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("fleet/drivers/form.html", form=form, driver=found), status
