"""The report's 机务与应急 figures over a year of registers (2025), every number worked out by hand.

20 units: 19 entered the register in 2024 and one (a generator) on 1 July 2025; two are sealed
in March, one scrapped in August, three are out of order for some weeks; annual inspections
(one kind on a 180-day interval), 5 drivers, two depots whose stock moves around a snow event.
The records are made directly with the models and fleet.status (the registers' services are
not used, so this test stands on the figures' own code only).
"""

import csv
import html
import io
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from openpyxl import load_workbook
from shapely.geometry import Point
from sqlalchemy import select, update

from inspection.fleet import status
from inspection.fleet.kinds import VehicleStatus
from inspection.fleet.models import (
    Driver,
    DriverReview,
    Vehicle,
    VehicleService,
    VehicleServiceInterval,
)
from inspection.geo import to_db
from inspection.reports import annual
from inspection.reports.annual import fleet_queries, queries
from inspection.sites.models import Department, Site
from inspection.supplies.models import SupplyItem, SupplyMovement, SupplyStock
from tests.conftest import log_in

TODAY = date(2026, 6, 15)  # the day the reports are asked for (the package's conftest: NOW)
D = date.fromisoformat

# number, kind, department, registered on, annual inspections (day, passed)
UNITS = [
    ("新A00001", "patrol_vehicle", "养护一工区", "2024-02-01", [("2025-01-20", True)]),
    ("新A00002", "patrol_vehicle", "养护一工区", "2024-04-15", [("2025-04-20", True)]),
    ("新A00003", "patrol_vehicle", "养护一工区", "2024-04-15", [("2025-04-10", True)]),
    (
        "新A00004",
        "patrol_vehicle",
        "养护一工区",
        "2024-06-01",
        [("2025-05-25", False), ("2025-06-05", True)],
    ),
    ("新A00005", "patrol_vehicle", "养护一工区", "2024-06-01", [("2025-05-30", True)]),
    ("新A00006", "patrol_vehicle", "养护一工区", "2024-09-01", []),
    ("新A00007", "patrol_vehicle", "养护一工区", "2024-09-01", [("2025-09-01", True)]),
    ("新A00008", "patrol_vehicle", "养护一工区", "2024-12-01", [("2025-11-28", True)]),
    ("新B00001", "truck", "机务科", "2024-03-01", [("2025-02-26", True)]),
    ("新B00002", "truck", "机务科", "2024-03-01", [("2025-02-26", True)]),
    ("新B00003", "truck", "机务科", "2024-03-01", [("2025-03-05", True)]),
    ("新B00004", "truck", "机务科", "2024-03-01", []),
    ("ZZ-01", "loader", "机务科", "2024-05-01", [("2025-04-28", True)]),
    ("ZZ-02", "loader", "机务科", "2024-05-01", [("2025-04-28", True)]),
    ("CX-01", "snow_plough", "机务科", "2024-10-01", [("2025-03-25", True), ("2025-09-15", True)]),
    ("CX-02", "snow_plough", "机务科", "2024-10-01", [("2025-03-25", True)]),
    ("PD-01", "grader", "机务科", "2024-07-01", [("2025-06-30", True)]),
    ("PD-02", "grader", "机务科", "2024-07-01", []),
    # A fleet number that a spreadsheet would run as a formula: the exports must not.
    ("=YL+1", "roller", "机务科", "2024-08-01", []),
    ("FD-01", "generator", None, "2025-07-01", []),
]
# number → status changes (to, day, reason); sealing adds where and who holds the key.
CHANGES = {
    "新A00002": [
        ("defective", "2025-02-20"),
        ("under_repair", "2025-03-03"),
        ("fit", "2025-03-17"),
    ],
    "新A00005": [("defective", "2025-06-20"), ("fit", "2025-07-15")],
    "CX-01": [("defective", "2025-11-25"), ("under_repair", "2025-12-01")],
    "新B00004": [("sealed", "2025-03-10")],
    "PD-02": [("sealed", "2025-03-20")],
    "=YL+1": [("scrapped", "2025-08-05")],
}

