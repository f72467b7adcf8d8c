"""Build the annual maintenance report from aggregates (DESIGN §5): pure, no Flask, no database.

Aggregates come in (sums and counts that ``queries.py`` asks PostgreSQL for at request time); the
report comes out: the figures rounded as the report states them, the previous-year comparison,
the breakdowns by road and by month, the month charts' geometry, the export tables and the
paragraph in the report's own Chinese wording (and an English version).

One table, :data:`METRICS`, names every figure once: its key, Chinese and English label, unit,
decimals and definition. The screen, the JSON API, the CSV, the XLSX and the paragraph all read it.

Decisions (also stated in :data:`DEFINITIONS`, which the API and the exports carry):

* **Period.** A calendar year by default, or one month of it, or any date range (``from``/``to``,
  both inclusive, at most ten years). Dates count in the branch's time zone (``BRANCH_TIMEZONE``);
  a repair's completion date is already a local date, timestamps (patrol start, finding observed,
  hazard found/closed) are converted with ``AT TIME ZONE`` in SQL. The previous period is the same
  dates one year earlier (29 February becomes 28 February).
* **Cut-off** (rectification, DESIGN §4). Hazards found in the period and closed (verified, 销号) by
  the end of the cut-off day ÷ hazards found in the period × 100 %. The cut-off defaults to the end
  of the period, or today when that is earlier; it may be given (not before the period starts, not
  after today). The previous period's cut-off lies the same distance after its own start. "Closed"
  is read from the hazard as it stands: a hazard reopened since counts as not closed. "Overdue" =
  found in the period, not closed by the cut-off and its deadline before the cut-off day.
  The rate is shown with one decimal and as "—" (not 0 %) when no hazard was found.
* **Patrols** are road patrols (routine, special, night); safety self-inspections (a patrol of kind
  ``safety_inspection``) are counted on their own. Days = distinct local days on which a road
  patrol started. Distance = the sum of the patrols' kilometres (typed or derived from the stakes).
* **Voided records** (repairs, patrols, findings) are excluded everywhere. Hazards cannot be voided.
* **No data is not zero.** A sum over no records is *absent* (``None``): tables show "—", the
  paragraph says that nothing was recorded. A count of nothing is 0 in tables, and the paragraph
  again says that nothing was recorded rather than printing 0.
* **Rounding** is half up on exact sums (SQL adds areas as whole 0.01 m², distances as whole
  metres, material quantities as thousandths, so no binary fraction decides a half): m² to 0.1,
  万m² (= m² ÷ 10 000) to 0.01 (the nearest 100 m²), km to 0.1, materials to 0.01, PCI and SCI
  to 0.01, percentages to 0.1. Differences and changes in the comparison are computed from the
  rounded figures, so the table adds up as printed.
* **Road condition** comes from the latest pavement condition survey campaign that ended within
  the period (per road and direction); without one the figures are absent and the paragraph says
  there was no survey.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from inspection.errors import N_, ValidationError
from inspection.repairs.rules import MATERIAL_UNITS

Number = Decimal | int

# --------------------------------------------------------------------------- words


@dataclass(frozen=True, slots=True)
class Words:
    """A term in Simplified Chinese and English (the report's two languages)."""

    zh: str
    en: str

    def pick(self, locale: str) -> str:
        """Return the word for a locale (Chinese for any ``zh*``)."""
        return self.zh if is_chinese(locale) else self.en


def is_chinese(locale: str | None) -> bool:
    return (locale or "").lower().startswith("zh")


#: Units the figures are stated in (the report's wording, not the UI catalogue).
UNITS: Mapping[str, Words] = {
    "m2": Words("平方米", "m²"),
    "10k_m2": Words("万平方米", "10,000 m²"),
    "site": Words("处", "sites"),
    "times": Words("次", "count"),
    "day": Words("天", "days"),
    "km": Words("公里", "km"),
    "percent": Words("%", "%"),
    "index": Words("分", "points"),
    "material": Words("按材料", "per material"),
}

#: Definition key → the rule a figure follows. The API and the exports carry these texts.
DEFINITIONS: Mapping[str, Words] = {
    "repair_area": Words(
        "本期完工（完工日期为本地日期）的该类养护作业面积之和，不含作废记录；按精确和四舍五入到0.1平方米。",
        "Sum of the areas of repairs of this kind completed in the period (the completion date is a"
        " local date), voided repairs excluded; the exact sum rounded half up to 0.1 m².",
    ),
    "repair_area_10k": Words(
        "同上面积 ÷ 10000，四舍五入保留两位小数（即精确到100平方米）。",
        "The same area ÷ 10,000, rounded half up to two decimals (to the nearest 100 m²).",
    ),
    "pothole_count": Words(
        "本期完工的坑槽处治记录所填坑槽数之和，不含作废记录。",
        "Sum of the numbers of potholes on pothole treatments completed in the period, voided"
        " repairs excluded.",
    ),
    "material_quantity": Words(
        "本期完工的养护作业所用材料，按材料名称和计量单位分别求和，不含作废记录；保留两位小数。",
        "Materials used by repairs completed in the period, summed per name and unit, voided"
        " repairs excluded; two decimals.",
    ),
    "patrols": Words(
        "本期（按本地时间的出发日期）开始的道路巡查（日常、特殊、夜间巡查）次数，不含作废记录和安全隐患自查。",
        "Road patrols (routine, special, night) started in the period (local day of the start),"
        " voided patrols and safety self-inspections excluded.",
    ),
    "patrol_days": Words(
        "开展道路巡查的不同本地日期天数。",
        "Number of distinct local days on which a road patrol started.",
    ),
    "patrol_km": Words(
        "上述巡查的巡查里程之和（填写的里程或按起止桩号推算）；未记录里程的巡查不计入。",
        "Sum of those patrols' distances (typed, or derived from the start and end stakes);"
        " patrols without a distance add nothing.",
    ),
    "safety_inspections": Words(
        "本期开始的安全隐患自查次数，不含作废记录。",
        "Safety self-inspections started in the period, voided ones excluded.",
    ),
    "findings": Words(
        "本期（按本地时间的发现时刻）记录的病害数，不含作废记录。",
        "Findings observed in the period (local day of the observation), voided findings excluded.",
    ),
    "findings_kind": Words(
        "同上，按病害类型分列。",
        "The same, for one kind of finding.",
    ),
    "hazards_found": Words(
        "本期（按本地时间的发现时刻）发现的安全隐患数。",
        "Safety hazards found in the period (local day of the finding).",
    ),
    "hazards_closed": Words(
        "其中截止日期当天结束前已复查销号的隐患数；销号后又重新打开的不计。",
        "Of those, the hazards closed (verified) by the end of the cut-off day; a hazard reopened"
        " since counts as not closed.",
    ),
    "hazards_open": Words(
        "其中截至截止日期仍未销号的隐患数。",
        "Of those, the hazards not closed by the cut-off day.",
    ),
    "hazards_overdue": Words(
        "其中截至截止日期仍未销号且已超过整改期限的隐患数。",
        "Of those, the hazards not closed by the cut-off day whose deadline was before it.",
    ),
    "rectification_rate": Words(
        "整改率 = 本期发现且截止日期前已销号的隐患数 ÷ 本期发现的隐患数 × 100%，保留一位小数；"
        "本期未发现隐患时记为“—”。",
        "Rectification rate = hazards found in the period and closed by the cut-off day ÷ hazards"
        " found in the period × 100 %, one decimal; “—” when none were found.",
    ),
    "survey_pci": Words(
        "本期结束的最近一次路况调查中，该路线该方向各评定单元PCI的长度加权平均"
        "（JTG 5210-2018），保留两位小数。",
        "Length-weighted mean of the unit PCIs of the latest pavement condition survey that ended"
        " in the period, per road and direction (JTG 5210-2018); two decimals.",
    ),
    "survey_sci": Words(
        "同一次调查各评定单元SCI的长度加权平均；该次调查未记录任何路基项目时为未评定。",
        "Length-weighted mean of the unit SCIs of the same survey; absent when the survey"
        " recorded no subgrade item at all.",
    ),
    "survey_excellent_good": Words(
        "同一次调查中PCI评为优、良的评定单元长度占有PCI的单元总长度的百分比，保留一位小数。",
        "Share of the length of units whose PCI grades excellent or good, in % of the length with"
        " a PCI; one decimal.",
    ),
    "survey_length": Words(
        "同一次调查该路线该方向的评定单元长度之和。",
        "Total length of that survey's evaluation units on the road and direction.",
    ),
}


@dataclass(frozen=True, slots=True)
class Metric:
    """One figure of the report: the single description every output reads."""

    key: str
    zh: str
    en: str
    unit: str  # key of UNITS
    decimals: int
    definition: str  # key of DEFINITIONS
    compare: bool = True  # listed in the previous-year comparison

    def label(self, locale: str) -> str:
        return self.zh if is_chinese(locale) else self.en

    def unit_text(self, locale: str) -> str:
        return UNITS[self.unit].pick(locale)

    def header(self, locale: str) -> str:
        """Return the label with its unit, as a column header: 整修路肩面积（平方米）."""
        unit = self.unit_text(locale)
        if is_chinese(locale):
            return f"{self.zh}（{unit}）"
        return f"{self.en} ({unit})"


#: Finding kinds in the order of ``inspection.patrols.kinds.FINDING_KINDS`` (which the check
#: constraint on ``findings.kind`` lists), with the report's words.
FINDING_KIND_WORDS: Mapping[str, Words] = {
    "pavement_distress": Words("路面病害", "pavement distress"),
    "pothole": Words("坑槽", "potholes"),
    "shoulder_damage": Words("路肩损坏", "shoulder damage"),
    "slope_damage": Words("边坡损坏", "slope damage"),
    "drainage": Words("排水设施", "drainage"),
    "roadside_facility": Words("沿线设施", "roadside facilities"),
    "safety_hazard": Words("安全隐患", "safety hazards"),
}


def _m(key, zh, en, unit, decimals, definition, compare=True) -> tuple[str, Metric]:
    return key, Metric(key, zh, en, unit, decimals, definition, compare)


# fmt: off
METRICS: Mapping[str, Metric] = dict(
    [
        _m("shoulder_area_m2", "整修路肩面积", "Shoulder repair area", "m2", 1, "repair_area"),
        _m("shoulder_area_10k_m2", "整修路肩面积", "Shoulder repair area", "10k_m2", 2,
           "repair_area_10k"),
        _m("slope_area_m2", "整修边坡面积", "Slope repair area", "m2", 1, "repair_area"),
        _m("slope_area_10k_m2", "整修边坡面积", "Slope repair area", "10k_m2", 2,
           "repair_area_10k"),
        _m("pothole_area_m2", "处治坑槽面积", "Pothole treatment area", "m2", 1, "repair_area"),
        _m("pothole_count", "处治坑槽数量", "Potholes treated", "site", 0, "pothole_count"),
        _m("patrols", "道路巡查次数", "Road patrols", "times", 0, "patrols"),
        _m("patrol_days", "巡查天数", "Days patrolled", "day", 0, "patrol_days"),
        _m("patrol_km", "巡查里程", "Distance patrolled", "km", 1, "patrol_km"),
        _m("safety_inspections", "安全隐患自查次数", "Safety self-inspections", "times", 0,
           "safety_inspections"),
        _m("findings", "发现病害", "Findings", "site", 0, "findings"),
        *(
            _m(f"findings_{kind}", f"发现病害：{words.zh}", f"Findings: {words.en}", "site", 0,
               "findings_kind")
            for kind, words in FINDING_KIND_WORDS.items()
        ),
        _m("hazards_found", "发现安全隐患", "Hazards found", "site", 0, "hazards_found"),
        _m("hazards_closed", "截止日期前已销号", "Hazards closed by the cut-off", "site", 0,
           "hazards_closed"),
        _m("hazards_open", "截至截止日期未销号", "Hazards still open at the cut-off", "site", 0,
           "hazards_open"),
        _m("hazards_overdue", "截至截止日期逾期未整改", "Hazards overdue at the cut-off", "site", 0,
           "hazards_overdue"),
        _m("rectification_rate", "整改率", "Rectification rate", "percent", 1,
           "rectification_rate"),
        _m("material_quantity", "材料用量", "Quantity used", "material", 2, "material_quantity",
           compare=False),
        _m("survey_length_km", "评定里程", "Length evaluated", "km", 3, "survey_length",
           compare=False),
        _m("survey_pci", "路面损坏状况指数PCI", "Pavement condition index PCI", "index", 2,
           "survey_pci", compare=False),
        _m("survey_sci", "路基技术状况指数SCI", "Subgrade condition index SCI", "index", 2,
           "survey_sci", compare=False),
        _m("survey_excellent_good_pct", "优良路率", "Excellent-or-good share", "percent", 1,
           "survey_excellent_good", compare=False),
    ]
)
# fmt: on

#: Figures of the period's totals, in the order the report lists them.
TOTAL_KEYS: tuple[str, ...] = tuple(key for key, metric in METRICS.items() if metric.compare)
#: Columns of the breakdowns by road and by month.
BREAKDOWN_KEYS: tuple[str, ...] = (
    "shoulder_area_m2",
    "slope_area_m2",
    "pothole_area_m2",
    "pothole_count",
    "patrols",
    "patrol_days",
    "patrol_km",
    "safety_inspections",
    "findings",
    "hazards_found",
    "hazards_closed",
    "hazards_open",
    "hazards_overdue",
    "rectification_rate",
)
#: Figures the SQL aggregates give; the rest are derived from them here.
SUMMED_KEYS: frozenset[str] = frozenset(
    {"shoulder_area_m2", "slope_area_m2", "pothole_area_m2", "patrol_km"}
)
COUNTED_KEYS: frozenset[str] = frozenset(
    {
        "pothole_count",
        "patrols",
        "patrol_days",
        "safety_inspections",
        "findings",
        *(f"findings_{kind}" for kind in FINDING_KIND_WORDS),
        "hazards_found",
        "hazards_closed",
        "hazards_overdue",
    }
)
SURVEY_KEYS: tuple[str, ...] = (
    "survey_length_km",
    "survey_pci",
    "survey_sci",
    "survey_excellent_good_pct",
)

# Pothole counts are sums of a column that may be NULL only on records that break the rules;
# an absent pothole count means "no pothole treatment", like an absent area.
_ABSENT_WHEN_NULL = frozenset({"pothole_count"})

# --------------------------------------------------------------------------- numbers


def rounded(value: Any, decimals: int) -> Number | None:
    """Round half up to `decimals` (an int for 0); None stays None.

    Floats go through their shortest text form, so 0.15 rounds to 0.2 as people expect.
    """
    if value is None:
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = Decimal(repr(value))
    number = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return int(number) if decimals == 0 else number


def format_number(
    value: Number | None, decimals: int, *, grouping: bool = True, missing: str = "—"
) -> str:
    """Return a figure as text with its decimals ("—" when absent)."""
    if value is None:
        return missing
    if decimals == 0:
        return f"{int(value):,}" if grouping else str(int(value))
    return f"{Decimal(value):,.{decimals}f}" if grouping else f"{Decimal(value):.{decimals}f}"


def plain(value: Number | None) -> int | float | None:
    """Return a figure as a JSON/XLSX number: int or float (None stays None)."""
    if value is None:
        return None
    return value if isinstance(value, int) else float(value)


# --------------------------------------------------------------------------- period


@dataclass(frozen=True, slots=True)
class Period:
    """Dates a report covers, both inclusive, in the branch's time zone."""

    start: date
    end: date
    year: int | None = None  # set for a calendar year or one month of it
    month: int | None = None

    @classmethod
    def for_year(cls, year: int, month: int | None = None) -> Period:
        if month is None:
            return cls(date(year, 1, 1), date(year, 12, 31), year, None)
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), year, month)

    @property
    def kind(self) -> str:
        if self.month is not None:
            return "month"
        return "year" if self.year is not None else "range"

    def previous(self) -> Period:
        """Return the same dates one year earlier."""
        if self.year is not None:
            return Period.for_year(self.year - 1, self.month)
        return Period(year_earlier(self.start), year_earlier(self.end))

    def months(self) -> list[str]:
        """Return the months the period touches as ``YYYY-MM``, in order."""
        keys, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            keys.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return keys

    def label(self, locale: str) -> str:
        if is_chinese(locale):
            if self.kind == "year":
                return f"{self.year}年"
            if self.kind == "month":
                return f"{self.year}年{self.month}月"
            return f"{zh_date(self.start)}至{zh_date(self.end)}"
        if self.kind == "year":
            return str(self.year)
        if self.kind == "month":
            return f"{calendar.month_name[self.month]} {self.year}"
        return f"{en_date(self.start)} – {en_date(self.end)}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "year": self.year,
            "month": self.month,
        }


