"""Reading JSON request bodies: one place that turns bad input into clear 4xx errors."""

from __future__ import annotations

from typing import Any

from flask import request

from inspection.errors import N_, ValidationError


class BadJson(ValidationError):
    code = "bad_json"
    status = 400


def json_body() -> dict[str, Any]:
    """Return the request's JSON object, or raise a 400 saying what is wrong with it."""
    if not request.is_json:
        raise BadJson(N_("Send the body as JSON with Content-Type: application/json."))
    body = request.get_json(silent=True)
    if body is None:
        raise BadJson(N_("The request body is not valid JSON."))
    if not isinstance(body, dict):
        raise BadJson(N_("The request body must be a JSON object."))
    return body


def optional_str(body: dict[str, Any], name: str, *, max_length: int = 500) -> str:
    """Return a string field (empty when absent), refusing other types and long text."""
    value = body.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(N_("Some fields are not valid."), fields={name: N_("Must be text.")})
    if len(value) > max_length:
        raise ValidationError(N_("Some fields are not valid."), fields={name: N_("Too long.")})
    return value
