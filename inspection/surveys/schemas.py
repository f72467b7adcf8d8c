"""Declared inputs of the survey pages: the campaign form (parsed like any JSON body)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import Field

from inspection.errors import N_, ValidationError
from inspection.inputs import Code, Day, Input, Note, Number, Text, check, validate
from inspection.surveys import pavement_index as pi
from inspection.surveys.kinds import METHODS
from inspection.surveys.services import (
    MAX_UNIT_LENGTH_M,
    MAX_WIDTH_M,
    MIN_UNIT_LENGTH_M,
    CampaignInput,
)

# A campaign is planned at most a couple of years ahead; it may record one long past.
CampaignDay = Day(2)
LENGTH_MESSAGE = N_("Between 10 and 10000 m.")
WIDTH_MESSAGE = N_("Between 0 and 60 m.")


class CampaignBody(Input):
    """A new survey campaign: its days, method, unit length and width, roads ("code/direction")."""

    messages: ClassVar = {
        "name": N_("Name the campaign."),
        "roads:missing": N_("Choose at least one road."),
        "unit_length_m:too_small": LENGTH_MESSAGE,
        "unit_length_m:too_large": LENGTH_MESSAGE,
        "width_m:too_small": WIDTH_MESSAGE,
        "width_m:too_large": WIDTH_MESSAGE,
    }

    collapse: ClassVar = ("roads",)  # a bad road is shown on the list of roads

    name: Text(128, 1)
    starts_on: CampaignDay
    ends_on: CampaignDay
    method: Code(METHODS) = "visual"
    unit_length_m: Number(MIN_UNIT_LENGTH_M, MAX_UNIT_LENGTH_M)
    width_m: Number(0, MAX_WIDTH_M, above=True)
    pavement: Code(pi.Pavement) = pi.Pavement.ASPHALT.value
    roads: Annotated[list[Text(32, 3)], Field(min_length=1, max_length=200)]
    note: Note = ""


def parse_campaign(body: Mapping[str, Any]) -> CampaignInput:
    """Return a campaign's input from a body or form; every bad field is named at once."""
    try:
        data, fields = validate(CampaignBody, body), {}
    except ValidationError as error:
        data, fields = None, dict(error.fields)
    starts, _ = check(CampaignDay, body.get("starts_on"))
    ends, _ = check(CampaignDay, body.get("ends_on"))
    if starts is not None and ends is not None and ends < starts:
        fields.setdefault("ends_on", N_("The end lies before the start."))
    if fields or data is None:
        raise ValidationError(N_("Some fields are not valid."), fields=fields)
    return CampaignInput(
        name=data.name,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        method=data.method,
        unit_length_m=data.unit_length_m,
        width_m=data.width_m,
        pavement=data.pavement,
        roads=tuple(_road(value) for value in data.roads),
        note=data.note,
    )


def _road(value: str) -> tuple[str, str]:
    code, _, direction = value.partition("/")
    return code, direction
