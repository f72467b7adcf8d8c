"""Reading JSON request bodies: one place that turns bad input into clear 4xx errors.

The size and nesting checks of `inspection.inputs` run before any body is parsed, so every
endpoint that reads JSON through here (declared models or hand-read) is guarded.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from inspection.errors import N_, ValidationError
from inspection.inputs import NOTE_LENGTH, BadJson, Input, Text, check, json_object

__all__ = ["BadJson", "VoidBody", "json_body", "optional_str"]


class VoidBody(Input):
    """Void a finding or repair: the reason is kept with it."""

    reason: Annotated[
        Text(NOTE_LENGTH), Field(description=N_("Why the record is void, e.g. entered twice."))
    ] = ""


def json_body() -> dict[str, Any]:
    """Return the request's JSON object, or raise a 400/413 saying what is wrong with it."""
    return json_object()


def optional_str(body: dict[str, Any], name: str, *, max_length: int = 500) -> str:
    """Return a string field (empty when absent), refusing other types and long text."""
    value = body.get(name, "")
    if value is None:
        return ""
    result, message = check(Text(max_length), value)
    if message:
        raise ValidationError(N_("Some fields are not valid."), fields={name: message})
    return result
