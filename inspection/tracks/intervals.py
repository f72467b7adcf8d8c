"""Turn matched track points into covered intervals of road (pure: no Flask, no database).

An interval is a stretch of one road (carriageway) driven continuously in one direction, held
in measures (centreline metres). The next point extends the current interval unless:

- it is on another road;
- it lies more than INTERVAL_GAP_M along the road from the previous point, or comes more than
  INTERVAL_GAP_SECONDS after it (a gap in the recording is not coverage);
- on an undivided ("both") road, it turns back by more than REVERSAL_M from the furthest point
  reached (a U-turn: the way back is a new interval, in the other travel direction);
- a run of UNMATCHED_RUN_POINTS or more points off every road came before it (the vehicle left
  the road). A shorter run is a wild fix or two and counts like a missing fix.

A carriageway ("up"/"down") is only driven one way, so its intervals take its direction; an
undivided road's interval takes the direction it is driven once it has moved REVERSAL_M
(before that it reads "up", which only matters for an interval shorter than that).

`extend` continues the patrol's open interval with the next batch's points, so batches give
the same intervals as one long track would.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from inspection.tracks.kinds import INTERVAL_GAP_M, INTERVAL_GAP_SECONDS
from inspection.tracks.matching import Placement

REVERSAL_M = 50.0
UNMATCHED_RUN_POINTS = 3


@dataclass(frozen=True)
class MatchedPoint:
    at: datetime
    placement: Placement | None


@dataclass
class Interval:
    road_id: int
    road_direction: str  # the road's: up, down or both
    travel_direction: str  # up (measure increasing) or down
    from_measure: float
    to_measure: float
    started_at: datetime
    ended_at: datetime
    point_count: int
    last_measure: float  # measure of the newest point
    open: bool = True  # the next point may extend it
    key: Any = None  # the stored row this continues (None: a new interval)

    @property
    def length_m(self) -> float:
        return self.to_measure - self.from_measure

    def settled(self) -> bool:
        """Tell whether the travel direction is known (always, on a carriageway)."""
        return self.road_direction != "both" or self.length_m > REVERSAL_M


@dataclass(frozen=True)
class Covered:
    """What a batch did: the intervals it touched, in order (a continued one first)."""

    intervals: list[Interval]
    unmatched_run: int  # points off every road since the last placed one


def _new(point: MatchedPoint, measure_from: float | None = None) -> Interval:
    placement = point.placement
    assert placement is not None
    travel = "down" if placement.direction == "down" else "up"
    low = high = placement.measure
    if measure_from is not None:  # a U-turn: the way back starts where the way out turned
        low, high = sorted((measure_from, placement.measure))
        travel = "down" if placement.measure < measure_from else "up"
    return Interval(
        road_id=placement.road_id,
        road_direction=placement.direction,
        travel_direction=travel,
        from_measure=low,
        to_measure=high,
        started_at=point.at,
        ended_at=point.at,
        point_count=1,
        last_measure=placement.measure,
    )


def _continues(current: Interval, point: MatchedPoint) -> bool:
    placement = point.placement
    assert placement is not None
    return (
        current.open
        and placement.road_id == current.road_id
        and abs(placement.measure - current.last_measure) <= INTERVAL_GAP_M
        and (point.at - current.ended_at).total_seconds() <= INTERVAL_GAP_SECONDS
    )


def _turned_back(current: Interval, measure: float) -> bool:
    if current.road_direction != "both" or not current.settled():
        return False
    if current.travel_direction == "up":
        return current.to_measure - measure > REVERSAL_M
    return measure - current.from_measure > REVERSAL_M


def _add(current: Interval, point: MatchedPoint) -> None:
    measure = point.placement.measure
    was_settled = current.settled()
    current.from_measure = min(current.from_measure, measure)
    current.to_measure = max(current.to_measure, measure)
    current.ended_at = point.at
    current.point_count += 1
    current.last_measure = measure
    if current.road_direction == "both" and not was_settled and current.settled():
        # Driven far enough to tell: towards the end it is at now.
        at_high = measure - current.from_measure > current.to_measure - measure
        current.travel_direction = "up" if at_high else "down"


def extend(
    points: Iterable[MatchedPoint],
    *,
    open_interval: Interval | None = None,
    unmatched_run: int = 0,
) -> Covered:
    """Build the intervals of `points` (in time order), continuing `open_interval` if it fits.

    `unmatched_run` is the number of points off every road stored after the open interval's
    last point. A continued interval comes back first with its `key`, closed or not.
    """
    touched: list[Interval] = []
    current = None
    if open_interval is not None:
        current = replace(open_interval)
        touched.append(current)
    for point in points:
        if point.placement is None:
            unmatched_run += 1
            if current is not None and unmatched_run >= UNMATCHED_RUN_POINTS:
                current.open = False
            continue
        unmatched_run = 0
        if current is not None and _continues(current, point):
            if _turned_back(current, point.placement.measure):
                turn = (
                    current.to_measure
                    if current.travel_direction == "up"
                    else (current.from_measure)
                )
                current.open = False
                current = _new(point, measure_from=turn)
                current.started_at = touched[-1].ended_at
                touched.append(current)
            else:
                _add(current, point)
            continue
        if current is not None:
            current.open = False
        current = _new(point)
        touched.append(current)
    return Covered(touched, unmatched_run)


def merge(stretches: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Return the union of [from, to] stretches as disjoint stretches in increasing order."""
    merged: list[list[float]] = []
    for start, end in sorted(tuple(sorted(s)) for s in stretches):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def union_by_road(intervals: Sequence[Any]) -> dict[int, list[tuple[float, float]]]:
    """Return each road's covered stretches (union of its intervals, either direction)."""
    by_road: dict[int, list[tuple[float, float]]] = {}
    for interval in intervals:
        by_road.setdefault(interval.road_id, []).append(
            (interval.from_measure, interval.to_measure)
        )
    return {road_id: merge(stretches) for road_id, stretches in by_road.items()}
