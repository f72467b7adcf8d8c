"""Tests for the pure pavement and subgrade condition computations (DESIGN §3, 3a, 3b)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspection.errors import ValidationError
from inspection.surveys.pavement_index import (
    DISTRESS_TABLE,
    INDEX_NAMES,
    SUBGRADE_TABLE,
    VISUAL_SURVEY_NOT_MEASURED,
    DistressRecord,
    Grade,
    Pavement,
    Severity,
    SubgradeItem,
    Unit,
    UnitResult,
    damaged_area,
    distress_type,
    dr,
    grade,
    mqi,
    pci,
    road_summary,
    sci,
    subgrade_item_type,
)

# Written from DESIGN §3a by hand, independent of the module's table:
# (pavement, code) → ({severity: weight}, recorded unit, influence width in m or None).
# None as a severity key marks an item the standard weights with one value.
EXPECTED_DISTRESS = {
    ("asphalt", "alligator_cracking"): ({"light": 0.6, "medium": 0.8, "heavy": 1.0}, "m2", None),
    ("asphalt", "block_cracking"): ({"light": 0.6, "heavy": 0.8}, "m2", None),
    ("asphalt", "longitudinal_crack"): ({"light": 0.6, "heavy": 1.0}, "m", 0.2),
    ("asphalt", "transverse_crack"): ({"light": 0.6, "heavy": 1.0}, "m", 0.2),
    ("asphalt", "pothole"): ({"light": 0.8, "heavy": 1.0}, "m2", None),
    ("asphalt", "ravelling"): ({"light": 0.6, "heavy": 1.0}, "m2", None),
    ("asphalt", "depression"): ({"light": 0.6, "heavy": 1.0}, "m2", None),
    ("asphalt", "rutting"): ({"light": 0.6, "heavy": 1.0}, "m", 0.4),
    ("asphalt", "corrugation"): ({"light": 0.6, "heavy": 1.0}, "m2", None),
    ("asphalt", "bleeding"): ({None: 0.2}, "m2", None),
    ("asphalt", "patching"): ({None: 0.1}, "m2", None),
    ("concrete", "crack"): ({"light": 0.6, "medium": 0.8, "heavy": 1.0}, "m", 1.0),
    ("concrete", "corner_break"): ({"light": 0.6, "medium": 0.8, "heavy": 1.0}, "m2", None),
    ("concrete", "edge_spalling"): ({"light": 0.6, "medium": 0.8, "heavy": 1.0}, "m", 1.0),
    ("concrete", "shattered_slab"): ({"light": 0.8, "heavy": 1.0}, "m2", None),
    ("concrete", "faulting"): ({"light": 0.6, "heavy": 1.0}, "m", 1.0),
    ("concrete", "joint_seal_damage"): ({"light": 0.4, "heavy": 0.6}, "m", 1.0),
    ("concrete", "pumping"): ({None: 1.0}, "m", 1.0),
    ("concrete", "pit"): ({None: 1.0}, "m2", None),
    ("concrete", "blow_up"): ({None: 1.0}, "m2", None),
    ("concrete", "exposed_aggregate"): ({None: 0.3}, "m2", None),
    ("concrete", "patching"): ({None: 0.1}, "m2", None),
}

EXPECTED_NAMES = {
    ("asphalt", "alligator_cracking"): "龟裂",
    ("asphalt", "block_cracking"): "块状裂缝",
    ("asphalt", "longitudinal_crack"): "纵向裂缝",
    ("asphalt", "transverse_crack"): "横向裂缝",
    ("asphalt", "pothole"): "坑槽",
    ("asphalt", "ravelling"): "松散",
    ("asphalt", "depression"): "沉陷",
    ("asphalt", "rutting"): "车辙",
    ("asphalt", "corrugation"): "波浪拥包",
    ("asphalt", "bleeding"): "泛油",
    ("asphalt", "patching"): "修补",
    ("concrete", "crack"): "裂缝",
    ("concrete", "corner_break"): "板角断裂",
    ("concrete", "edge_spalling"): "边角剥落",
    ("concrete", "shattered_slab"): "破碎板",
    ("concrete", "faulting"): "错台",
    ("concrete", "joint_seal_damage"): "接缝料损坏",
    ("concrete", "pumping"): "唧泥",
    ("concrete", "pit"): "坑洞",
    ("concrete", "blow_up"): "拱起",
    ("concrete", "exposed_aggregate"): "露骨",
    ("concrete", "patching"): "修补",
}

WEIGHT_CASES = [
    (pavement, code, severity, weight)
    for (pavement, code), (weights, _, _) in EXPECTED_DISTRESS.items()
    for severity, weight in weights.items()
]

# Subgrade (DESIGN §3b): code → ({severity: (points, per)}, w).
SITES = {"light": (20, "site"), "medium": (30, "site"), "heavy": (50, "site")}
EXPECTED_SUBGRADE = {
    "dirty_shoulder_ditch": ({None: (0.5, "m")}, 0.05),
    "shoulder_damage": ({"light": (1, "m2"), "heavy": (2, "m2")}, 0.10),
    "slope_collapse": (SITES, 0.25),
    "erosion_gully": (SITES, 0.25),
    "subgrade_structure_damage": (SITES, 0.10),
    "kerb_damage": ({None: (4, "m")}, 0.05),
    "subgrade_settlement": (SITES, 0.10),
    "drainage_blocked": ({"light": (1, "m"), "heavy": (20, "site")}, 0.10),
}

SUBGRADE_CASES = [
    (code, severity, points, per, w)
    for code, (rules, w) in EXPECTED_SUBGRADE.items()
    for severity, (points, per) in rules.items()
]


def one_unit_dr(pavement: str, code: str, severity: str | None, quantity: float) -> float:
    return dr([DistressRecord(code, severity, quantity)], 100.0, pavement)


# --------------------------------------------------------------------------- tables


def test_table_holds_exactly_the_expected_items() -> None:
    actual = {(str(p), code) for p, rows in DISTRESS_TABLE.items() for code in rows}
    assert actual == set(EXPECTED_DISTRESS)


@pytest.mark.parametrize(("pavement", "code"), list(EXPECTED_DISTRESS))
def test_table_row_matches_design(pavement: str, code: str) -> None:
    weights, unit, width = EXPECTED_DISTRESS[(pavement, code)]
    row = distress_type(pavement, code)
    assert row.code == code
    assert dict(row.weights) == weights
    assert row.unit == unit
    assert row.influence_width_m == width
    assert row.zh == EXPECTED_NAMES[(pavement, code)]
    assert row.en and row.en.isascii()
    assert row.graded is (None not in weights)


@pytest.mark.parametrize(("pavement", "i0"), [("asphalt", 21), ("concrete", 20)])
def test_severity_count_matches_standard_i0(pavement: str, i0: int) -> None:
    rows = DISTRESS_TABLE[Pavement(pavement)].values()
    assert sum(len(row.severities) for row in rows) == i0


@pytest.mark.parametrize(("pavement", "code", "severity", "weight"), WEIGHT_CASES)
def test_every_severity_weight_reaches_dr(
    pavement: str, code: str, severity: str | None, weight: float
) -> None:
    _, unit, width = EXPECTED_DISTRESS[(pavement, code)]
    area = 10.0 * (width if unit == "m" else 1.0)
    # 10 units recorded in a 100 m² unit: DR = 100 × w × A / 100 = w × A.
    assert one_unit_dr(pavement, code, severity, 10.0) == pytest.approx(weight * area)


def test_severity_accepts_enum_members() -> None:
    record = DistressRecord("alligator_cracking", Severity.MEDIUM, 10.0)
    assert dr([record], 100.0, Pavement.ASPHALT) == pytest.approx(8.0)


GUIDED = {
    ("asphalt", "block_cracking"): "3 mm",
    ("asphalt", "longitudinal_crack"): "3 mm",
    ("asphalt", "transverse_crack"): "3 mm",
    ("asphalt", "pothole"): "25 mm",
    ("asphalt", "depression"): "10–25 mm",
    ("asphalt", "corrugation"): "10–25 mm",
    ("asphalt", "rutting"): "10–15 mm",
    ("concrete", "faulting"): "3–10 mm",
}


@pytest.mark.parametrize(("pavement", "code"), list(EXPECTED_DISTRESS))
def test_severity_guide_only_where_design_gives_one(pavement: str, code: str) -> None:
    row = distress_type(pavement, code)
    if (pavement, code) not in GUIDED:
        assert row.guide is None
        return
    threshold = GUIDED[(pavement, code)]
    assert threshold in row.guide.zh
    assert threshold in row.guide.en
    assert "轻" in row.guide.zh and "重" in row.guide.zh
    assert "Light" in row.guide.en and "heavy" in row.guide.en


def test_labels_in_both_languages() -> None:
    assert (Severity.LIGHT.zh, Severity.MEDIUM.zh, Severity.HEAVY.zh) == ("轻", "中", "重")
    assert Severity.HEAVY.en == "heavy"
    assert [g.zh for g in Grade] == ["优", "良", "中", "次", "差"]
    assert [g.value for g in Grade] == ["excellent", "good", "fair", "poor", "very_poor"]
    assert Grade.VERY_POOR.en == "Very poor"
    assert Pavement.CONCRETE.zh == "水泥混凝土路面"
    assert Unit.M2.en == "m²" and Unit.SITE.zh == "处"


def test_subgrade_table_matches_design() -> None:
    assert set(SUBGRADE_TABLE) == set(EXPECTED_SUBGRADE)
    for code, (rules, w) in EXPECTED_SUBGRADE.items():
        row = subgrade_item_type(code)
        assert row.weight == w
        assert {s: (d.points, d.per) for s, d in row.deductions.items()} == rules
        assert row.zh and row.en
    assert math.isclose(sum(row.weight for row in SUBGRADE_TABLE.values()), 1.0)


# --------------------------------------------------------------------------- areas and DR


def test_transverse_crack_length_is_converted_with_its_width() -> None:
    record = DistressRecord("transverse_crack", "heavy", 100.0)
    assert damaged_area("asphalt", record) == pytest.approx(20.0)
    assert dr([record], 1000.0 * 7.5) == pytest.approx(20.0 / 7500.0 * 100.0)


def test_rutting_uses_0_4_m() -> None:
    record = DistressRecord("rutting", "light", 50.0)
    assert damaged_area("asphalt", record) == pytest.approx(20.0)


def test_area_items_are_taken_as_recorded() -> None:
    assert damaged_area("asphalt", DistressRecord("pothole", "light", 3.5)) == 3.5


def test_concrete_width_defaults_to_1_m_and_is_configurable() -> None:
    record = DistressRecord("crack", "medium", 40.0)
    assert damaged_area("concrete", record) == pytest.approx(40.0)
    widths = {"crack": 0.5}
    assert damaged_area("concrete", record, influence_widths=widths) == pytest.approx(20.0)
    assert dr([record], 400.0, "concrete", influence_widths=widths) == pytest.approx(4.0)


def test_override_of_one_width_leaves_the_others() -> None:
    records = [DistressRecord("crack", "heavy", 10.0), DistressRecord("faulting", "heavy", 10.0)]
    result = dr(records, 100.0, "concrete", influence_widths={"crack": 2.0})
    assert result == pytest.approx(20.0 + 10.0)


def test_dr_sums_weighted_areas() -> None:
    records = [
        DistressRecord("alligator_cracking", "light", 30.0),  # 0.6 × 30 = 18
        DistressRecord("longitudinal_crack", "light", 50.0),  # 0.6 × 50 × 0.2 = 6
        DistressRecord("bleeding", None, 20.0),  # 0.2 × 20 = 4
        DistressRecord("patching", None, 20.0),  # 0.1 × 20 = 2
    ]
    assert dr(records, 3000.0) == pytest.approx(30.0 / 3000.0 * 100.0)


def test_dr_without_records_is_zero() -> None:
    assert dr([], 7500.0) == 0.0
    assert dr(iter(()), 7500.0, "concrete") == 0.0


def test_dr_accepts_decimals_from_the_database() -> None:
    record = DistressRecord("pothole", "heavy", Decimal("2.50"))
    assert dr([record], Decimal("100")) == pytest.approx(2.5)


def test_zero_quantity_is_allowed() -> None:
    assert dr([DistressRecord("pothole", "heavy", 0)], 100.0) == 0.0


# --------------------------------------------------------------------------- PCI


@pytest.mark.parametrize(
    ("dr_value", "expected"), [(0.1, 94.19), (1, 85.00), (5, 70.89), (10, 61.27)]
)
def test_asphalt_check_values(dr_value: float, expected: float) -> None:
    assert round(pci(dr_value, "asphalt"), 2) == expected


def test_concrete_check_value() -> None:
    assert round(pci(1, "concrete"), 2) == 89.34


@pytest.mark.parametrize("pavement", ["asphalt", "concrete"])
def test_no_damage_is_100(pavement: str) -> None:
    assert pci(0, pavement) == 100.0


def test_pci_is_clamped_at_zero() -> None:
    # 100 − 15 × 100^0.412 ≈ −0.02: the formula leaves the scale, the index does not.
    assert pci(100, "asphalt") == 0.0
    assert pci(1000, "concrete") == 0.0
    assert pci(50, "asphalt") > 0.0


def test_pci_from_records_end_to_end() -> None:
    records = [DistressRecord("transverse_crack", "heavy", 100.0)]
    value = pci(dr(records, 7500.0), "asphalt")
    assert value == pytest.approx(100 - 15.0 * (20 / 75) ** 0.412)


@given(
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.sampled_from(["asphalt", "concrete"]),
)
def test_pci_is_non_increasing_in_dr_and_within_0_100(a: float, b: float, pavement: str) -> None:
    low, high = sorted((a, b))
    pci_low, pci_high = pci(low, pavement), pci(high, pavement)
    assert 0.0 <= pci_high <= pci_low <= 100.0


# --------------------------------------------------------------------------- grades


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (100, Grade.EXCELLENT),
        (90, Grade.EXCELLENT),
        (89.99, Grade.GOOD),
        (math.nextafter(90, 0), Grade.GOOD),
        (80, Grade.GOOD),
        (79.99, Grade.FAIR),
        (70, Grade.FAIR),
        (69.99, Grade.POOR),
        (60, Grade.POOR),
        (59.99, Grade.VERY_POOR),
        (0, Grade.VERY_POOR),
    ],
)
def test_grade_bands(index: float, expected: Grade) -> None:
    assert grade(index) is expected


def test_grade_lower_bounds() -> None:
    assert [g.lower_bound for g in Grade] == [90, 80, 70, 60, 0]


@pytest.mark.parametrize("index", [-0.01, 100.01, math.nan, math.inf, None, "good"])
def test_grade_rejects_values_off_the_scale(index: object) -> None:
    with pytest.raises(ValidationError):
        grade(index)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- SCI


@pytest.mark.parametrize(("code", "severity", "points", "per", "w"), SUBGRADE_CASES)
def test_every_subgrade_deduction(
    code: str, severity: str | None, points: float, per: str, w: float
) -> None:
    quantity = 1 if per == "site" else 0.5
    assert sci([SubgradeItem(code, severity, quantity)]) == pytest.approx(
        100 - w * points * quantity
    )


def test_sci_without_findings_is_100() -> None:
    assert sci([]) == 100.0


def test_sci_caps_each_item_at_100() -> None:
    # 3 heavy collapses = 150 points → capped at 100 → 0.25 × 100 = 25.
    assert sci([SubgradeItem("slope_collapse", "heavy", 3)]) == pytest.approx(75.0)
    split = [SubgradeItem("slope_collapse", "heavy", 1), SubgradeItem("slope_collapse", "light", 3)]
    # 50 + 60 = 110 → 100 summed across records of the same item before capping.
    assert sci(split) == pytest.approx(75.0)


def test_sci_caps_items_separately() -> None:
    items = [
        SubgradeItem("slope_collapse", "heavy", 3),  # 150 → 100 × 0.25 = 25
        SubgradeItem("kerb_damage", None, 10),  # 40 × 0.05 = 2
        SubgradeItem("drainage_blocked", "light", 30),  # 30
        SubgradeItem("drainage_blocked", "heavy", 1),  # + 20 = 50 × 0.10 = 5
    ]
    assert sci(items) == pytest.approx(100 - 25 - 2 - 5)


def test_sci_everything_at_the_cap_is_zero() -> None:
    items = [SubgradeItem(code, row.severities[-1], 1000) for code, row in SUBGRADE_TABLE.items()]
    assert sci(items) == 0.0


def test_per_site_quantity_must_be_whole() -> None:
    with pytest.raises(ValidationError) as caught:
        sci([SubgradeItem("slope_collapse", "light", 1.5)])
    assert caught.value.params["code"] == "slope_collapse"
    assert sci([SubgradeItem("slope_collapse", "light", 2.0)]) == pytest.approx(90.0)


# --------------------------------------------------------------------------- road level


def test_road_mean_is_length_weighted_with_a_short_last_unit() -> None:
    units = [
        UnitResult(1000, 92.0, 95.0),
        UnitResult(1000, 78.0, 85.0),
        UnitResult(350, 85.0, 60.0),  # the short last unit
    ]
    summary = road_summary(units)
    assert summary.length_m == 2350
    assert summary.pci == pytest.approx((1000 * 92 + 1000 * 78 + 350 * 85) / 2350)
    assert summary.pci_grade is Grade.GOOD
    assert summary.sci == pytest.approx((1000 * 95 + 1000 * 85 + 350 * 60) / 2350)
    assert summary.grade_share_pct[Grade.EXCELLENT] == pytest.approx(1000 / 2350 * 100)
    assert summary.grade_share_pct[Grade.GOOD] == pytest.approx(350 / 2350 * 100)
    assert summary.grade_share_pct[Grade.FAIR] == pytest.approx(1000 / 2350 * 100)
    assert summary.grade_share_pct[Grade.POOR] == 0.0
    assert summary.grade_share_pct[Grade.VERY_POOR] == 0.0
    assert summary.excellent_good_pct == pytest.approx(1350 / 2350 * 100)
    assert math.isclose(sum(summary.grade_share_pct.values()), 100.0)


def test_unit_exactly_on_a_band_edge_counts_in_the_upper_grade() -> None:
    summary = road_summary([UnitResult(500, 80.0), UnitResult(500, math.nextafter(80.0, 0))])
    assert summary.excellent_good_pct == pytest.approx(50.0)


def test_units_without_pci_are_excluded_and_reported() -> None:
    units = [UnitResult(1000, 90.0, None), UnitResult(1000, None, 70.0), UnitResult(200, 50.0)]
    summary = road_summary(units)
    assert summary.length_m == 2200
    assert summary.pci_length_m == 1200
    assert summary.pci == pytest.approx((1000 * 90 + 200 * 50) / 1200)
    assert summary.units_without_pci == (1,)
    assert summary.units_without_sci == (0, 2)
    assert summary.sci == 70.0
    assert summary.sci_length_m == 1000
    assert summary.excellent_good_pct == pytest.approx(1000 / 1200 * 100)


def test_road_mean_stays_inside_the_unit_values() -> None:
    summary = road_summary([UnitResult(0.1, 90.0), UnitResult(0.2, 90.0)])
    assert summary.pci == 90.0
    assert summary.pci_grade is Grade.EXCELLENT


def test_visual_survey_lists_what_was_not_measured() -> None:
    summary = road_summary([UnitResult(1000, 88.0, 91.0)])
    expected = ("RQI", "RDI", "PBI", "PWI", "SRI", "PSSI", "PQI", "BCI", "TCI", "MQI")
    assert summary.not_measured == expected
    assert expected == VISUAL_SURVEY_NOT_MEASURED
    assert all(code in INDEX_NAMES for code in summary.not_measured)


def test_missing_pci_and_sci_are_listed_not_invented() -> None:
    summary = road_summary([UnitResult(1000)])
    assert summary.pci is None and summary.pci_grade is None
    assert summary.sci is None and summary.sci_grade is None
    assert summary.excellent_good_pct is None
    assert dict(summary.grade_share_pct) == {}
    assert summary.not_measured[:2] == ("PCI", "SCI")


def test_empty_road() -> None:
    summary = road_summary([])
    assert summary.length_m == 0
    assert summary.pci is None
    assert "PCI" in summary.not_measured


@pytest.mark.parametrize(
    "unit",
    [UnitResult(0, 90.0), UnitResult(-5, 90.0), UnitResult(100, 101.0), UnitResult(100, 90, -1)],
)
def test_road_summary_rejects_bad_units(unit: UnitResult) -> None:
    with pytest.raises(ValidationError):
        road_summary([UnitResult(1000, 90.0), unit])


def test_mqi_formula() -> None:
    assert mqi(90, 80, 70, 60) == pytest.approx(0.70 * 90 + 0.08 * 80 + 0.12 * 70 + 0.10 * 60)
    assert mqi(100, 100, 100, 100) == 100.0
    assert mqi(0, 0, 0, 0) == 0.0


@pytest.mark.parametrize(
    "args", [(None, 90, 90, 90), (90, None, 90, 90), (90, 90, None, 90), (90, 90, 90, None)]
)
def test_mqi_is_none_when_an_input_is_missing(args: tuple) -> None:
    assert mqi(*args) is None


def test_mqi_rejects_values_off_the_scale() -> None:
    with pytest.raises(ValidationError):
        mqi(120, 90, 90, 90)


# --------------------------------------------------------------------------- errors


def test_unknown_pavement_type() -> None:
    with pytest.raises(ValidationError) as caught:
        dr([], 100.0, "gravel")
    error = caught.value
    assert error.params == {"pavement": "gravel", "allowed": "asphalt, concrete"}
    assert "%(pavement)s" in error.message  # a template, translated at the edge
    assert "gravel" in str(error)
    assert "pavement" in error.fields
    with pytest.raises(ValidationError):
        pci(1, "gravel")
    with pytest.raises(ValidationError):
        damaged_area("", DistressRecord("pothole", "light", 1))


def test_unknown_distress_code_for_the_pavement_type() -> None:
    # faulting is a concrete distress: not valid on asphalt.
    with pytest.raises(ValidationError) as caught:
        dr([DistressRecord("faulting", "light", 1)], 100.0, "asphalt")
    assert caught.value.params["code"] == "faulting"
    assert caught.value.params["pavement"] == "asphalt"
    assert "rutting" in caught.value.params["known"]
    assert "code" in caught.value.fields


def test_severity_not_allowed_lists_allowed_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        dr([DistressRecord("pothole", "medium", 1)], 100.0)
    error = caught.value
    assert error.params["allowed"] == "light, heavy"
    assert str(error) == "Severity medium is not allowed for pothole; allowed: light, heavy."
    assert "severity" in error.fields


def test_unknown_severity_word() -> None:
    with pytest.raises(ValidationError) as caught:
        dr([DistressRecord("alligator_cracking", "severe", 1)], 100.0)
    assert caught.value.params["allowed"] == "light, medium, heavy"


def test_graded_item_needs_a_severity() -> None:
    with pytest.raises(ValidationError) as caught:
        dr([DistressRecord("rutting", None, 1)], 100.0)
    assert caught.value.params["allowed"] == "light, heavy"


@pytest.mark.parametrize("severity", ["light", "heavy", "", "none"])
def test_ungraded_item_rejects_any_severity(severity: str) -> None:
    with pytest.raises(ValidationError) as caught:
        dr([DistressRecord("bleeding", severity, 1)], 100.0)
    assert caught.value.params["code"] == "bleeding"


def test_subgrade_severity_errors() -> None:
    with pytest.raises(ValidationError) as caught:
        sci([SubgradeItem("shoulder_damage", "medium", 1)])
    assert caught.value.params["allowed"] == "light, heavy"
    with pytest.raises(ValidationError):
        sci([SubgradeItem("kerb_damage", "light", 1)])


def test_unknown_subgrade_item() -> None:
    with pytest.raises(ValidationError) as caught:
        sci([SubgradeItem("landslide", "heavy", 1)])
    assert caught.value.params["code"] == "landslide"


@pytest.mark.parametrize("quantity", [-1, -0.001, math.nan, math.inf, None, "ten"])
def test_bad_quantities(quantity: object) -> None:
    with pytest.raises(ValidationError):
        dr([DistressRecord("pothole", "light", quantity)], 100.0)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        sci([SubgradeItem("shoulder_damage", "light", quantity)])  # type: ignore[arg-type]


def test_negative_quantity_message() -> None:
    with pytest.raises(ValidationError) as caught:
        damaged_area("asphalt", DistressRecord("pothole", "light", -2))
    assert str(caught.value) == "The quantity of pothole must not be negative (got -2)."
    assert caught.value.fields == {"quantity": "The quantity must not be negative."}


@pytest.mark.parametrize("area", [0, -7500, math.nan, math.inf])
def test_unit_area_must_be_positive(area: float) -> None:
    with pytest.raises(ValidationError):
        dr([], area)


def test_negative_dr_is_rejected() -> None:
    with pytest.raises(ValidationError):
        pci(-0.1, "asphalt")


@pytest.mark.parametrize(
    "widths", [{"pothole": 1.0}, {"crack": 0.0}, {"crack": -1.0}, {"rutting": 0.4}]
)
def test_bad_influence_widths(widths: dict[str, float]) -> None:
    # pothole is an area item; rutting is not a concrete distress; widths must be > 0.
    with pytest.raises(ValidationError):
        damaged_area("concrete", DistressRecord("crack", "light", 1), influence_widths=widths)


def test_tables_are_read_only() -> None:
    with pytest.raises(TypeError):
        DISTRESS_TABLE[Pavement.ASPHALT]["pothole"] = None  # type: ignore[index]
    with pytest.raises(TypeError):
        distress_type("asphalt", "pothole").weights[Severity.LIGHT] = 0.0  # type: ignore[index]
