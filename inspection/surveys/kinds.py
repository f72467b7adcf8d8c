"""The code lists of survey campaigns and records (one StrEnum each, with their words)."""

from __future__ import annotations

from enum import StrEnum

from inspection.errors import N_


class SurveyMethod(StrEnum):
    visual = "visual"
    vehicle = "vehicle"


METHODS = {SurveyMethod.visual: N_("Visual walk"), SurveyMethod.vehicle: N_("Survey vehicle")}


class RecordFamily(StrEnum):
    """A survey record is a pavement distress (JTG 5210 §3a) or a subgrade item (§3b)."""

    pavement = "pavement"
    subgrade = "subgrade"


FAMILIES = tuple(RecordFamily)
