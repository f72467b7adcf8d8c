"""Test the hazard rectification table against an expectation written out from DESIGN §4."""

from __future__ import annotations

import ast
import datetime as dt
import itertools
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspection.errors import InvalidTransition, NotPermitted, ValidationError
from inspection.hazards import workflow
from inspection.hazards.workflow import (
    HAZARD_CATEGORIES,
    PLAN_PARTS,
    TRANSITIONS,
    HazardAction,
    HazardGrade,
    HazardState,
    LocationType,
    available_actions,
    days_overdue,
    decide,
    default_deadline,
    default_deadline_days,
    is_overdue,
    parse_deadline,
    possible_actions,
)

PAT, OFF, MGR, ADM = "patrol", "safety_officer", "manager", "admin"
ME = 1
TODAY = dt.date(2025, 6, 1)

# ---------------------------------------------------------------------------------------
# The expectation, written out by hand from DESIGN §4 — deliberately not derived from
# workflow.TRANSITIONS, so these tests check the table rather than restate it.
# ---------------------------------------------------------------------------------------

STATES: list[str | None] = [None, "reported", "rectifying", "awaiting_verification", "closed"]
ACTIONS = [
    "raise",
    "assign",
    "submit",
    "verify",
    "reject",
    "reopen",
    "record_interim_measures",
    "recheck",
]

NEXT_STATE: dict[tuple[str | None, str], str] = {
    (None, "raise"): "reported",
    ("reported", "assign"): "rectifying",
    ("rectifying", "assign"): "rectifying",
    ("rectifying", "submit"): "awaiting_verification",
    ("awaiting_verification", "verify"): "closed",
    ("awaiting_verification", "reject"): "rectifying",
    ("closed", "reopen"): "rectifying",
    # a 回头看 found the rectification holding: audited, the hazard stays closed
    ("closed", "recheck"): "closed",
    # interim measures: any open state, no change of state
    ("reported", "record_interim_measures"): "reported",
    ("rectifying", "record_interim_measures"): "rectifying",
    ("awaiting_verification", "record_interim_measures"): "awaiting_verification",
}


def may(action: str, roles: frozenset[str], *, is_assignee: bool, is_submitter: bool) -> bool:
    """Say who may act, in the words of DESIGN §4 and §4a."""
    patrol, officer = PAT in roles, OFF in roles
    if action in ("raise", "record_interim_measures"):
        return patrol or officer
    if action == "submit":  # the assignee (a patrol), or an officer
        return officer or (patrol and is_assignee)
    if action == "verify":  # an officer who did not submit the evidence
        return officer and not is_submitter
    if action in ("assign", "reject", "reopen", "recheck"):
        return officer
    raise AssertionError(action)


# Every set of the four roles, plus a role the system does not know.
ROLE_SETS: list[frozenset[str]] = [
    frozenset(c) for n in range(5) for c in itertools.combinations((PAT, OFF, MGR, ADM), n)
] + [frozenset({"inspector"})]

# name → (assignee_id, submitter_id); the actor is always ME.
IDENTITIES: dict[str, tuple[int | None, int | None]] = {
    "stranger": (2, 3),
    "assignee": (ME, 3),
    "submitter": (2, ME),
    "assignee_and_submitter": (ME, ME),
    "nobody_assigned": (None, None),
}

FULL_PLAN = {
    "goals": "恢复护栏防护功能",
    "measures": "更换受损护栏板 3 块",
    "funding": "养护专项经费 2 万元",
    "people": "养护站第二班组",
    "deadline": "30 日内完成",
    "safety_contingency": "设置锥桶与警示标志，夜间安排值守",
}

FULL_PAYLOAD: dict[str, Any] = {
    "location": "K3456+780",
    "category": "guardrail_damage",
    "grade": "major",
    "description": "上行右侧护栏板撞损",
    "responsible_unit": "第一养护站",
    "responsible_person": "张三",
    "assignee_user_id": 2,
    "measures": "更换护栏板",
    "deadline": dt.date(2025, 6, 30),
    "plan": FULL_PLAN,
    "reason": "责任人调整",
    "after_photo_ids": [11, 12],
    "note": "已更换完毕",
    "interim_measures": "摆放锥桶 10 个",
    "inspection_id": 5,
}

