"""Pages: statement_views (routes on inspection.plans.blueprint.bp)."""

from inspection.plans.blueprint import bp  # noqa: F401
