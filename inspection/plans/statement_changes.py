"""What changed since the confirmed statements counted it: the repairs a build must re-measure.

A confirmed statement's records say what each repair counted for, and with which version of the
repair (its `updated_at` as measured, migration 0020). A build compares with the repairs as they
are now only where something may differ:

* the repairs whose newest confirmed record was measured from another version of the repair (or
  from an unknown one: records made before 0020);
* the repairs entered late into a frozen month (no confirmed record at all);
* every repair counted in a frozen month holding one of those, before or after the change: a
  line priced from the repairs' own costs counts them only when all of its repairs have one, so
  one repair's edit can change its neighbours' figures;
* the repairs of the month built, wherever they counted before.

Everything else is as it was measured, and reading it again (every month ever confirmed) is what
made a build take seconds after a few years (bench/statement_build_bench.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ARRAY, Integer, and_, any_, bindparam, exists, extract, func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session, aliased

from inspection.plans import statements_rules as rules
from inspection.plans.kinds import StatementState
from inspection.plans.models import Statement, StatementRepair
from inspection.repairs.models import Repair

MEASURED_REPAIR_KINDS = tuple(rules.KIND_OF_REPAIR)


@dataclass(frozen=True)
class Accounted:
    """A repair's newest record in a confirmed statement."""

    record_id: int
    counted: rules.Counted
    seen: datetime | None  # the repair's updated_at when it was measured (None: unknown)


def _one_of(column, ids: list[int]):
    """`column = ANY(:ids)`: one array parameter, where IN would bind thousands one by one."""
    return column == any_(bindparam(None, ids, type_=ARRAY(Integer)))


def _counted_in():
    return func.coalesce(StatementRepair.corrects_statement_id, StatementRepair.statement_id)


def _newest_records(statement_id: int):
    """Select each repair's newest record in a confirmed statement other than this one."""
    return (
        select(
            StatementRepair.id,
            StatementRepair.repair_id,
            StatementRepair.repair_updated_at,
            _counted_in().label("counted_in"),
        )
        .join(Statement, Statement.id == StatementRepair.statement_id)
        .where(Statement.state == StatementState.confirmed, Statement.id != statement_id)
        .order_by(StatementRepair.repair_id, Statement.confirmed_at.desc(), Statement.id.desc())
        .ext(distinct_on(StatementRepair.repair_id))
    )


def _frozen_month(statement_id: int):
    """Join condition: a confirmed statement (not this one) of the repair's month."""
    frozen = aliased(Statement)
    return frozen, and_(
        frozen.year == extract("year", Repair.completed_on),
        frozen.month == extract("month", Repair.completed_on),
        frozen.state == StatementState.confirmed,
        frozen.id != statement_id,
    )


def changed_repairs(session: Session, statement_id: int) -> tuple[set[int], set[int]]:
    """Return the repairs changed since their newest confirmed record, and the frozen statements
    they counted in or now belong to."""
    newest = _newest_records(statement_id).subquery()
    frozen, in_frozen_month = _frozen_month(statement_id)
    rows = session.execute(
        select(newest.c.repair_id, newest.c.counted_in, frozen.id)
        .join(Repair, Repair.id == newest.c.repair_id)
        .outerjoin(frozen, in_frozen_month)
        .where(newest.c.repair_updated_at.is_distinct_from(Repair.updated_at))
    ).all()
    repairs = {repair_id for repair_id, _, _ in rows}
    statements = {s for _, counted_in, now_in in rows for s in (counted_in, now_in) if s}
    return repairs, statements


def late_entries(session: Session, statement_id: int) -> dict[int, int]:
    """Return repairs of frozen months that no confirmed statement counted (entered late), with
    the frozen statement of their month."""
    frozen, in_frozen_month = _frozen_month(statement_id)
    counted = aliased(Statement)
    rows = session.execute(
        select(Repair.id, frozen.id)
        .join(frozen, in_frozen_month)
        .where(
            Repair.voided_at.is_(None),
            Repair.kind.in_(MEASURED_REPAIR_KINDS),
            ~exists().where(
                StatementRepair.repair_id == Repair.id,
                StatementRepair.statement_id == counted.id,
                counted.state == StatementState.confirmed,
            ),
        )
    )
    return dict(rows.all())


def counted_in(session: Session, statement_ids: Iterable[int]) -> set[int]:
    """Return the repairs with a record counting in one of these statements."""
    ids = list(statement_ids)
    if not ids:
        return set()
    return set(
        session.scalars(select(StatementRepair.repair_id).where(_one_of(_counted_in(), ids))).all()
    )


def accounted(
    session: Session, statement_id: int, repair_ids: Iterable[int]
) -> dict[int, Accounted]:
    """Return the given repairs' newest records in confirmed statements other than this one."""
    ids = sorted(set(repair_ids))
    if not ids:
        return {}
    newest = _newest_records(statement_id)
    records = newest.where(_one_of(StatementRepair.repair_id, ids)).subquery()
    rows = session.execute(
        select(
            StatementRepair.id,
            StatementRepair.repair_id,
            StatementRepair.road_id,
            StatementRepair.work_kind,
            StatementRepair.unit,
            StatementRepair.quantity,
            StatementRepair.amount_yuan,
            StatementRepair.repair_updated_at,
            records.c.counted_in,
        ).join(records, records.c.id == StatementRepair.id)
    )
    found = {}
    for record_id, repair_id, road_id, kind, unit, quantity, amount, seen, where in rows:
        figure = rules.Figure(road_id, kind, unit, quantity, amount)
        found[repair_id] = Accounted(record_id, rules.Counted(where, figure), seen)
    return found


def repair_versions(session: Session, repair_ids: Iterable[int]) -> dict[int, tuple]:
    """Return each repair's (year, month, updated_at), voided ones included.

    Read before the months are measured again, so the updated_at kept with a figure is never
    newer than the version the figure came from (an edit in between is found again next time).
    """
    ids = list(repair_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Repair.id, Repair.completed_on, Repair.updated_at).where(_one_of(Repair.id, ids))
    )
    return {
        repair_id: (completed_on.year, completed_on.month, updated_at)
        for repair_id, completed_on, updated_at in rows
    }
