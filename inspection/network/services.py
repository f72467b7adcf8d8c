"""Road network operations: import, linear referencing against stored roads, GPS look-ups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspection.errors import N_, NotFound, ValidationError
from inspection.geo import from_db, to_db
from inspection.network.chainage import (
    CalibrationPoint,
    ChainBreak,
    LinearReference,
    LocatedStake,
    MetricLine,
    point_to_chainage,
)
from inspection.network.importing import (
    FieldNames,
    ImportPlan,
    PlannedRoad,
    Skipped,
    plan_import,
)
from inspection.network.locating import RoadRef, nearest_piece_rows
from inspection.network.models import CalibrationPointRow, ChainBreakRow, Road, RoadPiece
from inspection.network.stakes import format_stake, parse_stake

DEFAULT_TOLERANCE_M = 100.0
GAP_NOTE = "gap in the imported geometry"

# Other areas register functions that recompute their records' derived geometry for a road
# (findings, repairs, hazards…); `recompute_road` runs them after the road changes.
DerivedGeometryUpdater = Callable[[Session, Road], int]
DERIVED_GEOMETRY_UPDATERS: dict[str, DerivedGeometryUpdater] = {}


def reference_for(road: Road) -> LinearReference:
    """Return the chainage ⇄ measure conversion of a stored road."""
    key = _reference_key(road)
    reference = _references.get(key)
    if reference is None:
        reference = _remember(
            key,
            LinearReference(
                road.start_chainage,
                road.end_chainage,
                road.length_m,
                calibration=[
                    CalibrationPoint(p.chainage, p.measure) for p in road.calibration_points
                ],
                breaks=[
                    ChainBreak(b.measure, b.back_chainage, b.ahead_chainage)
                    for b in road.chain_breaks
                ],
            ),
        )
    return reference


def _reference_key(road: Road | RoadRef) -> tuple[int, int, float, float, float]:
    # The lengths make the key safe even where ids start again (a restored or rebuilt database).
    return (road.id, road.geometry_version, road.length_m, road.start_chainage, road.end_chainage)


def _remember(key: tuple, reference: LinearReference) -> LinearReference:
    if len(_references) >= _REFERENCE_CACHE_SIZE:
        _references.pop(next(iter(_references)))
    _references[key] = reference
    return reference


# Built references by road id and geometry version: a road's calibration and breaks only change
# with a new geometry version, so a hit is never stale. Per process, small, and only an
# optimisation: every process builds the same answer from the database.
_REFERENCE_CACHE_SIZE = 512
_references: dict[tuple[int, int, float, float, float], LinearReference] = {}


def metric_line_for(road: Road) -> MetricLine:
    """Return the whole centreline of a stored road in metres."""
    return MetricLine(from_db(road.geom), lon_0=road.lon_0)


def get_road(session: Session, code: str, direction: str | None = None) -> Road:
    """Return the road with this code (and direction), or raise NotFound / ValidationError."""
    query = select(Road).where(Road.code == code.strip().upper())
    if direction:
        query = query.where(Road.direction.in_([direction, "both"]))
    roads = session.scalars(query.order_by(Road.direction)).all()
    if not roads:
        raise NotFound(N_("There is no road %(code)s."), code=code)
    if len(roads) > 1:
        exact = [r for r in roads if r.direction == direction]
        if len(exact) == 1:
            return exact[0]
        raise ValidationError(
            N_("Road %(code)s has several carriageways; say which direction (%(directions)s)."),
            fields={"direction": N_("Choose a direction.")},
            code=code,
            directions=", ".join(r.direction for r in roads),
        )
    return roads[0]


# --- positions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    road: Road
    chainage: float
    measure: float
    lon: float
    lat: float

    @property
    def stake(self) -> str:
        return format_stake(self.chainage)


def position_of_stake(
    session: Session,
    road: Road,
    chainage: float,
    *,
    prefer: Literal["before", "after"] | None = None,
    near: tuple[float, float] | None = None,
) -> Position:
    """Return the point of a stake on a road; `near` (lon, lat) picks in a long-chain overlap."""
    reference = reference_for(road)
    # Candidates on a straight connector across a gap in the imported geometry are not road.
    candidates = [m for m in reference.to_measures(chainage) if _piece_at(session, road, m)]
    if not candidates:
        raise NotFound(
            N_("Stake %(stake)s lies in a gap of road %(code)s's imported geometry."),
            stake=format_stake(chainage),
            code=road.code,
        )
    if len(candidates) == 1:
        measure = candidates[0]
    else:
        near_measure = None
        if near is not None and prefer is None:
            near_measure = _measure_of_point(session, road, *near)
        try:
            measure = reference.to_measure(chainage, prefer=prefer, near_measure=near_measure)
        except ValidationError as error:
            if "candidates" in error.params:  # a long-chain overlap: show the client both places
                error.extra = {
                    "candidates": [
                        {"measure": round(m, 1), "prefer": choice}
                        for m, choice in zip(
                            error.params["candidates"], ("before", "after"), strict=False
                        )
                    ]
                }
            raise
    piece = _piece_at(session, road, measure)
    line = MetricLine(from_db(piece.geom), lon_0=road.lon_0, base_measure=piece.start_measure)
    lon, lat = line.point_at(measure)
    return Position(road, chainage, measure, lon, lat)


def _piece_at(session: Session, road: Road, measure: float) -> RoadPiece | None:
    return session.scalars(
        select(RoadPiece)
        .where(
            RoadPiece.road_id == road.id,
            RoadPiece.start_measure <= measure + 1e-6,
            RoadPiece.end_measure >= measure - 1e-6,
        )
        .order_by(RoadPiece.seq)
        .limit(1)
    ).first()


def stake_range_geometry(session: Session, road: Road, c_from: float, c_to: float) -> LineString:
    """Return the centreline substring between two stakes of a road."""
    from inspection.network.chainage import stake_range_to_line

    return stake_range_to_line(metric_line_for(road), reference_for(road), c_from, c_to)


def _measure_of_point(session: Session, road: Road, lon: float, lat: float) -> float:
    piece = _nearest_piece(session, road.id, lon, lat)
    line = MetricLine(from_db(piece.geom), lon_0=road.lon_0, base_measure=piece.start_measure)
    return line.locate(lon, lat).measure


def _nearest_piece(session: Session, road_id: int, lon: float, lat: float) -> RoadPiece:
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    piece = session.scalars(
        select(RoadPiece)
        .where(RoadPiece.road_id == road_id)
        .order_by(RoadPiece.geom.op("<->")(point))
        .limit(1)
    ).first()
    if piece is None:
        raise NotFound(N_("The road has no geometry."))
    return piece


@dataclass(frozen=True)
class Candidate:
    road: RoadRef
    located: LocatedStake
    # The piece it was located on, in metres: gives the foot of the fix on the centreline.
    line: MetricLine = field(repr=False, compare=False)

    def as_dict(self) -> dict:
        return {
            "road": self.road.code,
            "road_name": self.road.name,
            "direction": self.road.direction,
            "chainage": round(self.located.chainage, 1),
            "stake": self.located.stake,
            "offset_m": round(self.located.offset_m, 1),
            "distance_m": round(self.located.distance_m, 1),
            "side": self.located.side,
        }

    def foot(self) -> tuple[float, float]:
        """Return the (lon, lat) of the fix's foot on the centreline: the point of its stake."""
        return self.line.point_at(self.located.measure)


