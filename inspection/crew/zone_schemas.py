"""The declared inputs of work zones and their part minimums (API, pages, phone).

What the types can say (codes, ranges, plausible times, list lengths) is said here; what needs
the road, the repair or the patrol (a stake off the road, an unknown link, a part listed twice)
is the service's business, which names the field the same way.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from inspection.crew.kinds import NAME_LENGTH, ZoneDevice, ZonePart
from inspection.errors import N_
from inspection.inputs import (
    DIRECTIONS,
    NOTE_LENGTH,
    Code,
    Day,
    Flag,
    Input,
    Int,
    ListQuery,
    Note,
    Number,
    PlausibleTime,
    RoadCode,
    Stake,
    Text,
    Uuid,
)

LENGTH_MAX_M = 100_000  # the column's check: no part of a zone is 100 km long
COUNT_MAX = 10_000
SPEED_RANGE = (5, 130)  # km/h, the column's check
MAX_MINIMUM_ROWS = 200


class PartIn(Input):
    """One part of the zone and its length in metres."""

    messages: ClassVar = {"part": N_("Choose the part."), "length_m": N_("Give the length in m.")}

    part: Annotated[Code(ZonePart), Field(description=N_("The part of the zone."))]
    length_m: Annotated[
        Number(0, LENGTH_MAX_M, above=True), Field(description=N_("Its length in metres."))
    ]


class DeviceIn(Input):
    """A device used at the zone; signs and cones (plain or alarm) with how many."""

    messages: ClassVar = {"device": N_("Choose the device.")}

    device: Annotated[Code(ZoneDevice), Field(description=N_("The device."))]
    count: Annotated[
        Int(1, COUNT_MAX) | None,
        Field(description=N_("How many (signs, cones, alarm cones); the others count 1.")),
    ] = None


class WorkZoneBody(Input):
    """A work zone (施工作业区) set up for a repair or a patrol's on-site action, stored once per
    client UUID."""

    messages: ClassVar = {
        "road": N_("Choose a road."),
        "from_stake": N_("Type the stake, e.g. K3456+780."),
        "to_stake": N_("Type the stake, e.g. K3456+780."),
        "lanes_closed": N_("Give the number of lanes closed (0–8)."),
        "speed_limit_kmh": N_("Give the speed limit at the zone."),
        "set_up_at": N_("Give the time the zone was set up."),
        "parts:too_long": N_("Each part at most once."),
        "devices:too_long": N_("Each device at most once."),
    }

    client_uuid: Annotated[Uuid, Field(description=N_("The phone's UUID of this work zone."))]
    repair_uuid: Annotated[
        Uuid | None, Field(description=N_("The repair the zone was set up for."))
    ] = None
    patrol_uuid: Annotated[
        Uuid | None, Field(description=N_("The patrol whose on-site action needed the zone."))
    ] = None
    road: Annotated[RoadCode, Field(description=N_("Road code, e.g. G30."))]
    direction: Annotated[
        Code(DIRECTIONS) | None, Field(description=N_("Carriageway (needed on a divided road)."))
    ] = None
    from_stake: Annotated[Stake, Field(description=N_("One end of the zone, e.g. K3456+200."))]
    to_stake: Annotated[Stake, Field(description=N_("The other end, e.g. K3456+780."))]
    lanes_closed: Annotated[Int(0, 8), Field(description=N_("Lanes closed (0: shoulder only)."))]
    lanes_note: Annotated[
        Text(NAME_LENGTH), Field(description=N_("Which lanes, e.g. overtaking lane."))
    ] = ""
    speed_limit_kmh: Annotated[
        Int(*SPEED_RANGE), Field(description=N_("The speed limit at the zone in km/h."))
    ]
    set_up_at: Annotated[PlausibleTime, Field(description=N_("When the zone was set up."))]
    removed_at: Annotated[
        PlausibleTime | None, Field(description=N_("When it was removed (may come later)."))
    ] = None
    parts: Annotated[
        list[PartIn],
        Field(
            default_factory=list,
            max_length=len(ZonePart),
            description=N_("The parts and their lengths (each once)."),
        ),
    ]
    devices: Annotated[
        list[DeviceIn],
        Field(
            default_factory=list,
            max_length=len(ZoneDevice),
            description=N_("The devices used (each once)."),
        ),
    ]
    note: Note = ""


class WorkZonePatch(Input):
    """The removal time (an offline crew sends it later) and/or the note."""

    removed_at: Annotated[
        PlausibleTime | None, Field(description=N_("When the zone was removed."))
    ] = None
    note: Annotated[Text(NOTE_LENGTH) | None, Field(description=N_("A new note."))] = None


class ZoneFilterFields(Input):
    """The filters the API list and the desktop page share."""

    day_from: Annotated[Day() | None, Field(description=N_("Set up from this day."))] = None
    day_to: Annotated[Day() | None, Field(description=N_("Set up up to this day."))] = None
    road: Annotated[RoadCode | None, Field(description=N_("Road code, e.g. G30."))] = None
    alarm: Annotated[
        Flag | None, Field(description=N_("1: with an intrusion alarm; 0: without."))
    ] = None
    flagged: Annotated[
        Flag | None, Field(description=N_("1: only zones with parts shorter than the minimum."))
    ] = None
    open: Annotated[Flag | None, Field(description=N_("1: only zones not yet removed."))] = None


class WorkZonesQuery(ListQuery, ZoneFilterFields):
    """List work zones, newest set-up first."""

    repair_uuid: Annotated[Uuid | None, Field(description=N_("Only this repair's."))] = None
    patrol_uuid: Annotated[Uuid | None, Field(description=N_("Only this patrol's."))] = None
    voided: Annotated[Flag | None, Field(description=N_("1: the voided ones too."))] = None


class WorkZoneFilter(ZoneFilterFields):
    """The filters of the desktop list (a form's text values)."""

    page: Int(1, 10_000) = 1


class MinimumRow(Input):
    """The shortest length of a part at a speed limit."""

    speed_limit_kmh: Annotated[Int(*SPEED_RANGE), Field(description=N_("Speed limit, km/h."))]
    part: Annotated[Code(ZonePart), Field(description=N_("The part of the zone."))]
    length_m: Annotated[
        Number(0, LENGTH_MAX_M), Field(description=N_("Its shortest length in metres."))
    ]


class MinimumsBody(Input):
    """The whole table of part minimums (it replaces the stored one)."""

    messages: ClassVar = {"minimums": N_("Give at least one minimum.")}

    minimums: Annotated[
        list[MinimumRow],
        Field(min_length=1, max_length=MAX_MINIMUM_ROWS, description=N_("Every row of the table.")),
    ]
