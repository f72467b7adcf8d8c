"""Place each GPS point of a track on the road it was driven on (pure: no Flask, no database).

A hidden Markov model solved by Viterbi, in the manner of Newson & Krumm (2009), "Hidden Markov
map matching through noise and sparseness":

- **States** of a point are its candidate placements (a road, the measure of the foot of the
  point on the road's centreline, the distance to it), all within MATCH_DISTANCE_M, plus "off
  the road" (no placement).
- **Emission**: Gaussian in the distance to the road, σ = SIGMA_M (phone GPS is good to about
  10 m in the open); "off the road" costs as much as a candidate at OFF_ROAD_M would.
- **Transition** between two placements on the same road: |straight-line distance between the
  fixes − |Δmeasure|| / BETA_M (a vehicle keeping to one road moves along it about as far as
  the fixes moved); moving against a carriageway's direction costs WRONG_WAY_PER_M per metre
  beyond WRONG_WAY_SLACK_M (an "up" carriageway is driven with measure increasing, "down" with
  it decreasing; an undivided "both" road either way). A change of road costs ROAD_CHANGE.

The network has no topology (which road joins which), so a change of road is priced, not routed:
at a crossing or a junction a few fixes nearer the other road do not pay for two changes of road
and for standing still on it, so the track keeps to its road; after a real turn the old road's
candidates vanish (the fixes move beyond 50 m of it) and the change is made. Of two carriageways
20–40 m apart, the one driven against its direction pays for every metre, so the track keeps to
the carriageway of its direction. Wrong-way cost is graded, not absolute, because GPS noise moves
the foot of a standing vehicle back and forth by a few metres.

Costs are negative log-likelihoods (nats); the path of least total cost wins.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from inspection.tracks.kinds import INTERVAL_GAP_SECONDS, MATCH_DISTANCE_M

SIGMA_M = 10.0
BETA_M = 10.0
ROAD_CHANGE = 10.0
WRONG_WAY_SLACK_M = 5.0
WRONG_WAY_PER_M = 0.5
# "Off the road" costs what a candidate this far away costs: a lone wild fix goes off the road
# rather than dragging the path onto another road and back.
OFF_ROAD_M = 50.0
OFF_ROAD = 0.5 * (OFF_ROAD_M / SIGMA_M) ** 2
# A small bonus for the patrol's own road decides between routes sharing one alignment.
PREFERRED_ROAD_BONUS = 0.5
EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class Fix:
    """A GPS point: time in seconds (any epoch), longitude and latitude in degrees."""

    t: float
    lon: float
    lat: float


@dataclass(frozen=True)
class Placement:
    """A point placed on a road: which road (and its carriageway), where along it, how far off."""

    road_id: int
    direction: str  # the road's: "up", "down" or "both"
    measure: float
    chainage: float
    distance_m: float


@dataclass(frozen=True)
class Start:
    """Where the path stood before these points: the patrol's last stored point and its match."""

    fix: Fix
    placement: Placement | None


def distance_m(a: Fix, b: Fix) -> float:
    """Return the great-circle distance between two fixes in metres (haversine)."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlam = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def emission(placement: Placement | None, preferred_road_id: int | None = None) -> float:
    """Return the cost of a point being at this placement (None: off the road)."""
    if placement is None:
        return OFF_ROAD
    cost = 0.5 * (placement.distance_m / SIGMA_M) ** 2
    if placement.road_id == preferred_road_id:
        cost -= PREFERRED_ROAD_BONUS
    return cost


def wrong_way_m(direction: str, delta_measure: float) -> float:
    """Return how many metres a move of `delta_measure` goes against the carriageway."""
    if direction == "up":
        return max(0.0, -delta_measure)
    if direction == "down":
        return max(0.0, delta_measure)
    return 0.0


def transition(a: Placement | None, b: Placement | None, straight_m: float, dt: float) -> float:
    """Return the cost of moving from placement `a` to `b` between two fixes."""
    if a is None or b is None or dt > INTERVAL_GAP_SECONDS:
        # Off the road, or after a long silence, nothing ties one placement to the next.
        return 0.0
    if a.road_id != b.road_id:
        return ROAD_CHANGE
    delta = b.measure - a.measure
    cost = abs(straight_m - abs(delta)) / BETA_M
    against = wrong_way_m(a.direction, delta) - WRONG_WAY_SLACK_M
    if against > 0:
        cost += against * WRONG_WAY_PER_M
    return cost


def match(
    fixes: Sequence[Fix],
    candidates: Sequence[Sequence[Placement]],
    *,
    start: Start | None = None,
    preferred_road_id: int | None = None,
) -> list[Placement | None]:
    """Return one placement (or None: off every road) per fix, the most likely path.

    `candidates[i]` are the placements of `fixes[i]` (any order); those farther than
    MATCH_DISTANCE_M are ignored. `start` continues the path of an earlier batch.
    """
    if len(fixes) != len(candidates):
        raise ValueError("one list of candidates per fix")
    if not fixes:
        return []
    # Each step: the states (None = off the road), their best cost so far, their back-pointers.
    states: list[list[Placement | None]] = []
    back: list[list[int]] = []
    if start is not None:
        previous_fix, previous_states, costs = start.fix, [start.placement], [0.0]
    else:
        previous_fix, previous_states, costs = None, [], []
    for i, fix in enumerate(fixes):
        here: list[Placement | None] = [
            c for c in candidates[i] if c.distance_m <= MATCH_DISTANCE_M
        ]
        here.append(None)
        own = [emission(s, preferred_road_id) for s in here]
        if previous_fix is None:
            new_costs, pointers = own, [-1] * len(here)
        else:
            straight = distance_m(previous_fix, fix)
            dt = fix.t - previous_fix.t
            new_costs, pointers = [], []
            for state, emitted in zip(here, own, strict=True):
                best, best_j = math.inf, -1
                for j, (before, cost) in enumerate(zip(previous_states, costs, strict=True)):
                    total = cost + transition(before, state, straight, dt)
                    if total < best:
                        best, best_j = total, j
                new_costs.append(best + emitted)
                pointers.append(best_j)
        states.append(here)
        back.append(pointers)
        previous_fix, previous_states, costs = fix, here, new_costs
    # Walk back from the cheapest final state.
    k = min(range(len(costs)), key=costs.__getitem__)
    path: list[Placement | None] = [None] * len(fixes)
    for i in range(len(fixes) - 1, -1, -1):
        path[i] = states[i][k]
        k = back[i][k]
    return path
