"""The drivers register: register and change drivers, record their annual reviews (年审), and
list who is due for a review or has a licence near its expiry (#15).

A driver is a user of the system or a plain name. Every check is made before anything is
written, and all that is wrong is reported at once (`ValidationError.fields`): a user already a
driver, a licence number another driver holds, a review in the future or after the licence's
expiry ("a driver's licence expiring before the review date it claims"). The unique columns are
the last word when two officers save at once: their conflict is turned into the same 422.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from inspection.auth.models import User
from inspection.errors import N_, NotFound, ValidationError
from inspection.fleet import driver_due
from inspection.fleet.driver_schemas import DriverInput, ReviewInput
from inspection.fleet.kinds import DRIVER_REVIEW_RESULT_LABELS
from inspection.fleet.models import Driver, DriverReview
from inspection.sites.models import Department

SOME_FIELDS = N_("Some fields are not valid.")
USER_TAKEN = N_("This user is already in the drivers register.")
NUMBER_TAKEN = N_("Another driver has this licence number.")
REVIEW_AFTER_EXPIRY = N_("The licence had expired by the day of this review.")


def licence_number_key(number: str) -> str:
    """Return a licence number as stored: no spaces, upper case (the X of an ID number)."""
    return "".join(number.split()).upper()


# --------------------------------------------------------------------------- reading


def get_driver(session: Session, driver_id: int) -> Driver:
    """Return a driver by id (with their reviews), or raise NotFound."""
    driver = (
        session.scalar(
            select(Driver)
            .where(Driver.id == driver_id)
            .options(selectinload(Driver.reviews), selectinload(Driver.user))
        )
        if 0 < driver_id < 2**31
        else None
    )
    if driver is None:
        raise NotFound(N_("There is no such driver."))
    return driver


def list_drivers(session: Session, *, active: bool | None = True) -> list[Driver]:
    """Return the drivers by name (active ones by default; None: all)."""
    query = select(Driver).options(
        selectinload(Driver.reviews), selectinload(Driver.user), selectinload(Driver.department)
    )
    if active is not None:
        query = query.where(Driver.active.is_(active))
    return list(session.scalars(query.order_by(Driver.name, Driver.id)))


def driver_input_of(driver: Driver) -> DriverInput:
    """Return a stored driver as an input (what an edit form and a change start from)."""
    return DriverInput(
        user_id=driver.user_id,
        name=driver.name,
        licence_class=driver.licence_class,
        licence_number=driver.licence_number or "",
        licence_expires=driver.licence_expires,
        department_id=driver.department_id,
        active=driver.active,
        note=driver.note,
    )


def registered_on(driver: Driver, zone: ZoneInfo) -> date:
    """The day the driver entered the register, in the branch's time zone."""
    return driver.created_at.astimezone(zone).date()


def judge(driver: Driver, today: date, zone: ZoneInfo) -> driver_due.DriverDue:
    """Judge a driver's review and licence on `today` (driver_due's rules)."""
    return driver_due.judge(
        driver,
        [driver_due.Review(r.reviewed_on, r.result) for r in driver.reviews],
        registered_on=registered_on(driver, zone),
        licence_expires=driver.licence_expires,
        today=today,
    )


def due_lists(session: Session, today: date, zone: ZoneInfo) -> driver_due.DueLists:
    """Return the active drivers due for a review, and those whose licence expires soon."""
    return driver_due.due_lists(judge(d, today, zone) for d in list_drivers(session))


# --------------------------------------------------------------------------- checks


@dataclass
class _Problems:
    fields: dict[str, str]

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, message)

    def raise_if_any(self, message: str = SOME_FIELDS, **params: Any) -> None:
        if self.fields:
            raise ValidationError(message, fields=self.fields, **params)


def _user(session: Session, data: DriverInput, driver: Driver | None, problems: _Problems):
    if data.user_id is None:
        return None
    user = session.get(User, data.user_id) if data.user_id < 2**31 else None
    kept = driver is not None and driver.user_id == data.user_id
    if user is None or not (user.active or kept):
        problems.add("user_id", N_("Choose an active user from the list."))
        return None
    taken = select(Driver.id).where(Driver.user_id == user.id)
    if driver is not None and driver.id is not None:
        taken = taken.where(Driver.id != driver.id)
    if session.scalar(taken.limit(1)) is not None:
        problems.add("user_id", USER_TAKEN)
    return user


def _department(session: Session, data: DriverInput, driver: Driver | None, problems) -> None:
    if data.department_id is None:
        return
    department = session.get(Department, data.department_id)
    kept = driver is not None and driver.department_id == data.department_id
    if department is None or not (department.active or kept):
        problems.add("department_id", N_("Choose an active department from the list."))


def _licence_number(session: Session, number: str, driver: Driver | None, problems) -> str | None:
    key = licence_number_key(number)
    if not key:
        return None
    taken = select(Driver.id).where(Driver.licence_number == key)
    if driver is not None and driver.id is not None:
        taken = taken.where(Driver.id != driver.id)
    if session.scalar(taken.limit(1)) is not None:
        problems.add("licence_number", NUMBER_TAKEN)
    return key


