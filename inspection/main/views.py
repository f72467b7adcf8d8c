"""Home page, language switch and health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
)
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from inspection.extensions import db
from inspection.redirects import redirect_target
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
    return redirect(redirect_target(request.form.get("next"), use_referrer=True))


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


@bp.route("/sw.js")
@public
def service_worker():
    """Serve the service worker from the root so that its scope covers the field pages."""
    response = send_from_directory(current_app.static_folder, "js/sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/manifest.webmanifest")
@public
def manifest():
    return current_app.response_class(
        render_template("main/manifest.webmanifest"), mimetype="application/manifest+json"
    )


@bp.route("/diagnostics")
@public
def diagnostics():
    """Show what this browser supports before a crew goes out (OFFLINE.md rule 10)."""
    return render_template("main/diagnostics.html")
