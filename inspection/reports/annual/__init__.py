"""Build the annual maintenance report from aggregates (DESIGN §5): pure, no Flask, no database.

Aggregates come in (sums and counts that :mod:`.queries` asks PostgreSQL for at request time);
the report comes out: the figures rounded as the report states them, the previous-year
comparison, the breakdowns by road and by month, the month charts' geometry, the export tables
and the work report's two paragraphs (maintenance; safety) in its own Chinese wording and in
English.

One table, :data:`METRICS`, names every figure once: its key, Chinese and English label, unit,
decimals and definition. The screen, the JSON API, the CSV, the XLSX (its "About" sheet lists
every definition) and the paragraphs all read it.

Decisions (also stated in :data:`DEFINITIONS`, which the API and the exports carry):

* **Period.** A calendar year by default, or one month of it, or any date range (``from``/``to``,
  both inclusive, at most ten years). Dates count in the branch's time zone (``BRANCH_TIMEZONE``);
  a repair's completion date and an inspection's start date are already local dates, timestamps
  (patrol start, finding observed, hazard found/closed) are placed against local midnights in SQL.
  The previous period is the same dates one year earlier (29 February becomes 28 February).
* **Cut-off** (rectification, DESIGN §4). Hazards found in the period and closed (verified, 销号) by
  the end of the cut-off day ÷ hazards found in the period × 100 %. The cut-off defaults to the end
  of the period, or today when that is earlier; it may be given (not before the period starts, not
  after today). The previous period's cut-off lies the same distance after its own start. "Closed"
  is read from the hazard as it stands: a hazard reopened since counts as not closed. "Overdue" =
  found in the period, not closed by the cut-off and its deadline before the cut-off day.
  Rates are stated with one decimal in tables (and as "—", not 0 %, when no hazard was found),
  and as Chinese reports write them in the paragraphs (100%, 96.5%).
* **Self-inspections** (安全隐患自查) are the ``inspections`` records, counted once each however
  many sites and road sections they cover, in total and by kind. The work report's safety sentence
  uses the hazards the self-inspections found (source ``self_inspection``); hazards from every
  source give the overall rate, shown beside it, and are counted by source, by location type
  (road stake / each kind of site) and by category. Hazards carried over from earlier years
  (found before the period, open when it began, closed in it by the cut-off) are a line of their
  own and never enter the period's counts or rates.
* **病害** (findings) never include ``safety_hazard`` findings: such a finding raises a hazard and
  is counted once, as a hazard.
* **Patrols** are road patrols (routine, special, night). Days = distinct local days on which a
  road patrol started. Distance = the sum of the patrols' kilometres (typed or from the stakes).
* **Surveys organised** (组织路况普查N次) = survey campaigns that ended in the period.
* **Voided records** (repairs, patrols, findings, inspections) are excluded everywhere. Hazards
  cannot be voided.
* **No data is not zero.** A sum over no records is *absent* (``None``): tables show "—". A count
  of nothing is 0 in tables; the paragraphs leave out what has no record.
* **Rounding** is half up on exact sums (SQL adds areas as whole 0.01 m², distances as whole
  metres, material quantities as thousandths, so no binary fraction decides a half): m² to 0.1,
  万m² (= m² ÷ 10 000) to 0.01 (the nearest 100 m²), km to 0.1, materials to 0.01, PCI and SCI
  to 0.01, percentages to 0.1. Differences and changes in the comparison are computed from the
  rounded figures, so the table adds up as printed.
* **Road condition** comes from the latest pavement condition survey campaign that ended within
  the period (per road and direction); without one the figures are absent.

The package has one module per job; the pure ones are re-exported here:

* ``request`` — the period, the cut-off and the road asked for (:func:`parse_request`);
* ``metrics`` — the figures' table, units, definitions and words; rounding and formatting;
* ``model`` — aggregates in, figures and the previous-year comparison out (:func:`build_report`);
* ``layout`` — the screen, CSV and XLSX tables, the notes and the JSON;
* ``charts`` — the month charts' geometry;
* ``paragraphs`` — the two paragraphs in Chinese and English, driven by the word tables
  ``ZH``/``EN``.

The database side is not re-exported (importing the package touches no model):

* ``statements`` — the SQL aggregate statements and their parameters;
* ``queries`` — running them, the road list and the road condition; :func:`queries.annual_report`.

The fleet and emergency figures (机务与应急, #15) have modules of their own, not re-exported:
``fleet_metrics`` (their names and definitions), ``fleet_figures`` (computing them, pure),
``fleet_queries`` (reading the registers; :func:`fleet_queries.with_fleet` adds them to a
report), ``fleet_layout`` (tables, JSON) and ``fleet_paragraph`` (the third paragraph).
The crew-safety figures (#16) likewise: ``crew_metrics``, ``crew_figures`` (pure),
``crew_queries`` (:func:`crew_queries.with_crew`), ``crew_layout`` and ``crew_paragraph`` (a
sentence of the safety paragraph).
"""

