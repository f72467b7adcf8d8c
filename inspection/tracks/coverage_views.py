"""Pages of patrol coverage: the coverage of a period, and the patrol frequencies by road class."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, IntegerField

from inspection.errors import DomainError
from inspection.extensions import db
from inspection.inputs import parse_query, validate
from inspection.network.models import DIRECTION_LABELS, ROAD_CLASS_LABELS, Road
from inspection.tracks import coverage_queries, frequencies
from inspection.tracks.blueprint import bp
from inspection.tracks.coverage_inputs import CoverageQuery, FrequencyBody
from inspection.tracks.kinds import DEFAULT_FREQUENCY_DAYS
from inspection.web import branch_today, permission_required, translate_error

# Days since last patrolled → the colour class the page and the map share.
BANDS = ((1, "fresh"), (7, "recent"), (30, "stale"))
FIELD = "every_days"


def band(days_since: int | None) -> str:
    """Return the colour band of a stretch: fresh ≤ 1 day, recent ≤ 7, stale ≤ 30, else old."""
    if days_since is None:
        return "old"
    for limit, name in BANDS:
        if days_since <= limit:
            return name
    return "old"


def _given() -> dict[str, str]:
    return {
        k: request.args.get(k, "").strip()
        for k in ("from", "to", "road")
        if request.args.get(k, "").strip()
    }


def _road_codes() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Road.code, Road.name).distinct().order_by(Road.code))
    names: dict[str, str] = {}
    for code, name in rows:
        names.setdefault(code, name)
    return list(names.items())


@bp.route("/patrols/coverage")
@permission_required("records.read")
def coverage():
    given = _given()
    roads = _road_codes()
    try:
        query = parse_query(CoverageQuery)
        report = coverage_queries.coverage_report(
            db.session,
            query.period(branch_today()),
            timezone=current_app.config["BRANCH_TIMEZONE"],
            road=query.road,
        )
    except DomainError as error:
        db.session.rollback()
        page = render_template(
            "tracks/coverage.html",
            report=None,
            error=translate_error(error),
            given=given,
            roads=roads,
        )
        return page, error.status
    map_args = {"from": report.period.first.isoformat(), "to": report.period.last.isoformat()}
    if report.road:
        map_args["road"] = report.road
    json_url = url_for("api.patrol_coverage", **map_args)
    map_args["layer"] = "patrol_coverage"
    return render_template(
        "tracks/coverage.html",
        report=report,
        error=None,
        given=given,
        roads=roads,
        band=band,
        class_labels=ROAD_CLASS_LABELS,
        direction_labels=DIRECTION_LABELS,
        map_url=url_for("mapview.page", **map_args),
        json_url=json_url,
    )


class FrequencyForm(FlaskForm):
    road_class = HiddenField()
    every_days = IntegerField()


@bp.route("/patrols/frequencies", methods=["GET", "POST"])
@permission_required("patrols.frequencies")
def patrol_frequencies():
    status = 200
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    posted = FrequencyForm()
    if posted.is_submitted():
        road_class = (posted.road_class.data or "").strip()
        if not posted.validate():  # CSRF
            status = 400
            errors[road_class] = gettext("The form has expired; please try again.")
        else:
            typed[road_class] = (request.form.get("every_days") or "").strip()[:16]
            try:
                body = validate(FrequencyBody, {"every_days": typed[road_class]})
                frequencies.set_frequency(
                    db.session, road_class, body.every_days, actor=current_user
                )
            except DomainError as error:
                db.session.rollback()
                status = error.status
                field_message = (error.fields or {}).get(FIELD)
                errors[road_class] = (
                    gettext(field_message) if field_message else translate_error(error)
                )
            else:
                db.session.commit()
                label = ROAD_CLASS_LABELS.get(road_class, road_class)
                flash(
                    gettext(
                        "The patrol frequency of %(road_class)s is saved.",
                        road_class=gettext(label),
                    ),
                    "success",
                )
                return redirect(url_for("tracks.patrol_frequencies"))
    rows = frequencies.list_frequencies(db.session)
    forms = []
    for row in rows:
        form = FrequencyForm(formdata=None, road_class=row.road_class, every_days=row.every_days)
        if row.road_class in typed:
            form.every_days.raw_data = [typed[row.road_class]]
        forms.append((row, form))
    return (
        render_template(
            "tracks/frequencies.html",
            forms=forms,
            errors=errors,
            class_labels=ROAD_CLASS_LABELS,
            defaults=DEFAULT_FREQUENCY_DAYS,
        ),
        status,
    )
