"""The annual report's pure part: periods, rounding, figures, paragraph, tables and charts."""

from datetime import date
from decimal import Decimal

import pytest

from inspection.errors import ValidationError
from inspection.patrols.kinds import FINDING_KINDS
from inspection.reports import annual
from inspection.reports.annual import (
    Aggregates,
    MaterialTotal,
    Period,
    ReportRequest,
    RoadCondition,
)

TODAY = date(2026, 6, 15)


def request_of(**params) -> ReportRequest:
    return annual.parse_request({k: str(v) for k, v in params.items()}, today=TODAY)


FULL = {
    "shoulder_area_m2": Decimal("16250.0"),
    "slope_area_m2": Decimal("5432.1"),
    "pothole_area_m2": Decimal("20.65"),
    "pothole_count": 8,
    "patrols": 4,
    "patrol_days": 3,
    "patrol_km": Decimal("212.5"),
    "surveys": 1,
    "inspections": 2,
    "inspections_seasonal": 1,
    "inspections_routine": 1,
    "findings": 3,
    "findings_pothole": 2,
    "findings_shoulder_damage": 1,
    "self_hazards_found": 2,
    "self_hazards_closed": 1,
    "hazards_found": 4,
    "hazards_closed": 2,
    "hazards_overdue": 1,
    "hazards_source_self_inspection": 2,
    "hazards_source_patrol": 1,
    "hazards_source_higher_authority": 1,
}

G30_UP = RoadCondition(
    road="G30",
    direction="up",
    campaign_id=7,
    campaign="2025年路况调查",
    ends_on=date(2025, 10, 31),
    length_m=3000.0,
    pci=82.0888,
    sci=98.3333,
    excellent_good_pct=66.6667,
    pci_grade="good",
)


def make(
    total=None,
    *,
    previous=None,
    request=None,
    conditions=(),
    by_road=None,
    by_month=None,
    materials=(),
    roads=("G30", "S21"),
) -> annual.AnnualReport:
    return annual.build_report(
        request or request_of(year=2025),
        current=Aggregates(total or {}, by_road or {}, by_month or {}),
        previous=previous or {},
        materials=materials,
        conditions=conditions,
        roads=roads,
        timezone="Asia/Shanghai",
    )


# --------------------------------------------------------------------------- the metric table


def test_every_metric_names_a_known_unit_and_definition():
    for key, metric in annual.METRICS.items():
        assert metric.key == key
        assert metric.unit in annual.UNITS
        assert metric.definition in annual.DEFINITIONS
        assert metric.zh and metric.en


def test_finding_kinds_match_the_patrols_table():
    assert list(annual.FINDING_KIND_WORDS) == list(FINDING_KINDS)


def test_safety_hazard_findings_are_no_defects():
    assert annual.HAZARD_FINDING_KIND == "safety_hazard"
    assert "safety_hazard" not in annual.DEFECT_KINDS
    assert "findings_safety_hazard" not in annual.METRICS
    assert [*annual.DEFECT_KINDS, "safety_hazard"] == list(FINDING_KINDS)


def test_code_lists_match_the_models():
    from inspection.hazards.workflow import HAZARD_CATEGORIES, HazardSource
    from inspection.inspections.kinds import InspectionKind
    from inspection.sites.kinds import SiteKind

    assert list(annual.INSPECTION_KIND_WORDS) == list(InspectionKind)
    assert list(annual.HAZARD_SOURCE_WORDS) == list(HazardSource)
    assert list(annual.HAZARD_LOCATION_WORDS) == ["road", *SiteKind]
    assert list(annual.HAZARD_CATEGORY_WORDS) == list(HAZARD_CATEGORIES)


def test_breakdown_and_total_keys_are_metrics():
    for key in (*annual.TOTAL_KEYS, *annual.BREAKDOWN_KEYS, *annual.SURVEY_KEYS):
        assert key in annual.METRICS
    assert set(annual.TOTAL_KEYS) >= annual.SUMMED_KEYS | annual.COUNTED_KEYS


