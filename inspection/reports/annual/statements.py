"""The SQL aggregate statements of the annual report, built once, and their parameters.

Nothing here is stored. Each record table is read by one plain ``GROUP BY`` per period at the
finest grain the report shows (road × month, and kind; patrols road × local day), which
PostgreSQL can run in parallel; :func:`annual.roll_up` adds the groups up into the totals, the
roads and the months. (``GROUPING SETS`` would give the three in one statement, but PostgreSQL
never runs them in parallel, and they were about 50 % slower on a year of a million-row table.)

Time zone: dates count in the branch's time zone. A repair's ``completed_on``, an inspection's
``started_on`` and a campaign's ``ends_on`` are already local dates. Timestamps (``started_at``,
``observed_at``, ``found_at``, ``closed_at``) are UTC instants: the period's bounds, the month and
day boundaries and the end of the cut-off day are local midnights that PostgreSQL turns into
instants with ``timezone(:tz, …)`` (= ``AT TIME ZONE``) once per statement, and each record is
placed by comparing its instant with them (``width_bucket``), so the timestamp indexes serve the
range and no row pays for a time-zone conversion.

Sums are exact: areas are summed as whole hundredths of a m² (``round(area_m2 * 100)``, exact
for areas typed to 0.01 m²), distances as whole metres and material quantities as thousandths,
in double precision whose integer sums are exact below 2⁵³; ``numeric`` sums gave the same
figures at twice the cost. Voided records are left out everywhere.

A hazard is at a road stake or at a site; by road it counts on its own road or on the road its
site stands at (``coalesce``), and a site on no road counts in no road's row. An inspection
covers sites and road sections: it is counted once, by its kind and start date, never by road;
for a report on one road, the inspections whose scope has a section of the road or a site on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    DATE,
    TIMESTAMP,
    Integer,
    String,
    and_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import Label

from inspection.hazards.models import Hazard, HazardEvent
from inspection.inspections.models import Inspection, InspectionSection, InspectionSite
from inspection.patrols.models import Finding, Patrol
from inspection.repairs.models import Repair, RepairMaterial
from inspection.reports.annual import rollups
from inspection.reports.annual.metrics import HAZARD_FINDING_KIND
from inspection.reports.annual.request import Period, ReportRequest
from inspection.sites.models import Site
from inspection.surveys.models import SurveyCampaign, SurveyUnit

AREA_SCALE, KM_SCALE, QUANTITY_SCALE = 100, 1000, 1000


# --------------------------------------------------------------------------- parameters
# Each statement's shape is built once (per variant) with named parameters, and every request
# only fills in the values: building SQLAlchemy expressions costs more than the smaller queries.


@dataclass(frozen=True)
class Statement:
    """A statement and the values of its parameters."""

    sql: Select
    params: dict[str, Any]


def _p(name: str, type_: Any = None):
    return bindparam(name, type_=type_)


def _midnight(name: str):
    """Return the instant a local day starts, computed by PostgreSQL: timezone(:tz, :day 00:00)."""
    return func.timezone(_p("tz", String), _p(name, TIMESTAMP))


def _in_period(column):
    """Return `column` (timestamptz) within the local days of the period, both inclusive."""
    return and_(column >= _midnight("start_at"), column < _midnight("after_at"))


def _instant_bounds(name: str):
    """Return (as one scalar subquery, run once) the instants the local days `name` start at."""
    day = func.unnest(_p(name, ARRAY(DATE))).table_valued("day").render_derived()
    instant = func.timezone(_p("tz", String), cast(day.c.day, TIMESTAMP))
    return select(func.array_agg(aggregate_order_by(instant, day.c.day))).scalar_subquery()


def month_starts(period: Period) -> list[date]:
    """Return the boundaries of the period's months: its start, each 1st inside it, the day after.

    Bucket i (1-based) of ``width_bucket`` against them is ``period.months()[i - 1]``.
    """
    bounds = [period.start]
    year, month = period.start.year, period.start.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        first = date(year, month, 1)
        if first > period.end:
            break
        bounds.append(first)
    return [*bounds, period.end + timedelta(days=1)]


def day_starts(period: Period) -> list[date]:
    """Return every day of the period and the day after it (bucket i is start + i − 1 days)."""
    count = (period.end - period.start).days + 2
    return [period.start + timedelta(days=i) for i in range(count)]


def _midnight_value(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def period_params(
    period: Period, *, timezone: str, road_ids: Sequence[int] | None, cutoff: date | None = None
) -> dict[str, Any]:
    """Return the parameter values of a period's statements."""
    params: dict[str, Any] = {
        "tz": timezone,
        "start": period.start,
        "end": period.end,
        "start_at": _midnight_value(period.start),
        "after_at": _midnight_value(period.end + timedelta(days=1)),
        "month_bounds": month_starts(period),
        "day_bounds": day_starts(period),
        "month_first_days": [(d - period.start).days + 1 for d in month_starts(period)],
    }
    if road_ids is not None:
        params["road_ids"] = list(road_ids)
    if cutoff is not None:
        params["cutoff"] = cutoff
        params["cutoff_after_at"] = _midnight_value(cutoff + timedelta(days=1))
    return params


