"""Flask extensions, created once and initialised in create_app."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from geoalchemy2 import alembic_helpers

from inspection.db import Base
from inspection.replica import RoutingSession

# RoutingSession sends the reads of report, OGC and map requests to a replica when one is set.
db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})
# GeoAlchemy2's helpers keep autogenerate from dropping spatial_ref_sys and write the right imports.
migrate = Migrate(
    include_object=alembic_helpers.include_object,
    process_revision_directives=alembic_helpers.writer,
    render_item=alembic_helpers.render_item,
    compare_type=True,
    render_as_batch=False,  # batch mode is for SQLite; PostgreSQL alters tables in place
)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
