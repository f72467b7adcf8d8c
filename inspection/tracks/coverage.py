"""Compute patrol coverage (巡查覆盖) of a period from the covered intervals: pure, no database.

What comes in, per road (one carriageway, or an undivided road): its length in centreline metres,
its patrol frequency (every N days) and the covered intervals of the period's non-voided patrols,
each with its patrol, the local day it ended on (branch time zone), its measures and end time.
What comes out: the road cut into elementary stretches, each with what the period saw of it, the
coverage rate and the gaps.

Definitions (the page, the JSON API and the annual report state them the same way):

* **Period**: local days ``first`` … ``last``, both inclusive.
* **Pass** (巡查遍数): one patrol over a point on one local day. A patrol's intervals on the same
  day are united first, so a crew that drives a stretch there and back (an undivided road, a
  U-turn) passes it once that day; a patrol that runs past midnight counts on both days.
* **Stretch**: the road is cut at every end of those unions; each piece has its passes, its
  *days* (distinct local days with a pass), its last day and last time patrolled (the end time of
  the latest patrol's intervals over it on that day) and its *days since* last patrolled = the
  period's last day − the last day (0 = patrolled on the last day; ``None`` = not patrolled in the
  period, "never"). Adjacent pieces with the same passes, days, last day and verdict are merged,
  so the stretches tile the road from 0 to its length, unpatrolled ones (passes 0) included.
* **At its frequency** (every N days): every window of N consecutive days inside the period holds
  a day on which the stretch was patrolled. Equivalently, with its patrol days d₁ < … < dₖ:
  at least one day, d₁ − first < N, every d₍ᵢ₊₁₎ − dᵢ ≤ N and last − dₖ < N. Daily (N = 1) means
  every day of the period; a period shorter than N days asks for one patrol day in it. Nothing
  before the period counts: coverage describes the period asked for.
* **Coverage rate** (巡查覆盖率) = Σ length at its frequency ÷ Σ network length (every carriageway
  of every road, whether or not it was patrolled); ``None`` for a network of no length.
* **Gaps**: maximal runs of stretches not at their frequency (adjacent ones merged), each with the
  largest days since last patrolled among its parts (``None`` = a part was never patrolled in the
  period) and its length.
* **Resolution**: the database side snaps interval ends to ``RESOLUTION_M`` (GPS is not more exact;
  it keeps metre slivers from splitting the stretches) and an end within ``END_SNAP_M`` of a road
  end to the road end. The functions here are exact when given ``resolution_m=0``.

Speed: the intervals are united per (patrol, day) first, then one sweep along the road keeps the
sorted set of patrol days at the current point and the number of gaps longer than N between them,
so each interval end costs a bisection, not a pass over the period.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

#: Interval ends are snapped to this many metres by the database side (see the module notes).
RESOLUTION_M = 10.0
#: An interval end this near a road end is taken to reach it: a crew driving onto the road at its
#: first stake is placed some metres in (GPS noise, the first fix after the turn), and a road
#: end is where the network ends, not a stretch anybody could drive past.
END_SNAP_M = 30.0


@dataclass(frozen=True, slots=True)
class Period:
    """Local days ``first`` … ``last`` of the branch, both inclusive."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def day(self, index: int) -> date:
        return self.first + timedelta(days=index)


@dataclass(frozen=True, slots=True)
class Interval:
    """A covered interval (or a day's union of one patrol's) on one road."""

    from_measure: float
    to_measure: float
    day: date
    ended_at: datetime | None = None
    patrol: Hashable | None = None  # None: the interval is a patrol of its own


@dataclass(frozen=True, slots=True)
class Stretch:
    """A piece of road and what the period saw of it."""

    from_measure: float
    to_measure: float
    passes: int
    days: int
    last_day: date | None
    last_at: datetime | None
    at_frequency: bool
    days_since: int | None  # None: not patrolled in the period

    @property
    def length_m(self) -> float:
        return self.to_measure - self.from_measure


@dataclass(frozen=True, slots=True)
class Gap:
    """A maximal run of road not patrolled at its frequency."""

    from_measure: float
    to_measure: float
    days_since: int | None  # the largest of its parts; None: a part was never patrolled

    @property
    def length_m(self) -> float:
        return self.to_measure - self.from_measure


