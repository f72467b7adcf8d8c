"""Two officers change one unit's status at once: the changes are serialised on the unit's row,
and the second is judged against the first one's result (even when its session read the unit
before the first committed).

This needs real concurrent transactions, so it commits to the test database (and empties the
tables it touched afterwards) instead of running inside the usual rolled-back transaction.
"""

import threading
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from inspection.auth import services as auth_services
from inspection.errors import ValidationError
from inspection.extensions import db
from inspection.fleet import vehicles
from inspection.fleet.kinds import VehicleStatus
from inspection.fleet.models import Vehicle, VehicleStatusEvent
from inspection.fleet.status import StatusChange
from inspection.fleet.vehicles import VehicleInput

TABLES = "vehicle_defects, vehicle_services, vehicle_status_events, vehicles, api_tokens, users"
TODAY = date(2026, 3, 1)


@pytest.fixture
def committed(app):
    with app.app_context():
        db.session.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        user = auth_services.create_user(db.session, "c.machinery", "password-1", ["machinery"])
        unit = vehicles.create_vehicle(
            db.session,
            VehicleInput(kind="truck", number="新A88888", registered_on=date(2025, 1, 1)),
            user_id=user.id,
            today=TODAY,
        )
        db.session.commit()
        ids = user.id, unit.id
        engine = db.engine
    yield engine, *ids
    with app.app_context():
        db.session.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        db.session.commit()


def test_a_second_change_waits_and_is_judged_after_the_first(committed):
    engine, user_id, unit_id = committed
    locked, done = threading.Event(), threading.Event()
    outcome = {}

    def seal():
        with Session(engine) as session:
            change = StatusChange(
                VehicleStatus.sealed, TODAY, "停用", sealed_place="车库", key_holder="刘"
            )
            vehicles.change_status(session, unit_id, change, user_id=user_id, today=TODAY)
            locked.set()
            done.wait(timeout=2)  # hold the row lock a moment
            session.commit()

    def repair():
        with Session(engine) as session:
            stale = session.get(Vehicle, unit_id)  # read before the sealing commits
            assert stale.status == "fit"
            locked.wait(timeout=10)
            change = StatusChange(VehicleStatus.under_repair, TODAY, "大修")
            threading.Timer(0.3, done.set).start()
            try:
                vehicles.change_status(session, unit_id, change, user_id=user_id, today=TODAY)
                session.commit()
                outcome["repair"] = "recorded"
            except ValidationError as error:
                session.rollback()
                outcome["repair"] = error.fields

    threads = [threading.Thread(target=seal), threading.Thread(target=repair)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # sealed → under repair is not an allowed change: the second change saw the first's result.
    assert outcome["repair"] == {
        "to_status": "This status change is not allowed from the unit's current status."
    }
    with Session(engine) as session:
        unit = session.get(Vehicle, unit_id)
        events = session.scalars(
            select(VehicleStatusEvent).where(VehicleStatusEvent.vehicle_id == unit_id)
        ).all()
        assert unit.status == "sealed"
        assert [(e.from_status, e.to_status) for e in events] == [(None, "fit"), ("fit", "sealed")]


def test_two_allowed_changes_at_once_chain_one_after_the_other(committed):
    engine, user_id, unit_id = committed
    barrier = threading.Barrier(2)
    results = []

    def change(to):
        with Session(engine) as session:
            session.get(Vehicle, unit_id)
            barrier.wait()
            try:
                vehicles.change_status(
                    session, unit_id, StatusChange(to, TODAY), user_id=user_id, today=TODAY
                )
                session.commit()
                results.append(to.value)
            except ValidationError:
                session.rollback()
                results.append("refused")

    # fit → defective and fit → scrapped: whichever goes second starts from the first's status
    # (defective → scrapped is allowed; scrapped → defective is not).
    threads = [
        threading.Thread(target=change, args=(VehicleStatus.defective,)),
        threading.Thread(target=change, args=(VehicleStatus.scrapped,)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with Session(engine) as session:
        events = session.scalars(
            select(VehicleStatusEvent)
            .where(VehicleStatusEvent.vehicle_id == unit_id)
            .order_by(VehicleStatusEvent.id)
        ).all()
        chain = [(e.from_status, e.to_status) for e in events]
        status = session.get(Vehicle, unit_id).status
    # Each event starts from the one before it: never two events from "fit".
    assert all(chain[i][1] == chain[i + 1][0] for i in range(len(chain) - 1)), chain
    assert status == chain[-1][1]
    assert sorted(results) in (["defective", "scrapped"], ["refused", "scrapped"])
