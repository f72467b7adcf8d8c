"""The ``patrol_coverage`` collection: computed features, not rows of a table.

Each feature is one stretch of a road in a period (see :mod:`inspection.tracks.coverage`): the
road's centreline between the stretch's measures, with its stake range, passes, days patrolled,
last day patrolled, days since and whether it was patrolled at its road class's frequency.
Stretches never patrolled in the period are features too (passes 0, ``days_since`` null), so a
map shows the whole network.

The period comes from ``datetime`` (its local days, both inclusive, at most 366); without it, the
last 30 days ending yesterday; an open start means 29 days before the end, an open end
yesterday (today is not over).
Feature ids are positions (1, 2, …) in the whole network's list for the period, ordered by road,
direction and measure, so a filter or a bbox never renumbers them; ``/items/{id}`` reads the
default period.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import shapely
from flask import current_app
from shapely.geometry import box, mapping
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspection.errors import N_, ValidationError
from inspection.network.chainage import MetricLine
from inspection.network.models import Road
from inspection.network.services import metric_line_for
from inspection.network.stakes import format_stake
from inspection.ogc.model import COORDINATE_DECIMALS, BadParameter, Context, Feature
from inspection.tracks import coverage_queries
from inspection.tracks.coverage import Period
from inspection.tracks.coverage_inputs import period_of
from inspection.tracks.models import CoveredInterval

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def _bad(message: str, **params: Any) -> BadParameter:
    return BadParameter(
        message, fields={"datetime": N_("Not one of the allowed values.")}, **params
    )


def period_of_interval(
    interval: tuple[datetime | None, datetime | None] | None, context: Context
) -> Period:
    """Return the local days a half-open ``datetime`` interval covers (default: 30 days)."""
    start, stop = interval or (None, None)
    first = start.astimezone(context.timezone).date() if start is not None else None
    last = None
    if stop is not None:
        last = (stop - timedelta(microseconds=1)).astimezone(context.timezone).date()
    for day in (first, last):
        if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise _bad(N_("The datetime must lie between the years 2000 and 2100."))
    try:
        return period_of(first, last, context.today)
    except ValidationError as error:
        raise _bad(error.message, **error.params) from None


def _geometry(line: MetricLine | None, low: float, high: float) -> tuple[str, Any]:
    if line is None:
        return "null", None
    try:
        shape = line.substring(low, high)
    except ValidationError:  # shorter than a millimetre
        return "null", None
    shape = shapely.set_precision(shape, 10**-COORDINATE_DECIMALS)
    return json.dumps(mapping(shape)), shape


def all_features(
    session: Session, period: Period, *, url_root: str = "", bbox=None, filters=()
) -> list[Feature]:
    """Return the stretches of every road in the period as features (ids by position)."""
    timezone = current_app.config["BRANCH_TIMEZONE"]
    report = coverage_queries.coverage_report(session, period, timezone=timezone)
    wanted = dict(filters)
    road_code = wanted.get("road", "").strip().upper() or None
    direction = wanted.get("direction") or None
    area = box(*bbox) if bbox is not None else None
    features: list[Feature] = []
    number = 0
    for row in report.roads:
        chosen = (road_code is None or row.road.code == road_code) and (
            direction is None or row.road.direction == direction
        )
        line = None
        if chosen:
            line = metric_line_for(session.get(Road, row.road.id))  # loaded by the report
        for stretch_row in row.stretches:
            number += 1
            if not chosen:
                continue
            s = stretch_row.stretch
            geometry, shape = _geometry(line, s.from_measure, s.to_measure)
            if area is not None and (shape is None or not shape.intersects(area)):
                continue
            query = {"from": period.first.isoformat(), "to": period.last.isoformat()}
            query["road"] = row.road.code
            features.append(
                Feature(
                    number,
                    geometry,
                    {
                        "road": row.road.code,
                        "direction": row.road.direction,
                        "stake_range": stretch_row.stake_text,
                        "from_stake": format_stake(stretch_row.ranges[0].from_chainage),
                        "to_stake": format_stake(stretch_row.ranges[-1].to_chainage),
                        "length_m": round(s.length_m, 1),
                        "every_days": row.every_days,
                        "passes": s.passes,
                        "days": s.days,
                        "last_patrolled": s.last_day.isoformat() if s.last_day else None,
                        "days_since": s.days_since,
                        "at_frequency": s.at_frequency,
                        "period_from": period.first.isoformat(),
                        "period_to": period.last.isoformat(),
                        "url": f"{url_root}/patrols/coverage?{urlencode(query)}",
                    },
                )
            )
    return features


class CoverageProvider:
    """What the OGC views and queries ask a computed collection for."""

    def features(self, session: Session, query, context: Context, *, url_root: str = ""):
        period = period_of_interval(query.interval, context)
        return all_features(
            session, period, url_root=url_root, bbox=query.bbox, filters=query.filters
        )

    def feature(self, session: Session, fid: int, context: Context, *, url_root: str = ""):
        period = period_of_interval(None, context)
        found = all_features(session, period, url_root=url_root)
        return found[fid - 1] if 1 <= fid <= len(found) else None

    def extent(self, session: Session) -> tuple[tuple | None, tuple | None]:
        """Return the network's bbox and the first and last instants any interval covers."""
        bbox = session.execute(
            select(
                func.ST_XMin(func.ST_Extent(Road.geom)),
                func.ST_YMin(func.ST_Extent(Road.geom)),
                func.ST_XMax(func.ST_Extent(Road.geom)),
                func.ST_YMax(func.ST_Extent(Road.geom)),
            )
        ).one()
        times = session.execute(
            select(func.min(CoveredInterval.started_at), func.max(CoveredInterval.ended_at))
        ).one()
        return (None if bbox[0] is None else tuple(bbox)), tuple(times)


PROVIDER = CoverageProvider()
