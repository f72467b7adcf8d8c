"""Read patrol coverage from the database: the period's covered intervals, roads and frequencies.

One statement fetches the covered intervals of the period's non-voided patrols, each with the
local day it ended on (branch time zone). As in the annual report, PostgreSQL turns the period's
local midnights into instants once per statement (``timezone(:tz, …)``); each interval is placed
against them with ``width_bucket``, so no row pays for a time-zone conversion and the
``ended_at`` index serves the range. The rest (stretches, rate, gaps) is the pure
:mod:`inspection.tracks.coverage`; stake ranges come from each road's linear reference
(:func:`inspection.tracks.stake_ranges.stake_ranges`, split at chain breaks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import DATE, TIMESTAMP, String, bindparam, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select

from inspection.errors import N_, NotFound
from inspection.network.models import Road
from inspection.network.services import reference_for
from inspection.patrols.models import Patrol
from inspection.tracks.coverage import (
    RESOLUTION_M,
    Gap,
    Interval,
    NetworkCoverage,
    Period,
    RoadCoverage,
    RoadInput,
    Stretch,
    gap_order,
    network_coverage,
)
from inspection.tracks.kinds import DEFAULT_FREQUENCY_DAYS
from inspection.tracks.models import CoveredInterval, PatrolFrequency
from inspection.tracks.stake_ranges import StakeRange, stake_ranges

# A road class the frequency table does not know is patrolled like an unclassified road.
FALLBACK_CLASS = "unclassified"

# --------------------------------------------------------------------------- the statement


def _p(name: str, type_: Any = None):
    return bindparam(name, type_=type_)


def _midnight(name: str):
    return func.timezone(_p("tz", String), _p(name, TIMESTAMP))


@cache
def intervals_sql(on_roads: bool) -> Select:
    """Return the covered intervals of the period's non-voided patrols with their local day.

    ``day`` is 1 for the period's first day (``width_bucket`` against the local midnights).
    """
    day = func.unnest(_p("day_bounds", ARRAY(DATE))).table_valued("day").render_derived()
    instant = func.timezone(_p("tz", String), cast(day.c.day, TIMESTAMP))
    bounds = select(func.array_agg(aggregate_order_by(instant, day.c.day))).scalar_subquery()
    query = (
        select(
            CoveredInterval.road_id,
            CoveredInterval.patrol_id,
            CoveredInterval.from_measure,
            CoveredInterval.to_measure,
            CoveredInterval.ended_at,
            func.width_bucket(CoveredInterval.ended_at, bounds).label("day"),
        )
        .join(Patrol, Patrol.id == CoveredInterval.patrol_id)
        .where(
            Patrol.voided_at.is_(None),
            CoveredInterval.ended_at >= _midnight("start_at"),
            CoveredInterval.ended_at < _midnight("after_at"),
        )
    )
    if on_roads:
        query = query.where(CoveredInterval.road_id.in_(bindparam("road_ids", expanding=True)))
    return query


def interval_params(
    period: Period, *, timezone: str, road_ids: Sequence[int] | None = None
) -> dict[str, Any]:
    """Return the parameter values of :func:`intervals_sql` for a period."""
    after = period.last + timedelta(days=1)
    params: dict[str, Any] = {
        "tz": timezone,
        "start_at": datetime.combine(period.first, datetime.min.time()),
        "after_at": datetime.combine(after, datetime.min.time()),
        "day_bounds": [period.first + timedelta(days=i) for i in range(period.days + 1)],
    }
    if road_ids is not None:
        params["road_ids"] = list(road_ids)
    return params


def fetch_intervals(
    session: Session, period: Period, *, timezone: str, road_ids: Sequence[int] | None = None
) -> dict[int, list[Interval]]:
    """Return the period's intervals by road id."""
    rows = (
        session.connection()
        .execute(
            intervals_sql(road_ids is not None),
            interval_params(period, timezone=timezone, road_ids=road_ids),
        )
        .all()
    )  # fetched at once: row by row costs as much as the query
    by_road: dict[int, list[Interval]] = defaultdict(list)
    first = period.first
    for road_id, patrol_id, low, high, ended_at, day in rows:
        by_road[road_id].append(
            Interval(low, high, first + timedelta(days=day - 1), ended_at, patrol_id)
        )
    return by_road


