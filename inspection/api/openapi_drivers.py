"""OpenAPI descriptions of the drivers routes (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi_parts import (
    Operation,
    array,
    boolean,
    integer,
    obj,
    ref,
    string,
)
from inspection.errors import N_
from inspection.fleet import driver_due, driver_schemas
from inspection.fleet.kinds import LICENCE_CLASSES, DriverReviewResult

RESULTS = tuple(r.value for r in DriverReviewResult)
REVIEW_STATES = tuple(driver_due.REVIEW_STATE_LABELS)
LICENCE_STATES = tuple(driver_due.LICENCE_STATE_LABELS)

SCHEMAS: dict[str, dict[str, Any]] = {
    "DriverReview": obj(
        ("id", "reviewed_on", "result"),
        id=integer(),
        reviewed_on=string(fmt="date"),
        result=string(enum=RESULTS),
        result_label=string(),
        note=string(),
    ),
    "Driver": obj(
        (
            "id",
            "name",
            "licence_class",
            "licence_expires",
            "licence_state",
            "active",
            "next_review_on",
            "review_state",
        ),
        id=integer(),
        name=string(),
        user=obj(("id", "username"), nullable=True, id=integer(), username=string()),
        licence_class=string(enum=LICENCE_CLASSES),
        licence_number=string(nullable=True),
        licence_expires=string(fmt="date"),
        licence_state=string(
            enum=LICENCE_STATES,
            description=N_("expired, within_30 or within_60 days of expiry, or valid."),
        ),
        licence_state_label=string(),
        licence_days_left=integer(description=N_("Days to the expiry (negative: expired).")),
        department=obj(("id", "name"), nullable=True, id=integer(), name=string()),
        active=boolean(),
        note=string(),
        last_review_on=string(fmt="date", nullable=True),
        next_review_on=string(
            fmt="date",
            description=N_(
                "365 days after the last passed review; never reviewed: the day the driver "
                "was registered; last review not passed: its day."
            ),
        ),
        review_state=string(
            enum=REVIEW_STATES,
            description=N_("overdue, due_soon (within 30 days), never, failed, or later."),
        ),
        review_state_label=string(),
        review_days_left=integer(description=N_("Days to the next review (negative: overdue).")),
        reviews=array(ref("DriverReview"), description=N_("Newest first (one driver only).")),
    ),
    "DriverList": obj(("drivers",), drivers=array(ref("Driver"))),
    "DriversDue": obj(
        ("today", "reviews", "licences"),
        today=string(fmt="date", description=N_("The branch's day the lists are judged on.")),
        timezone=string(),
        reviews=array(
            ref("Driver"),
            description=N_(
                "Active drivers due for their review: not passed, overdue, never reviewed, "
                "due within 30 days."
            ),
        ),
        licences=array(
            ref("Driver"),
            description=N_("Active drivers whose licence expired or expires within 60 days."),
        ),
    ),
}

# Request bodies: the models the routes read (merged into `openapi.INPUT_MODELS`).
INPUT_MODELS: dict[str, Any] = {
    "DriverInput": driver_schemas.DriverBody,
    "DriverChanges": driver_schemas.DriverChangesBody,
    "DriverReviewInput": driver_schemas.ReviewBody,
}
EXAMPLES: dict[str, Any] = {
    "DriverInput": {
        "name": "马师傅",
        "licence_class": "B2",
        "licence_number": "650102198001011234",
        "licence_expires": "2030-06-30",
    },
    "DriverChanges": {"licence_expires": "2036-06-30"},
    "DriverReviewInput": {"reviewed_on": "2026-03-15", "result": "passed", "note": "年审合格"},
}

OPERATIONS: dict[str, Operation] = {
    "api.list_drivers": Operation(
        N_("List the drivers, with their review and licence judged today"),
        "DriverList",
        params=driver_schemas.DriversQuery,
    ),
    "api.drivers_due": Operation(
        N_("The drivers due for their annual review, and those whose licence expires soon"),
        "DriversDue",
    ),
    "api.driver": Operation(N_("A driver, with their reviews"), "Driver"),
    "api.create_driver": Operation(
        N_("Register a driver (a user, or a name)"), "Driver", status=201, body="DriverInput"
    ),
    "api.update_driver": Operation(
        N_("Change a driver, or take them off the lists (active: false)"),
        "Driver",
        body="DriverChanges",
    ),
    "api.add_driver_review": Operation(
        N_("Record a driver's annual review"),
        "Driver",
        status=201,
        body="DriverReviewInput",
    ),
}