REQUIRED: dict[tuple[str | None, str], list[str]] = {
    (None, "raise"): ["location", "category", "grade", "description"],
    ("reported", "assign"): ["responsible_unit", "responsible_person", "measures", "deadline"],
    ("rectifying", "assign"): ["reason"],
    ("rectifying", "submit"): ["after_photo_ids", "note"],
    ("awaiting_verification", "verify"): ["note"],
    ("awaiting_verification", "reject"): ["reason"],
    ("closed", "reopen"): ["reason"],
    ("closed", "recheck"): ["inspection_id"],
    ("reported", "record_interim_measures"): ["interim_measures"],
    ("rectifying", "record_interim_measures"): ["interim_measures"],
    ("awaiting_verification", "record_interim_measures"): ["interim_measures"],
}

REASSIGN_ONE_OF = ["responsible_unit", "responsible_person", "assignee_user_id", "deadline"]


def call(
    state: str | None,
    action: str,
    *,
    roles: Any = (OFF,),
    actor_id: int = ME,
    assignee_id: int | None = 2,
    submitter_id: int | None = 3,
    grade: str | None = "major",
    payload: dict[str, Any] | None = None,
    today: dt.date | None = TODAY,
) -> HazardState:
    return decide(
        None if state is None else HazardState(state),
        action,
        roles=roles,
        actor_id=actor_id,
        assignee_id=assignee_id,
        submitter_id=submitter_id,
        grade=None if state is None else grade,
        payload=FULL_PAYLOAD if payload is None else payload,
        today=today,
    )


def without(*names: str, **changes: Any) -> dict[str, Any]:
    payload = {k: v for k, v in FULL_PAYLOAD.items() if k not in names}
    payload.update(changes)
    return payload


# --- the whole table ---------------------------------------------------------------------


def test_expectation_covers_the_vocabulary() -> None:
    assert [str(s) for s in HazardState] == STATES[1:]
    assert [str(a) for a in HazardAction] == ACTIONS
    assert HazardAction.raise_ == "raise"
    assert [str(g) for g in HazardGrade] == ["general", "major"]
    assert [str(s) for s in workflow.HazardSource] == [
        "self_inspection",
        "patrol",
        "higher_authority",
        "public_report",
        "other",
    ]
    assert [str(t) for t in LocationType] == ["road", "site"]


def test_table_has_exactly_the_expected_rows() -> None:
    rows = {
        (None if s is None else str(s), str(a)): str(t.to_state)
        for (s, a), t in TRANSITIONS.items()
    }
    assert rows == NEXT_STATE


@pytest.mark.parametrize("identity", list(IDENTITIES))
@pytest.mark.parametrize("roles", ROLE_SETS, ids=lambda r: "+".join(sorted(r)) or "no_role")
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES, ids=lambda s: s or "new")
def test_matrix(state: str | None, action: str, roles: frozenset[str], identity: str) -> None:
    assignee_id, submitter_id = IDENTITIES[identity]
    kwargs = {"roles": roles, "assignee_id": assignee_id, "submitter_id": submitter_id}
    shown = action in available_actions(state, actor_id=ME, **kwargs)

    if (state, action) not in NEXT_STATE:
        with pytest.raises(InvalidTransition):
            call(state, action, **kwargs)
        assert not shown
        return

    allowed = may(
        action,
        roles,
        is_assignee=assignee_id == ME,
        is_submitter=submitter_id == ME,
    )
    if allowed:
        assert call(state, action, **kwargs) == NEXT_STATE[state, action]
    else:
        with pytest.raises(NotPermitted):
            call(state, action, **kwargs)
    assert shown == allowed


# --- named cases from the brief -------------------------------------------------------------


