"""Name the report's fleet and emergency figures once (机务与应急): labels, units, definitions.

Pure and light (no model imported): the layout, the API and the exports read it; the figures
themselves are computed by :mod:`.fleet_figures`.
"""

from __future__ import annotations

from collections.abc import Mapping

from inspection.reports.annual.metrics import Metric, Words

FLEET_DEFINITIONS: Mapping[str, Words] = {
    "fleet_fitness_rate": Words(
        "机械车辆完好率 = 期末完好的机械车辆台数 ÷ 期末在用机械车辆台数"
        "（完好 + 待修 + 维修中）× 100%；"
        "封存、报废的不计入；自登记日期起计入；期末为统计期最后一天（未到则为今天）当天结束时，"
        "状态按状态变更记录确定。"
        "无在用车辆时记为“—”。保留一位小数。",
        "Fleet fitness rate = units fit ÷ units in service (fit + defective + under repair) at the"
        " end of the period's last day (or today, if earlier) × 100 %; sealed and scrapped units"
        " are in neither; a unit counts from the day it entered the register; statuses are read"
        " from the status events. “—” when no unit is in service. One decimal.",
    ),
    "fleet_fitness_rate_monthly": Words(
        "各月末完好率的算术平均：每月在月末（统计期在月中结束的，在统计期最后一天）按上述口径计算，"
        "不含尚未到的月末和无在用车辆的月份。保留一位小数。",
        "Mean of the month-end rates: each month measured as above on its last day (the period's"
        " last day for a month it ends in); month ends still to come and months with no unit in"
        " service are left out. One decimal.",
    ),
    "fleet_units": Words(
        "期末处于该状态的机械车辆台数（按状态变更记录）。",
        "Units in this status at the end of the period (from the status events).",
    ),
    "fleet_sealings": Words(
        "本期内（截至期末）变更为封存的次数，即封存台账本期新增记录数。",
        "Status changes to sealed dated in the period (up to its end): the register of sealed"
        " units' new entries.",
    ),
    "fleet_inspections_due": Words(
        "年检到期日 = 上次合格年检日期（无则为登记日期）+ 该车型年检间隔天数（机务设置）；"
        "本期应检 = 到期日在本期内（截至期末）且当日在用的台次；"
        "按期 = 其中在到期日当天或之前合格年检的台次；"
        "不合格的年检不算完成。",
        "An annual inspection falls due the kind's interval (set by the branch) after the last one"
        " passed (or the day the unit was registered); due in the period = due days in the period"
        " (up to its end) of units in service that day; on time = of those, the ones passed on or"
        " before the due day. A failed inspection does not count.",
    ),
    "fleet_inspections_on_time_rate": Words(
        "年检按期率 = 按期完成年检台次 ÷ 本期应检台次 × 100%；无应检时记为“—”。",
        "Annual inspections on time ÷ due in the period × 100 %; “—” when none fell due.",
    ),
    "drivers": Words(
        "期末已登记的在册驾驶员人数（停用的不计）。",
        "Active drivers in the register at the end of the period.",
    ),
    "drivers_reviewed": Words(
        "本期内有年审记录的驾驶员人数；“通过年审”= 其中本期最后一次年审结果为通过的人数。",
        "Drivers with a review (年审) dated in the period; passed = those whose last review in"
        " the period was passed.",
    ),
    "drivers_review_due": Words(
        "期末年审逾期 = 上次通过年审已满一年；“未记录年审”和“上次未通过”分别计数。",
        "Overdue at the end of the period = last passed review more than a year before it;"
        " drivers with no review recorded and drivers whose last review failed are counted"
        " apart.",
    ),
    "stock": Words(
        "期末库存 = 各储备点各物资截至期末的出入库记录按方向求和"
        "（入库、归还为加，发放、报损为减）；"
        "低于最低储备 = 期末库存 < 现行最低储备量。",
        "Stock at the period end = the signed sum of each depot's item movements dated up to it"
        " (received and returned add, issued and written off take away); below minimum = stock"
        " < the minimum set now.",
    ),
}


def _f(key, zh, en, unit, decimals, definition) -> tuple[str, Metric]:
    return key, Metric(key, zh, en, unit, decimals, definition, False)


