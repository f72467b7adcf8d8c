"""OpenAPI descriptions of the self-inspection and checklist routes (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi import (
    FROM_DAY,
    INCLUDE_VOIDED,
    PAGE,
    PER_PAGE,
    TO_DAY,
    Operation,
    Param,
    array,
    boolean,
    integer,
    obj,
    page_of,
    ref,
    string,
)
from inspection.errors import N_
from inspection.hazards.workflow import HAZARD_CATEGORIES
from inspection.inspections.kinds import (
    ITEM_NAME_LENGTH,
    PERSON_NAME_LENGTH,
    TEMPLATE_NAME_LENGTH,
    THEME_LENGTH,
    ChecklistSection,
    InspectionKind,
    ItemResult,
    RecheckOutcome,
)

KINDS = tuple(k.value for k in InspectionKind)
SECTIONS = tuple(s.value for s in ChecklistSection)
RESULTS = tuple(r.value for r in ItemResult)
CATEGORIES = tuple(HAZARD_CATEGORIES)
DIRECTIONS = ("up", "down", "both")
ID = integer(minimum=1, maximum=2_147_483_647)
DAY = string(fmt="date")


def _nullable_id() -> dict:
    return {**ID, "nullable": True}


SCHEMAS: dict[str, dict[str, Any]] = {
    "InspectionTemplateItem": obj(
        ("position", "section", "section_label", "name", "hazard_category"),
        position=integer(),
        section=string(enum=SECTIONS),
        section_label=string(),
        name=string(),
        hazard_category=string(enum=CATEGORIES),
    ),
    "InspectionTemplate": obj(
        ("id", "name", "kind", "active", "items"),
        id=integer(),
        name=string(),
        kind=string(enum=KINDS, nullable=True),
        active=boolean(),
        items=array(ref("InspectionTemplateItem")),
    ),
    "InspectionTemplateList": obj(("templates",), templates=array(ref("InspectionTemplate"))),
    "InspectionTemplateInput": {
        **obj(
            ("name", "items"),
            name=string(minLength=1, maxLength=TEMPLATE_NAME_LENGTH),
            kind=string(enum=KINDS, nullable=True),
            active=boolean(),
            items=array(
                obj(
                    ("section", "name", "hazard_category"),
                    section=string(enum=SECTIONS),
                    name=string(minLength=1, maxLength=ITEM_NAME_LENGTH),
                    hazard_category=string(enum=CATEGORIES),
                ),
                minItems=1,
                maxItems=200,
            ),
        ),
        "example": {
            "name": "冬季消防专项检查表",
            "kind": "special",
            "items": [
                {
                    "section": "fire_safety",
                    "name": "灭火器在有效期内",
                    "hazard_category": "fire_safety",
                }
            ],
        },
    },
    "InspectionItemInput": {
        **obj(
            ("client_uuid",),
            client_uuid=string(fmt="uuid"),
            section=string(enum=SECTIONS),
            name=string(minLength=1, maxLength=ITEM_NAME_LENGTH),
            hazard_category=string(enum=CATEGORIES),
            result=string(enum=RESULTS, nullable=True),
            note=string(maxLength=2000),
            site_id=_nullable_id(),
            road=string(maxLength=16),
            direction=string(enum=DIRECTIONS),
            stake=string(maxLength=40),
            grade=string(enum=("general", "major")),
            hazard_description=string(maxLength=2000),
            checked_at=string(fmt="date-time"),
        ),
        "description": N_(
            "Where: a site of the scope (site_id) or a stake inside a scope section, not both; "
            "left out, it is the scope's only site. An item that does not meet raises one hazard "
            "there, or links to the open hazard of the same category already recorded at the "
            "same site or within 50 m on the same road."
        ),
        "example": {
            "client_uuid": "6f1c2b0e-4a8d-4f53-9a1e-2f0c5d7b8e91",
            "section": "fire_safety",
            "name": "灭火器在有效期内",
            "hazard_category": "fire_safety",
            "result": "does_not_meet",
            "note": "2具灭火器过期",
        },
    },
    "InspectionInput": {
        **obj(
            ("client_uuid", "kind", "theme", "started_on", "ended_on"),
            client_uuid=string(fmt="uuid"),
            kind=string(enum=KINDS),
            theme=string(minLength=1, maxLength=THEME_LENGTH),
            started_on=DAY,
            ended_on=DAY,
            leader_user_id=_nullable_id(),
            leader_name=string(maxLength=PERSON_NAME_LENGTH),
            members=array(obj(user_id=ID, name=string(maxLength=PERSON_NAME_LENGTH)), maxItems=200),
            site_ids=array(ID, maxItems=200),
            sections=array(
                obj(
                    ("road", "start_stake", "end_stake"),
                    road=string(maxLength=16),
                    direction=string(enum=DIRECTIONS),
                    start_stake=string(maxLength=40),
                    end_stake=string(maxLength=40),
                ),
                maxItems=200,
            ),
            template_id=_nullable_id(),
            recheck_from=DAY,
            recheck_to=DAY,
            note=string(maxLength=2000),
            items=array(ref("InspectionItemInput"), maxItems=200),
        ),
        "description": N_(
            "The scope is at least one site or road section. A look-back inspection needs "
            "recheck_from and recheck_to; other kinds must not have them. Without items, the "
            "template's items are copied. Without a leader, the user recording it leads."
        ),
        "example": {
            "client_uuid": "0b8e5d2a-1c3f-4e6a-9b7d-5f2e8c1a3d40",
            "kind": "seasonal",
            "theme": "冬春季安全生产大检查",
            "started_on": "2026-11-20",
            "ended_on": "2026-11-21",
            "site_ids": [],
            "sections": [
                {
                    "road": "G30",
                    "direction": "up",
                    "start_stake": "K3500+000",
                    "end_stake": "K3510+000",
                }
            ],
        },
    },
    "InspectionHazardRef": obj(
        ("id", "number", "state", "category"),
        id=integer(),
        number=string(),
        state=string(),
        category=string(),
        linked_existing=boolean(),
    ),
    "InspectionItem": obj(
        ("id", "client_uuid", "position", "section", "name", "result", "note", "site_id"),
        id=integer(),
        client_uuid=string(fmt="uuid", nullable=True),
        position=integer(),
        section=string(enum=SECTIONS),
        name=string(),
        hazard_category=string(),
        result=string(enum=RESULTS, nullable=True),
        note=string(),
        site_id=integer(nullable=True),
        road=string(nullable=True),
        direction=string(nullable=True),
        stake=string(nullable=True),
        checked_at=string(fmt="date-time", nullable=True),
        hazard={**ref("InspectionHazardRef"), "nullable": True},
        photos=array(ref("Photo")),
    ),
    "InspectionSummary": obj(
        ("id", "client_uuid", "kind", "kind_label", "theme", "started_on", "ended_on", "voided"),
        id=integer(),
        client_uuid=string(fmt="uuid"),
        kind=string(enum=KINDS),
        kind_label=string(),
        theme=string(),
        started_on=DAY,
        ended_on=DAY,
        leader=obj(("id", "name"), nullable=True, id=integer(), name=string()),
        leader_name=string(),
        sites=array(obj(("id", "name", "kind"), id=integer(), name=string(), kind=string())),
        sections=array(
            obj(
                ("road", "direction", "start_stake", "end_stake"),
                road=string(),
                direction=string(),
                start_stake=string(),
                end_stake=string(),
            )
        ),
        recheck_from=string(fmt="date", nullable=True),
        recheck_to=string(fmt="date", nullable=True),
        voided=boolean(),
    ),
    "InspectionRecheck": obj(
        ("hazard_id", "number", "outcome", "note", "event_id"),
        hazard_id=integer(),
        number=string(),
        outcome=string(enum=tuple(RecheckOutcome)),
        note=string(),
        event_id=integer(),
        checked_by_id=integer(),
        created_at=string(fmt="date-time"),
    ),
    "InspectionList": page_of("InspectionSummary", "inspections"),
}
SCHEMAS["Inspection"] = {
    "allOf": [
        ref("InspectionSummary"),
        obj(
            ("members", "items", "hazards", "rechecks"),
            note=string(),
            template_id=integer(nullable=True),
            members=array(obj(user_id=integer(nullable=True), name=string())),
            items=array(ref("InspectionItem")),
            hazards=array(ref("InspectionHazardRef")),
            rechecks=array(ref("InspectionRecheck")),
        ),
    ]
}
SCHEMAS.update(
    {
        "InspectionAnswer": obj(("inspection",), inspection=ref("Inspection")),
        "InspectionItemAnswer": obj(
            ("item", "inspection"), item=ref("InspectionItem"), inspection=ref("Inspection")
        ),
        "RecheckCandidates": obj(
            ("hazards",),
            hazards=array(
                obj(
                    ("id", "number", "state", "version", "category", "recheck"),
                    id=integer(),
                    number=string(),
                    state=string(),
                    version=integer(),
                    category=string(),
                    grade=string(),
                    description=string(),
                    site_id=integer(nullable=True),
                    road_id=integer(nullable=True),
                    stake=string(nullable=True),
                    closed_at=string(fmt="date-time", nullable=True),
                    recheck=obj(
                        ("outcome",),
                        nullable=True,
                        outcome=string(enum=tuple(RecheckOutcome)),
                        note=string(),
                    ),
                )
            ),
        ),
        "RecheckInput": {
            **obj(
                ("hazard_id", "outcome", "version"),
                hazard_id=ID,
                outcome=string(enum=tuple(RecheckOutcome)),
                note=string(maxLength=2000),
                version=ID,
            ),
            "description": N_(
                "holds: an audited re-check event, the hazard stays closed. relapsed: the "
                "hazard is reopened, with the note as the reason (required)."
            ),
            "example": {"hazard_id": 1, "outcome": "holds", "note": "整改到位", "version": 4},
        },
        "RecheckAnswer": obj(
            ("recheck", "inspection"),
            recheck=ref("InspectionRecheck"),
            inspection=ref("Inspection"),
        ),
    }
)

OPERATIONS: dict[str, Operation] = {
    "api.list_inspection_templates": Operation(
        N_("List the checklist templates"),
        "InspectionTemplateList",
        params=(Param("active", N_("1 to list only the active ones."), string(enum=("0", "1"))),),
    ),
    "api.inspection_template": Operation(N_("One checklist template"), "InspectionTemplate"),
    "api.create_inspection_template": Operation(
        N_("Create a checklist template"),
        "InspectionTemplate",
        status=201,
        body="InspectionTemplateInput",
    ),
    "api.replace_inspection_template": Operation(
        N_("Rename a checklist template and replace its items"),
        "InspectionTemplate",
        body="InspectionTemplateInput",
    ),
    "api.create_inspection": Operation(
        N_("Record a self-inspection with its answered checklist (idempotent by client_uuid)"),
        "InspectionAnswer",
        status=201,
        body="InspectionInput",
        created_or_replayed=True,
    ),
    "api.list_inspections": Operation(
        N_("List the self-inspections"),
        "InspectionList",
        params=(
            Param("kind", N_("Kind of inspection."), string(enum=KINDS)),
            FROM_DAY,
            TO_DAY,
            INCLUDE_VOIDED,
            PAGE,
            PER_PAGE,
        ),
    ),
    "api.inspection": Operation(
        N_("One self-inspection with its items, hazards and re-checks"), "InspectionAnswer"
    ),
    "api.add_inspection_item": Operation(
        N_("Add or answer a checklist item (idempotent by its client_uuid)"),
        "InspectionItemAnswer",
        status=201,
        body="InspectionItemInput",
        created_or_replayed=True,
    ),
    "api.upload_inspection_item_photo": Operation(
        N_("Attach a photo to a checklist item (idempotent by photo_uuid)"),
        "Photo",
        status=201,
        multipart=True,
        created_or_replayed=True,
    ),
    "api.recheck_candidates": Operation(
        N_("The hazards a look-back inspection re-checks"), "RecheckCandidates"
    ),
    "api.recheck_hazard": Operation(
        N_("Record a look-back's verdict on a closed hazard"),
        "RecheckAnswer",
        status=201,
        body="RecheckInput",
        created_or_replayed=True,
    ),
}