def test_patrol_who_is_the_assignee_may_submit() -> None:
    next_state = call("rectifying", "submit", roles=[PAT], assignee_id=ME)
    assert next_state == HazardState.awaiting_verification


def test_patrol_who_is_not_the_assignee_may_not_submit() -> None:
    with pytest.raises(NotPermitted) as e:
        call("rectifying", "submit", roles=[PAT], assignee_id=2)
    assert e.value.params == {"roles": "safety_officer", "action": "submit"}
    assert "assignee" in e.value.message


@pytest.mark.parametrize("role", [MGR, ADM])
def test_assignee_without_a_hazard_role_may_not_submit(role: str) -> None:
    with pytest.raises(NotPermitted):
        call("rectifying", "submit", roles=[role], assignee_id=ME)


def test_officer_who_submitted_may_not_verify() -> None:
    with pytest.raises(NotPermitted) as e:
        call("awaiting_verification", "verify", roles=[OFF], submitter_id=ME)
    assert e.value.message == "The person who submitted the evidence cannot verify it."


def test_officer_who_submitted_may_still_reject() -> None:
    assert (
        call("awaiting_verification", "reject", roles=[OFF], submitter_id=ME)
        == HazardState.rectifying
    )


def test_another_officer_verifies_and_closes() -> None:
    next_state = call("awaiting_verification", "verify", roles=[OFF], submitter_id=7)
    assert next_state == HazardState.closed


def test_refusal_names_the_roles_that_may() -> None:
    with pytest.raises(NotPermitted) as e:
        call("reported", "assign", roles=[PAT, MGR])
    assert e.value.params == {"roles": "safety_officer", "action": "assign"}
    assert "safety_officer" in str(e.value)
    with pytest.raises(NotPermitted) as e:
        call(None, "raise", roles=[MGR])
    assert e.value.params["roles"] == "patrol or safety_officer"


def test_invalid_transition_names_the_state_and_possible_actions() -> None:
    with pytest.raises(InvalidTransition) as e:
        call("closed", "verify")
    assert e.value.params == {
        "state": "closed",
        "action": "verify",
        "possible": "reopen, recheck",
    }
    assert "closed" in str(e.value)
    assert "reopen" in str(e.value)

    with pytest.raises(InvalidTransition) as e:
        call("awaiting_verification", "submit")
    assert e.value.params["possible"] == "verify, reject, record_interim_measures"

    with pytest.raises(InvalidTransition) as e:
        call(None, "assign")
    assert e.value.params == {"action": "assign", "possible": "raise"}


def test_closed_hazard_takes_no_interim_measures() -> None:
    with pytest.raises(InvalidTransition):
        call("closed", "record_interim_measures", roles=[PAT, OFF])


@pytest.mark.parametrize("state", STATES, ids=lambda s: s or "new")
def test_unknown_action_is_a_validation_error(state: str | None) -> None:
    with pytest.raises(ValidationError) as e:
        call(state, "delete")
    assert set(e.value.fields) == {"action"}
    assert e.value.params == {"action": "delete"}


def test_action_and_state_accept_enums_and_strings() -> None:
    assert (
        decide(
            "rectifying",
            HazardAction.submit,
            roles={OFF},
            actor_id=ME,
            assignee_id=None,
            submitter_id=None,
            grade=HazardGrade.general,
            payload=FULL_PAYLOAD,
        )
        == HazardState.awaiting_verification
    )


def test_a_bare_role_string_is_one_role() -> None:
    assert call("reported", "assign", roles="safety_officer") == HazardState.rectifying
    with pytest.raises(NotPermitted):  # not the set of letters {"p", "a", "t", ...}
        call("reported", "assign", roles="patrol")


def test_assign_needs_the_grade() -> None:
    with pytest.raises(TypeError):
        call("reported", "assign", grade=None)


def test_state_values_returned_are_enums() -> None:
    assert call(None, "raise") is HazardState.reported


