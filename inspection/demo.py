"""`flask demo load`: demo users and roads (and, as areas grow, demo records)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.extensions import db
from inspection.network import services as network_services
from inspection.network.importing import FieldNames
from inspection.network.models import Road
from inspection.network.sample import demo_network

DEMO_PASSWORD = "demo-pass-2026"
DEMO_USERS = [
    ("crew1", "王建国", ["patrol"]),
    ("crew2", "阿不都热合曼", ["patrol"]),
    ("officer1", "李安全", ["safety_officer"]),
    ("manager1", "张经理", ["manager"]),
    ("admin", "系统管理员", ["admin"]),
]


def load_demo(session) -> list[tuple[str, str]]:
    """Create the demo users and roads that do not exist yet; return (username, roles) of each."""
    # Demo roads only go into an empty network: they must never replace real centrelines.
    if session.scalar(select(func.count(Road.id))) == 0:
        network_services.import_features(session, demo_network(), FieldNames())
    logins = []
    for username, display_name, roles in DEMO_USERS:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            auth_services.create_user(
                session, username, DEMO_PASSWORD, roles, display_name=display_name
            )
        logins.append((username, ",".join(roles)))
    return logins


@click.group("demo", help="Demo data for trying the app.")
def demo_cli() -> None:
    pass


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
@with_appcontext
def load(if_empty: bool) -> None:
    """Load demo users and records, and print the demo logins."""
    if if_empty and db.session.scalar(select(func.count(User.id))):
        click.echo("demo: the database already has users; nothing loaded.")
        _print_logins([(u, ",".join(r)) for u, _, r in DEMO_USERS])
        return
    logins = load_demo(db.session)
    db.session.commit()
    _print_logins(logins)


def _print_logins(logins: list[tuple[str, str]]) -> None:
    click.echo(f"Demo logins (password {DEMO_PASSWORD!r} for all):")
    for username, roles in logins:
        click.echo(f"  {username:10} {roles}")