def test_headers_carry_the_unit():
    metric = annual.METRICS["shoulder_area_10k_m2"]
    assert metric.header("zh_CN") == "整修路肩面积（万平方米）"
    assert metric.header("en") == "Shoulder repair area (10,000 m²)"


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("1.625"), 2, Decimal("1.63")),  # half up, not half even
        (Decimal("1.615"), 2, Decimal("1.62")),
        (0.15, 1, Decimal("0.2")),  # the float's shortest text, not its binary value
        (2.675, 2, Decimal("2.68")),
        (Decimal("-0.05"), 1, Decimal("-0.1")),
        (Decimal("7.5"), 0, 8),
        (3, 1, Decimal("3.0")),
        (None, 2, None),
        (float("nan"), 2, None),
    ],
)
def test_rounded(value, decimals, expected):
    result = annual.rounded(value, decimals)
    assert result == expected
    assert type(result) is type(expected)


def test_format_number():
    assert annual.format_number(Decimal("16250.0"), 1) == "16,250.0"
    assert annual.format_number(Decimal("16250.0"), 1, grouping=False) == "16250.0"
    assert annual.format_number(1234, 0) == "1,234"
    assert annual.format_number(None, 1) == "—"


# --------------------------------------------------------------------------- periods


def test_year_and_month_periods():
    year = Period.for_year(2024)
    assert (year.start, year.end, year.kind) == (date(2024, 1, 1), date(2024, 12, 31), "year")
    february = Period.for_year(2024, 2)
    assert (february.end, february.kind) == (date(2024, 2, 29), "month")
    assert february.previous() == Period.for_year(2023, 2)
    assert february.previous().end == date(2023, 2, 28)


def test_range_period_shifts_a_leap_day():
    ranged = Period(date(2024, 2, 29), date(2024, 3, 31))
    assert ranged.kind == "range"
    assert ranged.previous() == Period(date(2023, 2, 28), date(2023, 3, 31))
    assert ranged.months() == ["2024-02", "2024-03"]


def test_months_across_years():
    assert Period(date(2025, 11, 20), date(2026, 2, 1)).months() == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]


def test_period_labels():
    assert Period.for_year(2025).label("zh_CN") == "2025年"
    assert Period.for_year(2025, 5).label("zh_CN") == "2025年5月"
    assert Period.for_year(2025, 5).label("en") == "May 2025"
    ranged = Period(date(2025, 3, 1), date(2025, 6, 30))
    assert ranged.label("zh_CN") == "2025年3月1日至2025年6月30日"
    assert ranged.label("en") == "1 March 2025 – 30 June 2025"


def test_defaults_are_this_year_and_today():
    asked = request_of()
    assert asked.period == Period.for_year(2026)
    assert asked.cutoff == TODAY  # the end of 2026 is later than today
    assert asked.previous_cutoff == date(2025, 6, 15)
    assert asked.road is None


def test_cutoff_defaults_to_the_end_of_a_past_period():
    asked = request_of(year=2025, road=" g30 ")
    assert asked.cutoff == date(2025, 12, 31)
    assert asked.previous_cutoff == date(2024, 12, 31)
    assert asked.road == "G30"


def test_a_cutoff_after_the_period_keeps_its_distance_for_the_previous_year():
    asked = request_of(year=2025, cutoff="2026-01-31")
    assert asked.cutoff == date(2026, 1, 31)
    assert asked.previous_cutoff == date(2025, 1, 31)
    leap = request_of(year=2024, month=2, cutoff="2024-03-01")
    assert leap.previous_cutoff == date(2023, 3, 1)  # one day after 28 February 2023


