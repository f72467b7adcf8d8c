"""GPS → stake holds no transaction: no BEGIN before its statements, no ROLLBACK after them.

The look-up is read in single statements (the token's, then the look-up), so its request runs in
autocommit (web.without_transaction); a pooled connection goes back to transactions for the next
request. An app with its own engine is used: the tests' shared connection keeps its transaction.
"""

from __future__ import annotations

from sqlalchemy import event

from inspection import create_app
from inspection.extensions import db
from tests.conftest import url_of_test_database


def test_locate_runs_without_a_transaction_and_the_next_request_has_one():
    url = url_of_test_database().render_as_string(hide_password=False)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0},
        }
    )
    seen: list[tuple[str, bool]] = []

    def record(connection, _cursor, statement, *_args) -> None:
        driver = connection.connection.driver_connection
        seen.append((statement.split()[0], driver.autocommit))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    client = app.test_client()
    headers = {"Authorization": "Bearer insp_nobody"}  # the token's look-up runs, then 401
    try:
        answer = client.get("/api/v1/locate?lon=87.6&lat=43.8", headers=headers)
        assert answer.status_code == 401
        assert seen and all(autocommit for _, autocommit in seen)
        seen.clear()
        assert client.get("/api/v1/roads", headers=headers).status_code == 401
        assert seen and not any(autocommit for _, autocommit in seen)
    finally:
        event.remove(engine, "before_cursor_execute", record)
        with app.app_context():
            db.engine.dispose()
