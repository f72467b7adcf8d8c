"""Convert between chainage, measure and points on a road's centreline.

*Chainage* is the nominal metres a stake stands for; *measure* is the real metres along the
centreline from its start. The centreline is a lon/lat (EPSG:4326) line oriented in the direction of
increasing chainage.

Decisions:

- **Anchors.** Chain breaks cut the road into sections. Each section's ends are fixed anchors:
  the road start ``(0, start_chainage)``, the road end ``(length_m, end_chainage)`` and, at each
  break, ``(measure, back_chainage)`` closing one section and ``(measure, ahead_chainage)`` opening
  the next. Calibration points add anchors in between; chainage is linear between anchors.
- **Uncalibrated roads scale uniformly.** DESIGN §2 says "measure = chainage − start chainage"
  without calibration. That leaves the end stake off the geometry whenever the nominal length
  differs from the real one (it always does a little), so instead the implied end anchors stay and
  nominal chainage is stretched evenly onto the real length. Where the two lengths agree both rules
  give the same numbers.
- A calibration point at a section end must repeat that end's stake (it is then redundant); any
  other stake there is a contradiction and is rejected.
- **At a break's measure** the point belongs to the section ahead: ``to_chainage`` returns the ahead
  stake there.
- A long-chain overlap gives two measures for one stake; the caller chooses ``before``/``after`` the
  break or passes ``near_measure``. With both, ``prefer`` wins (it is what a person said).
- Measures up to 0.5 m past either end of a line are clamped onto it (rounding in stored lengths);
  further out is an error.
- **Metric geometry.** Distances are computed in a transverse Mercator centred on the line (see
  ``metric_crs_for``), never in degrees.
- ``MetricLine.substring`` of a range shorter than 1 mm is an error: a stake range must cover road;
  a single stake is a point. ``m_from > m_to`` gives the line reversed (e.g. for a down range).
- ``Located.side`` is ``None`` for a point within 1 mm of the centreline: it is on neither side.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import LineString, Point
from shapely.ops import substring as line_substring

from inspection.errors import N_, ValidationError
from inspection.network.stakes import format_stake

MEASURE_TOLERANCE_M = 0.5
MIN_LENGTH_M = 1e-3
_EPS = 1e-6  # float noise when comparing metres

Side = Literal["left", "right"]
BreakKind = Literal["long", "short"]


@dataclass(frozen=True)
class CalibrationPoint:
    """A stake whose true measure is known, e.g. a surveyed kilometre post."""

    chainage: float
    measure: float


@dataclass(frozen=True)
class ChainBreak:
    """A place where the nominal chainage jumps from the back stake to the ahead stake (断链)."""

    measure: float
    back_chainage: float
    ahead_chainage: float

    @property
    def kind(self) -> BreakKind:
        """Return "long" (长链: stakes repeat) or "short" (短链: stakes are skipped)."""
        return "long" if self.ahead_chainage < self.back_chainage else "short"


def _stake(chainage: float) -> str:
    """Write a chainage as a stake for a message, with a decimal only when it matters."""
    if not math.isfinite(chainage):
        return format_stake(chainage)  # raises the message for a non-number
    return format_stake(chainage, 0 if round(chainage, 1) == round(chainage) else 1)


def _interpolate(xs: Sequence[float], ys: Sequence[float], x: float) -> float:
    """Interpolate linearly over increasing ``xs``, clamping to the ends."""
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    i = bisect.bisect_right(xs, x) - 1
    t = (x - xs[i]) / (xs[i + 1] - xs[i])
    return ys[i] + t * (ys[i + 1] - ys[i])


@dataclass(frozen=True)
class _Section:
    """A stretch between chain breaks where chainage rises with measure through its anchors."""

    measures: tuple[float, ...]
    chainages: tuple[float, ...]

    def covers(self, chainage: float) -> bool:
        return self.chainages[0] - _EPS <= chainage <= self.chainages[-1] + _EPS

    def measure_at(self, chainage: float) -> float:
        return _interpolate(self.chainages, self.measures, chainage)

    def chainage_at(self, measure: float) -> float:
        return _interpolate(self.measures, self.chainages, measure)


class LinearReference:
    """Convert a road's chainage to measure and back over calibration points and chain breaks."""

    def __init__(
        self,
        start_chainage: float,
        end_chainage: float,
        length_m: float,
        calibration: Iterable[CalibrationPoint] = (),
        breaks: Iterable[ChainBreak] = (),
    ) -> None:
        self.start_chainage = float(start_chainage)
        self.end_chainage = float(end_chainage)
        self.length_m = float(length_m)
        self.calibration = tuple(sorted(calibration, key=lambda p: p.measure))
        self.breaks = tuple(sorted(breaks, key=lambda b: b.measure))
        self._sections = self._build_sections()
        self.first_chainage = min(s.chainages[0] for s in self._sections)
        self.last_chainage = max(s.chainages[-1] for s in self._sections)

    def _build_sections(self) -> tuple[_Section, ...]:
        if not (math.isfinite(self.length_m) and self.length_m > 0):
            raise ValidationError(
                N_("Road length %(length)s m must be positive."), length=self.length_m
            )
        stakes = [self.start_chainage, self.end_chainage]
        stakes += [c for b in self.breaks for c in (b.back_chainage, b.ahead_chainage)]
        stakes += [p.chainage for p in self.calibration]
        for chainage in stakes:
            format_stake(chainage)  # raises for negative or non-numeric chainage
        self._check_breaks()

        # Each section: its fixed end anchors, then the calibration points that fall inside it.
        bounds = [0.0, *(b.measure for b in self.breaks), self.length_m]
        opening = [self.start_chainage, *(b.ahead_chainage for b in self.breaks)]
        closing = [*(b.back_chainage for b in self.breaks), self.end_chainage]
        inner: list[list[tuple[float, float]]] = [[] for _ in opening]
        for point in self.calibration:
            if not (0 <= point.measure <= self.length_m):
                raise ValidationError(
                    N_(
                        "Calibration point %(stake)s at %(measure).1f m lies off the road "
                        "(0–%(length).1f m)."
                    ),
                    stake=_stake(point.chainage),
                    measure=point.measure,
                    length=self.length_m,
                )
            at_end = [i for i, m in enumerate(bounds) if abs(point.measure - m) <= _EPS]
            if at_end:
                self._check_repeats_end_anchor(point, at_end[0], opening, closing)
                continue
            inner[bisect.bisect_right(bounds, point.measure) - 1].append(
                (point.measure, point.chainage)
            )

        sections = []
        for i, points in enumerate(inner):
            anchors = [(bounds[i], opening[i]), *points, (bounds[i + 1], closing[i])]
            for (m0, c0), (m1, c1) in itertools.pairwise(anchors):
                if not (m1 > m0 and c1 > c0):
                    raise ValidationError(
                        N_(
                            "Stake %(first)s at %(first_measure).1f m and stake %(second)s at "
                            "%(second_measure).1f m are out of order: between chain breaks, "
                            "chainage must increase with measure."
                        ),
                        first=_stake(c0),
                        first_measure=m0,
                        second=_stake(c1),
                        second_measure=m1,
                    )
            measures, chainages = zip(*anchors, strict=True)
            sections.append(_Section(measures, chainages))
        return tuple(sections)

    def _check_breaks(self) -> None:
        previous = None
        for brk in self.breaks:
            if not (0 < brk.measure < self.length_m):
                raise ValidationError(
                    N_(
                        "Chain break at %(measure).1f m must lie inside the road "
                        "(0–%(length).1f m)."
                    ),
                    measure=brk.measure,
                    length=self.length_m,
                )
            if brk.back_chainage == brk.ahead_chainage:
                raise ValidationError(
                    N_(
                        "Chain break at %(measure).1f m has the same back and ahead stake "
                        "%(stake)s, so it is no break."
                    ),
                    measure=brk.measure,
                    stake=_stake(brk.back_chainage),
                )
            if previous is not None and brk.measure - previous.measure <= _EPS:
                raise ValidationError(
                    N_("Two chain breaks at %(measure).1f m; merge them into one."),
                    measure=brk.measure,
                )
            previous = brk

    def _check_repeats_end_anchor(
        self, point: CalibrationPoint, bound: int, opening: list[float], closing: list[float]
    ) -> None:
        # Bound i is where section i opens and section i - 1 closes.
        expected = []
        if bound < len(opening):
            expected.append(opening[bound])
        if bound > 0:
            expected.append(closing[bound - 1])
        if not any(abs(point.chainage - c) <= _EPS for c in expected):
            raise ValidationError(
                N_(
                    "Calibration point %(stake)s at %(measure).1f m contradicts the stake "
                    "%(expected)s the road start, end or chain break gives there."
                ),
                stake=_stake(point.chainage),
                measure=point.measure,
                expected=" / ".join(_stake(c) for c in expected),
            )

    def to_measures(self, chainage: float) -> tuple[float, ...]:
        """Return every measure where the stake lies: one, or more in a long-chain overlap."""
        chainage = float(chainage)
        stake = _stake(chainage)  # raises for negative or non-numeric chainage
        if not (self.first_chainage - _EPS <= chainage <= self.last_chainage + _EPS):
            raise ValidationError(
                N_("Stake %(stake)s is outside this road's stakes %(first)s–%(last)s."),
                stake=stake,
                first=_stake(self.first_chainage),
                last=_stake(self.last_chainage),
            )
        measures = sorted(s.measure_at(chainage) for s in self._sections if s.covers(chainage))
        if not measures:
            gap = next(
                (b for b in self.breaks if b.back_chainage < chainage < b.ahead_chainage), None
            )
            if gap is None:
                # A long chain jumping back past the road's start stake leaves a hole without
                # any short chain, e.g. K0+500–K1+000 then K0+000–K0+400.
                raise ValidationError(
                    N_("Stake %(stake)s does not exist on this road: its chain breaks skip it."),
                    stake=stake,
                )
            raise ValidationError(
                N_(
                    "Stake %(stake)s falls in the short-chain gap between %(back)s and %(ahead)s "
                    "at %(measure).1f m along the road; those stakes do not exist."
                ),
                stake=stake,
                back=_stake(gap.back_chainage),
                ahead=_stake(gap.ahead_chainage),
                measure=gap.measure,
            )
        distinct = [measures[0]]
        distinct += [m for a, m in itertools.pairwise(measures) if m - a > _EPS]
        return tuple(distinct)

    def to_measure(
        self,
        chainage: float,
        *,
        prefer: Literal["before", "after"] | None = None,
        near_measure: float | None = None,
    ) -> float:
        """Return the one measure of a stake, choosing in a long-chain overlap as told."""
        if prefer not in (None, "before", "after"):
            raise ValidationError(
                N_("Choose 'before' or 'after' the chain break, not %(prefer)s."),
                fields={"prefer": N_("Choose before or after the chain break.")},
                prefer=prefer,
            )
        candidates = self.to_measures(chainage)
        if len(candidates) == 1:
            return candidates[0]
        # With several long chains overlapping, "before" is the first reading and "after" the last.
        if prefer == "before":
            return candidates[0]
        if prefer == "after":
            return candidates[-1]
        if near_measure is not None:
            return min(candidates, key=lambda m: abs(m - near_measure))
        raise ValidationError(
            N_(
                "Stake %(stake)s lies in a long-chain overlap and exists %(count)d times on this "
                "road, at %(measures)s m along it; say whether it is before or after the chain "
                "break."
            ),
            fields={"prefer": N_("Choose before or after the chain break.")},
            stake=_stake(chainage),
            count=len(candidates),
            measures=", ".join(f"{m:.1f}" for m in candidates),
            candidates=candidates,
        )

    def to_chainage(self, measure: float, *, at_break: Literal["back", "ahead"] = "ahead") -> float:
        """Return the chainage at a measure; at a chain break, the ahead (or back) stake."""
        measure = _clamp_measure(measure, 0.0, self.length_m)
        marks = [b.measure for b in self.breaks]
        if at_break == "back":
            section = bisect.bisect_left(marks, measure)
        else:
            section = bisect.bisect_right(marks, measure)
        return self._sections[section].chainage_at(measure)