def test_a_date_range():
    asked = request_of(**{"from": "2025-03-01", "to": "2025-06-30"})
    assert asked.period == Period(date(2025, 3, 1), date(2025, 6, 30))
    assert asked.cutoff == date(2025, 6, 30)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "25"}, "year"),
        ({"year": "abc"}, "year"),
        ({"year": "2101"}, "year"),
        ({"month": "0"}, "month"),
        ({"month": "1.5"}, "month"),
        ({"year": "2027"}, "year"),  # has not begun
        ({"from": "2026-06-16", "to": "2026-07-01"}, "from"),
        ({"from": "2025-01-01"}, "to"),
        ({"to": "2025-01-01"}, "from"),
        ({"from": "2025-02-01", "to": "2025-01-31"}, "to"),
        ({"from": "2010-01-01", "to": "2021-01-01"}, "to"),  # more than ten years
        ({"year": "2025", "from": "2025-01-01", "to": "2025-01-31"}, "from"),
        ({"from": "1 May", "to": "2025-01-31"}, "from"),
        ({"year": "2025", "cutoff": "2024-12-31"}, "cutoff"),
        ({"year": "2025", "cutoff": "2026-06-16"}, "cutoff"),
        ({"year": "2025", "road": "G30; drop"}, "road"),
    ],
)
def test_bad_parameters_name_their_field(params, field):
    with pytest.raises(ValidationError) as raised:
        annual.parse_request(params, today=TODAY)
    assert field in raised.value.fields


# --------------------------------------------------------------------------- figures


def test_figures_derive_and_round():
    figures = annual.figures_of(FULL)
    assert figures["shoulder_area_10k_m2"] == Decimal("1.63")
    assert figures["slope_area_10k_m2"] == Decimal("0.54")
    assert figures["pothole_area_m2"] == Decimal("20.7")
    assert figures["hazards_open"] == 2
    assert figures["rectification_rate"] == Decimal("50.0")
    assert figures["findings_drainage"] == 0
    assert figures["self_rectification_rate"] == Decimal("50.0")
    assert figures["hazards_carried_over"] == 0


def test_no_records_is_absent_not_zero():
    figures = annual.figures_of({})
    assert figures["shoulder_area_m2"] is None
    assert figures["shoulder_area_10k_m2"] is None
    assert figures["pothole_count"] is None
    assert figures["patrol_km"] is None
    assert figures["patrols"] == 0
    assert figures["hazards_found"] == 0
    assert figures["rectification_rate"] is None  # "—", not 0 %


def test_rate_has_one_decimal():
    figures = annual.figures_of({"hazards_found": 3, "hazards_closed": 2})
    assert figures["rectification_rate"] == Decimal("66.7")


def test_compare():
    assert annual.compare("patrols", 5, 4) == annual.Comparison("patrols", 5, 4, 1, Decimal("25.0"))
    from_nothing = annual.compare("slope_area_m2", Decimal("10.0"), None)
    assert (from_nothing.difference, from_nothing.change_pct) == (Decimal("10.0"), None)
    to_nothing = annual.compare("slope_area_m2", None, Decimal("10.0"))
    assert (to_nothing.difference, to_nothing.change_pct) == (Decimal("-10.0"), Decimal("-100.0"))
    assert annual.compare("patrols", 3, 0).change_pct is None
    rate = annual.compare("rectification_rate", Decimal("50.0"), Decimal("100.0"))
    assert (rate.difference, rate.change_pct) == (Decimal("-50.0"), None)
    assert annual.compare("rectification_rate", Decimal("50.0"), None).difference is None


def test_build_report_lists_every_road_and_month():
    built = make(
        FULL,
        by_road={"S21": {"patrols": 1}, "X9": {"patrols": 2}},
        by_month={"2025-03": {"shoulder_area_m2": Decimal("5")}},
    )
    assert [code for code, _ in built.by_road] == ["G30", "S21", "X9"]
    assert dict(built.by_road)["G30"]["patrols"] == 0
    assert len(built.by_month) == 12
    assert dict(built.by_month)["2025-03"]["shoulder_area_m2"] == Decimal("5.0")
    one = make(FULL, request=request_of(year=2025, road="S21"), by_road={"S21": {"patrols": 1}})
    assert [code for code, _ in one.by_road] == ["S21"]


