"""The web blueprint of patrol tracks and coverage (pages under /patrols/…)."""

from flask import Blueprint

bp = Blueprint("tracks", __name__)
