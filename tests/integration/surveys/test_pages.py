"""The survey pages: create a campaign, read its results, walk a unit on the phone, export."""

import io
import re
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from inspection.surveys.models import SurveyCampaign, SurveyRecord
from tests.conftest import csrf_token_from
from tests.integration.surveys.conftest import unit_at


def test_a_manager_creates_a_campaign_with_the_form(client, db_session, roads, login_as):
    login_as("manager")
    page = client.get("/surveys/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="G30/up"' in html and 'value="S21/both"' in html and 'value="S21/down"' in html
    form = {
        "csrf_token": csrf_token_from(html),
        "name": "2026 春季路况调查",
        "starts_on": "2026-04-01",
        "ends_on": "2026-04-20",
        "method": "visual",
        "unit_length_m": "100",
        "width_m": "7.5",
        "pavement": "asphalt",
        "roads": ["G30/up"],
        "note": "",
    }
    bad = client.post("/surveys/new", data=form | {"ends_on": "2026-03-01", "roads": []})
    assert bad.status_code == 422
    bad_html = bad.get_data(as_text=True)
    assert "The end lies before the start." in bad_html and "Choose at least one road." in bad_html

    saved = client.post("/surveys/new", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    campaign = db_session.scalar(select(SurveyCampaign))
    assert saved.headers["Location"].endswith(f"/surveys/{campaign.id}")
    # 100 m units over K3500–K3520 less the 300 m gap.
    assert len(campaign.units) == 197
    assert sum(u.length_m for u in campaign.units) == 19700.0


def test_the_campaign_page_shows_units_summaries_and_what_was_not_measured(
    client, db_session, roads, campaign_of, login_as
):
    campaign = campaign_of(("G30", "up"), ("S21", "both"))
    crew = login_as("patrol")
    unit = unit_at(campaign, "G30", 3)
    page = client.get(f"/surveys/{campaign.id}/units/{unit.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="viewport"' in html and "survey_unit.js" in html
    assert 'value="alligator_cracking"' in html and 'value="slope_collapse"' in html
    assert 'value="crack"' not in html  # a concrete item on an asphalt unit
    saved = client.post(
        f"/surveys/{campaign.id}/units/{unit.id}/records",
        data={
            "csrf_token": csrf_token_from(html),
            "item_code": "alligator_cracking",
            "severity": "heavy",
            "quantity": "75",
            "stake": "K3502+300",
            "note": "",
        },
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    record = db_session.scalar(select(SurveyRecord))
    assert (record.unit_id, record.quantity, record.created_by_id) == (unit.id, 75.0, crew.id)
    after = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Saved: Alligator cracking, 75 m²." in after
    assert "85.00" in after  # the unit's PCI

    detail = client.get(f"/surveys/{campaign.id}")
    assert detail.status_code == 200
    text = detail.get_data(as_text=True)
    assert "Not measured" in text and "RQI · Riding quality index" in text
    assert "85.00" in text and "100.00" in text
    assert "not measured" in text  # S21 has no records
    assert "No earlier campaign surveyed this road and direction." in text
    # Road G30: 19 × 100 + 85 over 19700 m, weighted by length (unit 12 is 700 m).
    expected = (18000 * 100 + 1000 * 85 + 700 * 100) / 19700
    assert f"{expected:.2f}" in text


def test_a_bad_record_comes_back_with_its_errors(client, db_session, roads, campaign_of, login_as):
    campaign = campaign_of(("G30", "up"))
    login_as("patrol")
    unit = unit_at(campaign, "G30", 3)
    html = client.get(f"/surveys/{campaign.id}/units/{unit.id}").get_data(as_text=True)
    answer = client.post(
        f"/surveys/{campaign.id}/units/{unit.id}/records",
        data={
            "csrf_token": csrf_token_from(html),
            "item_code": "bleeding",
            "severity": "heavy",
            "quantity": "-3",
        },
    )
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "The quantity must not be negative." in text
    answer = client.post(
        f"/surveys/{campaign.id}/units/{unit.id}/records",
        data={
            "csrf_token": csrf_token_from(html),
            "item_code": "bleeding",
            "severity": "heavy",
            "quantity": "3",
        },
    )
    assert answer.status_code == 422
    assert "bleeding has no severity grades" in answer.get_data(as_text=True)
    assert db_session.scalar(select(SurveyRecord)) is None


def test_records_are_voided_and_units_edited(
    client, db_session, roads, campaign_of, login_as, make_user
):
    from inspection.surveys import services
    from inspection.surveys.importing import RecordInput

    campaign = campaign_of(("G30", "up"))
    unit = unit_at(campaign, "G30", 3)
    crew = make_user("patrol")
    record, _ = services.add_record(
        db_session,
        campaign,
        RecordInput(unit.id, "", None, "", None, "pothole", "light", 2.0, None, ""),
        actor=crew,
    )
    login_as("manager")
    html = client.get(f"/surveys/{campaign.id}/units/{unit.id}").get_data(as_text=True)
    token = csrf_token_from(html)
    assert "Void the record" in html and "Change the unit" in html
    assert "Save the record" not in html  # a manager imports; crews walk the units
    voided = client.post(
        f"/surveys/records/{record.id}/void", data={"csrf_token": token, "reason": "twice"}
    )
    assert voided.status_code == 302
    db_session.refresh(record)
    assert record.voided_at is not None and record.void_reason == "twice"

    changed = client.post(
        f"/surveys/{campaign.id}/units/{unit.id}/edit",
        data={"csrf_token": token, "width_m": "3.75", "pavement": "concrete"},
    )
    assert changed.status_code == 302
    db_session.refresh(unit)
    assert (unit.width_m, unit.pavement) == (3.75, "concrete")
    bad = client.post(
        f"/surveys/{campaign.id}/units/{unit.id}/edit",
        data={"csrf_token": token, "width_m": "0", "pavement": "concrete"},
    )
    assert bad.status_code == 422
    assert "between 0 and 60 m" in bad.get_data(as_text=True)


def test_another_crew_member_cannot_void_a_record(
    client, db_session, roads, campaign_of, login_as, make_user
):
    from inspection.surveys import services
    from inspection.surveys.importing import RecordInput

    campaign = campaign_of(("G30", "up"))
    unit = unit_at(campaign, "G30", 3)
    record, _ = services.add_record(
        db_session,
        campaign,
        RecordInput(unit.id, "", None, "", None, "pothole", "light", 2.0, None, ""),
        actor=make_user("patrol"),
    )
    login_as("patrol")
    html = client.get(f"/surveys/{campaign.id}/units/{unit.id}").get_data(as_text=True)
    assert "Void the record" not in html
    answer = client.post(
        f"/surveys/records/{record.id}/void",
        data={"csrf_token": csrf_token_from(html), "reason": "mine now"},
    )
    assert answer.status_code == 403
    assert record.voided_at is None


def test_the_list_and_the_unit_exports(client, roads, campaign_of, login_as):
    campaign = campaign_of(
        ("G30", "up"), name="2026 autumn", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 9)
    )
    login_as("safety_officer")
    listing = client.get("/surveys/").get_data(as_text=True)
    assert "2026 autumn" in listing and "20 units" in listing
    assert "New campaign" not in listing

    csv = client.get(f"/surveys/{campaign.id}/units.csv")
    assert csv.status_code == 200
    lines = csv.get_data().decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Road,Direction,Unit no.,Start stake,End stake,Length (m)")
    assert len(lines) == 21
    assert re.match(
        r"G30,Up,12,K3511\+000,K3511\+700,700\.0,7\.5,Asphalt pavement,not measured", lines[12]
    )

    xlsx = client.get(f"/surveys/{campaign.id}/units.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.get_data())).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("G30", "Up", 1) and len(rows) == 21


def test_the_chinese_pages_name_items_and_grades_in_chinese(client, roads, campaign_of, login_as):
    campaign = campaign_of(("G30", "up"))
    login_as("patrol")
    with client.session_transaction() as session:
        session["lang"] = "zh_CN"
    unit = unit_at(campaign, "G30", 1)
    html = client.get(f"/surveys/{campaign.id}/units/{unit.id}").get_data(as_text=True)
    assert "龟裂" in html and "边坡坍塌" in html
    assert client.get(f"/surveys/{campaign.id}").status_code == 200