def test_materials_are_rounded_and_sorted():
    built = make(
        materials=[
            MaterialTotal("水泥", "t", Decimal("1.505")),
            MaterialTotal("冷补料", "t", Decimal("0.8")),
        ]
    )
    assert [(m.name, m.quantity) for m in built.materials] == [
        ("冷补料", Decimal("0.80")),
        ("水泥", Decimal("1.51")),
    ]


# --------------------------------------------------------------------------- paragraphs


def test_paragraphs_in_the_reports_own_words():
    built = make(FULL, conditions=[G30_UP])
    assert built.paragraphs_zh == {
        "maintenance": (
            "全年组织路况普查1次，完成整修路肩1.63万平方米，整修边坡0.54万平方米，"
            "处治坑槽20.7平方米（8处）；开展道路巡查4次（3天），累计巡查里程212.5公里，"
            "巡查发现病害3处。根据2025年路况调查（2025年10月31日结束），"
            "G30上行PCI为82.09、SCI为98.33、优良路率为66.7%。"
        ),
        # Routine inspections count in the total but are not named; kinds with none are left out.
        "safety": (
            "全年通过季节性检查1次等方式，共计开展安全隐患自查2次，发现隐患2处，已整改1处，"
            "整改率50%（整改情况截至2025年12月31日）。各类来源共发现隐患4处（其中自查发现2处、"
            "道路巡查发现1处、上级检查发现1处），已整改2处，总体整改率50%。"
        ),
    }
    assert built.paragraphs_en["safety"] == (
        "In 2025: through seasonal inspections (1), 2 safety self-inspections held in all,"
        " 2 hazards found, 1 rectified, rectification rate 50% (rectification as of"
        " 31 December 2025). Hazards from every source: 4 found (2 from self-inspections,"
        " 1 from road patrols and 1 from higher-authority inspections), 2 rectified, overall"
        " rectification rate 50%."
    )
    assert built.paragraph_zh == "\n".join(built.paragraphs_zh.values())


def test_all_rectified_uses_the_seed_wording_and_no_trailing_zero():
    every = {"hazards_source_patrol": 0, "hazards_source_higher_authority": 0}
    built = make({**FULL, **every, "hazards_found": 2, "hazards_closed": 1})
    assert "共计开展安全隐患自查2次，发现隐患2处，已整改1处，整改率50%" in built.paragraph_zh
    closed = make(
        {**FULL, **every, "self_hazards_closed": 2, "hazards_found": 2, "hazards_closed": 2}
    )
    assert closed.paragraphs_zh["safety"] == (
        "全年通过季节性检查1次等方式，共计开展安全隐患自查2次，发现并整改隐患2处，整改率100%"
        "（整改情况截至2025年12月31日）。"
    )
    assert "2 hazards found and rectified, rectification rate 100%" in closed.paragraph_en
    third = make(
        {
            "inspections": 1,
            "inspections_special": 1,
            "self_hazards_found": 3,
            "self_hazards_closed": 2,
            "hazards_found": 3,
            "hazards_closed": 2,
            "hazards_source_self_inspection": 3,
        }
    )
    assert "整改率66.7%（" in third.paragraph_zh


def test_the_carried_over_line_stands_alone():
    built = make({**FULL, "hazards_carried_over": 3})
    assert built.paragraphs_zh["safety"].endswith("总体整改率50%。另整改往年遗留隐患3处。")
    assert built.paragraphs_en["safety"].endswith(
        " 3 hazards carried over from earlier years were also rectified."
    )
    # Its hazards never enter the period's figures.
    assert built.totals["hazards_found"] == 4
    alone = make({"hazards_carried_over": 1}, request=request_of(year=2025, month=2))
    assert alone.paragraphs_zh["safety"] == "2月份整改前期遗留隐患1处。"
    assert alone.paragraphs_en["safety"] == (
        "In February 2025: 1 hazard carried over from before the period was rectified."
    )


