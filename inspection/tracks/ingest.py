"""Take a batch of track points from a phone: check it, keep it once, place it on the network.

A batch is stored once per batch UUID (a retry answers with what was stored and adds nothing),
whole or not at all. Batches of one patrol are taken one at a time (the patrol row is locked),
so two batches never interleave their matching or their intervals.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, defer

from inspection.auth.models import User
from inspection.db import utcnow
from inspection.errors import N_, DomainError, NotFound, NotPermitted, UuidTaken, ValidationError
from inspection.geo import to_db
from inspection.network import services as network_services
from inspection.network.chainage import MetricLine
from inspection.network.models import Road
from inspection.network.services import metric_line_for, reference_for
from inspection.patrols.models import Patrol
from inspection.patrols.services import CLOCK_SKEW
from inspection.tracks import intervals as covering
from inspection.tracks.candidates import find_candidates, roads_by_id
from inspection.tracks.kinds import (
    INTERVAL_GAP_SECONDS,
    LATE_BATCH_HOURS,
    MAX_ACCURACY_M,
    MAX_SPEED_KMH,
)
from inspection.tracks.matching import Fix, Placement, Start, distance_m, match
from inspection.tracks.models import CoveredInterval, TrackBatch, TrackPoint
from inspection.tracks.schemas import TrackBatchBody
from inspection.tracks.stake_ranges import union_length

MAX_SPEED_MPS = MAX_SPEED_KMH / 3.6


class OutOfOrder(DomainError):
    """A batch whose points come before points already stored for the patrol (409)."""

    code = "track_out_of_order"
    status = 409


class PatrolClosed(DomainError):
    """A batch for a voided patrol, or one that ended too long ago (409)."""

    code = "patrol_closed"
    status = 409


@dataclass(frozen=True)
class Ingested:
    batch: TrackBatch
    patrol: Patrol
    created: bool  # False: the batch UUID was stored already (a retry), nothing was added


@dataclass(frozen=True)
class LastPoint:
    fix: Fix
    placement: Placement | None


def _stored_batch(session: Session, batch_uuid: uuid.UUID, actor: User) -> TrackBatch | None:
    batch = session.scalar(select(TrackBatch).where(TrackBatch.batch_uuid == batch_uuid))
    if batch is not None and batch.created_by_id != actor.id:
        raise UuidTaken(N_("This batch UUID belongs to another user's track."))
    return batch


def _replay(session: Session, batch: TrackBatch, patrol_uuid: uuid.UUID) -> Ingested:
    patrol = session.get(Patrol, batch.patrol_id)
    if patrol.client_uuid != patrol_uuid:
        raise UuidTaken(N_("This batch UUID belongs to another patrol's track."))
    return Ingested(batch, patrol, False)


def _lock_patrol_by_uuid(session: Session, patrol_uuid: uuid.UUID) -> Patrol | None:
    """Find the patrol and lock its row (to the end of the transaction) in one statement."""
    return session.scalar(
        select(Patrol)
        .where(Patrol.client_uuid == patrol_uuid)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def lock_patrol(session: Session, patrol_id: int) -> Patrol:
    """Lock the patrol row (to the end of the transaction) and return it freshly read."""
    return session.scalar(
        select(Patrol)
        .where(Patrol.id == patrol_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def ingest_batch(
    session: Session,
    patrol_uuid: uuid.UUID,
    data: TrackBatchBody,
    *,
    actor: User,
    now: datetime | None = None,
) -> Ingested:
    """Store a batch of a patrol's track once, matched to the network, with its coverage.

    About a dozen statements a new batch (there were 21): the patrol found and locked; one
    statement for what the batch needs to know (is its UUID stored already, the end of the
    batches received, the newest point); the batch inserted once by its UUID (ON CONFLICT DO
    NOTHING, no savepoint); the candidates and their roads; the points in one INSERT; one
    statement for the open interval; the intervals and the patrol written; the patrolled length.
    """
    patrol = _lock_patrol_by_uuid(session, patrol_uuid)
    if patrol is None or patrol.created_by_id != actor.id:
        # A retry of a stored batch answers as such (or is refused as another's) before these.
        stored = _stored_batch(session, data.batch_uuid, actor)
        if stored is not None:
            return _replay(session, stored, patrol_uuid)
        if patrol is None:
            raise NotFound(N_("No patrol %(uuid)s."), uuid=str(patrol_uuid))
        raise NotPermitted(N_("Only the crew member who started this patrol may send its track."))
    before = _before_batch(session, patrol.id, data.batch_uuid)
    # A concurrent retry of this very batch may have been stored while we waited for the lock.
    if before.stored:
        return _replay(session, _stored_batch(session, data.batch_uuid, actor), patrol_uuid)
    now = now or utcnow()
    _check_patrol(patrol, now)
    _check_times(patrol, data, now, before.sent_until)
    last = before.last
    kept = _kept_points(data, last)
    # Once by its UUID: the same UUID stored meanwhile under another patrol (this one is
    # locked) inserts nothing, and the stored batch answers (or is refused) as a retry would.
    batch = session.scalar(
        pg_insert(TrackBatch)
        .values(
            batch_uuid=data.batch_uuid,
            patrol_id=patrol.id,
            point_count=len(kept),
            dropped_count=len(data.points) - len(kept),
            phone_dropped_count=data.dropped,
            first_at=data.points[0].t,
            last_at=data.points[-1].t,
            created_by_id=actor.id,
        )
        .on_conflict_do_nothing(index_elements=[TrackBatch.batch_uuid])
        .returning(TrackBatch)
    )
    if batch is None:
        stored = _stored_batch(session, data.batch_uuid, actor)
        if stored is None:
            raise RuntimeError("a track batch UUID conflicted, yet no batch holds it")
        return _replay(session, stored, patrol_uuid)
    if kept:
        _store_points(session, patrol, batch, kept, last)
    session.flush()
    return Ingested(batch, patrol, True)


def _check_patrol(patrol: Patrol, now: datetime) -> None:
    if patrol.voided_at is not None:
        raise PatrolClosed(N_("This patrol was voided; its track is not taken."))
    if patrol.ended_at is not None and now - patrol.ended_at > timedelta(hours=LATE_BATCH_HOURS):
        raise PatrolClosed(
            N_("This patrol ended more than %(hours)d hours ago; its track is no longer taken."),
            hours=LATE_BATCH_HOURS,
        )


def _check_times(
    patrol: Patrol, data: TrackBatchBody, now: datetime, sent_until: datetime | None
) -> None:
    fields: dict[str, str] = {}
    previous = None
    for i, point in enumerate(data.points):
        name = f"points.{i}.t"
        if point.t > now + CLOCK_SKEW:
            fields[name] = N_("In the future.")
        elif point.t < patrol.started_at - CLOCK_SKEW:
            fields[name] = N_("Before the patrol started.")
        elif patrol.ended_at is not None and point.t > patrol.ended_at + CLOCK_SKEW:
            fields[name] = N_("After the patrol ended.")
        elif previous is not None and point.t <= previous:
            fields[name] = N_("Not later than the point before it.")
        previous = point.t
        if len(fields) >= 10:
            break
    if fields:
        raise ValidationError(
            N_("Some points have times that cannot be right; check the phone's clock."),
            fields=fields,
        )
    if sent_until is not None and data.points[0].t <= sent_until:
        raise OutOfOrder(
            N_(
                "This batch starts before the end of a batch already received; "
                "batches must be sent in the order they were recorded."
            ),
            extra={"track_last_at": sent_until.isoformat()},
        )


@dataclass(frozen=True)
class BeforeBatch:
    stored: bool  # the batch's UUID is stored already
    sent_until: datetime | None  # the end of the batches received so far
    last: LastPoint | None  # the newest stored point, with its placement


# What a batch needs to know of its patrol, in one round trip (the patrol row is locked).
_BEFORE_BATCH = text(
    """
    SELECT EXISTS (SELECT 1 FROM track_batches WHERE batch_uuid = :batch_uuid) AS stored,
           (SELECT max(last_at) FROM track_batches WHERE patrol_id = :patrol_id) AS sent_until,
           p.recorded_at, p.lon, p.lat, p.road_id, p.measure, p.chainage, p.distance_m,
           r.direction
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (
        SELECT recorded_at, lon, lat, road_id, measure, chainage, distance_m
        FROM track_points WHERE patrol_id = :patrol_id
        ORDER BY recorded_at DESC LIMIT 1
    ) AS p ON true
    LEFT JOIN roads AS r ON r.id = p.road_id
    """
)


def _before_batch(session: Session, patrol_id: int, batch_uuid: uuid.UUID) -> BeforeBatch:
    row = session.execute(_BEFORE_BATCH, {"batch_uuid": batch_uuid, "patrol_id": patrol_id}).one()
    return BeforeBatch(row.stored, row.sent_until, _last_point_of(row))


def _last_point_of(row) -> LastPoint | None:
    if row.recorded_at is None:
        return None
    fix = Fix(row.recorded_at.timestamp(), row.lon, row.lat)
    placement = None
    if row.road_id is not None:
        placement = Placement(row.road_id, row.direction, row.measure, row.chainage, row.distance_m)
    return LastPoint(fix, placement)


def _kept_points(data: TrackBatchBody, last: LastPoint | None) -> list:
    """Return the points worth keeping: accurate enough, and not implying an impossible speed."""
    kept = []
    previous = last.fix if last is not None else None
    for point in data.points:
        if point.accuracy > MAX_ACCURACY_M:
            continue
        fix = Fix(point.t.timestamp(), point.lon, point.lat)
        # After a silence longer than an interval's time gap the previous point says nothing
        # (and one wrong point kept must not make every later point "too fast" for good).
        if previous is not None and fix.t - previous.t <= INTERVAL_GAP_SECONDS:
            dt = fix.t - previous.t
            if dt <= 0 or distance_m(previous, fix) / dt > MAX_SPEED_MPS:
                continue
        kept.append(point)
        previous = fix
    return kept


def _store_points(session, patrol: Patrol, batch: TrackBatch, kept: list, last) -> None:
    fixes = [Fix(p.t.timestamp(), p.lon, p.lat) for p in kept]
    candidates = find_candidates(session, [p.lon for p in kept], [p.lat for p in kept])
    start = Start(last.fix, last.placement) if last is not None else None
    path = match(fixes, candidates, start=start, preferred_road_id=patrol.road_id)
    placed = [_match_columns(placement) for placement in path]
    session.execute(
        _INSERT_POINTS,
        {
            "patrol_id": patrol.id,
            "batch_id": batch.id,
            "recorded_at": [p.t for p in kept],
            "lon": [p.lon for p in kept],
            "lat": [p.lat for p in kept],
            "accuracy_m": [p.accuracy for p in kept],
            "speed_mps": [p.speed for p in kept],
            "heading_deg": [p.heading for p in kept],
            **{name: [c[name] for c in placed] for name in _MATCH_COLUMNS},
        },
    )
    matched = [
        covering.MatchedPoint(p.t, placement) for p, placement in zip(kept, path, strict=True)
    ]
    # `road` is held while the intervals are saved: the session's identity map holds its
    # objects weakly, and save_intervals then finds the open interval's road without a query.
    open_interval, unmatched_run, road = _open_interval(session, patrol.id, batch.id)
    covered = covering.extend(matched, open_interval=open_interval, unmatched_run=unmatched_run)
    save_intervals(session, patrol, covered.intervals)
    # The patrol's summary written once, after the query the intervals' flush comes before.
    track_km = patrolled_km(session, patrol.id)
    patrol.track_points = (patrol.track_points or 0) + len(kept)
    patrol.track_last_at = kept[-1].t
    patrol.track_km = track_km
    del road


# The batch's points in one statement: each column an array, `unnest` makes the rows (one
# execution, where an executemany runs the INSERT once per point).
_INSERT_POINTS = text(
    """
    INSERT INTO track_points (patrol_id, batch_id, recorded_at, lon, lat, accuracy_m, speed_mps,
                              heading_deg, road_id, measure, chainage, distance_m)
    SELECT :patrol_id, :batch_id, p.*
    FROM unnest(CAST(:recorded_at AS timestamptz[]), CAST(:lon AS float8[]),
                CAST(:lat AS float8[]), CAST(:accuracy_m AS float8[]),
                CAST(:speed_mps AS float8[]), CAST(:heading_deg AS float8[]),
                CAST(:road_id AS integer[]), CAST(:measure AS float8[]),
                CAST(:chainage AS float8[]), CAST(:distance_m AS float8[])) AS p
    """
)
_MATCH_COLUMNS = ("road_id", "measure", "chainage", "distance_m")


def _match_columns(placement: Placement | None) -> dict:
    if placement is None:
        return {"road_id": None, "measure": None, "chainage": None, "distance_m": None}
    return {
        "road_id": placement.road_id,
        "measure": placement.measure,
        "chainage": placement.chainage,
        "distance_m": placement.distance_m,
    }


def _open_interval(
    session: Session, patrol_id: int, batch_id: int
) -> tuple[covering.Interval | None, int, Road | None]:
    """Return the patrol's open interval, the points stored after its end before this batch,
    and the interval's road (its centreline deferred).

    One statement: the interval, its road, the measure of its last point and the count of the
    unmatched run after it (points of earlier batches only).
    """
    last_measure = (
        select(TrackPoint.measure)
        .where(
            TrackPoint.patrol_id == CoveredInterval.patrol_id,
            TrackPoint.recorded_at == CoveredInterval.ended_at,
        )
        .scalar_subquery()
    )
    unmatched_run = (
        select(func.count())
        .select_from(TrackPoint)
        .where(
            TrackPoint.patrol_id == CoveredInterval.patrol_id,
            TrackPoint.recorded_at > CoveredInterval.ended_at,
            TrackPoint.batch_id != batch_id,
        )
        .scalar_subquery()
    )
    found = session.execute(
        select(CoveredInterval, Road, last_measure, unmatched_run)
        .join(Road, Road.id == CoveredInterval.road_id)
        .options(defer(Road.geom))
        .where(CoveredInterval.patrol_id == patrol_id, CoveredInterval.open.is_(True))
    ).first()
    if found is None:
        return None, 0, None
    row, road, measure, run = found
    return _interval_of(row, road.direction, measure), run, road


def _interval_of(row: CoveredInterval, direction: str, last_measure) -> covering.Interval:
    return covering.Interval(
        road_id=row.road_id,
        road_direction=direction,
        travel_direction=row.travel_direction,
        from_measure=row.from_measure,
        to_measure=row.to_measure,
        started_at=row.started_at,
        ended_at=row.ended_at,
        point_count=row.point_count,
        last_measure=last_measure if last_measure is not None else row.to_measure,
        open=row.open,
        key=row,
    )


def save_intervals(session: Session, patrol: Patrol, touched: list[covering.Interval]) -> None:
    """Write the intervals a batch touched: update the continued one, insert the new ones."""
    roads = roads_by_id(session, {i.road_id for i in touched})
    for interval in touched:
        road = roads[interval.road_id]
        reference = reference_for(road)
        values = {
            "road_id": road.id,
            "travel_direction": interval.travel_direction,
            "from_measure": interval.from_measure,
            "to_measure": interval.to_measure,
            "from_chainage": reference.to_chainage(interval.from_measure),
            "to_chainage": reference.to_chainage(interval.to_measure, at_break="back"),
            "started_at": interval.started_at,
            "ended_at": interval.ended_at,
            "point_count": interval.point_count,
            "open": interval.open,
            "geometry_version": road.geometry_version,
            "geom": to_db(interval_geometry(road, interval.from_measure, interval.to_measure)),
        }
        if interval.key is not None:
            for name, value in values.items():
                setattr(interval.key, name, value)
        else:
            session.add(CoveredInterval(patrol_id=patrol.id, **values))
    session.flush()


# Whole centrelines in metres by road and geometry version (as network.services caches the
# linear references): an open interval's geometry is cut again with every batch.
_LINE_CACHE_SIZE = 64
_lines: dict[tuple, MetricLine] = {}


def interval_geometry(road: Road, from_measure: float, to_measure: float):
    """Return the centreline between two measures (a point when they are the same)."""
    key = (road.id, road.geometry_version, road.length_m)
    line = _lines.get(key)
    if line is None:
        line = metric_line_for(road)
        if len(_lines) >= _LINE_CACHE_SIZE:
            _lines.pop(next(iter(_lines)))
        _lines[key] = line
    if to_measure - from_measure < 0.01:
        from shapely.geometry import Point

        return Point(line.point_at(from_measure))
    return line.substring(from_measure, to_measure)


def patrolled_km(session: Session, patrol_id: int) -> float | None:
    """Return the length of the union of the patrol's covered intervals, road by road, in km."""
    rows = session.execute(
        select(
            CoveredInterval.road_id, CoveredInterval.from_measure, CoveredInterval.to_measure
        ).where(CoveredInterval.patrol_id == patrol_id)
    ).all()
    if not rows:
        return None
    by_road: dict[int, list[tuple[float, float]]] = {}
    for road_id, low, high in rows:
        by_road.setdefault(road_id, []).append((low, high))
    return round(sum(union_length(s) for s in by_road.values()) / 1000, 3)


