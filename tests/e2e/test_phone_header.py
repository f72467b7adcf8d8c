"""The phone's first screen: the header is one line (name, outbox count, menu button) and the
links open as a panel from the menu button — by touch, by keyboard, and without scripts."""

import pytest
from playwright.sync_api import Browser, Playwright, expect

from inspection.auth import services
from inspection.extensions import db
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-password"


@pytest.fixture(scope="module")
def header_crew(e2e_app):
    with e2e_app.app_context():
        services.create_user(db.session, "e2e.header", PASSWORD, ["patrol"], display_name="李明")
        db.session.commit()
    return "e2e.header"


def sign_in(page, live_server, username, path):
    page.goto(f"{live_server}/login?next={path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server}{path}")


def test_the_header_is_one_line_and_the_menu_opens_closes_and_leads_on(
    live_server, page, header_crew
):
    sign_in(page, live_server, header_crew, "/findings/")
    header = page.locator("#topbar")
    assert header.bounding_box()["height"] <= 64
    button = page.locator("#menu-button")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "main-menu")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    links = page.locator("#main-menu")
    expect(links).to_be_hidden()
    # The scripts' button replaced the no-script checkbox.
    expect(page.locator("#menu-toggle")).to_have_count(0)
    # Nothing waits in the outbox: no count in the header.
    expect(page.locator("#outbox-badge")).to_be_hidden()

    # Touch: open, the links and the user's sign-out below; the header keeps its height.
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="巡查记录", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="李明")).to_be_visible()
    expect(page.locator("#main-menu").get_by_role("button", name="退出登录")).to_be_visible()
    assert header.bounding_box()["height"] <= 64
    for height in page.locator("#main-menu a, #main-menu button").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    ):
        assert height >= 44
    screenshot(page, "phone-header-menu-open")
    # Escape closes it and gives the focus back to the button.
    page.keyboard.press("Escape")
    expect(links).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()

    # Keyboard: Enter opens, Tab goes into the links, Enter follows one.
    page.keyboard.press("Enter")
    expect(links).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="我的巡查")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/findings/")

    # A tap outside closes it; a link in it leads on.
    button.click()
    expect(links).to_be_visible()
    # A tap on the page's own content (the panel now reaches past a Pixel 7's screen for a crew,
    # so there is no free spot below it to tap at).
    page.locator("main h1").dispatch_event("click")
    expect(links).to_be_hidden()
    button.click()
    page.get_by_role("link", name="安全隐患", exact=True).click()
    expect(page).to_have_url(f"{live_server}/hazards/")
    expect(page.locator("#menu-button")).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("document.documentElement.scrollWidth") <= 412


def test_the_header_counts_what_waits_on_the_phone(live_server, phone, page, header_crew):
    sign_in(page, live_server, header_crew, "/field/")
    page.wait_for_function("() => Boolean(window.Outbox)")  # a module: it runs after parsing
    phone.set_offline(True)
    page.evaluate(
        """() => Outbox.add([
            {url: "/api/v1/findings", uuid: Outbox.uuid(), body: {}, label: "x"}
        ])"""
    )
    badge = page.locator("#outbox-badge")
    expect(badge).to_be_visible()
    expect(badge).to_have_text("1")
    expect(badge).to_have_attribute("aria-label", "待发送：1 条记录，0 张照片")
    assert page.locator("#topbar").bounding_box()["height"] <= 64
    screenshot(page, "phone-header-waiting")


def test_without_scripts_the_menu_still_opens(
    live_server, playwright: Playwright, browser: Browser, header_crew
):
    context = browser.new_context(
        **playwright.devices["Pixel 7"], locale="zh-CN", java_script_enabled=False
    )
    try:
        page = context.new_page()
        sign_in(page, live_server, header_crew, "/findings/")
        assert page.locator("#topbar").bounding_box()["height"] <= 64
        expect(page.locator("#menu-button")).to_be_hidden()
        expect(page.locator("#main-menu")).to_be_hidden()
        page.locator("label.menu-label").click()
        expect(page.locator("#main-menu")).to_be_visible()
        page.get_by_role("link", name="安全隐患", exact=True).click()
        expect(page).to_have_url(f"{live_server}/hazards/")
    finally:
        context.close()
