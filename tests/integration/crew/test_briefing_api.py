"""Pre-shift briefings through the API (#16): recording, replay and 409, bad input, void, lists."""

import pytest
from sqlalchemy import func, select

from inspection.crew.models import Briefing, BriefingAttendee, BriefingTopic
from inspection.sites.models import Site
from tests.integration.helpers import new_uuid

BRIEFINGS = "/api/v1/briefings"


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def first_topic(db_session) -> BriefingTopic:
    return db_session.scalar(select(BriefingTopic).order_by(BriefingTopic.id))


@pytest.fixture
def body(db_session):
    """A valid briefing body (fields overridable)."""

    def build(**fields):
        return {
            "client_uuid": new_uuid(),
            "held_at": "2026-05-01T07:30:00+08:00",
            "crew": "一工区巡查班",
            "place": "K3456+780",
            "topic_id": first_topic(db_session).id,
            "attendees": [{"name": "钱师傅"}],
            **fields,
        }

    return build


def test_a_briefing_is_recorded_with_its_defaults_and_merged_attendees(
    client, crew, make_user, body, db_session
):
    recorder, headers = crew()
    mate = make_user("patrol")
    answer = client.post(
        BRIEFINGS,
        json=body(
            attendees=[
                {"user_id": mate.id},
                {"user_id": mate.id},
                {"name": "钱师傅"},
                {"name": " 钱 师傅 "},
                {"name": mate.name.upper()},
            ]
        ),
        headers=headers,
    )
    assert answer.status_code == 201, answer.get_json()
    shown = answer.get_json()
    assert shown["leader"] == {"user_id": recorder.id, "name": recorder.name}
    assert shown["attendees"] == [
        {"user_id": mate.id, "name": mate.name},
        {"user_id": None, "name": "钱师傅"},
    ]
    assert shown["attendee_count"] == 2
    assert shown["day"] == "2026-05-01"
    assert shown["topic"]["name"] == first_topic(db_session).name
    assert shown["photos"] == []
    assert count(db_session, BriefingAttendee) == 2


def test_a_replay_gets_the_stored_briefing_and_another_use_of_the_uuid_is_a_409(
    client, crew, body, db_session
):
    _, headers = crew()
    _, other = crew()
    sent = body()
    assert client.post(BRIEFINGS, json=sent, headers=headers).status_code == 201
    again = client.post(BRIEFINGS, json=sent, headers=headers)
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["uuid"] == sent["client_uuid"]
    changed = client.post(BRIEFINGS, json={**sent, "crew": "二班"}, headers=headers)
    assert changed.status_code == 409
    assert changed.get_json()["error"]["code"] == "uuid_taken"
    assert client.post(BRIEFINGS, json=sent, headers=other).status_code == 409
    assert count(db_session, Briefing) == 1
    assert count(db_session, BriefingAttendee) == 1


def test_a_replay_after_its_topic_was_deactivated_still_gets_the_stored_one(
    client, crew, body, db_session
):
    _, headers = crew()
    sent = body()
    assert client.post(BRIEFINGS, json=sent, headers=headers).status_code == 201
    first_topic(db_session).active = False
    db_session.flush()
    assert client.post(BRIEFINGS, json=sent, headers=headers).status_code == 200
    fresh = client.post(BRIEFINGS, json=body(), headers=headers)
    assert fresh.status_code == 422
    assert set(fresh.get_json()["error"]["fields"]) == {"topic_id"}


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"attendees": []}, {"attendees"}),
        ({"attendees": [{"name": "  "}]}, {"attendees"}),
        ({"attendees": [{}]}, {"attendees"}),
        ({"topic_id": None, "topic_text": ""}, {"topic_id"}),
        ({"topic_id": 999_999}, {"topic_id"}),
        ({"crew": "", "site_id": None}, {"crew"}),
        ({"site_id": 999_999}, {"site_id"}),
        ({"leader_id": 999_999}, {"leader_id"}),
        ({"attendees": [{"name": "钱师傅"}, {"user_id": 999_999}]}, {"attendees.1.user_id"}),
        ({"held_at": "2026-05-01T07:30:00"}, {"held_at"}),
        ({"held_at": "2999-01-01T07:30:00+08:00"}, {"held_at"}),
        ({"held_at": "1999-12-31T07:30:00+08:00"}, {"held_at"}),
        ({"crew": "班" * 257}, {"crew"}),
        ({"attendees": [{"name": "长" * 129}]}, {"attendees.0.name"}),
        ({"topic_text": "x" * 501, "topic_id": None}, {"topic_text"}),
        ({"place": "\ud800"}, {"place"}),
        ({"attendees": [{"user_id": "²"}]}, {"attendees.0.user_id"}),
        ({"attendees": "钱师傅"}, {"attendees"}),
        ({"client_uuid": "not-a-uuid"}, {"client_uuid"}),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_saved(
    client, crew, body, db_session, fields, named
):
    _, headers = crew()
    answer = client.post(BRIEFINGS, json=body(**fields), headers=headers)
    assert answer.status_code == 422, answer.get_json()
    assert set(answer.get_json()["error"]["fields"]) == named
    assert count(db_session, Briefing) == 0
    assert count(db_session, BriefingAttendee) == 0


def test_a_nul_character_is_refused_and_nothing_is_saved(client, crew, body, db_session):
    _, headers = crew()
    answer = client.post(BRIEFINGS, json=body(attendees=[{"name": "a\x00b"}]), headers=headers)
    assert answer.status_code in (400, 422)
    assert count(db_session, Briefing) == 0


