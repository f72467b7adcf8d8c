"""Reading query-string parameters: one place that names the bad field."""

from __future__ import annotations

import math

from flask import request

from inspection.errors import N_, ValidationError


def float_arg(name: str, *, required: bool = True, default: float | None = None) -> float | None:
    """Return a finite number from the query string, or raise a 422 naming the parameter."""
    raw = request.args.get(name, "").strip()
    if not raw:
        if required:
            raise ValidationError(
                N_("The parameter %(name)s is required."),
                fields={name: N_("This field is required.")},
                name=name,
            )
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValidationError(
            N_("The parameter %(name)s must be a number."),
            fields={name: N_("Enter a number.")},
            name=name,
        )
    return value


def choice_arg(name: str, choices: tuple[str, ...]) -> str | None:
    """Return an optional parameter that must be one of `choices`."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if raw not in choices:
        raise ValidationError(
            N_("The parameter %(name)s must be one of %(choices)s."),
            fields={name: N_("Not one of the allowed values.")},
            name=name,
            choices=", ".join(choices),
        )
    return raw
