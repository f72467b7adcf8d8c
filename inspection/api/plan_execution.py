"""JSON API: a year's plan execution (计划执行) — plan vs done, completion and fund use (#17)."""

from __future__ import annotations

from flask import jsonify

from inspection.api.views import bp
from inspection.extensions import db
from inspection.inputs import parse_query
from inspection.plans import execution_queries
from inspection.plans.execution import as_json
from inspection.plans.execution_views import ExecutionQuery, check_year
from inspection.web import branch_today, permission_required


@bp.route("/plans/<int:year>/execution")
@permission_required("plans.read")
def plan_execution(year: int):
    """Return plan vs done of ?version=… (default the newest) [&road=…], to today (branch time)."""
    query = parse_query(ExecutionQuery)
    check_year(year)
    result, _version = execution_queries.plan_execution(
        db.session, year, today=branch_today(), version=query.version, road=query.road
    )
    plan = execution_queries.plan_of(db.session, year)
    numbers = [v.number for v in execution_queries.versions_of(db.session, plan)]
    return jsonify(as_json(result, numbers))
