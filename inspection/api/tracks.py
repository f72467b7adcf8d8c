"""JSON API of patrol tracks (routes on the API blueprint; described in openapi_tracks.py)."""

from __future__ import annotations

import uuid

from flask import jsonify
from flask_login import current_user

from inspection.api.views import bp
from inspection.errors import N_, NotFound
from inspection.extensions import db
from inspection.inputs import parse_body
from inspection.patrols.services import get_patrol
from inspection.tracks import ingest, queries
from inspection.tracks.schemas import TrackBatchBody
from inspection.web import permission_required


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(N_("There is nothing at this address.")) from None


@bp.route("/patrols/<patrol_uuid>/track", methods=["POST"])
@permission_required("patrols.work")
def add_track_batch(patrol_uuid: str):
    patrol_id = _uuid(patrol_uuid)
    data = parse_body(TrackBatchBody)
    ingested = ingest.ingest_batch(db.session, patrol_id, data, actor=current_user)
    body = queries.batch_answer(db.session, ingested)
    db.session.commit()
    # 201 for a new batch; 200 when its UUID was stored already (a retry: nothing was added).
    return jsonify(body), 201 if ingested.created else 200


@bp.route("/patrols/<patrol_uuid>/track")
@permission_required("records.read")
def patrol_track(patrol_uuid: str):
    patrol = get_patrol(db.session, _uuid(patrol_uuid))
    queries.check_may_see(patrol, current_user)
    return jsonify(queries.track_geojson(db.session, patrol))
