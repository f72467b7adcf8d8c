"""Pre-trip checks through the API (#16): recording, blocking the patrol start, who sees values."""

from sqlalchemy import func, select

from inspection.crew.models import PretripCheck
from inspection.patrols.models import Patrol
from tests.integration.helpers import new_uuid

CHECKS = "/api/v1/pretrip-checks"


def start(unit, driver, at="2026-05-01T09:00:00+08:00", **fields):
    return {
        "client_uuid": new_uuid(),
        "road": "G30",
        "direction": "up",
        "kind": "routine",
        "started_at": at,
        "vehicle_id": unit.id if unit is not None else None,
        "driver_id": driver.id if driver is not None else None,
        **fields,
    }


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def test_a_failed_alcohol_test_blocks_the_driver_that_day_until_a_passed_recheck(
    client, roads, crew, make_unit, make_driver, check_body, db_session, english
):
    _, headers = crew()
    unit, other_unit, driver = make_unit(), make_unit(), make_driver("李师傅")
    failed = client.post(
        CHECKS,
        json=check_body(unit, driver, alcohol_mg=25.5, checked_at="2026-05-01T07:30:00+08:00"),
        headers=headers,
    )
    assert failed.status_code == 201, failed.get_json()
    assert failed.get_json()["alcohol_result"] == "drink"
    assert failed.get_json()["passed"] is False
    # The driver may not start a patrol that day, whatever the vehicle; the message names the
    # driver and the test, never the reading.
    refused = client.post("/api/v1/patrols", json=start(other_unit, driver), headers=headers)
    assert refused.status_code == 422, refused.get_json()
    error = refused.get_json()["error"]
    assert error["code"] == "pretrip_failed"
    assert set(error["fields"]) == {"driver_id"}
    assert "李师傅" in error["message"] and "breath-alcohol test" in error["message"]
    assert "25.5" not in refused.get_data(as_text=True)
    assert error["pretrip"]["driver_failed"] and not error["pretrip"]["vehicle_failed"]
    assert error["pretrip"]["tests"] == ["alcohol_test"]
    # The vehicle itself passed: another driver may take it.
    other_driver = make_driver()
    assert (
        client.post("/api/v1/patrols", json=start(unit, other_driver), headers=headers).status_code
        == 201
    )
    # A passed re-check later that day releases the driver.
    recheck = check_body(unit, driver, alcohol_mg=0, checked_at="2026-05-01T08:30:00+08:00")
    assert client.post(CHECKS, json=recheck, headers=headers).status_code == 201
    assert (
        client.post("/api/v1/patrols", json=start(other_unit, driver), headers=headers).status_code
        == 201
    )
    assert count(db_session, Patrol) == 2


def test_the_next_day_is_not_blocked_and_no_check_does_not_block(
    client, roads, crew, make_unit, make_driver, check_body
):
    _, headers = crew()
    unit, driver = make_unit(), make_driver()
    body = check_body(unit, driver, alcohol_mg=90, systolic=170, diastolic=105)
    assert client.post(CHECKS, json=body, headers=headers).get_json()["alcohol_result"] == "drunk"
    same_day = start(unit, driver, "2026-05-01T23:30:00+08:00")
    assert client.post("/api/v1/patrols", json=same_day, headers=headers).status_code == 422
    # 2026-05-02 00:10 in Urumqi/Beijing time is still 2026-05-01 in UTC: the day is the branch's.
    next_day = start(unit, driver, "2026-05-02T00:10:00+08:00")
    assert client.post("/api/v1/patrols", json=next_day, headers=headers).status_code == 201
    fresh_unit, fresh_driver = make_unit(), make_driver()
    unchecked = start(fresh_unit, fresh_driver)
    assert client.post("/api/v1/patrols", json=unchecked, headers=headers).status_code == 201


