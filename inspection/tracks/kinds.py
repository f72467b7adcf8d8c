"""Code lists and fixed rules of patrol tracks (轨迹) and coverage (巡查覆盖)."""

from __future__ import annotations

from enum import StrEnum

from inspection.errors import N_, register_code_words


class TravelDirection(StrEnum):
    """Which way a covered interval was driven along the centreline (measure up or down)."""

    up = "up"
    down = "down"


TRAVEL_DIRECTION_LABELS = {
    TravelDirection.up: N_("Increasing stakes"),
    TravelDirection.down: N_("Decreasing stakes"),
}
register_code_words(TRAVEL_DIRECTION_LABELS)

# The phone drops worse points before they are sent; the server refuses them too.
MAX_ACCURACY_M = 50.0
MAX_SPEED_KMH = 200.0
# A point further than this from every road is not placed on one.
MATCH_DISTANCE_M = 50.0
# An interval ends at a gap of more than this along the road, or in time.
INTERVAL_GAP_M = 500.0
INTERVAL_GAP_SECONDS = 300
# The phone sends a batch every 30 s or 50 points; a batch after a long offline stretch may
# be larger (the phone keeps adding to the open one), never beyond this.
MAX_BATCH_POINTS = 2000
# A batch for a patrol that ended longer ago than this is refused.
LATE_BATCH_HOURS = 24

# Default patrol frequencies by road class, in days (every N days), for the branch to confirm
# (JTG H10-2009 公路养护技术规范 asks daily patrols of expressways and class 1 roads; the rest
# are the usual provincial practice). Stored per branch in `patrol_frequencies`.
DEFAULT_FREQUENCY_DAYS = {
    "expressway": 1,
    "class1": 1,
    "class2": 2,
    "class3": 7,
    "class4": 7,
    "unclassified": 7,
}
