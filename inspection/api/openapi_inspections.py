"""OpenAPI descriptions of the self-inspection and checklist routes (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api import inspections as api
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
from inspection.errors import N_
from inspection.hazards.workflow import HAZARD_CATEGORIES
from inspection.inspections import schemas
from inspection.inspections.kinds import (
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
        "RecheckAnswer": obj(
            ("recheck", "inspection"),
            recheck=ref("InspectionRecheck"),
            inspection=ref("Inspection"),
        ),
    }
)

# Request bodies: the models the routes read (merged into `openapi.INPUT_MODELS`).
INPUT_MODELS = {
    "InspectionTemplateInput": schemas.TemplateBody,
    "InspectionTemplateItemInput": schemas.TemplateItemBody,
    "InspectionItemInput": schemas.ItemBody,
    "InspectionLineInput": schemas.InspectionLineBody,
    "InspectionMemberInput": schemas.MemberBody,
    "InspectionSectionInput": schemas.SectionBody,
    "InspectionInput": schemas.InspectionBody,
    "RecheckInput": schemas.RecheckBody,
}
EXAMPLES = {
    "InspectionTemplateInput": {
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
    "InspectionItemInput": {
        "client_uuid": "6f1c2b0e-4a8d-4f53-9a1e-2f0c5d7b8e91",
        "section": "fire_safety",
        "name": "灭火器在有效期内",
        "hazard_category": "fire_safety",
        "result": "does_not_meet",
        "note": "2具灭火器过期",
    },
    "InspectionInput": {
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
    "RecheckInput": {"hazard_id": 1, "outcome": "holds", "note": "整改到位", "version": 4},
}

OPERATIONS: dict[str, Operation] = {
    "api.list_inspection_templates": Operation(
        N_("List the checklist templates"),
        "InspectionTemplateList",
        params=api.TemplatesQuery,
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
        params=api.InspectionsQuery,
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
