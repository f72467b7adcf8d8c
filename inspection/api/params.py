"""Reading query-string parameters: the declared query models of the API, and helpers.

Each list or look-up endpoint reads its query string with `parse_query(SomeQuery)`; the OpenAPI
document shows the same model's fields as the operation's query parameters. The `*_arg`
helpers remain for endpoints still read by hand; they share the checks of `inspection.inputs`.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo

from flask import Response, jsonify, request
from pydantic import Field

from inspection.errors import N_, ValidationError
from inspection.inputs import (
    DIRECTIONS,
    Bbox,
    Code,
    Day,
    Flag,
    Input,
    Int,
    Lat,
    ListQuery,
    Lon,
    Number,
    RoadCode,
    Stake,
    check,
)
from inspection.patrols.kinds import FINDING_KINDS, FINDING_STATUSES
from inspection.repairs.rules import REPAIR_KINDS

# A day in a filter: from 2000 to a few years ahead (so the day after it still exists).
FilterDay = Day(5)


def _raw(name: str) -> str:
    return request.args.get(name, "").strip()


def float_arg(name: str, *, required: bool = True, default: float | None = None) -> float | None:
    """Return a finite number from the query string, or raise a 422 naming the parameter."""
    raw = _raw(name)
    if not raw:
        if required:
            raise ValidationError(
                N_("The parameter %(name)s is required."),
                fields={name: N_("This field is required.")},
                name=name,
            )
        return default
    value, message = check(Number(-math.inf, math.inf), raw)
    if message:
        raise ValidationError(
            N_("The parameter %(name)s must be a number."),
            fields={name: N_("Enter a number.")},
            name=name,
        )
    return value


def choice_arg(name: str, choices: tuple[str, ...]) -> str | None:
    """Return an optional parameter that must be one of `choices`."""
    raw = _raw(name)
    if not raw:
        return None
    if raw not in choices:
        raise ValidationError(
            N_("The parameter %(name)s must be one of %(choices)s."),
            fields={name: N_("Not one of the allowed values.")},
            name=name,
            choices=", ".join(choices),
        )
    return raw


def int_arg(name: str, *, default: int, minimum: int = 1, maximum: int = 10_000) -> int:
    """Return a whole number from the query string within bounds (e.g. page, per_page)."""
    raw = _raw(name)
    if not raw:
        return default
    value, message = check(Int(minimum, maximum), raw)
    if message:
        raise ValidationError(
            N_("The parameter %(name)s must be a whole number from %(minimum)d to %(maximum)d."),
            fields={name: message},
            name=name,
            minimum=minimum,
            maximum=maximum,
        )
    return value


def bbox_arg(name: str = "bbox") -> tuple[float, float, float, float] | None:
    """Return `minlon,minlat,maxlon,maxlat` from the query string, if given."""
    raw = _raw(name)
    if not raw:
        return None
    value, message = check(Bbox, raw)
    if message:
        raise ValidationError(
            N_("The bbox must be minlon,minlat,maxlon,maxlat."),
            fields={name: N_("Not one of the allowed values.")},
        )
    return value


def date_arg(name: str) -> date | None:
    """Return an optional YYYY-MM-DD parameter (2000 to a few years ahead), or raise a 422."""
    raw = _raw(name)
    if not raw:
        return None
    value, message = check(FilterDay, raw)
    if message:
        raise ValidationError(
            N_("The parameter %(name)s must be a date like 2026-05-01."),
            fields={name: message},
            name=name,
        )
    return value


def local_day(day: date | None, timezone: str, *, end: bool = False) -> datetime | None:
    """Return the start (or, with `end`, the end) of a day in the branch's time zone."""
    if day is None:
        return None
    if end:
        day += timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone))


def local_day_arg(name: str, timezone: str, *, end: bool = False) -> datetime | None:
    """Return the start (or, with `end`, the end) of a YYYY-MM-DD day in the branch's time zone."""
    return local_day(date_arg(name), timezone, end=end)


def page_args() -> tuple[int, int]:
    """Return the `page` and `per_page` of a list request (50 a page, 200 at most)."""
    return int_arg("page", default=1), int_arg("per_page", default=50, maximum=200)


def paged(key: str, items: list, *, page: int, per_page: int, total: int) -> Response:
    """Answer one page of a list with its position in the whole."""
    return jsonify({key: items, "page": page, "per_page": per_page, "total": total})


