"""The report's plan figures (计划完成率, 资金使用率 per kind of work), from plan execution; pure.

:mod:`.plan_queries` reads the year's plan execution (newest plan version, the whole year:
:mod:`inspection.plans.execution`) and keeps, per kind and unit, what the report shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from inspection.plans.execution import Execution


@dataclass(frozen=True, slots=True)
class PlanKindFigures:
    kind: str
    unit: str
    planned: Decimal  # the year's planned quantity
    done: Decimal | None  # None: an own item no confirmed statement measured
    completion: Decimal | None  # 计划完成率, %
    budget: Decimal
    amount: Decimal | None
    fund_use: Decimal | None  # 资金使用率, %
    sources: tuple[str, ...]  # where the amounts came from: statement, plan_price


@dataclass(frozen=True, slots=True)
class PlanFigures:
    year: int
    version: int  # the plan version read (the newest)
    kinds: tuple[PlanKindFigures, ...]

    @property
    def stated(self) -> tuple[PlanKindFigures, ...]:
        """The kinds the paragraph names: planned, and measured."""
        return tuple(k for k in self.kinds if k.planned > 0 and k.completion is not None)


def plan_figures(result: Execution) -> PlanFigures:
    """Return the year's figures per kind and unit (the kinds with a plan first, in kind order)."""
    kinds = tuple(
        PlanKindFigures(
            kind=k.kind,
            unit=k.unit,
            planned=k.planned_year,
            done=k.done_to_date,
            completion=k.completion_year,
            budget=k.budget_year,
            amount=k.amount_to_date,
            fund_use=k.fund_use_year,
            sources=tuple(sorted(k.sources)),
        )
        for k in result.kinds
    )
    return PlanFigures(result.year, result.version, kinds)
