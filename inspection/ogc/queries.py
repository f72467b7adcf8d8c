"""Reading a collection's features: conditions, paging and extent.

Paging is by offset over the features ordered by id; the view turns the numbers into ``next`` and
``prev`` links that repeat the rest of the query.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, select, text, true
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select

from inspection.ogc.geojson import SESSION_SETTINGS, feature_sql
from inspection.ogc.model import (
    COORDINATE_DECIMALS,
    CRS84,
    TRS_GREGORIAN,
    Collection,
    Context,
    Feature,
    TimeField,
)
from inspection.ogc.parameters import (
    ItemsQuery,
)


def _local_day(moment: datetime, timezone: ZoneInfo) -> date:
    return moment.astimezone(timezone).date()


def _time_conditions(
    time_field: TimeField, interval: tuple[datetime | None, datetime | None], timezone: ZoneInfo
) -> list[ColumnElement]:
    start, stop = interval
    first_column, last_column = time_field.start, time_field.end or time_field.start
    conditions = []
    if time_field.is_date:
        # A local date is the day from its midnight to the next: it meets [start, stop) when
        # it is on or after start's day and on or before the day of the last instant before stop.
        if start is not None:
            conditions.append(last_column >= _local_day(start, timezone))
        if stop is not None:
            last_day = _local_day(stop - timedelta(microseconds=1), timezone)
            conditions.append(first_column <= last_day)
    else:
        if start is not None:
            conditions.append(last_column >= start)
        if stop is not None:
            conditions.append(first_column < stop)
    return conditions


def _conditions(collection: Collection, query: ItemsQuery, context: Context) -> list:
    conditions: list = list(collection.where)
    if query.bbox is not None:
        envelope = func.ST_MakeEnvelope(*query.bbox, 4326)
        conditions.append(func.ST_Intersects(collection.model.geom, envelope))
    if query.interval is not None and collection.time is not None:
        conditions += _time_conditions(collection.time, query.interval, context.timezone)
    for param, raw in query.filters:
        conditions.append(collection.filter(param).condition(raw, context))
    return conditions


def _joined(collection: Collection, statement: Select) -> Select:
    for target, onclause in collection.joins:
        statement = statement.join(target, onclause)
    for target, onclause in collection.outer_joins:
        statement = statement.outerjoin(target, onclause)
    return statement


def _plain(value: Any) -> Any:
    """Return a value JSON can carry: dates as ISO text, decimals as numbers, UUIDs as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _select(collection: Collection, context: Context) -> Select:
    model = collection.model
    columns = [
        model.id.label("fid"),
        func.ST_AsGeoJSON(model.geom, COORDINATE_DECIMALS).label("geometry"),
        *(p.expression(context).label(p.name) for p in collection.properties),
    ]
    return _joined(collection, select(*columns).select_from(model))


_JSON_TYPES = (str, int, float, bool, type(None))


def _features(session: Session, collection: Collection, rows, url_root: str) -> list[Feature]:
    properties = collection.properties
    names = [p.name for p in properties]
    shows = [p.show for p in properties]
    features = []
    for row in rows:
        # Columns 0 and 1 are the id and the geometry; the properties follow in table order.
        values = list(row[2:])
        for index, value in enumerate(values):
            if value is None:
                continue
            show = shows[index]
            if show is not None:
                value = show(value)
            if type(value) not in _JSON_TYPES:
                value = _plain(value)
            values[index] = value
        features.append(Feature(row[0], row[1], dict(zip(names, values, strict=True))))
    if collection.enrich is not None:
        collection.enrich(session, features)
    for feature in features:
        path = collection.link.format(id=feature.id, **feature.properties)
        feature.properties["url"] = url_root + path
    return features


def find_features(
    session: Session,
    collection: Collection,
    query: ItemsQuery,
    context: Context,
    *,
    url_root: str = "",
) -> tuple[list[Feature], int]:
    """Return one page of a collection's features (by id) and how many match in all."""
    if collection.provider is not None:
        found = collection.provider.features(session, query, context, url_root=url_root)
        return found[query.offset : query.offset + query.limit], len(found)
    conditions = _conditions(collection, query, context)
    _page_settings(session)
    statement = (
        _select(collection, context)
        .where(*conditions)
        .order_by(collection.model.id)
        .limit(query.limit)
        .offset(query.offset)
    )
    rows = session.execute(statement).all()
    matched = _matched(session, collection, conditions, query, len(rows))
    return _features(session, collection, rows, url_root), matched


def _page_settings(session) -> None:
    # A page of a bbox touches a few hundred rows: starting parallel workers costs more than it
    # saves (it doubled the time per request on a million findings), so this transaction has none.
    settings = {"max_parallel_workers_per_gather": "0", **SESSION_SETTINGS}
    calls = ", ".join(f"set_config('{name}', :{name}, true)" for name in settings)
    session.execute(text(f"SELECT {calls}"), settings)