# --------------------------------------------------------------------------- declared queries


def _from(description: str) -> Any:
    return Field(None, alias="from", description=description)


def _to(description: str) -> Any:
    return Field(None, alias="to", description=description)


class FindingsQuery(ListQuery):
    """List findings, newest first."""

    road: Annotated[
        RoadCode | None, Field(description=N_("Road code, e.g. G30."), examples=["G30"])
    ] = None
    kind: Annotated[Code(FINDING_KINDS) | None, Field(description=N_("Kind of finding."))] = None
    status: Annotated[Code(FINDING_STATUSES) | None, Field(description=N_("Status."))] = None
    since: FilterDay | None = _from(N_("First day (YYYY-MM-DD)."))
    until: FilterDay | None = _to(N_("Last day (YYYY-MM-DD)."))
    bbox: Annotated[Bbox | None, Field(description=N_("minlon,minlat,maxlon,maxlat"))] = None
    include_voided: Annotated[
        Flag | None, Field(description=N_("1 to include voided records."))
    ] = None


class NearbyQuery(Input):
    """Open findings of a kind near a stake or GPS fix."""

    kind: Annotated[Code(FINDING_KINDS), Field(description=N_("Kind of finding."))]
    road: Annotated[RoadCode, Field(description=N_("Road code, e.g. G30."), examples=["G30"])] = ""
    stake: Annotated[Stake | None, Field(description=N_("Stake, e.g. K12+345."))] = None
    lon: Annotated[Lon | None, Field(description=N_("Longitude."), examples=[87.68])] = None
    lat: Annotated[Lat | None, Field(description=N_("Latitude."), examples=[43.859])] = None


class RepairsQuery(ListQuery):
    """List repairs, newest first."""

    road: Annotated[
        RoadCode | None, Field(description=N_("Road code, e.g. G30."), examples=["G30"])
    ] = None
    kind: Annotated[Code(REPAIR_KINDS) | None, Field(description=N_("Kind of repair."))] = None
    since: FilterDay | None = _from(N_("First day (YYYY-MM-DD)."))
    until: FilterDay | None = _to(N_("Last day (YYYY-MM-DD)."))
    include_voided: Annotated[
        Flag | None, Field(description=N_("1 to include voided records."))
    ] = None


class DirectionQuery(Input):
    """A carriageway."""

    direction: Annotated[Code(DIRECTIONS) | None, Field(description=N_("Carriageway."))] = None


class SurveyUnitsQuery(DirectionQuery):
    road: Annotated[
        RoadCode | None, Field(description=N_("Road code, e.g. G30."), examples=["G30"])
    ] = None


class PositionQuery(DirectionQuery):
    messages: ClassVar = {"stake": N_("Write the stake like K12+345.")}

    stake: Annotated[Stake, Field(description=N_("Stake, e.g. K12+345."), examples=["K3505+000"])]
    lon: Annotated[Lon | None, Field(description=N_("Longitude."), examples=[87.68])] = None
    lat: Annotated[Lat | None, Field(description=N_("Latitude."), examples=[43.859])] = None
    prefer: Annotated[
        Code(("before", "after")) | None,
        Field(description=N_("In a long-chain overlap: before or after the break.")),
    ] = None


class LocateQuery(Input):
    lon: Annotated[Lon, Field(description=N_("Longitude."), examples=[87.68])]
    lat: Annotated[Lat, Field(description=N_("Latitude."), examples=[43.859])]
    tolerance: Annotated[
        Number(0, 5000, above=True) | None,
        Field(description=N_("Search radius in metres (default 100).")),
    ] = None
    road: Annotated[
        RoadCode | None, Field(description=N_("Road code, e.g. G30."), examples=["G30"])
    ] = None


class AnnualReportQuery(Input):
    """The report's period (a year, a month, or a date range), road and cut-off."""

    year: Annotated[Int(2000, 2100) | None, Field(description=N_("Year."))] = None
    month: Annotated[Int(1, 12) | None, Field(description=N_("Month (with year)."))] = None
    since: FilterDay | None = _from(N_("First day (YYYY-MM-DD)."))
    until: FilterDay | None = _to(N_("Last day (YYYY-MM-DD)."))
    road: Annotated[
        RoadCode | None, Field(description=N_("Road code, e.g. G30."), examples=["G30"])
    ] = None
    cutoff: Annotated[
        FilterDay | None, Field(description=N_("Count records entered up to this day."))
    ] = None
