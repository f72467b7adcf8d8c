"""Every GET route of the app, with hostile query strings: a 4xx or a page, never a 500 (#12).

The routes come from `app.url_map`, so a new page is walked without a new test. Path ids are
999999 (or a known road and collection); each query parameter a page may read is given each
hostile value, all at once (a declared query model checks every field, not only the first) and
one by one for the values the issue saw crash the lists.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from inspection.ogc.features import COLLECTIONS, COMMON_PARAMETERS
from tests.hostile_values import QUERY_TEXT

ALL_ROLES = ("patrol", "safety_officer", "manager", "admin")

HOSTILE = (
    *QUERY_TEXT,
    "-1",
    "0",
    "x" * 5000,
    "%ED%A0%80",  # a lone surrogate, percent-encoded as broken UTF-8
    "%00",
    "[]",
    "{}",
)
# The values the examples crashed the lists with: each parameter also given one alone.
ALONE = ("²", "9" * 20, "9999-12-31", "1e10")

PARAMETERS = (
    "page",
    "per_page",
    "year",
    "month",
    "from",
    "to",
    "since",
    "until",
    "cutoff",
    "kind",
    "state",
    "status",
    "source",
    "place",
    "road",
    "direction",
    "grade",
    "stake",
    "lon",
    "lat",
    "tolerance",
    "prefer",
    "bbox",
    "limit",
    "offset",
    "datetime",
    "department_id",
    "site_id",
    "show",
    "table",
    "include_voided",
    "overdue",
    "near",
    "active",
    "q",
    "f",
    "next",
)
PATH_VALUES = {
    "int": "999999",
    "code": "G30",
    "direction": "up",
    "fmt": "csv",
    "collection_id": "findings",
    "fid": "1",
    "key": "ab/cd/none.jpg",
}


def _path(rule) -> str:
    path = rule.rule
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        value = PATH_VALUES["int"] if converter == "IntegerConverter" else PATH_VALUES.get(name)
        if value is None:
            value = "00000000-0000-4000-8000-000000000000" if "uuid" in name else "x"
        for pattern in (f"<{name}>", f"<int:{name}>", f"<path:{name}>"):
            path = path.replace(pattern, value)
        if "<" in path and name in path:  # <any(csv, xlsx):fmt>
            start = path.index("<")
            path = path[:start] + value + path[path.index(">", start) + 1 :]
    return path


def _get_routes(app) -> list[tuple[str, str]]:
    return sorted(
        (rule.endpoint, _path(rule))
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in ("static", "api.openapi", "api.docs")
    )


def _parameters(path: str) -> tuple[str, ...]:
    if path.startswith("/ogc/collections/") and path.endswith("/items"):
        # An unknown parameter is refused first; give the ones the collection reads.
        own = tuple(f.param for f in COLLECTIONS["findings"].filters)
        return (*COMMON_PARAMETERS, *own)
    return PARAMETERS


def _query(names, value: str) -> str:
    encoded = value if value.startswith("%") else quote(value, safe="")
    return "&".join(f"{name}={encoded}" for name in names)


@pytest.fixture
def everyone(client, login_as, roads):
    login_as(*ALL_ROLES)
    return client


def test_every_get_route_answers_hostile_query_strings_without_a_server_error(app, everyone):
    routes = _get_routes(app)
    assert len(routes) > 60  # the walk does find the app's pages
    failures = []
    for endpoint, path in routes:
        names = _parameters(path)
        queries = [_query(names, value) for value in HOSTILE]
        if "999999" not in path:  # a page, not a record that is not there: each alone too
            queries += [_query((name,), ALONE[i % len(ALONE)]) for i, name in enumerate(names)]
        for query in queries:
            answer = everyone.get(f"{path}?{query}")
            answer.close()
            if answer.status_code >= 500:
                failures.append(f"{endpoint}: GET {path}?{query[:120]} → {answer.status_code}")
    assert failures == [], "\n".join(failures[:40])


@pytest.mark.parametrize(
    "path",
    [
        "/hazards/?source=²",
        "/hazards/?place=%ED%A0%80",
        "/sites/?department_id=²",
        f"/sites/?department_id={'9' * 20}",
        "/sites/?kind=volcano",
        "/inspections/?year=²",
        "/inspections/?year=9999",
        f"/inspections/?page={'9' * 20}",
        "/inspections/?page=²",
        "/inspections/new?kind=nonsense",
        "/findings/?page=²",
        "/repairs/?to=9999-12-31",
        "/reports/annual?month=²",
    ],
)
def test_a_malformed_list_parameter_is_a_422_page(everyone, path, english):
    answer = everyone.get(path)
    assert answer.status_code == 422, path
    assert answer.content_type.startswith("text/html")
    assert "not valid" in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "limit=1e10",
        "limit=²",
        f"limit={'9' * 20}",
        "offset=١٢",
        "bbox=1,2,3,²",
        "bbox=1,2,3,١٢",
        "bbox=NaN,0,1,1",
        "datetime=0001-01-01/9999-12-31",
        "datetime=２０２６-05-01",
        "kind=%ED%A0%80",
        "road=" + "G" * 100,
    ],
)
def test_ogc_refuses_a_hostile_parameter_with_a_json_400(everyone, query):
    answer = everyone.get(f"/ogc/collections/findings/items?{query}")
    assert answer.status_code == 400, query
    assert set(answer.get_json()["error"]) >= {"code", "message", "fields"}


def test_ogc_filters_by_ids_and_still_reads_gdal_style_numbers(everyone):
    ok = everyone.get("/ogc/collections/sites/items?department=1")
    assert ok.status_code == 200
    assert everyone.get("/ogc/collections/sites/items?department=²").status_code == 400
    gdal = "87.620000000000005,43.850000000000001,87.7,4.39e1"
    assert everyone.get(f"/ogc/collections/findings/items?bbox={gdal}").status_code == 200


def test_the_site_and_register_filters_still_filter(everyone):
    assert everyone.get("/sites/?kind=toll_station&show=all&department_id=1").status_code == 200
    assert everyone.get("/inspections/?year=2026&kind=seasonal&page=2").status_code == 200
    assert everyone.get("/hazards/?source=patrol&place=road").status_code == 200
    assert everyone.get("/inspections/new?kind=special").status_code == 200
