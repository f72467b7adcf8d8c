"""JSON API under /api/v1/ for the phone client and integrations."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from inspection.auth import services as auth_services
from inspection.auth.loaders import bearer_token
from inspection.auth.schemas import TokenBody
from inspection.errors import N_, DomainError
from inspection.extensions import csrf, db
from inspection.inputs import parse_body
from inspection.web import permission_required

bp = Blueprint("api", __name__, url_prefix="/api/v1")


class OutboxMakerMismatch(DomainError):
    """A phone's outbox entry made by another user than the one signed in (a shared phone)."""

    code = "outbox_maker_mismatch"
    status = 409


@bp.before_request
def protect_cookie_sessions():
    """Require a CSRF token when the API is used with the browser's session cookie."""
    if request.method not in ("GET", "HEAD", "OPTIONS") and bearer_token(request) is None:
        csrf.protect()


@bp.before_request
def refuse_other_makers():
    """Refuse an outbox entry sent under another user's session; the phone keeps it."""
    maker = request.headers.get("X-Outbox-Maker")
    if request.method not in ("POST", "PATCH", "PUT") or maker is None:
        return
    if not current_user.is_authenticated:
        return  # the view's own check answers 401
    if maker.strip().lower() != current_user.username.strip().lower():
        raise OutboxMakerMismatch(
            N_("This record was made by %(maker)s; sign in as %(maker)s to send it."),
            maker=maker.strip(),
            extra={"maker": maker.strip()},
        )


@bp.route("/me")
@permission_required("account.self")
def me():
    return jsonify(
        {
            "username": current_user.username,
            "name": current_user.name,
            "roles": current_user.roles,
            "csrf_token": generate_csrf(),
        }
    )


@bp.route("/tokens", methods=["POST"])
@permission_required("account.self")
def issue_token():
    body = parse_body(TokenBody)
    issued = auth_services.issue_token(db.session, current_user, name=body.name)
    db.session.commit()
    return jsonify({"id": issued.record.id, "token": issued.token, "name": issued.record.name}), 201


@bp.route("/tokens/<int:token_id>", methods=["DELETE"])
@permission_required("account.self")
def revoke_token(token_id: int):
    record = auth_services.revoke_token(db.session, token_id, actor=current_user)
    db.session.commit()
    return jsonify({"id": record.id, "revoked_at": record.revoked_at.isoformat()})
