"""Plan a road import from segmented centreline features (pure: no database).

Highway databases export a road as many LineString segments, each with its start and end stake.
The plan joins the segments of one road code and direction into one centreline oriented by
increasing chainage, turns each segment's end stakes into calibration points, and turns the
jumps between consecutive segments into chain breaks.

Stake attributes come as kilometres (``3456.78``, ``"3456.780"``), as stake text (``"K3456+780"``),
or in the chain-break notation some databases use (as in the Xinjiang network):

- ``"4194+K4.17"``: 4.17 km into a long-chain section inserted after nominal K4194. The section
  ``4194+K0 → 4194+K4.17`` is read as chainage K4194+000 → K4198+170, and the following segment,
  which starts at ``4194`` again, makes a **long chain** there (K4198+170 back to K4194+000).
- ``"3412-K2.298"``: a segment end at nominal K3412 that is really 2.298 km short of it, i.e. at
  K3409+702; the next segment starts at K3412, making a **short chain** (K3409+702 → K3412+000).

Between consecutive segments (chained by stake, see `_order`):

- ends that meet (≤ ``join_tolerance_m`` apart) share one vertex: with equal stakes they join
  smoothly, with different stakes they make a chain break (long or short by the jump's sign);
- a next segment whose stakes go back while its start lies far from the previous end (farther
  than the tolerance and than half the stake overlap) repeats road already imported: it is
  skipped and reported as an overlap; one that starts near the previous end is a long chain;
- ends that do not meet otherwise are a gap in the geometry: joined with a straight connector
  that is reported and gets no road pieces (GPS fixes never snap to it). Chainage runs on across
  it metre for metre from the previous end stake, and a chain break at its far end hands over to
  the next segment's own start stake, so every segment end keeps its stake exactly.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pyproj import Geod
from shapely.geometry import LineString

from inspection.errors import N_, ValidationError
from inspection.network.chainage import (
    CalibrationPoint,
    ChainBreak,
    LinearReference,
    MetricLine,
)
from inspection.network.stakes import format_stake, parse_stake

_GEOD = Geod(ellps="WGS84")
_LONG_CHAIN_SECTION = re.compile(r"\d\s*\+\s*[Kk]")
_BREAK_NOTATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([+-])\s*[Kk]\s*(\d+(?:\.\d+)?)\s*$")
DIRECTION_WORDS = {
    "up": "up",
    "down": "down",
    "both": "both",
    "1": "up",
    "2": "down",
    "3": "both",
    "上行": "up",
    "下行": "down",
    "双向": "both",
}
ROAD_CLASS_WORDS = {
    "高速": "expressway",
    "高速公路": "expressway",
    "一级": "class1",
    "二级": "class2",
    "三级": "class3",
    "四级": "class4",
}
PIECE_LENGTH_M = 1000.0
STAKE_TOLERANCE_M = 1.0


@dataclass(frozen=True)
class FieldNames:
    """Which feature properties hold what; stakes in km or as K…+… text."""

    code: str = "roadcode"
    name: str = "roadname"
    start: str = "startzh"
    end: str = "endzh"
    direction: str | None = "ldlx"
    road_class: str | None = None
    default_direction: str = "both"


@dataclass(frozen=True)
class Skipped:
    index: int
    code: str
    reason: str  # untranslated template
    params: Mapping[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        return f"feature {self.index} ({self.code or '?'}): " + (self.reason % self.params)


@dataclass
class PlannedRoad:
    code: str
    direction: str
    name: str
    road_class: str
    line: LineString
    lon_0: float
    length_m: float
    start_chainage: float
    end_chainage: float
    calibration: list[CalibrationPoint]
    breaks: list[ChainBreak]
    gap_breaks: set[float]
    pieces: list[tuple[float, float, LineString]]  # start measure, end measure, lon/lat line
    segments: int
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    roads: list[PlannedRoad]
    skipped: list[Skipped]

    @property
    def features_used(self) -> int:
        return sum(r.segments for r in self.roads)


def parse_import_stake(value: Any) -> float:
    """Return the chainage in metres of a stake attribute.

    Accepted: a km number, km text, K…+… text, or the chain-break notation.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(N_("The stake is missing."))
    if isinstance(value, bool):
        raise ValidationError(N_("The stake %(value)s is not a stake."), value=value)
    if isinstance(value, int | float):
        if not math.isfinite(value) or value < 0:
            raise ValidationError(N_("The stake %(value)s is not a stake."), value=value)
        return round(float(value) * 1000.0, 3)
    text = str(value).strip()
    if text[:1] in "Kk":
        return parse_stake(text)
    match = _BREAK_NOTATION.match(text)
    if match:
        km, sign, offset_km = float(match[1]), match[2], float(match[3])
        metres = km * 1000.0 + (offset_km * 1000.0 if sign == "+" else -offset_km * 1000.0)
        if metres < 0:
            raise ValidationError(N_("The stake %(value)s is not a stake."), value=value)
        return round(metres, 3)
    try:
        km = float(text)
    except ValueError:
        raise ValidationError(N_("The stake %(value)s is not a stake."), value=value) from None
    if not math.isfinite(km) or km < 0:
        raise ValidationError(N_("The stake %(value)s is not a stake."), value=value)
    return round(km * 1000.0, 3)


