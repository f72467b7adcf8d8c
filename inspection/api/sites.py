"""JSON API of departments and sites: list (nearest first from a point), read, create, change."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext
from flask_login import current_user

from inspection.api.views import bp
from inspection.extensions import db
from inspection.inputs import json_object, parse_query
from inspection.sites import queries, services
from inspection.sites.schemas import ActiveQuery, SitesQuery, parse_department, parse_site
from inspection.web import permission_required


@bp.route("/sites")
@permission_required("sites.read")
def list_sites():
    query = parse_query(SitesQuery)
    filters = {
        "kind": query.kind,
        "department_id": query.department_id,
        "active": query.active_filter(),
        "limit": query.limit,
    }
    if query.near is not None:
        rows = queries.nearest_sites(db.session, *query.near, **filters)
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
    data = parse_site(json_object())
    created = services.create_site(db.session, data, actor=current_user)
    db.session.commit()
    return jsonify(queries.site_dict(created, gettext)), 201


@bp.route("/sites/<int:site_id>", methods=["PATCH"])
@permission_required("sites.manage")
def update_site(site_id: int):
    found = services.get_site(db.session, site_id)
    data = parse_site(json_object(), base=services.site_input_of(found))
    updated = services.update_site(db.session, found, data, actor=current_user)
    db.session.commit()
    return jsonify(queries.site_dict(updated, gettext))


@bp.route("/departments")
@permission_required("sites.read")
def list_departments():
    departments = queries.list_departments(
        db.session, active=parse_query(ActiveQuery).active_filter()
    )
    return jsonify({"departments": [queries.department_dict(d, gettext) for d in departments]})


@bp.route("/departments", methods=["POST"])
@permission_required("sites.manage")
def create_department():
    name, kind = parse_department(json_object())
    department = services.create_department(db.session, name=name, kind=kind, actor=current_user)
    db.session.commit()
    return jsonify(queries.department_dict(department, gettext)), 201
