"""JSON API: monthly measurement statements (计量单, #17); routes on the API blueprint.

Building and confirming take no body: the month is in the path. A confirmed statement is
frozen: building or confirming it again answers 409 `statement_frozen`; confirming a draft whose
repairs changed since it was built answers 409 `statement_outdated`. Manual lines (the branch's
own items, 手工计量) are added, changed and removed on a draft only (409 `statement_frozen`).
"""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from inspection.api.views import bp
from inspection.extensions import db
from inspection.inputs import parse_body, parse_query
from inspection.plans import statement_manual as manual
from inspection.plans import statement_queries as queries
from inspection.plans import statements as services
from inspection.plans.statement_schemas import ManualLineBody, ManualLineChange, MeasurementsQuery
from inspection.web import branch_today, permission_required


@bp.route("/measurements")
@permission_required("plans.read")
def measurements():
    query = parse_query(MeasurementsQuery)
    year = query.year or branch_today().year
    return jsonify({"year": year, "months": queries.year_months(db.session, year)})


@bp.route("/measurements/<int:year>/<int:month>")
@permission_required("plans.read")
def measurement(year: int, month: int):
    statement = services.get_statement(db.session, year, month)
    return jsonify(queries.statement_dict(db.session, statement))


@bp.route("/measurements/<int:year>/<int:month>/build", methods=["POST"])
@permission_required("plans.manage")
def build_measurement(year: int, month: int):
    statement = services.build_statement(
        db.session, year, month, actor=current_user, today=branch_today()
    )
    db.session.commit()
    return jsonify(queries.statement_dict(db.session, statement))


@bp.route("/measurements/<int:year>/<int:month>/confirm", methods=["POST"])
@permission_required("plans.manage")
def confirm_measurement(year: int, month: int):
    statement = services.confirm_statement(db.session, year, month, actor=current_user)
    db.session.commit()
    return jsonify(queries.statement_dict(db.session, statement))


@bp.route("/measurements/<int:year>/<int:month>/manual-lines", methods=["POST"])
@permission_required("plans.manage")
def add_manual_measurement_line(year: int, month: int):
    given = parse_body(ManualLineBody).as_input()
    line = manual.add_manual_line(db.session, year, month, given, actor=current_user)
    db.session.commit()
    return _with_line(year, month, line.id), 201


@bp.route("/measurements/<int:year>/<int:month>/manual-lines/<int:line_id>", methods=["PATCH"])
@permission_required("plans.manage")
def change_manual_measurement_line(year: int, month: int, line_id: int):
    given = parse_body(ManualLineChange).as_input()
    manual.change_manual_line(db.session, year, month, line_id, given, actor=current_user)
    db.session.commit()
    return _with_line(year, month, line_id)


@bp.route("/measurements/<int:year>/<int:month>/manual-lines/<int:line_id>", methods=["DELETE"])
@permission_required("plans.manage")
def remove_manual_measurement_line(year: int, month: int, line_id: int):
    manual.remove_manual_line(db.session, year, month, line_id, actor=current_user)
    db.session.commit()
    return jsonify(
        queries.statement_dict(db.session, services.get_statement(db.session, year, month))
    )


def _with_line(year: int, month: int, line_id: int):
    """The statement after the change, with the manual line changed at `line`."""
    body = queries.statement_dict(db.session, services.get_statement(db.session, year, month))
    body["line"] = next(x for x in body["lines"] if x["id"] == line_id)
    return jsonify(body)
