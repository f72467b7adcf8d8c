"""Pages of the drivers register and their reviews (routes on inspection.fleet.blueprint.bp)."""

from inspection.fleet.blueprint import bp  # noqa: F401