# By hand: the status of each unit at each month end of 2025 (19 units from January, the
# generator from July; the sealed trucks and grader out from March, the roller from August).
#             in service, fit
MONTH_ENDS = {
    "2025-01": (19, 19),
    "2025-02": (19, 18),  # 新A00002 defective since 20 February
    "2025-03": (17, 17),  # two sealed; 新A00002 fit again on 17 March
    "2025-04": (17, 17),
    "2025-05": (17, 17),
    "2025-06": (17, 16),  # 新A00005 defective since 20 June
    "2025-07": (18, 18),  # + the generator (registered 1 July); 新A00005 fit on 15 July
    "2025-08": (17, 17),  # the roller scrapped on 5 August
    "2025-09": (17, 17),
    "2025-10": (17, 17),
    "2025-11": (17, 16),  # CX-01 defective since 25 November
    "2025-12": (17, 16),  # CX-01 under repair since 1 December
}
# Mean of the twelve month-end ratios: (8 × 1 + 18/19 + 3 × 16/17) / 12 = 0.98091 → 98.1 %.
AVERAGE = (8 + Fraction(18, 19) + 3 * Fraction(16, 17)) / 12
# Annual inspections due in 2025 (interval 365 days, 180 for snow ploughs), by hand:
# due day = the last passed inspection (or the day registered) + the interval.
DUES = [
    ("新A00001", "2025-01-31", "2025-01-20", True),  # 2024-02-01 + 365 (2024 is a leap year)
    ("新B00001", "2025-03-01", "2025-02-26", True),
    ("新B00002", "2025-03-01", "2025-02-26", True),
    ("新B00003", "2025-03-01", "2025-03-05", False),
    ("新B00004", "2025-03-01", None, False),  # in service on its due day (sealed on 10 March)
    ("CX-01", "2025-03-30", "2025-03-25", True),  # 2024-10-01 + 180
    ("CX-02", "2025-03-30", "2025-03-25", True),
    ("新A00002", "2025-04-15", "2025-04-20", False),
    ("新A00003", "2025-04-15", "2025-04-10", True),
    ("ZZ-01", "2025-05-01", "2025-04-28", True),
    ("ZZ-02", "2025-05-01", "2025-04-28", True),
    ("新A00004", "2025-06-01", "2025-06-05", False),  # the failed one of 25 May answers nothing
    ("新A00005", "2025-06-01", "2025-05-30", True),
    ("PD-01", "2025-07-01", "2025-06-30", True),
    ("=YL+1", "2025-08-01", None, False),  # in service on 1 August, scrapped on 5 August
    ("新A00006", "2025-09-01", None, False),
    ("新A00007", "2025-09-01", "2025-09-01", True),  # on the due day is on time
    ("CX-01", "2025-09-21", "2025-09-15", True),  # 2025-03-25 + 180
    ("CX-02", "2025-09-21", None, False),
    ("新A00008", "2025-12-01", "2025-11-28", True),
]
# PD-02 (sealed on its due day 2025-07-01) and the generator (due 2026-07-01) are not due.

PARAGRAPH_ZH = (
    "全年年检应检20台次，按期完成13台次，按期率65%；封存车辆和机械2台（其中本期封存2台）；"
    "截至2025年12月31日在用机械车辆17台，完好16台，机械车辆完好率94.1%（各月末平均98.1%）。"
    "3名驾驶员通过年审，1名驾驶员年审未通过，1名驾驶员年审逾期。"
    "截至2025年12月31日储备应急物资4项（2个储备点），其中2项低于最低储备量"
    "（柴窝堡养护工区融雪剂（工业盐）、达坂城养护工区砂石料）。"
)
PARAGRAPH_EN = (
    "In 2025: 20 annual inspections due, 13 done on time, on-time rate 65%; 2 units sealed"
    " (2 of them in the period); on 31 December 2025, 17 units in service, 16 fit, fleet"
    " fitness rate 94.1% (mean of the month ends 98.1%). 3 drivers passed their annual review,"
    " 1 driver did not pass, 1 driver's review is overdue. Emergency stock on 31 December 2025:"
    " 4 lines at 2 depots, 2 below their minimum (融雪剂（工业盐） at 柴窝堡养护工区 and 砂石料"
    " at 达坂城养护工区)."
)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


