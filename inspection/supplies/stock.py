"""Stock levels from movements, shortfalls and the winter season: pure, no Flask, no database.

A depot's stock of an item at a date is the sum of its signed movements on or before that date
(received and returned add, issued and written off take away). Movements of one day have no
order between them: a level is always an end-of-day level.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from inspection.supplies.kinds import MOVEMENT_SIGN, MovementKind

ZERO = Decimal("0.00")
# October to March: the months before and through the snow season (the board's banner).
WINTER_MONTHS = (10, 11, 12, 1, 2, 3)


@dataclass(frozen=True)
class Move:
    """What a level needs of one movement: its kind, quantity (> 0) and date."""

    kind: str
    quantity: Decimal
    on_date: date


def signed(kind: str, quantity: Decimal) -> Decimal:
    """Return the change a movement makes to the stock (+ for received/returned)."""
    return MOVEMENT_SIGN[MovementKind(kind)] * quantity


def stock_at(moves: Iterable[Move], day: date) -> Decimal:
    """Return the stock at the end of `day`: the signed movements on or before it."""
    return sum((signed(m.kind, m.quantity) for m in moves if m.on_date <= day), ZERO)


def end_of_day_levels(moves: Iterable[Move]) -> list[tuple[date, Decimal]]:
    """Return (day, level at its end) for each day with movements, oldest first."""
    ordered = sorted(moves, key=lambda m: m.on_date)
    levels: list[tuple[date, Decimal]] = []
    level = ZERO
    for day, group in groupby(ordered, key=lambda m: m.on_date):
        level += sum((signed(m.kind, m.quantity) for m in group), ZERO)
        levels.append((day, level))
    return levels


@dataclass(frozen=True)
class Refusal:
    """Why a movement cannot be recorded: the day the stock would go below zero and by how much."""

    day: date
    level: Decimal  # the level that day had the movement been recorded (negative)
    today: bool  # True when it is the current stock that would go negative


def check_new_move(existing: Sequence[Move], new: Move, today: date) -> Refusal | None:
    """Tell whether adding `new` keeps every end-of-day level from its date onward at or above 0.

    A receipt or return can never make a level negative. An issue or write-off must leave the
    stock non-negative at the end of its own day and of every later day with movements (a
    backdated issue before later issues would otherwise say the depot handed out what it did
    not have), and today.
    """
    change = signed(new.kind, new.quantity)
    if change >= 0:
        return None
    levels = end_of_day_levels([*existing, new])
    current = levels[-1][1] if levels else change
    if current < 0:
        return Refusal(today, current, True)
    for day, level in levels:
        if day >= new.on_date and level < 0:
            return Refusal(day, level, False)
    return None


def shortfall(quantity: Decimal, minimum: Decimal) -> Decimal:
    """Return how much is missing to reach the minimum (0 when the stock is enough)."""
    return max(minimum - quantity, ZERO)


def below_minimum(quantity: Decimal, minimum: Decimal) -> bool:
    """Tell whether a stock line is short: a minimum is set and the stock is under it."""
    return minimum > 0 and quantity < minimum


def in_season(today: date, months: Iterable[int] = WINTER_MONTHS) -> bool:
    """Tell whether today falls in the months before and through the winter season."""
    return today.month in set(months)


def parse_months(text: str | Iterable[int] | None) -> tuple[int, ...]:
    """Read the season's months from a setting ("10,11,12,1,2,3" or a list); bad → default."""
    if text is None:
        return WINTER_MONTHS
    parts = text.split(",") if isinstance(text, str) else list(text)
    months = []
    for part in parts:
        value = str(part).strip()
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 12:
            return WINTER_MONTHS
        months.append(int(value))
    return tuple(months) or WINTER_MONTHS
