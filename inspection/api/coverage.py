"""JSON API of patrol coverage (routes on the API blueprint; described in openapi_coverage.py)."""

from __future__ import annotations

from flask import current_app, jsonify
from flask_babel import gettext
from flask_login import current_user

from inspection.api.views import bp
from inspection.extensions import db
from inspection.inputs import parse_body, parse_query
from inspection.tracks import coverage_queries, frequencies
from inspection.tracks.coverage_inputs import CoverageQuery, FrequencyBody
from inspection.web import branch_today, permission_required


@bp.route("/patrol-coverage")
@permission_required("records.read")
def patrol_coverage():
    query = parse_query(CoverageQuery)
    report = coverage_queries.coverage_report(
        db.session,
        query.period(branch_today()),
        timezone=current_app.config["BRANCH_TIMEZONE"],
        road=query.road,
    )
    return jsonify(coverage_queries.report_dict(report))


@bp.route("/patrol-frequencies")
@permission_required("roads.read")
def patrol_frequencies():
    found = frequencies.list_frequencies(db.session)
    return jsonify({"frequencies": [frequencies.frequency_dict(f, gettext) for f in found]})


@bp.route("/patrol-frequencies/<road_class>", methods=["PUT"])
@permission_required("patrols.frequencies")
def set_patrol_frequency(road_class: str):
    body = parse_body(FrequencyBody)
    found = frequencies.set_frequency(db.session, road_class, body.every_days, actor=current_user)
    db.session.commit()
    return jsonify(frequencies.frequency_dict(found, gettext))
