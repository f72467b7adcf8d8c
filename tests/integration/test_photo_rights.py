"""Who may add a photo to a record, and what the phone's EXIF position may be (#12, item 4).

Only someone who may edit the record adds photos to it: a finding's, repair's, briefing's or
work zone's author or a safety officer; a survey record's author or a manager; a hazard's
"after" evidence only its assignee or a safety officer. Anyone else gets a 403 and nothing is
stored. Who sees them: readers of records; a briefing's or work zone's also crew.read holders.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from inspection.auth.permissions import allows
from inspection.media.models import Photo
from inspection.media.services import may_add_photo
from inspection.sites.models import Department
from inspection.surveys import services as survey_services
from tests.integration.helpers import jpeg_bytes, new_uuid
from tests.integration.patrols.test_findings_api import pothole
from tests.integration.repairs.conftest import shoulder

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


def photos(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Photo))


def upload(client, url, headers, **fields):
    form = {"photo": (io.BytesIO(jpeg_bytes()), "p.jpg"), "photo_uuid": new_uuid(), **fields}
    return client.post(url, data=form, headers=headers, content_type="multipart/form-data")


@pytest.fixture
def people(crew):
    return {
        "author": crew("patrol"),
        "other": crew("patrol"),
        "officer": crew("safety_officer"),
        "manager": crew("manager"),
    }


def test_a_finding_takes_photos_from_its_author_or_an_officer(client, roads, people, db_session):
    _, author = people["author"]
    finding = client.post("/api/v1/findings", json=pothole(), headers=author).get_json()
    url = f"/api/v1/findings/{finding['uuid']}/photos"
    refused = upload(client, url, people["other"][1])
    assert refused.status_code == 403, refused.get_json()
    assert refused.get_json()["error"]["code"] == "forbidden"
    assert photos(db_session) == 0
    assert upload(client, url, author).status_code == 201
    assert upload(client, url, people["officer"][1]).status_code == 201
    assert photos(db_session) == 2


def test_a_repair_takes_photos_from_its_author_or_an_officer(client, roads, people, db_session):
    _, author = people["author"]
    repair = client.post("/api/v1/repairs", json=shoulder(), headers=author)
    assert repair.status_code == 201, repair.get_json()
    url = f"/api/v1/repairs/{repair.get_json()['uuid']}/photos"
    assert upload(client, url, people["other"][1], stage="before").status_code == 403
    assert photos(db_session) == 0
    assert upload(client, url, author, stage="before").status_code == 201
    assert upload(client, url, people["officer"][1], stage="after").status_code == 201


def test_a_survey_record_takes_photos_from_its_author_or_a_manager(
    client, roads, people, db_session
):
    manager_user = people["manager"][0]
    campaign = survey_services.create_campaign(
        db_session,
        survey_services.CampaignInput(
            name="2026 spring",
            starts_on=date(2026, 4, 1),
            ends_on=date(2026, 4, 30),
            method="visual",
            unit_length_m=1000.0,
            width_m=7.5,
            pavement="asphalt",
            roads=(("G30", "up"),),
            note="",
        ),
        actor=manager_user,
    )
    body = {
        "unit_id": campaign.units[0].id,
        "item_code": "pothole",
        "severity": "light",
        "quantity": 1,
        "unit": "m2",
    }
    _, author = people["author"]
    record = client.post(f"/api/v1/surveys/{campaign.id}/records", json=body, headers=author)
    assert record.status_code == 201, record.get_json()
    url = f"/api/v1/surveys/records/{record.get_json()['id']}/photos"
    assert upload(client, url, people["other"][1]).status_code == 403
    assert upload(client, url, people["officer"][1]).status_code == 403
    assert photos(db_session) == 0
    assert upload(client, url, author).status_code == 201
    assert upload(client, url, people["manager"][1]).status_code == 201


def test_a_hazards_after_evidence_comes_from_its_assignee_or_an_officer(
    client, roads, people, db_session
):
    from tests.integration.hazards.test_loop import act, raise_body

    unit = Department(name="养护一工区", kind="maintenance_area", active=True)
    db_session.add(unit)
    db_session.flush()
    _, reporter = people["author"]
    assignee_user, assignee = people["other"]
    _, officer = people["officer"]
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=reporter).get_json()
    url = f"/api/v1/hazards/{hazard['id']}/photos"
    # Before assignment: the reporter adds site photos, nobody but an officer "after" ones.
    assert upload(client, url, reporter, stage="site").status_code == 201
    assert upload(client, url, assignee, stage="site").status_code == 403
    assert upload(client, url, reporter, stage="after").status_code == 403
    assigned = act(
        client,
        hazard,
        officer,
        "assign",
        responsible_unit=unit.id,
        responsible_person="马队长",
        assignee_user_id=assignee_user.id,
        measures="更换护栏板 4 块",
        deadline=(TODAY + timedelta(days=5)).isoformat(),
    )
    assert assigned.status_code == 200, assigned.get_json()
    stored = photos(db_session)
    assert upload(client, url, reporter, stage="after").status_code == 403
    assert photos(db_session) == stored
    assert upload(client, url, assignee, stage="after").status_code == 201
    assert upload(client, url, officer, stage="after").status_code == 201


def test_the_html_evidence_form_refuses_someone_not_assigned(
    client, roads, people, db_session, login_as
):
    from tests.integration.hazards.test_loop import raise_body

    _, reporter = people["author"]
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=reporter).get_json()
    login_as("patrol")
    client.application.config["WTF_CSRF_ENABLED"] = False
    try:
        answer = client.post(
            f"/hazards/{hazard['id']}/act",
            data={
                "action": "submit",
                "version": str(hazard["version"]),
                "note": "已更换",
                "photos": (io.BytesIO(jpeg_bytes()), "after.jpg"),
            },
            content_type="multipart/form-data",
        )
    finally:
        client.application.config["WTF_CSRF_ENABLED"] = True
    assert answer.status_code == 403
    assert photos(db_session) == 0


def _user(uid, *roles):
    return SimpleNamespace(id=uid, can=lambda permission: allows(roles, permission))


@pytest.mark.parametrize(
    ("table", "fields", "stage", "allowed"),
    [
        ("findings", {"created_by_id": 1}, "site", {"author", "officer"}),
        ("repairs", {"created_by_id": 1}, "before", {"author", "officer"}),
        ("survey_records", {"created_by_id": 1}, "site", {"author", "manager"}),
        ("inspection_items", {}, "site", {"officer"}),
        ("briefings", {"created_by_id": 1}, "site", {"author", "officer"}),
        ("work_zones", {"created_by_id": 1}, "after", {"author", "officer"}),
        ("hazards", {"found_by_id": 1, "assignee_id": 2}, "site", {"author", "other", "officer"}),
        ("hazards", {"found_by_id": 1, "assignee_id": 2}, "after", {"other", "officer"}),
        ("hazards", {"found_by_id": 1, "assignee_id": None}, "after", {"officer"}),
    ],
)
def test_who_may_add_a_photo(table, fields, stage, allowed):
    owner = SimpleNamespace(__tablename__=table, **fields)
    users = {
        "author": _user(1, "patrol"),
        "other": _user(2, "patrol"),
        "officer": _user(3, "safety_officer"),
        "manager": _user(4, "manager"),
        "admin": _user(5, "admin"),
    }
    assert {name for name, u in users.items() if may_add_photo(owner, u, stage)} == allowed


@pytest.mark.parametrize(
    ("roles", "sees_crew_photos", "sees_other_photos"),
    [
        (("patrol",), True, True),
        (("manager",), True, True),
        (("machinery",), True, False),  # crew.read without records.read (#16)
        (("admin",), False, False),
    ],
)
def test_who_may_see_a_briefings_photos(
    client, roads, crew, db_session, roles, sees_crew_photos, sees_other_photos
):
    _, author = crew("patrol")
    _, viewer = crew(*roles)
    briefing = client.post(
        "/api/v1/briefings",
        json={
            "client_uuid": new_uuid(),
            "held_at": "2026-05-01T07:30:00+08:00",
            "crew": "一班",
            "topic_text": "冬季除雪防滑安全",
            "attendees": [{"name": "钱师傅"}],
        },
        headers=author,
    ).get_json()
    crew_photo = upload(client, f"/api/v1/briefings/{briefing['uuid']}/photos", author).get_json()
    finding = client.post("/api/v1/findings", json=pothole(), headers=author).get_json()
    form = {"photo": (io.BytesIO(jpeg_bytes(colour=(9, 9, 9))), "p.jpg"), "photo_uuid": new_uuid()}
    other = client.post(
        f"/api/v1/findings/{finding['uuid']}/photos",
        data=form,
        headers=author,
        content_type="multipart/form-data",
    ).get_json()
    for url, allowed in ((crew_photo["url"], sees_crew_photos), (other["url"], sees_other_photos)):
        answer = client.get(url, headers=viewer)
        answer.close()
        assert (answer.status_code == 200) == allowed, (url, answer.status_code)
        assert answer.status_code in (200, 403)


@pytest.mark.parametrize(
    ("lon", "lat", "kept"),
    [
        ("87.61", "43.86", True),
        ("87.61", "91", False),  # out of range
        ("181", "43.86", False),
        ("NaN", "43.86", False),
        ("Infinity", "43.86", False),
        ("８７", "43.86", False),  # not ASCII digits
        ("١٢", "43.86", False),
        ("1e2", "43.86", False),
        ("87.61", "", False),  # only one of the two
        ("x" * 64, "43.86", False),
    ],
)
def test_the_phones_exif_position_is_kept_only_when_plausible(
    client, roads, people, db_session, lon, lat, kept
):
    _, author = people["author"]
    finding = client.post("/api/v1/findings", json=pothole(), headers=author).get_json()
    answer = upload(
        client, f"/api/v1/findings/{finding['uuid']}/photos", author, exif_lon=lon, exif_lat=lat
    )
    assert answer.status_code == 201, answer.get_json()
    photo = db_session.scalar(select(Photo))
    assert (photo.exif_lon is not None and photo.exif_lat is not None) == kept
    if kept:
        assert (photo.exif_lon, photo.exif_lat) == (87.61, 43.86)


def test_a_malformed_photo_form_is_a_422_naming_its_fields(client, roads, people):
    _, author = people["author"]
    finding = client.post("/api/v1/findings", json=pothole(), headers=author).get_json()
    url = f"/api/v1/findings/{finding['uuid']}/photos"
    answer = client.post(
        url,
        data={"photo_uuid": "²", "exif_taken_at": "x" * 41},
        headers=author,
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422
    assert set(answer.get_json()["error"]["fields"]) >= {"photo", "photo_uuid", "exif_taken_at"}
