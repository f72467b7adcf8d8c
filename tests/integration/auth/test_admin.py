"""User administration in the browser and on the command line."""

from sqlalchemy import select

from inspection.auth.models import User
from tests.conftest import csrf_token_from


def test_admin_creates_a_user_with_two_roles(client, login_as, db_session):
    login_as("admin")
    token = csrf_token_from(client.get("/admin/users").get_data(as_text=True))
    response = client.post(
        "/admin/users",
        data={
            "username": "ma.lin",
            "display_name": "马林",
            "password": "long-enough-1",
            "roles": ["patrol", "safety_officer"],
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    user = db_session.scalar(select(User).where(User.username == "ma.lin"))
    assert user.roles == ["patrol", "safety_officer"]


def test_duplicate_username_is_a_form_message(client, login_as, make_user):
    login_as("admin")
    existing = make_user("patrol")
    token = csrf_token_from(client.get("/admin/users").get_data(as_text=True))
    response = client.post(
        "/admin/users",
        data={
            "username": existing.username,
            "password": "long-enough-1",
            "roles": ["patrol"],
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert "用户名已被占用" in response.get_data(as_text=True)


def test_cli_creates_lists_and_issues_tokens(app, db_session):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "cli.user", "--role", "manager", "--password", "long-enough-1"]
    )
    assert result.exit_code == 0, result.output
    assert "cli.user" in runner.invoke(args=["users", "list"]).output
    token = runner.invoke(args=["users", "token", "cli.user"])
    assert token.exit_code == 0
    assert token.output.strip().startswith("insp_")
    refused = runner.invoke(
        args=["users", "create", "cli.user", "--role", "manager", "--password", "long-enough-1"]
    )
    assert refused.exit_code != 0
    assert "taken" in refused.output


def test_demo_load_prints_the_logins_and_is_repeatable(app, db_session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "crew1" in first.output and "officer1" in first.output
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert db_session.scalar(select(User).where(User.username == "officer1")).roles == [
        "safety_officer"
    ]


def test_demo_load_has_a_seasonal_self_inspection_that_raised_a_hazard_at_a_site(app, db_session):
    from inspection.hazards.models import Hazard
    from inspection.inspections.models import Inspection

    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    inspection = db_session.scalar(select(Inspection).where(Inspection.kind == "seasonal"))
    assert inspection is not None and len(inspection.sites) == 2 and len(inspection.sections) == 1
    raised = db_session.scalars(select(Hazard).where(Hazard.inspection_id == inspection.id)).all()
    assert [(h.source, h.site.name, h.category) for h in raised] == [
        ("self_inspection", "柴窝堡收费站", "fire_safety")
    ]
