"""Unit and road figures from known distresses (DESIGN §3 check values), and the comparison."""

from datetime import date

import pytest

from inspection.errors import NotPermitted, ValidationError
from inspection.surveys import queries, services
from inspection.surveys.importing import RecordInput
from inspection.surveys.pavement_index import Grade
from tests.integration.surveys.conftest import unit_at


def record(session, campaign, unit, item, severity, quantity, *, actor, stake=""):
    data = RecordInput(
        unit_id=unit.id,
        road="",
        direction=None,
        stake=stake,
        family=None,
        item_code=item,
        severity=severity,
        quantity=quantity,
        unit=None,
        note="",
    )
    record, _ = services.add_record(session, campaign, data, actor=actor)
    return record


def figures_of(session, campaign):
    figures = queries.unit_figures(session, queries.campaign_units(session, campaign))
    return figures, queries.road_results(figures)


@pytest.fixture
def surveyed(db_session, roads, campaign_of, manager):
    """G30 up (20 units, 7.5 m wide) with the DR check values of DESIGN §3a, and S21 untouched.

    Unit area 1000 m × 7.5 m = 7500 m² (unit 12: 700 m × 7.5 m = 5250 m²).
    """
    campaign = campaign_of(("G30", "up"), ("S21", "both"))
    add = lambda seq, *args: record(  # noqa: E731
        db_session, campaign, unit_at(campaign, "G30", seq), *args, actor=manager
    )
    add(2, "patching", None, 75.0)  # 0.1 × 75 = 7.5 m² → DR 0.1 %
    add(3, "alligator_cracking", "heavy", 75.0)  # 1.0 × 75 → DR 1 %
    add(4, "longitudinal_crack", "heavy", 1000.0)  # 1.0 × 1000 m × 0.2 m = 200 m²
    add(4, "rutting", "heavy", 437.5)  # 1.0 × 437.5 m × 0.4 m = 175 m² → DR 5 %
    add(12, "depression", "heavy", 525.0)  # 525 m² of 5250 m² → DR 10 %
    add(5, "slope_collapse", "medium", 1)  # GD 30, w 0.25
    add(5, "shoulder_damage", "heavy", 10.0)  # GD 20, w 0.10 → SCI 100 − 7.5 − 2 = 90.5
    add(6, "erosion_gully", "heavy", 3)  # GD 150 → capped at 100, w 0.25 → SCI 75
    return campaign


def test_unit_figures_match_the_check_values(db_session, surveyed):
    figures, _ = figures_of(db_session, surveyed)
    g30 = {f.unit.seq: f for f in figures if f.unit.road.code == "G30"}
    assert g30[2].dr == pytest.approx(0.1) and g30[2].pci == 94.19
    assert g30[3].dr == pytest.approx(1.0) and g30[3].pci == 85.0
    assert g30[4].dr == pytest.approx(5.0) and g30[4].pci == 70.89
    assert g30[12].dr == pytest.approx(10.0) and g30[12].pci == 61.27
    assert [g30[n].grade for n in (2, 3, 4, 12)] == [
        Grade.EXCELLENT,
        Grade.GOOD,
        Grade.FAIR,
        Grade.POOR,
    ]
    # A unit with nothing recorded on a surveyed road: DR 0, PCI 100, SCI 100.
    assert (g30[1].dr, g30[1].pci, g30[1].sci) == (0.0, 100.0, 100.0)
    assert g30[5].sci == 90.5 and g30[6].sci == 75.0 and g30[5].pci == 100.0
    # S21 has no records: nothing is measured there, nothing is invented.
    s21 = [f for f in figures if f.unit.road.code == "S21"]
    assert {(f.dr, f.pci, f.sci, f.grade) for f in s21} == {(None, None, None, None)}