def year_earlier(day: date) -> date:
    """Return the same date a year earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def en_date(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


MAX_RANGE_DAYS = 3653  # ten years
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """What a report was asked for, checked: period, cut-off, road."""

    period: Period
    cutoff: date
    road: str | None = None

    @property
    def previous_period(self) -> Period:
        return self.period.previous()

    @property
    def previous_cutoff(self) -> date:
        """Return the previous period's cut-off: as far after its start as this one's."""
        previous = self.previous_period
        if self.cutoff >= self.period.end:
            return previous.end + (self.cutoff - self.period.end)
        return year_earlier(self.cutoff)


def _invalid(field_name: str, message: str, **params: Any) -> ValidationError:
    return ValidationError(
        message, fields={field_name: N_("Not one of the allowed values.")}, **params
    )


def _int(params: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise _invalid(
            name,
            N_("The parameter %(name)s must be a whole number from %(minimum)d to %(maximum)d."),
            name=name,
            minimum=low,
            maximum=high,
        )
    return int(raw)


def _date(params: Mapping[str, str], name: str) -> date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _invalid(
            name, N_("The parameter %(name)s must be a date like 2026-05-01."), name=name
        ) from None


def parse_request(params: Mapping[str, str], *, today: date) -> ReportRequest:
    """Check the report's parameters (``year``, ``month``, ``from``, ``to``, ``cutoff``, ``road``).

    `today` is the branch's local date. Raise ValidationError naming the parameter at fault.
    """
    year = _int(params, "year", MIN_YEAR, MAX_YEAR)
    month = _int(params, "month", 1, 12)
    start, end = _date(params, "from"), _date(params, "to")
    if start is not None or end is not None:
        if year is not None or month is not None:
            raise _invalid(
                "from", N_("Give either a year (and a month) or a date range, not both.")
            )
        if start is None or end is None:
            raise _invalid(
                "to" if end is None else "from", N_("A date range needs both from and to.")
            )
        if end < start:
            raise _invalid("to", N_("The end of the date range is before its start."))
        if (end - start).days >= MAX_RANGE_DAYS:
            raise _invalid("to", N_("A date range may cover at most ten years."))
        period = Period(start, end)
    else:
        period = Period.for_year(year if year is not None else today.year, month)
    if period.start > today:
        raise _invalid(
            "from" if period.kind == "range" else "year",
            N_("The period starts on %(start)s, after today."),
            start=period.start.isoformat(),
        )
    cutoff = _date(params, "cutoff")
    if cutoff is None:
        cutoff = min(period.end, today)
    elif cutoff < period.start:
        raise _invalid(
            "cutoff",
            N_("The cut-off date must not be before the period starts (%(start)s)."),
            start=period.start.isoformat(),
        )
    elif cutoff > today:
        raise _invalid(
            "cutoff",
            N_("The cut-off date must not be after today (%(today)s)."),
            today=today.isoformat(),
        )
    road = (params.get("road") or "").strip().upper() or None
    if road is not None and (len(road) > 16 or not road.replace("-", "").isalnum()):
        raise _invalid("road", N_("There is no road %(code)s."), code=road)
    return ReportRequest(period, cutoff, road)


# --------------------------------------------------------------------------- aggregates in


@dataclass(frozen=True, slots=True)
class Aggregates:
    """The aggregates of one period: raw figures (exact sums, counts) by scope.

    Keys are those of :data:`SUMMED_KEYS` and :data:`COUNTED_KEYS`; a missing sum means no
    record was summed, a missing count means 0.
    """

    total: Mapping[str, Any]
    by_road: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    by_month: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Group:
    """The SQL aggregates of one road in one month of the period (the finest grain asked for).

    Patrol groups also carry the local days (as numbers) on which a road patrol started, so that
    days patrolled can be counted distinct over any scope.
    """

    road: str
    month: str
    figures: Mapping[str, Any]
    days: Collection[int] | None = None


def roll_up(groups: Iterable[Group]) -> Aggregates:
    """Return the totals, by-road and by-month figures of the period from its finest groups.

    Sums and counts add up (an absent sum adds nothing); days patrolled are counted distinct in
    each scope.
    """
    total: dict[str, Any] = {}
    by_road: dict[str, dict[str, Any]] = {}
    by_month: dict[str, dict[str, Any]] = {}
    days_total: set[int] = set()
    days_by_road: dict[str, set[int]] = {}
    days_by_month: dict[str, set[int]] = {}
    for group in groups:
        road = by_road.get(group.road)
        if road is None:
            road = by_road[group.road] = {}
        month = by_month.get(group.month)
        if month is None:
            month = by_month[group.month] = {}
        for key, value in group.figures.items():
            if value is None:
                continue
            for figures in (total, road, month):
                before = figures.get(key)
                figures[key] = value if before is None else before + value
        if group.days:
            days_total.update(group.days)
            days_by_road.setdefault(group.road, set()).update(group.days)
            days_by_month.setdefault(group.month, set()).update(group.days)
    if days_total:
        total["patrol_days"] = len(days_total)
    for name, seen in days_by_road.items():
        by_road[name]["patrol_days"] = len(seen)
    for name, seen in days_by_month.items():
        by_month[name]["patrol_days"] = len(seen)
    return Aggregates(total, by_road, by_month)


@dataclass(frozen=True, slots=True)
class MaterialTotal:
    name: str
    unit: str
    quantity: Number | None


@dataclass(frozen=True, slots=True)
class RoadCondition:
    """Road-level condition of one road and direction from one survey campaign."""

    road: str
    direction: str
    campaign_id: int
    campaign: str
    ends_on: date
    length_m: float
    pci: float | None
    sci: float | None
    excellent_good_pct: float | None
    pci_grade: str | None = None
    not_measured: tuple[str, ...] = ()


# --------------------------------------------------------------------------- figures


def figures_of(
    raw: Mapping[str, Any], keys: Iterable[str] = TOTAL_KEYS
) -> dict[str, Number | None]:
    """Return the stated figures of one scope: derived ones computed, every one rounded."""
    values: dict[str, Any] = {}
    for key in SUMMED_KEYS:
        values[key] = raw.get(key)
    for key in COUNTED_KEYS:
        value = raw.get(key)
        values[key] = value if value is not None or key in _ABSENT_WHEN_NULL else 0
    for kind in ("shoulder", "slope"):
        area = values[f"{kind}_area_m2"]
        values[f"{kind}_area_10k_m2"] = None if area is None else Decimal(area) / 10_000
    found, closed = values["hazards_found"], values["hazards_closed"]
    values["hazards_open"] = found - closed
    values["rectification_rate"] = None if not found else Decimal(closed) * 100 / Decimal(found)
    return {key: rounded(values.get(key), METRICS[key].decimals) for key in keys}


@dataclass(frozen=True, slots=True)
class Comparison:
    """One figure against the previous period's."""

    key: str
    current: Number | None
    previous: Number | None
    difference: Number | None
    change_pct: Decimal | None


