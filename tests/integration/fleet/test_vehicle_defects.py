"""A crew reports a vehicle defect (phone, outbox): stored once per UUID, the unit → 待修."""

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from inspection.fleet import status
from inspection.fleet.models import Vehicle, VehicleDefect, VehicleStatusEvent
from tests.conftest import csrf_token_from, log_in

URL = "/api/v1/vehicle-defects"


@pytest.fixture
def unit(db_session, make_user):
    """A fit patrol vehicle registered on 2025-01-01 (made directly, with its register event)."""
    keeper = make_user("machinery")

    def build(number="新A10001", state="fit", **fields):
        vehicle = Vehicle(
            kind=fields.pop("kind", "patrol_vehicle"),
            number=number,
            number_key=number,
            status=state,
            registered_on=date(2025, 1, 1),
            **fields,
        )
        db_session.add(vehicle)
        db_session.add(status.register_event(vehicle, user_id=keeper.id))
        db_session.flush()
        return vehicle

    return build


def body(vehicle, *, text="左前轮胎漏气", at="2026-01-12T23:30:00+08:00", key=None):
    return {
        "client_uuid": str(key or uuid.uuid4()),
        "vehicle_id": vehicle.id,
        "description": text,
        "reported_at": at,
    }


def test_a_fit_unit_becomes_defective_once_and_a_retry_gets_the_stored_report(
    client, crew, unit, db_session
):
    user, headers = crew("patrol")
    vehicle = unit()
    sent = body(vehicle)
    first = client.post(URL, json=sent, headers=headers)
    assert first.status_code == 201, first.get_json()
    answer = first.get_json()
    assert answer["uuid"] == sent["client_uuid"]
    assert answer["vehicle"]["status"] == "defective"
    # 23:30 in Urumqi's branch time (Asia/Shanghai) is still 12 January.
    assert answer["status_change"] == {
        "from_status": "fit",
        "to_status": "defective",
        "on_date": "2026-01-12",
    }
    again = client.post(URL, json=sent, headers=headers)
    assert again.status_code == 200
    assert again.get_json()["id"] == answer["id"]
    assert db_session.scalar(select(func.count()).select_from(VehicleDefect)) == 1
    event = db_session.scalars(
        select(VehicleStatusEvent).where(VehicleStatusEvent.vehicle_id == vehicle.id)
    ).all()[-1]
    assert (event.to_status, event.reason, event.recorded_by_id) == (
        "defective",
        "左前轮胎漏气",
        user.id,
    )


def test_a_unit_already_out_of_order_keeps_its_status(client, crew, unit, db_session):
    _, headers = crew("patrol")
    vehicle = unit("新A10002", state="under_repair")
    answer = client.post(URL, json=body(vehicle, text="又漏油"), headers=headers)
    assert answer.status_code == 201
    assert answer.get_json()["status_change"] is None
    assert answer.get_json()["vehicle"]["status"] == "under_repair"
    listed = client.get(f"{URL}?vehicle_id={vehicle.id}", headers=headers)
    assert listed.status_code == 200
    assert [d["description"] for d in listed.get_json()["defects"]] == ["又漏油"]


@pytest.mark.parametrize("state", ["sealed", "scrapped"])
def test_sealed_and_scrapped_units_are_refused(client, crew, unit, db_session, state):
    _, headers = crew("patrol")
    vehicle = unit("新A10003", state="fit")
    # Seal or scrap it through the one place statuses change.
    change = status.StatusChange(
        to_status=status.VehicleStatus(state),
        on_date=date(2025, 6, 1),
        reason="停用",
        sealed_place="车库" if state == "sealed" else None,
        key_holder="王师傅" if state == "sealed" else None,
    )
    status.change_status(
        db_session,
        vehicle.id,
        change,
        user_id=vehicle.status_events[0].recorded_by_id,
        today=date(2026, 1, 1),
    )
    answer = client.post(URL, json=body(vehicle), headers=headers)
    assert answer.status_code == 422
    assert "vehicle_id" in answer.get_json()["error"]["fields"]
    assert db_session.scalar(select(func.count()).select_from(VehicleDefect)) == 0


def test_the_uuid_of_another_report_or_user_is_refused(client, crew, unit):
    _, headers = crew("patrol")
    _, other = crew("patrol")
    vehicle = unit("新A10004")
    sent = body(vehicle)
    assert client.post(URL, json=sent, headers=headers).status_code == 201
    changed = {**sent, "description": "别的故障"}
    assert client.post(URL, json=changed, headers=headers).status_code == 409
    answer = client.post(URL, json=sent, headers=other)
    assert answer.status_code == 409
    assert answer.get_json()["error"]["code"] == "uuid_taken"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "  "}, "description"),
        ({"vehicle_id": 999_999}, "vehicle_id"),
        ({"vehicle_id": "x"}, "vehicle_id"),
        ({"reported_at": "2026-01-12T09:30:00"}, "reported_at"),
        ({"client_uuid": "nope"}, "client_uuid"),
        ({"description": "长" * 501}, "description"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(client, crew, unit, db_session, change, field):
    _, headers = crew("patrol")
    vehicle = unit("新A10005")
    answer = client.post(URL, json={**body(vehicle), **change}, headers=headers)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["error"]["fields"]
    assert db_session.scalar(select(func.count()).select_from(VehicleDefect)) == 0
    assert db_session.get(Vehicle, vehicle.id).status == "fit"


def test_the_phone_page_lists_fit_and_defective_units_and_posts_without_script(
    client, english, make_user, unit, db_session
):
    crew_member = make_user("patrol")
    log_in(client, crew_member)
    fit = unit("新A10006")
    unit("新A10007", state="under_repair")
    page = client.get("/fleet/defect")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "新A10006" in html and "新A10007" not in html
    assert 'id="defect-context"' in html
    answer = client.post(
        "/fleet/defect",
        data={
            "csrf_token": csrf_token_from(html),
            "client_uuid": str(uuid.uuid4()),
            "vehicle_id": str(fit.id),
            "description": "刹车异响",
        },
    )
    assert answer.status_code == 302
    db_session.refresh(fit)
    assert fit.status == "defective"
    refused = client.post(
        "/fleet/defect",
        data={
            "csrf_token": csrf_token_from(html),
            "client_uuid": str(uuid.uuid4()),
            "vehicle_id": str(fit.id),
            "description": " ",
        },
    )
    assert refused.status_code == 422
    assert "Say what is wrong with the vehicle." in refused.get_data(as_text=True)
