"""Account operations: users, passwords, sign-in throttling, sessions and API tokens."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from inspection.auth.models import ApiToken, LoginFailure, User
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

# Sign-in throttling, counted in PostgreSQL so every gunicorn worker and host sees the same
# count: at most LOGIN_LIMIT_PER_USERNAME failures for one user name and
# LOGIN_LIMIT_PER_ADDRESS for one client address within LOGIN_WINDOW. The address allows
# more because a branch office or a mobile carrier puts many people behind one address.
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_LIMIT_PER_USERNAME = 10
LOGIN_LIMIT_PER_ADDRESS = 30
# Failures older than the window are deleted this many at a time, whenever one is recorded.
LOGIN_PRUNE_BATCH = 500


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
    _check_password_length(password)
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


def _check_password_length(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            N_("A password needs at least %(n)d characters."),
            fields={field: N_("Password too short.")},
            n=MIN_PASSWORD_LENGTH,
        )


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


def login_key(username: str) -> str:
    """Return the form of a user name that sign-in failures are counted under."""
    return username.strip().casefold()[:64]


def login_retry_after(
    session: Session, username: str, address: str, *, now: datetime | None = None
) -> int | None:
    """Return the seconds before this user name and address may try to sign in, or None.

    Attempts on one user name wait for each other (a transaction-level advisory lock held
    until the caller's commit), so parallel guesses cannot all slip under the limit.
    """
    now = now or utcnow()
    key = login_key(username)
    session.execute(select(func.pg_advisory_xact_lock(func.hashtext("login:" + key))))
    waits = [
        _wait(session, LoginFailure.username == key, LOGIN_LIMIT_PER_USERNAME, now),
        _wait(session, LoginFailure.address == address[:45], LOGIN_LIMIT_PER_ADDRESS, now),
    ]
    return max((w for w in waits if w is not None), default=None)


def _wait(session: Session, condition, limit: int, now: datetime) -> int | None:
    # The limit-th latest failure inside the window: once it ages out, one more try is allowed.
    edge = session.scalar(
        select(LoginFailure.failed_at)
        .where(condition, LoginFailure.failed_at > now - LOGIN_WINDOW)
        .order_by(LoginFailure.failed_at.desc())
        .offset(limit - 1)
        .limit(1)
    )
    if edge is None:
        return None
    return max(1, math.ceil((edge + LOGIN_WINDOW - now).total_seconds()))


def record_login_failure(
    session: Session, username: str, address: str, *, now: datetime | None = None
) -> None:
    """Count a refused sign-in, and delete failures too old to count any more."""
    now = now or utcnow()
    session.add(LoginFailure(username=login_key(username), address=address[:45], failed_at=now))
    stale = (
        select(LoginFailure.id)
        .where(LoginFailure.failed_at <= now - LOGIN_WINDOW)
        .limit(LOGIN_PRUNE_BATCH)
        .with_for_update(skip_locked=True)  # another worker pruning the same rows is fine
    )
    session.execute(delete(LoginFailure).where(LoginFailure.id.in_(stale.scalar_subquery())))
    session.flush()


def end_sessions(session: Session, user: User) -> None:
    """End every session of the user: cookies issued before this are refused from now on."""
    session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_generation=User.session_generation + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(user, ["session_generation"])


def change_password(session: Session, user: User, current_password: str, new_password: str) -> None:
    """Set a new password after checking the current one, and end the user's sessions.

    The caller signs the current session in again under the new generation, so only the
    user's other sessions (other phones, a copied cookie) end.
    """
    if not check_password_hash(user.password_hash, current_password):
        raise ValidationError(
            N_("The current password is wrong."),
            fields={"current_password": N_("Wrong password.")},
        )
    _check_password_length(new_password, "new_password")
    user.password_hash = generate_password_hash(new_password, method=PASSWORD_METHOD)
    session.flush()
    end_sessions(session, user)


def session_user(session: Session, session_id: str) -> User | None:
    """Return the active user a session's "id:generation" names, if that session still holds."""
    user_id, _, generation = session_id.partition(":")
    if not user_id.isascii() or not user_id.isdigit() or len(user_id) > 10:
        return None
    # A cookie from before generations existed carries the bare id: generation 0.
    generation = generation or "0"
    if not generation.isascii() or not generation.isdigit() or len(generation) > 10:
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return user


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
    """Return the active user an unrevoked token belongs to, or None.

    The token's last use is set (not flushed) at most every TOKEN_USE_RESOLUTION; the caller
    tells by `session.dirty` whether there is anything to commit.
    """
    record = session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))  # one round trip for the token and its user
        .where(ApiToken.token_hash == _hash_token(token), ApiToken.revoked_at.is_(None))
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