# --- re-matching after a road's geometry changed ---------------------------------------------

REMATCH_CHUNK = 2000


def rematch_patrol(session: Session, patrol: Patrol) -> int:
    """Place every point of a patrol again and rebuild its intervals; return how many there are."""
    lock_patrol(session, patrol.id)
    points = session.execute(
        select(TrackPoint.id, TrackPoint.recorded_at, TrackPoint.lon, TrackPoint.lat)
        .where(TrackPoint.patrol_id == patrol.id)
        .order_by(TrackPoint.recorded_at)
    ).all()
    candidates = []
    for begin in range(0, len(points), REMATCH_CHUNK):
        chunk = points[begin : begin + REMATCH_CHUNK]
        candidates += find_candidates(session, [p.lon for p in chunk], [p.lat for p in chunk])
    fixes = [Fix(p.recorded_at.timestamp(), p.lon, p.lat) for p in points]
    path = match(fixes, candidates, preferred_road_id=patrol.road_id)
    if points:
        session.execute(
            update(TrackPoint),
            [{"id": p.id, **_match_columns(c)} for p, c in zip(points, path, strict=True)],
        )
    session.execute(delete(CoveredInterval).where(CoveredInterval.patrol_id == patrol.id))
    matched = [covering.MatchedPoint(p.recorded_at, c) for p, c in zip(points, path, strict=True)]
    touched = covering.extend(matched).intervals
    save_intervals(session, patrol, touched)
    patrol.track_km = patrolled_km(session, patrol.id)
    session.flush()
    return len(touched)


def recompute_covered_intervals(session: Session, road: Road) -> int:
    """Re-match the patrols whose covered intervals lie on a road whose geometry changed."""
    patrol_ids = session.scalars(
        select(CoveredInterval.patrol_id)
        .where(
            CoveredInterval.road_id == road.id,
            CoveredInterval.geometry_version != road.geometry_version,
        )
        .distinct()
    ).all()
    return sum(rematch_patrol(session, session.get(Patrol, pid)) for pid in sorted(patrol_ids))


network_services.DERIVED_GEOMETRY_UPDATERS["covered_intervals"] = recompute_covered_intervals
