"""Hazard pages: the officer's board, a hazard's history and actions, raising, the ledger."""

from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user

from inspection.auth import services as auth_services
from inspection.errors import N_, DomainError
from inspection.exports import csv_bytes, xlsx_bytes
from inspection.extensions import db
from inspection.hazards import queries, services, workflow
from inspection.hazards.labels import (
    ACTION_LABELS,
    GRADE_LABELS,
    PLACE_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
)
from inspection.inputs import Code, Input, parse_query
from inspection.media.services import PhotoUpload, storage_for
from inspection.web import branch_today, branch_zone, permission_required, translate_error

bp = Blueprint("hazards", __name__, url_prefix="/hazards")

PLAN_LABELS = {
    "goals": N_("Goals and tasks"),
    "measures": N_("Methods and measures"),
    "funding": N_("Funding and materials"),
    "people": N_("Organisation and people"),
    "deadline": N_("Time limits"),
    "safety_contingency": N_("Safety measures and contingency plan"),
}


def _categories() -> dict[str, str]:
    from inspection import select_locale

    return {code: c.label(select_locale()) for code, c in workflow.HAZARD_CATEGORIES.items()}


class BoardQuery(Input):
    """The board's filters: where a hazard came from and where it is."""

    source: Code(SOURCE_LABELS) | None = None
    place: Code(queries.PLACES) | None = None


@bp.route("/")
@permission_required("records.read")
def board():
    today = branch_today()
    query = parse_query(BoardQuery)  # an unknown source or place is a 422 page
    filters = queries.HazardFilters(source=query.source, place=query.place)
    return render_template(
        "hazards/board.html",
        board=queries.officer_board(db.session, today=today, filters=filters),
        filters=filters,
        today=today,
        states=STATE_LABELS,
        grades=GRADE_LABELS,
        sources=SOURCE_LABELS,
        places=PLACE_LABELS,
        categories=_categories(),
    )


@bp.route("/<int:hazard_id>")
@permission_required("records.read")
def detail(hazard_id: int):
    return _detail_page(hazard_id)


def _detail_page(hazard_id: int, *, refused: dict | None = None) -> str:
    """Render a hazard's page; `refused` brings back a refused action's form as it was typed."""
    hazard = services.get_hazard(db.session, hazard_id)
    today = branch_today()
    actions = services.direct_actions(hazard, current_user)
    return render_template(
        "hazards/detail.html",
        hazard=hazard,
        events=queries.events_of(db.session, hazard),
        photos=queries.photos_of(db.session, hazard),
        actions=[str(a) for a in actions],
        crew=auth_services.active_users_with_role(db.session, "patrol"),
        departments=queries.active_departments(db.session),
        refused=refused or {},
        default_deadline=workflow.default_deadline(hazard.category, hazard.grade, today),
        overdue=workflow.days_overdue(hazard.state, hazard.deadline, today),
        states=STATE_LABELS,
        action_labels=ACTION_LABELS,
        grades=GRADE_LABELS,
        sources=SOURCE_LABELS,
        places=PLACE_LABELS,
        categories=_categories(),
        plan_labels=PLAN_LABELS,
    )


@bp.route("/<int:hazard_id>/act", methods=["POST"])
@permission_required("hazards.raise")
def act(hazard_id: int):
    form = request.form
    action = form.get("action", "")
    version = form.get("version", type=int)
    try:
        services.refuse_inspection_only(action)
        if action == "submit":
            uploads = [
                PhotoUpload(client_uuid=uuid.uuid4(), data=file.read(), stage="after")
                for file in request.files.getlist("photos")
                if file and file.filename
            ]
            services.submit_evidence(
                db.session,
                storage_for(current_app.config["MEDIA_ROOT"]),
                hazard_id,
                version=version,
                uploads=uploads,
                note=form.get("note", ""),
                actor=current_user,
                today=branch_today(),
                max_bytes=current_app.config["PHOTO_MAX_BYTES"],
            )
        else:
            payload = {
                k: v for k, v in form.items() if k not in ("csrf_token", "action", "version")
            }
            assignee = payload.get("assignee_user_id", "").strip()
            if not assignee:
                payload.pop("assignee_user_id", None)
            elif assignee.isascii() and assignee.isdigit():
                payload["assignee_user_id"] = int(assignee)
            # Anything else goes to the service as it came, which refuses it with a field message.
            plan = {k[5:]: v for k, v in payload.items() if k.startswith("plan.")}
            payload = {k: v for k, v in payload.items() if not k.startswith("plan.")}
            if any(plan.values()):
                payload["plan"] = plan
            services.act(
                db.session,
                hazard_id,
                action,
                version=version,
                payload=payload,
                actor=current_user,
                today=branch_today(),
            )
    except DomainError as error:
        db.session.rollback()
        # Show the page again with what was typed, so a refused form loses nothing.
        refused = {
            "action": action,
            "typed": request.form.to_dict(),
            "message": translate_error(error),
            "fields": [gettext(m) for m in error.fields.values()],
        }
        return _detail_page(hazard_id, refused=refused), error.status
    db.session.commit()
    flash(
        gettext("Done: %(action)s.", action=gettext(ACTION_LABELS.get(action, action))), "success"
    )
    return redirect(url_for("hazards.detail", hazard_id=hazard_id)), 303


@bp.route("/ledger.<any(csv, xlsx):fmt>")
@permission_required("hazards.ledger")
def ledger(fmt: str):
    rows = queries.ledger_rows(db.session, timezone=branch_zone())
    categories = _categories()
    headers = [gettext(label) for _, label in queries.LEDGER_COLUMNS]
    words = {
        "category": categories,
        "grade": GRADE_LABELS,
        "state": STATE_LABELS,
        "source": SOURCE_LABELS,
        "location_type": PLACE_LABELS,
    }

    def cell(key: str, value):
        if key not in words:
            return value
        word = words[key].get(value, value)
        return word if key == "category" else gettext(word)

    values = [[cell(key, row[key]) for key, _ in queries.LEDGER_COLUMNS] for row in rows]
    stamp = branch_today().isoformat()
    if fmt == "csv":
        body, mimetype = csv_bytes(headers, values), "text/csv; charset=utf-8"
    else:
        body = xlsx_bytes([(gettext("Hazard ledger"), headers, values)])
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="hazard-ledger-{stamp}.{fmt}"'},
    )
