"""Every CHECK constraint on a code list, in the migrated database, equals its one code list.

The models write those constraints from the StrEnum (or table) of the list (`db.enum_check`), so
a value added to a list without a migration, or a migration that widened a CHECK by hand, fails.
"""

import re

from sqlalchemy import text

import inspection.models  # noqa: F401  (every table in the metadata)
from inspection.auth.permissions import Role
from inspection.db import Base

QUOTED = re.compile(r"'((?:[^']|'')*)'")
# Code lists the database holds in another shape than `column IN (…)`.
OTHER_SHAPES = {"ck_users_known_roles": {r.value for r in Role}}


def _database_checks(db_session) -> dict[str, str]:
    rows = db_session.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'c' AND connamespace = 'public'::regnamespace"
        )
    )
    return dict(rows.all())


def _declared() -> dict[str, tuple[str, tuple[str, ...]]]:
    declared = {}
    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            if "code_list" in constraint.info:
                declared[constraint.name] = (table.name, constraint.info["code_list"])
    return declared


def test_every_code_list_check_in_the_database_equals_its_list(db_session):
    in_database = _database_checks(db_session)
    declared = _declared()
    assert len(declared) >= 23
    for name, (table, codes) in declared.items():
        assert name in in_database, f"{table}: {name} is declared but not in the database"
        found = {v.replace("''", "'") for v in QUOTED.findall(in_database[name])}
        assert found == set(codes), f"{name}: database {sorted(found)} != code list {codes}"


def test_no_check_in_the_database_holds_a_list_of_its_own(db_session):
    declared = _declared()
    for name, definition in _database_checks(db_session).items():
        values = set(QUOTED.findall(definition)) - {""}
        is_list = "ANY (" in definition or "ARRAY[" in definition
        if not is_list or name in declared:
            continue
        assert name in OTHER_SHAPES, f"{name} lists codes by hand: {definition}"
        assert values == OTHER_SHAPES[name]
