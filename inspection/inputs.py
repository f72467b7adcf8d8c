"""One input layer: every JSON body, query string and form is one declared pydantic model.

An endpoint declares a model (a subclass of `Input`) made of the annotated types below; it reads
its input with `parse_body`, `parse_query` or `parse_form`, and `inspection.api.openapi` shows
the same model's JSON Schema, so each input has one description. The types carry the limits the
database can hold and the domain allows (column lengths, integer column range, plausible times),
and refuse what is not the thing itself: a number or list where text is expected, `²` or `١٢`
where a number is expected, NUL characters and lone surrogates. Errors become one
`ValidationError` (422) naming each bad field, dotted for nested ones (`materials.2.name`).
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Annotated, Any, ClassVar, TypeVar

from flask import current_app, has_app_context, request
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from inspection.errors import N_, ValidationError

# --------------------------------------------------------------------------- limits

INT32_MAX = 2**31 - 1
EARLIEST_DAY = date(2000, 1, 1)
EARLIEST_TIME = datetime(2000, 1, 1, tzinfo=UTC)
# A phone's clock may run a little fast; more than this ahead is a wrong clock.
CLOCK_SKEW = timedelta(minutes=10)
NOTE_LENGTH = 2000  # free text (notes, methods, measures): Text columns, bounded here
MAX_DEPTH = 32  # JSON nesting: no request body of this API is deeper than a few levels
JSON_MAX_BYTES = 1024 * 1024  # unless JSON_MAX_BYTES or a smaller MAX_CONTENT_LENGTH is set

# --------------------------------------------------------------------------- messages

# Error type → the message a client sees for that field (translated at the edge).
MESSAGES = {
    "missing": N_("This field is required."),
    "string_type": N_("Must be text."),
    "string_too_long": N_("Too long."),
    "string_too_short": N_("This field is required."),
    "bad_character": N_("Contains a character text cannot hold (NUL or a lone surrogate)."),
    "choice": N_("Not one of the allowed values."),
    "whole_number": N_("Enter a whole number."),
    "number": N_("Enter a number."),
    "too_small": N_("The number is too small."),
    "too_large": N_("The number is too large."),
    "datetime": N_("Give the time as ISO 8601, e.g. 2026-05-01T09:30:00+08:00."),
    "datetime_naive": N_("Give the time with its time zone, e.g. +08:00."),
    "time_too_early": N_("Before 2000: check the time."),
    "time_in_future": N_("In the future."),
    "date": N_("Give the date like 2026-05-01."),
    "date_too_early": N_("Too early."),
    "date_too_late": N_("Too far ahead."),
    "uuid": N_("Not a valid UUID."),
    "bbox": N_("Give minlon,minlat,maxlon,maxlat."),
    "extra_forbidden": N_("This field is not accepted here."),
    "list_type": N_("Send a list."),
    "tuple_type": N_("Send a list."),
    "too_long": N_("Too many entries."),
    "model_type": N_("Send an object."),
    "model_attributes_type": N_("Send an object."),
    "dict_type": N_("Send an object."),
    "bool_type": N_("Send true or false."),
}
FALLBACK = N_("Not one of the allowed values.")
# Types that mean "nothing usable was given": a model's own message for the field replaces them.
_REQUIRED_TYPES = ("missing", "string_too_short")


def _fail(kind: str) -> None:
    raise PydanticCustomError(kind, MESSAGES.get(kind, FALLBACK))


# --------------------------------------------------------------------------- annotated types

_T = TypeVar("_T")


def _typed(base: Any, check: Callable[[Any], Any], schema: dict[str, Any]) -> Any:
    return Annotated[base, PlainValidator(check), WithJsonSchema(schema)]


def _clean(value: str) -> str:
    if "\x00" in value:
        _fail("bad_character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800"
        _fail("bad_character")
    return value


def Text(max_length: int, min_length: int = 0) -> Any:
    """Text only (never a number, list or bool), stripped, at most `max_length` characters."""

    def check(value: Any) -> str:
        if not isinstance(value, str):
            _fail("string_type")
        value = _clean(value).strip()
        if len(value) > max_length:
            _fail("string_too_long")
        if len(value) < min_length:
            _fail("string_too_short")
        return value

    schema: dict[str, Any] = {"type": "string", "maxLength": max_length}
    if min_length:
        schema["minLength"] = min_length
    return _typed(str, check, schema)


def Code(choices: Collection[Any]) -> Any:
    """One of a code list (a StrEnum, or the keys of a labels dict); only strings."""
    values = tuple(str(getattr(c, "value", c)) for c in choices)
    allowed = frozenset(values)

    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in allowed:
            _fail("choice")
        return value

    return _typed(str, check, {"type": "string", "enum": list(values)})


_INTEGER = re.compile(r"-?[0-9]+")


def Int(lo: int = 1, hi: int = INT32_MAX) -> Any:
    """A whole number in [lo, hi] (an integer column by default): a JSON integer, or text of
    ASCII digits only (`²`, `١٢`, `1e10`, ` 1`, `+1` are refused); never a bool or 2.0."""

    def check(value: Any) -> int:
        if isinstance(value, bool):
            _fail("whole_number")
        if isinstance(value, int):
            number = value
        elif isinstance(value, str) and _INTEGER.fullmatch(value):
            if len(value.lstrip("-")) > 18:  # far outside any column; no giant int()
                _fail("too_small" if value.startswith("-") else "too_large")
            number = int(value)
        else:
            _fail("whole_number")
        if number < lo:
            _fail("too_small")
        if number > hi:
            _fail("too_large")
        return number

    return _typed(int, check, {"type": "integer", "minimum": lo, "maximum": hi})


_DECIMAL = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?")


def Number(lo: float, hi: float, *, above: bool = False) -> Any:
    """A finite number in [lo, hi] (or (lo, hi] with `above`): a JSON number, or plain decimal
    text of ASCII digits (`1e10`, `NaN`, `Infinity`, `１２` are refused)."""

    def check(value: Any) -> float:
        if isinstance(value, bool):
            _fail("number")
        if isinstance(value, int | Decimal):
            if isinstance(value, Decimal) and not value.is_finite():
                _fail("number")
            exact = value
        elif isinstance(value, float):
            if not math.isfinite(value):
                _fail("number")
            exact = value
        elif isinstance(value, str) and _DECIMAL.fullmatch(value):
            exact = float(value)
        else:
            _fail("number")
        if exact < lo or (above and exact == lo):
            _fail("too_small")
        if exact > hi:
            _fail("too_large")
        return float(exact)

    schema: dict[str, Any] = {"type": "number", "minimum": lo, "maximum": hi}
    if above:
        schema["exclusiveMinimum"] = lo
        del schema["minimum"]
    return _typed(float, check, schema)


def _now() -> datetime:
    return datetime.now(UTC)


def _today() -> date:
    """Today in the branch's time zone (UTC outside a request, e.g. the CLI)."""
    if has_app_context():
        from inspection.web import branch_today

        return branch_today()
    return _now().date()


