"""A hazard's evidence as the phone's outbox sends it: photos under their UUIDs to the hazard's
address, then the submit action under its own UUID, so that a repeat is answered, not refused."""

import io
from datetime import timedelta

from sqlalchemy import func, select

from inspection.hazards.models import Hazard, HazardEvent
from inspection.media.models import Photo
from tests.integration.hazards.test_loop import TODAY, act, raise_body
from tests.integration.helpers import jpeg_bytes, new_uuid


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def photo(client, hazard_id, headers, photo_uuid, stage="after", data=None):
    return client.post(
        f"/api/v1/hazards/{hazard_id}/photos",
        data={
            "photo": (io.BytesIO(data if data is not None else jpeg_bytes()), "photo.jpg"),
            "photo_uuid": photo_uuid,
            "stage": stage,
        },
        headers=headers,
        content_type="multipart/form-data",
    )


def assigned(client, crew, units):
    """A hazard the crew member raised, assigned to them by an officer: (hazard, crew, officer)."""
    crew_user, crew_headers = crew("patrol")
    _, officer = crew("safety_officer")
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=crew_headers).get_json()
    hazard = act(
        client,
        hazard,
        officer,
        "assign",
        responsible_unit=units["养护一工区"].id,
        responsible_person="马队长",
        assignee_user_id=crew_user.id,
        measures="更换护栏板",
        deadline=(TODAY + timedelta(days=5)).isoformat(),
    )
    assert hazard.status_code == 200, hazard.get_json()
    return hazard.get_json(), crew_headers, officer


def test_photos_then_the_submit_replayed_are_taken_once(client, roads, crew, units, db_session):
    hazard, headers, _ = assigned(client, crew, units)
    photos = [new_uuid(), new_uuid()]
    action_uuid = new_uuid()
    body = {
        "action": "submit",
        "version": hazard["version"],
        "note": "已更换护栏板",
        "after_photo_ids": photos,
        "client_uuid": action_uuid,
    }
    url = f"/api/v1/hazards/{hazard['id']}/actions"
    for round_ in range(2):  # the whole queue again, as after a lost answer
        for photo_uuid in photos:
            answer = photo(client, hazard["id"], headers, photo_uuid)
            assert answer.status_code == (201 if round_ == 0 else 200)
            assert answer.get_json()["uuid"] == photo_uuid
        submitted = client.post(url, json=body, headers=headers)
        assert submitted.status_code == 200, submitted.get_json()
        assert submitted.get_json()["action_uuid"] == action_uuid
        assert submitted.get_json()["state"] == "awaiting_verification"
    stored = db_session.get(Hazard, hazard["id"])
    assert [e.action for e in stored.events] == ["raise", "assign", "submit"]
    assert stored.events[-1].payload["client_uuid"] == action_uuid
    assert sorted(stored.events[-1].evidence) == sorted(photos)
    assert count(db_session, Photo) == 2
    # Without a UUID the old rule holds: a stale version is a conflict.
    stale = client.post(url, json={**body, "client_uuid": None}, headers=headers)
    assert stale.status_code == 409


def test_site_photos_of_the_reporter_go_to_the_hazard(client, roads, crew, units, db_session):
    _, headers = crew("patrol")
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=headers).get_json()
    photo_uuid = new_uuid()
    answers = [photo(client, hazard["id"], headers, photo_uuid, stage="site") for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 200]
    assert count(db_session, Photo) == 1


def test_a_refused_submit_changes_nothing(client, roads, crew, units, db_session):
    hazard, headers, _ = assigned(client, crew, units)
    url = f"/api/v1/hazards/{hazard['id']}/actions"
    events = count(db_session, HazardEvent)
    # The after photo never reached the server: refused, the hazard stays as it was.
    refused = client.post(
        url,
        json={
            "action": "submit",
            "version": hazard["version"],
            "after_photo_ids": [new_uuid()],
            "client_uuid": new_uuid(),
        },
        headers=headers,
    )
    assert refused.status_code == 422
    bad_uuid = client.post(
        url,
        json={"action": "submit", "version": hazard["version"], "client_uuid": "nope"},
        headers=headers,
    )
    assert bad_uuid.status_code == 422
    assert "client_uuid" in bad_uuid.get_json()["error"]["fields"]
    assert count(db_session, HazardEvent) == events
    assert db_session.get(Hazard, hazard["id"]).state == "rectifying"
    damaged = photo(client, hazard["id"], headers, new_uuid(), data=b"no photo")
    assert 400 <= damaged.status_code < 500
    assert count(db_session, Photo) == 0


def test_an_action_uuid_of_another_user_or_hazard_is_a_conflict(
    client, roads, crew, units, db_session
):
    hazard, headers, officer = assigned(client, crew, units)
    photo_uuid = new_uuid()
    photo(client, hazard["id"], headers, photo_uuid)
    action_uuid = new_uuid()
    url = f"/api/v1/hazards/{hazard['id']}/actions"
    body = {
        "action": "submit",
        "version": hazard["version"],
        "after_photo_ids": [photo_uuid],
        "note": "已更换",
        "client_uuid": action_uuid,
    }
    assert client.post(url, json=body, headers=headers).status_code == 200
    # The officer sending an action under the crew's action UUID: a conflict, not "done".
    taken = client.post(
        url, json={"action": "verify", "version": 99, "client_uuid": action_uuid}, headers=officer
    )
    assert taken.status_code == 409
    assert taken.get_json()["error"]["code"] == "uuid_taken"
    other, other_headers, _ = assigned(client, crew, units)
    elsewhere = client.post(
        f"/api/v1/hazards/{other['id']}/actions",
        json={
            "action": "record_interim_measures",
            "version": other["version"],
            "interim_measures": "锥桶",
            "client_uuid": action_uuid,
        },
        headers=other_headers,
    )
    assert elsewhere.status_code == 409
    assert db_session.get(Hazard, hazard["id"]).state == "awaiting_verification"
    # A photo UUID of this hazard sent to the other one is a conflict too.
    assert photo(client, other["id"], other_headers, photo_uuid).status_code == 409
