"""Field pages (my patrol, new finding) and the findings list and detail."""

from __future__ import annotations

import uuid
from datetime import datetime, time

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from inspection.api.params import FindingsQuery
from inspection.errors import N_, NotFound, ValidationError
from inspection.extensions import db
from inspection.fleet import patrol_choices
from inspection.hazards.workflow import HAZARD_CATEGORIES
from inspection.inputs import load_json, parse_query
from inspection.media.services import storage_for
from inspection.network import queries as network_queries
from inspection.patrols import outbox_import, queries, services
from inspection.patrols.kinds import (
    FINDING_KINDS,
    FINDING_STATUSES,
    PATROL_KINDS,
    SIDES,
    SUBGRADE_ITEMS_BY_KIND,
    WEATHER,
)
from inspection.repairs.views import limits_in_force
from inspection.surveys.pavement_index import DISTRESS_TABLE, SUBGRADE_TABLE
from inspection.web import branch_today, branch_zone, permission_required, translate_error

bp = Blueprint("patrols", __name__)


def _today_start() -> datetime:
    return datetime.combine(branch_today(), time.min, tzinfo=branch_zone())


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(N_("There is nothing at this address.")) from None


def field_vocabulary(locale: str) -> dict:
    """Return the choices the phone form offers, in the page's language (from the one tables)."""
    english = not locale.startswith("zh")

    def word(label) -> str:
        return label.en if english else label.zh

    distress = {
        pavement.value: [
            {
                "code": code,
                "name": word(item),
                "unit": item.unit.value,
                "severities": [s.value if s is not None else None for s in item.severities],
                "guide": word(item.guide) if item.guide else "",
            }
            for code, item in table.items()
        ]
        for pavement, table in DISTRESS_TABLE.items()
    }
    subgrade = {
        kind: [
            {
                "code": code,
                "name": word(SUBGRADE_TABLE[code]),
                "severities": [
                    s.value if s is not None else None for s in SUBGRADE_TABLE[code].severities
                ],
            }
            for code in codes
        ]
        for kind, codes in SUBGRADE_ITEMS_BY_KIND.items()
    }
    return {
        "kinds": {code: gettext(label) for code, label in FINDING_KINDS.items()},
        "sides": {code: gettext(label) for code, label in SIDES.items()},
        "distress": distress,
        "subgrade": subgrade,
        "hazard_categories": [
            {"code": c.code, "name": c.en if english else c.zh}
            for c in HAZARD_CATEGORIES.values()
            if c.applies("road")  # a finding is at a road stake
        ],
        "severity_words": {
            "light": gettext("Light"),
            "medium": gettext("Medium"),
            "heavy": gettext("Heavy"),
        },
    }


@bp.route("/field/")
@permission_required("patrols.work")
def field():
    patrol = services.open_patrol_of(db.session, current_user)
    todays, _ = queries.find_findings(
        db.session,
        queries.FindingFilters(created_by_id=current_user.id, since=_today_start()),
        per_page=100,
    )
    return render_template(
        "patrols/field.html",
        patrol=queries.patrol_dict(patrol) if patrol else None,
        findings=todays,
        roads=[network_queries.road_summary(r) for r in network_queries.list_roads(db.session)],
        patrol_kinds={code: gettext(label) for code, label in PATROL_KINDS.items()},
        weather={code: gettext(label) for code, label in WEATHER.items()},
        kinds=FINDING_KINDS,
        statuses=FINDING_STATUSES,
        # The registers' fit units and active drivers (#15), in the page so that the service
        # worker's copy offers them without signal, as it does the roads.
        vehicles=patrol_choices.fit_vehicles(db.session, gettext),
        drivers=patrol_choices.active_drivers(db.session),
    )


@bp.route("/field/finding")
@permission_required("patrols.work")
def new_finding():
    from inspection import select_locale

    patrol = services.open_patrol_of(db.session, current_user)
    return render_template(
        "patrols/new_finding.html",
        patrol=queries.patrol_dict(patrol) if patrol else None,
        roads=[network_queries.road_summary(r) for r in network_queries.list_roads(db.session)],
        vocabulary=field_vocabulary(select_locale()),
    )


@bp.route("/findings/")
@permission_required("records.read")
def findings():
    query = parse_query(FindingsQuery)  # a malformed ?page or filter is a 422 page
    filters = queries.FindingFilters(road=query.road, kind=query.kind, status=query.status)
    page = query.page
    rows, total = queries.find_findings(db.session, filters, page=page, per_page=50)
    return render_template(
        "patrols/findings.html",
        findings=rows,
        total=total,
        page=page,
        filters=filters,
        kinds=FINDING_KINDS,
        statuses=FINDING_STATUSES,
        roads=network_queries.list_roads(db.session),
    )


@bp.route("/findings/<finding_uuid>")
@permission_required("records.read")
def finding_detail(finding_uuid: str):
    finding = services.get_finding(db.session, _uuid(finding_uuid))
    return render_template(
        "patrols/finding.html",
        finding=finding,
        photos=queries.photos_of(db.session, finding),
        near=services.near_duplicates(db.session, finding),
        kinds=FINDING_KINDS,
        statuses=FINDING_STATUSES,
        sides=SIDES,
    )


@bp.route("/findings/<finding_uuid>/void", methods=["POST"])
@permission_required("patrols.work")
def void_finding(finding_uuid: str):
    finding = services.get_finding(db.session, _uuid(finding_uuid))
    try:
        services.void_record(
            db.session, finding, request.form.get("reason", ""), actor=current_user
        )
    except ValidationError as error:
        flash(gettext(error.message), "error")
        return redirect(url_for("patrols.finding_detail", finding_uuid=finding_uuid))
    db.session.commit()
    flash(gettext("The finding is voided."), "success")
    return redirect(url_for("patrols.finding_detail", finding_uuid=finding_uuid))


@bp.route("/field/import", methods=["GET", "POST"])
@permission_required("patrols.work")
def import_outbox():
    """Take an outbox file a phone exported and store what it holds (nothing twice)."""
    results = None
    error = None
    status = 200
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            document = load_json(upload.read()) if upload else None
            entries = outbox_import.read_document(document)
        except (ValueError, UnicodeDecodeError):
            entries, error = (
                None,
                gettext("This is not an outbox file exported by the field pages."),
            )
        except ValidationError as refused:
            entries, error = None, translate_error(refused)
        if entries is not None:
            results = outbox_import.import_outbox(
                db.session,
                storage_for(current_app.config["MEDIA_ROOT"]),
                entries,
                actor=current_user,
                routes=outbox_import.Routes.of(current_app),
                max_bytes=current_app.config["PHOTO_MAX_BYTES"],
                today=branch_today(),
                timezone=current_app.config["BRANCH_TIMEZONE"],
                repair_limits=limits_in_force(),
            )
            db.session.commit()
        else:
            status = 422
    return render_template(
        "patrols/import.html", results=results, error=error, translate_error=translate_error
    ), status