def test_road_figures_are_length_weighted(db_session, surveyed):
    _, results = figures_of(db_session, surveyed)
    g30, s21 = results
    assert (g30.road.code, s21.road.code) == ("G30", "S21")
    summary = g30.summary
    assert summary.length_m == pytest.approx(19700.0)
    expected_pci = (16 * 1000 * 100 + 1000 * (94.19 + 85.0 + 70.89) + 700 * 61.27) / 19700
    assert summary.pci == pytest.approx(expected_pci)  # 96.09
    assert round(summary.pci, 2) == 96.09
    assert summary.pci_grade is Grade.EXCELLENT
    assert summary.excellent_good_pct == pytest.approx(100 * 18000 / 19700)  # 91.37 %
    assert summary.grade_share_pct[Grade.EXCELLENT] == pytest.approx(100 * 17000 / 19700)
    assert summary.grade_share_pct[Grade.GOOD] == pytest.approx(100 * 1000 / 19700)
    assert summary.grade_share_pct[Grade.FAIR] == pytest.approx(100 * 1000 / 19700)
    assert summary.grade_share_pct[Grade.POOR] == pytest.approx(100 * 700 / 19700)
    assert summary.grade_share_pct[Grade.VERY_POOR] == 0.0
    assert summary.sci == pytest.approx((17700 * 100 + 1000 * 90.5 + 1000 * 75) / 19700)
    assert "PCI" not in summary.not_measured and "SCI" not in summary.not_measured
    assert {"RQI", "RDI", "PQI", "MQI"} <= set(summary.not_measured)

    assert s21.summary.pci is None and s21.summary.excellent_good_pct is None
    assert s21.summary.length_m == pytest.approx(12000.0)
    assert {"PCI", "SCI"} <= set(s21.summary.not_measured)
    # The campaign as a whole has PCI and SCI somewhere; the instrument indices nowhere.
    assert queries.not_measured([g30, s21])[:2] == ["RQI", "RDI"]
    assert "PCI" not in queries.not_measured([g30, s21])


def test_voided_records_do_not_count(db_session, roads, campaign_of, manager, make_user):
    campaign = campaign_of(("G30", "up"))
    crew = make_user("patrol")
    unit = unit_at(campaign, "G30", 3)
    wrong = record(db_session, campaign, unit, "alligator_cracking", "heavy", 75.0, actor=crew)
    with pytest.raises(NotPermitted):
        services.void_record(db_session, wrong, "typo", actor=make_user("patrol"))
    with pytest.raises(ValidationError):
        services.void_record(db_session, wrong, " ", actor=crew)
    services.void_record(db_session, wrong, "typed in the wrong unit", actor=crew)
    figures, _ = figures_of(db_session, campaign)
    # The only pavement record is voided: the road counts as not surveyed again.
    assert {f.pci for f in figures} == {None}
    # A survey manager may void another's record.
    other = record(db_session, campaign, unit, "pothole", "light", 1.0, actor=crew)
    services.void_record(db_session, other, "duplicate", actor=manager)
    assert other.voided_by_id == manager.id


def test_records_are_checked_against_the_unit(db_session, roads, campaign_of, manager):
    campaign = campaign_of(("G30", "up"))
    unit = unit_at(campaign, "G30", 3)

    def refused(*args, **kwargs):
        with pytest.raises(ValidationError) as error:
            record(db_session, campaign, unit, *args, actor=manager, **kwargs)
        return error.value

    assert set(refused("crack", "light", 3.0).fields) == {"item_code"}  # a concrete item
    assert set(refused("block_cracking", "medium", 3.0).fields) == {"severity"}
    assert set(refused("bleeding", "light", 3.0).fields) == {"severity"}
    assert set(refused("slope_collapse", "light", 1.5).fields) == {"quantity"}  # whole sites
    assert set(refused("pothole", "light", 8000.0).fields) == {"quantity"}  # > 7500 m²
    assert set(refused("pothole", "light", 1.0, stake="K3510+000").fields) == {"stake"}
    assert set(refused("pothole", "light", 1.0, stake="K3530+000").fields) == {"stake"}
    ok = record(
        db_session, campaign, unit, "pothole", "light", 1.0, actor=manager, stake="K3502+100"
    )
    assert ok.chainage == 3502100.0


def test_a_record_by_road_and_stake_finds_its_unit(db_session, roads, campaign_of, manager):
    campaign = campaign_of(("G30", "up"), ("G312", "both"))

    def place(road, stake, direction=None):
        data = RecordInput(None, road, direction, stake, None, "pothole", "light", 1.0, None, "")
        return services.add_record(db_session, campaign, data, actor=manager)[0].unit

    assert place("G30", "K3504+500").seq == 5
    assert place("G30", "K3505+000").seq == 6  # a boundary stake belongs to the unit starting there
    assert place("G30", "K3511+700").seq == 12  # the back stake of the short chain
    assert place("G30", "K3520+000").seq == 20  # the road's end
    assert place("g30", "K3504+500", "up").seq == 5
    with pytest.raises(ValidationError) as error:
        place("G30", "K3511+800")  # in the short-chain gap
    assert set(error.value.fields) == {"stake"}
    with pytest.raises(ValidationError) as error:
        place("G312", "K3610+300")  # the long-chain overlap: two units share the stake
    assert "unit_no" in error.value.fields and "7, 8" in str(error.value)
    assert place("G312", "K3611+300").seq == 9
    with pytest.raises(ValidationError) as error:
        place("S21", "K1+000")
    assert str(error.value) == "Road S21 is not part of this survey campaign."
    with pytest.raises(ValidationError) as error:
        place("G99", "K1+000")
    assert str(error.value) == "There is no road G99."


