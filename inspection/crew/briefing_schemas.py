"""The declared inputs of the pre-shift briefing and its topics (API, pages, phone).

What the types can say (text, lengths, a plausible time, at most MAX_ATTENDEES people) is said
here; what needs the database (an unknown user or topic, no attendee left after removing
duplicates) is the service's business, which names the field the same way.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from inspection.crew.kinds import NAME_LENGTH, TEXT_LENGTH
from inspection.errors import N_
from inspection.inputs import Day, Flag, Input, Int, ListQuery, Note, PlausibleTime, Text, Uuid

# A briefing is a crew's; 200 is far above any crew and far below what would hurt.
MAX_ATTENDEES = 200
TOO_MANY = N_("At most 200 attendees.")


class AttendeeIn(Input):
    """Someone at the briefing: a user (by id) or a name (a temporary worker has no account)."""

    user_id: Annotated[Int() | None, Field(description=N_("The attendee's user id."))] = None
    name: Annotated[
        Text(NAME_LENGTH), Field(description=N_("The attendee's name, when not a user."))
    ] = ""


class BriefingBody(Input):
    """A pre-shift briefing (岗前5分钟培训), stored once per client UUID."""

    messages: ClassVar = {
        "held_at": N_("Give the time of the briefing."),
        "attendees": N_("Add at least one attendee."),
        "attendees:too_long": TOO_MANY,
    }

    client_uuid: Annotated[Uuid, Field(description=N_("The phone's UUID of this briefing."))]
    held_at: Annotated[
        PlausibleTime, Field(description=N_("When the briefing was held (with its zone)."))
    ]
    crew: Annotated[Text(256), Field(description=N_("The crew (its own words)."))] = ""
    site_id: Annotated[
        Int() | None, Field(description=N_("The branch site where the crew met."))
    ] = None
    place: Annotated[
        Text(NAME_LENGTH), Field(description=N_("Where: a stake, a yard, a road section."))
    ] = ""
    leader_id: Annotated[
        Int() | None, Field(description=N_("The leader's user id (default: the recorder)."))
    ] = None
    leader_name: Annotated[
        Text(NAME_LENGTH), Field(description=N_("The leader's name, when not a user."))
    ] = ""
    topic_id: Annotated[
        Int() | None, Field(description=N_("A topic from the branch's list (active ones)."))
    ] = None
    topic_text: Annotated[
        Text(TEXT_LENGTH), Field(description=N_("The topic in free text (or in addition)."))
    ] = ""
    attendees: Annotated[
        list[AttendeeIn],
        Field(
            max_length=MAX_ATTENDEES,
            description=N_("Who came: users and/or names; duplicates are removed; at most 200."),
        ),
    ] = Field(default_factory=list)
    note: Note = ""


class BriefingsQuery(ListQuery):
    """List briefings, newest first."""

    day_from: Annotated[Day() | None, Field(description=N_("From this day (branch time)."))] = None
    day_to: Annotated[Day() | None, Field(description=N_("Up to this day (branch time)."))] = None
    crew: Annotated[Text(256) | None, Field(description=N_("Crew name contains this."))] = None
    site_id: Annotated[Int() | None, Field(description=N_("Only at this site."))] = None
    voided: Annotated[Flag | None, Field(description=N_("1: the voided ones too."))] = None


class BriefingFilter(Input):
    """The filters of the desktop list (a form's text values)."""

    day_from: Day() | None = None
    day_to: Day() | None = None
    crew: Text(256) | None = None
    site_id: Int() | None = None
    page: Int(1, 10_000) = 1


class TopicsQuery(Input):
    """The branch's briefing topics."""

    all: Annotated[Flag | None, Field(description=N_("1: the deactivated ones too."))] = None


class TopicBody(Input):
    """Add or rename a topic, or (de)activate it (the page's form)."""

    messages: ClassVar = {"name": N_("Give the topic.")}

    name: Annotated[Text(NAME_LENGTH, 1), Field(description=N_("The topic."))]
    active: Annotated[Int(0, 1), Field(description=N_("1: offered on the phone."))] = 1
