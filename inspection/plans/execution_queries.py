"""Read what plan execution needs (SQL aggregates only) and hand it to :mod:`.execution`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Numeric, and_, cast, extract, func, select
from sqlalchemy.orm import Session

from inspection.errors import N_, NotFound
from inspection.network.models import Road
from inspection.plans import execution as rules
from inspection.plans.kinds import WORK_KINDS, StatementState
from inspection.plans.models import Plan, PlanLine, PlanVersion, Statement, StatementLine
from inspection.repairs.models import Repair

REPAIR_KINDS = tuple(k.repair_kind for k in WORK_KINDS.values() if k.repair_kind)


def plan_of(session: Session, year: int) -> Plan | None:
    return session.scalar(select(Plan).where(Plan.year == year))


def versions_of(session: Session, plan: Plan) -> list[PlanVersion]:
    return list(
        session.scalars(
            select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number)
        )
    )


def choose_version(session: Session, year: int, number: int | None) -> PlanVersion:
    """Return the plan version asked for (default: the newest); NotFound without one."""
    plan = plan_of(session, year)
    versions = versions_of(session, plan) if plan else []
    if not versions:
        raise NotFound(N_("There is no plan for %(year)s."), year=year)
    if number is None:
        return versions[-1]
    for version in versions:
        if version.number == number:
            return version
    raise NotFound(N_("The plan of %(year)s has no version %(number)s."), year=year, number=number)


def road_codes(session: Session) -> list[str]:
    return list(session.scalars(select(Road.code).distinct().order_by(Road.code)))


def plan_lines(session: Session, version_id: int) -> list[rules.PlanLineIn]:
    rows = session.execute(
        select(
            PlanLine.month,
            Road.code,
            PlanLine.work_kind,
            PlanLine.unit,
            PlanLine.quantity,
            PlanLine.unit_price_yuan,
            PlanLine.budget_yuan,
        )
        .outerjoin(Road, Road.id == PlanLine.road_id)
        .where(PlanLine.version_id == version_id)
    )
    return [rules.PlanLineIn(*row) for row in rows]


def repairs_done(session: Session, year: int) -> list[rules.RepairsIn]:
    """Return the non-voided repairs of the year per month of completion, road and kind."""
    month = extract("month", Repair.completed_on).label("month")
    rows = session.execute(
        select(
            month,
            Road.code,
            Repair.kind,
            cast(func.sum(Repair.area_m2), Numeric(16, 2)),
            func.sum(Repair.count),
        )
        .join(Road, Road.id == Repair.road_id)
        .where(
            Repair.voided_at.is_(None),
            Repair.kind.in_(REPAIR_KINDS),
            Repair.completed_on >= date(year, 1, 1),
            Repair.completed_on <= date(year, 12, 31),
        )
        .group_by(month, Road.code, Repair.kind)
    )
    return [
        rules.RepairsIn(int(m), code, kind, area, None if count is None else int(count))
        for m, code, kind, area, count in rows
    ]


def confirmed_statements(
    session: Session, year: int
) -> tuple[frozenset[int], list[rules.MeasuredIn]]:
    """Return the months with a confirmed statement and their lines' sums."""
    months = frozenset(
        session.scalars(
            select(Statement.month).where(
                Statement.year == year, Statement.state == StatementState.confirmed
            )
        )
    )
    rows = session.execute(
        select(
            Statement.month,
            Road.code,
            StatementLine.work_kind,
            StatementLine.unit,
            StatementLine.amount_source,
            func.sum(StatementLine.quantity),
            func.sum(StatementLine.amount_yuan),
        )
        .join(
            Statement,
            and_(
                Statement.id == StatementLine.statement_id,
                Statement.year == year,
                Statement.state == StatementState.confirmed,
            ),
        )
        .outerjoin(Road, Road.id == StatementLine.road_id)
        .group_by(
            Statement.month,
            Road.code,
            StatementLine.work_kind,
            StatementLine.unit,
            StatementLine.amount_source,
        )
    )
    return months, [rules.MeasuredIn(*row) for row in rows]


def plan_execution(
    session: Session,
    year: int,
    *,
    today: date | None = None,
    through: int | None = None,
    version: int | None = None,
    road: str | None = None,
) -> tuple[rules.Execution, PlanVersion]:
    """Return the year's execution against a plan version (default the newest), to `today`
    (or through a month: 12 for the whole year)."""
    if through is None:
        if today is None:
            raise TypeError("plan_execution needs today or through")
        through = rules.through_month(year, today.year, today.month)
    chosen = choose_version(session, year, version)
    months, measured = confirmed_statements(session, year)
    result = rules.execution(
        year,
        chosen.number,
        plan_lines(session, chosen.id),
        repairs_done(session, year),
        measured,
        months,
        through=through,
        road=road,
    )
    return result, chosen