def compare(key: str, current: Number | None, previous: Number | None) -> Comparison:
    """Compare two rounded figures: difference (absent counts as 0 unless both are) and %.

    A rate's difference is in percentage points and has no % change; a change from nothing
    (previous absent or 0) has no % either.
    """
    metric = METRICS[key]
    if metric.unit == "percent":
        difference = None if current is None or previous is None else current - previous
        return Comparison(key, current, previous, difference, None)
    if current is None and previous is None:
        return Comparison(key, None, None, None, None)
    difference = (current or 0) - (previous or 0)
    change = None
    if previous:
        change = rounded(Decimal(difference) * 100 / Decimal(previous), 1)
    return Comparison(key, current, previous, difference, change)


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class AnnualReport:
    """Everything the report states; built by :func:`build_report`."""

    request: ReportRequest
    timezone: str
    road_name: str | None
    roads: tuple[str, ...]
    totals: Mapping[str, Number | None]
    comparison: tuple[Comparison, ...]
    by_road: tuple[tuple[str, Mapping[str, Number | None]], ...]
    by_month: tuple[tuple[str, Mapping[str, Number | None]], ...]
    materials: tuple[MaterialTotal, ...]
    conditions: tuple[RoadCondition, ...]
    generated_at: datetime | None = None

    @property
    def period(self) -> Period:
        return self.request.period

    @property
    def cutoff(self) -> date:
        return self.request.cutoff

    @property
    def paragraph_zh(self) -> str:
        return paragraph_zh(self)

    @property
    def paragraph_en(self) -> str:
        return paragraph_en(self)

    def paragraph(self, locale: str) -> str:
        return self.paragraph_zh if is_chinese(locale) else self.paragraph_en

    def condition_figures(self, condition: RoadCondition) -> dict[str, Number | None]:
        return {
            "survey_length_km": rounded(condition.length_m / 1000, 3),
            "survey_pci": rounded(condition.pci, 2),
            "survey_sci": rounded(condition.sci, 2),
            "survey_excellent_good_pct": rounded(condition.excellent_good_pct, 1),
        }


