"""Import the real network file and check GPS → stake at every used segment end.

Run from the project root:
    .venv/bin/python -m bench.real_network_check PATH [--join-tolerance 50] [--keep]

The segment ends are the import's calibration points, so the stake a GPS fix there gives should be
the segment's own stake attribute; see bench/README.md for what the error means.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from bench._db import add_common_arguments, distribution, field_names, prepare
from inspection.errors import ValidationError
from inspection.extensions import db
from inspection.network import services
from inspection.network.importing import parse_direction, parse_import_stake, plan_import
from inspection.network.models import ChainBreakRow, Road, RoadPiece
from inspection.network.stakes import format_stake

NO_CANDIDATE_M = services.DEFAULT_TOLERANCE_M  # locate's search radius
ON_ANCHOR_M = 1.0  # a fix this close (in measure) to an anchor landed on it
WORST = 10


@dataclass
class EndCheck:
    index: int
    code: str
    direction: str
    end: str  # "start" or "end" of the feature, in increasing chainage
    stake: float  # the feature's stake attribute at this end
    located: float | None = None  # chainage locate gave (the nearer reading at a break)
    error: float | None = None
    distance_m: float | None = None
    anchor: str = ""  # what the located measure is at: calibration, break, road end, none
    connector_m: float | None = None  # length of the straight connector just before this end


def _anchor_kind(road: Road, measure: float) -> str:
    """Name the kind of linear-reference anchor nearest the measure, if within ON_ANCHOR_M."""
    if abs(measure) <= ON_ANCHOR_M or abs(measure - road.length_m) <= ON_ANCHOR_M:
        return "road end"
    if any(abs(measure - b.measure) <= ON_ANCHOR_M for b in road.chain_breaks):
        return "chain break"
    if any(abs(measure - p.measure) <= ON_ANCHOR_M for p in road.calibration_points):
        return "calibration point"
    return "no anchor"


def _readings(road: Road, measure: float, chainage: float) -> list[float]:
    """Return the chainages a point at `measure` may have: both stakes when it is at a break."""
    readings = [chainage]
    for brk in road.chain_breaks:
        offset = measure - brk.measure
        if abs(offset) <= ON_ANCHOR_M:
            # locate gives the ahead stake at (and just after) the break; the back stake applies
            # just before it. Scale ~1 is exact enough over a metre.
            readings += [brk.back_chainage + offset, brk.ahead_chainage + offset]
    return readings


def _connector_before(pieces: list[tuple[float, float]], measure: float) -> float | None:
    """Return the length of the pieceless stretch (a gap connector) ending at `measure`, if any."""
    if not any(abs(start - measure) <= ON_ANCHOR_M for start, _ in pieces):
        return None
    before = [end for _, end in pieces if end < measure - ON_ANCHOR_M]
    if not before or any(start < measure - ON_ANCHOR_M < end for start, end in pieces):
        return None
    return measure - max(before)


def _feature_ends(features: list[dict], skipped: set[int]) -> list[tuple[EndCheck, float, float]]:
    """Return each used feature's two ends oriented by increasing chainage, with lon/lat."""
    names = field_names()
    ends = []
    for index, feature in enumerate(features):
        if index in skipped:
            continue
        props = feature["properties"]
        code = str(props.get(names.code) or "").strip()
        direction = parse_direction(props.get(names.direction), names.default_direction)
        coords = [(float(x), float(y)) for x, y, *_ in feature["geometry"]["coordinates"]]
        start = parse_import_stake(props.get(names.start))
        end = parse_import_stake(props.get(names.end))
        if start > end:  # as the importer does: a line digitised against chainage is turned
            coords.reverse()
            start, end = end, start
        for which, stake, (lon, lat) in (("start", start, coords[0]), ("end", end, coords[-1])):
            ends.append((EndCheck(index, code, direction, which, stake), lon, lat))
    return ends


def check_ends(features: list[dict], plan) -> list[EndCheck]:
    """Locate every used segment end on its own road and compare with its stake attribute."""
    skipped = {s.index for s in plan.skipped}
    pieces: dict[int, list[tuple[float, float]]] = {}
    checks = []
    for check, lon, lat in _feature_ends(features, skipped):
        candidates = services.locate(db.session, lon, lat, road_code=check.code)
        match = next((c for c in candidates if c.road.direction == check.direction), None)
        if match is not None:
            located = match.located
            road = db.session.get(Road, match.road.id)  # a candidate's road is a RoadRef
            readings = _readings(road, located.measure, located.chainage)
            check.located = min(readings, key=lambda c: abs(c - check.stake))
            check.error = abs(check.located - check.stake)
            check.distance_m = located.distance_m
            check.anchor = _anchor_kind(road, located.measure)
            if match.road.id not in pieces:
                pieces[match.road.id] = db.session.execute(
                    select(RoadPiece.start_measure, RoadPiece.end_measure).where(
                        RoadPiece.road_id == match.road.id
                    )
                ).all()
            check.connector_m = _connector_before(pieces[match.road.id], located.measure)
        checks.append(check)
    return checks


