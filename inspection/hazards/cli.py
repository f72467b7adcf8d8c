"""`flask audit verify`: re-compute the hazard audit chains and name the first broken event."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from inspection.extensions import db
from inspection.hazards import services


@click.group("audit", help="Check the hazard audit trail.")
def audit_cli() -> None:
    pass


@audit_cli.command("verify")
@with_appcontext
def verify() -> None:
    """Re-compute every hazard's hash chain; exit 1 naming the first broken event of each."""
    breaks = services.verify_audit_chains(db.session)
    if not breaks:
        click.echo("audit chains intact")
        return
    for found in breaks:
        click.echo(f"hazard {found.hazard_id}: event {found.seq}: {found.reason}")
    raise SystemExit(1)
