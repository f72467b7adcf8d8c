"""Decide hazard rectification transitions (DESIGN §4) from one table.

Pure module: standard library only. The services call `decide` before writing a
transition and its audit event; the views call `available_actions` to show buttons.
Both read `TRANSITIONS`, the only place the rules of the closed loop are written.

Decisions worth knowing (see also the docstrings):

- Interim measures (临时措施) are the action `record_interim_measures`, a self-loop in
  the table on every open state, so they are audited like any other action and show up
  in `available_actions`; a closed hazard takes nothing but `reopen`, and `recheck`
  (a 回头看 found it holding), which only a look-back inspection takes.
- Submitting evidence is open to a safety officer, or to the assignee *if* the assignee
  also holds the `patrol` role (deny by default: a manager or admin who happens to be
  named as assignee gets nothing in the hazard loop, DESIGN §4a).
- A major hazard's remediation plan is checked part by part; a missing part is reported
  in `fields` as ``plan.<part>`` (``plan.measures`` and ``plan.deadline`` would otherwise
  clash with the assignment's own `measures` and `deadline`).
- Field messages in `fields` are untranslated templates without parameters, like the
  error messages, so the edge can translate both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from inspection.errors import N_, InvalidTransition, NotPermitted, ValidationError

PATROL: Final = "patrol"
SAFETY_OFFICER: Final = "safety_officer"
MANAGER: Final = "manager"
ADMIN: Final = "admin"


class HazardState(StrEnum):
    """Where a hazard is in its rectification loop."""

    reported = "reported"  # 登记
    rectifying = "rectifying"  # 已下达整改 / 整改中 / 复查不合格
    awaiting_verification = "awaiting_verification"  # 待复查
    closed = "closed"  # 已销号


class HazardAction(StrEnum):
    """What a user can do to a hazard; `raise_` because `raise` is a keyword."""

    raise_ = "raise"
    assign = "assign"
    submit = "submit"
    verify = "verify"
    reject = "reject"
    reopen = "reopen"
    record_interim_measures = "record_interim_measures"
    # A 回头看 found the rectification holding: audited, no change of state.
    recheck = "recheck"


class HazardSource(StrEnum):
    """How a hazard came to be known (the report counts each source on its own line)."""

    self_inspection = "self_inspection"  # 自查 (linked to the inspection)
    patrol = "patrol"  # 道路巡查发现
    higher_authority = "higher_authority"  # 上级检查
    public_report = "public_report"  # 群众举报
    other = "other"


class LocationType(StrEnum):
    """Where a hazard is: at a road stake or at a site (exactly one)."""

    road = "road"
    site = "site"


class HazardGrade(StrEnum):
    """一般隐患 / 重大隐患."""

    general = "general"
    major = "major"


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the table: where an action leads, who may take it, what it needs.

    Who may act: anyone holding one of `roles`; or the hazard's assignee if they hold one
    of `assignee_roles`; never the submitter of the evidence when `excludes_submitter`.
    What it needs: every field in `required`, at least one field of `one_of`, and for a
    major hazard with `plan_if_major` a complete remediation plan in `plan`.
    """

    to_state: HazardState
    roles: frozenset[str]
    required: tuple[str, ...] = ()
    one_of: tuple[str, ...] = ()
    assignee_roles: frozenset[str] = field(default_factory=frozenset)
    excludes_submitter: bool = False
    plan_if_major: bool = False


_OFFICER = frozenset({SAFETY_OFFICER})
_CREW = frozenset({PATROL, SAFETY_OFFICER})


def _interim(state: HazardState) -> Transition:
    return Transition(to_state=state, roles=_CREW, required=("interim_measures",))


