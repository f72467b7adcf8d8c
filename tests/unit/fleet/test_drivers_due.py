"""The drivers' due rules (inspection/fleet/driver_due.py): next review, licence expiry, lists."""

from datetime import date, timedelta

import pytest

from inspection.fleet import driver_due as due
from inspection.fleet.driver_due import Review

TODAY = date(2026, 6, 15)
REGISTERED = date(2026, 1, 10)


def passed(day: date) -> Review:
    return Review(day, "passed")


def failed(day: date) -> Review:
    return Review(day, "failed")


def test_next_review_is_365_days_after_the_last_passed_one():
    found = due.review_due([passed(date(2025, 3, 1)), passed(date(2025, 9, 1))], REGISTERED, TODAY)
    assert found.due_on == date(2026, 9, 1)
    assert found.last_on == date(2025, 9, 1)
    assert found.state == due.LATER
    assert found.days_left(TODAY) == 78


@pytest.mark.parametrize(
    ("last", "state", "days_left"),
    [
        (TODAY - timedelta(days=365), due.DUE_SOON, 0),  # due today: not yet overdue
        (TODAY - timedelta(days=366), due.OVERDUE, -1),
        (TODAY - timedelta(days=335), due.DUE_SOON, 30),  # the 30-day window, inclusive
        (TODAY - timedelta(days=334), due.LATER, 31),
    ],
)
def test_review_urgency_at_the_edges(last, state, days_left):
    found = due.review_due([passed(last)], REGISTERED, TODAY)
    assert (found.state, found.days_left(TODAY)) == (state, days_left)


def test_never_reviewed_is_due_from_registration_and_not_overdue():
    found = due.review_due([], REGISTERED, TODAY)
    assert found.state == due.NEVER
    assert found.due_on == REGISTERED
    assert found.last_on is None


def test_a_failed_newest_review_is_due_at_once_whatever_passed_before():
    found = due.review_due([passed(date(2026, 1, 5)), failed(date(2026, 5, 1))], REGISTERED, TODAY)
    assert found.state == due.FAILED
    assert found.due_on == date(2026, 5, 1)
    # Passed again later: counted from the new pass.
    again = due.review_due(
        [passed(date(2026, 1, 5)), failed(date(2026, 5, 1)), passed(date(2026, 5, 20))],
        REGISTERED,
        TODAY,
    )
    assert (again.state, again.due_on) == (due.LATER, date(2027, 5, 20))


def test_reviews_in_any_order_and_one_a_day():
    reviews = [passed(date(2026, 2, 1)), failed(date(2026, 2, 1)), passed(date(2025, 1, 1))]
    assert due.last_review(reviews) == failed(date(2026, 2, 1))  # the later given of one day
    assert due.last_passed_on(reviews) == date(2026, 2, 1)
    assert due.last_review([]) is None and due.last_passed_on([failed(TODAY)]) is None


@pytest.mark.parametrize(
    ("expires", "state"),
    [
        (TODAY - timedelta(days=1), due.EXPIRED),
        (TODAY, due.WITHIN_30),  # valid through its expiry day
        (TODAY + timedelta(days=30), due.WITHIN_30),
        (TODAY + timedelta(days=31), due.WITHIN_60),
        (TODAY + timedelta(days=60), due.WITHIN_60),
        (TODAY + timedelta(days=61), due.VALID),
    ],
)
def test_licence_states(expires, state):
    assert due.licence_state(expires, TODAY) == state


def test_a_review_after_the_licence_expired_is_refused_by_the_rule():
    assert due.review_after_expiry(date(2026, 3, 2), date(2026, 3, 1))
    assert not due.review_after_expiry(date(2026, 3, 1), date(2026, 3, 1))


def test_due_lists_order_and_membership():
    def judge(name, reviews, expires):
        return due.judge(
            name, reviews, registered_on=REGISTERED, licence_expires=expires, today=TODAY
        )

    far = TODAY + timedelta(days=900)
    drivers = [
        judge("fine", [passed(TODAY - timedelta(days=10))], far),
        judge("soon", [passed(TODAY - timedelta(days=350))], far),
        judge("overdue", [passed(TODAY - timedelta(days=400))], far),
        judge("never", [], TODAY + timedelta(days=20)),
        judge("failed", [failed(TODAY - timedelta(days=3))], far),
        judge("expired", [passed(TODAY - timedelta(days=100))], TODAY - timedelta(days=100)),
        judge("sixty", [passed(TODAY - timedelta(days=5))], TODAY + timedelta(days=45)),
    ]
    lists = due.due_lists(drivers)
    assert [d.driver for d in lists.reviews] == ["failed", "overdue", "never", "soon"]
    assert [d.driver for d in lists.licences] == ["expired", "never", "sixty"]
    never = next(d for d in drivers if d.driver == "never")
    assert (never.licence_state, never.licence_days_left) == (due.WITHIN_30, 20)
    assert never.review_listed and never.licence_listed
    fine = drivers[0]
    assert not fine.review_listed and not fine.licence_listed


def test_every_state_has_words():
    states = {due.OVERDUE, due.DUE_SOON, due.LATER, due.NEVER, due.FAILED}
    assert set(due.REVIEW_STATE_LABELS) == states
    assert set(due.LICENCE_STATE_LABELS) == {due.EXPIRED, due.WITHIN_30, due.WITHIN_60, due.VALID}
