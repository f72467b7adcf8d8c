"""Plan execution (计划执行): plan vs done per month, kind and road, to date; pure.

The records come in as plain rows (:mod:`.execution_queries` reads them): the chosen plan
version's lines, the non-voided repairs completed per month, road and kind, and the lines of the
year's CONFIRMED measurement statements. The figures come out:

* **done quantity** — for a kind measured by repairs (``repair_kind``), the repairs completed in
  the month in the line's unit (m²: ``area_m2``; 处: ``count``); for the branch's own items, the
  manual lines of confirmed statements only, else the line is "not measured" (never 0);
* **amount done** — a month with a confirmed statement takes that statement's amounts (its lines
  of the kind and road, difference lines included: they are that month's measurement); any other
  month is quantity × the plan line's unit price (each month says which);
* **计划完成率** (plan completion) = done quantity ÷ planned quantity, to date (per line) and
  for the year (per kind); **资金使用率** (fund use) = amount done ÷ budget, likewise;
* **behind plan** — cumulative done share of the year's quantity lags the cumulative planned share
  by more than :data:`BEHIND_POINTS` percentage points.

Which row a repair counts on: its road's line when the version plans that road for the kind and
unit; else the whole-branch line of the kind and unit; else a row of its own (done without plan)
in the kind's usual unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from inspection.plans.kinds import WORK_KINDS, AmountSource, Unit

#: A line is behind plan when its cumulative done share of the year's quantity is more than
#: this many percentage points under its cumulative planned share (a setting in code).
BEHIND_POINTS = Decimal(10)

MONTHS = tuple(range(1, 13))
ZERO = Decimal(0)
HUNDRED = Decimal(100)

# Amount sources of a month's done amount.
FROM_STATEMENT = "statement"  # a confirmed statement's amounts
FROM_PLAN_PRICE = "plan_price"  # quantity × the plan line's unit price


@dataclass(frozen=True, slots=True)
class PlanLineIn:
    month: int
    road: str | None  # road code; None = the whole branch
    kind: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    budget: Decimal


@dataclass(frozen=True, slots=True)
class RepairsIn:
    """Non-voided repairs of a kind completed on a road in a month (sums)."""

    month: int
    road: str
    kind: str  # the repair kind
    area_m2: Decimal | None
    count: int | None


@dataclass(frozen=True, slots=True)
class MeasuredIn:
    """Confirmed statement lines of a month, road, kind, unit and amount source (sums)."""

    month: int
    road: str | None
    kind: str
    unit: str
    source: str
    quantity: Decimal
    amount: Decimal


Key = tuple[str | None, str, str]  # (road code or None, work kind, unit)


def rate(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """Return part ÷ whole in percent to one decimal (None when either is missing or whole 0)."""
    if part is None or not whole:
        return None
    return (part * HUNDRED / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Row:
    """One plan line's year (or a done-without-plan row): monthly figures and their sums."""

    road: str | None
    kind: str
    unit: str
    planned: dict[int, Decimal] = field(default_factory=lambda: dict.fromkeys(MONTHS, ZERO))
    budget: dict[int, Decimal] = field(default_factory=lambda: dict.fromkeys(MONTHS, ZERO))
    price: dict[int, Decimal] = field(default_factory=dict)
    done: dict[int, Decimal] = field(default_factory=lambda: dict.fromkeys(MONTHS, ZERO))
    amount: dict[int, Decimal] = field(default_factory=lambda: dict.fromkeys(MONTHS, ZERO))
    source: dict[int, str] = field(default_factory=dict)  # month → FROM_* when done
    measured: bool = True  # False: an own item no confirmed statement measured
    unpriced: bool = False  # done in a month without a price to apply (amount left 0)
    # Set by finish():
    through: int = 0
    planned_year: Decimal = ZERO
    budget_year: Decimal = ZERO
    planned_to_date: Decimal = ZERO
    budget_to_date: Decimal = ZERO
    done_to_date: Decimal | None = ZERO
    amount_to_date: Decimal | None = ZERO

    @property
    def key(self) -> Key:
        return (self.road, self.kind, self.unit)

    @property
    def completion(self) -> Decimal | None:
        """计划完成率 to date: done ÷ planned, through the month reached."""
        return rate(self.done_to_date, self.planned_to_date)

    @property
    def fund_use(self) -> Decimal | None:
        """资金使用率 to date: amount done ÷ budget, through the month reached."""
        return rate(self.amount_to_date, self.budget_to_date)

    @property
    def planned_share(self) -> Decimal | None:
        return rate(self.planned_to_date, self.planned_year)

    @property
    def done_share(self) -> Decimal | None:
        return rate(self.done_to_date, self.planned_year)

    @property
    def behind(self) -> bool:
        if not self.measured or self.planned_share is None:
            return False
        return self.planned_share - (self.done_share or ZERO) > BEHIND_POINTS

    @property
    def lag_points(self) -> Decimal | None:
        if self.planned_share is None or self.done_share is None:
            return None
        return self.planned_share - self.done_share

    def cumulative(self, values: dict[int, Decimal], through: int = 12) -> list[Decimal]:
        total, out = ZERO, []
        for month in MONTHS[:through]:
            total += values[month]
            out.append(total)
        return out

    def finish(self, through: int) -> None:
        self.through = through
        upto = MONTHS[:through]
        self.planned_year = sum(self.planned.values(), ZERO)
        self.budget_year = sum(self.budget.values(), ZERO)
        self.planned_to_date = sum((self.planned[m] for m in upto), ZERO)
        self.budget_to_date = sum((self.budget[m] for m in upto), ZERO)
        if self.measured:
            self.done_to_date = sum((self.done[m] for m in upto), ZERO)
            self.amount_to_date = sum((self.amount[m] for m in upto), ZERO)
        else:
            self.done_to_date = self.amount_to_date = None

    @property
    def sources(self) -> set[str]:
        return {s for m, s in self.source.items() if m <= self.through}


