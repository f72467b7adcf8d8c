import pytest

from tests.integration.helpers import new_uuid


@pytest.fixture(autouse=True)
def _read_in_english(english):
    """These tests read the messages in English."""


def shoulder(**overrides) -> dict:
    """The JSON of a shoulder repair on G30 over 300 m (the phone's and the API's shape)."""
    body = {
        "client_uuid": new_uuid(),
        "kind": "shoulder",
        "road": "G30",
        "direction": "up",
        "side": "right",
        "stake": "K3504+000",
        "end_stake": "K3504+300",
        "completed_on": "2026-05-01",
        "area_m2": 450,
        "materials": [
            {"name": "砂砾", "quantity": 30, "unit": "m3"},
            {"name": "水泥", "quantity": 1.5, "unit": "t"},
        ],
        "crew": "养护一班",
        "method": "人工整修、压实",
        "cost_yuan": 12500.5,
        "note": "右侧路肩",
    }
    body.update(overrides)
    return body


def pothole_finding(**overrides) -> dict:
    body = {
        "client_uuid": new_uuid(),
        "kind": "pothole",
        "road": "G30",
        "direction": "up",
        "stake": "K3505+120",
        "quantity": 1.5,
        "depth_mm": 40,
        "observed_at": "2026-04-20T10:30:00+08:00",
    }
    body.update(overrides)
    return body


@pytest.fixture
def finding_of(client):
    """Record a finding through the API as the given crew member; return its JSON."""

    def record(headers, **overrides) -> dict:
        answer = client.post("/api/v1/findings", json=pothole_finding(**overrides), headers=headers)
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()

    return record
