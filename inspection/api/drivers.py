"""JSON API of the drivers register (#15): list, read, register, change, record a review, and
the due lists. Routes on the API blueprint; reads need fleet.read, changes fleet.manage."""

from __future__ import annotations

from flask import current_app, jsonify
from flask_babel import gettext
from flask_login import current_user

from inspection.api.views import bp
from inspection.extensions import db
from inspection.fleet import drivers
from inspection.fleet.driver_schemas import DriversQuery, parse_driver, parse_review
from inspection.inputs import json_object, parse_query
from inspection.web import branch_today, branch_zone, permission_required


def _answer(driver, *, reviews: bool = False) -> dict:
    judged = drivers.judge(driver, branch_today(), branch_zone())
    return drivers.driver_dict(driver, judged, gettext, reviews=reviews)


@bp.route("/drivers")
@permission_required("fleet.read")
def list_drivers():
    query = parse_query(DriversQuery)
    rows = drivers.list_drivers(db.session, active=query.active_filter())
    return jsonify({"drivers": [_answer(d) for d in rows]})


@bp.route("/drivers/due")
@permission_required("fleet.read")
def drivers_due():
    today = branch_today()
    lists = drivers.due_lists(db.session, today, branch_zone())

    def rows(judged):
        return [drivers.driver_dict(j.driver, j, gettext) for j in judged]

    return jsonify(
        {
            "today": today.isoformat(),
            "timezone": current_app.config["BRANCH_TIMEZONE"],
            "reviews": rows(lists.reviews),
            "licences": rows(lists.licences),
        }
    )


@bp.route("/drivers/<int:driver_id>")
@permission_required("fleet.read")
def driver(driver_id: int):
    return jsonify(_answer(drivers.get_driver(db.session, driver_id), reviews=True))


@bp.route("/drivers", methods=["POST"])
@permission_required("fleet.manage")
def create_driver():
    data = parse_driver(json_object())
    created = drivers.create_driver(db.session, data, actor=current_user)
    db.session.commit()
    return jsonify(_answer(drivers.get_driver(db.session, created.id), reviews=True)), 201


@bp.route("/drivers/<int:driver_id>", methods=["PATCH"])
@permission_required("fleet.manage")
def update_driver(driver_id: int):
    found = drivers.get_driver(db.session, driver_id)
    data = parse_driver(json_object(), base=drivers.driver_input_of(found))
    drivers.update_driver(db.session, found, data, actor=current_user)
    db.session.commit()
    return jsonify(_answer(drivers.get_driver(db.session, driver_id), reviews=True))


@bp.route("/drivers/<int:driver_id>/reviews", methods=["POST"])
@permission_required("fleet.manage")
def add_driver_review(driver_id: int):
    found = drivers.get_driver(db.session, driver_id)
    data = parse_review(json_object())
    drivers.add_review(db.session, found, data, actor=current_user, today=branch_today())
    db.session.commit()
    return jsonify(_answer(drivers.get_driver(db.session, driver_id), reviews=True)), 201
