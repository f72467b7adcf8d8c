"""The words the plan and statement pages show for work kinds, units and amount sources."""

from __future__ import annotations

from flask_babel import get_locale, gettext

from inspection.plans.kinds import UNIT_LABELS, WORK_KINDS, AmountSource


def chinese() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "zh"


def kind_label(code: str) -> str:
    """A work kind in the page's language (its Chinese name is the branch's own word)."""
    kind = WORK_KINDS.get(code)
    return (kind.zh if chinese() else kind.en) if kind else code


def unit_label(unit: str) -> str:
    label = UNIT_LABELS.get(unit)
    return gettext(label) if label else unit


def source_label(source: str) -> str:
    words = {
        AmountSource.plan_price: gettext("quantity × plan unit price"),
        AmountSource.repair_cost: gettext("repairs' recorded cost"),
        AmountSource.manual: gettext("measured by hand"),
        AmountSource.difference: gettext("difference"),
    }
    return words.get(source, source)