def test_a_vehicle_fault_blocks_the_vehicle_not_the_driver(
    client, roads, crew, make_unit, make_driver, check_body, english
):
    _, headers = crew()
    unit, spare, driver = make_unit("新A77777"), make_unit(), make_driver()
    body = check_body(unit, driver, faults={"brakes": False, "tyres": False})
    answer = client.post(CHECKS, json=body, headers=headers).get_json()
    assert answer["vehicle_passed"] is False and answer["faults"] == ["brakes", "tyres"]
    refused = client.post("/api/v1/patrols", json=start(unit, make_driver()), headers=headers)
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert set(error["fields"]) == {"vehicle_id"}
    assert "新A77777" in error["message"] and "Brakes, Tyres" in error["message"]
    # Without a driver named, the vehicle is still blocked; the driver with another unit is not.
    assert (
        client.post("/api/v1/patrols", json=start(unit, None), headers=headers).status_code == 422
    )
    assert (
        client.post("/api/v1/patrols", json=start(spare, driver), headers=headers).status_code
        == 201
    )


def test_a_voided_or_replayed_start_is_not_refused_after_the_fact(
    client, roads, crew, make_unit, make_driver, check_body
):
    _, headers = crew()
    unit, driver = make_unit(), make_driver()
    started = start(unit, driver, "2026-05-01T07:00:00+08:00")
    assert client.post("/api/v1/patrols", json=started, headers=headers).status_code == 201
    client.post(CHECKS, json=check_body(unit, driver, systolic=180, diastolic=90), headers=headers)
    # The start that was stored before the failed check is answered as stored (a retry).
    assert client.post("/api/v1/patrols", json=started, headers=headers).status_code == 200


def test_values_are_shown_to_officers_and_the_driver_only(
    client, crew, make_user, make_unit, make_driver, check_body
):
    _, patrol_headers = crew("patrol")
    _, officer_headers = crew("safety_officer")
    _, manager_headers = crew("manager")
    _, machinery_headers = crew("machinery")
    driver_user, driver_headers = crew("patrol")
    unit, driver = make_unit(), make_driver(user=driver_user)
    body = check_body(unit, driver, alcohol_mg=12.5, systolic=150, diastolic=95)
    created = client.post(CHECKS, json=body, headers=patrol_headers)
    assert created.status_code == 201
    # The crew member who recorded it (not the driver, not an officer) gets pass/fail only.
    mine = created.get_json()
    assert mine["values_visible"] is False
    assert (mine["alcohol_mg"], mine["systolic"], mine["diastolic"]) == (None, None, None)
    assert mine["alcohol_passed"] is True and mine["blood_pressure_passed"] is True
    url = f"{CHECKS}/{body['client_uuid']}"
    for headers, sees in (
        (patrol_headers, False),
        (machinery_headers, False),
        (officer_headers, True),
        (manager_headers, True),
        (driver_headers, True),
    ):
        one = client.get(url, headers=headers).get_json()
        listed = client.get(CHECKS, headers=headers).get_json()["checks"][0]
        for answer in (one, listed):
            assert answer["values_visible"] is sees
            values = (answer["alcohol_mg"], answer["systolic"], answer["diastolic"])
            assert values == ((12.5, 150, 95) if sees else (None, None, None))
            assert answer["passed"] is True


def test_bad_input_is_refused_with_field_messages_and_nothing_saved(
    client, crew, make_unit, make_driver, check_body, db_session, english
):
    _, headers = crew()
    unit, driver = make_unit(), make_driver()
    sealed, scrapped = make_unit(status="sealed"), make_unit(status="scrapped")
    cases = [
        (dict(systolic=0, diastolic=0), {"systolic", "diastolic"}),
        (dict(systolic=400, diastolic=300), {"systolic", "diastolic"}),
        (dict(alcohol_mg=-1), {"alcohol_mg"}),
        (dict(alcohol_mg=12.25), {"alcohol_mg"}),
        (dict(systolic=120, diastolic=130), {"diastolic"}),
        (dict(vehicle_items={"brakes": True}), None),
        (dict(vehicle_items={"brakes": "yes"}), None),
    ]
    for fields, expected in cases:
        answer = client.post(CHECKS, json=check_body(unit, driver, **fields), headers=headers)
        assert answer.status_code == 422, fields
        named = set(answer.get_json()["error"]["fields"])
        if expected is not None:
            assert named == expected, (fields, answer.get_json())
        else:
            assert all(name.startswith("vehicle_items") for name in named), named
    for bad_unit in (sealed, scrapped):
        answer = client.post(CHECKS, json=check_body(bad_unit, driver), headers=headers)
        assert answer.status_code == 422
        assert "sealed or scrapped" in answer.get_json()["error"]["fields"]["vehicle_id"]
    retired = make_driver(active=False)
    answer = client.post(CHECKS, json=check_body(unit, retired), headers=headers)
    assert set(answer.get_json()["error"]["fields"]) == {"driver_id"}
    missing = check_body(unit, driver)
    del missing["vehicle_items"]
    answer = client.post(CHECKS, json=missing, headers=headers)
    assert answer.get_json()["error"]["fields"] == {
        "vehicle_items": "Answer every item of the checklist."
    }
    assert count(db_session, PretripCheck) == 0


