"""Account operations: create users, check passwords, issue and revoke API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from inspection.auth.models import ApiToken, User
from inspection.auth.permissions import parse_roles
from inspection.db import utcnow
from inspection.errors import N_, NotFound, NotPermitted, ValidationError

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "insp_"
# A token's last use is written at most this often, so API reads do not each write a row.
TOKEN_USE_RESOLUTION = timedelta(minutes=5)
# scrypt is werkzeug's memory-hard KDF; the parameters are werkzeug's current defaults.
PASSWORD_METHOD = "scrypt"


def create_user(
    session: Session,
    username: str,
    password: str,
    roles: list[str],
    *,
    display_name: str = "",
) -> User:
    """Create a user with a hashed password and one or more roles."""
    username = username.strip()
    if not USERNAME_RE.match(username):
        raise ValidationError(
            N_("A username is 2–64 letters, digits, dots, dashes or underscores."),
            fields={"username": N_("Invalid username.")},
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            N_("A password needs at least %(n)d characters."),
            fields={"password": N_("Password too short.")},
            n=MIN_PASSWORD_LENGTH,
        )
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationError(
            N_("The username %(username)s is taken."),
            fields={"username": N_("Username taken.")},
            username=username,
        )
    user = User(
        username=username,
        display_name=display_name.strip(),
        password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
        roles=[r.value for r in parse_roles(roles)],
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        # Hash anyway so a wrong username takes as long as a wrong password.
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user


_DUMMY_HASH = generate_password_hash("not-a-password", method=PASSWORD_METHOD)


def active_users_with_role(session: Session, role: str) -> list[User]:
    """Return the active users holding a role, by username (e.g. who may be an assignee)."""
    return list(
        session.scalars(
            select(User)
            .where(func.array_position(User.roles, role).is_not(None), User.active.is_(True))
            .order_by(User.username)
        )
    )


def get_user(session: Session, username: str) -> User:
    """Return the user with this username or raise NotFound."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(N_("No user named %(username)s."), username=username)
    return user


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once, never stored
    record: ApiToken


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, *, name: str = "") -> IssuedToken:
    """Issue a new API token for a user; only its hash is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        user=user, name=name.strip(), token_hash=_hash_token(token), prefix=token[:12]
    )
    session.add(record)
    session.flush()
    return IssuedToken(token=token, record=record)


def user_for_token(session: Session, token: str) -> User | None:
    """Return the active user an unrevoked token belongs to, or None."""
    record = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == _hash_token(token), ApiToken.revoked_at.is_(None)
        )
    )
    if record is None or not record.user.active:
        return None
    now = utcnow()
    if record.last_used_at is None or now - record.last_used_at > TOKEN_USE_RESOLUTION:
        record.last_used_at = now
    return record.user


def revoke_token(session: Session, token_id: int, *, actor: User) -> ApiToken:
    """Revoke a token; its owner or an administrator may."""
    record = session.get(ApiToken, token_id)
    if record is None:
        raise NotFound(N_("No API token %(id)s."), id=token_id)
    if record.user_id != actor.id and not actor.can("users.manage"):
        raise NotPermitted(N_("Only the token's owner or an administrator may revoke it."))
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        session.flush()
    return record