# --- available actions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "roles", "assignee_id", "submitter_id", "expected"),
    [
        (None, [PAT], None, None, ["raise"]),
        (None, [MGR, ADM], None, None, []),
        ("reported", [PAT], None, None, ["record_interim_measures"]),
        ("reported", [OFF], None, None, ["assign", "record_interim_measures"]),
        ("rectifying", [PAT], ME, None, ["submit", "record_interim_measures"]),
        ("rectifying", [PAT], 2, None, ["record_interim_measures"]),
        ("rectifying", [OFF], 2, None, ["assign", "submit", "record_interim_measures"]),
        ("awaiting_verification", [OFF], 2, 3, ["verify", "reject", "record_interim_measures"]),
        ("awaiting_verification", [OFF], 2, ME, ["reject", "record_interim_measures"]),
        ("closed", [OFF], 2, 3, ["reopen", "recheck"]),
        ("closed", [PAT], ME, None, []),
        ("closed", [MGR], None, None, []),
    ],
)
def test_available_actions(
    state: str | None,
    roles: list[str],
    assignee_id: int | None,
    submitter_id: int | None,
    expected: list[str],
) -> None:
    got = available_actions(
        state, roles=roles, actor_id=ME, assignee_id=assignee_id, submitter_id=submitter_id
    )
    assert got == expected
    assert all(isinstance(a, HazardAction) for a in got)


def test_possible_actions_whoever_asks() -> None:
    assert possible_actions(None) == [HazardAction.raise_]
    assert possible_actions(HazardState.rectifying) == [
        "assign",
        "submit",
        "record_interim_measures",
    ]
    assert possible_actions("closed") == ["reopen", "recheck"]


# --- required fields ------------------------------------------------------------------------

REQUIRED_CASES = [(key, name) for key, names in REQUIRED.items() for name in names]
BLANKS = [None, "", "   ", [], {}]


def test_required_expectation_matches_the_table() -> None:
    for (state, action), names in REQUIRED.items():
        row = TRANSITIONS[None if state is None else HazardState(state), HazardAction(action)]
        assert list(row.required) == names


@pytest.mark.parametrize("blank", [*BLANKS, "absent"], ids=repr)
@pytest.mark.parametrize(
    ("key", "name"), REQUIRED_CASES, ids=[f"{s or 'new'}-{a}-{n}" for (s, a), n in REQUIRED_CASES]
)
def test_each_missing_required_field_is_named(
    key: tuple[str | None, str], name: str, blank: Any
) -> None:
    state, action = key
    payload = without(name) if blank == "absent" else without(**{name: blank})
    with pytest.raises(ValidationError) as e:
        call(state, action, payload=payload, grade="general")
    assert set(e.value.fields) == {name}
    assert e.value.fields[name]
    assert e.value.params == {"names": name}


@pytest.mark.parametrize("key", list(REQUIRED), ids=lambda k: f"{k[0] or 'new'}-{k[1]}")
def test_empty_payload_names_every_missing_field(key: tuple[str | None, str]) -> None:
    state, action = key
    with pytest.raises(ValidationError) as e:
        call(state, action, payload={}, grade="general")
    expected = set(REQUIRED[key])
    if key == ("rectifying", "assign"):
        expected |= set(REASSIGN_ONE_OF)
    assert set(e.value.fields) == expected


def test_reassignment_needs_a_change_besides_the_reason() -> None:
    payload = {"reason": "原责任人调离"}
    with pytest.raises(ValidationError) as e:
        call("rectifying", "assign", payload=payload)
    assert set(e.value.fields) == set(REASSIGN_ONE_OF)


@pytest.mark.parametrize("name", REASSIGN_ONE_OF)
def test_reassignment_with_any_one_change_is_enough(name: str) -> None:
    payload = {"reason": "原责任人调离", name: FULL_PAYLOAD[name]}
    assert call("rectifying", "assign", payload=payload) == HazardState.rectifying


@pytest.mark.parametrize("bad", ["landslide", "护栏损坏", 3, ["other"]], ids=repr)
def test_raise_refuses_an_unknown_category(bad: Any) -> None:
    with pytest.raises(ValidationError) as e:
        call(None, "raise", payload=without(category=bad))
    assert set(e.value.fields) == {"category"}


