"""Lay the report's 机务与应急 figures out: tables (screen, CSV, XLSX) and JSON."""

from __future__ import annotations

from typing import Any

from inspection.reports.annual.fleet_metrics import (
    FLEET_DEFINITIONS,
    FLEET_METRICS,
    KIND_WORDS,
    REVIEW_STATE_WORDS,
    STOCK_QUANTITY,
)
from inspection.reports.annual.layout import Column, Table
from inspection.reports.annual.metrics import Words, plain
from inspection.reports.annual.model import AnnualReport

_TITLES = {
    "fleet": Words("机务与应急", "Fleet and emergency"),
    "fleet_groups": Words("完好率（按车型、部门）", "Fitness by kind and department"),
    "fleet_months": Words("完好率（按月末）", "Fitness at month ends"),
    "fleet_due": Words("年检（本期应检）", "Annual inspections due"),
    "fleet_reviews": Words("驾驶员年审（期末待审）", "Driver reviews due at the end"),
    "supplies": Words("应急物资储备", "Emergency stock"),
}
_WORDS = {
    "metric": Words("指标", "Figure"),
    "unit": Words("单位", "Unit"),
    "value": Words("本期", "This period"),
    "definition": Words("口径", "Definition"),
    "key": Words("代码", "Key"),
    "group": Words("分组", "Group"),
    "name": Words("名称", "Name"),
    "by_kind": Words("车型", "Kind"),
    "by_department": Words("部门", "Department"),
    "no_department": Words("未分配部门", "No department"),
    "month": Words("月份", "Month"),
    "measured_on": Words("计算日期", "Measured on"),
    "number": Words("车牌号/编号", "Plate or fleet number"),
    "due_on": Words("到期日", "Due on"),
    "done_on": Words("年检日期", "Passed on"),
    "on_time": Words("按期", "On time"),
    "depot": Words("储备点", "Depot"),
    "item": Words("物资", "Item"),
    "minimum": Words("最低储备", "Minimum"),
    "below": Words("低于最低储备", "Below minimum"),
    "received": Words("本期入库", "Received in the period"),
    "issued": Words("本期发放", "Issued in the period"),
    "rate": Words("完好率（%）", "Fitness rate (%)"),
    "quantity": Words("期末库存", "Stock at the end"),
    "driver": Words("驾驶员", "Driver"),
    "state": Words("状态", "State"),
    "last_on": Words("上次年审", "Last review"),
    "yes": Words("是", "yes"),
    "no": Words("否", "no"),
}


def _w(key: str, locale: str) -> str:
    return _WORDS[key].pick(locale)


def _fig(key: str, locale: str, header: str | None = None) -> Column:
    metric = FLEET_METRICS[key]
    return Column(header or metric.header(locale), metric, "figure")


def _yes(value: bool, locale: str) -> str:
    return _w("yes" if value else "no", locale)


def kind_word(kind: str, locale: str) -> str:
    words = KIND_WORDS.get(kind)
    return words.pick(locale) if words else kind