def _plausible_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.isascii() and 16 <= len(value) <= 40:
        text = value[:-1] + "+00:00" if value[-1:] in ("Z", "z") else value
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            _fail("datetime")
    else:
        _fail("datetime")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        _fail("datetime_naive")
    try:
        moment = parsed.astimezone(UTC)
    except OverflowError:  # year 1 east of Greenwich, year 9999 west of it
        _fail("time_too_early" if parsed.year < 2000 else "time_in_future")
    if moment < EARLIEST_TIME:
        _fail("time_too_early")
    if moment > _now() + CLOCK_SKEW:
        _fail("time_in_future")
    return moment


# An observation, found-at or start time: with its zone (a time without one is refused, since
# a phone's local time is not the branch's), from 2000-01-01 to a few minutes ahead; in UTC.
PlausibleTime = _typed(
    datetime,
    _plausible_time,
    {"type": "string", "format": "date-time", "example": "2026-05-01T09:30:00+08:00"},
)

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def Day(years_ahead: int = 1, *, from_today: bool = False) -> Any:
    """A YYYY-MM-DD date from 2000-01-01 (or today) to `years_ahead` years after today."""

    def check(value: Any) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            day = value
        elif isinstance(value, str) and _DAY.fullmatch(value):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                _fail("date")
        else:
            _fail("date")
        today = _today()
        if day < (today if from_today else EARLIEST_DAY):
            _fail("date_too_early")
        if day > today + timedelta(days=366 * years_ahead):
            _fail("date_too_late")
        return day

    return _typed(date, check, {"type": "string", "format": "date", "example": "2026-05-01"})


