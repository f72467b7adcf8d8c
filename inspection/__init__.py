"""inspection: field logging for highway maintenance branches."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy.exc
from flask import Flask, request, session
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from inspection import config as settings
from inspection.auth.permissions import ROLE_LABELS
from inspection.config import PROJECT_ROOT
from inspection.errors import DomainError
from inspection.extensions import babel, csrf, db, login_manager, migrate
from inspection.network.models import DIRECTION_LABELS, ROAD_CLASS_LABELS
from inspection.network.stakes import format_stake
from inspection.patrols.words import outbox_words


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application from the environment, overridden by `config`."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.config.update(settings.from_environment())
    if config:
        app.config.update(config)
    if app.config.get("PROXY_HOPS"):
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_logging(app)
    register_url_converters(app)
    register_access_control(app)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_error_handlers(app)
    register_cli(app)
    return app


def register_logging(app: Flask) -> None:
    if not app.debug and not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )


def select_locale() -> str:
    """Use the language the visitor chose; Simplified Chinese otherwise."""
    from flask import current_app

    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


# 0 … 2147483647 as a regular expression: a larger number then matches no rule at all. (Refused
# only by `to_python`, it would answer 405 instead of 404 where one path has a GET rule and a
# PATCH or PUT rule: the router notes the other rule's methods before the id is converted.)
_DATABASE_ID = (
    r"(?:[0-9]{1,9}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
    r"|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]"
    r"|214748364[0-7])"
)


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in URLs, bounded to PostgreSQL's integer: a larger id is a 404, not a 500."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)
        if kwargs["max"] == 2**31 - 1 and not kwargs.get("signed") and self.fixed_digits == 0:
            self.regex = _DATABASE_ID


def register_url_converters(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter


def register_access_control(app: Flask) -> None:
    from inspection import web

    # Before CSRF and every other hook: a forbidden request is refused as forbidden,
    # whatever else is wrong with it.
    app.before_request(web.check_access)
    app.before_request(web.refuse_nul_bytes)


def register_extensions(app: Flask) -> None:
    # Every area's tables on the metadata before the first flush: foreign keys between
    # areas (a patrol's vehicle and driver) resolve only when both tables are known.
    import inspection.models  # noqa: F401

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)

    from inspection.auth import loaders

    loaders.register(login_manager)


def register_blueprints(app: Flask) -> None:
    from inspection.api import briefings as _api_briefings  # noqa: F401
    from inspection.api import coverage as _api_coverage  # noqa: F401
    from inspection.api import drivers as _api_drivers  # noqa: F401
    from inspection.api import hazards as _api_hazards  # noqa: F401
    from inspection.api import inspections as _api_inspections  # noqa: F401
    from inspection.api import measurements as _api_measurements  # noqa: F401
    from inspection.api import network as _api_network  # noqa: F401  (routes on the API blueprint)
    from inspection.api import openapi as _api_openapi  # noqa: F401
    from inspection.api import patrols as _api_patrols  # noqa: F401
    from inspection.api import plan_execution as _api_plan_execution  # noqa: F401
    from inspection.api import plans as _api_plans  # noqa: F401
    from inspection.api import pretrip_checks as _api_pretrip_checks  # noqa: F401
    from inspection.api import repairs as _api_repairs  # noqa: F401
    from inspection.api import reports as _api_reports  # noqa: F401
    from inspection.api import sites as _api_sites  # noqa: F401
    from inspection.api import supplies as _api_supplies  # noqa: F401
    from inspection.api import surveys as _api_surveys  # noqa: F401
    from inspection.api import tracks as _api_tracks  # noqa: F401
    from inspection.api import vehicle_defects as _api_vehicle_defects  # noqa: F401
    from inspection.api import vehicles as _api_vehicles  # noqa: F401
    from inspection.api import work_zones as _api_work_zones  # noqa: F401
    from inspection.api.views import bp as api_bp
    from inspection.auth.views import bp as auth_bp
    from inspection.crew import briefing_views as _briefing_views  # noqa: F401
    from inspection.crew import daily_views as _crew_daily_views  # noqa: F401
    from inspection.crew import pretrip_views as _pretrip_views  # noqa: F401
    from inspection.crew import zone_views as _zone_views  # noqa: F401
    from inspection.crew.blueprint import bp as crew_bp
    from inspection.fleet import defect_views as _defect_views  # noqa: F401
    from inspection.fleet import driver_views as _driver_views  # noqa: F401
    from inspection.fleet import import_views as _fleet_import_views  # noqa: F401
    from inspection.fleet import vehicle_views as _vehicle_views  # noqa: F401
    from inspection.fleet.blueprint import bp as fleet_bp
    from inspection.hazards.views import bp as hazards_bp
    from inspection.inspections import field_views as _inspection_walk  # noqa: F401
    from inspection.inspections.views import bp as inspections_bp
    from inspection.main.views import bp as main_bp
    from inspection.mapview.views import bp as mapview_bp
    from inspection.media.views import bp as media_bp
    from inspection.network.views import bp as network_bp
    from inspection.ogc.views import bp as ogc_bp
    from inspection.patrols.views import bp as patrols_bp
    from inspection.plans import execution_views as _execution_views  # noqa: F401
    from inspection.plans import plan_views as _plan_views  # noqa: F401
    from inspection.plans import statement_views as _statement_views  # noqa: F401
    from inspection.plans.blueprint import bp as plans_bp
    from inspection.repairs.views import bp as repairs_bp
    from inspection.reports.views import bp as reports_bp
    from inspection.sites.views import bp as sites_bp
    from inspection.supplies import views as _supply_views  # noqa: F401
    from inspection.supplies.blueprint import bp as supplies_bp
    from inspection.surveys.views import bp as surveys_bp
    from inspection.tracks import coverage_views as _coverage_views  # noqa: F401
    from inspection.tracks import views as _track_views  # noqa: F401
    from inspection.tracks.blueprint import bp as tracks_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(network_bp)
    app.register_blueprint(patrols_bp)
    app.register_blueprint(hazards_bp)
    app.register_blueprint(inspections_bp)
    app.register_blueprint(repairs_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(sites_bp)
    app.register_blueprint(tracks_bp)
    app.register_blueprint(fleet_bp)
    app.register_blueprint(supplies_bp)
    app.register_blueprint(crew_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(media_bp)
    app.register_blueprint(mapview_bp)
    app.register_blueprint(ogc_bp)
    app.register_blueprint(api_bp)
    # The API authenticates by token (no cookie, so no CSRF risk) or by session cookie,
    # whose CSRF token the blueprint checks itself.
    csrf.exempt(api_bp)


def register_request_hooks(app: Flask) -> None:
    from inspection import replica, web

    # After access control's hook (register_access_control): reads of report, OGC and map
    # requests go to DATABASE_REPLICA_URL's database when it is set.
    replica.register(app, db)

    app.after_request(web.security_headers)
    # Registered after Flask-SQLAlchemy's, so it runs first (teardowns run in reverse order).
    app.teardown_appcontext(web.close_database_session)

    app.add_template_filter(format_stake, "stake")
    app.add_template_global(outbox_words)

    @app.context_processor
    def inject_globals() -> dict[str, Any]:
        return {
            "current_locale": select_locale(),
            "request_path": request.path,
            "role_labels": ROLE_LABELS,
            "direction_labels": DIRECTION_LABELS,
            "road_class_labels": ROAD_CLASS_LABELS,
        }


def register_error_handlers(app: Flask) -> None:
    from inspection import web

    app.register_error_handler(DomainError, web.handle_domain_error)
    # The database's faults are the client's cue to retry, never a 500: a pool that stays busy
    # past its timeout, and a database restarting, down or gone mid-request (OFFLINE.md rule 3).
    app.register_error_handler(sqlalchemy.exc.TimeoutError, web.handle_database_busy)
    app.register_error_handler(sqlalchemy.exc.OperationalError, web.handle_database_unavailable)
    app.register_error_handler(sqlalchemy.exc.InterfaceError, web.handle_database_unavailable)
    app.register_error_handler(HTTPException, web.handle_http_error)
    app.register_error_handler(Exception, web.handle_unexpected_error)


def register_cli(app: Flask) -> None:
    from inspection.auth.cli import users_cli
    from inspection.crew.cli import crew_cli
    from inspection.demo import demo_cli
    from inspection.hazards.cli import audit_cli
    from inspection.network.cli import roads_cli
    from inspection.ops.cli import backup_cli
    from inspection.reports.cli import report_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(roads_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(report_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(crew_cli)
