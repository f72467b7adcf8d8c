"""The attendees of a briefing count once (inspection/crew/briefing_rules.py)."""

import pytest

from inspection.crew.briefing_rules import merge_attendees, person_key


@pytest.mark.parametrize(
    ("a", "b"),
    [("王 师傅", "王师傅"), ("ＬＩ Wei", "liwei"), (" 钱师傅\t", "钱师傅"), ("Straße", "STRASSE")],
)
def test_the_same_name_written_differently_is_one_person(a, b):
    assert person_key(a) == person_key(b)


def test_users_count_once_names_once_and_a_users_typed_name_is_that_user():
    merged = merge_attendees(
        [
            (7, "王班长"),
            (None, "钱师傅"),
            (7, "王班长"),
            (None, "钱 师傅"),
            (None, "王班长"),
            (None, " "),
        ]
    )
    assert merged == [(7, "王班长"), (None, "钱师傅")]


def test_order_is_the_order_first_given_and_names_are_stripped():
    assert merge_attendees([(None, " 赵工 "), (3, "A"), (None, "钱师傅")]) == [
        (None, "赵工"),
        (3, "A"),
        (None, "钱师傅"),
    ]


def test_nobody_is_nobody():
    assert merge_attendees([]) == []
    assert merge_attendees([(None, ""), (None, "  ")]) == []
