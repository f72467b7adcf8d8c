"""Roles and what each may do: one table, deny by default (DESIGN §4a)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from inspection.errors import N_, ValidationError, register_code_words


class Role(StrEnum):
    PATROL = "patrol"
    SAFETY_OFFICER = "safety_officer"
    MANAGER = "manager"
    # 机务员: keeps the fleet, the drivers' records and the emergency stock (#15). The branch's
    # 机务 staff are neither safety officers nor managers, and these registers are theirs.
    MACHINERY = "machinery"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.PATROL: N_("Patrol crew"),
    Role.SAFETY_OFFICER: N_("Safety officer"),
    Role.MANAGER: N_("Manager"),
    Role.MACHINERY: N_("Machinery officer"),
    Role.ADMIN: N_("Administrator"),
}
register_code_words(ROLE_LABELS)

_PATROL = {Role.PATROL}
_OFFICER = {Role.SAFETY_OFFICER}
_MANAGER = {Role.MANAGER}
_ADMIN = {Role.ADMIN}
_MACHINERY = {Role.MACHINERY}
_FIELD = _PATROL | _OFFICER
_READERS = _FIELD | _MANAGER

# permission → roles holding it. A permission not listed here is held by nobody.
PERMISSIONS: dict[str, frozenset[Role]] = {
    # Any signed-in user: their own home page, profile and tokens.
    "account.self": frozenset(Role),
    # Records on the branch's roads.
    "records.read": frozenset(_READERS),
    # Administrators import centrelines too (the network issue), so they see what they imported.
    "roads.read": frozenset(_READERS | _ADMIN),
    # The issue lets managers and administrators import road centrelines.
    "roads.manage": frozenset(_MANAGER | _ADMIN),
    "patrols.work": frozenset(_FIELD),
    "repairs.work": frozenset(_FIELD),
    "hazards.raise": frozenset(_FIELD),
    "hazards.officer": frozenset(_OFFICER),
    "hazards.ledger": frozenset(_OFFICER | _MANAGER),
    "reports.read": frozenset(_MANAGER),
    # Safety self-inspections: officers run them and keep the checklists; managers read.
    "inspections.work": frozenset(_OFFICER),
    "inspections.read": frozenset(_OFFICER | _MANAGER),
    # Departments and sites: everyone who records hazards reads them; managers and
    # administrators keep them.
    "sites.read": frozenset(_READERS | _ADMIN),
    "sites.manage": frozenset(_MANAGER | _ADMIN),
    "surveys.manage": frozenset(_MANAGER),
    # Patrol frequencies by road class (the coverage rule): managers and administrators set them.
    "patrols.frequencies": frozenset(_MANAGER | _ADMIN),
    # The fleet, drivers and emergency supplies (#15): 机务 staff keep the registers, managers
    # may correct them; everyone who works on the road reads them (a crew picks its vehicle
    # and driver) and reports a defect of the vehicle they drive.
    "fleet.read": frozenset(_READERS | _MACHINERY),
    "fleet.manage": frozenset(_MACHINERY | _MANAGER),
    "fleet.report_defect": frozenset(_FIELD | _MACHINERY),
    # Safety officers hold emergency stock too (应急物资 is part of the emergency plan).
    "supplies.read": frozenset(_READERS | _MACHINERY),
    "supplies.manage": frozenset(_MACHINERY | _OFFICER | _MANAGER),
    # Crew safety (#16): crews and officers record briefings, pre-trip checks and work zones;
    # everyone who reads records sees them with pass/fail only. Health readings (alcohol,
    # blood pressure) are personal data: officers and managers see them (and the driver
    # their own, decided in code, not by role); officers and managers set the thresholds.
    "crew.record": frozenset(_FIELD),
    "crew.read": frozenset(_READERS | _MACHINERY),
    "crew.health_values": frozenset(_OFFICER | _MANAGER),
    "crew.settings": frozenset(_OFFICER | _MANAGER),
    # Plans and measurement (#17): managers keep the plans and confirm the monthly statements;
    # everyone who reads records reads them.
    "plans.read": frozenset(_READERS | _MACHINERY),
    "plans.manage": frozenset(_MANAGER),
    "users.manage": frozenset(_ADMIN),
}


def roles_with(permission: str) -> frozenset[Role]:
    """Return the roles that hold a permission (none for an unknown one)."""
    return PERMISSIONS.get(permission, frozenset())


def allows(roles: Iterable[str], permission: str) -> bool:
    """Tell whether any of the roles holds the permission."""
    held = roles_with(permission)
    return any(role in held for role in roles)


def parse_roles(values: Iterable[str]) -> list[Role]:
    """Turn role names into roles, refusing unknown names."""
    roles = []
    for value in values:
        try:
            roles.append(Role(value.strip()))
        except ValueError:
            raise ValidationError(
                N_("Unknown role %(role)s; roles are %(known)s."),
                role=value,
                known=", ".join(r.value for r in Role),
            ) from None
    if not roles:
        raise ValidationError(N_("A user needs at least one role."))
    return sorted(set(roles), key=list(Role).index)
