"""The OpenAPI document as a plain HTML page (no scripts)."""

from __future__ import annotations

import json
from typing import Any

from flask import render_template


def _schema_text(schema: Any) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2)


def render_docs(document: dict[str, Any], *, json_url: str):
    """Render an OpenAPI document as a plain HTML page (no scripts)."""
    operations = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {})
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "anchor": operation.get("operationId", f"{method}-{path}"),
                    "summary": operation.get("summary", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "permission": operation.get("x-permission"),
                    "public": operation.get("security") == [],
                    "parameters": operation.get("parameters", []),
                    "body": [(media, _schema_text(c.get("schema"))) for media, c in body.items()],
                    "responses": [
                        (
                            status,
                            answer.get("description", ""),
                            [
                                (media, _schema_text(c.get("schema")))
                                for media, c in answer.get("content", {}).items()
                            ],
                        )
                        for status, answer in operation.get("responses", {}).items()
                    ],
                }
            )
    schemas = [
        (name, _schema_text(schema))
        for name, schema in document.get("components", {}).get("schemas", {}).items()
    ]
    return render_template(
        "api/docs.html",
        info=document["info"],
        server=document.get("servers", [{}])[0].get("url", ""),
        operations=operations,
        schemas=schemas,
        json_url=json_url,
    )