def build_report(
    request: ReportRequest,
    *,
    current: Aggregates,
    previous: Mapping[str, Any],
    materials: Iterable[MaterialTotal] = (),
    conditions: Iterable[RoadCondition] = (),
    roads: Sequence[str] = (),
    timezone: str,
    road_name: str | None = None,
    generated_at: datetime | None = None,
) -> AnnualReport:
    """Return the report of a period from its aggregates and the previous period's totals.

    `roads` are the road codes the by-road breakdown lists (all of them, so a road with nothing
    recorded shows as such); roads that only the aggregates name are added after them.
    """
    totals = figures_of(current.total)
    before = figures_of(previous)
    comparison = tuple(compare(key, totals[key], before[key]) for key in TOTAL_KEYS)
    codes = list(dict.fromkeys([*roads, *sorted(current.by_road)]))
    if request.road is not None:
        codes = [request.road]
    by_road = tuple(
        (code, figures_of(current.by_road.get(code, {}), BREAKDOWN_KEYS)) for code in codes
    )
    by_month = tuple(
        (month, figures_of(current.by_month.get(month, {}), BREAKDOWN_KEYS))
        for month in request.period.months()
    )
    return AnnualReport(
        request=request,
        timezone=timezone,
        road_name=road_name,
        roads=tuple(codes),
        totals=totals,
        comparison=comparison,
        by_road=by_road,
        by_month=by_month,
        materials=tuple(
            MaterialTotal(
                m.name, m.unit, rounded(m.quantity, METRICS["material_quantity"].decimals)
            )
            for m in sorted(materials, key=lambda m: (m.name, m.unit))
        ),
        conditions=tuple(sorted(conditions, key=lambda c: (c.road, c.direction))),
        generated_at=generated_at,
    )


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its header, what its cells are, and the metric that formats them.

    ``role`` is ``text`` (words, dates), ``figure`` (a figure of `metric`, or of the row's metric
    when `metric` is None), ``difference`` (signed, in the row's metric) or ``change`` (a signed %).
    """

    header: str
    metric: Metric | None = None
    role: str = "text"


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell as the screen shows it: text, and whether it is a number (aligned right)."""

    text: str
    number: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """One table of the report, as the screen, the CSV and the XLSX sheets show it.

    Cells hold numbers (int/Decimal), dates or text; ``None`` is an absent figure. Tables whose
    rows are figures of different metrics (the totals) name each row's metric in `row_metrics`.
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    row_metrics: tuple[Metric, ...] | None = None

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def values(self) -> list[list[Any]]:
        """Return the rows with figures as plain numbers (for CSV and XLSX)."""
        return [[plain(v) if isinstance(v, Decimal) else v for v in row] for row in self.rows]

    def display(self) -> list[list[Cell]]:
        """Return the rows as text: figures with their decimals, "—" where absent."""
        shown = []
        for index, row in enumerate(self.rows):
            row_metric = self.row_metrics[index] if self.row_metrics else None
            cells = []
            for column, value in zip(self.columns, row, strict=True):
                metric = column.metric or row_metric
                if column.role == "text" or metric is None:
                    if isinstance(value, date):
                        value = value.isoformat()
                    cells.append(Cell("" if value is None else str(value)))
                elif column.role == "change":
                    cells.append(Cell(_signed(value, 1), True))
                elif column.role == "difference":
                    cells.append(Cell(_signed(value, metric.decimals), True))
                else:
                    cells.append(Cell(format_number(value, metric.decimals), True))
            shown.append(cells)
        return shown


def _signed(value: Number | None, decimals: int) -> str:
    if value is None:
        return "—"
    text = format_number(value, decimals)
    return "+" + text if value > 0 else text.replace("-", "−")


TABLE_KEYS = ("totals", "by_road", "by_month", "materials", "road_condition")

_TITLES = {
    "totals": Words("合计", "Totals"),
    "by_road": Words("按路线", "By road"),
    "by_month": Words("按月份", "By month"),
    "materials": Words("材料", "Materials"),
    "road_condition": Words("路况", "Road condition"),
    "about": Words("说明", "About"),
}
_WORDS = {
    "metric": Words("指标", "Figure"),
    "key": Words("代码", "Key"),
    "unit": Words("单位", "Unit"),
    "current": Words("本期", "This period"),
    "previous": Words("上年同期", "Previous year"),
    "difference": Words("增减", "Difference"),
    "change": Words("增减率（%）", "Change (%)"),
    "definition": Words("口径", "Definition"),
    "road": Words("路线", "Road"),
    "direction": Words("方向", "Direction"),
    "month": Words("月份", "Month"),
    "material": Words("材料", "Material"),
    "campaign": Words("路况调查", "Survey"),
    "ends_on": Words("调查结束日期", "Survey ended on"),
    "grade": Words("PCI等级", "PCI grade"),
    "not_measured": Words("未检测指标", "Not measured"),
}
DIRECTION_WORDS = {
    "up": Words("上行", "up"),
    "down": Words("下行", "down"),
    "both": Words("双向", "both directions"),
}
GRADE_WORDS = {
    "excellent": Words("优", "excellent"),
    "good": Words("良", "good"),
    "fair": Words("中", "fair"),
    "poor": Words("次", "poor"),
    "very_poor": Words("差", "very poor"),
}


def title(key: str, locale: str) -> str:
    return _TITLES[key].pick(locale)


def word(key: str, locale: str) -> str:
    return _WORDS[key].pick(locale)


def totals_table(report: AnnualReport, locale: str) -> Table:
    """Return the totals with the previous-year comparison, one figure a row."""
    columns = (
        Column(word("metric", locale)),
        Column(word("unit", locale)),
        Column(word("current", locale), role="figure"),
        Column(word("previous", locale), role="figure"),
        Column(word("difference", locale), role="difference"),
        Column(word("change", locale), role="change"),
        Column(word("definition", locale)),
        Column(word("key", locale)),
    )
    rows = tuple(
        (
            METRICS[c.key].label(locale),
            METRICS[c.key].unit_text(locale),
            c.current,
            c.previous,
            c.difference,
            c.change_pct,
            DEFINITIONS[METRICS[c.key].definition].pick(locale),
            c.key,
        )
        for c in report.comparison
    )
    metrics = tuple(METRICS[c.key] for c in report.comparison)
    return Table("totals", title("totals", locale), columns, rows, metrics)


def _breakdown(
    key: str, first: str, groups: Sequence[tuple[str, Mapping[str, Any]]], locale: str
) -> Table:
    columns = (
        Column(word(first, locale)),
        *(Column(METRICS[k].header(locale), METRICS[k], "figure") for k in BREAKDOWN_KEYS),
    )
    rows = tuple((name, *(values[k] for k in BREAKDOWN_KEYS)) for name, values in groups)
    return Table(key, title(key, locale), columns, rows)


def by_road_table(report: AnnualReport, locale: str) -> Table:
    return _breakdown("by_road", "road", report.by_road, locale)


def by_month_table(report: AnnualReport, locale: str) -> Table:
    return _breakdown("by_month", "month", report.by_month, locale)


def materials_table(report: AnnualReport, locale: str) -> Table:
    metric = METRICS["material_quantity"]
    columns = (
        Column(word("material", locale)),
        Column(word("unit", locale)),
        Column(metric.label(locale), metric, "figure"),
    )
    rows = tuple((m.name, material_unit(m.unit, locale), m.quantity) for m in report.materials)
    return Table("materials", title("materials", locale), columns, rows)


def material_unit(code: str, locale: str) -> str:
    unit = MATERIAL_UNITS.get(code)
    return unit.label(locale) if unit else code


def road_condition_table(report: AnnualReport, locale: str) -> Table:
    columns = (
        Column(word("road", locale)),
        Column(word("direction", locale)),
        Column(word("campaign", locale)),
        Column(word("ends_on", locale)),
        *(Column(METRICS[k].header(locale), METRICS[k], "figure") for k in SURVEY_KEYS),
        Column(word("grade", locale)),
        Column(word("not_measured", locale)),
    )
    rows = []
    for condition in report.conditions:
        values = report.condition_figures(condition)
        grade = GRADE_WORDS.get(condition.pci_grade or "")
        rows.append(
            (
                condition.road,
                DIRECTION_WORDS.get(condition.direction, Words(*[condition.direction] * 2)).pick(
                    locale
                ),
                condition.campaign,
                condition.ends_on,
                *(values[k] for k in SURVEY_KEYS),
                grade.pick(locale) if grade else None,
                ", ".join(condition.not_measured),
            )
        )
    return Table("road_condition", title("road_condition", locale), columns, tuple(rows))


def tables(report: AnnualReport, locale: str) -> list[Table]:
    """Return every table of the report in order: totals, by road, by month, materials, survey."""
    return [
        totals_table(report, locale),
        by_road_table(report, locale),
        by_month_table(report, locale),
        materials_table(report, locale),
        road_condition_table(report, locale),
    ]


def about_rows(report: AnnualReport, locale: str) -> list[tuple[str, str]]:
    """Return what the report covers and how it counts, as (label, text) pairs."""
    zh = is_chinese(locale)
    request = report.request
    road = request.road or ("全部路线" if zh else "all roads")
    if request.road and report.road_name:
        road = f"{request.road} {report.road_name}"
    rows = [
        ("统计期间" if zh else "Period", report.period.label(locale)),
        ("日期范围" if zh else "Dates", f"{report.period.start} – {report.period.end}"),
        ("路线" if zh else "Road", road),
        ("对比期间" if zh else "Compared with", request.previous_period.label(locale)),
        ("整改统计截止日期" if zh else "Rectification cut-off", request.cutoff.isoformat()),
        (
            "上年同期截止日期" if zh else "Previous period's cut-off",
            request.previous_cutoff.isoformat(),
        ),
        ("时区" if zh else "Time zone", report.timezone),
    ]
    if report.generated_at is not None:
        rows.append(
            (
                "生成时间" if zh else "Generated at",
                report.generated_at.isoformat(timespec="seconds"),
            )
        )
    rows += [
        ("中文段落" if zh else "Paragraph (Chinese)", report.paragraph_zh),
        ("英文段落" if zh else "Paragraph (English)", report.paragraph_en),
    ]
    return rows


def xlsx_sheets(report: AnnualReport, locale: str) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Return the workbook's sheets as (title, headers, rows): the tables, then the notes."""
    sheets = [(t.title, t.headers, t.values()) for t in tables(report, locale)]
    zh = is_chinese(locale)
    about = [list(row) for row in about_rows(report, locale)]
    sheets.append(
        (title("about", locale), ["项目" if zh else "Item", "内容" if zh else "Value"], about)
    )
    return sheets


# --------------------------------------------------------------------------- JSON


def as_json(report: AnnualReport) -> dict[str, Any]:
    """Return every figure with its unit and definition key, and the texts those keys name."""
    request = report.request

    def figure(key: str, value: Number | None) -> dict[str, Any]:
        metric = METRICS[key]
        return {
            "key": key,
            "value": plain(value),
            "unit": metric.unit,
            "decimals": metric.decimals,
            "definition": metric.definition,
        }

    def group(values: Mapping[str, Number | None]) -> dict[str, Any]:
        return {key: plain(value) for key, value in values.items()}

    used_units = {m.unit for m in METRICS.values()}
    return {
        "period": request.period.as_dict(),
        "previous_period": request.previous_period.as_dict(),
        "road": request.road,
        "road_name": report.road_name,
        "timezone": report.timezone,
        "cutoff": request.cutoff.isoformat(),
        "previous_cutoff": request.previous_cutoff.isoformat(),
        "generated_at": report.generated_at.isoformat() if report.generated_at else None,
        "figures": [
            {
                **figure(c.key, c.current),
                "previous": plain(c.previous),
                "difference": plain(c.difference),
                "change_pct": plain(c.change_pct),
            }
            for c in report.comparison
        ],
        "materials": [
            {**figure("material_quantity", m.quantity), "name": m.name, "unit": m.unit}
            for m in report.materials
        ],
        "breakdown_units": {key: METRICS[key].unit for key in BREAKDOWN_KEYS},
        "by_road": [{"road": code, "figures": group(values)} for code, values in report.by_road],
        "by_month": [
            {"month": month, "figures": group(values)} for month, values in report.by_month
        ],
        "road_condition": [
            {
                "road": c.road,
                "direction": c.direction,
                "campaign_id": c.campaign_id,
                "campaign": c.campaign,
                "ends_on": c.ends_on.isoformat(),
                "pci_grade": c.pci_grade,
                "not_measured": list(c.not_measured),
                "figures": [figure(k, v) for k, v in report.condition_figures(c).items()],
            }
            for c in report.conditions
        ],
        "units": {k: {"zh": UNITS[k].zh, "en": UNITS[k].en} for k in UNITS if k in used_units},
        "definitions": {
            key: {"zh": words.zh, "en": words.en} for key, words in DEFINITIONS.items()
        },
        "paragraph": {"zh": report.paragraph_zh, "en": report.paragraph_en},
    }


# --------------------------------------------------------------------------- month charts


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True, slots=True)
class Tick:
    """A labelled position on an axis: y of a value tick, x of a month label."""

    at: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    """Geometry of a bar chart drawn as inline SVG (colours come from CSS classes)."""

    key: str
    title: str
    unit: str
    width: int
    height: int
    plot_left: float
    plot_bottom: float
    plot_right: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]  # value axis
    labels: tuple[Tick, ...]  # month axis
    legend: tuple[tuple[str, str], ...]  # (css class, label)
    empty: bool


