"""Lay the report's plan figures out: a table (screen, CSV, XLSX) and JSON."""

from __future__ import annotations

from typing import Any

from inspection.plans.kinds import UNIT_LABELS, WORK_KINDS, Unit
from inspection.reports.annual.layout import Column, Table
from inspection.reports.annual.metrics import Metric, Words, is_chinese, plain
from inspection.reports.annual.model import AnnualReport
from inspection.reports.annual.plan_metrics import PLAN_DEFINITIONS, PLAN_FIGURE_WORDS

# A sheet's title holds 31 characters at most.
_TITLE = Words("年度养护计划完成情况", "Maintenance plan")
_WORDS = {
    "kind": Words("作业类型", "Kind of work"),
    "unit": Words("单位", "Unit"),
    "planned": Words("全年计划数量", "Planned (year)"),
    "done": Words("完成数量", "Done"),
    "budget": Words("全年预算（元）", "Budget (yuan)"),
    "amount": Words("完成金额（元）", "Amount done (yuan)"),
    "source": Words("金额来源", "Amount from"),
}
_SOURCES = {
    "statement": Words("已确认计量单", "confirmed statements"),
    "plan_price": Words("完成数量×计划单价", "quantity × plan unit price"),
}
_UNITS = {
    Unit.m2: Words("平方米", "m²"),
    Unit.m: Words("米", "m"),
    Unit.site: Words("处", "sites"),
    Unit.item: Words("项", "items"),
    Unit.t: Words("吨", "t"),
}
NOT_MEASURED = Words("未计量", "not measured")
# How the figure columns are formatted (decimals); the units are in the headers.
_QUANTITY = Metric("plan_quantity", "数量", "Quantity", "item", 2, "plan_completion", False)
_MONEY = Metric("plan_money", "金额", "Amount", "item", 2, "plan_fund_use", False)
_RATE = Metric("plan_rate", "比率", "Rate", "percent", 1, "plan_completion", False)


def kind_word(kind: str, locale: str) -> str:
    work = WORK_KINDS.get(kind)
    if work is None:
        return kind
    return work.zh if is_chinese(locale) else work.en


def unit_word(unit: str, locale: str) -> str:
    words = _UNITS.get(Unit(unit)) if unit in UNIT_LABELS else None
    return words.pick(locale) if words else unit


def plan_tables(report: AnnualReport, locale: str) -> list[Table]:
    """Return the plan table (none when the report has no plan figures)."""
    plan = report.plan
    if plan is None:
        return []
    columns = (
        Column(_WORDS["kind"].pick(locale)),
        Column(_WORDS["unit"].pick(locale)),
        Column(_WORDS["planned"].pick(locale), _QUANTITY, "figure"),
        Column(_WORDS["done"].pick(locale), _QUANTITY, "figure"),
        Column(PLAN_FIGURE_WORDS["plan_completion"].pick(locale), _RATE, "figure"),
        Column(_WORDS["budget"].pick(locale), _MONEY, "figure"),
        Column(_WORDS["amount"].pick(locale), _MONEY, "figure"),
        Column(PLAN_FIGURE_WORDS["plan_fund_use"].pick(locale), _RATE, "figure"),
        Column(_WORDS["source"].pick(locale)),
    )
    rows = tuple(
        (
            kind_word(k.kind, locale),
            unit_word(k.unit, locale),
            k.planned,
            k.done,
            k.completion,
            k.budget,
            k.amount,
            k.fund_use,
            NOT_MEASURED.pick(locale)
            if k.done is None
            else "; ".join(_SOURCES[s].pick(locale) for s in k.sources),
        )
        for k in plan.kinds
    )
    return [Table("plan", _TITLE.pick(locale), columns, rows)]


def plan_definition_rows(locale: str) -> list[tuple[str, str]]:
    """Return how the plan figures are counted: (figure, definition)."""
    return [
        (PLAN_FIGURE_WORDS[key].pick(locale), words.pick(locale))
        for key, words in PLAN_DEFINITIONS.items()
    ]


def plan_json(report: AnnualReport) -> dict[str, Any] | None:
    """Return the plan figures per kind (None when the year has no plan or not computed)."""
    plan = report.plan
    if plan is None:
        return None
    return {
        "year": plan.year,
        "version": plan.version,
        "kinds": [
            {
                "kind": k.kind,
                "unit": k.unit,
                "planned": plain(k.planned),
                "done": plain(k.done),
                "completion": plain(k.completion),
                "budget": plain(k.budget),
                "amount": plain(k.amount),
                "fund_use": plain(k.fund_use),
                "amount_sources": list(k.sources),
            }
            for k in plan.kinds
        ],
        "definitions": ["plan_completion", "plan_fund_use"],
    }