# A hazard's rectification deadline: from today to five years ahead.
Deadline = Day(5, from_today=True)


def _uuid(value: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str) or not value.isascii() or len(value) > 45:
        _fail("uuid")
    try:
        return uuid.UUID(value)
    except ValueError:
        _fail("uuid")


Uuid = _typed(uuid.UUID, _uuid, {"type": "string", "format": "uuid"})


def _bbox(value: Any) -> tuple[float, float, float, float]:
    if not isinstance(value, str):
        _fail("bbox")
    parts = value.split(",")
    if len(parts) != 4 or not all(_DECIMAL.fullmatch(p.strip()) for p in parts):
        _fail("bbox")
    minlon, minlat, maxlon, maxlat = (float(p) for p in parts)
    if not (-180 <= minlon <= maxlon <= 180 and -90 <= minlat <= maxlat <= 90):
        _fail("bbox")
    return minlon, minlat, maxlon, maxlat


Bbox = _typed(
    tuple,
    _bbox,
    {"type": "string", "description": "minlon,minlat,maxlon,maxlat", "example": "87,43,88,44"},
)

# Shared code lists and one definition of each numeric cap (findings, repairs, surveys).
DIRECTIONS = ("up", "down", "both")
SEVERITIES = ("light", "medium", "heavy")
Flag = Code(("0", "1"))
Lon = Number(-180, 180)
Lat = Number(-90, 90)
QUANTITY_MAX = 1_000_000.0  # m², m or sites of one record: 1 km² is beyond any one record
DEPTH_MAX_MM = 10_000.0  # 10 m
COUNT_MAX = 100_000
MONEY_MAX = 1e11  # yuan; a Numeric(14, 2) column holds up to 1e12
ACCURACY_MAX_M = 100_000.0
Quantity = Number(0, QUANTITY_MAX)
Area = Number(0, QUANTITY_MAX, above=True)
DepthMm = Number(0, DEPTH_MAX_MM)
Count = Int(1, COUNT_MAX)
Money = Number(0, MONEY_MAX)
Note = Text(NOTE_LENGTH)
RoadCode = Text(16)
Stake = Text(40)
Page = Int(1, 10_000)
PerPage = Int(1, 200)


# --------------------------------------------------------------------------- models


class Input(BaseModel):
    """Base of every declared input. A value of null, "", [] or {} counts as not given (override
    with `blank_is_absent = False`, e.g. where "" clears a text)."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    # field path (`road`, `materials.*.name`) → the message for it when missing or empty
    messages: ClassVar[dict[str, str]] = {}
    # list fields whose item errors are reported on the list itself (`findings`)
    collapse: ClassVar[tuple[str, ...]] = ()
    blank_is_absent: ClassVar[bool] = True

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        if cls.blank_is_absent and isinstance(data, Mapping):
            return {k: v for k, v in data.items() if not _blank(v)}
        return data


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and len(value) == 0)


def check(annotated: Any, value: Any) -> tuple[Any, str | None]:
    """Check one value against a type above: (value, None), or (None, the message)."""
    try:
        return annotated.__metadata__[0].func(value), None
    except PydanticCustomError as error:
        return None, error.message_template


M = TypeVar("M", bound=BaseModel)


def field_errors(model: type[BaseModel], error: PydanticValidationError) -> dict[str, str]:
    """Turn pydantic's errors into {dotted field name: message}, the first per field."""
    messages = getattr(model, "messages", {})
    collapse = getattr(model, "collapse", ())
    fields: dict[str, str] = {}
    for item in error.errors(include_url=False, include_input=False):
        loc = [str(part) for part in item["loc"]]
        name = ".".join(loc) or "body"
        pattern = ".".join("*" if p.isdigit() else p for p in loc)
        kind = item["type"]
        message = messages.get(f"{pattern}:{kind}")
        if message is None and kind in _REQUIRED_TYPES:
            message = messages.get(pattern)
        if loc and loc[0] in collapse:
            name = loc[0]
            message = message or messages.get(loc[0])
        fields.setdefault(name, message or MESSAGES.get(kind, FALLBACK))
    return fields