def _clamp_measure(measure: float, start: float, end: float) -> float:
    """Clamp a measure onto [start, end] when it is within the tolerance, else reject it."""
    measure = float(measure)
    if not (start - MEASURE_TOLERANCE_M <= measure <= end + MEASURE_TOLERANCE_M):
        raise ValidationError(
            N_("Measure %(measure).1f m is off the centreline (%(start).1f–%(end).1f m)."),
            measure=measure,
            start=start,
            end=end,
        )
    return min(max(measure, start), end)


def _proj_string(lon_0: float) -> str:
    return f"+proj=tmerc +lat_0=0 +lon_0={lon_0!r} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m"


def _middle_longitude(line: LineString) -> float:
    min_lon, _, max_lon, _ = line.bounds
    # Rounded so that repeated calls for nearby lines share cached transformers; a 0.01° shift
    # of the central meridian changes no scale factor measurably.
    return round((min_lon + max_lon) / 2, 2)


def metric_crs_for(line: LineString, *, lon_0: float | None = None) -> CRS:
    """Return a transverse Mercator CRS centred on the line (or on ``lon_0``) in metres.

    Like UTM but centred on the road, so a road crossing zone edges is not distorted at them. The
    scale factor is 1 on the central meridian and about 1 + (Δλ·cos φ)²/2 at Δλ (radians) away:
    0.05 % at 2° from it and 0.45 % at 7.5° near latitude 44°. Pass the road's ``lon_0`` for its
    pieces so that they all share one CRS.
    """
    return CRS.from_proj4(_proj_string(lon_0 if lon_0 is not None else _middle_longitude(line)))


