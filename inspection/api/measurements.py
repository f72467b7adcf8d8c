"""JSON API: monthly measurement statements (计量单, #17); routes on the API blueprint.

Building and confirming take no body: the month is in the path. A confirmed statement is
frozen: building or confirming it again answers 409 `statement_frozen`; confirming a draft whose
repairs changed since it was built answers 409 `statement_outdated`.
"""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from inspection.api.views import bp
from inspection.extensions import db
from inspection.inputs import parse_query
from inspection.plans import statement_queries as queries
from inspection.plans import statements as services
from inspection.plans.statement_schemas import MeasurementsQuery
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