def site(db_session, name, kind="maintenance_depot") -> Site:
    found = Site(name=name, kind=kind, geom="SRID=4326;POINT(87.6 43.8)")
    db_session.add(found)
    db_session.flush()
    return found


def test_every_problem_is_named_at_once(client, crew, body, english):
    _, headers = crew()
    answer = client.post(
        BRIEFINGS,
        json=body(attendees=[], topic_id=None, crew="", leader_id=999_999),
        headers=headers,
    )
    assert answer.status_code == 422
    fields = answer.get_json()["error"]["fields"]
    assert fields == {
        "attendees": "Add at least one attendee.",
        "topic_id": "Choose a topic or write one.",
        "crew": "Name the crew or choose the site.",
        "leader_id": "There is no such user.",
    }


def test_ten_thousand_attendees_are_refused_above_the_cap(client, crew, body, db_session, english):
    _, headers = crew()
    many = [{"name": f"工人{i}"} for i in range(10_000)]
    answer = client.post(BRIEFINGS, json=body(attendees=many), headers=headers)
    assert answer.status_code == 422
    assert answer.get_json()["error"]["fields"] == {"attendees": "At most 200 attendees."}
    assert count(db_session, Briefing) == 0
    cap = [{"name": f"工人{i}"} for i in range(200)]
    assert client.post(BRIEFINGS, json=body(attendees=cap), headers=headers).status_code == 201
    assert count(db_session, BriefingAttendee) == 200


def test_a_leader_by_name_a_free_topic_and_a_site_without_crew(client, crew, body, db_session):
    _, headers = crew()
    depot = site(db_session, "乌鲁木齐养护工区")
    answer = client.post(
        BRIEFINGS,
        json=body(
            crew="", site_id=depot.id, leader_name="马队长", topic_id=None, topic_text="大风天气"
        ),
        headers=headers,
    )
    assert answer.status_code == 201, answer.get_json()
    shown = answer.get_json()
    assert shown["leader"] == {"user_id": None, "name": "马队长"}
    assert shown["site"] == {"id": depot.id, "name": "乌鲁木齐养护工区"}
    assert shown["topic"] is None and shown["topic_text"] == "大风天气"


def test_void_needs_a_reason_and_the_recorder_or_an_officer(client, crew, body, db_session):
    _, headers = crew()
    _, other = crew()
    _, officer = crew("safety_officer")
    uuid = client.post(BRIEFINGS, json=body(), headers=headers).get_json()["uuid"]
    url = f"{BRIEFINGS}/{uuid}/void"
    assert client.post(url, json={"reason": "录错了"}, headers=other).status_code == 403
    assert client.post(url, json={}, headers=headers).status_code == 422
    voided = client.post(url, json={"reason": "录重复了"}, headers=officer)
    assert voided.status_code == 200
    assert voided.get_json()["voided"] is True
    assert client.get(BRIEFINGS, headers=headers).get_json()["total"] == 0
    assert client.get(f"{BRIEFINGS}?voided=1", headers=headers).get_json()["total"] == 1


def test_the_list_filters_by_days_crew_and_site(client, crew, body, db_session):
    _, headers = crew()
    area = site(db_session, "服务区", "service_area")
    for at, crew_name, site_id in (
        ("2026-05-01T07:30:00+08:00", "一班", None),
        ("2026-05-01T23:30:00+08:00", "二班", area.id),  # 15:30 UTC: still 1 May in the branch
        ("2026-05-02T00:30:00+08:00", "一班", None),
    ):
        sent = body(held_at=at, crew=crew_name, site_id=site_id)
        assert client.post(BRIEFINGS, json=sent, headers=headers).status_code == 201

    def total(query):
        answer = client.get(f"{BRIEFINGS}?{query}", headers=headers)
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()["total"]

    assert total("day_from=2026-05-01&day_to=2026-05-01") == 2
    assert total("day_from=2026-05-02") == 1
    assert total("crew=一") == 2
    assert total("crew=%25") == 0  # a LIKE wildcard is a plain character
    assert total(f"site_id={area.id}") == 1
    assert client.get(f"{BRIEFINGS}?day_from=x", headers=headers).status_code == 422
    rows = client.get(BRIEFINGS, headers=headers).get_json()["briefings"]
    assert [r["day"] for r in rows] == ["2026-05-02", "2026-05-01", "2026-05-01"]
    assert rows[0]["photo_count"] == 0


def test_one_briefing_and_an_unknown_one(client, crew, body):
    _, headers = crew()
    uuid = client.post(BRIEFINGS, json=body(), headers=headers).get_json()["uuid"]
    assert client.get(f"{BRIEFINGS}/{uuid}", headers=headers).get_json()["uuid"] == uuid
    assert client.get(f"{BRIEFINGS}/{new_uuid()}", headers=headers).status_code == 404
    assert client.get(f"{BRIEFINGS}/not-a-uuid", headers=headers).status_code == 404


def test_the_topics_are_the_active_ones_unless_all(client, crew, db_session):
    _, headers = crew("machinery")
    topics = client.get("/api/v1/briefing-topics", headers=headers).get_json()["topics"]
    assert len(topics) == 6 and all(t["active"] for t in topics)
    first_topic(db_session).active = False
    db_session.flush()
    assert len(client.get("/api/v1/briefing-topics", headers=headers).get_json()["topics"]) == 5
    every = client.get("/api/v1/briefing-topics?all=1", headers=headers).get_json()["topics"]
    assert len(every) == 6
