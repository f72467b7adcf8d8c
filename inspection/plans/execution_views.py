"""Page: a year's plan execution (计划执行) at /plans/<year>/execution (routes on plans.bp)."""

from __future__ import annotations

from typing import Annotated

from flask import render_template
from flask_babel import get_locale
from pydantic import Field

from inspection.errors import N_, NotFound
from inspection.extensions import db
from inspection.inputs import Input, Int, RoadCode, parse_query
from inspection.plans import execution_queries
from inspection.plans.blueprint import bp
from inspection.plans.execution import BEHIND_POINTS, DEFINITIONS, FROM_STATEMENT, MONTHS
from inspection.plans.execution_chart import charts
from inspection.plans.kinds import UNIT_LABELS, WORK_KINDS
from inspection.reports.annual.metrics import format_number, percent_text
from inspection.web import branch_today, permission_required

YEARS = (2000, 2100)


class ExecutionQuery(Input):
    """Plan execution of a year against a plan version, optionally of one road."""

    version: Annotated[
        Int(1, 999) | None,
        Field(description=N_("Plan version number (1 = the original; default the newest).")),
    ] = None
    road: Annotated[
        RoadCode | None, Field(description=N_("Road code, e.g. G30."), examples=["G30"])
    ] = None


def check_year(year: int) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        raise NotFound(N_("There is no plan for %(year)s."), year=year)


@bp.route("/<int:year>/execution")
@permission_required("plans.read")
def execution(year: int):
    """Show plan vs done per month, kind and road, the rates, the board and the charts."""
    query = parse_query(ExecutionQuery)
    check_year(year)
    today = branch_today()
    plan = execution_queries.plan_of(db.session, year)
    if plan is None:
        return render_template("plans/execution_none.html", year=year)
    result, version = execution_queries.plan_execution(
        db.session, year, today=today, version=query.version, road=query.road
    )
    locale = str(get_locale() or "zh")
    chinese = locale.lower().startswith("zh")
    return render_template(
        "plans/execution.html",
        year=year,
        plan=plan,
        versions=execution_queries.versions_of(db.session, plan),
        version=version,
        result=result,
        road=query.road,
        roads=execution_queries.road_codes(db.session),
        num=format_number,
        pct=lambda value: "—" if value is None else percent_text(value) + "%",
        charts=charts(result, locale),
        today=today,
        months=MONTHS,
        kinds={code: (k.zh if chinese else k.en) for code, k in WORK_KINDS.items()},
        units=UNIT_LABELS,
        definitions={k: (zh if chinese else en) for k, (zh, en) in DEFINITIONS.items()},
        behind_points=BEHIND_POINTS,
        from_statement=FROM_STATEMENT,
    )
