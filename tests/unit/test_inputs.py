"""The input layer's types and guards: a valid value or a ValidationError, never anything else."""

from __future__ import annotations

import contextlib
import math
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from inspection.errors import ValidationError
from inspection.inputs import (
    INT32_MAX,
    MAX_DEPTH,
    BadJson,
    Bbox,
    Code,
    Count,
    Day,
    Input,
    Int,
    ListQuery,
    Number,
    PlausibleTime,
    Text,
    TooLarge,
    Uuid,
    json_depth,
    json_object,
    parse_body,
    parse_form,
    parse_query,
    validate,
)
from inspection.media.images import plausible_position
from inspection.patrols.schemas import FindingBody, FindingChangesBody, parse_finding
from inspection.repairs.schemas import parse_repair


class Sample(Input):
    name: Text(8, 1)
    note: Text(20) = ""
    kind: Code(("up", "down")) | None = None
    count: Int(1, 100) | None = None
    amount: Number(0, 10) | None = None
    at: PlausibleTime | None = None
    day: Day(1) | None = None
    ref: Uuid | None = None
    rows: tuple[Text(3), ...] = ()


def fields(data) -> dict[str, str]:
    with pytest.raises(ValidationError) as error:
        validate(Sample, data)
    return error.value.fields


# --------------------------------------------------------------------------- each type


@pytest.mark.parametrize("value", [5, 1.5, True, ["a"], {"a": 1}, "\ud800", "a\x00b", "x" * 9])
def test_text_takes_only_clean_text_of_its_length(value):
    assert set(fields({"name": value})) == {"name"}


def test_text_is_stripped_and_counted_in_characters():
    assert validate(Sample, {"name": "  公路巡查养护记录  "}).name == "公路巡查养护记录"
    assert fields({"name": "   "}) == {"name": "This field is required."}


@pytest.mark.parametrize("value", ["²", "١٢", "1e10", " 1", "+1", "1.0", 2.0, True, "0", 101])
def test_int_takes_only_ascii_digits_and_json_integers_in_range(value):
    assert set(fields({"name": "a", "count": value})) == {"count"}


@pytest.mark.parametrize(
    "value", [2**31, 10**400, "9" * 400, "-" + "9" * 30, 1e300, "1e10", "NaN", math.inf]
)
def test_column_limits_hold(value):
    assert fields({"name": "a", "count": value})["count"]
    with pytest.raises(ValidationError):
        validate(Sample, {"name": "a", "amount": value})
    with pytest.raises(ValidationError):
        validate(type("C", (Input,), {"__annotations__": {"n": Count}}), {"n": value})


def test_int_column_default_is_the_integer_column():
    column = type("Column", (Input,), {"__annotations__": {"n": Int()}})
    assert validate(column, {"n": INT32_MAX}).n == INT32_MAX
    assert validate(column, {"n": "42"}).n == 42
    with pytest.raises(ValidationError):
        validate(column, {"n": INT32_MAX + 1})


@pytest.mark.parametrize("value", [math.nan, -math.inf, "1e3", "１２", "0x10", 10.5, -0.1, "."])
def test_numbers_are_finite_plain_and_in_range(value):
    assert set(fields({"name": "a", "amount": value})) == {"amount"}


def test_numbers_take_json_numbers_and_plain_decimal_text():
    assert validate(Sample, {"name": "a", "amount": "2.5"}).amount == 2.5
    assert validate(Sample, {"name": "a", "amount": 3}).amount == 3.0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0001-01-01T00:00:00+08:00", "Before 2000: check the time."),
        ("1999-12-31T23:59:59Z", "Before 2000: check the time."),
        ("9999-12-31T23:59:59-08:00", "In the future."),
        ("2026-05-01T10:30:00", "Give the time with its time zone, e.g. +08:00."),
        ("２０２６-05-01T10:30:00+08:00", None),
        ("yesterday", None),
        (1714530600, None),
    ],
)
def test_times_are_plausible_and_aware(value, message):
    error = fields({"name": "a", "at": value})["at"]
    assert message is None or error == message