# The closed loop of DESIGN §4, once. Keys are (from state, action); None is "no hazard yet".
TRANSITIONS: Final[Mapping[tuple[HazardState | None, HazardAction], Transition]] = MappingProxyType(
    {
        (None, HazardAction.raise_): Transition(
            to_state=HazardState.reported,
            roles=_CREW,
            required=("location", "category", "grade", "description"),
        ),
        (HazardState.reported, HazardAction.assign): Transition(
            to_state=HazardState.rectifying,
            roles=_OFFICER,
            required=("responsible_unit", "responsible_person", "measures", "deadline"),
            plan_if_major=True,
        ),
        (HazardState.rectifying, HazardAction.assign): Transition(
            to_state=HazardState.rectifying,
            roles=_OFFICER,
            required=("reason",),
            one_of=("responsible_unit", "responsible_person", "assignee_user_id", "deadline"),
        ),
        (HazardState.rectifying, HazardAction.submit): Transition(
            to_state=HazardState.awaiting_verification,
            roles=_OFFICER,
            required=("after_photo_ids", "note"),
            assignee_roles=frozenset({PATROL}),
        ),
        (HazardState.awaiting_verification, HazardAction.verify): Transition(
            to_state=HazardState.closed,
            roles=_OFFICER,
            required=("note",),
            excludes_submitter=True,
        ),
        (HazardState.awaiting_verification, HazardAction.reject): Transition(
            to_state=HazardState.rectifying,
            roles=_OFFICER,
            required=("reason",),
        ),
        (HazardState.closed, HazardAction.reopen): Transition(
            to_state=HazardState.rectifying,
            roles=_OFFICER,
            required=("reason",),
        ),
        (HazardState.closed, HazardAction.recheck): Transition(
            to_state=HazardState.closed,
            roles=_OFFICER,
            required=("inspection_id",),
        ),
        (HazardState.reported, HazardAction.record_interim_measures): _interim(
            HazardState.reported
        ),
        (HazardState.rectifying, HazardAction.record_interim_measures): _interim(
            HazardState.rectifying
        ),
        (HazardState.awaiting_verification, HazardAction.record_interim_measures): _interim(
            HazardState.awaiting_verification
        ),
    }
)

# The six parts of a remediation plan (整改方案): 目标任务、方法措施、经费物资、
# 机构人员、时限要求、安全措施和应急预案.
PLAN_PARTS: Final[tuple[str, ...]] = (
    "goals",
    "measures",
    "funding",
    "people",
    "deadline",
    "safety_contingency",
)

_FIELD_MESSAGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "location": N_("Give the hazard's location (stake or GPS fix)."),
        "category": N_("Choose a category."),
        "grade": N_("Choose a grade."),
        "description": N_("Describe the hazard."),
        "responsible_unit": N_("Name the responsible unit."),
        "responsible_person": N_("Name the responsible person."),
        "measures": N_("Describe the rectification measures."),
        "deadline": N_("Set a deadline."),
        "plan": N_("A major hazard needs a remediation plan."),
        "reason": N_("Give a reason."),
        "after_photo_ids": N_("Add at least one photo taken after the rectification."),
        "note": N_("Add a note."),
        "interim_measures": N_("Describe the interim measures taken."),
        "inspection_id": N_("A re-check belongs to a look-back inspection."),
    }
)
_REQUIRED_MESSAGE: Final = N_("This field is required.")
_ONE_OF_MESSAGE: Final = N_("Give a new responsible unit, person or assignee, or a new deadline.")
_PLAN_PART_MESSAGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "goals": N_("The remediation plan needs its goals and tasks."),
        "measures": N_("The remediation plan needs its methods and measures."),
        "funding": N_("The remediation plan needs its funding and materials."),
        "people": N_("The remediation plan needs the organisation and people."),
        "deadline": N_("The remediation plan needs its time limits."),
        "safety_contingency": N_(
            "The remediation plan needs its safety measures and contingency plan."
        ),
    }
)


# --- categories and default deadlines ------------------------------------------------


_ROAD: Final = frozenset({LocationType.road})
_SITE: Final = frozenset({LocationType.site})
_BOTH: Final = frozenset(LocationType)


@dataclass(frozen=True, slots=True)
class HazardCategory:
    """A hazard category with its words and its own default deadlines, if any."""

    code: str
    zh: str
    en: str
    deadline_days: Mapping[HazardGrade, int] = field(default_factory=dict)
    applies_to: frozenset[LocationType] = _ROAD

    def label(self, locale: str) -> str:
        """Return the category's word for a locale (Chinese for any ``zh*``)."""
        return self.zh if locale.lower().startswith("zh") else self.en

    def applies(self, location_type: LocationType | str) -> bool:
        """Tell whether a hazard at this kind of location may have this category."""
        return location_type in self.applies_to


