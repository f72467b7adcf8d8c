"""Turn the aggregates of a period into the figures the annual report states."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from inspection.reports.annual.metrics import (
    COUNTED_KEYS,
    GIVEN_KEYS,
    METRICS,
    MONTH_KEYS,
    ROAD_KEYS,
    SUMMED_KEYS,
    TOTAL_KEYS,
    Number,
    is_chinese,
    rounded,
)
from inspection.reports.annual.paragraphs import PARAGRAPH_KEYS, paragraph
from inspection.reports.annual.request import Period, ReportRequest

if TYPE_CHECKING:
    from inspection.reports.annual.crew_figures import CrewFigures
    from inspection.reports.annual.fleet_figures import FleetFigures
    from inspection.reports.annual.plan_figures import PlanFigures

# Pothole counts are sums of a column that may be NULL only on records that break the rules;
# an absent pothole count means "no pothole treatment", like an absent area.
_ABSENT_WHEN_NULL = frozenset({"pothole_count"})

# --------------------------------------------------------------------------- aggregates in


@dataclass(frozen=True, slots=True)
class Aggregates:
    """The aggregates of one period: raw figures (exact sums, counts) by scope.

    Keys are those of :data:`SUMMED_KEYS` and :data:`COUNTED_KEYS`; a missing sum means no
    record was summed, a missing count means 0.
    """

    total: Mapping[str, Any]
    by_road: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    by_month: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Group:
    """The SQL aggregates of one road in one month of the period (the finest grain asked for).

    Patrol groups also carry the local days (as numbers) on which a road patrol started, so that
    days patrolled can be counted distinct over any scope.
    """

    road: str | None  # None: a figure of no road (inspections, surveys, sites on no road)
    month: str | None  # None: a figure of the period only (carried-over hazards, surveys)
    figures: Mapping[str, Any]
    days: Collection[int] | None = None


def roll_up(groups: Iterable[Group]) -> Aggregates:
    """Return the totals, by-road and by-month figures of the period from its finest groups.

    Sums and counts add up (an absent sum adds nothing); days patrolled are counted distinct in
    each scope. A group without a road (or month) counts in the totals and its month (or road)
    only.
    """
    total: dict[str, Any] = {}
    by_road: dict[str, dict[str, Any]] = {}
    by_month: dict[str, dict[str, Any]] = {}
    days_total: set[int] = set()
    days_by_road: dict[str, set[int]] = {}
    days_by_month: dict[str, set[int]] = {}
    for group in groups:
        scopes = [total]
        if group.road is not None:
            scopes.append(by_road.setdefault(group.road, {}))
        if group.month is not None:
            scopes.append(by_month.setdefault(group.month, {}))
        for key, value in group.figures.items():
            if value is None:
                continue
            for figures in scopes:
                before = figures.get(key)
                figures[key] = value if before is None else before + value
        if group.days:
            days_total.update(group.days)
            if group.road is not None:
                days_by_road.setdefault(group.road, set()).update(group.days)
            if group.month is not None:
                days_by_month.setdefault(group.month, set()).update(group.days)
    if days_total:
        total["patrol_days"] = len(days_total)
    for name, seen in days_by_road.items():
        by_road[name]["patrol_days"] = len(seen)
    for name, seen in days_by_month.items():
        by_month[name]["patrol_days"] = len(seen)
    return Aggregates(total, by_road, by_month)


@dataclass(frozen=True, slots=True)
class MaterialTotal:
    name: str
    unit: str
    quantity: Number | None


@dataclass(frozen=True, slots=True)
class RoadCondition:
    """Road-level condition of one road and direction from one survey campaign."""

    road: str
    direction: str
    campaign_id: int
    campaign: str
    ends_on: date
    length_m: float
    pci: float | None
    sci: float | None
    excellent_good_pct: float | None
    pci_grade: str | None = None
    not_measured: tuple[str, ...] = ()


# --------------------------------------------------------------------------- figures


def figures_of(
    raw: Mapping[str, Any], keys: Iterable[str] = TOTAL_KEYS
) -> dict[str, Number | None]:
    """Return the stated figures of one scope: derived ones computed, every one rounded."""
    values: dict[str, Any] = {}
    for key in SUMMED_KEYS:
        values[key] = raw.get(key)
    for key in COUNTED_KEYS:
        value = raw.get(key)
        values[key] = value if value is not None or key in _ABSENT_WHEN_NULL else 0
    for key in GIVEN_KEYS:
        values[key] = raw.get(key)
    for kind in ("shoulder", "slope"):
        area = values[f"{kind}_area_m2"]
        values[f"{kind}_area_10k_m2"] = None if area is None else Decimal(area) / 10_000
    found, closed = values["hazards_found"], values["hazards_closed"]
    values["hazards_open"] = found - closed
    values["rectification_rate"] = rate(found, closed)
    values["self_rectification_rate"] = rate(
        values["self_hazards_found"], values["self_hazards_closed"]
    )
    return {key: rounded(values.get(key), METRICS[key].decimals) for key in keys}


def rate(found: int, closed: int) -> Decimal | None:
    """Return closed ÷ found × 100 (None, shown "—", when nothing was found)."""
    return None if not found else Decimal(closed) * 100 / Decimal(found)


@dataclass(frozen=True, slots=True)
class Comparison:
    """One figure against the previous period's."""

    key: str
    current: Number | None
    previous: Number | None
    difference: Number | None
    change_pct: Decimal | None