def nice_step(maximum: float, ticks: int = 4) -> float:
    """Return a round step (1, 2 or 5 × 10ⁿ) that covers `maximum` in about `ticks` steps."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


_CHARTS = {
    "repair_area": (
        Words("每月养护作业面积", "Repair area by month"),
        "m2",
        True,
        (
            ("shoulder_area_m2", "bar-shoulder"),
            ("slope_area_m2", "bar-slope"),
            ("pothole_area_m2", "bar-pothole"),
        ),
    ),
    "hazards": (
        Words("每月发现与销号的隐患", "Hazards found and closed by month"),
        "site",
        False,
        (("hazards_found", "bar-found"), ("hazards_closed", "bar-closed")),
    ),
    "patrols": (
        Words("每月道路巡查", "Road patrols by month"),
        "times",
        False,
        (("patrols", "bar-patrols"), ("safety_inspections", "bar-inspections")),
    ),
}
CHART_KEYS = tuple(_CHARTS)

_WIDTH, _HEIGHT = 720, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 56.0, 8.0, 12.0, 28.0


def month_chart(report: AnnualReport, key: str, locale: str) -> Chart:
    """Return the bars of one month chart: stacked (repair area) or side by side."""
    words, unit, stacked, series = _CHARTS[key]
    months = report.by_month
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM
    slot = plot_w / max(1, len(months))

    def value(values: Mapping[str, Any], k: str) -> float:
        return float(values.get(k) or 0)

    if stacked:
        peak = max((sum(value(v, k) for k, _ in series) for _, v in months), default=0.0)
    else:
        peak = max((value(v, k) for _, v in months for k, _ in series), default=0.0)
    step = nice_step(peak)
    top = step * max(1, math.ceil(peak / step)) if peak > 0 else step * 4
    scale = plot_h / top
    bottom = _TOP + plot_h
    bars: list[Bar] = []
    labels: list[Tick] = []
    for index, (month, values) in enumerate(months):
        left = _LEFT + index * slot
        labels.append(Tick(round(left + slot / 2, 2), _month_label(month, len(months), locale)))
        inner = slot * 0.7
        base = bottom
        for position, (k, css) in enumerate(series):
            amount = value(values, k)
            if amount <= 0:
                continue
            height = amount * scale
            metric = METRICS[k]
            text = (
                f"{_month_title(month, locale)} {metric.label(locale)}: "
                f"{format_number(values.get(k), metric.decimals)} {metric.unit_text(locale)}"
            )
            if stacked:
                base -= height
                x, width, y = left + (slot - inner) / 2, inner, base
            else:
                width = inner / len(series)
                x, y = left + (slot - inner) / 2 + position * width, bottom - height
            bars.append(Bar(round(x, 2), round(y, 2), round(width, 2), round(height, 2), css, text))
    decimals = 0 if step >= 1 else max(0, -math.floor(math.log10(step)))
    ticks = tuple(
        Tick(
            round(bottom - i * step * scale, 2),
            tick_label(i * step, decimals, locale),
        )
        for i in range(round(top / step) + 1)
    )
    return Chart(
        key=key,
        title=words.pick(locale),
        unit=UNITS[unit].pick(locale),
        width=_WIDTH,
        height=_HEIGHT,
        plot_left=_LEFT,
        plot_bottom=bottom,
        plot_right=_WIDTH - _RIGHT,
        bars=tuple(bars),
        ticks=ticks,
        labels=tuple(labels),
        legend=tuple((css, METRICS[k].label(locale)) for k, css in series),
        empty=peak <= 0,
    )


def tick_label(value: float, decimals: int, locale: str) -> str:
    """Return a value-axis label, big numbers shortened (150万 / 1.5M) to fit the margin."""
    if is_chinese(locale) and value >= 10_000:
        return f"{value / 10_000:,.4g}万"
    if not is_chinese(locale) and value >= 1_000_000:
        return f"{value / 1_000_000:,.4g}M"
    if not is_chinese(locale) and value >= 10_000:
        return f"{value / 1_000:,.4g}k"
    return format_number(rounded(value, decimals), decimals)


def _month_label(month: str, count: int, locale: str) -> str:
    year, number = (int(p) for p in month.split("-"))
    if count > 24:  # a long range: label every year's January only
        return str(year) if number == 1 else ""
    if count > 12:
        return f"{year % 100:02d}/{number}"
    return f"{number}月" if is_chinese(locale) else calendar.month_abbr[number]


def _month_title(month: str, locale: str) -> str:
    year, number = (int(p) for p in month.split("-"))
    return f"{year}年{number}月" if is_chinese(locale) else f"{calendar.month_abbr[number]} {year}"


# --------------------------------------------------------------------------- paragraph (中文)
# The report's own wording: the sentence a manager pastes into the annual work report. These are
# the templates, not UI strings; they do not go through the message catalogue.

ZH = {
    "scope_year": "全年",
    "scope_month": "{month}月份",
    "scope_range": "{start}至{end}",
    "road": "{code}",
    "done": "{scope}完成{parts}",
    "nothing_done": "{scope}未记录路肩整修、边坡整修和坑槽处治",
    "shoulder": "整修路肩{value}万平方米",
    "slope": "整修边坡{value}万平方米",
    "pothole": "处治坑槽{area}平方米（{count}处）",
    "pothole_no_count": "处治坑槽{area}平方米",
    "missing": "未记录{names}",
    "shoulder_name": "路肩整修",
    "slope_name": "边坡整修",
    "pothole_name": "坑槽处治",
    "patrols": "开展道路巡查{count}次（{days}天），累计巡查里程{km}公里",
    "patrols_no_km": "开展道路巡查{count}次（{days}天），巡查里程未记录",
    "patrols_none": "未记录道路巡查",
    "findings": "巡查发现病害{count}处",
    "findings_none": "未记录巡查发现的病害",
    "inspections": "共计开展安全隐患自查{count}次",
    "inspections_none": "未记录安全隐患自查",
    "hazards_all": "发现并整改隐患{found}处，整改率{rate}%",
    "hazards_some": "发现隐患{found}处，已整改{closed}处，整改率{rate}%",
    "hazards_none": "未发现安全隐患",
    "cutoff": "（整改情况截至{date}）",
    "survey_intro": "根据{campaign}（{date}结束）",
    "survey_road": "{road}{direction}PCI为{pci}",
    "survey_no_pci": "{road}{direction}PCI未评定",
    "survey_sci": "、SCI为{sci}",
    "survey_no_sci": "、SCI未评定",
    "survey_eg": "、优良路率为{eg}%",
    "survey_none": "本期未开展路面技术状况调查",
    "list": "、",
    "and": "和",
    "clause": "，",
    "part": "；",
    "end": "。",
}


def _zh_number(value: Number | None, decimals: int) -> str:
    return format_number(value, decimals, grouping=False)


def paragraph_zh(report: AnnualReport) -> str:
    """Return the paragraph in the report's Chinese wording, numbers filled in."""
    t, figures = ZH, report.totals
    period = report.period
    if period.kind == "year":
        scope = t["scope_year"]
    elif period.kind == "month":
        scope = t["scope_month"].format(month=period.month)
    else:
        scope = t["scope_range"].format(start=zh_date(period.start), end=zh_date(period.end))
    if report.request.road:
        scope = t["road"].format(code=report.request.road) + scope

    done, missing = [], []
    if figures["shoulder_area_m2"] is None:
        missing.append(t["shoulder_name"])
    else:
        done.append(t["shoulder"].format(value=_zh_number(figures["shoulder_area_10k_m2"], 2)))
    if figures["slope_area_m2"] is None:
        missing.append(t["slope_name"])
    else:
        done.append(t["slope"].format(value=_zh_number(figures["slope_area_10k_m2"], 2)))
    if figures["pothole_area_m2"] is None:
        missing.append(t["pothole_name"])
    else:
        area = _zh_number(figures["pothole_area_m2"], 1)
        count = figures["pothole_count"]
        done.append(
            t["pothole"].format(area=area, count=count)
            if count
            else t["pothole_no_count"].format(area=area)
        )
    if done:
        repairs = t["done"].format(scope=scope, parts=t["clause"].join(done))
        if missing:
            repairs += t["clause"] + t["missing"].format(names=_zh_join(missing))
    else:
        repairs = t["nothing_done"].format(scope=scope)

    if figures["patrols"]:
        key = "patrols" if figures["patrol_km"] is not None else "patrols_no_km"
        patrols = t[key].format(
            count=figures["patrols"],
            days=figures["patrol_days"],
            km=_zh_number(figures["patrol_km"], 1),
        )
    else:
        patrols = t["patrols_none"]
    findings = (
        t["findings"].format(count=figures["findings"])
        if figures["findings"]
        else t["findings_none"]
    )

    inspections = (
        t["inspections"].format(count=figures["safety_inspections"])
        if figures["safety_inspections"]
        else t["inspections_none"]
    )
    found, closed = figures["hazards_found"], figures["hazards_closed"]
    if not found:
        hazards = t["hazards_none"]
    else:
        rate = _zh_number(figures["rectification_rate"], 1)
        key = "hazards_all" if closed == found else "hazards_some"
        hazards = t[key].format(found=found, closed=closed, rate=rate)
        hazards += t["cutoff"].format(date=zh_date(report.cutoff))

    text = (
        repairs
        + t["part"]
        + patrols
        + t["clause"]
        + findings
        + t["part"]
        + inspections
        + t["clause"]
        + hazards
        + t["end"]
    )
    return text + _zh_survey(report) + t["end"]


