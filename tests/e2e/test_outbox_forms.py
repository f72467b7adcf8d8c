"""Repairs, survey records and a hazard's evidence made without signal on a phone wait in the
outbox and arrive exactly once, photos with their stages, when the signal comes back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, Page, Route, expect
from sqlalchemy import func, select

from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.extensions import db
from inspection.hazards import services as hazard_services
from inspection.hazards.models import Hazard
from inspection.media.models import Photo
from inspection.network import services as network_services
from inspection.network.importing import FieldNames
from inspection.network.models import Road
from inspection.network.sample import demo_network
from inspection.repairs.models import Repair
from inspection.sites.models import Department
from inspection.surveys import services as survey_services
from inspection.surveys.models import SurveyCampaign, SurveyRecord
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-outbox-forms-password"
OFFICER = "e2e.formsofficer"
API = "**/api/v1/**"


def ensure_user(username: str, roles: list[str], name: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    return user or auth_services.create_user(
        db.session, username, PASSWORD, roles, display_name=name
    )


def ensure_world(username: str) -> dict:
    """Demo roads, a crew member, a survey campaign on G30 and a hazard assigned to the crew
    member (call inside an app context); returns their ids."""
    if db.session.scalar(select(func.count()).select_from(Road)) == 0:
        network_services.import_features(db.session, demo_network(), FieldNames())
    crew = ensure_user(username, ["patrol"], "赵养护")
    officer = ensure_user(OFFICER, ["safety_officer"], "钱安全")
    manager = ensure_user("e2e.formsmanager", ["manager"], "孙管理")
    campaign = db.session.scalar(
        select(SurveyCampaign).where(SurveyCampaign.name == "e2e outbox survey")
    )
    if campaign is None:
        campaign = survey_services.create_campaign(
            db.session,
            survey_services.CampaignInput(
                name="e2e outbox survey",
                starts_on=date(2026, 4, 1),
                ends_on=date(2026, 4, 30),
                method="visual",
                unit_length_m=1000.0,
                width_m=7.5,
                pavement="asphalt",
                roads=(("G30", "up"),),
                note="",
            ),
            actor=manager,
        )
    department = db.session.scalar(select(Department).where(Department.name == "养护二工区"))
    if department is None:
        department = Department(name="养护二工区", kind="maintenance_area")
        db.session.add(department)
        db.session.flush()
    location = network_services.resolve_location(
        db.session, road_code="G30", direction="up", stake="K3508+200"
    )
    hazard = hazard_services.raise_hazard(
        db.session,
        location=location,
        category="guardrail_damage",
        grade="general",
        description="护栏立柱松动",
        actor=crew,
    )
    hazard = hazard_services.act(
        db.session,
        hazard.id,
        "assign",
        version=hazard.version,
        payload={
            "responsible_unit": department.id,
            "responsible_person": "周队长",
            "assignee_user_id": crew.id,
            "measures": "紧固立柱",
            "deadline": date.today().replace(year=date.today().year + 1).isoformat(),
        },
        actor=officer,
        today=date.today(),
    )
    db.session.commit()
    units = sorted(campaign.units, key=lambda u: u.seq)
    return {
        "campaign": campaign.id,
        "units": [u.id for u in units],
        "hazard": hazard.id,
        "user_id": crew.id,
    }


def jpeg(path: Path, colour=(120, 140, 160), size=(1600, 1200)) -> Path:
    Image.new("RGB", size, colour).save(path, "JPEG", quality=80)
    return path


def sign_in(page: Page, base: str, target: str, username: str) -> None:
    page.goto(f"{base}/login?next={target}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base}{target}")


def dead_network(route: Route) -> None:
    route.abort("internetdisconnected")


def go_offline(context: BrowserContext) -> None:
    """No signal: the offline switch, and every API call failing like a dead network (on the
    context, so the service worker's requests fail too)."""
    context.set_offline(True)
    context.route(API, dead_network)


def go_online(context: BrowserContext) -> None:
    context.unroute(API, dead_network)
    context.set_offline(False)  # the `online` event starts a flush


def watch_for_problems(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return problems


@pytest.fixture(scope="module")
def world(e2e_app) -> dict:
    with e2e_app.app_context():
        return ensure_world("e2e.forms")


def test_a_repair_with_before_and_after_photos_made_offline_arrives_once(
    live_server, e2e_app, phone: BrowserContext, world, tmp_path: Path
):
    page = phone.new_page()
    problems = watch_for_problems(page)
    sign_in(page, live_server, "/repairs/new", "e2e.forms")
    form = page.locator("#repair-form")
    expect(form).to_have_attribute("data-outbox", "ready")
    status = page.locator("#outbox-status")

    go_offline(phone)
    page.locator("#road").select_option("G30/up")
    page.locator("#kind").select_option("shoulder")
    page.locator("#stake").fill("K3504+000")
    page.locator("#end_stake").fill("K3504+300")
    page.locator("#area_m2").fill("450")
    page.locator("#materials-0-name").fill("砂砾")
    page.locator("#materials-0-quantity").fill("30")
    page.locator("#materials-0-unit").select_option("m3")
    page.locator("#photo-before").set_input_files(str(jpeg(tmp_path / "before.jpg")))
    expect(page.locator("#photos-before img")).to_have_count(1)
    page.locator("#photo-after").set_input_files(str(jpeg(tmp_path / "after.jpg", (60, 60, 60))))
    expect(page.locator("#photos-after img")).to_have_count(1)
    screenshot(page, "repair-offline-form")
    page.locator("#save-repair").click()
    expect(page.locator("#form-message")).to_have_class("notice notice-ok")
    expect(status).to_have_attribute("data-records", "1")
    expect(status).to_have_attribute("data-photos", "2")
    expect(page.locator("#photos-before img")).to_have_count(0)  # ready for the next one
    with e2e_app.app_context():
        mine = (
            select(func.count()).select_from(Repair).where(Repair.created_by_id == world["user_id"])
        )
        assert db.session.scalar(mine) == 0

    go_online(phone)
    expect(status).to_have_attribute("data-waiting", "0", timeout=30_000)
    screenshot(page, "repair-sent")
    assert problems == []
    with e2e_app.app_context():
        (repair,) = db.session.scalars(
            select(Repair).where(Repair.created_by_id == world["user_id"])
        ).all()
        assert (repair.kind, repair.stake_text, repair.area_m2) == (
            "shoulder",
            "K3504+000–K3504+300",
            450,
        )
        assert [(m.name, m.quantity, m.unit) for m in repair.materials] == [("砂砾", 30, "m3")]
        stages = db.session.scalars(select(Photo.stage).where(Photo.repair_id == repair.id)).all()
        assert sorted(stages) == ["after", "before"]


def test_a_survey_record_and_hazard_evidence_made_offline_arrive_once(
    live_server, e2e_app, phone: BrowserContext, world, tmp_path: Path
):
    survey = phone.new_page()
    problems = watch_for_problems(survey)
    unit_id = world["units"][2]
    target = f"/surveys/{world['campaign']}/units/{unit_id}"
    sign_in(survey, live_server, target, "e2e.forms")
    expect(survey.locator("#record-form")).to_have_attribute("data-outbox", "ready")
    hazard = phone.new_page()
    problems += watch_for_problems(hazard)
    hazard.goto(f"{live_server}/hazards/{world['hazard']}")
    submit = hazard.locator("form").filter(has=hazard.locator("input[name=action][value=submit]"))
    expect(submit).to_have_attribute("data-outbox", "ready")

    go_offline(phone)
    survey.locator('input[name="item_code"][value="alligator_cracking"] + span').click()
    survey.locator('input[name="severity"][value="heavy"] + span').click()
    survey.locator("#quantity").fill("12.5")
    survey.locator("#stake").fill("K3502+400")
    survey.locator("#record-photo").set_input_files(str(jpeg(tmp_path / "crack.jpg")))
    expect(survey.locator("#record-photos img")).to_have_count(1)
    survey.locator("#save-record").click()
    expect(survey.locator("#record-message")).to_have_class("notice notice-ok")
    expect(survey.locator("#waiting-records li")).to_have_count(1)
    screenshot(survey, "survey-record-offline")

    # The crew member, assignee of the hazard, adds a site photo and submits the evidence.
    hazard.locator("#hazard-photo").set_input_files(str(jpeg(tmp_path / "site.jpg", (9, 9, 9))))
    expect(hazard.locator("#hazard-photo-list img")).to_have_count(1)
    hazard.locator("#save-hazard-photos").click()
    expect(hazard.locator("#hazard-photos-message")).to_have_class("notice notice-ok")
    submit.locator("#evidence-photo").set_input_files(str(jpeg(tmp_path / "after.jpg")))
    expect(submit.locator("#evidence-photo-list img")).to_have_count(1)
    submit.locator("textarea[name=note]").fill("已紧固立柱")
    submit.locator("button[type=submit]").click()
    expect(hazard.locator("#evidence-message")).to_have_class("notice notice-ok")
    expect(submit).to_be_hidden()
    status = hazard.locator("#outbox-status")
    expect(status).to_have_attribute("data-records", "2")  # the survey record, the evidence
    expect(status).to_have_attribute("data-photos", "3")
    screenshot(hazard, "hazard-evidence-offline")

    go_online(phone)
    expect(status).to_have_attribute("data-waiting", "0", timeout=30_000)
    expect(survey.locator("#outbox-status")).to_have_attribute("data-waiting", "0")
    assert problems == []
    with e2e_app.app_context():
        (record,) = db.session.scalars(
            select(SurveyRecord).where(SurveyRecord.created_by_id == world["user_id"])
        ).all()
        assert (record.unit_id, record.item_code, record.severity, record.quantity) == (
            unit_id,
            "alligator_cracking",
            "heavy",
            12.5,
        )
        assert record.client_uuid is not None
        assert (
            db.session.scalar(
                select(func.count()).select_from(Photo).where(Photo.survey_record_id == record.id)
            )
            == 1
        )
        stored = db.session.get(Hazard, world["hazard"])
        assert stored.state == "awaiting_verification"
        assert [e.action for e in stored.events][-1] == "submit"
        photos = db.session.scalars(select(Photo).where(Photo.hazard_id == stored.id)).all()
        assert sorted(p.stage for p in photos) == ["after", "site"]
        after = next(p for p in photos if p.stage == "after")
        assert stored.events[-1].evidence == [str(after.client_uuid)]
