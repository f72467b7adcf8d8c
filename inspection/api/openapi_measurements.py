"""OpenAPI descriptions of the measurements routes (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi_parts import Operation

SCHEMAS: dict[str, dict[str, Any]] = {}
INPUT_MODELS: dict[str, Any] = {}
EXAMPLES: dict[str, Any] = {}
OPERATIONS: dict[str, Operation] = {}
