"""Sign-in throttling, sessions that end on the server, and redirects that stay on this site."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from inspection.auth import services
from inspection.auth.models import LoginFailure
from inspection.db import utcnow
from tests.conftest import TEST_PASSWORD, csrf_token_from

OTHER_ADDRESS = {"REMOTE_ADDR": "10.20.30.40"}


def _csrf(client, **kwargs):
    return csrf_token_from(client.get("/login", **kwargs).get_data(as_text=True))


def _sign_in(client, username, password=TEST_PASSWORD, *, remember=False, **kwargs):
    data = {"username": username, "password": password, "csrf_token": _csrf(client, **kwargs)}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data, **kwargs)


def _attempts(client, username, count, **kwargs):
    token = _csrf(client, **kwargs)
    data = {"username": username, "password": "wrong-password", "csrf_token": token}
    return [client.post("/login", data=data, **kwargs) for _ in range(count)]


# --------------------------------------------------------------------------- throttling


def test_thirty_wrong_passwords_are_stopped_before_the_eleventh(client, make_user):
    user = make_user("patrol")
    responses = _attempts(client, user.username, 30)
    statuses = [r.status_code for r in responses]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429] * 20
    wait = int(responses[10].headers["Retry-After"])
    assert 0 < wait <= 15 * 60
    assert "登录失败次数过多" in responses[10].get_data(as_text=True)

    # The right password during the wait is refused too, and tells nothing.
    right = _sign_in(client, user.username)
    assert right.status_code == 429
    assert "Retry-After" in right.headers
    assert client.get("/").status_code == 302

    # The user name is locked from another address as well (the per-name rule).
    elsewhere = _sign_in(client, user.username, environ_base=OTHER_ADDRESS)
    assert elsewhere.status_code == 429


def test_the_user_name_rule_ignores_case_and_spaces(client, make_user):
    user = make_user("patrol")
    _attempts(client, user.username.upper(), 5, environ_base=OTHER_ADDRESS)
    _attempts(client, f"  {user.username} ", 5)
    assert _sign_in(client, user.username).status_code == 429


def test_a_different_user_from_the_same_address_is_held_by_the_address_rule(client, make_user):
    victims = [make_user("patrol") for _ in range(3)]
    for victim in victims:
        assert [r.status_code for r in _attempts(client, victim.username, 10)] == [401] * 10
    assert services.LOGIN_LIMIT_PER_ADDRESS == 30

    fresh = make_user("patrol")  # never failed, right password, same address
    response = _sign_in(client, fresh.username)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0

    # From another address that user signs in.
    assert _sign_in(client, fresh.username, environ_base=OTHER_ADDRESS).status_code == 302


def test_a_success_does_not_wipe_the_address_count(client, make_user):
    stranger = make_user("patrol")
    for name in ("nobody-a", "nobody-b"):
        _attempts(client, name, 10)
    _attempts(client, "nobody-c", 9)
    assert _sign_in(client, stranger.username).status_code == 302  # 29 failures: still allowed
    client.post("/logout", data={"csrf_token": _csrf(client)})
    assert [r.status_code for r in _attempts(client, "nobody-d", 2)] == [401, 429]


def test_failures_age_out_and_old_rows_are_pruned(client, make_user, db_session):
    user = make_user("patrol")
    _attempts(client, user.username, 10)
    assert _sign_in(client, user.username).status_code == 429

    db_session.execute(
        update(LoginFailure).values(failed_at=LoginFailure.failed_at - timedelta(minutes=16))
    )
    db_session.flush()
    assert _sign_in(client, user.username).status_code == 302
    client.post("/logout", data={"csrf_token": _csrf(client)})

    _attempts(client, "someone-else", 1)  # recording a failure prunes the stale ones
    old = db_session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.failed_at < utcnow() - timedelta(minutes=15))
    )
    assert old == 0


# --------------------------------------------------------------------------- sessions


def test_a_cookie_replayed_after_logout_is_refused(app, client, make_user):
    user = make_user("patrol")
    assert _sign_in(client, user.username).status_code == 302
    assert client.get("/").status_code == 200
    copied = client.get_cookie("session").value

    page = client.get("/").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_token_from(page)}).status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", copied)
    home = thief.get("/")
    assert home.status_code == 302
    assert home.headers["Location"].startswith("/login")
    assert thief.get("/api/v1/me").status_code == 401


def test_a_remember_cookie_replayed_after_logout_is_refused(app, client, make_user):
    user = make_user("patrol")
    assert _sign_in(client, user.username, remember=True).status_code == 302
    remembered = client.get_cookie("remember_token").value

    before = app.test_client()  # a browser that kept only the remember cookie
    before.set_cookie("remember_token", remembered)
    assert before.get("/").status_code == 200

    page = client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token_from(page)})

    after = app.test_client()
    after.set_cookie("remember_token", remembered)
    assert after.get("/").status_code == 302


def _change_password(client, current, new):
    token = csrf_token_from(client.get("/account/password").get_data(as_text=True))
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "confirm": new,
            "csrf_token": token,
        },
    )


def test_a_password_change_ends_the_other_sessions_only(app, client, make_user):
    user = make_user("patrol")
    phone = app.test_client()
    assert _sign_in(phone, user.username).status_code == 302
    assert _sign_in(client, user.username).status_code == 302
    old_cookie = client.get_cookie("session").value

    response = _change_password(client, TEST_PASSWORD, "a-new-password-2")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"

    assert client.get("/").status_code == 200  # this session goes on
    assert phone.get("/").status_code == 302  # the other one has ended
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)  # and so has this session's cookie before the change
    assert replay.get("/").status_code == 302

    fresh = app.test_client()
    assert _sign_in(fresh, user.username).status_code == 401
    assert _sign_in(fresh, user.username, "a-new-password-2").status_code == 302


def test_a_wrong_current_password_changes_nothing(app, client, make_user):
    user = make_user("patrol")
    phone = app.test_client()
    _sign_in(phone, user.username)
    _sign_in(client, user.username)
    response = _change_password(client, "not-my-password", "a-new-password-2")
    assert response.status_code == 422
    assert "当前密码错误" in response.get_data(as_text=True) or "密码错误" in response.get_data(
        as_text=True
    )
    assert phone.get("/").status_code == 200


def test_a_session_from_before_generations_still_holds_until_sign_out(client, login_as):
    login_as("patrol")  # a cookie with the bare user id, as issued before this change
    assert client.get("/").status_code == 200
    page = client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token_from(page)})
    assert client.get("/").status_code == 302


# --------------------------------------------------------------------------- redirects

OFF_SITE = [
    "//evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "evil.example",
    " /",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_language_switch_never_leads_off_site(client, target):
    response = client.post(
        "/lang", data={"lang": "en", "next": target, "csrf_token": _csrf(client)}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_follows_a_path_or_this_sites_referer(client):
    token = _csrf(client)
    to_path = client.post(
        "/lang", data={"lang": "en", "next": "/roads/?page=2", "csrf_token": token}
    )
    assert to_path.headers["Location"] == "/roads/?page=2"
    data = {"lang": "en", "csrf_token": token}
    back = client.post("/lang", data=data, headers={"Referer": "http://localhost/hazards/"})
    assert back.headers["Location"] == "/hazards/"
    evil = client.post("/lang", data=data, headers={"Referer": "https://evil.example/hazards/"})
    assert evil.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil", "https://evil.example/"])
def test_login_next_never_leads_off_site(client, make_user, target):
    user = make_user("patrol")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"username": user.username, "password": TEST_PASSWORD, "csrf_token": _csrf(client)},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("referer", "expected"),
    [
        ("https://evil.example/", "/"),
        ("http://evil.example/account", "/"),
        ("http://localhost/account", "/account"),
        (None, "/"),
    ],
)
def test_token_revocation_returns_only_to_this_site(
    client, login_as, db_session, referer, expected
):
    user = login_as("patrol")
    issued = services.issue_token(db_session, user)
    page = client.get("/account").get_data(as_text=True)
    headers = {"Referer": referer} if referer else {}
    response = client.post(
        f"/tokens/{issued.record.id}/revoke",
        data={"csrf_token": csrf_token_from(page)},
        headers=headers,
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    db_session.refresh(issued.record)
    assert issued.record.revoked_at is not None


def test_wrong_current_passwords_are_throttled_like_sign_ins(client, make_user):
    user = make_user("patrol")
    _sign_in(client, user.username)
    statuses = [_change_password(client, f"guess-{n}", "a-new-password-2") for n in range(11)]
    assert [r.status_code for r in statuses[:10]] == [422] * 10
    assert statuses[10].status_code == 429
    assert int(statuses[10].headers["Retry-After"]) > 0
    # The right password during the wait changes nothing either.
    assert _change_password(client, TEST_PASSWORD, "a-new-password-2").status_code == 429