def test_paragraphs_say_when_there_is_no_data():
    built = make({})
    assert built.paragraphs_zh == {
        "maintenance": "全年未记录路况普查、养护作业和道路巡查。",
        "safety": "全年未记录安全隐患自查，未发现安全隐患。",
    }
    assert built.paragraphs_en == {
        "maintenance": "In 2025: no survey, repair or road patrol recorded.",
        "safety": "In 2025: no safety self-inspection recorded, no safety hazard found.",
    }


def test_paragraphs_leave_out_what_has_no_record():
    built = make({"slope_area_m2": Decimal("100"), "patrols": 2, "patrol_days": 1})
    assert built.paragraphs_zh["maintenance"] == (
        "全年完成整修边坡0.01万平方米；开展道路巡查2次（1天）。"
    )
    assert built.paragraphs_en["maintenance"] == (
        "In 2025: slope repair 0.01 × 10,000 m² (100.0 m²); 2 road patrols on 1 days."
    )
    only_routine = make({"inspections": 1, "inspections_routine": 1})
    assert only_routine.paragraphs_zh["safety"] == "全年共计开展安全隐患自查1次，未发现隐患。"
    assert only_routine.paragraphs_en["safety"] == (
        "In 2025: 1 safety self-inspection held, no hazard found."
    )


def test_paragraph_scope_for_a_road_a_month_and_a_range():
    road = make(FULL, request=request_of(year=2025, road="G30"))
    assert road.paragraphs_zh["maintenance"].startswith("G30全年组织路况普查1次，完成")
    assert road.paragraphs_en["safety"].startswith("In 2025 on G30: ")
    month = make(FULL, request=request_of(year=2025, month=5))
    assert month.paragraphs_zh["safety"].startswith("5月份通过")
    assert month.paragraphs_en["maintenance"].startswith("In May 2025: ")
    ranged = make(FULL, request=request_of(**{"from": "2025-03-01", "to": "2025-06-30"}))
    assert ranged.paragraphs_zh["maintenance"].startswith("2025年3月1日至2025年6月30日组织")
    assert "（整改情况截至2025年6月30日）" in ranged.paragraphs_zh["safety"]


def test_paragraph_groups_roads_by_survey():
    spring = RoadCondition(
        "S21", "down", 5, "春季调查", date(2025, 4, 30), 1000.0, 91.0, None, 100.0
    )
    built = make(FULL, conditions=[G30_UP, spring])
    assert built.paragraphs_zh["maintenance"].endswith(
        "根据春季调查（2025年4月30日结束），S21下行PCI为91.00、SCI未评定、优良路率为100%；"
        "根据2025年路况调查（2025年10月31日结束），G30上行PCI为82.09、SCI为98.33、优良路率为66.7%。"
    )
    assert built.paragraphs_en["maintenance"].endswith(
        "Pavement condition survey “春季调查” (ended 2025-04-30): S21 down PCI 91.00,"
        " SCI not assessed, excellent or good 100%. Pavement condition survey “2025年路况调查”"
        " (ended 2025-10-31): G30 up PCI 82.09, SCI 98.33, excellent or good 66.7%."
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("100.0"), "100"), (Decimal("96.5"), "96.5"), (Decimal("0.0"), "0"), (None, "—")],
)
def test_percent_text(value, text):
    assert annual.percent_text(value) == text


# --------------------------------------------------------------------------- tables and JSON


def test_totals_table_numbers_and_text():
    built = make(FULL, previous={"shoulder_area_m2": Decimal("10000"), "patrols": 5})
    table = annual.totals_table(built, "en")
    assert table.headers[:6] == [
        "Figure",
        "Unit",
        "This period",
        "Previous year",
        "Difference",
        "Change (%)",
    ]
    rows = {row[-1]: row for row in table.values()}
    assert rows["shoulder_area_10k_m2"][2:6] == [1.63, 1.0, 0.63, 63.0]
    assert rows["patrols"][2:6] == [4, 5, -1, -20.0]
    assert rows["rectification_rate"][2:6] == [50.0, None, None, None]
    shown = {cells[-1].text: [c.text for c in cells] for cells in table.display()}
    assert shown["shoulder_area_m2"][2:6] == ["16,250.0", "10,000.0", "+6,250.0", "+62.5"]
    assert shown["patrols"][2:6] == ["4", "5", "−1", "−20.0"]
    assert shown["rectification_rate"][2:6] == ["50.0", "—", "—", "—"]
    assert shown["slope_area_m2"][1] == "m²"


