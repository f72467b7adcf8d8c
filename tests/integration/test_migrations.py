"""The migrations build the schema from empty and tear it down again."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from tests.conftest import make_test_app, recreate_database, url_of_test_database


@pytest.fixture
def scratch_app(tmp_path_factory):
    url = url_of_test_database()
    url = url.set(database=f"{url.database}_migrations")
    recreate_database(url)
    yield make_test_app(url, tmp_path_factory), url


def test_upgrade_from_empty_then_downgrade_to_base(scratch_app):
    app, url = scratch_app
    engine = create_engine(url)
    try:
        with app.app_context():
            upgrade()
        tables = set(inspect(engine).get_table_names())
        assert {"users", "api_tokens", "spatial_ref_sys"} <= tables
        with engine.connect() as conn:
            assert conn.execute(text("select postgis_lib_version()")).scalar().startswith("3.")

        with app.app_context():
            downgrade(revision="base")
        engine.dispose()
        left = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert left == set()

        with app.app_context():
            upgrade()  # and back up again, so the downgrade left nothing half-removed
        engine.dispose()
        assert "users" in inspect(engine).get_table_names()
    finally:
        with app.app_context():
            from inspection.extensions import db

            db.engine.dispose()
        engine.dispose()
