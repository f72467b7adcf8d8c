"""Read the fleet, drivers and emergency stock registers for the report's 机务与应急 figures.

Only reading: the records up to the report's as-of day go to :func:`fleet_figures.fleet_figures`,
which computes everything. :func:`with_fleet` adds the figures to a built report.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from inspection.fleet.driver_due import Review
from inspection.fleet.kinds import ServiceKind
from inspection.fleet.models import (
    Driver,
    DriverReview,
    Vehicle,
    VehicleService,
    VehicleServiceInterval,
    VehicleStatusEvent,
)
from inspection.reports.annual.fleet_figures import (
    DriverRecord,
    FleetFigures,
    StockLine,
    UnitRecord,
    as_of,
    fleet_figures,
)
from inspection.reports.annual.model import AnnualReport
from inspection.reports.annual.request import Period
from inspection.sites.models import Department, Site
from inspection.supplies.kinds import MOVEMENT_SIGN
from inspection.supplies.models import SupplyItem, SupplyMovement, SupplyStock


def _day_end(day: date, zone: ZoneInfo) -> datetime:
    """Return the instant the branch's `day` ends (the next local midnight)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def units_of(session: Session, until: date) -> list[UnitRecord]:
    """Return the units registered by `until` with their status events and annual inspections."""
    rows = session.execute(
        select(Vehicle.id, Vehicle.number, Vehicle.kind, Department.name, Vehicle.registered_on)
        .outerjoin(Department, Department.id == Vehicle.department_id)
        .where(Vehicle.registered_on <= until)
        .order_by(Vehicle.id)
    ).all()
    ids = [row.id for row in rows]
    events: dict[int, list] = defaultdict(list)
    inspections: dict[int, list] = defaultdict(list)
    if ids:
        for row in session.execute(
            select(
                VehicleStatusEvent.vehicle_id,
                VehicleStatusEvent.on_date,
                VehicleStatusEvent.id,
                VehicleStatusEvent.to_status,
            ).where(VehicleStatusEvent.vehicle_id.in_(ids), VehicleStatusEvent.on_date <= until)
        ):
            events[row.vehicle_id].append((row.on_date, row.id, row.to_status))
        for row in session.execute(
            select(VehicleService.vehicle_id, VehicleService.on_date, VehicleService.passed).where(
                VehicleService.vehicle_id.in_(ids),
                VehicleService.kind == ServiceKind.annual_inspection,
                VehicleService.on_date <= until,
            )
        ):
            inspections[row.vehicle_id].append((row.on_date, row.passed))
    return [
        UnitRecord(
            id=row.id,
            number=row.number,
            kind=row.kind,
            department=row[3],
            registered_on=row.registered_on,
            events=tuple(sorted(events[row.id])),
            inspections=tuple(sorted(inspections[row.id])),
        )
        for row in rows
    ]


def intervals_of(session: Session) -> dict[tuple[str, str], int]:
    return {
        (row.vehicle_kind, row.service_kind): row.days
        for row in session.execute(
            select(
                VehicleServiceInterval.vehicle_kind,
                VehicleServiceInterval.service_kind,
                VehicleServiceInterval.days,
            )
        )
    }


def drivers_of(session: Session, until: date, zone: ZoneInfo) -> list[DriverRecord]:
    """Return the active drivers registered by the end of `until`, with their reviews up to it."""
    rows = session.execute(
        select(Driver.id, Driver.name, Driver.created_at)
        .where(Driver.active.is_(True), Driver.created_at < _day_end(until, zone))
        .order_by(Driver.id)
    ).all()
    reviews: dict[int, list[Review]] = defaultdict(list)
    if rows:
        for row in session.execute(
            select(DriverReview.driver_id, DriverReview.reviewed_on, DriverReview.result)
            .where(
                DriverReview.driver_id.in_([r.id for r in rows]),
                DriverReview.reviewed_on <= until,
            )
            .order_by(DriverReview.reviewed_on, DriverReview.id)
        ):
            reviews[row.driver_id].append(Review(row.reviewed_on, row.result))
    return [
        DriverRecord(
            id=row.id,
            name=row.name,
            registered_on=row.created_at.astimezone(zone).date(),
            reviews=tuple(reviews[row.id]),
        )
        for row in rows
    ]


def stock_of(session: Session, period: Period, until: date, zone: ZoneInfo) -> list[StockLine]:
    """Return each depot's stock of each item at the end of `until` (the signed sum of its
    movements up to then) and what it received and issued in the period, with its minimum.

    Stock rows set up after `until` with no movement by then are left out."""
    signed = case(
        *((SupplyMovement.kind == kind.value, sign) for kind, sign in MOVEMENT_SIGN.items()),
        else_=0,
    )
    upto = SupplyMovement.on_date <= until
    within = (SupplyMovement.on_date >= period.start) & upto
    quantity = func.coalesce(func.sum(SupplyMovement.quantity * signed).filter(upto), 0)
    received = func.coalesce(
        func.sum(SupplyMovement.quantity).filter(within & (SupplyMovement.kind == "received")), 0
    )
    issued = func.coalesce(
        func.sum(SupplyMovement.quantity).filter(within & (SupplyMovement.kind == "issued")), 0
    )
    moved = func.count(SupplyMovement.id).filter(upto)
    rows = session.execute(
        select(
            Site.name.label("depot"),
            SupplyItem.name.label("item"),
            SupplyItem.unit,
            SupplyStock.minimum,
            SupplyStock.created_at,
            quantity.label("quantity"),
            received.label("received"),
            issued.label("issued"),
            moved.label("moved"),
        )
        .join(Site, Site.id == SupplyStock.site_id)
        .join(SupplyItem, SupplyItem.id == SupplyStock.item_id)
        .outerjoin(SupplyMovement, SupplyMovement.stock_id == SupplyStock.id)
        .group_by(SupplyStock.id, Site.name, SupplyItem.name, SupplyItem.unit)
    ).all()
    return [
        StockLine(
            depot=row.depot,
            item=row.item,
            unit=row.unit,
            quantity=Decimal(row.quantity),
            minimum=Decimal(row.minimum),
            received=Decimal(row.received),
            issued=Decimal(row.issued),
        )
        for row in rows
        if row.moved or row.created_at < _day_end(until, zone)
    ]


def fleet_report(
    session: Session, period: Period, *, today: date, timezone: str
) -> FleetFigures | None:
    """Return the period's fleet figures from the registers (None when they hold nothing)."""
    zone = ZoneInfo(timezone)
    until = as_of(period, today)
    return fleet_figures(
        period,
        today=today,
        units=units_of(session, until),
        intervals=intervals_of(session),
        drivers=drivers_of(session, until, zone),
        stock=stock_of(session, period, until, zone),
    )


def with_fleet(session: Session, report: AnnualReport, *, today: date) -> AnnualReport:
    """Return the report with its 机务与应急 figures (none for one road: units are not a road's)."""
    if report.request.road is not None:
        return report
    figures = fleet_report(session, report.period, today=today, timezone=report.timezone)
    return dataclasses.replace(report, fleet=figures)
