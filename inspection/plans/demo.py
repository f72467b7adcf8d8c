"""Demo plan (#17): this year's maintenance plan, adjusted in July (more slope work)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.plans import plans as services
from inspection.plans.plan_rules import LineInput, to_money

# road (None: the whole branch), kind, unit, monthly quantity, unit price (yuan), months
ORIGINAL = (
    ("G30", "shoulder", "m2", 800, "35.50", range(4, 11)),
    ("G30", "pothole", "m2", 120, "180.00", range(3, 11)),
    ("G312", "slope", "m2", 500, "42.00", range(5, 10)),
    ("S21", "pothole", "site", 30, "650.00", range(4, 11)),
    (None, "marking", "m", 2000, "12.00", (5, 6, 8)),
    (None, "roadside_environment", "item", 2, "15000.00", range(3, 12)),
)
# July's adjustment: more slope work on G312, less shoulder work on G30.
ADJUSTED = {("G312", "slope"): (900, "42.00"), ("G30", "shoulder"): (600, "35.50")}
PLANNERS = ("manager1", "admin")


def _lines(rows, *, from_month: int = 1, changes=None) -> list[LineInput]:
    lines = []
    for road, kind, unit, quantity, price, months in rows:
        quantity, price = (changes or {}).get((road, kind), (quantity, price))
        for month in months:
            if month >= from_month:
                lines.append(
                    LineInput(month, road, kind, unit, to_money(quantity), to_money(price))
                )
    return lines


def load_demo_plan(session: Session, today: date) -> None:
    """Create this year's plan and its July adjustment (nothing when a plan exists)."""
    if services.find_plan(session, today.year) is not None:
        return
    actor = session.scalar(select(User).where(User.username.in_(PLANNERS)).order_by(User.id))
    if actor is None:
        return
    plan = services.create_plan(
        session, today.year, f"{today.year}年度日常养护计划", _lines(ORIGINAL), actor=actor
    )
    services.adjust_plan(
        session,
        plan,
        7,
        _lines(ORIGINAL, from_month=7, changes=ADJUSTED),
        note="汛期G312边坡整修增加，G30路肩整修调减",
        actor=actor,
    )
