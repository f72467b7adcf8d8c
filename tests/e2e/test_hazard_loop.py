"""An officer assigns a hazard on a desktop, the crew member submits evidence from a phone, the
officer verifies and closes it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import func, select

from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.extensions import db
from inspection.hazards import services as hazard_services
from inspection.hazards.models import Hazard
from inspection.network import services as network_services
from inspection.network.importing import FieldNames
from inspection.network.models import Road
from inspection.network.sample import demo_network
from inspection.sites.models import Department
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-hazard-password"


@pytest.fixture(scope="module")
def hazard_id(e2e_app) -> int:
    """A reported hazard on the demo G30, a safety officer and a patrol crew member."""
    with e2e_app.app_context():
        if db.session.scalar(select(func.count()).select_from(Road)) == 0:
            network_services.import_features(db.session, demo_network(), FieldNames())
        people = {}
        for username, roles, name in (
            ("e2e.officer", ["safety_officer"], "李安全"),
            ("e2e.hazcrew", ["patrol"], "王建国"),
        ):
            user = db.session.scalar(select(User).where(User.username == username))
            people[username] = user or auth_services.create_user(
                db.session, username, PASSWORD, roles, display_name=name
            )
        # The responsible unit is one of the branch's departments, picked from a list.
        if db.session.scalar(select(Department).where(Department.name == "养护一工区")) is None:
            db.session.add(Department(name="养护一工区", kind="maintenance_area"))
        location = network_services.resolve_location(
            db.session, road_code="G30", direction="up", stake="K3514+600"
        )
        hazard = hazard_services.raise_hazard(
            db.session,
            location=location,
            category="guardrail_damage",
            grade="general",
            description="中央护栏被撞损约 8 m",
            actor=people["e2e.hazcrew"],
        )
        db.session.commit()
        return hazard.id


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base}/")


@pytest.fixture
def desktop(browser: Browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield context
    context.close()


def test_assign_on_desktop_submit_on_phone_close_on_desktop(
    live_server, e2e_app, desktop: BrowserContext, phone: BrowserContext, hazard_id, tmp_path: Path
):
    officer = desktop.new_page()
    sign_in(officer, live_server, "e2e.officer")
    officer.goto(f"{live_server}/hazards/{hazard_id}")
    assign = officer.locator("form").filter(has=officer.locator("input[name=action][value=assign]"))
    assign.get_by_label("整改责任单位").select_option(label="养护一工区")
    assign.get_by_label("整改责任人").fill("马队长")
    assign.locator("select[name=assignee_user_id]").select_option(label="王建国 (e2e.hazcrew)")
    assign.locator("textarea[name=measures]").fill("更换护栏板 4 块，校正立柱")
    assign.locator("button[type=submit]").click()
    expect(officer.locator(".flash-success")).to_be_visible()
    screenshot(officer, "hazard-assigned-desktop")

    photo = tmp_path / "after.jpg"
    Image.new("RGB", (1600, 1200), (120, 140, 160)).save(photo, "JPEG")
    crew = phone.new_page()
    sign_in(crew, live_server, "e2e.hazcrew")
    crew.goto(f"{live_server}/hazards/{hazard_id}")
    submit = crew.locator("form").filter(has=crew.locator("input[name=action][value=submit]"))
    # On the phone the evidence goes through the outbox (hazard_evidence.js): saved, then sent.
    expect(submit).to_have_attribute("data-outbox", "ready")
    submit.locator("#evidence-photo").set_input_files(str(photo))
    expect(submit.locator("#evidence-photo-list img")).to_have_count(1)
    submit.locator("textarea[name=note]").fill("已更换护栏板并校正立柱")
    submit.locator("button[type=submit]").click()
    expect(crew.locator("#evidence-message")).to_have_class("notice notice-ok")
    expect(crew.locator("#outbox-status")).to_have_attribute("data-waiting", "0", timeout=20_000)
    screenshot(crew, "hazard-evidence-phone")

    officer.goto(f"{live_server}/hazards/{hazard_id}")
    verify = officer.locator("form").filter(has=officer.locator("input[name=action][value=verify]"))
    verify.locator("textarea[name=note]").fill("复查合格，同意销号")
    verify.locator("button[type=submit]").click()
    expect(officer.locator(".flash-success")).to_be_visible()
    expect(officer.locator("h1 .tag")).to_have_text("已销号")
    screenshot(officer, "hazard-closed-desktop")

    with e2e_app.app_context():
        hazard = db.session.get(Hazard, hazard_id)
        assert hazard.state == "closed"
        assert [e.action for e in hazard.events] == ["raise", "assign", "submit", "verify"]
        assert len(hazard.events[2].evidence) == 1
        assert hazard.deadline is not None and hazard.deadline >= date.today()
        assert hazard.responsible_department.name == "养护一工区"
