"""Pages of the pre-shift briefing (routes on inspection.crew.blueprint.bp).

The phone page /field/briefing starts from the user's last briefing (crew, place, leader,
topic, attendees), embedded in the page and kept on the phone, so the copy the service worker
keeps works without signal: its script saves the briefing and its photo into the outbox and
sends them when there is signal. Without the script the form posts here (with its photo) and
the same service stores it. Desktop: the list with filters, one briefing, the topics.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from inspection.api.schemas import VoidBody
from inspection.api.uploads import parse_photo_upload
from inspection.crew import briefings
from inspection.crew.blueprint import bp
from inspection.crew.briefing_schemas import BriefingBody, BriefingFilter, TopicBody
from inspection.crew.models import Briefing
from inspection.crew.photos import owner_by_uuid
from inspection.errors import DomainError, ValidationError
from inspection.extensions import db
from inspection.inputs import Int, check, parse_query, validate
from inspection.media.services import attach_photo, storage_for
from inspection.sites.models import Site
from inspection.web import branch_zone, permission_required, translate_error

PER_PAGE = 50


def _error_args(error: DomainError | None) -> dict:
    if error is None:
        return {"error": None, "fields": {}}
    return {
        "error": translate_error(error),
        "fields": {k: gettext(v) for k, v in error.fields.items()},
    }


def _sites() -> list[dict]:
    rows = db.session.scalars(select(Site).where(Site.active.is_(True)).order_by(Site.name))
    return [{"id": s.id, "name": s.name} for s in rows]


def _initial(defaults: dict | None, values: dict | None) -> dict:
    """What the form's controls show: what was posted (after a refusal), else the defaults."""
    if values is not None:
        return {
            **{k: values.get(k, "") for k in ("crew", "site_id", "place", "leader_id")},
            **{k: values.get(k, "") for k in ("leader_name", "topic_id", "topic_text", "note")},
            "attendee_ids": set(values.get("attendee_id", [])),
            "attendee_names": [n for n in values.get("attendee_name", []) if n.strip()],
            "attendee_text": values.get("attendee_names", ""),
        }
    last = defaults or {}
    people = last.get("attendees", [])
    leader = last.get("leader_id")
    return {
        "crew": last.get("crew", ""),
        "site_id": str(last.get("site_id") or ""),
        "place": last.get("place", ""),
        "leader_id": str(leader or (current_user.id if not last else "other")),
        "leader_name": last.get("leader_name", "") if last and not leader else "",
        "topic_id": str(last.get("topic_id") or ""),
        "topic_text": last.get("topic_text", ""),
        "note": "",
        "attendee_ids": {str(p["user_id"]) for p in people if p["user_id"]},
        "attendee_names": [p["name"] for p in people if not p["user_id"]],
        "attendee_text": "",
    }


def _render_field(error: DomainError | None = None, values: dict | None = None, status=200):
    defaults = briefings.last_defaults(db.session, current_user)
    page = render_template(
        "crew/briefing_field.html",
        topics=[briefings.topic_dict(t) for t in briefings.list_topics(db.session)],
        people=briefings.crew_people(db.session),
        sites=_sites(),
        defaults=defaults or {},
        client_uuid=str(uuid.uuid4()),
        initial=_initial(defaults, values),
        **_error_args(error),
    )
    return page, status


def _lines(text: str) -> list[str]:
    return [name for line in text.replace("，", ",").splitlines() for name in line.split(",")]


def _form_body() -> dict:
    form = request.form
    attendees = [{"user_id": value} for value in form.getlist("attendee_id")]
    names = form.getlist("attendee_name") + _lines(form.get("attendee_names", ""))
    attendees += [{"name": name} for name in names if name.strip()]
    leader = form.get("leader_id", "")
    return {
        "client_uuid": form.get("client_uuid", ""),
        "held_at": form.get("held_at", ""),
        "crew": form.get("crew", ""),
        "site_id": form.get("site_id", ""),
        "place": form.get("place", ""),
        "leader_id": leader if leader != "other" else "",
        "leader_name": form.get("leader_name", "") if leader in ("", "other") else "",
        "topic_id": form.get("topic_id", ""),
        "topic_text": form.get("topic_text", ""),
        "attendees": attendees,
        "note": form.get("note", ""),
    }


def _form_values() -> dict:
    """What the crew typed, to show again after a refusal."""
    form = request.form
    values = form.to_dict()
    values["attendee_id"] = form.getlist("attendee_id")
    values["attendee_name"] = form.getlist("attendee_name")
    return values


