"""Mapbox vector tiles of findings, hazards and repairs, made by PostGIS and kept in a cache.

A tile is one ``ST_AsMVT`` statement over the collection's rows in the tile (the same conditions
and filters as ``/items``: voided records never appear). Below ``DETAIL_FROM_ZOOM`` the records
are drawn as dots, one per cell of 64 × 64 tile units (4 px) with how many records it holds and
the most urgent status among them: a tile of the whole Tarim basin then carries a few thousand
dots, not a quarter of a million points. From ``DETAIL_FROM_ZOOM`` on each record is a feature
with its id and the properties a map styles by.

Tiles are cached in ``tile_cache`` by (layer, filters, z, x, y) with the data version they were
made from. The version (table ``tile_data_version``) is raised at the commit of any transaction
that changed findings, hazards or repairs (a deferred trigger, migration 0014), and is read
before the rows, so a cached tile is never older than its version says. Hazards also depend on
the day (overdue), so their version carries the branch's date.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Float, Integer, Text, case, cast, func, literal, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from inspection.db import ON_PRIMARY
from inspection.errors import N_, NotFound
from inspection.hazards.models import Hazard
from inspection.ogc.catalogue import FINDINGS, HAZARDS, REPAIRS, _overdue
from inspection.ogc.model import BadParameter, Collection, Context
from inspection.ogc.parameters import ItemsQuery, parse_items_query
from inspection.ogc.queries import _conditions, _joined
from inspection.patrols.models import Finding
from inspection.repairs.models import Repair

MAX_ZOOM = 22
EXTENT = 4096  # tile units across a tile
CELL = 64  # tile units a dot stands for below DETAIL_FROM_ZOOM (4 px of a 256 px tile)
MARGIN = 128  # tile units beyond the edge: dots and lines crossing it are drawn whole
DETAIL_FROM_ZOOM = 12
# From this zoom a tile holds a few thousand records at most: starting parallel workers costs
# more than it saves (a z10 tile of 1,250 findings took 55 ms with one worker, 40 without).
PARALLEL_BELOW_ZOOM = 9
MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
TILE_MATRIX_SET = "WebMercatorQuad"


@dataclass(frozen=True)
class TileLayer:
    """What a collection's tiles carry: properties to style by, and the most urgent value."""

    collection: Collection
    properties: Mapping[str, Any]  # name → column, or a function of the context
    # Below DETAIL_FROM_ZOOM: (property, its values from least to most urgent); the dot takes
    # the most urgent value of its records.
    urgency: tuple[str, tuple[str, ...]] | None = None
    flags: tuple[str, ...] = field(default=())  # boolean properties a dot has when any record has


LAYERS: dict[str, TileLayer] = {
    "findings": TileLayer(
        FINDINGS,
        {"status": Finding.status, "kind": Finding.kind},
        urgency=("status", ("resolved", "open", "hazard_raised")),
    ),
    "hazards": TileLayer(
        HAZARDS,
        {"state": Hazard.state, "overdue": _overdue, "category": Hazard.category},
        urgency=("state", ("closed", "awaiting_verification", "rectifying", "reported")),
        flags=("overdue",),
    ),
    "repairs": TileLayer(REPAIRS, {"kind": Repair.kind}),
}


@dataclass(frozen=True)
class TileRequest:
    layer: TileLayer
    z: int
    x: int
    y: int
    query: ItemsQuery
    variant: str  # the filters, as text: part of the cache key


