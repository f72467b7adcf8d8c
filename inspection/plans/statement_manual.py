"""Manual lines of a draft statement (手工计量): the branch's own items, which no repair measures.

A manager adds, changes or removes a manual line on a DRAFT statement: a road or the whole
branch, a work kind WITHOUT a repair kind (路域环境整治, 标线, 护栏, 其他), one of the kind's units,
a quantity ≥ 0 and a unit price (default: the plan's price of that month, road and kind — the
same lookup the repair lines use: the newest version, the road's line, else the branch's).
Amount = quantity × unit price rounded to fen; source `manual`.

Rebuilding a draft keeps its manual lines (it replaces only the repair-derived lines) and the
`statement_outdated` check on confirmation ignores them. A line priced by default from the plan
is priced again by a rebuild from the newest version, like the repair lines (an adjustment
before confirming reaches it too); a typed price stays, and so does the old plan price when the
newest version no longer prices the line's road, kind and unit. A confirmed statement refuses every
change (409 `statement_frozen`). Services flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.errors import N_, NotFound, ValidationError
from inspection.plans import statements as services
from inspection.plans import statements_rules as rules
from inspection.plans.kinds import WORK_KINDS, AmountSource
from inspection.plans.models import Statement, StatementLine
from inspection.plans.plan_rules import PRICE_MAX, QUANTITY_MAX, to_money
from inspection.plans.plans import Roads

MANUAL_KINDS = tuple(code for code, kind in WORK_KINDS.items() if kind.repair_kind is None)
UNSET = object()


@dataclass(frozen=True)
class ManualInput:
    """A manual line's fields as given; UNSET (on a change) keeps the line's value."""

    road: str | object | None = UNSET
    work_kind: str | object = UNSET
    unit: str | object | None = UNSET
    quantity: Decimal | object = UNSET
    unit_price_yuan: Decimal | object | None = UNSET
    note: str | object = UNSET


def _draft(session: Session, year: int, month: int) -> Statement:
    services.check_range(year, month)
    statement = services._locked(session, year, month, create=False)
    if statement is None:
        raise NotFound(
            N_("There is no statement of %(year)d-%(month)02d yet."), year=year, month=month
        )
    services._refuse_frozen(statement)
    return statement


def _manual_line(session: Session, statement: Statement, line_id: int) -> StatementLine:
    line = session.scalar(
        select(StatementLine).where(
            StatementLine.id == line_id,
            StatementLine.statement_id == statement.id,
            StatementLine.amount_source == AmountSource.manual,
        )
    )
    if line is None:
        raise NotFound(N_("There is no such manual line on this statement."))
    return line


def plan_price(session: Session, year: int, month: int, road_id: int | None, work_kind: str):
    """Return the plan's unit and price of a kind on a road that month (or None)."""
    version = services.newest_version(session, year)
    prices = services.prices_for(session, version.id if version else None, month)
    return rules.price_of(prices, road_id, work_kind)


def _settle(
    session: Session, statement: Statement, line: StatementLine | None, given: ManualInput
) -> dict:
    """Return the line's checked fields (all of them), or raise a 422 naming the bad ones."""
    fields: dict[str, str] = {}

    def pick(name: str, default):
        value = getattr(given, name)
        return default if value is UNSET else value

    work_kind = pick("work_kind", line.work_kind if line else None)
    kind = WORK_KINDS.get(work_kind) if work_kind else None
    if kind is None:
        fields["work_kind"] = N_("Choose the kind of work.")
    elif kind.repair_kind is not None:
        fields["work_kind"] = N_(
            "This kind is measured from its repairs; only the branch's own items are typed."
        )
    road_id = line.road_id if line else None
    if given.road is not UNSET:
        road, problem = Roads.load(session).resolve(given.road or None)
        if problem is not None:
            fields["road"] = problem.message
        road_id = road.id if road is not None else None
    moved = line is None or given.road is not UNSET or given.work_kind is not UNSET
    price = (
        plan_price(session, statement.year, statement.month, road_id, work_kind)
        if kind is not None and "road" not in fields
        else None
    )
    unit = pick("unit", line.unit if line else None)
    if unit is None and kind is not None:
        unit = price.unit if price is not None else kind.units[0].value
    if kind is not None and unit is not None and unit not in {u.value for u in kind.units}:
        fields["unit"] = N_("This unit does not fit the kind of work.")
    quantity = pick("quantity", line.quantity if line else None)
    if quantity is None:
        fields["quantity"] = N_("Give the quantity.")
    elif not Decimal(0) <= quantity <= QUANTITY_MAX:
        fields["quantity"] = N_("Must not be negative.")
    # Left out on a change: the line's price stays (unless its road, kind or unit changed).
    # None: the plan's price of the month, road and kind, when the plan line has this unit.
    unit_price = given.unit_price_yuan
    from_plan = False
    if unit_price is UNSET:
        keep = line is not None and not moved and given.unit is UNSET
        unit_price = line.unit_price_yuan if keep else None
        from_plan = keep and line.price_from_plan
    if unit_price is None and price is not None and price.unit == unit:
        unit_price, from_plan = price.unit_price, True
    if unit_price is None:
        if "work_kind" not in fields and "road" not in fields:
            fields["unit_price_yuan"] = N_("The plan has no price for this; give the unit price.")
    elif not Decimal(0) <= unit_price <= PRICE_MAX:
        fields["unit_price_yuan"] = N_("Must not be negative.")
    if fields:
        raise ValidationError(N_("Some fields are not valid."), fields=fields)
    quantity, unit_price = to_money(quantity), to_money(unit_price)
    return {
        "road_id": road_id,
        "work_kind": work_kind,
        "unit": unit,
        "quantity": quantity,
        "unit_price_yuan": unit_price,
        "amount_yuan": rules.cents(quantity * unit_price),
        "price_from_plan": from_plan,
        "note": pick("note", line.note if line else ""),
    }


def add_manual_line(
    session: Session, year: int, month: int, given: ManualInput, *, actor: User
) -> StatementLine:
    """Add a manual line to a draft statement (404 not built, 409 frozen, 422 bad fields)."""
    statement = _draft(session, year, month)
    values = _settle(session, statement, None, given)
    line = StatementLine(statement_id=statement.id, amount_source=AmountSource.manual, **values)
    session.add(line)
    session.flush()
    session.expire(statement, ["lines"])
    return line


def change_manual_line(
    session: Session, year: int, month: int, line_id: int, given: ManualInput, *, actor: User
) -> StatementLine:
    """Change a draft statement's manual line; the amount follows quantity and price."""
    statement = _draft(session, year, month)
    line = _manual_line(session, statement, line_id)
    for name, value in _settle(session, statement, line, given).items():
        setattr(line, name, value)
    session.flush()
    session.expire(statement, ["lines"])
    return line


def remove_manual_line(
    session: Session, year: int, month: int, line_id: int, *, actor: User
) -> Statement:
    """Remove a draft statement's manual line."""
    statement = _draft(session, year, month)
    session.delete(_manual_line(session, statement, line_id))
    session.flush()
    session.expire(statement, ["lines"])
    return statement