def locate(
    session: Session,
    lon: float,
    lat: float,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    road_code: str | None = None,
    limit: int = 5,
) -> list[Candidate]:
    """Return the roads within `tolerance_m` of a GPS fix, nearest first, with stake and offset."""
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError(
            N_("Longitude and latitude are out of range."),
            fields={"lon": N_("Between -180 and 180."), "lat": N_("Between -90 and 90.")},
        )
    if session.autoflush:  # the statement below goes to the driver, past the ORM's autoflush
        session.flush()
    # One statement: KNN on the pieces' GiST index, ST_DWithin on the spheroid, each road's
    # nearest piece, as plain rows (locating.py). The chainage is the pure functions' work.
    rows = nearest_piece_rows(
        session.connection(), lon, lat, tolerance_m=tolerance_m, limit=limit, road_code=road_code
    )
    candidates = []
    for road, line in rows:
        direction = "down" if road.direction == "down" else "up"
        reference = _reference_of(session, road)
        located = point_to_chainage(line, reference, lon, lat, direction=direction)
        candidates.append(Candidate(road, located, line))
    candidates.sort(key=lambda c: c.located.distance_m)
    return candidates[:limit]


def _reference_of(session: Session, road: RoadRef) -> LinearReference:
    """Return a located road's linear reference: from the cache, else from its rows."""
    key = _reference_key(road)
    reference = _references.get(key)
    if reference is None:
        calibration = session.execute(
            select(CalibrationPointRow.chainage, CalibrationPointRow.measure).where(
                CalibrationPointRow.road_id == road.id
            )
        ).all()
        breaks = session.execute(
            select(
                ChainBreakRow.measure, ChainBreakRow.back_chainage, ChainBreakRow.ahead_chainage
            ).where(ChainBreakRow.road_id == road.id)
        ).all()
        reference = _remember(
            key,
            LinearReference(
                road.start_chainage,
                road.end_chainage,
                road.length_m,
                calibration=[CalibrationPoint(*row) for row in calibration],
                breaks=[ChainBreak(*row) for row in breaks],
            ),
        )
    return reference


