"""Command-line tasks of crew safety: `flask crew erase-readings` (run daily by cron or a timer)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from inspection.crew import pretrip
from inspection.extensions import db


@click.group("crew", help="Crew safety: pre-trip checks, briefings, work zones.")
def crew_cli() -> None:
    pass


@crew_cli.command("erase-readings")
@click.option(
    "--today", metavar="YYYY-MM-DD", help="The day to count from (default: today, branch time)."
)
@with_appcontext
def erase_readings_command(today: str | None) -> None:
    """Erase the health readings of pre-trip checks older than the retention period.

    The results (passed, drink/drunk level, blood pressure fit or not) stay. Safe to run as often
    as wanted; meant to run once a day.
    """
    if today:
        try:
            day = date.fromisoformat(today)
        except ValueError:
            raise click.UsageError("--today must be YYYY-MM-DD.") from None
    else:
        day = datetime.now(ZoneInfo(current_app.config["BRANCH_TIMEZONE"])).date()
    erased = pretrip.erase_expired_readings(db.session, day)
    db.session.commit()
    click.echo(f"erased the readings of {erased} pre-trip check(s) older than the retention period")
