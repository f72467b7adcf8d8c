"""JSON API of the vehicle and machinery register (#15): units, status changes, service events,
and the due board. Routes on the API blueprint; the services are the pages' services."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext
from flask_login import current_user

from inspection.api.views import bp
from inspection.extensions import db
from inspection.fleet import service_events, vehicles
from inspection.fleet import vehicle_queries as queries
from inspection.fleet.vehicle_schemas import (
    DueQuery,
    VehiclesQuery,
    parse_service,
    parse_status_change,
    parse_vehicle,
)
from inspection.inputs import json_object, parse_query
from inspection.web import branch_today, permission_required


def _detail(vehicle, today) -> dict:
    """A unit with its status history, current 封存 record and next due dates."""
    body = queries.vehicle_dict(vehicle, gettext)
    history = vehicles.status_history(db.session, vehicle.id)
    body["status_events"] = [queries.status_event_dict(e, gettext) for e in history]
    body["due"] = [
        queries.due_dict(d, today, gettext)
        for d in service_events.due_dates_of(db.session, vehicle)
    ]
    return body


@bp.route("/vehicles")
@permission_required("fleet.read")
def list_vehicles():
    query = parse_query(VehiclesQuery)
    filters = {
        "kind": query.kind,
        "department_id": query.department_id,
        "status": query.status,
        "use": query.use,
    }
    units = vehicles.list_vehicles(
        db.session,
        **filters,
        limit=query.per_page,
        offset=(query.page - 1) * query.per_page,
    )
    counts = vehicles.status_counts(
        db.session, kind=query.kind, department_id=query.department_id, use=query.use
    )
    return jsonify(
        {
            "vehicles": [queries.vehicle_dict(v, gettext) for v in units],
            "page": query.page,
            "per_page": query.per_page,
            "total": vehicles.count_vehicles(db.session, **filters),
            "status_counts": counts,
        }
    )


@bp.route("/vehicles", methods=["POST"])
@permission_required("fleet.manage")
def create_vehicle():
    today = branch_today()
    data = parse_vehicle(json_object())
    vehicle = vehicles.create_vehicle(db.session, data, user_id=current_user.id, today=today)
    db.session.commit()
    return jsonify(_detail(vehicle, today)), 201


@bp.route("/vehicles/<int:vehicle_id>")
@permission_required("fleet.read")
def vehicle(vehicle_id: int):
    return jsonify(_detail(vehicles.get_vehicle(db.session, vehicle_id), branch_today()))


@bp.route("/vehicles/<int:vehicle_id>", methods=["PATCH"])
@permission_required("fleet.manage")
def update_vehicle(vehicle_id: int):
    today = branch_today()
    found = vehicles.get_vehicle(db.session, vehicle_id)
    data = parse_vehicle(json_object(), base=vehicles.input_of(found))
    vehicles.update_vehicle(db.session, found, data, today=today)
    db.session.commit()
    return jsonify(_detail(found, today))


@bp.route("/vehicles/<int:vehicle_id>/status", methods=["POST"])
@permission_required("fleet.manage")
def change_vehicle_status(vehicle_id: int):
    today = branch_today()
    change = parse_status_change(json_object(), today)
    vehicles.change_status(db.session, vehicle_id, change, user_id=current_user.id, today=today)
    db.session.commit()
    return jsonify(_detail(vehicles.get_vehicle(db.session, vehicle_id), today)), 201


@bp.route("/vehicles/<int:vehicle_id>/services")
@permission_required("fleet.read")
def vehicle_services(vehicle_id: int):
    found = vehicles.get_vehicle(db.session, vehicle_id)
    rows = service_events.list_services(db.session, found.id)
    return jsonify({"services": [queries.service_dict(s, gettext) for s in rows]})


@bp.route("/vehicles/<int:vehicle_id>/services", methods=["POST"])
@permission_required("fleet.manage")
def record_vehicle_service(vehicle_id: int):
    data = parse_service(json_object())
    event = service_events.record_service(
        db.session, vehicle_id, data, user_id=current_user.id, today=branch_today()
    )
    db.session.commit()
    return jsonify(queries.service_dict(event, gettext)), 201


@bp.route("/vehicles/due")
@permission_required("fleet.read")
def vehicles_due():
    query = parse_query(DueQuery)
    today = branch_today()
    board = service_events.due_board(
        db.session,
        today=today,
        window=query.within,
        kind=query.kind,
        department_id=query.department_id,
        service_kind=query.service_kind,
    )

    def line(entry) -> dict:
        return {
            "vehicle": queries.vehicle_dict(entry.unit, gettext),
            **queries.due_dict(entry.due, today, gettext, query.within),
        }

    return jsonify(
        {
            "today": today.isoformat(),
            "within_days": query.within,
            "overdue": [line(e) for e in board.overdue],
            "due_soon": [line(e) for e in board.due_soon],
        }
    )