def _matched(session: Session, collection: Collection, conditions, query, returned: int) -> int:
    if query.offset == 0 and returned < query.limit:
        return returned  # the whole answer is on this page: no need to count
    counted = _joined(collection, select(func.count()).select_from(collection.model)).where(
        *conditions
    )
    return session.scalar(counted)


# Pages up to this many features are read whole before answering (one round trip); larger ones
# stream from a server-side cursor in batches, so memory stays flat up to MAX_LIMIT.
STREAM_FROM = 2000
STREAM_BATCH = 500


@dataclass
class FeatureTexts:
    """One page as each feature's finished GeoJSON text (see :mod:`inspection.ogc.geojson`)."""

    texts: Iterable[str]
    matched: int
    returned: int  # for a streamed page, what the count leaves for it; the view counts again


def find_feature_texts(
    session: Session,
    collection: Collection,
    query: ItemsQuery,
    context: Context,
    *,
    url_root: str = "",
) -> FeatureTexts | None:
    """Return one page of features as JSON texts written by PostgreSQL, or None where the
    collection needs the Python path (computed collections, enrichment, presentations)."""
    expression = feature_sql(collection, context)
    if expression is None:
        return None
    model = collection.model
    conditions = _conditions(collection, query, context)
    _page_settings(session)
    statement = (
        _joined(collection, select(expression.label("feature")).select_from(model))
        .where(*conditions)
        .order_by(model.id)
        .limit(query.limit)
        .offset(query.offset)
    )
    parameters = {"url_root": url_root}
    if query.limit <= STREAM_FROM:
        texts = session.scalars(statement, parameters).all()
        matched = _matched(session, collection, conditions, query, len(texts))
        return FeatureTexts(texts, matched, len(texts))
    counted = _joined(collection, select(func.count()).select_from(model)).where(*conditions)
    matched = session.scalar(counted)
    streamed = _streamed(session.get_bind(), statement, parameters)
    return FeatureTexts(streamed, matched, max(0, min(query.limit, matched - query.offset)))


def _streamed(engine, statement, parameters: dict[str, Any]) -> Iterator[str]:
    """Yield the features from a server-side cursor on a connection of their own.

    The answer is sent after the view returns and the request's session is closed, so the
    stream cannot use it; it starts when the first chunk is asked for.
    """
    if isinstance(engine, Connection):  # a session bound to one connection (the tests'): use it
        yield from _rows(engine, statement, parameters)
        return
    with engine.connect() as connection:
        yield from _rows(connection, statement, parameters)


def _rows(connection: Connection, statement, parameters: dict[str, Any]) -> Iterator[str]:
    _page_settings(connection)
    # Per statement: Connection.execution_options() would change the connection itself.
    options = {"yield_per": STREAM_BATCH}
    for (feature,) in connection.execute(statement, parameters, execution_options=options):
        yield feature


def get_feature(
    session: Session, collection: Collection, fid: int, context: Context, *, url_root: str = ""
) -> Feature | None:
    """Return one feature by id, or None (also for a voided record)."""
    if collection.provider is not None:
        return collection.provider.feature(session, fid, context, url_root=url_root)
    statement = _select(collection, context).where(collection.model.id == fid, *collection.where)
    rows = session.execute(statement).all()
    features = _features(session, collection, rows, url_root)
    return features[0] if features else None


def extent(session: Session, collection: Collection) -> dict[str, Any]:
    """Return the collection's spatial extent and, when it has a time field, its temporal one."""
    if collection.provider is not None:
        box, (low, high) = collection.provider.extent(session)
        bbox = [-180.0, -90.0, 180.0, 90.0]
        if box is not None:
            bbox = [round(v, COORDINATE_DECIMALS) for v in box]
        return {
            "spatial": {"bbox": [bbox], "crs": CRS84},
            "temporal": {"interval": [[_instant(low), _instant(high)]], "trs": TRS_GREGORIAN},
        }
    model = collection.model
    box = session.execute(
        _joined(
            collection,
            select(
                func.ST_XMin(func.ST_Extent(model.geom)),
                func.ST_YMin(func.ST_Extent(model.geom)),
                func.ST_XMax(func.ST_Extent(model.geom)),
                func.ST_YMax(func.ST_Extent(model.geom)),
            ).select_from(model),
        ).where(true(), *collection.where)
    ).one()
    bbox = [-180.0, -90.0, 180.0, 90.0]
    if box[0] is not None:
        bbox = [round(v, COORDINATE_DECIMALS) for v in box]
    result: dict[str, Any] = {"spatial": {"bbox": [bbox], "crs": CRS84}}
    if collection.time is not None:
        first, last = collection.time.start, collection.time.end or collection.time.start
        low, high = session.execute(
            _joined(collection, select(func.min(first), func.max(last)).select_from(model)).where(
                true(), *collection.where
            )
        ).one()
        result["temporal"] = {
            "interval": [[_instant(low), _instant(high)]],
            "trs": TRS_GREGORIAN,
        }
    return result


def _instant(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return datetime.combine(value, time.min).isoformat() + "Z"
