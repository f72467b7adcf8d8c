"""OpenAPI description of the plan execution route (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi_parts import (
    Operation,
    array,
    boolean,
    integer,
    number,
    obj,
    ref,
    string,
)
from inspection.errors import N_
from inspection.plans.execution_views import ExecutionQuery
from inspection.plans.kinds import WORK_KIND_CODES, Unit

_KIND = string(enum=list(WORK_KIND_CODES))
_UNIT = string(enum=[u.value for u in Unit])
_SOURCES = array(string(enum=["statement", "plan_price"]))
_TEXTS = obj(("zh", "en"), zh=string(), en=string())

SCHEMAS: dict[str, dict[str, Any]] = {
    "PlanExecutionKind": obj(
        ("kind", "unit", "measured", "planned_year", "budget_year"),
        kind=_KIND,
        unit=_UNIT,
        measured=boolean(),
        planned_year=number(),
        budget_year=number(),
        done_to_date=number(nullable=True),
        amount_to_date=number(nullable=True),
        completion_year=number(nullable=True),
        fund_use_year=number(nullable=True),
        amount_sources=_SOURCES,
    ),
    "PlanExecutionRow": obj(
        ("road", "kind", "unit", "measured", "months"),
        road=string(nullable=True),
        kind=_KIND,
        unit=_UNIT,
        measured=boolean(),
        planned_year=number(),
        budget_year=number(),
        planned_to_date=number(),
        budget_to_date=number(),
        done_to_date=number(nullable=True),
        amount_to_date=number(nullable=True),
        completion=number(nullable=True),
        fund_use=number(nullable=True),
        behind=boolean(),
        amount_sources=_SOURCES,
        months=array(
            obj(
                ("month", "planned", "budget"),
                month=integer(minimum=1, maximum=12),
                planned=number(),
                budget=number(),
                done=number(nullable=True),
                amount=number(nullable=True),
                amount_source=string(nullable=True),
            )
        ),
    ),
    "PlanExecution": obj(
        ("year", "version", "versions", "through_month", "kinds", "rows", "behind"),
        year=integer(),
        version=integer(),
        versions=array(integer()),
        through_month=integer(minimum=0, maximum=12),
        road=string(nullable=True),
        behind_points=number(),
        confirmed_months=array(integer()),
        kinds=array(ref("PlanExecutionKind")),
        rows=array(ref("PlanExecutionRow")),
        behind=array(obj(("kind", "unit"), road=string(nullable=True), kind=_KIND, unit=_UNIT)),
        definitions=obj(
            (),
            completion=_TEXTS,
            fund_use=_TEXTS,
            done=_TEXTS,
            behind=_TEXTS,
        ),
    ),
}

OPERATIONS: dict[str, Operation] = {
    "api.plan_execution": Operation(
        N_(
            "A year's plan execution against a plan version: plan vs done per month, kind and"
            " road, plan completion and fund use with their definitions, lines behind plan"
        ),
        "PlanExecution",
        params=ExecutionQuery,
    ),
}
