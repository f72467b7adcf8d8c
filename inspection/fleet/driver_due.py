"""When a driver's annual review (驾驶员年审) falls due; how near the licence's expiry is (#15).

Pure: no Flask, no database, dates and codes in and out.

Review: the next one falls due REVIEW_INTERVAL_DAYS after the last review the driver passed.
Two cases have no such day, and both are due now:
- no review recorded (state `never`): the register does not know when the last one was (it was
  kept on paper before), so it asks for it from the day the driver entered the register; it is
  listed as due, not as overdue, until a review is recorded;
- the newest review was not passed (state `failed`): the driver must pass one again before the
  register counts them as reviewed, so it is due from the day of that failed review.
Licence: expired the day after its expiry day; "within 30 days" and "within 60 days" before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from inspection.errors import N_
from inspection.fleet.due import DUE_SOON, DUE_WINDOW_DAYS, LATER, OVERDUE, urgency
from inspection.fleet.kinds import DriverReviewResult

REVIEW_INTERVAL_DAYS = 365
# The licence is shown as expiring this many days ahead (two steps: soon, and sooner).
LICENCE_WARNING_DAYS = (30, 60)

# Review states (OVERDUE, DUE_SOON, LATER as the fleet's due board words them, and two more).
NEVER = "never"
FAILED = "failed"
REVIEW_STATE_LABELS = {
    OVERDUE: N_("Review overdue"),
    DUE_SOON: N_("Review due soon"),
    NEVER: N_("No review recorded"),
    FAILED: N_("Last review not passed"),
    LATER: N_("Reviewed"),
}
# Licence states.
EXPIRED = "expired"
WITHIN_30 = "within_30"
WITHIN_60 = "within_60"
VALID = "valid"
LICENCE_STATE_LABELS = {
    EXPIRED: N_("Licence expired"),
    WITHIN_30: N_("Licence expires within 30 days"),
    WITHIN_60: N_("Licence expires within 60 days"),
    VALID: N_("Licence valid"),
}
# The states a due list shows (the others are in order).
REVIEW_DUE = frozenset({OVERDUE, DUE_SOON, NEVER, FAILED})
LICENCE_DUE = frozenset({EXPIRED, WITHIN_30, WITHIN_60})


@dataclass(frozen=True)
class Review:
    """A review as the rules need it."""

    reviewed_on: date
    result: str


def last_review(reviews: Iterable[Review]) -> Review | None:
    """Return the newest review (by day; of two on one day the later one given)."""
    newest = None
    for review in reviews:
        if newest is None or review.reviewed_on >= newest.reviewed_on:
            newest = review
    return newest


def last_passed_on(reviews: Iterable[Review]) -> date | None:
    """Return the day of the newest review the driver passed."""
    days = [r.reviewed_on for r in reviews if r.result == DriverReviewResult.passed]
    return max(days) if days else None


@dataclass(frozen=True)
class ReviewDue:
    state: str  # OVERDUE, DUE_SOON, LATER, NEVER or FAILED
    due_on: date  # the day the next review falls due (for NEVER and FAILED: it already has)
    last_on: date | None  # the newest review's day, passed or not

    def days_left(self, today: date) -> int:
        """Days from today to the due day (negative: overdue by that many days)."""
        return (self.due_on - today).days


def review_due(
    reviews: Iterable[Review], registered_on: date, today: date, window: int = DUE_WINDOW_DAYS
) -> ReviewDue:
    """Say when the driver's next review falls due, and how urgent it is today."""
    reviews = list(reviews)
    newest = last_review(reviews)
    if newest is None:
        return ReviewDue(NEVER, registered_on, None)
    if newest.result != DriverReviewResult.passed:
        return ReviewDue(FAILED, newest.reviewed_on, newest.reviewed_on)
    due_on = newest.reviewed_on + timedelta(days=REVIEW_INTERVAL_DAYS)
    return ReviewDue(urgency(due_on, today, window), due_on, newest.reviewed_on)


def licence_state(expires: date, today: date) -> str:
    """Say whether a licence has expired, expires within 30 or 60 days, or is valid."""
    if expires < today:
        return EXPIRED
    near, far = LICENCE_WARNING_DAYS
    if expires <= today + timedelta(days=near):
        return WITHIN_30
    if expires <= today + timedelta(days=far):
        return WITHIN_60
    return VALID


@dataclass(frozen=True)
class DriverDue:
    """One driver's review and licence, judged on a day."""

    driver: Any  # whatever the caller keys drivers by (a Driver, an id…)
    review: ReviewDue
    review_days_left: int
    licence_state: str
    licence_days_left: int

    @property
    def review_listed(self) -> bool:
        return self.review.state in REVIEW_DUE

    @property
    def licence_listed(self) -> bool:
        return self.licence_state in LICENCE_DUE


def judge(
    driver: Any,
    reviews: Iterable[Review],
    *,
    registered_on: date,
    licence_expires: date,
    today: date,
) -> DriverDue:
    """Judge one driver's review and licence on `today`."""
    review = review_due(reviews, registered_on, today)
    return DriverDue(
        driver=driver,
        review=review,
        review_days_left=review.days_left(today),
        licence_state=licence_state(licence_expires, today),
        licence_days_left=(licence_expires - today).days,
    )


# Order of the review list: what needs a review most first.
_REVIEW_ORDER = {FAILED: 0, OVERDUE: 1, NEVER: 2, DUE_SOON: 3, LATER: 4}


@dataclass(frozen=True)
class DueLists:
    reviews: list[DriverDue]  # not passed, overdue (most first), never reviewed, due soon
    licences: list[DriverDue]  # expired (longest ago first), then expiring soonest first


def due_lists(judged: Iterable[DriverDue]) -> DueLists:
    """Sort judged drivers into the review list and the licence list (a driver may be in both)."""
    judged = list(judged)
    reviews = sorted(
        (d for d in judged if d.review_listed),
        key=lambda d: (_REVIEW_ORDER[d.review.state], d.review.due_on),
    )
    licences = sorted((d for d in judged if d.licence_listed), key=lambda d: d.licence_days_left)
    return DueLists(reviews, licences)


def review_after_expiry(reviewed_on: date, licence_expires: date) -> bool:
    """Tell whether a review claims a day on which the driver's licence had already expired."""
    return reviewed_on > licence_expires
