"""Sign in and out, the user's own API tokens, and user administration."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from inspection.auth import services
from inspection.auth.forms import LoginForm, TokenForm, UserForm
from inspection.auth.models import ApiToken, User
from inspection.errors import ValidationError
from inspection.extensions import db
from inspection.web import permission_required, public

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Follow `next` only within this site, so a crafted link cannot bounce users elsewhere."""
    if (
        target
        and not urlsplit(target).netloc
        and target.startswith("/")
        and not target.startswith("//")
    ):
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(gettext("Wrong username or password."))
        status = 401
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@public
def logout():
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@permission_required("account.self")
def account():
    form = TokenForm()
    issued = None
    if form.validate_on_submit():
        issued = services.issue_token(db.session, current_user, name=form.name.data or "")
        db.session.commit()
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id.desc())
    ).all()
    return render_template("auth/account.html", form=form, tokens=tokens, issued=issued)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@permission_required("account.self")
def revoke_token(token_id: int):
    services.revoke_token(db.session, token_id, actor=current_user)
    db.session.commit()
    flash(gettext("The token is revoked."), "success")
    return redirect(request.referrer if request.referrer else url_for("auth.account"))


@bp.route("/admin/users", methods=["GET", "POST"])
@permission_required("users.manage")
def users():
    form = UserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.create_user(
                db.session,
                form.username.data,
                form.password.data,
                form.roles.data,
                display_name=form.display_name.data or "",
            )
        except ValidationError as error:
            for name, message in error.fields.items():
                getattr(form, name).errors.append(gettext(message))
            status = 422
        else:
            db.session.commit()
            flash(gettext("User %(username)s created.", username=user.username), "success")
            return redirect(url_for("auth.users"))
    elif form.is_submitted():
        status = 422
    all_users = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("auth/users.html", form=form, users=all_users), status
