"""JSON API: emergency supplies (#15) — stock per depot, items, minimums, movements."""

from __future__ import annotations

from flask import current_app, jsonify
from flask_login import current_user

from inspection.api.params import paged
from inspection.api.views import bp
from inspection.extensions import db
from inspection.inputs import json_object, parse_body, parse_query
from inspection.supplies import queries, services
from inspection.supplies import stock as levels
from inspection.supplies.schemas import (
    ItemBody,
    ItemsQuery,
    MovementBody,
    MovementsQuery,
    StockBody,
    SuppliesQuery,
    parse_item_changes,
)
from inspection.web import branch_today, permission_required


def winter_months() -> tuple[int, ...]:
    """The months the board warns of shortfalls in (setting SUPPLIES_WINTER_MONTHS)."""
    return levels.parse_months(current_app.config.get("SUPPLIES_WINTER_MONTHS"))


@bp.route("/supplies")
@permission_required("supplies.read")
def supplies():
    query = parse_query(SuppliesQuery)
    lines = queries.stock_lines(
        db.session,
        site_id=query.site_id,
        item_id=query.item_id,
        on=query.on,
        below_only=query.below_minimum == "1",
    )
    today = branch_today()
    return jsonify(
        {
            "on": (query.on or today).isoformat(),
            "winter_season": levels.in_season(today, winter_months()),
            "stocks": [queries.stock_dict(line) for line in lines],
        }
    )


@bp.route("/supplies/items")
@permission_required("supplies.read")
def list_supply_items():
    active = parse_query(ItemsQuery).active_filter()
    items = queries.list_items(db.session, active=active)
    return jsonify({"items": [queries.item_dict(item) for item in items]})


@bp.route("/supplies/items", methods=["POST"])
@permission_required("supplies.manage")
def create_supply_item():
    item = services.create_item(db.session, parse_body(ItemBody), actor=current_user)
    db.session.commit()
    return jsonify(queries.item_dict(item)), 201


@bp.route("/supplies/items/<int:item_id>", methods=["PATCH"])
@permission_required("supplies.manage")
def update_supply_item(item_id: int):
    item = services.get_item(db.session, item_id)
    data = parse_item_changes(json_object())
    services.update_item(db.session, item, data, actor=current_user)
    db.session.commit()
    return jsonify(queries.item_dict(item))


@bp.route("/supplies/stocks", methods=["PUT"])
@permission_required("supplies.manage")
def set_supply_minimum():
    line = services.set_minimum(db.session, parse_body(StockBody), actor=current_user)
    db.session.commit()
    return jsonify(queries.stock_dict(queries.line_of(line)))


@bp.route("/supplies/movements")
@permission_required("supplies.read")
def list_supply_movements():
    query = parse_query(MovementsQuery)
    filters = queries.MovementFilters(
        site_id=query.site_id,
        item_id=query.item_id,
        kind=query.kind,
        since=query.since,
        until=query.until,
    )
    rows, total = queries.find_movements(
        db.session, filters, page=query.page, per_page=query.per_page
    )
    repairs = queries.repair_uuids(db.session, rows)
    items = [queries.movement_dict(m, repairs) for m in rows]
    return paged("movements", items, page=query.page, per_page=query.per_page, total=total)


@bp.route("/supplies/movements", methods=["POST"])
@permission_required("supplies.manage")
def record_supply_movement():
    data = parse_body(MovementBody)
    saved = services.record_movement(db.session, data, actor=current_user, today=branch_today())
    db.session.commit()
    body = queries.movement_dict(saved.record, queries.repair_uuids(db.session, [saved.record]))
    # 201 for a new movement; 200 with the stored one when the UUID came again (a retry).
    return jsonify(body), 201 if saved.created else 200
