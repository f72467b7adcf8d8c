from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspection.errors import ValidationError
from inspection.network.stakes import format_stake, parse_stake


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("K3456+780", 3456780.0),
        ("K3456+780.5", 3456780.5),
        ("K0+005.5", 5.5),
        ("K0+000", 0.0),
        ("K12+999.999", 12999.999),
        ("k12+345", 12345.0),
        ("  K12+345  ", 12345.0),
        ("K 12 + 345", 12345.0),
        ("K12\u3000+\u3000345", 12345.0),  # ideographic spaces
        ("Ｋ３４５６＋７８０．５", 3456780.5),  # full-width K, digits, plus and point
        ("K12﹢345", 12345.0),  # small plus sign
        ("K012+345", 12345.0),
        ("12+345", 12345.0),  # no K: the '+' and three digits are unambiguous
        ("0+005.25", 5.25),
    ],
)
def test_parse_stake_reads_valid_text(text, metres):
    assert parse_stake(text) == metres


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("K12+5", "three digits, like K12+005"),
        ("K12+05", "three digits"),
        ("K12+1000", "below 1000"),
        ("K12+0999", "below 1000"),
        ("K-1+000", "cannot be negative"),
        ("-1+000", "cannot be negative"),
        ("K－1+000", "cannot be negative"),
        ("K12+", "missing after '+'"),
        ("K12", "'+' and the metres are missing"),
        ("K0+005.", "decimal point must be followed by digits"),
        ("12345", "could be kilometres or metres"),
        ("12.345", "could be kilometres or metres"),
        ("abc", "is not a stake"),
        ("K1.5+000", "is not a stake"),
        ("K12+345+678", "is not a stake"),
        ("K12+345,5", "is not a stake"),
        ("K١+234", "is not a stake"),  # Arabic-Indic digit is not a stake digit
    ],
)
def test_parse_stake_rejects_malformed_text_saying_why(text, fragment):
    with pytest.raises(ValidationError) as caught:
        parse_stake(text)
    assert fragment in str(caught.value)
    assert caught.value.params.get("text", "") == text.strip()


def test_parse_stake_error_keeps_template_and_params_apart():
    with pytest.raises(ValidationError) as caught:
        parse_stake("K12+1000")
    assert "%(text)s" in caught.value.message
    assert caught.value.params == {"text": "K12+1000"}


@pytest.mark.parametrize(
    ("metres", "decimals", "text"),
    [
        (3456780.0, 0, "K3456+780"),
        (3456780.5, 1, "K3456+780.5"),
        (5.5, 1, "K0+005.5"),
        (0.0, 0, "K0+000"),
        (0.0, 2, "K0+000.00"),
        (999.6, 0, "K1+000"),  # the carry reaches the kilometres
        (999.96, 1, "K1+000.0"),
        (1999.5, 0, "K2+000"),  # half up
        (12.4, 0, "K0+012"),
        (2.675, 2, "K0+002.68"),  # half up on the decimal people read, not the binary value
        (12345.0, 3, "K12+345.000"),
        (1e9, 0, "K1000000+000"),
    ],
)
def test_format_stake(metres, decimals, text):
    assert format_stake(metres, decimals) == text


@pytest.mark.parametrize("metres", [-0.1, -1000.0, float("nan"), float("inf")])
def test_format_stake_rejects_negative_and_non_numbers(metres):
    with pytest.raises(ValidationError):
        format_stake(metres)


def test_format_stake_rejects_negative_decimals():
    with pytest.raises(ValueError, match="decimals"):
        format_stake(1.0, -1)


canonical_stakes = st.builds(
    lambda km, m, fraction: f"K{km}+{m:03d}" + (f".{fraction}" if fraction else ""),
    st.integers(0, 9999),
    st.integers(0, 999),
    st.one_of(st.none(), st.from_regex(r"[0-9]{1,3}", fullmatch=True)),
)


@given(canonical_stakes)
def test_format_parse_is_identity_on_canonical_text(text):
    decimals = len(text.partition(".")[2])
    assert format_stake(parse_stake(text), decimals) == text


@given(st.floats(0, 1e7, allow_nan=False), st.integers(0, 3))
def test_parse_format_rounds_to_the_given_decimals(metres, decimals):
    expected = Decimal(repr(metres)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    assert parse_stake(format_stake(metres, decimals)) == float(expected)
    assert abs(parse_stake(format_stake(metres, decimals)) - metres) <= 0.5 * 10**-decimals + 1e-6
