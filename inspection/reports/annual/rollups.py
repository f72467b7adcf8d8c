"""The annual report's statements over the roll-ups the database keeps (migration 0016).

The roll-up tables hold, per local month (patrols: per local day) and per road and kind, the
same exact integer sums the statements in :mod:`.statements` take over the records, kept by
triggers in the records' own transactions. Each statement here returns the same columns as its
counterpart there, so the report reads either the same way.

When they are used (and when not) — :func:`usable`:

* the period must be **whole months** (a year, a month, a range from a 1st to a month's last
  day): the roll-ups do not know the day of a record in a month, except patrols (by day) and a
  hazard's closing and deadline (by day); a range that starts or ends inside a month reads the
  records (``statements``), every figure of it;
* the report's time zone must be the one the roll-ups were made in
  (``report_rollup_settings.timezone``); otherwise the records are read;
* the filters are those the roll-up keys carry: the road (hazards: their own road or their
  site's, read from ``sites`` at report time) — the report has no other filter today. A new
  filter the keys do not hold (direction, crew…) must send the report back to ``statements``.

Self-inspections and survey campaigns are few (hundreds a year) and always read from their
tables. Hazards carried over need each hazard's state when the period began, which is in the
audit events: the roll-up counts those closed in the period and found before it, less those
(read from the records) that were closed at the period's start and reopened since — only a
hazard that left ``closed`` at least once can be one (``ix_hazard_events_left_closed``).
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from inspection.reports.annual.metrics import HAZARD_FINDING_KIND
from inspection.reports.annual.request import Period

logger = logging.getLogger(__name__)
ROLLUP_TABLES = (
    "report_repairs_monthly",
    "report_materials_monthly",
    "report_findings_monthly",
    "report_patrols_daily",
    "report_hazards_monthly",
    "report_hazard_days",
)


def rollup_zone(session: Session) -> str | None:
    """Return the time zone the roll-ups are kept in (None: no roll-ups in this database)."""
    exists = session.execute(text("SELECT to_regclass('report_rollup_settings')")).scalar()
    if exists is None:
        return None
    return session.execute(text("SELECT timezone FROM report_rollup_settings")).scalar()


_warned: set[tuple[str, str]] = set()


def warn_if_zones_differ(zone: str | None, timezone: str) -> None:
    """Log once per process when the roll-ups are kept in another zone than the branch's: the
    report is then read from the records (right, but slow at scale) until they are rebuilt."""
    if zone is None or zone == timezone or (zone, timezone) in _warned:
        return
    _warned.add((zone, timezone))
    logger.warning(
        "The report's roll-ups are kept in time zone %s, the branch's is %s: the annual report"
        " reads the records until `flask report rebuild-rollups` is run.",
        zone,
        timezone,
    )


def whole_months(period: Period) -> bool:
    """Return whether a period starts on a 1st and ends on the last day of a month."""
    from datetime import timedelta

    return period.start.day == 1 and (period.end + timedelta(days=1)).day == 1


def usable(period: Period, *, timezone: str, zone: str | None) -> bool:
    """Return whether the roll-ups give the period's figures exactly (see the module's notes)."""
    return zone is not None and zone == timezone and whole_months(period)


def rollup_params(period: Period, cutoff=None) -> dict[str, Any]:
    """Return the extra parameters of the roll-up statements of a period."""
    params: dict[str, Any] = {"first_month": period.start.year * 12 + period.start.month}
    if cutoff is not None:
        params["last_closing"] = min(period.end, cutoff)
    return params


# A month's (or day's) bucket: 1 = the period's first month, as width_bucket gives it there.
def _bucket(column: str) -> str:
    return (
        f"(date_part('year', {column})::int * 12 + date_part('month', {column})::int"
        " - :first_month + 1)"
    )


def _roads(column: str, on_roads: bool) -> str:
    return f" AND {column} IN :road_ids" if on_roads else ""


def _text(sql: str, on_roads: bool):
    clause = text(sql)
    if on_roads:
        clause = clause.bindparams(bindparam("road_ids", expanding=True))
    return clause


_MONTHS = "month BETWEEN :start AND :end"


@cache
def repairs_sql(by_month: bool, on_roads: bool):
    """Return repairs' area (hundredths) and pothole count by road, kind and month (or kind)."""
    keys = f"road_id, kind, {_bucket('month')}" if by_month else "kind"
    select_keys = f"road_id, kind, {_bucket('month')} AS bucket" if by_month else "kind"
    return _text(
        f"SELECT {select_keys},"
        " CASE WHEN sum(areas) > 0 THEN sum(area)::bigint END AS area,"
        " CASE WHEN sum(counts) > 0 THEN sum(count)::bigint END AS count"
        f" FROM report_repairs_monthly WHERE {_MONTHS}{_roads('road_id', on_roads)}"
        f" GROUP BY {keys} HAVING sum(records) > 0",
        on_roads,
    )


@cache
def materials_sql(on_roads: bool):
    """Return the quantity (thousandths) of each material the period's repairs used."""
    return _text(
        "SELECT name, unit, sum(quantity)::bigint AS quantity FROM report_materials_monthly"
        f" WHERE {_MONTHS}{_roads('road_id', on_roads)}"
        " GROUP BY name, unit HAVING sum(records) > 0",
        on_roads,
    )


