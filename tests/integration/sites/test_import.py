"""Importing sites from CSV and GeoJSON: per-line report, all or nothing, updates by name."""

import io
import json

from sqlalchemy import func, select

from inspection.sites import importing, services
from inspection.sites.models import Site
from tests.conftest import csrf_token_from

GOOD = [
    "名称,类型,经度,纬度,路线,方向,桩号,所属部门,备注",
    "柴窝堡收费站,收费站,,,G30,上行,K3510+000,柴窝堡收费站,",
    "机修车间,machinery_workshop,87.6235,43.9402,,,,机务科,年检",
    "G312线道班,养护工区,,,G312,,K3608+000,乌鲁木齐养护工区,",
]
BAD = [
    *GOOD,
    "加油站,加油站,87.6,43.9,,,,,",  # 5: unknown kind
    "远处,other,200,43.9,,,,,",  # 6: longitude out of range
    "新科室办公楼,office,87.6,43.9,,,,不存在的科室,",  # 7: unknown department
    "",  # 8: blank
    "G30外,bridge,,,G30,up,K3530+000,,",  # 9: stake outside the road
]


def csv_bytes(lines, encoding="utf-8-sig") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def count_sites(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Site))


def run(db_session, data: bytes, filename="sites.csv"):
    return services.import_sites(db_session, importing.read_upload(data, filename))


def test_a_good_file_creates_then_updates_or_leaves_alone(db_session, roads, departments):
    report = run(db_session, csv_bytes(GOOD))
    assert report.saved and report.problems == []
    assert [(line, outcome) for line, _, outcome in report.outcomes()] == [
        (2, "created"),
        (3, "created"),
        (4, "created"),
    ]
    toll = db_session.scalar(select(Site).where(Site.name == "柴窝堡收费站"))
    assert toll.department.name == "柴窝堡收费站" and toll.chainage == 3510000
    again = [*GOOD[:3], GOOD[3].replace("K3608+000", "K3609+000")]
    report = run(db_session, csv_bytes(again, "gb18030"))
    assert [(line, outcome) for line, _, outcome in report.outcomes()] == [
        (2, "unchanged"),
        (3, "unchanged"),
        (4, "updated"),
    ]
    assert count_sites(db_session) == 3


def test_bad_lines_are_reported_by_number_and_nothing_is_saved(db_session, roads, departments):
    report = run(db_session, csv_bytes(BAD))
    assert not report.saved
    assert count_sites(db_session) == 0
    assert [(p.line, [x.field for x in p.problems]) for p in report.problems] == [
        (5, ["kind"]),
        (6, ["lon"]),
        (7, ["department"]),
        (9, ["stake"]),
    ]
    assert report.blank_lines == 1
    department = report.problems[2].problems[0]
    assert department.params == {"name": "不存在的科室"}


def test_a_name_twice_in_the_file_is_refused(db_session, departments):
    lines = ["name,kind,lon,lat", "A,other,87.6,43.9", "a,other,87.7,43.9"]
    report = run(db_session, csv_bytes(lines))
    assert [(p.line, p.problems[0].params) for p in report.problems] == [
        (3, {"name": "a", "line": 2})
    ]


def test_geojson_features(db_session, roads, departments):
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [87.62, 43.94]},
                "properties": {"name": "食堂", "kind": "食堂", "department": "机务科"},
            },
            {
                "type": "Feature",
                "geometry": None,
                "properties": {
                    "name": "道班",
                    "kind": "maintenance_depot",
                    "road": "G99",
                    "stake": "K1+000",
                },
            },
        ],
    }
    report = run(db_session, json.dumps(document).encode(), "sites.geojson")
    assert report.unit == "feature" and not report.saved
    assert [(p.line, p.problems[0].field) for p in report.problems] == [(2, "road")]
    del document["features"][1]
    assert run(db_session, json.dumps(document).encode(), "sites.geojson").saved


def test_the_import_page_shows_the_report(
    client, login_as, db_session, roads, departments, english
):
    login_as("manager")
    page = client.get("/sites/import")
    token = csrf_token_from(page.get_data(as_text=True))

    def upload(data: bytes):
        return client.post(
            "/sites/import",
            data={"csrf_token": token, "file": (io.BytesIO(data), "sites.csv")},
            content_type="multipart/form-data",
        )

    refused = upload(csv_bytes(BAD))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Nothing was imported" in html
    assert "Unknown kind of site 加油站." in html
    assert "There is no department 不存在的科室; create it first." in html
    assert "Longitude must lie between -180 and 180." in html
    assert count_sites(db_session) == 0
    done = upload(csv_bytes(GOOD))
    assert done.status_code == 200
    assert "3 created, 0 updated, 0 unchanged." in done.get_data(as_text=True)
    assert count_sites(db_session) == 3
    template = client.get("/sites/template.csv")
    assert template.status_code == 200 and template.data.startswith("\ufeffname,kind".encode())
