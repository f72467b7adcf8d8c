"""Home page, language switch and health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from inspection.extensions import db
from inspection.web import permission_required, public

bp = Blueprint("main", __name__)


@bp.route("/")
@permission_required("account.self")
def home():
    return render_template("main/home.html")


@bp.route("/lang", methods=["POST"])
@public
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    target = request.form.get("next", "")
    return redirect(
        target if target.startswith("/") and not target.startswith("//") else url_for("main.home")
    )


@bp.route("/healthz")
@public
def healthz():
    try:
        row = db.session.execute(
            text("select current_setting('server_version'), postgis_lib_version()")
        ).one()
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.warning("health check failed: %s", error.__class__.__name__)
        return jsonify({"status": "unavailable", "database": None, "postgis": None}), 503
    return jsonify(
        {
            "status": "ok",
            "database": f"PostgreSQL {row[0]}",
            "postgis": row[1],
        }
    )
