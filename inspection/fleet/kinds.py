"""The fleet's code lists: unit kinds, uses, statuses and their changes, service events."""

from __future__ import annotations

from enum import StrEnum

from inspection.errors import N_, register_code_words


class VehicleKind(StrEnum):
    patrol_vehicle = "patrol_vehicle"  # 巡查车
    truck = "truck"  # 货车/工程车
    loader = "loader"  # 装载机
    grader = "grader"  # 平地机
    snow_plough = "snow_plough"  # 除雪车
    roller = "roller"  # 压路机
    sweeper = "sweeper"  # 清扫车
    generator = "generator"  # 发电机
    other = "other"


VEHICLE_KIND_LABELS = {
    VehicleKind.patrol_vehicle: N_("Patrol vehicle"),
    VehicleKind.truck: N_("Truck"),
    VehicleKind.loader: N_("Loader"),
    VehicleKind.grader: N_("Grader"),
    VehicleKind.snow_plough: N_("Snow plough"),
    VehicleKind.roller: N_("Roller"),
    VehicleKind.sweeper: N_("Sweeper"),
    VehicleKind.generator: N_("Generator"),
    VehicleKind.other: N_("Other machine"),
}


class VehicleUse(StrEnum):
    production = "production"  # 生产用
    non_production = "non_production"  # 非生产用


VEHICLE_USE_LABELS = {
    VehicleUse.production: N_("Production"),
    VehicleUse.non_production: N_("Non-production"),
}


class VehicleStatus(StrEnum):
    fit = "fit"  # 完好
    defective = "defective"  # 待修
    under_repair = "under_repair"  # 维修中
    sealed = "sealed"  # 封存
    scrapped = "scrapped"  # 报废


VEHICLE_STATUS_LABELS = {
    VehicleStatus.fit: N_("Fit (in service)"),
    VehicleStatus.defective: N_("Defective (awaiting repair)"),
    VehicleStatus.under_repair: N_("Under repair"),
    VehicleStatus.sealed: N_("Sealed"),
    VehicleStatus.scrapped: N_("Scrapped"),
}

# Units counted in 机械车辆完好率's denominator: in service, whether fit or not.
IN_SERVICE = frozenset({VehicleStatus.fit, VehicleStatus.defective, VehicleStatus.under_repair})

# status → the statuses it may change to. Scrapping is final; a sealed unit comes back only as
# fit (it is checked before it is unsealed) or is scrapped.
STATUS_CHANGES: dict[VehicleStatus, frozenset[VehicleStatus]] = {
    VehicleStatus.fit: frozenset(
        {
            VehicleStatus.defective,
            VehicleStatus.under_repair,
            VehicleStatus.sealed,
            VehicleStatus.scrapped,
        }
    ),
    VehicleStatus.defective: frozenset(
        {
            VehicleStatus.fit,
            VehicleStatus.under_repair,
            VehicleStatus.sealed,
            VehicleStatus.scrapped,
        }
    ),
    VehicleStatus.under_repair: frozenset(
        {VehicleStatus.fit, VehicleStatus.defective, VehicleStatus.scrapped}
    ),
    VehicleStatus.sealed: frozenset({VehicleStatus.fit, VehicleStatus.scrapped}),
    VehicleStatus.scrapped: frozenset(),
}


class ServiceKind(StrEnum):
    maintenance = "maintenance"  # 维修保养（例行）
    repair = "repair"  # 修理
    annual_inspection = "annual_inspection"  # 年检
    insurance = "insurance"  # 保险


SERVICE_KIND_LABELS = {
    ServiceKind.maintenance: N_("Routine maintenance"),
    ServiceKind.repair: N_("Repair (vehicle)"),
    ServiceKind.annual_inspection: N_("Annual inspection"),
    ServiceKind.insurance: N_("Insurance"),
}

# The service kinds that fall due again after an interval (a repair does not).
RECURRING = (ServiceKind.maintenance, ServiceKind.annual_inspection, ServiceKind.insurance)

# Default days between two events of a kind, per unit kind; the branch edits them
# (table vehicle_service_intervals, filled from this by migration 0015).
DEFAULT_INTERVAL_DAYS: dict[ServiceKind, int] = {
    ServiceKind.maintenance: 90,
    ServiceKind.annual_inspection: 365,
    ServiceKind.insurance: 365,
}
DEFAULT_INTERVAL_OVERRIDES: dict[tuple[VehicleKind, ServiceKind], int] = {
    # Patrol vehicles run every day: serviced every two months.
    (VehicleKind.patrol_vehicle, ServiceKind.maintenance): 60,
    # Generators and snow ploughs are checked before and after each winter.
    (VehicleKind.generator, ServiceKind.maintenance): 180,
    (VehicleKind.snow_plough, ServiceKind.maintenance): 180,
}


def default_interval_days(kind: VehicleKind, service: ServiceKind) -> int:
    """Return the default days between two `service` events of a unit of `kind`."""
    return DEFAULT_INTERVAL_OVERRIDES.get((kind, service), DEFAULT_INTERVAL_DAYS[service])


class DriverReviewResult(StrEnum):
    passed = "passed"  # 通过
    failed = "failed"  # 未通过


DRIVER_REVIEW_RESULT_LABELS = {
    DriverReviewResult.passed: N_("Passed"),
    DriverReviewResult.failed: N_("Not passed"),
}

# Licence classes of the PRC driving licence (准驾车型).
LICENCE_CLASSES = (
    "A1",
    "A2",
    "A3",
    "B1",
    "B2",
    "C1",
    "C2",
    "C3",
    "C4",
    "C5",
    "D",
    "E",
    "F",
    "M",
    "N",
    "P",
)

PLATE_LENGTH = 32
NAME_LENGTH = 128

# Messages about a status change name the statuses in words.
register_code_words(VEHICLE_STATUS_LABELS)

# A Chinese plate: the province's character, the city's letter, five or six letters and digits
# (six for new-energy vehicles), optionally one of 挂/学/警/领 at the end.
PLATE_PATTERN = r"^[\u4e00-\u9fff][A-Z][A-Z0-9]{5,6}[\u4e00-\u9fff]?$"
_SEPARATORS = str.maketrans("", "", " \t-·.．•_")


def number_key(number: str) -> str:
    """Return the key two plates or fleet numbers are the same by: upper case, no separators."""
    return number.translate(_SEPARATORS).upper()