def parse_direction(value: Any, default: str) -> str:
    """Return up/down/both for a direction attribute such as ``"1.上行"`` or ``"down"``."""
    if value is None or str(value).strip() == "":
        return default
    text = str(value).strip().lower()
    for word in (text, *re.split(r"[.\s]+", text)):
        if word in DIRECTION_WORDS:
            return DIRECTION_WORDS[word]
    raise ValidationError(N_("Unknown direction %(value)s."), value=value)


@dataclass
class _Segment:
    index: int
    coords: list[tuple[float, float]]
    start: float
    end: float
    name: str
    road_class: str
    # Starts a long-chain section ("X+K0"): it comes before the segment that resumes at X.
    inserted: bool = False


def _segments_by_road(
    features: Iterable[Mapping[str, Any]], names: FieldNames
) -> tuple[dict[tuple[str, str], list[_Segment]], list[Skipped]]:
    groups: dict[tuple[str, str], list[_Segment]] = defaultdict(list)
    skipped: list[Skipped] = []
    for index, feature in enumerate(features):
        props = feature.get("properties") or {}
        code = str(props.get(names.code) or "").strip()
        geometry = feature.get("geometry") or {}
        try:
            if not code:
                raise ValidationError(N_("The road code is missing."))
            if geometry.get("type") != "LineString":
                raise ValidationError(
                    N_("The geometry is %(type)s, not a LineString."), type=geometry.get("type")
                )
            coords = [(float(x), float(y)) for x, y, *_ in geometry.get("coordinates") or []]
            deduplicated = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
            if len(deduplicated) < 2:
                raise ValidationError(N_("The line has only one vertex."))
            if not all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in deduplicated):
                raise ValidationError(N_("The coordinates are not longitude/latitude."))
            start = parse_import_stake(props.get(names.start))
            end = parse_import_stake(props.get(names.end))
            direction = parse_direction(
                props.get(names.direction) if names.direction else None, names.default_direction
            )
            if abs(end - start) < STAKE_TOLERANCE_M:
                raise ValidationError(
                    N_("The start and end stakes are equal (%(stake)s)."), stake=format_stake(start)
                )
        except ValidationError as error:
            skipped.append(Skipped(index, code, error.message, error.params))
            continue
        if start > end:  # digitised against chainage (a down carriageway): turn it round
            deduplicated.reverse()
            start, end = end, start
        road_class = ""
        if names.road_class:
            road_class = ROAD_CLASS_WORDS.get(str(props.get(names.road_class) or "").strip(), "")
        inserted = any(
            _LONG_CHAIN_SECTION.search(str(props.get(name) or ""))
            for name in (names.start, names.end)
        )
        groups[(code, direction)].append(
            _Segment(
                index,
                deduplicated,
                start,
                end,
                str(props.get(names.name) or ""),
                road_class,
                inserted,
            )
        )
    return groups, skipped


def _geodesic_gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return _GEOD.inv(a[0], a[1], b[0], b[1])[2]


