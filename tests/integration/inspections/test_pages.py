"""The desktop pages: register, new inspection, answering, re-checks, checklists."""

import re

from sqlalchemy import func, select

from inspection.hazards.models import Hazard
from inspection.inspections.models import Inspection, InspectionTemplate
from inspection.web import branch_today
from tests.conftest import csrf_token_from


def today(app):
    with app.app_context():
        return branch_today()


def new_form(client, app, **fields):
    page = client.get("/inspections/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    client_uuid = re.search(
        r'id="client_uuid" name="client_uuid" type="hidden" value="([^"]+)"', html
    ).group(1)
    data = {
        "csrf_token": csrf_token_from(html),
        "client_uuid": client_uuid,
        "kind": "seasonal",
        "theme": "节前安全大检查",
        "started_on": today(app).isoformat(),
        "ended_on": today(app).isoformat(),
        "leader_user_id": "",
        "template_id": "",
    }
    data.update(fields)
    return data


def test_the_pages_render_and_the_form_creates_one(
    app, client, db_session, login_as, sites, english
):
    login_as("safety_officer")
    for path in ("/inspections/", "/inspections/templates/", "/inspections/templates/new"):
        assert client.get(path).status_code == 200, path
    template = db_session.scalars(
        select(InspectionTemplate).where(InspectionTemplate.kind == "seasonal")
    ).first()
    data = new_form(
        client,
        app,
        site_ids=[str(sites["toll"].id), str(sites["service"].id)],
        **{
            "sections-0-road": "G30/up",
            "sections-0-start_stake": "K3500+000",
            "sections-0-end_stake": "K3510+000",
        },
        member_names="王师傅\n李师傅",
        template_id=str(template.id),
    )
    answer = client.post("/inspections/new", data=data)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:2000]
    inspection = db_session.scalars(select(Inspection)).one()
    assert [m.name for m in inspection.members] == ["王师傅", "李师傅"]
    assert len(inspection.sites) == 2 and len(inspection.sections) == 1
    assert len(inspection.items) == len(template.items)
    # A double submit of the same form is the same inspection.
    assert client.post("/inspections/new", data=data).status_code == 303
    assert db_session.scalar(select(func.count()).select_from(Inspection)) == 1

    detail = client.get(answer.headers["Location"])
    assert detail.status_code == 200
    html = detail.get_data(as_text=True)
    assert "节前安全大检查" in html and "测试收费站" in html
    first = inspection.items[0]
    answered = client.post(
        f"/inspections/{inspection.id}/answers",
        data={
            "csrf_token": csrf_token_from(html),
            f"result-{first.id}": "does_not_meet",
            f"place-{first.id}": f"site:{sites['toll'].id}",
            f"note-{first.id}": "灭火器过期",
        },
    )
    assert answered.status_code == 303
    hazard = db_session.scalars(select(Hazard)).one()
    assert (hazard.source, hazard.site_id) == ("self_inspection", sites["toll"].id)
    assert hazard.number in client.get(f"/inspections/{inspection.id}").get_data(as_text=True)


def test_a_refused_form_shows_what_was_typed(app, client, db_session, login_as, sites, english):
    login_as("safety_officer")
    data = new_form(client, app, theme="保留我输入的主题", started_on="0001-01-01")
    answer = client.post("/inspections/new", data=data)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "保留我输入的主题" in html
    assert "Choose at least one site or road section to inspect." in html
    assert "before 2000" in html
    assert db_session.scalar(select(func.count()).select_from(Inspection)) == 0


def test_a_refused_answer_shows_the_page_again(app, client, db_session, login_as, sites, english):
    login_as("safety_officer")
    data = new_form(
        client,
        app,
        site_ids=[str(sites["toll"].id), str(sites["service"].id)],
        template_id=str(db_session.scalars(select(InspectionTemplate)).first().id),
        kind="routine",
    )
    location = client.post("/inspections/new", data=data).headers["Location"]
    inspection = db_session.scalars(select(Inspection)).one()
    item = inspection.items[0]
    html = client.get(location).get_data(as_text=True)
    refused = client.post(
        f"/inspections/{inspection.id}/answers",
        data={
            "csrf_token": csrf_token_from(html),
            f"result-{item.id}": "does_not_meet",
            f"note-{item.id}": "记下的备注",
        },
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "记下的备注" in page and "Say where it does not meet" in page
    assert db_session.scalar(select(func.count()).select_from(Hazard)) == 0


def test_the_template_form_names_an_item_without_a_name(app, client, db_session, login_as, english):
    login_as("safety_officer")
    html = client.get("/inspections/templates/new").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        "name": "新检查表",
        "kind": "",
        "items-0-section": "fire_safety",
        "items-0-name": "灭火器完好",
        "items-0-hazard_category": "fire_safety",
        "items-1-section": "electricity",
        "items-1-name": "",
        "items-1-hazard_category": "electrical",
    }
    refused = client.post("/inspections/templates/new", data=data)
    assert refused.status_code == 422
    assert "Name the checklist item." in refused.get_data(as_text=True)
    assert "灭火器完好" in refused.get_data(as_text=True)
    data["items-1-name"] = "配电箱上锁"
    assert client.post("/inspections/templates/new", data=data).status_code == 303
    template = db_session.scalars(
        select(InspectionTemplate).where(InspectionTemplate.name == "新检查表")
    ).one()
    assert [i.name for i in template.items] == ["灭火器完好", "配电箱上锁"]
    edit = client.get(f"/inspections/templates/{template.id}")
    assert edit.status_code == 200 and "配电箱上锁" in edit.get_data(as_text=True)
    off = client.post(
        f"/inspections/templates/{template.id}/active",
        data={"csrf_token": data["csrf_token"], "active": "0"},
    )
    db_session.refresh(template)
    assert off.status_code == 303 and template.active is False


def test_managers_read_the_pages_but_may_not_write(app, client, db_session, login_as, sites):
    login_as("manager")
    assert client.get("/inspections/").status_code == 200
    assert client.get("/inspections/new").status_code == 403
    assert client.post("/inspections/new", data={}).status_code == 403
    assert client.post("/inspections/1/answers", data={}).status_code == 403


def test_a_look_back_page_rechecks_with_its_buttons(
    app, client, db_session, login_as, sites, road_hazard, close_hazard, english
):
    login_as("safety_officer")
    hazard = close_hazard(road_hazard("K3505+000"))
    day = today(app)
    data = new_form(
        client,
        app,
        kind="look_back",
        recheck_from=day.replace(day=1).isoformat(),
        recheck_to=day.isoformat(),
        **{
            "sections-0-road": "G30/up",
            "sections-0-start_stake": "K3504+000",
            "sections-0-end_stake": "K3506+000",
        },
    )
    location = client.post("/inspections/new", data=data).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert hazard.number in html and 'value="relapsed"' in html
    inspection = db_session.scalars(select(Inspection)).one()
    url = f"/inspections/{inspection.id}/rechecks"
    form = {
        "csrf_token": csrf_token_from(html),
        "hazard_id": str(hazard.id),
        "version": str(hazard.version),
    }
    refused = client.post(url, data={**form, "outcome": "relapsed", "note": ""})
    assert refused.status_code == 422
    assert "Say how the hazard relapsed" in refused.get_data(as_text=True)
    assert client.post(url, data={**form, "outcome": "holds", "note": "未反弹"}).status_code == 303
    db_session.refresh(hazard)
    assert hazard.state == "closed" and hazard.events[-1].action == "recheck"
    assert "Rectification holds" in client.get(location).get_data(as_text=True)
