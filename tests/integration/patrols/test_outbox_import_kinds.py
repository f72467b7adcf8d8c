"""Importing an exported outbox that holds every kind of entry the phone queues.

The entries are built as the phone's makers build them (static/js: field.js, track/recorder.js,
finding_form.js, repair_form.js, survey_record_form.js, hazard_evidence.js,
vehicle_defect_form.js, crew/briefing_rules.js, crew/pretrip_rules.js, crew/zone_rules.js,
walk_core.js, outbox_forms.photoEntry), with the maker the phone records on each.
"""

import base64
import hashlib
from datetime import date, datetime, timedelta

import pytest
from shapely.geometry import Point
from sqlalchemy import func, select

from inspection.crew.kinds import VehicleCheckItem
from inspection.crew.models import Briefing, BriefingTopic, PretripCheck, WorkZone
from inspection.fleet import drivers, vehicles
from inspection.fleet.driver_schemas import DriverInput
from inspection.fleet.models import VehicleDefect
from inspection.fleet.vehicles import VehicleInput
from inspection.geo import to_db
from inspection.hazards.models import Hazard
from inspection.inspections.models import Inspection
from inspection.media.models import Photo
from inspection.patrols import outbox_replay
from inspection.patrols.models import Finding, Patrol
from inspection.patrols.outbox_import import replay_order
from inspection.repairs.models import Repair
from inspection.sites.models import Department, Site
from inspection.surveys import services as survey_services
from inspection.surveys.models import SurveyRecord
from inspection.tracks.models import TrackBatch
from inspection.web import branch_zone
from tests.conftest import log_in
from tests.integration.helpers import jpeg_bytes, new_uuid
from tests.integration.patrols.test_findings_api import pothole
from tests.integration.patrols.test_outbox_import import send, walk_entries
from tests.integration.tracks.track_helpers import along

FLEET_DAY = date(2026, 3, 1)
MODELS = (
    Patrol,
    TrackBatch,
    Finding,
    Repair,
    SurveyRecord,
    VehicleDefect,
    Briefing,
    PretripCheck,
    WorkZone,
    Inspection,
    Photo,
)


def counts(db_session) -> dict[str, int]:
    return {
        model.__name__: db_session.scalar(select(func.count()).select_from(model))
        for model in MODELS
    }


def record(url, body, maker, *, method="POST", uuid_=None, deps=()):
    """A record entry as outbox/entries.js normalise() stores it."""
    return {
        "kind": "record",
        "method": method,
        "url": url,
        "uuid": (uuid_ or body["client_uuid"]).lower(),
        "answer_uuid": "uuid",
        "deps": [d.lower() for d in deps],
        "body": body,
        "label": "",
        "attention": None,
        "maker": maker,
    }


def photo(url, parent, maker, *, stage="site", deps=()):
    """A photo entry (outbox_forms.photoEntry; a finding's photo names only finding_uuid)."""
    data = jpeg_bytes()
    entry = {
        "kind": "photo",
        "deps": [parent, *deps],
        "photo_uuid": new_uuid(),
        "stage": stage,
        "size": len(data),
        "type": "image/jpeg",
        "sha256": hashlib.sha256(data).hexdigest(),
        "exif_taken_at": None,
        "exif_lon": None,
        "exif_lat": None,
        "label": "",
        "attention": None,
        "maker": maker,
        "bytes_base64": base64.b64encode(data).decode(),
    }
    if url is None:
        entry["finding_uuid"] = parent
    else:
        entry.update(url=url, parent_uuid=parent)
    return entry