@bp.route("/field/briefing", methods=["GET", "POST"])
@permission_required("crew.record")
def briefing_field():
    if request.method == "GET":
        return _render_field()
    body = _form_body()
    if not body["held_at"]:
        body["held_at"] = datetime.now(branch_zone()).isoformat()
    photo = request.files.get("photo")
    try:
        data = validate(BriefingBody, body)
        saved = briefings.record_briefing(db.session, data, actor=current_user)
        if photo is not None and photo.filename:
            attach_photo(
                db.session,
                storage_for(current_app.config["MEDIA_ROOT"]),
                parse_photo_upload(request),
                owner=saved.briefing,
                actor=current_user,
                max_bytes=current_app.config["PHOTO_MAX_BYTES"],
            )
    except DomainError as error:
        db.session.rollback()
        return _render_field(error, _form_values(), error.status)
    db.session.commit()
    flash(gettext("Briefing recorded."), "success")
    return redirect(url_for("crew.briefing_field"))


@bp.route("/crew/briefings")
@permission_required("crew.read")
def briefing_list():
    query = parse_query(BriefingFilter)
    zone = branch_zone()
    rows, total = briefings.list_briefings(
        db.session,
        zone=zone,
        day_from=query.day_from,
        day_to=query.day_to,
        crew=query.crew,
        site_id=query.site_id,
        page=query.page,
        per_page=PER_PAGE,
    )
    counts = briefings.photo_counts(db.session, rows)
    shown = []
    for row in rows:
        item = briefings.briefing_dict(db.session, row, zone)
        item["photo_count"] = counts.get(row.id, 0)
        shown.append(item)
    args = {k: v for k, v in request.args.items() if k != "page" and v.strip()}
    return render_template(
        "crew/briefing_list.html",
        briefings=shown,
        total=total,
        page=query.page,
        per_page=PER_PAGE,
        query=query,
        args=args,
        sites=_sites(),
    )


@bp.route("/crew/briefings/<briefing_uuid>")
@permission_required("crew.read")
def briefing_detail(briefing_uuid: str):
    found = owner_by_uuid(db.session, Briefing, briefing_uuid)
    may_void = found.voided_at is None and (
        current_user.can("crew.record")
        and (found.created_by_id == current_user.id or current_user.can("crew.settings"))
    )
    return render_template(
        "crew/briefing_detail.html",
        briefing=briefings.full_dict(db.session, found, branch_zone()),
        may_void=may_void,
    )


@bp.route("/crew/briefings/<briefing_uuid>/void", methods=["POST"])
@permission_required("crew.record")
def void_briefing(briefing_uuid: str):
    found = owner_by_uuid(db.session, Briefing, briefing_uuid)
    try:
        data = validate(VoidBody, {"reason": request.form.get("reason", "")})
        briefings.void_briefing(db.session, found, data.reason, actor=current_user)
    except ValidationError as error:
        db.session.rollback()
        flash(translate_error(error), "error")
        return redirect(url_for("crew.briefing_detail", briefing_uuid=briefing_uuid))
    db.session.commit()
    flash(gettext("The briefing is void."), "success")
    return redirect(url_for("crew.briefing_detail", briefing_uuid=briefing_uuid))


@bp.route("/crew/briefing-topics", methods=["GET", "POST"])
@permission_required("crew.settings")
def briefing_topics():
    error = None
    if request.method == "POST":
        form = request.form
        try:
            data = validate(
                TopicBody, {"name": form.get("name", ""), "active": form.get("active", "0")}
            )
            if form.get("topic_id"):
                topic_id, _ = check(Int(), form["topic_id"])
                briefings.update_topic(db.session, topic_id or 0, data.name, data.active == 1)
            else:
                briefings.add_topic(db.session, data.name)
        except DomainError as domain_error:
            db.session.rollback()
            error = domain_error
        else:
            db.session.commit()
            flash(gettext("The briefing topics are saved."), "success")
            return redirect(url_for("crew.briefing_topics"))
    topics = briefings.list_topics(db.session, include_inactive=True)
    page = render_template(
        "crew/briefing_topics.html",
        topics=[briefings.topic_dict(t) for t in topics],
        editing=request.form.get("topic_id") if error else None,
        **_error_args(error),
    )
    return page, (error.status if error else 200)
