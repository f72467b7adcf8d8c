"""JSON API of pavement condition surveys: campaigns, units with indices (GeoJSON), records."""

from __future__ import annotations

import uuid

from flask import jsonify
from flask_login import current_user
from pydantic import ConfigDict

from inspection.api.params import SurveyUnitsQuery
from inspection.api.uploads import store_uploaded_photo
from inspection.api.views import bp
from inspection.errors import N_, NotFound
from inspection.extensions import db
from inspection.inputs import (
    INT32_MAX,
    Input,
    Int,
    Note,
    Quantity,
    Text,
    Uuid,
    parse_body,
    parse_query,
)
from inspection.surveys import importing, queries, services
from inspection.web import permission_required


class SurveyRecordBody(Input):
    """A distress or subgrade record: at a unit (unit_id), or at a road, direction and stake.

    Direction, severity and unit may be written as words (上行, 重, 米) as in a survey sheet."""

    # item_code and quantity are required; parse_record names them with the other domain errors.
    model_config = ConfigDict(json_schema_extra={"required": ["item_code", "quantity"]})

    unit_id: Int(1, INT32_MAX) | None = None
    road: Text(16) = ""
    direction: Text(8) = ""
    stake: Text(40) = ""
    family: Text(12) = ""
    item_code: Text(64) = ""
    severity: Text(16) = ""
    quantity: Quantity | None = None
    unit: Text(16) = ""
    note: Note = ""
    client_uuid: Uuid | None = None


@bp.route("/surveys")
@permission_required("records.read")
def list_surveys():
    return jsonify(
        {"surveys": [queries.campaign_dict(r) for r in queries.list_campaigns(db.session)]}
    )


@bp.route("/surveys/<int:campaign_id>")
@permission_required("records.read")
def survey(campaign_id: int):
    campaign = services.get_campaign(db.session, campaign_id)
    (row,) = queries.list_campaigns(db.session, only=campaign.id)
    figures = queries.unit_figures(db.session, queries.campaign_units(db.session, campaign))
    results = queries.road_results(figures)
    return jsonify(
        {
            **queries.campaign_dict(row),
            "roads": [queries.summary_dict(r) for r in results],
            "not_measured": queries.not_measured(results),
        }
    )


@bp.route("/surveys/<int:campaign_id>/units")
@permission_required("records.read")
def survey_units(campaign_id: int):
    """Return the units as GeoJSON with dr, pci, sci and grade (for the map layer)."""
    campaign = services.get_campaign(db.session, campaign_id)
    query = parse_query(SurveyUnitsQuery)
    units = queries.campaign_units(db.session, campaign, road=query.road)
    if query.direction:
        units = [u for u in units if u.direction == query.direction]
    body = queries.units_geojson(queries.unit_figures(db.session, units))
    return jsonify(body), 200, {"Content-Type": "application/geo+json"}


@bp.route("/surveys/<int:campaign_id>/records", methods=["POST"])
@permission_required("patrols.work")
def add_survey_record(campaign_id: int):
    campaign = services.get_campaign(db.session, campaign_id)
    body = parse_body(SurveyRecordBody)
    # The sheet's words (上行, 重, 米) and the item are resolved as an imported line's are.
    data = importing.parse_record(body.model_dump(exclude_defaults=True, mode="python"))
    record, created = services.add_record(db.session, campaign, data, actor=current_user)
    db.session.commit()
    (figures,) = queries.unit_figures(db.session, [record.unit])
    body = {**queries.record_dict(record), "unit": queries.unit_properties(figures)}
    return jsonify(body), 201 if created else 200


@bp.route("/surveys/records/<int:record_id>/photos", methods=["POST"])
# Its author (a crew member) or a manager (who keeps the campaigns): see media.may_add_photo.
@permission_required("records.read")
def upload_survey_record_photo(record_id: int):
    record = services.get_record(db.session, record_id)
    return store_uploaded_photo(record)


@bp.route("/surveys/records/by-uuid/<record_uuid>/photos", methods=["POST"])
# The phone's address: a photo made offline knows its record's client UUID, not its id.
@permission_required("records.read")
def upload_survey_record_photo_by_uuid(record_uuid: str):
    try:
        wanted = uuid.UUID(record_uuid)
    except ValueError:
        raise NotFound(N_("There is nothing at this address.")) from None
    return store_uploaded_photo(services.get_record_by_uuid(db.session, wanted))
