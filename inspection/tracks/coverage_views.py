"""Pages of patrol coverage (filled in by the coverage work)."""

from inspection.tracks.blueprint import bp  # noqa: F401