def validate(model: type[M], data: Any) -> M:
    """Return `data` as an instance of `model`, or raise a 422 naming every bad field."""
    try:
        return model.model_validate(data)
    except PydanticValidationError as error:
        raise ValidationError(
            N_("Some fields are not valid."), fields=field_errors(model, error)
        ) from None


# --------------------------------------------------------------------------- request guards


class BadJson(ValidationError):
    code = "bad_json"
    status = 400


class TooLarge(ValidationError):
    code = "too_large"
    status = 413


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


def json_depth(data: bytes, *, exact: bool = False) -> int:
    """Return how deeply a JSON text nests arrays and objects, without parsing (no recursion).

    Unless `exact`, a text with at most MAX_DEPTH brackets answers their number (an upper
    bound, found cheaply: the common small body is never scanned)."""
    brackets = data.count(b"[") + data.count(b"{")
    if brackets <= MAX_DEPTH and not exact:
        return brackets
    structure = _NOT_BRACKET.sub(b"", _STRING.sub(b"", data))
    steps = (1 if c in b"[{" else -1 for c in structure)
    return max(accumulate(steps, initial=0))


def load_json(data: bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse an uploaded JSON file (bytes), refusing one nested too deeply with a ValueError
    (json.loads would otherwise die of RecursionError on 100,000 brackets)."""
    if json_depth(data) > max_depth:
        raise ValueError("nested too deeply")
    return json.loads(data.decode("utf-8"))


def json_limit() -> int:
    limits = [current_app.config.get("JSON_MAX_BYTES") or JSON_MAX_BYTES]
    if current_app.config.get("MAX_CONTENT_LENGTH"):
        limits.append(current_app.config["MAX_CONTENT_LENGTH"])
    return min(limits)


def guarded_json() -> Any:
    """Return the request's parsed JSON after the size and nesting checks (400/413, never 500)."""
    if not request.is_json:
        raise BadJson(N_("Send the body as JSON with Content-Type: application/json."))
    limit = json_limit()
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge(N_("The request body is too large."))
    data = request.stream.read(limit + 1) if request.content_length is None else None
    if data is not None and len(data) > limit:
        raise TooLarge(N_("The request body is too large."))
    raw = data if data is not None else request.get_data(cache=True)
    if json_depth(raw) > MAX_DEPTH:
        raise BadJson(N_("The request body nests too deeply."))
    if data is not None:
        request._cached_data = raw
    body = request.get_json(silent=True)
    if body is None:
        raise BadJson(N_("The request body is not valid JSON."))
    return body


def json_object() -> dict[str, Any]:
    body = guarded_json()
    if not isinstance(body, dict):
        raise BadJson(N_("The request body must be a JSON object."))
    return body


def parse_body(model: type[M]) -> M:
    """Return the request's JSON body as `model` (400 for bad JSON, 422 for bad fields)."""
    return validate(model, json_object())


def _single_values(values: Mapping[str, str]) -> dict[str, str]:
    # A parameter given twice counts once (its first value); whitespace alone is not a value.
    return {name: value for name, value in values.items() if value.strip()}


def parse_query(model: type[M], args: Mapping[str, str] | None = None) -> M:
    """Return the query string as `model`; an empty parameter counts as not given.

    The message names the first bad parameter too, for pages that show only the message."""
    try:
        return validate(model, _single_values(request.args if args is None else args))
    except ValidationError as error:
        name = next(iter(error.fields), "")
        raise ValidationError(
            N_("The parameter %(name)s in the address is not valid."),
            fields=error.fields,
            name=name,
        ) from None


def parse_form(model: type[M]) -> M:
    """Return the posted form fields as `model`; an empty field counts as not given."""
    return validate(model, _single_values(request.form))


# --------------------------------------------------------------------------- common queries


class PageQuery(Input):
    """`?page=` of an HTML list."""

    page: Annotated[Page, Field(description=N_("Page number."))] = 1


class ListQuery(PageQuery):
    """`?page=&per_page=` of an API list (50 a page, 200 at most)."""

    per_page: Annotated[PerPage, Field(description=N_("Rows per page."))] = 50