def test_a_replay_is_answered_with_the_stored_check_and_a_taken_uuid_is_refused(
    client, crew, make_unit, make_driver, check_body, db_session
):
    _, headers = crew()
    _, other_headers = crew()
    unit, driver = make_unit(), make_driver()
    body = check_body(unit, driver, alcohol_mg=20)
    first = client.post(CHECKS, json=body, headers=headers)
    again = client.post(CHECKS, json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == again.get_json()
    assert first.get_json()["alcohol_result"] == "drink"
    changed = client.post(CHECKS, json={**body, "alcohol_mg": 0}, headers=headers)
    assert changed.status_code == 409
    assert changed.get_json()["error"]["code"] == "uuid_taken"
    other = client.post(CHECKS, json=body, headers=other_headers)
    assert other.status_code == 409
    assert count(db_session, PretripCheck) == 1


def test_list_filters(client, crew, make_unit, make_driver, check_body):
    _, headers = crew()
    unit, unit2, driver, driver2 = make_unit(), make_unit(), make_driver(), make_driver()
    client.post(CHECKS, json=check_body(unit, driver), headers=headers)
    client.post(CHECKS, json=check_body(unit2, driver2, faults={"lights": False}), headers=headers)
    client.post(
        CHECKS,
        json=check_body(unit, driver2, checked_at="2026-05-02T07:00:00+08:00"),
        headers=headers,
    )

    def total(query):
        return client.get(f"{CHECKS}?{query}", headers=headers).get_json()["total"]

    assert total("") == 3
    assert total("day=2026-05-01") == 2
    assert total(f"vehicle_id={unit.id}") == 2
    assert total(f"driver_id={driver2.id}") == 2
    assert total("failed=1") == 1
    assert client.get(f"{CHECKS}?failed=yes", headers=headers).status_code == 422
    assert client.get(f"{CHECKS}/{new_uuid()}", headers=headers).status_code == 404


def test_settings_are_read_by_crews_and_changed_by_officers(client, crew, english):
    _, crew_headers = crew()
    _, officer_headers = crew("safety_officer")
    url = "/api/v1/crew-safety-settings"
    assert client.get(url, headers=crew_headers).get_json() == {
        "alcohol_drink_mg": 20.0,
        "alcohol_drunk_mg": 80.0,
        "systolic_max": 160,
        "diastolic_max": 100,
        "retention_days": 365,
    }
    changed = {
        "alcohol_drink_mg": 19.5,
        "alcohol_drunk_mg": 80,
        "systolic_max": 150,
        "diastolic_max": 95,
        "retention_days": 730,
    }
    assert client.put(url, json=changed, headers=crew_headers).status_code == 403
    assert client.put(url, json=changed, headers=officer_headers).get_json()["systolic_max"] == 150
    bad = client.put(url, json={**changed, "alcohol_drunk_mg": 10}, headers=officer_headers)
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"alcohol_drunk_mg"}
    bad = client.put(url, json={**changed, "retention_days": 5}, headers=officer_headers)
    assert set(bad.get_json()["error"]["fields"]) == {"retention_days"}
