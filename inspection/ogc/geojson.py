"""GeoJSON features written by PostgreSQL, byte for byte as the Python path writes them.

A page of a table-backed collection used to come back as rows that Python turned into dicts and
then into JSON, feature by feature; on a page of 1,000 findings that was most of the request. Here
each row comes back as the feature's finished JSON text, so Python only joins and streams them.

The text is the same as ``Feature.as_json()`` gives for the same row: ``json.dumps`` spacing in
the properties (``", "`` and ``": "``), floats as Python's ``repr`` writes them (``2.0``, not
``2``), date-times as ``datetime.isoformat()`` (six decimals of a second, or none), decimals as
floats, UUIDs as text, stakes as ``format_stake`` rounds them (the shortest decimal form half up).
A property whose presentation has no SQL twin (``show`` without ``.sql``), a type not listed here
or an enrichment run after the query keeps the collection on the Python path
(:func:`feature_sql` returns None).
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    String,
    Uuid,
    bindparam,
    case,
    cast,
    func,
    literal,
)
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.sql import ColumnElement
from sqlalchemy.types import Text as TextType

from inspection.ogc.model import COORDINATE_DECIMALS, Collection, Context

# Session settings the text depends on: floats in their shortest exact form (as Python's repr).
SESSION_SETTINGS = {"extra_float_digits": "1"}


class Shown:
    """A property's presentation in Python (`__call__`) with its SQL twin (`sql`)."""

    def __init__(self, python: Callable[[Any], Any], sql: Callable[[Any], ColumnElement]):
        self.python = python
        self.sql = sql

    def __call__(self, value: Any) -> Any:
        return self.python(value)


def stake_sql(metres: Any) -> ColumnElement:
    """Write a chainage as ``format_stake`` does (K3503+420), rounding its shortest text half up.

    For a double, the shortest decimal text rounds half up to the same whole number as the
    double itself does: the text cannot cross the exactly representable n + 0.5 that the double
    does not reach (both round to the same double). So plain float arithmetic gives it: the
    whole metres, plus one when the fraction (exact by Sterbenz's lemma) is at least a half.
    """
    whole = func.floor(metres)
    total = cast(whole + case((metres - whole >= 0.5, 1), else_=0), BigInteger)
    return (
        literal("K")
        + cast(total // 1000, TextType)
        + literal("+")
        + func.lpad(cast(total % 1000, TextType), 3, "0")
    )


def _json_text(value: Any) -> ColumnElement:
    return func.coalesce(cast(func.to_json(value), TextType), "null")


def _json_float(value: Any) -> ColumnElement:
    """A double as Python's json.dumps writes it: integral values keep their ``.0``."""
    as_text = cast(value, TextType)
    integral = _integral(value)
    return case(
        (value.is_(None), literal("null")),
        (integral, as_text + literal(".0")),
        else_=as_text,
    )


def _integral(value: Any) -> ColumnElement:
    # repr writes 1e16 and above (and NaN, infinities) without ".0"; PostgreSQL switches to
    # exponents from 1e15, so only below that is "integral" the same in both.
    return (func.abs(value) < 1e15) & (value == func.trunc(value))


def _iso_timestamp(value: Any, with_zone: bool) -> ColumnElement:
    """A date-time as ``datetime.isoformat()``: six decimals of a second, or none when zero."""
    pattern = 'YYYY-MM-DD"T"HH24:MI:SS.US' + ("TZH:TZM" if with_zone else "")
    # ".000000" can only be the fraction: no other part of the text holds a dot.
    text = func.replace(func.to_char(value, pattern), ".000000", "")
    return case((value.is_(None), literal("null")), else_=literal('"') + text + literal('"'))


def property_json(expression: Any, show: Any = None) -> ColumnElement | None:
    """Return SQL giving one property's JSON text as the Python path writes it, or None."""
    if show is not None:
        twin = getattr(show, "sql", None)
        if twin is None:
            return None
        return _json_text(twin(expression))
    kind = expression.type
    if isinstance(kind, Boolean | Integer | String | TextType | Date | Uuid | PG_UUID):
        return _json_text(expression)
    if isinstance(kind, Float):
        return _json_float(expression)
    if isinstance(kind, Numeric):  # Decimal → float(Decimal): the same double, the same repr
        return _json_float(cast(expression, Float))
    if isinstance(kind, DateTime):
        return _iso_timestamp(expression, bool(kind.timezone))
    return None


def _link_text(collection: Collection, values: dict[str, Any]) -> ColumnElement | None:
    """The record's path: the link template with the raw values as Python's str.format writes
    them (only ids, text and integers: a float or date would need repr)."""
    parts: list[Any] = []
    for literal_text, field, _spec, _conversion in string.Formatter().parse(collection.link):
        if literal_text:
            parts.append(literal(literal_text))
        if field is None:
            continue
        expression = values.get(field)
        if expression is None:
            return None
        if not isinstance(expression.type, Integer | String | TextType | Uuid | PG_UUID):
            return None
        parts.append(func.coalesce(cast(expression, TextType), "None"))
    text = literal("")
    for part in parts:
        text = text + part
    return text


_BUILT: dict[tuple[str, Context], ColumnElement | None] = {}


def feature_sql(collection: Collection, context: Context) -> ColumnElement | None:
    """Return SQL giving each row's whole feature as JSON text, or None for the Python path.

    The URL root is the bind parameter ``url_root``. The expression is built once a day per
    collection (a property may depend on the day, e.g. whether a hazard is overdue).
    """
    key = (collection.id, context)
    if key not in _BUILT:
        if len(_BUILT) > 64:
            _BUILT.clear()
        _BUILT[key] = _build(collection, context)
    return _BUILT[key]


def _build(collection: Collection, context: Context) -> ColumnElement | None:
    if collection.provider is not None or collection.enrich is not None:
        return None
    model = collection.model
    values: dict[str, Any] = {"id": model.id}
    pieces: list[Any] = []
    for prop in collection.properties:
        expression = prop.expression(context)
        if expression is None:
            return None
        value = property_json(expression, prop.show)
        if value is None:
            return None
        pieces.append(literal(json.dumps(prop.name, ensure_ascii=False) + ": ") + value)
        values[prop.name] = prop.show.sql(expression) if prop.show is not None else expression
    link = _link_text(collection, values)
    if link is None:
        return None
    url = _json_text(bindparam("url_root", type_=TextType) + link)
    pieces.append(literal('"url": ') + url)
    text = literal('{"type":"Feature","id":') + cast(model.id, TextType)
    geometry = func.coalesce(func.ST_AsGeoJSON(model.geom, COORDINATE_DECIMALS), "null")
    text = text + literal(',"geometry":') + geometry + literal(',"properties":{')
    for index, piece in enumerate(pieces):
        text = text + (piece if index == 0 else literal(", ") + piece)
    return text + literal("}}")