# --- import ------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    features_used: int = 0
    dry_run: bool = False

    def lines(self) -> list[str]:
        """Return the summary as lines for the command line and the import page."""
        head = "dry run: nothing was saved" if self.dry_run else "import done"
        out = [
            f"{head}; {self.features_used} features used, {len(self.skipped)} skipped",
            f"roads created: {len(self.created)} {' '.join(self.created)}".rstrip(),
            f"roads updated: {len(self.updated)} {' '.join(self.updated)}".rstrip(),
            f"roads unchanged: {len(self.unchanged)}",
        ]
        out += [f"note: {note}" for note in self.notes]
        out += [f"skipped {s.describe()}" for s in self.skipped]
        return out


def _label(planned: PlannedRoad) -> str:
    return f"{planned.code}/{planned.direction}"


def _same(road: Road, planned: PlannedRoad) -> bool:
    stored = from_db(road.geom)
    return (
        stored.equals_exact(planned.line, 1e-9)
        and road.name == planned.name
        and road.road_class == planned.road_class
        and abs(road.start_chainage - planned.start_chainage) < 1e-6
        and abs(road.end_chainage - planned.end_chainage) < 1e-6
        and [(round(p.chainage, 3), round(p.measure, 3)) for p in road.calibration_points]
        == [(round(p.chainage, 3), round(p.measure, 3)) for p in planned.calibration]
        and [
            (round(b.measure, 3), round(b.back_chainage, 3), round(b.ahead_chainage, 3))
            for b in road.chain_breaks
        ]
        == [
            (round(b.measure, 3), round(b.back_chainage, 3), round(b.ahead_chainage, 3))
            for b in planned.breaks
        ]
    )


def save_planned_road(session: Session, planned: PlannedRoad, road: Road | None = None) -> Road:
    """Write a planned road's centreline, calibration, breaks and pieces (new or replacing)."""
    # Validate the linear reference before anything is written.
    LinearReference(
        planned.start_chainage,
        planned.end_chainage,
        planned.length_m,
        calibration=planned.calibration,
        breaks=planned.breaks,
    )
    if road is None:
        road = Road(code=planned.code, direction=planned.direction)
        session.add(road)
    else:
        road.geometry_version += 1
    road.name = planned.name
    road.road_class = planned.road_class
    road.start_chainage = planned.start_chainage
    road.end_chainage = planned.end_chainage
    road.length_m = planned.length_m
    road.lon_0 = planned.lon_0
    road.geom = to_db(planned.line)
    road.calibration_points = [
        CalibrationPointRow(chainage=p.chainage, measure=p.measure, source="import")
        for p in planned.calibration
    ]
    road.chain_breaks = [
        ChainBreakRow(
            measure=b.measure,
            back_chainage=b.back_chainage,
            ahead_chainage=b.ahead_chainage,
            note=GAP_NOTE if b.measure in planned.gap_breaks else "",
        )
        for b in planned.breaks
    ]
    road.pieces = [
        RoadPiece(seq=i, start_measure=start, end_measure=end, geom=to_db(line))
        for i, (start, end, line) in enumerate(planned.pieces)
    ]
    session.flush()
    return road


def import_features(
    session: Session,
    features: list[dict],
    names: FieldNames,
    *,
    join_tolerance_m: float = 50.0,
    dry_run: bool = False,
) -> ImportSummary:
    """Plan and apply an import of GeoJSON segment features in the session's transaction."""
    plan = plan_import(features, names, join_tolerance_m=join_tolerance_m)
    return apply_import(session, plan, dry_run=dry_run)


def apply_import(session: Session, plan: ImportPlan, *, dry_run: bool = False) -> ImportSummary:
    """Create or update the planned roads; unchanged roads are left alone (re-import is a no-op)."""
    summary = ImportSummary(skipped=list(plan.skipped), features_used=plan.features_used)
    summary.dry_run = dry_run
    for planned in plan.roads:
        summary.notes += [f"{_label(planned)}: {note}" for note in planned.notes]
        existing = session.scalar(
            select(Road).where(Road.code == planned.code, Road.direction == planned.direction)
        )
        if existing is not None and _same(existing, planned):
            summary.unchanged.append(_label(planned))
            continue
        (summary.updated if existing is not None else summary.created).append(_label(planned))
        if not dry_run:
            road = save_planned_road(session, planned, existing)
            if existing is not None:
                recompute_derived_geometry(session, road)
    return summary


