"""When maintenance, the annual inspection and insurance fall due (pure: no database)."""

from datetime import date

import pytest

from inspection.fleet import due
from inspection.fleet.due import DueDate

TODAY = date(2026, 3, 1)


def test_next_due_counts_from_the_last_event_or_from_entry():
    assert due.next_due(date(2026, 1, 10), date(2025, 1, 1), 60) == date(2026, 3, 11)
    assert due.next_due(None, date(2025, 1, 1), 365) == date(2026, 1, 1)
    assert due.next_due(None, date(2024, 2, 29), 365) == date(2025, 2, 28)  # a leap year


@pytest.mark.parametrize(
    ("due_on", "expected"),
    [
        (date(2026, 2, 28), due.OVERDUE),
        (date(2026, 3, 1), due.DUE_SOON),  # due today is not yet overdue
        (date(2026, 3, 31), due.DUE_SOON),  # the 30th day ahead is in the window
        (date(2026, 4, 1), due.LATER),
    ],
)
def test_urgency_edges(due_on, expected):
    assert due.urgency(due_on, TODAY) == expected


def test_a_zero_day_window_holds_only_today():
    assert due.urgency(TODAY, TODAY, 0) == due.DUE_SOON
    assert due.urgency(date(2026, 3, 2), TODAY, 0) == due.LATER


def test_the_last_events_skip_failed_annual_inspections():
    events = [
        ("maintenance", date(2026, 1, 10), None),
        ("maintenance", date(2025, 11, 1), None),
        ("annual_inspection", date(2025, 3, 1), True),
        ("annual_inspection", date(2026, 2, 27), False),
        ("insurance", date(2025, 6, 1), None),
    ]
    assert due.last_events(events) == {
        "maintenance": date(2026, 1, 10),
        "annual_inspection": date(2025, 3, 1),
        "insurance": date(2025, 6, 1),
    }
    assert due.last_events([("annual_inspection", date(2026, 1, 1), None)]) == {}


def test_due_dates_use_the_stored_interval_then_the_default():
    dates = due.due_dates(
        kind="patrol_vehicle",
        registered_on=date(2025, 1, 1),
        last_on={"maintenance": date(2026, 1, 10)},
        intervals={("patrol_vehicle", "insurance"): 180},
    )
    assert dates == [
        DueDate(
            "maintenance", date(2026, 3, 11), date(2026, 1, 10), 60
        ),  # the default for patrol cars
        DueDate("annual_inspection", date(2026, 1, 1), None, 365),
        DueDate("insurance", date(2025, 6, 30), None, 180),
    ]
    assert dates[0].days_left(TODAY) == 10 and dates[1].days_left(TODAY) == -59


def test_sealed_and_scrapped_units_are_not_due():
    assert due.is_due_counted("fit") and due.is_due_counted("defective")
    assert due.is_due_counted("under_repair")
    assert not due.is_due_counted("sealed") and not due.is_due_counted("scrapped")


def test_the_board_sorts_overdue_and_due_soon_and_leaves_out_idle_units():
    late = DueDate("maintenance", date(2026, 2, 1), None, 90)
    later = DueDate("insurance", date(2026, 2, 20), None, 365)
    soon = DueDate("annual_inspection", date(2026, 3, 5), None, 365)
    far = DueDate("insurance", date(2026, 9, 1), None, 365)
    board = due.board(
        [
            ("A", "fit", [later, far]),
            ("B", "under_repair", [soon, late]),
            ("C", "sealed", [late, soon]),
            ("D", "scrapped", [late]),
        ],
        TODAY,
    )
    assert [(line.unit, line.due.service_kind, line.days_left) for line in board.overdue] == [
        ("B", "maintenance", -28),
        ("A", "insurance", -9),
    ]
    assert [(line.unit, line.days_left) for line in board.due_soon] == [("B", 4)]
    narrow = due.board([("B", "fit", [soon])], TODAY, window=3)
    assert narrow.due_soon == [] and narrow.overdue == []
