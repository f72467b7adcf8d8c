"""Check what an annual report is asked for: period, cut-off, road."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from inspection.errors import N_, ValidationError
from inspection.reports.annual.metrics import is_chinese

# --------------------------------------------------------------------------- period


@dataclass(frozen=True, slots=True)
class Period:
    """Dates a report covers, both inclusive, in the branch's time zone."""

    start: date
    end: date
    year: int | None = None  # set for a calendar year or one month of it
    month: int | None = None

    @classmethod
    def for_year(cls, year: int, month: int | None = None) -> Period:
        if month is None:
            return cls(date(year, 1, 1), date(year, 12, 31), year, None)
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), year, month)

    @property
    def kind(self) -> str:
        if self.month is not None:
            return "month"
        return "year" if self.year is not None else "range"

    def previous(self) -> Period:
        """Return the same dates one year earlier."""
        if self.year is not None:
            return Period.for_year(self.year - 1, self.month)
        return Period(year_earlier(self.start), year_earlier(self.end))

    def months(self) -> list[str]:
        """Return the months the period touches as ``YYYY-MM``, in order."""
        keys, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            keys.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return keys

    def label(self, locale: str) -> str:
        if is_chinese(locale):
            if self.kind == "year":
                return f"{self.year}年"
            if self.kind == "month":
                return f"{self.year}年{self.month}月"
            return f"{zh_date(self.start)}至{zh_date(self.end)}"
        if self.kind == "year":
            return str(self.year)
        if self.kind == "month":
            return f"{calendar.month_name[self.month]} {self.year}"
        return f"{en_date(self.start)} – {en_date(self.end)}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "year": self.year,
            "month": self.month,
        }


def year_earlier(day: date) -> date:
    """Return the same date a year earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def en_date(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


MAX_RANGE_DAYS = 3653  # ten years
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """What a report was asked for, checked: period, cut-off, road."""

    period: Period
    cutoff: date
    road: str | None = None

    @property
    def previous_period(self) -> Period:
        return self.period.previous()

    @property
    def previous_cutoff(self) -> date:
        """Return the previous period's cut-off: as far after its start as this one's."""
        previous = self.previous_period
        if self.cutoff >= self.period.end:
            return previous.end + (self.cutoff - self.period.end)
        return year_earlier(self.cutoff)


def _invalid(field_name: str, message: str, **params: Any) -> ValidationError:
    return ValidationError(
        message, fields={field_name: N_("Not one of the allowed values.")}, **params
    )


def _int(params: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise _invalid(
            name,
            N_("The parameter %(name)s must be a whole number from %(minimum)d to %(maximum)d."),
            name=name,
            minimum=low,
            maximum=high,
        )
    return int(raw)


def _date(params: Mapping[str, str], name: str) -> date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _invalid(
            name, N_("The parameter %(name)s must be a date like 2026-05-01."), name=name
        ) from None


def parse_request(params: Mapping[str, str], *, today: date) -> ReportRequest:
    """Check the report's parameters (``year``, ``month``, ``from``, ``to``, ``cutoff``, ``road``).

    `today` is the branch's local date. Raise ValidationError naming the parameter at fault.
    """
    year = _int(params, "year", MIN_YEAR, MAX_YEAR)
    month = _int(params, "month", 1, 12)
    start, end = _date(params, "from"), _date(params, "to")
    if start is not None or end is not None:
        if year is not None or month is not None:
            raise _invalid(
                "from", N_("Give either a year (and a month) or a date range, not both.")
            )
        if start is None or end is None:
            raise _invalid(
                "to" if end is None else "from", N_("A date range needs both from and to.")
            )
        if end < start:
            raise _invalid("to", N_("The end of the date range is before its start."))
        if (end - start).days >= MAX_RANGE_DAYS:
            raise _invalid("to", N_("A date range may cover at most ten years."))
        period = Period(start, end)
    else:
        period = Period.for_year(year if year is not None else today.year, month)
    if period.start > today:
        raise _invalid(
            "from" if period.kind == "range" else "year",
            N_("The period starts on %(start)s, after today."),
            start=period.start.isoformat(),
        )
    cutoff = _date(params, "cutoff")
    if cutoff is None:
        cutoff = min(period.end, today)
    elif cutoff < period.start:
        raise _invalid(
            "cutoff",
            N_("The cut-off date must not be before the period starts (%(start)s)."),
            start=period.start.isoformat(),
        )
    elif cutoff > today:
        raise _invalid(
            "cutoff",
            N_("The cut-off date must not be after today (%(today)s)."),
            today=today.isoformat(),
        )
    road = (params.get("road") or "").strip().upper() or None
    if road is not None and (len(road) > 16 or not road.replace("-", "").isalnum()):
        raise _invalid("road", N_("There is no road %(code)s."), code=road)
    return ReportRequest(period, cutoff, road)
