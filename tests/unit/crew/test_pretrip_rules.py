"""The pure rules of the pre-trip check (inspection/crew/rules.py): boundaries and refusals."""

from decimal import Decimal

import pytest

from inspection.crew.kinds import AlcoholResult, VehicleCheckItem
from inspection.crew.rules import Thresholds, checklist_errors, judge, reading_errors

T = Thresholds(Decimal(20), Decimal(80), 160, 100)
ALL_FINE = {item.value: True for item in VehicleCheckItem}


@pytest.mark.parametrize(
    ("mg", "result"),
    [
        ("0", AlcoholResult.passed),
        ("19.9", AlcoholResult.passed),
        ("20", AlcoholResult.drink),
        ("20.0", AlcoholResult.drink),
        ("79.9", AlcoholResult.drink),
        ("80", AlcoholResult.drunk),
        ("250", AlcoholResult.drunk),
    ],
)
def test_alcohol_thresholds(mg, result):
    verdict = judge(ALL_FINE, Decimal(mg), 120, 80, T)
    assert verdict.alcohol == result
    assert verdict.alcohol_passed is (result == AlcoholResult.passed)
    assert verdict.passed is (result == AlcoholResult.passed)


@pytest.mark.parametrize(
    ("systolic", "diastolic", "fit"),
    [(159, 99, True), (160, 99, False), (159, 100, False), (160, 100, False), (120, 80, True)],
)
def test_blood_pressure_threshold(systolic, diastolic, fit):
    verdict = judge(ALL_FINE, Decimal(0), systolic, diastolic, T)
    assert verdict.blood_pressure_passed is fit
    assert verdict.passed is fit


def test_a_fault_fails_the_vehicle_only():
    verdict = judge({**ALL_FINE, "brakes": False, "first_aid": False}, Decimal(0), 120, 80, T)
    assert verdict.vehicle_passed is False and verdict.faults == ("brakes", "first_aid")
    assert verdict.alcohol_passed and verdict.blood_pressure_passed
    assert verdict.passed is False


@pytest.mark.parametrize(
    ("mg", "systolic", "diastolic", "fields"),
    [
        ("0", 0, 0, {"systolic", "diastolic"}),
        ("0", 400, 300, {"systolic", "diastolic"}),
        ("-1", 120, 80, {"alcohol_mg"}),
        ("-0.1", 120, 80, {"alcohol_mg"}),
        ("500.1", 120, 80, {"alcohol_mg"}),
        ("0", 120, 120, {"diastolic"}),
        ("0", 50, 30, set()),
        ("0", 300, 200, set()),
        ("500", 120, 80, set()),
    ],
)
def test_implausible_readings_are_refused(mg, systolic, diastolic, fields):
    assert set(reading_errors(Decimal(mg), systolic, diastolic)) == fields


def test_every_item_answered_and_nothing_else():
    assert checklist_errors(ALL_FINE) == {}
    missing = dict(ALL_FINE)
    del missing["tyres"]
    assert set(checklist_errors(missing)) == {"vehicle_items.tyres"}
    assert set(checklist_errors({**ALL_FINE, "wipers": True})) == {"vehicle_items.wipers"}
