"""The pure stock levels: stock at a date, end-of-day levels, a new movement's check, seasons."""

from datetime import date
from decimal import Decimal

import pytest

from inspection.supplies import stock
from inspection.supplies.stock import Move

D = Decimal
SNOW = [
    Move("received", D("100"), date(2025, 10, 20)),
    Move("received", D("50"), date(2025, 12, 1)),
    Move("issued", D("80"), date(2026, 1, 12)),
    Move("returned", D("5.5"), date(2026, 1, 14)),
    Move("written_off", D("0.5"), date(2026, 1, 14)),
    Move("issued", D("60"), date(2026, 1, 20)),
]


@pytest.mark.parametrize(
    ("day", "level"),
    [
        (date(2025, 10, 19), D("0")),
        (date(2025, 10, 20), D("100")),
        (date(2025, 12, 31), D("150")),
        (date(2026, 1, 12), D("70")),
        (date(2026, 1, 14), D("75")),
        (date(2026, 1, 31), D("15")),
    ],
)
def test_stock_at_sums_signed_movements_up_to_the_day(day, level):
    assert stock.stock_at(SNOW, day) == level


def test_end_of_day_levels_merge_a_days_movements():
    assert stock.end_of_day_levels(SNOW)[-3:] == [
        (date(2026, 1, 12), D("70")),
        (date(2026, 1, 14), D("75")),
        (date(2026, 1, 20), D("15")),
    ]


def test_a_receipt_is_never_refused():
    assert (
        stock.check_new_move([], Move("received", D("1"), date(2026, 1, 1)), date(2026, 2, 1))
        is None
    )


def test_an_issue_of_more_than_the_stock_is_refused_today():
    refusal = stock.check_new_move(
        SNOW, Move("issued", D("15.01"), date(2026, 1, 25)), date(2026, 2, 1)
    )
    assert refusal == stock.Refusal(date(2026, 2, 1), D("-0.01"), True)


def test_the_last_units_may_be_issued():
    assert (
        stock.check_new_move(SNOW, Move("issued", D("15"), date(2026, 1, 25)), date(2026, 2, 1))
        is None
    )


def test_a_backdated_issue_that_later_issues_contradict_is_refused():
    # 20 more on 5 Jan leaves 130, then 50 on 12 Jan, 55 on 14 Jan, and -5 on 20 Jan: the 60 of
    # 20 January could not have been issued.
    refusal = stock.check_new_move(
        [*SNOW, Move("received", D("10"), date(2026, 1, 30))],
        Move("issued", D("20"), date(2026, 1, 5)),
        date(2026, 2, 1),
    )
    assert refusal == stock.Refusal(date(2026, 1, 20), D("-5"), False)


def test_a_backdated_issue_the_stock_covered_passes():
    assert (
        stock.check_new_move(SNOW, Move("issued", D("15"), date(2026, 1, 5)), date(2026, 2, 1))
        is None
    )


def test_an_issue_from_nothing_is_refused():
    refusal = stock.check_new_move([], Move("issued", D("1"), date(2026, 1, 5)), date(2026, 1, 6))
    assert refusal == stock.Refusal(date(2026, 1, 6), D("-1"), True)


def test_shortfall_and_below_minimum():
    assert stock.shortfall(D("30"), D("50")) == D("20")
    assert stock.shortfall(D("60"), D("50")) == D("0")
    assert stock.below_minimum(D("30"), D("50"))
    assert not stock.below_minimum(D("50"), D("50"))
    assert not stock.below_minimum(D("0"), D("0"))  # no minimum set: never short


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 10, 1), True),
        (date(2026, 3, 31), True),
        (date(2026, 4, 1), False),
        (date(2026, 9, 30), False),
        (date(2026, 1, 15), True),
    ],
)
def test_the_default_season_runs_from_october_to_march(day, expected):
    assert stock.in_season(day) is expected


@pytest.mark.parametrize(
    ("setting", "months"),
    [
        (None, stock.WINTER_MONTHS),
        ("11,12,1,2", (11, 12, 1, 2)),
        ([9, 10], (9, 10)),
        ("13", stock.WINTER_MONTHS),
        ("²", stock.WINTER_MONTHS),
        ("", stock.WINTER_MONTHS),
    ],
)
def test_months_setting(setting, months):
    assert stock.parse_months(setting) == months
