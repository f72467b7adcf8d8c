"""Realistic request bodies on the demo network, by component name (merged by `openapi.py`).

They document the inputs, and they are the first cases schemathesis sends, so the success answers
get checked too (a client UUID makes a retry harmless).
"""

from __future__ import annotations

from typing import Any

EXAMPLES: dict[str, Any] = {
    "TokenInput": {"name": "QGIS on the office PC"},
    "VoidInput": {"reason": "Entered twice"},
    "PatrolStart": {
        "client_uuid": "5b0c3e5e-2f4a-4d3c-9a51-4f1b9f0c7a11",
        "road": "G30",
        "direction": "up",
        "kind": "routine",
        "crew": "王建国、阿不都热合曼",
        "vehicle": "新A·H1234",
        "weather": "sunny",
        "started_at": "2026-05-09T01:00:00Z",
        "start_stake": "K3500+000",
    },
    "PatrolEnd": {"ended_at": "2026-05-09T05:00:00Z", "end_stake": "K3520+000"},
    "FindingInput": {
        "client_uuid": "0e6f1c52-8a0b-4f57-a3f2-6d3c2b1a9e01",
        "kind": "pothole",
        "road": "G30",
        "direction": "up",
        "stake": "K3503+420",
        "quantity": 1.2,
        "depth_mm": 50,
        "count": 2,
        "note": "行车道坑槽两处",
        "observed_at": "2026-05-09T01:20:00Z",
    },
    "FindingChanges": {"note": "两处坑槽，已设警示", "quantity": 1.5},
    "HazardInput": {
        "client_uuid": "7d9a4f0e-3b6c-4e21-8f5d-2c1b0a9e8d77",
        "category": "guardrail_damage",
        "grade": "general",
        "description": "中央护栏被撞损约 8 m",
        "road": "G30",
        "direction": "up",
        "stake": "K3514+600",
        "found_at": "2026-05-09T02:20:00Z",
    },
    "HazardActionInput": {
        "action": "record_interim_measures",
        "version": 1,
        "interim_measures": "设置锥桶和警示标志",
    },
    "RepairInput": {
        "client_uuid": "c3a8e2d1-5f6b-4a79-b0c4-1e2d3f4a5b66",
        "kind": "shoulder",
        "road": "G30",
        "direction": "up",
        "side": "right",
        "stake": "K3509+000",
        "end_stake": "K3509+400",
        "completed_on": "2026-05-09",
        "area_m2": 640,
        "materials": [{"name": "级配碎石", "quantity": 38, "unit": "m3"}],
        "crew": "养护一工区",
    },
    "SurveyRecordInput": {
        "road": "G30",
        "direction": "up",
        "stake": "K3505+300",
        "family": "pavement",
        "item_code": "alligator_cracking",
        "severity": "heavy",
        "quantity": 12,
    },
}
