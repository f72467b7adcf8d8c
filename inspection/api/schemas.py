"""Reading JSON request bodies: one place that turns bad input into clear 4xx errors.

The size and nesting checks of `inspection.inputs` run before any body is parsed, so every
endpoint that reads JSON through here (declared models or hand-read) is guarded.
"""

from __future__ import annotations

from typing import Any

from inspection.errors import N_, ValidationError
from inspection.inputs import BadJson, Text, check, json_object

__all__ = ["BadJson", "json_body", "optional_str"]


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
