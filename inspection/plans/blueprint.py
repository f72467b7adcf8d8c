"""The web blueprint of plans and measurement (pages under /plans/…)."""

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/plans")
