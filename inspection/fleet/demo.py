"""Demo data of the fleet registers: one function per register (vehicles, drivers).

Dates are counted back from `today`, so the due board always has something overdue, something
due soon, a defective and an under-repair unit, a sealed one (封存台账) and a scrapped one.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.fleet import drivers, service_events, vehicles
from inspection.fleet.driver_schemas import DriverInput, ReviewInput
from inspection.fleet.kinds import VehicleStatus, number_key
from inspection.fleet.models import Driver, Vehicle
from inspection.fleet.service_events import ServiceInput
from inspection.fleet.status import StatusChange
from inspection.fleet.vehicles import VehicleInput
from inspection.patrols.models import Patrol
from inspection.sites.models import Department

# number, kind, make and model, year, department, use, days in the register
DEMO_VEHICLES = (
    ("新A·H1234", "patrol_vehicle", "江铃 宝典", 2021, "乌鲁木齐养护工区", "production", 700),
    ("新A·H5678", "patrol_vehicle", "长城 风骏5", 2019, "乌鲁木齐养护工区", "production", 900),
    ("新A·Q3021", "snow_plough", "东风 多功能除雪车", 2018, "机务科", "production", 1000),
    ("ZL-03", "loader", "柳工 ZL50CN", 2016, "机务科", "production", 1500),
    ("新A·J0077", "truck", "解放 J6 自卸车", 2015, "机务科", "production", 1600),
    ("YL-01", "roller", "徐工 XS263", 2020, "机务科", "production", 800),
    ("新A·B2288", "other", "五菱 荣光 通勤车", 2013, "后勤科", "non_production", 2000),
    ("FD-02", "generator", "康明斯 50kW", 2012, "机务科", "production", 2500),
)

# number → (kind, days ago, cost, parts, passed, note)
DEMO_SERVICES = {
    "新A·H1234": [
        ("maintenance", 50, "380.00", "机油、机滤", None, "二级保养"),
        ("annual_inspection", 300, "260.00", "", True, ""),
        ("insurance", 330, "4200.00", "", None, "交强险+商业险"),
    ],
    "新A·H5678": [
        ("maintenance", 75, "420.00", "机油、空滤", None, ""),
        ("annual_inspection", 380, "260.00", "", True, ""),
        ("insurance", 350, "3900.00", "", None, ""),
    ],
    "新A·Q3021": [
        ("maintenance", 150, "1650.00", "液压油、刮板胶条", None, "入冬前检修"),
        ("annual_inspection", 200, "300.00", "", True, ""),
    ],
    "ZL-03": [("maintenance", 70, "900.00", "黄油、斗齿", None, "")],
    "新A·J0077": [("repair", 10, "4860.00", "离合器片、压盘", None, "送修 乌鲁木齐汽修厂")],
    "YL-01": [
        ("annual_inspection", 20, "300.00", "", False, "制动不合格"),
        ("repair", 15, "1200.00", "制动分泵", None, ""),
        ("annual_inspection", 10, "150.00", "", True, "复检合格"),
    ],
}

# number → (status, days ago, reason, sealed place, key holder), in order
DEMO_STATUS_CHANGES = {
    "ZL-03": [("defective", 5, "液压油管渗漏", None, None)],
    "新A·J0077": [
        ("defective", 14, "离合器打滑", None, None),
        ("under_repair", 12, "送修", None, None),
    ],
    "新A·B2288": [
        ("sealed", 60, "非生产车辆压减，封存停用", "分局机修车间 2号库", "机务科 刘建华"),
    ],
    "FD-02": [
        ("sealed", 400, "备用电源更新，旧机封存", "分局机修车间 1号库", "机务科 刘建华"),
        ("scrapped", 30, "超过使用年限，经鉴定报废", None, None),
    ],
}


def _recorder(session: Session) -> User:
    """The machinery officer of the demo (or any manager) records the demo's events."""
    for username in ("machinery1", "manager1"):
        user = session.scalar(select(User).where(User.username == username))
        if user is not None:
            return user
    return session.scalar(select(User).order_by(User.id))