@dataclass
class KindTotal:
    """A kind's figures in one unit over every road: the year's completion and fund use."""

    kind: str
    unit: str
    rows: list[Row]

    def _sum(self, attr: str) -> Decimal | None:
        values = [getattr(r, attr) for r in self.rows if r.measured]
        return sum(values, ZERO) if values else None

    @property
    def measured(self) -> bool:
        return any(r.measured for r in self.rows)

    @property
    def planned_year(self) -> Decimal:
        return sum((r.planned_year for r in self.rows), ZERO)

    @property
    def budget_year(self) -> Decimal:
        return sum((r.budget_year for r in self.rows), ZERO)

    @property
    def planned_to_date(self) -> Decimal:
        return sum((r.planned_to_date for r in self.rows), ZERO)

    @property
    def done_to_date(self) -> Decimal | None:
        return self._sum("done_to_date")

    @property
    def amount_to_date(self) -> Decimal | None:
        return self._sum("amount_to_date")

    @property
    def completion_year(self) -> Decimal | None:
        """计划完成率 of the year: done to date ÷ the year's planned quantity."""
        return rate(self.done_to_date, self.planned_year)

    @property
    def fund_use_year(self) -> Decimal | None:
        """资金使用率 of the year: amount done to date ÷ the year's budget."""
        return rate(self.amount_to_date, self.budget_year)

    @property
    def sources(self) -> set[str]:
        return set().union(*(r.sources for r in self.rows))

    def cumulative_planned(self) -> list[Decimal]:
        return _add([r.cumulative(r.planned) for r in self.rows], 12)

    def cumulative_done(self, through: int) -> list[Decimal]:
        return _add([r.cumulative(r.done, through) for r in self.rows if r.measured], through)


def _add(series: list[list[Decimal]], length: int) -> list[Decimal]:
    return [sum((s[i] for s in series), ZERO) for i in range(length)]


@dataclass
class Execution:
    """A year's plan execution against one plan version, through a month."""

    year: int
    version: int
    through: int  # months 1..through count as "to date" (0: the year has not begun)
    rows: list[Row]
    confirmed_months: frozenset[int]
    road: str | None = None  # the rows of one road only

    @property
    def kinds(self) -> list[KindTotal]:
        groups: dict[tuple[str, str], list[Row]] = {}
        for row in self.rows:
            groups.setdefault((row.kind, row.unit), []).append(row)
        return [KindTotal(kind, unit, rows) for (kind, unit), rows in groups.items()]

    @property
    def behind(self) -> list[Row]:
        return [r for r in self.rows if r.behind]


