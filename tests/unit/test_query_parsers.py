"""Hypothesis over the query-string and form parsers (#12, item 7): any text for any parameter
gives a value or a ValidationError (a 4xx), never another exception (a 500)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from inspection.api import params
from inspection.api.schemas import VoidBody
from inspection.api.uploads import PhotoForm, exif_position
from inspection.auth.schemas import TokenBody, UserBody
from inspection.errors import ValidationError
from inspection.hazards.views import BoardQuery
from inspection.inputs import ListQuery, PageQuery, parse_query, validate
from inspection.inspections.views import NewQuery, RegisterQuery
from inspection.mapview.views import StakesQuery
from inspection.ogc import features
from inspection.sites.schemas import DepartmentBody
from inspection.sites.views import SitesQuery
from inspection.surveys.schemas import CampaignBody
from tests.hostile_values import LONE_SURROGATE, NUL_TEXT, QUERY_TEXT

SHANGHAI = ZoneInfo("Asia/Shanghai")

QUERY_MODELS: list[type[BaseModel]] = [
    PageQuery,
    ListQuery,
    BoardQuery,
    SitesQuery,
    RegisterQuery,
    NewQuery,
    StakesQuery,
    params.FindingsQuery,
    params.NearbyQuery,
    params.RepairsQuery,
    params.SurveyUnitsQuery,
    params.PositionQuery,
    params.LocateQuery,
    params.AnnualReportQuery,
    *(features.parameters_model(c) for c in features.COLLECTIONS.values()),
]
FORM_MODELS: list[type[BaseModel]] = [PhotoForm]
# Each body model with a good body, whose fields the test replaces one at a time.
BODY_MODELS: dict[type[BaseModel], dict] = {
    TokenBody: {},
    VoidBody: {},
    UserBody: {"username": "new.user", "password": "long-enough-1", "roles": ["patrol"]},
    DepartmentBody: {"name": "Road crew"},
    CampaignBody: {
        "name": "Spring",
        "starts_on": "2026-04-01",
        "ends_on": "2026-04-20",
        "unit_length_m": "1000",
        "width_m": "7.5",
        "roads": ["G30/up"],
    },
}

HOSTILE = (
    *QUERY_TEXT,
    "-0",
    "inf",
    "9999-12-31T23:59:59-12:00",
    "1,2,3,4,5,6",
    "-180,-90,180,90",
    LONE_SURROGATE,
    NUL_TEXT,
    " ",
    "..",
    "../..",
)
# Any character, surrogates included (the default alphabet leaves them out).
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)
TEXT = st.one_of(ANY_TEXT, st.sampled_from(HOSTILE), st.from_regex(r"-?[0-9.,e/:T+-]{0,30}"))
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def names_of(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def parse_or_refuse(model: type[BaseModel], values: dict) -> None:
    try:
        parse_query(model, values)
    except ValidationError as error:
        assert error.status in (400, 422)
        assert error.fields, "a refusal names the bad parameter"


@pytest.mark.parametrize("model", QUERY_MODELS + FORM_MODELS, ids=lambda m: m.__name__)
@SETTINGS
@given(data=st.data())
def test_any_text_in_any_parameter_is_a_value_or_a_validation_error(model, data):
    name = data.draw(st.sampled_from(names_of(model)))
    parse_or_refuse(model, {name: data.draw(TEXT)})


@pytest.mark.parametrize("model", QUERY_MODELS + FORM_MODELS, ids=lambda m: m.__name__)
@SETTINGS
@given(data=st.data())
def test_any_text_in_every_parameter_at_once(model, data):
    values = {name: data.draw(TEXT) for name in names_of(model)}
    parse_or_refuse(model, values)


@pytest.mark.parametrize("model", BODY_MODELS, ids=lambda m: m.__name__)
@SETTINGS
@given(
    value=st.recursive(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(),
            TEXT,
        ),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
        max_leaves=8,
    )
)
def test_any_json_value_in_a_body_field_is_a_value_or_a_validation_error(model, value):
    for name in names_of(model):
        try:
            validate(model, BODY_MODELS[model] | {name: value})
        except ValidationError as error:
            assert name in error.fields


@pytest.mark.parametrize("collection", sorted(features.COLLECTIONS))
@SETTINGS
@given(data=st.data())
def test_ogc_items_queries_are_parsed_or_refused_with_400(collection, data):
    found = features.COLLECTIONS[collection]
    names = [*features.COMMON_PARAMETERS, *(f.param for f in found.filters), "colour"]
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
    args = {name: data.draw(TEXT) for name in chosen}
    try:
        query = features.parse_items_query(found, args, SHANGHAI)
    except features.BadParameter as error:
        assert error.status == 400
        return
    assert 1 <= query.limit <= features.MAX_LIMIT
    assert 0 <= query.offset <= features.MAX_INTEGER


@SETTINGS
@given(text=TEXT)
def test_ogc_datetime_is_an_interval_or_a_400(text):
    try:
        start, stop = features.parse_datetime(text, SHANGHAI)
    except features.BadParameter:
        return
    if start is not None and stop is not None:
        assert start < stop


@SETTINGS
@given(lon=st.one_of(st.none(), TEXT), lat=st.one_of(st.none(), TEXT))
def test_the_phones_exif_position_is_a_position_or_dropped(lon, lat):
    kept_lon, kept_lat = exif_position(lon, lat)
    assert (kept_lon is None) == (kept_lat is None)
    if kept_lon is not None:
        assert -180 <= kept_lon <= 180 and -90 <= kept_lat <= 90


@pytest.mark.parametrize(
    ("model", "values", "field"),
    [
        (RegisterQuery, {"page": "²"}, "page"),
        (RegisterQuery, {"year": "٢٠٢٦"}, "year"),
        (RegisterQuery, {"page": "9" * 20}, "page"),
        (SitesQuery, {"department_id": str(2**31)}, "department_id"),
        (BoardQuery, {"source": "\ud800"}, "source"),
        (params.AnnualReportQuery, {"to": "9999-12-31"}, "to"),
        (params.AnnualReportQuery, {"month": "²"}, "month"),
        (PhotoForm, {"photo_uuid": "x"}, "photo_uuid"),
    ],
)
def test_the_issues_examples_are_refused_naming_the_parameter(model, values, field):
    with pytest.raises(ValidationError) as refused:
        parse_query(model, values)
    assert field in refused.value.fields