def test_breakdown_headers_and_chinese_tables():
    built = make(FULL, by_road={"G30": FULL})
    table = annual.by_road_table(built, "zh_CN")
    assert table.title == "按路线"
    assert table.headers[:2] == ["路线", "整修路肩面积（平方米）"]
    assert table.values()[0][:2] == ["G30", 16250.0]
    sheets = annual.xlsx_sheets(built, "zh_CN")
    assert [sheet[0] for sheet in sheets] == ["合计", "按路线", "按月份", "材料", "路况", "说明"]
    about = dict(sheets[-1][2])
    assert about["安全生产段落（中文）"] == built.paragraphs_zh["safety"]
    assert about["自查整改率（%）"].startswith("自查整改率 = ")
    assert "安全隐患自查次数（次）" not in table.headers  # inspections are not a road's
    assert "安全隐患自查次数（次）" in annual.by_month_table(built, "zh_CN").headers


def test_road_condition_table():
    table = annual.road_condition_table(make(conditions=[G30_UP]), "zh_CN")
    assert table.values() == [
        ["G30", "上行", "2025年路况调查", date(2025, 10, 31), 3.0, 82.09, 98.33, 66.7, "良", ""]
    ]
    assert table.display()[0][3].text == "2025-10-31"


def test_json_names_unit_and_definition_of_every_figure():
    body = annual.as_json(make(FULL, conditions=[G30_UP]))
    assert [f["key"] for f in body["figures"]] == list(annual.TOTAL_KEYS)
    for figure in body["figures"]:
        assert figure["unit"] in body["units"]
        assert figure["definition"] in body["definitions"]
    rate = next(f for f in body["figures"] if f["key"] == "rectification_rate")
    assert rate["value"] == 50.0 and isinstance(rate["value"], float)
    assert body["period"] == {
        "kind": "year",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "year": 2025,
        "month": None,
    }
    assert body["cutoff"] == "2025-12-31"
    assert body["road_condition"][0]["figures"][1]["value"] == 82.09
    assert body["definitions"]["rectification_rate"]["zh"].startswith("总体整改率 = ")
    assert body["paragraphs"]["safety"]["zh"].startswith("全年通过季节性检查1次等方式")


# --------------------------------------------------------------------------- charts


@pytest.mark.parametrize(
    ("maximum", "step"), [(0, 1.0), (7, 2), (40, 10), (16_250, 5000), (0.3, 0.1)]
)
def test_nice_step(maximum, step):
    assert annual.nice_step(maximum) == pytest.approx(step)


def test_stacked_month_chart():
    built = make(
        FULL,
        by_month={
            "2025-03": {"shoulder_area_m2": Decimal("300"), "slope_area_m2": Decimal("100")},
            "2025-12": {"shoulder_area_m2": Decimal("200")},
        },
    )
    chart = annual.month_chart(built, "repair_area", "zh_CN")
    assert not chart.empty
    assert [bar.css for bar in chart.bars] == ["bar-shoulder", "bar-slope", "bar-shoulder"]
    march_shoulder, march_slope, _ = chart.bars
    # Stacked: the slope bar sits on the shoulder bar, three times shorter.
    assert march_slope.y + march_slope.height == pytest.approx(march_shoulder.y)
    assert march_shoulder.height == pytest.approx(3 * march_slope.height, abs=0.02)
    assert march_shoulder.y + march_shoulder.height == pytest.approx(chart.plot_bottom)
    assert [tick.label for tick in chart.ticks] == ["0", "100", "200", "300", "400"]
    assert [label.label for label in chart.labels][:3] == ["1月", "2月", "3月"]
    assert march_shoulder.title == "2025年3月 整修路肩面积: 300.0 平方米"


