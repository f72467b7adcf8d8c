"""The report's crew-safety figures over a year (2025), every number worked out by hand.

Briefings with attendees, pre-trip checks (some failing alcohol, some blood pressure, one both,
one with its readings erased), work zones with and without an intrusion alarm, and repairs on
expressways (G30, S21) with and without a zone; voided records and records just outside the
year (branch time) are there to be left out. The records are made directly with the models.
"""

import csv
import html
import io
import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from inspection.crew.models import (
    Briefing,
    BriefingAttendee,
    PretripCheck,
    WorkZone,
    WorkZoneDevice,
)
from inspection.fleet.models import Driver, Vehicle
from inspection.reports import annual
from inspection.reports.annual import crew_queries, queries
from tests.conftest import log_in
from tests.integration.reports.conftest import SHANGHAI, local

TODAY = date(2026, 6, 15)
VOIDED_AT = datetime(2026, 2, 1, tzinfo=SHANGHAI)

# held at (Shanghai), attendees, voided
BRIEFINGS = [
    ("2025-01-06 08:00", 5, False),
    ("2025-03-15 07:50", 4, False),
    ("2025-03-16 07:55", 6, False),
    ("2025-07-01 07:30", 3, False),
    ("2025-12-31 23:50", 2, False),  # the year's last local day: in
    ("2026-01-01 00:10", 4, False),  # still 2025 in UTC, 2026 in Shanghai: out
    ("2024-12-31 23:30", 4, False),  # out
    ("2025-05-05 08:00", 7, True),  # voided: out
]
# 5 briefings, 5 + 4 + 6 + 3 + 2 = 20 attendances.

# check day, alcohol mg (None: erased), alcohol result, systolic, diastolic, BP passed,
# vehicle passed, voided
CHECKS = [
    ("2025-01-06", "0", "passed", 120, 80, True, True, False),
    ("2025-02-10", "0", "passed", 130, 85, True, True, False),
    ("2025-03-01", "0", "passed", 159, 99, True, True, False),  # just under 160/100
    ("2025-04-10", "25", "drink", 125, 80, True, True, False),  # alcohol failed
    ("2025-04-10", "0", "passed", 125, 80, True, True, False),  # the passed re-check
    ("2025-06-01", "0", "passed", 170, 105, False, True, False),  # BP failed
    ("2025-07-01", "0", "passed", 118, 76, True, False, False),  # the vehicle failed
    ("2025-08-08", "0", "passed", 160, 90, False, True, False),  # BP failed (at 160)
    ("2025-09-03", "90", "drunk", 135, 88, True, True, False),  # alcohol failed
    ("2025-10-10", "30", "drink", 180, 110, False, True, False),  # both failed
    ("2025-11-11", None, "passed", None, None, False, True, False),  # BP failed, erased
    ("2025-12-31", "0", "passed", 120, 80, True, True, False),
    ("2025-05-05", "85", "drunk", 120, 80, True, True, True),  # voided: out
    ("2024-12-31", "50", "drink", 120, 80, True, True, False),  # out
    ("2026-01-01", "0", "passed", 170, 105, False, True, False),  # out
]
# 12 checks; alcohol failed 3 (04-10, 09-03, 10-10); BP failed 4 (06-01, 08-08, 10-10, 11-11).

CREW_ZH = (
    "开展岗前5分钟安全培训5次、20人次；出车前检查12车次，酒精含量测试12人次（不合格3人次）、"
    "血压测试12人次（不合格4人次）；施工作业区安全布设5处（设置防闯入报警设备3处，未设置2处）；"
    "高速公路养护作业7处，其中3处未记录作业区布设。"
)
CREW_EN = (
    "5-minute pre-shift safety briefings 5, attendances 20; pre-trip checks 12, breath-alcohol"
    " tests 12 (3 failed), blood-pressure tests 12 (4 failed); work zones set up 5 (3 with an"
    " intrusion alarm, 2 without); repairs on expressways 7, 3 of them without a work-zone"
    " record."
)
SAFETY_ZH = "全年未记录安全隐患自查，未发现安全隐患。" + CREW_ZH
SAFETY_EN = "In 2025: no safety self-inspection recorded, no safety hazard found. " + CREW_EN

FIGURES = {
    "crew_briefings": 5,
    "crew_briefing_attendances": 20,
    "crew_pretrip_checks": 12,
    "crew_alcohol_tests": 12,
    "crew_alcohol_failed": 3,
    "crew_blood_pressure_tests": 12,
    "crew_blood_pressure_failed": 4,
    "crew_zones": 5,
    "crew_zones_with_alarm": 3,
    "crew_zones_without_alarm": 2,
    "crew_expressway_repairs": 7,
    "crew_repairs_without_zone": 3,
}


