"""Write the crew-safety sentence of the work report's safety paragraph, in both languages.

The words are merged into :data:`paragraphs.ZH` / :data:`paragraphs.EN`; :func:`body` returns
the sentence (without its full stop) that the safety paragraph adds after the hazards:

开展岗前5分钟安全培训N次、M人次；出车前检查N车次，酒精含量测试N人次（不合格K人次）、血压测试
N人次（均合格）；施工作业区安全布设N处（设置防闯入报警设备A处，未设置B处）；高速公路养护作业R处，
其中U处未记录作业区布设。

Each part is present only when its records exist (no "0 次" is printed); "不合格0" is said as
均合格, and the split of the zones as 均设置 / 均未设置 when one side is empty. No sentence at all
when the report has no crew figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inspection.reports.annual.model import AnnualReport

ZH = {
    "crew_briefings": "开展岗前5分钟安全培训{count}次、{people}人次",
    "crew_checks": "出车前检查{count}车次",
    "crew_alcohol": "酒精含量测试{count}人次",
    "crew_blood_pressure": "血压测试{count}人次",
    "crew_failed": "（不合格{count}人次）",
    "crew_all_passed": "（均合格）",
    "crew_tests": "{checks}，{alcohol}、{blood_pressure}",
    "crew_zones": "施工作业区安全布设{count}处",
    "crew_zones_split": "（设置防闯入报警设备{alarm}处，未设置{none}处）",
    "crew_zones_all_alarm": "（均设置防闯入报警设备）",
    "crew_zones_no_alarm": "（均未设置防闯入报警设备）",
    "crew_unzoned": "高速公路养护作业{count}处，其中{unzoned}处未记录作业区布设",
    "crew_all_zoned": "高速公路养护作业{count}处，均有作业区布设记录",
}

EN = {
    "crew_briefings": "5-minute pre-shift safety briefings {count}, attendances {people}",
    "crew_checks": "pre-trip checks {count}",
    "crew_alcohol": "breath-alcohol tests {count}",
    "crew_blood_pressure": "blood-pressure tests {count}",
    "crew_failed": " ({count} failed)",
    "crew_all_passed": " (all passed)",
    "crew_tests": "{checks}, {alcohol}, {blood_pressure}",
    "crew_zones": "work zones set up {count}",
    "crew_zones_split": " ({alarm} with an intrusion alarm, {none} without)",
    "crew_zones_all_alarm": " (all with an intrusion alarm)",
    "crew_zones_no_alarm": " (none with an intrusion alarm)",
    "crew_unzoned": "repairs on expressways {count}, {unzoned} of them without a work-zone record",
    "crew_all_zoned": "repairs on expressways {count}, all with a work-zone record",
}


def body(report: AnnualReport, say: Any) -> str | None:
    """Return the crew-safety sentence (no full stop), None without crew records."""
    crew = report.crew
    if crew is None:
        return None
    total = crew.total
    number = say.number
    parts: list[str] = []
    if total.briefings:
        parts.append(say("crew_briefings", total.briefings, people=number(total.attendances, 0)))
    if total.checks:

        def tested(key: str, failed: int) -> str:
            text = say(key, total.checks)
            if failed:
                return text + say("crew_failed", failed)
            return text + say("crew_all_passed")

        parts.append(
            say(
                "crew_tests",
                checks=say("crew_checks", total.checks),
                alcohol=tested("crew_alcohol", total.alcohol_failed),
                blood_pressure=tested("crew_blood_pressure", total.blood_pressure_failed),
            )
        )
    if total.zones:
        text = say("crew_zones", total.zones)
        if not total.zones_without_alarm:
            text += say("crew_zones_all_alarm")
        elif not total.zones_with_alarm:
            text += say("crew_zones_no_alarm")
        else:
            text += say(
                "crew_zones_split",
                alarm=number(total.zones_with_alarm, 0),
                none=number(total.zones_without_alarm, 0),
            )
        parts.append(text)
    if total.expressway_repairs:
        key = "crew_unzoned" if total.repairs_without_zone else "crew_all_zoned"
        parts.append(
            say(
                key,
                total.expressway_repairs,
                unzoned=number(total.repairs_without_zone, 0),
            )
        )
    if not parts:
        return None
    text = say.t["part"].join(parts)
    return text[0].upper() + text[1:] if not say.zh else text
