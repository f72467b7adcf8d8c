"""The pre-trip check pages (#16): the phone form, the list, one check, the settings, the day."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from inspection.crew.models import Briefing, BriefingAttendee, PretripCheck
from tests.conftest import csrf_token_from
from tests.integration.helpers import new_uuid

ZONE = ZoneInfo("Asia/Shanghai")


def block(html: str, name: str) -> dict:
    match = re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', html, re.S)
    assert match, name
    return json.loads(match.group(1))


def test_the_phone_page_embeds_units_drivers_and_thresholds(
    client, login_as, make_unit, make_driver, english
):
    user = login_as("patrol")
    fit, sealed = make_unit("新A11111"), make_unit("新A22222", status="sealed")
    mine, retired = make_driver(user=user), make_driver(active=False)
    page = client.get("/field/pretrip")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    context = block(html, "pretrip-context")
    assert [v["id"] for v in context["vehicles"]] == [fit.id]
    assert sealed.id not in [v["id"] for v in context["vehicles"]]
    assert [d["id"] for d in context["drivers"]] == [mine.id]
    assert retired.id not in [d["id"] for d in context["drivers"]]
    assert context["thresholds"]["alcohol_drink_mg"] == 20.0
    assert len(context["items"]) == 8
    assert 'inputmode="decimal"' in html and 'inputmode="numeric"' in html
    assert "pretrip_form.js" in html


def test_the_form_posts_without_the_script(
    client, login_as, make_unit, make_driver, db_session, english
):
    login_as("patrol")
    unit, driver = make_unit(), make_driver()
    token = csrf_token_from(client.get("/field/pretrip").get_data(as_text=True))
    form = {
        "csrf_token": token,
        "client_uuid": new_uuid(),
        "vehicle_id": str(unit.id),
        "driver_id": str(driver.id),
        "alcohol_mg": "0",
        "systolic": "0",
        "diastolic": "0",
        # Every item ticked but the brakes.
        **{
            f"item_{c}": "ok"
            for c in (
                "lights",
                "tyres",
                "steering",
                "warning_lights",
                "cones_signs",
                "fire_extinguisher",
                "first_aid",
            )
        },
    }
    refused = client.post("/field/pretrip", data=form)
    assert refused.status_code == 422
    assert "Not a plausible systolic pressure" in refused.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(PretripCheck)) == 0
    saved = client.post("/field/pretrip", data={**form, "systolic": "120", "diastolic": "80"})
    assert saved.status_code == 302
    check = db_session.scalar(select(PretripCheck))
    assert check.vehicle_passed is False and check.vehicle_items["brakes"] is False
    assert check.alcohol_passed and check.blood_pressure_passed


def test_list_and_detail_show_values_only_to_officers(
    client, crew, login_as, make_unit, make_driver, check_body, english
):
    _, headers = crew()
    unit, driver = make_unit("新A55555"), make_driver("赵师傅")
    body = check_body(unit, driver, alcohol_mg=33.3, systolic=171, diastolic=99)
    check_id = client.post("/api/v1/pretrip-checks", json=body, headers=headers).get_json()["id"]
    login_as("patrol")
    listed = client.get("/crew/pretrip?failed=1").get_data(as_text=True)
    assert "新A55555" in listed and "赵师傅" in listed and "Failed" in listed
    assert "33.3" not in listed and "171" not in listed
    detail = client.get(f"/crew/pretrip/{check_id}").get_data(as_text=True)
    assert "Drink-driving level" in detail and "33.3" not in detail
    assert "Only safety officers, managers and the driver see the readings." in detail
    login_as("safety_officer")
    detail = client.get(f"/crew/pretrip/{check_id}").get_data(as_text=True)
    assert "33.3" in detail and "171/99" in detail
    assert client.get("/crew/pretrip?day=2026-05-02").status_code == 200
    assert "0 checks" in client.get("/crew/pretrip?day=2026-05-02").get_data(as_text=True)
    assert client.get("/crew/pretrip/999999").status_code == 404


def test_the_settings_page(client, login_as, english):
    login_as("safety_officer")
    page = client.get("/crew/settings")
    token = csrf_token_from(page.get_data(as_text=True))
    values = {
        "csrf_token": token,
        "alcohol_drink_mg": "20",
        "alcohol_drunk_mg": "10",
        "systolic_max": "160",
        "diastolic_max": "100",
        "retention_days": "365",
    }
    refused = client.post("/crew/settings", data=values)
    assert refused.status_code == 422
    assert "cannot be below the drink-driving one" in refused.get_data(as_text=True)
    assert (
        client.post(
            "/crew/settings", data={**values, "alcohol_drunk_mg": "80", "retention_days": "400"}
        ).status_code
        == 302
    )
    assert client.get("/api/v1/crew-safety-settings").get_json()["retention_days"] == 400


def test_the_daily_view(
    client,
    crew,
    login_as,
    make_user,
    make_unit,
    make_driver,
    check_body,
    roads,
    db_session,
    english,
):
    member, headers = crew()
    today = datetime.now(ZONE).date()
    at = datetime.combine(today, datetime.min.time(), ZONE) + timedelta(hours=7)
    at = min(at, datetime.now(ZONE))  # today, and not in the future
    iso = at.isoformat()
    unit, bad_unit, spare = make_unit("新A10001"), make_unit("新A10002"), make_unit("新A10003")
    briefed = make_driver("钱师傅", user=member)
    unchecked = make_driver("孙师傅")
    failed = make_driver("李师傅")
    client.post(
        "/api/v1/pretrip-checks", json=check_body(unit, briefed, checked_at=iso), headers=headers
    )
    client.post(
        "/api/v1/pretrip-checks",
        json=check_body(bad_unit, failed, alcohol_mg=85, checked_at=iso),
        headers=headers,
    )
    briefing = Briefing(
        client_uuid=new_uuid(),
        held_at=at,
        crew="一班",
        leader_name="王班长",
        topic_text="作业区安全布设",
        created_by_id=member.id,
    )
    db_session.add(briefing)
    db_session.flush()
    db_session.add(BriefingAttendee(briefing_id=briefing.id, user_id=member.id, name="钱师傅"))
    db_session.flush()
    started = {
        "road": "G30",
        "direction": "up",
        "kind": "routine",
        "crew": "一班",
        "started_at": iso,
    }
    assert (
        client.post(
            "/api/v1/patrols",
            json={
                **started,
                "client_uuid": new_uuid(),
                "vehicle_id": unit.id,
                "driver_id": briefed.id,
            },
            headers=headers,
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/v1/patrols",
            json={
                **started,
                "client_uuid": new_uuid(),
                "crew": "二班",
                "vehicle_id": spare.id,
                "driver_id": unchecked.id,
            },
            headers=headers,
        ).status_code
        == 201
    )
    login_as("safety_officer")
    html = client.get("/crew/today").get_data(as_text=True)
    assert "Crew safety today" in html
    failed_part = html.split('id="today-failed"')[1].split("</section>")[0]
    assert (
        "新A10002" in failed_part
        and "李师傅" in failed_part
        and "Drunk-driving level" in failed_part
    )
    assert "85" not in failed_part  # no reading on the daily view
    unchecked_part = html.split('id="today-unchecked"')[1].split("</section>")[0]
    assert "孙师傅" in unchecked_part and "新A10003" in unchecked_part and "二班" in unchecked_part
    assert "钱师傅" not in unchecked_part
    drivers_part = html.split('id="today-drivers"')[1].split("</section>")[0]
    row = drivers_part.split(f'data-driver="{briefed.id}"')[1].split("</tr>")[0]
    assert "Yes" in row and "Passed" in row
    row = drivers_part.split(f'data-driver="{failed.id}"')[1].split("</tr>")[0]
    assert "Failed" in row
    crews_part = html.split('id="today-crews"')[1].split("</section>")[0]
    assert "一班" in crews_part and "二班" in crews_part
    other_day = client.get("/crew/today?day=2026-01-01").get_data(as_text=True)
    assert "Crew safety on 2026-01-01" in other_day and "新A10002" not in other_day