def _voided(record, voided: bool, user):
    if voided:
        record.voided_at, record.void_reason, record.voided_by_id = VOIDED_AT, "重复录入", user.id
    return record


@pytest.fixture
def crew_year(db_session, roads, build, make_user):
    """The year's briefings, checks, zones and repairs; returns the repairs by name."""
    officer = make_user("safety_officer")
    worker = make_user("patrol")
    roads["G30"].road_class = "expressway"
    roads["S21"].road_class = "expressway"
    roads["G312"].road_class = "class1"

    for held, attendees, voided in BRIEFINGS:
        briefing = Briefing(
            client_uuid=uuid.uuid4(),
            held_at=local(held),
            crew="柴窝堡养护工区一班",
            leader_name="王班长",
            topic_text="作业区安全布设",
            created_by_id=officer.id,
        )
        briefing.attendees = [
            BriefingAttendee(user_id=worker.id if i == 0 else None, name=f"工人{i}")
            for i in range(attendees)
        ]
        db_session.add(_voided(briefing, voided, officer))

    vehicle = Vehicle(
        kind="patrol_vehicle",
        number="新A12345",
        number_key="新A12345",
        status="fit",
        registered_on=date(2024, 1, 1),
    )
    driver = Driver(
        name="李师傅", licence_class="C1", licence_number="", licence_expires=date(2035, 1, 1)
    )
    db_session.add_all([vehicle, driver])
    db_session.flush()
    for day, mg, result, systolic, diastolic, bp_ok, vehicle_ok, voided in CHECKS:
        items = {"brakes": vehicle_ok, "lights": True, "tyres": True}
        erased = mg is None
        check = PretripCheck(
            client_uuid=uuid.uuid4(),
            checked_at=local(f"{day} 07:00"),
            check_date=date.fromisoformat(day),
            vehicle_id=vehicle.id,
            driver_id=driver.id,
            vehicle_items=items,
            vehicle_passed=vehicle_ok,
            alcohol_mg=None if erased else Decimal(mg),
            alcohol_result=result,
            alcohol_passed=result == "passed",
            systolic=systolic,
            diastolic=diastolic,
            blood_pressure_passed=bp_ok,
            passed=vehicle_ok and result == "passed" and bp_ok,
            alcohol_limit_mg=Decimal(20),
            systolic_max=160,
            diastolic_max=100,
            values_erased_at=local("2026-01-01 00:00") if erased else None,
            checked_by_id=officer.id,
        )
        db_session.add(_voided(check, voided, officer))

    b = build
    repairs = {
        "R1": b.repair("G30", "shoulder", "2025-03-20", 120.0),  # zone Z1 (alarm cones)
        "R2": b.repair("G30", "pothole", "2025-05-12", 3.5, count=2),  # zone Z2 (no alarm)
        "R3": b.repair("S21", "slope", "2025-06-18", 300.0),  # no zone
        "R4": b.repair("G30", "pothole", "2025-08-02", 1.5, count=1),  # only a voided zone
        "R5": b.repair("S21", "shoulder", "2025-09-09", 80.0),  # zone Z3 (radar)
        "R6": b.repair("G30", "shoulder", "2025-01-03", 60.0),  # zone set up in 2024
        "R10": b.repair("S21", "pothole", "2025-11-20", 2.0, count=1),  # no zone
        # Left out: voided, not an expressway, completed in 2026.
        "R7": b.repair("G30", "shoulder", "2025-04-04", 50.0, voided=True),
        "R8": b.repair("G312", "shoulder", "2025-07-07", 40.0),
        "R9": b.repair("G30", "pothole", "2026-01-02", 1.0, count=1),
    }
    repairs["R10"].stake_text = "K8+200"
    # A crew name a spreadsheet would run as a formula: the exports must not.
    repairs["R3"].crew = "=HYPERLINK(1)"
    patrol = b.patrol("G30", "routine", "2025-10-15 09:00", 40.0)
    db_session.flush()

    # name, linked to, set up at (Shanghai), devices, voided
    zones = [
        ("Z1", repairs["R1"], "2025-03-20 08:30", {"alarm_cone": 6, "cone": 30}, False),
        ("Z2", repairs["R2"], "2025-05-12 09:00", {"cone": 20, "sign": 2}, False),
        ("Z3", repairs["R5"], "2025-09-08 16:00", {"intrusion_radar": 1, "cone": 25}, False),
        ("Z4", repairs["R6"], "2024-12-30 09:00", {"cone": 20}, False),  # not a 2025 zone
        ("Z5", patrol, "2025-10-15 10:00", {"alarm_cone": 4, "intrusion_radar": 1}, False),
        ("Z7", patrol, "2025-12-31 23:30", {}, False),  # in, no device
        ("Zv", repairs["R4"], "2025-08-01 09:00", {"alarm_cone": 4}, True),  # voided
        ("Z6", patrol, "2026-01-01 00:30", {"alarm_cone": 4}, False),  # out
    ]
    for _name, linked, set_up, devices, voided in zones:
        is_repair = linked in repairs.values()
        zone = WorkZone(
            client_uuid=uuid.uuid4(),
            repair_id=linked.id if is_repair else None,
            patrol_id=None if is_repair else linked.id,
            road_id=linked.road_id,
            direction="up",
            from_chainage=3_503_000.0,
            to_chainage=3_504_500.0,
            lanes_closed=1,
            speed_limit_kmh=100,
            set_up_at=local(set_up),
            created_by_id=officer.id,
        )
        zone.devices = [WorkZoneDevice(device=d, count=n) for d, n in devices.items()]
        db_session.add(_voided(zone, voided, officer))
    db_session.flush()
    return repairs