def _order(segments: list[_Segment]) -> list[_Segment]:
    """Chain segments in stake order.

    After each segment, one whose start stake continues its end stake comes next (nearest first);
    otherwise the lowest remaining start, with a long-chain section before the segment that
    resumes at the same nominal stake, and among other ties the one nearest the previous end.
    """
    remaining = sorted(segments, key=lambda s: (s.start, s.end))
    ordered: list[_Segment] = []
    while remaining:
        previous = ordered[-1] if ordered else None
        following = (
            [s for s in remaining if abs(s.start - previous.end) < STAKE_TOLERANCE_M]
            if previous
            else []
        )
        if not following:
            lowest = remaining[0].start
            following = [s for s in remaining if s.start - lowest < STAKE_TOLERANCE_M]
            if any(s.inserted for s in following):
                following = [s for s in following if s.inserted]
        if previous is not None and len(following) > 1:
            last = previous.coords[-1]
            chosen = min(following, key=lambda s: _geodesic_gap(last, s.coords[0]))
        else:
            chosen = following[0]
        ordered.append(chosen)
        remaining.remove(chosen)
    return ordered


def plan_road(
    code: str, direction: str, segments: list[_Segment], *, join_tolerance_m: float
) -> tuple[PlannedRoad, list[Skipped]]:
    """Join one road's segments into a centreline with calibration points and chain breaks."""
    skipped: list[Skipped] = []
    notes: list[str] = []
    kept: list[_Segment] = []
    for segment in _order(segments):
        if kept:
            previous = kept[-1]
            gap = _geodesic_gap(previous.coords[-1], segment.coords[0])
            overlap = previous.end - segment.start
            # Stakes going back are a long chain when the next segment starts where the previous
            # one ended; a duplicate stretch starts back up the road, about `overlap` metres away.
            if overlap > STAKE_TOLERANCE_M and gap > join_tolerance_m and gap > overlap / 2:
                branch_gap = _geodesic_gap(previous.coords[0], segment.coords[0])
                if (
                    previous.inserted
                    and branch_gap < gap / 2
                    and segment.end - segment.start > previous.end - previous.start
                ):
                    # The long-chain section branches off where the road itself goes on (an old
                    # alignment, a loop): keep the longer road, report the section.
                    kept.pop()
                    skipped.append(
                        Skipped(
                            previous.index,
                            code,
                            N_(
                                "It is a long-chain section that branches off where the road "
                                "goes on; the road was kept."
                            ),
                        )
                    )
                    kept.append(segment)
                    continue
                skipped.append(
                    Skipped(
                        segment.index,
                        code,
                        N_("Its stakes %(first)s–%(last)s repeat road already imported."),
                        {"first": format_stake(segment.start), "last": format_stake(segment.end)},
                    )
                )
                continue
            if gap > join_tolerance_m:
                notes.append(
                    f"gap of {gap:.0f} m in the geometry between {format_stake(previous.end)} "
                    f"and {format_stake(segment.start)}: joined with a straight line"
                )
        kept.append(segment)

    lon_0 = (
        min(x for s in kept for x, _ in s.coords) + max(x for s in kept for x, _ in s.coords)
    ) / 2
    coords: list[tuple[float, float]] = []
    spans: list[tuple[int, int]] = []  # first and last vertex index of each kept segment
    for segment in kept:
        if coords and _geodesic_gap(coords[-1], segment.coords[0]) <= join_tolerance_m:
            # Ends this close are one joint digitised twice: the segment starts at the shared
            # vertex (its own first vertex moves by at most the tolerance).
            first = len(coords) - 1
            coords.extend(c for c in segment.coords[1:] if c != coords[-1])
        else:  # the first segment, or a straight connector across a gap
            first = len(coords)
            coords.extend(segment.coords)
        spans.append((first, len(coords) - 1))
    line = LineString(coords)
    metric = MetricLine(line, lon_0=lon_0)
    # Segments were de-duplicated and joins share one vertex, so coords has no repeated points and
    # its vertex indices are the metric line's.
    cumulative = metric.vertex_measures()

    calibration = [CalibrationPoint(kept[0].start, cumulative[spans[0][0]])]
    breaks: list[ChainBreak] = []
    gap_breaks: set[float] = set()  # breaks at a gap in the geometry rather than a true chain
    for position, segment in enumerate(kept):
        end_measure = cumulative[spans[position][1]]
        following = kept[position + 1] if position + 1 < len(kept) else None
        if following is None:
            calibration.append(CalibrationPoint(segment.end, end_measure))
            continue
        start_measure = cumulative[spans[position + 1][0]]
        connector = start_measure - end_measure
        if connector > 0:
            # A straight connector across a gap is not road: it runs on from the segment's end
            # stake one metre per metre, and at its far end the next segment's own start stake
            # takes over (a chain break unless the two agree). Every segment end is thus
            # anchored at its real place; stakes on the connector itself have no road pieces.
            calibration.append(CalibrationPoint(segment.end, end_measure))
            reached = segment.end + connector
            if abs(following.start - reached) >= STAKE_TOLERANCE_M:
                breaks.append(ChainBreak(start_measure, reached, following.start))
                gap_breaks.add(start_measure)
            else:
                calibration.append(CalibrationPoint(following.start, start_measure))
        elif abs(following.start - segment.end) >= STAKE_TOLERANCE_M:
            # The stake jumps at a shared vertex; the break's own stakes anchor both sections.
            breaks.append(ChainBreak(end_measure, segment.end, following.start))
        else:
            calibration.append(CalibrationPoint(segment.end, end_measure))

    # The last vertex's measure, not shapely's length: the two differ in the last bits.
    length = cumulative[-1]
    pieces = _pieces(coords, cumulative, spans)
    name = next((s.name for s in kept if s.name), "")
    road_class = next((s.road_class for s in kept if s.road_class), "") or "unclassified"
    planned = PlannedRoad(
        code=code,
        direction=direction,
        name=name,
        road_class=road_class,
        line=line,
        lon_0=lon_0,
        length_m=length,
        start_chainage=kept[0].start,
        end_chainage=kept[-1].end,  # the stake at the line's end (lower after a long chain)
        calibration=_monotone_per_section(calibration, breaks, notes),
        breaks=breaks,
        gap_breaks=gap_breaks,
        pieces=pieces,
        segments=len(kept),
        notes=notes,
    )
    return planned, skipped


