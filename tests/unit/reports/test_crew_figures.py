"""The crew-safety figures' rules and sentence on small hand-made counts (pure: no database)."""

from datetime import date
from types import SimpleNamespace

import pytest

from inspection.reports.annual import Period
from inspection.reports.annual.crew_figures import (
    CrewCounts,
    UnzonedRepair,
    counts_figures,
    crew_figures,
    merge_months,
)
from inspection.reports.annual.crew_metrics import CREW_DEFINITIONS, CREW_KEYS, CREW_METRICS
from inspection.reports.annual.crew_paragraph import EN, ZH, body
from inspection.reports.annual.metrics import UNITS
from inspection.reports.annual.paragraphs import _Say

YEAR = Period.for_year(2025)


def repair(id_, completed, chainage=3_504_000.0, end=None, stake_text=""):
    return UnzonedRepair(
        id=id_,
        road="G30",
        direction="up",
        kind="pothole",
        completed_on=date.fromisoformat(completed),
        chainage=chainage,
        end_chainage=end,
        stake_text=stake_text,
    )


def test_nothing_recorded_is_none():
    assert crew_figures(YEAR, {}) is None
    assert crew_figures(YEAR, {"2025-03": {"briefings": 0, "checks": 0}}) is None


def test_totals_add_the_months_and_every_month_is_listed():
    figures = crew_figures(
        YEAR,
        merge_months(
            {"2025-01": {"briefings": 2, "attendances": 9}, "2025-03": {"briefings": 1}},
            {"2025-03": {"checks": 4, "alcohol_failed": 1, "blood_pressure_failed": 2}},
            {"2025-12": {"zones": 3, "zones_with_alarm": 1}},
            {"2025-12": {"expressway_repairs": 2, "repairs_without_zone": 1}},
        ),
        [repair(2, "2025-12-02"), repair(1, "2025-12-01")],
    )
    assert [m.month for m in figures.months] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert figures.total == CrewCounts(
        briefings=3,
        attendances=9,
        checks=4,
        alcohol_failed=1,
        blood_pressure_failed=2,
        zones=3,
        zones_with_alarm=1,
        expressway_repairs=2,
        repairs_without_zone=1,
    )
    got = figures.figures()
    assert list(got) == list(CREW_KEYS)
    # Each check tests alcohol and blood pressure once.
    assert got["crew_alcohol_tests"] == got["crew_blood_pressure_tests"] == 4
    assert got["crew_zones_without_alarm"] == 2
    assert [r.id for r in figures.unzoned] == [1, 2]  # by completion day


def test_a_month_outside_the_period_or_an_unknown_count_is_refused():
    with pytest.raises(ValueError, match="outside"):
        crew_figures(Period.for_year(2025, 3), {"2025-04": {"checks": 1}})
    with pytest.raises(ValueError, match="unknown"):
        crew_figures(YEAR, {"2025-04": {"patrols": 1}})


def test_an_expressway_repair_alone_makes_figures():
    figures = crew_figures(YEAR, {"2025-06": {"expressway_repairs": 1, "repairs_without_zone": 1}})
    assert figures is not None and figures.total.checks == 0


def test_stakes_as_typed_or_from_the_chainage():
    assert repair(1, "2025-01-01", stake_text="K8+200").stakes == "K8+200"
    assert repair(1, "2025-01-01", 3_504_000.0, 3_504_300.0).stakes == "K3504+000–K3504+300"
    assert repair(1, "2025-01-01", 8_200.0, 8_200.0).stakes == "K8+200"


def test_every_metric_has_its_unit_definition_and_words():
    for metric in CREW_METRICS.values():
        assert metric.unit in UNITS and metric.definition in CREW_DEFINITIONS
    assert set(counts_figures(CrewCounts())) == set(CREW_METRICS)
    assert set(ZH) == set(EN)


def sentence(language, **counts):
    months = {"2025-05": counts}
    report = SimpleNamespace(crew=crew_figures(YEAR, months))
    return body(report, _Say(language))


def test_the_sentence_says_only_what_was_recorded():
    assert body(SimpleNamespace(crew=None), _Say("zh")) is None
    assert sentence("zh", briefings=1, attendances=6) == "开展岗前5分钟安全培训1次、6人次"
    assert sentence("zh", checks=3, blood_pressure_failed=1) == (
        "出车前检查3车次，酒精含量测试3人次（均合格）、血压测试3人次（不合格1人次）"
    )
    assert sentence("en", checks=3, alcohol_failed=2) == (
        "Pre-trip checks 3, breath-alcohol tests 3 (2 failed), blood-pressure tests 3 (all passed)"
    )
    assert (
        sentence("zh", zones=2, zones_with_alarm=2)
        == "施工作业区安全布设2处（均设置防闯入报警设备）"
    )
    assert sentence("en", zones=2) == "Work zones set up 2 (none with an intrusion alarm)"
    assert sentence("zh", zones=3, zones_with_alarm=1, expressway_repairs=4) == (
        "施工作业区安全布设3处（设置防闯入报警设备1处，未设置2处）；高速公路养护作业4处，均有作业区布设记录"
    )
    assert sentence("en", expressway_repairs=1234, repairs_without_zone=5) == (
        "Repairs on expressways 1,234, 5 of them without a work-zone record"
    )
