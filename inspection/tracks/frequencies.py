"""Patrol frequencies by road class (巡查频率): list them, and set one (which confirms it)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.errors import N_, NotFound, ValidationError
from inspection.network.models import ROAD_CLASS_LABELS
from inspection.tracks.kinds import DEFAULT_FREQUENCY_DAYS
from inspection.tracks.models import PatrolFrequency

MIN_DAYS, MAX_DAYS = 1, 365


def list_frequencies(session: Session) -> list[PatrolFrequency]:
    """Return every road class's frequency, in the order of the road classes.

    A class the table lacks (a database seeded before the class existed) is shown with its
    shipped default, unconfirmed, and only stored when someone sets it: reading never writes.
    """
    stored = {f.road_class: f for f in session.scalars(select(PatrolFrequency))}
    for road_class, days in DEFAULT_FREQUENCY_DAYS.items():
        if road_class not in stored:
            stored[road_class] = PatrolFrequency(
                road_class=road_class, every_days=days, confirmed=False
            )
    order = list(ROAD_CLASS_LABELS)
    return sorted(
        stored.values(),
        key=lambda f: (
            order.index(f.road_class) if f.road_class in order else len(order),
            f.road_class,
        ),
    )


def set_frequency(
    session: Session, road_class: str, every_days: int, *, actor: User
) -> PatrolFrequency:
    """Set how often a road class is patrolled (every N days); the branch has then confirmed it."""
    if road_class not in ROAD_CLASS_LABELS and road_class not in DEFAULT_FREQUENCY_DAYS:
        raise NotFound(N_("There is no road class %(code)s."), code=road_class)
    if (
        isinstance(every_days, bool)
        or not isinstance(every_days, int)
        or not (MIN_DAYS <= every_days <= MAX_DAYS)
    ):
        raise ValidationError(
            N_("Give the frequency as a whole number of days from %(low)d to %(high)d."),
            fields={"every_days": N_("Enter a whole number.")},
            low=MIN_DAYS,
            high=MAX_DAYS,
        )
    found = session.get(PatrolFrequency, road_class)
    if found is None:
        found = PatrolFrequency(road_class=road_class)
        session.add(found)
    found.every_days = every_days
    found.confirmed = True
    found.updated_by_id = actor.id
    session.flush()
    return found


def frequency_dict(frequency: PatrolFrequency, gettext) -> dict:
    return {
        "road_class": frequency.road_class,
        "road_class_label": gettext(
            ROAD_CLASS_LABELS.get(frequency.road_class, frequency.road_class)
        ),
        "every_days": frequency.every_days,
        "confirmed": bool(frequency.confirmed),
        "default_days": DEFAULT_FREQUENCY_DAYS.get(frequency.road_class),
        "updated_at": frequency.updated_at.isoformat() if frequency.updated_at else None,
    }