# --------------------------------------------------------------------------- frequencies


def frequency_days(session: Session) -> dict[str, tuple[int, bool]]:
    """Return every road class's frequency as (every N days, confirmed by the branch)."""
    known = {
        row.road_class: (row.every_days, row.confirmed)
        for row in session.scalars(select(PatrolFrequency))
    }
    for road_class, days in DEFAULT_FREQUENCY_DAYS.items():
        known.setdefault(road_class, (days, False))
    return known


def frequency_of(frequencies: dict[str, tuple[int, bool]], road_class: str) -> tuple[int, bool]:
    return frequencies.get(road_class) or frequencies[FALLBACK_CLASS]


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class RoadInfo:
    """The road a row is about, as the report states it."""

    id: int
    code: str
    name: str
    direction: str
    road_class: str


@dataclass(frozen=True)
class Ranges:
    """The stake ranges of a stretch (several across a chain break), with their texts."""

    ranges: tuple[StakeRange, ...]
    texts: tuple[str, ...]

    @classmethod
    def of(cls, road: Road, low: float, high: float) -> Ranges:
        ranges = tuple(stake_ranges(reference_for(road), low, high))
        return cls(ranges, tuple(r.text() for r in ranges))

    @property
    def stake_text(self) -> str:
        return ", ".join(self.texts)


@dataclass(frozen=True)
class StretchRow:
    road: RoadInfo
    stretch: Stretch
    where: Ranges

    @property
    def ranges(self) -> tuple[StakeRange, ...]:
        return self.where.ranges

    @property
    def stake_text(self) -> str:
        return self.where.stake_text


@dataclass(frozen=True)
class GapRow:
    road: RoadInfo
    gap: Gap
    where: Ranges

    @property
    def ranges(self) -> tuple[StakeRange, ...]:
        return self.where.ranges

    @property
    def stake_text(self) -> str:
        return self.where.stake_text


@dataclass(frozen=True)
class RoadRow:
    road: RoadInfo
    every_days: int
    confirmed: bool
    coverage: RoadCoverage
    stretches: tuple[StretchRow, ...]


@dataclass(frozen=True)
class CoverageReport:
    """The coverage of a period on the roads asked for (every road by default)."""

    period: Period
    timezone: str
    road: str | None
    network: NetworkCoverage
    roads: tuple[RoadRow, ...]
    gaps: tuple[GapRow, ...]
    intervals: int  # covered intervals read: 0 means no track was recorded in the period

    @property
    def rate(self) -> float | None:
        return self.network.rate

    @property
    def network_m(self) -> float:
        return self.network.network_m

    @property
    def at_frequency_m(self) -> float:
        return self.network.at_frequency_m

    @property
    def patrolled_m(self) -> float:
        return self.network.patrolled_m


def roads_for(session: Session, code: str | None = None) -> list[Road]:
    """Return the roads (carriageways) a coverage report is about, with their references."""
    query = (
        select(Road)
        .options(selectinload(Road.calibration_points), selectinload(Road.chain_breaks))
        .order_by(Road.code, Road.direction)
    )
    if code is not None:
        query = query.where(Road.code == code.strip().upper())
    roads = list(session.scalars(query))
    if code is not None and not roads:
        raise NotFound(N_("There is no road %(code)s."), code=code)
    return roads


def coverage_report(
    session: Session, period: Period, *, timezone: str, road: str | None = None
) -> CoverageReport:
    """Return the coverage report of a period (on one road code, or every road)."""
    road = road.strip().upper() if road else None
    roads = roads_for(session, road)
    frequencies = frequency_days(session)
    by_road = fetch_intervals(
        session,
        period,
        timezone=timezone,
        road_ids=[r.id for r in roads] if road is not None else None,
    )
    inputs = [
        RoadInput(
            r.id, r.length_m, frequency_of(frequencies, r.road_class)[0], by_road.get(r.id, ())
        )
        for r in roads
    ]
    network = network_coverage(inputs, period, resolution_m=RESOLUTION_M)
    rows: list[RoadRow] = []
    gaps: list[GapRow] = []
    for found, coverage in zip(roads, network.roads, strict=True):
        info = RoadInfo(found.id, found.code, found.name, found.direction, found.road_class)
        every, confirmed = frequency_of(frequencies, found.road_class)
        stretches = tuple(
            StretchRow(info, s, Ranges.of(found, s.from_measure, s.to_measure))
            for s in coverage.stretches
        )
        rows.append(RoadRow(info, every, confirmed, coverage, stretches))
        gaps += [
            GapRow(info, g, Ranges.of(found, g.from_measure, g.to_measure)) for g in coverage.gaps
        ]
    gaps.sort(key=lambda g: gap_order(g.gap.days_since, g.gap.length_m))
    count = sum(len(v) for v in by_road.values())
    return CoverageReport(period, timezone, road, network, tuple(rows), tuple(gaps), count)