def compare(key: str, current: Number | None, previous: Number | None) -> Comparison:
    """Compare two rounded figures: difference (absent counts as 0 unless both are) and %.

    A rate's difference is in percentage points and has no % change; a change from nothing
    (previous absent or 0) has no % either.
    """
    metric = METRICS[key]
    if metric.unit == "percent":
        difference = None if current is None or previous is None else current - previous
        return Comparison(key, current, previous, difference, None)
    if current is None and previous is None:
        return Comparison(key, None, None, None, None)
    difference = (current or 0) - (previous or 0)
    change = None
    if previous:
        change = rounded(Decimal(difference) * 100 / Decimal(previous), 1)
    return Comparison(key, current, previous, difference, change)


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class AnnualReport:
    """Everything the report states; built by :func:`build_report`."""

    request: ReportRequest
    timezone: str
    road_name: str | None
    roads: tuple[str, ...]
    totals: Mapping[str, Number | None]
    comparison: tuple[Comparison, ...]
    by_road: tuple[tuple[str, Mapping[str, Number | None]], ...]
    by_month: tuple[tuple[str, Mapping[str, Number | None]], ...]
    materials: tuple[MaterialTotal, ...]
    conditions: tuple[RoadCondition, ...]
    generated_at: datetime | None = None
    # 机务与应急 (fleet_queries.with_fleet): None when not computed or the registers are empty.
    fleet: FleetFigures | None = None
    # Crew safety (crew_queries.with_crew; in the safety paragraph): None when not computed or
    # the period holds no briefing, pre-trip check, work zone or expressway repair.
    crew: CrewFigures | None = None
    # The year's plan (plan_queries.with_plan; in the maintenance paragraph): None when not
    # computed, the year has no plan, or the report is not of a whole year of the branch.
    plan: PlanFigures | None = None

    @property
    def period(self) -> Period:
        return self.request.period

    @property
    def cutoff(self) -> date:
        return self.request.cutoff

    def paragraphs(self, locale: str) -> dict[str, str]:
        """Return the work report's paragraphs in one language: maintenance, safety[, fleet]."""
        language = "zh" if is_chinese(locale) else "en"
        keys = [k for k in PARAGRAPH_KEYS if k != "fleet" or self.fleet is not None]
        return {key: paragraph(self, key, language) for key in keys}

    @property
    def paragraphs_zh(self) -> dict[str, str]:
        return self.paragraphs("zh")

    @property
    def paragraphs_en(self) -> dict[str, str]:
        return self.paragraphs("en")

    @property
    def paragraph_zh(self) -> str:
        """The Chinese paragraphs, one a line (as pasted into the work report)."""
        return "\n".join(self.paragraphs_zh.values())

    @property
    def paragraph_en(self) -> str:
        return "\n".join(self.paragraphs_en.values())

    def condition_figures(self, condition: RoadCondition) -> dict[str, Number | None]:
        return {
            "survey_length_km": rounded(condition.length_m / 1000, 3),
            "survey_pci": rounded(condition.pci, 2),
            "survey_sci": rounded(condition.sci, 2),
            "survey_excellent_good_pct": rounded(condition.excellent_good_pct, 1),
        }


def build_report(
    request: ReportRequest,
    *,
    current: Aggregates,
    previous: Mapping[str, Any],
    materials: Iterable[MaterialTotal] = (),
    conditions: Iterable[RoadCondition] = (),
    roads: Sequence[str] = (),
    timezone: str,
    road_name: str | None = None,
    generated_at: datetime | None = None,
) -> AnnualReport:
    """Return the report of a period from its aggregates and the previous period's totals.

    `roads` are the road codes the by-road breakdown lists (all of them, so a road with nothing
    recorded shows as such); roads that only the aggregates name are added after them.
    """
    totals = figures_of(current.total)
    before = figures_of(previous)
    comparison = tuple(compare(key, totals[key], before[key]) for key in TOTAL_KEYS)
    codes = list(dict.fromkeys([*roads, *sorted(current.by_road)]))
    if request.road is not None:
        codes = [request.road]
    by_road = tuple((code, figures_of(current.by_road.get(code, {}), ROAD_KEYS)) for code in codes)
    by_month = tuple(
        (month, figures_of(current.by_month.get(month, {}), MONTH_KEYS))
        for month in request.period.months()
    )
    return AnnualReport(
        request=request,
        timezone=timezone,
        road_name=road_name,
        roads=tuple(codes),
        totals=totals,
        comparison=comparison,
        by_road=by_road,
        by_month=by_month,
        materials=tuple(
            MaterialTotal(
                m.name, m.unit, rounded(m.quantity, METRICS["material_quantity"].decimals)
            )
            for m in sorted(materials, key=lambda m: (m.name, m.unit))
        ),
        conditions=tuple(sorted(conditions, key=lambda c: (c.road, c.direction))),
        generated_at=generated_at,
    )