@pytest.fixture
def registers(db_session, make_user):
    """The year's fleet, drivers and emergency stock, made directly."""
    keeper = make_user("machinery")
    departments = {}
    for name in ("养护一工区", "机务科"):
        departments[name] = Department(name=name, kind="other")
        db_session.add(departments[name])
    db_session.flush()
    # The branch inspects its snow ploughs every 180 days (the interval table, not the default).
    db_session.execute(
        update(VehicleServiceInterval)
        .where(
            VehicleServiceInterval.vehicle_kind == "snow_plough",
            VehicleServiceInterval.service_kind == "annual_inspection",
        )
        .values(days=180)
    )
    units = {}
    for number, kind, department, registered, inspections in UNITS:
        vehicle = Vehicle(
            kind=kind,
            number=number,
            number_key=number,
            department_id=departments[department].id if department else None,
            status="fit",
            registered_on=D(registered),
        )
        db_session.add(vehicle)
        db_session.add(status.register_event(vehicle, user_id=keeper.id))
        db_session.flush()
        units[number] = vehicle
        for day, passed in inspections:
            db_session.add(
                VehicleService(
                    vehicle_id=vehicle.id,
                    kind="annual_inspection",
                    on_date=D(day),
                    passed=passed,
                    recorded_by_id=keeper.id,
                )
            )
        # Routine maintenance counts in none of the figures.
        db_session.add(
            VehicleService(
                vehicle_id=vehicle.id,
                kind="maintenance",
                on_date=D("2025-10-10"),
                cost_yuan=Decimal("800.00"),
                recorded_by_id=keeper.id,
            )
        )
    for number, changes in CHANGES.items():
        for to_status, day in changes:
            sealing = to_status == "sealed"
            status.change_status(
                db_session,
                units[number].id,
                status.StatusChange(
                    to_status=VehicleStatus(to_status),
                    on_date=D(day),
                    reason="年度测试",
                    sealed_place="机务车间库房" if sealing else None,
                    key_holder="机务员马师傅" if sealing else None,
                ),
                user_id=keeper.id,
                today=TODAY,
            )

    reviews = {
        "王师傅": [("2024-03-10", "passed"), ("2025-03-08", "passed")],
        "李师傅": [("2024-05-01", "passed"), ("2025-04-20", "passed")],
        "张师傅": [("2024-02-01", "passed")],  # none in 2025: overdue since 2025-01-31
        "赵师傅": [("2024-06-01", "passed"), ("2025-06-10", "failed")],
        "刘师傅": [("2025-08-01", "failed"), ("2025-08-20", "passed")],
    }
    for index, (name, done) in enumerate(reviews.items()):
        driver = Driver(
            name=name,
            licence_class="B2",
            licence_number=f"65010019800101{index:04d}",
            licence_expires=D("2030-01-01"),
            created_at=at("2024-01-05"),
        )
        db_session.add(driver)
        db_session.flush()
        for day, result in done:
            db_session.add(
                DriverReview(
                    driver_id=driver.id,
                    reviewed_on=D(day),
                    result=result,
                    recorded_by_id=keeper.id,
                )
            )

    items = {i.name: i for i in db_session.scalars(select(SupplyItem))}
    snow = "2025-12-10 G30 暴雪"
    depots = {}
    for name, lon in (("柴窝堡养护工区", 87.9), ("达坂城养护工区", 88.3)):
        depots[name] = Site(name=name, kind="maintenance_depot", geom=to_db(Point(lon, 43.5)))
        db_session.add(depots[name])
    db_session.flush()
    stock_moves = [
        # depot, item, minimum, movements (kind, quantity, day, purpose)
        (
            "柴窝堡养护工区",
            "融雪剂（工业盐）",
            "20",
            [
                ("received", "30", "2025-10-15", "冬储"),
                ("issued", "18", "2025-12-10", snow),
                ("returned", "2", "2025-12-12", snow),
                ("received", "10", "2026-01-05", "补充"),  # after the period
            ],
        ),
        (
            "柴窝堡养护工区",
            "防滑链",
            "10",
            [
                ("received", "12", "2025-11-01", "冬储"),
                ("issued", "4", "2025-12-10", snow),
                ("returned", "4", "2025-12-15", snow),
            ],
        ),
        (
            "达坂城养护工区",
            "融雪剂（工业盐）",
            "15",
            [
                ("received", "25", "2024-11-20", "冬储"),  # before the period: in the stock
                ("issued", "6", "2025-12-10", snow),
                ("written_off", "1", "2025-12-20", "受潮结块"),
            ],
        ),
        ("达坂城养护工区", "砂石料", "50", [("received", "40", "2025-09-01", "冬储")]),
    ]
    for depot, item, minimum, movements in stock_moves:
        stock = SupplyStock(
            site_id=depots[depot].id,
            item_id=items[item].id,
            minimum=Decimal(minimum),
            quantity=Decimal(0),
            created_at=at("2024-11-01"),
        )
        db_session.add(stock)
        db_session.flush()
        for kind, quantity, day, purpose in movements:
            sign = 1 if kind in ("received", "returned") else -1
            stock.quantity += sign * Decimal(quantity)
            db_session.add(
                SupplyMovement(
                    client_uuid=uuid.uuid4(),
                    stock_id=stock.id,
                    kind=kind,
                    quantity=Decimal(quantity),
                    on_date=D(day),
                    purpose=purpose,
                    recorded_by_id=keeper.id,
                )
            )
    db_session.flush()
    return units


