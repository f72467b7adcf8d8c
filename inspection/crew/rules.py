"""Pure rules of crew safety: judging a pre-trip check, the readings' plausible ranges.

No database here: the service reads the settings row and passes it in, so the rules are tested
as plain functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from inspection.crew.kinds import AlcoholResult, VehicleCheckItem
from inspection.errors import N_

# Plausible readings: outside these the instrument or the typing is wrong, and the check is
# refused (422) rather than judged. A living adult's blood pressure is not 0/0 or 400/300.
SYSTOLIC_RANGE = (50, 300)
DIASTOLIC_RANGE = (30, 200)
ALCOHOL_MAX_MG = Decimal(500)


@dataclass(frozen=True)
class Thresholds:
    alcohol_drink_mg: Decimal
    alcohol_drunk_mg: Decimal
    systolic_max: int
    diastolic_max: int


@dataclass(frozen=True)
class Judgement:
    vehicle_passed: bool
    faults: tuple[str, ...]  # the checklist items found at fault
    alcohol: AlcoholResult
    blood_pressure_passed: bool

    @property
    def alcohol_passed(self) -> bool:
        return self.alcohol == AlcoholResult.passed

    @property
    def passed(self) -> bool:
        return self.vehicle_passed and self.alcohol_passed and self.blood_pressure_passed


def reading_errors(alcohol_mg: Decimal, systolic: int, diastolic: int) -> dict[str, str]:
    """Return field → message for readings no instrument gives a working driver."""
    fields = {}
    if alcohol_mg < 0:
        fields["alcohol_mg"] = N_("A breath-alcohol reading cannot be below zero.")
    elif alcohol_mg > ALCOHOL_MAX_MG:
        fields["alcohol_mg"] = N_("Not a plausible breath-alcohol reading (mg/100 ml).")
    if not SYSTOLIC_RANGE[0] <= systolic <= SYSTOLIC_RANGE[1]:
        fields["systolic"] = N_("Not a plausible systolic pressure (mmHg).")
    if not DIASTOLIC_RANGE[0] <= diastolic <= DIASTOLIC_RANGE[1]:
        fields["diastolic"] = N_("Not a plausible diastolic pressure (mmHg).")
    elif "systolic" not in fields and diastolic >= systolic:
        fields["diastolic"] = N_("The diastolic pressure must be below the systolic.")
    return fields


def checklist_errors(items: dict[str, bool]) -> dict[str, str]:
    """Every checklist item answered, and nothing else."""
    fields = {}
    known = {item.value for item in VehicleCheckItem}
    for name in items:
        if name not in known:
            fields[f"vehicle_items.{name}"] = N_("Not an item of the pre-trip checklist.")
    for item in VehicleCheckItem:
        if item.value not in items:
            fields[f"vehicle_items.{item.value}"] = N_("Answer every item of the checklist.")
    return fields


def judge(
    items: dict[str, bool], alcohol_mg: Decimal, systolic: int, diastolic: int, t: Thresholds
) -> Judgement:
    """Judge a pre-trip check by the thresholds (readings already checked as plausible)."""
    faults = tuple(item.value for item in VehicleCheckItem if not items.get(item.value, False))
    if alcohol_mg >= t.alcohol_drunk_mg:
        alcohol = AlcoholResult.drunk
    elif alcohol_mg >= t.alcohol_drink_mg:
        alcohol = AlcoholResult.drink
    else:
        alcohol = AlcoholResult.passed
    # Unfit when either pressure reaches its threshold (e.g. ≥ 160 systolic or ≥ 100 diastolic).
    pressure_ok = systolic < t.systolic_max and diastolic < t.diastolic_max
    return Judgement(
        vehicle_passed=not faults,
        faults=faults,
        alcohol=alcohol,
        blood_pressure_passed=pressure_ok,
    )
