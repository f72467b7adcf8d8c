"""Photos of briefings and work zones (#16): the one photo path, its rights, who sees them."""

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from inspection.crew.models import WorkZone
from inspection.media.models import Photo
from inspection.patrols.models import Patrol
from tests.integration.helpers import jpeg_bytes, new_uuid


def photos(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Photo))


def upload(client, url, headers, photo_uuid=None, image=None, **fields):
    form = {
        "photo": (io.BytesIO(image or jpeg_bytes()), "p.jpg"),
        "photo_uuid": photo_uuid or new_uuid(),
        **fields,
    }
    return client.post(url, data=form, headers=headers, content_type="multipart/form-data")


@pytest.fixture
def briefing_of(client):
    def record(headers) -> str:
        body = {
            "client_uuid": new_uuid(),
            "held_at": "2026-05-01T07:30:00+08:00",
            "crew": "一班",
            "topic_text": "作业区安全布设",
            "attendees": [{"name": "钱师傅"}],
        }
        answer = client.post("/api/v1/briefings", json=body, headers=headers)
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()["uuid"]

    return record


@pytest.fixture
def zone_of(client, roads, db_session):
    """A work zone recorded by a user (its own endpoints come with the work-zone pages)."""

    def record(user, headers) -> WorkZone:
        patrol = {
            "client_uuid": new_uuid(),
            "road": "G30",
            "direction": "up",
            "kind": "routine",
            "started_at": "2026-05-01T09:00:00+08:00",
        }
        assert client.post("/api/v1/patrols", json=patrol, headers=headers).status_code == 201
        found = db_session.scalar(select(Patrol).where(Patrol.client_uuid == patrol["client_uuid"]))
        zone = WorkZone(
            client_uuid=new_uuid(),
            patrol_id=found.id,
            road_id=roads["G30"].id,
            direction="up",
            from_chainage=1000.0,
            to_chainage=1200.0,
            lanes_closed=1,
            speed_limit_kmh=80,
            set_up_at=datetime(2026, 5, 1, 2, 0, tzinfo=UTC),
            created_by_id=user.id,
        )
        db_session.add(zone)
        db_session.flush()
        return zone

    return record


def test_a_briefing_takes_photos_from_its_recorder_or_an_officer(
    client, crew, briefing_of, db_session
):
    _, author = crew()
    _, other = crew()
    _, officer = crew("safety_officer")
    url = f"/api/v1/briefings/{briefing_of(author)}/photos"
    refused = upload(client, url, other)
    assert refused.status_code == 403, refused.get_json()
    assert photos(db_session) == 0
    photo_uuid = new_uuid()
    first = upload(client, url, author, photo_uuid)
    assert first.status_code == 201, first.get_json()
    assert upload(client, url, author, photo_uuid).status_code == 200  # a retry
    assert upload(client, url, officer).status_code == 201
    assert photos(db_session) == 2
    shown = client.get(url.removesuffix("/photos"), headers=other).get_json()
    assert shown["photos"][0]["uuid"] == photo_uuid
    listed = client.get("/api/v1/briefings", headers=other).get_json()["briefings"]
    assert listed[0]["photo_count"] == 2


def test_a_work_zone_takes_photos_from_its_recorder_or_an_officer(
    client, crew, zone_of, db_session
):
    user, author = crew()
    _, other = crew()
    _, officer = crew("safety_officer")
    zone = zone_of(user, author)
    url = f"/api/v1/work-zones/{zone.client_uuid}/photos"
    assert upload(client, url, other).status_code == 403
    assert photos(db_session) == 0
    assert upload(client, url, author).status_code == 201
    assert upload(client, url, officer, stage="after").status_code == 201
    stored = db_session.scalars(select(Photo).order_by(Photo.id)).all()
    assert [p.work_zone_id for p in stored] == [zone.id, zone.id]
    assert all(p.briefing_id is None and p.finding_id is None for p in stored)


@pytest.mark.parametrize("kind", ["briefings", "work-zones"])
def test_a_photo_of_an_unknown_owner_is_refused(client, crew, db_session, kind):
    _, headers = crew()
    for owner in (new_uuid(), "not-a-uuid", "1"):
        answer = upload(client, f"/api/v1/{kind}/{owner}/photos", headers)
        assert answer.status_code == 404, answer.get_json()
    assert photos(db_session) == 0


def test_a_photo_uuid_of_another_owner_is_a_409(client, crew, briefing_of, zone_of, db_session):
    user, headers = crew()
    photo_uuid = new_uuid()
    briefing_url = f"/api/v1/briefings/{briefing_of(headers)}/photos"
    assert upload(client, briefing_url, headers, photo_uuid).status_code == 201
    zone = zone_of(user, headers)
    again = upload(client, f"/api/v1/work-zones/{zone.client_uuid}/photos", headers, photo_uuid)
    assert again.status_code == 409
    assert photos(db_session) == 1


def test_a_voided_briefing_takes_no_photo(client, crew, briefing_of, db_session):
    _, headers = crew()
    uuid = briefing_of(headers)
    voided = client.post(f"/api/v1/briefings/{uuid}/void", json={"reason": "重复"}, headers=headers)
    assert voided.status_code == 200
    assert upload(client, f"/api/v1/briefings/{uuid}/photos", headers).status_code == 422
    assert photos(db_session) == 0


def test_crew_readers_see_briefing_photos_but_not_other_records_photos(
    client, crew, briefing_of, roads, db_session
):
    from tests.integration.patrols.test_findings_api import pothole

    _, author = crew()
    _, machinery = crew("machinery")
    _, admin = crew("admin")
    briefing_photo = upload(client, f"/api/v1/briefings/{briefing_of(author)}/photos", author)
    finding = client.post("/api/v1/findings", json=pothole(), headers=author).get_json()
    finding_photo = upload(
        client,
        f"/api/v1/findings/{finding['uuid']}/photos",
        author,
        image=jpeg_bytes(colour=(9, 9, 9)),
    )
    assert finding_photo.status_code == 201
    for key in ("url", "thumbnail_url"):
        seen = client.get(briefing_photo.get_json()[key], headers=machinery)
        assert seen.status_code == 200, key
        seen.close()
        assert client.get(briefing_photo.get_json()[key], headers=admin).status_code == 403
    other = finding_photo.get_json()
    assert other["sha256"] != briefing_photo.get_json()["sha256"]
    assert client.get(other["url"], headers=machinery).status_code == 403
    assert client.get("/media/ab/cd/none.jpg", headers=machinery).status_code == 403
    patrol_view = client.get(other["url"], headers=author)
    assert patrol_view.status_code == 200
    patrol_view.close()
