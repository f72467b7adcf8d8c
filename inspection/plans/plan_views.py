"""Pages of the plans (#17): the years, a year's plan by version, import, and the line form.

Routes on inspection.plans.blueprint.bp: /plans/, /plans/<year>, /plans/<year>/import,
/plans/<year>/lines (the original once, then adjustments), /plans/template.xlsx.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, StringField, TextAreaField

from inspection import imports
from inspection.errors import N_, ValidationError
from inspection.exports import xlsx_bytes
from inspection.extensions import db
from inspection.imports import Problem
from inspection.inputs import validate
from inspection.plans import plan_import
from inspection.plans import plan_rules as rules
from inspection.plans import plans as services
from inspection.plans.blueprint import bp
from inspection.plans.kinds import UNIT_LABELS, WORK_KINDS
from inspection.plans.labels import kind_label, unit_label
from inspection.plans.plan_schemas import LineBody
from inspection.web import branch_today, permission_required, translate_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINE_FIELDS = (
    "month", "road", "work_kind", "unit", "quantity", "unit_price_yuan", "budget_yuan", "note",
)  # fmt: skip
TYPED = ("road", "quantity", "unit_price_yuan", "budget_yuan", "note")
BLANK_ROWS = 5


# A line's columns in words: the line form's inputs and messages, the import's report.
LINE_LABELS = {
    "month": _l("Month"),
    "road": _l("Road"),
    "work_kind": _l("Kind of work"),
    "unit": _l("Unit"),
    "quantity": _l("Quantity"),
    "unit_price_yuan": _l("Unit price (yuan)"),
    "budget_yuan": _l("Budget (yuan)"),
    "note": _l("Note"),
}


class ImportForm(FlaskForm):
    file = FileField(_l("Plan (.xlsx)"))
    name = StringField(_l("Plan name (the original plan)"))
    from_month = StringField(_l("First month adjusted (an adjustment; empty: the original plan)"))
    note = TextAreaField(_l("Reason for the adjustment"))
    check_first = BooleanField(_l("Check first: nothing is saved until you confirm"), default=True)
    # The confirm step: the checked file, packed, and its name.
    payload = HiddenField()
    filename = HiddenField()


class LinesForm(FlaskForm):
    name = StringField(_l("Plan name"))
    from_month = StringField(_l("First month adjusted"))
    note = TextAreaField(_l("Reason for the adjustment"))


def _show(form: FlaskForm, error: ValidationError) -> None:
    form.form_errors = [*form.form_errors, translate_error(error)]
    for name, text in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, gettext(text)]


def problem_text(problem: Problem) -> str:
    if problem.detail:
        return gettext(problem.detail, **dict(problem.params))
    return gettext(problem.message)


def _month_of(text: str | None) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 12:
        raise ValidationError(
            N_("Some fields are not valid."),
            fields={"from_month": N_("The month must be 1 to 12.")},
        )
    return int(text)


def road_label(road) -> str:
    if road is None:
        return gettext("Whole branch")
    return road.code if road.direction == "both" else f"{road.code} {gettext(road.direction)}"


def _helpers() -> dict[str, Any]:
    return {
        "kind_label": kind_label,
        "unit_label": unit_label,
        "labels": LINE_LABELS,
        "road_label": road_label,
        "budget_source": rules.budget_source,
        "problem_text": problem_text,
        "kinds": WORK_KINDS,
        "units": UNIT_LABELS,
    }


@bp.route("/")
@permission_required("plans.read")
def index():
    plans = services.list_plans(db.session)
    return render_template(
        "plans/plan_index.html", plans=plans, this_year=branch_today().year, **_helpers()
    )


def month_table(lines, roads) -> list[dict[str, Any]]:
    """Group lines per road: rows per kind and unit with 12 months, totals per row and road."""
    groups: dict[Any, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for line in lines:
        rows = groups[line.road_id]
        row = rows.setdefault(
            (line.work_kind, line.unit),
            {
                "kind": line.work_kind,
                "unit": line.unit,
                "months": {},
                "quantity": Decimal(0),
                "budget": Decimal(0),
            },
        )
        row["months"][line.month] = line
        row["quantity"] += line.quantity
        row["budget"] += line.budget_yuan
    ordered = sorted(groups, key=lambda rid: (rid is not None, road_label(roads.get(rid))))
    return [
        {
            "road": roads.get(rid),
            "rows": [groups[rid][key] for key in sorted(groups[rid])],
            "budget": sum((r["budget"] for r in groups[rid].values()), Decimal(0)),
        }
        for rid in ordered
    ]


@bp.route("/<int:year>")
@permission_required("plans.read")
def year(year: int):
    plan = services.get_plan(db.session, year)
    number = request.args.get("version", "")
    version = services.get_version(
        db.session, plan, int(number) if number.isascii() and number.isdigit() else None
    )
    lines = services.version_lines(db.session, version)
    roads = services.road_names(db.session, (line.road_id for line in lines))
    return render_template(
        "plans/plan_year.html",
        plan=plan,
        version=version,
        lines=lines,
        roads=roads,
        groups=month_table(lines, roads),
        totals=services.version_totals(db.session, plan),
        total_budget=sum((line.budget_yuan for line in lines), Decimal(0)),
        **_helpers(),
    )


@bp.route("/template.xlsx")
@permission_required("plans.manage")
def template():
    body = xlsx_bytes(
        [(gettext("Plan"), plan_import.template_header(), plan_import.template_rows())]
    )
    return Response(
        body,
        mimetype=XLSX,
        headers={"Content-Disposition": 'attachment; filename="plan-template.xlsx"'},
    )


@bp.route("/<int:year>/import", methods=["GET", "POST"])
@permission_required("plans.manage")
def import_plan(year: int):
    if not 2000 <= year <= 2100:
        return redirect(url_for("plans.index"))
    form = ImportForm()
    plan = services.find_plan(db.session, year)
    page = {"year": year, "plan": plan, "form": form, **_helpers()}
    if not form.is_submitted():
        return render_template("plans/plan_import.html", report=None, **page)
    confirming = bool(form.payload.data)
    try:
        if not form.validate():
            raise ValidationError(N_("Some fields are not valid."))
        if confirming:
            data = imports.unpack(form.payload.data, plan_import.MAX_BYTES)
            filename = form.filename.data or ""
        elif form.file.data:
            upload = form.file.data
            data, filename = upload.read(), upload.filename or ""
        else:
            raise ValidationError(
                N_("Choose the plan to import."), fields={"file": N_("Choose a file.")}
            )
        parsed = plan_import.read_xlsx(data, filename, year)
        report = plan_import.import_plan(
            db.session,
            year,
            parsed,
            actor=current_user,
            name=form.name.data or "",
            from_month=_month_of(form.from_month.data),
            note=form.note.data or "",
        )
    except ValidationError as error:
        db.session.rollback()
        _show(form, error)
        return render_template("plans/plan_import.html", report=None, **page), 422
    if report.problems:
        db.session.rollback()
        return render_template("plans/plan_import.html", report=report, **page), 422
    if not confirming and form.check_first.data:
        # Checked by storing it in this transaction, then rolled back: the confirm carries the
        # file back and is checked again against the plans as they are then.
        number = report.version.number
        db.session.rollback()
        return render_template(
            "plans/plan_import.html",
            report=report,
            checked_number=number,
            payload=imports.pack(data),
            filename=filename[:200],
            **page,
        )
    db.session.commit()
    flash(
        gettext("%(count)d lines imported as version %(number)d.", count=report.line_count,
                number=report.version.number),
        "success",
    )  # fmt: skip
    return redirect(url_for("plans.year", year=year, version=report.version.number))


def _form_rows() -> list[dict[str, str]]:
    columns = {name: request.form.getlist(name) for name in LINE_FIELDS}
    count = max((len(values) for values in columns.values()), default=0)
    rows = []
    for index in range(min(count, 2000)):
        row = {name: (v[index] if index < len(v) else "") for name, v in columns.items()}
        if any(str(row[name]).strip() for name in TYPED):
            rows.append(row)
    return rows


def _read_rows(rows: list[dict[str, str]]) -> tuple[list[rules.LineInput], dict[int, dict]]:
    lines, errors = [], {}
    for index, row in enumerate(rows):
        try:
            lines.append(validate(LineBody, row).as_input())
        except ValidationError as error:
            errors[index] = {name: gettext(text) for name, text in error.fields.items()}
    return lines, errors


@bp.route("/<int:year>/lines", methods=["GET", "POST"])
@permission_required("plans.manage")
def edit_lines(year: int):
    if not 2000 <= year <= 2100:
        return redirect(url_for("plans.index"))
    plan = services.find_plan(db.session, year)
    form = LinesForm()
    errors: dict[int, dict[str, str]] = {}
    if form.is_submitted():
        rows = _form_rows()
        try:
            if not form.validate():
                raise ValidationError(N_("Some fields are not valid."))
            from_month = _month_of(form.from_month.data) if plan else 1
            if plan and from_month is None:
                raise ValidationError(
                    N_("Some fields are not valid."),
                    fields={"from_month": N_("Give the first month the adjustment changes.")},
                )
            lines, errors = _read_rows(rows)
            if errors:
                raise ValidationError(N_("Some lines are not valid; nothing was saved."))
            road_ids, found = services.resolve_lines(db.session, lines, first_month=from_month)
            if found:
                errors = {i: {p.field: problem_text(p) for p in ps} for i, ps in found.items()}
                raise ValidationError(N_("Some lines are not valid; nothing was saved."))
            if not lines:
                raise ValidationError(N_("Give the plan's lines."))
            if plan is None:
                plan = services.create_plan(
                    db.session, year, form.name.data or "", lines, actor=current_user,
                    road_ids=road_ids,
                )  # fmt: skip
                version = services.newest_version(db.session, plan)
            else:
                version = services.adjust_plan(
                    db.session, plan, from_month, lines, note=form.note.data or "",
                    actor=current_user, road_ids=road_ids,
                )  # fmt: skip
        except ValidationError as error:
            db.session.rollback()
            _show(form, error)
            return _lines_page(year, plan, form, rows, errors), 422
        db.session.commit()
        flash(gettext("Version %(number)d of the plan is saved.", number=version.number), "success")
        return redirect(url_for("plans.year", year=year, version=version.number))
    rows = []
    if plan is not None:
        month = request.args.get("from_month", "")
        today = branch_today()
        first = int(month) if month.isascii() and month.isdigit() and 1 <= int(month) <= 12 else (
            today.month if today.year == year else 1
        )  # fmt: skip
        form.from_month.data = str(first)
        current = services.newest_version(db.session, plan)
        lines = services.version_lines(db.session, current)
        lines = [line for line in lines if line.month >= first]
        roads = services.road_names(db.session, (line.road_id for line in lines))
        rows = [_row_of(line, roads) for line in lines]
    else:
        form.name.data = f"{year}年度养护计划"
    return _lines_page(year, plan, form, rows, errors)


def _row_of(line, roads) -> dict[str, str]:
    road = roads.get(line.road_id)
    computed = rules.budget_source(line.quantity, line.unit_price_yuan, line.budget_yuan)
    return {
        "month": str(line.month),
        "road": "" if road is None else road_label(road) if road.direction != "both" else road.code,
        "work_kind": line.work_kind,
        "unit": line.unit,
        "quantity": f"{line.quantity}",
        "unit_price_yuan": f"{line.unit_price_yuan}",
        "budget_yuan": "" if computed == rules.BudgetSource.computed else f"{line.budget_yuan}",
        "note": line.note,
    }


def _lines_page(year, plan, form, rows, errors):
    rows = rows + [dict.fromkeys(LINE_FIELDS, "") for _ in range(BLANK_ROWS)]
    return render_template(
        "plans/plan_lines.html", year=year, plan=plan, form=form, rows=rows, errors=errors,
        **_helpers(),
    )  # fmt: skip
