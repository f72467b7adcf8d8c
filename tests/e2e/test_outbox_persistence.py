"""A day without signal: 500 records and 100 photos wait in the outbox of a browser with a
persistent profile, survive closing and restarting the browser, and drain once online — each
record and photo stored exactly once. The drain time is printed and kept in test-artifacts/."""

from __future__ import annotations

import base64
import hashlib
import io
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, Page, Playwright, expect
from sqlalchemy import func, select

from inspection.auth.models import User
from inspection.extensions import db
from inspection.media.models import Photo
from inspection.repairs.models import Repair
from inspection.surveys.models import SurveyRecord
from tests.e2e.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, screenshot
from tests.e2e.test_outbox_forms import (
    dead_network,
    ensure_world,
    go_offline,
    go_online,
    jpeg,
    sign_in,
)

pytestmark = pytest.mark.e2e

USERNAME = "e2e.persist"
RECORDS = 500
PHOTOS = 100
# Made with the pages' own forms: a repair (before + after photo), a survey record (a photo),
# a hazard's site photo. The rest is queued through the facade, window.Outbox.add.
FORM_RECORDS, FORM_PHOTOS = 2, 4
DRAIN_TIMEOUT_MS = 300_000

# The bulk, as the pages would queue it: pothole treatments on G30 and survey records of the
# campaign's units, in turns; the first repairs get a before and an after photo, the first
# survey records one photo each. Returns the UUIDs queued.
QUEUE = """
async ([jpegs, ctx]) => {
  const Outbox = window.Outbox;
  const photos = jpegs.map((j) => ({
    bytes: Uint8Array.from(atob(j.b64), (c) => c.charCodeAt(0)).buffer,
    sha256: j.sha256,
  }));
  let photoCount = 0;
  const photo = (url, parent, stage) => {
    const p = photos[photoCount % photos.length];
    photoCount += 1;
    const bytes = p.bytes.slice(0);  // an ArrayBuffer of its own, as photo_prep gives
    return { url, parent_uuid: parent, deps: [parent], photo_uuid: Outbox.uuid(), stage,
             bytes, type: "image/jpeg", sha256: p.sha256, label: "bulk photo" };
  };
  const items = [];
  const records = [];
  const photoUuids = [];
  for (let i = 0; i < ctx.records; i++) {
    const uuid = Outbox.uuid();
    records.push(uuid);
    if (i % 2 === 0) {
      const metres = 3500000 + i * 20;
      const stake = "K" + Math.floor(metres / 1000) + "+" + String(metres % 1000).padStart(3, "0");
      items.push({ method: "POST", url: "/api/v1/repairs", uuid, answer_uuid: "uuid", deps: [],
        body: { client_uuid: uuid, kind: "pothole", road: "G30", direction: "up", stake,
                end_stake: "", completed_on: ctx.day, area_m2: 1.5, count: 1, materials: [],
                crew: "", method: "", note: "bulk " + i, findings: [] },
        label: "repair " + i });
      if (photoCount + 2 <= ctx.photos) {
        for (const stage of ["before", "after"]) {
          const entry = photo("/api/v1/repairs/" + uuid + "/photos", uuid, stage);
          photoUuids.push(entry.photo_uuid);
          items.push(entry);
        }
      }
    } else {
      const unit = ctx.units[i % ctx.units.length];
      items.push({ method: "POST", url: "/api/v1/surveys/" + ctx.campaign + "/records", uuid,
        answer_uuid: "uuid", deps: [],
        body: { client_uuid: uuid, unit_id: unit, family: "pavement", item_code: "bleeding",
                severity: "", quantity: 1, stake: "", note: "bulk " + i },
        label: "survey record " + i });
      if (photoCount < ctx.photos) {
        const entry = photo("/api/v1/surveys/records/by-uuid/" + uuid + "/photos", uuid, "site");
        photoUuids.push(entry.photo_uuid);
        items.push(entry);
      }
    }
  }
  for (let start = 0; start < items.length; start += 50) {
    await Outbox.add(items.slice(start, start + 50));
  }
  const state = await Outbox.state();
  return { records, photos: photoUuids, waiting: state.waiting };
}
"""


def small_jpegs() -> list[dict]:
    """Five real small JPEGs (different bytes), base64 with their SHA-256."""
    out = []
    for n in range(5):
        buffer = io.BytesIO()
        Image.new("RGB", (96, 72), (40 * n, 90, 200 - 30 * n)).save(buffer, "JPEG", quality=70)
        data = buffer.getvalue()
        out.append(
            {"b64": base64.b64encode(data).decode(), "sha256": hashlib.sha256(data).hexdigest()}
        )
    return out


def launch(playwright: Playwright, profile: Path) -> BrowserContext:
    """Chromium with a profile on disk (IndexedDB, service worker and cookies are kept)."""
    device = {k: v for k, v in playwright.devices["Pixel 7"].items() if k != "default_browser_type"}
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        locale="zh-CN",
        **device,
    )


def open_signed_in(context: BrowserContext, base: str, target: str) -> Page:
    """Open a page; sign in first when the restarted browser forgot the session."""
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{base}{target}")
    if "/login" in page.url:
        sign_in(page, base, target, USERNAME)
    return page


def stored(e2e_app, user_id: int) -> dict:
    with e2e_app.app_context():
        db.session.expire_all()
        return {
            "repairs": set(
                str(u)
                for u in db.session.scalars(
                    select(Repair.client_uuid).where(Repair.created_by_id == user_id)
                )
            ),
            "records": set(
                str(u)
                for u in db.session.scalars(
                    select(SurveyRecord.client_uuid).where(SurveyRecord.created_by_id == user_id)
                )
            ),
            "photos": list(
                str(u)
                for u in db.session.scalars(
                    select(Photo.client_uuid).where(Photo.uploaded_by_id == user_id)
                )
            ),
        }


