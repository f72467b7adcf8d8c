"""Crew safety code lists: pre-trip checklist items, work-zone parts and devices, defaults."""

from __future__ import annotations

from enum import StrEnum

from inspection.errors import N_


class VehicleCheckItem(StrEnum):
    brakes = "brakes"  # 制动
    lights = "lights"  # 灯光
    tyres = "tyres"  # 轮胎
    steering = "steering"  # 转向
    warning_lights = "warning_lights"  # 警示灯/爆闪灯
    cones_signs = "cones_signs"  # 随车锥桶、标志
    fire_extinguisher = "fire_extinguisher"  # 灭火器
    first_aid = "first_aid"  # 急救包


VEHICLE_CHECK_ITEM_LABELS = {
    VehicleCheckItem.brakes: N_("Brakes"),
    VehicleCheckItem.lights: N_("Lights"),
    VehicleCheckItem.tyres: N_("Tyres"),
    VehicleCheckItem.steering: N_("Steering"),
    VehicleCheckItem.warning_lights: N_("Warning lights"),
    VehicleCheckItem.cones_signs: N_("Cones and signs on board"),
    VehicleCheckItem.fire_extinguisher: N_("Fire extinguisher"),
    VehicleCheckItem.first_aid: N_("First-aid kit"),
}


class AlcoholResult(StrEnum):
    passed = "passed"
    drink = "drink"  # 饮酒驾车: at or above the drink threshold
    drunk = "drunk"  # 醉酒驾车: at or above the drunk threshold


ALCOHOL_RESULT_LABELS = {
    AlcoholResult.passed: N_("Passed"),
    AlcoholResult.drink: N_("Drink-driving level"),
    AlcoholResult.drunk: N_("Drunk-driving level"),
}


class ZonePart(StrEnum):
    """The parts of a work zone in driving order (JTG H30-2015 §4)."""

    warning = "warning"  # 警告区
    upstream_transition = "upstream_transition"  # 上游过渡区
    buffer = "buffer"  # 缓冲区
    work_area = "work_area"  # 工作区
    downstream_transition = "downstream_transition"  # 下游过渡区
    termination = "termination"  # 终止区


ZONE_PART_LABELS = {
    ZonePart.warning: N_("Warning area"),
    ZonePart.upstream_transition: N_("Upstream transition"),
    ZonePart.buffer: N_("Buffer area"),
    ZonePart.work_area: N_("Work area"),
    ZonePart.downstream_transition: N_("Downstream transition"),
    ZonePart.termination: N_("Termination area"),
}


class ZoneDevice(StrEnum):
    sign = "sign"  # 标志牌
    cone = "cone"  # 锥桶
    alarm_cone = "alarm_cone"  # 声光报警锥桶
    intrusion_radar = "intrusion_radar"  # 车载雷达防闯入设备
    attenuator = "attenuator"  # 防撞缓冲车
    flagger = "flagger"  # 安全员/旗手


ZONE_DEVICE_LABELS = {
    ZoneDevice.sign: N_("Signs"),
    ZoneDevice.cone: N_("Cones"),
    ZoneDevice.alarm_cone: N_("Sound-and-light alarm cones"),
    ZoneDevice.intrusion_radar: N_("Vehicle-mounted intrusion radar"),
    ZoneDevice.attenuator: N_("Truck-mounted attenuator"),
    ZoneDevice.flagger: N_("Flagger"),
}
# Devices whose count is the number on site; the others are present or not (count 1).
COUNTED_DEVICES = frozenset({ZoneDevice.sign, ZoneDevice.cone, ZoneDevice.alarm_cone})
# A zone "with intrusion alarm" in the report has one of these.
INTRUSION_ALARMS = frozenset({ZoneDevice.alarm_cone, ZoneDevice.intrusion_radar})

# The topics a branch starts with; it edits the list.
DEFAULT_TOPICS = (
    "作业区安全布设",
    "上路作业人员安全防护",
    "机械设备安全操作",
    "冬季除雪防滑安全",
    "夏季防暑降温",
    "交通安全与文明驾驶",
)

# Default settings (table crew_safety_settings, one row; the branch edits them).
DEFAULT_ALCOHOL_DRINK_MG = 20  # mg/100 ml: 饮酒驾车 (GB 19522-2010)
DEFAULT_ALCOHOL_DRUNK_MG = 80  # mg/100 ml: 醉酒驾车
DEFAULT_SYSTOLIC_MAX = 160  # mmHg: at or above → unfit
DEFAULT_DIASTOLIC_MAX = 100
DEFAULT_RETENTION_DAYS = 365  # health readings erased after this, pass/fail kept

# Minimum part lengths (m) by the speed limit at the zone (km/h). The defaults follow the
# tables of JTG H30-2015 as the branch applies them; the branch checks and edits them
# (table work_zone_minimums). A part shorter than its minimum is flagged, never refused.
DEFAULT_MINIMUMS_M: dict[int, dict[ZonePart, int]] = {
    120: {
        ZonePart.warning: 1600,
        ZonePart.upstream_transition: 190,
        ZonePart.buffer: 120,
        ZonePart.downstream_transition: 30,
        ZonePart.termination: 30,
    },
    100: {
        ZonePart.warning: 1500,
        ZonePart.upstream_transition: 160,
        ZonePart.buffer: 100,
        ZonePart.downstream_transition: 30,
        ZonePart.termination: 30,
    },
    80: {
        ZonePart.warning: 1200,
        ZonePart.upstream_transition: 130,
        ZonePart.buffer: 80,
        ZonePart.downstream_transition: 30,
        ZonePart.termination: 30,
    },
    60: {
        ZonePart.warning: 800,
        ZonePart.upstream_transition: 70,
        ZonePart.buffer: 50,
        ZonePart.downstream_transition: 20,
        ZonePart.termination: 20,
    },
    40: {
        ZonePart.warning: 200,
        ZonePart.upstream_transition: 40,
        ZonePart.buffer: 30,
        ZonePart.downstream_transition: 10,
        ZonePart.termination: 10,
    },
}

NAME_LENGTH = 128
TEXT_LENGTH = 500
