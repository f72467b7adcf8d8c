"""The feature collections as one table, and the queries that read them (OGC API – Features).

Each row of ``COLLECTIONS`` says everything the landing page, ``/collections`` and ``/items`` need:
the model, its properties (SQL expressions, so GeoJSON is built from one query with
``ST_AsGeoJSON``), the time field ``datetime`` filters on, the query parameters that filter it, the
conditions always applied (voided records are never served) and the page a feature links to.

Paging is by offset over the features ordered by id; the view turns the numbers into ``next`` and
``prev`` links that repeat the rest of the query.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import Field, PlainValidator, WithJsonSchema, create_model
from pydantic_core import PydanticCustomError
from sqlalchemy import and_, case, func, select, text, true
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql import ColumnElement, Select

from inspection.errors import N_, ValidationError
from inspection.hazards.models import Hazard
from inspection.hazards.workflow import HAZARD_CATEGORIES, HazardSource, HazardState
from inspection.inputs import INT32_MAX, MESSAGES, Code, Input, Int, Text, check, parse_query
from inspection.network.models import Road
from inspection.network.stakes import format_stake
from inspection.patrols.kinds import FINDING_KINDS, FINDING_STATUSES
from inspection.patrols.models import Finding
from inspection.repairs.models import Repair
from inspection.repairs.rules import REPAIR_KINDS
from inspection.sites.kinds import SiteKind
from inspection.sites.models import Department, Site
from inspection.surveys.models import SurveyCampaign, SurveyUnit

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


# --------------------------------------------------------------------------- the table


def _stake(value: float | None) -> str | None:
    return None if value is None else format_stake(value)


def _upper(value: str) -> str:
    return value.strip().upper()


def _road_filter(column) -> Filter:
    return Filter("road", column, N_("Road code, e.g. G30."), normalise=_upper)


def _direction_filter(column) -> Filter:
    return Filter("direction", column, N_("Carriageway: up, down or both."), choices=DIRECTIONS)


def _overdue(context: Context) -> ColumnElement:
    """Open and past its deadline (due today is not overdue), as `workflow.is_overdue` says."""
    return and_(
        Hazard.state != "closed",
        Hazard.deadline.is_not(None),
        Hazard.deadline < context.today,
    )


def _hazard_location_type(_: Context) -> ColumnElement:
    """Say where a hazard is: "road" (a stake) or "site"."""
    return case((Hazard.site_id.is_(None), "road"), else_="site")


def _survey_grades(session: Session, features: list[Feature]) -> None:
    """Add each unit's PCI, SCI and grades, computed from its records not voided."""
    from inspection.surveys import queries

    if not features:
        return
    units = session.scalars(
        select(SurveyUnit)
        .where(SurveyUnit.id.in_([f.id for f in features]))
        .options(joinedload(SurveyUnit.road))
    ).all()
    figures = {item.unit.id: item for item in queries.unit_figures(session, units)}
    for feature in features:
        item = figures.get(feature.id)
        feature.properties["pci"] = item.pci if item else None
        feature.properties["sci"] = item.sci if item else None
        feature.properties["grade"] = item.grade.value if item and item.grade else None
        feature.properties["sci_grade"] = item.sci_grade.value if item and item.sci_grade else None


ROADS = Collection(
    id="roads",
    title=N_("Roads"),
    description=N_("Road centrelines, one per carriageway, oriented by increasing chainage."),
    model=Road,
    geometry_type="LineString",
    properties=(
        Prop("road", Road.code),
        Prop("name", Road.name),
        Prop("direction", Road.direction),
        Prop("road_class", Road.road_class),
        Prop("start_stake", Road.start_chainage, show=_stake),
        Prop("end_stake", Road.end_chainage, show=_stake),
        Prop("start_chainage", Road.start_chainage, "number"),
        Prop("end_chainage", Road.end_chainage, "number"),
        Prop("length_m", Road.length_m, "number", show=lambda v: round(v, 1)),
    ),
    link="/roads/{road}/{direction}",
    filters=(_road_filter(Road.code), _direction_filter(Road.direction)),
)

FINDINGS = Collection(
    id="findings",
    title=N_("Findings"),
    description=N_("What patrol crews found on the road (voided findings are left out)."),
    model=Finding,
    geometry_type="Geometry",
    properties=(
        Prop("uuid", Finding.client_uuid),
        Prop("kind", Finding.kind),
        Prop("status", Finding.status),
        Prop("item_code", Finding.item_code),
        Prop("severity", Finding.severity),
        Prop("quantity", Finding.quantity, "number"),
        Prop("quantity_unit", Finding.quantity_unit),
        Prop("road", Road.code),
        Prop("direction", Finding.direction),
        Prop("side", Finding.side),
        Prop("stake", Finding.chainage, show=_stake),
        Prop("end_stake", Finding.end_chainage, show=_stake),
        Prop("chainage", Finding.chainage, "number"),
        Prop("observed_at", Finding.observed_at, "date-time"),
        Prop("note", Finding.note),
    ),
    link="/findings/{uuid}",
    joins=((Road, Road.id == Finding.road_id),),
    where=(Finding.voided_at.is_(None),),
    time=TimeField(Finding.observed_at),
    filters=(
        _road_filter(Road.code),
        _direction_filter(Finding.direction),
        Filter("kind", Finding.kind, N_("Kind of finding."), choices=tuple(FINDING_KINDS)),
        Filter(
            "state", Finding.status, N_("Status of the finding."), choices=tuple(FINDING_STATUSES)
        ),
    ),
)