@pytest.fixture
def world(app, client, db_session, roads, crew, make_user):
    """A crew member and a safety officer; a survey campaign, two units and a driver, a topic,
    a site, and a hazard the officer assigned to the crew member."""
    patrol_user, patrol_headers = crew("patrol")
    officer, officer_headers = crew("safety_officer")
    campaign = survey_services.create_campaign(
        db_session,
        survey_services.CampaignInput(
            name="2026 spring survey",
            starts_on=date(2026, 4, 1),
            ends_on=date(2026, 4, 30),
            method="visual",
            unit_length_m=1000.0,
            width_m=7.5,
            pavement="asphalt",
            roads=(("G30", "up"),),
            note="",
        ),
        actor=make_user("manager"),
    )
    keeper = make_user("machinery")
    units = [
        vehicles.create_vehicle(
            db_session,
            VehicleInput(kind="patrol_vehicle", number=number, registered_on=date(2025, 1, 1)),
            user_id=keeper.id,
            today=FLEET_DAY,
        )
        for number in ("新A71001", "新A71002")
    ]
    driver = drivers.create_driver(
        db_session,
        DriverInput(
            user_id=None,
            name="钱师傅",
            licence_class="C1",
            licence_number="",
            licence_expires=date(2035, 1, 1),
            active=True,
        ),
    )
    site = Site(name="导入测试养护站", kind="toll_station", geom=to_db(Point(87.65, 43.83)))
    department = Department(name="养护一工区", kind="maintenance_area", active=True)
    db_session.add_all([site, department])
    db_session.flush()
    hazard = client.post(
        "/api/v1/hazards",
        json={
            "client_uuid": new_uuid(),
            "road": "G30",
            "direction": "up",
            "stake": "K3506+500",
            "category": "guardrail_damage",
            "grade": "general",
            "description": "中央护栏被撞损 8 m",
            "interim_measures": "设置锥桶和警示牌",
        },
        headers=patrol_headers,
    ).get_json()
    with app.app_context():
        today = datetime.now(branch_zone()).date()
    assigned = client.post(
        f"/api/v1/hazards/{hazard['id']}/actions",
        json={
            "action": "assign",
            "version": hazard["version"],
            "responsible_unit": department.id,
            "responsible_person": "马队长",
            "assignee_user_id": patrol_user.id,
            "measures": "更换护栏板",
            "deadline": (today + timedelta(days=5)).isoformat(),
        },
        headers=officer_headers,
    )
    assert assigned.status_code == 200, assigned.get_json()
    topic = db_session.scalar(select(BriefingTopic).order_by(BriefingTopic.id))
    return {
        "crew": patrol_user,
        "officer": officer,
        "campaign": campaign,
        "units": units,
        "driver": driver,
        "site": site,
        "hazard": assigned.get_json(),
        "topic": topic,
    }


def every_kind(app, db_session, world) -> list[dict]:
    """One entry of every kind the phone queues, in the order a crew would make them."""
    maker = world["crew"].username
    with app.app_context():
        now = datetime.now(branch_zone()).replace(microsecond=0)
    patrol = {
        "client_uuid": new_uuid(),
        "road": "G30",
        "direction": "up",
        "kind": "routine",
        "crew": "王建国、李明",
        "vehicle": "新A71001",
        "weather": "sunny",
        "started_at": (now - timedelta(hours=1)).isoformat(),
        "start_stake": "K3500+000",
    }
    p = patrol["client_uuid"]
    track = {
        "batch_uuid": new_uuid(),
        "points": along(db_session, "G30", 3_500_100, 10, start=now - timedelta(minutes=50)),
        "dropped": 0,
    }
    finding = pothole(patrol_uuid=p, observed_at=(now - timedelta(minutes=40)).isoformat())
    end = {"ended_at": (now - timedelta(minutes=5)).isoformat(), "end_stake": "K3518+500"}
    repair = {
        "client_uuid": new_uuid(),
        "kind": "shoulder",
        "road": "G30",
        "direction": "up",
        "side": "right",
        "stake": "K3504+000",
        "end_stake": "K3504+300",
        "completed_on": now.date().isoformat(),
        "area_m2": 450,
        "materials": [],
        "crew": "一工区",
        "method": "",
        "note": "",
        "findings": [],
    }
    campaign = world["campaign"]
    unit = next(u for u in campaign.units if u.road.code == "G30" and u.seq == 3)
    survey = {
        "client_uuid": new_uuid(),
        "unit_id": unit.id,
        "family": "pavement",
        "item_code": "alligator_cracking",
        "severity": "medium",
        "quantity": 12.5,
        "stake": "K3502+400",
        "note": "右侧行车道",
    }
    hazard = world["hazard"]
    after = photo(f"/api/v1/hazards/{hazard['id']}/photos", f"hazard-{hazard['id']}", maker)
    after["stage"] = "after"
    action_uuid = new_uuid()
    submit = {
        "action": "submit",
        "version": hazard["version"],
        "note": "已更换护栏板",
        "after_photo_ids": [after["photo_uuid"]],
        "client_uuid": action_uuid,
    }
    defect = {
        "client_uuid": new_uuid(),
        "vehicle_id": world["units"][0].id,
        "description": "左前轮胎鼓包",
        "reported_at": (now - timedelta(minutes=30)).isoformat(),
    }
    briefing = {
        "client_uuid": new_uuid(),
        "held_at": (now - timedelta(hours=2)).isoformat(),
        "crew": "一工区巡查班",
        "site_id": None,
        "place": "K3456+780",
        "leader_id": None,
        "leader_name": "王班长",
        "topic_id": world["topic"].id,
        "topic_text": "",
        "attendees": [{"name": "钱师傅"}, {"user_id": world["crew"].id}],
        "note": "",
    }
    check = {
        "client_uuid": new_uuid(),
        "checked_at": (now - timedelta(hours=2)).isoformat(),
        "vehicle_id": world["units"][1].id,
        "driver_id": world["driver"].id,
        "vehicle_items": {item.value: True for item in VehicleCheckItem},
        "alcohol_mg": 0,
        "systolic": 125,
        "diastolic": 80,
        "note": "",
    }
    zone = {
        "client_uuid": new_uuid(),
        "repair_uuid": repair["client_uuid"],
        "road": "G30",
        "direction": "up",
        "from_stake": "K3504+300",
        "to_stake": "K3504+000",
        "lanes_closed": 1,
        "lanes_note": "超车道",
        "speed_limit_kmh": 80,
        "set_up_at": (now - timedelta(minutes=45)).isoformat(),
        "parts": [
            {"part": "warning", "length_m": 1200},
            {"part": "upstream_transition", "length_m": 130},
            {"part": "buffer", "length_m": 80},
            {"part": "work_area", "length_m": 300},
        ],
        "devices": [{"device": "cone", "count": 40}, {"device": "intrusion_radar"}],
    }
    z, b, r = zone["client_uuid"], briefing["client_uuid"], repair["client_uuid"]
    inspection, item_photo = walk_entries(app, world["site"])
    officer = world["officer"].username
    return [
        record("/api/v1/briefings", briefing, maker),
        photo(f"/api/v1/briefings/{b}/photos", b, maker),
        record("/api/v1/pretrip-checks", check, maker),
        record("/api/v1/patrols", patrol, maker),
        record(f"/api/v1/patrols/{p}/track", track, maker, uuid_=track["batch_uuid"], deps=[p]),
        record("/api/v1/findings", finding, maker, deps=[p]),
        photo(None, finding["client_uuid"], maker),
        record("/api/v1/vehicle-defects", defect, maker),
        record("/api/v1/repairs", repair, maker),
        photo(f"/api/v1/repairs/{r}/photos", r, maker, stage="before"),
        record("/api/v1/work-zones", zone, maker, deps=[repair["client_uuid"]]),
        photo(f"/api/v1/work-zones/{z}/photos", z, maker),
        record(f"/api/v1/surveys/{campaign.id}/records", survey, maker),
        photo(
            f"/api/v1/surveys/records/by-uuid/{survey['client_uuid']}/photos",
            survey["client_uuid"],
            maker,
        ),
        after,
        record(
            f"/api/v1/hazards/{hazard['id']}/actions",
            submit,
            maker,
            uuid_=action_uuid,
            deps=[after["photo_uuid"]],
        ),
        record(
            f"/api/v1/work-zones/{z}",
            {"removed_at": now.isoformat()},
            maker,
            method="PATCH",
            uuid_=z,
        ),
        record(f"/api/v1/patrols/{p}", end, maker, method="PATCH", uuid_=p),
        {**inspection, "maker": officer},
        {**item_photo, "maker": officer},
    ]


