"""The repair rules: kinds, plausible areas for a stake range or a single stake, dates, settings."""

from __future__ import annotations

from datetime import date

import pytest

from inspection.errors import ValidationError
from inspection.repairs import rules
from inspection.repairs.rules import (
    REPAIR_KINDS,
    check_completed_on,
    check_quantities,
    check_single_stake,
    limits_from,
)

DEFAULTS = limits_from()


def message(error: pytest.ExceptionInfo) -> str:
    return str(error.value)


def test_the_three_kinds_with_their_words_and_default_widths():
    assert {code: (k.zh, k.en, k.max_width_m) for code, k in REPAIR_KINDS.items()} == {
        "shoulder": ("整修路肩", "Shoulder repair", 3.0),
        "slope": ("整修边坡", "Slope repair", 60.0),
        "pothole": ("处治坑槽", "Pothole treatment", 15.0),
    }
    assert REPAIR_KINDS["pothole"].label("zh_CN") == "处治坑槽"
    assert REPAIR_KINDS["pothole"].label("en") == "Pothole treatment"
    assert all(k.area_required for k in REPAIR_KINDS.values())


@pytest.mark.parametrize(
    ("kind", "length", "area"),
    [("shoulder", 300.0, 900.0), ("slope", 100.0, 6000.0), ("pothole", 20.0, 300.0)],
)
def test_an_area_up_to_length_times_width_is_plausible(kind, length, area):
    check_quantities(kind, area_m2=area, count=3, length_m=length, limits=DEFAULTS)


def test_a_shoulder_area_beyond_length_times_width_names_the_numbers():
    with pytest.raises(ValidationError) as error:
        check_quantities(
            "shoulder",
            area_m2=1200,
            count=None,
            length_m=300.0,
            limits=DEFAULTS,
            range_text="K3504+000–K3504+300",
        )
    assert message(error) == (
        "An area of 1200.0 m² is too large for the stake range K3504+000–K3504+300: "
        "300.0 m long × 3.0 m maximum width = 900.0 m² at most."
    )
    assert set(error.value.fields) == {"area_m2"}
    assert error.value.params["limit"] == pytest.approx(900.0)


def test_rounding_of_a_typed_area_does_not_refuse_an_exact_fit():
    check_quantities("shoulder", area_m2=900.04, count=None, length_m=300.0, limits=DEFAULTS)
    with pytest.raises(ValidationError):
        check_quantities("shoulder", area_m2=900.1, count=None, length_m=300.0, limits=DEFAULTS)


def test_the_branch_overrides_a_width():
    narrow = limits_from({"shoulder": 2.5})
    assert narrow.width("shoulder") == 2.5
    assert narrow.width("slope") == 60.0
    with pytest.raises(ValidationError) as error:
        check_quantities("shoulder", area_m2=800, count=None, length_m=300.0, limits=narrow)
    assert "300.0 m long × 2.5 m maximum width = 750.0 m²" in message(error)


@pytest.mark.parametrize(
    "setting",
    [{"bridge": 3.0}, {"shoulder": 0}, {"shoulder": -1.0}, {"shoulder": "3"}, {"slope": 10_000}],
)
def test_a_wrong_setting_is_a_configuration_error(setting):
    with pytest.raises(ValueError, match="REPAIR_MAX_WIDTH_M"):
        limits_from(setting)


def test_site_area_setting_only_for_kinds_at_a_single_stake():
    assert limits_from(None, {"pothole": 20}).site_area("pothole") == 20.0
    with pytest.raises(ValueError, match="never at a single stake"):
        limits_from(None, {"shoulder": 20})


@pytest.mark.parametrize("area", [None, 0, -3.0])
def test_the_area_is_required_and_positive(area):
    with pytest.raises(ValidationError) as error:
        check_quantities("slope", area_m2=area, count=None, length_m=100.0, limits=DEFAULTS)
    assert set(error.value.fields) == {"area_m2"}


def test_a_pothole_treatment_needs_the_number_of_potholes():
    with pytest.raises(ValidationError) as error:
        check_quantities("pothole", area_m2=2.0, count=None, length_m=None, limits=DEFAULTS)
    assert set(error.value.fields) == {"count"}
    with pytest.raises(ValidationError):
        check_quantities("pothole", area_m2=2.0, count=0, length_m=None, limits=DEFAULTS)


# --- single stake --------------------------------------------------------------------------


def test_only_a_pothole_treatment_may_have_a_single_stake():
    check_single_stake("pothole", has_end_stake=False)
    for kind in ("shoulder", "slope", "pothole"):
        check_single_stake(kind, has_end_stake=True)
    for kind in ("shoulder", "slope"):
        with pytest.raises(ValidationError) as error:
            check_single_stake(kind, has_end_stake=False)
        assert set(error.value.fields) == {"end_stake"}
        with pytest.raises(ValidationError):
            check_quantities(kind, area_m2=5.0, count=None, length_m=None, limits=DEFAULTS)


def test_a_single_stake_caps_the_area_per_pothole():
    check_quantities("pothole", area_m2=150.0, count=3, length_m=None, limits=DEFAULTS)
    with pytest.raises(ValidationError) as error:
        check_quantities("pothole", area_m2=160.0, count=3, length_m=None, limits=DEFAULTS)
    assert message(error) == (
        "An area of 160.0 m² is too large for a single stake: 3 sites × 50.0 m² per site = "
        "150.0 m² at most; give the stake range instead."
    )


def test_an_unknown_kind_names_the_field():
    with pytest.raises(ValidationError) as error:
        rules.repair_kind("bridge")
    assert set(error.value.fields) == {"kind"}


# --- completion date -----------------------------------------------------------------------


def test_the_completion_date_may_be_today_but_not_later():
    today = date(2026, 5, 1)
    check_completed_on(today, today)
    check_completed_on(date(2025, 12, 31), today)
    with pytest.raises(ValidationError) as error:
        check_completed_on(date(2026, 5, 2), today)
    assert message(error) == "The completion date 2026-05-02 is after today, 2026-05-01."
    assert set(error.value.fields) == {"completed_on"}


def test_material_units_have_both_words():
    assert rules.MATERIAL_UNITS["t"].label("zh_CN") == "吨"
    assert rules.MATERIAL_UNITS["m3"].label("en") == "m³"