@pytest.mark.parametrize("bad", ["severe", "MAJOR", 1, ["major"]], ids=repr)
def test_raise_refuses_an_unknown_grade(bad: Any) -> None:
    with pytest.raises(ValidationError) as e:
        call(None, "raise", payload=without(grade=bad))
    assert set(e.value.fields) == {"grade"}


@pytest.mark.parametrize("category", list(HAZARD_CATEGORIES))
@pytest.mark.parametrize("grade", ["general", "major"])
def test_raise_accepts_every_category_and_grade(category: str, grade: str) -> None:
    payload = without(category=category, grade=grade)
    assert call(None, "raise", payload=payload) == HazardState.reported


def test_photos_given_as_an_empty_tuple_are_missing() -> None:
    with pytest.raises(ValidationError) as e:
        call("rectifying", "submit", payload=without(after_photo_ids=()))
    assert set(e.value.fields) == {"after_photo_ids"}


# --- the remediation plan of a major hazard ---------------------------------------------------


def test_plan_parts_are_the_six_of_the_glossary() -> None:
    assert PLAN_PARTS == (
        "goals",
        "measures",
        "funding",
        "people",
        "deadline",
        "safety_contingency",
    )


def test_general_hazard_needs_no_plan() -> None:
    assert call("reported", "assign", grade="general", payload=without("plan")) == "rectifying"


@pytest.mark.parametrize("plan", ["absent", None, {}, "见附件"], ids=repr)
def test_major_hazard_without_a_plan_names_the_plan_and_every_part(plan: Any) -> None:
    payload = without("plan") if plan == "absent" else without(plan=plan)
    with pytest.raises(ValidationError) as e:
        call("reported", "assign", grade="major", payload=payload)
    assert set(e.value.fields) == {"plan", *(f"plan.{p}" for p in PLAN_PARTS)}


@pytest.mark.parametrize("blank", ["absent", None, "", "  "], ids=repr)
@pytest.mark.parametrize("part", PLAN_PARTS)
def test_major_plan_missing_one_part_names_that_part(part: str, blank: Any) -> None:
    plan = {k: v for k, v in FULL_PLAN.items() if k != part}
    if blank != "absent":
        plan[part] = blank
    with pytest.raises(ValidationError) as e:
        call("reported", "assign", grade=HazardGrade.major, payload=without(plan=plan))
    assert set(e.value.fields) == {f"plan.{part}"}


def test_major_plan_errors_come_with_the_other_missing_fields() -> None:
    payload = without("measures", plan={**FULL_PLAN, "funding": ""})
    with pytest.raises(ValidationError) as e:
        call("reported", "assign", grade="major", payload=payload)
    assert set(e.value.fields) == {"measures", "plan.funding"}


def test_reassigning_a_major_hazard_does_not_ask_for_the_plan_again() -> None:
    payload = {"reason": "延期", "deadline": "2025-07-15"}
    assert call("rectifying", "assign", grade="major", payload=payload) == "rectifying"


# --- deadlines on assignment --------------------------------------------------------------------


@pytest.mark.parametrize(
    "deadline", [dt.date(2025, 6, 1), dt.date(2025, 6, 2), "2025-06-30", " 2025-06-30 "], ids=str
)
def test_deadline_today_or_later_is_accepted(deadline: Any) -> None:
    assert call("reported", "assign", payload=without(deadline=deadline)) == "rectifying"


@pytest.mark.parametrize("key", [("reported", "assign"), ("rectifying", "assign")])
@pytest.mark.parametrize("deadline", [dt.date(2025, 5, 31), "2025-05-31", "2024-12-31"], ids=str)
def test_deadline_in_the_past_is_refused(key: tuple[str, str], deadline: Any) -> None:
    with pytest.raises(ValidationError) as e:
        call(*key, payload=without(deadline=deadline))
    assert set(e.value.fields) == {"deadline"}
    assert "past" in e.value.fields["deadline"]


