"""The web blueprint of crew safety: phone pages under /field/… and desktop pages under /crew/…."""

from flask import Blueprint

bp = Blueprint("crew", __name__)
