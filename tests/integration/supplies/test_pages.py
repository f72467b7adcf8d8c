"""The supplies pages: the board and its winter banner, items, a depot's forms, history, export."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from inspection.supplies import services, views
from inspection.supplies.models import SupplyMovement, SupplyStock
from inspection.supplies.schemas import ItemBody, MovementBody, StockBody
from tests.conftest import csrf_token_from
from tests.integration.helpers import new_uuid

SALT = "融雪剂（工业盐）"
JANUARY = date(2026, 1, 10)


def token_of(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return csrf_token_from(page.get_data(as_text=True))


@pytest.fixture
def january(monkeypatch):
    monkeypatch.setattr(views, "branch_today", lambda: JANUARY)
    return JANUARY


@pytest.fixture
def short_of_salt(db_session, make_user, depots, items):
    """G312线道班 holds 20 t of salt against a minimum of 50; the other depot is stocked."""
    actor = make_user("machinery")
    salt = items[SALT]
    for depot, minimum, quantity in (
        (depots["G312线道班"], 50, 20),
        (depots["乌鲁木齐养护工区"], 50, 80),
    ):
        services.set_minimum(
            db_session, StockBody(site_id=depot.id, item_id=salt.id, minimum=minimum), actor=actor
        )
        services.record_movement(
            db_session,
            MovementBody(
                client_uuid=new_uuid(),
                site_id=depot.id,
                item_id=salt.id,
                kind="received",
                quantity=quantity,
                on_date=date(2025, 11, 1),
                purpose="冬储",
            ),
            actor=actor,
            today=JANUARY,
        )
    return salt


def test_the_board_lists_shortfalls_first_and_warns_in_winter(
    client, login_as, english, january, short_of_salt
):
    login_as("patrol")
    page = client.get("/supplies/").get_data(as_text=True)
    assert 'id="winter-banner"' in page
    assert "Before the winter season: 1 stock lines are below their minimum." in page
    assert "short of 30 吨" in page
    assert page.index('id="shortfalls"') < page.index("Stock per depot")
    assert "Record stock at a site" not in page  # a crew reads only


def test_the_banner_follows_the_configured_months(
    app, client, login_as, english, january, short_of_salt, monkeypatch
):
    monkeypatch.setitem(app.config, "SUPPLIES_WINTER_MONTHS", "11,12")
    login_as("machinery")
    page = client.get("/supplies/").get_data(as_text=True)
    assert 'id="winter-banner"' not in page
    assert "Below minimum (1)" in page  # still first on the board


def test_a_keeper_records_movements_on_the_depot_page(
    client, login_as, db_session, english, january, depots, items
):
    login_as("machinery")
    depot, salt = depots["乌鲁木齐养护工区"], items[SALT]
    path = f"/supplies/depots/{depot.id}"
    token = token_of(client, path)
    form = {
        "csrf_token": token,
        "client_uuid": new_uuid(),
        "item_id": str(salt.id),
        "kind": "received",
        "quantity": "12.5",
        "on_date": "2026-01-09",
        "purpose": "冬储",
        "repair_uuid": "",
        "note": "",
    }
    answer = client.post(f"{path}/movements", data=form)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    replay = client.post(f"{path}/movements", data=form)  # a double tap sends the form twice
    assert replay.status_code == 303
    assert db_session.scalar(select(func.count(SupplyMovement.id))) == 1
    refused = client.post(
        f"{path}/movements",
        data={**form, "client_uuid": new_uuid(), "kind": "issued", "quantity": "13"},
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "More than the stock." in html
    assert 'value="13"' in html  # what was typed stays
    future = client.post(
        f"{path}/movements", data={**form, "client_uuid": new_uuid(), "on_date": "2026-01-11"}
    )
    assert future.status_code == 422
    assert "In the future." in future.get_data(as_text=True)
    hostile = client.post(
        f"{path}/movements", data={**form, "client_uuid": new_uuid(), "quantity": "²"}
    )
    assert hostile.status_code == 422
    assert db_session.scalar(select(func.count(SupplyMovement.id))) == 1
    page = client.get(path).get_data(as_text=True)
    assert "12.5 吨" in page


def test_a_keeper_sets_a_minimum(client, login_as, db_session, english, depots, items):
    login_as("safety_officer")
    depot, salt = depots["G312线道班"], items[SALT]
    path = f"/supplies/depots/{depot.id}"
    token = token_of(client, path)
    answer = client.post(
        f"{path}/minimum", data={"csrf_token": token, "item_id": str(salt.id), "minimum": "40"}
    )
    assert answer.status_code == 303
    assert db_session.scalar(select(SupplyStock.minimum)) == 40
    bad = client.post(
        f"{path}/minimum", data={"csrf_token": token, "item_id": str(salt.id), "minimum": "-1"}
    )
    assert bad.status_code == 422


def test_items_are_created_and_edited_on_their_page(client, login_as, db_session, english, items):
    login_as("manager")
    token = token_of(client, "/supplies/items")
    made = client.post(
        "/supplies/items/new", data={"csrf_token": token, "name": "防滑砂", "unit": "立方米"}
    )
    assert made.status_code == 303
    again = client.post(
        "/supplies/items/new", data={"csrf_token": token, "name": "防滑砂", "unit": "吨"}
    )
    assert again.status_code == 422
    assert "Another item has this name." in again.get_data(as_text=True)
    cones = items["锥桶"]
    path = f"/supplies/items/{cones.id}/edit"
    token = token_of(client, path)
    saved = client.post(
        path, data={"csrf_token": token, "name": "锥桶", "unit": "只", "active": "y"}
    )
    assert saved.status_code == 303
    db_session.refresh(cones)
    assert cones.unit == "只"


def test_history_filters_and_exports(client, login_as, english, short_of_salt, depots):
    login_as("manager")
    depot = depots["G312线道班"]
    page = client.get(f"/supplies/movements?site_id={depot.id}&kind=received")
    assert page.status_code == 200
    assert "1 movements" in page.get_data(as_text=True)
    csv_text = client.get(f"/supplies/movements.csv?site_id={depot.id}").get_data(as_text=True)
    assert csv_text.startswith("\ufeffDate,Depot,Supply item")
    assert "2025-11-01,G312线道班,融雪剂（工业盐）,吨,Received,20.00,20.00,冬储" in csv_text
    workbook = load_workbook(io.BytesIO(client.get("/supplies/movements.xlsx").data))
    movements, stock = workbook.worksheets
    assert movements.max_row == 3
    assert [c.value for c in stock[2]][:5] == ["G312线道班", SALT, "吨", 20, 50]
    assert client.get("/supplies/movements?from=²").status_code == 422


def test_an_unknown_depot_is_404(client, login_as):
    login_as("machinery")
    assert client.get("/supplies/depots/999999").status_code == 404
    assert client.get("/supplies/items/999999/edit").status_code == 404


def test_exports_show_formulas_as_text(client, login_as, db_session, make_user, depots):
    actor = make_user("machinery")
    item = services.create_item(db_session, ItemBody(name="=1+1", unit="@个"), actor=actor)
    services.record_movement(
        db_session,
        MovementBody(
            client_uuid=new_uuid(),
            site_id=depots["G312线道班"].id,
            item_id=item.id,
            kind="received",
            quantity=3,
            on_date=date(2026, 1, 2),
            purpose='=HYPERLINK("http://evil.example/","x")',
            note="+1",
        ),
        actor=actor,
        today=JANUARY,
    )
    login_as("manager")
    text = client.get("/supplies/movements.csv").data.decode("utf-8-sig")
    assert "'=1+1" in text and "'@个" in text and "'+1" in text
    assert "'=HYPERLINK" in text
    book = load_workbook(io.BytesIO(client.get("/supplies/movements.xlsx").data))
    values = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert "'=1+1" in values and 3 in values  # text neutralised, numbers stay numbers
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


@pytest.mark.parametrize("role", ["patrol", "machinery"])
def test_every_page_answers_in_the_default_language(client, login_as, short_of_salt, depots, role):
    login_as(role)
    depot = depots["G312线道班"]
    for path in (
        "/supplies/",
        "/supplies/items",
        f"/supplies/depots/{depot.id}",
        f"/supplies/movements?site_id={depot.id}&kind=received&from=2025-01-01&to=2026-12-31",
    ):
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.get_data(as_text=True)[:300])
        assert "/supplies/" in answer.get_data(as_text=True)  # the nav link
