"""Add the year's plan figures to a built report (计划完成率, 资金使用率): reading only."""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session

from inspection.plans import execution_queries
from inspection.reports.annual.model import AnnualReport
from inspection.reports.annual.plan_figures import plan_figures


def with_plan(session: Session, report: AnnualReport) -> AnnualReport:
    """Return the report with its plan figures: a report of a whole year (not of one road: a
    plan has whole-branch lines) whose year has a plan; the newest version, the whole year."""
    if report.period.kind != "year" or report.request.road is not None:
        return report
    year = report.period.year
    if execution_queries.plan_of(session, year) is None:
        return report
    result, _version = execution_queries.plan_execution(session, year, through=12)
    return dataclasses.replace(report, plan=plan_figures(result))
