"""Declarative base with a naming convention, and shared column mixins."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints let migrations drop and alter them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# The execution option of a statement that runs on the primary even in a request whose reads go to
# the replica (inspection/replica.py): a write the router cannot see (an INSERT in text()) or a
# table the replica cannot read (the UNLOGGED tile cache). Unused without a replica.
ON_PRIMARY = {"on_primary": True}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow
    )


def in_enum(column: str, values: Iterable[str]) -> str:
    """Return the SQL of a condition that `column` holds one of the code list's values."""
    quoted = ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"


def enum_check(
    column: str, values: Iterable[str], *, name: str | None = None, nullable: bool = False
) -> CheckConstraint:
    """Return the CHECK constraint that `column` holds a value of its code list (one StrEnum).

    CHECK constraints are written from the code list they guard, and remember it (`info`), so
    a test compares every one in the migrated database with its list and they cannot drift.
    """
    codes = tuple(str(v) for v in values)
    condition = in_enum(column, codes)
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(
        condition, name=name or column, info={"code_list": codes, "column": column}
    )
