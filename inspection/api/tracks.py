"""JSON API of patrol tracks (routes on the API blueprint; described in openapi_tracks.py)."""

from inspection.api.views import bp  # noqa: F401