def _order(row: Row) -> tuple:
    kinds = list(WORK_KINDS)
    kind_at = kinds.index(row.kind) if row.kind in WORK_KINDS else len(kinds)
    units = list(Unit)
    return (kind_at, units.index(Unit(row.unit)), row.road is None, row.road or "")


def through_month(year: int, today_year: int, today_month: int) -> int:
    """Return how many months of `year` are "to date" on a day (12 for a past year)."""
    if year < today_year:
        return 12
    if year > today_year:
        return 0
    return today_month


def execution(
    year: int,
    version: int,
    lines: Iterable[PlanLineIn],
    repairs: Iterable[RepairsIn],
    measured: Iterable[MeasuredIn],
    confirmed_months: Iterable[int],
    *,
    through: int,
    road: str | None = None,
) -> Execution:
    """Return the execution of a plan version (see the module's rules)."""
    rows: dict[Key, Row] = {}
    for line in lines:
        row = rows.setdefault(
            (line.road, line.kind, line.unit), Row(line.road, line.kind, line.unit)
        )
        row.planned[line.month] += line.quantity
        row.budget[line.month] += line.budget
        row.price[line.month] = line.unit_price
    planned_keys = set(rows)
    confirmed = frozenset(confirmed_months)
    repair_kinds = {k.repair_kind: k for k in WORK_KINDS.values() if k.repair_kind}

    def place(road: str | None, kind: str, unit: str, *, own_row: bool) -> Row | None:
        for key in ((road, kind, unit), (None, kind, unit)):
            if key in planned_keys:
                return rows[key]
        if not own_row:
            return None
        return rows.setdefault((road, kind, unit), Row(road, kind, unit))

    # Repairs → done quantity (and the plan-price amount of months not confirmed).
    for r in repairs:
        work = repair_kinds.get(r.kind)
        if work is None:
            continue
        for unit in work.units:
            value = {Unit.m2: r.area_m2, Unit.site: r.count}.get(unit)
            if value is None:
                continue
            row = place(r.road, work.code, unit, own_row=unit == work.units[0])
            if row is None:
                continue
            row.done[r.month] += Decimal(value)
            if r.month not in confirmed:
                price = _price(row, r.month, rows)
                if price is None:
                    row.unpriced = True
                else:
                    row.amount[r.month] += Decimal(value) * price
                row.source[r.month] = FROM_PLAN_PRICE

    # Confirmed statements → amounts (repair kinds) or quantity and amount (own items, manual).
    own_measured: set[Key] = set()
    for m in measured:
        work = WORK_KINDS.get(m.kind)
        if work is None:
            continue
        if work.repair_kind is None:
            if m.source != AmountSource.manual:
                continue
            row = place(m.road, m.kind, m.unit, own_row=True)
            row.done[m.month] += m.quantity
            own_measured.add(row.key)
        else:
            row = place(m.road, m.kind, m.unit, own_row=False)
            if row is None:
                continue
        row.amount[m.month] += m.amount
        row.source[m.month] = FROM_STATEMENT
    for month in confirmed:  # a confirmed month's amounts are the statement's, even none
        for row in rows.values():
            if WORK_KINDS[row.kind].repair_kind and row.done[month] and month not in row.source:
                row.source[month] = FROM_STATEMENT

    for row in rows.values():
        if WORK_KINDS[row.kind].repair_kind is None and row.key not in own_measured:
            row.measured = False
        row.finish(through)
    chosen = [r for r in rows.values() if road is None or r.road == road]
    return Execution(year, version, through, sorted(chosen, key=_order), confirmed, road)


def _price(row: Row, month: int, rows: dict[Key, Row]) -> Decimal | None:
    """The unit price for done work: the row's line of the month, else its nearest earlier
    month's, else its first; a row without lines takes the whole-branch line's price."""
    for source in (row, rows.get((None, row.kind, row.unit))):
        if source is None or not source.price:
            continue
        earlier = [m for m in source.price if m <= month]
        return source.price[max(earlier)] if earlier else source.price[min(source.price)]
    return None


