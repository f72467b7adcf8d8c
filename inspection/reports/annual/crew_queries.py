"""Read the crew-safety records for the report's figures (岗前培训, 出车前检查, 作业区).

Only reading: SQL aggregates by month of the period, and the list of expressway repairs without
a work-zone record, go to :func:`crew_figures.crew_figures`. :func:`with_crew` adds the figures
to a built report.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, false, func, select
from sqlalchemy.orm import Session

from inspection.crew.kinds import INTRUSION_ALARMS
from inspection.crew.models import (
    Briefing,
    BriefingAttendee,
    PretripCheck,
    WorkZone,
    WorkZoneDevice,
)
from inspection.network.models import Road
from inspection.repairs.models import Repair
from inspection.reports.annual.crew_figures import (
    CrewFigures,
    UnzonedRepair,
    crew_figures,
    merge_months,
)
from inspection.reports.annual.model import AnnualReport
from inspection.reports.annual.request import Period

EXPRESSWAY = "expressway"


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _local_month(column, timezone: str):
    """The branch-local month (YYYY-MM) of an instant column."""
    return func.to_char(func.timezone(timezone, column), "YYYY-MM")


def _in_period(column, period: Period, timezone: str):
    """The instant lies in one of the period's branch-local days."""
    zone = ZoneInfo(timezone)
    return (column >= _midnight(period.start, zone)) & (
        column < _midnight(period.end + timedelta(days=1), zone)
    )


def briefing_months(session: Session, period: Period, timezone: str) -> dict[str, dict[str, int]]:
    """Return, per local month, the briefings held and their attendee rows (not voided)."""
    month = _local_month(Briefing.held_at, timezone).label("month")
    rows = session.execute(
        select(
            month,
            func.count(func.distinct(Briefing.id)).label("briefings"),
            func.count(BriefingAttendee.id).label("attendances"),
        )
        .outerjoin(BriefingAttendee, BriefingAttendee.briefing_id == Briefing.id)
        .where(Briefing.voided_at.is_(None), _in_period(Briefing.held_at, period, timezone))
        .group_by(month)
    )
    return {r.month: {"briefings": r.briefings, "attendances": r.attendances} for r in rows}


def check_months(session: Session, period: Period) -> dict[str, dict[str, int]]:
    """Return, per month of the check day, the pre-trip checks and those failing alcohol or
    blood pressure (not voided)."""
    month = func.to_char(PretripCheck.check_date, "YYYY-MM").label("month")
    rows = session.execute(
        select(
            month,
            func.count().label("checks"),
            func.count().filter(PretripCheck.alcohol_passed.is_(false())).label("alcohol"),
            func.count()
            .filter(PretripCheck.blood_pressure_passed.is_(false()))
            .label("blood_pressure"),
        )
        .where(
            PretripCheck.voided_at.is_(None),
            PretripCheck.check_date >= period.start,
            PretripCheck.check_date <= period.end,
        )
        .group_by(month)
    )
    return {
        r.month: {
            "checks": r.checks,
            "alcohol_failed": r.alcohol,
            "blood_pressure_failed": r.blood_pressure,
        }
        for r in rows
    }


def zone_months(session: Session, period: Period, timezone: str) -> dict[str, dict[str, int]]:
    """Return, per local month of the set-up, the work zones and those with an intrusion
    alarm (not voided)."""
    alarmed = (
        select(WorkZoneDevice.zone_id)
        .where(WorkZoneDevice.device.in_([str(d) for d in INTRUSION_ALARMS]))
        .distinct()
        .subquery("alarmed")
    )
    month = _local_month(WorkZone.set_up_at, timezone).label("month")
    rows = session.execute(
        select(
            month,
            func.count(WorkZone.id).label("zones"),
            func.count(alarmed.c.zone_id).label("with_alarm"),
        )
        .outerjoin(alarmed, alarmed.c.zone_id == WorkZone.id)
        .where(WorkZone.voided_at.is_(None), _in_period(WorkZone.set_up_at, period, timezone))
        .group_by(month)
    )
    return {r.month: {"zones": r.zones, "zones_with_alarm": r.with_alarm} for r in rows}


def _zoned():
    """Whether a non-voided work zone is linked to the repair."""
    return exists().where(WorkZone.repair_id == Repair.id, WorkZone.voided_at.is_(None))


def _expressway_repairs(period: Period):
    return (
        Repair.voided_at.is_(None),
        Repair.completed_on >= period.start,
        Repair.completed_on <= period.end,
        Road.road_class == EXPRESSWAY,
    )


def repair_months(session: Session, period: Period) -> dict[str, dict[str, int]]:
    """Return, per month of completion, the expressway repairs and those without a zone."""
    month = func.to_char(Repair.completed_on, "YYYY-MM").label("month")
    rows = session.execute(
        select(
            month,
            func.count().label("repairs"),
            func.count().filter(~_zoned()).label("unzoned"),
        )
        .join(Road, Road.id == Repair.road_id)
        .where(*_expressway_repairs(period))
        .group_by(month)
    )
    return {
        r.month: {"expressway_repairs": r.repairs, "repairs_without_zone": r.unzoned} for r in rows
    }


def unzoned_repairs(session: Session, period: Period) -> list[UnzonedRepair]:
    """Return the expressway repairs completed in the period with no work-zone record."""
    rows = session.execute(
        select(
            Repair.id,
            Road.code,
            Repair.direction,
            Repair.kind,
            Repair.completed_on,
            Repair.chainage,
            Repair.end_chainage,
            Repair.stake_text,
            Repair.crew,
        )
        .join(Road, Road.id == Repair.road_id)
        .where(*_expressway_repairs(period), ~_zoned())
        .order_by(Repair.completed_on, Road.code, Repair.chainage, Repair.id)
    )
    return [
        UnzonedRepair(
            id=r.id,
            road=r.code,
            direction=r.direction,
            kind=r.kind,
            completed_on=r.completed_on,
            chainage=r.chainage,
            end_chainage=r.end_chainage,
            stake_text=r.stake_text or "",
            crew=r.crew or "",
        )
        for r in rows
    ]


def crew_report(session: Session, period: Period, *, timezone: str) -> CrewFigures | None:
    """Return the period's crew-safety figures (None when it holds none of their records)."""
    months = merge_months(
        briefing_months(session, period, timezone),
        check_months(session, period),
        zone_months(session, period, timezone),
        repair_months(session, period),
    )
    if not months:
        return None
    return crew_figures(period, months, unzoned_repairs(session, period))


def with_crew(session: Session, report: AnnualReport) -> AnnualReport:
    """Return the report with its crew-safety figures (none for one road: briefings and
    pre-trip checks are not a road's)."""
    if report.request.road is not None:
        return report
    figures = crew_report(session, report.period, timezone=report.timezone)
    return dataclasses.replace(report, crew=figures)
