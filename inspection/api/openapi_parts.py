"""The building blocks the OpenAPI descriptions are written with (shared by every area's table)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from inspection.errors import N_

PREFIX = "/api/v1/"
JSON = "application/json"

# --------------------------------------------------------------------------- schema helpers


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def string(*, nullable: bool = False, fmt: str | None = None, enum=None, **extra) -> dict:
    schema: dict[str, Any] = {"type": "string", **extra}
    if fmt:
        schema["format"] = fmt
    if enum is not None:
        schema["enum"] = list(enum)
    if nullable:
        schema["nullable"] = True
    return schema


def number(*, nullable: bool = False, **extra) -> dict:
    return {"type": "number", **({"nullable": True} if nullable else {}), **extra}


def integer(*, nullable: bool = False, **extra) -> dict:
    return {"type": "integer", **({"nullable": True} if nullable else {}), **extra}


def boolean() -> dict:
    return {"type": "boolean"}


def array(items: dict, *, nullable: bool = False, **extra) -> dict:
    return {"type": "array", "items": items, **({"nullable": True} if nullable else {}), **extra}


def obj(required: tuple[str, ...] = (), *, nullable: bool = False, **properties) -> dict:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if nullable:
        schema["nullable"] = True
    return schema


def page_of(name: str, key: str) -> dict:
    return obj(
        (key, "page", "per_page", "total"),
        **{key: array(ref(name))},
        page=integer(),
        per_page=integer(),
        total=integer(),
    )


DIRECTIONS = ("up", "down", "both")
SEVERITIES = ("light", "medium", "heavy")
ANY_OBJECT = {"type": "object"}

# --------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    schema: dict[str, Any]
    required: bool = False
    example: Any = None


@dataclass(frozen=True)
class Operation:
    """What the route itself cannot say: summary, query parameters, body and answer."""

    summary: str
    response: str | None = None  # schema name of the success answer
    status: int = 200
    # query parameters: a declared query model, or (for routes still read by hand) Params
    params: tuple[Param, ...] | type[BaseModel] = ()
    body: str | None = None  # schema name of a JSON request body (see INPUT_MODELS)
    multipart: bool = False
    created_or_replayed: bool = False  # 201 for new, 200 for a retried client UUID
    media_type: str = JSON


PAGE = Param("page", N_("Page number."), integer(minimum=1, maximum=10_000, default=1))
PER_PAGE = Param("per_page", N_("Rows per page."), integer(minimum=1, maximum=200, default=50))
ROAD = Param("road", N_("Road code, e.g. G30."), string(maxLength=16), example="G30")
DIRECTION = Param("direction", N_("Carriageway."), string(enum=DIRECTIONS))
FROM_DAY = Param("from", N_("First day (YYYY-MM-DD)."), string(fmt="date"))
TO_DAY = Param("to", N_("Last day (YYYY-MM-DD)."), string(fmt="date"))
INCLUDE_VOIDED = Param(
    "include_voided", N_("1 to include voided records."), string(enum=("0", "1"))
)
LON = Param("lon", N_("Longitude."), number(minimum=-180, maximum=180), example=87.68)
LAT = Param("lat", N_("Latitude."), number(minimum=-90, maximum=90), example=43.859)


# The error answers every operation may give, and what each means.
READ_ERRORS = (400, 401, 403, 404, 422)
WRITE_ERRORS = (400, 401, 403, 404, 409, 413, 415, 422)
ERROR_WORDS = {
    400: N_("The request could not be understood, or a parameter is malformed."),
    401: N_("Sign in or send an API token."),
    403: N_("Your roles do not allow this."),
    404: N_("There is nothing at this address."),
    409: N_("A conflict: the record changed meanwhile, or the action does not fit its state."),
    413: N_("The upload is too large."),
    415: N_("Send the body in the stated format."),
    422: N_("Some fields are not valid; `fields` names them."),
}
