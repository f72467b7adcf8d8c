"""Write the plan sentence of the work report's maintenance paragraph, in both languages.

整修路肩完成年度计划的55%，处治坑槽完成年度计划的25% — one clause per kind of work the year's
plan has and that was measured (a kind planned in two units names the unit). No sentence at all
when the year has no plan (the report then has no plan figures): never "完成年度计划的0%" for a
plan that does not exist.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from inspection.reports.annual.metrics import percent_text

if TYPE_CHECKING:
    from inspection.reports.annual.model import AnnualReport

ZH = {
    "plan_kind": "{kind}完成年度计划的{rate}%",
    "plan_kind_unit": "{kind}（按{unit}）完成年度计划的{rate}%",
}

EN = {
    "plan_kind": "{kind} reached {rate}% of the year's plan",
    "plan_kind_unit": "{kind} ({unit}) reached {rate}% of the year's plan",
}


def body(report: AnnualReport, say: Any) -> str | None:
    """Return the plan clauses (no full stop), None without a plan or a measured planned kind."""
    from inspection.reports.annual.plan_layout import kind_word, unit_word  # builds on model

    plan = report.plan
    if plan is None or not plan.stated:
        return None
    locale = "zh" if say.zh else "en"
    units = Counter(k.kind for k in plan.stated)
    parts = []
    for k in plan.stated:
        kind = kind_word(k.kind, locale)
        if not say.zh:
            kind = kind[0].lower() + kind[1:]
        key = "plan_kind_unit" if units[k.kind] > 1 else "plan_kind"
        parts.append(
            say(key, kind=kind, unit=unit_word(k.unit, locale), rate=percent_text(k.completion))
        )
    return say.t["clause"].join(parts)
