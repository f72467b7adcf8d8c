"""JSON API of pavement condition surveys: campaigns, units with indices (GeoJSON), records."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from inspection.api.params import choice_arg
from inspection.api.schemas import json_body
from inspection.api.uploads import store_uploaded_photo
from inspection.api.views import bp
from inspection.extensions import db
from inspection.surveys import importing, queries, services
from inspection.web import permission_required


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
    units = queries.campaign_units(db.session, campaign, road=request.args.get("road") or None)
    direction = choice_arg("direction", ("up", "down", "both"))
    if direction:
        units = [u for u in units if u.direction == direction]
    body = queries.units_geojson(queries.unit_figures(db.session, units))
    return jsonify(body), 200, {"Content-Type": "application/geo+json"}


@bp.route("/surveys/<int:campaign_id>/records", methods=["POST"])
@permission_required("patrols.work")
def add_survey_record(campaign_id: int):
    campaign = services.get_campaign(db.session, campaign_id)
    data = importing.parse_record(json_body())
    record, created = services.add_record(db.session, campaign, data, actor=current_user)
    db.session.commit()
    (figures,) = queries.unit_figures(db.session, [record.unit])
    body = {**queries.record_dict(record), "unit": queries.unit_properties(figures)}
    return jsonify(body), 201 if created else 200


@bp.route("/surveys/records/<int:record_id>/photos", methods=["POST"])
@permission_required("patrols.work")
def upload_survey_record_photo(record_id: int):
    record = services.get_record(db.session, record_id)
    return store_uploaded_photo(record)
