"""The annual report over a year of records: exact figures, paragraph, XLSX cells, API, CLI."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from inspection.reports import annual
from inspection.reports.annual import queries
from tests.conftest import log_in

# 100 − 15 × 10^0.412 (DESIGN §3 check value 61.27) for the unit with DR 10 %.
PCI_DR10 = 100 - 15 * 10**0.412
ROAD_PCI = (85.0 + 100.0 + PCI_DR10) / 3

MAINTENANCE_ZH = (
    "全年组织路况普查2次，完成整修路肩1.63万平方米，整修边坡0.54万平方米，处治坑槽20.7平方米（8处）；"
    "开展道路巡查4次（3天），累计巡查里程212.5公里，巡查发现病害3处。"
    "根据2025年路况调查（2025年10月31日结束），G30上行PCI为82.09、SCI为98.33、优良路率为66.7%。"
)
# The two self-inspections found nothing; the four hazards came from road patrols.
SAFETY_ZH = (
    "全年共计开展安全隐患自查2次，未发现隐患。各类来源共发现隐患4处（其中道路巡查发现4处），"
    "已整改2处，总体整改率50%（整改情况截至2025年12月31日）。"
)
MAINTENANCE_EN = (
    "In 2025: 2 pavement condition surveys organised, shoulder repair 1.63 × 10,000 m²"
    " (16,250.0 m²), slope repair 0.54 × 10,000 m² (5,432.1 m²), pothole treatment 20.7 m²"
    " (8 potholes); 4 road patrols on 3 days, 212.5 km patrolled, 3 distress findings recorded."
    " Pavement condition survey “2025年路况调查” (ended 2025-10-31): G30 up PCI 82.09,"
    " SCI 98.33, excellent or good 66.7%."
)
SAFETY_EN = (
    "In 2025: 2 safety self-inspections held in all, no hazard found. Hazards from every source:"
    " 4 found (4 from road patrols), 2 rectified, overall rectification rate 50% (rectification"
    " as of 31 December 2025)."
)
PARAGRAPH_ZH = MAINTENANCE_ZH + "\n" + SAFETY_ZH
PARAGRAPH_EN = MAINTENANCE_EN + "\n" + SAFETY_EN


def report(db_session, timezone="Asia/Shanghai", **params):
    asked = annual.parse_request({k: str(v) for k, v in params.items()}, today=date(2026, 6, 15))
    return queries.annual_report(db_session, asked, timezone=timezone)


@pytest.fixture
def manager(client, make_user):
    user = make_user("manager")
    log_in(client, user)
    return user


def test_totals_of_the_year(db_session, year_of_records):
    totals = report(db_session, year=2025).totals
    assert totals["shoulder_area_m2"] == Decimal("16250.0")
    # 16 250 m² = 1.625 万m²: rounded half up (half-even would say 1.62).
    assert totals["shoulder_area_10k_m2"] == Decimal("1.63")
    assert totals["slope_area_m2"] == Decimal("5432.1")
    assert totals["slope_area_10k_m2"] == Decimal("0.54")
    # 12.5 + 8.15 = 20.65 summed exactly, then half up.
    assert totals["pothole_area_m2"] == Decimal("20.7")
    assert totals["pothole_count"] == 8
    assert totals["patrols"] == 4
    assert totals["patrol_days"] == 3
    assert totals["patrol_km"] == Decimal("212.5")
    assert totals["surveys"] == 2  # the spring and the autumn campaigns ended in 2025
    assert totals["inspections"] == 2  # the voided one is not counted
    assert totals["inspections_routine"] == 2
    assert totals["inspections_special"] == 0
    assert totals["self_hazards_found"] == 0
    assert totals["self_rectification_rate"] is None
    assert totals["hazards_source_patrol"] == 4
    assert totals["hazards_location_road"] == 4
    assert totals["hazards_category_guardrail_damage"] == 4
    assert totals["hazards_carried_over"] == 0  # the 2024 one was closed in 2024
    assert totals["findings"] == 3
    assert totals["findings_pothole"] == 2
    assert totals["findings_shoulder_damage"] == 1
    assert totals["findings_slope_damage"] == 0  # the voided one
    assert totals["findings_pavement_distress"] == 0  # 2026 in Shanghai
    assert totals["hazards_found"] == 4
    assert totals["hazards_closed"] == 2
    assert totals["hazards_open"] == 2
    assert totals["hazards_overdue"] == 1  # found 20 Dec, deadline 27 Dec, closed in January
    assert totals["rectification_rate"] == Decimal("50.0")


def test_materials_exclude_voided_and_next_year(db_session, year_of_records):
    materials = {(m.name, m.unit): m.quantity for m in report(db_session, year=2025).materials}
    assert materials == {
        ("冷补料", "t"): Decimal("1.25"),
        ("水泥", "t"): Decimal("1.50"),
        ("砂砾", "m3"): Decimal("30.00"),
    }


def test_a_later_cutoff_counts_the_january_closure(db_session, year_of_records):
    later = report(db_session, year=2025, cutoff="2026-01-31")
    assert later.cutoff == date(2026, 1, 31)
    assert later.totals["hazards_closed"] == 3
    assert later.totals["rectification_rate"] == Decimal("75.0")
    # Now the one found on 31 December is past its 15 January deadline.
    assert later.totals["hazards_overdue"] == 1
    assert later.totals["hazards_open"] == 1
    assert "总体整改率75%（整改情况截至2026年1月31日）" in later.paragraphs_zh["safety"]


def test_the_next_year_gets_only_its_own_records(db_session, year_of_records):
    next_year = report(db_session, year=2026)
    totals = next_year.totals
    assert next_year.cutoff == date(2026, 6, 15)  # today, earlier than the end of 2026
    assert totals["shoulder_area_m2"] == Decimal("2000.0")
    assert totals["patrols"] == 1
    assert totals["findings"] == 1
    assert totals["hazards_found"] == 1
    assert totals["hazards_closed"] == 0
    # The December hazard closed in January belongs to 2025's figures, not 2026's.
    assert totals["slope_area_m2"] is None
    # 2026's survey recorded nothing on G30 yet: neither index is measured (the surveys area's
    # rule, which the report shares — a fresh campaign must not read as all excellent).
    [g30] = next_year.conditions
    assert (g30.campaign, g30.pci, g30.sci) == ("2026年路况调查", None, None)
    assert "G30上行PCI未评定、SCI未评定。" in next_year.paragraph_zh


def test_previous_year_comparison(db_session, year_of_records):
    compared = {c.key: c for c in report(db_session, year=2025).comparison}
    shoulder = compared["shoulder_area_m2"]
    assert (shoulder.previous, shoulder.difference, shoulder.change_pct) == (
        Decimal("10000.0"),
        Decimal("6250.0"),
        Decimal("62.5"),
    )
    slope = compared["slope_area_m2"]
    assert slope.previous is None and slope.change_pct is None
    assert slope.difference == Decimal("5432.1")
    assert compared["patrols"].previous == 1  # the 1 January 00:10 patrol is 2025's
    rate = compared["rectification_rate"]
    assert (rate.current, rate.previous, rate.difference, rate.change_pct) == (
        Decimal("50.0"),
        Decimal("100.0"),
        Decimal("-50.0"),
        None,
    )


def test_breakdowns_by_road_and_month(db_session, year_of_records):
    built = report(db_session, year=2025)
    by_road = dict(built.by_road)
    assert list(by_road) == ["G30", "G312", "S21"]
    assert by_road["G30"]["shoulder_area_m2"] == Decimal("12250.5")
    assert by_road["S21"]["shoulder_area_m2"] == Decimal("3999.5")
    assert by_road["G30"]["patrols"] == 3
    assert by_road["G30"]["patrol_days"] == 2
    assert by_road["G30"]["patrol_km"] == Decimal("200.5")
    assert by_road["S21"]["patrol_km"] == Decimal("12.0")
    assert by_road["G30"]["rectification_rate"] == Decimal("66.7")
    assert by_road["S21"]["hazards_found"] == 1
    assert by_road["G312"]["patrols"] == 0
    assert by_road["G312"]["rectification_rate"] is None
    by_month = dict(built.by_month)
    assert list(by_month) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert by_month["2025-01"]["patrols"] == 2
    assert by_month["2025-01"]["patrol_days"] == 1
    assert by_month["2025-12"]["shoulder_area_m2"] == Decimal("3999.5")
    assert by_month["2025-12"]["pothole_count"] == 3
    assert by_month["2025-12"]["hazards_found"] == 2
    assert by_month["2025-12"]["hazards_closed"] == 0
    assert by_month["2025-02"]["shoulder_area_m2"] is None


def test_one_road_and_one_month(db_session, year_of_records):
    s21 = report(db_session, year=2025, road="s21")
    assert s21.request.road == "S21"
    assert s21.road_name == "阿乌高速（示范段）"
    assert s21.totals["shoulder_area_m2"] == Decimal("3999.5")
    assert s21.totals["slope_area_m2"] is None
    assert [code for code, _ in s21.by_road] == ["S21"]
    # No survey on S21, no slope repair: left out.
    assert s21.paragraphs_zh["maintenance"] == (
        "S21全年完成整修路肩0.40万平方米，处治坑槽12.5平方米（5处）；"
        "开展道路巡查1次（1天），累计巡查里程12.0公里，巡查发现病害1处。"
    )
    assert s21.totals["inspections"] == 1  # the one whose scope has a section of S21
    december = report(db_session, year=2025, month=12)
    assert december.period.start == date(2025, 12, 1)
    assert december.totals["patrols"] == 1
    assert december.totals["hazards_found"] == 2
    assert december.paragraph_zh.startswith("12月份完成整修路肩0.40万平方米")
    # No survey ended in December.
    assert december.conditions == ()


def test_a_date_range(db_session, year_of_records):
    ranged = report(db_session, **{"from": "2025-12-31", "to": "2026-01-01"})
    assert ranged.totals["shoulder_area_m2"] == Decimal("5999.5")
    assert ranged.totals["patrols"] == 2
    assert [m for m, _ in ranged.by_month] == ["2025-12", "2026-01"]
    assert ranged.request.previous_period.start == date(2024, 12, 31)
    assert ranged.paragraph_zh.startswith("2025年12月31日至2026年1月1日完成")


def test_days_count_in_the_branch_time_zone(db_session, year_of_records):
    urumqi = report(db_session, timezone="Asia/Urumqi", year=2025).totals
    # 1 January 00:10 Shanghai is 31 December 22:10 in Urumqi: 2024's; and
    # 1 January 00:00:30 Shanghai is 31 December 22:00:30 in Urumqi: 2025's.
    assert urumqi["patrols"] == 4
    assert urumqi["patrol_km"] == Decimal("122.0")  # 80 + 12 + 30, not 120.5 + 80 + 12
    assert urumqi["patrol_days"] == 3  # 1 January, 1 July, 31 December
    assert urumqi["findings"] == 4
    assert urumqi["hazards_found"] == 5
    # Completion dates are local dates already: unchanged.
    assert urumqi["shoulder_area_m2"] == Decimal("16250.0")


def test_road_condition_from_the_latest_survey(db_session, year_of_records):
    conditions = queries.latest_survey_by_road(
        db_session, until=date(2025, 12, 31), road=None, since=date(2025, 1, 1)
    )
    assert len(conditions) == 1
    g30 = conditions[0]
    assert (g30.road, g30.direction, g30.campaign) == ("G30", "up", "2025年路况调查")
    assert g30.length_m == 3000.0
    assert g30.pci == pytest.approx(ROAD_PCI, abs=0.01)  # unit PCIs are rounded to 0.01 first
    assert g30.sci == pytest.approx((95.0 + 100.0 + 100.0) / 3)
    assert g30.excellent_good_pct == pytest.approx(200 / 3)
    assert g30.pci_grade == "good"
    # Without `since`, an older campaign never hides a newer one; until excludes 2026's.
    assert queries.latest_survey_by_road(db_session, until=date(2025, 5, 31), road="G30")[
        0
    ].campaign == ("2025年春季路况调查")
    assert queries.latest_survey_by_road(db_session, until=date(2025, 12, 31), road="S21") == []


def test_paragraphs(db_session, year_of_records):
    built = report(db_session, year=2025)
    assert built.paragraphs_zh == {"maintenance": MAINTENANCE_ZH, "safety": SAFETY_ZH}
    assert built.paragraphs_en == {"maintenance": MAINTENANCE_EN, "safety": SAFETY_EN}


def test_api_gives_every_figure_with_unit_and_definition(client, manager, year_of_records):
    answer = client.get("/api/v1/reports/annual?year=2025")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["timezone"] == "Asia/Shanghai"
    assert body["cutoff"] == "2025-12-31"
    figures = {f["key"]: f for f in body["figures"]}
    assert set(figures) == set(annual.TOTAL_KEYS)
    assert figures["shoulder_area_10k_m2"] == {
        "key": "shoulder_area_10k_m2",
        "value": 1.63,
        "unit": "10k_m2",
        "decimals": 2,
        "definition": "repair_area_10k",
        "previous": 1.0,
        "difference": 0.63,
        "change_pct": 63.0,
    }
    assert figures["rectification_rate"]["value"] == 50.0
    for figure in body["figures"]:
        assert figure["unit"] in body["units"]
        assert figure["definition"] in body["definitions"]
    assert body["paragraphs"] == {
        "maintenance": {"zh": MAINTENANCE_ZH, "en": MAINTENANCE_EN},
        "safety": {"zh": SAFETY_ZH, "en": SAFETY_EN},
    }
    assert body["paragraph"] == {"zh": PARAGRAPH_ZH, "en": PARAGRAPH_EN}
    assert body["road_condition"][0]["figures"][1] == {
        "key": "survey_pci",
        "value": 82.09,
        "unit": "index",
        "decimals": 2,
        "definition": "survey_pci",
    }
    one_road = client.get("/api/v1/reports/annual?year=2025&road=G30").get_json()
    assert one_road["road"] == "G30"
    assert [r["road"] for r in one_road["by_road"]] == ["G30"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=1999", "year"),
        ("year=2025&month=13", "month"),
        ("year=2027", "year"),
        ("from=2025-02-01", "to"),
        ("from=2025-02-01&to=2025-01-01", "to"),
        ("year=2025&from=2025-01-01&to=2025-02-01", "from"),
        ("year=2025&cutoff=2024-12-31", "cutoff"),
        ("year=2025&cutoff=2026-06-16", "cutoff"),
        ("year=2025&cutoff=31.12.2025", "cutoff"),
    ],
)
def test_api_refuses_bad_parameters(client, manager, query, field):
    answer = client.get(f"/api/v1/reports/annual?{query}")
    assert answer.status_code == 422
    assert field in answer.get_json()["error"]["fields"]


def test_api_unknown_road(client, manager, roads):
    answer = client.get("/api/v1/reports/annual?year=2025&road=G999")
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("role", ["patrol", "safety_officer", "admin"])
def test_only_managers_read_reports(client, make_user, role):
    log_in(client, make_user(role))
    assert client.get("/api/v1/reports/annual").status_code == 403
    assert client.get("/reports/annual").status_code == 403


def test_xlsx_cells(client, manager, year_of_records):
    answer = client.get("/reports/annual.xlsx?year=2025")
    assert answer.status_code == 200
    assert 'filename="annual-report-2025.xlsx"' in answer.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(answer.data))
    assert book.sheetnames == [
        "Totals",
        "By road",
        "By month",
        "Materials",
        "Road condition",
        "About",
    ]
    totals = book["Totals"]
    header = [c.value for c in totals[1]]
    assert header == [
        "Figure",
        "Unit",
        "This period",
        "Previous year",
        "Difference",
        "Change (%)",
        "Definition",
        "Key",
    ]
    by_key = {row[7].value: row for row in totals.iter_rows(min_row=2)}
    assert by_key["shoulder_area_10k_m2"][2].value == 1.63
    assert by_key["shoulder_area_10k_m2"][1].value == "10,000 m²"
    assert by_key["pothole_area_m2"][2].value == 20.7
    assert by_key["pothole_count"][2].value == 8
    assert by_key["patrol_km"][2].value == 212.5
    assert by_key["rectification_rate"][2].value == 50.0
    assert by_key["slope_area_m2"][3].value is None  # no slope repair in 2024: empty, not 0
    assert isinstance(by_key["patrols"][2].value, int)
    by_road = book["By road"]
    assert [c.value for c in by_road[1]][:3] == [
        "Road",
        "Shoulder repair area (m²)",
        "Slope repair area (m²)",
    ]
    rows = {row[0].value: [c.value for c in row] for row in by_road.iter_rows(min_row=2)}
    assert rows["G30"][1] == 12250.5
    assert rows["S21"][1] == 3999.5
    by_month = book["By month"]
    months = {row[0].value: [c.value for c in row] for row in by_month.iter_rows(min_row=2)}
    assert months["2025-12"][1] == 3999.5
    materials = book["Materials"]
    assert [[c.value for c in row] for row in materials.iter_rows(min_row=2)] == [
        ["冷补料", "t", 1.25],
        ["水泥", "t", 1.5],
        ["砂砾", "m³", 30.0],
    ]
    condition = [c.value for c in book["Road condition"][2]]
    assert condition[:2] == ["G30", "up"]
    assert condition[5] == 82.09
    about = {row[0].value: row[1].value for row in book["About"].iter_rows(min_row=2)}
    assert about["Time zone"] == "Asia/Shanghai"
    assert about["Rectification cut-off"] == "2025-12-31"
    assert about["Maintenance paragraph (Chinese)"] == MAINTENANCE_ZH
    assert about["Safety paragraph (English)"] == SAFETY_EN
    # Every definition, in the metric table's order.
    assert about["Self-inspection rectification rate (%)"].startswith(
        "Self-inspection rectification rate = hazards self-inspections found"
    )
    assert about["Hazards carried over and closed (sites)"].startswith(
        "Hazards found before the period"
    )


def test_xlsx_in_chinese(client, manager, year_of_records):
    with client.session_transaction() as session:
        session["lang"] = "zh_CN"
    book = load_workbook(io.BytesIO(client.get("/reports/annual.xlsx?year=2025").data))
    assert book.sheetnames[0] == "合计"
    assert [c.value for c in book["按路线"][1]][1] == "整修路肩面积（平方米）"


def test_csv_of_each_table(client, manager, year_of_records):
    answer = client.get("/reports/annual.csv?year=2025&road=G30")
    assert answer.status_code == 200
    assert 'filename="annual-report-2025-G30-totals.csv"' in answer.headers["Content-Disposition"]
    text = answer.data.decode("utf-8-sig")
    assert "Shoulder repair area,m²,12250.5,10000.0,2250.5,22.5," in text
    by_month = client.get("/reports/annual.csv?year=2025&table=by_month").data.decode("utf-8-sig")
    assert by_month.splitlines()[0].startswith("Month,Shoulder repair area (m²),")
    assert by_month.splitlines()[12] == "2025-12,3999.5,,8.2,3,1,1,12.0,1,0,0,0,2,0,2,1,0.0"


def test_page_shows_the_report(client, manager, year_of_records):
    answer = client.get("/reports/annual?year=2025")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert MAINTENANCE_ZH in page
    assert SAFETY_ZH in page
    assert SAFETY_EN in page
    assert 'data-copy="paragraph-safety-zh"' in page
    # The definitions are printed, not only carried as titles.
    assert "Hazards found before the period, still open when it began" in page
    assert "<svg" in page and 'class="chart-bar bar-shoulder"' in page
    assert "style=" not in page  # CSP: no inline styles
    assert "<script>" not in page  # CSP: no inline scripts
    assert "Asia/Shanghai" in page
    assert "16,250.0" in page
    assert "/api/v1/reports/annual?year=2025" in page


def test_page_names_a_bad_parameter(client, manager, roads):
    answer = client.get("/reports/annual?year=2025&month=13")
    assert answer.status_code == 422
    assert "month" in answer.get_data(as_text=True)


def test_page_with_no_records_says_so(client, manager, roads):
    page = client.get("/reports/annual?year=2025").get_data(as_text=True)
    assert "全年未记录路况普查、养护作业和道路巡查。" in page
    assert "全年未记录安全隐患自查，未发现安全隐患。" in page
    assert "—" in page  # the rectification rate when nothing was found


def test_cli_json_and_xlsx(app, db_session, year_of_records, tmp_path):
    from inspection.reports import cli

    runner = app.test_cli_runner()
    # As `flask report annual …`: the group is registered on the app.
    result = runner.invoke(args=["report", "annual", "--year", "2025", "--format", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert {f["key"]: f["value"] for f in body["figures"]}["shoulder_area_10k_m2"] == 1.63
    target = tmp_path / "report.xlsx"
    result = runner.invoke(
        cli.report_cli,
        ["annual", "--year", "2025", "--road", "G30", "--format", "xlsx", "--output", str(target)],
    )
    assert result.exit_code == 0, result.output
    assert load_workbook(target).sheetnames[0] == "合计"
    text = runner.invoke(cli.report_cli, ["annual", "--year", "2025"])
    assert text.exit_code == 0, text.output
    assert MAINTENANCE_ZH in text.output
    assert SAFETY_EN in text.output
    assert "安全隐患自查次数" in text.output
    bad = runner.invoke(cli.report_cli, ["annual", "--year", "2025", "--cutoff", "2024-01-01"])
    assert bad.exit_code == 2
    assert "cut-off" in bad.output
