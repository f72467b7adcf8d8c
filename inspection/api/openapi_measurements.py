"""OpenAPI descriptions of the measurements routes (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi_parts import Operation, array, integer, number, obj, ref, string
from inspection.errors import N_
from inspection.plans.kinds import WORK_KIND_CODES, AmountSource, StatementState, Unit
from inspection.plans.statement_schemas import ManualLineBody, ManualLineChange, MeasurementsQuery

SCHEMAS: dict[str, dict[str, Any]] = {
    "MeasurementLine": obj(
        (
            "id",
            "road",
            "road_id",
            "work_kind",
            "unit",
            "quantity",
            "unit_price_yuan",
            "amount_yuan",
            "amount_source",
            "corrects",
            "note",
        ),
        id=integer(description=N_("The line (a manual line is changed or removed by it).")),
        road=string(nullable=True, description=N_("The road (null: the whole branch).")),
        road_id=integer(nullable=True),
        work_kind=string(enum=WORK_KIND_CODES),
        unit=string(enum=tuple(u.value for u in Unit)),
        quantity=number(description=N_("Signed on a difference line.")),
        unit_price_yuan=number(nullable=True),
        amount_yuan=number(description=N_("Signed on a difference line.")),
        amount_source=string(
            enum=tuple(s.value for s in AmountSource),
            description=N_(
                "plan_price: quantity × the plan's unit price of the month (the road's line, "
                "else the whole branch's; none: amount 0 and the note 'no price'); "
                "repair_cost: the repairs' own recorded costs (when there is no plan price and "
                "every repair has one); manual: typed on a draft statement (the branch's own "
                "items, quantity × unit price); difference: a change of repairs a frozen "
                "statement counted."
            ),
        ),
        corrects=obj(
            ("year", "month"),
            nullable=True,
            year=integer(),
            month=integer(),
        ),
        note=string(),
    ),
    "Measurement": obj(
        (
            "year",
            "month",
            "state",
            "plan_version",
            "built_at",
            "confirmed_at",
            "confirmed_by",
            "repairs_counted",
            "lines",
            "differences",
            "total_yuan",
        ),
        year=integer(),
        month=integer(),
        state=string(enum=tuple(s.value for s in StatementState)),
        plan_version=integer(
            nullable=True, description=N_("The plan version whose prices priced it.")
        ),
        built_at=string(fmt="date-time"),
        confirmed_at=string(fmt="date-time", nullable=True),
        confirmed_by=string(nullable=True),
        repairs_counted=integer(),
        lines=array(ref("MeasurementLine")),
        differences=array(ref("MeasurementLine")),
        total_yuan=number(),
    ),
    "MeasurementMonths": obj(
        ("year", "months"),
        year=integer(),
        months=array(
            obj(
                ("month", "state", "built_at", "confirmed_at", "total_yuan"),
                month=integer(),
                state=string(
                    enum=tuple(s.value for s in StatementState),
                    nullable=True,
                    description=N_("Null: not built."),
                ),
                built_at=string(fmt="date-time", nullable=True),
                confirmed_at=string(fmt="date-time", nullable=True),
                total_yuan=number(nullable=True),
            )
        ),
    ),
}
SCHEMAS["MeasurementWithLine"] = {
    **SCHEMAS["Measurement"],
    "required": [*SCHEMAS["Measurement"]["required"], "line"],
    "properties": {**SCHEMAS["Measurement"]["properties"], "line": ref("MeasurementLine")},
}
INPUT_MODELS: dict[str, Any] = {
    "ManualMeasurementLineInput": ManualLineBody,
    "ManualMeasurementLineChange": ManualLineChange,
}
EXAMPLES: dict[str, Any] = {
    "ManualMeasurementLineInput": {
        "road": "S21",
        "work_kind": "marking",
        "unit": "m2",
        "quantity": 540,
        "note": "热熔标线",
    },
    "ManualMeasurementLineChange": {"quantity": 560, "note": "复测"},
}

OPERATIONS: dict[str, Operation] = {
    "api.measurements": Operation(
        N_("The year's monthly measurement statements and their states"),
        "MeasurementMonths",
        params=MeasurementsQuery,
    ),
    "api.measurement": Operation(
        N_("A month's measurement statement: its lines and difference lines"), "Measurement"
    ),
    "api.build_measurement": Operation(
        N_(
            "Build or rebuild a month's draft statement from the repairs completed in it, with "
            "the differences of repairs that frozen statements counted (409 statement_frozen "
            "when confirmed; 422 for a month not begun)"
        ),
        "Measurement",
    ),
    "api.confirm_measurement": Operation(
        N_(
            "Confirm (freeze) a month's statement (managers). A second confirmation answers 409 "
            "statement_frozen and changes nothing; 409 statement_outdated when its repairs "
            "changed since it was built (rebuild first)"
        ),
        "Measurement",
    ),
    "api.add_manual_measurement_line": Operation(
        N_(
            "Add a manual line (手工计量) to a draft statement: a kind without repairs "
            "(路域环境整治, 标线, 护栏, 其他) on a road or the whole branch; unit price default "
            "the plan's of the month, road and kind; amount = quantity × unit price (422 for "
            "a repair kind, a unit not of the kind, a negative quantity; 409 statement_frozen "
            "when confirmed)"
        ),
        "MeasurementWithLine",
        status=201,
        body="ManualMeasurementLineInput",
    ),
    "api.change_manual_measurement_line": Operation(
        N_(
            "Change a draft statement's manual line (only the fields given; the amount follows; "
            "409 statement_frozen when confirmed)"
        ),
        "MeasurementWithLine",
        body="ManualMeasurementLineChange",
    ),
    "api.remove_manual_measurement_line": Operation(
        N_("Remove a draft statement's manual line (409 statement_frozen when confirmed)"),
        "Measurement",
    ),
}