def test_every_kind_is_imported_once_for_its_maker(app, client, db_session, english, world):
    entries = every_kind(app, db_session, world)
    log_in(client, world["officer"])  # the officer imports the crew's exported file
    outcomes = send(client, entries)
    assert outcomes == ["stored"] * len(entries)
    stored = counts(db_session)
    assert stored == {name: 1 for name in stored} | {"Photo": 7}

    # Each record is the crew member's (the maker), not the importing officer's.
    crew_id = world["crew"].id
    for model in (Patrol, Finding, Repair, SurveyRecord, Briefing, WorkZone):
        assert db_session.scalar(select(model.created_by_id)) == crew_id, model
    assert db_session.scalar(select(VehicleDefect.reported_by_id)) == crew_id
    assert db_session.scalar(select(PretripCheck.checked_by_id)) == crew_id
    patrol = db_session.scalar(select(Patrol))
    assert patrol.ended_at is not None
    assert db_session.scalar(select(TrackBatch.patrol_id)) == patrol.id
    assert db_session.scalar(select(WorkZone.removed_at)) is not None
    hazard = db_session.get(Hazard, world["hazard"]["id"])
    assert hazard.state == "awaiting_verification"
    assert hazard.events[-1].evidence == [entries[14]["photo_uuid"]]
    assert db_session.scalar(select(Inspection.created_by_id)) == world["officer"].id

    # The same file again: everything is recognised, nothing is stored twice.
    assert send(client, entries) == ["already on the server"] * len(entries)
    assert counts(db_session) == stored