def fleet_tables(report: AnnualReport, locale: str) -> list[Table]:
    """Return the fleet's tables (none when the report has no fleet figures)."""
    fleet = report.fleet
    if fleet is None:
        return []
    figures = fleet.figures()
    metrics = tuple(FLEET_METRICS.values())
    summary = Table(
        "fleet",
        _TITLES["fleet"].pick(locale),
        (
            Column(_w("metric", locale)),
            Column(_w("unit", locale)),
            Column(_w("value", locale), role="figure"),
            Column(_w("definition", locale)),
            Column(_w("key", locale)),
        ),
        tuple(
            (
                m.label(locale),
                m.unit_text(locale),
                figures[m.key],
                FLEET_DEFINITIONS[m.definition].pick(locale),
                m.key,
            )
            for m in metrics
        ),
        metrics,
    )
    counts = (
        _fig("fleet_units_in_service", locale),
        _fig("fleet_units_fit", locale),
        _fig("fleet_units_defective", locale),
        _fig("fleet_units_under_repair", locale),
        _fig("fleet_fitness_rate", locale, _w("rate", locale)),
    )
    groups = [
        (_w("by_kind", locale), kind_word(kind, locale), fitness) for kind, fitness in fleet.by_kind
    ] + [
        (_w("by_department", locale), name or _w("no_department", locale), fitness)
        for name, fitness in fleet.by_department
    ]
    by_group = Table(
        "fleet_groups",
        _TITLES["fleet_groups"].pick(locale),
        (Column(_w("group", locale)), Column(_w("name", locale)), *counts),
        tuple(
            (group, name, f.in_service, f.fit, f.defective, f.under_repair, f.rate)
            for group, name, f in groups
        ),
    )
    months = Table(
        "fleet_months",
        _TITLES["fleet_months"].pick(locale),
        (Column(_w("month", locale)), Column(_w("measured_on", locale)), *counts),
        tuple(
            (
                m.month,
                m.on,
                m.fitness.in_service,
                m.fitness.fit,
                m.fitness.defective,
                m.fitness.under_repair,
                m.fitness.rate,
            )
            for m in fleet.months
        ),
    )
    due = Table(
        "fleet_due",
        _TITLES["fleet_due"].pick(locale),
        tuple(Column(_w(k, locale)) for k in ("number", "by_kind", "due_on", "done_on", "on_time")),
        tuple(
            (d.number, kind_word(d.kind, locale), d.due_on, d.done_on, _yes(d.on_time, locale))
            for d in fleet.inspections_due
        ),
    )
    stock = Table(
        "supplies",
        _TITLES["supplies"].pick(locale),
        (
            Column(_w("depot", locale)),
            Column(_w("item", locale)),
            Column(_w("unit", locale)),
            Column(_w("quantity", locale), STOCK_QUANTITY, "figure"),
            Column(_w("minimum", locale), STOCK_QUANTITY, "figure"),
            Column(_w("below", locale)),
            Column(_w("received", locale), STOCK_QUANTITY, "figure"),
            Column(_w("issued", locale), STOCK_QUANTITY, "figure"),
        ),
        tuple(
            (
                s.depot,
                s.item,
                s.unit,
                s.quantity,
                s.minimum,
                _yes(s.below_minimum, locale),
                s.received,
                s.issued,
            )
            for s in fleet.stock
        ),
    )
    reviews = Table(
        "fleet_reviews",
        _TITLES["fleet_reviews"].pick(locale),
        tuple(Column(_w(k, locale)) for k in ("driver", "state", "due_on", "last_on")),
        tuple(
            (r.name, review_state_word(r.state, locale), r.due_on, r.last_on) for r in fleet.reviews
        ),
    )
    return [summary, by_group, months, due, reviews, stock]


def fleet_definition_rows(locale: str) -> list[tuple[str, str]]:
    """Return how each fleet figure is counted: (figure (unit), definition)."""
    return [
        (m.label(locale), FLEET_DEFINITIONS[m.definition].pick(locale))
        for m in FLEET_METRICS.values()
    ]


def _counts(fitness) -> dict[str, Any]:
    return {
        "in_service": fitness.in_service,
        "fit": fitness.fit,
        "defective": fitness.defective,
        "under_repair": fitness.under_repair,
        "rate": plain(fitness.rate),
    }


def fleet_json(report: AnnualReport) -> dict[str, Any] | None:
    """Return the fleet's figures, breakdowns and lists for the API (None without them)."""
    fleet = report.fleet
    if fleet is None:
        return None

    def day(value) -> str | None:
        return value.isoformat() if value is not None else None

    figures = fleet.figures()
    return {
        "as_of": fleet.as_of.isoformat(),
        "figures": [
            {
                "key": m.key,
                "value": plain(figures[m.key]),
                "unit": m.unit,
                "decimals": m.decimals,
                "definition": m.definition,
            }
            for m in FLEET_METRICS.values()
        ],
        "by_kind": [{"kind": kind, **_counts(f)} for kind, f in fleet.by_kind],
        "by_department": [{"department": name, **_counts(f)} for name, f in fleet.by_department],
        "by_month": [
            {"month": m.month, "measured_on": m.on.isoformat(), **_counts(m.fitness)}
            for m in fleet.months
        ],
        "inspections_due": [
            {
                "number": d.number,
                "kind": d.kind,
                "due_on": d.due_on.isoformat(),
                "done_on": day(d.done_on),
                "on_time": d.on_time,
            }
            for d in fleet.inspections_due
        ],
        "reviews_due": [
            {
                "driver": r.name,
                "state": r.state,
                "due_on": r.due_on.isoformat(),
                "last_on": day(r.last_on),
            }
            for r in fleet.reviews
        ],
        "stock": [
            {
                "depot": s.depot,
                "item": s.item,
                "unit": s.unit,
                "quantity": plain(s.quantity),
                "minimum": plain(s.minimum),
                "below_minimum": s.below_minimum,
                "received": plain(s.received),
                "issued": plain(s.issued),
            }
            for s in fleet.stock
        ],
    }


def review_state_word(state: str, locale: str) -> str:
    words = REVIEW_STATE_WORDS.get(state)
    return words.pick(locale) if words else state