def recompute_derived_geometry(session: Session, road: Road) -> dict[str, int]:
    """Recompute the derived geometry of every record on a road after the road changed.

    Returns the number of records each registered area recomputed.
    """
    return {name: update(session, road) for name, update in DERIVED_GEOMETRY_UPDATERS.items()}


# --- locating a record -------------------------------------------------------------------


@dataclass(frozen=True)
class GpsFix:
    lon: float
    lat: float
    accuracy_m: float | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class RecordLocation:
    """Where a finding, repair or hazard is: road, stake(s), derived geometry, how it was given."""

    road: Road
    chainage: float
    end_chainage: float | None
    geometry: BaseGeometry
    source: str  # "stake" (typed or confirmed) or "gps" (derived from the fix)
    offset_m: float | None = None
    side: str | None = None


def resolve_location(
    session: Session,
    *,
    road_code: str | None,
    direction: str | None,
    stake: str | None = None,
    end_stake: str | None = None,
    gps: GpsFix | None = None,
    max_accuracy_m: float = 50.0,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> RecordLocation:
    """Derive a record's road, stake(s) and geometry from a typed stake or, failing that, a GPS fix.

    A typed (or confirmed) stake wins: the GPS fix is then only kept as the raw observation, and
    picks between the two places of a stake in a long-chain overlap.
    """
    if stake:
        if not road_code:
            raise ValidationError(
                N_("Choose the road the stake is on."), fields={"road": N_("Choose a road.")}
            )
        road = get_road(session, road_code, direction)
        chainage = _parse_field(stake, "stake")
        near = (gps.lon, gps.lat) if gps is not None else None
        if end_stake:
            end_chainage = _parse_field(end_stake, "end_stake")
            geometry = stake_range_geometry(session, road, chainage, end_chainage)
            return RecordLocation(road, chainage, end_chainage, geometry, "stake")
        position = position_of_stake(session, road, chainage, near=near)
        return RecordLocation(road, chainage, None, Point(position.lon, position.lat), "stake")
    if gps is None:
        raise ValidationError(
            N_("Give the stake, or a GPS fix to derive it from."),
            fields={"stake": N_("Type the stake, e.g. K3456+780.")},
        )
    if gps.accuracy_m is not None and gps.accuracy_m > max_accuracy_m:
        raise ValidationError(
            N_("The GPS fix is only accurate to %(accuracy)d m; type the stake instead."),
            fields={"stake": N_("Type the stake, e.g. K3456+780.")},
            accuracy=gps.accuracy_m,
        )
    candidates = locate(session, gps.lon, gps.lat, tolerance_m=tolerance_m, road_code=road_code)
    if direction:
        candidates = [c for c in candidates if c.road.direction in (direction, "both")]
    if not candidates:
        raise ValidationError(
            N_("No road lies within %(tolerance)d m of the GPS fix; type the stake instead."),
            fields={"stake": N_("Type the stake, e.g. K3456+780.")},
            tolerance=tolerance_m,
        )
    best = candidates[0]
    # The stake's point is the fix's foot on the piece it was located on: the point
    # position_of_stake gives for this chainage near the fix, without its queries.
    return RecordLocation(
        session.get(Road, best.road.id),
        round(best.located.chainage, 1),
        None,
        Point(*best.foot()),
        "gps",
        offset_m=best.located.offset_m,
        side=best.located.side,
    )


def _parse_field(text: str, name: str) -> float:
    try:
        return parse_stake(text)
    except ValidationError as error:
        error.fields = {name: N_("Write the stake like K12+345.")}
        raise


def derive_geometry(
    session: Session, road: Road, chainage: float, end_chainage: float | None
) -> BaseGeometry:
    """Return a record's geometry from its stored stake(s): a point, or the centreline between."""
    if end_chainage is not None:
        return stake_range_geometry(session, road, chainage, end_chainage)
    position = position_of_stake(session, road, chainage)
    return Point(position.lon, position.lat)


def recompute_records(session: Session, road: Road, model) -> int:
    """Recompute the derived geometry of one kind of record on a road; return how many changed.

    A record whose stake no longer lies on the road (the new centreline is shorter, or the stake
    now falls in a gap) keeps its old geometry and is left for a person to look at; the
    geometry version tells which ones those are.
    """
    changed = 0
    for record in session.scalars(
        select(model).where(
            model.road_id == road.id, model.geometry_version != road.geometry_version
        )
    ):
        try:
            geometry = derive_geometry(session, road, record.chainage, record.end_chainage)
        except (ValidationError, NotFound):
            continue
        record.geom = to_db(geometry)
        record.geometry_version = road.geometry_version
        changed += 1
    session.flush()
    return changed
