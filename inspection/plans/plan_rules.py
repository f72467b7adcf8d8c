"""The rules of a plan's lines: units that fit the kind, limits, duplicates and the budget (#17).

Pure module: no Flask, no database. A line's road is checked against the register by the
service; everything else about a line is decided here, once for the API, the form and the import.

Decisions:

* Quantities, unit prices and budgets are Decimal rounded to hundredths (fen for money),
  ROUND_HALF_UP; none may be negative; a quantity of 0 is allowed (a month with a budget only).
* The budget is the one given, else quantity × unit price rounded to fen. Which one it was is
  not stored: a budget equal to quantity × unit price reads as computed (`budget_source`).
* One line per month, road (or the whole branch) and kind in one input: a second is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from inspection.errors import N_
from inspection.imports import Problem
from inspection.plans.kinds import UNIT_LABELS, WORK_KINDS, Unit

FEN = Decimal("0.01")
QUANTITY_MAX = Decimal("100000000")  # 10⁸ m², m, sites… of one kind in one month
PRICE_MAX = Decimal("1000000000")  # yuan per unit; the column holds up to 10¹²
BUDGET_MAX = Decimal("1000000000000")  # yuan; the column holds up to 10¹⁴
NOTE_LENGTH = 2000
ROAD_LENGTH = 40
NAME_LENGTH = 128


class BudgetSource:
    given = "given"  # typed in the plan
    computed = "computed"  # quantity × unit price, rounded to fen


@dataclass(frozen=True)
class LineInput:
    """A plan line as given (road as written: a code, maybe with a direction; None = branch)."""

    month: int
    road: str | None
    work_kind: str
    unit: str
    quantity: Decimal
    unit_price_yuan: Decimal
    budget_yuan: Decimal | None = None
    note: str = ""

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.month, (self.road or "").strip().upper(), self.work_kind)


def to_money(value: float | int | str | Decimal) -> Decimal:
    """Return a number as hundredths (fen), ROUND_HALF_UP."""
    return Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)


def computed_budget(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """Return quantity × unit price rounded to fen."""
    return (quantity * unit_price).quantize(FEN, rounding=ROUND_HALF_UP)


def budget_of(line: LineInput) -> Decimal:
    """Return the line's budget: the one given, else quantity × unit price."""
    if line.budget_yuan is not None:
        return line.budget_yuan
    return computed_budget(line.quantity, line.unit_price_yuan)


def budget_source(quantity: Decimal, unit_price: Decimal, budget: Decimal) -> str:
    """Say whether a stored budget is quantity × unit price ("computed") or was typed."""
    if computed_budget(quantity, unit_price) == budget:
        return BudgetSource.computed
    return BudgetSource.given


def unit_words(kind: str) -> str:
    """Return the units a kind is measured in, as codes joined for a message."""
    return ", ".join(unit.value for unit in WORK_KINDS[kind].units)


def line_problems(line: LineInput, *, first_month: int = 1) -> list[Problem]:
    """Return what is wrong with one line (empty: fine), field by field."""
    problems: list[Problem] = []
    if not 1 <= line.month <= 12:
        problems.append(Problem("month", N_("The month must be 1 to 12.")))
    elif line.month < first_month:
        problems.append(
            Problem(
                "month",
                N_("Months before the adjustment's first month cannot change."),
                N_("Month %(month)d is before month %(first)d, the first month adjusted."),
                {"month": line.month, "first": first_month},
            )
        )
    kind = WORK_KINDS.get(line.work_kind)
    if kind is None:
        problems.append(Problem("work_kind", N_("Not one of the allowed values.")))
    if line.unit not in {u.value for u in Unit}:
        problems.append(Problem("unit", N_("Not one of the allowed values.")))
    elif kind is not None and line.unit not in kind.units:
        problems.append(
            Problem(
                "unit",
                N_("The unit does not fit the kind of work."),
                N_("%(kind)s is measured in %(units)s, not %(unit)s."),
                {"kind": kind.en, "units": unit_words(kind.code), "unit": line.unit},
            )
        )
    for name, value, limit in (
        ("quantity", line.quantity, QUANTITY_MAX),
        ("unit_price_yuan", line.unit_price_yuan, PRICE_MAX),
        ("budget_yuan", line.budget_yuan, BUDGET_MAX),
    ):
        if value is None:
            continue
        if value < 0:
            problems.append(Problem(name, N_("Must not be negative.")))
        elif value > limit:
            problems.append(Problem(name, N_("The number is too large.")))
    if (
        line.budget_yuan is None
        and not any(p.field in ("quantity", "unit_price_yuan") for p in problems)
        and computed_budget(line.quantity, line.unit_price_yuan) > BUDGET_MAX
    ):
        problems.append(Problem("budget_yuan", N_("The number is too large.")))
    if len(line.note) > NOTE_LENGTH:
        problems.append(Problem("note", N_("Too long.")))
    return problems


def duplicate_problem(first_index: int) -> Problem:
    """The problem of a second line of the same month, road and kind."""
    return Problem(
        "work_kind",
        N_("A second line for the same month, road and kind."),
        N_("The same month, road and kind as line %(line)d."),
        {"line": first_index},
    )


def lines_problems(
    lines: Sequence[LineInput], *, first_month: int = 1, numbers: Iterable[int] | None = None
) -> dict[int, list[Problem]]:
    """Return index → problems of each bad line; `numbers` name the lines in messages."""
    named = list(numbers) if numbers is not None else list(range(len(lines)))
    found: dict[int, list[Problem]] = {}
    seen: dict[tuple[int, str, str], int] = {}
    for index, line in enumerate(lines):
        problems = line_problems(line, first_month=first_month)
        if line.key in seen:
            problems.append(duplicate_problem(seen[line.key]))
        else:
            seen[line.key] = named[index]
        if problems:
            found[index] = problems
    return found


def unit_label(unit: str) -> str:
    """The untranslated label of a unit code (the code itself when unknown)."""
    return UNIT_LABELS.get(unit, unit)  # type: ignore[call-overload]
