"""`flask backup create|restore|verify`: the database and the photo files, with a manifest."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from inspection.config import PROJECT_ROOT
from inspection.ops import backup as ops


@click.group("backup", help="Back up and restore the database and the photo files.")
def backup_cli() -> None:
    pass


def _database_url() -> str:
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


@backup_cli.command("create")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=PROJECT_ROOT / "instance" / "backups",
    show_default=True,
    help="Folder under which the backup folder is written.",
)
@with_appcontext
def create(out_dir: Path) -> None:
    """Dump the database (pg_dump -Fc), copy its photo files, write the manifest."""
    try:
        folder = ops.create_backup(
            _database_url(), current_app.config["MEDIA_ROOT"], out_dir, say=click.echo
        )
    except ops.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(str(folder))


@backup_cli.command("restore")
@click.argument("backup", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Drop and re-create a target database that holds tables; add to a non-empty media folder.",
)
@with_appcontext
def restore(backup: Path, force: bool) -> None:
    """Restore into DATABASE_URL's database and MEDIA_ROOT, both empty; check the manifest."""
    try:
        result = ops.restore_backup(
            backup, _database_url(), current_app.config["MEDIA_ROOT"], force=force, say=click.echo
        )
    except ops.BackupError as error:
        raise click.ClickException(str(error)) from None
    if result.mismatches:
        raise SystemExit(1)


@backup_cli.command("verify")
@click.argument("backup", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def verify(backup: Path) -> None:
    """Compare the configured database and media folder with a backup's manifest."""
    try:
        manifest = ops.read_manifest(backup)
    except ops.BackupError as error:
        raise click.ClickException(str(error)) from None
    state = ops.verify_against(manifest, _database_url(), current_app.config["MEDIA_ROOT"])
    for line in state["mismatches"]:
        click.echo(line)
    if state["mismatches"]:
        raise SystemExit(1)
    click.echo(f"{backup}: the database and the media folder match the manifest")
