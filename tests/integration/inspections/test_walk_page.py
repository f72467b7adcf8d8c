"""The phone page for walking a checklist carries what it needs offline (its JSON blocks)."""

import json
import re

from inspection.inspections.models import InspectionTemplate, InspectionTemplateItem


def block(html: str, name: str):
    match = re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', html, re.S)
    assert match, f"no JSON block {name}"
    return json.loads(match.group(1))


def test_walk_page_embeds_active_templates_and_sites(client, db_session, login_as, sites):
    officer = login_as("safety_officer")
    retired = sites["service"]
    retired.active = False
    db_session.add(
        InspectionTemplate(
            name="停用的检查表",
            kind="routine",
            active=False,
            items=[
                InspectionTemplateItem(
                    position=1, section="other", name="旧项目", hazard_category="other"
                )
            ],
        )
    )
    db_session.flush()

    page = client.get("/field/inspection", headers={"Accept-Language": "zh-CN"})

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-page-source="network"' in html  # the service worker marks its copy
    context = block(html, "walk-context")
    assert context["leader_id"] == officer.id
    assert "look_back" not in context["kinds"] and "routine" in context["kinds"]
    names = {t["name"] for t in context["templates"]}
    assert "停用的检查表" not in names
    assert names  # the migration's default checklists
    item = context["templates"][0]["items"][0]
    assert set(item) == {"position", "section", "section_label", "name", "hazard_category"}
    by_name = {s["name"]: s for s in context["sites"]}
    assert "测试服务区" not in by_name
    toll = by_name["测试收费站"]
    assert toll["id"] == sites["toll"].id and toll["kind"] == "toll_station"
    assert isinstance(toll["lon"], float) and isinstance(toll["lat"], float)
    words = block(html, "walk-words")
    assert "%(distance)s" in words["distance"]


def test_field_home_links_the_walk_for_officers_only(client, login_as):
    login_as("safety_officer")
    assert 'id="walk-link"' in client.get("/field/").get_data(as_text=True)
    login_as("patrol")
    assert 'id="walk-link"' not in client.get("/field/").get_data(as_text=True)