@dataclass(frozen=True)
class RoadCoverage:
    """One road's stretches in a period."""

    key: Hashable
    length_m: float
    every_days: int
    stretches: tuple[Stretch, ...]

    @property
    def at_frequency_m(self) -> float:
        return sum(s.length_m for s in self.stretches if s.at_frequency)

    @property
    def patrolled_m(self) -> float:
        return sum(s.length_m for s in self.stretches if s.passes)

    @property
    def rate(self) -> float | None:
        return self.at_frequency_m / self.length_m if self.length_m > 0 else None

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return gaps_of(self.stretches)


@dataclass(frozen=True, slots=True)
class RoadInput:
    """What one road brings to :func:`network_coverage`."""

    key: Hashable
    length_m: float
    every_days: int
    intervals: Sequence[Interval] = field(default_factory=tuple)


@dataclass(frozen=True)
class NetworkCoverage:
    """The coverage of every road given, and the rate over all of them."""

    period: Period
    roads: tuple[RoadCoverage, ...]

    @property
    def network_m(self) -> float:
        return sum(r.length_m for r in self.roads)

    @property
    def at_frequency_m(self) -> float:
        return sum(r.at_frequency_m for r in self.roads)

    @property
    def patrolled_m(self) -> float:
        return sum(r.patrolled_m for r in self.roads)

    @property
    def rate(self) -> float | None:
        network = self.network_m
        return self.at_frequency_m / network if network > 0 else None


# --------------------------------------------------------------------------- the rule


def at_frequency(days: Sequence[int], period_days: int, every_days: int) -> bool:
    """Tell whether sorted distinct day numbers (0 = the period's first day) meet "every N days".

    Every window of N consecutive days of the period holds one of them (and there is one).
    """
    if not days:
        return False
    if days[0] >= every_days or period_days - 1 - days[-1] >= every_days:
        return False
    return all(b - a <= every_days for a, b in itertools.pairwise(days))


# --------------------------------------------------------------------------- computing


def snap(measure: float, length_m: float, resolution_m: float) -> float:
    """Round a measure to the resolution; near a road end (END_SNAP_M, at least the
    resolution), to the end."""
    if resolution_m <= 0:
        return min(max(measure, 0.0), length_m)
    near_end = max(resolution_m, END_SNAP_M)
    if measure < near_end:
        return 0.0
    if length_m - measure < near_end:
        return length_m
    return min(round(measure / resolution_m) * resolution_m, length_m)


def _day_unions(
    intervals: Iterable[Interval], period: Period, length_m: float, resolution_m: float
) -> list[tuple[float, float, int, datetime | None]]:
    """Unite each (patrol, day)'s intervals: (from, to, day number, latest end time) parts."""
    groups: dict[tuple, list[tuple[float, float, datetime | None]]] = defaultdict(list)
    for number, interval in enumerate(intervals):
        index = (interval.day - period.first).days
        if not 0 <= index < period.days:
            continue
        low, high = interval.from_measure, interval.to_measure
        if high < low:
            low, high = high, low
        low, high = snap(low, length_m, resolution_m), snap(high, length_m, resolution_m)
        if high <= low:
            continue  # covers no length of this road
        patrol = ("interval", number) if interval.patrol is None else ("patrol", interval.patrol)
        groups[(patrol, index)].append((low, high, interval.ended_at))
    parts = []
    for (_, index), pieces in groups.items():
        pieces.sort(key=lambda p: (p[0], p[1]))
        start, end, ended = pieces[0]
        for low, high, at in pieces[1:]:
            if low <= end:
                end = max(end, high)
                ended = _later(ended, at)
            else:
                parts.append((start, end, index, ended))
                start, end, ended = low, high, at
        parts.append((start, end, index, ended))
    return parts


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