def report(db_session, **params):
    asked = annual.parse_request({k: str(v) for k, v in params.items()}, today=TODAY)
    built = queries.annual_report(db_session, asked, timezone="Asia/Shanghai")
    return fleet_queries.with_fleet(db_session, built, today=TODAY)


def test_fitness_rate_at_the_end_and_by_month(db_session, registers):
    fleet = report(db_session, year=2025).fleet
    assert fleet.as_of == date(2025, 12, 31)
    assert fleet.units_registered == 20
    end = fleet.at_end
    assert (end.in_service, end.fit, end.defective, end.under_repair) == (17, 16, 0, 1)
    assert end.rate == Decimal("94.1")  # 16 / 17 = 94.12 %
    assert {m.month: (m.fitness.in_service, m.fitness.fit) for m in fleet.months} == MONTH_ENDS
    assert [m.on for m in fleet.months][:2] == [date(2025, 1, 31), date(2025, 2, 28)]
    assert fleet.average_ratio == AVERAGE
    figures = fleet.figures()
    assert figures["fleet_fitness_rate_monthly"] == Decimal("98.1")
    assert (figures["fleet_units_sealed"], figures["fleet_sealings"]) == (2, 2)
    # By kind: the roller (scrapped) has no unit in service, so no rate.
    by_kind = {k: (f.in_service, f.fit, f.rate) for k, f in fleet.by_kind}
    assert by_kind == {
        "patrol_vehicle": (8, 8, Decimal("100.0")),
        "truck": (3, 3, Decimal("100.0")),
        "loader": (2, 2, Decimal("100.0")),
        "grader": (1, 1, Decimal("100.0")),
        "snow_plough": (2, 1, Decimal("50.0")),
        "roller": (0, 0, None),
        "generator": (1, 1, Decimal("100.0")),
    }
    assert [k for k, _ in fleet.by_kind][:3] == ["patrol_vehicle", "truck", "loader"]
    by_department = {d: (f.in_service, f.fit, f.rate) for d, f in fleet.by_department}
    assert by_department == {
        "养护一工区": (8, 8, Decimal("100.0")),
        "机务科": (8, 7, Decimal("87.5")),  # 3 trucks, 2 loaders, 1 grader, 2 snow ploughs
        None: (1, 1, Decimal("100.0")),
    }


