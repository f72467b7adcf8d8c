"""The hostile values of issue #12, in one place for every test that sends them.

Used by the hostile-input tests (JSON bodies, query strings, HTML forms), the schemathesis
hooks of the fuzzing run and the hypothesis properties of the parsers. Each `*_CASES` list is
(Python value, test id); `json_params` writes the values as the raw JSON a client sends.
"""

from __future__ import annotations

import json
from typing import Any

UNICODE_DIGITS = ("²", "١٢", "１２")  # superscript two, Arabic-Indic, full-width
BIG = int("9" * 400)  # a 400-digit number
LONE_SURROGATE = "\ud800"
NUL_TEXT = "a\x00b"
EXTREME_DAYS = ("0001-01-01", "9999-12-31")
LONG_TEXT = "x" * 300  # longer than any text column (128 at most) and not a note (2000)

# Text a query string or form field can carry (a lone surrogate cannot be put into a URL).
QUERY_TEXT = (
    *UNICODE_DIGITS,
    "9" * 20,
    "9" * 400,
    str(2**31),
    str(2**63),
    "1e10",
    "1e300",
    "NaN",
    "-Infinity",
    *EXTREME_DAYS,
    "0001-01-01/9999-12-31",
    "1,2,3,²",
)

# (value, id) for a JSON body's time, date, number and text fields.
TIME_CASES = [
    ("0001-01-01T00:00:00+08:00", "year-1"),
    ("9999-12-31T23:59:59-08:00", "year-9999"),
    ("2026-05-01T10:30:00", "naive"),
    ("2099-01-01T00:00:00Z", "future"),
    ("1999-12-31T23:00:00Z", "before-2000"),
    ("２０２６-05-01T10:30:00+08:00", "fullwidth-digits"),
]
DAY_CASES = [
    ("0001-01-01", "year-1"),
    ("9999-12-31", "year-9999"),
    ("２０２６-05-01", "fullwidth-digits"),
]
NUMBER_CASES = [
    (2**31, "2**31"),
    (1e300, "1e300"),
    ("1e10", "text-1e10"),
    (BIG, "400-digits"),
    ("²", "superscript-two"),
    ("١٢", "arabic-indic-digits"),
    (float("nan"), "NaN"),
    (float("-inf"), "-Infinity"),
    (True, "bool"),
    ([1], "list"),
]
TEXT_CASES = [
    (LONE_SURROGATE, "lone-surrogate"),
    (NUL_TEXT, "NUL"),
    (12, "number"),
    (["x"], "list"),
    ({"x": 1}, "object"),
]
# A form field's hostile text (what a browser can post).
FORM_NUMBER_CASES = [(value, f"unicode-{i}") for i, value in enumerate(UNICODE_DIGITS)] + [
    ("1e10", "1e10"),
    ("9" * 400, "400-digits"),
    ("NaN", "NaN"),
]
FORM_DAY_CASES = [
    ("9999-12-31", "year-9999"),
    ("0001-01-01", "year-1"),
    ("２０２６-05-01", "fullwidth-digits"),
]
FORM_TEXT_CASES = [(LONG_TEXT, "300-chars"), (NUL_TEXT, "NUL")]


def as_json(value: Any) -> str:
    """The value as raw JSON (NaN and infinities written as Python's json writes them)."""
    return json.dumps(value)


def json_params(cases: list[tuple[Any, str]]) -> list:
    """pytest params of the cases' values written as raw JSON."""
    import pytest

    return [pytest.param(as_json(value), id=name) for value, name in cases]


def params(cases: list[tuple[Any, str]]) -> list:
    """pytest params of the cases' values as they are."""
    import pytest

    return [pytest.param(value, id=name) for value, name in cases]