#: How each figure is counted, in the report's two languages (printed with the figures).
DEFINITIONS = {
    "completion": (
        "计划完成率 = 完成数量 ÷ 计划数量 × 100%：各计划行按截至本月的累计计划数量计，"
        "各作业类型的年度完成率按全年计划数量计。",
        "Plan completion = quantity done ÷ quantity planned × 100 %: per line against the plan"
        " to date (months through this one), per kind for the year against the year's plan.",
    ),
    "fund_use": (
        "资金使用率 = 完成金额 ÷ 预算金额 × 100%（口径同计划完成率）；"
        "已确认计量的月份按计量单金额，其余月份按完成数量 × 计划单价。",
        "Fund use = amount done ÷ budget × 100 % (to date per line, for the year per kind); a"
        " month with a confirmed measurement statement counts the statement's amounts, any"
        " other month quantity done × the plan's unit price.",
    ),
    "done": (
        "完成数量：有维修记录的作业类型按当月完工、未作废的维修记录（平方米按面积，处按处数）；"
        "分局自有项目仅按已确认计量单的手工计量行，没有则为“未计量”。",
        "Quantity done: for kinds with repair records, the non-voided repairs completed in the"
        " month (m² by area, sites by count); the branch's own items only from the manual lines"
        " of confirmed measurement statements, else “not measured”.",
    ),
    "behind": (
        f"滞后于计划：截至本月累计完成数量占全年计划的比例比累计计划比例低{BEHIND_POINTS}个百分点以上。",
        f"Behind plan: the share of the year's quantity done to date is more than {BEHIND_POINTS}"
        " percentage points under the share planned to date.",
    ),
}


def _plain(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def as_json(result: Execution, version_numbers: list[int]) -> dict:
    """Return the execution as the API answers it."""

    def row_json(row: Row) -> dict:
        return {
            "road": row.road,
            "kind": row.kind,
            "unit": row.unit,
            "measured": row.measured,
            "planned_year": _plain(row.planned_year),
            "budget_year": _plain(row.budget_year),
            "planned_to_date": _plain(row.planned_to_date),
            "budget_to_date": _plain(row.budget_to_date),
            "done_to_date": _plain(row.done_to_date),
            "amount_to_date": _plain(row.amount_to_date),
            "completion": _plain(row.completion),
            "fund_use": _plain(row.fund_use),
            "behind": row.behind,
            "amount_sources": sorted(row.sources),
            "months": [
                {
                    "month": m,
                    "planned": _plain(row.planned[m]),
                    "budget": _plain(row.budget[m]),
                    "done": _plain(row.done[m]) if row.measured and m <= result.through else None,
                    "amount": _plain(row.amount[m])
                    if row.measured and m <= result.through
                    else None,
                    "amount_source": row.source.get(m) if m <= result.through else None,
                }
                for m in MONTHS
            ],
        }

    return {
        "year": result.year,
        "version": result.version,
        "versions": version_numbers,
        "through_month": result.through,
        "road": result.road,
        "behind_points": float(BEHIND_POINTS),
        "confirmed_months": sorted(result.confirmed_months),
        "kinds": [
            {
                "kind": k.kind,
                "unit": k.unit,
                "measured": k.measured,
                "planned_year": _plain(k.planned_year),
                "budget_year": _plain(k.budget_year),
                "done_to_date": _plain(k.done_to_date),
                "amount_to_date": _plain(k.amount_to_date),
                "completion_year": _plain(k.completion_year),
                "fund_use_year": _plain(k.fund_use_year),
                "amount_sources": sorted(k.sources),
            }
            for k in result.kinds
        ],
        "rows": [row_json(r) for r in result.rows],
        "behind": [{"road": r.road, "kind": r.kind, "unit": r.unit} for r in result.behind],
        "definitions": {k: {"zh": zh, "en": en} for k, (zh, en) in DEFINITIONS.items()},
    }