from inspection.reports.annual.charts import (
    CHART_KEYS,
    Bar,
    Chart,
    Tick,
    month_chart,
    nice_step,
    tick_label,
)
from inspection.reports.annual.layout import (
    TABLE_KEYS,
    Cell,
    Column,
    Table,
    about_rows,
    as_json,
    by_month_table,
    by_road_table,
    definition_rows,
    material_unit,
    materials_table,
    paragraph_rows,
    road_condition_table,
    tables,
    title,
    totals_table,
    word,
    xlsx_sheets,
)
from inspection.reports.annual.metrics import (
    BREAKDOWN_KEYS,
    COUNTED_KEYS,
    DEFECT_KINDS,
    DEFINITIONS,
    DIRECTION_WORDS,
    FINDING_KIND_WORDS,
    GRADE_WORDS,
    HAZARD_CATEGORY_WORDS,
    HAZARD_FINDING_KIND,
    HAZARD_LOCATION_WORDS,
    HAZARD_SOURCE_WORDS,
    INSPECTION_KIND_WORDS,
    METRICS,
    MONTH_KEYS,
    ROAD_KEYS,
    SUMMED_KEYS,
    SURVEY_KEYS,
    TOTAL_KEYS,
    UNITS,
    Metric,
    Number,
    Words,
    format_number,
    is_chinese,
    percent_text,
    plain,
    rounded,
)
from inspection.reports.annual.model import (
    Aggregates,
    AnnualReport,
    Comparison,
    Group,
    MaterialTotal,
    RoadCondition,
    build_report,
    compare,
    figures_of,
    rate,
    roll_up,
)
from inspection.reports.annual.paragraphs import EN, PARAGRAPH_KEYS, ZH, paragraph
from inspection.reports.annual.request import (
    MAX_RANGE_DAYS,
    MAX_YEAR,
    MIN_YEAR,
    Period,
    ReportRequest,
    en_date,
    parse_request,
    year_earlier,
    zh_date,
)

__all__ = [
    "BREAKDOWN_KEYS",
    "CHART_KEYS",
    "COUNTED_KEYS",
    "DEFECT_KINDS",
    "DEFINITIONS",
    "DIRECTION_WORDS",
    "EN",
    "FINDING_KIND_WORDS",
    "GRADE_WORDS",
    "HAZARD_CATEGORY_WORDS",
    "HAZARD_FINDING_KIND",
    "HAZARD_LOCATION_WORDS",
    "HAZARD_SOURCE_WORDS",
    "INSPECTION_KIND_WORDS",
    "MAX_RANGE_DAYS",
    "MAX_YEAR",
    "METRICS",
    "MIN_YEAR",
    "MONTH_KEYS",
    "PARAGRAPH_KEYS",
    "ROAD_KEYS",
    "SUMMED_KEYS",
    "SURVEY_KEYS",
    "TABLE_KEYS",
    "TOTAL_KEYS",
    "UNITS",
    "ZH",
    "Aggregates",
    "AnnualReport",
    "Bar",
    "Cell",
    "Chart",
    "Column",
    "Comparison",
    "Group",
    "MaterialTotal",
    "Metric",
    "Number",
    "Period",
    "ReportRequest",
    "RoadCondition",
    "Table",
    "Tick",
    "Words",
    "about_rows",
    "as_json",
    "build_report",
    "by_month_table",
    "by_road_table",
    "compare",
    "definition_rows",
    "en_date",
    "figures_of",
    "format_number",
    "is_chinese",
    "material_unit",
    "materials_table",
    "month_chart",
    "nice_step",
    "paragraph",
    "paragraph_rows",
    "parse_request",
    "percent_text",
    "plain",
    "rate",
    "road_condition_table",
    "roll_up",
    "rounded",
    "tables",
    "tick_label",
    "title",
    "totals_table",
    "word",
    "xlsx_sheets",
    "year_earlier",
    "zh_date",
]
