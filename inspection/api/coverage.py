"""JSON API of patrol coverage (routes on the API blueprint; described in openapi_coverage.py)."""

from inspection.api.views import bp  # noqa: F401
