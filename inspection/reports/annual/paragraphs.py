"""Write the work report's paragraphs (maintenance; safety; fleet) in Chinese and English.

One builder per paragraph reads a word table, :data:`ZH` or :data:`EN`, so both languages say
the same thing in the same order. The report's own structure, in its own wording:

* **maintenance** — 组织路况普查N次，完成整修路肩…，整修边坡…，处治坑槽…；开展道路巡查…，
  巡查发现病害…。 then the survey's road figures (PCI, SCI, 优良路率);
* **safety** — 通过季节性检查X次、专项检查Y次、特殊时段检查Z次、“回头看”W次等方式，共计开展安全
  隐患自查N次，发现并整改隐患M处，整改率R%（整改情况截至…）。 — the hazards the self-inspections
  found; then, as sentences of their own, hazards from every source with the overall rate, and
  hazards carried over from earlier years that were closed in the period; then, when recorded,
  the crews' pre-shift briefings, pre-trip checks and work zones (crew_paragraph.py).

Decisions:

* A clause or sentence is present only when its records exist; a paragraph with no record at
  all says so in one sentence (the report never prints "0 次").
* Kinds of inspection with none in the period are left out of the list. Routine inspections
  (日常检查) count in 自查N次 but are not named in the list: the work report's sentence names
  the four ways only, and "等方式" covers the rest. With routine inspections only, the list is
  left out.
* "发现并整改隐患M处" only when every hazard the self-inspections found was closed by the
  cut-off; otherwise "发现隐患M处，已整改K处". The cut-off is printed once, after the first rate.
* The sentence on hazards from every source is there only when some hazard came from another
  source than a self-inspection (otherwise it would repeat the first sentence).
* Percentages as Chinese reports write them, in both languages: 100%, 96.5% (no trailing .0).

These are the report's templates, not UI strings; they do not go through the message catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from inspection.reports.annual import crew_paragraph, fleet_paragraph, plan_paragraph
from inspection.reports.annual.metrics import (
    DIRECTION_WORDS,
    HAZARD_SOURCE_WORDS,
    INSPECTION_KIND_WORDS,
    Number,
    format_number,
    percent_text,
)
from inspection.reports.annual.request import en_date, zh_date

if TYPE_CHECKING:  # model.py imports this module for AnnualReport's paragraph methods
    from inspection.reports.annual.model import AnnualReport, RoadCondition

# The third (机务与应急, fleet_paragraph.py) only when the report has the fleet's figures.
PARAGRAPH_KEYS = ("maintenance", "safety", "fleet")
#: The ways of self-inspection the safety sentence names, in its order (not routine).
NAMED_KINDS = ("seasonal", "special", "special_period", "look_back")

ZH: Mapping[str, str] = {
    # scope and punctuation
    "scope_year": "全年",
    "scope_month": "{month}月份",
    "scope_range": "{start}至{end}",
    "scope_road": "{code}{scope}",
    "lead": "{scope}{text}",
    "clause": "，",
    "part": "；",
    "end": "。",
    "space": "",
    "list": "、",
    "list_last": "、",
    # maintenance
    "surveys": "组织路况普查{count}次",
    "repairs": "完成{parts}",
    "shoulder": "整修路肩{value}万平方米",
    "slope": "整修边坡{value}万平方米",
    "pothole": "处治坑槽{area}平方米（{count}处）",
    "pothole_no_count": "处治坑槽{area}平方米",
    "patrols": "开展道路巡查{count}次（{days}天），累计巡查里程{km}公里",
    "patrols_no_km": "开展道路巡查{count}次（{days}天）",
    "patrols_tracks": "其中按巡查轨迹计{km}公里",
    "coverage": "巡查覆盖率{rate}%",
    "findings": "巡查发现病害{count}处",
    "nothing_maintenance": "未记录路况普查、养护作业和道路巡查",
    "survey_intro": "根据{campaign}（{date}结束）",
    "survey_road": "{road}{direction}PCI为{pci}",
    "survey_no_pci": "{road}{direction}PCI未评定",
    "survey_sci": "、SCI为{sci}",
    "survey_no_sci": "、SCI未评定",
    "survey_eg": "、优良路率为{eg}%",
    "campaigns": "；",
    # safety
    "kind": "{kind}{count}次",
    "ways": "通过{kinds}等方式",
    "inspections": "共计开展安全隐患自查{count}次",
    "self_lead": "安全隐患自查",
    "hazards_all": "发现并整改隐患{found}处，整改率{rate}%",
    "hazards_some": "发现隐患{found}处，已整改{closed}处，整改率{rate}%",
    "hazards_none": "未发现隐患",
    "cutoff": "（整改情况截至{date}）",
    "source": "{source}{count}处",
    "overall_all": "各类来源共发现隐患{found}处（其中{sources}），已全部整改，总体整改率{rate}%",
    "overall_some": (
        "各类来源共发现隐患{found}处（其中{sources}），已整改{closed}处，总体整改率{rate}%"
    ),
    "carried_year": "另整改往年遗留隐患{count}处",
    "carried_period": "另整改前期遗留隐患{count}处",
    "carried_year_alone": "整改往年遗留隐患{count}处",
    "carried_period_alone": "整改前期遗留隐患{count}处",
    "nothing_safety": "未记录安全隐患自查，未发现安全隐患",
    **crew_paragraph.ZH,
    **fleet_paragraph.ZH,
    **plan_paragraph.ZH,
}

EN: Mapping[str, str] = {
    "scope_year": "In {year}",
    "scope_month": "In {month}",
    "scope_range": "From {start} to {end}",
    "scope_road": "{scope} on {code}",
    "lead": "{scope}: {text}",
    "clause": ", ",
    "part": "; ",
    "end": ".",
    "space": " ",
    "list": ", ",
    "list_last": " and ",
    "surveys": "{count} pavement condition surveys organised",
    "surveys_one": "1 pavement condition survey organised",
    "repairs": "{parts}",
    "shoulder": "shoulder repair {value} × 10,000 m² ({area} m²)",
    "slope": "slope repair {value} × 10,000 m² ({area} m²)",
    "pothole": "pothole treatment {area} m² ({count} potholes)",
    "pothole_no_count": "pothole treatment {area} m²",
    "patrols": "{count} road patrols on {days} days, {km} km patrolled",
    "patrols_no_km": "{count} road patrols on {days} days",
    "patrols_tracks": "{km} km of it from patrol tracks",
    "coverage": "patrol coverage rate {rate}%",
    "findings": "{count} distress findings recorded",
    "findings_one": "1 distress finding recorded",
    "nothing_maintenance": "no survey, repair or road patrol recorded",
    "survey_intro": "Pavement condition survey “{campaign}” (ended {date})",
    "survey_road": "{road} {direction} PCI {pci}",
    "survey_no_pci": "{road} {direction} PCI not assessed",
    "survey_sci": ", SCI {sci}",
    "survey_no_sci": ", SCI not assessed",
    "survey_eg": ", excellent or good {eg}%",
    "campaigns": ". ",
    "kind": "{kind} ({count})",
    "ways": "through {kinds}",
    "inspections": "{count} safety self-inspections held in all",
    "inspections_one": "1 safety self-inspection held",
    "self_lead": "self-inspections: ",
    "hazards_all": "{found} hazards found and rectified, rectification rate {rate}%",
    "hazards_all_one": "1 hazard found and rectified, rectification rate {rate}%",
    "hazards_some": "{found} hazards found, {closed} rectified, rectification rate {rate}%",
    "hazards_none": "no hazard found",
    "cutoff": " (rectification as of {date})",
    "source": "{count} from {source}",
    "overall_all": "Hazards from every source: {found} found ({sources}), all rectified,"
    " overall rectification rate {rate}%",
    "overall_some": "Hazards from every source: {found} found ({sources}), {closed} rectified,"
    " overall rectification rate {rate}%",
    "carried_year": "{count} hazards carried over from earlier years were also rectified",
    "carried_year_one": "1 hazard carried over from earlier years was also rectified",
    "carried_period": "{count} hazards carried over from before the period were also rectified",
    "carried_period_one": "1 hazard carried over from before the period was also rectified",
    "carried_year_alone": "{count} hazards carried over from earlier years were rectified",
    "carried_year_alone_one": "1 hazard carried over from earlier years was rectified",
    "carried_period_alone": "{count} hazards carried over from before the period were rectified",
    "carried_period_alone_one": "1 hazard carried over from before the period was rectified",
    "nothing_safety": "no safety self-inspection recorded, no safety hazard found",
    **crew_paragraph.EN,
    **fleet_paragraph.EN,
    **plan_paragraph.EN,
}

WORDS = {"zh": ZH, "en": EN}


class _Say:
    """The words and number formats of one language."""

    def __init__(self, language: str):
        self.language = language
        self.t = WORDS[language]
        self.zh = language == "zh"

    def __call__(self, key: str, count: Number | None = None, **values) -> str:
        """Return the words of `key` filled in; the ``_one`` variant when `count` is 1."""
        template = self.t.get(f"{key}_one") if count == 1 else None
        return (template or self.t[key]).format(count=self.number(count, 0), **values)

    def number(self, value: Number | None, decimals: int) -> str:
        return format_number(value, decimals, grouping=not self.zh)

    def date(self, day: date) -> str:
        return zh_date(day) if self.zh else en_date(day)

    def join(self, items: Sequence[str]) -> str:
        if len(items) < 2:
            return "".join(items)
        return self.t["list"].join(items[:-1]) + self.t["list_last"] + items[-1]

    def sentences(self, scope: str, bodies: Sequence[str]) -> str:
        """Return sentences, the first led by the scope (全年… / In 2025: …)."""
        first, *rest = bodies
        texts = [self.t["lead"].format(scope=scope, text=first), *rest]
        return self.t["space"].join(text + self.t["end"] for text in texts)


def paragraph(report: AnnualReport, key: str, language: str) -> str:
    """Return one paragraph (`key` of :data:`PARAGRAPH_KEYS`) in "zh" or "en"."""
    return _BUILDERS[key](report, _Say(language))


def _scope(report: AnnualReport, say: _Say) -> str:
    period = report.period
    if period.kind == "year":
        scope = say("scope_year", year=period.year)
    elif period.kind == "month":
        scope = say("scope_month", month=period.month if say.zh else period.label("en"))
    else:
        scope = say("scope_range", start=say.date(period.start), end=say.date(period.end))
    if report.request.road:
        scope = say("scope_road", scope=scope, code=report.request.road)
    return scope


# --------------------------------------------------------------------------- maintenance


def _maintenance(report: AnnualReport, say: _Say) -> str:
    figures = report.totals
    first: list[str] = []
    if figures["surveys"]:
        first.append(say("surveys", figures["surveys"]))
    repairs = []
    for kind in ("shoulder", "slope"):
        if figures[f"{kind}_area_m2"] is not None:
            repairs.append(
                say(
                    kind,
                    value=say.number(figures[f"{kind}_area_10k_m2"], 2),
                    area=say.number(figures[f"{kind}_area_m2"], 1),
                )
            )
    if figures["pothole_area_m2"] is not None:
        area = say.number(figures["pothole_area_m2"], 1)
        count = figures["pothole_count"]
        repairs.append(
            say("pothole", count, area=area) if count else say("pothole_no_count", area=area)
        )
    if repairs:
        first.append(say("repairs", parts=say.t["clause"].join(repairs)))
    second: list[str] = []
    if figures["patrols"]:
        key = "patrols" if figures["patrol_km"] is not None else "patrols_no_km"
        second.append(
            say(
                key,
                figures["patrols"],
                days=say.number(figures["patrol_days"], 0),
                km=say.number(figures["patrol_km"], 1),
            )
        )
        if figures["patrol_km_tracks"] is not None:
            second.append(say("patrols_tracks", km=say.number(figures["patrol_km_tracks"], 1)))
    if figures["coverage_rate"] is not None:
        second.append(say("coverage", rate=percent_text(figures["coverage_rate"])))
    if figures["findings"]:
        second.append(say("findings", figures["findings"]))
    groups = [say.t["clause"].join(group) for group in (first, second) if group]
    # The year's plan: 完成年度计划的N% per kind (plan_paragraph.py), only when there is a plan.
    plan = plan_paragraph.body(report, say)
    if plan:
        groups.append(plan)
    bodies = [say.t["part"].join(groups)] if groups else []
    if report.conditions:
        bodies.append(_survey(report, say))
    if not bodies:
        bodies = [say("nothing_maintenance")]
    if not groups:  # the survey sentence stands alone: it is not led by the scope
        return _scope_free(report, say, bodies)
    return say.sentences(_scope(report, say), bodies)


def _scope_free(report: AnnualReport, say: _Say, bodies: list[str]) -> str:
    if bodies == [say("nothing_maintenance")]:
        return say.sentences(_scope(report, say), bodies)
    return say.t["space"].join(body + say.t["end"] for body in bodies)


def _survey(report: AnnualReport, say: _Say) -> str:
    parts = []
    for (campaign, ends_on), conditions in _by_campaign(report.conditions):
        roads = [_road_condition(report, c, say) for c in conditions]
        ended = say.date(ends_on) if say.zh else ends_on.isoformat()
        intro = say("survey_intro", campaign=campaign, date=ended)
        parts.append(intro + (say.t["clause"] if say.zh else ": ") + say.t["part"].join(roads))
    return say.t["campaigns"].join(parts)


def _road_condition(report: AnnualReport, condition: RoadCondition, say: _Say) -> str:
    figures = report.condition_figures(condition)
    direction = DIRECTION_WORDS.get(condition.direction)
    # A PCI not measured is said so, never printed as a number (DESIGN §3b).
    text = say(
        "survey_road" if figures["survey_pci"] is not None else "survey_no_pci",
        road=condition.road,
        direction=getattr(direction, say.language) if direction else condition.direction,
        pci=say.number(figures["survey_pci"], 2),
    )
    if figures["survey_sci"] is None:
        text += say("survey_no_sci")
    else:
        text += say("survey_sci", sci=say.number(figures["survey_sci"], 2))
    if figures["survey_excellent_good_pct"] is not None:
        text += say("survey_eg", eg=percent_text(figures["survey_excellent_good_pct"]))
    return text


def _by_campaign(
    conditions: Sequence[RoadCondition],
) -> list[tuple[tuple[str, date], list[RoadCondition]]]:
    groups: dict[tuple[int, str, date], list[RoadCondition]] = {}
    for condition in conditions:
        key = (condition.campaign_id, condition.campaign, condition.ends_on)
        groups.setdefault(key, []).append(condition)
    ordered = sorted(groups.items(), key=lambda item: (item[0][2], item[0][0]))
    return [((name, ends_on), items) for (_, name, ends_on), items in ordered]


# --------------------------------------------------------------------------- safety


def _safety(report: AnnualReport, say: _Say) -> str:
    figures = report.totals
    cutoff = say("cutoff", date=say.date(report.cutoff))
    bodies: list[str] = []

    # 1. The self-inspections and the hazards they found (the seed's sentence).
    parts: list[str] = []
    kinds = [
        say(
            "kind",
            figures[f"inspections_{kind}"],
            kind=getattr(INSPECTION_KIND_WORDS[kind], say.language),
        )
        for kind in NAMED_KINDS
        if figures[f"inspections_{kind}"]
    ]
    if kinds:
        parts.append(say("ways", kinds=say.join(kinds)))
    if figures["inspections"]:
        parts.append(say("inspections", figures["inspections"]))
    found, closed = figures["self_hazards_found"], figures["self_hazards_closed"]
    if found:
        rate = percent_text(figures["self_rectification_rate"])
        key = "hazards_all" if closed == found else "hazards_some"
        hazards = say(
            key, found, found=say.number(found, 0), closed=say.number(closed, 0), rate=rate
        )
        hazards += cutoff
        cutoff = ""
        parts.append(hazards if figures["inspections"] else say("self_lead") + hazards)
    elif figures["inspections"]:
        parts.append(say("hazards_none"))
    if parts:
        bodies.append(say.t["clause"].join(parts))

    # 2. Hazards from every source, when some came from elsewhere.
    everything, closed_all = figures["hazards_found"], figures["hazards_closed"]
    if everything > found:
        sources = [
            say("source", figures[f"hazards_source_{source}"], source=getattr(words, say.language))
            for source, words in HAZARD_SOURCE_WORDS.items()
            if figures[f"hazards_source_{source}"]
        ]
        key = "overall_all" if closed_all == everything else "overall_some"
        bodies.append(
            say(
                key,
                found=say.number(everything, 0),
                closed=say.number(closed_all, 0),
                sources=say.join(sources),
                rate=percent_text(figures["rectification_rate"]),
            )
            + cutoff
        )

    # 3. Hazards carried over from earlier years, closed in the period: their own line.
    carried = figures["hazards_carried_over"]
    if carried:
        key = "carried_year" if report.period.kind == "year" else "carried_period"
        bodies.append(say(key if bodies else f"{key}_alone", carried))

    # 4. The crews' briefings, pre-trip checks and work zones (crew_paragraph.py), when recorded.
    crew = crew_paragraph.body(report, say)
    bodies = (bodies or [say("nothing_safety")]) + ([crew] if crew else [])
    return say.sentences(_scope(report, say), bodies)


_BUILDERS: Mapping[str, Callable[[AnnualReport, _Say], str]] = {
    "maintenance": _maintenance,
    "safety": _safety,
    "fleet": lambda report, say: fleet_paragraph.build(report, say, _scope(report, say)),
}