def _grouping(columns: list) -> list:
    """Return GROUP BY items: labelled expressions by their label."""
    # Repeated in GROUP BY, an expression's parameters (the boundaries) would be sent again, and
    # PostgreSQL could not tell that it is the expression of the select list.
    return [c.name if isinstance(c, Label) else c for c in columns]


def _on_roads(query: Select, column, on_roads: bool) -> Select:
    return query.where(column.in_(bindparam("road_ids", expanding=True))) if on_roads else query


# --------------------------------------------------------------------------- statements


@cache
def repairs_sql(by_month: bool, on_roads: bool) -> Select:
    """Return the area (hundredths of m²) and pothole count of repairs completed in the period.

    Grouped by road, kind and month, with the smallest and largest repair id of each group (for
    :func:`materials_sql`), or (``by_month=False``) by kind only.
    """
    columns = [Repair.kind]
    extra = []
    if by_month:
        bucket = func.width_bucket(Repair.completed_on, _p("month_bounds", ARRAY(DATE)))
        columns = [Repair.road_id, Repair.kind, bucket.label("bucket")]
        extra = [func.min(Repair.id).label("first_id"), func.max(Repair.id).label("last_id")]
    query = select(
        *columns,
        func.sum(func.round(Repair.area_m2 * AREA_SCALE)).label("area"),
        func.sum(Repair.count).label("count"),
        *extra,
    ).where(
        Repair.voided_at.is_(None),
        Repair.completed_on >= _p("start", DATE),
        Repair.completed_on <= _p("end", DATE),
    )
    return _on_roads(query, Repair.road_id, on_roads).group_by(*_grouping(columns))


@cache
def patrols_sql(by_month: bool, on_roads: bool) -> Select:
    """Return road patrols (count, metres) started in the period.

    Grouped by road and month, each group with the local days (as numbers: 1 = the period's first
    day) on which a road patrol started, so that days can be counted distinct over any scope; or,
    with ``by_month=False``, one row that counts the distinct days itself.
    """
    day = func.width_bucket(Patrol.started_at, _instant_bounds("day_bounds"))
    rows = select(Patrol.road_id, Patrol.patrolled_km, Patrol.track_km, day.label("day")).where(
        Patrol.voided_at.is_(None), _in_period(Patrol.started_at)
    )
    rows = _on_roads(rows, Patrol.road_id, on_roads).subquery("p")
    # A patrol with a track counts its track's distance; one without, the typed distance.
    tracked = rows.c.track_km.is_not(None)
    typed = rows.c.track_km.is_(None)
    figures = [
        func.count().label("patrols"),
        func.sum(func.round(func.coalesce(rows.c.track_km, rows.c.patrolled_km) * KM_SCALE)).label(
            "metres"
        ),
        func.sum(func.round(rows.c.track_km * KM_SCALE)).label("track_metres"),
        func.sum(func.round(rows.c.patrolled_km * KM_SCALE)).filter(typed).label("typed_metres"),
        func.count().filter(tracked).label("tracked"),
        func.count().filter(and_(typed, rows.c.patrolled_km.is_not(None))).label("typed"),
    ]
    if not by_month:
        return select(*figures, func.count(rows.c.day.distinct()).label("days"))
    # A day's month from its number: no patrol is placed a second time.
    bucket = func.width_bucket(rows.c.day, _p("month_first_days", ARRAY(Integer)))
    days = func.array_agg(rows.c.day.distinct())
    return select(rows.c.road_id, bucket.label("bucket"), *figures, days.label("days")).group_by(
        rows.c.road_id, "bucket"
    )


@cache
def findings_sql(by_month: bool, on_roads: bool) -> Select:
    """Return the 病害 observed in the period by road, kind and month (or by kind only).

    Safety-hazard findings are left out: each raised a hazard, which is counted as a hazard.
    """
    columns = [Finding.kind]
    if by_month:
        bucket = func.width_bucket(Finding.observed_at, _instant_bounds("month_bounds"))
        columns = [Finding.road_id, Finding.kind, bucket.label("bucket")]
    query = select(*columns, func.count().label("findings")).where(
        Finding.voided_at.is_(None),
        Finding.kind != HAZARD_FINDING_KIND,
        _in_period(Finding.observed_at),
    )
    return _on_roads(query, Finding.road_id, on_roads).group_by(*_grouping(columns))


