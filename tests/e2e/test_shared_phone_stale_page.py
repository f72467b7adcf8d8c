"""A shared phone's page kept by the service worker names the user who was signed in then.

crew2 opened the new-finding page with signal (the service worker kept that copy); later crew1
signed in on the same phone and, without signal, opened the page again: the copy still says
crew2. What crew1 records there must be crew1's, and the page must say that it is stale.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect
from sqlalchemy import select

from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.extensions import db
from tests.e2e.test_field_offline import (  # noqa: F401  (field_world is a fixture)
    PASSWORD,
    field_world,
    findings_of_user,
    sign_in,
)

pytestmark = pytest.mark.e2e


def test_a_stale_page_records_under_the_user_signed_in_now(
    live_server,
    e2e_app,
    phone: BrowserContext,
    field_world,  # noqa: F811
):
    crew1, crew2 = "e2e.stale1", "e2e.stale2"
    with e2e_app.app_context():
        for username in (crew1, crew2):
            if db.session.scalar(select(User).where(User.username == username)) is None:
                auth_services.create_user(db.session, username, PASSWORD, ["patrol"])
        db.session.commit()

    # crew2 opens the new-finding page with signal: the service worker keeps that copy.
    page = phone.new_page()
    sign_in(page, live_server, "/field/finding", crew2)
    assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    page.reload()  # now controlled by the worker, which stores the page as crew2 saw it
    expect(page.locator("#finding-page")).to_have_attribute("data-page-source", "network")
    page.close()
    phone.clear_cookies()

    # crew1 signs in on the same phone, with signal, and lands on the home page.
    page = phone.new_page()
    sign_in(page, live_server, "/", crew1)

    # No signal at all: the worker serves crew2's copy of the page.
    def dead_network(route):
        route.abort("internetdisconnected")

    phone.route("**/*", dead_network)
    page.goto(f"{live_server}/field/finding")
    expect(page.locator("#finding-page")).to_have_attribute("data-page-source", "cache")
    notice = page.locator("#outbox-stale-user")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(crew1)
    expect(notice).to_contain_text(crew2)

    # What crew1 records on it waits as crew1's …
    status = page.locator("#outbox-status")
    page.locator('[data-kind="roadside_facility"]').click()
    page.locator("#f-road").select_option(f"G30|{field_world['direction']}")
    page.locator("#f-stake").fill("K3517+000")
    page.locator("#save-finding").click()
    expect(status).to_have_attribute("data-waiting", "1")
    expect(status).to_have_attribute("data-others", "0")

    # … and is sent under crew1's session once there is signal.
    phone.unroute("**/*", dead_network)
    page.locator("[data-outbox-send]").click()
    expect(status).to_have_attribute("data-waiting", "0", timeout=15_000)
    assert [round(f["chainage"]) for f in findings_of_user(e2e_app, crew1)] == [3_517_000]
    assert findings_of_user(e2e_app, crew2) == []
