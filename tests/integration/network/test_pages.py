"""Road pages and the browser import for managers."""

import io
import json

from sqlalchemy import func, select

from inspection.network.models import Road
from inspection.network.sample import demo_network
from tests.conftest import csrf_token_from


def test_road_list_and_detail_pages(client, login_as, demo_roads):
    login_as("patrol")
    page = client.get("/roads/").get_data(as_text=True)
    assert "连霍高速（示范段）" in page
    assert "K3500+000" in page
    detail = client.get("/roads/G30/up").get_data(as_text=True)
    assert "短链" in detail
    assert "K3511+700.0" in detail


def test_manager_imports_from_the_browser_with_a_dry_run_first(client, login_as, db_session):
    login_as("manager")
    token = csrf_token_from(client.get("/roads/import").get_data(as_text=True))
    payload = json.dumps({"type": "FeatureCollection", "features": demo_network()}).encode()

    def upload(dry_run):
        data = {"file": (io.BytesIO(payload), "roads.geojson"), "csrf_token": token}
        if dry_run:
            data["dry_run"] = "y"
        return client.post("/roads/import", data=data, content_type="multipart/form-data")

    dry = upload(dry_run=True)
    assert dry.status_code == 200
    assert "roads created: 3" in dry.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(Road)) == 0

    real = upload(dry_run=False)
    assert real.status_code == 200
    assert db_session.scalar(select(func.count()).select_from(Road)) == 3


def test_import_refuses_a_file_that_is_not_geojson(client, login_as):
    login_as("manager")
    token = csrf_token_from(client.get("/roads/import").get_data(as_text=True))
    response = client.post(
        "/roads/import",
        data={"file": (io.BytesIO(b"\x00\x01"), "roads.geojson"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "GeoJSON" in response.get_data(as_text=True)