def _hazard_road():
    """The road a hazard counts on: its own, or the one its site stands at (or none)."""
    return func.coalesce(Hazard.road_id, Site.road_id)


@cache
def hazards_sql(by_month: bool, on_roads: bool) -> Select:
    """Return hazards found in the period, closed by the end of the cut-off day, and overdue.

    Overdue = not closed by the cut-off and the deadline before the cut-off day (DESIGN §4).
    Grouped by source, location type (``road`` or the site's kind) and category, and by road
    and month (or not).
    """
    closed = Hazard.closed_at < _midnight("cutoff_after_at")
    overdue = and_(or_(Hazard.closed_at.is_(None), ~closed), Hazard.deadline < _p("cutoff", DATE))
    columns = [
        Hazard.source,
        func.coalesce(Site.kind, literal("road", String)).label("location"),
        Hazard.category,
    ]
    if by_month:
        bucket = func.width_bucket(Hazard.found_at, _instant_bounds("month_bounds"))
        columns = [_hazard_road().label("hazard_road"), bucket.label("bucket"), *columns]
    query = (
        select(
            *columns,
            func.count().label("found"),
            func.count().filter(closed).label("closed"),
            func.count().filter(overdue).label("overdue"),
        )
        .outerjoin(Site, Site.id == Hazard.site_id)
        .where(_in_period(Hazard.found_at))
    )
    return _on_roads(query, _hazard_road(), on_roads).group_by(*_grouping(columns))


