"""Work-zone pages (#16): the phone form (offline context, live flag data, no-JS post), the list
and detail with flags, removal and void, the minimums page, the repair page's expressway notice."""

import re

import pytest
from sqlalchemy import func, select

from inspection.crew.models import WorkZone, WorkZoneMinimum
from tests.conftest import csrf_token_from
from tests.integration.crew.test_work_zone_api import ZONES, repair, zone
from tests.integration.helpers import new_uuid


@pytest.fixture(autouse=True)
def _read_in_english(english):
    """These tests read the messages in English."""


def form_for(page_html: str, **fields) -> dict:
    return {"csrf_token": csrf_token_from(page_html), "client_uuid": new_uuid(), **fields}


def test_the_phone_form_embeds_minimums_and_posts_without_script(
    client, roads, login_as, db_session, crew
):
    user = login_as("patrol")
    page = client.get("/field/work-zone")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="zone-context"' in html and '"minimums"' in html and "work_zone_form.js" in html
    assert 'data-page-source="network"' in html
    _, headers = crew()
    fixed = repair(client, headers)
    chosen = client.get(f"/field/work-zone?repair={fixed['uuid']}").get_data(as_text=True)
    assert f'value="{fixed["uuid"]}" selected' in chosen
    answer = client.post(
        "/field/work-zone",
        data=form_for(
            html,
            link="repair",
            repair_uuid=fixed["uuid"],
            road="G30/up",
            from_stake="K3504+000",
            to_stake="K3504+300",
            lanes_closed="1",
            speed_limit_kmh="80",
            set_up_at="2026-05-01T09:10",
            part_warning="500",
            part_buffer="80",
            device_cone="1",
            count_cone="30",
            device_intrusion_radar="1",
        ),
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    stored = db_session.scalar(select(WorkZone))
    assert stored.created_by_id == user.id
    assert stored.set_up_at.isoformat() == "2026-05-01T01:10:00+00:00"
    detail = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "shorter than the minimum 1200 m" in detail and "Record the removal" in detail


def test_a_refused_post_keeps_what_was_typed_and_names_the_stake(client, roads, login_as):
    login_as("patrol")
    html = client.get("/field/work-zone").get_data(as_text=True)
    answer = client.post(
        "/field/work-zone",
        data=form_for(
            html,
            link="patrol",
            road="G30/up",
            from_stake="K3599+000",
            to_stake="K3504+300",
            lanes_closed="1",
            speed_limit_kmh="80",
            part_warning="1234",
        ),
    )
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "Not a stake of this road" in text and 'value="K3599+000"' in text
    assert 'value="1234"' in text


def test_list_detail_removal_and_void(client, roads, crew, login_as):
    user = login_as("patrol")
    from inspection.auth import services as auth_services

    token = auth_services.issue_token(client.application.extensions["sqlalchemy"].session, user)
    headers = {"Authorization": f"Bearer {token.token}"}
    fixed = repair(client, headers)
    short = zone({"repair_uuid": fixed["uuid"]}, parts=[{"part": "buffer", "length_m": 10}])
    stored = client.post(ZONES, json=short, headers=headers).get_json()
    listed = client.get("/crew/work-zones").get_data(as_text=True)
    assert stored["uuid"] in listed and "1 parts short" in listed
    assert stored["uuid"] in client.get("/crew/work-zones?flagged=1&alarm=1").get_data(as_text=True)
    assert stored["uuid"] not in client.get("/crew/work-zones?alarm=0").get_data(as_text=True)
    detail_url = f"/crew/work-zones/{stored['uuid']}"
    html = client.get(detail_url).get_data(as_text=True)
    assert "Judged by the minimums for 80 km/h." in html
    removed = client.post(
        f"{detail_url}/removed",
        data={"csrf_token": csrf_token_from(html), "removed_at": "2026-05-01T08:00"},
        follow_redirects=True,
    )
    assert "cannot be before the set-up" in removed.get_data(as_text=True)
    client.post(
        f"{detail_url}/removed",
        data={"csrf_token": csrf_token_from(html), "removed_at": "2026-05-01T17:00"},
    )
    assert "2026-05-01 17:00" in client.get(detail_url).get_data(as_text=True)
    client.post(f"{detail_url}/void", data={"csrf_token": csrf_token_from(html), "reason": "dup"})
    assert "Voided" in client.get(detail_url).get_data(as_text=True)
    assert client.get("/crew/work-zones/not-a-uuid").status_code == 404


def test_officers_edit_the_minimums_on_their_page(client, roads, login_as, db_session):
    login_as("safety_officer")
    html = client.get("/crew/work-zone-minimums").get_data(as_text=True)
    assert (
        'name="speed_0" type="number" min="5" max="130" step="1" inputmode="numeric" value="120"'
        in html
    )
    token = csrf_token_from(html)
    bad = client.post(
        "/crew/work-zone-minimums",
        data={"csrf_token": token, "speed_0": "80", "min_0_warning": "-5", "speed_1": ""},
    )
    assert bad.status_code == 422 and 'value="-5"' in bad.get_data(as_text=True)
    client.post(
        "/crew/work-zone-minimums",
        data={"csrf_token": token, "speed_0": "60", "min_0_warning": "700", "speed_1": ""},
    )
    rows = db_session.scalars(select(WorkZoneMinimum)).all()
    assert [(r.speed_limit_kmh, r.part, r.length_m) for r in rows] == [(60, "warning", 700.0)]
    assert db_session.scalar(select(func.count()).select_from(WorkZoneMinimum)) == 1


def test_an_expressway_repair_without_a_zone_is_flagged_on_its_page(
    client, roads, login_as, db_session
):
    user = login_as("patrol")
    from inspection.auth import services as auth_services

    token = auth_services.issue_token(db_session, user).token
    headers = {"Authorization": f"Bearer {token}"}
    roads["G30"].road_class = "expressway"
    db_session.flush()
    fixed = repair(client, headers)
    page = client.get(f"/repairs/{fixed['uuid']}").get_data(as_text=True)
    assert 'id="repair-zone-notice"' in page
    assert re.search(rf'href="/field/work-zone\?repair={fixed["uuid"]}"', page)
    client.post(ZONES, json=zone({"repair_uuid": fixed["uuid"]}), headers=headers)
    page = client.get(f"/repairs/{fixed['uuid']}").get_data(as_text=True)
    assert 'id="repair-zone-notice"' not in page and 'id="repair-zone-link"' in page
    # Not an expressway: no notice, only the link.
    roads["G30"].road_class = "class1"
    db_session.flush()
    other = repair(client, headers, stake="K3506+000", end_stake="K3506+200")
    assert 'id="repair-zone-notice"' not in client.get(f"/repairs/{other['uuid']}").get_data(
        as_text=True
    )
