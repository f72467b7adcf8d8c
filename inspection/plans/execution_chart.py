"""Draw cumulative plan vs done per kind as geometry for inline SVG (like the annual report's
month charts, whose axis helpers it reuses); pure."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from decimal import Decimal

from inspection.plans.execution import Execution, KindTotal
from inspection.reports.annual.charts import Tick, nice_step, tick_label

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 56.0, 470.0, 14.0, 190.0


@dataclass(frozen=True, slots=True)
class LineChart:
    kind: str
    unit: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_bottom: float
    planned: str  # SVG polyline points
    done: str  # SVG polyline points (through the month reached; "" before the year begins)
    ticks: tuple[Tick, ...]
    labels: tuple[Tick, ...]
    empty: bool


def _x(month: int) -> float:
    step = (RIGHT - LEFT) / 12
    return round(LEFT + step * (month - 0.5), 1)


def _points(values: list[Decimal], scale: float) -> str:
    return " ".join(
        f"{_x(i + 1)},{round(BOTTOM - float(v) * scale, 1)}" for i, v in enumerate(values)
    )


def kind_chart(total: KindTotal, through: int, locale: str) -> LineChart:
    """Return the chart of a kind's cumulative planned and done quantity by month."""
    planned = total.cumulative_planned()
    done = total.cumulative_done(through) if total.measured else []
    peak = float(max([*planned, *done, Decimal(0)]))
    step = nice_step(peak)
    top = step * max(1, -(-peak // step))
    scale = (BOTTOM - TOP) / top
    ticks, value = [], 0.0
    while value <= top + 1e-9:
        ticks.append(Tick(round(BOTTOM - value * scale, 1), tick_label(value, 0, locale)))
        value += step
    chinese = (locale or "").lower().startswith("zh")
    labels = tuple(
        Tick(_x(m), f"{m}月" if chinese else calendar.month_abbr[m]) for m in range(1, 13)
    )
    return LineChart(
        total.kind,
        total.unit,
        WIDTH,
        HEIGHT,
        LEFT,
        RIGHT,
        BOTTOM,
        _points(planned, scale),
        _points(done, scale),
        tuple(ticks),
        labels,
        peak <= 0,
    )


def charts(result: Execution, locale: str) -> list[LineChart]:
    return [kind_chart(total, result.through, locale) for total in result.kinds]