@cache
def carried_over_sql(on_roads: bool) -> Select:
    """Return the hazards carried over: found before the period, open when it began, closed in it.

    Closed in the period and by the end of the cut-off day, and not reopened since (``closed_at``
    is cleared on reopening). Open when the period began = the hazard's last audit event before
    it did not leave it closed (a hazard closed before the period and reopened in it was not
    open at its start; it is not carried over).
    """
    state_at_start = (
        select(HazardEvent.to_state)
        .where(HazardEvent.hazard_id == Hazard.id, HazardEvent.at < _midnight("start_at"))
        .order_by(HazardEvent.seq.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(func.count().label("carried_over"))
        .select_from(Hazard)
        .outerjoin(Site, Site.id == Hazard.site_id)
        .where(
            Hazard.found_at < _midnight("start_at"),
            Hazard.closed_at >= _midnight("start_at"),
            Hazard.closed_at < _midnight("after_at"),
            Hazard.closed_at < _midnight("cutoff_after_at"),
            func.coalesce(state_at_start, "reported") != "closed",
        )
    )
    return _on_roads(query, _hazard_road(), on_roads)


def _on_roads_scope(query: Select, on_roads: bool) -> Select:
    """Keep the inspections whose scope has a section of the roads or a site on them."""
    if not on_roads:
        return query
    roads = bindparam("road_ids", expanding=True)
    section = exists().where(
        InspectionSection.inspection_id == Inspection.id, InspectionSection.road_id.in_(roads)
    )
    site = exists().where(
        InspectionSite.inspection_id == Inspection.id,
        Site.id == InspectionSite.site_id,
        Site.road_id.in_(roads),
    )
    return query.where(or_(section, site))


@cache
def inspections_sql(by_month: bool, on_roads: bool) -> Select:
    """Return the self-inspections started in the period by kind (and month): each counts once."""
    columns = [Inspection.kind]
    if by_month:
        bucket = func.width_bucket(Inspection.started_on, _p("month_bounds", ARRAY(DATE)))
        columns = [Inspection.kind, bucket.label("bucket")]
    query = select(*columns, func.count().label("inspections")).where(
        Inspection.voided_at.is_(None),
        Inspection.started_on >= _p("start", DATE),
        Inspection.started_on <= _p("end", DATE),
    )
    return _on_roads_scope(query, on_roads).group_by(*_grouping(columns))


@cache
def surveys_sql(on_roads: bool) -> Select:
    """Return how many pavement condition survey campaigns ended in the period (组织路况普查N次)."""
    query = select(func.count().label("surveys")).where(
        SurveyCampaign.ends_on >= _p("start", DATE), SurveyCampaign.ends_on <= _p("end", DATE)
    )
    if on_roads:
        query = query.where(
            exists().where(
                SurveyUnit.campaign_id == SurveyCampaign.id,
                SurveyUnit.road_id.in_(bindparam("road_ids", expanding=True)),
            )
        )
    return query


@cache
def materials_sql(on_roads: bool) -> Select:
    """Return the quantity (thousandths) of each material (name, unit) the period's repairs used.

    ``first_id``/``last_id`` are the smallest and largest id of those repairs (from
    :func:`repairs_sql`): a range of ``repair_id`` that holds all their materials. It changes no
    figure (the join still picks the repairs), but lets PostgreSQL read the materials by their
    index: repairs are stored about when they are done, so a year's materials lie together, while
    without the range the planner reads every material ever recorded.
    """
    query = (
        select(
            RepairMaterial.name,
            RepairMaterial.unit,
            func.sum(func.round(RepairMaterial.quantity * QUANTITY_SCALE)).label("quantity"),
        )
        .join(Repair, Repair.id == RepairMaterial.repair_id)
        .where(
            RepairMaterial.repair_id.between(_p("first_id"), _p("last_id")),
            Repair.voided_at.is_(None),
            Repair.completed_on >= _p("start", DATE),
            Repair.completed_on <= _p("end", DATE),
        )
        .group_by(RepairMaterial.name, RepairMaterial.unit)
    )
    return _on_roads(query, Repair.road_id, on_roads)


def aggregate_statements(
    request: ReportRequest,
    *,
    timezone: str,
    road_ids: Sequence[int] | None = None,
    rollup_zone: str | None = None,
) -> dict[str, Statement]:
    """Return every aggregate statement the report runs, by name, with its parameters.

    The ``*_current`` ones are grouped by road and month; the ``*_previous`` ones give the
    previous period's totals. The materials statement comes after the repairs (it needs their
    ids, see :func:`materials_sql`). The benchmark runs these same statements on their own.

    With `rollup_zone` (the time zone of the database's roll-ups, :mod:`.rollups`), a period
    the roll-ups give exactly (whole months, the same time zone) reads them instead, and then
    its materials come as ``materials_current`` (no ids needed). Without it, the records.
    """
    roads = road_ids is not None
    now = period_params(request.period, timezone=timezone, road_ids=road_ids, cutoff=request.cutoff)
    before = period_params(
        request.previous_period,
        timezone=timezone,
        road_ids=road_ids,
        cutoff=request.previous_cutoff,
    )
    statements = {
        "repairs_current": Statement(repairs_sql(True, roads), now),
        "patrols_current": Statement(patrols_sql(True, roads), now),
        "findings_current": Statement(findings_sql(True, roads), now),
        "hazards_current": Statement(hazards_sql(True, roads), now),
        "inspections_current": Statement(inspections_sql(True, roads), now),
        "carried_over_current": Statement(carried_over_sql(roads), now),
        "surveys_current": Statement(surveys_sql(roads), now),
        "repairs_previous": Statement(repairs_sql(False, roads), before),
        "patrols_previous": Statement(patrols_sql(False, roads), before),
        "findings_previous": Statement(findings_sql(False, roads), before),
        "hazards_previous": Statement(hazards_sql(False, roads), before),
        "inspections_previous": Statement(inspections_sql(False, roads), before),
        "carried_over_previous": Statement(carried_over_sql(roads), before),
        "surveys_previous": Statement(surveys_sql(roads), before),
    }
    for suffix, period, params, cutoff in (
        ("current", request.period, now, request.cutoff),
        ("previous", request.previous_period, before, request.previous_cutoff),
    ):
        if rollups.usable(period, timezone=timezone, zone=rollup_zone):
            statements.update(_rollup_statements(suffix, period, params, cutoff, roads))
    return statements


def _rollup_statements(
    suffix: str, period: Period, params: dict[str, Any], cutoff: date, roads: bool
) -> dict[str, Statement]:
    """Return the statements of one period that read the roll-ups (same names and columns)."""
    params = {**params, **rollups.rollup_params(period, cutoff)}
    by_month = suffix == "current"
    found = {
        f"repairs_{suffix}": Statement(rollups.repairs_sql(by_month, roads), params),
        f"patrols_{suffix}": Statement(rollups.patrols_sql(by_month, roads), params),
        f"findings_{suffix}": Statement(rollups.findings_sql(by_month, roads), params),
        f"hazards_{suffix}": Statement(rollups.hazards_sql(by_month, roads), params),
        f"carried_over_{suffix}": Statement(rollups.carried_over_sql(roads), params),
    }
    if by_month:
        found["materials_current"] = Statement(rollups.materials_sql(roads), params)
    return found


def materials_statement(
    request: ReportRequest,
    *,
    timezone: str,
    road_ids: Sequence[int] | None,
    ids: tuple[int, int],
) -> Statement:
    """Return the materials statement of the period whose repairs have ids within `ids`."""
    params = period_params(request.period, timezone=timezone, road_ids=road_ids)
    params.update(first_id=ids[0], last_id=ids[1])
    return Statement(materials_sql(road_ids is not None), params)
