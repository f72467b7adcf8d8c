"""Monthly measurement statements (计量单): build from the month's repairs, confirm, read.

Services take the session and the acting user; they flush, never commit. The arithmetic is in
`statements_rules` (read its docstring for the rules of quantity, amount and differences).

* Building a draft replaces its lines and records (except its manual lines, see
  `statement_manual`); a confirmed statement is frozen: building or
  confirming it again → 409 `statement_frozen`, nothing changes.
* Both build and confirm lock the statement's row (SELECT … FOR UPDATE), so two managers
  confirming at once are serialised: one confirms, the other gets `statement_frozen`.
* Confirming recomputes the statement first; when the repairs (or other confirmations) changed
  it since it was built → 409 `statement_outdated` (rebuild and check it again), so a manager
  never freezes figures he has not seen.
* A frozen month is re-measured with the plan version that priced it, so a later plan
  adjustment never shows as a difference; only changes of repairs do.
* Only the frozen months holding a repair changed since it was counted (or entered late) are
  measured again (`statement_changes`): each record keeps the repair's updated_at as measured.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, delete, select, update
from sqlalchemy import insert as sa_insert
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.db import utcnow
from inspection.errors import N_, DomainError, NotFound, ValidationError
from inspection.plans import statement_changes as changes
from inspection.plans import statements_rules as rules
from inspection.plans.kinds import AmountSource, StatementState
from inspection.plans.models import (
    Plan,
    PlanLine,
    PlanVersion,
    Statement,
    StatementLine,
    StatementRepair,
)
from inspection.repairs.models import Repair

MEASURED_REPAIR_KINDS = changes.MEASURED_REPAIR_KINDS


class StatementFrozen(DomainError):
    """The statement is confirmed: it is never built or confirmed again (409)."""

    code = "statement_frozen"
    status = 409


class StatementOutdated(DomainError):
    """The repairs changed since the statement was built: rebuild before confirming (409)."""

    code = "statement_outdated"
    status = 409


@dataclass(frozen=True)
class Outcome:
    """A statement's figures as computed now.

    `seen`: repair → its updated_at as measured (stored with its record). `verified`: record id
    of a confirmed statement → the updated_at of a repair found to count as that record says
    though it was edited (a note, say): stored there so the next build need not measure it again.
    Neither is part of the figures compared before confirming.
    """

    plan_version_id: int | None
    lines: list[rules.Line]
    records: list[rules.Record]
    seen: dict[int, datetime] = field(default_factory=dict)
    verified: dict[int, datetime] = field(default_factory=dict)

    def signature(self) -> tuple:
        return (
            self.plan_version_id,
            sorted(_line_key(line) for line in self.lines),
            sorted(_record_key(r) for r in self.records),
        )


def _line_key(line: rules.Line) -> tuple:
    return (
        line.corrects or 0,
        line.road_id or 0,
        line.work_kind,
        line.unit,
        line.quantity,
        line.unit_price if line.unit_price is not None else -1,
        line.amount,
        str(line.source),
        line.note,
    )


def _record_key(record: rules.Record) -> tuple:
    f = record.figure
    return (
        record.repair_id,
        record.corrects or 0,
        f.road_id,
        f.work_kind,
        f.unit,
        f.quantity,
        f.amount,
    )


# --------------------------------------------------------------------------- reading


def check_range(year: int, month: int = 1) -> None:
    """Refuse a month outside 2000–2100 / 1–12 (422)."""
    if not 2000 <= year <= 2100:
        raise ValidationError(N_("No such year."), fields={"year": N_("No such year.")})
    if not 1 <= month <= 12:
        raise ValidationError(N_("No such month."), fields={"month": N_("No such month.")})


def check_month(year: int, month: int, today: date) -> None:
    """Refuse a month outside 2000–2100 / 1–12, or one that has not begun (422)."""
    check_range(year, month)
    if (year, month) > (today.year, today.month):
        raise ValidationError(
            N_("This month has not begun yet."), fields={"month": N_("Not begun yet.")}
        )


def find_statement(session: Session, year: int, month: int) -> Statement | None:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None  # no such month: nothing there (and nothing to overflow the columns)
    return session.scalar(select(Statement).where(Statement.year == year, Statement.month == month))


def get_statement(session: Session, year: int, month: int) -> Statement:
    statement = find_statement(session, year, month)
    if statement is None:
        raise NotFound(
            N_("There is no statement of %(year)d-%(month)02d yet."), year=year, month=month
        )
    return statement


def statements_of_year(session: Session, year: int) -> dict[int, Statement]:
    """Return the year's statements by month."""
    if not 2000 <= year <= 2100:
        return {}
    rows = session.scalars(select(Statement).where(Statement.year == year))
    return {s.month: s for s in rows}


def newest_version(session: Session, year: int) -> PlanVersion | None:
    """Return the year's newest plan version (an adjustment holds the whole year)."""
    return session.scalar(
        select(PlanVersion)
        .join(Plan)
        .where(Plan.year == year)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )


