"""The declared inputs of plans (#17), as the JSON API and the pages send them.

Types and limits are checked here; a unit that fits its kind, the months an adjustment may
change, duplicates and the road are the rules' and the service's (one place for every input).
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from inspection.errors import N_
from inspection.inputs import Code, Input, Int, Note, Number, Text
from inspection.plans import plan_rules as rules
from inspection.plans.kinds import WORK_KIND_CODES, Unit

MAX_LINES = 5000  # 12 months × kinds × roads of one branch is a few hundred

Quantity = Number(0, float(rules.QUANTITY_MAX))
Price = Number(0, float(rules.PRICE_MAX))
Budget = Number(0, float(rules.BUDGET_MAX))
Month = Int(1, 12)

LINE_MESSAGES = {
    "month": N_("Give the month (1 to 12)."),
    "work_kind": N_("Choose the kind of work."),
    "unit": N_("Choose the unit."),
    "quantity": N_("Give the planned quantity."),
    "unit_price_yuan": N_("Give the unit price."),
}
NEGATIVE = N_("Must not be negative.")


def _line_messages(prefix: str) -> dict[str, str]:
    messages = {f"{prefix}{name}": text for name, text in LINE_MESSAGES.items()}
    for name in ("quantity", "unit_price_yuan", "budget_yuan"):
        messages[f"{prefix}{name}:too_small"] = NEGATIVE
    messages[f"{prefix}month:too_small"] = N_("The month must be 1 to 12.")
    messages[f"{prefix}month:too_large"] = N_("The month must be 1 to 12.")
    return messages


class LineBody(Input):
    """One month's planned quantity of a kind on a road (no road: the whole branch)."""

    messages: ClassVar = _line_messages("")

    month: Annotated[Month, Field(examples=[7])]
    road: Annotated[
        Text(rules.ROAD_LENGTH) | None,
        Field(description=N_("The road's code, e.g. G30 (or “G30 up”); none: the whole branch.")),
    ] = None
    work_kind: Code(WORK_KIND_CODES)
    unit: Code(Unit)
    quantity: Quantity
    unit_price_yuan: Annotated[Price, Field(description=N_("Yuan per unit."))]
    budget_yuan: Annotated[
        Budget | None,
        Field(description=N_("Yuan; left out: quantity × unit price, rounded to fen.")),
    ] = None
    note: Note = ""

    def as_input(self) -> rules.LineInput:
        return rules.LineInput(
            month=self.month,
            road=self.road or None,
            work_kind=self.work_kind,
            unit=self.unit,
            quantity=rules.to_money(self.quantity),
            unit_price_yuan=rules.to_money(self.unit_price_yuan),
            budget_yuan=None if self.budget_yuan is None else rules.to_money(self.budget_yuan),
            note=self.note,
        )


class PlanBody(Input):
    """Create a year's plan: its name and the original version's lines."""

    messages: ClassVar = {
        "year": N_("Give the year."),
        "name": N_("Give the plan's name."),
        "lines": N_("Give the plan's lines."),
        **_line_messages("lines.*."),
    }

    year: Annotated[Int(2000, 2100), Field(examples=[2026])]
    name: Annotated[Text(rules.NAME_LENGTH, 1), Field(examples=["2026年度日常养护计划"])]
    lines: Annotated[list[LineBody], Field(min_length=1, max_length=MAX_LINES)]


class AdjustmentBody(Input):
    """Adjust a plan (计划调整): the lines of `from_month` on replace the current version's."""

    messages: ClassVar = {
        "from_month": N_("Give the first month the adjustment changes."),
        "lines": N_("Give the adjusted lines."),
        **_line_messages("lines.*."),
        "from_month:too_small": N_("The month must be 1 to 12."),
        "from_month:too_large": N_("The month must be 1 to 12."),
    }

    from_month: Annotated[Month, Field(examples=[7])]
    note: Note = ""
    lines: Annotated[list[LineBody], Field(min_length=1, max_length=MAX_LINES)]


class PlanQuery(Input):
    """Which version to read (default the newest) and which lines."""

    version: Annotated[Int(1, 1000) | None, Field(description=N_("Default: the newest."))] = None
    month: Month | None = None
    road: Annotated[
        Text(rules.ROAD_LENGTH) | None, Field(description=N_("A road's code; “-”: whole branch."))
    ] = None
    work_kind: Code(WORK_KIND_CODES) | None = None