def _monotone_per_section(
    points: list[CalibrationPoint], breaks: list[ChainBreak], notes: list[str]
) -> list[CalibrationPoint]:
    """Drop calibration points whose stake does not increase with measure within a section."""
    cuts = sorted(b.measure for b in breaks)
    kept: list[CalibrationPoint] = []
    for point in sorted(points, key=lambda p: p.measure):
        previous = kept[-1] if kept else None
        same_section = previous is not None and not any(
            previous.measure < cut <= point.measure for cut in cuts
        )
        if same_section and point.chainage <= previous.chainage + 1e-6:
            notes.append(
                f"calibration {format_stake(point.chainage)} at {point.measure:.0f} m dropped: "
                f"it does not follow {format_stake(previous.chainage)}"
            )
            continue
        if same_section and point.measure - previous.measure < 1e-6:
            continue
        kept.append(point)
    return kept


def _pieces(
    coords: list[tuple[float, float]], cumulative: list[float], spans: list[tuple[int, int]]
) -> list[tuple[float, float, LineString]]:
    """Cut each segment's span of the centreline at vertices into pieces of about PIECE_LENGTH_M.

    Straight connectors across gaps get no pieces: they are not road, so a GPS fix must never
    snap onto them.
    """
    pieces = []
    for first_vertex, last_vertex in spans:
        first = first_vertex
        for i in range(first_vertex + 1, last_vertex + 1):
            if cumulative[i] - cumulative[first] >= PIECE_LENGTH_M or i == last_vertex:
                pieces.append((cumulative[first], cumulative[i], LineString(coords[first : i + 1])))
                first = i
    return pieces


def plan_import(
    features: Iterable[Mapping[str, Any]],
    names: FieldNames | None = None,
    *,
    join_tolerance_m: float = 50.0,
) -> ImportPlan:
    """Plan the roads a set of GeoJSON features describes, and what must be skipped."""
    names = names or FieldNames()
    groups, skipped = _segments_by_road(features, names)
    roads = []
    for (code, direction), segments in sorted(groups.items()):
        try:
            road, road_skipped = plan_road(
                code, direction, segments, join_tolerance_m=join_tolerance_m
            )
            LinearReference(
                road.start_chainage,
                road.end_chainage,
                road.length_m,
                calibration=road.calibration,
                breaks=road.breaks,
            )
        except ValidationError as error:
            # One road whose stakes contradict each other is reported, not imported;
            # the other roads go ahead.
            skipped.extend(Skipped(s.index, code, error.message, error.params) for s in segments)
            continue
        roads.append(road)
        skipped.extend(road_skipped)
    return ImportPlan(roads=roads, skipped=sorted(skipped, key=lambda s: s.index))