def prices_for(session: Session, version_id: int | None, month: int) -> dict:
    """Return a version's unit and price per (road or None, kind) in a month."""
    if version_id is None:
        return {}
    rows = session.scalars(
        select(PlanLine).where(PlanLine.version_id == version_id, PlanLine.month == month)
    )
    return {(r.road_id, r.work_kind): rules.Price(r.unit, r.unit_price_yuan) for r in rows}


def _in_month(year: int, month: int):
    # A range, not EXTRACT(…) = …: the index on completed_on answers it.
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return and_(Repair.completed_on >= first, Repair.completed_on < following)


def month_repairs(session: Session, year: int, month: int) -> list[rules.RepairRow]:
    """Return the non-voided measured repairs completed in a month (branch-local dates)."""
    # Columns, not Repair objects: a build may measure a dozen months of hundreds of repairs.
    rows = session.execute(
        select(
            Repair.id,
            Repair.kind,
            Repair.road_id,
            Repair.area_m2,
            Repair.count,
            Repair.cost_yuan,
            Repair.updated_at,
        )
        .where(
            _in_month(year, month),
            Repair.voided_at.is_(None),
            Repair.kind.in_(MEASURED_REPAIR_KINDS),
        )
        .order_by(Repair.id)
    )
    return [rules.RepairRow(*row) for row in rows]


# --------------------------------------------------------------------------- computing


def _frozen_truth(
    session: Session, statement: Statement, repair_ids: Iterable[int]
) -> tuple[dict[int, rules.Counted | None], dict[int, datetime]]:
    """Return where and with what the given repairs count now, outside the month built, and
    each one's updated_at read before its month was measured."""
    versions = changes.repair_versions(session, repair_ids)
    measured: dict[tuple[int, int], tuple[int, dict]] = {}
    for year, month in {(y, m) for y, m, _ in versions.values()}:
        frozen = find_statement(session, year, month)
        if frozen is None or frozen.state != StatementState.confirmed or frozen is statement:
            continue
        prices = prices_for(session, frozen.plan_version_id, month)
        figures, _ = rules.month_figures(month_repairs(session, year, month), prices)
        measured[(year, month)] = (frozen.id, figures)
    truth: dict[int, rules.Counted | None] = {}
    for repair_id, (year, month, _) in versions.items():
        found = measured.get((year, month))
        figure = found[1].get(repair_id) if found else None
        truth[repair_id] = rules.Counted(found[0], figure) if figure else None
    return truth, {rid: v[2] for rid, v in versions.items()}


def compute(session: Session, statement: Statement) -> Outcome:
    """Compute a statement's lines and records from the repairs as they are now.

    Only what may have changed since the confirmed statements counted it is measured again
    (`statement_changes`); the rest is as they recorded it.
    """
    version = newest_version(session, statement.year)
    version_id = version.id if version else None
    prices = prices_for(session, version_id, statement.month)
    repairs = month_repairs(session, statement.year, statement.month)
    figures, lines = rules.month_figures(repairs, prices)
    seen = {r.id: r.updated_at for r in repairs}

    changed, months_touched = changes.changed_repairs(session, statement.id)
    late = changes.late_entries(session, statement.id)
    months_touched = (months_touched | set(late.values())) - {statement.id}
    candidates = changed | set(figures) | changes.counted_in(session, months_touched)
    accounted = changes.accounted(session, statement.id, candidates)

    others = (set(accounted) | set(late)) - set(figures)
    truth, seen_before = _frozen_truth(session, statement, others)
    seen.update(seen_before)
    for repair_id in set(accounted) & set(figures):
        truth[repair_id] = rules.Counted(statement.id, figures[repair_id])
    counted = {rid: a.counted for rid, a in accounted.items()}
    difference_lines, difference_records = rules.differences(statement.id, counted, truth)
    records = [rules.Record(rid, figure, None) for rid, figure in sorted(figures.items())]
    recorded = {r.repair_id for r in records} | {r.repair_id for r in difference_records}
    verified = {
        a.record_id: seen[rid]
        for rid, a in accounted.items()
        if rid not in recorded and seen.get(rid) is not None and a.seen != seen[rid]
    }
    return Outcome(
        version_id, lines + difference_lines, records + difference_records, seen, verified
    )


def stored_outcome(statement: Statement) -> Outcome:
    """Return a statement's figures as stored (without its manual lines: not computed)."""
    lines = [
        rules.Line(
            line.road_id,
            line.work_kind,
            line.unit,
            line.quantity,
            line.unit_price_yuan,
            line.amount_yuan,
            line.amount_source,
            line.corrects_statement_id,
            line.note,
        )
        for line in statement.lines
        if line.amount_source != AmountSource.manual  # typed by hand: never recomputed
    ]
    records = [
        rules.Record(
            r.repair_id,
            rules.Figure(r.road_id, r.work_kind, r.unit, r.quantity, r.amount_yuan),
            r.corrects_statement_id,
        )
        for r in statement.repairs
    ]
    return Outcome(statement.plan_version_id, lines, records)


