"""Name the report's plan figures once (计划完成率, 资金使用率): columns, definitions.

Pure and light: the layout, the API and the exports read it; the figures are computed by
:mod:`.plan_figures` from :mod:`inspection.plans.execution`.
"""

from __future__ import annotations

from collections.abc import Mapping

from inspection.plans.execution import DEFINITIONS
from inspection.reports.annual.metrics import Words

PLAN_DEFINITIONS: Mapping[str, Words] = {
    "plan_completion": Words(
        "计划完成率 = 全年完成数量 ÷ 全年计划数量 × 100%（按最新计划版本，分作业类型及计量单位）；"
        + DEFINITIONS["done"][0],
        "Plan completion = quantity done in the year ÷ the year's planned quantity × 100 % (the"
        " newest plan version, per kind of work and unit); " + DEFINITIONS["done"][1],
    ),
    "plan_fund_use": Words(
        "资金使用率 = 全年完成金额 ÷ 全年预算 × 100%；已确认计量的月份按计量单金额，"
        "其余月份按完成数量 × 计划单价。",
        "Fund use = amount done in the year ÷ the year's budget × 100 %; a month with a confirmed"
        " measurement statement counts the statement's amounts, any other month quantity done ×"
        " the plan's unit price.",
    ),
}

PLAN_FIGURE_WORDS: Mapping[str, Words] = {
    "plan_completion": Words("计划完成率（%）", "Plan completion (%)"),
    "plan_fund_use": Words("资金使用率（%）", "Fund use (%)"),
}

#: The report's table of plan figures (present only when the year has a plan).
PLAN_TABLE_KEYS = ("plan",)