# Deadline in days from assignment when the category sets none of its own. The branch can
# override any of these (see `default_deadline_days`); the numbers are starting values.
DEFAULT_DEADLINE_DAYS: Final[Mapping[HazardGrade, int]] = MappingProxyType(
    {HazardGrade.general: 7, HazardGrade.major: 30}
)

HAZARD_CATEGORIES: Final[Mapping[str, HazardCategory]] = MappingProxyType(
    {
        c.code: c
        for c in (
            HazardCategory(
                "guardrail_damage", "护栏损坏", "Guardrail damage", {HazardGrade.general: 5}
            ),
            HazardCategory("sign_damage", "标志缺损", "Missing or damaged sign"),
            HazardCategory(
                "pavement_hazard", "路面隐患", "Pavement hazard", {HazardGrade.general: 3}
            ),
            HazardCategory(
                "rockfall_slope",
                "落石/边坡风险",
                "Rockfall or slope risk",
                {HazardGrade.general: 3},
            ),
            HazardCategory("drainage", "排水隐患", "Drainage hazard", applies_to=_BOTH),
            HazardCategory("roadside_obstacle", "路侧障碍", "Roadside obstacle"),
            HazardCategory("work_zone", "施工作业区", "Work zone", applies_to=_BOTH),
            # Safety-production categories (安全生产) of the branch's sites and departments.
            HazardCategory("fire_safety", "消防安全", "Fire safety", applies_to=_SITE),
            HazardCategory("electrical", "用电安全", "Electrical safety", applies_to=_BOTH),
            HazardCategory("special_equipment", "特种设备", "Special equipment", applies_to=_SITE),
            HazardCategory(
                "vehicle_machinery", "车辆机械", "Vehicles and machinery", applies_to=_BOTH
            ),
            HazardCategory(
                "hazardous_materials", "危险化学品", "Hazardous materials", applies_to=_SITE
            ),
            HazardCategory(
                "building_structure", "房屋建筑", "Buildings and structures", applies_to=_SITE
            ),
            HazardCategory(
                "office_living", "办公生活区", "Office and living areas", applies_to=_SITE
            ),
            HazardCategory("safety_management", "安全管理", "Safety management", applies_to=_BOTH),
            HazardCategory("other", "其他", "Other", applies_to=_BOTH),
        )
    }
)


def _category(code: Any) -> HazardCategory:
    try:
        return HAZARD_CATEGORIES[code]
    except (KeyError, TypeError):
        raise ValidationError(
            N_("Unknown hazard category %(category)s."),
            fields={"category": N_("Choose a category from the list.")},
            category=str(code),
        ) from None


def _grade(value: Any) -> HazardGrade:
    try:
        return HazardGrade(value)
    except ValueError:
        raise ValidationError(
            N_("Unknown hazard grade %(grade)s."),
            fields={"grade": N_("Choose general or major.")},
            grade=str(value),
        ) from None


def default_deadline_days(
    category: str,
    grade: HazardGrade | str,
    overrides: Mapping[str, int] | None = None,
) -> int:
    """Return the default number of days to rectify a hazard of this category and grade.

    `overrides` comes from the branch's settings, keyed ``"<category>.<grade>"`` or
    ``"<grade>"``. The most specific rule wins: an override for the category and grade,
    then the category's own default, then an override for the grade, then the grade's
    default — so ``{"general": 10}`` lengthens general hazards without undoing the
    shorter deadlines some categories have.
    """
    cat = _category(category)
    grade = _grade(grade)
    overrides = overrides or {}
    grades = {str(g) for g in HazardGrade}
    for key, days in overrides.items():
        head, _, tail = key.rpartition(".")
        if (head and head not in HAZARD_CATEGORIES) or tail not in grades:
            raise ValueError(f"unknown deadline override key {key!r}")
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise ValueError(f"deadline override {key!r} must be a positive integer, not {days!r}")
    candidates = (
        overrides.get(f"{cat.code}.{grade}"),
        cat.deadline_days.get(grade),
        overrides.get(str(grade)),
        DEFAULT_DEADLINE_DAYS[grade],
    )
    return next(d for d in candidates if d is not None)


