"""Pages of the emergency supplies: stock per depot, movements, the board (routes on bp)."""

from inspection.supplies.blueprint import bp  # noqa: F401