def test_a_time_a_few_minutes_ahead_is_a_fast_clock_and_is_taken_in_utc():
    soon = datetime.now(UTC) + timedelta(minutes=5)
    parsed = validate(Sample, {"name": "a", "at": soon.isoformat()}).at
    assert parsed.tzinfo == UTC
    late = datetime.now(UTC) + timedelta(minutes=30)
    assert fields({"name": "a", "at": late.isoformat()}) == {"at": "In the future."}


@pytest.mark.parametrize(
    "value", ["9999-12-31", "0001-01-01", "1999-12-31", "20260501", "2026-5-1"]
)
def test_days_lie_between_2000_and_a_few_years_ahead(value):
    assert set(fields({"name": "a", "day": value})) == {"day"}
    assert validate(Sample, {"name": "a", "day": "2026-05-01"}).day == date(2026, 5, 1)


@pytest.mark.parametrize("value", ["nope", "١" * 32, 12, ["x"], "{" + "0" * 40])
def test_uuids_are_ascii_text(value):
    assert fields({"name": "a", "ref": value}) == {"ref": "Not a valid UUID."}
    good = str(uuid.uuid4())
    assert validate(Sample, {"name": "a", "ref": good}).ref == uuid.UUID(good)


@pytest.mark.parametrize("value", [["up"], {"up": 1}, 1, "UP", "sideways"])
def test_codes_are_one_of_the_list_and_only_strings(value):
    assert fields({"name": "a", "kind": value}) == {"kind": "Not one of the allowed values."}


def test_nested_errors_are_dotted_and_blank_values_count_as_absent():
    assert fields({"name": "a", "rows": ["ok", "long", 3]}) == {
        "rows.1": "Too long.",
        "rows.2": "Must be text.",
    }
    assert validate(Sample, {"name": "a", "kind": "", "count": None}).kind is None


def test_bbox_is_four_ordered_coordinates_on_the_globe():
    bbox = type("Q", (Input,), {"__annotations__": {"bbox": Bbox}})
    assert validate(bbox, {"bbox": "87,43,88,44"}).bbox == (87.0, 43.0, 88.0, 44.0)
    for bad in ("nan,0,1,1", "1e400,0,1,1", "88,43,87,44", "0,0,1", "0,0,181,1", "٨٧,43,88,44"):
        with pytest.raises(ValidationError):
            validate(bbox, {"bbox": bad})


# --------------------------------------------------------------------------- the endpoints' models


def finding(**overrides):
    return {"client_uuid": str(uuid.uuid4()), "kind": "pothole", "quantity": 1.5} | overrides


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"count": 2**31}, "count"),
        ({"count": 1e300}, "count"),
        ({"count": "1e10"}, "count"),
        ({"count": int("9" * 400)}, "count"),
        ({"quantity": 10**12}, "quantity"),
        ({"observed_at": "0001-01-01T00:00:00+00:00"}, "observed_at"),
        ({"note": "\ud800"}, "note"),
        ({"road": ["G30"]}, "road"),
        ({"hazard": {"category": ["guardrail_damage"]}}, "hazard.category"),
        ({"gps": {"lon": 200, "lat": 43}}, "gps.lon"),
        ({"lane": "x" * 33}, "lane"),
    ],
)
def test_the_finding_model_refuses_each_class(change, field):
    with pytest.raises(ValidationError) as error:
        parse_finding(finding(**change))
    assert field in error.value.fields


def test_same_caps_for_findings_and_repairs():
    repair = {
        "client_uuid": str(uuid.uuid4()),
        "kind": "pothole",
        "road": "G30",
        "stake": "K1+000",
        "completed_on": "2026-05-01",
    }
    for name, value in (("count", 100_001), ("depth_mm", 10_001)):
        with pytest.raises(ValidationError):
            parse_repair(repair | {name: value})
        with pytest.raises(ValidationError):
            parse_finding(finding(**{name: value}))
    assert parse_finding(finding(count=100_000, depth_mm=10_000)).count == 100_000


def test_a_patch_names_unknown_fields_and_keeps_empty_text():
    with pytest.raises(ValidationError) as error:
        validate(FindingChangesBody, {"observed_at": "2026-05-01T10:00:00Z"})
    assert set(error.value.fields) == {"observed_at"}
    changes = validate(FindingChangesBody, {"note": "", "quantity": ""}).changes()
    assert changes == {"note": "", "quantity": None}