def test_a_queue_of_500_records_and_100_photos_survives_a_restart_and_drains(
    live_server, e2e_app, playwright: Playwright, tmp_path: Path
):
    with e2e_app.app_context():
        world = ensure_world(USERNAME)
        user_id = db.session.scalar(select(User.id).where(User.username == USERNAME))
    profile = tmp_path / "profile"
    day = (datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=1)).isoformat()

    # --- a browser with a profile on disk, signed in; the pages are opened with signal -------
    context = launch(playwright, profile)
    repair = open_signed_in(context, live_server, "/repairs/new")
    expect(repair.locator("#repair-form")).to_have_attribute("data-outbox", "ready")
    survey = context.new_page()
    survey.goto(f"{live_server}/surveys/{world['campaign']}/units/{world['units'][1]}")
    expect(survey.locator("#record-form")).to_have_attribute("data-outbox", "ready")
    hazard = context.new_page()
    hazard.goto(f"{live_server}/hazards/{world['hazard']}")
    expect(hazard.locator("#hazard-photos-form")).to_be_visible()

    # --- no signal all day: a few records through the pages' forms -------------------------
    go_offline(context)
    repair.locator("#road").select_option("G30/up")
    repair.locator("#kind").select_option("pothole")
    repair.locator("#stake").fill("K3510+500")
    repair.locator("#area_m2").fill("2.5")
    repair.locator("#count").fill("2")
    repair.locator("#photo-before").set_input_files(str(jpeg(tmp_path / "b.jpg", (1, 2, 3))))
    expect(repair.locator("#photos-before img")).to_have_count(1)
    repair.locator("#photo-after").set_input_files(str(jpeg(tmp_path / "a.jpg", (4, 5, 6))))
    expect(repair.locator("#photos-after img")).to_have_count(1)
    repair.locator("#save-repair").click()
    expect(repair.locator("#form-message")).to_have_class("notice notice-ok")

    survey.locator('input[name="item_code"][value="pothole"] + span').click()
    survey.locator('input[name="severity"][value="light"] + span').click()
    survey.locator("#quantity").fill("0.8")
    survey.locator("#record-photo").set_input_files(str(jpeg(tmp_path / "s.jpg", (7, 8, 9))))
    expect(survey.locator("#record-photos img")).to_have_count(1)
    survey.locator("#save-record").click()
    expect(survey.locator("#record-message")).to_have_class("notice notice-ok")

    hazard.locator("#hazard-photo").set_input_files(str(jpeg(tmp_path / "h.jpg", (9, 9, 9))))
    expect(hazard.locator("#hazard-photo-list img")).to_have_count(1)
    hazard.locator("#save-hazard-photos").click()
    expect(hazard.locator("#hazard-photos-message")).to_have_class("notice notice-ok")

    # --- … and the bulk of the day through the facade ---------------------------------------
    queued = repair.evaluate(
        QUEUE,
        [
            small_jpegs(),
            {
                "records": RECORDS - FORM_RECORDS,
                "photos": PHOTOS - FORM_PHOTOS,
                "day": day,
                "campaign": world["campaign"],
                "units": world["units"],
            },
        ],
    )
    assert len(queued["records"]) == RECORDS - FORM_RECORDS
    assert len(queued["photos"]) == PHOTOS - FORM_PHOTOS
    assert queued["waiting"] == RECORDS + PHOTOS
    status = repair.locator("#outbox-status")
    expect(status).to_have_attribute("data-records", str(RECORDS))
    expect(status).to_have_attribute("data-photos", str(PHOTOS))
    screenshot(repair, "outbox-600-waiting")
    assert stored(e2e_app, user_id) == {"repairs": set(), "records": set(), "photos": []}

    # --- the browser is closed, and started again with the same profile ---------------------
    context.close()
    context = launch(playwright, profile)
    context.route("**/api/v1/**", dead_network)  # still no signal for the API
    page = open_signed_in(context, live_server, "/repairs/new")
    status = page.locator("#outbox-status")
    expect(status).to_have_attribute("data-records", str(RECORDS), timeout=20_000)
    expect(status).to_have_attribute("data-photos", str(PHOTOS))

    # --- signal again: everything is sent -------------------------------------------------
    context.set_offline(True)
    started = time.monotonic()
    go_online(context)
    expect(status).to_have_attribute("data-waiting", "0", timeout=DRAIN_TIMEOUT_MS)
    drain_s = time.monotonic() - started
    expect(status).to_have_attribute("data-attention", "0")
    screenshot(page, "outbox-drained")
    context.close()

    figure = (
        f"outbox drain: {RECORDS} records + {PHOTOS} photos in {drain_s:.1f} s "
        f"({(RECORDS + PHOTOS) / drain_s:.1f} entries/s)"
    )
    print(figure)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "outbox-drain.txt").write_text(figure + "\n", encoding="utf-8")

    # Every record and photo exactly once: the queued UUIDs are all there, nothing more.
    found = stored(e2e_app, user_id)
    bulk_records = set(queued["records"])
    assert len(found["repairs"]) + len(found["records"]) == RECORDS
    assert bulk_records <= found["repairs"] | found["records"]
    assert len(found["photos"]) == len(set(found["photos"])) == PHOTOS
    assert set(queued["photos"]) <= set(found["photos"])
    with e2e_app.app_context():
        stages = dict(
            db.session.execute(
                select(Photo.stage, func.count())
                .where(Photo.uploaded_by_id == user_id)
                .group_by(Photo.stage)
            ).all()
        )
    # 32 bulk repairs and the form's repair with before + after; survey records and the
    # hazard's site photo.
    assert stages["before"] == stages["after"]
    assert sum(stages.values()) == PHOTOS
