"""The repair pages: the form on a phone or desktop, the list with totals, the detail; recompute."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from shapely.geometry import Point
from sqlalchemy import select

from inspection.geo import from_db, to_db
from inspection.network import services as network
from inspection.patrols.models import Finding
from inspection.repairs.models import Repair
from tests.conftest import csrf_token_from
from tests.integration.helpers import jpeg_bytes, new_uuid
from tests.integration.repairs.conftest import shoulder


def form_data(html: str, **overrides) -> dict:
    """Fill the new-repair form as a crew member would on the phone."""
    data = {
        "csrf_token": csrf_token_from(html),
        "client_uuid": re.search(r'name="client_uuid" type="hidden" value="([^"]+)"', html)[1],
        "road": "G30/up",
        "kind": "shoulder",
        "direction": "",
        "side": "right",
        "stake": "K3504+000",
        "end_stake": "K3504+200",
        "completed_on": "2026-05-01",
        "area_m2": "300",
        "count": "",
        "depth_mm": "",
        "materials-0-name": "砂砾",
        "materials-0-quantity": "12.5",
        "materials-0-unit": "m3",
        "crew": "养护一班",
        "method": "人工整修",
        "cost_yuan": "",
        "note": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_creates_a_repair_and_resolves_a_finding(
    client, roads, crew, login_as, db_session, finding_of
):
    _, patrol = crew()
    finding = finding_of(patrol, stake="K3504+100")
    user = login_as("patrol")
    page = client.get("/repairs/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="viewport"' in html
    assert 'type="date"' in html
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    assert f'max="{today}"' in html
    assert html.count('name="materials-') == 15  # five rows of name, quantity, unit

    # Choosing the road shows its open findings as checkboxes, keeping what was typed.
    chosen = client.post("/repairs/new", data=form_data(html, show="findings", area_m2=""))
    assert chosen.status_code == 200
    chosen_html = chosen.get_data(as_text=True)
    assert "field-error" not in chosen_html
    assert db_session.scalar(select(Repair)) is None
    linked = client.get("/repairs/new", query_string={"road": "G30/up"}).get_data(as_text=True)
    assert f'value="{finding["uuid"]}"' in linked
    assert f'value="{finding["uuid"]}"' in chosen_html
    assert 'value="K3504+000"' in chosen_html

    saved = client.post("/repairs/new", data=form_data(html, findings=finding["uuid"]))
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    repair = db_session.scalar(select(Repair))
    assert saved.headers["Location"].endswith(f"/repairs/{repair.client_uuid}")
    assert (repair.kind, repair.area_m2, repair.created_by_id) == ("shoulder", 300, user.id)
    assert [(m.name, m.quantity, m.unit) for m in repair.materials] == [("砂砾", 12.5, "m3")]
    assert repair.end_chainage == 3504200
    assert db_session.scalar(select(Finding.status)) == "resolved"

    # Sending the same form again (a double tap) is the same repair.
    again = client.post("/repairs/new", data=form_data(html, findings=finding["uuid"]))
    assert again.status_code == 302
    assert len(db_session.scalars(select(Repair)).all()) == 1

    detail = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "K3504+000–K3504+200" in detail
    assert "砂砾" in detail
    assert "Void" in detail


def test_the_form_shows_the_services_errors_on_the_fields(client, roads, login_as, db_session):
    login_as("safety_officer")
    html = client.get("/repairs/new").get_data(as_text=True)
    refused = client.post("/repairs/new", data=form_data(html, area_m2="5000"))
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "5000.0 m²" in page
    assert "3.0 m maximum width" in page
    assert "More than the stake range can hold." in page
    off_road = client.post("/repairs/new", data=form_data(html, end_stake="K3530+000"))
    assert off_road.status_code == 422
    assert "Not a stake of this road." in off_road.get_data(as_text=True)
    bad_material = client.post(
        "/repairs/new", data=form_data(html, **{"materials-1-quantity": "3"})
    )
    assert bad_material.status_code == 422
    assert "Name the material." in bad_material.get_data(as_text=True)
    missing = client.post("/repairs/new", data=form_data(html, stake="", area_m2="abc"))
    assert missing.status_code == 422
    assert db_session.scalar(select(Repair)) is None


def test_the_form_in_chinese_uses_the_glossary_words(client, roads, login_as):
    login_as("patrol")
    with client.session_transaction() as session:
        session["lang"] = "zh_CN"
    html = client.get("/repairs/new").get_data(as_text=True)
    for word in ("整修路肩", "整修边坡", "处治坑槽", "立方米"):
        assert word in html


def test_list_detail_photo_and_void_pages(app, client, roads, crew, login_as, db_session):
    user = login_as("patrol")
    _, other = crew()
    html = client.get("/repairs/new").get_data(as_text=True)
    client.post("/repairs/new", data=form_data(html))
    mine = db_session.scalar(select(Repair))
    # Another crew member's phone (its own client: no session cookie, only the token).
    app.test_client().post(
        "/api/v1/repairs", json=shoulder(kind="slope", area_m2=2000), headers=other
    )

    listing = client.get("/repairs/").get_data(as_text=True)
    assert "2 repairs" in listing
    assert "Shoulder repair" in listing and "Slope repair" in listing
    assert "42.5 m³" in listing  # 砂砾 summed over both repairs
    slope_only = client.get("/repairs/", query_string={"kind": "slope"}).get_data(as_text=True)
    assert "1 repairs" in slope_only

    url = f"/repairs/{mine.client_uuid}"
    detail = client.get(url).get_data(as_text=True)
    token = csrf_token_from(detail)
    photo = client.post(
        f"{url}/photos",
        data={
            "csrf_token": token,
            "photo_uuid": new_uuid(),
            "stage": "before",
            "photo": (io.BytesIO(jpeg_bytes()), "p.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert photo.status_code == 302
    assert "Photos · Before" in client.get(url).get_data(as_text=True)

    assert client.post(f"{url}/void", data={"csrf_token": token, "reason": ""}).status_code == 302
    assert db_session.scalar(select(Repair.voided_at).where(Repair.id == mine.id)) is None
    client.post(f"{url}/void", data={"csrf_token": token, "reason": "重复录入"})
    assert db_session.scalar(select(Repair.void_reason).where(Repair.id == mine.id)) == "重复录入"
    assert "1 repairs" in client.get("/repairs/").get_data(as_text=True)
    shown = client.get("/repairs/", query_string={"include_voided": "1"}).get_data(as_text=True)
    assert "2 repairs" in shown

    others = db_session.scalar(select(Repair).where(Repair.created_by_id != user.id))
    other_page = client.get(f"/repairs/{others.client_uuid}").get_data(as_text=True)
    assert "Void this record" not in other_page
    refused = client.post(
        f"/repairs/{others.client_uuid}/void", data={"csrf_token": token, "reason": "x"}
    )
    assert refused.status_code == 403


def test_a_manager_sees_the_list_but_no_form(client, roads, login_as):
    login_as("manager")
    assert client.get("/repairs/").status_code == 200
    assert "New repair" not in client.get("/repairs/").get_data(as_text=True)
    assert client.get("/repairs/new").status_code == 403
    home = client.get("/").get_data(as_text=True)
    assert "/repairs/" in home


def test_recompute_after_a_road_change(app, client, roads, crew, db_session):
    _, headers = crew()
    body = shoulder()
    client.post("/api/v1/repairs", json=body, headers=headers)
    client.post(
        "/api/v1/repairs",
        json=shoulder(kind="pothole", end_stake=None, area_m2=2, count=1),
        headers=headers,
    )
    road = roads["G30"]
    good = {str(r.client_uuid): from_db(r.geom) for r in db_session.scalars(select(Repair))}
    # The road's geometry changed (a new version); the stored geometry is now stale.
    for repair in db_session.scalars(select(Repair)):
        repair.geom = to_db(
            Point(0, 0) if repair.end_chainage is None else good[body["client_uuid"]].reverse()
        )
    road.geometry_version += 1
    db_session.commit()

    result = app.test_cli_runner().invoke(args=["roads", "recompute", "G30"])
    assert result.exit_code == 0, result.output
    assert "repairs: 2 records recomputed" in result.output
    db_session.expire_all()
    for repair in db_session.scalars(select(Repair)):
        assert repair.geometry_version == road.geometry_version
        assert from_db(repair.geom).equals_exact(good[str(repair.client_uuid)], 1e-9)
    assert network.DERIVED_GEOMETRY_UPDATERS["repairs"].__module__ == "inspection.repairs.services"
