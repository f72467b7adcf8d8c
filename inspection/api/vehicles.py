"""JSON API: vehicles (#15); routes on the API blueprint."""

from inspection.api.views import bp  # noqa: F401
