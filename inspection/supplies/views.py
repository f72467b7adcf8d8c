"""Pages of the emergency supplies: the board, the items, a depot's stock, the movements.

Readers see; 机务 staff, safety officers and managers write. A refused form shows its page again
with what was typed and the field messages (422), never a redirect that loses it.
"""

from __future__ import annotations

import uuid
from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from inspection.api.supplies import winter_months
from inspection.errors import DomainError, ValidationError
from inspection.exports import csv_bytes, xlsx_bytes
from inspection.extensions import db
from inspection.inputs import parse_query, validate
from inspection.sites.kinds import SITE_KIND_LABELS
from inspection.supplies import queries, services
from inspection.supplies import stock as levels
from inspection.supplies.blueprint import bp
from inspection.supplies.forms import ItemForm, MinimumForm, MovementForm
from inspection.supplies.kinds import MOVEMENT_KIND_LABELS
from inspection.supplies.schemas import (
    ItemBody,
    MovementBody,
    MovementsQuery,
    StockBody,
    parse_item_changes,
)
from inspection.web import branch_today, permission_required, translate_error


def _words() -> dict:
    return {
        "movement_kinds": {k.value: gettext(v) for k, v in MOVEMENT_KIND_LABELS.items()},
        "site_kinds": {k.value: gettext(v) for k, v in SITE_KIND_LABELS.items()},
    }


def _show_errors(form, error: DomainError) -> None:
    """Put a service's field errors on the form's fields, its message at the top."""
    form.form_errors = [*form.form_errors, translate_error(error)]
    for name, text in error.fields.items():
        field = form.field_for(name)
        if field is not None:
            field.errors = [*field.errors, gettext(text)]
        else:
            form.form_errors.append(gettext(text))


# --------------------------------------------------------------------------- the board


@bp.route("/")
@permission_required("supplies.read")
def board():
    today = branch_today()
    lines = queries.stock_lines(db.session)
    short = [line for line in lines if line.below_minimum]
    return render_template(
        "supplies/board.html",
        today=today,
        winter=levels.in_season(today, winter_months()),
        shortfalls=short,
        depots=queries.by_depot(lines),
        holders=queries.list_holders(db.session),
        **_words(),
    )


# --------------------------------------------------------------------------- items


def _items_page(form: ItemForm, status: int = 200):
    items = queries.list_items(db.session, active=None)
    return render_template("supplies/items.html", items=items, form=form), status


@bp.route("/items")
@permission_required("supplies.read")
def items():
    return _items_page(ItemForm())


@bp.route("/items/new", methods=["POST"])
@permission_required("supplies.manage")
def new_item():
    form = ItemForm()
    if not form.validate_on_submit():
        return _items_page(form, 422)
    try:
        data = validate(ItemBody, form.as_body(editing=False))
        item = services.create_item(db.session, data, actor=current_user)
    except ValidationError as error:
        db.session.rollback()
        _show_errors(form, error)
        return _items_page(form, 422)
    db.session.commit()
    flash(gettext("The item %(name)s is created.", name=item.name), "success")
    return redirect(url_for("supplies.items"), 303)


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@permission_required("supplies.manage")
def edit_item(item_id: int):
    item = services.get_item(db.session, item_id)
    form = ItemForm(obj=item)
    status = 200
    if form.validate_on_submit():
        try:
            data = parse_item_changes(form.as_body(editing=True))
            services.update_item(db.session, item, data, actor=current_user)
        except ValidationError as error:
            db.session.rollback()
            _show_errors(form, error)
            status = 422
        else:
            db.session.commit()
            flash(gettext("The item is saved."), "success")
            return redirect(url_for("supplies.items"), 303)
    elif form.is_submitted():
        status = 422
    return render_template("supplies/item_edit.html", form=form, item=item), status


# --------------------------------------------------------------------------- a depot


def _movement_form(today: date) -> MovementForm:
    form = MovementForm()
    form.set_choices(
        items=queries.list_items(db.session),
        repairs=queries.recent_repairs(db.session),
        gettext=gettext,
    )
    if not form.client_uuid.data:
        form.client_uuid.data = str(uuid.uuid4())
    if request.method == "GET":
        form.on_date.data = today.isoformat()
    return form


def _minimum_form() -> MinimumForm:
    form = MinimumForm()
    form.item_id.choices = [("", "—")] + [
        (str(i.id), f"{i.name}（{i.unit}）") for i in queries.list_items(db.session)
    ]
    return form


def _depot_page(site_id: int, *, movement=None, minimum=None, status: int = 200):
    site = services.get_depot(db.session, site_id)
    today = branch_today()
    history, total = queries.find_movements(
        db.session, queries.MovementFilters(site_id=site.id), per_page=20
    )
    return render_template(
        "supplies/depot.html",
        site=site,
        today=today,
        lines=queries.stock_lines(db.session, site_id=site.id),
        movement_form=movement or _movement_form(today),
        minimum_form=minimum or _minimum_form(),
        history=history,
        total=total,
        **_words(),
    ), status


