"""Work zones through the API (#16): linking, stakes on the road, times, idempotency, the flag
of short parts, voiding, the minimums table, expressway repairs without a zone."""

from datetime import date

import pytest
from sqlalchemy import func, select

from inspection.crew import work_zones
from inspection.crew.models import WorkZone, WorkZoneDevice, WorkZonePart
from tests.integration.helpers import new_uuid

ZONES = "/api/v1/work-zones"


@pytest.fixture(autouse=True)
def _read_in_english(english):
    """These tests read the messages in English."""


def repair(client, headers, **overrides) -> dict:
    body = {
        "client_uuid": new_uuid(),
        "kind": "shoulder",
        "road": "G30",
        "direction": "up",
        "side": "right",
        "stake": "K3504+000",
        "end_stake": "K3504+300",
        "completed_on": "2026-05-01",
        "area_m2": 450,
        **overrides,
    }
    answer = client.post("/api/v1/repairs", json=body, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def zone(link: dict, **overrides) -> dict:
    return {
        "client_uuid": new_uuid(),
        **link,
        "road": "G30",
        "direction": "up",
        "from_stake": "K3504+300",
        "to_stake": "K3504+000",
        "lanes_closed": 1,
        "lanes_note": "超车道",
        "speed_limit_kmh": 80,
        "set_up_at": "2026-05-01T09:10:00+08:00",
        "parts": [
            {"part": "warning", "length_m": 1200},
            {"part": "upstream_transition", "length_m": 130},
            {"part": "buffer", "length_m": 80},
            {"part": "work_area", "length_m": 300},
        ],
        "devices": [
            {"device": "cone", "count": 40},
            {"device": "alarm_cone", "count": 4},
            {"device": "intrusion_radar"},
        ],
        **overrides,
    }


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def setting(client, roads, crew):
    user, headers = crew()
    fixed = repair(client, headers)
    return user, headers, {"repair_uuid": fixed["uuid"]}


def test_a_zone_for_a_repair_is_stored_with_its_parts_devices_and_no_flags(
    client, setting, db_session
):
    _, headers, link = setting
    answer = client.post(ZONES, json=zone(link), headers=headers)
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    # The range is stored in increasing chainage, whatever order the crew typed it in.
    assert (body["from_stake"], body["to_stake"]) == ("K3504+000", "K3504+300")
    assert body["repair"]["uuid"] == link["repair_uuid"]
    assert body["intrusion_alarm"] is True
    assert body["shortfalls"] == []
    assert body["minimums"]["speed_limit_kmh"] == 80
    assert {d["device"]: d["count"] for d in body["devices"]} == {
        "cone": 40,
        "alarm_cone": 4,
        "intrusion_radar": 1,
    }
    assert body["removed_at"] is None
    got = client.get(f"{ZONES}/{body['uuid']}", headers=headers).get_json()
    assert got["photos"] == [] and got["lanes_note"] == "超车道"


def test_short_parts_are_flagged_never_refused_by_the_nearest_speed_at_or_above(client, setting):
    _, headers, link = setting
    short = zone(
        link,
        speed_limit_kmh=70,
        parts=[{"part": "warning", "length_m": 500}, {"part": "buffer", "length_m": 80}],
    )
    answer = client.post(ZONES, json=short, headers=headers)
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["minimums"]["speed_limit_kmh"] == 80 and not body["minimums"]["beyond_table"]
    assert body["shortfalls"] == [
        {"part": "warning", "length_m": 500.0, "minimum_m": 1200.0, "missing_m": 700.0}
    ]
    assert [p["short"] for p in body["parts"]] == [True, False]
    listed = client.get(ZONES, query_string={"flagged": "1"}, headers=headers).get_json()
    assert [z["uuid"] for z in listed["work_zones"]] == [body["uuid"]]
    # Faster than every configured speed: the fastest row applies, and the answer says so.
    fast = client.post(ZONES, json=zone(link, speed_limit_kmh=130), headers=headers).get_json()
    assert fast["minimums"] == {**fast["minimums"], "speed_limit_kmh": 120, "beyond_table": True}
    assert {s["part"] for s in fast["shortfalls"]} == {"warning", "upstream_transition", "buffer"}


def test_a_stake_range_outside_the_road_is_refused_on_the_stake_and_nothing_is_saved(
    client, setting, db_session
):
    _, headers, link = setting
    before = count(db_session, WorkZone), count(db_session, WorkZonePart)
    answer = client.post(ZONES, json=zone(link, to_stake="K3530+000"), headers=headers)
    assert answer.status_code == 422
    fields = answer.get_json()["error"]["fields"]
    assert set(fields) == {"to_stake"}
    assert "K3500+000" in fields["to_stake"]
    # In the short-chain gap of G30 (K3511+700–K3512+000) the stake does not exist either.
    gap = client.post(ZONES, json=zone(link, from_stake="K3511+800"), headers=headers)
    assert gap.status_code == 422 and set(gap.get_json()["error"]["fields"]) == {"from_stake"}
    bad = client.post(ZONES, json=zone(link, from_stake="3504"), headers=headers)
    assert set(bad.get_json()["error"]["fields"]) == {"from_stake"}
    assert (count(db_session, WorkZone), count(db_session, WorkZonePart)) == before


def test_a_zone_linked_to_nothing_or_to_unknown_records_is_refused(client, setting):
    _, headers, link = setting
    answer = client.post(ZONES, json=zone({}), headers=headers)
    assert answer.status_code == 422
    assert set(answer.get_json()["error"]["fields"]) == {"repair_uuid"}
    unknown = client.post(
        ZONES, json=zone({"repair_uuid": new_uuid(), "patrol_uuid": new_uuid()}), headers=headers
    )
    assert set(unknown.get_json()["error"]["fields"]) == {"repair_uuid", "patrol_uuid"}
    # The repair is on G30: a zone on S21 for it is on another road.
    other = client.post(
        ZONES,
        json=zone(link, road="S21", direction=None, from_stake="K1+000", to_stake="K1+200"),
        headers=headers,
    )
    assert set(other.get_json()["error"]["fields"]) == {"repair_uuid"}


def test_a_zone_for_a_patrols_on_site_action(client, roads, crew):
    _, headers = crew()
    patrol = {
        "client_uuid": new_uuid(),
        "road": "G30",
        "direction": "up",
        "kind": "routine",
        "started_at": "2026-05-01T08:00:00+08:00",
    }
    assert client.post("/api/v1/patrols", json=patrol, headers=headers).status_code == 201
    answer = client.post(ZONES, json=zone({"patrol_uuid": patrol["client_uuid"]}), headers=headers)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["patrol"]["uuid"] == patrol["client_uuid"]
    listed = client.get(
        ZONES, query_string={"patrol_uuid": patrol["client_uuid"]}, headers=headers
    ).get_json()
    assert listed["total"] == 1


def test_removal_before_set_up_is_refused_and_removal_may_come_later(client, setting):
    _, headers, link = setting
    early = zone(link, removed_at="2026-05-01T09:00:00+08:00")
    answer = client.post(ZONES, json=early, headers=headers)
    assert answer.status_code == 422
    assert set(answer.get_json()["error"]["fields"]) == {"removed_at"}
    body = zone(link)
    stored = client.post(ZONES, json=body, headers=headers).get_json()
    url = f"{ZONES}/{stored['uuid']}"
    refused = client.patch(url, json={"removed_at": "2026-05-01T08:00:00+08:00"}, headers=headers)
    assert refused.status_code == 422
    removal = {"removed_at": "2026-05-01T16:40:00+08:00"}
    done = client.patch(url, json=removal, headers=headers)
    assert done.status_code == 200 and done.get_json()["local_removed"] == "2026-05-01 16:40"
    assert client.patch(url, json=removal, headers=headers).status_code == 200  # a retry
    # The first send, retried after the removal, is still the same zone.
    assert client.post(ZONES, json=body, headers=headers).status_code == 200
    assert client.patch(url, json={}, headers=headers).status_code == 422
    assert client.get(ZONES, query_string={"open": "1"}, headers=headers).get_json()["total"] == 0


def test_the_same_uuid_replays_and_another_content_or_user_conflicts(
    client, setting, crew, db_session
):
    _, headers, link = setting
    body = zone(link)
    assert client.post(ZONES, json=body, headers=headers).status_code == 201
    again = client.post(ZONES, json=body, headers=headers)
    assert again.status_code == 200 and again.get_json()["uuid"] == body["client_uuid"]
    assert count(db_session, WorkZone) == 1
    changed = client.post(ZONES, json={**body, "lanes_closed": 2}, headers=headers)
    assert changed.status_code == 409 and changed.get_json()["error"]["code"] == "uuid_taken"
    _, other_headers = crew()
    assert client.post(ZONES, json=body, headers=other_headers).status_code == 409
    assert count(db_session, WorkZone) == 1


def test_parts_and_devices_once_counted_devices_need_a_count(client, setting, db_session):
    _, headers, link = setting
    answer = client.post(
        ZONES,
        json=zone(
            link,
            parts=[{"part": "buffer", "length_m": 80}, {"part": "buffer", "length_m": 90}],
            devices=[{"device": "cone"}, {"device": "flagger"}, {"device": "flagger"}],
            lanes_closed=9,
        ),
        headers=headers,
    )
    assert answer.status_code == 422
    assert set(answer.get_json()["error"]["fields"]) == {"lanes_closed"}  # the types first
    answer = client.post(
        ZONES,
        json=zone(
            link,
            parts=[{"part": "buffer", "length_m": 80}, {"part": "buffer", "length_m": 90}],
            devices=[{"device": "cone"}, {"device": "flagger"}, {"device": "flagger"}],
        ),
        headers=headers,
    )
    assert set(answer.get_json()["error"]["fields"]) == {
        "parts.1.part",
        "devices.0.count",
        "devices.2.device",
    }
    assert count(db_session, WorkZoneDevice) == 0


@pytest.mark.parametrize(
    "field, value",
    [
        ("lanes_closed", -1),
        ("lanes_closed", "２"),
        ("speed_limit_kmh", 300),
        ("speed_limit_kmh", True),
        ("from_stake", ["K3504+000"]),
        ("from_stake", "K3504+000\ud800"),
        ("set_up_at", "2026-05-01T09:10:00"),
        ("set_up_at", "2099-01-01T00:00:00+08:00"),
        ("parts", [{"part": "lobby", "length_m": 10}]),
        ("parts", [{"part": "buffer", "length_m": "NaN"}]),
        ("parts", [{"part": "buffer", "length_m": 0}]),
        ("parts", [{"part": p, "length_m": 1} for p in ["warning"] * 7]),
        ("devices", [{"device": "cone", "count": 0}]),
        ("devices", "cone"),
        ("repair_uuid", "not-a-uuid"),
        ("note", "x" * 2001),
    ],
)
def test_hostile_input_is_a_422_naming_the_field(client, setting, db_session, field, value):
    _, headers, link = setting
    answer = client.post(ZONES, json=zone(link, **{field: value}), headers=headers)
    assert answer.status_code == 422, answer.get_json()
    assert any(name.split(".")[0] == field for name in answer.get_json()["error"]["fields"])
    assert count(db_session, WorkZone) == 0


def test_void_by_the_recorder_or_an_officer_with_a_reason(client, setting, crew):
    _, headers, link = setting
    stored = client.post(ZONES, json=zone(link), headers=headers).get_json()
    url = f"{ZONES}/{stored['uuid']}/void"
    _, stranger = crew()
    assert client.post(url, json={"reason": "x"}, headers=stranger).status_code == 403
    assert client.post(url, json={}, headers=headers).status_code == 422
    voided = client.post(url, json={"reason": "entered twice"}, headers=headers)
    assert voided.status_code == 200 and voided.get_json()["voided"] is True
    assert client.get(ZONES, headers=headers).get_json()["total"] == 0
    assert client.get(ZONES, query_string={"voided": "1"}, headers=headers).get_json()["total"] == 1
    late = client.patch(
        f"{ZONES}/{stored['uuid']}",
        json={"removed_at": "2026-05-01T17:00:00+08:00"},
        headers=headers,
    )
    assert late.status_code == 409


def test_list_filters_by_alarm_road_and_day(client, setting):
    _, headers, link = setting
    with_alarm = client.post(ZONES, json=zone(link), headers=headers).get_json()
    plain = client.post(
        ZONES,
        json=zone(
            link, devices=[{"device": "cone", "count": 20}], set_up_at="2026-05-02T09:00:00+08:00"
        ),
        headers=headers,
    ).get_json()
    uuids = lambda **q: [  # noqa: E731
        z["uuid"]
        for z in client.get(ZONES, query_string=q, headers=headers).get_json()["work_zones"]
    ]
    assert uuids() == [plain["uuid"], with_alarm["uuid"]]
    assert uuids(alarm="1") == [with_alarm["uuid"]]
    assert uuids(alarm="0") == [plain["uuid"]]
    assert uuids(day_from="2026-05-02") == [plain["uuid"]]
    assert uuids(road="S21") == []
    assert client.get(ZONES, query_string={"alarm": "2"}, headers=headers).status_code == 422


def test_the_minimums_table_is_read_by_crews_and_replaced_by_officers(client, roads, crew):
    _, headers = crew()
    table = client.get("/api/v1/work-zone-minimums", headers=headers).get_json()["minimums"]
    assert {"speed_limit_kmh": 80, "part": "warning", "length_m": 1200.0} in table
    _, officer = crew("safety_officer")
    rows = [{"speed_limit_kmh": 60, "part": "warning", "length_m": 500}]
    assert (
        client.put(
            "/api/v1/work-zone-minimums", json={"minimums": rows}, headers=headers
        ).status_code
        == 403
    )
    saved = client.put("/api/v1/work-zone-minimums", json={"minimums": rows}, headers=officer)
    assert saved.get_json() == {"minimums": [{**rows[0], "length_m": 500.0}]}
    twice = client.put("/api/v1/work-zone-minimums", json={"minimums": rows * 2}, headers=officer)
    assert twice.status_code == 422 and set(twice.get_json()["error"]["fields"]) == {
        "minimums.1.part"
    }
    assert (
        client.put("/api/v1/work-zone-minimums", json={"minimums": []}, headers=officer).status_code
        == 422
    )


def test_expressway_repairs_without_a_zone_are_listed_and_flagged(
    client, roads, crew, db_session, app
):
    _, headers = crew()
    roads["G30"].road_class = "expressway"
    db_session.flush()
    bare = repair(client, headers)
    zoned = repair(client, headers, stake="K3506+000", end_stake="K3506+200")
    on_s21 = repair(client, headers, road="S21", direction=None, stake="K1+000", end_stake="K1+200")
    assert (
        client.post(ZONES, json=zone({"repair_uuid": zoned["uuid"]}), headers=headers).status_code
        == 201
    )
    missing = work_zones.repairs_without_zone(db_session, date(2026, 1, 1), date(2026, 12, 31))
    assert [str(r.client_uuid) for r in missing] == [bare["uuid"]]
    assert on_s21["uuid"] not in {str(r.client_uuid) for r in missing}
    assert work_zones.repairs_without_zone(db_session, date(2026, 5, 2), date(2026, 12, 31)) == []
    # A voided zone does not count.
    voided = client.post(
        ZONES, json=zone({"repair_uuid": bare["uuid"]}), headers=headers
    ).get_json()
    client.post(f"{ZONES}/{voided['uuid']}/void", json={"reason": "wrong"}, headers=headers)
    assert (
        len(work_zones.repairs_without_zone(db_session, date(2026, 1, 1), date(2026, 12, 31))) == 1
    )
