"""Draw the annual report's month charts as geometry for inline SVG."""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from inspection.reports.annual.metrics import (
    METRICS,
    UNITS,
    Words,
    format_number,
    is_chinese,
    rounded,
)
from inspection.reports.annual.model import AnnualReport

# --------------------------------------------------------------------------- month charts


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True, slots=True)
class Tick:
    """A labelled position on an axis: y of a value tick, x of a month label."""

    at: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    """Geometry of a bar chart drawn as inline SVG (colours come from CSS classes)."""

    key: str
    title: str
    unit: str
    width: int
    height: int
    plot_left: float
    plot_bottom: float
    plot_right: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]  # value axis
    labels: tuple[Tick, ...]  # month axis
    legend: tuple[tuple[str, str], ...]  # (css class, label)
    empty: bool


def nice_step(maximum: float, ticks: int = 4) -> float:
    """Return a round step (1, 2 or 5 × 10ⁿ) that covers `maximum` in about `ticks` steps."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


_CHARTS = {
    "repair_area": (
        Words("每月养护作业面积", "Repair area by month"),
        "m2",
        True,
        (
            ("shoulder_area_m2", "bar-shoulder"),
            ("slope_area_m2", "bar-slope"),
            ("pothole_area_m2", "bar-pothole"),
        ),
    ),
    "hazards": (
        Words("每月发现与销号的隐患", "Hazards found and closed by month"),
        "site",
        False,
        (("hazards_found", "bar-found"), ("hazards_closed", "bar-closed")),
    ),
    "patrols": (
        Words("每月道路巡查", "Road patrols by month"),
        "times",
        False,
        (("patrols", "bar-patrols"), ("inspections", "bar-inspections")),
    ),
}
CHART_KEYS = tuple(_CHARTS)

_WIDTH, _HEIGHT = 720, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 56.0, 8.0, 12.0, 28.0


def month_chart(report: AnnualReport, key: str, locale: str) -> Chart:
    """Return the bars of one month chart: stacked (repair area) or side by side."""
    words, unit, stacked, series = _CHARTS[key]
    months = report.by_month
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM
    slot = plot_w / max(1, len(months))

    def value(values: Mapping[str, Any], k: str) -> float:
        return float(values.get(k) or 0)

    if stacked:
        peak = max((sum(value(v, k) for k, _ in series) for _, v in months), default=0.0)
    else:
        peak = max((value(v, k) for _, v in months for k, _ in series), default=0.0)
    step = nice_step(peak)
    top = step * max(1, math.ceil(peak / step)) if peak > 0 else step * 4
    scale = plot_h / top
    bottom = _TOP + plot_h
    bars: list[Bar] = []
    labels: list[Tick] = []
    for index, (month, values) in enumerate(months):
        left = _LEFT + index * slot
        labels.append(Tick(round(left + slot / 2, 2), _month_label(month, len(months), locale)))
        inner = slot * 0.7
        base = bottom
        for position, (k, css) in enumerate(series):
            amount = value(values, k)
            if amount <= 0:
                continue
            height = amount * scale
            metric = METRICS[k]
            text = (
                f"{_month_title(month, locale)} {metric.label(locale)}: "
                f"{format_number(values.get(k), metric.decimals)} {metric.unit_text(locale)}"
            )
            if stacked:
                base -= height
                x, width, y = left + (slot - inner) / 2, inner, base
            else:
                width = inner / len(series)
                x, y = left + (slot - inner) / 2 + position * width, bottom - height
            bars.append(Bar(round(x, 2), round(y, 2), round(width, 2), round(height, 2), css, text))
    decimals = 0 if step >= 1 else max(0, -math.floor(math.log10(step)))
    ticks = tuple(
        Tick(
            round(bottom - i * step * scale, 2),
            tick_label(i * step, decimals, locale),
        )
        for i in range(round(top / step) + 1)
    )
    return Chart(
        key=key,
        title=words.pick(locale),
        unit=UNITS[unit].pick(locale),
        width=_WIDTH,
        height=_HEIGHT,
        plot_left=_LEFT,
        plot_bottom=bottom,
        plot_right=_WIDTH - _RIGHT,
        bars=tuple(bars),
        ticks=ticks,
        labels=tuple(labels),
        legend=tuple((css, METRICS[k].label(locale)) for k, css in series),
        empty=peak <= 0,
    )


def tick_label(value: float, decimals: int, locale: str) -> str:
    """Return a value-axis label, big numbers shortened (150万 / 1.5M) to fit the margin."""
    if is_chinese(locale) and value >= 10_000:
        return f"{value / 10_000:,.4g}万"
    if not is_chinese(locale) and value >= 1_000_000:
        return f"{value / 1_000_000:,.4g}M"
    if not is_chinese(locale) and value >= 10_000:
        return f"{value / 1_000:,.4g}k"
    return format_number(rounded(value, decimals), decimals)


def _month_label(month: str, count: int, locale: str) -> str:
    year, number = (int(p) for p in month.split("-"))
    if count > 24:  # a long range: label every year's January only
        return str(year) if number == 1 else ""
    if count > 12:
        return f"{year % 100:02d}/{number}"
    return f"{number}月" if is_chinese(locale) else calendar.month_abbr[number]


def _month_title(month: str, locale: str) -> str:
    year, number = (int(p) for p in month.split("-"))
    return f"{year}年{number}月" if is_chinese(locale) else f"{calendar.month_abbr[number]} {year}"
