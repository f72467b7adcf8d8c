"""JSON API of the reports: the annual report, every figure with its unit and definition."""

from __future__ import annotations

from flask import jsonify, request

from inspection.api.views import bp
from inspection.replica import reads_from_replica
from inspection.reports import annual
from inspection.reports.views import report_for
from inspection.web import permission_required


@bp.route("/reports/annual")
@permission_required("reports.read")
@reads_from_replica
def annual_report():
    """Return the report of ?year=…[&month=…] or ?from=…&to=…, [&road=…][&cutoff=…].

    `report_for` reads them through `AnnualReportQuery` (shown in the OpenAPI document)."""
    return jsonify(annual.as_json(report_for(request.args)))
