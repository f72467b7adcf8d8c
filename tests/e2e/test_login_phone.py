"""A crew member signs in on a phone and sees the home page in Chinese."""

import pytest
from playwright.sync_api import expect

from inspection.auth import services
from inspection.extensions import db
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def crew_member(e2e_app):
    with e2e_app.app_context():
        services.create_user(
            db.session, "e2e.crew", "e2e-password", ["patrol"], display_name="王建国"
        )
        db.session.commit()
    return "e2e.crew", "e2e-password"


def test_sign_in_on_a_phone_and_see_the_home_page_in_chinese(live_server, page, crew_member):
    username, password = crew_member
    page.goto(f"{live_server}/")
    expect(page).to_have_url(f"{live_server}/login?next=/")
    expect(page.locator("h1")).to_have_text("登录")

    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")

    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server}/")
    expect(page.locator("h1")).to_contain_text("王建国")
    expect(page.locator(".tag")).to_have_text("巡查人员")

    # Large touch targets on a phone: every button, the menu button and, once the menu is open,
    # every link in it is at least 44 px tall.
    for box in page.locator(".btn, .tile, #menu-button").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    ):
        assert box >= 44
    page.locator("#menu-button").click()
    for box in page.locator(".nav a").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    ):
        assert box >= 44
    page.keyboard.press("Escape")
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 412
    screenshot(page, "home-phone-zh")

    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_contain_text("Hello")
