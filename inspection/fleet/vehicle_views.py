"""Pages of the vehicle and machinery register (routes on inspection.fleet.blueprint.bp)."""

from inspection.fleet.blueprint import bp  # noqa: F401
