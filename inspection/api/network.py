"""JSON API of the road network: roads, stake positions, GPS look-ups."""

from __future__ import annotations

from flask import jsonify, request

from inspection.api.params import choice_arg, float_arg
from inspection.api.views import bp
from inspection.errors import N_, NotFound, ValidationError
from inspection.extensions import db
from inspection.network import queries, services
from inspection.network.stakes import parse_stake
from inspection.web import permission_required

DIRECTIONS = ("up", "down", "both")


@bp.route("/roads")
@permission_required("roads.read")
def roads():
    return jsonify({"roads": [queries.road_summary(r) for r in queries.list_roads(db.session)]})


@bp.route("/roads/<code>")
@permission_required("roads.read")
def road(code: str):
    road = services.get_road(db.session, code, choice_arg("direction", DIRECTIONS))
    return jsonify(queries.road_detail(road))


@bp.route("/roads/<code>/position")
@permission_required("roads.read")
def road_position(code: str):
    road = services.get_road(db.session, code, choice_arg("direction", DIRECTIONS))
    stake_text = request.args.get("stake", "")
    try:
        chainage = parse_stake(stake_text)
    except ValidationError as error:
        error.fields = {"stake": N_("Write the stake like K12+345.")}
        raise
    lon = float_arg("lon", required=False)
    lat = float_arg("lat", required=False)
    position = services.position_of_stake(
        db.session,
        road,
        chainage,
        prefer=choice_arg("prefer", ("before", "after")),
        near=(lon, lat) if lon is not None and lat is not None else None,
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
def locate():
    lon, lat = float_arg("lon"), float_arg("lat")
    tolerance = float_arg("tolerance", required=False, default=services.DEFAULT_TOLERANCE_M)
    if not 0 < tolerance <= 5000:
        raise ValidationError(
            N_("The tolerance must be between 0 and 5000 m."),
            fields={"tolerance": N_("Between 0 and 5000 m.")},
        )
    candidates = services.locate(
        db.session, lon, lat, tolerance_m=tolerance, road_code=request.args.get("road") or None
    )
    if not candidates:
        raise NotFound(
            N_("No road lies within %(tolerance)d m of this point; type the stake instead."),
            tolerance=tolerance,
        )
    return jsonify({"candidates": [c.as_dict() for c in candidates]})