def test_deadline_in_the_past_is_not_checked_without_today() -> None:
    payload = without(deadline=dt.date(2000, 1, 1))
    assert call("reported", "assign", payload=payload, today=None) == "rectifying"


@pytest.mark.parametrize(
    "deadline",
    ["next friday", "2025-02-30", "30/06/2025", 20250630, dt.datetime(2025, 6, 30, 12, 0)],
    ids=repr,
)
def test_deadline_that_is_not_a_date_is_refused(deadline: Any) -> None:
    with pytest.raises(ValidationError) as e:
        call("reported", "assign", payload=without(deadline=deadline))
    assert set(e.value.fields) == {"deadline"}


def test_parse_deadline() -> None:
    assert parse_deadline(dt.date(2025, 6, 30)) == dt.date(2025, 6, 30)
    assert parse_deadline("2025-06-30") == dt.date(2025, 6, 30)
    assert parse_deadline(dt.datetime(2025, 6, 30, tzinfo=dt.UTC)) is None
    assert parse_deadline("K12+300") is None
    assert parse_deadline(None) is None


# --- default deadlines -------------------------------------------------------------------------

# Category codes and words from the brief; the days are the module's starting values; where
# each applies: R road stake, S site, RS both.
EXPECTED_CATEGORIES = {
    "guardrail_damage": ("护栏损坏", 5, 30, "R"),
    "sign_damage": ("标志缺损", 7, 30, "R"),
    "pavement_hazard": ("路面隐患", 3, 30, "R"),
    "rockfall_slope": ("落石/边坡风险", 3, 30, "R"),
    "drainage": ("排水隐患", 7, 30, "RS"),
    "roadside_obstacle": ("路侧障碍", 7, 30, "R"),
    "work_zone": ("施工作业区", 7, 30, "RS"),
    "fire_safety": ("消防安全", 7, 30, "S"),
    "electrical": ("用电安全", 7, 30, "RS"),
    "special_equipment": ("特种设备", 7, 30, "S"),
    "vehicle_machinery": ("车辆机械", 7, 30, "RS"),
    "hazardous_materials": ("危险化学品", 7, 30, "S"),
    "building_structure": ("房屋建筑", 7, 30, "S"),
    "office_living": ("办公生活区", 7, 30, "S"),
    "safety_management": ("安全管理", 7, 30, "RS"),
    "other": ("其他", 7, 30, "RS"),
}


def test_categories_are_one_table_of_codes_and_words() -> None:
    assert list(HAZARD_CATEGORIES) == list(EXPECTED_CATEGORIES)
    for code, (zh, _, _, _) in EXPECTED_CATEGORIES.items():
        category = HAZARD_CATEGORIES[code]
        assert category.code == code
        assert category.zh == zh
        assert category.en
        assert category.label("zh_CN") == zh
        assert category.label("en") == category.en


@pytest.mark.parametrize("code", list(EXPECTED_CATEGORIES))
def test_each_category_says_where_it_applies(code: str) -> None:
    where = EXPECTED_CATEGORIES[code][3]
    category = HAZARD_CATEGORIES[code]
    assert category.applies(LocationType.road) == ("R" in where)
    assert category.applies("site") == ("S" in where)
    assert not category.applies("depot")  # not a kind of location


@pytest.mark.parametrize("code", list(EXPECTED_CATEGORIES))
def test_default_deadline_days(code: str) -> None:
    _, general, major, _ = EXPECTED_CATEGORIES[code]
    assert default_deadline_days(code, "general") == general
    assert default_deadline_days(code, HazardGrade.major) == major


def test_overrides_most_specific_wins() -> None:
    overrides = {"pavement_hazard.general": 2, "general": 10, "major": 20}
    assert default_deadline_days("pavement_hazard", "general", overrides) == 2
    # a category's own default is more specific than a grade-wide override
    assert default_deadline_days("guardrail_damage", "general", overrides) == 5
    assert default_deadline_days("drainage", "general", overrides) == 10
    assert default_deadline_days("drainage", "major", overrides) == 20
    assert default_deadline_days("drainage", "major", {"guardrail_damage.major": 9}) == 30


