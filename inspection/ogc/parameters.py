"""The ``/items`` query parameters: one declared model per collection, bbox and datetime."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import Field, PlainValidator, WithJsonSchema, create_model
from pydantic_core import PydanticCustomError

from inspection.errors import N_, ValidationError
from inspection.inputs import INT32_MAX, MESSAGES, Code, Input, Int, Text, check, parse_query
from inspection.ogc.model import (
    COMMON_PARAMETERS,
    CRS84,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    BadParameter,
    Collection,
)


@dataclass(frozen=True)
class ItemsQuery:
    """The parsed query of an items request."""

    bbox: tuple[float, float, float, float] | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    # Half-open [start, end) in time; None for an open end.
    interval: tuple[datetime | None, datetime | None] | None = None
    filters: tuple[tuple[str, str], ...] = ()


# Ids and offsets are PostgreSQL integers: a larger number is no id and no page.
MAX_INTEGER = INT32_MAX
# ASCII digits only (`١٢` is no coordinate); clients such as GDAL write many decimals or e-notation.
_COORDINATE = re.compile(r"[-+]?[0-9]{1,20}(\.[0-9]{0,30})?([eE][-+]?[0-9]{1,3})?")


def _ogc_bbox(value: Any) -> tuple[float, float, float, float]:
    """minlon,minlat,maxlon,maxlat in ASCII decimals (a 3D bbox loses its heights)."""
    parts = value.split(",") if isinstance(value, str) else []
    if not all(_COORDINATE.fullmatch(p.strip()) for p in parts):
        parts = []
    values = [float(p) for p in parts]
    if len(values) == 6:
        values = [values[0], values[1], values[3], values[4]]
    if (
        len(values) != 4
        or values[0] > values[2]
        or values[1] > values[3]
        or min(values[0], values[2]) < -180
        or max(values[0], values[2]) > 180
        or min(values[1], values[3]) < -90
        or max(values[1], values[3]) > 90
    ):
        raise PydanticCustomError("bbox", MESSAGES["bbox"])
    return values[0], values[1], values[2], values[3]


OgcBbox = Annotated[
    tuple,
    PlainValidator(_ogc_bbox),
    WithJsonSchema({"type": "string", "description": "minlon,minlat,maxlon,maxlat"}),
]


class ItemsParameters(Input):
    """The parameters every items request may carry (a collection adds its own filters)."""

    f: Text(16) | None = None
    bbox: OgcBbox | None = None
    bbox_crs: Text(100) | None = Field(None, alias="bbox-crs")
    crs: Text(100) | None = None
    limit: Int(1) | None = None  # above MAX_LIMIT is capped, as OGC API – Features says
    offset: Int(0) | None = None
    datetime: Text(100) | None = None


_PARAMETER_MODELS: dict[str, type[ItemsParameters]] = {}


def parameters_model(collection: Collection) -> type[ItemsParameters]:
    """Return the declared query model of a collection's items: the common parameters and the
    collection's filters (text of a road code's length, or one of the filter's values)."""
    model = _PARAMETER_MODELS.get(collection.id)
    if model is None:
        fields: dict[str, Any] = {
            f.param: (
                (f.value_type or (Text(64) if f.values is None else Code(f.values))) | None,
                Field(None, description=f.description),
            )
            for f in collection.filters
        }
        model = create_model(f"{collection.id}_items", __base__=ItemsParameters, **fields)
        _PARAMETER_MODELS[collection.id] = model
    return model


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    """Return minlon,minlat,maxlon,maxlat (a 3D bbox loses its heights) in CRS84."""
    value, message = check(OgcBbox, raw)
    if message:
        raise BadParameter(
            N_("The bbox must be minlon,minlat,maxlon,maxlat in degrees."),
            fields={"bbox": N_("Not one of the allowed values.")},
        )
    return value


def _moment(text: str, timezone: ZoneInfo, *, end: bool) -> datetime | None:
    """Return where an interval bound starts (or, with `end`, where it stops), or None if open."""
    text = text.strip()
    if text in ("", ".."):
        return None
    try:
        if not text.isascii():  # `２０２６-05-01` is no date
            raise ValueError(text)
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.min, tzinfo=timezone)
            if end:
                moment += timedelta(days=1)
        else:
            moment = datetime.fromisoformat(text.replace("z", "Z"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone)
            if end:  # an instant is a closed bound: the half-open interval stops just after it
                moment += timedelta(microseconds=1)
        # Far-off years are no record's time, and would overflow when converted between zones.
        if not 1000 <= moment.astimezone(UTC).year <= 9000:
            raise ValueError(text)
    except (ValueError, OverflowError):
        raise BadParameter(
            N_(
                "The datetime must be an RFC 3339 date-time or date, or an interval like "
                "2026-05-01/2026-05-31 (.. for an open end)."
            ),
            fields={"datetime": N_("Not one of the allowed values.")},
        ) from None
    return moment


def parse_datetime(raw: str, timezone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
    """Return the half-open interval of a `datetime` parameter (an instant, date or interval)."""
    if "/" in raw:
        first, _, second = raw.partition("/")
        start, stop = _moment(first, timezone, end=False), _moment(second, timezone, end=True)
    else:
        if raw.strip() in ("", ".."):
            start = stop = None
        else:
            start, stop = _moment(raw, timezone, end=False), _moment(raw, timezone, end=True)
    if start is not None and stop is not None and stop <= start:
        raise BadParameter(
            N_("The datetime interval ends before it starts."),
            fields={"datetime": N_("Not one of the allowed values.")},
        )
    return start, stop


def parse_items_query(
    collection: Collection, args: Mapping[str, str], timezone: ZoneInfo
) -> ItemsQuery:
    """Read an items request's query string, refusing unknown parameters and bad values (400)."""
    pairs = args.items(multi=True) if hasattr(args, "getlist") else args.items()
    if any("\x00" in name + value for name, value in pairs):
        raise BadParameter(N_("A query parameter holds a NUL character."))
    known = {*COMMON_PARAMETERS, *(f.param for f in collection.filters)}
    unknown = sorted(set(args) - known)
    if unknown:
        raise BadParameter(
            N_("Unknown query parameter %(name)s; this collection takes %(known)s."),
            fields={name: N_("Unknown parameter.") for name in unknown},
            name=unknown[0],
            known=", ".join(sorted(known)),
        )
    try:
        given = parse_query(parameters_model(collection), args)
    except ValidationError as error:  # OGC API – Features answers a bad parameter with 400
        raise BadParameter(error.message, fields=error.fields, **error.params) from None
    for name in ("bbox_crs", "crs"):
        value = getattr(given, name)
        if value and value not in (CRS84, "EPSG:4326", "CRS84"):
            raise BadParameter(
                N_("Only CRS84 (longitude, latitude) is offered."),
                fields={name.replace("_", "-"): N_("Not one of the allowed values.")},
            )
    limit = min(given.limit, MAX_LIMIT) if given.limit is not None else DEFAULT_LIMIT
    interval = None
    if collection.time is not None and given.datetime:
        interval = parse_datetime(given.datetime, timezone)
    filters = tuple(
        (f.param, getattr(given, f.param))
        for f in collection.filters
        if getattr(given, f.param, None)
    )
    return ItemsQuery(given.bbox, limit, given.offset or 0, interval, filters)
