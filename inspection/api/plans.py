"""JSON API: plans (#17); routes on the API blueprint."""

from inspection.api.views import bp  # noqa: F401