def test_a_crew_member_imports_their_own_entries(app, client, db_session, english, world):
    entries = every_kind(app, db_session, world)
    log_in(client, world["crew"])
    outcomes = send(client, entries)
    assert outcomes[:-2] == ["stored"] * (len(entries) - 2)
    # The officer's walk on the same phone: a crew member may not import it.
    assert (
        outcomes[-2:]
        == [
            "refused: This entry was made by "
            f"{world['officer'].username}: only they or a safety officer may import it."
        ]
        * 2
    )


def test_unknown_addresses_and_bad_bodies_are_refused_and_the_rest_stored(
    app, client, db_session, english, world
):
    entries = every_kind(app, db_session, world)
    briefing, briefing_photo, check = entries[0], entries[1], entries[2]
    zone, zone_photo = entries[10], entries[11]
    bad = {**briefing, "body": {**briefing["body"], "topic_id": "一", "held_at": "x"}}
    maker = world["crew"].username
    unknown = record("/api/v1/nowhere", {"client_uuid": new_uuid()}, maker)
    listing = record("/api/v1/findings", {"client_uuid": new_uuid()}, maker, method="GET")
    damaged = {**check, "body": "not an object"}
    log_in(client, world["officer"])
    # The zone's photo comes first in this file: it is replayed after its zone all the same.
    outcomes = send(
        client, [bad, briefing_photo, unknown, listing, damaged, zone_photo, entries[8], zone]
    )
    assert outcomes[0].startswith("refused: Some fields are not valid.")
    assert "held_at: Give the time as ISO 8601" in outcomes[0]
    assert "topic_id: Enter a whole number." in outcomes[0]
    assert outcomes[1] == "refused: It waits for entry 1, which was refused."
    assert outcomes[2] == "refused: This kind of entry cannot be imported: POST /api/v1/nowhere."
    assert outcomes[3] == "refused: This kind of entry cannot be imported: GET /api/v1/findings."
    assert outcomes[4] == "refused: The record entry is damaged."
    assert outcomes[5:] == ["stored"] * 3  # zone photo, repair, zone
    stored = counts(db_session)
    assert (stored["Briefing"], stored["PretripCheck"], stored["WorkZone"]) == (0, 0, 1)
    assert stored["Photo"] == 1


def test_entries_of_other_makers(app, client, db_session, english, world, make_user):
    entries = every_kind(app, db_session, world)
    briefing = entries[0]
    manager = make_user("manager")
    log_in(client, world["officer"])
    outcomes = send(
        client,
        [
            {**briefing, "maker": "nobody.here"},
            {**briefing, "maker": f"  {manager.username.upper()} "},
            {**briefing, "maker": world["officer"].username},
        ],
    )
    assert outcomes[0] == "refused: There is no active user nobody.here."
    assert outcomes[1] == (
        f"refused: {manager.username} may not record this kind of entry: POST /api/v1/briefings."
    )
    assert outcomes[2] == "stored"
    assert db_session.scalar(select(Briefing.created_by_id)) == world["officer"].id


def test_every_handler_is_an_api_endpoint_with_a_permission(app):
    views = app.view_functions
    for endpoint, handler in outbox_replay.HANDLERS.items():
        assert endpoint in views, endpoint
        assert isinstance(views[endpoint].permission, str)
        methods = {
            frozenset(r.methods - {"HEAD", "OPTIONS"}) for r in app.url_map.iter_rules(endpoint)
        }
        assert methods in ({frozenset({"POST"})}, {frozenset({"PATCH"})}), endpoint
        assert handler.photo == endpoint.startswith("api.upload_"), endpoint


def test_the_replay_order_keeps_the_made_order_and_puts_photos_after_their_records():
    a, b, c = new_uuid(), new_uuid(), new_uuid()
    entries = [
        {"kind": "photo", "photo_uuid": new_uuid(), "url": "/x", "parent_uuid": a, "deps": [a]},
        {"kind": "record", "method": "POST", "uuid": b, "deps": []},
        {"kind": "record", "method": "POST", "uuid": a.upper(), "deps": []},
        {"kind": "record", "method": "PATCH", "uuid": a, "deps": []},  # changes, stores nothing
        # A file edited by hand into a cycle is replayed in its own order, nothing lost.
        {"kind": "record", "method": "POST", "uuid": c, "deps": [new_uuid(), "x" * 40]},
        {"kind": "record", "method": "POST", "uuid": new_uuid(), "deps": [c, 7, None]},
    ]
    order, waits = replay_order(entries)
    assert order == [1, 2, 0, 3, 4, 5]
    assert waits[0] == {2} and waits[5] == {4} and waits[3] == set()
    cycle = [
        {"kind": "record", "method": "POST", "uuid": a, "deps": [b]},
        {"kind": "record", "method": "POST", "uuid": b, "deps": [a]},
    ]
    assert replay_order(cycle)[0] == [0, 1]