class _Sweep:
    """The patrol days over the current point, kept sorted, with the gaps longer than N."""

    def __init__(self, every_days: int) -> None:
        self.every = every_days
        self.count: dict[int, int] = defaultdict(int)  # day → parts over the point
        self.ends: dict[int, list[datetime | None]] = defaultdict(list)
        self.days: list[int] = []
        self.long_gaps = 0
        self.passes = 0

    def _gap(self, a: int | None, b: int | None) -> int:
        return 1 if a is not None and b is not None and b - a > self.every else 0

    def add(self, day: int, ended: datetime | None) -> None:
        self.passes += 1
        self.ends[day].append(ended)
        self.count[day] += 1
        if self.count[day] == 1:
            i = bisect.bisect_left(self.days, day)
            left = self.days[i - 1] if i > 0 else None
            right = self.days[i] if i < len(self.days) else None
            self.long_gaps += self._gap(left, day) + self._gap(day, right) - self._gap(left, right)
            self.days.insert(i, day)

    def remove(self, day: int, ended: datetime | None) -> None:
        self.passes -= 1
        self.ends[day].remove(ended)
        self.count[day] -= 1
        if self.count[day] == 0:
            i = bisect.bisect_left(self.days, day)
            left = self.days[i - 1] if i > 0 else None
            right = self.days[i + 1] if i + 1 < len(self.days) else None
            self.long_gaps -= self._gap(left, day) + self._gap(day, right) - self._gap(left, right)
            del self.days[i]

    def stretch(self, start: float, end: float, period: Period) -> Stretch:
        days = self.days
        if not days:
            return Stretch(start, end, 0, 0, None, None, False, None)
        last = days[-1]
        meets = self.long_gaps == 0 and days[0] < self.every and period.days - 1 - last < self.every
        last_at = None
        for ended in self.ends[last]:
            last_at = _later(last_at, ended)
        return Stretch(
            start,
            end,
            self.passes,
            len(days),
            period.day(last),
            last_at,
            meets,
            period.days - 1 - last,
        )


def _merged(stretches: list[Stretch]) -> tuple[Stretch, ...]:
    """Join neighbours that say the same (passes, days, last day, verdict)."""
    merged: list[Stretch] = []
    for s in stretches:
        if merged:
            p = merged[-1]
            if (p.passes, p.days, p.last_day, p.at_frequency) == (
                s.passes,
                s.days,
                s.last_day,
                s.at_frequency,
            ):
                merged[-1] = Stretch(
                    p.from_measure,
                    s.to_measure,
                    p.passes,
                    p.days,
                    p.last_day,
                    _later(p.last_at, s.last_at),
                    p.at_frequency,
                    p.days_since,
                )
                continue
        merged.append(s)
    return tuple(merged)


def road_coverage(
    length_m: float,
    intervals: Iterable[Interval],
    period: Period,
    every_days: int,
    *,
    key: Hashable = None,
    resolution_m: float = 0.0,
) -> RoadCoverage:
    """Return one road's stretches in the period (they tile 0 … length_m)."""
    if every_days < 1:
        raise ValueError("every_days must be at least 1")
    length_m = max(float(length_m), 0.0)
    parts = _day_unions(intervals, period, length_m, resolution_m)
    # At one position, ends come before starts: a part ending where another begins never
    # makes both count over a stretch of no length.
    events = sorted(
        [(low, 1, day, ended) for low, _, day, ended in parts]
        + [(high, 0, day, ended) for _, high, day, ended in parts],
        key=lambda e: (e[0], e[1]),
    )
    sweep = _Sweep(every_days)
    pieces: list[Stretch] = []
    position = 0.0
    for at, group in itertools.groupby(events, key=lambda e: e[0]):
        if at > position:
            pieces.append(sweep.stretch(position, at, period))
            position = at
        for _, starts, day, ended in group:
            if starts:
                sweep.add(day, ended)
            else:
                sweep.remove(day, ended)
    if length_m > position:
        pieces.append(sweep.stretch(position, length_m, period))
    return RoadCoverage(key, length_m, every_days, _merged(pieces))


def gaps_of(stretches: Iterable[Stretch]) -> tuple[Gap, ...]:
    """Return the maximal runs of stretches not at their frequency, merged."""
    gaps: list[Gap] = []
    run: list[Stretch] = []

    def close() -> None:
        if run:
            since = [s.days_since for s in run]
            worst = None if None in since else max(since)
            gaps.append(Gap(run[0].from_measure, run[-1].to_measure, worst))
            run.clear()

    for s in stretches:
        if s.at_frequency or s.length_m <= 0:
            close()
        elif run and run[-1].to_measure != s.from_measure:
            close()
            run.append(s)
        else:
            run.append(s)
    close()
    return tuple(gaps)


def network_coverage(
    roads: Iterable[RoadInput], period: Period, *, resolution_m: float = 0.0
) -> NetworkCoverage:
    """Return every road's coverage in the period and the network's rate."""
    return NetworkCoverage(
        period,
        tuple(
            road_coverage(
                r.length_m,
                r.intervals,
                period,
                r.every_days,
                key=r.key,
                resolution_m=resolution_m,
            )
            for r in roads
        ),
    )


def gap_order(days_since: int | None, length_m: float) -> tuple:
    """Sort key of gaps: never patrolled first, then the longest since, then the longest."""
    return (0 if days_since is None else 1, -(days_since or 0), -length_m)
