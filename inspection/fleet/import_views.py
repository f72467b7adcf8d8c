"""Import a fleet list (CSV/XLSX) into the vehicle register: check, then confirm (#15).

Routes on the fleet blueprint: /fleet/import (upload → per-line report → confirm) and the
templates /fleet/template.csv and /fleet/template.xlsx.

The check stores nothing; its page carries the checked file (compressed, in a hidden form part)
to the confirm button, so the app servers keep no state between the two requests. The confirm
checks the file again against the register as it is then, and stores all of it or nothing. A
file too large to carry back (more than Flask's MAX_FORM_MEMORY_SIZE once packed) is imported by
uploading it again with "check first" unticked — still all or nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, flash, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, DateField, HiddenField
from wtforms.validators import Optional

from inspection import imports
from inspection.errors import N_, ValidationError
from inspection.exports import csv_bytes, xlsx_bytes
from inspection.extensions import db
from inspection.fleet import importing
from inspection.fleet.blueprint import bp
from inspection.fleet.import_services import import_fleet
from inspection.fleet.kinds import VEHICLE_STATUS_LABELS
from inspection.imports import Problem, pack
from inspection.web import branch_today, permission_required, translate_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FleetImportForm(FlaskForm):
    file = FileField(
        _l("Fleet list (.xlsx or .csv)"),
        validators=[FileAllowed(["xlsx", "csv", "txt"], _l("Choose a .xlsx or .csv file."))],
    )
    as_of = DateField(_l("Status as of (date of the status changes)"), validators=[Optional()])
    check_first = BooleanField(_l("Check first: nothing is saved until you confirm"), default=True)
    # The confirm step: the checked file, packed, and its name.
    payload = HiddenField()
    filename = HiddenField()


def unpack(text: str) -> bytes:
    return imports.unpack(text, importing.MAX_BYTES)


def _show_errors(form: FleetImportForm, error: ValidationError) -> None:
    form.form_errors = [*form.form_errors, translate_error(error)]
    for name, text in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, gettext(text)]


def _word(value: Any) -> Any:
    label = VEHICLE_STATUS_LABELS.get(value) if isinstance(value, str) else None
    return gettext(label) if label else value


def _say(template: str, params: dict[str, Any]) -> str:
    """Translate a report message, its status codes and nested messages too."""
    words = {
        name: gettext(value) if name == "message" else _word(value)
        for name, value in params.items()
    }
    return gettext(template, **words)


def problem_text(problem: Problem) -> str:
    if problem.detail:
        return _say(problem.detail, dict(problem.params))
    return gettext(problem.message)


def _column_words() -> dict[str, str]:
    names = dict(zip(importing.COLUMNS, importing.template_header(), strict=True))
    names["file"] = gettext("File")
    return names


def _page(form: FleetImportForm, *, report=None, payload: str = "", filename: str = "", status=200):
    limit = current_app.config.get("MAX_FORM_MEMORY_SIZE") or 500_000
    return render_template(
        "fleet/import.html",
        form=form,
        report=report,
        payload=payload if len(payload) < limit - 4096 else "",
        too_large_to_carry=bool(payload) and len(payload) >= limit - 4096,
        filename=filename,
        columns=_column_words(),
        problem_text=problem_text,
        say=_say,
    ), status


@bp.route("/import", methods=["GET", "POST"])
@permission_required("fleet.manage")
def import_vehicles():
    today = branch_today()
    form = FleetImportForm()
    if not form.is_submitted():
        form.as_of.data = today
        return _page(form)
    if not form.validate():
        return _page(form, status=422)
    confirming = bool(form.payload.data)
    try:
        if confirming:
            data, filename = unpack(form.payload.data), form.filename.data or ""
        elif form.file.data:
            upload = form.file.data
            data, filename = upload.read(), upload.filename or ""
            upload.close()  # a large upload is a temporary file: let it go now
        else:
            raise ValidationError(
                N_("Choose the fleet list to import."), fields={"file": N_("Choose a file.")}
            )
        parsed = importing.read_upload(data, filename, today=today)
        report = import_fleet(
            db.session,
            parsed,
            user_id=current_user.id,
            as_of=form.as_of.data or today,
            today=today,
            check_only=not confirming and form.check_first.data,
        )
    except ValidationError as error:
        db.session.rollback()
        _show_errors(form, error)
        return _page(form, status=422)
    except IntegrityError:
        db.session.rollback()  # another import or page registered one of the plates meanwhile
        form.form_errors = [
            *form.form_errors,
            gettext("The register changed while the file was imported; import it again."),
        ]
        return _page(form, status=409)
    if not report.saved:
        db.session.rollback()
        if report.problems:
            return _page(form, report=report, status=422)
        return _page(form, report=report, payload=pack(data), filename=filename[:200])
    db.session.commit()
    flash(
        gettext(
            "The fleet list is imported: %(created)d registered, %(updated)d updated.",
            created=report.count("created"),
            updated=report.count("updated"),
        ),
        "success",
    )
    return _page(form, report=report)


@bp.route("/template.<any(csv, xlsx):fmt>")
@permission_required("fleet.manage")
def import_template(fmt: str):
    headers, rows = importing.template_header(), importing.template_rows()
    if fmt == "csv":
        body, mimetype = csv_bytes(headers, rows), "text/csv; charset=utf-8"
    else:
        body, mimetype = xlsx_bytes([(gettext("Fleet list"), headers, rows)]), XLSX
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="fleet-list.{fmt}"'},
    )
