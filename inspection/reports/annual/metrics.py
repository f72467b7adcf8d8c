"""Name every figure of the annual report once, and round and format them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

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
    # The fleet and emergency figures (fleet_metrics.py).
    "vehicle": Words("台", "units"),
    "vehicle_times": Words("台次", "inspections"),
    "person": Words("名", "drivers"),
    "item": Words("项", "items"),
    # The crew-safety figures (crew_metrics.py).
    "attendance": Words("人次", "attendances"),
    "test": Words("人次", "tests"),
    "vehicle_check": Words("车次", "checks"),
    "repair": Words("处", "repairs"),
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
    "patrol_km_tracks": Words(
        "上述巡查中有轨迹的巡查（轨迹里程不为空）的轨迹里程之和（轨迹覆盖区间并集的长度）；巡查里程中有轨迹的按轨迹计。",
        "Sum of the track distances (the length of the union of the covered intervals) of those"
        " patrols that have a track; a patrol with a track counts its track distance in the"
        " distance patrolled.",
    ),
    "patrol_km_typed": Words(
        "上述巡查中无轨迹的巡查所填写（或按起止桩号推算）的里程之和；"
        "巡查里程 = 轨迹里程 + 填写里程。",
        "Sum of the typed (or derived from the stakes) distances of those patrols without a track;"
        " distance patrolled = from tracks + typed.",
    ),
    "patrols_tracked": Words(
        "有轨迹的道路巡查次数（其里程按轨迹计）。",
        "Road patrols with a track (their distance comes from the track).",
    ),
    "patrols_typed": Words(
        "无轨迹、有填写里程的道路巡查次数（其里程按填写计）。",
        "Road patrols without a track and with a typed distance (their distance is the typed one).",
    ),
    "coverage_rate": Words(
        "巡查覆盖率 = 本期按所属技术等级巡查频率（每N天至少巡查一次）巡查到的路段长度"
        " ÷ 路网总长度 × 100%，按巡查轨迹（不含作废巡查）和本地日期计算，各方向分别计；"
        "路段“达到频率”指本期内任意连续N天中"
        "至少有一天巡查到；本期无任何巡查轨迹时记为“—”。保留一位小数。",
        "Patrol coverage rate = length of road patrolled at its road class's frequency (at least"
        " once every N days) ÷ network length × 100 %, from the patrol tracks (voided patrols"
        " excluded) and local days, each carriageway counted; a stretch is at its frequency when"
        " every run of N consecutive days of the period has a day it was patrolled on; “—” when"
        " no track was recorded in the period. One decimal.",
    ),
    "inspections": Words(
        "本期开始（开始日期为本地日期）的安全隐患自查次数，不含作废记录；一次检查无论涵盖多少场所和路段，"
        "只计一次。按路线分列时不计（检查按分局组织）；只看一条路线时，计范围内含该路线路段或该路线上场所的检查。",
        "Safety self-inspections started in the period (the start date is a local date), voided"
        " ones excluded; an inspection counts once however many sites and road sections it"
        " covers. Not broken down by road (inspections are the branch's); for one road, the"
        " inspections whose scope has a section of it or a site on it.",
    ),
    "inspections_kind": Words(
        "同上，按检查方式（季节性、专项、特殊时段、“回头看”、日常检查）分列。",
        "The same, for one kind of inspection (seasonal, special, special-period, look-back,"
        " routine).",
    ),
    "findings": Words(
        "本期（按本地时间的发现时刻）巡查记录的病害数，不含作废记录；不含安全隐患类发现"
        "（它们作为隐患计入下方隐患数），任何记录都不重复计数。",
        "Distress findings observed in the period (local day of the observation), voided findings"
        " excluded; safety-hazard findings are not counted here (they are counted once, as"
        " hazards, below), so nothing is counted twice.",
    ),
    "findings_kind": Words(
        "同上，按病害类型分列。",
        "The same, for one kind of finding.",
    ),
    "self_hazards_found": Words(
        "本期（按本地时间的发现时刻）由安全隐患自查发现的隐患数（来源为自查）。"
        "工作报告“共计开展安全隐患自查N次，发现并整改隐患M处，整改率R%”一句用此口径。",
        "Hazards found in the period (local day of the finding) by self-inspections (source"
        " self-inspection). The work report's sentence (… self-inspections held, M hazards found"
        " and rectified, rate R%) uses this figure.",
    ),
    "self_hazards_closed": Words(
        "其中截止日期当天结束前已复查销号的；销号后又重新打开的不计。",
        "Of those, the hazards closed (verified) by the end of the cut-off day; a hazard reopened"
        " since counts as not closed.",
    ),
    "self_rectification_rate": Words(
        "自查整改率 = 本期自查发现且截止日期前已销号的隐患数 ÷ 本期自查发现的隐患数 × 100%，"
        "保留一位小数；本期自查未发现隐患时记为“—”。",
        "Self-inspection rectification rate = hazards self-inspections found in the period and"
        " closed by the cut-off day ÷ hazards self-inspections found in the period × 100 %, one"
        " decimal; “—” when they found none.",
    ),
    "hazards_found": Words(
        "本期（按本地时间的发现时刻）发现的各类来源安全隐患数（自查、道路巡查、上级检查、群众反映、其他）。"
        "按路线分列时，场所的隐患计入场所所在的路线，不在路线上的场所只计入合计和月份。",
        "Safety hazards from every source (self-inspection, road patrol, higher authority, public"
        " report, other) found in the period (local day of the finding). By road, a hazard at a"
        " site counts on the road the site stands at; sites on no road count in the totals and"
        " months only.",
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
        "总体整改率 = 本期发现（各类来源）且截止日期前已销号的隐患数 ÷ 本期发现的隐患数 × 100%，"
        "保留一位小数；本期未发现隐患时记为“—”。",
        "Overall rectification rate = hazards (every source) found in the period and closed by the"
        " cut-off day ÷ hazards found in the period × 100 %, one decimal; “—” when none were"
        " found.",
    ),
    "hazards_source": Words(
        "本期发现的隐患中，该来源的隐患数。",
        "Hazards found in the period that came from this source.",
    ),
    "hazards_location": Words(
        "本期发现的隐患中，位于该类位置（路线桩号，或该类场所）的隐患数。",
        "Hazards found in the period at this kind of place (a road stake, or a site of this kind).",
    ),
    "hazards_category": Words(
        "本期发现的隐患中，该类别的隐患数。",
        "Hazards found in the period of this category.",
    ),
    "hazards_carried_over": Words(
        "往年（本期开始前）发现、本期开始时仍未销号（按审计记录判断）、本期内且截止日期前销号的隐患数；"
        "单独列示，不计入本期发现数和整改率。",
        "Hazards found before the period, still open when it began (read from the audit trail),"
        " and closed within the period by the cut-off day; stated on their own line, never in the"
        " period's hazards found or rates.",
    ),
    "surveys": Words(
        "本期结束的路况调查（普查）次数；只看一条路线时，计在该路线上有评定单元的调查。",
        "Pavement condition survey campaigns that ended in the period; for one road, those with"
        " evaluation units on it.",
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
#: A finding of this kind raises a hazard: it is counted once, as a hazard, never as a 病害.
HAZARD_FINDING_KIND = "safety_hazard"
#: The kinds of 病害 (defects) the report counts as findings.
DEFECT_KINDS: tuple[str, ...] = tuple(k for k in FINDING_KIND_WORDS if k != HAZARD_FINDING_KIND)

#: Inspection kinds in the order the work report names them (inspections.kinds.InspectionKind).
INSPECTION_KIND_WORDS: Mapping[str, Words] = {
    "seasonal": Words("季节性检查", "seasonal inspections"),
    "special": Words("专项检查", "special inspections"),
    "special_period": Words("特殊时段检查", "special-period inspections"),
    "look_back": Words("“回头看”", "look-back inspections"),
    "routine": Words("日常检查", "routine inspections"),
}
#: Hazard sources (hazards.workflow.HazardSource), in the order the report lists them.
HAZARD_SOURCE_WORDS: Mapping[str, Words] = {
    "self_inspection": Words("自查发现", "self-inspections"),
    "patrol": Words("道路巡查发现", "road patrols"),
    "higher_authority": Words("上级检查发现", "higher-authority inspections"),
    "public_report": Words("群众反映", "public reports"),
    "other": Words("其他来源", "other sources"),
}
#: Where a hazard is: at a road stake, or at a site of a kind (sites.kinds.SiteKind).
HAZARD_LOCATION_WORDS: Mapping[str, Words] = {
    "road": Words("路线桩号", "road stakes"),
    "toll_station": Words("收费站", "toll stations"),
    "service_area": Words("服务区", "service areas"),
    "maintenance_depot": Words("养护工区", "maintenance depots"),
    "machinery_workshop": Words("机务车间", "machinery workshops"),
    "office": Words("办公及生活场所", "office and living areas"),
    "tunnel": Words("隧道", "tunnels"),
    "bridge": Words("桥梁", "bridges"),
    "other": Words("其他场所", "other sites"),
}


def _category_words() -> Mapping[str, Words]:
    from inspection.hazards.workflow import HAZARD_CATEGORIES  # pure module, standard library

    return {code: Words(c.zh, c.en) for code, c in HAZARD_CATEGORIES.items()}


#: Hazard categories (hazards.workflow.HAZARD_CATEGORIES), with their words.
HAZARD_CATEGORY_WORDS: Mapping[str, Words] = _category_words()


def _m(key, zh, en, unit, decimals, definition, compare=True) -> tuple[str, Metric]:
    return key, Metric(key, zh, en, unit, decimals, definition, compare)


# fmt: off
METRICS: Mapping[str, Metric] = dict(
    [
        _m("surveys", "组织路况普查", "Pavement condition surveys", "times", 0, "surveys"),
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
        _m("patrol_km_tracks", "巡查里程：轨迹", "Distance patrolled: from tracks", "km", 1,
           "patrol_km_tracks"),
        _m("patrols_tracked", "巡查次数：有轨迹", "Road patrols with a track", "times", 0,
           "patrols_tracked"),
        _m("patrol_km_typed", "巡查里程：填写", "Distance patrolled: typed", "km", 1,
           "patrol_km_typed"),
        _m("patrols_typed", "巡查次数：填写里程", "Road patrols with a typed distance", "times", 0,
           "patrols_typed"),
        _m("coverage_rate", "巡查覆盖率", "Patrol coverage rate", "percent", 1, "coverage_rate"),
        _m("findings", "巡查发现病害", "Distress findings", "site", 0, "findings"),
        *(
            _m(f"findings_{kind}", f"发现病害：{FINDING_KIND_WORDS[kind].zh}",
               f"Findings: {FINDING_KIND_WORDS[kind].en}", "site", 0, "findings_kind")
            for kind in DEFECT_KINDS
        ),
        _m("inspections", "安全隐患自查次数", "Safety self-inspections", "times", 0,
           "inspections"),
        *(
            _m(f"inspections_{kind}", f"自查次数：{words.zh}", f"Self-inspections: {words.en}",
               "times", 0, "inspections_kind")
            for kind, words in INSPECTION_KIND_WORDS.items()
        ),
        _m("self_hazards_found", "自查发现隐患", "Hazards found by self-inspections", "site", 0,
           "self_hazards_found"),
        _m("self_hazards_closed", "自查发现隐患：截止日期前已销号",
           "Self-inspection hazards closed by the cut-off", "site", 0, "self_hazards_closed"),
        _m("self_rectification_rate", "自查整改率", "Self-inspection rectification rate",
           "percent", 1, "self_rectification_rate"),
        _m("hazards_found", "发现安全隐患（各类来源）", "Hazards found (every source)", "site", 0,
           "hazards_found"),
        _m("hazards_closed", "截止日期前已销号", "Hazards closed by the cut-off", "site", 0,
           "hazards_closed"),
        _m("hazards_open", "截至截止日期未销号", "Hazards still open at the cut-off", "site", 0,
           "hazards_open"),
        _m("hazards_overdue", "截至截止日期逾期未整改", "Hazards overdue at the cut-off", "site", 0,
           "hazards_overdue"),
        _m("rectification_rate", "总体整改率", "Overall rectification rate", "percent", 1,
           "rectification_rate"),
        *(
            _m(f"hazards_source_{source}", f"隐患来源：{words.zh}", f"Hazards from {words.en}",
               "site", 0, "hazards_source")
            for source, words in HAZARD_SOURCE_WORDS.items()
        ),
        *(
            _m(f"hazards_location_{place}", f"隐患位置：{words.zh}", f"Hazards at {words.en}",
               "site", 0, "hazards_location")
            for place, words in HAZARD_LOCATION_WORDS.items()
        ),
        *(
            _m(f"hazards_category_{code}", f"隐患类别：{words.zh}", f"Hazards: {words.en}",
               "site", 0, "hazards_category")
            for code, words in HAZARD_CATEGORY_WORDS.items()
        ),
        _m("hazards_carried_over", "整改往年遗留隐患", "Hazards carried over and closed", "site",
           0, "hazards_carried_over"),
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
#: Columns of the breakdown by month.
MONTH_KEYS: tuple[str, ...] = (
    "shoulder_area_m2",
    "slope_area_m2",
    "pothole_area_m2",
    "pothole_count",
    "patrols",
    "patrol_days",
    "patrol_km",
    "findings",
    "inspections",
    "self_hazards_found",
    "self_hazards_closed",
    "hazards_found",
    "hazards_closed",
    "hazards_open",
    "hazards_overdue",
    "rectification_rate",
)
#: Columns of the breakdown by road: inspections are the branch's, not a road's.
ROAD_KEYS: tuple[str, ...] = tuple(k for k in MONTH_KEYS if k != "inspections")
#: Every breakdown column (by month, a superset of by road).
BREAKDOWN_KEYS: tuple[str, ...] = MONTH_KEYS
#: Figures the SQL aggregates give; the rest are derived from them here.
SUMMED_KEYS: frozenset[str] = frozenset(
    {
        "shoulder_area_m2",
        "slope_area_m2",
        "pothole_area_m2",
        "patrol_km",
        "patrol_km_tracks",
        "patrol_km_typed",
    }
)
#: Figures of the period as a whole, computed elsewhere (the coverage of the period's tracks).
GIVEN_KEYS: frozenset[str] = frozenset({"coverage_rate"})
COUNTED_KEYS: frozenset[str] = frozenset(
    {
        "surveys",
        "pothole_count",
        "patrols",
        "patrol_days",
        "patrols_tracked",
        "patrols_typed",
        "findings",
        *(f"findings_{kind}" for kind in DEFECT_KINDS),
        "inspections",
        *(f"inspections_{kind}" for kind in INSPECTION_KIND_WORDS),
        "self_hazards_found",
        "self_hazards_closed",
        "hazards_found",
        "hazards_closed",
        "hazards_overdue",
        *(f"hazards_source_{source}" for source in HAZARD_SOURCE_WORDS),
        *(f"hazards_location_{place}" for place in HAZARD_LOCATION_WORDS),
        *(f"hazards_category_{code}" for code in HAZARD_CATEGORY_WORDS),
        "hazards_carried_over",
    }
)
SURVEY_KEYS: tuple[str, ...] = (
    "survey_length_km",
    "survey_pci",
    "survey_sci",
    "survey_excellent_good_pct",
)

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


def percent_text(value: Number | None) -> str:
    """Return a rate as Chinese reports write it, in both languages: 100, 96.5 (no ".0")."""
    text = format_number(value, 1, grouping=False)
    return text[:-2] if text.endswith(".0") else text


def plain(value: Number | None) -> int | float | None:
    """Return a figure as a JSON/XLSX number: int or float (None stays None)."""
    if value is None:
        return None
    return value if isinstance(value, int) else float(value)