def _zh_join(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ZH["list"].join(names[:-1]) + ZH["and"] + names[-1]


def _zh_survey(report: AnnualReport) -> str:
    if not report.conditions:
        return ZH["survey_none"]
    parts = []
    for (campaign, ends_on), conditions in _by_campaign(report.conditions):
        roads = [_road_condition(report, c, ZH, _zh_number, "zh") for c in conditions]
        intro = ZH["survey_intro"].format(campaign=campaign, date=zh_date(ends_on))
        parts.append(intro + ZH["clause"] + ZH["part"].join(roads))
    return ZH["part"].join(parts)


def _road_condition(report: AnnualReport, condition, words, number, language: str) -> str:
    """Say one road's survey figures in one language (`words` is ZH or EN)."""
    figures = report.condition_figures(condition)
    direction = DIRECTION_WORDS.get(condition.direction)
    # A PCI not measured is said so, never printed as a number (DESIGN §3b).
    text = words["survey_road" if figures["survey_pci"] is not None else "survey_no_pci"].format(
        road=condition.road,
        direction=getattr(direction, language) if direction else condition.direction,
        pci=number(figures["survey_pci"], 2),
    )
    if figures["survey_sci"] is None:
        text += words["survey_no_sci"]
    else:
        text += words["survey_sci"].format(sci=number(figures["survey_sci"], 2))
    if figures["survey_excellent_good_pct"] is not None:
        text += words["survey_eg"].format(eg=number(figures["survey_excellent_good_pct"], 1))
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


# --------------------------------------------------------------------------- paragraph (English)
# The same paragraph in English, for readers of the English interface and for translation checks.

EN = {
    "scope_year": "In {year}",
    "scope_month": "In {month}",
    "scope_range": "From {start} to {end}",
    "road": " on {code}",
    "done": "{scope}: {parts}",
    "nothing_done": "{scope}: no shoulder repair, slope repair or pothole treatment was recorded",
    "shoulder": "shoulder repair {value} × 10,000 m² ({area} m²)",
    "slope": "slope repair {value} × 10,000 m² ({area} m²)",
    "pothole": "pothole treatment {area} m² ({count} potholes)",
    "pothole_no_count": "pothole treatment {area} m²",
    "missing": "no {names} recorded",
    "shoulder_name": "shoulder repair",
    "slope_name": "slope repair",
    "pothole_name": "pothole treatment",
    "patrols": "{count} road patrols on {days} days, {km} km patrolled",
    "patrols_no_km": "{count} road patrols on {days} days, distance not recorded",
    "patrols_none": "no road patrol recorded",
    "findings": "{count} findings recorded",
    "findings_none": "no findings recorded",
    "inspections": "{count} safety self-inspections held",
    "inspections_none": "no safety self-inspection recorded",
    "hazards_all": "{found} hazards found and rectified, rectification rate {rate}%",
    "hazards_some": "{found} hazards found, {closed} rectified, rectification rate {rate}%",
    "hazards_none": "no safety hazard found",
    "cutoff": " (rectification as of {date})",
    "survey_intro": "Pavement condition survey “{campaign}” (ended {date})",
    "survey_road": "{road} {direction} PCI {pci}",
    "survey_no_pci": "{road} {direction} PCI not assessed",
    "survey_sci": ", SCI {sci}",
    "survey_no_sci": ", SCI not assessed",
    "survey_eg": ", excellent or good {eg}%",
    "survey_none": "No pavement condition survey in this period",
}


def paragraph_en(report: AnnualReport) -> str:
    """Return the same paragraph in English."""
    t, figures = EN, report.totals
    period = report.period
    if period.kind == "year":
        scope = t["scope_year"].format(year=period.year)
    elif period.kind == "month":
        scope = t["scope_month"].format(month=period.label("en"))
    else:
        scope = t["scope_range"].format(start=en_date(period.start), end=en_date(period.end))
    if report.request.road:
        scope += t["road"].format(code=report.request.road)

    done, missing = [], []
    for kind in ("shoulder", "slope"):
        if figures[f"{kind}_area_m2"] is None:
            missing.append(t[f"{kind}_name"])
        else:
            done.append(
                t[kind].format(
                    value=format_number(figures[f"{kind}_area_10k_m2"], 2),
                    area=format_number(figures[f"{kind}_area_m2"], 1),
                )
            )
    if figures["pothole_area_m2"] is None:
        missing.append(t["pothole_name"])
    else:
        area = format_number(figures["pothole_area_m2"], 1)
        count = figures["pothole_count"]
        done.append(
            t["pothole"].format(area=area, count=format_number(count, 0))
            if count
            else t["pothole_no_count"].format(area=area)
        )
    if done:
        repairs = t["done"].format(scope=scope, parts=", ".join(done))
        if missing:
            repairs += ", " + t["missing"].format(names=_en_join(missing))
    else:
        repairs = t["nothing_done"].format(scope=scope)

    if figures["patrols"]:
        key = "patrols" if figures["patrol_km"] is not None else "patrols_no_km"
        patrols = t[key].format(
            count=format_number(figures["patrols"], 0),
            days=format_number(figures["patrol_days"], 0),
            km=format_number(figures["patrol_km"], 1),
        )
    else:
        patrols = t["patrols_none"]
    findings = (
        t["findings"].format(count=format_number(figures["findings"], 0))
        if figures["findings"]
        else t["findings_none"]
    )
    inspections = (
        t["inspections"].format(count=format_number(figures["safety_inspections"], 0))
        if figures["safety_inspections"]
        else t["inspections_none"]
    )
    found, closed = figures["hazards_found"], figures["hazards_closed"]
    if not found:
        hazards = t["hazards_none"]
    else:
        key = "hazards_all" if closed == found else "hazards_some"
        hazards = t[key].format(
            found=format_number(found, 0),
            closed=format_number(closed, 0),
            rate=format_number(figures["rectification_rate"], 1),
        )
        hazards += t["cutoff"].format(date=en_date(report.cutoff))
    text = f"{repairs}; {patrols}, {findings}; {inspections}, {hazards}. "
    return text + _en_survey(report) + "."


def _en_join(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _en_survey(report: AnnualReport) -> str:
    if not report.conditions:
        return EN["survey_none"]
    parts = []
    for (campaign, ends_on), conditions in _by_campaign(report.conditions):
        roads = [_road_condition(report, c, EN, format_number, "en") for c in conditions]
        intro = EN["survey_intro"].format(campaign=campaign, date=ends_on.isoformat())
        parts.append(intro + ": " + "; ".join(roads))
    return ". ".join(parts)
