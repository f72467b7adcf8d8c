"""Survey pages: campaigns, the campaign's results, walking a unit on the phone, sheet imports."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from inspection.errors import N_, ValidationError
from inspection.exports import csv_bytes, xlsx_bytes
from inspection.extensions import db
from inspection.network import queries as network_queries
from inspection.network.models import DIRECTION_LABELS
from inspection.surveys import importing, queries, schemas, services
from inspection.surveys import pavement_index as pi
from inspection.surveys.forms import (
    CampaignForm,
    ImportForm,
    RecordForm,
    UnitForm,
    pavement_choices,
)
from inspection.web import permission_required, translate_error

bp = Blueprint("surveys", __name__, url_prefix="/surveys")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEVERITY_WORDS = {"light": N_("Light"), "medium": N_("Medium"), "heavy": N_("Heavy")}


def _locale() -> str:
    from inspection import select_locale

    return select_locale()


def _english() -> bool:
    return not _locale().startswith("zh")


def word(label) -> str:
    """Return a pavement_index label (Label, Grade, Pavement, Unit) in the page's language."""
    return label.en if _english() else label.zh


def item_name(family: str, code: str) -> str:
    """Return a distress or subgrade item's name in the page's language."""
    if family == "subgrade" and code in pi.SUBGRADE_TABLE:
        return word(pi.SUBGRADE_TABLE[code])
    for table in pi.DISTRESS_TABLE.values():
        if code in table:
            return word(table[code])
    return code


def _words() -> dict:
    """Return what the survey templates use to name codes."""
    return {
        "word": word,
        "item_name": item_name,
        "methods": services.METHODS,
        "severity_words": SEVERITY_WORDS,
        "grades": {g.value: g for g in pi.Grade},
        "index_names": pi.INDEX_NAMES,
        "record_unit": lambda record: word(pi.Unit(_unit_of(record))),
    }


def _show_errors(form, error: ValidationError) -> None:
    """Put a service's field errors on the form's fields, its message at the top."""
    form.form_errors = [*form.form_errors, translate_error(error)]
    for name, text in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, gettext(text)]


# --------------------------------------------------------------------------- campaigns


@bp.route("/")
@permission_required("records.read")
def index():
    return render_template(
        "surveys/index.html", campaigns=queries.list_campaigns(db.session), **_words()
    )


@bp.route("/new", methods=["GET", "POST"])
@permission_required("surveys.manage")
def new():
    form = CampaignForm()
    form.set_choices(
        roads=network_queries.list_roads(db.session), locale=_locale(), gettext=gettext
    )
    status = 200
    if form.validate_on_submit():
        try:
            data = schemas.parse_campaign(form.as_body())
            campaign = services.create_campaign(db.session, data, actor=current_user)
        except ValidationError as error:
            db.session.rollback()
            _show_errors(form, error)
            status = 422
        else:
            db.session.commit()
            flash(
                gettext("The campaign is created with %(n)d units.", n=len(campaign.units)),
                "success",
            )
            return redirect(url_for("surveys.detail", campaign_id=campaign.id))
    elif form.is_submitted():
        status = 422
    return render_template("surveys/new.html", form=form), status


@bp.route("/<int:campaign_id>")
@permission_required("records.read")
def detail(campaign_id: int):
    campaign = services.get_campaign(db.session, campaign_id)
    figures = queries.unit_figures(db.session, queries.campaign_units(db.session, campaign))
    results = queries.road_results(figures)
    return render_template(
        "surveys/detail.html",
        campaign=campaign,
        results=results,
        comparisons=queries.compare_with_previous(db.session, campaign, results),
        not_measured=queries.not_measured(results),
        **_words(),
    )


