"""JSON API: plans (#17) — a year's plan in versions (an adjustment is a new version)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from inspection.api.views import bp
from inspection.errors import N_, ValidationError
from inspection.extensions import db
from inspection.inputs import parse_body, parse_query
from inspection.plans import plan_rules as rules
from inspection.plans import plans as services
from inspection.plans.models import Plan, PlanLine, PlanVersion
from inspection.plans.plan_schemas import AdjustmentBody, PlanBody, PlanQuery
from inspection.web import permission_required


def _money(value) -> str:
    return f"{value:.2f}"


def version_dict(version: PlanVersion, totals: dict[int, tuple[int, Any]]) -> dict[str, Any]:
    count, budget = totals.get(version.id, (0, 0))
    return {
        "number": version.number,
        "kind": version.kind,
        "from_month": version.from_month,
        "note": version.note,
        "created_at": version.created_at.isoformat(),
        "line_count": count,
        "budget_yuan": _money(budget),
    }


def line_dict(line: PlanLine, roads: dict) -> dict[str, Any]:
    road = roads.get(line.road_id)
    return {
        "month": line.month,
        "road": None
        if road is None
        else {"id": road.id, "code": road.code, "direction": road.direction},
        "work_kind": line.work_kind,
        "unit": line.unit,
        "quantity": _money(line.quantity),
        "unit_price_yuan": _money(line.unit_price_yuan),
        "budget_yuan": _money(line.budget_yuan),
        "budget_source": rules.budget_source(line.quantity, line.unit_price_yuan, line.budget_yuan),
        "note": line.note,
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    totals = services.version_totals(db.session, plan)
    return {
        "year": plan.year,
        "name": plan.name,
        "versions": [version_dict(v, totals) for v in plan.versions],
    }


def _road_filter(query: PlanQuery) -> int | bool | None:
    if query.road is None:
        return False
    road, problem = services.Roads.load(db.session).resolve(query.road)
    if problem is not None:
        raise ValidationError(N_("Some fields are not valid."), fields={"road": problem.message})
    return road.id if road is not None else None


def version_body(plan: Plan, version: PlanVersion, query: PlanQuery | None = None) -> dict:
    lines = services.version_lines(
        db.session,
        version,
        month=query.month if query else None,
        road_id=_road_filter(query) if query else False,
        work_kind=query.work_kind if query else None,
    )
    roads = services.road_names(db.session, (line.road_id for line in lines))
    totals = services.version_totals(db.session, plan)
    return {
        **plan_dict(plan),
        "version": version_dict(version, totals),
        "lines": [line_dict(line, roads) for line in lines],
    }


@bp.route("/plans")
@permission_required("plans.read")
def list_plans():
    return jsonify({"plans": [plan_dict(plan) for plan in services.list_plans(db.session)]})


@bp.route("/plans/<int:year>")
@permission_required("plans.read")
def plan(year: int):
    query = parse_query(PlanQuery)
    found = services.get_plan(db.session, year)
    version = services.get_version(db.session, found, query.version)
    return jsonify(version_body(found, version, query))


@bp.route("/plans", methods=["POST"])
@permission_required("plans.manage")
def create_plan():
    data = parse_body(PlanBody)
    lines = [line.as_input() for line in data.lines]
    created = services.create_plan(db.session, data.year, data.name, lines, actor=current_user)
    db.session.commit()
    return jsonify(version_body(created, services.newest_version(db.session, created))), 201


@bp.route("/plans/<int:year>/adjustments", methods=["POST"])
@permission_required("plans.manage")
def adjust_plan(year: int):
    found = services.get_plan(db.session, year)
    data = parse_body(AdjustmentBody)
    lines = [line.as_input() for line in data.lines]
    version = services.adjust_plan(
        db.session, found, data.from_month, lines, note=data.note, actor=current_user
    )
    db.session.commit()
    db.session.refresh(found)
    return jsonify(version_body(found, version)), 201
