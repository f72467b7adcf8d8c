"""Parsing a repair's JSON: every bad field named at once, materials and findings shaped."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from inspection.errors import ValidationError
from inspection.repairs.schemas import MaterialInput, parse_repair

UUID = str(uuid.uuid4())


def body(**overrides) -> dict:
    value = {
        "client_uuid": UUID,
        "kind": "pothole",
        "road": "G30",
        "stake": "K3505+120",
        "completed_on": "2026-05-01",
        "area_m2": "3.5",
        "count": 2,
    }
    value.update(overrides)
    return value


def fields_of(raw: dict) -> set[str]:
    with pytest.raises(ValidationError) as error:
        parse_repair(raw)
    return set(error.value.fields)


def test_a_good_body_is_typed():
    parsed = parse_repair(body(materials=[{"name": " 冷补料 ", "quantity": "0.8", "unit": "t"}]))
    assert parsed.client_uuid == uuid.UUID(UUID)
    assert parsed.completed_on == date(2026, 5, 1)
    assert (parsed.area_m2, parsed.count) == (3.5, 2)
    assert parsed.materials == (MaterialInput("冷补料", 0.8, "t"),)
    assert parsed.end_stake == ""
    assert parsed.findings == ()


def test_required_fields_are_named():
    assert fields_of({}) == {"client_uuid", "kind", "road", "stake", "completed_on"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"completed_on": "2026-13-01"}, "completed_on"),
        ({"count": 2.5}, "count"),
        ({"count": 0}, "count"),
        ({"depth_mm": 0}, "depth_mm"),
        ({"cost_yuan": -5}, "cost_yuan"),
        ({"side": "up"}, "side"),
        ({"direction": "north"}, "direction"),
        ({"area_m2": "lots"}, "area_m2"),
        ({"materials": "asphalt"}, "materials"),
        ({"materials": [{"name": "沥青", "quantity": 2, "unit": "桶"}]}, "materials.0.unit"),
        ({"materials": [{"name": "沥青", "quantity": 0, "unit": "t"}]}, "materials.0.quantity"),
        ({"materials": [{"quantity": 2, "unit": "t"}]}, "materials.0.name"),
        ({"findings": "abc"}, "findings"),
        ({"findings": ["abc"]}, "findings"),
    ],
)
def test_bad_values_name_their_field(overrides, field):
    assert field in fields_of(body(**overrides))


def test_empty_material_rows_are_skipped_and_findings_deduplicated():
    finding = uuid.uuid4()
    parsed = parse_repair(
        body(
            materials=[
                {"name": "", "quantity": None, "unit": "t"},
                {"name": "碎石", "quantity": 3, "unit": "m3"},
            ],
            findings=[str(finding), str(finding).upper()],
        )
    )
    assert parsed.materials == (MaterialInput("碎石", 3.0, "m3"),)
    assert parsed.findings == (finding,)


@pytest.mark.parametrize("name", ["count", "area_m2", "cost_yuan", "depth_mm"])
def test_numbers_beyond_any_repair_are_refused(name):
    assert name in fields_of(body(**{name: 10**12}))
