"""JSON API of the road network: roads, stake positions, GPS look-ups."""

from __future__ import annotations

from flask import jsonify

from inspection.api.params import DirectionQuery, LocateQuery, PositionQuery
from inspection.api.views import bp
from inspection.errors import N_, NotFound, ValidationError
from inspection.extensions import db
from inspection.inputs import parse_query
from inspection.network import queries, services
from inspection.network.stakes import parse_stake
from inspection.web import permission_required, without_transaction


@bp.route("/roads")
@permission_required("roads.read")
def roads():
    return jsonify({"roads": [queries.road_summary(r) for r in queries.list_roads(db.session)]})


@bp.route("/roads/<code>")
@permission_required("roads.read")
def road(code: str):
    road = services.get_road(db.session, code, parse_query(DirectionQuery).direction)
    return jsonify(queries.road_detail(road))


@bp.route("/roads/<code>/position")
@permission_required("roads.read")
def road_position(code: str):
    query = parse_query(PositionQuery)
    road = services.get_road(db.session, code, query.direction)
    try:
        chainage = parse_stake(query.stake)
    except ValidationError as error:
        error.fields = {"stake": N_("Write the stake like K12+345.")}
        raise
    position = services.position_of_stake(
        db.session,
        road,
        chainage,
        prefer=query.prefer,
        near=(query.lon, query.lat) if query.lon is not None and query.lat is not None else None,
    )
    return jsonify(
        {
            "road": road.code,
            "direction": road.direction,
            "stake": position.stake,
            "chainage": position.chainage,
            "lon": round(position.lon, 7),
            "lat": round(position.lat, 7),
        }
    )


@bp.route("/locate")
@permission_required("roads.read")
@without_transaction  # one read statement: no BEGIN, no ROLLBACK
def locate():
    query = parse_query(LocateQuery)
    tolerance = query.tolerance if query.tolerance is not None else services.DEFAULT_TOLERANCE_M
    candidates = services.locate(
        db.session, query.lon, query.lat, tolerance_m=tolerance, road_code=query.road
    )
    if not candidates:
        raise NotFound(
            N_("No road lies within %(tolerance)d m of this point; type the stake instead."),
            tolerance=tolerance,
        )
    return jsonify({"candidates": [c.as_dict() for c in candidates]})