def default_deadline(
    category: str,
    grade: HazardGrade | str,
    start: dt.date,
    overrides: Mapping[str, int] | None = None,
) -> dt.date:
    """Return the default deadline for a rectification assigned on `start`."""
    return start + dt.timedelta(days=default_deadline_days(category, grade, overrides))


# --- overdue ---------------------------------------------------------------------------


def is_overdue(state: HazardState | str | None, deadline: dt.date | None, today: dt.date) -> bool:
    """Tell whether a hazard is past its deadline and still open (due today is not overdue)."""
    if state is None or deadline is None or HazardState(state) is HazardState.closed:
        return False
    return today > deadline


def days_overdue(state: HazardState | str | None, deadline: dt.date | None, today: dt.date) -> int:
    """Return how many days an open hazard is past its deadline; 0 when it is not overdue."""
    if not is_overdue(state, deadline, today):
        return 0
    assert deadline is not None  # is_overdue said so
    return (today - deadline).days


# --- who may act -----------------------------------------------------------------------


def _roles(roles: Iterable[str]) -> frozenset[str]:
    # A bare string is one role, not a set of one-letter roles.
    return frozenset((roles,)) if isinstance(roles, str) else frozenset(roles)


def _state(state: HazardState | str | None) -> HazardState | None:
    return None if state is None else HazardState(state)


def _or(words: Iterable[str]) -> str:
    return " or ".join(sorted(words))


def _refusal(
    transition: Transition,
    action: HazardAction,
    *,
    roles: frozenset[str],
    actor_id: int,
    assignee_id: int | None,
    submitter_id: int | None,
) -> NotPermitted | None:
    """Return why the actor may not take this transition, or None if they may."""
    by_role = bool(roles & transition.roles)
    by_assignment = (
        assignee_id is not None
        and actor_id == assignee_id
        and bool(roles & transition.assignee_roles)
    )
    if not (by_role or by_assignment):
        if transition.assignee_roles:
            return NotPermitted(
                N_("Only the assignee or a %(roles)s may %(action)s this hazard."),
                roles=_or(transition.roles),
                action=str(action),
            )
        return NotPermitted(
            N_("Only a %(roles)s may %(action)s this hazard."),
            roles=_or(transition.roles),
            action=str(action),
        )
    if transition.excludes_submitter and submitter_id is not None and actor_id == submitter_id:
        return NotPermitted(N_("The person who submitted the evidence cannot verify it."))
    return None


def possible_actions(state: HazardState | str | None) -> list[HazardAction]:
    """Return the actions the table has from a state, whoever asks."""
    state = _state(state)
    return [a for a in HazardAction if (state, a) in TRANSITIONS]


def available_actions(
    state: HazardState | str | None,
    *,
    roles: Iterable[str],
    actor_id: int,
    assignee_id: int | None,
    submitter_id: int | None,
) -> list[HazardAction]:
    """Return the actions this actor may take from a state, in table order (for buttons)."""
    state = _state(state)
    held = _roles(roles)
    return [
        action
        for action in possible_actions(state)
        if _refusal(
            TRANSITIONS[state, action],
            action,
            roles=held,
            actor_id=actor_id,
            assignee_id=assignee_id,
            submitter_id=submitter_id,
        )
        is None
    ]


# --- what an action needs ----------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Collection):
        return len(value) == 0
    return False


def parse_deadline(value: Any) -> dt.date | None:
    """Return a deadline given as a date or an ISO date string, or None if it is neither.

    A datetime is refused: a deadline is a day in the branch's time zone, and which day a
    datetime falls on is the caller's business.
    """
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _one_of(value: Any, options: Iterable[str]) -> bool:
    return any(value == option for option in options)