def _checked(session: Session, data: DriverInput, driver: Driver | None) -> dict[str, Any]:
    """Check a driver's input against the register; return the columns to write."""
    problems = _Problems({})
    user = _user(session, data, driver, problems)
    name = data.name.strip() or (user.name if user is not None else "")
    if not name and "user_id" not in problems.fields:
        problems.add("name", N_("Give the driver's name, or choose a user."))
    _department(session, data, driver, problems)
    number = _licence_number(session, data.licence_number, driver, problems)
    if driver is not None:
        newest = session.scalar(
            select(func.max(DriverReview.reviewed_on)).where(DriverReview.driver_id == driver.id)
        )
        if newest is not None and driver_due.review_after_expiry(newest, data.licence_expires):
            problems.add(
                "licence_expires",
                N_("A review is recorded after this day: the licence cannot expire before it."),
            )
    problems.raise_if_any()
    return {
        "user_id": user.id if user is not None else None,
        "name": name,
        "licence_class": data.licence_class,
        "licence_number": number,
        "licence_expires": data.licence_expires,
        "department_id": data.department_id,
        "active": bool(data.active),
        "note": data.note.strip(),
    }


def _flush_unique(session: Session, record: Any = None) -> None:
    """Flush; a unique column taken meanwhile by another officer's save becomes the 422."""
    try:
        with session.begin_nested():
            if record is not None:
                session.add(record)
            session.flush()
    except IntegrityError as error:
        constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", "") or ""
        if "user_id" in constraint:
            raise ValidationError(SOME_FIELDS, fields={"user_id": USER_TAKEN}) from None
        if "licence_number" in constraint:
            raise ValidationError(SOME_FIELDS, fields={"licence_number": NUMBER_TAKEN}) from None
        raise


# --------------------------------------------------------------------------- writing


def create_driver(session: Session, data: DriverInput, *, actor: Any = None) -> Driver:
    """Register a driver (the caller commits)."""
    driver = Driver(**_checked(session, data, None))
    _flush_unique(session, driver)
    return driver


def update_driver(
    session: Session, driver: Driver, data: DriverInput, *, actor: Any = None
) -> Driver:
    """Change a driver; active False takes them off the lists (kept for the records)."""
    values = _checked(session, data, driver)
    for name, value in values.items():
        setattr(driver, name, value)
    _flush_unique(session)
    return driver


def add_review(
    session: Session, driver: Driver, data: ReviewInput, *, actor: Any, today: date
) -> DriverReview:
    """Record a driver's annual review; `today` is the branch's day (the caller's)."""
    problems = _Problems({})
    params: dict[str, Any] = {}
    message = SOME_FIELDS
    if data.reviewed_on > today:
        problems.add("reviewed_on", N_("The date is in the future."))
    elif driver_due.review_after_expiry(data.reviewed_on, driver.licence_expires):
        problems.add("reviewed_on", REVIEW_AFTER_EXPIRY)
        message = N_("The driver's licence expired on %(expires)s, before the review it claims.")
        params["expires"] = driver.licence_expires.isoformat()
    elif any(r.reviewed_on == data.reviewed_on for r in driver.reviews):
        problems.add("reviewed_on", N_("A review is already recorded on this day."))
    problems.raise_if_any(message, **params)
    review = DriverReview(
        driver_id=driver.id,
        reviewed_on=data.reviewed_on,
        result=data.result,
        note=data.note.strip(),
        recorded_by_id=actor.id,
    )
    session.add(review)
    session.flush()
    session.refresh(driver, ["reviews"])
    return review


# --------------------------------------------------------------------------- answers


def review_dict(review: DriverReview, gettext=str) -> dict:
    return {
        "id": review.id,
        "reviewed_on": review.reviewed_on.isoformat(),
        "result": review.result,
        "result_label": gettext(DRIVER_REVIEW_RESULT_LABELS[review.result]),
        "note": review.note,
    }


def driver_dict(
    driver: Driver,
    judged: driver_due.DriverDue,
    gettext=str,
    *,
    reviews: bool = False,
) -> dict:
    """The JSON shape of a driver, with their review and licence judged on the day given."""
    body = {
        "id": driver.id,
        "name": driver.name,
        "user": ({"id": driver.user.id, "username": driver.user.username} if driver.user else None),
        "licence_class": driver.licence_class,
        "licence_number": driver.licence_number,
        "licence_expires": driver.licence_expires.isoformat(),
        "licence_state": judged.licence_state,
        "licence_state_label": gettext(driver_due.LICENCE_STATE_LABELS[judged.licence_state]),
        "licence_days_left": judged.licence_days_left,
        "department": (
            {"id": driver.department.id, "name": driver.department.name}
            if driver.department
            else None
        ),
        "active": driver.active,
        "note": driver.note,
        "last_review_on": judged.review.last_on.isoformat() if judged.review.last_on else None,
        "next_review_on": judged.review.due_on.isoformat(),
        "review_state": judged.review.state,
        "review_state_label": gettext(driver_due.REVIEW_STATE_LABELS[judged.review.state]),
        "review_days_left": judged.review_days_left,
    }
    if reviews:
        body["reviews"] = [review_dict(r, gettext) for r in reversed(driver.reviews)]
    return body
