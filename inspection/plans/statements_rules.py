"""The monthly statement's (计量单) arithmetic: measure repairs, price them, carry differences.

Pure: numbers and dataclasses in and out, no Flask, no database.

Rules (decided here once):
- A repair of a kind with a repair kind counts in the month of its `completed_on` unless voided.
- Its quantity is in the unit of the plan line of its kind (the road's line, else the whole
  branch's line; no line: the kind's usual unit): m² → `area_m2` (0 when not recorded),
  处 → `count` (1 when not recorded: one repair is one site).
- Amount of a (road, kind) line: quantity × the plan's unit price of that month (the newest plan
  version; the road's line, else the whole branch's) — `plan_price`. Without a price: the sum of
  the repairs' own `cost_yuan` when every repair of the line has one — `repair_cost`; otherwise
  0 with the note "no price" (source `plan_price`, no unit price). A line's amount is
  round(total quantity × price); each repair's amount is round(its quantity × price), so the
  two may differ by a cent; differences compare the repairs' amounts.
- What a repair counts for is kept as one figure per repair: the newest record of a confirmed
  statement (the month it counts in, and its quantity and amount). When a statement is built,
  every repair whose current figure differs from that record (edited, voided, moved to another
  month, entered late into a frozen month) becomes a signed difference line correcting the
  frozen month, and a new record with the current figure is stored on the statement built, so
  each difference is carried once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from inspection.errors import N_
from inspection.plans.kinds import WORK_KINDS, AmountSource, Unit

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
NO_PRICE = N_("no price")

# repair kind → the work kind it measures
KIND_OF_REPAIR = {k.repair_kind: k.code for k in WORK_KINDS.values() if k.repair_kind}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Price:
    unit: str
    unit_price: Decimal


# (road id or None for the whole branch, work kind) → the plan's unit and price that month
Prices = Mapping[tuple[int | None, str], Price]


@dataclass(frozen=True)
class RepairRow:
    """What a statement needs of a repair."""

    id: int
    kind: str  # the repair's kind
    road_id: int
    area_m2: float | None
    count: int | None
    cost_yuan: Decimal | None
    updated_at: datetime | None = None  # the version measured (kept with the record, not used here)


@dataclass(frozen=True)
class Figure:
    """What one repair counts for in one month's statement."""

    road_id: int
    work_kind: str
    unit: str
    quantity: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Line:
    road_id: int | None
    work_kind: str
    unit: str
    quantity: Decimal
    unit_price: Decimal | None
    amount: Decimal
    source: str
    corrects: int | None = None  # for a difference: the frozen statement corrected
    note: str = ""


@dataclass(frozen=True)
class Counted:
    """A repair's figure as the statements account it: in `statement_id`'s month."""

    statement_id: int
    figure: Figure


@dataclass(frozen=True)
class Record:
    """A StatementRepair row to store on the statement built."""

    repair_id: int
    figure: Figure
    corrects: int | None  # None: counted as one of the month's repairs


def price_of(prices: Prices, road_id: int, work_kind: str) -> Price | None:
    """Return the plan's price of a kind on a road: the road's line, else the branch's."""
    return prices.get((road_id, work_kind)) or prices.get((None, work_kind))


def unit_of(prices: Prices, road_id: int, work_kind: str) -> str:
    price = price_of(prices, road_id, work_kind)
    return price.unit if price else WORK_KINDS[work_kind].units[0].value


def quantity_of(repair: RepairRow, unit: str) -> Decimal:
    """Return a repair's quantity in a unit (m²: its area; 处: its count, else one)."""
    if unit == Unit.site:
        return Decimal(repair.count or 1).quantize(CENT)
    if unit == Unit.m2:
        return cents(Decimal(str(repair.area_m2))) if repair.area_m2 is not None else ZERO
    return ZERO  # no repair kind is measured in other units


