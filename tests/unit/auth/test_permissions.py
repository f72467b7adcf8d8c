import pytest

from inspection.auth.permissions import PERMISSIONS, Role, allows, parse_roles, roles_with
from inspection.errors import ValidationError


def test_unknown_permission_is_held_by_nobody():
    assert roles_with("no.such.permission") == frozenset()
    assert not allows([r.value for r in Role], "no.such.permission")


@pytest.mark.parametrize(
    ("roles", "permission", "allowed"),
    [
        (["patrol"], "patrols.work", True),
        (["patrol"], "hazards.officer", False),
        (["safety_officer"], "hazards.officer", True),
        (["safety_officer"], "patrols.work", True),
        (["manager"], "roads.manage", True),
        (["manager"], "patrols.work", False),
        (["admin"], "users.manage", True),
        # An administrator is outside the hazard loop unless also an officer (DESIGN §4a).
        (["admin"], "hazards.officer", False),
        (["admin", "safety_officer"], "hazards.officer", True),
        ([], "account.self", False),
    ],
)
def test_roles_allow(roles, permission, allowed):
    assert allows(roles, permission) is allowed


def test_every_role_may_see_its_own_account():
    assert PERMISSIONS["account.self"] == frozenset(Role)


def test_parse_roles_orders_and_deduplicates():
    assert parse_roles(["manager", "patrol", "manager"]) == [Role.PATROL, Role.MANAGER]


@pytest.mark.parametrize("values", [[], ["captain"], ["patrol", "boss"]])
def test_parse_roles_refuses_unknown_or_none(values):
    with pytest.raises(ValidationError):
        parse_roles(values)
