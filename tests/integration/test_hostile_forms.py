"""Hostile values in the HTML forms read through declared models (#12, item 1): the survey
campaign, department, user and API token forms answer a 422 form page naming the field, and
nothing is saved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from inspection.auth.models import ApiToken, User
from inspection.sites.models import Department
from inspection.surveys.models import SurveyCampaign
from tests.conftest import csrf_token_from
from tests.hostile_values import (
    FORM_DAY_CASES,
    FORM_NUMBER_CASES,
    FORM_TEXT_CASES,
    LONG_TEXT,
    UNICODE_DIGITS,
)


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def refused(answer) -> str:
    """A 422 form page naming what is wrong (or the app-wide 400 for a NUL character)."""
    html = answer.get_data(as_text=True)
    assert answer.status_code in (400, 422), (answer.status_code, html[:2000])
    if answer.status_code == 400:
        assert "NUL" in html
    else:
        assert 'class="field-error"' in html or "flash-error" in html
    return html


def form_of(client, path: str, **fields) -> dict:
    return {"csrf_token": csrf_token_from(client.get(path).get_data(as_text=True))} | fields


# --------------------------------------------------------------------------- survey campaign

CAMPAIGN = {
    "name": "2026 spring survey",
    "starts_on": "2026-04-01",
    "ends_on": "2026-04-20",
    "method": "visual",
    "unit_length_m": "1000",
    "width_m": "7.5",
    "pavement": "asphalt",
    "roads": ["G30/up"],
}


def campaign_cases():
    fields = {
        "name": FORM_TEXT_CASES,
        "starts_on": FORM_DAY_CASES,
        "ends_on": FORM_DAY_CASES,
        "unit_length_m": FORM_NUMBER_CASES,
        "width_m": FORM_NUMBER_CASES,
        "method": [(UNICODE_DIGITS[0], "unicode")],
        "pavement": [(LONG_TEXT, "300-chars")],
        "roads": [(LONG_TEXT, "300-chars")],
    }
    for field, cases in fields.items():
        for value, name in cases:
            yield pytest.param(field, value, id=f"{field}-{name}")


@pytest.mark.parametrize(("field", "value"), list(campaign_cases()))
def test_the_campaign_form_refuses_hostile_values(
    client, db_session, roads, login_as, field, value
):
    login_as("manager")
    form = form_of(client, "/surveys/new", **CAMPAIGN) | {field: value}
    refused(client.post("/surveys/new", data=form))
    assert count(db_session, SurveyCampaign) == 0


def test_the_campaign_form_still_saves_good_values(client, db_session, roads, login_as):
    login_as("manager")
    answer = client.post("/surveys/new", data=form_of(client, "/surveys/new", **CAMPAIGN))
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    assert count(db_session, SurveyCampaign) == 1


# --------------------------------------------------------------------------- departments


@pytest.mark.parametrize("name", [v for v, _ in FORM_TEXT_CASES], ids=["300-chars", "NUL"])
def test_the_department_forms_refuse_hostile_names(client, db_session, login_as, name):
    login_as("manager")
    before = count(db_session, Department)
    form = form_of(client, "/departments/", name=name, kind="other")
    refused(client.post("/departments/new", data=form))
    assert count(db_session, Department) == before

    kept = Department(name="Kept", kind="other", active=True)
    db_session.add(kept)
    db_session.commit()
    path = f"/departments/{kept.id}/edit"
    refused(client.post(path, data=form_of(client, path, name=name, kind="other", active="y")))
    db_session.expire_all()
    assert db_session.get(Department, kept.id).name == "Kept"


def test_the_department_form_refuses_a_kind_not_in_the_list(client, db_session, login_as, english):
    login_as("manager")
    form = form_of(client, "/departments/", name="Road crew", kind=UNICODE_DIGITS[1])
    html = refused(client.post("/departments/new", data=form))
    assert "Not one of the allowed values." in html
    assert count(db_session, Department) == 0


# --------------------------------------------------------------------------- users and tokens

USER = {"username": "new.user", "display_name": "New User", "password": "long-enough-1"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("username", LONG_TEXT, id="username-300-chars"),
        pytest.param("username", UNICODE_DIGITS[1] * 3, id="username-unicode-digits"),
        pytest.param("display_name", LONG_TEXT, id="display-name-300-chars"),
        pytest.param("display_name", "a\x00b", id="display-name-NUL"),
        pytest.param("password", "x" * 300, id="password-300-chars"),
        pytest.param("password", "long\x00enough", id="password-NUL"),
        pytest.param("roles", UNICODE_DIGITS[0], id="role-unicode"),
        pytest.param("roles", LONG_TEXT, id="role-300-chars"),
    ],
)
def test_the_user_form_refuses_hostile_values(client, db_session, login_as, field, value):
    login_as("admin")
    before = count(db_session, User)
    form = form_of(client, "/admin/users", **USER, roles=["patrol"]) | {field: value}
    refused(client.post("/admin/users", data=form))
    assert count(db_session, User) == before


@pytest.mark.parametrize("name", [v for v, _ in FORM_TEXT_CASES], ids=["300-chars", "NUL"])
def test_the_token_form_refuses_hostile_names(client, db_session, login_as, name):
    login_as("patrol")
    refused(client.post("/account", data=form_of(client, "/account", name=name)))
    assert count(db_session, ApiToken) == 0


def test_the_token_form_still_issues_a_token(client, db_session, login_as):
    login_as("patrol")
    answer = client.post("/account", data=form_of(client, "/account", name="QGIS"))
    assert answer.status_code == 200
    assert count(db_session, ApiToken) == 1
