"""OpenAPI descriptions of the patrol coverage routes (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi_parts import (
    Operation,
    array,
    boolean,
    integer,
    number,
    obj,
    ref,
    string,
)
from inspection.errors import N_
from inspection.tracks.coverage_inputs import CoverageQuery, FrequencyBody

_RANGE = obj(
    ("text", "from_chainage", "to_chainage"),
    text=string(),
    from_chainage=number(),
    to_chainage=number(),
)
_DAYS_SINCE = integer(
    nullable=True,
    description=N_(
        "Days from the last day patrolled to the period's last day (0: on it); null: not "
        "patrolled in the period."
    ),
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "CoverageStretch": obj(
        (
            "road",
            "direction",
            "stake_range",
            "stake_ranges",
            "from_chainage",
            "to_chainage",
            "from_measure",
            "to_measure",
            "length_m",
            "passes",
            "days",
            "last_patrolled_on",
            "last_patrolled_at",
            "days_since",
            "at_frequency",
        ),
        road=string(),
        direction=string(),
        stake_range=string(
            description=N_("The stake range; several where it crosses a chain break.")
        ),
        stake_ranges=array(_RANGE),
        from_chainage=number(),
        to_chainage=number(),
        from_measure=number(description=N_("Metres along the centreline.")),
        to_measure=number(),
        length_m=number(),
        passes=integer(description=N_("Patrols over it (one patrol counts once a day).")),
        days=integer(description=N_("Distinct days it was patrolled.")),
        last_patrolled_on=string(nullable=True, fmt="date"),
        last_patrolled_at=string(nullable=True, fmt="date-time"),
        days_since=_DAYS_SINCE,
        at_frequency=boolean(),
    ),
    "CoverageGap": obj(
        (
            "road",
            "direction",
            "stake_range",
            "stake_ranges",
            "from_chainage",
            "to_chainage",
            "length_m",
            "days_since",
        ),
        road=string(),
        direction=string(),
        stake_range=string(),
        stake_ranges=array(_RANGE),
        from_chainage=number(),
        to_chainage=number(),
        length_m=number(),
        days_since=integer(
            nullable=True,
            description=N_("The longest since any part was patrolled; null: a part never was."),
        ),
    ),
    "CoverageRoad": obj(
        (
            "road",
            "direction",
            "name",
            "road_class",
            "every_days",
            "frequency_confirmed",
            "length_m",
            "at_frequency_m",
            "patrolled_m",
            "rate_pct",
            "stretches",
        ),
        road=string(),
        direction=string(),
        name=string(),
        road_class=string(),
        every_days=integer(),
        frequency_confirmed=boolean(),
        length_m=number(),
        at_frequency_m=number(),
        patrolled_m=number(),
        rate_pct=number(nullable=True),
        stretches=array(ref("CoverageStretch")),
    ),
    "PatrolCoverage": obj(
        (
            "period",
            "timezone",
            "road",
            "rate_pct",
            "network_m",
            "at_frequency_m",
            "patrolled_m",
            "intervals",
            "roads",
            "gaps",
        ),
        period=obj(("from", "to"), **{"from": string(fmt="date"), "to": string(fmt="date")}),
        timezone=string(),
        road=string(nullable=True),
        rate_pct=number(
            nullable=True,
            description=N_(
                "Patrol coverage rate: length patrolled at its road class's frequency ÷ network "
                "length × 100."
            ),
        ),
        network_m=number(),
        at_frequency_m=number(),
        patrolled_m=number(),
        intervals=integer(description=N_("Covered intervals read; 0: no track in the period.")),
        roads=array(ref("CoverageRoad")),
        gaps=array(ref("CoverageGap")),
    ),
    "PatrolFrequency": obj(
        ("road_class", "road_class_label", "every_days", "confirmed", "default_days", "updated_at"),
        road_class=string(),
        road_class_label=string(),
        every_days=integer(minimum=1, maximum=365),
        confirmed=boolean(),
        default_days=integer(nullable=True),
        updated_at=string(nullable=True, fmt="date-time"),
    ),
    "PatrolFrequencyList": obj(("frequencies",), frequencies=array(ref("PatrolFrequency"))),
}

INPUT_MODELS = {"PatrolFrequencyInput": FrequencyBody}
EXAMPLES = {"PatrolFrequencyInput": {"every_days": 1}}

OPERATIONS: dict[str, Operation] = {
    "api.patrol_coverage": Operation(
        N_(
            "Patrol coverage of a period: stretches patrolled, how often and when last, the rate "
            "at the road classes' frequencies, and the gaps"
        ),
        "PatrolCoverage",
        params=CoverageQuery,
    ),
    "api.patrol_frequencies": Operation(
        N_("Patrol frequencies by road class (unconfirmed: the shipped default)"),
        "PatrolFrequencyList",
    ),
    "api.set_patrol_frequency": Operation(
        N_("Set a road class's patrol frequency (this confirms it)"),
        "PatrolFrequency",
        body="PatrolFrequencyInput",
    ),
}
