"""The web blueprint of the emergency supplies (pages under /supplies/…)."""

from flask import Blueprint

bp = Blueprint("supplies", __name__, url_prefix="/supplies")
