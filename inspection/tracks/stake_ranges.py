"""Covered stretches of road, held in centreline metres (measures), shown as stake ranges.

A stretch that crosses a chain break reads as one stake range per side of the break: the
stakes jump there, so "K10+000–K12+500" across a short chain would claim stakes that do not
exist, and across a long chain would claim a range twice.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from inspection.network.chainage import LinearReference
from inspection.network.stakes import format_stake


@dataclass(frozen=True)
class StakeRange:
    from_chainage: float
    to_chainage: float

    @property
    def length_m(self) -> float:
        return abs(self.to_chainage - self.from_chainage)

    def text(self, road_code: str = "") -> str:
        """'G30 K3500+000–K3519+700' (en dash, as people write it)."""
        first, last = sorted((self.from_chainage, self.to_chainage))
        span = f"{format_stake(first)}–{format_stake(last)}"
        return f"{road_code} {span}" if road_code else span


def stake_ranges(
    reference: LinearReference, from_measure: float, to_measure: float
) -> list[StakeRange]:
    """Return the stake ranges of the stretch [from_measure, to_measure], split at chain breaks."""
    low, high = sorted((float(from_measure), float(to_measure)))
    low = max(low, 0.0)
    high = min(high, reference.length_m)
    cuts = [b.measure for b in reference.breaks if low < b.measure < high]
    bounds = [low, *cuts, high]
    ranges = []
    for start, end in itertools.pairwise(bounds):
        # A stretch ending at a break ends on the back stake; the next one opens on the ahead.
        ranges.append(
            StakeRange(reference.to_chainage(start), reference.to_chainage(end, at_break="back"))
        )
    if not ranges:  # a single point
        ranges.append(StakeRange(reference.to_chainage(low), reference.to_chainage(low)))
    return ranges


def union_length(stretches: Iterable[tuple[float, float]]) -> float:
    """Return the length covered by the union of [from, to] stretches (metres)."""
    total = 0.0
    current_start = current_end = None
    for start, end in sorted(tuple(sorted(s)) for s in stretches):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += current_end - current_start
    return total
