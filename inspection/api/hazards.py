"""JSON API of the hazard loop: raise, list, act, evidence photos."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_login import current_user

from inspection.api.params import choice_arg, page_args, paged
from inspection.api.schemas import json_body
from inspection.api.uploads import store_uploaded_photo
from inspection.api.views import bp
from inspection.errors import N_, ValidationError
from inspection.extensions import db
from inspection.hazards import queries, services, workflow
from inspection.network import services as network
from inspection.patrols import schemas
from inspection.patrols.queries import photo_dict
from inspection.web import branch_today, permission_required

# Sources a hazard raised here may name; a self-inspection's hazards come with their inspection.
RAISED_SOURCES = tuple(str(s) for s in workflow.HazardSource if s != "self_inspection")
# Body fields that place a hazard at a road stake.
ROAD_FIELDS = ("road", "direction", "stake", "end_stake", "gps")


def _given(body: dict, name: str) -> bool:
    return body.get(name) not in (None, "", {})


def _site_id(body: dict, errors: schemas.FieldErrors) -> int | None:
    raw = body.get("site_id")
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    errors.add("site_id", N_("Choose a site from the list."))
    return None


@bp.route("/hazards", methods=["POST"])
@permission_required("hazards.raise")
def raise_hazard():
    """Raise a hazard at a road stake (road, direction, stake or GPS) or at a site (site_id)."""
    body = json_body()
    errors = schemas.FieldErrors()
    client_uuid = schemas.client_uuid(body, "client_uuid", errors)
    if client_uuid is None:
        errors.add("client_uuid", N_("This field is required."))
    category = schemas.choice(
        body, "category", tuple(workflow.HAZARD_CATEGORIES), errors, required=True
    )
    grade = schemas.choice(body, "grade", ("general", "major"), errors, required=True)
    description = schemas.text(body, "description", errors)
    if not description:
        errors.add("description", N_("Describe the hazard."))
    if body.get("source") == workflow.HazardSource.self_inspection:
        errors.add("source", N_("A self-inspection's hazards are raised from that inspection."))
    source = schemas.choice(body, "source", RAISED_SOURCES, errors) or "patrol"
    found_at = schemas.timestamp(body, "found_at", errors)
    interim = schemas.text(body, "interim_measures", errors)
    at_road = [name for name in ROAD_FIELDS if _given(body, name)]
    at_site = _given(body, "site_id")
    site_id = gps = None
    location_note = road = direction = stake = end_stake = ""
    if at_site and at_road:
        errors.add("site_id", N_("Give either a road stake or a site, not both."))
        for name in at_road:
            errors.add(name, N_("Give either a road stake or a site, not both."))
    elif at_site:
        site_id = _site_id(body, errors)
        location_note = schemas.text(body, "location_note", errors, max_length=256)
    elif at_road:
        gps = schemas.gps_fix(body, errors)
        road = schemas.text(body, "road", errors, max_length=16)
        direction = schemas.choice(body, "direction", ("up", "down", "both"), errors)
        stake = schemas.text(body, "stake", errors, max_length=40)
        end_stake = schemas.text(body, "end_stake", errors, max_length=40)
        if _given(body, "location_note"):
            errors.add("location_note", N_("A location note belongs to a hazard at a site."))
    else:
        errors.add("location", N_("Give either a road stake or a site."))
    place_type = workflow.LocationType.site if at_site else workflow.LocationType.road
    if (
        category
        and (at_site or at_road)
        and not workflow.HAZARD_CATEGORIES[category].applies(place_type)
    ):
        errors.add("category", N_("This category does not apply to this kind of place."))
    errors.raise_if_any()
    if site_id is not None:
        place = {"site": services.site_for_hazard(db.session, site_id)}
    else:
        place = {
            "location": network.resolve_location(
                db.session,
                road_code=road or None,
                direction=direction,
                stake=stake or None,
                end_stake=end_stake or None,
                gps=gps,
            )
        }
    hazard, created = services.raise_reported_hazard(
        db.session,
        client_uuid,
        actor=current_user,
        category=category,
        grade=grade,
        description=description,
        source=source,
        location_note=location_note,
        interim_measures=interim,
        found_at=found_at,
        timezone=current_app.config["BRANCH_TIMEZONE"],
        **place,
    )
    db.session.commit()
    return jsonify(queries.hazard_dict(hazard, today=branch_today())), 201 if created else 200


@bp.route("/hazards")
@permission_required("records.read")
def list_hazards():
    filters = queries.HazardFilters(
        state=choice_arg("state", tuple(workflow.HazardState)),
        overdue=request.args.get("overdue") in ("1", "true"),
        road=request.args.get("road") or None,
        grade=choice_arg("grade", ("general", "major")),
        category=choice_arg("category", tuple(workflow.HAZARD_CATEGORIES)),
        source=choice_arg("source", tuple(workflow.HazardSource)),
        place=choice_arg("place", queries.PLACES),
    )
    page, per_page = page_args()
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
    body = json_body()
    action = body.get("action")
    if not isinstance(action, str):
        raise ValidationError(
            N_("Some fields are not valid."),
            fields={"action": N_("Choose an action from the list.")},
        )
    # A 回头看 re-checks a hazard through the inspections API, never here.
    services.refuse_inspection_only(action)
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationError(
            N_("Send the version of the hazard you saw."),
            fields={"version": N_("Enter a whole number.")},
        )
    payload = {k: v for k, v in body.items() if k not in ("action", "version")}
    updated = services.act(
        db.session,
        hazard_id,
        action,
        version=version,
        payload=payload,
        actor=current_user,
        today=branch_today(),
    )
    db.session.commit()
    return jsonify(queries.hazard_dict(updated, today=branch_today()))


@bp.route("/hazards/<int:hazard_id>/photos", methods=["POST"])
@permission_required("hazards.raise")
def upload_hazard_photo(hazard_id: int):
    return store_uploaded_photo(services.hazard_taking_photos(db.session, hazard_id))
