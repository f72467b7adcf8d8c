"""The OGC collections' building blocks: what a collection, property, filter and feature are,
the context a query runs in, and the protocol's constants."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from inspection.errors import N_, ValidationError
from inspection.hazards.workflow import HazardState

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
TRS_GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
COORDINATE_DECIMALS = 7  # about a centimetre
# Parameters every items request may carry besides the collection's own filters.
COMMON_PARAMETERS = ("f", "bbox", "bbox-crs", "crs", "limit", "offset", "datetime")
DIRECTIONS = ("up", "down", "both")
HAZARD_STATES = tuple(s.value for s in HazardState)
OPEN_HAZARD_STATES = tuple(s for s in HAZARD_STATES if s != "closed")


class BadParameter(ValidationError):
    """A query parameter OGC API – Features says must be answered with 400."""

    code = "invalid_parameter"
    status = 400


@dataclass(frozen=True)
class Context:
    """What some expressions need at query time: the branch's calendar."""

    today: date
    timezone: ZoneInfo


@dataclass(frozen=True)
class Prop:
    """A feature property: an SQL expression, or one built from the context (`compute`)."""

    name: str
    column: Any = None
    kind: str = "string"  # string, number, integer, boolean, date, date-time (for documents)
    show: Callable[[Any], Any] | None = None  # Python presentation of the raw value
    compute: Callable[[Context], ColumnElement] | None = None

    def expression(self, context: Context) -> ColumnElement:
        return self.compute(context) if self.compute else self.column


@dataclass(frozen=True)
class Filter:
    """A query parameter that filters a collection by equality with one of its columns."""

    param: str
    column: Any
    description: str
    choices: tuple[str, ...] | None = None
    normalise: Callable[[str], Any] = str
    # Values that stand for a condition of their own (e.g. state=overdue).
    special: Mapping[str, Callable[[Context], ColumnElement]] = field(default_factory=dict)
    # The parameter's declared type when it is not text or one of `choices` (e.g. an id).
    value_type: Any = None

    @property
    def values(self) -> tuple[str, ...] | None:
        if self.choices is None:
            return None
        return (*self.choices, *self.special)

    def condition(self, raw: str, context: Context) -> ColumnElement:
        if raw in self.special:
            return self.special[raw](context)
        if self.choices is not None and raw not in self.choices:
            raise BadParameter(
                N_("The parameter %(name)s must be one of %(choices)s."),
                fields={self.param: N_("Not one of the allowed values.")},
                name=self.param,
                choices=", ".join(self.values or ()),
            )
        return self.column == self.normalise(raw)


@dataclass(frozen=True)
class TimeField:
    """The time a feature is of: an instant, a local date, or a range of local dates."""

    start: Any
    end: Any = None  # set for a range (survey campaigns run from one date to another)
    is_date: bool = False


@dataclass(frozen=True)
class Collection:
    id: str
    title: str
    description: str
    model: Any
    geometry_type: str
    properties: tuple[Prop, ...]
    link: str  # path of the feature's page, formatted with its properties and id
    joins: tuple[tuple[Any, Any], ...] = ()
    # Joined when there is a match (a hazard is at a road or at a site, never both).
    outer_joins: tuple[tuple[Any, Any], ...] = ()
    where: tuple[ColumnElement, ...] = ()
    time: TimeField | None = None
    filters: tuple[Filter, ...] = ()
    # Adds computed properties to a page of features (PCI grades come from the records).
    enrich: Callable[[Session, list[Feature]], None] | None = None
    # A computed collection (patrol coverage): gives its features, one feature and its extent
    # itself (see inspection/ogc/coverage.py); `model` then only names the table behind it.
    provider: Any = None

    def filter(self, param: str) -> Filter | None:
        return next((f for f in self.filters if f.param == param), None)


@dataclass(slots=True)
class Feature:
    id: int
    geometry: str  # GeoJSON text made by ST_AsGeoJSON
    properties: dict[str, Any]

    def as_json(self) -> str:
        return (
            f'{{"type":"Feature","id":{self.id},"geometry":{self.geometry},'
            f'"properties":{json.dumps(self.properties, ensure_ascii=False)}}}'
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": self.id,
            "geometry": json.loads(self.geometry),
            "properties": self.properties,
        }
