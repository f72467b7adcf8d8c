"""OpenAPI descriptions of the annual report's route (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api import params as query_models
from inspection.api.openapi_parts import Operation, array, integer, number, obj, ref, string
from inspection.errors import N_

ANY_OBJECT = {"type": "object"}

SCHEMAS: dict[str, dict[str, Any]] = {
    "AnnualReport": obj(
        ("period", "figures"),
        period=ANY_OBJECT,
        road=string(nullable=True),
        figures=array(ANY_OBJECT),
        # 机务与应急 (#15): null when the registers are empty or the report is of one road.
        fleet={"allOf": [ref("AnnualReportFleet")], "nullable": True},
        # Crew safety (#16): null when the period holds no crew record or for one road.
        crew={"allOf": [ref("AnnualReportCrew")], "nullable": True},
        # The year's plan (#17): null when the year has no plan or the report is not of a
        # whole year of the branch.
        plan={"allOf": [ref("AnnualReportPlan")], "nullable": True},
    ),
    "AnnualReportPlan": obj(
        ("year", "version", "kinds"),
        year=integer(),
        version=integer(),
        kinds=array(
            obj(
                ("kind", "unit", "planned", "budget"),
                kind=string(),
                unit=string(),
                planned=number(),
                done={"type": "number", "nullable": True},
                completion={"type": "number", "nullable": True},
                budget=number(),
                amount={"type": "number", "nullable": True},
                fund_use={"type": "number", "nullable": True},
                amount_sources=array(string()),
            )
        ),
        definitions=array(string()),
    ),
    "AnnualReportCrew": obj(
        ("figures", "by_month", "repairs_without_zone"),
        figures=array(ANY_OBJECT),
        by_month=array(ANY_OBJECT),
        repairs_without_zone=array(
            obj(
                ("id", "road", "direction", "stakes", "kind", "completed_on"),
                id=integer(),
                road=string(),
                direction=string(),
                stakes=string(),
                kind=string(),
                completed_on=string(fmt="date"),
                crew=string(),
            )
        ),
    ),
    "AnnualReportFleet": obj(
        ("as_of", "figures", "by_kind", "by_department", "by_month", "inspections_due"),
        as_of=string(fmt="date"),
        figures=array(ANY_OBJECT),
        by_kind=array(ANY_OBJECT),
        by_department=array(ANY_OBJECT),
        by_month=array(ANY_OBJECT),
        inspections_due=array(ANY_OBJECT),
        reviews_due=array(ANY_OBJECT),
        stock=array(ANY_OBJECT),
    ),
}

OPERATIONS: dict[str, Operation] = {
    "api.annual_report": Operation(
        N_("The annual maintenance report with every figure's unit and definition"),
        "AnnualReport",
        params=query_models.AnnualReportQuery,
    ),
}