# --------------------------------------------------------------------------- writing


def _locked(session: Session, year: int, month: int, *, create: bool) -> Statement | None:
    """Return the statement's row locked for this transaction (made first when asked)."""
    if create:
        session.execute(
            insert(Statement)
            .values(year=year, month=month, state=StatementState.draft, built_at=utcnow())
            .on_conflict_do_nothing(index_elements=["year", "month"])
        )
    return session.scalar(
        select(Statement)
        .where(Statement.year == year, Statement.month == month)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _refuse_frozen(statement: Statement) -> None:
    if statement.state == StatementState.confirmed:
        raise StatementFrozen(
            N_("The statement of %(year)d-%(month)02d is confirmed and frozen."),
            year=statement.year,
            month=statement.month,
            extra={"state": statement.state},
        )


def build_statement(
    session: Session, year: int, month: int, *, actor: User, today: date
) -> Statement:
    """Build (or rebuild) a month's draft statement from its repairs and the differences."""
    check_month(year, month, today)
    statement = _locked(session, year, month, create=True)
    _refuse_frozen(statement)
    outcome = compute(session, statement)
    # Manual lines (the branch's own items, typed on the statement) stay: only the
    # repair-derived lines and the difference lines are replaced.
    session.execute(
        delete(StatementLine).where(
            StatementLine.statement_id == statement.id,
            StatementLine.amount_source != AmountSource.manual,
        )
    )
    session.execute(delete(StatementRepair).where(StatementRepair.statement_id == statement.id))
    _reprice_manual_lines(session, statement, outcome.plan_version_id)
    statement.plan_version_id = outcome.plan_version_id
    statement.built_at = utcnow()
    for line in outcome.lines:
        session.add(
            StatementLine(
                statement_id=statement.id,
                road_id=line.road_id,
                work_kind=line.work_kind,
                unit=line.unit,
                quantity=line.quantity,
                unit_price_yuan=line.unit_price,
                amount_yuan=line.amount,
                amount_source=str(line.source),
                corrects_statement_id=line.corrects,
                note=line.note,
            )
        )
    if outcome.records:
        # One multi-row INSERT without RETURNING: a month holds hundreds of repairs.
        session.execute(
            sa_insert(StatementRepair),
            [
                {
                    "statement_id": statement.id,
                    "repair_id": record.repair_id,
                    "road_id": record.figure.road_id,
                    "work_kind": record.figure.work_kind,
                    "unit": record.figure.unit,
                    "quantity": record.figure.quantity,
                    "amount_yuan": record.figure.amount,
                    "corrects_statement_id": record.corrects,
                    "repair_updated_at": outcome.seen.get(record.repair_id),
                }
                for record in outcome.records
            ],
        )
    if outcome.verified:
        # Only the version a confirmed record was checked against, never its figures.
        session.execute(
            update(StatementRepair),
            [{"id": k, "repair_updated_at": v} for k, v in sorted(outcome.verified.items())],
        )
    session.flush()
    session.expire(statement, ["lines", "repairs"])
    return statement


def _reprice_manual_lines(session: Session, statement: Statement, version_id: int | None) -> None:
    """Price a draft's manual lines that took the plan's price from the version now used."""
    prices = prices_for(session, version_id, statement.month)
    lines = session.scalars(
        select(StatementLine).where(
            StatementLine.statement_id == statement.id,
            StatementLine.amount_source == AmountSource.manual,
            StatementLine.price_from_plan.is_(True),
        )
    )
    for line in lines:
        price = rules.price_of(prices, line.road_id, line.work_kind)
        if price is None or price.unit != line.unit:
            continue  # the newest version does not price it: the line keeps its price
        line.unit_price_yuan = price.unit_price
        line.amount_yuan = rules.cents(line.quantity * price.unit_price)


def confirm_statement(session: Session, year: int, month: int, *, actor: User) -> Statement:
    """Freeze a built statement (managers); refused when frozen already or outdated (409)."""
    check_range(year, month)
    statement = _locked(session, year, month, create=False)
    if statement is None:
        raise NotFound(
            N_("There is no statement of %(year)d-%(month)02d yet."), year=year, month=month
        )
    _refuse_frozen(statement)
    session.expire(statement, ["lines", "repairs"])
    if compute(session, statement).signature() != stored_outcome(statement).signature():
        raise StatementOutdated(
            N_("The repairs changed since this statement was built: rebuild it and check it again.")
        )
    confirmed_by_id = actor.id  # read first: loading an expired actor would flush half a change
    statement.state = StatementState.confirmed
    statement.confirmed_at = utcnow()
    statement.confirmed_by_id = confirmed_by_id
    session.flush()
    return statement
