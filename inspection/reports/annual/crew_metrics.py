"""Name the report's crew-safety figures once (岗前培训, 出车前检查, 作业区): labels, units,
definitions.

Pure and light (no model imported): the layout, the API and the exports read it; the figures
themselves are computed by :mod:`.crew_figures`.
"""

from __future__ import annotations

from collections.abc import Mapping

from inspection.reports.annual.metrics import Metric, Words

CREW_DEFINITIONS: Mapping[str, Words] = {
    "crew_briefings": Words(
        "岗前5分钟安全培训次数 = 本期（按本地日期）召开的培训记录数，不含作废记录；"
        "人次 = 这些培训的参加人员记录数（同一人参加多次按多人次计）。",
        "5-minute pre-shift safety briefings held in the period (local day), voided ones"
        " excluded; attendances = their attendee rows (someone at two briefings counts twice).",
    ),
    "crew_pretrip_checks": Words(
        "出车前检查车次 = 检查日期（本地日期）在本期内的出车前检查记录数，不含作废记录；"
        "不合格后的复检另计一车次。",
        "Pre-trip checks of a vehicle and its driver dated in the period (the local day they"
        " count for), voided ones excluded; a re-check after a failed one is another check.",
    ),
    "crew_health_tests": Words(
        "每次出车前检查对驾驶员测试一次酒精含量和血压，测试人次即检查车次；"
        "不合格 = 酒精含量达到饮酒驾车标准（按检查当时的阈值），或血压达到不适宜驾驶的阈值；"
        "测试值过保留期删除后仍保留合格与否。",
        "Each pre-trip check tests the driver's breath alcohol and blood pressure once, so the"
        " tests are the checks; failed = alcohol at or above the drink-driving level, or blood"
        " pressure at or above the unfit threshold (the thresholds of that day); the result is"
        " kept when the readings are erased after the retention period.",
    ),
    "crew_zones": Words(
        "作业区安全布设处数 = 本期（按本地日期）设置的施工作业区记录数，不含作废记录；"
        "设置防闯入报警 = 布设设备中有声光报警锥桶或车载雷达防闯入设备。",
        "Work zones set up in the period (local day), voided ones excluded; with an intrusion"
        " alarm = its devices include sound-and-light alarm cones or a vehicle-mounted"
        " intrusion radar.",
    ),
    "crew_unzoned": Words(
        "本期完工的高速公路（技术等级为高速公路的路线）养护作业记录数，不含作废记录；"
        "未记录作业区布设 = 其中没有关联任何有效（未作废）施工作业区记录的，不论作业区何时设置。",
        "Repairs completed in the period on expressways (roads of the class expressway), voided"
        " ones excluded; without a work-zone record = of those, the ones no non-voided work zone"
        " is linked to (whenever it was set up).",
    ),
}


def _f(key, zh, en, unit, definition) -> tuple[str, Metric]:
    return key, Metric(key, zh, en, unit, 0, definition, False)


# fmt: off
CREW_METRICS: Mapping[str, Metric] = dict(
    [
        _f("crew_briefings", "岗前5分钟安全培训", "Pre-shift safety briefings", "times",
           "crew_briefings"),
        _f("crew_briefing_attendances", "岗前培训参加人次", "Briefing attendances",
           "attendance", "crew_briefings"),
        _f("crew_pretrip_checks", "出车前检查", "Pre-trip checks", "vehicle_check",
           "crew_pretrip_checks"),
        _f("crew_alcohol_tests", "酒精含量测试", "Breath-alcohol tests", "test",
           "crew_health_tests"),
        _f("crew_alcohol_failed", "其中酒精含量测试不合格", "Of which alcohol failed", "test",
           "crew_health_tests"),
        _f("crew_blood_pressure_tests", "血压测试", "Blood-pressure tests", "test",
           "crew_health_tests"),
        _f("crew_blood_pressure_failed", "其中血压测试不合格", "Of which blood pressure failed",
           "test", "crew_health_tests"),
        _f("crew_zones", "作业区安全布设", "Work zones set up", "site", "crew_zones"),
        _f("crew_zones_with_alarm", "其中设置防闯入报警", "Of which with an intrusion alarm",
           "site", "crew_zones"),
        _f("crew_zones_without_alarm", "其中未设置防闯入报警",
           "Of which without an intrusion alarm", "site", "crew_zones"),
        _f("crew_expressway_repairs", "高速公路养护作业", "Repairs on expressways", "repair",
           "crew_unzoned"),
        _f("crew_repairs_without_zone", "其中未记录作业区布设",
           "Of which without a work-zone record", "repair", "crew_unzoned"),
    ]
)
# fmt: on
CREW_KEYS: tuple[str, ...] = tuple(CREW_METRICS)

#: The report's tables of crew safety (present only when the report has the crews' figures).
CREW_TABLE_KEYS = ("crew", "crew_months", "crew_unzoned")
