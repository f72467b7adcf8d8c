"""Lay the annual report out as tables (screen, CSV, XLSX) and as JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from inspection.repairs.rules import MATERIAL_UNITS
from inspection.reports.annual.crew_metrics import CREW_DEFINITIONS, CREW_METRICS, CREW_TABLE_KEYS
from inspection.reports.annual.fleet_metrics import (
    FLEET_DEFINITIONS,
    FLEET_METRICS,
    FLEET_TABLE_KEYS,
)
from inspection.reports.annual.metrics import (
    DEFINITIONS,
    DIRECTION_WORDS,
    GRADE_WORDS,
    METRICS,
    MONTH_KEYS,
    ROAD_KEYS,
    SURVEY_KEYS,
    UNITS,
    Metric,
    Number,
    Words,
    format_number,
    is_chinese,
    plain,
)
from inspection.reports.annual.model import AnnualReport
from inspection.reports.annual.plan_metrics import (
    PLAN_DEFINITIONS,
    PLAN_FIGURE_WORDS,
    PLAN_TABLE_KEYS,
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


# The crews' and the fleet's tables follow when the report has their figures (crew_layout.py,
# fleet_layout.py).
TABLE_KEYS = (
    "totals",
    "by_road",
    "by_month",
    "materials",
    "road_condition",
    *CREW_TABLE_KEYS,
    *FLEET_TABLE_KEYS,
    *PLAN_TABLE_KEYS,
)

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
    key: str,
    first: str,
    groups: Sequence[tuple[str, Mapping[str, Any]]],
    keys: Sequence[str],
    locale: str,
) -> Table:
    columns = (
        Column(word(first, locale)),
        *(Column(METRICS[k].header(locale), METRICS[k], "figure") for k in keys),
    )
    rows = tuple((name, *(values[k] for k in keys)) for name, values in groups)
    return Table(key, title(key, locale), columns, rows)


def by_road_table(report: AnnualReport, locale: str) -> Table:
    return _breakdown("by_road", "road", report.by_road, ROAD_KEYS, locale)


def by_month_table(report: AnnualReport, locale: str) -> Table:
    return _breakdown("by_month", "month", report.by_month, MONTH_KEYS, locale)


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
    """Return every table of the report in order: totals, by road, by month, materials, survey,
    then the crews' and the fleet's when the report has them."""
    from inspection.reports.annual.crew_layout import crew_tables  # they build on this module
    from inspection.reports.annual.fleet_layout import fleet_tables
    from inspection.reports.annual.plan_layout import plan_tables

    return [
        totals_table(report, locale),
        by_road_table(report, locale),
        by_month_table(report, locale),
        materials_table(report, locale),
        road_condition_table(report, locale),
        *crew_tables(report, locale),
        *fleet_tables(report, locale),
        *plan_tables(report, locale),
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
    return rows


_PARAGRAPH_LABELS = {
    ("maintenance", "zh"): Words("养护段落（中文）", "Maintenance paragraph (Chinese)"),
    ("safety", "zh"): Words("安全生产段落（中文）", "Safety paragraph (Chinese)"),
    ("maintenance", "en"): Words("养护段落（英文）", "Maintenance paragraph (English)"),
    ("safety", "en"): Words("安全生产段落（英文）", "Safety paragraph (English)"),
    ("fleet", "zh"): Words("机务与应急段落（中文）", "Fleet and emergency paragraph (Chinese)"),
    ("fleet", "en"): Words("机务与应急段落（英文）", "Fleet and emergency paragraph (English)"),
}


def paragraph_rows(report: AnnualReport, locale: str) -> list[tuple[str, str]]:
    """Return the work report's paragraphs, Chinese then English, as (label, text) pairs."""
    return [
        (_PARAGRAPH_LABELS[key, language].pick(locale), text)
        for language in ("zh", "en")
        for key, text in report.paragraphs(language).items()
    ]


def definition_rows(locale: str) -> list[tuple[str, str]]:
    """Return how every figure is counted: (figure (unit), definition), in the metric order."""
    return [
        *(
            (metric.header(locale), DEFINITIONS[metric.definition].pick(locale))
            for metric in METRICS.values()
        ),
        *(
            (metric.header(locale), CREW_DEFINITIONS[metric.definition].pick(locale))
            for metric in CREW_METRICS.values()
        ),
        *(
            (metric.header(locale), FLEET_DEFINITIONS[metric.definition].pick(locale))
            for metric in FLEET_METRICS.values()
        ),
        *((PLAN_FIGURE_WORDS[k].pick(locale), w.pick(locale)) for k, w in PLAN_DEFINITIONS.items()),
    ]


def xlsx_sheets(report: AnnualReport, locale: str) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Return the workbook's sheets as (title, headers, rows): the tables, then the notes.

    The "About" sheet holds what the report covers, both paragraphs in both languages, and the
    definition of every figure.
    """
    sheets = [(t.title, t.headers, t.values()) for t in tables(report, locale)]
    zh = is_chinese(locale)
    about = [
        list(row)
        for row in (
            *about_rows(report, locale),
            *paragraph_rows(report, locale),
            ("口径" if zh else "Definitions", ""),
            *definition_rows(locale),
        )
    ]
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

    from inspection.reports.annual.crew_layout import crew_json  # they build on this module
    from inspection.reports.annual.fleet_layout import fleet_json
    from inspection.reports.annual.plan_layout import plan_json

    fleet = fleet_json(report)
    crew = crew_json(report)
    plan = plan_json(report)
    used_units = {m.unit for m in METRICS.values()}
    if fleet is not None:
        used_units |= {m.unit for m in FLEET_METRICS.values()}
    if crew is not None:
        used_units |= {m.unit for m in CREW_METRICS.values()}
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
        "breakdown_units": {key: METRICS[key].unit for key in MONTH_KEYS},
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
            key: {"zh": words.zh, "en": words.en}
            for key, words in {
                **DEFINITIONS,
                **CREW_DEFINITIONS,
                **FLEET_DEFINITIONS,
                **PLAN_DEFINITIONS,
            }.items()
        },
        "paragraphs": {
            key: {"zh": report.paragraphs_zh[key], "en": report.paragraphs_en[key]}
            for key in report.paragraphs_zh
        },
        # The paragraphs, one a line (the maintenance one first).
        "paragraph": {"zh": report.paragraph_zh, "en": report.paragraph_en},
        # 机务与应急: the fleet, drivers and emergency stock (null when the registers are empty
        # or the report is of one road).
        "fleet": fleet,
        # Crew safety: briefings, pre-trip checks, work zones, expressway repairs without a
        # zone (null when the period holds none of them or the report is of one road).
        "crew": crew,
        # The year's plan: completion and fund use per kind of work (null when the year has no
        # plan, or the report is not of a whole year of the branch).
        "plan": plan,
    }
