"""What the coverage pages and API read: the period and road asked for, a frequency."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, ClassVar

from pydantic import Field

from inspection.errors import N_, ValidationError
from inspection.inputs import Day, Input, Int, RoadCode
from inspection.tracks.coverage import Period

#: The default period: the last 30 complete days, ending yesterday. Today is not over: with today
#: in the period a daily road patrolled yesterday would read as a gap every morning.
DEFAULT_DAYS = 30
#: The longest period one request may ask for (a leap year).
MAX_DAYS = 366
#: A day of a coverage period: from 2000 to a year ahead.
CoverageDay = Day(1)


class CoverageQuery(Input):
    """The period (default: the 30 days ending yesterday) and, optionally, one road."""

    since: CoverageDay | None = Field(
        None,
        alias="from",
        description=N_("First day (YYYY-MM-DD); default 29 days before the last."),
    )
    until: CoverageDay | None = Field(
        None, alias="to", description=N_("Last day (YYYY-MM-DD); default yesterday.")
    )
    road: Annotated[
        RoadCode | None, Field(description=N_("Road code, e.g. G30."), examples=["G30"])
    ] = None

    def period(self, today: date) -> Period:
        """Return the period asked for, or raise a 422 naming the bad field."""
        return period_of(self.since, self.until, today)


def period_of(since: date | None, until: date | None, today: date) -> Period:
    """Return the period from optional first and last days (default: 30 days to yesterday)."""
    yesterday = today - timedelta(days=1)
    last = until or (yesterday if since is None or since <= yesterday else since)
    first = since or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationError(
            N_("The first day is after the last day."),
            fields={"from": N_("The first day is after the last day.")},
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationError(
            N_("A coverage period is at most %(days)d days."),
            fields={"to": N_("The period is too long.")},
            days=MAX_DAYS,
        )
    return Period(first, last)


class FrequencyBody(Input):
    """How often a road class is patrolled."""

    messages: ClassVar = {
        f"every_days{kind}": N_("Give a whole number of days from 1 to 365.")
        for kind in ("", ":too_small", ":too_large", ":whole_number")
    }

    every_days: Annotated[
        Int(1, 365), Field(description=N_("Patrolled every this many days (1 = daily)."))
    ]
