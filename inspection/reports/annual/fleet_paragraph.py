"""Write the work report's third paragraph, 机务与应急 (fleet and emergency), in both languages.

The words are merged into :data:`paragraphs.ZH` / :data:`paragraphs.EN`, and :func:`build` is
the paragraph's builder there, so it speaks as the other two paragraphs do. The paragraph:

1. the fleet — annual inspections due and done on time, units sealed, and the units in service
   with 机械车辆完好率 at the period end (and the mean of the month ends when there are two or
   more); "no unit registered" said plainly when the register is empty;
2. the drivers — N名驾驶员通过年审, those who did not pass, reviews overdue;
3. the emergency stock at the period end — lines held, and those below their minimum, by name.

A sentence is present only when its register holds something; no figure is ever made up. The
report leaves the whole paragraph out when all the registers are empty (``report.fleet`` None).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inspection.reports.annual.metrics import percent_text

if TYPE_CHECKING:
    from inspection.reports.annual.model import AnnualReport

ZH = {
    "fleet_inspections": "年检应检{due}台次，按期完成{on_time}台次，按期率{rate}%",
    "fleet_sealed": "封存车辆和机械{sealed}台（其中本期封存{sealings}台）",
    "fleet_sealed_before": "封存车辆和机械{sealed}台",
    "fleet_sealings": "本期封存车辆和机械{sealings}台",
    "fleet_state": "截至{date}在用机械车辆{in_service}台，完好{fit}台，机械车辆完好率{rate}%",
    "fleet_average": "（各月末平均{average}%）",
    "fleet_none_in_service": "截至{date}无在用机械车辆",
    "fleet_no_units": "未登记机械车辆",
    "drivers_passed": "{count}名驾驶员通过年审",
    "drivers_failed": "{count}名驾驶员年审未通过",
    "drivers_overdue": "{count}名驾驶员年审逾期",
    "drivers_none": "在册驾驶员{count}名，本期无年审记录",
    "stock": "截至{date}储备应急物资{lines}项（{depots}个储备点）",
    "stock_below": "，其中{count}项低于最低储备量（{items}）",
    "stock_ok": "，均不低于最低储备量",
    "stock_item": "{depot}{item}",
}

EN = {
    "fleet_inspections": "{due} annual inspections due, {on_time} done on time, on-time rate"
    " {rate}%",
    "fleet_sealed": "{sealed} units sealed ({sealings} of them in the period)",
    "fleet_sealed_before": "{sealed} units sealed",
    "fleet_sealed_before_one": "1 unit sealed",
    "fleet_sealings": "{sealings} units sealed in the period",
    "fleet_state": "on {date}, {in_service} units in service, {fit} fit, fleet fitness rate"
    " {rate}%",
    "fleet_average": " (mean of the month ends {average}%)",
    "fleet_none_in_service": "on {date}, no unit in service",
    "fleet_no_units": "no vehicle or machine registered",
    "drivers_passed": "{count} drivers passed their annual review",
    "drivers_passed_one": "1 driver passed the annual review",
    "drivers_failed": "{count} drivers did not pass",
    "drivers_failed_one": "1 driver did not pass",
    "drivers_overdue": "{count} drivers' reviews are overdue",
    "drivers_overdue_one": "1 driver's review is overdue",
    "drivers_none": "{count} drivers in the register, no review in the period",
    "stock": "Emergency stock on {date}: {lines} lines at {depots} depots",
    "stock_below": ", {count} below their minimum ({items})",
    "stock_ok": ", none below its minimum",
    "stock_item": "{item} at {depot}",
}


def build(report: AnnualReport, say: Any, scope: str) -> str:
    """Return the paragraph; `say` is the paragraphs' words of one language, `scope` its lead."""
    fleet = report.fleet
    figures = fleet.figures()
    day = say.date(fleet.as_of)
    number = say.number
    bodies: list[str] = []

    parts: list[str] = []
    if figures["fleet_inspections_due"]:
        parts.append(
            say(
                "fleet_inspections",
                due=number(figures["fleet_inspections_due"], 0),
                on_time=number(figures["fleet_inspections_on_time"], 0),
                rate=percent_text(figures["fleet_inspections_on_time_rate"]),
            )
        )
    sealed, sealings = figures["fleet_units_sealed"], figures["fleet_sealings"]
    if sealed and sealings:
        parts.append(say("fleet_sealed", sealed=number(sealed, 0), sealings=number(sealings, 0)))
    elif sealed:
        parts.append(say("fleet_sealed_before", sealed, sealed=number(sealed, 0)))
    elif sealings:
        parts.append(say("fleet_sealings", sealings=number(sealings, 0)))
    if fleet.units_registered and figures["fleet_units_in_service"]:
        state = say(
            "fleet_state",
            date=day,
            in_service=number(figures["fleet_units_in_service"], 0),
            fit=number(figures["fleet_units_fit"], 0),
            rate=percent_text(figures["fleet_fitness_rate"]),
        )
        measured = [m for m in fleet.months if m.fitness.in_service]
        if len(measured) > 1:
            average = percent_text(figures["fleet_fitness_rate_monthly"])
            state += say("fleet_average", average=average)
        parts.append(state)
    elif fleet.units_registered:
        parts.append(say("fleet_none_in_service", date=day))
    else:
        parts.append(say("fleet_no_units"))
    bodies.append(say.t["part"].join(parts))

    if fleet.drivers:
        passed, reviewed = figures["drivers_passed"], figures["drivers_reviewed"]
        drivers: list[str] = []
        if passed:
            drivers.append(say("drivers_passed", passed))
        if reviewed > passed:
            drivers.append(say("drivers_failed", reviewed - passed))
        if figures["drivers_review_overdue"]:
            drivers.append(say("drivers_overdue", figures["drivers_review_overdue"]))
        bodies.append(
            say.t["clause"].join(drivers) if drivers else say("drivers_none", fleet.drivers)
        )

    if fleet.stock:
        below = [s for s in fleet.stock if s.below_minimum]
        text = say(
            "stock",
            date=day,
            lines=number(len(fleet.stock), 0),
            depots=number(len({s.depot for s in fleet.stock}), 0),
        )
        if below:
            items = say.join([say("stock_item", depot=s.depot, item=s.item) for s in below])
            text += say("stock_below", len(below), items=items)
        else:
            text += say("stock_ok")
        bodies.append(text)

    return say.sentences(scope, bodies)
