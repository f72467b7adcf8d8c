"""Two keepers issue the last units of one depot's stock at the same moment: exactly one wins.

Real threads, two sessions and real transactions (committed to the test database, removed
afterwards): the stock line's row lock makes the second issue see what the first left, so it is
refused with a 422 on quantity and the stock never goes below zero. The same holds for twenty
retries of one movement UUID: one 201, the rest 200, one movement.
"""

import threading
from datetime import date

import pytest
from sqlalchemy import delete, func, select, text

from inspection.auth import services as auth_services
from inspection.auth.models import ApiToken, User
from inspection.extensions import db
from inspection.sites.models import Site
from inspection.supplies.models import SupplyItem, SupplyMovement, SupplyStock
from tests.integration.helpers import new_uuid

DAY = date(2026, 1, 12).isoformat()


def _clean(names: tuple[str, ...]) -> None:
    stocks = select(SupplyStock.id).join(SupplyStock.site).where(Site.name == "并发测试工区")
    db.session.execute(delete(SupplyMovement).where(SupplyMovement.stock_id.in_(stocks)))
    db.session.execute(delete(SupplyStock).where(SupplyStock.id.in_(stocks)))
    db.session.execute(delete(Site).where(Site.name == "并发测试工区"))
    users = select(User.id).where(User.username.in_(names))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id.in_(users)))
    db.session.execute(delete(User).where(User.username.in_(names)))
    db.session.commit()


@pytest.fixture
def stocked(app):
    """A depot holding 10 bags, and two keepers' tokens (committed; removed afterwards)."""
    names = ("h6.keeper1", "h6.keeper2")
    with app.app_context():
        _clean(names)
        db.session.execute(
            text(
                "INSERT INTO sites (name, kind, geom, note, active, created_at, updated_at) "
                "VALUES ('并发测试工区', 'maintenance_depot', "
                "ST_SetSRID(ST_MakePoint(87.7, 43.8), 4326), '', true, now(), now())"
            )
        )
        site_id = db.session.scalar(select(Site.id).where(Site.name == "并发测试工区"))
        item_id = db.session.scalar(select(SupplyItem.id).where(SupplyItem.name == "沙袋"))
        tokens = []
        for name in names:
            user = auth_services.create_user(db.session, name, "password-1", ["machinery"])
            tokens.append(auth_services.issue_token(db.session, user).token)
        db.session.commit()
    yield site_id, item_id, tokens
    with app.app_context():
        _clean(names)


def _race(app, requests: list[tuple[str, dict]]) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(requests))
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def send(token: str, body: dict) -> None:
        client = app.test_client()
        barrier.wait()
        answer = client.post(
            "/api/v1/supplies/movements", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        with lock:
            answers.append((answer.status_code, answer.get_json()))

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def _body(site_id: int, item_id: int, kind: str, quantity: int) -> dict:
    return {
        "client_uuid": new_uuid(),
        "site_id": site_id,
        "item_id": item_id,
        "kind": kind,
        "quantity": quantity,
        "on_date": DAY,
        "purpose": "G30 暴雪",
    }


def _level(app, site_id: int) -> tuple:
    with app.app_context():
        return db.session.execute(
            select(SupplyStock.quantity, SupplyStock.id).where(SupplyStock.site_id == site_id)
        ).one()


def test_two_issues_of_the_last_units_one_succeeds(app, stocked):
    site_id, item_id, tokens = stocked
    [(code, _)] = _race(app, [(tokens[0], _body(site_id, item_id, "received", 10))])
    assert code == 201
    answers = _race(app, [(token, _body(site_id, item_id, "issued", 8)) for token in tokens])
    codes = sorted(code for code, _ in answers)
    assert codes == [201, 422], answers
    refused = next(body for code, body in answers if code == 422)
    assert list(refused["error"]["fields"]) == ["quantity"]
    quantity, stock_id = _level(app, site_id)
    assert quantity == 2
    with app.app_context():
        moves = db.session.scalar(
            select(func.count(SupplyMovement.id)).where(SupplyMovement.stock_id == stock_id)
        )
    assert moves == 2


def test_twenty_retries_of_one_movement_make_one(app, stocked):
    site_id, item_id, tokens = stocked
    body = _body(site_id, item_id, "received", 3)
    answers = _race(app, [(tokens[0], body)] * 20)
    codes = sorted(code for code, _ in answers)
    assert codes == [200] * 19 + [201], answers
    assert len({answer["uuid"] for _, answer in answers}) == 1
    assert _level(app, site_id)[0] == 3