@pytest.mark.parametrize(
    "overrides",
    [
        {"landslide.general": 3},
        {"severe": 3},
        {"drainage.severe": 3},
        {"general": 0},
        {"major": True},
    ],
    ids=repr,
)
def test_bad_overrides_are_a_configuration_error(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        default_deadline_days("drainage", "general", overrides)


def test_default_deadline_for_unknown_category_or_grade() -> None:
    with pytest.raises(ValidationError) as e:
        default_deadline_days("landslide", "general")
    assert set(e.value.fields) == {"category"}
    with pytest.raises(ValidationError) as e:
        default_deadline_days("drainage", "severe")
    assert set(e.value.fields) == {"grade"}


def test_default_deadline_date() -> None:
    assert default_deadline("pavement_hazard", "general", dt.date(2025, 12, 30)) == dt.date(
        2026, 1, 2
    )
    assert default_deadline("other", "major", dt.date(2025, 6, 1), {"major": 15}) == dt.date(
        2025, 6, 16
    )


# --- overdue -----------------------------------------------------------------------------------

OPEN_STATES = ["reported", "rectifying", "awaiting_verification"]


@pytest.mark.parametrize("state", OPEN_STATES)
def test_deadline_today_is_not_overdue(state: str) -> None:
    assert not is_overdue(state, TODAY, TODAY)
    assert days_overdue(state, TODAY, TODAY) == 0


@pytest.mark.parametrize("state", OPEN_STATES)
def test_deadline_yesterday_is_overdue(state: str) -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    assert is_overdue(HazardState(state), yesterday, TODAY)
    assert days_overdue(state, yesterday, TODAY) == 1
    assert days_overdue(state, dt.date(2025, 5, 1), TODAY) == 31


@pytest.mark.parametrize("deadline", [dt.date(2000, 1, 1), TODAY - dt.timedelta(days=1), TODAY])
def test_closed_is_never_overdue(deadline: dt.date) -> None:
    assert not is_overdue(HazardState.closed, deadline, TODAY)
    assert days_overdue("closed", deadline, TODAY) == 0


def test_no_deadline_or_no_hazard_is_not_overdue() -> None:
    assert not is_overdue("reported", None, TODAY)
    assert not is_overdue(None, dt.date(2000, 1, 1), TODAY)
    assert days_overdue("reported", None, TODAY) == 0


def test_future_deadline_is_not_overdue() -> None:
    assert not is_overdue("rectifying", TODAY + dt.timedelta(days=1), TODAY)


# --- robustness ----------------------------------------------------------------------------------

FIELD_NAMES = sorted({*FULL_PAYLOAD, "plan"})
TEXT = st.text(alphabet="ab K+-0123456789护栏", max_size=12)
VALUES = st.one_of(
    st.none(),
    TEXT,
    st.integers(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from([*PLAN_PARTS, "x"]), TEXT, max_size=7),
)


@settings(max_examples=300, deadline=None)
@given(
    key=st.sampled_from(sorted(NEXT_STATE, key=str)),
    payload=st.dictionaries(st.sampled_from(FIELD_NAMES), VALUES),
    grade=st.sampled_from(["general", "major"]),
)
def test_any_payload_gives_a_state_or_a_validation_error(
    key: tuple[str | None, str], payload: dict[str, Any], grade: str
) -> None:
    state, action = key
    try:
        result = call(state, action, payload=payload, grade=grade)
    except ValidationError as e:
        assert e.fields  # every refusal names at least one field
        assert all(isinstance(v, str) and v for v in e.fields.values())
    else:
        assert result == NEXT_STATE[key]


def test_module_imports_only_the_standard_library_and_the_domain_errors() -> None:
    with open(workflow.__file__, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    outside = {m for m in imported if m.split(".")[0] not in sys.stdlib_module_names}
    assert outside == {"inspection.errors"}
