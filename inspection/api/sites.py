"""JSON API of departments and sites: list (nearest first from a point), read, create, change."""

from __future__ import annotations

import math

from flask import jsonify, request
from flask_babel import gettext
from flask_login import current_user

from inspection.api.params import choice_arg
from inspection.api.schemas import json_body
from inspection.api.views import bp
from inspection.errors import N_, ValidationError
from inspection.extensions import db
from inspection.sites import queries, services
from inspection.sites.kinds import SiteKind
from inspection.sites.schemas import parse_department, parse_site
from inspection.web import permission_required

MAX_ID = 2**31 - 1
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def _near_arg() -> tuple[float, float] | None:
    raw = request.args.get("near", "").strip()
    if not raw:
        return None
    parts = raw.split(",")
    try:
        lon, lat = (float(p) for p in parts) if len(parts) == 2 else (math.nan, math.nan)
    except ValueError:
        lon = lat = math.nan
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError(
            N_("The parameter near must be lon,lat in degrees, e.g. 87.62,43.86."),
            fields={"near": N_("Not one of the allowed values.")},
        )
    return lon, lat


def _whole_arg(name: str, *, default: int | None, maximum: int) -> int | None:
    """Return a whole number 1…maximum from the query string (ASCII digits only)."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
        raise ValidationError(
            N_("The parameter %(name)s must be a whole number from %(minimum)d to %(maximum)d."),
            fields={name: N_("Not one of the allowed values.")},
            name=name,
            minimum=1,
            maximum=maximum,
        )
    return int(raw)


def _active_arg() -> bool | None:
    """Return which sites or departments to list: active (default), inactive or all."""
    value = choice_arg("active", ("true", "false", "all"))
    return {None: True, "true": True, "false": False, "all": None}[value]


@bp.route("/sites")
@permission_required("sites.read")
def list_sites():
    kind = choice_arg("kind", tuple(SiteKind))
    department_id = _whole_arg("department_id", default=None, maximum=MAX_ID)
    limit = _whole_arg("limit", default=DEFAULT_LIMIT, maximum=MAX_LIMIT)
    active = _active_arg()
    near = _near_arg()
    filters = {"kind": kind, "department_id": department_id, "active": active, "limit": limit}
    if near is not None:
        rows = queries.nearest_sites(db.session, *near, **filters)
        items = [queries.site_dict(s, gettext, distance_m=d) for s, d in rows]
    else:
        items = [queries.site_dict(s, gettext) for s in queries.list_sites(db.session, **filters)]
    return jsonify({"sites": items})


@bp.route("/sites/<int:site_id>")
@permission_required("sites.read")
def site(site_id: int):
    return jsonify(queries.site_dict(services.get_site(db.session, site_id), gettext))


@bp.route("/sites", methods=["POST"])
@permission_required("sites.manage")
def create_site():
    data = parse_site(json_body())
    created = services.create_site(db.session, data, actor=current_user)
    db.session.commit()
    return jsonify(queries.site_dict(created, gettext)), 201


@bp.route("/sites/<int:site_id>", methods=["PATCH"])
@permission_required("sites.manage")
def update_site(site_id: int):
    found = services.get_site(db.session, site_id)
    data = parse_site(json_body(), base=services.site_input_of(found))
    updated = services.update_site(db.session, found, data, actor=current_user)
    db.session.commit()
    return jsonify(queries.site_dict(updated, gettext))


@bp.route("/departments")
@permission_required("sites.read")
def list_departments():
    departments = queries.list_departments(db.session, active=_active_arg())
    return jsonify({"departments": [queries.department_dict(d, gettext) for d in departments]})


@bp.route("/departments", methods=["POST"])
@permission_required("sites.manage")
def create_department():
    name, kind = parse_department(json_body())
    department = services.create_department(db.session, name=name, kind=kind, actor=current_user)
    db.session.commit()
    return jsonify(queries.department_dict(department, gettext)), 201
