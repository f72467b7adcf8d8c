"""The code lists of self-inspections (one StrEnum each, with their words)."""

from __future__ import annotations

from enum import StrEnum

from inspection.errors import N_


class InspectionKind(StrEnum):
    """How the work report names the ways of self-inspection, in its order."""

    seasonal = "seasonal"  # 季节性检查
    special = "special"  # 专项检查
    special_period = "special_period"  # 特殊时段检查 (holidays, major events, extreme weather)
    look_back = "look_back"  # "回头看"
    routine = "routine"  # 日常检查


INSPECTION_KIND_LABELS = {
    InspectionKind.seasonal: N_("Seasonal inspection"),
    InspectionKind.special: N_("Special inspection"),
    InspectionKind.special_period: N_("Special-period inspection"),
    InspectionKind.look_back: N_("Look-back inspection"),
    InspectionKind.routine: N_("Routine inspection"),
}


class ItemResult(StrEnum):
    meets = "meets"  # 符合
    does_not_meet = "does_not_meet"  # 不符合
    not_applicable = "not_applicable"  # 不适用


ITEM_RESULT_LABELS = {
    ItemResult.meets: N_("Meets"),
    ItemResult.does_not_meet: N_("Does not meet"),
    ItemResult.not_applicable: N_("Not applicable"),
}


class ChecklistSection(StrEnum):
    """The topics a checklist groups its items under."""

    fire_safety = "fire_safety"  # 消防安全
    electricity = "electricity"  # 用电安全
    special_equipment = "special_equipment"  # 特种设备
    vehicles_machinery = "vehicles_machinery"  # 车辆机械
    work_zone = "work_zone"  # 施工作业区
    office_living = "office_living"  # 办公生活区
    road_facilities = "road_facilities"  # 道路设施
    other = "other"


CHECKLIST_SECTION_LABELS = {
    ChecklistSection.fire_safety: N_("Fire safety"),
    ChecklistSection.electricity: N_("Electricity"),
    ChecklistSection.special_equipment: N_("Special equipment"),
    ChecklistSection.vehicles_machinery: N_("Vehicles and machinery"),
    ChecklistSection.work_zone: N_("Work zones"),
    ChecklistSection.office_living: N_("Office and living areas"),
    ChecklistSection.road_facilities: N_("Road facilities"),
    ChecklistSection.other: N_("Other"),
}


class RecheckOutcome(StrEnum):
    """What a 回头看 finds of a closed hazard."""

    holds = "holds"  # 整改到位，未反弹
    relapsed = "relapsed"  # 反弹: the hazard is reopened


RECHECK_OUTCOME_LABELS = {
    RecheckOutcome.holds: N_("Rectification holds"),
    RecheckOutcome.relapsed: N_("Relapsed (reopen)"),
}

THEME_LENGTH = 256
ITEM_NAME_LENGTH = 256
PERSON_NAME_LENGTH = 64
TEMPLATE_NAME_LENGTH = 128
# An item that does not meet links to an open hazard this close on the same road (metres).
SAME_PLACE_M = 50.0
