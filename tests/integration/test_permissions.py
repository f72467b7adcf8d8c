"""Every endpoint × every role: who is let in and who is refused (deny by default).

Add a row here with every new endpoint; the completeness test fails until you do.
"""

import pytest

from inspection.auth.permissions import Role

ANON = "anonymous"
PUBLIC = "public"
EVERYONE = {r.value for r in Role}
FIELD = {"patrol", "safety_officer"}
READERS = FIELD | {"manager"}

# endpoint: (method, path, roles allowed, or PUBLIC)
MATRIX = {
    "main.home": ("GET", "/", EVERYONE),
    "main.set_language": ("POST", "/lang", PUBLIC),
    "main.healthz": ("GET", "/healthz", PUBLIC),
    "auth.login": ("GET", "/login", PUBLIC),
    "auth.logout": ("POST", "/logout", PUBLIC),
    "auth.account": ("GET", "/account", EVERYONE),
    "auth.revoke_token": ("POST", "/tokens/999999/revoke", EVERYONE),
    "auth.users": ("GET", "/admin/users", {"admin"}),
    "api.me": ("GET", "/api/v1/me", EVERYONE),
    "api.issue_token": ("POST", "/api/v1/tokens", EVERYONE),
    "api.revoke_token": ("DELETE", "/api/v1/tokens/999999", EVERYONE),
    "network.index": ("GET", "/roads/", READERS),
    "network.detail": ("GET", "/roads/G0/up", READERS),
    "network.import_roads": ("GET", "/roads/import", {"manager"}),
    "api.roads": ("GET", "/api/v1/roads", READERS),
    "api.road": ("GET", "/api/v1/roads/G0", READERS),
    "api.road_position": ("GET", "/api/v1/roads/G0/position?stake=K1%2B000", READERS),
    "api.locate": ("GET", "/api/v1/locate?lon=87.6&lat=43.8", READERS),
}


def test_matrix_covers_every_endpoint(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert endpoints == set(MATRIX), "update MATRIX for new or removed endpoints"


def test_every_view_declares_its_permission(app):
    undeclared = [
        name
        for name, view in app.view_functions.items()
        if name != "static" and not hasattr(view, "permission")
    ]
    assert undeclared == []


CASES = [(endpoint, role) for endpoint in MATRIX for role in [ANON, *sorted(EVERYONE)]]


@pytest.mark.parametrize(("endpoint", "role"), CASES, ids=[f"{e}-{r}" for e, r in CASES])
def test_access(client, login_as, endpoint, role):
    method, path, allowed = MATRIX[endpoint]
    if role != ANON:
        login_as(role)
    response = client.open(path, method=method)
    location = response.headers.get("Location", "")
    refused_as_anonymous = response.status_code == 401 or "/login?next=" in location
    if allowed == PUBLIC or (role != ANON and role in allowed):
        assert response.status_code != 403, response.get_data(as_text=True)[:300]
        assert not refused_as_anonymous
    elif role == ANON:
        assert refused_as_anonymous, (response.status_code, location)
    else:
        assert response.status_code == 403


def test_undeclared_endpoint_is_refused_to_everyone(app, client, login_as):
    # A view added without a permission must not be reachable, even by an administrator.
    login_as("admin", "manager", "safety_officer", "patrol")
    view = app.view_functions["main.home"]
    saved = view.permission
    try:
        del view.permission
        assert client.get("/").status_code == 403
    finally:
        view.permission = saved
