"""Uploaded files and small bodies nobody would send on purpose (#12): a clear 4xx, never a 500.

GeoJSON nested 100,000 deep is a per-file error on the road and site imports (json.loads
would die of RecursionError); the token and void bodies are declared models.
"""

from __future__ import annotations

import io

import pytest

from inspection.errors import ValidationError
from inspection.sites import importing
from tests.conftest import csrf_token_from
from tests.integration.patrols.test_findings_api import pothole
from tests.integration.repairs.conftest import shoulder

DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"type": "FeatureCollection", "features": ' + DEEP + b"}"


def _post_file(client, page: str, data: bytes, name: str):
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post(
        page,
        data={"file": (io.BytesIO(data), name), "csrf_token": token},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("data", [DEEP, DEEP_OBJECT])
def test_road_import_refuses_deep_geojson_on_its_page(client, login_as, english, data):
    login_as("manager")
    answer = _post_file(client, "/roads/import", data, "roads.geojson")
    assert answer.status_code == 422
    assert "nests more than 32 levels" in answer.get_data(as_text=True)


def test_site_import_refuses_deep_geojson_on_its_page(client, login_as, english):
    login_as("manager")
    answer = _post_file(client, "/sites/import", DEEP_OBJECT, "sites.geojson")
    assert answer.status_code == 422
    assert "nests more than 32 levels" in answer.get_data(as_text=True)


def test_site_geojson_reader_refuses_depth_before_parsing():
    with pytest.raises(ValidationError) as refused:
        importing.read_geojson(DEEP_OBJECT)
    assert refused.value.fields == {"file": "The file cannot be read as GeoJSON."}


@pytest.mark.parametrize(
    "body",
    [
        {"name": 42},
        {"name": ["a"]},
        {"name": "x" * 129},
        {"name": "\ud800"},
        {"name": "a\x00b"},
    ],
)
def test_a_token_name_must_be_text_the_column_holds(client, crew, body):
    _, headers = crew()
    answer = client.post("/api/v1/tokens", json=body, headers=headers)
    assert answer.status_code in (400, 422), answer.get_json()
    if answer.status_code == 422:
        assert "name" in answer.get_json()["error"]["fields"]


def test_a_token_is_still_issued_with_or_without_a_name(client, crew):
    _, headers = crew()
    named = client.post("/api/v1/tokens", json={"name": "QGIS"}, headers=headers)
    assert named.status_code == 201 and named.get_json()["name"] == "QGIS"
    assert client.post("/api/v1/tokens", json={}, headers=headers).status_code == 201


@pytest.mark.parametrize("reason", [42, ["twice"], {"a": 1}, "x" * 2001, "\ud800"])
def test_a_void_reason_must_be_text(client, roads, crew, reason):
    _, headers = crew()
    finding = client.post("/api/v1/findings", json=pothole(), headers=headers).get_json()
    repair = client.post("/api/v1/repairs", json=shoulder(), headers=headers).get_json()
    for url in (
        f"/api/v1/findings/{finding['uuid']}/void",
        f"/api/v1/repairs/{repair['uuid']}/void",
    ):
        answer = client.post(url, json={"reason": reason}, headers=headers)
        assert answer.status_code == 422, (url, answer.get_json())
        assert "reason" in answer.get_json()["error"]["fields"]
    deep = client.post(
        f"/api/v1/findings/{finding['uuid']}/void",
        data=b'{"reason": ' + DEEP + b"}",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert deep.status_code == 400


def test_a_void_with_a_reason_still_voids(client, roads, crew):
    _, headers = crew()
    finding = client.post("/api/v1/findings", json=pothole(), headers=headers).get_json()
    answer = client.post(
        f"/api/v1/findings/{finding['uuid']}/void", json={"reason": "录重了"}, headers=headers
    )
    assert answer.status_code == 200 and answer.get_json()["voided"] is True
