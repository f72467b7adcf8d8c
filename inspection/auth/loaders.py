"""How Flask-Login finds the user: the session cookie or an `Authorization: Bearer` token."""

from __future__ import annotations

from flask import Request, g
from flask_login import AnonymousUserMixin, LoginManager

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


def authenticate_bearer(request: Request) -> None:
    """Let an `Authorization: Bearer` token decide who the request is from, even beside a cookie.

    Flask-Login would prefer the session cookie; a program that sends a token means that token.
    An unknown or revoked token makes the request anonymous (401), never the cookie's user.
    """
    token = bearer_token(request)
    if token is None:
        return
    user = services.user_for_token(db.session, token)
    if db.session.dirty:
        # The token's last use, at most every TOKEN_USE_RESOLUTION: committed on its own so a
        # read (which never commits) or a refused write keeps it. Most requests commit nothing
        # here, so the view's objects are not expired and reloaded by a commit of this one.
        db.session.commit()
    g._login_user = user if user is not None else AnonymousUserMixin()


def register(manager: LoginManager) -> None:
    manager.login_view = "auth.login"
    manager.login_message = N_("Please sign in to see this page.")
    # "strong" would end the session whenever a phone changes mobile network (new IP).
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(session_id: str) -> User | None:
        # The session (or remember cookie) names "user id:session generation"; signing out
        # or changing the password raises the generation, so an old cookie finds nobody.
        return services.session_user(db.session, session_id)
