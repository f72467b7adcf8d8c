"""Vector tiles (OGC API – Tiles naming): valid MVT, the same records as /items, caching, input."""

from __future__ import annotations

import math
from datetime import date
from urllib.error import HTTPError
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo

import mapbox_vector_tile
import pytest
from sqlalchemy import func, select, text

from inspection.auth import services as auth_services
from inspection.extensions import db
from inspection.ogc import tile_views, tiles
from inspection.ogc.model import Context
from inspection.patrols.models import Finding
from tests.integration.helpers import point_of

MVT = "application/vnd.mapbox-vector-tile"
TOUCH = "UPDATE findings SET note = note || '.' WHERE id ="


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def path(layer: str, z: int, x: int, y: int, query: str = "") -> str:
    return f"/ogc/collections/{layer}/tiles/WebMercatorQuad/{z}/{y}/{x}" + (
        f"?{query}" if query else ""
    )


def decode(body: bytes) -> dict:
    return mapbox_vector_tile.decode(body) if body else {}


def live_in_tile(session, z: int, x: int, y: int, **where) -> int:
    west, south, east, north = tiles.tile_bbox(z, x, y)
    query = select(func.count()).select_from(Finding).where(Finding.voided_at.is_(None))
    envelope = func.ST_MakeEnvelope(west, south, east, north, 4326)
    query = query.where(func.ST_Intersects(Finding.geom, envelope))
    for name, value in where.items():
        query = query.where(getattr(Finding, name) == value)
    return session.scalar(query)


@pytest.fixture
def centre(db_session, world) -> tuple[float, float]:
    return point_of(db_session, "G30", 3_507_080.0)


def test_a_detailed_tile_holds_each_live_finding_with_its_id(client, reader, db_session, centre):
    z = tiles.DETAIL_FROM_ZOOM
    x, y = tile_of(*centre, z)
    answer = client.get(path("findings", z, x, y), headers=reader)
    assert answer.status_code == 200
    assert answer.content_type == MVT
    layer = decode(answer.get_data())["findings"]
    assert layer["extent"] == tiles.EXTENT
    expected = live_in_tile(db_session, z, x, y)
    ids = {f["id"] for f in layer["features"]}
    assert len(ids) == expected > 0
    for feature in layer["features"]:
        found = db_session.get(Finding, feature["id"])
        assert found.voided_at is None
        assert feature["properties"] == {"status": found.status, "kind": found.kind}
        assert feature["geometry"]["type"] in ("Point", "LineString")


def test_a_low_zoom_tile_counts_the_records_in_dots(client, reader, db_session, world, centre):
    z = 5
    x, y = tile_of(*centre, z)
    layer = decode(client.get(path("findings", z, x, y), headers=reader).get_data())["findings"]
    total = sum(f["properties"]["count"] for f in layer["features"])
    live = db_session.scalar(
        select(func.count()).select_from(Finding).where(Finding.voided_at.is_(None))
    )
    assert total == live  # every live finding of the demo lies in this tile; the voided not
    assert {f["properties"]["status"] for f in layer["features"]} <= {
        "open",
        "hazard_raised",
        "resolved",
    }
    assert all(f["geometry"]["type"] == "Point" for f in layer["features"])
    hazards = decode(client.get(path("hazards", z, x, y), headers=reader).get_data())["hazards"]
    assert sum(f["properties"]["count"] for f in hazards["features"]) == 2
    assert any(f["properties"]["overdue"] for f in hazards["features"])
    repairs = decode(client.get(path("repairs", z, x, y), headers=reader).get_data())
    assert sum(f["properties"]["count"] for f in repairs["repairs"]["features"]) == 1


def test_filters_are_those_of_the_items(client, reader, db_session, centre):
    z = 5
    x, y = tile_of(*centre, z)
    answer = client.get(path("findings", z, x, y, "kind=pothole"), headers=reader)
    layer = decode(answer.get_data())["findings"]
    assert sum(f["properties"]["count"] for f in layer["features"]) == 2
    empty = client.get(path("findings", z, x, y, "road=NONE"), headers=reader)
    assert empty.status_code == 200 and empty.get_data() == b""
    assert empty.headers["ETag"] != answer.headers["ETag"]


def test_a_far_tile_is_empty(client, reader, world):
    answer = client.get(path("findings", 10, 0, 0), headers=reader)
    assert answer.status_code == 200 and answer.get_data() == b""


