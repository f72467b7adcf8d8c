"""`flask report annual`: the annual maintenance report as text, JSON, CSV or XLSX;
`flask report rebuild-rollups`: refill the report's roll-ups from the records."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import text

from inspection.errors import DomainError
from inspection.exports import csv_bytes, xlsx_bytes
from inspection.extensions import db
from inspection.reports import annual
from inspection.reports.annual import crew_queries, fleet_queries, plan_queries, queries


@click.group("report", help="Reports computed from the records.")
def report_cli() -> None:
    pass


@report_cli.command("annual")
@click.option("--year", type=int, help="Calendar year (default: this year, branch time).")
@click.option("--month", type=click.IntRange(1, 12), help="One month of the year.")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="Start of a date range.")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="End of a date range (inclusive).")
@click.option("--cutoff", metavar="YYYY-MM-DD", help="Rectification cut-off date.")
@click.option("--road", help="One road code, e.g. G30.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv", "xlsx"]),
    default="text",
    show_default=True,
)
@click.option(
    "--table",
    type=click.Choice(annual.TABLE_KEYS),
    default="totals",
    show_default=True,
    help="The table a CSV holds.",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="Write to this file.")
@with_appcontext
def annual_command(year, month, start, end, cutoff, road, fmt, table, lang, output) -> None:
    """Compute the report from the records now and print or write it."""
    timezone = current_app.config["BRANCH_TIMEZONE"]
    now = datetime.now(ZoneInfo(timezone))
    given = {"year": year, "month": month, "from": start, "to": end, "cutoff": cutoff}
    params = {k: str(v) for k, v in {**given, "road": road}.items() if v is not None}
    try:
        asked = annual.parse_request(params, today=now.date())
        report = queries.annual_report(db.session, asked, timezone=timezone, now=now)
        report = crew_queries.with_crew(db.session, report)
        report = plan_queries.with_plan(db.session, report)
        report = fleet_queries.with_fleet(db.session, report, today=now.date())
    except DomainError as error:
        raise click.UsageError(str(error)) from None

    if fmt == "xlsx":
        if not output:
            raise click.UsageError("--format xlsx needs --output FILE.")
        body = xlsx_bytes(annual.xlsx_sheets(report, lang))
    elif fmt == "csv":
        chosen = {t.key: t for t in annual.tables(report, lang)}.get(table)
        if chosen is None:  # a crew, fleet or plan table of a report without their figures
            raise click.UsageError(f"The report has no table {table}.")
        body = csv_bytes(chosen.headers, chosen.values())
    elif fmt == "json":
        body = (json.dumps(annual.as_json(report), ensure_ascii=False, indent=2) + "\n").encode()
    else:
        body = text_report(report, lang).encode()
    if output:
        with open(output, "wb") as stream:
            stream.write(body)
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()


def text_report(report: annual.AnnualReport, locale: str) -> str:
    """Return the report for a terminal: what it covers, the totals, the paragraphs (zh, en)."""
    lines = [f"{label}: {value}" for label, value in annual.about_rows(report, locale)]
    totals = annual.totals_table(report, locale)
    shown = totals.display()
    width = max(len(f"{row[0].text} ({row[1].text})") for row in shown) + 2
    lines.append("")
    header = totals.headers
    lines.append(f"{header[0]:<{width}}{header[2]:>14}{header[3]:>14}{header[4]:>14}")
    for row in shown:
        name = f"{row[0].text} ({row[1].text})"
        lines.append(f"{name:<{width}}{row[2].text:>14}{row[3].text:>14}{row[4].text:>14}")
    for language in ("zh", "en"):
        for paragraph in report.paragraphs(language).values():
            lines += ["", paragraph]
    lines.append("")
    return "\n".join(lines)


@report_cli.command("rebuild-rollups")
@with_appcontext
def rebuild_rollups_command() -> None:
    """Refill the annual report's roll-ups from the records, in the branch's time zone.

    The database keeps them exact as records change; run this after changing BRANCH_TIMEZONE
    (until then the report reads the records, correct but slower) or after loading records with
    triggers off. It locks the record tables' writes while it runs (seconds per million rows).
    """
    zone = current_app.config["BRANCH_TIMEZONE"]
    started = time.perf_counter()
    db.session.execute(text("SELECT report_rollups_rebuild(:zone)"), {"zone": zone})
    db.session.commit()
    click.echo(f"roll-ups rebuilt in time zone {zone} in {time.perf_counter() - started:.1f} s")