HAZARDS = Collection(
    id="hazards",
    title=N_("Safety hazards"),
    description=N_("Safety hazards and where their rectification stands; overdue ones are marked."),
    model=Hazard,
    geometry_type="Geometry",
    properties=(
        Prop("number", Hazard.number),
        Prop("state", Hazard.state),
        Prop("overdue", kind="boolean", compute=_overdue),
        Prop("category", Hazard.category),
        Prop("grade", Hazard.grade),
        Prop("description", Hazard.description),
        Prop("source", Hazard.source),
        Prop("location_type", compute=_hazard_location_type),
        # A hazard at a site has no road or stake; its geometry is the site's point.
        Prop("road", Road.code),
        Prop("direction", Hazard.direction),
        Prop("stake", Hazard.chainage, show=_stake),
        Prop("end_stake", Hazard.end_chainage, show=_stake),
        Prop("chainage", Hazard.chainage, "number"),
        Prop("site", Site.name),
        Prop("site_kind", Site.kind),
        Prop("location_note", Hazard.location_note),
        Prop("found_at", Hazard.found_at, "date-time"),
        Prop("deadline", Hazard.deadline, "date"),
        Prop("closed_at", Hazard.closed_at, "date-time"),
    ),
    link="/hazards/{id}",
    outer_joins=((Road, Road.id == Hazard.road_id), (Site, Site.id == Hazard.site_id)),
    time=TimeField(Hazard.found_at),
    filters=(
        _road_filter(Road.code),
        _direction_filter(Hazard.direction),
        Filter("kind", Hazard.category, N_("Hazard category."), choices=tuple(HAZARD_CATEGORIES)),
        Filter(
            "state",
            Hazard.state,
            N_("State of the hazard; overdue: open and past its deadline."),
            choices=HAZARD_STATES,
            special={"overdue": _overdue, "open": lambda _: Hazard.state.in_(OPEN_HAZARD_STATES)},
        ),
        Filter("grade", Hazard.grade, N_("Grade of the hazard."), choices=("general", "major")),
        Filter(
            "source",
            Hazard.source,
            N_("How the hazard came to be known."),
            choices=tuple(str(s) for s in HazardSource),
        ),
    ),
)

REPAIRS = Collection(
    id="repairs",
    title=N_("Repairs"),
    description=N_("Repair work done on the road (voided records are left out)."),
    model=Repair,
    geometry_type="Geometry",
    properties=(
        Prop("uuid", Repair.client_uuid),
        Prop("kind", Repair.kind),
        Prop("road", Road.code),
        Prop("direction", Repair.direction),
        Prop("side", Repair.side),
        Prop("stake", Repair.chainage, show=_stake),
        Prop("end_stake", Repair.end_chainage, show=_stake),
        Prop("chainage", Repair.chainage, "number"),
        Prop("completed_on", Repair.completed_on, "date"),
        Prop("area_m2", Repair.area_m2, "number"),
        Prop("count", Repair.count, "integer"),
        Prop("depth_mm", Repair.depth_mm, "number"),
        Prop("crew", Repair.crew),
        Prop("method", Repair.method),
        Prop("cost_yuan", Repair.cost_yuan, "number"),
        Prop("note", Repair.note),
    ),
    link="/repairs/{uuid}",
    joins=((Road, Road.id == Repair.road_id),),
    where=(Repair.voided_at.is_(None),),
    time=TimeField(Repair.completed_on, is_date=True),
    filters=(
        _road_filter(Road.code),
        _direction_filter(Repair.direction),
        Filter("kind", Repair.kind, N_("Kind of repair."), choices=tuple(REPAIR_KINDS)),
    ),
)