def test_side_by_side_and_empty_charts():
    built = make(FULL, by_month={"2025-06": {"hazards_found": 3, "hazards_closed": 1}})
    chart = annual.month_chart(built, "hazards", "en")
    found, closed = chart.bars
    assert found.x + found.width == pytest.approx(closed.x, abs=0.02)
    assert found.height == pytest.approx(3 * closed.height, abs=0.02)
    assert chart.legend == (
        ("bar-found", "Hazards found (every source)"),
        ("bar-closed", "Hazards closed by the cut-off"),
    )
    assert annual.month_chart(make({}), "patrols", "en").empty


# --------------------------------------------------------------------------- rolling groups up


def test_roll_up_adds_groups_and_counts_days_distinct():
    rolled = annual.roll_up(
        [
            annual.Group("G30", "2025-01", {"shoulder_area_m2": Decimal("1.5"), "patrols": 0}),
            annual.Group("G30", "2025-02", {"shoulder_area_m2": Decimal("2.25")}),
            annual.Group("S21", "2025-01", {"slope_area_m2": None, "findings": 2}),
            annual.Group("G30", "2025-01", {"patrols": 2, "patrol_km": None}, days=[1, 2]),
            annual.Group("S21", "2025-01", {"patrols": 1, "patrol_km": Decimal(5)}, days=[2]),
            annual.Group("S21", "2025-02", {"patrols": 1, "patrol_km": Decimal(3)}, days=[40]),
        ]
    )
    assert rolled.total == {
        "shoulder_area_m2": Decimal("3.75"),
        "patrols": 4,
        "findings": 2,
        "patrol_km": Decimal(8),
        "patrol_days": 3,
    }
    assert rolled.by_road["G30"]["patrol_days"] == 2
    assert rolled.by_road["S21"]["patrol_days"] == 2
    assert "patrol_km" not in rolled.by_road["G30"]  # nothing summed: absent, not 0
    assert "slope_area_m2" not in rolled.by_road["S21"]
    assert rolled.by_month["2025-01"]["patrol_days"] == 2  # days 1 and 2, whichever road
    assert rolled.by_month["2025-02"] == {
        "shoulder_area_m2": Decimal("2.25"),
        "patrols": 1,
        "patrol_km": Decimal(3),
        "patrol_days": 1,
    }


def test_month_and_day_boundaries():
    from inspection.reports.annual import queries

    ranged = Period(date(2025, 11, 20), date(2026, 1, 10))
    assert queries.month_starts(ranged) == [
        date(2025, 11, 20),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 1, 11),
    ]
    assert len(queries.month_starts(Period.for_year(2025))) == 13
    days = queries.day_starts(Period.for_year(2024, 2))
    assert (days[0], days[-1], len(days)) == (date(2024, 2, 1), date(2024, 3, 1), 30)
    params = queries.period_params(
        ranged, timezone="Asia/Urumqi", road_ids=None, cutoff=date(2026, 1, 10)
    )
    assert params["month_first_days"] == [1, 12, 43, 53]
    assert params["cutoff_after_at"].isoformat() == "2026-01-11T00:00:00"
    assert "road_ids" not in params


@pytest.mark.parametrize(
    ("value", "decimals", "locale", "label"),
    [
        (0, 0, "en", "0"),
        (5000, 0, "en", "5,000"),
        (50_000, 0, "en", "50k"),
        (1_500_000, 0, "en", "1.5M"),
        (5000, 0, "zh_CN", "5,000"),
        (1_500_000, 0, "zh_CN", "150万"),
        (0.2, 1, "en", "0.2"),
    ],
)
def test_tick_labels_stay_short(value, decimals, locale, label):
    assert annual.tick_label(value, decimals, locale) == label
