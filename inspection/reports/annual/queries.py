"""Run the annual report's aggregate statements and build the report from the records.

The statements themselves are in :mod:`.statements` (their names are re-exported here for the
benchmark and the tests). This module runs them on a session, turns their rows into the groups
:func:`annual.roll_up` adds up, reads the road list and each road's condition from its latest
survey, and builds the report (:func:`annual_report`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

from inspection.errors import N_, NotFound
from inspection.network.models import Road
from inspection.reports.annual.metrics import HAZARD_SOURCE_WORDS
from inspection.reports.annual.model import (
    Aggregates,
    AnnualReport,
    Group,
    MaterialTotal,
    RoadCondition,
    build_report,
    roll_up,
)
from inspection.reports.annual.request import ReportRequest
from inspection.reports.annual.rollups import rollup_zone, warn_if_zones_differ
from inspection.reports.annual.statements import (
    AREA_SCALE,
    KM_SCALE,
    QUANTITY_SCALE,
    Statement,
    aggregate_statements,
    day_starts,
    materials_statement,
    month_starts,
    period_params,
)
from inspection.surveys import queries as survey_queries
from inspection.surveys.models import SurveyCampaign, SurveyUnit

__all__ = [
    "Statement",
    "aggregate_statements",
    "annual_report",
    "day_starts",
    "latest_survey_by_road",
    "materials_statement",
    "month_starts",
    "period_aggregates",
    "period_params",
    "road_names",
    "roads_of",
]

REPAIR_AREA_KEYS = {kind: f"{kind}_area_m2" for kind in ("shoulder", "slope", "pothole")}
SELF_INSPECTION = "self_inspection"
assert SELF_INSPECTION in HAZARD_SOURCE_WORDS


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
        "patrol_km_tracks": _scaled(row.track_metres, KM_SCALE),
        "patrol_km_typed": _scaled(row.typed_metres, KM_SCALE),
        "patrols_tracked": row.tracked,
        "patrols_typed": row.typed,
    }


def _coverage_rate(
    session: Session, period, *, timezone: str, road_ids: Sequence[int] | None
) -> Decimal | None:
    """Return the patrol coverage rate (%) of a period; None when no track was recorded in it."""
    from inspection.tracks.coverage import Period as Days
    from inspection.tracks.coverage_queries import coverage_rate

    rate, intervals = coverage_rate(
        session, Days(period.start, period.end), timezone=timezone, road_ids=road_ids
    )
    return None if not intervals or rate is None else Decimal(repr(rate)) * 100


def _finding_figures(kind: str, count: int) -> dict[str, Any]:
    return {"findings": count, f"findings_{kind}": count}


def _hazard_figures(row) -> dict[str, Any]:
    """Return one hazard group's figures: overall, self-inspection, by source/place/category."""
    figures = {
        "hazards_found": row.found,
        "hazards_closed": row.closed,
        "hazards_overdue": row.overdue,
        f"hazards_source_{row.source}": row.found,
        f"hazards_location_{row.location}": row.found,
        f"hazards_category_{row.category}": row.found,
    }
    if row.source == SELF_INSPECTION:
        figures.update(self_hazards_found=row.found, self_hazards_closed=row.closed)
    return figures


def _inspection_figures(kind: str, count: int) -> dict[str, Any]:
    return {"inspections": count, f"inspections_{kind}": count}


def _add(totals: dict[str, Any], figures: dict[str, Any]) -> None:
    for key, value in figures.items():
        if value is not None:
            totals[key] = value if totals.get(key) is None else totals[key] + value


def period_aggregates(
    session: Session,
    request: ReportRequest,
    *,
    timezone: str,
    codes: dict[int, str],
    road_ids: Sequence[int] | None = None,
) -> tuple[Aggregates, dict[str, Any], list[MaterialTotal]]:
    """Run the aggregate statements: the current period's groups rolled up, the previous totals.

    `codes` maps road ids to road codes (both carriageways of a road share its code). Figures of
    no road (inspections, surveys, hazards at sites on no road) and of no month (surveys,
    carried-over hazards) count in the totals only, or in their month only.
    """
    # The roll-ups serve the periods they give exactly; the others read the records (.rollups).
    zone = rollup_zone(session)
    warn_if_zones_differ(zone, timezone)
    statements = aggregate_statements(
        request, timezone=timezone, road_ids=road_ids, rollup_zone=zone
    )
    months = request.period.months()
    groups: list[Group] = []
    ids: list[int] = []

    def run(name: str):
        statement = statements[name]
        return session.execute(statement.sql, statement.params)

    def road(road_id: int | None) -> str | None:
        return None if road_id is None else codes[road_id]

    for row in run("repairs_current"):
        groups.append(
            Group(
                codes[row.road_id],
                months[row.bucket - 1],
                _repair_figures(row.kind, row.area, row.count),
            )
        )
        if "materials_current" not in statements:
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
        groups.append(Group(road(row.hazard_road), months[row.bucket - 1], _hazard_figures(row)))
    for row in run("inspections_current"):
        groups.append(
            Group(None, months[row.bucket - 1], _inspection_figures(row.kind, row.inspections))
        )
    carried = run("carried_over_current").scalar_one()
    surveys = run("surveys_current").scalar_one()
    groups.append(Group(None, None, {"hazards_carried_over": carried, "surveys": surveys}))
    materials = []
    if "materials_current" in statements:
        materials = [
            MaterialTotal(row.name, row.unit, _scaled(row.quantity, QUANTITY_SCALE))
            for row in run("materials_current")
        ]
    elif ids:
        statement = materials_statement(
            request, timezone=timezone, road_ids=road_ids, ids=(min(ids), max(ids))
        )
        materials = [
            MaterialTotal(row.name, row.unit, _scaled(row.quantity, QUANTITY_SCALE))
            for row in session.execute(statement.sql, statement.params)
        ]

    previous: dict[str, Any] = {}
    for row in run("repairs_previous"):
        _add(previous, _repair_figures(row.kind, row.area, row.count))
    row = run("patrols_previous").one()
    previous.update(_patrol_figures(row), patrol_days=row.days)
    for row in run("findings_previous"):
        _add(previous, _finding_figures(row.kind, row.findings))
    for row in run("hazards_previous"):
        _add(previous, _hazard_figures(row))
    for row in run("inspections_previous"):
        _add(previous, _inspection_figures(row.kind, row.inspections))
    previous["hazards_carried_over"] = run("carried_over_previous").scalar_one()
    previous["surveys"] = run("surveys_previous").scalar_one()
    previous["coverage_rate"] = _coverage_rate(
        session, request.previous_period, timezone=timezone, road_ids=road_ids
    )
    current = roll_up(groups)
    coverage = _coverage_rate(session, request.period, timezone=timezone, road_ids=road_ids)
    current = Aggregates(
        {**current.total, "coverage_rate": coverage}, current.by_road, current.by_month
    )
    return current, previous, materials


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
) -> AnnualReport:
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
    return build_report(
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