def test_a_unit_can_change_width_and_pavement_while_its_records_fit(
    db_session, roads, campaign_of, manager
):
    campaign = campaign_of(("G30", "up"))
    unit = unit_at(campaign, "G30", 3)
    record(db_session, campaign, unit, "alligator_cracking", "heavy", 75.0, actor=manager)
    services.update_unit(db_session, unit, width_m=3.75, pavement="asphalt", actor=manager)
    figures, _ = figures_of(db_session, campaign)
    assert next(f for f in figures if f.unit.id == unit.id).dr == pytest.approx(2.0)
    with pytest.raises(ValidationError) as error:
        services.update_unit(db_session, unit, width_m=3.75, pavement="concrete", actor=manager)
    assert set(error.value.fields) == {"pavement"}
    with pytest.raises(ValidationError) as error:
        services.update_unit(db_session, unit, width_m=0.05, pavement="asphalt", actor=manager)
    assert set(error.value.fields) == {"width_m"}  # 75 m² no longer fits in 50 m²
    other = unit_at(campaign, "G30", 4)
    services.update_unit(db_session, other, width_m=7.5, pavement="concrete", actor=manager)
    record(db_session, campaign, other, "crack", "medium", 10.0, actor=manager)
    figures, _ = figures_of(db_session, campaign)
    concrete = next(f for f in figures if f.unit.id == other.id)
    # 0.8 × 10 m × 1.0 m = 8 m² of 7500 m²; PCI = 100 − 10.66 × DR^0.461.
    assert concrete.dr == pytest.approx(800 / 7500)
    assert concrete.pci == round(100 - 10.66 * (800 / 7500) ** 0.461, 2)


def test_the_comparison_finds_better_and_worse_units(db_session, roads, campaign_of, manager):
    spring = campaign_of(("G30", "up"), ("G312", "both"))
    autumn = campaign_of(
        ("G30", "up"),
        ("G312", "both"),
        name="2026 autumn survey",
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 20),
    )

    def add(campaign, code, seq, *args):
        record(db_session, campaign, unit_at(campaign, code, seq), *args, actor=manager)

    add(spring, "G30", 3, "alligator_cracking", "heavy", 75.0)  # 85 良 → 100 优: better
    add(spring, "G30", 4, "alligator_cracking", "heavy", 375.0)  # 70.89 中
    add(autumn, "G30", 4, "depression", "heavy", 750.0)  # → 61.27 次: worse
    add(spring, "G30", 5, "patching", None, 75.0)  # 94.19 优
    add(autumn, "G30", 5, "patching", None, 150.0)  # 91.78 优: same grade
    # G312: the second copy of the long-chain overlap (unit 8) worsens, its twin (unit 7) not.
    add(spring, "G312", 1, "patching", None, 1.0)
    add(autumn, "G312", 8, "depression", "heavy", 750.0)

    figures = queries.unit_figures(db_session, queries.campaign_units(db_session, autumn))
    results = queries.road_results(figures)
    g30, g312 = queries.compare_with_previous(db_session, autumn, results)
    assert g30.previous.id == spring.id
    changes = {c.figures.unit.seq: c for c in g30.changes}
    assert (changes[3].change, changes[3].previous_pci, changes[3].figures.pci) == (
        "better",
        85.0,
        100.0,
    )
    assert (changes[4].change, changes[4].delta) == ("worse", round(61.27 - 70.89, 2))
    assert changes[5].change == "same"
    assert (g30.count("better"), g30.count("worse"), g30.count("same")) == (1, 1, 18)
    assert all(c.previous_units == (c.figures.unit.seq,) for c in g30.changes)
    # Each G312 unit matches the one unit in the same place, not its long-chain twin.
    assert [c.previous_units for c in g312.changes] == [(n,) for n in range(1, 14)]
    assert [c.figures.unit.seq for c in g312.changes if c.change == "worse"] == [8]

    # The spring campaign has no predecessor.
    spring_results = queries.road_results(
        queries.unit_figures(db_session, queries.campaign_units(db_session, spring))
    )
    assert {
        c.previous for c in queries.compare_with_previous(db_session, spring, spring_results)
    } == {None}
