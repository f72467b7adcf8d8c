"""Pages of the monthly measurement statements (计量单): the year, a month, the workbook.

Readers see; managers build, rebuild and confirm, and add or remove a draft's manual lines. A
refused build, confirmation or manual line (frozen, outdated, a month not begun, bad fields)
shows the month's page again with the message and its status.
"""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from inspection.errors import N_, DomainError, NotFound
from inspection.extensions import db
from inspection.inputs import parse_form, parse_query
from inspection.plans import labels
from inspection.plans import statement_manual as manual
from inspection.plans import statement_queries as queries
from inspection.plans import statement_xlsx as xlsx
from inspection.plans import statements as services
from inspection.plans.blueprint import bp
from inspection.plans.kinds import Unit
from inspection.plans.statement_schemas import (
    ManualLineBody,
    MeasurementsQuery,
    StatementExportQuery,
)
from inspection.web import branch_today, permission_required, translate_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def branch_name() -> str:
    return current_app.config.get("BRANCH_NAME", "")


@bp.route("/statements")
@permission_required("plans.read")
def statements():
    year = parse_query(MeasurementsQuery).year or branch_today().year
    months = queries.year_months(db.session, year)
    for month in months:
        month["label"] = queries.state_label(month["state"])
    return render_template("plans/statements.html", year=year, months=months)


def _month_page(year: int, month: int, *, error: str | None = None, status: int = 200):
    statement = services.find_statement(db.session, year, month)
    data = queries.statement_dict(db.session, statement) if statement else None
    return render_template(
        "plans/statement.html",
        year=year,
        month=month,
        data=data,
        state=queries.state_label(statement.state if statement else None),
        kind_label=labels.kind_label,
        unit_label=labels.unit_label,
        source_label=labels.source_label,
        manual_kinds=[(code, labels.kind_label(code)) for code in manual.MANUAL_KINDS],
        units=[(u.value, labels.unit_label(u.value)) for u in Unit],
        error=error,
    ), status


@bp.route("/statements/<int:year>/<int:month>")
@permission_required("plans.read")
def statement(year: int, month: int):
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise NotFound(N_("There is nothing at this address."))
    return _month_page(year, month)


@bp.route("/statements/<int:year>/<int:month>/build", methods=["POST"])
@permission_required("plans.manage")
def build_statement(year: int, month: int):
    try:
        services.build_statement(db.session, year, month, actor=current_user, today=branch_today())
    except DomainError as error:
        db.session.rollback()
        return _month_page(year, month, error=translate_error(error), status=error.status)
    db.session.commit()
    flash(gettext("The statement is built."), "success")
    return redirect(url_for("plans.statement", year=year, month=month), 303)


@bp.route("/statements/<int:year>/<int:month>/confirm", methods=["POST"])
@permission_required("plans.manage")
def confirm_statement(year: int, month: int):
    try:
        services.confirm_statement(db.session, year, month, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        return _month_page(year, month, error=translate_error(error), status=error.status)
    db.session.commit()
    flash(gettext("The statement is confirmed and frozen."), "success")
    return redirect(url_for("plans.statement", year=year, month=month), 303)


def _error_text(error: DomainError) -> str:
    """The error's message with its fields' messages (the form names no field by itself)."""
    parts = [translate_error(error)] + [gettext(text) for text in error.fields.values()]
    return " ".join(parts)


@bp.route("/statements/<int:year>/<int:month>/manual-lines", methods=["POST"])
@permission_required("plans.manage")
def add_manual_line(year: int, month: int):
    try:
        given = parse_form(ManualLineBody).as_input()
        manual.add_manual_line(db.session, year, month, given, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        return _month_page(year, month, error=_error_text(error), status=error.status)
    db.session.commit()
    flash(gettext("The manual line is added."), "success")
    return redirect(url_for("plans.statement", year=year, month=month), 303)


@bp.route("/statements/<int:year>/<int:month>/manual-lines/<int:line_id>/remove", methods=["POST"])
@permission_required("plans.manage")
def remove_manual_line(year: int, month: int, line_id: int):
    try:
        manual.remove_manual_line(db.session, year, month, line_id, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        return _month_page(year, month, error=_error_text(error), status=error.status)
    db.session.commit()
    flash(gettext("The manual line is removed."), "success")
    return redirect(url_for("plans.statement", year=year, month=month), 303)


@bp.route("/statements/<int:year>.xlsx")
@permission_required("plans.read")
def export_statements(year: int):
    """The clerk's workbook: one sheet per built month of the year, or the month asked for."""
    month = parse_query(StatementExportQuery).month
    found = services.statements_of_year(db.session, year)
    chosen = [found[m] for m in sorted(found) if month is None or m == month]
    if month is not None and not chosen:
        raise NotFound("There is no statement of %(year)d-%(month)02d yet.", year=year, month=month)
    sheets = [queries.sheet_of(db.session, s, branch_name()) for s in chosen]
    if not sheets:
        sheets = [xlsx.Sheet(str(year), gettext("No statement is built yet."), "", [])]
    body = xlsx.workbook_bytes(sheets, queries.xlsx_words())
    name = f"statement-{year}" + (f"-{month:02d}" if month else "")
    return Response(
        body,
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )
