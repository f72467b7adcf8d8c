"""Importing an exported outbox with self-inspections from the walk page (/field/inspection).

The walk page puts one record (POST /api/v1/inspections) and then each item photo (POST
/api/v1/inspection-items/<uuid>/photos) into the outbox; a phone that cannot send exports them
to a file, which a safety officer imports at /field/import, nothing twice.
"""

import base64
import hashlib
import io
import json
import re
from datetime import datetime, timedelta

import pytest
from shapely.geometry import Point
from sqlalchemy import func, select

from inspection.geo import to_db
from inspection.hazards.models import Hazard
from inspection.inspections.models import Inspection, InspectionItem
from inspection.media.models import Photo
from inspection.patrols.models import Finding
from inspection.sites.models import Site
from inspection.web import branch_zone
from tests.conftest import csrf_token_from
from tests.integration.helpers import jpeg_bytes, new_uuid
from tests.integration.patrols.test_findings_api import pothole


@pytest.fixture
def site(db_session):
    made = Site(name="导入测试收费站", kind="toll_station", geom=to_db(Point(87.65, 43.83)))
    db_session.add(made)
    db_session.flush()
    return made


def walk_entries(app, site, unmet_photo=True):
    """An inspection as walk.js saves it: three items, two do not meet, one photo of the first."""
    with app.app_context():
        now = datetime.now(branch_zone()).replace(microsecond=0)
    day = now.date().isoformat()  # answered over the last minutes (a time ahead is refused)
    inspection_uuid = new_uuid()
    items = [
        {
            "client_uuid": new_uuid(),
            "section": section,
            "name": name,
            "hazard_category": category,
            "result": result,
            "note": note,
            "site_id": site.id,
            "checked_at": (now - timedelta(minutes=3 - n)).isoformat(),
            **({"grade": "general"} if result == "does_not_meet" else {}),
        }
        for n, (section, name, category, result, note) in enumerate(
            (
                ("fire_safety", "灭火器在检验有效期内", "fire_safety", "does_not_meet", "2具过期"),
                ("electricity", "配电箱上锁", "electrical", "does_not_meet", "未上锁"),
                ("office_living", "宿舍无私拉电线", "office_living", "meets", ""),
            )
        )
    ]
    record = {
        "kind": "record",
        "method": "POST",
        "url": "/api/v1/inspections",
        "uuid": inspection_uuid,
        "answer_uuid": "inspection.client_uuid",
        "deps": [],
        "label": f"检查 {site.name} {day}",
        "body": {
            "client_uuid": inspection_uuid,
            "kind": "routine",
            "theme": f"日常检查 {site.name}",
            "started_on": day,
            "ended_on": day,
            "site_ids": [site.id],
            "items": items,
        },
    }
    data = jpeg_bytes()
    item_uuid = items[0]["client_uuid"]
    photo = {
        "kind": "photo",
        "url": f"/api/v1/inspection-items/{item_uuid}/photos",
        "parent_uuid": item_uuid,
        "deps": [inspection_uuid],
        "photo_uuid": new_uuid(),
        "stage": "site",
        "type": "image/jpeg",
        "sha256": hashlib.sha256(data).hexdigest(),
        "exif_taken_at": (now - timedelta(minutes=3)).isoformat(),
        "exif_lon": 87.65,
        "exif_lat": 43.83,
        "bytes_base64": base64.b64encode(data).decode(),
    }
    return [record, photo] if unmet_photo else [record]


def send(client, entries):
    """Import a file of these entries; return the outcome of each row, in order."""
    payload = json.dumps({"version": 1, "exported_at": "2026-12-01T18:00:00", "entries": entries})
    token = csrf_token_from(client.get("/field/import").get_data(as_text=True))
    answer = client.post(
        "/field/import",
        data={"file": (io.BytesIO(payload.encode()), "outbox.json"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200
    rows = re.findall(r"<tr><td>\d+</td>.*?</tr>", answer.get_data(as_text=True), re.S)
    return [re.sub(r"<[^>]+>", "", row.split("<td>")[-1]).strip() for row in rows]


def counts(db_session):
    return tuple(
        db_session.scalar(select(func.count()).select_from(model))
        for model in (Inspection, InspectionItem, Hazard, Photo)
    )


def test_an_exported_inspection_is_imported_once(app, client, login_as, english, db_session, site):
    officer = login_as("safety_officer")
    entries = walk_entries(app, site)
    assert send(client, entries) == ["stored", "stored"]
    assert counts(db_session) == (1, 3, 2, 1)  # one inspection, two hazards, one photo
    assert send(client, entries) == ["already on the server"] * 2
    assert counts(db_session) == (1, 3, 2, 1)  # nothing twice

    inspection = db_session.scalar(select(Inspection))
    assert str(inspection.client_uuid) == entries[0]["uuid"]
    assert inspection.created_by_id == officer.id and inspection.leader_id == officer.id
    hazards = db_session.scalars(select(Hazard).order_by(Hazard.id)).all()
    assert [(h.category, h.site_id, h.inspection_id) for h in hazards] == [
        ("fire_safety", site.id, inspection.id),
        ("electrical", site.id, inspection.id),
    ]
    photo = db_session.scalar(select(Photo))
    item = db_session.get(InspectionItem, photo.inspection_item_id)
    assert str(item.client_uuid) == entries[1]["parent_uuid"]
    assert str(photo.client_uuid) == entries[1]["photo_uuid"]


def test_a_photo_sent_before_the_export_is_recognised(
    app, client, login_as, english, db_session, site
):
    """The phone sent the record, then lost signal: the file still holds the photo."""
    login_as("safety_officer")
    record, photo = walk_entries(app, site)
    assert send(client, [record]) == ["stored"]
    assert send(client, [record, photo]) == ["already on the server", "stored"]
    assert counts(db_session) == (1, 3, 2, 1)


def test_only_a_safety_officer_imports_inspections_and_nothing_is_lost(
    app, client, login_as, english, db_session, site, roads
):
    login_as("patrol")
    finding_uuid = new_uuid()
    finding = {
        "kind": "record",
        "method": "POST",
        "url": "/api/v1/findings",
        "uuid": finding_uuid,
        "body": pothole(client_uuid=finding_uuid),
    }
    entries = [finding, *walk_entries(app, site)]
    outcomes = send(client, entries)
    # The crew member's own finding is imported; each inspection entry is refused on its own.
    assert outcomes[0] == "stored"
    assert outcomes[1:] == ["refused: Only a safety officer may import self-inspections."] * 2
    assert counts(db_session) == (0, 0, 0, 0)
    assert db_session.scalar(select(func.count()).select_from(Finding)) == 1

    # The same file, imported by a safety officer: the inspection and its photo arrive.
    login_as("safety_officer")
    outcomes = send(client, entries)
    assert outcomes[0].startswith("refused")  # the finding is the crew member's
    assert outcomes[1:] == ["stored", "stored"]
    assert counts(db_session) == (1, 3, 2, 1)


@pytest.mark.parametrize(
    "change, why",
    [
        ({"url": "/api/v1/nowhere/1/photos"}, "cannot be imported"),
        ({"url": "/api/v1/findings"}, "cannot be imported"),  # a record's address
        ({"url": "/api/v1/hazards/999999/photos"}, "no hazard 999999"),
        ({"bytes_base64": "not base64!"}, "damaged"),
        ({"url": f"/api/v1/inspection-items/{new_uuid()}/photos"}, "no checklist item"),
    ],
)
def test_a_photo_entry_that_names_nothing_known_is_refused(
    app, client, login_as, english, db_session, site, change, why
):
    login_as("safety_officer")
    record, photo = walk_entries(app, site)
    outcomes = send(client, [record, {**photo, **change}])
    assert outcomes[0] == "stored" and outcomes[1].startswith("refused") and why in outcomes[1]
    assert counts(db_session) == (1, 3, 2, 0)


def test_a_refused_inspection_names_its_fields_and_keeps_nothing(
    app, client, login_as, english, db_session, site
):
    login_as("safety_officer")
    record, photo = walk_entries(app, site)
    record["body"]["items"][1]["result"] = "maybe"
    outcomes = send(client, [record, photo])
    assert outcomes[0].startswith("refused: Some fields are not valid.")
    assert "items.1.result" in outcomes[0]
    assert outcomes[1].startswith("refused")  # its item is not on the server
    assert counts(db_session) == (0, 0, 0, 0)  # nothing half-saved
