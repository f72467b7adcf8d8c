"""Signing in and out, CSRF, and API tokens."""

from inspection.auth import services
from tests.conftest import TEST_PASSWORD, csrf_token_from


def _login_page_token(client):
    return csrf_token_from(client.get("/login").get_data(as_text=True))


def test_sign_in_and_out(client, make_user):
    user = make_user("patrol")
    token = _login_page_token(client)
    response = client.post(
        "/login?next=/account",
        data={"username": user.username, "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    home = client.get("/")
    assert home.status_code == 200
    assert user.username in home.get_data(as_text=True)

    page = home.get_data(as_text=True)
    response = client.post("/logout", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_with_a_translated_message(client, make_user):
    user = make_user("patrol")
    response = client.post(
        "/login",
        data={
            "username": user.username,
            "password": "wrong-password",
            "csrf_token": _login_page_token(client),
        },
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    response = client.post(
        "/login",
        data={
            "username": "nobody",
            "password": "whatever-1",
            "csrf_token": _login_page_token(client),
        },
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, make_user):
    user = make_user("patrol")
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)


def test_next_never_leads_off_site(client, make_user):
    user = make_user("patrol")
    response = client.post(
        "/login?next=//evil.example/x",
        data={
            "username": user.username,
            "password": TEST_PASSWORD,
            "csrf_token": _login_page_token(client),
        },
    )
    assert response.headers["Location"] == "/"


def test_inactive_user_cannot_sign_in(client, make_user, db_session):
    user = make_user("patrol")
    user.active = False
    db_session.flush()
    response = client.post(
        "/login",
        data={
            "username": user.username,
            "password": TEST_PASSWORD,
            "csrf_token": _login_page_token(client),
        },
    )
    assert response.status_code == 401


def test_password_is_stored_with_a_memory_hard_kdf(make_user):
    user = make_user("patrol")
    assert user.password_hash.startswith("scrypt:")
    assert TEST_PASSWORD not in user.password_hash


def test_api_token_authenticates_and_can_be_revoked(client, make_user, db_session):
    user = make_user("safety_officer")
    issued = services.issue_token(db_session, user, name="phone")
    headers = {"Authorization": f"Bearer {issued.token}"}

    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["username"] == user.username
    assert issued.record.token_hash != issued.token  # only the hash is stored

    revoke = client.delete(f"/api/v1/tokens/{issued.record.id}", headers=headers)
    assert revoke.status_code == 200
    after = client.get("/api/v1/me", headers=headers)
    assert after.status_code == 401
    assert after.get_json()["error"]["code"] == "unauthorized"


def test_a_wrong_token_is_401(client):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer insp_nope"})
    assert response.status_code == 401


def test_token_post_needs_no_csrf_but_a_cookie_post_does(client, login_as, db_session):
    user = login_as("patrol")
    cookie_post = client.post("/api/v1/tokens", json={"name": "x"})
    assert cookie_post.status_code == 400
    assert cookie_post.get_json()["error"]["code"] == "csrf_failed"

    csrf = client.get("/api/v1/me").get_json()["csrf_token"]
    with_csrf = client.post("/api/v1/tokens", json={"name": "x"}, headers={"X-CSRFToken": csrf})
    assert with_csrf.status_code == 201

    token = services.issue_token(db_session, user).token
    bearer = client.post(
        "/api/v1/tokens", json={"name": "y"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert bearer.status_code == 201
    assert bearer.get_json()["token"].startswith("insp_")


def test_malformed_json_is_a_clear_400(client, make_user, db_session):
    user = make_user("patrol")
    headers = {"Authorization": f"Bearer {services.issue_token(db_session, user).token}"}
    bad = client.post(
        "/api/v1/tokens", data="{oops", content_type="application/json", headers=headers
    )
    assert bad.status_code == 400
    assert bad.get_json()["error"]["code"] == "bad_json"
    not_object = client.post("/api/v1/tokens", json=[1, 2], headers=headers)
    assert not_object.status_code == 400
    wrong_type = client.post("/api/v1/tokens", json={"name": 5}, headers=headers)
    assert wrong_type.status_code == 422
    assert "name" in wrong_type.get_json()["error"]["fields"]


def test_a_user_cannot_revoke_another_users_token(client, make_user, db_session):
    owner = make_user("patrol")
    other = make_user("patrol")
    issued = services.issue_token(db_session, owner)
    headers = {"Authorization": f"Bearer {services.issue_token(db_session, other).token}"}
    response = client.delete(f"/api/v1/tokens/{issued.record.id}", headers=headers)
    assert response.status_code == 403
    assert issued.record.revoked_at is None


def test_a_bearer_token_wins_over_the_session_cookie(client, login_as, make_user, db_session):
    login_as("patrol")  # the browser session of one user…
    other = make_user("safety_officer")
    token = services.issue_token(db_session, other).token
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert me["username"] == other.username  # …but the request names another by its token
    revoked = client.get("/api/v1/me", headers={"Authorization": "Bearer insp_wrong"})
    assert revoked.status_code == 401  # a bad token never falls back to the cookie
