"""The words of field logging: patrol kinds, finding kinds, statuses (one table each)."""

from __future__ import annotations

from enum import StrEnum

from inspection.errors import N_, register_code_words


class PatrolKind(StrEnum):
    routine = "routine"
    special = "special"
    night = "night"


# Self-inspections are not patrols: they are `inspections` (DESIGN §4b).
PATROL_KINDS = {
    PatrolKind.routine: N_("Routine patrol"),
    PatrolKind.special: N_("Special patrol"),
    PatrolKind.night: N_("Night patrol"),
}


class FindingKind(StrEnum):
    pavement_distress = "pavement_distress"
    pothole = "pothole"
    shoulder_damage = "shoulder_damage"
    slope_damage = "slope_damage"
    drainage = "drainage"
    roadside_facility = "roadside_facility"
    # Counted as a hazard (隐患), never as a defect (病害): nothing is counted twice.
    safety_hazard = "safety_hazard"


FINDING_KINDS = {
    FindingKind.pavement_distress: N_("Pavement distress"),
    FindingKind.pothole: N_("Pothole"),
    FindingKind.shoulder_damage: N_("Shoulder damage"),
    FindingKind.slope_damage: N_("Slope damage"),
    FindingKind.drainage: N_("Drainage"),
    FindingKind.roadside_facility: N_("Roadside facility"),
    FindingKind.safety_hazard: N_("Safety hazard"),
}

# Subgrade items (DESIGN §3b) a shoulder, slope or drainage finding may name.
SUBGRADE_ITEMS_BY_KIND = {
    "shoulder_damage": ("shoulder_damage", "dirty_shoulder_ditch", "kerb_damage"),
    "slope_damage": (
        "slope_collapse",
        "erosion_gully",
        "subgrade_settlement",
        "subgrade_structure_damage",
    ),
    "drainage": ("drainage_blocked", "dirty_shoulder_ditch"),
}


class FindingStatus(StrEnum):
    open = "open"
    resolved = "resolved"
    hazard_raised = "hazard_raised"


FINDING_STATUSES = {
    FindingStatus.open: N_("Open"),
    FindingStatus.resolved: N_("Resolved by a repair"),
    FindingStatus.hazard_raised: N_("Hazard raised"),
}
register_code_words(FINDING_STATUSES)


class Side(StrEnum):
    left = "left"
    right = "right"
    median = "median"


SIDES = {Side.left: N_("Left"), Side.right: N_("Right"), Side.median: N_("Median")}
WEATHER = {
    "sunny": N_("Sunny"),
    "cloudy": N_("Cloudy"),
    "rain": N_("Rain"),
    "snow": N_("Snow"),
    "wind": N_("Strong wind"),
    "sandstorm": N_("Sandstorm"),
    "fog": N_("Fog"),
}


class LocationSource(StrEnum):
    stake = "stake"
    gps = "gps"


LOCATION_SOURCES = tuple(LocationSource)
# A GPS fix less accurate than this is not trusted for a stake: the crew types it instead.
MAX_GPS_ACCURACY_M = 50.0
NEAR_DUPLICATE_M = 50.0