def test_one_month_counts_from_the_registration_day(db_session, registers):
    february = report(db_session, year=2025, month=2).fleet
    assert (february.at_end.in_service, february.at_end.fit) == (19, 18)
    assert february.at_end.rate == Decimal("94.7")  # 18 / 19
    july = report(db_session, year=2025, month=7).fleet
    assert july.units_registered == 20 and july.at_end.in_service == 18
    june = report(db_session, **{"from": "2025-06-01", "to": "2025-06-25"}).fleet
    assert [(m.month, m.on) for m in june.months] == [("2025-06", date(2025, 6, 25))]
    assert june.units_registered == 19  # the generator came on 1 July
    text = report(db_session, year=2025, month=2).paragraphs("zh")["fleet"]
    assert "各月末平均" not in text  # one month: its end is the period's end


def test_annual_inspections_due_and_on_time(db_session, registers):
    fleet = report(db_session, year=2025).fleet
    got = [
        (d.number, d.due_on.isoformat(), d.done_on.isoformat() if d.done_on else None, d.on_time)
        for d in fleet.inspections_due
    ]
    assert got == DUES
    figures = fleet.figures()
    assert (figures["fleet_inspections_due"], figures["fleet_inspections_on_time"]) == (20, 13)
    assert figures["fleet_inspections_on_time_rate"] == Decimal("65.0")


def test_drivers_reviewed_and_overdue(db_session, registers):
    fleet = report(db_session, year=2025).fleet
    figures = fleet.figures()
    assert figures["drivers"] == 5
    assert (figures["drivers_reviewed"], figures["drivers_passed"]) == (4, 3)
    assert figures["drivers_review_overdue"] == 1
    assert figures["drivers_review_failed"] == 1
    assert figures["drivers_review_never"] == 0
    assert [(r.name, r.state, r.due_on, r.last_on) for r in fleet.reviews] == [
        ("张师傅", "overdue", date(2025, 1, 31), date(2024, 2, 1)),
        ("赵师傅", "failed", date(2025, 6, 10), date(2025, 6, 10)),
    ]


def test_emergency_stock_at_the_end_against_minimum(db_session, registers):
    fleet = report(db_session, year=2025).fleet
    got = [
        (s.depot, s.item, s.quantity, s.minimum, s.below_minimum, s.received, s.issued)
        for s in fleet.stock
    ]
    assert got == [
        # 30 − 18 + 2 = 14 (the 10 received on 2026-01-05 come after the period)
        ("柴窝堡养护工区", "融雪剂（工业盐）", 14, 20, True, 30, 18),
        ("柴窝堡养护工区", "防滑链", 12, 10, False, 12, 4),  # 12 − 4 + 4
        ("达坂城养护工区", "砂石料", 40, 50, True, 40, 0),
        ("达坂城养护工区", "融雪剂（工业盐）", 18, 15, False, 0, 6),  # 25 (2024) − 6 − 1
    ]
    assert fleet.figures()["stock_below_minimum"] == 2
    # Before the snow event both salt lines were full: the same stock on 30 November.
    autumn = report(db_session, **{"from": "2025-09-01", "to": "2025-11-30"}).fleet
    salt = {s.depot: s.quantity for s in autumn.stock if s.item == "融雪剂（工业盐）"}
    assert salt == {"柴窝堡养护工区": 30, "达坂城养护工区": 25}


