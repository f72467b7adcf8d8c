"""The application shell: health check, error answers, security headers, language."""

import logging

from inspection import create_app


def test_healthz_reports_database_and_postgis_versions(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"].startswith("PostgreSQL 15")
    assert body["postgis"].startswith("3.")


def test_healthz_answers_503_when_the_database_is_down(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "MEDIA_ROOT": str(tmp_path),
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["code"] == "not_found"
    assert error["message"]
    assert error["fields"] == {}


def test_unknown_page_is_an_html_404_in_chinese(client, login_as):
    login_as("patrol")
    response = client.get("/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "此地址没有内容" in response.get_data(as_text=True)


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp


def test_pages_are_chinese_by_default_and_english_on_request(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="zh-CN"' in page
    assert "登录" in page
    token = client.get("/api/v1/me")  # anonymous: 401, but proves the API stays JSON
    assert token.status_code == 401
    from tests.conftest import csrf_token_from

    response = client.post(
        "/lang", data={"lang": "en", "next": "/login", "csrf_token": csrf_token_from(page)}
    )
    assert response.status_code == 302
    english = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in english
    assert "Sign in" in english


def test_client_errors_log_no_stack_trace(client, login_as, caplog):
    login_as("patrol")
    with caplog.at_level(logging.INFO):
        client.get("/admin/users")  # 403
        client.post("/api/v1/tokens", data="{oops", content_type="application/json")  # 400 CSRF
        client.get("/api/v1/nothing")  # 404
    assert not [r for r in caplog.records if r.exc_info]


def test_nul_characters_and_huge_ids_are_client_errors(client, login_as):
    login_as("safety_officer")
    assert (
        client.get(
            "/api/v1/findings/nearby", query_string={"kind": "pothole", "road": "G\x0030"}
        ).status_code
        == 400
    )
    csrf = client.get("/api/v1/me").get_json()["csrf_token"]
    body = client.post(
        "/api/v1/tokens",
        data='{"name": "a\\u0000b"}',
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert body.status_code == 400
    assert body.get_json()["error"]["code"] == "bad_request"
    assert client.get("/api/v1/hazards/99999999999").status_code == 404
