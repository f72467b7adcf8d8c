"""Two managers confirm one statement at once: one confirms it, the other is told it is frozen.

This needs real concurrent transactions, so it commits to the test database (and empties the
tables it touched afterwards) instead of running inside the usual rolled-back transaction.
"""

import threading
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.extensions import db
from inspection.plans import statements
from inspection.plans.models import Statement

TABLES = "statement_repairs, statement_lines, statements, api_tokens, users"


@pytest.fixture
def committed(app):
    with app.app_context():
        db.session.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        first = auth_services.create_user(db.session, "c.manager1", "password-1", ["manager"])
        second = auth_services.create_user(db.session, "c.manager2", "password-1", ["manager"])
        statements.build_statement(db.session, 2001, 1, actor=first, today=date(2026, 1, 1))
        db.session.commit()
        ids = first.id, second.id
        engine = db.engine
    yield engine, *ids
    with app.app_context():
        db.session.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        db.session.commit()


def test_two_confirmations_at_once_one_wins(committed):
    engine, *user_ids = committed
    barrier = threading.Barrier(2)
    results = {}

    def confirm(user_id):
        with Session(engine) as session:
            user = session.get(User, user_id)
            session.scalar(text("SELECT 1"))
            barrier.wait()
            try:
                statements.confirm_statement(session, 2001, 1, actor=user)
                session.commit()
                results[user_id] = "confirmed"
            except statements.StatementFrozen as error:
                session.rollback()
                results[user_id] = error.code

    threads = [threading.Thread(target=confirm, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["confirmed", "statement_frozen"]
    winner = next(uid for uid, result in results.items() if result == "confirmed")
    with Session(engine) as session:
        statement = session.query(Statement).filter_by(year=2001, month=1).one()
        assert statement.state == "confirmed" and statement.confirmed_by_id == winner
