"""Sign in and out, the user's own API tokens, and user administration."""

from __future__ import annotations

import math

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_remembered, login_user, logout_user
from sqlalchemy import select

from inspection.auth import services
from inspection.auth.forms import LoginForm, PasswordForm, TokenForm, UserForm
from inspection.auth.loaders import bearer_token
from inspection.auth.models import ApiToken, User
from inspection.auth.schemas import TokenBody, UserBody
from inspection.errors import ValidationError
from inspection.extensions import db
from inspection.inputs import validate
from inspection.redirects import redirect_target
from inspection.web import permission_required, public

bp = Blueprint("auth", __name__)


def _show_fields(form, error: ValidationError) -> None:
    """Put a model's or service's field errors on the form's fields."""
    for name, message in error.fields.items():
        field = getattr(form, name.partition(".")[0], None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, gettext(message)]


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        wait = services.login_retry_after(db.session, form.username.data, address)
        if wait is not None:
            # Refused before the password is checked: a right guess during the wait shows nothing.
            form.password.errors.append(
                gettext(
                    "Too many failed sign-ins. Try again in %(minutes)d min.",
                    minutes=math.ceil(wait / 60),
                )
            )
            status, headers = 429, {"Retry-After": str(wait)}
        else:
            user = services.authenticate(db.session, form.username.data, form.password.data)
            if user is not None:
                db.session.commit()
                login_user(user, remember=form.remember.data)
                return redirect(redirect_target(request.args.get("next")))
            services.record_login_failure(db.session, form.username.data, address)
            db.session.commit()
            form.password.errors.append(gettext("Wrong username or password."))
            status = 401
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status, headers


@bp.route("/logout", methods=["POST"])
@public
def logout():
    # Signing out ends the user's sessions on the server too: a copied cookie is worthless.
    if current_user.is_authenticated and bearer_token(request) is None:
        services.end_sessions(db.session, current_user)
        db.session.commit()
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@permission_required("account.self")
def change_password():
    form = PasswordForm()
    status, headers = 200, {}
    address = request.remote_addr or "unknown"
    wait = None
    if form.validate_on_submit():
        # Wrong current passwords count as failed sign-ins: a stolen session cannot guess it.
        wait = services.login_retry_after(db.session, current_user.username, address)
    if wait is not None:
        form.current_password.errors.append(
            gettext(
                "Too many failed sign-ins. Try again in %(minutes)d min.",
                minutes=math.ceil(wait / 60),
            )
        )
        status, headers = 429, {"Retry-After": str(wait)}
    elif form.is_submitted() and not form.errors:
        try:
            services.change_password(
                db.session, current_user, form.current_password.data, form.new_password.data
            )
        except ValidationError as error:
            db.session.rollback()
            if "current_password" in error.fields:
                services.record_login_failure(db.session, current_user.username, address)
                db.session.commit()
            for name, message in error.fields.items():
                getattr(form, name).errors.append(gettext(message))
            status = 422
        else:
            db.session.commit()
            # This session goes on under the new generation; every other one has ended.
            login_user(current_user._get_current_object(), remember=login_remembered())
            flash(
                gettext("Your password is changed. Your other sessions are signed out."),
                "success",
            )
            return redirect(url_for("auth.account"))
    elif form.is_submitted():
        status = 422
    return render_template("auth/password.html", form=form), status, headers


@bp.route("/account", methods=["GET", "POST"])
@permission_required("account.self")
def account():
    form = TokenForm()
    issued = None
    status = 200
    if form.validate_on_submit():
        try:
            body = validate(TokenBody, {"name": form.name.data})  # the API's TokenBody
        except ValidationError as error:
            _show_fields(form, error)
            status = 422
        else:
            issued = services.issue_token(db.session, current_user, name=body.name)
            db.session.commit()
    elif form.is_submitted():
        status = 422
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id.desc())
    ).all()
    return render_template("auth/account.html", form=form, tokens=tokens, issued=issued), status


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@permission_required("account.self")
def revoke_token(token_id: int):
    services.revoke_token(db.session, token_id, actor=current_user)
    db.session.commit()
    flash(gettext("The token is revoked."), "success")
    return redirect(redirect_target(request.args.get("next"), use_referrer=True))


@bp.route("/admin/users", methods=["GET", "POST"])
@permission_required("users.manage")
def users():
    form = UserForm()
    status = 200
    if form.validate_on_submit():
        try:
            body = validate(UserBody, form.as_body())
            user = services.create_user(
                db.session,
                body.username,
                body.password,
                body.roles,
                display_name=body.display_name,
            )
        except ValidationError as error:
            db.session.rollback()
            _show_fields(form, error)
            status = 422
        else:
            db.session.commit()
            flash(gettext("User %(username)s created.", username=user.username), "success")
            return redirect(url_for("auth.users"))
    elif form.is_submitted():
        status = 422
    all_users = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("auth/users.html", form=form, users=all_users), status