@functools.lru_cache(maxsize=64)
def _transformers(lon_0: float) -> tuple[Transformer, Transformer]:
    """Return the lon/lat → metric and metric → lon/lat transformers (slow to build, so cached)."""
    metric = CRS.from_proj4(_proj_string(lon_0))
    lonlat = CRS.from_epsg(4326)
    return (
        Transformer.from_crs(lonlat, metric, always_xy=True),
        Transformer.from_crs(metric, lonlat, always_xy=True),
    )


def _transform(transformer: Transformer, geometry: LineString) -> LineString:
    """Return the line with its coordinates transformed."""
    return shapely.transform(
        geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


@dataclass(frozen=True)
class Located:
    """Where a point lies relative to a centreline."""

    measure: float
    offset_m: float  # perpendicular distance; past a line end, to the end segment extended
    side: Side | None  # relative to travel; None on the centreline itself
    distance_m: float  # straight distance to the nearest point of the line


@dataclass(frozen=True)
class LocatedStake(Located):
    """Where a point lies on a road, with the chainage of its foot on the centreline."""

    chainage: float

    @property
    def stake(self) -> str:
        """Return the stake text of the chainage, to the metre."""
        return format_stake(self.chainage)


class MetricLine:
    """Hold a lon/lat centreline (or a piece of one starting at ``base_measure``) in metres."""

    def __init__(
        self, line_lonlat: LineString, *, lon_0: float | None = None, base_measure: float = 0.0
    ) -> None:
        if not isinstance(line_lonlat, LineString) or line_lonlat.is_empty:
            raise ValidationError(N_("A centreline must be a line with at least two points."))
        self.lon_0 = float(lon_0) if lon_0 is not None else _middle_longitude(line_lonlat)
        self.base_measure = float(base_measure)
        self._to_metric, self._to_lonlat = _transformers(self.lon_0)
        projected = _transform(self._to_metric, shapely.force_2d(line_lonlat))
        coords = np.asarray(projected.coords)
        if not np.isfinite(coords).all():
            raise ValidationError(N_("The centreline's coordinates are not longitude/latitude."))
        if projected.length < MIN_LENGTH_M:
            raise ValidationError(N_("The centreline has no length."))
        # Repeated vertices make zero-length segments, which have no direction for the side.
        self.line: LineString = shapely.remove_repeated_points(projected)
        self._coords = np.asarray(self.line.coords)
        steps = np.hypot(*np.diff(self._coords, axis=0).T)
        self._cumulative = np.concatenate([[0.0], np.cumsum(steps)]).tolist()

    @property
    def crs(self) -> CRS:
        """Return the metric CRS the line is held in."""
        return CRS.from_proj4(_proj_string(self.lon_0))

    @property
    def length(self) -> float:
        """Return the length in metres."""
        return self.line.length

    def vertex_measures(self) -> list[float]:
        """Return the measure of each vertex of the line (repeated points removed)."""
        return [self.base_measure + m for m in self._cumulative]

    @property
    def end_measure(self) -> float:
        """Return the measure of the line's last point."""
        return self.base_measure + self.length

    def _local(self, measure: float) -> float:
        return _clamp_measure(measure, self.base_measure, self.end_measure) - self.base_measure

    def point_at(self, measure: float) -> tuple[float, float]:
        """Return the (lon, lat) of the point at a measure."""
        point = self.line.interpolate(self._local(measure))
        lon, lat = self._to_lonlat.transform(point.x, point.y)
        return (lon, lat)

    def substring(self, m_from: float, m_to: float) -> LineString:
        """Return the lon/lat part of the line between two measures, reversed if m_from > m_to."""
        start, end = self._local(m_from), self._local(m_to)
        if abs(end - start) < MIN_LENGTH_M:
            raise ValidationError(
                N_("The range %(start).1f–%(end).1f m along the road has no length."),
                start=float(m_from),
                end=float(m_to),
            )
        return _transform(self._to_lonlat, line_substring(self.line, start, end))

    def locate(self, lon: float, lat: float) -> Located:
        """Return the measure, offset, side and distance of a (lon, lat) point from the line."""
        point = Point(self._to_metric.transform(lon, lat))
        local = self.line.project(point)
        foot = self.line.interpolate(local)
        distance = point.distance(foot)
        direction = self._direction_at(local)
        to_point = np.array([point.x - foot.x, point.y - foot.y])
        cross = float(direction[0] * to_point[1] - direction[1] * to_point[0])
        at_end = local <= _EPS or local >= self.length - _EPS
        # Past an end the nearest point is the end itself; the offset is still measured square
        # to the road, as a crew would pace it.
        offset = abs(cross) / float(np.hypot(*direction)) if at_end else distance
        side: Side | None = None
        if distance >= MIN_LENGTH_M:
            side = "left" if cross > 0 else "right"
        return Located(self.base_measure + local, offset, side, distance)

    def _direction_at(self, local: float) -> np.ndarray:
        """Return the direction of travel at a local measure; at a vertex, the bisector."""
        cumulative = self._cumulative
        last = len(cumulative) - 2
        i = min(max(bisect.bisect_right(cumulative, local) - 1, 0), last)

        def unit(j: int) -> np.ndarray:
            step = self._coords[j + 1] - self._coords[j]
            return step / np.hypot(*step)

        # A point outside a bend projects onto the vertex; the segment on either side alone can
        # give the wrong side for a sharp turn, their bisector does not.
        if i > 0 and local - cumulative[i] <= _EPS:
            bisector = unit(i - 1) + unit(i)
        elif i < last and cumulative[i + 1] - local <= _EPS:
            bisector = unit(i) + unit(i + 1)
        else:
            return unit(i)
        return bisector if np.hypot(*bisector) > _EPS else unit(i)


def chainage_to_point(
    line: MetricLine,
    ref: LinearReference,
    chainage: float,
    *,
    prefer: Literal["before", "after"] | None = None,
    near_measure: float | None = None,
) -> tuple[float, float]:
    """Return the (lon, lat) of a stake on the centreline."""
    return line.point_at(ref.to_measure(chainage, prefer=prefer, near_measure=near_measure))


def stake_range_to_line(
    line: MetricLine,
    ref: LinearReference,
    c_from: float,
    c_to: float,
    *,
    prefer: Literal["before", "after"] | None = None,
    near_measure: float | None = None,
) -> LineString:
    """Return the lon/lat centreline from one stake to another (reversed when c_from > c_to).

    Without a choice, an end in a long-chain overlap takes the candidate nearest the other end
    when that end is unambiguous: the range is read as the shorter stretch.
    """
    near_from = near_to = near_measure
    if prefer is None and near_measure is None:
        from_options, to_options = ref.to_measures(c_from), ref.to_measures(c_to)
        if len(to_options) == 1:
            near_from = to_options[0]
        if len(from_options) == 1:
            near_to = from_options[0]
    m_from = ref.to_measure(c_from, prefer=prefer, near_measure=near_from)
    m_to = ref.to_measure(c_to, prefer=prefer, near_measure=near_to)
    if abs(m_to - m_from) < MIN_LENGTH_M:
        raise ValidationError(
            N_(
                "Stake range %(first)s–%(last)s covers no length of road; "
                "give a single stake instead."
            ),
            first=_stake(c_from),
            last=_stake(c_to),
        )
    return line.substring(m_from, m_to)


def point_to_chainage(
    line: MetricLine,
    ref: LinearReference,
    lon: float,
    lat: float,
    *,
    direction: Literal["up", "down"] = "up",
) -> LocatedStake:
    """Return the chainage, offset and side of a (lon, lat) point beside a road.

    The geometry runs up (increasing chainage), so its left is the up carriageway's left; a crew on
    the down carriageway travels the other way, and its left is the geometry's right.
    """
    if direction not in ("up", "down"):
        raise ValidationError(
            N_("Direction must be up or down, not %(direction)s."), direction=direction
        )
    located = line.locate(lon, lat)
    side = located.side
    if direction == "down" and side is not None:
        side = "right" if side == "left" else "left"
    return LocatedStake(
        measure=located.measure,
        offset_m=located.offset_m,
        side=side,
        distance_m=located.distance_m,
        chainage=ref.to_chainage(located.measure),
    )