def _unit_table(campaign) -> tuple[list[str], list[list]]:
    figures = queries.unit_figures(db.session, queries.campaign_units(db.session, campaign))
    headers = [
        gettext("Road"),
        gettext("Direction"),
        gettext("Unit no."),
        gettext("Start stake"),
        gettext("End stake"),
        gettext("Length (m)"),
        gettext("Width (m)"),
        gettext("Pavement"),
        "DR (%)",
        "PCI",
        gettext("PCI grade"),
        "SCI",
        gettext("SCI grade"),
    ]
    rows = []
    for item in figures:
        unit = item.unit
        rows.append(
            [
                unit.road.code,
                gettext(DIRECTION_LABELS.get(unit.direction, unit.direction)),
                unit.seq,
                queries.stake_text(unit.start_chainage),
                queries.stake_text(unit.end_chainage),
                round(unit.length_m, 1),
                unit.width_m,
                word(pi.Pavement(unit.pavement)),
                round(item.dr, 4) if item.dr is not None else gettext("not measured"),
                item.pci if item.pci is not None else gettext("not measured"),
                word(item.grade) if item.grade else "",
                item.sci if item.sci is not None else gettext("not measured"),
                word(item.sci_grade) if item.sci_grade else "",
            ]
        )
    return headers, rows


@bp.route("/<int:campaign_id>/units.<any(csv, xlsx):fmt>")
@permission_required("records.read")
def export_units(campaign_id: int, fmt: str):
    campaign = services.get_campaign(db.session, campaign_id)
    headers, rows = _unit_table(campaign)
    filename = f"survey-{campaign.id}-units.{fmt}"
    if fmt == "csv":
        body, mimetype = csv_bytes(headers, rows), "text/csv; charset=utf-8"
    else:
        body, mimetype = xlsx_bytes([(gettext("Evaluation units"), headers, rows)]), XLSX
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --------------------------------------------------------------------------- importing


@bp.route("/template.<any(csv, xlsx):fmt>")
@permission_required("surveys.manage")
def template(fmt: str):
    chinese = not _english()
    headers = importing.template_header(chinese)
    rows = importing.template_rows(chinese)
    if fmt == "csv":
        body, mimetype = csv_bytes(headers, rows), "text/csv; charset=utf-8"
    else:
        body, mimetype = xlsx_bytes([(gettext("Survey sheet"), headers, rows)]), XLSX
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="survey-sheet.{fmt}"'},
    )


@bp.route("/<int:campaign_id>/import", methods=["GET", "POST"])
@permission_required("surveys.manage")
def import_sheet(campaign_id: int):
    campaign = services.get_campaign(db.session, campaign_id)
    form = ImportForm()
    form.set_choices(gettext)
    report = None
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            sheet = importing.read_sheet(upload.read(), upload.filename or "")
            report = services.import_sheet(
                db.session, campaign, sheet, mode=form.mode.data, actor=current_user
            )
        except ValidationError as error:
            db.session.rollback()
            _show_errors(form, error)
            status = 422
        else:
            db.session.commit()
            if report.problems:
                status = 422
    elif form.is_submitted():
        status = 422
    return render_template(
        "surveys/import.html",
        campaign=campaign,
        form=form,
        report=report,
        translate_error=translate_error,
        field_words=_field_words(),
    ), status


def _field_words() -> dict[str, str]:
    """Return the sheet's column names, as the template writes them, by field name."""
    names = dict(zip(importing.COLUMNS, importing.template_header(not _english()), strict=True))
    names["item_code"] = names["type"]
    return names


# --------------------------------------------------------------------------- walking a unit


def _vocabulary(pavement: str) -> dict:
    """Return the items a unit may hold, with their units and severities, for the phone form."""

    def severities(keys) -> list[str | None]:
        return [s.value if s is not None else None for s in keys]

    items = [
        {
            "family": "pavement",
            "code": code,
            "name": word(row),
            "severities": severities(row.severities),
            "units": {(s.value if s else ""): row.unit.value for s in row.severities},
            "guide": word(row.guide) if row.guide else "",
        }
        for code, row in pi.DISTRESS_TABLE[pi.Pavement(pavement)].items()
    ]
    items += [
        {
            "family": "subgrade",
            "code": code,
            "name": word(row),
            "severities": severities(row.severities),
            "units": {(s.value if s else ""): d.per.value for s, d in row.deductions.items()},
            "guide": "",
        }
        for code, row in pi.SUBGRADE_TABLE.items()
    ]
    return {"items": items, "units": {u.value: word(u) for u in pi.Unit}}


