"""The pure rules of a work zone: which minimum part lengths apply, and which parts fall short.

No Flask, no database. The minimums come from the branch's table (`work_zone_minimums`:
speed limit → part → metres). A zone is judged by the row of the nearest configured speed AT OR
ABOVE its own speed limit (the stricter side: a 70 km/h zone is held to the 80 km/h lengths);
a zone faster than every configured speed is held to the fastest row, and the answer says so.
A part shorter than its minimum is FLAGGED, never refused: the safety officer decides. Parts the
crew did not record are not flagged (a zone may be recorded with only some lengths measured),
nor are parts whose minimum is 0 or not configured.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from inspection.crew.kinds import INTRUSION_ALARMS, ZonePart

PART_ORDER = tuple(p.value for p in ZonePart)


@dataclass(frozen=True)
class Shortfall:
    """A part shorter than the minimum for the zone's speed."""

    part: str
    length_m: float
    minimum_m: float

    @property
    def missing_m(self) -> float:
        return round(self.minimum_m - self.length_m, 1)


@dataclass(frozen=True)
class Judgement:
    """The minimums a zone was judged by and its shortfalls (empty: nothing short)."""

    speed_kmh: int | None  # the configured speed whose row applies; None: no table at all
    beyond_table: bool  # the zone is faster than every configured speed (the fastest row used)
    minimums: dict[str, float] = field(default_factory=dict)
    shortfalls: tuple[Shortfall, ...] = ()


def applicable_speed(configured: Iterable[int], speed_kmh: int) -> tuple[int | None, bool]:
    """Return the configured speed whose minimums apply to a zone at `speed_kmh`, and whether the
    zone is faster than every configured speed (then the fastest one applies)."""
    speeds = sorted(set(configured))
    if not speeds:
        return None, False
    for candidate in speeds:
        if candidate >= speed_kmh:
            return candidate, False
    return speeds[-1], True


def judge(
    parts: Mapping[str, float], table: Mapping[int, Mapping[str, float]], speed_kmh: int
) -> Judgement:
    """Judge a zone's part lengths against the branch's table, parts in driving order."""
    used, beyond = applicable_speed(table.keys(), speed_kmh)
    if used is None:
        return Judgement(None, False)
    minimums = {p: float(m) for p, m in table[used].items() if m and m > 0}
    short = tuple(
        Shortfall(part, float(parts[part]), minimums[part])
        for part in PART_ORDER
        if part in parts and part in minimums and parts[part] < minimums[part]
    )
    return Judgement(used, beyond, dict(sorted(minimums.items(), key=_order)), short)


def _order(item: tuple[str, float]) -> int:
    return PART_ORDER.index(item[0]) if item[0] in PART_ORDER else len(PART_ORDER)


def has_intrusion_alarm(devices: Iterable[str]) -> bool:
    """Whether a zone had a sound-and-light alarm cone or a vehicle-mounted intrusion radar."""
    return any(d in INTRUSION_ALARMS for d in devices)


def duplicates(values: Iterable[str]) -> list[int]:
    """Return the positions of values already seen earlier in the list."""
    seen: set[str] = set()
    repeated = []
    for index, value in enumerate(values):
        if value in seen:
            repeated.append(index)
        seen.add(value)
    return repeated
