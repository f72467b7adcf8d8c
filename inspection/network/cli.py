"""`flask roads …`: import centrelines, list roads, recompute derived geometry."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from inspection.errors import DomainError
from inspection.extensions import db
from inspection.network import services
from inspection.network.importing import FieldNames
from inspection.network.models import Road
from inspection.network.stakes import format_stake


@click.group("roads", help="Manage the road network.")
def roads_cli() -> None:
    pass


@roads_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--code-field", default="roadcode", show_default=True)
@click.option("--name-field", default="roadname", show_default=True)
@click.option(
    "--start-field", default="startzh", show_default=True, help="Start stake (km or K…+…)."
)
@click.option("--end-field", default="endzh", show_default=True, help="End stake (km or K…+…).")
@click.option("--direction-field", default="ldlx", show_default=True, help="Empty for none.")
@click.option("--class-field", default="", help="Road class attribute (高速, 一级…), if any.")
@click.option(
    "--default-direction",
    type=click.Choice(["up", "down", "both"]),
    default="both",
    show_default=True,
    help="Direction of features without a direction attribute.",
)
@click.option(
    "--join-tolerance",
    type=float,
    default=50.0,
    show_default=True,
    help="Segment ends closer than this (m) join; farther apart is a gap or an overlap.",
)
@click.option("--dry-run", is_flag=True, help="Print what would happen; save nothing.")
@with_appcontext
def import_roads(
    path: Path,
    code_field: str,
    name_field: str,
    start_field: str,
    end_field: str,
    direction_field: str,
    class_field: str,
    default_direction: str,
    join_tolerance: float,
    dry_run: bool,
) -> None:
    """Import road centrelines from a GeoJSON file of segments with stake attributes."""
    started = time.perf_counter()
    try:
        features = json.loads(path.read_text(encoding="utf-8")).get("features") or []
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as error:
        raise click.ClickException(f"{path} is not a GeoJSON FeatureCollection: {error}") from None
    names = FieldNames(
        code=code_field,
        name=name_field,
        start=start_field,
        end=end_field,
        direction=direction_field or None,
        road_class=class_field or None,
        default_direction=default_direction,
    )
    try:
        summary = services.import_features(
            db.session, features, names, join_tolerance_m=join_tolerance, dry_run=dry_run
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(f"nothing imported: {error}") from None
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for line in summary.lines():
        click.echo(line)
    click.echo(f"time: {time.perf_counter() - started:.1f} s")


@roads_cli.command("list")
@with_appcontext
def list_roads() -> None:
    """List roads with their stake range and length."""
    for road in db.session.scalars(select(Road).order_by(Road.code, Road.direction)):
        click.echo(
            f"{road.code:8} {road.direction:5} {format_stake(road.start_chainage)}–"
            f"{format_stake(road.end_chainage)}  {road.length_m / 1000:9.3f} km  "
            f"{len(road.chain_breaks)} breaks  {road.name}"
        )


@roads_cli.command("recompute")
@click.argument("code")
@click.option("--direction", type=click.Choice(["up", "down", "both"]), default=None)
@with_appcontext
def recompute(code: str, direction: str | None) -> None:
    """Recompute derived geometry of every record on a road after its centreline changed."""
    try:
        road = services.get_road(db.session, code, direction)
        counts = services.recompute_derived_geometry(db.session, road)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{road.code}/{road.direction} (geometry version {road.geometry_version}):")
    for name, count in counts.items():
        click.echo(f"  {name}: {count} records recomputed")
    if not counts:
        click.echo("  no record types with derived geometry are registered yet")
