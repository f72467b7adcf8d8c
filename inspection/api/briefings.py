"""JSON API of pre-shift briefings (#16): record (idempotent by client UUID), list, read, void,
photos; the branch's topics."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from inspection.api.params import paged
from inspection.api.schemas import VoidBody
from inspection.api.uploads import store_uploaded_photo
from inspection.api.views import bp
from inspection.crew import briefings
from inspection.crew.briefing_schemas import BriefingBody, BriefingsQuery, TopicsQuery
from inspection.crew.models import Briefing
from inspection.crew.photos import owner_by_uuid
from inspection.extensions import db
from inspection.inputs import parse_body, parse_query
from inspection.web import branch_zone, permission_required


@bp.route("/briefings", methods=["POST"])
@permission_required("crew.record")
def record_briefing():
    data = parse_body(BriefingBody)
    saved = briefings.record_briefing(db.session, data, actor=current_user)
    db.session.commit()
    body = briefings.full_dict(db.session, saved.briefing, branch_zone())
    # 201 for a new briefing; 200 with the stored one when the UUID was already there (a retry).
    return jsonify(body), 201 if saved.created else 200


@bp.route("/briefings")
@permission_required("crew.read")
def list_briefings():
    query = parse_query(BriefingsQuery)
    zone = branch_zone()
    rows, total = briefings.list_briefings(
        db.session,
        zone=zone,
        day_from=query.day_from,
        day_to=query.day_to,
        crew=query.crew,
        site_id=query.site_id,
        include_voided=query.voided == "1",
        page=query.page,
        per_page=query.per_page,
    )
    counts = briefings.photo_counts(db.session, rows)
    items = []
    for row in rows:
        shown = briefings.briefing_dict(db.session, row, zone)
        shown["photo_count"] = counts.get(row.id, 0)
        items.append(shown)
    return paged("briefings", items, page=query.page, per_page=query.per_page, total=total)


@bp.route("/briefings/<briefing_uuid>")
@permission_required("crew.read")
def briefing(briefing_uuid: str):
    found = owner_by_uuid(db.session, Briefing, briefing_uuid)
    return jsonify(briefings.full_dict(db.session, found, branch_zone()))


@bp.route("/briefings/<briefing_uuid>/void", methods=["POST"])
@permission_required("crew.record")
def void_briefing(briefing_uuid: str):
    reason = parse_body(VoidBody).reason
    found = owner_by_uuid(db.session, Briefing, briefing_uuid)
    briefings.void_briefing(db.session, found, reason, actor=current_user)
    db.session.commit()
    return jsonify(briefings.full_dict(db.session, found, branch_zone()))


@bp.route("/briefings/<briefing_uuid>/photos", methods=["POST"])
@permission_required("crew.record")
def upload_briefing_photo(briefing_uuid: str):
    return store_uploaded_photo(owner_by_uuid(db.session, Briefing, briefing_uuid))


@bp.route("/briefing-topics")
@permission_required("crew.read")
def briefing_topics():
    query = parse_query(TopicsQuery)
    topics = briefings.list_topics(db.session, include_inactive=query.all == "1")
    return jsonify({"topics": [briefings.topic_dict(t) for t in topics]})