def _plan_errors(plan: Any) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not isinstance(plan, Mapping) or not plan:
        errors["plan"] = _FIELD_MESSAGES["plan"]
        plan = {}
    for part in PLAN_PARTS:
        if _is_blank(plan.get(part)):
            errors[f"plan.{part}"] = _PLAN_PART_MESSAGES[part]
    return errors


def _payload_errors(
    transition: Transition,
    *,
    grade: HazardGrade | None,
    payload: Mapping[str, Any],
    today: dt.date | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in transition.required:
        if _is_blank(payload.get(name)):
            errors[name] = _FIELD_MESSAGES.get(name, _REQUIRED_MESSAGE)
    if transition.one_of and all(_is_blank(payload.get(n)) for n in transition.one_of):
        errors.update(dict.fromkeys(transition.one_of, _ONE_OF_MESSAGE))
    if transition.plan_if_major and grade is HazardGrade.major:
        errors.update(_plan_errors(payload.get("plan")))

    accepted = set(transition.required) | set(transition.one_of)
    # Compared with == rather than `in`, so an unhashable value is refused, not a TypeError.
    if (
        "category" in accepted
        and "category" not in errors
        and not _one_of(payload["category"], HAZARD_CATEGORIES)
    ):
        errors["category"] = N_("Choose a category from the list.")
    if "grade" in accepted and "grade" not in errors and not _one_of(payload["grade"], HazardGrade):
        errors["grade"] = N_("Choose general or major.")
    if "deadline" in accepted and not _is_blank(payload.get("deadline")):
        deadline = parse_deadline(payload["deadline"])
        if deadline is None:
            errors["deadline"] = N_("Enter the deadline as a date, e.g. 2025-06-30.")
        elif today is not None and deadline < today:
            errors["deadline"] = N_("The deadline cannot be in the past.")
    return errors


# --- the decision ---------------------------------------------------------------------


def decide(
    state: HazardState | str | None,
    action: HazardAction | str,
    *,
    roles: Iterable[str],
    actor_id: int,
    assignee_id: int | None,
    submitter_id: int | None,
    grade: HazardGrade | str | None,
    payload: Mapping[str, Any],
    today: dt.date | None = None,
) -> HazardState:
    """Return the state a hazard moves to when this actor takes this action, or raise why not.

    `state` is None for a hazard not raised yet. `grade` is the hazard's current grade
    (None when raising: the payload carries the new hazard's grade). `today` is the day in
    the branch's time zone; a deadline before it is refused, and without it that check is
    skipped. Checks run in order: unknown action (ValidationError), action not possible from
    the state (InvalidTransition), actor not allowed (NotPermitted), payload incomplete or
    invalid (ValidationError, one entry in `fields` per problem).
    """
    try:
        action = HazardAction(action)
    except ValueError:
        raise ValidationError(
            N_("Unknown hazard action %(action)s."),
            fields={"action": N_("Choose an action from the list.")},
            action=str(action),
        ) from None
    state = _state(state)

    transition = TRANSITIONS.get((state, action))
    if transition is None:
        possible = ", ".join(possible_actions(state))
        if state is None:
            raise InvalidTransition(
                N_("There is no hazard to %(action)s yet; the possible action is: %(possible)s."),
                action=str(action),
                possible=possible,
            )
        raise InvalidTransition(
            N_(
                "A hazard in state %(state)s cannot be given the action %(action)s; "
                "possible actions: %(possible)s."
            ),
            state=str(state),
            action=str(action),
            possible=possible,
        )

    refusal = _refusal(
        transition,
        action,
        roles=_roles(roles),
        actor_id=actor_id,
        assignee_id=assignee_id,
        submitter_id=submitter_id,
    )
    if refusal is not None:
        raise refusal

    if transition.plan_if_major and grade is None:
        raise TypeError(f"decide() needs the hazard's grade to {action}")
    errors = _payload_errors(
        transition,
        grade=None if grade is None else _grade(grade),
        payload=payload,
        today=today,
    )
    if errors:
        raise ValidationError(
            N_("Some information is missing or invalid: %(names)s."),
            fields=errors,
            names=", ".join(errors),
        )
    return transition.to_state
