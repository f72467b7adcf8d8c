"""Voiding a pre-trip check recorded in error (#16): reason, idempotence, who may, blocking."""

import pytest
from sqlalchemy import select

from inspection.crew import pretrip
from inspection.crew.models import PretripCheck
from inspection.errors import NotPermitted
from tests.conftest import csrf_token_from
from tests.integration.crew.test_pretrip_api import CHECKS, start
from tests.integration.helpers import new_uuid

PATROLS = "/api/v1/patrols"


def void_url(check_uuid: str) -> str:
    return f"{CHECKS}/{check_uuid}/void"


def record(client, headers, body) -> dict:
    answer = client.post(CHECKS, json=body, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_a_reason_is_required_and_nothing_changes_without_one(
    client, crew, make_unit, make_driver, check_body, db_session
):
    _, crew_headers = crew()
    _, officer_headers = crew("safety_officer")
    failed = record(client, crew_headers, check_body(make_unit(), make_driver(), alcohol_mg=30))
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        refused = client.post(void_url(failed["uuid"]), json=body, headers=officer_headers)
        assert refused.status_code == 422, body
        error = refused.get_json()["error"]
        # Chinese by default.
        assert error["message"] == "请填写作废原因。"
        assert set(error["fields"]) == {"reason"}
    check = db_session.scalar(select(PretripCheck))
    db_session.refresh(check)
    assert (check.voided_at, check.void_reason, check.voided_by_id) == (None, None, None)
    assert (
        client.get(f"{CHECKS}/{failed['uuid']}", headers=officer_headers).get_json()["voided"]
        is False
    )


def test_voiding_twice_keeps_the_first_reason_and_officer(
    client, crew, make_unit, make_driver, check_body, db_session
):
    _, crew_headers = crew()
    officer, officer_headers = crew("safety_officer")
    _, manager_headers = crew("manager")
    failed = record(client, crew_headers, check_body(make_unit(), make_driver(), alcohol_mg=30))
    first = client.post(
        void_url(failed["uuid"]), json={"reason": "车辆选错"}, headers=officer_headers
    )
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["voided"] is True and first.get_json()["void_reason"] == "车辆选错"
    again = client.post(
        void_url(failed["uuid"]), json={"reason": "另一原因"}, headers=manager_headers
    )
    assert again.status_code == 200
    assert again.get_json()["void_reason"] == "车辆选错"
    check = db_session.scalar(select(PretripCheck))
    db_session.refresh(check)
    assert check.void_reason == "车辆选错" and check.voided_by_id == officer.id
    # Left out of the list unless asked for; the detail shows it voided.
    assert client.get(CHECKS, headers=officer_headers).get_json()["total"] == 0
    listed = client.get(f"{CHECKS}?voided=1", headers=officer_headers).get_json()
    assert listed["total"] == 1 and listed["checks"][0]["voided"] is True
    detail = client.get(f"{CHECKS}/{failed['uuid']}", headers=crew_headers).get_json()
    assert detail["voided"] is True and detail["void_reason"] == "车辆选错"
    for missing in (new_uuid(), "nonsense"):
        answer = client.post(void_url(missing), json={"reason": "x"}, headers=officer_headers)
        assert answer.status_code == 404


def test_only_officers_and_managers_may_void(
    client, crew, make_unit, make_driver, check_body, db_session, make_user
):
    recorder, crew_headers = crew()
    _, machinery_headers = crew("machinery")
    failed = record(client, crew_headers, check_body(make_unit(), make_driver(), alcohol_mg=30))
    for headers in (crew_headers, machinery_headers):  # not even the crew member who recorded it
        answer = client.post(void_url(failed["uuid"]), json={"reason": "误测"}, headers=headers)
        assert answer.status_code == 403
    check = db_session.scalar(select(PretripCheck))
    with pytest.raises(NotPermitted):
        pretrip.void_check(db_session, check, "误测", actor=recorder)
    assert check.voided_at is None


def test_a_voided_failed_check_no_longer_blocks_the_patrol_start(
    client, roads, crew, make_unit, make_driver, check_body, english
):
    _, crew_headers = crew()
    _, officer_headers = crew("safety_officer")
    unit, driver = make_unit("新A66666"), make_driver("周师傅")
    # A breathalyser misread (and a fault ticked on the wrong vehicle): both are blocked.
    body = check_body(unit, driver, alcohol_mg=45, faults={"brakes": False})
    failed = record(client, crew_headers, body)
    refused = client.post(PATROLS, json=start(unit, driver), headers=crew_headers)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "pretrip_failed"
    assert set(refused.get_json()["error"]["fields"]) == {"vehicle_id", "driver_id"}
    voided = client.post(
        void_url(failed["uuid"]), json={"reason": "酒精测试仪误读"}, headers=officer_headers
    )
    assert voided.status_code == 200
    # No other check that day: nothing blocks any more.
    assert client.post(PATROLS, json=start(unit, driver), headers=crew_headers).status_code == 201


def test_an_older_failed_check_blocks_again_when_the_newer_passed_one_is_voided(
    client, roads, crew, make_unit, make_driver, check_body, english
):
    _, crew_headers = crew()
    _, officer_headers = crew("safety_officer")
    unit, driver = make_unit(), make_driver("吴师傅")
    record(
        client,
        crew_headers,
        check_body(
            unit, driver, systolic=175, diastolic=95, checked_at="2026-05-01T07:00:00+08:00"
        ),
    )
    # The "re-check" was in truth another driver's: it is voided.
    recheck = record(
        client, crew_headers, check_body(unit, driver, checked_at="2026-05-01T07:30:00+08:00")
    )
    assert client.post(PATROLS, json=start(unit, driver), headers=crew_headers).status_code == 201
    assert (
        client.post(void_url(recheck["uuid"]), json={"reason": "司机选错"}, headers=officer_headers)
    ).status_code == 200
    refused = client.post(PATROLS, json=start(unit, driver), headers=crew_headers)
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "pretrip_failed" and set(error["fields"]) == {"driver_id"}
    assert "吴师傅" in error["message"] and "blood-pressure test" in error["message"]


def test_void_from_the_detail_page(
    client, crew, login_as, make_unit, make_driver, check_body, db_session, english
):
    _, crew_headers = crew()
    failed = record(client, crew_headers, check_body(make_unit(), make_driver(), alcohol_mg=30))
    page_url = f"/crew/pretrip/{failed['id']}"
    url = f"{page_url}/void"
    login_as("patrol")
    assert "Void this pre-trip check" not in client.get(page_url).get_data(as_text=True)
    login_as("safety_officer")
    detail = client.get(page_url).get_data(as_text=True)
    assert "Void this pre-trip check" in detail
    token = csrf_token_from(detail)
    refused = client.post(url, data={"csrf_token": token, "reason": ""}, follow_redirects=True)
    assert "Give a reason for voiding." in refused.get_data(as_text=True)
    assert db_session.scalar(select(PretripCheck.voided_at)) is None
    # A reason past its length is said on the page too (a flash, not an error page).
    too_long = client.post(
        url, data={"csrf_token": token, "reason": "误" * 5000}, follow_redirects=True
    )
    assert too_long.status_code == 200 and "flash-error" in too_long.get_data(as_text=True)
    assert db_session.scalar(select(PretripCheck.voided_at)) is None
    done = client.post(url, data={"csrf_token": token, "reason": "误测"}, follow_redirects=True)
    html = done.get_data(as_text=True)
    assert done.status_code == 200
    assert "The pre-trip check is void: it no longer blocks the vehicle or driver." in html
    assert "Voided" in html and "误测" in html and "Void this pre-trip check" not in html
    assert db_session.scalar(select(PretripCheck.void_reason)) == "误测"
    assert "0 checks" in client.get("/crew/pretrip").get_data(as_text=True)
    # Without the CSRF token the form is refused.
    assert client.post(url, data={"reason": "x"}).status_code == 400


def test_the_page_speaks_chinese_by_default(
    client, crew, login_as, make_unit, make_driver, check_body
):
    _, crew_headers = crew()
    failed = record(client, crew_headers, check_body(make_unit(), make_driver(), alcohol_mg=30))
    login_as("safety_officer")
    page_url = f"/crew/pretrip/{failed['id']}"
    token = csrf_token_from(client.get(page_url).get_data(as_text=True))
    refused = client.post(
        f"{page_url}/void", data={"csrf_token": token, "reason": " "}, follow_redirects=True
    )
    assert "请填写作废原因。" in refused.get_data(as_text=True)
