"""Reading query-string parameters: one place that names the bad field."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Response, jsonify, request

from inspection.errors import N_, ValidationError


def float_arg(name: str, *, required: bool = True, default: float | None = None) -> float | None:
    """Return a finite number from the query string, or raise a 422 naming the parameter."""
    raw = request.args.get(name, "").strip()
    if not raw:
        if required:
            raise ValidationError(
                N_("The parameter %(name)s is required."),
                fields={name: N_("This field is required.")},
                name=name,
            )
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValidationError(
            N_("The parameter %(name)s must be a number."),
            fields={name: N_("Enter a number.")},
            name=name,
        )
    return value


def choice_arg(name: str, choices: tuple[str, ...]) -> str | None:
    """Return an optional parameter that must be one of `choices`."""
    raw = request.args.get(name, "").strip()
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
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise ValidationError(
            N_("The parameter %(name)s must be a whole number from %(minimum)d to %(maximum)d."),
            fields={name: N_("Not one of the allowed values.")},
            name=name,
            minimum=minimum,
            maximum=maximum,
        )
    return int(raw)


def bbox_arg(name: str = "bbox") -> tuple[float, float, float, float] | None:
    """Return `minlon,minlat,maxlon,maxlat` from the query string, if given."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        values = tuple(float(v) for v in raw.split(","))
    except ValueError:
        values = ()
    if (
        len(values) != 4
        or not all(math.isfinite(v) for v in values)
        or values[0] > values[2]
        or values[1] > values[3]
    ):
        raise ValidationError(
            N_("The bbox must be minlon,minlat,maxlon,maxlat."),
            fields={name: N_("Not one of the allowed values.")},
        )
    return values  # type: ignore[return-value]


def date_arg(name: str) -> date | None:
    """Return an optional YYYY-MM-DD parameter, or raise a 422 naming it."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            N_("The parameter %(name)s must be a date like 2026-05-01."),
            fields={name: N_("Not one of the allowed values.")},
            name=name,
        ) from None


def local_day_arg(name: str, timezone: str, *, end: bool = False) -> datetime | None:
    """Return the start (or, with `end`, the end) of a YYYY-MM-DD day in the branch's time zone."""
    day = date_arg(name)
    if day is None:
        return None
    if end:
        day += timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone))


def page_args() -> tuple[int, int]:
    """Return the `page` and `per_page` of a list request (50 a page, 200 at most)."""
    return int_arg("page", default=1), int_arg("per_page", default=50, maximum=200)


def paged(key: str, items: list, *, page: int, per_page: int, total: int) -> Response:
    """Answer one page of a list with its position in the whole."""
    return jsonify({key: items, "page": page, "per_page": per_page, "total": total})
