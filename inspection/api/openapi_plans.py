"""OpenAPI descriptions of the plans routes (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi_parts import Operation, array, integer, obj, ref, string
from inspection.errors import N_
from inspection.plans import plan_schemas as schemas
from inspection.plans.kinds import WORK_KIND_CODES, Unit, VersionKind

MONEY = N_("Two decimals, as text.")

SCHEMAS: dict[str, dict[str, Any]] = {
    "PlanVersion": obj(
        ("number", "kind", "from_month", "note", "created_at", "line_count", "budget_yuan"),
        number=integer(description=N_("1 = the original plan; later ones are adjustments.")),
        kind=string(enum=tuple(k.value for k in VersionKind)),
        from_month=integer(description=N_("The first month the adjustment changes.")),
        note=string(),
        created_at=string(fmt="date-time"),
        line_count=integer(),
        budget_yuan=string(description=N_("The version's total budget, yuan; two decimals.")),
    ),
    "Plan": obj(
        ("year", "name", "versions"),
        year=integer(),
        name=string(),
        versions=array(ref("PlanVersion")),
    ),
    "PlanList": obj(("plans",), plans=array(ref("Plan"))),
    "PlanLine": obj(
        (
            "month",
            "road",
            "work_kind",
            "unit",
            "quantity",
            "unit_price_yuan",
            "budget_yuan",
            "budget_source",
            "note",
        ),
        month=integer(),
        road=obj(
            ("id", "code", "direction"),
            nullable=True,
            id=integer(),
            code=string(),
            direction=string(),
        ),
        work_kind=string(enum=WORK_KIND_CODES),
        unit=string(enum=tuple(u.value for u in Unit)),
        quantity=string(description=MONEY),
        unit_price_yuan=string(description=MONEY),
        budget_yuan=string(description=MONEY),
        budget_source=string(
            enum=("given", "computed"),
            description=N_("computed: quantity × unit price rounded to fen; given: as typed."),
        ),
        note=string(),
    ),
    "PlanVersionLines": obj(
        ("year", "name", "versions", "version", "lines"),
        year=integer(),
        name=string(),
        versions=array(ref("PlanVersion")),
        version=ref("PlanVersion"),
        lines=array(ref("PlanLine")),
    ),
}

_LINE = {
    "month": 7,
    "road": "G30",
    "work_kind": "shoulder",
    "unit": "m2",
    "quantity": 1200,
    "unit_price_yuan": 35.5,
}
INPUT_MODELS = {"PlanInput": schemas.PlanBody, "PlanAdjustmentInput": schemas.AdjustmentBody}
EXAMPLES = {
    "PlanInput": {
        "year": 2026,
        "name": "2026年度日常养护计划",
        "lines": [_LINE, {**_LINE, "road": None, "work_kind": "guardrail", "unit": "m"}],
    },
    "PlanAdjustmentInput": {
        "from_month": 7,
        "note": "汛期边坡整修增加",
        "lines": [{**_LINE, "quantity": 1500, "budget_yuan": 54000}],
    },
}

OPERATIONS: dict[str, Operation] = {
    "api.list_plans": Operation(N_("List the yearly plans with their versions"), "PlanList"),
    "api.plan": Operation(
        N_("A plan version's lines (default the newest), by month, road and kind"),
        "PlanVersionLines",
        params=schemas.PlanQuery,
    ),
    "api.create_plan": Operation(
        N_("Create a year's plan: its original version with its lines (all or nothing)"),
        "PlanVersionLines",
        status=201,
        body="PlanInput",
    ),
    "api.adjust_plan": Operation(
        N_(
            "Adjust a plan (计划调整): a new version keeping the months before from_month "
            "and taking the given lines from it on"
        ),
        "PlanVersionLines",
        status=201,
        body="PlanAdjustmentInput",
    ),
}
