"""The web blueprint of the fleet and driver registers (pages under /fleet/…)."""

from flask import Blueprint

bp = Blueprint("fleet", __name__, url_prefix="/fleet")
