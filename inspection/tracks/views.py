"""Pages of patrol tracks (filled in by the track work)."""

from inspection.tracks.blueprint import bp  # noqa: F401