def _print_distribution(label: str, values: list[float]) -> None:
    d = distribution(values)
    if not d["count"]:
        print(f"  {label}: none")
        return
    print(
        f"  {label}: count {d['count']}, median {d['p50']:.2f}, p90 {d['p90']:.2f}, "
        f"p95 {d['p95']:.2f}, p99 {d['p99']:.2f}, max {d['max']:.2f}"
    )


def print_import(prepared, plan) -> None:
    summary = prepared.summary
    print("\n== import ==")
    if prepared.reused:
        print(f"reused the stored network; dry-run compare took {prepared.seconds:.1f} s")
    else:
        print(f"import time: {prepared.seconds:.1f} s (plan + write + commit)")
    print(
        f"roads created: {len(summary.created)}, updated: {len(summary.updated)}, "
        f"unchanged: {len(summary.unchanged)}"
    )
    print(
        f"features: {len(prepared.features)} in the file, {summary.features_used} used, "
        f"{len(summary.skipped)} skipped"
    )
    for reason, count in Counter(s.reason for s in summary.skipped).most_common():
        print(f"  skipped {count:4d}: {reason}")

    rows = db.session.scalars(select(ChainBreakRow)).all()
    kinds = Counter(row.kind for row in rows)
    print(f"chain breaks: {len(rows)} (long {kinds['long']}, short {kinds['short']})")
    gap_breaks = sum(len(road.gap_breaks) for road in plan.roads)
    print(f"  at a gap in the imported geometry (the plan's gap_breaks): {gap_breaks}")
    noted = Counter(row.note for row in rows if row.note)
    print(f"  stored with a note: {sum(noted.values())}")
    for note, count in noted.most_common():
        print(f"    {count:4d}: {note}")

    note_kinds = Counter()
    for note in summary.notes:
        text = note.split(": ", 1)[1]
        if text.startswith("gap of"):
            note_kinds["gap in the geometry, joined with a straight line"] += 1
        elif text.startswith("calibration"):
            note_kinds["calibration point dropped (stake out of order)"] += 1
        else:
            note_kinds["other"] += 1
    print(f"import notes: {len(summary.notes)}")
    for kind, count in note_kinds.most_common():
        print(f"  {count:4d}: {kind}")


def print_ends(checks: list[EndCheck], seconds: float) -> None:
    found = [c for c in checks if c.error is not None]
    print("\n== GPS → stake at every used segment end (error in m of chainage) ==")
    print(f"segment ends checked: {len(checks)} in {seconds:.1f} s")
    print(
        f"no candidate of the feature's road and direction within {NO_CANDIDATE_M:.0f} m: "
        f"{len(checks) - len(found)}"
    )
    _print_distribution("all ends", [c.error for c in found])
    for anchor in ("calibration point", "chain break", "road end", "no anchor"):
        _print_distribution(f"located at {anchor}", [c.error for c in found if c.anchor == anchor])
    off = [c for c in found if c.anchor == "no anchor"]
    after_gap = [c for c in off if c.connector_m is not None]
    print(
        f"  ends located at no anchor that start a segment: "
        f"{sum(c.end == 'start' for c in off)} of {len(off)}; "
        f"just past a straight connector over a gap in the geometry: {len(after_gap)}"
    )
    _print_distribution("    connector length (m)", [c.connector_m for c in after_gap])
    _print_distribution(
        "    error ÷ connector length", [c.error / c.connector_m for c in after_gap]
    )
    for limit in (1, 10, 100, 1000):
        print(f"  error > {limit} m: {sum(c.error > limit for c in found)}")
    print(
        f"distance from the fix to the matched road: max {max(c.distance_m for c in found):.2f} m"
    )

    print(f"\n{WORST} worst:")
    print("  road   dir   end    stake attr    located        error m  at                 feature")
    for c in sorted(found, key=lambda c: c.error, reverse=True)[:WORST]:
        print(
            f"  {c.code:6} {c.direction:5} {c.end:5}  {format_stake(c.stake, 3):13} "
            f"{format_stake(c.located, 1):13} {c.error:9.1f}  {c.anchor:17}  #{c.index}"
        )
    missing = [c for c in checks if c.error is None]
    if missing:
        print("\nends without a candidate:")
        for c in missing[:WORST]:
            print(f"  {c.code:6} {c.direction:5} {c.end:5}  {format_stake(c.stake, 3)}  #{c.index}")


def main(argv: list[str] | None = None) -> None:
    """Run the check and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    args = parser.parse_args(argv)
    prepared = prepare(args)
    # The same pure plan the import made: which features were skipped, and the gap breaks.
    plan = plan_import(prepared.features, field_names(), join_tolerance_m=args.join_tolerance)
    with prepared.app.app_context():
        print_import(prepared, plan)
        started = time.perf_counter()
        try:
            checks = check_ends(prepared.features, plan)
        except ValidationError as error:
            raise SystemExit(f"check failed: {error}") from None
        print_ends(checks, time.perf_counter() - started)


if __name__ == "__main__":
    main()
