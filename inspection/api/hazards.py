"""JSON API of the hazard loop: raise, list, act, evidence photos."""

from __future__ import annotations

from typing import Annotated

from flask import current_app, jsonify
from flask_login import current_user
from pydantic import Field

from inspection.api.params import paged
from inspection.api.uploads import store_uploaded_photo
from inspection.api.views import bp
from inspection.errors import N_
from inspection.extensions import db
from inspection.hazards import queries, services, workflow
from inspection.hazards.schemas import parse_action, parse_hazard
from inspection.inputs import Code, ListQuery, RoadCode, json_object, parse_query
from inspection.network import services as network
from inspection.patrols.queries import photo_dict
from inspection.web import branch_today, permission_required


class HazardsQuery(ListQuery):
    """List hazards, nearest deadline first."""

    state: Annotated[Code(workflow.HazardState) | None, Field(description=N_("State."))] = None
    overdue: Annotated[
        Code(("0", "1", "true", "false")) | None,
        Field(description=N_("1 for overdue hazards only.")),
    ] = None
    road: Annotated[
        RoadCode | None, Field(description=N_("Road code, e.g. G30."), examples=["G30"])
    ] = None
    grade: Annotated[Code(workflow.HazardGrade) | None, Field(description=N_("Grade."))] = None
    category: Annotated[
        Code(workflow.HAZARD_CATEGORIES) | None, Field(description=N_("Category."))
    ] = None
    source: Annotated[Code(workflow.HazardSource) | None, Field(description=N_("Source."))] = None
    place: Annotated[
        Code(queries.PLACES) | None,
        Field(description=N_("At a road stake, at a site, or at one kind of site.")),
    ] = None


@bp.route("/hazards", methods=["POST"])
@permission_required("hazards.raise")
def raise_hazard():
    """Raise a hazard at a road stake (road, direction, stake or GPS) or at a site (site_id)."""
    data = parse_hazard(json_object())
    if data.site_id is not None:
        place = {"site": services.site_for_hazard(db.session, data.site_id)}
    else:
        place = {
            "location": network.resolve_location(
                db.session,
                road_code=data.road or None,
                direction=data.direction,
                stake=data.stake or None,
                end_stake=data.end_stake or None,
                gps=data.gps.fix() if data.gps else None,
            )
        }
    hazard, created = services.raise_reported_hazard(
        db.session,
        data.client_uuid,
        actor=current_user,
        category=data.category,
        grade=data.grade,
        description=data.description,
        source=data.source,
        location_note=data.location_note,
        interim_measures=data.interim_measures,
        found_at=data.found_at,
        timezone=current_app.config["BRANCH_TIMEZONE"],
        **place,
    )
    db.session.commit()
    return jsonify(queries.hazard_dict(hazard, today=branch_today())), 201 if created else 200


@bp.route("/hazards")
@permission_required("records.read")
def list_hazards():
    query = parse_query(HazardsQuery)
    filters = queries.HazardFilters(
        state=query.state,
        overdue=query.overdue in ("1", "true"),
        road=query.road,
        grade=query.grade,
        category=query.category,
        source=query.source,
        place=query.place,
    )
    page, per_page = query.page, query.per_page
    today = branch_today()
    rows, total = queries.find_hazards(
        db.session, filters, today=today, page=page, per_page=per_page
    )
    items = [queries.hazard_dict(h, today=today) for h in rows]
    return paged("hazards", items, page=page, per_page=per_page, total=total)


@bp.route("/hazards/<int:hazard_id>")
@permission_required("records.read")
def hazard(hazard_id: int):
    found = services.get_hazard(db.session, hazard_id)
    body = queries.hazard_dict(found, today=branch_today())
    body["events"] = [queries.event_dict(e) for e in queries.events_of(db.session, found)]
    body["photos"] = [photo_dict(p) for p in queries.photos_of(db.session, found)]
    body["available_actions"] = [str(a) for a in services.direct_actions(found, current_user)]
    return jsonify(body)


@bp.route("/hazards/<int:hazard_id>/actions", methods=["POST"])
@permission_required("hazards.raise")
def hazard_action(hazard_id: int):
    body = json_object()
    # A 回头看 re-checks a hazard through the inspections API, never here.
    services.refuse_inspection_only(body.get("action"))
    data = parse_action(body)
    updated = services.act(
        db.session,
        hazard_id,
        data.action,
        version=data.version,
        payload=data.payload,
        actor=current_user,
        today=branch_today(),
        client_uuid=data.client_uuid,
    )
    db.session.commit()
    answer = queries.hazard_dict(updated, today=branch_today())
    if data.client_uuid is not None:
        # The outbox deletes the action only on an answer that names it.
        answer["action_uuid"] = str(data.client_uuid)
    return jsonify(answer)


@bp.route("/hazards/<int:hazard_id>/photos", methods=["POST"])
@permission_required("hazards.raise")
def upload_hazard_photo(hazard_id: int):
    return store_uploaded_photo(services.hazard_taking_photos(db.session, hazard_id))