def coverage_rate(
    session: Session, period: Period, *, timezone: str, road_ids: Sequence[int] | None = None
) -> tuple[float | None, int]:
    """Return the coverage rate of a period (every road, or some) and the intervals it read."""
    query = select(Road.id, Road.road_class, Road.length_m)
    if road_ids is not None:
        query = query.where(Road.id.in_(road_ids))
    roads = session.execute(query).all()
    frequencies = frequency_days(session)
    by_road = fetch_intervals(session, period, timezone=timezone, road_ids=road_ids)
    inputs = [
        RoadInput(i, length, frequency_of(frequencies, cls)[0], by_road.get(i, ()))
        for i, cls, length in roads
    ]
    network = network_coverage(inputs, period, resolution_m=RESOLUTION_M)
    return network.rate, sum(len(v) for v in by_road.values())


# --------------------------------------------------------------------------- JSON


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _road_fields(road: RoadInfo) -> dict[str, Any]:
    return {"road": road.code, "direction": road.direction}


def _range_dicts(where: Ranges) -> list[dict[str, Any]]:
    return [
        {"text": text, "from_chainage": r.from_chainage, "to_chainage": r.to_chainage}
        for r, text in zip(where.ranges, where.texts, strict=True)
    ]


def stretch_dict(row: StretchRow) -> dict[str, Any]:
    s = row.stretch
    return {
        **_road_fields(row.road),
        "stake_range": row.stake_text,
        "stake_ranges": _range_dicts(row.where),
        "from_chainage": row.ranges[0].from_chainage,
        "to_chainage": row.ranges[-1].to_chainage,
        "from_measure": round(s.from_measure, 1),
        "to_measure": round(s.to_measure, 1),
        "length_m": round(s.length_m, 1),
        "passes": s.passes,
        "days": s.days,
        "last_patrolled_on": _day(s.last_day),
        "last_patrolled_at": _moment(s.last_at),
        "days_since": s.days_since,
        "at_frequency": s.at_frequency,
    }


def gap_dict(row: GapRow) -> dict[str, Any]:
    return {
        **_road_fields(row.road),
        "stake_range": row.stake_text,
        "stake_ranges": _range_dicts(row.where),
        "from_chainage": row.ranges[0].from_chainage,
        "to_chainage": row.ranges[-1].to_chainage,
        "length_m": round(row.gap.length_m, 1),
        "days_since": row.gap.days_since,
    }


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def report_dict(report: CoverageReport) -> dict[str, Any]:
    """Return the report as the JSON API answers it (rates in %, lengths in metres)."""
    return {
        "period": {"from": report.period.first.isoformat(), "to": report.period.last.isoformat()},
        "timezone": report.timezone,
        "road": report.road,
        "rate_pct": _rate(report.rate),
        "network_m": round(report.network_m, 1),
        "at_frequency_m": round(report.at_frequency_m, 1),
        "patrolled_m": round(report.patrolled_m, 1),
        "intervals": report.intervals,
        "roads": [
            {
                **_road_fields(row.road),
                "name": row.road.name,
                "road_class": row.road.road_class,
                "every_days": row.every_days,
                "frequency_confirmed": row.confirmed,
                "length_m": round(row.coverage.length_m, 1),
                "at_frequency_m": round(row.coverage.at_frequency_m, 1),
                "patrolled_m": round(row.coverage.patrolled_m, 1),
                "rate_pct": _rate(row.coverage.rate),
                "stretches": [stretch_dict(s) for s in row.stretches],
            }
            for row in report.roads
        ],
        "gaps": [gap_dict(g) for g in report.gaps],
    }