def test_the_fleet_paragraph(db_session, registers):
    built = report(db_session, year=2025)
    assert built.paragraphs_zh["fleet"] == PARAGRAPH_ZH
    assert built.paragraphs_en["fleet"] == PARAGRAPH_EN
    assert built.paragraph_zh.endswith("\n" + PARAGRAPH_ZH)


def test_no_registers_no_paragraph_and_none_invented(db_session):
    built = report(db_session, year=2025)
    assert built.fleet is None
    assert list(built.paragraphs_zh) == ["maintenance", "safety"]
    assert [t.key for t in annual.tables(built, "zh")][-1] == "road_condition"


def test_only_supplies_says_plainly_that_no_unit_is_registered(db_session, make_user):
    keeper = make_user("machinery")
    site = Site(name="柴窝堡养护工区", kind="maintenance_depot", geom=to_db(Point(87.9, 43.5)))
    db_session.add(site)
    db_session.flush()
    item = db_session.scalar(select(SupplyItem).where(SupplyItem.name == "锥桶"))
    stock = SupplyStock(
        site_id=site.id, item_id=item.id, minimum=0, quantity=0, created_at=at("2025-01-01")
    )
    db_session.add(stock)
    db_session.flush()
    assert keeper.id
    built = report(db_session, year=2025)
    assert built.paragraphs_zh["fleet"] == (
        "全年未登记机械车辆。截至2025年12月31日储备应急物资1项（1个储备点），均不低于最低储备量。"
    )


@pytest.fixture
def manager(client, make_user):
    user = make_user("manager")
    log_in(client, user)
    return user


def test_api_page_and_exports(client, manager, registers):
    body = client.get("/api/v1/reports/annual?year=2025").get_json()
    fleet = body["fleet"]
    assert fleet["as_of"] == "2025-12-31"
    figures = {f["key"]: f for f in fleet["figures"]}
    assert figures["fleet_fitness_rate"] == {
        "key": "fleet_fitness_rate",
        "value": 94.1,
        "unit": "percent",
        "decimals": 1,
        "definition": "fleet_fitness_rate",
    }
    for figure in fleet["figures"]:
        assert figure["unit"] in body["units"]
        assert figure["definition"] in body["definitions"]
    assert body["definitions"]["fleet_fitness_rate"]["zh"].startswith("机械车辆完好率 = ")
    assert body["paragraphs"]["fleet"] == {"zh": PARAGRAPH_ZH, "en": PARAGRAPH_EN}
    assert fleet["stock"][0]["below_minimum"] is True
    assert len(fleet["inspections_due"]) == 20

    page = html.unescape(client.get("/reports/annual?year=2025").get_data(as_text=True))
    assert PARAGRAPH_EN in page  # the English interface shows both languages' paragraphs
    assert "Fleet fitness rate (period end)" in page

    book = load_workbook(io.BytesIO(client.get("/reports/annual.xlsx?year=2025").data))
    assert book.sheetnames[5:] == [
        "Fleet and emergency",
        "Fitness by kind and department",
        "Fitness at month ends",
        "Annual inspections due",
        "Driver reviews due at the end",
        "Emergency stock",
        "About",
    ]
    rows = {r[4]: r for r in book["Fleet and emergency"].iter_rows(min_row=2, values_only=True)}
    assert rows["fleet_fitness_rate"][2] == 94.1
    assert rows["fleet_units_in_service"][2] == 17
    about = dict(r[:2] for r in book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Fleet and emergency paragraph (Chinese)"] == PARAGRAPH_ZH

    answer = client.get("/reports/annual.csv?year=2025&table=fleet_due")
    lines = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert lines[0] == ["Plate or fleet number", "Kind", "Due on", "Passed on", "On time"]
    assert ["'=YL+1", "rollers", "2025-08-01", "", "no"] in lines  # never run as a formula