def report(db_session, *, crew=True, **params):
    asked = annual.parse_request({k: str(v) for k, v in params.items()}, today=TODAY)
    built = queries.annual_report(db_session, asked, timezone="Asia/Shanghai")
    return crew_queries.with_crew(db_session, built) if crew else built


def test_the_years_figures(db_session, crew_year):
    crew = report(db_session, year=2025).crew
    assert crew.figures() == FIGURES
    by_month = {m.month: m.counts for m in crew.months}
    assert list(by_month) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert (by_month["2025-03"].briefings, by_month["2025-03"].attendances) == (2, 10)
    assert (by_month["2025-04"].checks, by_month["2025-04"].alcohol_failed) == (2, 1)
    october = by_month["2025-10"]
    assert (october.alcohol_failed, october.blood_pressure_failed) == (1, 1)
    assert (october.zones, october.zones_with_alarm) == (1, 1)  # Z5: two alarms, one zone
    assert (by_month["2025-12"].zones, by_month["2025-12"].zones_with_alarm) == (1, 0)
    assert by_month["2025-01"].expressway_repairs == 1  # R6, zoned in December 2024
    assert by_month["2025-01"].repairs_without_zone == 0
    unzoned = [(r.id, r.road, r.stakes, r.completed_on) for r in crew.unzoned]
    assert unzoned == [
        (crew_year["R3"].id, "S21", "K3504+000–K3504+300", date(2025, 6, 18)),
        (crew_year["R4"].id, "G30", "K3504+000–K3504+300", date(2025, 8, 2)),
        (crew_year["R10"].id, "S21", "K8+200", date(2025, 11, 20)),
    ]


def test_the_safety_paragraph_exact(db_session, crew_year):
    built = report(db_session, year=2025)
    assert built.paragraphs_zh["safety"] == SAFETY_ZH
    assert built.paragraphs_en["safety"] == SAFETY_EN
    assert list(built.paragraphs_zh) == ["maintenance", "safety"]  # no fleet paragraph


def test_the_crew_sentence_follows_the_hazards(db_session, crew_year, build):
    seasonal = build.inspection("seasonal", "2025-04-01", roads=["G30"])
    build.hazard(
        "G30",
        "2025-04-01 10:00",
        closed="2025-04-20 10:00",
        source="self_inspection",
        inspection=seasonal,
    )
    db_session.flush()
    without = report(db_session, crew=False, year=2025)
    built = report(db_session, year=2025)
    hazards_zh = without.paragraphs_zh["safety"]
    assert hazards_zh.startswith("全年通过季节性检查1次等方式，共计开展安全隐患自查1次")
    assert built.paragraphs_zh["safety"] == hazards_zh + CREW_ZH
    assert built.paragraphs_en["safety"] == without.paragraphs_en["safety"] + " " + CREW_EN