def _render_unit(campaign, unit, *, record_form=None, unit_form=None, status=200):
    (current,) = queries.unit_figures(db.session, [unit])
    before, after = queries.neighbours(db.session, unit)
    record_form = record_form or RecordForm(formdata=None)
    vocabulary = _vocabulary(unit.pavement)
    record_form.item_code.choices = [(i["code"], i["name"]) for i in vocabulary["items"]]
    record_form.severity.choices = [("", "—")] + [
        (code, gettext(label)) for code, label in SEVERITY_WORDS.items()
    ]
    if unit_form is None:
        unit_form = UnitForm(formdata=None, width_m=unit.width_m, pavement=unit.pavement)
    unit_form.pavement.choices = pavement_choices(_locale())
    return render_template(
        "surveys/unit.html",
        campaign=campaign,
        unit=unit,
        figures=current,
        records=queries.records_of_unit(db.session, unit),
        before=before,
        after=after,
        record_form=record_form,
        unit_form=unit_form,
        vocabulary=vocabulary,
        **_words(),
    ), status


@bp.route("/<int:campaign_id>/units/<int:unit_id>")
@permission_required("records.read")
def unit(campaign_id: int, unit_id: int):
    campaign = services.get_campaign(db.session, campaign_id)
    return _render_unit(campaign, services.get_unit(db.session, campaign, unit_id))


@bp.route("/<int:campaign_id>/units/<int:unit_id>/records", methods=["POST"])
@permission_required("patrols.work")
def add_record(campaign_id: int, unit_id: int):
    campaign = services.get_campaign(db.session, campaign_id)
    found = services.get_unit(db.session, campaign, unit_id)
    form = RecordForm()
    if form.validate_on_submit():
        try:
            data = importing.parse_record(form.as_body(found.id))
            record, _ = services.add_record(db.session, campaign, data, actor=current_user)
        except ValidationError as error:
            db.session.rollback()
            _show_errors(form, error)
        else:
            db.session.commit()
            flash(
                gettext(
                    "Saved: %(item)s, %(quantity)s %(unit)s.",
                    item=item_name(record.family, record.item_code),
                    quantity=f"{record.quantity:g}",
                    unit=word(pi.Unit(_unit_of(record))),
                ),
                "success",
            )
            return redirect(url_for("surveys.unit", campaign_id=campaign.id, unit_id=found.id))
    return _render_unit(campaign, found, record_form=form, status=422)


def _unit_of(record) -> str:
    """Return the unit a record's quantity is in (a voided record may not fit its unit now)."""
    if record.family == "subgrade":
        return pi.SUBGRADE_TABLE[record.item_code].deductions[record.severity].per.value
    tables = [pi.DISTRESS_TABLE[pi.Pavement(record.unit.pavement)], *pi.DISTRESS_TABLE.values()]
    return next(t[record.item_code].unit.value for t in tables if record.item_code in t)


@bp.route("/<int:campaign_id>/units/<int:unit_id>/edit", methods=["POST"])
@permission_required("surveys.manage")
def edit_unit(campaign_id: int, unit_id: int):
    campaign = services.get_campaign(db.session, campaign_id)
    found = services.get_unit(db.session, campaign, unit_id)
    form = UnitForm()
    form.pavement.choices = pavement_choices(_locale())
    if form.validate_on_submit():
        try:
            services.update_unit(
                db.session,
                found,
                width_m=form.width_m.data,
                pavement=form.pavement.data,
                actor=current_user,
            )
        except ValidationError as error:
            db.session.rollback()
            _show_errors(form, error)
        else:
            db.session.commit()
            flash(gettext("The unit is changed."), "success")
            return redirect(url_for("surveys.unit", campaign_id=campaign.id, unit_id=found.id))
    return _render_unit(campaign, found, unit_form=form, status=422)


@bp.route("/records/<int:record_id>/void", methods=["POST"])
@permission_required("records.read")  # the service lets the author or a survey manager void
def void_record(record_id: int):
    record = services.get_record(db.session, record_id)
    target = url_for("surveys.unit", campaign_id=record.unit.campaign_id, unit_id=record.unit_id)
    try:
        services.void_record(db.session, record, request.form.get("reason", ""), actor=current_user)
    except ValidationError as error:
        db.session.rollback()
        flash(translate_error(error), "error")
        return redirect(target)
    db.session.commit()
    flash(gettext("The record is voided."), "success")
    return redirect(target)
