"""Request plumbing shared by every blueprint: access control, error answers, security headers."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from flask import current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError
from werkzeug.exceptions import HTTPException

from inspection.auth.loaders import authenticate_bearer
from inspection.auth.permissions import roles_with
from inspection.errors import CODE_WORDS, DomainError
from inspection.extensions import db

log = logging.getLogger(__name__)

PUBLIC = "__public__"


def permission_required(permission: str) -> Callable:
    """Declare the permission a view needs; enforced for every request in `check_access`."""

    def mark(view: Callable) -> Callable:
        view.permission = permission
        return view

    return mark


def public(view: Callable) -> Callable:
    """Declare a view open to anonymous visitors (login page, health check)."""
    view.permission = PUBLIC
    return view


def branch_zone() -> ZoneInfo:
    """Return the branch's time zone: days, months and years are counted in it (DESIGN §6a)."""
    return ZoneInfo(current_app.config["BRANCH_TIMEZONE"])


def branch_today() -> date:
    """Return today's date in the branch's time zone."""
    return datetime.now(branch_zone()).date()


def wants_json() -> bool:
    """Tell whether this request should be answered in JSON rather than HTML."""
    return request.path.startswith(("/api/", "/ogc/")) or request.path == "/healthz"


def refuse_nul_bytes() -> Any:
    """Refuse text with NUL characters up front: PostgreSQL cannot store them (400, not 500)."""
    path_values = (request.view_args or {}).values()
    texts = [*request.args.values(), *request.form.values()]
    texts += [value for value in path_values if isinstance(value, str)]
    if request.is_json:
        texts.append(request.get_data(as_text=True).replace("\\u0000", "\x00"))
    if any("\x00" in text for text in texts):
        return error_response(
            400,
            "bad_request",
            gettext("The request contains a NUL character, which text cannot hold."),
        )
    return None


def without_transaction(view: Callable) -> Callable:
    """Declare a view that only reads, in single statements: its request holds no transaction.

    Its session's connection is in autocommit, so psycopg sends no BEGIN before the first
    statement and nothing at the end (the ROLLBACK a read ends with): two round trips fewer. Each
    statement then sees the data as of its own start, as it does in a READ COMMITTED transaction
    anyway; a view that writes, or reads twice and needs both reads to agree, must not use this.
    The API token's last use (written at most every few minutes) commits by itself as before.
    """
    view.without_transaction = True
    return view


def _enter_autocommit() -> None:
    # Only on the app's own engine: a session bound to an outer connection (the tests'
    # transaction) keeps it, and a session that already began keeps what it began.
    if isinstance(db.session.get_bind(), Engine) and not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def check_access() -> Any:
    """Deny by default: a view with no declared permission is refused to everybody."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "without_transaction", False):
        _enter_autocommit()
    authenticate_bearer(request)
    permission = getattr(view, "permission", None)
    if permission == PUBLIC:
        return None
    if permission is None:
        log.error("endpoint %s declares no permission; refusing", request.endpoint)
        return error_response(403, "forbidden", gettext("You may not do this."))
    if not current_user.is_authenticated:
        if wants_json():
            return error_response(401, "unauthorized", gettext("Sign in or send an API token."))
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not current_user.can(permission):
        roles = ", ".join(gettext(CODE_WORDS[r]) for r in sorted(roles_with(permission)))
        return error_response(
            403, "forbidden", gettext("This needs one of these roles: %(roles)s.", roles=roles)
        )
    return None


def error_response(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> Any:
    """Answer an error as `{"error": {...}}` for API clients or as an HTML page for people."""
    if wants_json():
        body = {"error": {"code": code, "message": message, "fields": fields or {}}}
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message), status


def _word(value: Any) -> Any:
    """Translate a code a message names (a role, state or action, or a list of them)."""
    if not isinstance(value, str):
        return value
    words = CODE_WORDS
    for separator, joiner in ((" or ", gettext(" or ")), (", ", gettext(", "))):
        parts = value.split(separator)
        if all(part in words for part in parts):
            return joiner.join(gettext(words[part]) for part in parts)
    return value


def translate_error(error: DomainError) -> str:
    """Return a domain error's message in the page's language, codes in it turned into words."""
    if not error.params:
        return gettext(error.message)
    return gettext(error.message, **{k: _word(v) for k, v in error.params.items()})


def handle_domain_error(error: DomainError) -> Any:
    """Translate a domain error raised by a service into an answer."""
    fields = {name: gettext(text) for name, text in error.fields.items()}
    message = translate_error(error)
    if wants_json():
        body = {"code": error.code, "message": message, "fields": fields, **error.extra}
        answer = jsonify({"error": body}), error.status
    else:
        answer = error_response(error.status, error.code, message, fields)
    retry_after = getattr(error, "retry_after", None)
    return answer if retry_after is None else (*answer, {"Retry-After": str(retry_after)})


def unavailable_response(code: str, message: str, retry_after: int) -> Any:
    """Answer 503 with Retry-After, in a page that needs no database (it may be the cause)."""
    headers = {"Retry-After": str(retry_after)}
    if wants_json():
        body = {"error": {"code": code, "message": message, "fields": {}}}
        return jsonify(body), 503, headers
    # Straight from the Jinja environment: render_template's context processors would load the
    # signed-in user (Flask-Login), which needs the very database that is missing.
    page = current_app.jinja_env.get_template("errors/unavailable.html").render(
        status=503, message=message, current_locale=str(get_locale())
    )
    return page, 503, headers


def handle_database_busy(error: Exception) -> Any:
    """Every pooled connection stayed busy for the pool's timeout: 503 at once, not a hang."""
    log.warning("database pool exhausted on %s %s: %s", request.method, request.path, error)
    return unavailable_response(
        "database_busy",
        gettext("The server is busy; try again in a few seconds."),
        current_app.config.get("RETRY_AFTER_BUSY", 2),
    )


