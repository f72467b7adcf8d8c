"""Parsing inspection, template and re-check bodies: every bad field named at once."""

import uuid

import pytest

from inspection.errors import ValidationError
from inspection.inspections import schemas


def fields_of(parse, body) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        parse(body)
    return set(caught.value.fields)


GOOD = {
    "client_uuid": str(uuid.uuid4()),
    "kind": "seasonal",
    "theme": "冬季检查",
    "started_on": "2026-11-20",
    "ended_on": "2026-11-21",
    "site_ids": [1, "2"],
    "sections": [
        {"road": "G30", "direction": "up", "start_stake": "K1+000", "end_stake": "K2+000"}
    ],
    "members": [{"user_id": 3}, {"name": "王师傅"}],
}


def test_a_good_body_parses():
    parsed = schemas.parse_inspection(GOOD)
    assert parsed.site_ids == (1, 2) and parsed.items is None
    assert parsed.members == (schemas.MemberInput(3, ""), schemas.MemberInput(None, "王师傅"))
    assert parsed.sections[0].start_stake == "K1+000"


@pytest.mark.parametrize("value", [2**40, 0, -1, "x", True, 1.5, [1], {"id": 1}, "１２"])
def test_record_ids_are_whole_numbers_in_the_database_range(value):
    errors = schemas.FieldErrors()
    assert schemas.record_id(value, "site_id", errors) is None
    assert "site_id" in errors.fields


def test_every_bad_field_is_named_at_once():
    body = {
        **GOOD,
        "client_uuid": "nope",
        "kind": "weekly",
        "theme": "x" * 300,
        "started_on": "2026-02-30",
        "site_ids": ["x"],
        "sections": [{"road": "", "start_stake": "K1+000"}],
        "members": ["王师傅"],
        "items": [{"name": "", "result": "maybe"}, "line"],
    }
    assert fields_of(schemas.parse_inspection, body) == {
        "client_uuid",
        "kind",
        "theme",
        "started_on",
        "site_ids",
        "sections.0.road",
        "sections.0.end_stake",
        "members.0",
        "items.0.name",
        "items.0.result",
        "items.1",
    }


def test_a_missing_theme_and_dates_are_named():
    body = {k: v for k, v in GOOD.items() if k not in ("theme", "started_on", "ended_on")}
    assert fields_of(schemas.parse_inspection, body) == {"theme", "started_on", "ended_on"}


def test_an_item_carries_what_the_body_gave():
    errors = schemas.FieldErrors()
    item = schemas.parse_item({"name": "灭火器", "result": "meets", "site_id": 4}, errors)
    assert not errors.fields
    assert (item.result, item.site_id, item.grade) == ("meets", 4, "general")
    assert item.given == {"name", "result", "site_id"}


def test_template_items_need_names_sections_and_categories():
    body = {
        "name": "表",
        "items": [
            {"section": "fire_safety", "name": " ", "hazard_category": "fire_safety"},
            {"section": "kitchen", "name": "x", "hazard_category": "volcano"},
        ],
    }
    assert fields_of(schemas.parse_template, body) == {
        "items.0.name",
        "items.1.section",
        "items.1.hazard_category",
    }
    assert fields_of(schemas.parse_template, {"name": "表", "items": []}) == {"items"}


def test_a_relapse_needs_its_reason_and_a_version():
    assert fields_of(schemas.parse_recheck, {"hazard_id": 1, "outcome": "relapsed"}) == {
        "note",
        "version",
    }
    parsed = schemas.parse_recheck({"hazard_id": "7", "outcome": "holds", "version": 3})
    assert (parsed.hazard_id, parsed.outcome, parsed.note, parsed.version) == (7, "holds", "", 3)
