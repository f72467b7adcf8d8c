"""GeoJSON written by PostgreSQL is the very text the Python path writes, byte for byte."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from urllib.request import Request, urlopen

import pytest
from sqlalchemy import text

from inspection.network.stakes import format_stake
from inspection.ogc import features, queries
from inspection.ogc.features import COLLECTIONS, Context, ItemsQuery
from inspection.ogc.geojson import feature_sql
from inspection.web import branch_today, branch_zone

STAMP = re.compile(r'"timeStamp":"[^"]*"')
TABLE_BACKED = ("findings", "hazards", "repairs", "sites")
AWKWARD_TEXT = 'say "hi" \\ back\nnew line\ttab\x01\x1f 路面坑槽 emoji 🚧 \u2028'


def python_page(session, collection, query, context, url_root):
    page, matched = queries.find_features(session, collection, query, context, url_root=url_root)
    return [f.as_json() for f in page], matched


def sql_page(session, collection, query, context, url_root):
    found = queries.find_feature_texts(session, collection, query, context, url_root=url_root)
    assert found is not None
    return list(found.texts), found.matched


@pytest.fixture
def context(app):
    with app.test_request_context():
        return Context(today=branch_today(), timezone=branch_zone())


@pytest.fixture
def awkward(world, db_session):
    """Give the seeded records the values where the two writers could differ."""
    first, second, third = world["findings"][:3]
    db_session.execute(
        text(
            "UPDATE findings SET note = :note, quantity = :quantity, chainage = :chainage, "
            "end_chainage = :end, observed_at = :observed WHERE id = :id"
        ),
        [
            {
                "id": first.id,
                "note": AWKWARD_TEXT,
                "quantity": 2.0,
                "chainage": 999.6,  # rounds up into the next kilometre: K1+000
                "end": 1234.5,  # exactly half: up
                "observed": datetime(2026, 5, 1, 8, 0, 0, 120000, tzinfo=UTC),
            },
            {
                "id": second.id,
                "note": "",
                "quantity": 1e-7,
                "chainage": 3503420.4999999995,
                "end": None,
                "observed": datetime(2026, 5, 1, 8, 0, tzinfo=UTC),
            },
            {
                "id": third.id,
                "note": "x",
                "quantity": 0.1 + 0.2,
                "chainage": 2.675,
                "end": 1e15 + 0.5,
                "observed": datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
            },
        ],
    )
    db_session.execute(
        text("UPDATE repairs SET cost_yuan = :cost, note = :note WHERE id = :id"),
        {"cost": Decimal("12.30"), "note": AWKWARD_TEXT, "id": world["repair"].id},
    )
    db_session.execute(
        text("UPDATE hazards SET description = :text, closed_at = :closed WHERE id = :id"),
        {
            "text": AWKWARD_TEXT,
            "closed": datetime(2026, 5, 2, 1, 2, 3, 999999, tzinfo=UTC),
            "id": world["reported_hazard"].id,
        },
    )
    db_session.expire_all()
    return world


def test_every_table_backed_collection_but_the_enriched_is_written_in_sql(context):
    built = {cid: feature_sql(c, context) is not None for cid, c in COLLECTIONS.items()}
    # Roads round their length in Python (round half even); survey units are enriched after
    # the query; coverage is computed: those keep the Python path.
    assert built == {
        "roads": False,
        "findings": True,
        "hazards": True,
        "repairs": True,
        "survey_units": False,
        "sites": True,
        "patrol_coverage": False,
    }


@pytest.mark.parametrize("collection_id", TABLE_BACKED)
def test_the_features_are_the_python_paths_text(db_session, awkward, context, collection_id):
    collection = COLLECTIONS[collection_id]
    query = ItemsQuery(limit=1000)
    root = "http://localhost"
    expected, matched = python_page(db_session, collection, query, context, root)
    written, sql_matched = sql_page(db_session, collection, query, context, root)
    assert written == expected
    assert sql_matched == matched == len(expected) > 0
    for line in written:
        json.loads(line)  # and each is JSON


def test_the_awkward_values_come_out_as_python_writes_them(db_session, awkward, context):
    first = awkward["findings"][0]
    found = queries.find_feature_texts(
        db_session, COLLECTIONS["findings"], ItemsQuery(limit=1000), context, url_root="http://h"
    )
    feature = next(json.loads(t) for t in found.texts if json.loads(t)["id"] == first.id)
    properties = feature["properties"]
    assert properties["note"] == AWKWARD_TEXT
    assert properties["stake"] == format_stake(999.6) == "K1+000"
    assert properties["end_stake"] == format_stake(1234.5) == "K1+235"
    assert properties["observed_at"] == "2026-05-01T08:00:00.120000+00:00"
    assert properties["url"] == f"http://h/findings/{first.client_uuid}"
    stakes = {json.loads(t)["id"]: json.loads(t)["properties"]["stake"] for t in found.texts}
    assert stakes[awkward["findings"][2].id] == format_stake(2.675)


def test_whole_answers_match_with_paging_and_filters(client, reader, awkward, monkeypatch):
    paths = [
        "/ogc/collections/findings/items?limit=2",
        "/ogc/collections/findings/items?limit=2&offset=2&road=G30",
        "/ogc/collections/findings/items?bbox=87,43,88,45&kind=pothole",
        "/ogc/collections/hazards/items?state=open",
        "/ogc/collections/repairs/items?datetime=2000-01-01/..",
        "/ogc/collections/sites/items?limit=3",
    ]
    for path in paths:
        written = client.get(path, headers=reader)
        assert written.status_code == 200
        with monkeypatch.context() as patch:
            patch.setattr(features, "find_feature_texts", lambda *a, **k: None)
            expected = client.get(path, headers=reader)
        assert written.content_type == expected.content_type == "application/geo+json"
        body = STAMP.sub("", written.get_data(as_text=True))
        assert body == STAMP.sub("", expected.get_data(as_text=True)), path


def test_a_large_page_streams_from_its_own_connection(live, monkeypatch):
    """On a served app (sessions bound to the engine) a page above STREAM_FROM is streamed."""
    monkeypatch.setattr(queries, "STREAM_FROM", 2)
    monkeypatch.setattr(queries, "STREAM_BATCH", 2)

    def fetch(path: str) -> dict:
        request = Request(live.url + path, headers={"Authorization": f"Bearer {live.token}"})
        with urlopen(request, timeout=30) as answer:
            assert answer.headers["Content-Type"] == "application/geo+json"
            return json.loads(answer.read())

    streamed = fetch("/ogc/collections/findings/items?limit=5")
    monkeypatch.setattr(queries, "STREAM_FROM", 2000)
    whole = fetch("/ogc/collections/findings/items?limit=5")
    streamed.pop("timeStamp"), whole.pop("timeStamp")
    assert streamed == whole
    assert streamed["numberReturned"] == len(streamed["features"]) == 5


def test_hazards_written_in_sql_say_overdue_as_the_workflow_does(client, reader, world):
    body = client.get("/ogc/collections/hazards/items", headers=reader).get_json()
    overdue = {f["id"]: f["properties"]["overdue"] for f in body["features"]}
    assert overdue[world["overdue_hazard"].id] is True
    assert overdue[world["reported_hazard"].id] is False
