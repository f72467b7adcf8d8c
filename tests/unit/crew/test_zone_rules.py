"""The pure rules of work zones: which minimums apply and which parts fall short."""

from inspection.crew.kinds import DEFAULT_MINIMUMS_M
from inspection.crew.zone_rules import applicable_speed, duplicates, has_intrusion_alarm, judge

TABLE = {
    speed: {p.value: m for p, m in parts.items()} for speed, parts in DEFAULT_MINIMUMS_M.items()
}


def test_the_nearest_configured_speed_at_or_above_applies():
    assert applicable_speed(TABLE, 80) == (80, False)
    assert applicable_speed(TABLE, 70) == (80, False)
    assert applicable_speed(TABLE, 5) == (40, False)
    assert applicable_speed(TABLE, 121) == (120, True)
    assert applicable_speed([], 60) == (None, False)


def test_short_parts_are_flagged_in_driving_order_exact_at_the_boundary():
    judged = judge({"buffer": 79.9, "warning": 1199, "termination": 30}, TABLE, 80)
    assert [(s.part, s.minimum_m, s.missing_m) for s in judged.shortfalls] == [
        ("warning", 1200, 1.0),
        ("buffer", 80, 0.1),
    ]
    assert judge({"warning": 1200, "buffer": 80}, TABLE, 80).shortfalls == ()


def test_parts_not_given_and_parts_without_minimum_are_not_flagged():
    assert judge({"work_area": 1}, TABLE, 80).shortfalls == ()
    assert judge({}, TABLE, 120).shortfalls == ()
    assert judge({"warning": 1}, {}, 80).speed_kmh is None
    zero = judge({"warning": 1}, {60: {"warning": 0}}, 60)
    assert zero.shortfalls == () and zero.minimums == {}


def test_a_zone_faster_than_the_table_is_held_to_the_fastest_row():
    judged = judge({"warning": 1500}, TABLE, 130)
    assert judged.beyond_table and judged.speed_kmh == 120
    assert [s.part for s in judged.shortfalls] == ["warning"]


def test_intrusion_alarm_and_duplicates():
    assert has_intrusion_alarm(["cone", "intrusion_radar"])
    assert has_intrusion_alarm(["alarm_cone"])
    assert not has_intrusion_alarm(["cone", "sign", "attenuator"])
    assert duplicates(["a", "b", "a", "a"]) == [2, 3]
