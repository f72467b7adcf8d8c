"""The pre-trip check service (#16): thresholds stored with a check, retention, the CLI."""

import uuid
from datetime import date, datetime

from sqlalchemy import select

from inspection.crew import pretrip
from inspection.crew.models import PretripCheck
from inspection.crew.pretrip_schemas import PretripCheckBody, SettingsBody
from inspection.inputs import validate

ZONE = __import__("zoneinfo").ZoneInfo("Asia/Shanghai")


def record(db_session, actor, body):
    return pretrip.record_check(
        db_session, validate(PretripCheckBody, body), actor=actor, zone=ZONE
    )


def test_a_check_keeps_the_thresholds_it_was_judged_by(
    db_session, make_user, make_unit, make_driver, check_body
):
    officer, unit, driver = make_user("safety_officer"), make_unit(), make_driver()
    first = record(db_session, officer, check_body(unit, driver, alcohol_mg=19.9, systolic=159))
    assert first.check.passed and first.check.alcohol_limit_mg == 20
    assert first.check.check_date == date(2026, 5, 1)
    pretrip.update_settings(
        db_session,
        validate(
            SettingsBody,
            {
                "alcohol_drink_mg": 10,
                "alcohol_drunk_mg": 50,
                "systolic_max": 150,
                "diastolic_max": 90,
                "retention_days": 365,
            },
        ),
        actor=officer,
    )
    second = record(db_session, officer, check_body(unit, driver, alcohol_mg=19.9, systolic=159))
    assert (second.check.alcohol_result, second.check.blood_pressure_passed) == ("drink", False)
    assert (second.check.alcohol_limit_mg, second.check.systolic_max) == (10, 150)
    # The earlier check is not judged again.
    db_session.refresh(first.check)
    assert first.check.passed and first.check.alcohol_limit_mg == 20


def test_retention_erases_the_readings_after_the_period_and_keeps_the_results(
    db_session, make_user, make_unit, make_driver, check_body
):
    officer, unit, driver = make_user("safety_officer"), make_unit(), make_driver()
    old = record(
        db_session,
        officer,
        check_body(unit, driver, alcohol_mg=30, checked_at="2025-05-01T07:00:00+08:00"),
    ).check
    recent = record(db_session, officer, check_body(unit, driver, alcohol_mg=5)).check
    # 365 days: a check of 2025-05-01 is kept through 2026-05-01 and erased on 2026-05-02.
    assert pretrip.erase_expired_readings(db_session, date(2026, 5, 1)) == 0
    assert pretrip.erase_expired_readings(db_session, date(2026, 5, 2)) == 1
    db_session.expire_all()
    erased = db_session.get(PretripCheck, old.id)
    assert erased.values_erased_at is not None
    assert (erased.alcohol_mg, erased.systolic, erased.diastolic) == (None, None, None)
    assert (erased.alcohol_result, erased.alcohol_passed, erased.passed) == ("drink", False, False)
    kept = db_session.get(PretripCheck, recent.id)
    assert kept.alcohol_mg == 5 and kept.values_erased_at is None
    # Running it again erases nothing more; an officer sees the values as erased.
    assert pretrip.erase_expired_readings(db_session, date(2026, 5, 2)) == 0
    shown = pretrip.check_dict(db_session, erased, officer)
    assert shown["values_visible"] and shown["values_erased"]
    assert shown["alcohol_mg"] is None and shown["alcohol_result"] == "drink"


def test_the_cli_erases_as_of_a_given_day(
    app, db_session, make_user, make_unit, make_driver, check_body
):
    officer, unit, driver = make_user("safety_officer"), make_unit(), make_driver()
    record(
        db_session,
        officer,
        check_body(unit, driver, checked_at="2024-01-01T07:00:00+08:00"),
    )
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["crew", "erase-readings", "--today", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    erased = db_session.scalar(select(PretripCheck))
    db_session.refresh(erased)
    assert erased.values_erased_at is not None


def test_blocking_reason_reads_the_newest_check_of_the_day(
    db_session, make_user, make_unit, make_driver, check_body
):
    officer, unit, driver = make_user("safety_officer"), make_unit(), make_driver()
    day = date(2026, 5, 1)
    assert pretrip.blocking_reason(db_session, unit.id, driver.id, day) is None
    record(
        db_session,
        officer,
        check_body(unit, driver, faults={"lights": False}, checked_at="2026-05-01T07:00:00+08:00"),
    )
    blocked = pretrip.blocking_reason(db_session, unit.id, driver.id, day)
    assert blocked.vehicle_check is not None and blocked.driver_check is None
    assert blocked.faults == ("lights",)
    # A passed re-check of the vehicle with another driver releases the vehicle.
    record(
        db_session, officer, check_body(unit, make_driver(), checked_at="2026-05-01T07:20:00+08:00")
    )
    assert pretrip.blocking_reason(db_session, unit.id, driver.id, day) is None
    # A voided failed check does not count.
    failed = record(
        db_session,
        officer,
        check_body(
            unit, driver, systolic=200, diastolic=120, checked_at="2026-05-01T07:40:00+08:00"
        ),
    )
    assert pretrip.blocking_reason(db_session, None, driver.id, day).tests == (
        "blood_pressure_test",
    )
    failed.check.voided_at = datetime(2026, 5, 1, 1, 0, tzinfo=ZONE)
    failed.check.void_reason = "typed wrong"
    db_session.flush()
    assert pretrip.blocking_reason(db_session, None, driver.id, day) is None
    assert pretrip.blocking_reason(db_session, None, driver.id, date(2026, 5, 2)) is None
    assert uuid.UUID(str(failed.check.client_uuid))
