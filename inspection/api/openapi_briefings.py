"""OpenAPI descriptions of the briefings routes (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi_parts import (
    Operation,
    array,
    boolean,
    integer,
    obj,
    page_of,
    ref,
    string,
)
from inspection.crew.briefing_schemas import BriefingBody, BriefingsQuery, TopicsQuery
from inspection.errors import N_

PERSON = obj(("user_id", "name"), user_id=integer(nullable=True), name=string())
TOPIC = obj(("id", "name", "active"), id=integer(), name=string(), active=boolean())

SCHEMAS: dict[str, dict[str, Any]] = {
    "Briefing": {
        **obj(
            (
                "uuid",
                "id",
                "held_at",
                "day",
                "crew",
                "site",
                "place",
                "leader",
                "topic",
                "topic_text",
                "attendees",
                "attendee_count",
                "note",
                "recorded_by",
                "voided",
                "void_reason",
            ),
            uuid=string(fmt="uuid", description=N_("The phone's UUID of the briefing.")),
            id=integer(),
            held_at=string(fmt="date-time"),
            day=string(fmt="date", description=N_("The branch-local day it was held.")),
            local_time=string(),
            crew=string(),
            site=obj(("id", "name"), nullable=True, id=integer(), name=string()),
            place=string(),
            leader=PERSON,
            topic={**TOPIC, "nullable": True},
            topic_text=string(),
            attendees=array(PERSON),
            attendee_count=integer(),
            note=string(),
            recorded_by=string(nullable=True),
            voided=boolean(),
            void_reason=string(nullable=True),
            photos=array(ref("Photo"), description=N_("In the answer of one briefing.")),
            photo_count=integer(description=N_("In the list.")),
        ),
        "description": N_(
            "A pre-shift briefing (岗前5分钟培训): when, the crew or site, the leader, the topic"
            " (from the branch's list and/or free text) and who came (users and names, each once)."
        ),
    },
    "BriefingList": page_of("Briefing", "briefings"),
    "BriefingTopics": obj(("topics",), topics=array(TOPIC)),
}

INPUT_MODELS: dict[str, Any] = {"BriefingInput": BriefingBody}
EXAMPLES: dict[str, Any] = {
    "BriefingInput": {
        "client_uuid": "6b1f3c2a-8d4e-4f7a-9c0b-2e5d7a9f1c34",
        "held_at": "2026-05-01T07:30:00+08:00",
        "crew": "一工区巡查班",
        "place": "K3456+780 养护站院内",
        "topic_id": 1,
        "attendees": [{"user_id": 7}, {"name": "钱师傅"}],
    },
}
OPERATIONS: dict[str, Operation] = {
    "api.record_briefing": Operation(
        N_(
            "Record a pre-shift briefing (idempotent by client_uuid; at least one attendee,"
            " at most 200)"
        ),
        "Briefing",
        status=201,
        body="BriefingInput",
        created_or_replayed=True,
    ),
    "api.list_briefings": Operation(
        N_("List briefings, newest first"), "BriefingList", params=BriefingsQuery
    ),
    "api.briefing": Operation(N_("One briefing with its photos"), "Briefing"),
    "api.void_briefing": Operation(
        N_("Void a briefing with a reason (its recorder or a safety officer)"),
        "Briefing",
        body="VoidInput",
    ),
    "api.upload_briefing_photo": Operation(
        N_(
            "Attach a photo to a briefing (its recorder or a safety officer; idempotent by"
            " photo_uuid)"
        ),
        "Photo",
        status=201,
        multipart=True,
        created_or_replayed=True,
    ),
    "api.briefing_topics": Operation(
        N_("The branch's briefing topics (active ones unless all=1)"),
        "BriefingTopics",
        params=TopicsQuery,
    ),
}
