"""How Flask-Login finds the user: the session cookie or an `Authorization: Bearer` token."""

from __future__ import annotations

from flask import Request
from flask_login import LoginManager

from inspection.auth import services
from inspection.auth.models import User
from inspection.errors import N_
from inspection.extensions import db


def bearer_token(request: Request) -> str | None:
    """Return the token of an `Authorization: Bearer …` header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def register(manager: LoginManager) -> None:
    manager.login_view = "auth.login"
    manager.login_message = N_("Please sign in to see this page.")
    # "strong" would end the session whenever a phone changes mobile network (new IP).
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None

    @manager.request_loader
    def load_user_from_token(request: Request) -> User | None:
        token = bearer_token(request)
        if token is None:
            return None
        user = services.user_for_token(db.session, token)
        # Remember the token's use now: a read-only request would otherwise never commit it.
        db.session.commit()
        return user