def test_one_month_and_only_some_records(db_session, crew_year):
    march = report(db_session, year=2025, month=3).crew
    assert march.figures() == {
        **dict.fromkeys(FIGURES, 0),
        "crew_briefings": 2,
        "crew_briefing_attendances": 10,
        "crew_pretrip_checks": 1,
        "crew_alcohol_tests": 1,
        "crew_blood_pressure_tests": 1,
        "crew_zones": 1,
        "crew_zones_with_alarm": 1,
        "crew_expressway_repairs": 1,
    }
    text = report(db_session, year=2025, month=3).paragraphs_zh["safety"]
    assert text.endswith(
        "开展岗前5分钟安全培训2次、10人次；出车前检查1车次，酒精含量测试1人次（均合格）、"
        "血压测试1人次（均合格）；施工作业区安全布设1处（均设置防闯入报警设备）；"
        "高速公路养护作业1处，均有作业区布设记录。"
    )
    # June: a check failing BP and an expressway repair without a zone, nothing else.
    june = report(db_session, year=2025, month=6)
    assert june.paragraphs_zh["safety"].endswith(
        "出车前检查1车次，酒精含量测试1人次（均合格）、血压测试1人次（不合格1人次）；"
        "高速公路养护作业1处，其中1处未记录作业区布设。"
    )
    assert "培训" not in june.paragraphs_zh["safety"]
    # One road: briefings and checks are no road's; no crew figures.
    assert report(db_session, year=2025, road="G30").crew is None


def test_nothing_recorded_no_sentence_and_no_table(db_session, roads):
    built = report(db_session, year=2025)
    assert built.crew is None
    assert built.paragraphs_zh["safety"] == "全年未记录安全隐患自查，未发现安全隐患。"
    assert "crew" not in [t.key for t in annual.tables(built, "zh")]
    assert annual.as_json(built)["crew"] is None


@pytest.fixture
def manager(client, make_user):
    user = make_user("manager")
    log_in(client, user)
    return user


def test_api_page_and_exports(client, manager, crew_year):
    body = client.get("/api/v1/reports/annual?year=2025").get_json()
    crew = body["crew"]
    figures = {f["key"]: f for f in crew["figures"]}
    assert {k: f["value"] for k, f in figures.items()} == FIGURES
    assert figures["crew_pretrip_checks"] == {
        "key": "crew_pretrip_checks",
        "value": 12,
        "unit": "vehicle_check",
        "decimals": 0,
        "definition": "crew_pretrip_checks",
    }
    for figure in crew["figures"]:
        assert figure["unit"] in body["units"]
        assert figure["definition"] in body["definitions"]
    assert body["units"]["vehicle_check"] == {"zh": "车次", "en": "checks"}
    assert body["definitions"]["crew_unzoned"]["zh"].startswith("本期完工的高速公路")
    assert body["paragraphs"]["safety"] == {"zh": SAFETY_ZH, "en": SAFETY_EN}
    assert [r["stakes"] for r in crew["repairs_without_zone"]][-1] == "K8+200"
    assert len(crew["by_month"]) == 12

    page = html.unescape(client.get("/reports/annual?year=2025").get_data(as_text=True))
    assert SAFETY_EN in page and SAFETY_ZH in page
    assert "Pre-trip checks (checks)" in page  # the definitions list

    book = load_workbook(io.BytesIO(client.get("/reports/annual.xlsx?year=2025").data))
    # The crews' sheets, then the fleet's (the check's unit and driver are in the registers).
    assert book.sheetnames[5:9] == [
        "Crew safety",
        "Crew safety by month",
        "Expressway repairs, no zone",
        "Fleet and emergency",
    ]
    rows = {r[4]: r for r in book["Crew safety"].iter_rows(min_row=2, values_only=True)}
    assert {k: rows[k][2] for k in FIGURES} == FIGURES
    about = dict(r[:2] for r in book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Safety paragraph (Chinese)"] == SAFETY_ZH
    unzoned = book["Expressway repairs, no zone"]
    assert unzoned.cell(2, 6).value == "'=HYPERLINK(1)"  # shown, never run
    assert unzoned.cell(2, 6).data_type == "s"

    answer = client.get("/reports/annual.csv?year=2025&table=crew_unzoned")
    lines = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert lines[0] == ["Completed on", "Road", "Direction", "Stakes", "Kind", "Crew", "Record"]
    assert lines[1][:6] == [
        "2025-06-18",
        "S21",
        "up",
        "K3504+000–K3504+300",
        "Slope repair",
        "'=HYPERLINK(1)",
    ]
    months = client.get("/reports/annual.csv?year=2025&table=crew_months")
    lines = list(csv.reader(io.StringIO(months.data.decode("utf-8-sig"))))
    assert lines[0][:3] == [
        "Month",
        "Pre-shift safety briefings (count)",
        "Briefing attendances (attendances)",
    ]
    assert lines[3][:3] == ["2025-03", "2", "10"]
