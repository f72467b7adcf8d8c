"""The words of field logging: patrol kinds, finding kinds, statuses (one table each)."""

from __future__ import annotations

from inspection.errors import N_

PATROL_KINDS = {
    "routine": N_("Routine patrol"),
    "special": N_("Special patrol"),
    "night": N_("Night patrol"),
    "safety_inspection": N_("Safety self-inspection"),
}

FINDING_KINDS = {
    "pavement_distress": N_("Pavement distress"),
    "pothole": N_("Pothole"),
    "shoulder_damage": N_("Shoulder damage"),
    "slope_damage": N_("Slope damage"),
    "drainage": N_("Drainage"),
    "roadside_facility": N_("Roadside facility"),
    "safety_hazard": N_("Safety hazard"),
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

FINDING_STATUSES = {
    "open": N_("Open"),
    "resolved": N_("Resolved by a repair"),
    "hazard_raised": N_("Hazard raised"),
}

SIDES = {"left": N_("Left"), "right": N_("Right"), "median": N_("Median")}
WEATHER = {
    "sunny": N_("Sunny"),
    "cloudy": N_("Cloudy"),
    "rain": N_("Rain"),
    "snow": N_("Snow"),
    "wind": N_("Strong wind"),
    "sandstorm": N_("Sandstorm"),
    "fog": N_("Fog"),
}
LOCATION_SOURCES = ("stake", "gps")
# A GPS fix less accurate than this is not trusted for a stake: the crew types it instead.
MAX_GPS_ACCURACY_M = 50.0
NEAR_DUPLICATE_M = 50.0
