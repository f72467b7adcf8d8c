"""The report's crew-safety figures (岗前培训, 出车前检查, 作业区安全布设), computed: pure.

The records come in as SQL aggregates per month of the period and the list of expressway
repairs without a work-zone record (:mod:`.crew_queries` reads them); the figures come out,
named once in :mod:`.crew_metrics`.

Decisions (stated in ``crew_metrics.CREW_DEFINITIONS``, which the tables, the API and the
exports carry):

* **In the period.** A briefing by the local day it was held, a pre-trip check by its check day
  (the branch-local day it counts for), a work zone by the local day it was set up, a repair by
  its completion day. Voided records are never counted.
* **岗前培训N次/M人次.** N = briefings; M = their attendee rows (someone at two briefings counts
  twice; a briefing has at least one attendee).
* **出车前检查N车次.** Each check (vehicle and driver before a trip) is one; a re-check after a
  failed one is another. Each check tests the driver's breath alcohol and blood pressure once,
  so 酒精测试 and 血压测试 are counted per check (人次); 不合格 = the result stored with the check
  (judged by the thresholds of that day; kept when the readings are erased).
* **作业区安全布设N处.** Work zones set up in the period; "with intrusion alarm" = one of its
  devices is a 声光报警锥桶 or a 车载雷达防闯入设备 (``crew.kinds.INTRUSION_ALARMS``).
* **Repairs without a work-zone record.** Repairs completed in the period on a road whose class
  is expressway, with no non-voided work zone linked to them (whenever the zone was set up).
* The figures exist (``crew_figures`` is not None) when the period holds a briefing, a check, a
  zone or an expressway repair; the report then prints what there is and never a made-up 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date

from inspection.network.stakes import format_stake
from inspection.reports.annual.metrics import Number
from inspection.reports.annual.request import Period

# --------------------------------------------------------------------------- records in


@dataclass(frozen=True)
class CrewCounts:
    """The counts of one month (or of the whole period)."""

    briefings: int = 0
    attendances: int = 0
    checks: int = 0
    alcohol_failed: int = 0
    blood_pressure_failed: int = 0
    zones: int = 0
    zones_with_alarm: int = 0
    expressway_repairs: int = 0
    repairs_without_zone: int = 0

    @property
    def zones_without_alarm(self) -> int:
        return self.zones - self.zones_with_alarm

    @property
    def empty(self) -> bool:
        return not (self.briefings or self.checks or self.zones or self.expressway_repairs)

    def __add__(self, other: CrewCounts) -> CrewCounts:
        return CrewCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


@dataclass(frozen=True)
class UnzonedRepair:
    """An expressway repair completed in the period with no work-zone record."""

    id: int
    road: str
    direction: str
    kind: str
    completed_on: date
    chainage: float
    end_chainage: float | None = None
    stake_text: str = ""
    crew: str = ""

    @property
    def stakes(self) -> str:
        """The stake (range) as typed, or written from the chainage."""
        if self.stake_text:
            return self.stake_text
        text = format_stake(self.chainage)
        if self.end_chainage is not None and self.end_chainage != self.chainage:
            text += "–" + format_stake(self.end_chainage)
        return text


# --------------------------------------------------------------------------- figures out


@dataclass(frozen=True)
class MonthCounts:
    month: str  # YYYY-MM
    counts: CrewCounts


@dataclass(frozen=True)
class CrewFigures:
    """Everything the report says about the crews' safety practices in the period."""

    months: tuple[MonthCounts, ...]
    unzoned: tuple[UnzonedRepair, ...]

    @property
    def total(self) -> CrewCounts:
        return sum((m.counts for m in self.months), CrewCounts())

    def figures(self) -> dict[str, Number | None]:
        """Return the figures of ``crew_metrics.CREW_METRICS``."""
        return counts_figures(self.total)


def counts_figures(counts: CrewCounts) -> dict[str, Number | None]:
    """Return one scope's figures by their keys (``crew_metrics.CREW_METRICS``)."""
    return {
        "crew_briefings": counts.briefings,
        "crew_briefing_attendances": counts.attendances,
        "crew_pretrip_checks": counts.checks,
        "crew_alcohol_tests": counts.checks,
        "crew_alcohol_failed": counts.alcohol_failed,
        "crew_blood_pressure_tests": counts.checks,
        "crew_blood_pressure_failed": counts.blood_pressure_failed,
        "crew_zones": counts.zones,
        "crew_zones_with_alarm": counts.zones_with_alarm,
        "crew_zones_without_alarm": counts.zones_without_alarm,
        "crew_expressway_repairs": counts.expressway_repairs,
        "crew_repairs_without_zone": counts.repairs_without_zone,
    }


# --------------------------------------------------------------------------- computing


def crew_figures(
    period: Period,
    months: Mapping[str, Mapping[str, int]],
    unzoned: Iterable[UnzonedRepair] = (),
) -> CrewFigures | None:
    """Return the period's figures from counts by month (``CrewCounts`` field → count; the
    fields missing count 0); None when the period holds none of the records counted.

    A month outside the period is an error of the caller (the query filters by the period).
    """
    keys = period.months()
    unknown = set(months) - set(keys)
    if unknown:
        raise ValueError(f"months outside the period: {sorted(unknown)}")
    names = {f.name for f in fields(CrewCounts)}
    by_month = []
    for key in keys:
        given = months.get(key, {})
        wrong = set(given) - names
        if wrong:
            raise ValueError(f"unknown counts: {sorted(wrong)}")
        by_month.append(MonthCounts(key, CrewCounts(**{k: int(v or 0) for k, v in given.items()})))
    figures = CrewFigures(
        tuple(by_month),
        tuple(sorted(unzoned, key=lambda r: (r.completed_on, r.road, r.chainage, r.id))),
    )
    return None if figures.total.empty else figures


def merge_months(*parts: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """Return the counts of several queries merged by month (each query gives some fields)."""
    merged: dict[str, dict[str, int]] = {}
    for part in parts:
        for month, counts in part.items():
            merged.setdefault(month, {}).update(counts)
    return merged
