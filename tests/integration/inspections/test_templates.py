"""The branch's own checklists: defaults seeded, created, replaced, deactivated."""

from sqlalchemy import func, select

from inspection.inspections.models import InspectionTemplate, InspectionTemplateItem

URL = "/api/v1/inspection-templates"
ITEMS = [
    {"section": "fire_safety", "name": "灭火器在有效期内", "hazard_category": "fire_safety"},
    {"section": "electricity", "name": "配电箱上锁", "hazard_category": "electrical"},
]


def test_the_default_checklists_are_there(client, crew):
    _, headers = crew("manager")
    templates = client.get(URL, headers=headers).get_json()["templates"]
    assert {t["kind"] for t in templates} >= {
        None,
        "seasonal",
        "special",
        "special_period",
        "routine",
    }
    one = client.get(f"{URL}/{templates[0]['id']}", headers=headers).get_json()
    assert one["items"][0]["section_label"] and one["items"][0]["position"] == 1


def test_create_replace_and_deactivate(client, db_session, crew):
    _, headers = crew("safety_officer")
    made = client.post(
        URL, json={"name": "冬季消防检查表", "kind": "special", "items": ITEMS}, headers=headers
    )
    assert made.status_code == 201, made.get_json()
    template = made.get_json()
    assert [i["name"] for i in template["items"]] == ["灭火器在有效期内", "配电箱上锁"]
    replaced = client.put(
        f"{URL}/{template['id']}",
        json={"name": "冬季消防检查表（修订）", "kind": None, "items": ITEMS[1:], "active": False},
        headers=headers,
    )
    assert replaced.status_code == 200
    assert replaced.get_json()["items"][0] == {
        **replaced.get_json()["items"][0],
        "position": 1,
        "name": "配电箱上锁",
    }
    assert replaced.get_json()["active"] is False and replaced.get_json()["kind"] is None
    assert (
        db_session.scalar(
            select(func.count())
            .select_from(InspectionTemplateItem)
            .where(InspectionTemplateItem.template_id == template["id"])
        )
        == 1
    )
    active = client.get(f"{URL}?active=1", headers=headers).get_json()["templates"]
    assert template["id"] not in {t["id"] for t in active}


def test_bad_templates_save_nothing(client, db_session, crew):
    _, headers = crew("safety_officer")
    before = db_session.scalar(select(func.count()).select_from(InspectionTemplate))
    existing = client.get(URL, headers=headers).get_json()["templates"][0]["name"]
    for sent, field in (
        ({"name": "无名项", "items": [{**ITEMS[0], "name": " "}]}, "items.0.name"),
        (
            {
                "name": "无名项",
                "items": [ITEMS[0], {"section": "fire_safety", "hazard_category": "other"}],
            },
            "items.1.name",
        ),
        (
            {"name": "错类", "items": [{**ITEMS[0], "hazard_category": "volcano"}]},
            "items.0.hazard_category",
        ),
        ({"name": "错节", "items": [{**ITEMS[0], "section": "kitchen"}]}, "items.0.section"),
        ({"name": "", "items": ITEMS}, "name"),
        ({"name": "空表", "items": []}, "items"),
        ({"name": existing, "items": ITEMS}, "name"),
        ({"name": "错种", "kind": "weekly", "items": ITEMS}, "kind"),
    ):
        answer = client.post(URL, json=sent, headers=headers)
        assert answer.status_code == 422, (sent, answer.get_json())
        assert field in answer.get_json()["error"]["fields"]
    assert db_session.scalar(select(func.count()).select_from(InspectionTemplate)) == before
    assert (
        client.put(f"{URL}/999999", json={"name": "x", "items": ITEMS}, headers=headers).status_code
        == 404
    )