def load_vehicles(session: Session, today: date) -> list[Vehicle]:
    """Enter the demo vehicles and machines with their events; skip numbers already entered."""
    user = _recorder(session)
    departments = {d.name: d.id for d in session.scalars(select(Department))}
    made = []
    for number, kind, make_model, year, department, use, days in DEMO_VEHICLES:
        if session.scalar(select(Vehicle.id).where(Vehicle.number_key == number_key(number))):
            continue
        unit = vehicles.create_vehicle(
            session,
            VehicleInput(
                kind=kind,
                number=number,
                make_model=make_model,
                year=year,
                department_id=departments.get(department),
                use=use,
                registered_on=today - timedelta(days=days),
            ),
            user_id=user.id,
            today=today,
        )
        for service, ago, cost, parts, passed, note in DEMO_SERVICES.get(number, ()):
            service_events.record_service(
                session,
                unit.id,
                ServiceInput(
                    service, today - timedelta(days=ago), Decimal(cost), parts, passed, note
                ),
                user_id=user.id,
                today=today,
            )
        for status, ago, reason, place, holder in DEMO_STATUS_CHANGES.get(number, ()):
            change = StatusChange(
                VehicleStatus(status), today - timedelta(days=ago), reason, place, holder
            )
            vehicles.change_status(session, unit.id, change, user_id=user.id, today=today)
        made.append(unit)
    _link_patrols(session)
    return made


def _link_patrols(session: Session) -> None:
    """Name the register's unit on the demo patrols whose free-text vehicle is its plate."""
    units = {v.number_key: v.id for v in session.scalars(select(Vehicle))}
    for patrol in session.scalars(select(Patrol).where(Patrol.vehicle_id.is_(None))):
        unit_id = units.get(number_key(patrol.vehicle or ""))
        if unit_id is not None:
            patrol.vehicle_id = unit_id
    session.flush()


# --------------------------------------------------------------------------- drivers

# username (None: a driver without an account), name, licence class, licence number,
# days to the licence's expiry, reviews (days ago, result, note). Counted back from `today`:
# one review overdue, one due soon, one not passed, one licence expiring within 30 days.
DEMO_DRIVERS = (
    ("crew1", "王建国", "C1", "650102198203150011", 2100, ((200, "passed", ""),)),
    ("crew2", "阿不都热合曼", "B2", "650104198807220035", 1500, ((400, "passed", ""),)),
    ("machinery1", "刘建华", "A2", "650103197601080018", 20, ((100, "passed", ""),)),
    (None, "马占山", "B2", "650106197911300057", 900, ((340, "passed", "装载机、自卸车"),)),
    (
        None,
        "赵永福",
        "A2",
        "",
        1200,
        ((375, "passed", ""), (10, "failed", "视力复检未通过，暂停驾驶")),
    ),
)


def load_drivers(session: Session, today: date) -> list:
    """Register the demo drivers with their reviews; skip names already registered."""
    recorder = _recorder(session)
    departments = {d.name: d.id for d in session.scalars(select(Department))}
    made = []
    for username, name, licence_class, number, expires_in, reviews in DEMO_DRIVERS:
        if session.scalar(select(Driver.id).where(Driver.name == name)) is not None:
            continue
        user = session.scalar(select(User).where(User.username == username)) if username else None
        driver = drivers.create_driver(
            session,
            DriverInput(
                user_id=user.id if user else None,
                name=name,
                licence_class=licence_class,
                licence_number=number,
                licence_expires=today + timedelta(days=expires_in),
                department_id=departments.get("机务科" if user is None else "乌鲁木齐养护工区"),
            ),
        )
        for ago, result, note in reviews:
            drivers.add_review(
                session,
                driver,
                ReviewInput(today - timedelta(days=ago), result, note),
                actor=recorder,
                today=today,
            )
        made.append(driver)
    _link_patrol_drivers(session)
    return made


def _link_patrol_drivers(session: Session) -> None:
    """Name the driver on the demo patrols a registered driver started (and drove)."""
    by_user = {
        d.user_id: d.id for d in session.scalars(select(Driver).where(Driver.user_id.is_not(None)))
    }
    for patrol in session.scalars(select(Patrol).where(Patrol.driver_id.is_(None))):
        patrol.driver_id = by_user.get(patrol.created_by_id)
    session.flush()