@cache
def findings_sql(by_month: bool, on_roads: bool):
    """Return the 病害 (safety-hazard findings left out) by road, kind and month (or kind)."""
    keys = f"road_id, kind, {_bucket('month')}" if by_month else "kind"
    select_keys = f"road_id, kind, {_bucket('month')} AS bucket" if by_month else "kind"
    return _text(
        f"SELECT {select_keys}, sum(records)::bigint AS findings FROM report_findings_monthly"
        f" WHERE {_MONTHS} AND kind <> '{HAZARD_FINDING_KIND}'{_roads('road_id', on_roads)}"
        f" GROUP BY {keys} HAVING sum(records) > 0",
        on_roads,
    )


_PATROL_FIGURES = (
    "coalesce(sum(patrols), 0)::bigint AS patrols,"
    " CASE WHEN sum(measured) > 0 THEN sum(metres)::bigint END AS metres,"
    " CASE WHEN sum(tracked) > 0 THEN sum(track_metres)::bigint END AS track_metres,"
    " CASE WHEN sum(typed) > 0 THEN sum(typed_metres)::bigint END AS typed_metres,"
    " coalesce(sum(tracked), 0)::bigint AS tracked, coalesce(sum(typed), 0)::bigint AS typed"
)


@cache
def patrols_sql(by_month: bool, on_roads: bool):
    """Return road patrols by road and month with their days (numbers), or one row in all."""
    where = "FROM report_patrols_daily WHERE day BETWEEN :start AND :end AND patrols > 0" + _roads(
        "road_id", on_roads
    )
    if not by_month:
        return _text(f"SELECT {_PATROL_FIGURES}, count(DISTINCT day) AS days {where}", on_roads)
    return _text(
        f"SELECT road_id, {_bucket('day')} AS bucket, {_PATROL_FIGURES},"
        " array_agg(day - CAST(:start AS date) + 1) AS days"
        f" {where} GROUP BY road_id, {_bucket('day')}",
        on_roads,
    )


@cache
def hazards_sql(by_month: bool, on_roads: bool):
    """Return hazards found in the period, closed by the cut-off and overdue at it, grouped."""
    keys = "f.source, coalesce(s.kind, 'road'), f.category"
    if by_month:
        keys = f"r.hazard_road, {_bucket('f.month')}, " + keys
    select_keys = "f.source, coalesce(s.kind, 'road') AS location, f.category"
    if by_month:
        select_keys = f"r.hazard_road, {_bucket('f.month')} AS bucket, " + select_keys
    group_keys = "month, road_id, site_id, source, category"
    return _text(
        f"WITH found AS (SELECT {group_keys}, sum(found) AS found FROM report_hazards_monthly"
        f" WHERE {_MONTHS} GROUP BY {group_keys} HAVING sum(found) > 0),"
        f" later AS (SELECT {group_keys}, sum(closed) AS closed, sum(overdue) AS overdue"
        f" FROM report_hazard_days WHERE {_MONTHS} AND day <= :cutoff GROUP BY {group_keys})"
        f" SELECT {select_keys}, sum(f.found)::bigint AS found,"
        " coalesce(sum(l.closed), 0)::bigint AS closed,"
        " coalesce(sum(l.overdue), 0)::bigint AS overdue"
        f" FROM found AS f LEFT JOIN later AS l USING ({group_keys})"
        " LEFT JOIN sites AS s ON s.id = nullif(f.site_id, 0),"
        " LATERAL (SELECT coalesce(nullif(f.road_id, 0), s.road_id) AS hazard_road) AS r"
        f" WHERE true{_roads('r.hazard_road', on_roads)}"
        f" GROUP BY {keys}",
        on_roads,
    )


_MIDNIGHT = "timezone(CAST(:tz AS text), CAST(:{} AS timestamp))"


@cache
def carried_over_sql(on_roads: bool):
    """Return the hazards carried over into the period (see the module's notes)."""
    start, after, cutoff = (
        _MIDNIGHT.format(n) for n in ("start_at", "after_at", "cutoff_after_at")
    )
    return _text(
        "SELECT (SELECT coalesce(sum(d.closed), 0) FROM report_hazard_days AS d"
        " LEFT JOIN sites AS s ON s.id = nullif(d.site_id, 0)"
        " WHERE d.closed <> 0 AND d.day BETWEEN :start AND :last_closing AND d.month < :start"
        f"{_roads('coalesce(nullif(d.road_id, 0), s.road_id)', on_roads)})"
        " - (SELECT count(*) FROM hazards AS h LEFT JOIN sites AS s ON s.id = h.site_id"
        " WHERE h.id IN (SELECT hazard_id FROM hazard_events WHERE from_state = 'closed')"
        f" AND h.found_at < {start} AND h.closed_at >= {start} AND h.closed_at < {after}"
        f" AND h.closed_at < {cutoff}"
        " AND (SELECT e.to_state FROM hazard_events AS e WHERE e.hazard_id = h.id"
        f" AND e.at < {start} ORDER BY e.seq DESC LIMIT 1) = 'closed'"
        f"{_roads('coalesce(h.road_id, s.road_id)', on_roads)}) AS carried_over",
        on_roads,
    )