# SQLSTATEs that pass by themselves, so the client is told to retry (503 + Retry-After):
# serialization failure and deadlock (the transaction lost a race), lock timeout, the server
# shutting down, crashed or starting (a restart), too many connections; and class 08, the
# connection exceptions. Anything else the database refuses (a disk full, a statement error, a
# query cancelled by statement_timeout) would fail again the same way.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57P01", "57P02", "57P03", "53300"})
TRANSIENT_SQLSTATE_CLASSES = frozenset({"08"})


def is_transient_database_error(error: Exception) -> bool:
    """Tell whether a database error passes by itself (retry later) or would repeat."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated or isinstance(error, InterfaceError):
        return True  # the connection broke (SQLAlchemy saw a disconnect) or is closed
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate is None:
        # psycopg gives no SQLSTATE when the connection failed or was lost (refused, timed out,
        # "server closed the connection unexpectedly"): the server never answered the statement.
        return isinstance(error.orig, psycopg.OperationalError | psycopg.InterfaceError)
    return sqlstate in TRANSIENT_SQLSTATES or sqlstate[:2] in TRANSIENT_SQLSTATE_CLASSES


def handle_database_unavailable(error: Exception) -> Any:
    """A database fault: 503 + Retry-After when it passes by itself, else a logged 500.

    Restart, failover, a connection lost mid-request, a lost race (serialization, deadlock, lock
    timeout) are the client's cue to retry. The rest (a full disk, a statement the database
    refuses) would fail the same way again: a 500 without Retry-After, not presented as "try again".
    """
    if not is_transient_database_error(error):
        orig = getattr(error, "orig", None)
        log.error(
            "database error on %s %s: SQLSTATE %s, %s",
            request.method,
            request.path,
            getattr(orig, "sqlstate", None),
            type(orig or error).__name__,
            exc_info=error,
        )
        # The page's context may load the signed-in user: not in the failed transaction.
        with contextlib.suppress(DBAPIError):
            db.session.rollback()
        return error_response(
            500,
            "database_error",
            gettext("The database could not do this; the error has been logged."),
        )
    log.warning(
        "database unavailable on %s %s: %s (SQLSTATE %s)",
        request.method,
        request.path,
        type(getattr(error, "orig", None) or error).__name__,
        getattr(getattr(error, "orig", None), "sqlstate", None),
    )
    return unavailable_response(
        "database_unavailable",
        gettext("The database cannot be reached right now; try again in a moment."),
        current_app.config.get("RETRY_AFTER_UNAVAILABLE", 5),
    )


_HTTP_MESSAGES = {
    400: ("bad_request", lambda: gettext("The request could not be understood.")),
    401: ("unauthorized", lambda: gettext("Sign in or send an API token.")),
    403: ("forbidden", lambda: gettext("You may not do this.")),
    404: ("not_found", lambda: gettext("There is nothing at this address.")),
    405: ("method_not_allowed", lambda: gettext("This address does not accept that method.")),
    409: ("conflict", lambda: gettext("The record changed meanwhile; reload and try again.")),
    413: ("too_large", lambda: gettext("The upload is too large.")),
    415: ("unsupported_media_type", lambda: gettext("Send the body as JSON.")),
    422: ("validation_error", lambda: gettext("Some fields are not valid.")),
    429: ("too_many_requests", lambda: gettext("Too many requests; wait a moment.")),
}


def handle_http_error(error: HTTPException) -> Any:
    """Answer Werkzeug's HTTP errors (404, 405, bad JSON…) in the client's format."""
    status = error.code or 500
    if isinstance(error, CSRFError):
        return error_response(
            400,
            "csrf_failed",
            gettext(
                "The form has expired or was sent from elsewhere. Reload the page and try again."
            ),
        )
    code, message = _HTTP_MESSAGES.get(status, ("http_error", lambda: error.name))
    return error_response(status, code, message())


def handle_unexpected_error(error: Exception) -> Any:
    """Log an unexpected failure with its stack trace and answer 500 without details."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, "internal_error", gettext("Something went wrong on the server."))


def close_database_session(_error: BaseException | None = None) -> None:
    """End the request's session before Flask-SQLAlchemy would, surviving a dead connection.

    When PostgreSQL restarted mid-request, the rollback that closing the session sends fails
    too; raised from a teardown, it would turn the answer already made (a 503) into a 500.
    """
    try:
        db.session.remove()
    except DBAPIError as error:
        log.warning("closing the session failed (%s); its connection is dropped", error.orig)
        with contextlib.suppress(DBAPIError):
            if db.session.registry.has():
                db.session.registry().invalidate()
        db.session.registry.clear()


def security_headers(response: Any) -> Any:
    """Add headers that keep pages from being framed, sniffed or loading foreign code."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
    tile_origin = current_app.config.get("MAP_TILE_ORIGIN", "")
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data: blob: "
        + tile_origin
        + "; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
        "base-uri 'self'; form-action 'self'",
    )
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
