"""The briefing pages (#16): the phone form and its defaults, the list, one briefing, the topics."""

import io
import json
import re

from sqlalchemy import func, select

from inspection.crew.models import Briefing, BriefingAttendee, BriefingTopic
from inspection.media.models import Photo
from tests.conftest import csrf_token_from
from tests.integration.helpers import jpeg_bytes, new_uuid


def block(html: str, name: str) -> dict:
    match = re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', html, re.S)
    assert match, name
    return json.loads(match.group(1))


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def topic(db_session, index=0) -> BriefingTopic:
    return db_session.scalars(select(BriefingTopic).order_by(BriefingTopic.id)).all()[index]


def test_the_phone_form_posts_without_the_script_with_its_photo(
    client, login_as, make_user, db_session, english
):
    me = login_as("patrol")
    mate = make_user("patrol")
    page = client.get("/field/briefing")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "briefing_form.js" in html and 'capture="environment"' in html
    context = block(html, "briefing-context")
    assert context["defaults"] == {} and context["me"] == me.id
    assert {p["id"] for p in context["people"]} >= {me.id, mate.id}
    form = {
        "csrf_token": csrf_token_from(html),
        "client_uuid": new_uuid(),
        "topic_id": str(topic(db_session).id),
        "crew": "一工区巡查班",
        "place": "K12+300",
        "leader_id": str(me.id),
    }
    refused = client.post("/field/briefing", data=form)
    assert refused.status_code == 422
    assert "Add at least one attendee." in refused.get_data(as_text=True)
    assert count(db_session, Briefing) == 0
    saved = client.post(
        "/field/briefing",
        data={
            **form,
            "attendee_id": [str(mate.id), str(me.id)],
            "attendee_names": "钱师傅\n赵工，钱师傅",
            "photo": (io.BytesIO(jpeg_bytes()), "p.jpg"),
            "photo_uuid": form["client_uuid"],
        },
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    briefing = db_session.scalar(select(Briefing))
    assert briefing.leader_id == me.id
    assert sorted(a.name for a in briefing.attendees) == sorted(
        [mate.name, me.name, "钱师傅", "赵工"]
    )
    assert db_session.scalar(select(Photo.briefing_id)) == briefing.id


def test_the_phone_form_starts_from_the_users_last_briefing(
    client, login_as, make_user, db_session
):
    me = login_as("patrol")
    mate = make_user("patrol")
    chosen = topic(db_session, 2)
    token = csrf_token_from(client.get("/field/briefing").get_data(as_text=True))
    for at, crew in (("2026-05-01T07:30:00+08:00", "一班"), ("2026-04-30T07:30:00+08:00", "旧班")):
        answer = client.post(
            "/field/briefing",
            data={
                "csrf_token": token,
                "client_uuid": new_uuid(),
                "held_at": at,
                "topic_id": str(chosen.id),
                "crew": crew,
                "place": "养护站院内",
                "leader_id": "other",
                "leader_name": "马队长",
                "attendee_id": [str(mate.id)],
                "attendee_names": "钱师傅",
            },
        )
        assert answer.status_code == 302
    html = client.get("/field/briefing").get_data(as_text=True)
    defaults = block(html, "briefing-context")["defaults"]
    assert defaults["crew"] == "一班" and defaults["place"] == "养护站院内"
    assert defaults["leader_id"] is None and defaults["leader_name"] == "马队长"
    assert defaults["topic_id"] == chosen.id
    assert defaults["attendees"] == [
        {"user_id": mate.id, "name": mate.name},
        {"user_id": None, "name": "钱师傅"},
    ]
    assert f'value="{mate.id}" data-person="{mate.id}" checked' in html
    assert f'value="{me.id}" data-person="{me.id}" checked' not in html
    assert 'name="attendee_name" value="钱师傅" checked' in html
    assert 'value="一班"' in html
    # Another user starts from nothing of theirs.
    login_as("patrol")
    other = block(client.get("/field/briefing").get_data(as_text=True), "briefing-context")
    assert other["defaults"] == {}


def test_the_field_home_links_to_the_briefing(client, login_as):
    login_as("patrol")
    assert 'id="briefing-link"' in client.get("/field/").get_data(as_text=True)


def test_list_and_detail(client, crew, login_as, db_session, english):
    _, headers = crew()
    body = {
        "client_uuid": new_uuid(),
        "held_at": "2026-05-01T07:30:00+08:00",
        "crew": "一工区巡查班",
        "topic_id": topic(db_session).id,
        "topic_text": "大风",
        "attendees": [{"name": "钱师傅"}, {"name": "赵工"}],
    }
    uuid = client.post("/api/v1/briefings", json=body, headers=headers).get_json()["uuid"]
    login_as("machinery")
    listed = client.get("/crew/briefings?day_from=2026-05-01&day_to=2026-05-01")
    assert listed.status_code == 200
    html = listed.get_data(as_text=True)
    assert "一工区巡查班" in html and topic(db_session).name in html and "1 briefings" in html
    assert f'data-uuid="{uuid}"' in html
    assert "0 briefings" in client.get("/crew/briefings?day_from=2026-05-02").get_data(as_text=True)
    assert client.get("/crew/briefings?day_from=nonsense").status_code == 422
    detail = client.get(f"/crew/briefings/{uuid}").get_data(as_text=True)
    assert "钱师傅" in detail and "赵工" in detail and "No photo." in detail
    assert "Void this briefing" not in detail
    assert client.get(f"/crew/briefings/{new_uuid()}").status_code == 404


def test_void_from_the_detail_page(client, login_as, db_session, english):
    login_as("patrol")
    token = csrf_token_from(client.get("/field/briefing").get_data(as_text=True))
    uuid = new_uuid()
    client.post(
        "/field/briefing",
        data={
            "csrf_token": token,
            "client_uuid": uuid,
            "topic_text": "防暑",
            "crew": "一班",
            "attendee_names": "钱师傅",
        },
    )
    detail = client.get(f"/crew/briefings/{uuid}").get_data(as_text=True)
    assert "Void this briefing" in detail
    url = f"/crew/briefings/{uuid}/void"
    assert client.post(url, data={"csrf_token": token, "reason": ""}).status_code == 302
    assert db_session.scalar(select(Briefing.voided_at)) is None
    assert client.post(url, data={"csrf_token": token, "reason": "重复"}).status_code == 302
    assert db_session.scalar(select(Briefing.void_reason)) == "重复"
    assert "Voided" in client.get(f"/crew/briefings/{uuid}").get_data(as_text=True)


def test_officers_keep_the_topics(client, login_as, db_session, english):
    login_as("safety_officer")
    page = client.get("/crew/briefing-topics")
    assert page.status_code == 200
    token = csrf_token_from(page.get_data(as_text=True))
    added = client.post("/crew/briefing-topics", data={"csrf_token": token, "name": "隧道作业安全"})
    assert added.status_code == 302
    new = db_session.scalar(select(BriefingTopic).where(BriefingTopic.name == "隧道作业安全"))
    assert new.active
    twice = client.post(
        "/crew/briefing-topics", data={"csrf_token": token, "name": " 隧道作业安全 "}
    )
    assert twice.status_code == 422
    assert "This topic is already listed." in twice.get_data(as_text=True)
    renamed = client.post(
        "/crew/briefing-topics",
        data={"csrf_token": token, "topic_id": str(new.id), "name": "隧道内作业安全"},
    )
    assert renamed.status_code == 302
    db_session.refresh(new)
    assert new.name == "隧道内作业安全" and new.active is False  # unticked: deactivated
    assert (
        client.post(
            "/crew/briefing-topics",
            data={"csrf_token": token, "topic_id": "999999", "name": "x", "active": "1"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/crew/briefing-topics", data={"csrf_token": token, "name": "长" * 129}
        ).status_code
        == 422
    )
    assert count(db_session, BriefingTopic) == 7
    assert count(db_session, BriefingAttendee) == 0