def test_models_give_their_json_schema_with_column_lengths():
    schema = FindingBody.model_json_schema()
    assert schema["properties"]["lane"]["maxLength"] == 32
    assert schema["properties"]["count"]["anyOf"][0]["maximum"] == 100_000
    assert set(schema["required"]) == {"client_uuid", "kind"}


# --------------------------------------------------------------------------- hypothesis


PARSERS = [
    Text(40),
    Code(("up", "down", "both")),
    Int(),
    Count,
    Number(-180, 180),
    PlausibleTime,
    Day(5),
    Uuid,
    Bbox,
]
anything = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.text(alphabet=st.characters(codec=None, categories=("Nd", "No", "Cs", "Cc", "Zs"))),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(value=anything, which=st.integers(0, len(PARSERS) - 1))
def test_every_parser_gives_a_value_or_a_validation_error(value, which):
    model = type("One", (Input,), {"__annotations__": {"v": PARSERS[which]}})
    try:
        validate(model, {"v": value})
    except ValidationError as error:
        assert set(error.fields) <= {"v"}


digits = st.text(alphabet=st.characters(categories=("Nd", "No", "Pd", "Zs", "Lu")), max_size=25)


@settings(max_examples=300, deadline=None)
@given(page=digits | st.text(max_size=25), year=digits, day=digits | st.text(max_size=12))
def test_query_strings_give_a_page_or_a_validation_error(page, year, day):
    app = Flask(__name__)
    with app.test_request_context("/", query_string={"page": page, "per_page": year, "to": day}):
        try:
            query = parse_query(ListQuery)
        except ValidationError as error:
            assert set(error.fields) <= {"page", "per_page"}
        else:
            assert 1 <= query.page <= 10_000 and 1 <= query.per_page <= 200
            assert page.strip() == "" or int(page) == query.page


@settings(max_examples=200, deadline=None)
@given(body=anything)
def test_finding_bodies_give_a_finding_or_a_validation_error(body):
    with contextlib.suppress(ValidationError):
        parse_finding(body if isinstance(body, dict) else {"note": body, "kind": "pothole"})


@settings(max_examples=100, deadline=None)
@given(name=st.text(max_size=12), count=st.text(max_size=12))
def test_forms_give_a_value_or_a_validation_error(name, count):
    app = Flask(__name__)
    with app.test_request_context("/", method="POST", data={"name": name, "count": count}):
        try:
            parse_form(Sample)
        except ValidationError as error:
            assert set(error.fields) <= {"name", "count"}


# --------------------------------------------------------------------------- guards


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b"{}", 1),
        (b'{"a": [1, {"b": "[[[[{{{{"}]}', 3),
        (b'{"a": "\\"[[[["}', 1),
        (b"[" * 100_000 + b"]" * 100_000, 100_000),
    ],
)
def test_json_depth_is_counted_without_parsing(text, depth):
    assert json_depth(text, exact=True) == depth
    assert json_depth(text) >= depth


def body_of(data: bytes, **config):
    app = Flask(__name__)
    app.config.update(config)
    return app, app.test_request_context(
        "/", method="POST", data=data, content_type="application/json"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' + b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1) + b"}",
    ],
)
def test_deep_json_is_refused_before_parsing(data):
    _, context = body_of(data)
    with context, pytest.raises(BadJson):
        json_object()


def test_large_json_and_non_objects_are_refused():
    _, context = body_of(b'{"note": "' + b"x" * 2000 + b'"}', JSON_MAX_BYTES=1000)
    with context, pytest.raises(TooLarge):
        json_object()
    for data in (b"[1]", b"nope", b'"\\ud800"'):
        _, context = body_of(data)
        with context, pytest.raises(BadJson):
            json_object()


def test_parse_body_reads_a_model():
    _, context = body_of(b'{"name": "ok", "count": 3}')
    with context:
        assert parse_body(Sample).count == 3


# --------------------------------------------------------------------------- EXIF positions


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(87.6, 95.0), (200.0, 43.0), (math.nan, 43.0), (87.6, math.inf), (True, 43.0), ("87", 43)],
)
def test_exif_positions_out_of_range_are_dropped(lon, lat):
    assert plausible_position(lon, lat) == (None, None)
    assert plausible_position(87.6, -43.8) == (87.6, -43.8)