def month_figures(
    repairs: Iterable[RepairRow], prices: Prices
) -> tuple[dict[int, Figure], list[Line]]:
    """Measure a month's repairs: each repair's figure and the month's lines per road and kind."""
    groups: dict[tuple[int, str, str], list[tuple[RepairRow, Decimal]]] = {}
    for repair in repairs:
        work_kind = KIND_OF_REPAIR.get(repair.kind)
        if work_kind is None:
            continue
        unit = unit_of(prices, repair.road_id, work_kind)
        key = (repair.road_id, work_kind, unit)
        groups.setdefault(key, []).append((repair, quantity_of(repair, unit)))
    figures: dict[int, Figure] = {}
    lines: list[Line] = []
    for (road_id, work_kind, unit), members in sorted(groups.items()):
        total = sum((q for _, q in members), ZERO)
        price = price_of(prices, road_id, work_kind)
        if price is not None:
            amounts = {r.id: cents(q * price.unit_price) for r, q in members}
            line = Line(
                road_id,
                work_kind,
                unit,
                total,
                price.unit_price,
                cents(total * price.unit_price),
                AmountSource.plan_price,
            )
        elif all(r.cost_yuan is not None for r, _ in members):
            amounts = {r.id: cents(r.cost_yuan) for r, _ in members}
            line = Line(
                road_id,
                work_kind,
                unit,
                total,
                None,
                sum(amounts.values(), ZERO),
                AmountSource.repair_cost,
            )
        else:
            amounts = {r.id: ZERO for r, _ in members}
            line = Line(
                road_id, work_kind, unit, total, None, ZERO, AmountSource.plan_price, note=NO_PRICE
            )
        lines.append(line)
        for repair, quantity in members:
            figures[repair.id] = Figure(road_id, work_kind, unit, quantity, amounts[repair.id])
    return figures, lines


def differences(
    statement_id: int,
    accounted: Mapping[int, Counted],
    truth: Mapping[int, Counted | None],
) -> tuple[list[Line], list[Record]]:
    """Compare what frozen statements counted with what the repairs now count for.

    `accounted`: repair → its newest record in a confirmed statement (never `statement_id`).
    `truth`: repair → where and with what it counts now: `statement_id` for the month built, a
    frozen statement for a frozen month, None when voided or in a month not frozen yet. Repairs
    of the month built that no frozen statement counted need not be given.
    Returns the difference lines (signed, per frozen statement, road, kind and unit) and the
    records to store on the statement built.
    """
    sums: dict[tuple[int, int, str, str], tuple[Decimal, Decimal]] = {}

    def add(corrects: int, figure: Figure, sign: int) -> None:
        key = (corrects, figure.road_id, figure.work_kind, figure.unit)
        quantity, amount = sums.get(key, (ZERO, ZERO))
        sums[key] = (quantity + sign * figure.quantity, amount + sign * figure.amount)

    records: list[Record] = []
    for repair_id in sorted(set(accounted) | set(truth)):
        old = accounted.get(repair_id)
        new = truth.get(repair_id)
        if old == new or (_empty(old) and (_empty(new) or new.statement_id == statement_id)):
            continue
        if not _empty(old) and old.statement_id != statement_id:
            add(old.statement_id, old.figure, -1)
        if new is not None and new.statement_id != statement_id:
            add(new.statement_id, new.figure, +1)
        if new is not None and new.statement_id == statement_id:
            continue  # stored as one of the month's repairs
        if new is not None:
            records.append(Record(repair_id, new.figure, new.statement_id))
        elif old is not None:
            gone = Figure(old.figure.road_id, old.figure.work_kind, old.figure.unit, ZERO, ZERO)
            records.append(Record(repair_id, gone, old.statement_id))
    lines = [
        Line(road_id, kind, unit, quantity, None, amount, AmountSource.difference, corrects)
        for (corrects, road_id, kind, unit), (quantity, amount) in sorted(sums.items())
        if quantity or amount
    ]
    return lines, records


def _empty(counted: Counted | None) -> bool:
    """Tell whether a figure counts for nothing (none, or a record zeroed by a difference)."""
    return counted is None or (not counted.figure.quantity and not counted.figure.amount)
