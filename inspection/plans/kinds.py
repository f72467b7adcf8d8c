"""Plan work kinds with the units each is measured in, plan versions, statement states."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inspection.errors import N_


class Unit(StrEnum):
    m2 = "m2"  # 平方米
    m = "m"  # 米
    site = "site"  # 处
    item = "item"  # 项
    t = "t"  # 吨


UNIT_LABELS = {
    Unit.m2: N_("m²"),
    Unit.m: N_("m (length)"),
    Unit.site: N_("sites (处)"),
    Unit.item: N_("items (项)"),
    Unit.t: N_("t"),
}


@dataclass(frozen=True)
class WorkKind:
    code: str
    zh: str
    en: str
    units: tuple[Unit, ...]  # the units it may be planned and measured in; the first is usual
    # The repair kind whose completed repairs measure it (None: the branch's own items, which
    # have no repair record yet and are measured by hand on the statement).
    repair_kind: str | None = None


# The repair kinds (measured from repairs: area in m², potholes also by count) and the branch's
# own items. A line's unit must be one of its kind's units (m² for a kind measured in m → 422).
WORK_KINDS: dict[str, WorkKind] = {
    "shoulder": WorkKind("shoulder", "整修路肩", "Shoulder repair", (Unit.m2,), "shoulder"),
    "slope": WorkKind("slope", "整修边坡", "Slope repair", (Unit.m2,), "slope"),
    "pothole": WorkKind(
        "pothole", "处治坑槽", "Pothole treatment", (Unit.m2, Unit.site), "pothole"
    ),
    "roadside_environment": WorkKind(
        "roadside_environment", "路域环境整治", "Roadside environment", (Unit.item, Unit.m2)
    ),
    "marking": WorkKind("marking", "标线", "Road marking", (Unit.m2, Unit.m)),
    "guardrail": WorkKind("guardrail", "护栏", "Guardrail", (Unit.m,)),
    "other": WorkKind(
        "other", "其他", "Other work", (Unit.item, Unit.m2, Unit.m, Unit.site, Unit.t)
    ),
}
WORK_KIND_CODES = tuple(WORK_KINDS)


class VersionKind(StrEnum):
    original = "original"  # 年度计划
    adjustment = "adjustment"  # 计划调整


class StatementState(StrEnum):
    draft = "draft"
    confirmed = "confirmed"  # frozen: later changes of its repairs show on the next statement


class AmountSource(StrEnum):
    plan_price = "plan_price"  # quantity × the plan line's unit price
    repair_cost = "repair_cost"  # the repairs' own recorded cost
    manual = "manual"  # typed on the statement (the branch's own items)
    difference = "difference"  # a change of a repair in an earlier, frozen statement
