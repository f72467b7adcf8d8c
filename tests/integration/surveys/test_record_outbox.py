"""Survey records as the phone's outbox sends them: the record under its client UUID, then its
photos to the record's UUID address (the phone made them offline and never knew the id)."""

import io

import pytest
from sqlalchemy import func, select

from inspection.media.models import Photo
from inspection.surveys.models import SurveyRecord
from tests.integration.helpers import jpeg_bytes, new_uuid
from tests.integration.surveys.conftest import unit_at


@pytest.fixture
def campaign(roads, campaign_of):
    return campaign_of(("G30", "up"))


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def record_body(campaign, **overrides) -> dict:
    body = {
        "client_uuid": new_uuid(),
        "unit_id": unit_at(campaign, "G30", 3).id,
        "family": "pavement",
        "item_code": "alligator_cracking",
        "severity": "medium",
        "quantity": 12.5,
        "stake": "K3502+400",
        "note": "右侧行车道",
    }
    body.update(overrides)
    return body


def photo(client, record_uuid, headers, photo_uuid, data=None):
    return client.post(
        f"/api/v1/surveys/records/by-uuid/{record_uuid}/photos",
        data={
            "photo": (io.BytesIO(data if data is not None else jpeg_bytes()), "photo.jpg"),
            "photo_uuid": photo_uuid,
            "stage": "site",
        },
        headers=headers,
        content_type="multipart/form-data",
    )


def test_a_record_and_its_photo_by_uuid_replayed_are_stored_once(
    client, crew, campaign, db_session
):
    _, headers = crew()
    body = record_body(campaign)
    photo_uuid = new_uuid()
    url = f"/api/v1/surveys/{campaign.id}/records"
    for round_ in range(2):
        record = client.post(url, json=body, headers=headers)
        assert record.status_code == (201 if round_ == 0 else 200)
        assert record.get_json()["uuid"] == body["client_uuid"]
        answer = photo(client, body["client_uuid"], headers, photo_uuid)
        assert answer.status_code == (201 if round_ == 0 else 200)
        assert answer.get_json()["uuid"] == photo_uuid
    assert (count(db_session, SurveyRecord), count(db_session, Photo)) == (1, 1)
    stored = db_session.scalar(select(SurveyRecord))
    assert db_session.scalar(select(Photo.survey_record_id)) == stored.id


def test_the_uuid_address_of_no_record_is_not_found(client, crew, campaign, db_session):
    _, headers = crew()
    assert photo(client, new_uuid(), headers, new_uuid()).status_code == 404
    assert photo(client, "not-a-uuid", headers, new_uuid()).status_code == 404
    assert count(db_session, Photo) == 0


def test_bad_records_and_photos_are_refused_with_nothing_half_saved(
    client, crew, campaign, db_session
):
    _, headers = crew()
    url = f"/api/v1/surveys/{campaign.id}/records"
    refused = client.post(url, json=record_body(campaign, quantity=None), headers=headers)
    assert refused.status_code == 422
    assert "quantity" in refused.get_json()["error"]["fields"]
    outside = client.post(url, json=record_body(campaign, stake="K3590+000"), headers=headers)
    assert outside.status_code == 422
    assert count(db_session, SurveyRecord) == 0
    body = record_body(campaign)
    client.post(url, json=body, headers=headers)
    damaged = photo(client, body["client_uuid"], headers, new_uuid(), b"\xff\xd8 not a photo")
    assert 400 <= damaged.status_code < 500
    assert count(db_session, Photo) == 0


def test_another_users_uuids_are_conflicts_and_their_photos_refused(
    client, crew, campaign, db_session
):
    _, mine = crew()
    _, theirs = crew()
    body = record_body(campaign)
    url = f"/api/v1/surveys/{campaign.id}/records"
    client.post(url, json=body, headers=mine)
    taken = client.post(url, json=body, headers=theirs)
    assert taken.status_code == 409
    assert taken.get_json()["error"]["code"] == "uuid_taken"
    photo_uuid = new_uuid()
    assert photo(client, body["client_uuid"], mine, photo_uuid).status_code == 201
    # Another crew member may not add photos to my record, nor reuse my photo's UUID.
    assert photo(client, body["client_uuid"], theirs, new_uuid()).status_code == 403
    their_record = record_body(campaign)
    client.post(url, json=their_record, headers=theirs)
    assert photo(client, their_record["client_uuid"], theirs, photo_uuid).status_code == 409
    assert (count(db_session, SurveyRecord), count(db_session, Photo)) == (2, 1)
