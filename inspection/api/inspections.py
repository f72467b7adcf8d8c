"""JSON API of self-inspections: checklists, inspections, items and photos, 回头看 re-checks.

The contract the phone page builds against is /work/po-pending/inspections-api.md (kept in
docs by the lead); every route is described in `openapi_inspections.py`.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from flask import current_app, jsonify
from flask_babel import gettext
from flask_login import current_user
from pydantic import Field
from sqlalchemy import select

from inspection.api.params import FilterDay, paged
from inspection.api.uploads import store_uploaded_photo
from inspection.api.views import bp
from inspection.errors import N_, NotFound, ValidationError
from inspection.extensions import db
from inspection.inputs import Code, Input, ListQuery, json_object, parse_query
from inspection.inspections import lookback, queries, schemas, services, templates
from inspection.inspections.kinds import InspectionKind
from inspection.inspections.models import InspectionItem
from inspection.web import branch_today, permission_required

YES_NO = ("0", "1", "true", "false")


class TemplatesQuery(Input):
    """List the checklist templates."""

    active: Annotated[
        Code(YES_NO) | None, Field(description=N_("1 to list only the active ones."))
    ] = None


class InspectionsQuery(ListQuery):
    """List the self-inspections, newest first."""

    kind: Annotated[Code(InspectionKind) | None, Field(description=N_("Kind of inspection."))] = (
        None
    )
    since: FilterDay | None = Field(None, alias="from", description=N_("First day (YYYY-MM-DD)."))
    until: FilterDay | None = Field(None, alias="to", description=N_("Last day (YYYY-MM-DD)."))
    include_voided: Annotated[
        Code(YES_NO) | None, Field(description=N_("1 to include voided records."))
    ] = None


def _yes(value: str | None) -> bool:
    return value in ("1", "true")


def _timezone() -> str:
    return current_app.config["BRANCH_TIMEZONE"]


def _full(inspection_id: int) -> dict:
    inspection = queries.load_inspection(db.session, inspection_id)
    if inspection is None:
        raise NotFound(N_("There is no inspection %(id)s."), id=inspection_id)
    return queries.inspection_dict(db.session, inspection, gettext)


# --- templates ---------------------------------------------------------------------------


@bp.route("/inspection-templates")
@permission_required("inspections.read")
def list_inspection_templates():
    active_only = _yes(parse_query(TemplatesQuery).active)
    rows = queries.list_templates(db.session, active_only=active_only)
    return jsonify({"templates": [queries.template_dict(t, gettext) for t in rows]})


@bp.route("/inspection-templates/<int:template_id>")
@permission_required("inspections.read")
def inspection_template(template_id: int):
    template = templates.get_template(db.session, template_id)
    return jsonify(queries.template_dict(template, gettext))


@bp.route("/inspection-templates", methods=["POST"])
@permission_required("inspections.work")
def create_inspection_template():
    data = schemas.parse_template(json_object())
    template = templates.create_template(db.session, data, actor=current_user)
    db.session.commit()
    return jsonify(queries.template_dict(template, gettext)), 201


@bp.route("/inspection-templates/<int:template_id>", methods=["PUT"])
@permission_required("inspections.work")
def replace_inspection_template(template_id: int):
    data = schemas.parse_template(json_object())
    template = templates.replace_template(db.session, template_id, data, actor=current_user)
    db.session.commit()
    return jsonify(queries.template_dict(template, gettext))


# --- inspections --------------------------------------------------------------------------


@bp.route("/inspections", methods=["POST"])
@permission_required("inspections.work")
def create_inspection():
    data = schemas.parse_inspection(json_object())
    saved = services.create_inspection(
        db.session, data, actor=current_user, today=branch_today(), timezone=_timezone()
    )
    db.session.commit()
    # 201 for a new inspection; 200 with the stored one when the UUID was there (a retry).
    return jsonify({"inspection": _full(saved.record.id)}), 201 if saved.created else 200


@bp.route("/inspections")
@permission_required("inspections.read")
def list_inspections():
    query = parse_query(InspectionsQuery)
    filters = queries.InspectionFilters(
        kind=query.kind,
        since=query.since,
        until=query.until,
        include_voided=_yes(query.include_voided),
    )
    page, per_page = query.page, query.per_page
    rows, total = queries.find_inspections(db.session, filters, page=page, per_page=per_page)
    items = [queries.summary_dict(i, gettext) for i in rows]
    return paged("inspections", items, page=page, per_page=per_page, total=total)


@bp.route("/inspections/<int:inspection_id>")
@permission_required("inspections.read")
def inspection(inspection_id: int):
    return jsonify({"inspection": _full(inspection_id)})


@bp.route("/inspections/<int:inspection_id>/items", methods=["POST"])
@permission_required("inspections.work")
def add_inspection_item(inspection_id: int):
    data = schemas.parse_item_body(json_object())
    saved = services.add_item(
        db.session, inspection_id, data, actor=current_user, timezone=_timezone()
    )
    db.session.commit()
    full = _full(inspection_id)
    item = next(i for i in full["items"] if i["id"] == saved.record.id)
    return jsonify({"item": item, "inspection": full}), 201 if saved.created else 200


@bp.route("/inspection-items/<item_uuid>/photos", methods=["POST"])
@permission_required("inspections.work")
def upload_inspection_item_photo(item_uuid: str):
    try:
        wanted = uuid.UUID(item_uuid)
    except ValueError:
        raise NotFound(N_("There is nothing at this address.")) from None
    item = db.session.scalar(select(InspectionItem).where(InspectionItem.client_uuid == wanted))
    if item is None:
        raise NotFound(N_("There is no checklist item %(uuid)s."), uuid=str(wanted))
    if item.inspection.voided_at is not None:
        raise ValidationError(N_("This inspection was voided."))
    return store_uploaded_photo(item)


# --- 回头看 ---------------------------------------------------------------------------------


@bp.route("/inspections/<int:inspection_id>/recheck-candidates")
@permission_required("inspections.read")
def recheck_candidates(inspection_id: int):
    rows = lookback.candidates(db.session, inspection_id, timezone=_timezone())
    return jsonify({"hazards": [queries.candidate_dict(h, r) for h, r in rows]})


@bp.route("/inspections/<int:inspection_id>/rechecks", methods=["POST"])
@permission_required("inspections.work")
def recheck_hazard(inspection_id: int):
    data = schemas.parse_recheck(json_object())
    record, created = lookback.recheck(
        db.session,
        inspection_id,
        data,
        actor=current_user,
        today=branch_today(),
        timezone=_timezone(),
    )
    db.session.commit()
    body = {"recheck": queries.recheck_dict(record), "inspection": _full(inspection_id)}
    return jsonify(body), 201 if created else 200
