"""Declared input models (pydantic) turned into OpenAPI 3.0 components and query parameters."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from pydantic import BaseModel

# A model's class name → the component name the document gives it (filled by `openapi.py`).
COMPONENT_NAMES: dict[str, str] = {}


def openapi30(schema: Any) -> Any:
    """Turn pydantic's JSON Schema (2020-12) into OpenAPI 3.0's dialect."""
    if isinstance(schema, list):
        return [openapi30(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {k: openapi30(v) for k, v in schema.items() if k != "title"}
    if "$ref" in result:
        name = result["$ref"].rsplit("/", 1)[-1]
        result["$ref"] = "#/components/schemas/" + COMPONENT_NAMES.get(name, name)
    options = result.get("anyOf")
    if options and {"type": "null"} in options:
        rest = [o for o in options if o != {"type": "null"}]
        del result["anyOf"]
        inner = rest[0] if len(rest) == 1 else {"anyOf": rest}
        if "$ref" in inner:
            inner = {"allOf": [inner]}
        result = {**inner, **result, "nullable": True}
    if "exclusiveMinimum" in result and not isinstance(result["exclusiveMinimum"], bool):
        result["minimum"], result["exclusiveMinimum"] = result["exclusiveMinimum"], True
    if "const" in result:
        result["enum"] = [result.pop("const")]
    if "examples" in result:
        result["example"] = result.pop("examples")[0]
    return result


def model_components(models: dict[str, type[BaseModel]]) -> dict[str, dict[str, Any]]:
    """Return the components (each model and the models it nests) of request bodies."""
    components: dict[str, dict[str, Any]] = {}
    for name, model in models.items():
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for nested, definition in schema.pop("$defs", {}).items():
            components.setdefault(COMPONENT_NAMES.get(nested, nested), openapi30(definition))
        components[name] = openapi30(schema)
    return components


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """Return a query model's fields as OpenAPI query parameters (by their URL names)."""
    schema = model.model_json_schema(by_alias=True)
    required = set(schema.get("required", ()))
    parameters = []
    for name, field in schema["properties"].items():
        field = {k: v for k, v in field.items() if k != "title"}
        description = field.pop("description", "")
        options = field.pop("anyOf", None)
        if options:  # absent is how a query string says null
            field = {**next(o for o in options if o != {"type": "null"}), **field}
        if field.get("default") is None:
            field.pop("default", None)
        example = (field.pop("examples", None) or [field.pop("example", None)])[0]
        parameter = {
            "name": name,
            "in": "query",
            "required": name in required,
            "description": gettext(description) if description else "",
            "schema": openapi30(field),
        }
        if example is not None:
            parameter["example"] = example
        parameters.append(parameter)
    return parameters