SURVEY_UNITS = Collection(
    id="survey_units",
    title=N_("Survey units"),
    description=N_(
        "Evaluation units of the pavement condition surveys with their PCI and grade "
        "(computed from the records; empty where not measured)."
    ),
    model=SurveyUnit,
    geometry_type="Geometry",
    properties=(
        Prop("campaign_id", SurveyUnit.campaign_id, "integer"),
        Prop("campaign", SurveyCampaign.name),
        Prop("road", Road.code),
        Prop("direction", SurveyUnit.direction),
        Prop("seq", SurveyUnit.seq, "integer"),
        Prop("start_stake", SurveyUnit.start_chainage, show=_stake),
        Prop("end_stake", SurveyUnit.end_chainage, show=_stake),
        Prop("length_m", SurveyUnit.length_m, "number", show=lambda v: round(v, 1)),
        Prop("width_m", SurveyUnit.width_m, "number"),
        Prop("pavement", SurveyUnit.pavement),
        Prop("starts_on", SurveyCampaign.starts_on, "date"),
        Prop("ends_on", SurveyCampaign.ends_on, "date"),
    ),
    link="/surveys/{campaign_id}/units/{id}",
    joins=(
        (Road, Road.id == SurveyUnit.road_id),
        (SurveyCampaign, SurveyCampaign.id == SurveyUnit.campaign_id),
    ),
    time=TimeField(SurveyCampaign.starts_on, SurveyCampaign.ends_on, is_date=True),
    filters=(
        _road_filter(Road.code),
        _direction_filter(SurveyUnit.direction),
        Filter(
            "campaign",
            SurveyUnit.campaign_id,
            N_("Survey campaign id."),
            value_type=Int(),
            normalise=int,
        ),
    ),
    enrich=_survey_grades,
)

SITES = Collection(
    id="sites",
    title=N_("Branch sites"),
    description=N_(
        "The branch's sites: toll stations, service areas, depots, workshops, offices "
        "(deactivated sites are left out)."
    ),
    model=Site,
    geometry_type="Point",
    # Road and department are optional: scalar subqueries keep sites without them.
    properties=(
        Prop("name", Site.name),
        Prop("kind", Site.kind),
        Prop(
            "department",
            select(Department.name)
            .where(Department.id == Site.department_id)
            .correlate(Site)
            .scalar_subquery(),
        ),
        Prop(
            "road",
            select(Road.code).where(Road.id == Site.road_id).correlate(Site).scalar_subquery(),
        ),
        Prop("stake", Site.chainage, show=_stake),
    ),
    link="/sites/{id}",
    where=(Site.active.is_(True),),
    filters=(
        Filter("kind", Site.kind, N_("Kind of site."), choices=tuple(k.value for k in SiteKind)),
        Filter(
            "department",
            Site.department_id,
            N_("Owning department's id."),
            value_type=Int(),
            normalise=int,
        ),
    ),
)

# Properties the enrichment adds, for the documents (it runs after the query).
ENRICHED_PROPERTIES = {
    "survey_units": (
        Prop("pci", kind="number"),
        Prop("sci", kind="number"),
        Prop("grade"),
        Prop("sci_grade"),
    )
}

COLLECTIONS: dict[str, Collection] = {
    c.id: c for c in (ROADS, FINDINGS, HAZARDS, REPAIRS, SURVEY_UNITS, SITES)
}


def all_properties(collection: Collection) -> tuple[Prop, ...]:
    """Return the properties every feature of a collection carries, computed ones included."""
    return (*collection.properties, *ENRICHED_PROPERTIES.get(collection.id, ()))


# --------------------------------------------------------------------------- parameters


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


# --------------------------------------------------------------------------- queries


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
    conditions = _conditions(collection, query, context)
    # A page of a bbox touches a few hundred rows: starting parallel workers costs more than it
    # saves (it doubled the time per request on a million findings), so this transaction has none.
    session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    statement = (
        _select(collection, context)
        .where(*conditions)
        .order_by(collection.model.id)
        .limit(query.limit)
        .offset(query.offset)
    )
    rows = session.execute(statement).all()
    if query.offset == 0 and len(rows) < query.limit:
        matched = len(rows)  # the whole answer is on this page: no need to count
    else:
        counted = _joined(collection, select(func.count()).select_from(collection.model)).where(
            *conditions
        )
        matched = session.scalar(counted)
    return _features(session, collection, rows, url_root), matched


def get_feature(
    session: Session, collection: Collection, fid: int, context: Context, *, url_root: str = ""
) -> Feature | None:
    """Return one feature by id, or None (also for a voided record)."""
    statement = _select(collection, context).where(collection.model.id == fid, *collection.where)
    rows = session.execute(statement).all()
    features = _features(session, collection, rows, url_root)
    return features[0] if features else None


def extent(session: Session, collection: Collection) -> dict[str, Any]:
    """Return the collection's spatial extent and, when it has a time field, its temporal one."""
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


__all__ = [
    "COLLECTIONS",
    "CRS84",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "BadParameter",
    "Collection",
    "Context",
    "Feature",
    "ItemsQuery",
    "all_properties",
    "extent",
    "find_features",
    "get_feature",
    "parse_bbox",
    "parse_datetime",
    "parse_items_query",
]
