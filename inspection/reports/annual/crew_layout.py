"""Lay the report's crew-safety figures out: tables (screen, CSV, XLSX) and JSON."""

from __future__ import annotations

from typing import Any

from inspection.repairs.rules import REPAIR_KINDS
from inspection.reports.annual.crew_figures import counts_figures
from inspection.reports.annual.crew_metrics import CREW_DEFINITIONS, CREW_METRICS
from inspection.reports.annual.layout import Column, Table
from inspection.reports.annual.metrics import DIRECTION_WORDS, Words, plain
from inspection.reports.annual.model import AnnualReport

_TITLES = {
    "crew": Words("班组安全（岗前培训、出车前检查、作业区）", "Crew safety"),
    "crew_months": Words("班组安全（按月份）", "Crew safety by month"),
    # A sheet's title holds 31 characters at most.
    "crew_unzoned": Words("未记录作业区布设的高速公路养护作业", "Expressway repairs, no zone"),
}
_WORDS = {
    "metric": Words("指标", "Figure"),
    "unit": Words("单位", "Unit"),
    "value": Words("本期", "This period"),
    "definition": Words("口径", "Definition"),
    "key": Words("代码", "Key"),
    "month": Words("月份", "Month"),
    "road": Words("路线", "Road"),
    "direction": Words("方向", "Direction"),
    "stakes": Words("桩号", "Stakes"),
    "kind": Words("作业类型", "Kind"),
    "completed_on": Words("完工日期", "Completed on"),
    "crew": Words("施工班组", "Crew"),
    "id": Words("记录编号", "Record"),
}


def _w(key: str, locale: str) -> str:
    return _WORDS[key].pick(locale)


def repair_kind_word(kind: str, locale: str) -> str:
    known = REPAIR_KINDS.get(kind)
    return known.label(locale) if known else kind


def direction_word(direction: str, locale: str) -> str:
    words = DIRECTION_WORDS.get(direction)
    return words.pick(locale) if words else direction


def crew_tables(report: AnnualReport, locale: str) -> list[Table]:
    """Return the crews' tables (none when the report has no crew figures)."""
    crew = report.crew
    if crew is None:
        return []
    figures = crew.figures()
    metrics = tuple(CREW_METRICS.values())
    summary = Table(
        "crew",
        _TITLES["crew"].pick(locale),
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
                CREW_DEFINITIONS[m.definition].pick(locale),
                m.key,
            )
            for m in metrics
        ),
        metrics,
    )
    months = Table(
        "crew_months",
        _TITLES["crew_months"].pick(locale),
        (
            Column(_w("month", locale)),
            *(Column(m.header(locale), m, "figure") for m in metrics),
        ),
        tuple((m.month, *(counts_figures(m.counts)[k] for k in CREW_METRICS)) for m in crew.months),
    )
    unzoned = Table(
        "crew_unzoned",
        _TITLES["crew_unzoned"].pick(locale),
        tuple(
            Column(_w(k, locale))
            for k in ("completed_on", "road", "direction", "stakes", "kind", "crew", "id")
        ),
        tuple(
            (
                r.completed_on,
                r.road,
                direction_word(r.direction, locale),
                r.stakes,
                repair_kind_word(r.kind, locale),
                r.crew,
                r.id,
            )
            for r in crew.unzoned
        ),
    )
    return [summary, months, unzoned]


def crew_definition_rows(locale: str) -> list[tuple[str, str]]:
    """Return how each crew figure is counted: (figure (unit), definition)."""
    return [
        (m.header(locale), CREW_DEFINITIONS[m.definition].pick(locale))
        for m in CREW_METRICS.values()
    ]


def crew_json(report: AnnualReport) -> dict[str, Any] | None:
    """Return the crews' figures, by month, and the repairs without a zone (None without)."""
    crew = report.crew
    if crew is None:
        return None
    figures = crew.figures()
    return {
        "figures": [
            {
                "key": m.key,
                "value": plain(figures[m.key]),
                "unit": m.unit,
                "decimals": m.decimals,
                "definition": m.definition,
            }
            for m in CREW_METRICS.values()
        ],
        "by_month": [{"month": m.month, "figures": counts_figures(m.counts)} for m in crew.months],
        "repairs_without_zone": [
            {
                "id": r.id,
                "road": r.road,
                "direction": r.direction,
                "stakes": r.stakes,
                "kind": r.kind,
                "completed_on": r.completed_on.isoformat(),
                "crew": r.crew,
            }
            for r in crew.unzoned
        ],
    }
