"""Read-only aggregates of the annual report: SQL sums and counts over the records, at request time.

Nothing here is stored. Each record table is read by one plain ``GROUP BY`` per period at the
finest grain the report shows (road × month, and kind; patrols road × local day), which
PostgreSQL can run in parallel; :func:`annual.roll_up` adds the groups up into the totals, the
roads and the months. (``GROUPING SETS`` would give the three in one statement, but PostgreSQL
never runs them in parallel, and they were about 50 % slower on a year of a million-row table.)

Time zone: dates count in the branch's time zone. A repair's ``completed_on`` is already a local
date. Timestamps (``started_at``, ``observed_at``, ``found_at``, ``closed_at``) are UTC instants:
the period's bounds, the month and day boundaries and the end of the cut-off day are local
midnights that PostgreSQL turns into instants with ``timezone(:tz, …)`` (= ``AT TIME ZONE``)
once per statement, and each record is placed by comparing its instant with them
(``width_bucket``), so the timestamp indexes serve the range and no row pays for a time-zone
conversion.

Sums are exact: areas are summed as whole hundredths of a m² (``round(area_m2 * 100)``, exact
for areas typed to 0.01 m²), distances as whole metres and material quantities as thousandths,
in double precision whose integer sums are exact below 2⁵³; ``numeric`` sums gave the same
figures at twice the cost. Voided records are left out everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
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
    func,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by, distinct_on
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import Label

from inspection.errors import N_, NotFound
from inspection.hazards.models import Hazard
from inspection.network.models import Road
from inspection.patrols.models import Finding, Patrol
from inspection.repairs.models import Repair, RepairMaterial
from inspection.reports import annual
from inspection.reports.annual import Group, MaterialTotal, Period, ReportRequest, RoadCondition
from inspection.surveys import queries as survey_queries
from inspection.surveys.models import SurveyCampaign, SurveyUnit

SAFETY_INSPECTION = "safety_inspection"
REPAIR_AREA_KEYS = {kind: f"{kind}_area_m2" for kind in ("shoulder", "slope", "pothole")}
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
    """Return road patrols (count, metres) and safety self-inspections started in the period.

    Grouped by road and month, each group with the local days (as numbers: 1 = the period's first
    day) on which a road patrol started, so that days can be counted distinct over any scope; or,
    with ``by_month=False``, one row that counts the distinct days itself.
    """
    day = func.width_bucket(Patrol.started_at, _instant_bounds("day_bounds"))
    rows = select(Patrol.road_id, Patrol.kind, Patrol.patrolled_km, day.label("day")).where(
        Patrol.voided_at.is_(None), _in_period(Patrol.started_at)
    )
    rows = _on_roads(rows, Patrol.road_id, on_roads).subquery("p")
    patrol = rows.c.kind != SAFETY_INSPECTION
    figures = [
        func.count().filter(patrol).label("patrols"),
        func.sum(func.round(rows.c.patrolled_km * KM_SCALE)).filter(patrol).label("metres"),
        func.count().filter(rows.c.kind == SAFETY_INSPECTION).label("safety_inspections"),
    ]
    if not by_month:
        return select(*figures, func.count(rows.c.day.distinct()).filter(patrol).label("days"))
    # A day's month from its number: no patrol is placed a second time.
    bucket = func.width_bucket(rows.c.day, _p("month_first_days", ARRAY(Integer)))
    days = func.array_agg(rows.c.day.distinct()).filter(patrol)
    return select(rows.c.road_id, bucket.label("bucket"), *figures, days.label("days")).group_by(
        rows.c.road_id, "bucket"
    )


@cache
def findings_sql(by_month: bool, on_roads: bool) -> Select:
    """Return the findings observed in the period by road, kind and month (or by kind only)."""
    columns = [Finding.kind]
    if by_month:
        bucket = func.width_bucket(Finding.observed_at, _instant_bounds("month_bounds"))
        columns = [Finding.road_id, Finding.kind, bucket.label("bucket")]
    query = select(*columns, func.count().label("findings")).where(
        Finding.voided_at.is_(None), _in_period(Finding.observed_at)
    )
    return _on_roads(query, Finding.road_id, on_roads).group_by(*_grouping(columns))


@cache
def hazards_sql(by_month: bool, on_roads: bool) -> Select:
    """Return hazards found in the period, closed by the end of the cut-off day, and overdue.

    Overdue = not closed by the cut-off and the deadline before the cut-off day (DESIGN §4).
    Grouped by road and month, or one row.
    """
    closed = Hazard.closed_at < _midnight("cutoff_after_at")
    overdue = and_(or_(Hazard.closed_at.is_(None), ~closed), Hazard.deadline < _p("cutoff", DATE))
    columns = []
    if by_month:
        bucket = func.width_bucket(Hazard.found_at, _instant_bounds("month_bounds"))
        columns = [Hazard.road_id, bucket.label("bucket")]
    query = select(
        *columns,
        func.count().label("hazards_found"),
        func.count().filter(closed).label("hazards_closed"),
        func.count().filter(overdue).label("hazards_overdue"),
    ).where(_in_period(Hazard.found_at))
    query = _on_roads(query, Hazard.road_id, on_roads)
    return query.group_by(*_grouping(columns)) if by_month else query


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
    request: ReportRequest, *, timezone: str, road_ids: Sequence[int] | None = None
) -> dict[str, Statement]:
    """Return every aggregate statement the report runs, by name, with its parameters.

    The ``*_current`` ones are grouped by road and month; the ``*_previous`` ones give the
    previous period's totals. The materials statement comes after the repairs (it needs their
    ids, see :func:`materials_sql`). The benchmark runs these same statements on their own.
    """
    roads = road_ids is not None
    now = period_params(request.period, timezone=timezone, road_ids=road_ids, cutoff=request.cutoff)
    before = period_params(
        request.previous_period,
        timezone=timezone,
        road_ids=road_ids,
        cutoff=request.previous_cutoff,
    )
    return {
        "repairs_current": Statement(repairs_sql(True, roads), now),
        "patrols_current": Statement(patrols_sql(True, roads), now),
        "findings_current": Statement(findings_sql(True, roads), now),
        "hazards_current": Statement(hazards_sql(True, roads), now),
        "repairs_previous": Statement(repairs_sql(False, roads), before),
        "patrols_previous": Statement(patrols_sql(False, roads), before),
        "findings_previous": Statement(findings_sql(False, roads), before),
        "hazards_previous": Statement(hazards_sql(False, roads), before),
    }


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


# --------------------------------------------------------------------------- running them


def _scaled(value: Any, scale: int) -> Decimal | None:
    """Return an integer-valued sum in 1/scale units as an exact Decimal (None stays None)."""
    return None if value is None else Decimal(int(value)) / scale


def _repair_figures(kind: str, area: Any, count: Any) -> dict[str, Any]:
    figures: dict[str, Any] = {REPAIR_AREA_KEYS[kind]: _scaled(area, AREA_SCALE)}
    if kind == "pothole":
        figures["pothole_count"] = count
    return figures


def _patrol_figures(row) -> dict[str, Any]:
    return {
        "patrols": row.patrols,
        "patrol_km": _scaled(row.metres, KM_SCALE),
        "safety_inspections": row.safety_inspections,
    }


def _finding_figures(kind: str, count: int) -> dict[str, Any]:
    return {"findings": count, f"findings_{kind}": count}


def _hazard_figures(row) -> dict[str, Any]:
    return {
        "hazards_found": row.hazards_found,
        "hazards_closed": row.hazards_closed,
        "hazards_overdue": row.hazards_overdue,
    }


def period_aggregates(
    session: Session,
    request: ReportRequest,
    *,
    timezone: str,
    codes: dict[int, str],
    road_ids: Sequence[int] | None = None,
) -> tuple[annual.Aggregates, dict[str, Any], list[MaterialTotal]]:
    """Run the aggregate statements: the current period's groups rolled up, the previous totals.

    `codes` maps road ids to road codes (both carriageways of a road share its code).
    """
    statements = aggregate_statements(request, timezone=timezone, road_ids=road_ids)
    months = request.period.months()
    groups: list[Group] = []
    ids: list[int] = []

    def run(name: str):
        statement = statements[name]
        return session.execute(statement.sql, statement.params)

    for row in run("repairs_current"):
        groups.append(
            Group(
                codes[row.road_id],
                months[row.bucket - 1],
                _repair_figures(row.kind, row.area, row.count),
            )
        )
        ids += (row.first_id, row.last_id)
    for row in run("patrols_current"):
        groups.append(
            Group(codes[row.road_id], months[row.bucket - 1], _patrol_figures(row), row.days)
        )
    for row in run("findings_current"):
        groups.append(
            Group(
                codes[row.road_id], months[row.bucket - 1], _finding_figures(row.kind, row.findings)
            )
        )
    for row in run("hazards_current"):
        groups.append(Group(codes[row.road_id], months[row.bucket - 1], _hazard_figures(row)))
    materials = []
    if ids:
        statement = materials_statement(
            request, timezone=timezone, road_ids=road_ids, ids=(min(ids), max(ids))
        )
        materials = [
            MaterialTotal(row.name, row.unit, _scaled(row.quantity, QUANTITY_SCALE))
            for row in session.execute(statement.sql, statement.params)
        ]

    previous: dict[str, Any] = {}
    for row in run("repairs_previous"):
        previous.update(_repair_figures(row.kind, row.area, row.count))
    row = run("patrols_previous").one()
    previous.update(_patrol_figures(row), patrol_days=row.days)
    for row in run("findings_previous"):
        for key, value in _finding_figures(row.kind, row.findings).items():
            previous[key] = previous.get(key, 0) + value
    previous.update(_hazard_figures(run("hazards_previous").one()))
    return annual.roll_up(groups), previous, materials


def roads_of(session: Session) -> list[tuple[int, str, str]]:
    """Return every road row as (id, code, name), in code and direction order."""
    return [
        tuple(row)
        for row in session.execute(
            select(Road.id, Road.code, Road.name).order_by(Road.code, Road.direction)
        )
    ]


def road_names(session: Session) -> dict[str, str]:
    """Return every road code with its name (the first carriageway's), in code order."""
    names: dict[str, str] = {}
    for _, code, name in roads_of(session):
        names.setdefault(code, name)
    return names


def annual_report(
    session: Session,
    request: ReportRequest,
    *,
    timezone: str,
    now: datetime | None = None,
) -> annual.AnnualReport:
    """Return the report a request asks for, from the records as they stand now."""
    roads = roads_of(session)
    codes = {road_id: code for road_id, code, _ in roads}
    names: dict[str, str] = {}
    for _, code, name in roads:
        names.setdefault(code, name)
    road_ids = None
    if request.road is not None:
        road_ids = [road_id for road_id, code in codes.items() if code == request.road]
        if not road_ids:
            raise NotFound(N_("There is no road %(code)s."), code=request.road)
    current, previous, materials = period_aggregates(
        session, request, timezone=timezone, codes=codes, road_ids=road_ids
    )
    conditions = latest_survey_by_road(
        session, until=request.period.end, road=request.road, since=request.period.start
    )
    return annual.build_report(
        request,
        current=current,
        previous=previous,
        materials=materials,
        conditions=conditions,
        roads=list(names),
        timezone=timezone,
        road_name=names.get(request.road) if request.road else None,
        generated_at=now,
    )


# --------------------------------------------------------------------------- road condition


def latest_survey_by_road(
    session: Session, *, until: date, road: str | None, since: date | None = None
) -> list[RoadCondition]:
    """Return each road and direction's condition from its latest survey ending by `until`.

    Per carriageway (road row), the campaign that ended last on or before `until` (and, with
    `since`, not before it) among those with units on it. Per unit: PCI from its pavement
    records (no record = DR 0 = PCI 100), SCI from its subgrade records when the campaign recorded
    any subgrade item (otherwise SCI was not surveyed and is absent). Road level by
    ``pavement_index.road_summary``: length-weighted PCI and SCI, 优良路率. Voided records are left
    out. No campaign: an empty list.
    """
    latest = (
        select(SurveyUnit.road_id, SurveyCampaign.id)
        .join(SurveyCampaign, SurveyCampaign.id == SurveyUnit.campaign_id)
        .where(SurveyCampaign.ends_on <= until)
        .ext(distinct_on(SurveyUnit.road_id))
        .order_by(SurveyUnit.road_id, SurveyCampaign.ends_on.desc(), SurveyCampaign.id.desc())
    )
    if since is not None:
        latest = latest.where(SurveyCampaign.ends_on >= since)
    if road is not None:
        latest = latest.join(Road, Road.id == SurveyUnit.road_id).where(Road.code == road)
    pairs = [tuple(p) for p in session.execute(latest)]
    if not pairs:
        return []

    # The unit and road figures come from the surveys area itself, so the report and the
    # campaign page can never disagree on a PCI, an SCI or a 优良路率.
    units = session.scalars(
        select(SurveyUnit)
        .where(tuple_(SurveyUnit.road_id, SurveyUnit.campaign_id).in_(pairs))
        .order_by(SurveyUnit.road_id, SurveyUnit.direction, SurveyUnit.seq)
    ).all()
    campaigns = {
        c.id: c
        for c in session.execute(
            select(SurveyCampaign.id, SurveyCampaign.name, SurveyCampaign.ends_on).where(
                SurveyCampaign.id.in_({campaign for _, campaign in pairs})
            )
        )
    }
    conditions = []
    for result in survey_queries.road_results(survey_queries.unit_figures(session, units)):
        summary = result.summary
        campaign = campaigns[result.units[0].unit.campaign_id]
        conditions.append(
            RoadCondition(
                road=result.road.code,
                direction=result.direction,
                campaign_id=campaign.id,
                campaign=campaign.name,
                ends_on=campaign.ends_on,
                length_m=summary.length_m,
                pci=summary.pci,
                sci=summary.sci,
                excellent_good_pct=summary.excellent_good_pct,
                pci_grade=summary.pci_grade.value if summary.pci_grade else None,
                not_measured=summary.not_measured,
            )
        )
    return conditions
