"""The phone page where a crew reports a vehicle defect (routes on the fleet blueprint)."""

from inspection.fleet.blueprint import bp  # noqa: F401