def test_tiles_are_cached_by_version_and_answer_304(client, reader, db_session, centre):
    z = 8
    x, y = tile_of(*centre, z)
    first = client.get(path("findings", z, x, y), headers=reader)
    assert first.headers["X-Tile-Cache"] == "miss"
    assert first.headers["Cache-Control"] == "private, no-cache"
    tag = first.headers["ETag"]
    again = client.get(path("findings", z, x, y), headers=reader)
    assert again.headers["X-Tile-Cache"] == "hit" and again.get_data() == first.get_data()
    same = client.get(path("findings", z, x, y), headers={**reader, "If-None-Match": tag})
    assert same.status_code == 304 and same.get_data() == b"" and same.headers["ETag"] == tag

    # A change to findings raises the version at commit (here: when the deferred trigger runs).
    before = db_session.scalar(text("SELECT version FROM tile_data_version"))
    db_session.execute(
        text("UPDATE findings SET note = 'changed' WHERE id = (SELECT min(id) FROM findings)")
    )
    db_session.execute(
        text("UPDATE findings SET note = 'twice' WHERE id = (SELECT max(id) FROM findings)")
    )
    db_session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
    assert db_session.scalar(text("SELECT version FROM tile_data_version")) == before + 1  # once
    changed = client.get(path("findings", z, x, y), headers={**reader, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["X-Tile-Cache"] == "miss"
    assert changed.headers["ETag"] != tag


def test_hazard_tiles_change_with_the_day(client, reader, world, centre, monkeypatch):
    x, y = tile_of(*centre, 6)
    today = client.get(path("hazards", 6, x, y), headers=reader).headers["ETag"]
    tomorrow = Context(today=date(2099, 1, 1), timezone=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(tile_views, "context", lambda: tomorrow)
    assert client.get(path("hazards", 6, x, y), headers=reader).headers["ETag"] != today


@pytest.mark.parametrize(
    ("tile", "status"),
    [
        ("23/0/0", 404),  # beyond the deepest level
        ("2/4/0", 404),  # row outside the matrix
        ("2/0/4", 404),  # column outside the matrix
        ("-1/0/0", 400),
        ("a/0/0", 400),
        ("3/1.5/0", 400),
        ("3/0/%C2%B2", 400),  # a superscript two is no digit here
        ("99999999999/0/0", 400),
        ("4/999999999999999999999/0", 400),
    ],
)
def test_bad_tiles_are_4xx(client, reader, tile, status):
    answer = client.get(f"/ogc/collections/findings/tiles/WebMercatorQuad/{tile}", headers=reader)
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert set(answer.get_json()["error"]) >= {"code", "message", "fields"}


@pytest.mark.parametrize(
    "where",
    [
        "/ogc/collections/roads/tiles/WebMercatorQuad/0/0/0",
        "/ogc/collections/nothing/tiles/WebMercatorQuad/0/0/0",
        "/ogc/collections/findings/tiles/WorldCRS84Quad/0/0/0",
    ],
)
def test_collections_without_tiles_are_404(client, reader, where):
    assert client.get(where, headers=reader).status_code == 404


@pytest.mark.parametrize(
    "query", ["bbox=1,2,3,4", "limit=5", "kind=volcano", "f=png", "datetime=soon"]
)
def test_bad_parameters_are_400(client, reader, query):
    answer = client.get(path("findings", 0, 0, 0, query), headers=reader)
    assert answer.status_code == 400, answer.get_data(as_text=True)


def test_tiles_need_records_read(client, make_user, db_session):
    where = path("findings", 0, 0, 0)
    assert client.get(where).status_code == 401
    admin = make_user("admin")
    token = auth_services.issue_token(db_session, admin).token
    assert client.get(where, headers={"Authorization": f"Bearer {token}"}).status_code == 403


def test_a_committed_change_gives_served_tiles_a_new_etag(live):
    def fetch(etag: str | None = None):
        headers = {"Authorization": f"Bearer {live.token}"}
        if etag:
            headers["If-None-Match"] = etag
        request = Request(live.url + path("findings", 4, 11, 5), headers=headers)
        try:
            with urlopen(request, timeout=30) as answer:
                return answer.status, answer.headers["ETag"]
        except HTTPError as error:
            return error.code, error.headers["ETag"]

    status, tag = fetch()
    assert status == 200
    assert fetch(tag) == (304, tag)
    with live.app.app_context():
        db.session.execute(
            text("UPDATE findings SET note = note || '.' WHERE id = (SELECT min(id) FROM findings)")
        )
        db.session.commit()
        db.session.remove()
    status, new_tag = fetch(tag)
    assert status == 200 and new_tag != tag


def test_the_ogc_api_definition_lists_the_tiles(client, reader):
    paths = client.get("/ogc/api", headers=reader).get_json()["paths"]
    tiled = sorted(p for p in paths if "/tiles/" in p)
    assert tiled == [
        f"/collections/{c}/tiles/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"
        for c in ("findings", "hazards", "repairs")
    ]
