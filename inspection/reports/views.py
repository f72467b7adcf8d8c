"""Report pages: the annual maintenance report on screen, as CSV and as XLSX."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask import Blueprint, Response, current_app, render_template, request, url_for

from inspection.api.params import AnnualReportQuery
from inspection.errors import DomainError
from inspection.exports import csv_bytes, xlsx_bytes
from inspection.extensions import db
from inspection.inputs import parse_query
from inspection.reports import annual
from inspection.reports.annual import crew_queries, fleet_queries, plan_queries, queries
from inspection.web import branch_zone, permission_required, translate_error

bp = Blueprint("reports", __name__, url_prefix="/reports")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The parameters a report takes; links (exports, JSON) carry them on.
PARAMETERS = ("year", "month", "from", "to", "cutoff", "road")


def branch_timezone() -> str:
    return current_app.config["BRANCH_TIMEZONE"]


def branch_now() -> datetime:
    """Return now in the branch's time zone (days are counted there, DESIGN §6a)."""
    return datetime.now(branch_zone())


def report_for(args: Mapping[str, str]) -> annual.AnnualReport:
    """Check the parameters and compute the report they ask for (HTML, exports and API)."""
    parse_query(AnnualReportQuery, args)  # each parameter's form first (422, never 500)
    now = branch_now()
    asked = annual.parse_request(args, today=now.date())
    report = queries.annual_report(db.session, asked, timezone=branch_timezone(), now=now)
    report = crew_queries.with_crew(db.session, report)
    report = plan_queries.with_plan(db.session, report)
    return fleet_queries.with_fleet(db.session, report, today=now.date())


def _locale() -> str:
    from inspection import select_locale

    return select_locale()


def _given(args: Mapping[str, str]) -> dict[str, str]:
    return {name: args[name] for name in PARAMETERS if args.get(name)}


def _filename(report: annual.AnnualReport, extension: str, table: str | None = None) -> str:
    period = report.period
    if period.kind == "range":
        stem = f"{period.start.isoformat()}_{period.end.isoformat()}"
    elif period.kind == "month":
        stem = f"{period.year}-{period.month:02d}"
    else:
        stem = str(period.year)
    parts = ["annual-report", stem, report.request.road, table]
    return "-".join(p for p in parts if p) + "." + extension


@bp.route("/annual", endpoint="annual")
@permission_required("reports.read")
def annual_page():
    locale = _locale()
    given = _given(request.args)
    roads = queries.road_names(db.session)
    try:
        report = report_for(request.args)
    except DomainError as error:
        db.session.rollback()
        page = render_template(
            "reports/annual.html",
            report=None,
            error=translate_error(error),
            given=given,
            roads=roads,
        )
        return page, error.status
    return render_template(
        "reports/annual.html",
        report=report,
        error=None,
        given=given,
        roads=roads,
        tables=annual.tables(report, locale),
        charts=[annual.month_chart(report, key, locale) for key in annual.CHART_KEYS],
        about=annual.about_rows(report, locale),
        definitions=annual.definition_rows(locale),
        exports={
            "xlsx": url_for("reports.annual_export", fmt="xlsx", **given),
            "csv": {
                key: url_for("reports.annual_export", fmt="csv", table=key, **given)
                for key in annual.TABLE_KEYS
            },
            "json": url_for("api.annual_report", **given),
        },
    )


@bp.route("/annual.<any(csv, xlsx):fmt>")
@permission_required("reports.read")
def annual_export(fmt: str):
    report = report_for(request.args)
    locale = _locale()
    if fmt == "xlsx":
        body = xlsx_bytes(annual.xlsx_sheets(report, locale))
        mimetype, filename = XLSX_MIMETYPE, _filename(report, "xlsx")
    else:
        key = request.args.get("table") or "totals"
        chosen = {t.key: t for t in annual.tables(report, locale)}.get(key)
        if chosen is None:
            key, chosen = "totals", annual.totals_table(report, locale)
        body = csv_bytes(chosen.headers, chosen.values())
        mimetype, filename = "text/csv; charset=utf-8", _filename(report, "csv", key)
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