# fmt: off
FLEET_METRICS: Mapping[str, Metric] = dict(
    [
        _f("fleet_fitness_rate", "机械车辆完好率（期末）", "Fleet fitness rate (period end)",
           "percent", 1, "fleet_fitness_rate"),
        _f("fleet_fitness_rate_monthly", "机械车辆完好率（月末平均）",
           "Fleet fitness rate (mean of month ends)", "percent", 1,
           "fleet_fitness_rate_monthly"),
        _f("fleet_units_in_service", "在用机械车辆", "Units in service", "vehicle", 0,
           "fleet_units"),
        _f("fleet_units_fit", "其中完好", "Of which fit", "vehicle", 0, "fleet_units"),
        _f("fleet_units_defective", "其中待修", "Of which defective", "vehicle", 0, "fleet_units"),
        _f("fleet_units_under_repair", "其中维修中", "Of which under repair", "vehicle", 0,
           "fleet_units"),
        _f("fleet_units_sealed", "封存机械车辆（期末）", "Units sealed (period end)", "vehicle", 0,
           "fleet_units"),
        _f("fleet_sealings", "本期封存", "Sealed in the period", "vehicle", 0, "fleet_sealings"),
        _f("fleet_inspections_due", "年检应检", "Annual inspections due", "vehicle_times", 0,
           "fleet_inspections_due"),
        _f("fleet_inspections_on_time", "年检按期完成", "Annual inspections on time",
           "vehicle_times", 0, "fleet_inspections_due"),
        _f("fleet_inspections_on_time_rate", "年检按期率", "Annual inspections on time (rate)",
           "percent", 1, "fleet_inspections_on_time_rate"),
        _f("drivers", "在册驾驶员", "Drivers in the register", "person", 0, "drivers"),
        _f("drivers_reviewed", "本期年审驾驶员", "Drivers reviewed", "person", 0,
           "drivers_reviewed"),
        _f("drivers_passed", "通过年审驾驶员", "Drivers who passed the review", "person", 0,
           "drivers_reviewed"),
        _f("drivers_review_overdue", "年审逾期驾驶员（期末）", "Reviews overdue (period end)",
           "person", 0, "drivers_review_due"),
        _f("drivers_review_never", "未记录年审驾驶员", "Drivers with no review recorded",
           "person", 0, "drivers_review_due"),
        _f("drivers_review_failed", "上次年审未通过驾驶员", "Drivers whose last review failed",
           "person", 0, "drivers_review_due"),
        _f("stock_lines", "应急物资储备（储备点×物资）", "Emergency stock lines (depot × item)",
           "item", 0, "stock"),
        _f("stock_below_minimum", "低于最低储备", "Stock lines below minimum", "item", 0, "stock"),
    ]
)
# fmt: on
FLEET_KEYS: tuple[str, ...] = tuple(FLEET_METRICS)

#: The report's tables of the fleet (present only when the report has the fleet's figures).
FLEET_TABLE_KEYS = (
    "fleet",
    "fleet_groups",
    "fleet_months",
    "fleet_due",
    "fleet_reviews",
    "supplies",
)

#: Unit kinds (fleet.kinds.VehicleKind) in the report's words.
KIND_WORDS: Mapping[str, Words] = {
    "patrol_vehicle": Words("巡查车", "patrol vehicles"),
    "truck": Words("货车（工程车）", "trucks"),
    "loader": Words("装载机", "loaders"),
    "grader": Words("平地机", "graders"),
    "snow_plough": Words("除雪车", "snow ploughs"),
    "roller": Words("压路机", "rollers"),
    "sweeper": Words("清扫车", "sweepers"),
    "generator": Words("发电机", "generators"),
    "other": Words("其他机械", "other machines"),
}
#: Driver review states (fleet.driver_due) the report lists.
REVIEW_STATE_WORDS: Mapping[str, Words] = {
    "overdue": Words("年审逾期", "review overdue"),
    "failed": Words("上次年审未通过", "last review not passed"),
    "never": Words("未记录年审", "no review recorded"),
}
#: A stock quantity column (two decimals, in the item's own unit).
STOCK_QUANTITY = Metric("stock_quantity", "数量", "Quantity", "item", 2, "stock", False)
