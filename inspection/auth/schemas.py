"""Declared inputs of accounts: a new user (admin form) and a new API token (form and API)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from inspection.auth.permissions import Role
from inspection.errors import N_
from inspection.inputs import MESSAGES, Code, Input, Text

PASSWORD_MAX = 256  # scrypt hashes any length; a longer one is a paste accident


def _password(value: Any) -> str:
    """A password as typed (never stripped): text without NUL or lone surrogates."""
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", MESSAGES["string_type"])
    if "\x00" in value or not _encodable(value):
        raise PydanticCustomError("bad_character", MESSAGES["bad_character"])
    if len(value) > PASSWORD_MAX:
        raise PydanticCustomError("string_too_long", MESSAGES["string_too_long"])
    return value


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


Password = Annotated[
    str,
    PlainValidator(_password),
    WithJsonSchema({"type": "string", "format": "password", "maxLength": PASSWORD_MAX}),
]


class TokenBody(Input):
    """A new API token: a name to know it by (the column holds 128 characters)."""

    name: Annotated[Text(128), Field(description=N_("What the token is for."))] = ""


class UserBody(Input):
    """A new user: the service checks the user name's characters, the password's length and
    that the name is free."""

    messages: ClassVar = {
        "username": N_("Invalid username."),
        "password": N_("Password too short."),
        "roles:missing": N_("A user needs at least one role."),
    }
    collapse: ClassVar = ("roles",)  # a bad role is shown on the list of roles

    username: Text(64, 2)
    display_name: Text(128) = ""
    password: Password
    roles: Annotated[list[Code(Role)], Field(min_length=1, max_length=len(Role))]