@bp.route("/depots/<int:site_id>")
@permission_required("supplies.read")
def depot(site_id: int):
    return _depot_page(site_id)


@bp.route("/depots/<int:site_id>/movements", methods=["POST"])
@permission_required("supplies.manage")
def record_movement(site_id: int):
    site = services.get_depot(db.session, site_id)
    today = branch_today()
    form = _movement_form(today)
    if not form.validate_on_submit():
        return _depot_page(site.id, movement=form, status=422)
    try:
        data = validate(MovementBody, form.as_body(site.id))
        saved = services.record_movement(db.session, data, actor=current_user, today=today)
    except DomainError as error:
        db.session.rollback()
        _show_errors(form, error)
        return _depot_page(site.id, movement=form, status=error.status)
    db.session.commit()
    if saved.created:
        flash(gettext("The movement is recorded."), "success")
    else:
        flash(gettext("This movement was already recorded."), "success")
    return redirect(url_for("supplies.depot", site_id=site.id), 303)


@bp.route("/depots/<int:site_id>/minimum", methods=["POST"])
@permission_required("supplies.manage")
def set_minimum(site_id: int):
    site = services.get_depot(db.session, site_id)
    form = _minimum_form()
    if not form.validate_on_submit():
        return _depot_page(site.id, minimum=form, status=422)
    try:
        data = validate(StockBody, form.as_body(site.id))
        services.set_minimum(db.session, data, actor=current_user)
    except ValidationError as error:
        db.session.rollback()
        _show_errors(form, error)
        return _depot_page(site.id, minimum=form, status=422)
    db.session.commit()
    flash(gettext("The minimum is saved."), "success")
    return redirect(url_for("supplies.depot", site_id=site.id), 303)


# --------------------------------------------------------------------------- movements


def _filters(query: MovementsQuery) -> queries.MovementFilters:
    return queries.MovementFilters(
        site_id=query.site_id,
        item_id=query.item_id,
        kind=query.kind,
        since=query.since,
        until=query.until,
    )


@bp.route("/movements")
@permission_required("supplies.read")
def movements():
    query = parse_query(MovementsQuery)
    rows, total = queries.find_movements(
        db.session, _filters(query), page=query.page, per_page=query.per_page
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v.strip()}
    return render_template(
        "supplies/movements.html",
        movements=rows,
        total=total,
        page=query.page,
        per_page=query.per_page,
        query=query,
        args=args,
        holders=queries.list_holders(db.session),
        items=queries.list_items(db.session, active=None),
        **_words(),
    )


EXPORT_LIMIT = 100_000


@bp.route("/movements.<any(csv, xlsx):fmt>")
@permission_required("supplies.read")
def export(fmt: str):
    query = parse_query(MovementsQuery)
    rows, _ = queries.find_movements(db.session, _filters(query), per_page=EXPORT_LIMIT)
    repairs = queries.repair_uuids(db.session, rows)
    kinds = _words()["movement_kinds"]
    headers = [
        gettext("Date"),
        gettext("Depot"),
        gettext("Supply item"),
        gettext("Unit"),
        gettext("Movement"),
        gettext("Quantity"),
        gettext("Change to stock"),
        gettext("Emergency or work served"),
        gettext("Repair"),
        gettext("Note"),
        gettext("Recorded by"),
    ]
    values = [
        (
            m.on_date,
            m.stock.site.name,
            m.stock.item.name,
            m.stock.item.unit,
            kinds.get(m.kind, m.kind),
            m.quantity,
            levels.signed(m.kind, m.quantity),
            m.purpose,
            repairs.get(m.repair_id, "") if m.repair_id else "",
            m.note,
            m.recorded_by.display_name or m.recorded_by.username,
        )
        for m in rows
    ]
    stamp = branch_today().isoformat()
    if fmt == "csv":
        body, mimetype = csv_bytes(headers, values), "text/csv; charset=utf-8"
    else:
        stock_headers = [
            gettext("Depot"),
            gettext("Supply item"),
            gettext("Unit"),
            gettext("Stock"),
            gettext("Minimum"),
            gettext("Shortfall"),
        ]
        stock_values = [
            (
                line.site.name,
                line.item.name,
                line.item.unit,
                line.quantity,
                line.minimum,
                line.shortfall,
            )
            for line in queries.stock_lines(db.session)
        ]
        body = xlsx_bytes(
            [
                (gettext("Supply movements"), headers, values),
                (gettext("Stock per depot"), stock_headers, stock_values),
            ]
        )
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="supply-movements-{stamp}.{fmt}"'},
    )
