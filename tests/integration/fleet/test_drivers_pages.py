"""The drivers pages: the register with its due markers, registering and editing a driver,
recording a review from the driver's page, the due lists; and the demo's drivers."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from inspection.fleet import drivers
from inspection.fleet.demo import DEMO_DRIVERS, load_drivers
from inspection.fleet.driver_schemas import DriverInput, ReviewInput
from inspection.fleet.models import Driver, DriverReview
from tests.conftest import csrf_token_from

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


def token_of(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    return csrf_token_from(page.get_data(as_text=True))


def make(db_session, actor, name, *, expires_in=800, reviewed=(), user=None):
    driver = drivers.create_driver(
        db_session,
        DriverInput(
            user_id=user.id if user else None,
            name=name,
            licence_class="B2",
            licence_number="",
            licence_expires=TODAY + timedelta(days=expires_in),
        ),
    )
    for ago, result in reviewed:
        drivers.add_review(
            db_session,
            driver,
            ReviewInput(TODAY - timedelta(days=ago), result),
            actor=actor,
            today=TODAY,
        )
    return driver


def test_register_edit_and_review_from_the_pages(client, login_as, db_session, english):
    officer = login_as("machinery")
    form = {
        "csrf_token": token_of(client, "/fleet/drivers/new"),
        "user_id": "",
        "name": "马占山",
        "licence_class": "B2",
        "licence_number": "650106197911300057",
        "licence_expires": (TODAY + timedelta(days=45)).isoformat(),
    }
    created = client.post("/fleet/drivers/new", data=form)
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    driver = db_session.scalar(select(Driver).where(Driver.name == "马占山"))
    assert created.headers["Location"].endswith(f"/fleet/drivers/{driver.id}")
    # The same licence number again: refused on its field, nothing saved.
    again = client.post("/fleet/drivers/new", data={**form, "name": "马占海"})
    assert again.status_code == 422
    assert "Another driver has this licence number." in again.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(Driver)) == 1
    # The driver's page: no review yet, the licence within 60 days; record one.
    page = client.get(f"/fleet/drivers/{driver.id}").get_data(as_text=True)
    assert 'data-review="never"' in page and 'data-licence="within_60"' in page
    review_path = f"/fleet/drivers/{driver.id}/reviews"
    token = csrf_token_from(page)
    future = client.post(
        review_path,
        data={
            "csrf_token": token,
            "reviewed_on": (TODAY + timedelta(days=2)).isoformat(),
            "result": "passed",
        },
    )
    assert future.status_code == 422
    assert "The date is in the future." in future.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(DriverReview)) == 0
    done = client.post(
        review_path,
        data={"csrf_token": token, "reviewed_on": TODAY.isoformat(), "result": "passed"},
    )
    assert done.status_code == 302
    page = client.get(f"/fleet/drivers/{driver.id}").get_data(as_text=True)
    assert 'data-review="later"' in page
    # Edit: deactivate (box left unticked), then the list shows no one by default.
    edit_path = f"/fleet/drivers/{driver.id}/edit"
    edit = client.get(edit_path).get_data(as_text=True)
    assert 'value="650106197911300057"' in edit
    token = csrf_token_from(edit)
    early = client.post(
        edit_path,
        data={**form, "csrf_token": token, "licence_expires": (TODAY - timedelta(1)).isoformat()},
    )
    assert early.status_code == 422  # a review is recorded after that expiry
    saved = client.post(edit_path, data={**form, "csrf_token": token})
    assert saved.status_code == 302
    db_session.refresh(driver)
    assert driver.active is False and officer.id
    assert "马占山" not in client.get("/fleet/drivers/").get_data(as_text=True)
    assert "马占山" in client.get("/fleet/drivers/?active=all").get_data(as_text=True)


def test_the_list_and_the_due_page_mark_what_is_due(client, login_as, db_session, english):
    user = login_as("patrol")  # crews read the register
    make(db_session, user, "Overdue", reviewed=[(400, "passed")])
    make(db_session, user, "Expiring", expires_in=10, reviewed=[(30, "passed")])
    make(db_session, user, "Fine", reviewed=[(30, "passed")], user=user)
    listing = client.get("/fleet/drivers/")
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    assert "Review overdue by 35 days" in html
    assert "Licence expires in 10 days" in html
    assert 'href="/fleet/drivers/new"' not in html  # a crew does not register drivers
    assert 'href="/fleet/drivers/"' in html  # the nav's Drivers link
    due = client.get("/fleet/drivers/due").get_data(as_text=True)
    reviews = due[due.index('id="due-reviews"') : due.index('id="due-licences"')]
    licences = due[due.index('id="due-licences"') :]
    assert "Overdue" in reviews and "Fine" not in reviews and "Expiring" not in reviews
    assert "Expiring" in licences and "Overdue" not in licences
    assert client.get("/fleet/drivers/?active=maybe").status_code == 422
    assert client.get("/fleet/drivers/999999").status_code == 404


def test_the_demo_drivers(db_session, make_user):
    for username in ("crew1", "crew2", "machinery1"):
        make_user("patrol", username=username)
    today = date(2026, 12, 1)
    made = load_drivers(db_session, today)
    assert [d.name for d in made] == [row[1] for row in DEMO_DRIVERS]
    assert sum(d.user_id is not None for d in made) == 3
    zone = ZoneInfo("Asia/Shanghai")
    lists = drivers.due_lists(db_session, today, zone)
    assert {j.driver.name: j.review.state for j in lists.reviews} == {
        "阿不都热合曼": "overdue",
        "马占山": "due_soon",
        "赵永福": "failed",
    }
    assert [(j.driver.name, j.licence_state) for j in lists.licences] == [("刘建华", "within_30")]
    assert load_drivers(db_session, today) == []  # loaded once
