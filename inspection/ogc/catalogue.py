"""The feature collections as one table (OGC API – Features).

Each row of ``COLLECTIONS`` says everything the landing page, ``/collections`` and ``/items`` need:
the model, its properties (SQL expressions, so GeoJSON is built from one query with
``ST_AsGeoJSON``), the time field ``datetime`` filters on, the query parameters that filter it, the
conditions always applied (voided records are never served) and the page a feature links to.
"""

from __future__ import annotations

from sqlalchemy import and_, case, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql import ColumnElement

from inspection.errors import N_
from inspection.hazards.models import Hazard
from inspection.hazards.workflow import HAZARD_CATEGORIES, HazardSource
from inspection.inputs import Int
from inspection.network.models import Road
from inspection.network.stakes import format_stake
from inspection.ogc.coverage import PROVIDER as COVERAGE_PROVIDER
from inspection.ogc.geojson import Shown, stake_sql
from inspection.ogc.model import (
    DIRECTIONS,
    HAZARD_STATES,
    OPEN_HAZARD_STATES,
    Collection,
    Context,
    Feature,
    Filter,
    Prop,
    TimeField,
)
from inspection.patrols.kinds import FINDING_KINDS, FINDING_STATUSES
from inspection.patrols.models import Finding
from inspection.repairs.models import Repair
from inspection.repairs.rules import REPAIR_KINDS
from inspection.sites.kinds import SiteKind
from inspection.sites.models import Department, Site
from inspection.surveys.models import SurveyCampaign, SurveyUnit
from inspection.tracks.models import CoveredInterval


def _python_stake(value: float | None) -> str | None:
    return None if value is None else format_stake(value)


# Stake text in Python (the HTML pages, enriched collections) and in SQL (GeoJSON pages).
_stake = Shown(_python_stake, stake_sql)


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

PATROL_COVERAGE = Collection(
    id="patrol_coverage",
    title=N_("Patrol coverage"),
    description=N_(
        "Stretches of road in a period (datetime; default the last 30 days) with how often and "
        "when they were last patrolled, and whether at their road class's frequency; stretches "
        "not patrolled in the period have 0 passes."
    ),
    model=CoveredInterval,
    geometry_type="LineString",
    properties=(
        Prop("road"),
        Prop("direction"),
        Prop("stake_range"),
        Prop("from_stake"),
        Prop("to_stake"),
        Prop("length_m", kind="number"),
        Prop("every_days", kind="integer"),
        Prop("passes", kind="integer"),
        Prop("days", kind="integer"),
        Prop("last_patrolled", kind="date"),
        Prop("days_since", kind="integer"),
        Prop("at_frequency", kind="boolean"),
        Prop("period_from", kind="date"),
        Prop("period_to", kind="date"),
    ),
    link="/patrols/coverage",
    time=TimeField(CoveredInterval.ended_at),
    filters=(_road_filter(Road.code), _direction_filter(Road.direction)),
    provider=COVERAGE_PROVIDER,
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
    c.id: c for c in (ROADS, FINDINGS, HAZARDS, REPAIRS, SURVEY_UNITS, SITES, PATROL_COVERAGE)
}


def all_properties(collection: Collection) -> tuple[Prop, ...]:
    """Return the properties every feature of a collection carries, computed ones included."""
    return (*collection.properties, *ENRICHED_PROPERTIES.get(collection.id, ()))