def _coordinate(raw: str, name: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 8:
        raise BadParameter(
            N_("The tile's %(name)s must be a whole number."),
            fields={name: N_("Not one of the allowed values.")},
            name=name,
        )
    return int(raw)


def parse_tile(
    collection_id: str, z: str, x: str, y: str, args: Mapping[str, str], timezone
) -> TileRequest:
    """Read a tile request: 404 for a collection without tiles or a tile outside the matrix,
    400 for a coordinate that is no number or a parameter the tiles do not take."""
    layer = LAYERS.get(collection_id)
    if layer is None:
        raise NotFound(N_("There are no tiles of %(id)s."), id=collection_id)
    zoom = _coordinate(z, "tileMatrix")
    row = _coordinate(y, "tileRow")
    column = _coordinate(x, "tileCol")
    if zoom > MAX_ZOOM or column >= 1 << zoom or row >= 1 << zoom:
        raise NotFound(N_("There is no tile %(z)s/%(y)s/%(x)s."), z=z, y=y, x=x)
    allowed = {"f", "datetime", *(f.param for f in layer.collection.filters)}
    unknown = sorted(set(args) - allowed)
    if unknown:
        raise BadParameter(
            N_("Unknown query parameter %(name)s; these tiles take %(known)s."),
            fields={name: N_("Unknown parameter.") for name in unknown},
            name=unknown[0],
            known=", ".join(sorted(allowed)),
        )
    fmt = args.get("f", "mvt")
    if fmt not in ("mvt", ""):
        raise BadParameter(
            N_("The parameter %(name)s must be one of %(choices)s."),
            fields={"f": N_("Not one of the allowed values.")},
            name="f",
            choices="mvt",
        )
    rest = {name: value for name, value in args.items() if name != "f"}
    query = parse_items_query(layer.collection, rest, timezone)
    variant = "&".join(f"{name}={value}" for name, value in sorted(query.filters))
    if query.interval is not None:
        start, stop = query.interval
        variant += f"&datetime={start and start.isoformat()}/{stop and stop.isoformat()}"
    return TileRequest(layer, zoom, column, row, query, variant)


def tile_bbox(z: int, x: int, y: int, margin: float = 0.0) -> tuple[float, float, float, float]:
    """Return a tile's west, south, east, north in degrees, widened by `margin` tiles."""
    n = 1 << z

    def lon(column: float) -> float:
        return max(-180.0, min(180.0, column / n * 360.0 - 180.0))

    def lat(row: float) -> float:
        row = max(0.0, min(float(n), row))
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return lon(x - margin), lat(y + 1 + margin), lon(x + 1 + margin), lat(y - margin)


def version_and_tile(
    session: Session, request: TileRequest, context: Context
) -> tuple[str, bytes | None]:
    """Return the data version a tile is made from and the cached tile of that version, if any,
    in one round trip (the version is read before any row of the tile is)."""
    row = session.execute(
        text(
            "SELECT v.version, c.version, c.tile FROM tile_data_version v "
            "LEFT JOIN tile_cache c ON c.layer = :layer AND c.variant = :variant "
            "AND c.z = :z AND c.x = :x AND c.y = :y"
        ),
        _key(request),
    ).one()
    version = _dated(str(row[0]), request, context)
    tile = bytes(row[2]) if row[1] == version else None
    return version, tile


def data_version(session: Session, request: TileRequest, context: Context) -> str:
    """Return the data version alone: read where the tile's rows will be read (the replica)."""
    return _dated(
        str(session.scalar(text("SELECT version FROM tile_data_version"))), request, context
    )


def _dated(version: str, request: TileRequest, context: Context) -> str:
    if request.layer.collection is HAZARDS:  # overdue turns with the day
        return f"{version}.{context.today.isoformat()}"
    return version


def cached_tile(session: Session, request: TileRequest, version: str) -> bytes | None:
    """Return the cached tile of that version from the primary's cache, if any.

    Used when the rows come from a replica: the cache is UNLOGGED, so a standby has no rows of
    it (and refuses to read it); the primary keeps the one cache every app node shares.
    """
    row = session.execute(
        text(
            "SELECT version, tile FROM tile_cache WHERE layer = :layer AND variant = :variant "
            "AND z = :z AND x = :x AND y = :y"
        ).execution_options(**ON_PRIMARY),
        _key(request),
    ).one_or_none()
    return bytes(row[1]) if row is not None and row[0] == version else None


def etag(request: TileRequest, version: str) -> str:
    digest = hashlib.sha1(request.variant.encode()).hexdigest()[:12]
    return f"{request.layer.collection.id}-{version}-{digest}"


def store_tile(session: Session, request: TileRequest, version: str, tile: bytes) -> None:
    session.execute(
        text(
            "INSERT INTO tile_cache (layer, variant, z, x, y, version, tile) "
            "VALUES (:layer, :variant, :z, :x, :y, :version, :tile) "
            "ON CONFLICT (layer, variant, z, x, y) DO UPDATE "
            "SET version = EXCLUDED.version, tile = EXCLUDED.tile, made_at = now()"
        ).execution_options(**ON_PRIMARY),  # also when the rows came from a replica
        _key(request) | {"version": version, "tile": tile},
    )


def _key(request: TileRequest) -> dict[str, Any]:
    return {
        "layer": request.layer.collection.id,
        "variant": request.variant,
        "z": request.z,
        "x": request.x,
        "y": request.y,
    }


def _property(value: Any, context: Context) -> ColumnElement:
    return value(context) if callable(value) else value


def tile_statement(request: TileRequest, context: Context):
    """Return the one statement that makes the tile (bytes; empty when nothing is there)."""
    layer, z, x, y = request.layer, request.z, request.x, request.y
    collection = layer.collection
    model = collection.model
    bbox = tile_bbox(z, x, y, MARGIN / EXTENT)
    query = ItemsQuery(bbox=bbox, interval=request.query.interval, filters=request.query.filters)
    conditions = _conditions(collection, query, context)
    name = collection.id
    properties = {n: _property(v, context) for n, v in layer.properties.items()}
    if z >= DETAIL_FROM_ZOOM:
        geom = func.ST_AsMVTGeom(
            func.ST_Transform(model.geom, 3857),
            func.ST_TileEnvelope(z, x, y),
            EXTENT,
            MARGIN,
            True,
        )
        rows = _joined(
            collection,
            select(
                model.id.label("id"),
                *(value.label(n) for n, value in properties.items()),
                geom.label("geom"),
            ).select_from(model),
        ).where(*conditions)
        features = rows.subquery("t")
        return select(func.ST_AsMVT(features.table_valued(), name, EXTENT, "geom", "id")).where(
            features.c.geom.is_not(None)
        )
    # Dots: the position of each record in tile units (y down), from its point or, for a
    # stretch, a point on it; then one dot per cell of CELL × CELL units.
    point = _point_of(model.geom)
    scale = float(EXTENT * (1 << z))
    lon = func.ST_X(point, type_=Float)
    lat = func.radians(func.ST_Y(point, type_=Float), type_=Float)
    px = (lon + 180.0) * (scale / 360.0) - float(x * EXTENT)
    mercator = func.ln(func.tan(lat, type_=Float) + 1.0 / func.cos(lat, type_=Float), type_=Float)
    py = (1.0 - mercator / math.pi) * (scale / 2.0) - float(y * EXTENT)
    rows = _joined(
        collection,
        select(
            px.label("px"),
            py.label("py"),
            *(value.label(n) for n, value in properties.items()),
        ).select_from(model),
    ).where(*conditions)
    records = rows.subquery("records")
    dot_columns = [func.count().label("count")]
    if layer.urgency is not None:
        prop, order = layer.urgency
        values = cast(literal(list(order), ARRAY(Text())), ARRAY(Text()))
        rank = func.max(func.array_position(values, cast(records.c[prop], Text())))
        dot_columns.append(
            case(*((rank == index, value) for index, value in enumerate(order, 1))).label(prop)
        )
    for flag in layer.flags:
        dot_columns.append(func.bool_or(records.c[flag]).label(flag))
    position = func.ST_MakePoint(
        func.round(func.avg(records.c.px)), func.round(func.avg(records.c.py))
    )
    dots = (
        select(*dot_columns, position.label("geom"))
        .group_by(
            cast(func.floor(records.c.px / float(CELL), type_=Float), Integer),
            cast(func.floor(records.c.py / float(CELL), type_=Float), Integer),
        )
        .subquery("t")
    )
    return select(func.ST_AsMVT(dots.table_valued(), name, EXTENT, "geom"))


def _point_of(geom: Any) -> ColumnElement:
    """The record's point: itself, or a point on a stretch (GeometryType reads only the header)."""
    return case((func.GeometryType(geom) == "POINT", geom), else_=func.ST_PointOnSurface(geom))


def make_tile(session: Session, request: TileRequest, context: Context) -> bytes:
    """Run the tile's statement (no parallel workers for small tiles: they cost more)."""
    if request.z >= PARALLEL_BELOW_ZOOM:
        session.execute(text("SELECT set_config('max_parallel_workers_per_gather', '0', true)"))
    tile = session.scalar(tile_statement(request, context))
    return bytes(tile or b"")
