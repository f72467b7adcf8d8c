"""`flask users …`: create and list users, issue API tokens."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from inspection.auth import services
from inspection.auth.models import User
from inspection.auth.permissions import Role
from inspection.errors import DomainError
from inspection.extensions import db


@click.group("users", help="Manage users and API tokens.")
def users_cli() -> None:
    pass


@users_cli.command("create")
@click.argument("username")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="Repeat for several roles.",
)
@click.option("--name", "display_name", default="", help="Full name shown in the app.")
@click.password_option(help="Prompted when not given.")
@with_appcontext
def create(username: str, roles: tuple[str, ...], display_name: str, password: str) -> None:
    """Create a user."""
    try:
        user = services.create_user(
            db.session, username, password, list(roles), display_name=display_name
        )
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"created {user.username} ({', '.join(user.roles)})")


@users_cli.command("list")
@with_appcontext
def list_users() -> None:
    """List users with their roles."""
    for user in db.session.scalars(select(User).order_by(User.username)):
        state = "" if user.active else "  (inactive)"
        click.echo(f"{user.username:20} {','.join(user.roles):30} {user.display_name}{state}")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="cli", help="What the token is for.")
@with_appcontext
def token(username: str, name: str) -> None:
    """Issue an API token for a user and print it (shown only once)."""
    try:
        user = services.get_user(db.session, username)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    issued = services.issue_token(db.session, user, name=name)
    db.session.commit()
    click.echo(issued.token)
